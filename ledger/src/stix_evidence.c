/*
 * stix_evidence.c - STIX objects of an evidence record (docs/FORMATS.md
 * section 12): a grouping over the incidents and a note.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "stix_int.h"

int
lg_stix_map_evidence(stix_ctx *c, const json_t *ev)
{
    const char *root = c->chains[c->cur].root;
    char gid[ID_MAX], nid[ID_MAX];
    const char *etype = jstr(ev, "evidence_type");
    json_t *g, *n, *grefs = json_array(), *nrefs = json_array(), *extra;
    const json_t *v;
    size_t i;
    int rc;

    lg_stix_make_id(gid, c, "grouping", "evidence", root);
    lg_stix_make_id(nid, c, "note", "evidence", root);
    json_array_foreach(json_object_get(ev, "incident_refs"), i, v)
    {
        const char *r = json_is_string(v) ? lg_stix_ref(c, json_string_value(v)) : NULL;
        if (r != NULL) {
            json_array_append_new(grefs, json_string(r));
            json_array_append_new(nrefs, json_string(r));
        }
    }
    json_array_append_new(grefs, json_string(nid));
    if (json_array_size(nrefs) == 0)
        json_array_append_new(nrefs, json_string(gid));
    n = lg_stix_obj_new(c, "note", nid, c->author_ref);
    if (n == NULL || set_str(n, "abstract", jstr(ev, "title")) < 0 ||
        set_str(n, "content",
                jstr(ev, "description") ? jstr(ev, "description")
                : jstr(ev, "title")     ? jstr(ev, "title")
                                        : "(evidence without description)") < 0 ||
        json_object_set(n, "object_refs", nrefs) != 0) {
        rc = lg_error_nomem();
        goto fail;
    }
    extra = json_object();
    if (etype)
        set_str(extra, "evidence_type", etype);
    copy_field(extra, "disclosure", ev, "disclosure");
    copy_field(extra, "admiralty", ev, "admiralty");
    copy_field(extra, "content_commitment", ev, "content_commitment");
    copy_field(extra, "deception_assessment", ev, "deception_assessment");
    if ((rc = lg_stix_obj_tail(c, n, ev, extra)) < 0)
        goto fail;
    /* The note first: the grouping refers to it. */
    rc = lg_stix_emit(c, n);
    n = NULL;
    if (rc < 0)
        goto fail;
    g = lg_stix_obj_new(c, "grouping", gid, c->author_ref);
    if (g == NULL || set_str(g, "name", jstr(ev, "title") ? jstr(ev, "title") : root) < 0 ||
        set_str(g, "context",
                etype && strcmp(etype, "EVIDENCE_TYPE_MALWARE_ANALYSIS") == 0
                    ? "malware-analysis"
                    : "suspicious-activity") < 0 ||
        json_object_set(g, "object_refs", grefs) != 0) {
        json_decref(g);
        rc = lg_error_nomem();
        goto fail;
    }
    if ((rc = lg_stix_obj_tail(c, g, NULL, json_pack("{s:s}", "evidence_type", etype ? etype : ""))) < 0) {
        json_decref(g);
        goto fail;
    }
    rc = lg_stix_emit(c, g);
fail:
    json_decref(n);
    json_decref(grefs);
    json_decref(nrefs);
    return rc;
}

/* Our extension properties of a claim or conclusion. */
