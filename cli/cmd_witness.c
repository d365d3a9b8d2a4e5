/*
 * cmd_witness.c - attrledger witness init / witness cosign (a file-based
 * C2SP tlog-witness) and attrledger cosign add (store verified witness
 * cosignatures with a ledger).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define MAX_NOTE (1u << 20)
#define MAX_REQUEST (MAX_NOTE + (1u << 16))
#define MAX_KEYS 16

enum {
    O_NAME = 1,
    O_OUT,
    O_NOPASS,
    O_FORCE,
    O_KEY,
    O_STATE,
    O_LOGVKEY,
    O_PROOF,
    O_WITNESS,
    O_SIZE,
    O_LISTEN,
    O_EVIDENCE,
    O_PORTFILE,
    O_URL
};

static const cli_opt opts[] = {
    {"name", 0, 1, O_NAME},          {"out", 'o', 1, O_OUT},     {"no-passphrase", 0, 0, O_NOPASS},
    {"force", 0, 0, O_FORCE},        {"key", 0, 1, O_KEY},       {"state", 0, 1, O_STATE},
    {"log-vkey", 0, 1, O_LOGVKEY},   {"proof", 0, 1, O_PROOF},   {"witness", 0, 1, O_WITNESS},
    {"size", 0, 1, O_SIZE},          {"listen", 0, 1, O_LISTEN}, {"evidence", 0, 1, O_EVIDENCE},
    {"port-file", 0, 1, O_PORTFILE}, {"url", 0, 1, O_URL},       {NULL, 0, 0, 0},
};

typedef struct {
    const char *name, *out, *key, *state, *proof, *listen, *evidence, *port_file, *url;
    int no_pass, force, bad, too_many;
    const char *vkeys[MAX_KEYS];
    size_t n_vkeys;
    uint64_t size;
} witness_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    witness_args *a = ctx;

    switch (id) {
    case O_NAME:
        a->name = arg;
        break;
    case O_OUT:
        a->out = arg;
        break;
    case O_NOPASS:
        a->no_pass = 1;
        break;
    case O_FORCE:
        a->force = 1;
        break;
    case O_KEY:
        a->key = arg;
        break;
    case O_STATE:
        a->state = arg;
        break;
    case O_PROOF:
        a->proof = arg;
        break;
    case O_LOGVKEY:
    case O_WITNESS:
        if (a->n_vkeys == MAX_KEYS)
            a->too_many = 1;
        else
            a->vkeys[a->n_vkeys++] = arg;
        break;
    case O_LISTEN:
        a->listen = arg;
        break;
    case O_EVIDENCE:
        a->evidence = arg;
        break;
    case O_PORTFILE:
        a->port_file = arg;
        break;
    case O_URL:
        a->url = arg;
        break;
    case O_SIZE:
        if (cli_parse_u64(arg, &a->size) != 0 || a->size == 0)
            a->bad = 1;
        break;
    default:
        break;
    }
    return 0;
}

/* Load the verifier keys named by --log-vkey / --witness, of one type. */
static int
load_vkeys(const cli *c, const witness_args *a, uint8_t type, ledger_vkey *out)
{
    int rc;

    for (size_t i = 0; i < a->n_vkeys; i++) {
        if ((rc = cli_load_vkey(c, a->vkeys[i], &out[i])) != 0)
            return rc;
        if (out[i].type != type)
            return cli_usage(c, "%s is a %s key, want a %s key", a->vkeys[i],
                             out[i].type == LEDGER_SIGTYPE_COSIGNATURE ? "witness" : "log",
                             type == LEDGER_SIGTYPE_COSIGNATURE ? "witness (type 0x04)"
                                                                : "log (Ed25519)");
    }
    return 0;
}

static int
witness_init(cli *c, const witness_args *a)
{
    ledger_key *key = NULL;
    ledger_vkey vk;
    ledger_buf text = LEDGER_BUF_INIT;
    char *pass = NULL, *pub = NULL;
    int rc;

    if (a->name == NULL || a->out == NULL)
        return cli_usage(c, "usage: attrledger witness init --name NAME --out KEY");
    if ((rc = ledger_key_generate(&key, a->name)) < 0)
        return cli_fail_code(c, EXIT_USAGE);
    if ((pub = malloc(strlen(a->out) + 5)) == NULL) {
        rc = cli_error(c, EXIT_OPERATIONAL, "out of memory");
        goto done;
    }
    sprintf(pub, "%s.pub", a->out);
    if (!a->no_pass && (rc = cli_passphrase(c, c->passphrase_file,
                                            "New passphrase for the witness key: ", 1, &pass)) != 0)
        goto done;
    if ((rc = ledger_key_save(key, a->out, pass, pass ? strlen(pass) : 0,
                              a->force ? LEDGER_KEY_FORCE : 0)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    /* The public half as a cosignature/v1 verifier key (type 0x04). */
    ledger_key_vkey(&vk, key, LEDGER_SIGTYPE_COSIGNATURE);
    if ((rc = ledger_vkey_save(&vk, pub, a->force ? LEDGER_KEY_FORCE : 0)) < 0 ||
        (rc = ledger_vkey_format(&text, &vk)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    if (a->no_pass)
        fprintf(stderr, "attrledger: witness: warning: %s is NOT encrypted (--no-passphrase)\n",
                a->out);
    cli_info(c, "wrote %s (secret, keep it) and %s (the witness vkey: give it to verifiers)",
             a->out, pub);
    if (c->json) {
        printf("{\"name\":");
        cli_json_str(stdout, vk.name);
        printf(",\"vkey\":");
        cli_json_str(stdout, (const char *)text.data);
        printf("}\n");
    } else {
        printf("%s\n", (const char *)text.data);
    }
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&text);
    cli_passphrase_free(pass);
    free(pub);
    ledger_key_free(key);
    return rc;
}

static int
witness_cosign(cli *c, const witness_args *a, char **pos, int npos)
{
    ledger_witness_options o = LEDGER_WITNESS_OPTIONS_INIT;
    ledger_witness_result res;
    ledger_vkey logs[MAX_KEYS];
    ledger_key *key = NULL;
    ledger_buf line = LEDGER_BUF_INIT;
    uint8_t *cp = NULL, *proof = NULL;
    size_t cp_len = 0, proof_len = 0;
    int rc;

    if (a->key == NULL || a->state == NULL || a->n_vkeys == 0 || npos > 1 ||
        (npos == 0 && a->proof == NULL))
        return cli_usage(c, "usage: attrledger witness cosign --key KEY --state STATE "
                            "--log-vkey LOG.vkey CHECKPOINT [--proof CONSISTENCY]");
    if ((rc = load_vkeys(c, a, LEDGER_SIGTYPE_ED25519, logs)) != 0)
        return rc;
    if ((npos == 1 && (rc = cli_read_file(c, pos[0], MAX_NOTE, &cp, &cp_len)) != 0) ||
        (a->proof != NULL &&
         (rc = cli_read_file(c, a->proof, MAX_REQUEST, &proof, &proof_len)) != 0))
        goto done;
    if ((rc = cli_load_key(c, a->key, c->passphrase_file, &key)) != 0)
        goto done;
    o.witness_key = key;
    o.log_keys = logs;
    o.n_log_keys = a->n_vkeys;
    o.state_path = a->state;
    rc = ledger_witness_cosign(&line, &res, &o, cp, cp_len, proof, proof_len);
    if (rc < 0) {
        rc = cli_fail_job(c, rc, CLI_CHECK);
        goto done;
    }
    cli_info(c, "cosigned %s at size %llu (previously %llu)", res.origin,
             (unsigned long long)res.size, (unsigned long long)res.old_size);
    if (c->json) {
        printf("{\"cosignature\":");
        cli_json_str(stdout, (const char *)line.data);
        printf(",\"origin\":");
        cli_json_str(stdout, res.origin);
        printf(",\"size\":%llu,\"old_size\":%llu,\"timestamp\":%llu}\n",
               (unsigned long long)res.size, (unsigned long long)res.old_size,
               (unsigned long long)res.timestamp);
    } else {
        fwrite(line.data, 1, line.len, stdout);
    }
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&line);
    ledger_key_free(key);
    free(cp);
    free(proof);
    return rc;
}

/* ---- witness serve ---- */

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
    stop_signal = sig;
}

static void
log_line(void *payload, const char *line)
{
    (void)payload;
    fprintf(stderr, "%s\n", line);
}

/* HOST:PORT, [V6]:PORT; host copied into `host` (cap bytes). */
static int
parse_listen(const char *s, char *host, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    uint64_t p;
    size_t hl;

    if (colon == NULL || cli_parse_u64(colon + 1, &p) < 0 || p > 65535)
        return -1;
    hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl == 0 || hl >= cap)
        return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    *port = (unsigned)p;
    return 0;
}

static int
witness_serve(cli *c, const witness_args *a)
{
    ledger_witness_options o = LEDGER_WITNESS_OPTIONS_INIT;
    ledger_witness_server_options so = LEDGER_WITNESS_SERVER_OPTIONS_INIT;
    ledger_witness_server *srv = NULL;
    ledger_vkey logs[MAX_KEYS];
    ledger_key *key = NULL;
    struct sigaction sa;
    char host[256], portbuf[16];
    unsigned port = 0;
    sigset_t set, old;
    int rc;

    if (a->key == NULL || a->state == NULL || a->n_vkeys == 0 || a->listen == NULL)
        return cli_usage(c, "usage: attrledger witness serve --key KEY --state STATE "
                            "--log-vkey LOG.vkey... --listen HOST:PORT [--evidence DIR] "
                            "[--port-file FILE]");
    if (parse_listen(a->listen, host, sizeof host, &port) < 0)
        return cli_usage(c, "--listen takes HOST:PORT (port 0: any free port), not %s", a->listen);
    if ((rc = load_vkeys(c, a, LEDGER_SIGTYPE_ED25519, logs)) != 0)
        return rc;
    if ((rc = cli_load_key(c, a->key, c->passphrase_file, &key)) != 0)
        return rc;
    o.witness_key = key;
    o.log_keys = logs;
    o.n_log_keys = a->n_vkeys;
    o.state_path = a->state;
    so.witness = &o;
    so.evidence_dir = a->evidence;
    so.host = host;
    so.port = port;
    if (!c->quiet)
        so.log = log_line;
    /* Signals are taken by sigsuspend below, never by a pool thread. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (ledger_witness_server_start(&srv, &so) < 0) {
        rc = cli_fail_code(c, EXIT_OPERATIONAL);
        goto done;
    }
    snprintf(portbuf, sizeof portbuf, "%u\n", ledger_witness_server_port(srv));
    if (a->port_file != NULL &&
        (rc = cli_write_file(c, a->port_file, portbuf, strlen(portbuf))) != 0)
        goto done;
    cli_info(c, "witness %s serving %zu log%s on %s:%u", ledger_key_name(key), a->n_vkeys,
             a->n_vkeys == 1 ? "" : "s", host, ledger_witness_server_port(srv));
    while (!stop_signal)
        sigsuspend(&old);
    cli_info(c, "stopping (signal %d)", (int)stop_signal);
    rc = EXIT_OK;
done:
    ledger_witness_server_stop(srv);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    ledger_key_free(key);
    return rc;
}

/* ---- witness request ---- */

static int
witness_request(cli *c, const witness_args *a)
{
    ledger_http_options ho = LEDGER_HTTP_OPTIONS_INIT;
    ledger_http_fetcher *f = NULL;
    ledger_witness_exchange ex;
    ledger_vkey w;
    ledger_log *log = NULL;
    int rc;

    if (a->url == NULL || a->n_vkeys != 1 || a->bad)
        return cli_usage(c, "usage: attrledger witness request -C DIR --url WITNESS_URL "
                            "--witness W.vkey [--size N]");
    if ((rc = load_vkeys(c, a, LEDGER_SIGTYPE_COSIGNATURE, &w)) != 0)
        return rc;
    if ((rc = ledger_http_fetcher_new(&f, a->url, &ho)) < 0)
        return cli_fail(c, rc);
    if ((rc = cli_open_ledger(c, 0, &log)) != 0)
        goto done;
    if ((rc = ledger_log_request_cosignature(&ex, log, a->size, f, &w)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    if (ex.status != 200) {
        rc = cli_error(c, ex.status >= 500 ? EXIT_OPERATIONAL : EXIT_NEGATIVE,
                       "witness %s answered %d: %s", w.name, ex.status, ex.message);
        goto done;
    }
    cli_info(c, "witness %s cosigned size %llu (it had %llu); stored with the checkpoint", w.name,
             (unsigned long long)ex.size, (unsigned long long)ex.witness_size);
    if (c->json)
        printf("{\"witness\":\"%s\",\"size\":%llu,\"old_size\":%llu}\n", w.name,
               (unsigned long long)ex.size, (unsigned long long)ex.witness_size);
    rc = EXIT_OK;
done:
    ledger_log_free(log);
    ledger_http_fetcher_free(f);
    return rc;
}

int
cmd_witness(cli *c, int argc, char **argv)
{
    witness_args a;
    char **pos = NULL;
    int npos = 0, rc;

    memset(&a, 0, sizeof a);
    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (a.too_many)
        rc = cli_usage(c, "at most %d keys", MAX_KEYS);
    else if (npos == 1 && strcmp(pos[0], "init") == 0)
        rc = witness_init(c, &a);
    else if (npos >= 1 && strcmp(pos[0], "cosign") == 0)
        rc = witness_cosign(c, &a, pos + 1, npos - 1);
    else if (npos == 1 && strcmp(pos[0], "serve") == 0)
        rc = witness_serve(c, &a);
    else if (npos == 1 && strcmp(pos[0], "request") == 0)
        rc = witness_request(c, &a);
    else
        rc = cli_usage(c, "usage: attrledger witness init --name NAME --out KEY | "
                          "witness cosign --key KEY --state STATE --log-vkey LOG.vkey CHECKPOINT "
                          "[--proof CONSISTENCY] | witness serve --key KEY --state STATE "
                          "--log-vkey LOG.vkey... --listen HOST:PORT [--evidence DIR] | "
                          "witness request -C DIR --url URL --witness W.vkey [--size N]");
    free(pos);
    return rc;
}

int
cmd_cosign(cli *c, int argc, char **argv)
{
    witness_args a;
    ledger_vkey w[MAX_KEYS];
    ledger_log *log = NULL;
    uint8_t *text = NULL;
    size_t len = 0, added = 0;
    char **pos = NULL;
    int npos = 0, rc;

    memset(&a, 0, sizeof a);
    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 2 || strcmp(pos[0], "add") != 0 || a.n_vkeys == 0 || a.bad || a.too_many) {
        rc = cli_usage(c, "usage: attrledger cosign add -C DIR --witness W.vkey [--size N] FILE");
        goto done;
    }
    if ((rc = load_vkeys(c, &a, LEDGER_SIGTYPE_COSIGNATURE, w)) != 0 ||
        (rc = cli_read_file(c, pos[1], MAX_NOTE, &text, &len)) != 0 ||
        (rc = cli_open_ledger(c, 0, &log)) != 0)
        goto done;
    if ((rc = ledger_log_add_cosignatures(&added, log, a.size, text, len, w, a.n_vkeys)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    cli_info(c, "stored %zu cosignature%s", added, added == 1 ? "" : "s");
    if (c->json)
        printf("{\"stored\":%zu}\n", added);
    rc = EXIT_OK;
done:
    ledger_log_free(log);
    free(text);
    free(pos);
    return rc;
}
