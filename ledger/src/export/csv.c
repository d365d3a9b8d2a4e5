/*
 * csv.c - attribution claims as CSV (export.h: ledger_export_csv, one row
 * per selected claim; ledger_export_norms_csv, one row per norm a selected
 * claim cites), written from the model of graph_load.c.
 *
 * Untrusted text: every field comes from signed records, but signed is
 * not harmless. CSV fields are quoted per RFC 4180 and a text value with a
 * leading = + - @ TAB or CR is prefixed with ' so spreadsheets do not run
 * it as a formula (OWASP "CSV injection"). Columns we write ourselves
 * never need the guard: the leaf hash is lowercase hex (base64 can start
 * with '+', and the guard would corrupt it), numbers are digits, and enum
 * values are written as the plain words of codec/labels.c ("strategic
 * level", not ATTRIBUTION_LEVEL_STRATEGIC), the table the text views use;
 * none starts with a formula character.
 */
#include <stdio.h>
#include <string.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/labels.h"
#include "export/graph_int.h"

/* RFC 4180 field; formula-looking values get a leading quote mark. */
static void
csv_field(lg_sbuf *b, const char *v, int last)
{
    int quote;

    if (v == NULL)
        v = "";
    quote = strpbrk(v, ",\"\r\n") != NULL || (v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL);
    if (quote)
        lg_sbuf_put(b, "\"", 1);
    if (v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL)
        lg_sbuf_put(b, "'", 1);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            lg_sbuf_put(b, "\"", 1);
        lg_sbuf_put(b, p, 1);
    }
    if (quote)
        lg_sbuf_put(b, "\"", 1);
    lg_sbuf_put(b, last ? "\r\n" : ",", last ? 2 : 1);
}

/* The plain words of the enum value at o[key] ("" when absent). */
static const char *
word(const json_t *o, const char *key)
{
    return lg_label(jstr(o, key));
}

/* A claim's provenance in words; a record without one is first-party. */
static const char *
provenance(const json_t *hdr)
{
    const char *prov = jstr(hdr, "provenance");

    return lg_label(prov && strcmp(prov, "PROVENANCE_TRANSCRIBED") == 0 ? prov
                                                                        : "PROVENANCE_FIRST_PARTY");
}

/* When the claim c was made: its claimed_at, else its header's created. */
static const char *
claimed_at(const json_t *c, const json_t *hdr)
{
    const char *t = jstr(json_object_get(c, "claimed_at"), "time");

    return t != NULL ? t : jstr(hdr, "created");
}

/* The rows of one selected claim; returns how many it wrote. */
typedef size_t (*csv_rows_fn)(lg_sbuf *b, graph_ctx *g, const item *it, size_t ncols);

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
    lg_sbuf b = {NULL, 0, 0, 0};
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    lg_sel_init(&sel);
    if ((rc = lg_graph_load(&g, &rep, log, opts ? opts : &defaults, &sel)) < 0)
        goto done;
    for (size_t i = 0; i < ncols; i++)
        csv_field(&b, cols[i], i + 1 == ncols);
    for (size_t i = 0; i < g.n; i++) {
        const item *it = &g.v[i];

        if (it->type == LG_REC_ATTRIBUTION_CLAIM && it->mark == LG_SEL_SELECTED)
            rep.objects += rows(&b, &g, it, ncols);
    }
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

static size_t
claim_row(lg_sbuf *b, graph_ctx *g, const item *it, size_t ncols)
{
    const json_t *c = body_of(it), *hdr = json_object_get(it->rec, "header");
    const json_t *conf = json_object_get(c, "confidence"),
                 *lk = json_object_get(conf, "likelihood");
    char idx[24], cv[24], h[2 * 32 + 1];
    lg_sbuf incs = {NULL, 0, 0, 0}, incn = {NULL, 0, 0, 0};

    snprintf(idx, sizeof idx, "%llu", (unsigned long long)it->index);
    cv[0] = '\0';
    if (json_is_integer(json_object_get(conf, "stix_value")))
        snprintf(cv, sizeof cv, "%lld",
                 (long long)json_integer_value(json_object_get(conf, "stix_value")));
    lg_hex_encode(h, it->leaf_hash, 32);
    const char *row[] = {
        idx,
        rid(it),
        lg_graph_status(it),
        it->disputed ? "yes" : "no",
        lg_graph_join(&incs, json_object_get(c, "incident_refs"), g, 0),
        lg_graph_join(&incn, json_object_get(c, "incident_refs"), g, 1),
        jstr(c, "claimant"),
        lg_graph_name_of(g, jstr(c, "claimant")),
        jstr(hdr, "author"),
        provenance(hdr),
        word(c, "assertion_type"),
        jstr(c, "attributed_to"),
        lg_graph_name_of(g, jstr(c, "attributed_to")),
        jstr(c, "state_nexus"),
        word(c, "level"),
        word(c, "target_scope"),
        cv,
        word(lk, "scale"),
        jstr(lk, "term"),
        word(conf, "analytic_confidence"),
        word(c, "channel"),
        word(c, "evidence_disclosure"),
        claimed_at(c, hdr),
        jstr(c, "statement"),
        h,
    };
    for (size_t k = 0; k < ncols; k++)
        csv_field(b, row[k], k + 1 == ncols);
    b->failed |= incs.failed | incn.failed;
    lg_free(incs.p);
    lg_free(incn.p);
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
norm_rows(lg_sbuf *b, graph_ctx *g, const item *it, size_t ncols)
{
    const json_t *c = body_of(it), *hdr = json_object_get(it->rec, "header"), *nb;
    char idx[24], h[2 * 32 + 1];
    lg_sbuf incs = {NULL, 0, 0, 0};
    size_t k, n = 0;

    snprintf(idx, sizeof idx, "%llu", (unsigned long long)it->index);
    lg_hex_encode(h, it->leaf_hash, 32);
    json_array_foreach(json_object_get(c, "norms_breached"), k, nb)
    {
        const char *row[] = {
            idx,
            rid(it),
            lg_graph_status(it),
            it->disputed ? "yes" : "no",
            lg_graph_join(&incs, json_object_get(c, "incident_refs"), g, 0),
            jstr(c, "claimant"),
            jstr(hdr, "author"),
            provenance(hdr),
            jstr(c, "attributed_to"),
            jstr(c, "state_nexus"),
            jstr(nb, "norm_ref"),
            word(nb, "link"),
            jstr(nb, "basis"),
            claimed_at(c, hdr),
            h,
        };
        for (size_t m = 0; m < ncols; m++)
            csv_field(b, row[m], m + 1 == ncols);
        n++;
    }
    b->failed |= incs.failed;
    lg_free(incs.p);
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