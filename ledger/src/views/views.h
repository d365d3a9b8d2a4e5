/*
 * views.h (internal) - text rendering of the JSON views (view_text.c).
 */
#ifndef LG_VIEWS_H
#define LG_VIEWS_H

#include <jansson.h>

#include "attrledger/buf.h"

typedef enum {
    LG_VIEW_INCIDENT,
    LG_VIEW_ACTOR,
    LG_VIEW_PARTICIPANT,
    LG_VIEW_STATS
} lg_view_kind;

/* Render a view's JSON object as text for people (NUL-terminated). */
int lg_view_text(ledger_buf *out, const json_t *view, lg_view_kind kind);

#endif
