/*
 * ledger.h - the ledger handle: create, open, submit, read, prove, verify.
 *
 * A ledger lives in a directory: the LMDB store (data.mdb, lock.mdb), the
 * log signing key (log.key) and its verifier key (log.vkey). Entry 0 is the
 * genesis LedgerPolicy signed by the log key. Every submission (one record
 * or a batch) is one LMDB write transaction that appends the entries, their
 * Merkle hashes, the index rows and a newly signed checkpoint, or nothing.
 *
 * Threading: a ledger_log handle is used by one thread at a time. Several
 * processes may open the same ledger; LMDB serialises writers (a submit
 * waits for the lock) and readers never block.
 */
#ifndef ATTRLEDGER_LEDGER_H
#define ATTRLEDGER_LEDGER_H

#include "buf.h"
#include "checkpoint.h"
#include "common.h"
#include "key.h"
#include "proof.h"
#include "record.h"

typedef struct ledger_log ledger_log;

typedef struct {
    unsigned version;          /**< LEDGER_INIT_OPTIONS_VERSION */
    const char *origin;        /**< checkpoint origin = log key name */
    const ledger_key *log_key; /**< signs genesis and checkpoints */
    const ledger_vkey *admins; /**< initial ADMIN participants (id = key name) */
    size_t n_admins;
    uint32_t panel_size;         /**< findings' default panel size; 0 = 5 */
    uint32_t approvals_required; /**< approvals needed of panel_size; 0 = 4 (with 5) */
} ledger_init_options;

#define LEDGER_INIT_OPTIONS_VERSION 1
#define LEDGER_INIT_OPTIONS_INIT                                                                   \
    {                                                                                              \
        LEDGER_INIT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0                                     \
    }

/**
 * Create a ledger in an existing empty directory: the store, the genesis
 * entry (index 0) and its signed checkpoint. Key files are the caller's job.
 *
 * @param[out] out  the open ledger (read-write); free with ledger_log_free()
 * @return 0, LEDGER_EINVAL (origin is not the log key's name, bad options),
 *         LEDGER_EEXISTS (a ledger is already there), LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_create(ledger_log **out, const char *dir,
                                 const ledger_init_options *opts);

#define LEDGER_OPEN_READONLY 0x1u

/**
 * Open an existing ledger.
 *
 * @return 0, LEDGER_ENOTFOUND (no ledger in dir), LEDGER_ECORRUPT,
 *         LEDGER_EVERSION, LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_open(ledger_log **out, const char *dir, unsigned flags);

/** Close a ledger. Accepts NULL. */
LEDGER_API void ledger_log_free(ledger_log *log);

/**
 * Give the handle the log signing key (needed to submit). The key is
 * borrowed and must outlive the handle's use; its public key must match the
 * genesis entry's log key.
 *
 * @return 0, LEDGER_EBADSIG (not this ledger's log key).
 */
LEDGER_API int ledger_log_set_signer(ledger_log *log, const ledger_key *log_key);

/**
 * Progress of a long operation on a handle: about `done` of `total`
 * entries (an export that reads the entries twice counts each read as
 * half an entry). Called on the calling thread for the first entry, every
 * 1,024 entries of a pass and once at the end (done == total); it must not
 * call back into the handle.
 */
typedef void (*ledger_progress_fn)(void *payload, uint64_t done, uint64_t total);

/**
 * Report the progress of ledger_log_verify() and the exports (export.h)
 * run on this handle to fn (NULL: stop reporting). Nothing is reported by
 * default.
 */
LEDGER_API void ledger_log_set_progress(ledger_log *log, ledger_progress_fn fn, void *payload);

typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    uint64_t size; /**< number of entries */
    uint8_t root[LEDGER_HASH_SIZE];
    uint8_t log_public_key[LEDGER_PUBKEY_SIZE];
    int mirror; /**< 1: a mirror (mirror.h), which refuses submissions */
} ledger_log_info;

/** Origin, size and root as committed. @return 0, LEDGER_ECORRUPT, LEDGER_EIO. */
LEDGER_API int ledger_log_info_get(ledger_log_info *out, ledger_log *log);

/**
 * The signed checkpoint note for tree `size` (0 = the latest), as stored.
 *
 * @return 0, LEDGER_ENOTFOUND (no checkpoint was signed at that size).
 */
LEDGER_API int ledger_log_checkpoint(ledger_buf *out, ledger_log *log, uint64_t size);

/** Leaf bytes of entry `index`. @return 0, LEDGER_ENOTFOUND, LEDGER_EIO. */
LEDGER_API int ledger_log_entry(ledger_buf *out, ledger_log *log, uint64_t index);

/** Entry index of a record_id. @return 0, LEDGER_ENOTFOUND. */
LEDGER_API int ledger_log_lookup(uint64_t *index_out, ledger_log *log, const char *record_id);

/** One result of a submission. */
typedef struct {
    uint64_t index;
    int existed; /**< 1: identical record was already there */
    char record_id[LEDGER_ID_MAX + 1];
    uint8_t leaf_hash[LEDGER_HASH_SIZE];
    ledger_buf leaf;    /**< exact leaf bytes */
    ledger_buf receipt; /**< C2SP tlog-proof text */
} ledger_receipt;

/**
 * Submit signed envelopes as one batch: validate each record, check every
 * signature and the ledger's policy, then append all of them with their
 * hashes, index rows and one newly signed checkpoint in a single write
 * transaction. If any record is rejected nothing is written. A record
 * identical to one already in the ledger returns its existing entry
 * (idempotent); a different record reusing a record_id is rejected.
 *
 * @param[out] receipts_out  array of n receipts, filled on success; release
 *                           with ledger_receipts_dispose()
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG, LEDGER_EPOLICY, LEDGER_EEXISTS
 *         (record_id reused), LEDGER_EREADONLY, LEDGER_EINVAL (no signer),
 *         LEDGER_EFULL, LEDGER_EBUSY, LEDGER_EIO, LEDGER_ENOMEM. The message
 *         names the record (batch position and record_id).
 */
LEDGER_API int ledger_log_submit(ledger_receipt *receipts_out, ledger_log *log,
                                 ledger_envelope *const *envs, size_t n);

/** One request of a group commit (ledger_log_submit_group()). */
typedef struct {
    ledger_envelope *const *envs; /**< in: the request's records, borrowed */
    size_t n;                     /**< in: how many (at least 1) */
    ledger_receipt *receipts;     /**< in: array of n; filled when rc is 0 after the call */
    int rc;                       /**< out: 0 (committed), or why this request was refused */
    size_t failed;                /**< out: when refused, the position in envs of the record */
    char message[256];            /**< out: when refused, the one-line message */
    int refusal;                  /**< out: when rc is LEDGER_EPOLICY, its ledger_refusal kind */
} ledger_batch;

/**
 * Group commit: submit several independent batches in ONE write
 * transaction with ONE signed checkpoint (one fsync, one signature), as a
 * server does with the requests that arrive while a commit is in flight.
 * Each batch stands or falls alone, exactly like ledger_log_submit() of
 * that batch run after the batches before it that were accepted: a batch
 * with a refused record (format, signature, policy, reused record_id) gets
 * its own rc and message and leaves no trace, and the others still
 * commit. Receipts of every accepted batch are against the group's
 * checkpoint.
 *
 * @param[in,out] batches  the requests, in order of arrival
 * @return 0 when every batch either committed or was refused (look at each
 *         batch's rc; 0 also when all were refused), or a failure of the
 *         whole group, which then wrote nothing and sets that code in each
 *         batch not refused before: LEDGER_EINVAL (empty batch, no signer),
 *         LEDGER_EREADONLY, LEDGER_EFULL, LEDGER_EBUSY, LEDGER_EIO,
 *         LEDGER_ECORRUPT, LEDGER_ENOMEM. Release the receipts with
 *         ledger_receipts_dispose().
 */
LEDGER_API int ledger_log_submit_group(ledger_log *log, ledger_batch *batches, size_t n);

/**
 * Check an envelope's signatures now, against the keys the log's registry
 * holds, and keep the verdicts in the envelope for a later submission of
 * it: a server does this on its request threads, so the one thread that
 * commits groups does not. Only a hint, never a decision: a submission
 * uses a verdict only when its registry check resolves the same public
 * key, and checks every other signature itself, so what it accepts or
 * refuses, and why, is the same with or without this call. Do not change
 * the envelope in between.
 */
LEDGER_API void ledger_log_precheck(ledger_log *log, ledger_envelope *env);

/** Release the buffers of n receipts. */
LEDGER_API void ledger_receipts_dispose(ledger_receipt *receipts, size_t n);

/**
 * JSON of a submission: {"checkpoint": note, "entries": [{"index",
 * "record_id", "leaf_hash", "existed", "receipt"}]}. NUL-terminated.
 */
LEDGER_API int ledger_receipts_to_json(ledger_buf *out, const ledger_receipt *receipts, size_t n);

/**
 * Inclusion proof of entry `index` in the tree of `size` entries (0 = the
 * current size), with that tree's root.
 *
 * @return 0, LEDGER_EINVAL (index >= size or size > current), LEDGER_ECORRUPT.
 */
LEDGER_API int ledger_log_prove_inclusion(ledger_inclusion_proof *out, ledger_log *log,
                                          uint64_t index, uint64_t size);

/**
 * Consistency proof between tree sizes old_size and new_size (0 = current).
 *
 * @return 0, LEDGER_EINVAL (old_size > new_size or new_size > current), LEDGER_ECORRUPT.
 */
LEDGER_API int ledger_log_prove_consistency(ledger_consistency_proof *out, ledger_log *log,
                                            uint64_t old_size, uint64_t new_size);

/**
 * Visit entries from `start` in index order. The leaf pointer is valid
 * only during the callback. The callback returns 0 to go on, 1 to stop, or
 * a negative code that is returned.
 */
typedef int (*ledger_entry_fn)(void *payload, uint64_t index, const uint8_t *leaf, size_t len);
LEDGER_API int ledger_log_scan(ledger_log *log, uint64_t start, ledger_entry_fn fn, void *payload);

typedef struct {
    unsigned version;           /**< LEDGER_VERIFY_OPTIONS_VERSION */
    const ledger_vkey *log_key; /**< trusted log key (required) */
    const uint8_t *checkpoint;  /**< optional checkpoint kept outside the ledger */
    size_t checkpoint_len;
    unsigned threads; /**< signature-check threads; 0 = all cores */
} ledger_verify_options;

#define LEDGER_VERIFY_OPTIONS_VERSION 1
#define LEDGER_VERIFY_OPTIONS_INIT                                                                 \
    {                                                                                              \
        LEDGER_VERIFY_OPTIONS_VERSION, NULL, NULL, 0, 0                                            \
    }

typedef struct {
    uint64_t entries;     /**< entries checked */
    uint64_t signatures;  /**< signatures checked */
    uint64_t checkpoints; /**< stored checkpoints checked */
    uint8_t root[LEDGER_HASH_SIZE];
    int bad_index_valid; /**< 1 when bad_index names the first bad entry */
    uint64_t bad_index;
} ledger_verify_report;

/**
 * The full audit (docs/ARCHITECTURE.md, core/verify.c): stream every entry, check its
 * encoding, index and time order, every signature and policy rule by
 * replaying the registry from genesis, recompute the tree and compare every
 * stored hash and checkpoint (signature, root, consistency), and compare
 * the derived indexes with the stored ones. With opts->checkpoint, also
 * check that the ledger is consistent with that checkpoint (catches a
 * rollback or a fork).
 *
 * @return 0 (intact), LEDGER_ECORRUPT (damage; the message names the first
 *         bad index and record_id and what is wrong), LEDGER_EBADSIG,
 *         LEDGER_EPROOF, LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_log_verify(ledger_verify_report *out, ledger_log *log,
                                                  const ledger_verify_options *opts);

/* ---- witnessing, the log's side: ask a witness, store its cosignatures,
 * hand out checkpoints and receipts with them (the witness's own calls are
 * ledger_witness_* in witness.h) ---- */

/** What a witness answered to ledger_log_request_cosignature(). */
typedef struct {
    int status;            /**< the witness's last HTTP status (200: cosigned and stored) */
    uint64_t size;         /**< the checkpoint size sent */
    uint64_t witness_size; /**< the size the witness had cosigned before (learnt from 409) */
    char message[256];     /**< first line of the witness's body when it refused */
} ledger_witness_exchange;

/**
 * Send the stored checkpoint of tree `size` (0 = latest) to a witness
 * (tlog-witness add-checkpoint through `witness`, a fetcher whose prefix is
 * the witness's URL): first "old 0"; on 409 the witness's size S is learnt
 * and the request sent again with the consistency proof from S. A 200's
 * cosignature is verified with witness_key and stored with the checkpoint
 * (ledger_log_add_cosignatures). Any other answer is reported in *out.
 *
 * @return 0 when the witness answered (look at out->status; 200 means
 *         stored), LEDGER_EIO (unreachable), LEDGER_EBADSIG (its
 *         cosignature does not verify), LEDGER_ENOTFOUND (no checkpoint of
 *         that size), LEDGER_EFORMAT, LEDGER_ENOMEM.
 */
struct ledger_http_fetcher;
LEDGER_API int ledger_log_request_cosignature(ledger_witness_exchange *out, ledger_log *log,
                                              uint64_t size, struct ledger_http_fetcher *witness,
                                              const ledger_vkey *witness_key);

/* ---- cosignatures stored with a ledger ---- */

/**
 * Verify witness cosignature lines against the stored checkpoint of tree
 * `size` (0 = the latest) and store them with the ledger. `text` is either
 * cosignature lines ("— name base64\n"...) or a whole cosigned checkpoint
 * note, whose body must then equal the stored checkpoint's (and whose size
 * is used when `size` is 0). Every line must be a valid cosignature by one
 * of `witnesses` (type 0x04 keys); other lines (the log's own signature in
 * a whole note) are ignored. Storing the same witness again replaces its
 * line.
 *
 * @param[out] added_out  cosignatures stored (optional)
 * @return 0, LEDGER_EFORMAT, LEDGER_ENOTFOUND (no checkpoint of that size),
 *         LEDGER_EBADSIG (a line does not verify, or none is by a given
 *         witness), LEDGER_EREADONLY, LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_add_cosignatures(size_t *added_out, ledger_log *log, uint64_t size,
                                           const uint8_t *text, size_t len,
                                           const ledger_vkey *witnesses, size_t n_witnesses);

/**
 * The signed checkpoint of tree `size` (0 = latest) with every stored
 * cosignature line appended.
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_checkpoint_cosigned(ledger_buf *out, ledger_log *log, uint64_t size);

/**
 * A C2SP tlog-proof receipt for entry `index` against the checkpoint of
 * tree `size` (0 = latest; a checkpoint must have been signed at that
 * size), including stored cosignatures when `cosigned` is non-zero.
 *
 * @return 0, LEDGER_EINVAL (index >= size), LEDGER_ENOTFOUND, LEDGER_ECORRUPT,
 *         LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_receipt(ledger_buf *out, ledger_log *log, uint64_t index, uint64_t size,
                                  int cosigned);

#endif
