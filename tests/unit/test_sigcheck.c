/*
 * test_sigcheck.c - the signature-check queue (sigcheck.c) and the two
 * places that use it: a submitted batch checks signatures on all cores and
 * must still accept and reject exactly as checking one record after the
 * other would, with the same messages; verify must report the first entry
 * whose signature fails, whatever the thread count. No timing here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "crypto/crypto.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "rules/sigcheck.h"
#include "store/store.h"
#include "smallfix.h"
#include "testutil.h"

/* ---- the queue ---- */

#define MSGS 200

typedef struct {
    uint8_t pk[32];
    uint8_t rec[MSGS][40];
    uint8_t sig[MSGS][64];
} signed_msgs;

static void
make_msgs(signed_msgs *m, ledger_key **key)
{
    TU_OK(ledger_key_generate(key, "p:q"));
    ledger_key_public(m->pk, *key);
    for (int i = 0; i < MSGS; i++) {
        snprintf((char *)m->rec[i], sizeof m->rec[i], "record %d", i);
        TU_OK(lg_record_sign(m->sig[i], m->rec[i], sizeof m->rec[i], *key));
        if (i % 7 == 3)
            m->sig[i][10] ^= 0x01; /* every 7th one is bad */
    }
}

static void
fill_job(lg_sigjob *j, signed_msgs *m, int i)
{
    j->tag = (uint64_t)i;
    j->record = m->rec[i];
    j->record_len = sizeof m->rec[i];
    j->n_sigs = 1;
    memcpy(j->sigs[0].sig, m->sig[i], 64);
    memcpy(j->pk[0], m->pk, 32);
    j->check_mask = 1;
}

static void
sigcheck_results_come_back_in_order(void **state)
{
    static signed_msgs m;
    ledger_key *key = NULL;
    (void)state;

    make_msgs(&m, &key);
    for (unsigned threads = 1; threads <= 4; threads++) {
        lg_sigcheck *q = NULL;
        int popped = 0;

        /* A small ring: pushing waits for (and pops) the oldest job. */
        TU_OK(lg_sigcheck_new(&q, 16, threads));
        for (int i = 0; i < MSGS || lg_sigcheck_count(q) > 0;) {
            lg_sigjob *j = i < MSGS ? lg_sigcheck_slot(q) : NULL;

            if (j != NULL) {
                fill_job(j, &m, i++);
                lg_sigcheck_push(q);
                continue;
            }
            j = lg_sigcheck_wait(q, 1);
            assert_non_null(j);
            assert_int_equal(j->tag, popped);
            assert_int_equal(j->verdict[0], popped % 7 == 3 ? LEDGER_EBADSIG : 0);
            lg_sigcheck_pop(q);
            popped++;
        }
        assert_int_equal(popped, MSGS);
        assert_null(lg_sigcheck_wait(q, 1));
        lg_sigcheck_free(q);
    }
    ledger_key_free(key);
}

static void
sigcheck_unchecked_signatures(void **state)
{
    static signed_msgs m;
    ledger_key *key = NULL;
    lg_sigcheck *q = NULL;
    lg_sigjob *j;
    (void)state;

    make_msgs(&m, &key);
    /* One thread: nothing runs until the caller asks. */
    TU_OK(lg_sigcheck_new(&q, 4, 1));
    /* Signature 1 is not in the mask; signature 2 is good. */
    j = lg_sigcheck_slot(q);
    fill_job(j, &m, 0);
    j->n_sigs = 3;
    j->sigs[2] = j->sigs[0];
    memcpy(j->pk[2], m.pk, 32);
    j->check_mask = 0x5;
    lg_sigcheck_push(q);
    /* A bad first signature stops the job. */
    j = lg_sigcheck_slot(q);
    fill_job(j, &m, 3);
    j->n_sigs = 2;
    j->sigs[1] = j->sigs[0];
    memcpy(j->pk[1], m.pk, 32);
    j->check_mask = 0x3;
    lg_sigcheck_push(q);
    /* Not wanted: not checked. */
    j = lg_sigcheck_slot(q);
    fill_job(j, &m, 3);
    j->owned = malloc(8); /* freed by pop (lg_free is free) */
    lg_sigcheck_push(q);

    j = lg_sigcheck_wait(q, 1);
    assert_int_equal(j->verdict[0], 0);
    assert_int_equal(j->verdict[1], LG_SIG_UNCHECKED);
    assert_int_equal(j->verdict[2], 0);
    lg_sigcheck_pop(q);
    j = lg_sigcheck_wait(q, 1);
    assert_int_equal(j->verdict[0], LEDGER_EBADSIG);
    assert_int_equal(j->verdict[1], LG_SIG_UNCHECKED);
    lg_sigcheck_pop(q);
    j = lg_sigcheck_wait(q, 0);
    assert_int_equal(j->verdict[0], LG_SIG_UNCHECKED);
    lg_sigcheck_pop(q);
    lg_sigcheck_free(q);
    ledger_key_free(key);
}

static void
sigcheck_free_drops_queued_jobs(void **state)
{
    static signed_msgs m;
    ledger_key *key = NULL;
    lg_sigcheck *q = NULL;
    (void)state;

    make_msgs(&m, &key);
    TU_OK(lg_sigcheck_new(&q, MSGS, 3));
    for (int i = 0; i < MSGS; i++) {
        lg_sigjob *j = lg_sigcheck_slot(q);
        fill_job(j, &m, i);
        j->owned = malloc(16); /* must not leak (ASan) */
        lg_sigcheck_push(q);
    }
    lg_sigcheck_free(q);
    ledger_key_free(key);
}

/* ---- submit: batches large enough to check signatures on all cores ---- */

static const char ORIGIN[] = "test.example/sigcheck";

typedef struct {
    sf_ledger l;
    ledger_key *late; /* registered by the tests themselves */
} fixture;

static ledger_envelope *
parse(const char *json)
{
    ledger_envelope *env = NULL;

    TU_OK(ledger_envelope_parse(&env, json, strlen(json)));
    return env;
}

static ledger_envelope *
claim(const char *id, const char *author, const ledger_key *k)
{
    char json[1024];
    ledger_envelope *env;

    snprintf(json, sizeof json,
             "{\"header\": {\"record_id\": \"%s\", \"author\": \"%s\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
             " \"attribution_claim\": {\"claimant\": \"%s\","
             " \"statement\": \"%s\", \"confidence\": {\"stix_value\": 0}}}",
             id, author, author, id);
    env = parse(json);
    TU_OK(ledger_envelope_sign(env, k));
    return env;
}

static ledger_envelope *
registration(const char *id, const ledger_key *admin, const ledger_key *k)
{
    char json[1024], b64[64];
    uint8_t pk[32];
    ledger_envelope *env;

    ledger_key_public(pk, k);
    ledger_b64_encode(b64, pk, 32);
    snprintf(json, sizeof json,
             "{\"header\": {\"record_id\": \"reg:%s\", \"author\": \"p:admin\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
             " \"participant\": {\"participant_id\": \"%s\","
             " \"roles\": [\"PARTICIPANT_ROLE_MEMBER\"],"
             " \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
             id, id, b64);
    env = parse(json);
    TU_OK(ledger_envelope_sign(env, admin));
    TU_OK(ledger_envelope_sign(env, k));
    return env;
}

/* The same envelope with one bit of its first signature flipped. */
static ledger_envelope *
corrupted(const ledger_envelope *env)
{
    ledger_buf json = LEDGER_BUF_INIT;
    ledger_envelope *bad;
    char *p;

    TU_OK(ledger_envelope_to_json(&json, env, 0));
    p = strstr((char *)json.data, "\"signature\"");
    assert_non_null(p);
    p = strchr(p + 11, '"');
    assert_non_null(p);
    p += 20; /* a base64 digit in the middle of the signature */
    *p = *p == 'A' ? 'B' : 'A';
    bad = parse((const char *)json.data);
    ledger_buf_dispose(&json);
    return bad;
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ledger_envelope *env;
    ledger_receipt r;
    uint8_t seed[32];

    assert_non_null(f);
    sf_create(&f->l, ORIGIN, 0x11);
    memset(seed, 0x44, 32);
    TU_OK(ledger_key_from_seed(&f->late, "p:late", seed));
    env = registration("p:member", f->l.admin, f->l.member);
    TU_OK(ledger_log_submit(&r, f->l.log, &env, 1));
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    sf_destroy(&f->l);
    ledger_key_free(f->late);
    free(f);
    return 0;
}

static uint64_t
size_of(fixture *f)
{
    ledger_log_info info;

    TU_OK(ledger_log_info_get(&info, f->l.log));
    return info.size;
}

static void
free_all(ledger_envelope **envs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ledger_envelope_free(envs[i]);
}

#define N 8

/* Submit envs; expect `code` and, when it fails, the message `msg`. */
static void
expect_submit(fixture *f, ledger_envelope **envs, size_t n, int code, const char *msg)
{
    ledger_receipt r[N];
    uint64_t before = size_of(f);

    TU_CHECK(ledger_log_submit(r, f->l.log, envs, n), code);
    if (code == 0) {
        ledger_receipts_dispose(r, n);
        return;
    }
    assert_string_equal(ledger_error_last()->message, msg);
    assert_int_equal(size_of(f), before); /* nothing written */
}

/* The message a batch of one (checked inline, no threads) gives for env. */
static void
serial_message(fixture *f, ledger_envelope *env, int code, char *out, size_t cap)
{
    ledger_receipt r;

    TU_CHECK(ledger_log_submit(&r, f->l.log, &env, 1), code);
    snprintf(out, cap, "%s", ledger_error_last()->message);
}

static void
sigcheck_submit_rejects_like_serial(void **state)
{
    fixture *f = *state;
    ledger_envelope *envs[N], *good;
    ledger_key *stranger = NULL;
    char id[32], want[256];

    TU_OK(ledger_key_generate(&stranger, "p:stranger"));
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "clm:a%d", i);
        envs[i] = claim(id, "p:member", f->l.member);
    }
    /* A bad signature in the middle of the batch. */
    good = envs[5];
    envs[5] = corrupted(good);
    ledger_envelope_free(good);
    serial_message(f, envs[5], LEDGER_EBADSIG, want, sizeof want);
    assert_string_equal(want, "record clm:a5: signature 0 does not verify");
    expect_submit(f, envs, N, LEDGER_EBADSIG, want);
    /* A policy failure before it wins... */
    ledger_envelope_free(envs[2]);
    envs[2] = claim("clm:a2", "p:member", stranger);
    serial_message(f, envs[2], LEDGER_EPOLICY, want, sizeof want);
    assert_non_null(strstr(want, "record clm:a2: signature 0 is by unknown key"));
    expect_submit(f, envs, N, LEDGER_EPOLICY, want);
    /* ... and a bad signature before a policy failure wins. */
    ledger_envelope_free(envs[6]);
    envs[6] = claim("clm:a6", "p:member", stranger);
    ledger_envelope_free(envs[5]);
    envs[5] = claim("clm:a5", "p:member", f->l.member);
    ledger_envelope_free(envs[2]);
    good = claim("clm:a2", "p:member", f->l.member);
    envs[2] = corrupted(good);
    ledger_envelope_free(good);
    expect_submit(f, envs, N, LEDGER_EBADSIG, "record clm:a2: signature 0 does not verify");
    free_all(envs, N);
    ledger_key_free(stranger);
    assert_int_equal(size_of(f), 2);
}

static void
sigcheck_submit_resubmission_skips_signatures(void **state)
{
    fixture *f = *state;
    ledger_envelope *envs[N], *first;
    ledger_receipt r[N];
    char id[32];

    first = claim("clm:x", "p:member", f->l.member);
    expect_submit(f, &first, 1, 0, NULL);
    /* The identical record again, now with a signature that does not
     * verify: it is the existing entry, as a batch of one would say. */
    envs[0] = corrupted(first);
    for (int i = 1; i < N; i++) {
        snprintf(id, sizeof id, "clm:b%d", i);
        envs[i] = claim(id, "p:member", f->l.member);
    }
    TU_OK(ledger_log_submit(r, f->l.log, envs, N));
    assert_int_equal(r[0].existed, 1);
    assert_int_equal(r[0].index, 2);
    for (int i = 1; i < N; i++)
        assert_int_equal(r[i].index, 2 + i);
    ledger_receipts_dispose(r, N);
    free_all(envs, N);
    ledger_envelope_free(first);
    assert_int_equal(size_of(f), 3 + N - 1);
}

static void
sigcheck_submit_key_registered_in_the_batch(void **state)
{
    fixture *f = *state;
    ledger_envelope *envs[N], *good;
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    char id[32];

    /* p:late's key is unknown when the batch starts: its records are
     * checked inline, after its registration (entry 1 of the batch). */
    envs[0] = claim("clm:c0", "p:member", f->l.member);
    envs[1] = registration("p:late", f->l.admin, f->late);
    for (int i = 2; i < N; i++) {
        snprintf(id, sizeof id, "clm:c%d", i);
        envs[i] = claim(id, "p:late", f->late);
    }
    good = envs[4];
    envs[4] = corrupted(good);
    expect_submit(f, envs, N, LEDGER_EBADSIG, "record clm:c4: signature 0 does not verify");
    ledger_envelope_free(envs[4]);
    envs[4] = good;
    expect_submit(f, envs, N, 0, NULL);
    free_all(envs, N);
    assert_int_equal(size_of(f), 2 + N);
    o.log_key = &f->l.log_vkey;
    TU_OK(ledger_log_verify(&rep, f->l.log, &o));
    assert_int_equal(rep.signatures, 2 + 2 + N); /* registrations carry two */
}

static void
sigcheck_submit_early_checks_never_decide(void **state)
{
    fixture *f = *state;
    ledger_envelope *envs[N];
    ledger_key *stranger = NULL;
    lg_store *s = NULL;
    lg_txn *t = NULL;
    uint8_t id[32];
    char id_text[32], want[256];

    /* Damage the member's key row. The serial loop only reads it for
     * records signed by the member; a batch whose first record is rejected
     * before that must report that record, as a batch of one does. */
    ledger_key_id(id, f->l.member);
    TU_OK(lg_store_open(&s, f->l.dir, 0));
    TU_OK(lg_txn_begin(&t, s, 1));
    TU_OK(lg_store_put(t, LG_DB_KEYS, id, 32, "\xff\xff\xff", 3, 0));
    TU_OK(lg_txn_commit(t));
    lg_store_close(s);
    TU_OK(ledger_key_generate(&stranger, "p:stranger"));
    envs[0] = claim("clm:d0", "p:member", stranger);
    for (int i = 1; i < N; i++) {
        snprintf(id_text, sizeof id_text, "clm:d%d", i);
        envs[i] = claim(id_text, "p:member", f->l.member);
    }
    serial_message(f, envs[0], LEDGER_EPOLICY, want, sizeof want);
    expect_submit(f, envs, N, LEDGER_EPOLICY, want);
    free_all(envs, N);
    ledger_key_free(stranger);
}

/* ---- verify: the first bad signature, whatever the thread count ---- */

/*
 * Rewrite history as only the log key's holder could: flip one bit of entry
 * `bad`'s signature, then recompute every stored hash, the meta root and
 * every stored checkpoint (signed again), so that nothing but the signature
 * check can tell.
 */
static void
forge_bad_signature(fixture *f, uint64_t bad)
{
    lg_store *s = NULL;
    lg_txn *t = NULL;
    lg_merkle_range range;
    uint64_t size = size_of(f);
    uint8_t key[8];

    TU_OK(lg_store_open(&s, f->l.dir, 0));
    TU_OK(lg_txn_begin(&t, s, 1));
    lg_merkle_range_init(&range);
    for (uint64_t i = 0; i < size; i++) {
        ledger_buf leaf = LEDGER_BUF_INIT, note = LEDGER_BUF_INIT, body = LEDGER_BUF_INIT;
        lg_hash h, fresh[64];
        uint64_t first = lg_merkle_stored_count(i);
        int n;

        lg_u64_be(key, i);
        TU_OK(lg_store_get(t, LG_DB_ENTRIES, key, 8, &leaf));
        if (i == bad) {
            leaf.data[leaf.len - 3] ^= 0x40; /* inside the last signature */
            TU_OK(lg_store_put(t, LG_DB_ENTRIES, key, 8, leaf.data, leaf.len, 0));
        }
        lg_merkle_leaf_hash(h, leaf.data, leaf.len);
        ledger_buf_dispose(&leaf);
        lg_merkle_range_append(&range, h, fresh, &n);
        for (int k = 0; k < n; k++) {
            lg_u64_be(key, first + (uint64_t)k);
            TU_OK(lg_store_put(t, LG_DB_HASHES, key, 8, fresh[k], 32, 0));
        }
        lg_u64_be(key, i + 1);
        if (lg_store_get(t, LG_DB_CHECKPOINTS, key, 8, &note) == 0) {
            lg_checkpoint cp;

            memset(&cp, 0, sizeof cp);
            snprintf(cp.origin, sizeof cp.origin, "%s", ORIGIN);
            cp.size = i + 1;
            lg_merkle_range_root(&range, cp.root);
            ledger_buf_dispose(&note);
            TU_OK(lg_checkpoint_format(&body, &cp));
            TU_OK(lg_note_sign(&note, body.data, body.len, f->l.log_key));
            TU_OK(lg_store_put(t, LG_DB_CHECKPOINTS, key, 8, note.data, note.len, 0));
            if (i + 1 == size)
                TU_OK(lg_store_put(t, LG_DB_META, "root", 4, cp.root, 32, 0));
            ledger_buf_dispose(&body);
            ledger_buf_dispose(&note);
        }
    }
    TU_OK(lg_txn_commit(t));
    lg_store_close(s);
}

static void
sigcheck_verify_reports_first_bad_signature(void **state)
{
    fixture *f = *state;
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_envelope *envs[100];
    ledger_receipt r[100];
    char id[32];

    /* More entries than verify keeps pending, so that the bad one is
     * settled while later entries are still being read. */
    for (int b = 0; b < 12; b++) {
        for (int i = 0; i < 100; i++) {
            snprintf(id, sizeof id, "clm:v%04d", b * 100 + i);
            envs[i] = claim(id, "p:member", f->l.member);
        }
        TU_OK(ledger_log_submit(r, f->l.log, envs, 100));
        ledger_receipts_dispose(r, 100);
        free_all(envs, 100);
    }
    o.log_key = &f->l.log_vkey;
    TU_OK(ledger_log_verify(&rep, f->l.log, &o));
    assert_int_equal(rep.entries, 1202);
    forge_bad_signature(f, 10);
    for (unsigned threads = 0; threads <= 3; threads++) {
        o.threads = threads;
        TU_CHECK(ledger_log_verify(&rep, f->l.log, &o), LEDGER_ECORRUPT);
        assert_int_equal(rep.bad_index_valid, 1);
        assert_int_equal(rep.bad_index, 10);
        assert_string_equal(ledger_error_last()->message,
                            "entry 10 (clm:v0008): signature 0 does not verify");
    }
}

static int
init(void **state)
{
    (void)state;
    return ledger_init() < 0 ? -1 : 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigcheck_results_come_back_in_order),
        cmocka_unit_test(sigcheck_unchecked_signatures),
        cmocka_unit_test(sigcheck_free_drops_queued_jobs),
        cmocka_unit_test_setup_teardown(sigcheck_submit_rejects_like_serial, setup, teardown),
        cmocka_unit_test_setup_teardown(sigcheck_submit_resubmission_skips_signatures, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sigcheck_submit_key_registered_in_the_batch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sigcheck_submit_early_checks_never_decide, setup, teardown),
        cmocka_unit_test_setup_teardown(sigcheck_verify_reports_first_bad_signature, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, init, NULL);
}
