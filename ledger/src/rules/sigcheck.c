/*
 * sigcheck.c - record-signature checks on all cores, results in order (see
 * sigcheck.h).
 *
 * Method: a ring of `cap` jobs with three counters, all only growing:
 *   head  the oldest job not popped (moved by the caller only),
 *   next  the next job to start (taken under the lock by a worker, or by the
 *         caller when it needs a job nobody started),
 *   tail  the next free slot (moved by the caller only, under the lock).
 * head <= next <= tail and tail - head <= cap. A job's slot is reused only
 * after the caller popped it, and the caller pops only a finished job, so
 * no thread ever reads a slot that is being refilled. One mutex guards the
 * counters and the done flags; job contents are written before the job is
 * published or finished under that mutex, which orders them for the reader.
 * Workers never see the ledger, the store or the caller's error state (which
 * is thread-local).
 */
#include "rules/sigcheck.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "crypto/crypto.h"
#include "base/error.h"

struct lg_sigcheck {
    lg_sigjob *jobs;
    size_t cap;
    uint64_t head, next, tail;
    pthread_mutex_t mu;
    pthread_cond_t work; /* workers: a job was pushed, or quit */
    pthread_cond_t done; /* the caller: a job finished */
    int quit;
    unsigned n_workers;
    pthread_t workers[LG_SIGCHECK_MAX_THREADS];
};

unsigned
lg_sigcheck_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return n > LG_SIGCHECK_MAX_THREADS ? LG_SIGCHECK_MAX_THREADS : (unsigned)n;
}

static void
run(lg_sigjob *j)
{
    int stop = 0;

    for (size_t k = 0; k < j->n_sigs; k++) {
        if (stop || !(j->check_mask & (1u << k))) {
            j->verdict[k] = LG_SIG_UNCHECKED;
            continue;
        }
        j->verdict[k] = lg_record_verify(j->sigs[k].sig, j->record, j->record_len, j->pk[k]);
        stop = j->verdict[k] != 0;
    }
}

static void
skip(lg_sigjob *j)
{
    for (size_t k = 0; k < j->n_sigs; k++)
        j->verdict[k] = LG_SIG_UNCHECKED;
}

static void *
worker(void *arg)
{
    lg_sigcheck *q = arg;

    pthread_mutex_lock(&q->mu);
    for (;;) {
        lg_sigjob *j;

        while (!q->quit && q->next == q->tail)
            pthread_cond_wait(&q->work, &q->mu);
        if (q->quit)
            break;
        j = &q->jobs[q->next++ % q->cap];
        pthread_mutex_unlock(&q->mu);
        run(j);
        pthread_mutex_lock(&q->mu);
        j->done = 1;
        pthread_cond_signal(&q->done); /* only the caller waits on it */
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

int
lg_sigcheck_new(lg_sigcheck **out, size_t capacity, unsigned threads)
{
    lg_sigcheck *q;

    *out = NULL;
    if (capacity == 0)
        capacity = 1;
    q = lg_calloc(1, sizeof *q);
    if (q == NULL)
        return lg_error_nomem();
    q->jobs = lg_calloc(capacity, sizeof *q->jobs);
    if (q->jobs == NULL) {
        lg_free(q);
        return lg_error_nomem();
    }
    q->cap = capacity;
    if (pthread_mutex_init(&q->mu, NULL) != 0) {
        lg_free(q->jobs);
        lg_free(q);
        return lg_error_nomem();
    }
    if (pthread_cond_init(&q->work, NULL) != 0) {
        pthread_mutex_destroy(&q->mu);
        lg_free(q->jobs);
        lg_free(q);
        return lg_error_nomem();
    }
    if (pthread_cond_init(&q->done, NULL) != 0) {
        pthread_cond_destroy(&q->work);
        pthread_mutex_destroy(&q->mu);
        lg_free(q->jobs);
        lg_free(q);
        return lg_error_nomem();
    }
    if (threads > LG_SIGCHECK_MAX_THREADS)
        threads = LG_SIGCHECK_MAX_THREADS;
    /* Fewer workers than asked is slower, not wrong: the caller checks
     * whatever nobody else takes. */
    for (unsigned i = 1; i < threads; i++) {
        if (pthread_create(&q->workers[q->n_workers], NULL, worker, q) != 0)
            break;
        q->n_workers++;
    }
    *out = q;
    return 0;
}

void
lg_sigcheck_free(lg_sigcheck *q)
{
    if (q == NULL)
        return;
    pthread_mutex_lock(&q->mu);
    q->quit = 1;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
    for (unsigned i = 0; i < q->n_workers; i++)
        pthread_join(q->workers[i], NULL);
    for (uint64_t i = q->head; i < q->tail; i++)
        lg_free(q->jobs[i % q->cap].owned);
    pthread_cond_destroy(&q->done);
    pthread_cond_destroy(&q->work);
    pthread_mutex_destroy(&q->mu);
    lg_free(q->jobs);
    lg_free(q);
}

lg_sigjob *
lg_sigcheck_slot(lg_sigcheck *q)
{
    lg_sigjob *j;

    if (q->tail - q->head == q->cap)
        return NULL;
    j = &q->jobs[q->tail % q->cap];
    memset(j, 0, sizeof *j);
    return j;
}

void
lg_sigcheck_push(lg_sigcheck *q)
{
    pthread_mutex_lock(&q->mu);
    q->tail++;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
}

size_t
lg_sigcheck_count(const lg_sigcheck *q)
{
    return (size_t)(q->tail - q->head);
}

lg_sigjob *
lg_sigcheck_wait(lg_sigcheck *q, int need)
{
    lg_sigjob *j;

    if (q->head == q->tail)
        return NULL;
    j = &q->jobs[q->head % q->cap];
    pthread_mutex_lock(&q->mu);
    if (q->next == q->head) {
        /* Nobody started it: check it here (or not at all). */
        q->next++;
        pthread_mutex_unlock(&q->mu);
        if (need)
            run(j);
        else
            skip(j);
        j->done = 1;
        return j;
    }
    while (!j->done) {
        if (q->next < q->tail) {
            /* A worker has it: check a later job meanwhile, not idle. */
            lg_sigjob *o = &q->jobs[q->next++ % q->cap];

            pthread_mutex_unlock(&q->mu);
            run(o);
            pthread_mutex_lock(&q->mu);
            o->done = 1;
            continue;
        }
        pthread_cond_wait(&q->done, &q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return j;
}

void
lg_sigcheck_pop(lg_sigcheck *q)
{
    lg_sigjob *j;

    if (q->head == q->tail)
        return;
    j = &q->jobs[q->head % q->cap];
    lg_free(j->owned);
    j->owned = NULL;
    q->head++;
}
