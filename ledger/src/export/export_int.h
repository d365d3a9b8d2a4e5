/*
 * export_int.h (internal) - shared by the exports (export.c, stix.c,
 * graph.c): the selection of a snapshot.
 */
#ifndef LG_EXPORT_INT_H
#define LG_EXPORT_INT_H

#include <stdint.h>

#include "attrledger/ledger.h"
#include "base/progress.h"
#include "codec/codec.h"
#include "export/select.h"
#include "store/store.h"

/*
 * Mark entries 0 .. size-1 of transaction t (select.h): SELECTED in
 * [since, until] (touching `incident` if not NULL), REGISTRY, CONTEXT.
 * Entries are decoded one at a time; sel keeps one byte per entry. The
 * forward pass reports to prog (may be NULL) and moves it to its next pass.
 *
 * An entry that does not decode is passed over unless the selection
 * marks it (select.h: damaged entries): then LEDGER_ECORRUPT "the export
 * needs damaged entry N (why): entry N: ...". Later passes decode marked
 * entries only, so no export fails on an entry it does not contain.
 *
 * @return 0, LEDGER_ECORRUPT (a missing entry, or a marked damaged one),
 *         LEDGER_EIO, LEDGER_ENOMEM.
 */
int lg_export_select(lg_selection *sel, lg_txn *t, uint64_t size, uint64_t since, uint64_t until,
                     const char *incident, lg_progress *prog);

/*
 * A damaged entry as its index rows describe it (damage.c): its record_id
 * and type from its records row ("" and LG_REC_NONE if it has none), and
 * its targets: the entries its refs rows point to and those whose records
 * row says it superseded or retracted them.
 */
typedef struct {
    uint64_t index;
    lg_record_type type;
    char record_id[LEDGER_ID_MAX + 1];
    uint64_t *targets;
    size_t n_targets, cap;
} lg_damage;

/* Fill d for entry `index` (d zeroed or filled before; reuses its space).
 * @return 0, LEDGER_ECORRUPT, LEDGER_EIO, LEDGER_ENOMEM. */
int lg_damage_describe(lg_damage *d, lg_txn *t, uint64_t index);
void lg_damage_free(lg_damage *d);

/* Start reporting an export of `passes` passes over `size` entries, the
 * first of them the selection; lg_export_select() reports it. */
void lg_export_progress(lg_progress *prog, uint64_t size, unsigned passes);

#endif
