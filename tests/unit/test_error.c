/*
 * test_error.c - the last-error channel: messages quote file names and
 * record text, so control and bidirectional characters are escaped when a
 * message is set (and by ledger_text_escape for the CLI's own text), and a
 * message longer than its buffer is cut visibly (an ellipsis), never
 * silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attrledger/attrledger.h"
#include "base/error.h"

static void
messages_escape_controls_and_bidi(void **state)
{
    (void)state;
    /* ESC, CR, newline, RLO (U+202E), a path with a backslash. */
    lg_error_set(LEDGER_EFORMAT, "record %s in %s",
                 "a\x1b[31mb\rc\nd\xe2\x80\xae"
                 "e",
                 "C:\\x");
    assert_int_equal(ledger_error_last()->code, LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message,
                        "record a\\x1b[31mb\\x0dc\\x0ad\\u{202e}e in C:\\x");
    /* A prefix added later is escaped too, and the escaped rest is not escaped twice. */
    lg_error_prefix(LEDGER_EFORMAT, "entry %d (%s)", 7, "id\xe2\x80\x8f");
    assert_string_equal(ledger_error_last()->message,
                        "entry 7 (id\\u{200f}): record a\\x1b[31mb\\x0dc\\x0ad\\u{202e}e in C:\\x");
}

static void
long_messages_end_with_an_ellipsis(void **state)
{
    char path[4200];
    const char *m;
    size_t n;

    (void)state;
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    lg_error_set(LEDGER_EIO, "%s: No such file or directory", path);
    m = ledger_error_last()->message;
    n = strlen(m);
    assert_true(n < sizeof ledger_error_last()->message);
    assert_true(n > 200);
    assert_memory_equal(m + n - 3, "\xe2\x80\xa6", 3);
    /* A short message is never marked. */
    lg_error_set(LEDGER_EIO, "%s", "short");
    assert_string_equal(ledger_error_last()->message, "short");
    /* A cut never splits a UTF-8 character: the text is all 2-byte characters. */
    for (size_t i = 0; i + 2 < sizeof path; i += 2)
        memcpy(path + i, "\xc3\xa9", 2);
    path[sizeof path - 1 - ((sizeof path - 1) % 2)] = '\0';
    lg_error_set(LEDGER_EIO, "%s", path);
    m = ledger_error_last()->message;
    n = strlen(m);
    assert_memory_equal(m + n - 3, "\xe2\x80\xa6", 3);
    assert_int_equal((n - 3) % 2, 0);
}

static void
text_escape_measures_and_cuts(void **state)
{
    char small[8];
    size_t need;

    (void)state;
    need = ledger_text_escape(NULL, 0, "a\tb");
    assert_int_equal(need, strlen("a\\x09b"));
    assert_int_equal(ledger_text_escape(small, sizeof small, "a\tb"), need);
    assert_string_equal(small, "a\\x09b");
    /* Too long for 8 bytes: whole pieces and an ellipsis. */
    assert_int_equal(ledger_text_escape(small, sizeof small, "abcdefghij"), 10);
    assert_string_equal(small, "abcd\xe2\x80\xa6");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(messages_escape_controls_and_bidi),
        cmocka_unit_test(long_messages_end_with_an_ellipsis),
        cmocka_unit_test(text_escape_measures_and_cuts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
