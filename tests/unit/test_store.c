/*
 * test_store.c - store.c's scans (forward and reverse, every start
 * position) and lg_store_clear, on a fresh store with keys 10, 20, 30;
 * the reader slots: LG_STORE_MAX_READERS live readers at once, the next one
 * refused with a message, writers never refused for lack of a slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attrledger/attrledger.h"
#include "store/store.h"
#include "testutil.h"

typedef struct {
    char *dir;
    lg_store *s;
    lg_txn *t;
} fixture;

typedef struct {
    uint64_t seen[8];
    size_t n;
    size_t stop_after; /* 0: never stop */
    int fail;          /* return this instead of visiting the second row */
} visits;

static int
visit(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    visits *v = p;

    assert_int_equal(klen, 8);
    assert_int_equal(vlen, 3);
    assert_memory_equal(val, "abc", 3);
    if (v->fail != 0 && v->n == 1)
        return v->fail;
    v->seen[v->n++] = lg_be_u64(key);
    return v->stop_after != 0 && v->n == v->stop_after ? 1 : 0;
}

static void
put(lg_txn *t, uint64_t k)
{
    uint8_t key[8];

    lg_u64_be(key, k);
    TU_OK(lg_store_put(t, LG_DB_DIGEST_TAIL, key, 8, "abc", 3, 0));
}

static int
setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);

    f->dir = tu_tempdir();
    TU_OK(lg_store_open(&f->s, f->dir, LG_STORE_CREATE));
    TU_OK(lg_txn_begin(&f->t, f->s, 1));
    put(f->t, 30);
    put(f->t, 10);
    put(f->t, 20);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    lg_txn_abort(f->t);
    lg_store_close(f->s);
    tu_rmtree(f->dir);
    free(f->dir);
    test_free(f);
    return 0;
}

/* Scan from `start` (UINT64_MAX: NULL) and compare with want[0..n). */
static void
expect_scan(lg_txn *t, int reverse, uint64_t start, const uint64_t *want, size_t n)
{
    visits v;
    uint8_t key[8];
    const void *sp = NULL;

    memset(&v, 0, sizeof v);
    if (start != UINT64_MAX) {
        lg_u64_be(key, start);
        sp = key;
    }
    if (reverse)
        TU_OK(lg_store_scan_reverse(t, LG_DB_DIGEST_TAIL, sp, sp ? 8 : 0, visit, &v));
    else
        TU_OK(lg_store_scan(t, LG_DB_DIGEST_TAIL, sp, sp ? 8 : 0, 0, visit, &v));
    assert_int_equal(v.n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v.seen[i], want[i]);
}

static void
forward_scans(void **state)
{
    fixture *f = *state;
    const uint64_t all[] = {10, 20, 30};

    expect_scan(f->t, 0, UINT64_MAX, all, 3);
    expect_scan(f->t, 0, 0, all, 3);       /* before the first key */
    expect_scan(f->t, 0, 10, all, 3);      /* on a key */
    expect_scan(f->t, 0, 15, all + 1, 2);  /* between keys */
    expect_scan(f->t, 0, 30, all + 2, 1);  /* the last key */
    expect_scan(f->t, 0, 31, NULL, 0);     /* past the last key */
}

static void
reverse_scans(void **state)
{
    fixture *f = *state;
    const uint64_t down[] = {30, 20, 10};

    expect_scan(f->t, 1, UINT64_MAX, down, 3);
    expect_scan(f->t, 1, 99, down, 3);      /* past the last key */
    expect_scan(f->t, 1, 30, down, 3);      /* the last key */
    expect_scan(f->t, 1, 25, down + 1, 2);  /* between keys */
    expect_scan(f->t, 1, 20, down + 1, 2);  /* on a key */
    expect_scan(f->t, 1, 10, down + 2, 1);  /* the first key */
    expect_scan(f->t, 1, 9, NULL, 0);       /* before the first key */
}

static void
scans_stop_and_fail(void **state)
{
    fixture *f = *state;
    visits v;

    memset(&v, 0, sizeof v);
    v.stop_after = 1;
    TU_OK(lg_store_scan(f->t, LG_DB_DIGEST_TAIL, NULL, 0, 0, visit, &v));
    assert_int_equal(v.n, 1);
    memset(&v, 0, sizeof v);
    v.stop_after = 2;
    TU_OK(lg_store_scan_reverse(f->t, LG_DB_DIGEST_TAIL, NULL, 0, visit, &v));
    assert_int_equal(v.n, 2);
    assert_int_equal(v.seen[1], 20);
    memset(&v, 0, sizeof v);
    v.fail = LEDGER_ECORRUPT;
    assert_int_equal(lg_store_scan(f->t, LG_DB_DIGEST_TAIL, NULL, 0, 0, visit, &v),
                     LEDGER_ECORRUPT);
    memset(&v, 0, sizeof v);
    v.fail = LEDGER_ECORRUPT;
    assert_int_equal(lg_store_scan_reverse(f->t, LG_DB_DIGEST_TAIL, NULL, 0, visit, &v),
                     LEDGER_ECORRUPT);
}

static void
clear_empties_and_keeps_the_table(void **state)
{
    fixture *f = *state;
    uint64_t n = 99;
    const uint64_t one[] = {40};

    TU_OK(lg_store_clear(f->t, LG_DB_DIGEST_TAIL));
    TU_OK(lg_store_count(&n, f->t, LG_DB_DIGEST_TAIL));
    assert_int_equal(n, 0);
    expect_scan(f->t, 0, UINT64_MAX, NULL, 0);
    expect_scan(f->t, 1, 99, NULL, 0); /* empty: nothing either way */
    put(f->t, 40);
    expect_scan(f->t, 1, UINT64_MAX, one, 1);
    /* Committed, the clear and the new row are what a reader sees. */
    TU_OK(lg_txn_commit(f->t));
    f->t = NULL;
    TU_OK(lg_txn_begin(&f->t, f->s, 0));
    expect_scan(f->t, 0, UINT64_MAX, one, 1);
}

/* Every reader slot taken by live read transactions: a write still goes in
 * (writers need no slot), the next reader is refused with LEDGER_EBUSY and
 * a message naming the ledger and the limit, and one finished reader frees
 * a slot for it. */
static void
reader_slots(void **state)
{
    fixture *f = *state;
    lg_txn **readers = test_calloc(LG_STORE_MAX_READERS, sizeof *readers), *t = NULL, *w = NULL;
    char want[64];

    TU_OK(lg_txn_commit(f->t));
    f->t = NULL;
    for (size_t i = 0; i < LG_STORE_MAX_READERS; i++)
        TU_OK(lg_txn_begin(&readers[i], f->s, 0));
    TU_OK(lg_txn_begin(&w, f->s, 1));
    put(w, 40);
    TU_OK(lg_txn_commit(w));
    assert_int_equal(lg_txn_begin(&t, f->s, 0), LEDGER_EBUSY);
    assert_null(t);
    assert_non_null(strstr(ledger_error_last()->message, f->dir));
    snprintf(want, sizeof want, "all %d reader slots are taken", LG_STORE_MAX_READERS);
    assert_non_null(strstr(ledger_error_last()->message, want));
    lg_txn_abort(readers[0]);
    TU_OK(lg_txn_begin(&readers[0], f->s, 0));
    for (size_t i = 0; i < LG_STORE_MAX_READERS; i++)
        lg_txn_abort(readers[i]);
    test_free(readers);
    TU_OK(lg_txn_begin(&f->t, f->s, 1)); /* for teardown */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forward_scans, setup, teardown),
        cmocka_unit_test_setup_teardown(reverse_scans, setup, teardown),
        cmocka_unit_test_setup_teardown(scans_stop_and_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(clear_empties_and_keeps_the_table, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_slots, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
