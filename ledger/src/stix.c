/*
 * stix.c - the ledger as a STIX 2.1 bundle (export.h, ledger_export_stix).
 *
 * Mapping: reference/domain-model.md section 2.11, written down in
 * docs/FORMATS.md section 12. Records are read through their proto3 JSON
 * form (codec.c's lg_record_to_json), never through generated structs.
 *
 * Method. One forward pass over the selected entries (select.c: an index
 * range and optionally one incident, plus registrations and referenced
 * records), in index order, building the objects in memory; then one
 * serialisation. References always point backwards, so every object a
 * record refers to exists when the record is mapped; a reference that
 * resolves to nothing (an actor never registered, say) is left out rather
 * than dangling, so every *_ref in the bundle names an object in it.
 *
 * Determinism. Ids are UUIDv5 under the project namespace of a name made
 * from the log origin and the root record id of a version chain (or the
 * participant, actor or incident key), so every version of a record keeps
 * its STIX id, and two exports of the same ledger and selection are byte
 * for byte identical: objects come in entry order, properties in a fixed
 * order, timestamps from the records (or the ledger's integrated_time),
 * never from the clock.
 *
 * Provenance. created_by_ref is always the identity of the record's
 * author, the participant who signed it. A TRANSCRIBED claim is authored by
 * a curator: it carries the curator as creator and names the quoted
 * claimant only in our extension ("claimant"), so no organisation is ever
 * shown as the creator of an object it did not sign.
 *
 * Versions and retractions. A revision (header.supersedes) is a new
 * version of the same objects (same id, same created, later modified); a
 * retraction adds a last version of each object its target produced, with
 * "revoked": true, and a note carrying the explanation.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "alloc.h"
#include "attrledger/export.h"
#include "b64.h"
#include "codec.h"
#include "crypto.h"
#include "error.h"
#include "export_int.h"
#include "json.h"
#include "ledger_int.h"
#include "map.h"
#include "merkle.h"
#include "note.h"
#include "select.h"
#include "store.h"
#include "uuid.h"

/* UUIDv5(NAMESPACE_URL, "https://attrledger.example/stix/v1"). */
static const uint8_t stix_ns[16] = {0xab, 0xaa, 0xf9, 0x5f, 0x1f, 0x6c, 0x55, 0x3e,
                                    0x9c, 0x5b, 0x69, 0x68, 0x57, 0xce, 0xd8, 0xf6};

#define INCIDENT_CORE "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
/* Fixed creation time of our extension definition (its version 1.0.0). */
#define EXT_CREATED "2024-01-01T00:00:00.000Z"
#define ID_MAX (32 + LG_UUID_STR)

/* ---- time ---- */

/* "YYYY-MM-DDTHH:MM:SS[.f+]Z" (what lg_record_to_json writes) -> ms. */
static int
ts_parse(int64_t *ms, const char *s)
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

static void
ts_format(char out[32], int64_t ms)
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

/* ---- small JSON helpers ---- */

static const char *
jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static const json_t *
jobj(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_object(v) ? v : NULL;
}

static const json_t *
jarr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_array(v) && json_array_size(v) > 0 ? v : NULL;
}

/* Enum name without its prefix, lowercased, '_' -> '-': "OPINION_AGREE" ->
 * "agree" with prefix "OPINION_". NULL for UNSPECIFIED or a mismatch. */
static const char *
enum_word(char *buf, size_t cap, const char *v, const char *prefix)
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

/* Set key to a copy of src[key] when present. */
static int
copy_field(json_t *dst, const char *dkey, const json_t *src, const char *skey)
{
    json_t *v = json_object_get(src, skey);

    if (v == NULL)
        return 0;
    return json_object_set(dst, dkey, v) == 0 ? 0 : lg_error_nomem();
}

static int
set_str(json_t *o, const char *key, const char *v)
{
    if (v == NULL)
        return 0;
    return json_object_set_new(o, key, json_string(v)) == 0 ? 0 : lg_error_nomem();
}

static int
set_int(json_t *o, const char *key, json_int_t v)
{
    return json_object_set_new(o, key, json_integer(v)) == 0 ? 0 : lg_error_nomem();
}

/* ---- the export state ---- */

typedef struct {
    char *root; /* root record id of the chain */
    lg_record_type type;
    json_t *ids;     /* STIX ids produced by the chain (first = primary) */
    char *primary;   /* primary STIX id (borrowed from ids) */
    uint64_t entry;  /* entry of the latest version */
    char country[3]; /* actor / participant country, for locations */
} chain;

typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    json_t *objects; /* the bundle's objects, in order */
    lg_map latest;   /* STIX id -> size_t position of its latest version */
    lg_map names;    /* record id / actor id / incident key / participant id -> size_t chain */
    chain *chains;
    size_t n_chains, cap_chains;
    char ext_id[ID_MAX];
    char ledger_identity[ID_MAX];
    uint64_t relationships, unresolved;
    /* per entry being mapped */
    uint64_t index;
    uint8_t leaf_hash[32];
    const json_t *rec; /* record JSON */
    const json_t *hdr;
    const char *author_ref; /* identity id of the author */
    int64_t time_ms;        /* created of new objects: header.created, claimed_at, ... */
    int64_t mod_ms;         /* modified of new objects: header.created or integrated_time */
    size_t cur;             /* chain of the current record */
    /* An allocation failed in a helper that can only return NULL (which
     * otherwise means "nothing to add"): the export fails with ENOMEM. */
    int nomem;
    unsigned long json_failures; /* lg_json_alloc_failures() at the start */
} stix_ctx;

static void
make_id(char out[ID_MAX], const stix_ctx *c, const char *type, const char *kind, const char *seed)
{
    char name[2 * LEDGER_NAME_MAX + 600], u[LG_UUID_STR];
    int n = snprintf(name, sizeof name, "%s\n%s\n%s", c->origin, kind, seed);

    if (n < 0 || (size_t)n >= sizeof name)
        n = (int)sizeof name - 1;
    lg_uuid5(u, stix_ns, (const uint8_t *)name, (size_t)n);
    snprintf(out, ID_MAX, "%s--%s", type, u);
}

static int
name_put(stix_ctx *c, const char *name, size_t chain_ix)
{
    if (name == NULL || *name == '\0')
        return 0;
    return lg_map_put(&c->names, name, strlen(name), &chain_ix);
}

static chain *
chain_of(stix_ctx *c, const char *name)
{
    size_t *ix;

    if (name == NULL)
        return NULL;
    ix = lg_map_get(&c->names, name, strlen(name));
    return ix ? &c->chains[*ix] : NULL;
}

static int
chain_add_id(chain *ch, const char *id)
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
static int
have(const stix_ctx *c, const char *id)
{
    return id != NULL && lg_map_get(&c->latest, id, strlen(id)) != NULL;
}

/* The primary STIX id of whatever a record/actor/incident/participant id
 * names, or NULL (then the reference is dropped and counted). */
static const char *
ref(stix_ctx *c, const char *name)
{
    chain *ch = chain_of(c, name);

    if (ch == NULL || ch->primary == NULL || !have(c, ch->primary)) {
        if (name != NULL)
            c->unresolved++;
        return NULL;
    }
    return ch->primary;
}

static json_t *
latest_obj(stix_ctx *c, const char *id)
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

static int emit(stix_ctx *c, json_t *obj);

/* The TLP 1.0 marking definition objects are part of STIX 2.1 itself;
 * the bundle carries the ones it uses, so every ref resolves inside it.
 * *out is the marking's id, or NULL when the record has no TLP marking;
 * failing to add the definition is an error, never a missing marking. */
static int
marking(stix_ctx *c, const char **out)
{
    const char *name = NULL, *word = NULL, *id = tlp_marking(c->hdr, &name, &word);
    json_t *m, *def;
    int rc;

    *out = NULL;
    if (id == NULL || have(c, id)) {
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
    if ((rc = emit(c, m)) < 0)
        return rc;
    *out = id;
    return 0;
}

/* type, spec_version, id, created_by_ref, created, modified. */
static json_t *
obj_new(stix_ctx *c, const char *type, const char *id, const char *created_by)
{
    json_t *o = json_object();
    char t[32], tm[32];

    if (o == NULL)
        return NULL;
    ts_format(t, c->time_ms);
    ts_format(tm, c->mod_ms > c->time_ms ? c->mod_ms : c->time_ms);
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
    if (json_object_set(exts, c->ext_id, e) != 0 || json_object_set(o, "extensions", exts) != 0)
        rc = lg_error_nomem();
done:
    json_decref(extra);
    json_decref(e);
    json_decref(exts);
    return rc;
}

/* labels, lang, external_references, object_marking_refs, then our
 * extension (with `extra`, stolen) and, optionally, another one. */
static int
obj_tail(stix_ctx *c, json_t *o, const json_t *body, json_t *extra)
{
    const json_t *labels = jarr(c->hdr, "labels"),
                 *refs = body ? jarr(body, "external_references") : NULL;
    const char *mark;
    int rc;

    if ((rc = marking(c, &mark)) < 0) {
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
static int
emit(stix_ctx *c, json_t *obj)
{
    const char *id = jstr(obj, "id");
    size_t pos = json_array_size(c->objects);
    json_t *prev;
    int rc;

    if (id == NULL) {
        json_decref(obj);
        return lg_error_set(LEDGER_ERROR, "stix: object without id");
    }
    prev = latest_obj(c, id);
    if (prev != NULL && json_object_get(obj, "modified") != NULL) {
        int64_t pm = 0, m = 0;

        if (copy_field(obj, "created", prev, "created") < 0) {
            json_decref(obj);
            return lg_error_nomem();
        }
        if (ts_parse(&pm, jstr(prev, "modified")) == 0 &&
            ts_parse(&m, jstr(obj, "modified")) == 0 && m <= pm) {
            char t[32];
            ts_format(t, pm + 1);
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
        return chain_add_id(&c->chains[c->cur], id);
    return 0;
}

/* ---- locations, identities ---- */

static const char *
location(stix_ctx *c, const char *country, char id[ID_MAX])
{
    json_t *o;
    int64_t saved = c->time_ms;
    const json_t *hdr = c->hdr;

    if (country == NULL || strlen(country) != 2)
        return NULL;
    make_id(id, c, "location", "country", country);
    if (have(c, id))
        return id;
    /* Shared by everything located there: no author, no marking, a fixed
     * time (the epoch of the format), so it does not depend on who came first. */
    int64_t saved_mod = c->mod_ms;
    c->time_ms = c->mod_ms = lg_days_from_civil(2017, 1, 1) * 86400000;
    c->hdr = NULL;
    o = obj_new(c, "location", id, NULL);
    c->time_ms = saved;
    c->mod_ms = saved_mod;
    c->hdr = hdr;
    if (o == NULL || set_str(o, "name", country) < 0 || set_str(o, "country", country) < 0) {
        c->nomem = 1;
        return json_decref(o), NULL;
    }
    size_t save_cur = c->cur;
    c->cur = (size_t)-1; /* not part of any record's chain */
    int rc = emit(c, o);
    c->cur = save_cur;
    if (rc < 0)
        c->nomem = 1;
    return rc < 0 ? NULL : id;
}

static int
relationship(stix_ctx *c, const char *kind, const char *seed, const char *rtype, const char *src,
             const char *dst, const json_t *conf, const char *description, json_t *extra,
             const json_t *body, int label_hypothesis)
{
    char id[ID_MAX];
    json_t *o;
    int rc;

    if (src == NULL || dst == NULL) {
        json_decref(extra);
        return 0;
    }
    make_id(id, c, "relationship", kind, seed);
    if ((o = obj_new(c, "relationship", id, c->author_ref)) == NULL ||
        set_str(o, "relationship_type", rtype) < 0 || set_str(o, "description", description) < 0 ||
        set_str(o, "source_ref", src) < 0 || set_str(o, "target_ref", dst) < 0 ||
        (conf != NULL && json_object_get(conf, "stix_value") != NULL &&
         copy_field(o, "confidence", conf, "stix_value") < 0)) {
        json_decref(o);
        json_decref(extra);
        return lg_error_nomem();
    }
    if ((rc = obj_tail(c, o, body, extra)) < 0) {
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
    return emit(c, o);
}

/* identity for the log itself (genesis author) and the genesis admins. */
static int
map_genesis(stix_ctx *c, const json_t *pol)
{
    const json_t *admins = jarr(pol, "admins"), *a;
    size_t i;
    json_t *o;
    int rc;

    make_id(c->ledger_identity, c, "identity", "participant", c->origin);
    if ((o = obj_new(c, "identity", c->ledger_identity, NULL)) == NULL ||
        set_str(o, "name", c->origin) < 0 ||
        set_str(o, "description", "The attribution ledger (its log key signs checkpoints).") < 0 ||
        set_str(o, "identity_class", "system") < 0)
        return json_decref(o), lg_error_nomem();
    if ((rc = obj_tail(c, o, NULL, NULL)) < 0)
        return json_decref(o), rc;
    if ((rc = emit(c, o)) < 0 || (rc = name_put(c, c->origin, c->cur)) < 0)
        return rc;
    json_array_foreach(admins, i, a)
    {
        const char *pid = jstr(a, "participant_id");
        char id[ID_MAX];

        if (pid == NULL)
            continue;
        make_id(id, c, "identity", "participant", pid);
        if ((o = obj_new(c, "identity", id, c->ledger_identity)) == NULL ||
            set_str(o, "name", jstr(a, "name") ? jstr(a, "name") : pid) < 0 ||
            set_str(o, "identity_class", "organization") < 0 ||
            json_object_set_new(o, "roles", json_pack("[s]", "ledger-admin")) != 0)
            return json_decref(o), lg_error_nomem();
        rc = obj_tail(c, o, NULL, json_pack("{s:s}", "participant_id", pid));
        if (rc < 0)
            return json_decref(o), rc;
        if ((rc = emit(c, o)) < 0)
            return rc;
    }
    return 0;
}

static int
map_participant(stix_ctx *c, const json_t *p)
{
    const char *pid = jstr(p, "participant_id");
    char id[ID_MAX], w[64], loc[ID_MAX];
    const char *kind = enum_word(w, sizeof w, jstr(p, "participant_kind"), "PARTICIPANT_KIND_");
    const char *lid;
    json_t *o, *extra;
    int rc;

    if (pid == NULL)
        return 0;
    make_id(id, c, "identity", "participant", pid);
    if ((o = obj_new(c, "identity", id, c->author_ref)) == NULL ||
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
    if ((rc = obj_tail(c, o, NULL, extra)) < 0)
        return json_decref(o), rc;
    if ((rc = emit(c, o)) < 0 || (rc = name_put(c, pid, c->cur)) < 0)
        return rc;
    lid = location(c, jstr(p, "country"), loc);
    return relationship(c, "located-at", pid, "located-at", id, lid, NULL, NULL, NULL, NULL, 0);
}

static int
map_actor(stix_ctx *c, const json_t *a)
{
    const char *aid = jstr(a, "actor_id"), *kind = jstr(a, "actor_kind");
    const char *type = "threat-actor", *tat = NULL;
    char id[ID_MAX], loc[ID_MAX];
    const json_t *rel;
    json_t *o, *extra;
    size_t i;
    int rc;

    if (aid == NULL)
        aid = jstr(c->hdr, "record_id");
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
    make_id(id, c, type, "actor", aid);
    if ((o = obj_new(c, type, id, c->author_ref)) == NULL ||
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
    if ((rc = obj_tail(c, o, a, extra)) < 0)
        return json_decref(o), rc;
    if ((rc = emit(c, o)) < 0 || (rc = name_put(c, aid, c->cur)) < 0)
        return rc;
    /* The organisation chain: cluster -> organ -> state. */
    if ((rc = relationship(c, "parent", aid, "attributed-to", id, ref(c, jstr(a, "parent_actor")),
                           NULL, NULL, NULL, NULL, 0)) < 0 ||
        (rc = relationship(c, "located-at", aid, "located-at", id,
                           location(c, jstr(a, "country"), loc), NULL, NULL, NULL, NULL, 0)) < 0)
        return rc;
    json_array_foreach(json_object_get(a, "related_actors"), i, rel)
    {
        char seed[600];
        if (!json_is_string(rel))
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", aid, json_string_value(rel));
        if ((rc = relationship(c, "related", seed, "related-to", id, ref(c, json_string_value(rel)),
                               NULL, NULL, NULL, NULL, 0)) < 0)
            return rc;
    }
    return 0;
}

static int
map_incident(stix_ctx *c, const json_t *r)
{
    const char *key = jstr(r, "incident_key");
    char id[ID_MAX], w[64], w2[64];
    const char *det = enum_word(w, sizeof w, jstr(r, "determination"), "DETERMINATION_");
    const char *inv =
        enum_word(w2, sizeof w2, jstr(r, "investigation_status"), "INVESTIGATION_STATUS_");
    const json_t *v;
    json_t *o;
    size_t i;
    int rc;

    if (key == NULL)
        key = c->chains[c->cur].root;
    make_id(id, c, "incident", "incident", key);
    if ((o = obj_new(c, "incident", id, c->author_ref)) == NULL ||
        set_str(o, "name", jstr(r, "name") ? jstr(r, "name") : key) < 0 ||
        set_str(o, "description", jstr(r, "description")) < 0)
        return json_decref(o), lg_error_nomem();
    if ((rc = obj_tail(c, o, r, json_pack("{s:s}", "incident_key", key))) < 0)
        return json_decref(o), rc;
    /* OASIS Incident Core: determination and investigation_status are
     * required, so the extension is present only when the report says
     * what it determined (an unspecified status reads as "new"). */
    if (det != NULL) {
        json_t *ic = json_pack("{s:s,s:s,s:s}", "extension_type", "property-extension",
                               "determination", det, "investigation_status", inv ? inv : "new");
        if (ic == NULL || copy_field(ic, "criticality", r, "criticality") < 0 ||
            copy_field(ic, "incident_types", r, "incident_types") < 0 ||
            json_object_set_new(json_object_get(o, "extensions"), INCIDENT_CORE, ic) != 0)
            return json_decref(o), lg_error_nomem();
    }
    if ((rc = emit(c, o)) < 0 || (rc = name_put(c, key, c->cur)) < 0)
        return rc;
    /* Victims registered as participants: incident targets identity. */
    json_array_foreach(json_object_get(r, "victims"), i, v)
    {
        const char *vid = jstr(v, "identity_ref");
        char seed[600];
        if (vid == NULL)
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", key, vid);
        if ((rc = relationship(c, "targets", seed, "targets", id, ref(c, vid), NULL, NULL, NULL,
                               NULL, 0)) < 0)
            return rc;
    }
    return 0;
}

static int
map_evidence(stix_ctx *c, const json_t *ev)
{
    const char *root = c->chains[c->cur].root;
    char gid[ID_MAX], nid[ID_MAX];
    const char *etype = jstr(ev, "evidence_type");
    json_t *g, *n, *grefs = json_array(), *nrefs = json_array(), *extra;
    const json_t *v;
    size_t i;
    int rc;

    make_id(gid, c, "grouping", "evidence", root);
    make_id(nid, c, "note", "evidence", root);
    json_array_foreach(json_object_get(ev, "incident_refs"), i, v)
    {
        const char *r = json_is_string(v) ? ref(c, json_string_value(v)) : NULL;
        if (r != NULL) {
            json_array_append_new(grefs, json_string(r));
            json_array_append_new(nrefs, json_string(r));
        }
    }
    json_array_append_new(grefs, json_string(nid));
    if (json_array_size(nrefs) == 0)
        json_array_append_new(nrefs, json_string(gid));
    n = obj_new(c, "note", nid, c->author_ref);
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
    if ((rc = obj_tail(c, n, ev, extra)) < 0)
        goto fail;
    /* The note first: the grouping refers to it. */
    rc = emit(c, n);
    n = NULL;
    if (rc < 0)
        goto fail;
    g = obj_new(c, "grouping", gid, c->author_ref);
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
    if ((rc = obj_tail(c, g, NULL, json_pack("{s:s}", "evidence_type", etype ? etype : ""))) < 0) {
        json_decref(g);
        goto fail;
    }
    rc = emit(c, g);
fail:
    json_decref(n);
    json_decref(grefs);
    json_decref(nrefs);
    return rc;
}

/* Our extension properties of a claim or conclusion. */
static json_t *
claim_extra(const json_t *cl, const char *claimant)
{
    json_t *e = json_object();
    const json_t *conf = jobj(cl, "confidence");

    if (e == NULL)
        return NULL;
    set_str(e, "claimant", claimant);
    copy_field(e, "assertion_type", cl, "assertion_type");
    copy_field(e, "attribution_level", cl, "level");
    copy_field(e, "channel", cl, "channel");
    copy_field(e, "state_responsibility", cl, "state_responsibility");
    copy_field(e, "legal_standard", cl, "legal_standard");
    copy_field(e, "evidence_disclosure", cl, "evidence_disclosure");
    copy_field(e, "basis", cl, "basis");
    if (conf != NULL) {
        copy_field(e, "likelihood", conf, "likelihood");
        copy_field(e, "analytic_confidence", conf, "analytic_confidence");
        copy_field(e, "confidence_wording", conf, "wording");
        copy_field(e, "confidence_mapping_note", conf, "mapping_note");
    }
    return e;
}

static int
map_claim(stix_ctx *c, const json_t *cl)
{
    const char *root = c->chains[c->cur].root;
    const char *atype = jstr(cl, "assertion_type"), *scope = jstr(cl, "target_scope");
    const char *claimant = jstr(cl, "claimant") ? jstr(cl, "claimant") : jstr(c->hdr, "author");
    const char *target = ref(c, jstr(cl, "attributed_to"));
    int hypothesis = atype && strcmp(atype, "ASSERTION_TYPE_HYPOTHESIS") == 0;
    int negative = atype && strcmp(atype, "ASSERTION_TYPE_NEGATIVE") == 0;
    const json_t *conf = jobj(cl, "confidence"), *inc, *ff;
    const json_t *claimed_at = jobj(cl, "claimed_at");
    int64_t t;
    size_t i;
    int rc = 0;

    /* relationship created = when the claim was made, when known. */
    if (claimed_at != NULL && ts_parse(&t, jstr(claimed_at, "time")) == 0)
        c->time_ms = t;
    if (negative) {
        /* STIX has no negated relationship: a note on the incidents. */
        char nid[ID_MAX];
        json_t *n, *refs = json_array();

        make_id(nid, c, "note", "claim", root);
        json_array_foreach(json_object_get(cl, "incident_refs"), i, inc)
        {
            const char *r = json_is_string(inc) ? ref(c, json_string_value(inc)) : NULL;
            if (r != NULL)
                json_array_append_new(refs, json_string(r));
        }
        if (target != NULL)
            json_array_append_new(refs, json_string(target));
        if (json_array_size(refs) == 0) {
            json_decref(refs);
            return 0;
        }
        n = obj_new(c, "note", nid, c->author_ref);
        if (n == NULL || set_str(n, "abstract", "negative attribution claim") < 0 ||
            set_str(n, "content",
                    jstr(cl, "statement") ? jstr(cl, "statement")
                                          : "no attribution to this actor") < 0 ||
            json_object_set(n, "object_refs", refs) != 0) {
            json_decref(n);
            json_decref(refs);
            return lg_error_nomem();
        }
        json_decref(refs);
        if ((rc = obj_tail(c, n, cl, claim_extra(cl, claimant))) < 0)
            return json_decref(n), rc;
        return emit(c, n);
    }
    json_array_foreach(json_object_get(cl, "incident_refs"), i, inc)
    {
        const char *src = json_is_string(inc) ? ref(c, json_string_value(inc)) : NULL;
        const char *dst = target, *rtype = "attributed-to";
        char seed[600], loc[ID_MAX];

        if (scope && strcmp(scope, "TARGET_SCOPE_TERRITORY") == 0) {
            chain *ach = chain_of(c, jstr(cl, "attributed_to"));
            const char *lid = ach ? location(c, ach->country[0] ? ach->country : NULL, loc) : NULL;
            if (lid != NULL)
                dst = lid;
            rtype = "originates-from";
        }
        snprintf(seed, sizeof seed, "%s\n%s", root,
                 json_is_string(inc) ? json_string_value(inc) : "");
        if ((rc = relationship(c, "claim", seed, rtype, src, dst, conf, jstr(cl, "statement"),
                               claim_extra(cl, claimant), cl, hypothesis)) < 0)
            return rc;
    }
    /* The state behind the actor, as the claimant put it. */
    if ((rc = relationship(c, "claim-nexus", root, "attributed-to", target,
                           ref(c, jstr(cl, "state_nexus")), conf, jstr(cl, "statement"),
                           claim_extra(cl, claimant), cl, hypothesis)) < 0)
        return rc;
    ff = jobj(cl, "false_flag_claimed");
    if (ff != NULL)
        rc = relationship(c, "claim-false-flag", root, "impersonates", target,
                          ref(c, jstr(ff, "impersonated_actor")), NULL, jstr(ff, "notes"),
                          claim_extra(cl, claimant), cl, 0);
    return rc;
}

static const char *
stance_word(const json_t *op, char *buf, size_t cap)
{
    const char *s = enum_word(buf, cap, jstr(op, "stance"), "OPINION_");
    const char *k = jstr(op, "kind");

    if (s != NULL)
        return s;
    if (k == NULL)
        return "neutral";
    if (strcmp(k, "OPINION_KIND_ENDORSEMENT") == 0)
        return "agree";
    if (strcmp(k, "OPINION_KIND_DISPUTE") == 0)
        return "disagree";
    if (strcmp(k, "OPINION_KIND_DENIAL") == 0)
        return "strongly-disagree";
    return "neutral";
}

/* Every object a record produced (claim -> its relationships). */
static int
add_all_ids(stix_ctx *c, json_t *refs, const char *name)
{
    chain *ch = chain_of(c, name);
    size_t i;
    json_t *v;

    if (ch == NULL)
        return 0;
    json_array_foreach(ch->ids, i, v) if (have(c, json_string_value(v)) &&
                                          json_array_append(refs, v) != 0) return lg_error_nomem();
    return 0;
}

static int
opinion_obj(stix_ctx *c, const char *id, const char *stance, const char *expl, json_t *refs,
            json_t *extra, const json_t *body)
{
    json_t *o;
    int rc;

    if (json_array_size(refs) == 0) {
        json_decref(extra);
        json_decref(refs);
        c->unresolved++;
        return 0;
    }
    if ((o = obj_new(c, "opinion", id, c->author_ref)) == NULL ||
        set_str(o, "explanation", expl) < 0 || set_str(o, "opinion", stance) < 0 ||
        json_object_set(o, "object_refs", refs) != 0) {
        json_decref(o);
        json_decref(extra);
        json_decref(refs);
        return lg_error_nomem();
    }
    json_decref(refs);
    if ((rc = obj_tail(c, o, body, extra)) < 0)
        return json_decref(o), rc;
    return emit(c, o);
}

static int
map_opinion(stix_ctx *c, const json_t *op)
{
    const char *root = c->chains[c->cur].root;
    char id[ID_MAX], w[64];
    json_t *refs = json_array(), *extra = json_object();
    const json_t *t;
    size_t i;
    int rc;

    make_id(id, c, "opinion", "opinion", root);
    json_array_foreach(json_object_get(op, "target_refs"), i,
                       t) if (json_is_string(t) &&
                              (rc = add_all_ids(c, refs, json_string_value(t))) < 0)
    {
        json_decref(refs);
        json_decref(extra);
        return rc;
    }
    copy_field(extra, "opinion_kind", op, "kind");
    copy_field(extra, "is_accused_party", op, "is_accused_party");
    copy_field(extra, "alternative_attribution", op, "alternative_attribution");
    copy_field(extra, "evidence_disclosure", op, "evidence_disclosure");
    return opinion_obj(c, id, stance_word(op, w, sizeof w), jstr(op, "explanation"), refs, extra,
                       op);
}

static int
map_retraction(stix_ctx *c, const json_t *rt)
{
    const char *target = jstr(rt, "target_ref");
    chain *ch = chain_of(c, target);
    char nid[ID_MAX], t[32];
    json_t *refs, *n, *v;
    int64_t eff;
    size_t i, count;
    int rc;

    if (ch == NULL) {
        c->unresolved++;
        return 0;
    }
    if (ts_parse(&eff, jstr(rt, "effective_at")) == 0)
        c->time_ms = eff;
    ts_format(t, c->time_ms);
    refs = json_array();
    /* A last version of every object the target produced, revoked. */
    count = json_array_size(ch->ids);
    for (i = 0; i < count; i++) {
        const char *id = json_string_value(json_array_get(ch->ids, i));
        json_t *prev = latest_obj(c, id), *copy;

        if (prev == NULL || json_is_true(json_object_get(prev, "revoked")))
            continue;
        if ((copy = json_deep_copy(prev)) == NULL || set_str(copy, "modified", t) < 0 ||
            json_object_set_new(copy, "revoked", json_true()) != 0) {
            json_decref(copy);
            json_decref(refs);
            return lg_error_nomem();
        }
        size_t save = c->cur;
        c->cur = (size_t)(ch - c->chains);
        rc = emit(c, copy);
        c->cur = save;
        if (rc < 0) {
            json_decref(refs);
            return rc;
        }
        json_array_append_new(refs, json_string(id));
    }
    if (json_array_size(refs) == 0) {
        json_decref(refs);
        return 0;
    }
    make_id(nid, c, "note", "retraction", c->chains[c->cur].root);
    n = obj_new(c, "note", nid, c->author_ref);
    if (n == NULL || set_str(n, "abstract", "retraction") < 0 ||
        set_str(n, "content", jstr(rt, "explanation") ? jstr(rt, "explanation") : "retracted") <
            0 ||
        json_object_set(n, "object_refs", refs) != 0) {
        json_decref(n);
        json_decref(refs);
        return lg_error_nomem();
    }
    json_decref(refs);
    v = json_object();
    copy_field(v, "retraction_kind", rt, "kind");
    copy_field(v, "retraction_reason", rt, "reason");
    copy_field(v, "replacement_record_id", rt, "replacement_ref");
    if ((rc = obj_tail(c, n, NULL, v)) < 0)
        return json_decref(n), rc;
    return emit(c, n);
}

/* ---- findings and their publication ---- */

typedef struct {
    uint8_t digest[32]; /* of the finding's record bytes */
    unsigned approvals;
    unsigned required;
    int64_t published_ms; /* time of the vote that completed the quorum */
    int published;
} finding_state;

static int
map_finding(stix_ctx *c, const json_t *f, const finding_state *fs)
{
    const char *root = c->chains[c->cur].root;
    char rid[ID_MAX], t[32];
    json_t *o, *refs = json_array(), *types, *extra;
    const json_t *v, *conc;
    size_t i;
    int rc;

    /* Body-authored relationships: each conclusion, from each incident. */
    json_array_foreach(json_object_get(f, "conclusions"), i, conc)
    {
        const json_t *inc;
        size_t k;
        json_array_foreach(json_object_get(f, "incident_refs"), k, inc)
        {
            char seed[700];
            const char *src = json_is_string(inc) ? ref(c, json_string_value(inc)) : NULL;
            snprintf(seed, sizeof seed, "%s\n%zu\n%s", root, i,
                     json_is_string(inc) ? json_string_value(inc) : "");
            if ((rc = relationship(c, "conclusion", seed, "attributed-to", src,
                                   ref(c, jstr(conc, "attributed_to")), jobj(conc, "confidence"),
                                   jstr(conc, "basis"), claim_extra(conc, jstr(c->hdr, "author")),
                                   NULL, 0)) < 0)
                goto done;
        }
    }
    json_array_foreach(json_object_get(f, "false_flag_findings"), i, v)
    {
        char seed[700];
        snprintf(seed, sizeof seed, "%s\n%zu", root, i);
        /* "X impersonates Y": the actor behind the artefacts is not known
         * here, so the finding's first conclusion is used when present. */
        const json_t *c0 = json_array_get(json_object_get(f, "conclusions"), 0);
        if ((rc = relationship(c, "finding-false-flag", seed, "impersonates",
                               c0 ? ref(c, jstr(c0, "attributed_to")) : NULL,
                               ref(c, jstr(v, "impersonated_actor")), NULL, jstr(v, "assessment"),
                               NULL, NULL, 0)) < 0)
            goto done;
    }
    /* The body's opinion on each assessed claim. */
    json_array_foreach(json_object_get(f, "claims_assessed"), i, v)
    {
        const char *a = jstr(v, "assessment"), *stance = NULL;
        char oid[ID_MAX], seed[700];
        json_t *orefs;

        if (a == NULL)
            continue;
        if (strcmp(a, "CLAIM_ASSESSMENT_CONSISTENT") == 0)
            stance = "agree";
        else if (strcmp(a, "CLAIM_ASSESSMENT_PARTIALLY_CONSISTENT") == 0 ||
                 strcmp(a, "CLAIM_ASSESSMENT_SUPERSEDED") == 0)
            stance = "neutral";
        else if (strcmp(a, "CLAIM_ASSESSMENT_INCONSISTENT") == 0)
            stance = "disagree";
        if (stance == NULL)
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", root,
                 jstr(v, "claim_ref") ? jstr(v, "claim_ref") : "");
        make_id(oid, c, "opinion", "finding-assessment", seed);
        orefs = json_array();
        if ((rc = add_all_ids(c, orefs, jstr(v, "claim_ref"))) < 0 ||
            (rc = opinion_obj(c, oid, stance, jstr(v, "note"), orefs,
                              json_pack("{s:s}", "claim_assessment", a), NULL)) < 0)
            goto done;
    }
    /* The report: incidents, conclusions, assessments. */
    json_array_foreach(json_object_get(f, "incident_refs"), i, v)
    {
        const char *r = json_is_string(v) ? ref(c, json_string_value(v)) : NULL;
        if (r != NULL)
            json_array_append_new(refs, json_string(r));
    }
    json_array_foreach(c->chains[c->cur].ids, i, v) json_array_append(refs, (json_t *)v);
    make_id(rid, c, "report", "finding", root);
    if (json_array_size(refs) == 0) {
        c->unresolved++;
        rc = 0;
        goto done;
    }
    ts_format(t, fs->published ? fs->published_ms : c->time_ms);
    types = jarr(f, "stix_report_types") ? json_deep_copy(json_object_get(f, "stix_report_types"))
                                         : json_pack("[s]", "threat-report");
    o = obj_new(c, "report", rid, c->author_ref);
    if (o == NULL || types == NULL) {
        json_decref(o);
        json_decref(types);
        rc = lg_error_nomem();
        goto done;
    }
    if (json_object_set_new(o, "report_types", types) != 0 ||
        set_str(o, "name",
                jstr(f, "title")         ? jstr(f, "title")
                : jstr(f, "case_number") ? jstr(f, "case_number")
                                         : root) < 0 ||
        set_str(o, "description", jstr(f, "question")) < 0 || set_str(o, "published", t) < 0 ||
        json_object_set(o, "object_refs", refs) != 0) {
        json_decref(o);
        rc = lg_error_nomem();
        goto done;
    }
    extra = json_object();
    copy_field(extra, "case_number", f, "case_number");
    copy_field(extra, "finding_outcome", f, "outcome");
    json_object_set_new(extra, "published", json_boolean(fs->published));
    json_object_set_new(extra, "approvals", json_integer(fs->approvals));
    copy_field(extra, "panel_members", f, "panel_members");
    copy_field(extra, "decision_rule", f, "decision_rule");
    copy_field(extra, "limitations", f, "limitations");
    copy_field(extra, "dissent", f, "dissent");
    copy_field(extra, "recusals", f, "recusals");
    if ((rc = obj_tail(c, o, NULL, extra)) < 0) {
        json_decref(o);
        goto done;
    }
    if (!fs->published) {
        json_t *l = json_object_get(o, "labels");
        if (l == NULL)
            json_object_set_new(o, "labels", l = json_array());
        json_array_append_new(l, json_string("draft"));
    }
    rc = emit(c, o);
done:
    json_decref(refs);
    return rc;
}

/* ---- the pass ---- */

typedef struct {
    stix_ctx *c;
    const lg_selection *sel;
    uint64_t size;
    lg_map findings; /* finding record id -> finding_state */
    int pass;        /* 0: count votes, 1: map */
    uint64_t mapped;
} pass_ctx;

static int
new_chain(stix_ctx *c, const char *root, lg_record_type type, size_t *out)
{
    chain *ch;

    if (c->n_chains == c->cap_chains) {
        size_t ncap = c->cap_chains ? c->cap_chains * 2 : 64;
        chain *nc = lg_realloc(c->chains, ncap * sizeof *nc);
        if (nc == NULL)
            return lg_error_nomem();
        c->chains = nc;
        c->cap_chains = ncap;
    }
    ch = &c->chains[c->n_chains];
    memset(ch, 0, sizeof *ch);
    ch->type = type;
    if ((ch->root = lg_strdup(root)) == NULL || (ch->ids = json_array()) == NULL) {
        lg_free(ch->root);
        json_decref(ch->ids);
        return lg_error_nomem();
    }
    *out = c->n_chains++;
    return 0;
}

static int
count_vote(pass_ctx *p, const json_t *vote, int64_t when)
{
    const char *fref = jstr(vote, "finding_ref"), *v = jstr(vote, "vote");
    const json_t *dg = jobj(vote, "finding_digest");
    const char *dv = dg ? jstr(dg, "value") : NULL;
    finding_state *fs;
    uint8_t d[33];
    size_t dl = 0;

    if (fref == NULL || v == NULL || dv == NULL || strcmp(v, "VOTE_APPROVE") != 0)
        return 0;
    fs = lg_map_get(&p->findings, fref, strlen(fref));
    if (fs == NULL || strlen(dv) != LG_B64_LEN(32) || lg_b64_decode(d, &dl, dv, strlen(dv)) != 0 ||
        dl != 32 || memcmp(d, fs->digest, 32) != 0)
        return 0; /* a vote on another version does not count */
    fs->approvals++;
    if (!fs->published && fs->required > 0 && fs->approvals >= fs->required) {
        fs->published = 1;
        fs->published_ms = when;
    }
    return 0;
}

static int
map_entry(void *pp, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    pass_ctx *p = pp;
    stix_ctx *c = p->c;
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *js = NULL;
    const char *sup, *rid, *author;
    lg_record_type type;
    uint64_t index;
    int64_t t;
    size_t cix;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index >= p->size)
        return 1;
    if (p->sel->v[index].mark == LG_SEL_NONE)
        return 0;
    if ((rc = lg_entry_decode(&e, leaf, len)) < 0 ||
        (rc = lg_record_decode(&r, e->record, e->record_len)) < 0 ||
        (rc = lg_record_to_json(&js, r)) < 0)
        goto done;
    type = lg_record_type_of(r);
    c->hdr = jobj(js, "header");
    c->rec = js;
    c->index = index;
    lg_merkle_leaf_hash(c->leaf_hash, leaf, len);
    c->time_ms = ts_parse(&t, jstr(c->hdr, "created")) == 0 ? t : (int64_t)e->integrated_time;
    c->mod_ms = c->time_ms;

    if (p->pass == 0) {
        /* Votes and the findings they approve (digest of the exact bytes). */
        if (type == LG_REC_FINDING) {
            finding_state fs;
            const json_t *dr = jobj(jobj(js, "finding"), "decision_rule");
            const json_t *req = dr ? json_object_get(dr, "approvals_required") : NULL;

            memset(&fs, 0, sizeof fs);
            lg_sha256(fs.digest, e->record, e->record_len);
            fs.required = json_is_integer(req) ? (unsigned)json_integer_value(req) : 0;
            rc = lg_map_put(&p->findings, lg_record_id(r), strlen(lg_record_id(r)), &fs);
        } else if (type == LG_REC_PANEL_VOTE) {
            rc = count_vote(p, jobj(js, "panel_vote"), c->time_ms);
        }
        goto done;
    }

    /* The chain this version belongs to, and the author's identity. */
    rid = lg_record_id(r);
    sup = lg_record_supersedes(r);
    author = lg_record_author(r);
    if (*sup != '\0' && chain_of(c, sup) != NULL) {
        cix = (size_t)(chain_of(c, sup) - c->chains);
    } else if ((rc = new_chain(c, rid, type, &cix)) < 0) {
        goto done;
    }
    if ((rc = name_put(c, rid, cix)) < 0)
        goto done;
    c->cur = cix;
    c->chains[cix].entry = index;
    {
        chain *ach = chain_of(c, author);
        c->author_ref = ach != NULL && ach->primary != NULL && have(c, ach->primary)
                            ? ach->primary
                            : (c->ledger_identity[0] ? c->ledger_identity : NULL);
    }
    switch (type) {
    case LG_REC_LEDGER_POLICY:
        rc = map_genesis(c, jobj(js, "ledger_policy"));
        /* Admins are named by participant id: point them at this chain's
         * identities (the log identity is the primary). */
        if (rc == 0) {
            const json_t *a;
            size_t i;
            json_array_foreach(json_object_get(jobj(js, "ledger_policy"), "admins"), i, a)
            {
                size_t ax;
                char id[ID_MAX];
                const char *pid = jstr(a, "participant_id");
                if (pid == NULL)
                    continue;
                make_id(id, c, "identity", "participant", pid);
                if ((rc = new_chain(c, pid, LG_REC_PARTICIPANT, &ax)) < 0 ||
                    (rc = chain_add_id(&c->chains[ax], id)) < 0 || (rc = name_put(c, pid, ax)) < 0)
                    break;
            }
        }
        break;
    case LG_REC_PARTICIPANT: {
        const json_t *pj = jobj(js, "participant");
        const char *ctry = jstr(pj, "country");
        if (ctry != NULL && strlen(ctry) == 2)
            memcpy(c->chains[cix].country, ctry, 3);
        rc = map_participant(c, pj);
        break;
    }
    case LG_REC_ACTOR: {
        const json_t *aj = jobj(js, "actor");
        const char *ctry = jstr(aj, "country");
        if (ctry != NULL && strlen(ctry) == 2)
            memcpy(c->chains[cix].country, ctry, 3);
        rc = map_actor(c, aj);
        break;
    }
    case LG_REC_INCIDENT_REPORT:
        rc = map_incident(c, jobj(js, "incident_report"));
        break;
    case LG_REC_EVIDENCE:
        rc = map_evidence(c, jobj(js, "evidence"));
        break;
    case LG_REC_ATTRIBUTION_CLAIM:
        rc = map_claim(c, jobj(js, "attribution_claim"));
        break;
    case LG_REC_OPINION:
        rc = map_opinion(c, jobj(js, "opinion"));
        break;
    case LG_REC_RETRACTION:
        rc = map_retraction(c, jobj(js, "retraction"));
        break;
    case LG_REC_FINDING: {
        finding_state *fs = lg_map_get(&p->findings, rid, strlen(rid));
        finding_state none;
        memset(&none, 0, sizeof none);
        rc = map_finding(c, jobj(js, "finding"), fs ? fs : &none);
        break;
    }
    case LG_REC_KEY_REVOCATION:
    case LG_REC_PANEL_VOTE: /* audit-trail only (domain-model 2.10) */
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    if (rc == 0)
        p->mapped++;
done:
    if (rc < 0 && rc != LEDGER_ENOMEM && rc != LEDGER_ECORRUPT)
        rc = lg_error_prefix(rc, "stix: entry %llu", (unsigned long long)index);
    c->hdr = NULL;
    c->rec = NULL;
    json_decref(js);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

static int
extension_definition(stix_ctx *c)
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s]}", "type", "extension-definition",
                  "spec_version", "2.1", "id", c->ext_id, "created_by_ref", c->ledger_identity,
                  "created", EXT_CREATED, "modified", EXT_CREATED, "name",
                  "Attribution Ledger record properties", "description",
                  "Ledger properties of exported objects: entry index, RFC 6962 leaf hash "
                  "and record id that prove the object's source, provenance, the "
                  "claimant's own confidence words and scale, attribution level, channel, "
                  "and finding publication state.",
                  "schema", "https://attrledger.example/docs/FORMATS.md#12-stix-21-export",
                  "version", "1.0.0", "extension_types", "property-extension");

    if (o == NULL)
        return lg_error_nomem();
    size_t save = c->cur;
    c->cur = (size_t)-1;
    int rc = emit(c, o);
    c->cur = save;
    return rc;
}

/* Every *_ref / *_refs value must name an object of the bundle. The
 * mapping above never makes one that does not; this is the guard. */
static int
check_refs(stix_ctx *c, const json_t *v, const char *key, int depth)
{
    size_t i, kl = key ? strlen(key) : 0;
    const char *k;
    json_t *x;
    int rc;

    if (depth > 8)
        return 0;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k,
                            x) if ((rc = check_refs(c, x, k, depth + 1)) < 0) return rc;
        return 0;
    }
    if (key == NULL)
        return 0;
    if (kl >= 5 && strcmp(key + kl - 5, "_refs") == 0 && json_is_array(v)) {
        json_array_foreach(
            v, i,
            x) if (!json_is_string(x) ||
                   !have(c,
                         json_string_value(
                             x))) return lg_error_set(LEDGER_ERROR,
                                                      "stix: %s names an object outside the bundle",
                                                      key);
    } else if (kl >= 4 && strcmp(key + kl - 4, "_ref") == 0 && json_is_string(v) &&
               strstr(json_string_value(v), "--") != NULL) {
        if (!have(c, json_string_value(v)))
            return lg_error_set(LEDGER_ERROR, "stix: %s names an object outside the bundle", key);
    }
    return 0;
}

int
ledger_export_stix(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                   ledger_write_fn w, void *payload)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    lg_selection sel;
    stix_ctx c;
    pass_ctx p;
    lg_txn *t = NULL;
    ledger_buf note = LEDGER_BUF_INIT, text = LEDGER_BUF_INIT;
    json_t *bundle = NULL, *v;
    lg_note *n = NULL;
    lg_checkpoint cp;
    lg_meta m;
    char bid[ID_MAX], seed[600];
    uint64_t since, until;
    size_t i;
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != LEDGER_EXPORT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "export: unknown options version %u", opts->version);
    memset(&c, 0, sizeof c);
    c.json_failures = lg_json_alloc_failures();
    memset(&p, 0, sizeof p);
    memset(&rep, 0, sizeof rep);
    lg_sel_init(&sel);
    lg_map_init(&c.latest, sizeof(size_t));
    lg_map_init(&c.names, sizeof(size_t));
    lg_map_init(&p.findings, sizeof(finding_state));
    snprintf(c.origin, sizeof c.origin, "%s", log->origin);
    if ((c.objects = json_array()) == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    make_id(c.ext_id, &c, "extension-definition", "extension", "attrledger/v1");

    /* The snapshot: the stored checkpoint the export describes. */
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0 || (rc = lg_meta_state(t, &m)) < 0)
        goto done;
    if (opts->tree_size != 0) {
        uint8_t k[8];
        lg_u64_be(k, opts->tree_size);
        rc = lg_store_get(t, LG_DB_CHECKPOINTS, k, 8, &note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                              (unsigned long long)opts->tree_size);
    } else {
        rc = lg_store_last(t, LG_DB_CHECKPOINTS, NULL, &note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
    }
    if (rc < 0 || (rc = lg_note_parse(&n, note.data, note.len)) < 0 ||
        (rc = lg_checkpoint_parse(&cp, n->buf, n->text_len)) < 0)
        goto done;
    if (cp.size == 0 || cp.size > m.size) {
        rc = lg_error_set(LEDGER_ECORRUPT, "stored checkpoint names size %llu",
                          (unsigned long long)cp.size);
        goto done;
    }
    since = opts->since;
    until = opts->until < cp.size - 1 ? opts->until : cp.size - 1;
    if (since > until) {
        rc = lg_error_set(LEDGER_EINVAL, "selection %llu..%llu is empty", (unsigned long long)since,
                          (unsigned long long)until);
        goto done;
    }
    if (opts->incident != NULL &&
        (opts->incident[0] == '\0' || strlen(opts->incident) > LEDGER_ID_MAX)) {
        rc = lg_error_set(LEDGER_EINVAL, "incident key must be 1-%d bytes", LEDGER_ID_MAX);
        goto done;
    }

    /* Which entries: the trail's selection (with references). */
    p.size = cp.size;
    p.sel = &sel;
    p.c = &c;
    if ((rc = lg_export_index(&sel, t, cp.size)) < 0 ||
        (rc = lg_sel_compute(&sel, since, until, opts->incident)) < 0)
        goto done;
    for (i = 0; i < sel.n; i++) {
        if (sel.v[i].mark == LG_SEL_SELECTED)
            rep.selected++;
        else if (sel.v[i].mark != LG_SEL_NONE)
            rep.context++;
    }
    if (rep.selected == 0 && opts->incident != NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no entry touches incident %s", opts->incident);
        goto done;
    }
    for (p.pass = 0; p.pass < 2; p.pass++)
        if ((rc = lg_store_scan(t, LG_DB_ENTRIES, NULL, 0, 0, map_entry, &p)) < 0)
            goto done;
    if (c.ledger_identity[0] == '\0') {
        rc = lg_error_set(LEDGER_ECORRUPT, "stix: genesis entry is missing");
        goto done;
    }
    /* Also any jansson allocation that failed unnoticed (json_pack() of an
     * extension's extra fields, ...). */
    if (c.nomem || lg_json_alloc_failures() != c.json_failures) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = extension_definition(&c)) < 0)
        goto done;
    json_array_foreach(c.objects, i, v) if ((rc = check_refs(&c, v, NULL, 0)) < 0) goto done;

    snprintf(seed, sizeof seed, "%llu\n%llu\n%llu\n%s", (unsigned long long)cp.size,
             (unsigned long long)since, (unsigned long long)until,
             opts->incident ? opts->incident : "");
    make_id(bid, &c, "bundle", "bundle", seed);
    bundle = json_pack("{s:s,s:s,s:O}", "type", "bundle", "id", bid, "objects", c.objects);
    if (bundle == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = lg_json_dump(&text, bundle, 1)) < 0)
        goto done;
    text.data[text.len] = '\n';
    rc = w(payload, text.data, text.len + 1);
    if (rc > 0)
        rc = lg_error_set(LEDGER_EIO, "output writer returned %d", rc);
    if (rc < 0)
        goto done;
    rep.tree_size = cp.size;
    rep.objects = json_array_size(c.objects);
    if (out != NULL)
        *out = rep;
done:
    ledger_buf_dispose(&text);
    json_decref(bundle);
    for (i = 0; i < c.n_chains; i++) {
        lg_free(c.chains[i].root);
        json_decref(c.chains[i].ids);
    }
    lg_free(c.chains);
    json_decref(c.objects);
    lg_map_free(&c.latest);
    lg_map_free(&c.names);
    lg_map_free(&p.findings);
    lg_sel_free(&sel);
    lg_note_free(n);
    ledger_buf_dispose(&note);
    lg_txn_abort(t);
    return rc;
}
