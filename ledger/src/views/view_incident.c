/*
 * view_incident.c - the incident view: the case file of one incident,
 * named by the record_id of any version of its report or by its
 * incident_key (which is the record_id of the report that introduced it).
 *
 * It lists the owning report's versions, oldest first (its latest version
 * is the incident's text), other members' reports under the same key (as
 * theirs, view_keys.c), and everything that references any version:
 * claims (each with the opinions on it), evidence, findings (tally.c), and
 * the opinions on the incident itself.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "codec/codec.h"
#include "base/error.h"
#include "codec/record.h"
#include "store/store.h"
#include "views/views_int.h"

/* Opinions on any of the n target entries (e.g. every version of an
 * incident report), in entry order. */
static int
opinions_on(json_t **out, vctx *c, const uint64_t *targets, size_t n_targets)
{
    idx_list refs = {0};
    json_t *arr = json_array();
    int rc = 0;

    *out = arr;
    if (arr == NULL)
        return lg_error_nomem();
    for (size_t t = 0; t < n_targets && rc == 0; t++)
        rc = lg_view_refs_of(c, targets[t], &refs);
    if (rc < 0)
        goto done;
    lg_view_sort_idx(&refs);
    for (size_t i = 0; i < refs.n && rc == 0; i++) {
        ventry e;
        json_t *o = NULL, *b;

        if ((rc = lg_view_load(c, refs.v[i], &e)) < 0)
            break;
        if (e.type != LG_REC_OPINION) {
            lg_view_entry_free(&e);
            continue;
        }
        b = lg_view_body(&e);
        if ((rc = lg_view_item_base(&o, c, &e)) == 0 &&
            (rc = lg_view_set(o, "kind", json_string(lg_view_jstr(b, "kind")))) == 0 &&
            (rc = lg_view_set(o, "stance", json_string(lg_view_jstr(b, "stance")))) == 0 &&
            (rc = lg_view_set(
                 o, "is_accused_party",
                 json_boolean(json_is_true(json_object_get(b, "is_accused_party"))))) == 0 &&
            (rc = lg_view_set(o, "explanation", json_string(lg_view_jstr(b, "explanation")))) == 0)
            rc = lg_view_set_named(c, o, "alternative_attribution",
                                   lg_view_jstr(b, "alternative_attribution"));
        if (o != NULL && json_array_append_new(arr, o) != 0 && rc == 0)
            rc = lg_error_nomem();
        lg_view_entry_free(&e);
    }
done:
    lg_free(refs.v);
    return rc;
}

static int
claim_item(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = NULL, *b = lg_view_body(e), *ops = NULL;
    int rc;

    if ((rc = lg_view_item_base(&o, c, e)) < 0)
        goto done;
    *out = o;
    if ((rc = lg_view_set(o, "claimant", json_string(lg_view_jstr(b, "claimant")))) < 0 ||
        (rc = lg_view_set(
             o, "provenance",
             json_string(lg_view_jstr(json_object_get(e->json, "header"), "provenance")))) < 0 ||
        (rc = lg_view_set_named(c, o, "attributed_to", lg_view_jstr(b, "attributed_to"))) < 0 ||
        (rc = lg_view_set_named(c, o, "state_nexus", lg_view_jstr(b, "state_nexus"))) < 0 ||
        (rc = lg_view_set_copy(o, "assertion_type", json_object_get(b, "assertion_type"))) < 0 ||
        (rc = lg_view_set_copy(o, "target_scope", json_object_get(b, "target_scope"))) < 0 ||
        (rc = lg_view_set_copy(o, "level", json_object_get(b, "level"))) < 0 ||
        (rc = lg_view_set_copy(o, "state_responsibility",
                               json_object_get(b, "state_responsibility"))) < 0 ||
        (rc = lg_view_set_copy(o, "confidence", json_object_get(b, "confidence"))) < 0 ||
        (rc = lg_view_set_copy(o, "channel", json_object_get(b, "channel"))) < 0 ||
        (rc = lg_view_set_copy(o, "evidence_disclosure",
                               json_object_get(b, "evidence_disclosure"))) < 0 ||
        (rc = lg_view_set_copy(o, "claimed_at", json_object_get(b, "claimed_at"))) < 0 ||
        (rc = lg_view_set_copy(o, "statement", json_object_get(b, "statement"))) < 0 ||
        (rc = lg_view_set_copy(o, "norms_breached", json_object_get(b, "norms_breached"))) < 0 ||
        (rc = lg_view_set_copy(o, "supersedes",
                               json_object_get(json_object_get(e->json, "header"), "supersedes"))) <
            0)
        goto done;
    if ((rc = opinions_on(&ops, c, &e->index, 1)) < 0)
        goto done;
    rc = lg_view_set(o, "opinions", ops);
    ops = NULL;
done:
    json_decref(ops);
    return rc;
}

int
lg_view_incident_json(json_t **out, vctx *c, const char *key)
{
    json_t *o = json_object(), *versions = json_array(), *claims = json_array(),
           *findings = json_array(), *evidence = json_array(), *opinions = NULL;
    json_t *reports = NULL;
    idx_list refs = {0}, vers = {0};
    lg_record_row r;
    char root_id[LEDGER_ID_MAX + 1], owner[LEDGER_ID_MAX + 1], found[LEDGER_ID_MAX + 1];
    uint64_t latest = 0;
    int rc;

    *out = o;
    if (o == NULL || versions == NULL || claims == NULL || findings == NULL || evidence == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    /* An incident_key is the record_id of the report that introduced it
     * (rules/policy.c), so a key and any version's record_id are both
     * record ids; another member's report names the owner's case. */
    rc = lg_view_row(c, key, &r);
    if (rc == LEDGER_ENOTFOUND) {
        /* Not a record id: a name or alias (view_lookup.c). */
        if ((rc = lg_view_find_named(c, LG_REC_INCIDENT_REPORT, key, found, sizeof found)) < 0 ||
            (rc = lg_view_row(c, found, &r)) < 0)
            goto done;
        key = found;
    }
    if (rc < 0)
        goto done;
    if (r.type != LG_REC_INCIDENT_REPORT) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "%.100s is a %s, not an incident report", key,
                          lg_record_type_name(r.type));
        goto done;
    }
    snprintf(owner, sizeof owner, "%s", key);
    if ((rc = lg_view_key_owner(c, LG_REC_INCIDENT_REPORT, owner, sizeof owner)) < 0 ||
        (rc = lg_view_chain_root(c, owner, &r, root_id, sizeof root_id)) < 0 ||
        (rc = lg_view_key_reports(&reports, c, LG_REC_INCIDENT_REPORT, root_id)) < 0)
        goto done;
    /* Versions, oldest first; references to any version count. */
    for (;;) {
        ventry e;
        json_t *vi = NULL, *b;

        if ((rc = lg_view_load(c, r.index, &e)) < 0)
            goto done;
        b = lg_view_body(&e);
        if ((rc = lg_view_item_base(&vi, c, &e)) == 0 &&
            (rc = lg_view_set_copy(vi, "name", json_object_get(b, "name"))) == 0 &&
            (rc = json_array_append_new(versions, vi) == 0 ? 0 : lg_error_nomem()) == 0) {
            vi = NULL;
            if ((rc = lg_view_refs_of(c, e.index, &refs)) == 0)
                rc = lg_view_idx_push(&vers, e.index);
        }
        json_decref(vi);
        latest = e.index;
        lg_view_entry_free(&e);
        if (rc < 0)
            goto done;
        if (r.superseded_by == 0)
            break;
        if ((rc = lg_view_load(c, r.superseded_by, &e)) < 0)
            goto done;
        char next[LEDGER_ID_MAX + 1];
        snprintf(next, sizeof next, "%s",
                 lg_view_jstr(json_object_get(e.json, "header"), "record_id"));
        lg_view_entry_free(&e);
        if ((rc = lg_view_row(c, next, &r)) < 0)
            goto done;
    }
    {
        ventry e;
        if ((rc = lg_view_load(c, latest, &e)) < 0)
            goto done;
        json_t *inc = json_deep_copy(lg_view_body(&e));
        lg_view_entry_free(&e);
        if ((rc = lg_view_set(o, "incident", inc)) < 0 ||
            (rc = lg_view_key_curations(c, o, inc, root_id, latest)) < 0 ||
            (rc = lg_view_set(o, "record_id", json_string(root_id))) < 0 ||
            (rc = lg_json_set_u64(o, "latest_index", latest)) < 0 ||
            (rc = lg_view_set(o, "versions", versions)) < 0)
            goto done;
        versions = NULL;
        if ((rc = lg_view_set(o, "reports", reports)) < 0)
            goto done;
        reports = NULL;
    }
    lg_view_sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry e;
        json_t *it = NULL;

        if ((rc = lg_view_load(c, refs.v[i], &e)) < 0)
            goto done;
        switch (e.type) {
        case LG_REC_ATTRIBUTION_CLAIM:
            rc = claim_item(&it, c, &e);
            if (it != NULL && json_array_append_new(claims, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        case LG_REC_FINDING:
            rc = lg_view_finding_item(&it, c, &e);
            if (it != NULL && json_array_append_new(findings, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        case LG_REC_EVIDENCE:
            rc = lg_view_item_base(&it, c, &e);
            if (rc == 0)
                rc = lg_view_set_copy(it, "title", json_object_get(lg_view_body(&e), "title"));
            if (rc == 0)
                rc = lg_view_set_copy(it, "evidence_type",
                                      json_object_get(lg_view_body(&e), "evidence_type"));
            if (it != NULL && json_array_append_new(evidence, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        default:
            break;
        }
        lg_view_entry_free(&e);
        if (rc < 0)
            goto done;
    }
    /* Opinions on the incident itself, whichever version they name. */
    if ((rc = opinions_on(&opinions, c, vers.v, vers.n)) < 0)
        goto done;
    if ((rc = lg_view_set(o, "claims", claims)) < 0)
        goto done;
    claims = NULL;
    if ((rc = lg_view_set(o, "evidence", evidence)) < 0)
        goto done;
    evidence = NULL;
    if ((rc = lg_view_set(o, "findings", findings)) < 0)
        goto done;
    findings = NULL;
    rc = lg_view_set(o, "opinions", opinions);
    opinions = NULL;
done:
    lg_free(refs.v);
    lg_free(vers.v);
    json_decref(versions);
    json_decref(reports);
    json_decref(claims);
    json_decref(findings);
    json_decref(evidence);
    json_decref(opinions);
    return rc;
}
