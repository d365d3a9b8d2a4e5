/*
 * digest_index.c - SHA-256(record bytes) -> entry index, as a B-tree of
 * older entries plus an appended tail merged in bulk (digest_index.h).
 */
#include "store/digest_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "crypto/crypto.h"
#include "base/error.h"

#define NO_ROW UINT64_MAX

typedef struct {
    uint8_t digest[32];
    uint64_t index;
} tail_row;

void
lg_digests_init(lg_digest_index *x)
{
    memset(x, 0, sizeof *x);
    lg_map_init(&x->rows, sizeof(uint64_t));
    x->first = x->next = NO_ROW;
}

void
lg_digests_free(lg_digest_index *x)
{
    lg_map_free(&x->rows);
    lg_digests_init(x);
}

static int
bad_row(size_t klen, size_t vlen)
{
    return lg_error_set(LEDGER_ECORRUPT, "digest_tail row has a %zu-byte key and %zu-byte value",
                        klen, vlen);
}

static int
first_key(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    (void)val;
    if (klen != 8 || vlen != 32)
        return bad_row(klen, vlen);
    *(uint64_t *)p = lg_be_u64(key);
    return 1;
}

static int
read_row(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    lg_digest_index *x = p;
    uint64_t index;
    int rc;

    if (klen != 8 || vlen != 32)
        return bad_row(klen, vlen);
    index = lg_be_u64(key);
    if ((rc = lg_map_put(&x->rows, val, 32, &index)) < 0)
        return rc;
    x->next = index + 1;
    return 0;
}

int
lg_digests_begin(lg_digest_index *x, lg_txn *t)
{
    uint64_t first = NO_ROW;
    uint8_t key[8];
    int rc;

    x->merged = 0;
    if ((rc = lg_store_scan(t, LG_DB_DIGEST_TAIL, NULL, 0, 0, first_key, &first)) < 0)
        goto fail;
    if (!x->valid || first != x->first || first == NO_ROW) {
        /* A merge emptied the tail, or this is the first transaction. */
        lg_digests_free(x);
        x->valid = 1;
        x->first = x->next = first;
    }
    if (first == NO_ROW)
        return 0;
    /* Rows appended since, by this handle or another. */
    lg_u64_be(key, x->next);
    if ((rc = lg_store_scan(t, LG_DB_DIGEST_TAIL, key, 8, 0, read_row, x)) < 0)
        goto fail;
    return 0;
fail:
    lg_digests_free(x);
    return rc;
}

int
lg_digests_find(lg_digest_index *x, lg_txn *t, const uint8_t digest[32], uint64_t *index)
{
    const uint64_t *at = lg_map_get(&x->rows, digest, 32);

    if (at != NULL) {
        *index = *at;
        return 0;
    }
    return lg_store_get_u64(t, LG_DB_DIGESTS, digest, 32, index);
}

int
lg_digests_add(lg_digest_index *x, lg_txn *t, const uint8_t digest[32], uint64_t index)
{
    uint8_t key[8];
    int rc;

    lg_u64_be(key, index);
    if ((rc = lg_store_put(t, LG_DB_DIGEST_TAIL, key, 8, digest, 32, LG_PUT_APPEND)) < 0 ||
        (rc = lg_map_put(&x->rows, digest, 32, &index)) < 0)
        return rc;
    if (x->first == NO_ROW)
        x->first = index;
    x->next = index + 1;
    return 0;
}

static size_t
tail_max(void)
{
#ifdef LEDGER_TEST_HOOKS
    /* Test builds only: a small tail makes merges frequent (crash tests). */
    const char *s = getenv("ATTRLEDGER_DIGEST_TAIL_MAX");
    char *end;
    unsigned long v;

    if (s == NULL || *s == '\0')
        return LG_DIGEST_TAIL_MAX;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0)
        return LG_DIGEST_TAIL_MAX;
    return v;
#else
    return LG_DIGEST_TAIL_MAX;
#endif
}

static int
by_digest(const void *a, const void *b)
{
    return memcmp(((const tail_row *)a)->digest, ((const tail_row *)b)->digest, 32);
}

/* Insert the tail rows into the tree in digest order, then empty the tail. */
int
lg_digests_maybe_merge(lg_digest_index *x, lg_txn *t)
{
    tail_row *rows;
    size_t n = 0;
    int rc = 0;

    if (x->rows.count < tail_max())
        return 0;
    if ((rows = lg_malloc(x->rows.count * sizeof *rows)) == NULL)
        return lg_error_nomem();
    for (size_t i = 0; i < x->rows.cap; i++) {
        const lg_map_slot *s = &x->rows.slots[i];

        if (s->key == NULL)
            continue;
        memcpy(rows[n].digest, s->key, 32);
        memcpy(&rows[n].index, s->val, sizeof rows[n].index);
        n++;
    }
    qsort(rows, n, sizeof *rows, by_digest);
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint8_t val[8];

        lg_u64_be(val, rows[i].index);
        rc = lg_store_put(t, LG_DB_DIGESTS, rows[i].digest, 32, val, 8, LG_PUT_NOOVERWRITE);
        if (rc == LEDGER_EEXISTS)
            rc = lg_error_set(LEDGER_ECORRUPT,
                              "digests index: the record of entry %llu is indexed twice",
                              (unsigned long long)rows[i].index);
    }
    lg_free(rows);
    if (rc == 0 && (rc = lg_store_clear(t, LG_DB_DIGEST_TAIL)) == 0)
        x->merged = 1;
    return rc;
}

void
lg_digests_end(lg_digest_index *x, int committed)
{
    if (!committed || x->merged)
        lg_digests_free(x);
}

/* ---- verify ---- */

void
lg_digest_sum_init(lg_digest_sum *s, const uint8_t key[32])
{
    memset(s, 0, sizeof *s);
    memcpy(s->key, key, 32);
}

void
lg_digest_sum_add(lg_digest_sum *s, const uint8_t digest[32], uint64_t index)
{
    uint8_t msg[40], h[16];
    uint64_t lane;

    memcpy(msg, digest, 32);
    lg_u64_be(msg + 32, index);
    lg_keyed_hash16(h, msg, sizeof msg, s->key);
    for (int i = 0; i < 2; i++) {
        memcpy(&lane, h + 8 * i, 8);
        s->sum[i] += lane; /* mod 2^64 */
    }
    s->n++;
}

int
lg_digest_sum_equal(const lg_digest_sum *a, const lg_digest_sum *b)
{
    return a->n == b->n && a->sum[0] == b->sum[0] && a->sum[1] == b->sum[1];
}

static int
sum_tree_row(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    if (klen != 32 || vlen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "digests row has a %zu-byte key and %zu-byte value",
                            klen, vlen);
    lg_digest_sum_add(p, key, lg_be_u64(val));
    return 0;
}

static int
sum_tail_row(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    if (klen != 8 || vlen != 32)
        return bad_row(klen, vlen);
    lg_digest_sum_add(p, val, lg_be_u64(key));
    return 0;
}

int
lg_digests_sum_stored(lg_digest_sum *out, lg_txn *t)
{
    int rc = lg_store_scan(t, LG_DB_DIGESTS, NULL, 0, 0, sum_tree_row, out);

    if (rc < 0)
        return rc;
    return lg_store_scan(t, LG_DB_DIGEST_TAIL, NULL, 0, 0, sum_tail_row, out);
}

int
lg_digests_lookup(lg_txn *t, const uint8_t digest[32], uint64_t index, uint64_t *at)
{
    ledger_buf row = LEDGER_BUF_INIT;
    uint8_t key[8];
    int rc;

    lg_u64_be(key, index);
    rc = lg_store_get(t, LG_DB_DIGEST_TAIL, key, 8, &row);
    if (rc == 0) {
        int same = row.len == 32 && memcmp(row.data, digest, 32) == 0;

        ledger_buf_dispose(&row);
        if (same) {
            *at = index;
            return 0;
        }
        return lg_error_set(LEDGER_ECORRUPT, "record digest_tail row holds another digest");
    }
    if (rc != LEDGER_ENOTFOUND)
        return rc;
    return lg_store_get_u64(t, LG_DB_DIGESTS, digest, 32, at);
}
