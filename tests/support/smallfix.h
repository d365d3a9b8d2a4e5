/*
 * smallfix.h - the smallest useful ledger for unit tests: a log key, an
 * admin named at genesis and a member key (not yet registered: each test
 * registers it with its own record builder). Shared by test_ledger.c,
 * test_oom.c and test_sigcheck.c.
 */
#ifndef SMALLFIX_H
#define SMALLFIX_H

#include <stdint.h>

#include "attrledger/attrledger.h"

typedef struct {
    char *dir;
    ledger_key *log_key, *admin, *member;
    ledger_vkey log_vkey;
    ledger_log *log;
} sf_ledger;

/* Keys from fixed seeds (every byte seed, seed + 0x11, seed + 0x22 for the
 * log, p:admin and p:member keys), then a ledger in a new temp dir with
 * p:admin as its admin. Fails the current test on error. */
void sf_create(sf_ledger *l, const char *origin, uint8_t seed);
/* Close the ledger, free the keys, delete the directory. */
void sf_destroy(sf_ledger *l);

#endif
