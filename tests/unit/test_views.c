/*
 * test_views.c - the case files derived from the entries (views.c,
 * view_text.c): incident, actor, participant and stats, in JSON (parsed
 * with jansson) and text.
 *
 * The cast and base records are described in tests/support/rulefix.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "rulefix.h"
#include "testutil.h"

#define K(p) (f->key[(p)])

static int
setup(void **state)
{
    *state = rf_new(1);
    return 0;
}

static int
teardown(void **state)
{
    rf_free(*state);
    return 0;
}

typedef int (*view_fn)(ledger_buf *out, ledger_log *log, const char *arg, int json);

static int
stats_view(ledger_buf *out, ledger_log *log, const char *arg, int json)
{
    (void)arg;
    return ledger_view_stats(out, log, json);
}

/* A view as parsed JSON (a new reference). */
static json_t *
view_json(rf_ledger *f, view_fn fn, const char *arg)
{
    ledger_buf out = LEDGER_BUF_INIT;
    json_error_t jerr;
    json_t *v;

    TU_OK(fn(&out, f->log, arg, 1));
    assert_true(out.len > 0 && out.data[out.len - 1] == '\n');
    v = json_loadb((const char *)out.data, out.len, 0, &jerr);
    if (v == NULL)
        fail_msg("view of %s is not JSON: %s", arg ? arg : "stats", jerr.text);
    ledger_buf_dispose(&out);
    return v;
}

/* A view as text (malloc'd, NUL-terminated). */
static char *
view_text(rf_ledger *f, view_fn fn, const char *arg)
{
    ledger_buf out = LEDGER_BUF_INIT;
    char *s;

    TU_OK(fn(&out, f->log, arg, 0));
    assert_true(out.len > 0 && out.data[out.len - 1] == '\n');
    s = strndup((const char *)out.data, out.len);
    assert_non_null(s);
    ledger_buf_dispose(&out);
    return s;
}

static void
assert_has(const char *text, const char *want)
{
    if (strstr(text, want) == NULL)
        fail_msg("text lacks \"%s\":\n%s", want, text);
}

/* The item of array `key` of `v` whose record_id is `rid`, or NULL. */
static json_t *
item(json_t *v, const char *key, const char *rid)
{
    size_t i;
    json_t *x;

    json_array_foreach(json_object_get(v, key), i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "record_id")), rid) == 0)
            return x;
    }
    return NULL;
}

static json_t *
must_item(json_t *v, const char *key, const char *rid)
{
    json_t *x = item(v, key, rid);

    if (x == NULL)
        fail_msg("%s has no %s", key, rid);
    return x;
}

static const char *
s_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

static long long
i_of(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static void
vote4(rf_ledger *f, const char *fid)
{
    for (int p = P_PAN1; p <= P_PAN4; p++) {
        char rid[64];
        snprintf(rid, sizeof rid, "vote:%s:%d", fid, p);
        rf_ok(f, rf_vote_on(f, rid, p, fid, "VOTE_APPROVE"), f->key[p], NULL);
    }
}

/* ---- incident ---- */

static void
views_incident_case_file(void **state)
{
    rf_ledger *f = *state;
    uint64_t v2, ret, deny;
    json_t *v, *x, *ops;

    v2 = rf_ok(f, rf_incident("inc:a@v2", P_M1, "inc:a"), K(P_M1), NULL);
    rf_ok(f, rf_claim("clm:a@v2", P_M1, "clm:a", 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f,
          rf_claim("clm:b", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a@v2\"], \"attributed_to\": \"act:b\","
                   " \"channel\": \"CHANNEL_VENDOR_REPORT\""),
          K(P_M2), NULL);
    rf_ok(f, rf_claim("clm:c", P_CUR, NULL, 1, "p:m2", NULL), K(P_CUR), NULL);
    ret = rf_ok(f, rf_retraction("ret:c", P_CUR, "clm:c"), K(P_CUR), NULL);
    deny = rf_ok(f, rf_opinion("op:deny", P_M2, "clm:a@v2", "DENIAL", 1), K(P_M2), NULL);
    rf_ok(f, rf_opinion("op:endorse", P_M2, "clm:a@v2", "ENDORSEMENT", 0), K(P_M2), NULL);

    v = view_json(f, ledger_view_incident, "inc:a");
    assert_string_equal(s_of(v, "record_id"), "inc:a");
    assert_int_equal(i_of(v, "latest_index"), v2);
    assert_string_equal(s_of(json_object_get(v, "incident"), "name"), "Incident inc:a@v2");
    /* Versions, oldest first, with their status. */
    assert_int_equal(json_array_size(json_object_get(v, "versions")), 2);
    x = json_array_get(json_object_get(v, "versions"), 0);
    assert_string_equal(s_of(x, "record_id"), "inc:a");
    assert_string_equal(s_of(x, "status"), "SUPERSEDED");
    assert_int_equal(i_of(x, "superseded_by"), v2);
    x = json_array_get(json_object_get(v, "versions"), 1);
    assert_string_equal(s_of(x, "status"), "ACTIVE");
    /* Claims on any version, each with its status. */
    assert_int_equal(json_array_size(json_object_get(v, "claims")), 4);
    x = must_item(v, "claims", "clm:a");
    assert_string_equal(s_of(x, "status"), "SUPERSEDED");
    assert_int_equal(i_of(x, "index"), rf_index(f, "clm:a"));
    assert_string_equal(s_of(x, "claimant"), "p:m1");
    assert_string_equal(s_of(x, "attributed_to"), "act:a");
    assert_string_equal(s_of(x, "attributed_to_name"), "Actor act:a");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(x, "confidence"), "stix_value")), 85);
    assert_string_equal(
        s_of(json_object_get(json_object_get(x, "confidence"), "likelihood"), "term"),
        "highly likely");
    x = must_item(v, "claims", "clm:a@v2");
    assert_string_equal(s_of(x, "status"), "ACTIVE");
    assert_string_equal(s_of(x, "supersedes"), "clm:a");
    ops = json_object_get(x, "opinions");
    assert_int_equal(json_array_size(ops), 2);
    assert_string_equal(s_of(json_array_get(ops, 0), "record_id"), "op:deny");
    assert_int_equal(i_of(json_array_get(ops, 0), "index"), deny);
    assert_string_equal(s_of(json_array_get(ops, 0), "kind"), "OPINION_KIND_DENIAL");
    assert_true(json_is_true(json_object_get(json_array_get(ops, 0), "is_accused_party")));
    assert_false(json_is_true(json_object_get(json_array_get(ops, 1), "is_accused_party")));
    x = must_item(v, "claims", "clm:b");
    assert_string_equal(s_of(x, "channel"), "CHANNEL_VENDOR_REPORT");
    x = must_item(v, "claims", "clm:c");
    assert_string_equal(s_of(x, "status"), "RETRACTED");
    assert_int_equal(i_of(x, "retracted_by"), ret);
    assert_string_equal(s_of(x, "provenance"), "PROVENANCE_TRANSCRIBED");
    assert_string_equal(s_of(x, "author"), "p:cur");
    assert_string_equal(s_of(x, "claimant"), "p:m2");
    must_item(v, "evidence", "ev:a");
    x = must_item(v, "findings", "fnd:a");
    assert_false(json_is_true(json_object_get(x, "published")));
    json_decref(v);

    /* Any version's record_id, or the incident_key, names the same case. */
    v = view_json(f, ledger_view_incident, "inc:a@v2");
    assert_string_equal(s_of(v, "record_id"), "inc:a");
    json_decref(v);
    /* Issue 11, item 2: another member's report under the same key is
     * listed as theirs and never replaces the owner's text, whichever id
     * the case is named by. */
    rf_ok(f,
          rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:a\", \"name\": \"Hijack\"}}",
                  rf_hdr("aaa:first", P_M2, NULL, 0)),
          K(P_M2), NULL);
    for (int i = 0; i < 2; i++) {
        v = view_json(f, ledger_view_incident, i ? "aaa:first" : "inc:a");
        assert_string_equal(s_of(v, "record_id"), "inc:a");
        assert_string_equal(s_of(json_object_get(v, "incident"), "name"), "Incident inc:a@v2");
        x = must_item(v, "reports", "aaa:first");
        assert_string_equal(s_of(x, "author"), "p:m2");
        assert_string_equal(s_of(x, "name"), "Hijack");
        assert_int_equal(json_array_size(json_object_get(v, "reports")), 1);
        json_decref(v);
    }
    {
        ledger_buf out = LEDGER_BUF_INIT;
        TU_CHECK(ledger_view_incident(&out, f->log, "inc:nope", 1), LEDGER_ENOTFOUND);
        assert_non_null(strstr(ledger_error_last()->message, "no incident inc:nope"));
        TU_CHECK(ledger_view_incident(&out, f->log, "act:a", 0), LEDGER_ENOTFOUND);
        assert_non_null(strstr(ledger_error_last()->message, "not an incident report"));
    }
}

static void
views_incident_opinions_on_any_report_version(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *ops;

    rf_ok(f, rf_opinion("op:v1", P_M2, "inc:a", "DISPUTE", 0), K(P_M2), NULL);
    rf_ok(f, rf_incident("inc:a@v2", P_M1, "inc:a"), K(P_M1), NULL);
    rf_ok(f, rf_opinion("op:v2", P_M2, "inc:a@v2", "COMMENT", 0), K(P_M2), NULL);
    v = view_json(f, ledger_view_incident, "inc:a");
    ops = json_object_get(v, "opinions");
    assert_int_equal(json_array_size(ops), 2);
    assert_string_equal(s_of(json_array_get(ops, 0), "record_id"), "op:v1");
    assert_string_equal(s_of(json_array_get(ops, 1), "record_id"), "op:v2");
    json_decref(v);
}

static void
views_incident_text_lines(void **state)
{
    rf_ledger *f = *state;
    char *t, want[128];
    uint64_t ret;

    rf_ok(f, rf_opinion("op:deny", P_M2, "clm:a", "DENIAL", 1), K(P_M2), NULL);
    rf_ok(f,
          rf_claim("clm:bare", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:b\","
                   " \"confidence\": {\"stix_value\": 70}"),
          K(P_M2), NULL);
    rf_ok(f, rf_finding("fnd:b", P_BODY, NULL, "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    vote4(f, "fnd:a");
    t = view_text(f, ledger_view_incident, "inc:a");
    assert_has(t, "INCIDENT inc:a: Incident inc:a\n");
    assert_has(t, "ATTRIBUTION CLAIMS (2), in time order\n");
    assert_has(t, "      p:m1 says: act:a (Actor act:a)\n");
    assert_has(t, "      confidence: \"highly likely\" (PHIA yardstick), STIX 85\n");
    /* A bare number reads as such, without a dangling comma. */
    assert_has(t, "      confidence: STIX 70\n");
    assert_has(t, "2017-06-01 p:m2 denial (disagrees) [accused party]: active\n");
    snprintf(want, sizeof want,
             " fnd:a CASE-fnd:a: attributed; active; published (quorum reached at entry %llu)\n",
             (unsigned long long)rf_index(f, "vote:fnd:a:8"));
    assert_has(t, want);
    assert_has(t, "votes: 4 approve, 0 reject, 0 abstain, 0 recuse; rule 4 of 5 (a recusal reduces "
                  "the panel),"
                  " counted panel 5, approvals needed 4\n");
    assert_has(t, " fnd:b CASE-fnd:b: attributed; active; NOT PUBLISHED (quorum not reached)\n");
    free(t);
    ret = rf_ok(f, rf_retraction("ret:fnd", P_BODY, "fnd:a"), K(P_BODY), NULL);
    t = view_text(f, ledger_view_incident, "inc:a");
    snprintf(want, sizeof want, "; NOT PUBLISHED (reached quorum at entry %llu, then retracted)\n",
             (unsigned long long)rf_index(f, "vote:fnd:a:8"));
    assert_has(t, want);
    snprintf(want, sizeof want, "retracted (at entry %llu)", (unsigned long long)ret);
    assert_has(t, want);
    free(t);
}

static void
views_finding_tally_names_the_rule(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *tl;

    rf_ok(f,
          rf_finding("fnd:g", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 5, \"group_constraints\":"
                     " [{\"min_distinct_regions_among_approvers\": 2,"
                     " \"min_distinct_sectors_among_approvers\": 3}],"
                     " \"recusal_policy\": \"RECUSAL_POLICY_COUNTS_AS_ABSTAIN\""),
          K(P_BODY), NULL);
    v = view_json(f, ledger_view_incident, "inc:a");
    tl = json_object_get(must_item(v, "findings", "fnd:g"), "tally");
    assert_int_equal(i_of(tl, "panel_size"), 5);
    assert_int_equal(i_of(tl, "approvals_required"), 5);
    assert_int_equal(i_of(tl, "min_regions"), 2);
    assert_int_equal(i_of(tl, "min_sectors"), 3);
    assert_string_equal(s_of(tl, "recusal_policy"), "COUNTS_AS_ABSTAIN");
    /* A finding without its own rule shows the ledger's. */
    tl = json_object_get(must_item(v, "findings", "fnd:a"), "tally");
    assert_int_equal(i_of(tl, "approvals_required"), 4);
    assert_int_equal(i_of(tl, "min_sectors"), 0);
    assert_string_equal(s_of(tl, "recusal_policy"), "REDUCES_PANEL");
    json_decref(v);
}

/* ---- actor ---- */

static const char *
actor_with_parent(const char *rid, const char *sup, const char *name, const char *kind,
                  const char *parent)
{
    /* actor_id: the first version's record_id (the part before '@'). */
    const char *at = strchr(rid, '@');
    int keylen = at ? (int)(at - rid) : (int)strlen(rid);

    return rf_json("{%s, \"actor\": {\"actor_id\": \"%.*s\", \"name\": \"%s\","
                   " \"actor_kind\": \"ACTOR_KIND_%s\"%s%s%s}}",
                   rf_hdr(rid, P_M1, sup, 0), keylen, rid, name, kind,
                   parent ? ", \"parent_actor\": \"" : "", parent ? parent : "",
                   parent ? "\"" : "");
}

static void
views_actor_lists_only_attributions(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *x;

    /* A claim that names act:b only as the impersonated party of a false
     * flag, and as an alternative hypothesis. */
    rf_ok(f,
          rf_claim("clm:ff", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:a\","
                   " \"false_flag_claimed\": {\"impersonated_actor\": \"act:b\"},"
                   " \"methodology\": {\"alternative_hypotheses\": [{\"actor_ref\": \"act:b\"}]}"),
          K(P_M2), NULL);
    rf_ok(f,
          rf_claim("clm:nexus", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:a\","
                   " \"state_nexus\": \"act:b\""),
          K(P_M2), NULL);
    v = view_json(f, ledger_view_actor, "act:b");
    assert_null(item(v, "attributions", "clm:ff"));
    x = must_item(v, "attributions", "clm:nexus");
    assert_string_equal(s_of(x, "as"), "state_nexus");
    assert_string_equal(s_of(x, "claimant"), "p:m2");
    assert_int_equal(json_array_size(json_object_get(v, "attributions")), 1);
    json_decref(v);
    v = view_json(f, ledger_view_actor, "act:a");
    assert_string_equal(s_of(must_item(v, "attributions", "clm:ff"), "as"), "attributed_to");
    assert_string_equal(s_of(must_item(v, "attributions", "clm:a"), "as"), "attributed_to");
    x = must_item(v, "attributions", "fnd:a");
    assert_string_equal(s_of(x, "type"), "finding");
    assert_int_equal(json_array_size(json_object_get(x, "conclusions")), 1);
    assert_string_equal(s_of(json_array_get(json_object_get(x, "incidents"), 0), "record_id"),
                        "inc:a");
    assert_string_equal(s_of(json_array_get(json_object_get(x, "incidents"), 0), "record_id_name"),
                        "Incident inc:a");
    json_decref(v);
}

static void
views_actor_chain_and_names_follow_latest_versions(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *chain;
    char *t;

    rf_ok(f, actor_with_parent("act:s1", NULL, "State One", "STATE", NULL), K(P_M1), NULL);
    rf_ok(f, actor_with_parent("act:s2", NULL, "State Two", "STATE", NULL), K(P_M1), NULL);
    rf_ok(f, actor_with_parent("act:org", NULL, "Organ", "STATE_ORGAN", "act:s1"), K(P_M1), NULL);
    rf_ok(f, actor_with_parent("act:grp", NULL, "Group", "INTRUSION_SET", "act:org"), K(P_M1),
          NULL);
    /* The organ is re-attributed to state two, and renamed. */
    rf_ok(f, actor_with_parent("act:org@v2", "act:org", "Organ Renamed", "STATE_ORGAN", "act:s2"),
          K(P_M1), NULL);
    /* A claim naming the latest version of the group. */
    rf_ok(f,
          rf_claim("clm:grp", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:org@v2\""),
          K(P_M2), NULL);
    v = view_json(f, ledger_view_actor, "act:grp");
    chain = json_object_get(v, "chain");
    assert_int_equal(json_array_size(chain), 3);
    assert_string_equal(s_of(json_array_get(chain, 0), "name"), "Group");
    assert_string_equal(s_of(json_array_get(chain, 1), "name"), "Organ Renamed");
    assert_string_equal(s_of(json_array_get(chain, 2), "record_id"), "act:s2");
    assert_string_equal(s_of(json_array_get(chain, 2), "name"), "State Two");
    json_decref(v);
    /* Looking up the organ by any version, or by name, gives the latest. */
    v = view_json(f, ledger_view_actor, "organ renamed");
    assert_string_equal(s_of(v, "record_id"), "act:org");
    assert_string_equal(s_of(json_object_get(v, "actor"), "name"), "Organ Renamed");
    assert_string_equal(s_of(must_item(v, "attributions", "clm:grp"), "as"), "attributed_to");
    json_decref(v);
    t = view_text(f, ledger_view_actor, "act:grp");
    assert_has(t, "  chain: Group (intrusion set) -> Organ Renamed (state organ) -> State Two "
                  "(state)\n");
    free(t);
    {
        ledger_buf out = LEDGER_BUF_INIT;
        TU_CHECK(ledger_view_actor(&out, f->log, "nobody", 1), LEDGER_ENOTFOUND);
        assert_non_null(strstr(ledger_error_last()->message, "no actor named nobody"));
    }
}

/* ---- participant ---- */

static void
views_participant_keys_roles_and_records(void **state)
{
    rf_ledger *f = *state;
    ledger_key *k2 = NULL;
    uint8_t seed[32];
    uint64_t rev;
    json_t *v, *keys, *recs, *x;
    size_t i;
    int active = 0, revoked = 0;
    char *t;

    memset(seed, 0x55, 32);
    TU_OK(ledger_key_from_seed(&k2, "p:m1", seed));
    rf_ok(f,
          rf_participant("reg:p:m1@v2", P_ADMIN, "reg:p:m1", "p:m1",
                         "\"PARTICIPANT_ROLE_MEMBER\", \"PARTICIPANT_ROLE_CURATOR\"", K(P_M1), k2,
                         NULL),
          K(P_ADMIN), k2);
    rev = rf_ok(f, rf_revocation("rev:m1", P_M1, "p:m1", K(P_M1)), k2, NULL);
    v = view_json(f, ledger_view_participant, "p:m1");
    assert_string_equal(s_of(json_object_get(v, "participant"), "participant_id"), "p:m1");
    assert_int_equal(i_of(v, "latest_index"), rf_index(f, "reg:p:m1@v2"));
    assert_int_equal(json_array_size(json_object_get(v, "roles")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "roles"), 0)),
                        "MEMBER");
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "roles"), 1)),
                        "CURATOR");
    keys = json_object_get(v, "keys");
    assert_int_equal(json_array_size(keys), 2);
    json_array_foreach(keys, i, x)
    {
        if (strcmp(s_of(x, "status"), "REVOKED") == 0) {
            revoked++;
            assert_int_equal(i_of(x, "revoked_at"), rev);
            assert_int_equal(i_of(x, "added_at"), rf_index(f, "reg:p:m1"));
        } else {
            active++;
            assert_null(json_object_get(x, "revoked_at"));
        }
    }
    assert_int_equal(active, 1);
    assert_int_equal(revoked, 1);
    /* Records authored by p:m1, in entry order. */
    recs = json_object_get(v, "records");
    assert_true(json_array_size(recs) >= 6);
    for (i = 1; i < json_array_size(recs); i++)
        assert_true(i_of(json_array_get(recs, i - 1), "index") <
                    i_of(json_array_get(recs, i), "index"));
    assert_string_equal(s_of(json_array_get(recs, 0), "record_id"), "act:a");
    assert_string_equal(s_of(json_array_get(recs, 0), "type"), "actor");
    json_decref(v);
    t = view_text(f, ledger_view_participant, "p:m1");
    assert_has(t, "  roles: member, curator\n");
    assert_has(t, "revoked at entry");
    free(t);
    {
        ledger_buf out = LEDGER_BUF_INIT;
        TU_CHECK(ledger_view_participant(&out, f->log, "p:nobody", 1), LEDGER_ENOTFOUND);
    }
    ledger_key_free(k2);
}

/* ---- stats ---- */

static void
views_stats_counts(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *types;

    rf_ok(f, rf_opinion("op:dispute", P_M2, "clm:a", "DISPUTE", 0), K(P_M2), NULL);
    rf_ok(f, rf_opinion("op:endorse", P_M2, "clm:a", "ENDORSEMENT", 0), K(P_M2), NULL);
    rf_ok(f, rf_claim("clm:b", P_M2, NULL, 0, "p:m2", NULL), K(P_M2), NULL);
    rf_ok(f, rf_opinion("op:b", P_M1, "clm:b", "ENDORSEMENT", 0), K(P_M1), NULL);
    rf_ok(f, rf_incident("inc:bare", P_M1, NULL), K(P_M1), NULL);
    rf_ok(f, rf_claim("clm:a@v2", P_M1, "clm:a", 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f, rf_retraction("ret:b", P_M2, "clm:b"), K(P_M2), NULL);
    vote4(f, "fnd:a");
    v = view_json(f, stats_view, NULL);
    assert_int_equal(i_of(v, "entries"), rf_size(f));
    types = json_object_get(v, "records_by_type");
    assert_int_equal(i_of(types, "ledger_policy"), 1);
    assert_int_equal(i_of(types, "participant"), P__COUNT - 1);
    assert_int_equal(i_of(types, "attribution_claim"), 3);
    assert_int_equal(i_of(types, "panel_vote"), 4);
    assert_int_equal(i_of(v, "superseded"), 1);
    assert_int_equal(i_of(v, "retracted"), 1);
    assert_int_equal(i_of(v, "incidents"), 2);
    assert_int_equal(i_of(v, "incidents_with_finding"), 1);
    assert_int_equal(i_of(v, "incidents_without_finding"), 1);
    assert_int_equal(i_of(v, "claims"), 3);
    assert_int_equal(i_of(v, "claims_contested"), 1);
    assert_int_equal(i_of(v, "findings"), 1);
    assert_int_equal(i_of(v, "findings_published"), 1);
    json_decref(v);
}

static void
views_stats_counts_findings_on_any_incident_version(void **state)
{
    rf_ledger *f = *state;
    json_t *v;
    char *t;

    rf_ok(f, rf_incident("inc:b", P_M1, NULL), K(P_M1), NULL);
    rf_ok(f, rf_incident("inc:b@v2", P_M1, "inc:b"), K(P_M1), NULL);
    rf_ok(f, rf_finding("fnd:b", P_BODY, NULL, "inc:b@v2", RF_PANEL, NULL), K(P_BODY), NULL);
    v = view_json(f, stats_view, NULL);
    assert_int_equal(i_of(v, "incidents"), 2);
    assert_int_equal(i_of(v, "incidents_with_finding"), 2);
    assert_int_equal(i_of(v, "incidents_without_finding"), 0);
    json_decref(v);
    t = view_text(f, stats_view, NULL);
    assert_has(t, "incidents                 2 (2 with a finding, 0 without)\n");
    free(t);
}

/* ---- hostile members (issue 11) ---- */

/* Item 2: a name two members' actors share is ambiguous, and another
 * member's record under an actor's key is shown as theirs. */
static void
views_actor_names_and_keys_cannot_be_taken_over(void **state)
{
    rf_ledger *f = *state;
    ledger_buf out = LEDGER_BUF_INIT;
    json_t *v, *x;
    char *t;

    rf_ok(f,
          rf_json("{%s, \"actor\": {\"actor_id\": \"act:a\", \"name\": \"Fake A\"}}",
                  rf_hdr("aaa:a", P_M2, NULL, 0)),
          K(P_M2), NULL);
    rf_ok(f,
          rf_json("{%s, \"actor\": {\"actor_id\": \"aaa:b\", \"name\": \"Actor act:a\"}}",
                  rf_hdr("aaa:b", P_M2, NULL, 0)),
          K(P_M2), NULL);
    for (int i = 0; i < 2; i++) {
        v = view_json(f, ledger_view_actor, i ? "aaa:a" : "act:a");
        assert_string_equal(s_of(v, "record_id"), "act:a");
        assert_string_equal(s_of(json_object_get(v, "actor"), "name"), "Actor act:a");
        x = must_item(v, "reports", "aaa:a");
        assert_string_equal(s_of(x, "author"), "p:m2");
        json_decref(v);
    }
    t = view_text(f, ledger_view_actor, "act:a");
    assert_has(t, "ACTOR act:a: Actor act:a (intrusion set)\n");
    assert_has(t, "REPORTS BY OTHER MEMBERS (their own words about this actor)\n  [");
    assert_has(t, " aaa:a by p:m2: Fake A; active\n");
    free(t);
    /* "Actor act:a" is the name of p:m1's act:a and of p:m2's aaa:b. */
    TU_CHECK(ledger_view_actor(&out, f->log, "Actor act:a", 1), LEDGER_ENOTFOUND);
    assert_non_null(strstr(ledger_error_last()->message,
                           "Actor act:a is ambiguous: it names aaa:b (by p:m2) and act:a (by "
                           "p:m1); name the actor by its record_id"));
    ledger_buf_dispose(&out);
}

/* Item 6: control and bidirectional-override characters in record text
 * are escaped in every text view (the JSON view is escaped by JSON). */
static void
views_text_escapes_control_and_bidi_characters(void **state)
{
    rf_ledger *f = *state;
    char *t;

    rf_ok(f,
          rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:esc\", \"name\": "
                  "\"a\\u001b[2Jb\\u0007c\\rd\\ne\\u202egro.f\\u2066g\\\\h\\u0085i\","
                  " \"description\": \"x\\u001b]0;title\\u0007y\"}}",
                  rf_hdr("inc:esc", P_M1, NULL, 0)),
          K(P_M1), NULL);
    rf_ok(f,
          rf_json("{%s, \"actor\": {\"actor_id\": \"act:esc\", \"name\": \"n\\u001bm\","
                  " \"aliases\": [\"al\\u202eias\"], \"actor_kind\": \"ACTOR_KIND_PERSONA\"}}",
                  rf_hdr("act:esc", P_M1, NULL, 0)),
          K(P_M1), NULL);
    t = view_text(f, ledger_view_incident, "inc:esc");
    assert_has(t, "INCIDENT inc:esc: a\\x1b[2Jb\\x07c\\x0dd\\x0ae\\u{202e}gro.f\\u{2066}g\\\\h"
                  "\\u{0085}i\n");
    assert_has(t, "  x\\x1b]0;title\\x07y\n");
    for (const char *p = t; *p; p++)
        assert_true(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f));
    assert_null(strstr(t, "\xe2\x80\xae"));
    free(t);
    t = view_text(f, ledger_view_actor, "act:esc");
    assert_has(t, "ACTOR act:esc: n\\x1bm (persona)\n  aliases: al\\u{202e}ias\n");
    free(t);
}

/* Item 10: the genesis admin's participant view shows the admin, not the
 * ledger policy that registered it. */
static void
views_participant_genesis_admin(void **state)
{
    rf_ledger *f = *state;
    json_t *v, *p, *keys;
    char *t;

    v = view_json(f, ledger_view_participant, "p:admin");
    p = json_object_get(v, "participant");
    assert_string_equal(s_of(p, "participant_id"), "p:admin");
    assert_null(json_object_get(p, "origin"));
    assert_null(json_object_get(p, "log_public_key"));
    assert_non_null(json_object_get(p, "public_keys"));
    assert_int_equal(i_of(v, "latest_index"), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "roles"), 0)), "ADMIN");
    keys = json_object_get(v, "keys");
    assert_int_equal(json_array_size(keys), 1);
    assert_string_equal(s_of(json_array_get(keys, 0), "status"), "ACTIVE");
    json_decref(v);
    t = view_text(f, ledger_view_participant, "p:admin");
    assert_has(t, "PARTICIPANT p:admin: ");
    assert_has(t, "  roles: admin\n");
    free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* ---- case files for readers (issue 16 item 6) ---- */

/* The text of a view must contain `first` and then, later, `second`. */
static void
assert_before(const char *text, const char *first, const char *second)
{
    const char *a = strstr(text, first), *b = strstr(text, second);

    if (a == NULL || b == NULL || b < a)
        fail_msg("text lacks \"%s\" before \"%s\":\n%s", first, second, text);
}

/* Dates on claims (their own claimed_at, by its precision), opinions,
 * votes and findings; claims in time order, not entry order; each
 * claim's statement, escaped; plain words; and --json unchanged. */
static void
views_text_dates_time_order_and_statements(void **state)
{
    rf_ledger *f = *state;
    char *t, want[160];
    json_t *v, *x;

    rf_ok(f,
          rf_json("{%s, \"attribution_claim\": {\"claimant\": \"p:m2\", \"incident_refs\":"
                  " [\"inc:a\"], \"attributed_to\": \"act:b\", \"level\":"
                  " \"ATTRIBUTION_LEVEL_STRATEGIC\", \"claimed_at\": {\"time\":"
                  " \"2016-03-04T00:00:00Z\", \"precision\": \"DATE_PRECISION_MONTH\"},"
                  " \"channel\": \"CHANNEL_OFFICIAL_STATEMENT\", \"confidence\": {\"stix_value\":"
                  " 70}, \"statement\": \"We say \\u202eso\\u001b.\"}}",
                  rf_hdr("clm:early", P_M2, NULL, 0)),
          K(P_M2), NULL);
    vote4(f, "fnd:a");
    t = view_text(f, ledger_view_incident, "inc:a");
    snprintf(want, sizeof want, "  [%llu] 2016-03 clm:early: active\n",
             (unsigned long long)rf_index(f, "clm:early"));
    assert_before(t, want, "] 2017-06-01 clm:a: active\n");
    assert_has(t, want);
    assert_has(t, "      p:m2 says: act:b (Actor act:b)\n"
                  "      statement: \"We say \\u{202e}so\\x1b.\"\n"
                  "      strategic level, first-party\n"
                  "      confidence: STIX 70\n"
                  "      channel: official statement; evidence disclosure: unspecified\n");
    assert_has(t, "      statement: \"Claim clm:a.\"\n"
                  "      attribution, technical level, first-party\n");
    {
        char vid[32];
        snprintf(vid, sizeof vid, "vote:fnd:a:%d", P_PAN1);
        snprintf(want, sizeof want, "        [%llu] 2017-06-01 p:pan1 approve\n",
                 (unsigned long long)rf_index(f, vid));
    }
    assert_has(t, want);
    free(t);
    /* The JSON has none of the text's additions. */
    v = view_json(f, ledger_view_incident, "inc:a");
    x = must_item(v, "claims", "clm:early");
    assert_null(json_object_get(x, "created"));
    assert_null(json_object_get(json_array_get(json_object_get(v, "findings"), 0), "created"));
    json_decref(v);
}

/* A finding that is not published says so on its first line, in every
 * view it appears in: incident, actor, participant. */
static void
views_text_marks_unpublished_findings(void **state)
{
    rf_ledger *f = *state;
    char *t, want[160];

    snprintf(want, sizeof want,
             "  [%llu] 2017-06-01 fnd:a CASE-fnd:a: attributed; active; NOT "
             "PUBLISHED (quorum not reached)\n",
             (unsigned long long)rf_index(f, "fnd:a"));
    t = view_text(f, ledger_view_incident, "inc:a");
    assert_has(t, want);
    free(t);
    snprintf(want, sizeof want,
             "  [%llu] 2017-06-01 finding fnd:a by p:body: active; NOT PUBLISHED (quorum not "
             "reached)\n",
             (unsigned long long)rf_index(f, "fnd:a"));
    t = view_text(f, ledger_view_actor, "act:a");
    assert_has(t, want);
    free(t);
    snprintf(want, sizeof want,
             "  [%llu] 2017-06-01 finding fnd:a: active; NOT PUBLISHED (quorum not reached)\n",
             (unsigned long long)rf_index(f, "fnd:a"));
    t = view_text(f, ledger_view_participant, "p:body");
    assert_has(t, want);
    free(t);
    vote4(f, "fnd:a");
    t = view_text(f, ledger_view_actor, "act:a");
    assert_has(t, "fnd:a by p:body: active; published (quorum reached at entry ");
    free(t);
}

/* Incidents and participants by name as actors are; "did you mean" on a
 * miss for all three, and the miss stays LEDGER_ENOTFOUND. */
static void
views_lookup_by_name_and_suggestions(void **state)
{
    rf_ledger *f = *state;
    ledger_buf out = LEDGER_BUF_INIT;
    json_t *v;

    v = view_json(f, ledger_view_incident, "incident INC:A");
    assert_string_equal(s_of(v, "record_id"), "inc:a");
    json_decref(v);
    v = view_json(f, ledger_view_participant, "PARTICIPANT p:m2");
    assert_string_equal(s_of(json_object_get(v, "participant"), "participant_id"), "p:m2");
    json_decref(v);
    TU_CHECK(ledger_view_incident(&out, f->log, "Incidnt inc:a", 0), LEDGER_ENOTFOUND);
    assert_string_equal(ledger_error_last()->message,
                        "no incident Incidnt inc:a; did you mean: inc:a, Incident inc:a?");
    TU_CHECK(ledger_view_actor(&out, f->log, "Actor act:c", 0), LEDGER_ENOTFOUND);
    assert_string_equal(ledger_error_last()->message,
                        "no actor named Actor act:c; did you mean: Actor act:a, Actor act:b?");
    TU_CHECK(ledger_view_participant(&out, f->log, "Participant p:m", 0), LEDGER_ENOTFOUND);
    assert_string_equal(ledger_error_last()->message,
                        "no participant Participant p:m; did you mean: Participant p:m1, "
                        "Participant p:m2, Participant p:body?");
    TU_CHECK(ledger_view_participant(&out, f->log, "zzzzzzzz", 0), LEDGER_ENOTFOUND);
    assert_string_equal(ledger_error_last()->message, "no participant zzzzzzzz");
    /* Two incidents answering to one name: ambiguous, naming both. */
    rf_ok(f,
          rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:z\", \"name\": \"Incident "
                  "inc:a\"}}",
                  rf_hdr("inc:z", P_M2, NULL, 0)),
          K(P_M2), NULL);
    TU_CHECK(ledger_view_incident(&out, f->log, "Incident inc:a", 0), LEDGER_ENOTFOUND);
    assert_non_null(strstr(ledger_error_last()->message, "is ambiguous: it names inc:a (by p:m1) "
                                                         "and inc:z (by p:m2)"));
}

/* The actor view lists claims against the actors its related_actors
 * name, marked as such; the JSON stays as it was. */
static void
views_actor_claims_against_related_actors(void **state)
{
    rf_ledger *f = *state;
    char *t, want[200];
    json_t *v;

    rf_ok(f,
          rf_json("{%s, \"actor\": {\"actor_id\": \"act:r\", \"name\": \"Relative\","
                  " \"related_actors\": [\"act:b\"]}}",
                  rf_hdr("act:r", P_M1, NULL, 0)),
          K(P_M1), NULL);
    rf_ok(f,
          rf_claim("clm:onb", P_M2, NULL, 0, "p:m2",
                   "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:b\","
                   " \"confidence\": {\"stix_value\": 60}"),
          K(P_M2), NULL);
    t = view_text(f, ledger_view_actor, "act:r");
    snprintf(want, sizeof want,
             "ATTRIBUTIONS (0), in time order\n\n"
             "CLAIMS AGAINST RELATED ACTORS (1), in time order\n"
             "  [%llu] 2017-06-01 claim clm:onb by p:m2: active\n"
             "      against related actor act:b (Actor act:b)\n"
             "      incidents: inc:a (Incident inc:a)\n"
             "      statement: \"Claim clm:onb.\"\n",
             (unsigned long long)rf_index(f, "clm:onb"));
    assert_has(t, want);
    free(t);
    v = view_json(f, ledger_view_actor, "act:r");
    assert_null(json_object_get(v, "related_claims"));
    json_decref(v);
}

/* stats names the contested claims and the incidents without a finding,
 * in text and as two new JSON keys. */
static void
views_stats_lists_contested_claims_and_incidents_without_finding(void **state)
{
    rf_ledger *f = *state;
    json_t *v;
    char *t;

    rf_ok(f, rf_incident("inc:b", P_M1, NULL), K(P_M1), NULL);
    rf_ok(f, rf_opinion("op:deny", P_M2, "clm:a", "DENIAL", 1), K(P_M2), NULL);
    v = view_json(f, stats_view, NULL);
    assert_int_equal(i_of(v, "claims_contested"), 1);
    {
        char *j = json_dumps(json_object_get(v, "contested_claims"), JSON_COMPACT);
        assert_string_equal(j, "[{\"record_id\":\"clm:a\",\"claimant\":\"p:m1\"}]");
        free(j);
        j = json_dumps(json_object_get(v, "incidents_without_a_finding"), JSON_COMPACT);
        assert_string_equal(j, "[{\"record_id\":\"inc:b\",\"name\":\"Incident inc:b\"}]");
        free(j);
    }
    json_decref(v);
    t = view_text(f, stats_view, NULL);
    assert_has(t, "incidents                 2 (1 with a finding, 1 without)\n"
                  "  without a finding:\n"
                  "    inc:b: Incident inc:b\n"
                  "claims                    1 (1 contested: disputed or denied)\n"
                  "  contested:\n"
                  "    clm:a by p:m1\n");
    free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(views_incident_case_file),
        T(views_incident_opinions_on_any_report_version),
        T(views_incident_text_lines),
        T(views_finding_tally_names_the_rule),
        T(views_actor_lists_only_attributions),
        T(views_actor_chain_and_names_follow_latest_versions),
        T(views_participant_keys_roles_and_records),
        T(views_actor_names_and_keys_cannot_be_taken_over),
        T(views_text_escapes_control_and_bidi_characters),
        T(views_participant_genesis_admin),
        T(views_stats_counts),
        T(views_stats_counts_findings_on_any_incident_version),
        T(views_text_dates_time_order_and_statements),
        T(views_text_marks_unpublished_findings),
        T(views_lookup_by_name_and_suggestions),
        T(views_actor_claims_against_related_actors),
        T(views_stats_lists_contested_claims_and_incidents_without_finding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
