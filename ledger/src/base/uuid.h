/*
 * uuid.h (internal) - RFC 4122 (RFC 9562) name-based UUIDs, version 5.
 *
 * UUIDv5 = SHA-1(namespace || name), truncated to 16 bytes, with the
 * version (5) and variant (10xx) bits set. Used only to derive stable,
 * reproducible STIX ids from record ids; SHA-1 here is an identifier
 * function, never a security boundary (every signature and hash of the
 * ledger is SHA-256/Ed25519), which is why it lives here and not in
 * crypto.c.
 */
#ifndef LG_UUID_H
#define LG_UUID_H

#include <stddef.h>
#include <stdint.h>

#define LG_UUID_STR 37 /* 36 characters and a NUL */

/* SHA-1 (FIPS 180-4) of data. */
void lg_sha1(uint8_t out[20], const uint8_t *data, size_t len);

/* Lowercase "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" of UUIDv5(ns, name). */
void lg_uuid5(char out[LG_UUID_STR], const uint8_t ns[16], const uint8_t *name, size_t len);

/* Parse a canonical UUID string into 16 bytes; 0 or -1. */
int lg_uuid_parse(uint8_t out[16], const char *s);

#endif
