/*
 * site_html.c - escaping HTML writer for the static site (site_html.h).
 *
 * Strings reaching here come from jansson, which only holds valid UTF-8,
 * but the decoder below still treats any malformed byte as U+FFFD so a bug
 * elsewhere cannot turn into markup. Escaping follows the HTML5
 * serialisation rules for text and double-quoted attribute values, plus
 * the quote characters in text (harmless, and one rule is easier to
 * audit than two).
 */
#include "export/site_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"

static int
grow(lg_html *h, size_t more)
{
    size_t need;
    char *p;

    if (h->err)
        return -1;
    need = h->len + more + 1;
    if (need < h->len) {
        h->err = 1;
        return -1;
    }
    if (need <= h->cap)
        return 0;
    size_t cap = h->cap ? h->cap : 4096;
    while (cap < need)
        cap *= 2;
    if ((p = lg_realloc(h->data, cap)) == NULL) {
        h->err = 1;
        return -1;
    }
    h->data = p;
    h->cap = cap;
    return 0;
}

static void
put(lg_html *h, const char *s, size_t n)
{
    if (grow(h, n) < 0)
        return;
    memcpy(h->data + h->len, s, n);
    h->len += n;
    h->data[h->len] = '\0';
}

void
lg_html_raw(lg_html *h, const char *s)
{
    put(h, s, strlen(s));
}

void
lg_html_rawf(lg_html *h, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof small) {
        h->err = 1; /* generator strings are short; longer is a bug */
        return;
    }
    put(h, small, (size_t)n);
}

/* Decode one code point at s (len > 0 bytes left); *adv gets its length.
 * Malformed input decodes as U+FFFD, one byte at a time. */
static uint32_t
decode(const unsigned char *s, size_t len, size_t *adv)
{
    uint32_t c = s[0], min;
    size_t n;

    *adv = 1;
    if (c < 0x80)
        return c;
    if ((c & 0xe0) == 0xc0) {
        n = 2, c &= 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, c &= 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (n > len)
        return 0xfffd;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0xfffd;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0xfffd;
    *adv = n;
    return c;
}

/* Characters shown as a marker: they reorder or hide text, or are not
 * allowed in an HTML document. Tab and LF are ordinary. */
static int
is_hidden(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == 0x061c ||
           c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

/* Escape [s, s+n) as text or attribute content; markers when `markers`,
 * U+FFFD when not and `in_text`, kept when in an attribute. */
static void
escape(lg_html *h, const char *s, size_t n, int markers, int in_text)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, adv;

    while (i < n) {
        uint32_t c = decode(p + i, n - i, &adv);
        const char *rep = NULL;
        char mark[96];

        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if (c == 0xfffd && adv == 1 && p[i] != 0xef)
                rep = "\xef\xbf\xbd";
            else if (is_hidden(c) && (in_text || c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
                if (markers) {
                    snprintf(mark, sizeof mark,
                             "<span class=\"ctl\" data-cp=\"%04x\" title=\"U+%04X\">U+%04X</span>",
                             (unsigned)c, (unsigned)c, (unsigned)c);
                    rep = mark;
                } else {
                    rep = "\xef\xbf\xbd";
                }
            }
        }
        if (rep != NULL) {
            put(h, s + i - run, run);
            run = 0;
            put(h, rep, strlen(rep));
        } else {
            run += adv;
        }
        i += adv;
    }
    put(h, s + i - run, run);
}

void
lg_html_attr(lg_html *h, const char *s)
{
    escape(h, s, strlen(s), 0, 0);
}

/* Length of at most `cap` bytes of s that ends on a character boundary. */
static size_t
cut(const char *s, size_t len, size_t cap)
{
    if (len <= cap)
        return len;
    while (cap > 0 && ((unsigned char)s[cap] & 0xc0) == 0x80)
        cap--;
    return cap;
}

void
lg_html_text(lg_html *h, const char *s, size_t cap, int signed_value)
{
    size_t len = strlen(s), n = cut(s, len, cap);

    if (signed_value)
        lg_html_raw(h, n < len ? "<span class=\"sv\" data-cut=\"1\">" : "<span class=\"sv\">");
    escape(h, s, n, 1, 1);
    if (signed_value)
        lg_html_raw(h, "</span>");
    if (n < len)
        lg_html_rawf(h,
                     "<span class=\"cut\">\xe2\x80\xa6 (%zu more bytes in the raw record)</span>",
                     len - n);
}

void
lg_html_svg_text(lg_html *h, const char *s, size_t cap)
{
    size_t len = strlen(s), n = cut(s, len, cap);

    escape(h, s, n, 0, 1);
    if (n < len)
        lg_html_raw(h, "\xe2\x80\xa6");
}

int
lg_html_url_ok(const char *url)
{
    const char *rest;

    if (strncasecmp(url, "https://", 8) == 0)
        rest = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        rest = url + 7;
    else
        return 0;
    if (*rest == '\0')
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' || *p == '<' || *p == '>' ||
            *p == '\\' || *p >= 0x80)
            return 0; /* a real URL is ASCII and percent-encoded */
    return 1;
}

void
lg_html_url(lg_html *h, const char *url, const char *text, size_t cap)
{
    if (!lg_html_url_ok(url)) {
        lg_html_text(h, text ? text : url, cap, 1);
        return;
    }
    lg_html_raw(h, "<a rel=\"nofollow noopener noreferrer\" href=\"");
    lg_html_attr(h, url);
    lg_html_raw(h, "\">");
    lg_html_text(h, text ? text : url, cap, 1);
    lg_html_raw(h, "</a>");
}

int
lg_html_finish(ledger_buf *out, lg_html *h)
{
    if (h->err || h->data == NULL) {
        lg_html_dispose(h);
        return lg_error_nomem();
    }
    out->data = (uint8_t *)h->data;
    out->len = h->len;
    memset(h, 0, sizeof *h);
    return 0;
}

void
lg_html_dispose(lg_html *h)
{
    lg_free(h->data);
    memset(h, 0, sizeof *h);
}
