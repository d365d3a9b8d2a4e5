/*
 * merkle.h (internal) - RFC 6962 / RFC 9162 Merkle tree hashing and proofs.
 *
 * Pure: no I/O, no allocation, no recursion. Stored hashes are addressed with
 * Go's checksum-database dense index (golang.org/x/mod/sumdb/tlog
 * StoredHashIndex): appending leaf n adds hashes at stored indexes
 * lg_merkle_stored_count(n) .. lg_merkle_stored_count(n + 1) - 1, in that
 * order (leaf hash first, then each parent completed by that leaf,
 * bottom-up). Proof generation reads stored hashes through a callback,
 * O(log n) reads per proof; leaves are never rehashed.
 *
 * Conventions for verification edge cases (tlog-test-vectors.md 4.3):
 *   - inclusion: index >= size is rejected before hashing;
 *   - consistency: old == new accepts only an empty proof with equal roots;
 *     old == 0 accepts only an empty proof (C2SP tlog-witness), and then
 *     old_root must be SHA-256("") ; old > new is rejected.
 * Verification failures are LEDGER_EPROOF with a one-line message (the
 * verify functions are LEDGER_NODISCARD: 0 means valid); a proof
 * whose length differs from the one RFC 9162 implies is rejected before any
 * hashing.
 *
 * Functions that use stored indexes (range load/append, root, proof
 * generation) handle trees of up to LG_MERKLE_MAX_SIZE leaves, where every
 * stored index fits in a uint64_t. Verification handles any uint64_t size.
 *
 * A note for callers: C before C23 does not convert `lg_hash *` to
 * `const lg_hash *` silently (gcc -Wpedantic warns), so pass a non-const
 * proof array as `(const lg_hash *)proof`.
 */
#ifndef LG_MERKLE_H
#define LG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/common.h"
#include "base/hash.h"

#define LG_PROOF_MAX_HASHES 64

/* Largest tree the stored-hash functions accept: 2^63 leaves, so that
 * lg_merkle_stored_count() (about twice the size) fits in 64 bits. */
#define LG_MERKLE_MAX_SIZE ((uint64_t)1 << 63)

/* SHA-256(0x00 || data). data may be NULL when len is 0. */
void lg_merkle_leaf_hash(lg_hash out, const uint8_t *data, size_t len);
/* SHA-256(0x01 || left || right). out may alias left or right. */
void lg_merkle_node_hash(lg_hash out, const lg_hash left, const lg_hash right);
/* SHA-256("") : the root of the empty tree (not the hash of an empty leaf). */
void lg_merkle_empty_root(lg_hash out);

/* Dense stored-hash index of the perfect subtree at `level` (0..63, 0 for
 * leaves) covering leaves [n << level, (n + 1) << level). Example: (0,0)=0,
 * (0,1)=1, (1,0)=2, (0,2)=3. Meaningful while the subtree lies inside a tree
 * of at most LG_MERKLE_MAX_SIZE leaves. */
uint64_t lg_merkle_stored_index(int level, uint64_t n);
/* Number of stored hashes for a tree of n leaves: 2n - popcount(n).
 * n <= LG_MERKLE_MAX_SIZE. */
uint64_t lg_merkle_stored_count(uint64_t n);

/* Reads the stored hash with the given dense index. Returns 0, or a
 * negative ledger_err (with the message set) that is passed up unchanged. */
typedef int (*lg_hash_reader)(void *payload, uint64_t stored_index, lg_hash out);

/*
 * The right edge of a tree ("compact range"): the roots of its perfect
 * subtrees, largest first. Enough to append and to compute the root
 * without reading old leaves. Fixed size: at most 64 subtrees.
 */
typedef struct {
    uint64_t size;
    int n;              /* number of subtrees = popcount(size) */
    lg_hash hashes[64]; /* hashes[0] covers the leftmost (largest) subtree */
} lg_merkle_range;

/* The compact range of the empty tree. */
void lg_merkle_range_init(lg_merkle_range *r);
/*
 * Load the compact range of a tree of `size` leaves: popcount(size) reads.
 * Returns 0, LEDGER_EINVAL (size > LG_MERKLE_MAX_SIZE) or the reader's
 * error; on error *r is the empty range.
 */
int lg_merkle_range_load(lg_merkle_range *r, uint64_t size, lg_hash_reader rd, void *payload);
/*
 * Append one leaf hash. Writes the hashes that become stored (leaf hash,
 * then each completed parent, bottom-up) to new_out and their count to
 * *n_new (1 + the number of trailing one bits of the old size, at most 64).
 * Their first stored index is lg_merkle_stored_count(old size). Appending
 * to a range of LG_MERKLE_MAX_SIZE leaves is a programmer error (asserts;
 * in release builds nothing is appended and *n_new is 0).
 */
void lg_merkle_range_append(lg_merkle_range *r, const lg_hash leaf, lg_hash new_out[64],
                            int *n_new);
/* Root of the tree the range describes (SHA-256("") when empty). */
void lg_merkle_range_root(const lg_merkle_range *r, lg_hash out);

/*
 * Root of the tree of `size` leaves from stored hashes: popcount(size) reads,
 * none for the empty tree. Returns 0, LEDGER_EINVAL (size too large) or the
 * reader's error.
 */
int lg_merkle_root(lg_hash out, uint64_t size, lg_hash_reader rd, void *payload);

/*
 * RFC 9162 PATH(index, D[0:size]): proof hashes bottom-up (the leaf's
 * sibling first). At most 2 * log2(size) + 2 reads. Returns 0, or LEDGER_EINVAL if
 * index >= size or size > LG_MERKLE_MAX_SIZE, or the reader's error (then
 * *n_out is 0).
 */
int lg_merkle_prove_inclusion(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t index,
                              uint64_t size, lg_hash_reader rd, void *payload);
/*
 * RFC 9162 PROOF(old, D[0:size]). old == size or old == 0 gives an empty
 * proof; old > size or size > LG_MERKLE_MAX_SIZE is LEDGER_EINVAL; a reader
 * error is passed up (then *n_out is 0). At most 2 * log2(size) + 2 reads.
 */
int lg_merkle_prove_consistency(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t old,
                                uint64_t size, lg_hash_reader rd, void *payload);

/* RFC 9162 section 2.1.3.2. Returns 0 or LEDGER_EPROOF (message set).
 * proof may be NULL when n is 0. */
LEDGER_NODISCARD int lg_merkle_verify_inclusion(uint64_t index, uint64_t size, const lg_hash leaf,
                                                const lg_hash *proof, size_t n, const lg_hash root);
/* RFC 9162 section 2.1.4.2 with the edge conventions above. Returns 0 or
 * LEDGER_EPROOF (message set). proof may be NULL when n is 0. */
LEDGER_NODISCARD int lg_merkle_verify_consistency(uint64_t old, uint64_t size,
                                                  const lg_hash old_root, const lg_hash new_root,
                                                  const lg_hash *proof, size_t n);

/* Root obtained by running an inclusion proof (for receipts and tiles):
 * 0 and the root, or LEDGER_EPROOF when index >= size or the proof has the
 * wrong length (root_out is then untouched). */
LEDGER_NODISCARD int lg_merkle_root_from_inclusion(lg_hash root_out, uint64_t index, uint64_t size,
                                                   const lg_hash leaf, const lg_hash *proof,
                                                   size_t n);

#endif
