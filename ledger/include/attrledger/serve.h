/*
 * serve.h - the ledger as an HTTP service (`attrledger serve`).
 *
 * One process owns the write path: request threads parse what a request
 * carries (size, JSON, envelopes) alone, then hand it to one sequencer
 * thread, which takes every request queued while the previous commit ran
 * and commits them together with ledger_log_submit_group(): one LMDB write
 * transaction, one fsync, one signed checkpoint for the group, each
 * request refused alone (group commit). A request is answered only after
 * its entries are durably committed. Reads (tlog-tiles, entries, proofs,
 * receipts) use LMDB read transactions on the pool threads and never wait
 * for the writer; a read-only server may run beside a writer in another
 * process, or on a mirror.
 *
 * Routes, bodies, statuses, headers and limits: `attrledger help serve`.
 */
#ifndef ATTRLEDGER_SERVE_H
#define ATTRLEDGER_SERVE_H

#include "common.h"
#include "key.h"
#include "ledger.h"

typedef struct ledger_server ledger_server;

/** A line of the server's log (request lines and events), NUL-terminated, no newline. */
typedef void (*ledger_server_log_fn)(void *payload, const char *line);

typedef struct {
    unsigned version;           /**< LEDGER_SERVER_OPTIONS_VERSION */
    const char *host;           /**< listen address; NULL = "127.0.0.1" */
    unsigned port;              /**< 0 = a free port (see ledger_server_port()) */
    const ledger_key *log_key;  /**< signs checkpoints; NULL = read-only server (no POST) */
    unsigned threads;           /**< HTTP pool threads; 0 = 4 */
    unsigned max_connections;   /**< 0 = 1024 */
    unsigned idle_timeout_s;    /**< close idle connections; 0 = 30 */
    unsigned request_timeout_s; /**< cut a connection answering nothing this long; 0 = 60 */
    size_t body_max;            /**< largest POST body; 0 = 1 MiB */
    unsigned records_max;       /**< records per request; 0 = 1000 */
    unsigned group_records_max; /**< records per group commit; 0 = 10000 */
    unsigned group_wait_ms;     /**< wait this long for more requests before committing; 0 = none */
    unsigned queue_records_max; /**< records waiting for the sequencer before 503; 0 = 20000 */
    unsigned rate_per_client;   /**< POSTs per second per client address (burst 2x); 0 = no limit */
    const char *site_dir;       /**< serve this directory's files at "/" (GET); NULL = none */
    ledger_server_log_fn log;   /**< NULL = silent */
    void *log_payload;
    /** Witnesses to ask for cosignatures after each commit (their `witness NAME VKEY URL`
     *  lines) and the quorum; borrowed, must outlive the server. NULL = none. */
    const struct ledger_tlog_policy *witness_policy;
    /** With a witness_policy: answer POST /add-records only once the quorum has cosigned a
     *  checkpoint that includes its records, waiting at most this long (then the answer says
     *  the quorum is not met yet). 0 = answer at commit. */
    unsigned wait_quorum_ms;
    unsigned rate_per_key; /**< records appended per second per signing key (burst 2x), spent
                                after commit; a key out of budget gets 429; 0 = no limit */
} ledger_server_options;

#define LEDGER_SERVER_OPTIONS_VERSION 1
#define LEDGER_SERVER_OPTIONS_INIT                                                                 \
    {                                                                                              \
        LEDGER_SERVER_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL,    \
            NULL, NULL, 0, 0                                                                       \
    }

/**
 * Start serving the open ledger `log` (borrowed: it must outlive the
 * server; no other thread may use it meanwhile). With opts->log_key the
 * key is given to the log (ledger_log_set_signer) and POST /add-records is
 * served; without, the server is read-only (POST answers 405).
 *
 * @return 0, LEDGER_EINVAL (bad options), LEDGER_EBADSIG (not this log's
 *         key), LEDGER_EVERSION, LEDGER_EIO (cannot listen: the message
 *         names HOST:PORT), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_server_start(ledger_server **out, ledger_log *log,
                                   const ledger_server_options *opts);

/** The port the server listens on. */
LEDGER_API unsigned ledger_server_port(const ledger_server *s);

/**
 * Drain and stop: new write requests are answered 503, every request
 * already queued is committed and answered, requests in flight get up to
 * `drain_ms` to finish, then connections close and the server is freed.
 * Accepts NULL.
 */
LEDGER_API void ledger_server_stop(ledger_server *s, unsigned drain_ms);

#endif
