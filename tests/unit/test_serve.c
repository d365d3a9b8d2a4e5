/*
 * test_serve.c - the server under concurrent load, in process: 64 client
 * threads x 50 POST /add-records (one record each, keep-alive), some
 * invalid (a rule of the body, unsigned, malformed). Asserts: every valid
 * record is acknowledged exactly once (200, existed false, distinct
 * indexes), every invalid one refused with its status and code, the
 * ledger holds exactly the valid records and verifies, and /metrics shows
 * group commits of more than one request. Also: a resubmission returns the
 * original entry, and SIGTERM-style stop drains with 503 for late writes;
 * with group_wait_ms the sequencer waits its whole time, gathering
 * requests that arrive one after another into one group.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "attrledger/serve.h"
#include "rulefix.h"

#define CLIENTS 64
#define PER_CLIENT 50
#define K(p) (f->key[(p)])

typedef enum { V_OK, V_RULE, V_UNSIGNED, V_MALFORMED } kind;

typedef struct {
    char *body;
    kind k;
    long status;
    char code[32];
    uint64_t index;
    int existed;
} job;

typedef struct {
    unsigned port;
    job *jobs; /* PER_CLIENT of them */
    int failed;
} client;

static job jobs[CLIENTS * PER_CLIENT];

static kind
kind_of(int i)
{
    if (i % 17 == 5)
        return V_RULE;
    if (i % 41 == 7)
        return V_UNSIGNED;
    if (i % 97 == 11)
        return V_MALFORMED;
    return V_OK;
}

/* Pull "code":"..." and "index":N / "existed":B out of an answer. */
static void
parse_answer(job *j, const char *b)
{
    const char *p;

    if ((p = strstr(b, "\"code\":\"")) != NULL)
        sscanf(p + 8, "%31[^\"]", j->code);
    if ((p = strstr(b, "\"index\":")) != NULL)
        j->index = strtoull(p + 8, NULL, 10);
    j->existed = strstr(b, "\"existed\":true") != NULL;
}

static void *
run_client(void *arg)
{
    client *c = arg;
    ledger_http_fetcher *fx = NULL;
    char url[64];

    snprintf(url, sizeof url, "http://127.0.0.1:%u", c->port);
    if (ledger_http_fetcher_new(&fx, url, NULL) < 0) {
        c->failed = 1;
        return NULL;
    }
    for (int i = 0; i < PER_CLIENT; i++) {
        job *j = &c->jobs[i];
        ledger_http_status st;
        ledger_buf b = LEDGER_BUF_INIT;

        if (ledger_http_request(&st, &b, fx, "POST", "add-records", "application/json",
                                (const uint8_t *)j->body, strlen(j->body), 1 << 20) < 0) {
            c->failed = 1;
            break;
        }
        j->status = st.status;
        parse_answer(j, (const char *)b.data);
        ledger_buf_dispose(&b);
    }
    ledger_http_fetcher_free(fx);
    return NULL;
}

static void
serve_concurrent_clients(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_server_options o = LEDGER_SERVER_OPTIONS_INIT;
    ledger_server *srv = NULL;
    pthread_t t[CLIENTS];
    client cl[CLIENTS];
    uint64_t size0 = rf_size(f), n_ok = 0;
    uint8_t *seen;
    ledger_http_fetcher *fx = NULL;
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;
    char url[64];
    const char *p;
    unsigned long long groups = 0, group_requests = 0;

    (void)state;
    for (int i = 0; i < CLIENTS * PER_CLIENT; i++) {
        char rid[32];
        ledger_envelope *env;
        ledger_buf json = LEDGER_BUF_INIT;

        snprintf(rid, sizeof rid, "inc:load%d", i);
        jobs[i].k = kind_of(i);
        if (jobs[i].k == V_MALFORMED) {
            jobs[i].body = strdup("{\"record\": \"not base64!\", \"signatures\": []}");
            continue;
        }
        if (jobs[i].k == V_UNSIGNED) { /* a JSON record, not a signed envelope */
            jobs[i].body = strdup(rf_incident(rid, P_M1, NULL));
            continue;
        }
        env = jobs[i].k == V_RULE ? rf_env(rf_evidence(rid, P_M1, "inc:missing"), K(P_M1), NULL)
                                  : rf_env(rf_incident(rid, P_M1, NULL), K(P_M1), NULL);
        assert_int_equal(ledger_envelope_to_json(&json, env, 0), 0);
        jobs[i].body = strdup((const char *)json.data);
        ledger_buf_dispose(&json);
        ledger_envelope_free(env);
    }
    o.log_key = f->log_key;
    o.threads = 4;
    assert_int_equal(ledger_server_start(&srv, f->log, &o), 0);
    for (int c = 0; c < CLIENTS; c++) {
        cl[c] = (client){ledger_server_port(srv), &jobs[c * PER_CLIENT], 0};
        assert_int_equal(pthread_create(&t[c], NULL, run_client, &cl[c]), 0);
    }
    for (int c = 0; c < CLIENTS; c++) {
        pthread_join(t[c], NULL);
        assert_int_equal(cl[c].failed, 0);
    }

    /* every valid record acknowledged exactly once; invalid ones refused */
    seen = calloc(CLIENTS * PER_CLIENT + size0 + 1, 1);
    for (int i = 0; i < CLIENTS * PER_CLIENT; i++) {
        job *j = &jobs[i];

        switch (j->k) {
        case V_OK:
            assert_int_equal(j->status, 200);
            assert_int_equal(j->existed, 0);
            assert_true(j->index >= size0 && j->index < size0 + CLIENTS * PER_CLIENT);
            assert_int_equal(seen[j->index], 0);
            seen[j->index] = 1;
            n_ok++;
            break;
        case V_RULE:
            assert_int_equal(j->status, 422);
            assert_string_equal(j->code, "rule");
            break;
        case V_UNSIGNED:
            assert_int_equal(j->status, 400);
            assert_string_equal(j->code, "unsigned");
            break;
        case V_MALFORMED:
            assert_int_equal(j->status, 400);
            assert_string_equal(j->code, "malformed");
            break;
        }
    }
    free(seen);
    assert_int_equal(rf_size(f), size0 + n_ok);

    /* a resubmission returns the original entry */
    snprintf(url, sizeof url, "http://127.0.0.1:%u", ledger_server_port(srv));
    assert_int_equal(ledger_http_fetcher_new(&fx, url, NULL), 0);
    assert_int_equal(ledger_http_request(&st, &b, fx, "POST", "add-records", "application/json",
                                         (const uint8_t *)jobs[0].body, strlen(jobs[0].body),
                                         1 << 20),
                     0);
    assert_int_equal(st.status, 200);
    {
        job again = {0};
        parse_answer(&again, (const char *)b.data);
        assert_int_equal(again.existed, 1);
        assert_int_equal(again.index, jobs[0].index);
    }
    ledger_buf_dispose(&b);

    /* group commit happened: more requests than groups */
    assert_int_equal(ledger_http_request(&st, &b, fx, "GET", "metrics", NULL, NULL, 0, 1 << 20), 0);
    assert_int_equal(st.status, 200);
    assert_non_null(p = strstr((const char *)b.data, "\nattrledger_groups_total "));
    groups = strtoull(p + 25, NULL, 10);
    assert_non_null(p = strstr((const char *)b.data, "\nattrledger_group_requests_sum "));
    group_requests = strtoull(p + 31, NULL, 10);
    print_message("%llu write requests in %llu group commits\n", group_requests, groups);
    assert_true(groups > 0);
    assert_true(group_requests > groups);
    assert_non_null(
        strstr((const char *)b.data, "attrledger_requests_refused_total{code=\"rule\"}"));
    ledger_buf_dispose(&b);
    ledger_http_fetcher_free(fx);

    ledger_server_stop(srv, 2000);
    rf_verify_ok(f);
    for (int i = 0; i < CLIENTS * PER_CLIENT; i++)
        free(jobs[i].body);
    rf_free(f);
}

/* One late POST /add-records: sleep `delay_ms`, then send `body`. */
typedef struct {
    unsigned port;
    unsigned delay_ms;
    const char *body;
    long status;
    job answer;
} late_post;

static void *
post_late(void *arg)
{
    late_post *lp = arg;
    ledger_http_fetcher *fx = NULL;
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;
    char url[64];

    nanosleep(&(struct timespec){lp->delay_ms / 1000, (long)(lp->delay_ms % 1000) * 1000000L},
              NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", lp->port);
    if (ledger_http_fetcher_new(&fx, url, NULL) == 0 &&
        ledger_http_request(&st, &b, fx, "POST", "add-records", "application/json",
                            (const uint8_t *)lp->body, strlen(lp->body), 1 << 20) == 0) {
        lp->status = st.status;
        parse_answer(&lp->answer, (const char *)b.data);
    }
    ledger_buf_dispose(&b);
    ledger_http_fetcher_free(fx);
    return NULL;
}

static void
serve_group_wait_gathers_late_requests(void **state)
{
    rf_ledger *f = rf_new(1);
    ledger_server_options o = LEDGER_SERVER_OPTIONS_INIT;
    ledger_server *srv = NULL;
    late_post lp[3];
    pthread_t t[3];
    char *bodies[3];
    uint64_t size0 = rf_size(f);
    ledger_http_fetcher *fx = NULL;
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;
    char url[64];

    (void)state;
    o.log_key = f->log_key;
    o.group_wait_ms = 3000; /* far longer than the 400 ms the requests span */
    assert_int_equal(ledger_server_start(&srv, f->log, &o), 0);
    for (int i = 0; i < 3; i++) {
        char rid[32];
        ledger_envelope *env;
        ledger_buf json = LEDGER_BUF_INIT;

        snprintf(rid, sizeof rid, "inc:late%d", i);
        env = rf_env(rf_incident(rid, P_M1, NULL), K(P_M1), NULL);
        assert_int_equal(ledger_envelope_to_json(&json, env, 0), 0);
        bodies[i] = strdup((const char *)json.data);
        ledger_buf_dispose(&json);
        ledger_envelope_free(env);
        lp[i] = (late_post){
            .port = ledger_server_port(srv), .delay_ms = 200u * (unsigned)i, .body = bodies[i]};
        assert_int_equal(pthread_create(&t[i], NULL, post_late, &lp[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(lp[i].status, 200);
        assert_true(lp[i].answer.index >= size0 && lp[i].answer.index < size0 + 3);
        free(bodies[i]);
    }
    /* one group of three (before, the second arrival ended the wait) */
    snprintf(url, sizeof url, "http://127.0.0.1:%u", ledger_server_port(srv));
    assert_int_equal(ledger_http_fetcher_new(&fx, url, NULL), 0);
    assert_int_equal(ledger_http_request(&st, &b, fx, "GET", "metrics", NULL, NULL, 0, 1 << 20), 0);
    assert_non_null(strstr((const char *)b.data, "\nattrledger_groups_total 1\n"));
    assert_non_null(strstr((const char *)b.data, "\nattrledger_group_requests_sum 3\n"));
    ledger_buf_dispose(&b);
    ledger_http_fetcher_free(fx);
    ledger_server_stop(srv, 2000);
    assert_int_equal(rf_size(f), size0 + 3);
    rf_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(serve_concurrent_clients),
        cmocka_unit_test(serve_group_wait_gathers_late_requests),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
