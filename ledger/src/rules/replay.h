/*
 * replay.h (internal) - check exported entries one by one, offline.
 *
 * The per-entry half of `verify` for data that arrives without a store
 * (audit trails, tile trees): the leaf decodes canonically and names the
 * expected index; integrated_time never goes backwards; the record decodes
 * canonically; entry 0 is the genesis policy of the trusted log key and
 * origin; the ledger's rules (policy.c) accept the record against a key
 * registry replayed in memory from the entries seen so far; and every
 * signature verifies. Entries must come in increasing index order; gaps
 * are allowed (partial trails), so the registry is only as complete as the
 * entries fed in, which is why trails always carry every registration.
 */
#ifndef LG_REPLAY_H
#define LG_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/key.h"
#include "codec/codec.h"

typedef struct lg_replay lg_replay;

/* @return 0, LEDGER_EINVAL (log_key is not an Ed25519 key), LEDGER_ENOMEM. */
int lg_replay_new(lg_replay **out, const ledger_vkey *log_key);
void lg_replay_free(lg_replay *r);

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

/* Signatures verified so far. */
uint64_t lg_replay_signatures(const lg_replay *r);

#endif
