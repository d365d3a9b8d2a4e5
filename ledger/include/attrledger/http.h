/*
 * http.h - the library's one HTTP(S) client: read a C2SP tlog-tiles tree
 * (ledger_audit_tiles()), and talk to an attrledger server or witness
 * (ledger_http_request(): GET or POST, any status, Retry-After).
 *
 * A tiles tree is plain static files, so any web server, object store or
 * CDN can publish one. The fetcher turns a URL prefix into a
 * ledger_fetch_fn: resource PATH is fetched with GET PREFIX/PATH.
 *
 * Nothing the server sends is trusted. ledger_audit_tiles() verifies every
 * byte against the checkpoint, which is verified with the log key the
 * caller already holds; TLS (verified against the system's CA store) only
 * protects the transport. The fetcher bounds each body by the size the
 * caller allows, aborting the transfer as soon as it is exceeded.
 *
 * Transfers are sequential on one connection (HTTP keep-alive). Redirects
 * are followed only to http and https URLs (from an https prefix, only to
 * https); no cookies and no credentials
 * are sent. The handle is not thread-safe: use one per thread.
 */
#ifndef ATTRLEDGER_HTTP_H
#define ATTRLEDGER_HTTP_H

#include "buf.h"
#include "common.h"

/** An HTTP(S) reader of one tiles tree. Opaque. */
typedef struct ledger_http_fetcher ledger_http_fetcher;

/** Options of ledger_http_fetcher_new(). */
typedef struct {
    unsigned version;           /**< LEDGER_HTTP_OPTIONS_VERSION */
    unsigned connect_timeout_s; /**< give up connecting (DNS, TCP, TLS) after this; 0 = 10 */
    unsigned stall_timeout_s;   /**< give up a transfer that received nothing for this; 0 = 30 */
} ledger_http_options;

#define LEDGER_HTTP_OPTIONS_VERSION 1
#define LEDGER_HTTP_OPTIONS_INIT                                                                   \
    {                                                                                              \
        LEDGER_HTTP_OPTIONS_VERSION, 10, 30                                                        \
    }

/** Longest URL prefix accepted, in bytes. */
#define LEDGER_HTTP_PREFIX_MAX 2048

/**
 * Create a fetcher for the tree at `url_prefix`.
 *
 * The prefix is an absolute http:// or https:// URL, with or without a
 * trailing slash ("https://log.example.org/tiles" and ".../tiles/" name
 * the same tree). It must hold only printable ASCII without spaces, and no
 * user name, password, query or fragment. Nothing is fetched yet.
 *
 * @param[out] out         free with ledger_http_fetcher_free()
 * @param[in]  url_prefix  copied
 * @param[in]  opts        NULL for the defaults
 * @return 0, LEDGER_EINVAL (not such a URL; the message says why),
 *         LEDGER_EVERSION (unknown opts->version), LEDGER_EIO (the HTTP
 *         library could not be initialised), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_http_fetcher_new(ledger_http_fetcher **out, const char *url_prefix,
                                       const ledger_http_options *opts);

/**
 * Fetch PREFIX/path; a ledger_fetch_fn whose payload is a
 * ledger_http_fetcher. Status 200 gives the body; 404 and 410 give
 * LEDGER_ENOTFOUND. Every failure sets a one-line message naming the URL.
 *
 * @param[in]  payload  the fetcher
 * @param[in]  path     relative path ("checkpoint", "tile/0/000.p/7")
 * @param[in]  max      largest body accepted
 * @param[out] out      the body, allocated with ledger_buf_alloc(); the
 *                      caller disposes of it. Empty on failure.
 * @return 0, LEDGER_ENOTFOUND, LEDGER_EFORMAT (body larger than max),
 *         LEDGER_EIO (DNS, connection, TLS, timeout, another status),
 *         LEDGER_EINVAL (bad path), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_http_fetch(void *payload, const char *path, size_t max, ledger_buf *out);

/** What a server answered to ledger_http_request(). */
typedef struct {
    long status;            /**< HTTP status, e.g. 200, 422, 503 */
    unsigned retry_after_s; /**< Retry-After in seconds (at most 86,400); 0 when absent */
} ledger_http_status;

/**
 * One request to PREFIX/path, whatever status the server answers: for
 * clients of an API (`submit --url`, witness requests) whose error bodies
 * carry meaning. Same safety rules as ledger_http_fetch(): the body of any
 * status is bounded by `max`, redirects only to http(s), no cookies or
 * credentials, stalled transfers given up.
 *
 * @param[out] st      the status and Retry-After (zeroed on failure)
 * @param[out] out     the response body, any status; caller disposes
 * @param[in]  f       the fetcher (its prefix is the server's base URL)
 * @param[in]  method  "GET" or "POST"
 * @param[in]  path    relative path, optionally with an already
 *                     percent-escaped query ("proof/inclusion?index=3")
 * @param[in]  content_type  of the body (POST); NULL = application/octet-stream
 * @param[in]  body, len     request body (POST); copied by libcurl as sent
 * @param[in]  max     largest response body accepted
 * @return 0 when the server answered (look at st->status), LEDGER_EIO
 *         (DNS, connection refused or lost, TLS, timeout: safe to retry an
 *         idempotent request), LEDGER_EFORMAT (body larger than max),
 *         LEDGER_EINVAL (bad method or path), LEDGER_ENOMEM.
 */
LEDGER_API int ledger_http_request(ledger_http_status *st, ledger_buf *out, ledger_http_fetcher *f,
                                   const char *method, const char *path, const char *content_type,
                                   const uint8_t *body, size_t len, size_t max);

/** Close the connection and free the fetcher. Accepts NULL. */
LEDGER_API void ledger_http_fetcher_free(ledger_http_fetcher *f);

/**
 * The version of the libcurl this library would load ("7.88.1"), into
 * out (at most cap bytes, NUL-terminated), or "" when it cannot be loaded.
 * It is loaded (dlopen) only for the question, and not initialised.
 */
LEDGER_API void ledger_http_version_get(char *out, size_t cap);

#endif
