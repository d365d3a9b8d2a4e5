/*
 * opt.c - command-line option parsing shared by every command.
 *
 * Long options (--name, --name=value, --name value), short options (-x,
 * -xVALUE, -x VALUE), "--" to end options, and options anywhere among the
 * positional arguments. The global options -C/--ledger, --json, -q,
 * --passphrase-file and -h/--help are accepted by every command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { G_DIR = -100, G_JSON, G_QUIET, G_HELP, G_PASSFILE };

static const cli_opt globals[] = {
    {"ledger", 'C', 1, G_DIR}, {"json", 0, 0, G_JSON},   {"quiet", 'q', 0, G_QUIET},
    {"help", 'h', 0, G_HELP},  {"passphrase-file", 0, 1, G_PASSFILE}, {NULL, 0, 0, 0},
};

static const cli_opt *
find_long(const cli_opt *opts, const char *name, size_t len)
{
    for (int pass = 0; pass < 2; pass++) {
        const cli_opt *t = pass == 0 ? globals : opts;
        for (; t != NULL && t->name != NULL; t++)
            if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
                return t;
    }
    return NULL;
}

static const cli_opt *
find_short(const cli_opt *opts, char ch)
{
    for (int pass = 0; pass < 2; pass++) {
        const cli_opt *t = pass == 0 ? globals : opts;
        for (; t != NULL && t->name != NULL; t++)
            if (t->short_name == ch)
                return t;
    }
    return NULL;
}

static int
apply(cli *c, const cli_opt *o, const char *arg, cli_opt_fn fn, void *ctx)
{
    switch (o->id) {
    case G_DIR:
        c->dir = arg;
        return 0;
    case G_JSON:
        c->json = 1;
        return 0;
    case G_QUIET:
        c->quiet = 1;
        return 0;
    case G_PASSFILE:
        c->passphrase_file = arg;
        return 0;
    case G_HELP:
        cli_print_help(c->cmd);
        return -1;
    default:
        break;
    }
    return fn != NULL ? fn(ctx, o->id, arg) : 0;
}

int
cli_parse(cli *c, int argc, char **argv, const cli_opt *opts, cli_opt_fn fn, void *ctx,
          char ***pos_out, int *npos_out)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, only_pos = 0, rc;

    if (pos == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "out of memory");
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        const cli_opt *o;
        const char *arg = NULL;

        if (only_pos || a[0] != '-' || a[1] == '\0') {
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);

            o = find_long(opts, a + 2, len);
            if (o == NULL) {
                free(pos);
                return cli_usage(c, "unknown option --%.*s (see: attrledger help %s)", (int)len,
                                 a + 2, c->cmd);
            }
            if (o->takes_arg) {
                if (eq != NULL)
                    arg = eq + 1;
                else if (i + 1 < argc)
                    arg = argv[++i];
                else {
                    free(pos);
                    return cli_usage(c, "option --%s needs a value", o->name);
                }
            } else if (eq != NULL) {
                free(pos);
                return cli_usage(c, "option --%s takes no value", o->name);
            }
        } else {
            o = find_short(opts, a[1]);
            if (o == NULL) {
                free(pos);
                return cli_usage(c, "unknown option -%c (see: attrledger help %s)", a[1], c->cmd);
            }
            if (o->takes_arg) {
                if (a[2] != '\0')
                    arg = a + 2;
                else if (i + 1 < argc)
                    arg = argv[++i];
                else {
                    free(pos);
                    return cli_usage(c, "option -%c needs a value", a[1]);
                }
            } else if (a[2] != '\0') {
                free(pos);
                return cli_usage(c, "option -%c takes no value (write options separately)",
                                 a[1]);
            }
        }
        if ((rc = apply(c, o, arg, fn, ctx)) != 0) {
            free(pos);
            return rc;
        }
    }
    *pos_out = pos;
    *npos_out = npos;
    return 0;
}

int
cli_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}
