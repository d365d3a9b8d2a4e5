/*
 * smallfix.c - see smallfix.h.
 */
#include "smallfix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static ledger_key *
key_from(const char *name, uint8_t byte)
{
    uint8_t seed[32];
    ledger_key *k = NULL;

    memset(seed, byte, sizeof seed);
    TU_OK(ledger_key_from_seed(&k, name, seed));
    return k;
}

void
sf_create(sf_ledger *l, const char *origin, uint8_t seed)
{
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    ledger_vkey admin_vk;

    memset(l, 0, sizeof *l);
    TU_OK(ledger_init());
    l->dir = tu_tempdir();
    assert_non_null(l->dir);
    l->log_key = key_from(origin, seed);
    l->admin = key_from("p:admin", (uint8_t)(seed + 0x11));
    l->member = key_from("p:member", (uint8_t)(seed + 0x22));
    ledger_key_vkey(&admin_vk, l->admin, LEDGER_SIGTYPE_ED25519);
    ledger_key_vkey(&l->log_vkey, l->log_key, LEDGER_SIGTYPE_ED25519);
    o.origin = origin;
    o.log_key = l->log_key;
    o.admins = &admin_vk;
    o.n_admins = 1;
    TU_OK(ledger_log_create(&l->log, l->dir, &o));
}

void
sf_destroy(sf_ledger *l)
{
    ledger_log_free(l->log);
    ledger_key_free(l->log_key);
    ledger_key_free(l->admin);
    ledger_key_free(l->member);
    if (l->dir != NULL)
        tu_rmtree(l->dir);
    free(l->dir);
    memset(l, 0, sizeof *l);
}
