/*
 * common.c - setup shared by the fuzz targets (see fuzz.h).
 */
#include <string.h>

#include "fuzz.h"

static ledger_key *log_key;
static ledger_vkey log_vkey;

void
fuzz_init(void)
{
    uint8_t seed[32];

    if (log_key != NULL)
        return;
    if (ledger_init() < 0)
        abort();
    memset(seed, 0x5a, sizeof seed);
    if (ledger_key_from_seed(&log_key, FUZZ_ORIGIN, seed) < 0)
        abort();
    ledger_key_vkey(&log_vkey, log_key, LEDGER_SIGTYPE_ED25519);
}

const ledger_key *
fuzz_log_key(void)
{
    fuzz_init();
    return log_key;
}

const ledger_vkey *
fuzz_log_vkey(void)
{
    fuzz_init();
    return &log_vkey;
}
