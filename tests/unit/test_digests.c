/*
 * test_digests.c - the digest index (digest_index.c): an appended tail
 * merged into a B-tree. ATTRLEDGER_DIGEST_TAIL_MAX=4 makes every few
 * records merge, so resubmission, several handles, failed batches and
 * verify's multiset check all meet rows on both sides of a merge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ledger_int.h"
#include "rulefix.h"
#include "store/store.h"

#define TAIL_MAX 4

static int
setup(void **state)
{
    setenv("ATTRLEDGER_DIGEST_TAIL_MAX", "4", 1);
    *state = rf_new(0);
    return 0;
}

static int
teardown(void **state)
{
    rf_free(*state);
    unsetenv("ATTRLEDGER_DIGEST_TAIL_MAX");
    return 0;
}

static const char *
actor_id(int i)
{
    static char buf[8][32];

    snprintf(buf[i % 8], sizeof buf[i % 8], "act:d%03d", i);
    return buf[i % 8];
}

static void
rows(rf_ledger *f, uint64_t *tree, uint64_t *tail)
{
    lg_txn *t = NULL;

    TU_OK(lg_txn_begin(&t, f->log->store, 0));
    TU_OK(lg_store_count(tree, t, LG_DB_DIGESTS));
    TU_OK(lg_store_count(tail, t, LG_DB_DIGEST_TAIL));
    lg_txn_abort(t);
}

static void
resubmit_all(rf_ledger *f, int n, uint64_t first)
{
    for (int i = 0; i < n; i++) {
        uint64_t index = 0;
        int existed = 0;

        TU_OK(rf_submit(f, &index, &existed, rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL));
        assert_int_equal(existed, 1);
        assert_int_equal(index, first + (uint64_t)i);
    }
}

static void
merges_keep_resubmission_idempotent(void **state)
{
    rf_ledger *f = *state;
    uint64_t first = rf_size(f), size, tree, tail;

    for (int i = 0; i < 11; i++)
        assert_int_equal(rf_ok(f, rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL),
                         first + (uint64_t)i);
    size = rf_size(f);
    rows(f, &tree, &tail);
    assert_int_equal(tree + tail, size);
    assert_true(tail < TAIL_MAX);
    assert_true(tree >= size - TAIL_MAX);
    /* Rows in the tree and in the tail both give the existing entry back. */
    resubmit_all(f, 11, first);
    assert_int_equal(rf_size(f), size);
    rf_verify_ok(f);
}

static void
batch_that_merges(void **state)
{
    rf_ledger *f = *state;
    ledger_envelope *envs[10];
    ledger_receipt r[10];
    uint64_t first = rf_size(f), tree, tail;

    /* One batch of 10 appends past the limit and merges once, at its end;
     * the same record twice in the batch is one entry. */
    for (int i = 0; i < 9; i++)
        envs[i] = rf_env(rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL);
    envs[9] = rf_env(rf_actor(actor_id(3), P_M1), f->key[P_M1], NULL);
    TU_OK(ledger_log_submit(r, f->log, envs, 10));
    assert_int_equal(r[9].existed, 1);
    assert_int_equal(r[9].index, first + 3);
    ledger_receipts_dispose(r, 10);
    for (int i = 0; i < 10; i++)
        ledger_envelope_free(envs[i]);
    rows(f, &tree, &tail);
    assert_int_equal(tail, 0);
    assert_int_equal(tree, rf_size(f));
    resubmit_all(f, 9, first);
    rf_verify_ok(f);
}

static void
another_handle_sees_new_rows(void **state)
{
    rf_ledger *f = *state;
    ledger_log *mine = f->log, *other = NULL;
    uint64_t first = rf_size(f);

    TU_OK(ledger_log_open(&other, f->dir, 0));
    TU_OK(ledger_log_set_signer(other, f->log_key));
    /* Each handle appends; the other must find those rows, before and
     * after a merge that the other one did. */
    for (int i = 0; i < 10; i++) {
        f->log = i % 2 ? other : mine;
        assert_int_equal(rf_ok(f, rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL),
                         first + (uint64_t)i);
        f->log = i % 2 ? mine : other;
        resubmit_all(f, i + 1, first);
    }
    f->log = mine;
    ledger_log_free(other);
    rf_verify_ok(f);
}

static void
failed_batch_forgets_its_rows(void **state)
{
    rf_ledger *f = *state;
    ledger_envelope *envs[3];
    ledger_receipt r[3];
    uint64_t size, index = 0, tree, tail;
    int existed = 1;

    /* Start with rows in the tail, so the handle keeps its map. */
    rows(f, &tree, &tail);
    for (int i = 10; tail == 0; i++) {
        rf_ok(f, rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL);
        rows(f, &tree, &tail);
    }
    size = rf_size(f);

    envs[0] = rf_env(rf_actor(actor_id(0), P_M1), f->key[P_M1], NULL);
    envs[1] = rf_env(rf_actor(actor_id(1), P_M1), f->key[P_M1], NULL);
    /* p:m2 signs a record that names p:m1 as its author: rejected. */
    envs[2] = rf_env(rf_actor(actor_id(2), P_M1), f->key[P_M2], NULL);
    assert_true(ledger_log_submit(r, f->log, envs, 3) < 0);
    for (int i = 0; i < 3; i++)
        ledger_envelope_free(envs[i]);
    assert_int_equal(rf_size(f), size);
    /* The aborted rows are not remembered: the record is new. */
    TU_OK(rf_submit(f, &index, &existed, rf_actor(actor_id(0), P_M1), f->key[P_M1], NULL));
    assert_int_equal(existed, 0);
    assert_int_equal(index, size);
    rf_verify_ok(f);
}

/* Apply one store edit, check that verify names `want`, and undo nothing:
 * each case runs on a fresh ledger. */
static void
expect_damage(rf_ledger *f, const char *want, int bad_index)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->log_vkey;
    assert_int_equal(ledger_log_verify(&rep, f->log, &o), LEDGER_ECORRUPT);
    if (strstr(ledger_error_last()->message, want) == NULL)
        fail_msg("verify said \"%s\", want \"%s\"", ledger_error_last()->message, want);
    assert_int_equal(rep.bad_index_valid, bad_index >= 0);
    if (bad_index >= 0)
        assert_int_equal(rep.bad_index, (uint64_t)bad_index);
}

static uint64_t
fill(rf_ledger *f, int n)
{
    uint64_t first = rf_size(f);

    for (int i = 0; i < n; i++)
        rf_ok(f, rf_actor(actor_id(i), P_M1), f->key[P_M1], NULL);
    return first;
}

typedef enum { DEL_TAIL, DEL_TREE, MOVE_TREE, EXTRA_TREE, SHORT_TAIL } edit;

static void
edit_store(rf_ledger *f, edit e, uint64_t tree_ix, uint64_t tail_ix)
{
    lg_txn *t = NULL;
    uint8_t key[8], digest[32], val[8] = {0};
    lg_record *r = NULL;

    TU_OK(lg_txn_begin(&t, f->log->store, 1));
    TU_OK(lg_load_record(t, tree_ix, &r, digest));
    lg_record_free(r);
    switch (e) {
    case DEL_TAIL:
        lg_u64_be(key, tail_ix);
        TU_OK(lg_store_del(t, LG_DB_DIGEST_TAIL, key, 8));
        break;
    case DEL_TREE:
        TU_OK(lg_store_del(t, LG_DB_DIGESTS, digest, 32));
        break;
    case MOVE_TREE: /* the tree row points at the next entry */
        lg_u64_be(val, tree_ix + 1);
        TU_OK(lg_store_put(t, LG_DB_DIGESTS, digest, 32, val, 8, 0));
        break;
    case EXTRA_TREE: /* a second row for a tail entry's digest, in the tree */
        TU_OK(lg_load_record(t, tail_ix, &r, digest));
        lg_record_free(r);
        lg_u64_be(val, tail_ix);
        TU_OK(lg_store_put(t, LG_DB_DIGESTS, digest, 32, val, 8, 0));
        break;
    case SHORT_TAIL:
        lg_u64_be(key, tail_ix);
        TU_OK(lg_store_put(t, LG_DB_DIGEST_TAIL, key, 8, digest, 31, 0));
        break;
    }
    TU_OK(lg_txn_commit(t));
}

static void
verify_checks_both_parts(void **state)
{
    static const struct {
        edit e;
        const char *want;
        int at; /* 0: tree entry, 1: tail entry, -1: no entry */
    } cases[] = {
        {DEL_TAIL, "record digest index row is missing", 1},
        {DEL_TREE, "record digest index row is missing", 0},
        {MOVE_TREE, "record digest index row points to entry", 0},
        {EXTRA_TREE, "digests index has", -1},
        {SHORT_TAIL, "digest_tail row has a 8-byte key and 31-byte value", -1},
    };
    rf_ledger *f = *state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t first, tree, tail, tree_ix, tail_ix;

        if (i > 0) {
            rf_free(f);
            f = *state = rf_new(0);
        }
        first = fill(f, 6);
        rows(f, &tree, &tail);
        assert_true(tail > 0 && tree > first);
        tree_ix = first;                  /* merged */
        tail_ix = rf_size(f) - 1;         /* still in the tail */
        rf_verify_ok(f);
        edit_store(f, cases[i].e, tree_ix, tail_ix);
        expect_damage(f, cases[i].want,
                      cases[i].at < 0 ? -1 : (int)(cases[i].at ? tail_ix : tree_ix));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(merges_keep_resubmission_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(batch_that_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(another_handle_sees_new_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_batch_forgets_its_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_checks_both_parts, setup, teardown),
    };

    TU_OK(ledger_init());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
