/*
 * serve_witness.h (internal) - the server's witness collector: after each
 * commit, ask every witness of a tlog-policy for a cosignature of the new
 * checkpoint (C2SP tlog-witness add-checkpoint), in parallel, with retries,
 * and tell the sequencer when the policy's quorum has cosigned a size.
 */
#ifndef LG_NET_SERVE_WITNESS_H
#define LG_NET_SERVE_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/ledger.h"
#include "attrledger/serve.h"
#include "attrledger/witness.h"

typedef struct lg_cosigner lg_cosigner;

/*
 * Start one thread per policy witness that has a URL. The policy must name
 * the log's key (a `log` line) and at least one witness URL. `log` and
 * `policy` are borrowed and must outlive the collector. The witnesses are
 * asked at once for the log's current checkpoint.
 *
 * @return 0, LEDGER_EINVAL (the policy does not fit this log: the message
 *         says why), LEDGER_EIO (a thread could not start), LEDGER_ENOMEM.
 */
int lg_cosigner_start(lg_cosigner **out, ledger_log *log, const ledger_tlog_policy *policy,
                      ledger_server_log_fn log_fn, void *log_payload);

/* A checkpoint of `size` entries was signed: ask the witnesses for it. */
void lg_cosigner_notify(lg_cosigner *c, uint64_t size);

/*
 * Wait until the policy's quorum has cosigned a checkpoint of at least
 * `size` entries, or `timeout_ms` passed, or the collector is stopping.
 * @return 0 (quorum met), LEDGER_EBUSY (not within the time).
 */
int lg_cosigner_wait(lg_cosigner *c, uint64_t size, unsigned timeout_ms);

/* Append the collector's Prometheus lines (per witness, and the quorum's
 * size) to a growing text. @return 0 or LEDGER_ENOMEM. */
int lg_cosigner_metrics(char **m, size_t *len, size_t *cap, lg_cosigner *c);

/* Stop the threads (a request in flight finishes first), free. Accepts NULL. */
void lg_cosigner_stop(lg_cosigner *c);

#endif
