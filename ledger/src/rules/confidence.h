/*
 * confidence.h (internal) - the published conversion between estimative
 * words and STIX confidence numbers (reference/domain-model.md section 3.1,
 * STIX 2.1 Part 1 Appendix B). Pure.
 */
#ifndef LG_CONFIDENCE_H
#define LG_CONFIDENCE_H

#include <stdint.h>

#include "codec/codec.h"

/* LikelihoodScale values of ledger.proto. */
enum {
    LG_SCALE_UNSPECIFIED = 0,
    LG_SCALE_ICD203 = 1,
    LG_SCALE_PHIA = 2,
    LG_SCALE_WEP = 3,
    LG_SCALE_NONE_LOW_MED_HIGH = 4,
    LG_SCALE_ZERO_TEN = 5,
    LG_SCALE_ADMIRALTY = 6,
    LG_SCALE_FREE_TEXT = 7
};

/*
 * The range [min, max] (percent) that a term of a yardstick scale allows.
 * Returns 1 and the range; 0 for an unknown term; -1 for a term that means
 * "cannot be judged" (no number may be given).
 */
int lg_confidence_range(int scale, const char *term, uint32_t *min, uint32_t *max);

/* Name of a scale ("ICD203"). */
const char *lg_confidence_scale_name(int scale);

/*
 * Check one statement: stix_value 0-100 and inside the range its words
 * allow; a yardstick term must be a published one and any stated range
 * must be the published range; "cannot be judged" carries no number.
 * Returns 0 or LEDGER_EPOLICY naming the record and field.
 */
int lg_confidence_check(const lg_confidence *c, const char *record_id);

#endif
