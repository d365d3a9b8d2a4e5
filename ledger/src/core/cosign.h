/*
 * cosign.h (internal) - the stored witness cosignatures of a checkpoint,
 * for readers inside a transaction (cosign.c).
 */
#ifndef LG_CORE_COSIGN_H
#define LG_CORE_COSIGN_H

#include <stdint.h>

#include "attrledger/buf.h"
#include "store/store.h"

/*
 * The checkpoint note the ledger signed at *size (0: the latest, and *size
 * is set to its size) followed by the cosignature lines stored for it by
 * `cosign add` (none: the note unchanged), read inside transaction t.
 *
 * @return 0, LEDGER_ENOTFOUND (no checkpoint at that size), LEDGER_ECORRUPT
 *         (a damaged row), LEDGER_ENOMEM, LEDGER_EIO.
 */
int lg_cosign_note(lg_txn *t, uint64_t *size, ledger_buf *out);

#endif
