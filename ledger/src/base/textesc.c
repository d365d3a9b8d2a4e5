/*
 * textesc.c - escape control and bidirectional-override characters for
 * text output (see textesc.h).
 */
#include "base/textesc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* Write the escaped form of s into out (when not NULL); return its length. */
static size_t
escape_into(char *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0;

    while (*p) {
        uint32_t cp;
        size_t n = utf8_at(p, &cp);
        char tmp[16];
        size_t tl;

        if (n == 0 || (n == 1 && (cp < 0x20 || cp == 0x7f))) {
            tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", *p);
            n = 1;
        } else if (n == 1 && cp == '\\') {
            tl = 2;
            memcpy(tmp, "\\\\", 2);
        } else if (unsafe_cp(cp)) {
            tl = (size_t)snprintf(tmp, sizeof tmp, "\\u{%04x}", (unsigned)cp);
        } else {
            if (out != NULL)
                memcpy(out + len, p, n);
            len += n;
            p += n;
            continue;
        }
        if (out != NULL)
            memcpy(out + len, tmp, tl);
        len += tl;
        p += n;
    }
    if (out != NULL)
        out[len] = '\0';
    return len;
}

int
lg_text_needs_escape(const char *s)
{
    return escape_into(NULL, s) != strlen(s);
}

char *
lg_text_escape(const char *s)
{
    size_t n = escape_into(NULL, s);
    char *out = lg_malloc(n + 1);

    if (out != NULL)
        escape_into(out, s);
    return out;
}
