/*
 * json.h (internal) - proto3 JSON <-> protobuf-c messages, generic over
 * message descriptors, on jansson.
 *
 * Mapping (https://protobuf.dev/programming-guides/proto3/#json), with
 * these choices, documented in docs/FORMATS.md:
 *   - output uses the proto field names (snake_case); input accepts the
 *     proto name or the lowerCamelCase json_name;
 *   - enums are written as their full value names; input accepts the name
 *     or the integer value of a defined value; unknown names are errors;
 *   - 64-bit integers are written as decimal strings; input accepts a JSON
 *     integer or a decimal string; every integer is range-checked;
 *   - bytes are standard padded base64 (input also accepts URL-safe and
 *     unpadded, as proto3 JSON requires);
 *   - google.protobuf.Timestamp is an RFC 3339 string in UTC ("Z"), with 0,
 *     3, 6 or 9 fractional digits on output; input accepts any offset;
 *   - fields with default values are omitted on output; `null` on input
 *     means the default;
 *   - unknown fields, duplicate keys, two members of one oneof, invalid
 *     UTF-8 and nesting deeper than LG_JSON_MAX_DEPTH are errors.
 * Error messages name the JSON path: "header.created: invalid timestamp".
 */
#ifndef LG_JSON_H
#define LG_JSON_H

#include <stddef.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "attrledger/buf.h"

#define LG_JSON_MAX_DEPTH 32
#define LG_JSON_MAX_INPUT (4u << 20)

/* Route jansson's allocations through lg_malloc (called by ledger_init). */
void lg_json_init(void);

/* Parse JSON text (strict: duplicate keys rejected) into a jansson value.
 * LEDGER_EFORMAT with line and column on a syntax error. */
int lg_json_load(json_t **out, const char *text, size_t len);

/* Convert a JSON value to a new message of type `desc` (lg allocator; free
 * with protobuf_c_message_free_unpacked(msg, lg_alloc_protobuf())). */
int lg_json_decode(ProtobufCMessage **out, const ProtobufCMessageDescriptor *desc,
                   const json_t *value);

/* Convert a message to a new JSON object (a new reference). */
int lg_json_encode(json_t **out, const ProtobufCMessage *msg);

/* Serialize: compact (one line) or indented by 2; keys keep insertion
 * order. Output is NUL-terminated. */
int lg_json_dump(ledger_buf *out, const json_t *value, int pretty);

#endif
