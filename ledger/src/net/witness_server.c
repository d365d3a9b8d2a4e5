/*
 * witness_server.c - the tlog-witness protocol on the HTTP server layer
 * (httpd.h): POST /add-checkpoint, GET /<hex SHA-256 of origin>/checkpoint
 * and GET /metrics. The protocol itself is tlog/witness_proto.c; this file
 * only moves bytes between it and HTTP.
 */
#include <string.h>

#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "net/httpd.h"

struct ledger_witness_server {
    lg_httpd *httpd;
    ledger_witness_options witness;
    char *evidence_dir;
};

static int
h_add(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_witness_server *s = payload;
    ledger_witness_response r;
    const ledger_error *e;

    if (ledger_witness_add_checkpoint(&r, &s->witness, s->evidence_dir, req->body, req->body_len) ==
        0) {
        /* The body moves to the response (ledger_buf and lg_malloc agree). */
        lg_http_reply_owned(resp, (unsigned)r.status, r.content_type, r.body.data, r.body.len);
        return LG_HTTPD_DONE;
    }
    e = ledger_error_last();
    {
        size_t n = strlen(e->message);
        uint8_t *b = lg_malloc(n + 2);

        if (b == NULL)
            return lg_http_reply(resp, 500, "text/plain; charset=utf-8", "out of memory\n");
        memcpy(b, e->message, n);
        b[n] = '\n';
        b[n + 1] = '\0';
        return lg_http_reply_owned(resp, 500, "text/plain; charset=utf-8", b, n + 1);
    }
}

/* GET /<64 hex>/checkpoint */
static int
h_latest(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_witness_server *s = payload;
    const char *p = req->path + 1;
    ledger_buf b = LEDGER_BUF_INIT;
    char hex[65];
    int rc;

    if (strcmp(req->path, "/add-checkpoint") == 0) {
        lg_http_add_header(resp, "Allow", "POST");
        return lg_http_reply(resp, 405, "text/plain; charset=utf-8", "use POST\n");
    }
    if (strlen(p) != 64 + strlen("/checkpoint") || strcmp(p + 64, "/checkpoint") != 0)
        return lg_http_reply(resp, 404, "text/plain; charset=utf-8", "not found\n");
    memcpy(hex, p, 64);
    hex[64] = '\0';
    rc = ledger_witness_latest(&b, s->witness.state_path, hex);
    if (rc == LEDGER_ENOTFOUND)
        return lg_http_reply(resp, 404, "text/plain; charset=utf-8",
                             "this witness has cosigned no checkpoint of that log\n");
    if (rc < 0)
        return lg_http_reply(resp, 500, "text/plain; charset=utf-8", "cannot read the state\n");
    lg_http_add_header(resp, "Cache-Control", "no-cache");
    return lg_http_reply_owned(resp, 200, "text/plain; charset=utf-8", b.data, b.len);
}

static int
h_metrics(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_witness_server *s = payload;
    char *buf = NULL;
    size_t len = 0, cap = 0;

    (void)req;
    if (lg_httpd_metrics(&buf, &len, &cap, s->httpd, "attrledger_witness") < 0) {
        lg_free(buf);
        return lg_http_reply(resp, 500, "text/plain; charset=utf-8", "out of memory\n");
    }
    return lg_http_reply_owned(resp, 200, "text/plain; version=0.0.4", (uint8_t *)buf, len);
}

static const lg_httpd_route routes[] = {
    {"POST", "/add-checkpoint", 0, "add-checkpoint", h_add},
    {"GET", "/metrics", 0, "metrics", h_metrics},
    {"GET", "/", 1, "checkpoint", h_latest},
};

int
ledger_witness_server_start(ledger_witness_server **out, const ledger_witness_server_options *o)
{
    lg_httpd_options ho;
    ledger_witness_server *s;
    int rc;

    if (out == NULL || o == NULL || o->witness == NULL || o->witness->state_path == NULL ||
        o->witness->witness_key == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness server: missing argument");
    *out = NULL;
    if (o->version != LEDGER_WITNESS_SERVER_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "witness server: unknown options version %u",
                            o->version);
    if ((s = lg_calloc(1, sizeof *s)) == NULL)
        return lg_error_nomem();
    s->witness = *o->witness;
    if (o->evidence_dir != NULL && (s->evidence_dir = lg_strdup(o->evidence_dir)) == NULL) {
        lg_free(s);
        return lg_error_nomem();
    }
    memset(&ho, 0, sizeof ho);
    ho.host = o->host;
    ho.port = o->port;
    ho.threads = o->threads;
    ho.body_max = LEDGER_WITNESS_REQUEST_MAX;
    ho.routes = routes;
    ho.n_routes = sizeof routes / sizeof routes[0];
    ho.payload = s;
    ho.log = o->log;
    ho.log_payload = o->log_payload;
    if ((rc = lg_httpd_start(&s->httpd, &ho)) < 0) {
        lg_free(s->evidence_dir);
        lg_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

unsigned
ledger_witness_server_port(const ledger_witness_server *s)
{
    return s ? lg_httpd_port(s->httpd) : 0;
}

void
ledger_witness_server_stop(ledger_witness_server *s)
{
    if (s == NULL)
        return;
    lg_httpd_stop(s->httpd, 5000);
    lg_free(s->evidence_dir);
    lg_free(s);
}
