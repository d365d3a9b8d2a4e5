/*
 * stix_int.h (internal to the STIX export: stix.c, stix_obj.c,
 * stix_sco.c, stix_actors.c, stix_incident.c, stix_evidence.c,
 * stix_claims.c) - the export state, the object helpers and the
 * per-record mappers. Nothing else includes this file.
 *
 * Every helper that can fail returns 0 or a negative ledger_err (in
 * practice LEDGER_ENOMEM) with the message set; a helper that returns a
 * pointer returns NULL for "nothing to add" and sets c->nomem when the
 * reason was a failed allocation. Functions that take a json_t described
 * as "stolen" own it from the call on, whatever they return.
 */
#ifndef LG_STIX_INT_H
#define LG_STIX_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/common.h"
#include "base/error.h"
#include "base/map.h"
#include "base/uuid.h"
#include "codec/codec.h"

#define LG_STIX_INCIDENT_CORE "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
/* Our own extension and the project identity that defines it: fixed ids,
 * the same in every deployment (UUIDv5 under the project namespace of
 * "extension-definition\nattrledger/v1" and "identity\nattrledger project"),
 * so every ledger's bundle names one and the same extension. */
#define LG_STIX_EXTENSION "extension-definition--85f06dbd-0fc4-5857-a7ba-b4ff7bc8326c"
#define LG_STIX_PROJECT "identity--140b276e-8c4e-536e-8b14-a6d785b14ef8"
#define ID_MAX (32 + LG_UUID_STR)

/* ---- small JSON helpers ---- */

/* obj[key] when it is a non-empty string, else NULL. */
static inline const char *
jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static inline const json_t *
jobj(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_object(v) ? v : NULL;
}

/* obj[key] when it is a non-empty array, else NULL. */
static inline const json_t *
jarr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_array(v) && json_array_size(v) > 0 ? v : NULL;
}

/* Set dkey to a copy of src[skey] when present. */
static inline int
copy_field(json_t *dst, const char *dkey, const json_t *src, const char *skey)
{
    json_t *v = json_object_get(src, skey);

    if (v == NULL)
        return 0;
    return json_object_set(dst, dkey, v) == 0 ? 0 : lg_error_nomem();
}

/* Set key to the string v; nothing when v is NULL. */
static inline int
set_str(json_t *o, const char *key, const char *v)
{
    if (v == NULL)
        return 0;
    return json_object_set_new(o, key, json_string(v)) == 0 ? 0 : lg_error_nomem();
}

static inline int
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

typedef struct {
    uint8_t digest[32]; /* of the finding's record bytes */
    unsigned approvals;
    unsigned required;
    int64_t published_ms; /* time of the vote that completed the quorum */
    int published;
} finding_state;

/* ---- stix_obj.c: times, names, ids ---- */

/* "YYYY-MM-DDTHH:MM:SS[.f+]Z" (what lg_record_to_json writes) -> ms; 0 or -1. */
int lg_stix_ts_parse(int64_t *ms, const char *s);
/* ms -> "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void lg_stix_ts_format(char out[32], int64_t ms);
/* Enum name without its prefix, lowercased, '_' -> '-': "OPINION_AGREE" ->
 * "agree" with prefix "OPINION_". NULL for UNSPECIFIED or a mismatch. */
const char *lg_stix_enum_word(char *buf, size_t cap, const char *v, const char *prefix);
/* <type>--UUIDv5(project namespace, origin "\n" type "\n" kind "\n" seed):
 * the type is part of the name, so objects of different types never
 * share a UUID even when they come from the same record. */
void lg_stix_make_id(char out[ID_MAX], const stix_ctx *c, const char *type, const char *kind,
                     const char *seed);
int lg_stix_name_put(stix_ctx *c, const char *name, size_t chain_ix);
chain *lg_stix_chain_of(stix_ctx *c, const char *name);
int lg_stix_chain_add_id(chain *ch, const char *id);
/* Is this STIX id an object of the bundle? */
int lg_stix_have(const stix_ctx *c, const char *id);
/* The primary STIX id of whatever a record/actor/incident/participant id
 * names, or NULL (then the reference is dropped and counted). */
const char *lg_stix_ref(stix_ctx *c, const char *name);
json_t *lg_stix_latest_obj(stix_ctx *c, const char *id);

/* ---- stix_obj.c: objects ---- */

/* The TLP marking of the current record (adding its definition to the
 * bundle the first time): *out is its id, or NULL for none. */
int lg_stix_marking(stix_ctx *c, const char **out);
/* type, spec_version, id, created_by_ref, created, modified; NULL on ENOMEM. */
json_t *lg_stix_obj_new(stix_ctx *c, const char *type, const char *id, const char *created_by);
/* labels, lang, external_references (from body), object_marking_refs, our
 * extension with `extra` (stolen). */
int lg_stix_obj_tail(stix_ctx *c, json_t *o, const json_t *body, json_t *extra);
/* Append obj (stolen) as the next object or the next version of its id. */
int lg_stix_emit(stix_ctx *c, json_t *obj);
/* The shared location object of a country (ISO 3166-1 alpha-2), or NULL. */
const char *lg_stix_location(stix_ctx *c, const char *country, char id[ID_MAX]);
/* A relationship from src to dst (nothing when either is NULL); `extra`
 * is stolen. */
int lg_stix_relationship(stix_ctx *c, const char *kind, const char *seed, const char *rtype,
                         const char *src, const char *dst, const json_t *conf,
                         const char *description, json_t *extra, const json_t *body,
                         int label_hypothesis);

/* ---- stix_sco.c: cyber-observables (deterministic ids, STIX 2.1 section 2.9) ---- */

/* The id of the SCO whose ID Contributing Properties are {key: value}
 * (sub NULL) or {key: {sub: value}}; 0 or LEDGER_ENOMEM. */
int lg_stix_sco_id(char out[ID_MAX], const char *type, const char *key, const char *sub,
                   const char *value);
/* Add that SCO (once; the current record's TLP marking) with the further
 * properties `more` (stolen, may be NULL); its id in `id`. */
int lg_stix_sco(stix_ctx *c, char id[ID_MAX], const char *type, const char *key, const char *sub,
                const char *value, json_t *more);
/* A `file` with one hash (hex: MD5, SHA-1, SHA-256 or SHA-512 by length,
 * lowercased): 1 and its id, 0 when hexv is not such a digest, or < 0. */
int lg_stix_file_sco(stix_ctx *c, char id[ID_MAX], const char *hexv);
/* An evidence observable {type, value} as an SCO: 1 and its id; 0 when it
 * has no STIX 2.1 SCO type (btc-address, unknown types) or its value is
 * defanged or not what the type says; or < 0. */
int lg_stix_observable(stix_ctx *c, char id[ID_MAX], const char *type, const char *value);
/* Is s a URL an SCO may carry (what lg_stix_observable maps to `url`)? */
int lg_stix_url_ok(const char *s);

/* ---- the mappers, one per record type ---- */

int lg_stix_map_genesis(stix_ctx *c, const json_t *pol);
int lg_stix_map_participant(stix_ctx *c, const json_t *p);
int lg_stix_map_actor(stix_ctx *c, const json_t *a);
int lg_stix_map_incident(stix_ctx *c, const json_t *r);
int lg_stix_map_evidence(stix_ctx *c, const json_t *ev);
int lg_stix_map_claim(stix_ctx *c, const json_t *cl);
int lg_stix_map_opinion(stix_ctx *c, const json_t *op);
int lg_stix_map_retraction(stix_ctx *c, const json_t *rt);
int lg_stix_map_curation(stix_ctx *c, const json_t *cu);
int lg_stix_map_finding(stix_ctx *c, const json_t *f, const finding_state *fs);

#endif
