/*
 * world.c - the fixture ledger of world.h.
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *const ids[TU_WORLD_KEYS] = {"p:admin",  "p:gov",  "p:vendor", "p:cur",
                                               "p:quoted", "p:body", "p:panel",  NULL};

ledger_key *
tu_world_key(tu_world *w, const char *id)
{
    for (int i = 0; i < TU_WORLD_KEYS && ids[i] != NULL; i++)
        if (strcmp(ids[i], id) == 0)
            return w->keys[i];
    return NULL;
}

uint64_t
tu_world_submit(tu_world *w, const char *json, const char *author, const char *cosigner)
{
    ledger_envelope *env = NULL;
    ledger_receipt r;
    uint64_t index;

    TU_OK(ledger_envelope_parse(&env, json, strlen(json)));
    TU_OK(ledger_envelope_sign(env, tu_world_key(w, author)));
    if (cosigner != NULL)
        TU_OK(ledger_envelope_sign(env, tu_world_key(w, cosigner)));
    TU_OK(ledger_log_submit(&r, w->log, &env, 1));
    index = r.index;
    ledger_receipts_dispose(&r, 1);
    ledger_envelope_free(env);
    return index;
}

static void
reg(tu_world *w, const char *id, const char *kind, const char *role, const char *name)
{
    char buf[2048], b64[64];
    uint8_t pk[32];

    ledger_key_public(pk, tu_world_key(w, id));
    ledger_b64_encode(b64, pk, 32);
    snprintf(buf, sizeof buf,
             "{\"header\": {\"record_id\": \"reg:%s\", \"author\": \"p:admin\","
             " \"created\": \"2017-01-01T00:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\","
             " \"tlp\": \"TLP_CLEAR\"},"
             " \"participant\": {\"participant_id\": \"%s\", \"name\": \"%s\","
             " \"participant_kind\": \"%s\", \"identity_class\": \"organization\","
             " \"country\": \"GB\", \"roles\": [\"PARTICIPANT_ROLE_%s\"],"
             " \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
             id, id, name, kind, role, b64);
    tu_world_submit(w, buf, "p:admin", id);
}

/* What inc:one names beyond its core (STIX malware, vulnerability,
 * attack-pattern, impact, victim objects) and what ev:one carries beyond
 * its note (observables of every kind, times, a content commitment). */
#define WORLD_INC_ONE_NAMED                                                                        \
    " \"victims\": [{\"name\": \"City Hospital\", \"sectors\": [\"healthcare\"],"                  \
    " \"countries\": [\"GB\"], \"entity_counts\": [{\"entity_type\": \"organization\","            \
    " \"count\": 40}], \"notes\": \"Ambulances diverted.\"},"                                      \
    " {\"identity_ref\": \"p:vendor\", \"countries\": [\"GB\", \"FR\"]}],"                         \
    " \"attack_patterns\": [\"T1486\", \"T1021.002\"],"                                            \
    " \"malware\": [{\"name\": \"WormCry\", \"is_family\": true, \"malware_types\":"               \
    " [\"ransomware\", \"worm\"], \"sample_sha256\":"                                              \
    " [\"24D004A104D4D54034DBCFFC2A4B19A11F39008A575AA614EA04703480B1022C\"]}],"                   \
    " \"vulnerabilities\": [\"CVE-2017-0144\"],"                                                   \
    " \"impact\": {\"summary\": \"Hospitals diverted ambulances.\", \"monetary\":"                 \
    " [{\"variety\": \"ransom-demand\", \"currency\": \"USD\", \"max_amount\": 300,"               \
    " \"currency_actual\": \"BTC\"}], \"external_impacts\": [\"public-health\"]}"
#define WORLD_EV_ONE_MORE                                                                          \
    " \"observables\": [{\"type\": \"file-hash\", \"value\":"                                      \
    " \"db349b97c37d22f5ea1d1841e3c89eb4\"},"                                                      \
    " {\"type\": \"ipv4\", \"value\": \"203.0.113.7\"},"                                           \
    " {\"type\": \"domain\", \"value\": \"update.evil.example\"},"                                 \
    " {\"type\": \"url\", \"value\": \"http://update.evil.example/a?b=\\\"c\\\"\"},"               \
    " {\"type\": \"email\", \"value\": \"ops@evil.example\"},"                                     \
    " {\"type\": \"btc-address\", \"value\": \"1BoatSLRHtKNngkdXEeobR76b53LETtpyT\"},"             \
    " {\"type\": \"mutex\", \"value\": \"Global\\\\WormOne\"}],"                                   \
    " \"observed_first\": \"2017-05-12T07:44:00Z\", \"observed_last\": \"2017-05-13T00:00:00Z\","  \
    " \"content_commitment\": {\"digest\": {\"alg\": \"DIGEST_ALG_SHA256\", \"value\":"            \
    " \"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\"}, \"size\": 3,"                             \
    " \"media_type\": \"text/plain\", \"storage_uri\": \"https://evidence.example/ev-one\"}"

#define HDR(id, author, created)                                                                   \
    "{\"header\": {\"record_id\": \"" id "\", \"author\": \"" author "\", \"created\": \"" created \
    "\", \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"}, "

void
tu_world_create(tu_world *w)
{
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    ledger_vkey admin;
    uint8_t seed[32];
    char buf[4096], b64[64];
    ledger_envelope *fnd = NULL;
    uint8_t digest[32];

    memset(w, 0, sizeof *w);
    TU_OK(ledger_init());
    setenv("ATTRLEDGER_FAKE_TIME_MS", "1700000000000", 1);
    w->dir = tu_tempdir();
    assert_non_null(w->dir);
    memset(seed, 0x11, 32);
    TU_OK(ledger_key_from_seed(&w->log_key, TU_WORLD_ORIGIN, seed));
    for (int i = 0; ids[i] != NULL; i++) {
        memset(seed, 0x20 + i, 32);
        TU_OK(ledger_key_from_seed(&w->keys[i], ids[i], seed));
    }
    ledger_key_vkey(&w->log_vkey, w->log_key, LEDGER_SIGTYPE_ED25519);
    ledger_key_vkey(&admin, w->keys[0], LEDGER_SIGTYPE_ED25519);
    o.origin = TU_WORLD_ORIGIN;
    o.log_key = w->log_key;
    o.admins = &admin;
    o.n_admins = 1;
    o.panel_size = 1; /* one panelist decides, so one vote publishes */
    o.approvals_required = 1;
    TU_OK(ledger_log_create(&w->log, w->dir, &o));

    reg(w, "p:gov", "PARTICIPANT_KIND_GOVERNMENT", "MEMBER", "Government of Testland");
    reg(w, "p:vendor", "PARTICIPANT_KIND_SECURITY_VENDOR", "MEMBER", "Vendor Labs");
    reg(w, "p:cur", "PARTICIPANT_KIND_ATTRIBUTION_BODY", "CURATOR", "Body registry");
    reg(w, "p:quoted", "PARTICIPANT_KIND_GOVERNMENT_AGENCY", "MEMBER", "Quoted Agency");
    reg(w, "p:body", "PARTICIPANT_KIND_ATTRIBUTION_BODY", "BODY", "Attribution Body");
    reg(w, "p:panel", "PARTICIPANT_KIND_PANELIST", "PANELIST", "Panelist One");

    tu_world_submit(
        w,
        HDR("act:state", "p:gov",
            "2017-02-01T00:00:00Z") "\"actor\": {\"actor_id\": \"act:state\", \"name\": "
                                    "\"Stateland\","
                                    " \"actor_kind\": \"ACTOR_KIND_STATE\", \"country\": \"SL\"}}",
        "p:gov", NULL);
    tu_world_submit(
        w,
        HDR("act:unit", "p:gov",
            "2017-02-01T00:00:00Z") "\"actor\": {\"actor_id\": \"act:unit\", \"name\": \"Unit 1\","
                                    " \"actor_kind\": \"ACTOR_KIND_STATE_ORGAN\", "
                                    "\"parent_actor\": \"act:state\"}}",
        "p:gov", NULL);
    tu_world_submit(w,
                    HDR("act:group", "p:vendor",
                        "2017-02-01T00:00:00Z") "\"actor\": {\"actor_id\": \"act:group\", "
                                                "\"name\": \"Group Bear\","
                                                " \"aliases\": [\"APT-T\"], \"actor_kind\": "
                                                "\"ACTOR_KIND_INTRUSION_SET\","
                                                " \"parent_actor\": \"act:unit\"}}",
                    "p:vendor", NULL);
    tu_world_submit(
        w,
        HDR("inc:one", "p:gov",
            "2017-05-12T00:00:00Z") "\"incident_report\": {\"incident_key\": \"inc:one\", "
                                    "\"name\": \"Worm One\","
                                    " \"description\": \"A worm.\", \"incident_types\": "
                                    "[\"ransomware\"],"
                                    " \"determination\": \"DETERMINATION_CONFIRMED\","
                                    " \"investigation_status\": \"INVESTIGATION_STATUS_OPEN\", "
                                    "\"criticality\": 80," WORLD_INC_ONE_NAMED "}}",
        "p:gov", NULL);
    tu_world_submit(w,
                    HDR("inc:two", "p:vendor",
                        "2017-06-27T00:00:00Z") "\"incident_report\": {\"incident_key\": "
                                                "\"inc:two\", \"name\": \"Wiper Two\","
                                                " \"determination\": \"DETERMINATION_SUSPECTED\"}}",
                    "p:vendor", NULL);
    tu_world_submit(
        w,
        HDR("ev:one", "p:vendor",
            "2017-05-20T00:00:00Z") "\"evidence\": {\"incident_refs\": [\"inc:one\"],"
                                    " \"evidence_type\": \"EVIDENCE_TYPE_CODE_SIMILARITY\", "
                                    "\"title\": \"Overlap\","
                                    " \"description\": \"Shared code.\"," WORLD_EV_ONE_MORE "}}",
        "p:vendor", NULL);
    tu_world_submit(
        w,
        HDR("clm:gov-one", "p:gov",
            "2017-12-19T00:00:00Z") "\"attribution_claim\": {\"claimant\": \"p:gov\", "
                                    "\"incident_refs\": [\"inc:one\"],"
                                    " \"attributed_to\": \"act:group\", \"state_nexus\": "
                                    "\"act:state\","
                                    " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
                                    " \"level\": \"ATTRIBUTION_LEVEL_STRATEGIC\", \"statement\": "
                                    "\"Group Bear did it.\","
                                    " \"evidence_refs\": [\"ev:one\"],"
                                    " \"confidence\": {\"stix_value\": 85, \"likelihood\": "
                                    "{\"scale\":"
                                    " \"LIKELIHOOD_SCALE_PHIA\", \"term\": \"highly likely\", "
                                    "\"range_min\": 80,"
                                    " \"range_max\": 90}}}}",
        "p:gov", NULL);
    tu_world_submit(
        w,
        HDR("clm:vendor-one", "p:vendor",
            "2017-06-01T00:00:00Z") "\"attribution_claim\": {\"claimant\": \"p:vendor\", "
                                    "\"incident_refs\": "
                                    "[\"inc:one\"], \"attributed_to\": \"act:group\","
                                    " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
                                    " \"level\": \"ATTRIBUTION_LEVEL_TECHNICAL\", \"statement\": "
                                    "\"Code overlap.\","
                                    " \"confidence\": {\"stix_value\": 70}}}",
        "p:vendor", NULL);
    tu_world_submit(
        w,
        "{\"header\": {\"record_id\": \"clm:quoted-one\", \"author\": \"p:cur\","
        " \"created\": \"2018-02-24T00:00:00Z\", \"provenance\": \"PROVENANCE_TRANSCRIBED\","
        " \"tlp\": \"TLP_CLEAR\"}, "
        "\"attribution_claim\": {\"claimant\": \"p:quoted\", \"incident_refs\": "
        "[\"inc:one\"], \"attributed_to\": \"act:unit\","
        " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
        " \"statement\": \"Transcribed: officials said Unit 1.\","
        " \"confidence\": {\"stix_value\": 90}}}",
        "p:cur", NULL);
    tu_world_submit(
        w,
        HDR("op:endorse", "p:vendor",
            "2017-12-20T00:00:00Z") "\"opinion\": {\"target_refs\": [\"clm:gov-one\"], \"kind\": "
                                    "\"OPINION_KIND_ENDORSEMENT\", \"stance\": \"OPINION_AGREE\","
                                    " \"explanation\": \"Consistent with our data.\"}}",
        "p:vendor", NULL);
    tu_world_submit(
        w,
        HDR("clm:vendor-two", "p:vendor",
            "2017-07-01T00:00:00Z") "\"attribution_claim\": {\"claimant\": \"p:vendor\", "
                                    "\"incident_refs\": "
                                    "[\"inc:two\"], \"attributed_to\": \"act:group\","
                                    " \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\","
                                    " \"confidence\": {\"stix_value\": 50}}}",
        "p:vendor", NULL);
    tu_world_submit(
        w,
        HDR("ret:vendor-one", "p:vendor",
            "2018-01-10T00:00:00Z") "\"retraction\": {\"target_ref\": \"clm:vendor-one\", "
                                    "\"kind\": "
                                    "\"RETRACTION_KIND_WITHDRAW\", \"reason\": "
                                    "\"RETRACTION_REASON_ERROR\","
                                    " \"explanation\": \"Overlap was a shared library.\"}}",
        "p:vendor", NULL);
    tu_world_submit(w,
                    "{\"header\": {\"record_id\": \"inc:one@v2\", \"author\": \"p:gov\","
                    " \"created\": \"2018-03-01T00:00:00Z\", \"supersedes\": \"inc:one\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"}, "
                    "\"incident_report\": {\"incident_key\": \"inc:one\", \"name\": \"Worm One\","
                    " \"description\": \"A worm; revised figures.\", \"incident_types\": "
                    "[\"ransomware\"], \"determination\": \"DETERMINATION_CONFIRMED\","
                    " \"investigation_status\": \"INVESTIGATION_STATUS_CLOSED\"}}",
                    "p:gov", NULL);
    snprintf(
        buf, sizeof buf,
        HDR("fnd:one", "p:body",
            "2018-10-01T00:00:00Z") "\"finding\": {\"case_number\": \"IAB-1\", \"title\": \"Worm "
                                    "One\","
                                    " \"question\": \"Who?\", \"incident_refs\": [\"inc:one\"],"
                                    " \"outcome\": \"FINDING_OUTCOME_ATTRIBUTED\","
                                    " \"conclusions\": [{\"attributed_to\": \"act:group\", "
                                    "\"level\":"
                                    " \"ATTRIBUTION_LEVEL_OPERATIONAL\", \"confidence\": "
                                    "{\"stix_value\": 80}}],"
                                    " \"claims_assessed\": [{\"claim_ref\": \"clm:gov-one\", "
                                    "\"assessment\":"
                                    " \"CLAIM_ASSESSMENT_CONSISTENT\"}], \"panel_members\": "
                                    "[\"p:panel\"],"
                                    " \"decision_rule\": {\"panel_size\": 1, "
                                    "\"approvals_required\": 1}}}");
    TU_OK(ledger_envelope_parse(&fnd, buf, strlen(buf)));
    ledger_envelope_digest(digest, fnd);
    ledger_envelope_free(fnd);
    tu_world_submit(w, buf, "p:body", NULL);
    ledger_b64_encode(b64, digest, 32);
    snprintf(buf, sizeof buf,
             HDR("vote:one", "p:panel",
                 "2018-10-02T00:00:00Z") "\"panel_vote\": {\"finding_ref\": \"fnd:one\", "
                                         "\"finding_digest\": {\"alg\":"
                                         " \"DIGEST_ALG_SHA256\", \"value\": \"%s\"}, \"vote\": "
                                         "\"VOTE_APPROVE\"}}",
             b64);
    assert_int_equal(tu_world_submit(w, buf, "p:panel", NULL), TU_WORLD_SIZE - 1);
}

void
tu_world_free(tu_world *w)
{
    ledger_log_free(w->log);
    ledger_key_free(w->log_key);
    for (int i = 0; i < TU_WORLD_KEYS; i++)
        ledger_key_free(w->keys[i]);
    if (w->dir != NULL) {
        tu_rmtree(w->dir);
        free(w->dir);
    }
    memset(w, 0, sizeof *w);
}

int
tu_sink_write(void *payload, const uint8_t *data, size_t len)
{
    tu_sink *s = payload;

    if (s->len + len + 1 > s->cap) {
        size_t ncap = (s->len + len + 1) * 2;
        uint8_t *p = realloc(s->data, ncap);
        if (p == NULL)
            return LEDGER_ENOMEM;
        s->data = p;
        s->cap = ncap;
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

void
tu_sink_free(tu_sink *s)
{
    free(s->data);
    memset(s, 0, sizeof *s);
}

int
tu_audit_trail(const uint8_t *data, size_t len, const ledger_vkey *vk, ledger_audit_report *rep)
{
    ledger_audit *a = NULL;
    size_t start = 0;
    int rc;

    TU_OK(ledger_audit_new(&a, vk));
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n')
            continue;
        if ((rc = ledger_audit_line(a, data + start, i + 1 - start)) < 0)
            goto done;
        start = i + 1;
    }
    if (start < len && (rc = ledger_audit_line(a, data + start, len - start)) < 0)
        goto done;
    rc = ledger_audit_finish(rep, a);
done:
    ledger_audit_free(a);
    return rc;
}
