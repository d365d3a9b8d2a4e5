/*
 * test_serve_rate.c - the per-signing-key rate limit of POST /add-records
 * (net/serve_rate.c), driven directly: key ids are chosen so that they
 * meet in the bucket table, which random keys do only rarely (a
 * server.serve_ops run once failed that way). Asserts: a key whose slot
 * another key's hash meets keeps its spent budget; with every slot a key
 * may probe taken, a new key takes the fullest bucket and no spent budget
 * is forgotten; a limit of 0 refuses nothing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/codec.h"
#include "codec/record.h"
#include "net/serve_int.h"

/* A one-signature envelope as the rate limit sees it: only key ids. */
typedef struct {
    ledger_envelope e;
    lg_envelope env;
} fake_env;

/* Key id k of a family whose ids all start with the same 4 bytes (the
 * table's hash), so that they all probe the same slots. */
static void
family_key(fake_env *f, uint8_t k)
{
    memset(f, 0, sizeof *f);
    f->e.env = &f->env;
    f->env.n_sigs = 1;
    memcpy(f->env.sigs[0].key_id, "\x05\x00\x00\x00", 4);
    memset(f->env.sigs[0].key_id + 4, 0x40 + k, 28);
}

static ledger_server *
server(unsigned rate_per_key)
{
    ledger_server *s = calloc(1, sizeof *s);

    assert_non_null(s);
    s->o.rate_per_key = rate_per_key;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static void
server_free(ledger_server *s)
{
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static unsigned
check(ledger_server *s, fake_env *f)
{
    ledger_envelope *envs[1] = {&f->e};

    return lg_serve_key_rate_check(s, envs, 1);
}

/* Spend `n` records' budget of f's key (appended records: existed false). */
static void
spend(ledger_server *s, fake_env *f, int n)
{
    ledger_envelope *envs[1] = {&f->e};
    ledger_receipt r;

    memset(&r, 0, sizeof r);
    for (int i = 0; i < n; i++)
        lg_serve_key_rate_charge(s, envs, 1, &r);
}

static void
colliding_key_keeps_the_spent_budget(void **state)
{
    ledger_server *s = server(1); /* 1 record/s, burst 2 */
    fake_env a, b;
    unsigned wait;

    (void)state;
    family_key(&a, 0);
    family_key(&b, 1);
    assert_int_equal(check(s, &a), 0);
    spend(s, &a, 3); /* 2 - 3 = -1 tokens: about 2 s to wait */
    wait = check(s, &a);
    assert_true(wait >= 2 && wait <= 3);
    /* b's hash meets a's slot: b gets a bucket of its own... */
    assert_int_equal(check(s, &b), 0);
    spend(s, &b, 1);
    /* ...and a's spent budget is still spent (before the fix, b took a's
     * slot, and a came back with a full bucket). */
    wait = check(s, &a);
    assert_true(wait >= 2 && wait <= 3);
    assert_int_equal(check(s, &b), 0); /* one token left */
    spend(s, &b, 1);
    assert_true(check(s, &b) >= 1);
    server_free(s);
}

static void
full_probe_run_gives_up_a_full_bucket(void **state)
{
    ledger_server *s = server(1);
    fake_env k[LG_SERVE_KEY_PROBE + 1];

    (void)state;
    /* Every slot the family may probe taken; all spent but the last. */
    for (int i = 0; i < LG_SERVE_KEY_PROBE; i++) {
        family_key(&k[i], (uint8_t)i);
        assert_int_equal(check(s, &k[i]), 0);
        if (i < LG_SERVE_KEY_PROBE - 1)
            spend(s, &k[i], 3);
    }
    /* A new key of the family takes the full bucket's slot... */
    family_key(&k[LG_SERVE_KEY_PROBE], LG_SERVE_KEY_PROBE);
    assert_int_equal(check(s, &k[LG_SERVE_KEY_PROBE]), 0);
    /* ...and every spent budget is kept. */
    for (int i = 0; i < LG_SERVE_KEY_PROBE - 1; i++)
        assert_true(check(s, &k[i]) >= 2);
    server_free(s);
}

static void
no_limit_refuses_nothing(void **state)
{
    ledger_server *s = server(0);
    fake_env a;

    (void)state;
    family_key(&a, 0);
    spend(s, &a, 100);
    assert_int_equal(check(s, &a), 0);
    server_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(colliding_key_keeps_the_spent_budget),
        cmocka_unit_test(full_probe_run_gives_up_a_full_bucket),
        cmocka_unit_test(no_limit_refuses_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
