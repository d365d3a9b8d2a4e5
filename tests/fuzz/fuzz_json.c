/*
 * fuzz_json.c - the proto3 JSON converter: lg_json_load() then
 * lg_json_decode() on the Record descriptor (and on LogEntry, which has
 * bytes and 64-bit fields), then back with lg_json_encode()/lg_json_dump().
 *
 * Invariant: JSON that decodes to a message encodes back to JSON that
 * decodes to the same protobuf bytes.
 */
#include <string.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "base/alloc.h"
#include "attrledger/v1/ledger.pb-c.h"
#include "fuzz.h"
#include "codec/json.h"

static void
packed(ledger_buf *out, const ProtobufCMessage *m)
{
    out->len = protobuf_c_message_get_packed_size(m);
    out->data = malloc(out->len + 1);
    fuzz_check(out->data != NULL);
    fuzz_check(protobuf_c_message_pack(m, out->data) == out->len);
}

static void
one(const json_t *v, const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *m = NULL, *m2 = NULL;
    json_t *back = NULL;
    ledger_buf text = LEDGER_BUF_INIT;
    json_t *v2 = NULL;

    if (lg_json_decode(&m, desc, v) != 0)
        return;
    if (lg_json_encode(&back, m) == 0) {
        fuzz_check(lg_json_dump(&text, back, 0) == 0);
        fuzz_check(lg_json_load(&v2, (const char *)text.data, text.len) == 0);
        fuzz_check(lg_json_decode(&m2, desc, v2) == 0);
        {
            ledger_buf a, b;
            packed(&a, m);
            packed(&b, m2);
            fuzz_check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
            free(a.data);
            free(b.data);
        }
        protobuf_c_message_free_unpacked(m2, lg_alloc_protobuf());
        json_decref(v2);
        ledger_buf_dispose(&text);
        json_decref(back);
    }
    protobuf_c_message_free_unpacked(m, lg_alloc_protobuf());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;

    fuzz_init();
    if (lg_json_load(&v, (const char *)data, size) != 0)
        return 0;
    one(v, &attrledger__v1__record__descriptor);
    one(v, &attrledger__v1__log_entry__descriptor);
    json_decref(v);
    return 0;
}
