/*
 * digest_index.h (internal) - the index from SHA-256(record bytes) to the
 * entry that holds the record (idempotent resubmission).
 *
 * Digests are random, so a B-tree keyed by them dirties one page per new
 * record once the tree is much larger than a batch, and every batch would
 * write and sync about one 4 KiB page per record. The index is therefore in
 * two parts (store.h):
 *
 *   digests      SHA-256 -> index, a B-tree over older entries;
 *   digest_tail  index -> SHA-256, appended (sequential pages), for the
 *                entries since the last merge.
 *
 * When the tail reaches LG_DIGEST_TAIL_MAX rows, the submission that finds
 * it so moves them into `digests` in digest order (each page of the tree is
 * written once per merge, not once per record) and empties the tail, in the
 * same write transaction. Lookups read the tail through an in-memory map
 * kept by the ledger_log handle and refreshed at the start of each write
 * transaction (only rows other handles appended since are read), then the
 * tree. Every row of the tail has a larger index than every row of the tree
 * (submit keeps it so; lookups do not depend on it).
 *
 * All calls are made inside a write transaction; the map never holds rows
 * of a transaction that did not commit (lg_digests_end).
 */
#ifndef LG_DIGEST_INDEX_H
#define LG_DIGEST_INDEX_H

#include <stdint.h>

#include "base/map.h"
#include "store/store.h"

/* Rows in the tail that trigger a merge; ATTRLEDGER_DIGEST_TAIL_MAX in the
 * environment overrides it (tests use small values to merge often). */
#define LG_DIGEST_TAIL_MAX 65536u

typedef struct {
    lg_map rows;    /* tail rows: digest (32 bytes) -> u64 index */
    int valid;      /* rows holds the committed tail rows [first, next) */
    uint64_t first; /* key of the tail's first row */
    uint64_t next;  /* one past the key of the last row read or added */
    int merged;     /* this transaction emptied the tail */
} lg_digest_index;

void lg_digests_init(lg_digest_index *x);
void lg_digests_free(lg_digest_index *x);

/* At the start of a write transaction: bring the map up to date with the
 * committed tail. */
int lg_digests_begin(lg_digest_index *x, lg_txn *t);

/* The entry holding a record with this digest: 0, LEDGER_ENOTFOUND, or an
 * error (LEDGER_ECORRUPT for a damaged row). */
int lg_digests_find(lg_digest_index *x, lg_txn *t, const uint8_t digest[32], uint64_t *index);

/* Add the row of a new entry (its index is larger than every indexed one). */
int lg_digests_add(lg_digest_index *x, lg_txn *t, const uint8_t digest[32], uint64_t index);

/* Before the commit: merge the tail into the tree if it is full. */
int lg_digests_maybe_merge(lg_digest_index *x, lg_txn *t);

/* After the transaction: committed or not (an abort forgets the map). */
void lg_digests_end(lg_digest_index *x, int committed);

/*
 * For verify: the multiset of (digest, index) rows, folded into a sum of
 * keyed hashes under a key chosen at random for each audit. Two multisets
 * with equal counts and sums are equal except with probability about
 * 2^-128, whatever an attacker wrote, and checking costs one sequential
 * scan instead of one random lookup per entry.
 */
typedef struct {
    uint8_t key[32];
    uint64_t sum[2];
    uint64_t n;
} lg_digest_sum;

void lg_digest_sum_init(lg_digest_sum *s, const uint8_t key[32]);
void lg_digest_sum_add(lg_digest_sum *s, const uint8_t digest[32], uint64_t index);
int lg_digest_sum_equal(const lg_digest_sum *a, const lg_digest_sum *b);

/* Fold every stored row (tree and tail) into out (initialised with its
 * key). LEDGER_ECORRUPT for a malformed row. Where a row is kept does not
 * change what a lookup finds, so only the multiset is checked. */
int lg_digests_sum_stored(lg_digest_sum *out, lg_txn *t);

/* Read-only lookup for entry `index` with this digest, as submit finds it:
 * its tail row, else the tree. 0 and *at, LEDGER_ENOTFOUND, or an error. */
int lg_digests_lookup(lg_txn *t, const uint8_t digest[32], uint64_t index, uint64_t *at);

#endif
