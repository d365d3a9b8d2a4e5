/*
 * json_int.h (internal to the JSON module: json.c, json_decode.c,
 * json_encode.c, json_time.c) - what the decoding and encoding walkers
 * share: message member access, the flag jansson's allocator raises, JSON
 * paths for error messages, the UTF-8 check, repeated-element sizes and the
 * Timestamp form. Nothing else includes this file (but codec.c, for the Timestamp range); the module's interface
 * is json.h.
 */
#ifndef LG_JSON_INT_H
#define LG_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "base/error.h"
#include "codec/json.h"

/* The member `off` bytes into a message (protobuf-c 1.4 in-memory layout). */
#define MEMBER(msg, off) ((void *)((char *)(msg) + (off)))
#define CMEMBER(msg, off) ((const void *)((const char *)(msg) + (off)))

/* ---- jansson's allocator (json.c) ---- */

/* Set when one of jansson's allocations fails; clear it before a parse and
 * treat the parse as ENOMEM if it is set afterwards (akheron/jansson#362). */
extern _Thread_local int lg_json_alloc_failed;

/* ---- JSON paths for error messages (json.c) ---- */

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

/* Append the object key key[0..len) to p; the key is borrowed, not copied. */
void lg_json_path_push_key(json_path *p, const char *key, size_t len);

/* Append the array index `index` to p. */
void lg_json_path_push_index(json_path *p, size_t index);

/* Remove the last segment of p. */
void lg_json_path_pop(json_path *p);

/* Set the error as "<path>: <message>" (just the message at the top level); returns code. */
int lg_json_fail(const json_path *p, int code, const char *fmt, ...) LG_PRINTF(3, 4);

/* Fail at p with LEDGER_EFORMAT for nesting deeper than LG_JSON_MAX_DEPTH. */
int lg_json_fail_depth(const json_path *p);

/* ---- strings and layout (json.c) ---- */

/* 1 if str[0..len) is valid UTF-8 (RFC 3629: shortest form, no surrogates), else 0. */
int lg_json_utf8_valid(const char *str, size_t len);

/* In-memory size of one element of a repeated field of type t (protobuf-c 1.4). */
size_t lg_json_elt_size(ProtobufCType t);

/* ---- google.protobuf.Timestamp (json_time.c) ---- */

typedef struct {
    size_t seconds_offset;
    size_t nanos_offset;
} ts_layout;

/* 1 and the field offsets if desc is google.protobuf.Timestamp with the expected layout, else 0. */
int lg_json_is_timestamp(ts_layout *out, const ProtobufCMessageDescriptor *desc);

/* Parse a strict RFC 3339 date-time in the proto3 Timestamp range; 0 or -1. */
int lg_json_parse_rfc3339(int64_t *sec_out, int32_t *nanos_out, const char *s, size_t len);

/* 1 if (seconds, nanos) is a Timestamp the JSON mapping can write (years 1-9999,
 * nanos 0-999,999,999), else 0. The codec refuses any other value in binary input. */
int lg_json_timestamp_valid(int64_t seconds, int32_t nanos);

/* Format as UTC RFC 3339 with 0, 3, 6 or 9 fraction digits; 0, or -1 if out of range. */
int lg_json_format_rfc3339(char buf[32], int64_t seconds, int32_t nanos);

#endif
