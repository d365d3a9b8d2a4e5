/*
 * crypto.c - wrappers over libsodium (the only file that includes sodium.h).
 *
 * Algorithms: SHA-256 (FIPS 180-4), Ed25519 (RFC 8032, libsodium's
 * crypto_sign_detached, which rejects non-canonical and small-order keys
 * and signatures), Argon2id v1.3 (RFC 9106), XChaCha20-Poly1305 IETF.
 * Secret keys live in sodium_malloc memory, wiped and freed by sodium_free.
 */
#include "crypto/crypto.h"

#include <string.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/error.h"

_Static_assert(sizeof(lg_sha256_ctx) >= sizeof(crypto_hash_sha256_state),
               "lg_sha256_ctx too small");

const char *
lg_crypto_version(void)
{
    return sodium_version_string();
}

int
lg_crypto_init(void)
{
    if (sodium_init() < 0)
        return lg_error_set(LEDGER_ERROR, "libsodium failed to initialise");
    return 0;
}

void
lg_sha256(uint8_t out[32], const uint8_t *data, size_t len)
{
    crypto_hash_sha256(out, data, len);
}

void
lg_sha256_init(lg_sha256_ctx *ctx)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)ctx->opaque);
}

void
lg_sha256_update(lg_sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)ctx->opaque, data, len);
}

void
lg_sha256_final(lg_sha256_ctx *ctx, uint8_t out[32])
{
    crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)ctx->opaque, out);
}

int
lg_ed25519_sign(uint8_t sig[64], const uint8_t *msg, size_t len, const ledger_key *key)
{
    if (crypto_sign_detached(sig, NULL, msg, len, key->sk) != 0)
        return lg_error_set(LEDGER_ERROR, "ed25519 signing failed");
    return 0;
}

int
lg_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : LEDGER_EBADSIG;
}

/*
 * The record signature covers a context string and the record bytes. We
 * hash nothing first: Ed25519 already hashes its input, and streaming the
 * two parts through crypto_sign's multi-part API would make it Ed25519ph,
 * a different algorithm. So the message is built in one buffer.
 */
static uint8_t *
record_message(const uint8_t *record, size_t len, size_t *msg_len)
{
    size_t clen = sizeof LG_RECORD_SIG_CONTEXT - 1;
    uint8_t *m;

    if (len > SIZE_MAX - clen)
        return NULL;
    m = lg_malloc(clen + len);
    if (m == NULL)
        return NULL;
    memcpy(m, LG_RECORD_SIG_CONTEXT, clen);
    if (len > 0)
        memcpy(m + clen, record, len);
    *msg_len = clen + len;
    return m;
}

int
lg_record_sign(uint8_t sig[64], const uint8_t *record, size_t len, const ledger_key *key)
{
    size_t mlen;
    uint8_t *m = record_message(record, len, &mlen);
    int rc;

    if (m == NULL)
        return lg_error_nomem();
    rc = lg_ed25519_sign(sig, m, mlen, key);
    lg_free(m);
    return rc;
}

int
lg_record_verify(const uint8_t sig[64], const uint8_t *record, size_t len, const uint8_t pk[32])
{
    size_t mlen;
    uint8_t *m = record_message(record, len, &mlen);
    int rc;

    if (m == NULL)
        return lg_error_nomem();
    rc = lg_ed25519_verify(sig, m, mlen, pk);
    lg_free(m);
    return rc;
}

void
lg_ed25519_seed_pk(uint8_t pk[32], const uint8_t seed[32])
{
    uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);

    if (sk == NULL) {
        /* Guarded memory exhausted: fall back to the stack and wipe it. */
        uint8_t tmp[crypto_sign_SECRETKEYBYTES];
        crypto_sign_seed_keypair(pk, tmp, seed);
        sodium_memzero(tmp, sizeof tmp);
        return;
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_free(sk);
}

void
lg_random(uint8_t *out, size_t len)
{
    randombytes_buf(out, len);
}

void
lg_keyed_hash16(uint8_t out[16], const uint8_t *msg, size_t len, const uint8_t key[32])
{
    crypto_generichash(out, 16, msg, len, key, 32);
}

int
lg_argon2id(uint8_t *out, size_t out_len, const char *pass, size_t pass_len,
            const uint8_t salt[LG_ARGON2_SALT], uint64_t opslimit, uint64_t memlimit)
{
    if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_MAX ||
        memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > crypto_pwhash_MEMLIMIT_MAX)
        return lg_error_set(LEDGER_EINVAL, "argon2id limits out of range");
    if (crypto_pwhash(out, out_len, pass, pass_len, salt, opslimit, (size_t)memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return lg_error_set(LEDGER_ENOMEM, "argon2id: out of memory");
    return 0;
}

uint64_t
lg_argon2id_ops_moderate(void)
{
    return crypto_pwhash_OPSLIMIT_MODERATE;
}

uint64_t
lg_argon2id_mem_moderate(void)
{
    return crypto_pwhash_MEMLIMIT_MODERATE;
}

uint64_t
lg_argon2id_ops_min(void)
{
    return crypto_pwhash_OPSLIMIT_MIN;
}

uint64_t
lg_argon2id_mem_min(void)
{
    return crypto_pwhash_MEMLIMIT_MIN;
}

uint64_t
lg_argon2id_ops_max(void)
{
    return crypto_pwhash_OPSLIMIT_SENSITIVE;
}

uint64_t
lg_argon2id_mem_max(void)
{
    return crypto_pwhash_MEMLIMIT_SENSITIVE;
}

void
lg_aead_seal(uint8_t *ct, const uint8_t *pt, size_t len, const uint8_t *ad, size_t ad_len,
             const uint8_t nonce[24], const uint8_t key[32])
{
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, pt, len, ad, ad_len, NULL, nonce, key);
}

int
lg_aead_open(uint8_t *pt, const uint8_t *ct, size_t ct_len, const uint8_t *ad, size_t ad_len,
             const uint8_t nonce[24], const uint8_t key[32])
{
    return crypto_aead_xchacha20poly1305_ietf_decrypt(pt, NULL, NULL, ct, ct_len, ad, ad_len,
                                                      nonce, key) == 0
               ? 0
               : -1;
}

void *
lg_secure_alloc(size_t len)
{
    return sodium_malloc(len);
}

void
lg_secure_free(void *p)
{
    if (p != NULL)
        sodium_free(p);
}

void
lg_memzero(void *p, size_t len)
{
    sodium_memzero(p, len);
}

int
lg_ct_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

/* Decode one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0 && len >= 2 && (s[1] & 0xc0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        return *cp >= 0x80 ? 2 : 0;
    }
    if ((s[0] & 0xf0) == 0xe0 && len >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        return (*cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff)) ? 3 : 0;
    }
    if ((s[0] & 0xf8) == 0xf0 && len >= 4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
        (s[3] & 0xc0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
              (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        return (*cp >= 0x10000 && *cp <= 0x10ffff) ? 4 : 0;
    }
    return 0;
}

static int
is_unicode_space(uint32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

int
lg_key_name_valid(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;

    if (len == 0 || len > LEDGER_NAME_MAX)
        return 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_next(s + i, len - i, &cp);

        if (n == 0 || cp < 0x20 || cp == 0x7f || cp == '+' || is_unicode_space(cp))
            return 0;
        i += n;
    }
    return 1;
}

uint32_t
lg_note_key_id(const char *name, uint8_t type, const uint8_t pk[32])
{
    crypto_hash_sha256_state st;
    uint8_t h[32];
    uint8_t sep[2] = {'\n', type};

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
    crypto_hash_sha256_update(&st, sep, 2);
    crypto_hash_sha256_update(&st, pk, 32);
    crypto_hash_sha256_final(&st, h);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* ---- ledger_key: the opaque secret key ---- */

static int
key_new(ledger_key **out, const char *name)
{
    ledger_key *k;
    size_t len;

    if (out == NULL || name == NULL)
        return lg_error_set(LEDGER_EINVAL, "key: missing argument");
    len = strlen(name);
    if (!lg_key_name_valid(name, len))
        return lg_error_set(LEDGER_EINVAL,
                            "invalid key name \"%.64s\": 1-255 bytes, no spaces, no '+'", name);
    k = lg_calloc(1, sizeof *k);
    if (k == NULL)
        return lg_error_nomem();
    k->sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    if (k->sk == NULL) {
        lg_free(k);
        return lg_error_nomem();
    }
    memcpy(k->name, name, len + 1);
    *out = k;
    return 0;
}

int
ledger_key_generate(ledger_key **out, const char *name)
{
    uint8_t seed[32];
    int rc;

    randombytes_buf(seed, sizeof seed);
    rc = ledger_key_from_seed(out, name, seed);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int
ledger_key_from_seed(ledger_key **out, const char *name, const uint8_t seed[32])
{
    ledger_key *k = NULL;
    int rc;

    if ((rc = key_new(&k, name)) < 0)
        return rc;
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    *out = k;
    return 0;
}

void
ledger_key_free(ledger_key *key)
{
    if (key == NULL)
        return;
    sodium_free(key->sk);
    lg_free(key);
}

const char *
ledger_key_name(const ledger_key *key)
{
    return key->name;
}

void
ledger_key_public(uint8_t out[LEDGER_PUBKEY_SIZE], const ledger_key *key)
{
    memcpy(out, key->pk, LEDGER_PUBKEY_SIZE);
}

void
ledger_key_id(uint8_t out[LEDGER_HASH_SIZE], const ledger_key *key)
{
    crypto_hash_sha256(out, key->pk, LEDGER_PUBKEY_SIZE);
}

void
ledger_key_vkey(ledger_vkey *out, const ledger_key *key, uint8_t type)
{
    memset(out, 0, sizeof *out);
    memcpy(out->name, key->name, strlen(key->name) + 1);
    out->type = type;
    memcpy(out->public_key, key->pk, 32);
    out->note_id = lg_note_key_id(key->name, type, key->pk);
}

void
ledger_vkey_key_id(uint8_t out[LEDGER_HASH_SIZE], const ledger_vkey *vkey)
{
    crypto_hash_sha256(out, vkey->public_key, LEDGER_PUBKEY_SIZE);
}


const uint8_t *
lg_key_seed(const ledger_key *key)
{
    return key->sk;
}
