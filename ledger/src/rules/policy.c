/*
 * policy.c - authorisation rules of the ledger (DESIGN.md section 4).
 *
 * Rules enforced here:
 *   - Entry 0 is the genesis LedgerPolicy, signed by the log key it names;
 *     no other entry may be a LedgerPolicy.
 *   - Every signature is by a registered, unrevoked key, except the new
 *     keys of a Participant record, which must each sign it (proof of
 *     possession). Signatures by unknown keys are rejected, not ignored: a
 *     ledger entry must never carry a signature nobody can check.
 *   - At least one signature is by an active key of header.author, and the
 *     author's roles allow the record type:
 *        ADMIN          participant, key_revocation
 *        MEMBER         actor, incident_report, evidence, attribution_claim,
 *                       opinion, retraction (FIRST_PARTY)
 *        CURATOR        the same types when provenance is TRANSCRIBED
 *        BODY           finding
 *        PANELIST       panel_vote
 *     A key_revocation may also be signed by the revoked key's owner itself,
 *     and a retraction by a role that authorises its target's type (a
 *     BODY retracts its finding, a CURATOR its transcription).
 *   - A participant id is registered once; a new version must name the
 *     previous one in header.supersedes. A key belongs to one participant.
 *   - References (incident_refs, attributed_to, evidence_refs, target_refs,
 *     finding_ref, ... as listed by codec_record.c) name an existing record
 *     of an allowed type, or a registered participant (with PANELIST role
 *     where the field is a panel seat).
 *   - header.supersedes names the latest, unretracted version of a record of
 *     the same type by the same author (a new ledger_policy or participant
 *     version: any ADMIN).
 *   - An actor_id or incident_key is the record_id of the record that
 *     introduced it (its owner); another member's record may carry it only
 *     as its own report about that actor or incident, and a revision keeps
 *     its key (check_key).
 *   - A curation (ADMIN) may move a key to another owner and replace the
 *     text shown for it; from then on only the new owner revises or
 *     retracts the key's own chain (check_curation, chain_owner).
 *   - A new participant version retires every key it no longer lists; no
 *     revocation or version may leave the ledger without an active ADMIN
 *     key.
 *   - The ledger policy in force limits every later record: at most
 *     max_record_bytes, and only TLP_CLEAR when public_ledger is set.
 *     A Retraction targets an unretracted record of its own author.
 *   - An attribution_claim FIRST_PARTY names its author as claimant; a
 *     TRANSCRIBED one names someone else (and needs the CURATOR role).
 *   - Confidence: stix_value must be allowed by the claimant's words
 *     (confidence.c).
 *   - A Finding names its panel (PANELIST participants, as many as its
 *     rule's panel_size) and a decision rule no weaker than the ledger's
 *     (approvals, approval ratio, group constraints, recusal policy).
 *   - A PanelVote names the exact SHA-256 digest of the latest, unretracted
 *     version of a finding, and its author sits on that finding's panel.
 *
 * Revocation takes effect at the revoking entry: records appended before it
 * stay valid, later ones signed only by the revoked key are rejected. The
 * same replay happens in `verify`, so history is judged by the state at the
 * time of each entry.
 */
#include "rules/policy.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "rules/confidence.h"
#include "rules/norms.h"

/* RecusalPolicy values of ledger.proto (0 = unspecified reduces the panel). */
enum { LG_RECUSAL_REDUCES_PANEL = 1, LG_RECUSAL_COUNTS_AS_ABSTAIN = 2 };

static void
hex8(char out[9], const uint8_t *id)
{
    static const char digits[] = "0123456789abcdef";

    for (int i = 0; i < 4; i++) {
        out[2 * i] = digits[id[i] >> 4];
        out[2 * i + 1] = digits[id[i] & 15];
    }
    out[8] = '\0';
}

unsigned
lg_policy_roles_for(lg_record_type t, int provenance)
{
    switch (t) {
    case LG_REC_PARTICIPANT:
    case LG_REC_KEY_REVOCATION:
        return LG_ROLE_ADMIN;
    case LG_REC_ACTOR:
    case LG_REC_INCIDENT_REPORT:
    case LG_REC_EVIDENCE:
    case LG_REC_ATTRIBUTION_CLAIM:
    case LG_REC_OPINION:
    case LG_REC_RETRACTION:
        return provenance == LG_PROVENANCE_TRANSCRIBED ? LG_ROLE_CURATOR : LG_ROLE_MEMBER;
    case LG_REC_FINDING:
        return LG_ROLE_BODY;
    case LG_REC_PANEL_VOTE:
        return LG_ROLE_PANELIST;
    case LG_REC_LEDGER_POLICY:
    case LG_REC_CURATION:
        return LG_ROLE_ADMIN;
    case LG_REC_INSTRUMENT:
    case LG_REC_NORM:
        return LG_ROLE_CURATOR | LG_ROLE_BODY;
    case LG_REC_COMMITMENT:
        return provenance == LG_PROVENANCE_TRANSCRIBED ? LG_ROLE_CURATOR : LG_ROLE_MEMBER;
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    return 0;
}

static void
roles_text(char *out, size_t cap, unsigned roles)
{
    size_t n = 0;

    out[0] = '\0';
    for (unsigned b = 1; b < 32; b++) {
        const char *name;
        if (!(roles & (1u << b)) || (name = lg_role_name(b)) == NULL)
            continue;
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? " or " : "", name);
        if (n >= cap)
            break;
    }
}

static int
check_genesis(lg_sig_keys *keys, const lg_record *r, const lg_sig *sigs, size_t n_sigs)
{
    lg_policy_info pol;
    uint8_t log_id[32];
    int rc;

    if (lg_record_type_of(r) != LG_REC_LEDGER_POLICY)
        return lg_error_set(LEDGER_EPOLICY, "entry 0 must be the genesis ledger_policy, not %s",
                            lg_record_type_name(lg_record_type_of(r)));
    if ((rc = lg_record_policy(&pol, r)) < 0)
        return rc;
    lg_sha256(log_id, pol.log_public_key, 32);
    if (n_sigs != 1 || memcmp(sigs[0].key_id, log_id, 32) != 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "genesis must carry exactly one signature, by the log key");
    keys->n = 1;
    memcpy(keys->pk[0], pol.log_public_key, 32);
    return 0;
}

/* Is key_id one of the new keys of a Participant record? Returns its slot or -1. */
static int
new_key_slot(const lg_participant_info *p, const uint8_t key_id[32])
{
    for (size_t i = 0; i < p->n_keys; i++) {
        uint8_t id[32];
        lg_sha256(id, p->keys[i], 32);
        if (memcmp(id, key_id, 32) == 0)
            return (int)i;
    }
    return -1;
}

static int
check_participant_record(const lg_policy_state *st, const lg_record *r,
                         const lg_participant_info *p, const lg_sig *sigs, size_t n_sigs)
{
    lg_participant_row prow;
    int rc;

    rc = st->get_participant(st->payload, p->participant_id, &prow);
    if (rc == 0 && *lg_record_supersedes(r) == '\0')
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: participant %s is already registered; a new version "
                            "must set header.supersedes",
                            lg_record_id(r), p->participant_id);
    if (rc == LEDGER_ENOTFOUND && *lg_record_supersedes(r) != '\0')
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s supersedes %s, but participant %s is not registered",
                            lg_record_id(r), lg_record_supersedes(r), p->participant_id);
    if (rc < 0 && rc != LEDGER_ENOTFOUND)
        return rc;
    /* Proof of possession: each key not yet registered signs the record;
     * a key registered to someone else cannot be claimed. */
    for (size_t i = 0; i < p->n_keys; i++) {
        uint8_t id[32];
        lg_key_row row;
        int signed_it = 0;
        char h[9];

        lg_sha256(id, p->keys[i], 32);
        hex8(h, id);
        rc = st->get_key(st->payload, id, &row);
        if (rc == 0) {
            if (strcmp(row.participant_id, p->participant_id) != 0)
                return lg_error_set(LEDGER_EPOLICY,
                                    "record %s: key %s already belongs to participant %s",
                                    lg_record_id(r), h, row.participant_id);
            continue;
        }
        if (rc != LEDGER_ENOTFOUND)
            return rc;
        for (size_t s = 0; s < n_sigs; s++)
            signed_it |= memcmp(sigs[s].key_id, id, 32) == 0;
        if (!signed_it)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: new key %s of participant %s must sign the record "
                                "(proof of possession)",
                                lg_record_id(r), h, p->participant_id);
    }
    return 0;
}

/* Returned by find_record when checking an excerpt that lacks the target. */
#define NOT_IN_EXCERPT 1

/* The record row of a reference, as of entry `now`; LEDGER_EPOLICY if it
 * does not exist (yet), NOT_IN_EXCERPT when st->partial and it is absent. */
static int
find_record(lg_record_row *row, const lg_policy_state *st, const char *rid, uint64_t now,
            const char *self, const char *field)
{
    int rc = st->get_record(st->payload, rid, row);

    if (rc == LEDGER_ENOTFOUND || (rc == 0 && row->index >= now)) {
        if (st->partial && rc == LEDGER_ENOTFOUND)
            return NOT_IN_EXCERPT;
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s names %.100s, which is not in the ledger", self, field,
                            rid);
    }
    return rc;
}

static int
superseded(const lg_record_row *row, uint64_t now)
{
    return row->superseded_by != 0 && row->superseded_by < now;
}

static int
retracted(const lg_record_row *row, uint64_t now)
{
    return row->retracted_by != 0 && row->retracted_by < now;
}

static void
types_text(char *out, size_t cap, unsigned types)
{
    size_t n = 0;

    out[0] = '\0';
    for (int t = 1; t < LG_REC__COUNT && n < cap; t++)
        if (types & LG_T(t))
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " or " : "",
                                  lg_record_type_name((lg_record_type)t));
}

static int
check_refs(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    lg_ref refs[LG_MAX_REFS];
    size_t n;
    int rc;

    if ((rc = lg_record_refs(refs, LG_MAX_REFS, &n, r)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const lg_ref *ref = &refs[i];

        if (ref->types & LG_REF_PARTICIPANT) {
            lg_participant_row p;
            rc = st->get_participant(st->payload, ref->id, &p);
            if (rc == LEDGER_ENOTFOUND)
                return lg_error_set(LEDGER_EPOLICY,
                                    "record %s: %s names %.100s, which is not a registered "
                                    "participant",
                                    lg_record_id(r), ref->field, ref->id);
            if (rc < 0)
                return rc;
            if ((ref->types & LG_REF_PANELIST) && !(p.roles & LG_ROLE_PANELIST))
                return lg_error_set(LEDGER_EPOLICY,
                                    "record %s: %s names %.100s, who is not a PANELIST",
                                    lg_record_id(r), ref->field, ref->id);
        } else {
            lg_record_row row;
            char want[160];
            if ((rc = find_record(&row, st, ref->id, now, lg_record_id(r), ref->field)) < 0)
                return rc;
            if (rc == NOT_IN_EXCERPT)
                continue;
            if (!(ref->types & LG_T(row.type))) {
                types_text(want, sizeof want, ref->types);
                return lg_error_set(
                    LEDGER_EPOLICY, "record %s: %s names %.100s, a %s, but must name a %s",
                    lg_record_id(r), ref->field, ref->id, lg_record_type_name(row.type), want);
            }
        }
    }
    return 0;
}

/* Returned by chain_owner when a curated key's owner decides. */
#define KEY_OWNER_DECIDES 2

static int chain_owner(char *owner, size_t cap, const lg_policy_state *st, const char *rid,
                       const lg_record_row *row, uint64_t now);

/* Refuse `r` when its author is not `who`, who alone may `verb` record
 * `target` (the author of a chain, or the owner of a curated key). */
static int
check_chain_author(const lg_policy_state *st, const lg_record *r, const char *target,
                   const lg_record_row *row, uint64_t now, const char *verb)
{
    char owner[LEDGER_ID_MAX + 1];
    int rc;

    if (row->type == LG_REC_ACTOR || row->type == LG_REC_INCIDENT_REPORT) {
        if ((rc = chain_owner(owner, sizeof owner, st, target, row, now)) < 0)
            return rc;
        if (rc == NOT_IN_EXCERPT)
            return 0;
        if (rc == KEY_OWNER_DECIDES && strcmp(owner, lg_record_author(r)) != 0)
            return lg_error_refusal(
                LEDGER_REFUSAL_NOT_AUTHORIZED,
                lg_error_set(LEDGER_EPOLICY,
                             "record %s: only %s, the owner of the key of %s since its "
                             "curation, may %s it",
                             lg_record_id(r), owner, target, verb));
        if (rc == KEY_OWNER_DECIDES)
            return 0;
    }
    if (strcmp(row->author, lg_record_author(r)) != 0)
        return lg_error_set(LEDGER_EPOLICY, "record %s: only %s, the author of %s, may %s it",
                            lg_record_id(r), row->author, target, verb);
    return 0;
}

static int
check_supersedes(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *target = lg_record_supersedes(r), *rid = lg_record_id(r);
    lg_record_type type = lg_record_type_of(r);
    lg_record_row row;
    int rc;

    if (*target == '\0')
        return 0;
    if ((rc = find_record(&row, st, target, now, rid, "header.supersedes")) != 0)
        return rc < 0 ? rc : 0;
    if (row.type != type)
        return lg_error_set(LEDGER_EPOLICY, "record %s (%s) cannot supersede %s, a %s", rid,
                            lg_record_type_name(type), target, lg_record_type_name(row.type));
    /* A new ledger policy, participant version or curation is an ADMIN
     * decision (roles already checked): the registry belongs to the admins
     * together, so one admin can rotate a key another registered, also
     * after that admin left. Every other chain belongs to its author, or,
     * for a curated actor or incident, to the key's owner. */
    if (type != LG_REC_LEDGER_POLICY && type != LG_REC_PARTICIPANT && type != LG_REC_CURATION &&
        (rc = check_chain_author(st, r, target, &row, now, "supersede")) < 0)
        return rc;
    if (retracted(&row, now))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s was retracted (entry %llu) and cannot be superseded",
                            rid, target, (unsigned long long)row.retracted_by);
    if (superseded(&row, now))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s is not the latest version (superseded by entry %llu)",
                            rid, target, (unsigned long long)row.superseded_by);
    if (type == LG_REC_PARTICIPANT) {
        lg_record *old = NULL;
        lg_participant_info a, b;
        uint8_t d[32];
        if ((rc = st->load_record(st->payload, row.index, &old, d)) < 0)
            return rc;
        rc = lg_record_participant(&a, old, -1);
        if (rc == 0)
            rc = lg_record_participant(&b, r, -1);
        if (rc == 0 && strcmp(a.participant_id, b.participant_id) != 0)
            rc = lg_error_set(LEDGER_EPOLICY,
                              "record %s registers %s but supersedes the record of %s", rid,
                              b.participant_id, a.participant_id);
        lg_record_free(old);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
check_retraction(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *target = lg_record_retraction_target(r), *rid = lg_record_id(r);
    lg_record_row row;
    int rc;

    if (target == NULL || *target == '\0')
        return lg_error_set(LEDGER_EPOLICY, "record %s: retraction.target_ref is missing", rid);
    if ((rc = find_record(&row, st, target, now, rid, "retraction.target_ref")) != 0)
        return rc < 0 ? rc : 0;
    if ((rc = check_chain_author(st, r, target, &row, now, "retract")) < 0)
        return rc;
    if (row.type == LG_REC_RETRACTION || row.type == LG_REC_PANEL_VOTE ||
        row.type == LG_REC_CURATION || row.type == LG_REC_PARTICIPANT ||
        row.type == LG_REC_KEY_REVOCATION || row.type == LG_REC_LEDGER_POLICY)
        return lg_error_set(LEDGER_EPOLICY, "record %s: a %s cannot be retracted", rid,
                            lg_record_type_name(row.type));
    if (retracted(&row, now))
        return lg_error_set(LEDGER_EPOLICY, "record %s: %s is already retracted (entry %llu)", rid,
                            target, (unsigned long long)row.retracted_by);
    return 0;
}

static int
check_claim(const lg_record *r)
{
    const char *claimant = lg_record_claimant(r), *rid = lg_record_id(r);

    if (*claimant == '\0')
        return lg_error_set(LEDGER_EPOLICY, "record %s: attribution_claim.claimant is missing",
                            rid);
    if (lg_record_provenance(r) == LG_PROVENANCE_FIRST_PARTY &&
        strcmp(claimant, lg_record_author(r)) != 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a FIRST_PARTY claim must name its author %s as claimant, "
                            "not %s (a curator transcribes others' claims as TRANSCRIBED)",
                            rid, lg_record_author(r), claimant);
    if (lg_record_provenance(r) == LG_PROVENANCE_TRANSCRIBED &&
        strcmp(claimant, lg_record_author(r)) == 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a TRANSCRIBED claim must name another claimant than its "
                            "author",
                            rid);
    return 0;
}

/* The entry of the ledger policy in force at entry `now`: the latest
 * version of the genesis record's chain before `now`. */
static int
current_policy_index(uint64_t *index, const lg_policy_state *st, uint64_t now)
{
    lg_record_row row;
    uint8_t d[32];
    int rc = st->get_record(st->payload, "genesis", &row);

    for (int hops = 0; rc == 0 && superseded(&row, now); hops++) {
        lg_record *next = NULL;
        /* Follow the chain through the superseding entries' record ids. */
        if ((rc = st->load_record(st->payload, row.superseded_by, &next, d)) < 0)
            return rc;
        char next_id[LEDGER_ID_MAX + 1];
        snprintf(next_id, sizeof next_id, "%s", lg_record_id(next));
        lg_record_free(next);
        rc = st->get_record(st->payload, next_id, &row);
        if (hops > 1000000)
            return lg_error_set(LEDGER_ECORRUPT, "ledger policy chain does not end");
    }
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "the genesis record is missing");
    if (rc < 0)
        return rc;
    *index = row.index;
    return 0;
}

/* The ledger policy in force at entry `now`. Free *out with lg_record_free. */
static int
current_policy(lg_record **out, const lg_policy_state *st, uint64_t now)
{
    uint64_t index;
    uint8_t d[32];
    int rc;

    *out = NULL;
    if ((rc = current_policy_index(&index, st, now)) < 0)
        return rc;
    return st->load_record(st->payload, index, out, d);
}

/* The ledger's decision rule: that of the latest ledger_policy. */
int
lg_policy_ledger_rule(lg_rule *out, const lg_policy_state *st, uint64_t now)
{
    lg_record *pol = NULL;
    int rc;

    if ((rc = current_policy(&pol, st, now)) < 0)
        return rc;
    rc = lg_record_rule(out, pol);
    lg_record_free(pol);
    return rc;
}

/*
 * The record limits of the ledger policy in force (max_record_bytes,
 * public_ledger). A new ledger_policy is exempt, so admins can always
 * relax a limit; it applies from its own entry on to every later record.
 */
static int
check_ledger_limits(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    lg_policy_limits *lim = st->limits, mine;
    uint64_t index;
    int rc;

    if (lg_record_type_of(r) == LG_REC_LEDGER_POLICY)
        return 0;
    if ((rc = current_policy_index(&index, st, now)) < 0) {
        /* An excerpt without the policy chain cannot judge the limits. */
        return st->partial && rc == LEDGER_ENOTFOUND ? 0 : rc;
    }
    if (lim == NULL || !lim->valid || lim->index != index) {
        lg_record *pol = NULL;
        lg_policy_info info;
        uint8_t d[32];

        if ((rc = st->load_record(st->payload, index, &pol, d)) < 0)
            return st->partial && rc == LEDGER_ENOTFOUND ? 0 : rc;
        rc = lg_record_policy(&info, pol);
        lg_record_free(pol);
        if (rc < 0)
            return rc;
        if (lim == NULL)
            lim = &mine;
        *lim = (lg_policy_limits){1, index, info.max_record_bytes, info.public_ledger};
    }
    if (lim->max_record_bytes != 0 && lg_record_size(r) > lim->max_record_bytes)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s is %zu bytes; the ledger policy allows at most %u "
                            "(max_record_bytes)",
                            lg_record_id(r), lg_record_size(r), (unsigned)lim->max_record_bytes);
    if (lim->public_ledger && lg_record_tlp(r) != LG_TLP_CLEAR)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s is not TLP_CLEAR; the ledger policy makes this a public "
                            "ledger (public_ledger), which accepts only TLP_CLEAR records",
                            lg_record_id(r));
    return 0;
}

int
lg_policy_finding_rule(lg_rule *out, const lg_policy_state *st, const lg_record *finding,
                       uint64_t now)
{
    int rc = lg_record_rule(out, finding);

    if (rc == 0 && !out->present)
        rc = lg_policy_ledger_rule(out, st, now);
    return rc;
}

static int
check_finding(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *const *members;
    const char *rid = lg_record_id(r);
    lg_rule base, own;
    size_t n;
    int rc;

    if ((rc = lg_record_panel(&members, &n, r)) < 0)
        return rc;
    if (n == 0)
        return lg_error_set(LEDGER_EPOLICY, "record %s: finding.panel_members is empty", rid);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(members[i], members[j]) == 0)
                return lg_error_set(LEDGER_EPOLICY,
                                    "record %s: panelist %s is named twice in panel_members", rid,
                                    members[i]);
    if ((rc = lg_policy_ledger_rule(&base, st, now)) < 0 ||
        (rc = lg_policy_finding_rule(&own, st, r, now)) < 0)
        return rc;
    if (own.approvals_required == 0 || own.approvals_required > own.panel_size)
        return lg_error_set(
            LEDGER_EPOLICY,
            "record %s: decision rule needs 1 to panel_size approvals, not %u of %u", rid,
            own.approvals_required, own.panel_size);
    if (n != own.panel_size)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: panel_members names %zu panelists, the decision rule says "
                            "%u",
                            rid, n, own.panel_size);
    /* Stricter only: as many approvals, as large a share, as diverse, and
     * recusals counted no more leniently. */
    if (own.approvals_required < base.approvals_required ||
        (uint64_t)own.approvals_required * base.panel_size <
            (uint64_t)base.approvals_required * own.panel_size)
        return lg_error_set(
            LEDGER_EPOLICY,
            "record %s: decision rule %u of %u is weaker than the ledger's %u of %u", rid,
            own.approvals_required, own.panel_size, base.approvals_required, base.panel_size);
    if (own.min_regions < base.min_regions || own.min_sectors < base.min_sectors)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: decision rule's group constraints (%u regions, %u sectors) "
                            "are weaker than the ledger's (%u regions, %u sectors)",
                            rid, own.min_regions, own.min_sectors, base.min_regions,
                            base.min_sectors);
    if (base.recusal_policy == LG_RECUSAL_COUNTS_AS_ABSTAIN &&
        own.recusal_policy != LG_RECUSAL_COUNTS_AS_ABSTAIN)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: recusal policy REDUCES_PANEL is weaker than the ledger's "
                            "COUNTS_AS_ABSTAIN",
                            rid);
    return 0;
}

static int
check_vote(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *finding_ref, *rid = lg_record_id(r);
    const char *const *members;
    const uint8_t *digest;
    lg_record_row row;
    lg_record *f = NULL;
    uint8_t fd[32];
    size_t n;
    int vote, rc, seat = 0;

    if ((rc = lg_record_vote(&finding_ref, &digest, &vote, r)) < 0)
        return rc;
    if (vote <= 0 || vote > 4)
        return lg_error_set(LEDGER_EPOLICY, "record %s: panel_vote.vote is not set", rid);
    if ((rc = find_record(&row, st, finding_ref, now, rid, "panel_vote.finding_ref")) != 0)
        return rc < 0 ? rc : 0;
    if (retracted(&row, now))
        return lg_error_set(LEDGER_EPOLICY, "record %s: finding %s was retracted", rid,
                            finding_ref);
    if (superseded(&row, now))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: finding %s was revised (entry %llu); vote on the latest "
                            "version",
                            rid, finding_ref, (unsigned long long)row.superseded_by);
    if ((rc = st->load_record(st->payload, row.index, &f, fd)) < 0)
        return rc;
    if (memcmp(fd, digest, 32) != 0) {
        rc = lg_error_set(LEDGER_EPOLICY,
                          "record %s: finding_digest is not the digest of %s (stale or wrong "
                          "version)",
                          rid, finding_ref);
        goto done;
    }
    if ((rc = lg_record_panel(&members, &n, f)) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        seat |= strcmp(members[i], lg_record_author(r)) == 0;
    if (!seat)
        rc = lg_error_set(LEDGER_EPOLICY, "record %s: %s is not on the panel of %s", rid,
                          lg_record_author(r), finding_ref);
done:
    lg_record_free(f);
    return rc;
}

static int
check_policy_update(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    lg_policy_info mine, gen;
    lg_record_row row;
    lg_record *g = NULL;
    uint8_t d[32];
    int rc;

    if (*lg_record_supersedes(r) == '\0')
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a new ledger_policy must supersede the current one",
                            lg_record_id(r));
    if ((rc = lg_record_policy(&mine, r)) < 0 ||
        (rc = find_record(&row, st, "genesis", now, lg_record_id(r), "genesis")) != 0 ||
        (rc = st->load_record(st->payload, row.index, &g, d)) < 0)
        return rc < 0 ? rc : 0;
    rc = lg_record_policy(&gen, g);
    if (rc == 0 && (strcmp(mine.origin, gen.origin) != 0 ||
                    memcmp(mine.log_public_key, gen.log_public_key, 32) != 0 || mine.n_admins != 0))
        rc = lg_error_set(LEDGER_EPOLICY,
                          "record %s: a new ledger_policy keeps the origin and log key and names "
                          "no admins (register admins as participants)",
                          lg_record_id(r));
    lg_record_free(g);
    return rc;
}

/* ---- the last admin ---- */

typedef struct {
    const lg_policy_state *st;
    const char *skip_pid;    /* keys of this participant are not counted */
    const uint8_t *skip_kid; /* nor this key (being revoked) */
    int found;
} admin_search;

/* Stops the scan (returns 1) at the first active key of an ADMIN. */
static int
active_admin_key(void *p, const uint8_t id[32], const lg_key_row *row)
{
    admin_search *a = p;
    lg_participant_row prow;
    int rc;

    if (row->revoked_at != 0 || (a->skip_kid != NULL && memcmp(id, a->skip_kid, 32) == 0) ||
        (a->skip_pid != NULL && strcmp(row->participant_id, a->skip_pid) == 0))
        return 0;
    rc = a->st->get_participant(a->st->payload, row->participant_id, &prow);
    if (rc == LEDGER_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    a->found = (prow.roles & LG_ROLE_ADMIN) != 0;
    return a->found;
}

/* 1 if some admin other than skip_pid (or some key other than skip_kid)
 * keeps an active key, 0 if none, or a negative code. */
static int
other_admin_left(const lg_policy_state *st, const char *skip_pid, const uint8_t *skip_kid)
{
    admin_search a = {st, skip_pid, skip_kid, 0};
    int rc = st->each_key(st->payload, active_admin_key, &a);

    return rc < 0 ? rc : a.found;
}

/* A revocation of an admin's key, or a new version of an admin that drops
 * its role or keys, must leave at least one active admin key: otherwise
 * nobody could ever register, rotate or revoke again. */
static int
check_admin_left_after_revocation(const lg_policy_state *st, const lg_record *r,
                                  const lg_key_row *krow, const uint8_t kid[32])
{
    lg_participant_row prow;
    int rc = st->get_participant(st->payload, krow->participant_id, &prow);

    if (rc == LEDGER_ENOTFOUND || (rc == 0 && !(prow.roles & LG_ROLE_ADMIN)))
        return 0;
    if (rc < 0 || (rc = other_admin_left(st, NULL, kid)) < 0)
        return rc;
    if (rc == 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s would revoke the last active admin key (of %s); register "
                            "another admin first",
                            lg_record_id(r), krow->participant_id);
    return 0;
}

static int
check_admin_left_after_version(const lg_policy_state *st, const lg_record *r,
                               const lg_participant_info *p)
{
    lg_participant_row prow;
    int rc = st->get_participant(st->payload, p->participant_id, &prow);

    if (rc == LEDGER_ENOTFOUND || (rc == 0 && !(prow.roles & LG_ROLE_ADMIN)))
        return 0;
    if (rc < 0)
        return rc;
    if (p->roles & LG_ROLE_ADMIN) {
        /* Still an admin: fine if one of its listed keys is (or becomes) active. */
        for (size_t i = 0; i < p->n_keys; i++) {
            uint8_t id[32];
            lg_key_row row;
            lg_sha256(id, p->keys[i], 32);
            rc = st->get_key(st->payload, id, &row);
            if (rc == LEDGER_ENOTFOUND || (rc == 0 && row.revoked_at == 0))
                return 0;
            if (rc < 0)
                return rc;
        }
    }
    if ((rc = other_admin_left(st, p->participant_id, NULL)) < 0)
        return rc;
    if (rc == 0)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s would leave no active admin key (%s is the last admin); "
                            "register another admin first",
                            lg_record_id(r), p->participant_id);
    return 0;
}

/* ---- who owns an incident_key or actor_id ---- */

/*
 * The key of an actor or incident report belongs to the record that
 * introduces it, and that record's record_id is the key: a first version
 * either introduces its own record_id as key, or names the key of an
 * existing record of the same type, which makes it the author's own report
 * about that actor or incident (views and exports show it as the author's,
 * never as the owner's text). A revision keeps its key. So no member can
 * take over another's incident or actor by reusing its key, and the owner
 * of key K is always the author of record K.
 */
static int
check_key(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *key = lg_record_key(r), *rid = lg_record_id(r), *sup = lg_record_supersedes(r);
    lg_record_type kt = lg_record_type_of(r);
    const char *field = kt == LG_REC_ACTOR        ? "actor.actor_id"
                        : kt == LG_REC_INSTRUMENT ? "instrument.instrument_id"
                        : kt == LG_REC_NORM       ? "norm.norm_id"
                                                  : "incident_report.incident_key";
    lg_record_row row;
    int rc;

    if (key == NULL)
        return 0;
    if (*sup != '\0') {
        lg_record *old = NULL;
        uint8_t d[32];
        const char *old_key;

        if ((rc = find_record(&row, st, sup, now, rid, "header.supersedes")) != 0)
            return rc < 0 ? rc : 0;
        if ((rc = st->load_record(st->payload, row.index, &old, d)) < 0)
            return st->partial && rc == LEDGER_ENOTFOUND ? 0 : rc;
        old_key = lg_record_key(old);
        if (old_key != NULL && strcmp(old_key, key) != 0)
            rc = lg_error_set(LEDGER_EPOLICY,
                              "record %s: %s %.100s differs from %.100s, the key of %s (a "
                              "revision keeps its key)",
                              rid, field, key, old_key, sup);
        lg_record_free(old);
        return rc;
    }
    if (*key == '\0' || strcmp(key, rid) == 0)
        return 0;
    rc = st->get_record(st->payload, key, &row);
    if (rc == LEDGER_ENOTFOUND && st->partial)
        return 0;
    if (rc < 0 && rc != LEDGER_ENOTFOUND)
        return rc;
    if (rc == LEDGER_ENOTFOUND || row.index >= now || row.type != lg_record_type_of(r))
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %s %.100s is not the record_id of an earlier %s; a new "
                            "key is the record_id of the record that introduces it",
                            rid, field, key, lg_record_type_name(lg_record_type_of(r)));
    return 0;
}

static int check_curation(const lg_policy_state *st, const lg_record *r, uint64_t now);

/* Rules on the record's content and references (after authorisation). */
static int
check_content(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    lg_confidence conf[LG_MAX_CONFIDENCES];
    size_t n;
    int rc;

    if ((rc = check_supersedes(st, r, now)) < 0 || (rc = check_refs(st, r, now)) < 0 ||
        (rc = check_key(st, r, now)) < 0)
        return rc;
    if ((rc = lg_record_confidences(conf, LG_MAX_CONFIDENCES, &n, r)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = lg_confidence_check(&conf[i], lg_record_id(r))) < 0)
            return rc;
    switch (lg_record_type_of(r)) {
    case LG_REC_ATTRIBUTION_CLAIM:
        return check_claim(r);
    case LG_REC_RETRACTION:
        return check_retraction(st, r, now);
    case LG_REC_FINDING:
        if ((rc = check_finding(st, r, now)) < 0)
            return rc;
        return lg_norms_check(st, r, now);
    case LG_REC_INSTRUMENT:
    case LG_REC_NORM:
    case LG_REC_COMMITMENT:
        return lg_norms_check(st, r, now);
    case LG_REC_PANEL_VOTE:
        return check_vote(st, r, now);
    case LG_REC_LEDGER_POLICY:
        return check_policy_update(st, r, now);
    case LG_REC_CURATION:
        return check_curation(st, r, now);
    case LG_REC_PARTICIPANT:
    case LG_REC_KEY_REVOCATION:
    case LG_REC_ACTOR:
    case LG_REC_INCIDENT_REPORT:
    case LG_REC_EVIDENCE:
    case LG_REC_OPINION:
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    return 0;
}

int
lg_policy_check(lg_sig_keys *keys, const lg_policy_state *st, const lg_record *r,
                const lg_sig *sigs, size_t n_sigs, uint64_t index)
{
    lg_record_type type = lg_record_type_of(r);
    const char *author = lg_record_author(r);
    lg_participant_info newp;
    lg_participant_row arow;
    int have_newp = 0, author_signed = 0, rc;
    unsigned need;
    char need_text[64];

    memset(keys, 0, sizeof *keys);
    if (n_sigs == 0 || n_sigs > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EPOLICY, "record %s has %zu signatures, want 1 to %d",
                            lg_record_id(r), n_sigs, LG_MAX_SIGS);
    if (index == 0)
        return check_genesis(keys, r, sigs, n_sigs);
    if ((rc = check_ledger_limits(st, r, index)) < 0)
        return rc;
    if (type == LG_REC_PARTICIPANT) {
        if ((rc = lg_record_participant(&newp, r, -1)) < 0)
            return rc;
        have_newp = 1;
    }
    for (size_t i = 0; i < n_sigs; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(sigs[i].key_id, sigs[j].key_id, 32) == 0)
                return lg_error_set(LEDGER_EPOLICY, "record %s: key signed twice", lg_record_id(r));

    /* Resolve every signature's key. */
    for (size_t i = 0; i < n_sigs; i++) {
        lg_key_row row;
        char h[9];
        int slot;

        hex8(h, sigs[i].key_id);
        rc = st->get_key(st->payload, sigs[i].key_id, &row);
        if (rc == 0) {
            if (row.revoked_at != 0)
                return lg_error_refusal(
                    LEDGER_REFUSAL_REVOKED_KEY,
                    lg_error_set(LEDGER_EPOLICY,
                                 "record %s: signature %zu is by key %s of %s, revoked at "
                                 "entry %llu",
                                 lg_record_id(r), i, h, row.participant_id,
                                 (unsigned long long)row.revoked_at));
            memcpy(keys->pk[i], row.public_key, 32);
            if (strcmp(row.participant_id, author) == 0)
                author_signed = 1;
            continue;
        }
        if (rc != LEDGER_ENOTFOUND)
            return rc;
        if (have_newp && (slot = new_key_slot(&newp, sigs[i].key_id)) >= 0) {
            memcpy(keys->pk[i], newp.keys[slot], 32);
            continue;
        }
        return lg_error_refusal(LEDGER_REFUSAL_UNKNOWN_KEY,
                                lg_error_set(LEDGER_EPOLICY,
                                             "record %s: signature %zu is by unknown key %s (not "
                                             "registered in this ledger)",
                                             lg_record_id(r), i, h));
    }
    keys->n = n_sigs;

    /* The author must exist, have signed, and hold a role for this type. */
    rc = st->get_participant(st->payload, author, &arow);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_refusal(LEDGER_REFUSAL_NOT_AUTHORIZED,
                                lg_error_set(LEDGER_EPOLICY,
                                             "record %s: author %s is not a registered participant",
                                             lg_record_id(r), author));
    if (rc < 0)
        return rc;
    if (!author_signed)
        return lg_error_refusal(LEDGER_REFUSAL_NOT_AUTHORIZED,
                                lg_error_set(LEDGER_EPOLICY,
                                             "record %s: no signature by an active key of its "
                                             "author %s",
                                             lg_record_id(r), author));
    need = lg_policy_roles_for(type, lg_record_provenance(r));
    if (type == LG_REC_RETRACTION) {
        /* Authors retract their own records (checked in check_retraction):
         * a role that allows writing the target's type also allows taking
         * it back, so a BODY without MEMBER can retract its finding and a
         * CURATOR its transcription. */
        const char *target = lg_record_retraction_target(r);
        lg_record_row trow;

        rc = target && *target ? st->get_record(st->payload, target, &trow) : LEDGER_ENOTFOUND;
        if (rc == 0 && trow.index < index)
            need |= lg_policy_roles_for(trow.type, LG_PROVENANCE_FIRST_PARTY) |
                    lg_policy_roles_for(trow.type, LG_PROVENANCE_TRANSCRIBED);
        else if (rc < 0 && rc != LEDGER_ENOTFOUND)
            return rc;
    }
    if (type == LG_REC_KEY_REVOCATION) {
        const char *pid;
        const uint8_t *kid;
        lg_key_row krow;

        if ((rc = lg_record_revocation(&pid, &kid, r)) < 0)
            return rc;
        rc = st->get_key(st->payload, kid, &krow);
        if (rc == LEDGER_ENOTFOUND || (rc == 0 && strcmp(krow.participant_id, pid) != 0))
            return lg_error_set(LEDGER_EPOLICY, "record %s: key to revoke is not a key of %s",
                                lg_record_id(r), pid);
        if (rc < 0)
            return rc;
        if (krow.revoked_at != 0)
            return lg_error_set(LEDGER_EPOLICY, "record %s: key is already revoked",
                                lg_record_id(r));
        if ((rc = check_admin_left_after_revocation(st, r, &krow, kid)) < 0)
            return rc;
        if (strcmp(pid, author) == 0)
            return 0; /* a participant may always revoke its own key */
    }
    if ((arow.roles & need) == 0) {
        roles_text(need_text, sizeof need_text, need);
        return lg_error_refusal(
            LEDGER_REFUSAL_NOT_AUTHORIZED,
            lg_error_set(LEDGER_EPOLICY, "record %s: author %s lacks the %s role needed for %s%s",
                         lg_record_id(r), author, need_text, lg_record_type_name(type),
                         lg_record_provenance(r) == LG_PROVENANCE_TRANSCRIBED ? " (transcribed)"
                                                                              : ""));
    }
    if (have_newp && ((rc = check_participant_record(st, r, &newp, sigs, n_sigs)) < 0 ||
                      (rc = check_admin_left_after_version(st, r, &newp)) < 0))
        return rc;
    return check_content(st, r, index);
}

typedef struct {
    const lg_participant_info *p;
    uint8_t (*ids)[32];
    size_t n, cap;
    int oom;
} dropped_keys;

static int
collect_dropped(void *ctx, const uint8_t id[32], const lg_key_row *row)
{
    dropped_keys *d = ctx;

    if (row->revoked_at != 0 || strcmp(row->participant_id, d->p->participant_id) != 0 ||
        new_key_slot(d->p, id) >= 0)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        void *grown = lg_realloc(d->ids, cap * sizeof d->ids[0]);
        if (grown == NULL)
            return lg_error_nomem();
        d->ids = grown;
        d->cap = cap;
    }
    memcpy(d->ids[d->n++], id, 32);
    return 0;
}

/*
 * Rotation: a new version of a participant lists its keys; every active
 * key of that participant it no longer lists is retired from this entry on
 * (revoked_at = index), exactly as if revoked. Records signed before stay
 * valid.
 */
static int
retire_dropped_keys(const lg_policy_state *st, const lg_participant_info *p, uint64_t index)
{
    dropped_keys d = {p, NULL, 0, 0, 0};
    int rc = st->each_key(st->payload, collect_dropped, &d);

    for (size_t i = 0; rc >= 0 && i < d.n; i++) {
        lg_key_row row;
        if ((rc = st->get_key(st->payload, d.ids[i], &row)) < 0)
            break;
        row.revoked_at = index;
        rc = st->put_key(st->payload, d.ids[i], &row);
    }
    lg_free(d.ids);
    return rc < 0 ? rc : 0;
}

static int
register_participant(const lg_policy_state *st, const lg_participant_info *p, uint64_t index)
{
    lg_participant_row prow = {index, p->roles};
    int rc;

    if ((rc = st->put_participant(st->payload, p->participant_id, &prow)) < 0)
        return rc;
    for (size_t i = 0; i < p->n_keys; i++) {
        lg_key_row row;
        uint8_t id[32];

        lg_sha256(id, p->keys[i], 32);
        rc = st->get_key(st->payload, id, &row);
        if (rc == 0)
            continue; /* already registered to this participant (checked) */
        if (rc != LEDGER_ENOTFOUND)
            return rc;
        memset(&row, 0, sizeof row);
        snprintf(row.participant_id, sizeof row.participant_id, "%s", p->participant_id);
        memcpy(row.public_key, p->keys[i], 32);
        row.added_at = index;
        if ((rc = st->put_key(st->payload, id, &row)) < 0)
            return rc;
    }
    return 0;
}

/*
 * Mark `rid` superseded (which = 0) or retracted (1) by entry `index`.
 * An accepted record never names a missing, already superseded or already
 * retracted target; a forged one may (lg_ledger_forge appends without the
 * check). Such a target keeps its first mark and a dangling reference gets
 * no row, so the index stays what the valid entries imply and verify,
 * replaying the check, names the forged entry rather than the earlier
 * valid one whose mark would otherwise have been overwritten.
 */
static int
mark(const lg_policy_state *st, const char *rid, int which, uint64_t index)
{
    lg_record_row row;
    int rc = st->get_record(st->payload, rid, &row);

    if (rc == LEDGER_ENOTFOUND || (rc == 0 && row.index >= index))
        return 0;
    if (rc < 0)
        return rc;
    if (which == LG_MARK_SUPERSEDED  ? superseded(&row, index)
        : which == LG_MARK_RETRACTED ? retracted(&row, index)
                                     : row.curated_by != 0 && row.curated_by < index)
        return 0;
    return st->mark_record(st->payload, rid, which, index);
}

/* Index rows: the record itself, the record it supersedes or retracts,
 * and one refs row per referenced record (duplicates collapse). */
static int
apply_rows(const lg_policy_state *st, const lg_record *r, const uint8_t digest[32], uint64_t index)
{
    lg_record_row row;
    lg_ref refs[LG_MAX_REFS];
    const char *target;
    size_t n;
    int rc;

    memset(&row, 0, sizeof row);
    row.index = index;
    row.type = lg_record_type_of(r);
    snprintf(row.author, sizeof row.author, "%s", lg_record_author(r));
    if ((rc = st->put_record(st->payload, lg_record_id(r), &row, digest)) < 0)
        return rc;
    if (*lg_record_supersedes(r) != '\0' &&
        (rc = mark(st, lg_record_supersedes(r), LG_MARK_SUPERSEDED, index)) < 0)
        return rc;
    target = lg_record_retraction_target(r);
    if (target != NULL && *target != '\0' && (rc = mark(st, target, LG_MARK_RETRACTED, index)) < 0)
        return rc;
    if (row.type == LG_REC_CURATION && *lg_record_supersedes(r) == '\0') {
        lg_curation_info ci;
        if ((rc = lg_record_curation(&ci, r)) < 0 ||
            (rc = mark(st, ci.target_ref, LG_MARK_CURATED, index)) < 0)
            return rc;
    }
    if ((rc = lg_record_refs(refs, LG_MAX_REFS, &n, r)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        lg_record_row t;
        int seen = 0;

        if (refs[i].types & LG_REF_PARTICIPANT)
            continue;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(refs[j].id, refs[i].id) == 0;
        if (seen)
            continue;
        rc = st->get_record(st->payload, refs[i].id, &t);
        if (rc == LEDGER_ENOTFOUND || (rc == 0 && t.index >= index))
            continue; /* a forged entry's dangling reference (see mark) */
        if (rc < 0 || (rc = st->add_ref(st->payload, t.index, index)) < 0)
            return rc;
    }
    return 0;
}

int
lg_policy_apply(const lg_policy_state *st, const lg_record *r, const uint8_t digest[32],
                uint64_t index)
{
    lg_participant_info p;
    int rc;

    if ((rc = apply_rows(st, r, digest, index)) < 0)
        return rc;
    switch (lg_record_type_of(r)) {
    case LG_REC_LEDGER_POLICY: {
        lg_policy_info pol;
        if ((rc = lg_record_policy(&pol, r)) < 0)
            return rc;
        for (size_t i = 0; i < pol.n_admins; i++) {
            if ((rc = lg_record_participant(&p, r, (int)i)) < 0 ||
                (rc = register_participant(st, &p, index)) < 0)
                return rc;
        }
        return 0;
    }
    case LG_REC_PARTICIPANT:
        if ((rc = lg_record_participant(&p, r, -1)) < 0)
            return rc;
        if (*lg_record_supersedes(r) != '\0' && (rc = retire_dropped_keys(st, &p, index)) < 0)
            return rc;
        return register_participant(st, &p, index);
    case LG_REC_KEY_REVOCATION: {
        const char *pid;
        const uint8_t *kid;
        lg_key_row row;

        if ((rc = lg_record_revocation(&pid, &kid, r)) < 0 ||
            (rc = st->get_key(st->payload, kid, &row)) < 0)
            return rc;
        row.revoked_at = index;
        return st->put_key(st->payload, kid, &row);
    }
    case LG_REC_ACTOR:
    case LG_REC_INCIDENT_REPORT:
    case LG_REC_EVIDENCE:
    case LG_REC_ATTRIBUTION_CLAIM:
    case LG_REC_OPINION:
    case LG_REC_RETRACTION:
    case LG_REC_FINDING:
    case LG_REC_PANEL_VOTE:
    case LG_REC_INSTRUMENT:
    case LG_REC_NORM:
    case LG_REC_COMMITMENT:
    case LG_REC_CURATION:
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    return 0;
}

typedef struct {
    int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row);
    void *ctx;
} map_keys;

static int
map_key(void *ctx, const void *key, size_t klen, void *val)
{
    map_keys *m = ctx;

    (void)klen;
    return m->fn(m->ctx, key, val);
}

int
lg_policy_map_each_key(const lg_map *keys,
                       int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row),
                       void *ctx)
{
    map_keys m = {fn, ctx};

    return lg_map_each(keys, map_key, &m);
}

/* ---- the body's curation of an actor or incident key ---- */

/*
 * The owner of a curated key as of entry `now`: the author of the record
 * that introduced it (row `krow`), replaced by each curation in its chain
 * (first at krow->curated_by, each later one superseding the one before)
 * that names a new_owner. NOT_IN_EXCERPT when a curation is not at hand.
 */
static int
curated_owner(char *owner, size_t cap, const lg_policy_state *st, const lg_record_row *krow,
              uint64_t now)
{
    uint64_t at = krow->curated_by;
    int rc;

    snprintf(owner, cap, "%s", krow->author);
    for (uint64_t hops = 0; at != 0 && at < now; hops++) {
        lg_record *cur = NULL;
        lg_curation_info ci;
        lg_record_row row;
        uint8_t d[32];
        char rid[LEDGER_ID_MAX + 1];

        if (hops > 1000000)
            return lg_error_set(LEDGER_ECORRUPT, "a curation chain does not end");
        if ((rc = st->load_record(st->payload, at, &cur, d)) < 0)
            return st->partial && rc == LEDGER_ENOTFOUND ? NOT_IN_EXCERPT : rc;
        if ((rc = lg_record_curation(&ci, cur)) == 0 && *ci.new_owner != '\0')
            snprintf(owner, cap, "%s", ci.new_owner);
        snprintf(rid, sizeof rid, "%s", lg_record_id(cur));
        lg_record_free(cur);
        if (rc < 0 || (rc = st->get_record(st->payload, rid, &row)) < 0)
            return rc;
        at = superseded(&row, now) ? row.superseded_by : 0;
    }
    return 0;
}

/*
 * Who decides about version `rid` (row `row`, an actor or incident report)
 * as of entry `now`: KEY_OWNER_DECIDES with the owner in `owner` when it is a version of
 * the chain that introduced a key the body has curated; 0 when the key was
 * never curated or `rid` belongs to another member's report (its author
 * decides); NOT_IN_EXCERPT when an excerpt lacks a record on the way. Walks
 * the chain back to its first version only for a curated key, so uncurated
 * revisions cost one load.
 */
static int
chain_owner(char *owner, size_t cap, const lg_policy_state *st, const char *rid,
            const lg_record_row *row, uint64_t now)
{
    char key[LEDGER_ID_MAX + 1], root[LEDGER_ID_MAX + 1];
    lg_record_row krow, rrow = *row;
    lg_record *rec = NULL;
    uint8_t d[32];
    int rc;

    if ((rc = st->load_record(st->payload, row->index, &rec, d)) < 0)
        return st->partial && rc == LEDGER_ENOTFOUND ? NOT_IN_EXCERPT : rc;
    snprintf(key, sizeof key, "%s", lg_record_key(rec) ? lg_record_key(rec) : "");
    lg_record_free(rec);
    if (*key != '\0') {
        rc = st->get_record(st->payload, key, &krow);
        if (rc == LEDGER_ENOTFOUND)
            return st->partial ? NOT_IN_EXCERPT : 0;
        if (rc < 0)
            return rc;
        if (krow.curated_by == 0 || krow.curated_by >= now)
            return 0;
    }
    snprintf(root, sizeof root, "%s", rid);
    for (uint64_t hops = 0;; hops++) {
        const char *sup;

        if (hops > 1000000)
            return lg_error_set(LEDGER_ECORRUPT, "the chain of %.100s does not end", rid);
        if ((rc = st->load_record(st->payload, rrow.index, &rec, d)) < 0)
            return st->partial && rc == LEDGER_ENOTFOUND ? NOT_IN_EXCERPT : rc;
        sup = lg_record_supersedes(rec);
        if (*sup == '\0') {
            lg_record_free(rec);
            break;
        }
        snprintf(root, sizeof root, "%s", sup);
        lg_record_free(rec);
        rc = st->get_record(st->payload, root, &rrow);
        if (rc == LEDGER_ENOTFOUND && st->partial)
            return NOT_IN_EXCERPT;
        if (rc < 0)
            return rc;
    }
    if (*key != '\0' && strcmp(root, key) != 0)
        return 0; /* another member's report about the key */
    if (rrow.curated_by == 0 || rrow.curated_by >= now)
        return 0;
    rc = curated_owner(owner, cap, st, &rrow, now);
    return rc == 0 ? KEY_OWNER_DECIDES : rc;
}

/*
 * A curation: signed by an ADMIN (the role check); names in target_ref the
 * record that introduced an actor_id or incident_key (that is, the key);
 * gives a reason and changes something (a new owner, the name or the
 * description). The first curation of a key supersedes nothing; each later
 * one supersedes the latest curation of the same key, so a key's curations
 * form one chain that every reader replays in order. A new owner is a
 * registered MEMBER or CURATOR other than the current owner.
 */
static int
check_curation(const lg_policy_state *st, const lg_record *r, uint64_t now)
{
    const char *rid = lg_record_id(r), *sup = lg_record_supersedes(r);
    char owner[LEDGER_ID_MAX + 1];
    lg_curation_info ci;
    lg_record_row trow;
    lg_record *t = NULL;
    uint8_t d[32];
    int rc;

    if ((rc = lg_record_curation(&ci, r)) < 0)
        return rc;
    if (*ci.reason == '\0')
        return lg_error_set(LEDGER_EPOLICY, "record %s: curation.reason is missing", rid);
    if (*ci.new_owner == '\0' && ci.name == NULL && ci.description == NULL)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a curation sets new_owner, name or description", rid);
    if ((rc = find_record(&trow, st, ci.target_ref, now, rid, "curation.target_ref")) != 0)
        return rc < 0 ? rc : 0;
    if ((rc = st->load_record(st->payload, trow.index, &t, d)) < 0)
        return st->partial && rc == LEDGER_ENOTFOUND ? 0 : rc;
    {
        const char *key = lg_record_key(t);
        int intro = *lg_record_supersedes(t) == '\0' && key != NULL &&
                    (*key == '\0' || strcmp(key, ci.target_ref) == 0);
        lg_record_free(t);
        if (!intro)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: curation.target_ref names %.100s, which is not the "
                                "record that introduced an actor_id or incident_key (name the "
                                "key itself)",
                                rid, ci.target_ref);
    }
    if (*sup == '\0' && trow.curated_by != 0 && trow.curated_by < now)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: %.100s was curated at entry %llu; a new curation "
                            "supersedes the latest curation of that key",
                            rid, ci.target_ref, (unsigned long long)trow.curated_by);
    if (*sup != '\0') {
        lg_record_row srow;
        lg_curation_info prev;
        int same;

        if ((rc = find_record(&srow, st, sup, now, rid, "header.supersedes")) != 0)
            return rc < 0 ? rc : 0;
        if ((rc = st->load_record(st->payload, srow.index, &t, d)) < 0)
            return st->partial && rc == LEDGER_ENOTFOUND ? 0 : rc;
        rc = lg_record_curation(&prev, t);
        same = rc == 0 && strcmp(prev.target_ref, ci.target_ref) == 0;
        lg_record_free(t);
        if (rc < 0)
            return rc;
        if (!same)
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: it curates %.100s but supersedes a curation of "
                                "another key",
                                rid, ci.target_ref);
    }
    if (*ci.new_owner != '\0') {
        lg_participant_row prow;

        if ((rc = st->get_participant(st->payload, ci.new_owner, &prow)) < 0)
            return rc; /* registration checked with the references */
        if (!(prow.roles & (LG_ROLE_MEMBER | LG_ROLE_CURATOR)))
            return lg_error_set(LEDGER_EPOLICY,
                                "record %s: new owner %.100s is not a MEMBER or CURATOR", rid,
                                ci.new_owner);
        if ((rc = curated_owner(owner, sizeof owner, st, &trow, now)) < 0)
            return rc;
        if (rc == 0 && strcmp(owner, ci.new_owner) == 0)
            return lg_error_set(LEDGER_EPOLICY, "record %s: %.100s already owns %.100s", rid,
                                ci.new_owner, ci.target_ref);
    }
    return 0;
}
