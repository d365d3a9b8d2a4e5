/*
 * note.h (internal) - C2SP signed notes, checkpoints, keys, cosignatures
 * and tlog-proof receipts. Pure text processing plus signatures.
 * Implemented in note.c (notes, signing, cosignatures), checkpoint.c
 * (checkpoint bodies), note_key.c (key strings) and receipt.c (receipts);
 * note_int.h holds the text primitives they share.
 *
 * Specs: C2SP signed-note v1.0.0, tlog-checkpoint v1.0.0, tlog-cosignature
 * v1.0.1 (cosignature/v1, type 0x04), tlog-proof v1, Go sumdb/note key
 * strings. reference/transparency-formats.md sections 2.5-2.10 restate them.
 *
 * Limits: a note is at most LG_NOTE_MAX bytes and carries at most
 * LG_NOTE_MAX_SIGS signature lines (the spec requires accepting 16). Key
 * names and checkpoint origins are at most LEDGER_NAME_MAX bytes.
 *
 * Every parser here reports malformed input as LEDGER_EFORMAT with a
 * one-line message naming the problem and, for line formats, the 1-based
 * line ("note line 4: ..."). Nothing here prints, aborts or does I/O.
 */
#ifndef LG_NOTE_H
#define LG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/buf.h"
#include "attrledger/key.h"
#include "tlog/merkle.h"

#define LG_NOTE_MAX (1u << 20)
#define LG_NOTE_MAX_SIGS 100
/* A receipt is a note plus a bounded header (extra data, index, proof). */
#define LG_RECEIPT_MAX (LG_NOTE_MAX + (1u << 16))

typedef struct {
    char name[LEDGER_NAME_MAX + 1];
    uint32_t id;      /* first 4 bytes of the decoded signature */
    uint8_t sig[128]; /* the bytes after the key ID (first 128 if longer) */
    size_t sig_len;   /* full length after the key ID: 64 for type 0x01, 72
                       * for cosignature/v1; may exceed sizeof sig for
                       * signature types we do not support (never verified) */
    const char *line; /* start of the "— name b64\n" line inside the note */
    size_t line_len;  /* including the newline */
} lg_note_sig;

typedef struct {
    uint8_t *buf; /* private copy of the whole note */
    size_t len;
    size_t text_len; /* the signed text: buf[0 .. text_len), ends in '\n' */
    size_t n_sigs;   /* distinct signature lines (exact duplicates collapse) */
    lg_note_sig sigs[LG_NOTE_MAX_SIGS];
} lg_note;

/*
 * Parse (not verify) a signed note: valid UTF-8, no control characters but
 * '\n', text and signatures split at the last "\n\n", every signature line
 * "— <name> <base64>\n" with a valid key name and at least 5 decoded bytes,
 * at most LG_NOTE_MAX_SIGS lines, at most LG_NOTE_MAX bytes.
 *
 * @param[out] out  the parsed note; free with lg_note_free()
 * @return 0, LEDGER_EFORMAT (with the line named), LEDGER_EINVAL (NULL
 *         argument), LEDGER_ENOMEM.
 */
int lg_note_parse(lg_note **out, const uint8_t *msg, size_t len);

/* Free a parsed note. Accepts NULL. */
void lg_note_free(lg_note *note);

/*
 * Verify a note against known keys (type 0x01 signatures over the text, or
 * 0x04 cosignatures over the checkpoint body). A signature counts as from a
 * known key only when name and ID both match; other signatures are ignored.
 * verified_out[i] (optional, n_keys entries) is set to 1 for each key that
 * verified and 0 otherwise; for cosignatures, timestamps_out[i] (optional,
 * n_keys entries) gets the cosigned time (0 when none).
 *
 * @return 0 when at least one known key verified and none failed;
 *         LEDGER_EBADSIG when a known key's signature fails ("invalid
 *         signature for key name+id", the whole note is rejected) or none
 *         verifies ("note has no verifiable signatures"); LEDGER_EINVAL when
 *         two keys share name and ID ("ambiguous key") or a key has an
 *         unsupported type; LEDGER_ENOMEM.
 */
int lg_note_verify(const lg_note *note, const ledger_vkey *keys, size_t n_keys, int *verified_out,
                   uint64_t *timestamps_out);

/*
 * The index of the key in keys[0 .. n_keys) whose name and ID match the
 * signature, or -1 (unknown signer). After lg_note_verify() returned 0, a
 * signature with a matching key verified; the others are "unverified".
 */
long lg_note_sig_key(const lg_note_sig *sig, const ledger_vkey *keys, size_t n_keys);

/*
 * text + "\n" + one signature line by `key` (type 0x01). text must be valid
 * note text: non-empty, ending with '\n', UTF-8, no control characters but
 * '\n'. Output is NUL-terminated (len excludes the NUL).
 *
 * @return 0, LEDGER_EFORMAT (bad text), LEDGER_EINVAL (NULL argument, note
 *         would exceed LG_NOTE_MAX), LEDGER_ENOMEM.
 */
int lg_note_sign(ledger_buf *out, const uint8_t *text, size_t text_len, const ledger_key *key);

/*
 * A cosignature/v1 line ("— name base64\n", NUL-terminated) over a
 * checkpoint body. The signed message is "cosignature/v1\ntime <timestamp>\n"
 * followed by the body; the line carries keyID(0x04) || timestamp (8 bytes,
 * big-endian) || Ed25519 signature (tlog-cosignature v1.0.1).
 *
 * @return 0, LEDGER_EFORMAT (body is not a checkpoint), LEDGER_EINVAL
 *         (timestamp above 2^63-1, NULL argument), LEDGER_ENOMEM.
 */
int lg_note_cosign(ledger_buf *out, const uint8_t *body, size_t body_len, uint64_t timestamp,
                   const ledger_key *key);

/*
 * Append extra signature lines (verbatim, each ending in '\n') to a note,
 * dropping lines identical to one already present. The result is
 * NUL-terminated and satisfies every lg_note_parse() rule.
 *
 * @return 0, LEDGER_EFORMAT (malformed note or line, too many signatures,
 *         too large), LEDGER_EINVAL, LEDGER_ENOMEM.
 */
int lg_note_add_lines(ledger_buf *out, const uint8_t *note, size_t note_len, const uint8_t *lines,
                      size_t lines_len);

/* ---- checkpoints ---- */

typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    uint64_t size;
    lg_hash root;
} lg_checkpoint;

/*
 * "origin\nsize\nbase64(root)\n" (NUL-terminated).
 *
 * @return 0, LEDGER_EINVAL (origin empty, too long, not UTF-8 or holding a
 *         control character), LEDGER_ENOMEM.
 */
int lg_checkpoint_format(ledger_buf *out, const lg_checkpoint *cp);

/*
 * Parse a checkpoint body (the note text): a non-empty origin line of at
 * most LEDGER_NAME_MAX bytes, a decimal size without leading zeros that
 * fits uint64, the root as standard base64 of exactly 32 bytes, then
 * optional non-empty extension lines (allowed and ignored).
 *
 * @return 0, LEDGER_EFORMAT ("checkpoint line N: ..."), LEDGER_EINVAL.
 */
int lg_checkpoint_parse(lg_checkpoint *out, const uint8_t *text, size_t len);

/* ---- key strings ---- */

/*
 * C2SP vkey `name+hex8+base64(type||key)`: split on the first two '+',
 * exactly 8 lowercase hex digits, types 0x01 and 0x04 with 32-byte keys
 * only, and the key ID recomputed and checked. No surrounding whitespace.
 *
 * @return 0, LEDGER_EFORMAT (bad name, bad hex, unsupported type, wrong
 *         key length, key ID mismatch), LEDGER_EINVAL.
 */
int lg_vkey_parse(ledger_vkey *out, const char *s, size_t len);

/* @return 0, LEDGER_EINVAL (bad name or type, note_id not matching the
 *         key), LEDGER_ENOMEM. Output NUL-terminated. */
int lg_vkey_format(ledger_buf *out, const ledger_vkey *vk);

/*
 * Go signer key `PRIVATE+KEY+name+hex8+base64(0x01||seed)`. The public key
 * is derived from the seed and the key ID checked. Messages never quote
 * the key material.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EINVAL, LEDGER_ENOMEM.
 */
int lg_skey_parse(ledger_key **out, const char *s, size_t len);

/*
 * Format a key as a Go signer key string (NUL-terminated). The buffer holds
 * the secret seed: wipe it with lg_memzero(out->data, out->len) before
 * ledger_buf_dispose(). Meant for tests and interop export only.
 *
 * @return 0, LEDGER_EINVAL, LEDGER_ENOMEM.
 */
int lg_skey_format(ledger_buf *out, const ledger_key *key);

/* ---- tlog-proof receipts (c2sp.org/tlog-proof@v1) ---- */

typedef struct {
    uint64_t index;
    size_t n_hashes;
    lg_hash hashes[LG_PROOF_MAX_HASHES];
    const uint8_t *note; /* points into the parsed input */
    size_t note_len;
    const char *extra; /* optional "extra <base64>" value, as text; NULL if absent */
    size_t extra_len;
} lg_receipt;

/*
 * "c2sp.org/tlog-proof@v1\nindex N\n" + one base64 hash per line + "\n" +
 * the note verbatim (NUL-terminated). No extra line is written. The note
 * must pass lg_note_parse().
 *
 * @return 0, LEDGER_EFORMAT (bad note), LEDGER_EINVAL (n > 64, NULL
 *         argument, too large), LEDGER_ENOMEM.
 */
int lg_receipt_format(ledger_buf *out, uint64_t index, const lg_hash *hashes, size_t n,
                      const uint8_t *note, size_t note_len);

/* lg_receipt_format for a note that already passed lg_note_parse(): for a
 * caller formatting many receipts against one note (a submitted batch). */
int lg_receipt_format_checked(ledger_buf *out, uint64_t index, const lg_hash *hashes, size_t n,
                              const uint8_t *note, size_t note_len);

/*
 * Parse a receipt strictly; the note must pass lg_note_parse() but is not
 * verified here. Pointers in `out` refer into `text`.
 *
 * @return 0, LEDGER_EFORMAT ("receipt line N: ..."), LEDGER_EINVAL,
 *         LEDGER_ENOMEM.
 */
int lg_receipt_parse(lg_receipt *out, const uint8_t *text, size_t len);

#endif
