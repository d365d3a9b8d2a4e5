/*
 * rulefix.c - the shared ledger fixture of the rule and view tests.
 */
#include "rulefix.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger_int.h"

const char *const rf_id[P__COUNT] = {"p:admin", "p:m1",   "p:m2",   "p:cur",  "p:body", "p:pan1",
                                     "p:pan2",  "p:pan3", "p:pan4", "p:pan5", "p:pan6"};

static const char *const cast_roles[P__COUNT] = {
    NULL,
    "\"PARTICIPANT_ROLE_MEMBER\"",
    "\"PARTICIPANT_ROLE_MEMBER\"",
    "\"PARTICIPANT_ROLE_CURATOR\"",
    "\"PARTICIPANT_ROLE_BODY\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
    "\"PARTICIPANT_ROLE_PANELIST\"",
};

static const char *const cast_profile[P__COUNT][2] = {
    {NULL, NULL},
    {NULL, NULL},
    {NULL, NULL},
    {NULL, NULL},
    {NULL, NULL},
    {"REGION_EUROPE", "SECTOR_ACADEMIA"},
    {"REGION_EUROPE", "SECTOR_CERT"},
    {"REGION_EUROPE", "SECTOR_INDUSTRY"},
    {"REGION_NORTH_AMERICA", "SECTOR_ACADEMIA"},
    {"REGION_ASIA_PACIFIC", "SECTOR_CIVIL_SOCIETY"},
    {"REGION_AFRICA", "SECTOR_LEGAL"},
};

const char *
rf_json(const char *fmt, ...)
{
    static char ring[32][16384];
    static int next;
    char *buf = ring[next];
    va_list ap;
    int n;

    next = (next + 1) % 32;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof ring[0], fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof ring[0])
        fail_msg("rf_json: record text too long");
    return buf;
}

static const char *
b64_of(const uint8_t *p, size_t n)
{
    char tmp[LEDGER_B64_LEN(64) + 1];

    ledger_b64_encode(tmp, p, n);
    return rf_json("%s", tmp);
}

static const char *
pubkey_b64(const ledger_key *k)
{
    uint8_t pk[32];

    ledger_key_public(pk, k);
    return b64_of(pk, 32);
}

ledger_envelope *
rf_env(const char *json, const ledger_key *k1, const ledger_key *k2)
{
    ledger_envelope *env = NULL;

    TU_OK(ledger_envelope_parse(&env, json, strlen(json)));
    if (k1 != NULL)
        TU_OK(ledger_envelope_sign(env, k1));
    if (k2 != NULL)
        TU_OK(ledger_envelope_sign(env, k2));
    return env;
}

int
rf_submit(rf_ledger *f, uint64_t *index_out, int *existed_out, const char *json,
          const ledger_key *k1, const ledger_key *k2)
{
    ledger_envelope *env = rf_env(json, k1, k2);
    ledger_receipt r;
    int rc = ledger_log_submit(&r, f->log, &env, 1);

    if (rc == 0) {
        if (index_out != NULL)
            *index_out = r.index;
        if (existed_out != NULL)
            *existed_out = r.existed;
        ledger_receipts_dispose(&r, 1);
    }
    ledger_envelope_free(env);
    return rc;
}

uint64_t
rf_ok(rf_ledger *f, const char *json, const ledger_key *k1, const ledger_key *k2)
{
    uint64_t index = 0;
    int rc = rf_submit(f, &index, NULL, json, k1, k2);

    if (rc != 0)
        fail_msg("submit rejected (%d): %s\n  record: %.300s", rc, ledger_error_last()->message,
                 json);
    return index;
}

uint64_t
rf_size(rf_ledger *f)
{
    ledger_log_info info;

    TU_OK(ledger_log_info_get(&info, f->log));
    return info.size;
}

uint64_t
rf_index(rf_ledger *f, const char *record_id)
{
    uint64_t index = 0;

    TU_OK(ledger_log_lookup(&index, f->log, record_id));
    return index;
}

const char *
rf_digest_of(rf_ledger *f, const char *record_id)
{
    ledger_buf leaf = LEDGER_BUF_INIT;
    ledger_entry_info info;

    TU_OK(ledger_log_entry(&leaf, f->log, rf_index(f, record_id)));
    TU_OK(ledger_entry_info_get(&info, leaf.data, leaf.len));
    ledger_buf_dispose(&leaf);
    return b64_of(info.record_digest, 32);
}

static char *
record_id_of(const char *json)
{
    ledger_envelope *env = rf_env(json, NULL, NULL);
    char *rid = strdup(ledger_envelope_record_id(env));

    ledger_envelope_free(env);
    assert_non_null(rid);
    return rid;
}

static void
assert_message_has(const char *what, const char *want)
{
    const char *msg = ledger_error_last()->message;

    if (strstr(msg, want) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", what, msg, want);
}

void
rf_rejected(rf_ledger *f, int code, const char *rule, const char *json, const ledger_key *k1,
            const ledger_key *k2)
{
    ledger_buf cp1 = LEDGER_BUF_INIT, cp2 = LEDGER_BUF_INIT;
    uint64_t size = rf_size(f);
    char *rid = record_id_of(json);
    int rc;

    TU_OK(ledger_log_checkpoint(&cp1, f->log, 0));
    rc = rf_submit(f, NULL, NULL, json, k1, k2);
    if (rc != code)
        fail_msg("submit of %s returned %d, want %d: %s", rid, rc, code,
                 ledger_error_last()->message);
    assert_message_has("submit", rid);
    assert_message_has("submit", rule);
    /* Nothing was written: same size, same latest checkpoint. */
    assert_int_equal(rf_size(f), size);
    TU_OK(ledger_log_checkpoint(&cp2, f->log, 0));
    assert_int_equal(cp1.len, cp2.len);
    assert_memory_equal(cp1.data, cp2.data, cp1.len);
    ledger_buf_dispose(&cp1);
    ledger_buf_dispose(&cp2);
    free(rid);
}

void
rf_verify_ok(rf_ledger *f)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;

    o.log_key = &f->log_vkey;
    TU_OK(ledger_log_verify(&rep, f->log, &o));
    assert_int_equal(rep.entries, rf_size(f));
}

void
rf_forged(rf_ledger *f, const char *rule, const char *json, const ledger_key *k1,
          const ledger_key *k2)
{
    ledger_verify_options o = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report rep;
    ledger_envelope *env = rf_env(json, k1, k2);
    ledger_receipt r;
    char where[300];
    int rc;

    /* Valid before the forgery, so the failure is the forged entry's. */
    rf_verify_ok(f);
    TU_OK(lg_ledger_forge(&r, f->log, &env, 1));
    assert_int_equal(r.existed, 0);
    snprintf(where, sizeof where, "entry %llu (%s)", (unsigned long long)r.index,
             ledger_envelope_record_id(env));
    o.log_key = &f->log_vkey;
    rc = ledger_log_verify(&rep, f->log, &o);
    if (rc != LEDGER_ECORRUPT)
        fail_msg("verify of forged %s returned %d, want LEDGER_ECORRUPT: %s", where, rc,
                 ledger_error_last()->message);
    assert_int_equal(rep.bad_index_valid, 1);
    if (rep.bad_index != r.index)
        fail_msg("verify blames entry %llu, want the forged %s: %s",
                 (unsigned long long)rep.bad_index, where, ledger_error_last()->message);
    assert_message_has("verify", where);
    assert_message_has("verify", rule);
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
}

/* ---- builders ---- */

const char *
rf_hdr(const char *rid, int author, const char *sup, int transcribed)
{
    return rf_json("\"header\": {\"record_id\": \"%s\", \"author\": \"%s\"%s%s%s,"
                   " \"created\": \"2017-06-01T00:00:00Z\", \"provenance\": \"PROVENANCE_%s\","
                   " \"tlp\": \"TLP_CLEAR\"}",
                   rid, rf_id[author], sup ? ", \"supersedes\": \"" : "", sup ? sup : "",
                   sup ? "\"" : "", transcribed ? "TRANSCRIBED" : "FIRST_PARTY");
}

const char *
rf_actor(const char *rid, int author)
{
    return rf_json("{%s, \"actor\": {\"actor_id\": \"%s\", \"name\": \"Actor %s\","
                   " \"actor_kind\": \"ACTOR_KIND_INTRUSION_SET\"}}",
                   rf_hdr(rid, author, NULL, 0), rid, rid);
}

const char *
rf_incident(const char *rid, int author, const char *sup)
{
    const char *at = strchr(rid, '@');
    int keylen = at ? (int)(at - rid) : (int)strlen(rid);

    return rf_json("{%s, \"incident_report\": {\"incident_key\": \"%.*s\", \"name\": \"Incident "
                   "%s\", \"determination\": \"DETERMINATION_CONFIRMED\"}}",
                   rf_hdr(rid, author, sup, 0), keylen, rid, rid);
}

const char *
rf_evidence(const char *rid, int author, const char *incident)
{
    return rf_json("{%s, \"evidence\": {\"incident_refs\": [\"%s\"],"
                   " \"evidence_type\": \"EVIDENCE_TYPE_CODE_SIMILARITY\", \"title\": \"Evidence "
                   "%s\"}}",
                   rf_hdr(rid, author, NULL, 0), incident, rid);
}

const char *
rf_claim(const char *rid, int author, const char *sup, int transcribed, const char *claimant,
         const char *body)
{
    if (body == NULL)
        body = "\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:a\","
               " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
               " \"level\": \"ATTRIBUTION_LEVEL_TECHNICAL\","
               " \"confidence\": {\"stix_value\": 85, \"likelihood\": {\"scale\":"
               " \"LIKELIHOOD_SCALE_PHIA\", \"term\": \"highly likely\", \"range_min\": 80,"
               " \"range_max\": 90}}";
    return rf_json("{%s, \"attribution_claim\": {\"claimant\": \"%s\", %s,"
                   " \"statement\": \"Claim %s.\"}}",
                   rf_hdr(rid, author, sup, transcribed), claimant, body, rid);
}

const char *
rf_opinion(const char *rid, int author, const char *target, const char *kind, int accused)
{
    return rf_json("{%s, \"opinion\": {\"target_refs\": [\"%s\"], \"kind\": \"OPINION_KIND_%s\","
                   " \"stance\": \"OPINION_DISAGREE\", \"is_accused_party\": %s,"
                   " \"explanation\": \"Opinion %s.\"}}",
                   rf_hdr(rid, author, NULL, 0), target, kind, accused ? "true" : "false", rid);
}

const char *
rf_retraction(const char *rid, int author, const char *target)
{
    return rf_json(
        "{%s, \"retraction\": {\"target_ref\": \"%s\","
        " \"kind\": \"RETRACTION_KIND_WITHDRAW\", \"reason\": \"RETRACTION_REASON_ERROR\","
        " \"explanation\": \"Withdrawn.\"}}",
        rf_hdr(rid, author, NULL, 0), target);
}

const char *
rf_finding(const char *rid, int author, const char *sup, const char *incident, const char *panel,
           const char *rule)
{
    return rf_json("{%s, \"finding\": {\"case_number\": \"CASE-%s\", \"title\": \"Finding %s\","
                   " \"incident_refs\": [\"%s\"], \"outcome\": \"FINDING_OUTCOME_ATTRIBUTED\","
                   " \"conclusions\": [{\"attributed_to\": \"act:a\", \"level\":"
                   " \"ATTRIBUTION_LEVEL_TECHNICAL\", \"confidence\": {\"stix_value\": 70,"
                   " \"likelihood\": {\"scale\": \"LIKELIHOOD_SCALE_ICD203\", \"term\": \"likely\","
                   " \"range_min\": 55, \"range_max\": 80}}}],"
                   " \"panel_members\": [%s]%s%s%s}}",
                   rf_hdr(rid, author, sup, 0), rid, rid, incident, panel,
                   rule ? ", \"decision_rule\": {" : "", rule ? rule : "", rule ? "}" : "");
}

const char *
rf_vote(const char *rid, int author, const char *finding, const char *digest_b64, const char *vote)
{
    return rf_json("{%s, \"panel_vote\": {\"finding_ref\": \"%s\", \"finding_digest\":"
                   " {\"alg\": \"DIGEST_ALG_SHA256\", \"value\": \"%s\"}, \"vote\": \"%s\"}}",
                   rf_hdr(rid, author, NULL, 0), finding, digest_b64, vote);
}

const char *
rf_vote_on(rf_ledger *f, const char *rid, int author, const char *finding, const char *vote)
{
    return rf_vote(rid, author, finding, rf_digest_of(f, finding), vote);
}

const char *
rf_participant(const char *rid, int author, const char *sup, const char *pid, const char *roles,
               const ledger_key *k1, const ledger_key *k2, const char *profile)
{
    const char *keys = k2 ? rf_json("{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"},"
                                    " {\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}",
                                    pubkey_b64(k1), pubkey_b64(k2))
                          : rf_json("{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}",
                                    pubkey_b64(k1));

    return rf_json("{%s, \"participant\": {\"participant_id\": \"%s\", \"name\": \"Participant "
                   "%s\", \"roles\": [%s], \"public_keys\": [%s]%s%s%s}}",
                   rf_hdr(rid, author, sup, 0), pid, pid, roles, keys,
                   profile ? ", \"panel_profile\": {" : "", profile ? profile : "",
                   profile ? "}" : "");
}

const char *
rf_revocation(const char *rid, int author, const char *pid, const ledger_key *key)
{
    uint8_t id[32];

    ledger_key_id(id, key);
    return rf_json("{%s, \"key_revocation\": {\"participant_id\": \"%s\", \"key_id\": \"%s\","
                   " \"reason\": \"REVOCATION_REASON_COMPROMISED\"}}",
                   rf_hdr(rid, author, NULL, 0), pid, b64_of(id, 32));
}

const char *
rf_policy(rf_ledger *f, const char *rid, int author, const char *sup, const char *rule)
{
    return rf_policy_with(f, rid, author, sup, rule, NULL);
}

const char *
rf_policy_with(rf_ledger *f, const char *rid, int author, const char *sup, const char *rule,
               const char *extra)
{
    return rf_json("{%s, \"ledger_policy\": {\"origin\": \"%s\", \"log_public_key\": \"%s\","
                   " \"decision_rule\": {%s}%s%s}}",
                   rf_hdr(rid, author, sup, 0), RF_ORIGIN, pubkey_b64(f->log_key), rule,
                   extra ? ", " : "", extra ? extra : "");
}

/* ---- the fixture ---- */

static void
register_cast(rf_ledger *f)
{
    ledger_envelope *envs[P__COUNT];
    ledger_receipt r[P__COUNT];
    size_t n = 0;

    for (int p = P_ADMIN + 1; p < P__COUNT; p++) {
        const char *profile = cast_profile[p][0] ? rf_json("\"region\": \"%s\", \"sector\": \"%s\"",
                                                           cast_profile[p][0], cast_profile[p][1])
                                                 : NULL;
        const char *json = rf_participant(rf_json("reg:%s", rf_id[p]), P_ADMIN, NULL, rf_id[p],
                                          cast_roles[p], f->key[p], NULL, profile);
        envs[n++] = rf_env(json, f->key[P_ADMIN], f->key[p]);
    }
    TU_OK(ledger_log_submit(r, f->log, envs, n));
    ledger_receipts_dispose(r, n);
    for (size_t i = 0; i < n; i++)
        ledger_envelope_free(envs[i]);
}

rf_ledger *
rf_new(int base)
{
    rf_ledger *f = calloc(1, sizeof *f);
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    ledger_vkey admin_vk;
    uint8_t seed[32];

    assert_non_null(f);
    TU_OK(ledger_init());
    f->dir = tu_tempdir();
    assert_non_null(f->dir);
    memset(seed, 0xa0, 32);
    TU_OK(ledger_key_from_seed(&f->log_key, RF_ORIGIN, seed));
    for (int p = 0; p < P__COUNT; p++) {
        memset(seed, 0x10 + p, 32);
        TU_OK(ledger_key_from_seed(&f->key[p], rf_id[p], seed));
    }
    ledger_key_vkey(&admin_vk, f->key[P_ADMIN], LEDGER_SIGTYPE_ED25519);
    ledger_key_vkey(&f->log_vkey, f->log_key, LEDGER_SIGTYPE_ED25519);
    o.origin = RF_ORIGIN;
    o.log_key = f->log_key;
    o.admins = &admin_vk;
    o.n_admins = 1;
    TU_OK(ledger_log_create(&f->log, f->dir, &o));
    register_cast(f);
    if (base) {
        rf_ok(f, rf_actor("act:a", P_M1), f->key[P_M1], NULL);
        rf_ok(f, rf_actor("act:b", P_M1), f->key[P_M1], NULL);
        rf_ok(f, rf_incident("inc:a", P_M1, NULL), f->key[P_M1], NULL);
        rf_ok(f, rf_evidence("ev:a", P_M1, "inc:a"), f->key[P_M1], NULL);
        rf_ok(f, rf_claim("clm:a", P_M1, NULL, 0, "p:m1", NULL), f->key[P_M1], NULL);
        rf_ok(f, rf_finding("fnd:a", P_BODY, NULL, "inc:a", RF_PANEL, NULL), f->key[P_BODY], NULL);
    }
    return f;
}

void
rf_free(rf_ledger *f)
{
    if (f == NULL)
        return;
    ledger_log_free(f->log);
    ledger_key_free(f->log_key);
    for (int p = 0; p < P__COUNT; p++)
        ledger_key_free(f->key[p]);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
}
