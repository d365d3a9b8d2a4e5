/*
 * serve_read.c - the read routes of `serve` (docs/HTTP.md): C2SP
 * tlog-tiles (/checkpoint, /tile/...), JSON in the CLI's --json shapes
 * (/entries/N, /records/ID, /proof/inclusion, /proof/consistency),
 * /receipt/N (tlog-proof text), /log.vkey, and optionally a static site.
 *
 * Nothing here writes. Each request is one or a few LMDB read transactions
 * on the calling pool thread (the store is opened MDB_NOTLS), so reads
 * never wait for the sequencer and see only committed state.
 *
 * Numbers in paths and queries are canonical decimal only: digits, no
 * sign, no leading zero (except "0"), at most 2^64 - 1; anything else is
 * 400. Tile paths are parsed by tiles.c, which accepts exactly the
 * canonical C2SP form, so "..", encoded traversal and odd spellings are
 * refused before any lookup. Static files are opened only under the site
 * directory, by a path of plain segments (no "..", no dot files, no
 * backslash), with O_NOFOLLOW on the last component.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrledger/error.h"
#include "attrledger/export.h"
#include "attrledger/proof.h"
#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "net/serve_int.h"

#define JSON_TYPE "application/json"
#define TEXT_TYPE "text/plain; charset=utf-8"
#define IMMUTABLE "public, max-age=31536000, immutable"
#define SHORT "public, max-age=5"
#define SITE_FILE_MAX (16u * 1024u * 1024u)

/* Canonical decimal uint64: 0 or the value; -1 if not canonical. */
static int
parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0' || (s[0] == '0' && s[1] != '\0'))
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* Strong ETag: the first 16 bytes of SHA-256 of the body, in hex. */
static void
etag(lg_http_response *resp, const uint8_t *body, size_t len)
{
    uint8_t h[32];
    char hex[33];

    lg_sha256(h, body, len);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    lg_http_add_header(resp, "ETag", "\"%s\"", hex);
}

/* Answer a library failure of a read. */
static int
read_error(lg_http_response *resp, int rc)
{
    const char *msg = ledger_error_last()->message;

    if (rc == LEDGER_ENOTFOUND)
        return lg_serve_error(resp, 404, "not_found", msg, -1);
    if (rc == LEDGER_EINVAL || rc == LEDGER_EFORMAT)
        return lg_serve_error(resp, 400, "bad_request", msg, -1);
    if (rc == LEDGER_ENOMEM)
        return lg_serve_error(resp, 503, "unavailable", msg, -1);
    return lg_serve_error(resp, 500, "internal", msg, -1);
}

static int
reply_buf(lg_http_response *resp, const char *type, ledger_buf *b, const char *cache)
{
    etag(resp, b->data, b->len);
    lg_http_add_header(resp, "Cache-Control", "%s", cache);
    lg_http_reply_owned(resp, 200, type, b->data, b->len);
    *b = (ledger_buf)LEDGER_BUF_INIT;
    return LG_HTTPD_DONE;
}

static int
h_checkpoint(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_buf b = LEDGER_BUF_INIT;
    int rc;

    (void)req;
    if ((rc = ledger_log_checkpoint_cosigned(&b, s->log, 0)) < 0)
        return read_error(resp, rc);
    return reply_buf(resp, TEXT_TYPE, &b, "public, max-age=2");
}

static int
h_tile(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_buf b = LEDGER_BUF_INIT;
    int full = 0, rc;

    /* req->path is "/tile/...": the tile path is relative. */
    rc = ledger_log_tile(&b, &full, s->log, req->path + 1, strlen(req->path + 1));
    if (rc == LEDGER_EFORMAT)
        return lg_serve_error(resp, 400, "bad_tile_path", ledger_error_last()->message, -1);
    if (rc < 0)
        return read_error(resp, rc);
    return reply_buf(resp, "application/octet-stream", &b, full ? IMMUTABLE : SHORT);
}

static int
entry_json(lg_http_response *resp, ledger_server *s, uint64_t index)
{
    ledger_buf leaf = LEDGER_BUF_INIT, json = LEDGER_BUF_INIT;
    int rc;

    if ((rc = ledger_log_entry(&leaf, s->log, index)) < 0)
        return read_error(resp, rc);
    rc = ledger_entry_to_json(&json, leaf.data, leaf.len, 1);
    ledger_buf_dispose(&leaf);
    if (rc < 0)
        return read_error(resp, rc);
    return reply_buf(resp, JSON_TYPE, &json, SHORT);
}

static int
h_entry(void *payload, lg_http_response *resp, lg_http_request *req)
{
    uint64_t index;

    if (parse_u64(req->path + strlen("/entries/"), &index) < 0)
        return lg_serve_error(resp, 400, "bad_number", "entry index is not a canonical number", -1);
    return entry_json(resp, payload, index);
}

static int
h_record(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    const char *id = req->path + strlen("/records/");
    uint64_t index;
    int rc;

    if (*id == '\0' || strlen(id) > LEDGER_ID_MAX)
        return lg_serve_error(resp, 400, "bad_request", "record_id is empty or too long", -1);
    if ((rc = ledger_log_lookup(&index, s->log, id)) < 0)
        return read_error(resp, rc);
    return entry_json(resp, s, index);
}

/* An optional canonical query number: 0 if absent. */
static int
query_u64(const lg_http_request *req, const char *name, uint64_t *out, int required)
{
    const char *v = lg_http_query(req, name);

    *out = 0;
    if (v == NULL)
        return required ? -1 : 0;
    return parse_u64(v, out);
}

static int
h_inclusion(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_inclusion_proof p;
    ledger_buf json = LEDGER_BUF_INIT;
    uint64_t index, size;
    int rc;

    if (query_u64(req, "index", &index, 1) < 0 || query_u64(req, "size", &size, 0) < 0)
        return lg_serve_error(resp, 400, "bad_number",
                              "index (required) and size must be canonical numbers", -1);
    if ((rc = ledger_log_prove_inclusion(&p, s->log, index, size)) < 0 ||
        (rc = ledger_inclusion_proof_to_json(&json, &p)) < 0)
        return read_error(resp, rc);
    return reply_buf(resp, JSON_TYPE, &json, SHORT);
}

static int
h_consistency(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_consistency_proof p;
    ledger_buf json = LEDGER_BUF_INIT;
    uint64_t old_size, new_size;
    int rc;

    if (query_u64(req, "old", &old_size, 1) < 0 || query_u64(req, "new", &new_size, 0) < 0)
        return lg_serve_error(resp, 400, "bad_number",
                              "old (required) and new must be canonical numbers", -1);
    if ((rc = ledger_log_prove_consistency(&p, s->log, old_size, new_size)) < 0 ||
        (rc = ledger_consistency_proof_to_json(&json, &p)) < 0)
        return read_error(resp, rc);
    return reply_buf(resp, JSON_TYPE, &json, SHORT);
}

static int
h_receipt(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    ledger_buf b = LEDGER_BUF_INIT;
    uint64_t index;
    int rc;

    if (parse_u64(req->path + strlen("/receipt/"), &index) < 0)
        return lg_serve_error(resp, 400, "bad_number", "entry index is not a canonical number", -1);
    if ((rc = ledger_log_receipt(&b, s->log, index, 0, 1)) < 0)
        return read_error(resp, rc == LEDGER_EINVAL ? LEDGER_ENOTFOUND : rc);
    return reply_buf(resp, TEXT_TYPE, &b, SHORT);
}

static int
h_vkey(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;

    (void)req;
    lg_http_add_header(resp, "Cache-Control", "%s", "public, max-age=3600");
    return lg_http_reply(resp, 200, TEXT_TYPE, s->vkey);
}

/* ---- static site ---- */

static const char *
mime(const char *path)
{
    static const struct {
        const char *ext, *type;
    } t[] = {{".html", "text/html; charset=utf-8"},
             {".css", "text/css; charset=utf-8"},
             {".js", "text/javascript; charset=utf-8"},
             {".json", JSON_TYPE},
             {".svg", "image/svg+xml"},
             {".png", "image/png"},
             {".txt", TEXT_TYPE},
             {".ico", "image/x-icon"}};
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot != NULL && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(dot, t[i].ext) == 0)
            return t[i].type;
    return "application/octet-stream";
}

/* A site path of plain segments: no empty, ".", ".." or dot-file segment,
 * no backslash or control byte. "/" means "/index.html". */
static int
site_path_ok(const char *p)
{
    const char *seg = p + 1;

    if (p[0] != '/' || strlen(p) > LG_SITE_REQUEST_MAX)
        return 0;
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == '\\' || (unsigned char)*c == 0x7f)
            return 0;
    while (*seg) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);

        if (n == 0 ? end != NULL : seg[0] == '.')
            return 0;
        if (end == NULL)
            break;
        seg = end + 1;
    }
    return 1;
}

static int
h_site(void *payload, lg_http_response *resp, lg_http_request *req)
{
    ledger_server *s = payload;
    char path[LG_SITE_PATH_MAX];
    struct stat st;
    uint8_t *buf = NULL;
    size_t n = strlen(req->path);
    ssize_t got;
    size_t off = 0;
    int fd;

    if (!site_path_ok(req->path))
        return lg_serve_error(resp, 404, "not_found", "no such file", -1);
    /* Fits: ledger_server_new checked the directory's length. */
    snprintf(path, sizeof path, "%s%s%s", s->o.site_dir, req->path,
             req->path[n - 1] == '/' ? "index.html" : "");
    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return lg_serve_error(resp, 404, "not_found", "no such file", -1);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > SITE_FILE_MAX ||
        (buf = lg_malloc((size_t)st.st_size + 1)) == NULL) {
        close(fd);
        return lg_serve_error(resp, 404, "not_found", "no such file", -1);
    }
    while (off < (size_t)st.st_size && ((got = read(fd, buf + off, (size_t)st.st_size - off)) > 0 ||
                                        (got < 0 && errno == EINTR)))
        off += got > 0 ? (size_t)got : 0;
    close(fd);
    etag(resp, buf, off);
    lg_http_add_header(resp, "Cache-Control", "%s", "public, max-age=60");
    lg_http_add_header(resp, "X-Content-Type-Options", "%s", "nosniff");
    return lg_http_reply_owned(resp, 200, mime(path), buf, off);
}

size_t
lg_serve_read_routes(lg_httpd_route *r, size_t max, const ledger_server *s)
{
    const lg_httpd_route all[] = {
        {"GET", "/checkpoint", 0, "checkpoint", h_checkpoint},
        {"GET", "/tile/", 1, "tile", h_tile},
        {"GET", "/entries/", 1, "entries", h_entry},
        {"GET", "/records/", 1, "records", h_record},
        {"GET", "/proof/inclusion", 0, "proof-inclusion", h_inclusion},
        {"GET", "/proof/consistency", 0, "proof-consistency", h_consistency},
        {"GET", "/receipt/", 1, "receipt", h_receipt},
        {"GET", "/log.vkey", 0, "log-vkey", h_vkey},
        {"GET", "/", 1, "site", h_site}, /* last: matches every path */
    };
    size_t n = sizeof all / sizeof all[0];

    if (s->o.site_dir == NULL)
        n--;
    if (n > max)
        n = max;
    memcpy(r, all, n * sizeof all[0]);
    return n;
}
