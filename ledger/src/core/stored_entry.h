/*
 * stored_entry.h (internal) - one loader from a stored entry to its decoded
 * form (leaf, record, and the record's JSON), for every reader of the
 * store: rules lookups (ledger_rows.c), views (view_ctx.c), exports
 * (export.c, graph.c, stix.c).
 *
 * The store is ours, so a leaf that does not decode, or a record that does
 * not, is damage: LEDGER_ECORRUPT "entry N: <what the decoder said>", the
 * same for every reader. LEDGER_ENOMEM (a real or injected allocation
 * failure) and LEDGER_EIO pass through unchanged.
 */
#ifndef LG_STORED_ENTRY_H
#define LG_STORED_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "codec/codec.h"
#include "store/store.h"

/*
 * Decode the leaf bytes of entry `index` (read from the store by the
 * caller, e.g. during a scan) into the leaf (*e_out, optional: NULL to
 * drop it), the record (*rec_out) and, if json_out is not NULL, the
 * record's JSON (lg_record_to_json). The caller frees them with
 * lg_entry_free, lg_record_free, json_decref. On error all are NULL.
 * @return 0, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
int lg_stored_entry_decode(lg_entry **e_out, lg_record **rec_out, json_t **json_out, uint64_t index,
                           const uint8_t *leaf, size_t len);

/*
 * Read entry `index` in transaction t and decode it as above; a missing
 * entry is LEDGER_ECORRUPT "entry N is missing" (callers ask for indexes
 * below the tree size).
 * @return 0, LEDGER_ECORRUPT, LEDGER_ENOMEM, LEDGER_EIO.
 */
int lg_stored_entry_load(lg_entry **e_out, lg_record **rec_out, json_t **json_out, lg_txn *t,
                         uint64_t index);

#endif
