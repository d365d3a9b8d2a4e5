/*
 * view_norms_text.c - the text form of the norms register views (norms,
 * norm ID, state ACTOR), from the same JSON objects --json prints.
 *
 * Like view_text.c: every line that states something starts with the entry
 * index in brackets, enum values are written in plain words, and every string
 * from a record passes through lg_text_escape before it is printed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/textesc.h"
#include "codec/labels.h"
#include "views/views.h"
#include "views/views_int.h"

typedef struct {
    FILE *f;
    int oom;
} pen;

static const char *
str(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static long long
num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* Print s escaped (record text); an enum value (a `prefix` is given) in
 * plain words (codec/labels.c). */
static void
put(pen *p, const char *s, const char *prefix)
{
    char *e;

    if (prefix != NULL)
        s = lg_label(s);
    if ((e = lg_text_escape(s)) == NULL) {
        p->oom = 1;
        return;
    }
    fputs(e, p->f);
    lg_free(e);
}

/* The date part (YYYY-MM-DD) of a FuzzyTime object, or "undated". */
static void
put_date(pen *p, const json_t *fuzzy)
{
    const char *t = str(fuzzy, "time");
    char d[11];

    if (*t == '\0') {
        fputs("undated", p->f);
        return;
    }
    snprintf(d, sizeof d, "%s", t);
    put(p, d, NULL);
}

static void
put_list(pen *p, const json_t *arr)
{
    size_t i;
    json_t *x;

    json_array_foreach(arr, i, x)
    {
        if (i)
            fputs(", ", p->f);
        put(p, json_string_value(x) ? json_string_value(x) : "", NULL);
    }
}

static void
status_suffix(pen *p, const json_t *o)
{
    if (strcmp(str(o, "status"), "SUPERSEDED") == 0)
        fputs(" (superseded)", p->f);
    else if (strcmp(str(o, "status"), "RETRACTED") == 0)
        fputs(" (retracted)", p->f);
    else if (*str(o, "status") && strcmp(str(o, "status"), "ACTIVE") != 0) {
        fputs(" (", p->f);
        put(p, str(o, "status"), NULL);
        fputs(")", p->f);
    }
}

/* "[index] date " for an item: a claim's own date, else its record's
 * created date (the text form of the views carries it). */
static void
stamp(pen *p, const json_t *o)
{
    const json_t *ca = json_object_get(o, "claimed_at");

    fprintf(p->f, "[%lld] ", num(o, "index"));
    if (*str(ca, "time"))
        put_date(p, ca);
    else if (*str(o, "created")) {
        json_t *t = json_pack("{s:s}", "time", str(o, "created"));
        if (t == NULL)
            p->oom = 1;
        put_date(p, t);
        json_decref(t);
    } else
        fputs("undated", p->f);
    fputs(" ", p->f);
}

/* "  [index] date RECORD_ID [by CLAIMANT] on INCIDENTS": the start of a
 * claim's (with_claimant) or a finding's line. */
static void
item_head(pen *p, const json_t *x, int with_claimant)
{
    fputs("  ", p->f);
    stamp(p, x);
    put(p, str(x, "record_id"), NULL);
    if (with_claimant) {
        fputs(" by ", p->f);
        put(p, str(x, "claimant"), NULL);
    }
    fputs(" on ", p->f);
    put_list(p, json_object_get(x, "incident_refs"));
}

static void
norms_text(pen *p, const json_t *v)
{
    size_t i, j;
    json_t *ins, *n;

    fprintf(p->f, "NORMS REGISTER: %zu instruments\n",
            json_array_size(json_object_get(v, "instruments")));
    json_array_foreach(json_object_get(v, "instruments"), i, ins)
    {
        fprintf(p->f, "\n[%lld] ", num(ins, "index"));
        put(p, str(ins, "record_id"), NULL);
        fputs(": ", p->f);
        put(p, str(ins, "title"), NULL);
        fputs("\n      ", p->f);
        put(p, str(ins, "kind"), "INSTRUMENT_KIND_");
        fputs(", ", p->f);
        put_date(p, json_object_get(ins, "date"));
        if (*str(ins, "document_symbol")) {
            fputs(", ", p->f);
            put(p, str(ins, "document_symbol"), NULL);
        }
        fputs(json_is_true(json_object_get(ins, "binding")) ? ", binding" : ", non-binding", p->f);
        status_suffix(p, ins);
        fputs("\n", p->f);
        if (json_array_size(json_object_get(ins, "reaffirms"))) {
            fputs("      reaffirms: ", p->f);
            put_list(p, json_object_get(ins, "reaffirms"));
            fputs("\n", p->f);
        }
        json_array_foreach(json_object_get(ins, "norms"), j, n)
        {
            fprintf(p->f, "  [%lld] ", num(n, "index"));
            put(p, str(n, "norm_id"), NULL);
            fputs(" ", p->f);
            put(p, str(n, "paragraph"), NULL);
            fprintf(p->f, ": claimed breached in %lld incident%s, found breached in %lld",
                    num(n, "incidents_claimed"), num(n, "incidents_claimed") == 1 ? "" : "s",
                    num(n, "incidents_found_breached"));
            status_suffix(p, n);
            fputs("\n      ", p->f);
            put(p, str(n, "statement"), NULL);
            fputs("\n", p->f);
        }
    }
}

static void
commitment_line(pen *p, const json_t *cm, int with_target)
{
    fprintf(p->f, "  [%lld] ", num(cm, "index"));
    put(p, str(cm, "party"), NULL);
    fputs(" ", p->f);
    put(p, str(cm, "kind"), "COMMITMENT_KIND_");
    fputs(" ", p->f);
    put_date(p, json_object_get(cm, "date"));
    if (with_target) {
        fputs(" ", p->f);
        put(p, *str(cm, "norm_ref") ? str(cm, "norm_ref") : str(cm, "instrument_ref"), NULL);
    } else if (strcmp(str(cm, "via"), "norm") == 0) {
        fputs(" (this norm)", p->f);
    } else if (strcmp(str(cm, "via"), "instrument") == 0) {
        fputs(" (the whole instrument)", p->f);
    } else if (*str(cm, "via")) {
        fputs(" (", p->f);
        put(p, str(cm, "instrument_ref"), NULL);
        fputs(", which reaffirms it)", p->f);
    }
    if (*str(cm, "declared_by")) {
        fputs(", declared by ", p->f);
        put(p, str(cm, "declared_by"), NULL);
    }
    if (strcmp(str(cm, "provenance"), "PROVENANCE_TRANSCRIBED") == 0) {
        fputs(", transcribed by ", p->f);
        put(p, str(cm, "author"), NULL);
    }
    status_suffix(p, cm);
    fputs("\n", p->f);
}

static void
norm_text(pen *p, const json_t *v)
{
    const json_t *n = json_object_get(v, "norm"), *ins = json_object_get(v, "instrument");
    const json_t **claims; /* claims, then conclusions, in time order */
    size_t i, j, nc;
    json_t *x, *op;

    fprintf(p->f, "NORM %s", "");
    put(p, str(n, "norm_id"), NULL);
    fputs(" (", p->f);
    put(p, str(ins, "title"), NULL);
    fputs(" ", p->f);
    put(p, str(n, "paragraph"), NULL);
    fputs(")\n", p->f);
    fprintf(p->f, "[%lld] ", num(n, "index"));
    put(p, str(n, "statement"), NULL);
    fputs("\n  adopted: ", p->f);
    put_date(p, json_object_get(n, "adopted"));
    status_suffix(p, n);
    fputs("\n", p->f);
    if (json_array_size(json_object_get(v, "reaffirmed_in"))) {
        fputs("  reaffirmed in: ", p->f);
        json_array_foreach(json_object_get(v, "reaffirmed_in"), i, x)
        {
            if (i)
                fputs(", ", p->f);
            put(p, str(x, "instrument_id"), NULL);
        }
        fputs("\n", p->f);
    }
    fprintf(p->f, "\nCOMMITMENTS (%zu)\n", json_array_size(json_object_get(v, "commitments")));
    json_array_foreach(json_object_get(v, "commitments"), i, x) commitment_line(p, x, 0);
    fprintf(p->f, "\nCLAIMS OF BREACH (%zu)\n", json_array_size(json_object_get(v, "claims")));
    claims = lg_view_time_order(json_object_get(v, "claims"), &nc, &p->oom);
    for (i = 0; i < nc; i++) {
        const json_t **ops;
        size_t nops;

        x = (json_t *)claims[i];
        item_head(p, x, 1);
        fputs(": ", p->f);
        put(p, str(x, "link"), "NORM_LINK_");
        if (*str(x, "attributed_to")) {
            fputs(", against ", p->f);
            put(p, str(x, "attributed_to"), NULL);
        }
        status_suffix(p, x);
        fputs("\n      ", p->f);
        put(p, str(x, "basis"), NULL);
        fputs("\n", p->f);
        ops = lg_view_time_order(json_object_get(x, "opinions"), &nops, &p->oom);
        for (j = 0; j < nops; j++) {
            op = (json_t *)ops[j];
            fputs("      ", p->f);
            stamp(p, op);
            put(p, str(op, "author"), NULL);
            fputs(" ", p->f);
            put(p, str(op, "kind"), "OPINION_KIND_");
            if (json_is_true(json_object_get(op, "is_accused_party")))
                fputs(" [accused party]", p->f);
            status_suffix(p, op);
            fputs("\n", p->f);
        }
        lg_free(ops);
    }
    lg_free(claims);
    fprintf(p->f, "\nTHE BODY'S CONCLUSIONS (%zu)\n",
            json_array_size(json_object_get(v, "conclusions")));
    claims = lg_view_time_order(json_object_get(v, "conclusions"), &nc, &p->oom);
    for (i = 0; i < nc; i++) {
        x = (json_t *)claims[i];
        item_head(p, x, 0);
        fputs(": ", p->f);
        put(p, str(x, "verdict"), "NORM_VERDICT_");
        fputs(json_is_true(json_object_get(x, "published")) ? " (published)" : " (NOT PUBLISHED)",
              p->f);
        status_suffix(p, x);
        fputs("\n      ", p->f);
        put(p, str(x, "reasoning"), NULL);
        fputs("\n", p->f);
    }
    lg_free(claims);
    if (json_array_size(json_object_get(v, "conclusions")) == 0)
        fputs("  none: the body has not ruled on this norm\n", p->f);
}

static void
norm_marks(pen *p, const json_t *norms, const char *field, const char *prefix)
{
    size_t i, j;
    json_t *nb, *cm;

    json_array_foreach(norms, i, nb)
    {
        fputs("      ", p->f);
        put(p, str(nb, "norm_ref"), NULL);
        fputs(": ", p->f);
        put(p, str(nb, field), prefix);
        if (!json_is_true(json_object_get(nb, "party_committed")))
            fputs("; no commitment recorded", p->f);
        json_array_foreach(json_object_get(nb, "commitments"), j, cm)
        {
            fputs(j ? ", " : "; committed: ", p->f);
            put(p, str(cm, "instrument_ref"), NULL);
            fputs(" ", p->f);
            put_date(p, json_object_get(cm, "date"));
            fprintf(p->f, " [%lld]", num(cm, "index"));
        }
        fputs("\n", p->f);
    }
}

static void
state_text(pen *p, const json_t *v)
{
    const json_t *a = json_object_get(v, "actor");
    const json_t **items; /* claims, then findings, in time order */
    size_t i, n;
    json_t *x;

    fputs("NORMS RECORD CARD: ", p->f);
    put(p, str(a, "name"), NULL);
    fputs(" (", p->f);
    put(p, str(a, "record_id"), NULL);
    fputs(")\n", p->f);
    fprintf(p->f, "\nCOMMITMENTS (%zu)\n", json_array_size(json_object_get(v, "commitments")));
    json_array_foreach(json_object_get(v, "commitments"), i, x) commitment_line(p, x, 1);
    fprintf(p->f, "\nCLAIMED BREACHES (%zu)\n", json_array_size(json_object_get(v, "claims")));
    items = lg_view_time_order(json_object_get(v, "claims"), &n, &p->oom);
    for (i = 0; i < n; i++) {
        x = (json_t *)items[i];
        item_head(p, x, 1);
        status_suffix(p, x);
        fputs("\n", p->f);
        norm_marks(p, json_object_get(x, "norms"), "link", "NORM_LINK_");
    }
    lg_free(items);
    fprintf(p->f, "\nFINDINGS (%zu)\n", json_array_size(json_object_get(v, "findings")));
    items = lg_view_time_order(json_object_get(v, "findings"), &n, &p->oom);
    for (i = 0; i < n; i++) {
        x = (json_t *)items[i];
        item_head(p, x, 0);
        fputs(json_is_true(json_object_get(x, "published")) ? " (published)" : " (NOT PUBLISHED)",
              p->f);
        fputs("\n", p->f);
        norm_marks(p, json_object_get(x, "norms"), "verdict", "NORM_VERDICT_");
    }
    lg_free(items);
}

int
lg_view_norms_text(ledger_buf *out, const json_t *view, lg_view_kind kind)
{
    char *mem = NULL;
    size_t len = 0;
    pen p = {open_memstream(&mem, &len), 0};
    uint8_t *data;

    if (p.f == NULL)
        return lg_error_nomem();
    if (kind == LG_VIEW_NORMS)
        norms_text(&p, view);
    else if (kind == LG_VIEW_NORM)
        norm_text(&p, view);
    else
        state_text(&p, view);
    if (fclose(p.f) != 0 || mem == NULL || p.oom) {
        free(mem);
        return lg_error_nomem();
    }
    data = lg_malloc(len + 1);
    if (data == NULL) {
        free(mem);
        return lg_error_nomem();
    }
    memcpy(data, mem, len + 1);
    free(mem);
    out->data = data;
    out->len = len;
    return 0;
}
