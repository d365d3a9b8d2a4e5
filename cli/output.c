/*
 * output.c - messages, exit codes, files and formatting for the CLI.
 *
 * stdout carries results only; everything else goes to stderr as
 * "attrledger: <command>: <message>", with the library's message unchanged.
 * A library error becomes an exit code in one place (cli_exit_code).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

/* With --json, a failure is also one object on stdout, so that a program
 * reading stdout always gets JSON: {"ok": false, "error": {"exit_code": N,
 * "kind": ..., "command": ..., "message": ...}} and a newline. */
static void
json_error(const cli *c, int code, const char *msg)
{
    static const char *const kinds[] = {"ok", "negative", "usage", "operational"};

    if (!c->json)
        return;
    fflush(stdout);
    printf("{\"ok\":false,\"error\":{\"exit_code\":%d,\"kind\":\"%s\",\"command\":", code,
           code >= 0 && code <= 3 ? kinds[code] : "error");
    cli_json_str(stdout, c->cmd ? c->cmd : "");
    printf(",\"message\":");
    cli_json_str(stdout, msg);
    printf("}}\n");
    fflush(stdout);
}

/* Messages quote file names and input, which may hold newlines, terminal
 * escapes or bidirectional overrides: escape them (ledger_text_escape) so a
 * message stays one line and cannot drive or disguise the terminal. The
 * buffer is sized to the message: nothing is cut. */
static void
vmsg(const cli *c, int code, const char *fmt, va_list ap)
{
    char small[1024], fallback[1024], *raw = small, *esc = NULL;
    const char *out;
    va_list again;
    int n;
    size_t m;

    cli_progress_hide();
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small && (raw = malloc((size_t)n + 1)) != NULL)
        vsnprintf(raw, (size_t)n + 1, fmt, again);
    va_end(again);
    if (raw == NULL)
        raw = small; /* out of memory: the first 1023 bytes, then the ellipsis below */
    m = ledger_text_escape(NULL, 0, raw);
    if ((esc = malloc(m + 1)) != NULL)
        ledger_text_escape(esc, m + 1, raw);
    else
        ledger_text_escape(fallback, sizeof fallback, raw);
    out = esc != NULL ? esc : fallback;
    fprintf(stderr, "attrledger: %s%s%s\n", c->cmd ? c->cmd : "", c->cmd ? ": " : "", out);
    json_error(c, code, out);
    free(esc);
    if (raw != small)
        free(raw);
}

int
cli_error(const cli *c, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(c, code, fmt, ap);
    va_end(ap);
    return code;
}

int
cli_usage(const cli *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(c, EXIT_USAGE, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

void
cli_info(const cli *c, const char *fmt, ...)
{
    va_list ap;

    if (c->quiet)
        return;
    cli_progress_hide();
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int
cli_fail_code(const cli *c, int exit_code)
{
    const ledger_error *e = ledger_error_last();

    return cli_error(c, exit_code, "%s", e->message[0] ? e->message : ledger_strerror(e->code));
}

int
cli_exit_code(int rc, cli_job job)
{
    switch (rc) {
    case LEDGER_EIO:
    case LEDGER_ENOMEM:
    case LEDGER_EBUSY:
    case LEDGER_EFULL:
    case LEDGER_EREADONLY:
    case LEDGER_EPASSPHRASE:
    case LEDGER_ERROR:
        return EXIT_OPERATIONAL; /* could not check */
    case LEDGER_EBADSIG:
    case LEDGER_EPROOF:
    case LEDGER_EPOLICY:
        return EXIT_NEGATIVE; /* checked: the answer is no */
    case LEDGER_EINVAL:
        return EXIT_USAGE;
    case LEDGER_ENOTFOUND:
        return job == CLI_ACT ? EXIT_OPERATIONAL : EXIT_NEGATIVE;
    default: /* EFORMAT, ECORRUPT, EVERSION, EEXISTS: the input is wrong */
        return job == CLI_CHECK ? EXIT_NEGATIVE : job == CLI_PARSE ? EXIT_USAGE : EXIT_OPERATIONAL;
    }
}

int
cli_fail(const cli *c, int rc)
{
    return cli_fail_code(c, cli_exit_code(rc, CLI_ACT));
}

int
cli_fail_job(const cli *c, int rc, cli_job job)
{
    return cli_fail_code(c, cli_exit_code(rc, job));
}

int
cli_need_dir(const cli *c)
{
    if (c->dir == NULL || *c->dir == '\0')
        return cli_usage(c, "no ledger directory: use -C DIR or set ATTRLEDGER_DIR");
    return 0;
}

int
cli_path(const cli *c, char *out, size_t cap, const char *dir, const char *name, ...)
{
    char tail[256];
    va_list ap;
    int n;

    va_start(ap, name);
    vsnprintf(tail, sizeof tail, name, ap);
    va_end(ap);
    n = snprintf(out, cap, "%s/%s", dir, tail);
    if (n < 0 || (size_t)n >= cap) {
        out[0] = '\0';
        return cli_usage(c, "path too long (%zu bytes, at most %zu): %s/%s",
                         strlen(dir) + 1 + strlen(tail), cap - 1, dir, tail);
    }
    return 0;
}

int
cli_open_ledger(const cli *c, unsigned flags, ledger_log **out)
{
    int rc;

    if ((rc = cli_need_dir(c)) != 0)
        return rc;
    if ((rc = ledger_log_open(out, c->dir, flags)) < 0)
        return cli_fail(c, rc);
    return 0;
}

int
cli_read_file(const cli *c, const char *path, size_t max, uint8_t **out, size_t *len_out)
{
    FILE *f;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int is_stdin = strcmp(path, "-") == 0;
    struct stat st;

    if (!is_stdin) {
        if (stat(path, &st) != 0)
            return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(errno));
        if (!S_ISREG(st.st_mode))
            return cli_error(c, EXIT_OPERATIONAL, "%s: not a regular file", path);
        if ((uint64_t)st.st_size > max)
            return cli_error(c, EXIT_OPERATIONAL, "%s: file is %lld bytes, max %zu", path,
                             (long long)st.st_size, max);
    }
    f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(errno));
    for (;;) {
        if (cap - len < 4096 + 1) {
            size_t ncap = cap ? cap * 2 : 8192;
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                if (!is_stdin)
                    fclose(f);
                return cli_error(c, EXIT_OPERATIONAL, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (len > max) {
            free(buf);
            if (!is_stdin)
                fclose(f);
            return cli_error(c, EXIT_OPERATIONAL, "%s: input is larger than %zu bytes", path, max);
        }
        if (got < 4096)
            break;
    }
    if (ferror(f)) {
        free(buf);
        if (!is_stdin)
            fclose(f);
        return cli_error(c, EXIT_OPERATIONAL, "%s: read error", path);
    }
    if (!is_stdin)
        fclose(f);
    buf[len] = '\0';
    *out = buf;
    *len_out = len;
    return 0;
}

int
cli_write_file(const cli *c, const char *path, const void *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    int fd;

    if (tmp == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "out of memory");
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(e));
    }
    fchmod(fd, 0644);
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(e));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(e));
    }
    free(tmp);
    return 0;
}

void
cli_hex(char *out, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

void
cli_b64(char *out, const uint8_t *b, size_t n)
{
    ledger_b64_encode(out, b, n);
}

void
cli_time(char out[32], uint64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;

    char date[24];
    size_t n;

    if (gmtime_r(&s, &tm) == NULL ||
        (n = strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
        snprintf(out, 32, "?");
        return;
    }
    snprintf(out, 32, "%.19s.%03uZ", date, (unsigned)(ms % 1000));
}

void
cli_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void
cli_json_print(const void *data, size_t len)
{
    const char *p = data;
    int in_str = 0, esc = 0;

    /* Drop the whitespace between tokens of valid JSON (the library's
     * indented form): strings are copied as they are. */
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];

        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            continue;
        }
        putchar(ch);
    }
    putchar('\n');
}
