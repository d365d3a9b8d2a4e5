/*
 * serve.c - `attrledger serve`: start/stop, the write path with group
 * commit, /metrics and /healthz (serve.h; routes in docs/HTTP.md).
 *
 * Write path. POST /add-records runs on a pool thread: content type,
 * body size (httpd.c), JSON shape, record count and every envelope's
 * decoding are checked there, alone; a request that passes is queued and
 * parked (lg_httpd_defer), holding no thread. The sequencer thread takes
 * every queued request (up to group_records_max records), optionally
 * waits group_wait_ms for more, and commits them with
 * ledger_log_submit_group(): one transaction, one fsync, one checkpoint;
 * rules and signatures are checked there, in arrival order, each request
 * against the state the requests before it leave. Then every request of
 * the group is answered: 200 with its receipts, or its own refusal.
 *
 * Refusals map a library code to a stable string and an HTTP status
 * (docs/HTTP.md "Errors"), in classify(). A policy refusal about who
 * signed (unknown or revoked key, author's signature or role) is 403; any
 * other rule of the body is 422: the rule book says which
 * (ledger_batch.refusal, a ledger_refusal), no message is parsed.
 *
 * Back-pressure: more than queue_records_max records waiting, or a
 * server shutting down, is 503 with Retry-After; a client over its rate
 * is 429 with Retry-After. Clients retry safely: submission is
 * idempotent (an identical record returns its entry with existed: true).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "attrledger/error.h"
#include "attrledger/record.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "codec/record.h"
#include "crypto/crypto.h"
#include "net/serve_int.h"
#include "net/serve_witness.h"

#define JSON_TYPE "application/json"
#define TEXT_TYPE "text/plain; charset=utf-8"

/* ---- errors (lg_serve_error: serve_error.c) ---- */

typedef struct {
    const char *code;
    unsigned status;
} refusal;

/* The stable code and status of a library refusal (docs/HTTP.md): the one
 * place a library code and, for LEDGER_EPOLICY, the rule book's refusal
 * kind (ledger_refusal) become an HTTP status. */
static refusal
classify(int rc, int kind)
{
    switch (rc) {
    case LEDGER_EFORMAT:
    case LEDGER_EVERSION:
        return (refusal){"malformed", 400};
    case LEDGER_EBADSIG:
        return (refusal){"bad_signature", 403};
    case LEDGER_EEXISTS:
        return (refusal){"record_id_conflict", 422};
    case LEDGER_EPOLICY:
        switch (kind) {
        case LEDGER_REFUSAL_UNKNOWN_KEY:
            return (refusal){"unknown_key", 403};
        case LEDGER_REFUSAL_REVOKED_KEY:
            return (refusal){"revoked_key", 403};
        case LEDGER_REFUSAL_NOT_AUTHORIZED:
            return (refusal){"not_authorized", 403};
        default:
            return (refusal){"rule", 422};
        }
    case LEDGER_EFULL:
    case LEDGER_EBUSY:
    case LEDGER_ENOMEM:
        return (refusal){"unavailable", 503};
    case LEDGER_EREADONLY:
        return (refusal){"read_only", 405};
    default:
        return (refusal){"internal", 500};
    }
}

static void
count_refused(ledger_server *s, const char *code)
{
    for (int i = 0; i < LG_SERVE_CODES; i++) {
        if (s->refused[i].code == NULL)
            s->refused[i].code = code;
        if (strcmp(s->refused[i].code, code) == 0) {
            s->refused[i].n++;
            return;
        }
    }
}

/* ---- the sequencer ---- */

static void
hist_add(uint64_t *b, double v)
{
    static const double edges[LG_SERVE_HIST] = {1,   2,   5,   10,   20,   50,
                                                100, 200, 500, 1000, 2000, 5000};
    int i = 0;

    while (i < LG_SERVE_HIST && v > edges[i])
        i++;
    b[i]++;
}

/* What a server with a witness policy says of its answer: whether the
 * policy's quorum cosigned the checkpoint of `size` its receipts use. */
typedef struct {
    int met;
    uint64_t size;
} quorum_state;

/* Append s (n bytes) to a JSON string body, escaped as jansson's compact
 * dump escapes it: '"', '\\' and control characters; UTF-8 as is. */
static char *
json_text(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\b':
            *o++ = 'b';
            break;
        case '\f':
            *o++ = 'f';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    return o;
}

/*
 * The 200 body: {"receipts":[{"index","record_id","leaf_hash","leaf","receipt","existed"}]}
 * ("leaf": base64 of the exact leaf bytes, so a client checks the receipt
 * without another request), and with a witness policy
 * "quorum":{"met":true|false,"size":N}. Written directly, byte for byte
 * what jansson's compact dump of that object gives: the sequencer answers
 * every request of a group, and building and dumping a jansson tree cost
 * it about 40 us per request (a third of a record's serial cost).
 */
static int
receipts_body(lg_http_response *resp, const ledger_receipt *r, size_t n, const quorum_state *q)
{
    size_t cap = 128; /* the object, "quorum" and the final "}\n" */
    char *body, *o;

    for (size_t i = 0; i < n; i++)
        cap += 128 + 6 * strlen(r[i].record_id) + LG_B64_LEN(LEDGER_HASH_SIZE) +
               LG_B64_LEN(r[i].leaf.len) + 6 * r[i].receipt.len;
    if ((o = body = lg_malloc(cap)) == NULL)
        return lg_serve_error(resp, 500, "internal", "out of memory", -1);
    o += sprintf(o, "{\"receipts\":[");
    for (size_t i = 0; i < n; i++) {
        o += sprintf(o, "%s{\"index\":%llu,\"record_id\":\"", i > 0 ? "," : "",
                     (unsigned long long)r[i].index);
        o = json_text(o, r[i].record_id, strlen(r[i].record_id));
        o += sprintf(o, "\",\"leaf_hash\":\"");
        lg_b64_encode(o, r[i].leaf_hash, LEDGER_HASH_SIZE);
        o += strlen(o);
        o += sprintf(o, "\",\"leaf\":\"");
        lg_b64_encode(o, r[i].leaf.data, r[i].leaf.len);
        o += strlen(o);
        o += sprintf(o, "\",\"receipt\":\"");
        o = json_text(o, (const char *)r[i].receipt.data, r[i].receipt.len);
        o += sprintf(o, "\",\"existed\":%s}", r[i].existed ? "true" : "false");
    }
    o += sprintf(o, "]");
    if (q != NULL)
        o += sprintf(o, ",\"quorum\":{\"met\":%s,\"size\":%llu}", q->met ? "true" : "false",
                     (unsigned long long)q->size);
    o += sprintf(o, "}\n");
    return lg_http_reply_owned(resp, 200, JSON_TYPE, (uint8_t *)body, (size_t)(o - body));
}

static void
free_pending(lg_pending *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        ledger_envelope_free(p->envs[i]);
    lg_free(p->envs);
    lg_free(p);
}

/*
 * After a commit, with a witness policy: ask the witnesses for the new
 * checkpoint, and with wait_quorum_ms wait for the quorum; when it is met,
 * the committed requests' receipts are rebuilt with the cosignatures.
 */
static void
quorum_for(ledger_server *s, ledger_batch *b, size_t n, quorum_state *q)
{
    ledger_log_info info;

    if (ledger_log_info_get(&info, s->log) < 0)
        return;
    q->size = info.size;
    lg_cosigner_notify(s->cosigner, info.size);
    if (s->o.wait_quorum_ms == 0 ||
        lg_cosigner_wait(s->cosigner, info.size, s->o.wait_quorum_ms) < 0) {
        pthread_mutex_lock(&s->lock);
        s->quorum_waits_missed += s->o.wait_quorum_ms > 0;
        pthread_mutex_unlock(&s->lock);
        return;
    }
    q->met = 1;
    for (size_t k = 0; k < n; k++) {
        if (b[k].rc != 0 || b[k].receipts == NULL)
            continue;
        for (size_t i = 0; i < b[k].n; i++) {
            ledger_buf r = LEDGER_BUF_INIT;

            if (ledger_log_receipt(&r, s->log, b[k].receipts[i].index, info.size, 1) < 0) {
                q->met = 0; /* keep the log-signed receipt; say so */
                continue;
            }
            ledger_buf_dispose(&b[k].receipts[i].receipt);
            b[k].receipts[i].receipt = r;
        }
    }
}

/*
 * The answer of a committed request, built on the pool thread that sends
 * it (lg_httpd_complete_later), so the sequencer hands over each result
 * and goes on to the next group: 200 with its receipts, or its own
 * refusal. resp NULL: the request ended unanswered; only release p.
 */
static void
answer(void *arg, lg_http_response *resp)
{
    lg_pending *p = arg;
    ledger_server *s = p->s;
    ledger_batch *b = &p->result;

    if (resp == NULL) {
        /* nothing to say */
    } else if (b->receipts == NULL) {
        lg_serve_error(resp, 503, "unavailable", "out of memory", -1);
        lg_http_add_header(resp, "Retry-After", "1");
    } else if (b->rc == 0) {
        quorum_state q = {p->quorum_met, p->quorum_size};
        size_t nn = 0;

        for (size_t i = 0; i < p->n; i++)
            nn += !b->receipts[i].existed;
        receipts_body(resp, b->receipts, p->n, s->cosigner != NULL ? &q : NULL);
        lg_serve_key_rate_charge(s, p->envs, p->n, b->receipts);
        pthread_mutex_lock(&s->lock);
        s->accepted += nn;
        s->existed += p->n - nn;
        pthread_mutex_unlock(&s->lock);
    } else {
        refusal r = classify(b->rc, b->refusal);

        lg_serve_error(resp, r.status, r.code, b->message, (long)b->failed);
        if (r.status == 503)
            lg_http_add_header(resp, "Retry-After", "1");
        pthread_mutex_lock(&s->lock);
        count_refused(s, r.code);
        pthread_mutex_unlock(&s->lock);
    }
    if (b->receipts != NULL) {
        ledger_receipts_dispose(b->receipts, p->n);
        lg_free(b->receipts);
    }
    free_pending(p);
}

/* Commit one group and hand each request its result (answer()). */
static void
commit_group(ledger_server *s, lg_pending *group, size_t n)
{
    ledger_batch *b = lg_calloc(n, sizeof *b);
    lg_pending *p, *next;
    uint64_t t0 = lg_serve_now_ms(), ms;
    size_t k = 0;
    quorum_state q = {0, 0};
    int rc = 0;

    for (p = group; p != NULL && b != NULL; p = p->next, k++) {
        b[k].envs = p->envs;
        b[k].n = p->n;
        if ((b[k].receipts = lg_calloc(p->n, sizeof(ledger_receipt))) == NULL)
            rc = LEDGER_ENOMEM;
    }
    if (b != NULL && rc == 0)
        rc = ledger_log_submit_group(s->log, b, n);
    else
        rc = LEDGER_ENOMEM;
    if (b != NULL && rc == LEDGER_ENOMEM) /* not run: nobody committed */
        for (k = 0; k < n; k++)
            if (b[k].rc == 0) {
                b[k].rc = LEDGER_ENOMEM;
                snprintf(b[k].message, sizeof b[k].message, "out of memory");
            }
    if (b != NULL && rc == 0 && s->cosigner != NULL)
        quorum_for(s, b, n, &q);
    ms = lg_serve_now_ms() - t0;
    pthread_mutex_lock(&s->lock);
    s->groups++;
    s->group_requests += n;
    hist_add(s->commit_ms_bucket, (double)ms);
    s->commit_ms_count++;
    s->commit_ms_sum += (double)ms;
    hist_add(s->group_bucket, (double)n);
    s->group_sum += n;
    pthread_mutex_unlock(&s->lock);
    for (k = 0, p = group; p != NULL; p = next, k++) {
        next = p->next;
        p->s = s;
        if (b != NULL)
            p->result = b[k];
        p->quorum_met = q.met;
        p->quorum_size = q.size;
        lg_httpd_complete_later(p->token, answer, p);
    }
    lg_free(b);
}

static void *
sequencer(void *arg)
{
    ledger_server *s = arg;

    pthread_mutex_lock(&s->lock);
    for (;;) {
        lg_pending *group, *last, *p;
        size_t n = 0, records = 0;

        while (s->head == NULL && !s->stopping)
            pthread_cond_wait(&s->wake, &s->lock);
        if (s->head == NULL)
            break; /* stopping, and nothing left to commit */
        if (s->o.group_wait_ms > 0) {
            /* Wait out group_wait_ms: enqueuing wakes the sequencer only
             * for a first request or a full group (h_add_records). */
            struct timespec ts;

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += (long)(s->o.group_wait_ms % 1000) * 1000000L;
            ts.tv_sec += s->o.group_wait_ms / 1000 + ts.tv_nsec / 1000000000L;
            ts.tv_nsec %= 1000000000L;
            while (!s->stopping && s->queued_records < s->o.group_records_max &&
                   pthread_cond_timedwait(&s->wake, &s->lock, &ts) == 0)
                ;
        }
        /* Take requests up to the group's record bound (at least one). */
        group = last = s->head;
        for (p = s->head; p != NULL; p = p->next) {
            if (n > 0 && records + p->n > s->o.group_records_max)
                break;
            records += p->n;
            n++;
            last = p;
        }
        s->head = last->next;
        if (s->head == NULL)
            s->tail = NULL;
        last->next = NULL;
        s->queued_records -= records;
        pthread_mutex_unlock(&s->lock);
        commit_group(s, group, n); /* each request's answer() frees it */
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---- POST /add-records ---- */

/* Token bucket per client address: rate_per_client per second, burst 2x.
 * Returns 0 if allowed, else the seconds to wait. */
static unsigned
rate_check(ledger_server *s, const char *addr)
{
    uint32_t h = 2166136261u;
    double rate = s->o.rate_per_client, burst = 2.0 * rate;
    uint64_t now = lg_serve_now_ms();
    unsigned wait = 0;

    if (s->o.rate_per_client == 0)
        return 0;
    for (const char *c = addr; *c; c++)
        h = (h ^ (uint8_t)*c) * 16777619u;
    pthread_mutex_lock(&s->lock);
    {
        lg_rate_slot *r = &s->rate[h % 256];

        if (strcmp(r->addr, addr) != 0) {
            /* A new address takes the slot with a full bucket (a collision
             * can only make the limit looser, never refuse wrongly). */
            snprintf(r->addr, sizeof r->addr, "%s", addr);
            r->tokens = burst;
            r->last_ms = now;
        }
        r->tokens += (double)(now - r->last_ms) * rate / 1000.0;
        if (r->tokens > burst)
            r->tokens = burst;
        r->last_ms = now;
        if (r->tokens >= 1.0)
            r->tokens -= 1.0;
        else
            wait = (unsigned)((1.0 - r->tokens) / rate) + 1;
    }
    pthread_mutex_unlock(&s->lock);
    return wait;
}

#define REFUSE(...) (lg_serve_error(__VA_ARGS__), -1)

/* Parse the body: one envelope object, or an array of them. Returns 0, or
 * -1 after filling resp with the refusal. */
static int
parse_records(lg_http_response *resp, ledger_server *s, const lg_http_request *req, lg_pending *p)
{
    json_t *root = NULL;
    json_error_t jerr;
    size_t n;
    int rc = 0, is_array;
    const char *c = (const char *)req->body;
    size_t i = 0;

    while (i < req->body_len && (c[i] == ' ' || c[i] == '\n' || c[i] == '\r' || c[i] == '\t'))
        i++;
    if (i == req->body_len)
        return REFUSE(resp, 400, "malformed", "empty body", -1);
    is_array = c[i] == '[';
    if (!is_array) {
        if ((p->envs = lg_calloc(1, sizeof *p->envs)) == NULL)
            return REFUSE(resp, 503, "unavailable", "out of memory", -1);
        p->n = 1;
        if (ledger_envelope_parse(&p->envs[0], c, req->body_len) < 0)
            return REFUSE(resp, 400, "malformed", ledger_error_last()->message, 0);
        return 0;
    }
    root = json_loadb(c, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_array(root)) {
        char msg[200];

        snprintf(msg, sizeof msg, "body is not a JSON array of envelopes: %s",
                 root == NULL ? jerr.text : "not an array");
        json_decref(root);
        return REFUSE(resp, 400, "malformed", msg, -1);
    }
    n = json_array_size(root);
    if (n == 0 || n > s->o.records_max) {
        char msg[120];

        snprintf(msg, sizeof msg, "%zu records in one request, want 1 to %u", n, s->o.records_max);
        json_decref(root);
        return REFUSE(resp, n == 0 ? 400 : 413, n == 0 ? "malformed" : "too_many_records", msg, -1);
    }
    if ((p->envs = lg_calloc(n, sizeof *p->envs)) == NULL) {
        json_decref(root);
        return REFUSE(resp, 503, "unavailable", "out of memory", -1);
    }
    p->n = n;
    for (i = 0; i < n && rc == 0; i++) {
        char *text = json_dumps(json_array_get(root, i), JSON_COMPACT);

        if (text == NULL || !json_is_object(json_array_get(root, i))) {
            rc = REFUSE(resp, 400, "malformed", "record is not a JSON object", (long)i);
        } else if (ledger_envelope_parse(&p->envs[i], text, strlen(text)) < 0) {
            rc = REFUSE(resp, 400, "malformed", ledger_error_last()->message, (long)i);
        } else {
            free(text);
            continue;
        }
        free(text);
        json_decref(root);
        return rc;
    }
    json_decref(root);
    return 0;
}

#undef REFUSE

static int
h_add_records(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    const char *ct = lg_http_header(req, "Content-Type");
    lg_pending *p;
    unsigned wait;

    if (ct == NULL || strncasecmp(ct, JSON_TYPE, strlen(JSON_TYPE)) != 0 ||
        (ct[strlen(JSON_TYPE)] != '\0' && ct[strlen(JSON_TYPE)] != ';'))
        return lg_serve_error(resp, 415, "unsupported_media_type",
                              "Content-Type must be application/json", -1);
    if ((wait = rate_check(s, req->client)) > 0) {
        pthread_mutex_lock(&s->lock);
        count_refused(s, "rate_limited");
        pthread_mutex_unlock(&s->lock);
        lg_serve_error(resp, 429, "rate_limited", "too many requests from this address", -1);
        lg_http_add_header(resp, "Retry-After", "%u", wait);
        return LG_HTTPD_DONE;
    }
    if ((p = lg_calloc(1, sizeof *p)) == NULL)
        return lg_serve_error(resp, 503, "unavailable", "out of memory", -1);
    if (parse_records(resp, s, req, p) != 0) {
        pthread_mutex_lock(&s->lock);
        count_refused(s, "malformed");
        pthread_mutex_unlock(&s->lock);
        free_pending(p);
        return LG_HTTPD_DONE;
    }
    for (size_t i = 0; i < p->n; i++)
        if (ledger_envelope_signature_count(p->envs[i]) == 0) {
            free_pending(p);
            return lg_serve_error(resp, 400, "unsigned", "record is not signed", (long)i);
        }
    /* The signatures are checked here, on this request thread, while the
     * sequencer commits the group before: it then only reads the verdicts
     * (ledger_log_precheck), which was most of its work per record. */
    for (size_t i = 0; i < p->n; i++)
        ledger_log_precheck(s->log, p->envs[i]);
    if ((wait = lg_serve_key_rate_check(s, p->envs, p->n)) > 0) {
        free_pending(p);
        pthread_mutex_lock(&s->lock);
        count_refused(s, "rate_limited");
        pthread_mutex_unlock(&s->lock);
        lg_serve_error(resp, 429, "rate_limited", "too many records from a signing key", -1);
        lg_http_add_header(resp, "Retry-After", "%u", wait);
        return LG_HTTPD_DONE;
    }
    pthread_mutex_lock(&s->lock);
    if (s->stopping || s->queued_records + p->n > s->o.queue_records_max) {
        int stopping = s->stopping;

        count_refused(s, "unavailable");
        pthread_mutex_unlock(&s->lock);
        free_pending(p);
        lg_serve_error(resp, 503, "unavailable",
                       stopping ? "the server is shutting down" : "the write queue is full", -1);
        lg_http_add_header(resp, "Retry-After", "%u", stopping ? 5u : 1u);
        return LG_HTTPD_DONE;
    }
    if ((p->token = lg_httpd_defer(req)) == NULL) {
        pthread_mutex_unlock(&s->lock);
        free_pending(p);
        return lg_serve_error(resp, 503, "unavailable", "out of memory", -1);
    }
    if (s->tail != NULL)
        s->tail->next = p;
    else
        s->head = p;
    s->tail = p;
    s->queued_records += p->n;
    if (s->head == p || s->queued_records >= s->o.group_records_max)
        pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return LG_HTTPD_DEFER;
}

/* ---- /healthz, /metrics ---- */

static int
h_healthz(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_log_info info;

    (void)req;
    if (ledger_log_info_get(&info, s->log) < 0)
        return lg_http_reply(resp, 503, TEXT_TYPE, "store unreadable\n");
    lg_http_add_header(resp, "Cache-Control", "no-store");
    return lg_http_reply(resp, 200, TEXT_TYPE, "ok\n");
}

static int
hist_text(char **m, size_t *len, size_t *cap, const char *name, const char *help, const uint64_t *b,
          uint64_t count, double sum)
{
    static const char *const le[LG_SERVE_HIST] = {"1",   "2",   "5",   "10",   "20",   "50",
                                                  "100", "200", "500", "1000", "2000", "5000"};
    uint64_t cum = 0;
    int rc;

    if ((rc = lg_strbuf_printf(m, len, cap, "# HELP %s %s\n# TYPE %s histogram\n", name, help,
                               name)) < 0)
        return rc;
    for (int i = 0; i < LG_SERVE_HIST; i++) {
        cum += b[i];
        if ((rc = lg_strbuf_printf(m, len, cap, "%s_bucket{le=\"%s\"} %llu\n", name, le[i],
                                   (unsigned long long)cum)) < 0)
            return rc;
    }
    return lg_strbuf_printf(m, len, cap, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %g\n%s_count %llu\n",
                            name, (unsigned long long)count, name, sum, name,
                            (unsigned long long)count);
}

static int
h_metrics(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_server snap;
    ledger_log_info info;
    char *m = NULL;
    size_t len = 0, cap = 0;
    uint64_t missed = 0;
    int rc;

    (void)req;
    memset(&info, 0, sizeof info);
    ledger_log_info_get(&info, s->log);
    pthread_mutex_lock(&s->lock);
    memcpy(snap.refused, s->refused, sizeof snap.refused);
    memcpy(snap.commit_ms_bucket, s->commit_ms_bucket, sizeof snap.commit_ms_bucket);
    memcpy(snap.group_bucket, s->group_bucket, sizeof snap.group_bucket);
    snap.accepted = s->accepted;
    snap.existed = s->existed;
    snap.groups = s->groups;
    snap.group_requests = s->group_requests;
    snap.commit_ms_count = s->commit_ms_count;
    snap.commit_ms_sum = s->commit_ms_sum;
    snap.group_sum = s->group_sum;
    snap.queued_records = s->queued_records;
    pthread_mutex_unlock(&s->lock);
    rc = lg_strbuf_printf(&m, &len, &cap,
                          "# HELP attrledger_tree_size Entries in the log.\n"
                          "# TYPE attrledger_tree_size gauge\nattrledger_tree_size %llu\n"
                          "# HELP attrledger_records_accepted_total Records appended.\n"
                          "# TYPE attrledger_records_accepted_total counter\n"
                          "attrledger_records_accepted_total %llu\n"
                          "# HELP attrledger_records_existed_total Records already present "
                          "(idempotent resubmissions).\n"
                          "# TYPE attrledger_records_existed_total counter\n"
                          "attrledger_records_existed_total %llu\n"
                          "# HELP attrledger_requests_refused_total Write requests refused, by "
                          "code.\n# TYPE attrledger_requests_refused_total counter\n",
                          (unsigned long long)info.size, (unsigned long long)snap.accepted,
                          (unsigned long long)snap.existed);
    for (int i = 0; rc == 0 && i < LG_SERVE_CODES && snap.refused[i].code != NULL; i++)
        rc = lg_strbuf_printf(&m, &len, &cap,
                              "attrledger_requests_refused_total{code=\"%s\"} %llu\n",
                              snap.refused[i].code, (unsigned long long)snap.refused[i].n);
    if (rc == 0)
        rc = lg_strbuf_printf(&m, &len, &cap,
                              "# HELP attrledger_queue_records Records waiting for the "
                              "sequencer.\n# TYPE attrledger_queue_records gauge\n"
                              "attrledger_queue_records %llu\n"
                              "# HELP attrledger_groups_total Group commits.\n"
                              "# TYPE attrledger_groups_total counter\nattrledger_groups_total "
                              "%llu\n",
                              (unsigned long long)snap.queued_records,
                              (unsigned long long)snap.groups);
    if (rc == 0)
        rc = hist_text(&m, &len, &cap, "attrledger_commit_milliseconds",
                       "Time of one group commit (transaction, fsync, checkpoint).",
                       snap.commit_ms_bucket, snap.commit_ms_count, snap.commit_ms_sum);
    if (rc == 0)
        rc = hist_text(&m, &len, &cap, "attrledger_group_requests", "Requests per group commit.",
                       snap.group_bucket, snap.groups, (double)snap.group_sum);
    if (rc == 0 && s->cosigner != NULL)
        rc = lg_cosigner_metrics(&m, &len, &cap, s->cosigner);
    if (rc == 0 && s->cosigner != NULL && s->o.wait_quorum_ms > 0) {
        pthread_mutex_lock(&s->lock);
        missed = s->quorum_waits_missed;
        pthread_mutex_unlock(&s->lock);
        rc = lg_strbuf_printf(&m, &len, &cap,
                              "# HELP attrledger_quorum_waits_missed_total Commits answered "
                              "before the witness quorum cosigned (--wait-quorum ran out).\n"
                              "# TYPE attrledger_quorum_waits_missed_total counter\n"
                              "attrledger_quorum_waits_missed_total %llu\n",
                              (unsigned long long)missed);
    }
    if (rc == 0)
        rc = lg_httpd_metrics(&m, &len, &cap, s->httpd, "attrledger");
    if (rc < 0) {
        lg_free(m);
        return lg_http_reply(resp, 500, TEXT_TYPE, "out of memory\n");
    }
    lg_http_add_header(resp, "Cache-Control", "no-store");
    return lg_http_reply_owned(resp, 200, "text/plain; version=0.0.4; charset=utf-8", (uint8_t *)m,
                               len);
}

/* ---- start / stop ---- */

static void
httpd_log(void *payload, const char *line)
{
    ledger_server *s = payload;

    if (s->o.log != NULL)
        s->o.log(s->o.log_payload, line);
}

int
ledger_server_start(ledger_server **out, ledger_log *log, const ledger_server_options *opts)
{
    ledger_server_options defaults = LEDGER_SERVER_OPTIONS_INIT;
    lg_httpd_route routes[LG_HTTPD_MAX_ROUTES];
    lg_httpd_options ho;
    ledger_log_info info;
    ledger_vkey vk;
    ledger_buf vkb = LEDGER_BUF_INIT;
    ledger_server *s;
    size_t nr = 0;
    int rc;

    if (out == NULL || log == NULL)
        return lg_error_set(LEDGER_EINVAL, "serve: missing argument");
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != LEDGER_SERVER_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EVERSION, "server options version %u, want %d", opts->version,
                            LEDGER_SERVER_OPTIONS_VERSION);
    /* A site file's path is the directory, a request path of at most
     * LG_SITE_REQUEST_MAX bytes and "index.html": it must always fit. */
    if (opts->site_dir != NULL &&
        strlen(opts->site_dir) + LG_SITE_REQUEST_MAX + 11 > LG_SITE_PATH_MAX)
        return lg_error_set(LEDGER_EINVAL, "site directory path too long (%zu bytes, at most %d)",
                            strlen(opts->site_dir), LG_SITE_PATH_MAX - LG_SITE_REQUEST_MAX - 11);
    if ((rc = ledger_log_info_get(&info, log)) < 0)
        return rc;
    if (opts->log_key != NULL && (rc = ledger_log_set_signer(log, opts->log_key)) < 0)
        return rc;
    if ((s = lg_calloc(1, sizeof *s)) == NULL)
        return lg_error_nomem();
    s->log = log;
    s->o = *opts;
    s->read_only = opts->log_key == NULL;
    if (s->o.records_max == 0)
        s->o.records_max = 1000;
    if (s->o.group_records_max == 0)
        s->o.group_records_max = 10000;
    if (s->o.queue_records_max == 0)
        s->o.queue_records_max = 20000;
    if (s->o.body_max == 0)
        s->o.body_max = 1024u * 1024u;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);

    memset(&vk, 0, sizeof vk);
    snprintf(vk.name, sizeof vk.name, "%s", info.origin);
    vk.type = LEDGER_SIGTYPE_ED25519;
    memcpy(vk.public_key, info.log_public_key, LEDGER_PUBKEY_SIZE);
    vk.note_id = lg_note_key_id(vk.name, vk.type, vk.public_key);
    if ((rc = ledger_vkey_format(&vkb, &vk)) < 0)
        goto fail;
    /* As in DIR/log.vkey: one line. */
    if ((s->vkey = lg_malloc(vkb.len + 2)) == NULL) {
        ledger_buf_dispose(&vkb);
        rc = lg_error_nomem();
        goto fail;
    }
    memcpy(s->vkey, vkb.data, vkb.len);
    memcpy(s->vkey + vkb.len, "\n", 2);
    ledger_buf_dispose(&vkb);
    {
        static const char hex[] = "0123456789abcdef";
        uint8_t h[32];

        lg_sha256(h, (const uint8_t *)s->vkey, strlen(s->vkey));
        for (int i = 0; i < 8; i++) {
            s->log_tag[2 * i] = hex[h[i] >> 4];
            s->log_tag[2 * i + 1] = hex[h[i] & 15];
        }
    }

    if (opts->witness_policy != NULL) {
        if (s->read_only) {
            rc = lg_error_set(LEDGER_EINVAL,
                              "serve: a witness policy needs the log key (a read-only server "
                              "signs no checkpoint to cosign)");
            goto fail;
        }
        if ((rc = lg_cosigner_start(&s->cosigner, log, opts->witness_policy, opts->log,
                                    opts->log_payload)) < 0)
            goto fail;
    } else if (opts->wait_quorum_ms > 0) {
        rc = lg_error_set(LEDGER_EINVAL, "serve: waiting for a quorum needs a witness policy");
        goto fail;
    }
    if (!s->read_only) {
        routes[nr++] = (lg_httpd_route){"POST", "/add-records", 0, "add-records", h_add_records};
        if (pthread_create(&s->sequencer, NULL, sequencer, s) != 0) {
            rc = lg_error_set(LEDGER_EIO, "serve: cannot start the sequencer thread");
            goto fail;
        }
        s->sequencer_started = 1;
    }
    routes[nr++] = (lg_httpd_route){"GET", "/healthz", 0, "healthz", h_healthz};
    routes[nr++] = (lg_httpd_route){"GET", "/metrics", 0, "metrics", h_metrics};
    nr += lg_serve_read_routes(routes + nr, LG_HTTPD_MAX_ROUTES - nr, s);

    memset(&ho, 0, sizeof ho);
    ho.host = opts->host;
    ho.port = opts->port;
    ho.threads = opts->threads;
    ho.max_connections = opts->max_connections;
    ho.idle_timeout_s = opts->idle_timeout_s;
    ho.request_timeout_s = opts->request_timeout_s;
    ho.body_max = s->o.body_max;
    ho.routes = routes;
    ho.n_routes = nr;
    ho.payload = s;
    ho.log = httpd_log;
    ho.log_payload = s;
    if ((rc = lg_httpd_start(&s->httpd, &ho)) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    ledger_server_stop(s, 0);
    return rc;
}

unsigned
ledger_server_port(const ledger_server *s)
{
    return s != NULL ? lg_httpd_port(s->httpd) : 0;
}

void
ledger_server_stop(ledger_server *s, unsigned drain_ms)
{
    if (s == NULL)
        return;
    /* New writes get 503; the sequencer commits what is queued, then exits. */
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (s->sequencer_started)
        pthread_join(s->sequencer, NULL);
    lg_cosigner_stop(s->cosigner);
    lg_httpd_stop(s->httpd, drain_ms);
    while (s->head != NULL) {
        lg_pending *n = s->head->next;
        free_pending(s->head);
        s->head = n;
    }
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    lg_free(s->vkey);
    lg_free(s);
}
