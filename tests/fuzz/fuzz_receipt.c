/*
 * fuzz_receipt.c - tlog-proof receipts: lg_receipt_parse and
 * ledger_receipt_verify against the fuzz log key.
 *
 * Input: a 2-byte big-endian leaf length L, L leaf bytes, then the receipt
 * text (a shorter input is all receipt, with an empty leaf).
 *
 * Invariant: a receipt that verifies parses, and names the leaf's hash.
 */
#include <string.h>

#include "fuzz.h"
#include "tlog/note.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *leaf = data, *rcpt = data;
    size_t leaf_len = 0, rcpt_len = size;
    lg_receipt r;
    ledger_receipt_info info;

    fuzz_init();
    if (size >= 2) {
        size_t l = (size_t)data[0] << 8 | data[1];
        if (l <= size - 2) {
            leaf = data + 2;
            leaf_len = l;
            rcpt = data + 2 + l;
            rcpt_len = size - 2 - l;
        }
    }
    int prc = lg_receipt_parse(&r, rcpt, rcpt_len);
    if (ledger_receipt_verify(&info, rcpt, rcpt_len, leaf, leaf_len, fuzz_log_vkey()) == 0) {
        uint8_t h[32];
        fuzz_check(prc == 0 && r.index == info.index);
        ledger_leaf_hash(h, leaf, leaf_len);
        fuzz_check(memcmp(h, info.leaf_hash, 32) == 0);
    }
    return 0;
}
