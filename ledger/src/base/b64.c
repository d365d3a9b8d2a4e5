/*
 * b64.c - strict standard base64 (RFC 4648 section 4).
 *
 * Every hash, key and signature in our text formats (notes, proofs, JSON)
 * is standard padded base64. Decoding is strict: one encoding per byte
 * string, so a note or receipt cannot be altered by re-encoding a field
 * (RFC 4648 section 3.5, canonical encoding).
 */
#include "base/b64.h"

#include "attrledger/buf.h"
#include "base/alloc.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
lg_b64_encode(char *out, const uint8_t *in, size_t n)
{
    size_t i = 0;

    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
    *out = '\0';
}

static int
value_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int
lg_b64_decode(uint8_t *out, size_t *out_len, const char *in, size_t len)
{
    size_t o = 0;

    if (len % 4 != 0)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;

        for (int k = 0; k < 4; k++) {
            if (in[i + k] == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad > 0)
                return -1; /* data after '=' */
            v[k] = value_of(in[i + k]);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        out[o++] = (uint8_t)(w >> 16);
        if (pad == 2) {
            if ((w & 0xffff) != 0)
                return -1; /* non-canonical trailing bits */
            break;
        }
        out[o++] = (uint8_t)(w >> 8);
        if (pad == 1) {
            if ((w & 0xff) != 0)
                return -1;
            break;
        }
        out[o++] = (uint8_t)w;
    }
    *out_len = o;
    return 0;
}

void
ledger_b64_encode(char *out, const uint8_t *in, size_t n)
{
    lg_b64_encode(out, in, n);
}

void
lg_hex_encode(char *out, const uint8_t *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

char *
lg_b64_encode_alloc(const uint8_t *in, size_t n)
{
    char *s = lg_malloc(LG_B64_LEN(n) + 1);

    if (s != NULL)
        lg_b64_encode(s, in, n);
    return s;
}
