/*
 * cmd_mirror.c - attrledger mirror (follow a remote log's tiles into a
 * local, verified ledger directory) and attrledger verify-fork (check a
 * fork report).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

#define MAX_FOLLOW 86400u

enum { O_URL = 1, O_VKEY, O_FOLLOW, O_REPORT, O_TIMEOUT, O_RUNS, O_KEY };

static const cli_opt opts[] = {
    {"url", 0, 1, O_URL},         {"vkey", 0, 1, O_VKEY},
    {"follow", 0, 1, O_FOLLOW},   {"fork-report", 0, 1, O_REPORT},
    {"timeout", 0, 1, O_TIMEOUT}, {"runs", 0, 1, O_RUNS},
    {"key", 0, 1, O_KEY},         {NULL, 0, 0, 0},
};

typedef struct {
    const char *url, *vkey, *follow, *report, *timeout, *runs, *key;
} mirror_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    mirror_args *a = ctx;

    switch (id) {
    case O_URL:
        a->url = arg;
        break;
    case O_VKEY:
        a->vkey = arg;
        break;
    case O_FOLLOW:
        a->follow = arg;
        break;
    case O_REPORT:
        a->report = arg;
        break;
    case O_TIMEOUT:
        a->timeout = arg;
        break;
    case O_RUNS:
        a->runs = arg;
        break;
    case O_KEY:
        a->key = arg;
        break;
    default:
        break;
    }
    return 0;
}

/* Progress on a terminal: "\r<done>/<total> entries". */
static void
progress(void *payload, uint64_t done, uint64_t total)
{
    (void)payload;
    fprintf(stderr, "\rattrledger: mirror: %llu/%llu entries", (unsigned long long)done,
            (unsigned long long)total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static void
root_b64(char out[45], const ledger_checkpoint *cp)
{
    cli_b64(out, cp->root, LEDGER_HASH_SIZE);
}

static void
print_run(const cli *c, const char *dir, const ledger_mirror_report *r)
{
    char root[45];

    root_b64(root, &r->remote);
    if (c->json) {
        printf("{\"origin\":");
        cli_json_str(stdout, r->remote.origin);
        printf(",\"old_size\":%llu,\"size\":%llu,\"root\":\"%s\",\"appended\":%llu,"
               "\"bundles\":%llu,\"created\":%s}\n",
               (unsigned long long)r->held.size, (unsigned long long)r->remote.size, root,
               (unsigned long long)r->appended, (unsigned long long)r->bundles,
               r->created ? "true" : "false");
    } else if (r->appended == 0) {
        printf("mirror %s of %s: up to date at size %llu\n", dir, r->remote.origin,
               (unsigned long long)r->remote.size);
    } else {
        printf("mirror %s of %s: size %llu -> %llu (%llu entries verified and appended, %llu "
               "bundles read)\n",
               dir, r->remote.origin, (unsigned long long)r->held.size,
               (unsigned long long)r->remote.size, (unsigned long long)r->appended,
               (unsigned long long)r->bundles);
    }
    fflush(stdout);
}

/* A refused run: name both checkpoints; keep the fork report. */
static int
refused(const cli *c, const char *dir, const mirror_args *a, ledger_mirror_report *r, int rc)
{
    char held[45], remote[45], *path = NULL;
    const char *report = a->report;
    int code;

    if (!r->fork && rc != LEDGER_EPROOF)
        return cli_fail(c, rc);
    root_b64(held, &r->held);
    root_b64(remote, &r->remote);
    if (!r->fork)
        return cli_error(c, EXIT_NEGATIVE,
                         "%s (mirror holds size %llu root %s; remote signed size %llu root %s); "
                         "the mirror is unchanged",
                         ledger_error_last()->message, (unsigned long long)r->held.size, held,
                         (unsigned long long)r->remote.size, remote);
    if (report == NULL) {
        size_t n = strlen(dir) + 16;
        if ((path = malloc(n)) == NULL)
            return cli_error(c, EXIT_OPERATIONAL, "out of memory");
        snprintf(path, n, "%s.fork-report", dir);
        report = path;
    }
    code = cli_write_file(c, report, r->fork_report.data, r->fork_report.len);
    if (code == 0)
        code = cli_error(c, EXIT_NEGATIVE,
                         "FORK: %s signed two conflicting trees: size %llu root %s (held by the "
                         "mirror) and size %llu root %s (served now); the mirror is unchanged; "
                         "fork report in %s (check it with attrledger verify-fork)",
                         r->remote.origin, (unsigned long long)r->held.size, held,
                         (unsigned long long)r->remote.size, remote, report);
    free(path);
    return code;
}

static int
ensure_dir(const cli *c, const char *dir)
{
    struct stat st;

    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : cli_usage(c, "%s is not a directory", dir);
    if (mkdir(dir, 0755) != 0)
        return cli_error(c, EXIT_OPERATIONAL, "cannot create %s: %s", dir, strerror(errno));
    return 0;
}

static int
save_vkey(const cli *c, const char *dir, const ledger_vkey *vk)
{
    char path[4096];

    if (cli_path(c, path, sizeof path, dir, "log.vkey") != 0)
        return EXIT_USAGE;
    if (ledger_vkey_save(vk, path, LEDGER_KEY_FORCE) < 0)
        return cli_fail_code(c, EXIT_OPERATIONAL);
    return 0;
}

int
cmd_mirror(cli *c, int argc, char **argv)
{
    mirror_args a = {0};
    ledger_mirror_options mo = LEDGER_MIRROR_OPTIONS_INIT;
    ledger_mirror_report rep;
    ledger_vkey vk;
    cli_tiles src = {0};
    ledger_key *cosigner = NULL;
    char **pos = NULL;
    uint64_t follow = 0, runs = 0;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.url == NULL || a.vkey == NULL || npos != 1) {
        rc = cli_usage(c, "usage: attrledger mirror --url URL|DIR --vkey LOG.vkey DIR "
                          "[--follow SECONDS] [--fork-report FILE] [--timeout S] [--key KEY]");
        goto done;
    }
    if (a.follow != NULL &&
        (cli_parse_u64(a.follow, &follow) < 0 || follow < 1 || follow > MAX_FOLLOW)) {
        rc = cli_usage(c, "--follow takes 1 to %u seconds", MAX_FOLLOW);
        goto done;
    }
    if (a.runs != NULL && (a.follow == NULL || cli_parse_u64(a.runs, &runs) < 0 || runs < 1)) {
        rc = cli_usage(c, "--runs N (N >= 1) limits --follow to N runs");
        goto done;
    }
    if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
        goto done;
    if (vk.type != LEDGER_SIGTYPE_ED25519) {
        rc = cli_usage(c, "%s is not a log key (Ed25519)", a.vkey);
        goto done;
    }
    if (a.key != NULL && (rc = cli_load_key(c, a.key, c->passphrase_file, &cosigner)) != 0)
        goto done;
    if ((rc = cli_tiles_open(c, &src, a.url, a.timeout, "--url")) != 0 ||
        (rc = ensure_dir(c, pos[0])) != 0)
        goto done;
    mo.log_key = &vk;
    mo.source = a.url;
    if (isatty(2) && !c->quiet && !c->json)
        mo.progress = progress;
    for (uint64_t run = 1;; run++) {
        rc = ledger_mirror_sync(&rep, pos[0], src.fetch, src.payload, &mo);
        if (rc == 0 && rep.created)
            rc = save_vkey(c, pos[0], &vk) == 0 ? 0 : LEDGER_EIO;
        if (rc == 0 && cosigner != NULL && (rep.appended > 0 || rep.created || run == 1) &&
            ledger_mirror_cosign(NULL, pos[0], cosigner, 0) < 0)
            rc = ledger_error_last()->code;
        if (rc == 0) {
            print_run(c, pos[0], &rep);
            if (cosigner != NULL)
                cli_info(c, "cosigned size %llu as %s", (unsigned long long)rep.remote.size,
                         ledger_key_name(cosigner));
        } else if (follow > 0 && (rc == LEDGER_EIO || rc == LEDGER_ENOTFOUND ||
                                  rc == LEDGER_ECORRUPT || rc == LEDGER_EBUSY)) {
            /* The remote is unreachable or mid-update: try again later. */
            cli_fail(c, rc);
        } else {
            rc = refused(c, pos[0], &a, &rep, rc);
            ledger_mirror_report_dispose(&rep);
            goto done;
        }
        ledger_mirror_report_dispose(&rep);
        if (follow == 0 || (runs > 0 && run >= runs))
            break;
        sleep((unsigned)follow);
    }
    rc = EXIT_OK;
done:
    ledger_key_free(cosigner);
    cli_tiles_close(&src);
    free(pos);
    return rc;
}

int
cmd_verify_fork(cli *c, int argc, char **argv)
{
    static const cli_opt fopts[] = {{"vkey", 0, 1, O_VKEY}, {NULL, 0, 0, 0}};
    mirror_args a = {0};
    ledger_fork_info fi;
    ledger_vkey vk;
    char **pos = NULL, ra[45], rb[45];
    uint8_t *data = NULL;
    size_t len = 0;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, fopts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.vkey == NULL || npos != 1) {
        rc = cli_usage(c, "usage: attrledger verify-fork REPORT --vkey LOG.vkey");
        goto done;
    }
    if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
        goto done;
    if ((rc = cli_read_file(c, pos[0], LEDGER_FORK_REPORT_MAX, &data, &len)) != 0)
        goto done;
    if ((rc = ledger_fork_verify(&fi, data, len, &vk)) < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    root_b64(ra, &fi.held);
    root_b64(rb, &fi.other);
    if (c->json) {
        printf("{\"fork\":true,\"origin\":");
        cli_json_str(stdout, fi.held.origin);
        printf(",\"held\":{\"size\":%llu,\"root\":\"%s\"},\"other\":{\"size\":%llu,"
               "\"root\":\"%s\"}}\n",
               (unsigned long long)fi.held.size, ra, (unsigned long long)fi.other.size, rb);
    } else {
        printf("fork proven: %s signed size %llu root %s and size %llu root %s, which cannot "
               "both be true\n",
               fi.held.origin, (unsigned long long)fi.held.size, ra,
               (unsigned long long)fi.other.size, rb);
    }
    rc = EXIT_OK;
done:
    free(data);
    free(pos);
    return rc;
}
