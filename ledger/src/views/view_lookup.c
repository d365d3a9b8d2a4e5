/*
 * view_lookup.c - finding a case file's subject by what a reader calls it
 * (views_int.h): an actor by its name, alias or actor_id, an incident by
 * its name or alias, a participant by its name, and "did you mean"
 * suggestions when nothing matches.
 *
 * A name is not a key: any member may register an incident called
 * "WannaCry" or an actor "Lazarus Group". Every match is mapped to its
 * owning record (view_keys.c) and the first version of its chain; matches
 * that belong to two different subjects make the lookup ambiguous, and it
 * fails naming both, so no member's record can stand in for another's.
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
#include <strings.h>

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

/* ---- one search by name, for actors, incidents and participants ---- */

typedef struct {
    vctx *c;
    const char *name;
    lg_record_type type; /* of the records searched (participants: their rows) */
    char found[LEDGER_ID_MAX + 1], author[LEDGER_ID_MAX + 1];
    char other[LEDGER_ID_MAX + 1], other_author[LEDGER_ID_MAX + 1];
    lg_view_suggest sug;
} name_search;

/* A match of subject `id` (first written by `author`). Returns 1 to stop
 * the scan once a second subject matches: the answer is then ambiguous. */
static int
matched(name_search *s, const char *id, const char *author)
{
    if (*s->found == '\0') {
        snprintf(s->found, sizeof s->found, "%s", id);
        snprintf(s->author, sizeof s->author, "%s", author);
    } else if (strcmp(s->found, id) != 0) {
        snprintf(s->other, sizeof s->other, "%s", id);
        snprintf(s->other_author, sizeof s->other_author, "%s", author);
        return 1;
    }
    return 0;
}

/* Does any of the names of record body b (its name shown as `shown`)
 * match, and rank them all. */
static int
names_match(name_search *s, const json_t *b, const char *shown)
{
    json_t *al;
    size_t i;
    int hit = lg_view_name_matches(shown, s->name);

    lg_view_suggest_add(&s->sug, s->name, shown);
    json_array_foreach(json_object_get(b, "aliases"), i, al)
    {
        const char *a = json_string_value(al) ? json_string_value(al) : "";
        hit |= lg_view_name_matches(a, s->name);
        lg_view_suggest_add(&s->sug, s->name, a);
    }
    return hit;
}

/* The name a latest version (record `rid`, entry `index`, body b) is
 * shown by: the body's curated name of its key when the key is curated and
 * this version is of the key's own chain and older than the curation (not
 * the name the curation replaced); else its own name. */
static int
shown_name(vctx *c, const json_t *b, const char *rid, uint64_t index, char *out, size_t cap)
{
    const char *key = *lg_view_jstr(b, "actor_id") ? lg_view_jstr(b, "actor_id")
                                                   : lg_view_jstr(b, "incident_key");
    char root[LEDGER_ID_MAX + 1];
    lg_record_row kr, o;
    int rc;

    snprintf(out, cap, "%s", lg_view_jstr(b, "name"));
    if (*key == '\0' || lg_view_row(c, key, &kr) != 0 || kr.curated_by == 0)
        return 0;
    if ((rc = lg_view_chain_root(c, rid, &o, root, sizeof root)) < 0)
        return rc;
    if (strcmp(root, key) != 0)
        return 0;
    rc = lg_view_curated_name(c, key, index, out, cap);
    return rc < 0 ? rc : 0;
}

/*
 * Latest versions of records of s->type (an actor also by its actor_id).
 * Every match is mapped to its owning record (view_keys.c) and the first
 * version of that chain, so two members' records that share a name are two
 * subjects, not one.
 */
static int
find_record(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    name_search *s = p;
    lg_record_row r, o;
    char owner[LEDGER_ID_MAX + 1], shown[1024];
    ventry e;
    int rc, hit;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.type != s->type || r.superseded_by != 0)
        return 0;
    if ((rc = lg_view_load(s->c, r.index, &e)) < 0)
        return rc;
    snprintf(owner, sizeof owner, "%.*s", (int)(kl < LEDGER_ID_MAX ? kl : LEDGER_ID_MAX),
             (const char *)k);
    if ((rc = shown_name(s->c, lg_view_body(&e), owner, r.index, shown, sizeof shown)) < 0) {
        lg_view_entry_free(&e);
        return rc;
    }
    hit = names_match(s, lg_view_body(&e), shown);
    if (s->type == LG_REC_ACTOR)
        hit |= strcasecmp(lg_view_jstr(lg_view_body(&e), "actor_id"), s->name) == 0;
    lg_view_entry_free(&e);
    if (s->type == LG_REC_INCIDENT_REPORT)
        lg_view_suggest_add(&s->sug, s->name, owner);
    if (!hit)
        return 0;
    if ((rc = lg_view_key_owner(s->c, s->type, owner, sizeof owner)) < 0 ||
        (rc = lg_view_chain_root(s->c, owner, &o, owner, sizeof owner)) < 0)
        return rc;
    return matched(s, owner, o.author);
}

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
    name_search *s = p;
    lg_participant_row pr;
    char id[LEDGER_ID_MAX + 1], author[LEDGER_ID_MAX + 1];
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
    snprintf(author, sizeof author, "%s",
             lg_view_jstr(json_object_get(e.json, "header"), "author"));
    lg_view_entry_free(&e);
    lg_view_suggest_add(&s->sug, s->name, id);
    return hit ? matched(s, id, author) : 0;
}

int
lg_view_find_named(vctx *c, lg_record_type type, const char *name, char *out, size_t cap)
{
    static const struct {
        lg_record_type type;
        const char *miss, *what, *key;
    } says[] = {
        {LG_REC_ACTOR, "no actor named", "actor", "record_id"},
        {LG_REC_INCIDENT_REPORT, "no incident", "incident", "record_id"},
        {LG_REC_PARTICIPANT, "no participant", "participant", "id"},
    };
    name_search s;
    size_t w = 0;
    int rc;

    while (w + 1 < sizeof says / sizeof says[0] && says[w].type != type)
        w++;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.name = name;
    s.type = type;
    rc = type == LG_REC_PARTICIPANT
             ? lg_store_scan(c->t, LG_DB_PARTICIPANTS, NULL, 0, 0, find_participant, &s)
             : lg_store_scan(c->t, LG_DB_RECORDS, NULL, 0, 0, find_record, &s);
    if (rc < 0)
        return rc;
    if (*s.found == '\0')
        return lg_error_set(LEDGER_ENOTFOUND, "%s %.100s%s", says[w].miss, name,
                            lg_view_suggest_text(&s.sug));
    if (*s.other != '\0')
        return lg_error_set(LEDGER_ENOTFOUND,
                            "%.100s is ambiguous: it names %s (by %s) and %s (by %s); name the "
                            "%s by its %s",
                            name, s.found, s.author, s.other, s.other_author, says[w].what,
                            says[w].key);
    snprintf(out, cap, "%s", s.found);
    return 0;
}
