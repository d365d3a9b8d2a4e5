/*
 * cmd_checkpoint.c - attrledger checkpoint: print a signed checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

enum { O_SIZE = 1, O_COSIGNED, O_URL, O_VKEY };

static const cli_opt opts[] = {
    {"size", 0, 1, O_SIZE}, {"with-cosignatures", 0, 0, O_COSIGNED},
    {"url", 0, 1, O_URL},   {"vkey", 0, 1, O_VKEY},
    {NULL, 0, 0, 0},
};

typedef struct {
    uint64_t size;
    int bad;
    int cosigned;
    const char *url, *vkey;
} cp_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    cp_args *a = ctx;

    if (id == O_SIZE && (cli_parse_u64(arg, &a->size) != 0 || a->size == 0))
        a->bad = 1;
    if (id == O_COSIGNED)
        a->cosigned = 1;
    if (id == O_URL)
        a->url = arg;
    if (id == O_VKEY)
        a->vkey = arg;
    return 0;
}

int
cmd_checkpoint(cli *c, int argc, char **argv)
{
    cp_args a = {0};
    ledger_log *log = NULL;
    ledger_buf note = LEDGER_BUF_INIT;
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 0 || a.bad) {
        rc = cli_usage(c, "usage: attrledger checkpoint -C DIR [--size N] [--with-cosignatures] "
                          "(N >= 1)");
        goto done;
    }
    if (a.url != NULL || a.vkey != NULL) {
        ledger_client_options co = LEDGER_CLIENT_OPTIONS_INIT;
        ledger_vkey vk;

        if (a.url == NULL || a.vkey == NULL || a.size != 0) {
            rc = cli_usage(c, "usage: attrledger checkpoint --url URL --vkey LOG.vkey "
                              "(the latest, verified; no --size)");
            goto done;
        }
        if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
            goto done;
        co.log_key = &vk;
        if ((rc = ledger_client_checkpoint(&note, NULL, a.url, &co)) < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
        goto print;
    }
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    rc = a.cosigned ? ledger_log_checkpoint_cosigned(&note, log, a.size)
                    : ledger_log_checkpoint(&note, log, a.size);
    if (rc < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
print:
    if (c->json) {
        printf("{\"checkpoint\":");
        cli_json_str(stdout, (const char *)note.data);
        printf("}\n");
    } else {
        fwrite(note.data, 1, note.len, stdout);
    }
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&note);
    ledger_log_free(log);
    free(pos);
    return rc;
}
