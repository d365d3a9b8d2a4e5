/*
 * key.h - Ed25519 signing keys, key files and C2SP verifier keys.
 *
 * A ledger_key is a secret key with a name. The seed lives in guarded
 * memory (sodium_malloc) and is wiped when the key is freed; it never leaves
 * the library. Key files (docs/FORMATS.md; crypto/ in docs/ARCHITECTURE.md) seal the seed
 * with XChaCha20-Poly1305 under an Argon2id-derived key; the header is
 * authenticated data. They are created with mode 0600 and never overwritten
 * without LEDGER_KEY_FORCE.
 *
 * A ledger_vkey is public data: a C2SP signed-note verifier key
 * (`name+hex8+base64(type||key)`). Public key files (`FILE.pub`) hold exactly
 * one such line, with signature type 0x01 (Ed25519).
 */
#ifndef ATTRLEDGER_KEY_H
#define ATTRLEDGER_KEY_H

#include "buf.h"
#include "common.h"

/** Opaque secret key (Ed25519 seed + name). */
typedef struct ledger_key ledger_key;

/** Signature types of C2SP signed notes that this library understands. */
#define LEDGER_SIGTYPE_ED25519 0x01     /**< note signature (checkpoints) */
#define LEDGER_SIGTYPE_COSIGNATURE 0x04 /**< tlog-cosignature/v1 (witnesses) */

/** A parsed C2SP verifier key: plain data, copy freely. */
typedef struct {
    char name[LEDGER_NAME_MAX + 1];          /**< key name, NUL-terminated */
    uint8_t type;                            /**< LEDGER_SIGTYPE_* */
    uint32_t note_id;                        /**< 4-byte note key ID */
    uint8_t public_key[LEDGER_PUBKEY_SIZE];  /**< Ed25519 public key */
} ledger_vkey;

/** ledger_key_save() flags. */
#define LEDGER_KEY_FORCE 0x1u /**< replace an existing file */

/**
 * Generate a new random key.
 *
 * @param[out] out   the new key; free with ledger_key_free()
 * @param[in]  name  key name: 1-255 bytes, no whitespace, no '+'
 * @return 0, LEDGER_EINVAL (bad name), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_key_generate(ledger_key **out, const char *name);

/**
 * Make a key from a 32-byte Ed25519 seed (RFC 8032), for tests and vectors.
 *
 * @return 0, LEDGER_EINVAL (bad name), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_key_from_seed(ledger_key **out, const char *name,
                                    const uint8_t seed[32]);

/** Wipe and free a key. Accepts NULL. */
LEDGER_API void ledger_key_free(ledger_key *key);

/** The key's name; valid until ledger_key_free(). */
LEDGER_API const char *ledger_key_name(const ledger_key *key);

/** Copy the 32-byte Ed25519 public key. */
LEDGER_API void ledger_key_public(uint8_t out[LEDGER_PUBKEY_SIZE], const ledger_key *key);

/** The record key ID: SHA-256 of the 32-byte public key. */
LEDGER_API void ledger_key_id(uint8_t out[LEDGER_HASH_SIZE], const ledger_key *key);

/**
 * The key's public half as a verifier key of the given signature type
 * (LEDGER_SIGTYPE_ED25519 for logs and members, LEDGER_SIGTYPE_COSIGNATURE
 * for witnesses).
 */
LEDGER_API void ledger_key_vkey(ledger_vkey *out, const ledger_key *key, uint8_t type);

/**
 * Write a secret key file.
 *
 * @param[in] key        the key
 * @param[in] path       file to create (O_EXCL unless LEDGER_KEY_FORCE; mode 0600)
 * @param[in] passphrase passphrase bytes, or NULL to write an unencrypted key
 * @param[in] pass_len   length of passphrase
 * @param[in] flags      0 or LEDGER_KEY_FORCE
 * @return 0, LEDGER_EEXISTS (file exists), LEDGER_EIO (including a symbolic
 *         link at path, which is never written through or replaced),
 *         LEDGER_EINVAL (unknown flags), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_key_save(const ledger_key *key, const char *path,
                               const char *passphrase, size_t pass_len, unsigned flags);

/**
 * Read a secret key file.
 *
 * Refuses files that are not regular files or grant any access to group or
 * others (LEDGER_EIO with a message telling the user to chmod 600). The
 * key's name is the name stored in the file.
 *
 * @param[out] out        the key; free with ledger_key_free()
 * @param[in]  passphrase passphrase bytes (ignored for unencrypted files; may be NULL)
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EIO, LEDGER_EFORMAT, LEDGER_EVERSION,
 *         LEDGER_EPASSPHRASE (wrong passphrase or tampered file), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_key_load(ledger_key **out, const char *path,
                               const char *passphrase, size_t pass_len);

/**
 * Tell whether a key file needs a passphrase, without decrypting it.
 * The same file checks as ledger_key_load() apply.
 *
 * @param[out] encrypted_out  1 when a passphrase is needed, 0 when not
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EIO, LEDGER_EFORMAT, LEDGER_EVERSION.
 */
LEDGER_API int ledger_key_file_encrypted(int *encrypted_out, const char *path);

/**
 * Format a verifier key string (`name+hex8+base64`), NUL-terminated.
 *
 * @return 0, LEDGER_EINVAL (invalid name, unsupported type, or note_id not
 *         matching name, type and key), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_vkey_format(ledger_buf *out, const ledger_vkey *vkey);

/**
 * Parse a verifier key string. Surrounding whitespace is not accepted,
 * except one trailing newline.
 *
 * Accepted types: LEDGER_SIGTYPE_ED25519 and LEDGER_SIGTYPE_COSIGNATURE,
 * each with a 32-byte Ed25519 key; the key ID is recomputed and checked.
 *
 * @return 0, LEDGER_EFORMAT (bad name, bad hex, key ID mismatch, unknown
 *         type, wrong key length), LEDGER_EINVAL (NULL argument).
 */
LEDGER_NODISCARD LEDGER_API int ledger_vkey_parse(ledger_vkey *out, const char *text, size_t len);

/**
 * Write FILE.pub: the key's Ed25519 verifier key string and a newline.
 *
 * @return 0, LEDGER_EEXISTS, LEDGER_EIO.
 */
LEDGER_API int ledger_vkey_save(const ledger_vkey *vkey, const char *path, unsigned flags);

/**
 * Read a verifier key file (one vkey line).
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EIO, LEDGER_EFORMAT.
 */
LEDGER_NODISCARD LEDGER_API int ledger_vkey_load(ledger_vkey *out, const char *path);

/** Record key ID of a verifier key: SHA-256 of its public key. */
LEDGER_API void ledger_vkey_key_id(uint8_t out[LEDGER_HASH_SIZE], const ledger_vkey *vkey);

#endif
