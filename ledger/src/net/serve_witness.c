/*
 * serve_witness.c - the server's witness collector (see serve_witness.h).
 *
 * One worker thread per witness. The sequencer raises `target` after each
 * commit; a worker whose witness has not cosigned `target` yet sends it
 * with the consistency proof from the size it last cosigned for us (a
 * witness we have not heard from yet, or one that lost its state, answers
 * 409 with its size and is asked again from there), and on success checks the stored
 * cosignatures of that checkpoint against the policy: when the quorum is
 * met, `quorum_size` rises and waiters wake. A failed request is retried
 * after a back-off that doubles from 200 ms to 5 s; a newer target does not
 * cut the back-off short, so a witness that is down costs one attempt per
 * back-off period, not one per commit.
 */
#include "net/serve_witness.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attrledger/http.h"
#include "base/alloc.h"
#include "base/error.h"
#include "net/httpd.h"
#include "net/serve_int.h"
#include "net/witness_client.h"

#define BACKOFF_MIN_MS 200u
#define BACKOFF_MAX_MS 5000u

typedef struct {
    lg_cosigner *c;
    const ledger_vkey *key;
    const char *url;
    ledger_http_fetcher *f;
    pthread_t th;
    int started;
    /* under c->mu */
    uint64_t cosigned;                /* largest size this witness cosigned for us */
    uint64_t requests, failures;      /* add-checkpoint exchanges, and those that failed */
    uint64_t last_ms, max_ms, sum_ms; /* exchange latency */
    uint64_t last_status;             /* the witness's last HTTP status (0: unreachable) */
    int failing;                      /* the last exchange failed (for logging recoveries) */
} witness;

struct lg_cosigner {
    ledger_log *log;
    const ledger_tlog_policy *policy;
    ledger_server_log_fn log_fn;
    void *log_payload;
    pthread_mutex_t mu;
    pthread_cond_t work; /* workers: a new target, or stopping */
    pthread_cond_t met;  /* waiters: quorum_size rose, or stopping */
    uint64_t target, quorum_size;
    int stopping;
    size_t n;
    witness w[LEDGER_POLICY_MAX_WITNESSES];
};

static void say(lg_cosigner *c, const char *fmt, ...) LG_PRINTF(2, 3);

static void
say(lg_cosigner *c, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (c->log_fn == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->log_fn(c->log_payload, line);
}

/* Deadline `ms` from now on CLOCK_REALTIME (pthread_cond_timedwait's clock). */
static struct timespec
deadline_in(unsigned ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

/* Do the stored cosignatures of checkpoint `size` meet the quorum? Raises
 * quorum_size when they do. Returns 1 (met), 0 (not yet). */
static int
check_quorum(lg_cosigner *c, uint64_t size)
{
    ledger_buf note = LEDGER_BUF_INIT;
    ledger_policy_report rep;
    int met = 0;

    if (size == 0)
        return 1;
    if (ledger_log_checkpoint_cosigned(&note, c->log, size) == 0 &&
        ledger_checkpoint_verify_policy(&rep, note.data, note.len, c->policy) == 0)
        met = 1;
    ledger_buf_dispose(&note);
    if (met) {
        pthread_mutex_lock(&c->mu);
        if (size > c->quorum_size) {
            c->quorum_size = size;
            pthread_cond_broadcast(&c->met);
        }
        pthread_mutex_unlock(&c->mu);
    }
    return met;
}

static void *
worker(void *arg)
{
    witness *w = arg;
    lg_cosigner *c = w->c;
    unsigned backoff = 0;

    pthread_mutex_lock(&c->mu);
    for (;;) {
        ledger_witness_exchange ex;
        uint64_t size, known, t0, ms;
        int rc, ok;

        while (!c->stopping && c->target <= w->cosigned)
            pthread_cond_wait(&c->work, &c->mu);
        if (c->stopping)
            break;
        size = c->target;
        known = w->cosigned;
        pthread_mutex_unlock(&c->mu);

        t0 = lg_serve_now_ms();
        rc = lg_witness_request(&ex, c->log, size, known, w->f, w->key);
        ms = lg_serve_now_ms() - t0;
        ok = rc == 0 && ex.status == 200;
        if (ok) {
            check_quorum(c, size);
        } else if (rc < 0) {
            say(c, "witness %s: %s", w->key->name, ledger_error_last()->message);
        } else {
            say(c, "witness %s: HTTP %d for size %" PRIu64 ": %s", w->key->name, ex.status, size,
                ex.message);
        }

        pthread_mutex_lock(&c->mu);
        w->requests++;
        w->last_ms = ms;
        w->sum_ms += ms;
        if (ms > w->max_ms)
            w->max_ms = ms;
        w->last_status = rc == 0 && ex.status > 0 ? (uint64_t)ex.status : 0;
        if (ok) {
            if (w->failing)
                say(c, "witness %s: cosigned size %" PRIu64 " again", w->key->name, size);
            w->failing = 0;
            if (size > w->cosigned)
                w->cosigned = size;
            backoff = 0;
            continue;
        }
        w->failures++;
        w->failing = 1;
        backoff = backoff == 0 ? BACKOFF_MIN_MS : backoff * 2;
        if (backoff > BACKOFF_MAX_MS)
            backoff = BACKOFF_MAX_MS;
        {
            struct timespec ts = deadline_in(backoff);

            while (!c->stopping && pthread_cond_timedwait(&c->work, &c->mu, &ts) != ETIMEDOUT)
                ;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

void
lg_cosigner_notify(lg_cosigner *c, uint64_t size)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    if (size > c->target) {
        c->target = size;
        pthread_cond_broadcast(&c->work);
    }
    pthread_mutex_unlock(&c->mu);
}

int
lg_cosigner_wait(lg_cosigner *c, uint64_t size, unsigned timeout_ms)
{
    struct timespec ts = deadline_in(timeout_ms);
    int met;

    if (check_quorum(c, size)) /* "quorum none", or cosigned already */
        return 0;
    pthread_mutex_lock(&c->mu);
    while (!c->stopping && c->quorum_size < size)
        if (pthread_cond_timedwait(&c->met, &c->mu, &ts) == ETIMEDOUT)
            break;
    met = c->quorum_size >= size;
    pthread_mutex_unlock(&c->mu);
    return met ? 0 : LEDGER_EBUSY;
}

/* One per-witness metric of /metrics: its name, help, type, label suffix
 * and where its value is in `witness`. */
typedef struct {
    const char *name, *help, *type, *stat;
    size_t offset;
} witness_metric;

static const witness_metric witness_metrics[] = {
    {"attrledger_witness_requests_total", "add-checkpoint exchanges with each witness.", "counter",
     NULL, offsetof(witness, requests)},
    {"attrledger_witness_failures_total", "Exchanges that did not end in a stored cosignature.",
     "counter", NULL, offsetof(witness, failures)},
    {"attrledger_witness_cosigned_size", "Largest checkpoint size each witness cosigned.", "gauge",
     NULL, offsetof(witness, cosigned)},
    {"attrledger_witness_latency_milliseconds",
     "Time of the last and the slowest exchange, and the sum of all.", "gauge", "last",
     offsetof(witness, last_ms)},
    {"attrledger_witness_latency_milliseconds", NULL, NULL, "max", offsetof(witness, max_ms)},
    {"attrledger_witness_latency_milliseconds", NULL, NULL, "sum", offsetof(witness, sum_ms)},
    {"attrledger_witness_last_status", "The witness's last HTTP status (0: unreachable).", "gauge",
     NULL, offsetof(witness, last_status)},
};

int
lg_cosigner_metrics(char **m, size_t *len, size_t *cap, lg_cosigner *c)
{
    witness snap[LEDGER_POLICY_MAX_WITNESSES];
    uint64_t quorum;
    int rc;

    pthread_mutex_lock(&c->mu);
    memcpy(snap, c->w, c->n * sizeof snap[0]);
    quorum = c->quorum_size;
    pthread_mutex_unlock(&c->mu);
    rc = lg_strbuf_printf(m, len, cap,
                          "# HELP attrledger_quorum_size Largest checkpoint size cosigned by the "
                          "witness policy's quorum.\n# TYPE attrledger_quorum_size gauge\n"
                          "attrledger_quorum_size %" PRIu64 "\n",
                          quorum);
    for (size_t k = 0; rc == 0 && k < sizeof witness_metrics / sizeof witness_metrics[0]; k++) {
        const witness_metric *wm = &witness_metrics[k];

        if (wm->help != NULL)
            rc = lg_strbuf_printf(m, len, cap, "# HELP %s %s\n# TYPE %s %s\n", wm->name, wm->help,
                                  wm->name, wm->type);
        for (size_t i = 0; rc == 0 && i < c->n; i++) {
            uint64_t v;

            memcpy(&v, (const char *)&snap[i] + wm->offset, sizeof v);
            rc = lg_strbuf_printf(m, len, cap, "%s{witness=\"%s\"%s%s%s} %" PRIu64 "\n", wm->name,
                                  snap[i].key->name, wm->stat ? ",stat=\"" : "",
                                  wm->stat ? wm->stat : "", wm->stat ? "\"" : "", v);
        }
    }
    return rc;
}

/* Does the policy accept this log's signature? (A checkpoint with no
 * cosignature fails only the quorum, with LEDGER_EPROOF.) */
static int
policy_names_log(lg_cosigner *c, uint64_t size)
{
    ledger_buf note = LEDGER_BUF_INIT;
    ledger_policy_report rep;
    int rc;

    if ((rc = ledger_log_checkpoint(&note, c->log, 0)) < 0)
        return rc;
    rc = ledger_checkpoint_verify_policy(&rep, note.data, note.len, c->policy);
    ledger_buf_dispose(&note);
    if (rc == 0 || rc == LEDGER_EPROOF)
        return 0;
    if (rc == LEDGER_ENOMEM)
        return rc;
    (void)size;
    return lg_error_set(LEDGER_EINVAL,
                        "witness policy: its log lines do not name this log's key (%s)",
                        ledger_error_last()->message);
}

int
lg_cosigner_start(lg_cosigner **out, ledger_log *log, const ledger_tlog_policy *policy,
                  ledger_server_log_fn log_fn, void *log_payload)
{
    ledger_http_options ho = LEDGER_HTTP_OPTIONS_INIT;
    ledger_log_info info;
    lg_cosigner *c;
    int rc;

    *out = NULL;
    if ((rc = ledger_log_info_get(&info, log)) < 0)
        return rc;
    if ((c = lg_calloc(1, sizeof *c)) == NULL)
        return lg_error_nomem();
    c->log = log;
    c->policy = policy;
    c->log_fn = log_fn;
    c->log_payload = log_payload;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->work, NULL);
    pthread_cond_init(&c->met, NULL);
    if ((rc = policy_names_log(c, info.size)) < 0)
        goto fail;
    ho.connect_timeout_s = 5;
    ho.stall_timeout_s = 10;
    for (size_t i = 0; i < ledger_tlog_policy_witnesses(policy); i++) {
        const char *url = ledger_tlog_policy_witness_url(policy, i);
        witness *w = &c->w[c->n];

        if (url == NULL)
            continue;
        w->c = c;
        w->key = ledger_tlog_policy_witness(policy, i);
        w->url = url;
        if ((rc = ledger_http_fetcher_new(&w->f, url, &ho)) < 0) {
            rc = lg_error_prefix(rc, "witness policy: witness %s", w->key->name);
            goto fail;
        }
        c->n++;
    }
    if (c->n == 0) {
        rc = lg_error_set(LEDGER_EINVAL, "witness policy: no witness line has a URL to ask");
        goto fail;
    }
    c->target = info.size;
    for (size_t i = 0; i < c->n; i++) {
        if (pthread_create(&c->w[i].th, NULL, worker, &c->w[i]) != 0) {
            rc = lg_error_set(LEDGER_EIO, "serve: cannot start a witness thread");
            goto fail;
        }
        c->w[i].started = 1;
    }
    *out = c;
    return 0;
fail:
    lg_cosigner_stop(c);
    return rc;
}

void
lg_cosigner_stop(lg_cosigner *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    c->stopping = 1;
    pthread_cond_broadcast(&c->work);
    pthread_cond_broadcast(&c->met);
    pthread_mutex_unlock(&c->mu);
    for (size_t i = 0; i < c->n; i++) {
        if (c->w[i].started)
            pthread_join(c->w[i].th, NULL);
        ledger_http_fetcher_free(c->w[i].f);
    }
    pthread_cond_destroy(&c->met);
    pthread_cond_destroy(&c->work);
    pthread_mutex_destroy(&c->mu);
    lg_free(c);
}
