/*
 * test_ledger.c - the ledger through its public API: create, submit,
 * idempotency, batches, proofs against checkpoints, receipts, verify, and
 * failure injection (allocation failures leave the ledger valid).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"

#include "base/alloc.h"
#include "store/store.h"
#include "smallfix.h"
#include "testutil.h"

typedef sf_ledger fixture;

static const char ORIGIN[] = "test.example/ledger";

static ledger_envelope *
envelope(const char *json)
{
    ledger_envelope *env = NULL;

    TU_OK(ledger_envelope_parse(&env, json, strlen(json)));
    return env;
}

static ledger_envelope *
signed_envelope(const char *json, const ledger_key *k1, const ledger_key *k2)
{
    ledger_envelope *env = envelope(json);

    TU_OK(ledger_envelope_sign(env, k1));
    if (k2 != NULL)
        TU_OK(ledger_envelope_sign(env, k2));
    return env;
}

static char *
registration_json(const char *id, const ledger_key *k, const char *roles)
{
    static char buf[2048];
    uint8_t pk[32];
    char b64[64];

    ledger_key_public(pk, k);
    ledger_b64_encode(b64, pk, 32);
    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"reg:%s\", \"author\": \"p:admin\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
             " \"participant\": {\"participant_id\": \"%s\", \"roles\": [%s],"
             " \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
             id, id, roles, b64);
    return buf;
}

static char *
claim_json(const char *id, const char *author, const char *statement)
{
    static char buf[2048];

    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"%s\", \"author\": \"%s\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
             " \"attribution_claim\": {\"claimant\": \"%s\","
             " \"statement\": \"%s\", \"confidence\": {\"stix_value\": 0}}}",
             id, author, author, statement);
    return buf;
}

static void
submit_ok(fixture *f, ledger_envelope **envs, size_t n, ledger_receipt *r)
{
    TU_OK(ledger_log_submit(r, f->log, envs, n));
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ledger_envelope *env;
    ledger_receipt r;

    assert_non_null(f);
    sf_create(f, ORIGIN, 0x11);
    env = signed_envelope(registration_json("p:member", f->member,
                                            "\"PARTICIPANT_ROLE_MEMBER\""),
                          f->admin, f->member);
    submit_ok(f, &env, 1, &r);
    assert_int_equal(r.index, 1);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    sf_destroy(f);
    free(f);
    lg_alloc_fail_after(-1, 0);
    return 0;
}

static void
verify_ok(fixture *f)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->log_vkey;
    TU_OK(ledger_log_verify(&rep, f->log, &o));
}

static uint64_t
size_of(fixture *f)
{
    ledger_log_info info;

    TU_OK(ledger_log_info_get(&info, f->log));
    return info.size;
}

static void
ledger_create_writes_genesis_and_checkpoint(void **state)
{
    fixture *f = *state;
    ledger_buf note = LEDGER_BUF_INIT, leaf = LEDGER_BUF_INIT;
    ledger_checkpoint cp;
    ledger_entry_info info;

    TU_OK(ledger_log_checkpoint(&note, f->log, 1));
    TU_OK(ledger_checkpoint_verify(&cp, note.data, note.len, &f->log_vkey));
    assert_int_equal(cp.size, 1);
    assert_string_equal(cp.origin, ORIGIN);
    TU_OK(ledger_log_entry(&leaf, f->log, 0));
    TU_OK(ledger_entry_info_get(&info, leaf.data, leaf.len));
    assert_string_equal(info.type, "ledger_policy");
    assert_int_equal(info.index, 0);
    /* The checkpoint at size 1 is the leaf hash of the genesis leaf. */
    assert_memory_equal(cp.root, info.leaf_hash, 32);
    ledger_buf_dispose(&note);
    ledger_buf_dispose(&leaf);
    verify_ok(f);
}

static void
ledger_submit_returns_verifiable_receipts(void **state)
{
    fixture *f = *state;
    ledger_envelope *envs[3];
    ledger_receipt r[3];
    ledger_receipt_info ri;

    envs[0] = signed_envelope(claim_json("clm:a", "p:member", "a"), f->member, NULL);
    envs[1] = signed_envelope(claim_json("clm:b", "p:member", "b"), f->member, NULL);
    envs[2] = signed_envelope(claim_json("clm:c", "p:member", "c"), f->member, NULL);
    submit_ok(f, envs, 3, r);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r[i].index, 2 + i);
        assert_int_equal(r[i].existed, 0);
        TU_OK(ledger_receipt_verify(&ri, r[i].receipt.data, r[i].receipt.len, r[i].leaf.data,
                                    r[i].leaf.len, &f->log_vkey));
        assert_int_equal(ri.index, 2 + i);
        assert_int_equal(ri.checkpoint.size, 5);
        assert_memory_equal(ri.leaf_hash, r[i].leaf_hash, 32);
    }
    /* A receipt does not verify for another leaf. */
    TU_CHECK(ledger_receipt_verify(&ri, r[0].receipt.data, r[0].receipt.len, r[1].leaf.data,
                                   r[1].leaf.len, &f->log_vkey),
             LEDGER_EPROOF);
    assert_int_equal(size_of(f), 5);
    ledger_receipts_dispose(r, 3);
    for (int i = 0; i < 3; i++)
        ledger_envelope_free(envs[i]);
    verify_ok(f);
}

static void
ledger_resubmit_is_idempotent(void **state)
{
    fixture *f = *state;
    ledger_envelope *env = signed_envelope(claim_json("clm:a", "p:member", "a"), f->member, NULL);
    ledger_buf cp1 = LEDGER_BUF_INIT, cp2 = LEDGER_BUF_INIT;
    ledger_receipt r;

    submit_ok(f, &env, 1, &r);
    assert_int_equal(r.index, 2);
    ledger_receipts_dispose(&r, 1);
    TU_OK(ledger_log_checkpoint(&cp1, f->log, 0));
    submit_ok(f, &env, 1, &r);
    assert_int_equal(r.index, 2);
    assert_int_equal(r.existed, 1);
    ledger_receipts_dispose(&r, 1);
    TU_OK(ledger_log_checkpoint(&cp2, f->log, 0));
    /* No new entry, no new checkpoint. */
    assert_int_equal(cp1.len, cp2.len);
    assert_memory_equal(cp1.data, cp2.data, cp1.len);
    assert_int_equal(size_of(f), 3);
    ledger_buf_dispose(&cp1);
    ledger_buf_dispose(&cp2);
    ledger_envelope_free(env);
}

static void
ledger_reused_record_id_is_rejected(void **state)
{
    fixture *f = *state;
    ledger_envelope *a = signed_envelope(claim_json("clm:a", "p:member", "a"), f->member, NULL);
    ledger_envelope *b = signed_envelope(claim_json("clm:a", "p:member", "other"), f->member, NULL);
    ledger_receipt r;

    submit_ok(f, &a, 1, &r);
    ledger_receipts_dispose(&r, 1);
    TU_CHECK(ledger_log_submit(&r, f->log, &b, 1), LEDGER_EEXISTS);
    assert_non_null(strstr(ledger_error_last()->message, "record_id already used by entry 2"));
    assert_int_equal(size_of(f), 3);
    ledger_envelope_free(a);
    ledger_envelope_free(b);
}

static void
ledger_failed_batch_writes_nothing(void **state)
{
    fixture *f = *state;
    ledger_key *stranger = NULL;
    ledger_envelope *envs[2];
    ledger_receipt r[2];
    ledger_buf cp1 = LEDGER_BUF_INIT, cp2 = LEDGER_BUF_INIT;

    TU_OK(ledger_key_generate(&stranger, "p:stranger"));
    envs[0] = signed_envelope(claim_json("clm:ok", "p:member", "ok"), f->member, NULL);
    envs[1] = signed_envelope(claim_json("clm:bad", "p:member", "bad"), stranger, NULL);
    TU_OK(ledger_log_checkpoint(&cp1, f->log, 0));
    TU_CHECK(ledger_log_submit(r, f->log, envs, 2), LEDGER_EPOLICY);
    assert_non_null(strstr(ledger_error_last()->message, "unknown key"));
    TU_OK(ledger_log_checkpoint(&cp2, f->log, 0));
    assert_memory_equal(cp1.data, cp2.data, cp1.len);
    assert_int_equal(size_of(f), 2);
    {
        uint64_t idx;
        TU_CHECK(ledger_log_lookup(&idx, f->log, "clm:ok"), LEDGER_ENOTFOUND);
    }
    ledger_buf_dispose(&cp1);
    ledger_buf_dispose(&cp2);
    ledger_envelope_free(envs[0]);
    ledger_envelope_free(envs[1]);
    ledger_key_free(stranger);
    verify_ok(f);
}

static void
ledger_role_and_author_rules(void **state)
{
    fixture *f = *state;
    ledger_envelope *env;
    ledger_receipt r;

    /* The admin has no MEMBER role. */
    env = signed_envelope(claim_json("clm:adm", "p:admin", "x"), f->admin, NULL);
    TU_CHECK(ledger_log_submit(&r, f->log, &env, 1), LEDGER_EPOLICY);
    assert_non_null(strstr(ledger_error_last()->message, "lacks the MEMBER role"));
    ledger_envelope_free(env);
    /* Signed by the member, authored by the admin. */
    env = signed_envelope(claim_json("clm:adm2", "p:admin", "x"), f->member, NULL);
    TU_CHECK(ledger_log_submit(&r, f->log, &env, 1), LEDGER_EPOLICY);
    assert_non_null(strstr(ledger_error_last()->message, "no signature by an active key"));
    ledger_envelope_free(env);
    /* A registration without the new key's signature. */
    {
        ledger_key *k = NULL;
        TU_OK(ledger_key_generate(&k, "p:new"));
        env = signed_envelope(registration_json("p:new", k, "\"PARTICIPANT_ROLE_MEMBER\""),
                              f->admin, NULL);
        TU_CHECK(ledger_log_submit(&r, f->log, &env, 1), LEDGER_EPOLICY);
        assert_non_null(strstr(ledger_error_last()->message, "proof of possession"));
        ledger_envelope_free(env);
        ledger_key_free(k);
    }
    assert_int_equal(size_of(f), 2);
}

static void
ledger_revoked_key_cannot_sign_later(void **state)
{
    fixture *f = *state;
    ledger_envelope *env;
    ledger_receipt r;
    uint8_t id[32];
    char b64[64], json[1024];

    env = signed_envelope(claim_json("clm:before", "p:member", "x"), f->member, NULL);
    submit_ok(f, &env, 1, &r);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    ledger_key_id(id, f->member);
    ledger_b64_encode(b64, id, 32);
    snprintf(json, sizeof json,
             "{\"header\": {\"record_id\": \"rev:1\", \"author\": \"p:member\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
             " \"key_revocation\": {\"participant_id\": \"p:member\", \"key_id\": \"%s\"}}",
             b64);
    env = signed_envelope(json, f->member, NULL);
    submit_ok(f, &env, 1, &r);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    env = signed_envelope(claim_json("clm:after", "p:member", "x"), f->member, NULL);
    TU_CHECK(ledger_log_submit(&r, f->log, &env, 1), LEDGER_EPOLICY);
    assert_non_null(strstr(ledger_error_last()->message, "revoked at entry 3"));
    ledger_envelope_free(env);
    /* The earlier record stays valid: the whole ledger verifies. */
    verify_ok(f);
}

static void
ledger_proofs_match_checkpoints(void **state)
{
    fixture *f = *state;
    ledger_inclusion_proof ip;
    ledger_consistency_proof cp;
    ledger_buf note = LEDGER_BUF_INIT;
    ledger_checkpoint c;
    char id[32];

    for (int batch = 0; batch < 6; batch++) {
        ledger_envelope *envs[3];
        ledger_receipt r[3];
        for (int i = 0; i < 3; i++) {
            snprintf(id, sizeof id, "clm:%d-%d", batch, i);
            envs[i] = signed_envelope(claim_json(id, "p:member", id), f->member, NULL);
        }
        submit_ok(f, envs, 3, r);
        ledger_receipts_dispose(r, 3);
        for (int i = 0; i < 3; i++)
            ledger_envelope_free(envs[i]);
    }
    assert_int_equal(size_of(f), 20);
    /* Every stored checkpoint (sizes 1, 2, 5, 8, ..., 20) agrees with the
     * proofs the ledger generates. */
    for (uint64_t size = 2; size <= 20; size += 3) {
        TU_OK(ledger_log_checkpoint(&note, f->log, size));
        TU_OK(ledger_checkpoint_verify(&c, note.data, note.len, &f->log_vkey));
        ledger_buf_dispose(&note);
        for (uint64_t i = 0; i < size; i++) {
            TU_OK(ledger_log_prove_inclusion(&ip, f->log, i, size));
            assert_memory_equal(ip.root, c.root, 32);
            TU_OK(ledger_proof_verify_inclusion(&ip));
            ip.hashes[0][0] ^= 1;
            if (ip.n_hashes > 0)
                TU_CHECK(ledger_proof_verify_inclusion(&ip), LEDGER_EPROOF);
        }
        TU_OK(ledger_log_prove_consistency(&cp, f->log, size, 20));
        assert_memory_equal(cp.old_root, c.root, 32);
        TU_OK(ledger_proof_verify_consistency(&cp));
    }
    TU_CHECK(ledger_log_prove_inclusion(&ip, f->log, 20, 20), LEDGER_EINVAL);
    TU_CHECK(ledger_log_prove_consistency(&cp, f->log, 5, 21), LEDGER_EINVAL);
    verify_ok(f);
}

static void
ledger_verify_detects_store_edits(void **state)
{
    fixture *f = *state;
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_envelope *env = signed_envelope(claim_json("clm:t", "p:member", "t"), f->member, NULL);
    ledger_receipt r;
    lg_store *s = NULL;
    lg_txn *t = NULL;
    uint8_t key[8];
    ledger_buf leaf = LEDGER_BUF_INIT;

    submit_ok(f, &env, 1, &r);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    o.log_key = &f->log_vkey;
    TU_OK(ledger_log_verify(&rep, f->log, &o));
    assert_int_equal(rep.entries, 3);

    /* Flip one byte of entry 2 behind the library's back. */
    TU_OK(lg_store_open(&s, f->dir, 0));
    TU_OK(lg_txn_begin(&t, s, 1));
    lg_u64_be(key, 2);
    TU_OK(lg_store_get(t, LG_DB_ENTRIES, key, 8, &leaf));
    leaf.data[leaf.len - 3] ^= 0x40;
    TU_OK(lg_store_put(t, LG_DB_ENTRIES, key, 8, leaf.data, leaf.len, 0));
    TU_OK(lg_txn_commit(t));
    lg_store_close(s);
    ledger_buf_dispose(&leaf);

    TU_CHECK(ledger_log_verify(&rep, f->log, &o), LEDGER_ECORRUPT);
    assert_int_equal(rep.bad_index_valid, 1);
    assert_int_equal(rep.bad_index, 2);
    assert_non_null(strstr(ledger_error_last()->message, "entry 2"));
}

static void
ledger_allocation_failures_leave_ledger_valid(void **state)
{
    fixture *f = *state;
    ledger_envelope *env = signed_envelope(claim_json("clm:oom", "p:member", "oom"), f->member,
                                           NULL);
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_receipt r;
    int rc = -1;

    o.log_key = &f->log_vkey;
    for (long n = 0; rc != 0; n++) {
        assert_true(n < 100000);
        lg_alloc_fail_after(n, 0);
        rc = ledger_log_submit(&r, f->log, &env, 1);
        lg_alloc_fail_after(-1, 0);
        if (rc != 0) {
            assert_int_equal(rc, LEDGER_ENOMEM);
            assert_int_equal(size_of(f), 2);
        }
    }
    ledger_receipts_dispose(&r, 1);
    assert_int_equal(size_of(f), 3);
    rc = -1;
    for (long n = 0; rc != 0; n++) {
        assert_true(n < 100000);
        lg_alloc_fail_after(n, 1);
        rc = ledger_log_verify(&rep, f->log, &o);
        lg_alloc_fail_after(-1, 0);
        if (rc != 0 && rc != LEDGER_ENOMEM)
            fail_msg("allocation %ld: %d %s", n, rc, ledger_error_last()->message);
    }
    ledger_envelope_free(env);
    verify_ok(f);
}

static void
ledger_open_errors(void **state)
{
    fixture *f = *state;
    ledger_log *log = NULL;
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    char *empty = tu_tempdir();

    TU_CHECK(ledger_log_open(&log, empty, 0), LEDGER_ENOTFOUND);
    assert_null(log);
    o.origin = ORIGIN;
    o.log_key = f->log_key;
    TU_CHECK(ledger_log_create(&log, f->dir, &o), LEDGER_EEXISTS);
    o.origin = "another.origin";
    TU_CHECK(ledger_log_create(&log, empty, &o), LEDGER_EINVAL);
    tu_rmtree(empty);
    free(empty);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ledger_create_writes_genesis_and_checkpoint, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ledger_submit_returns_verifiable_receipts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ledger_resubmit_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_reused_record_id_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_failed_batch_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_role_and_author_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_revoked_key_cannot_sign_later, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_proofs_match_checkpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_verify_detects_store_edits, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_allocation_failures_leave_ledger_valid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ledger_open_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
