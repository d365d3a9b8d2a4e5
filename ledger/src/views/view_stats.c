/*
 * view_stats.c - the statistics view: counts by record type, superseded
 * and retracted records, incidents with and without a finding (on any
 * version of the report), contested claims (a dispute or denial opinion),
 * and published findings (tally.c).
 *
 * A damaged entry does not stop the statistics (SECURITY.md): the counts
 * by type, superseded and retracted come from the index rows and stay
 * exact; what only the record says (whether an incident report is a first
 * version, an opinion's kind, a finding's votes) is left out of the counts
 * that need it, and "damaged_entries" lists the entries passed over.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/error.h"
#include "codec/codec.h"
#include "codec/record.h"
#include "store/store.h"
#include "views/views_int.h"

typedef struct {
    vctx *c;
    uint64_t by_type[LG_REC__COUNT];
    uint64_t superseded, retracted;
    uint64_t incidents, with_finding, claims_contested, findings_published;
    idx_list damaged;   /* entries passed over */
    json_t *contested;  /* [{record_id, claimant}] */
    json_t *no_finding; /* [{record_id, name}] */
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

/* The statistics can do without any record (the counts say so). */
static int
stats_need(const lg_damage *d)
{
    (void)d;
    return 0;
}

/* Load entry `index`; 1 when it is damaged (recorded, passed over). */
static int
stats_load(stats *s, uint64_t index, ventry *e)
{
    int rc = lg_view_load(s->c, index, e);

    if (rc == LEDGER_ECORRUPT &&
        (rc = lg_view_pass_damaged(s->c, index, stats_need, &s->damaged)) == 0)
        return 1;
    return rc;
}

/* Append {record_id, key: the string member `field` of the record at
 * `index`} to arr; a damaged record is passed over (and listed). */
static int
push_field(stats *s, json_t *arr, const uint8_t *rid, size_t rl, uint64_t index, const char *key,
           const char *field)
{
    ventry e;
    int rc;

    if ((rc = stats_load(s, index, &e)) != 0)
        return rc > 0 ? 0 : rc;
    rc = push_named(arr, rid, rl, key, lg_view_jstr(lg_view_body(&e), field));
    lg_view_entry_free(&e);
    return rc;
}

static int
has_type_ref(stats *s, uint64_t target, lg_record_type type, const char *kind_a, const char *kind_b,
             int *out)
{
    idx_list refs = {0};
    int rc = lg_view_refs_of(s->c, target, &refs);

    *out = 0;
    for (size_t i = 0; rc == 0 && i < refs.n && !*out; i++) {
        ventry e;
        if ((rc = stats_load(s, refs.v[i], &e)) != 0) {
            rc = rc > 0 ? 0 : rc;
            continue;
        }
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
        if ((rc = stats_load(s, r.index, &e)) != 0)
            return rc > 0 ? 0 : rc;
        int root = *lg_view_jstr(json_object_get(e.json, "header"), "supersedes") == '\0';
        lg_view_entry_free(&e);
        if (root) {
            /* A finding may name any version of the report. */
            lg_record_row vr = r;
            s->incidents++;
            for (int hops = 0;; hops++) {
                if ((rc = has_type_ref(s, vr.index, LG_REC_FINDING, NULL, NULL, &yes)) < 0)
                    return rc;
                if (yes || hops > 100000 || (rc = lg_view_next_version(s->c, &vr, NULL, 0)) == 0)
                    break;
                if (rc < 0)
                    return rc;
            }
            s->with_finding += yes;
            /* Listed by the name of the report's latest version. */
            if (!yes) {
                lg_record_row last = r;
                for (int hops = 0; (rc = lg_view_next_version(s->c, &last, NULL, 0)) > 0; hops++)
                    if (hops > 100000)
                        return lg_error_set(LEDGER_ECORRUPT, "version chain does not end");
                if (rc < 0 ||
                    (rc = push_field(s, s->no_finding, k, kl, last.index, "name", "name")) < 0)
                    return rc;
            }
        }
    } else if (r.type == LG_REC_ATTRIBUTION_CLAIM) {
        if ((rc = has_type_ref(s, r.index, LG_REC_OPINION, "OPINION_KIND_DISPUTE",
                               "OPINION_KIND_DENIAL", &yes)) < 0)
            return rc;
        s->claims_contested += yes;
        if (yes && (rc = push_field(s, s->contested, k, kl, r.index, "claimant", "claimant")) < 0)
            return rc;
    } else if (r.type == LG_REC_FINDING) {
        json_t *it = NULL;
        if ((rc = stats_load(s, r.index, &e)) != 0)
            return rc > 0 ? 0 : rc;
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

/* o["damaged_entries"] = the entries passed over, in order, when there
 * are any (a sound ledger's statistics keep their shape); frees l. */
static int
damaged_list(json_t *o, idx_list *l)
{
    json_t *d;

    if (l->n == 0) {
        lg_free(l->v);
        return 0;
    }
    d = json_array();

    lg_view_sort_idx(l);
    for (size_t i = 0; d != NULL && i < l->n; i++)
        if (json_array_append_new(d, json_integer((json_int_t)l->v[i])) != 0) {
            json_decref(d);
            d = NULL;
        }
    lg_free(l->v);
    return lg_view_set(o, "damaged_entries", d);
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
    if ((rc = lg_view_set(o, "contested_claims", json_incref(s.contested))) < 0 ||
        (rc = lg_view_set(o, "incidents_without_a_finding", json_incref(s.no_finding))) < 0)
        goto done;
    rc = damaged_list(o, &s.damaged);
    s.damaged.v = NULL;
done:
    lg_free(s.damaged.v);
    json_decref(s.contested);
    json_decref(s.no_finding);
    return rc;
}
