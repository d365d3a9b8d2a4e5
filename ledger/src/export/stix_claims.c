/*
 * stix_claims.c - STIX objects of claims, opinions, retractions and
 * findings (docs/FORMATS.md section 12): attributed-to relationships,
 * opinions, revoked versions with notes, and reports.
 */
#include <stdio.h>
#include <string.h>

#include "base/b64.h"
#include "base/error.h"
#include "export/stix_int.h"

/* A record's list of norm entries for our extension, `norm_ref` renamed
 * `norm_id`: a norm is no STIX object, and a property ending in `_ref`
 * must name one in the bundle (STIX 2.1 section 3.1). A failed
 * allocation leaves the list out, as copy_field does. */
static void
copy_norms(json_t *dst, const char *key, const json_t *src)
{
    const json_t *list = json_object_get(src, key), *v;
    json_t *out = json_is_array(list) ? json_deep_copy(list) : NULL;
    json_t *x;
    size_t i;

    if (out == NULL)
        return;
    json_array_foreach(out, i, x)
    {
        if ((v = json_object_get(x, "norm_ref")) != NULL) {
            json_object_set(x, "norm_id", (json_t *)v);
            json_object_del(x, "norm_ref");
        }
    }
    json_object_set_new(dst, key, out);
}

static json_t *
claim_extra(const json_t *cl, const char *claimant)
{
    json_t *e = json_object();
    const json_t *conf = jobj(cl, "confidence");

    if (e == NULL)
        return NULL;
    set_str(e, "claimant", claimant);
    copy_field(e, "assertion_type", cl, "assertion_type");
    copy_field(e, "attribution_level", cl, "level");
    copy_field(e, "channel", cl, "channel");
    copy_field(e, "state_responsibility", cl, "state_responsibility");
    copy_field(e, "legal_standard", cl, "legal_standard");
    copy_field(e, "evidence_disclosure", cl, "evidence_disclosure");
    copy_field(e, "basis", cl, "basis");
    copy_norms(e, "norms_breached", cl); /* norms have no STIX type */
    if (conf != NULL) {
        copy_field(e, "likelihood", conf, "likelihood");
        copy_field(e, "analytic_confidence", conf, "analytic_confidence");
        copy_field(e, "confidence_wording", conf, "wording");
        copy_field(e, "confidence_mapping_note", conf, "mapping_note");
    }
    return e;
}

int
lg_stix_map_claim(stix_ctx *c, const json_t *cl)
{
    const char *root = c->chains[c->cur].root;
    const char *atype = jstr(cl, "assertion_type"), *scope = jstr(cl, "target_scope");
    const char *claimant = jstr(cl, "claimant") ? jstr(cl, "claimant") : jstr(c->hdr, "author");
    const char *target = lg_stix_ref(c, jstr(cl, "attributed_to"));
    int hypothesis = atype && strcmp(atype, "ASSERTION_TYPE_HYPOTHESIS") == 0;
    int negative = atype && strcmp(atype, "ASSERTION_TYPE_NEGATIVE") == 0;
    const json_t *conf = jobj(cl, "confidence"), *inc, *ff;
    const json_t *claimed_at = jobj(cl, "claimed_at");
    int64_t t;
    size_t i;
    int rc = 0;

    /* relationship created = when the claim was made, when known. */
    if (claimed_at != NULL && lg_stix_ts_parse(&t, jstr(claimed_at, "time")) == 0)
        c->time_ms = t;
    if (negative) {
        /* STIX has no negated relationship: a note on the incidents. */
        char nid[ID_MAX];
        json_t *n, *refs = json_array();

        lg_stix_make_id(nid, c, "note", "claim", root);
        json_array_foreach(json_object_get(cl, "incident_refs"), i, inc)
        {
            const char *r = json_is_string(inc) ? lg_stix_ref(c, json_string_value(inc)) : NULL;
            if (r != NULL)
                json_array_append_new(refs, json_string(r));
        }
        if (target != NULL)
            json_array_append_new(refs, json_string(target));
        if (json_array_size(refs) == 0) {
            json_decref(refs);
            return 0;
        }
        n = lg_stix_obj_new(c, "note", nid, c->author_ref);
        if (n == NULL || set_str(n, "abstract", "negative attribution claim") < 0 ||
            set_str(n, "content",
                    jstr(cl, "statement") ? jstr(cl, "statement")
                                          : "no attribution to this actor") < 0 ||
            json_object_set(n, "object_refs", refs) != 0) {
            json_decref(n);
            json_decref(refs);
            return lg_error_nomem();
        }
        json_decref(refs);
        if ((rc = lg_stix_obj_tail(c, n, cl, claim_extra(cl, claimant))) < 0)
            return json_decref(n), rc;
        return lg_stix_emit(c, n);
    }
    json_array_foreach(json_object_get(cl, "incident_refs"), i, inc)
    {
        const char *src = json_is_string(inc) ? lg_stix_ref(c, json_string_value(inc)) : NULL;
        const char *dst = target, *rtype = "attributed-to";
        char seed[600], loc[ID_MAX];

        if (scope && strcmp(scope, "TARGET_SCOPE_TERRITORY") == 0) {
            chain *ach = lg_stix_chain_of(c, jstr(cl, "attributed_to"));
            const char *lid =
                ach ? lg_stix_location(c, ach->country[0] ? ach->country : NULL, loc) : NULL;
            if (lid != NULL)
                dst = lid;
            rtype = "originates-from";
        }
        snprintf(seed, sizeof seed, "%s\n%s", root,
                 json_is_string(inc) ? json_string_value(inc) : "");
        if ((rc = lg_stix_relationship(c, "claim", seed, rtype, src, dst, conf,
                                       jstr(cl, "statement"), claim_extra(cl, claimant), cl,
                                       hypothesis)) < 0)
            return rc;
    }
    /* The state behind the actor, as the claimant put it. */
    if ((rc = lg_stix_relationship(c, "claim-nexus", root, "attributed-to", target,
                                   lg_stix_ref(c, jstr(cl, "state_nexus")), conf,
                                   jstr(cl, "statement"), claim_extra(cl, claimant), cl,
                                   hypothesis)) < 0)
        return rc;
    ff = jobj(cl, "false_flag_claimed");
    if (ff != NULL)
        rc = lg_stix_relationship(c, "claim-false-flag", root, "impersonates", target,
                                  lg_stix_ref(c, jstr(ff, "impersonated_actor")), NULL,
                                  jstr(ff, "notes"), claim_extra(cl, claimant), cl, 0);
    return rc;
}

static const char *
stance_word(const json_t *op, char *buf, size_t cap)
{
    const char *s = lg_stix_enum_word(buf, cap, jstr(op, "stance"), "OPINION_");
    const char *k = jstr(op, "kind");

    if (s != NULL)
        return s;
    if (k == NULL)
        return "neutral";
    if (strcmp(k, "OPINION_KIND_ENDORSEMENT") == 0)
        return "agree";
    if (strcmp(k, "OPINION_KIND_DISPUTE") == 0)
        return "disagree";
    if (strcmp(k, "OPINION_KIND_DENIAL") == 0)
        return "strongly-disagree";
    return "neutral";
}

/* Every object a record produced (claim -> its relationships). */
static int
add_all_ids(stix_ctx *c, json_t *refs, const char *name)
{
    chain *ch = lg_stix_chain_of(c, name);
    size_t i;
    json_t *v;

    if (ch == NULL)
        return 0;
    json_array_foreach(ch->ids, i, v) if (lg_stix_have(c, json_string_value(v)) &&
                                          json_array_append(refs, v) != 0) return lg_error_nomem();
    return 0;
}

static int
opinion_obj(stix_ctx *c, const char *id, const char *stance, const char *expl, json_t *refs,
            json_t *extra, const json_t *body)
{
    json_t *o;
    int rc;

    if (json_array_size(refs) == 0) {
        json_decref(extra);
        json_decref(refs);
        c->unresolved++;
        return 0;
    }
    if ((o = lg_stix_obj_new(c, "opinion", id, c->author_ref)) == NULL ||
        set_str(o, "explanation", expl) < 0 || set_str(o, "opinion", stance) < 0 ||
        json_object_set(o, "object_refs", refs) != 0) {
        json_decref(o);
        json_decref(extra);
        json_decref(refs);
        return lg_error_nomem();
    }
    json_decref(refs);
    if ((rc = lg_stix_obj_tail(c, o, body, extra)) < 0)
        return json_decref(o), rc;
    return lg_stix_emit(c, o);
}

int
lg_stix_map_opinion(stix_ctx *c, const json_t *op)
{
    const char *root = c->chains[c->cur].root;
    char id[ID_MAX], w[64];
    json_t *refs = json_array(), *extra = json_object();
    const json_t *t;
    size_t i;
    int rc;

    lg_stix_make_id(id, c, "opinion", "opinion", root);
    json_array_foreach(json_object_get(op, "target_refs"), i,
                       t) if (json_is_string(t) &&
                              (rc = add_all_ids(c, refs, json_string_value(t))) < 0)
    {
        json_decref(refs);
        json_decref(extra);
        return rc;
    }
    copy_field(extra, "opinion_kind", op, "kind");
    copy_field(extra, "is_accused_party", op, "is_accused_party");
    copy_field(extra, "alternative_attribution", op, "alternative_attribution");
    copy_field(extra, "evidence_disclosure", op, "evidence_disclosure");
    return opinion_obj(c, id, stance_word(op, w, sizeof w), jstr(op, "explanation"), refs, extra,
                       op);
}

int
lg_stix_map_retraction(stix_ctx *c, const json_t *rt)
{
    const char *target = jstr(rt, "target_ref");
    chain *ch = lg_stix_chain_of(c, target);
    char nid[ID_MAX], t[32];
    json_t *refs, *n, *v;
    int64_t eff;
    size_t i, count;
    int rc;

    if (ch == NULL) {
        c->unresolved++;
        return 0;
    }
    if (lg_stix_ts_parse(&eff, jstr(rt, "effective_at")) == 0)
        c->time_ms = eff;
    lg_stix_ts_format(t, c->time_ms);
    refs = json_array();
    /* A last version of every object the target produced, revoked. */
    count = json_array_size(ch->ids);
    for (i = 0; i < count; i++) {
        const char *id = json_string_value(json_array_get(ch->ids, i));
        json_t *prev = lg_stix_latest_obj(c, id), *copy;

        if (prev == NULL || json_is_true(json_object_get(prev, "revoked")))
            continue;
        if ((copy = json_deep_copy(prev)) == NULL || set_str(copy, "modified", t) < 0 ||
            json_object_set_new(copy, "revoked", json_true()) != 0) {
            json_decref(copy);
            json_decref(refs);
            return lg_error_nomem();
        }
        size_t save = c->cur;
        c->cur = (size_t)(ch - c->chains);
        rc = lg_stix_emit(c, copy);
        c->cur = save;
        if (rc < 0) {
            json_decref(refs);
            return rc;
        }
        json_array_append_new(refs, json_string(id));
    }
    if (json_array_size(refs) == 0) {
        json_decref(refs);
        return 0;
    }
    lg_stix_make_id(nid, c, "note", "retraction", c->chains[c->cur].root);
    n = lg_stix_obj_new(c, "note", nid, c->author_ref);
    if (n == NULL || set_str(n, "abstract", "retraction") < 0 ||
        set_str(n, "content", jstr(rt, "explanation") ? jstr(rt, "explanation") : "retracted") <
            0 ||
        json_object_set(n, "object_refs", refs) != 0) {
        json_decref(n);
        json_decref(refs);
        return lg_error_nomem();
    }
    json_decref(refs);
    v = json_object();
    copy_field(v, "retraction_kind", rt, "kind");
    copy_field(v, "retraction_reason", rt, "reason");
    copy_field(v, "replacement_record_id", rt, "replacement_ref");
    if ((rc = lg_stix_obj_tail(c, n, NULL, v)) < 0)
        return json_decref(n), rc;
    return lg_stix_emit(c, n);
}

/* ---- findings and their publication ---- */

int
lg_stix_map_finding(stix_ctx *c, const json_t *f, const finding_state *fs)
{
    const char *root = c->chains[c->cur].root;
    char rid[ID_MAX], t[32];
    json_t *o, *refs = json_array(), *types, *extra;
    const json_t *v, *conc;
    size_t i;
    int rc;

    /* Body-authored relationships: each conclusion, from each incident. */
    json_array_foreach(json_object_get(f, "conclusions"), i, conc)
    {
        const json_t *inc;
        size_t k;
        json_array_foreach(json_object_get(f, "incident_refs"), k, inc)
        {
            char seed[700];
            const char *src = json_is_string(inc) ? lg_stix_ref(c, json_string_value(inc)) : NULL;
            snprintf(seed, sizeof seed, "%s\n%zu\n%s", root, i,
                     json_is_string(inc) ? json_string_value(inc) : "");
            if ((rc = lg_stix_relationship(c, "conclusion", seed, "attributed-to", src,
                                           lg_stix_ref(c, jstr(conc, "attributed_to")),
                                           jobj(conc, "confidence"), jstr(conc, "basis"),
                                           claim_extra(conc, jstr(c->hdr, "author")), NULL, 0)) < 0)
                goto done;
        }
    }
    json_array_foreach(json_object_get(f, "false_flag_findings"), i, v)
    {
        char seed[700];
        snprintf(seed, sizeof seed, "%s\n%zu", root, i);
        /* "X impersonates Y": the actor behind the artefacts is not known
         * here, so the finding's first conclusion is used when present. */
        const json_t *c0 = json_array_get(json_object_get(f, "conclusions"), 0);
        if ((rc = lg_stix_relationship(c, "finding-false-flag", seed, "impersonates",
                                       c0 ? lg_stix_ref(c, jstr(c0, "attributed_to")) : NULL,
                                       lg_stix_ref(c, jstr(v, "impersonated_actor")), NULL,
                                       jstr(v, "assessment"), NULL, NULL, 0)) < 0)
            goto done;
    }
    /* The body's opinion on each assessed claim. */
    json_array_foreach(json_object_get(f, "claims_assessed"), i, v)
    {
        const char *a = jstr(v, "assessment"), *stance = NULL;
        char oid[ID_MAX], seed[700];
        json_t *orefs;

        if (a == NULL)
            continue;
        if (strcmp(a, "CLAIM_ASSESSMENT_CONSISTENT") == 0)
            stance = "agree";
        else if (strcmp(a, "CLAIM_ASSESSMENT_PARTIALLY_CONSISTENT") == 0 ||
                 strcmp(a, "CLAIM_ASSESSMENT_SUPERSEDED") == 0)
            stance = "neutral";
        else if (strcmp(a, "CLAIM_ASSESSMENT_INCONSISTENT") == 0)
            stance = "disagree";
        if (stance == NULL)
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", root,
                 jstr(v, "claim_ref") ? jstr(v, "claim_ref") : "");
        lg_stix_make_id(oid, c, "opinion", "finding-assessment", seed);
        orefs = json_array();
        if ((rc = add_all_ids(c, orefs, jstr(v, "claim_ref"))) < 0 ||
            (rc = opinion_obj(c, oid, stance, jstr(v, "note"), orefs,
                              json_pack("{s:s}", "claim_assessment", a), NULL)) < 0)
            goto done;
    }
    /* The report: incidents, conclusions, assessments. */
    json_array_foreach(json_object_get(f, "incident_refs"), i, v)
    {
        const char *r = json_is_string(v) ? lg_stix_ref(c, json_string_value(v)) : NULL;
        if (r != NULL)
            json_array_append_new(refs, json_string(r));
    }
    json_array_foreach(c->chains[c->cur].ids, i, v) json_array_append(refs, (json_t *)v);
    lg_stix_make_id(rid, c, "report", "finding", root);
    if (json_array_size(refs) == 0) {
        c->unresolved++;
        rc = 0;
        goto done;
    }
    lg_stix_ts_format(t, fs->published ? fs->published_ms : c->time_ms);
    types = jarr(f, "stix_report_types") ? json_deep_copy(json_object_get(f, "stix_report_types"))
                                         : json_pack("[s]", "threat-report");
    o = lg_stix_obj_new(c, "report", rid, c->author_ref);
    if (o == NULL || types == NULL) {
        json_decref(o);
        json_decref(types);
        rc = lg_error_nomem();
        goto done;
    }
    if (json_object_set_new(o, "report_types", types) != 0 ||
        set_str(o, "name",
                jstr(f, "title")         ? jstr(f, "title")
                : jstr(f, "case_number") ? jstr(f, "case_number")
                                         : root) < 0 ||
        set_str(o, "description", jstr(f, "question")) < 0 || set_str(o, "published", t) < 0 ||
        json_object_set(o, "object_refs", refs) != 0) {
        json_decref(o);
        rc = lg_error_nomem();
        goto done;
    }
    extra = json_object();
    copy_field(extra, "case_number", f, "case_number");
    copy_field(extra, "finding_outcome", f, "outcome");
    json_object_set_new(extra, "published", json_boolean(fs->published));
    json_object_set_new(extra, "approvals", json_integer(fs->approvals));
    copy_field(extra, "panel_members", f, "panel_members");
    copy_field(extra, "decision_rule", f, "decision_rule");
    copy_field(extra, "limitations", f, "limitations");
    copy_field(extra, "dissent", f, "dissent");
    copy_field(extra, "recusals", f, "recusals");
    copy_norms(extra, "norm_conclusions", f);
    if ((rc = lg_stix_obj_tail(c, o, NULL, extra)) < 0) {
        json_decref(o);
        goto done;
    }
    if (!fs->published) {
        json_t *l = json_object_get(o, "labels");
        if (l == NULL)
            json_object_set_new(o, "labels", l = json_array());
        json_array_append_new(l, json_string("draft"));
    }
    rc = lg_stix_emit(c, o);
done:
    json_decref(refs);
    return rc;
}

/*
 * A curation by the body: a new version of the curated actor or incident
 * object (same id: ids derive from the introducing record, so they are
 * stable across transfers) with the curated name and description, modified
 * at the curation, and the extension naming the curation's entry and
 * saying who curated, why, and to whom the key moved. A later version by
 * the owner replaces it, as in the views.
 */
int
lg_stix_map_curation(stix_ctx *c, const json_t *cu)
{
    chain *ch = lg_stix_chain_of(c, jstr(cu, "target_ref"));
    json_t *prev, *copy, *e, *info;
    const json_t *name = json_object_get(cu, "name"), *desc = json_object_get(cu, "description");
    char t[32], h[LG_B64_LEN(32) + 1];
    size_t save;
    int rc;

    if (ch == NULL || ch->primary == NULL) {
        c->unresolved++;
        return 0;
    }
    prev = lg_stix_latest_obj(c, ch->primary);
    if (prev == NULL || json_is_true(json_object_get(prev, "revoked")))
        return 0;
    lg_stix_ts_format(t, c->mod_ms);
    lg_b64_encode(h, c->leaf_hash, 32);
    copy = json_deep_copy(prev);
    info = json_object();
    e = copy ? json_object_get(json_object_get(copy, "extensions"), LG_STIX_EXTENSION) : NULL;
    if (copy == NULL || info == NULL || e == NULL || set_str(copy, "modified", t) < 0 ||
        (json_is_string(name) && json_string_length(name) > 0 &&
         json_object_set(copy, "name", (json_t *)name) != 0) ||
        set_int(e, "entry_index", (json_int_t)c->index) < 0 || set_str(e, "leaf_hash", h) < 0 ||
        set_str(e, "record_id", jstr(c->hdr, "record_id")) < 0 ||
        set_str(info, "curated_by", jstr(c->hdr, "author")) < 0 ||
        set_str(info, "reason", jstr(cu, "reason")) < 0 ||
        set_str(info, "new_owner", jstr(cu, "new_owner")) < 0 ||
        json_object_set(e, "curation", info) != 0) {
        json_decref(copy);
        json_decref(info);
        return lg_error_nomem();
    }
    json_decref(info);
    if (json_is_string(desc)) {
        if (json_string_length(desc) == 0)
            json_object_del(copy, "description");
        else if (json_object_set(copy, "description", (json_t *)desc) != 0) {
            json_decref(copy);
            return lg_error_nomem();
        }
    }
    save = c->cur;
    c->cur = (size_t)(ch - c->chains);
    rc = lg_stix_emit(c, copy);
    c->cur = save;
    return rc;
}
