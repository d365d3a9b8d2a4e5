/*
 * cmd_audit.c - attrledger audit: offline verification of an exported
 * audit trail (JSON Lines) or tiles tree, with only the log's verifier
 * key. No ledger directory is needed. A tiles tree is a directory or, when
 * the argument starts with http:// or https://, a URL prefix read with the
 * library's HTTP fetcher (http.h); any other "scheme://" is a usage error,
 * not a directory name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd.h"

enum { O_VKEY = 1, O_TILES, O_FROM, O_TIMEOUT };

#define MAX_NOTE (1u << 20)

static const cli_opt opts[] = {
    {"vkey", 0, 1, O_VKEY},       {"tiles", 0, 1, O_TILES}, {"from-checkpoint", 0, 1, O_FROM},
    {"timeout", 0, 1, O_TIMEOUT}, {NULL, 0, 0, 0},
};

typedef struct {
    const char *vkey;
    const char *tiles;
    const char *from;
    const char *timeout;
} audit_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    audit_args *a = ctx;

    if (id == O_VKEY)
        a->vkey = arg;
    else if (id == O_TILES)
        a->tiles = arg;
    else if (id == O_FROM)
        a->from = arg;
    else if (id == O_TIMEOUT)
        a->timeout = arg;
    return 0;
}

static void
print_report(const cli *c, const char *what, const ledger_audit_report *r)
{
    char root[LEDGER_B64_LEN(32) + 1];

    cli_b64(root, r->checkpoint.root, 32);
    if (c->json) {
        printf("{\"valid\":true,\"kind\":\"%s\",\"origin\":", what);
        cli_json_str(stdout, r->checkpoint.origin);
        printf(",\"tree_size\":%llu,\"root\":\"%s\",\"entries\":%llu,\"signatures\":%llu,"
               "\"complete\":%s",
               (unsigned long long)r->checkpoint.size, root, (unsigned long long)r->entries,
               (unsigned long long)r->signatures, r->complete ? "true" : "false");
        if (strcmp(what, "trail") == 0) {
            printf(",\"selected\":%llu,\"context\":%llu,\"incident\":",
                   (unsigned long long)r->selected, (unsigned long long)r->context);
            if (r->incident[0])
                cli_json_str(stdout, r->incident);
            else
                printf("null");
        } else {
            printf(",\"tiles\":%llu,\"consistent_with_old\":%s", (unsigned long long)r->tiles,
                   r->consistent_with_old ? "true" : "false");
        }
        printf("}\n");
        return;
    }
    if (strcmp(what, "trail") == 0) {
        printf("ok: audit trail of %s verified against tree size %llu (root %s)\n",
               r->checkpoint.origin, (unsigned long long)r->checkpoint.size, root);
        printf("    %llu entries (%llu selected%s%s, %llu for checking and reference), %llu "
               "signatures%s\n",
               (unsigned long long)r->entries, (unsigned long long)r->selected,
               r->incident[0] ? " for incident " : "", r->incident, (unsigned long long)r->context,
               (unsigned long long)r->signatures,
               r->complete ? "; complete: every entry of the log" : "");
    } else {
        printf("ok: tiles of %s verified: %llu entries, %llu signatures, %llu tiles, root %s\n",
               r->checkpoint.origin, (unsigned long long)r->entries,
               (unsigned long long)r->signatures, (unsigned long long)r->tiles, root);
        if (r->consistent_with_old)
            printf("    the older checkpoint is a prefix of this tree: the log only grew\n");
    }
}

/* ---- trails ---- */

/*
 * Feed the trail to the auditor line by line. Lines longer than
 * LEDGER_AUDIT_MAX_LINE are refused before they are fully buffered.
 */
static int
audit_trail(cli *c, const char *path, const ledger_vkey *vk)
{
    ledger_audit *a = NULL;
    ledger_audit_report rep;
    cli_progress progress;
    FILE *f;
    uint8_t *line = NULL;
    size_t len = 0, cap = 0;
    uint64_t bytes = 0, total = 0;
    struct stat st;
    int rc = 0, ch, is_stdin = strcmp(path, "-") == 0;

    f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(errno));
    /* Progress in bytes of a regular file (a pipe's size is unknown). */
    cli_progress_start(&progress, c, "audit", "bytes");
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        total = (uint64_t)st.st_size;
    else
        progress.active = 0;
    if ((rc = ledger_audit_new(&a, vk)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    for (unsigned long long lineno = 1;;) {
        ch = getc(f);
        if (ch != EOF) {
            if (len == cap) {
                size_t ncap = cap ? cap * 2 : 65536;
                uint8_t *nl;

                if (cap > LEDGER_AUDIT_MAX_LINE) {
                    rc = cli_error(c, EXIT_NEGATIVE, "line %llu: longer than %u bytes", lineno,
                                   LEDGER_AUDIT_MAX_LINE);
                    goto done;
                }
                if ((nl = realloc(line, ncap)) == NULL) {
                    rc = cli_error(c, EXIT_OPERATIONAL, "out of memory");
                    goto done;
                }
                line = nl;
                cap = ncap;
            }
            line[len++] = (uint8_t)ch;
            if (ch != '\n')
                continue;
        }
        if (len > 0 && (rc = ledger_audit_line(a, line, len)) < 0) {
            rc = cli_fail_job(c, rc, CLI_CHECK);
            goto done;
        }
        bytes += len;
        cli_progress_at(&progress, bytes < total ? bytes : total, total);
        len = 0;
        lineno++;
        if (ch == EOF)
            break;
    }
    cli_progress_end(&progress);
    if (ferror(f)) {
        rc = cli_error(c, EXIT_OPERATIONAL, "%s: read error", path);
        goto done;
    }
    if ((rc = ledger_audit_finish(&rep, a)) < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    print_report(c, "trail", &rep);
    rc = EXIT_OK;
done:
    ledger_audit_free(a);
    free(line);
    if (!is_stdin)
        fclose(f);
    return rc;
}

/* ---- tiles ---- */

static int
audit_tiles(cli *c, const char *where, const char *from, const char *timeout, const ledger_vkey *vk)
{
    cli_tiles src;
    ledger_audit_report rep;
    uint8_t *old = NULL;
    size_t old_len = 0;
    int rc;

    if ((rc = cli_tiles_open(c, &src, where, timeout, "--tiles")) != 0)
        return rc;
    if (from != NULL && (rc = cli_read_file(c, from, MAX_NOTE, &old, &old_len)) != 0)
        goto done;
    rc = ledger_audit_tiles(&rep, src.fetch, src.payload, vk, old, old_len);
    if (rc < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    print_report(c, "tiles", &rep);
    rc = EXIT_OK;
done:
    cli_tiles_close(&src);
    free(old);
    return rc;
}

int
cmd_audit(cli *c, int argc, char **argv)
{
    audit_args a = {0};
    ledger_vkey vk;
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.vkey == NULL || (a.tiles == NULL && npos != 1) || (a.tiles != NULL && npos != 0) ||
        (a.from != NULL && a.tiles == NULL) || (a.timeout != NULL && a.tiles == NULL)) {
        rc = cli_usage(
            c, "usage: attrledger audit --vkey LOG.vkey TRAIL.jsonl | "
               "audit --vkey LOG.vkey --tiles DIR|URL [--from-checkpoint OLD] [--timeout S]");
        goto done;
    }
    if ((rc = cli_load_vkey(c, a.vkey, &vk)) != 0)
        goto done;
    if (a.tiles != NULL)
        rc = audit_tiles(c, a.tiles, a.from, a.timeout, &vk);
    else
        rc = audit_trail(c, pos[0], &vk);
done:
    free(pos);
    return rc;
}
