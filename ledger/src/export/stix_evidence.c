/*
 * stix_evidence.c - STIX objects of an evidence record (docs/FORMATS.md
 * section 12): a note (title, description), the observables as
 * cyber-observables (stix_sco.c), an observed-data over them when the
 * record says when they were observed, an artifact for the content
 * commitment, and a grouping over the incidents and all of these.
 *
 * Observables without a STIX 2.1 SCO type (btc-address, types we do not
 * know, values that are defanged or not what their type says: stix_sco.c)
 * are never given an invented type: they stay, as {type, value}, in our extension of the
 * grouping ("unmapped_observables").
 */
#include <stdio.h>
#include <string.h>

#include "base/b64.h"
#include "base/error.h"
#include "export/stix_int.h"

/* Append the id to refs unless it is there already. */
static int
add_ref(json_t *refs, const char *id)
{
    size_t i;
    json_t *v;

    json_array_foreach(refs, i, v) if (strcmp(json_string_value(v), id) == 0) return 0;
    return json_array_append_new(refs, json_string(id)) == 0 ? 0 : lg_error_nomem();
}

/* SCOs of the observables into scos; the others into unmapped. */
static int
observables(stix_ctx *c, const json_t *ev, json_t *scos, json_t *unmapped)
{
    const json_t *o;
    size_t i;
    int rc;

    json_array_foreach(json_object_get(ev, "observables"), i, o)
    {
        char id[ID_MAX];

        int made = lg_stix_observable(c, id, jstr(o, "type"), jstr(o, "value"));

        if (made < 0)
            return made;
        if (made == 1 && (rc = add_ref(scos, id)) < 0)
            return rc;
        if (made == 0 && json_array_append(unmapped, (json_t *)o) != 0)
            return lg_error_nomem();
    }
    return 0;
}

/* The media type when it has the form the artifact schema requires
 * (a top-level type of the IANA registry, '/', a subtype), else NULL. */
static const char *
mime_type(const char *m)
{
    static const char *const top[] = {"application", "audio",     "font", "image", "message",
                                      "model",       "multipart", "text", "video"};
    static const char sub[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_-";

    for (size_t i = 0; m != NULL && i < sizeof top / sizeof top[0]; i++) {
        size_t n = strlen(top[i]);
        if (strncmp(m, top[i], n) == 0 && m[n] == '/' && m[n + 1] != '\0' &&
            strchr(sub, m[n + 1]) != NULL)
            return m;
    }
    return NULL;
}

/* The artifact of a SHA-256 content commitment (hashes, url =
 * storage_uri, mime_type = media_type): 1 and its id, 0 without one. */
static int
artifact(stix_ctx *c, char id[ID_MAX], const json_t *cc)
{
    const json_t *dg = jobj(cc, "digest");
    const char *alg = jstr(dg, "alg"), *b = jstr(dg, "value");
    uint8_t d[33];
    char hex[65];
    size_t dl = 0;
    json_t *more;
    int rc;

    if (b == NULL || (alg != NULL && strcmp(alg, "DIGEST_ALG_SHA256") != 0) ||
        strlen(b) != LG_B64_LEN(32) || lg_b64_decode(d, &dl, b, strlen(b)) != 0 || dl != 32 ||
        !lg_stix_url_ok(jstr(cc, "storage_uri")))
        return 0; /* an artifact needs its hashes and a valid url */
    lg_hex_encode(hex, d, 32);
    more = json_object();
    if (more == NULL || set_str(more, "mime_type", mime_type(jstr(cc, "media_type"))) < 0 ||
        set_str(more, "url", jstr(cc, "storage_uri")) < 0) {
        json_decref(more);
        return lg_error_nomem();
    }
    return (rc = lg_stix_sco(c, id, "artifact", "hashes", "SHA-256", hex, more)) < 0 ? rc : 1;
}

/* observed-data over the SCOs when the record gives observed_first or
 * observed_last (the one given stands for both; last >= first). */
static int
observed(stix_ctx *c, char id[ID_MAX], const json_t *ev, json_t *scos, const char *root)
{
    int64_t first, last;
    int hf = lg_stix_ts_parse(&first, jstr(ev, "observed_first")) == 0;
    int hl = lg_stix_ts_parse(&last, jstr(ev, "observed_last")) == 0;
    char tf[32], tl[32];
    json_t *o;
    int rc;

    if (json_array_size(scos) == 0 || (!hf && !hl))
        return 0;
    if (!hf)
        first = last;
    if (!hl || last < first)
        last = first;
    lg_stix_ts_format(tf, first);
    lg_stix_ts_format(tl, last);
    lg_stix_make_id(id, c, "observed-data", "evidence", root);
    o = lg_stix_obj_new(c, "observed-data", id, c->author_ref);
    if (o == NULL || set_str(o, "first_observed", tf) < 0 || set_str(o, "last_observed", tl) < 0 ||
        set_int(o, "number_observed", 1) < 0 || json_object_set(o, "object_refs", scos) != 0) {
        json_decref(o);
        return lg_error_nomem();
    }
    if ((rc = lg_stix_obj_tail(c, o, NULL, NULL)) < 0) {
        json_decref(o);
        return rc;
    }
    return (rc = lg_stix_emit(c, o)) < 0 ? rc : 1;
}

/* The note: title and description, on the incidents (or the grouping). */
static int
note(stix_ctx *c, const char *nid, const char *gid, const json_t *ev, const json_t *incs)
{
    const char *etype = jstr(ev, "evidence_type");
    json_t *n, *extra;
    int rc;

    n = lg_stix_obj_new(c, "note", nid, c->author_ref);
    if (n == NULL || set_str(n, "abstract", jstr(ev, "title")) < 0 ||
        set_str(n, "content",
                jstr(ev, "description") ? jstr(ev, "description")
                : jstr(ev, "title")     ? jstr(ev, "title")
                                        : "(evidence without description)") < 0 ||
        (json_array_size(incs) > 0
             ? json_object_set(n, "object_refs", (json_t *)incs)
             : json_object_set_new(n, "object_refs", json_pack("[s]", gid))) != 0) {
        json_decref(n);
        return lg_error_nomem();
    }
    extra = json_object();
    if (etype)
        set_str(extra, "evidence_type", etype);
    copy_field(extra, "disclosure", ev, "disclosure");
    copy_field(extra, "admiralty", ev, "admiralty");
    copy_field(extra, "content_commitment", ev, "content_commitment");
    copy_field(extra, "deception_assessment", ev, "deception_assessment");
    if ((rc = lg_stix_obj_tail(c, n, ev, extra)) < 0) {
        json_decref(n);
        return rc;
    }
    return lg_stix_emit(c, n);
}

/* The grouping: context from the evidence type, over refs. */
static int
grouping(stix_ctx *c, const char *gid, const json_t *ev, const char *root, json_t *refs,
         json_t *unmapped)
{
    const char *etype = jstr(ev, "evidence_type");
    json_t *g = lg_stix_obj_new(c, "grouping", gid, c->author_ref),
           *extra = json_pack("{s:s}", "evidence_type", etype ? etype : "");

    if (g == NULL || extra == NULL ||
        set_str(g, "name", jstr(ev, "title") ? jstr(ev, "title") : root) < 0 ||
        set_str(g, "context",
                etype && strcmp(etype, "EVIDENCE_TYPE_MALWARE_ANALYSIS") == 0
                    ? "malware-analysis"
                    : "suspicious-activity") < 0 ||
        json_object_set(g, "object_refs", refs) != 0 ||
        (json_array_size(unmapped) > 0 &&
         json_object_set(extra, "unmapped_observables", unmapped) != 0)) {
        json_decref(g);
        json_decref(extra);
        return lg_error_nomem();
    }
    int rc = lg_stix_obj_tail(c, g, NULL, extra);
    if (rc < 0) {
        json_decref(g);
        return rc;
    }
    return lg_stix_emit(c, g);
}

int
lg_stix_map_evidence(stix_ctx *c, const json_t *ev)
{
    const char *root = c->chains[c->cur].root;
    char gid[ID_MAX], nid[ID_MAX], oid[ID_MAX], aid[ID_MAX];
    json_t *incs = json_array(), *refs = json_array(), *scos = json_array(),
           *unmapped = json_array();
    const json_t *v;
    size_t i;
    int rc = 0, has_obs = 0, has_art = 0;

    if (incs == NULL || refs == NULL || scos == NULL || unmapped == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    lg_stix_make_id(gid, c, "grouping", "evidence", root);
    lg_stix_make_id(nid, c, "note", "evidence", root);
    json_array_foreach(json_object_get(ev, "incident_refs"), i, v)
    {
        const char *r = json_is_string(v) ? lg_stix_ref(c, json_string_value(v)) : NULL;
        if (r != NULL && (rc = add_ref(incs, r)) < 0)
            goto done;
    }
    /* SCOs and the artifact first, then what refers to them. */
    if ((rc = observables(c, ev, scos, unmapped)) < 0 ||
        (rc = has_art = artifact(c, aid, jobj(ev, "content_commitment"))) < 0 ||
        (rc = note(c, nid, gid, ev, incs)) < 0 ||
        (rc = has_obs = observed(c, oid, ev, scos, root)) < 0)
        goto done;
    if (json_array_extend(refs, incs) != 0 || (rc = add_ref(refs, nid)) < 0 ||
        (has_obs && (rc = add_ref(refs, oid)) < 0) || json_array_extend(refs, scos) != 0 ||
        (has_art && (rc = add_ref(refs, aid)) < 0)) {
        rc = rc < 0 ? rc : lg_error_nomem();
        goto done;
    }
    rc = grouping(c, gid, ev, root, refs, unmapped);
done:
    json_decref(incs);
    json_decref(refs);
    json_decref(scos);
    json_decref(unmapped);
    return rc;
}
