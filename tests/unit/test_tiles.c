/*
 * test_tiles.c - C2SP tlog-tiles addressing (tiles.c).
 *
 * Known answers: reference/tlog-test-vectors.md section 7. Plus round trips
 * format -> parse over many indexes, levels and widths, and the strict
 * rejects of malformed paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/error.h"
#include "testutil.h"
#include "tlog/tiles.h"

static void
check_path(int level, uint64_t index, unsigned width, const char *want)
{
    lg_tile t = {level, index, width}, back;
    char path[LG_TILE_PATH_MAX];

    TU_OK(lg_tile_path(path, sizeof path, &t));
    assert_string_equal(path, want);
    TU_OK(lg_tile_parse(&back, want, strlen(want)));
    assert_int_equal(back.level, level);
    assert_int_equal(back.index, index);
    assert_int_equal(back.width, width);
}

static void
expect_reject(const char *path)
{
    lg_tile t = {7, 7, 7};
    int rc = lg_tile_parse(&t, path, strlen(path));

    if (rc != LEDGER_EFORMAT)
        fail_msg("\"%s\" parsed (%d), want LEDGER_EFORMAT", path, rc);
    assert_null(strchr(ledger_error_last()->message, '\n'));
    assert_non_null(strstr(ledger_error_last()->message, "tile path"));
    /* out is untouched */
    assert_int_equal(t.level, 7);
    assert_int_equal(t.index, 7);
    assert_int_equal(t.width, 7);
}

static void
expect_count(uint64_t size, int level, uint64_t full, unsigned partial)
{
    uint64_t f = 99;
    unsigned p = 99;

    TU_OK(lg_tile_count(&f, &p, size, level));
    if (f != full || p != partial)
        fail_msg("size %llu level %d: %llu full + partial %u, want %llu + %u",
                 (unsigned long long)size, level, (unsigned long long)f, p,
                 (unsigned long long)full, partial);
}

/* Section 7: index groups and paths. */
static void
tiles_path_vectors(void **state)
{
    (void)state;
    check_path(0, 0, 256, "tile/0/000");
    check_path(0, 5, 256, "tile/0/005");
    check_path(0, 1000, 256, "tile/0/x001/000");
    check_path(0, 1234067, 256, "tile/0/x001/x234/067");
    check_path(LG_TILE_ENTRIES, 1234067, 256, "tile/entries/x001/x234/067");
    check_path(0, 3, 17, "tile/0/003.p/17");
    check_path(0, 273, 112, "tile/0/273.p/112");
    check_path(1, 1, 17, "tile/1/001.p/17");
    check_path(2, 0, 1, "tile/2/000.p/1");
    check_path(1, 0, 1, "tile/1/000.p/1");
    check_path(LG_TILE_ENTRIES, 3, 17, "tile/entries/003.p/17");
    check_path(63, 999, 255, "tile/63/999.p/255");
    check_path(0, UINT64_MAX, 255, "tile/0/x018/x446/x744/x073/x709/x551/615.p/255");
    check_path(LG_TILE_ENTRIES, UINT64_MAX, 255,
               "tile/entries/x018/x446/x744/x073/x709/x551/615.p/255");
    assert_int_equal(strlen("tile/entries/x018/x446/x744/x073/x709/x551/615.p/255") + 1, 52 + 1);
}

/* Section 7: which tiles exist for sizes 70,000 and 256. */
static void
tiles_count_vectors(void **state)
{
    (void)state;
    /* 70,000: 273 full level-0 tiles + width 112; 1 full level-1 + width 17;
     * level 2 partial width 1; nothing above. */
    expect_count(70000, 0, 273, 112);
    expect_count(70000, LG_TILE_ENTRIES, 273, 112);
    expect_count(70000, 1, 1, 17);
    expect_count(70000, 2, 0, 1);
    expect_count(70000, 3, 0, 0);
    /* 256: one full level-0 tile, a level-1 partial of width 1, no partial
     * level-0 tile. */
    expect_count(256, 0, 1, 0);
    expect_count(256, 1, 0, 1);
    expect_count(256, 2, 0, 0);
    /* The empty tree and the largest sizes. */
    expect_count(0, 0, 0, 0);
    expect_count(1, 0, 0, 1);
    expect_count(255, 0, 0, 255);
    expect_count(UINT64_MAX, 0, UINT64_MAX >> 8, 255);
    expect_count(UINT64_MAX, 7, 0, 255);
    expect_count(UINT64_MAX, 8, 0, 0);
    expect_count(UINT64_MAX, 63, 0, 0);
    {
        uint64_t f;
        unsigned p;

        assert_int_equal(lg_tile_count(&f, &p, 1, 64), LEDGER_EINVAL);
        assert_int_equal(lg_tile_count(&f, &p, 1, -2), LEDGER_EINVAL);
    }
}

/* The width rule: width at level L = floor(s / 256^L) mod 256, zero means
 * no partial tile; full and partial tiles together cover exactly the
 * floor(s / 256^L) complete level-L entries. */
static void
tiles_width_rule(void **state)
{
    uint64_t s = 0x9e3779b97f4a7c15u;

    (void)state;
    for (int i = 0; i < 2000; i++) {
        uint64_t size = i < 1000 ? (uint64_t)i * 97 : (s >> (i % 64));
        uint64_t div = 1; /* 256^L while it fits */

        s = s * 6364136223846793005u + 1442695040888963407u;
        for (int level = 0; level <= LG_TILE_MAX_LEVEL; level++) {
            uint64_t full;
            unsigned partial;

            TU_OK(lg_tile_count(&full, &partial, size, level));
            if (level < 8) {
                assert_int_equal(partial, (size / div) % 256);
                assert_int_equal(full * 256 + partial, size / div);
                div = level < 7 ? div * 256 : 0;
            } else {
                assert_int_equal(full, 0);
                assert_int_equal(partial, 0);
            }
        }
    }
}

static void
tiles_round_trip(void **state)
{
    static const uint64_t idx[] = {
        0,         1,      5,       99,      100,         999,        1000,
        1001,      999999, 1000000, 1234067, 4294967295u, 1ull << 56, UINT64_MAX - 1,
        UINT64_MAX};
    static const int levels[] = {LG_TILE_ENTRIES, 0, 1, 2, 9, 10, 63};
    static const unsigned widths[] = {1, 2, 17, 99, 100, 255, 256};

    (void)state;
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
        for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
            for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
                lg_tile t = {levels[l], idx[i], widths[w]}, back;
                char path[LG_TILE_PATH_MAX];

                TU_OK(lg_tile_path(path, sizeof path, &t));
                assert_true(strlen(path) < LG_TILE_PATH_MAX);
                TU_OK(lg_tile_parse(&back, path, strlen(path)));
                assert_int_equal(back.level, t.level);
                assert_int_equal(back.index, t.index);
                assert_int_equal(back.width, t.width);
                /* Any proper prefix is rejected or names a different tile. */
                for (size_t cut = 0; cut < strlen(path); cut++) {
                    lg_tile p;

                    if (lg_tile_parse(&p, path, cut) == 0)
                        assert_true(p.index != t.index || p.width != t.width || p.level != t.level);
                }
            }
        }
    }
}

static void
tiles_format_rejects(void **state)
{
    char path[LG_TILE_PATH_MAX];
    lg_tile t = {0, 1234067, 256};

    (void)state;
    t.width = 0;
    assert_int_equal(lg_tile_path(path, sizeof path, &t), LEDGER_EINVAL);
    t.width = 257;
    assert_int_equal(lg_tile_path(path, sizeof path, &t), LEDGER_EINVAL);
    t.width = 256;
    t.level = 64;
    assert_int_equal(lg_tile_path(path, sizeof path, &t), LEDGER_EINVAL);
    t.level = -2;
    assert_int_equal(lg_tile_path(path, sizeof path, &t), LEDGER_EINVAL);
    t.level = 0;
    /* "tile/0/x001/x234/067" is 20 bytes plus the NUL. */
    assert_int_equal(lg_tile_path(path, 20, &t), LEDGER_EINVAL);
    TU_OK(lg_tile_path(path, 21, &t));
    assert_string_equal(path, "tile/0/x001/x234/067");
}

static void
tiles_parse_rejects(void **state)
{
    static const char *const bad[] = {
        /* garbage and framing */
        "",
        "t",
        "tile",
        "tile/",
        "tile/0",
        "tile/0/",
        "/tile/0/000",
        "tile/0/000/",
        "tiles/0/000",
        "TILE/0/000",
        "tile//000",
        "tile/0//000",
        "tile/0/000 ",
        " tile/0/000",
        "tile/0/000\n",
        "tile/entry/000",
        "tile/entries",
        "tile/entries/",
        "tile/data/000",
        "tile/8/0/000",
        "https://example.com/tile/0/000",
        /* level: leading zeros, signs, range */
        "tile/00/000",
        "tile/01/000",
        "tile/-1/000",
        "tile/+1/000",
        "tile/64/000",
        "tile/100/000",
        "tile/99999999999999999999/000",
        "tile/a/000",
        /* index groups: width, digits, leading zeros, the x prefix */
        "tile/0/0",
        "tile/0/05",
        "tile/0/0005",
        "tile/0/00a",
        "tile/0/-01",
        "tile/0/x001",
        "tile/0/001/000",
        "tile/0/x001/x000",
        "tile/0/x1/000",
        "tile/0/x0001/000",
        "tile/0/xx001/000",
        "tile/0/x000/005",
        "tile/0/x000/x001/000",
        "tile/0/X001/000",
        "tile/0/x001/ 000",
        "tile/0/x001000",
        "tile/0/x001/x234/",
        /* beyond uint64_t */
        "tile/0/x018/x446/x744/x073/x709/x551/616",
        "tile/0/x999/x999/x999/x999/x999/x999/999",
        "tile/0/x001/x000/x000/x000/x000/x000/x000/000",
        /* width: 0, 256, leading zeros, form */
        "tile/0/003.p/0",
        "tile/0/003.p/256",
        "tile/0/003.p/017",
        "tile/0/003.p/00",
        "tile/0/003.p/",
        "tile/0/003.p",
        "tile/0/003.p/1/",
        "tile/0/003.p/1a",
        "tile/0/003.p/-1",
        "tile/0/003.p/+1",
        "tile/0/003.P/1",
        "tile/0/003p/1",
        "tile/0/003.q/1",
        "tile/0/003.p//1",
        "tile/0/003.p/1000",
        "tile/0/003.p/99999999999",
        "tile/entries/003.p/0",
        "tile/entries/003.p/256",
    };
    static const char nul[] = "tile/0/000\0";

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_reject(bad[i]);
    {
        /* An embedded NUL, counted in the length. */
        lg_tile t;

        assert_int_equal(lg_tile_parse(&t, nul, sizeof nul - 1), LEDGER_EFORMAT);
        assert_int_equal(lg_tile_parse(&t, NULL, 0), LEDGER_EFORMAT);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiles_path_vectors),   cmocka_unit_test(tiles_count_vectors),
        cmocka_unit_test(tiles_width_rule),     cmocka_unit_test(tiles_round_trip),
        cmocka_unit_test(tiles_format_rejects), cmocka_unit_test(tiles_parse_rejects),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
