/*
 * b64.h - standard base64 (RFC 4648 section 4, with padding), strict;
 * and lowercase hex, for places where base64's '+' and '/' do not fit
 * (CSV cells, STIX hashes).
 */
#ifndef LG_B64_H
#define LG_B64_H

#include <stddef.h>
#include <stdint.h>

/* Encoded length of n bytes, not counting a NUL. */
#define LG_B64_LEN(n) ((((n) + 2) / 3) * 4)

/* Encode n bytes into out (LG_B64_LEN(n) + 1 bytes, NUL-terminated). */
void lg_b64_encode(char *out, const uint8_t *in, size_t n);

/*
 * Decode strict standard base64: the padded alphabet only, length a multiple
 * of 4, zero trailing bits (so every byte string has exactly one encoding).
 * out must hold len / 4 * 3 bytes. Returns 0 and sets *out_len, or -1.
 */
int lg_b64_decode(uint8_t *out, size_t *out_len, const char *in, size_t len);

/* Encode n bytes as lowercase hex into out (2n + 1 bytes, NUL-terminated). */
void lg_hex_encode(char *out, const uint8_t *in, size_t n);

/* Allocating variants (lg_malloc); return NULL on bad input or no memory. */
char *lg_b64_encode_alloc(const uint8_t *in, size_t n);

#endif
