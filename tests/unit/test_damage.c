/*
 * test_damage.c - every reader of the store reports a damaged entry the
 * same way: LEDGER_ECORRUPT, "entry N: ..." (core/stored_entry.c), whether
 * it is the rules' lookups, a view or an export (trail, STIX, CSV, DOT).
 *
 * Entry 13 of the world (a claim on inc:one) is replaced behind the
 * library's back by bytes that are not a leaf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void
damage_views(void **state)
{
    tu_world *w = *state;
    ledger_buf out = LEDGER_BUF_INIT;

    expect_damage(ledger_view_incident(&out, w->log, "inc:one", 1), "view incident");
    ledger_buf_dispose(&out);
    expect_damage(ledger_view_actor(&out, w->log, "act:group", 1), "view actor");
    ledger_buf_dispose(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(damage_exports, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_views, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
