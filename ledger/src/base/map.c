/*
 * map.c - open-addressing hash map (linear probing, FNV-1a, load <= 1/2).
 *
 * Keys are untrusted bytes from the ledger; FNV-1a is not collision
 * resistant, so a hostile ledger could slow verify down with colliding
 * participant ids, but never make it wrong: lookups compare whole keys.
 */
#include "base/map.h"

#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

static uint64_t
hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

void
lg_map_init(lg_map *m, size_t value_size)
{
    memset(m, 0, sizeof *m);
    m->vsize = value_size;
}

void
lg_map_free(lg_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        lg_free(m->slots[i].key);
        lg_free(m->slots[i].val);
    }
    lg_free(m->slots);
    memset(m, 0, sizeof *m);
}

static lg_map_slot *
find(const lg_map *m, const void *key, size_t klen)
{
    size_t i;

    if (m->cap == 0)
        return NULL;
    i = (size_t)hash_bytes(key, klen) & (m->cap - 1);
    while (m->slots[i].key != NULL) {
        if (m->slots[i].klen == klen && memcmp(m->slots[i].key, key, klen) == 0)
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return &m->slots[i];
}

void *
lg_map_get(const lg_map *m, const void *key, size_t klen)
{
    lg_map_slot *s = find(m, key, klen);
    return (s != NULL && s->key != NULL) ? s->val : NULL;
}

int
lg_map_each(const lg_map *m, int (*fn)(void *ctx, const void *key, size_t klen, void *val),
            void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        int rc;
        if (m->slots[i].key != NULL &&
            (rc = fn(ctx, m->slots[i].key, m->slots[i].klen, m->slots[i].val)) != 0)
            return rc;
    }
    return 0;
}

static int
grow(lg_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    lg_map old = *m;
    lg_map_slot *slots = lg_calloc(ncap, sizeof *slots);

    if (slots == NULL)
        return lg_error_nomem();
    m->slots = slots;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key == NULL)
            continue;
        *find(m, old.slots[i].key, old.slots[i].klen) = old.slots[i];
    }
    lg_free(old.slots);
    return 0;
}

int
lg_map_put(lg_map *m, const void *key, size_t klen, const void *val)
{
    lg_map_slot *s;
    int rc;

    if ((m->count + 1) * 2 > m->cap && (rc = grow(m)) < 0)
        return rc;
    s = find(m, key, klen);
    if (s->key == NULL) {
        uint8_t *k = lg_malloc(klen ? klen : 1);
        void *v = lg_malloc(m->vsize);
        if (k == NULL || v == NULL) {
            lg_free(k);
            lg_free(v);
            return lg_error_nomem();
        }
        memcpy(k, key, klen);
        s->key = k;
        s->klen = klen;
        s->val = v;
        m->count++;
    }
    memcpy(s->val, val, m->vsize);
    return 0;
}
