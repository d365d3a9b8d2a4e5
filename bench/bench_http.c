/*
 * bench_http.c - figures of `attrledger serve` (issue 12), one per line
 * ("name value unit"), public API only:
 *   http_baseline_submit_batch_1000  records/s, in-process batches of 1,000
 *                                    (median of BATCH_RUNS)
 *   http_submit_C_clients            records/s with C clients (1, 16, 64):
 *                                    C keep-alive connections, each with one
 *                                    POST of one record in flight, from a
 *                                    minimal event-loop client (raw_submits)
 *   http_submit_C_p50 / _p99         request latency in ms
 *   http_submit_64_vs_batch          64-client rate / batch rate, %
 *   http_submit_64_clients_libcurl   the 64-client rate with the library's
 *                                    libcurl client (and its _p99, _cpu)
 *   http_tile_reads                  GET of a full tile with keep-alive, req/s,
 *                                    from a minimal client (see raw_reads)
 *   http_tile_reads_libcurl          the same with the library's libcurl client
 *   http_submit_C_group              mean requests per group commit
 *   *_cpu                            CPU time of the whole process (server and
 *                                    clients) per record or request, in us:
 *                                    what other jobs' load changes least
 * Records are signed in advance (signing is the client's cost). The server
 * runs in this process on 127.0.0.1 with a free port.
 *
 * usage: attrledger_bench_http [--requests N] [--only submit|tiles] [--clients C]
 *   N requests per client count (default 10,000: a steady state, not the
 *   ramp of the first connections); --only runs one part (the baseline
 *   batch always runs: the tiles part reads the tile it filled); --clients
 *   runs the submit part with C minimal clients only (for profiling).
 */
#include <arpa/inet.h>
#include <attrledger/attrledger.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ORIGIN "bench.example/http"
#define MAX_CLIENTS 64
#define TILE_READERS 4
#define LOOP_THREADS 2 /* threads of the minimal submitting client */
#define BATCH_RUNS 5   /* baseline batches; the median is reported */

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of every thread of this process (server and clients). */
static double
cpu_s(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void
die(const char *what)
{
    fprintf(stderr, "bench_http: %s: %s\n", what, ledger_error_last()->message);
    exit(1);
}

static ledger_key *logk, *admin, *member;
static uint64_t seq;

static ledger_envelope *
record(void)
{
    char json[1024];
    ledger_envelope *env = NULL;
    int n = snprintf(json, sizeof json,
                     "{\"header\": {\"record_id\": \"inc:http-%" PRIu64 "\", \"author\": \"p:m\","
                     " \"created\": \"2017-05-12T00:00:00Z\", \"provenance\": "
                     "\"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
                     " \"incident_report\": {\"incident_key\": \"inc:http-%" PRIu64 "\","
                     " \"name\": \"Incident %" PRIu64 "\", \"determination\": "
                     "\"DETERMINATION_CONFIRMED\", \"incident_types\": [\"ransomware\"]}}",
                     seq, seq, seq);

    seq++;
    if (ledger_envelope_parse(&env, json, (size_t)n) < 0 || ledger_envelope_sign(env, member) < 0)
        die("record");
    return env;
}

typedef struct {
    unsigned port;
    char **bodies;
    size_t n;
    double *lat;
    int tiles; /* read mode: GET a tile until `until` (2: minimal client) */
    double until;
    uint64_t reads;
    int raw;        /* submit from the minimal client */
    unsigned conns; /* ... over this many connections */
} worker;

/*
 * The clients share the server's two cores, so the client's own cost
 * per request caps the figure: libcurl's easy interface spends about as
 * much CPU per small GET as the server does. A load generator (wrk, h2load)
 * is a loop of send(), recv() and a Content-Length over many keep-alive
 * connections; this is that loop. A server that closed a connection would
 * end the run with an error, so every request of the figure reused one.
 */
static char *
header(char *head, const char *end, const char *name)
{
    size_t n = strlen(name);

    for (char *p = head; p + n <= end; p++)
        if (strncasecmp(p, name, n) == 0)
            return p;
    return NULL;
}

static int
raw_connect(unsigned port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        die("minimal client: connect");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Whether buf (have bytes, NUL-terminated) holds a whole answer: 0 not
 * yet, else its length; *body_at is where its body starts. The answer
 * must be a 200 with a Content-Length. */
static size_t
answer_length(char *buf, size_t have, size_t *body_at)
{
    char *end = strstr(buf, "\r\n\r\n"), *cl;
    size_t want;

    if (end == NULL)
        return 0;
    if (strncmp(buf, "HTTP/1.1 200 ", 13) != 0 ||
        (cl = header(buf, end, "\r\nContent-Length:")) == NULL) {
        fprintf(stderr, "bench_http: bad answer: %.60s\n", buf);
        exit(1);
    }
    *body_at = (size_t)(end + 4 - buf);
    want = *body_at + strtoul(cl + 17, NULL, 10);
    if (have > want) {
        fprintf(stderr, "bench_http: answer of %zu bytes, want %zu\n", have, want);
        exit(1);
    }
    return have == want ? want : 0;
}

/* Receive on fd into buf (have bytes so far); exits if the server closed
 * the connection. Returns the new length, or have when nothing was ready. */
static size_t
receive(int fd, char *buf, size_t cap, size_t have)
{
    ssize_t got = recv(fd, buf + have, cap - 1 - have, 0);

    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        fprintf(stderr, "bench_http: the server closed a keep-alive connection\n");
        exit(1);
    }
    have += got > 0 ? (size_t)got : 0;
    buf[have] = '\0';
    return have;
}

/* Send one request on the blocking keep-alive connection fd and read its
 * whole answer into buf. Returns the length of the body. */
static size_t
raw_exchange(int fd, const char *req, size_t len, char *buf, size_t cap)
{
    size_t have = 0, sent = 0, want = 0, body_at = 0;

    while (sent < len) {
        ssize_t n = send(fd, req + sent, len - sent, 0);
        if (n <= 0)
            die("minimal client: send");
        sent += (size_t)n;
    }
    while (want == 0) {
        have = receive(fd, buf, cap, have);
        want = answer_length(buf, have, &body_at);
    }
    return want - body_at;
}

static void
raw_reads(worker *w)
{
    static const char get[] = "GET /tile/0/000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    char buf[65536];
    int fd = raw_connect(w->port);

    while (now_s() < w->until) {
        if (raw_exchange(fd, get, sizeof get - 1, buf, sizeof buf) != 256 * 32) {
            fprintf(stderr, "bench_http: a full tile is 8192 bytes\n");
            exit(1);
        }
        w->reads++;
    }
    close(fd);
}

/* One connection of the minimal submitting client. */
typedef struct {
    int fd;
    size_t at; /* index of the request in flight */
    char *req; /* its bytes */
    size_t len, sent;
    double t0;   /* when it was sent */
    size_t have; /* answer bytes so far */
    char buf[16384];
} client_conn;

/* Start request `at` on c: format it and send what the socket takes. */
static void
conn_start(client_conn *c, const worker *w, size_t at)
{
    size_t blen = strlen(w->bodies[at]);
    int hl;

    free(c->req);
    if ((c->req = malloc(blen + 200)) == NULL)
        die("minimal client: out of memory");
    hl = snprintf(c->req, 200,
                  "POST /add-records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                  blen);
    memcpy(c->req + hl, w->bodies[at], blen);
    c->len = (size_t)hl + blen;
    c->at = at;
    c->sent = c->have = 0;
    c->t0 = now_s();
}

/* Send what is left of c's request; 1 once it is all sent. */
static int
conn_send(client_conn *c)
{
    while (c->sent < c->len) {
        ssize_t n = send(c->fd, c->req + c->sent, c->len - c->sent, MSG_NOSIGNAL);

        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n <= 0)
            die("minimal client: send");
        c->sent += (size_t)n;
    }
    return 1;
}

static void
watch(int ep, int op, client_conn *c, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};

    if (epoll_ctl(ep, op, c->fd, &ev) != 0)
        die("minimal client: epoll_ctl");
}

/*
 * POST /add-records, one record a request, from w->conns keep-alive
 * connections served by this one thread (as wrk does): each connection has
 * one request in flight and sends the next unsent record when its answer,
 * which must name a receipt, is whole. w->lat[i] is request i's latency.
 */
static void
raw_submits(worker *w)
{
    client_conn *cs = calloc(w->conns, sizeof *cs);
    size_t next = 0, done = 0;
    int ep = epoll_create1(0);

    if (cs == NULL || ep < 0)
        die("minimal client: setup");
    for (unsigned i = 0; i < w->conns && next < w->n; i++) {
        cs[i].fd = raw_connect(w->port);
        fcntl(cs[i].fd, F_SETFL, fcntl(cs[i].fd, F_GETFL) | O_NONBLOCK);
        conn_start(&cs[i], w, next++);
        watch(ep, EPOLL_CTL_ADD, &cs[i], conn_send(&cs[i]) ? EPOLLIN : EPOLLOUT);
    }
    while (done < w->n) {
        struct epoll_event ev[MAX_CLIENTS];
        int k = epoll_wait(ep, ev, MAX_CLIENTS, 10000);

        if (k <= 0)
            die("minimal client: no answer for 10 s");
        for (int e = 0; e < k; e++) {
            client_conn *c = ev[e].data.ptr;
            size_t body_at;

            if (c->sent < c->len) {
                if (conn_send(c))
                    watch(ep, EPOLL_CTL_MOD, c, EPOLLIN);
                continue;
            }
            c->have = receive(c->fd, c->buf, sizeof c->buf, c->have);
            if (answer_length(c->buf, c->have, &body_at) == 0)
                continue;
            if (strstr(c->buf + body_at, "\"receipts\"") == NULL) {
                fprintf(stderr, "bench_http: an answer without receipts\n");
                exit(1);
            }
            w->lat[c->at] = (now_s() - c->t0) * 1000.0;
            done++;
            if (next < w->n) {
                conn_start(c, w, next++);
                if (!conn_send(c))
                    watch(ep, EPOLL_CTL_MOD, c, EPOLLOUT);
            }
        }
    }
    for (unsigned i = 0; i < w->conns; i++) {
        if (cs[i].fd > 0)
            close(cs[i].fd);
        free(cs[i].req);
    }
    free(cs);
    close(ep);
}

static void *
run(void *arg)
{
    worker *w = arg;
    ledger_http_fetcher *f = NULL;
    char url[64];

    if (w->tiles == 2) {
        raw_reads(w);
        return NULL;
    }
    if (w->raw) {
        raw_submits(w);
        return NULL;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%u", w->port);
    if (ledger_http_fetcher_new(&f, url, NULL) < 0)
        die("fetcher");
    if (w->tiles) {
        while (now_s() < w->until) {
            ledger_buf b = LEDGER_BUF_INIT;

            if (ledger_http_fetch(f, "tile/0/000", 1 << 20, &b) < 0)
                die("tile");
            ledger_buf_dispose(&b);
            w->reads++;
        }
    }
    for (size_t i = 0; !w->tiles && i < w->n; i++) {
        ledger_http_status st;
        ledger_buf b = LEDGER_BUF_INIT;
        double t0 = now_s();

        if (ledger_http_request(&st, &b, f, "POST", "add-records", "application/json",
                                (const uint8_t *)w->bodies[i], strlen(w->bodies[i]), 1 << 20) < 0 ||
            st.status != 200)
            die("POST /add-records");
        w->lat[i] = (now_s() - t0) * 1000.0;
        ledger_buf_dispose(&b);
    }
    ledger_http_fetcher_free(f);
    return NULL;
}

/* Groups committed and requests in them so far, from /metrics. */
static void
group_totals(unsigned port, double *groups, double *requests)
{
    ledger_http_fetcher *f = NULL;
    ledger_buf b = LEDGER_BUF_INIT;
    char url[64];
    const char *g, *r;

    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    if (ledger_http_fetcher_new(&f, url, NULL) < 0 ||
        ledger_http_fetch(f, "metrics", 1 << 22, &b) < 0)
        die("metrics");
    g = strstr((const char *)b.data, "\nattrledger_groups_total ");
    r = strstr((const char *)b.data, "\nattrledger_group_requests_sum ");
    if (g == NULL || r == NULL)
        die("metrics: no group counters");
    *groups = strtod(g + strlen("\nattrledger_groups_total "), NULL);
    *requests = strtod(r + strlen("\nattrledger_group_requests_sum "), NULL);
    ledger_buf_dispose(&b);
    ledger_http_fetcher_free(f);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    char dir[512], tmpl[] = "/tmp/attrledger-bench-http-XXXXXX";
    size_t per_run = 10000;
    uint8_t seed[32];
    ledger_vkey avk;
    ledger_init_options io = LEDGER_INIT_OPTIONS_INIT;
    ledger_log *log = NULL;
    ledger_server *srv = NULL;
    ledger_server_options so = LEDGER_SERVER_OPTIONS_INIT;
    ledger_receipt *r;
    ledger_envelope *envs[1000];
    double t0, c0, batch_rate, batch_cpu, rate64 = 0, rates[BATCH_RUNS], cpus[BATCH_RUNS];
    /* Client counts; the last run repeats 64 clients with libcurl. */
    unsigned counts[] = {1, 16, 64, 64};
    size_t n_counts = sizeof counts / sizeof counts[0];
    const char *only = "";

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--requests") == 0 && i + 1 < argc)
            per_run = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc) {
            counts[0] = (unsigned)strtoul(argv[++i], NULL, 10);
            n_counts = 1;
            if (counts[0] == 0 || counts[0] > MAX_CLIENTS) {
                fprintf(stderr, "bench_http: --clients wants 1 to %d\n", MAX_CLIENTS);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: attrledger_bench_http [--requests N] [--only submit|tiles]"
                            " [--clients C]\n");
            return 2;
        }
    if (ledger_init() < 0)
        die("init");
    if (mkdtemp(tmpl) == NULL)
        return 1;
    snprintf(dir, sizeof dir, "%s/ledger", tmpl);
    memset(seed, 1, 32);
    if (ledger_key_from_seed(&logk, ORIGIN, seed) < 0)
        die("key");
    memset(seed, 2, 32);
    if (ledger_key_from_seed(&admin, "p:admin", seed) < 0)
        die("key");
    memset(seed, 3, 32);
    if (ledger_key_from_seed(&member, "p:m", seed) < 0)
        die("key");
    ledger_key_vkey(&avk, admin, LEDGER_SIGTYPE_ED25519);
    io.origin = ORIGIN;
    io.log_key = logk;
    io.admins = &avk;
    io.n_admins = 1;
    if (mkdir(dir, 0700) != 0 || ledger_log_create(&log, dir, &io) < 0)
        die("create");
    {
        char json[1024], b64[64];
        uint8_t pk[32];
        ledger_envelope *env = NULL;
        ledger_receipt rr;

        ledger_key_public(pk, member);
        ledger_b64_encode(b64, pk, 32);
        snprintf(
            json, sizeof json,
            "{\"header\": {\"record_id\": \"reg:p:m\", \"author\": \"p:admin\","
            " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
            " \"participant\": {\"participant_id\": \"p:m\","
            " \"roles\": [\"PARTICIPANT_ROLE_MEMBER\"],"
            " \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
            b64);
        if (ledger_envelope_parse(&env, json, strlen(json)) < 0 ||
            ledger_envelope_sign(env, admin) < 0 || ledger_envelope_sign(env, member) < 0 ||
            ledger_log_submit(&rr, log, &env, 1) < 0)
            die("register");
        ledger_receipts_dispose(&rr, 1);
        ledger_envelope_free(env);
    }

    /* baseline: in-process batches of 1,000, the median of BATCH_RUNS
     * (one batch takes about 40 ms: a single one is at the mercy of
     * whatever else the machine does in those 40 ms) */
    r = calloc(1000, sizeof *r);
    for (int run = 0; run < BATCH_RUNS; run++) {
        for (int k = 0; k < 1000; k++)
            envs[k] = record();
        t0 = now_s();
        c0 = cpu_s();
        if (ledger_log_submit(r, log, envs, 1000) < 0)
            die("submit");
        rates[run] = 1000.0 / (now_s() - t0);
        cpus[run] = (cpu_s() - c0) * 1e6 / 1000.0;
        ledger_receipts_dispose(r, 1000);
        for (int k = 0; k < 1000; k++)
            ledger_envelope_free(envs[k]);
    }
    qsort(rates, BATCH_RUNS, sizeof rates[0], cmp_double);
    qsort(cpus, BATCH_RUNS, sizeof cpus[0], cmp_double);
    batch_rate = rates[BATCH_RUNS / 2];
    batch_cpu = cpus[BATCH_RUNS / 2];
    printf("http_baseline_submit_batch_1000 %.0f records/s\n", batch_rate);
    printf("http_baseline_submit_batch_1000_cpu %.1f us\n", batch_cpu);

    so.log_key = logk;
    if (ledger_server_start(&srv, log, &so) < 0)
        die("serve");
    for (size_t ci = 0; strcmp(only, "tiles") != 0 && ci < n_counts; ci++) {
        unsigned c = counts[ci];
        int curl = n_counts > 1 && ci == n_counts - 1;
        const char *tag = curl ? "_libcurl" : "";
        /* libcurl: a thread per client; the minimal client: LOOP_THREADS
         * threads, each with its share of the c connections. */
        unsigned nt = curl ? c : (c < LOOP_THREADS ? c : LOOP_THREADS);
        size_t per = per_run / nt ? per_run / nt : 1, total = per * nt;
        worker w[MAX_CLIENTS];
        pthread_t t[MAX_CLIENTS];
        double *all = calloc(total, sizeof *all), el, g0, r0, g1, r1;

        for (unsigned i = 0; i < nt; i++) {
            w[i] = (worker){.port = ledger_server_port(srv),
                            .bodies = calloc(per, sizeof(char *)),
                            .n = per,
                            .lat = all + i * per,
                            .raw = !curl,
                            .conns = c / nt + (i < c % nt)};
            for (size_t k = 0; k < per; k++) {
                ledger_envelope *e = record();
                ledger_buf j = LEDGER_BUF_INIT;

                if (ledger_envelope_to_json(&j, e, 0) < 0)
                    die("json");
                w[i].bodies[k] = strdup((const char *)j.data);
                ledger_buf_dispose(&j);
                ledger_envelope_free(e);
            }
        }
        group_totals(ledger_server_port(srv), &g0, &r0);
        t0 = now_s();
        c0 = cpu_s();
        for (unsigned i = 0; i < nt; i++)
            pthread_create(&t[i], NULL, run, &w[i]);
        for (unsigned i = 0; i < nt; i++)
            pthread_join(t[i], NULL);
        el = now_s() - t0;
        printf("http_submit_%u_cpu%s %.1f us\n", c, tag, (cpu_s() - c0) * 1e6 / (double)total);
        group_totals(ledger_server_port(srv), &g1, &r1);
        printf("http_submit_%u_group%s %.1f requests\n", c, tag,
               g1 > g0 ? (r1 - r0) / (g1 - g0) : 0.0);
        qsort(all, total, sizeof *all, cmp_double);
        printf("http_submit_%u_clients%s %.0f records/s\n", c, tag, (double)total / el);
        printf("http_submit_%u_p50%s %.1f ms\n", c, tag, all[total / 2]);
        printf("http_submit_%u_p99%s %.1f ms\n", c, tag, all[(total * 99) / 100]);
        if (c == 64 && !curl)
            rate64 = (double)total / el;
        for (unsigned i = 0; i < nt; i++) {
            for (size_t k = 0; k < per; k++)
                free(w[i].bodies[k]);
            free(w[i].bodies);
        }
        free(all);
        fflush(stdout);
    }
    if (rate64 > 0)
        printf("http_submit_64_vs_batch %.0f %%\n", 100.0 * rate64 / batch_rate);
    for (int mode = 2; strcmp(only, "submit") != 0 && mode >= 1; mode--) {
        worker w[TILE_READERS];
        pthread_t t[TILE_READERS];
        uint64_t reads = 0;

        t0 = now_s();
        c0 = cpu_s();
        for (int i = 0; i < TILE_READERS; i++) {
            w[i] = (worker){.port = ledger_server_port(srv), .tiles = mode, .until = t0 + 3.0};
            pthread_create(&t[i], NULL, run, &w[i]);
        }
        for (int i = 0; i < TILE_READERS; i++) {
            pthread_join(t[i], NULL);
            reads += w[i].reads;
        }
        printf("http_tile_reads%s %.0f req/s\n", mode == 2 ? "" : "_libcurl",
               (double)reads / (now_s() - t0));
        printf("http_tile_reads%s_cpu %.1f us\n", mode == 2 ? "" : "_libcurl",
               (cpu_s() - c0) * 1e6 / (double)reads);
        fflush(stdout);
    }
    ledger_server_stop(srv, 1000);
    ledger_log_free(log);
    free(r);
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_http: could not remove %s\n", tmpl);
    }
    return 0;
}
