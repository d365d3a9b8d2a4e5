/*
 * select.h (internal) - which entries an export contains, and why.
 *
 * An export (audit trail, STIX bundle) covers a selection of entries:
 * an index range [since, until] and, optionally, one incident. It also
 * carries the entries a reader needs to make sense of the selection:
 *
 *   SELECTED  in the range and, with an incident, touching it: the incident
 *             report (incident_key or record_id equal to KEY) and its
 *             revisions; evidence, claims and findings whose incident_refs
 *             name it; opinions and retractions targeting a selected
 *             record; panel votes on a selected finding; any record that
 *             supersedes a selected one;
 *   REGISTRY  genesis, participant registrations and key revocations, which
 *             are needed to check every signature (always included, even
 *             outside the range);
 *   CONTEXT   records a selected (or context) record references: actors
 *             and their parents, evidence, claims under an opinion, ...
 *
 * The same code runs on the exporting side (over the whole ledger) and on
 * the auditing side (over the trail's entries), so an audit can check that
 * every entry in a trail is there for one of these reasons. References
 * always point backwards (to earlier entries), so selection is one forward
 * pass and context one backward pass. Ids are matched against record_id and
 * the body's own id (actor_id, incident_key, participant_id).
 *
 * Entries come from a source (lg_sel_source) that visits them one at a
 * time, forwards and backwards, as transient views: the export side decodes
 * them from the store as it goes, the audit side keeps the trail's few
 * entries in an lg_sel_list.
 *
 * Method. A forward pass marks SELECTED and REGISTRY. With an incident it
 * keeps the ids of the selected entries (touches() needs them). In a plain
 * range, every entry of [since, until] is selected, so context can only lie
 * before `since`: the pass keeps the references of selected entries that
 * the source resolves to an entry before `since` (or cannot resolve). Then,
 * only if some unmarked entry lies below a selected one (and, in a range,
 * some reference was kept), a backward pass from the last selected entry
 * (range: from the one before `since`) marks CONTEXT: an unmarked entry
 * whose record_id or alias is needed; selected (incident) and context
 * entries add their references as the pass goes by. It stops below the
 * lowest unmarked entry. A whole-ledger selection (since 0, no incident)
 * makes no backward pass and asks resolve nothing.
 *
 * The range shortcut relies on record_ids being unique (the records table
 * refuses a second row) and on references naming record_ids (policy.c),
 * and on one thing nothing checks: that no entry before `since` has, as its
 * actor_id or incident_key, the record_id of an entry at or after `since`.
 * When a selected entry names that record_id, the plain rule (a source
 * without resolve, as the audit's) makes such an entry context too; the
 * shortcut leaves it out. The audit applies the plain rule to the entries
 * a trail holds only, so it accepts either trail (not tested).
 *
 * Damaged entries (export side only; see SECURITY.md). An entry whose
 * stored bytes do not decode is visited as a damaged view (above). The
 * rules treat what they cannot read as a match, so a damaged entry is
 * marked whenever it might be needed, never left out when it is:
 *   SELECTED  in the range, and with an incident: of unknown type, an
 *             incident report (its key is unreadable), or one of its
 *             targets is selected or is an incident report of KEY;
 *   REGISTRY  of unknown or registry type, wherever it lies;
 *   CONTEXT   its record_id is needed, or (key unreadable) it is of unknown
 *             type or a type with a key (actor, incident report,
 *             instrument, norm) and any id is needed.
 * The export then fails on the first marked damaged entry, naming it
 * (lg_export_select); an unmarked one is passed over.
 *
 * Memory: one mark byte per entry, the selected ids (incident) and the
 * needed references (those of selected entries, within a range only those
 * pointing before it; and those of context entries). Nothing per entry
 * outside the selection; nothing at all beyond the marks for a whole
 * ledger.
 */
#ifndef LG_SELECT_H
#define LG_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/map.h"
#include "codec/codec.h"

#define LG_SEL_NONE 0
#define LG_SEL_SELECTED 1
#define LG_SEL_REGISTRY 2
#define LG_SEL_CONTEXT 3

/* One entry as the selection sees it. Every pointer is borrowed and valid
 * only during the visit that passes the view. */
typedef struct {
    uint64_t index;
    lg_record_type type;
    const char *record_id;
    const char *alias;       /* actor_id / incident_key / participant_id, or NULL */
    const char *supersedes;  /* "" when none */
    const char *const *refs; /* ids this record references */
    size_t n_refs;
    size_t n_primary; /* the first n_primary refs say what the record is about:
                       * incident_refs, opinion/retraction targets, the finding
                       * a vote is on */
    /* A damaged entry (its stored bytes do not decode): only what the index
     * rows that submit wrote still say about it. type and record_id come
     * from its records row (LG_REC_NONE and "" when there is none); refs,
     * alias and supersedes are empty; targets are the entries it
     * references, supersedes or retracts (refs and records rows). */
    int damaged;
    const uint64_t *targets;
    size_t n_targets;
} lg_sel_view;

/* Called once per entry: 0 to go on, 1 to stop, or a negative code that
 * the source returns. */
typedef int (*lg_sel_visit_fn)(void *arg, const lg_sel_view *e);

/*
 * Where a selection reads its entries: n entries in increasing index
 * order, numbered by position 0 .. n-1 (the mark array follows positions).
 *
 *   forward   visit positions 0 .. n-1 in order;
 *   backward  visit positions from, from-1, ..., 0 in order, until fn
 *             returns 1;
 *   resolve   optional (NULL: never asked): the index of the entry whose
 *             record_id is id; 0, LEDGER_ENOTFOUND (unknown id, no
 *             message), or another negative code that is returned.
 *
 * forward and backward return 0 or a negative code (fn's, or their own).
 */
typedef struct {
    size_t n;
    int (*forward)(void *payload, lg_sel_visit_fn fn, void *arg);
    int (*backward)(void *payload, size_t from, lg_sel_visit_fn fn, void *arg);
    int (*resolve)(void *payload, const char *id, uint64_t *index_out);
    void *payload;
} lg_sel_source;

/* The result: LG_SEL_* of each entry, by source position. */
typedef struct {
    uint8_t *mark;
    size_t n;
} lg_selection;

void lg_sel_init(lg_selection *s);
void lg_sel_free(lg_selection *s);

/*
 * Mark every entry of src: SELECTED (index in [since, until] and, when
 * incident is not NULL, touching it), REGISTRY, CONTEXT, or NONE. Replaces
 * any earlier result in s.
 *
 * @return 0, LEDGER_ENOMEM, LEDGER_EINVAL (src visits a wrong number of
 *         entries), or a code returned by the source.
 */
int lg_sel_compute(lg_selection *s, const lg_sel_source *src, uint64_t since, uint64_t until,
                   const char *incident);

/* Scratch space for the references of one view, reused across entries. */
typedef struct {
    const char **v;
    size_t cap;
} lg_sel_refbuf;

void lg_sel_refbuf_free(lg_sel_refbuf *b);

/*
 * Fill a view of the entry at `index` from its decoded record and the
 * record's proto3 JSON form. The view borrows from r, rec_json and b.
 *
 * @return 0, LEDGER_ENOMEM.
 */
int lg_sel_view_fill(lg_sel_view *v, lg_sel_refbuf *b, uint64_t index, const lg_record *r,
                     const json_t *rec_json);

/* An array of owned copies of views: the source of an audit, which holds
 * the trail's entries anyway. */
typedef struct {
    uint64_t index;
    lg_record_type type;
    char *record_id;
    char *alias;
    char *supersedes;
    char **refs;
    size_t n_refs, n_primary;
} lg_sel_entry;

typedef struct {
    lg_sel_entry *v;
    size_t n, cap;
    lg_sel_refbuf scratch;
} lg_sel_list;

void lg_sel_list_init(lg_sel_list *l);
void lg_sel_list_free(lg_sel_list *l);

/*
 * Append the entry at `index` (must be larger than every index added
 * before) with its decoded record and the record's proto3 JSON form.
 *
 * @return 0, LEDGER_EINVAL (index order), LEDGER_ENOMEM.
 */
int lg_sel_list_add(lg_sel_list *l, uint64_t index, const lg_record *r, const json_t *rec_json);

/* A source over l (no resolve), valid while l is unchanged. */
void lg_sel_list_source(lg_sel_source *out, lg_sel_list *l);

/*
 * Call fn for every id referenced by a record's JSON form (record_ids,
 * actor ids, incident keys, participant ids; including header.supersedes).
 * Primary references come first; *n_primary_out (optional) counts them.
 * fn returns 0 to go on or a negative code that is returned.
 */
typedef int (*lg_ref_fn)(void *payload, const char *id);
int lg_record_json_refs(const json_t *rec_json, lg_record_type type, lg_ref_fn fn, void *payload,
                        size_t *n_primary_out);

#endif
