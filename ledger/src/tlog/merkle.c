/*
 * merkle.c - RFC 6962 / RFC 9162 Merkle tree hashing, stored-hash
 * addressing, compact ranges, proof generation and verification.
 *
 * Specs: RFC 6962 section 2.1 (MTH, leaf and node hashes), RFC 9162
 * sections 2.1.3 (PATH, inclusion verification) and 2.1.4 (PROOF,
 * consistency verification); the dense stored-hash index of Go's
 * golang.org/x/mod/sumdb/tlog (StoredHashIndex). Restated in
 * reference/transparency-formats.md 2.1-2.4.
 *
 * Method. Every hash a proof needs is MTH(D[a:b]) for a range that the
 * RFC's recursive split produces. Such a range starts at a multiple of the
 * largest power of two <= b - a, so it is a run of perfect subtrees whose
 * sizes are the set bits of b - a, largest first, each one stored. Its MTH
 * is their right fold: NH(P1, NH(P2, ... Pk)). In a PATH or PROOF at most
 * one element is such a ragged range (the first sibling taken on the right
 * edge); every other element is a single stored perfect subtree. So a proof
 * costs at most 2 * log2(size) reads and no leaf is ever rehashed.
 *
 * The RFC's recursions are written as top-down loops over [a, b) that
 * collect the proof top-first and then reverse it; verification is the
 * RFC's iterative algorithm. Nothing recurses and nothing allocates; all
 * arrays are bounded by 64 levels.
 */
#include "tlog/merkle.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "crypto/crypto.h"
#include "base/error.h"

/* ---- bit helpers (portable; the compiler recognises these loops) ---- */

/* Number of significant bits of x: 0 for 0, 64 for x >= 2^63. */
static int
bit_len(uint64_t x)
{
    int n = 0;

    while (x != 0) {
        x >>= 1;
        n++;
    }
    return n;
}

static int
pop_count(uint64_t x)
{
    int n = 0;

    while (x != 0) {
        x &= x - 1;
        n++;
    }
    return n;
}

/* Trailing zero bits of x, which must be non-zero. */
static int
trailing_zeros(uint64_t x)
{
    int n = 0;

    while ((x & 1) == 0) {
        x >>= 1;
        n++;
    }
    return n;
}

/* x >> s that is 0 instead of undefined when s == 64. */
static uint64_t
shr(uint64_t x, int s)
{
    return s >= 64 ? 0 : x >> s;
}

/* ---- hashing ---- */

void
lg_merkle_leaf_hash(lg_hash out, const uint8_t *data, size_t len)
{
    static const uint8_t prefix = 0x00;
    lg_sha256_ctx ctx;

    lg_sha256_init(&ctx);
    lg_sha256_update(&ctx, &prefix, 1);
    if (len > 0)
        lg_sha256_update(&ctx, data, len);
    lg_sha256_final(&ctx, out);
}

void
lg_merkle_node_hash(lg_hash out, const lg_hash left, const lg_hash right)
{
    uint8_t buf[1 + 2 * LG_HASH];

    /* Copy first: callers fold in place (out == left or out == right). */
    buf[0] = 0x01;
    memcpy(buf + 1, left, LG_HASH);
    memcpy(buf + 1 + LG_HASH, right, LG_HASH);
    lg_sha256(out, buf, sizeof buf);
}

void
lg_merkle_empty_root(lg_hash out)
{
    static const uint8_t nothing[1] = {0};

    lg_sha256(out, nothing, 0);
}

/* ---- stored-hash addressing ---- */

uint64_t
lg_merkle_stored_index(int level, uint64_t n)
{
    uint64_t i = 0;

    assert(level >= 0 && level < 64);
    /* Level L's n-th hash is stored right after level L-1's (2n+1)-th hash
     * (its right child), so walk down to the level-0 numbering, where leaf
     * n's hash sits at n + n/2 + n/4 + ... , then add the levels back. */
    for (int l = level; l > 0; l--)
        n = 2 * n + 1;
    for (; n > 0; n >>= 1)
        i += n;
    return i + (uint64_t)level;
}

uint64_t
lg_merkle_stored_count(uint64_t n)
{
    assert(n <= LG_MERKLE_MAX_SIZE);
    return 2 * n - (uint64_t)pop_count(n);
}

static int
read_perfect(lg_hash out, int level, uint64_t start, lg_hash_reader rd, void *payload)
{
    return rd(payload, lg_merkle_stored_index(level, start >> level), out);
}

/*
 * MTH(D[a:b]) for a < b where a is a multiple of the largest power of two
 * <= b - a (true of every range the RFC recursion visits). Folds the stored
 * perfect subtrees from the smallest (rightmost) one: popcount(b - a) reads.
 */
static int
range_hash(lg_hash out, uint64_t a, uint64_t b, lg_hash_reader rd, void *payload)
{
    uint64_t len = b - a;
    lg_hash piece;
    int first = 1;
    int rc;

    assert(a < b);
    for (int level = 0; level < 64; level++) {
        uint64_t bit = (uint64_t)1 << level;
        /* The subtrees to the left of this one: the bits above `level`
         * (for level 63 the mask wraps to 0, which is right). */
        uint64_t before = len & ~((bit << 1) - 1);

        if ((len & bit) == 0)
            continue;
        assert(((a + before) & (bit - 1)) == 0);
        if ((rc = read_perfect(first ? out : piece, level, a + before, rd, payload)) < 0)
            return rc;
        if (!first)
            lg_merkle_node_hash(out, piece, out);
        first = 0;
    }
    return 0;
}

/* ---- compact range ---- */

void
lg_merkle_range_init(lg_merkle_range *r)
{
    assert(r != NULL);
    memset(r, 0, sizeof *r);
}

int
lg_merkle_range_load(lg_merkle_range *r, uint64_t size, lg_hash_reader rd, void *payload)
{
    uint64_t start = 0;
    int rc;

    assert(r != NULL && rd != NULL);
    lg_merkle_range_init(r);
    if (size > LG_MERKLE_MAX_SIZE)
        return lg_error_set(LEDGER_EINVAL, "tree size %" PRIu64 " too large", size);
    for (int level = 63; level >= 0; level--) {
        uint64_t bit = (uint64_t)1 << level;

        if ((size & bit) == 0)
            continue;
        if ((rc = read_perfect(r->hashes[r->n], level, start, rd, payload)) < 0) {
            lg_merkle_range_init(r); /* no half-loaded range */
            return rc;
        }
        r->n++;
        start += bit;
    }
    r->size = size;
    return 0;
}

void
lg_merkle_range_append(lg_merkle_range *r, const lg_hash leaf, lg_hash new_out[64], int *n_new)
{
    int cnt = 0;

    assert(r != NULL && new_out != NULL && n_new != NULL);
    *n_new = 0;
    assert(r->size < LG_MERKLE_MAX_SIZE);
    if (r->size >= LG_MERKLE_MAX_SIZE)
        return;
    /* size < 2^63, so popcount(size) <= 63 and the push fits in 64 slots. */
    memcpy(r->hashes[r->n++], leaf, LG_HASH);
    memcpy(new_out[cnt++], leaf, LG_HASH);
    /* Each trailing one bit of the old size is a perfect subtree of the same
     * height as the one just completed: merge them, bottom-up. This is also
     * the order in which Go's tlog numbers the new stored hashes. */
    for (uint64_t s = r->size; (s & 1) != 0; s >>= 1) {
        lg_merkle_node_hash(r->hashes[r->n - 2], r->hashes[r->n - 2], r->hashes[r->n - 1]);
        r->n--;
        memcpy(new_out[cnt++], r->hashes[r->n - 1], LG_HASH);
    }
    r->size++;
    *n_new = cnt;
}

void
lg_merkle_range_root(const lg_merkle_range *r, lg_hash out)
{
    assert(r != NULL);
    if (r->n == 0) {
        lg_merkle_empty_root(out);
        return;
    }
    memcpy(out, r->hashes[r->n - 1], LG_HASH);
    for (int i = r->n - 2; i >= 0; i--)
        lg_merkle_node_hash(out, r->hashes[i], out);
}

int
lg_merkle_root(lg_hash out, uint64_t size, lg_hash_reader rd, void *payload)
{
    assert(rd != NULL);
    if (size > LG_MERKLE_MAX_SIZE)
        return lg_error_set(LEDGER_EINVAL, "tree size %" PRIu64 " too large", size);
    if (size == 0) {
        lg_merkle_empty_root(out);
        return 0;
    }
    return range_hash(out, 0, size, rd, payload);
}

/* ---- proof generation ---- */

/* Largest power of two strictly less than len (len >= 2): the RFC split. */
static uint64_t
split_point(uint64_t len)
{
    return (uint64_t)1 << (bit_len(len - 1) - 1);
}

static void
reverse(lg_hash *h, size_t n)
{
    lg_hash tmp;

    for (size_t i = 0; i < n / 2; i++) {
        memcpy(tmp, h[i], LG_HASH);
        memcpy(h[i], h[n - 1 - i], LG_HASH);
        memcpy(h[n - 1 - i], tmp, LG_HASH);
    }
}

int
lg_merkle_prove_inclusion(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t index,
                          uint64_t size, lg_hash_reader rd, void *payload)
{
    uint64_t a = 0, b = size;
    size_t cnt = 0;
    int rc = 0;

    assert(proof != NULL && n_out != NULL && rd != NULL);
    *n_out = 0;
    if (index >= size)
        return lg_error_set(LEDGER_EINVAL,
                            "inclusion proof index %" PRIu64 " >= tree size %" PRIu64, index, size);
    if (size > LG_MERKLE_MAX_SIZE)
        return lg_error_set(LEDGER_EINVAL, "tree size %" PRIu64 " too large", size);
    /* PATH(m, D[a:b]) top-down: invariant a <= index < b. Each step halves
     * the height, so there are at most 63 steps for size <= 2^63. */
    while (b - a > 1) {
        uint64_t k = split_point(b - a);

        if (index - a < k) {
            rc = range_hash(proof[cnt], a + k, b, rd, payload);
            b = a + k;
        } else {
            rc = read_perfect(proof[cnt], bit_len(k) - 1, a, rd, payload);
            a += k;
        }
        if (rc < 0)
            return rc;
        cnt++;
    }
    reverse(proof, cnt); /* the RFC lists the leaf's sibling first */
    *n_out = cnt;
    return 0;
}

int
lg_merkle_prove_consistency(lg_hash proof[LG_PROOF_MAX_HASHES], size_t *n_out, uint64_t old,
                            uint64_t size, lg_hash_reader rd, void *payload)
{
    uint64_t a = 0, b = size;
    int whole_old_tree = 1; /* the RFC's flag b: D[0:b] is the old tree itself */
    size_t cnt = 0;
    int rc = 0;

    assert(proof != NULL && n_out != NULL && rd != NULL);
    *n_out = 0;
    if (old > size)
        return lg_error_set(
            LEDGER_EINVAL, "consistency proof old size %" PRIu64 " > new size %" PRIu64, old, size);
    if (size > LG_MERKLE_MAX_SIZE)
        return lg_error_set(LEDGER_EINVAL, "tree size %" PRIu64 " too large", size);
    if (old == 0 || old == size)
        return 0;
    /* SUBPROOF(old - a, D[a:b], flag) top-down: invariant a < old <= b, so
     * b - a >= 2 whenever old != b. At most 64 elements for size <= 2^63. */
    for (;;) {
        uint64_t k;

        if (old == b) {
            /* Only reached after stepping left, so [a, b) is perfect. */
            if (!whole_old_tree) {
                if ((rc = range_hash(proof[cnt], a, b, rd, payload)) < 0)
                    return rc;
                cnt++;
            }
            break;
        }
        k = split_point(b - a);
        if (old - a <= k) {
            rc = range_hash(proof[cnt], a + k, b, rd, payload);
            b = a + k;
        } else {
            rc = read_perfect(proof[cnt], bit_len(k) - 1, a, rd, payload);
            a += k;
            whole_old_tree = 0;
        }
        if (rc < 0)
            return rc;
        cnt++;
    }
    reverse(proof, cnt);
    *n_out = cnt;
    return 0;
}

/* ---- verification ---- */

/* Roots and proofs are public, so a plain comparison is fine here. */
static int
hash_equal(const lg_hash a, const lg_hash b)
{
    return memcmp(a, b, LG_HASH) == 0;
}

/* Length of PATH(index, D[0:size]): the levels where the paths to index and
 * to size - 1 differ ("inner"), plus one left sibling for every set bit of
 * index above them ("border"). */
static size_t
inclusion_len(uint64_t index, uint64_t size)
{
    int inner = bit_len(index ^ (size - 1));

    return (size_t)(inner + pop_count(shr(index, inner)));
}

int
lg_merkle_root_from_inclusion(lg_hash root_out, uint64_t index, uint64_t size, const lg_hash leaf,
                              const lg_hash *proof, size_t n)
{
    uint64_t fn = index, sn;
    lg_hash r;
    size_t want;

    assert(root_out != NULL && leaf != NULL && (proof != NULL || n == 0));
    if (index >= size)
        return lg_error_set(LEDGER_EPROOF,
                            "inclusion proof index %" PRIu64 " >= tree size %" PRIu64, index, size);
    want = inclusion_len(index, size);
    if (n != want)
        return lg_error_set(LEDGER_EPROOF,
                            "inclusion proof has %zu hashes, want %zu for index %" PRIu64
                            " in tree of %" PRIu64,
                            n, want, index, size);
    sn = size - 1;
    memcpy(r, leaf, LG_HASH);
    for (size_t i = 0; i < n; i++) {
        if (sn == 0) /* unreachable after the length check; kept as a guard */
            return lg_error_set(LEDGER_EPROOF, "inclusion proof too long");
        if ((fn & 1) != 0 || fn == sn) {
            /* A left sibling. On the right edge (fn == sn, fn even) the node
             * is promoted unhashed through the levels where it has no
             * sibling: skip them. */
            lg_merkle_node_hash(r, proof[i], r);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            lg_merkle_node_hash(r, r, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return lg_error_set(LEDGER_EPROOF, "inclusion proof too short");
    memcpy(root_out, r, LG_HASH);
    return 0;
}

int
lg_merkle_verify_inclusion(uint64_t index, uint64_t size, const lg_hash leaf, const lg_hash *proof,
                           size_t n, const lg_hash root)
{
    lg_hash got;
    int rc;

    assert(root != NULL);
    if ((rc = lg_merkle_root_from_inclusion(got, index, size, leaf, proof, n)) < 0)
        return rc;
    if (!hash_equal(got, root))
        return lg_error_set(LEDGER_EPROOF,
                            "inclusion proof for index %" PRIu64 " in tree of %" PRIu64
                            " does not match the root",
                            index, size);
    return 0;
}

/* Edge cases outside the RFC algorithm: our convention (see merkle.h). */
static int
verify_consistency_edge(uint64_t old, uint64_t size, const lg_hash old_root, const lg_hash new_root,
                        size_t n)
{
    lg_hash empty;

    if (n != 0)
        return lg_error_set(LEDGER_EPROOF,
                            "consistency proof has %zu hashes, want 0 for sizes %" PRIu64
                            " -> %" PRIu64,
                            n, old, size);
    if (old == size && !hash_equal(old_root, new_root))
        return lg_error_set(LEDGER_EPROOF, "trees of equal size %" PRIu64 " have different roots",
                            size);
    lg_merkle_empty_root(empty);
    if (old == 0 && !hash_equal(old_root, empty))
        return lg_error_set(LEDGER_EPROOF, "root of the empty tree is not sha-256 of nothing");
    return 0;
}

int
lg_merkle_verify_consistency(uint64_t old, uint64_t size, const lg_hash old_root,
                             const lg_hash new_root, const lg_hash *proof, size_t n)
{
    uint64_t fn, sn;
    lg_hash fr, sr;
    size_t start, want, i;
    int inner, shift;

    assert(old_root != NULL && new_root != NULL && (proof != NULL || n == 0));
    if (old > size)
        return lg_error_set(
            LEDGER_EPROOF, "consistency proof old size %" PRIu64 " > new size %" PRIu64, old, size);
    if (old == size || old == 0)
        return verify_consistency_edge(old, size, old_root, new_root, n);

    /* Expected length (as transparency-dev/merkle computes it): the proof
     * is the tail of PATH(old - 1, D[0:size]) above the level of the old
     * tree's rightmost perfect subtree (2^shift leaves), preceded by that
     * subtree's hash unless it is the whole old tree (old a power of 2). */
    shift = trailing_zeros(old);
    inner = bit_len((old - 1) ^ (size - 1));
    start = (old == (uint64_t)1 << shift) ? 0 : 1;
    want = start + (size_t)(inner - shift) + (size_t)pop_count(shr(old - 1, inner));
    if (n != want)
        return lg_error_set(LEDGER_EPROOF,
                            "consistency proof has %zu hashes, want %zu for sizes %" PRIu64
                            " -> %" PRIu64,
                            n, want, old, size);

    /* RFC 9162 2.1.4.2: if old is a power of two the seed is old_root
     * (omitted from the proof), else the proof's first hash. */
    fn = old - 1;
    sn = size - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, start == 0 ? old_root : proof[0], LG_HASH);
    memcpy(sr, fr, LG_HASH);
    for (i = start; i < n; i++) {
        if (sn == 0) /* unreachable after the length check; kept as a guard */
            return lg_error_set(LEDGER_EPROOF, "consistency proof too long");
        if ((fn & 1) != 0 || fn == sn) {
            /* A left sibling in both trees. */
            lg_merkle_node_hash(fr, proof[i], fr);
            lg_merkle_node_hash(sr, proof[i], sr);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            /* A right sibling that only the new tree has. */
            lg_merkle_node_hash(sr, sr, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return lg_error_set(LEDGER_EPROOF, "consistency proof too short");
    if (!hash_equal(fr, old_root))
        return lg_error_set(
            LEDGER_EPROOF,
            "consistency proof %" PRIu64 " -> %" PRIu64 " does not match the old root", old, size);
    if (!hash_equal(sr, new_root))
        return lg_error_set(
            LEDGER_EPROOF,
            "consistency proof %" PRIu64 " -> %" PRIu64 " does not match the new root", old, size);
    return 0;
}
