/*
 * cmd_prove.c - attrledger prove inclusion / consistency.
 *
 * Proofs come from the stored hashes (O(log n) reads) and are verified
 * before printing, so a damaged store cannot produce a proof that fails
 * for the person who receives it. With --url the proof is read from a
 * serving log and printed only once verified against the pinned
 * --vkey (the same output).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int cli_resolve_entry(const cli *c, ledger_log *log, const char *arg, uint64_t *index);

enum { O_SIZE = 1, O_RECEIPT, O_COSIGNED, O_URL, O_VKEY };

static const cli_opt opts[] = {
    {"size", 0, 1, O_SIZE},
    {"receipt", 0, 0, O_RECEIPT},
    {"with-cosignatures", 0, 0, O_COSIGNED},
    {"url", 0, 1, O_URL},
    {"vkey", 0, 1, O_VKEY},
    {NULL, 0, 0, 0},
};

typedef struct {
    uint64_t size;
    int bad;
    int receipt;
    int cosigned;
    const char *url, *vkey;
} prove_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    prove_args *a = ctx;

    if (id == O_SIZE && cli_parse_u64(arg, &a->size) != 0)
        a->bad = 1;
    if (id == O_RECEIPT)
        a->receipt = 1;
    if (id == O_COSIGNED)
        a->cosigned = a->receipt = 1;
    if (id == O_URL)
        a->url = arg;
    if (id == O_VKEY)
        a->vkey = arg;
    return 0;
}

static void
print_hashes(const uint8_t (*h)[LEDGER_HASH_SIZE], size_t n)
{
    char b[LEDGER_B64_LEN(32) + 1];

    for (size_t i = 0; i < n; i++) {
        cli_b64(b, h[i], 32);
        printf("%s\n", b);
    }
}

static int
print_inclusion(cli *c, const ledger_inclusion_proof *p)
{
    ledger_buf json = LEDGER_BUF_INIT;
    char b[LEDGER_B64_LEN(32) + 1];
    int rc;

    if (c->json) {
        if ((rc = ledger_inclusion_proof_to_json(&json, p)) < 0)
            return cli_fail(c, rc);
        cli_json_print(json.data, json.len);
        ledger_buf_dispose(&json);
        return EXIT_OK;
    }
    printf("leaf_index %llu\ntree_size %llu\n", (unsigned long long)p->leaf_index,
           (unsigned long long)p->tree_size);
    cli_b64(b, p->leaf_hash, 32);
    printf("leaf_hash %s\n", b);
    cli_b64(b, p->root, 32);
    printf("root %s\n", b);
    print_hashes((const uint8_t(*)[32])p->hashes, p->n_hashes);
    return EXIT_OK;
}

static int
print_consistency(cli *c, const ledger_consistency_proof *p)
{
    ledger_buf json = LEDGER_BUF_INIT;
    char b[LEDGER_B64_LEN(32) + 1];
    int rc;

    if (c->json) {
        if ((rc = ledger_consistency_proof_to_json(&json, p)) < 0)
            return cli_fail(c, rc);
        cli_json_print(json.data, json.len);
        ledger_buf_dispose(&json);
        return EXIT_OK;
    }
    printf("old_size %llu\nnew_size %llu\n", (unsigned long long)p->old_size,
           (unsigned long long)p->new_size);
    cli_b64(b, p->old_root, 32);
    printf("old_root %s\n", b);
    cli_b64(b, p->new_root, 32);
    printf("new_root %s\n", b);
    print_hashes((const uint8_t(*)[32])p->hashes, p->n_hashes);
    return EXIT_OK;
}

static int
prove_inclusion(cli *c, ledger_log *log, const char *arg, uint64_t size)
{
    ledger_inclusion_proof p;
    uint64_t index;
    int rc;

    if ((rc = cli_resolve_entry(c, log, arg, &index)) != 0)
        return rc;
    if ((rc = ledger_log_prove_inclusion(&p, log, index, size)) < 0)
        return cli_fail(c, rc);
    if ((rc = ledger_proof_verify_inclusion(&p)) < 0)
        return cli_error(c, EXIT_OPERATIONAL, "the store produced a bad proof: %s",
                         ledger_error_last()->message);
    return print_inclusion(c, &p);
}

/* A tlog-proof receipt (optionally with stored cosignatures). */
static int
prove_receipt(cli *c, ledger_log *log, const char *arg, const prove_args *a)
{
    ledger_buf r = LEDGER_BUF_INIT;
    uint64_t index;
    int rc;

    if ((rc = cli_resolve_entry(c, log, arg, &index)) != 0)
        return rc;
    if ((rc = ledger_log_receipt(&r, log, index, a->size, a->cosigned)) < 0)
        return cli_fail(c, rc);
    if (c->json) {
        printf("{\"index\":%llu,\"receipt\":", (unsigned long long)index);
        cli_json_str(stdout, (const char *)r.data);
        printf("}\n");
    } else {
        fwrite(r.data, 1, r.len, stdout);
    }
    ledger_buf_dispose(&r);
    return EXIT_OK;
}

static int
prove_consistency(cli *c, ledger_log *log, char **pos, int npos)
{
    ledger_consistency_proof p;
    uint64_t old_size, new_size = 0;
    int rc;

    if (cli_parse_u64(pos[0], &old_size) != 0 ||
        (npos == 2 && cli_parse_u64(pos[1], &new_size) != 0))
        return cli_usage(c, "OLD and NEW must be tree sizes (non-negative integers)");
    if (npos == 2 && new_size == 0)
        return cli_usage(c, "NEW must be at least 1");
    if ((rc = ledger_log_prove_consistency(&p, log, old_size, new_size)) < 0)
        return cli_fail(c, rc);
    if ((rc = ledger_proof_verify_consistency(&p)) < 0)
        return cli_error(c, EXIT_OPERATIONAL, "the store produced a bad proof: %s",
                         ledger_error_last()->message);
    return print_consistency(c, &p);
}

/* prove inclusion|consistency --url URL --vkey LOG.vkey: the proof read
 * from a serving log, verified and tied to its signed checkpoint
 * (ledger_client_prove_*). A proof that fails is exit 1. */
static int
prove_remote(cli *c, const prove_args *a, char **pos, int npos)
{
    ledger_client_options co = LEDGER_CLIENT_OPTIONS_INIT;
    ledger_inclusion_proof ip;
    ledger_consistency_proof cp;
    ledger_vkey vk;
    uint64_t x = 0, y = 0;
    int rc, incl = strcmp(pos[0], "inclusion") == 0;

    if ((rc = cli_load_vkey(c, a->vkey, &vk)) != 0)
        return rc;
    co.log_key = &vk;
    if (incl && cli_parse_u64(pos[1], &x) != 0) {
        /* A record_id: its index from the entry (its receipt verified). */
        ledger_buf leaf = LEDGER_BUF_INIT;
        ledger_entry_info info;

        if ((rc = ledger_client_entry(&leaf, NULL, a->url, pos[1], &co)) < 0)
            return cli_fail(c, rc);
        rc = ledger_entry_info_get(&info, leaf.data, leaf.len);
        ledger_buf_dispose(&leaf);
        if (rc < 0)
            return cli_fail(c, rc);
        x = info.index;
    }
    if (!incl && (cli_parse_u64(pos[1], &x) != 0 || (npos == 3 && cli_parse_u64(pos[2], &y) != 0) ||
                  (npos == 3 && y == 0)))
        return cli_usage(c, "OLD and NEW must be tree sizes (NEW at least 1)");
    rc = incl ? ledger_client_prove_inclusion(&ip, NULL, a->url, x, a->size, &co)
              : ledger_client_prove_consistency(&cp, NULL, a->url, x, y, &co);
    if (rc == LEDGER_EINVAL)
        return cli_usage(c, "%s", ledger_error_last()->message);
    if (rc < 0)
        return cli_fail(c, rc);
    return incl ? print_inclusion(c, &ip) : print_consistency(c, &cp);
}

int
cmd_prove(cli *c, int argc, char **argv)
{
    prove_args a = {0};
    ledger_log *log = NULL;
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.bad) {
        rc = cli_usage(c, "--size must be a tree size");
        goto done;
    }
    if (a.url != NULL || a.vkey != NULL) {
        if (a.url == NULL || a.vkey == NULL || a.receipt ||
            !((npos == 2 && strcmp(pos[0], "inclusion") == 0) ||
              ((npos == 2 || npos == 3) && strcmp(pos[0], "consistency") == 0 && a.size == 0)))
            rc = cli_usage(c, "usage: attrledger prove inclusion --url URL --vkey LOG.vkey "
                              "INDEX|RECORD_ID [--size N] | prove consistency --url URL --vkey "
                              "LOG.vkey OLD [NEW]");
        else
            rc = prove_remote(c, &a, pos, npos);
    } else if (npos == 2 && strcmp(pos[0], "inclusion") == 0) {
        if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) == 0)
            rc = a.receipt ? prove_receipt(c, log, pos[1], &a)
                           : prove_inclusion(c, log, pos[1], a.size);
    } else if ((npos == 2 || npos == 3) && strcmp(pos[0], "consistency") == 0 && !a.receipt) {
        if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) == 0)
            rc = prove_consistency(c, log, pos + 1, npos - 1);
    } else {
        rc = cli_usage(c, "usage: attrledger prove inclusion -C DIR INDEX|RECORD_ID [--size N] "
                          "[--receipt [--with-cosignatures]] | prove consistency -C DIR OLD [NEW]");
    }
done:
    ledger_log_free(log);
    free(pos);
    return rc;
}
