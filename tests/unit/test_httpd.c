/*
 * test_httpd.c - the HTTP server layer (net/httpd.c) driven by the
 * library's HTTP client (ledger_http_request): routing, 404/405, body
 * limit 413, POST bodies, deferred answers completed from another thread
 * (the answer itself, or the function that builds it on the pool thread),
 * the request log line and the counters. Servers bind 127.0.0.1 on a free
 * port.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "attrledger/error.h"
#include "attrledger/http.h"
#include "base/alloc.h"
#include "net/httpd.h"

typedef struct {
    pthread_mutex_t lock;
    char last_log[512];
    int log_lines;
} fixture;

static fixture fx = {PTHREAD_MUTEX_INITIALIZER, "", 0};

static int
h_hello(void *payload, lg_http_response *resp, lg_http_request *req)
{
    (void)req;
    (void)payload;
    lg_http_add_header(resp, "Cache-Control", "max-age=%d", 5);
    return lg_http_reply(resp, 200, "text/plain", "hello\n");
}

/* Echo the body back, upper-cased, with the query argument "x". */
static int
h_echo(void *payload, lg_http_response *resp, lg_http_request *req)
{
    const char *x = lg_http_query(req, "x");
    size_t n = req->body_len + (x ? strlen(x) : 0);
    uint8_t *out = lg_malloc(n + 1);

    (void)payload;
    if (out == NULL)
        return lg_http_reply(resp, 500, NULL, NULL);
    for (size_t i = 0; i < req->body_len; i++)
        out[i] = (uint8_t)(req->body[i] >= 'a' && req->body[i] <= 'z' ? req->body[i] - 32
                                                                      : req->body[i]);
    if (x)
        memcpy(out + req->body_len, x, strlen(x));
    return lg_http_reply_owned(resp, 201, "text/plain", out, n);
}

static void *
completer(void *token)
{
    lg_http_response r;

    struct timespec ts = {0, 50 * 1000 * 1000};

    nanosleep(&ts, NULL); /* after the handler has returned, usually */
    memset(&r, 0, sizeof r);
    lg_http_reply(&r, 202, "text/plain", "later\n");
    lg_http_add_header(&r, "Retry-After", "7");
    lg_httpd_complete(token, &r);
    return NULL;
}

static int
h_defer(void *payload, lg_http_response *resp, lg_http_request *req)
{
    void *token = lg_httpd_defer(req);
    pthread_t t;

    (void)payload;
    if (token == NULL || pthread_create(&t, NULL, completer, token) != 0)
        return lg_http_reply(resp, 500, NULL, NULL);
    pthread_detach(t);
    return LG_HTTPD_DEFER;
}

/* lg_httpd_complete_later: the answer is built by the pool thread that
 * sends it, never by the thread that completes the request. */
typedef struct {
    pthread_t completer; /* the thread that called lg_httpd_complete_later */
    int sync;            /* completed from the handler itself */
} later_arg;

static pthread_mutex_t built_lock = PTHREAD_MUTEX_INITIALIZER;
static int built, built_on_pool, released;

static void
build(void *arg, lg_http_response *resp)
{
    later_arg *a = arg;

    pthread_mutex_lock(&built_lock);
    if (resp == NULL) {
        released++;
    } else {
        built++;
        built_on_pool += a->sync || !pthread_equal(a->completer, pthread_self());
        lg_http_reply(resp, 203, "text/plain", a->sync ? "built now\n" : "built\n");
    }
    pthread_mutex_unlock(&built_lock);
    free(a);
}

static void *
completer_later(void *token_arg)
{
    void **ta = token_arg;
    later_arg *a = ta[1];

    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    a->completer = pthread_self();
    lg_httpd_complete_later(ta[0], build, a);
    free(ta);
    return NULL;
}

static int
h_build(void *payload, lg_http_response *resp, lg_http_request *req)
{
    void *token = lg_httpd_defer(req);
    later_arg *a = calloc(1, sizeof *a);
    void **ta = calloc(2, sizeof *ta);
    pthread_t t;

    (void)payload;
    if (token == NULL || a == NULL || ta == NULL) {
        free(a);
        free(ta);
        return lg_http_reply(resp, 500, NULL, NULL);
    }
    if (strcmp(req->path, "/build/now") == 0) {
        /* Completed before the handler returns: built at once, here. */
        a->sync = 1;
        a->completer = pthread_self();
        free(ta);
        lg_httpd_complete_later(token, build, a);
        return LG_HTTPD_DEFER;
    }
    ta[0] = token;
    ta[1] = a;
    if (pthread_create(&t, NULL, completer_later, ta) != 0) {
        free(a);
        free(ta);
        return lg_http_reply(resp, 500, NULL, NULL);
    }
    pthread_detach(t);
    return LG_HTTPD_DEFER;
}

static void
on_log(void *payload, const char *line)
{
    (void)payload;
    pthread_mutex_lock(&fx.lock);
    snprintf(fx.last_log, sizeof fx.last_log, "%s", line);
    fx.log_lines++;
    pthread_mutex_unlock(&fx.lock);
}

static const lg_httpd_route routes[] = {
    {"GET", "/hello", 0, "hello", h_hello},
    {"POST", "/echo", 0, "echo", h_echo},
    {"POST", "/later/", 1, "later", h_defer},
    {"POST", "/build/", 1, "build", h_build},
};

static lg_httpd *
start(size_t body_max)
{
    lg_httpd_options o;
    lg_httpd *d = NULL;

    memset(&o, 0, sizeof o);
    o.routes = routes;
    o.n_routes = sizeof routes / sizeof routes[0];
    o.threads = 2;
    o.body_max = body_max;
    o.log = on_log;
    assert_int_equal(lg_httpd_start(&d, &o), 0);
    assert_true(lg_httpd_port(d) > 0);
    return d;
}

static ledger_http_fetcher *
client(lg_httpd *d)
{
    char url[64];
    ledger_http_fetcher *f = NULL;

    snprintf(url, sizeof url, "http://127.0.0.1:%u", lg_httpd_port(d));
    assert_int_equal(ledger_http_fetcher_new(&f, url, NULL), 0);
    return f;
}

static void
httpd_routes_get_post_and_errors(void **state)
{
    lg_httpd *d = start(64);
    ledger_http_fetcher *f = client(d);
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;
    char big[100];

    (void)state;
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "hello", NULL, NULL, 0, 1024), 0);
    assert_int_equal(st.status, 200);
    assert_memory_equal(b.data, "hello\n", 6);
    assert_int_equal(b.len, 6);
    ledger_buf_dispose(&b);

    assert_int_equal(ledger_http_request(&st, &b, f, "POST", "echo?x=Q", "text/plain",
                                         (const uint8_t *)"abc", 3, 1024),
                     0);
    assert_int_equal(st.status, 201);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "ABCQ", 4);
    ledger_buf_dispose(&b);

    /* unknown path, wrong method */
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "nope", NULL, NULL, 0, 1024), 0);
    assert_int_equal(st.status, 404);
    ledger_buf_dispose(&b);
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "echo", NULL, NULL, 0, 1024), 0);
    assert_int_equal(st.status, 405);
    ledger_buf_dispose(&b);
    /* the GET client path still works after a POST on the same handle */
    assert_int_equal(ledger_http_fetch(f, "hello", 1024, &b), 0);
    assert_int_equal(b.len, 6);
    ledger_buf_dispose(&b);

    /* body over the limit: 413, and the server keeps serving */
    memset(big, 'a', sizeof big);
    assert_int_equal(ledger_http_request(&st, &b, f, "POST", "echo", "text/plain",
                                         (const uint8_t *)big, sizeof big, 1024),
                     0);
    assert_int_equal(st.status, 413);
    ledger_buf_dispose(&b);
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "hello", NULL, NULL, 0, 1024), 0);
    assert_int_equal(st.status, 200);
    ledger_buf_dispose(&b);

    /* response larger than the client's max */
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "hello", NULL, NULL, 0, 3),
                     LEDGER_EFORMAT);
    assert_int_equal(ledger_http_request(&st, &b, f, "DELETE", "hello", NULL, NULL, 0, 3),
                     LEDGER_EINVAL);
    assert_int_equal(ledger_http_request(&st, &b, f, "GET", "../x", NULL, NULL, 0, 3),
                     LEDGER_EINVAL);
    ledger_http_fetcher_free(f);
    lg_httpd_stop(d, 1000);
}

static void
httpd_deferred_answer_and_log(void **state)
{
    lg_httpd *d = start(0);
    ledger_http_fetcher *f = client(d);
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;
    char *m = NULL;
    size_t len = 0, cap = 0;

    (void)state;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ledger_http_request(&st, &b, f, "POST", "later/x", NULL, NULL, 0, 1024),
                         0);
        assert_int_equal(st.status, 202);
        assert_int_equal(st.retry_after_s, 7);
        assert_int_equal(b.len, 6);
        assert_memory_equal(b.data, "later\n", 6);
        ledger_buf_dispose(&b);
    }
    ledger_http_fetcher_free(f);
    /* A request is counted when the server has finished with it, which can
     * be just after the client read its answer: look again (bounded). */
    for (int tries = 0; tries < 200; tries++) {
        lg_free(m);
        m = NULL;
        len = cap = 0;
        assert_int_equal(lg_httpd_metrics(&m, &len, &cap, d, "t"), 0);
        if (strstr(m, "t_http_requests_total{route=\"later\",code=\"202\"} 3\n") != NULL)
            break;
        nanosleep(&(struct timespec){0, 25000000L}, NULL);
    }
    assert_non_null(strstr(m, "t_http_requests_total{route=\"later\",code=\"202\"} 3\n"));
    lg_free(m);
    lg_httpd_stop(d, 1000);
    pthread_mutex_lock(&fx.lock);
    /* ADDR METHOD PATH STATUS BYTES MS ROUTE */
    assert_true(strncmp(fx.last_log, "127.0.0.1 POST /later/x 202 6 ", 30) == 0);
    assert_non_null(strstr(fx.last_log, " later"));
    pthread_mutex_unlock(&fx.lock);
}

static void
httpd_answer_built_by_the_pool_thread(void **state)
{
    lg_httpd *d = start(0);
    ledger_http_fetcher *f = client(d);
    ledger_http_status st;
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    built = built_on_pool = released = 0;
    for (int i = 0; i < 4; i++) {
        const char *path = i % 2 ? "build/now" : "build/later";
        const char *want = i % 2 ? "built now\n" : "built\n";

        assert_int_equal(ledger_http_request(&st, &b, f, "POST", path, NULL, NULL, 0, 1024), 0);
        assert_int_equal(st.status, 203);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.data, want, b.len);
        ledger_buf_dispose(&b);
    }
    ledger_http_fetcher_free(f);
    lg_httpd_stop(d, 1000);
    pthread_mutex_lock(&built_lock);
    assert_int_equal(built, 4);         /* once per request */
    assert_int_equal(built_on_pool, 4); /* by a pool thread, not the completer */
    assert_int_equal(released, 0);      /* every request was answered */
    pthread_mutex_unlock(&built_lock);
}

static void
httpd_bad_listen_address(void **state)
{
    lg_httpd_options o;
    lg_httpd *d = NULL, *d2 = NULL;

    (void)state;
    memset(&o, 0, sizeof o);
    o.host = "127.0.0.1";
    assert_int_equal(lg_httpd_start(&d, &o), 0);
    o.port = lg_httpd_port(d);
    assert_int_equal(lg_httpd_start(&d2, &o), LEDGER_EIO); /* port in use */
    lg_httpd_stop(d, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(httpd_routes_get_post_and_errors),
        cmocka_unit_test(httpd_deferred_answer_and_log),
        cmocka_unit_test(httpd_answer_built_by_the_pool_thread),
        cmocka_unit_test(httpd_bad_listen_address),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
