/*
 * tally.c - finding items and their publication tally (DESIGN.md section 4).
 *
 * Votes are counted per finding version, in entry order; a panelist's later
 * vote replaces its earlier one; RECUSE removes the panelist from n when the
 * rule says REDUCES_PANEL, and the approvals needed shrink in proportion:
 * need = ceil(k * n' / n). The approvers must also meet the rule's group
 * constraints (distinct regions and sectors of their panel profiles). The
 * finding is published from the first vote that meets the rule, and only a
 * retraction unpublishes it.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "codec/codec.h"
#include "base/error.h"
#include "core/ledger_int.h"
#include "rules/policy.h"
#include "codec/record.h"
#include "views/views_int.h"

typedef struct {
    char panelist[LEDGER_ID_MAX + 1];
    int vote; /* Vote value */
    char region[40], sector[40];
} seat;

static int
vote_value(const char *name)
{
    static const char *const names[] = {"VOTE_UNSPECIFIED", "VOTE_APPROVE", "VOTE_REJECT",
                                        "VOTE_ABSTAIN", "VOTE_RECUSE"};
    for (int i = 0; i < 5; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return 0;
}

static int
profile_of(vctx *c, seat *s)
{
    lg_participant_row pr;
    ventry e;
    int rc;

    rc = lg_row_participant(c->t, s->panelist, &pr);
    if (rc == LEDGER_ENOTFOUND)
        return 0;
    if (rc < 0 || (rc = lg_view_load(c, pr.latest_index, &e)) < 0)
        return rc;
    json_t *prof = json_object_get(lg_view_body(&e), "panel_profile");
    snprintf(s->region, sizeof s->region, "%s", lg_view_jstr(prof, "region"));
    snprintf(s->sector, sizeof s->sector, "%s", lg_view_jstr(prof, "sector"));
    lg_view_entry_free(&e);
    return 0;
}

static unsigned
distinct(const seat *seats, size_t n, int sectors)
{
    unsigned count = 0;

    for (size_t i = 0; i < n; i++) {
        const char *v = sectors ? seats[i].sector : seats[i].region;
        int seen = 0;
        if (seats[i].vote != 1 || *v == '\0')
            continue;
        for (size_t j = 0; j < i; j++)
            if (seats[j].vote == 1 && strcmp(sectors ? seats[j].sector : seats[j].region, v) == 0)
                seen = 1;
        count += !seen;
    }
    return count;
}

typedef struct {
    unsigned approve, reject, abstain, recuse, n, need;
    int met;
} tally;

static void
count_votes(tally *t, const seat *seats, size_t n, const lg_rule *rule)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        t->approve += seats[i].vote == 1;
        t->reject += seats[i].vote == 2;
        t->abstain += seats[i].vote == 3;
        t->recuse += seats[i].vote == 4;
    }
    t->n = rule->panel_size;
    if (rule->recusal_policy != 2 /* COUNTS_AS_ABSTAIN */)
        t->n = rule->panel_size > t->recuse ? rule->panel_size - t->recuse : 0;
    t->need = rule->panel_size == 0
                  ? 0
                  : (unsigned)(((uint64_t)rule->approvals_required * t->n + rule->panel_size - 1) /
                               rule->panel_size);
    t->met = t->n > 0 && t->need > 0 && t->approve >= t->need &&
             distinct(seats, n, 0) >= rule->min_regions &&
             distinct(seats, n, 1) >= rule->min_sectors;
}

int
lg_view_finding_item(json_t **out, vctx *c, const ventry *e)
{
    json_t *o = NULL, *b = lg_view_body(e), *votes = json_array(), *tj = NULL;
    const char *const *members;
    seat *seats = NULL;
    idx_list refs = {0};
    lg_record_row row;
    lg_rule rule;
    tally t = {0};
    size_t n = 0;
    uint64_t published_at = 0;
    int rc;

    if (votes == NULL)
        return lg_error_nomem();
    rc = lg_view_item_base(&o, c, e);
    *out = o; /* the caller's, also when lg_view_item_base failed part way */
    if (rc < 0)
        goto done;
    if ((rc = lg_record_panel(&members, &n, e->rec)) < 0 ||
        (rc = lg_policy_finding_rule(&rule, &c->st, e->rec, e->index)) < 0 ||
        (rc = lg_view_row(c, lg_view_jstr(json_object_get(e->json, "header"), "record_id"), &row)) <
            0)
        goto done;
    seats = lg_calloc(n ? n : 1, sizeof *seats);
    if (seats == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(seats[i].panelist, sizeof seats[i].panelist, "%s", members[i]);
        if ((rc = profile_of(c, &seats[i])) < 0)
            goto done;
    }
    if ((rc = lg_view_refs_of(c, e->index, &refs)) < 0)
        goto done;
    lg_view_sort_idx(&refs);
    for (size_t i = 0; i < refs.n; i++) {
        ventry v;
        json_t *vo = NULL;
        const char *author;

        if ((rc = lg_view_load(c, refs.v[i], &v)) < 0)
            goto done;
        if (v.type != LG_REC_PANEL_VOTE) {
            lg_view_entry_free(&v);
            continue;
        }
        author = lg_view_jstr(json_object_get(v.json, "header"), "author");
        for (size_t k = 0; k < n; k++)
            if (strcmp(seats[k].panelist, author) == 0)
                seats[k].vote = vote_value(lg_view_jstr(lg_view_body(&v), "vote"));
        count_votes(&t, seats, n, &rule);
        if (t.met && published_at == 0)
            published_at = v.index;
        if ((rc = lg_view_item_base(&vo, c, &v)) == 0 &&
            (rc = lg_view_set_copy(vo, "vote", json_object_get(lg_view_body(&v), "vote"))) == 0)
            rc = lg_view_set_copy(vo, "statement", json_object_get(lg_view_body(&v), "statement"));
        if (vo != NULL && json_array_append_new(votes, vo) != 0 && rc == 0)
            rc = lg_error_nomem();
        lg_view_entry_free(&v);
        if (rc < 0)
            goto done;
    }
    count_votes(&t, seats, n, &rule);
    tj = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s}", "approve", (json_int_t)t.approve, "reject",
        (json_int_t)t.reject, "abstain", (json_int_t)t.abstain, "recuse", (json_int_t)t.recuse,
        "panel_size", (json_int_t)rule.panel_size, "approvals_required",
        (json_int_t)rule.approvals_required, "counted_panel", (json_int_t)t.n, "approvals_needed",
        (json_int_t)t.need, "min_regions", (json_int_t)rule.min_regions, "min_sectors",
        (json_int_t)rule.min_sectors, "recusal_policy",
        rule.recusal_policy == 2 ? "COUNTS_AS_ABSTAIN" : "REDUCES_PANEL");
    if ((rc = lg_view_set(o, "tally", tj)) < 0)
        goto done;
    tj = NULL;
    if ((rc = lg_view_set_copy(o, "case_number", json_object_get(b, "case_number"))) < 0 ||
        (rc = lg_view_set_copy(o, "title", json_object_get(b, "title"))) < 0 ||
        (rc = lg_view_set_copy(o, "outcome", json_object_get(b, "outcome"))) < 0 ||
        (rc = lg_view_set_copy(o, "conclusions", json_object_get(b, "conclusions"))) < 0 ||
        (rc = lg_view_set_copy(o, "norm_conclusions", json_object_get(b, "norm_conclusions"))) <
            0 ||
        (rc = lg_view_set_copy(o, "dissent", json_object_get(b, "dissent"))) < 0 ||
        (rc = lg_view_set_copy(o, "panel_members", json_object_get(b, "panel_members"))) < 0 ||
        (rc = lg_view_set(o, "votes", votes)) < 0)
        goto done;
    votes = NULL;
    /* Published once the votes met the rule; only a retraction undoes it. */
    if ((rc = lg_view_set(o, "published",
                          json_boolean(published_at != 0 && row.retracted_by == 0))) < 0)
        goto done;
    if (published_at != 0)
        rc = lg_json_set_u64(o, "published_at", published_at);
done:
    json_decref(tj);
    json_decref(votes);
    lg_free(seats);
    lg_free(refs.v);
    return rc;
}
