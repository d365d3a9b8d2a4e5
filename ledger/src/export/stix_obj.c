/*
 * stix_obj.c - the building blocks of the STIX 2.1 export (stix.c): times,
 * ids, the bundle's object list and versions, common properties (TLP
 * marking, our extension), locations and relationships.
 *
 * Invariants. Every object goes through lg_stix_emit(), which keeps the
 * id -> latest version map that reference checks use, makes a new version
 * of an existing id keep its first `created` and get a strictly later
 * `modified`, and records the id in the current record's chain (so a
 * retraction can revoke it and an opinion can name it). Objects shared by
 * several records (locations, markings, cyber-observables) are emitted
 * outside any chain.
 */
#include <stdio.h>
#include <string.h>

#include "base/b64.h"
#include "base/civil.h"
#include "base/error.h"
#include "base/uuid.h"
#include "export/stix_int.h"

/* UUIDv5(NAMESPACE_URL, "https://attrledger.example/stix/v1"). */
static const uint8_t stix_ns[16] = {0xab, 0xaa, 0xf9, 0x5f, 0x1f, 0x6c, 0x55, 0x3e,
                                    0x9c, 0x5b, 0x69, 0x68, 0x57, 0xce, 0xd8, 0xf6};

/* ---- time ---- */

/* "YYYY-MM-DDTHH:MM:SS[.f+]Z" (what lg_record_to_json writes) -> ms. */
int
lg_stix_ts_parse(int64_t *ms, const char *s)
{
    unsigned v[6] = {0};
    static const int len[6] = {4, 2, 2, 2, 2, 2};
    static const char sep[6] = {'-', '-', 'T', ':', ':', 0};
    const char *p = s;
    int64_t frac = 0;
    int digits = 0;

    if (s == NULL)
        return -1;
    for (int i = 0; i < 6; i++) {
        for (int k = 0; k < len[i]; k++, p++) {
            if (*p < '0' || *p > '9')
                return -1;
            v[i] = v[i] * 10 + (unsigned)(*p - '0');
        }
        if (sep[i] != 0 && *p++ != sep[i])
            return -1;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3)
                frac = frac * 10 + (*p - '0');
        while (digits < 3 && digits > 0)
            frac *= 10, digits++;
    }
    if (*p != 'Z' || p[1] != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return -1;
    *ms = ((lg_days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5]) * 1000) +
          frac;
    return 0;
}

void
lg_stix_ts_format(char out[32], int64_t ms)
{
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000, y;
    unsigned m, d;

    lg_civil_from_days(days, &y, &m, &d);
    /* Formatted in a buffer wide enough for any value, then cut to the
     * 24 characters a real timestamp takes. */
    char buf[96];
    snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
             (unsigned)(rem / 3600000), (unsigned)(rem / 60000 % 60), (unsigned)(rem / 1000 % 60),
             (unsigned)(rem % 1000));
    snprintf(out, 32, "%.31s", buf);
}

/* ---- names ---- */

/* Enum name without its prefix, lowercased, '_' -> '-': "OPINION_AGREE" ->
 * "agree" with prefix "OPINION_". NULL for UNSPECIFIED or a mismatch. */
const char *
lg_stix_enum_word(char *buf, size_t cap, const char *v, const char *prefix)
{
    size_t pl = strlen(prefix), n;

    if (v == NULL || strncmp(v, prefix, pl) != 0 || strcmp(v + pl, "UNSPECIFIED") == 0)
        return NULL;
    n = strlen(v + pl);
    if (n + 1 > cap)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        char ch = v[pl + i];
        buf[i] = ch == '_' ? '-' : (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    return buf;
}

/* ---- ids and chains ---- */

void
lg_stix_make_id(char out[ID_MAX], const stix_ctx *c, const char *type, const char *kind,
                const char *seed)
{
    char name[LEDGER_NAME_MAX + 1200], u[LG_UUID_STR];
    int n = snprintf(name, sizeof name, "%s\n%s\n%s\n%s", c->origin, type, kind, seed);

    if (n < 0 || (size_t)n >= sizeof name)
        n = (int)sizeof name - 1;
    lg_uuid5(u, stix_ns, (const uint8_t *)name, (size_t)n);
    snprintf(out, ID_MAX, "%s--%s", type, u);
}

int
lg_stix_name_put(stix_ctx *c, const char *name, size_t chain_ix)
{
    if (name == NULL || *name == '\0')
        return 0;
    return lg_map_put(&c->names, name, strlen(name), &chain_ix);
}

chain *
lg_stix_chain_of(stix_ctx *c, const char *name)
{
    size_t *ix;

    if (name == NULL)
        return NULL;
    ix = lg_map_get(&c->names, name, strlen(name));
    return ix ? &c->chains[*ix] : NULL;
}

int
lg_stix_chain_add_id(chain *ch, const char *id)
{
    size_t i;
    json_t *v;

    json_array_foreach(ch->ids, i, v) if (strcmp(json_string_value(v), id) == 0) return 0;
    if (json_array_append_new(ch->ids, json_string(id)) != 0)
        return lg_error_nomem();
    ch->primary = (char *)json_string_value(json_array_get(ch->ids, 0));
    return 0;
}

/* Is this STIX id an object of the bundle? */
int
lg_stix_have(const stix_ctx *c, const char *id)
{
    return id != NULL && lg_map_get(&c->latest, id, strlen(id)) != NULL;
}

/* The primary STIX id of whatever a record/actor/incident/participant id
 * names, or NULL (then the reference is dropped and counted). */
const char *
lg_stix_ref(stix_ctx *c, const char *name)
{
    chain *ch = lg_stix_chain_of(c, name);

    if (ch == NULL || ch->primary == NULL || !lg_stix_have(c, ch->primary)) {
        if (name != NULL)
            c->unresolved++;
        return NULL;
    }
    return ch->primary;
}

json_t *
lg_stix_latest_obj(stix_ctx *c, const char *id)
{
    size_t *pos = lg_map_get(&c->latest, id, strlen(id));

    return pos ? json_array_get(c->objects, *pos) : NULL;
}

/* ---- object construction ---- */

static const char *
tlp_marking(const json_t *hdr, const char **name, const char **word)
{
    const char *t = jstr(hdr, "tlp");

    if (t == NULL)
        return NULL;
    if (strcmp(t, "TLP_CLEAR") == 0) {
        *name = "TLP:WHITE";
        *word = "white";
        return "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    }
    if (strcmp(t, "TLP_GREEN") == 0) {
        *name = "TLP:GREEN";
        *word = "green";
        return "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    }
    if (strcmp(t, "TLP_AMBER") == 0 || strcmp(t, "TLP_AMBER_STRICT") == 0) {
        *name = "TLP:AMBER";
        *word = "amber";
        return "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    }
    if (strcmp(t, "TLP_RED") == 0) {
        *name = "TLP:RED";
        *word = "red";
        return "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
    }
    return NULL;
}

/* The TLP 1.0 marking definition objects are part of STIX 2.1 itself;
 * the bundle carries the ones it uses, so every ref resolves inside it.
 * *out is the marking's id, or NULL when the record has no TLP marking;
 * failing to add the definition is an error, never a missing marking. */
int
lg_stix_marking(stix_ctx *c, const char **out)
{
    const char *name = NULL, *word = NULL, *id = tlp_marking(c->hdr, &name, &word);
    json_t *m, *def;
    int rc;

    *out = NULL;
    if (id == NULL || lg_stix_have(c, id)) {
        *out = id;
        return 0;
    }
    m = json_object();
    def = json_object();
    if (m == NULL || def == NULL || set_str(m, "type", "marking-definition") < 0 ||
        set_str(m, "spec_version", "2.1") < 0 || set_str(m, "id", id) < 0 ||
        set_str(m, "created", "2017-01-20T00:00:00.000Z") < 0 ||
        set_str(m, "definition_type", "tlp") < 0 || set_str(m, "name", name) < 0 ||
        set_str(def, "tlp", word) < 0 || json_object_set(m, "definition", def) != 0) {
        json_decref(def);
        json_decref(m);
        return lg_error_nomem();
    }
    json_decref(def);
    if ((rc = lg_stix_emit(c, m)) < 0)
        return rc;
    *out = id;
    return 0;
}

/* type, spec_version, id, created_by_ref, created, modified. */
json_t *
lg_stix_obj_new(stix_ctx *c, const char *type, const char *id, const char *created_by)
{
    json_t *o = json_object();
    char t[32], tm[32];

    if (o == NULL)
        return NULL;
    lg_stix_ts_format(t, c->time_ms);
    lg_stix_ts_format(tm, c->mod_ms > c->time_ms ? c->mod_ms : c->time_ms);
    if (set_str(o, "type", type) < 0 || set_str(o, "spec_version", "2.1") < 0 ||
        set_str(o, "id", id) < 0 || set_str(o, "created_by_ref", created_by) < 0 ||
        set_str(o, "created", t) < 0 || set_str(o, "modified", tm) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Our extension: entry, leaf hash, record id, provenance, plus `extra`
 * (stolen). */
static int
ext_props(stix_ctx *c, json_t *o, json_t *extra)
{
    json_t *exts = json_object(), *e = json_object();
    const char *prov = jstr(c->hdr, "provenance");
    char h[LG_B64_LEN(32) + 1];
    const char *k;
    json_t *v;
    int rc = 0;

    lg_b64_encode(h, c->leaf_hash, 32);
    if (exts == NULL || e == NULL || set_str(e, "extension_type", "property-extension") < 0 ||
        set_int(e, "entry_index", (json_int_t)c->index) < 0 || set_str(e, "leaf_hash", h) < 0 ||
        set_str(e, "record_id", jstr(c->hdr, "record_id")) < 0 ||
        set_str(e, "provenance",
                prov && strcmp(prov, "PROVENANCE_TRANSCRIBED") == 0 ? "transcribed"
                                                                    : "first-party") < 0) {
        rc = lg_error_nomem();
        goto done;
    }
    if (extra != NULL)
        json_object_foreach(extra, k, v) if (json_object_set(e, k, v) != 0)
        {
            rc = lg_error_nomem();
            goto done;
        }
    if (json_object_set(exts, LG_STIX_EXTENSION, e) != 0 ||
        json_object_set(o, "extensions", exts) != 0)
        rc = lg_error_nomem();
done:
    json_decref(extra);
    json_decref(e);
    json_decref(exts);
    return rc;
}

/* labels, lang, external_references, object_marking_refs, then our
 * extension (with `extra`, stolen) and, optionally, another one. */
int
lg_stix_obj_tail(stix_ctx *c, json_t *o, const json_t *body, json_t *extra)
{
    const json_t *labels = jarr(c->hdr, "labels"),
                 *refs = body ? jarr(body, "external_references") : NULL;
    const char *mark;
    int rc;

    if ((rc = lg_stix_marking(c, &mark)) < 0) {
        json_decref(extra);
        return rc;
    }
    if ((labels != NULL && json_object_set(o, "labels", (json_t *)labels) != 0) ||
        set_str(o, "lang", jstr(c->hdr, "lang")) < 0 ||
        (refs != NULL && json_object_set(o, "external_references", (json_t *)refs) != 0)) {
        json_decref(extra);
        return lg_error_nomem();
    }
    if (mark != NULL) {
        json_t *a = json_array();
        if (a == NULL || json_array_append_new(a, json_string(mark)) != 0) {
            json_decref(a);
            json_decref(extra);
            return lg_error_nomem();
        }
        if (json_object_set_new(o, "object_marking_refs", a) != 0) {
            json_decref(extra);
            return lg_error_nomem();
        }
    }
    rc = ext_props(c, o, extra);
    return rc;
}

/*
 * Append an object (stolen). If an object with its id exists, this is a
 * new version: keep the first version's created, and make modified later
 * than the previous version's.
 */
int
lg_stix_emit(stix_ctx *c, json_t *obj)
{
    const char *id = jstr(obj, "id");
    size_t pos = json_array_size(c->objects);
    json_t *prev;
    int rc;

    if (id == NULL) {
        json_decref(obj);
        return lg_error_set(LEDGER_ERROR, "stix: object without id");
    }
    prev = lg_stix_latest_obj(c, id);
    if (prev != NULL && json_object_get(obj, "modified") != NULL) {
        int64_t pm = 0, m = 0;

        if (copy_field(obj, "created", prev, "created") < 0) {
            json_decref(obj);
            return lg_error_nomem();
        }
        if (lg_stix_ts_parse(&pm, jstr(prev, "modified")) == 0 &&
            lg_stix_ts_parse(&m, jstr(obj, "modified")) == 0 && m <= pm) {
            char t[32];
            lg_stix_ts_format(t, pm + 1);
            if (set_str(obj, "modified", t) < 0) {
                json_decref(obj);
                return lg_error_nomem();
            }
        }
    }
    if (json_array_append_new(c->objects, obj) != 0)
        return lg_error_nomem();
    if ((rc = lg_map_put(&c->latest, id, strlen(id), &pos)) < 0)
        return rc;
    if (c->chains != NULL && c->cur < c->n_chains && strncmp(id, "marking-definition--", 20) != 0)
        return lg_stix_chain_add_id(&c->chains[c->cur], id);
    return 0;
}

/* ---- locations, identities ---- */

const char *
lg_stix_location(stix_ctx *c, const char *country, char id[ID_MAX])
{
    json_t *o;
    int64_t saved = c->time_ms;
    const json_t *hdr = c->hdr;

    if (country == NULL || strlen(country) != 2)
        return NULL;
    lg_stix_make_id(id, c, "location", "country", country);
    if (lg_stix_have(c, id))
        return id;
    /* Shared by everything located there: no author, no marking, a fixed
     * time (the epoch of the format), so it does not depend on who came first. */
    int64_t saved_mod = c->mod_ms;
    c->time_ms = c->mod_ms = lg_days_from_civil(2017, 1, 1) * 86400000;
    c->hdr = NULL;
    o = lg_stix_obj_new(c, "location", id, NULL);
    c->time_ms = saved;
    c->mod_ms = saved_mod;
    c->hdr = hdr;
    if (o == NULL || set_str(o, "name", country) < 0 || set_str(o, "country", country) < 0) {
        c->nomem = 1;
        return json_decref(o), NULL;
    }
    size_t save_cur = c->cur;
    c->cur = (size_t)-1; /* not part of any record's chain */
    int rc = lg_stix_emit(c, o);
    c->cur = save_cur;
    if (rc < 0)
        c->nomem = 1;
    return rc < 0 ? NULL : id;
}

int
lg_stix_relationship(stix_ctx *c, const char *kind, const char *seed, const char *rtype,
                     const char *src, const char *dst, const json_t *conf, const char *description,
                     json_t *extra, const json_t *body, int label_hypothesis)
{
    char id[ID_MAX];
    json_t *o;
    int rc;

    if (src == NULL || dst == NULL) {
        json_decref(extra);
        return 0;
    }
    lg_stix_make_id(id, c, "relationship", kind, seed);
    if ((o = lg_stix_obj_new(c, "relationship", id, c->author_ref)) == NULL ||
        set_str(o, "relationship_type", rtype) < 0 || set_str(o, "description", description) < 0 ||
        set_str(o, "source_ref", src) < 0 || set_str(o, "target_ref", dst) < 0 ||
        (conf != NULL && json_object_get(conf, "stix_value") != NULL &&
         copy_field(o, "confidence", conf, "stix_value") < 0)) {
        json_decref(o);
        json_decref(extra);
        return lg_error_nomem();
    }
    if ((rc = lg_stix_obj_tail(c, o, body, extra)) < 0) {
        json_decref(o);
        return rc;
    }
    if (label_hypothesis) {
        json_t *l = json_object_get(o, "labels");
        if (l == NULL) {
            l = json_array();
            json_object_set_new(o, "labels", l);
        }
        json_array_append_new(l, json_string("hypothesis"));
    }
    c->relationships++;
    return lg_stix_emit(c, o);
}
