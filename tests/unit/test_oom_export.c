/*
 * test_oom_export.c - allocation-failure loops (as test_oom.c) over the
 * exports and the audits of what they write, on the world.h ledger:
 * audit trails (whole log, one incident, a range), STIX, CSV, DOT, tiles
 * into a temporary directory, the audit of a trail and the audit of a
 * tiles tree.
 *
 * Make allocation N fail, once and persistently, for N = 0, 1, 2, ...
 * until the call succeeds. Every failure must return LEDGER_ENOMEM, leak
 * nothing (LeakSanitizer at exit in the sanitized build) and leave the
 * ledger valid (verified after every loop). A successful call after
 * failures must write exactly the bytes of a call without failures.
 *
 * jansson: the audits parse each line with json_loadb(), whose lexer
 * mishandles a failed allocation (akheron/jansson#362; see test_oom.c and
 * json.c). So jansson allocates through jansson_alloc() below, which fails
 * like the library's allocator everywhere except inside json_loadb() (the test links
 * with -Wl,--wrap=json_loadb to know when that is). Every other jansson
 * allocation of the audits (objects built to compare a line with its
 * leaf, ...) still fails on cue.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/alloc.h"
#include "attrledger/attrledger.h"
#include "testutil.h"
#include "world.h"

/* ---- jansson outside json_loadb ---- */

json_t *__real_json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error);

static int in_loadb;
static long loadb_calls;

json_t *
__wrap_json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error)
{
    json_t *v;

    in_loadb++;
    loadb_calls++;
    v = __real_json_loadb(buffer, buflen, flags, error);
    in_loadb--;
    return v;
}

static json_malloc_t lib_malloc; /* the library's jansson allocator */

static void *
jansson_alloc(size_t n)
{
    return in_loadb ? malloc(n) : lib_malloc(n);
}

/* ---- fixture ---- */

typedef struct {
    tu_world w;
    char *tiles_dir;
    tu_sink want_trail, want_incident, want_range, want_stix, want_csv, want_dot;
} fixture;

static int
verify_all(fixture *f)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->w.log_vkey;
    o.threads = 1;
    return ledger_log_verify(&rep, f->w.log, &o);
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    char path[4096];

    assert_non_null(f);
    tu_world_create(&f->w);
    if (lib_malloc == NULL) {
        json_free_t lib_free;
        json_get_alloc_funcs(&lib_malloc, &lib_free);
    }
    json_set_alloc_funcs(jansson_alloc, lg_free);
    snprintf(path, sizeof path, "%s-tiles", f->w.dir);
    f->tiles_dir = strdup(path);
    assert_non_null(f->tiles_dir);
    TU_OK(ledger_export_audit(NULL, f->w.log, NULL, tu_sink_write, &f->want_trail));
    o.incident = "inc:two";
    TU_OK(ledger_export_audit(NULL, f->w.log, &o, tu_sink_write, &f->want_incident));
    /* A range whose context lies before it: the records-table lookups,
     * the needed ids and the backward pass (select.c). */
    o.incident = NULL;
    o.since = 16;
    o.until = 18;
    TU_OK(ledger_export_audit(NULL, f->w.log, &o, tu_sink_write, &f->want_range));
    TU_OK(ledger_export_stix(NULL, f->w.log, NULL, tu_sink_write, &f->want_stix));
    TU_OK(ledger_export_csv(NULL, f->w.log, NULL, tu_sink_write, &f->want_csv));
    TU_OK(ledger_export_dot(NULL, f->w.log, NULL, tu_sink_write, &f->want_dot));
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    lg_alloc_fail_after(-1, 0);
    tu_rmtree(f->tiles_dir);
    free(f->tiles_dir);
    tu_sink_free(&f->want_trail);
    tu_sink_free(&f->want_incident);
    tu_sink_free(&f->want_range);
    tu_sink_free(&f->want_stix);
    tu_sink_free(&f->want_csv);
    tu_sink_free(&f->want_dot);
    tu_world_free(&f->w);
    free(f);
    return 0;
}

/* ---- the loop ---- */

typedef int (*op_fn)(fixture *f);

static long cur_n;

/*
 * Which allocations to fail: every one of the first 256, then every k-th
 * with k = 1 + n / 256 (about 1,100 runs instead of 5,000 for the
 * largest export), so the test stays near 20 s under ASan. Set
 * ATTRLEDGER_OOM_FULL=1 to fail every allocation in turn.
 */
static long
stride(long n)
{
    static int full = -1;

    if (full < 0)
        full = getenv("ATTRLEDGER_OOM_FULL") != NULL;
    return full ? 1 : 1 + n / 256;
}

/* Run op with allocation n failing (once or from then on), n = 0, 1, ...
 * until it succeeds; every failure is ENOMEM; clean up with `after`
 * (may be NULL) after every call; verify the ledger at the end. */
#define oom_loop(f, op, persistent, after) oom_loop_(f, op, #op, persistent, after)

static long
oom_loop_(fixture *f, op_fn op, const char *name, int persistent, void (*after)(fixture *f))
{
    long n, runs = 0;
    int rc = -1;

    if (getenv("OOM_ONLY") != NULL && strcmp(getenv("OOM_ONLY"), name) != 0)
        return 100;
    for (n = 0;; n += stride(n)) {
        runs++;
        assert_true(n < 100000);
        lg_alloc_fail_after(n, persistent);
        cur_n = n;
        ledger_error_clear();
        rc = op(f);
        long injected = lg_alloc_failures();
        lg_alloc_fail_after(-1, 0);
        if (rc == 0)
            break;
        if (rc != LEDGER_ENOMEM || injected == 0)
            fail_msg("%s: allocation %ld (%s): returned %d (%s), want LEDGER_ENOMEM", name, n,
                     persistent ? "persistent" : "once", rc, ledger_error_last()->message);
        if (after != NULL)
            after(f);
    }
    if (after != NULL)
        after(f);
    TU_OK(verify_all(f));
    print_message("%-18s %-10s %ld allocations, %ld of them failed in turn, each ENOMEM\n", name,
                  persistent ? "persistent" : "once", n, runs - 1);
    return n;
}

/* An export into a sink, compared with the export made without failures. */
static int
export_check(int rc, tu_sink *got, const tu_sink *want)
{
    if (rc == 0) {
        if (got->len != want->len || memcmp(got->data, want->data, want->len) != 0) {
            tu_sink_free(got);
            fail_msg("allocation %ld failed, yet the export succeeded with other bytes", cur_n);
        }
    }
    tu_sink_free(got);
    memset(got, 0, sizeof *got);
    return rc;
}

static int
op_export_trail(fixture *f)
{
    tu_sink s = {0};

    return export_check(ledger_export_audit(NULL, f->w.log, NULL, tu_sink_write, &s), &s,
                        &f->want_trail);
}

static int
op_export_incident(fixture *f)
{
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    tu_sink s = {0};

    o.incident = "inc:two";
    return export_check(ledger_export_audit(NULL, f->w.log, &o, tu_sink_write, &s), &s,
                        &f->want_incident);
}

static int
op_export_range(fixture *f)
{
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    tu_sink s = {0};

    o.since = 16;
    o.until = 18;
    return export_check(ledger_export_audit(NULL, f->w.log, &o, tu_sink_write, &s), &s,
                        &f->want_range);
}

static int
op_export_stix(fixture *f)
{
    tu_sink s = {0};

    return export_check(ledger_export_stix(NULL, f->w.log, NULL, tu_sink_write, &s), &s,
                        &f->want_stix);
}

static int
op_export_csv(fixture *f)
{
    tu_sink s = {0};

    return export_check(ledger_export_csv(NULL, f->w.log, NULL, tu_sink_write, &s), &s,
                        &f->want_csv);
}

static int
op_export_dot(fixture *f)
{
    tu_sink s = {0};

    return export_check(ledger_export_dot(NULL, f->w.log, NULL, tu_sink_write, &s), &s,
                        &f->want_dot);
}

static void
exports(void **state)
{
    fixture *f = *state;

    for (int persistent = 0; persistent <= 1; persistent++) {
        assert_true(oom_loop(f, op_export_trail, persistent, NULL) > 10);
        assert_true(oom_loop(f, op_export_incident, persistent, NULL) > 10);
        assert_true(oom_loop(f, op_export_range, persistent, NULL) > 10);
        assert_true(oom_loop(f, op_export_stix, persistent, NULL) > 10);
        assert_true(oom_loop(f, op_export_csv, persistent, NULL) > 10);
        assert_true(oom_loop(f, op_export_dot, persistent, NULL) > 10);
    }
}

/* ---- tiles: export into a fresh directory, then audit it ---- */

static void
remove_tiles(fixture *f)
{
    tu_rmtree(f->tiles_dir);
}

static int
op_export_tiles(fixture *f)
{
    ledger_tiles_report rep;
    int rc = ledger_export_tiles(&rep, f->w.log, f->tiles_dir);

    if (rc == 0) {
        assert_int_equal(rep.tree_size, TU_WORLD_SIZE);
        assert_int_equal(rep.unchanged, 0);
    }
    return rc;
}

static int
fetch_file(void *payload, const char *path, size_t max, ledger_buf *out)
{
    const fixture *f = payload;
    char full[4096];
    struct stat st;
    FILE *fp;
    int rc;

    snprintf(full, sizeof full, "%s/%s", f->tiles_dir, path);
    if (stat(full, &st) != 0)
        return errno == ENOENT ? LEDGER_ENOTFOUND : LEDGER_EIO;
    if ((size_t)st.st_size > max)
        return LEDGER_EFORMAT;
    if ((rc = ledger_buf_alloc(out, (size_t)st.st_size)) < 0)
        return rc;
    if ((fp = fopen(full, "rb")) == NULL) {
        ledger_buf_dispose(out);
        return LEDGER_EIO;
    }
    if (fread(out->data, 1, out->len, fp) != out->len) {
        fclose(fp);
        ledger_buf_dispose(out);
        return LEDGER_EIO;
    }
    fclose(fp);
    return 0;
}

static int
op_audit_tiles(fixture *f)
{
    ledger_audit_report rep;
    int rc = ledger_audit_tiles(&rep, fetch_file, f, &f->w.log_vkey, NULL, 0);

    if (rc == 0) {
        assert_int_equal(rep.entries, TU_WORLD_SIZE);
        assert_true(rep.complete);
    }
    return rc;
}

static void
tiles(void **state)
{
    fixture *f = *state;

    for (int persistent = 0; persistent <= 1; persistent++) {
        assert_true(oom_loop(f, op_export_tiles, persistent, remove_tiles) > 10);
        ledger_tiles_report rep;
        TU_OK(ledger_export_tiles(&rep, f->w.log, f->tiles_dir));
        assert_true(oom_loop(f, op_audit_tiles, persistent, NULL) > 10);
        remove_tiles(f);
    }
}

/* ---- audit of a trail ---- */

static const tu_sink *cur_trail;

static int
op_audit_trail(fixture *f)
{
    ledger_audit *a = NULL;
    ledger_audit_report rep;
    const uint8_t *p = cur_trail->data, *end = p + cur_trail->len;
    int rc;

    if ((rc = ledger_audit_new(&a, &f->w.log_vkey)) < 0)
        return rc;
    while (p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        if ((rc = ledger_audit_line(a, p, (size_t)(nl - p) + 1)) < 0)
            break;
        p = nl + 1;
    }
    if (rc == 0)
        rc = ledger_audit_finish(&rep, a);
    ledger_audit_free(a);
    return rc;
}

static void
audit_trail(void **state)
{
    fixture *f = *state;

    loadb_calls = 0;
    for (int persistent = 0; persistent <= 1; persistent++) {
        cur_trail = &f->want_trail;
        assert_true(oom_loop(f, op_audit_trail, persistent, NULL) > 10);
        cur_trail = &f->want_incident;
        assert_true(oom_loop(f, op_audit_trail, persistent, NULL) > 10);
        cur_trail = &f->want_range;
        assert_true(oom_loop(f, op_audit_trail, persistent, NULL) > 10);
    }
    /* The wrap took effect (a shared libattrledger would bypass it). */
    assert_true(loadb_calls > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exports, setup, teardown),
        cmocka_unit_test_setup_teardown(tiles, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_trail, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
