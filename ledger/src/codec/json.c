/*
 * json.c - proto3 JSON <-> protobuf-c messages, driven by descriptors: the
 * pieces both directions share, and JSON text in and out.
 *
 * Method: one generic walker per direction over ProtobufCMessageDescriptor
 * (https://protobuf.dev/programming-guides/proto3/#json, protobuf-c 1.4
 * in-memory layout), so a schema change needs no code here. The choices
 * that the spec leaves open are listed in json.h and docs/FORMATS.md.
 *
 * The module's files (json_int.h declares what they share):
 *   json.c         jansson's allocator hooks, lg_json_load() and
 *                  lg_json_dump(), JSON paths and error messages, the UTF-8
 *                  check and the repeated-element sizes;
 *   json_decode.c  JSON -> message, lg_json_decode();
 *   json_encode.c  message -> JSON, lg_json_encode();
 *   json_time.c    google.protobuf.Timestamp as an RFC 3339 string.
 *
 * Invariants of the whole module (each walker states its own at its top):
 *   - An allocation failure anywhere, jansson's parser included, is
 *     LEDGER_ENOMEM, never a partial or altered value.
 *   - Depth is bounded twice: lg_json_load() rejects text nested deeper than
 *     LG_JSON_MAX_DEPTH before jansson (which recurses) sees it, and the
 *     walkers, the only recursive code here, stop at the same depth. Input
 *     size is bounded by LG_JSON_MAX_INPUT.
 *   - Error messages are one line, "<path>: <problem>", where the path is
 *     the JSON keys and [i] indexes leading to the bad value
 *     ("header.created: invalid timestamp \"2017-13-01T00:00:00Z\"").
 *     Values quoted in messages are escaped and truncated.
 */
#include "codec/json.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "codec/json_int.h"

/* ---- jansson's allocator ---- */

/*
 * jansson's allocations go through lg_malloc, wrapped to note failures.
 * jansson 2.14's lexer ignores a failed growth of its token buffer
 * (akheron/jansson#362): the byte is dropped and parsing goes on, so it can
 * return a value that differs from the text. A parse during which any
 * allocation failed is therefore ENOMEM, whatever jansson returned. (When
 * the dropped byte ends a string, jansson also reads and writes past its
 * buffer; only a fixed jansson or another parser can prevent that.)
 */
_Thread_local int lg_json_alloc_failed;
static _Thread_local unsigned long jansson_alloc_failures;

static void *
jansson_malloc(size_t n)
{
    void *p = lg_malloc(n);

    if (p == NULL) {
        lg_json_alloc_failed = 1;
        jansson_alloc_failures++;
    }
    return p;
}

unsigned long
lg_json_alloc_failures(void)
{
    return jansson_alloc_failures;
}

void
lg_json_init(void)
{
    json_set_alloc_funcs(jansson_malloc, lg_free);
}

/* ---- JSON paths for error messages ---- */

#define PATH_CAP (sizeof(((json_path *)0)->seg) / sizeof(path_seg))

void
lg_json_path_push_key(json_path *p, const char *key, size_t len)
{
    if (p->n < PATH_CAP) {
        p->seg[p->n].key = key;
        p->seg[p->n].len = len;
        p->seg[p->n].index = 0;
    }
    p->n++;
}

void
lg_json_path_push_index(json_path *p, size_t index)
{
    if (p->n < PATH_CAP) {
        p->seg[p->n].key = NULL;
        p->seg[p->n].len = 0;
        p->seg[p->n].index = index;
    }
    p->n++;
}

void
lg_json_path_pop(json_path *p)
{
    assert(p->n > 0);
    p->n--;
}

/* Only keys that named a field are pushed, so segments are identifiers. */
static void
path_format(char *buf, size_t cap, const json_path *p)
{
    size_t off = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < p->n && i < PATH_CAP; i++) {
        const path_seg *s = &p->seg[i];
        int w;

        if (s->key != NULL)
            w = snprintf(buf + off, cap - off, "%s%.*s", i > 0 ? "." : "",
                         (int)(s->len > 64 ? 64 : s->len), s->key);
        else
            w = snprintf(buf + off, cap - off, "[%zu]", s->index);
        if (w < 0 || (size_t)w >= cap - off)
            return; /* truncated; the message is cut at 255 bytes anyway */
        off += (size_t)w;
    }
}

/* Set the error as "<path>: <message>" (just the message at the top level). */
int
lg_json_fail(const json_path *p, int code, const char *fmt, ...)
{
    char where[256];
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    path_format(where, sizeof where, p);
    if (where[0] == '\0')
        return lg_error_set(code, "%s", what);
    return lg_error_set(code, "%s: %s", where, what);
}

int
lg_json_fail_depth(const json_path *p)
{
    return lg_json_fail(p, LEDGER_EFORMAT, "nesting deeper than %d levels", LG_JSON_MAX_DEPTH);
}

/* ---- strings and layout ---- */

/* RFC 3629: shortest form, no surrogates, nothing above U+10FFFF. */
int
lg_json_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* In-memory size of one element of a repeated field (protobuf-c 1.4). */
size_t
lg_json_elt_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    }
    return 0;
}

/* ---- JSON text ---- */

/* Make jansson's error text safe for a one-line message. */
static void
sanitize(char *s)
{
    int utf8 = lg_json_utf8_valid(s, strlen(s));

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
            *s = '?';
    }
}

/*
 * Reject deep nesting before jansson, whose parser recurses once per level
 * (up to its own limit of 2048). Brackets inside strings do not count.
 * Lines and columns are counted as jansson does (columns in characters).
 */
static int
check_depth(const char *text, size_t len)
{
    int depth = 0, in_string = 0, escaped = 0;
    int line = 1, column = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if (c == '\n') {
            line++;
            column = 0;
            continue;
        }
        if ((c & 0xc0) != 0x80)
            column++;
        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > LG_JSON_MAX_DEPTH)
                return lg_error_set(LEDGER_EFORMAT,
                                    "line %d column %d: nesting deeper than %d levels", line,
                                    column, LG_JSON_MAX_DEPTH);
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

int
lg_json_load(json_t **out, const char *text, size_t len)
{
    json_error_t err;
    json_t *v;
    int rc;

    assert(out != NULL);
    assert(text != NULL || len == 0);
    if (out == NULL || (text == NULL && len != 0))
        return lg_error_set(LEDGER_EINVAL, "lg_json_load: invalid argument");
    *out = NULL;
    if (text == NULL)
        text = "";
    if (len > LG_JSON_MAX_INPUT)
        return lg_error_set(LEDGER_EFORMAT, "JSON input is %zu bytes, max %u", len,
                            (unsigned)LG_JSON_MAX_INPUT);
    if ((rc = check_depth(text, len)) < 0)
        return rc;
    lg_json_alloc_failed = 0;
    v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (lg_json_alloc_failed) {
        json_decref(v);
        return lg_error_nomem();
    }
    if (v == NULL) {
        /* Without lg_json_init() an allocation failure shows only as a
         * missing message (jansson sets none when it cannot start). */
        if (json_error_code(&err) == json_error_out_of_memory || err.text[0] == '\0')
            return lg_error_nomem();
        sanitize(err.text);
        return lg_error_set(LEDGER_EFORMAT, "line %d column %d: %s", err.line, err.column,
                            err.text);
    }
    *out = v;
    return 0;
}

const char *
lg_json_version(void)
{
    return jansson_version_str();
}

int
lg_json_dump(ledger_buf *out, const json_t *value, int pretty)
{
    size_t flags = (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_ENCODE_ANY;
    size_t n, m;
    char *buf;

    assert(out != NULL && value != NULL);
    if (out == NULL || value == NULL)
        return lg_error_set(LEDGER_EINVAL, "lg_json_dump: invalid argument");
    out->data = NULL;
    out->len = 0;
    /* Measure, then write into our own allocation, so the buffer is lg
     * memory whichever allocator jansson was given. jansson fails only
     * when its loop check cannot allocate. */
    if ((n = json_dumpb(value, NULL, 0, flags)) == 0)
        return lg_error_nomem();
    if ((buf = lg_malloc(n + 1)) == NULL)
        return lg_error_nomem();
    if ((m = json_dumpb(value, buf, n, flags)) != n) {
        lg_free(buf);
        return lg_error_nomem();
    }
    buf[n] = '\0';
    out->data = (uint8_t *)buf;
    out->len = n;
    return 0;
}
