/*
 * json_decode.c - JSON -> protobuf-c message (lg_json_decode): a generic
 * walker over the message descriptor, and the proto3 JSON forms each field
 * type accepts (integers as numbers or decimal strings, floats with "NaN"
 * and "Infinity", enums by name or number, base64 bytes, Timestamps as
 * RFC 3339 strings through json_time.c).
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
 *   - Values quoted in error messages are escaped and truncated.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "codec/json_int.h"

/* Bytes of a bad value shown in an error message. */
#define QUOTE_MAX 64

/* ---- error message helpers ---- */

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
    int utf8 = lg_json_utf8_valid(str, len);
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
        return lg_json_fail(p, LEDGER_EFORMAT, "expected %s, got %s", expected, kind(v));
    s = json_string_value(v);
    len = json_string_length(v);
    if (memchr(s, '\0', len) != NULL)
        return lg_json_fail(p, LEDGER_EFORMAT, "NUL character in string");
    if (!lg_json_utf8_valid(s, len))
        return lg_json_fail(p, LEDGER_EFORMAT, "invalid UTF-8 in string");
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
            return lg_json_fail(p, LEDGER_EFORMAT, "number %s is not an integer", out->text);
        out->neg = d < 0;
        if (a >= 18446744073709551616.0) {
            out->big = 1;
            return 0;
        }
        out->mag = (uint64_t)a;
        if ((double)out->mag != a)
            return lg_json_fail(p, LEDGER_EFORMAT, "number %s is not an integer", out->text);
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
            return lg_json_fail(p, LEDGER_EFORMAT, "invalid integer %s", quote(&q, s, len));
        for (; i < len; i++) {
            unsigned dgt;

            if (s[i] < '0' || s[i] > '9')
                return lg_json_fail(p, LEDGER_EFORMAT, "invalid integer %s", quote(&q, s, len));
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
    return lg_json_fail(p, LEDGER_EFORMAT, "expected integer, got %s", kind(v));
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
        return lg_json_fail(p, LEDGER_EFORMAT, "integer %s out of range for %s", x.text,
                            type_name(t));
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
        return lg_json_fail(p, LEDGER_EFORMAT, "integer %s out of range for %s", x.text,
                            type_name(t));
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
                lg_json_alloc_failed = 0;
                num = json_loadb(s, len, JSON_DECODE_ANY, &err);
                if (lg_json_alloc_failed ||
                    (num == NULL &&
                     (json_error_code(&err) == json_error_out_of_memory || err.text[0] == '\0'))) {
                    json_decref(num);
                    return lg_error_nomem();
                }
            }
            if (num == NULL || !json_is_number(num)) {
                json_decref(num);
                return lg_json_fail(p, LEDGER_EFORMAT, "invalid number %s", quote(&q, s, len));
            }
            d = json_number_value(num);
            json_decref(num);
        }
    } else {
        return lg_json_fail(p, LEDGER_EFORMAT, "expected number, got %s", kind(v));
    }
    if (t == PROTOBUF_C_TYPE_FLOAT && isfinite(d) && fabs(d) > FLT_MAX)
        return lg_json_fail(p, LEDGER_EFORMAT, "number %.15g out of range for float", d);
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
            return lg_json_fail(p, LEDGER_EFORMAT, "unknown enum value %s for %s",
                                quote(&q, s, len), ed->name);
        *out = ev->value;
        return 0;
    }
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);

        ev = NULL;
        if (x >= INT32_MIN && x <= INT32_MAX)
            ev = protobuf_c_enum_descriptor_get_value(ed, (int)x);
        if (ev == NULL)
            return lg_json_fail(p, LEDGER_EFORMAT,
                                "unknown enum value %" JSON_INTEGER_FORMAT " for %s", x, ed->name);
        *out = ev->value;
        return 0;
    }
    return lg_json_fail(p, LEDGER_EFORMAT, "expected enum name or number, got %s", kind(v));
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
        return lg_json_fail(p, LEDGER_EFORMAT, "expected base64 string, got %s", kind(v));
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
        return lg_json_fail(p, LEDGER_EFORMAT, "invalid base64");
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
        rc = lg_json_fail(p, LEDGER_EFORMAT, "invalid base64");
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
    if (lg_json_parse_rfc3339(&seconds, &nanos, s, len) < 0)
        return lg_json_fail(p, LEDGER_EFORMAT, "invalid timestamp %s", quote(&q, s, len));
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

    if (lg_json_is_timestamp(&ts, msg->descriptor))
        return decode_timestamp(msg, &ts, v, p);
    if (!json_is_object(v))
        return lg_json_fail(p, LEDGER_EFORMAT, "expected object, got %s", kind(v));
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
            return lg_json_fail(p, LEDGER_EFORMAT, "expected boolean, got %s", kind(v));
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
    return lg_json_fail(p, LEDGER_EINVAL, "unsupported field type %d", (int)f->type);
}

static int
decode_repeated(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const json_t *v,
                json_path *p, int depth)
{
    size_t n, size = lg_json_elt_size(f->type);
    char *arr;
    int rc;

    if (!json_is_array(v))
        return lg_json_fail(p, LEDGER_EFORMAT, "expected array, got %s", kind(v));
    if (depth + 1 > LG_JSON_MAX_DEPTH)
        return lg_json_fail_depth(p);
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

        lg_json_path_push_index(p, i);
        if (json_is_null(e))
            rc = lg_json_fail(p, LEDGER_EFORMAT, "null is not allowed in an array");
        else
            rc = decode_single(arr + i * size, f, e, p, depth + 1, 1);
        lg_json_path_pop(p);
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
        memset(member, 0, lg_json_elt_size(f->type));
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
        return lg_json_fail_depth(p);
    for (void *it = json_object_iter(o); it != NULL; it = json_object_iter_next(o, it)) {
        const char *key = json_object_iter_key(it);
        size_t klen = key_len(it, key);
        const json_t *v = json_object_iter_value(it);
        const ProtobufCFieldDescriptor *f = NULL;
        int by_json_name = 0;

        if (strlen(key) == klen)
            f = find_field(desc, key, &by_json_name);
        if (f == NULL)
            return lg_json_fail(p, LEDGER_EFORMAT, "unknown field %s", quote(&q, key, klen));
        /* "stixValue" and "stix_value" are the same field: only one may be
         * given, whatever the order (checked from the camelCase side). */
        if (by_json_name && json_object_get(obj, f->name) != NULL)
            return lg_json_fail(p, LEDGER_EFORMAT, "field \"%s\" given twice (also as \"%s\")",
                                f->name, key);
        if (json_is_null(v))
            continue; /* the default: nothing is created, no oneof case set */
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t c = *(const uint32_t *)CMEMBER(msg, f->quantifier_offset);

            if (c != 0) {
                const ProtobufCFieldDescriptor *g =
                    protobuf_c_message_descriptor_get_field(desc, c);
                return lg_json_fail(p, LEDGER_EFORMAT,
                                    "oneof fields \"%s\" and \"%s\" are both set",
                                    g != NULL ? g->name : "?", f->name);
            }
        }
        lg_json_path_push_key(p, key, klen);
        rc = decode_field(msg, f, v, p, depth);
        lg_json_path_pop(p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- entry point ---- */

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
