/*
 * bigendian.h (internal) - big-endian integers in byte strings (LMDB keys,
 * key-file fields, cosignature timestamps). Pure, header-only.
 */
#ifndef LG_BIGENDIAN_H
#define LG_BIGENDIAN_H

#include <stdint.h>

static inline void
lg_u64_be(uint8_t out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t
lg_be_u64(const uint8_t in[8])
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | in[i];
    return v;
}

#endif
