/*
 * note_key.c - key strings for signed notes: C2SP verifier keys
 * ("name+hex8+base64(type||key)", types 0x01 and 0x04) and Go signer keys
 * ("PRIVATE+KEY+name+hex8+base64(0x01||seed)"), plus the public
 * ledger_vkey_parse/ledger_vkey_format wrappers (key.h).
 *
 * Specs followed: C2SP signed-note v1.0.0 (verifier keys) and Go's
 * golang.org/x/mod/sumdb/note signer key strings. docs:
 * reference/transparency-formats.md 2.6.
 *
 * Every key string is untrusted and bounded (KEY_STRING_MAX) before it is
 * decoded; the key ID is always recomputed and checked. Secrets (seeds) are
 * only touched by the skey functions, which wipe their temporaries and
 * never quote key material in messages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "attrledger/key.h"
#include "base/b64.h"
#include "crypto/crypto.h"
#include "base/error.h"
#include "tlog/note.h"
#include "tlog/note_int.h"

static const char skey_prefix[] = "PRIVATE+KEY+";

/* Key strings are short; anything longer is rejected before decoding. */
#define KEY_STRING_MAX 2048
/* Longest key material we decode from a vkey (ECDSA SPKI is ~91 bytes). */
#define KEY_MATERIAL_MAX 512

/* Exactly 8 lowercase hex digits (the form Go and C2SP write). */
static int
parse_hex8(uint32_t *out, const char *s, size_t len)
{
    uint32_t v = 0;

    if (len != 8)
        return -1;
    for (size_t i = 0; i < 8; i++) {
        uint32_t d;

        if (s[i] >= '0' && s[i] <= '9')
            d = (uint32_t)(s[i] - '0');
        else if (s[i] >= 'a' && s[i] <= 'f')
            d = (uint32_t)(s[i] - 'a' + 10);
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

typedef struct {
    const char *name;
    size_t name_len;
    uint32_t id;
    const char *b64;
    size_t b64_len;
} key_parts;

/* Split "name+hex8+base64" on the first two '+' (base64 may hold more). */
static int
split_key(key_parts *kp, const char *s, size_t len, const char *what)
{
    const char *p1, *p2;

    p1 = memchr(s, '+', len);
    if (p1 == NULL)
        return lg_error_set(LEDGER_EFORMAT, "%s: missing '+' after the key name", what);
    kp->name = s;
    kp->name_len = (size_t)(p1 - s);
    if (!lg_key_name_valid(kp->name, kp->name_len))
        return lg_error_set(LEDGER_EFORMAT, "%s: invalid key name", what);
    p2 = memchr(p1 + 1, '+', len - kp->name_len - 1);
    if (p2 == NULL)
        return lg_error_set(LEDGER_EFORMAT, "%s: missing '+' after the key ID", what);
    if (parse_hex8(&kp->id, p1 + 1, (size_t)(p2 - p1 - 1)) != 0)
        return lg_error_set(LEDGER_EFORMAT, "%s: key ID must be 8 lowercase hex digits", what);
    kp->b64 = p2 + 1;
    kp->b64_len = len - (size_t)(kp->b64 - s);
    if (kp->b64_len == 0)
        return lg_error_set(LEDGER_EFORMAT, "%s: empty key", what);
    return 0;
}

int
lg_vkey_parse(ledger_vkey *out, const char *s, size_t len)
{
    uint8_t key[KEY_MATERIAL_MAX];
    ledger_vkey vk;
    key_parts kp;
    size_t got = 0;
    uint32_t id;
    int rc;

    if (out == NULL || (s == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "vkey parse: missing argument");
    if (len > KEY_STRING_MAX)
        return lg_error_set(LEDGER_EFORMAT, "vkey is %zu bytes, max %d", len, KEY_STRING_MAX);
    if ((rc = split_key(&kp, s, len, "vkey")) < 0)
        return rc;
    if (lg_note_b64_decode_prefix(key, sizeof key, &got, kp.b64, kp.b64_len) != 0)
        return lg_error_set(LEDGER_EFORMAT, "vkey: key is not valid base64");
    if (!lg_note_sigtype_supported(key[0]))
        return lg_error_set(LEDGER_EFORMAT, "vkey: unsupported signature type 0x%02x", key[0]);
    if (got != 1 + LEDGER_PUBKEY_SIZE)
        return lg_error_set(LEDGER_EFORMAT, "vkey: key is %zu bytes, want %d", got - 1,
                            LEDGER_PUBKEY_SIZE);
    memset(&vk, 0, sizeof vk);
    memcpy(vk.name, kp.name, kp.name_len);
    vk.type = key[0];
    memcpy(vk.public_key, key + 1, LEDGER_PUBKEY_SIZE);
    id = lg_note_key_id(vk.name, vk.type, vk.public_key);
    if (id != kp.id)
        return lg_error_set(LEDGER_EFORMAT, "vkey: key ID %08" PRIx32 " does not match the key",
                            kp.id);
    vk.note_id = id;
    *out = vk;
    return 0;
}

int
lg_vkey_format(ledger_buf *out, const ledger_vkey *vk)
{
    uint8_t key[1 + LEDGER_PUBKEY_SIZE];
    size_t nlen, total;
    char *p;

    if (out == NULL || vk == NULL)
        return lg_error_set(LEDGER_EINVAL, "vkey format: missing argument");
    nlen = lg_note_name_len(vk->name);
    if (nlen == SIZE_MAX || !lg_key_name_valid(vk->name, nlen))
        return lg_error_set(LEDGER_EINVAL, "vkey format: invalid key name");
    if (!lg_note_sigtype_supported(vk->type))
        return lg_error_set(LEDGER_EINVAL, "vkey format: unsupported signature type 0x%02x",
                            vk->type);
    if (lg_note_key_id(vk->name, vk->type, vk->public_key) != vk->note_id)
        return lg_error_set(LEDGER_EINVAL, "vkey format: key ID does not match the key");
    key[0] = vk->type;
    memcpy(key + 1, vk->public_key, LEDGER_PUBKEY_SIZE);
    total = nlen + 1 + 8 + 1 + LG_B64_LEN(sizeof key);
    p = lg_malloc(total + 1);
    if (p == NULL)
        return lg_error_nomem();
    memcpy(p, vk->name, nlen);
    snprintf(p + nlen, 11, "+%08" PRIx32 "+", vk->note_id);
    lg_b64_encode(p + nlen + 10, key, sizeof key);
    out->data = (uint8_t *)p;
    out->len = total;
    return 0;
}

int
lg_skey_parse(ledger_key **out, const char *s, size_t len)
{
    const size_t plen = sizeof skey_prefix - 1;
    uint8_t key[1 + LG_SEED_SIZE];
    char name[LEDGER_NAME_MAX + 1];
    ledger_key *k = NULL;
    key_parts kp;
    size_t got = 0;
    int rc;

    if (out == NULL || (s == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "skey parse: missing argument");
    *out = NULL;
    if (len > KEY_STRING_MAX)
        return lg_error_set(LEDGER_EFORMAT, "skey is %zu bytes, max %d", len, KEY_STRING_MAX);
    if (len < plen || memcmp(s, skey_prefix, plen) != 0)
        return lg_error_set(LEDGER_EFORMAT, "skey must start with \"%s\"", skey_prefix);
    if ((rc = split_key(&kp, s + plen, len - plen, "skey")) < 0)
        return rc;
    /* Decode at most 33 bytes (the rest is only counted): the seed never
     * lands anywhere we do not wipe. */
    if (lg_note_b64_decode_prefix(key, sizeof key, &got, kp.b64, kp.b64_len) != 0) {
        rc = lg_error_set(LEDGER_EFORMAT, "skey: key is not valid base64");
        goto done;
    }
    if (key[0] != LEDGER_SIGTYPE_ED25519) {
        rc = lg_error_set(LEDGER_EFORMAT, "skey: unsupported signature type 0x%02x", key[0]);
        goto done;
    }
    if (got != sizeof key) {
        rc =
            lg_error_set(LEDGER_EFORMAT, "skey: seed is %zu bytes, want %d", got - 1, LG_SEED_SIZE);
        goto done;
    }
    memcpy(name, kp.name, kp.name_len);
    name[kp.name_len] = '\0';
    if ((rc = ledger_key_from_seed(&k, name, key + 1)) < 0)
        goto done;
    if (lg_note_key_id(name, LEDGER_SIGTYPE_ED25519, k->pk) != kp.id) {
        rc = lg_error_set(LEDGER_EFORMAT, "skey: key ID %08" PRIx32 " does not match the key",
                          kp.id);
        goto done;
    }
    *out = k;
    k = NULL;
    rc = 0;
done:
    lg_memzero(key, sizeof key);
    ledger_key_free(k);
    return rc;
}

int
lg_skey_format(ledger_buf *out, const ledger_key *key)
{
    const size_t plen = sizeof skey_prefix - 1;
    uint8_t raw[1 + LG_SEED_SIZE];
    size_t nlen, total;
    char *p;

    if (out == NULL || key == NULL)
        return lg_error_set(LEDGER_EINVAL, "skey format: missing argument");
    nlen = strlen(key->name);
    total = plen + nlen + 1 + 8 + 1 + LG_B64_LEN(sizeof raw);
    /* Plain heap memory: the caller wipes it (see note.h). */
    p = lg_malloc(total + 1);
    if (p == NULL)
        return lg_error_nomem();
    raw[0] = LEDGER_SIGTYPE_ED25519;
    memcpy(raw + 1, lg_key_seed(key), LG_SEED_SIZE);
    memcpy(p, skey_prefix, plen);
    memcpy(p + plen, key->name, nlen);
    snprintf(p + plen + nlen, 11, "+%08" PRIx32 "+",
             lg_note_key_id(key->name, LEDGER_SIGTYPE_ED25519, key->pk));
    lg_b64_encode(p + plen + nlen + 10, raw, sizeof raw);
    lg_memzero(raw, sizeof raw);
    out->data = (uint8_t *)p;
    out->len = total;
    return 0;
}

/* Public wrappers (key.h). */

int
ledger_vkey_format(ledger_buf *out, const ledger_vkey *vkey)
{
    return lg_vkey_format(out, vkey);
}

int
ledger_vkey_parse(ledger_vkey *out, const char *text, size_t len)
{
    /* Key files end in a newline; accept exactly one. */
    if (text != NULL && len > 0 && text[len - 1] == '\n')
        len--;
    return lg_vkey_parse(out, text, len);
}
