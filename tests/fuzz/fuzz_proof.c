/*
 * fuzz_proof.c - Merkle proof verification with hostile inputs:
 * lg_merkle_verify_inclusion, lg_merkle_root_from_inclusion,
 * lg_merkle_verify_consistency, and the public ledger_proof_verify_*.
 *
 * Input: u64 BE a, u64 BE b, 32-byte hash x, 32-byte hash y, then proof
 * hashes (32 bytes each, at most 64, a partial tail ignored). Inclusion
 * reads (index a, size b, leaf x, root y); consistency reads (old a,
 * size b, old root x, new root y).
 *
 * Invariants: an inclusion proof verifies exactly when running it gives the
 * claimed root; the public and internal verifiers agree.
 */
#include <string.h>

#include "fuzz.h"
#include "tlog/merkle.h"

static uint64_t
be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lg_hash proof[LG_PROOF_MAX_HASHES + 1];
    static ledger_inclusion_proof ip;
    static ledger_consistency_proof cp;
    uint64_t a, b;
    lg_hash x, y, root;
    size_t n;
    int irc, rrc, crc;

    fuzz_init();
    if (size < 80)
        return 0;
    a = be64(data);
    b = be64(data + 8);
    memcpy(x, data + 16, 32);
    memcpy(y, data + 48, 32);
    n = (size - 80) / 32;
    if (n > LG_PROOF_MAX_HASHES + 1)
        n = LG_PROOF_MAX_HASHES + 1;
    memcpy(proof, data + 80, n * 32);

    irc = lg_merkle_verify_inclusion(a, b, x, (const lg_hash *)proof, n, y);
    rrc = lg_merkle_root_from_inclusion(root, a, b, x, (const lg_hash *)proof, n);
    fuzz_check((irc == 0) == (rrc == 0 && memcmp(root, y, 32) == 0));
    crc = lg_merkle_verify_consistency(a, b, x, y, (const lg_hash *)proof, n);

    if (n <= LEDGER_PROOF_MAX) {
        ip.leaf_index = a;
        ip.tree_size = b;
        memcpy(ip.leaf_hash, x, 32);
        memcpy(ip.root, y, 32);
        ip.n_hashes = n;
        memcpy(ip.hashes, proof, n * 32);
        fuzz_check((ledger_proof_verify_inclusion(&ip) == 0) == (irc == 0));
        cp.old_size = a;
        cp.new_size = b;
        memcpy(cp.old_root, x, 32);
        memcpy(cp.new_root, y, 32);
        cp.n_hashes = n;
        memcpy(cp.hashes, proof, n * 32);
        fuzz_check((ledger_proof_verify_consistency(&cp) == 0) == (crc == 0));
    }
    return 0;
}
