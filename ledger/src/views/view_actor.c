/*
 * view_actor.c - the actor view: an actor found by record_id, actor_id,
 * name or alias (case-insensitive; a name two actors share is refused as
 * ambiguous), its owning record's latest text, other members' reports
 * about it (view_keys.c), its chain cluster -> organ -> state, and every
 * claim and finding that attributes an incident to it.
 *
 * References may name any version of the actor record, so all version ids
 * are collected first. A record that only mentions the actor (impersonated
 * in a false flag, an alternative hypothesis, a host state) is no
 * attribution and is left out.
 */
#include <ctype.h>
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
    const char *name;
    char found[LEDGER_ID_MAX + 1];  /* the owning record of the first match */
    char author[LEDGER_ID_MAX + 1]; /* its author */
    char other[LEDGER_ID_MAX + 1];  /* a second, different actor that matches */
    char other_author[LEDGER_ID_MAX + 1];
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

/*
 * A name or alias is not a key: any member may register an actor called
 * "Lazarus Group". Every match is mapped to its owning record (view_keys.c);
 * when matches belong to two different actors the lookup is ambiguous and
 * fails naming both, so no member's actor can stand in for another's.
 */
static int
find_actor(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    actor_search *s = p;
    lg_record_row r, o;
    char owner[LEDGER_ID_MAX + 1];
    ventry e;
    json_t *b, *al;
    size_t i;
    int rc, hit;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != LG_REC_ACTOR || r.superseded_by != 0)
        return 0;
    if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
        return rc;
    b = lg_view_body(&e);
    {
        /* The owner's latest version is known by the body's curated name
         * when there is one (not by the name it replaced). */
        const char *key = *lg_view_jstr(b, "actor_id") ? lg_view_jstr(b, "actor_id") : "";
        char shown[256], rid[LEDGER_ID_MAX + 1], root[LEDGER_ID_MAX + 1];
        lg_record_row kr;

        snprintf(shown, sizeof shown, "%s", lg_view_jstr(b, "name"));
        snprintf(rid, sizeof rid, "%.*s", (int)(kl < LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
                 (const char *)k);
        rc = 0;
        if (*key && lg_view_row(s->c, key, &kr) == 0 && kr.curated_by != 0 &&
            (rc = lg_view_chain_root(s->c, rid, &o, root, sizeof root)) == 0 &&
            strcmp(root, key) == 0)
            rc = lg_view_curated_name(s->c, key, r.index, shown, sizeof shown);
        if (rc < 0) {
            lg_view_entry_free(&e);
            return rc;
        }
        hit = ieq(lg_view_jstr(b, "actor_id"), s->name) || names(shown, s->name);
    }
    json_array_foreach(json_object_get(b, "aliases"), i, al) hit |=
        names(json_string_value(al) ? json_string_value(al) : "", s->name);
    lg_view_entry_free(&e);
    if (!hit)
        return 0;
    snprintf(owner, sizeof owner, "%.*s", (int)(kl < LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
             (const char *)k);
    if ((rc = lg_view_key_owner(s->c, LG_REC_ACTOR, owner, sizeof owner)) < 0 ||
        (rc = lg_view_chain_root(s->c, owner, &o, owner, sizeof owner)) < 0)
        return rc;
    if (*s->found == '\0') {
        snprintf(s->found, sizeof s->found, "%s", owner);
        snprintf(s->author, sizeof s->author, "%s", o.author);
    } else if (strcmp(s->found, owner) != 0 && *s->other == '\0') {
        snprintf(s->other, sizeof s->other, "%s", owner);
        snprintf(s->other_author, sizeof s->other_author, "%s", o.author);
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
    json_t *b = lg_view_body(e), *x;
    size_t i;

    if (e->type == LG_REC_ATTRIBUTION_CLAIM)
        return is_actor(ids, lg_view_jstr(b, "attributed_to")) ||
               is_actor(ids, lg_view_jstr(b, "state_nexus"));
    json_array_foreach(json_object_get(b, "conclusions"), i, x)
    {
        if (is_actor(ids, lg_view_jstr(x, "attributed_to")) ||
            is_actor(ids, lg_view_jstr(x, "via_actor")))
            return 1;
    }
    return 0;
}

static int
attribution_item(json_t **out, vctx *c, const ventry *e, json_t *ids)
{
    json_t *b = lg_view_body(e), *o = NULL, *incs;
    size_t i;
    json_t *x;
    int rc;

    if ((rc = lg_view_item_base(&o, c, e)) < 0) {
        *out = o;
        return rc;
    }
    *out = o;
    if ((rc = lg_view_set(o, "type", json_string(lg_record_type_name(e->type)))) < 0)
        return rc;
    if (e->type == LG_REC_ATTRIBUTION_CLAIM) {
        const char *role =
            is_actor(ids, lg_view_jstr(b, "attributed_to")) ? "attributed_to" : "state_nexus";
        if ((rc = lg_view_set(o, "as", json_string(role))) < 0 ||
            (rc = lg_view_set(o, "claimant", json_string(lg_view_jstr(b, "claimant")))) < 0 ||
            (rc = lg_view_set_copy(o, "level", json_object_get(b, "level"))) < 0 ||
            (rc = lg_view_set_copy(o, "confidence", json_object_get(b, "confidence"))) < 0 ||
            (rc = lg_view_set_copy(o, "assertion_type", json_object_get(b, "assertion_type"))) < 0)
            return rc;
    } else {
        json_t *concl = json_array();
        if (concl == NULL || (rc = lg_view_set(o, "conclusions", concl)) < 0)
            return lg_error_nomem();
        json_array_foreach(json_object_get(b, "conclusions"), i, x)
        {
            if ((is_actor(ids, lg_view_jstr(x, "attributed_to")) ||
                 is_actor(ids, lg_view_jstr(x, "via_actor"))) &&
                json_array_append_new(concl, json_deep_copy(x)) != 0)
                return lg_error_nomem();
        }
        if ((rc = lg_view_set_copy(o, "outcome", json_object_get(b, "outcome"))) < 0)
            return rc;
    }
    incs = json_array();
    if (incs == NULL || (rc = lg_view_set(o, "incidents", incs)) < 0)
        return lg_error_nomem();
    json_array_foreach(json_object_get(b, "incident_refs"), i, x)
    {
        json_t *io = json_object();
        if (io == NULL || json_array_append_new(incs, io) != 0)
            return lg_error_nomem();
        if ((rc = lg_view_set_named(c, io, "record_id", json_string_value(x))) < 0)
            return rc;
    }
    return 0;
}

int
lg_view_actor_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *chain = json_array(), *attr = json_array(), *ids = json_array();
    json_t *reports = NULL;
    idx_list refs = {0};
    lg_record_row r;
    char cur[LEDGER_ID_MAX + 1], root_id[LEDGER_ID_MAX + 1];
    int rc;

    *out = o;
    if (o == NULL || chain == NULL || attr == NULL || ids == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    rc = lg_view_row(c, id, &r);
    if (rc == 0 && r.type != LG_REC_ACTOR)
        rc = LEDGER_ENOTFOUND;
    if (rc == LEDGER_ENOTFOUND) {
        actor_search s = {c, id, "", "", "", ""};
        if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, find_actor, &s)) < 0)
            goto done;
        if (*s.found == '\0') {
            rc = lg_error_set(LEDGER_ENOTFOUND, "no actor named %.100s", id);
            goto done;
        }
        if (*s.other != '\0') {
            rc = lg_error_set(LEDGER_ENOTFOUND,
                              "%.100s is ambiguous: it names %s (by %s) and %s (by %s); name "
                              "the actor by its record_id",
                              id, s.found, s.author, s.other, s.other_author);
            goto done;
        }
        snprintf(cur, sizeof cur, "%s", s.found);
    } else if (rc < 0) {
        goto done;
    } else {
        snprintf(cur, sizeof cur, "%s", id);
    }
    if ((rc = lg_view_key_owner(c, LG_REC_ACTOR, cur, sizeof cur)) < 0 ||
        (rc = lg_view_chain_root(c, cur, &r, root_id, sizeof root_id)) < 0 ||
        (rc = lg_view_key_reports(&reports, c, LG_REC_ACTOR, root_id)) < 0)
        goto done;
    /* References may name any version; collect them all, then the latest. */
    snprintf(cur, sizeof cur, "%s", root_id);
    for (;;) {
        if (json_array_append_new(ids, json_string(cur)) != 0) {
            rc = lg_error_nomem();
            goto done;
        }
        if ((rc = lg_view_refs_of(c, r.index, &refs)) < 0 ||
            (rc = lg_view_next_version(c, &r, cur, sizeof cur)) < 0)
            goto done;
        if (rc == 0)
            break;
    }
    {
        ventry e;
        if ((rc = lg_view_load(c, r.index, &e)) < 0)
            goto done;
        rc = lg_view_set(o, "actor", json_deep_copy(lg_view_body(&e)));
        lg_view_entry_free(&e);
        if (rc < 0 ||
            (rc = lg_view_key_curations(c, o, json_object_get(o, "actor"), root_id, r.index)) < 0 ||
            (rc = lg_view_set(o, "record_id", json_string(root_id))) < 0 ||
            (rc = lg_json_set_u64(o, "latest_index", r.index)) < 0 ||
            (rc = lg_view_set(o, "reports", reports)) < 0)
            goto done;
        reports = NULL;
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
            if (lg_view_row(c, link, &lr) != 0 || (rc = lg_view_latest_row(c, link, &lr)) < 0 ||
                (rc = lg_view_load(c, lr.index, &e)) < 0)
                break;
            li = json_pack("{s:s,s:s,s:s}", "record_id", link, "name",
                           lg_view_jstr(lg_view_body(&e), "name"), "actor_kind",
                           lg_view_jstr(lg_view_body(&e), "actor_kind"));
            snprintf(link, sizeof link, "%s", lg_view_jstr(lg_view_body(&e), "parent_actor"));
            lg_view_entry_free(&e);
            if (li == NULL || json_array_append_new(chain, li) != 0) {
                rc = lg_error_nomem();
                goto done;
            }
        }
        if (rc < 0)
            goto done;
    }
    if ((rc = lg_view_set(o, "chain", chain)) < 0)
        goto done;
    chain = NULL;
    lg_view_sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry e;
        json_t *it = NULL;
        if ((rc = lg_view_load(c, refs.v[i], &e)) < 0)
            goto done;
        if ((e.type == LG_REC_ATTRIBUTION_CLAIM || e.type == LG_REC_FINDING) &&
            attributes_to(&e, ids)) {
            rc = attribution_item(&it, c, &e, ids);
            if (it != NULL && json_array_append_new(attr, it) != 0 && rc == 0)
                rc = lg_error_nomem();
        }
        lg_view_entry_free(&e);
        if (rc < 0)
            goto done;
    }
    rc = lg_view_set(o, "attributions", attr);
    attr = NULL;
done:
    lg_free(refs.v);
    json_decref(chain);
    json_decref(reports);
    json_decref(attr);
    json_decref(ids);
    return rc;
}
