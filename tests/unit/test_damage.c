/*
 * test_damage.c - a damaged entry fails exactly the readers that need it
 * (SECURITY.md, "A damaged entry"), and each reports it the same way:
 * LEDGER_ECORRUPT naming "entry N: ..." (core/stored_entry.c), whether it
 * is a view or an export (trail, STIX, CSV, DOT). Readers that do not need
 * it pass over it.
 *
 * Entry 13 of the world (clm:gov-one, a claim on inc:one naming act:group
 * and act:state) is replaced behind the library's back by bytes that are
 * not a leaf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "base/bigendian.h"
#include "store/store.h"
#include "testutil.h"
#include "world.h"

#define DAMAGED 13

static int
setup(void **state)
{
    tu_world *w = calloc(1, sizeof *w);
    static const uint8_t junk[] = {0xff, 0xff, 0xff, 0x07, 0x01};
    lg_store *s = NULL;
    lg_txn *t = NULL;
    uint8_t key[8];

    assert_non_null(w);
    tu_world_create(w);
    TU_OK(lg_store_open(&s, w->dir, 0));
    TU_OK(lg_txn_begin(&t, s, 1));
    lg_u64_be(key, DAMAGED);
    TU_OK(lg_store_put(t, LG_DB_ENTRIES, key, 8, junk, sizeof junk, 0));
    TU_OK(lg_txn_commit(t));
    lg_store_close(s);
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    tu_world *w = *state;

    tu_world_free(w);
    free(w);
    return 0;
}

static void
expect_damage(int rc, const char *what)
{
    char want[32];

    snprintf(want, sizeof want, "entry %d: ", DAMAGED);
    if (rc != LEDGER_ECORRUPT || strstr(ledger_error_last()->message, want) == NULL)
        fail_msg("%s: returned %d (%s), want LEDGER_ECORRUPT naming \"%s\"", what, rc,
                 ledger_error_last()->message, want);
}

/* Every export of the whole ledger contains entry 13. */
static void
damage_exports(void **state)
{
    tu_world *w = *state;
    tu_sink s = {0};

    expect_damage(ledger_export_audit(NULL, w->log, NULL, tu_sink_write, &s), "export audit");
    tu_sink_free(&s);
    expect_damage(ledger_export_stix(NULL, w->log, NULL, tu_sink_write, &s), "export stix");
    tu_sink_free(&s);
    expect_damage(ledger_export_csv(NULL, w->log, NULL, tu_sink_write, &s), "export csv");
    tu_sink_free(&s);
    expect_damage(ledger_export_dot(NULL, w->log, NULL, tu_sink_write, &s), "export dot");
    tu_sink_free(&s);
}

/* A trail whose range ends before entry 13 passes over it, and audits. */
static void
damage_trail_before(void **state)
{
    tu_world *w = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    ledger_audit_report ar;
    tu_sink s = {0};

    o.until = 1;
    TU_OK(ledger_export_audit(&rep, w->log, &o, tu_sink_write, &s));
    assert_int_equal(rep.selected, 2);
    TU_OK(tu_audit_trail(s.data, s.len, &w->log_vkey, &ar));
    assert_int_equal(ar.checkpoint.size, TU_WORLD_SIZE);
    assert_int_equal(ar.selected, 2);
    tu_sink_free(&s);
    /* After it (14..21): clm:gov-one is referenced by op:endorse (16)
     * and fnd:one (20), so it is context: needed. */
    o.since = 14;
    o.until = UINT64_MAX;
    expect_damage(ledger_export_audit(NULL, w->log, &o, tu_sink_write, &s), "export 14..");
    tu_sink_free(&s);
    /* 1..12: no reference can reach a later entry. */
    o.since = 1;
    o.until = 12;
    TU_OK(ledger_export_audit(&rep, w->log, &o, tu_sink_write, &s));
    TU_OK(tu_audit_trail(s.data, s.len, &w->log_vkey, &ar));
    tu_sink_free(&s);
    /* A range holding 13 needs it. */
    o.until = 13;
    expect_damage(ledger_export_audit(NULL, w->log, &o, tu_sink_write, &s), "export 1..13");
    tu_sink_free(&s);
}

typedef int (*export_fn)(ledger_export_report *, ledger_log *, const ledger_export_options *,
                         ledger_write_fn, void *);

/* Every format of inc:two (whose records do not include entry 13) is
 * written, the trail audits; every format of inc:one fails on entry 13. */
static void
damage_incident_exports(void **state)
{
    static const struct {
        const char *name;
        export_fn fn;
    } formats[] = {{"audit", ledger_export_audit},
                   {"stix", ledger_export_stix},
                   {"csv", ledger_export_csv},
                   {"dot", ledger_export_dot}};
    tu_world *w = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    tu_sink s = {0};

    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        o.incident = "inc:two";
        if (formats[i].fn(&rep, w->log, &o, tu_sink_write, &s) != 0)
            fail_msg("export %s of inc:two: %s", formats[i].name, ledger_error_last()->message);
        assert_true(s.len > 0);
        if (i == 0) {
            ledger_audit_report ar;
            TU_OK(tu_audit_trail(s.data, s.len, &w->log_vkey, &ar));
            assert_string_equal(ar.incident, "inc:two");
        }
        tu_sink_free(&s);
        o.incident = "inc:one";
        expect_damage(formats[i].fn(NULL, w->log, &o, tu_sink_write, &s), formats[i].name);
        tu_sink_free(&s);
    }
}

static void
damage_views(void **state)
{
    tu_world *w = *state;
    ledger_buf out = LEDGER_BUF_INIT;

    /* Views that read entry 13. */
    expect_damage(ledger_view_incident(&out, w->log, "inc:one", 1), "view incident");
    ledger_buf_dispose(&out);
    expect_damage(ledger_view_actor(&out, w->log, "act:group", 1), "view actor");
    ledger_buf_dispose(&out);
    expect_damage(ledger_view_actor(&out, w->log, "act:state", 1), "view actor (state nexus)");
    ledger_buf_dispose(&out);
    /* Views that do not. */
    TU_OK(ledger_view_incident(&out, w->log, "inc:two", 1));
    assert_non_null(strstr((const char *)out.data, "clm:vendor-two"));
    ledger_buf_dispose(&out);
    TU_OK(ledger_view_participant(&out, w->log, "p:vendor", 1));
    ledger_buf_dispose(&out);
    /* The norms register reads every opinion and every claim citing a
     * norm; entry 13 cites none (its refs rows say so). */
    TU_OK(ledger_view_norms(&out, w->log, 1));
    ledger_buf_dispose(&out);
}

/* The statistics pass over entry 13 and say so; the counts the index rows
 * give stay exact. */
static void
damage_stats(void **state)
{
    tu_world *w = *state;
    ledger_buf out = LEDGER_BUF_INIT;

    TU_OK(ledger_view_stats(&out, w->log, 1));
    {
        json_t *v = json_loads((const char *)out.data, 0, NULL);
        json_t *d = json_object_get(v, "damaged_entries");

        assert_int_equal(json_array_size(d), 1);
        assert_int_equal(json_integer_value(json_array_get(d, 0)), DAMAGED);
        /* From the records rows: exact. */
        assert_int_equal(json_integer_value(json_object_get(v, "claims")), 4);
        json_decref(v);
    }
    ledger_buf_dispose(&out);
    TU_OK(ledger_view_stats(&out, w->log, 0));
    assert_non_null(strstr((const char *)out.data, "damaged entries           13 (not read"));
    ledger_buf_dispose(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(damage_exports, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_trail_before, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_incident_exports, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_views, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_stats, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
