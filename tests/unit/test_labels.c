/*
 * test_labels.c - the plain words for enum values (codec/labels.c), the
 * one table the text views and the CSV exports share: known words, the
 * fallbacks, and every value of the schema (read from
 * proto/attrledger/v1/ledger.proto) having its words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/labels.h"
#include "testutil.h"

static void
labels_words(void **state)
{
    (void)state;
    assert_string_equal(lg_label("PROVENANCE_FIRST_PARTY"), "first-party");
    assert_string_equal(lg_label("ATTRIBUTION_LEVEL_STRATEGIC"), "strategic level");
    assert_string_equal(lg_label("OPINION_KIND_DENIAL"), "denial");
    /* OPINION_ (Stance) is a prefix of OPINION_KIND_: both resolve. */
    assert_string_equal(lg_label("OPINION_STRONGLY_DISAGREE"), "strongly disagrees");
    assert_string_equal(lg_label("DISCLOSURE_NONE"), "withheld");
    assert_string_equal(lg_label("DATA_DISCLOSURE_NO"), "no data disclosed");
    assert_string_equal(lg_label("CHANNEL_MEDIA_ANONYMOUS_OFFICIALS"),
                        "anonymous officials in the media");
    assert_string_equal(lg_label_of("RECUSAL_POLICY_", "REDUCES_PANEL"),
                        "a recusal reduces the panel");
    assert_string_equal(lg_label_of("PARTICIPANT_ROLE_", "ACCUSED_PARTY"), "accused party");
}

static void
labels_fallbacks(void **state)
{
    (void)state;
    assert_string_equal(lg_label("CHANNEL_UNSPECIFIED"), "unspecified");
    assert_string_equal(lg_label("OPINION_UNSPECIFIED"), "unspecified");
    /* A value from a newer schema is kept as it is, never dropped. */
    assert_string_equal(lg_label("CHANNEL_CARRIER_PIGEON"), "CHANNEL_CARRIER_PIGEON");
    assert_string_equal(lg_label("17"), "17");
    assert_string_equal(lg_label(""), "");
    assert_string_equal(lg_label(NULL), "");
    assert_string_equal(lg_label_of("VOTE_", "MAYBE"), "MAYBE");
    assert_string_equal(lg_label_of("VOTE_", ""), "");
}

/* Every enum value in the schema has words (a value added without them
 * would reach readers as an enum name). */
static void
labels_cover_the_schema(void **state)
{
    char path[1024], line[512], name[128];
    FILE *f;
    int in_enum = 0, values = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/../../proto/attrledger/v1/ledger.proto", LEDGER_TEST_VECTORS);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "enum ", 5) == 0)
            in_enum = 1;
        else if (line[0] == '}')
            in_enum = 0;
        else if (in_enum && sscanf(line, " %127[A-Z0-9_] =", name) == 1) {
            const char *w = lg_label(name);
            values++;
            if (strcmp(w, name) == 0 || *w == '\0')
                fail_msg("%s has no plain words in codec/labels.c", name);
        }
    }
    fclose(f);
    assert_true(values > 250); /* 291 when written: the parse found them */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_words),
        cmocka_unit_test(labels_fallbacks),
        cmocka_unit_test(labels_cover_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
