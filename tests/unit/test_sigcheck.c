/*
 * test_sigcheck.c - the signature-check queue (sigcheck.c): results in
 * order whatever the thread count, unchecked signatures, dropped jobs. No
 * timing here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "crypto.h"
#include "sigcheck.h"
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
    };
    return cmocka_run_group_tests(tests, init, NULL);
}
