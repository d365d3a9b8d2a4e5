/*
 * checkpoint.h - C2SP checkpoints and tlog-proof receipts, verified offline.
 *
 * A checkpoint is a C2SP signed note whose text is "origin\nsize\nroot\n"
 * (tlog-checkpoint v1); the log signs it with the Ed25519 key whose name is
 * the origin. A receipt is a C2SP tlog-proof: "c2sp.org/tlog-proof@v1",
 * "index N", the inclusion proof hashes, a blank line and the checkpoint.
 * Both verify with nothing but the log's verifier key.
 */
#ifndef ATTRLEDGER_CHECKPOINT_H
#define ATTRLEDGER_CHECKPOINT_H

#include "buf.h"
#include "common.h"
#include "key.h"

typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    uint64_t size;
    uint8_t root[LEDGER_HASH_SIZE];
} ledger_checkpoint;

/**
 * Verify a signed checkpoint note with the log's verifier key and parse it.
 * The origin must equal the key name. Signatures by other keys (witnesses)
 * are ignored.
 *
 * @return 0, LEDGER_EFORMAT (malformed note or body), LEDGER_EBADSIG (no
 *         valid signature by log_key, or a bad one), LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_checkpoint_verify(ledger_checkpoint *out,
                                                         const uint8_t *note, size_t len,
                                                         const ledger_vkey *log_key);

/** What a verified receipt proves. */
typedef struct {
    uint64_t index;
    uint8_t leaf_hash[LEDGER_HASH_SIZE];
    ledger_checkpoint checkpoint;
} ledger_receipt_info;

/**
 * Verify a tlog-proof receipt for `leaf` (the exact leaf bytes): the
 * checkpoint signature by log_key, the inclusion proof of the leaf hash
 * at the receipt's index, and that the leaf's own index field matches.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG, LEDGER_EPROOF, LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_receipt_verify(ledger_receipt_info *out,
                                                      const uint8_t *receipt, size_t receipt_len,
                                                      const uint8_t *leaf, size_t leaf_len,
                                                      const ledger_vkey *log_key);

#endif
