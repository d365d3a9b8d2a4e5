/*
 * views.h (internal) - text rendering of the JSON views (view_text.c), and
 * one read snapshot for the many views of a static site (view_site.c).
 */
#ifndef LG_VIEWS_H
#define LG_VIEWS_H

#include <stdint.h>

#include <jansson.h>

#include "attrledger/buf.h"
#include "attrledger/ledger.h"

typedef enum {
    LG_VIEW_INCIDENT,
    LG_VIEW_ACTOR,
    LG_VIEW_PARTICIPANT,
    LG_VIEW_STATS,
    LG_VIEW_NORMS,
    LG_VIEW_NORM,
    LG_VIEW_STATE
} lg_view_kind;

/* Text of the norms register views (view_norms_text.c). */
int lg_view_norms_text(ledger_buf *out, const json_t *view, lg_view_kind kind);

/* Render a view's JSON object as text for people (NUL-terminated). */
int lg_view_text(ledger_buf *out, const json_t *view, lg_view_kind kind);

/* ---- one read snapshot for many views (view_site.c: the static site) ---- */

typedef struct lg_view_reader lg_view_reader;

/* What a site page is built from. */
typedef enum {
    LG_PAGE_INCIDENT,
    LG_PAGE_ACTOR,
    LG_PAGE_PARTICIPANT,
    LG_PAGE_FINDING,
    LG_PAGE_STATS
} lg_page_kind;

/* Open one read transaction that every call below shares (a consistent
 * snapshot at the tree size of the latest checkpoint). */
int lg_view_reader_open(lg_view_reader **out, ledger_log *log);
void lg_view_reader_close(lg_view_reader *r);
/* Tree size of the snapshot. */
uint64_t lg_view_reader_size(const lg_view_reader *r);
/* The JSON view of one page (docs/VIEWS.md; LG_PAGE_FINDING gives the
 * finding item of the latest version of the finding `arg`). *out belongs to
 * the caller, also on failure. */
int lg_view_reader_build(json_t **out, lg_view_reader *r, lg_page_kind kind, const char *arg);
/* The finding item (docs/VIEWS.md: tally, published, published_at) of the
 * finding version at entry `index`, as of the snapshot; LEDGER_ENOTFOUND
 * when that entry is not a finding. *out belongs to the caller. */
int lg_view_reader_finding_at(json_t **out, lg_view_reader *r, uint64_t index);
/* Visit every page subject: the first version of each incident, actor and
 * finding chain, and every participant (genesis admins included), with the
 * argument to pass to lg_view_reader_build and the entry that names it.
 * fn returns 0 to go on or a negative code to stop. */
typedef int (*lg_view_subject_fn)(void *payload, lg_page_kind kind, const char *arg,
                                  uint64_t index);
int lg_view_reader_subjects(lg_view_reader *r, lg_view_subject_fn fn, void *payload);
/* Leaf hash of entry `index` (from the stored tree). */
int lg_view_reader_leaf_hash(lg_view_reader *r, uint64_t index, uint8_t out[32]);

#endif
