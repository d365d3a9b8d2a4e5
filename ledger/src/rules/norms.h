/*
 * norms.h (internal) - the norms register's rules (docs/RECORDS.md "Norms"),
 * part of the one rule book: policy.c calls lg_norms_check for instruments,
 * norms, commitments and findings, at submit and in every replay (verify,
 * audit), so a forged entry is caught the same way.
 */
#ifndef LG_RULES_NORMS_H
#define LG_RULES_NORMS_H

#include <stdint.h>

#include "codec/codec.h"
#include "rules/policy.h"

/* Content rules of an instrument, norm, commitment, or a finding's norm
 * conclusions, as of entry `now`. 0, or LEDGER_EPOLICY with a one-line
 * message naming the record and the rule. */
int lg_norms_check(const lg_policy_state *st, const lg_record *r, uint64_t now);

#endif
