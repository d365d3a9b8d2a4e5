/*
 * cmd_verify.c - attrledger verify (full audit) and verify-receipt
 * (offline check of one receipt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { O_CHECKPOINT = 1, O_VKEY, O_LEAF, O_POLICY };

#define MAX_NOTE (1u << 20)

static const cli_opt opts[] = {
    {"checkpoint", 0, 1, O_CHECKPOINT}, {"vkey", 0, 1, O_VKEY}, {"leaf", 0, 1, O_LEAF},
    {"policy", 0, 1, O_POLICY},         {NULL, 0, 0, 0},
};

typedef struct {
    const char *checkpoint;
    const char *vkey;
    const char *leaf;
    const char *policy;
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
    else if (id == O_POLICY)
        a->policy = arg;
    return 0;
}

int
cmd_verify(cli *c, int argc, char **argv)
{
    verify_args a = {0};
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    cli_progress progress;
    ledger_vkey vk;
    ledger_log *log = NULL;
    uint8_t *cp = NULL;
    size_t cp_len = 0;
    char **pos = NULL, vkey_path[4096], b[LEDGER_B64_LEN(32) + 1];
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 0 || a.leaf != NULL || a.policy != NULL) {
        rc = cli_usage(c, "usage: attrledger verify -C DIR [--checkpoint FILE] [--vkey FILE]");
        goto done;
    }
    if ((rc = cli_need_dir(c)) != 0)
        goto done;
    if (a.vkey == NULL) {
        if ((rc = cli_path(c, vkey_path, sizeof vkey_path, c->dir, "log.vkey")) != 0)
            goto done;
        a.vkey = vkey_path;
    }
    if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
        goto done;
    if (a.checkpoint != NULL && (rc = cli_read_file(c, a.checkpoint, MAX_NOTE, &cp, &cp_len)) != 0)
        goto done;
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    o.log_key = &vk;
    o.checkpoint = cp;
    o.checkpoint_len = cp_len;
    cli_progress_start(&progress, c, "verify", "entries");
    ledger_log_set_progress(log, cli_progress_cb, &progress);
    rc = ledger_log_verify(&rep, log, &o);
    cli_progress_end(&progress);
    if (rc < 0) {
        /* Damage or forgery is a negative verdict; I/O and memory are not. */
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    cli_b64(b, rep.root, 32);
    if (c->json)
        printf("{\"valid\":true,\"entries\":%llu,\"signatures\":%llu,\"checkpoints\":%llu, "
               "\"root\":\"%s\"}\n",
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

/* verify-receipt --policy: log key, witnesses and quorum from a tlog-policy file. */
static int
verify_receipt_policy(cli *c, const verify_args *a, const uint8_t *receipt, size_t receipt_len,
                      const uint8_t *leaf, size_t leaf_len)
{
    ledger_tlog_policy *p = NULL;
    ledger_receipt_info info;
    ledger_policy_report rep;
    uint8_t *text = NULL;
    size_t len = 0;
    char b[LEDGER_B64_LEN(32) + 1];
    int rc;

    if ((rc = cli_read_file(c, a->policy, 64u << 10, &text, &len)) != 0)
        return rc;
    rc = ledger_tlog_policy_parse(&p, (const char *)text, len);
    free(text);
    if (rc < 0)
        return cli_fail_code(c, EXIT_OPERATIONAL);
    rc = ledger_receipt_verify_policy(&info, &rep, receipt, receipt_len, leaf, leaf_len, p);
    if (rc < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    cli_b64(b, info.checkpoint.root, 32);
    if (c->json) {
        printf("{\"valid\":true,\"index\":%llu,\"origin\":", (unsigned long long)info.index);
        cli_json_str(stdout, info.checkpoint.origin);
        printf(",\"tree_size\":%llu,\"root\":\"%s\",\"cosigned_by\":[",
               (unsigned long long)info.checkpoint.size, b);
        for (size_t i = 0, k = 0; i < ledger_tlog_policy_witnesses(p); i++) {
            if (!(rep.cosigned[i / 64] >> (i % 64) & 1))
                continue;
            printf("%s", k++ ? "," : "");
            cli_json_str(stdout, ledger_tlog_policy_witness(p, i)->name);
        }
        printf("]}\n");
    } else {
        printf("ok: entry %llu is included in %s at tree size %llu (root %s)\n",
               (unsigned long long)info.index, info.checkpoint.origin,
               (unsigned long long)info.checkpoint.size, b);
        printf("    witness quorum met: %zu of %zu policy witnesses cosigned", rep.n_cosigned,
               ledger_tlog_policy_witnesses(p));
        for (size_t i = 0, k = 0; i < ledger_tlog_policy_witnesses(p); i++)
            if (rep.cosigned[i / 64] >> (i % 64) & 1)
                printf("%s%s", k++ ? ", " : " (", ledger_tlog_policy_witness(p, i)->name);
        printf("%s\n", rep.n_cosigned ? ")" : "");
    }
    rc = EXIT_OK;
done:
    ledger_tlog_policy_free(p);
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
    if (npos != 1 || (a.vkey == NULL) == (a.policy == NULL) || a.leaf == NULL ||
        a.checkpoint != NULL) {
        rc = cli_usage(c, "usage: attrledger verify-receipt (--vkey FILE | --policy FILE) RECEIPT "
                          "--leaf LEAF_FILE");
        goto done;
    }
    if (a.vkey != NULL && (rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
        goto done;
    if ((rc = cli_read_file(c, pos[0], MAX_NOTE, &receipt, &receipt_len)) != 0 ||
        (rc = cli_read_file(c, a.leaf, LEDGER_MAX_LEAF, &leaf, &leaf_len)) != 0)
        goto done;
    if (a.policy != NULL) {
        rc = verify_receipt_policy(c, &a, receipt, receipt_len, leaf, leaf_len);
        goto done;
    }
    rc = ledger_receipt_verify(&info, receipt, receipt_len, leaf, leaf_len, &vk);
    if (rc < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    cli_b64(b, info.checkpoint.root, 32);
    if (c->json) {
        printf("{\"valid\":true,\"index\":%llu,\"origin\":", (unsigned long long)info.index);
        cli_json_str(stdout, info.checkpoint.origin);
        printf(",\"tree_size\":%llu,\"root\":\"%s\"}\n", (unsigned long long)info.checkpoint.size,
               b);
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
