/*
 * fuzz_envelope.c - signed envelopes: the protobuf SignedRecord
 * (lg_envelope_decode) and the JSON forms ledger_envelope_parse() accepts
 * (a signed envelope or a plain JSON record).
 *
 * Invariant: a signed envelope that parses prints as JSON that parses
 * again to the same record bytes and signature count. (An unsigned one,
 * from a plain JSON record, prints without signatures, which the parser
 * refuses by design: only signed envelopes are exchanged.)
 */
#include <string.h>

#include "codec/codec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_envelope *pe = NULL;
    ledger_envelope *env = NULL;

    fuzz_init();
    if (lg_envelope_decode(&pe, data, size) == 0)
        lg_envelope_free(pe);
    if (ledger_envelope_parse(&env, (const char *)data, size) == 0 &&
        ledger_envelope_signature_count(env) > 0) {
        ledger_buf json = LEDGER_BUF_INIT, rec1 = LEDGER_BUF_INIT, rec2 = LEDGER_BUF_INIT;
        ledger_envelope *again = NULL;

        fuzz_check(ledger_envelope_to_json(&json, env, 0) == 0);
        fuzz_check(ledger_envelope_parse(&again, (const char *)json.data, json.len) == 0);
        fuzz_check(ledger_envelope_record(&rec1, env) == 0);
        fuzz_check(ledger_envelope_record(&rec2, again) == 0);
        fuzz_check(rec1.len == rec2.len && memcmp(rec1.data, rec2.data, rec1.len) == 0);
        fuzz_check(ledger_envelope_signature_count(env) == ledger_envelope_signature_count(again));
        (void)ledger_envelope_record_id(env);
        ledger_buf_dispose(&json);
        ledger_buf_dispose(&rec1);
        ledger_buf_dispose(&rec2);
        ledger_envelope_free(again);
    }
    ledger_envelope_free(env);
    return 0;
}
