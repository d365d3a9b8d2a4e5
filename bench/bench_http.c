/*
 * bench_http.c - figures of `attrledger serve` (issue 12), one per line
 * ("name value unit"), public API only:
 *   http_baseline_submit_batch_1000  records/s, in-process batches of 1,000
 *   http_submit_C_clients            records/s with C clients (1, 16, 64),
 *                                    one record per POST, keep-alive
 *   http_submit_C_p50 / _p99         request latency in ms
 *   http_submit_64_vs_batch          64-client rate / batch rate, %
 *   http_tile_reads                  GET of a full tile with keep-alive, req/s
 * Records are signed in advance (signing is the client's cost). The server
 * runs in this process on 127.0.0.1 with a free port.
 *
 * usage: attrledger_bench_http [DIR] [--requests N]   (N per client count, default 2000)
 */
#include <attrledger/attrledger.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ORIGIN "bench.example/http"
#define MAX_CLIENTS 64

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
    int tiles; /* read mode: GET a tile until `until` */
    double until;
    uint64_t reads;
} worker;

static void *
run(void *arg)
{
    worker *w = arg;
    ledger_http_fetcher *f = NULL;
    char url[64];

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
    size_t per_run = 2000;
    uint8_t seed[32];
    ledger_vkey avk;
    ledger_init_options io = LEDGER_INIT_OPTIONS_INIT;
    ledger_log *log = NULL;
    ledger_server *srv = NULL;
    ledger_server_options so = LEDGER_SERVER_OPTIONS_INIT;
    ledger_receipt *r;
    ledger_envelope *envs[1000];
    double t0, batch_rate, rate64 = 0;
    static const unsigned counts[] = {1, 16, 64};

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--requests") == 0 && i + 1 < argc)
            per_run = (size_t)strtoul(argv[++i], NULL, 10);
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

    /* baseline: in-process batches of 1,000 */
    r = calloc(1000, sizeof *r);
    for (int k = 0; k < 1000; k++)
        envs[k] = record();
    t0 = now_s();
    if (ledger_log_submit(r, log, envs, 1000) < 0)
        die("submit");
    batch_rate = 1000.0 / (now_s() - t0);
    ledger_receipts_dispose(r, 1000);
    for (int k = 0; k < 1000; k++)
        ledger_envelope_free(envs[k]);
    printf("http_baseline_submit_batch_1000 %.0f records/s\n", batch_rate);

    so.log_key = logk;
    if (ledger_server_start(&srv, log, &so) < 0)
        die("serve");
    for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
        unsigned c = counts[ci];
        size_t per = per_run / c ? per_run / c : 1, total = per * c;
        worker w[MAX_CLIENTS];
        pthread_t t[MAX_CLIENTS];
        double *all = calloc(total, sizeof *all), el;

        for (unsigned i = 0; i < c; i++) {
            w[i] = (worker){
                ledger_server_port(srv), calloc(per, sizeof(char *)), per, all + i * per, 0, 0, 0};
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
        t0 = now_s();
        for (unsigned i = 0; i < c; i++)
            pthread_create(&t[i], NULL, run, &w[i]);
        for (unsigned i = 0; i < c; i++)
            pthread_join(t[i], NULL);
        el = now_s() - t0;
        qsort(all, total, sizeof *all, cmp_double);
        printf("http_submit_%u_clients %.0f records/s\n", c, (double)total / el);
        printf("http_submit_%u_p50 %.1f ms\n", c, all[total / 2]);
        printf("http_submit_%u_p99 %.1f ms\n", c, all[(total * 99) / 100]);
        if (c == 64)
            rate64 = (double)total / el;
        for (unsigned i = 0; i < c; i++) {
            for (size_t k = 0; k < per; k++)
                free(w[i].bodies[k]);
            free(w[i].bodies);
        }
        free(all);
        fflush(stdout);
    }
    printf("http_submit_64_vs_batch %.0f %%\n", 100.0 * rate64 / batch_rate);
    {
        worker w[4];
        pthread_t t[4];
        uint64_t reads = 0;

        t0 = now_s();
        for (int i = 0; i < 4; i++) {
            w[i] = (worker){ledger_server_port(srv), NULL, 0, NULL, 1, t0 + 3.0, 0};
            pthread_create(&t[i], NULL, run, &w[i]);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
            reads += w[i].reads;
        }
        printf("http_tile_reads %.0f req/s\n", (double)reads / (now_s() - t0));
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
