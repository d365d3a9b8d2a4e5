/*
 * hello.c - a program built against an installed libattrledger
 * (tests/cli/test_install.sh): with pkg-config, statically, and with
 * find_package(AttrLedger). Prints the library version and the verifier key
 * of a key made from a fixed seed, so every build prints the same two lines.
 */
#include <attrledger/attrledger.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
    uint8_t seed[32];
    ledger_key *key = NULL;
    ledger_vkey vkey;
    ledger_buf text = LEDGER_BUF_INIT;

    memset(seed, 7, sizeof seed);
    if (ledger_init() < 0 || ledger_key_from_seed(&key, "hello.example", seed) < 0)
        return 1;
    ledger_key_vkey(&vkey, key, LEDGER_SIGTYPE_ED25519);
    if (ledger_vkey_format(&text, &vkey) < 0) {
        ledger_key_free(key);
        return 1;
    }
    printf("attrledger %s\n%s\n", LEDGER_VERSION_STRING, (const char *)text.data);
    ledger_buf_dispose(&text);
    ledger_key_free(key);
    return 0;
}
