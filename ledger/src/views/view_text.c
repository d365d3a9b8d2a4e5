/*
 * view_text.c - the text form of the views, for people.
 *
 * Rendered from the same JSON objects that --json prints, so the two never
 * disagree. Every line that states something starts with the entry index
 * in brackets ("[94]"), so it can be proved with `attrledger prove inclusion
 * 94`, then its date (a claim's own claimed_at, to the precision its
 * source gives, else the record's created date); claims, opinions, votes
 * and findings are listed in time order. Enum values are written in plain
 * words from the one label table (codec/labels.c: "strategic level" for
 * ATTRIBUTION_LEVEL_STRATEGIC). A finding says on its first line whether it
 * is published. The text may change between versions; the JSON is the
 * stable contract.
 *
 * The object rendered here is the one --json prints plus a few members
 * only the text uses (views_int.h, vctx.text): records' created dates,
 * claims' statements in the actor view, claims against related actors.
 *
 * Every string is escaped before it is printed (base/textesc.h): record
 * text is written by members, and a control character or bidirectional
 * override must not drive the reader's terminal or forge a line.
 */
#include <stdarg.h>
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
    char *buf;
    size_t len, cap;
    int oom;
} sb;

static void sb_printf(sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(sb *s, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (s->oom)
        return;
    for (;;) {
        size_t room = s->cap - s->len;
        va_start(ap, fmt);
        n = vsnprintf(s->buf ? s->buf + s->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            s->oom = 1;
            return;
        }
        if ((size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t ncap = (s->cap ? s->cap * 2 : 1024) + (size_t)n;
        char *nb = lg_realloc(s->buf, ncap);
        if (nb == NULL) {
            s->oom = 1;
            return;
        }
        s->buf = nb;
        s->cap = ncap;
    }
}

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

/* The plain words for an enum value (codec/labels.c). */
static const char *
word(const json_t *o, const char *key)
{
    return lg_label(str(o, key));
}

/* An item's date, by the precision its source gives: a claim's claimed_at
 * (its own date), else the record's "created" (the author's date for the
 * record; the views add it for the text form). "undated" when neither. */
static const char *
item_date(char out[32], const json_t *o)
{
    const json_t *ca = json_object_get(o, "claimed_at");
    const char *t = str(ca, "time"), *prec = str(ca, "precision");
    size_t n = 10;

    if (*t == '\0') {
        t = str(o, "created");
        prec = "";
    }
    if (strlen(t) < 10)
        return "undated";
    if (strcmp(prec, "DATE_PRECISION_YEAR") == 0)
        n = 4;
    else if (strcmp(prec, "DATE_PRECISION_MONTH") == 0)
        n = 7;
    if (strcmp(prec, "DATE_PRECISION_SECOND") == 0 && strlen(t) >= 19)
        snprintf(out, 32, "%.10s %.8s UTC", t, t + 11);
    else
        snprintf(out, 32, "%.*s", (int)n, t);
    return out;
}

/* The members of arr in time order (borrowed references; lg_free the
 * array). NULL, with *n 0, for an empty array or out of memory (s->oom). */
static const json_t **
in_time_order(sb *s, const json_t *arr, size_t *n)
{
    return lg_view_time_order(arr, n, &s->oom);
}

/* "[index] date " at the start of an item's line. */
static void
stamp(sb *s, const json_t *o)
{
    char d[32];
    sb_printf(s, "[%lld] %s ", num(o, "index"), item_date(d, o));
}

static void
status_line(sb *s, const json_t *o)
{
    const char *st = str(o, "status");

    if (json_object_get(o, "superseded_by"))
        sb_printf(s, "superseded (by entry %lld)", num(o, "superseded_by"));
    else if (json_object_get(o, "retracted_by"))
        sb_printf(s, "retracted (at entry %lld)", num(o, "retracted_by"));
    else if (strcmp(st, "ACTIVE") == 0)
        sb_printf(s, "active");
    else if (strcmp(st, "SUPERSEDED") == 0)
        sb_printf(s, "superseded");
    else if (strcmp(st, "RETRACTED") == 0)
        sb_printf(s, "retracted");
    else
        sb_printf(s, "%s", st);
    if (json_object_get(o, "superseded_by") && json_object_get(o, "retracted_by"))
        sb_printf(s, ", retracted (at entry %lld)", num(o, "retracted_by"));
}

/* A finding's publication: said on its first line, wherever it appears. */
static void
published(sb *s, const json_t *f)
{
    if (json_is_true(json_object_get(f, "published")))
        sb_printf(s, "published (quorum reached at entry %lld)", num(f, "published_at"));
    else if (json_object_get(f, "published_at"))
        sb_printf(s, "NOT PUBLISHED (reached quorum at entry %lld, then retracted)",
                  num(f, "published_at"));
    else
        sb_printf(s, "NOT PUBLISHED (quorum not reached)");
}

static void
confidence(sb *s, const json_t *c)
{
    const json_t *lk, *stix;
    const char *sep = "";

    if (c == NULL) {
        sb_printf(s, "none stated");
        return;
    }
    lk = json_object_get(c, "likelihood");
    stix = json_object_get(c, "stix_value");
    if (lk != NULL) {
        sb_printf(s, "\"%s\" (%s)", str(lk, "term"), word(lk, "scale"));
        sep = ", ";
    }
    if (json_object_get(c, "analytic_confidence")) {
        sb_printf(s, "%sanalytic confidence %s", sep, word(c, "analytic_confidence"));
        sep = ", ";
    }
    /* A bare number (no words) starts the phrase: no leading comma. */
    if (stix != NULL)
        sb_printf(s, "%sSTIX %lld", sep, (long long)json_integer_value(stix));
    else
        sb_printf(s, "%sno STIX value", sep);
}

static void
named(sb *s, const json_t *o, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "%s_name", key);
    if (*str(o, k))
        sb_printf(s, "%s (%s)", str(o, key), str(o, k));
    else
        sb_printf(s, "%s", str(o, key));
}

/* A claim's own words, quoted (escaped with the rest of the view). */
static void
statement(sb *s, const json_t *x, const char *indent)
{
    if (*str(x, "statement"))
        sb_printf(s, "%sstatement: \"%s\"\n", indent, str(x, "statement"));
}

static void
opinions(sb *s, const json_t *arr, const char *indent)
{
    size_t n;
    const json_t **v = in_time_order(s, arr, &n);

    for (size_t i = 0; i < n; i++) {
        const json_t *op = v[i];

        sb_printf(s, "%s", indent);
        stamp(s, op);
        sb_printf(s, "%s %s (%s)%s: ", str(op, "author"), word(op, "kind"), word(op, "stance"),
                  json_is_true(json_object_get(op, "is_accused_party")) ? " [accused party]" : "");
        status_line(s, op);
        sb_printf(s, "\n");
        if (*str(op, "explanation"))
            sb_printf(s, "%s     %s\n", indent, str(op, "explanation"));
    }
    lg_free(v);
}

static void
finding(sb *s, const json_t *f, const char *indent)
{
    const json_t *t = json_object_get(f, "tally"), *c, **votes;
    size_t i, n;

    sb_printf(s, "%s", indent);
    stamp(s, f);
    sb_printf(s, "%s %s: %s; ", str(f, "record_id"), str(f, "case_number"), word(f, "outcome"));
    status_line(s, f);
    sb_printf(s, "; ");
    published(s, f);
    sb_printf(s, "\n%s      %s\n", indent, str(f, "title"));
    sb_printf(s,
              "%s      votes: %lld approve, %lld reject, %lld abstain, %lld recuse; "
              "rule %lld of %lld (%s), counted panel %lld, approvals needed %lld\n",
              indent, num(t, "approve"), num(t, "reject"), num(t, "abstain"), num(t, "recuse"),
              num(t, "approvals_required"), num(t, "panel_size"),
              lg_label_of("RECUSAL_POLICY_", str(t, "recusal_policy")), num(t, "counted_panel"),
              num(t, "approvals_needed"));
    json_array_foreach(json_object_get(f, "conclusions"), i, c)
    {
        sb_printf(s, "%s      conclusion: %s, %s, ", indent, str(c, "attributed_to"),
                  word(c, "level"));
        confidence(s, json_object_get(c, "confidence"));
        sb_printf(s, "\n");
    }
    json_array_foreach(json_object_get(f, "norm_conclusions"), i, c) sb_printf(
        s, "%s      norm conclusion: %s %s\n", indent, str(c, "norm_ref"), word(c, "verdict"));
    json_array_foreach(json_object_get(f, "dissent"), i, c)
        sb_printf(s, "%s      dissent (%s): %s\n", indent, str(c, "panelist"), str(c, "summary"));
    votes = in_time_order(s, json_object_get(f, "votes"), &n);
    for (i = 0; i < n; i++) {
        sb_printf(s, "%s      ", indent);
        stamp(s, votes[i]);
        sb_printf(s, "%s %s\n", str(votes[i], "author"), word(votes[i], "vote"));
        if (*str(votes[i], "statement"))
            sb_printf(s, "%s           %s\n", indent, str(votes[i], "statement"));
    }
    lg_free(votes);
}

/* Other members' reports under the same key: theirs, not the text above. */
static void
reports_text(sb *s, const json_t *v, const char *what)
{
    const json_t *x;
    size_t i;

    if (json_array_size(json_object_get(v, "reports")) == 0)
        return;
    sb_printf(s, "\nREPORTS BY OTHER MEMBERS (their own words about this %s)\n", what);
    json_array_foreach(json_object_get(v, "reports"), i, x)
    {
        sb_printf(s, "  ");
        stamp(s, x);
        sb_printf(s, "%s by %s: %s; ", str(x, "record_id"), str(x, "author"), str(x, "name"));
        status_line(s, x);
        sb_printf(s, "\n");
    }
}

/* The key's owner and the body's curations of it (newest last). */
static void
curations_text(sb *s, const json_t *v)
{
    const json_t *x;
    size_t i;

    if (json_array_size(json_object_get(v, "curations")) == 0)
        return;
    sb_printf(s, "\nCURATIONS BY THE BODY (owner now: %s)\n", str(v, "owner"));
    json_array_foreach(json_object_get(v, "curations"), i, x)
    {
        sb_printf(s, "  [%lld] %s by %s:", num(x, "index"), str(x, "record_id"), str(x, "author"));
        if (*str(x, "new_owner"))
            sb_printf(s, " owner -> %s;", str(x, "new_owner"));
        if (json_object_get(x, "name") != NULL)
            sb_printf(s, " name -> \"%s\";", str(x, "name"));
        if (json_object_get(x, "description") != NULL)
            sb_printf(s, " description replaced;");
        sb_printf(s, " reason: %s\n", str(x, "reason"));
    }
}

static void
claim_text(sb *s, const json_t *x)
{
    const json_t *y;
    size_t j;

    sb_printf(s, "  ");
    stamp(s, x);
    sb_printf(s, "%s: ", str(x, "record_id"));
    status_line(s, x);
    sb_printf(s, "\n      %s says: ", str(x, "claimant"));
    named(s, x, "attributed_to");
    if (*str(x, "state_nexus")) {
        sb_printf(s, ", state ");
        named(s, x, "state_nexus");
    }
    sb_printf(s, "\n");
    statement(s, x, "      ");
    sb_printf(s, "      ");
    if (*str(x, "assertion_type"))
        sb_printf(s, "%s, ", word(x, "assertion_type"));
    if (*str(x, "level"))
        sb_printf(s, "%s, ", word(x, "level"));
    sb_printf(s, "%s", *str(x, "provenance") ? word(x, "provenance") : "provenance unspecified");
    if (strcmp(str(x, "provenance"), "PROVENANCE_TRANSCRIBED") == 0)
        sb_printf(s, " by %s", str(x, "author"));
    sb_printf(s, "\n      confidence: ");
    confidence(s, json_object_get(x, "confidence"));
    sb_printf(s, "\n      channel: %s; evidence disclosure: %s\n",
              *str(x, "channel") ? word(x, "channel") : "unspecified",
              *str(x, "evidence_disclosure") ? word(x, "evidence_disclosure") : "unspecified");
    json_array_foreach(json_object_get(x, "norms_breached"), j, y)
        sb_printf(s, "      norm breached: %s (%s)\n", str(y, "norm_ref"), word(y, "link"));
    opinions(s, json_object_get(x, "opinions"), "      ");
}

static void
incident_text(sb *s, const json_t *v)
{
    const json_t *inc = json_object_get(v, "incident"), *x, **items;
    size_t i, n;

    sb_printf(s, "INCIDENT %s: %s\n", str(v, "record_id"), str(inc, "name"));
    sb_printf(s, "  determination: %s; investigation: %s; latest report at entry %lld\n",
              *str(inc, "determination") ? word(inc, "determination") : "unspecified",
              *str(inc, "investigation_status") ? word(inc, "investigation_status") : "unspecified",
              num(v, "latest_index"));
    if (*str(inc, "description"))
        sb_printf(s, "  %s\n", str(inc, "description"));
    sb_printf(s, "\nREPORT VERSIONS\n");
    json_array_foreach(json_object_get(v, "versions"), i, x)
    {
        sb_printf(s, "  ");
        stamp(s, x);
        sb_printf(s, "%s by %s: ", str(x, "record_id"), str(x, "author"));
        status_line(s, x);
        sb_printf(s, "\n");
    }
    curations_text(s, v);
    reports_text(s, v, "incident");
    if (json_array_size(json_object_get(v, "evidence")) > 0) {
        sb_printf(s, "\nEVIDENCE\n");
        items = in_time_order(s, json_object_get(v, "evidence"), &n);
        for (i = 0; i < n; i++) {
            sb_printf(s, "  ");
            stamp(s, items[i]);
            sb_printf(s, "%s (%s, %s): %s\n", str(items[i], "record_id"), str(items[i], "author"),
                      word(items[i], "evidence_type"), str(items[i], "title"));
        }
        lg_free(items);
    }
    sb_printf(s, "\nATTRIBUTION CLAIMS (%zu), in time order\n",
              json_array_size(json_object_get(v, "claims")));
    items = in_time_order(s, json_object_get(v, "claims"), &n);
    for (i = 0; i < n; i++)
        claim_text(s, items[i]);
    lg_free(items);
    if (json_array_size(json_object_get(v, "opinions")) > 0) {
        sb_printf(s, "\nOPINIONS ON THE INCIDENT\n");
        opinions(s, json_object_get(v, "opinions"), "  ");
    }
    sb_printf(s, "\nFINDINGS (%zu)\n", json_array_size(json_object_get(v, "findings")));
    items = in_time_order(s, json_object_get(v, "findings"), &n);
    for (i = 0; i < n; i++)
        finding(s, items[i], "  ");
    lg_free(items);
    if (n == 0)
        sb_printf(s, "  none: the body has not ruled on this incident\n");
}

/* One claim or finding of the actor view. */
static void
attribution_text(sb *s, const json_t *x)
{
    const json_t *y;
    size_t j;
    int claim = strcmp(str(x, "type"), "attribution_claim") == 0;

    sb_printf(s, "  ");
    stamp(s, x);
    sb_printf(s, "%s %s by %s: ", claim ? "claim" : "finding", str(x, "record_id"),
              claim ? str(x, "claimant") : str(x, "author"));
    status_line(s, x);
    if (!claim) {
        sb_printf(s, "; ");
        published(s, x);
    }
    if (*str(x, "related_actor")) {
        sb_printf(s, "\n      against related actor ");
        named(s, x, "related_actor");
    }
    sb_printf(s, "\n      incidents:");
    json_array_foreach(json_object_get(x, "incidents"), j, y)
    {
        sb_printf(s, "%s ", j ? "," : "");
        named(s, y, "record_id");
    }
    sb_printf(s, "\n");
    statement(s, x, "      ");
    if (json_object_get(x, "confidence")) {
        sb_printf(s, "      %s, %s, confidence ",
                  strcmp(str(x, "as"), "state_nexus") == 0 ? "named as the state responsible"
                                                           : "named as responsible",
                  word(x, "level"));
        confidence(s, json_object_get(x, "confidence"));
        sb_printf(s, "\n");
    }
    json_array_foreach(json_object_get(x, "conclusions"), j, y)
    {
        sb_printf(s, "      conclusion: %s, %s, ", str(y, "attributed_to"), word(y, "level"));
        confidence(s, json_object_get(y, "confidence"));
        sb_printf(s, "\n");
    }
}

static void
actor_text(sb *s, const json_t *v)
{
    const json_t *a = json_object_get(v, "actor"), *x, **items;
    size_t i, n;

    sb_printf(s, "ACTOR %s: %s (%s)\n", str(v, "record_id"), str(a, "name"), word(a, "actor_kind"));
    if (json_array_size(json_object_get(a, "aliases")) > 0) {
        sb_printf(s, "  aliases:");
        json_array_foreach(json_object_get(a, "aliases"), i, x)
            sb_printf(s, "%s %s", i ? "," : "", json_string_value(x));
        sb_printf(s, "\n");
    }
    if (json_array_size(json_object_get(a, "related_actors")) > 0) {
        sb_printf(s, "  related:");
        json_array_foreach(json_object_get(a, "related_actors"), i, x)
            sb_printf(s, "%s %s", i ? "," : "", json_string_value(x));
        sb_printf(s, "\n");
    }
    sb_printf(s, "  chain:");
    json_array_foreach(json_object_get(v, "chain"), i, x)
        sb_printf(s, "%s %s (%s)", i ? " ->" : "", str(x, "name"), word(x, "actor_kind"));
    sb_printf(s, "\n");
    curations_text(s, v);
    reports_text(s, v, "actor");
    sb_printf(s, "\nATTRIBUTIONS (%zu), in time order\n",
              json_array_size(json_object_get(v, "attributions")));
    items = in_time_order(s, json_object_get(v, "attributions"), &n);
    for (i = 0; i < n; i++)
        attribution_text(s, items[i]);
    lg_free(items);
    if (json_array_size(json_object_get(v, "related_claims")) > 0) {
        sb_printf(s, "\nCLAIMS AGAINST RELATED ACTORS (%zu), in time order\n",
                  json_array_size(json_object_get(v, "related_claims")));
        items = in_time_order(s, json_object_get(v, "related_claims"), &n);
        for (i = 0; i < n; i++)
            attribution_text(s, items[i]);
        lg_free(items);
    }
}

static void
participant_text(sb *s, const json_t *v)
{
    const json_t *p = json_object_get(v, "participant"), *x, **items;
    size_t i, n;

    sb_printf(s, "PARTICIPANT %s: %s\n", str(p, "participant_id"), str(p, "name"));
    sb_printf(s, "  %s, country %s, registered version at entry %lld\n",
              *str(p, "participant_kind") ? word(p, "participant_kind") : "kind unspecified",
              *str(p, "country") ? str(p, "country") : "-", num(v, "latest_index"));
    sb_printf(s, "  roles:");
    json_array_foreach(json_object_get(v, "roles"), i, x)
        sb_printf(s, "%s %s", i ? "," : "", lg_label_of("PARTICIPANT_ROLE_", json_string_value(x)));
    sb_printf(s, "\n\nKEYS\n");
    json_array_foreach(json_object_get(v, "keys"), i, x)
    {
        sb_printf(s, "  %s  added at entry %lld, %s", str(x, "key_id"), num(x, "added_at"),
                  strcmp(str(x, "status"), "REVOKED") == 0 ? "revoked" : "active");
        if (json_object_get(x, "revoked_at"))
            sb_printf(s, " at entry %lld", num(x, "revoked_at"));
        sb_printf(s, "\n");
    }
    sb_printf(s, "\nRECORDS (%zu), in time order\n",
              json_array_size(json_object_get(v, "records")));
    items = in_time_order(s, json_object_get(v, "records"), &n);
    for (i = 0; i < n; i++) {
        char type[64], *u;

        snprintf(type, sizeof type, "%s", str(items[i], "type"));
        for (u = type; (u = strchr(u, '_')) != NULL;)
            *u = ' ';
        sb_printf(s, "  ");
        stamp(s, items[i]);
        sb_printf(s, "%s %s: ", type, str(items[i], "record_id"));
        status_line(s, items[i]);
        if (strcmp(str(items[i], "type"), "finding") == 0) {
            sb_printf(s, "; ");
            published(s, items[i]);
        }
        sb_printf(s, "\n");
    }
    lg_free(items);
}

static void
stats_text(sb *s, const json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;

    sb_printf(s, "entries                   %lld\n", num(v, "entries"));
    json_object_foreach((json_t *)json_object_get(v, "records_by_type"), key, x)
        sb_printf(s, "  %-23s %lld\n", key, (long long)json_integer_value(x));
    sb_printf(s, "superseded records        %lld\n", num(v, "superseded"));
    sb_printf(s, "retracted records         %lld\n", num(v, "retracted"));
    sb_printf(s, "incidents                 %lld (%lld with a finding, %lld without)\n",
              num(v, "incidents"), num(v, "incidents_with_finding"),
              num(v, "incidents_without_finding"));
    if (json_array_size(json_object_get(v, "incidents_without_a_finding")) > 0)
        sb_printf(s, "  without a finding:\n");
    json_array_foreach(json_object_get(v, "incidents_without_a_finding"), i, x)
        sb_printf(s, "    %s: %s\n", str(x, "record_id"), str(x, "name"));
    sb_printf(s, "claims                    %lld (%lld contested: disputed or denied)\n",
              num(v, "claims"), num(v, "claims_contested"));
    if (json_array_size(json_object_get(v, "contested_claims")) > 0)
        sb_printf(s, "  contested:\n");
    json_array_foreach(json_object_get(v, "contested_claims"), i, x)
        sb_printf(s, "    %s by %s\n", str(x, "record_id"), str(x, "claimant"));
    sb_printf(s, "findings                  %lld (%lld published)\n", num(v, "findings"),
              num(v, "findings_published"));
    if (json_array_size(json_object_get(v, "damaged_entries")) > 0) {
        sb_printf(s, "damaged entries          ");
        json_array_foreach(json_object_get(v, "damaged_entries"), i, x)
            sb_printf(s, " %lld", (long long)json_integer_value(x));
        sb_printf(s, " (not read: left out of the counts of incidents, contested claims and"
                     " published findings; run verify)\n");
    }
}

/* The escaped form of string x (a new reference), or NULL when x needs no
 * escaping; *rc = LEDGER_ENOMEM when out of memory. */
static json_t *
escaped(const json_t *x, int *rc)
{
    char *e;
    json_t *v;

    if (!json_is_string(x) || !lg_text_needs_escape(json_string_value(x)))
        return NULL;
    e = lg_text_escape(json_string_value(x));
    v = e ? json_string(e) : NULL;
    lg_free(e);
    if (v == NULL)
        *rc = lg_error_nomem();
    return v;
}

/* Replace every string value in v (in place) by its escaped form. The
 * depth is the view's own, bounded by the schema; 64 is far beyond it. */
static int
escape_strings(json_t *v, int depth)
{
    const char *key;
    json_t *x, *e;
    size_t i;
    int rc = 0;

    if (depth > 64)
        return lg_error_set(LEDGER_EINVAL, "view nested too deeply");
    if (json_is_object(v)) {
        json_object_foreach(v, key, x)
        {
            if ((e = escaped(x, &rc)) != NULL) {
                if (json_object_set_new(v, key, e) != 0)
                    return lg_error_nomem();
            } else if (rc < 0 || (rc = escape_strings(x, depth + 1)) < 0) {
                return rc;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if ((e = escaped(x, &rc)) != NULL) {
                if (json_array_set_new(v, i, e) != 0)
                    return lg_error_nomem();
            } else if (rc < 0 || (rc = escape_strings(x, depth + 1)) < 0) {
                return rc;
            }
        }
    }
    return 0;
}

int
lg_view_text(ledger_buf *out, const json_t *original, lg_view_kind kind)
{
    sb s = {NULL, 0, 0, 0};
    json_t *view;
    int rc;

    if (kind == LG_VIEW_NORMS || kind == LG_VIEW_NORM || kind == LG_VIEW_STATE)
        return lg_view_norms_text(out, original, kind);
    if ((view = json_deep_copy(original)) == NULL)
        return lg_error_nomem();
    if ((rc = escape_strings(view, 0)) < 0) {
        json_decref(view);
        return rc;
    }

    switch (kind) {
    case LG_VIEW_INCIDENT:
        incident_text(&s, view);
        break;
    case LG_VIEW_ACTOR:
        actor_text(&s, view);
        break;
    case LG_VIEW_PARTICIPANT:
        participant_text(&s, view);
        break;
    case LG_VIEW_STATS:
        stats_text(&s, view);
        break;
    case LG_VIEW_NORMS:
    case LG_VIEW_NORM:
    case LG_VIEW_STATE:
        break; /* view_norms_text.c */
    }
    json_decref(view);
    if (s.oom || s.buf == NULL) {
        lg_free(s.buf);
        return lg_error_nomem();
    }
    out->data = (uint8_t *)s.buf;
    out->len = s.len;
    return 0;
}
