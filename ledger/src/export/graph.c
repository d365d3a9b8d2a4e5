/*
 * graph.c - attribution claims as a Graphviz graph (export.h:
 * ledger_export_dot), written from the model of graph_load.c, for people
 * to read (docs/FORMATS.md section 13):
 *
 *   - a title (the incident asked for, or all incidents; the tree size;
 *     the dates of what is drawn) and a legend (graph_legend.c);
 *   - incidents, actors, the participants who deny or dispute claims, and
 *     norms as nodes; claims, the body's findings, denials and disputes,
 *     organisation chains and norm citations as edges; claims, findings and
 *     denials carry their dates;
 *   - findings that are not published (docs/VIEWS.md) dashed and labelled
 *     "not published";
 *   - with an incident, only that incident and the actors, participants
 *     and norms its claims and findings reach;
 *   - labels in plain words and wrapped, with sizes a screen can read.
 *
 * Untrusted text: DOT strings escape backslash, quote and line breaks so
 * a name cannot close its string and inject graph syntax.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/error.h"
#include "codec/labels.h"
#include "export/graph_int.h"
#include "views/views.h"

/* Line widths of wrapped labels, in bytes. */
#define NODE_WRAP 20
#define EDGE_WRAP 24
#define TITLE_WRAP 72

typedef struct {
    graph_ctx *g;
    ledger_log *log;
    lg_sbuf nodes, edges;
    uint8_t *used;         /* per item: drawn as a node */
    int one;               /* an incident was asked for */
    const char *focus;     /* its graph id (NULL when it has no report) */
    lg_map norms;          /* norm nodes written */
    lg_view_reader *views; /* findings' publication; opened on first use */
    char first[11], last[11];
    uint64_t n_edges;
} dot_ctx;

/* Break the lines of `s` in place, at spaces, so that no line is longer
 * than `width` bytes (a longer word stays whole). */
static void
wrap(char *s, size_t width)
{
    size_t col = 0;
    char *space = NULL;

    for (char *p = s; *p; p++, col++) {
        if (*p == '\n') {
            col = 0;
            space = NULL;
            continue;
        }
        if (col >= width && space != NULL) {
            *space = '\n';
            col = (size_t)(p - space - 1);
            space = NULL;
        }
        if (*p == ' ')
            space = p;
    }
}

/* Append to `label` a line of the non-empty ones of `a`, `b`, `c` and
 * `e`, joined by ", " (nothing when all are empty). */
static void
add_line(char *label, size_t cap, const char *a, const char *b, const char *c, const char *e)
{
    const char *parts[] = {a, b, c, e};
    const char *sep = "\n";

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t at = strlen(label);

        if (parts[i] == NULL || *parts[i] == '\0')
            continue;
        snprintf(label + at, cap - at, "%s%s", sep, parts[i]);
        sep = ", ";
    }
}

/* The date of a FuzzyTime (cut to its precision) or, without one, of the
 * record's header: "2017", "2017-05" or "2017-05-12"; "" if none. The
 * range of dates drawn grows to include it. */
static const char *
date_of(dot_ctx *d, char out[11], const json_t *fuzzy, const item *it)
{
    const char *t = jstr(fuzzy, "time"), *prec = jstr(fuzzy, "precision");
    size_t n = 10;

    if (t == NULL) {
        t = jstr(json_object_get(it->rec, "header"), "created");
        prec = NULL;
    }
    out[0] = '\0';
    if (t == NULL || strlen(t) < 10 || t[4] != '-' || t[7] != '-')
        return out;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)t[i]))
            return out;
    if (prec != NULL && strcmp(prec, "DATE_PRECISION_YEAR") == 0)
        n = 4;
    else if (prec != NULL && strcmp(prec, "DATE_PRECISION_MONTH") == 0)
        n = 7;
    memcpy(out, t, n);
    out[n] = '\0';
    if (d->first[0] == '\0' || strcmp(out, d->first) < 0)
        memcpy(d->first, out, n + 1);
    if (strcmp(out, d->last) > 0)
        memcpy(d->last, out, n + 1);
    return out;
}

/* The graph id of an incident, actor or participant item. */
static const char *
id_of(const item *it)
{
    const json_t *b = body_of(it);
    const char *k = it->type == LG_REC_INCIDENT_REPORT ? "incident_key"
                    : it->type == LG_REC_ACTOR         ? "actor_id"
                                                       : "participant_id";

    return jstr(b, k) ? jstr(b, k) : rid(it);
}

/* The graph id of the record of type `type` that `ref` names, marked to be
 * drawn; NULL when there is none, or when it is an incident other than the
 * one asked for. */
static const char *
use(dot_ctx *d, const char *ref, lg_record_type type)
{
    const item *it = lg_graph_find(d->g, ref), *latest;
    const char *id;

    if (it == NULL || it->type != type)
        return NULL;
    id = id_of(it);
    if (type == LG_REC_INCIDENT_REPORT && d->one && (d->focus == NULL || strcmp(id, d->focus) != 0))
        return NULL;
    latest = lg_graph_find(d->g, id);
    d->used[(latest != NULL ? latest : it) - d->g->v] = 1;
    return id;
}

static void
add_edge(dot_ctx *d, const char *from, const char *to, const char *label, const char *style,
         const char *color)
{
    lg_dot_edge(&d->edges, from, to, label, style, color);
    d->n_edges++;
}

/* Whether the finding version `it` was published at the export's tree
 * size: its votes met the rule at an entry below that size (the views'
 * tally, tally.c) and no retraction in the selection withdrew it. */
static int
published(dot_ctx *d, const item *it, int *out)
{
    json_t *f = NULL, *at;
    int rc;

    *out = 0;
    if (d->views == NULL && (rc = lg_view_reader_open(&d->views, d->log)) < 0)
        return rc;
    rc = lg_view_reader_finding_at(&f, d->views, it->index);
    at = json_object_get(f, "published_at");
    if (rc == 0 && json_is_integer(at) && (uint64_t)json_integer_value(at) < d->g->size)
        *out = !it->retracted;
    json_decref(f);
    return rc == LEDGER_ENOTFOUND ? 0 : rc;
}

/* Claims: incident -> actor (and actor -> state for a state nexus),
 * labelled claimant, date, confidence, and disputed or retracted. */
static void
claim_edges(dot_ctx *d)
{
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const json_t *c = body_of(it), *inc;
        const json_t *conf = json_object_get(json_object_get(c, "confidence"), "stix_value");
        const char *atype = jstr(c, "assertion_type"), *actor, *nexus;
        const char *style = it->retracted ? "dotted" : it->disputed ? "dashed" : NULL;
        char label[1024], date[11], score[32] = "";
        size_t k;

        if (it->type != LG_REC_ATTRIBUTION_CLAIM || it->mark != LG_SEL_SELECTED || it->superseded)
            continue;
        if (atype && strcmp(atype, "ASSERTION_TYPE_NEGATIVE") == 0)
            continue;
        if ((actor = use(d, jstr(c, "attributed_to"), LG_REC_ACTOR)) == NULL)
            continue;
        if (json_is_integer(conf))
            snprintf(score, sizeof score, "confidence %lld", (long long)json_integer_value(conf));
        snprintf(label, sizeof label, "%s", lg_graph_name_of(d->g, jstr(c, "claimant")));
        wrap(label, EDGE_WRAP);
        date_of(d, date, json_object_get(c, "claimed_at"), it);
        add_line(label, sizeof label, date, score, it->retracted ? "retracted" : NULL,
                 it->disputed ? "disputed" : NULL);
        json_array_foreach(json_object_get(c, "incident_refs"), k, inc)
        {
            const char *from = use(d, json_string_value(inc), LG_REC_INCIDENT_REPORT);
            if (from != NULL)
                add_edge(d, from, actor, label, style, it->retracted ? "gray60" : NULL);
        }
        if ((nexus = use(d, jstr(c, "state_nexus"), LG_REC_ACTOR)) != NULL)
            add_edge(d, actor, nexus, label, style, it->retracted ? "gray60" : NULL);
    }
}

/* The body's conclusions: incident -> actor, bold blue when the finding is
 * published, dashed blue and labelled "not published" otherwise. */
static int
finding_edges(dot_ctx *d)
{
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const json_t *f = body_of(it), *conc, *inc;
        char label[512], date[11];
        int pub, rc;
        size_t k, j;

        if (it->type != LG_REC_FINDING || it->mark != LG_SEL_SELECTED || it->superseded)
            continue;
        if ((rc = published(d, it, &pub)) < 0)
            return rc;
        snprintf(label, sizeof label, "finding %s",
                 jstr(f, "case_number") ? jstr(f, "case_number") : rid(it));
        add_line(label, sizeof label, date_of(d, date, NULL, it), pub ? NULL : "not published",
                 NULL, NULL);
        json_array_foreach(json_object_get(f, "conclusions"), k, conc)
        {
            const char *actor = use(d, jstr(conc, "attributed_to"), LG_REC_ACTOR);
            if (actor == NULL)
                continue;
            json_array_foreach(json_object_get(f, "incident_refs"), j, inc)
            {
                const char *from = use(d, json_string_value(inc), LG_REC_INCIDENT_REPORT);
                if (from != NULL)
                    add_edge(d, from, actor, label, pub ? "bold" : "dashed", "blue");
            }
        }
    }
    return 0;
}

/* Denials and disputes (opinions against claims; graph_load.c's rule):
 * the opinion's author -> the actor each claim it targets attributes the
 * incident to, red, labelled "denies" or "disputes" and the date; without
 * an incident asked for, also the incidents of the claim. */
static void
denial_edges(dot_ctx *d)
{
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const json_t *b = body_of(it), *t;
        const char *kind = jstr(b, "kind"), *who, *done[16];
        int denial = kind != NULL && strcmp(kind, "OPINION_KIND_DENIAL") == 0;
        size_t k, n_done = 0;

        if (it->type != LG_REC_OPINION || it->mark != LG_SEL_SELECTED || it->superseded ||
            it->retracted || !lg_graph_opposes(b))
            continue;
        json_array_foreach(json_object_get(b, "target_refs"), k, t)
        {
            const item *c = lg_graph_find(d->g, json_string_value(t));
            const json_t *cb = c != NULL ? body_of(c) : NULL;
            const char *atype = jstr(cb, "assertion_type"), *actor;
            char label[1024], date[11];
            lg_sbuf names = {NULL, 0, 0, 0};
            int seen = 0;

            if (c == NULL || c->type != LG_REC_ATTRIBUTION_CLAIM || c->mark != LG_SEL_SELECTED ||
                (atype && strcmp(atype, "ASSERTION_TYPE_NEGATIVE") == 0))
                continue;
            if ((actor = use(d, jstr(cb, "attributed_to"), LG_REC_ACTOR)) == NULL)
                continue;
            for (size_t x = 0; x < n_done; x++)
                seen |= strcmp(done[x], actor) == 0;
            if (seen)
                continue;
            if (n_done < sizeof done / sizeof done[0])
                done[n_done++] = actor;
            if ((who = use(d, jstr(json_object_get(it->rec, "header"), "author"),
                           LG_REC_PARTICIPANT)) == NULL)
                who = jstr(json_object_get(it->rec, "header"), "author");
            if (who == NULL)
                continue;
            snprintf(label, sizeof label, "%s", denial ? "denies" : "disputes");
            if (*date_of(d, date, NULL, it) != '\0')
                snprintf(label + strlen(label), sizeof label - strlen(label), " (%s)", date);
            if (!d->one) {
                size_t at = strlen(label);
                snprintf(label + at, sizeof label - at, "\non %s",
                         lg_graph_join(&names, json_object_get(cb, "incident_refs"), d->g, 1));
                wrap(label + at + 1, EDGE_WRAP);
            }
            lg_free(names.p);
            add_edge(d, who, actor, label, denial ? NULL : "dashed", "red");
        }
    }
}

/* A norm node, once per norm: "norm 13(f) of A/70/174", or its id. */
static void
norm_node(dot_ctx *d, const char *norm)
{
    const item *it = lg_graph_find(d->g, norm);
    const json_t *b = it != NULL && it->type == LG_REC_NORM ? body_of(it) : NULL;
    const uint8_t one = 1;
    char label[512];

    if (lg_map_get(&d->norms, norm, strlen(norm)) != NULL)
        return;
    if (lg_map_put(&d->norms, norm, strlen(norm), &one) < 0)
        d->nodes.failed = 1;
    if (jstr(b, "paragraph") && jstr(b, "instrument_name"))
        snprintf(label, sizeof label, "norm %s of %s", jstr(b, "paragraph"),
                 jstr(b, "instrument_name"));
    else
        snprintf(label, sizeof label, "%s", norm);
    wrap(label, NODE_WRAP);
    lg_sbuf_puts(&d->nodes, "  ");
    lg_dot_str(&d->nodes, norm);
    lg_sbuf_puts(&d->nodes, " [shape=note, label=");
    lg_dot_str(&d->nodes, label);
    lg_sbuf_puts(&d->nodes, "];\n");
}

/* Norm edges: incident -> norm for every live selected claim citing it
 * (dark orange; dashed when the link is the author's mapping) and for each
 * norm conclusion of a finding (blue; bold when published, dashed and
 * "not published" otherwise). */
static int
norm_edges(dot_ctx *d)
{
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const json_t *body = body_of(it), *x, *inc;
        int claim = it->type == LG_REC_ATTRIBUTION_CLAIM, pub = 1, rc;
        size_t k, j;

        if (it->mark != LG_SEL_SELECTED || it->superseded || it->retracted ||
            (!claim && it->type != LG_REC_FINDING))
            continue;
        if (!claim && (rc = published(d, it, &pub)) < 0)
            return rc;
        json_array_foreach(json_object_get(body, claim ? "norms_breached" : "norm_conclusions"), k,
                           x)
        {
            const char *norm = jstr(x, "norm_ref");
            int mapped =
                claim && jstr(x, "link") && strcmp(jstr(x, "link"), "NORM_LINK_MAPPED") == 0;
            char label[1024], date[11];

            if (norm == NULL)
                continue;
            if (claim) {
                snprintf(label, sizeof label, "breach claimed by %s",
                         lg_graph_name_of(d->g, jstr(body, "claimant")));
                wrap(label, EDGE_WRAP);
                add_line(label, sizeof label, mapped ? "mapped" : "explicit",
                         date_of(d, date, json_object_get(body, "claimed_at"), it), NULL, NULL);
            } else {
                snprintf(label, sizeof label, "finding %s: %s",
                         jstr(body, "case_number") ? jstr(body, "case_number") : rid(it),
                         lg_label(jstr(x, "verdict")));
                add_line(label, sizeof label, date_of(d, date, NULL, it),
                         pub ? NULL : "not published", NULL, NULL);
            }
            json_array_foreach(json_object_get(body, "incident_refs"), j, inc)
            {
                const char *from = use(d, json_string_value(inc), LG_REC_INCIDENT_REPORT);
                if (from == NULL)
                    continue;
                norm_node(d, norm);
                if (claim)
                    add_edge(d, from, norm, label, mapped ? "dashed" : NULL, "darkorange3");
                else
                    add_edge(d, from, norm, label, pub ? "bold" : "dashed", "blue");
            }
        }
    }
    return 0;
}

/* The organisation chains of the actors drawn (cluster -> organ ->
 * state): their parents are drawn too, with dotted "part of" edges that do
 * not push the parent a column further right (the graph stays narrow). */
static void
part_of_edges(dot_ctx *d)
{
    int grew = 1;

    /* Parents usually come before their children, so this ends after a
     * pass or two; the bound keeps a loop of parents finite. */
    for (int pass = 0; grew && pass < 64; pass++) {
        grew = 0;
        for (size_t i = d->g->n; i-- > 0;) {
            const item *it = &d->g->v[i];
            const item *p;

            if (it->type != LG_REC_ACTOR || it->superseded || !d->used[i])
                continue;
            p = lg_graph_find(d->g, jstr(body_of(it), "parent_actor"));
            if (p != NULL && p->type == LG_REC_ACTOR && (p = lg_graph_find(d->g, id_of(p))) &&
                !d->used[p - d->g->v])
                grew = d->used[p - d->g->v] = 1;
        }
    }
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const char *to;

        if (it->type != LG_REC_ACTOR || it->superseded || !d->used[i])
            continue;
        if ((to = use(d, jstr(body_of(it), "parent_actor"), LG_REC_ACTOR)) != NULL)
            add_edge(d, id_of(it), to, "part of", "dotted, constraint=false", "gray40");
    }
}

/* The nodes drawn: incidents (boxes), actors (ellipses; states double
 * octagons), participants who deny or dispute (hexagons). */
static void
write_nodes(dot_ctx *d)
{
    for (size_t i = 0; i < d->g->n; i++) {
        const item *it = &d->g->v[i];
        const char *kind = jstr(body_of(it), "actor_kind"), *name = lg_graph_item_name(it);
        const char *shape = "ellipse", *extra = "";
        char label[512];

        if (!d->used[i])
            continue;
        if (it->type == LG_REC_INCIDENT_REPORT) {
            shape = "box";
            extra = ", style=filled, fillcolor=lightyellow";
        } else if (it->type == LG_REC_PARTICIPANT) {
            shape = "hexagon";
            extra = ", style=filled, fillcolor=mistyrose";
        } else if (kind && strcmp(kind, "ACTOR_KIND_STATE") == 0) {
            shape = "doubleoctagon";
        }
        snprintf(label, sizeof label, "%s", name ? name : id_of(it));
        wrap(label, NODE_WRAP);
        lg_sbuf_puts(&d->nodes, "  ");
        lg_dot_str(&d->nodes, id_of(it));
        lg_sbuf_puts(&d->nodes, " [shape=");
        lg_sbuf_puts(&d->nodes, shape);
        lg_sbuf_puts(&d->nodes, ", label=");
        lg_dot_str(&d->nodes, label);
        lg_sbuf_puts(&d->nodes, extra);
        lg_sbuf_puts(&d->nodes, "];\n");
    }
}

/* The title: what the graph shows, the tree size (and range), the dates. */
static void
write_title(lg_sbuf *b, const dot_ctx *d, const ledger_export_options *o)
{
    const item *inc = d->focus != NULL ? lg_graph_find(d->g, d->focus) : NULL;
    char t[1024];
    size_t at;

    if (d->one)
        snprintf(t, sizeof t, "Attribution graph: %s (%s)",
                 inc != NULL && lg_graph_item_name(inc) ? lg_graph_item_name(inc) : o->incident,
                 o->incident);
    else
        snprintf(t, sizeof t, "Attribution graph: all incidents");
    at = strlen(t);
    snprintf(t + at, sizeof t - at, "\nledger at tree size %llu", (unsigned long long)d->g->size);
    at = strlen(t);
    if (o->since > 0 || o->until < d->g->size - 1)
        snprintf(t + at, sizeof t - at, ", entries %llu to %llu", (unsigned long long)o->since,
                 (unsigned long long)(o->until < d->g->size - 1 ? o->until : d->g->size - 1));
    at = strlen(t);
    if (d->first[0] != '\0')
        snprintf(t + at, sizeof t - at, "; dated %s to %s", d->first, d->last);
    wrap(t, TITLE_WRAP);
    lg_sbuf_puts(b, "  label=");
    lg_dot_str(b, t);
    lg_sbuf_puts(b, ";\n  labelloc=t;\n  labeljust=l;\n  fontsize=22;\n");
}

static void
dot_free(dot_ctx *d)
{
    lg_free(d->nodes.p);
    lg_free(d->edges.p);
    lg_free(d->used);
    lg_map_free(&d->norms);
    lg_view_reader_close(d->views);
}

int
ledger_export_dot(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                  ledger_write_fn w, void *payload)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    const ledger_export_options *o = opts ? opts : &defaults;
    ledger_export_report rep;
    lg_selection sel;
    graph_ctx g;
    dot_ctx d;
    lg_sbuf b = {NULL, 0, 0, 0};
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    memset(&d, 0, sizeof d);
    lg_map_init(&d.norms, 1);
    lg_sel_init(&sel);
    if ((rc = lg_graph_load(&g, &rep, log, o, &sel)) < 0)
        goto done;
    d.g = &g;
    d.log = log;
    d.one = o->incident != NULL;
    if ((d.used = lg_calloc(g.n ? g.n : 1, 1)) == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if (d.one) {
        const item *f = lg_graph_find(&g, o->incident);
        d.focus = f != NULL && f->type == LG_REC_INCIDENT_REPORT ? id_of(f) : NULL;
        (void)use(&d, d.focus, LG_REC_INCIDENT_REPORT);
    } else {
        for (size_t i = 0; i < g.n; i++)
            if (g.v[i].type == LG_REC_INCIDENT_REPORT && !g.v[i].superseded)
                d.used[i] = 1;
    }
    claim_edges(&d);
    if ((rc = finding_edges(&d)) < 0 || (rc = norm_edges(&d)) < 0)
        goto done;
    denial_edges(&d);
    part_of_edges(&d);
    write_nodes(&d);

    lg_sbuf_puts(&b, "digraph attribution {\n");
    write_title(&b, &d, o);
    /* At most 20 inches (1920 pixels at 96 dpi) wide: a larger drawing is
     * scaled down to that width. */
    lg_sbuf_puts(&b, "  rankdir=LR;\n  size=\"20,1000\";\n  ranksep=0.4;\n  nodesep=0.25;\n"
                     "  fontname=\"Helvetica\";\n"
                     "  node [fontname=\"Helvetica\", fontsize=14];\n"
                     "  edge [fontname=\"Helvetica\", fontsize=12];\n");
    lg_graph_legend(&b);
    if (d.nodes.failed || d.edges.failed)
        b.failed = 1;
    lg_sbuf_put(&b, d.nodes.p ? d.nodes.p : "", d.nodes.len);
    lg_sbuf_put(&b, d.edges.p ? d.edges.p : "", d.edges.len);
    lg_sbuf_puts(&b, "}\n");
    rep.objects = d.n_edges;
    rc = lg_graph_finish(&b, w, payload);
    b.p = NULL;
    if (rc == 0 && out != NULL)
        *out = rep;
done:
    lg_free(b.p);
    dot_free(&d);
    lg_graph_unload(&g);
    lg_sel_free(&sel);
    return rc;
}
