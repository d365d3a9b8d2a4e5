/*
 * keyfile.h (internal) - secret key files (format: keyfile.c, docs/FORMATS.md).
 *
 * The public entry points are ledger_key_save(), ledger_key_load() and
 * ledger_key_file_encrypted() in attrledger/key.h. This header exposes the
 * pure decoder (no file I/O) for the fuzz target and the tests, the format
 * constants, and a test-only knob for the Argon2id cost.
 */
#ifndef LG_KEYFILE_H
#define LG_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/key.h"

/* Line 1 of every version-1 key file, newline included. */
#define LG_KEYFILE_HEADER "attrledger secret key v1\n"

/* Largest file ledger_key_load() reads; a valid file is at most 554 bytes. */
#define LG_KEYFILE_FILE_MAX 4096

/* Values of the blob's kdf byte. */
#define LG_KEYFILE_KDF_NONE 0     /* unencrypted: sealed under an all-zero key */
#define LG_KEYFILE_KDF_ARGON2ID 1 /* Argon2id v1.3 */

/*
 * Decode key file text (the whole file) into a key. Pure apart from
 * Argon2id: no I/O. passphrase is ignored for unencrypted files; for an
 * encrypted file a NULL passphrase fails with LEDGER_EPASSPHRASE before the
 * KDF runs (fuzzers pass NULL to stay fast).
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EVERSION, LEDGER_EPASSPHRASE,
 *         LEDGER_ENOMEM. The message does not name a file.
 */
int lg_keyfile_decode(ledger_key **out, const uint8_t *text, size_t len, const char *passphrase,
                      size_t pass_len);

/*
 * Parse key file text without decrypting; *kdf_out gets the kdf byte.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EVERSION.
 */
int lg_keyfile_inspect(uint8_t *kdf_out, const uint8_t *text, size_t len);

/*
 * TEST ONLY. Make ledger_key_save() use these Argon2id limits instead of
 * lg_argon2id_ops_moderate()/lg_argon2id_mem_moderate(), so tests can use
 * lg_argon2id_ops_min()/lg_argon2id_mem_min() and run in milliseconds.
 * (0, 0) restores the defaults. Process-wide and not thread-safe; the
 * library never calls it. Loading is unaffected: files are still accepted
 * only with limits within [min, max].
 */
void lg_keyfile_set_test_params(uint64_t opslimit, uint64_t memlimit);

#endif
