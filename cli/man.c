/*
 * man.c - man pages and the command list, rendered from help.c's text.
 *
 *   attrledger help --commands      one command name a line (completion, build)
 *   attrledger help --man           attrledger(1)
 *   attrledger help --man CMD       attrledger-CMD(1)
 *
 * The build turns these into the installed man pages (cmake/genman.cmake),
 * so a command added to help.c gets its page and its completion unchanged.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define MAN_FOOTER "\"attrledger " LEDGER_VERSION_STRING "\" \"Attribution Ledger\""

/* One line of text for roff: backslashes escaped, a leading '.' or '\''
 * protected so it is not read as a request. */
static void
put_roff_line(const char *s, size_t n)
{
    if (n > 0 && (s[0] == '.' || s[0] == '\''))
        fputs("\\&", stdout);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", stdout);
        else
            putchar(s[i]);
    }
    putchar('\n');
}

/* "options:" or "example:" alone on a line: a section heading. */
static int
is_heading(const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != ':')
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (!islower((unsigned char)s[i]) && s[i] != ' ')
            return 0;
    return 1;
}

static void
put_heading(const char *s, size_t n)
{
    fputs(".SH ", stdout);
    if (n == 4 && strncmp(s, "exit", 4) == 0) {
        fputs("\"EXIT STATUS\"\n", stdout);
        return;
    }
    putchar('"');
    for (size_t i = 0; i < n; i++)
        putchar(toupper((unsigned char)s[i]));
    fputs("\"\n", stdout);
}

/*
 * The body of a help text after its usage lines: unindented lines are
 * filled text, indented lines (options, examples) are kept as they are,
 * a blank line starts a paragraph, "word:" alone is a section and
 * "exit: TEXT" the exit status section.
 */
static void
put_body(const char *p)
{
    int nofill = 0;
    fputs(".SH DESCRIPTION\n", stdout);
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        int indented = n > 0 && p[0] == ' ';
        if (nofill && !indented) {
            fputs(".fi\n.RE\n", stdout);
            nofill = 0;
        }
        if (n == 0) {
            fputs(".PP\n", stdout);
        } else if (is_heading(p, n)) {
            put_heading(p, n - 1);
        } else if (n > 6 && strncmp(p, "exit: ", 6) == 0) {
            put_heading(p, 4);
            put_roff_line(p + 6, n - 6);
        } else if (indented) {
            if (!nofill)
                fputs(".RS 2\n.nf\n", stdout);
            nofill = 1;
            put_roff_line(p, n);
        } else {
            put_roff_line(p, n);
        }
        p += n;
        if (*p == '\n')
            p++;
    }
    if (nofill)
        fputs(".fi\n.RE\n", stdout);
}

static void
put_global(void)
{
    fputs(".SH \"GLOBAL OPTIONS\"\n.nf\n", stdout);
    const char *p = cli_help_global();
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        put_roff_line(p, n);
        p += n;
        if (*p == '\n')
            p++;
    }
    fputs(".fi\n", stdout);
}

static int
man_command(const char *name, const char *summary, const char *text)
{
    printf(".TH ATTRLEDGER-");
    for (const char *s = name; *s != '\0'; s++)
        putchar(toupper((unsigned char)*s));
    printf(" 1 \"\" " MAN_FOOTER "\n.SH NAME\nattrledger-%s \\- %s\n", name, summary);
    /* Usage lines: up to the first blank line, "usage: " dropped. */
    fputs(".SH SYNOPSIS\n.nf\n", stdout);
    const char *p = text;
    while (*p != '\0' && *p != '\n') {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        const char *s = p;
        if (strncmp(s, "usage: ", 7) == 0 || strncmp(s, "       ", 7) == 0)
            s += 7; /* continuation lines keep their extra indent */
        put_roff_line(s, n - (size_t)(s - p));
        p += n;
        if (*p == '\n')
            p++;
    }
    fputs(".fi\n", stdout);
    while (*p == '\n')
        p++;
    put_body(p);
    put_global();
    fputs(".SH \"SEE ALSO\"\n.BR attrledger (1),\n.BR attrledger-formats (5)\n", stdout);
    return EXIT_OK;
}

static int
man_tool(void)
{
    const char *name, *summary, *text;
    fputs(".TH ATTRLEDGER 1 \"\" " MAN_FOOTER "\n"
          ".SH NAME\nattrledger \\- append-only signed ledger of cyber-attack attribution\n"
          ".SH SYNOPSIS\n.B attrledger\n[\\fIglobal options\\fR] \\fIcommand\\fR "
          "[\\fIoptions\\fR] [\\fIargs\\fR]\n"
          ".SH DESCRIPTION\n"
          "Attribution Ledger: an append-only, signed ledger of cyber-incident\n"
          "attribution records with an RFC 6962 transparency log.\n"
          "Members sign records and submit them; anyone verifies the whole ledger,\n"
          "proves inclusion and consistency, and audits exports offline.\n"
          ".PP\n"
          "Each command has its own page, \\fBattrledger\\-\\fIcommand\\fR(1), with the\n"
          "same text as \\fBattrledger help\\fR \\fIcommand\\fR.\n"
          ".SH COMMANDS\n",
          stdout);
    for (size_t i = 0; (name = cli_help_entry(i, &summary, &text)) != NULL; i++)
        printf(".TP\n.BR attrledger\\-%s (1)\n%s\n", name, summary);
    put_global();
    fputs(".SH ENVIRONMENT\n.TP\n.B ATTRLEDGER_DIR\nthe ledger directory when -C is not given\n"
          ".TP\n.B ATTRLEDGER_MAP_MAX\nlargest LMDB map size in bytes\n"
          ".SH \"SEE ALSO\"\n.BR attrledger-formats (5)\n",
          stdout);
    return EXIT_OK;
}

int
cli_help_option(int argc, char **argv)
{
    const char *name, *summary, *text;
    if (strcmp(argv[0], "--commands") == 0 && argc == 1) {
        for (size_t i = 0; (name = cli_help_entry(i, &summary, &text)) != NULL; i++)
            puts(name);
        return EXIT_OK;
    }
    if (strcmp(argv[0], "--man") == 0 && argc == 1)
        return man_tool();
    if (strcmp(argv[0], "--man") == 0 && argc == 2) {
        for (size_t i = 0; (name = cli_help_entry(i, &summary, &text)) != NULL; i++)
            if (strcmp(name, argv[1]) == 0)
                return man_command(name, summary, text);
        fprintf(stderr, "attrledger: help: unknown command \"%s\"\n", argv[1]);
        return EXIT_USAGE;
    }
    if ((strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) && argc == 1)
        return cli_help(NULL);
    fprintf(stderr, "attrledger: help: usage: attrledger help [CMD | --commands | --man [CMD]]\n");
    return EXIT_USAGE;
}
