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

/* Keep '\\' as it is (error messages: they quote paths, and escaping twice
 * must change nothing). */
#define LG_TEXT_KEEP_BACKSLASH 0x1u

/*
 * The escaped form of s into dst (cap bytes with the NUL; dst NULL or cap 0:
 * only measure). When it does not fit, whole characters are dropped from
 * the end and "\u2026" (an ellipsis) marks the cut; *cut (optional) says
 * so. Returns the length the whole escaped text needs, without the NUL.
 */
size_t lg_text_escape_to(char *dst, size_t cap, const char *s, unsigned flags, int *cut);

/* 1 if lg_text_escape would change s, else 0. */
int lg_text_needs_escape(const char *s);

#endif
