/*
 * graph_load.c - the model of a selection that the CSV and graph exports
 * write from (graph_int.h): records as proto3 JSON, their indexes, each
 * claim's status; and the text buffer both writers use.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "codec/codec.h"
#include "core/ledger_int.h"
#include "core/stored_entry.h"
#include "export/export_int.h"
#include "export/graph_int.h"
#include "store/store.h"
#include "tlog/merkle.h"

int
lg_graph_opposes(const json_t *b)
{
    const char *kind = jstr(b, "kind"), *stance = jstr(b, "stance");

    return (kind && (strcmp(kind, "OPINION_KIND_DISPUTE") == 0 ||
                     strcmp(kind, "OPINION_KIND_DENIAL") == 0)) ||
           (stance && (strcmp(stance, "OPINION_DISAGREE") == 0 ||
                       strcmp(stance, "OPINION_STRONGLY_DISAGREE") == 0));
}

static int
collect(void *p, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    graph_ctx *g = p;
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *js = NULL;
    uint64_t index;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index >= g->size)
        return 1;
    lg_progress_at(g->prog, index + 1);
    if (g->sel->mark[index] == LG_SEL_NONE)
        return 0;
    if ((rc = lg_stored_entry_decode(&e, &r, &js, index, leaf, len)) < 0)
        goto done;
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 64;
        item *nv = lg_realloc(g->v, ncap * sizeof *nv);
        if (nv == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
        g->v = nv;
        g->cap = ncap;
    }
    item *it = &g->v[g->n++];
    memset(it, 0, sizeof *it);
    it->index = index;
    it->type = lg_record_type_of(r);
    it->mark = g->sel->mark[index];
    it->rec = js;
    js = NULL;
    lg_merkle_leaf_hash(it->leaf_hash, leaf, len);
done:
    json_decref(js);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

/* The record (latest version) named by an id: record_id or actor_id /
 * incident_key / participant_id. One map lookup. */
const item *
lg_graph_find(const graph_ctx *g, const char *id)
{
    const size_t *at = id != NULL ? lg_map_get(&g->by_id, id, strlen(id)) : NULL;

    return at != NULL ? &g->v[*at] : NULL;
}

/* Mark, among the items before position `before`, the record whose
 * record_id is `target` and every later version of it (the records whose
 * supersedes chain reaches `target`, even when `target` itself is not in
 * memory): what an opinion or retraction naming `target` is about. Walks
 * the version tree down from `target` through next_version/next_sibling;
 * the depth is bounded, as a chain of supersedes may in principle loop. */
static void
mark_versions(graph_ctx *g, const char *target, size_t before, int retract)
{
    size_t stack[64], depth = 0;
    const size_t *at;

    if (target == NULL)
        return;
    if ((at = lg_map_get(&g->by_rid, target, strlen(target))) != NULL && *at < before) {
        if (retract)
            g->v[*at].retracted = 1;
        else
            g->v[*at].disputed = 1;
    }
    if ((at = lg_map_get(&g->by_sup, target, strlen(target))) == NULL)
        return;
    stack[depth++] = *at;
    while (depth > 0) {
        size_t k = stack[--depth];

        for (; k != SIZE_MAX; k = g->v[k].next_sibling) {
            item *it = &g->v[k];
            if (k < before) {
                if (retract)
                    it->retracted = 1;
                else
                    it->disputed = 1;
            }
            if (it->next_version != SIZE_MAX && depth < sizeof stack / sizeof stack[0])
                stack[depth++] = it->next_version;
        }
    }
}

/* The indexes: by_id (record_id and alias -> latest item), by_rid
 * (record_id -> item), by_sup (a superseded id -> the first item that
 * supersedes it, the others chained through next_sibling), and each item's
 * next_version (the first item superseding it). */
static int
index_items(graph_ctx *g)
{
    int rc = 0;

    for (size_t i = 0; i < g->n && rc == 0; i++) {
        item *it = &g->v[i];
        const json_t *b = body_of(it);
        const char *id = rid(it), *sup = jstr(json_object_get(it->rec, "header"), "supersedes");
        const char *alias = jstr(b, "actor_id")       ? jstr(b, "actor_id")
                            : jstr(b, "incident_key") ? jstr(b, "incident_key")
                                                      : jstr(b, "participant_id");

        it->next_version = it->next_sibling = SIZE_MAX;
        if (id != NULL && ((rc = lg_map_put(&g->by_id, id, strlen(id), &i)) < 0 ||
                           (rc = lg_map_put(&g->by_rid, id, strlen(id), &i)) < 0))
            break;
        if (alias != NULL && (rc = lg_map_put(&g->by_id, alias, strlen(alias), &i)) < 0)
            break;
        if (sup != NULL) {
            size_t *first = lg_map_get(&g->by_sup, sup, strlen(sup));
            const size_t *prev = lg_map_get(&g->by_rid, sup, strlen(sup));

            if (first != NULL) {
                size_t k = *first;
                while (g->v[k].next_sibling != SIZE_MAX)
                    k = g->v[k].next_sibling;
                g->v[k].next_sibling = i;
            } else if ((rc = lg_map_put(&g->by_sup, sup, strlen(sup), &i)) < 0) {
                break;
            }
            if (prev != NULL && *prev < i) {
                g->v[*prev].superseded = 1;
                if (g->v[*prev].next_version == SIZE_MAX)
                    g->v[*prev].next_version = i;
            }
        }
    }
    return rc;
}

/* Status and disputes of every claim: one pass, each retraction and
 * opposing opinion marking the versions of what it targets. */
static int
derive(graph_ctx *g)
{
    int rc = index_items(g);

    for (size_t i = 0; rc == 0 && i < g->n; i++) {
        item *it = &g->v[i];
        const json_t *b = body_of(it);

        if (it->type == LG_REC_RETRACTION)
            mark_versions(g, jstr(b, "target_ref"), i, 1);
        if (it->type == LG_REC_CURATION && jstr(b, "name") != NULL) {
            /* The name is shown until the owner's next version. */
            const char *t = jstr(b, "target_ref");
            const size_t *at = t != NULL ? lg_map_get(&g->by_rid, t, strlen(t)) : NULL;
            size_t k = at != NULL ? *at : SIZE_MAX, hops = 0;

            while (k != SIZE_MAX && g->v[k].next_version != SIZE_MAX && g->v[k].next_version < i &&
                   hops++ < g->n)
                k = g->v[k].next_version;
            if (k != SIZE_MAX && k < i)
                g->v[k].curated_name = jstr(b, "name");
        }
        if (it->type == LG_REC_OPINION && lg_graph_opposes(b)) {
            const json_t *t;
            size_t j;

            json_array_foreach(json_object_get(b, "target_refs"), j, t)
            {
                if (json_is_string(t))
                    mark_versions(g, json_string_value(t), i, 0);
            }
        }
    }
    return rc;
}

const char *
lg_graph_status(const item *it)
{
    return it->retracted ? "retracted" : it->superseded ? "superseded" : "active";
}

int
lg_graph_load(graph_ctx *g, ledger_export_report *rep, ledger_log *log,
              const ledger_export_options *o, lg_selection *sel)
{
    lg_txn *t = NULL;
    ledger_buf key = LEDGER_BUF_INIT;
    uint64_t since, until;
    int rc;

    memset(g, 0, sizeof *g);
    memset(rep, 0, sizeof *rep);
    lg_map_init(&g->by_id, sizeof(size_t));
    lg_map_init(&g->by_rid, sizeof(size_t));
    lg_map_init(&g->by_sup, sizeof(size_t));
    if (o->version != LEDGER_EXPORT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "export: unknown options version %u", o->version);
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    if (o->tree_size == 0) {
        rc = lg_store_last(t, LG_DB_CHECKPOINTS, &key, NULL);
        if (rc == 0 && key.len == 8)
            g->size = lg_be_u64(key.data);
        else if (rc == 0 || rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
        ledger_buf_dispose(&key);
    } else {
        uint8_t k[8];
        ledger_buf note = LEDGER_BUF_INIT;

        lg_u64_be(k, o->tree_size);
        rc = lg_store_get(t, LG_DB_CHECKPOINTS, k, 8, &note);
        ledger_buf_dispose(&note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                              (unsigned long long)o->tree_size);
        g->size = o->tree_size;
    }
    if (rc < 0)
        goto done;
    since = o->since;
    until = o->until < g->size - 1 ? o->until : g->size - 1;
    if (since > until) {
        rc = lg_error_set(LEDGER_EINVAL, "selection %llu..%llu is empty", (unsigned long long)since,
                          (unsigned long long)until);
        goto done;
    }
    g->prog = &log->progress;
    lg_export_progress(g->prog, g->size, 2);
    if ((rc = lg_export_select(sel, t, g->size, since, until, o->incident, g->prog)) < 0)
        goto done;
    for (size_t i = 0; i < sel->n; i++) {
        if (sel->mark[i] == LG_SEL_SELECTED)
            rep->selected++;
        else if (sel->mark[i] != LG_SEL_NONE)
            rep->context++;
    }
    if (rep->selected == 0 && o->incident != NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no entry touches incident %s", o->incident);
        goto done;
    }
    g->sel = sel;
    rc = lg_store_scan(t, LG_DB_ENTRIES, NULL, 0, 0, collect, g);
    if (rc == 0 && (rc = derive(g)) == 0) {
        lg_progress_end(g->prog);
        rep->tree_size = g->size;
    }
done:
    lg_txn_abort(t);
    return rc;
}

void
lg_graph_unload(graph_ctx *g)
{
    for (size_t i = 0; i < g->n; i++)
        json_decref(g->v[i].rec);
    lg_free(g->v);
    lg_map_free(&g->by_id);
    lg_map_free(&g->by_rid);
    lg_map_free(&g->by_sup);
}

void
lg_sbuf_put(lg_sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->len + n + 1) * 2;
        char *np = lg_realloc(b->p, ncap);
        if (np == NULL) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void
lg_sbuf_puts(lg_sbuf *b, const char *s)
{
    lg_sbuf_put(b, s, strlen(s));
}

const char *
lg_graph_name_of(const graph_ctx *g, const char *id)
{
    const item *it = lg_graph_find(g, id);
    const char *n = it ? lg_graph_item_name(it) : NULL;

    return n ? n : id;
}

int
lg_graph_finish(lg_sbuf *b, ledger_write_fn w, void *payload)
{
    int rc;

    if (b->failed) {
        lg_free(b->p);
        return lg_error_nomem();
    }
    rc = w(payload, (const uint8_t *)b->p, b->len);
    lg_free(b->p);
    if (rc > 0)
        rc = lg_error_set(LEDGER_EIO, "output writer returned %d", rc);
    return rc;
}

const char *
lg_graph_join(lg_sbuf *s, const json_t *arr, const graph_ctx *g, int by_name)
{
    size_t i;
    const json_t *v;

    s->len = 0;
    lg_sbuf_put(s, "", 0);
    json_array_foreach(arr, i, v)
    {
        const char *x = json_is_string(v) ? json_string_value(v) : "";

        if (i > 0)
            lg_sbuf_puts(s, "; ");
        lg_sbuf_puts(s, by_name ? lg_graph_name_of(g, x) : x);
    }
    return s->failed || s->p == NULL ? "" : s->p;
}

/* A DOT double-quoted string. */
void
lg_dot_str(lg_sbuf *b, const char *s)
{
    lg_sbuf_put(b, "\"", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            lg_sbuf_put(b, "\\", 1);
        if (*p == '\n' || *p == '\r') {
            lg_sbuf_puts(b, "\\n");
            continue;
        }
        lg_sbuf_put(b, p, 1);
    }
    lg_sbuf_put(b, "\"", 1);
}

void
lg_dot_edge(lg_sbuf *b, const char *from, const char *to, const char *label, const char *style,
            const char *color)
{
    lg_sbuf_puts(b, "  ");
    lg_dot_str(b, from);
    lg_sbuf_puts(b, " -> ");
    lg_dot_str(b, to);
    lg_sbuf_puts(b, " [label=");
    lg_dot_str(b, label);
    if (style != NULL) {
        lg_sbuf_puts(b, ", style=");
        lg_sbuf_puts(b, style);
    }
    if (color != NULL) {
        lg_sbuf_puts(b, ", color=");
        lg_sbuf_puts(b, color);
        lg_sbuf_puts(b, ", fontcolor=");
        lg_sbuf_puts(b, color);
    }
    lg_sbuf_puts(b, "];\n");
}
