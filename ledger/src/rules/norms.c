/*
 * norms.c - rules of the norms register (see norms.h).
 *
 *   - an instrument has a title and a kind; a norm names its instrument;
 *   - a commitment names its party, exactly one of an instrument or a norm,
 *     a kind and a date; FIRST_PARTY: declared by its author; TRANSCRIBED
 *     (by a curator, roles checked in policy.c): declared by someone else,
 *     or by no participant (the party's consent is the instrument itself);
 *   - after a party withdrew from an instrument, a commitment of that party
 *     to the instrument or one of its norms dated later is refused unless it
 *     is itself a new commitment to the whole instrument (endorsed, signed,
 *     joined later or declared);
 *   - a finding's norm conclusion names a norm that an unretracted claim on
 *     one of the finding's incidents cites, or is marked stated_by_finding.
 *
 * The last two read earlier records: they walk the entries before `now`
 * (load_record), skipping entries an excerpt does not hold. A commitment or
 * a finding with norm conclusions therefore costs one pass over the log at
 * submit and in replay; both are rare records.
 */
#include "rules/norms.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "codec/codec_norms.h"

/* Visit every record before `now` that the state can load. fn returns 0 to
 * go on, 1 to stop, or a negative error. */
static int
each_earlier(const lg_policy_state *st, uint64_t now,
             int (*fn)(void *ctx, const lg_record *rec, uint64_t index), void *ctx)
{
    for (uint64_t i = 1; i < now; i++) {
        lg_record *rec = NULL;
        uint8_t d[32];
        int rc = st->load_record(st->payload, i, &rec, d);

        if (rc == LEDGER_ENOTFOUND)
            continue; /* an excerpt, or a record the replay does not keep */
        if (rc < 0)
            return rc;
        rc = fn(ctx, rec, i);
        lg_record_free(rec);
        if (rc != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

/* Latest-version, unretracted status of record `rid` as of `now`. */
static int
is_live(const lg_policy_state *st, const char *rid, uint64_t now)
{
    lg_record_row row;

    if (st->get_record(st->payload, rid, &row) != 0)
        return 0;
    return !(row.retracted_by != 0 && row.retracted_by < now) &&
           !(row.superseded_by != 0 && row.superseded_by < now);
}

/* The instrument a norm belongs to (copied into out); "" when unknown. */
static int
norm_instrument(char *out, size_t cap, const lg_policy_state *st, const char *norm_ref)
{
    lg_record_row row;
    lg_record *n = NULL;
    uint8_t d[32];
    int rc;

    out[0] = '\0';
    if ((rc = st->get_record(st->payload, norm_ref, &row)) != 0)
        return rc == LEDGER_ENOTFOUND ? 0 : rc;
    rc = st->load_record(st->payload, row.index, &n, d);
    if (rc == LEDGER_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    const char *ins = lg_record_norm_instrument(n);
    snprintf(out, cap, "%s", ins ? ins : "");
    lg_record_free(n);
    return 0;
}

/* ---- commitments ---- */

typedef struct {
    const lg_policy_state *st;
    uint64_t now;
    const char *party, *instrument;
    int64_t until;     /* the new commitment's date */
    int64_t best_date; /* latest instrument-level status so far */
    uint64_t best_index;
    int best_kind;
    char best_id[LEDGER_ID_MAX + 1];
} withdrawal_scan;

static int
scan_commitment(void *ctx, const lg_record *rec, uint64_t index)
{
    withdrawal_scan *w = ctx;
    lg_commitment_info c;

    if (lg_record_type_of(rec) != LG_REC_COMMITMENT || lg_record_commitment(&c, rec) < 0)
        return 0;
    if (strcmp(c.party, w->party) != 0 || strcmp(c.instrument_ref, w->instrument) != 0 ||
        !c.has_date || c.date > w->until || !is_live(w->st, lg_record_id(rec), w->now))
        return 0;
    if (w->best_index == 0 || c.date > w->best_date ||
        (c.date == w->best_date && index > w->best_index)) {
        w->best_date = c.date;
        w->best_index = index;
        w->best_kind = c.kind;
        snprintf(w->best_id, sizeof w->best_id, "%s", lg_record_id(rec));
    }
    return 0;
}

static int
check_commitment(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *rid = lg_record_id(r), *author = lg_record_author(r);
    lg_commitment_info c;
    char instrument[LEDGER_ID_MAX + 1];
    int rc;

    if ((rc = lg_record_commitment(&c, r)) < 0)
        return rc;
    if (*c.party == '\0')
        return lg_error_set(LEDGER_EPOLICY, "record %s: commitment.party is missing", rid);
    if ((*c.instrument_ref == '\0') == (*c.norm_ref == '\0'))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a commitment names exactly one of instrument_ref and "
                            "norm_ref",
                            rid);
    if (c.kind == 0)
        return lg_error_set(LEDGER_EPOLICY, "record %s: commitment.kind is not set", rid);
    if (!c.has_date)
        return lg_error_set(LEDGER_EPOLICY, "record %s: commitment.date is missing", rid);
    if (lg_record_provenance(r) == LG_PROVENANCE_FIRST_PARTY && strcmp(c.declared_by, author) != 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a FIRST_PARTY commitment must be declared_by its author "
                            "%s, not %s (a curator transcribes others' commitments as "
                            "TRANSCRIBED)",
                            rid, author, c.declared_by);
    if (lg_record_provenance(r) == LG_PROVENANCE_TRANSCRIBED && strcmp(c.declared_by, author) == 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a TRANSCRIBED commitment must name another declarer than "
                            "its author",
                            rid);
    if (c.kind == LG_COMMIT_WITHDREW)
        return 0;
    if (*c.instrument_ref != '\0')
        snprintf(instrument, sizeof instrument, "%s", c.instrument_ref);
    else if ((rc = norm_instrument(instrument, sizeof instrument, st, c.norm_ref)) < 0)
        return rc;
    if (instrument[0] == '\0')
        return 0; /* an excerpt without the norm cannot judge */

    withdrawal_scan w = {st, now, c.party, instrument, c.date, 0, 0, 0, {0}};
    if ((rc = each_earlier(st, now, scan_commitment, &w)) < 0)
        return rc;
    if (w.best_index == 0 || w.best_kind != LG_COMMIT_WITHDREW)
        return 0;
    if (*c.instrument_ref != '\0' && c.kind != LG_COMMIT_GROUP_MEMBER)
        return 0; /* a new commitment to the whole instrument */
    return lg_error_set(LEDGER_EPOLICY,
                        "record %s: %s withdrew from %s (%s, entry %llu) before this "
                        "commitment's date; record a new commitment to %s first",
                        rid, c.party, instrument, w.best_id, (unsigned long long)w.best_index,
                        instrument);
}

/* ---- findings ---- */

typedef struct {
    const lg_policy_state *st;
    uint64_t now;
    const char *norm;
    const char *const *incidents;
    size_t n_incidents;
    int found;
} citation_scan;

static int
scan_claim(void *ctx, const lg_record *rec, uint64_t index)
{
    citation_scan *s = ctx;
    const char *const *inc;
    const char *n;
    size_t k, n_inc;
    int on_incident = 0, cites = 0;

    (void)index;
    if (lg_record_type_of(rec) != LG_REC_ATTRIBUTION_CLAIM ||
        lg_record_incidents(&inc, &n_inc, rec) < 0)
        return 0;
    for (k = 0; (n = lg_record_claim_norm(rec, k, NULL)) != NULL; k++)
        cites |= strcmp(n, s->norm) == 0;
    for (k = 0; k < n_inc && cites; k++)
        for (size_t j = 0; j < s->n_incidents; j++)
            on_incident |= strcmp(inc[k], s->incidents[j]) == 0;
    if (!cites || !on_incident || !is_live(s->st, lg_record_id(rec), s->now))
        return 0;
    s->found = 1;
    return 1;
}

static int
check_finding_norms(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *rid = lg_record_id(r);
    lg_norm_conclusion nc;
    citation_scan s = {st, now, NULL, NULL, 0, 0};
    int rc;

    if ((rc = lg_record_incidents(&s.incidents, &s.n_incidents, r)) < 0)
        return rc;
    for (size_t i = 0; lg_record_norm_conclusion(&nc, r, i); i++) {
        if (*nc.norm_ref == '\0')
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: finding.norm_conclusions[%zu].norm_ref is missing", rid,
                                i);
        if (nc.verdict == 0)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: finding.norm_conclusions[%zu].verdict is not set", rid,
                                i);
        for (size_t j = 0; j < i; j++) {
            lg_norm_conclusion prev;
            lg_record_norm_conclusion(&prev, r, j);
            if (strcmp(prev.norm_ref, nc.norm_ref) == 0)
                return lg_error_set(LEDGER_EPOLICY, "record %s: norm %.100s has two conclusions",
                                    rid, nc.norm_ref);
        }
        if (nc.stated_by_finding)
            continue;
        s.norm = nc.norm_ref;
        s.found = 0;
        if ((rc = each_earlier(st, now, scan_claim, &s)) < 0)
            return rc;
        if (!s.found && !st->partial)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: norm conclusion on %.100s, but no live claim on the "
                                "finding's incidents cites that norm (cite it in a claim, or "
                                "mark the conclusion stated_by_finding)",
                                rid, nc.norm_ref);
    }
    return 0;
}

int
lg_norms_check(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *rid = lg_record_id(r);

    switch (lg_record_type_of(r)) {
    case LG_REC_COMMITMENT:
        return check_commitment(st, r, now);
    case LG_REC_FINDING:
        return check_finding_norms(st, r, now);
    case LG_REC_NORM: {
        const char *ins = lg_record_norm_instrument(r);
        if (ins == NULL || *ins == '\0')
            return lg_error_set(LEDGER_EPOLICY, "record %s: norm.instrument_ref is missing", rid);
        return 0;
    }
    case LG_REC_INSTRUMENT:
    default:
        break;
    }
    return 0;
}
