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
 * Memory: O(entries + references); ids are copied.
 */
#ifndef LG_SELECT_H
#define LG_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "codec.h"
#include "map.h"

#define LG_SEL_NONE 0
#define LG_SEL_SELECTED 1
#define LG_SEL_REGISTRY 2
#define LG_SEL_CONTEXT 3

typedef struct {
    uint64_t index;
    lg_record_type type;
    char *record_id;
    char *alias; /* actor_id / incident_key / participant_id, or NULL */
    char *supersedes;
    size_t n_refs;
    char **refs;      /* ids this record references */
    size_t n_primary; /* the first n_primary refs say what the record is about:
                       * incident_refs, opinion/retraction targets, the finding
                       * a vote is on */
    int mark;         /* LG_SEL_* after lg_sel_compute */
} lg_sel_entry;

typedef struct {
    lg_sel_entry *v;
    size_t n, cap;
} lg_selection;

void lg_sel_init(lg_selection *s);
void lg_sel_free(lg_selection *s);

/*
 * Add the entry at `index` (must be larger than every index added before)
 * with its decoded record and the record's proto3 JSON form.
 *
 * @return 0, LEDGER_EINVAL (index order), LEDGER_ENOMEM.
 */
int lg_sel_add(lg_selection *s, uint64_t index, const lg_record *r, const json_t *rec_json);

/*
 * Mark every entry: SELECTED (index in [since, until] and, when incident
 * is not NULL, touching it), REGISTRY, CONTEXT, or NONE.
 *
 * @return 0, LEDGER_ENOMEM.
 */
int lg_sel_compute(lg_selection *s, uint64_t since, uint64_t until, const char *incident);

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
