/*
 * export_int.h (internal) - shared by the exports (export.c, stix.c,
 * graph.c): the selection of a snapshot.
 */
#ifndef LG_EXPORT_INT_H
#define LG_EXPORT_INT_H

#include <stdint.h>

#include "base/progress.h"
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

/* Start reporting an export of `passes` passes over `size` entries, the
 * first of them the selection; lg_export_select() reports it. */
void lg_export_progress(lg_progress *prog, uint64_t size, unsigned passes);

#endif
