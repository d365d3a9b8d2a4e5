/*
 * json.h (internal) - proto3 JSON <-> protobuf-c messages, generic over
 * message descriptors, on jansson.
 *
 * Mapping (https://protobuf.dev/programming-guides/proto3/#json), with
 * these choices, documented in docs/FORMATS.md:
 *   - output uses the proto field names (snake_case), in field-number
 *     order; input accepts the proto name or the lowerCamelCase json_name
 *     (giving both spellings of one field is an error);
 *   - enums are written as their full value names (a value the schema does
 *     not define is written as its number); input accepts the name or the
 *     integer value of a defined value; unknown names are errors;
 *   - 64-bit integers are written as decimal strings, 32-bit ones as
 *     numbers; input accepts a JSON integer, an integral JSON number or a
 *     decimal string "-?(0|[1-9][0-9]*)"; every integer is range-checked.
 *     Values above 2^63-1 must be strings (jansson's integers are int64);
 *   - float/double are numbers, or "NaN", "Infinity", "-Infinity";
 *   - bytes are standard padded base64 (input also accepts URL-safe and
 *     unpadded, as proto3 JSON requires; trailing bits must be zero);
 *   - google.protobuf.Timestamp is an RFC 3339 string in UTC ("Z"), with 0,
 *     3, 6 or 9 fractional digits on output; input is strictly
 *     "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)", 0001-01-01T00:00:00Z
 *     to 9999-12-31T23:59:59.999999999Z after applying the offset;
 *   - fields with default values are omitted on output, except that a set
 *     oneof member is always written (one-field oneofs carry presence:
 *     "stix_value": 0) and a non-NULL sub-message is written even if empty;
 *   - `null` on input means the default: no sub-message is created and no
 *     oneof case is set (a null oneof member does not count as set); null
 *     inside an array is an error;
 *   - unknown fields, duplicate keys, two members of one oneof, invalid
 *     UTF-8, NUL in strings and nesting deeper than LG_JSON_MAX_DEPTH are
 *     errors. A message holding unknown protobuf fields cannot be encoded.
 * After lg_json_decode(), protobuf_c_message_pack() gives the canonical
 * bytes (fields in tag order, no defaults, repeated order kept).
 *
 * Error messages are one line, "<path>: <problem>", the path made of the
 * JSON keys and [i] array indexes leading to the bad value (no prefix for
 * the top level), e.g.
 *   header.created: invalid timestamp "2017-13-01T00:00:00Z"
 *   attribution_claim.confidence: unknown field "foo"
 * Syntax errors from lg_json_load() read "line L column C: <jansson text>".
 * protobuf-c descriptors do not name oneofs, so paths never contain them.
 */
#ifndef LG_JSON_H
#define LG_JSON_H

#include <stddef.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "attrledger/buf.h"

#define LG_JSON_MAX_DEPTH 32
#define LG_JSON_MAX_INPUT (4u << 20)

/* Route jansson's allocations through lg_malloc (called by ledger_init), so
 * fault injection reaches them too. Process-wide; call before any jansson
 * value exists. */
void lg_json_init(void);
/* jansson's version string (static). */
const char *lg_json_version(void);

/*
 * Parse JSON text into a jansson value: any JSON value at the top level,
 * duplicate object keys rejected, \u0000 rejected, at most
 * LG_JSON_MAX_INPUT bytes and LG_JSON_MAX_DEPTH levels of nesting (checked
 * before jansson parses, as its parser recurses).
 *
 * @param[out] out   a new reference (json_decref), NULL on error
 * @return 0, LEDGER_EFORMAT ("line L column C: ..." for syntax errors,
 *         duplicate keys, invalid UTF-8, too deep; or input too large),
 *         LEDGER_ENOMEM.
 */
int lg_json_load(json_t **out, const char *text, size_t len);

/*
 * How many of jansson's allocations have failed in this thread (through
 * the allocator lg_json_init() installs). Code that builds JSON through
 * helpers whose NULL also means "nothing to add" compares the count before
 * and after, and fails with ENOMEM when it moved.
 */
unsigned long lg_json_alloc_failures(void);

/*
 * Convert a JSON value to a new message of type `desc`. The value must be
 * an object (a string for google.protobuf.Timestamp).
 *
 * @param[out] out  the message, allocated with lg_alloc_protobuf(): free it
 *                  with protobuf_c_message_free_unpacked(msg,
 *                  lg_alloc_protobuf()); NULL on error (nothing leaks)
 * @return 0, LEDGER_EFORMAT (message names the JSON path), LEDGER_ENOMEM,
 *         LEDGER_EINVAL (NULL argument).
 */
int lg_json_decode(ProtobufCMessage **out, const ProtobufCMessageDescriptor *desc,
                   const json_t *value);

/*
 * Convert a message to a new JSON object (a string for a Timestamp).
 *
 * @param[out] out  a new reference (json_decref), NULL on error
 * @return 0, LEDGER_EFORMAT (a string that is not UTF-8, a Timestamp out of
 *         range, unknown protobuf fields; the message names the path),
 *         LEDGER_ENOMEM, LEDGER_EINVAL.
 */
int lg_json_encode(json_t **out, const ProtobufCMessage *msg);

/*
 * Serialize: compact (one line, no spaces) or indented by 2; keys keep
 * insertion order. Output is NUL-terminated (the NUL is not in len).
 *
 * @param[out] out  lg memory; release with ledger_buf_dispose()
 * @return 0, LEDGER_ENOMEM, LEDGER_EINVAL.
 */
int lg_json_dump(ledger_buf *out, const json_t *value, int pretty);

/* obj[key] = base64(data) / integer; 0 or LEDGER_ENOMEM (json_encode.c). */
int lg_json_set_b64(json_t *obj, const char *key, const uint8_t *data, size_t len);
int lg_json_set_u64(json_t *obj, const char *key, uint64_t v);

#endif
