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
 *     A key_revocation may also be signed by the revoked key's owner itself.
 *   - A participant id is registered once; a new version must name the
 *     previous one in header.supersedes. A key belongs to one participant.
 *
 * Revocation takes effect at the revoking entry: records appended before it
 * stay valid, later ones signed only by the revoked key are rejected. The
 * same replay happens in `verify`, so history is judged by the state at the
 * time of each entry.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "error.h"

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
    if (type == LG_REC_LEDGER_POLICY)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: a ledger_policy is only allowed as entry 0 (genesis)",
                            lg_record_id(r));
    if (type == LG_REC_PARTICIPANT) {
        if ((rc = lg_record_participant(&newp, r, -1)) < 0)
            return rc;
        have_newp = 1;
    }
    for (size_t i = 0; i < n_sigs; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(sigs[i].key_id, sigs[j].key_id, 32) == 0)
                return lg_error_set(LEDGER_EPOLICY, "record %s: key signed twice",
                                    lg_record_id(r));

    /* Resolve every signature's key. */
    for (size_t i = 0; i < n_sigs; i++) {
        lg_key_row row;
        char h[9];
        int slot;

        hex8(h, sigs[i].key_id);
        rc = st->get_key(st->payload, sigs[i].key_id, &row);
        if (rc == 0) {
            if (row.revoked_at != 0)
                return lg_error_set(LEDGER_EPOLICY,
                                    "record %s: signature %zu is by key %s of %s, revoked at "
                                    "entry %llu",
                                    lg_record_id(r), i, h, row.participant_id,
                                    (unsigned long long)row.revoked_at);
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
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: signature %zu is by unknown key %s (not registered in "
                            "this ledger)",
                            lg_record_id(r), i, h);
    }
    keys->n = n_sigs;

    /* The author must exist, have signed, and hold a role for this type. */
    rc = st->get_participant(st->payload, author, &arow);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_EPOLICY, "record %s: author %s is not a registered participant",
                            lg_record_id(r), author);
    if (rc < 0)
        return rc;
    if (!author_signed)
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: no signature by an active key of its author %s",
                            lg_record_id(r), author);
    need = lg_policy_roles_for(type, lg_record_provenance(r));
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
        if (strcmp(pid, author) == 0)
            return 0; /* a participant may always revoke its own key */
    }
    if ((arow.roles & need) == 0) {
        roles_text(need_text, sizeof need_text, need);
        return lg_error_set(LEDGER_EPOLICY,
                            "record %s: author %s lacks the %s role needed for %s%s",
                            lg_record_id(r), author, need_text, lg_record_type_name(type),
                            lg_record_provenance(r) == LG_PROVENANCE_TRANSCRIBED
                                ? " (transcribed)"
                                : "");
    }
    if (have_newp)
        return check_participant_record(st, r, &newp, sigs, n_sigs);
    return 0;
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

int
lg_policy_apply(const lg_policy_state *st, const lg_record *r, const lg_sig *sigs, size_t n_sigs,
                uint64_t index)
{
    lg_participant_info p;
    int rc;

    (void)sigs;
    (void)n_sigs;
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
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    return 0;
}
