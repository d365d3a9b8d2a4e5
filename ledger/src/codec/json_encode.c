/*
 * json_encode.c - protobuf-c message -> JSON (lg_json_encode): a generic
 * walker over the message descriptor.
 *
 * Invariants:
 *   - Encoding writes what protobuf_c_message_pack() would write: proto3
 *     scalars at their default are omitted, a set oneof member is always
 *     written (that is how "stix_value": 0 keeps its presence), and a
 *     non-NULL sub-message is written even when empty ({}).
 *   - A message holding unknown protobuf fields is refused, not trimmed.
 */
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "codec/json_int.h"

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
        if (!lg_json_utf8_valid(s, len))
            return lg_json_fail(p, LEDGER_EFORMAT, "invalid UTF-8 in string");
        return new_value(out, json_stringn_nocheck(s, len));
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *bd = member;
        char *b64;
        int rc;

        if (bd->len > LG_JSON_MAX_INPUT)
            return lg_json_fail(p, LEDGER_EFORMAT, "bytes field of %zu bytes is too long for JSON",
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
    return lg_json_fail(p, LEDGER_EINVAL, "unsupported field type %d", (int)f->type);
}

static int
encode_repeated(json_t **out, const ProtobufCFieldDescriptor *f, const ProtobufCMessage *msg,
                json_path *p, int depth)
{
    size_t n = *(const size_t *)CMEMBER(msg, f->quantifier_offset);
    const char *arr = *(char *const *)CMEMBER(msg, f->offset);
    size_t size = lg_json_elt_size(f->type);
    json_t *a = NULL;
    int rc = 0;

    if (depth + 1 > LG_JSON_MAX_DEPTH)
        return lg_json_fail_depth(p);
    if (arr == NULL)
        return lg_json_fail(p, LEDGER_EINVAL, "repeated field has %zu elements and no array", n);
    if ((a = json_array()) == NULL)
        return lg_error_nomem();
    for (size_t i = 0; i < n; i++) {
        json_t *e = NULL;

        lg_json_path_push_index(p, i);
        rc = encode_single(&e, f, arr + i * size, p, depth + 1);
        lg_json_path_pop(p);
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
        return lg_json_fail_depth(p);
    if (lg_json_is_timestamp(&ts, desc)) {
        char buf[32];

        if (lg_json_format_rfc3339(buf, *(const int64_t *)CMEMBER(msg, ts.seconds_offset),
                                   *(const int32_t *)CMEMBER(msg, ts.nanos_offset)) < 0)
            return lg_json_fail(p, LEDGER_EFORMAT,
                                "invalid timestamp (seconds %" PRId64 ", nanos %d)",
                                *(const int64_t *)CMEMBER(msg, ts.seconds_offset),
                                (int)*(const int32_t *)CMEMBER(msg, ts.nanos_offset));
        return new_value(out, json_string_nocheck(buf));
    }
    /* JSON cannot carry fields this schema does not know; dropping them
     * would show a reader less than was signed. */
    if (msg->n_unknown_fields > 0)
        return lg_json_fail(p, LEDGER_EFORMAT,
                            "%u unknown protobuf field(s) cannot be written as JSON",
                            msg->n_unknown_fields);
    if ((obj = json_object()) == NULL)
        return lg_error_nomem();
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = desc->fields + i;
        json_t *v = NULL;

        if (!field_present(msg, f))
            continue;
        lg_json_path_push_key(p, f->name, strlen(f->name));
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            rc = encode_repeated(&v, f, msg, p, depth);
        else
            rc = encode_single(&v, f, CMEMBER(msg, f->offset), p, depth);
        lg_json_path_pop(p);
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

/* ---- entry point ---- */

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

/* ---- members for hand-built JSON (receipts, proofs, trails) ---- */

/* Add a base64 string member; returns 0 or ENOMEM. */
int
lg_json_set_b64(json_t *obj, const char *key, const uint8_t *data, size_t len)
{
    char *s = lg_b64_encode_alloc(data, len);
    int rc;

    if (s == NULL)
        return lg_error_nomem();
    rc = json_object_set_new(obj, key, json_string(s)) == 0 ? 0 : lg_error_nomem();
    lg_free(s);
    return rc;
}

int
lg_json_set_u64(json_t *obj, const char *key, uint64_t v)
{
    /* JSON numbers are exact up to 2^53; indexes and times stay far below. */
    return json_object_set_new(obj, key, json_integer((json_int_t)v)) == 0 ? 0 : lg_error_nomem();
}
