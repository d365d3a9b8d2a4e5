/*
 * client_int.h (internal) - shared by client.c (submit, checkpoint,
 * entries) and client_proof.c (proofs): option checks, one request with
 * retries, and a server refusal turned into a library error.
 */
#ifndef LG_NET_CLIENT_INT_H
#define LG_NET_CLIENT_INT_H

#include "attrledger/client.h"
#include "attrledger/http.h"

/* LEDGER_EINVAL without URL or pinned key, LEDGER_EVERSION; else 0. */
int lg_client_check_opts(const ledger_client_options *o, const char *url);

/* One request to PREFIX/path, retried on 429, 503 and lost connections
 * with backoff (o->attempts, o->backoff_ms, honouring Retry-After). */
int lg_client_request(ledger_http_status *st, ledger_buf *out, ledger_http_fetcher *f,
                      const ledger_client_options *o, const char *method, const char *path,
                      const uint8_t *body, size_t len, size_t max);

/* A non-200 answer as an error carrying the server's code and message. */
int lg_client_server_error(long status, const ledger_buf *body, const char *what);

#endif
