/*
 * cmd_serve.c - attrledger serve: run the ledger as an HTTP service.
 *
 * The log key is unlocked once, at start (terminal or --passphrase-file),
 * before the port is opened. Signals are handled by this thread alone
 * (sigwait): SIGTERM and SIGINT drain and exit 0, SIGHUP reopens the
 * --log-file (for logrotate). Every other thread, including the
 * library's, starts with these signals blocked.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

enum {
    O_LISTEN = 1,
    O_READONLY,
    O_THREADS,
    O_MAXCONN,
    O_IDLE,
    O_REQTIMEOUT,
    O_MAXBODY,
    O_MAXRECORDS,
    O_GROUPRECORDS,
    O_GROUPWAIT,
    O_QUEUE,
    O_RATE,
    O_RATEKEY,
    O_SITE,
    O_LOGFILE,
    O_PORTFILE,
    O_WAITQUORUM,
    O_LOGPASS,
    O_POLICY,
};

static const cli_opt opts[] = {
    {"listen", 'l', 1, O_LISTEN},
    {"read-only", 0, 0, O_READONLY},
    {"threads", 0, 1, O_THREADS},
    {"max-connections", 0, 1, O_MAXCONN},
    {"idle-timeout", 0, 1, O_IDLE},
    {"request-timeout", 0, 1, O_REQTIMEOUT},
    {"max-body", 0, 1, O_MAXBODY},
    {"max-records", 0, 1, O_MAXRECORDS},
    {"group-records", 0, 1, O_GROUPRECORDS},
    {"group-wait-ms", 0, 1, O_GROUPWAIT},
    {"queue-records", 0, 1, O_QUEUE},
    {"rate", 0, 1, O_RATE},
    {"rate-per-key", 0, 1, O_RATEKEY},
    {"site", 0, 1, O_SITE},
    {"log-file", 0, 1, O_LOGFILE},
    {"port-file", 0, 1, O_PORTFILE},
    {"log-passphrase-file", 0, 1, O_LOGPASS},
    {"witness-policy", 0, 1, O_POLICY},
    {"wait-quorum", 0, 1, O_WAITQUORUM},
    {NULL, 0, 0, 0},
};

typedef struct {
    const char *listen;
    int read_only;
    const char *site, *log_file, *port_file, *log_pass, *policy;
    uint64_t n[O_LOGPASS + 1];
    const char *bad;
} serve_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    serve_args *a = ctx;

    switch (id) {
    case O_LISTEN:
        a->listen = arg;
        break;
    case O_READONLY:
        a->read_only = 1;
        break;
    case O_SITE:
        a->site = arg;
        break;
    case O_LOGFILE:
        a->log_file = arg;
        break;
    case O_PORTFILE:
        a->port_file = arg;
        break;
    case O_LOGPASS:
        a->log_pass = arg;
        break;
    case O_POLICY:
        a->policy = arg;
        break;
    default:
        if (cli_parse_u64(arg, &a->n[id]) != 0 || a->n[id] > 0xffffffffu)
            a->bad = arg;
        break;
    }
    return 0;
}

/* The request log: stderr, or --log-file reopened on SIGHUP. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_out;

static void
log_line(void *payload, const char *line)
{
    struct timespec ts;
    struct tm tm;
    char when[32];

    (void)payload;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    pthread_mutex_lock(&log_lock);
    fprintf(log_out, "%s.%03ldZ %s\n", when, ts.tv_nsec / 1000000L, line);
    fflush(log_out);
    pthread_mutex_unlock(&log_lock);
}

static int
open_log(const cli *c, const char *path)
{
    FILE *f;

    if (path == NULL) {
        log_out = stderr;
        return 0;
    }
    if ((f = fopen(path, "a")) == NULL)
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", path, strerror(errno));
    pthread_mutex_lock(&log_lock);
    if (log_out != NULL && log_out != stderr)
        fclose(log_out);
    log_out = f;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

/* --witness-policy FILE: a C2SP tlog-policy; a malformed file is a usage error. */
static int
load_policy(const cli *c, const char *path, ledger_tlog_policy **out)
{
    uint8_t *text = NULL;
    size_t len = 0;
    int rc;

    if ((rc = cli_read_file(c, path, 64u << 10, &text, &len)) != 0)
        return rc;
    rc = ledger_tlog_policy_parse(out, (const char *)text, len);
    free(text);
    if (rc == LEDGER_EFORMAT)
        return cli_error(c, EXIT_USAGE, "%s: %s", path, ledger_error_last()->message);
    return rc < 0 ? cli_fail_code(c, EXIT_OPERATIONAL) : 0;
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT". */
static int
parse_listen(const char *s, char *host, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    uint64_t p;
    size_t hl;

    if (colon == NULL || cli_parse_u64(colon + 1, &p) != 0 || p > 65535)
        return -1;
    hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl >= cap)
        return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    if (hl == 0)
        snprintf(host, cap, "0.0.0.0");
    *port = (unsigned)p;
    return 0;
}

int
cmd_serve(cli *c, int argc, char **argv)
{
    serve_args a;
    ledger_server_options so = LEDGER_SERVER_OPTIONS_INIT;
    ledger_server *srv = NULL;
    ledger_log *log = NULL;
    ledger_key *logkey = NULL;
    ledger_tlog_policy *policy = NULL;
    char **pos = NULL, host[256], key_path[4096];
    unsigned port = 8080;
    sigset_t sigs;
    int npos = 0, rc, sig = 0;

    memset(&a, 0, sizeof a);
    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    snprintf(host, sizeof host, "127.0.0.1");
    if (npos != 0 || a.bad != NULL ||
        (a.listen != NULL && parse_listen(a.listen, host, sizeof host, &port) != 0)) {
        rc = cli_usage(c, "usage: attrledger serve -C DIR [--listen HOST:PORT] [--read-only] "
                          "(see: attrledger help serve)");
        goto done;
    }
    if (a.n[O_WAITQUORUM] > 3600 || (a.n[O_WAITQUORUM] > 0 && a.policy == NULL)) {
        rc = cli_usage(c, "--wait-quorum takes 1 to 3600 seconds, with --witness-policy");
        goto done;
    }
    if (a.policy != NULL && a.read_only) {
        rc = cli_usage(c,
                       "--witness-policy needs a server that signs checkpoints (not --read-only)");
        goto done;
    }
    if ((rc = cli_need_dir(c)) != 0 || (rc = open_log(c, a.log_file)) != 0)
        goto done;
    if (a.policy != NULL && (rc = load_policy(c, a.policy, &policy)) != 0)
        goto done;
    if ((rc = cli_open_ledger(c, a.read_only ? LEDGER_OPEN_READONLY : 0, &log)) != 0)
        goto done;
    if (!a.read_only) {
        /* Unlocked once, before the port opens. */
        if ((rc = cli_path(c, key_path, sizeof key_path, c->dir, "log.key")) != 0 ||
            (rc = cli_load_key(c, key_path, a.log_pass ? a.log_pass : c->passphrase_file,
                               &logkey)) != 0)
            goto done;
    }
    /* Block the signals we wait for in every thread the server starts. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    so.host = host;
    so.port = port;
    so.log_key = logkey;
    so.threads = (unsigned)a.n[O_THREADS];
    so.max_connections = (unsigned)a.n[O_MAXCONN];
    so.idle_timeout_s = (unsigned)a.n[O_IDLE];
    so.request_timeout_s = (unsigned)a.n[O_REQTIMEOUT];
    so.body_max = (size_t)a.n[O_MAXBODY];
    so.records_max = (unsigned)a.n[O_MAXRECORDS];
    so.group_records_max = (unsigned)a.n[O_GROUPRECORDS];
    so.group_wait_ms = (unsigned)a.n[O_GROUPWAIT];
    so.queue_records_max = (unsigned)a.n[O_QUEUE];
    so.rate_per_client = (unsigned)a.n[O_RATE];
    so.rate_per_key = (unsigned)a.n[O_RATEKEY];
    so.site_dir = a.site;
    so.log = log_line;
    so.witness_policy = policy;
    so.wait_quorum_ms = (unsigned)a.n[O_WAITQUORUM] * 1000u;
    if ((rc = ledger_server_start(&srv, log, &so)) < 0) {
        rc = cli_fail_code(c, rc == LEDGER_EINVAL ? EXIT_USAGE : EXIT_OPERATIONAL);
        goto done;
    }
    if (a.port_file != NULL) {
        char text[16];

        snprintf(text, sizeof text, "%u\n", ledger_server_port(srv));
        if ((rc = cli_write_file(c, a.port_file, text, strlen(text))) != 0)
            goto done;
    }
    {
        char line[400];

        snprintf(line, sizeof line, "serving %s on %s:%u%s", c->dir, host, ledger_server_port(srv),
                 a.read_only ? " (read-only)" : "");
        log_line(NULL, line);
    }
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            if (a.log_file != NULL)
                open_log(c, a.log_file);
            log_line(NULL, "log reopened (SIGHUP)");
            continue;
        }
        break;
    }
    log_line(NULL, sig == SIGINT ? "SIGINT: draining" : "SIGTERM: draining");
    ledger_server_stop(srv, 5000);
    srv = NULL;
    log_line(NULL, "stopped");
    rc = EXIT_OK;
done:
    ledger_server_stop(srv, 0);
    ledger_log_free(log);
    ledger_key_free(logkey);
    ledger_tlog_policy_free(policy);
    if (log_out != NULL && log_out != stderr)
        fclose(log_out);
    free(pos);
    return rc;
}
