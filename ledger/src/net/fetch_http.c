/*
 * fetch_http.c - the ONLY user of libcurl: read a tiles tree over HTTP(S)
 * (http.h), as C2SP tlog-tiles v0.1.0 clients do: GET PREFIX/PATH, 200 is
 * the resource, 404 (or 410) means it does not exist.
 *
 * Threat model. The server, every proxy and CDN on the way, and DNS are
 * untrusted: ledger_audit_tiles() verifies every byte against a checkpoint
 * signed by the key the auditor already holds. What the fetcher must do is
 * not let the server cost us more than the caller allows:
 *  - a body is never buffered beyond `max`: a declared Content-Length above
 *    it is refused before any byte is stored, and an undeclared (chunked or
 *    close-delimited) body is cut off as soon as it passes `max`;
 *  - the body of an error status is discarded, and cut off after
 *    ERROR_BODY_MAX bytes;
 *  - a server that stalls (no byte for stall_timeout_s) or never accepts
 *    (connect_timeout_s) is given up on;
 *  - redirects are followed (object stores and CDNs use them) at most
 *    MAX_REDIRS times and only to http/https, so a server cannot turn us
 *    into a reader of file:// or a client of other protocols;
 *  - no cookies, no credentials (no netrc, no user:password in the URL),
 *    and no content encoding is requested, so what `max` bounds is exactly
 *    what the server sends;
 *  - TLS peers and host names are verified (libcurl's defaults, kept).
 *
 * One easy handle serves all requests of a fetcher, so libcurl keeps the
 * connection alive between tiles. libcurl is loaded with dlopen() the
 * first time a fetcher is made (its ~30 dependencies would otherwise cost
 * every attrledger command about 4 ms at start-up), then
 * curl_global_init() runs, once per process (pthread_once);
 * curl_global_cleanup() is never called, because another part of the
 * program may use libcurl too. CURLOPT_NOSIGNAL keeps libcurl away from
 * signals, as a library must.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "attrledger/http.h"
#include "base/alloc.h"
#include "base/error.h"

#define MAX_REDIRS 5L
#define ERROR_BODY_MAX 65536u
#define PATH_MAX_LEN 256u
#define FIRST_CHUNK 16384u

struct ledger_http_fetcher {
    CURL *curl;
    char *prefix; /* without trailing slashes */
    size_t prefix_len;
    char url[LEDGER_HTTP_PREFIX_MAX + 1 + PATH_MAX_LEN + 1];
    char errbuf[CURL_ERROR_SIZE];
};

/* What the write callback collects for one request. */
typedef struct {
    CURL *curl;
    size_t max;
    uint8_t *data;
    size_t len, cap;
    long status;    /* 0 until the first body byte */
    size_t skipped; /* body bytes of a non-200 status, discarded */
    int too_big;    /* the 200 body passed max */
    int error_body; /* a non-200 body passed ERROR_BODY_MAX */
    int nomem;
    int any_status;         /* keep the body of every status (ledger_http_request) */
    unsigned retry_after_s; /* Retry-After, in seconds; 0 = none */
} sink;

/* The libcurl functions this file calls, from the shared library. */
typedef struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *curl);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} curl_api;

static const struct {
    const char *name;
    size_t offset;
} symbols[] = {
    {"curl_global_init", offsetof(curl_api, global_init)},
    {"curl_easy_init", offsetof(curl_api, easy_init)},
    {"curl_easy_cleanup", offsetof(curl_api, easy_cleanup)},
    {"curl_easy_setopt", offsetof(curl_api, easy_setopt)},
    {"curl_easy_perform", offsetof(curl_api, easy_perform)},
    {"curl_easy_getinfo", offsetof(curl_api, easy_getinfo)},
    {"curl_easy_strerror", offsetof(curl_api, easy_strerror)},
    {"curl_slist_append", offsetof(curl_api, slist_append)},
    {"curl_slist_free_all", offsetof(curl_api, slist_free_all)},
};

#define LIBCURL_SONAME "libcurl.so.4"

static curl_api api;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static char global_error[256]; /* empty once libcurl is loaded and initialised */

static void
global_init(void)
{
    void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    CURLcode rc;

    if (lib == NULL) {
        snprintf(global_error, sizeof global_error, "cannot load %s (install libcurl4): %s",
                 LIBCURL_SONAME, dlerror());
        return;
    }
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        void *sym = dlsym(lib, symbols[i].name);

        if (sym == NULL) {
            snprintf(global_error, sizeof global_error, "%s lacks %s", LIBCURL_SONAME,
                     symbols[i].name);
            return;
        }
        /* POSIX: a function pointer has the size and representation of
         * the void * dlsym() returns; copy it rather than convert it. */
        memcpy((char *)&api + symbols[i].offset, &sym, sizeof sym);
    }
    if ((rc = api.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK)
        snprintf(global_error, sizeof global_error, "cannot initialise: %s", api.easy_strerror(rc));
}

void
ledger_http_version_get(char *out, size_t cap)
{
    void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL), *sym;
    curl_version_info_data *(*info)(CURLversion);
    const curl_version_info_data *d;

    if (cap > 0)
        out[0] = '\0';
    if (lib == NULL)
        return;
    if ((sym = dlsym(lib, "curl_version_info")) != NULL) {
        memcpy(&info, &sym, sizeof sym); /* as in global_init() */
        if ((d = info(CURLVERSION_NOW)) != NULL && d->version != NULL)
            snprintf(out, cap, "%s", d->version);
    }
    dlclose(lib);
}

/* Printable ASCII only: a URL goes into one-line messages and request lines. */
static int
printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

static int
check_prefix(const char *url, size_t *scheme_len)
{
    const char *host, *end;
    size_t len = strlen(url);

    if (len == 0 || len > LEDGER_HTTP_PREFIX_MAX)
        return lg_error_set(LEDGER_EINVAL, "URL is empty or longer than %d bytes",
                            LEDGER_HTTP_PREFIX_MAX);
    if (!printable(url))
        return lg_error_set(LEDGER_EINVAL,
                            "URL holds a space, control character or non-ASCII byte");
    if (strncasecmp(url, "http://", 7) == 0)
        *scheme_len = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        *scheme_len = 8;
    else
        return lg_error_set(LEDGER_EINVAL, "%s: not an http:// or https:// URL", url);
    if (strpbrk(url, "?#") != NULL)
        return lg_error_set(LEDGER_EINVAL, "%s: a tiles prefix has no query or fragment", url);
    host = url + *scheme_len;
    end = strchr(host, '/');
    if (end == NULL)
        end = host + strlen(host);
    if (end == host)
        return lg_error_set(LEDGER_EINVAL, "%s: no host", url);
    if (memchr(host, '@', (size_t)(end - host)) != NULL)
        return lg_error_set(LEDGER_EINVAL, "%s: credentials in URLs are not supported", url);
    return 0;
}

#define PATH_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-"

/* Our own paths only: no "..", nothing to escape; `query` (API requests)
 * also allows percent-escapes and a query string of already-escaped
 * name=value pairs. */
static int
check_path(const char *path, int query)
{
    size_t len = strlen(path);
    size_t ok = strspn(path, query ? PATH_CHARS "%" : PATH_CHARS);

    if (query && ok < len && path[ok] == '?')
        ok += 1 + strspn(path + ok + 1, PATH_CHARS "=&%+~");
    if (len == 0 || len > PATH_MAX_LEN || path[0] == '/' || strstr(path, "..") != NULL || ok != len)
        return lg_error_set(LEDGER_EINVAL, "bad %s path", query ? "request" : "tile");
    return 0;
}

/* `https`: the prefix is https, and a redirect may not downgrade it (the
 * content is verified either way, but the transport stays as asked). */
static int
set_options(ledger_http_fetcher *f, const ledger_http_options *o, int https)
{
    CURL *c = f->curl;
    long connect_s = o->connect_timeout_s ? (long)o->connect_timeout_s : 10L;
    long stall_s = o->stall_timeout_s ? (long)o->stall_timeout_s : 30L;
    CURLcode rc = CURLE_OK;

    /* Each call is checked; the first failure is reported. */
#define SETOPT(opt, val)                                                                           \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = api.easy_setopt(c, opt, val);                                                     \
    } while (0)
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
    SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
    SETOPT(CURLOPT_MAXREDIRS, MAX_REDIRS);
    SETOPT(CURLOPT_CONNECTTIMEOUT, connect_s);
    SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SETOPT(CURLOPT_LOW_SPEED_TIME, stall_s);
    SETOPT(CURLOPT_USERAGENT, "attrledger/" LEDGER_VERSION_STRING);
    SETOPT(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
    SETOPT(CURLOPT_ERRORBUFFER, f->errbuf);
#undef SETOPT
    if (rc != CURLE_OK)
        return lg_error_set(LEDGER_EIO, "libcurl: %s", api.easy_strerror(rc));
    return 0;
}

int
ledger_http_fetcher_new(ledger_http_fetcher **out, const char *url_prefix,
                        const ledger_http_options *opts)
{
    ledger_http_options defaults = LEDGER_HTTP_OPTIONS_INIT;
    ledger_http_fetcher *f = NULL;
    size_t scheme_len = 0, len;
    int rc;

    if (out == NULL || url_prefix == NULL)
        return lg_error_set(LEDGER_EINVAL, "http fetcher: missing argument");
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != LEDGER_HTTP_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EVERSION, "http options version %u, want %d", opts->version,
                            LEDGER_HTTP_OPTIONS_VERSION);
    if ((rc = check_prefix(url_prefix, &scheme_len)) < 0)
        return rc;
    if (pthread_once(&global_once, global_init) != 0)
        return lg_error_set(LEDGER_EIO, "libcurl: cannot initialise");
    if (global_error[0] != '\0')
        return lg_error_set(LEDGER_EIO, "libcurl: %s", global_error);
    if ((f = lg_calloc(1, sizeof *f)) == NULL)
        return lg_error_nomem();
    /* "https://h/tiles/" and "https://h/tiles" name the same tree. */
    len = strlen(url_prefix);
    while (len > scheme_len + 1 && url_prefix[len - 1] == '/')
        len--;
    if ((f->prefix = lg_strndup(url_prefix, len)) == NULL) {
        rc = lg_error_nomem();
        goto fail;
    }
    f->prefix_len = len;
    if ((f->curl = api.easy_init()) == NULL) {
        rc = lg_error_set(LEDGER_EIO, "libcurl: cannot create a handle");
        goto fail;
    }
    if ((rc = set_options(f, opts, scheme_len == 8)) < 0)
        goto fail;
    *out = f;
    return 0;
fail:
    ledger_http_fetcher_free(f);
    return rc;
}

void
ledger_http_fetcher_free(ledger_http_fetcher *f)
{
    if (f == NULL)
        return;
    if (f->curl != NULL)
        api.easy_cleanup(f->curl);
    lg_free(f->prefix);
    lg_free(f);
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *payload)
{
    sink *s = payload;
    size_t n = size * nmemb; /* size is always 1 */

    if (s->status == 0) {
        curl_off_t declared = -1;

        api.easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &s->status);
        api.easy_getinfo(s->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
        /* Refuse a declared oversized body before storing any of it. */
        if ((s->status == 200 || s->any_status) && declared >= 0 && (uint64_t)declared > s->max) {
            s->too_big = 1;
            return 0;
        }
    }
    if (s->status != 200 && !s->any_status) {
        /* Discard; keep reading a short error page so the connection stays
         * usable (404 is an ordinary answer), give up on a long one. */
        s->skipped += n;
        if (s->skipped > ERROR_BODY_MAX) {
            s->error_body = 1;
            return 0;
        }
        return n;
    }
    if (n > s->max - s->len) {
        s->too_big = 1;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        /* Grow geometrically, never past max + 1 (room for the NUL). */
        size_t need = s->len + n + 1, ncap = s->cap ? s->cap : FIRST_CHUNK;
        uint8_t *nd;

        while (ncap < need)
            ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
        if (ncap > s->max + 1)
            ncap = s->max + 1; /* >= need, since n <= max - len */
        if ((nd = lg_realloc(s->data, ncap)) == NULL) {
            s->nomem = 1;
            return 0;
        }
        s->data = nd;
        s->cap = ncap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    return n;
}

/* Retry-After as delta-seconds (RFC 9110 10.2.3); an HTTP-date is ignored. */
static size_t
on_header(char *p, size_t size, size_t nitems, void *payload)
{
    sink *s = payload;
    size_t n = size * nitems;
    static const char name[] = "retry-after:";

    if (n > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        unsigned long v = 0;
        size_t i = sizeof name - 1;

        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        for (; i < n && p[i] >= '0' && p[i] <= '9' && v < 86400; i++)
            v = v * 10 + (unsigned long)(p[i] - '0');
        s->retry_after_s = (unsigned)(v > 86400 ? 86400 : v);
    }
    return n;
}

/* libcurl's detail, made safe for a one-line message. */
static const char *
cause(ledger_http_fetcher *f, CURLcode rc)
{
    char *p;

    if (f->errbuf[0] == '\0')
        return api.easy_strerror(rc);
    for (p = f->errbuf; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    return f->errbuf;
}

/*
 * One transfer: METHOD PREFIX/path, with `body` for POST. The answer's
 * status and Retry-After go to s; rc is the transport's verdict only.
 */
static int
perform(ledger_http_fetcher *f, sink *s, const char *method, const char *content_type,
        const uint8_t *body, size_t len)
{
    struct curl_slist *hdrs = NULL;
    char ct[128];
    CURLcode crc;
    int rc = 0, post = strcmp(method, "POST") == 0;

    s->curl = f->curl;
    f->errbuf[0] = '\0';
    if (post) {
        snprintf(ct, sizeof ct, "Content-Type: %s",
                 content_type ? content_type : "application/octet-stream");
        /* No "Expect: 100-continue" round trip: our bodies are small. */
        if ((hdrs = api.slist_append(NULL, ct)) == NULL ||
            api.slist_append(hdrs, "Expect:") == NULL) {
            api.slist_free_all(hdrs);
            return lg_error_nomem();
        }
    }
    if (api.easy_setopt(f->curl, CURLOPT_URL, f->url) != CURLE_OK ||
        api.easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
        api.easy_setopt(f->curl, CURLOPT_WRITEDATA, s) != CURLE_OK ||
        api.easy_setopt(f->curl, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
        api.easy_setopt(f->curl, CURLOPT_HEADERDATA, s) != CURLE_OK ||
        (post &&
         (api.easy_setopt(f->curl, CURLOPT_POST, 1L) != CURLE_OK ||
          api.easy_setopt(f->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) != CURLE_OK ||
          api.easy_setopt(f->curl, CURLOPT_POSTFIELDS, len ? (const char *)body : "") !=
              CURLE_OK)) ||
        api.easy_setopt(f->curl, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK) {
        rc = lg_error_set(LEDGER_EIO, "%s: libcurl refused the request", f->url);
        goto done;
    }
    crc = api.easy_perform(f->curl);
    if (s->status == 0)
        api.easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &s->status);
    if (s->nomem)
        rc = lg_error_nomem();
    else if (s->too_big)
        rc = lg_error_set(LEDGER_EFORMAT, "%s: larger than %zu bytes", f->url, s->max);
    else if (crc != CURLE_OK && !s->error_body)
        rc = lg_error_set(LEDGER_EIO, "%s: %s", f->url, cause(f, crc));
done:
    /* Back to a plain GET, and no pointers to this stack frame or to
     * freed headers left in the handle. */
    if (post)
        api.easy_setopt(f->curl, CURLOPT_HTTPGET, 1L);
    api.easy_setopt(f->curl, CURLOPT_HTTPHEADER, NULL);
    api.easy_setopt(f->curl, CURLOPT_WRITEDATA, NULL);
    api.easy_setopt(f->curl, CURLOPT_HEADERDATA, NULL);
    api.slist_free_all(hdrs);
    return rc;
}

int
ledger_http_fetch(void *payload, const char *path, size_t max, ledger_buf *out)
{
    ledger_http_fetcher *f = payload;
    sink s;
    int rc;

    if (out != NULL) {
        out->data = NULL;
        out->len = 0;
    }
    if (f == NULL || path == NULL || out == NULL || max == SIZE_MAX)
        return lg_error_set(LEDGER_EINVAL, "http fetch: bad argument");
    if ((rc = check_path(path, 0)) < 0)
        return rc;
    snprintf(f->url, sizeof f->url, "%s/%s", f->prefix, path);
    memset(&s, 0, sizeof s);
    s.max = max;
    if ((rc = perform(f, &s, "GET", NULL, NULL, 0)) < 0) {
        /* message set */
    } else if (s.status == 404 || s.status == 410) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "%s: HTTP status %ld", f->url, s.status);
    } else if (s.status != 200) {
        rc = lg_error_set(LEDGER_EIO, "%s: HTTP status %ld", f->url, s.status);
    } else {
        if (s.data != NULL)
            s.data[s.len] = '\0'; /* ledger_buf convention: a NUL after the bytes */
        out->data = s.data;
        out->len = s.len;
        s.data = NULL;
    }
    lg_free(s.data);
    return rc;
}

int
ledger_http_request(ledger_http_status *st, ledger_buf *out, ledger_http_fetcher *f,
                    const char *method, const char *path, const char *content_type,
                    const uint8_t *body, size_t len, size_t max)
{
    sink s;
    int rc;

    if (out != NULL) {
        out->data = NULL;
        out->len = 0;
    }
    if (st != NULL)
        memset(st, 0, sizeof *st);
    if (st == NULL || f == NULL || method == NULL || path == NULL || out == NULL ||
        max == SIZE_MAX || (body == NULL && len > 0) ||
        (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0))
        return lg_error_set(LEDGER_EINVAL, "http request: bad argument");
    if ((rc = check_path(path, 1)) < 0)
        return rc;
    snprintf(f->url, sizeof f->url, "%s/%s", f->prefix, path);
    memset(&s, 0, sizeof s);
    s.max = max;
    s.any_status = 1;
    if ((rc = perform(f, &s, method, content_type, body, len)) == 0) {
        st->status = s.status;
        st->retry_after_s = s.retry_after_s;
        if (s.data == NULL && ledger_buf_alloc(out, 0) < 0) {
            rc = lg_error_nomem();
        } else if (s.data != NULL) {
            s.data[s.len] = '\0';
            out->data = s.data;
            out->len = s.len;
            s.data = NULL;
        }
    }
    lg_free(s.data);
    return rc;
}
