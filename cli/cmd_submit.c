/*
 * cmd_submit.c - attrledger submit: append a batch of records.
 *
 * Every file is parsed (and signed with --key) before the ledger is
 * touched; the library then appends the whole batch in one transaction or
 * nothing. A bad file is reported with its name and nothing is written,
 * and so is an --out-dir that cannot take the receipts. A record already
 * in the log gets the receipt its first submission printed (submit.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { O_KEY = 1, O_OUTDIR, O_LOGPASS, O_URL, O_VKEY };

static const cli_opt opts[] = {
    {"key", 'k', 1, O_KEY}, {"out-dir", 0, 1, O_OUTDIR}, {"log-passphrase-file", 0, 1, O_LOGPASS},
    {"url", 0, 1, O_URL},   {"vkey", 0, 1, O_VKEY},      {NULL, 0, 0, 0},
};

#define MAX_INPUT (4u << 20)
#define MAX_BATCH 100000

typedef struct {
    const char *key;
    const char *out_dir;
    const char *log_pass;
    const char *url;
    const char *vkey;
} submit_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    submit_args *a = ctx;

    if (id == O_KEY)
        a->key = arg;
    else if (id == O_OUTDIR)
        a->out_dir = arg;
    else if (id == O_LOGPASS)
        a->log_pass = arg;
    else if (id == O_URL)
        a->url = arg;
    else if (id == O_VKEY)
        a->vkey = arg;
    return 0;
}

/* --out-dir must be a directory we can create files in, checked before
 * the batch is committed: afterwards a failure would lose the receipts of
 * a batch that is in the log (a resubmission prints them again). */
static int
check_out_dir(const cli *c, const char *dir)
{
    char probe[4096];
    int fd, rc;

    /* The longest name a receipt can have must fit too. */
    if ((rc = cli_path(c, probe, sizeof probe, dir, "entry-%llu.tlog-proof", ~0ull)) != 0 ||
        (rc = cli_path(c, probe, sizeof probe, dir, ".attrledger-probe-XXXXXX")) != 0)
        return rc;
    if ((fd = mkstemp(probe)) < 0)
        return cli_error(c, EXIT_OPERATIONAL, "--out-dir %s: %s", dir, strerror(errno));
    close(fd);
    unlink(probe);
    return 0;
}

static int
write_outputs(const cli *c, const char *dir, const ledger_receipt *r)
{
    char path[4096];
    int rc;

    if ((rc = cli_path(c, path, sizeof path, dir, "entry-%llu.tlog-proof",
                       (unsigned long long)r->index)) != 0 ||
        (rc = cli_write_file(c, path, r->receipt.data, r->receipt.len)) != 0 ||
        (rc = cli_path(c, path, sizeof path, dir, "entry-%llu.leaf",
                       (unsigned long long)r->index)) != 0)
        return rc;
    return cli_write_file(c, path, r->leaf.data, r->leaf.len);
}

int
cmd_submit(cli *c, int argc, char **argv)
{
    submit_args a = {0};
    ledger_envelope **envs = NULL;
    ledger_receipt *rcpts = NULL;
    ledger_key *member = NULL, *logkey = NULL;
    ledger_log *log = NULL;
    ledger_buf json = LEDGER_BUF_INIT;
    char **pos = NULL, key_path[4096];
    int npos = 0, rc, n_new = 0;
    cli_progress progress = {0};

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos == 0) {
        rc = cli_usage(c, "usage: attrledger submit -C DIR FILE... [--key KEY]");
        goto done;
    }
    if (npos > MAX_BATCH) {
        rc = cli_usage(c, "at most %d files per batch", MAX_BATCH);
        goto done;
    }
    if ((a.url == NULL) != (a.vkey == NULL)) {
        rc = cli_usage(c, "--url and --vkey go together (the log key pins what the server signs)");
        goto done;
    }
    if (a.url == NULL && (rc = cli_need_dir(c)) != 0)
        goto done;
    /* Receipts are written after the batch is in: make their place first,
     * and make sure files can be created in it. */
    if (a.out_dir != NULL && mkdir(a.out_dir, 0755) != 0 && errno != EEXIST) {
        rc = cli_error(c, EXIT_OPERATIONAL, "--out-dir %s: %s", a.out_dir, strerror(errno));
        goto done;
    }
    if (a.out_dir != NULL && (rc = check_out_dir(c, a.out_dir)) != 0)
        goto done;
    envs = calloc((size_t)npos, sizeof *envs);
    rcpts = calloc((size_t)npos, sizeof *rcpts);
    if (envs == NULL || rcpts == NULL) {
        rc = cli_error(c, EXIT_OPERATIONAL, "out of memory");
        goto done;
    }
    if (a.key != NULL && (rc = cli_load_key(c, a.key, c->passphrase_file, &member)) != 0)
        goto done;
    cli_progress_start(&progress, c, "submit: reading", "records");
    for (int i = 0; i < npos; i++) {
        uint8_t *text = NULL;
        size_t len = 0;

        if ((rc = cli_read_record(c, pos[i], MAX_INPUT, &text, &len)) != 0)
            goto done;
        rc = ledger_envelope_parse(&envs[i], (const char *)text, len);
        free(text);
        if (rc < 0) {
            /* A malformed file is bad input (2); out of memory is not. */
            rc = cli_error(c, cli_exit_code(rc, CLI_PARSE), "%s: %s", pos[i],
                           ledger_error_last()->message);
            goto done;
        }
        if (member != NULL) {
            rc = ledger_envelope_sign(envs[i], member);
            if (rc < 0 && rc != LEDGER_EEXISTS) {
                rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", pos[i], ledger_error_last()->message);
                goto done;
            }
        }
        if (ledger_envelope_signature_count(envs[i]) == 0) {
            rc = cli_usage(c, "%s: record is not signed (sign it first, or use --key KEY)", pos[i]);
            goto done;
        }
        cli_progress_at(&progress, (uint64_t)i + 1, (uint64_t)npos);
    }
    cli_progress_end(&progress);
    if (a.url != NULL) {
        ledger_client_options co = LEDGER_CLIENT_OPTIONS_INIT;
        ledger_vkey vk;

        if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
            goto done;
        co.log_key = &vk;
        if ((rc = ledger_client_submit(rcpts, a.url, envs, (size_t)npos, &co)) < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
        goto print;
    }
    if ((rc = cli_open_ledger(c, 0, &log)) != 0)
        goto done;
    {
        ledger_log_info info;

        if (ledger_log_info_get(&info, log) == 0 && info.mirror) {
            rc = cli_error(c, EXIT_USAGE,
                           "%s is a mirror of %s: it takes entries only from `attrledger "
                           "mirror`; submit to the log itself",
                           c->dir, info.origin);
            goto done;
        }
    }
    if ((rc = cli_path(c, key_path, sizeof key_path, c->dir, "log.key")) != 0 ||
        (rc = cli_load_key(c, key_path, a.log_pass != NULL ? a.log_pass : c->passphrase_file,
                           &logkey)) != 0)
        goto done;
    if ((rc = ledger_log_set_signer(log, logkey)) < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
    if ((rc = ledger_log_submit(rcpts, log, envs, (size_t)npos)) < 0) {
        /* A record_id already used by another record is a rule refusal
         * (exit 1), like every LEDGER_EPOLICY (README, "Exit codes"). */
        rc = cli_fail(c, rc == LEDGER_EEXISTS ? LEDGER_EPOLICY : rc);
        goto done;
    }
print:
    for (int i = 0; i < npos; i++) {
        n_new += !rcpts[i].existed;
        if (a.out_dir != NULL && (rc = write_outputs(c, a.out_dir, &rcpts[i])) != 0)
            goto done;
    }
    if (c->json) {
        if ((rc = ledger_receipts_to_json(&json, rcpts, (size_t)npos)) < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
        cli_json_print(json.data, json.len);
    } else {
        for (int i = 0; i < npos; i++)
            fwrite(rcpts[i].receipt.data, 1, rcpts[i].receipt.len, stdout);
    }
    for (int i = 0; i < npos; i++)
        cli_info(c, "%s entry %llu: %s", rcpts[i].existed ? "existing" : "appended",
                 (unsigned long long)rcpts[i].index, rcpts[i].record_id);
    cli_info(c, "%d new, %d already present", n_new, npos - n_new);
    rc = EXIT_OK;
done:
    cli_progress_end(&progress);
    if (rcpts != NULL)
        ledger_receipts_dispose(rcpts, (size_t)npos);
    if (envs != NULL)
        for (int i = 0; i < npos; i++)
            ledger_envelope_free(envs[i]);
    free(envs);
    free(rcpts);
    ledger_buf_dispose(&json);
    ledger_log_free(log);
    ledger_key_free(member);
    ledger_key_free(logkey);
    free(pos);
    return rc;
}
