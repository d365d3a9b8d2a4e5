/*
 * view_lookup.c - finding a case file's subject by what a reader calls it
 * (views_int.h): an incident by its name or alias, a participant by its
 * name, and for all three views (with the actor's search in view_actor.c)
 * "did you mean" suggestions when nothing matches.
 *
 * A name is not a key: any member may register an incident called
 * "WannaCry". Every match is mapped to its owning record (view_keys.c) and
 * the first version of its chain; matches that belong to two different
 * subjects make the lookup ambiguous, and it fails naming both, so no
 * member's record can stand in for another's.
 *
 * Suggestions rank the known names (and ids) against what was asked, case
 * folded: a name that contains the query (or, four bytes or more, that
 * the query contains) first, then by edit distance, of the whole name or
 * (for queries of 5 bytes or more) of its start as long as the query,
 * plus one, up to a third of the query's length (at least 2). At most
 * three, best first; names longer than 64 bytes are compared on their
 * first 64.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "codec/codec.h"
#include "codec/record.h"
#include "core/ledger_int.h"
#include "store/store.h"
#include "views/views_int.h"

#define CMP_MAX 64

static int
ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int
lg_view_name_matches(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (ieq(hay, needle))
        return 1;
    if (n == 0 || strlen(hay) <= n || hay[n] != ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
            return 0;
    return 1;
}

/* Does hay contain needle, case folded? */
static int
icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return 0;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Levenshtein distance of the first CMP_MAX bytes, case folded. */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strnlen(a, CMP_MAX), lb = strnlen(b, CMP_MAX);
    size_t prev[CMP_MAX + 1], cur[CMP_MAX + 1];

    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] +
                         (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

void
lg_view_suggest_add(lg_view_suggest *s, const char *query, const char *name)
{
    size_t ql = strnlen(query, CMP_MAX), limit = ql / 3 > 2 ? ql / 3 : 2, score;

    if (name == NULL || *name == '\0')
        return;
    if (icontains(name, query) || (strlen(name) >= 4 && icontains(query, name))) {
        score = 0;
    } else {
        /* The whole name, or its start as long as the query (a
         * misspelt first word: "wanacry" for "WannaCry ransomware"). */
        char head[CMP_MAX + 2];
        score = distance(query, name);
        for (size_t n = ql - 1; ql >= 5 && n <= ql + 1 && n < strlen(name); n++) {
            size_t d;
            snprintf(head, sizeof head, "%.*s", (int)n, name);
            if ((d = distance(query, head) + 1) < score)
                score = d;
        }
        if (score > limit)
            return;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0)
            return;
    /* Insert in order of score; equal scores keep the order they came in. */
    size_t at = s->n;
    while (at > 0 && s->score[at - 1] > score)
        at--;
    if (at >= LG_SUGGEST_MAX)
        return;
    for (size_t i = (s->n < LG_SUGGEST_MAX ? s->n : LG_SUGGEST_MAX - 1); i > at; i--) {
        memcpy(s->name[i], s->name[i - 1], sizeof s->name[i]);
        s->score[i] = s->score[i - 1];
    }
    snprintf(s->name[at], sizeof s->name[at], "%s", name);
    s->score[at] = score;
    if (s->n < LG_SUGGEST_MAX)
        s->n++;
}

const char *
lg_view_suggest_text(lg_view_suggest *s)
{
    size_t off = 0;

    s->text[0] = '\0';
    for (size_t i = 0; i < s->n; i++)
        off += (size_t)snprintf(s->text + off, off < sizeof s->text ? sizeof s->text - off : 0,
                                "%s%s", i ? ", " : "; did you mean: ", s->name[i]);
    if (s->n > 0 && off < sizeof s->text)
        snprintf(s->text + off, sizeof s->text - off, "?");
    return s->text;
}

/* ---- incidents by name ---- */

typedef struct {
    vctx *c;
    const char *name;
    char found[LEDGER_ID_MAX + 1], author[LEDGER_ID_MAX + 1];
    char other[LEDGER_ID_MAX + 1], other_author[LEDGER_ID_MAX + 1];
    lg_view_suggest sug;
} inc_search;

static int
find_incident(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    inc_search *s = p;
    lg_record_row r, o;
    char owner[LEDGER_ID_MAX + 1];
    ventry e;
    json_t *b, *al;
    size_t i;
    int rc, hit;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != LG_REC_INCIDENT_REPORT || r.superseded_by != 0)
        return 0;
    if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
        return rc;
    b = lg_view_body(&e);
    hit = lg_view_name_matches(lg_view_jstr(b, "name"), s->name);
    lg_view_suggest_add(&s->sug, s->name, lg_view_jstr(b, "name"));
    json_array_foreach(json_object_get(b, "aliases"), i, al)
    {
        const char *a = json_string_value(al) ? json_string_value(al) : "";
        hit |= lg_view_name_matches(a, s->name);
        lg_view_suggest_add(&s->sug, s->name, a);
    }
    lg_view_entry_free(&e);
    snprintf(owner, sizeof owner, "%.*s", (int)(kl < LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
             (const char *)k);
    lg_view_suggest_add(&s->sug, s->name, owner);
    if (!hit)
        return 0;
    if ((rc = lg_view_key_owner(s->c, LG_REC_INCIDENT_REPORT, owner, sizeof owner)) < 0 ||
        (rc = lg_view_chain_root(s->c, owner, &o, owner, sizeof owner)) < 0)
        return rc;
    if (*s->found == '\0') {
        snprintf(s->found, sizeof s->found, "%s", owner);
        snprintf(s->author, sizeof s->author, "%s", o.author);
    } else if (strcmp(s->found, owner) != 0 && *s->other == '\0') {
        snprintf(s->other, sizeof s->other, "%s", owner);
        snprintf(s->other_author, sizeof s->other_author, "%s", o.author);
    }
    return 0;
}

int
lg_view_find_incident(vctx *c, const char *name, char *out, size_t cap)
{
    inc_search s;
    int rc;

    memset(&s, 0, sizeof s);
    s.c = c;
    s.name = name;
    if ((rc = lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, find_incident, &s)) < 0)
        return rc;
    if (*s.found == '\0')
        return lg_error_set(LEDGER_ENOTFOUND, "no incident %.100s%s", name,
                            lg_view_suggest_text(&s.sug));
    if (*s.other != '\0')
        return lg_error_set(LEDGER_ENOTFOUND,
                            "%.100s is ambiguous: it names %s (by %s) and %s (by %s); name the "
                            "incident by its record_id",
                            name, s.found, s.author, s.other, s.other_author);
    snprintf(out, cap, "%s", s.found);
    return 0;
}

/* ---- participants by name ---- */

typedef struct {
    vctx *c;
    const char *name;
    char found[LEDGER_ID_MAX + 1], other[LEDGER_ID_MAX + 1];
    lg_view_suggest sug;
} part_search;

/* The name a participant's latest entry gives it (a genesis admin's is in
 * the policy's admins). */
static const char *
participant_name(const ventry *e, const char *id)
{
    json_t *b = lg_view_body(e), *a;
    size_t i;

    if (e->type != LG_REC_LEDGER_POLICY)
        return lg_view_jstr(b, "name");
    json_array_foreach(json_object_get(b, "admins"), i, a)
    {
        if (strcmp(lg_view_jstr(a, "participant_id"), id) == 0)
            return lg_view_jstr(a, "name");
    }
    return "";
}

static int
find_participant(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    part_search *s = p;
    lg_participant_row pr;
    char id[LEDGER_ID_MAX + 1];
    ventry e;
    int rc, hit;

    if ((rc = lg_participant_row_decode(&pr, v, vl)) < 0)
        return rc;
    snprintf(id, sizeof id, "%.*s", (int)(kl < LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
             (const char *)k);
    if ((rc = lg_view_load(s->c, pr.latest_index, &e)) < 0)
        return rc;
    hit = lg_view_name_matches(participant_name(&e, id), s->name);
    lg_view_suggest_add(&s->sug, s->name, participant_name(&e, id));
    lg_view_entry_free(&e);
    lg_view_suggest_add(&s->sug, s->name, id);
    if (!hit)
        return 0;
    if (*s->found == '\0')
        snprintf(s->found, sizeof s->found, "%s", id);
    else if (*s->other == '\0')
        snprintf(s->other, sizeof s->other, "%s", id);
    return 0;
}

int
lg_view_find_participant(vctx *c, const char *name, char *out, size_t cap)
{
    part_search s;
    int rc;

    memset(&s, 0, sizeof s);
    s.c = c;
    s.name = name;
    if ((rc = lg_store_scan(c->t, LG_DB_PARTICIPANTS, NULL, 0, 0, find_participant, &s)) < 0)
        return rc;
    if (*s.found == '\0')
        return lg_error_set(LEDGER_ENOTFOUND, "no participant %.100s%s", name,
                            lg_view_suggest_text(&s.sug));
    if (*s.other != '\0')
        return lg_error_set(LEDGER_ENOTFOUND,
                            "%.100s is ambiguous: it names %s and %s; name the participant by "
                            "its id",
                            name, s.found, s.other);
    snprintf(out, cap, "%s", s.found);
    return 0;
}
