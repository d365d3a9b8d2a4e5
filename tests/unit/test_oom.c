/*
 * test_oom.c - allocation-failure loops (STYLE.md section 7, SQLite's
 * malloc-failure test) over submit, verify, proofs, reads and the parsers
 * of records, leaves, JSON, envelopes, notes, checkpoints and receipts.
 *
 * For every operation: make allocation N fail, for N = 0, 1, 2, ... until
 * the operation succeeds, once failing a single time and once failing
 * persistently. Every failure must return LEDGER_ENOMEM (never another
 * code, never a crash), leak nothing (LeakSanitizer checks at exit in the
 * sanitized build), and leave the ledger unchanged and valid.
 *
 * Not covered here: lg_json_load()/ledger_envelope_parse(). jansson 2.14
 * ignores a failed allocation while growing a token (akheron/jansson#362)
 * and can then read and write past its buffer, so a loop through
 * json_loadb() tests jansson, not us; json.c turns any failed allocation
 * during a parse into LEDGER_ENOMEM (see the comment there). The JSON
 * loops start from a value that is already parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "attrledger/attrledger.h"
#include "attrledger/v1/ledger.pb-c.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "tlog/note.h"
#include "smallfix.h"
#include "testutil.h"

static const char ORIGIN[] = "test.example/oom";

typedef sf_ledger fixture;

typedef int (*op_fn)(fixture *f, void *arg);

/* Run op with allocation n failing (once or from then on), n = 0, 1, ...
 * until it succeeds; check every failure; return the number of failures. */
#define oom_loop(f, op, arg, persistent, after) oom_loop_(f, op, #op, arg, persistent, after)

static long
oom_loop_(fixture *f, op_fn op, const char *name, void *arg, int persistent,
          int (*after_failure)(fixture *f))
{
    long n;
    int rc = -1;

    for (n = 0; rc != 0; n++) {
        assert_true(n < 200000);
        lg_alloc_fail_after(n, persistent);
        ledger_error_clear();
        rc = op(f, arg);
        long injected = lg_alloc_failures();
        lg_alloc_fail_after(-1, 0);
        if (rc == 0)
            break;
        if (rc != LEDGER_ENOMEM || injected == 0)
            fail_msg("allocation %ld (%s): returned %d (%s), want LEDGER_ENOMEM", n,
                     persistent ? "persistent" : "once", rc, ledger_error_last()->message);
        if (after_failure != NULL)
            assert_int_equal(after_failure(f), 0);
    }
    print_message("%-20s %-10s %ld failing allocations, each ENOMEM\n", name,
                  persistent ? "persistent" : "once", n);
    return n;
}

static ledger_envelope *
signed_env(const char *json, const ledger_key *k1, const ledger_key *k2)
{
    ledger_envelope *env = NULL;

    TU_OK(ledger_envelope_parse(&env, json, strlen(json)));
    TU_OK(ledger_envelope_sign(env, k1));
    if (k2 != NULL)
        TU_OK(ledger_envelope_sign(env, k2));
    return env;
}

static const char *
claim(const char *id)
{
    static char buf[1024];

    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"%s\", \"author\": \"p:member\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
             " \"attribution_claim\": {\"claimant\": \"p:member\","
             " \"statement\": \"out of memory\", \"confidence\": {\"stix_value\": 50}}}",
             id);
    return buf;
}

static const char *
registration(const char *id, const ledger_key *k)
{
    static char buf[1024];
    uint8_t pk[32];
    char b64[64];

    ledger_key_public(pk, k);
    ledger_b64_encode(b64, pk, 32);
    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"reg:%s\", \"author\": \"p:admin\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
             " \"participant\": {\"participant_id\": \"%s\", \"roles\":"
             " [\"PARTICIPANT_ROLE_MEMBER\"], \"public_keys\": [{\"alg\":"
             " \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
             id, id, b64);
    return buf;
}

static uint64_t
size_of(fixture *f)
{
    ledger_log_info info;

    TU_OK(ledger_log_info_get(&info, f->log));
    return info.size;
}

static int
verify_all(fixture *f)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->log_vkey;
    o.threads = 1;
    return ledger_log_verify(&rep, f->log, &o);
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ledger_envelope *env;
    ledger_receipt r;

    assert_non_null(f);
    sf_create(f, ORIGIN, 0x44);
    env = signed_env(registration("p:member", f->member), f->admin, f->member);
    TU_OK(ledger_log_submit(&r, f->log, &env, 1));
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    env = signed_env(claim("clm:0"), f->member, NULL);
    TU_OK(ledger_log_submit(&r, f->log, &env, 1));
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    lg_alloc_fail_after(-1, 0);
    sf_destroy(f);
    free(f);
    return 0;
}

/* ---- submit: a batch with a registration and two claims ---- */

typedef struct {
    ledger_envelope *envs[3];
    ledger_receipt r[3];
    uint64_t size_before;
} submit_arg;

static submit_arg *cur_submit;

static int
op_submit(fixture *f, void *arg)
{
    submit_arg *a = arg;

    return ledger_log_submit(a->r, f->log, a->envs, 3);
}

/* After a failed submission: nothing written, and the ledger verifies. */
static int
unchanged_and_valid(fixture *f)
{
    if (size_of(f) != cur_submit->size_before)
        return -1;
    return verify_all(f);
}

static void
oom_submit(void **state)
{
    fixture *f = *state;
    ledger_key *k = NULL;

    for (int persistent = 0; persistent <= 1; persistent++) {
        submit_arg a;
        char id[32];
        uint8_t seed[32];

        memset(seed, 0x70 + persistent, 32);
        snprintf(id, sizeof id, "p:new%d", persistent);
        TU_OK(ledger_key_from_seed(&k, id, seed));
        a.envs[0] = signed_env(registration(id, k), f->admin, k);
        snprintf(id, sizeof id, "clm:a%d", persistent);
        a.envs[1] = signed_env(claim(id), f->member, NULL);
        snprintf(id, sizeof id, "clm:b%d", persistent);
        a.envs[2] = signed_env(claim(id), f->member, NULL);
        a.size_before = size_of(f);
        cur_submit = &a;
        long n = oom_loop(f, op_submit, &a, persistent, unchanged_and_valid);
        assert_true(n > 10);
        assert_int_equal(size_of(f), a.size_before + 3);
        ledger_receipts_dispose(a.r, 3);
        /* An identical resubmission under failures: ENOMEM or existed. */
        a.size_before = size_of(f);
        oom_loop(f, op_submit, &a, persistent, unchanged_and_valid);
        assert_int_equal(a.r[1].existed, 1);
        ledger_receipts_dispose(a.r, 3);
        for (int i = 0; i < 3; i++)
            ledger_envelope_free(a.envs[i]);
        ledger_key_free(k);
        k = NULL;
    }
    TU_OK(verify_all(f));
}

/* ---- verify, open, reads and proofs ---- */

static int
op_verify(fixture *f, void *arg)
{
    (void)arg;
    return verify_all(f);
}

static int
op_verify_outside(fixture *f, void *arg)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_buf *cp = arg;

    o.log_key = &f->log_vkey;
    o.threads = 1;
    o.checkpoint = cp->data;
    o.checkpoint_len = cp->len;
    return ledger_log_verify(&rep, f->log, &o);
}

static int
op_open(fixture *f, void *arg)
{
    ledger_log *log = NULL;
    int rc = ledger_log_open(&log, f->dir, arg != NULL ? LEDGER_OPEN_READONLY : 0);

    ledger_log_free(log);
    return rc;
}

static int
op_reads(fixture *f, void *arg)
{
    ledger_inclusion_proof ip;
    ledger_consistency_proof cp;
    ledger_buf b = LEDGER_BUF_INIT;
    ledger_log_info info;
    uint64_t idx;
    int rc;

    (void)arg;
    if ((rc = ledger_log_info_get(&info, f->log)) < 0 ||
        (rc = ledger_log_prove_inclusion(&ip, f->log, 1, 0)) < 0 ||
        (rc = ledger_log_prove_consistency(&cp, f->log, 1, 0)) < 0 ||
        (rc = ledger_log_lookup(&idx, f->log, "clm:0")) < 0)
        return rc;
    if ((rc = ledger_log_checkpoint(&b, f->log, 0)) < 0)
        return rc;
    ledger_buf_dispose(&b);
    if ((rc = ledger_log_entry(&b, f->log, 2)) < 0)
        return rc;
    ledger_buf_dispose(&b);
    return 0;
}

static void
oom_verify_open_and_reads(void **state)
{
    fixture *f = *state;
    ledger_buf cp = LEDGER_BUF_INIT;

    TU_OK(ledger_log_checkpoint(&cp, f->log, 2));
    for (int persistent = 0; persistent <= 1; persistent++) {
        assert_true(oom_loop(f, op_verify, NULL, persistent, NULL) > 10);
        oom_loop(f, op_verify_outside, &cp, persistent, NULL);
        oom_loop(f, op_open, NULL, persistent, NULL);
        oom_loop(f, op_open, f, persistent, NULL);
        oom_loop(f, op_reads, NULL, persistent, NULL);
    }
    ledger_buf_dispose(&cp);
    TU_OK(verify_all(f));
}

/* ---- parsers ---- */

typedef struct {
    ledger_buf leaf, record, note, receipt;
    json_t *record_json, *envelope_json;
    ledger_vkey vk;
} parse_arg;

static int
op_decode(fixture *f, void *arg)
{
    parse_arg *a = arg;
    lg_record *r = NULL;
    lg_entry *e = NULL;
    ledger_entry_info info;
    ledger_buf b = LEDGER_BUF_INIT;
    int rc;

    (void)f;
    if ((rc = lg_record_decode(&r, a->record.data, a->record.len)) < 0)
        return rc;
    lg_record_free(r);
    if ((rc = lg_entry_decode(&e, a->leaf.data, a->leaf.len)) < 0)
        return rc;
    lg_entry_free(e);
    if ((rc = ledger_entry_info_get(&info, a->leaf.data, a->leaf.len)) < 0)
        return rc;
    if ((rc = ledger_entry_to_json(&b, a->leaf.data, a->leaf.len, 1)) < 0)
        return rc;
    ledger_buf_dispose(&b);
    return 0;
}

static int
op_json(fixture *f, void *arg)
{
    parse_arg *a = arg;
    ProtobufCMessage *m = NULL;
    json_t *back = NULL;
    ledger_buf b = LEDGER_BUF_INIT;
    lg_envelope *env = NULL;
    int rc;

    (void)f;
    if ((rc = lg_json_decode(&m, &attrledger__v1__record__descriptor, a->record_json)) < 0)
        return rc;
    rc = lg_json_encode(&back, m);
    protobuf_c_message_free_unpacked(m, lg_alloc_protobuf());
    if (rc < 0)
        return rc;
    rc = lg_json_dump(&b, back, 1);
    json_decref(back);
    if (rc < 0)
        return rc;
    ledger_buf_dispose(&b);
    if ((rc = lg_record_from_json(&b, a->record_json)) < 0)
        return rc;
    ledger_buf_dispose(&b);
    if ((rc = lg_envelope_from_json(&env, a->envelope_json)) < 0)
        return rc;
    lg_envelope_free(env);
    return 0;
}

static int
op_notes(fixture *f, void *arg)
{
    parse_arg *a = arg;
    ledger_checkpoint cp;
    ledger_receipt_info ri;
    lg_note *n = NULL;
    int rc;

    (void)f;
    if ((rc = lg_note_parse(&n, a->note.data, a->note.len)) < 0)
        return rc;
    lg_note_free(n);
    if ((rc = ledger_checkpoint_verify(&cp, a->note.data, a->note.len, &a->vk)) < 0)
        return rc;
    return ledger_receipt_verify(&ri, a->receipt.data, a->receipt.len, a->leaf.data, a->leaf.len,
                                 &a->vk);
}

static void
oom_parsers(void **state)
{
    fixture *f = *state;
    ledger_envelope *env = signed_env(claim("clm:p"), f->member, NULL);
    ledger_buf ej = LEDGER_BUF_INIT;
    ledger_receipt r;
    parse_arg a;

    memset(&a, 0, sizeof a);
    a.vk = f->log_vkey;
    TU_OK(ledger_log_submit(&r, f->log, &env, 1));
    a.leaf = r.leaf;
    a.receipt = r.receipt;
    TU_OK(ledger_envelope_record(&a.record, env));
    TU_OK(ledger_log_checkpoint(&a.note, f->log, 0));
    TU_OK(lg_json_load(&a.record_json, claim("clm:p"), strlen(claim("clm:p"))));
    TU_OK(ledger_envelope_to_json(&ej, env, 0));
    TU_OK(lg_json_load(&a.envelope_json, (const char *)ej.data, ej.len));
    for (int persistent = 0; persistent <= 1; persistent++) {
        assert_true(oom_loop(f, op_decode, &a, persistent, NULL) > 5);
        assert_true(oom_loop(f, op_json, &a, persistent, NULL) > 5);
        oom_loop(f, op_notes, &a, persistent, NULL);
    }
    json_decref(a.record_json);
    json_decref(a.envelope_json);
    ledger_buf_dispose(&a.record);
    ledger_buf_dispose(&a.note);
    ledger_buf_dispose(&ej);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    TU_OK(verify_all(f));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(oom_submit, setup, teardown),
        cmocka_unit_test_setup_teardown(oom_verify_open_and_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(oom_parsers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
