/*
 * httpd.h (internal) - a small HTTP server layer over libmicrohttpd, shared
 * by every server the library runs (`serve`, the witness, mirrors).
 *
 * libmicrohttpd does all of HTTP/1.1: request parsing, keep-alive,
 * chunked bodies, HEAD (headers only), limits on header size (a request
 * whose headers do not fit LG_HTTPD_HEADER_MEMORY gets 431 or 413 from
 * libmicrohttpd itself). This layer adds what every one of our servers
 * needs on top, in one place:
 *   - listening on HOST:PORT (IPv4 or IPv6 literal or name); port 0 binds a
 *     free port, which lg_httpd_port() reports (tests use it);
 *   - libmicrohttpd's internal thread pool with poll, a connection limit,
 *     an idle timeout per connection, and a request deadline: a connection
 *     that has not completed a request within `request_timeout_s` of its
 *     start or of its last answer is cut off (a client sending a byte a
 *     second never holds a thread);
 *   - the request body collected in memory up to `body_max`; a declared
 *     or actual larger body is answered 413 without reading it;
 *   - dispatch on method and path through a route table; a known path
 *     with another method is 405 with Allow, an unknown one 404;
 *   - deferred answers: a handler may park a request (LG_HTTPD_DEFER) and
 *     any thread answers it later with lg_httpd_complete(), without
 *     holding a pool thread meanwhile (libmicrohttpd suspend/resume);
 *   - one log line per request through a callback (the library never
 *     prints), and counters by route and status for /metrics;
 *   - a graceful stop: stop accepting, wait (bounded) for requests in
 *     flight, close.
 *
 * Threading: handlers run on pool threads, concurrently; whatever their
 * payload holds must be thread-safe. lg_httpd_complete() may be called
 * from any thread, once per deferred request.
 */
#ifndef LG_NET_HTTPD_H
#define LG_NET_HTTPD_H

#include <stddef.h>
#include <stdint.h>

#define LG_HTTPD_MAX_HEADERS 8               /* extra response headers */
#define LG_HTTPD_HEADER_VALUE 192            /* longest extra header value, with NUL */
#define LG_HTTPD_HEADER_MEMORY (32u * 1024u) /* request line + headers per connection */
#define LG_HTTPD_MAX_ROUTES 48

typedef struct lg_httpd lg_httpd;

/* A request as the handler sees it; valid during the handler call only
 * (a deferred request keeps `pending` for lg_httpd_complete()). */
typedef struct {
    const char *method;  /* "GET", "HEAD", "POST", ... (HEAD is routed as GET) */
    const char *path;    /* URL path, percent-decoded by libmicrohttpd, no query */
    const uint8_t *body; /* the whole body (NULL when empty); NUL after body_len */
    size_t body_len;
    const char *client; /* numeric peer address, "?" when unknown */
    const char *route;  /* name of the matched route */
    void *conn;         /* internal: the libmicrohttpd connection */
    void *pending;      /* internal: set for lg_httpd_defer() */
} lg_http_request;

/* A response. The handler fills it; the layer sends and releases it. */
typedef struct {
    unsigned status;          /* e.g. 200; 0 = 500 */
    const char *content_type; /* static string; NULL = none */
    uint8_t *body;            /* lg_malloc'd, owned by the response; or NULL */
    size_t len;
    const char *static_body; /* used instead of body when body is NULL (not freed) */
    size_t n_headers;
    struct {
        const char *name; /* static string */
        char value[LG_HTTPD_HEADER_VALUE];
    } headers[LG_HTTPD_MAX_HEADERS];
} lg_http_response;

/* What a handler returns. */
#define LG_HTTPD_DONE 0  /* resp is filled: send it */
#define LG_HTTPD_DEFER 1 /* the request was parked with lg_httpd_defer() */

/* Handler of one route. `resp` is zeroed. The handler must not fail: any
 * error is an HTTP status in resp. */
typedef int (*lg_httpd_handler)(void *payload, lg_http_response *resp, lg_http_request *req);

/* A route: exact path, or every path starting with `path` when prefix is 1. */
typedef struct {
    const char *method; /* "GET" (also serves HEAD) or "POST" */
    const char *path;
    int prefix;
    const char *name; /* for logs and metrics, e.g. "tile" */
    lg_httpd_handler fn;
} lg_httpd_route;

/* One line per request, NUL-terminated, no newline (see lg_httpd_options). */
typedef void (*lg_httpd_log_fn)(void *payload, const char *line);

typedef struct {
    const char *host;             /* "127.0.0.1", "::", "localhost"; NULL = "127.0.0.1" */
    unsigned port;                /* 0 = any free port */
    unsigned threads;             /* pool threads; 0 = 4 */
    unsigned max_connections;     /* 0 = 1024 */
    unsigned idle_timeout_s;      /* close a connection idle this long; 0 = 30 */
    unsigned request_timeout_s;   /* cut a connection with no answer for this long; 0 = 60 */
    size_t body_max;              /* largest request body; 0 = 1 MiB */
    const lg_httpd_route *routes; /* table, copied; at most LG_HTTPD_MAX_ROUTES */
    size_t n_routes;
    void *payload; /* passed to every handler */
    /* Called with one line per answered request:
     * ADDR METHOD PATH STATUS BYTES MILLISECONDS ROUTE
     * (PATH percent-decoded, control bytes and spaces as '?'), and with
     * libmicrohttpd's own error messages prefixed "httpd: ". NULL = none. */
    lg_httpd_log_fn log;
    void *log_payload;
} lg_httpd_options;

/*
 * Bind, listen and start serving.
 *
 * @return 0, LEDGER_EINVAL (bad options, unknown host), LEDGER_EIO (cannot
 *         bind or start: the message names HOST:PORT and the cause),
 *         LEDGER_ENOMEM.
 */
int lg_httpd_start(lg_httpd **out, const lg_httpd_options *opts);

/* The bound port (useful after port 0). */
unsigned lg_httpd_port(const lg_httpd *d);

/*
 * Stop: no new connections are accepted, requests in flight (including
 * deferred ones) get up to `drain_ms` to be answered, then everything is
 * closed and freed. Accepts NULL. Deferred requests not completed by then
 * are dropped (their connection is closed); lg_httpd_complete() on them
 * after this returns is a programmer error.
 */
void lg_httpd_stop(lg_httpd *d, unsigned drain_ms);

/*
 * Park the current request (call from its handler, then return
 * LG_HTTPD_DEFER). Returns the token to pass to lg_httpd_complete(), or
 * NULL if parking is impossible (out of memory: answer now instead).
 */
void *lg_httpd_defer(lg_http_request *req);

/*
 * Answer a parked request from any thread; takes ownership of resp->body.
 */
void lg_httpd_complete(void *token, lg_http_response *resp);

/*
 * Builds a parked request's answer: fn(arg, resp) fills resp (zeroed) and
 * releases arg. fn(arg, NULL) only releases arg: the request ended
 * unanswered (the client left, the server stopped).
 */
typedef void (*lg_httpd_answer_fn)(void *arg, lg_http_response *resp);

/*
 * Answer a parked request from any thread, like lg_httpd_complete(), but
 * have the pool thread that sends the answer build it: a sequencer that
 * completes a group of requests hands each its result and moves on,
 * and the pool threads format the answers in parallel. fn runs exactly once.
 */
void lg_httpd_complete_later(void *token, lg_httpd_answer_fn fn, void *arg);

/* Value of a query argument or request header of the current request; NULL if absent. */
const char *lg_http_query(const lg_http_request *req, const char *name);
const char *lg_http_header(const lg_http_request *req, const char *name);

/* Response helpers. Both return LG_HTTPD_DONE. */
int lg_http_reply(lg_http_response *resp, unsigned status, const char *content_type,
                  const char *static_body);
/* Takes ownership of body (lg_malloc'd) even on failure. */
int lg_http_reply_owned(lg_http_response *resp, unsigned status, const char *content_type,
                        uint8_t *body, size_t len);
/* Add a header (name static, value copied and cut to LG_HTTPD_HEADER_VALUE-1
 * bytes). Silently ignored past LG_HTTPD_MAX_HEADERS. */
void lg_http_add_header(lg_http_response *resp, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Counters kept by the layer, for /metrics. */
typedef struct {
    uint64_t open_connections;
    uint64_t connections_total;
    uint64_t requests_total;
} lg_httpd_stats;
void lg_httpd_get_stats(lg_httpd_stats *out, lg_httpd *d);

/*
 * Append Prometheus text lines `PREFIX_http_requests_total{route="R",code="C"} N`
 * and the connection gauges to buf (lg_malloc'd, grown as needed).
 * @return 0 or LEDGER_ENOMEM.
 */
int lg_httpd_metrics(char **buf, size_t *len, size_t *cap, lg_httpd *d, const char *prefix);

/* printf-append to a growing lg_malloc'd string (used by metrics and JSON-less text
 * bodies). @return 0 or LEDGER_ENOMEM. */
int lg_strbuf_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
