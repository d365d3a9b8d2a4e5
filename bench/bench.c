/*
 * bench.c - performance figures of libattrledger (issue 6), one per line:
 *
 *     name value unit
 *
 * Method. First the hardware floor, measured with libsodium and LMDB
 * directly: Ed25519 verifications per second of a ~1 KiB record message on
 * one core and on all cores, SHA-256 of 65-byte nodes and of 1 KiB leaves,
 * LMDB puts of 1 KiB values with MDB_APPEND in durable transactions of
 * 1,000. From those, two derived floors:
 *     floor_append_allcores = 1 / (1/verify_allcores + 1/leaf + 1/node + 1/put)
 *     floor_verify_allcores = 1 / (1/verify_allcores + 1/leaf + 1/node)
 * i.e. one signed entry costs one verification (spread over all cores), one
 * leaf hash, one node hash (a tree of n leaves has n - 1 nodes) and, when
 * appending, one put.
 *
 * Then, for each ledger size (10,000 / 100,000 / 1,000,000 entries), a fresh
 * ledger in a temp directory is filled through the real ledger_log_submit in
 * batches of 1,000 pre-signed claims of ~1 KiB (client-side signing runs on
 * all cores, pipelined with the submits), and at that size:
 *   submit_batch_1000  records/s of submit, batches of 1,000 signed in advance
 *   submit_batch_1     records/s of submit, one record (one durable commit) each
 *   verify_full        entries/s of the whole `attrledger verify` process
 *   peak_rss_verify    ru_maxrss of that process (wait4)
 *   prove_*_lib/_cli   us per proof at random indexes: the library call, and
 *                      the whole `attrledger prove` process
 *   storage            bytes on disk per entry beyond the leaf bytes
 *   bulk_fill          records/s of the fill itself (signing included)
 *   export_csv/_dot    entries/s of the whole `attrledger export --format
 *                      csv` / `dot` process (export_*_rate_kept: the
 *                      largest size's rate in percent of the smallest's)
 *   *_cpu              CPU time (all threads) per record or entry, and
 *   *_work_vs_floor    the floor's work for one entry on one core (verify +
 *                      leaf + node hash) as a percent of it: how much more
 *                      than the floor the code does, whatever the load.
 * floor_allcores_speedup (verify_allcores / verify_1core) says how much the
 * machine's cores actually add.
 * Every figure is the median of --runs runs (verify: --verify-runs). The
 * ratios (submit_batch_vs_floor, verify_full_vs_floor: percent of
 * floor_append_allcores and floor_verify_allcores) are medians of per-run
 * ratios against a short floor measurement taken right before each run, so
 * that a machine whose load changes (other jobs) still compares like with
 * like. Figures at each size are printed as scale_<size>_<name>; the largest
 * size's figures are repeated without the prefix at the end.
 *
 * The page cache is warm (the ledger was just written); the figures are CPU
 * and fsync costs, not cold-disk reads. Progress goes to stderr.
 */
#define _DEFAULT_SOURCE /* wait4 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <sodium.h>

#include "attrledger/attrledger.h"

#ifndef BENCH_CLI_PATH
#define BENCH_CLI_PATH "attrledger"
#endif

#define BATCH 1000   /* records per submit in the bulk path and submit_batch */
#define N_MEMBERS 16 /* claim authors, each with its own key */
#define LEAF_TARGET 1024
#define RING 4 /* pre-signed batches the signers may run ahead */
#define MAX_SIZES 8
#define MAX_RUNS 64
#define MAX_THREADS 64

static const char ORIGIN[] = "bench.example/attribution";

typedef struct {
    uint64_t sizes[MAX_SIZES];
    int n_sizes;
    int runs;
    int verify_runs;
    unsigned threads;
    const char *parent;
    const char *cli;
    int keep;
    int site; /* --site: also time `export --format site` (docs/SITE.md) */
} config;

typedef struct {
    ledger_key *log_key;
    ledger_key *admin;
    ledger_key *member[N_MEMBERS];
    int pad;        /* statement padding that makes a leaf ~LEAF_TARGET bytes */
    char dir[4096]; /* the ledger */
    ledger_log *log;
    ledger_receipt *rcpts;
    uint64_t next_seq; /* next claim number */
} bench;

static char filler[LEAF_TARGET];

/* ---- helpers ---- */

static void
fatal(const char *fmt, ...)
{
    va_list ap;

    fputs("attrledger_bench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void
progress(const char *fmt, ...)
{
    va_list ap;

    fputs("bench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double
median(const double *v, int n)
{
    double s[MAX_RUNS];

    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void
figure(const char *name, double value, const char *unit)
{
    int decimals = (strcmp(unit, "us") == 0 || strcmp(unit, "%") == 0) ? 1
                   : strcmp(unit, "x") == 0                            ? 2
                                                                       : 0;

    printf("%s %.*f %s\n", name, decimals, value, unit);
    fflush(stdout);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng_next(void)
{
    /* xorshift64*: reproducible random indexes. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static void
rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[4400];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Bytes allocated on disk by the regular files of a directory. */
static uint64_t
dir_disk_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    uint64_t total = 0;
    char p[4400];

    if (d == NULL)
        fatal("%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_blocks * 512u;
    }
    closedir(d);
    return total;
}

/*
 * The CLI runs are launched by a small spawner process forked at startup.
 * Linux counts in a child's ru_maxrss the memory it had between fork() and
 * exec(), i.e. a copy of the parent's: forked from this (large) process, the
 * CLI's peak RSS would include ours. The spawner stays small.
 */
typedef struct {
    int status;
    double secs;
    double cpu_secs; /* user + system */
    long maxrss_kib;
} spawn_result;

static int spawn_req = -1, spawn_resp = -1;

static int
read_full(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int
write_full(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void
spawner(int req, int resp)
{
    for (;;) {
        char *argv[16], buf[8192];
        size_t used = 0;
        int argc;
        spawn_result r;
        struct rusage ru;
        double t0;
        pid_t pid;

        if (read_full(req, &argc, sizeof argc) < 0 || argc < 1 || argc > 15)
            _exit(0);
        for (int i = 0; i < argc; i++) {
            size_t len;
            if (read_full(req, &len, sizeof len) < 0 || len >= sizeof buf - used ||
                read_full(req, buf + used, len) < 0)
                _exit(1);
            buf[used + len] = '\0';
            argv[i] = buf + used;
            used += len + 1;
        }
        argv[argc] = NULL;
        t0 = now_s();
        pid = fork();
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            execv(argv[0], argv);
            _exit(127);
        }
        memset(&r, 0, sizeof r);
        if (pid < 0 || wait4(pid, &r.status, 0, &ru) != pid)
            r.status = -1;
        r.secs = now_s() - t0;
        r.maxrss_kib = ru.ru_maxrss;
        r.cpu_secs = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
        if (write_full(resp, &r, sizeof r) < 0)
            _exit(1);
    }
}

static void
start_spawner(void)
{
    int req[2], resp[2];
    pid_t pid;

    if (pipe(req) != 0 || pipe(resp) != 0)
        fatal("pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0)
        fatal("fork: %s", strerror(errno));
    if (pid == 0) {
        close(req[1]);
        close(resp[0]);
        spawner(req[0], resp[1]);
        _exit(0);
    }
    close(req[0]);
    close(resp[1]);
    spawn_req = req[1];
    spawn_resp = resp[0];
}

/* Run the CLI with stdout and stderr discarded; returns seconds, and the
 * child's peak RSS in KiB and CPU seconds. Exits on a non-zero status. */
static double
run_cli(const config *cfg, char *const argv[], long *maxrss_kib, double *cpu_secs)
{
    spawn_result r;
    int argc = 0;

    (void)cfg;
    while (argv[argc] != NULL)
        argc++;
    if (write_full(spawn_req, &argc, sizeof argc) < 0)
        fatal("spawner: %s", strerror(errno));
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (write_full(spawn_req, &len, sizeof len) < 0 || write_full(spawn_req, argv[i], len) < 0)
            fatal("spawner: %s", strerror(errno));
    }
    if (read_full(spawn_resp, &r, sizeof r) < 0)
        fatal("spawner died");
    if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
        fatal("%s %s %s %s ... failed (status %d)", argv[0], argv[1], argv[2], argv[3], r.status);
    if (maxrss_kib != NULL)
        *maxrss_kib = r.maxrss_kib;
    if (cpu_secs != NULL)
        *cpu_secs = r.cpu_secs;
    return r.secs;
}

/* ---- the floor: libsodium and LMDB directly ---- */

typedef struct {
    const uint8_t *msg;
    size_t len;
    const uint8_t *sig;
    const uint8_t *pk;
    double duration;
    double rate; /* out */
} verify_job;

static void *
verify_loop(void *arg)
{
    verify_job *j = arg;
    uint64_t n = 0;
    double t0 = now_s(), t;

    do {
        for (int i = 0; i < 16; i++)
            if (crypto_sign_verify_detached(j->sig, j->msg, j->len, j->pk) != 0)
                fatal("floor: signature does not verify");
        n += 16;
        t = now_s() - t0;
    } while (t < j->duration);
    j->rate = (double)n / t;
    return NULL;
}

static double
floor_verify(unsigned threads, double duration, const uint8_t *msg, size_t len, const uint8_t *sig,
             const uint8_t *pk)
{
    pthread_t tid[MAX_THREADS];
    verify_job jobs[MAX_THREADS];
    double total = 0;

    for (unsigned i = 0; i < threads; i++) {
        jobs[i] = (verify_job){msg, len, sig, pk, duration, 0};
        if (i > 0 && pthread_create(&tid[i], NULL, verify_loop, &jobs[i]) != 0)
            fatal("pthread_create failed");
    }
    verify_loop(&jobs[0]);
    for (unsigned i = 1; i < threads; i++)
        pthread_join(tid[i], NULL);
    for (unsigned i = 0; i < threads; i++)
        total += jobs[i].rate;
    return total;
}

static double
floor_sha256(size_t len, double duration)
{
    uint8_t buf[LEAF_TARGET + 1], out[32];
    uint64_t n = 0;
    double t0 = now_s(), t;

    memset(buf, 0x5a, sizeof buf);
    do {
        for (int i = 0; i < 256; i++) {
            crypto_hash_sha256(out, buf, len);
            buf[1] ^= out[0]; /* keep the loop honest */
        }
        n += 256;
        t = now_s() - t0;
    } while (t < duration);
    return (double)n / t;
}

static double
floor_lmdb(const char *dir, uint64_t *next_key, int txns)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    uint8_t val[LEAF_TARGET], key[8];
    double t0;
    int rc;

    memset(val, 0xa5, sizeof val);
    if ((rc = mdb_env_create(&env)) != 0 || (rc = mdb_env_set_maxdbs(env, 2)) != 0 ||
        (rc = mdb_env_set_mapsize(env, 4ull << 30)) != 0 ||
        (rc = mdb_env_open(env, dir, MDB_NOTLS, 0644)) != 0)
        fatal("floor lmdb: %s", mdb_strerror(rc));
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0 ||
        (rc = mdb_dbi_open(txn, "entries", MDB_CREATE, &dbi)) != 0 ||
        (rc = mdb_txn_commit(txn)) != 0)
        fatal("floor lmdb: %s", mdb_strerror(rc));
    t0 = now_s();
    for (int t = 0; t < txns; t++) {
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
            fatal("floor lmdb: %s", mdb_strerror(rc));
        for (int i = 0; i < BATCH; i++) {
            uint64_t k = (*next_key)++;
            MDB_val mk = {8, key}, mv = {sizeof val, val};
            for (int b = 0; b < 8; b++)
                key[b] = (uint8_t)(k >> (56 - 8 * b));
            val[0] = (uint8_t)k;
            if ((rc = mdb_put(txn, dbi, &mk, &mv, MDB_APPEND)) != 0)
                fatal("floor lmdb: %s", mdb_strerror(rc));
        }
        if ((rc = mdb_txn_commit(txn)) != 0)
            fatal("floor lmdb: %s", mdb_strerror(rc));
    }
    t0 = now_s() - t0;
    mdb_env_close(env);
    return (double)txns * BATCH / t0;
}

typedef struct {
    double verify_1core, verify_allcores, sha_node, sha_leaf, lmdb_put;
    double append_allcores, verify_allcores_entry;
} floors;

/* What one floor measurement needs: a signed message of the record size and
 * a directory for the LMDB environment. */
static struct {
    uint8_t pk[32], sig[64], *msg;
    size_t len;
    char dir[4400];
    uint64_t next_key;
} fl;

static void
derive(floors *f)
{
    f->verify_allcores_entry =
        1.0 / (1.0 / f->verify_allcores + 1.0 / f->sha_leaf + 1.0 / f->sha_node);
    f->append_allcores = 1.0 / (1.0 / f->verify_allcores + 1.0 / f->sha_leaf + 1.0 / f->sha_node +
                                1.0 / f->lmdb_put);
}

/* A short floor measurement (about half a second), taken right before each
 * timed run: the ratios compare a run with the floor under the same load. */
static void
floor_now(const config *cfg, floors *f)
{
    memset(f, 0, sizeof *f);
    f->verify_allcores = floor_verify(cfg->threads, 0.25, fl.msg, fl.len, fl.sig, fl.pk);
    f->sha_node = floor_sha256(65, 0.05);
    f->sha_leaf = floor_sha256(LEAF_TARGET + 1, 0.05);
    f->lmdb_put = floor_lmdb(fl.dir, &fl.next_key, 5);
    derive(f);
}

static void
measure_floor(const config *cfg, floors *f, size_t msg_len)
{
    double v1[MAX_RUNS], vn[MAX_RUNS], sn[MAX_RUNS], sl[MAX_RUNS], lp[MAX_RUNS];
    uint8_t sk[64];

    fl.len = msg_len;
    if ((fl.msg = malloc(msg_len)) == NULL)
        fatal("out of memory");
    randombytes_buf(fl.msg, msg_len);
    crypto_sign_keypair(fl.pk, sk);
    crypto_sign_detached(fl.sig, NULL, fl.msg, msg_len, sk);
    snprintf(fl.dir, sizeof fl.dir, "%s/floor-lmdb", cfg->parent);
    if (mkdir(fl.dir, 0700) != 0)
        fatal("%s: %s", fl.dir, strerror(errno));
    progress("floor: %d runs of each (ed25519 %zu-byte messages, %u threads)", cfg->runs, msg_len,
             cfg->threads);
    for (int r = 0; r < cfg->runs; r++) {
        v1[r] = floor_verify(1, 0.5, fl.msg, fl.len, fl.sig, fl.pk);
        vn[r] = floor_verify(cfg->threads, 0.5, fl.msg, fl.len, fl.sig, fl.pk);
        sn[r] = floor_sha256(65, 0.3);
        sl[r] = floor_sha256(LEAF_TARGET + 1, 0.3);
        lp[r] = floor_lmdb(fl.dir, &fl.next_key, 20);
    }
    f->verify_1core = median(v1, cfg->runs);
    f->verify_allcores = median(vn, cfg->runs);
    f->sha_node = median(sn, cfg->runs);
    f->sha_leaf = median(sl, cfg->runs);
    f->lmdb_put = median(lp, cfg->runs);
    derive(f);
    figure("floor_threads", cfg->threads, "threads");
    figure("floor_ed25519_verify_1core", f->verify_1core, "verify/s");
    figure("floor_ed25519_verify_allcores", f->verify_allcores, "verify/s");
    figure("floor_allcores_speedup", f->verify_allcores / f->verify_1core, "x");
    figure("floor_sha256_node", f->sha_node, "hash/s");
    figure("floor_sha256_leaf", f->sha_leaf, "hash/s");
    figure("floor_lmdb_append", f->lmdb_put, "put/s");
    figure("floor_append_allcores", f->append_allcores, "entries/s");
    figure("floor_verify_allcores", f->verify_allcores_entry, "entries/s");
}

/* ---- records: ~1 KiB attribution claims, signed client-side ---- */

static size_t
claim_json(char *buf, size_t cap, int pad, uint64_t seq)
{
    unsigned m = (unsigned)(seq % N_MEMBERS);
    int n = snprintf(
        buf, cap,
        "{\"header\": {\"record_id\": \"clm:bench-%010" PRIu64 "\", \"author\": \"p:m%02u\","
        " \"created\": \"2017-06-30T12:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\","
        " \"tlp\": \"TLP_CLEAR\"},"
        " \"attribution_claim\": {\"claimant\": \"p:m%02u\", \"attributed_to\": \"act:sandworm\","
        " \"incident_refs\": [\"inc:notpetya-2017\"],"
        " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
        " \"level\": \"ATTRIBUTION_LEVEL_OPERATIONAL\","
        " \"statement\": \"bench claim %010" PRIu64 ": %.*s\","
        " \"confidence\": {\"stix_value\": 85, \"likelihood\": {\"scale\": "
        "\"LIKELIHOOD_SCALE_PHIA\", \"term\": \"highly likely\", \"range_min\": 80,"
        " \"range_max\": 90}}}}",
        seq, m, m, seq, pad, filler);

    if (n < 0 || (size_t)n >= cap)
        fatal("claim JSON does not fit");
    return (size_t)n;
}

static ledger_envelope *
make_claim(const bench *b, uint64_t seq)
{
    char json[4096];
    size_t len = claim_json(json, sizeof json, b->pad, seq);
    ledger_envelope *env = NULL;

    if (ledger_envelope_parse(&env, json, len) < 0 ||
        ledger_envelope_sign(env, b->member[seq % N_MEMBERS]) < 0)
        fatal("claim %" PRIu64 ": %s", seq, ledger_error_last()->message);
    return env;
}

static void
free_envs(ledger_envelope **envs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ledger_envelope_free(envs[i]);
        envs[i] = NULL;
    }
}

/* ---- parallel client-side signing ---- */

typedef struct {
    const bench *b;
    uint64_t first_seq;
    uint64_t n_records;
    size_t n_batches;
    ledger_envelope **slot[RING]; /* ring of batches (pipelined fill) */
    int ready[RING];
    ledger_envelope **all; /* or every batch kept (pre-signing) */
    size_t next, consumed;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} signer_pool;

static size_t
batch_len(const signer_pool *p, size_t i)
{
    uint64_t left = p->n_records - (uint64_t)i * BATCH;

    return left < BATCH ? (size_t)left : BATCH;
}

static void *
signer(void *arg)
{
    signer_pool *p = arg;

    for (;;) {
        ledger_envelope **envs;
        size_t i;

        pthread_mutex_lock(&p->mu);
        i = p->next++;
        if (i >= p->n_batches) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        while (p->all == NULL && i >= p->consumed + RING)
            pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        envs = p->all != NULL ? p->all + i * BATCH : p->slot[i % RING];
        for (size_t k = 0; k < batch_len(p, i); k++)
            envs[k] = make_claim(p->b, p->first_seq + (uint64_t)i * BATCH + k);
        pthread_mutex_lock(&p->mu);
        if (p->all == NULL)
            p->ready[i % RING] = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static void
pool_init(signer_pool *p, const bench *b, uint64_t first_seq, uint64_t n_records, int keep_all)
{
    memset(p, 0, sizeof *p);
    p->b = b;
    p->first_seq = first_seq;
    p->n_records = n_records;
    p->n_batches = (size_t)((n_records + BATCH - 1) / BATCH);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (keep_all) {
        p->all = calloc(p->n_batches * BATCH, sizeof *p->all);
        if (p->all == NULL)
            fatal("out of memory");
    } else {
        for (int i = 0; i < RING; i++)
            if ((p->slot[i] = calloc(BATCH, sizeof *p->slot[i])) == NULL)
                fatal("out of memory");
    }
}

static void
pool_start(signer_pool *p, pthread_t *tid, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (pthread_create(&tid[i], NULL, signer, p) != 0)
            fatal("pthread_create failed");
}

static void
pool_join(signer_pool *p, pthread_t *tid, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        pthread_join(tid[i], NULL);
    for (int i = 0; i < RING; i++)
        free(p->slot[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

static void
submit_or_die(bench *b, ledger_envelope **envs, size_t n)
{
    if (ledger_log_submit(b->rcpts, b->log, envs, n) < 0)
        fatal("submit: %s", ledger_error_last()->message);
    ledger_receipts_dispose(b->rcpts, n);
}

/* The bulk path: sign on all cores while the main thread submits batches of
 * BATCH through ledger_log_submit. Returns records per second. */
static double
fill(const config *cfg, bench *b, uint64_t n_records)
{
    signer_pool p;
    pthread_t tid[MAX_THREADS];
    double t0 = now_s();

    if (n_records == 0)
        return 0;
    pool_init(&p, b, b->next_seq, n_records, 0);
    pool_start(&p, tid, cfg->threads);
    for (size_t i = 0; i < p.n_batches; i++) {
        ledger_envelope **envs = p.slot[i % RING];

        pthread_mutex_lock(&p.mu);
        while (!p.ready[i % RING])
            pthread_cond_wait(&p.cv, &p.mu);
        pthread_mutex_unlock(&p.mu);
        submit_or_die(b, envs, batch_len(&p, i));
        free_envs(envs, batch_len(&p, i));
        pthread_mutex_lock(&p.mu);
        p.ready[i % RING] = 0;
        p.consumed++;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if ((i + 1) % 100 == 0)
            progress("fill: %zu / %zu batches", i + 1, p.n_batches);
    }
    pool_join(&p, tid, cfg->threads);
    b->next_seq += n_records;
    t0 = now_s() - t0;
    progress("fill: %" PRIu64 " records in %.1f s (%.0f records/s, signing included)", n_records,
             t0, (double)n_records / t0);
    return (double)n_records / t0;
}

/* Sign n_records in advance on all cores; returns them in order. */
static ledger_envelope **
presign(const config *cfg, bench *b, uint64_t n_records)
{
    signer_pool p;
    pthread_t tid[MAX_THREADS];
    ledger_envelope **all;

    pool_init(&p, b, b->next_seq, n_records, 1);
    pool_start(&p, tid, cfg->threads);
    pool_join(&p, tid, cfg->threads);
    all = p.all;
    b->next_seq += n_records;
    return all;
}

/* ---- setup ---- */

static char *
registration_json(const char *id, const ledger_key *k)
{
    static char buf[2048];
    uint8_t pk[32];
    char b64[64];

    ledger_key_public(pk, k);
    ledger_b64_encode(b64, pk, 32);
    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"reg:%s\", \"author\": \"p:admin\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
             " \"participant\": {\"participant_id\": \"%s\","
             " \"roles\": [\"PARTICIPANT_ROLE_MEMBER\"],"
             " \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
             id, id, b64);
    return buf;
}

static void
make_keys(bench *b)
{
    uint8_t seed[32];
    char name[32];

    memset(seed, 0x11, 32);
    if (ledger_key_from_seed(&b->log_key, ORIGIN, seed) < 0)
        fatal("%s", ledger_error_last()->message);
    memset(seed, 0x22, 32);
    if (ledger_key_from_seed(&b->admin, "p:admin", seed) < 0)
        fatal("%s", ledger_error_last()->message);
    for (int i = 0; i < N_MEMBERS; i++) {
        memset(seed, 0x40 + i, 32);
        snprintf(name, sizeof name, "p:m%02d", i);
        if (ledger_key_from_seed(&b->member[i], name, seed) < 0)
            fatal("%s", ledger_error_last()->message);
    }
}

/* Pick the statement padding so that a leaf is about LEAF_TARGET bytes, and
 * return the record message length (what each signature covers). */
static size_t
calibrate(bench *b)
{
    ledger_envelope *env;
    ledger_buf rec = LEDGER_BUF_INIT;
    size_t base;
    /* LogEntry around the record: version, index, time, record tag and
     * length, one {key_id, signature}: about 120 bytes. */
    const size_t leaf_overhead = 120;

    b->pad = 0;
    env = make_claim(b, 0);
    if (ledger_envelope_record(&rec, env) < 0)
        fatal("%s", ledger_error_last()->message);
    base = rec.len;
    ledger_buf_dispose(&rec);
    ledger_envelope_free(env);
    b->pad = (int)(LEAF_TARGET - leaf_overhead - base);
    if (b->pad < 0)
        b->pad = 0;
    if (b->pad > (int)sizeof filler)
        b->pad = sizeof filler;
    return base + (size_t)b->pad + strlen("attrledger/v1/record\n");
}

static void
create_ledger(const config *cfg, bench *b)
{
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    ledger_vkey admin_vk, log_vk;
    ledger_envelope *regs[N_MEMBERS];
    char path[4200];

    snprintf(b->dir, sizeof b->dir, "%s/ledger", cfg->parent);
    if (mkdir(b->dir, 0700) != 0)
        fatal("%s: %s", b->dir, strerror(errno));
    ledger_key_vkey(&admin_vk, b->admin, LEDGER_SIGTYPE_ED25519);
    ledger_key_vkey(&log_vk, b->log_key, LEDGER_SIGTYPE_ED25519);
    o.origin = ORIGIN;
    o.log_key = b->log_key;
    o.admins = &admin_vk;
    o.n_admins = 1;
    if (ledger_log_create(&b->log, b->dir, &o) < 0)
        fatal("create: %s", ledger_error_last()->message);
    snprintf(path, sizeof path, "%s/log.vkey", b->dir);
    if (ledger_vkey_save(&log_vk, path, 0) < 0)
        fatal("%s", ledger_error_last()->message);
    for (int i = 0; i < N_MEMBERS; i++) {
        char id[16];
        const char *json;

        snprintf(id, sizeof id, "p:m%02d", i);
        json = registration_json(id, b->member[i]);
        if (ledger_envelope_parse(&regs[i], json, strlen(json)) < 0 ||
            ledger_envelope_sign(regs[i], b->admin) < 0 ||
            ledger_envelope_sign(regs[i], b->member[i]) < 0)
            fatal("registration: %s", ledger_error_last()->message);
    }
    submit_or_die(b, regs, N_MEMBERS);
    free_envs(regs, N_MEMBERS);

    /* The actor and incident every claim references (the ledger checks that
     * references name earlier records of the right type). */
    {
        static const char *const seeds[2] = {
            "{\"header\": {\"record_id\": \"act:sandworm\", \"author\": \"p:m00\","
            " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
            " \"actor\": {\"actor_id\": \"act:sandworm\", \"name\": \"Sandworm Team\","
            " \"actor_kind\": \"ACTOR_KIND_INTRUSION_SET\"}}",
            "{\"header\": {\"record_id\": \"inc:notpetya-2017\", \"author\": \"p:m00\","
            " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
            " \"incident_report\": {\"incident_key\": \"inc:notpetya-2017\","
            " \"name\": \"NotPetya\"}}",
        };
        ledger_envelope *env[2];
        for (int i = 0; i < 2; i++)
            if (ledger_envelope_parse(&env[i], seeds[i], strlen(seeds[i])) < 0 ||
                ledger_envelope_sign(env[i], b->member[0]) < 0)
                fatal("seed record: %s", ledger_error_last()->message);
        submit_or_die(b, env, 2);
        free_envs(env, 2);
    }
}

static uint64_t
ledger_size(bench *b)
{
    ledger_log_info info;

    if (ledger_log_info_get(&info, b->log) < 0)
        fatal("%s", ledger_error_last()->message);
    return info.size;
}

static int
sum_leaf(void *payload, uint64_t index, const uint8_t *leaf, size_t len)
{
    (void)index;
    (void)leaf;
    *(uint64_t *)payload += len;
    return 0;
}

/* ---- figures at one size ---- */

typedef struct {
    uint64_t size;
    double submit_batch, submit_single, verify, rss, storage, leaf_mean;
    double incl_lib, incl_cli, cons_lib, cons_cli;
    double submit_ratio, verify_ratio, verify_ed_ratio; /* % of the floor, per run */
    double submit_cpu, verify_cpu;  /* us of CPU (all threads) per record / entry */
    double submit_written;          /* bytes the kernel wrote to disk per record */
    double fill_rate;               /* the bulk path, signing included */
    double export_rate, export_rss; /* `export --format audit` of the whole ledger */
    double export_csv, export_dot;  /* `export --format csv` / `dot` of the whole ledger */
} scale_figures;

/* CPU seconds (user + system, all threads) this process has used. */
static double
cpu_now(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Bytes this process caused to be written to storage (write_bytes of
 * /proc/self/io), or -1 where the kernel does not report it. Unlike wall
 * time, other jobs on the machine do not change it. */
static double
written_now(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    double v = -1;

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long n;
        if (sscanf(line, "write_bytes: %llu", &n) == 1)
            v = (double)n;
    }
    fclose(f);
    return v;
}

static void
measure_submit(const config *cfg, bench *b, int k_batches, int singles, scale_figures *out)
{
    double batch_rate[MAX_RUNS], single_rate[MAX_RUNS], ratio[MAX_RUNS], cpu[MAX_RUNS];
    double written[MAX_RUNS];
    uint64_t n_batch = (uint64_t)cfg->runs * (uint64_t)k_batches * BATCH;
    uint64_t n_single = (uint64_t)cfg->runs * (uint64_t)singles;
    ledger_envelope **envs = presign(cfg, b, n_batch + n_single), **e = envs;

    for (int r = 0; r < cfg->runs; r++) {
        floors f;
        double t0, c0, w0;

        floor_now(cfg, &f);
        w0 = written_now();
        t0 = now_s();
        c0 = cpu_now();
        for (int k = 0; k < k_batches; k++, e += BATCH)
            submit_or_die(b, e, BATCH);
        batch_rate[r] = (double)k_batches * BATCH / (now_s() - t0);
        cpu[r] = (cpu_now() - c0) * 1e6 / ((double)k_batches * BATCH);
        written[r] = w0 < 0 ? -1 : (written_now() - w0) / ((double)k_batches * BATCH);
        ratio[r] = 100.0 * batch_rate[r] / f.append_allcores;
    }
    for (int r = 0; r < cfg->runs; r++) {
        double t0 = now_s();

        for (int k = 0; k < singles; k++, e++)
            submit_or_die(b, e, 1);
        single_rate[r] = singles / (now_s() - t0);
    }
    free_envs(envs, (size_t)(n_batch + n_single));
    free(envs);
    out->submit_batch = median(batch_rate, cfg->runs);
    out->submit_single = median(single_rate, cfg->runs);
    out->submit_ratio = median(ratio, cfg->runs);
    out->submit_cpu = median(cpu, cfg->runs);
    out->submit_written = median(written, cfg->runs);
}

static void
measure_verify(const config *cfg, bench *b, scale_figures *out)
{
    double rate[MAX_RUNS], rss[MAX_RUNS], ratio[MAX_RUNS], ratio_ed[MAX_RUNS], cpu[MAX_RUNS];
    char *argv[] = {(char *)cfg->cli, "-C", b->dir, "verify", NULL};

    for (int r = 0; r < cfg->verify_runs; r++) {
        long maxrss = 0;
        floors f;
        double t, c = 0;

        floor_now(cfg, &f);
        t = run_cli(cfg, argv, &maxrss, &c);
        cpu[r] = c * 1e6 / (double)out->size;
        rate[r] = (double)out->size / t;
        rss[r] = (double)maxrss;
        ratio[r] = 100.0 * rate[r] / f.verify_allcores_entry;
        ratio_ed[r] = 100.0 * rate[r] / f.verify_allcores;
        progress("verify %d/%d: %.2f s, %.0f entries/s (%.0f%% of the floor), peak RSS %ld KiB",
                 r + 1, cfg->verify_runs, t, rate[r], ratio[r], maxrss);
    }
    out->verify = median(rate, cfg->verify_runs);
    out->rss = median(rss, cfg->verify_runs);
    out->verify_ratio = median(ratio, cfg->verify_runs);
    out->verify_ed_ratio = median(ratio_ed, cfg->verify_runs);
    out->verify_cpu = median(cpu, cfg->verify_runs);
}

/* The whole ledger as an audit trail, to stdout (the spawner sends it to
 * /dev/null): throughput and peak RSS, which must not grow with the size. */
static void
measure_export(const config *cfg, bench *b, scale_figures *out)
{
    char *argv[] = {(char *)cfg->cli, "-C", b->dir, "export", "--format", "audit", NULL};
    long maxrss = 0;
    double t = run_cli(cfg, argv, &maxrss, NULL);

    out->export_rate = (double)out->size / t;
    out->export_rss = (double)maxrss;
    progress("export: %.2f s, %.0f entries/s, peak RSS %ld KiB", t, out->export_rate, maxrss);
}

/* The whole ledger as CSV rows and as a Graphviz graph (both keep the
 * selection in memory and look references up by id): entries/s, which
 * must not fall with the size (a scan per lookup would make it quadratic). */
static void
measure_graph_exports(const config *cfg, bench *b, scale_figures *out)
{
    char *csv[] = {(char *)cfg->cli, "-C", b->dir, "-q", "export", "--format", "csv", NULL};
    char *dot[] = {(char *)cfg->cli, "-C", b->dir, "-q", "export", "--format", "dot", NULL};
    double rc[MAX_RUNS], rd[MAX_RUNS];

    for (int r = 0; r < cfg->verify_runs; r++) {
        rc[r] = (double)out->size / run_cli(cfg, csv, NULL, NULL);
        rd[r] = (double)out->size / run_cli(cfg, dot, NULL, NULL);
        progress("export csv %d/%d: %.0f entries/s, dot: %.0f entries/s", r + 1, cfg->verify_runs,
                 rc[r], rd[r]);
    }
    out->export_csv = median(rc, cfg->verify_runs);
    out->export_dot = median(rd, cfg->verify_runs);
}

/* --site: the static site of the whole ledger from scratch, then again
 * after one more batch of 1,000 (only changed files are rewritten; the
 * receipts all change, since they name the new checkpoint). Whole CLI
 * processes, one run each: the second run changes the ledger. */
static void
measure_site(const config *cfg, bench *b, uint64_t n)
{
    char dir[4300], name[64];
    char *argv[] = {(char *)cfg->cli, "-C", b->dir, "export", "--format", "site", "-o", dir, NULL};
    long rss = 0;
    double full, incr;

    snprintf(dir, sizeof dir, "%s/site", cfg->parent);
    rmtree(dir);
    full = run_cli(cfg, argv, &rss, NULL);
    fill(cfg, b, BATCH);
    incr = run_cli(cfg, argv, NULL, NULL);
    progress("site: %.2f s from scratch (peak RSS %ld KiB), %.2f s after %d more", full, rss, incr,
             BATCH);
    snprintf(name, sizeof name, "scale_%" PRIu64 "_site_export_full", n);
    figure(name, full, "s");
    snprintf(name, sizeof name, "scale_%" PRIu64 "_site_export_after_1000", n);
    figure(name, incr, "s");
    snprintf(name, sizeof name, "scale_%" PRIu64 "_peak_rss_site", n);
    figure(name, (double)rss / 1024.0, "MiB");
    rmtree(dir);
}

static void
measure_proofs(const config *cfg, bench *b, scale_figures *out)
{
    const int lib_n = 2000, cli_n = 20;
    double il[MAX_RUNS], ic[MAX_RUNS], cl[MAX_RUNS], cc[MAX_RUNS];
    uint64_t size = out->size;

    for (int r = 0; r < cfg->runs; r++) {
        double t0 = now_s();

        for (int i = 0; i < lib_n; i++) {
            ledger_inclusion_proof p;
            if (ledger_log_prove_inclusion(&p, b->log, rng_next() % size, 0) < 0)
                fatal("prove inclusion: %s", ledger_error_last()->message);
        }
        il[r] = (now_s() - t0) * 1e6 / lib_n;
        t0 = now_s();
        for (int i = 0; i < lib_n; i++) {
            ledger_consistency_proof p;
            if (ledger_log_prove_consistency(&p, b->log, 1 + rng_next() % (size - 1), 0) < 0)
                fatal("prove consistency: %s", ledger_error_last()->message);
        }
        cl[r] = (now_s() - t0) * 1e6 / lib_n;

        double ti = 0, tc = 0;
        for (int i = 0; i < cli_n; i++) {
            char num[32];
            char *ai[] = {(char *)cfg->cli, "-C", b->dir, "prove", "inclusion", num, NULL};
            char *ac[] = {(char *)cfg->cli, "-C", b->dir, "prove", "consistency", num, NULL};

            snprintf(num, sizeof num, "%" PRIu64, rng_next() % size);
            ti += run_cli(cfg, ai, NULL, NULL);
            snprintf(num, sizeof num, "%" PRIu64, 1 + rng_next() % (size - 1));
            tc += run_cli(cfg, ac, NULL, NULL);
        }
        ic[r] = ti * 1e6 / cli_n;
        cc[r] = tc * 1e6 / cli_n;
    }
    out->incl_lib = median(il, cfg->runs);
    out->cons_lib = median(cl, cfg->runs);
    out->incl_cli = median(ic, cfg->runs);
    out->cons_cli = median(cc, cfg->runs);
}

static void
measure_storage(bench *b, scale_figures *out)
{
    uint64_t leaf_bytes = 0, disk = dir_disk_bytes(b->dir);

    if (ledger_log_scan(b->log, 0, sum_leaf, &leaf_bytes) < 0)
        fatal("scan: %s", ledger_error_last()->message);
    out->storage = ((double)disk - (double)leaf_bytes) / (double)out->size;
    out->leaf_mean = (double)leaf_bytes / (double)out->size;
}

static void
print_scale(const scale_figures *s, const floors *f, const char *prefix)
{
    /* The CPU work of one entry on one core, from the floor (verify, leaf
     * and node hash; the put is left out, its floor is mostly fsync wait):
     * compared with CPU time, which other jobs on the machine change much
     * less than wall time. */
    double work = 1e6 / f->verify_1core + 1e6 / f->sha_leaf + 1e6 / f->sha_node;
    char name[128];
#define FIG(n, v, u)                                                                               \
    do {                                                                                           \
        snprintf(name, sizeof name, "%s%s", prefix, n);                                            \
        figure(name, v, u);                                                                        \
    } while (0)
    FIG("entries", (double)s->size, "entries");
    FIG("leaf_bytes", s->leaf_mean, "bytes");
    FIG("bulk_fill", s->fill_rate, "records/s");
    FIG("submit_batch_1000", s->submit_batch, "records/s");
    FIG("submit_batch_vs_floor", s->submit_ratio, "%");
    FIG("submit_batch_cpu", s->submit_cpu, "us");
    FIG("submit_batch_work_vs_floor", 100.0 * work / s->submit_cpu, "%");
    FIG("submit_batch_written", s->submit_written, "bytes/record");
    FIG("submit_batch_1", s->submit_single, "records/s");
    FIG("verify_full", s->verify, "entries/s");
    FIG("verify_full_vs_floor", s->verify_ratio, "%");
    FIG("verify_full_vs_ed25519_floor", s->verify_ed_ratio, "%");
    FIG("verify_full_cpu", s->verify_cpu, "us");
    FIG("verify_full_work_vs_floor", 100.0 * work / s->verify_cpu, "%");
    FIG("prove_inclusion_lib", s->incl_lib, "us");
    FIG("prove_inclusion_cli", s->incl_cli, "us");
    FIG("prove_consistency_lib", s->cons_lib, "us");
    FIG("prove_consistency_cli", s->cons_cli, "us");
    FIG("storage", s->storage, "bytes/entry");
    FIG("peak_rss_verify", s->rss, "KiB");
    FIG("export_audit", s->export_rate, "entries/s");
    FIG("peak_rss_export", s->export_rss, "KiB");
    FIG("export_csv", s->export_csv, "entries/s");
    FIG("export_dot", s->export_dot, "entries/s");
#undef FIG
}

/* ---- main ---- */

static void
usage(void)
{
    fprintf(stderr, "usage: attrledger_bench [--quick | --full | --sizes N,N,...] [--runs N]\n"
                    "                        [--verify-runs N] [--threads N] [--dir DIR]\n"
                    "                        [--cli PATH] [--keep] [--site]\n"
                    "  default sizes 10000,100000; --full adds 1000000; --quick is 10000 only\n");
    exit(2);
}

static void
parse_sizes(config *cfg, const char *s)
{
    char *end;

    cfg->n_sizes = 0;
    while (*s != '\0') {
        unsigned long long v = strtoull(s, &end, 10);
        if (end == s || cfg->n_sizes == MAX_SIZES || v < 2000)
            usage();
        cfg->sizes[cfg->n_sizes++] = v;
        s = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0')
            usage();
    }
    for (int i = 1; i < cfg->n_sizes; i++)
        if (cfg->sizes[i] <= cfg->sizes[i - 1])
            usage();
}

static void
parse_args(config *cfg, int argc, char **argv)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    memset(cfg, 0, sizeof *cfg);
    cfg->runs = 5;
    cfg->verify_runs = 3;
    cfg->threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
    cfg->cli = BENCH_CLI_PATH;
    cfg->parent = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    parse_sizes(cfg, "10000,100000");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--quick") == 0) {
            parse_sizes(cfg, "10000");
            cfg->runs = 3;
        } else if (strcmp(a, "--full") == 0) {
            parse_sizes(cfg, "10000,100000,1000000");
        } else if (strcmp(a, "--keep") == 0) {
            cfg->keep = 1;
        } else if (strcmp(a, "--site") == 0) {
            cfg->site = 1;
        } else if (v == NULL) {
            usage();
        } else if (strcmp(a, "--sizes") == 0) {
            parse_sizes(cfg, v);
            i++;
        } else if (strcmp(a, "--runs") == 0) {
            cfg->runs = atoi(v);
            i++;
        } else if (strcmp(a, "--verify-runs") == 0) {
            cfg->verify_runs = atoi(v);
            i++;
        } else if (strcmp(a, "--threads") == 0) {
            cfg->threads = (unsigned)atoi(v);
            i++;
        } else if (strcmp(a, "--dir") == 0) {
            cfg->parent = v;
            i++;
        } else if (strcmp(a, "--cli") == 0) {
            cfg->cli = v;
            i++;
        } else {
            usage();
        }
    }
    if (cfg->runs < 1 || cfg->runs > MAX_RUNS || cfg->verify_runs < 1 ||
        cfg->verify_runs > MAX_RUNS || cfg->threads < 1 || cfg->threads > MAX_THREADS)
        usage();
}

int
main(int argc, char **argv)
{
    config cfg;
    bench b;
    floors f;
    scale_figures s[MAX_SIZES];
    char parent[4200];
    size_t msg_len;

    parse_args(&cfg, argc, argv);
    if (access(cfg.cli, X_OK) != 0)
        fatal("%s: not executable (use --cli PATH)", cfg.cli);
    start_spawner(); /* first, while this process is small */
    snprintf(parent, sizeof parent, "%s/attrledger-bench-XXXXXX", cfg.parent);
    if (mkdtemp(parent) == NULL)
        fatal("mkdtemp %s: %s", parent, strerror(errno));
    cfg.parent = parent;
    if (ledger_init() < 0)
        fatal("%s", ledger_error_last()->message);
    for (size_t i = 0; i < sizeof filler; i++)
        filler[i] = "lorem ipsum dolor sit amet, consectetur adipiscing elit "[i % 56];

    memset(&b, 0, sizeof b);
    make_keys(&b);
    msg_len = calibrate(&b);
    b.next_seq = 1;
    measure_floor(&cfg, &f, msg_len);

    if ((b.rcpts = calloc(BATCH, sizeof *b.rcpts)) == NULL)
        fatal("out of memory");
    create_ledger(&cfg, &b);
    for (int i = 0; i < cfg.n_sizes; i++) {
        uint64_t n = cfg.sizes[i], have = ledger_size(&b);
        int k_batches = n >= 100000 ? 4 : 1, singles = 20;
        uint64_t measured = (uint64_t)cfg.runs * (uint64_t)(k_batches * BATCH + singles);
        char prefix[64];

        if (have + measured > n)
            fatal("size %" PRIu64 " is too small for %" PRIu64 " measured submits", n, measured);
        progress("size %" PRIu64 ": filling %" PRIu64 " records", n, n - measured - have);
        memset(&s[i], 0, sizeof s[i]);
        s[i].fill_rate = fill(&cfg, &b, n - measured - have);
        progress("size %" PRIu64 ": submit", n);
        measure_submit(&cfg, &b, k_batches, singles, &s[i]);
        s[i].size = ledger_size(&b);
        progress("size %" PRIu64 ": verify", n);
        measure_verify(&cfg, &b, &s[i]);
        progress("size %" PRIu64 ": export", n);
        measure_export(&cfg, &b, &s[i]);
        measure_graph_exports(&cfg, &b, &s[i]);
        progress("size %" PRIu64 ": proofs", n);
        measure_proofs(&cfg, &b, &s[i]);
        measure_storage(&b, &s[i]);
        snprintf(prefix, sizeof prefix, "scale_%" PRIu64 "_", n);
        print_scale(&s[i], &f, prefix);
        if (cfg.site)
            measure_site(&cfg, &b, n);
    }

    /* The headline figures: the largest size, with the ratios. */
    const scale_figures *top = &s[cfg.n_sizes - 1];
    print_scale(top, &f, "");
    for (int i = 0; i + 1 < cfg.n_sizes; i++)
        if (cfg.sizes[i] >= 100000) {
            figure("peak_rss_verify_growth", 100.0 * (top->rss / s[i].rss - 1.0), "%");
            figure("peak_rss_export_growth", 100.0 * (top->export_rss / s[i].export_rss - 1.0),
                   "%");
            break;
        }
    /* Linear exports keep their rate as the ledger grows: the largest
     * size's rate as a percent of the smallest's (100 = flat). */
    if (cfg.n_sizes > 1) {
        figure("export_csv_rate_kept", 100.0 * top->export_csv / s[0].export_csv, "%");
        figure("export_dot_rate_kept", 100.0 * top->export_dot / s[0].export_dot, "%");
    }

    ledger_log_free(b.log);
    free(b.rcpts);
    ledger_key_free(b.log_key);
    ledger_key_free(b.admin);
    for (int i = 0; i < N_MEMBERS; i++)
        ledger_key_free(b.member[i]);
    free(fl.msg);
    rmtree(fl.dir);
    close(spawn_req); /* the spawner exits */
    if (cfg.keep)
        progress("kept %s", parent);
    else {
        rmtree(b.dir);
        rmtree(parent);
    }
    return 0;
}
