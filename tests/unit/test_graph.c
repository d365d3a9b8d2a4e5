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

/* Whether `s` starts with `prefix`; prints the start of `s` if not. */
static int
starts(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) == 0)
        return 1;
    fprintf(stderr, "starts with:\n%.200s\n", s);
    return 0;
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
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"clm:evil\", \"author\": \"p:vendor\","
                    " \"created\": \"2019-03-04T05:06:07Z\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"attribution_claim\":"
                    " {\"claimant\": \"p:vendor\", \"incident_refs\": [\"inc:two\"],"
                    " \"attributed_to\": \"act:evil\", \"claimed_at\": {\"time\":"
                    " \"2019-03-01T00:00:00Z\", \"precision\": \"DATE_PRECISION_MONTH\"}}}",
                    "p:vendor", NULL);
    run(&w, 1, NULL, &t, &rep);
    const char *d = (const char *)t.data;
    /* The title: what the graph shows, the tree size, the dates drawn. */
    assert_true(starts(d, "digraph attribution {\n  label=\"Attribution graph: all incidents\\n"
                          "ledger at tree size 25; dated 2017-06-01 to 2019-03\";\n"));
    /* The legend: a cluster of the shapes and the edge styles. */
    assert_non_null(strstr(d, "  subgraph cluster_legend {\n  label=\"Legend\";\n"));
    assert_non_null(strstr(d, "\"legend 3\" [shape=hexagon, label=\"who denies or disputes\""));
    assert_non_null(strstr(d, "\"legend 4 from\" -> \"legend 4 to\" [label=\"\", style=dashed, "
                              "color=blue, fontcolor=blue];"));
    assert_non_null(strstr(d, "\"legend 4 to\" [shape=plaintext, label=\"finding, not "
                              "published\", fontcolor=blue];"));
    assert_non_null(strstr(d, "\"legend 5 to\" [shape=plaintext, label=\"denial\", "
                              "fontcolor=red];"));
    assert_non_null(strstr(d, "\"inc:one\" [shape=box, label=\"Worm One\", style=filled, "
                              "fillcolor=lightyellow];"));
    assert_non_null(strstr(d, "\"act:state\" [shape=doubleoctagon, label=\"Stateland\"];"));
    /* Claims with their dates. Disputed: dashed; retracted: dotted grey. */
    assert_non_null(strstr(d, "\"inc:one\" -> \"act:group\" [label=\"Government of Testland\\n"
                              "2017-12-19, confidence 85, disputed\", style=dashed];"));
    assert_non_null(strstr(d, "[label=\"Vendor Labs\\n2017-06-01, confidence 70, retracted\", "
                              "style=dotted, color=gray60"));
    /* The transcribed claim names the quoted claimant, not the curator. */
    assert_non_null(strstr(d, "\"inc:one\" -> \"act:unit\" [label=\"Quoted Agency\\n2018-02-24, "
                              "confidence 90\"];"));
    /* claimed_at to its precision (a month) rather than the header's date. */
    assert_non_null(strstr(d, "\"inc:two\" -> \"act:evil\" [label=\"Vendor Labs\\n2019-03\"];"));
    /* The organisation chain, not pushing parents a column right. */
    assert_non_null(strstr(d, "\"act:group\" -> \"act:unit\" [label=\"part of\", style=dotted, "
                              "constraint=false"));
    /* The published finding in bold. */
    assert_non_null(strstr(d, "\"inc:one\" -> \"act:group\" [label=\"finding IAB-1\\n2018-10-01\", "
                              "style=bold, color=blue, fontcolor=blue];"));
    /* The dispute as an edge from the disputing participant to the actor the
     * claim names, with the incident (all incidents are drawn). */
    assert_non_null(strstr(d, "\"p:quoted\" [shape=hexagon, label=\"Quoted Agency\""));
    assert_non_null(strstr(d, "\"p:quoted\" -> \"act:group\" [label=\"disputes\\non Worm One\", "
                              "style=dashed, color=red, fontcolor=red];"));
    /* The hostile name stays inside its string. */
    assert_non_null(strstr(d, "label=\"Evil\\\" -> \\\"x\\\\\\nline\"]"));
    /* + the legend's 10 edges and the one inside the label */
    assert_int_equal(count(d, "->"), rep.objects + 10 + 1);
    assert_int_equal(rep.objects, 10);
    tu_sink_free(&t);
    tu_world_free(&w);
}

/* One incident: a denial, a finding that is not published, and nothing
 * of the other incident. */
static void
graph_dot_one_incident(void **state)
{
    tu_world w;
    ledger_export_report rep;
    tu_sink t;
    const char *d;

    (void)state;
    tu_world_create(&w);
    tu_world_submit(&w,
                    "{\"header\": {\"record_id\": \"op:deny\", \"author\": \"p:quoted\","
                    " \"created\": \"2019-01-02T03:04:05Z\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"opinion\": {\"target_refs\":"
                    " [\"clm:vendor-two\"], \"kind\": \"OPINION_KIND_DENIAL\","
                    " \"is_accused_party\": true}}",
                    "p:quoted", NULL);
    /* A finding without votes: not published. */
    tu_world_submit(
        &w,
        "{\"header\": {\"record_id\": \"fnd:two\", \"author\": \"p:body\","
        " \"created\": \"2019-02-01T00:00:00Z\","
        " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"finding\": {\"case_number\":"
        " \"IAB-2\", \"title\": \"Wiper Two\", \"question\": \"Who?\","
        " \"incident_refs\": [\"inc:two\"], \"outcome\": \"FINDING_OUTCOME_ATTRIBUTED\","
        " \"conclusions\": [{\"attributed_to\": \"act:unit\", \"level\":"
        " \"ATTRIBUTION_LEVEL_OPERATIONAL\", \"confidence\": {\"stix_value\": 60}}],"
        " \"panel_members\": [\"p:panel\"], \"decision_rule\": {\"panel_size\": 1,"
        " \"approvals_required\": 1}}}",
        "p:body", NULL);
    run(&w, 1, "inc:two", &t, &rep);
    d = (const char *)t.data;
    assert_true(starts(d,
                       "digraph attribution {\n  label=\"Attribution graph: Wiper Two (inc:two)\\n"
                       "ledger at tree size 24; dated 2017-07-01 to 2019-02-01\";\n"));
    /* Only the incident asked for: the other one is neither a node nor an
     * edge's end, and its finding (published) is not drawn. */
    assert_non_null(strstr(d, "\"inc:two\" [shape=box, label=\"Wiper Two\""));
    assert_null(strstr(d, "\"inc:one\""));
    assert_null(strstr(d, "IAB-1"));
    assert_int_equal(count(d, "shape=box"), 2); /* the incident and the legend's box */
    /* The denial: from the denying participant to the accused actor, its
     * date, no incident line (the graph has one incident). */
    assert_non_null(strstr(d, "\"p:quoted\" -> \"act:group\" [label=\"denies (2019-01-02)\", "
                              "color=red, fontcolor=red];"));
    /* The finding that is not published: dashed blue, so labelled. */
    assert_non_null(strstr(d, "\"inc:two\" -> \"act:unit\" [label=\"finding IAB-2\\n2019-02-01, "
                              "not published\", style=dashed, color=blue, fontcolor=blue];"));
    /* The parents of the actors drawn come along. */
    assert_non_null(strstr(d, "\"act:unit\" -> \"act:state\" [label=\"part of\""));
    assert_non_null(strstr(d, "\"act:state\" [shape=doubleoctagon"));
    assert_int_equal(rep.objects, 5);
    tu_sink_free(&t);

    /* The whole ledger: the published finding bold, the other dashed. */
    run(&w, 1, NULL, &t, &rep);
    d = (const char *)t.data;
    assert_non_null(strstr(d, "[label=\"finding IAB-1\\n2018-10-01\", style=bold, color=blue"));
    assert_non_null(strstr(d, "[label=\"finding IAB-2\\n2019-02-01, not published\", "
                              "style=dashed, color=blue"));
    assert_non_null(strstr(d, "\"p:quoted\" -> \"act:group\" [label=\"denies (2019-01-02)\\n"
                              "on Wiper Two\", color=red"));
    tu_sink_free(&t);
    tu_world_free(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(graph_csv_rows_and_statuses),
        cmocka_unit_test(graph_dot_edges_and_escaping),
        cmocka_unit_test(graph_dot_one_incident),
    };

    TU_OK(ledger_init());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
