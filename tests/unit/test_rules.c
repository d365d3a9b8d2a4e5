/*
 * test_rules.c - the rules the ledger enforces (issue 3, policy.c), each
 * shown three ways:
 *   1. the accepted case at submit time;
 *   2. the rejected case at submit time: the exact code (LEDGER_EPOLICY or
 *      LEDGER_EEXISTS), a one-line message naming the record and the rule,
 *      and an unchanged ledger;
 *   3. the same forbidden record appended behind the policy's back with
 *      lg_ledger_forge (an insider holding the log key): verify must then
 *      fail with LEDGER_ECORRUPT at exactly that entry, naming the rule.
 * Then the quorum rule of findings, read back through
 * ledger_view_incident(..., json = 1): exactly k approvals, k-1, votes by
 * non-panelists, recusals, replaced and duplicate votes, group constraints,
 * stale digests and retraction.
 *
 * The cast and base records are described in tests/support/rulefix.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "core/ledger_int.h"
#include "rulefix.h"
#include "testutil.h"

#define K(p) (f->key[(p)])

static int
setup(void **state)
{
    *state = rf_new(1);
    return 0;
}

static int
teardown(void **state)
{
    rf_free(*state);
    return 0;
}

static const char *const MEMBER = "\"PARTICIPANT_ROLE_MEMBER\"";

/* ---- membership ---- */

static void
rules_registration_needs_admin_and_new_key(void **state)
{
    rf_ledger *f = *state;
    ledger_key *k = NULL, *k2 = NULL;
    uint8_t seed[32];
    const char *reg;

    memset(seed, 0x77, 32);
    TU_OK(ledger_key_from_seed(&k, "p:new", seed));
    memset(seed, 0x78, 32);
    TU_OK(ledger_key_from_seed(&k2, "p:new2", seed));
    reg = rf_participant("reg:p:new", P_ADMIN, NULL, "p:new", MEMBER, k, NULL, NULL);
    /* The new key alone: no admin signed. */
    rf_rejected(f, LEDGER_EPOLICY, "no signature by an active key of its author p:admin", reg, k,
                NULL);
    /* The admin alone: no proof of possession. */
    rf_rejected(f, LEDGER_EPOLICY, "new key", reg, K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "must sign the record (proof of possession)", reg, K(P_ADMIN),
                NULL);
    /* A member cannot register anyone, even with the new key's signature. */
    rf_rejected(f, LEDGER_EPOLICY, "author p:m1 lacks the ADMIN role needed for participant",
                rf_participant("reg:p:new", P_M1, NULL, "p:new", MEMBER, k, NULL, NULL), K(P_M1),
                k);
    /* A key registered to someone else cannot be claimed. */
    rf_rejected(f, LEDGER_EPOLICY, "already belongs to participant p:m1",
                rf_participant("reg:p:new", P_ADMIN, NULL, "p:new", MEMBER, K(P_M1), NULL, NULL),
                K(P_ADMIN), NULL);
    /* Both signatures: registered, and the new key signs for p:new. */
    rf_ok(f, reg, K(P_ADMIN), k);
    rf_ok(f, rf_incident("inc:new", P_M1, NULL), K(P_M1), NULL);
    rf_ok(f,
          rf_json("{%s, \"opinion\": {\"target_refs\": [\"inc:new\"],"
                  " \"kind\": \"OPINION_KIND_COMMENT\"}}",
                  rf_json("\"header\": {\"record_id\": \"op:new\", \"author\": \"p:new\","
                          " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}")),
          k, NULL);
    rf_forged(f, "must sign the record (proof of possession)",
              rf_participant("reg:p:new2", P_ADMIN, NULL, "p:new2", MEMBER, k2, NULL, NULL),
              K(P_ADMIN), NULL);
    ledger_key_free(k);
    ledger_key_free(k2);
}

static void
rules_revocation_by_admin_or_by_the_key_itself(void **state)
{
    rf_ledger *f = *state;

    /* Someone else's key, without the ADMIN role. */
    rf_rejected(f, LEDGER_EPOLICY, "author p:m1 lacks the ADMIN role needed for key_revocation",
                rf_revocation("rev:x", P_M1, "p:m2", K(P_M2)), K(P_M1), NULL);
    /* The key must belong to the participant named. */
    rf_rejected(f, LEDGER_EPOLICY, "key to revoke is not a key of p:m2",
                rf_revocation("rev:x", P_ADMIN, "p:m2", K(P_M1)), K(P_ADMIN), NULL);
    /* By an admin. */
    rf_ok(f, rf_revocation("rev:m1", P_ADMIN, "p:m1", K(P_M1)), K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "key is already revoked",
                rf_revocation("rev:m1-again", P_ADMIN, "p:m1", K(P_M1)), K(P_ADMIN), NULL);
    /* By the key itself (its participant, without the ADMIN role). */
    rf_ok(f, rf_revocation("rev:m2", P_M2, "p:m2", K(P_M2)), K(P_M2), NULL);
    rf_verify_ok(f);
    rf_forged(f, "author p:pan2 lacks the ADMIN role needed for key_revocation",
              rf_revocation("rev:pan1", P_PAN2, "p:pan1", K(P_PAN1)), K(P_PAN2), NULL);
}

static void
rules_revoked_key_cannot_sign_after_revocation(void **state)
{
    rf_ledger *f = *state;
    uint64_t before, rev;
    char rule[64];

    before = rf_ok(f, rf_claim("clm:before", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rev = rf_ok(f, rf_revocation("rev:m1", P_ADMIN, "p:m1", K(P_M1)), K(P_ADMIN), NULL);
    assert_true(rev > before);
    snprintf(rule, sizeof rule, "of p:m1, revoked at entry %llu", (unsigned long long)rev);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_claim("clm:after", P_M1, NULL, 0, "p:m1", NULL),
                K(P_M1), NULL);
    /* Records signed before the revocation stay valid. */
    rf_verify_ok(f);
    assert_int_equal(rf_index(f, "clm:before"), before);
    rf_forged(f, rule, rf_claim("clm:after", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
}

static void
rules_rotation_is_a_new_participant_version(void **state)
{
    rf_ledger *f = *state;
    ledger_key *k2 = NULL, *k3 = NULL;
    uint8_t seed[32];

    memset(seed, 0x81, 32);
    TU_OK(ledger_key_from_seed(&k2, "p:m1", seed));
    memset(seed, 0x82, 32);
    TU_OK(ledger_key_from_seed(&k3, "p:m1", seed));
    /* A second registration without supersedes. */
    rf_rejected(f, LEDGER_EPOLICY,
                "participant p:m1 is already registered; a new version must set header.supersedes",
                rf_participant("reg:p:m1@again", P_ADMIN, NULL, "p:m1", MEMBER, k3, NULL, NULL),
                K(P_ADMIN), k3);
    /* A version that supersedes another participant's record. */
    rf_rejected(
        f, LEDGER_EPOLICY, "registers p:m1 but supersedes the record of p:m2",
        rf_participant("reg:p:m1@v2", P_ADMIN, "reg:p:m2", "p:m1", MEMBER, K(P_M1), k2, NULL),
        K(P_ADMIN), k2);
    /* Rotation: version 2 adds k2 (which proves possession). */
    rf_ok(f, rf_participant("reg:p:m1@v2", P_ADMIN, "reg:p:m1", "p:m1", MEMBER, K(P_M1), k2, NULL),
          K(P_ADMIN), k2);
    rf_ok(f, rf_claim("clm:k2", P_M1, NULL, 0, "p:m1", NULL), k2, NULL);
    /* The old key keeps working until revoked, by the participant itself. */
    rf_ok(f, rf_claim("clm:k1", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f, rf_revocation("rev:k1", P_M1, "p:m1", K(P_M1)), k2, NULL);
    rf_rejected(f, LEDGER_EPOLICY, "revoked at entry",
                rf_claim("clm:k1-late", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f, rf_claim("clm:k2-late", P_M1, NULL, 0, "p:m1", NULL), k2, NULL);
    /* Versions chain: the first version is stale now. */
    rf_rejected(f, LEDGER_EPOLICY, "reg:p:m1 is not the latest version",
                rf_participant("reg:p:m1@v3", P_ADMIN, "reg:p:m1", "p:m1", MEMBER, k2, k3, NULL),
                K(P_ADMIN), k3);
    rf_forged(f, "participant p:m1 is already registered",
              rf_participant("reg:p:m1@again", P_ADMIN, NULL, "p:m1", MEMBER, k3, NULL, NULL),
              K(P_ADMIN), k3);
    ledger_key_free(k2);
    ledger_key_free(k3);
}

/* ---- roles ---- */

typedef struct {
    int author;
    const char *rule;
} role_case;

static const role_case role_cases[] = {
    {P_PAN1, "author p:pan1 lacks the MEMBER role needed for incident_report"},
    {P_PAN1, "author p:pan1 lacks the MEMBER role needed for evidence"},
    {P_PAN1, "author p:pan1 lacks the MEMBER role needed for attribution_claim"},
    {P_PAN1, "author p:pan1 lacks the MEMBER role needed for opinion"},
    {P_BODY, "author p:body lacks the MEMBER role needed for actor"},
    {P_CUR, "author p:cur lacks the MEMBER role needed for attribution_claim"},
    {P_M1, "author p:m1 lacks the CURATOR role needed for attribution_claim (transcribed)"},
    {P_M1, "author p:m1 lacks the BODY role needed for finding"},
    {P_M1, "author p:m1 lacks the PANELIST role needed for panel_vote"},
    {P_M1, "author p:m1 lacks the ADMIN role needed for participant"},
    {P_M1, "author p:m1 lacks the ADMIN role needed for ledger_policy"},
};

#define N_ROLE_CASES (sizeof role_cases / sizeof role_cases[0])

/* The forbidden record of role case i, and its signers. */
static const char *
role_case_record(rf_ledger *f, size_t i, ledger_key *newkey, const ledger_key **k2)
{
    int a = role_cases[i].author;

    *k2 = NULL;
    switch (i) {
    case 0:
        return rf_incident("inc:x", a, NULL);
    case 1:
        return rf_evidence("ev:x", a, "inc:a");
    case 2:
        return rf_claim("clm:x", a, NULL, 0, rf_id[a], NULL);
    case 3:
        return rf_opinion("op:x", a, "clm:a", "DISPUTE", 0);
    case 4:
        return rf_actor("act:x", a);
    case 5:
        return rf_claim("clm:x", a, NULL, 0, rf_id[a], NULL);
    case 6:
        return rf_claim("clm:x", a, NULL, 1, "p:m2", NULL);
    case 7:
        return rf_finding("fnd:x", a, NULL, "inc:a", RF_PANEL, NULL);
    case 8:
        return rf_vote_on(f, "vote:x", a, "fnd:a", "VOTE_APPROVE");
    case 9:
        *k2 = newkey;
        return rf_participant("reg:p:x", a, NULL, "p:x", MEMBER, newkey, NULL, NULL);
    default:
        return rf_policy(f, "pol:x", a, "genesis", "\"panel_size\": 5, \"approvals_required\": 5");
    }
}

static void
rules_roles_gate_record_types(void **state)
{
    rf_ledger *f = *state;
    ledger_key *newkey = NULL;
    uint8_t seed[32];

    memset(seed, 0x99, 32);
    TU_OK(ledger_key_from_seed(&newkey, "p:x", seed));
    /* Accepted: each type by a role that allows it. */
    rf_ok(f, rf_incident("inc:ok", P_M1, NULL), K(P_M1), NULL);
    rf_ok(f, rf_evidence("ev:ok", P_M1, "inc:ok"), K(P_M1), NULL);
    rf_ok(f, rf_claim("clm:ok", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f, rf_opinion("op:ok", P_M2, "clm:ok", "DISPUTE", 0), K(P_M2), NULL);
    rf_ok(f, rf_claim("clm:tr", P_CUR, NULL, 1, "p:m2", NULL), K(P_CUR), NULL);
    rf_ok(f, rf_finding("fnd:ok", P_BODY, NULL, "inc:ok", RF_PANEL, NULL), K(P_BODY), NULL);
    rf_ok(f, rf_vote_on(f, "vote:ok", P_PAN1, "fnd:ok", "VOTE_APPROVE"), K(P_PAN1), NULL);
    rf_ok(f, rf_participant("reg:p:ok", P_ADMIN, NULL, "p:ok", MEMBER, newkey, NULL, NULL),
          K(P_ADMIN), newkey);
    rf_ok(
        f,
        rf_policy(f, "pol:ok", P_ADMIN, "genesis", "\"panel_size\": 5, \"approvals_required\": 5"),
        K(P_ADMIN), NULL);
    ledger_key_free(newkey);
    rf_verify_ok(f);

    /* Rejected at submit, and by verify when forged (a fresh ledger each). */
    for (size_t i = 0; i < N_ROLE_CASES; i++) {
        rf_ledger *g = rf_new(1);
        const ledger_key *k2;
        const char *json;

        memset(seed, 0x98, 32);
        TU_OK(ledger_key_from_seed(&newkey, "p:x", seed));
        json = role_case_record(g, i, newkey, &k2);
        rf_rejected(g, LEDGER_EPOLICY, role_cases[i].rule, json, g->key[role_cases[i].author], k2);
        rf_forged(g, role_cases[i].rule, json, g->key[role_cases[i].author], k2);
        ledger_key_free(newkey);
        rf_free(g);
    }
}

static void
rules_ledger_policy_update_keeps_identity(void **state)
{
    rf_ledger *f = *state;
    const char *rule = "\"panel_size\": 5, \"approvals_required\": 5";

    rf_rejected(f, LEDGER_EPOLICY, "a new ledger_policy must supersede the current one",
                rf_policy(f, "pol:1", P_ADMIN, NULL, rule), K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "keeps the origin and log key",
                rf_json("{%s, \"ledger_policy\": {\"origin\": \"other.example/ledger\","
                        " \"log_public_key\": \"%s\", \"decision_rule\": {%s}}}",
                        rf_hdr("pol:1", P_ADMIN, "genesis", 0),
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", rule),
                K(P_ADMIN), NULL);
    rf_ok(f, rf_policy(f, "pol:1", P_ADMIN, "genesis", rule), K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "genesis is not the latest version",
                rf_policy(f, "pol:2", P_ADMIN, "genesis", rule), K(P_ADMIN), NULL);
    rf_forged(f, "genesis is not the latest version",
              rf_policy(f, "pol:2", P_ADMIN, "genesis", rule), K(P_ADMIN), NULL);
}

/* ---- references ---- */

static void
rules_references_resolve_to_records_of_the_right_type(void **state)
{
    rf_ledger *f = *state;
    const char *claim = "\"incident_refs\": [%s], \"attributed_to\": \"%s\","
                        " \"evidence_refs\": [%s]";

    /* Accepted: every reference names an earlier record of an allowed type. */
    rf_ok(
        f,
        rf_claim("clm:ok", P_M1, NULL, 0, "p:m1", rf_json(claim, "\"inc:a\"", "act:a", "\"ev:a\"")),
        K(P_M1), NULL);
    rf_ok(f, rf_opinion("op:ok", P_M2, "clm:ok", "DISPUTE", 0), K(P_M2), NULL);
    /* Missing. */
    rf_rejected(f, LEDGER_EPOLICY,
                "attribution_claim.incident_refs[0] names inc:nope, which is not in the ledger",
                rf_claim("clm:x", P_M1, NULL, 0, "p:m1",
                         rf_json(claim, "\"inc:nope\"", "act:a", "\"ev:a\"")),
                K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "attribution_claim.attributed_to names act:nope, which is not",
                rf_claim("clm:x", P_M1, NULL, 0, "p:m1",
                         rf_json(claim, "\"inc:a\"", "act:nope", "\"ev:a\"")),
                K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "attribution_claim.claimant names p:ghost, which is not a registered participant",
                rf_claim("clm:x", P_CUR, NULL, 1, "p:ghost", NULL), K(P_CUR), NULL);
    /* Wrong type. */
    rf_rejected(f, LEDGER_EPOLICY,
                "attribution_claim.incident_refs[1] names act:a, a actor, but must name a "
                "incident_report",
                rf_claim("clm:x", P_M1, NULL, 0, "p:m1",
                         rf_json(claim, "\"inc:a\", \"act:a\"", "act:a", "\"ev:a\"")),
                K(P_M1), NULL);
    rf_rejected(
        f, LEDGER_EPOLICY,
        "attribution_claim.attributed_to names inc:a, a incident_report, but must name a "
        "actor",
        rf_claim("clm:x", P_M1, NULL, 0, "p:m1", rf_json(claim, "\"inc:a\"", "inc:a", "\"ev:a\"")),
        K(P_M1), NULL);
    rf_rejected(
        f, LEDGER_EPOLICY,
        "attribution_claim.evidence_refs[0] names clm:a, a attribution_claim, but must "
        "name a evidence",
        rf_claim("clm:x", P_M1, NULL, 0, "p:m1", rf_json(claim, "\"inc:a\"", "act:a", "\"clm:a\"")),
        K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "evidence.incident_refs[0] names ev:a, a evidence",
                rf_evidence("ev:x", P_M1, "ev:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "opinion.target_refs[0] names act:a, a actor, but must name",
                rf_opinion("op:x", P_M2, "act:a", "DISPUTE", 0), K(P_M2), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "panel_vote.finding_ref names clm:a, a attribution_claim, but must name a finding",
                rf_vote_on(f, "vote:x", P_PAN1, "clm:a", "VOTE_APPROVE"), K(P_PAN1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "retraction.target_ref names reg:p:m1, a participant",
                rf_retraction("ret:x", P_M1, "reg:p:m1"), K(P_M1), NULL);
    /* A reference to a record later in the same batch is not yet in the ledger. */
    {
        ledger_envelope *envs[2];
        ledger_receipt r[2];
        uint64_t size = rf_size(f);

        envs[0] = rf_env(rf_evidence("ev:early", P_M1, "inc:later"), K(P_M1), NULL);
        envs[1] = rf_env(rf_incident("inc:later", P_M1, NULL), K(P_M1), NULL);
        TU_CHECK(ledger_log_submit(r, f->log, envs, 2), LEDGER_EPOLICY);
        assert_non_null(strstr(ledger_error_last()->message, "names inc:later, which is not"));
        assert_int_equal(rf_size(f), size);
        ledger_envelope_free(envs[0]);
        ledger_envelope_free(envs[1]);
    }
    rf_forged(
        f, "attributed_to names inc:a, a incident_report, but must name a actor",
        rf_claim("clm:x", P_M1, NULL, 0, "p:m1", rf_json(claim, "\"inc:a\"", "inc:a", "\"ev:a\"")),
        K(P_M1), NULL);
}

/* Every reference field of codec_record.c, with a target of the right
 * type (accepted) and of a wrong type (rejected, naming the field). */
typedef struct {
    int author;
    const char *body; /* printf: the record's body, one %s for the reference */
    const char *good, *bad;
    const char *rule;
} ref_case;

#define CLAIM_WITH(extra)                                                                          \
    "\"attribution_claim\": {\"claimant\": \"p:m1\", \"incident_refs\": [\"inc:a\"],"              \
    " \"attributed_to\": \"act:a\", " extra "}"
#define FINDING_WITH(extra)                                                                        \
    "\"finding\": {\"incident_refs\": [\"inc:a\"], \"panel_members\": [" RF_PANEL "], " extra "}"

static const ref_case ref_cases[] = {
    {P_M1, "\"actor\": {\"parent_actor\": \"%s\"}", "act:a", "inc:a",
     "actor.parent_actor names inc:a, a incident_report, but must name a actor"},
    {P_M1, "\"actor\": {\"related_actors\": [\"%s\"]}", "act:a", "inc:a",
     "actor.related_actors[0] names inc:a, a incident_report"},
    {P_M1, "\"incident_report\": {\"related_incidents\": [\"%s\"]}", "inc:a", "act:a",
     "incident_report.related_incidents[0] names act:a, a actor"},
    {P_M1, "\"incident_report\": {\"evidence_refs\": [\"%s\"]}", "ev:a", "act:a",
     "incident_report.evidence_refs[0] names act:a, a actor, but must name a evidence"},
    {P_M1, "\"incident_report\": {\"victims\": [{\"identity_ref\": \"%s\"}]}", "p:m2", "act:a",
     "incident_report.victims.identity_ref[0] names act:a, which is not a registered participant"},
    {P_M1, "\"evidence\": {\"incident_refs\": [\"%s\"]}", "inc:a", "act:a",
     "evidence.incident_refs[0] names act:a, a actor, but must name a incident_report"},
    {P_M1,
     "\"evidence\": {\"incident_refs\": [\"inc:a\"], \"hypothesis_relevance\": [{\"actor_ref\": "
     "\"%s\"}]}",
     "act:a", "inc:a", "evidence.hypothesis_relevance.actor_ref[0] names inc:a"},
    {P_CUR,
     "\"attribution_claim\": {\"claimant\": \"%s\", \"incident_refs\": [\"inc:a\"],"
     " \"attributed_to\": \"act:a\"}",
     "p:m2", "act:a", "attribution_claim.claimant names act:a, which is not a registered"},
    {P_M1, CLAIM_WITH("\"state_nexus\": \"%s\""), "act:b", "inc:a",
     "attribution_claim.state_nexus names inc:a, a incident_report, but must name a actor"},
    {P_M1, CLAIM_WITH("\"host_state\": \"%s\""), "act:b", "inc:a",
     "attribution_claim.host_state names inc:a"},
    {P_M1, CLAIM_WITH("\"false_flag_claimed\": {\"impersonated_actor\": \"%s\"}"), "act:b", "inc:a",
     "attribution_claim.false_flag_claimed.impersonated_actor names inc:a"},
    {P_M1, CLAIM_WITH("\"evidence_refs\": [\"%s\"]"), "ev:a", "act:a",
     "attribution_claim.evidence_refs[0] names act:a, a actor, but must name a evidence"},
    {P_M1, CLAIM_WITH("\"methodology\": {\"alternative_hypotheses\": [{\"actor_ref\": \"%s\"}]}"),
     "act:b", "inc:a", "attribution_claim.methodology.alternative_hypotheses.actor_ref[0] names"},
    {P_M1, CLAIM_WITH("\"related_claims\": [{\"claim_ref\": \"%s\"}]"), "clm:a", "act:a",
     "attribution_claim.related_claims.claim_ref[0] names act:a, a actor, but must name a "
     "attribution_claim"},
    {P_M2, "\"opinion\": {\"target_refs\": [\"%s\"]}", "clm:a", "act:a",
     "opinion.target_refs[0] names act:a, a actor, but must name a incident_report or evidence "
     "or attribution_claim or opinion or finding"},
    {P_M2, "\"opinion\": {\"target_refs\": [\"clm:a\"], \"alternative_attribution\": \"%s\"}",
     "act:b", "inc:a", "opinion.alternative_attribution names inc:a"},
    {P_M2, "\"opinion\": {\"target_refs\": [\"clm:a\"], \"evidence_refs\": [\"%s\"]}", "ev:a",
     "clm:a", "opinion.evidence_refs[0] names clm:a, a attribution_claim"},
    {P_M1, "\"retraction\": {\"target_ref\": \"%s\"}", NULL, "reg:p:m1",
     "retraction.target_ref names reg:p:m1, a participant, but must name"},
    {P_M1, "\"retraction\": {\"target_ref\": \"act:a\", \"replacement_ref\": \"%s\"}", NULL,
     "reg:p:m1", "retraction.replacement_ref names reg:p:m1, a participant"},
    {P_M1, "\"retraction\": {\"target_ref\": \"act:a\", \"evidence_refs\": [\"%s\"]}", NULL,
     "act:b", "retraction.evidence_refs[0] names act:b, a actor"},
    {P_BODY, "\"finding\": {\"incident_refs\": [\"%s\"], \"panel_members\": [" RF_PANEL "]}",
     "inc:a", "act:a",
     "finding.incident_refs[0] names act:a, a actor, but must name a incident_report"},
    {P_BODY, FINDING_WITH("\"conclusions\": [{\"attributed_to\": \"%s\"}]"), "act:a", "inc:a",
     "finding.conclusions.attributed_to[0] names inc:a"},
    {P_BODY,
     FINDING_WITH("\"conclusions\": [{\"attributed_to\": \"act:a\", \"via_actor\": \"%s\"}]"),
     "act:b", "inc:a", "finding.conclusions.via_actor[0] names inc:a"},
    {P_BODY, FINDING_WITH("\"false_flag_findings\": [{\"impersonated_actor\": \"%s\"}]"), "act:b",
     "inc:a", "finding.false_flag_findings.impersonated_actor[0] names inc:a"},
    {P_BODY, FINDING_WITH("\"claims_assessed\": [{\"claim_ref\": \"%s\"}]"), "clm:a", "ev:a",
     "finding.claims_assessed.claim_ref[0] names ev:a, a evidence, but must name a "
     "attribution_claim"},
    {P_BODY, FINDING_WITH("\"opinions_considered\": [\"%s\"]"), NULL, "clm:a",
     "finding.opinions_considered[0] names clm:a, a attribution_claim, but must name a opinion"},
    {P_BODY, FINDING_WITH("\"evidence_relied_upon\": [\"%s\"]"), "ev:a", "clm:a",
     "finding.evidence_relied_upon[0] names clm:a"},
    {P_BODY, FINDING_WITH("\"evidence_discounted\": [{\"evidence_ref\": \"%s\"}]"), "ev:a", "clm:a",
     "finding.evidence_discounted.evidence_ref[0] names clm:a"},
    {P_BODY, FINDING_WITH("\"retractions_noted\": [\"%s\"]"), NULL, "clm:a",
     "finding.retractions_noted[0] names clm:a, a attribution_claim, but must name a retraction"},
    {P_BODY, FINDING_WITH("\"alternative_hypotheses\": [{\"actor_ref\": \"%s\"}]"), "act:b",
     "inc:a", "finding.alternative_hypotheses.actor_ref[0] names inc:a"},
    {P_BODY, FINDING_WITH("\"right_of_reply\": {\"invited\": [\"%s\"]}"), "p:m2", "act:a",
     "finding.right_of_reply.invited[0] names act:a, which is not a registered participant"},
    {P_BODY, FINDING_WITH("\"right_of_reply\": {\"responses\": [\"%s\"]}"), NULL, "clm:a",
     "finding.right_of_reply.responses[0] names clm:a, a attribution_claim, but must name a "
     "opinion"},
    {P_BODY, FINDING_WITH("\"dissent\": [{\"panelist\": \"%s\"}]"), "p:pan2", "p:m1",
     "finding.dissent.panelist[0] names p:m1, who is not a PANELIST"},
    {P_BODY, FINDING_WITH("\"recusals\": [{\"panelist\": \"%s\"}]"), "p:pan3", "p:m1",
     "finding.recusals.panelist[0] names p:m1, who is not a PANELIST"},
    {P_PAN1,
     "\"panel_vote\": {\"finding_ref\": \"%s\", \"finding_digest\": {\"alg\": "
     "\"DIGEST_ALG_SHA256\", \"value\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},"
     " \"vote\": \"VOTE_APPROVE\"}",
     NULL, "clm:a",
     "panel_vote.finding_ref names clm:a, a attribution_claim, but must name a "
     "finding"},
};

static void
rules_every_reference_field_is_typed(void **state)
{
    rf_ledger *f = *state;

    for (size_t i = 0; i < sizeof ref_cases / sizeof ref_cases[0]; i++) {
        const ref_case *c = &ref_cases[i];
        char rid[32];

        if (c->good != NULL) {
            snprintf(rid, sizeof rid, "ok:%zu", i);
            rf_ok(f,
                  rf_json("{%s, %s}", rf_hdr(rid, c->author, NULL, c->author == P_CUR),
                          rf_json(c->body, c->good)),
                  f->key[c->author], NULL);
        }
        snprintf(rid, sizeof rid, "bad:%zu", i);
        rf_rejected(f, LEDGER_EPOLICY, c->rule,
                    rf_json("{%s, %s}", rf_hdr(rid, c->author, NULL, c->author == P_CUR),
                            rf_json(c->body, c->bad)),
                    f->key[c->author], NULL);
    }
    rf_verify_ok(f);
}

static void
rules_forged_reference_to_a_missing_record_fails_verify(void **state)
{
    rf_ledger *f = *state;

    rf_forged(f, "attribution_claim.incident_refs[0] names inc:nope, which is not in the ledger",
              rf_claim("clm:x", P_M1, NULL, 0, "p:m1",
                       "\"incident_refs\": [\"inc:nope\"], \"attributed_to\": \"act:a\""),
              K(P_M1), NULL);
}

/* ---- supersede and retract ---- */

static void
rules_supersede_only_own_latest_unretracted(void **state)
{
    rf_ledger *f = *state;
    uint64_t v2, ret;
    char rule[128];

    v2 = rf_ok(f, rf_incident("inc:a@v2", P_M1, "inc:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "only p:m1, the author of inc:a@v2, may supersede it",
                rf_incident("inc:a@m2", P_M2, "inc:a@v2"), K(P_M2), NULL);
    snprintf(rule, sizeof rule, "inc:a is not the latest version (superseded by entry %llu)",
             (unsigned long long)v2);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_incident("inc:a@v3", P_M1, "inc:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "(attribution_claim) cannot supersede inc:a@v2, a incident_report",
                rf_claim("clm:x", P_M1, "inc:a@v2", 0, "p:m1", NULL), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "header.supersedes names inc:nope, which is not in the ledger",
                rf_incident("inc:x", P_M1, "inc:nope"), K(P_M1), NULL);
    ret = rf_ok(f, rf_retraction("ret:a", P_M1, "clm:a"), K(P_M1), NULL);
    snprintf(rule, sizeof rule, "clm:a was retracted (entry %llu) and cannot be superseded",
             (unsigned long long)ret);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_claim("clm:a@v2", P_M1, "clm:a", 0, "p:m1", NULL),
                K(P_M1), NULL);
    rf_ok(f, rf_incident("inc:a@v3", P_M1, "inc:a@v2"), K(P_M1), NULL);
    rf_forged(f, rule, rf_claim("clm:a@v2", P_M1, "clm:a", 0, "p:m1", NULL), K(P_M1), NULL);

    /* Forged by another author, and forged on a stale version. */
    {
        rf_ledger *g = rf_new(1);
        rf_ok(g, rf_incident("inc:a@v2", P_M1, "inc:a"), g->key[P_M1], NULL);
        rf_forged(g, "only p:m1, the author of inc:a@v2, may supersede it",
                  rf_incident("inc:a@m2", P_M2, "inc:a@v2"), g->key[P_M2], NULL);
        rf_free(g);
    }
    {
        rf_ledger *g = rf_new(1);
        rf_ok(g, rf_incident("inc:a@v2", P_M1, "inc:a"), g->key[P_M1], NULL);
        rf_forged(g, "inc:a is not the latest version", rf_incident("inc:a@v3", P_M1, "inc:a"),
                  g->key[P_M1], NULL);
        rf_free(g);
    }
}

static void
rules_retraction_only_by_author_and_once(void **state)
{
    rf_ledger *f = *state;
    uint64_t ret;
    char rule[96];

    rf_rejected(f, LEDGER_EPOLICY, "only p:m1, the author of clm:a, may retract it",
                rf_retraction("ret:m2", P_M2, "clm:a"), K(P_M2), NULL);
    ret = rf_ok(f, rf_retraction("ret:a", P_M1, "clm:a"), K(P_M1), NULL);
    snprintf(rule, sizeof rule, "clm:a is already retracted (entry %llu)", (unsigned long long)ret);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_retraction("ret:a2", P_M1, "clm:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "a retraction cannot be retracted",
                rf_retraction("ret:ret", P_M1, "ret:a"), K(P_M1), NULL);
    /* The body retracts its own finding: BODY is the role that wrote it;
     * the curator its own transcription. */
    rf_ok(f, rf_retraction("ret:fnd", P_BODY, "fnd:a"), K(P_BODY), NULL);
    rf_ok(f, rf_claim("clm:tr", P_CUR, NULL, 1, "p:m2", NULL), K(P_CUR), NULL);
    rf_ok(f, rf_retraction("ret:tr", P_CUR, "clm:tr"), K(P_CUR), NULL);
    /* But a role for the target's type is still needed. */
    rf_rejected(f, LEDGER_EPOLICY,
                "author p:pan1 lacks the MEMBER or CURATOR role needed for retraction",
                rf_retraction("ret:pan", P_PAN1, "clm:a"), K(P_PAN1), NULL);
    rf_forged(f, rule, rf_retraction("ret:a2", P_M1, "clm:a"), K(P_M1), NULL);
    {
        rf_ledger *g = rf_new(1);
        rf_forged(g, "only p:m1, the author of clm:a, may retract it",
                  rf_retraction("ret:m2", P_M2, "clm:a"), g->key[P_M2], NULL);
        rf_free(g);
    }
}

/* ---- claims ---- */

static void
rules_first_party_claim_names_its_author(void **state)
{
    rf_ledger *f = *state;

    rf_ok(f, rf_claim("clm:own", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rf_ok(f, rf_claim("clm:tr", P_CUR, NULL, 1, "p:m2", NULL), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "a FIRST_PARTY claim must name its author p:m1 as claimant, not p:m2",
                rf_claim("clm:x", P_M1, NULL, 0, "p:m2", NULL), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "a TRANSCRIBED claim must name another claimant than its author",
                rf_claim("clm:x", P_CUR, NULL, 1, "p:cur", NULL), K(P_CUR), NULL);
    rf_forged(f, "a FIRST_PARTY claim must name its author p:m1 as claimant, not p:m2",
              rf_claim("clm:x", P_M1, NULL, 0, "p:m2", NULL), K(P_M1), NULL);
}

static const char *
claim_with_confidence(const char *rid, const char *confidence)
{
    return rf_claim(rid, P_M1, NULL, 0, "p:m1",
                    rf_json("\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:a\","
                            " \"confidence\": {%s}",
                            confidence));
}

#define PHIA(term, range)                                                                          \
    "\"likelihood\": {\"scale\": \"LIKELIHOOD_SCALE_PHIA\", \"term\": \"" term "\"" range "}"

static void
rules_confidence_value_within_the_words(void **state)
{
    rf_ledger *f = *state;

    rf_ok(f, claim_with_confidence("clm:85", "\"stix_value\": 85, " PHIA("highly likely", "")),
          K(P_M1), NULL);
    rf_ok(f,
          claim_with_confidence(
              "clm:85r", "\"stix_value\": 85, " PHIA("highly likely",
                                                     ", \"range_min\": 80, \"range_max\": 90")),
          K(P_M1), NULL);
    rf_ok(f,
          claim_with_confidence("clm:cbj", "\"likelihood\": {\"scale\":"
                                           " \"LIKELIHOOD_SCALE_ADMIRALTY_CREDIBILITY\","
                                           " \"term\": \"6\"}"),
          K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "attribution_claim.confidence.stix_value 95 is outside 80-90, the range of PHIA "
                "\"highly likely\"",
                claim_with_confidence("clm:95", "\"stix_value\": 95, " PHIA("highly likely", "")),
                K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "PHIA \"highly likely\" is 80-90%, not 80-95",
                claim_with_confidence(
                    "clm:r", "\"stix_value\": 85, " PHIA("highly likely",
                                                         ", \"range_min\": 80, \"range_max\": 95")),
                K(P_M1), NULL);
    rf_rejected(
        f, LEDGER_EPOLICY, "says \"cannot be judged\", which carries no stix_value",
        claim_with_confidence("clm:cbj50", "\"stix_value\": 50, " PHIA("cannot be judged", "")),
        K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "\"fairly likely\" is not a PHIA term",
                claim_with_confidence("clm:unk", "\"stix_value\": 60, " PHIA("fairly likely", "")),
                K(P_M1), NULL);
    /* The same rule on opinions and on the body's conclusions. */
    rf_rejected(
        f, LEDGER_EPOLICY, "opinion.own_confidence.stix_value 95 is outside 80-90",
        rf_json("{%s, \"opinion\": {\"target_refs\": [\"clm:a\"], \"kind\":"
                " \"OPINION_KIND_ENDORSEMENT\", \"own_confidence\": {\"stix_value\": 95, " PHIA(
                    "highly likely", "") "}}}",
                rf_hdr("op:95", P_M2, NULL, 0)),
        K(P_M2), NULL);
    rf_forged(f, "stix_value 95 is outside 80-90",
              claim_with_confidence("clm:95", "\"stix_value\": 95, " PHIA("highly likely", "")),
              K(P_M1), NULL);
}

/* ---- findings and votes ---- */

static void
rules_finding_panel_and_decision_rule(void **state)
{
    rf_ledger *f = *state;
    const char *six = RF_PANEL ", \"p:pan6\"";

    /* Accepted: the ledger's rule (4 of 5), or a stricter own rule. */
    rf_ok(f, rf_finding("fnd:def", P_BODY, NULL, "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    rf_ok(f,
          rf_finding("fnd:5of5", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 5"),
          K(P_BODY), NULL);
    rf_ok(f,
          rf_finding("fnd:5of6", P_BODY, NULL, "inc:a", six,
                     "\"panel_size\": 6, \"approvals_required\": 5"),
          K(P_BODY), NULL);
    /* Panel members must be registered PANELISTs. */
    rf_rejected(f, LEDGER_EPOLICY, "finding.panel_members[4] names p:m1, who is not a PANELIST",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                           "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\", \"p:m1\"", NULL),
                K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "names p:ghost, which is not a registered participant",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                           "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\", \"p:ghost\"", NULL),
                K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "panelist p:pan1 is named twice",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                           "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\", \"p:pan1\"", NULL),
                K(P_BODY), NULL);
    /* As many members as the rule's panel_size. */
    rf_rejected(f, LEDGER_EPOLICY, "panel_members names 4 panelists, the decision rule says 5",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                           "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\"", NULL),
                K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "panel_members names 6 panelists, the decision rule says 5",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", six, NULL), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "needs 1 to panel_size approvals, not 6 of 5",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL,
                           "\"panel_size\": 5, \"approvals_required\": 6"),
                K(P_BODY), NULL);
    /* Never weaker than the ledger's rule: fewer approvals, a smaller share. */
    rf_rejected(f, LEDGER_EPOLICY, "decision rule 3 of 5 is weaker than the ledger's 4 of 5",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL,
                           "\"panel_size\": 5, \"approvals_required\": 3"),
                K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "decision rule 4 of 6 is weaker than the ledger's 4 of 5",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", six,
                           "\"panel_size\": 6, \"approvals_required\": 4"),
                K(P_BODY), NULL);
    rf_forged(f, "decision rule 3 of 5 is weaker than the ledger's 4 of 5",
              rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL,
                         "\"panel_size\": 5, \"approvals_required\": 3"),
              K(P_BODY), NULL);
    {
        rf_ledger *g = rf_new(1);
        rf_forged(g, "names p:m1, who is not a PANELIST",
                  rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                             "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\", \"p:m1\"", NULL),
                  g->key[P_BODY], NULL);
        rf_free(g);
    }
    {
        rf_ledger *g = rf_new(1);
        rf_forged(g, "panel_members names 4 panelists, the decision rule says 5",
                  rf_finding("fnd:x", P_BODY, NULL, "inc:a",
                             "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\"", NULL),
                  g->key[P_BODY], NULL);
        rf_free(g);
    }
}

static void
rules_finding_keeps_the_ledgers_group_constraints(void **state)
{
    rf_ledger *f = *state;
    const char *regions2 =
        "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\":"
        " [{\"name\": \"regions\", \"min_distinct_regions_among_approvers\": 2}]";
    const char *sectors2 =
        "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\":"
        " [{\"name\": \"sectors\", \"min_distinct_sectors_among_approvers\": 2}]";

    /* Before the ledger asks for diversity, a finding may omit it. */
    rf_ok(f,
          rf_finding("fnd:plain", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 4"),
          K(P_BODY), NULL);
    rf_ok(f,
          rf_policy(f, "pol:diverse", P_ADMIN, "genesis",
                    "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\": ["
                    "{\"name\": \"regions\", \"min_distinct_regions_among_approvers\": 2},"
                    " {\"name\": \"sectors\", \"min_distinct_sectors_among_approvers\": 2}],"
                    " \"recusal_policy\": \"RECUSAL_POLICY_REDUCES_PANEL\""),
          K(P_ADMIN), NULL);
    /* Inheriting the ledger's rule, or restating it, or stricter: fine. */
    rf_ok(f, rf_finding("fnd:inherit", P_BODY, NULL, "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    rf_ok(f,
          rf_finding("fnd:strict", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\": ["
                     "{\"min_distinct_regions_among_approvers\": 3,"
                     " \"min_distinct_sectors_among_approvers\": 2}]"),
          K(P_BODY), NULL);
    /* Dropping either constraint is weaker. */
    rf_rejected(f, LEDGER_EPOLICY,
                "group constraints (1 regions, 0 sectors) are weaker than the ledger's "
                "(2 regions, 2 sectors)",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL,
                           "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\":"
                           " [{\"min_distinct_regions_among_approvers\": 1}]"),
                K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "group constraints (2 regions, 0 sectors) are weaker",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL, regions2), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "group constraints (0 regions, 2 sectors) are weaker",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL, sectors2), K(P_BODY), NULL);
    rf_forged(f, "group constraints (2 regions, 0 sectors) are weaker",
              rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL, regions2), K(P_BODY), NULL);
}

static void
rules_finding_cannot_count_recusals_more_leniently(void **state)
{
    rf_ledger *f = *state;
    const char *reduces = "\"panel_size\": 5, \"approvals_required\": 4,"
                          " \"recusal_policy\": \"RECUSAL_POLICY_REDUCES_PANEL\"";

    /* While the ledger reduces the panel, a finding may do the same or
     * count recusals as abstentions (stricter). */
    rf_ok(f, rf_finding("fnd:r", P_BODY, NULL, "inc:a", RF_PANEL, reduces), K(P_BODY), NULL);
    rf_ok(f,
          rf_policy(f, "pol:abstain", P_ADMIN, "genesis",
                    "\"panel_size\": 5, \"approvals_required\": 4,"
                    " \"recusal_policy\": \"RECUSAL_POLICY_COUNTS_AS_ABSTAIN\""),
          K(P_ADMIN), NULL);
    rf_ok(f, rf_finding("fnd:inherit", P_BODY, NULL, "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "recusal policy REDUCES_PANEL is weaker than the ledger's COUNTS_AS_ABSTAIN",
                rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL, reduces), K(P_BODY), NULL);
    rf_forged(f, "recusal policy REDUCES_PANEL is weaker",
              rf_finding("fnd:x", P_BODY, NULL, "inc:a", RF_PANEL, reduces), K(P_BODY), NULL);
}

static void
rules_vote_names_the_exact_digest_of_the_latest_finding(void **state)
{
    rf_ledger *f = *state;
    const char *d1 = rf_digest_of(f, "fnd:a");
    char d1copy[64];
    uint64_t v2;
    char rule[96];

    snprintf(d1copy, sizeof d1copy, "%s", d1);
    rf_ok(f, rf_vote("vote:1", P_PAN1, "fnd:a", d1copy, "VOTE_APPROVE"), K(P_PAN1), NULL);
    /* Another record's digest. */
    rf_rejected(f, LEDGER_EPOLICY, "finding_digest is not the digest of fnd:a",
                rf_vote("vote:2", P_PAN2, "fnd:a", rf_digest_of(f, "clm:a"), "VOTE_APPROVE"),
                K(P_PAN2), NULL);
    /* A PANELIST who does not sit on this finding's panel. */
    rf_rejected(f, LEDGER_EPOLICY, "p:pan6 is not on the panel of fnd:a",
                rf_vote("vote:6", P_PAN6, "fnd:a", d1copy, "VOTE_APPROVE"), K(P_PAN6), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "panel_vote.vote is not set",
                rf_vote("vote:2", P_PAN2, "fnd:a", d1copy, "VOTE_UNSPECIFIED"), K(P_PAN2), NULL);
    /* The body revises the finding: votes on the old version are stale. */
    v2 =
        rf_ok(f, rf_finding("fnd:a@v2", P_BODY, "fnd:a", "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    snprintf(rule, sizeof rule, "finding fnd:a was revised (entry %llu); vote on the latest",
             (unsigned long long)v2);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_vote("vote:2", P_PAN2, "fnd:a", d1copy, "VOTE_APPROVE"),
                K(P_PAN2), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "finding_digest is not the digest of fnd:a@v2 (stale",
                rf_vote("vote:2", P_PAN2, "fnd:a@v2", d1copy, "VOTE_APPROVE"), K(P_PAN2), NULL);
    rf_ok(f, rf_vote_on(f, "vote:2", P_PAN2, "fnd:a@v2", "VOTE_APPROVE"), K(P_PAN2), NULL);
    rf_forged(f, rule, rf_vote("vote:3", P_PAN3, "fnd:a", d1copy, "VOTE_APPROVE"), K(P_PAN3), NULL);
    {
        rf_ledger *g = rf_new(1);
        rf_forged(g, "p:pan6 is not on the panel of fnd:a",
                  rf_vote_on(g, "vote:6", P_PAN6, "fnd:a", "VOTE_APPROVE"), g->key[P_PAN6], NULL);
        rf_free(g);
    }
    {
        rf_ledger *g = rf_new(1);
        rf_forged(g, "finding_digest is not the digest of fnd:a",
                  rf_vote("vote:2", P_PAN2, "fnd:a", rf_digest_of(g, "clm:a"), "VOTE_APPROVE"),
                  g->key[P_PAN2], NULL);
        rf_free(g);
    }
    {
        rf_ledger *g = rf_new(1);
        rf_ok(g, rf_retraction("ret:fnd", P_BODY, "fnd:a"), g->key[P_BODY], NULL);
        rf_rejected(g, LEDGER_EPOLICY, "finding fnd:a was retracted",
                    rf_vote_on(g, "vote:1", P_PAN1, "fnd:a", "VOTE_APPROVE"), g->key[P_PAN1], NULL);
        rf_forged(g, "finding fnd:a was retracted",
                  rf_vote_on(g, "vote:1", P_PAN1, "fnd:a", "VOTE_APPROVE"), g->key[P_PAN1], NULL);
        rf_free(g);
    }
}

/* ---- dedup ---- */

static void
rules_same_record_twice_returns_the_existing_entry(void **state)
{
    rf_ledger *f = *state;
    const char *json = rf_claim("clm:dup", P_M1, NULL, 0, "p:m1", NULL);
    uint64_t first, again, size;
    int existed = -1;
    char rule[64];

    first = rf_ok(f, json, K(P_M1), NULL);
    size = rf_size(f);
    TU_OK(rf_submit(f, &again, &existed, json, K(P_M1), NULL));
    assert_int_equal(again, first);
    assert_int_equal(existed, 1);
    assert_int_equal(rf_size(f), size);
    /* Same record_id, other content. */
    snprintf(rule, sizeof rule, "record_id already used by entry %llu", (unsigned long long)first);
    rf_rejected(f, LEDGER_EEXISTS, rule,
                rf_claim("clm:dup", P_M1, NULL, 0, "p:m1",
                         "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:b\""),
                K(P_M1), NULL);
    /* Within one batch too: the second copy is the first's entry, and a
     * conflicting copy fails the whole batch. */
    {
        ledger_envelope *envs[2];
        ledger_receipt r[2];
        const char *j2 = rf_claim("clm:dup2", P_M1, NULL, 0, "p:m1", NULL);

        envs[0] = rf_env(j2, K(P_M1), NULL);
        envs[1] = rf_env(j2, K(P_M1), NULL);
        TU_OK(ledger_log_submit(r, f->log, envs, 2));
        assert_int_equal(r[0].existed, 0);
        assert_int_equal(r[1].existed, 1);
        assert_int_equal(r[1].index, r[0].index);
        ledger_receipts_dispose(r, 2);
        ledger_envelope_free(envs[0]);
        ledger_envelope_free(envs[1]);
        size = rf_size(f);
        envs[0] = rf_env(rf_claim("clm:dup3", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
        envs[1] = rf_env(rf_claim("clm:dup3", P_M2, NULL, 0, "p:m2", NULL), K(P_M2), NULL);
        TU_CHECK(ledger_log_submit(r, f->log, envs, 2), LEDGER_EEXISTS);
        assert_non_null(strstr(ledger_error_last()->message, "record 1 (clm:dup3): record_id "
                                                             "already used by entry"));
        assert_int_equal(rf_size(f), size);
        ledger_envelope_free(envs[0]);
        ledger_envelope_free(envs[1]);
    }
    /* The forging hook appends like submit, so it cannot reuse a record_id
     * either: a duplicate can only be made by editing the store, which
     * test_ledger's store-edit tests cover. */
    {
        ledger_envelope *env =
            rf_env(rf_claim("clm:dup", P_M1, NULL, 0, "p:m1",
                            "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:b\""),
                   K(P_M1), NULL);
        ledger_receipt r;
        TU_CHECK(lg_ledger_forge(&r, f->log, &env, 1), LEDGER_EEXISTS);
        ledger_envelope_free(env);
    }
    rf_verify_ok(f);
}

/* ---- quorum, read back from the incident view ---- */

/* The finding `fid` of the incident's case file (a new reference). */
static json_t *
finding_view(rf_ledger *f, const char *incident, const char *fid)
{
    ledger_buf out = LEDGER_BUF_INIT;
    json_error_t jerr;
    json_t *root, *fv, *found = NULL;
    size_t i;

    TU_OK(ledger_view_incident(&out, f->log, incident, 1));
    root = json_loadb((const char *)out.data, out.len, 0, &jerr);
    if (root == NULL)
        fail_msg("incident view is not JSON: %s", jerr.text);
    json_array_foreach(json_object_get(root, "findings"), i, fv)
    {
        if (strcmp(json_string_value(json_object_get(fv, "record_id")), fid) == 0)
            found = json_incref(fv);
    }
    json_decref(root);
    ledger_buf_dispose(&out);
    if (found == NULL)
        fail_msg("finding %s is not in the case file of %s", fid, incident);
    return found;
}

static long long
tally(const json_t *fv, const char *key)
{
    const json_t *v = json_object_get(json_object_get(fv, "tally"), key);

    if (!json_is_integer(v))
        fail_msg("tally.%s is missing", key);
    return (long long)json_integer_value(v);
}

/* Published state: returns published, sets *at (0 when absent). */
static int
published(rf_ledger *f, const char *fid, uint64_t *at)
{
    json_t *fv = finding_view(f, "inc:a", fid);
    const json_t *p = json_object_get(fv, "published");
    const json_t *pa = json_object_get(fv, "published_at");
    int yes;

    if (!json_is_boolean(p))
        fail_msg("%s: published is not a boolean", fid);
    yes = json_is_true(p);
    if (at != NULL)
        *at = pa ? (uint64_t)json_integer_value(pa) : 0;
    json_decref(fv);
    return yes;
}

static uint64_t
vote(rf_ledger *f, const char *fid, int panelist, const char *v)
{
    static int n;
    char rid[64];

    snprintf(rid, sizeof rid, "vote:%s:%d", fid, ++n);
    return rf_ok(f, rf_vote_on(f, rid, panelist, fid, v), f->key[panelist], NULL);
}

static void
rules_quorum_exactly_k_approvals_publishes(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, fourth;
    json_t *fv;

    for (int p = P_PAN1; p <= P_PAN3; p++) {
        vote(f, "fnd:a", p, "VOTE_APPROVE");
        assert_false(published(f, "fnd:a", &at));
        assert_int_equal(at, 0);
    }
    fourth = vote(f, "fnd:a", P_PAN4, "VOTE_APPROVE");
    assert_true(published(f, "fnd:a", &at));
    assert_int_equal(at, fourth);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_int_equal(tally(fv, "approve"), 4);
    assert_int_equal(tally(fv, "panel_size"), 5);
    assert_int_equal(tally(fv, "counted_panel"), 5);
    assert_int_equal(tally(fv, "approvals_needed"), 4);
    assert_int_equal(json_array_size(json_object_get(fv, "votes")), 4);
    json_decref(fv);
    /* A later dissent does not unpublish; published_at stays. */
    vote(f, "fnd:a", P_PAN5, "VOTE_REJECT");
    assert_true(published(f, "fnd:a", &at));
    assert_int_equal(at, fourth);
}

static void
rules_quorum_k_minus_one_is_not_published(void **state)
{
    rf_ledger *f = *state;
    uint64_t at = 99;
    json_t *fv;

    for (int p = P_PAN1; p <= P_PAN3; p++)
        vote(f, "fnd:a", p, "VOTE_APPROVE");
    vote(f, "fnd:a", P_PAN4, "VOTE_REJECT");
    vote(f, "fnd:a", P_PAN5, "VOTE_ABSTAIN");
    assert_false(published(f, "fnd:a", &at));
    assert_int_equal(at, 0);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_null(json_object_get(fv, "published_at"));
    assert_int_equal(tally(fv, "approve"), 3);
    assert_int_equal(tally(fv, "reject"), 1);
    assert_int_equal(tally(fv, "abstain"), 1);
    assert_int_equal(tally(fv, "approvals_needed"), 4);
    json_decref(fv);
}

static void
rules_quorum_vote_by_non_panelist_is_rejected(void **state)
{
    rf_ledger *f = *state;
    json_t *fv;

    rf_rejected(f, LEDGER_EPOLICY, "p:pan6 is not on the panel of fnd:a",
                rf_vote_on(f, "vote:6", P_PAN6, "fnd:a", "VOTE_APPROVE"), K(P_PAN6), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "lacks the PANELIST role",
                rf_vote_on(f, "vote:m1", P_M1, "fnd:a", "VOTE_APPROVE"), K(P_M1), NULL);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_int_equal(tally(fv, "approve"), 0);
    assert_int_equal(json_array_size(json_object_get(fv, "votes")), 0);
    json_decref(fv);
}

static void
rules_quorum_recusal_lowers_n(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, last;
    json_t *fv;

    /* 4 of 5, one recusal: ceil(4 * 4 / 5) = 4 of the counted 4. */
    vote(f, "fnd:a", P_PAN5, "VOTE_RECUSE");
    for (int p = P_PAN1; p <= P_PAN3; p++)
        vote(f, "fnd:a", p, "VOTE_APPROVE");
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_int_equal(tally(fv, "recuse"), 1);
    assert_int_equal(tally(fv, "counted_panel"), 4);
    assert_int_equal(tally(fv, "approvals_needed"), 4);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(fv, "tally"), "recusal_policy")),
        "REDUCES_PANEL");
    json_decref(fv);
    assert_false(published(f, "fnd:a", NULL));
    last = vote(f, "fnd:a", P_PAN4, "VOTE_APPROVE");
    assert_true(published(f, "fnd:a", &at));
    assert_int_equal(at, last);

    /* Two recusals: ceil(4 * 3 / 5) = 3 approvals suffice. */
    rf_ok(f, rf_finding("fnd:r2", P_BODY, NULL, "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    vote(f, "fnd:r2", P_PAN4, "VOTE_RECUSE");
    vote(f, "fnd:r2", P_PAN5, "VOTE_RECUSE");
    vote(f, "fnd:r2", P_PAN1, "VOTE_APPROVE");
    vote(f, "fnd:r2", P_PAN2, "VOTE_APPROVE");
    assert_false(published(f, "fnd:r2", NULL));
    last = vote(f, "fnd:r2", P_PAN3, "VOTE_APPROVE");
    assert_true(published(f, "fnd:r2", &at));
    assert_int_equal(at, last);

    /* 5 of 5, one recusal: ceil(5 * 4 / 5) = 4. */
    rf_ok(f,
          rf_finding("fnd:5of5", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 5"),
          K(P_BODY), NULL);
    vote(f, "fnd:5of5", P_PAN1, "VOTE_RECUSE");
    for (int p = P_PAN2; p <= P_PAN4; p++)
        vote(f, "fnd:5of5", p, "VOTE_APPROVE");
    assert_false(published(f, "fnd:5of5", NULL));
    last = vote(f, "fnd:5of5", P_PAN5, "VOTE_APPROVE");
    assert_true(published(f, "fnd:5of5", &at));
    assert_int_equal(at, last);

    /* Counted as abstentions, the same recusals do not lower n. */
    rf_ok(f,
          rf_finding("fnd:abst", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 4,"
                     " \"recusal_policy\": \"RECUSAL_POLICY_COUNTS_AS_ABSTAIN\""),
          K(P_BODY), NULL);
    vote(f, "fnd:abst", P_PAN4, "VOTE_RECUSE");
    vote(f, "fnd:abst", P_PAN5, "VOTE_RECUSE");
    for (int p = P_PAN1; p <= P_PAN3; p++)
        vote(f, "fnd:abst", p, "VOTE_APPROVE");
    fv = finding_view(f, "inc:a", "fnd:abst");
    assert_int_equal(tally(fv, "counted_panel"), 5);
    assert_int_equal(tally(fv, "approvals_needed"), 4);
    assert_false(json_is_true(json_object_get(fv, "published")));
    json_decref(fv);
}

static void
rules_quorum_later_vote_replaces_earlier(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, last;
    json_t *fv;

    vote(f, "fnd:a", P_PAN1, "VOTE_APPROVE");
    vote(f, "fnd:a", P_PAN2, "VOTE_APPROVE");
    vote(f, "fnd:a", P_PAN3, "VOTE_APPROVE");
    vote(f, "fnd:a", P_PAN1, "VOTE_REJECT"); /* pan1 changes its mind */
    vote(f, "fnd:a", P_PAN4, "VOTE_APPROVE");
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_int_equal(tally(fv, "approve"), 3);
    assert_int_equal(tally(fv, "reject"), 1);
    /* Every vote stays listed; only the latest per panelist counts. */
    assert_int_equal(json_array_size(json_object_get(fv, "votes")), 5);
    json_decref(fv);
    assert_false(published(f, "fnd:a", NULL));
    last = vote(f, "fnd:a", P_PAN1, "VOTE_APPROVE");
    assert_true(published(f, "fnd:a", &at));
    assert_int_equal(at, last);
}

static void
rules_quorum_duplicate_vote_counts_once(void **state)
{
    rf_ledger *f = *state;
    const char *json = rf_vote_on(f, "vote:dup", P_PAN1, "fnd:a", "VOTE_APPROVE");
    uint64_t first, again;
    int existed = 0;
    json_t *fv;

    first = rf_ok(f, json, K(P_PAN1), NULL);
    TU_OK(rf_submit(f, &again, &existed, json, K(P_PAN1), NULL));
    assert_int_equal(again, first);
    assert_int_equal(existed, 1);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_int_equal(tally(fv, "approve"), 1);
    assert_int_equal(json_array_size(json_object_get(fv, "votes")), 1);
    json_decref(fv);
}

static void
rules_quorum_group_constraints_block_until_met(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, last;

    /* Approvers' regions: pan1-3 EUROPE, pan4 NORTH_AMERICA, pan5 ASIA_PACIFIC. */
    rf_ok(f,
          rf_finding("fnd:reg", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\":"
                     " [{\"min_distinct_regions_among_approvers\": 3}]"),
          K(P_BODY), NULL);
    for (int p = P_PAN1; p <= P_PAN4; p++)
        vote(f, "fnd:reg", p, "VOTE_APPROVE");
    assert_false(published(f, "fnd:reg", NULL)); /* 4 approvals, 2 regions */
    last = vote(f, "fnd:reg", P_PAN5, "VOTE_APPROVE");
    assert_true(published(f, "fnd:reg", &at));
    assert_int_equal(at, last);

    /* Sectors: ACADEMIA, CERT, INDUSTRY, ACADEMIA, then CIVIL_SOCIETY. */
    rf_ok(f,
          rf_finding("fnd:sec", P_BODY, NULL, "inc:a", RF_PANEL,
                     "\"panel_size\": 5, \"approvals_required\": 4, \"group_constraints\":"
                     " [{\"min_distinct_sectors_among_approvers\": 4}]"),
          K(P_BODY), NULL);
    for (int p = P_PAN1; p <= P_PAN4; p++)
        vote(f, "fnd:sec", p, "VOTE_APPROVE");
    assert_false(published(f, "fnd:sec", NULL)); /* 4 approvals, 3 sectors */
    last = vote(f, "fnd:sec", P_PAN5, "VOTE_APPROVE");
    assert_true(published(f, "fnd:sec", &at));
    assert_int_equal(at, last);
}

static void
rules_quorum_votes_do_not_carry_over_to_a_revision(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, last;
    json_t *fv;

    vote(f, "fnd:a", P_PAN1, "VOTE_APPROVE");
    vote(f, "fnd:a", P_PAN2, "VOTE_APPROVE");
    rf_ok(f, rf_finding("fnd:a@v2", P_BODY, "fnd:a", "inc:a", RF_PANEL, NULL), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "finding fnd:a was revised",
                rf_vote_on(f, "vote:stale", P_PAN3, "fnd:a", "VOTE_APPROVE"), K(P_PAN3), NULL);
    fv = finding_view(f, "inc:a", "fnd:a@v2");
    assert_int_equal(tally(fv, "approve"), 0);
    json_decref(fv);
    for (int p = P_PAN1; p <= P_PAN3; p++)
        vote(f, "fnd:a@v2", p, "VOTE_APPROVE");
    assert_false(published(f, "fnd:a@v2", NULL));
    last = vote(f, "fnd:a@v2", P_PAN4, "VOTE_APPROVE");
    assert_true(published(f, "fnd:a@v2", &at));
    assert_int_equal(at, last);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_string_equal(json_string_value(json_object_get(fv, "status")), "SUPERSEDED");
    assert_int_equal(tally(fv, "approve"), 2);
    assert_false(json_is_true(json_object_get(fv, "published")));
    json_decref(fv);
}

static void
rules_quorum_retraction_by_the_body_unpublishes(void **state)
{
    rf_ledger *f = *state;
    uint64_t at, fourth, ret;
    json_t *fv;

    for (int p = P_PAN1; p <= P_PAN3; p++)
        vote(f, "fnd:a", p, "VOTE_APPROVE");
    fourth = vote(f, "fnd:a", P_PAN4, "VOTE_APPROVE");
    assert_true(published(f, "fnd:a", &at));
    /* Only the body can take it back. */
    rf_rejected(f, LEDGER_EPOLICY, "only p:body, the author of fnd:a, may retract it",
                rf_retraction("ret:m1", P_M1, "fnd:a"), K(P_M1), NULL);
    assert_true(published(f, "fnd:a", NULL));
    ret = rf_ok(f, rf_retraction("ret:fnd", P_BODY, "fnd:a"), K(P_BODY), NULL);
    assert_false(published(f, "fnd:a", &at));
    assert_int_equal(at, fourth);
    fv = finding_view(f, "inc:a", "fnd:a");
    assert_string_equal(json_string_value(json_object_get(fv, "status")), "RETRACTED");
    assert_int_equal(json_integer_value(json_object_get(fv, "retracted_by")), ret);
    assert_int_equal(tally(fv, "approve"), 4);
    json_decref(fv);
    rf_rejected(f, LEDGER_EPOLICY, "finding fnd:a was retracted",
                rf_vote_on(f, "vote:late", P_PAN5, "fnd:a", "VOTE_APPROVE"), K(P_PAN5), NULL);
    rf_verify_ok(f);
}

/* ---- hostile members (issue 11) ---- */

/* json with the first `from` replaced by `to` (an rf_json buffer). */
static const char *
subst(const char *json, const char *from, const char *to)
{
    const char *at = strstr(json, from);

    assert_non_null(at);
    return rf_json("%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
}

/* Item 3: a rotation that lists only a new key retires the old one from
 * that entry on; records it signed before stay valid. */
static void
rules_rotation_retires_dropped_keys(void **state)
{
    rf_ledger *f = *state;
    ledger_key *k2 = NULL;
    uint64_t before, rot;
    uint8_t seed[32];
    char rule[64];

    memset(seed, 0x83, 32);
    TU_OK(ledger_key_from_seed(&k2, "p:m1", seed));
    before = rf_ok(f, rf_claim("clm:old-key", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    rot =
        rf_ok(f, rf_participant("reg:p:m1@v2", P_ADMIN, "reg:p:m1", "p:m1", MEMBER, k2, NULL, NULL),
              K(P_ADMIN), k2);
    assert_true(rot > before);
    snprintf(rule, sizeof rule, "of p:m1, revoked at entry %llu", (unsigned long long)rot);
    rf_rejected(f, LEDGER_EPOLICY, rule, rf_claim("clm:late", P_M1, NULL, 0, "p:m1", NULL), K(P_M1),
                NULL);
    rf_ok(f, rf_claim("clm:new-key", P_M1, NULL, 0, "p:m1", NULL), k2, NULL);
    /* The retired key cannot be revoked again, nor sign its own revocation. */
    rf_rejected(f, LEDGER_EPOLICY, "key is already revoked",
                rf_revocation("rev:old", P_ADMIN, "p:m1", K(P_M1)), K(P_ADMIN), NULL);
    rf_verify_ok(f);
    assert_int_equal(rf_index(f, "clm:old-key"), before);
    rf_forged(f, rule, rf_claim("clm:late", P_M1, NULL, 0, "p:m1", NULL), K(P_M1), NULL);
    ledger_key_free(k2);
}

/* Item 5: no revocation or new version may leave the ledger without an
 * active admin key. */
static void
rules_last_admin_cannot_be_removed(void **state)
{
    rf_ledger *f = *state;
    ledger_key *ka = NULL, *kb = NULL;
    const char *admin = "\"PARTICIPANT_ROLE_ADMIN\"";
    uint8_t seed[32];

    memset(seed, 0x84, 32);
    TU_OK(ledger_key_from_seed(&ka, "p:adm2", seed));
    memset(seed, 0x85, 32);
    TU_OK(ledger_key_from_seed(&kb, "p:adm2", seed));
    rf_rejected(f, LEDGER_EPOLICY, "would revoke the last active admin key (of p:admin)",
                rf_revocation("rev:admin", P_ADMIN, "p:admin", K(P_ADMIN)), K(P_ADMIN), NULL);
    /* With a second admin, the first may go. */
    rf_ok(f, rf_participant("reg:p:adm2", P_ADMIN, NULL, "p:adm2", admin, ka, NULL, NULL),
          K(P_ADMIN), ka);
    rf_ok(f, rf_revocation("rev:admin", P_ADMIN, "p:admin", K(P_ADMIN)), K(P_ADMIN), NULL);
    /* p:adm2 is the last admin: it may not drop its role ... */
    rf_rejected(f, LEDGER_EPOLICY, "would leave no active admin key (p:adm2 is the last admin)",
                subst(rf_participant("reg:p:adm2@v2", P_ADMIN, "reg:p:adm2", "p:adm2", MEMBER, ka,
                                     NULL, NULL),
                      "\"author\": \"p:admin\"", "\"author\": \"p:adm2\""),
                ka, NULL);
    /* ... but may rotate to a new key ... */
    rf_ok(f,
          subst(rf_participant("reg:p:adm2@v2", P_ADMIN, "reg:p:adm2", "p:adm2", admin, kb, NULL,
                               NULL),
                "\"author\": \"p:admin\"", "\"author\": \"p:adm2\""),
          ka, kb);
    /* ... and not revoke it. */
    rf_rejected(f, LEDGER_EPOLICY, "would revoke the last active admin key (of p:adm2)",
                subst(rf_revocation("rev:adm2", P_ADMIN, "p:adm2", kb), "\"author\": \"p:admin\"",
                      "\"author\": \"p:adm2\""),
                kb, NULL);
    rf_verify_ok(f);
    rf_forged(f, "would revoke the last active admin key (of p:adm2)",
              subst(rf_revocation("rev:adm2", P_ADMIN, "p:adm2", kb), "\"author\": \"p:admin\"",
                    "\"author\": \"p:adm2\""),
              kb, NULL);
    ledger_key_free(ka);
    ledger_key_free(kb);
}

/* Item 4: every field of the ledger policy is enforced from its entry on. */
static void
rules_ledger_policy_limits_are_enforced(void **state)
{
    rf_ledger *f = *state;
    char name[600];
    const char *big;

    memset(name, 'x', 500);
    name[500] = '\0';
#define BIG(rid)                                                                                   \
    rf_json("{%s, \"incident_report\": {\"incident_key\": \"%s\", \"name\": \"%s\"}}",             \
            rf_hdr(rid, P_M1, NULL, 0), rid, name)
    big = BIG("inc:big");
    /* Before the policy update both are accepted ... */
    rf_ok(f, subst(rf_incident("inc:red0", P_M1, NULL), "TLP_CLEAR", "TLP_RED"), K(P_M1), NULL);
    rf_ok(f, BIG("inc:big0"), K(P_M1), NULL);
#undef BIG
    rf_ok(f,
          rf_policy_with(f, "pol:public", P_ADMIN, "genesis",
                         "\"panel_size\": 5, \"approvals_required\": 4",
                         "\"max_record_bytes\": 400, \"public_ledger\": true"),
          K(P_ADMIN), NULL);
    /* ... after it, neither. */
    rf_rejected(f, LEDGER_EPOLICY, "the ledger policy allows at most 400 (max_record_bytes)", big,
                K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "is not TLP_CLEAR; the ledger policy makes this a public ledger",
                subst(rf_incident("inc:red", P_M1, NULL), "TLP_CLEAR", "TLP_RED"), K(P_M1), NULL);
    rf_ok(f, rf_incident("inc:small", P_M1, NULL), K(P_M1), NULL);
    rf_verify_ok(f);
    rf_forged(f, "is not TLP_CLEAR",
              subst(rf_incident("inc:red", P_M1, NULL), "TLP_CLEAR", "TLP_RED"), K(P_M1), NULL);
}

/* Item 4, relaxed: a later policy lifts the limits from its entry on. */
static void
rules_ledger_policy_update_relaxes_limits(void **state)
{
    rf_ledger *f = *state;

    rf_ok(f,
          rf_policy_with(f, "pol:public", P_ADMIN, "genesis",
                         "\"panel_size\": 5, \"approvals_required\": 4", "\"public_ledger\": true"),
          K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "public ledger",
                subst(rf_incident("inc:red", P_M1, NULL), "TLP_CLEAR", "TLP_RED"), K(P_M1), NULL);
    rf_ok(f,
          rf_policy_with(f, "pol:open", P_ADMIN, "pol:public",
                         "\"panel_size\": 5, \"approvals_required\": 4", NULL),
          K(P_ADMIN), NULL);
    rf_ok(f, subst(rf_incident("inc:red", P_M1, NULL), "TLP_CLEAR", "TLP_RED"), K(P_M1), NULL);
    rf_verify_ok(f);
}

/* Item 2: an incident_key or actor_id belongs to the record that
 * introduced it; another member's record may only report on it. */
static void
rules_incident_and_actor_keys_are_owned(void **state)
{
    rf_ledger *f = *state;
    const char *hijack = rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:free\","
                                 " \"name\": \"Mine\"}}",
                                 rf_hdr("rep:x", P_M2, NULL, 0));

    /* A key that no record owns cannot be claimed by another record_id. */
    rf_rejected(f, LEDGER_EPOLICY,
                "incident_report.incident_key inc:free is not the record_id of an earlier "
                "incident_report",
                hijack, K(P_M2), NULL);
    /* Nor can a key name a record of another type. */
    rf_rejected(f, LEDGER_EPOLICY, "actor.actor_id inc:a is not the record_id of an earlier actor",
                rf_json("{%s, \"actor\": {\"actor_id\": \"inc:a\", \"name\": \"X\"}}",
                        rf_hdr("act:m2", P_M2, NULL, 0)),
                K(P_M2), NULL);
    /* p:m2's own report about p:m1's incident and actor is accepted ... */
    rf_ok(f,
          rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:a\", \"name\": \"Hijack\"}}",
                  rf_hdr("rep:m2", P_M2, NULL, 0)),
          K(P_M2), NULL);
    rf_ok(f,
          rf_json("{%s, \"actor\": {\"actor_id\": \"act:a\", \"name\": \"Lazarus Group\"}}",
                  rf_hdr("act:m2", P_M2, NULL, 0)),
          K(P_M2), NULL);
    /* ... but cannot revise p:m1's, and its own revision keeps its key. */
    rf_rejected(f, LEDGER_EPOLICY, "only p:m1, the author of inc:a, may supersede it",
                rf_incident("inc:a@m2", P_M2, "inc:a"), K(P_M2), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "incident_report.incident_key inc:b differs from inc:a, the key of rep:m2 (a "
                "revision keeps its key)",
                rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:b\"}}",
                        rf_hdr("rep:m2@v2", P_M2, "rep:m2", 0)),
                K(P_M2), NULL);
    rf_verify_ok(f);
    rf_forged(f, "inc:free is not the record_id of an earlier incident_report", hijack, K(P_M2),
              NULL);
}

/* Item 2: the body's curation record. An ADMIN may move an actor_id or
 * incident_key to another owner and replace the text shown for it; a
 * member may not; after a transfer only the new owner revises or retracts
 * the key's own chain; a curation names the key itself. */
#define CURATION(rid, author, sup, body)                                                           \
    rf_json("{%s, \"curation\": {%s}}", rf_hdr((rid), (author), (sup), 0), (body))

static void
rules_curation_by_the_body(void **state)
{
    rf_ledger *f = *state;
    const char *to_m2 = "\"target_ref\": \"inc:a\", \"new_owner\": \"p:m2\", \"reason\": "
                        "\"p:m1 left the body\"";

    /* A member, the BODY or a CURATOR cannot curate: 403-kind refusal. */
    rf_rejected(f, LEDGER_EPOLICY, "author p:m2 lacks the ADMIN role needed for curation",
                CURATION("cur:m2", P_M2, NULL, to_m2), K(P_M2), NULL);
    assert_int_equal(ledger_error_last()->refusal, LEDGER_REFUSAL_NOT_AUTHORIZED);
    rf_rejected(f, LEDGER_EPOLICY, "author p:body lacks the ADMIN role needed for curation",
                CURATION("cur:body", P_BODY, NULL, to_m2), K(P_BODY), NULL);
    /* A curation names a key that exists, the key itself, gives a reason
     * and changes something; a new owner may author the key's type. */
    rf_rejected(
        f, LEDGER_EPOLICY, "curation.target_ref names inc:none, which is not in the ledger",
        CURATION("cur:x", P_ADMIN, NULL,
                 "\"target_ref\": \"inc:none\", \"new_owner\": \"p:m2\", \"reason\": \"r\""),
        K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "curation.target_ref names ev:a, a evidence, but must name a actor or "
                "incident_report",
                CURATION("cur:x", P_ADMIN, NULL,
                         "\"target_ref\": \"ev:a\", \"new_owner\": \"p:m2\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    rf_ok(f, rf_incident("inc:a@v2", P_M1, "inc:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "curation.target_ref names inc:a@v2, which is not the record that introduced",
                CURATION("cur:x", P_ADMIN, NULL,
                         "\"target_ref\": \"inc:a@v2\", \"name\": \"X\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "curation.reason is missing",
                CURATION("cur:x", P_ADMIN, NULL, "\"target_ref\": \"inc:a\", \"name\": \"X\""),
                K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "a curation sets new_owner, name or description",
                CURATION("cur:x", P_ADMIN, NULL, "\"target_ref\": \"inc:a\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "new owner p:pan1 is not a MEMBER or CURATOR",
                CURATION("cur:x", P_ADMIN, NULL,
                         "\"target_ref\": \"inc:a\", \"new_owner\": \"p:pan1\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "p:m1 already owns inc:a",
                CURATION("cur:x", P_ADMIN, NULL,
                         "\"target_ref\": \"inc:a\", \"new_owner\": \"p:m1\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    /* The admin moves inc:a to p:m2. */
    rf_ok(f, CURATION("cur:1", P_ADMIN, NULL, to_m2), K(P_ADMIN), NULL);
    /* The old owner can no longer revise or retract the incident's chain ... */
    rf_rejected(f, LEDGER_EPOLICY,
                "only p:m2, the owner of the key of inc:a@v2 since its curation, may supersede it",
                rf_incident("inc:a@v3", P_M1, "inc:a@v2"), K(P_M1), NULL);
    assert_int_equal(ledger_error_last()->refusal, LEDGER_REFUSAL_NOT_AUTHORIZED);
    rf_rejected(f, LEDGER_EPOLICY,
                "only p:m2, the owner of the key of inc:a@v2 since its curation, may retract it",
                rf_retraction("ret:m1", P_M1, "inc:a@v2"), K(P_M1), NULL);
    /* ... the new owner can. */
    rf_ok(f, rf_incident("inc:a@v3", P_M2, "inc:a@v2"), K(P_M2), NULL);
    /* A second curation of the key supersedes the latest one. */
    rf_rejected(f, LEDGER_EPOLICY, "inc:a was curated at entry",
                CURATION("cur:2", P_ADMIN, NULL,
                         "\"target_ref\": \"inc:a\", \"name\": \"WannaCry\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    rf_ok(f,
          CURATION("cur:2", P_ADMIN, "cur:1",
                   "\"target_ref\": \"inc:a\", \"new_owner\": \"p:m1\", \"name\": \"WannaCry\", "
                   "\"reason\": \"p:m1 is back\""),
          K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "only p:m1, the owner of the key of inc:a@v3",
                rf_incident("inc:a@v4", P_M2, "inc:a@v3"), K(P_M2), NULL);
    rf_ok(f, rf_incident("inc:a@v4", P_M1, "inc:a@v3"), K(P_M1), NULL);
    /* A curation cannot be retracted, and curations of another key do not chain. */
    rf_rejected(f, LEDGER_EPOLICY, "retraction.target_ref names cur:2, a curation, but must name",
                rf_retraction("ret:cur", P_ADMIN, "cur:2"), K(P_ADMIN), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "supersedes a curation of another key",
                CURATION("cur:3", P_ADMIN, "cur:2",
                         "\"target_ref\": \"act:a\", \"name\": \"X\", \"reason\": \"r\""),
                K(P_ADMIN), NULL);
    /* Another member's report under the key stays its author's. */
    rf_ok(f,
          rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:a\", \"name\": \"Mine\"}}",
                  rf_hdr("rep:m2", P_M2, NULL, 0)),
          K(P_M2), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "only p:m2, the author of rep:m2, may supersede it",
                rf_json("{%s, \"incident_report\": {\"incident_key\": \"inc:a\"}}",
                        rf_hdr("rep:m2@v2", P_M1, "rep:m2", 0)),
                K(P_M1), NULL);
    rf_verify_ok(f);
    /* Forged behind the rule book: verify replays it and names the rule. */
    rf_forged(f, "only p:m1, the owner of the key of inc:a@v4 since its curation, may supersede it",
              rf_incident("inc:a@v5", P_M2, "inc:a@v4"), K(P_M2), NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(rules_registration_needs_admin_and_new_key),
        T(rules_revocation_by_admin_or_by_the_key_itself),
        T(rules_revoked_key_cannot_sign_after_revocation),
        T(rules_rotation_is_a_new_participant_version),
        T(rules_roles_gate_record_types),
        T(rules_ledger_policy_update_keeps_identity),
        T(rules_references_resolve_to_records_of_the_right_type),
        T(rules_every_reference_field_is_typed),
        T(rules_forged_reference_to_a_missing_record_fails_verify),
        T(rules_supersede_only_own_latest_unretracted),
        T(rules_retraction_only_by_author_and_once),
        T(rules_first_party_claim_names_its_author),
        T(rules_confidence_value_within_the_words),
        T(rules_finding_panel_and_decision_rule),
        T(rules_finding_keeps_the_ledgers_group_constraints),
        T(rules_finding_cannot_count_recusals_more_leniently),
        T(rules_vote_names_the_exact_digest_of_the_latest_finding),
        T(rules_same_record_twice_returns_the_existing_entry),
        T(rules_quorum_exactly_k_approvals_publishes),
        T(rules_quorum_k_minus_one_is_not_published),
        T(rules_quorum_vote_by_non_panelist_is_rejected),
        T(rules_quorum_recusal_lowers_n),
        T(rules_quorum_later_vote_replaces_earlier),
        T(rules_quorum_duplicate_vote_counts_once),
        T(rules_quorum_group_constraints_block_until_met),
        T(rules_quorum_votes_do_not_carry_over_to_a_revision),
        T(rules_quorum_retraction_by_the_body_unpublishes),
        T(rules_rotation_retires_dropped_keys),
        T(rules_last_admin_cannot_be_removed),
        T(rules_ledger_policy_limits_are_enforced),
        T(rules_ledger_policy_update_relaxes_limits),
        T(rules_incident_and_actor_keys_are_owned),
        T(rules_curation_by_the_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
