/*
 * test_select.c - the selection rules (select.c) over hand-made sources.
 *
 * A fake source serves entry views from a table and counts what the
 * selection asks of it (forward and backward passes, visits, resolve
 * calls), so the tests can check the marks and also that a whole-ledger
 * selection never looks back or resolves anything. The same table, as an
 * lg_sel_list (no resolve), must give the same marks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "export/select.h"
#include "testutil.h"

/* Entries (index: record_id, what it names):
 *   0 genesis      ledger policy
 *   1 reg:p:a      participant p:a
 *   2 act:state    actor
 *   3 act:group    actor, parent act:state
 *   4 inc:x        incident report inc:x
 *   5 clm:one      claim on inc:x -> act:group, by p:a
 *   6 inc:y        incident report inc:y
 *   7 ev:y         evidence on inc:y
 *   8 op:one       opinion on clm:one
 *   9 clm:two      claim on inc:y -> act:group, evidence ev:y
 *  10 act:other    actor (named by no one)
 */
static const char *const refs_group[] = {"act:state"};
static const char *const refs_clm_one[] = {"inc:x", "p:a", "act:group"};
static const char *const refs_ev_y[] = {"inc:y"};
static const char *const refs_op[] = {"clm:one"};
static const char *const refs_clm_two[] = {"inc:y", "act:group", "ev:y"};

#define V(i, t, id, alias, refs, n, primary) {i, t, id, alias, "", refs, n, primary}
static const lg_sel_view table[] = {
    V(0, LG_REC_LEDGER_POLICY, "genesis", NULL, NULL, 0, 0),
    V(1, LG_REC_PARTICIPANT, "reg:p:a", "p:a", NULL, 0, 0),
    V(2, LG_REC_ACTOR, "act:state", "act:state", NULL, 0, 0),
    V(3, LG_REC_ACTOR, "act:group", "act:group", refs_group, 1, 0),
    V(4, LG_REC_INCIDENT_REPORT, "inc:x", "inc:x", NULL, 0, 0),
    V(5, LG_REC_ATTRIBUTION_CLAIM, "clm:one", NULL, refs_clm_one, 3, 1),
    V(6, LG_REC_INCIDENT_REPORT, "inc:y", "inc:y", NULL, 0, 0),
    V(7, LG_REC_EVIDENCE, "ev:y", NULL, refs_ev_y, 1, 1),
    V(8, LG_REC_OPINION, "op:one", NULL, refs_op, 1, 1),
    V(9, LG_REC_ATTRIBUTION_CLAIM, "clm:two", NULL, refs_clm_two, 3, 1),
    V(10, LG_REC_ACTOR, "act:other", "act:other", NULL, 0, 0),
};
#define N (sizeof table / sizeof table[0])

typedef struct {
    int forward, backward, visits_back, resolves;
    int fail_resolve; /* return this from resolve when not 0 */
} fake;

static int
fake_forward(void *p, lg_sel_visit_fn fn, void *arg)
{
    fake *f = p;
    int rc;

    f->forward++;
    for (size_t i = 0; i < N; i++)
        if ((rc = fn(arg, &table[i])) != 0)
            return rc < 0 ? rc : 0;
    return 0;
}

static int
fake_backward(void *p, size_t from, lg_sel_visit_fn fn, void *arg)
{
    fake *f = p;
    int rc;

    f->backward++;
    assert_true(from < N);
    for (size_t i = from + 1; i-- > 0;) {
        f->visits_back++;
        if ((rc = fn(arg, &table[i])) != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

static int
fake_resolve(void *p, const char *id, uint64_t *index_out)
{
    fake *f = p;

    f->resolves++;
    if (f->fail_resolve)
        return lg_error_set(f->fail_resolve, "resolve failed");
    for (size_t i = 0; i < N; i++)
        if (strcmp(table[i].record_id, id) == 0) {
            *index_out = table[i].index;
            return 0;
        }
    return LEDGER_ENOTFOUND;
}

static void
source_of(lg_sel_source *src, fake *f)
{
    memset(f, 0, sizeof *f);
    src->n = N;
    src->forward = fake_forward;
    src->backward = fake_backward;
    src->resolve = fake_resolve;
    src->payload = f;
}

/* Marks as text: one character per entry (S, R, C or .). */
static void
marks(char *out, const lg_selection *s)
{
    static const char names[] = ".SRC";

    assert_int_equal(s->n, N);
    for (size_t i = 0; i < s->n; i++)
        out[i] = names[s->mark[i]];
    out[s->n] = '\0';
}

/* Compute over the fake and over an lg_sel_list of the same table; both
 * must give `want`. Returns the fake's counters. */
static fake
check(uint64_t since, uint64_t until, const char *incident, const char *want)
{
    lg_selection s;
    lg_sel_source src;
    lg_sel_list list;
    fake f;
    char got[N + 1];

    lg_sel_init(&s);
    source_of(&src, &f);
    TU_OK(lg_sel_compute(&s, &src, since, until, incident));
    marks(got, &s);
    assert_string_equal(got, want);

    /* The audit's source: owned copies, no resolve. */
    lg_sel_list_init(&list);
    for (size_t i = 0; i < N; i++) {
        lg_sel_entry *e;

        assert_true(list.n < 16);
        if (list.n == list.cap) {
            list.cap = 16;
            list.v = lg_calloc(list.cap, sizeof *list.v);
            assert_non_null(list.v);
        }
        e = &list.v[list.n++];
        e->index = table[i].index;
        e->type = table[i].type;
        e->record_id = lg_strdup(table[i].record_id);
        e->alias = table[i].alias ? lg_strdup(table[i].alias) : NULL;
        e->supersedes = lg_strdup(table[i].supersedes);
        e->n_primary = table[i].n_primary;
        e->refs = lg_calloc(table[i].n_refs + 1, sizeof *e->refs);
        assert_non_null(e->refs);
        for (; e->n_refs < table[i].n_refs; e->n_refs++)
            e->refs[e->n_refs] = lg_strdup(table[i].refs[e->n_refs]);
    }
    lg_sel_list_source(&src, &list);
    TU_OK(lg_sel_compute(&s, &src, since, until, incident));
    marks(got, &s);
    assert_string_equal(got, want);
    lg_sel_list_free(&list);
    lg_sel_free(&s);
    return f;
}

static void
select_whole_ledger_looks_nowhere_else(void **state)
{
    fake f;

    (void)state;
    f = check(0, UINT64_MAX, NULL, "SSSSSSSSSSS");
    assert_int_equal(f.forward, 1);
    assert_int_equal(f.backward, 0);
    assert_int_equal(f.resolves, 0);
    /* Also with a shorter range from 0: what follows cannot be context. */
    f = check(0, 8, NULL, "SSSSSSSSS..");
    assert_int_equal(f.backward, 0);
    assert_int_equal(f.resolves, 0);
}

static void
select_range_reaches_back_transitively(void **state)
{
    fake f;

    (void)state;
    /* op:one -> clm:one -> inc:x, act:group -> act:state. */
    f = check(8, 8, NULL, "RRCCCC..S..");
    assert_int_equal(f.backward, 1);
    assert_int_equal(f.resolves, 1);
    /* Back from entry 7 down to the lowest unmarked entry (2), no further. */
    assert_int_equal(f.visits_back, 6);
    /* clm:two adds inc:y and ev:y, and act:group once more. */
    check(8, 9, NULL, "RRCCCCCCSS.");
    /* References into the range are resolved and dropped: nothing is
     * needed before entry 6, so there is no backward pass. */
    f = check(6, 7, NULL, "RR....SS...");
    assert_int_equal(f.resolves, 1);
    assert_int_equal(f.backward, 0);
}

static void
select_incident(void **state)
{
    fake f;

    (void)state;
    f = check(0, UINT64_MAX, "inc:x", "RRCCSS..S..");
    assert_int_equal(f.resolves, 0);
    check(0, UINT64_MAX, "inc:y", "RRCC..SS.S.");
    /* Incident and range: op:one's target (5) is before the range, so not
     * selected; nothing in 7..10 touches inc:x. */
    check(7, 10, "inc:x", "RR.........");
    /* inc:y within 7..10: ev:y and clm:two; inc:y itself is context. */
    check(7, 10, "inc:y", "RRCC..CS.S.");
}

static void
select_errors(void **state)
{
    lg_selection s;
    lg_sel_source src;
    fake f;

    (void)state;
    lg_sel_init(&s);
    source_of(&src, &f);
    f.fail_resolve = LEDGER_EIO;
    TU_CHECK(lg_sel_compute(&s, &src, 8, 8, NULL), LEDGER_EIO);
    assert_null(s.mark);
    /* A source that visits fewer entries than it announces. */
    source_of(&src, &f);
    src.n = N + 1;
    TU_CHECK(lg_sel_compute(&s, &src, 0, UINT64_MAX, NULL), LEDGER_EINVAL);
    src.n = N - 1;
    TU_CHECK(lg_sel_compute(&s, &src, 0, UINT64_MAX, NULL), LEDGER_EINVAL);
    lg_sel_free(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_whole_ledger_looks_nowhere_else),
        cmocka_unit_test(select_range_reaches_back_transitively),
        cmocka_unit_test(select_incident),
        cmocka_unit_test(select_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
