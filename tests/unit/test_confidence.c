/*
 * test_confidence.c - the published conversion between estimative words
 * and STIX confidence numbers (confidence.c).
 *
 * The expected ranges below are written from the sources, not copied from
 * confidence.c: ICD 203 and PHIA from reference/domain-model.md section 3.1,
 * WEP, None/Low/Med/High, 0-10 and Admiralty credibility from STIX 2.1
 * Part 1 Appendix B. For every term: min and max are accepted, min-1 and
 * max+1 rejected, and a stated range is accepted only when it is the
 * published one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/error.h"
#include "rules/confidence.h"
#include "testutil.h"

typedef struct {
    int scale;
    const char *term;
    int min, max; /* -1: cannot be judged (no number) */
} expect_range;

static const expect_range published[] = {
    /* ICD 203: the two rows of terms share the ranges. */
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
    /* PHIA yardstick, with its deliberate gaps. */
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
    /* STIX 2.1 Appendix B, WEP (both words of each row). */
    {LG_SCALE_WEP, "impossible", 0, 0},
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
    /* STIX 2.1 Appendix B, None/Low/Med/High. */
    {LG_SCALE_NONE_LOW_MED_HIGH, "none", 0, 0},
    {LG_SCALE_NONE_LOW_MED_HIGH, "low", 1, 29},
    {LG_SCALE_NONE_LOW_MED_HIGH, "med", 30, 69},
    {LG_SCALE_NONE_LOW_MED_HIGH, "medium", 30, 69},
    {LG_SCALE_NONE_LOW_MED_HIGH, "high", 70, 100},
    /* STIX 2.1 Appendix B, Admiralty information credibility. */
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

#define N_PUBLISHED (sizeof published / sizeof published[0])

/* A statement with a likelihood and, when stix >= 0, a stix_value. */
static lg_confidence
stmt(int scale, const char *term, long stix, uint32_t rmin, uint32_t rmax)
{
    lg_confidence c;

    memset(&c, 0, sizeof c);
    snprintf(c.field, sizeof c.field, "attribution_claim.confidence");
    c.scale = scale;
    c.term = term;
    c.has_stix = stix >= 0;
    c.stix = stix >= 0 ? (uint32_t)stix : 0;
    c.range_min = rmin;
    c.range_max = rmax;
    return c;
}

static int
check(int scale, const char *term, long stix, uint32_t rmin, uint32_t rmax)
{
    lg_confidence c = stmt(scale, term, stix, rmin, rmax);

    ledger_error_clear();
    return lg_confidence_check(&c, "clm:t");
}

static void
assert_msg_has(const char *want)
{
    const char *msg = ledger_error_last()->message;

    if (strstr(msg, want) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

static void
confidence_table_ranges_are_the_published_ones(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_PUBLISHED; i++) {
        const expect_range *e = &published[i];
        uint32_t min = 999, max = 999;
        int rc = lg_confidence_range(e->scale, e->term, &min, &max);

        if (e->min < 0) {
            if (rc != -1)
                fail_msg("%s \"%s\": got %d, want -1 (cannot be judged)",
                         lg_confidence_scale_name(e->scale), e->term, rc);
            continue;
        }
        if (rc != 1 || min != (uint32_t)e->min || max != (uint32_t)e->max)
            fail_msg("%s \"%s\": got %d %u-%u, want %d-%d", lg_confidence_scale_name(e->scale),
                     e->term, rc, min, max, e->min, e->max);
    }
}

static void
confidence_every_entry_accepts_its_bounds_and_rejects_beyond(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_PUBLISHED; i++) {
        const expect_range *e = &published[i];
        const char *scale = lg_confidence_scale_name(e->scale);

        if (e->min < 0)
            continue;
        if (check(e->scale, e->term, e->min, 0, 0) != 0)
            fail_msg("%s \"%s\": min %d rejected: %s", scale, e->term, e->min,
                     ledger_error_last()->message);
        if (check(e->scale, e->term, e->max, 0, 0) != 0)
            fail_msg("%s \"%s\": max %d rejected: %s", scale, e->term, e->max,
                     ledger_error_last()->message);
        /* With the published range stated, too. */
        if (check(e->scale, e->term, e->min, (uint32_t)e->min, (uint32_t)e->max) != 0)
            fail_msg("%s \"%s\": published range rejected: %s", scale, e->term,
                     ledger_error_last()->message);
        if (e->min > 0) {
            if (check(e->scale, e->term, e->min - 1, 0, 0) != LEDGER_EPOLICY)
                fail_msg("%s \"%s\": min-1 = %d accepted", scale, e->term, e->min - 1);
            assert_msg_has("is outside");
            assert_msg_has("clm:t");
        }
        if (check(e->scale, e->term, e->max + 1, 0, 0) != LEDGER_EPOLICY)
            fail_msg("%s \"%s\": max+1 = %d accepted", scale, e->term, e->max + 1);
        assert_msg_has(e->max + 1 > 100 ? "is not 0-100" : "is outside");
        /* No number at all is fine: the words are the statement. */
        if (check(e->scale, e->term, -1, 0, 0) != 0)
            fail_msg("%s \"%s\" without stix_value rejected", scale, e->term);
    }
}

static void
confidence_phia_highly_likely_example(void **state)
{
    (void)state;
    TU_OK(check(LG_SCALE_PHIA, "highly likely", 85, 80, 90));
    TU_CHECK(check(LG_SCALE_PHIA, "highly likely", 95, 80, 90), LEDGER_EPOLICY);
    assert_string_equal(ledger_error_last()->message,
                        "record clm:t: attribution_claim.confidence.stix_value 95 is outside "
                        "80-90, the range of PHIA \"highly likely\"");
}

static void
confidence_stated_range_must_be_the_published_one(void **state)
{
    (void)state;
    /* Invented precision: a narrower or wider range than the yardstick's. */
    TU_CHECK(check(LG_SCALE_PHIA, "highly likely", 85, 80, 95), LEDGER_EPOLICY);
    assert_msg_has("PHIA \"highly likely\" is 80-90%, not 80-95");
    TU_CHECK(check(LG_SCALE_PHIA, "highly likely", 85, 84, 86), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_ICD203, "likely", -1, 55, 75), LEDGER_EPOLICY);
    assert_msg_has("ICD203 \"likely\" is 55-80%, not 55-75");
    /* Only one bound stated is a range too. */
    TU_CHECK(check(LG_SCALE_ICD203, "likely", -1, 0, 80), LEDGER_EPOLICY);
    TU_OK(check(LG_SCALE_ICD203, "likely", -1, 55, 80));
}

static void
confidence_terms_ignore_case_and_surrounding_spaces(void **state)
{
    (void)state;
    TU_OK(check(LG_SCALE_PHIA, "Highly Likely", 85, 0, 0));
    TU_OK(check(LG_SCALE_PHIA, "  HIGHLY LIKELY  ", 85, 0, 0));
    TU_OK(check(LG_SCALE_ICD203, "Almost Certain", 97, 0, 0));
    TU_OK(check(LG_SCALE_ADMIRALTY, " Probably True", 70, 0, 0));
    TU_OK(check(LG_SCALE_ZERO_TEN, " 7 ", 70, 0, 0));
    TU_CHECK(check(LG_SCALE_PHIA, "Highly Likely", 95, 0, 0), LEDGER_EPOLICY);
    /* Spaces inside a term are part of it. */
    TU_CHECK(check(LG_SCALE_PHIA, "highlylikely", 85, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("is not a PHIA term");
}

static void
confidence_zero_ten_maps_n_to_10n(void **state)
{
    (void)state;
    for (int n = 0; n <= 10; n++) {
        char term[8];
        uint32_t min, max, want_min = n == 0 ? 0 : (uint32_t)(10 * n - 5),
                           want_max = n == 10  ? 100
                                      : n == 0 ? 4
                                               : (uint32_t)(10 * n + 4);

        snprintf(term, sizeof term, "%d", n);
        assert_int_equal(lg_confidence_range(LG_SCALE_ZERO_TEN, term, &min, &max), 1);
        assert_int_equal(min, want_min);
        assert_int_equal(max, want_max);
        TU_OK(check(LG_SCALE_ZERO_TEN, term, 10 * n, 0, 0));
        TU_OK(check(LG_SCALE_ZERO_TEN, term, want_min, 0, 0));
        TU_OK(check(LG_SCALE_ZERO_TEN, term, want_max, 0, 0));
        if (want_min > 0)
            TU_CHECK(check(LG_SCALE_ZERO_TEN, term, want_min - 1, 0, 0), LEDGER_EPOLICY);
        TU_CHECK(check(LG_SCALE_ZERO_TEN, term, want_max + 1, 0, 0), LEDGER_EPOLICY);
    }
    /* Not a 0-10 term. */
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "11", 100, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("\"11\" is not a ZERO_TEN term");
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "-1", 0, 0, 0), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "7.5", 75, 0, 0), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "seven", 70, 0, 0), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "99999999999999999999", 70, 0, 0), LEDGER_EPOLICY);
}

static void
confidence_admiralty_maps_digits_and_words(void **state)
{
    (void)state;
    /* The digit and its words are the same entry. */
    static const char *const pairs[][2] = {{"1", "Confirmed"},
                                           {"2", "Probably True"},
                                           {"3", "Possibly True"},
                                           {"4", "Doubtful"},
                                           {"5", "Improbable"}};
    static const int stix[] = {90, 70, 50, 30, 10};

    for (int i = 0; i < 5; i++) {
        uint32_t a0, a1, b0, b1;
        assert_int_equal(lg_confidence_range(LG_SCALE_ADMIRALTY, pairs[i][0], &a0, &a1), 1);
        assert_int_equal(lg_confidence_range(LG_SCALE_ADMIRALTY, pairs[i][1], &b0, &b1), 1);
        assert_int_equal(a0, b0);
        assert_int_equal(a1, b1);
        TU_OK(check(LG_SCALE_ADMIRALTY, pairs[i][0], stix[i], 0, 0));
        TU_OK(check(LG_SCALE_ADMIRALTY, pairs[i][1], stix[i], 0, 0));
    }
    /* 6 = truth cannot be judged: no number. */
    TU_OK(check(LG_SCALE_ADMIRALTY, "6", -1, 0, 0));
    TU_CHECK(check(LG_SCALE_ADMIRALTY, "6", 0, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("says \"6\", which carries no stix_value");
    TU_CHECK(check(LG_SCALE_ADMIRALTY, "7", 10, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("is not a ADMIRALTY_CREDIBILITY term");
    /* Reliability letters rate participants, not information. */
    TU_CHECK(check(LG_SCALE_ADMIRALTY, "A", 90, 0, 0), LEDGER_EPOLICY);
}

static void
confidence_cannot_be_judged_carries_no_number(void **state)
{
    static const char *const words[] = {"cannot be judged", "Cannot Assess", "cannot be assessed",
                                        "truth cannot be judged"};
    static const int scales[] = {LG_SCALE_ICD203, LG_SCALE_PHIA, LG_SCALE_ADMIRALTY,
                                 LG_SCALE_FREE_TEXT};

    (void)state;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
            uint32_t min, max;
            assert_int_equal(lg_confidence_range(scales[s], words[w], &min, &max), -1);
            TU_OK(check(scales[s], words[w], -1, 0, 0));
            TU_CHECK(check(scales[s], words[w], 50, 0, 0), LEDGER_EPOLICY);
            assert_msg_has("which carries no stix_value");
            /* Even 0 is a number. */
            TU_CHECK(check(scales[s], words[w], 0, 0, 0), LEDGER_EPOLICY);
        }
    }
}

static void
confidence_unknown_term_is_rejected(void **state)
{
    (void)state;
    TU_CHECK(check(LG_SCALE_PHIA, "very likely", 85, 0, 0), LEDGER_EPOLICY);
    assert_string_equal(ledger_error_last()->message,
                        "record clm:t: attribution_claim.confidence: \"very likely\" is not a "
                        "PHIA term");
    /* A term of another yardstick is not a term of this one. */
    TU_CHECK(check(LG_SCALE_ICD203, "realistic possibility", 45, 0, 0), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_NONE_LOW_MED_HIGH, "moderate", 50, 0, 0), LEDGER_EPOLICY);
    /* Unknown even without a number. */
    TU_CHECK(check(LG_SCALE_WEP, "fairly likely", -1, 0, 0), LEDGER_EPOLICY);
}

static void
confidence_free_text_keeps_its_own_range(void **state)
{
    (void)state;
    /* Official wording without a yardstick: any term, an optional range. */
    TU_OK(check(LG_SCALE_FREE_TEXT, "we are confident", 70, 0, 0));
    TU_OK(check(LG_SCALE_FREE_TEXT, "we are confident", -1, 0, 0));
    TU_OK(check(LG_SCALE_FREE_TEXT, "fairly sure", 60, 60, 75));
    TU_OK(check(LG_SCALE_FREE_TEXT, "fairly sure", 75, 60, 75));
    TU_CHECK(check(LG_SCALE_FREE_TEXT, "fairly sure", 59, 60, 75), LEDGER_EPOLICY);
    assert_msg_has("stix_value 59 is outside the stated range 60-75");
    TU_CHECK(check(LG_SCALE_FREE_TEXT, "fairly sure", 76, 60, 75), LEDGER_EPOLICY);
    TU_OK(check(LG_SCALE_FREE_TEXT, "certain", 100, 100, 100));
    /* An impossible range. */
    TU_CHECK(check(LG_SCALE_FREE_TEXT, "fairly sure", -1, 75, 60), LEDGER_EPOLICY);
    assert_msg_has("range 75-60 is invalid");
    TU_CHECK(check(LG_SCALE_FREE_TEXT, "fairly sure", -1, 90, 101), LEDGER_EPOLICY);
    /* Free text still needs words. */
    TU_CHECK(check(LG_SCALE_FREE_TEXT, "", 70, 0, 0), LEDGER_EPOLICY);
}

static void
confidence_scale_without_term_is_rejected(void **state)
{
    (void)state;
    TU_CHECK(check(LG_SCALE_PHIA, "", 85, 0, 0), LEDGER_EPOLICY);
    assert_string_equal(ledger_error_last()->message,
                        "record clm:t: attribution_claim.confidence.likelihood has scale PHIA "
                        "but no term");
    TU_CHECK(check(LG_SCALE_ICD203, "", -1, 55, 80), LEDGER_EPOLICY);
    TU_CHECK(check(LG_SCALE_ZERO_TEN, "", -1, 0, 0), LEDGER_EPOLICY);
}

static void
confidence_term_without_scale_is_rejected(void **state)
{
    (void)state;
    TU_CHECK(check(LG_SCALE_UNSPECIFIED, "highly likely", 85, 0, 0), LEDGER_EPOLICY);
    assert_string_equal(ledger_error_last()->message,
                        "record clm:t: attribution_claim.confidence.likelihood gives a term or "
                        "range but no scale");
    TU_CHECK(check(LG_SCALE_UNSPECIFIED, "", 85, 80, 90), LEDGER_EPOLICY);
    /* A bare number (analytic confidence only, or a mapped default) is fine. */
    TU_OK(check(LG_SCALE_UNSPECIFIED, "", 70, 0, 0));
    TU_OK(check(LG_SCALE_UNSPECIFIED, "", -1, 0, 0));
}

static void
confidence_stix_and_scale_limits(void **state)
{
    (void)state;
    TU_OK(check(LG_SCALE_UNSPECIFIED, "", 0, 0, 0));
    TU_OK(check(LG_SCALE_UNSPECIFIED, "", 100, 0, 0));
    TU_CHECK(check(LG_SCALE_UNSPECIFIED, "", 101, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("stix_value 101 is not 0-100");
    TU_CHECK(check(LG_SCALE_UNSPECIFIED, "", 4294967295L, 0, 0), LEDGER_EPOLICY);
    TU_CHECK(check(8, "likely", 70, 0, 0), LEDGER_EPOLICY);
    assert_msg_has("unknown likelihood scale");
    TU_CHECK(check(-1, "likely", 70, 0, 0), LEDGER_EPOLICY);
    assert_string_equal(lg_confidence_scale_name(LG_SCALE_ADMIRALTY), "ADMIRALTY_CREDIBILITY");
    assert_string_equal(lg_confidence_scale_name(99), "unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(confidence_table_ranges_are_the_published_ones),
        cmocka_unit_test(confidence_every_entry_accepts_its_bounds_and_rejects_beyond),
        cmocka_unit_test(confidence_phia_highly_likely_example),
        cmocka_unit_test(confidence_stated_range_must_be_the_published_one),
        cmocka_unit_test(confidence_terms_ignore_case_and_surrounding_spaces),
        cmocka_unit_test(confidence_zero_ten_maps_n_to_10n),
        cmocka_unit_test(confidence_admiralty_maps_digits_and_words),
        cmocka_unit_test(confidence_cannot_be_judged_carries_no_number),
        cmocka_unit_test(confidence_unknown_term_is_rejected),
        cmocka_unit_test(confidence_free_text_keeps_its_own_range),
        cmocka_unit_test(confidence_scale_without_term_is_rejected),
        cmocka_unit_test(confidence_term_without_scale_is_rejected),
        cmocka_unit_test(confidence_stix_and_scale_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
