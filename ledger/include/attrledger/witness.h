/*
 * witness.h - witnesses, cosignatures and trust policies.
 *
 * A witness (C2SP tlog-witness v1.0.0) checks that a log never shows two
 * different histories: it remembers, per log origin, the last checkpoint
 * it cosigned, and cosigns a new checkpoint only if the log signed it and a
 * consistency proof shows the old tree is a prefix of the new one. Its
 * cosignature is a C2SP tlog-cosignature v1.0.1 line (cosignature/v1,
 * signature type 0x04): "— <witness name> base64(key ID || 8-byte big-endian
 * timestamp || Ed25519 signature)" over "cosignature/v1\ntime <t>\n" and the
 * checkpoint body. Verifiers ignore signatures they do not know, so
 * cosignatures travel inside the checkpoint note, next to the log's own.
 *
 * A trust policy (C2SP tlog-policy, as in Sigsum and Rekor) says which logs
 * and witnesses a verifier trusts and how many cosignatures it needs:
 *
 *   log <vkey> [url]                      the log's key (type 0x01)
 *   witness <name> <vkey> [url]           a witness's key (type 0x04)
 *   group <name> <k|all|any> <member>...  k of the members (witnesses or
 *                                         groups defined above)
 *   quorum <name|none>                    the witness or group that must
 *                                         be satisfied
 *
 * '#' starts a comment; blank lines are ignored.
 */
#ifndef ATTRLEDGER_WITNESS_H
#define ATTRLEDGER_WITNESS_H

#include "buf.h"
#include "checkpoint.h"
#include "common.h"
#include "key.h"
#include "ledger.h"

/* ---- the witness ---- */

/** Most log origins one witness state file tracks. */
#define LEDGER_WITNESS_MAX_LOGS 1024

typedef struct {
    unsigned version;              /**< LEDGER_WITNESS_OPTIONS_VERSION */
    const ledger_key *witness_key; /**< the cosigner; its name is the witness name */
    const ledger_vkey *log_keys;   /**< logs this witness follows (Ed25519 vkeys) */
    size_t n_log_keys;
    const char *state_path; /**< state file: last cosigned checkpoint per origin */
    uint64_t timestamp;     /**< cosignature time, Unix seconds; 0 = now */
} ledger_witness_options;

#define LEDGER_WITNESS_OPTIONS_VERSION 1
#define LEDGER_WITNESS_OPTIONS_INIT                                                                \
    {                                                                                              \
        LEDGER_WITNESS_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0                                     \
    }

/** What a witness just cosigned. */
typedef struct {
    char origin[LEDGER_NAME_MAX + 1];
    uint64_t old_size;  /**< the size it had cosigned before (0 on first contact) */
    uint64_t size;      /**< the size it cosigned now */
    uint64_t timestamp; /**< the cosignature's time */
} ledger_witness_result;

/**
 * Cosign a checkpoint as a witness (the logic of tlog-witness
 * add-checkpoint): the note must carry a valid signature by the trusted
 * key whose name is its origin; a size-0 checkpoint must have the empty
 * root; the state file gives the last cosigned size S and root R for that
 * origin (none: S = 0, first contact). Then:
 *   - size < S is a rollback, refused;
 *   - size == S with another root is a fork, refused (same root: cosigned
 *     again, nothing changes);
 *   - otherwise the proof must start at S and prove R a prefix of the new
 *     root (none is needed from S = 0).
 * The state file is updated (temp file, fsync, rename, under an exclusive
 * lock on STATE.lock so two witnesses processes cannot race) before the
 * cosignature is made.
 *
 * `proof` is optional and may be:
 *   - a tlog-witness add-checkpoint body: "old N\n", up to 63 base64 hashes
 *     one per line, a blank line and (optionally) the checkpoint itself, in
 *     which case `checkpoint` may be NULL;
 *   - the JSON of `attrledger prove consistency --json` ({old_size,
 *     new_size, old_root, new_root, hashes}).
 *
 * @param[out] line_out  the cosignature line ("— name base64\n"), NUL-terminated
 * @param[out] result    what was cosigned (optional)
 * @return 0; LEDGER_EFORMAT (malformed note, proof or state file);
 *         LEDGER_ENOTFOUND (no trusted log key for the origin); LEDGER_EBADSIG
 *         (no valid log signature); LEDGER_EPROOF (rollback, fork, a proof
 *         that does not verify, or a proof from another size than the
 *         witness's; the message says which); LEDGER_EINVAL; LEDGER_EIO;
 *         LEDGER_EBUSY; LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_witness_cosign(ledger_buf *line_out,
                                                      ledger_witness_result *result,
                                                      const ledger_witness_options *opts,
                                                      const uint8_t *checkpoint, size_t cp_len,
                                                      const uint8_t *proof, size_t proof_len);

/**
 * The state a witness keeps for one origin.
 *
 * @return 0, LEDGER_ENOTFOUND (never cosigned this origin, or no state file),
 *         LEDGER_EFORMAT (damaged state file), LEDGER_EIO.
 */
LEDGER_API int ledger_witness_state_get(ledger_checkpoint *out, const char *state_path,
                                        const char *origin);

/* ---- the witness protocol (C2SP tlog-witness v1.0.0 add-checkpoint) ---- */

/** Largest add-checkpoint request body accepted, in bytes. */
#define LEDGER_WITNESS_REQUEST_MAX ((1u << 20) + (1u << 16))

/** The HTTP answer to one add-checkpoint request. */
typedef struct {
    int status;                   /**< 200, 400, 403, 404, 409 or 422 */
    const char *content_type;     /**< static string */
    ledger_buf body;              /**< 200: cosignature line(s); 409: "<size>\n"; else a message */
    int evidence;                 /**< 1 when the refusal was kept in the evidence directory */
    ledger_witness_result result; /**< 200: what was cosigned */
} ledger_witness_response;

/**
 * Answer a tlog-witness add-checkpoint request body ("old N\n", up to 63
 * base64 consistency-proof hashes one per line, an empty line, the signed
 * checkpoint), in the order the spec gives:
 *   400  malformed body, checkpoint or note; old size above the checkpoint's;
 *   404  no log key for the checkpoint's origin;
 *   403  no valid signature by that key (or a failing one);
 *   409  old size is not the size this witness last cosigned for the origin
 *        (body "<size>\n", Content-Type text/x.tlog.size; "old 0" is how a
 *        log discovers it);
 *   422  a size-0 checkpoint whose root is not SHA-256(""), a non-empty
 *        proof from size 0 or between equal sizes, equal sizes with another
 *        root (a fork), a consistency proof that does not verify;
 *   200  the state moved (or stayed, same checkpoint again) and the body is
 *        the cosignature line (Content-Type text/plain; charset=utf-8).
 * The read-compare-write on the state runs under the state file's lock, so
 * two requests for one log can never move it backwards; the new state is
 * on disk (fsynced, renamed) before the cosignature exists. The latest
 * cosigned checkpoint with its cosignature is kept for
 * ledger_witness_latest(). With evidence_dir, a fork or a failing proof is
 * written there (docs/FORMATS.md "Witness evidence"; a fork also as a fork
 * report that `attrledger verify-fork` checks).
 *
 * @param[out] out  always initialised; dispose out->body
 * @return 0 whenever out holds an answer (any status); LEDGER_EIO,
 *         LEDGER_EBUSY, LEDGER_EFORMAT (damaged state file), LEDGER_ENOMEM,
 *         LEDGER_EINVAL when the witness itself failed (answer 500).
 */
LEDGER_API int ledger_witness_add_checkpoint(ledger_witness_response *out,
                                             const ledger_witness_options *opts,
                                             const char *evidence_dir, const uint8_t *body,
                                             size_t len);

/**
 * The latest checkpoint this witness cosigned for the origin whose SHA-256
 * is `origin_hex` (64 lowercase hex digits), with its cosignature line: the
 * tlog-witness monitoring resource GET /<hex>/checkpoint.
 *
 * @return 0, LEDGER_ENOTFOUND (never cosigned, or not a hex name),
 *         LEDGER_EIO, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_witness_latest(ledger_buf *out, const char *state_path,
                                     const char *origin_hex);

/* ---- the witness over HTTP ---- */

/** A running witness server. Opaque. */
typedef struct ledger_witness_server ledger_witness_server;

typedef struct {
    unsigned version;                             /**< LEDGER_WITNESS_SERVER_OPTIONS_VERSION */
    const ledger_witness_options *witness;        /**< key, log keys, state; borrowed */
    const char *evidence_dir;                     /**< refusals that prove misbehaviour; or NULL */
    const char *host;                             /**< NULL = "127.0.0.1" */
    unsigned port;                                /**< 0 = any free port */
    unsigned threads;                             /**< 0 = 4 */
    void (*log)(void *payload, const char *line); /**< one line per request; or NULL */
    void *log_payload;
} ledger_witness_server_options;

#define LEDGER_WITNESS_SERVER_OPTIONS_VERSION 1
#define LEDGER_WITNESS_SERVER_OPTIONS_INIT                                                         \
    {                                                                                              \
        LEDGER_WITNESS_SERVER_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, NULL                  \
    }

/**
 * Serve the C2SP tlog-witness protocol (docs/HTTP.md):
 *   POST /add-checkpoint         ledger_witness_add_checkpoint()
 *   GET  /<hex origin>/checkpoint ledger_witness_latest() (404 when none)
 *   GET  /metrics                 request counters (Prometheus text)
 * A failure of the witness itself (state file unreadable, disk full) is
 * 500 with the message. Requests run on a thread pool; the state lock
 * orders them.
 *
 * @return 0, LEDGER_EINVAL, LEDGER_EIO (cannot bind: the message names
 *         HOST:PORT), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_witness_server_start(ledger_witness_server **out,
                                           const ledger_witness_server_options *opts);

/** The bound port. */
LEDGER_API unsigned ledger_witness_server_port(const ledger_witness_server *s);

/** Stop accepting, let requests in flight finish (up to 5 s), free. Accepts NULL. */
LEDGER_API void ledger_witness_server_stop(ledger_witness_server *s);

/* ---- trust policies ---- */

typedef struct ledger_tlog_policy ledger_tlog_policy;

/** Most witnesses, and most groups, in one policy. */
#define LEDGER_POLICY_MAX_WITNESSES 64
#define LEDGER_POLICY_MAX_GROUPS 64

/**
 * Parse a C2SP tlog-policy file. Names are unique across witnesses and
 * groups; a group's members must be defined above it (so there are no
 * cycles); k is 1..members ("any" = 1, "all" = members); exactly one quorum
 * line; at least one log line. Text is at most 64 KiB.
 *
 * @return 0, LEDGER_EFORMAT ("policy line N: ..."), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_tlog_policy_parse(ledger_tlog_policy **out, const char *text, size_t len);

/** Free a policy. Accepts NULL. */
LEDGER_API void ledger_tlog_policy_free(ledger_tlog_policy *p);

/** Number of witnesses, and witness i's key (NULL past the end). */
LEDGER_API size_t ledger_tlog_policy_witnesses(const ledger_tlog_policy *p);
LEDGER_API const ledger_vkey *ledger_tlog_policy_witness(const ledger_tlog_policy *p, size_t i);

/** Longest witness URL in a policy. */
#define LEDGER_POLICY_URL_MAX 1024

/** Witness i's URL (the line's optional last field: where add-checkpoint is
 * sent, as `<url>/add-checkpoint`), or NULL when the policy gives none. */
LEDGER_API const char *ledger_tlog_policy_witness_url(const ledger_tlog_policy *p, size_t i);

/** How a checkpoint fared against a policy. */
typedef struct {
    ledger_checkpoint checkpoint; /**< the verified checkpoint */
    size_t n_cosigned;            /**< policy witnesses whose cosignature verified */
    uint64_t cosigned[(LEDGER_POLICY_MAX_WITNESSES + 63) / 64]; /**< bit i: witness i verified */
    uint64_t timestamps[LEDGER_POLICY_MAX_WITNESSES]; /**< cosigned time of witness i, or 0 */
    int quorum_met;                                   /**< 1 (always, when 0 is returned) */
} ledger_policy_report;

/**
 * Verify a checkpoint note under a policy: a valid signature by a policy
 * log key whose name is the origin, every cosignature by a policy witness
 * valid (a bad one rejects the note), and the quorum met.
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG (no valid log signature, or a
 *         witness line that fails), LEDGER_EPROOF (quorum not met: the
 *         message says how many cosignatures verified), LEDGER_ENOMEM.
 */
LEDGER_NODISCARD LEDGER_API int ledger_checkpoint_verify_policy(ledger_policy_report *out,
                                                                const uint8_t *note, size_t len,
                                                                const ledger_tlog_policy *p);

/**
 * ledger_receipt_verify() with a policy instead of a single log key: the
 * receipt's checkpoint must satisfy ledger_checkpoint_verify_policy().
 *
 * @return as ledger_receipt_verify() and ledger_checkpoint_verify_policy().
 */
LEDGER_NODISCARD LEDGER_API int
ledger_receipt_verify_policy(ledger_receipt_info *out, ledger_policy_report *report,
                             const uint8_t *receipt, size_t receipt_len, const uint8_t *leaf,
                             size_t leaf_len, const ledger_tlog_policy *p);

#endif
