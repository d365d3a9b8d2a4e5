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

#endif
