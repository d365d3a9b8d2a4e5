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
 *
 * A reader that meets a damaged entry it may not need asks the index rows
 * what the entry was (lg_damage_describe): submit wrote them after its
 * checks, in the transaction that stored the entry, so they still say its
 * record_id, its type and what it refers to. Each reader decides from them
 * whether it needs the entry (SECURITY.md, "A damaged entry").
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

/*
 * A damaged entry as its index rows describe it: its record_id and type
 * from its records row ("" and LG_REC_NONE if it has none), and its
 * targets with their types: the entries its refs rows point to and those
 * whose records row says it superseded or retracted them.
 */
typedef struct {
    uint64_t index;
    lg_record_type type;
    char record_id[LEDGER_ID_MAX + 1];
    uint64_t *targets;
    lg_record_type *target_types;
    size_t n_targets, cap;
} lg_damage;

/*
 * Fill d for entry `index` in transaction t (d zeroed, or filled before:
 * its space is reused). Scans the records and refs tables once each.
 * @return 0, LEDGER_ECORRUPT, LEDGER_EIO, LEDGER_ENOMEM.
 */
int lg_damage_describe(lg_damage *d, lg_txn *t, uint64_t index);
/* Does d target an entry of type `type`? */
int lg_damage_targets_type(const lg_damage *d, lg_record_type type);
void lg_damage_free(lg_damage *d);

#endif
