/*
 * note_int.h (internal to the note module: note.c, note_key.c,
 * checkpoint.c, receipt.c) - the text primitives they share, all defined
 * in note.c: the signed-note character rules, line splitting, strict
 * base64 and the small field parsers. Nothing here sets a message unless
 * its comment says so.
 */
#ifndef LG_NOTE_INT_H
#define LG_NOTE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/buf.h"
#include "base/b64.h"
#include "tlog/merkle.h"

/* base64 of a 32-byte hash, without the newline. */
#define LG_HASH_B64_LEN LG_B64_LEN(LG_HASH)

/* Valid UTF-8, no control character but '\n'; LEDGER_EFORMAT naming `what` and the line. */
int lg_note_check_chars(const uint8_t *p, size_t len, const char *what);

/* Next '\n'-terminated line of p[*pos .. len): 1 (line set), 0 at the end, -1 if no newline. */
int lg_note_next_line(const uint8_t **line, size_t *line_len, const uint8_t *p, size_t len,
                      size_t *pos);

/* Strict base64; keeps the first `cap` decoded bytes, sets the full length in *total; 0 or -1. */
int lg_note_b64_decode_prefix(uint8_t *out, size_t cap, size_t *total, const char *in, size_t len);

/* Decimal uint64 without leading zeros ("0" alone is fine); 0 or -1. */
int lg_note_parse_u64(uint64_t *out, const uint8_t *s, size_t len);

/* Exactly LG_HASH_B64_LEN characters of base64 of a 32-byte hash; 0 or -1. */
int lg_note_decode_hash(lg_hash out, const uint8_t *s, size_t len);

/* Length of a name in a LEDGER_NAME_MAX + 1 array, or SIZE_MAX when not terminated there. */
size_t lg_note_name_len(const char *name);

/* 1 for the signature types we verify and sign (0x01 Ed25519, 0x04 cosignature/v1), else 0. */
int lg_note_sigtype_supported(uint8_t type);

/* cosignature/v1: 8-byte timestamp then a 64-byte Ed25519 signature. */
#define LG_NOTE_COSIG_LEN (8 + 64)
#define LG_NOTE_TIMESTAMP_MAX UINT64_C(0x7fffffffffffffff)

/* Big-endian 32-bit key ID into p[0..4). */
void lg_note_put_be32(uint8_t *p, uint32_t v);

/* "cosignature/v1\ntime <ts>\n" || body, in a fresh buffer (lg_free). */
int lg_note_cosig_message(uint8_t **out, size_t *out_len, const uint8_t *body, size_t body_len,
                          uint64_t ts);

/*
 * "— name base64(payload)\n" + NUL into a new buffer, after `pre_len`
 * bytes copied from `pre` (which may be empty).
 */
int lg_note_emit_sig_line(ledger_buf *out, const uint8_t *pre, size_t pre_len, const char *name,
                          const uint8_t *payload, size_t payload_len);

#endif
