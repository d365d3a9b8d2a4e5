/*
 * record.h - records, signed envelopes and decoded entries.
 *
 * Members write records as proto3 JSON (docs/FORMATS.md), sign them on
 * their own machines and hand the signed envelope to the ledger:
 *
 *   {"record": "<base64 of the canonical Record bytes>",
 *    "signatures": [{"key_id": "<base64>", "signature": "<base64>"}]}
 *
 * The record bytes inside an envelope are what the ledger stores and what
 * every signature covers ("attrledger/v1/record\n" || record bytes); they
 * are never re-encoded.
 */
#ifndef ATTRLEDGER_RECORD_H
#define ATTRLEDGER_RECORD_H

#include "buf.h"
#include "common.h"
#include "key.h"

/** A record (canonical bytes) with zero or more signatures. */
typedef struct ledger_envelope ledger_envelope;

/**
 * Parse either a signed envelope (an object whose "record" member is a
 * string) or a JSON record (encoded to canonical protobuf, no signatures).
 *
 * @param[out] out   the envelope; free with ledger_envelope_free()
 * @param[in]  json  UTF-8 JSON text (not necessarily NUL-terminated)
 * @return 0, LEDGER_EFORMAT (message names the JSON path), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_envelope_parse(ledger_envelope **out, const char *json, size_t len);

/**
 * Add a signature by `key` over the record. A key that already signed is
 * LEDGER_EEXISTS.
 *
 * @return 0, LEDGER_EEXISTS, LEDGER_EFORMAT (too many signatures), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_envelope_sign(ledger_envelope *env, const ledger_key *key);

/**
 * The signed-envelope JSON (one object, indented when `pretty`), with a
 * trailing newline; NUL-terminated.
 *
 * @return 0, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_envelope_to_json(ledger_buf *out, const ledger_envelope *env, int pretty);

/** The record's header.record_id; valid until ledger_envelope_free(). */
LEDGER_API const char *ledger_envelope_record_id(const ledger_envelope *env);

/** Number of signatures. */
LEDGER_API size_t ledger_envelope_signature_count(const ledger_envelope *env);

/** Copy the canonical record bytes. @return 0, LEDGER_ENOMEM. */
LEDGER_API int ledger_envelope_record(ledger_buf *out, const ledger_envelope *env);

/** SHA-256 of the record bytes (what a PanelVote's finding_digest names). */
LEDGER_API void ledger_envelope_digest(uint8_t out[LEDGER_HASH_SIZE], const ledger_envelope *env);

/** Free an envelope. Accepts NULL. */
LEDGER_API void ledger_envelope_free(ledger_envelope *env);

/** Summary of one log entry, decoded from its leaf bytes. */
typedef struct {
    uint64_t index;
    uint64_t integrated_time;            /**< Unix milliseconds */
    char type[32];                       /**< body field name, e.g. "attribution_claim" */
    char record_id[LEDGER_ID_MAX + 1];
    char author[LEDGER_ID_MAX + 1];
    char supersedes[LEDGER_ID_MAX + 1];  /**< "" when none */
    uint8_t leaf_hash[LEDGER_HASH_SIZE]; /**< RFC 6962 leaf hash of the leaf bytes */
    uint8_t record_digest[LEDGER_HASH_SIZE]; /**< SHA-256 of the record bytes */
    size_t n_signatures;
} ledger_entry_info;

/**
 * Decode a leaf (serialized LogEntry) into a summary.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EVERSION, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_entry_info_get(ledger_entry_info *out, const uint8_t *leaf, size_t len);

/**
 * The entry as one JSON object: index, integrated_time, leaf (base64 of the
 * exact leaf bytes), leaf_hash, record_digest, record (proto3 JSON) and
 * signatures ({key_id, signature}, base64). NUL-terminated, trailing newline.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_entry_to_json(ledger_buf *out, const uint8_t *leaf, size_t len, int pretty);

#endif
