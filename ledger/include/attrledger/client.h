/*
 * client.h - a client of `attrledger serve` that trusts nothing it reads.
 *
 * Every answer is checked against the log's verifier key the caller pins
 * (LOG.vkey, obtained out of band): checkpoints by their signature,
 * receipts by signature and inclusion proof, and a submission's receipts
 * also by their leaf, which must carry exactly the record that was sent.
 * A server (or anything between) that lies is reported as LEDGER_EBADSIG,
 * LEDGER_EPROOF or LEDGER_ECORRUPT, never accepted.
 *
 * Submission is idempotent on the server, so a request that gets 429, 503
 * or no answer at all (connection refused or lost) is retried with
 * exponential backoff (honouring Retry-After); the receipts of a retried
 * request come back with existed: true if the first attempt had committed.
 * All HTTP goes through the one client of http.h (libcurl).
 */
#ifndef ATTRLEDGER_CLIENT_H
#define ATTRLEDGER_CLIENT_H

#include "buf.h"
#include "checkpoint.h"
#include "common.h"
#include "key.h"
#include "ledger.h"
#include "proof.h"
#include "record.h"

typedef struct {
    unsigned version;           /**< LEDGER_CLIENT_OPTIONS_VERSION */
    const ledger_vkey *log_key; /**< the pinned log key (required) */
    unsigned attempts;          /**< tries per request; 0 = 8 */
    unsigned backoff_ms;        /**< first wait between tries, doubled each time; 0 = 200 */
    unsigned max_wait_ms;       /**< longest single wait; 0 = 10000 */
} ledger_client_options;

#define LEDGER_CLIENT_OPTIONS_VERSION 1
#define LEDGER_CLIENT_OPTIONS_INIT                                                                 \
    {                                                                                              \
        LEDGER_CLIENT_OPTIONS_VERSION, NULL, 0, 0, 0                                               \
    }

/**
 * POST the envelopes as one request to URL/add-records (they stand or
 * fall together) and check every receipt: log signature with the pinned
 * key, inclusion proof of the returned leaf, and that the leaf holds
 * exactly the record bytes of envs[i] at the receipt's index.
 *
 * @param[out] receipts_out  n receipts (leaf and receipt filled), only on
 *                           success; release with ledger_receipts_dispose()
 * @return 0; a refusal by the server with its message ("server refused
 *         record N: ..."): LEDGER_EFORMAT (400, 413, 415), LEDGER_EBADSIG
 *         (403 bad_signature), LEDGER_EPOLICY (403, 422), LEDGER_EEXISTS
 *         (record_id_conflict); a lying server: LEDGER_EBADSIG, LEDGER_EPROOF,
 *         LEDGER_ECORRUPT; LEDGER_EIO (unreachable or busy after every
 *         attempt), LEDGER_EINVAL, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_client_submit(ledger_receipt *receipts_out, const char *url,
                                    ledger_envelope *const *envs, size_t n,
                                    const ledger_client_options *opts);

/**
 * GET URL/checkpoint and verify it with the pinned key.
 *
 * @param[out] note_out  the note as served (with any cosignatures)
 * @param[out] cp_out    its parsed body (may be NULL)
 * @return 0, LEDGER_EBADSIG, LEDGER_EFORMAT, LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_client_checkpoint(ledger_buf *note_out, ledger_checkpoint *cp_out,
                                        const char *url, const ledger_client_options *opts);

/**
 * Fetch one entry (INDEX, or a RECORD_ID) with its receipt and verify the
 * receipt (pinned key, inclusion proof) for the fetched leaf.
 *
 * @param[out] leaf_out     the exact leaf bytes
 * @param[out] receipt_out  the tlog-proof receipt (may be NULL)
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EBADSIG, LEDGER_EPROOF, LEDGER_EFORMAT,
 *         LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_client_entry(ledger_buf *leaf_out, ledger_buf *receipt_out, const char *url,
                                   const char *index_or_id, const ledger_client_options *opts);

/**
 * Fetch an inclusion proof of entry `index` in the tree of `size` (0 = the
 * latest signed size) from URL/proof/inclusion and verify it: the latest
 * checkpoint's signature with the pinned key, the proof, and that its root
 * is the signed root (at the latest size) or consistent with it (a smaller
 * size: the consistency proof is fetched and verified too).
 *
 * @param[out] out     the verified proof
 * @param[out] cp_out  the signed checkpoint it was tied to (may be NULL)
 * @return 0, LEDGER_ENOTFOUND (index or size beyond the signed tree),
 *         LEDGER_EPROOF, LEDGER_EBADSIG, LEDGER_EFORMAT, LEDGER_EIO,
 *         LEDGER_EINVAL, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_client_prove_inclusion(ledger_inclusion_proof *out, ledger_checkpoint *cp_out,
                                             const char *url, uint64_t index, uint64_t size,
                                             const ledger_client_options *opts);

/**
 * Fetch the consistency proof old_size -> new_size (0 = the latest signed
 * size) from URL/proof/consistency and verify it, its new root tied to the
 * latest signed checkpoint as for ledger_client_prove_inclusion(). The old
 * root it proves is the server's word until compared with a checkpoint the
 * caller kept.
 *
 * @return as ledger_client_prove_inclusion(); LEDGER_EINVAL if old > new.
 */
LEDGER_API int ledger_client_prove_consistency(ledger_consistency_proof *out,
                                               ledger_checkpoint *cp_out, const char *url,
                                               uint64_t old_size, uint64_t new_size,
                                               const ledger_client_options *opts);

#endif
