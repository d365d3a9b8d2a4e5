/*
 * codec_norms.h (internal) - plain-C views of the norms register fields
 * (Instrument, Norm, Commitment, AttributionClaim.norms_breached,
 * Finding.norm_conclusions) for rules/norms.c. Included by codec.h.
 */
#ifndef LG_CODEC_NORMS_H
#define LG_CODEC_NORMS_H

#include <stddef.h>
#include <stdint.h>

struct lg_record;

/* CommitmentKind values. */
#define LG_COMMIT_GROUP_MEMBER 1
#define LG_COMMIT_WITHDREW 6

typedef struct {
    const char *party;          /* actor id */
    const char *declared_by;    /* participant id ("" when unset) */
    const char *instrument_ref; /* "" when unset */
    const char *norm_ref;       /* "" when unset */
    int kind;                   /* CommitmentKind value */
    int has_date;
    int64_t date; /* Unix seconds of date.time */
} lg_commitment_info;

/* Commitment body; LEDGER_EINVAL if r is not a commitment. */
int lg_record_commitment(lg_commitment_info *out, const struct lg_record *r);

/* Norm: its instrument id ("" when unset), NULL if r is not a norm. */
const char *lg_record_norm_instrument(const struct lg_record *r);

/* Instrument: 1 and its date (Unix seconds) when it has one, else 0. */
int lg_record_instrument_date(int64_t *out, const struct lg_record *r);

/* AttributionClaim: norm_ref of norms_breached[i] and its NormLink value
 * in *link (may be NULL); NULL past the end or for another type. */
const char *lg_record_claim_norm(const struct lg_record *r, size_t i, int *link);

/* incident_refs of a claim or finding (borrowed). */
int lg_record_incidents(const char *const **refs, size_t *n, const struct lg_record *r);

typedef struct {
    const char *norm_ref;
    int verdict;           /* NormVerdict value */
    int stated_by_finding; /* the finding raises the norm itself */
} lg_norm_conclusion;

/* Finding: norm conclusion i; returns 1, or 0 past the end. */
int lg_record_norm_conclusion(lg_norm_conclusion *out, const struct lg_record *r, size_t i);
/* Finding: claim_ref of claims_assessed[i], NULL past the end. */
const char *lg_record_finding_claim(const struct lg_record *r, size_t i);

#endif
