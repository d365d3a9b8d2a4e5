/*
 * cmd_export.c - attrledger export: audit trails, tiles, STIX, CSV, DOT.
 *
 * File outputs are written to a temporary file beside OUT and renamed into
 * place when the export succeeded, so a failed export never leaves a
 * half-written file under the real name. Without -o (or with -o -) the
 * output goes to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

enum { O_FORMAT = 1, O_SINCE, O_UNTIL, O_INCIDENT, O_OUT, O_SIZE };

static const cli_opt opts[] = {
    {"format", 'f', 1, O_FORMAT},
    {"since", 0, 1, O_SINCE},
    {"until", 0, 1, O_UNTIL},
    {"incident", 0, 1, O_INCIDENT},
    {"out", 'o', 1, O_OUT},
    {"size", 0, 1, O_SIZE},
    {NULL, 0, 0, 0},
};

typedef struct {
    const char *format;
    const char *out;
    ledger_export_options o;
    const char *bad; /* the option whose value is invalid */
    cli_progress progress;
} export_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    export_args *a = ctx;

    switch (id) {
    case O_FORMAT:
        a->format = arg;
        break;
    case O_SINCE:
        if (cli_parse_u64(arg, &a->o.since) != 0)
            a->bad = "--since";
        break;
    case O_UNTIL:
        if (cli_parse_u64(arg, &a->o.until) != 0)
            a->bad = "--until";
        break;
    case O_INCIDENT:
        a->o.incident = arg;
        break;
    case O_OUT:
        a->out = arg;
        break;
    case O_SIZE:
        if (cli_parse_u64(arg, &a->o.tree_size) != 0 || a->o.tree_size == 0)
            a->bad = "--size";
        break;
    default:
        break;
    }
    return 0;
}

/* ---- output file: temp + rename ---- */

typedef struct {
    FILE *f;
    char *tmp; /* NULL when writing to stdout */
    const char *path;
    int err; /* errno of the first failed write */
} out_file;

static int
out_open(const cli *c, out_file *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (path == NULL || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->path = path;
    size_t n = strlen(path) + 16;
    o->tmp = malloc(n);
    if (o->tmp == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "out of memory");
    snprintf(o->tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || (o->f = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(e));
    }
    return 0;
}

static int
out_write(void *p, const uint8_t *data, size_t len)
{
    out_file *o = p;

    if (fwrite(data, 1, len, o->f) != len) {
        o->err = errno ? errno : EIO;
        return LEDGER_EIO;
    }
    return 0;
}

/* Finish: on success rename into place; on failure remove the temp file. */
static int
out_close(const cli *c, out_file *o, int ok)
{
    int rc = EXIT_OK;

    if (o->tmp == NULL) {
        if (fflush(stdout) != 0 && ok)
            rc = cli_error(c, EXIT_OPERATIONAL, "stdout: %s", strerror(errno));
        return rc;
    }
    if (ok && (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0))
        rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", o->path, strerror(errno));
    if (fclose(o->f) != 0 && ok && rc == EXIT_OK)
        rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", o->path, strerror(errno));
    if (ok && rc == EXIT_OK && chmod(o->tmp, 0644) == 0 && rename(o->tmp, o->path) != 0)
        rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", o->path, strerror(errno));
    if (!ok || rc != EXIT_OK)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

/* The exit code of a failed export: the writer's errno, or the library's. */
static int
export_failed(const cli *c, const out_file *o, int rc)
{
    if (rc == LEDGER_EIO && o->err != 0)
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", o->path ? o->path : "stdout",
                         strerror(o->err));
    return cli_fail(c, rc);
}

static void
summary(const cli *c, const char *format, const ledger_export_report *r, const char *out)
{
    if (c->json && out != NULL && strcmp(out, "-") != 0) {
        printf("{\"format\":");
        cli_json_str(stdout, format);
        printf(",\"output\":");
        cli_json_str(stdout, out);
        printf(",\"tree_size\":%llu,\"selected\":%llu,\"context\":%llu,\"objects\":%llu}\n",
               (unsigned long long)r->tree_size, (unsigned long long)r->selected,
               (unsigned long long)r->context, (unsigned long long)r->objects);
    }
}

typedef int (*export_fn)(ledger_export_report *, ledger_log *, const ledger_export_options *,
                         ledger_write_fn, void *);

/* Formats that stream through a writer: audit, stix, csv, dot. */
static int
export_stream(cli *c, ledger_log *log, export_args *a, export_fn fn)
{
    ledger_export_report rep;
    out_file o;
    int rc;

    if ((rc = out_open(c, &o, a->out)) != 0)
        return rc;
    rc = fn(&rep, log, &a->o, out_write, &o);
    cli_progress_end(&a->progress);
    if (rc < 0) {
        int code = export_failed(c, &o, rc);
        out_close(c, &o, 0);
        return code;
    }
    if ((rc = out_close(c, &o, 1)) != EXIT_OK)
        return rc;
    if (fn == ledger_export_audit)
        cli_info(c,
                 "exported %llu entries (%llu selected, %llu for checking and reference) "
                 "against checkpoint size %llu",
                 (unsigned long long)(rep.selected + rep.context), (unsigned long long)rep.selected,
                 (unsigned long long)rep.context, (unsigned long long)rep.tree_size);
    else
        cli_info(c, "exported %llu %s for %llu entries (tree size %llu)",
                 (unsigned long long)rep.objects,
                 fn == ledger_export_stix  ? "STIX objects"
                 : fn == ledger_export_dot ? "graph edges"
                                           : "rows",
                 (unsigned long long)(rep.selected + rep.context),
                 (unsigned long long)rep.tree_size);
    summary(c, a->format, &rep, a->out);
    return EXIT_OK;
}

static int
export_tiles(cli *c, ledger_log *log, export_args *a)
{
    ledger_tiles_report rep;

    if (a->out == NULL || strcmp(a->out, "-") == 0)
        return cli_usage(c, "--format tiles needs -o DIR");
    if (a->o.since != 0 || a->o.until != UINT64_MAX || a->o.incident != NULL || a->o.tree_size != 0)
        return cli_usage(c, "--format tiles always exports the whole log at its latest "
                            "checkpoint (no --since, --until, --incident or --size)");
    if (ledger_export_tiles(&rep, log, a->out) < 0)
        return cli_fail_code(c, EXIT_OPERATIONAL);
    cli_info(c, "tiles for tree size %llu in %s: %llu written, %llu unchanged",
             (unsigned long long)rep.tree_size, a->out, (unsigned long long)rep.written,
             (unsigned long long)rep.unchanged);
    if (c->json) {
        printf("{\"format\":\"tiles\",\"output\":");
        cli_json_str(stdout, a->out);
        printf(",\"tree_size\":%llu,\"written\":%llu,\"unchanged\":%llu}\n",
               (unsigned long long)rep.tree_size, (unsigned long long)rep.written,
               (unsigned long long)rep.unchanged);
    }
    return EXIT_OK;
}

/* site: the static web site of the whole log, tiles included (docs/SITE.md). */
static int
export_site(cli *c, ledger_log *log, export_args *a)
{
    ledger_site_report rep;

    if (a->out == NULL || strcmp(a->out, "-") == 0)
        return cli_usage(c, "--format site needs -o DIR");
    if (a->o.since != 0 || a->o.until != UINT64_MAX || a->o.incident != NULL || a->o.tree_size != 0)
        return cli_usage(c, "--format site always exports the whole log at its latest "
                            "checkpoint (no --since, --until, --incident or --size)");
    if (ledger_export_site(&rep, log, a->out) < 0)
        return cli_fail_code(c, EXIT_OPERATIONAL);
    cli_info(c,
             "site for tree size %llu in %s: %llu pages, %llu files written, %llu unchanged, "
             "%llu tiles written",
             (unsigned long long)rep.tree_size, a->out, (unsigned long long)rep.pages,
             (unsigned long long)rep.written, (unsigned long long)rep.unchanged,
             (unsigned long long)rep.tiles_written);
    if (c->json) {
        printf("{\"format\":\"site\",\"output\":");
        cli_json_str(stdout, a->out);
        printf(",\"tree_size\":%llu,\"pages\":%llu,\"written\":%llu,\"unchanged\":%llu,"
               "\"tiles_written\":%llu}\n",
               (unsigned long long)rep.tree_size, (unsigned long long)rep.pages,
               (unsigned long long)rep.written, (unsigned long long)rep.unchanged,
               (unsigned long long)rep.tiles_written);
    }
    return EXIT_OK;
}

/*
 * svg: the DOT graph rendered by Graphviz's `dot`, run directly (no
 * shell) on a temporary file; refused with a clear message when `dot` is
 * not installed.
 */
static int
export_svg(cli *c, ledger_log *log, export_args *a)
{
    char tmp[] = "/tmp/attrledger-dot-XXXXXX";
    ledger_export_report rep;
    out_file o;
    int fd, status = 0, rc;
    pid_t pid;

    if ((fd = mkstemp(tmp)) < 0)
        return cli_error(c, EXIT_OPERATIONAL, "temporary file: %s", strerror(errno));
    memset(&o, 0, sizeof o);
    o.f = fdopen(fd, "wb");
    o.path = tmp;
    if (o.f == NULL) {
        close(fd);
        unlink(tmp);
        return cli_error(c, EXIT_OPERATIONAL, "temporary file: %s", strerror(errno));
    }
    rc = ledger_export_dot(&rep, log, &a->o, out_write, &o);
    cli_progress_end(&a->progress);
    if (fclose(o.f) != 0 && rc == 0)
        rc = LEDGER_EIO;
    if (rc < 0) {
        unlink(tmp);
        return export_failed(c, &o, rc);
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        /* Without -o (or with -o -), dot writes to our stdout. */
        if (a->out == NULL || strcmp(a->out, "-") == 0)
            execlp("dot", "dot", "-Tsvg", tmp, (char *)NULL);
        else
            execlp("dot", "dot", "-Tsvg", "-o", a->out, tmp, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        unlink(tmp);
        return cli_error(c, EXIT_OPERATIONAL, "cannot run dot: %s", strerror(errno));
    }
    unlink(tmp);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return cli_error(c, EXIT_OPERATIONAL,
                         "the dot program (Graphviz) is not installed; use --format dot, or "
                         "install graphviz");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cli_error(c, EXIT_OPERATIONAL, "dot failed (exit %d)",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    cli_info(c, "exported %llu graph edges to %s", (unsigned long long)rep.objects,
             a->out && strcmp(a->out, "-") != 0 ? a->out : "stdout");
    summary(c, "svg", &rep, a->out);
    return EXIT_OK;
}

int
cmd_export(cli *c, int argc, char **argv)
{
    export_args a;
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_log *log = NULL;
    char **pos = NULL;
    int npos = 0, rc;

    memset(&a, 0, sizeof a);
    a.o = defaults;
    a.format = "audit";
    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.bad != NULL) {
        rc = cli_usage(c, "%s needs a non-negative integer%s", a.bad,
                       strcmp(a.bad, "--size") == 0 ? " (at least 1)" : "");
        goto done;
    }
    if (npos != 0) {
        rc = cli_usage(c, "usage: attrledger export -C DIR [--format F] [--since I] [--until J] "
                          "[--incident KEY] [-o OUT]");
        goto done;
    }
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    cli_progress_start(&a.progress, c, "export", "entries");
    ledger_log_set_progress(log, cli_progress_cb, &a.progress);
    if (strcmp(a.format, "audit") == 0)
        rc = export_stream(c, log, &a, ledger_export_audit);
    else if (strcmp(a.format, "stix") == 0)
        rc = export_stream(c, log, &a, ledger_export_stix);
    else if (strcmp(a.format, "csv") == 0)
        rc = export_stream(c, log, &a, ledger_export_csv);
    else if (strcmp(a.format, "norms-csv") == 0)
        rc = export_stream(c, log, &a, ledger_export_norms_csv);
    else if (strcmp(a.format, "dot") == 0)
        rc = export_stream(c, log, &a, ledger_export_dot);
    else if (strcmp(a.format, "svg") == 0)
        rc = export_svg(c, log, &a);
    else if (strcmp(a.format, "tiles") == 0)
        rc = export_tiles(c, log, &a);
    else if (strcmp(a.format, "site") == 0)
        rc = export_site(c, log, &a);
    else
        rc = cli_usage(c, "unknown format \"%s\" (audit, tiles, site, stix, csv, norms-csv, dot, svg)",
                       a.format);
done:
    ledger_log_free(log);
    free(pos);
    return rc;
}
