/*
 * stix_actors.c - STIX objects of the genesis entry, participants and
 * actors (docs/FORMATS.md section 12): identities, threat actors,
 * intrusion sets, their locations and the organisation chain.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "export/stix_int.h"

/* identity for the log itself (genesis author) and the genesis admins. */
int
lg_stix_map_genesis(stix_ctx *c, const json_t *pol)
{
    const json_t *admins = jarr(pol, "admins"), *a;
    size_t i;
    json_t *o;
    int rc;

    lg_stix_make_id(c->ledger_identity, c, "identity", "participant", c->origin);
    if ((o = lg_stix_obj_new(c, "identity", c->ledger_identity, NULL)) == NULL ||
        set_str(o, "name", c->origin) < 0 ||
        set_str(o, "description", "The attribution ledger (its log key signs checkpoints).") < 0 ||
        set_str(o, "identity_class", "system") < 0)
        return json_decref(o), lg_error_nomem();
    if ((rc = lg_stix_obj_tail(c, o, NULL, NULL)) < 0)
        return json_decref(o), rc;
    if ((rc = lg_stix_emit(c, o)) < 0 || (rc = lg_stix_name_put(c, c->origin, c->cur)) < 0)
        return rc;
    json_array_foreach(admins, i, a)
    {
        const char *pid = jstr(a, "participant_id");
        char id[ID_MAX];

        if (pid == NULL)
            continue;
        lg_stix_make_id(id, c, "identity", "participant", pid);
        if ((o = lg_stix_obj_new(c, "identity", id, c->ledger_identity)) == NULL ||
            set_str(o, "name", jstr(a, "name") ? jstr(a, "name") : pid) < 0 ||
            set_str(o, "identity_class", "organization") < 0 ||
            json_object_set_new(o, "roles", json_pack("[s]", "ledger-admin")) != 0)
            return json_decref(o), lg_error_nomem();
        rc = lg_stix_obj_tail(c, o, NULL, json_pack("{s:s}", "participant_id", pid));
        if (rc < 0)
            return json_decref(o), rc;
        if ((rc = lg_stix_emit(c, o)) < 0)
            return rc;
    }
    return 0;
}

int
lg_stix_map_participant(stix_ctx *c, const json_t *p)
{
    const char *pid = jstr(p, "participant_id");
    char id[ID_MAX], w[64], loc[ID_MAX];
    const char *kind =
        lg_stix_enum_word(w, sizeof w, jstr(p, "participant_kind"), "PARTICIPANT_KIND_");
    const char *lid;
    json_t *o, *extra;
    int rc;

    if (pid == NULL)
        return 0;
    lg_stix_make_id(id, c, "identity", "participant", pid);
    if ((o = lg_stix_obj_new(c, "identity", id, c->author_ref)) == NULL ||
        set_str(o, "name", jstr(p, "name") ? jstr(p, "name") : pid) < 0 ||
        set_str(o, "description", jstr(p, "description")) < 0 ||
        set_str(o, "identity_class",
                jstr(p, "identity_class") ? jstr(p, "identity_class") : "organization") < 0 ||
        (kind != NULL && json_object_set_new(o, "roles", json_pack("[s]", kind)) != 0) ||
        copy_field(o, "sectors", p, "sectors") < 0)
        return json_decref(o), lg_error_nomem();
    extra = json_pack("{s:s}", "participant_id", pid);
    if (extra == NULL || (jobj(p, "reliability_rating") != NULL &&
                          json_object_set(extra, "reliability_rating",
                                          json_object_get(p, "reliability_rating")) != 0)) {
        json_decref(extra);
        json_decref(o);
        return lg_error_nomem();
    }
    if ((rc = lg_stix_obj_tail(c, o, NULL, extra)) < 0)
        return json_decref(o), rc;
    if ((rc = lg_stix_emit(c, o)) < 0 || (rc = lg_stix_name_put(c, pid, c->cur)) < 0)
        return rc;
    lid = lg_stix_location(c, jstr(p, "country"), loc);
    return lg_stix_relationship(c, "located-at", pid, "located-at", id, lid, NULL, NULL, NULL, NULL,
                                0);
}

int
lg_stix_map_actor(stix_ctx *c, const json_t *a)
{
    const char *aid = jstr(a, "actor_id"), *kind = jstr(a, "actor_kind");
    const char *type = "threat-actor", *tat = NULL;
    char id[ID_MAX], loc[ID_MAX];
    const json_t *rel;
    json_t *o, *extra;
    size_t i;
    int rc;

    /* As for incidents (stix_incident.c): the id derives from the chain's
     * first record_id, which is the actor_id of the owning record. */
    aid = c->chains[c->cur].root;
    if (kind == NULL)
        kind = "ACTOR_KIND_UNSPECIFIED";
    if (strcmp(kind, "ACTOR_KIND_STATE") == 0)
        type = "identity";
    else if (strcmp(kind, "ACTOR_KIND_INTRUSION_SET") == 0 ||
             strcmp(kind, "ACTOR_KIND_CRIMINAL_GROUP") == 0)
        type = "intrusion-set";
    else if (strcmp(kind, "ACTOR_KIND_STATE_ORGAN") == 0 ||
             strcmp(kind, "ACTOR_KIND_FRONT_COMPANY") == 0)
        tat = "nation-state";
    else
        tat = "unknown";
    lg_stix_make_id(id, c, type, "actor", aid);
    if ((o = lg_stix_obj_new(c, type, id, c->author_ref)) == NULL ||
        set_str(o, "name", jstr(a, "name") ? jstr(a, "name") : aid) < 0 ||
        set_str(o, "description", jstr(a, "description")) < 0)
        return json_decref(o), lg_error_nomem();
    if (strcmp(type, "identity") == 0) {
        if (set_str(o, "identity_class", "organization") < 0 ||
            json_object_set_new(o, "roles", json_pack("[s]", "state")) != 0)
            return json_decref(o), lg_error_nomem();
    } else if (copy_field(o, "aliases", a, "aliases") < 0) {
        return json_decref(o), lg_error_nomem();
    }
    if (tat != NULL && json_object_set_new(o, "threat_actor_types", json_pack("[s]", tat)) != 0)
        return json_decref(o), lg_error_nomem();
    if (strcmp(kind, "ACTOR_KIND_STATE_ORGAN") == 0 && set_str(o, "resource_level", "government"))
        return json_decref(o), lg_error_nomem();
    if (strcmp(kind, "ACTOR_KIND_INDIVIDUAL") == 0 &&
        json_object_set_new(o, "roles", json_pack("[s]", "agent")) != 0)
        return json_decref(o), lg_error_nomem();
    extra = json_pack("{s:s,s:s}", "actor_id", aid, "actor_kind", kind);
    if (strcmp(type, "identity") == 0 && jarr(a, "aliases") != NULL)
        json_object_set(extra, "aliases", json_object_get(a, "aliases"));
    if ((rc = lg_stix_obj_tail(c, o, a, extra)) < 0)
        return json_decref(o), rc;
    if ((rc = lg_stix_emit(c, o)) < 0 || (rc = lg_stix_name_put(c, aid, c->cur)) < 0)
        return rc;
    /* The organisation chain: cluster -> organ -> state. */
    if ((rc = lg_stix_relationship(c, "parent", aid, "attributed-to", id,
                                   lg_stix_ref(c, jstr(a, "parent_actor")), NULL, NULL, NULL, NULL,
                                   0)) < 0 ||
        (rc = lg_stix_relationship(c, "located-at", aid, "located-at", id,
                                   lg_stix_location(c, jstr(a, "country"), loc), NULL, NULL, NULL,
                                   NULL, 0)) < 0)
        return rc;
    json_array_foreach(json_object_get(a, "related_actors"), i, rel)
    {
        char seed[600];
        if (!json_is_string(rel))
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", aid, json_string_value(rel));
        if ((rc = lg_stix_relationship(c, "related", seed, "related-to", id,
                                       lg_stix_ref(c, json_string_value(rel)), NULL, NULL, NULL,
                                       NULL, 0)) < 0)
            return rc;
    }
    return 0;
}
