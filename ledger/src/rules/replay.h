/*
 * replay.h (internal) - replay a ledger's entries from genesis: the one
 * place that judges an entry, for every reader that has entries and no
 * trusted index tables: `verify` (core/verify.c, which then compares the
 * store with the replay), audit trails and tile trees (audit/audit.c), and
 * a mirror.
 *
 * Per entry: the leaf decodes canonically and names the expected index;
 * integrated_time never goes backwards; the record decodes canonically;
 * entry 0 is the genesis policy of the trusted log key and origin; the
 * ledger's rules (policy.c) accept the record against a key registry
 * replayed in memory from the entries seen so far; and every signature
 * verifies. Entries must come in increasing index order; gaps are allowed
 * (partial trails), so the registry is only as complete as the entries fed
 * in, which is why trails always carry every registration.
 *
 * The key and participant registries always live in memory. The record
 * index (record_id rows, supersede/retract marks, reference rows) lives in
 * memory too unless the caller brings its own (lg_replay_records): verify
 * passes callbacks that check each effect against the stored tables.
 *
 * Error codes name the fault the same way for every caller: LEDGER_EFORMAT
 * for an entry that is not what it says (index, time order, encoding,
 * genesis), LEDGER_EBADSIG for a signature or a genesis of another log,
 * LEDGER_EPOLICY for a rule. verify reports all of them as damage to the
 * store (LEDGER_ECORRUPT), keeping the message.
 */
#ifndef LG_REPLAY_H
#define LG_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/key.h"
#include "codec/codec.h"
#include "rules/policy.h"

typedef struct lg_replay lg_replay;

/* A record index kept by the caller (the callbacks of lg_policy_state that
 * concern records). */
typedef struct {
    int (*get_record)(void *payload, const char *record_id, lg_record_row *out);
    int (*load_record)(void *payload, uint64_t index, lg_record **out, uint8_t digest_out[32]);
    int (*put_record)(void *payload, const char *record_id, const lg_record_row *row,
                      const uint8_t digest[32]);
    int (*mark_record)(void *payload, const char *record_id, int which, uint64_t by);
    int (*add_ref)(void *payload, uint64_t target, uint64_t from);
    void *payload;
} lg_replay_records;

/*
 * `records` NULL: the record index is kept in memory (with the bytes of the
 * records later rules read); otherwise its callbacks are used.
 * @return 0, LEDGER_EINVAL (log_key is not an Ed25519 key), LEDGER_ENOMEM.
 */
int lg_replay_new(lg_replay **out, const ledger_vkey *log_key, const lg_replay_records *records);
void lg_replay_free(lg_replay *r);

/*
 * The checks of an entry that need no registry: the leaf's own index is
 * `index`, its integrated_time does not go back from *prev_time (NULL for the
 * first entry seen), and entry 0 is the genesis of the log with key `log_pk`
 * and `origin`. Shared by lg_replay_check and the mirror's append.
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG (another log), LEDGER_ENOMEM.
 */
int lg_replay_check_order(uint64_t index, const lg_entry *e, const lg_record *rec,
                          const uint64_t *prev_time, const uint8_t log_pk[32], const char *origin);

/* Verify each signature of `e` against keys->pk[i] (from lg_policy_check).
 * @return 0, LEDGER_EBADSIG "signature I does not verify", LEDGER_ENOMEM. */
int lg_replay_verify_signatures(const lg_entry *e, const lg_sig_keys *keys);

/*
 * Judge a decoded entry at `index` and apply its effects, without checking
 * its signatures: *keys_out receives the public key of each signature for
 * the caller to verify (verify checks them on all cores). Messages do not
 * name the entry (the caller prefixes "entry N (record_id)").
 *
 * @return 0, LEDGER_EFORMAT, LEDGER_EBADSIG (genesis of another log),
 *         LEDGER_EPOLICY, LEDGER_EINVAL (index order), LEDGER_ENOMEM, or a
 *         code of the caller's record callbacks.
 */
int lg_replay_check(lg_sig_keys *keys_out, lg_replay *r, uint64_t index, const lg_entry *e,
                    const lg_record *rec);

/*
 * Check the entry at `index` (larger than every index checked before).
 * On success, *rec_out (optional) receives the decoded record (free with
 * lg_record_free). Errors name the entry: "entry N (record_id): ...".
 *
 * @return 0, LEDGER_EFORMAT (encoding, index, time order, genesis),
 *         LEDGER_EPOLICY, LEDGER_EBADSIG, LEDGER_EINVAL (index order),
 *         LEDGER_ENOMEM.
 */
int lg_replay_entry(lg_replay *r, uint64_t index, const uint8_t *leaf, size_t len,
                    lg_record **rec_out);

/* Signatures verified so far (by lg_replay_entry). */
uint64_t lg_replay_signatures(const lg_replay *r);

/* The replayed registry, for comparing with stored rows: 0 or
 * LEDGER_ENOTFOUND. */
int lg_replay_key(const lg_replay *r, const uint8_t key_id[32], lg_key_row *out);
int lg_replay_participant(const lg_replay *r, const char *id, size_t id_len,
                          lg_participant_row *out);
size_t lg_replay_key_count(const lg_replay *r);
size_t lg_replay_participant_count(const lg_replay *r);
/* integrated_time of the last entry replayed (0 before the first). */
uint64_t lg_replay_last_time(const lg_replay *r);

#endif
