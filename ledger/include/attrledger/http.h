/*
 * http.h - read a C2SP tlog-tiles tree over HTTP(S), for ledger_audit_tiles().
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

/** Close the connection and free the fetcher. Accepts NULL. */
LEDGER_API void ledger_http_fetcher_free(ledger_http_fetcher *f);

#endif
