/*
 * entry.h (internal) - a log entry as JSON (tlog/entry.c).
 */
#ifndef LG_ENTRY_H
#define LG_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * An entry as a JSON object (what ledger_entry_to_json prints): index,
 * integrated_time, leaf, leaf_hash, record_digest, record, signatures.
 * New reference in *out. 0, LEDGER_EFORMAT, LEDGER_ENOMEM.
 */
int lg_entry_json(json_t **out, const uint8_t *leaf, size_t len);

#endif
