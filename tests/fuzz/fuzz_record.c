/*
 * fuzz_record.c - protobuf Record bytes (lg_record_decode) and LogEntry
 * leaves (lg_entry_decode, ledger_entry_info_get, ledger_entry_to_json).
 *
 * Invariants: a record that decodes is canonical, so its JSON form converts
 * back to exactly the same bytes; and whatever submit accepts, every reader
 * can read (readers.c).
 */
#include <string.h>

#include <jansson.h>

#include "codec/codec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_record *r = NULL;
    lg_entry *e = NULL;
    ledger_entry_info info;
    ledger_buf b = LEDGER_BUF_INIT;

    fuzz_init();
    if (lg_record_decode(&r, data, size) == 0) {
        json_t *j = NULL;
        if (lg_record_to_json(&j, r) == 0) {
            ledger_buf again = LEDGER_BUF_INIT;
            fuzz_check(lg_record_from_json(&again, j) == 0);
            fuzz_check(again.len == size && memcmp(again.data, data, size) == 0);
            ledger_buf_dispose(&again);
            json_decref(j);
        }
        fuzz_readers_check(data, size, r);
        lg_record_free(r);
    }
    if (lg_entry_decode(&e, data, size) == 0) {
        ledger_buf again = LEDGER_BUF_INIT;
        /* A decoded leaf re-encodes to the same bytes (canonical). */
        fuzz_check(lg_entry_encode(&again, e->index, e->integrated_time, e->record, e->record_len,
                                   e->sigs, e->n_sigs) == 0);
        fuzz_check(again.len == size && memcmp(again.data, data, size) == 0);
        ledger_buf_dispose(&again);
        lg_entry_free(e);
    }
    (void)ledger_entry_info_get(&info, data, size);
    if (ledger_entry_to_json(&b, data, size, 0) == 0)
        ledger_buf_dispose(&b);
    return 0;
}
