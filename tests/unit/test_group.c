/*
 * test_group.c - ledger_log_submit_group(): several batches in one write
 * transaction with one checkpoint; a refused batch stands alone and the
 * others commit, each checked against the state the batches before it
 * leave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rulefix.h"

#define K(p) (f->key[(p)])

static void
group_refusal_stands_alone(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_envelope *e[5];
    ledger_receipt r0[1], r1[2], r2[1], r3[1];
    ledger_batch b[4];
    uint64_t size0 = rf_size(f);
    ledger_buf cp1 = LEDGER_BUF_INIT, cp0 = LEDGER_BUF_INIT;

    (void)state;
    /* batch 0: an incident; batch 1: evidence on it (depends on batch 0)
     * and a claim on a missing incident (refused: the whole batch 1 goes);
     * batch 2: the same incident again (existed); batch 3: evidence on
     * batch 0's incident. */
    e[0] = rf_env(rf_incident("inc:g", P_M1, NULL), K(P_M1), NULL);
    e[1] = rf_env(rf_evidence("ev:g1", P_M1, "inc:g"), K(P_M1), NULL);
    e[2] = rf_env(rf_evidence("ev:g2", P_M1, "inc:missing"), K(P_M1), NULL);
    e[3] = rf_env(rf_incident("inc:g", P_M1, NULL), K(P_M1), NULL);
    e[4] = rf_env(rf_evidence("ev:g3", P_M1, "inc:g"), K(P_M1), NULL);
    memset(b, 0, sizeof b);
    b[0] = (ledger_batch){.envs = &e[0], .n = 1, .receipts = r0};
    b[1] = (ledger_batch){.envs = &e[1], .n = 2, .receipts = r1};
    b[2] = (ledger_batch){.envs = &e[3], .n = 1, .receipts = r2};
    b[3] = (ledger_batch){.envs = &e[4], .n = 1, .receipts = r3};
    assert_int_equal(ledger_log_checkpoint(&cp0, f->log, 0), 0);
    assert_int_equal(ledger_log_submit_group(f->log, b, 4), 0);
    assert_int_equal(b[0].rc, 0);
    assert_int_equal(b[1].rc, LEDGER_EPOLICY);
    assert_int_equal(b[1].failed, 1);
    assert_non_null(strstr(b[1].message, "inc:missing"));
    assert_int_equal(b[2].rc, 0);
    assert_int_equal(b[3].rc, 0);
    /* two new entries, one checkpoint for the group */
    assert_int_equal(rf_size(f), size0 + 2);
    assert_int_equal(r0[0].index, size0);
    assert_int_equal(r0[0].existed, 0);
    assert_int_equal(r2[0].index, size0);
    assert_int_equal(r2[0].existed, 1);
    assert_int_equal(r3[0].index, size0 + 1);
    assert_int_equal(ledger_log_checkpoint(&cp1, f->log, size0 + 1), LEDGER_ENOTFOUND);
    ledger_buf_dispose(&cp1);
    assert_int_equal(ledger_log_checkpoint(&cp1, f->log, 0), 0);
    /* every receipt ends with the group's checkpoint */
    assert_true(r0[0].receipt.len > cp1.len);
    assert_memory_equal(r0[0].receipt.data + r0[0].receipt.len - cp1.len, cp1.data, cp1.len);
    assert_memory_equal(r3[0].receipt.data + r3[0].receipt.len - cp1.len, cp1.data, cp1.len);
    assert_int_equal(rf_index(f, "ev:g3"), size0 + 1);
    rf_verify_ok(f);
    ledger_receipts_dispose(r0, 1);
    ledger_receipts_dispose(r2, 1);
    ledger_receipts_dispose(r3, 1);
    ledger_buf_dispose(&cp0);
    ledger_buf_dispose(&cp1);
    for (int i = 0; i < 5; i++)
        ledger_envelope_free(e[i]);
    rf_free(f);
}

static void
group_all_refused_writes_nothing(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_envelope *e = rf_env(rf_evidence("ev:x", P_M1, "inc:missing"), K(P_M1), NULL);
    ledger_receipt r[1];
    ledger_batch b = {.envs = &e, .n = 1, .receipts = r};
    uint64_t size0 = rf_size(f);

    (void)state;
    assert_int_equal(ledger_log_submit_group(f->log, &b, 1), 0);
    assert_int_equal(b.rc, LEDGER_EPOLICY);
    assert_int_equal(rf_size(f), size0);
    b.n = 0;
    assert_int_equal(ledger_log_submit_group(f->log, &b, 1), LEDGER_EINVAL);
    ledger_envelope_free(e);
    rf_free(f);
}

/* The rule book says what kind of policy refusal each batch got (a server
 * maps it to 403 or 422 without reading the message). */
static void
group_refusal_kinds(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_key *stranger = NULL;
    ledger_envelope *e[5];
    ledger_receipt r[5][1];
    ledger_batch b[5];
    int want[5] = {LEDGER_REFUSAL_UNKNOWN_KEY, LEDGER_REFUSAL_REVOKED_KEY,
                   LEDGER_REFUSAL_NOT_AUTHORIZED, LEDGER_REFUSAL_NOT_AUTHORIZED,
                   LEDGER_REFUSAL_RULE};

    (void)state;
    assert_int_equal(ledger_key_generate(&stranger, "stranger"), 0);
    rf_ok(f, rf_revocation("rev:m2", P_M2, "p:m2", K(P_M2)), K(P_M2), NULL);
    e[0] = rf_env(rf_incident("inc:k0", P_M1, NULL), stranger, NULL);   /* unknown key */
    e[1] = rf_env(rf_incident("inc:k1", P_M2, NULL), K(P_M2), NULL);    /* revoked key */
    e[2] = rf_env(rf_incident("inc:k2", P_M1, NULL), K(P_ADMIN), NULL); /* author did not sign */
    e[3] = rf_env(rf_incident("inc:k3", P_CUR, NULL), K(P_CUR), NULL);  /* lacks the role */
    e[4] = rf_env(rf_evidence("ev:k4", P_M1, "inc:missing"), K(P_M1), NULL); /* a rule */
    memset(b, 0, sizeof b);
    for (int i = 0; i < 5; i++)
        b[i] = (ledger_batch){.envs = &e[i], .n = 1, .receipts = r[i]};
    assert_int_equal(ledger_log_submit_group(f->log, b, 5), 0);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(b[i].rc, LEDGER_EPOLICY);
        assert_int_equal(b[i].refusal, want[i]);
    }
    /* Outside a group, the thread's last error carries the kind too. */
    assert_int_equal(rf_submit(f, NULL, NULL, rf_incident("inc:k5", P_M1, NULL), stranger, NULL),
                     LEDGER_EPOLICY);
    assert_int_equal(ledger_error_last()->refusal, LEDGER_REFUSAL_UNKNOWN_KEY);
    for (int i = 0; i < 5; i++)
        ledger_envelope_free(e[i]);
    ledger_key_free(stranger);
    rf_free(f);
}

/* A ledger_policy entered in a group binds the group's later records:
 * the limits of the policy in force are kept across the records of one
 * transaction (lg_policy_limits), keyed by the policy's entry, so the
 * new policy's entry must replace the genesis limits read for batch 0. */
static void
group_policy_binds_later_batches(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_envelope *e[4];
    ledger_receipt r[4];
    ledger_batch b[4];
    char name[501], big[900];
    uint64_t size0 = rf_size(f);

    (void)state;
    memset(name, 'x', 500);
    name[500] = '\0';
    snprintf(big, sizeof big,
             "{%s, \"incident_report\": {\"incident_key\": \"inc:big1\", \"name\": \"%s\"}}",
             rf_hdr("inc:big1", P_M1, NULL, 0), name);
    e[0] = rf_env(big, K(P_M1), NULL); /* allowed by genesis: no limit */
    e[1] = rf_env(rf_policy_with(f, "pol:small", P_ADMIN, "genesis",
                                 "\"panel_size\": 5, \"approvals_required\": 4",
                                 "\"max_record_bytes\": 400"),
                  K(P_ADMIN), NULL);
    snprintf(big, sizeof big,
             "{%s, \"incident_report\": {\"incident_key\": \"inc:big2\", \"name\": \"%s\"}}",
             rf_hdr("inc:big2", P_M1, NULL, 0), name);
    e[2] = rf_env(big, K(P_M1), NULL); /* over pol:small's limit */
    e[3] = rf_env(rf_incident("inc:small", P_M1, NULL), K(P_M1), NULL);
    memset(b, 0, sizeof b);
    for (int i = 0; i < 4; i++)
        b[i] = (ledger_batch){.envs = &e[i], .n = 1, .receipts = &r[i]};
    assert_int_equal(ledger_log_submit_group(f->log, b, 4), 0);
    assert_int_equal(b[0].rc, 0);
    assert_int_equal(b[1].rc, 0);
    assert_int_equal(b[2].rc, LEDGER_EPOLICY);
    assert_non_null(strstr(b[2].message, "allows at most 400 (max_record_bytes)"));
    assert_int_equal(b[3].rc, 0);
    assert_int_equal(rf_size(f), size0 + 3);
    assert_int_equal(rf_index(f, "inc:small"), size0 + 2);
    rf_verify_ok(f);
    ledger_receipts_dispose(&r[0], 1);
    ledger_receipts_dispose(&r[1], 1);
    ledger_receipts_dispose(&r[3], 1);
    for (int i = 0; i < 4; i++)
        ledger_envelope_free(e[i]);
    rf_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(group_refusal_stands_alone),
        cmocka_unit_test(group_all_refused_writes_nothing),
        cmocka_unit_test(group_refusal_kinds),
        cmocka_unit_test(group_policy_binds_later_batches),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
