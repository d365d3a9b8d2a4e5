/*
 * export_int.h (internal) - shared by the exports (export.c, stix.c,
 * graph.c): the selection index of a snapshot.
 */
#ifndef LG_EXPORT_INT_H
#define LG_EXPORT_INT_H

#include <stdint.h>

#include "select.h"
#include "store.h"

/*
 * Decode entries 0 .. size-1 of transaction t into `sel` (ids and
 * references, select.h), in index order.
 *
 * @return 0, LEDGER_ECORRUPT (a missing or undecodable entry), LEDGER_EIO,
 *         LEDGER_ENOMEM.
 */
int lg_export_index(lg_selection *sel, lg_txn *t, uint64_t size);

#endif
