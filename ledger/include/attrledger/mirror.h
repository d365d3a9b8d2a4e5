/*
 * mirror.h - a verified copy of a remote log, and the fork reports that
 * prove a log showed two histories.
 *
 * A mirror follows a log through its C2SP tlog-tiles (checkpoint and entry
 * bundles) into a local ledger directory. Every new entry is checked the
 * way `audit --tiles` checks it (the leaf's encoding, index and time order,
 * genesis against the trusted key, the ledger's rules and every signature
 * against the key registry built from the entries before it) and the tree
 * of the mirror's entries plus the new ones must have the root of the
 * remote checkpoint, which must verify with the trusted log key. Only then
 * are the entries, their hashes and index rows, and the remote's signed
 * checkpoint appended, in one store transaction. The directory is then an
 * ordinary ledger (verify, show, views, exports) that refuses submissions.
 *
 * When the remote checkpoint contradicts what the mirror holds (another
 * root at the same size, a larger tree whose first entries are not the
 * mirror's, or a smaller tree that is not a prefix of it), nothing is
 * written and the caller gets a fork report: both signed checkpoints and,
 * when their sizes differ, a consistency proof within the larger tree that
 * shows its prefix of the smaller size has another root than the smaller
 * checkpoint. Anyone with the log's verifier key can check it
 * (ledger_fork_verify); docs/FORMATS.md defines the bytes.
 */
#ifndef ATTRLEDGER_MIRROR_H
#define ATTRLEDGER_MIRROR_H

#include "audit.h"
#include "buf.h"
#include "checkpoint.h"
#include "common.h"
#include "key.h"

/* ---- fork reports ---- */

/** What a verified fork report proves. */
typedef struct {
    ledger_checkpoint held;  /**< the first checkpoint (the one a mirror or witness held) */
    ledger_checkpoint other; /**< the conflicting checkpoint */
} ledger_fork_info;

/** Largest fork report accepted, in bytes. */
#define LEDGER_FORK_REPORT_MAX (2u * (1u << 20) + 8192u)

/**
 * Build a fork report from two signed checkpoint notes of one log. When
 * their sizes differ, `prefix_root` is the root of the larger tree's first
 * (smaller size) entries and `proof` a consistency proof from the smaller
 * size to the larger within the larger tree (RFC 9162 2.1.4.1).
 *
 * @return 0, LEDGER_EINVAL (bad argument, more than 64 hashes), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_fork_report_format(ledger_buf *out, const uint8_t *held, size_t held_len,
                                         const uint8_t *other, size_t other_len,
                                         const uint8_t prefix_root[LEDGER_HASH_SIZE],
                                         const uint8_t (*proof)[LEDGER_HASH_SIZE], size_t n);

/**
 * Check a fork report: both checkpoints verify with log_key (so both were
 * signed by the log) and they conflict: equal sizes with different roots,
 * or the proof shows that the larger tree's prefix root differs from the
 * smaller checkpoint's root.
 *
 * @return 0 (the log forked), LEDGER_EFORMAT (malformed report),
 *         LEDGER_EBADSIG (a checkpoint is not signed by log_key),
 *         LEDGER_EPROOF (the report proves nothing: the checkpoints are
 *         consistent, or the proof does not verify), LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_fork_verify(ledger_fork_info *out, const uint8_t *report,
                                                   size_t len, const ledger_vkey *log_key);

/* ---- mirrors ---- */

/** Progress of a mirror run: entries appended so far of `total` new ones. */
typedef void (*ledger_mirror_progress_fn)(void *payload, uint64_t done, uint64_t total);

typedef struct {
    unsigned version;                   /**< LEDGER_MIRROR_OPTIONS_VERSION */
    const ledger_vkey *log_key;         /**< the remote log's key (Ed25519, name = origin) */
    const char *source;                 /**< where it is mirrored from (kept in the ledger) */
    ledger_mirror_progress_fn progress; /**< optional, called after each bundle */
    void *progress_payload;
} ledger_mirror_options;

#define LEDGER_MIRROR_OPTIONS_VERSION 1
#define LEDGER_MIRROR_OPTIONS_INIT                                                                 \
    {                                                                                              \
        LEDGER_MIRROR_OPTIONS_VERSION, NULL, NULL, NULL, NULL                                      \
    }

/** Outcome of ledger_mirror_sync(). */
typedef struct {
    ledger_checkpoint held;   /**< what the mirror held before (size 0: new mirror) */
    ledger_checkpoint remote; /**< the remote's verified checkpoint */
    uint64_t appended;        /**< entries appended by this run */
    uint64_t bundles;         /**< entry bundles fetched */
    int created;              /**< 1 when this run created the mirror */
    int fork;                 /**< 1 when fork_report holds a report */
    ledger_buf fork_report;   /**< on a fork: the report (dispose it) */
} ledger_mirror_report;

/**
 * Bring the mirror in `dir` up to the remote's checkpoint. A directory
 * without a ledger becomes a new mirror (the store and DIR/log.vkey); an
 * existing one must be a mirror of the same log key.
 *
 * @param[out] out  always filled; dispose out->fork_report
 * @return 0 (up to date, possibly nothing new), LEDGER_EPROOF (fork or
 *         rollback: nothing written; out->fork says whether a report was
 *         made, the message names both checkpoints; or the remote's
 *         entries do not hash to its checkpoint), LEDGER_EBADSIG,
 *         LEDGER_EPOLICY, LEDGER_EFORMAT (an entry or the checkpoint),
 *         LEDGER_ECORRUPT (a bundle the checkpoint implies is missing),
 *         LEDGER_EINVAL (dir holds another ledger or another log's mirror),
 *         LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_mirror_sync(ledger_mirror_report *out, const char *dir,
                                                   ledger_fetch_fn fetch, void *payload,
                                                   const ledger_mirror_options *opts);

/**
 * The mirror as a cosigner (C2SP tlog-mirror's cosigner role): cosign the
 * mirror's latest checkpoint with `key` (cosignature/v1, as a witness
 * does) and store the line with it, so `checkpoint --with-cosignatures`
 * and receipts carry it and a tlog-policy can count the mirror like a
 * witness. A mirror only ever stores a checkpoint whose tree it rebuilt
 * from verified entries and that extends everything it held, which is
 * exactly what a witness cosignature asserts.
 *
 * @param[out] line_out  the cosignature line (optional; dispose it)
 * @param[in]  timestamp Unix seconds; 0 = now
 * @return 0, LEDGER_EINVAL (not a mirror), LEDGER_ENOTFOUND, LEDGER_EIO,
 *         LEDGER_ENOMEM.
 */
LEDGER_API int ledger_mirror_cosign(ledger_buf *line_out, const char *dir, const ledger_key *key,
                                    uint64_t timestamp);

/** Release the report's buffer. Accepts NULL. */
LEDGER_API void ledger_mirror_report_dispose(ledger_mirror_report *r);

#endif
