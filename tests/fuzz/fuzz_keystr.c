/*
 * fuzz_keystr.c - key strings: C2SP verifier keys (lg_vkey_parse,
 * ledger_vkey_parse) and Go signer keys (lg_skey_parse).
 *
 * Invariants: a vkey that parses formats back to the same text; a signer
 * key that parses formats back to the same text.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "fuzz.h"
#include "tlog/note.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_vkey vk;
    ledger_key *k = NULL;
    ledger_buf b = LEDGER_BUF_INIT;

    fuzz_init();
    if (lg_vkey_parse(&vk, (const char *)data, size) == 0) {
        fuzz_check(lg_vkey_format(&b, &vk) == 0);
        fuzz_check(b.len == size && memcmp(b.data, data, size) == 0);
        ledger_buf_dispose(&b);
    }
    if (ledger_vkey_parse(&vk, (const char *)data, size) == 0)
        fuzz_check(vk.type == LEDGER_SIGTYPE_ED25519 || vk.type == LEDGER_SIGTYPE_COSIGNATURE);
    if (lg_skey_parse(&k, (const char *)data, size) == 0) {
        fuzz_check(lg_skey_format(&b, k) == 0);
        fuzz_check(b.len == size && memcmp(b.data, data, size) == 0);
        lg_memzero(b.data, b.len);
        ledger_buf_dispose(&b);
        ledger_key_free(k);
    }
    return 0;
}
