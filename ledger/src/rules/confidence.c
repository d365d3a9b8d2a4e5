/*
 * confidence.c - checking confidence statements against the published
 * conversion table.
 *
 * A claimant's own words are the statement; the STIX number is a derived
 * convenience for threat-intelligence tools. So the ledger stores both and
 * refuses a number the words do not allow (e.g. PHIA "highly likely" is
 * 80-90%, so stix_value 95 is rejected), refuses invented precision (a
 * stated range that differs from the published one), and refuses any
 * number for "cannot be judged" (STIX: omit confidence).
 *
 * Tables: ICD 203 and PHIA as in domain-model.md 3.1; WEP, None/Low/Med/High,
 * 0-10 and Admiralty credibility as in STIX 2.1 Appendix B. Terms match
 * case-insensitively after trimming spaces.
 */
#include "rules/confidence.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

typedef struct {
    int scale;
    const char *term;
    int min, max; /* min < 0: cannot be judged */
} term_range;

static const term_range table[] = {
    {LG_SCALE_ICD203, "almost no chance", 1, 5},
    {LG_SCALE_ICD203, "remote", 1, 5},
    {LG_SCALE_ICD203, "very unlikely", 5, 20},
    {LG_SCALE_ICD203, "highly improbable", 5, 20},
    {LG_SCALE_ICD203, "unlikely", 20, 45},
    {LG_SCALE_ICD203, "improbable", 20, 45},
    {LG_SCALE_ICD203, "roughly even chance", 45, 55},
    {LG_SCALE_ICD203, "roughly even odds", 45, 55},
    {LG_SCALE_ICD203, "likely", 55, 80},
    {LG_SCALE_ICD203, "probable", 55, 80},
    {LG_SCALE_ICD203, "very likely", 80, 95},
    {LG_SCALE_ICD203, "highly probable", 80, 95},
    {LG_SCALE_ICD203, "almost certain", 95, 99},
    {LG_SCALE_ICD203, "nearly certain", 95, 99},
    {LG_SCALE_PHIA, "remote chance", 0, 5},
    {LG_SCALE_PHIA, "highly unlikely", 10, 20},
    {LG_SCALE_PHIA, "unlikely", 25, 35},
    {LG_SCALE_PHIA, "realistic possibility", 40, 50},
    {LG_SCALE_PHIA, "likely", 55, 75},
    {LG_SCALE_PHIA, "probably", 55, 75},
    {LG_SCALE_PHIA, "likely / probably", 55, 75},
    {LG_SCALE_PHIA, "highly likely", 80, 90},
    {LG_SCALE_PHIA, "almost certain", 95, 100},
    {LG_SCALE_PHIA, "almost certainly", 95, 100},
    {LG_SCALE_WEP, "impossible", 0, 0},
    /* STIX names two words per row: "Highly Unlikely/Almost Certainly Not". */
    {LG_SCALE_WEP, "highly unlikely", 1, 19},
    {LG_SCALE_WEP, "almost certainly not", 1, 19},
    {LG_SCALE_WEP, "unlikely", 20, 39},
    {LG_SCALE_WEP, "probably not", 20, 39},
    {LG_SCALE_WEP, "even chance", 40, 59},
    {LG_SCALE_WEP, "likely", 60, 79},
    {LG_SCALE_WEP, "probable", 60, 79},
    {LG_SCALE_WEP, "highly likely", 80, 99},
    {LG_SCALE_WEP, "almost certain", 80, 99},
    {LG_SCALE_WEP, "certain", 100, 100},
    {LG_SCALE_NONE_LOW_MED_HIGH, "none", 0, 0},
    {LG_SCALE_NONE_LOW_MED_HIGH, "low", 1, 29},
    {LG_SCALE_NONE_LOW_MED_HIGH, "med", 30, 69},
    {LG_SCALE_NONE_LOW_MED_HIGH, "medium", 30, 69},
    {LG_SCALE_NONE_LOW_MED_HIGH, "high", 70, 100},
    {LG_SCALE_ADMIRALTY, "1", 80, 100},
    {LG_SCALE_ADMIRALTY, "confirmed", 80, 100},
    {LG_SCALE_ADMIRALTY, "2", 60, 79},
    {LG_SCALE_ADMIRALTY, "probably true", 60, 79},
    {LG_SCALE_ADMIRALTY, "3", 40, 59},
    {LG_SCALE_ADMIRALTY, "possibly true", 40, 59},
    {LG_SCALE_ADMIRALTY, "4", 20, 39},
    {LG_SCALE_ADMIRALTY, "doubtful", 20, 39},
    {LG_SCALE_ADMIRALTY, "5", 0, 19},
    {LG_SCALE_ADMIRALTY, "improbable", 0, 19},
    {LG_SCALE_ADMIRALTY, "6", -1, -1},
    {LG_SCALE_ADMIRALTY, "truth cannot be judged", -1, -1},
};

static const char *const never_a_number[] = {"cannot be judged", "cannot assess",
                                             "cannot be assessed", "truth cannot be judged"};

/* Case-insensitive compare of a trimmed term with a table entry. */
static int
term_equal(const char *term, const char *want)
{
    size_t a = 0, n = strlen(term);

    while (a < n && term[a] == ' ')
        a++;
    while (n > a && term[n - 1] == ' ')
        n--;
    if (n - a != strlen(want))
        return 0;
    for (size_t i = 0; a + i < n; i++)
        if (tolower((unsigned char)term[a + i]) != want[i])
            return 0;
    return 1;
}

const char *
lg_confidence_scale_name(int scale)
{
    static const char *const names[] = {"UNSPECIFIED",     "ICD203",   "PHIA",
                                        "WEP",             "NONE_LOW_MED_HIGH",
                                        "ZERO_TEN",        "ADMIRALTY_CREDIBILITY",
                                        "FREE_TEXT"};
    return (scale >= 0 && scale <= LG_SCALE_FREE_TEXT) ? names[scale] : "unknown";
}

int
lg_confidence_range(int scale, const char *term, uint32_t *min, uint32_t *max)
{
    for (size_t i = 0; i < sizeof never_a_number / sizeof never_a_number[0]; i++)
        if (term_equal(term, never_a_number[i]))
            return -1;
    if (scale == LG_SCALE_ZERO_TEN) {
        /* "0".."10": n maps to 10n, the range of values that round to it.
         * Surrounding spaces are ignored, as for the word scales. */
        char *end;
        long n;
        while (*term == ' ')
            term++;
        if (*term < '0' || *term > '9')
            return 0;
        n = strtol(term, &end, 10);
        while (*end == ' ')
            end++;
        if (*end != '\0' || n < 0 || n > 10)
            return 0;
        *min = n == 0 ? 0 : (uint32_t)(10 * n - 5);
        *max = n == 10 ? 100 : n == 0 ? 4 : (uint32_t)(10 * n + 4);
        return 1;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].scale == scale && term_equal(term, table[i].term)) {
            if (table[i].min < 0)
                return -1;
            *min = (uint32_t)table[i].min;
            *max = (uint32_t)table[i].max;
            return 1;
        }
    }
    return 0;
}

int
lg_confidence_check(const lg_confidence *c, const char *rid)
{
    uint32_t min, max;
    int known;

    if (c->has_stix && c->stix > 100)
        return lg_error_set(LEDGER_EPOLICY, "record %s: %s.stix_value %u is not 0-100", rid,
                            c->field, c->stix);
    if (c->scale < LG_SCALE_UNSPECIFIED || c->scale > LG_SCALE_FREE_TEXT)
        return lg_error_set(LEDGER_EPOLICY, "record %s: %s has an unknown likelihood scale", rid,
                            c->field);
    if (c->scale == LG_SCALE_UNSPECIFIED) {
        if (*c->term != '\0' || c->range_min != 0 || c->range_max != 0)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: %s.likelihood gives a term or range but no scale",
                                rid, c->field);
        return 0;
    }
    if (*c->term == '\0')
        return lg_error_set(LEDGER_EPOLICY, "record %s: %s.likelihood has scale %s but no term",
                            rid, c->field, lg_confidence_scale_name(c->scale));
    known = lg_confidence_range(c->scale, c->term, &min, &max);
    if (known < 0) {
        if (c->has_stix)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: %s says \"%.40s\", which carries no stix_value", rid,
                                c->field, c->term);
        return 0;
    }
    if (c->scale == LG_SCALE_FREE_TEXT) {
        if (c->range_max > 100 || c->range_min > c->range_max)
            return lg_error_set(LEDGER_EPOLICY, "record %s: %s.likelihood range %u-%u is invalid",
                                rid, c->field, c->range_min, c->range_max);
        if (c->has_stix && c->range_max != 0 && (c->stix < c->range_min || c->stix > c->range_max))
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: %s.stix_value %u is outside the stated range %u-%u",
                                rid, c->field, c->stix, c->range_min, c->range_max);
        return 0;
    }
    if (known == 0)
        return lg_error_set(LEDGER_EPOLICY, "record %s: %s: \"%.40s\" is not a %s term", rid,
                            c->field, c->term, lg_confidence_scale_name(c->scale));
    if ((c->range_min != 0 || c->range_max != 0) && (c->range_min != min || c->range_max != max))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s: %s \"%.40s\" is %u-%u%%, not %u-%u", rid, c->field,
                            lg_confidence_scale_name(c->scale), c->term, min, max, c->range_min,
                            c->range_max);
    if (c->has_stix && (c->stix < min || c->stix > max))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s.stix_value %u is outside %u-%u, the range of %s "
                            "\"%.40s\"",
                            rid, c->field, c->stix, min, max, lg_confidence_scale_name(c->scale),
                            c->term);
    return 0;
}
