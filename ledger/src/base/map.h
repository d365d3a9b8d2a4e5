/*
 * map.h (internal) - a small open-addressing hash map from byte strings to
 * fixed-size values, for in-memory state (verify's key registry).
 */
#ifndef LG_MAP_H
#define LG_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *key; /* NULL = empty slot */
    size_t klen;
    void *val;
} lg_map_slot;

typedef struct {
    lg_map_slot *slots;
    size_t cap;   /* power of two */
    size_t count;
    size_t vsize; /* bytes per value */
} lg_map;

void lg_map_init(lg_map *m, size_t value_size);
void lg_map_free(lg_map *m);
/* Pointer to the value, or NULL. */
void *lg_map_get(const lg_map *m, const void *key, size_t klen);
/* Insert or replace (copies key and value). 0 or LEDGER_ENOMEM. */
int lg_map_put(lg_map *m, const void *key, size_t klen, const void *val);

/* Call fn on every entry (in no particular order) until it returns non-zero,
 * which is returned. fn must not insert. */
int lg_map_each(const lg_map *m, int (*fn)(void *ctx, const void *key, size_t klen, void *val),
                void *ctx);

#endif
