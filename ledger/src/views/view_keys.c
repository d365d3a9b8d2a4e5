/*
 * view_keys.c - who an actor or incident belongs to, for the views.
 *
 * The rule book (rules/policy.c, check_key) makes the key of an actor or
 * incident report (actor_id, incident_key) the record_id of the record that
 * introduced it: the owning record. Other members' records carrying the
 * same key are their own reports about that actor or incident. The views
 * show the owner's latest version as the actor's or incident's text and
 * list the others under "reports", each with its author, never in place of
 * the owner's text.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "codec/record.h"
#include "store/store.h"
#include "views/views_int.h"

static const char *
key_field(lg_record_type t)
{
    return t == LG_REC_ACTOR ? "actor_id" : "incident_key";
}

int
lg_view_key_owner(vctx *c, lg_record_type t, char *rid, size_t cap)
{
    lg_record_row latest, owner;
    char root[LEDGER_ID_MAX + 1], key[LEDGER_ID_MAX + 1];
    ventry e;
    int rc;

    if ((rc = lg_view_latest_row(c, rid, &latest)) < 0 ||
        (rc = lg_view_load(c, latest.index, &e)) < 0)
        return rc;
    snprintf(key, sizeof key, "%s", lg_view_jstr(lg_view_body(&e), key_field(t)));
    lg_view_entry_free(&e);
    if (*key == '\0' || (rc = lg_view_chain_root(c, rid, &owner, root, sizeof root)) < 0)
        return rc;
    if (strcmp(root, key) == 0)
        return 0;
    rc = lg_view_row(c, key, &owner);
    if (rc == LEDGER_ENOTFOUND || (rc == 0 && owner.type != t))
        return 0; /* a key no record owns (a ledger older than the rule) */
    if (rc < 0)
        return rc;
    snprintf(rid, cap, "%s", key);
    return 0;
}

typedef struct {
    vctx *c;
    lg_record_type type;
    const char *key;
    json_t *out;
} report_scan;

static int
scan_report(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    report_scan *s = p;
    lg_record_row r, root;
    char rid[LEDGER_ID_MAX + 1], root_id[LEDGER_ID_MAX + 1];
    json_t *it = NULL;
    ventry e;
    int rc;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != s->type || r.superseded_by != 0)
        return 0;
    if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
        return rc;
    if (strcmp(lg_view_jstr(lg_view_body(&e), key_field(s->type)), s->key) != 0) {
        lg_view_entry_free(&e);
        return 0;
    }
    snprintf(rid, sizeof rid, "%.*s", (int)(kl <= LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
             (const char *)k);
    rc = lg_view_chain_root(s->c, rid, &root, root_id, sizeof root_id);
    if (rc == 0 && strcmp(root_id, s->key) != 0 && (rc = lg_view_item_base(&it, s->c, &e)) == 0)
        rc = lg_view_set_copy(it, "name", json_object_get(lg_view_body(&e), "name"));
    if (it != NULL && json_array_append_new(s->out, it) != 0 && rc == 0)
        rc = lg_error_nomem();
    lg_view_entry_free(&e);
    return rc;
}

int
lg_view_key_reports(json_t **out, vctx *c, lg_record_type t, const char *key)
{
    report_scan s = {c, t, key, json_array()};
    int rc;

    *out = s.out;
    if (s.out == NULL)
        return lg_error_nomem();
    rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, scan_report, &s);
    return rc < 0 ? rc : 0;
}

/* One curation as a view item: who, when, why, and what it changed. */
static int
curation_item(json_t **out, vctx *c, const ventry *e)
{
    json_t *b = lg_view_body(e);
    int rc;

    if ((rc = lg_view_item_base(out, c, e)) < 0 ||
        (rc = lg_view_set_copy(*out, "reason", json_object_get(b, "reason"))) < 0 ||
        (rc = lg_view_set_copy(*out, "new_owner", json_object_get(b, "new_owner"))) < 0 ||
        (rc = lg_view_set_copy(*out, "name", json_object_get(b, "name"))) < 0)
        return rc;
    return lg_view_set_copy(*out, "description", json_object_get(b, "description"));
}

int
lg_view_key_curations(vctx *c, json_t *o, json_t *shown, const char *key, uint64_t latest)
{
    json_t *list = json_array(), *last = NULL;
    char owner[LEDGER_ID_MAX + 1], rid[LEDGER_ID_MAX + 1];
    lg_record_row row;
    uint64_t at;
    int rc;

    if (list == NULL)
        return lg_error_nomem();
    if ((rc = lg_view_row(c, key, &row)) < 0)
        goto done;
    snprintf(owner, sizeof owner, "%s", row.author);
    /* The key's curations form one chain from row.curated_by (the rule
     * book's order); each applies after the versions before it. */
    for (at = row.curated_by; at != 0 && rc == 0;) {
        json_t *it = NULL, *b;
        ventry e;

        if ((rc = lg_view_load(c, at, &e)) < 0)
            break;
        b = lg_view_body(&e);
        if (*lg_view_jstr(b, "new_owner") != '\0')
            snprintf(owner, sizeof owner, "%s", lg_view_jstr(b, "new_owner"));
        if (e.index > latest) {
            if (json_object_get(b, "name") != NULL)
                rc = lg_view_set_copy(shown, "name", json_object_get(b, "name"));
            if (rc == 0 && json_object_get(b, "description") != NULL)
                rc = lg_view_set_copy(shown, "description", json_object_get(b, "description"));
        }
        snprintf(rid, sizeof rid, "%s",
                 lg_view_jstr(json_object_get(e.json, "header"), "record_id"));
        if (rc == 0)
            rc = curation_item(&it, c, &e);
        lg_view_entry_free(&e);
        if (it != NULL && json_array_append_new(list, it) != 0 && rc == 0)
            rc = lg_error_nomem();
        last = it;
        if (rc == 0 && (rc = lg_view_row(c, rid, &row)) == 0)
            at = row.superseded_by;
    }
    if (rc == 0 && last != NULL)
        rc = lg_view_set_copy(o, "curated", last);
    if (rc == 0)
        rc = lg_view_set(o, "owner", json_string(owner));
done:
    if (rc == 0) {
        rc = lg_view_set(o, "curations", list);
        list = NULL;
    }
    json_decref(list);
    return rc;
}
