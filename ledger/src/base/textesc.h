/*
 * textesc.h (internal) - make untrusted text safe to print on a terminal.
 *
 * Record text is written by members, some hostile: a control character
 * (ESC starts terminal escape sequences, CR rewrites a line, BEL, ...) or a
 * bidirectional override (U+202E turns "gro.elpmaxe" into "example.org" on
 * screen) must never reach a terminal raw. Text outputs pass every string
 * that comes from a record through lg_text_escape.
 */
#ifndef LG_TEXTESC_H
#define LG_TEXTESC_H

#include <stddef.h>

/*
 * A copy of s (NUL-terminated) with C0 controls (including newline and tab),
 * DEL and bytes that are not valid UTF-8 written as \xHH; C1 controls, the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph
 * separators (U+2028, U+2029) as \u{XXXX}; and a backslash as \\, so the
 * result is one line and reads back unambiguously. NULL when out of memory
 * (free with lg_free).
 */
char *lg_text_escape(const char *s);

/* 1 if lg_text_escape would change s, else 0. */
int lg_text_needs_escape(const char *s);

#endif
