/*
 * audit.h - offline verification of what a ledger exported, with nothing
 * but the log's verifier key: JSON Lines audit trails and tlog-tiles trees.
 *
 * An audit replays what `attrledger verify` checks, on the exported bytes
 * alone: the checkpoint signature; for every entry its leaf hash, its
 * inclusion in the checkpoint's tree (trails) or the whole tree rebuilt
 * from the entry bundles (tiles); the leaf's own index and the
 * integrated_time order; the record's canonical encoding; every signature,
 * against the participant registrations the export carries; and the
 * ledger's authorisation rules, by replaying the key registry from
 * genesis. The first failure stops the audit; its message names the line or
 * entry and the problem.
 *
 * Limits of a partial trail (one incident or a range): it proves that each
 * entry it holds is in the log, correctly signed and allowed, but it cannot
 * prove that the exporter left nothing out. A complete trail (every entry)
 * or a tiles tree proves the whole log.
 */
#ifndef ATTRLEDGER_AUDIT_H
#define ATTRLEDGER_AUDIT_H

#include "buf.h"
#include "checkpoint.h"
#include "common.h"
#include "key.h"

/** Result of a successful audit. */
typedef struct {
    ledger_checkpoint checkpoint;     /**< the verified checkpoint audited against */
    uint64_t entries;                 /**< entries checked */
    uint64_t signatures;              /**< record signatures verified */
    uint64_t selected;                /**< trail: entries in the trail's selection */
    uint64_t context;                 /**< trail: registry and referenced entries */
    int complete;                     /**< 1 when every entry of the tree was checked */
    int consistent_with_old;          /**< tiles: 1 when an older checkpoint was proved a prefix */
    uint64_t tiles;                   /**< tiles: tiles and bundles read */
    char incident[LEDGER_ID_MAX + 1]; /**< trail: the selected incident, "" when none */
} ledger_audit_report;

/** Incremental audit of a JSON Lines trail. */
typedef struct ledger_audit ledger_audit;

/** Longest line accepted in a trail (header or entry). */
#define LEDGER_AUDIT_MAX_LINE (4u << 20)

/**
 * Start auditing a trail against a trusted log key.
 *
 * @param[out] out      free with ledger_audit_free()
 * @param[in]  log_key  the log's verifier key (type Ed25519), copied
 * @return 0, LEDGER_EINVAL (not an Ed25519 key), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_audit_new(ledger_audit **out, const ledger_vkey *log_key);

/**
 * Feed the next line of the trail, including its '\n' (the last line of a
 * file without a newline is rejected). After a failure every further call
 * returns the same code.
 *
 * @return 0, LEDGER_EFORMAT (malformed or non-canonical line, a field that
 *         does not match the leaf; "line N: ..."), LEDGER_EVERSION (unknown
 *         trail version), LEDGER_EBADSIG (checkpoint or record signature),
 *         LEDGER_EPROOF (inclusion proof, leaf hash), LEDGER_EPOLICY (an
 *         entry the ledger's rules forbid), LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_audit_line(ledger_audit *a, const uint8_t *line, size_t len);

/**
 * Finish: the number of entry lines matches the header, genesis is
 * present, every entry belongs to the trail's selection (or is registry or
 * referenced context), and a range selection has no gaps.
 *
 * @return 0 and the report, or the codes of ledger_audit_line().
 */
LEDGER_NODISCARD LEDGER_API int ledger_audit_finish(ledger_audit_report *out, ledger_audit *a);

/** Free an audit. Accepts NULL. */
LEDGER_API void ledger_audit_free(ledger_audit *a);

/**
 * Fetch one resource of a tiles tree by its path relative to the tree's
 * prefix ("checkpoint", "tile/0/000", "tile/entries/001.p/17"). Store the
 * bytes in *out (allocated with ledger_buf_alloc()). Return 0,
 * LEDGER_ENOTFOUND when the resource does not exist, LEDGER_EFORMAT when it
 * is larger than `max`, or another negative code (LEDGER_EIO). A fetcher
 * may set the last error's message (naming the file or URL and the cause);
 * when it sets none, the auditor's message names the path. A directory
 * fetcher is a few lines; ledger_http_fetch() (http.h) reads over HTTP(S).
 */
typedef int (*ledger_fetch_fn)(void *payload, const char *path, size_t max, ledger_buf *out);

/**
 * Audit a C2SP tlog-tiles tree: verify the checkpoint, read every entry
 * bundle the checkpoint implies and rebuild the tree, check every Merkle
 * tile against it and the root against the checkpoint, and check every
 * entry (index, time order, encoding, signatures, policy replayed from
 * genesis). A partial tile or bundle that is not found is read from the
 * full one instead (C2SP tlog-tiles lets servers delete partial tiles once
 * the full tile exists). With old_checkpoint (a checkpoint signed by the
 * same key), also prove that the log only grew: the tree of the old size
 * has the old root.
 *
 * @param[in] old_checkpoint  older signed checkpoint, or NULL
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG, LEDGER_EPROOF (a tile, bundle
 *         or root does not match; the old checkpoint is not a prefix),
 *         LEDGER_EPOLICY, LEDGER_ECORRUPT (a resource the checkpoint implies
 *         is missing), LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_audit_tiles(ledger_audit_report *out, ledger_fetch_fn fetch,
                                                   void *payload, const ledger_vkey *log_key,
                                                   const uint8_t *old_checkpoint, size_t old_len);

#endif
