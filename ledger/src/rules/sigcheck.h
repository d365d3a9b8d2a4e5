/*
 * sigcheck.h (internal) - record-signature checks on all cores, results in
 * order.
 *
 * A bounded queue of jobs, one record and its signatures each. The caller
 * pushes jobs in order; worker threads check them in the background; the
 * caller takes the results back in the same order with lg_sigcheck_wait(),
 * which checks queued jobs itself rather than idle while a worker finishes
 * the one it waits for. So with T threads the caller's own serial work and
 * the signature checks share T cores.
 *
 * Used by submit (checks run while the write transaction appends; see
 * submit.c) and verify (checks run while the next entries are decoded).
 * A job only computes lg_record_verify() early: its verdicts are the ones the
 * caller would get by checking inline. Workers touch nothing but the job
 * (no store, no shared state), and a worker's allocation failure is a
 * verdict of LEDGER_ENOMEM, never a signature verdict.
 *
 * The queue is used by one thread (the caller) at a time.
 */
#ifndef LG_SIGCHECK_H
#define LG_SIGCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/common.h"
#include "codec/codec.h"

/* Most threads a queue starts (the caller included). */
#define LG_SIGCHECK_MAX_THREADS 64
/* Verdict of a signature that was not checked: not in check_mask, or after a
 * signature whose verdict was not 0. */
#define LG_SIG_UNCHECKED 1

typedef struct {
    /* Set by the caller before lg_sigcheck_push(). */
    uint64_t tag;                      /* the caller's (entry index) */
    char record_id[LEDGER_ID_MAX + 1]; /* the caller's, for messages */
    const uint8_t *record;             /* the signed record bytes */
    size_t record_len;
    uint8_t *owned; /* lg_malloc'd; freed by lg_sigcheck_pop() (may be NULL) */
    size_t n_sigs;
    lg_sig sigs[LG_MAX_SIGS];
    uint8_t pk[LG_MAX_SIGS][32];
    uint32_t check_mask; /* bit k: check sigs[k] with pk[k] */
    /* Set by the check, valid once lg_sigcheck_wait() returned the job:
     * 0, LEDGER_EBADSIG, LEDGER_ENOMEM or LG_SIG_UNCHECKED. Signatures are
     * checked in order and the first verdict that is not 0 stops the job. */
    int verdict[LG_MAX_SIGS];
    int done; /* internal */
} lg_sigjob;

typedef struct lg_sigcheck lg_sigcheck;

/* All online cores (at least 1, at most LG_SIGCHECK_MAX_THREADS). */
unsigned lg_sigcheck_default_threads(void);

/*
 * A queue of at most `capacity` unpopped jobs, checked by `threads` threads
 * (the caller counts as one: threads - 1 workers are started; if starting
 * one fails, fewer run). LEDGER_ENOMEM.
 */
int lg_sigcheck_new(lg_sigcheck **out, size_t capacity, unsigned threads);

/* Stop the workers (queued jobs are dropped unchecked) and free everything,
 * including the jobs' owned buffers. Accepts NULL. */
void lg_sigcheck_free(lg_sigcheck *q);

/* The next free job, zeroed, or NULL when `capacity` jobs are unpopped. */
lg_sigjob *lg_sigcheck_slot(lg_sigcheck *q);

/* Queue the job lg_sigcheck_slot() returned. */
void lg_sigcheck_push(lg_sigcheck *q);

/* Jobs pushed and not popped. */
size_t lg_sigcheck_count(const lg_sigcheck *q);

/*
 * The oldest unpopped job, with its verdicts; NULL when there is none. With
 * `need` 0 the caller does not want the verdicts: a job no worker has started
 * is not checked (its verdicts are LG_SIG_UNCHECKED).
 */
lg_sigjob *lg_sigcheck_wait(lg_sigcheck *q, int need);

/* Drop the oldest job, which lg_sigcheck_wait() returned. */
void lg_sigcheck_pop(lg_sigcheck *q);

#endif
