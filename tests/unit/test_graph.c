/*
 * test_graph.c - CSV and Graphviz exports of the attribution claims:
 * rows and statuses (active, retracted), disputes, one incident, and
 * hostile text (formula-looking CSV values, quotes in DOT labels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "testutil.h"
#include "world.h"

static void
run(tu_world *w, int dot, const char *incident, tu_sink *out, ledger_export_report *rep)
{
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;

    o.incident = incident;
    memset(out, 0, sizeof *out);
    if (dot)
        TU_OK(ledger_export_dot(rep, w->log, &o, tu_sink_write, out));
    else
        TU_OK(ledger_export_csv(rep, w->log, &o, tu_sink_write, out));
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* The CSV row of a record (from its index to the CRLF), copied. */
static char *
row(const tu_sink *t, const char *record_id)
{
    char needle[300];
    const char *p, *start, *end;

    snprintf(needle, sizeof needle, ",%s,", record_id);
    p = strstr((const char *)t->data, needle);
    if (p == NULL)
        return NULL;
    for (start = p; start > (const char *)t->data && start[-1] != '\n'; start--)
        ;
    end = strstr(p, "\r\n");
    return strndup(start, (size_t)(end - start));
}

static void
graph_csv_rows_and_statuses(void **state)
{
    tu_world w;
    ledger_export_report rep;
    tu_sink t;
    char *r;

    (void)state;
    tu_world_create(&w);
    /* A dispute of the government's claim, and a formula in a statement. */
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"op:dispute\", \"author\": \"p:quoted\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"opinion\": {\"target_refs\":"
                    " [\"clm:gov-one\"], \"kind\": \"OPINION_KIND_DISPUTE\"}}",
                    "p:quoted", NULL);
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"clm:formula\", \"author\": \"p:vendor\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"attribution_claim\":"
                    " {\"claimant\": \"p:vendor\", \"incident_refs\": [\"inc:two\"],"
                    " \"attributed_to\": \"act:unit\","
                    " \"statement\": \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\"), \\\"quoted\\\"\"}}",
                    "p:vendor", NULL);
    run(&w, 0, NULL, &t, &rep);
    assert_int_equal(rep.objects, 5);
    assert_int_equal(count((const char *)t.data, "\r\n"), 6); /* header + 5 rows */
    assert_true(strncmp((const char *)t.data, "index,record_id,status,disputed,", 32) == 0);

    r = row(&t, "clm:gov-one");
    assert_non_null(r);
    assert_non_null(strstr(r, ",active,yes,inc:one,Worm One,p:gov,Government of Testland,"));
    /* Enum values in plain words (codec/labels.c), as in the text views. */
    assert_non_null(strstr(r, ",p:gov,first-party,attribution,act:group,"));
    assert_non_null(strstr(r, ",act:state,strategic level,,85,PHIA yardstick,highly likely,"));
    free(r);
    r = row(&t, "clm:vendor-one");
    assert_non_null(strstr(r, ",retracted,no,"));
    free(r);
    r = row(&t, "clm:quoted-one");
    assert_non_null(strstr(r, ",p:quoted,Quoted Agency,p:cur,transcribed,"));
    free(r);
    /* The formula is text: quoted, with a leading ', quotes doubled. */
    r = row(&t, "clm:formula");
    assert_non_null(strstr(r, ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), \"\"quoted\"\"\","));
    free(r);
    tu_sink_free(&t);

    /* One incident: only its claims. */
    run(&w, 0, "inc:two", &t, &rep);
    assert_int_equal(rep.objects, 2);
    assert_null(strstr((const char *)t.data, "clm:gov-one"));
    tu_sink_free(&t);
    tu_world_free(&w);
}

static void
graph_dot_edges_and_escaping(void **state)
{
    tu_world w;
    ledger_export_report rep;
    tu_sink t;

    (void)state;
    tu_world_create(&w);
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"op:dispute\", \"author\": \"p:quoted\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"opinion\": {\"target_refs\":"
                    " [\"clm:gov-one\"], \"stance\": \"OPINION_STRONGLY_DISAGREE\"}}",
                    "p:quoted", NULL);
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"act:evil\", \"author\": \"p:vendor\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"actor\": {\"actor_id\":"
                    " \"act:evil\", \"name\": \"Evil\\\" -> \\\"x\\\\\\nline\","
                    " \"actor_kind\": \"ACTOR_KIND_PERSONA\"}}",
                    "p:vendor", NULL);
    run(&w, 1, NULL, &t, &rep);
    const char *d = (const char *)t.data;
    assert_true(strncmp(d, "digraph attribution {\n", 22) == 0);
    assert_non_null(strstr(d, "\"inc:one\" [shape=box, label=\"Worm One\"];"));
    assert_non_null(strstr(d, "\"act:state\" [shape=doubleoctagon, label=\"Stateland\"];"));
    /* Disputed: dashed; retracted: dotted grey. */
    assert_non_null(strstr(d, "\"inc:one\" -> \"act:group\" [label=\"Government of Testland (85) "
                              "[disputed]\", style=dashed];"));
    assert_non_null(strstr(d, "[label=\"Vendor Labs (70) [retracted]\", style=dotted"));
    /* The transcribed claim names the quoted claimant, not the curator. */
    assert_non_null(strstr(d, "\"inc:one\" -> \"act:unit\" [label=\"Quoted Agency (90)\"];"));
    assert_non_null(strstr(d, "\"act:group\" -> \"act:unit\" [label=\"part of\""));
    assert_non_null(strstr(d, "[label=\"finding IAB-1\", style=bold, color=blue"));
    /* The hostile name stays inside its string. */
    assert_non_null(strstr(d, "label=\"Evil\\\" -> \\\"x\\\\\\nline\"]"));
    assert_int_equal(count(d, "->"), rep.objects + 1); /* + the one inside the label */
    tu_sink_free(&t);
    tu_world_free(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(graph_csv_rows_and_statuses),
        cmocka_unit_test(graph_dot_edges_and_escaping),
    };

    TU_OK(ledger_init());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
