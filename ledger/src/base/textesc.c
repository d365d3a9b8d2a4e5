/*
 * textesc.c - escape control and bidirectional-override characters for
 * text output (see textesc.h).
 */
#include "base/textesc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/error.h"
#include "base/alloc.h"

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0. */
static size_t
utf8_at(const unsigned char *s, uint32_t *cp)
{
    size_t n;
    uint32_t c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0; /* also stops at the NUL terminator */
        c = c << 6 | (s[k] & 0x3f);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

static int
unsafe_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
           cp == 0x2029;
}

/* Where escaped text goes: `out` of `cap` bytes (NULL: only count). Pieces
 * are whole (an escape or a UTF-8 sequence is never split); when one does
 * not fit, writing stops and `cut` is set. */
typedef struct {
    char *out;
    size_t cap, len, need;
    int cut;
} sink;

static void
put(sink *k, const void *piece, size_t n)
{
    k->need += n;
    if (k->out == NULL || k->cut)
        return;
    if (k->len + n + 1 > k->cap) {
        k->cut = 1;
        return;
    }
    memcpy(k->out + k->len, piece, n);
    k->len += n;
}

static void
escape_into(sink *k, const char *s, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        uint32_t cp;
        size_t n = utf8_at(p, &cp);
        char tmp[16];
        int tl;

        if (n == 0 || (n == 1 && (cp < 0x20 || cp == 0x7f))) {
            tl = snprintf(tmp, sizeof tmp, "\\x%02x", *p);
            n = 1;
        } else if (n == 1 && cp == '\\' && !(flags & LG_TEXT_KEEP_BACKSLASH)) {
            tl = 2;
            memcpy(tmp, "\\\\", 2);
        } else if (unsafe_cp(cp)) {
            tl = snprintf(tmp, sizeof tmp, "\\u{%04x}", (unsigned)cp);
        } else {
            put(k, p, n);
            p += n;
            continue;
        }
        put(k, tmp, (size_t)tl);
        p += n;
    }
}

size_t
lg_text_escape_to(char *dst, size_t cap, const char *s, unsigned flags, int *cut)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    sink k = {dst, cap, 0, 0, 0};

    escape_into(&k, s, flags);
    if (k.cut && cap > sizeof ellipsis) {
        /* Make room for the mark: drop whole UTF-8 sequences from the end. */
        while (k.len + sizeof ellipsis > cap) {
            k.len--;
            while (k.len > 0 && ((unsigned char)dst[k.len] & 0xc0) == 0x80)
                k.len--;
        }
        memcpy(dst + k.len, ellipsis, sizeof ellipsis - 1);
        k.len += sizeof ellipsis - 1;
    }
    if (dst != NULL && cap > 0)
        dst[k.len < cap ? k.len : cap - 1] = '\0';
    if (cut != NULL)
        *cut = k.cut;
    return k.need;
}

size_t
ledger_text_escape(char *dst, size_t cap, const char *s)
{
    if (s == NULL)
        s = "";
    return lg_text_escape_to(cap > 0 ? dst : NULL, cap, s, LG_TEXT_KEEP_BACKSLASH, NULL);
}

int
lg_text_needs_escape(const char *s)
{
    return lg_text_escape_to(NULL, 0, s, 0, NULL) != strlen(s);
}

char *
lg_text_escape(const char *s)
{
    size_t n = lg_text_escape_to(NULL, 0, s, 0, NULL);
    char *out = lg_malloc(n + 1);

    if (out != NULL)
        lg_text_escape_to(out, n + 1, s, 0, NULL);
    return out;
}
