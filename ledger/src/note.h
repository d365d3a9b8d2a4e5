/*
 * note.h (internal) - C2SP signed notes, checkpoints, keys, cosignatures
 * and tlog-proof receipts. Pure text processing plus signatures.
 *
 * Specs: C2SP signed-note v1.0.0, tlog-checkpoint v1.0.0, tlog-cosignature
 * v1.0.1 (cosignature/v1, type 0x04), tlog-proof v1, Go sumdb/note key
 * strings. reference/transparency-formats.md sections 2.5-2.10 restate them.
 *
 * Limits: a note is at most LG_NOTE_MAX bytes and carries at most
 * LG_NOTE_MAX_SIGS signature lines (the spec requires accepting 16).
 */
#ifndef LG_NOTE_H
#define LG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/buf.h"
#include "attrledger/key.h"
#include "merkle.h"

#define LG_NOTE_MAX (1u << 20)
#define LG_NOTE_MAX_SIGS 100

typedef struct {
    char name[LEDGER_NAME_MAX + 1];
    uint32_t id;          /* first 4 bytes of the decoded signature */
    uint8_t sig[128];     /* the bytes after the key ID */
    size_t sig_len;       /* 64 for type 0x01, 72 for cosignature/v1 */
    const char *line;     /* start of the "— name b64\n" line inside the note */
    size_t line_len;      /* including the newline */
} lg_note_sig;

typedef struct {
    uint8_t *buf;         /* private copy of the whole note */
    size_t len;
    size_t text_len;      /* the signed text: buf[0 .. text_len), ends in '\n' */
    size_t n_sigs;
    lg_note_sig sigs[LG_NOTE_MAX_SIGS];
} lg_note;

/* Parse (not verify) a signed note. LEDGER_EFORMAT on any malformation
 * listed in transparency-formats.md 2.5, with the line named. */
int lg_note_parse(lg_note **out, const uint8_t *msg, size_t len);
void lg_note_free(lg_note *note);

/*
 * Verify a note against known keys (type 0x01 signatures over the text, or
 * 0x04 cosignatures over the checkpoint body). A signature counts as from a
 * known key only when name and ID both match. Returns 0 when at least one
 * known key verified, LEDGER_EBADSIG when a known key's signature fails or
 * none verifies. verified_out[i] (optional, n_keys entries) is set to 1 for
 * each key that verified; for cosignatures, timestamps_out[i] (optional)
 * gets the cosigned time.
 */
int lg_note_verify(const lg_note *note, const ledger_vkey *keys, size_t n_keys,
                   int *verified_out, uint64_t *timestamps_out);

/* text + "\n" + one signature line by `key` (type 0x01). text must end
 * with '\n'. Output is NUL-terminated. */
int lg_note_sign(ledger_buf *out, const uint8_t *text, size_t text_len, const ledger_key *key);

/* A cosignature/v1 line ("— name base64\n") over a checkpoint body. */
int lg_note_cosign(ledger_buf *out, const uint8_t *body, size_t body_len, uint64_t timestamp,
                   const ledger_key *key);

/* Append extra signature lines (verbatim, each ending in '\n') to a note,
 * dropping exact duplicates. */
int lg_note_add_lines(ledger_buf *out, const uint8_t *note, size_t note_len,
                      const uint8_t *lines, size_t lines_len);

/* ---- checkpoints ---- */

typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    uint64_t size;
    lg_hash root;
} lg_checkpoint;

/* "origin\nsize\nbase64(root)\n" (NUL-terminated). */
int lg_checkpoint_format(ledger_buf *out, const lg_checkpoint *cp);
/* Parse a checkpoint body (the note text); extension lines are allowed and
 * ignored. LEDGER_EFORMAT with the line named. */
int lg_checkpoint_parse(lg_checkpoint *out, const uint8_t *text, size_t len);

/* ---- key strings ---- */

/* C2SP vkey `name+hex8+base64(type||key)`, types 0x01 and 0x04. */
int lg_vkey_parse(ledger_vkey *out, const char *s, size_t len);
int lg_vkey_format(ledger_buf *out, const ledger_vkey *vk);
/* Go signer key `PRIVATE+KEY+name+hex8+base64(0x01||seed)`. */
int lg_skey_parse(ledger_key **out, const char *s, size_t len);
int lg_skey_format(ledger_buf *out, const ledger_key *key);

/* ---- tlog-proof receipts (c2sp.org/tlog-proof@v1) ---- */

typedef struct {
    uint64_t index;
    size_t n_hashes;
    lg_hash hashes[LG_PROOF_MAX_HASHES];
    const uint8_t *note;      /* points into the parsed input */
    size_t note_len;
    const char *extra;        /* optional "extra <base64>" value, as text; NULL if absent */
    size_t extra_len;
} lg_receipt;

int lg_receipt_format(ledger_buf *out, uint64_t index, const lg_hash *hashes, size_t n,
                      const uint8_t *note, size_t note_len);
/* Parse; the note is not verified here. Pointers refer into `text`. */
int lg_receipt_parse(lg_receipt *out, const uint8_t *text, size_t len);

#endif
