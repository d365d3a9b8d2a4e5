/*
 * graph_legend.c - the legend of the DOT graph (graph.c): a cluster with
 * one node of each shape and one short edge of each style, each labelled
 * with what it stands for. Its node ids contain a space, which record ids
 * cannot (docs/RECORDS.md), so they never meet a record's node.
 */
#include <stddef.h>
#include <stdio.h>

#include "export/graph_int.h"

static const struct {
    const char *shape, *attrs, *label;
} shapes[] = {
    {"box", ", style=filled, fillcolor=lightyellow", "incident"},
    {"ellipse", "", "actor"},
    {"doubleoctagon", "", "state"},
    {"hexagon", ", style=filled, fillcolor=mistyrose", "who denies or disputes"},
    {"note", "", "norm"},
};

static const struct {
    const char *style, *color, *label;
} styles[] = {
    {NULL, NULL, "claim: claimant, date, confidence"},
    {"dashed", NULL, "disputed claim"},
    {"dotted", "gray60", "retracted claim"},
    {"bold", "blue", "finding of the body (published)"},
    {"dashed", "blue", "finding, not published"},
    {NULL, "red", "denial"},
    {"dashed", "red", "dispute"},
    {"dotted", "gray40", "part of"},
    {NULL, "darkorange3", "norm breach claimed (explicit)"},
    {"dashed", "darkorange3", "norm breach claimed (mapped)"},
};

void
lg_graph_legend(lg_sbuf *b)
{
    char id[32];

    lg_sbuf_puts(b, "  subgraph cluster_legend {\n  label=\"Legend\";\n  fontsize=16;\n"
                    "  labeljust=l;\n  style=rounded;\n  color=gray60;\n"
                    "  node [fontsize=12];\n  edge [fontsize=12];\n");
    /* The edge samples first: dot then puts them at the top of the legend,
     * each in a straight line to its text, and the shapes below them. */
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        char to[32];

        snprintf(id, sizeof id, "legend %zu from", i);
        snprintf(to, sizeof to, "legend %zu to", i);
        lg_dot_edge(b, id, to, "", styles[i].style, styles[i].color);
        lg_sbuf_puts(b, "  ");
        lg_dot_str(b, id);
        lg_sbuf_puts(b, " [shape=plaintext, label=\"\", width=0.1];\n  ");
        lg_dot_str(b, to);
        lg_sbuf_puts(b, " [shape=plaintext, label=");
        lg_dot_str(b, styles[i].label);
        if (styles[i].color != NULL) {
            lg_sbuf_puts(b, ", fontcolor=");
            lg_sbuf_puts(b, styles[i].color);
        }
        lg_sbuf_puts(b, "];\n");
    }
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        snprintf(id, sizeof id, "legend %zu", i);
        lg_sbuf_puts(b, "  ");
        lg_dot_str(b, id);
        lg_sbuf_puts(b, " [shape=");
        lg_sbuf_puts(b, shapes[i].shape);
        lg_sbuf_puts(b, ", label=");
        lg_dot_str(b, shapes[i].label);
        lg_sbuf_puts(b, shapes[i].attrs);
        lg_sbuf_puts(b, "];\n");
    }
    lg_sbuf_puts(b, "  }\n");
}
