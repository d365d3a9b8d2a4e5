/*
 * hash.h (internal) - the hash type every part passes around: a SHA-256
 * value (RFC 6962 leaf and node hashes, record digests). Only the type:
 * the Merkle tree is tlog/merkle.h, hashing is crypto/crypto.h, so codec
 * and store can name a hash without depending on either.
 */
#ifndef LG_HASH_H
#define LG_HASH_H

#include <stdint.h>

#define LG_HASH 32

typedef uint8_t lg_hash[LG_HASH];

#endif
