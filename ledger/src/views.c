/*
 * views.c - case files derived from the signed entries (view.h).
 *
 * Nothing here is stored: every view is computed from the entries and the
 * derived index tables (records: status of each record; refs: who
 * references whom) inside one read transaction, so a view is a consistent
 * snapshot. Records are read in their proto3 JSON form, which is also what
 * the JSON views embed, so field names match the schema.
 *
 * Finding publication (DESIGN.md section 4): votes are counted per finding
 * version, in entry order; a panelist's later vote replaces its earlier one;
 * RECUSE removes the panelist from n when the rule says REDUCES_PANEL, and
 * the approvals needed shrink in proportion: need = ceil(k * n' / n). The
 * approvers must also meet the rule's group constraints (distinct regions
 * and sectors of their panel profiles). The finding is published from the
 * first vote that meets the rule, and only a retraction unpublishes it.
 */
#include "attrledger/view.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "codec.h"
#include "error.h"
#include "json.h"
#include "ledger_int.h"
#include "policy.h"
#include "record.h"
#include "store.h"
#include "views.h"

typedef struct {
    ledger_log *log;
    lg_txn *t;
    lg_policy_state st;
    uint64_t size;
} vctx;

typedef struct {
    uint64_t index;
    uint64_t time;
    lg_record *rec;
    json_t *json; /* full record: {"header": ..., "<type>": ...} */
    lg_record_type type;
} ventry;

static void
ventry_free(ventry *e)
{
    lg_record_free(e->rec);
    json_decref(e->json);
    memset(e, 0, sizeof *e);
}

static int
load(vctx *c, uint64_t index, ventry *out)
{
    ledger_buf leaf = LEDGER_BUF_INIT;
    lg_entry *e = NULL;
    uint8_t key[8];
    int rc;

    memset(out, 0, sizeof *out);
    lg_u64_be(key, index);
    rc = lg_store_get(c->t, LG_DB_ENTRIES, key, 8, &leaf);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing", (unsigned long long)index);
    if (rc < 0)
        return rc;
    if ((rc = lg_entry_decode(&e, leaf.data, leaf.len)) == 0 &&
        (rc = lg_record_decode(&out->rec, e->record, e->record_len)) == 0 &&
        (rc = lg_record_to_json(&out->json, out->rec)) == 0) {
        out->index = index;
        out->time = e->integrated_time;
        out->type = lg_record_type_of(out->rec);
    }
    lg_entry_free(e);
    ledger_buf_dispose(&leaf);
    if (rc < 0)
        ventry_free(out);
    return rc;
}

static json_t *
body(const ventry *e)
{
    return json_object_get(e->json, lg_record_type_name(e->type));
}

static const char *
jstr(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static int
row_of(vctx *c, const char *rid, lg_record_row *out)
{
    return c->st.get_record(c->st.payload, rid, out);
}

static const char *
status_of(const lg_record_row *r)
{
    if (r->retracted_by)
        return "RETRACTED";
    if (r->superseded_by)
        return "SUPERSEDED";
    return "ACTIVE";
}

/* Set several members; returns 0 or ENOMEM. Values are stolen. */
static int
set(json_t *obj, const char *key, json_t *val)
{
    if (val == NULL || json_object_set_new(obj, key, val) != 0)
        return lg_error_nomem();
    return 0;
}

static int
set_copy(json_t *obj, const char *key, json_t *val)
{
    if (val == NULL)
        return 0;
    return set(obj, key, json_deep_copy(val));
}

static int
add_status(json_t *obj, vctx *c, const char *rid)
{
    lg_record_row r;
    int rc = row_of(c, rid, &r);

    if (rc < 0)
        return rc;
    if ((rc = set(obj, "status", json_string(status_of(&r)))) < 0)
        return rc;
    if (r.superseded_by && (rc = lg_json_set_u64(obj, "superseded_by", r.superseded_by)) < 0)
        return rc;
    if (r.retracted_by && (rc = lg_json_set_u64(obj, "retracted_by", r.retracted_by)) < 0)
        return rc;
    return 0;
}

/* Common members of every item: index, time, record_id, author. */
static int
item_base(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = json_object();
    json_t *h = json_object_get(e->json, "header");
    int rc;

    *out = o;
    if (o == NULL)
        return lg_error_nomem();
    if ((rc = lg_json_set_u64(o, "index", e->index)) < 0 ||
        (rc = lg_json_set_u64(o, "integrated_time", e->time)) < 0 ||
        (rc = set(o, "record_id", json_string(jstr(h, "record_id")))) < 0 ||
        (rc = set(o, "author", json_string(jstr(h, "author")))) < 0 ||
        (rc = add_status(o, c, jstr(h, "record_id"))) < 0)
        return rc;
    return 0;
}

/* Entries that reference `target`, in entry order. */
typedef struct {
    uint64_t *v;
    size_t n, cap;
} idx_list;

static int
idx_push(idx_list *l, uint64_t x)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == x)
            return 0;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        uint64_t *nv = lg_realloc(l->v, ncap * sizeof *nv);
        if (nv == NULL)
            return lg_error_nomem();
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = x;
    return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int
ref_visit(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    (void)k;
    (void)kl;
    if (vl != 8)
        return lg_error_set(LEDGER_ECORRUPT, "refs table has a malformed row");
    return idx_push(p, lg_be_u64(v));
}

static int
refs_of(vctx *c, uint64_t target, idx_list *out)
{
    uint8_t key[8];

    lg_u64_be(key, target);
    return lg_store_scan(c->t, LG_DB_REFS, key, 8, 1, ref_visit, out);
}

static void
sort_idx(idx_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof l->v[0], cmp_u64);
}

/* The row of the version after *r (its superseding record), into *r.
 * Returns 1 when there is one, 0 at the latest version, or a code. */
static int
next_version(vctx *c, lg_record_row *r, char *id_out, size_t cap)
{
    char next[LEDGER_ID_MAX + 1];
    ventry e;
    int rc;

    if (r->superseded_by == 0)
        return 0;
    if ((rc = load(c, r->superseded_by, &e)) < 0)
        return rc;
    snprintf(next, sizeof next, "%s", jstr(json_object_get(e.json, "header"), "record_id"));
    ventry_free(&e);
    if ((rc = row_of(c, next, r)) < 0)
        return rc;
    if (id_out != NULL)
        snprintf(id_out, cap, "%s", next);
    return 1;
}

/* The latest version's row of the chain through `rid`. */
static int
latest_row(vctx *c, const char *rid, lg_record_row *out)
{
    int rc = row_of(c, rid, out);

    for (int hops = 0; rc == 0; hops++) {
        if (hops > 100000)
            return lg_error_set(LEDGER_ECORRUPT, "version chain of %.100s does not end", rid);
        if ((rc = next_version(c, out, NULL, 0)) == 0)
            return 0;
        rc = rc > 0 ? 0 : rc;
    }
    return rc;
}

/* Name of a referenced actor or participant (its latest record), or "". */
static int
name_of(vctx *c, const char *rid, char *out, size_t cap)
{
    lg_record_row r;
    ventry e;
    int rc;

    out[0] = '\0';
    if (rid == NULL || *rid == '\0' || row_of(c, rid, &r) != 0)
        return 0;
    if ((rc = latest_row(c, rid, &r)) < 0 || (rc = load(c, r.index, &e)) < 0)
        return rc;
    snprintf(out, cap, "%s", jstr(body(&e), "name"));
    ventry_free(&e);
    return 0;
}

static int
set_named(vctx *c, json_t *o, const char *key, const char *rid)
{
    char name[256], k[64];
    int rc;

    if (rid == NULL || *rid == '\0')
        return 0;
    if ((rc = set(o, key, json_string(rid))) < 0 || (rc = name_of(c, rid, name, sizeof name)) < 0)
        return rc;
    snprintf(k, sizeof k, "%s_name", key);
    return *name ? set(o, k, json_string(name)) : 0;
}

/* ---- opinions, claims ---- */

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
        rc = refs_of(c, targets[t], &refs);
    if (rc < 0)
        goto done;
    sort_idx(&refs);
    for (size_t i = 0; i < refs.n && rc == 0; i++) {
        ventry e;
        json_t *o = NULL, *b;

        if ((rc = load(c, refs.v[i], &e)) < 0)
            break;
        if (e.type != LG_REC_OPINION) {
            ventry_free(&e);
            continue;
        }
        b = body(&e);
        if ((rc = item_base(&o, c, &e)) == 0 &&
            (rc = set(o, "kind", json_string(jstr(b, "kind")))) == 0 &&
            (rc = set(o, "stance", json_string(jstr(b, "stance")))) == 0 &&
            (rc = set(o, "is_accused_party",
                      json_boolean(json_is_true(json_object_get(b, "is_accused_party"))))) == 0 &&
            (rc = set(o, "explanation", json_string(jstr(b, "explanation")))) == 0)
            rc = set_named(c, o, "alternative_attribution", jstr(b, "alternative_attribution"));
        if (o != NULL && json_array_append_new(arr, o) != 0 && rc == 0)
            rc = lg_error_nomem();
        ventry_free(&e);
    }
done:
    lg_free(refs.v);
    return rc;
}

static int
claim_item(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = NULL, *b = body(e), *ops = NULL;
    int rc;

    if ((rc = item_base(&o, c, e)) < 0)
        goto done;
    *out = o;
    if ((rc = set(o, "claimant", json_string(jstr(b, "claimant")))) < 0 ||
        (rc = set(o, "provenance",
                  json_string(jstr(json_object_get(e->json, "header"), "provenance")))) < 0 ||
        (rc = set_named(c, o, "attributed_to", jstr(b, "attributed_to"))) < 0 ||
        (rc = set_named(c, o, "state_nexus", jstr(b, "state_nexus"))) < 0 ||
        (rc = set_copy(o, "assertion_type", json_object_get(b, "assertion_type"))) < 0 ||
        (rc = set_copy(o, "target_scope", json_object_get(b, "target_scope"))) < 0 ||
        (rc = set_copy(o, "level", json_object_get(b, "level"))) < 0 ||
        (rc = set_copy(o, "state_responsibility", json_object_get(b, "state_responsibility"))) <
            0 ||
        (rc = set_copy(o, "confidence", json_object_get(b, "confidence"))) < 0 ||
        (rc = set_copy(o, "channel", json_object_get(b, "channel"))) < 0 ||
        (rc = set_copy(o, "evidence_disclosure", json_object_get(b, "evidence_disclosure"))) < 0 ||
        (rc = set_copy(o, "claimed_at", json_object_get(b, "claimed_at"))) < 0 ||
        (rc = set_copy(o, "statement", json_object_get(b, "statement"))) < 0 ||
        (rc = set_copy(o, "supersedes",
                       json_object_get(json_object_get(e->json, "header"), "supersedes"))) < 0)
        goto done;
    if ((rc = opinions_on(&ops, c, &e->index, 1)) < 0)
        goto done;
    rc = set(o, "opinions", ops);
    ops = NULL;
done:
    json_decref(ops);
    return rc;
}

/* ---- findings ---- */

typedef struct {
    char panelist[LEDGER_ID_MAX + 1];
    int vote; /* Vote value */
    char region[40], sector[40];
} seat;

static int
vote_value(const char *name)
{
    static const char *const names[] = {"VOTE_UNSPECIFIED", "VOTE_APPROVE", "VOTE_REJECT",
                                        "VOTE_ABSTAIN", "VOTE_RECUSE"};
    for (int i = 0; i < 5; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return 0;
}

static int
profile_of(vctx *c, seat *s)
{
    lg_participant_row pr;
    ventry e;
    int rc;

    rc = lg_row_participant(c->t, s->panelist, &pr);
    if (rc == LEDGER_ENOTFOUND)
        return 0;
    if (rc < 0 || (rc = load(c, pr.latest_index, &e)) < 0)
        return rc;
    json_t *prof = json_object_get(body(&e), "panel_profile");
    snprintf(s->region, sizeof s->region, "%s", jstr(prof, "region"));
    snprintf(s->sector, sizeof s->sector, "%s", jstr(prof, "sector"));
    ventry_free(&e);
    return 0;
}

static unsigned
distinct(const seat *seats, size_t n, int sectors)
{
    unsigned count = 0;

    for (size_t i = 0; i < n; i++) {
        const char *v = sectors ? seats[i].sector : seats[i].region;
        int seen = 0;
        if (seats[i].vote != 1 || *v == '\0')
            continue;
        for (size_t j = 0; j < i; j++)
            if (seats[j].vote == 1 && strcmp(sectors ? seats[j].sector : seats[j].region, v) == 0)
                seen = 1;
        count += !seen;
    }
    return count;
}

typedef struct {
    unsigned approve, reject, abstain, recuse, n, need;
    int met;
} tally;

static void
count_votes(tally *t, const seat *seats, size_t n, const lg_rule *rule)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        t->approve += seats[i].vote == 1;
        t->reject += seats[i].vote == 2;
        t->abstain += seats[i].vote == 3;
        t->recuse += seats[i].vote == 4;
    }
    t->n = rule->panel_size;
    if (rule->recusal_policy != 2 /* COUNTS_AS_ABSTAIN */)
        t->n = rule->panel_size > t->recuse ? rule->panel_size - t->recuse : 0;
    t->need = rule->panel_size == 0
                  ? 0
                  : (unsigned)(((uint64_t)rule->approvals_required * t->n + rule->panel_size - 1) /
                               rule->panel_size);
    t->met = t->n > 0 && t->need > 0 && t->approve >= t->need &&
             distinct(seats, n, 0) >= rule->min_regions &&
             distinct(seats, n, 1) >= rule->min_sectors;
}

static int
finding_item(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = NULL, *b = body(e), *votes = json_array(), *tj = NULL;
    const char *const *members;
    seat *seats = NULL;
    idx_list refs = {0};
    lg_record_row row;
    lg_rule rule;
    tally t = {0};
    size_t n = 0;
    uint64_t published_at = 0;
    int rc;

    if (votes == NULL)
        return lg_error_nomem();
    if ((rc = item_base(&o, c, e)) < 0)
        goto done;
    *out = o;
    if ((rc = lg_record_panel(&members, &n, e->rec)) < 0 ||
        (rc = lg_policy_finding_rule(&rule, &c->st, e->rec, e->index)) < 0 ||
        (rc = row_of(c, jstr(json_object_get(e->json, "header"), "record_id"), &row)) < 0)
        goto done;
    seats = lg_calloc(n ? n : 1, sizeof *seats);
    if (seats == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(seats[i].panelist, sizeof seats[i].panelist, "%s", members[i]);
        if ((rc = profile_of(c, &seats[i])) < 0)
            goto done;
    }
    if ((rc = refs_of(c, e->index, &refs)) < 0)
        goto done;
    sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry v;
        json_t *vo = NULL;
        const char *author;

        if ((rc = load(c, refs.v[i], &v)) < 0)
            goto done;
        if (v.type != LG_REC_PANEL_VOTE) {
            ventry_free(&v);
            continue;
        }
        author = jstr(json_object_get(v.json, "header"), "author");
        for (size_t k = 0; k < n; k++)
            if (strcmp(seats[k].panelist, author) == 0)
                seats[k].vote = vote_value(jstr(body(&v), "vote"));
        count_votes(&t, seats, n, &rule);
        if (t.met && published_at == 0)
            published_at = v.index;
        if ((rc = item_base(&vo, c, &v)) == 0 &&
            (rc = set_copy(vo, "vote", json_object_get(body(&v), "vote"))) == 0)
            rc = set_copy(vo, "statement", json_object_get(body(&v), "statement"));
        if (vo != NULL && json_array_append_new(votes, vo) != 0 && rc == 0)
            rc = lg_error_nomem();
        ventry_free(&v);
        if (rc < 0)
            goto done;
    }
    count_votes(&t, seats, n, &rule);
    tj = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s}", "approve", (json_int_t)t.approve,
                   "reject", (json_int_t)t.reject, "abstain", (json_int_t)t.abstain, "recuse",
                   (json_int_t)t.recuse, "panel_size", (json_int_t)rule.panel_size,
                   "approvals_required", (json_int_t)rule.approvals_required, "counted_panel",
                   (json_int_t)t.n, "approvals_needed", (json_int_t)t.need, "min_regions",
                   (json_int_t)rule.min_regions, "min_sectors", (json_int_t)rule.min_sectors,
                   "recusal_policy",
                   rule.recusal_policy == 2 ? "COUNTS_AS_ABSTAIN" : "REDUCES_PANEL");
    if ((rc = set(o, "tally", tj)) < 0)
        goto done;
    tj = NULL;
    if ((rc = set_copy(o, "case_number", json_object_get(b, "case_number"))) < 0 ||
        (rc = set_copy(o, "title", json_object_get(b, "title"))) < 0 ||
        (rc = set_copy(o, "outcome", json_object_get(b, "outcome"))) < 0 ||
        (rc = set_copy(o, "conclusions", json_object_get(b, "conclusions"))) < 0 ||
        (rc = set_copy(o, "dissent", json_object_get(b, "dissent"))) < 0 ||
        (rc = set_copy(o, "panel_members", json_object_get(b, "panel_members"))) < 0 ||
        (rc = set(o, "votes", votes)) < 0)
        goto done;
    votes = NULL;
    /* Published once the votes met the rule; only a retraction undoes it. */
    if ((rc = set(o, "published", json_boolean(published_at != 0 && row.retracted_by == 0))) < 0)
        goto done;
    if (published_at != 0)
        rc = lg_json_set_u64(o, "published_at", published_at);
done:
    json_decref(tj);
    json_decref(votes);
    lg_free(seats);
    lg_free(refs.v);
    return rc;
}

/* ---- incident ---- */

typedef struct {
    vctx *c;
    const char *key;
    char found[LEDGER_ID_MAX + 1];
} key_search;

static int
find_incident_key(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    key_search *s = p;
    lg_record_row r;
    ventry e;
    int rc;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != LG_REC_INCIDENT_REPORT)
        return 0;
    if ((rc = load(s->c, r.index, &e)) < 0)
        return rc;
    if (strcmp(jstr(body(&e), "incident_key"), s->key) == 0) {
        snprintf(s->found, sizeof s->found, "%.*s", (int)(kl < 255 ? kl : 255), (const char *)k);
        ventry_free(&e);
        return 1;
    }
    ventry_free(&e);
    return 0;
}

/* The first version of the chain containing record `rid`. */
static int
chain_root(vctx *c, const char *rid, lg_record_row *root, char *root_id, size_t cap)
{
    char cur[LEDGER_ID_MAX + 1];
    int rc;

    snprintf(cur, sizeof cur, "%s", rid);
    for (int hops = 0; hops < 100000; hops++) {
        ventry e;
        const char *sup;

        if ((rc = row_of(c, cur, root)) < 0)
            return rc;
        if ((rc = load(c, root->index, &e)) < 0)
            return rc;
        sup = jstr(json_object_get(e.json, "header"), "supersedes");
        if (*sup == '\0') {
            ventry_free(&e);
            snprintf(root_id, cap, "%s", cur);
            return 0;
        }
        snprintf(cur, sizeof cur, "%s", sup);
        ventry_free(&e);
    }
    return lg_error_set(LEDGER_ECORRUPT, "version chain of %s does not end", rid);
}

static int
incident_json(json_t **out, vctx *c, const char *key)
{
    json_t *o = json_object(), *versions = json_array(), *claims = json_array(),
           *findings = json_array(), *evidence = json_array(), *opinions = NULL;
    idx_list refs = {0}, vers = {0};
    lg_record_row r;
    key_search ks = {c, key, ""};
    char root_id[LEDGER_ID_MAX + 1];
    uint64_t latest = 0;
    int rc;

    *out = o;
    if (o == NULL || versions == NULL || claims == NULL || findings == NULL || evidence == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    rc = row_of(c, key, &r);
    if (rc == LEDGER_ENOTFOUND) {
        if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, find_incident_key, &ks)) < 0)
            goto done;
        if (*ks.found == '\0') {
            rc = lg_error_set(LEDGER_ENOTFOUND, "no incident %.100s", key);
            goto done;
        }
        rc = row_of(c, ks.found, &r);
        key = ks.found;
    }
    if (rc < 0)
        goto done;
    if (r.type != LG_REC_INCIDENT_REPORT) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "%.100s is a %s, not an incident report", key,
                          lg_record_type_name(r.type));
        goto done;
    }
    if ((rc = chain_root(c, key, &r, root_id, sizeof root_id)) < 0)
        goto done;
    /* Versions, oldest first; references to any version count. */
    for (;;) {
        ventry e;
        json_t *vi = NULL, *b;

        if ((rc = load(c, r.index, &e)) < 0)
            goto done;
        b = body(&e);
        if ((rc = item_base(&vi, c, &e)) == 0 &&
            (rc = set_copy(vi, "name", json_object_get(b, "name"))) == 0 &&
            (rc = json_array_append_new(versions, vi) == 0 ? 0 : lg_error_nomem()) == 0) {
            vi = NULL;
            if ((rc = refs_of(c, e.index, &refs)) == 0)
                rc = idx_push(&vers, e.index);
        }
        json_decref(vi);
        latest = e.index;
        ventry_free(&e);
        if (rc < 0)
            goto done;
        if (r.superseded_by == 0)
            break;
        if ((rc = load(c, r.superseded_by, &e)) < 0)
            goto done;
        char next[LEDGER_ID_MAX + 1];
        snprintf(next, sizeof next, "%s", jstr(json_object_get(e.json, "header"), "record_id"));
        ventry_free(&e);
        if ((rc = row_of(c, next, &r)) < 0)
            goto done;
    }
    {
        ventry e;
        if ((rc = load(c, latest, &e)) < 0)
            goto done;
        json_t *inc = json_deep_copy(body(&e));
        ventry_free(&e);
        if ((rc = set(o, "incident", inc)) < 0 || (rc = set(o, "record_id", json_string(root_id))) < 0 ||
            (rc = lg_json_set_u64(o, "latest_index", latest)) < 0 ||
            (rc = set(o, "versions", versions)) < 0)
            goto done;
        versions = NULL;
    }
    sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry e;
        json_t *it = NULL;

        if ((rc = load(c, refs.v[i], &e)) < 0)
            goto done;
        switch (e.type) {
        case LG_REC_ATTRIBUTION_CLAIM:
            rc = claim_item(&it, c, &e);
            if (it != NULL && json_array_append_new(claims, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        case LG_REC_FINDING:
            rc = finding_item(&it, c, &e);
            if (it != NULL && json_array_append_new(findings, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        case LG_REC_EVIDENCE:
            rc = item_base(&it, c, &e);
            if (rc == 0)
                rc = set_copy(it, "title", json_object_get(body(&e), "title"));
            if (rc == 0)
                rc = set_copy(it, "evidence_type", json_object_get(body(&e), "evidence_type"));
            if (it != NULL && json_array_append_new(evidence, it) != 0 && rc == 0)
                rc = lg_error_nomem();
            break;
        default:
            break;
        }
        ventry_free(&e);
        if (rc < 0)
            goto done;
    }
    /* Opinions on the incident itself, whichever version they name. */
    if ((rc = opinions_on(&opinions, c, vers.v, vers.n)) < 0)
        goto done;
    if ((rc = set(o, "claims", claims)) < 0)
        goto done;
    claims = NULL;
    if ((rc = set(o, "evidence", evidence)) < 0)
        goto done;
    evidence = NULL;
    if ((rc = set(o, "findings", findings)) < 0)
        goto done;
    findings = NULL;
    rc = set(o, "opinions", opinions);
    opinions = NULL;
done:
    lg_free(refs.v);
    lg_free(vers.v);
    json_decref(versions);
    json_decref(claims);
    json_decref(findings);
    json_decref(evidence);
    json_decref(opinions);
    return rc;
}

/* ---- actor ---- */

typedef struct {
    vctx *c;
    const char *name;
    char found[LEDGER_ID_MAX + 1];
} actor_search;

static int
ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* "lazarus" names "Lazarus Group": equal, or a leading whole word. */
static int
names(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (ieq(hay, needle))
        return 1;
    if (n == 0 || strlen(hay) <= n || hay[n] != ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
            return 0;
    return 1;
}

static int
find_actor(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    actor_search *s = p;
    lg_record_row r;
    ventry e;
    json_t *b, *al;
    size_t i;
    int rc, hit;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != LG_REC_ACTOR || r.superseded_by != 0)
        return 0;
    if ((rc = load(s->c, r.index, &e)) < 0)
        return rc;
    b = body(&e);
    hit = ieq(jstr(b, "actor_id"), s->name) || names(jstr(b, "name"), s->name);
    json_array_foreach(json_object_get(b, "aliases"), i, al) hit |=
        names(json_string_value(al) ? json_string_value(al) : "", s->name);
    ventry_free(&e);
    if (hit) {
        snprintf(s->found, sizeof s->found, "%.*s", (int)(kl < 255 ? kl : 255), (const char *)k);
        return 1;
    }
    return 0;
}

/* Is s one of the actor's version ids? */
static int
is_actor(json_t *ids, const char *s)
{
    size_t i;
    json_t *x;

    if (*s == '\0')
        return 0;
    json_array_foreach(ids, i, x)
    {
        if (strcmp(json_string_value(x), s) == 0)
            return 1;
    }
    return 0;
}

/* Does a claim or finding attribute something to the actor? A record that
 * only mentions it (impersonated in a false flag, an alternative
 * hypothesis, a host state) is no attribution. */
static int
attributes_to(const ventry *e, json_t *ids)
{
    json_t *b = body(e), *x;
    size_t i;

    if (e->type == LG_REC_ATTRIBUTION_CLAIM)
        return is_actor(ids, jstr(b, "attributed_to")) || is_actor(ids, jstr(b, "state_nexus"));
    json_array_foreach(json_object_get(b, "conclusions"), i, x)
    {
        if (is_actor(ids, jstr(x, "attributed_to")) || is_actor(ids, jstr(x, "via_actor")))
            return 1;
    }
    return 0;
}

static int
attribution_item(json_t **out, vctx *c, const ventry *e, json_t *ids)
{
    json_t *b = body(e), *o = NULL, *incs;
    size_t i;
    json_t *x;
    int rc;

    if ((rc = item_base(&o, c, e)) < 0) {
        *out = o;
        return rc;
    }
    *out = o;
    if ((rc = set(o, "type", json_string(lg_record_type_name(e->type)))) < 0)
        return rc;
    if (e->type == LG_REC_ATTRIBUTION_CLAIM) {
        const char *role = is_actor(ids, jstr(b, "attributed_to")) ? "attributed_to"
                                                                     : "state_nexus";
        if ((rc = set(o, "as", json_string(role))) < 0 ||
            (rc = set(o, "claimant", json_string(jstr(b, "claimant")))) < 0 ||
            (rc = set_copy(o, "level", json_object_get(b, "level"))) < 0 ||
            (rc = set_copy(o, "confidence", json_object_get(b, "confidence"))) < 0 ||
            (rc = set_copy(o, "assertion_type", json_object_get(b, "assertion_type"))) < 0)
            return rc;
    } else {
        json_t *concl = json_array();
        if (concl == NULL || (rc = set(o, "conclusions", concl)) < 0)
            return lg_error_nomem();
        json_array_foreach(json_object_get(b, "conclusions"), i, x)
        {
            if ((is_actor(ids, jstr(x, "attributed_to")) || is_actor(ids, jstr(x, "via_actor"))) &&
                json_array_append_new(concl, json_deep_copy(x)) != 0)
                return lg_error_nomem();
        }
        if ((rc = set_copy(o, "outcome", json_object_get(b, "outcome"))) < 0)
            return rc;
    }
    incs = json_array();
    if (incs == NULL || (rc = set(o, "incidents", incs)) < 0)
        return lg_error_nomem();
    json_array_foreach(json_object_get(b, "incident_refs"), i, x)
    {
        json_t *io = json_object();
        if (io == NULL || json_array_append_new(incs, io) != 0)
            return lg_error_nomem();
        if ((rc = set_named(c, io, "record_id", json_string_value(x))) < 0)
            return rc;
    }
    return 0;
}

static int
actor_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *chain = json_array(), *attr = json_array(), *ids = json_array();
    idx_list refs = {0};
    lg_record_row r;
    char cur[LEDGER_ID_MAX + 1], root_id[LEDGER_ID_MAX + 1];
    int rc;

    *out = o;
    if (o == NULL || chain == NULL || attr == NULL || ids == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    rc = row_of(c, id, &r);
    if (rc == 0 && r.type != LG_REC_ACTOR)
        rc = LEDGER_ENOTFOUND;
    if (rc == LEDGER_ENOTFOUND) {
        actor_search s = {c, id, ""};
        if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, find_actor, &s)) < 0)
            goto done;
        if (*s.found == '\0') {
            rc = lg_error_set(LEDGER_ENOTFOUND, "no actor named %.100s", id);
            goto done;
        }
        snprintf(cur, sizeof cur, "%s", s.found);
    } else if (rc < 0) {
        goto done;
    } else {
        snprintf(cur, sizeof cur, "%s", id);
    }
    if ((rc = chain_root(c, cur, &r, root_id, sizeof root_id)) < 0)
        goto done;
    /* References may name any version; collect them all, then the latest. */
    snprintf(cur, sizeof cur, "%s", root_id);
    for (;;) {
        if (json_array_append_new(ids, json_string(cur)) != 0) {
            rc = lg_error_nomem();
            goto done;
        }
        if ((rc = refs_of(c, r.index, &refs)) < 0 ||
            (rc = next_version(c, &r, cur, sizeof cur)) < 0)
            goto done;
        if (rc == 0)
            break;
    }
    {
        ventry e;
        if ((rc = load(c, r.index, &e)) < 0)
            goto done;
        rc = set(o, "actor", json_deep_copy(body(&e)));
        ventry_free(&e);
        if (rc < 0 || (rc = set(o, "record_id", json_string(root_id))) < 0 ||
            (rc = lg_json_set_u64(o, "latest_index", r.index)) < 0)
            goto done;
    }
    /* The chain cluster -> organ -> state, following parent_actor of the
     * latest version of each link. */
    {
        char link[LEDGER_ID_MAX + 1];
        snprintf(link, sizeof link, "%s", root_id);
        for (int hops = 0; hops < 32 && *link; hops++) {
            lg_record_row lr;
            ventry e;
            json_t *li;
            if (row_of(c, link, &lr) != 0 || (rc = latest_row(c, link, &lr)) < 0 ||
                (rc = load(c, lr.index, &e)) < 0)
                break;
            li = json_pack("{s:s,s:s,s:s}", "record_id", link, "name", jstr(body(&e), "name"),
                           "actor_kind", jstr(body(&e), "actor_kind"));
            snprintf(link, sizeof link, "%s", jstr(body(&e), "parent_actor"));
            ventry_free(&e);
            if (li == NULL || json_array_append_new(chain, li) != 0) {
                rc = lg_error_nomem();
                goto done;
            }
        }
        if (rc < 0)
            goto done;
    }
    if ((rc = set(o, "chain", chain)) < 0)
        goto done;
    chain = NULL;
    sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry e;
        json_t *it = NULL;
        if ((rc = load(c, refs.v[i], &e)) < 0)
            goto done;
        if ((e.type == LG_REC_ATTRIBUTION_CLAIM || e.type == LG_REC_FINDING) &&
            attributes_to(&e, ids)) {
            rc = attribution_item(&it, c, &e, ids);
            if (it != NULL && json_array_append_new(attr, it) != 0 && rc == 0)
                rc = lg_error_nomem();
        }
        ventry_free(&e);
        if (rc < 0)
            goto done;
    }
    rc = set(o, "attributions", attr);
    attr = NULL;
done:
    lg_free(refs.v);
    json_decref(chain);
    json_decref(attr);
    json_decref(ids);
    return rc;
}

/* ---- participant ---- */

typedef struct {
    vctx *c;
    const char *id;
    json_t *arr;
} pscan;

static int
collect_keys(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    pscan *s = p;
    lg_key_row row;
    json_t *o;
    int rc;

    if (kl != 32)
        return lg_error_set(LEDGER_ECORRUPT, "keys table has a malformed key");
    if ((rc = lg_key_row_decode(&row, v, vl)) < 0)
        return rc;
    if (strcmp(row.participant_id, s->id) != 0)
        return 0;
    o = json_object();
    if (o == NULL || json_array_append_new(s->arr, o) != 0 ||
        (rc = lg_json_set_b64(o, "key_id", k, 32)) < 0 ||
        (rc = lg_json_set_b64(o, "public_key", row.public_key, 32)) < 0 ||
        (rc = lg_json_set_u64(o, "added_at", row.added_at)) < 0 ||
        (rc = set(o, "status", json_string(row.revoked_at ? "REVOKED" : "ACTIVE"))) < 0)
        return rc < 0 ? rc : lg_error_nomem();
    if (row.revoked_at && (rc = lg_json_set_u64(o, "revoked_at", row.revoked_at)) < 0)
        return rc;
    return 0;
}

static int
collect_records(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    pscan *s = p;
    lg_record_row row;
    json_t *o;
    int rc;

    if ((rc = lg_record_row_decode(&row, v, vl)) < 0)
        return rc;
    if (strcmp(row.author, s->id) != 0)
        return 0;
    o = json_pack("{s:I,s:s%,s:s,s:s}", "index", (json_int_t)row.index, "record_id",
                  (const char *)k, kl, "type", lg_record_type_name(row.type), "status",
                  status_of(&row));
    if (o == NULL || json_array_append_new(s->arr, o) != 0)
        return lg_error_nomem();
    return 0;
}

static int
cmp_index(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
    return x < y ? -1 : x > y;
}

static int
participant_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *keys = json_array(), *recs = json_array(), *roles = json_array();
    lg_participant_row pr;
    pscan s = {c, id, NULL};
    ventry e;
    int rc;

    *out = o;
    if (o == NULL || keys == NULL || recs == NULL || roles == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    rc = lg_row_participant(c->t, id, &pr);
    if (rc == LEDGER_ENOTFOUND) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no participant %.100s", id);
        goto done;
    }
    if (rc < 0)
        goto done;
    for (unsigned bit = 1; bit < 32; bit++) {
        const char *name = lg_role_name(bit);
        if ((pr.roles & (1u << bit)) && name != NULL &&
            json_array_append_new(roles, json_string(name)) != 0) {
            rc = lg_error_nomem();
            goto done;
        }
    }
    if ((rc = load(c, pr.latest_index, &e)) < 0)
        goto done;
    rc = set(o, "participant", json_deep_copy(body(&e)));
    ventry_free(&e);
    if (rc < 0 || (rc = lg_json_set_u64(o, "latest_index", pr.latest_index)) < 0 ||
        (rc = set(o, "roles", roles)) < 0)
        goto done;
    roles = NULL;
    s.arr = keys;
    if ((rc = lg_store_scan(c->t, LG_DB_KEYS, NULL, 0, 0, collect_keys, &s)) < 0)
        goto done;
    s.arr = recs;
    if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, collect_records, &s)) < 0)
        goto done;
    {
        size_t n = json_array_size(recs);
        json_t **items = lg_calloc(n ? n : 1, sizeof *items);
        json_t *sorted = json_array();
        if (items == NULL || sorted == NULL) {
            lg_free(items);
            json_decref(sorted);
            rc = lg_error_nomem();
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            items[i] = json_array_get(recs, i);
        qsort(items, n, sizeof *items, cmp_index);
        for (size_t i = 0; i < n; i++)
            json_array_append(sorted, items[i]);
        lg_free(items);
        json_decref(recs);
        recs = sorted;
    }
    if ((rc = set(o, "keys", keys)) < 0)
        goto done;
    keys = NULL;
    rc = set(o, "records", recs);
    recs = NULL;
done:
    json_decref(keys);
    json_decref(recs);
    json_decref(roles);
    return rc;
}

/* ---- stats ---- */

typedef struct {
    vctx *c;
    uint64_t by_type[LG_REC__COUNT];
    uint64_t superseded, retracted;
    uint64_t incidents, with_finding, claims_contested, findings_published;
    int err;
} stats;

static int
has_type_ref(vctx *c, uint64_t target, lg_record_type type, const char *kind_a,
             const char *kind_b, int *out)
{
    idx_list refs = {0};
    int rc = refs_of(c, target, &refs);

    *out = 0;
    for (size_t i = 0; rc == 0 && i < refs.n && !*out; i++) {
        ventry e;
        if ((rc = load(c, refs.v[i], &e)) < 0)
            break;
        if (e.type == type) {
            const char *k = jstr(body(&e), "kind");
            *out = kind_a == NULL || strcmp(k, kind_a) == 0 || strcmp(k, kind_b) == 0;
        }
        ventry_free(&e);
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

    (void)k;
    (void)kl;
    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    s->by_type[r.type]++;
    s->superseded += r.superseded_by != 0;
    s->retracted += r.retracted_by != 0;
    if (r.type == LG_REC_INCIDENT_REPORT) {
        if ((rc = load(s->c, r.index, &e)) < 0)
            return rc;
        int root = *jstr(json_object_get(e.json, "header"), "supersedes") == '\0';
        ventry_free(&e);
        if (root) {
            /* A finding may name any version of the report. */
            lg_record_row vr = r;
            s->incidents++;
            for (int hops = 0;; hops++) {
                if ((rc = has_type_ref(s->c, vr.index, LG_REC_FINDING, NULL, NULL, &yes)) < 0)
                    return rc;
                if (yes || hops > 100000 || (rc = next_version(s->c, &vr, NULL, 0)) == 0)
                    break;
                if (rc < 0)
                    return rc;
            }
            s->with_finding += yes;
        }
    } else if (r.type == LG_REC_ATTRIBUTION_CLAIM) {
        if ((rc = has_type_ref(s->c, r.index, LG_REC_OPINION, "OPINION_KIND_DISPUTE",
                               "OPINION_KIND_DENIAL", &yes)) < 0)
            return rc;
        s->claims_contested += yes;
    } else if (r.type == LG_REC_FINDING) {
        json_t *it = NULL;
        if ((rc = load(s->c, r.index, &e)) < 0)
            return rc;
        rc = finding_item(&it, s->c, &e);
        ventry_free(&e);
        if (rc == 0)
            s->findings_published += json_is_true(json_object_get(it, "published"));
        json_decref(it);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
stats_json(json_t **out, vctx *c)
{
    stats s;
    json_t *o = json_object(), *types = json_object();
    int rc;

    memset(&s, 0, sizeof s);
    s.c = c;
    *out = o;
    if (o == NULL || types == NULL) {
        json_decref(types);
        return lg_error_nomem();
    }
    if ((rc = set(o, "records_by_type", types)) < 0)
        return rc;
    if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, stats_visit, &s)) < 0)
        return rc;
    for (int t = 1; t < LG_REC__COUNT; t++)
        if ((rc = lg_json_set_u64(types, lg_record_type_name((lg_record_type)t), s.by_type[t])) <
            0)
            return rc;
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
        return rc;
    return 0;
}

/* ---- entry points ---- */

typedef int (*build_fn)(json_t **out, vctx *c, const char *arg);

static int
build_stats(json_t **out, vctx *c, const char *arg)
{
    (void)arg;
    return stats_json(out, c);
}

/* The JSON form, ending with a newline like the text (view.h). */
static int
dump_line(ledger_buf *out, const json_t *o)
{
    uint8_t *grown;
    int rc = lg_json_dump(out, o, 1);

    if (rc < 0)
        return rc;
    if ((grown = lg_realloc(out->data, out->len + 2)) == NULL) {
        ledger_buf_dispose(out);
        return lg_error_nomem();
    }
    grown[out->len++] = '\n';
    grown[out->len] = '\0';
    out->data = grown;
    return 0;
}

static int
run_view(ledger_buf *out, ledger_log *log, const char *arg, int json, build_fn fn,
         lg_view_kind kind)
{
    vctx c;
    lg_meta m;
    json_t *o = NULL;
    int rc;

    if (out == NULL || log == NULL || (arg == NULL && kind != LG_VIEW_STATS))
        return lg_error_set(LEDGER_EINVAL, "view: missing argument");
    memset(&c, 0, sizeof c);
    c.log = log;
    if ((rc = lg_txn_begin(&c.t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(c.t, &m)) < 0)
        goto done;
    c.size = m.size;
    lg_store_policy_state(&c.st, c.t);
    if ((rc = fn(&o, &c, arg)) < 0)
        goto done;
    rc = json ? dump_line(out, o) : lg_view_text(out, o, kind);
done:
    json_decref(o);
    lg_txn_abort(c.t);
    return rc;
}

int
ledger_view_incident(ledger_buf *out, ledger_log *log, const char *key, int json)
{
    return run_view(out, log, key, json, incident_json, LG_VIEW_INCIDENT);
}

int
ledger_view_actor(ledger_buf *out, ledger_log *log, const char *id, int json)
{
    return run_view(out, log, id, json, actor_json, LG_VIEW_ACTOR);
}

int
ledger_view_participant(ledger_buf *out, ledger_log *log, const char *id, int json)
{
    return run_view(out, log, id, json, participant_json, LG_VIEW_PARTICIPANT);
}

int
ledger_view_stats(ledger_buf *out, ledger_log *log, int json)
{
    return run_view(out, log, NULL, json, build_stats, LG_VIEW_STATS);
}
