/*
 * receipt.c - C2SP tlog-proof v1 receipts as text: format, strict parse,
 * and verification (one check of the leaf and the inclusion proof, behind
 * a checkpoint verified by one log key or by a trust policy).
 *
 * A receipt is "c2sp.org/tlog-proof@v1\n", an optional "extra <base64>"
 * line, "index N\n", at most LG_PROOF_MAX_HASHES base64 proof hashes one
 * per line, a blank line, then a signed checkpoint note verbatim. The whole
 * receipt is at most LG_RECEIPT_MAX bytes. The note must pass
 * lg_note_parse() to parse; ledger_receipt_verify() and
 * ledger_receipt_verify_policy() (below) check its signatures and the
 * inclusion proof.
 * docs: reference/transparency-formats.md 2.10.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/checkpoint.h"
#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/codec.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/note_int.h"

static const char receipt_header[] = "c2sp.org/tlog-proof@v1";

int
lg_receipt_format(ledger_buf *out, uint64_t index, const lg_hash *hashes, size_t n,
                  const uint8_t *note, size_t note_len)
{
    lg_note *parsed = NULL;
    int rc;

    if (out == NULL || (hashes == NULL && n > 0) || (note == NULL && note_len > 0))
        return lg_error_set(LEDGER_EINVAL, "receipt format: missing argument");
    if (n > LG_PROOF_MAX_HASHES)
        return lg_error_set(LEDGER_EINVAL, "receipt: proof has %zu hashes, max %d", n,
                            LG_PROOF_MAX_HASHES);
    if ((rc = lg_note_parse(&parsed, note, note_len)) < 0)
        return rc;
    lg_note_free(parsed);
    return lg_receipt_format_checked(out, index, hashes, n, note, note_len);
}

int
lg_receipt_format_checked(ledger_buf *out, uint64_t index, const lg_hash *hashes, size_t n,
                          const uint8_t *note, size_t note_len)
{
    const size_t hlen = sizeof receipt_header - 1;
    char idx[32];
    size_t ilen, total, off;
    uint8_t *p;
    int il;

    if (out == NULL || (hashes == NULL && n > 0) || (note == NULL && note_len > 0))
        return lg_error_set(LEDGER_EINVAL, "receipt format: missing argument");
    if (n > LG_PROOF_MAX_HASHES)
        return lg_error_set(LEDGER_EINVAL, "receipt: proof has %zu hashes, max %d", n,
                            LG_PROOF_MAX_HASHES);
    if (note_len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EINVAL, "receipt: note is %zu bytes, max %u", note_len,
                            LG_NOTE_MAX);
    il = snprintf(idx, sizeof idx, "index %" PRIu64 "\n", index);
    if (il < 0 || (size_t)il >= sizeof idx)
        return lg_error_set(LEDGER_ERROR, "receipt index formatting failed");
    ilen = (size_t)il;
    /* note_len <= LG_NOTE_MAX and n <= 64: the sum cannot overflow. */
    total = hlen + 1 + ilen + n * (LG_HASH_B64_LEN + 1) + 1 + note_len;
    p = lg_malloc(total + 1);
    if (p == NULL)
        return lg_error_nomem();
    memcpy(p, receipt_header, hlen);
    p[hlen] = '\n';
    memcpy(p + hlen + 1, idx, ilen);
    off = hlen + 1 + ilen;
    for (size_t i = 0; i < n; i++) {
        lg_b64_encode((char *)p + off, hashes[i], LG_HASH);
        off += LG_HASH_B64_LEN;
        p[off++] = '\n';
    }
    p[off++] = '\n';
    memcpy(p + off, note, note_len);
    p[total] = '\0';
    out->data = p;
    out->len = total;
    return 0;
}

int
lg_receipt_parse(lg_receipt *out, const uint8_t *text, size_t len)
{
    static const char extra_kw[] = "extra ";
    static const char index_kw[] = "index ";
    const size_t ekw = sizeof extra_kw - 1, ikw = sizeof index_kw - 1;
    lg_receipt r;
    lg_note *n = NULL;
    const uint8_t *line = NULL;
    size_t line_len = 0, pos = 0, lineno = 1, got = 0;
    uint8_t scratch[1];
    int rc, more;

    if (out == NULL || (text == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "receipt parse: missing argument");
    if (len > LG_RECEIPT_MAX)
        return lg_error_set(LEDGER_EFORMAT, "receipt is %zu bytes, max %u", len, LG_RECEIPT_MAX);
    memset(&r, 0, sizeof r);

    more = lg_note_next_line(&line, &line_len, text, len, &pos);
    if (more != 1 || line_len != sizeof receipt_header - 1 ||
        memcmp(line, receipt_header, line_len) != 0)
        return lg_error_set(LEDGER_EFORMAT, "receipt line 1: must be \"%s\"", receipt_header);

    lineno++;
    if ((more = lg_note_next_line(&line, &line_len, text, len, &pos)) != 1)
        return lg_error_set(LEDGER_EFORMAT, "receipt line %zu: missing index line", lineno);
    if (line_len >= ekw && memcmp(line, extra_kw, ekw) == 0) {
        /* Unauthenticated application data: only its encoding is ours to
         * check. Decoded bytes are counted, not stored. */
        r.extra = (const char *)line + ekw;
        r.extra_len = line_len - ekw;
        if (lg_note_b64_decode_prefix(scratch, 0, &got, r.extra, r.extra_len) != 0)
            return lg_error_set(LEDGER_EFORMAT, "receipt line %zu: extra data is not base64",
                                lineno);
        lineno++;
        if ((more = lg_note_next_line(&line, &line_len, text, len, &pos)) != 1)
            return lg_error_set(LEDGER_EFORMAT, "receipt line %zu: missing index line", lineno);
    }
    if (line_len < ikw || memcmp(line, index_kw, ikw) != 0 ||
        lg_note_parse_u64(&r.index, line + ikw, line_len - ikw) != 0)
        return lg_error_set(LEDGER_EFORMAT,
                            "receipt line %zu: must be \"index N\" (decimal, no leading zeros)",
                            lineno);

    /* Proof hashes up to the blank line. */
    for (;;) {
        lineno++;
        more = lg_note_next_line(&line, &line_len, text, len, &pos);
        if (more != 1)
            return lg_error_set(LEDGER_EFORMAT,
                                "receipt line %zu: missing blank line before the checkpoint",
                                lineno);
        if (line_len == 0)
            break;
        if (r.n_hashes == LG_PROOF_MAX_HASHES)
            return lg_error_set(LEDGER_EFORMAT, "receipt line %zu: more than %d proof hashes",
                                lineno, LG_PROOF_MAX_HASHES);
        if (lg_note_decode_hash(r.hashes[r.n_hashes], line, line_len) != 0)
            return lg_error_set(LEDGER_EFORMAT,
                                "receipt line %zu: proof hash must be base64 of 32 bytes", lineno);
        r.n_hashes++;
    }

    r.note = text + pos;
    r.note_len = len - pos;
    if (r.note_len == 0)
        return lg_error_set(LEDGER_EFORMAT, "receipt line %zu: missing checkpoint", lineno + 1);
    if ((rc = lg_note_parse(&n, r.note, r.note_len)) < 0)
        return rc == LEDGER_EFORMAT ? lg_error_prefix(rc, "receipt checkpoint") : rc;
    lg_note_free(n);
    *out = r;
    return 0;
}

/* ---- verification ---- */

/* The leaf is the receipt's entry and its proof leads to cp's root. The
 * leaf names its own index: a receipt for another position of the same
 * leaf bytes cannot exist, and a mismatch means the wrong leaf. */
static int
check_inclusion(ledger_receipt_info *out, const lg_receipt *r, const ledger_checkpoint *cp,
                const uint8_t *leaf, size_t leaf_len)
{
    lg_entry *e = NULL;
    int rc;

    if ((rc = lg_entry_decode(&e, leaf, leaf_len)) < 0)
        return lg_error_prefix(rc, "leaf");
    if (e->index != r->index) {
        rc = lg_error_set(LEDGER_EPROOF, "receipt is for index %llu but the leaf is entry %llu",
                          (unsigned long long)r->index, (unsigned long long)e->index);
        lg_entry_free(e);
        return rc;
    }
    lg_entry_free(e);
    lg_merkle_leaf_hash(out->leaf_hash, leaf, leaf_len);
    out->index = r->index;
    out->checkpoint = *cp;
    if ((rc = lg_merkle_verify_inclusion(r->index, cp->size, out->leaf_hash,
                                         (const lg_hash *)r->hashes, r->n_hashes, cp->root)) < 0)
        return lg_error_prefix(rc, "receipt");
    return 0;
}

int
ledger_receipt_verify(ledger_receipt_info *out, const uint8_t *receipt, size_t receipt_len,
                      const uint8_t *leaf, size_t leaf_len, const ledger_vkey *log_key)
{
    lg_receipt r;
    ledger_checkpoint cp;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_receipt_parse(&r, receipt, receipt_len)) < 0)
        return lg_error_prefix(rc, "receipt");
    if ((rc = ledger_checkpoint_verify(&cp, r.note, r.note_len, log_key)) < 0)
        return rc;
    return check_inclusion(out, &r, &cp, leaf, leaf_len);
}

int
ledger_receipt_verify_policy(ledger_receipt_info *out, ledger_policy_report *report,
                             const uint8_t *receipt, size_t receipt_len, const uint8_t *leaf,
                             size_t leaf_len, const ledger_tlog_policy *p)
{
    ledger_policy_report rep;
    lg_receipt r;
    int rc;

    if (out == NULL || p == NULL)
        return lg_error_set(LEDGER_EINVAL, "receipt verify: missing argument");
    memset(out, 0, sizeof *out);
    if ((rc = lg_receipt_parse(&r, receipt, receipt_len)) < 0)
        return lg_error_prefix(rc, "receipt");
    if ((rc = ledger_checkpoint_verify_policy(&rep, r.note, r.note_len, p)) < 0)
        return rc;
    if ((rc = check_inclusion(out, &r, &rep.checkpoint, leaf, leaf_len)) < 0)
        return rc;
    if (report != NULL)
        *report = rep;
    return 0;
}
