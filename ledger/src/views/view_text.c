/*
 * view_text.c - the text form of the views, for people.
 *
 * Rendered from the same JSON objects that --json prints, so the two never
 * disagree. Every line that states something starts with the entry index
 * in brackets ("[94]"), so it can be proved with `attrledger prove inclusion
 * 94`. Enum values lose their type prefix (ATTRIBUTION_LEVEL_STRATEGIC ->
 * STRATEGIC). The text may change between versions; the JSON is the stable
 * contract.
 *
 * Every string is escaped before it is printed (base/textesc.h): record
 * text is written by members, and a control character or bidirectional
 * override must not drive the reader's terminal or forge a line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/textesc.h"
#include "views/views.h"

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} sb;

static void
sb_printf(sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* Drop an enum's type prefix: the part up to the known prefix. */
static const char *
bare(const char *v, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(v, prefix, n) == 0 ? v + n : v;
}

static void
status_line(sb *s, const json_t *o)
{
    const char *st = str(o, "status");

    sb_printf(s, "%s", st);
    if (json_object_get(o, "superseded_by"))
        sb_printf(s, " (by entry %lld)", num(o, "superseded_by"));
    if (json_object_get(o, "retracted_by"))
        sb_printf(s, " (retracted at entry %lld)", num(o, "retracted_by"));
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
        sb_printf(s, "\"%s\" (%s)", str(lk, "term"),
                  bare(str(lk, "scale"), "LIKELIHOOD_SCALE_"));
        sep = ", ";
    }
    if (json_object_get(c, "analytic_confidence")) {
        sb_printf(s, "%sanalytic confidence %s", sep,
                  bare(str(c, "analytic_confidence"), "ANALYTIC_CONFIDENCE_"));
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

static void
opinions(sb *s, const json_t *arr, const char *indent)
{
    size_t i;
    json_t *op;

    json_array_foreach(arr, i, op)
    {
        sb_printf(s, "%s[%lld] %s %s (%s)%s: ", indent, num(op, "index"), str(op, "author"),
                  bare(str(op, "kind"), "OPINION_KIND_"), bare(str(op, "stance"), "OPINION_"),
                  json_is_true(json_object_get(op, "is_accused_party")) ? " [accused party]"
                                                                         : "");
        status_line(s, op);
        sb_printf(s, "\n");
        if (*str(op, "explanation"))
            sb_printf(s, "%s     %s\n", indent, str(op, "explanation"));
    }
}

static void
finding(sb *s, const json_t *f, const char *indent)
{
    const json_t *t = json_object_get(f, "tally"), *c;
    size_t i;

    sb_printf(s, "%s[%lld] %s %s  %s  ", indent, num(f, "index"), str(f, "record_id"),
              str(f, "case_number"), bare(str(f, "outcome"), "FINDING_OUTCOME_"));
    status_line(s, f);
    sb_printf(s, "\n%s      %s\n", indent, str(f, "title"));
    sb_printf(s,
              "%s      votes: %lld approve, %lld reject, %lld abstain, %lld recuse; "
              "rule %lld of %lld (%s), counted panel %lld, approvals needed %lld\n",
              indent, num(t, "approve"), num(t, "reject"), num(t, "abstain"), num(t, "recuse"),
              num(t, "approvals_required"), num(t, "panel_size"), str(t, "recusal_policy"),
              num(t, "counted_panel"), num(t, "approvals_needed"));
    if (json_is_true(json_object_get(f, "published")))
        sb_printf(s, "%s      PUBLISHED (quorum reached at entry %lld)\n", indent,
                  num(f, "published_at"));
    else if (json_object_get(f, "published_at"))
        sb_printf(s, "%s      NOT PUBLISHED (reached quorum at entry %lld, then retracted)\n",
                  indent, num(f, "published_at"));
    else
        sb_printf(s, "%s      NOT PUBLISHED (quorum not reached)\n", indent);
    json_array_foreach(json_object_get(f, "conclusions"), i, c)
    {
        sb_printf(s, "%s      conclusion: %s, %s, ", indent, str(c, "attributed_to"),
                  bare(str(c, "level"), "ATTRIBUTION_LEVEL_"));
        confidence(s, json_object_get(c, "confidence"));
        sb_printf(s, "\n");
    }
    json_array_foreach(json_object_get(f, "norm_conclusions"), i, c)
        sb_printf(s, "%s      norm conclusion: %s %s\n", indent, str(c, "norm_ref"),
                  bare(str(c, "verdict"), "NORM_VERDICT_"));
    json_array_foreach(json_object_get(f, "dissent"), i, c)
        sb_printf(s, "%s      dissent (%s): %s\n", indent, str(c, "panelist"), str(c, "summary"));
    json_array_foreach(json_object_get(f, "votes"), i, c)
        sb_printf(s, "%s      [%lld] %s %s\n", indent, num(c, "index"), str(c, "author"),
                  bare(str(c, "vote"), "VOTE_"));
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
        sb_printf(s, "  [%lld] %s by %s: %s; ", num(x, "index"), str(x, "record_id"),
                  str(x, "author"), str(x, "name"));
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
incident_text(sb *s, const json_t *v)
{
    const json_t *inc = json_object_get(v, "incident"), *x, *y;
    size_t i, j;

    sb_printf(s, "INCIDENT %s: %s\n", str(v, "record_id"), str(inc, "name"));
    sb_printf(s, "  determination %s, investigation %s, latest report at entry %lld\n",
              bare(str(inc, "determination"), "DETERMINATION_"),
              *str(inc, "investigation_status")
                  ? bare(str(inc, "investigation_status"), "INVESTIGATION_STATUS_")
                  : "unspecified",
              num(v, "latest_index"));
    if (*str(inc, "description"))
        sb_printf(s, "  %s\n", str(inc, "description"));
    sb_printf(s, "\nREPORT VERSIONS\n");
    json_array_foreach(json_object_get(v, "versions"), i, x)
    {
        sb_printf(s, "  [%lld] %s by %s: ", num(x, "index"), str(x, "record_id"), str(x, "author"));
        status_line(s, x);
        sb_printf(s, "\n");
    }
    curations_text(s, v);
    reports_text(s, v, "incident");
    if (json_array_size(json_object_get(v, "evidence")) > 0) {
        sb_printf(s, "\nEVIDENCE\n");
        json_array_foreach(json_object_get(v, "evidence"), i, x)
            sb_printf(s, "  [%lld] %s (%s, %s): %s\n", num(x, "index"), str(x, "record_id"),
                      str(x, "author"), bare(str(x, "evidence_type"), "EVIDENCE_TYPE_"),
                      str(x, "title"));
    }
    sb_printf(s, "\nATTRIBUTION CLAIMS (%zu)\n", json_array_size(json_object_get(v, "claims")));
    json_array_foreach(json_object_get(v, "claims"), i, x)
    {
        sb_printf(s, "  [%lld] %s: ", num(x, "index"), str(x, "record_id"));
        status_line(s, x);
        sb_printf(s, "\n      %s says: ", str(x, "claimant"));
        named(s, x, "attributed_to");
        if (*str(x, "state_nexus")) {
            sb_printf(s, ", state ");
            named(s, x, "state_nexus");
        }
        sb_printf(s, "\n      %s, %s, %s", bare(str(x, "assertion_type"), "ASSERTION_TYPE_"),
                  bare(str(x, "level"), "ATTRIBUTION_LEVEL_"),
                  bare(str(x, "provenance"), "PROVENANCE_"));
        if (strcmp(str(x, "provenance"), "PROVENANCE_TRANSCRIBED") == 0)
            sb_printf(s, " by %s", str(x, "author"));
        sb_printf(s, "\n      confidence: ");
        confidence(s, json_object_get(x, "confidence"));
        sb_printf(s, "\n      channel %s, evidence disclosure %s\n",
                  bare(str(x, "channel"), "CHANNEL_"),
                  *str(x, "evidence_disclosure") ? bare(str(x, "evidence_disclosure"), "DISCLOSURE_")
                                                 : "unspecified");
        json_array_foreach(json_object_get(x, "norms_breached"), j, y)
            sb_printf(s, "      norm breached: %s (%s)\n", str(y, "norm_ref"),
                      bare(str(y, "link"), "NORM_LINK_"));
        opinions(s, json_object_get(x, "opinions"), "      ");
    }
    if (json_array_size(json_object_get(v, "opinions")) > 0) {
        sb_printf(s, "\nOPINIONS ON THE INCIDENT\n");
        opinions(s, json_object_get(v, "opinions"), "  ");
    }
    sb_printf(s, "\nFINDINGS (%zu)\n", json_array_size(json_object_get(v, "findings")));
    json_array_foreach(json_object_get(v, "findings"), i, x) finding(s, x, "  ");
    if (json_array_size(json_object_get(v, "findings")) == 0)
        sb_printf(s, "  none: the body has not ruled on this incident\n");
}

static void
actor_text(sb *s, const json_t *v)
{
    const json_t *a = json_object_get(v, "actor"), *x, *y;
    size_t i, j;

    sb_printf(s, "ACTOR %s: %s (%s)\n", str(v, "record_id"), str(a, "name"),
              bare(str(a, "actor_kind"), "ACTOR_KIND_"));
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
        sb_printf(s, "%s %s (%s)", i ? " ->" : "", str(x, "name"),
                  bare(str(x, "actor_kind"), "ACTOR_KIND_"));
    sb_printf(s, "\n");
    curations_text(s, v);
    reports_text(s, v, "actor");
    sb_printf(s, "\nATTRIBUTIONS (%zu)\n",
              json_array_size(json_object_get(v, "attributions")));
    json_array_foreach(json_object_get(v, "attributions"), i, x)
    {
        sb_printf(s, "  [%lld] %s %s by %s: ", num(x, "index"), str(x, "type"),
                  str(x, "record_id"), strcmp(str(x, "type"), "attribution_claim") == 0
                                           ? str(x, "claimant")
                                           : str(x, "author"));
        status_line(s, x);
        sb_printf(s, "\n      incidents:");
        json_array_foreach(json_object_get(x, "incidents"), j, y)
        {
            sb_printf(s, "%s ", j ? "," : "");
            named(s, y, "record_id");
        }
        if (json_object_get(x, "confidence")) {
            sb_printf(s, "\n      %s, %s, confidence ", str(x, "as"),
                      bare(str(x, "level"), "ATTRIBUTION_LEVEL_"));
            confidence(s, json_object_get(x, "confidence"));
        }
        json_array_foreach(json_object_get(x, "conclusions"), j, y)
        {
            sb_printf(s, "\n      conclusion %s, %s, ", str(y, "attributed_to"),
                      bare(str(y, "level"), "ATTRIBUTION_LEVEL_"));
            confidence(s, json_object_get(y, "confidence"));
        }
        sb_printf(s, "\n");
    }
}

static void
participant_text(sb *s, const json_t *v)
{
    const json_t *p = json_object_get(v, "participant"), *x;
    size_t i;

    sb_printf(s, "PARTICIPANT %s: %s\n", str(p, "participant_id"), str(p, "name"));
    sb_printf(s, "  kind %s, country %s, registered version at entry %lld\n",
              bare(str(p, "participant_kind"), "PARTICIPANT_KIND_"),
              *str(p, "country") ? str(p, "country") : "-", num(v, "latest_index"));
    sb_printf(s, "  roles:");
    json_array_foreach(json_object_get(v, "roles"), i, x)
        sb_printf(s, "%s %s", i ? "," : "", json_string_value(x));
    sb_printf(s, "\n\nKEYS\n");
    json_array_foreach(json_object_get(v, "keys"), i, x)
    {
        sb_printf(s, "  %s  added at entry %lld, %s", str(x, "key_id"), num(x, "added_at"),
                  str(x, "status"));
        if (json_object_get(x, "revoked_at"))
            sb_printf(s, " at entry %lld", num(x, "revoked_at"));
        sb_printf(s, "\n");
    }
    sb_printf(s, "\nRECORDS (%zu)\n", json_array_size(json_object_get(v, "records")));
    json_array_foreach(json_object_get(v, "records"), i, x)
        sb_printf(s, "  [%lld] %-18s %s  %s\n", num(x, "index"), str(x, "type"),
                  str(x, "record_id"), str(x, "status"));
}

static void
stats_text(sb *s, const json_t *v)
{
    const char *key;
    json_t *x;

    sb_printf(s, "entries                   %lld\n", num(v, "entries"));
    json_object_foreach((json_t *)json_object_get(v, "records_by_type"), key, x)
        sb_printf(s, "  %-23s %lld\n", key, (long long)json_integer_value(x));
    sb_printf(s, "superseded records        %lld\n", num(v, "superseded"));
    sb_printf(s, "retracted records         %lld\n", num(v, "retracted"));
    sb_printf(s, "incidents                 %lld (%lld with a finding, %lld without)\n",
              num(v, "incidents"), num(v, "incidents_with_finding"),
              num(v, "incidents_without_finding"));
    sb_printf(s, "claims                    %lld (%lld contested: disputed or denied)\n",
              num(v, "claims"), num(v, "claims_contested"));
    sb_printf(s, "findings                  %lld (%lld published)\n", num(v, "findings"),
              num(v, "findings_published"));
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
