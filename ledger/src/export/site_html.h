/*
 * site_html.h (internal) - the HTML writer of the static site (site_*.c):
 * an append-only buffer plus escaping for each context a record's strings
 * reach (text, attribute values, URLs, SVG text).
 *
 * Every string from a record is attacker-controlled. The rules:
 *   - text and attribute values escape & < > " ' (so nothing can open a tag
 *     or leave a quoted attribute);
 *   - text shows bidirectional controls (U+202A-202E, U+2066-2069, U+200E,
 *     U+200F, U+061C), C0/C1 controls, CR and noncharacters as a visible
 *     marker element instead of the character, so no string can reorder
 *     what follows it on screen; the marker carries the code point so the
 *     browser check can rebuild the signed string;
 *   - a field shows at most `cap` bytes (cut on a character boundary) and
 *     says how much was left out;
 *   - a URL becomes a link only when it is http: or https: with no space or
 *     control in it; anything else (javascript:, data:, ...) is text.
 * A failed allocation sticks: later calls do nothing and lg_html_finish
 * reports LEDGER_ENOMEM.
 */
#ifndef LG_SITE_HTML_H
#define LG_SITE_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/buf.h"

typedef struct {
    char *data;
    size_t len, cap;
    int err;
} lg_html;

/* Trusted markup written by the generator (never record content). */
void lg_html_raw(lg_html *h, const char *s);
/* Trusted markup from a format (numbers, generator strings). */
void lg_html_rawf(lg_html *h, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* An attribute value's content (the caller writes the quotes): escaped,
 * the string kept whole. */
void lg_html_attr(lg_html *h, const char *s);
/* Untrusted text, escaped and with controls shown as markers, cut at `cap`
 * bytes. When `signed_value` is set the text is wrapped in
 * <span class="sv"> so the browser checks that it occurs in the record's
 * signed bytes (site.js). */
void lg_html_text(lg_html *h, const char *s, size_t cap, int signed_value);
/* Untrusted text inside SVG: escaped, controls replaced by U+FFFD (no HTML
 * element may appear in SVG), cut at `cap` bytes with an ellipsis. */
void lg_html_svg_text(lg_html *h, const char *s, size_t cap);
/* A link when url is http(s), else the url as text; `text` (NULL: the url)
 * is the link text. Both untrusted and signed values. */
void lg_html_url(lg_html *h, const char *url, const char *text, size_t cap);
/* 1 when `url` may become a link (http: or https:, no space or control). */
int lg_html_url_ok(const char *url);
/* Hand the page to *out (NUL-terminated) and reset h; LEDGER_ENOMEM when an
 * append failed (h is then released). */
int lg_html_finish(ledger_buf *out, lg_html *h);
/* Release without producing. */
void lg_html_dispose(lg_html *h);

#endif
