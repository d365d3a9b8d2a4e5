/*
 * views_int.h (internal to the views: views.c, view_ctx.c, tally.c,
 * view_incident.c, view_actor.c, view_participant.c, view_stats.c) - the
 * read snapshot a view is built in, the entry and record helpers every
 * builder shares, and the builders themselves. Nothing else includes this
 * file.
 *
 * Every function that can fail returns 0 or a negative ledger_err with the
 * message set. Functions that take a json_t value "stolen" own it from the
 * call on, whatever they return; JSON objects passed back in *out belong to
 * the caller even when the call fails part way.
 */
#ifndef LG_VIEWS_INT_H
#define LG_VIEWS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/ledger.h"
#include "codec/codec.h"
#include "core/stored_entry.h"
#include "rules/policy.h"
#include "store/store.h"

/* One view's read transaction and the policy state over it. */
typedef struct {
    ledger_log *log;
    lg_txn *t;
    lg_policy_state st;
    uint64_t size;
    /* Built for the text form: items also carry what only the text prints
     * (their records' "created" dates, claims against related actors, the
     * lists of names behind a miss), so that --json stays as it was. */
    int text;
} vctx;

/* One entry, decoded. */
typedef struct {
    uint64_t index;
    uint64_t time;
    lg_record *rec;
    json_t *json; /* full record: {"header": ..., "<type>": ...} */
    lg_record_type type;
} ventry;

/* Entries that reference `target`, in entry order. */
typedef struct {
    uint64_t *v;
    size_t n, cap;
} idx_list;

/* ---- entries and records (view_ctx.c) ---- */

/* Release what lg_view_load filled in and zero *e. */
void lg_view_entry_free(ventry *e);
/* Decode entry `index` into *out; a missing entry is LEDGER_ECORRUPT. */
int lg_view_load(vctx *c, uint64_t index, ventry *out);
/* The record's type-specific body: e->json["<type name>"]. */
json_t *lg_view_body(const ventry *e);
/* obj[key] as a string, "" when absent. */
const char *lg_view_jstr(const json_t *obj, const char *key);
/*
 * After lg_view_load(c, index, ...) failed with LEDGER_ECORRUPT (a damaged
 * entry): describe the entry from its index rows (lg_damage_describe) and
 * ask needs() whether the view needs it. 0 when it does not (the view
 * passes over it; index is added to *passed if not NULL); otherwise the
 * load's error again, "entry N: ...". A view that cannot read what it needs
 * fails; one that can do without an entry does not (SECURITY.md).
 */
int lg_view_pass_damaged(vctx *c, uint64_t index, int (*needs)(const lg_damage *d),
                         idx_list *passed);
/* The records-table row of record id `rid`; LEDGER_ENOTFOUND if none. */
int lg_view_row(vctx *c, const char *rid, lg_record_row *out);
/* "ACTIVE", "SUPERSEDED" or "RETRACTED". */
const char *lg_view_status(const lg_record_row *r);
/* obj[key] = val (stolen); a NULL val is LEDGER_ENOMEM. */
int lg_view_set(json_t *obj, const char *key, json_t *val);
/* obj[key] = a deep copy of val; nothing when val is NULL. */
int lg_view_set_copy(json_t *obj, const char *key, json_t *val);
/* A new item object with index, time, record_id, author and status (and,
 * for the text form, the header's "created"). */
int lg_view_item_base(json_t **out, vctx *c, const ventry *e);
/* Append x to l unless it is already there. */
int lg_view_idx_push(idx_list *l, uint64_t x);
/* Add the entries that reference entry `target` to *out. */
int lg_view_refs_of(vctx *c, uint64_t target, idx_list *out);
/* Sort l into entry order. */
void lg_view_sort_idx(idx_list *l);
/* Step *r to the next version of its chain (id into id_out if not NULL):
 * 1 when there is one, 0 at the latest version, or a code. */
int lg_view_next_version(vctx *c, lg_record_row *r, char *id_out, size_t cap);
/* The latest version's row of the chain through `rid`. */
int lg_view_latest_row(vctx *c, const char *rid, lg_record_row *out);
/* The first version's row and record id of the chain through `rid`. */
int lg_view_chain_root(vctx *c, const char *rid, lg_record_row *root, char *root_id, size_t cap);
/* The name the body's curations of key `key` give it after entry `latest`
 * (the owner's latest version) into `out`: 1 when there is one, 0 when the
 * owner's own name stands, or a negative code. */
/* The members of arr (view items) in time order: by date (claimed_at,
 * else created, to the second), then entry index. Borrowed references in a
 * new array (lg_free it); NULL with *n 0 for an empty array, and on out of
 * memory, which also sets *oom. The text forms list items this way. */
const json_t **lg_view_time_order(const json_t *arr, size_t *n, int *oom);

int lg_view_curated_name(vctx *c, const char *key, uint64_t latest, char *out, size_t cap);
/* o[key] = rid and o[key_name] = the name of its latest record (as curated), if any. */
int lg_view_set_named(vctx *c, json_t *o, const char *key, const char *rid);

/* ---- owners of actor and incident keys (view_keys.c) ---- */

/* If the latest version of record `rid` (an actor or incident report, type
 * t) carries the key of another record of type t, it is its author's
 * report about that record's actor or incident: replace rid with the key,
 * the owning record. Otherwise leave rid as it is. */
int lg_view_key_owner(vctx *c, lg_record_type t, char *rid, size_t cap);
/* Other members' reports about the actor or incident owned by record
 * `key`: latest versions of records of type t carrying that key whose
 * chain does not start at `key`, in record_id order (a new array). */
int lg_view_key_reports(json_t **out, vctx *c, lg_record_type t, const char *key);

/* ---- lookup by name, and "did you mean" (view_lookup.c) ---- */

/* hay is needle (case folded), or starts with needle and a space:
 * "lazarus" names "Lazarus Group". */
int lg_view_name_matches(const char *hay, const char *needle);

#define LG_SUGGEST_MAX 3
/* The best few known names for a query that matched nothing. */
typedef struct {
    char name[LG_SUGGEST_MAX][128];
    size_t score[LG_SUGGEST_MAX];
    size_t n;
    char text[3 * 130 + 32];
} lg_view_suggest;

/* Rank `name` (a known name or id) against `query`; kept if close enough. */
void lg_view_suggest_add(lg_view_suggest *s, const char *query, const char *name);
/* "; did you mean: A, B?" or "" when nothing was close (in s->text). */
const char *lg_view_suggest_text(lg_view_suggest *s);
/* The subject named `name` (a name or alias; an actor also by actor_id)
 * among the latest records of `type` (LG_REC_ACTOR, LG_REC_INCIDENT_REPORT)
 * or among participants (LG_REC_PARTICIPANT): the first version's
 * record_id of its owning record, or the participant_id, into out.
 * LEDGER_ENOTFOUND with suggestions when nothing matches, or naming both
 * when two subjects answer to the name. */
int lg_view_find_named(vctx *c, lg_record_type type, const char *name, char *out, size_t cap);

/* The body's curations of the key owned by record `key` (its introducing
 * record): o["curations"] (oldest first), o["owner"] (the key's owner now),
 * o["curated"] (the latest curation, when there is one); a curation's name
 * or description replaces the one in `shown` (the actor or incident object)
 * when it comes after entry `latest`, the owner's latest version. */
int lg_view_key_curations(vctx *c, json_t *o, json_t *shown, const char *key, uint64_t latest);

/* ---- findings (tally.c) ---- */

/* A finding item with its votes, tally and published state. */
int lg_view_finding_item(json_t **out, vctx *c, const ventry *e);

/* ---- the builders, one per view (view_<name>.c) ---- */

/* The incident view of `key` (a record_id or incident_key, or a name or
 * alias). */
int lg_view_incident_json(json_t **out, vctx *c, const char *key);
/* The actor view of `id` (record_id, actor_id, name or alias). */
int lg_view_actor_json(json_t **out, vctx *c, const char *id);
/* The participant view of participant `id` (or its name). */
int lg_view_participant_json(json_t **out, vctx *c, const char *id);
/* The ledger statistics view. */
int lg_view_stats_json(json_t **out, vctx *c);
/* The norms register views (view_norms.c). */
int lg_view_norms_json(json_t **out, vctx *c);
int lg_view_norm_json(json_t **out, vctx *c, const char *id);
int lg_view_state_json(json_t **out, vctx *c, const char *id);

#endif
