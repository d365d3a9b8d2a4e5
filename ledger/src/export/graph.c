/*
 * graph.c - attribution claims as a Graphviz graph (export.h:
 * ledger_export_dot), written from the model of graph_load.c: incidents
 * and actors as nodes, claims and the body's findings as edges, and norm
 * edges from incidents to the norms claims and findings cite.
 *
 * Untrusted text: DOT strings escape backslash, quote and line breaks so
 * a name cannot close its string and inject graph syntax.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/error.h"
#include "export/graph_int.h"

/* A DOT double-quoted string. */
static void
dot_str(lg_sbuf *b, const char *s)
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

static void
node(lg_sbuf *b, const graph_ctx *g, const item *it)
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
    lg_sbuf_puts(b, "  ");
    dot_str(b, id);
    lg_sbuf_puts(b, " [shape=");
    lg_sbuf_puts(b, shape);
    lg_sbuf_puts(b, ", label=");
    dot_str(b, lg_graph_item_name(it) ? lg_graph_item_name(it) : id);
    lg_sbuf_puts(b, "];\n");
}

/* The graph id of an incident or actor reference (its key or actor id). */
static const char *
gid(const graph_ctx *g, const char *ref)
{
    const item *it = lg_graph_find(g, ref);
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
edge(lg_sbuf *b, const char *from, const char *to, const char *label, const char *style,
     const char *color)
{
    lg_sbuf_puts(b, "  ");
    dot_str(b, from);
    lg_sbuf_puts(b, " -> ");
    dot_str(b, to);
    lg_sbuf_puts(b, " [label=");
    dot_str(b, label);
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

/* Norm edges: incident -> norm for every live selected claim citing it
 * (dashed when the link is the author's mapping) and for each norm
 * conclusion of a finding (bold, blue). Norm nodes are notes. Returns the
 * number of edges. */
static uint64_t
norm_edges(lg_sbuf *b, const graph_ctx *g)
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
            lg_sbuf_puts(b, "  ");
            dot_str(b, norm);
            lg_sbuf_puts(b, " [shape=note, label=");
            dot_str(b, norm);
            lg_sbuf_puts(b, "];\n");
            if (it->type == LG_REC_ATTRIBUTION_CLAIM)
                snprintf(label, sizeof label, "breach claimed by %s (%s)",
                         lg_graph_name_of(g, jstr(body, "claimant")),
                         mapped ? "mapped" : "explicit");
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
    lg_sbuf b = {NULL, 0, 0, 0};
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    lg_sel_init(&sel);
    if ((rc = lg_graph_load(&g, &rep, log, opts ? opts : &defaults, &sel)) < 0)
        goto done;
    lg_sbuf_puts(&b, "digraph attribution {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
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
            snprintf(label, sizeof label, "%s (%lld)%s%s",
                     lg_graph_name_of(&g, jstr(c, "claimant")),
                     (long long)json_integer_value(json_object_get(conf, "stix_value")),
                     it->retracted ? " [retracted]" : "", it->disputed ? " [disputed]" : "");
        else
            snprintf(label, sizeof label, "%s%s%s", lg_graph_name_of(&g, jstr(c, "claimant")),
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
    lg_sbuf_puts(&b, "}\n");
    rc = lg_graph_finish(&b, w, payload);
    b.p = NULL;
    if (rc == 0 && out != NULL)
        *out = rep;
done:
    lg_free(b.p);
    lg_graph_unload(&g);
    lg_sel_free(&sel);
    return rc;
}