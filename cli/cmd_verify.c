/*
 * cmd_verify.c - attrledger verify (full audit) and verify-receipt
 * (offline check of one receipt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { O_CHECKPOINT = 1, O_VKEY, O_LEAF };

#define MAX_NOTE (1u << 20)

static const cli_opt opts[] = {
    {"checkpoint", 0, 1, O_CHECKPOINT},
    {"vkey", 0, 1, O_VKEY},
    {"leaf", 0, 1, O_LEAF},
    {NULL, 0, 0, 0},
};

typedef struct {
    const char *checkpoint;
    const char *vkey;
    const char *leaf;
} verify_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    verify_args *a = ctx;

    if (id == O_CHECKPOINT)
        a->checkpoint = arg;
    else if (id == O_VKEY)
        a->vkey = arg;
    else if (id == O_LEAF)
        a->leaf = arg;
    return 0;
}

int
cmd_verify(cli *c, int argc, char **argv)
{
    verify_args a = {0};
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_vkey vk;
    ledger_log *log = NULL;
    uint8_t *cp = NULL;
    size_t cp_len = 0;
    char **pos = NULL, vkey_path[4096], b[LEDGER_B64_LEN(32) + 1];
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 0 || a.leaf != NULL) {
        rc = cli_usage(c, "usage: attrledger verify -C DIR [--checkpoint FILE] [--vkey FILE]");
        goto done;
    }
    if ((rc = cli_need_dir(c)) != 0)
        goto done;
    if (a.vkey == NULL) {
        snprintf(vkey_path, sizeof vkey_path, "%s/log.vkey", c->dir);
        a.vkey = vkey_path;
    }
    if (ledger_vkey_load(&vk, a.vkey) < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
    if (a.checkpoint != NULL && (rc = cli_read_file(c, a.checkpoint, MAX_NOTE, &cp, &cp_len)) != 0)
        goto done;
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    o.log_key = &vk;
    o.checkpoint = cp;
    o.checkpoint_len = cp_len;
    rc = ledger_log_verify(&rep, log, &o);
    if (rc < 0) {
        /* Damage or forgery is a negative verdict; I/O and memory are not. */
        rc = cli_fail_code(c, (rc == LEDGER_EIO || rc == LEDGER_ENOMEM || rc == LEDGER_EBUSY)
                                  ? EXIT_OPERATIONAL
                                  : EXIT_NEGATIVE);
        goto done;
    }
    cli_b64(b, rep.root, 32);
    if (c->json)
        printf("{\"valid\": true, \"entries\": %llu, \"signatures\": %llu, \"checkpoints\": %llu, "
               "\"root\": \"%s\"}\n",
               (unsigned long long)rep.entries, (unsigned long long)rep.signatures,
               (unsigned long long)rep.checkpoints, b);
    else
        printf("ok: %llu entries, %llu signatures, %llu checkpoints verified; root %s\n",
               (unsigned long long)rep.entries, (unsigned long long)rep.signatures,
               (unsigned long long)rep.checkpoints, b);
    rc = EXIT_OK;
done:
    ledger_log_free(log);
    free(cp);
    free(pos);
    return rc;
}

int
cmd_verify_receipt(cli *c, int argc, char **argv)
{
    verify_args a = {0};
    ledger_receipt_info info;
    ledger_vkey vk;
    uint8_t *receipt = NULL, *leaf = NULL;
    size_t receipt_len = 0, leaf_len = 0;
    char **pos = NULL, b[LEDGER_B64_LEN(32) + 1];
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 1 || a.vkey == NULL || a.leaf == NULL || a.checkpoint != NULL) {
        rc = cli_usage(c, "usage: attrledger verify-receipt --vkey FILE RECEIPT --leaf LEAF_FILE");
        goto done;
    }
    if (ledger_vkey_load(&vk, a.vkey) < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
    if ((rc = cli_read_file(c, pos[0], MAX_NOTE, &receipt, &receipt_len)) != 0 ||
        (rc = cli_read_file(c, a.leaf, LEDGER_MAX_LEAF, &leaf, &leaf_len)) != 0)
        goto done;
    rc = ledger_receipt_verify(&info, receipt, receipt_len, leaf, leaf_len, &vk);
    if (rc < 0) {
        rc = cli_fail_code(c, (rc == LEDGER_ENOMEM || rc == LEDGER_EIO) ? EXIT_OPERATIONAL
                                                                        : EXIT_NEGATIVE);
        goto done;
    }
    cli_b64(b, info.checkpoint.root, 32);
    if (c->json) {
        printf("{\"valid\": true, \"index\": %llu, \"origin\": ", (unsigned long long)info.index);
        cli_json_str(stdout, info.checkpoint.origin);
        printf(", \"tree_size\": %llu, \"root\": \"%s\"}\n",
               (unsigned long long)info.checkpoint.size, b);
    } else {
        printf("ok: entry %llu is included in %s at tree size %llu (root %s)\n",
               (unsigned long long)info.index, info.checkpoint.origin,
               (unsigned long long)info.checkpoint.size, b);
    }
    rc = EXIT_OK;
done:
    free(receipt);
    free(leaf);
    free(pos);
    return rc;
}
