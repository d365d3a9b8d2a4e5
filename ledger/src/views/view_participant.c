/*
 * view_participant.c - the participant view: its latest participant
 * record (for a genesis admin, its entry in the genesis policy's admins),
 * roles, keys (active or revoked, from the keys table; a key a rotation
 * dropped is revoked there too) and the records it authored, in entry
 * order.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "codec/codec.h"
#include "base/error.h"
#include "core/ledger_int.h"
#include "codec/record.h"
#include "store/store.h"
#include "views/views_int.h"

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
        (rc = lg_view_set(o, "status", json_string(row.revoked_at ? "REVOKED" : "ACTIVE"))) < 0)
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
                  lg_view_status(&row));
    if (o == NULL || json_array_append_new(s->arr, o) != 0)
        return lg_error_nomem();
    if (s->c->text) {
        /* The text's dates, and whether a finding stands published. */
        ventry e;
        json_t *fi = NULL;
        if ((rc = lg_view_load(s->c, row.index, &e)) < 0)
            return rc;
        rc = lg_view_set_copy(o, "created",
                              json_object_get(json_object_get(e.json, "header"), "created"));
        if (rc == 0 && row.type == LG_REC_FINDING &&
            (rc = lg_view_finding_item(&fi, s->c, &e)) == 0 &&
            (rc = lg_view_set_copy(o, "published", json_object_get(fi, "published"))) == 0)
            rc = lg_view_set_copy(o, "published_at", json_object_get(fi, "published_at"));
        json_decref(fi);
        lg_view_entry_free(&e);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
cmp_index(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
    return x < y ? -1 : x > y;
}

int
lg_view_participant_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *keys = json_array(), *recs = json_array(), *roles = json_array();
    lg_participant_row pr;
    pscan s = {c, id, NULL};
    char found[LEDGER_ID_MAX + 1];
    ventry e;
    int rc;

    *out = o;
    if (o == NULL || keys == NULL || recs == NULL || roles == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    rc = lg_row_participant(c->t, id, &pr);
    if (rc == LEDGER_ENOTFOUND) {
        /* Not an id: the participant's name (view_lookup.c). */
        if ((rc = lg_view_find_named(c, LG_REC_PARTICIPANT, id, found, sizeof found)) < 0 ||
            (rc = lg_row_participant(c->t, found, &pr)) < 0)
            goto done;
        id = found;
        s.id = found;
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
    if ((rc = lg_view_load(c, pr.latest_index, &e)) < 0)
        goto done;
    {
        /* A genesis admin's latest "version" is the ledger policy that
         * names it: show its own entry in policy.admins, not the policy. */
        json_t *body = lg_view_body(&e), *p = body, *a;
        size_t i;

        if (e.type == LG_REC_LEDGER_POLICY) {
            p = NULL;
            json_array_foreach(json_object_get(body, "admins"), i, a)
            {
                if (strcmp(lg_view_jstr(a, "participant_id"), id) == 0) {
                    p = a;
                    break;
                }
            }
        }
        rc = p == NULL ? lg_error_set(LEDGER_ECORRUPT,
                                      "entry %llu does not register participant %.100s",
                                      (unsigned long long)pr.latest_index, id)
                       : lg_view_set(o, "participant", json_deep_copy(p));
    }
    lg_view_entry_free(&e);
    if (rc < 0 || (rc = lg_json_set_u64(o, "latest_index", pr.latest_index)) < 0 ||
        (rc = lg_view_set(o, "roles", roles)) < 0)
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
    if ((rc = lg_view_set(o, "keys", keys)) < 0)
        goto done;
    keys = NULL;
    rc = lg_view_set(o, "records", recs);
    recs = NULL;
done:
    json_decref(keys);
    json_decref(recs);
    json_decref(roles);
    return rc;
}
