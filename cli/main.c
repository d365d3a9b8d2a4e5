/*
 * main.c - attrledger: dispatch to a command.
 *
 *   attrledger [global options] <command> [options] [args]
 *
 * Global options may also follow the command. -C DIR defaults to
 * $ATTRLEDGER_DIR. See help.c for every command's help text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

typedef struct {
    const char *name;
    int (*fn)(cli *c, int argc, char **argv);
} command;

static const command commands[] = {
    {"init", cmd_init},
    {"key", cmd_key},
    {"sign", cmd_sign},
    {"submit", cmd_submit},
    {"show", cmd_show},
    {"log", cmd_log},
    {"checkpoint", cmd_checkpoint},
    {"prove", cmd_prove},
    {"verify", cmd_verify},
    {"verify-receipt", cmd_verify_receipt},
    {"incident", cmd_incident},
    {"actor", cmd_actor},
    {"participant", cmd_participant},
    {"stats", cmd_stats},
    {"norms", cmd_norms},
    {"norm", cmd_norm},
    {"state", cmd_state},
    {"export", cmd_export},
    {"audit", cmd_audit},
    {"witness", cmd_witness},
    {"cosign", cmd_cosign},
    {"mirror", cmd_mirror},
    {"verify-fork", cmd_verify_fork},
    {"serve", cmd_serve},
    {"new", cmd_new},
    {NULL, NULL},
};

/* --version: the program, the formats it writes and the libraries it runs
 * with; --json (anywhere on the line) as one object. */
static int
version(int json)
{
    ledger_versions v;
    char curl[64];

    ledger_versions_get(&v);
    ledger_http_version_get(curl, sizeof curl);
    if (json) {
        printf("{\"program\":\"attrledger\",\"version\":");
        cli_json_str(stdout, v.library);
        printf(",\"formats\":{\"entry\":%u,\"audit_trail\":%u},\"libraries\":{", v.entry_format,
               v.trail_format);
        printf("\"libsodium\":");
        cli_json_str(stdout, v.libsodium);
        printf(",\"lmdb\":");
        cli_json_str(stdout, v.lmdb);
        printf(",\"protobuf-c\":");
        cli_json_str(stdout, v.protobuf_c);
        printf(",\"jansson\":");
        cli_json_str(stdout, v.jansson);
        printf(",\"libcurl\":");
        if (curl[0] != '\0')
            cli_json_str(stdout, curl);
        else
            printf("null");
        printf("}}\n");
        return EXIT_OK;
    }
    printf("attrledger %s\n", v.library);
    printf("formats: log entry %u, audit trail %u\n", v.entry_format, v.trail_format);
    printf("libraries: libsodium %s, LMDB %s, protobuf-c %s, jansson %s, libcurl %s\n", v.libsodium,
           v.lmdb, v.protobuf_c, v.jansson,
           curl[0] != '\0' ? curl : "not installed (needed only for audit --tiles URL)");
    return EXIT_OK;
}

int
main(int argc, char **argv)
{
    cli c = {0};
    int i = 1;

    c.dir = getenv("ATTRLEDGER_DIR");
    c.cmd = NULL;
    if (ledger_init() < 0) {
        fprintf(stderr, "attrledger: %s\n", ledger_error_last()->message);
        return EXIT_OPERATIONAL;
    }
    /* Global options before the command. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            for (int k = i + 1; k < argc; k++)
                c.json |= strcmp(argv[k], "--json") == 0;
            return version(c.json);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            return cli_help(NULL);
        } else if (strcmp(a, "--json") == 0) {
            c.json = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c.quiet = 1;
        } else if ((strcmp(a, "-C") == 0 || strcmp(a, "--ledger") == 0) && i + 1 < argc) {
            c.dir = argv[++i];
        } else if (strncmp(a, "--ledger=", 9) == 0) {
            c.dir = a + 9;
        } else if (strcmp(a, "--passphrase-file") == 0 && i + 1 < argc) {
            c.passphrase_file = argv[++i];
        } else {
            return cli_usage(&c, "unknown global option %s (see: attrledger help)", a);
        }
    }
    if (i >= argc) {
        cli_print_help(NULL);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0 && i + 1 < argc && strncmp(argv[i + 1], "--", 2) == 0)
        return cli_help_option(argc - i - 1, argv + i + 1);
    if (strcmp(argv[i], "help") == 0)
        return cli_help(i + 1 < argc ? argv[i + 1] : NULL);
    for (const command *cmd = commands; cmd->name != NULL; cmd++) {
        if (strcmp(cmd->name, argv[i]) == 0) {
            c.cmd = cmd->name;
            return cmd->fn(&c, argc - i, argv + i);
        }
    }
    return cli_usage(&c, "unknown command \"%s\" (see: attrledger help)", argv[i]);
}
