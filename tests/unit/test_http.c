/*
 * test_http.c - the HTTP fetcher's checks that need no server (fetch_http.c):
 * which URL prefixes are accepted, which paths, the options version, and
 * that a refused connection is LEDGER_EIO naming the URL. Transfers against
 * a real server are in tests/cli/test_audit_http.sh (tests/tools/httpd.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/common.h"
#include "attrledger/error.h"
#include "attrledger/http.h"
#include "testutil.h"

static void
expect_prefix(const char *url, int code, const char *msg_part)
{
    ledger_http_fetcher *f = NULL;
    int rc = ledger_http_fetcher_new(&f, url, NULL);

    if (rc != code)
        fail_msg("%s: got %d, want %d (%s)", url, rc, code, ledger_error_last()->message);
    if (msg_part != NULL && strstr(ledger_error_last()->message, msg_part) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", url, ledger_error_last()->message, msg_part);
    if (code == 0)
        assert_non_null(f);
    else
        assert_null(f);
    ledger_http_fetcher_free(f);
}

static void
http_prefixes(void **state)
{
    (void)state;
    expect_prefix("http://127.0.0.1:8080", 0, NULL);
    expect_prefix("https://log.example.org/tiles/", 0, NULL);
    expect_prefix("HTTPS://log.example.org/a/b//", 0, NULL);
    expect_prefix("http://[::1]:80/x", 0, NULL);
    expect_prefix("", LEDGER_EINVAL, "empty");
    expect_prefix("ftp://example.org/log", LEDGER_EINVAL, "not an http");
    expect_prefix("file:///etc", LEDGER_EINVAL, "not an http");
    expect_prefix("/var/www/log", LEDGER_EINVAL, "not an http");
    expect_prefix("http://example.org/a b", LEDGER_EINVAL, "space");
    expect_prefix("http://example.org/\x1b[2J", LEDGER_EINVAL, "control");
    expect_prefix("http://example.org/\n", LEDGER_EINVAL, "control");
    expect_prefix("http://example.org/\xc3\xa9", LEDGER_EINVAL, "non-ASCII");
    expect_prefix("http://user:pw@example.org/", LEDGER_EINVAL, "credentials");
    expect_prefix("http://example.org/log?x=1", LEDGER_EINVAL, "query");
    expect_prefix("http://example.org/log#top", LEDGER_EINVAL, "query or fragment");
    expect_prefix("http://", LEDGER_EINVAL, "no host");
    expect_prefix("http:///log", LEDGER_EINVAL, "no host");

    char longurl[LEDGER_HTTP_PREFIX_MAX + 2];
    memcpy(longurl, "http://h/", 9);
    memset(longurl + 9, 'a', sizeof longurl - 10);
    longurl[sizeof longurl - 1] = '\0';
    expect_prefix(longurl, LEDGER_EINVAL, "longer than");
    longurl[sizeof longurl - 2] = '\0';
    expect_prefix(longurl, 0, NULL);
}

static void
http_options_and_paths(void **state)
{
    ledger_http_options o = LEDGER_HTTP_OPTIONS_INIT;
    ledger_http_fetcher *f = NULL;
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    o.version = 99;
    TU_CHECK(ledger_http_fetcher_new(&f, "http://127.0.0.1/", &o), LEDGER_EVERSION);
    assert_null(f);
    TU_CHECK(ledger_http_fetcher_new(NULL, "http://127.0.0.1/", NULL), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetcher_new(&f, NULL, NULL), LEDGER_EINVAL);

    o.version = LEDGER_HTTP_OPTIONS_VERSION;
    o.connect_timeout_s = 2;
    TU_OK(ledger_http_fetcher_new(&f, "http://127.0.0.1:1/", &o));
    /* Paths are ours: no escaping, no "..", no absolute paths, no query. */
    TU_CHECK(ledger_http_fetch(f, "", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(f, "/checkpoint", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(f, "tile/../../etc/passwd", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(f, "checkpoint?x", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(f, "check point", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(NULL, "checkpoint", 100, &b), LEDGER_EINVAL);
    TU_CHECK(ledger_http_fetch(f, "checkpoint", 100, NULL), LEDGER_EINVAL);
    assert_null(b.data);
    /* Port 1 on loopback: nothing listens (the test runs unprivileged or
     * not, nobody serves tcpmux). Refused -> EIO naming the URL. */
    TU_CHECK(ledger_http_fetch(f, "checkpoint", 100, &b), LEDGER_EIO);
    assert_non_null(strstr(ledger_error_last()->message, "http://127.0.0.1:1/checkpoint: "));
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    ledger_http_fetcher_free(f);
    ledger_http_fetcher_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_prefixes),
        cmocka_unit_test(http_options_and_paths),
    };

    if (ledger_init() != 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
