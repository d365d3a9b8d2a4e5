/*
 * view_stats.c - the statistics view: counts by record type, superseded
 * and retracted records, incidents with and without a finding (on any
 * version of the report), contested claims (a dispute or denial opinion),
 * and published findings (tally.c).
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

typedef struct {
    vctx *c;
    uint64_t by_type[LG_REC__COUNT];
    uint64_t superseded, retracted;
    uint64_t incidents, with_finding, claims_contested, findings_published;
    json_t *contested;  /* [{record_id, claimant}] */
    json_t *no_finding; /* [{record_id, name}] */
    int err;
} stats;

/* Append {"record_id": rid, key: val} to arr. */
static int
push_named(json_t *arr, const uint8_t *rid, size_t rl, const char *key, const char *val)
{
    json_t *o = json_pack("{s:s%,s:s}", "record_id", (const char *)rid, rl, key, val);

    if (o == NULL || json_array_append_new(arr, o) != 0)
        return lg_error_nomem();
    return 0;
}

/* The name in the latest version of the incident report at row r. */
static int
latest_name(vctx *c, const lg_record_row *r, char *out, size_t cap)
{
    lg_record_row last = *r;
    ventry e;
    int rc;

    for (int hops = 0; (rc = lg_view_next_version(c, &last, NULL, 0)) > 0; hops++)
        if (hops > 100000)
            return lg_error_set(LEDGER_ECORRUPT, "version chain does not end");
    if (rc < 0 || (rc = lg_view_load(c, last.index, &e)) < 0)
        return rc;
    snprintf(out, cap, "%s", lg_view_jstr(lg_view_body(&e), "name"));
    lg_view_entry_free(&e);
    return 0;
}

static int
has_type_ref(vctx *c, uint64_t target, lg_record_type type, const char *kind_a, const char *kind_b,
             int *out)
{
    idx_list refs = {0};
    int rc = lg_view_refs_of(c, target, &refs);

    *out = 0;
    for (size_t i = 0; rc == 0 && i < refs.n && !*out; i++) {
        ventry e;
        if ((rc = lg_view_load(c, refs.v[i], &e)) < 0)
            break;
        if (e.type == type) {
            const char *k = lg_view_jstr(lg_view_body(&e), "kind");
            *out = kind_a == NULL || strcmp(k, kind_a) == 0 || strcmp(k, kind_b) == 0;
        }
        lg_view_entry_free(&e);
    }
    lg_free(refs.v);
    return rc;
}

static int
stats_visit(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    stats *s = p;
    lg_record_row r;
    ventry e;
    int rc, yes;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    s->by_type[r.type]++;
    s->superseded += r.superseded_by != 0;
    s->retracted += r.retracted_by != 0;
    if (r.type == LG_REC_INCIDENT_REPORT) {
        if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
            return rc;
        int root = *lg_view_jstr(json_object_get(e.json, "header"), "supersedes") == '\0';
        lg_view_entry_free(&e);
        if (root) {
            /* A finding may name any version of the report. */
            lg_record_row vr = r;
            s->incidents++;
            for (int hops = 0;; hops++) {
                if ((rc = has_type_ref(s->c, vr.index, LG_REC_FINDING, NULL, NULL, &yes)) < 0)
                    return rc;
                if (yes || hops > 100000 || (rc = lg_view_next_version(s->c, &vr, NULL, 0)) == 0)
                    break;
                if (rc < 0)
                    return rc;
            }
            s->with_finding += yes;
            if (!yes) {
                char name[256];
                if ((rc = latest_name(s->c, &r, name, sizeof name)) < 0 ||
                    (rc = push_named(s->no_finding, k, kl, "name", name)) < 0)
                    return rc;
            }
        }
    } else if (r.type == LG_REC_ATTRIBUTION_CLAIM) {
        if ((rc = has_type_ref(s->c, r.index, LG_REC_OPINION, "OPINION_KIND_DISPUTE",
                               "OPINION_KIND_DENIAL", &yes)) < 0)
            return rc;
        s->claims_contested += yes;
        if (yes) {
            char claimant[LEDGER_ID_MAX + 1];
            if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
                return rc;
            snprintf(claimant, sizeof claimant, "%s", lg_view_jstr(lg_view_body(&e), "claimant"));
            lg_view_entry_free(&e);
            if ((rc = push_named(s->contested, k, kl, "claimant", claimant)) < 0)
                return rc;
        }
    } else if (r.type == LG_REC_FINDING) {
        json_t *it = NULL;
        if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
            return rc;
        rc = lg_view_finding_item(&it, s->c, &e);
        lg_view_entry_free(&e);
        if (rc == 0)
            s->findings_published += json_is_true(json_object_get(it, "published"));
        json_decref(it);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int
lg_view_stats_json(json_t **out, vctx *c)
{
    stats s;
    json_t *o = json_object(), *types = json_object();
    int rc;

    memset(&s, 0, sizeof s);
    s.c = c;
    *out = o;
    s.contested = json_array();
    s.no_finding = json_array();
    if (o == NULL || types == NULL || s.contested == NULL || s.no_finding == NULL) {
        json_decref(types);
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = lg_view_set(o, "records_by_type", types)) < 0)
        goto done;
    if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, stats_visit, &s)) < 0)
        goto done;
    for (int t = 1; t < LG_REC__COUNT; t++)
        if (strcmp(lg_record_type_name((lg_record_type)t), "none") != 0 && /* reserved */
            (rc = lg_json_set_u64(types, lg_record_type_name((lg_record_type)t), s.by_type[t])) < 0)
            goto done;
    if ((rc = lg_json_set_u64(o, "entries", c->size)) < 0 ||
        (rc = lg_json_set_u64(o, "superseded", s.superseded)) < 0 ||
        (rc = lg_json_set_u64(o, "retracted", s.retracted)) < 0 ||
        (rc = lg_json_set_u64(o, "incidents", s.incidents)) < 0 ||
        (rc = lg_json_set_u64(o, "incidents_with_finding", s.with_finding)) < 0 ||
        (rc = lg_json_set_u64(o, "incidents_without_finding", s.incidents - s.with_finding)) < 0 ||
        (rc = lg_json_set_u64(o, "claims", s.by_type[LG_REC_ATTRIBUTION_CLAIM])) < 0 ||
        (rc = lg_json_set_u64(o, "claims_contested", s.claims_contested)) < 0 ||
        (rc = lg_json_set_u64(o, "findings", s.by_type[LG_REC_FINDING])) < 0 ||
        (rc = lg_json_set_u64(o, "findings_published", s.findings_published)) < 0)
        goto done;
    /* The lists behind two of the counts: new keys after the others, which
     * are as they were. In record_id order, like the scan. */
    if ((rc = lg_view_set(o, "contested_claims", json_incref(s.contested))) < 0)
        goto done;
    rc = lg_view_set(o, "incidents_without_a_finding", json_incref(s.no_finding));
done:
    json_decref(s.contested);
    json_decref(s.no_finding);
    return rc;
}
