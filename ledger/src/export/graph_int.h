/*
 * graph_int.h - the in-memory model the CSV and graph exports share
 * (graph_load.c builds it; csv.c and graph.c write from it).
 *
 * The model holds the selected and context records of a snapshot (select.c)
 * as proto3 JSON, with each claim's status (active, superseded by a later
 * version, retracted) and whether someone disputed it (an opinion of kind
 * DISPUTE or DENIAL, or a disagreeing stance, targeting it). Records are
 * looked up through hash indexes built once, so an export is linear in the
 * ledger.
 */
#ifndef LG_EXPORT_GRAPH_INT_H
#define LG_EXPORT_GRAPH_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/export.h"
#include "base/map.h"
#include "base/progress.h"
#include "codec/json.h"
#include "export/select.h"

typedef struct {
    uint64_t index;
    lg_record_type type;
    int mark;
    json_t *rec;
    uint8_t leaf_hash[32];
    int superseded, retracted, disputed;
    size_t next_version; /* the first item superseding this one, or SIZE_MAX */
    size_t next_sibling; /* the next item superseding the same record, or SIZE_MAX */
    const char *curated_name; /* the body's curated name (borrowed from a curation item), or NULL */
} item;

typedef struct {
    item *v;
    size_t n, cap;
    const lg_selection *sel;
    uint64_t size;
    lg_map by_id, by_rid, by_sup; /* see index_items() */
    lg_progress *prog;
} graph_ctx;

/* A growable text buffer; a failed allocation sets `failed` and later
 * writes do nothing, so writers check once at the end (lg_graph_finish). */
typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} lg_sbuf;

/* A non-empty string member of `o`, or NULL. */
static inline const char *
jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);

    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static inline const json_t *body_of(const item *it);

/* The name an item is shown with: the body's curated name, else its own. */
static inline const char *
lg_graph_item_name(const item *it)
{
    return it->curated_name != NULL ? it->curated_name : jstr(body_of(it), "name");
}

static inline const json_t *
body_of(const item *it)
{
    return json_object_get(it->rec, lg_record_type_name(it->type));
}

static inline const char *
rid(const item *it)
{
    return jstr(json_object_get(it->rec, "header"), "record_id");
}

/* Load the selection `o` asks for into `g` (and count it in `rep`);
 * lg_graph_unload() releases it, also after a failure. */
int lg_graph_load(graph_ctx *g, ledger_export_report *rep, ledger_log *log,
                  const ledger_export_options *o, lg_selection *sel);
void lg_graph_unload(graph_ctx *g);

/* The record (latest version) named by an id: record_id or actor_id /
 * incident_key / participant_id; NULL if none. */
const item *lg_graph_find(const graph_ctx *g, const char *id);

/* Whether an opinion body is against its targets: of kind DISPUTE or
 * DENIAL, or a disagreeing stance. */
int lg_graph_opposes(const json_t *body);

/* "active", "superseded" or "retracted". */
const char *lg_graph_status(const item *it);

/* The name of the record `id` names, or `id` itself. */
const char *lg_graph_name_of(const graph_ctx *g, const char *id);

/* The strings of `arr` joined with "; " (by their record's name when
 * `by_name`), in `s`, whose previous content is dropped; "" and s->failed
 * set when memory runs out. */
const char *lg_graph_join(lg_sbuf *s, const json_t *arr, const graph_ctx *g, int by_name);

void lg_sbuf_put(lg_sbuf *b, const char *s, size_t n);
void lg_sbuf_puts(lg_sbuf *b, const char *s);

/* `s` as a DOT double-quoted string (graph.c): backslash and quote
 * escaped, line breaks as \n. */
void lg_dot_str(lg_sbuf *b, const char *s);

/* An edge line: from -> to with a label, and a style and a colour unless
 * NULL (graph.c). */
void lg_dot_edge(lg_sbuf *b, const char *from, const char *to, const char *label, const char *style,
                 const char *color);

/* The graph's legend as a DOT cluster (graph_legend.c). */
void lg_graph_legend(lg_sbuf *b);

/* Hand the text of `b` to `w` and release it. */
int lg_graph_finish(lg_sbuf *b, ledger_write_fn w, void *payload);

#endif
