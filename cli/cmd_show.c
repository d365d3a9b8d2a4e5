/*
 * cmd_show.c - attrledger show (one entry) and attrledger log (listing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { O_LEAFOUT = 1, O_TYPE, O_AUTHOR, O_FROM, O_URL, O_VKEY };

/* INDEX (all digits) or RECORD_ID -> entry index. */
int cli_resolve_entry(const cli *c, ledger_log *log, const char *arg, uint64_t *index);

int
cli_resolve_entry(const cli *c, ledger_log *log, const char *arg, uint64_t *index)
{
    if (cli_parse_u64(arg, index) == 0)
        return 0;
    int rc = ledger_log_lookup(index, log, arg);

    /* No such record is an answer (exit 1); 3 is kept for I/O and damage. */
    if (rc < 0)
        return cli_fail_job(c, rc, CLI_FIND);
    return 0;
}

static const cli_opt show_opts[] = {
    {"leaf-out", 0, 1, O_LEAFOUT},
    {"url", 0, 1, O_URL},
    {"vkey", 0, 1, O_VKEY},
    {NULL, 0, 0, 0},
};

typedef struct {
    const char *leaf_out, *url, *vkey;
} show_args;

static int
on_show(void *ctx, int id, const char *arg)
{
    show_args *a = ctx;

    if (id == O_LEAFOUT)
        a->leaf_out = arg;
    if (id == O_URL)
        a->url = arg;
    if (id == O_VKEY)
        a->vkey = arg;
    return 0;
}

static void
print_entry_text(const ledger_entry_info *info, const uint8_t *leaf, size_t len)
{
    char t[32], h[LEDGER_B64_LEN(32) + 1];
    ledger_buf json = LEDGER_BUF_INIT;

    cli_time(t, info->integrated_time);
    printf("entry       %llu\n", (unsigned long long)info->index);
    printf("time        %s\n", t);
    printf("type        %s\n", info->type);
    printf("record_id   %s\n", info->record_id);
    printf("author      %s\n", info->author);
    if (info->supersedes[0])
        printf("supersedes  %s\n", info->supersedes);
    cli_b64(h, info->leaf_hash, 32);
    printf("leaf hash   %s\n", h);
    cli_b64(h, info->record_digest, 32);
    printf("digest      %s\n", h);
    printf("signatures  %zu\n", info->n_signatures);
    if (ledger_entry_to_json(&json, leaf, len, 1) == 0) {
        printf("\n%s", (const char *)json.data);
        ledger_buf_dispose(&json);
    }
}

int
cmd_show(cli *c, int argc, char **argv)
{
    show_args a = {0};
    const char *leaf_out;
    ledger_log *log = NULL;
    ledger_buf leaf = LEDGER_BUF_INIT, json = LEDGER_BUF_INIT;
    ledger_entry_info info;
    char **pos = NULL;
    uint64_t index;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, show_opts, on_show, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    leaf_out = a.leaf_out;
    if (npos != 1 || (a.url == NULL) != (a.vkey == NULL)) {
        rc = cli_usage(c, "usage: attrledger show (-C DIR | --url URL --vkey LOG.vkey) "
                          "INDEX|RECORD_ID [--json]");
        goto done;
    }
    if (a.url != NULL) {
        /* Fetched with its receipt, which is verified with the pinned key. */
        ledger_client_options co = LEDGER_CLIENT_OPTIONS_INIT;
        ledger_vkey vk;

        if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
            goto done;
        co.log_key = &vk;
        if ((rc = ledger_client_entry(&leaf, NULL, a.url, pos[0], &co)) < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
    } else if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0 ||
               (rc = cli_resolve_entry(c, log, pos[0], &index)) != 0) {
        goto done;
    } else if ((rc = ledger_log_entry(&leaf, log, index)) < 0) {
        rc = cli_fail_job(c, rc, CLI_FIND);
        goto done;
    }
    if ((rc = ledger_entry_info_get(&info, leaf.data, leaf.len)) < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
    if (leaf_out != NULL && (rc = cli_write_file(c, leaf_out, leaf.data, leaf.len)) != 0)
        goto done;
    if (c->json) {
        if ((rc = ledger_entry_to_json(&json, leaf.data, leaf.len, 1)) < 0) {
            rc = cli_fail_code(c, EXIT_OPERATIONAL);
            goto done;
        }
        cli_json_print(json.data, json.len);
    } else {
        print_entry_text(&info, leaf.data, leaf.len);
    }
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&leaf);
    ledger_buf_dispose(&json);
    ledger_log_free(log);
    free(pos);
    return rc;
}

/* ---- log ---- */

typedef struct {
    const cli *c;
    const char *type;
    const char *author;
    uint64_t from;
    int bad_from;
    uint64_t shown;
} log_args;

static const cli_opt log_opts[] = {
    {"type", 't', 1, O_TYPE},
    {"author", 'a', 1, O_AUTHOR},
    {"from", 0, 1, O_FROM},
    {NULL, 0, 0, 0},
};

static int
on_log(void *ctx, int id, const char *arg)
{
    log_args *a = ctx;

    if (id == O_TYPE)
        a->type = arg;
    else if (id == O_AUTHOR)
        a->author = arg;
    else if (id == O_FROM && cli_parse_u64(arg, &a->from) != 0)
        a->bad_from = 1;
    return 0;
}

static int
log_entry(void *p, uint64_t index, const uint8_t *leaf, size_t len)
{
    log_args *a = p;
    ledger_entry_info info;
    char t[32], h[LEDGER_B64_LEN(32) + 1];
    int rc;

    if ((rc = ledger_entry_info_get(&info, leaf, len)) < 0) {
        fprintf(stderr, "attrledger: log: entry %llu: %s\n", (unsigned long long)index,
                ledger_error_last()->message);
        return rc;
    }
    if ((a->type && strcmp(a->type, info.type) != 0) ||
        (a->author && strcmp(a->author, info.author) != 0))
        return 0;
    a->shown++;
    cli_time(t, info.integrated_time);
    if (a->c->json) {
        cli_b64(h, info.leaf_hash, 32);
        printf("{\"index\":%llu,\"integrated_time\":%llu,\"type\":\"%s\",\"record_id\":",
               (unsigned long long)info.index, (unsigned long long)info.integrated_time, info.type);
        cli_json_str(stdout, info.record_id);
        printf(",\"author\":");
        cli_json_str(stdout, info.author);
        printf(",\"supersedes\":");
        cli_json_str(stdout, info.supersedes);
        printf(",\"leaf_hash\":\"%s\"}\n", h);
    } else {
        printf("%-6llu %s  %-17s %-32s %s\n", (unsigned long long)info.index, t, info.type,
               info.record_id, info.author);
    }
    return 0;
}

static int
known_type(const char *t)
{
    static const char *const types[] = {
        "ledger_policy",   "participant", "key_revocation",    "actor",
        "incident_report", "evidence",    "attribution_claim", "opinion",
        "retraction",      "finding",     "panel_vote",        "instrument",
        "norm",            "commitment",  NULL,
    };
    for (int i = 0; types[i]; i++)
        if (strcmp(types[i], t) == 0)
            return 1;
    return 0;
}

int
cmd_log(cli *c, int argc, char **argv)
{
    log_args a = {0};
    ledger_log *log = NULL;
    char **pos = NULL;
    int npos = 0, rc;

    a.c = c;
    if ((rc = cli_parse(c, argc, argv, log_opts, on_log, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 0 || a.bad_from) {
        rc = cli_usage(c, "usage: attrledger log -C DIR [--type T] [--author ID] [--from N]");
        goto done;
    }
    if (a.type != NULL && !known_type(a.type)) {
        rc = cli_usage(c, "unknown record type \"%s\" (e.g. attribution_claim, incident_report)",
                       a.type);
        goto done;
    }
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    if ((rc = ledger_log_scan(log, a.from, log_entry, &a)) < 0) {
        rc = EXIT_OPERATIONAL;
        goto done;
    }
    rc = EXIT_OK;
done:
    ledger_log_free(log);
    free(pos);
    return rc;
}
