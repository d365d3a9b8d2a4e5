/*
 * view_actor.c - the actor view: an actor found by record_id, actor_id,
 * name or alias (view_lookup.c: case-insensitive; a name two actors
 * share is refused as ambiguous), its owning record's latest text, other
 * members' reports about it (view_keys.c), its chain cluster -> organ ->
 * state, every claim and finding that attributes an incident to it, and
 * (for the text form) the claims against the actors it names related.
 *
 * References may name any version of the actor record, so all version ids
 * are collected first. A record that only mentions the actor (impersonated
 * in a false flag, an alternative hypothesis, a host state) is no
 * attribution and is left out.
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
        if (c->text &&
            ((rc = lg_view_set_copy(o, "claimed_at", json_object_get(b, "claimed_at"))) < 0 ||
             (rc = lg_view_set_copy(o, "statement", json_object_get(b, "statement"))) < 0))
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
        if (c->text) {
            /* Whether the body's finding stands published (tally.c). */
            json_t *fi = NULL;
            if ((rc = lg_view_finding_item(&fi, c, e)) == 0 &&
                (rc = lg_view_set_copy(o, "published", json_object_get(fi, "published"))) == 0)
                rc = lg_view_set_copy(o, "published_at", json_object_get(fi, "published_at"));
            json_decref(fi);
            if (rc < 0)
                return rc;
        }
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

/* The version ids of the actor chain through `rid` into ids, and the
 * entries that reference any version into refs. */
static int
chain_refs(vctx *c, const char *rid, json_t *ids, idx_list *refs)
{
    lg_record_row r;
    char cur[LEDGER_ID_MAX + 1];
    int rc;

    snprintf(cur, sizeof cur, "%s", rid);
    if ((rc = lg_view_key_owner(c, LG_REC_ACTOR, cur, sizeof cur)) < 0 ||
        (rc = lg_view_chain_root(c, cur, &r, cur, sizeof cur)) < 0)
        return rc;
    for (int hops = 0; hops < 100000; hops++) {
        if (json_array_append_new(ids, json_string(cur)) != 0)
            return lg_error_nomem();
        if ((rc = lg_view_refs_of(c, r.index, refs)) < 0 ||
            (rc = lg_view_next_version(c, &r, cur, sizeof cur)) <= 0)
            return rc;
    }
    return lg_error_set(LEDGER_ECORRUPT, "version chain of %.100s does not end", rid);
}

/*
 * For the text form: the claims against each actor the viewed actor's
 * latest version lists in related_actors, each with "related_actor" (and
 * its name), leaving out claims that already attribute to the actor
 * itself. In entry order per related actor.
 */
static int
related_claims(json_t **out, vctx *c, const json_t *actor, json_t *own_ids)
{
    json_t *arr = json_array(), *rel;
    size_t i;
    int rc = 0;

    *out = arr;
    if (arr == NULL)
        return lg_error_nomem();
    json_array_foreach(json_object_get(actor, "related_actors"), i, rel)
    {
        const char *rid = json_string_value(rel);
        json_t *ids = json_array();
        idx_list refs = {0};
        lg_record_row r;

        if (ids == NULL)
            return lg_error_nomem();
        /* A link to a record that is not an actor names nothing to follow. */
        if (rid == NULL || lg_view_row(c, rid, &r) != 0 || r.type != LG_REC_ACTOR) {
            json_decref(ids);
            continue;
        }
        rc = chain_refs(c, rid, ids, &refs);
        lg_view_sort_idx(&refs);
        for (size_t k = 0; rc == 0 && k < refs.n; k++) {
            ventry e;
            json_t *it = NULL;

            if ((rc = lg_view_load(c, refs.v[k], &e)) < 0)
                break;
            if (e.type == LG_REC_ATTRIBUTION_CLAIM && attributes_to(&e, ids) &&
                !attributes_to(&e, own_ids)) {
                rc = attribution_item(&it, c, &e, ids);
                if (rc == 0)
                    rc = lg_view_set_named(c, it, "related_actor", rid);
                if (it != NULL && json_array_append_new(arr, it) != 0 && rc == 0)
                    rc = lg_error_nomem();
            }
            lg_view_entry_free(&e);
        }
        lg_free(refs.v);
        json_decref(ids);
        if (rc < 0)
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
        /* Not a record id: a name, alias or actor_id (view_lookup.c). */
        if ((rc = lg_view_find_named(c, LG_REC_ACTOR, id, cur, sizeof cur)) < 0)
            goto done;
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
    if (rc == 0 && c->text) {
        json_t *rel = NULL;
        rc = related_claims(&rel, c, json_object_get(o, "actor"), ids);
        if (rc == 0)
            rc = lg_view_set(o, "related_claims", rel);
        else
            json_decref(rel);
    }
done:
    lg_free(refs.v);
    json_decref(chain);
    json_decref(reports);
    json_decref(attr);
    json_decref(ids);
    return rc;
}
