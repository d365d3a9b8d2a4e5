/*
 * site_svg.c - an incident's attribution graph as inline SVG (site_int.h).
 *
 * Three columns: who gave an opinion, who claimed, whom they named. A
 * claim is an arrow from claimant to actor; an opinion is an arrow from
 * its author to the claimant, green for an endorsement, red for a dispute
 * or denial, grey otherwise. Labels are escaped and cut (site_html.h); no
 * HTML element is put inside the SVG. The same facts are listed as text
 * after the figure for screen readers and print.
 */
#include <string.h>

#include "export/site_int.h"

#define ROW 26
#define COLS 3
#define MAX_NODES 60

typedef struct {
    const char *id[COLS][MAX_NODES];
    size_t n[COLS];
} layout;

static int
node(layout *l, int col, const char *id)
{
    for (size_t i = 0; i < l->n[col]; i++)
        if (strcmp(l->id[col][i], id) == 0)
            return (int)i;
    if (l->n[col] == MAX_NODES)
        return -1;
    l->id[col][l->n[col]] = id;
    return (int)l->n[col]++;
}

static const int col_x[COLS] = {10, 250, 490};

static void
edge(lg_page *p, int c1, int r1, int c2, int r2, const char *cls)
{
    lg_html_rawf(&p->h, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", cls,
                 col_x[c1] + 200, 30 + r1 * ROW, col_x[c2], 30 + r2 * ROW);
}

void
lg_site_graph(lg_page *p, const json_t *v)
{
    const json_t *c, *o;
    layout l;
    size_t i, j, rows = 1;

    memset(&l, 0, sizeof l);
    json_array_foreach(json_object_get(v, "claims"), i, c)
    {
        const char *who = json_string_value(json_object_get(c, "claimant"));
        const char *to = json_string_value(json_object_get(c, "attributed_to_name"));
        if (who == NULL || to == NULL || node(&l, 1, who) < 0 || node(&l, 2, to) < 0)
            continue;
        json_array_foreach(json_object_get(c, "opinions"), j, o)
        {
            const char *a = json_string_value(json_object_get(o, "author"));
            if (a != NULL)
                node(&l, 0, a);
        }
    }
    for (int k = 0; k < COLS; k++)
        rows = l.n[k] > rows ? l.n[k] : rows;
    lg_html_rawf(&p->h,
                 "<figure class=\"graph\"><svg role=\"img\" aria-labelledby=\"g-t\" viewBox=\"0 0 "
                 "700 %zu\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"g-t\">Attribution "
                 "graph: opinion authors (left), claimants (middle) and the actors they name "
                 "(right)</title>",
                 40 + rows * ROW);
    json_array_foreach(json_object_get(v, "claims"), i, c)
    {
        const char *who = json_string_value(json_object_get(c, "claimant"));
        const char *to = json_string_value(json_object_get(c, "attributed_to_name"));
        int r1, r2;
        if (who == NULL || to == NULL || (r1 = node(&l, 1, who)) < 0 || (r2 = node(&l, 2, to)) < 0)
            continue;
        edge(p, 1, r1, 2, r2, "claim");
        json_array_foreach(json_object_get(c, "opinions"), j, o)
        {
            const char *a = json_string_value(json_object_get(o, "author"));
            const char *k = json_string_value(json_object_get(o, "kind"));
            int r0;
            if (a == NULL || (r0 = node(&l, 0, a)) < 0)
                continue;
            edge(p, 0, r0, 1, r1,
                 k == NULL                                    ? "op"
                 : strcmp(k, "OPINION_KIND_ENDORSEMENT") == 0 ? "op endorse"
                 : strcmp(k, "OPINION_KIND_DISPUTE") == 0 || strcmp(k, "OPINION_KIND_DENIAL") == 0
                     ? "op deny"
                     : "op");
        }
    }
    for (int k = 0; k < COLS; k++)
        for (size_t r = 0; r < l.n[k]; r++) {
            lg_html_rawf(&p->h,
                         "<rect class=\"n%d\" x=\"%d\" y=\"%zu\" width=\"200\" height=\"20\" "
                         "rx=\"4\"/><text x=\"%d\" y=\"%zu\">",
                         k, col_x[k], 20 + r * ROW, col_x[k] + 6, 34 + r * ROW);
            lg_html_svg_text(&p->h, l.id[k][r], 30);
            lg_html_raw(&p->h, "</text>");
        }
    lg_html_raw(&p->h, "</svg><figcaption>Arrows: claimant to the actor it names; opinion author "
                       "to the claimant (green endorses, red disputes or denies). The claims "
                       "below say the same in words.</figcaption></figure>");
}
