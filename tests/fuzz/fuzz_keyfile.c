/*
 * fuzz_keyfile.c - secret key file text (lg_keyfile_inspect,
 * lg_keyfile_decode). Encrypted files are decoded without a passphrase,
 * which stops before Argon2id (a fuzzer cannot afford the KDF); every
 * parse rule before it, and the whole path of unencrypted files, is
 * reached.
 */
#include "fuzz.h"
#include "crypto/keyfile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_key *k = NULL;
    uint8_t kdf = 0;
    int irc, drc;

    fuzz_init();
    irc = lg_keyfile_inspect(&kdf, data, size);
    drc = lg_keyfile_decode(&k, data, size, NULL, 0);
    /* Decoding succeeds only for what inspection accepts. */
    if (drc == 0)
        fuzz_check(irc == 0 && kdf == LG_KEYFILE_KDF_NONE);
    ledger_key_free(k);
    return 0;
}
