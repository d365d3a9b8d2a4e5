/*
 * record.h (internal) - the envelope type behind the public API, and small
 * JSON output helpers shared by the modules that render results.
 */
#ifndef LG_RECORD_H
#define LG_RECORD_H

#include <jansson.h>

#include "attrledger/record.h"
#include "codec/codec.h"

struct ledger_envelope {
    lg_envelope *env; /* canonical record bytes + signatures */
    lg_record *rec;   /* decoded view of env->record */
};

/* Wrap a decoded envelope (takes ownership of env, also on failure). */
int lg_envelope_wrap(ledger_envelope **out, lg_envelope *env);

/* obj[key] = base64(data) / integer; 0 or LEDGER_ENOMEM. */
int lg_json_set_b64(json_t *obj, const char *key, const uint8_t *data, size_t len);
int lg_json_set_u64(json_t *obj, const char *key, uint64_t v);

/*
 * An entry as a JSON object (what ledger_entry_to_json prints): index,
 * integrated_time, leaf, leaf_hash, record_digest, record, signatures.
 * New reference in *out. 0, LEDGER_EFORMAT, LEDGER_ENOMEM.
 */
int lg_entry_json(json_t **out, const uint8_t *leaf, size_t len);

#endif
