/*
 * note.c - C2SP signed notes: the text rules, parsing, verification,
 * signing (type 0x01 signatures and cosignature/v1 lines) and merging
 * signature lines. Also defines the text primitives of note_int.h, which
 * checkpoint.c (checkpoint bodies), note_key.c (key strings) and receipt.c
 * (tlog-proof receipts) build on.
 *
 * Specs followed: C2SP signed-note v1.0.0 (with Go golang.org/x/mod/sumdb/note
 * as the reference behaviour) and tlog-cosignature v1.0.1 (cosignature/v1,
 * type 0x04). docs: reference/transparency-formats.md 2.5, 2.8.
 *
 * Method. Every input is untrusted text. Parsers walk it once, left to
 * right, with no recursion and no allocation proportional to anything but
 * the (bounded) input size: a note is at most LG_NOTE_MAX bytes and at most
 * LG_NOTE_MAX_SIGS signature lines. Base64 is decoded strictly (one
 * encoding per byte string), so no field can be re-encoded without breaking
 * a signature or being rejected. Errors are LEDGER_EFORMAT with
 * "<what> line N: <problem>".
 *
 * Verification rules (signed-note 2.5): a signature belongs to a known key
 * only when both its name and its 4-byte key ID match; unknown signatures
 * are ignored (that is how witnesses and key rotation layer onto one note);
 * a known key whose signature fails rejects the whole note; at least one
 * known key must verify. Unlike Go, which verifies only the first signature
 * per key, every known-key signature is verified, so a note cannot carry a
 * bad signature next to a good one from the same key.
 *
 * All signing and hashing goes through crypto.h; this file never sees
 * libsodium.
 */
#include "tlog/note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/bigendian.h"
#include "crypto/crypto.h"
#include "base/error.h"
#include "tlog/note_int.h"

/* U+2014 EM DASH then a space: the start of every signature line. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4

static const char cosig_label[] = "cosignature/v1\ntime ";

#define COSIG_LEN LG_NOTE_COSIG_LEN
#define TIMESTAMP_MAX LG_NOTE_TIMESTAMP_MAX

/* ---- small helpers ---- */

/* Length of the valid UTF-8 sequence at s (no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0 when invalid. */
static size_t
utf8_seq(const uint8_t *s, size_t len)
{
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0) {
        if (len < 2 || (s[1] & 0xc0) != 0x80)
            return 0;
        cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        return cp >= 0x80 ? 2 : 0;
    }
    if ((s[0] & 0xf0) == 0xe0) {
        if (len < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        return (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) ? 3 : 0;
    }
    if ((s[0] & 0xf8) == 0xf0) {
        if (len < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
             (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        return (cp >= 0x10000 && cp <= 0x10ffff) ? 4 : 0;
    }
    return 0;
}

/*
 * The signed-note character rules, shared by notes, checkpoints and lines:
 * valid UTF-8 and no ASCII control character other than '\n' (so no CR, no
 * tab, no NUL; the Go reference allows DEL, and so do we).
 */
int
lg_note_check_chars(const uint8_t *p, size_t len, const char *what)
{
    size_t line = 1;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] == '\n') {
            line++;
            i++;
            continue;
        }
        if (p[i] < 0x20)
            return lg_error_set(LEDGER_EFORMAT, "%s line %zu: control character 0x%02x", what, line,
                                p[i]);
        n = utf8_seq(p + i, len - i);
        if (n == 0)
            return lg_error_set(LEDGER_EFORMAT, "%s line %zu: invalid UTF-8", what, line);
        i += n;
    }
    return 0;
}

/*
 * The next '\n'-terminated line of p[*pos .. len). Returns 1 and sets the
 * line (without its newline), 0 at the end of input, -1 when the rest has
 * no newline.
 */
int
lg_note_next_line(const uint8_t **line, size_t *line_len, const uint8_t *p, size_t len, size_t *pos)
{
    const uint8_t *nl;

    if (*pos >= len)
        return 0;
    nl = memchr(p + *pos, '\n', len - *pos);
    if (nl == NULL)
        return -1;
    *line = p + *pos;
    *line_len = (size_t)(nl - (p + *pos));
    *pos += *line_len + 1;
    return 1;
}

/*
 * Strict base64 decode that keeps the first `cap` bytes of the result and
 * reports the full decoded length. Decoding one 4-character group at a time
 * lets us validate signatures of any size (an unknown post-quantum signer
 * may use kilobytes) without allocating. '=' is only allowed in the last
 * group; lg_b64_decode() enforces canonical padding bits. Empty input is
 * rejected. Returns 0 or -1.
 */
int
lg_note_b64_decode_prefix(uint8_t *out, size_t cap, size_t *total, const char *in, size_t len)
{
    size_t o = 0;

    if (len == 0 || len % 4 != 0)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        uint8_t grp[3];
        size_t n = 0;

        if (i + 4 < len && memchr(in + i, '=', 4) != NULL)
            return -1;
        if (lg_b64_decode(grp, &n, in + i, 4) != 0)
            return -1;
        for (size_t k = 0; k < n; k++, o++) {
            if (o < cap)
                out[o] = grp[k];
        }
    }
    *total = o;
    return 0;
}

/* Decimal without leading zeros ("0" alone is fine) that fits uint64. */
int
lg_note_parse_u64(uint64_t *out, const uint8_t *s, size_t len)
{
    uint64_t v = 0;

    if (len == 0 || len > 20 || (s[0] == '0' && len > 1))
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned d;

        if (s[i] < '0' || s[i] > '9')
            return -1;
        d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

void
lg_note_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t
get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Length of a NUL-terminated name held in a LEDGER_NAME_MAX + 1 array, or
 * SIZE_MAX when it is not terminated inside the array. */
size_t
lg_note_name_len(const char *name)
{
    const char *nul = memchr(name, '\0', LEDGER_NAME_MAX + 1);

    return nul == NULL ? SIZE_MAX : (size_t)(nul - name);
}

int
lg_note_sigtype_supported(uint8_t type)
{
    return type == LEDGER_SIGTYPE_ED25519 || type == LEDGER_SIGTYPE_COSIGNATURE;
}

/* Exactly the 44 characters of a base64 SHA-256 hash. */
int
lg_note_decode_hash(lg_hash out, const uint8_t *s, size_t len)
{
    size_t got = 0;

    if (len != LG_HASH_B64_LEN ||
        lg_note_b64_decode_prefix(out, LG_HASH, &got, (const char *)s, len) != 0 || got != LG_HASH)
        return -1;
    return 0;
}

/* ---- signed notes: parsing ---- */

/*
 * Parse one signature line (without its newline) into `sig`. `what` and
 * `lineno` only shape the error message.
 */
static int
parse_sig_line(lg_note_sig *sig, const uint8_t *line, size_t len, const char *what, size_t lineno)
{
    uint8_t head[4 + sizeof sig->sig];
    const uint8_t *name, *b64, *sp;
    size_t nlen, blen, total = 0;

    if (len < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0)
        return lg_error_set(LEDGER_EFORMAT,
                            "%s line %zu: signature line must start with \"\xe2\x80\x94 \"", what,
                            lineno);
    name = line + SIG_PREFIX_LEN;
    sp = memchr(name, ' ', len - SIG_PREFIX_LEN);
    if (sp == NULL)
        return lg_error_set(LEDGER_EFORMAT, "%s line %zu: signature line has no signature", what,
                            lineno);
    nlen = (size_t)(sp - name);
    b64 = sp + 1;
    blen = len - SIG_PREFIX_LEN - nlen - 1;
    if (!lg_key_name_valid((const char *)name, nlen))
        return lg_error_set(LEDGER_EFORMAT, "%s line %zu: invalid key name", what, lineno);
    if (lg_note_b64_decode_prefix(head, sizeof head, &total, (const char *)b64, blen) != 0)
        return lg_error_set(LEDGER_EFORMAT, "%s line %zu: signature is not valid base64", what,
                            lineno);
    if (total < 5)
        return lg_error_set(LEDGER_EFORMAT, "%s line %zu: signature is shorter than 5 bytes", what,
                            lineno);
    memset(sig, 0, sizeof *sig);
    memcpy(sig->name, name, nlen);
    sig->name[nlen] = '\0';
    sig->id = get_be32(head);
    sig->sig_len = total - 4;
    memcpy(sig->sig, head + 4, sig->sig_len < sizeof sig->sig ? sig->sig_len : sizeof sig->sig);
    sig->line = (const char *)line;
    sig->line_len = len + 1;
    return 0;
}

/* Is this exact line already among the note's signatures? */
static int
have_line(const lg_note *n, const uint8_t *line, size_t line_len)
{
    for (size_t i = 0; i < n->n_sigs; i++) {
        if (n->sigs[i].line_len == line_len && memcmp(n->sigs[i].line, line, line_len) == 0)
            return 1;
    }
    return 0;
}

int
lg_note_parse(lg_note **out, const uint8_t *msg, size_t len)
{
    lg_note *n = NULL;
    size_t split, pos, lineno, count = 0;
    int rc;

    if (out == NULL || (msg == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "note: missing argument");
    *out = NULL;
    if (len == 0)
        return lg_error_set(LEDGER_EFORMAT, "note is empty");
    if (len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EFORMAT, "note is %zu bytes, max %u", len, LG_NOTE_MAX);
    if ((rc = lg_note_check_chars(msg, len, "note")) < 0)
        return rc;

    /* The text ends at the LAST blank line: the text may contain blank
     * lines of its own, signature lines never do. */
    split = len;
    for (size_t i = len - 1; i > 0; i--) {
        if (msg[i] == '\n' && msg[i - 1] == '\n') {
            split = i - 1;
            break;
        }
    }
    if (split == len)
        return lg_error_set(LEDGER_EFORMAT, "note has no blank line before its signatures");

    /* 1-based number of the first signature line. */
    lineno = 2;
    for (size_t i = 0; i <= split; i++)
        lineno += msg[i] == '\n';
    if (split + 2 == len)
        return lg_error_set(LEDGER_EFORMAT, "note line %zu: no signature lines", lineno);
    if (msg[len - 1] != '\n') {
        size_t last = lineno;

        for (size_t i = split + 2; i < len; i++)
            last += msg[i] == '\n';
        return lg_error_set(LEDGER_EFORMAT, "note line %zu: signature line must end with a newline",
                            last);
    }

    n = lg_calloc(1, sizeof *n);
    if (n == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    n->buf = lg_malloc(len);
    if (n->buf == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    memcpy(n->buf, msg, len);
    n->len = len;
    n->text_len = split + 1;

    pos = split + 2;
    for (;; lineno++) {
        const uint8_t *line = NULL;
        size_t line_len = 0;
        lg_note_sig sig;

        if (lg_note_next_line(&line, &line_len, n->buf, len, &pos) == 0)
            break; /* the last byte is '\n', so -1 cannot happen */
        /* Count every line, duplicates included, so a flood of copies
         * cannot make us spend unbounded time (Go counts the same way). */
        if (++count > LG_NOTE_MAX_SIGS) {
            rc = lg_error_set(LEDGER_EFORMAT, "note line %zu: more than %d signatures", lineno,
                              LG_NOTE_MAX_SIGS);
            goto done;
        }
        if ((rc = parse_sig_line(&sig, line, line_len, "note", lineno)) < 0)
            goto done;
        if (have_line(n, line, line_len + 1))
            continue; /* identical duplicate: collapse */
        n->sigs[n->n_sigs++] = sig;
    }
    *out = n;
    n = NULL;
    rc = 0;
done:
    lg_note_free(n);
    return rc;
}

void
lg_note_free(lg_note *note)
{
    if (note == NULL)
        return;
    lg_free(note->buf);
    lg_free(note);
}

/* ---- signed notes: verification ---- */

long
lg_note_sig_key(const lg_note_sig *sig, const ledger_vkey *keys, size_t n_keys)
{
    if (sig == NULL || keys == NULL)
        return -1;
    for (size_t k = 0; k < n_keys; k++) {
        if (keys[k].note_id == sig->id && strcmp(keys[k].name, sig->name) == 0)
            return (long)k;
    }
    return -1;
}

int
lg_note_cosig_message(uint8_t **out, size_t *out_len, const uint8_t *body, size_t body_len, uint64_t ts)
{
    char head[sizeof cosig_label + 24];
    int hl = snprintf(head, sizeof head, "%s%" PRIu64 "\n", cosig_label, ts);
    uint8_t *m;

    if (hl < 0 || (size_t)hl >= sizeof head || body_len > SIZE_MAX - (size_t)hl)
        return lg_error_set(LEDGER_EINVAL, "cosignature message too large");
    m = lg_malloc((size_t)hl + body_len);
    if (m == NULL)
        return lg_error_nomem();
    memcpy(m, head, (size_t)hl);
    if (body_len > 0)
        memcpy(m + hl, body, body_len);
    *out = m;
    *out_len = (size_t)hl + body_len;
    return 0;
}

/*
 * Verify one signature with its (name+ID matched) key. Returns 0,
 * LEDGER_EBADSIG without a message, or LEDGER_ENOMEM with one.
 */
static int
verify_one(uint64_t *ts_out, const lg_note *note, const lg_note_sig *sig, const ledger_vkey *vk)
{
    uint8_t *msg = NULL;
    size_t msg_len = 0;
    uint64_t ts;
    int rc;

    switch (vk->type) {
    case LEDGER_SIGTYPE_ED25519:
        if (sig->sig_len != LG_ED25519_SIG)
            return LEDGER_EBADSIG;
        *ts_out = 0;
        return lg_ed25519_verify(sig->sig, note->buf, note->text_len, vk->public_key);
    case LEDGER_SIGTYPE_COSIGNATURE:
        if (sig->sig_len != COSIG_LEN)
            return LEDGER_EBADSIG;
        ts = lg_be_u64(sig->sig);
        if (ts > TIMESTAMP_MAX)
            return LEDGER_EBADSIG;
        if ((rc = lg_note_cosig_message(&msg, &msg_len, note->buf, note->text_len, ts)) < 0)
            return rc;
        rc = lg_ed25519_verify(sig->sig + 8, msg, msg_len, vk->public_key);
        lg_free(msg);
        if (rc == 0)
            *ts_out = ts;
        return rc;
    default:
        return LEDGER_EBADSIG; /* unreachable: types are checked first */
    }
}

int
lg_note_verify(const lg_note *note, const ledger_vkey *keys, size_t n_keys, int *verified_out,
               uint64_t *timestamps_out)
{
    size_t n_ok = 0;

    if (note == NULL || (keys == NULL && n_keys > 0))
        return lg_error_set(LEDGER_EINVAL, "note verify: missing argument");
    for (size_t k = 0; k < n_keys; k++) {
        if (verified_out != NULL)
            verified_out[k] = 0;
        if (timestamps_out != NULL)
            timestamps_out[k] = 0;
    }
    /* A configuration error, reported whatever the note holds: with two
     * keys under one name+ID we could not say which one a signature is
     * meant for (Go: "ambiguous key"). */
    for (size_t k = 0; k < n_keys; k++) {
        if (!lg_note_sigtype_supported(keys[k].type))
            return lg_error_set(LEDGER_EINVAL, "key %.64s: unsupported signature type 0x%02x",
                                keys[k].name, keys[k].type);
        if (lg_note_name_len(keys[k].name) == SIZE_MAX)
            return lg_error_set(LEDGER_EINVAL, "key %zu: name is not terminated", k);
        for (size_t j = 0; j < k; j++) {
            if (keys[j].note_id == keys[k].note_id && strcmp(keys[j].name, keys[k].name) == 0)
                return lg_error_set(LEDGER_EINVAL, "ambiguous key %s+%08" PRIx32, keys[k].name,
                                    keys[k].note_id);
        }
    }

    for (size_t i = 0; i < note->n_sigs; i++) {
        const lg_note_sig *sig = &note->sigs[i];
        long k = lg_note_sig_key(sig, keys, n_keys);
        uint64_t ts = 0;
        int rc;

        if (k < 0)
            continue; /* unknown signer: ignored, by design */
        rc = verify_one(&ts, note, sig, &keys[k]);
        if (rc == LEDGER_EBADSIG)
            return lg_error_set(LEDGER_EBADSIG, "invalid signature for key %s+%08" PRIx32,
                                sig->name, sig->id);
        if (rc < 0)
            return rc;
        if (verified_out != NULL)
            verified_out[k] = 1;
        if (timestamps_out != NULL && keys[k].type == LEDGER_SIGTYPE_COSIGNATURE)
            timestamps_out[k] = ts;
        n_ok++;
    }
    if (n_ok == 0)
        return lg_error_set(LEDGER_EBADSIG, "note has no verifiable signatures");
    return 0;
}

/* ---- signed notes: signing ---- */

/* The text of a note: non-empty, ends in '\n', the character rules. */
static int
check_note_text(const uint8_t *text, size_t len)
{
    if (len == 0 || text[len - 1] != '\n')
        return lg_error_set(LEDGER_EFORMAT, "note text must end with a newline");
    if (len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EFORMAT, "note text is %zu bytes, max %u", len, LG_NOTE_MAX);
    return lg_note_check_chars(text, len, "note text");
}

int
lg_note_emit_sig_line(ledger_buf *out, const uint8_t *pre, size_t pre_len, const char *name,
              const uint8_t *payload, size_t payload_len)
{
    size_t nlen = strlen(name);
    size_t blen = LG_B64_LEN(payload_len);
    size_t total;
    uint8_t *p;

    /* Every term is bounded (pre_len by LG_NOTE_MAX, the rest small). */
    if (pre_len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EINVAL, "note too large");
    total = pre_len + SIG_PREFIX_LEN + nlen + 1 + blen + 1;
    if (total > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EINVAL, "signed note would be %zu bytes, max %u", total,
                            LG_NOTE_MAX);
    p = lg_malloc(total + 1);
    if (p == NULL)
        return lg_error_nomem();
    if (pre_len > 0)
        memcpy(p, pre, pre_len);
    memcpy(p + pre_len, sig_prefix, SIG_PREFIX_LEN);
    memcpy(p + pre_len + SIG_PREFIX_LEN, name, nlen);
    p[pre_len + SIG_PREFIX_LEN + nlen] = ' ';
    lg_b64_encode((char *)p + pre_len + SIG_PREFIX_LEN + nlen + 1, payload, payload_len);
    p[total - 1] = '\n';
    p[total] = '\0';
    out->data = p;
    out->len = total;
    return 0;
}

int
lg_note_sign(ledger_buf *out, const uint8_t *text, size_t text_len, const ledger_key *key)
{
    uint8_t payload[4 + LG_ED25519_SIG];
    uint8_t *pre = NULL;
    int rc;

    if (out == NULL || key == NULL || (text == NULL && text_len > 0))
        return lg_error_set(LEDGER_EINVAL, "note sign: missing argument");
    if ((rc = check_note_text(text, text_len)) < 0)
        return rc;
    lg_note_put_be32(payload, lg_note_key_id(key->name, LEDGER_SIGTYPE_ED25519, key->pk));
    if ((rc = lg_ed25519_sign(payload + 4, text, text_len, key)) < 0)
        return rc;
    /* text + the blank line, then the signature line. */
    pre = lg_malloc(text_len + 1);
    if (pre == NULL)
        return lg_error_nomem();
    memcpy(pre, text, text_len);
    pre[text_len] = '\n';
    rc = lg_note_emit_sig_line(out, pre, text_len + 1, key->name, payload, sizeof payload);
    lg_free(pre);
    return rc;
}

int
lg_note_add_lines(ledger_buf *out, const uint8_t *note, size_t note_len, const uint8_t *lines,
                  size_t lines_len)
{
    lg_note *n = NULL, *check = NULL;
    uint8_t *res = NULL;
    size_t pos = 0, res_len, lineno = 1;
    int rc;

    if (out == NULL || (note == NULL && note_len > 0) || (lines == NULL && lines_len > 0))
        return lg_error_set(LEDGER_EINVAL, "note add lines: missing argument");
    if ((rc = lg_note_parse(&n, note, note_len)) < 0)
        goto done;
    if (lines_len > LG_NOTE_MAX) {
        rc = lg_error_set(LEDGER_EFORMAT, "signature lines are %zu bytes, max %u", lines_len,
                          LG_NOTE_MAX);
        goto done;
    }
    if ((rc = lg_note_check_chars(lines, lines_len, "signature")) < 0)
        goto done;
    if (lines_len > 0 && lines[lines_len - 1] != '\n') {
        rc = lg_error_set(LEDGER_EFORMAT, "signature lines must end with a newline");
        goto done;
    }
    /* note_len + lines_len <= 2 * LG_NOTE_MAX: no overflow. */
    res = lg_malloc(note_len + lines_len + 1);
    if (res == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    memcpy(res, note, note_len);
    res_len = note_len;
    for (;; lineno++) {
        const uint8_t *line = NULL;
        size_t line_len = 0;
        lg_note_sig sig;
        int dup = 0;

        if (lg_note_next_line(&line, &line_len, lines, lines_len, &pos) == 0)
            break;
        if ((rc = parse_sig_line(&sig, line, line_len, "signature", lineno)) < 0)
            goto done;
        dup = have_line(n, line, line_len + 1);
        /* Also drop repeats among the new lines themselves. */
        for (size_t off = note_len; !dup && off < res_len;) {
            const uint8_t *nl = memchr(res + off, '\n', res_len - off);
            size_t l = (size_t)(nl - (res + off)) + 1;

            dup = l == line_len + 1 && memcmp(res + off, line, l) == 0;
            off += l;
        }
        if (dup)
            continue;
        memcpy(res + res_len, line, line_len + 1);
        res_len += line_len + 1;
    }
    res[res_len] = '\0';
    /* The result must still be a note we accept (size, signature count). */
    if ((rc = lg_note_parse(&check, res, res_len)) < 0)
        goto done;
    out->data = res;
    out->len = res_len;
    res = NULL;
    rc = 0;
done:
    lg_note_free(check);
    lg_note_free(n);
    lg_free(res);
    return rc;
}
