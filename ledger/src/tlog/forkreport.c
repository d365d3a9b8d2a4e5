/*
 * forkreport.c - fork reports (mirror.h): two checkpoints signed by one log
 * that cannot both be true, and the proof of it.
 *
 * Text format (docs/FORMATS.md "Fork reports"):
 *
 *   attrledger fork report v1\n
 *   held <n>\n <n bytes: the first signed checkpoint note>
 *   other <n>\n <n bytes: the conflicting signed checkpoint note>
 *   [prefix <base64 root>\n          only when the sizes differ
 *    <base64 hash>\n ...]            the consistency proof, at most 64
 *
 * The notes are length-prefixed because a note holds a blank line. Why it
 * proves a fork: a consistency proof from m to n that verifies against the
 * larger root R2 with old root P binds P to the root of the larger tree's
 * first m entries (RFC 9162 2.1.4: finding another P would need a SHA-256
 * collision). So P != R1 means the log signed a tree of size n whose
 * prefix is not the tree of size m it also signed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/mirror.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "tlog/merkle.h"

#define HEADER "attrledger fork report v1\n"

static int
append(ledger_buf *b, size_t *cap, const void *p, size_t n)
{
    if (b->len + n + 1 > *cap) {
        size_t ncap = (*cap + n + 1) * 2;
        uint8_t *nd = lg_realloc(b->data, ncap);

        if (nd == NULL)
            return lg_error_nomem();
        b->data = nd;
        *cap = ncap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static int
append_note(ledger_buf *b, size_t *cap, const char *tag, const uint8_t *note, size_t len)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s %zu\n", tag, len);
    int rc;

    if ((rc = append(b, cap, line, (size_t)n)) < 0)
        return rc;
    return append(b, cap, note, len);
}

static int
append_hash(ledger_buf *b, size_t *cap, const char *tag, const uint8_t h[32])
{
    char line[16 + LG_B64_LEN(LG_HASH) + 2];
    size_t off = 0;

    if (tag != NULL)
        off = (size_t)snprintf(line, sizeof line, "%s ", tag);
    lg_b64_encode(line + off, h, LG_HASH);
    off += LG_B64_LEN(LG_HASH);
    line[off++] = '\n';
    return append(b, cap, line, off);
}

int
ledger_fork_report_format(ledger_buf *out, const uint8_t *held, size_t held_len,
                          const uint8_t *other, size_t other_len,
                          const uint8_t prefix_root[LEDGER_HASH_SIZE],
                          const uint8_t (*proof)[LEDGER_HASH_SIZE], size_t n)
{
    ledger_buf b = LEDGER_BUF_INIT;
    size_t cap = 0;
    int rc;

    if (out == NULL || held == NULL || other == NULL || n > LG_PROOF_MAX_HASHES ||
        (n > 0 && (proof == NULL || prefix_root == NULL)))
        return lg_error_set(LEDGER_EINVAL, "fork report: bad argument");
    out->data = NULL;
    out->len = 0;
    if ((rc = append(&b, &cap, HEADER, sizeof HEADER - 1)) < 0 ||
        (rc = append_note(&b, &cap, "held", held, held_len)) < 0 ||
        (rc = append_note(&b, &cap, "other", other, other_len)) < 0)
        goto fail;
    if (prefix_root != NULL && (rc = append_hash(&b, &cap, "prefix", prefix_root)) < 0)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if ((rc = append_hash(&b, &cap, NULL, proof[i])) < 0)
            goto fail;
    *out = b;
    return 0;
fail:
    ledger_buf_dispose(&b);
    return rc;
}

/* "<tag> <decimal>\n" then that many bytes. */
static int
read_note(const uint8_t **note, size_t *note_len, const uint8_t *p, size_t len, size_t *pos,
          const char *tag)
{
    size_t tl = strlen(tag), v = 0, i = *pos + tl + 1;

    if (len - *pos < tl + 3 || memcmp(p + *pos, tag, tl) != 0 || p[*pos + tl] != ' ')
        return lg_error_set(LEDGER_EFORMAT, "fork report: want \"%s <bytes>\"", tag);
    if (p[i] == '0' && i + 1 < len && p[i + 1] != '\n')
        return lg_error_set(LEDGER_EFORMAT, "fork report: %s length has a leading zero", tag);
    for (; i < len && p[i] != '\n'; i++) {
        if (p[i] < '0' || p[i] > '9' || v > LEDGER_FORK_REPORT_MAX)
            return lg_error_set(LEDGER_EFORMAT, "fork report: bad %s length", tag);
        v = v * 10 + (size_t)(p[i] - '0');
    }
    if (i == len || i == *pos + tl + 1 || v > len - i - 1)
        return lg_error_set(LEDGER_EFORMAT, "fork report: %s note is cut off", tag);
    *note = p + i + 1;
    *note_len = v;
    *pos = i + 1 + v;
    return 0;
}

/* One base64 hash line, optionally after "<tag> ". */
static int
read_hash(lg_hash out, const uint8_t *p, size_t len, size_t *pos, const char *tag)
{
    size_t tl = tag ? strlen(tag) + 1 : 0, got = 0, hl = LG_B64_LEN(LG_HASH);
    uint8_t tmp[33];

    if (len - *pos < tl + hl + 1 ||
        (tag && (memcmp(p + *pos, tag, tl - 1) != 0 || p[*pos + tl - 1] != ' ')) ||
        p[*pos + tl + hl] != '\n' ||
        lg_b64_decode(tmp, &got, (const char *)p + *pos + tl, hl) != 0 || got != LG_HASH)
        return lg_error_set(LEDGER_EFORMAT, "fork report: line at byte %zu is not %s%s", *pos,
                            tag ? tag : "", tag ? " and a base64 hash" : "a base64 hash");
    memcpy(out, tmp, LG_HASH);
    *pos += tl + hl + 1;
    return 0;
}

int
ledger_fork_verify(ledger_fork_info *out, const uint8_t *p, size_t len, const ledger_vkey *key)
{
    const uint8_t *na, *nb;
    size_t la, lb, pos = sizeof HEADER - 1, n = 0;
    lg_hash prefix, proof[LG_PROOF_MAX_HASHES];
    const ledger_checkpoint *small, *large;
    ledger_fork_info fi;
    int rc;

    if (out == NULL || p == NULL || key == NULL)
        return lg_error_set(LEDGER_EINVAL, "fork report: missing argument");
    memset(out, 0, sizeof *out);
    if (len > LEDGER_FORK_REPORT_MAX || len < pos || memcmp(p, HEADER, pos) != 0)
        return lg_error_set(LEDGER_EFORMAT, "not a fork report (line 1 must be \"%.25s\")", HEADER);
    if ((rc = read_note(&na, &la, p, len, &pos, "held")) < 0 ||
        (rc = read_note(&nb, &lb, p, len, &pos, "other")) < 0)
        return rc;
    if ((rc = ledger_checkpoint_verify(&fi.held, na, la, key)) < 0)
        return lg_error_prefix(rc, "fork report: held checkpoint");
    if ((rc = ledger_checkpoint_verify(&fi.other, nb, lb, key)) < 0)
        return lg_error_prefix(rc, "fork report: other checkpoint");
    if (fi.held.size == fi.other.size) {
        if (pos != len)
            return lg_error_set(LEDGER_EFORMAT, "fork report: checkpoints of equal size need no "
                                                "proof, but the report goes on");
        if (memcmp(fi.held.root, fi.other.root, LG_HASH) == 0)
            return lg_error_set(LEDGER_EPROOF,
                                "fork report: both checkpoints are the same tree "
                                "of size %" PRIu64,
                                fi.held.size);
        *out = fi;
        return 0;
    }
    if ((rc = read_hash(prefix, p, len, &pos, "prefix")) < 0)
        return rc;
    while (pos < len) {
        if (n == LG_PROOF_MAX_HASHES)
            return lg_error_set(LEDGER_EFORMAT, "fork report: more than %d proof hashes",
                                LG_PROOF_MAX_HASHES);
        if ((rc = read_hash(proof[n], p, len, &pos, NULL)) < 0)
            return rc;
        n++;
    }
    small = fi.held.size < fi.other.size ? &fi.held : &fi.other;
    large = small == &fi.held ? &fi.other : &fi.held;
    if (small->size == 0)
        return lg_error_set(LEDGER_EPROOF, "fork report: every tree extends the empty tree");
    if (lg_merkle_verify_consistency(small->size, large->size, prefix, large->root,
                                     (const lg_hash *)proof, n) < 0)
        return lg_error_set(LEDGER_EPROOF,
                            "fork report: the proof does not show the tree of size %" PRIu64
                            " has prefix root %s at size %" PRIu64,
                            large->size, "\"prefix\"", small->size);
    if (memcmp(prefix, small->root, LG_HASH) == 0)
        return lg_error_set(LEDGER_EPROOF,
                            "fork report: the checkpoints are consistent (size %" PRIu64
                            " is a prefix of size %" PRIu64 ")",
                            small->size, large->size);
    *out = fi;
    return 0;
}
