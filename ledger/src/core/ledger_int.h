/*
 * ledger_int.h (internal) - the ledger handle and shared state helpers used
 * by ledger.c (create, open, reads, proofs), submit.c (appends),
 * ledger_rows.c (index rows, store-backed policy state), verify.c (the full
 * audit) and the other modules that read a ledger.
 */
#ifndef LG_LEDGER_INT_H
#define LG_LEDGER_INT_H

#include "attrledger/ledger.h"
#include "base/progress.h"
#include "rules/policy.h"
#include "store/digest_index.h"
#include "store/store.h"

struct ledger_log {
    lg_store *store;
    const ledger_key *signer; /* borrowed; NULL until ledger_log_set_signer */
    char origin[LEDGER_NAME_MAX + 1];
    uint8_t log_pk[32];
    lg_digest_index digests; /* the digest_tail rows, between write transactions */
    lg_progress progress;    /* ledger_log_set_progress; total/base set per operation */
    int mirror;              /* meta "mirror" is set: entries come only from mirror.c */
};

/* The committed tree state kept in `meta`. */
typedef struct {
    uint64_t size;
    lg_hash root;
    uint64_t time; /* integrated_time of the last entry, Unix ms */
} lg_meta;

/* The meta row `name`; a missing row is LEDGER_ECORRUPT. (ledger_rows.c) */
int lg_meta_get(lg_txn *t, const char *name, ledger_buf *out);
int lg_meta_put(lg_txn *t, const char *name, const void *v, size_t len);
int lg_meta_state(lg_txn *t, lg_meta *m);
/* Store size, root and time in `meta` (ledger.c; used by create and submit). */
int lg_meta_put_state(lg_txn *t, const lg_meta *m);
/* The last signed checkpoint note; LEDGER_ECORRUPT if there is none. */
int lg_latest_checkpoint(lg_txn *t, ledger_buf *out);
/* The ledger clock in Unix ms; ATTRLEDGER_FAKE_TIME_MS pins it in test
 * builds (LEDGER_TEST_HOOKS). */
uint64_t lg_now_ms(void);

/* Index rows by key: 0, LEDGER_ENOTFOUND (no message), or an error. */
int lg_row_key(lg_txn *t, const uint8_t key_id[32], lg_key_row *out);

int lg_row_participant(lg_txn *t, const char *participant_id, lg_participant_row *out);
int lg_row_record(lg_txn *t, const char *record_id, lg_record_row *out);

/* Decode the record of stored entry `index`; digest = SHA-256(record). */
int lg_load_record(lg_txn *t, uint64_t index, lg_record **out, uint8_t digest[32]);

/*
 * TEST TOOL, not part of the API: append records exactly as submit does
 * (entries, hashes, index rows, a signed checkpoint) but WITHOUT the policy
 * and signature checks, the way an insider holding the log key could forge
 * the store. Tests use it to show that `verify` rejects every forbidden
 * entry. Never called by the library or the CLI; compiled only in test
 * builds (cmake -DLEDGER_TEST_HOOKS=ON, as scripts/test does).
 */
#ifdef LEDGER_TEST_HOOKS
int lg_ledger_forge(ledger_receipt *rcpts, ledger_log *log, ledger_envelope *const *envs, size_t n);
#endif

/* Policy state backed by the store, inside transaction t. */
void lg_store_policy_state(lg_policy_state *st, lg_txn *t);

#endif
