/*
 * export.h - what a ledger publishes for others: audit trails, tlog-tiles,
 * STIX 2.1 bundles, CSV and Graphviz graphs.
 *
 * Every export reads one consistent snapshot of the ledger and is proved
 * against a stored signed checkpoint (by default the latest), so what it
 * says can be checked offline with audit.h and only the log's verifier key.
 * Output goes through a caller-supplied writer (ledger_write_fn), except
 * tiles, which the library writes as a directory tree. docs/FORMATS.md
 * (sections 9-12) defines every format byte by byte.
 *
 * Selection (audit trail, STIX, CSV, DOT): entries with index in
 * [since, until] and, with an incident key, only those touching that
 * incident (its reports and revisions; evidence, claims and findings naming
 * it; opinions and retractions on those; votes on those findings). The
 * audit trail adds the records needed to read and check the selection:
 * genesis, every participant registration and key revocation, and every
 * record the selection references (actors, evidence, ...).
 */
#ifndef ATTRLEDGER_EXPORT_H
#define ATTRLEDGER_EXPORT_H

#include "buf.h"
#include "common.h"
#include "ledger.h"

/**
 * Output sink: write `len` bytes. Return 0, or a negative ledger_err that
 * stops the export and is returned unchanged (set a message with it if you
 * want one shown; otherwise the caller reports its own).
 */
typedef int (*ledger_write_fn)(void *payload, const uint8_t *data, size_t len);

typedef struct {
    unsigned version;     /**< LEDGER_EXPORT_OPTIONS_VERSION */
    uint64_t since;       /**< first index of the selection (default 0) */
    uint64_t until;       /**< last index, inclusive (default UINT64_MAX: to the end) */
    const char *incident; /**< incident key or record_id; NULL: every entry in range */
    uint64_t tree_size;   /**< stored checkpoint to export against; 0: the latest */
} ledger_export_options;

#define LEDGER_EXPORT_OPTIONS_VERSION 1
#define LEDGER_EXPORT_OPTIONS_INIT                                                                 \
    {                                                                                              \
        LEDGER_EXPORT_OPTIONS_VERSION, 0, UINT64_MAX, NULL, 0                                      \
    }

/** What an export wrote. */
typedef struct {
    uint64_t tree_size; /**< size of the checkpoint the export is proved against */
    uint64_t selected;  /**< entries in the selection */
    uint64_t context;   /**< entries added for checking (registry) or reading (references) */
    uint64_t objects;   /**< STIX objects, CSV rows or graph edges written */
} ledger_export_report;

/** Format version written in audit-trail headers ("version": 1). */
#define LEDGER_AUDIT_TRAIL_VERSION 1

/**
 * Write a JSON Lines audit trail (docs/FORMATS.md section 9). Line 1 is
 * the header: {"format": "attrledger/audit-trail", "version": 1, "origin",
 * "vkey" (the log's verifier key string), "checkpoint" (the signed note),
 * "tree_size", "root", "selection": {"since", "until"[, "incident"]},
 * "entries" (number of entry lines)}. Then one line per entry, in index
 * order: {"index", "integrated_time", "leaf" (base64 of the exact leaf
 * bytes), "leaf_hash", "record_digest", "record" (proto3 JSON),
 * "signatures", "inclusion_proof" (base64 hashes against the header's
 * checkpoint)}. Every line is compact JSON ending in '\n'; the same ledger
 * and options always give the same bytes.
 *
 * @param[out] out   counts (optional, may be NULL)
 * @param[in]  log   an open ledger (read-only is enough)
 * @param[in]  opts  selection and checkpoint; NULL for the defaults
 * @return 0, LEDGER_EINVAL (bad options: since beyond the tree, since >
 *         until, unknown options version), LEDGER_ENOTFOUND (no checkpoint
 *         of opts->tree_size; no entry touches the incident), LEDGER_ECORRUPT,
 *         LEDGER_EIO, LEDGER_ENOMEM, or the writer's code.
 */
LEDGER_API int ledger_export_audit(ledger_export_report *out, ledger_log *log,
                                   const ledger_export_options *opts, ledger_write_fn write,
                                   void *payload);

/**
 * Write a STIX 2.1 bundle of the selection (docs/FORMATS.md section 12,
 * which gives the mapping of every field): identities for
 * participants and states (with locations), threat-actor or intrusion-set
 * for actors, incident with the OASIS Incident Core extension, grouping +
 * note for evidence, relationship attributed-to (with confidence) for
 * claims and for the body's conclusions, opinion for opinions and the
 * body's claim assessments, report for findings (published when the panel
 * votes met the decision rule), revoked versions and a note for
 * retractions, and our extension definition carrying ledger properties
 * (entry index, leaf hash, record id, provenance, the claimant's own
 * confidence words). Panel votes and key revocations are not exported.
 *
 * Ids are deterministic UUIDv5 values, so two exports of the same ledger
 * and selection are byte-identical. created_by_ref is always the
 * identity of the participant who signed the record; a transcribed claim
 * names the quoted claimant only in the extension. Every *_ref names an
 * object in the bundle (references that resolve to nothing are dropped).
 *
 * @param[out] out  counts (objects = STIX objects); optional
 * @return 0, LEDGER_EINVAL, LEDGER_ENOTFOUND (no checkpoint of that size,
 *         nothing touches the incident), LEDGER_ECORRUPT, LEDGER_EIO,
 *         LEDGER_ENOMEM, or the writer's code.
 */
LEDGER_API int ledger_export_stix(ledger_export_report *out, ledger_log *log,
                                  const ledger_export_options *opts, ledger_write_fn write,
                                  void *payload);

/**
 * Write one CSV row per selected attribution claim (RFC 4180, CRLF line
 * ends, a header row; docs/FORMATS.md section 13): index, record_id,
 * status (active, superseded, retracted), disputed (yes when an opinion of
 * kind DISPUTE or DENIAL or a disagreeing stance targets it), incidents and
 * their names, claimant and name, author, provenance, assertion type,
 * attributed_to and name, state_nexus, level, target_scope, confidence
 * (STIX 0-100), the claimant's likelihood scale and term, analytic
 * confidence, channel, evidence disclosure, claimed_at, statement,
 * leaf_hash. A value starting with = + - @ TAB or CR gets a leading ' so
 * spreadsheets treat it as text. objects = rows written.
 *
 * @return as ledger_export_stix().
 */
LEDGER_API int ledger_export_csv(ledger_export_report *out, ledger_log *log,
                                 const ledger_export_options *opts, ledger_write_fn write,
                                 void *payload);

/**
 * Norm-breach claims as CSV (RFC 4180): one row per norm a selected claim
 * cites in norms_breached (docs/FORMATS.md section 13): index, record_id,
 * status, disputed, incidents, claimant, author, provenance, attributed_to,
 * state_nexus, norm_ref, link (explicit or mapped), basis, claimed_at,
 * leaf_hash. Quoting and formula protection as ledger_export_csv.
 * objects = rows written.
 *
 * @return as ledger_export_stix().
 */
LEDGER_API int ledger_export_norms_csv(ledger_export_report *out, ledger_log *log,
                                       const ledger_export_options *opts, ledger_write_fn w,
                                       void *payload);

/**
 * Write the attribution graph in Graphviz DOT, for people to read
 * (docs/FORMATS.md section 13): a title (the incident asked for or all
 * incidents, the tree size, the dates drawn) and a legend; incidents
 * (boxes), actors (ellipses; states as double octagons), participants who
 * deny or dispute a claim (hexagons) and norms (notes); an edge incident ->
 * actor per claim with the claimant's name, date and STIX confidence
 * (dashed when disputed, dotted and grey when retracted), the claim's
 * state nexus as actor -> state, the body's conclusions in blue (bold when
 * published, dashed and labelled "not published" otherwise), denials and
 * disputes as red edges from their author to the actor the claim names,
 * organisation chains (dotted, "part of") and norm citations. With
 * opts->incident, only that incident and what its claims and findings
 * reach. Labels are wrapped; names are escaped so no record can inject
 * DOT syntax. objects = edges written (the legend's not counted).
 *
 * @return as ledger_export_stix().
 */
LEDGER_API int ledger_export_dot(ledger_export_report *out, ledger_log *log,
                                 const ledger_export_options *opts, ledger_write_fn write,
                                 void *payload);

/** Counts of a tiles export. */
typedef struct {
    uint64_t tree_size;
    uint64_t written;   /**< tiles and bundles written (new or replaced) */
    uint64_t unchanged; /**< already present with the right content, left alone */
} ledger_tiles_report;

/**
 * Write (or bring up to date) a C2SP tlog-tiles directory for the latest
 * checkpoint: DIR/tile/L/N[.p/W] (Merkle tiles), DIR/tile/entries/N[.p/W]
 * (entry bundles: each leaf as uint16 big-endian length || leaf bytes) and
 * DIR/checkpoint. Every file is written to a temporary name in its
 * directory, fsynced and renamed into place, and the checkpoint goes last,
 * so a web server serving DIR during the update never shows a checkpoint
 * whose tiles are missing. Files that already exist with the right content
 * are left alone (full tiles are immutable); partial tiles of earlier sizes
 * are kept, as the spec requires for every published checkpoint.
 *
 * @param[in] dir  output directory, created if missing
 * @return 0, LEDGER_EIO (message names the path), LEDGER_ECORRUPT
 *         (stored hashes missing), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_export_tiles(ledger_tiles_report *out, ledger_log *log, const char *dir);

/** Counts of a site export. */
typedef struct {
    uint64_t tree_size;     /**< entries shown: the snapshot the pages were read in */
    uint64_t pages;         /**< HTML pages generated (index included) */
    uint64_t written;       /**< site files written (new or changed), tiles not counted */
    uint64_t unchanged;     /**< site files already up to date, left alone */
    uint64_t tiles_written; /**< tiles, bundles and checkpoint written */
} ledger_site_report;

/**
 * Write (or bring up to date) the public record as a static web site in
 * DIR: an index, one page per incident, actor, participant and finding,
 * every entry's raw JSON and receipt, one style sheet and one script, and
 * the tlog-tiles tree (ledger_export_tiles) the pages are checked against
 * in the reader's browser (docs/SITE.md). Files already holding the right
 * bytes are left alone, so re-running after a batch rewrites only what
 * changed. Every record string is escaped for its context; the pages load
 * nothing from another origin.
 *
 * @param[out] out  counts (may be NULL)
 * @param[in]  dir  output directory, created if missing
 * @return 0, LEDGER_EINVAL, LEDGER_EIO (message names the path),
 *         LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_export_site(ledger_site_report *out, ledger_log *log, const char *dir);

/**
 * One tlog-tiles resource of the committed tree, for a server: exactly the
 * bytes ledger_export_tiles() writes at that path. `path` is relative
 * ("tile/0/x001/234", "tile/1/000.p/3", "tile/entries/005.p/17") and must
 * be in canonical form (C2SP tlog-tiles: three-digit groups, 'x' prefixes,
 * no leading zeros in L or W). A partial tile of a smaller, earlier tree is
 * served too (its bytes never change).
 *
 * @param[out] out       the bytes; dispose with ledger_buf_dispose()
 * @param[out] full_out  1 for a full (immutable) tile or bundle
 * @param[in]  path, len the path bytes, untrusted, not NUL-terminated
 * @return 0, LEDGER_EFORMAT (not a canonical tile path), LEDGER_ENOTFOUND
 *         (beyond the committed tree), LEDGER_ECORRUPT, LEDGER_EIO,
 *         LEDGER_ENOMEM.
 */
LEDGER_API int ledger_log_tile(ledger_buf *out, int *full_out, ledger_log *log, const char *path,
                               size_t len);

#endif
