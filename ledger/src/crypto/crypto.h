/*
 * crypto.h (internal) - the only door to libsodium.
 *
 * SHA-256, Ed25519, Argon2id, XChaCha20-Poly1305, randomness, guarded
 * memory and constant-time comparison. Everything else in the library calls
 * these wrappers, so the crypto provider can be audited (or replaced) here.
 */
#ifndef LG_CRYPTO_H
#define LG_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/key.h"

#define LG_SHA256_SIZE 32
#define LG_ED25519_PK 32
#define LG_ED25519_SK 64
#define LG_ED25519_SIG 64
#define LG_SEED_SIZE 32

/* Domain separation for record signatures (DESIGN.md section 3). */
#define LG_RECORD_SIG_CONTEXT "attrledger/v1/record\n"

/* The secret key behind the public opaque type. sk lives in sodium_malloc. */
struct ledger_key {
    char name[LEDGER_NAME_MAX + 1];
    uint8_t pk[LG_ED25519_PK];
    uint8_t *sk; /* 64 bytes: seed || pk, guarded memory */
};

/* sodium_init(); called by ledger_init(). */
int lg_crypto_init(void);
/* libsodium's version string (static). */
const char *lg_crypto_version(void);

void lg_sha256(uint8_t out[32], const uint8_t *data, size_t len);

/* Incremental SHA-256; the state is opaque storage big enough for sodium's. */
typedef struct {
    _Alignas(16) uint8_t opaque[128];
} lg_sha256_ctx;
void lg_sha256_init(lg_sha256_ctx *ctx);
void lg_sha256_update(lg_sha256_ctx *ctx, const uint8_t *data, size_t len);
void lg_sha256_final(lg_sha256_ctx *ctx, uint8_t out[32]);

/* Ed25519 detached signatures (RFC 8032). Verify returns 0 or LEDGER_EBADSIG
 * (without setting a message: the caller knows what was being checked). */
int lg_ed25519_sign(uint8_t sig[64], const uint8_t *msg, size_t len, const ledger_key *key);
int lg_ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
                      const uint8_t pk[32]);

/* Sign / verify "attrledger/v1/record\n" || record. */
int lg_record_sign(uint8_t sig[64], const uint8_t *record, size_t len, const ledger_key *key);
int lg_record_verify(const uint8_t sig[64], const uint8_t *record, size_t len,
                     const uint8_t pk[32]);

/* Public key from a seed. */
void lg_ed25519_seed_pk(uint8_t pk[32], const uint8_t seed[32]);

void lg_random(uint8_t *out, size_t len);

/* Keyed BLAKE2b with a 16-byte output (a PRF for in-memory checks). */
void lg_keyed_hash16(uint8_t out[16], const uint8_t *msg, size_t len, const uint8_t key[32]);

/* Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13). Returns 0,
 * LEDGER_ENOMEM or LEDGER_EINVAL (limits out of range). */
#define LG_ARGON2_SALT 16
int lg_argon2id(uint8_t *out, size_t out_len, const char *pass, size_t pass_len,
                const uint8_t salt[LG_ARGON2_SALT], uint64_t opslimit, uint64_t memlimit);
uint64_t lg_argon2id_ops_moderate(void);
uint64_t lg_argon2id_mem_moderate(void);
uint64_t lg_argon2id_ops_min(void);
uint64_t lg_argon2id_mem_min(void);
uint64_t lg_argon2id_ops_max(void);
uint64_t lg_argon2id_mem_max(void);

/* XChaCha20-Poly1305 IETF AEAD. ct = len + 16 bytes. Open returns 0 or -1. */
#define LG_AEAD_KEY 32
#define LG_AEAD_NONCE 24
#define LG_AEAD_TAG 16
void lg_aead_seal(uint8_t *ct, const uint8_t *pt, size_t len, const uint8_t *ad, size_t ad_len,
                  const uint8_t nonce[24], const uint8_t key[32]);
int lg_aead_open(uint8_t *pt, const uint8_t *ct, size_t ct_len, const uint8_t *ad, size_t ad_len,
                 const uint8_t nonce[24], const uint8_t key[32]);

/* Guarded memory for secrets. */
void *lg_secure_alloc(size_t len);
void lg_secure_free(void *p);
void lg_memzero(void *p, size_t len);

/* The 32-byte seed of a key (guarded memory owned by the key), for keyfile.c. */
const uint8_t *lg_key_seed(const ledger_key *key);

/* Constant-time equality: 1 if equal, 0 otherwise. */
int lg_ct_equal(const void *a, const void *b, size_t len);

/* Key names (C2SP signed-note): non-empty, <= 255 bytes, valid UTF-8 without
 * Unicode whitespace or '+'. Returns 1 when valid. */
int lg_key_name_valid(const char *name, size_t len);

/* C2SP note key ID: SHA-256(name || 0x0A || type || pk)[:4], big-endian. */
uint32_t lg_note_key_id(const char *name, uint8_t type, const uint8_t pk[32]);

#endif
