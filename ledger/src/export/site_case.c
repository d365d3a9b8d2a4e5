/*
 * site_case.c - the pages of the static site (site_int.h): the index, and
 * one page per incident (the case file), actor, participant and finding.
 *
 * Each page is rendered from the JSON view of the same name (docs/VIEWS.md),
 * so the site shows exactly what `attrledger incident` and friends derive.
 * Every string taken from a record goes through the escaping writer and is
 * marked as a signed value (site_html.h), which site.js finds again in the
 * record's signed bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "export/site_int.h"

#define JS(o, k) json_string_value(json_object_get((o), (k)))
#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))

static void
str_list(lg_page *p, const char *label, const json_t *arr)
{
    const json_t *v;
    size_t i;

    if (json_array_size(arr) == 0)
        return;
    lg_html_raw(&p->h, "<dt>");
    lg_html_raw(&p->h, label);
    lg_html_raw(&p->h, "</dt><dd>");
    json_array_foreach(arr, i, v)
    {
        if (i > 0)
            lg_html_raw(&p->h, ", ");
        lg_html_text(&p->h, json_string_value(v) ? json_string_value(v) : "", LG_SITE_NAME_CAP, 1);
    }
    lg_html_raw(&p->h, "</dd>");
}

static void
references(lg_page *p, const json_t *refs)
{
    const json_t *r;
    size_t i;

    if (json_array_size(refs) == 0)
        return;
    lg_html_raw(&p->h, "<dt>sources</dt><dd><ul>");
    json_array_foreach(refs, i, r)
    {
        const char *url = JS(r, "url"), *src = JS(r, "source_name"), *d = JS(r, "description");
        lg_html_raw(&p->h, "<li>");
        if (src != NULL) {
            lg_html_text(&p->h, src, LG_SITE_NAME_CAP, 1);
            lg_html_raw(&p->h, ": ");
        }
        if (d != NULL) {
            lg_html_text(&p->h, d, LG_SITE_FIELD_CAP, 1);
            lg_html_raw(&p->h, " ");
        }
        if (url != NULL)
            lg_html_url(&p->h, url, NULL, LG_SITE_FIELD_CAP);
        lg_html_raw(&p->h, "</li>");
    }
    lg_html_raw(&p->h, "</ul></dd>");
}

/* ---- incident ---- */

static void
incident_body(lg_page *p, const json_t *inc)
{
    const json_t *v;
    size_t i;

    lg_html_raw(&p->h, "<dl class=\"fields\">");
    str_list(p, "also known as", json_object_get(inc, "aliases"));
    lg_page_field(p, "description", JS(inc, "description"));
    lg_page_enum(p, "determination", JS(inc, "determination"), "DETERMINATION_");
    str_list(p, "incident types", json_object_get(inc, "incident_types"));
    json_array_foreach(json_object_get(inc, "victims"), i, v)
    {
        lg_page_field(p, "victim", JS(v, "name"));
        lg_page_field(p, "victim notes", JS(v, "notes"));
    }
    lg_page_field(p, "impact", JS(json_object_get(inc, "impact"), "summary"));
    references(p, json_object_get(inc, "external_references"));
    lg_html_raw(&p->h, "</dl>");
}

static void
opinion(lg_page *p, const json_t *o)
{
    const char *alt = JS(o, "alternative_attribution");

    lg_page_record_open(p, o, "opinion");
    lg_html_raw(&p->h, "<dl class=\"fields\">");
    lg_page_enum(p, "kind", JS(o, "kind"), "OPINION_KIND_");
    lg_page_enum(p, "stance", JS(o, "stance"), "OPINION_");
    if (json_is_true(json_object_get(o, "is_accused_party")))
        lg_html_raw(&p->h, "<dt>right of reply</dt><dd class=\"reply\">the accused party's own "
                           "answer</dd>");
    lg_page_field(p, "explanation", JS(o, "explanation"));
    if (alt != NULL) {
        lg_html_raw(&p->h, "<dt>points instead to</dt><dd>");
        lg_page_link(p, "actor", alt, alt, 1);
        lg_html_raw(&p->h, "</dd>");
    }
    lg_html_raw(&p->h, "</dl>");
    lg_page_record_close(p);
}

static void
claim(lg_page *p, const json_t *c)
{
    const char *to = JS(c, "attributed_to"), *nx = JS(c, "state_nexus");
    const json_t *o;
    size_t i;

    lg_page_record_open(p, c, "attribution claim");
    lg_html_raw(&p->h, "<h3>");
    lg_page_link(p, "participant", JS(c, "claimant") ? JS(c, "claimant") : "",
                 JS(c, "claimant") ? JS(c, "claimant") : "", 1);
    lg_html_raw(&p->h, " attributes it to ");
    if (to != NULL)
        lg_page_link(p, "actor", to, JS(c, "attributed_to_name") ? JS(c, "attributed_to_name") : to,
                     0);
    if (nx != NULL) {
        lg_html_raw(&p->h, " (state nexus: ");
        lg_page_link(p, "actor", nx, JS(c, "state_nexus_name") ? JS(c, "state_nexus_name") : nx, 0);
        lg_html_raw(&p->h, ")");
    }
    lg_html_raw(&p->h, "</h3><dl class=\"fields\">");
    lg_page_confidence(p, json_object_get(c, "confidence"));
    lg_page_enum(p, "assertion", JS(c, "assertion_type"), "ASSERTION_TYPE_");
    lg_page_enum(p, "level", JS(c, "level"), "ATTRIBUTION_LEVEL_");
    lg_page_enum(p, "state responsibility", JS(c, "state_responsibility"), "STATE_RESPONSIBILITY_");
    lg_page_enum(p, "evidence disclosed", JS(c, "evidence_disclosure"), "DISCLOSURE_");
    lg_page_enum(p, "channel", JS(c, "channel"), "CHANNEL_");
    lg_page_enum(p, "provenance", JS(c, "provenance"), "PROVENANCE_");
    lg_page_field_derived(p, "claimed at", JS(json_object_get(c, "claimed_at"), "time"));
    lg_page_field(p, "statement", JS(c, "statement"));
    lg_html_raw(&p->h, "</dl>");
    if (json_array_size(json_object_get(c, "opinions")) > 0) {
        lg_html_raw(&p->h, "<section class=\"opinions\"><h4>Opinions and replies</h4>");
        json_array_foreach(json_object_get(c, "opinions"), i, o) opinion(p, o);
        lg_html_raw(&p->h, "</section>");
    }
    lg_page_record_close(p);
}

static void
finding(lg_page *p, const json_t *f, int own_page)
{
    const json_t *t = json_object_get(f, "tally"), *c, *v;
    size_t i;

    lg_page_record_open(p, f, "finding");
    lg_html_raw(&p->h, own_page ? "<h2>" : "<h3>");
    if (own_page)
        lg_html_text(&p->h, JS(f, "title") ? JS(f, "title") : "", LG_SITE_NAME_CAP, 1);
    else
        lg_page_link(p, "finding", JS(f, "record_id") ? JS(f, "record_id") : "",
                     JS(f, "title") ? JS(f, "title") : "", 1);
    lg_html_raw(&p->h, own_page ? "</h2>" : "</h3>");
    if (json_is_true(json_object_get(f, "published")))
        lg_html_rawf(&p->h,
                     "<p class=\"pub yes\">Published: %" PRId64 " of %" PRId64
                     " counted panelists approved, %" PRId64 " needed (entry #%" PRId64
                     " completed it).</p>",
                     JI(t, "approve"), JI(t, "counted_panel"), JI(t, "approvals_needed"),
                     JI(f, "published_at"));
    else
        lg_html_rawf(&p->h,
                     "<p class=\"pub no\">Not published: %" PRId64 " of %" PRId64
                     " counted panelists approved, %" PRId64 " needed.</p>",
                     JI(t, "approve"), JI(t, "counted_panel"), JI(t, "approvals_needed"));
    lg_html_raw(&p->h, "<dl class=\"fields\">");
    lg_page_field(p, "case", JS(f, "case_number"));
    lg_page_enum(p, "outcome", JS(f, "outcome"), "FINDING_OUTCOME_");
    lg_html_raw(&p->h, "</dl>");
    json_array_foreach(json_object_get(f, "conclusions"), i, c)
    {
        const char *to = JS(c, "attributed_to");
        lg_html_raw(&p->h, "<div class=\"conclusion\"><p>Attributed to ");
        lg_page_link(p, "actor", to ? to : "", to ? to : "", 1);
        lg_html_raw(&p->h, "</p><dl class=\"fields\">");
        lg_page_confidence(p, json_object_get(c, "confidence"));
        lg_page_enum(p, "level", JS(c, "level"), "ATTRIBUTION_LEVEL_");
        lg_page_field(p, "basis", JS(c, "basis"));
        lg_html_raw(&p->h, "</dl></div>");
    }
    lg_html_raw(&p->h, "<dl class=\"fields\">");
    lg_page_field(p, "dissent", JS(f, "dissent"));
    str_list(p, "panel", json_object_get(f, "panel_members"));
    lg_html_raw(&p->h, "</dl><section class=\"votes\"><h4>Votes</h4>");
    json_array_foreach(json_object_get(f, "votes"), i, v)
    {
        lg_page_record_open(p, v, "panel vote");
        lg_html_raw(&p->h, "<dl class=\"fields\">");
        lg_page_enum(p, "vote", JS(v, "vote"), "VOTE_");
        lg_page_field(p, "statement", JS(v, "statement"));
        lg_html_raw(&p->h, "</dl>");
        lg_page_record_close(p);
    }
    lg_html_raw(&p->h, "</section>");
    lg_page_record_close(p);
}

int
lg_site_incident_page(ledger_buf *out, lg_site *s, const json_t *v)
{
    const json_t *inc = json_object_get(v, "incident"), *x;
    const char *name = JS(inc, "name") ? JS(inc, "name") : "incident";
    int64_t latest = JI(v, "latest_index");
    lg_page p;
    size_t i;

    lg_page_begin(&p, s, "../", name);
    lg_html_raw(&p.h, "<h1>");
    lg_html_text(&p.h, name, LG_SITE_NAME_CAP, 0);
    lg_html_raw(&p.h, "</h1>\n<section aria-labelledby=\"h-report\"><h2 id=\"h-report\">Report "
                      "versions</h2>");
    json_array_foreach(json_object_get(v, "versions"), i, x)
    {
        lg_page_record_open(&p, x, "incident report");
        if (JI(x, "index") == latest)
            incident_body(&p, inc);
        else {
            lg_html_raw(&p.h, "<dl class=\"fields\">");
            lg_page_field(&p, "name", JS(x, "name"));
            lg_html_raw(&p.h, "</dl>");
        }
        lg_page_record_close(&p);
    }
    lg_html_raw(&p.h, "</section>\n<section aria-labelledby=\"h-graph\"><h2 id=\"h-graph\">Who "
                      "said whom</h2>");
    lg_site_graph(&p, v);
    lg_html_raw(&p.h,
                "</section>\n<section aria-labelledby=\"h-ev\"><h2 id=\"h-ev\">Evidence</h2>");
    json_array_foreach(json_object_get(v, "evidence"), i, x)
    {
        lg_page_record_open(&p, x, "evidence");
        lg_html_raw(&p.h, "<dl class=\"fields\">");
        lg_page_field(&p, "title", JS(x, "title"));
        lg_page_enum(&p, "type", JS(x, "evidence_type"), "EVIDENCE_TYPE_");
        lg_page_enum(&p, "disclosure", JS(x, "disclosure"), "DISCLOSURE_");
        lg_html_raw(&p.h, "</dl>");
        lg_page_record_close(&p);
    }
    lg_html_raw(&p.h, "</section>\n<section aria-labelledby=\"h-cl\"><h2 id=\"h-cl\">Attribution "
                      "claims</h2>");
    json_array_foreach(json_object_get(v, "claims"), i, x) claim(&p, x);
    lg_html_raw(&p.h, "</section>\n<section aria-labelledby=\"h-op\"><h2 id=\"h-op\">Opinions on "
                      "the incident</h2>");
    json_array_foreach(json_object_get(v, "opinions"), i, x) opinion(&p, x);
    lg_html_raw(&p.h, "</section>\n<section aria-labelledby=\"h-fn\"><h2 id=\"h-fn\">Findings of "
                      "the body</h2>");
    if (json_array_size(json_object_get(v, "findings")) == 0)
        lg_html_raw(&p.h, "<p>No finding yet.</p>");
    json_array_foreach(json_object_get(v, "findings"), i, x) finding(&p, x, 0);
    lg_html_raw(&p.h, "</section>\n");
    return lg_page_end(out, &p);
}

/* ---- finding, actor, participant ---- */

int
lg_site_finding_page(ledger_buf *out, lg_site *s, const json_t *v)
{
    lg_page p;

    lg_page_begin(&p, s, "../", JS(v, "title") ? JS(v, "title") : "finding");
    lg_html_raw(&p.h, "<h1>Finding ");
    lg_html_text(&p.h, JS(v, "case_number") ? JS(v, "case_number") : "", LG_SITE_NAME_CAP, 0);
    lg_html_raw(&p.h, "</h1>\n");
    finding(&p, v, 1);
    return lg_page_end(out, &p);
}

int
lg_site_actor_page(ledger_buf *out, lg_site *s, const json_t *v)
{
    const json_t *a = json_object_get(v, "actor"), *x, *inc;
    const char *name = JS(a, "name") ? JS(a, "name") : "actor";
    lg_page p;
    size_t i, j;

    lg_page_begin(&p, s, "../", name);
    lg_html_raw(&p.h, "<h1>");
    lg_html_text(&p.h, name, LG_SITE_NAME_CAP, 0);
    lg_html_raw(&p.h, "</h1>\n<section aria-labelledby=\"h-a\"><h2 id=\"h-a\">As recorded</h2>");
    lg_html_raw(&p.h, "<dl class=\"fields\">");
    lg_page_field(&p, "actor id", JS(a, "actor_id"));
    lg_page_enum(&p, "kind", JS(a, "actor_kind"), "ACTOR_KIND_");
    str_list(&p, "also known as", json_object_get(a, "aliases"));
    lg_page_field(&p, "description", JS(a, "description"));
    references(&p, json_object_get(a, "external_references"));
    lg_html_rawf(&p.h,
                 "<dt>latest record</dt><dd>entry #%" PRId64 " (<a href=\"../rec/%" PRId64
                 ".json\">raw JSON</a>)</dd></dl></section>\n",
                 JI(v, "latest_index"), JI(v, "latest_index"));
    lg_html_raw(&p.h, "<section aria-labelledby=\"h-c\"><h2 id=\"h-c\">Claims and findings "
                      "naming it</h2>");
    json_array_foreach(json_object_get(v, "attributions"), i, x)
    {
        const char *type = JS(x, "type") ? JS(x, "type") : "";
        lg_page_record_open(&p, x, strcmp(type, "finding") == 0 ? "finding" : "attribution claim");
        lg_html_raw(&p.h, "<dl class=\"fields\"><dt>incident</dt><dd>");
        json_array_foreach(json_object_get(x, "incidents"), j, inc)
        {
            const char *rid = JS(inc, "record_id") ? JS(inc, "record_id") : "";
            if (j > 0)
                lg_html_raw(&p.h, ", ");
            lg_page_link(&p, "incident", rid,
                         JS(inc, "record_id_name") ? JS(inc, "record_id_name") : rid, 0);
        }
        lg_html_raw(&p.h, "</dd>");
        if (JS(x, "claimant") != NULL) {
            lg_html_raw(&p.h, "<dt>claimant</dt><dd>");
            lg_page_link(&p, "participant", JS(x, "claimant"), JS(x, "claimant"), 1);
            lg_html_raw(&p.h, "</dd>");
        }
        lg_page_enum(&p, "named as", JS(x, "as"), "");
        lg_page_confidence(&p, json_object_get(x, "confidence"));
        lg_page_enum(&p, "level", JS(x, "level"), "ATTRIBUTION_LEVEL_");
        lg_page_enum(&p, "outcome", JS(x, "outcome"), "FINDING_OUTCOME_");
        lg_html_raw(&p.h, "</dl>");
        lg_page_record_close(&p);
    }
    lg_html_raw(&p.h, "</section>\n");
    return lg_page_end(out, &p);
}

int
lg_site_participant_page(ledger_buf *out, lg_site *s, const json_t *v, const char *id)
{
    const json_t *pt = json_object_get(v, "participant"), *x;
    const char *name = JS(pt, "name") ? JS(pt, "name") : id;
    lg_page p;
    size_t i;

    lg_page_begin(&p, s, "../", name);
    if (json_object_set_new(p.authors, id, json_true()) < 0)
        p.h.err = 1;
    lg_html_raw(&p.h, "<h1>");
    lg_html_text(&p.h, name, LG_SITE_NAME_CAP, 0);
    lg_html_raw(&p.h, "</h1>\n<section aria-labelledby=\"h-p\"><h2 id=\"h-p\">Participant</h2>"
                      "<dl class=\"fields\">");
    lg_page_field_derived(&p, "participant id", id);
    lg_page_enum(&p, "kind", JS(pt, "participant_kind"), "PARTICIPANT_KIND_");
    lg_page_field(&p, "country", JS(pt, "country"));
    str_list(&p, "roles", json_object_get(v, "roles"));
    lg_html_raw(&p.h, "</dl></section>\n<section aria-labelledby=\"h-k\"><h2 id=\"h-k\">Keys</h2>"
                      "<table><thead><tr><th scope=\"col\">key id</th><th scope=\"col\">added at "
                      "entry</th><th scope=\"col\">status</th></tr></thead><tbody>");
    json_array_foreach(json_object_get(v, "keys"), i, x)
    {
        lg_html_raw(&p.h, "<tr><td><code class=\"hash\">");
        lg_html_text(&p.h, JS(x, "key_id") ? JS(x, "key_id") : "", LG_SITE_NAME_CAP, 0);
        lg_html_rawf(&p.h, "</code></td><td>#%" PRId64 "</td><td>", JI(x, "added_at"));
        lg_html_text(&p.h, JS(x, "status") ? JS(x, "status") : "", LG_SITE_NAME_CAP, 0);
        if (json_object_get(x, "revoked_at") != NULL)
            lg_html_rawf(&p.h, " at entry #%" PRId64, JI(x, "revoked_at"));
        lg_html_raw(&p.h, "</td></tr>");
    }
    lg_html_raw(&p.h, "</tbody></table></section>\n<section aria-labelledby=\"h-r\"><h2 "
                      "id=\"h-r\">What it signed</h2><ul class=\"signed\">");
    json_array_foreach(json_object_get(v, "records"), i, x)
    {
        lg_html_rawf(&p.h, "<li><a href=\"../rec/%" PRId64 ".json\">#%" PRId64 "</a> ",
                     JI(x, "index"), JI(x, "index"));
        lg_html_text(&p.h, JS(x, "type") ? JS(x, "type") : "", LG_SITE_NAME_CAP, 0);
        lg_html_raw(&p.h, " <code>");
        lg_html_text(&p.h, JS(x, "record_id") ? JS(x, "record_id") : "", LG_SITE_NAME_CAP, 0);
        lg_html_raw(&p.h, "</code> ");
        lg_html_text(&p.h, JS(x, "status") ? JS(x, "status") : "", LG_SITE_NAME_CAP, 0);
        lg_html_raw(&p.h, "</li>");
    }
    lg_html_raw(&p.h, "</ul></section>\n");
    return lg_page_end(out, &p);
}

/* ---- index ---- */

/* The names on the checkpoint's signature lines ("\xe2\x80\x94 name sig"):
 * the log, then its witnesses. The browser checks the log's signature;
 * witness cosignatures are shown for `verify-receipt --policy`. */
static void
signers(lg_page *p, const char *note)
{
    const char *l = strstr(note, "\n\n");
    int witnesses = 0;

    lg_html_raw(&p->h, "<p>Signed by the log");
    for (l = l ? l + 2 : ""; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
        const char *name = l + 4, *end = strchr(name, ' ');
        char buf[LG_SITE_NAME_CAP + 1];

        if (strncmp(l, "\xe2\x80\x94 ", 4) != 0 || end == NULL ||
            (size_t)(end - name) > LG_SITE_NAME_CAP)
            continue;
        memcpy(buf, name, (size_t)(end - name));
        buf[end - name] = '\0';
        if (strcmp(buf, p->s->origin) == 0)
            continue;
        lg_html_raw(&p->h, witnesses++ ? ", " : "; cosigned by the witnesses ");
        lg_html_text(&p->h, buf, LG_SITE_NAME_CAP, 0);
    }
    lg_html_raw(&p->h, witnesses ? ".</p>" : "; no witness cosignature yet.</p>");
}

int
lg_site_index_page(ledger_buf *out, lg_site *s, const json_t *incidents, const json_t *stats,
                   const char *checkpoint)
{
    const json_t *x;
    const char *k;
    json_t *n;
    lg_page p;
    size_t i;

    lg_page_begin(&p, s, "", "Incidents");
    lg_html_raw(&p.h, "<h1>Incidents on record</h1>\n<section aria-labelledby=\"h-t\"><h2 "
                      "id=\"h-t\">Timeline</h2><ol class=\"timeline\">");
    json_array_foreach(incidents, i, x)
    {
        const char *first = JS(x, "first_seen");
        lg_html_raw(&p.h, "<li><time>");
        lg_html_text(&p.h, first && strlen(first) >= 10 ? first : "undated", 10, 0);
        lg_html_raw(&p.h, "</time> ");
        lg_page_link(&p, "incident", JS(x, "record_id"), JS(x, "name"), 0);
        lg_html_raw(&p.h, "</li>");
    }
    lg_html_raw(&p.h, "</ol></section>\n<section aria-labelledby=\"h-c\"><h2 id=\"h-c\">Latest "
                      "checkpoint</h2><pre class=\"note\">");
    lg_html_text(&p.h, checkpoint, LG_SITE_FIELD_CAP, 0);
    lg_html_raw(&p.h, "</pre>");
    signers(&p, checkpoint);
    lg_html_raw(&p.h, "</section>\n<section aria-labelledby=\"h-s\"><h2 id=\"h-s\">The "
                      "record in numbers</h2><table><tbody>");
    json_object_foreach((json_t *)stats, k, n)
    {
        if (!json_is_integer(n))
            continue;
        lg_html_raw(&p.h, "<tr><th scope=\"row\">");
        lg_page_enum_text(&p, k, "");
        lg_html_rawf(&p.h, "</th><td>%" PRId64 "</td></tr>", (int64_t)json_integer_value(n));
    }
    lg_html_raw(&p.h, "</tbody></table></section>\n");
    return lg_page_end(out, &p);
}
