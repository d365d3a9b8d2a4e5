/*
 * policy.h (internal) - who may append what. Pure: state in, verdict out.
 *
 * The same code runs when `submit` appends a record and when `verify`
 * replays the ledger from genesis, so a rule is enforced identically in
 * both places. State is reached through callbacks: store-backed at submit
 * time, in-memory during verify.
 *
 * Checking a record is two phases:
 *   1. lg_policy_check: resolve the public key of every signature (the
 *      registry, the record's own new keys for a Participant record, the log
 *      key for genesis) and check authorisation: registered and unrevoked
 *      keys, the author signed, the author's roles allow the record type,
 *      proof of possession for new keys. The caller then verifies the
 *      signatures (possibly in parallel) with the returned keys.
 *   2. lg_policy_apply: record the state changes (new keys, participant
 *      rows, revocations, the record's index row, supersede/retract marks
 *      and reference rows) once the entry is accepted.
 *
 * "Superseded" and "retracted" are judged as of the entry being checked: a
 * mark made by a later entry (which verify sees in the stored tables) does
 * not count.
 */
#ifndef LG_POLICY_H
#define LG_POLICY_H

#include <stdint.h>

#include "base/map.h"
#include "codec/codec.h"

enum { LG_MARK_SUPERSEDED = 0, LG_MARK_RETRACTED = 1, LG_MARK_CURATED = 2 };

/* The record limits of one ledger policy entry (check_ledger_limits),
 * kept across the records of one write transaction: a server's group of
 * requests is checked against the same policy entry, record after record,
 * and decoding it each time was a tenth of the group's serial work. Keyed
 * by entry index, which is safe within one transaction: a refused record
 * aborts the whole transaction (submit.c), so no index is ever reused
 * while the cache lives. */
typedef struct {
    int valid;
    uint64_t index;
    uint32_t max_record_bytes;
    int public_ledger;
} lg_policy_limits;

typedef struct {
    /* Lookups: 0, LEDGER_ENOTFOUND, or another negative code. */
    int (*get_key)(void *payload, const uint8_t key_id[32], lg_key_row *out);
    int (*get_participant)(void *payload, const char *participant_id, lg_participant_row *out);
    int (*get_record)(void *payload, const char *record_id, lg_record_row *out);
    /* Decode the record of an earlier entry; *digest_out = SHA-256 of its
     * record bytes. The caller frees *out with lg_record_free. */
    int (*load_record)(void *payload, uint64_t index, lg_record **out, uint8_t digest_out[32]);
    /* Effects of an accepted record. At submit time they write the index
     * tables; during verify they check the stored tables instead. */
    int (*put_key)(void *payload, const uint8_t key_id[32], const lg_key_row *row);
    int (*put_participant)(void *payload, const char *participant_id,
                           const lg_participant_row *row);
    int (*put_record)(void *payload, const char *record_id, const lg_record_row *row,
                      const uint8_t digest[32]);
    /* Mark an earlier record superseded (which = LG_MARK_SUPERSEDED),
     * retracted (LG_MARK_RETRACTED) or curated (LG_MARK_CURATED: the row of
     * a key's introducing record, by the key's first curation) by `by`. */
    int (*mark_record)(void *payload, const char *record_id, int which, uint64_t by);
    /* refs: target entry -> referencing entry. */
    int (*add_ref)(void *payload, uint64_t target, uint64_t from);
    /* Call fn on every registered key (any order) until it returns non-zero,
     * which is returned. Used only for admin records (rotations and
     * revocations), to keep at least one active admin key. */
    int (*each_key)(void *payload, int (*fn)(void *ctx, const uint8_t key_id[32],
                                             const lg_key_row *row),
                    void *ctx);
    void *payload;
    /* Set when checking an excerpt (an audit trail of one incident): a
     * record that is not in the excerpt cannot be checked offline, so a
     * reference to it (or a revision, retraction or vote of it) is skipped
     * instead of rejected. Every other rule still applies. */
    int partial;
    /* Optional (NULL: none): the limits of the policy entry last read,
     * valid for as long as the transaction of payload. */
    lg_policy_limits *limits;
} lg_policy_state;

typedef struct {
    size_t n;
    uint8_t pk[LG_MAX_SIGS][32]; /* public key for signature i */
} lg_sig_keys;

/*
 * Phase 1. `index` is the entry's position. For index 0 the record must be
 * the genesis LedgerPolicy signed by its own log_public_key. Returns 0, or
 * LEDGER_EPOLICY with a one-line message naming the record and the rule.
 */
int lg_policy_check(lg_sig_keys *keys_out, const lg_policy_state *st, const lg_record *r,
                    const lg_sig *sigs, size_t n_sigs, uint64_t index);

/* Phase 2: apply the accepted record's effects to the state. `digest` is
 * SHA-256 of the record bytes. */
int lg_policy_apply(const lg_policy_state *st, const lg_record *r, const uint8_t digest[32],
                    uint64_t index);

/* The ledger's decision rule as of entry `now` (the latest ledger_policy). */
int lg_policy_ledger_rule(lg_rule *out, const lg_policy_state *st, uint64_t now);
/* A finding's own rule, or the ledger's when it names none. */
int lg_policy_finding_rule(lg_rule *out, const lg_policy_state *st, const lg_record *finding,
                           uint64_t now);

/* each_key over an lg_map of key_id -> lg_key_row (the in-memory registries
 * of verify and audit replay). */
int lg_policy_map_each_key(const lg_map *keys,
                           int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row),
                           void *ctx);

/* Role bits needed to author a record type (any one of them suffices). */
unsigned lg_policy_roles_for(lg_record_type t, int provenance);

#endif
