/*
 * view_site.c - one read snapshot shared by the many views a static site
 * export builds (views.h, export/site.c).
 *
 * The site renders every incident, actor, participant and finding. Opening
 * one transaction per page would let pages of one export disagree when a
 * batch lands in between, so the reader keeps one transaction open and
 * runs the same builders as `attrledger incident` and friends inside it.
 * Nothing here renders: the pages are made from the JSON views.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/error.h"
#include "codec/codec.h"
#include "codec/record.h"
#include "core/ledger_int.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "views/views.h"
#include "views/views_int.h"

struct lg_view_reader {
    vctx c;
};

int
lg_view_reader_open(lg_view_reader **out, ledger_log *log)
{
    lg_view_reader *r;
    lg_meta m;
    int rc;

    *out = NULL;
    if ((r = lg_malloc(sizeof *r)) == NULL)
        return lg_error_nomem();
    memset(r, 0, sizeof *r);
    r->c.log = log;
    if ((rc = lg_txn_begin(&r->c.t, log->store, 0)) < 0) {
        lg_free(r);
        return rc;
    }
    if ((rc = lg_meta_state(r->c.t, &m)) < 0) {
        lg_view_reader_close(r);
        return rc;
    }
    r->c.size = m.size;
    lg_store_policy_state(&r->c.st, r->c.t);
    *out = r;
    return 0;
}

void
lg_view_reader_close(lg_view_reader *r)
{
    if (r == NULL)
        return;
    lg_txn_abort(r->c.t);
    lg_free(r);
}

uint64_t
lg_view_reader_size(const lg_view_reader *r)
{
    return r->c.size;
}

static int
finding_json(json_t **out, vctx *c, const char *rid)
{
    lg_record_row row;
    ventry e;
    int rc;

    if ((rc = lg_view_latest_row(c, rid, &row)) < 0)
        return rc;
    if (row.type != LG_REC_FINDING)
        return lg_error_set(LEDGER_ENOTFOUND, "%s is not a finding", rid);
    if ((rc = lg_view_load(c, row.index, &e)) < 0)
        return rc;
    rc = lg_view_finding_item(out, c, &e);
    if (rc == 0)
        rc = lg_view_set_copy(*out, "finding", lg_view_body(&e));
    lg_view_entry_free(&e);
    return rc;
}

int
lg_view_reader_finding_at(json_t **out, lg_view_reader *r, uint64_t index)
{
    ventry e;
    int rc;

    *out = NULL;
    if (index >= r->c.size)
        return lg_error_set(LEDGER_ENOTFOUND, "no entry %llu", (unsigned long long)index);
    if ((rc = lg_view_load(&r->c, index, &e)) < 0)
        return rc;
    if (e.type != LG_REC_FINDING)
        rc = lg_error_set(LEDGER_ENOTFOUND, "entry %llu is not a finding",
                          (unsigned long long)index);
    else
        rc = lg_view_finding_item(out, &r->c, &e);
    lg_view_entry_free(&e);
    return rc;
}

int
lg_view_reader_build(json_t **out, lg_view_reader *r, lg_page_kind kind, const char *arg)
{
    *out = NULL;
    switch (kind) {
    case LG_PAGE_INCIDENT:
        return lg_view_incident_json(out, &r->c, arg);
    case LG_PAGE_ACTOR:
        return lg_view_actor_json(out, &r->c, arg);
    case LG_PAGE_PARTICIPANT:
        return lg_view_participant_json(out, &r->c, arg);
    case LG_PAGE_FINDING:
        return finding_json(out, &r->c, arg);
    case LG_PAGE_STATS:
        return lg_view_stats_json(out, &r->c);
    }
    return lg_error_set(LEDGER_EINVAL, "unknown page kind");
}

typedef struct {
    lg_view_reader *r;
    lg_view_subject_fn fn;
    void *payload;
} subjects_ctx;

static int
genesis_admins(subjects_ctx *s, const ventry *e)
{
    json_t *admins = json_object_get(lg_view_body(e), "admins"), *a;
    size_t i;
    int rc;

    json_array_foreach(admins, i, a)
    {
        const char *pid = lg_view_jstr(a, "participant_id");
        if (*pid != '\0' && (rc = s->fn(s->payload, LG_PAGE_PARTICIPANT, pid, e->index)) < 0)
            return rc;
    }
    return 0;
}

static int
subject_visit(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    subjects_ctx *s = p;
    lg_record_row row;
    char rid[LEDGER_ID_MAX + 1];
    ventry e;
    lg_page_kind kind;
    int rc;

    if ((rc = lg_record_row_decode(&row, v, vl)) < 0)
        return rc;
    switch (row.type) {
    case LG_REC_INCIDENT_REPORT:
        kind = LG_PAGE_INCIDENT;
        break;
    case LG_REC_ACTOR:
        kind = LG_PAGE_ACTOR;
        break;
    case LG_REC_FINDING:
        kind = LG_PAGE_FINDING;
        break;
    case LG_REC_PARTICIPANT:
        kind = LG_PAGE_PARTICIPANT;
        break;
    case LG_REC_LEDGER_POLICY:
        kind = LG_PAGE_STATS; /* its admins */
        break;
    default:
        return 0;
    }
    if (kl > LEDGER_ID_MAX)
        return lg_error_set(LEDGER_ECORRUPT, "record id of entry %llu is too long",
                            (unsigned long long)row.index);
    memcpy(rid, k, kl);
    rid[kl] = '\0';
    if ((rc = lg_view_load(&s->r->c, row.index, &e)) < 0)
        return rc;
    if (kind == LG_PAGE_STATS)
        rc = genesis_admins(s, &e);
    else if (*lg_view_jstr(json_object_get(e.json, "header"), "supersedes") != '\0')
        rc = 0; /* a later version: its chain's first version names the page */
    else if (kind == LG_PAGE_PARTICIPANT)
        rc = s->fn(s->payload, kind, lg_view_jstr(lg_view_body(&e), "participant_id"), row.index);
    else
        rc = s->fn(s->payload, kind, rid, row.index);
    lg_view_entry_free(&e);
    return rc;
}

int
lg_view_reader_subjects(lg_view_reader *r, lg_view_subject_fn fn, void *payload)
{
    subjects_ctx s = {r, fn, payload};
    return lg_store_scan(r->c.t, LG_DB_RECORDS, NULL, 0, 0, subject_visit, &s);
}

int
lg_view_reader_leaf_hash(lg_view_reader *r, uint64_t index, uint8_t out[32])
{
    if (index >= r->c.size)
        return lg_error_set(LEDGER_EINVAL, "entry %llu is beyond the tree",
                            (unsigned long long)index);
    return lg_store_hash_reader(r->c.t, lg_merkle_stored_index(0, index), out);
}
