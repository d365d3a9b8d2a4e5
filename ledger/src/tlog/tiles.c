/*
 * tiles.c - C2SP tlog-tiles paths and tile counts (tile height 8).
 *
 * Spec: C2SP tlog-tiles v0.1.0 (reference/transparency-formats.md 2.7).
 * Paths arrive from HTTP clients and mirrors, so parsing is strict: every
 * tile has exactly one path, and lg_tile_parse() accepts only the bytes
 * lg_tile_path() would produce. It never echoes the path in a message (it
 * may hold control characters); it names the byte offset instead.
 */
#include "tlog/tiles.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

/* x >> s that is 0 instead of undefined when s >= 64. */
static uint64_t
shr(uint64_t x, unsigned s)
{
    return s >= 64 ? 0 : x >> s;
}

int
lg_tile_path(char *out, size_t cap, const lg_tile *t)
{
    char digits[24]; /* UINT64_MAX has 20 digits, padded to 21 */
    char path[LG_TILE_PATH_MAX];
    size_t nd, pad, len = 0;
    int w;

    assert(out != NULL && t != NULL);
    if (t->level < LG_TILE_ENTRIES || t->level > LG_TILE_MAX_LEVEL)
        return lg_error_set(LEDGER_EINVAL, "tile level %d out of range", t->level);
    if (t->width < 1 || t->width > LG_TILE_WIDTH)
        return lg_error_set(LEDGER_EINVAL, "tile width %u out of range", t->width);

    if (t->level == LG_TILE_ENTRIES)
        w = snprintf(path, sizeof path, "tile/entries/");
    else
        w = snprintf(path, sizeof path, "tile/%d/", t->level);
    len = (size_t)w;

    /* Zero-pad N to a multiple of three digits, then emit the groups. */
    nd = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)t->index);
    pad = (3 - nd % 3) % 3;
    memmove(digits + pad, digits, nd + 1);
    memset(digits, '0', pad);
    nd += pad;
    for (size_t i = 0; i < nd; i += 3) {
        if (i + 3 < nd)
            path[len++] = 'x';
        memcpy(path + len, digits + i, 3);
        len += 3;
        if (i + 3 < nd)
            path[len++] = '/';
    }
    path[len] = '\0';
    if (t->width < LG_TILE_WIDTH)
        len += (size_t)snprintf(path + len, sizeof path - len, ".p/%u", t->width);

    if (len + 1 > cap)
        return lg_error_set(LEDGER_EINVAL, "tile path needs %zu bytes, have %zu", len + 1, cap);
    memcpy(out, path, len + 1);
    return 0;
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal number without leading zeros at path[*pos], at most `max`.
 * Advances *pos past it. Returns the value, or -1. */
static long
parse_small(const char *path, size_t len, size_t *pos, long max)
{
    size_t i = *pos;
    long v = 0;

    if (i >= len || !is_digit(path[i]))
        return -1;
    if (path[i] == '0' && i + 1 < len && is_digit(path[i + 1]))
        return -1; /* leading zero */
    for (; i < len && is_digit(path[i]); i++) {
        v = v * 10 + (path[i] - '0');
        if (v > max)
            return -1;
    }
    *pos = i;
    return v;
}

static int
bad_path(size_t pos, const char *what)
{
    return lg_error_set(LEDGER_EFORMAT, "tile path: %s at byte %zu", what, pos);
}

int
lg_tile_parse(lg_tile *out, const char *path, size_t len)
{
    static const char tile_prefix[] = "tile/";
    static const char entries[] = "entries/";
    char canon[LG_TILE_PATH_MAX];
    lg_tile t = {0, 0, LG_TILE_WIDTH};
    size_t pos = 0;
    int groups = 0;
    long v;

    assert(out != NULL && (path != NULL || len == 0));
    if (len >= LG_TILE_PATH_MAX)
        return bad_path(LG_TILE_PATH_MAX, "too long");
    if (len < sizeof tile_prefix - 1 || memcmp(path, tile_prefix, sizeof tile_prefix - 1) != 0)
        return bad_path(0, "missing \"tile/\"");
    pos = sizeof tile_prefix - 1;

    if (len - pos >= sizeof entries - 1 && memcmp(path + pos, entries, sizeof entries - 1) == 0) {
        t.level = LG_TILE_ENTRIES;
        pos += sizeof entries - 1;
    } else {
        if ((v = parse_small(path, len, &pos, LG_TILE_MAX_LEVEL)) < 0)
            return bad_path(pos, "bad level");
        t.level = (int)v;
        if (pos >= len || path[pos] != '/')
            return bad_path(pos, "want '/' after level");
        pos++;
    }

    /* N: groups "xDDD/" ... then a final "DDD". */
    for (;;) {
        int more = pos < len && path[pos] == 'x';
        unsigned g;

        if (more)
            pos++;
        if (len - pos < 3 || !is_digit(path[pos]) || !is_digit(path[pos + 1]) ||
            !is_digit(path[pos + 2]))
            return bad_path(pos, "want three digits");
        g = (unsigned)(path[pos] - '0') * 100 + (unsigned)(path[pos + 1] - '0') * 10 +
            (unsigned)(path[pos + 2] - '0');
        if (groups == 0 && more && g == 0)
            return bad_path(pos, "leading zero group");
        if (t.index > (UINT64_MAX - g) / 1000)
            return bad_path(pos, "tile index overflows");
        t.index = t.index * 1000 + g;
        groups++;
        pos += 3;
        if (!more)
            break;
        if (pos >= len || path[pos] != '/')
            return bad_path(pos, "want '/' after group");
        pos++;
    }

    if (pos < len) {
        if (len - pos < 3 || memcmp(path + pos, ".p/", 3) != 0)
            return bad_path(pos, "want end or \".p/\"");
        pos += 3;
        if ((v = parse_small(path, len, &pos, LG_TILE_WIDTH - 1)) < 1)
            return bad_path(pos, "bad partial width");
        t.width = (unsigned)v;
        if (pos != len)
            return bad_path(pos, "trailing bytes");
    }

    /* Belt and braces: the one canonical spelling, byte for byte. */
    if (lg_tile_path(canon, sizeof canon, &t) < 0 || strlen(canon) != len ||
        memcmp(canon, path, len) != 0)
        return bad_path(0, "not canonical");
    *out = t;
    return 0;
}

int
lg_tile_count(uint64_t *full_out, unsigned *partial_out, uint64_t size, int level)
{
    unsigned shift;

    assert(full_out != NULL && partial_out != NULL);
    if (level < LG_TILE_ENTRIES || level > LG_TILE_MAX_LEVEL)
        return lg_error_set(LEDGER_EINVAL, "tile level %d out of range", level);
    if (level == LG_TILE_ENTRIES)
        level = 0; /* entry bundle N holds the leaves of level-0 tile N */
    /* A level-L tile spans 256^(L+1) leaves; only full lower-level tiles are
     * hashed into it, so its width is floor(size / 256^L) mod 256. */
    shift = (unsigned)level * LG_TILE_HEIGHT;
    *full_out = shr(size, shift + LG_TILE_HEIGHT);
    *partial_out = (unsigned)(shr(size, shift) % LG_TILE_WIDTH);
    return 0;
}
