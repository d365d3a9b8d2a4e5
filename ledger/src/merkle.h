/*
 * merkle.h (internal) - RFC 6962 / RFC 9162 Merkle tree hashing and proofs.
 *
 * Pure: no I/O, no allocation. Stored hashes are addressed with Go's
 * checksum-database dense index (golang.org/x/mod/sumdb/tlog StoredHashIndex):
 * appending leaf n adds hashes at stored indexes lg_merkle_stored_count(n) ..
 * lg_merkle_stored_count(n + 1) - 1, in that order (leaf hash first, then each
 * parent completed by that leaf, bottom-up). Proof generation reads stored
 * hashes through a callback, O(log n) reads per proof.
 *
 * Conventions for verification edge cases (tlog-test-vectors.md 4.3):
 *   - inclusion: index >= size is rejected before hashing;
 *   - consistency: old == new accepts only an empty proof with equal roots;
 *     old == 0 accepts only an empty proof (C2SP tlog-witness), and then
 *     old_root must be SHA-256("") ; old > new is rejected.
 */
#ifndef LG_MERKLE_H
#define LG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define LG_HASH 32
#define LG_PROOF_MAX_HASHES 64

typedef uint8_t lg_hash[LG_HASH];

/* SHA-256(0x00 || data). */
void lg_merkle_leaf_hash(lg_hash out, const uint8_t *data, size_t len);
/* SHA-256(0x01 || left || right). */
void lg_merkle_node_hash(lg_hash out, const lg_hash left, const lg_hash right);
/* SHA-256("") : the root of the empty tree. */
void lg_merkle_empty_root(lg_hash out);

/* Dense stored-hash index of the perfect subtree at `level` covering leaves
 * [n << level, (n + 1) << level). */
uint64_t lg_merkle_stored_index(int level, uint64_t n);
/* Number of stored hashes for a tree of n leaves: 2n - popcount(n). */
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
    int n;                 /* number of subtrees = popcount(size) */
    lg_hash hashes[64];    /* hashes[0] covers the leftmost (largest) subtree */
} lg_merkle_range;

void lg_merkle_range_init(lg_merkle_range *r);
/* Load the compact range of a tree of `size` leaves: popcount(size) reads. */
int lg_merkle_range_load(lg_merkle_range *r, uint64_t size, lg_hash_reader rd, void *payload);
/*
 * Append one leaf hash. Writes the hashes that become stored (leaf hash,
 * then each completed parent, bottom-up) to new_out and their count to
 * *n_new (at most 64). Their first stored index is
 * lg_merkle_stored_count(old size).
 */
void lg_merkle_range_append(lg_merkle_range *r, const lg_hash leaf, lg_hash new_out[64],
                            int *n_new);
/* Root of the tree the range describes (SHA-256("") when empty). */
void lg_merkle_range_root(const lg_merkle_range *r, lg_hash out);

/* Root of the tree of `size` leaves from stored hashes. */
int lg_merkle_root(lg_hash out, uint64_t size, lg_hash_reader rd, void *payload);

/*
 * RFC 9162 PATH(index, D[0:size]): proof hashes bottom-up. Returns 0, or
 * LEDGER_EINVAL if index >= size, or the reader's error.
 */
int lg_merkle_prove_inclusion(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t index,
                              uint64_t size, lg_hash_reader rd, void *payload);
/*
 * RFC 9162 PROOF(old, D[0:size]). old == size or old == 0 gives an empty
 * proof; old > size is LEDGER_EINVAL.
 */
int lg_merkle_prove_consistency(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t old,
                                uint64_t size, lg_hash_reader rd, void *payload);

/* RFC 9162 section 2.1.3.2. Returns 0 or LEDGER_EPROOF (message set). */
int lg_merkle_verify_inclusion(uint64_t index, uint64_t size, const lg_hash leaf,
                               const lg_hash *proof, size_t n, const lg_hash root);
/* RFC 9162 section 2.1.4.2 with the edge conventions above. */
int lg_merkle_verify_consistency(uint64_t old, uint64_t size, const lg_hash old_root,
                                 const lg_hash new_root, const lg_hash *proof, size_t n);

/* Root obtained by running an inclusion proof (for receipts and tiles):
 * 0 and the root, or LEDGER_EPROOF when the proof has the wrong length. */
int lg_merkle_root_from_inclusion(lg_hash root_out, uint64_t index, uint64_t size,
                                  const lg_hash leaf, const lg_hash *proof, size_t n);

#endif
