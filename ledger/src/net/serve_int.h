/*
 * serve_int.h (internal) - shared by serve.c (start/stop, write path,
 * sequencer, metrics) and serve_read.c (read routes).
 */
#ifndef LG_NET_SERVE_INT_H
#define LG_NET_SERVE_INT_H

#include <pthread.h>
#include <stdint.h>

#include "attrledger/serve.h"
#include "net/httpd.h"

/* One POST /add-records waiting for the sequencer, then for its answer. */
typedef struct lg_pending {
    struct lg_pending *next;
    ledger_envelope **envs;
    size_t n;
    void *token; /* lg_httpd_defer() */
    /* Set by the sequencer after the commit, for the answer (serve.c). */
    struct ledger_server *s;
    ledger_batch result;  /* rc, refusal, message; receipts owned */
    int quorum_met;       /* with a witness policy: its quorum cosigned... */
    uint64_t quorum_size; /* ...the checkpoint of this size */
} lg_pending;

/* A token bucket of the per-address rate limit. */
typedef struct {
    char addr[48];
    double tokens;
    uint64_t last_ms;
} lg_rate_slot;

/* A token bucket of the per-signing-key rate limit (serve_rate.c). */
typedef struct {
    uint8_t key_id[32];
    int used;
    double tokens;
    uint64_t last_ms;
} lg_key_rate_slot;

#define LG_SERVE_KEY_SLOTS 1024
#define LG_SERVE_KEY_PROBE 8 /* slots a key may take (serve_rate.c) */
#define LG_SERVE_HIST 12     /* histogram buckets */
#define LG_SERVE_CODES 16
/* Site files: the longest request path served, and the longest file path
 * (directory + request path + "index.html"), which the server checks at
 * start so that no site path is ever cut short. */
#define LG_SITE_REQUEST_MAX 512
#define LG_SITE_PATH_MAX 4096

struct ledger_server {
    lg_httpd *httpd;
    ledger_log *log;
    ledger_server_options o;
    char *vkey;       /* "name+id+base64\n" */
    char log_tag[17]; /* hex of SHA-256(vkey)[0..8): names this log in tile ETags */
    int read_only;

    pthread_mutex_t lock; /* queue, stopping, metrics */
    pthread_cond_t wake;
    lg_pending *head, *tail;
    size_t queued_records;
    int stopping;
    pthread_t sequencer;
    int sequencer_started;
    struct lg_cosigner *cosigner; /* witness_policy's collector, or NULL */

    /* metrics (under lock) */
    uint64_t accepted, existed, groups, group_requests;
    uint64_t quorum_waits_missed; /* --wait-quorum ran out */
    struct {
        const char *code;
        uint64_t n;
    } refused[LG_SERVE_CODES];
    uint64_t commit_ms_bucket[LG_SERVE_HIST + 1], commit_ms_count;
    double commit_ms_sum;
    uint64_t group_bucket[LG_SERVE_HIST + 1], group_sum;

    /* rate limit per client address: a small hashed table of token buckets */
    lg_rate_slot rate[256];
    /* rate limit per signing key (serve_rate.c) */
    lg_key_rate_slot key_rate[LG_SERVE_KEY_SLOTS];
};

/* Register the read routes; returns how many were written to r (at most max). */
size_t lg_serve_read_routes(lg_httpd_route *r, size_t max, const ledger_server *s);

/* A JSON error body {"error":{"code","message"[,"record"]}} (record < 0: none). */
int lg_serve_error(lg_http_response *resp, unsigned status, const char *code, const char *message,
                   long record);

uint64_t lg_serve_now_ms(void);

/* Rate limit per signing key (serve_rate.c): 0 if every key signing one
 * of the n records has budget left, else the seconds to wait (takes
 * s->lock). */
unsigned lg_serve_key_rate_check(ledger_server *s, ledger_envelope *const *envs, size_t n);
/* Spend one token per signature of every record appended (not existed)
 * by a committed request (takes s->lock). */
void lg_serve_key_rate_charge(ledger_server *s, ledger_envelope *const *envs, size_t n,
                              const ledger_receipt *receipts);

#endif
