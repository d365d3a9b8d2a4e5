/*
 * checkpoint.c - checkpoint bodies, offline verification of checkpoints
 * (receipts: receipt.c), and cosigning a checkpoint as a witness.
 *
 * C2SP tlog-checkpoint v1.0.0 on top of note.c: the body text
 * "origin\nsize\nbase64(root)\n" plus optional non-empty extension lines
 * (lg_checkpoint_format/lg_checkpoint_parse, pure), and C2SP tlog-proof
 * receipts (parsed in receipt.c): what a third party needs to check a
 * ledger's statements with nothing but the log's verifier key. The origin
 * line must equal the key name (the checkpoint spec's SHOULD, which we make
 * a MUST for our own logs).
 */
#include "attrledger/checkpoint.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/bigendian.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/note_int.h"

/* ---- checkpoint bodies ---- */

int
lg_checkpoint_format(ledger_buf *out, const lg_checkpoint *cp)
{
    char size[24];
    size_t olen, slen, total;
    uint8_t *p;
    int sl;

    if (out == NULL || cp == NULL)
        return lg_error_set(LEDGER_EINVAL, "checkpoint format: missing argument");
    olen = lg_note_name_len(cp->origin);
    if (olen == 0 || olen == SIZE_MAX)
        return lg_error_set(LEDGER_EINVAL, "checkpoint origin must be 1-%d bytes", LEDGER_NAME_MAX);
    if (memchr(cp->origin, '\n', olen) != NULL ||
        lg_note_check_chars((const uint8_t *)cp->origin, olen, "checkpoint origin") < 0)
        return lg_error_set(LEDGER_EINVAL, "checkpoint origin must be one line of UTF-8 text");
    sl = snprintf(size, sizeof size, "%" PRIu64, cp->size);
    if (sl < 0 || (size_t)sl >= sizeof size)
        return lg_error_set(LEDGER_ERROR, "checkpoint size formatting failed");
    slen = (size_t)sl;
    total = olen + 1 + slen + 1 + LG_HASH_B64_LEN + 1;
    p = lg_malloc(total + 1);
    if (p == NULL)
        return lg_error_nomem();
    memcpy(p, cp->origin, olen);
    p[olen] = '\n';
    memcpy(p + olen + 1, size, slen);
    p[olen + 1 + slen] = '\n';
    lg_b64_encode((char *)p + olen + slen + 2, cp->root, LG_HASH);
    p[total - 1] = '\n';
    p[total] = '\0';
    out->data = p;
    out->len = total;
    return 0;
}

int
lg_checkpoint_parse(lg_checkpoint *out, const uint8_t *text, size_t len)
{
    lg_checkpoint cp;
    const uint8_t *line = NULL;
    size_t line_len = 0, pos = 0, lineno = 0;
    int rc;

    if (out == NULL || (text == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "checkpoint parse: missing argument");
    if (len == 0)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint is empty");
    if (len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint is %zu bytes, max %u", len, LG_NOTE_MAX);
    if ((rc = lg_note_check_chars(text, len, "checkpoint")) < 0)
        return rc;
    if (text[len - 1] != '\n') {
        size_t last = 1;

        for (size_t i = 0; i < len; i++)
            last += text[i] == '\n';
        return lg_error_set(LEDGER_EFORMAT, "checkpoint line %zu: missing newline", last);
    }
    memset(&cp, 0, sizeof cp);

    /* The last byte is '\n', so lg_note_next_line() returns 1 or 0, never -1. */
    if (lg_note_next_line(&line, &line_len, text, len, &pos) != 1 || line_len == 0)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint line 1: empty origin");
    if (line_len > LEDGER_NAME_MAX)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint line 1: origin is %zu bytes, max %d",
                            line_len, LEDGER_NAME_MAX);
    memcpy(cp.origin, line, line_len);

    if (lg_note_next_line(&line, &line_len, text, len, &pos) != 1)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint line 2: missing tree size");
    if (lg_note_parse_u64(&cp.size, line, line_len) != 0)
        return lg_error_set(LEDGER_EFORMAT,
                            "checkpoint line 2: tree size must be a decimal uint64 without "
                            "leading zeros");

    if (lg_note_next_line(&line, &line_len, text, len, &pos) != 1)
        return lg_error_set(LEDGER_EFORMAT, "checkpoint line 3: missing root hash");
    if (lg_note_decode_hash(cp.root, line, line_len) != 0)
        return lg_error_set(LEDGER_EFORMAT,
                            "checkpoint line 3: root hash must be base64 of 32 bytes");

    /* Extension lines: opaque, but each must be non-empty (tlog-checkpoint). */
    for (lineno = 4; lg_note_next_line(&line, &line_len, text, len, &pos) == 1; lineno++) {
        if (line_len == 0)
            return lg_error_set(LEDGER_EFORMAT, "checkpoint line %zu: empty extension line",
                                lineno);
    }
    *out = cp;
    return 0;
}

/* ---- offline verification ---- */

int
ledger_checkpoint_verify(ledger_checkpoint *out, const uint8_t *note_bytes, size_t len,
                         const ledger_vkey *log_key)
{
    lg_note *note = NULL;
    lg_checkpoint cp;
    int rc;

    memset(out, 0, sizeof *out);
    if (log_key == NULL || log_key->type != LEDGER_SIGTYPE_ED25519)
        return lg_error_set(LEDGER_EINVAL, "checkpoint: log key must be an Ed25519 verifier key");
    if ((rc = lg_note_parse(&note, note_bytes, len)) < 0)
        return lg_error_prefix(rc, "checkpoint");
    if ((rc = lg_note_verify(note, log_key, 1, NULL, NULL)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if ((rc = lg_checkpoint_parse(&cp, note->buf, note->text_len)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if (strcmp(cp.origin, log_key->name) != 0) {
        rc = lg_error_set(LEDGER_EBADSIG,
                          "checkpoint origin %.100s is not the log key's name %.100s", cp.origin,
                          log_key->name);
        goto done;
    }
    memcpy(out->origin, cp.origin, sizeof out->origin);
    out->size = cp.size;
    memcpy(out->root, cp.root, 32);
done:
    lg_note_free(note);
    return rc;
}

/* ---- cosigning (C2SP tlog-cosignature v1) ---- */

int
lg_note_cosign(ledger_buf *out, const uint8_t *body, size_t body_len, uint64_t timestamp,
               const ledger_key *key)
{
    uint8_t payload[4 + LG_NOTE_COSIG_LEN];
    lg_checkpoint cp;
    uint8_t *msg = NULL;
    size_t msg_len = 0;
    int rc;

    if (out == NULL || key == NULL || (body == NULL && body_len > 0))
        return lg_error_set(LEDGER_EINVAL, "cosign: missing argument");
    if (timestamp > LG_NOTE_TIMESTAMP_MAX)
        return lg_error_set(LEDGER_EINVAL, "cosign: timestamp %" PRIu64 " above 2^63-1", timestamp);
    /* A cosignature asserts a checkpoint; refuse to sign anything else. */
    if ((rc = lg_checkpoint_parse(&cp, body, body_len)) < 0)
        return rc;
    lg_note_put_be32(payload, lg_note_key_id(key->name, LEDGER_SIGTYPE_COSIGNATURE, key->pk));
    lg_u64_be(payload + 4, timestamp);
    if ((rc = lg_note_cosig_message(&msg, &msg_len, body, body_len, timestamp)) < 0)
        return rc;
    rc = lg_ed25519_sign(payload + 12, msg, msg_len, key);
    lg_free(msg);
    if (rc < 0)
        return rc;
    return lg_note_emit_sig_line(out, NULL, 0, key->name, payload, sizeof payload);
}
