/*
 * graph.c - attribution claims as CSV rows and as a Graphviz graph
 * (export.h: ledger_export_csv, ledger_export_norms_csv, ledger_export_dot;
 * the graph has norm edges from incidents to the norms claims and findings
 * cite).
 *
 * Both read the selection of a snapshot (select.c) through the records'
 * proto3 JSON, keep the selected and context records in memory, derive
 * each claim's status (active, superseded by a later version, retracted)
 * and whether someone disputed it (an opinion of kind DISPUTE or DENIAL,
 * or a disagreeing stance, targeting it), and write deterministic text.
 *
 * Untrusted text: every field comes from signed records, but signed is
 * not harmless. CSV fields are quoted per RFC 4180 and a text value with a
 * leading = + - @ TAB or CR is prefixed with ' so spreadsheets do not run
 * it as a formula (OWASP "CSV injection"). Columns we write ourselves
 * never need the guard: the leaf hash is lowercase hex (base64 can start
 * with '+', and the guard would corrupt it), numbers are digits, words
 * are enum names; DOT strings escape backslash, quote and line
 * breaks so a name cannot close its string and inject graph syntax.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "base/map.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "core/ledger_int.h"
#include "core/stored_entry.h"
#include "export/export_int.h"
#include "export/select.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

typedef struct {
    uint64_t index;
    lg_record_type type;
    int mark;
    json_t *rec;
    uint8_t leaf_hash[32];
    int superseded, retracted, disputed;
    size_t next_version; /* the first item superseding this one, or SIZE_MAX */
    size_t next_sibling; /* the next item superseding the same record, or SIZE_MAX */
} item;

typedef struct {
    item *v;
    size_t n, cap;
    const lg_selection *sel;
    uint64_t size;
    lg_map by_id, by_rid, by_sup; /* see index_items() */
    lg_progress *prog;
} graph_ctx;

static const char *
jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);

    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static const json_t *
body_of(const item *it)
{
    return json_object_get(it->rec, lg_record_type_name(it->type));
}

static const char *
rid(const item *it)
{
    return jstr(json_object_get(it->rec, "header"), "record_id");
}

/* An opinion against its targets: of kind DISPUTE or DENIAL, or a
 * disagreeing stance. */
static int
opposes(const json_t *b)
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
static const item *
find(const graph_ctx *g, const char *id)
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
        if (it->type == LG_REC_OPINION && opposes(b)) {
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

static const char *
status(const item *it)
{
    return it->retracted ? "retracted" : it->superseded ? "superseded" : "active";
}

static int
load(graph_ctx *g, ledger_export_report *rep, ledger_log *log, const ledger_export_options *o,
     lg_selection *sel)
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

static void
unload(graph_ctx *g)
{
    for (size_t i = 0; i < g->n; i++)
        json_decref(g->v[i].rec);
    lg_free(g->v);
    lg_map_free(&g->by_id);
    lg_map_free(&g->by_rid);
    lg_map_free(&g->by_sup);
}

/* ---- output buffer ---- */

typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} sbuf;

static void
put(sbuf *b, const char *s, size_t n)
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

static void
puts_(sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* RFC 4180 field; formula-looking values get a leading quote mark. */
static void
csv_field(sbuf *b, const char *v, int last)
{
    int quote;

    if (v == NULL)
        v = "";
    quote = strpbrk(v, ",\"\r\n") != NULL || (v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL);
    if (quote)
        put(b, "\"", 1);
    if (v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL)
        put(b, "'", 1);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            put(b, "\"", 1);
        put(b, p, 1);
    }
    if (quote)
        put(b, "\"", 1);
    put(b, last ? "\r\n" : ",", last ? 2 : 1);
}

static const char *
name_of(const graph_ctx *g, const char *id)
{
    const item *it = find(g, id);
    const char *n = it ? jstr(body_of(it), "name") : NULL;

    return n ? n : id;
}

/* Join the strings of an array with "; " into a small buffer. */
static const char *
join(char *out, size_t cap, const json_t *arr, const graph_ctx *g, int by_name)
{
    size_t i, off = 0;
    const json_t *v;

    out[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        if (by_name)
            s = name_of(g, s);
        off += (size_t)snprintf(out + off, off < cap ? cap - off : 0, "%s%s", i ? "; " : "", s);
        if (off >= cap)
            break;
    }
    return out;
}

static int
finish(sbuf *b, ledger_write_fn w, void *payload)
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

/* The rows of one selected claim; returns how many it wrote. */
typedef size_t (*csv_rows_fn)(sbuf *b, graph_ctx *g, const item *it, size_t ncols);

/* A CSV export over the selected attribution claims: the header `cols`,
 * then the rows `rows` writes for each claim. */
static int
export_claim_rows(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                  ledger_write_fn w, void *payload, const char *const *cols, size_t ncols,
                  csv_rows_fn rows)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    lg_selection sel;
    graph_ctx g;
    sbuf b = {NULL, 0, 0, 0};
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    lg_sel_init(&sel);
    if ((rc = load(&g, &rep, log, opts ? opts : &defaults, &sel)) < 0)
        goto done;
    for (size_t i = 0; i < ncols; i++)
        csv_field(&b, cols[i], i + 1 == ncols);
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];

        if (it->type == LG_REC_ATTRIBUTION_CLAIM && it->mark == LG_SEL_SELECTED)
            rep.objects += rows(&b, &g, it, ncols);
    }
    rc = finish(&b, w, payload);
    b.p = NULL;
    if (rc == 0 && out != NULL)
        *out = rep;
done:
    lg_free(b.p);
    unload(&g);
    lg_sel_free(&sel);
    return rc;
}

static size_t
claim_row(sbuf *b, graph_ctx *g, const item *it, size_t ncols)
{
    const json_t *c = body_of(it), *hdr = json_object_get(it->rec, "header");
    const json_t *conf = json_object_get(c, "confidence"),
                 *lk = json_object_get(conf, "likelihood");
    char idx[24], cv[24], incs[2048], incn[4096], h[2 * 32 + 1];
    const char *prov = jstr(hdr, "provenance");

    snprintf(idx, sizeof idx, "%llu", (unsigned long long)it->index);
    cv[0] = '\0';
    if (json_is_integer(json_object_get(conf, "stix_value")))
        snprintf(cv, sizeof cv, "%lld",
                 (long long)json_integer_value(json_object_get(conf, "stix_value")));
    lg_hex_encode(h, it->leaf_hash, 32);
    const char *row[] = {
        idx,
        rid(it),
        status(it),
        it->disputed ? "yes" : "no",
        join(incs, sizeof incs, json_object_get(c, "incident_refs"), g, 0),
        join(incn, sizeof incn, json_object_get(c, "incident_refs"), g, 1),
        jstr(c, "claimant"),
        name_of(g, jstr(c, "claimant")),
        jstr(hdr, "author"),
        prov && strcmp(prov, "PROVENANCE_TRANSCRIBED") == 0 ? "transcribed" : "first-party",
        jstr(c, "assertion_type"),
        jstr(c, "attributed_to"),
        name_of(g, jstr(c, "attributed_to")),
        jstr(c, "state_nexus"),
        jstr(c, "level"),
        jstr(c, "target_scope"),
        cv,
        jstr(lk, "scale"),
        jstr(lk, "term"),
        jstr(conf, "analytic_confidence"),
        jstr(c, "channel"),
        jstr(c, "evidence_disclosure"),
        jstr(json_object_get(c, "claimed_at"), "time")
            ? jstr(json_object_get(c, "claimed_at"), "time")
            : jstr(hdr, "created"),
        jstr(c, "statement"),
        h,
    };
    for (size_t k = 0; k < ncols; k++)
        csv_field(b, row[k], k + 1 == ncols);
    return 1;
}

int
ledger_export_csv(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                  ledger_write_fn w, void *payload)
{
    static const char *const cols[] = {
        "index",
        "record_id",
        "status",
        "disputed",
        "incidents",
        "incident_names",
        "claimant",
        "claimant_name",
        "author",
        "provenance",
        "assertion_type",
        "attributed_to",
        "attributed_to_name",
        "state_nexus",
        "level",
        "target_scope",
        "confidence",
        "likelihood_scale",
        "likelihood_term",
        "analytic_confidence",
        "channel",
        "evidence_disclosure",
        "claimed_at",
        "statement",
        "leaf_hash",
    };
    return export_claim_rows(out, log, opts, w, payload, cols, sizeof cols / sizeof cols[0],
                             claim_row);
}

static size_t
norm_rows(sbuf *b, graph_ctx *g, const item *it, size_t ncols)
{
    const json_t *c = body_of(it), *hdr = json_object_get(it->rec, "header"), *nb;
    char idx[24], incs[2048], h[2 * 32 + 1];
    const char *prov = jstr(hdr, "provenance");
    size_t k, n = 0;

    snprintf(idx, sizeof idx, "%llu", (unsigned long long)it->index);
    lg_hex_encode(h, it->leaf_hash, 32);
    json_array_foreach(json_object_get(c, "norms_breached"), k, nb)
    {
        const char *link = jstr(nb, "link");
        const char *row[] = {
            idx,
            rid(it),
            status(it),
            it->disputed ? "yes" : "no",
            join(incs, sizeof incs, json_object_get(c, "incident_refs"), g, 0),
            jstr(c, "claimant"),
            jstr(hdr, "author"),
            prov && strcmp(prov, "PROVENANCE_TRANSCRIBED") == 0 ? "transcribed" : "first-party",
            jstr(c, "attributed_to"),
            jstr(c, "state_nexus"),
            jstr(nb, "norm_ref"),
            link && strcmp(link, "NORM_LINK_EXPLICIT") == 0 ? "explicit"
            : link && strcmp(link, "NORM_LINK_MAPPED") == 0 ? "mapped"
                                                            : "",
            jstr(nb, "basis"),
            jstr(json_object_get(c, "claimed_at"), "time")
                ? jstr(json_object_get(c, "claimed_at"), "time")
                : jstr(hdr, "created"),
            h,
        };
        for (size_t m = 0; m < ncols; m++)
            csv_field(b, row[m], m + 1 == ncols);
        n++;
    }
    return n;
}

int
ledger_export_norms_csv(ledger_export_report *out, ledger_log *log,
                        const ledger_export_options *opts, ledger_write_fn w, void *payload)
{
    static const char *const cols[] = {
        "index",    "record_id", "status",     "disputed",      "incidents",
        "claimant", "author",    "provenance", "attributed_to", "state_nexus",
        "norm_ref", "link",      "basis",      "claimed_at",    "leaf_hash",
    };
    return export_claim_rows(out, log, opts, w, payload, cols, sizeof cols / sizeof cols[0],
                             norm_rows);
}

/* A DOT double-quoted string. */
static void
dot_str(sbuf *b, const char *s)
{
    put(b, "\"", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(b, "\\", 1);
        if (*p == '\n' || *p == '\r') {
            puts_(b, "\\n");
            continue;
        }
        put(b, p, 1);
    }
    put(b, "\"", 1);
}

static void
node(sbuf *b, const graph_ctx *g, const item *it)
{
    const json_t *body = body_of(it);
    const char *id = it->type == LG_REC_INCIDENT_REPORT
                         ? (jstr(body, "incident_key") ? jstr(body, "incident_key") : rid(it))
                         : (jstr(body, "actor_id") ? jstr(body, "actor_id") : rid(it));
    const char *kind = jstr(body, "actor_kind"), *shape = "ellipse";

    (void)g;
    if (it->type == LG_REC_INCIDENT_REPORT)
        shape = "box";
    else if (kind && strcmp(kind, "ACTOR_KIND_STATE") == 0)
        shape = "doubleoctagon";
    puts_(b, "  ");
    dot_str(b, id);
    puts_(b, " [shape=");
    puts_(b, shape);
    puts_(b, ", label=");
    dot_str(b, jstr(body, "name") ? jstr(body, "name") : id);
    puts_(b, "];\n");
}

/* The graph id of an incident or actor reference (its key or actor id). */
static const char *
gid(const graph_ctx *g, const char *ref)
{
    const item *it = find(g, ref);
    const json_t *body;

    if (it == NULL)
        return NULL;
    body = body_of(it);
    if (it->type == LG_REC_INCIDENT_REPORT)
        return jstr(body, "incident_key") ? jstr(body, "incident_key") : rid(it);
    if (it->type == LG_REC_ACTOR)
        return jstr(body, "actor_id") ? jstr(body, "actor_id") : rid(it);
    return NULL;
}

static void
edge(sbuf *b, const char *from, const char *to, const char *label, const char *style,
     const char *color)
{
    puts_(b, "  ");
    dot_str(b, from);
    puts_(b, " -> ");
    dot_str(b, to);
    puts_(b, " [label=");
    dot_str(b, label);
    if (style != NULL) {
        puts_(b, ", style=");
        puts_(b, style);
    }
    if (color != NULL) {
        puts_(b, ", color=");
        puts_(b, color);
        puts_(b, ", fontcolor=");
        puts_(b, color);
    }
    puts_(b, "];\n");
}

/* Norm edges: incident -> norm for every live selected claim citing it
 * (dashed when the link is the author's mapping) and for each norm
 * conclusion of a finding (bold, blue). Norm nodes are notes. Returns the
 * number of edges. */
static uint64_t
norm_edges(sbuf *b, const graph_ctx *g)
{
    uint64_t n = 0;

    for (size_t i = 0; i < g->n; i++) {
        const item *it = &g->v[i];
        const json_t *body = body_of(it), *x, *inc;
        const char *field;
        size_t k, j;

        if (it->mark != LG_SEL_SELECTED || it->superseded || it->retracted)
            continue;
        if (it->type == LG_REC_ATTRIBUTION_CLAIM)
            field = "norms_breached";
        else if (it->type == LG_REC_FINDING)
            field = "norm_conclusions";
        else
            continue;
        json_array_foreach(json_object_get(body, field), k, x)
        {
            const char *norm = jstr(x, "norm_ref");
            char label[512];
            int mapped = it->type == LG_REC_ATTRIBUTION_CLAIM && jstr(x, "link") &&
                         strcmp(jstr(x, "link"), "NORM_LINK_MAPPED") == 0;

            if (norm == NULL)
                continue;
            puts_(b, "  ");
            dot_str(b, norm);
            puts_(b, " [shape=note, label=");
            dot_str(b, norm);
            puts_(b, "];\n");
            if (it->type == LG_REC_ATTRIBUTION_CLAIM)
                snprintf(label, sizeof label, "breach claimed by %s (%s)",
                         name_of(g, jstr(body, "claimant")), mapped ? "mapped" : "explicit");
            else
                snprintf(label, sizeof label, "finding %s: %s",
                         jstr(body, "case_number") ? jstr(body, "case_number") : rid(it),
                         jstr(x, "verdict") ? jstr(x, "verdict") + (sizeof "NORM_VERDICT_" - 1)
                                            : "");
            json_array_foreach(json_object_get(body, "incident_refs"), j, inc)
            {
                const char *from = json_is_string(inc) ? gid(g, json_string_value(inc)) : NULL;
                if (from == NULL)
                    continue;
                if (it->type == LG_REC_FINDING)
                    edge(b, from, norm, label, "bold", "blue");
                else
                    edge(b, from, norm, label, mapped ? "dashed" : NULL, "darkorange3");
                n++;
            }
        }
    }
    return n;
}

int
ledger_export_dot(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                  ledger_write_fn w, void *payload)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    lg_selection sel;
    graph_ctx g;
    sbuf b = {NULL, 0, 0, 0};
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    lg_sel_init(&sel);
    if ((rc = load(&g, &rep, log, opts ? opts : &defaults, &sel)) < 0)
        goto done;
    puts_(&b, "digraph attribution {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
              "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    /* Nodes: the latest version of each incident and actor. */
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];
        if ((it->type == LG_REC_INCIDENT_REPORT || it->type == LG_REC_ACTOR) && !it->superseded)
            node(&b, &g, it);
    }
    /* The organisation chains of actors (cluster -> organ -> state). */
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];
        const char *from, *to;

        if (it->type != LG_REC_ACTOR || it->superseded)
            continue;
        from = gid(&g, rid(it));
        to = gid(&g, jstr(body_of(it), "parent_actor"));
        if (from != NULL && to != NULL) {
            edge(&b, from, to, "part of", "dotted", "gray40");
            rep.objects++;
        }
    }
    /* Claims: incident -> actor, labelled claimant and confidence. */
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];
        const json_t *c = body_of(it), *inc;
        const char *atype = jstr(c, "assertion_type"), *actor = gid(&g, jstr(c, "attributed_to"));
        const json_t *conf = json_object_get(c, "confidence");
        char label[1024];
        size_t k;

        if (it->type != LG_REC_ATTRIBUTION_CLAIM || it->mark != LG_SEL_SELECTED || it->superseded ||
            actor == NULL)
            continue;
        if (atype && strcmp(atype, "ASSERTION_TYPE_NEGATIVE") == 0)
            continue;
        if (json_is_integer(json_object_get(conf, "stix_value")))
            snprintf(label, sizeof label, "%s (%lld)%s%s", name_of(&g, jstr(c, "claimant")),
                     (long long)json_integer_value(json_object_get(conf, "stix_value")),
                     it->retracted ? " [retracted]" : "", it->disputed ? " [disputed]" : "");
        else
            snprintf(label, sizeof label, "%s%s%s", name_of(&g, jstr(c, "claimant")),
                     it->retracted ? " [retracted]" : "", it->disputed ? " [disputed]" : "");
        json_array_foreach(json_object_get(c, "incident_refs"), k, inc)
        {
            const char *from = json_is_string(inc) ? gid(&g, json_string_value(inc)) : NULL;
            if (from == NULL)
                continue;
            edge(&b, from, actor, label,
                 it->retracted  ? "dotted"
                 : it->disputed ? "dashed"
                                : NULL,
                 it->retracted ? "gray60" : NULL);
            rep.objects++;
        }
        if (gid(&g, jstr(c, "state_nexus")) != NULL) {
            edge(&b, actor, gid(&g, jstr(c, "state_nexus")), label,
                 it->retracted  ? "dotted"
                 : it->disputed ? "dashed"
                                : NULL,
                 it->retracted ? "gray60" : NULL);
            rep.objects++;
        }
    }
    /* The body's conclusions, in bold. */
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];
        const json_t *f = body_of(it), *conc, *inc;
        size_t k, j;

        if (it->type != LG_REC_FINDING || it->mark != LG_SEL_SELECTED || it->superseded)
            continue;
        json_array_foreach(json_object_get(f, "conclusions"), k, conc)
        {
            const char *actor = gid(&g, jstr(conc, "attributed_to"));
            char label[512];
            if (actor == NULL)
                continue;
            snprintf(label, sizeof label, "finding %s",
                     jstr(f, "case_number") ? jstr(f, "case_number") : rid(it));
            json_array_foreach(json_object_get(f, "incident_refs"), j, inc)
            {
                const char *from = json_is_string(inc) ? gid(&g, json_string_value(inc)) : NULL;
                if (from == NULL)
                    continue;
                edge(&b, from, actor, label, "bold", "blue");
                rep.objects++;
            }
        }
    }
    rep.objects += norm_edges(&b, &g);
    puts_(&b, "}\n");
    rc = finish(&b, w, payload);
    b.p = NULL;
    if (rc == 0 && out != NULL)
        *out = rep;
done:
    lg_free(b.p);
    unload(&g);
    lg_sel_free(&sel);
    return rc;
}
