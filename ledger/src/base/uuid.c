/*
 * uuid.c - SHA-1 and UUIDv5 (see uuid.h). SHA-1 per FIPS 180-4 section
 * 6.1, written out plainly; inputs are short names, so no streaming API.
 */
#include "base/uuid.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

static uint32_t
rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void
sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80], a, b, c, d, e;

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k, t;

        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void
lg_sha1(uint8_t out[20], const uint8_t *data, size_t len)
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    uint8_t tail[128];
    size_t full = len / 64 * 64, rest = len - full, tl;
    uint64_t bits = (uint64_t)len * 8;

    for (size_t i = 0; i < full; i += 64)
        sha1_block(h, data + i);
    memset(tail, 0, sizeof tail);
    if (rest > 0)
        memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    tl = rest + 1 + 8 <= 64 ? 64 : 128;
    for (int i = 0; i < 8; i++)
        tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha1_block(h, tail);
    if (tl == 128)
        sha1_block(h, tail + 64);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

void
lg_uuid5(char out[LG_UUID_STR], const uint8_t ns[16], const uint8_t *name, size_t len)
{
    uint8_t stack[512], *buf = stack, d[20];

    if (16 + len > sizeof stack && (buf = lg_malloc(16 + len)) == NULL) {
        /* Names are ids of at most a few hundred bytes; hash in two steps
         * would change the result, so fall back to a fixed value that can
         * never collide with a real UUIDv5 (version nibble 0). */
        snprintf(out, LG_UUID_STR, "00000000-0000-0000-0000-000000000000");
        return;
    }
    memcpy(buf, ns, 16);
    memcpy(buf + 16, name, len);
    lg_sha1(d, buf, 16 + len);
    if (buf != stack)
        lg_free(buf);
    d[6] = (uint8_t)((d[6] & 0x0f) | 0x50);
    d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
    snprintf(out, LG_UUID_STR,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1],
             d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
             d[15]);
}

int
lg_uuid_parse(uint8_t out[16], const char *s)
{
    size_t o = 0;

    if (strlen(s) != 36)
        return -1;
    for (size_t i = 0; i < 36;) {
        int hi, lo;

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i++] != '-')
                return -1;
            continue;
        }
        hi = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
             : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
                                          : -1;
        lo = s[i + 1] >= '0' && s[i + 1] <= '9'   ? s[i + 1] - '0'
             : s[i + 1] >= 'a' && s[i + 1] <= 'f' ? s[i + 1] - 'a' + 10
                                                  : -1;
        if (hi < 0 || lo < 0)
            return -1;
        out[o++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return 0;
}
