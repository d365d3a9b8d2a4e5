/*
 * stix_incident.c - STIX objects of an incident report (docs/FORMATS.md
 * section 12): the incident with the OASIS Incident Core extension and
 * what the report names about it.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "stix_int.h"

int
lg_stix_map_incident(stix_ctx *c, const json_t *r)
{
    const char *key = jstr(r, "incident_key");
    char id[ID_MAX], w[64], w2[64];
    const char *det = lg_stix_enum_word(w, sizeof w, jstr(r, "determination"), "DETERMINATION_");
    const char *inv =
        lg_stix_enum_word(w2, sizeof w2, jstr(r, "investigation_status"), "INVESTIGATION_STATUS_");
    const json_t *v;
    json_t *o;
    size_t i;
    int rc;

    if (key == NULL)
        key = c->chains[c->cur].root;
    lg_stix_make_id(id, c, "incident", "incident", key);
    if ((o = lg_stix_obj_new(c, "incident", id, c->author_ref)) == NULL ||
        set_str(o, "name", jstr(r, "name") ? jstr(r, "name") : key) < 0 ||
        set_str(o, "description", jstr(r, "description")) < 0)
        return json_decref(o), lg_error_nomem();
    if ((rc = lg_stix_obj_tail(c, o, r, json_pack("{s:s}", "incident_key", key))) < 0)
        return json_decref(o), rc;
    /* OASIS Incident Core: determination and investigation_status are
     * required, so the extension is present only when the report says
     * what it determined (an unspecified status reads as "new"). */
    if (det != NULL) {
        json_t *ic = json_pack("{s:s,s:s,s:s}", "extension_type", "property-extension",
                               "determination", det, "investigation_status", inv ? inv : "new");
        if (ic == NULL || copy_field(ic, "criticality", r, "criticality") < 0 ||
            copy_field(ic, "incident_types", r, "incident_types") < 0 ||
            json_object_set_new(json_object_get(o, "extensions"), LG_STIX_INCIDENT_CORE, ic) != 0)
            return json_decref(o), lg_error_nomem();
    }
    if ((rc = lg_stix_emit(c, o)) < 0 || (rc = lg_stix_name_put(c, key, c->cur)) < 0)
        return rc;
    /* Victims registered as participants: incident targets identity. */
    json_array_foreach(json_object_get(r, "victims"), i, v)
    {
        const char *vid = jstr(v, "identity_ref");
        char seed[600];
        if (vid == NULL)
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", key, vid);
        if ((rc = lg_stix_relationship(c, "targets", seed, "targets", id, lg_stix_ref(c, vid), NULL, NULL, NULL,
                               NULL, 0)) < 0)
            return rc;
    }
    return 0;
}

