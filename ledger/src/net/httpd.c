/*
 * httpd.c - the ONLY user of libmicrohttpd: the HTTP server layer every
 * server of the library runs on (httpd.h).
 *
 * libmicrohttpd (MHD) parses HTTP; we never look at raw request bytes.
 * Mode: MHD's internal thread pool, each thread polling its own
 * connections with poll(2), suspend/resume allowed (deferred answers).
 * Not epoll: MHD takes a suspended connection out of its epoll set and
 * puts it back on resume, two epoll_ctl calls for every deferred request
 * (every POST /add-records); poll rebuilds each thread's short list of
 * connections at every wake-up instead, which measured 8% less CPU per
 * submitted record (bench/README.md, issue 12). The connection limit,
 * split over the pool threads, keeps those lists short.
 *
 * Per connection we keep a small record (socket context) for the request
 * deadline; per request a context (MHD's con_cls) holding the body being
 * collected and, for a deferred request, the answer handed over by
 * lg_httpd_complete() or the function that builds it
 * (lg_httpd_complete_later()).
 *
 * Deferral handshake. The handler parks a request and returns; another
 * thread may complete it before or after MHD suspends the connection. The
 * daemon's `lock` orders the two: the access handler suspends only if the
 * answer has not arrived yet, and the completer resumes only if the
 * connection was suspended. After MHD resumes it calls the access handler
 * again, which queues the stored answer.
 *
 * Request deadline. MHD's own timeout only closes connections that send
 * nothing; a client dripping a byte a second would keep its connection
 * forever. A reaper thread wakes every 250 ms and shuts down (shutdown(2),
 * which does not free the descriptor MHD owns) every connection that has
 * neither answered a request nor been parked within request_timeout_s of
 * its start or its last answer. Parked requests are exempt: they wait for
 * the server, not for the client.
 */
#include "net/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "attrledger/error.h"
#include "base/alloc.h"
#include "base/error.h"

#define MAX_COUNTERS 512
#define LOG_LINE_MAX 512

/* One connection, for the reaper. */
typedef struct conn_rec {
    struct conn_rec *prev, *next;
    int fd;
    uint64_t progress_ms; /* start, or last answer */
    int parked;
    int cut;
} conn_rec;

/* One request (MHD's con_cls). */
typedef struct {
    uint64_t start_ms, start_us;
    int route; /* index into routes, -1 = none */
    uint8_t *body;
    size_t len, cap;
    int too_big;
    /* deferral */
    int deferred, parked, completed;
    lg_http_response resp;
    lg_httpd_answer_fn answer; /* builds resp on the sending thread */
    void *answer_arg;
    /* for the log line */
    unsigned status;
    size_t bytes;
    char method[8];
    char path[160];
    lg_httpd *d;
    struct MHD_Connection *conn;
} req_ctx;

typedef struct {
    int route; /* -1 = no route */
    unsigned status;
    uint64_t count;
} counter;

/* Latency of the requests of one route, from the request line to the
 * last byte queued (the log line's MS), as a histogram for /metrics. */
#define LAT_BUCKETS 10
static const unsigned lat_edges_ms[LAT_BUCKETS] = {1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000};
typedef struct {
    uint64_t bucket[LAT_BUCKETS + 1]; /* last: over the largest edge */
    uint64_t count, sum_us, max_us;
} latency;

struct lg_httpd {
    struct MHD_Daemon *mhd;
    int listen_fd;
    unsigned port;
    lg_httpd_options o;
    lg_httpd_route routes[LG_HTTPD_MAX_ROUTES];
    pthread_mutex_t lock; /* deferral handshake, counters, connection list */
    conn_rec *conns;
    uint64_t open_conns, conns_total, requests_total, in_flight;
    counter counters[MAX_COUNTERS];
    size_t n_counters;
    latency lat[LG_HTTPD_MAX_ROUTES + 1]; /* by route; the last: no route */
    pthread_t reaper;
    int reaper_started;
    int stopping;
    int draining;        /* lg_httpd_stop waits for in_flight to reach 0 */
    pthread_cond_t cond; /* the reaper's sleep; the end of a drain */
};

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Under d->lock. */
static void
lat_add(latency *l, uint64_t us)
{
    int i = 0;

    while (i < LAT_BUCKETS && us > (uint64_t)lat_edges_ms[i] * 1000u)
        i++;
    l->bucket[i]++;
    l->count++;
    l->sum_us += us;
    if (us > l->max_us)
        l->max_us = us;
}

int
lg_strbuf_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        size_t room = *cap - *len;

        va_start(ap, fmt);
        n = vsnprintf(*buf != NULL ? *buf + *len : NULL, *buf != NULL ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return lg_error_set(LEDGER_EINVAL, "bad format");
        if (*buf != NULL && (size_t)n < room) {
            *len += (size_t)n;
            return 0;
        }
        size_t ncap = *cap ? *cap * 2 : 1024;
        while (ncap < *len + (size_t)n + 1)
            ncap *= 2;
        char *nb = lg_realloc(*buf, ncap);
        if (nb == NULL)
            return lg_error_nomem();
        *buf = nb;
        *cap = ncap;
    }
}

/* ---- responses ---- */

int
lg_http_reply(lg_http_response *resp, unsigned status, const char *content_type,
              const char *static_body)
{
    lg_free(resp->body);
    resp->body = NULL;
    resp->status = status;
    resp->content_type = content_type;
    resp->static_body = static_body;
    resp->len = static_body != NULL ? strlen(static_body) : 0;
    return LG_HTTPD_DONE;
}

int
lg_http_reply_owned(lg_http_response *resp, unsigned status, const char *content_type,
                    uint8_t *body, size_t len)
{
    lg_free(resp->body);
    resp->status = status;
    resp->content_type = content_type;
    resp->body = body;
    resp->static_body = NULL;
    resp->len = body != NULL ? len : 0;
    return LG_HTTPD_DONE;
}

void
lg_http_add_header(lg_http_response *resp, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (resp->n_headers >= LG_HTTPD_MAX_HEADERS)
        return;
    resp->headers[resp->n_headers].name = name;
    va_start(ap, fmt);
    vsnprintf(resp->headers[resp->n_headers].value, LG_HTTPD_HEADER_VALUE, fmt, ap);
    va_end(ap);
    resp->n_headers++;
}

static void
free_body(void *p)
{
    lg_free(p);
}

/* Queue resp on conn; resp->body passes to MHD (or is freed). */
static enum MHD_Result
send_response(req_ctx *c, struct MHD_Connection *conn, lg_http_response *resp)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    unsigned status = resp->status ? resp->status : 500;

    if (resp->body != NULL) {
        r = MHD_create_response_from_buffer_with_free_callback(resp->len, resp->body, free_body);
        if (r == NULL)
            lg_free(resp->body);
    } else {
        r = MHD_create_response_from_buffer(resp->len, (void *)(uintptr_t)resp->static_body,
                                            MHD_RESPMEM_PERSISTENT);
    }
    resp->body = NULL;
    if (r == NULL)
        return MHD_NO; /* out of memory: MHD closes the connection */
    if (resp->content_type != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    for (size_t i = 0; i < resp->n_headers; i++)
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    c->status = status;
    c->bytes = resp->len;
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- requests ---- */

const char *
lg_http_query(const lg_http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
lg_http_header(const lg_http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* Route of (method, path): index, or -1 with *known_path set if some
 * route has the path with another method. */
static int
find_route(const lg_httpd *d, const char *method, const char *path, int *known_path)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

    *known_path = 0;
    for (size_t i = 0; i < d->o.n_routes; i++) {
        const lg_httpd_route *r = &d->routes[i];
        int match =
            r->prefix ? strncmp(path, r->path, strlen(r->path)) == 0 : strcmp(path, r->path) == 0;

        if (!match)
            continue;
        if (strcmp(r->method, method) == 0 || (get && strcmp(r->method, "GET") == 0))
            return (int)i;
        *known_path = 1;
    }
    return -1;
}

static void
allow_header(lg_http_response *resp, const lg_httpd *d, const char *path)
{
    char allow[64] = "";

    for (size_t i = 0; i < d->o.n_routes; i++) {
        const lg_httpd_route *r = &d->routes[i];
        int match =
            r->prefix ? strncmp(path, r->path, strlen(r->path)) == 0 : strcmp(path, r->path) == 0;

        if (match && strstr(allow, r->method) == NULL) {
            size_t l = strlen(allow);
            snprintf(allow + l, sizeof allow - l, "%s%s%s", l ? ", " : "", r->method,
                     strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
        }
    }
    lg_http_add_header(resp, "Allow", "%s", allow);
}

static void
copy_printable(char *out, size_t cap, const char *s)
{
    size_t i = 0;

    for (; s != NULL && s[i] != '\0' && i + 1 < cap; i++)
        out[i] = (unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ? '?' : s[i];
    out[i] = '\0';
}

static void
client_addr(char *out, size_t cap, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    snprintf(out, cap, "?");
    if (ci == NULL || ci->client_addr == NULL)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  out, (socklen_t)cap);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)cap);
}

static conn_rec *
conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return ci != NULL ? ci->socket_context : NULL;
}

/* The answer of a completed deferred request, into resp (d->lock held;
 * released here): the stored one, or the one c->answer builds now, on
 * this pool thread, outside the lock. */
static void
take_answer(req_ctx *c, lg_http_response *resp)
{
    lg_httpd_answer_fn fn = c->answer;
    void *arg = c->answer_arg;

    *resp = c->resp;
    memset(&c->resp, 0, sizeof c->resp);
    c->answer = NULL;
    pthread_mutex_unlock(&c->d->lock);
    if (fn != NULL) {
        memset(resp, 0, sizeof *resp);
        fn(arg, resp);
    }
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    lg_httpd *d = cls;
    req_ctx *c = *con_cls;
    lg_http_response resp;
    lg_http_request req;
    char addr[INET6_ADDRSTRLEN + 1];
    int known = 0, rc;

    (void)version;
    if (c == NULL) {
        const char *cl;

        if ((c = lg_calloc(1, sizeof *c)) == NULL)
            return MHD_NO;
        c->start_us = now_us();
        c->start_ms = c->start_us / 1000u;
        c->d = d;
        c->conn = conn;
        copy_printable(c->method, sizeof c->method, method);
        copy_printable(c->path, sizeof c->path, url);
        c->route = find_route(d, method, url, &known);
        *con_cls = c;
        pthread_mutex_lock(&d->lock);
        d->in_flight++;
        pthread_mutex_unlock(&d->lock);
        memset(&resp, 0, sizeof resp);
        if (c->route < 0) {
            if (known) {
                lg_http_reply(&resp, 405, "text/plain; charset=utf-8", "method not allowed\n");
                allow_header(&resp, d, url);
            } else {
                lg_http_reply(&resp, 404, "text/plain; charset=utf-8", "not found\n");
            }
            return send_response(c, conn, &resp);
        }
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL && strtoull(cl, NULL, 10) > d->o.body_max) {
            /* Refuse before reading: MHD closes the connection afterwards. */
            lg_http_reply(&resp, 413, "text/plain; charset=utf-8", "request body too large\n");
            return send_response(c, conn, &resp);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        if (c->too_big || n > d->o.body_max - c->len) {
            c->too_big = 1;
            return MHD_YES; /* swallow; answered 413 at the end */
        }
        if (c->len + n + 1 > c->cap) {
            size_t ncap = c->cap ? c->cap : 4096;
            uint8_t *nb;

            while (ncap < c->len + n + 1)
                ncap *= 2;
            if ((nb = lg_realloc(c->body, ncap)) == NULL)
                return MHD_NO;
            c->body = nb;
            c->cap = ncap;
        }
        memcpy(c->body + c->len, upload_data, n);
        c->len += n;
        return MHD_YES;
    }
    if (c->deferred) {
        /* Resumed: the answer is in c->resp, or c->answer builds it. */
        pthread_mutex_lock(&d->lock);
        take_answer(c, &resp);
        return send_response(c, conn, &resp);
    }
    memset(&resp, 0, sizeof resp);
    if (c->too_big) {
        lg_http_reply(&resp, 413, "text/plain; charset=utf-8", "request body too large\n");
        return send_response(c, conn, &resp);
    }
    if (c->body != NULL)
        c->body[c->len] = '\0';
    client_addr(addr, sizeof addr, conn);
    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = url;
    req.body = c->body;
    req.body_len = c->len;
    req.client = addr;
    req.route = d->routes[c->route].name;
    req.conn = conn;
    req.pending = c;
    rc = d->routes[c->route].fn(d->o.payload, &resp, &req);
    if (rc != LG_HTTPD_DEFER)
        return send_response(c, conn, &resp);
    lg_free(resp.body);
    pthread_mutex_lock(&d->lock);
    if (c->completed) {
        take_answer(c, &resp);
        return send_response(c, conn, &resp);
    }
    MHD_suspend_connection(conn);
    c->parked = 1;
    {
        conn_rec *cr = conn_of(conn);
        if (cr != NULL)
            cr->parked = 1;
    }
    pthread_mutex_unlock(&d->lock);
    return MHD_YES;
}

void *
lg_httpd_defer(lg_http_request *req)
{
    req_ctx *c = req->pending;

    if (c == NULL)
        return NULL;
    c->deferred = 1;
    return c;
}

/* Hand a parked request its answer (resp) or the function that builds
 * it (fn), and resume its connection if MHD suspended it. */
static void
complete(req_ctx *c, lg_http_response *resp, lg_httpd_answer_fn fn, void *arg)
{
    lg_httpd *d = c->d;

    pthread_mutex_lock(&d->lock);
    if (resp != NULL) {
        c->resp = *resp;
        memset(resp, 0, sizeof *resp);
    }
    c->answer = fn;
    c->answer_arg = arg;
    c->completed = 1;
    if (c->parked) {
        conn_rec *cr = conn_of(c->conn);
        if (cr != NULL) {
            cr->parked = 0;
            cr->progress_ms = now_ms();
        }
        MHD_resume_connection(c->conn);
    }
    pthread_mutex_unlock(&d->lock);
}

void
lg_httpd_complete(void *token, lg_http_response *resp)
{
    complete(token, resp, NULL, NULL);
}

void
lg_httpd_complete_later(void *token, lg_httpd_answer_fn fn, void *arg)
{
    complete(token, NULL, fn, arg);
}

static void
count(lg_httpd *d, int route, unsigned status)
{
    for (size_t i = 0; i < d->n_counters; i++)
        if (d->counters[i].route == route && d->counters[i].status == status) {
            d->counters[i].count++;
            return;
        }
    if (d->n_counters < MAX_COUNTERS)
        d->counters[d->n_counters++] = (counter){route, status, 1};
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    lg_httpd *d = cls;
    req_ctx *c = *con_cls;
    char line[LOG_LINE_MAX], addr[INET6_ADDRSTRLEN + 1];
    conn_rec *cr;

    if (c == NULL)
        return;
    *con_cls = NULL;
    client_addr(addr, sizeof addr, conn);
    pthread_mutex_lock(&d->lock);
    d->in_flight--;
    d->requests_total++;
    if (c->status == 0)
        c->status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
    count(d, c->route, c->status);
    lat_add(&d->lat[c->route >= 0 ? (size_t)c->route : LG_HTTPD_MAX_ROUTES],
            now_us() - c->start_us);
    if ((cr = conn_of(conn)) != NULL)
        cr->progress_ms = now_ms();
    /* Only a draining stop waits for this: waking the reaper on every
     * request cost a futex call and a context switch per request. */
    if (d->draining && d->in_flight == 0)
        pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    if (d->o.log != NULL) {
        snprintf(line, sizeof line, "%s %s %s %u %zu %llu %s", addr, c->method, c->path, c->status,
                 c->bytes, (unsigned long long)(now_ms() - c->start_ms),
                 c->route >= 0 ? d->routes[c->route].name : "-");
        d->o.log(d->o.log_payload, line);
    }
    if (c->answer != NULL)
        c->answer(c->answer_arg, NULL); /* completed, never sent */
    lg_free(c->resp.body);
    lg_free(c->body);
    lg_free(c);
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode toe)
{
    lg_httpd *d = cls;
    conn_rec *cr = *socket_context;

    pthread_mutex_lock(&d->lock);
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

        d->open_conns++;
        d->conns_total++;
        if ((cr = lg_calloc(1, sizeof *cr)) != NULL) {
            cr->fd = ci != NULL ? ci->connect_fd : -1;
            cr->progress_ms = now_ms();
            cr->next = d->conns;
            if (d->conns != NULL)
                d->conns->prev = cr;
            d->conns = cr;
        }
        *socket_context = cr;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        d->open_conns--;
        if (cr != NULL) {
            if (cr->prev != NULL)
                cr->prev->next = cr->next;
            else
                d->conns = cr->next;
            if (cr->next != NULL)
                cr->next->prev = cr->prev;
            lg_free(cr);
        }
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&d->lock);
}

static void *
reaper(void *arg)
{
    lg_httpd *d = arg;
    uint64_t limit = (uint64_t)d->o.request_timeout_s * 1000u;

    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        struct timespec ts;
        uint64_t now = now_ms();

        for (conn_rec *cr = d->conns; cr != NULL; cr = cr->next)
            if (!cr->parked && !cr->cut && cr->fd >= 0 && now - cr->progress_ms > limit) {
                shutdown(cr->fd, SHUT_RDWR);
                cr->cut = 1;
            }
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->cond, &d->lock, &ts);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    lg_httpd *d = cls;
    char line[LOG_LINE_MAX];
    size_t n;

    if (d->o.log == NULL)
        return;
    memcpy(line, "httpd: ", 7);
    vsnprintf(line + 7, sizeof line - 7, fmt, ap);
    n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    d->o.log(d->o.log_payload, line);
}

static int
listen_on(lg_httpd *d, const char *host, unsigned port)
{
    struct addrinfo hints, *res = NULL, *ai;
    char portstr[16];
    int fd = -1, err = 0, one = 1;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%u", port);
    if ((err = getaddrinfo(host, portstr, &hints, &res)) != 0)
        return lg_error_set(LEDGER_EINVAL, "%s: %s", host, gai_strerror(err));
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return lg_error_set(LEDGER_EIO, "cannot listen on %s:%u: %s", host, port, strerror(err));
    {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;

        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
            d->port = ss.ss_family == AF_INET6
                          ? ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port)
                          : ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
    }
    d->listen_fd = fd;
    return 0;
}

int
lg_httpd_start(lg_httpd **out, const lg_httpd_options *opts)
{
    lg_httpd *d;
    int rc;

    if (out == NULL || opts == NULL || opts->n_routes > LG_HTTPD_MAX_ROUTES ||
        (opts->n_routes > 0 && opts->routes == NULL) || opts->port > 65535)
        return lg_error_set(LEDGER_EINVAL, "httpd: bad options");
    *out = NULL;
    if ((d = lg_calloc(1, sizeof *d)) == NULL)
        return lg_error_nomem();
    d->o = *opts;
    d->listen_fd = -1;
    if (d->o.host == NULL)
        d->o.host = "127.0.0.1";
    if (d->o.threads == 0)
        d->o.threads = 4;
    if (d->o.max_connections == 0)
        d->o.max_connections = 1024;
    if (d->o.idle_timeout_s == 0)
        d->o.idle_timeout_s = 30;
    if (d->o.request_timeout_s == 0)
        d->o.request_timeout_s = 60;
    if (d->o.body_max == 0)
        d->o.body_max = 1024u * 1024u;
    if (opts->n_routes > 0)
        memcpy(d->routes, opts->routes, opts->n_routes * sizeof d->routes[0]);
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->cond, NULL);
    if ((rc = listen_on(d, d->o.host, d->o.port)) < 0)
        goto fail;
    /* The logger first, so MHD never prints on its own (the library does not print). */
    d->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                                  MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
                              0, NULL, NULL, on_request, d, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, d,
                              MHD_OPTION_LISTEN_SOCKET, (MHD_socket)d->listen_fd,
                              MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)d->o.threads,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned int)d->o.max_connections,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)d->o.idle_timeout_s,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)LG_HTTPD_HEADER_MEMORY,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
                              MHD_OPTION_NOTIFY_CONNECTION, on_connection, d, MHD_OPTION_END);
    if (d->mhd == NULL) {
        rc = lg_error_set(LEDGER_EIO, "cannot start the HTTP server on %s:%u", d->o.host, d->port);
        goto fail;
    }
    if (pthread_create(&d->reaper, NULL, reaper, d) != 0) {
        rc = lg_error_set(LEDGER_EIO, "cannot start the HTTP server's reaper thread");
        goto fail;
    }
    d->reaper_started = 1;
    *out = d;
    return 0;
fail:
    lg_httpd_stop(d, 0);
    return rc;
}

unsigned
lg_httpd_port(const lg_httpd *d)
{
    return d != NULL ? d->port : 0;
}

void
lg_httpd_stop(lg_httpd *d, unsigned drain_ms)
{
    if (d == NULL)
        return;
    if (d->mhd != NULL) {
        MHD_socket s = MHD_quiesce_daemon(d->mhd);
        uint64_t until = now_ms() + drain_ms;

        if (s != MHD_INVALID_SOCKET && s >= 0) {
            close(s);
            d->listen_fd = -1;
        }
        /* Let requests in flight (parked ones too) be answered. */
        pthread_mutex_lock(&d->lock);
        d->draining = 1;
        while (d->in_flight > 0 && now_ms() < until) {
            struct timespec ts;

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 20 * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&d->cond, &d->lock, &ts);
        }
        pthread_mutex_unlock(&d->lock);
        MHD_stop_daemon(d->mhd);
    }
    if (d->reaper_started) {
        pthread_mutex_lock(&d->lock);
        d->stopping = 1;
        pthread_cond_broadcast(&d->cond);
        pthread_mutex_unlock(&d->lock);
        pthread_join(d->reaper, NULL);
    }
    if (d->listen_fd >= 0)
        close(d->listen_fd);
    while (d->conns != NULL) {
        conn_rec *n = d->conns->next;
        lg_free(d->conns);
        d->conns = n;
    }
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
    lg_free(d);
}

void
lg_httpd_get_stats(lg_httpd_stats *out, lg_httpd *d)
{
    pthread_mutex_lock(&d->lock);
    out->open_connections = d->open_conns;
    out->connections_total = d->conns_total;
    out->requests_total = d->requests_total;
    pthread_mutex_unlock(&d->lock);
}

/* PREFIX_http_request_milliseconds{route} histogram and
 * PREFIX_http_request_max_milliseconds{route} gauge, for every route that
 * answered at least one request. */
static int
latency_metrics(char **buf, size_t *len, size_t *cap, lg_httpd *d, const char *prefix)
{
    latency *snap;
    int rc = 0;

    if ((snap = lg_malloc(sizeof d->lat)) == NULL)
        return lg_error_nomem();
    pthread_mutex_lock(&d->lock);
    memcpy(snap, d->lat, sizeof d->lat);
    pthread_mutex_unlock(&d->lock);
    rc = lg_strbuf_printf(buf, len, cap,
                          "# HELP %s_http_request_milliseconds Time from the request line to "
                          "the answer queued, by route.\n"
                          "# TYPE %s_http_request_milliseconds histogram\n",
                          prefix, prefix);
    for (size_t r = 0; rc == 0 && r <= LG_HTTPD_MAX_ROUTES; r++) {
        const char *name = r < d->o.n_routes ? d->routes[r].name : "none";
        uint64_t cum = 0;

        if (snap[r].count == 0 || (r >= d->o.n_routes && r != LG_HTTPD_MAX_ROUTES))
            continue;
        for (int i = 0; rc == 0 && i < LAT_BUCKETS; i++) {
            cum += snap[r].bucket[i];
            rc = lg_strbuf_printf(buf, len, cap,
                                  "%s_http_request_milliseconds_bucket{route=\"%s\",le=\"%u\"} "
                                  "%llu\n",
                                  prefix, name, lat_edges_ms[i], (unsigned long long)cum);
        }
        if (rc == 0)
            rc = lg_strbuf_printf(
                buf, len, cap,
                "%s_http_request_milliseconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                "%s_http_request_milliseconds_sum{route=\"%s\"} %.3f\n"
                "%s_http_request_milliseconds_count{route=\"%s\"} %llu\n",
                prefix, name, (unsigned long long)snap[r].count, prefix, name,
                (double)snap[r].sum_us / 1000.0, prefix, name, (unsigned long long)snap[r].count);
    }
    if (rc == 0)
        rc = lg_strbuf_printf(buf, len, cap,
                              "# HELP %s_http_request_max_milliseconds Slowest request, by "
                              "route.\n# TYPE %s_http_request_max_milliseconds gauge\n",
                              prefix, prefix);
    for (size_t r = 0; rc == 0 && r <= LG_HTTPD_MAX_ROUTES; r++) {
        if (snap[r].count == 0 || (r >= d->o.n_routes && r != LG_HTTPD_MAX_ROUTES))
            continue;
        rc = lg_strbuf_printf(
            buf, len, cap, "%s_http_request_max_milliseconds{route=\"%s\"} %.3f\n", prefix,
            r < d->o.n_routes ? d->routes[r].name : "none", (double)snap[r].max_us / 1000.0);
    }
    lg_free(snap);
    return rc;
}

int
lg_httpd_metrics(char **buf, size_t *len, size_t *cap, lg_httpd *d, const char *prefix)
{
    counter snap[MAX_COUNTERS];
    size_t n;
    lg_httpd_stats st;
    int rc;

    pthread_mutex_lock(&d->lock);
    n = d->n_counters;
    memcpy(snap, d->counters, n * sizeof snap[0]);
    pthread_mutex_unlock(&d->lock);
    lg_httpd_get_stats(&st, d);
    if ((rc = lg_strbuf_printf(buf, len, cap,
                               "# HELP %s_http_requests_total HTTP requests answered, by route "
                               "and status.\n# TYPE %s_http_requests_total counter\n",
                               prefix, prefix)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = lg_strbuf_printf(
                 buf, len, cap, "%s_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n", prefix,
                 snap[i].route >= 0 ? d->routes[snap[i].route].name : "none", snap[i].status,
                 (unsigned long long)snap[i].count)) < 0)
            return rc;
    if ((rc = latency_metrics(buf, len, cap, d, prefix)) < 0)
        return rc;
    return lg_strbuf_printf(
        buf, len, cap,
        "# HELP %s_http_open_connections Connections open now.\n"
        "# TYPE %s_http_open_connections gauge\n%s_http_open_connections %llu\n"
        "# HELP %s_http_connections_total Connections accepted.\n"
        "# TYPE %s_http_connections_total counter\n%s_http_connections_total %llu\n",
        prefix, prefix, prefix, (unsigned long long)st.open_connections, prefix, prefix, prefix,
        (unsigned long long)st.connections_total);
}
