/*
 * json.c - proto3 JSON <-> protobuf-c messages, driven by descriptors.
 *
 * Method: one generic walker per direction over ProtobufCMessageDescriptor
 * (https://protobuf.dev/programming-guides/proto3/#json, protobuf-c 1.4
 * in-memory layout), so a schema change needs no code here. The choices
 * that the spec leaves open are listed in json.h and docs/FORMATS.md.
 *
 * Invariants:
 *   - Decoding builds the message in place with the lg protobuf allocator,
 *     and every pointer in it is, at every moment, either the descriptor's
 *     default or owned memory. On any error the caller of the walker frees
 *     the partial message with protobuf_c_message_free_unpacked(), which
 *     therefore frees exactly what was allocated.
 *   - Decoding never creates what the JSON does not say: `null` leaves a
 *     field at its default (no empty sub-message, no oneof case), arrays
 *     keep their order, and a oneof case is set only for a non-null member.
 *     protobuf_c_message_pack() of the result is then the canonical
 *     encoding (fields in tag order, defaults omitted).
 *   - Encoding writes what protobuf_c_message_pack() would write: proto3
 *     scalars at their default are omitted, a set oneof member is always
 *     written (that is how "stix_value": 0 keeps its presence), and a
 *     non-NULL sub-message is written even when empty ({}).
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
 *
 * google.protobuf.Timestamp is the one well-known type with a special JSON
 * form: an RFC 3339 string (RFC 3339 section 5.6, restricted to the proto3
 * range 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z).
 */
#include "json.h"

#include <assert.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "alloc.h"
#include "b64.h"
#include "error.h"

#define MEMBER(msg, off) ((void *)((char *)(msg) + (off)))
#define CMEMBER(msg, off) ((const void *)((const char *)(msg) + (off)))

/* proto3 Timestamp range: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TS_MIN_SECONDS INT64_C(-62135596800)
#define TS_MAX_SECONDS INT64_C(253402300799)

/* Bytes of a bad value shown in an error message. */
#define QUOTE_MAX 64

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
static _Thread_local int jansson_alloc_failed;
static _Thread_local unsigned long jansson_alloc_failures;

static void *
jansson_malloc(size_t n)
{
    void *p = lg_malloc(n);

    if (p == NULL) {
        jansson_alloc_failed = 1;
        jansson_alloc_failures++;
    }
    return p;
}

unsigned long
lg_json_alloc_failures(void)
{
    return jansson_alloc_failures;
}

/* ---- JSON paths for error messages ---- */

typedef struct {
    const char *key; /* NULL for an array index */
    size_t len;
    size_t index;
} path_seg;

/*
 * A path has at most one segment per nesting level plus the leaf key; the
 * walkers check the depth before they push, so the array never overflows
 * (path_push() still refuses to write past it).
 */
typedef struct {
    path_seg seg[LG_JSON_MAX_DEPTH + 2];
    size_t n;
} json_path;

#define PATH_CAP (sizeof(((json_path *)0)->seg) / sizeof(path_seg))

static void
path_push_key(json_path *p, const char *key, size_t len)
{
    if (p->n < PATH_CAP) {
        p->seg[p->n].key = key;
        p->seg[p->n].len = len;
        p->seg[p->n].index = 0;
    }
    p->n++;
}

static void
path_push_index(json_path *p, size_t index)
{
    if (p->n < PATH_CAP) {
        p->seg[p->n].key = NULL;
        p->seg[p->n].len = 0;
        p->seg[p->n].index = index;
    }
    p->n++;
}

static void
path_pop(json_path *p)
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

static int fail(const json_path *p, int code, const char *fmt, ...) LG_PRINTF(3, 4);

/* Set the error as "<path>: <message>" (just the message at the top level). */
static int
fail(const json_path *p, int code, const char *fmt, ...)
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

static int
fail_depth(const json_path *p)
{
    return fail(p, LEDGER_EFORMAT, "nesting deeper than %d levels", LG_JSON_MAX_DEPTH);
}

/* ---- strings ---- */

/* RFC 3629: shortest form, no surrogates, nothing above U+10FFFF. */
static int
utf8_valid(const char *str, size_t len)
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

typedef struct {
    char s[(QUOTE_MAX + 4) * 4 + 8];
} quote_buf;

/*
 * Quote a value for an error message: escape quotes, backslashes and control
 * characters (messages stay one line), keep valid UTF-8 as it is, write other
 * bytes as \xNN, and cut after QUOTE_MAX bytes at a character boundary.
 */
static const char *
quote(quote_buf *q, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    int utf8 = utf8_valid(str, len);
    size_t o = 0;

    q->s[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        int lead = !utf8 || (c & 0xc0) != 0x80;

        if (lead && i >= QUOTE_MAX) {
            memcpy(q->s + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '"' || c == '\\') {
            q->s[o++] = '\\';
            q->s[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
            snprintf(q->s + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            q->s[o++] = (char)c;
        }
    }
    q->s[o++] = '"';
    q->s[o] = '\0';
    return q->s;
}

/* Make jansson's error text safe for a one-line message. */
static void
sanitize(char *s)
{
    int utf8 = utf8_valid(s, strlen(s));

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
            *s = '?';
    }
}

static const char *
kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "value";
}

static const char *
type_name(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32:
        return "int32";
    case PROTOBUF_C_TYPE_SINT32:
        return "sint32";
    case PROTOBUF_C_TYPE_SFIXED32:
        return "sfixed32";
    case PROTOBUF_C_TYPE_INT64:
        return "int64";
    case PROTOBUF_C_TYPE_SINT64:
        return "sint64";
    case PROTOBUF_C_TYPE_SFIXED64:
        return "sfixed64";
    case PROTOBUF_C_TYPE_UINT32:
        return "uint32";
    case PROTOBUF_C_TYPE_FIXED32:
        return "fixed32";
    case PROTOBUF_C_TYPE_UINT64:
        return "uint64";
    case PROTOBUF_C_TYPE_FIXED64:
        return "fixed64";
    case PROTOBUF_C_TYPE_FLOAT:
        return "float";
    case PROTOBUF_C_TYPE_DOUBLE:
        return "double";
    case PROTOBUF_C_TYPE_BOOL:
        return "bool";
    case PROTOBUF_C_TYPE_ENUM:
        return "enum";
    case PROTOBUF_C_TYPE_STRING:
        return "string";
    case PROTOBUF_C_TYPE_BYTES:
        return "bytes";
    case PROTOBUF_C_TYPE_MESSAGE:
        return "message";
    }
    return "?";
}

/* In-memory size of one element of a repeated field (protobuf-c 1.4). */
static size_t
elt_size(ProtobufCType t)
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

/* ---- google.protobuf.Timestamp ---- */

typedef struct {
    size_t seconds_offset;
    size_t nanos_offset;
} ts_layout;

/* Recognise Timestamp by name and check its layout before trusting it. */
static int
is_timestamp(ts_layout *out, const ProtobufCMessageDescriptor *desc)
{
    const ProtobufCFieldDescriptor *s, *n;

    if (strcmp(desc->name, "google.protobuf.Timestamp") != 0)
        return 0;
    s = protobuf_c_message_descriptor_get_field_by_name(desc, "seconds");
    n = protobuf_c_message_descriptor_get_field_by_name(desc, "nanos");
    if (s == NULL || n == NULL || s->type != PROTOBUF_C_TYPE_INT64 ||
        n->type != PROTOBUF_C_TYPE_INT32 || s->label == PROTOBUF_C_LABEL_REPEATED ||
        n->label == PROTOBUF_C_LABEL_REPEATED)
        return 0;
    out->seconds_offset = s->offset;
    out->nanos_offset = n->offset;
    return 1;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dim[m - 1];
}

/* n decimal digits at s, or -1. */
static long
digits(const char *s, size_t n)
{
    long v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*
 * Strict RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)",
 * uppercase T and Z, no leap second (Timestamp cannot hold one). Returns 0
 * or -1.
 */
static int
parse_rfc3339(int64_t *sec_out, int32_t *nanos_out, const char *s, size_t len)
{
    long year, mon, day, hour, min, sec, oh = 0, om = 0;
    int32_t nanos = 0;
    int sign = 0;
    size_t i = 19;
    int64_t t;

    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -1;
    year = digits(s, 4);
    mon = digits(s + 5, 2);
    day = digits(s + 8, 2);
    hour = digits(s + 11, 2);
    min = digits(s + 14, 2);
    sec = digits(s + 17, 2);
    if (year < 1 || mon < 1 || mon > 12 || day < 1 ||
        (unsigned long)day > days_in_month(year, (unsigned)mon) || hour < 0 || hour > 23 ||
        min < 0 || min > 59 || sec < 0 || sec > 59)
        return -1;
    if (s[i] == '.') {
        size_t nd = 0;

        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            if (nd == 9)
                return -1;
            nanos = nanos * 10 + (s[i] - '0');
        }
        if (nd == 0)
            return -1;
        for (; nd < 9; nd++)
            nanos *= 10;
    }
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '+' ? 1 : -1;
        if (len - i < 6 || s[i + 3] != ':')
            return -1;
        oh = digits(s + i + 1, 2);
        om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return -1;
        i += 6;
    } else {
        return -1;
    }
    if (i != len)
        return -1;
    t = lg_days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 + hour * 3600 + min * 60 + sec -
        sign * (oh * 3600 + om * 60);
    if (t < TS_MIN_SECONDS || t > TS_MAX_SECONDS)
        return -1;
    *sec_out = t;
    *nanos_out = nanos;
    return 0;
}

/* Format UTC with 0, 3, 6 or 9 fraction digits; buf holds 31 bytes. */
static int
format_rfc3339(char buf[32], int64_t seconds, int32_t nanos)
{
    int64_t days, rem, y;
    unsigned m, d;
    int n;

    if (seconds < TS_MIN_SECONDS || seconds > TS_MAX_SECONDS || nanos < 0 || nanos > 999999999)
        return -1;
    days = seconds / 86400;
    rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    lg_civil_from_days(days, &y, &m, &d);
    n = snprintf(buf, 32, "%04d-%02u-%02uT%02d:%02d:%02d", (int)y, m, d, (int)(rem / 3600),
                 (int)(rem / 60 % 60), (int)(rem % 60));
    if (nanos == 0)
        snprintf(buf + n, 32 - (size_t)n, "Z");
    else if (nanos % 1000000 == 0)
        snprintf(buf + n, 32 - (size_t)n, ".%03dZ", (int)(nanos / 1000000));
    else if (nanos % 1000 == 0)
        snprintf(buf + n, 32 - (size_t)n, ".%06dZ", (int)(nanos / 1000));
    else
        snprintf(buf + n, 32 - (size_t)n, ".%09dZ", (int)nanos);
    return 0;
}

/* ---- decoding scalars ---- */

/* A string value: valid UTF-8 without NUL (jansson's nocheck API and
 * json_stringn() can build values that break both). */
static int
get_string(const char **s_out, size_t *len_out, const json_t *v, const json_path *p,
           const char *expected)
{
    const char *s;
    size_t len;

    if (!json_is_string(v))
        return fail(p, LEDGER_EFORMAT, "expected %s, got %s", expected, kind(v));
    s = json_string_value(v);
    len = json_string_length(v);
    if (memchr(s, '\0', len) != NULL)
        return fail(p, LEDGER_EFORMAT, "NUL character in string");
    if (!utf8_valid(s, len))
        return fail(p, LEDGER_EFORMAT, "invalid UTF-8 in string");
    *s_out = s;
    *len_out = len;
    return 0;
}

/* An integer as sign and magnitude, with its text for messages. */
typedef struct {
    int neg;
    int big; /* magnitude of 2^64 or more: out of range for every type */
    uint64_t mag;
    char text[40];
} json_int;

/* A JSON integer, an integral JSON number, or a decimal string
 * "-?(0|[1-9][0-9]*)" (proto3 accepts both forms for every integer type). */
static int
get_integer(json_int *out, const json_t *v, const json_path *p)
{
    quote_buf q;

    out->neg = 0;
    out->big = 0;
    out->mag = 0;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);

        out->neg = x < 0;
        out->mag = x < 0 ? (uint64_t)(-(x + 1)) + 1 : (uint64_t)x;
        snprintf(out->text, sizeof out->text, "%" JSON_INTEGER_FORMAT, x);
        return 0;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        double a = fabs(d);

        /* 15 digits: the shortest form of what was typed, for people */
        snprintf(out->text, sizeof out->text, "%.15g", d);
        if (!isfinite(d))
            return fail(p, LEDGER_EFORMAT, "number %s is not an integer", out->text);
        out->neg = d < 0;
        if (a >= 18446744073709551616.0) {
            out->big = 1;
            return 0;
        }
        out->mag = (uint64_t)a;
        if ((double)out->mag != a)
            return fail(p, LEDGER_EFORMAT, "number %s is not an integer", out->text);
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        size_t i = 0;

        if (len > 0 && s[0] == '-') {
            out->neg = 1;
            i = 1;
        }
        if (i == len || (s[i] == '0' && len - i > 1))
            return fail(p, LEDGER_EFORMAT, "invalid integer %s", quote(&q, s, len));
        for (; i < len; i++) {
            unsigned dgt;

            if (s[i] < '0' || s[i] > '9')
                return fail(p, LEDGER_EFORMAT, "invalid integer %s", quote(&q, s, len));
            dgt = (unsigned)(s[i] - '0');
            if (out->mag > (UINT64_MAX - dgt) / 10)
                out->big = 1;
            else
                out->mag = out->mag * 10 + dgt;
        }
        snprintf(out->text, sizeof out->text, "%.*s%s", len > 30 ? 30 : (int)len, s,
                 len > 30 ? "..." : "");
        return 0;
    }
    return fail(p, LEDGER_EFORMAT, "expected integer, got %s", kind(v));
}

static int
get_signed(int64_t *out, const json_t *v, const json_path *p, ProtobufCType t, int bits)
{
    uint64_t lim = (uint64_t)1 << (bits - 1);
    json_int x;
    int rc;

    if ((rc = get_integer(&x, v, p)) < 0)
        return rc;
    if (x.big || (x.neg ? x.mag > lim : x.mag > lim - 1))
        return fail(p, LEDGER_EFORMAT, "integer %s out of range for %s", x.text, type_name(t));
    if (x.neg)
        *out = x.mag == 0 ? 0 : -(int64_t)(x.mag - 1) - 1;
    else
        *out = (int64_t)x.mag;
    return 0;
}

static int
get_unsigned(uint64_t *out, const json_t *v, const json_path *p, ProtobufCType t, int bits)
{
    uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    json_int x;
    int rc;

    if ((rc = get_integer(&x, v, p)) < 0)
        return rc;
    if (x.big || (x.neg && x.mag != 0) || x.mag > max)
        return fail(p, LEDGER_EFORMAT, "integer %s out of range for %s", x.text, type_name(t));
    *out = x.mag;
    return 0;
}

/* A JSON number, or "NaN", "Infinity", "-Infinity", or a JSON number in a
 * string (proto3 accepts both); float values must fit a float. */
static int
get_double(double *out, const json_t *v, const json_path *p, ProtobufCType t)
{
    quote_buf q;
    double d;

    if (json_is_number(v)) {
        d = json_number_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);

        if (len == 3 && memcmp(s, "NaN", 3) == 0) {
            d = NAN;
        } else if (len == 8 && memcmp(s, "Infinity", 8) == 0) {
            d = INFINITY;
        } else if (len == 9 && memcmp(s, "-Infinity", 9) == 0) {
            d = -INFINITY;
        } else {
            /* A JSON number in a string: let jansson's number grammar
             * (locale-independent) decide; it would skip whitespace, so
             * the text must start and end like a number. */
            json_error_t err;
            json_t *num = NULL;

            if (len > 0 && len <= 64 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) &&
                s[len - 1] >= '0' && s[len - 1] <= '9') {
                jansson_alloc_failed = 0;
                num = json_loadb(s, len, JSON_DECODE_ANY, &err);
                if (jansson_alloc_failed ||
                    (num == NULL &&
                     (json_error_code(&err) == json_error_out_of_memory || err.text[0] == '\0'))) {
                    json_decref(num);
                    return lg_error_nomem();
                }
            }
            if (num == NULL || !json_is_number(num)) {
                json_decref(num);
                return fail(p, LEDGER_EFORMAT, "invalid number %s", quote(&q, s, len));
            }
            d = json_number_value(num);
            json_decref(num);
        }
    } else {
        return fail(p, LEDGER_EFORMAT, "expected number, got %s", kind(v));
    }
    if (t == PROTOBUF_C_TYPE_FLOAT && isfinite(d) && fabs(d) > FLT_MAX)
        return fail(p, LEDGER_EFORMAT, "number %.15g out of range for float", d);
    *out = d;
    return 0;
}

/* An enum value by name, or by the number of a defined value. */
static int
get_enum(int *out, const ProtobufCEnumDescriptor *ed, const json_t *v, const json_path *p)
{
    const ProtobufCEnumValue *ev;
    quote_buf q;

    if (json_is_string(v)) {
        const char *s = NULL;
        size_t len = 0;
        int rc;

        if ((rc = get_string(&s, &len, v, p, "string")) < 0)
            return rc;
        ev = protobuf_c_enum_descriptor_get_value_by_name(ed, s);
        if (ev == NULL)
            return fail(p, LEDGER_EFORMAT, "unknown enum value %s for %s", quote(&q, s, len),
                        ed->name);
        *out = ev->value;
        return 0;
    }
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);

        ev = NULL;
        if (x >= INT32_MIN && x <= INT32_MAX)
            ev = protobuf_c_enum_descriptor_get_value(ed, (int)x);
        if (ev == NULL)
            return fail(p, LEDGER_EFORMAT, "unknown enum value %" JSON_INTEGER_FORMAT " for %s", x,
                        ed->name);
        *out = ev->value;
        return 0;
    }
    return fail(p, LEDGER_EFORMAT, "expected enum name or number, got %s", kind(v));
}

/*
 * bytes: standard or URL-safe base64 (RFC 4648 sections 4 and 5), padded or
 * not, as proto3 requires. The text is normalised to padded standard base64
 * and decoded by the strict lg_b64_decode (which also rejects non-zero
 * trailing bits, so each byte string has one accepted text per alphabet).
 */
static int
decode_bytes(ProtobufCBinaryData *bd, const json_t *v, const json_path *p)
{
    const char *s;
    size_t len, padded;
    int has_std = 0, has_url = 0, has_pad = 0;
    char *tmp = NULL;
    uint8_t *data = NULL;
    size_t n;
    int rc = 0;

    if (!json_is_string(v))
        return fail(p, LEDGER_EFORMAT, "expected base64 string, got %s", kind(v));
    s = json_string_value(v);
    len = json_string_length(v);
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        has_std |= s[i] == '+' || s[i] == '/';
        has_url |= s[i] == '-' || s[i] == '_';
        has_pad |= s[i] == '=';
    }
    if ((has_std && has_url) || (has_pad && len % 4 != 0) || len % 4 == 1)
        return fail(p, LEDGER_EFORMAT, "invalid base64");
    padded = (len + 3) / 4 * 4;
    if (has_url || padded != len) {
        if ((tmp = lg_malloc(padded)) == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
        for (size_t i = 0; i < len; i++)
            tmp[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
        memset(tmp + len, '=', padded - len);
        s = tmp;
    }
    if ((data = lg_malloc(padded / 4 * 3)) == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if (lg_b64_decode(data, &n, s, padded) < 0) {
        rc = fail(p, LEDGER_EFORMAT, "invalid base64");
        goto done;
    }
    bd->data = data;
    bd->len = n;
    data = NULL;
done:
    lg_free(data);
    lg_free(tmp);
    return rc;
}

static int
decode_timestamp(ProtobufCMessage *msg, const ts_layout *ts, const json_t *v, const json_path *p)
{
    const char *s = NULL;
    size_t len = 0;
    int64_t seconds;
    int32_t nanos;
    quote_buf q;
    int rc;

    if ((rc = get_string(&s, &len, v, p, "timestamp string")) < 0)
        return rc;
    if (parse_rfc3339(&seconds, &nanos, s, len) < 0)
        return fail(p, LEDGER_EFORMAT, "invalid timestamp %s", quote(&q, s, len));
    *(int64_t *)MEMBER(msg, ts->seconds_offset) = seconds;
    *(int32_t *)MEMBER(msg, ts->nanos_offset) = nanos;
    return 0;
}

/* ---- decoding messages ---- */

static ProtobufCMessage *
new_message(const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *m = lg_malloc(desc->sizeof_message);

    if (m != NULL) {
        memset(m, 0, desc->sizeof_message); /* oneof unions and padding start zeroed */
        protobuf_c_message_init(desc, m);
    }
    return m;
}

static int decode_message(ProtobufCMessage *msg, const json_t *obj, json_path *p, int depth);

/* A message value: an object, or a string for Timestamp. */
static int
decode_into(ProtobufCMessage *msg, const json_t *v, json_path *p, int depth)
{
    ts_layout ts;

    if (is_timestamp(&ts, msg->descriptor))
        return decode_timestamp(msg, &ts, v, p);
    if (!json_is_object(v))
        return fail(p, LEDGER_EFORMAT, "expected object, got %s", kind(v));
    return decode_message(msg, v, p, depth);
}

/*
 * One value of field f into member. `depth` is the depth of the container
 * holding v. Empty strings are allocated only when `keep_empty` (oneof,
 * repeated and proto2 fields, where an empty value is still present);
 * a proto3 string at its default keeps the descriptor's default pointer.
 */
static int
decode_single(void *member, const ProtobufCFieldDescriptor *f, const json_t *v, json_path *p,
              int depth, int keep_empty)
{
    int64_t i64 = 0;
    uint64_t u64 = 0;
    double d = 0;
    int rc = 0;

    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if ((rc = get_signed(&i64, v, p, f->type, 32)) == 0)
            *(int32_t *)member = (int32_t)i64;
        return rc;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if ((rc = get_signed(&i64, v, p, f->type, 64)) == 0)
            *(int64_t *)member = i64;
        return rc;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if ((rc = get_unsigned(&u64, v, p, f->type, 32)) == 0)
            *(uint32_t *)member = (uint32_t)u64;
        return rc;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if ((rc = get_unsigned(&u64, v, p, f->type, 64)) == 0)
            *(uint64_t *)member = u64;
        return rc;
    case PROTOBUF_C_TYPE_FLOAT:
        if ((rc = get_double(&d, v, p, f->type)) == 0)
            *(float *)member = (float)d;
        return rc;
    case PROTOBUF_C_TYPE_DOUBLE:
        if ((rc = get_double(&d, v, p, f->type)) == 0)
            *(double *)member = d;
        return rc;
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v))
            return fail(p, LEDGER_EFORMAT, "expected boolean, got %s", kind(v));
        *(protobuf_c_boolean *)member = json_is_true(v);
        return 0;
    case PROTOBUF_C_TYPE_ENUM: {
        int e = 0;

        if ((rc = get_enum(&e, f->descriptor, v, p)) == 0)
            *(int *)member = e;
        return rc;
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = NULL;
        size_t len = 0;
        char *copy;

        if ((rc = get_string(&s, &len, v, p, "string")) < 0)
            return rc;
        if (len == 0 && !keep_empty)
            return 0;
        if ((copy = lg_strndup(s, len)) == NULL)
            return lg_error_nomem();
        *(char **)member = copy;
        return 0;
    }
    case PROTOBUF_C_TYPE_BYTES:
        return decode_bytes(member, v, p);
    case PROTOBUF_C_TYPE_MESSAGE: {
        ProtobufCMessage *sub = new_message(f->descriptor);

        if (sub == NULL)
            return lg_error_nomem();
        *(ProtobufCMessage **)member = sub; /* owned by the parent from here on */
        return decode_into(sub, v, p, depth + 1);
    }
    }
    return fail(p, LEDGER_EINVAL, "unsupported field type %d", (int)f->type);
}

static int
decode_repeated(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const json_t *v,
                json_path *p, int depth)
{
    size_t n, size = elt_size(f->type);
    char *arr;
    int rc;

    if (!json_is_array(v))
        return fail(p, LEDGER_EFORMAT, "expected array, got %s", kind(v));
    if (depth + 1 > LG_JSON_MAX_DEPTH)
        return fail_depth(p);
    if ((n = json_array_size(v)) == 0)
        return 0;
    /* Zeroed elements are safe to free, so the array belongs to the
     * message before any element is decoded. */
    if ((arr = lg_calloc(n, size)) == NULL)
        return lg_error_nomem();
    *(size_t *)MEMBER(msg, f->quantifier_offset) = n;
    *(void **)MEMBER(msg, f->offset) = arr;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);

        path_push_index(p, i);
        if (json_is_null(e))
            rc = fail(p, LEDGER_EFORMAT, "null is not allowed in an array");
        else
            rc = decode_single(arr + i * size, f, e, p, depth + 1, 1);
        path_pop(p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
decode_field(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const json_t *v,
             json_path *p, int depth)
{
    void *member = MEMBER(msg, f->offset);
    int rc;

    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return decode_repeated(msg, f, v, p, depth);
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        /* Set the case first, so a sub-message allocated below is freed
         * with the parent if decoding it fails. The union held nothing. */
        memset(member, 0, elt_size(f->type));
        *(uint32_t *)MEMBER(msg, f->quantifier_offset) = f->id;
        return decode_single(member, f, v, p, depth, 1);
    }
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
        f->type != PROTOBUF_C_TYPE_MESSAGE) {
        if ((rc = decode_single(member, f, v, p, depth, 1)) == 0)
            *(protobuf_c_boolean *)MEMBER(msg, f->quantifier_offset) = 1;
        return rc;
    }
    return decode_single(member, f, v, p, depth, f->label != PROTOBUF_C_LABEL_NONE);
}

/* Does key equal the lowerCamelCase json_name protoc derives from name? */
static int
json_name_equals(const char *name, const char *key)
{
    int upper = 0;

    for (; *name != '\0'; name++) {
        char c = *name;

        if (c == '_') {
            upper = 1;
            continue;
        }
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper = 0;
        if (*key++ != c)
            return 0;
    }
    return *key == '\0';
}

static const ProtobufCFieldDescriptor *
find_field(const ProtobufCMessageDescriptor *desc, const char *key, int *by_json_name)
{
    const ProtobufCFieldDescriptor *f;

    *by_json_name = 0;
    if ((f = protobuf_c_message_descriptor_get_field_by_name(desc, key)) != NULL)
        return f;
    for (unsigned i = 0; i < desc->n_fields; i++) {
        if (json_name_equals(desc->fields[i].name, key)) {
            *by_json_name = 1;
            return desc->fields + i;
        }
    }
    return NULL;
}

static size_t
key_len(void *iter, const char *key)
{
#if JANSSON_VERSION_HEX >= 0x020e00
    (void)key;
    return json_object_iter_key_len(iter);
#else
    (void)iter;
    return strlen(key);
#endif
}

/*
 * Members in document order, so the first problem in the text is the one
 * reported. jansson's iterator API takes a non-const object but does not
 * modify it.
 */
static int
decode_message(ProtobufCMessage *msg, const json_t *obj, json_path *p, int depth)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    json_t *o = (json_t *)obj;
    quote_buf q;
    int rc;

    if (depth > LG_JSON_MAX_DEPTH)
        return fail_depth(p);
    for (void *it = json_object_iter(o); it != NULL; it = json_object_iter_next(o, it)) {
        const char *key = json_object_iter_key(it);
        size_t klen = key_len(it, key);
        const json_t *v = json_object_iter_value(it);
        const ProtobufCFieldDescriptor *f = NULL;
        int by_json_name = 0;

        if (strlen(key) == klen)
            f = find_field(desc, key, &by_json_name);
        if (f == NULL)
            return fail(p, LEDGER_EFORMAT, "unknown field %s", quote(&q, key, klen));
        /* "stixValue" and "stix_value" are the same field: only one may be
         * given, whatever the order (checked from the camelCase side). */
        if (by_json_name && json_object_get(obj, f->name) != NULL)
            return fail(p, LEDGER_EFORMAT, "field \"%s\" given twice (also as \"%s\")", f->name,
                        key);
        if (json_is_null(v))
            continue; /* the default: nothing is created, no oneof case set */
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t c = *(const uint32_t *)CMEMBER(msg, f->quantifier_offset);

            if (c != 0) {
                const ProtobufCFieldDescriptor *g =
                    protobuf_c_message_descriptor_get_field(desc, c);
                return fail(p, LEDGER_EFORMAT, "oneof fields \"%s\" and \"%s\" are both set",
                            g != NULL ? g->name : "?", f->name);
            }
        }
        path_push_key(p, key, klen);
        rc = decode_field(msg, f, v, p, depth);
        path_pop(p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- encoding ---- */

static int
new_value(json_t **out, json_t *v)
{
    if (v == NULL)
        return lg_error_nomem();
    *out = v;
    return 0;
}

static int encode_message(json_t **out, const ProtobufCMessage *msg, json_path *p, int depth);

static int
encode_single(json_t **out, const ProtobufCFieldDescriptor *f, const void *member, json_path *p,
              int depth)
{
    char num[32];

    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return new_value(out, json_integer(*(const int32_t *)member));
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return new_value(out, json_integer(*(const uint32_t *)member));
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        /* 64-bit integers are strings: JSON readers often hold numbers as
         * doubles, which lose precision above 2^53. */
        snprintf(num, sizeof num, "%" PRId64, *(const int64_t *)member);
        return new_value(out, json_string_nocheck(num));
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        snprintf(num, sizeof num, "%" PRIu64, *(const uint64_t *)member);
        return new_value(out, json_string_nocheck(num));
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: {
        double d = f->type == PROTOBUF_C_TYPE_FLOAT ? (double)*(const float *)member
                                                    : *(const double *)member;
        if (isnan(d))
            return new_value(out, json_string_nocheck("NaN"));
        if (isinf(d))
            return new_value(out, json_string_nocheck(d > 0 ? "Infinity" : "-Infinity"));
        return new_value(out, json_real(d));
    }
    case PROTOBUF_C_TYPE_BOOL:
        return new_value(out, json_boolean(*(const protobuf_c_boolean *)member));
    case PROTOBUF_C_TYPE_ENUM: {
        int e = *(const int *)member;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, e);

        /* A value this schema does not know (open enum) stays a number. */
        if (ev == NULL)
            return new_value(out, json_integer(e));
        return new_value(out, json_string_nocheck(ev->name));
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)member;
        size_t len;

        if (s == NULL)
            s = "";
        len = strlen(s);
        /* protobuf-c does not check UTF-8 on unpack. */
        if (!utf8_valid(s, len))
            return fail(p, LEDGER_EFORMAT, "invalid UTF-8 in string");
        return new_value(out, json_stringn_nocheck(s, len));
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *bd = member;
        char *b64;
        int rc;

        if (bd->len > LG_JSON_MAX_INPUT)
            return fail(p, LEDGER_EFORMAT, "bytes field of %zu bytes is too long for JSON",
                        bd->len);
        if ((b64 = lg_b64_encode_alloc(bd->data, bd->len)) == NULL)
            return lg_error_nomem();
        rc = new_value(out, json_string_nocheck(b64));
        lg_free(b64);
        return rc;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)member;

        /* Only a repeated element can be NULL here; pack writes it as an
         * empty message, and so do we. */
        if (sub == NULL)
            return new_value(out, json_object());
        return encode_message(out, sub, p, depth + 1);
    }
    }
    return fail(p, LEDGER_EINVAL, "unsupported field type %d", (int)f->type);
}

static int
encode_repeated(json_t **out, const ProtobufCFieldDescriptor *f, const ProtobufCMessage *msg,
                json_path *p, int depth)
{
    size_t n = *(const size_t *)CMEMBER(msg, f->quantifier_offset);
    const char *arr = *(char *const *)CMEMBER(msg, f->offset);
    size_t size = elt_size(f->type);
    json_t *a = NULL;
    int rc = 0;

    if (depth + 1 > LG_JSON_MAX_DEPTH)
        return fail_depth(p);
    if (arr == NULL)
        return fail(p, LEDGER_EINVAL, "repeated field has %zu elements and no array", n);
    if ((a = json_array()) == NULL)
        return lg_error_nomem();
    for (size_t i = 0; i < n; i++) {
        json_t *e = NULL;

        path_push_index(p, i);
        rc = encode_single(&e, f, arr + i * size, p, depth + 1);
        path_pop(p);
        if (rc < 0)
            goto done;
        if (json_array_append_new(a, e) < 0) {
            rc = lg_error_nomem();
            goto done;
        }
    }
    *out = a;
    a = NULL;
done:
    json_decref(a);
    return rc;
}

/* Would protobuf_c_message_pack() write this field? */
static int
field_present(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f)
{
    const void *member = CMEMBER(msg, f->offset);
    const void *ptr = NULL;

    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return *(const size_t *)CMEMBER(msg, f->quantifier_offset) > 0;
    if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
        ptr = *(const void *const *)member;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        if (*(const uint32_t *)CMEMBER(msg, f->quantifier_offset) != f->id)
            return 0;
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
            return ptr != NULL && ptr != f->default_value;
        return 1; /* a set member is written even when zero: presence */
    }
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL) {
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
            return ptr != NULL && ptr != f->default_value;
        return *(const protobuf_c_boolean *)CMEMBER(msg, f->quantifier_offset);
    }
    if (f->label == PROTOBUF_C_LABEL_REQUIRED)
        return f->type != PROTOBUF_C_TYPE_MESSAGE || ptr != NULL;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return *(const uint32_t *)member != 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return *(const uint64_t *)member != 0;
    case PROTOBUF_C_TYPE_FLOAT:
        return *(const float *)member != 0; /* -0 too, as protobuf-c */
    case PROTOBUF_C_TYPE_DOUBLE:
        return *(const double *)member != 0;
    case PROTOBUF_C_TYPE_BOOL:
        return *(const protobuf_c_boolean *)member != 0;
    case PROTOBUF_C_TYPE_ENUM:
        return *(const int *)member != 0;
    case PROTOBUF_C_TYPE_STRING:
        return ptr != NULL && *(const char *)ptr != '\0';
    case PROTOBUF_C_TYPE_BYTES:
        return ((const ProtobufCBinaryData *)member)->len > 0;
    case PROTOBUF_C_TYPE_MESSAGE:
        return ptr != NULL;
    }
    return 0;
}

static int
encode_message(json_t **out, const ProtobufCMessage *msg, json_path *p, int depth)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    json_t *obj = NULL;
    ts_layout ts;
    int rc = 0;

    if (depth > LG_JSON_MAX_DEPTH)
        return fail_depth(p);
    if (is_timestamp(&ts, desc)) {
        char buf[32];

        if (format_rfc3339(buf, *(const int64_t *)CMEMBER(msg, ts.seconds_offset),
                           *(const int32_t *)CMEMBER(msg, ts.nanos_offset)) < 0)
            return fail(p, LEDGER_EFORMAT, "invalid timestamp (seconds %" PRId64 ", nanos %d)",
                        *(const int64_t *)CMEMBER(msg, ts.seconds_offset),
                        (int)*(const int32_t *)CMEMBER(msg, ts.nanos_offset));
        return new_value(out, json_string_nocheck(buf));
    }
    /* JSON cannot carry fields this schema does not know; dropping them
     * would show a reader less than was signed. */
    if (msg->n_unknown_fields > 0)
        return fail(p, LEDGER_EFORMAT, "%u unknown protobuf field(s) cannot be written as JSON",
                    msg->n_unknown_fields);
    if ((obj = json_object()) == NULL)
        return lg_error_nomem();
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = desc->fields + i;
        json_t *v = NULL;

        if (!field_present(msg, f))
            continue;
        path_push_key(p, f->name, strlen(f->name));
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            rc = encode_repeated(&v, f, msg, p, depth);
        else
            rc = encode_single(&v, f, CMEMBER(msg, f->offset), p, depth);
        path_pop(p);
        if (rc < 0)
            goto done;
        /* Steals v, also on failure. */
        if (json_object_set_new_nocheck(obj, f->name, v) < 0) {
            rc = lg_error_nomem();
            goto done;
        }
    }
    *out = obj;
    obj = NULL;
done:
    json_decref(obj);
    return rc;
}

/* ---- public (internal) API ---- */

void
lg_json_init(void)
{
    json_set_alloc_funcs(jansson_malloc, lg_free);
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
    jansson_alloc_failed = 0;
    v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (jansson_alloc_failed) {
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

int
lg_json_decode(ProtobufCMessage **out, const ProtobufCMessageDescriptor *desc, const json_t *value)
{
    ProtobufCMessage *msg = NULL;
    json_path p;
    int rc;

    assert(out != NULL && desc != NULL && value != NULL);
    if (out == NULL || desc == NULL || value == NULL ||
        desc->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC)
        return lg_error_set(LEDGER_EINVAL, "lg_json_decode: invalid argument");
    *out = NULL;
    p.n = 0;
    if ((msg = new_message(desc)) == NULL)
        return lg_error_nomem();
    if ((rc = decode_into(msg, value, &p, 1)) < 0)
        goto done;
    *out = msg;
    msg = NULL;
done:
    protobuf_c_message_free_unpacked(msg, lg_alloc_protobuf());
    return rc;
}

int
lg_json_encode(json_t **out, const ProtobufCMessage *msg)
{
    json_path p;

    assert(out != NULL && msg != NULL);
    if (out == NULL || msg == NULL || msg->descriptor == NULL ||
        msg->descriptor->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC)
        return lg_error_set(LEDGER_EINVAL, "lg_json_encode: invalid argument");
    *out = NULL;
    p.n = 0;
    return encode_message(out, msg, &p, 1);
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
