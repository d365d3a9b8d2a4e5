/*
 * test_oom_real.c - real allocation failures, not the injector: the system's
 * malloc, calloc and realloc return NULL (this test links with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, which reaches every call
 * in the static libattrledger, protobuf-c's and jansson's allocations
 * included, since both allocate through alloc.c).
 *
 * Before alloc.c counted every NULL it returned, a real failure inside
 * protobuf-c's unpack came back as LEDGER_EFORMAT "record is not valid
 * protobuf", and verify turned that into a corrupt ledger (exit 1). Here the
 * decoders, verify, the STIX and trail exports and the audit of a trail run
 * with real allocation n failing from then on, for sampled n until the call
 * succeeds; every failure must be LEDGER_ENOMEM.
 *
 * jansson's json_loadb() mishandles a failed allocation (akheron/jansson#362,
 * see json.c): the wrap does not fail allocations made inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "base/alloc.h"
#include "codec/codec.h"
#include "testutil.h"
#include "world.h"

/* ---- the wrapped allocator ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
json_t *__real_json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error);

static long countdown = -1; /* < 0: never fail */
static long real_failures;
static int in_loadb;

static int
fail_now(void)
{
    if (countdown < 0 || in_loadb)
        return 0;
    if (countdown == 0) {
        real_failures++;
        return 1; /* persistent: keep failing until disarmed */
    }
    countdown--;
    return 0;
}

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);
json_t *__wrap_json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error);

void *
__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t count, size_t size)
{
    return fail_now() ? NULL : __real_calloc(count, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

json_t *
__wrap_json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error)
{
    json_t *v;

    in_loadb++;
    v = __real_json_loadb(buffer, buflen, flags, error);
    in_loadb--;
    return v;
}

/* ---- fixture ---- */

typedef struct {
    tu_world w;
    tu_sink trail;
    tu_sink out; /* preallocated: its writes never allocate */
    ledger_buf leaf;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    tu_world_create(&f->w);
    TU_OK(ledger_export_audit(NULL, f->w.log, NULL, tu_sink_write, &f->trail));
    TU_OK(ledger_log_entry(&f->leaf, f->w.log, 13)); /* a claim */
    f->out.cap = 8u << 20;
    f->out.data = malloc(f->out.cap);
    assert_non_null(f->out.data);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    countdown = -1;
    ledger_buf_dispose(&f->leaf);
    tu_sink_free(&f->trail);
    tu_sink_free(&f->out);
    tu_world_free(&f->w);
    free(f);
    return 0;
}

typedef int (*op_fn)(fixture *f);

/* Fail real allocation n and every later one, for n = 0, 1, ... (every one
 * of the first 64, then sampled) until op succeeds. Each failure must be
 * ENOMEM; a failure without a failed allocation fails the test. */
static void
real_oom_loop(fixture *f, op_fn op, const char *name)
{
    long n, runs = 0;
    int rc;

    for (n = 0;; n += 1 + n / 64) {
        assert_true(n < 200000);
        real_failures = 0;
        ledger_error_clear();
        countdown = n;
        rc = op(f);
        countdown = -1;
        if (rc == 0)
            break;
        runs++;
        if (rc != LEDGER_ENOMEM || real_failures == 0)
            fail_msg("%s: real allocation %ld failed: returned %d (%s), want LEDGER_ENOMEM", name,
                     n, rc, ledger_error_last()->message);
    }
    assert_true(runs > 3);
    print_message("%-12s %ld runs with a real allocation failing, each ENOMEM\n", name, runs);
}

/* ---- operations ---- */

static int
op_decode(fixture *f)
{
    lg_entry *e = NULL;
    lg_record *r = NULL;
    int rc;

    if ((rc = lg_entry_decode(&e, f->leaf.data, f->leaf.len)) == 0)
        rc = lg_record_decode(&r, e->record, e->record_len);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

static int
op_verify(fixture *f)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->w.log_vkey;
    o.threads = 1;
    return ledger_log_verify(&rep, f->w.log, &o);
}

static int
op_export(fixture *f)
{
    int rc;

    f->out.len = 0;
    rc = ledger_export_stix(NULL, f->w.log, NULL, tu_sink_write, &f->out);
    f->out.len = 0;
    if (rc == 0)
        rc = ledger_export_audit(NULL, f->w.log, NULL, tu_sink_write, &f->out);
    return rc;
}

static int
op_audit(fixture *f)
{
    ledger_audit *a = NULL;
    ledger_audit_report rep;
    const uint8_t *p = f->trail.data, *end = p + f->trail.len;
    int rc;

    if ((rc = ledger_audit_new(&a, &f->w.log_vkey)) < 0)
        return rc;
    while (p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
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
real_oom_decode(void **state)
{
    real_oom_loop(*state, op_decode, "decode");
}

static void
real_oom_verify(void **state)
{
    real_oom_loop(*state, op_verify, "verify");
}

static void
real_oom_export(void **state)
{
    real_oom_loop(*state, op_export, "export");
}

static void
real_oom_audit(void **state)
{
    real_oom_loop(*state, op_audit, "audit");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(real_oom_decode, setup, teardown),
        cmocka_unit_test_setup_teardown(real_oom_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(real_oom_export, setup, teardown),
        cmocka_unit_test_setup_teardown(real_oom_audit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
