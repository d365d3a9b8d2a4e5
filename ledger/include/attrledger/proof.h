/*
 * proof.h - Merkle inclusion and consistency proofs (RFC 9162 section 2.1).
 *
 * Plain data: a proof carries everything needed to check it except trust
 * in the root, which comes from a verified checkpoint. Hashes are SHA-256,
 * ordered as RFC 9162's PATH and PROOF generate them (bottom-up).
 */
#ifndef ATTRLEDGER_PROOF_H
#define ATTRLEDGER_PROOF_H

#include "buf.h"
#include "common.h"

typedef struct {
    uint64_t leaf_index;
    uint64_t tree_size;
    uint8_t leaf_hash[LEDGER_HASH_SIZE];
    uint8_t root[LEDGER_HASH_SIZE];
    size_t n_hashes;
    uint8_t hashes[LEDGER_PROOF_MAX][LEDGER_HASH_SIZE];
} ledger_inclusion_proof;

typedef struct {
    uint64_t old_size;
    uint64_t new_size;
    uint8_t old_root[LEDGER_HASH_SIZE];
    uint8_t new_root[LEDGER_HASH_SIZE];
    size_t n_hashes;
    uint8_t hashes[LEDGER_PROOF_MAX][LEDGER_HASH_SIZE];
} ledger_consistency_proof;

/**
 * Check that leaf_hash is at leaf_index in the tree of tree_size with root.
 *
 * @return 0 (valid), LEDGER_EPROOF (with a message saying why).
 */
LEDGER_NODISCARD LEDGER_API int ledger_proof_verify_inclusion(const ledger_inclusion_proof *p);

/**
 * Check that the tree of old_size/old_root is a prefix of new_size/new_root.
 * Conventions: old_size == new_size needs equal roots and no hashes;
 * old_size == 0 needs no hashes and old_root = SHA-256("").
 *
 * @return 0 (valid), LEDGER_EPROOF.
 */
LEDGER_NODISCARD LEDGER_API int
ledger_proof_verify_consistency(const ledger_consistency_proof *p);

/**
 * JSON forms (one object, NUL-terminated, trailing newline):
 * inclusion {tree_size, leaf_index, leaf_hash, root, hashes};
 * consistency {old_size, new_size, old_root, new_root, hashes}. Sizes and
 * indexes are JSON numbers; hashes are standard base64.
 *
 * @return 0, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_inclusion_proof_to_json(ledger_buf *out, const ledger_inclusion_proof *p);
LEDGER_API int ledger_consistency_proof_to_json(ledger_buf *out,
                                                const ledger_consistency_proof *p);

/** RFC 6962 leaf hash SHA-256(0x00 || leaf) of arbitrary bytes. */
LEDGER_API void ledger_leaf_hash(uint8_t out[LEDGER_HASH_SIZE], const uint8_t *leaf, size_t len);

#endif
