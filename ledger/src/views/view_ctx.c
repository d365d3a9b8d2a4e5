/*
 * view_ctx.c - the reads every view builder shares (views_int.h): decoding
 * one entry, a record's row and status, the members common to every item,
 * the entries that reference a record (refs table), and walking a record's
 * version chain forwards (superseded_by) and back to its first version
 * (supersedes).
 *
 * Everything reads inside the view's one transaction (vctx), so the rows
 * and entries agree. Chain walks are bounded: a chain that does not end
 * within 100000 hops is reported as LEDGER_ECORRUPT instead of looping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/bigendian.h"
#include "base/error.h"
#include "codec/codec.h"
#include "codec/record.h"
#include "core/stored_entry.h"
#include "store/store.h"
#include "views/views_int.h"

void
lg_view_entry_free(ventry *e)
{
    lg_record_free(e->rec);
    json_decref(e->json);
    memset(e, 0, sizeof *e);
}

int
lg_view_load(vctx *c, uint64_t index, ventry *out)
{
    lg_entry *e = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_stored_entry_load(&e, &out->rec, &out->json, c->t, index)) < 0)
        return rc;
    out->index = index;
    out->time = e->integrated_time;
    out->type = lg_record_type_of(out->rec);
    lg_entry_free(e);
    return 0;
}

int
lg_view_pass_damaged(vctx *c, uint64_t index, int (*needs)(const lg_damage *d), idx_list *passed)
{
    lg_damage d;
    ventry e;
    int rc;

    memset(&d, 0, sizeof d);
    if ((rc = lg_damage_describe(&d, c->t, index)) == 0 && needs(&d)) {
        /* Needed: the load fails again (same snapshot), with its message. */
        if ((rc = lg_view_load(c, index, &e)) == 0) {
            lg_view_entry_free(&e);
            rc = lg_error_set(LEDGER_ECORRUPT, "entry %llu is damaged", (unsigned long long)index);
        }
    }
    lg_damage_free(&d);
    if (rc == 0 && passed != NULL)
        rc = lg_view_idx_push(passed, index);
    return rc;
}

json_t *
lg_view_body(const ventry *e)
{
    return json_object_get(e->json, lg_record_type_name(e->type));
}

const char *
lg_view_jstr(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

int
lg_view_row(vctx *c, const char *rid, lg_record_row *out)
{
    return c->st.get_record(c->st.payload, rid, out);
}

const char *
lg_view_status(const lg_record_row *r)
{
    if (r->retracted_by)
        return "RETRACTED";
    if (r->superseded_by)
        return "SUPERSEDED";
    return "ACTIVE";
}

/* Set several members; returns 0 or ENOMEM. Values are stolen. */
int
lg_view_set(json_t *obj, const char *key, json_t *val)
{
    if (val == NULL || json_object_set_new(obj, key, val) != 0)
        return lg_error_nomem();
    return 0;
}

int
lg_view_set_copy(json_t *obj, const char *key, json_t *val)
{
    if (val == NULL)
        return 0;
    return lg_view_set(obj, key, json_deep_copy(val));
}

static int
add_status(json_t *obj, vctx *c, const char *rid)
{
    lg_record_row r;
    int rc = lg_view_row(c, rid, &r);

    if (rc < 0)
        return rc;
    if ((rc = lg_view_set(obj, "status", json_string(lg_view_status(&r)))) < 0)
        return rc;
    if (r.superseded_by && (rc = lg_json_set_u64(obj, "superseded_by", r.superseded_by)) < 0)
        return rc;
    if (r.retracted_by && (rc = lg_json_set_u64(obj, "retracted_by", r.retracted_by)) < 0)
        return rc;
    return 0;
}

/* Common members of every item: index, time, record_id, author. */
int
lg_view_item_base(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = json_object();
    json_t *h = json_object_get(e->json, "header");
    int rc;

    *out = o;
    if (o == NULL)
        return lg_error_nomem();
    if ((rc = lg_json_set_u64(o, "index", e->index)) < 0 ||
        (rc = lg_json_set_u64(o, "integrated_time", e->time)) < 0 ||
        (rc = lg_view_set(o, "record_id", json_string(lg_view_jstr(h, "record_id")))) < 0 ||
        (rc = lg_view_set(o, "author", json_string(lg_view_jstr(h, "author")))) < 0 ||
        (rc = add_status(o, c, lg_view_jstr(h, "record_id"))) < 0)
        return rc;
    if (c->text && (rc = lg_view_set_copy(o, "created", json_object_get(h, "created"))) < 0)
        return rc;
    return 0;
}

int
lg_view_idx_push(idx_list *l, uint64_t x)
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
    return lg_view_idx_push(p, lg_be_u64(v));
}

int
lg_view_refs_of(vctx *c, uint64_t target, idx_list *out)
{
    uint8_t key[8];

    lg_u64_be(key, target);
    return lg_store_scan(c->t, LG_DB_REFS, key, 8, 1, ref_visit, out);
}

void
lg_view_sort_idx(idx_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof l->v[0], cmp_u64);
}

/* The row of the version after *r (its superseding record), into *r.
 * Returns 1 when there is one, 0 at the latest version, or a code. */
int
lg_view_next_version(vctx *c, lg_record_row *r, char *id_out, size_t cap)
{
    char next[LEDGER_ID_MAX + 1];
    ventry e;
    int rc;

    if (r->superseded_by == 0)
        return 0;
    if ((rc = lg_view_load(c, r->superseded_by, &e)) < 0)
        return rc;
    snprintf(next, sizeof next, "%s", lg_view_jstr(json_object_get(e.json, "header"), "record_id"));
    lg_view_entry_free(&e);
    if ((rc = lg_view_row(c, next, r)) < 0)
        return rc;
    if (id_out != NULL)
        snprintf(id_out, cap, "%s", next);
    return 1;
}

/* The latest version's row of the chain through `rid`. */
int
lg_view_latest_row(vctx *c, const char *rid, lg_record_row *out)
{
    int rc = lg_view_row(c, rid, out);

    for (int hops = 0; rc == 0; hops++) {
        if (hops > 100000)
            return lg_error_set(LEDGER_ECORRUPT, "version chain of %.100s does not end", rid);
        if ((rc = lg_view_next_version(c, out, NULL, 0)) == 0)
            return 0;
        rc = rc > 0 ? 0 : rc;
    }
    return rc;
}

int
lg_view_curated_name(vctx *c, const char *key, uint64_t latest, char *out, size_t cap)
{
    lg_record_row row;
    uint64_t at;
    int rc, found = 0;

    if (lg_view_row(c, key, &row) != 0 || row.curated_by == 0)
        return 0;
    for (at = row.curated_by; at != 0;) {
        char rid[LEDGER_ID_MAX + 1];
        json_t *name;
        ventry e;

        if ((rc = lg_view_load(c, at, &e)) < 0)
            return rc;
        name = json_object_get(lg_view_body(&e), "name");
        if (e.index > latest && json_is_string(name)) {
            snprintf(out, cap, "%s", json_string_value(name));
            found = 1;
        }
        snprintf(rid, sizeof rid, "%s",
                 lg_view_jstr(json_object_get(e.json, "header"), "record_id"));
        lg_view_entry_free(&e);
        if ((rc = lg_view_row(c, rid, &row)) < 0)
            return rc;
        at = row.superseded_by;
    }
    return found;
}

/* Name of a referenced actor or participant (its latest record), or "". */
static int
name_of(vctx *c, const char *rid, char *out, size_t cap)
{
    lg_record_row r;
    ventry e;
    int rc;

    out[0] = '\0';
    if (rid == NULL || *rid == '\0' || lg_view_row(c, rid, &r) != 0)
        return 0;
    if ((rc = lg_view_latest_row(c, rid, &r)) < 0 || (rc = lg_view_load(c, r.index, &e)) < 0)
        return rc;
    snprintf(out, cap, "%s", lg_view_jstr(lg_view_body(&e), "name"));
    lg_view_entry_free(&e);
    /* The body's curated name of a key, when it comes after that version. */
    rc = lg_view_curated_name(c, rid, r.index, out, cap);
    return rc < 0 ? rc : 0;
}

int
lg_view_set_named(vctx *c, json_t *o, const char *key, const char *rid)
{
    char name[256], k[64];
    int rc;

    if (rid == NULL || *rid == '\0')
        return 0;
    if ((rc = lg_view_set(o, key, json_string(rid))) < 0 ||
        (rc = name_of(c, rid, name, sizeof name)) < 0)
        return rc;
    snprintf(k, sizeof k, "%s_name", key);
    return *name ? lg_view_set(o, k, json_string(name)) : 0;
}

/* The first version of the chain containing record `rid`. */
/* By date (claimed_at, else created, to the second), then entry index. */
static int
cmp_time(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    const char *ta = lg_view_jstr(json_object_get(a, "claimed_at"), "time");
    const char *tb = lg_view_jstr(json_object_get(b, "claimed_at"), "time");
    json_int_t ia = json_integer_value(json_object_get(a, "index"));
    json_int_t ib = json_integer_value(json_object_get(b, "index"));
    int c;

    ta = *ta ? ta : lg_view_jstr(a, "created");
    tb = *tb ? tb : lg_view_jstr(b, "created");
    if ((c = strncmp(ta, tb, 19)) != 0)
        return c;
    return ia < ib ? -1 : ia > ib;
}

const json_t **
lg_view_time_order(const json_t *arr, size_t *n, int *oom)
{
    const json_t **v;

    *n = json_array_size(arr);
    if (*n == 0)
        return NULL;
    if ((v = lg_calloc(*n, sizeof *v)) == NULL) {
        *oom = 1;
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        v[i] = json_array_get(arr, i);
    qsort(v, *n, sizeof *v, cmp_time);
    return v;
}

int
lg_view_chain_root(vctx *c, const char *rid, lg_record_row *root, char *root_id, size_t cap)
{
    char cur[LEDGER_ID_MAX + 1];
    int rc;

    snprintf(cur, sizeof cur, "%s", rid);
    for (int hops = 0; hops < 100000; hops++) {
        ventry e;
        const char *sup;

        if ((rc = lg_view_row(c, cur, root)) < 0)
            return rc;
        if ((rc = lg_view_load(c, root->index, &e)) < 0)
            return rc;
        sup = lg_view_jstr(json_object_get(e.json, "header"), "supersedes");
        if (*sup == '\0') {
            lg_view_entry_free(&e);
            snprintf(root_id, cap, "%s", cur);
            return 0;
        }
        snprintf(cur, sizeof cur, "%s", sup);
        lg_view_entry_free(&e);
    }
    return lg_error_set(LEDGER_ECORRUPT, "version chain of %s does not end", rid);
}
