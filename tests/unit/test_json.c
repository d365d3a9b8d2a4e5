/*
 * test_json.c - proto3 JSON <-> protobuf-c (json.c).
 *
 * Round trips JSON -> message -> pack -> unpack -> JSON over realistic
 * records, every rejection with its exact message, and the malloc-failure
 * loop. Two hand-written descriptors (AllTypes, Node) cover the types and
 * the recursion the ledger schema does not use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "base/alloc.h"
#include "attrledger/common.h"
#include "attrledger/error.h"
#include "attrledger/v1/ledger.pb-c.h"
#include "base/b64.h"
#include "google/protobuf/timestamp.pb-c.h"
#include "codec/json.h"
#include "testutil.h"

/* ---- helpers ---- */

static void
msg_free(void *m)
{
    protobuf_c_message_free_unpacked(m, lg_alloc_protobuf());
}

static int
decode_text(ProtobufCMessage **out, const ProtobufCMessageDescriptor *desc, const char *text)
{
    json_t *v = NULL;
    int rc;

    *out = NULL;
    if ((rc = lg_json_load(&v, text, strlen(text))) < 0)
        return rc;
    rc = lg_json_decode(out, desc, v);
    json_decref(v);
    return rc;
}

static ProtobufCMessage *
decode_ok(const ProtobufCMessageDescriptor *desc, const char *text)
{
    ProtobufCMessage *m = NULL;

    TU_OK(decode_text(&m, desc, text));
    assert_non_null(m);
    return m;
}

/* Encode to compact JSON; returns a malloc'd string. */
static char *
encode_text(const ProtobufCMessage *m)
{
    json_t *v = NULL;
    ledger_buf buf = LEDGER_BUF_INIT;
    char *s;

    TU_OK(lg_json_encode(&v, m));
    TU_OK(lg_json_dump(&buf, v, 0));
    json_decref(v);
    assert_int_equal(strlen((char *)buf.data), buf.len);
    s = strdup((char *)buf.data);
    ledger_buf_dispose(&buf);
    return s;
}

static uint8_t *
pack(const ProtobufCMessage *m, size_t *len)
{
    uint8_t *b;

    *len = protobuf_c_message_get_packed_size(m);
    b = malloc(*len + 1);
    assert_non_null(b);
    assert_int_equal(protobuf_c_message_pack(m, b), *len);
    return b;
}

static void
expect_error_code(const ProtobufCMessageDescriptor *desc, const char *text, int code,
                  const char *want)
{
    ProtobufCMessage *m = (ProtobufCMessage *)1;
    int rc = decode_text(&m, desc, text);

    assert_null(m);
    if (rc != code || strcmp(ledger_error_last()->message, want) != 0)
        fail_msg("decoding %s\n  got  %d \"%s\"\n  want %d \"%s\"", text, rc,
                 ledger_error_last()->message, code, want);
}

static void
expect_error(const ProtobufCMessageDescriptor *desc, const char *text, const char *want)
{
    expect_error_code(desc, text, LEDGER_EFORMAT, want);
}

/*
 * JSON -> message -> pack -> unpack -> JSON. Checks that the unpacked
 * message encodes to the same JSON as the decoded one, and that this JSON
 * decodes to the same bytes again (the canonical form is a fixed point).
 * Returns the JSON (malloc'd); the packed bytes in *bytes_out if wanted.
 */
static char *
round_trip(const ProtobufCMessageDescriptor *desc, const char *text, uint8_t **bytes_out,
           size_t *len_out)
{
    ProtobufCMessage *m1 = decode_ok(desc, text), *m2, *m3;
    uint8_t *b1, *b3;
    size_t n1, n3;
    char *j1, *j2;

    b1 = pack(m1, &n1);
    m2 = protobuf_c_message_unpack(desc, lg_alloc_protobuf(), n1, b1);
    assert_non_null(m2);
    j1 = encode_text(m1);
    j2 = encode_text(m2);
    assert_string_equal(j1, j2);
    m3 = decode_ok(desc, j2);
    b3 = pack(m3, &n3);
    assert_int_equal(n1, n3);
    assert_memory_equal(b1, b3, n1);
    msg_free(m1);
    msg_free(m2);
    msg_free(m3);
    free(b3);
    free(j1);
    if (bytes_out != NULL) {
        *bytes_out = b1;
        *len_out = n1;
    } else {
        free(b1);
    }
    return j2;
}

static void
assert_same_bytes(const ProtobufCMessageDescriptor *desc, const char *a, const char *b)
{
    ProtobufCMessage *ma = decode_ok(desc, a), *mb = decode_ok(desc, b);
    size_t na, nb;
    uint8_t *ba = pack(ma, &na), *bb = pack(mb, &nb);

    assert_int_equal(na, nb);
    assert_memory_equal(ba, bb, na);
    free(ba);
    free(bb);
    msg_free(ma);
    msg_free(mb);
}

#define RECORD (&attrledger__v1__record__descriptor)
#define LOG_ENTRY (&attrledger__v1__log_entry__descriptor)

/* ---- realistic records ---- */

#define HEADER_CLAIM                                                                               \
    "\"header\": {\n"                                                                              \
    "    \"record_id\": \"claim-uk-wannacry-2017\",\n"                                             \
    "    \"author\": \"uk-fcdo\",\n"                                                               \
    "    \"created\": \"2017-12-19T08:30:00.500Z\",\n"                                             \
    "    \"supersedes\": \"\",\n"                                                                  \
    "    \"provenance\": \"PROVENANCE_FIRST_PARTY\",\n"                                            \
    "    \"tlp\": \"TLP_CLEAR\",\n"                                                                \
    "    \"labels\": [\"wannacry\", \"\"],\n"                                                      \
    "    \"lang\": \"en\"\n"                                                                       \
    "}"

/* Body first, defaults spelled out, an offset time: output is canonical. */
static const char claim_json[] =
    "{\n"
    "  \"attribution_claim\": {\n"
    "    \"claimant\": \"uk-ncsc\",\n"
    "    \"claimed_at\": {\"time\": \"2017-12-19T09:30:00+01:00\",\n"
    "                     \"precision\": \"DATE_PRECISION_DAY\"},\n"
    "    \"incident_refs\": [\"wannacry-2017\"],\n"
    "    \"attributed_to\": \"lazarus-group\",\n"
    "    \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\",\n"
    "    \"level\": \"ATTRIBUTION_LEVEL_STRATEGIC\",\n"
    "    \"target_scope\": \"TARGET_SCOPE_UNSPECIFIED\",\n"
    "    \"state_nexus\": \"dprk\",\n"
    "    \"state_responsibility\": \"STATE_RESPONSIBILITY_ORDERED\",\n"
    "    \"statement\": \"The NCSC assesses it is highly likely that the Lazarus Group was "
    "behind WannaCry \\u2014 \\\"highly likely\\\".\",\n"
    "    \"confidence\": {\n"
    "      \"stix_value\": 0,\n"
    "      \"likelihood\": {\"scale\": \"LIKELIHOOD_SCALE_PHIA\", \"term\": \"highly likely\",\n"
    "                     \"range_min\": 80, \"range_max\": 90},\n"
    "      \"analytic_confidence\": \"ANALYTIC_CONFIDENCE_HIGH\",\n"
    "      \"wording\": \"highly likely\",\n"
    "      \"mapping_note\": \"\"\n"
    "    },\n"
    "    \"channel\": \"CHANNEL_OFFICIAL_STATEMENT\",\n"
    "    \"false_flag_claimed\": null,\n"
    "    \"methodology\": {\"approaches\": [\"APPROACH_CODE_SIMILARITY\",\n"
    "                    \"APPROACH_INFRASTRUCTURE_OVERLAP\"], \"deception_considered\": true},\n"
    "    \"joint_with\": [],\n"
    "    \"related_claims\": [{\"claim_ref\": \"claim-us-wannacry-2017\",\n"
    "                        \"relation\": \"CLAIM_RELATION_REFINES\"}],\n"
    "    \"external_references\": [{\"source_name\": \"gov.uk\",\n"
    "        \"url\": \"https://www.gov.uk/government/news/foreign-office-minister-condemns-"
    "north-korean-actor-for-wannacry-attacks\"}]\n"
    "  },\n" HEADER_CLAIM "\n}\n";

static const char claim_canonical[] =
    "{\"header\":{\"record_id\":\"claim-uk-wannacry-2017\",\"author\":\"uk-fcdo\","
    "\"created\":\"2017-12-19T08:30:00.500Z\",\"provenance\":\"PROVENANCE_FIRST_PARTY\","
    "\"tlp\":\"TLP_CLEAR\",\"labels\":[\"wannacry\",\"\"],\"lang\":\"en\"},"
    "\"attribution_claim\":{\"claimant\":\"uk-ncsc\","
    "\"claimed_at\":{\"time\":\"2017-12-19T08:30:00Z\",\"precision\":\"DATE_PRECISION_DAY\"},"
    "\"incident_refs\":[\"wannacry-2017\"],\"attributed_to\":\"lazarus-group\","
    "\"assertion_type\":\"ASSERTION_TYPE_ATTRIBUTION\",\"level\":\"ATTRIBUTION_LEVEL_STRATEGIC\","
    "\"state_nexus\":\"dprk\",\"state_responsibility\":\"STATE_RESPONSIBILITY_ORDERED\","
    "\"statement\":\"The NCSC assesses it is highly likely that the Lazarus Group was behind "
    "WannaCry \xe2\x80\x94 \\\"highly likely\\\".\","
    "\"confidence\":{\"stix_value\":0,\"likelihood\":{\"scale\":\"LIKELIHOOD_SCALE_PHIA\","
    "\"term\":\"highly likely\",\"range_min\":80,\"range_max\":90},"
    "\"analytic_confidence\":\"ANALYTIC_CONFIDENCE_HIGH\",\"wording\":\"highly likely\"},"
    "\"channel\":\"CHANNEL_OFFICIAL_STATEMENT\","
    "\"methodology\":{\"approaches\":[\"APPROACH_CODE_SIMILARITY\","
    "\"APPROACH_INFRASTRUCTURE_OVERLAP\"],\"deception_considered\":true},"
    "\"related_claims\":[{\"claim_ref\":\"claim-us-wannacry-2017\","
    "\"relation\":\"CLAIM_RELATION_REFINES\"}],"
    "\"external_references\":[{\"source_name\":\"gov.uk\",\"url\":\"https://www.gov.uk/"
    "government/news/foreign-office-minister-condemns-north-korean-actor-for-wannacry-"
    "attacks\"}]}}";

/* The same record in lowerCamelCase, enums by number, uint32 as strings. */
static const char claim_camel_json[] =
    "{\"header\":{\"recordId\":\"claim-uk-wannacry-2017\",\"author\":\"uk-fcdo\","
    "\"created\":\"2017-12-19T08:30:00.5Z\",\"provenance\":1,\"tlp\":1,"
    "\"labels\":[\"wannacry\",\"\"],\"lang\":\"en\"},"
    "\"attributionClaim\":{\"claimant\":\"uk-ncsc\","
    "\"claimedAt\":{\"time\":\"2017-12-19T08:30:00.000Z\",\"precision\":3},"
    "\"incidentRefs\":[\"wannacry-2017\"],\"attributedTo\":\"lazarus-group\","
    "\"assertionType\":1,\"level\":\"ATTRIBUTION_LEVEL_STRATEGIC\",\"stateNexus\":\"dprk\","
    "\"stateResponsibility\":7,"
    "\"statement\":\"The NCSC assesses it is highly likely that the Lazarus Group was behind "
    "WannaCry \xe2\x80\x94 \\\"highly likely\\\".\","
    "\"confidence\":{\"stixValue\":\"0\",\"likelihood\":{\"scale\":2,\"term\":\"highly likely\","
    "\"rangeMin\":\"80\",\"rangeMax\":90.0},\"analyticConfidence\":3,"
    "\"wording\":\"highly likely\"},\"channel\":1,"
    "\"methodology\":{\"approaches\":[1,2],\"deceptionConsidered\":true},"
    "\"relatedClaims\":[{\"claimRef\":\"claim-us-wannacry-2017\",\"relation\":1}],"
    "\"externalReferences\":[{\"sourceName\":\"gov.uk\",\"url\":\"https://www.gov.uk/"
    "government/news/foreign-office-minister-condemns-north-korean-actor-for-wannacry-"
    "attacks\"}]}}";

/* "Cannot be judged": a confidence with no stix_value at all. */
static const char claim_no_stix_json[] =
    "{\"header\":{\"record_id\":\"claim-vendor-olympic-destroyer\",\"author\":\"vendor-a\","
    "\"created\":\"2018-02-12T00:00:00Z\",\"provenance\":\"PROVENANCE_FIRST_PARTY\","
    "\"tlp\":\"TLP_CLEAR\"},"
    "\"attribution_claim\":{\"claimant\":\"vendor-a\",\"incident_refs\":[\"olympic-destroyer\"],"
    "\"assertion_type\":\"ASSERTION_TYPE_HYPOTHESIS\",\"level\":\"ATTRIBUTION_LEVEL_TECHNICAL\","
    "\"false_flag_claimed\":{\"impersonated_actor\":\"lazarus-group\"},"
    "\"confidence\":{\"likelihood\":{\"scale\":\"LIKELIHOOD_SCALE_FREE_TEXT\","
    "\"term\":\"cannot be judged\"},\"wording\":\"false flags throughout\"},"
    "\"methodology\":{\"alternative_hypotheses\":[{\"actor_ref\":\"sofacy\"},"
    "{\"actor_ref\":\"lazarus-group\",\"assessment\":\"rich header forged\"}]}}}";

static const char participant_json[] =
    "{\"header\":{\"record_id\":\"participant-example-cert\",\"author\":\"admin-1\","
    "\"created\":\"2024-03-01T12:00:00Z\",\"tlp\":\"TLP_GREEN\"},"
    "\"participant\":{\"participant_id\":\"example-cert\",\"name\":\"Example National CERT\","
    "\"participant_kind\":\"PARTICIPANT_KIND_GOVERNMENT_AGENCY\","
    "\"identity_class\":\"organization\",\"country\":\"NL\",\"sectors\":[\"government\"],"
    "\"public_keys\":["
    "{\"alg\":\"SIGNATURE_ALG_ED25519\","
    "\"public_key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
    "\"valid_from\":\"2024-03-01T00:00:00Z\"},"
    "{\"alg\":1,\"publicKey\":\"__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA\","
    "\"validFrom\":\"2024-03-01T00:00:00Z\",\"validUntil\":\"2026-03-01T00:00:00.000001Z\"}],"
    "\"roles\":[\"PARTICIPANT_ROLE_MEMBER\",6],"
    "\"reliability_rating\":{\"source_reliability\":\"SOURCE_RELIABILITY_B\","
    "\"rated_by\":\"admin-1\"},"
    "\"panel_profile\":{}}}";

static const char participant_canonical[] =
    "{\"header\":{\"record_id\":\"participant-example-cert\",\"author\":\"admin-1\","
    "\"created\":\"2024-03-01T12:00:00Z\",\"tlp\":\"TLP_GREEN\"},"
    "\"participant\":{\"participant_id\":\"example-cert\",\"name\":\"Example National CERT\","
    "\"participant_kind\":\"PARTICIPANT_KIND_GOVERNMENT_AGENCY\","
    "\"identity_class\":\"organization\",\"country\":\"NL\",\"sectors\":[\"government\"],"
    "\"public_keys\":["
    "{\"alg\":\"SIGNATURE_ALG_ED25519\","
    "\"public_key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
    "\"valid_from\":\"2024-03-01T00:00:00Z\"},"
    "{\"alg\":\"SIGNATURE_ALG_ED25519\","
    "\"public_key\":\"//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA=\","
    "\"valid_from\":\"2024-03-01T00:00:00Z\",\"valid_until\":\"2026-03-01T00:00:00.000001Z\"}],"
    "\"roles\":[\"PARTICIPANT_ROLE_MEMBER\",\"PARTICIPANT_ROLE_CLAIMANT\"],"
    "\"reliability_rating\":{\"source_reliability\":\"SOURCE_RELIABILITY_B\","
    "\"rated_by\":\"admin-1\"},"
    "\"panel_profile\":{}}}";

static const char incident_json[] =
    "{\"header\":{\"record_id\":\"incident-notpetya-2017\",\"author\":\"cert-ua\","
    "\"created\":\"2017-07-01T10:00:00+03:00\",\"tlp\":\"TLP_CLEAR\","
    "\"labels\":[\"wiper\",\"supply-chain\"]},"
    "\"incident_report\":{\"incident_key\":\"notpetya-2017\",\"name\":\"NotPetya\","
    "\"aliases\":[\"ExPetr\",\"Nyetya\"],"
    "\"description\":\"Destructive malware spread through M.E.Doc updates.\","
    "\"incident_types\":[\"destruction\"],\"determination\":\"DETERMINATION_CONFIRMED\","
    "\"investigation_status\":\"INVESTIGATION_STATUS_CLOSED\",\"criticality\":95,"
    "\"timeline\":{"
    "\"compromise_start\":{\"time\":\"2017-04-14T00:00:00Z\","
    "\"precision\":\"DATE_PRECISION_MONTH\"},"
    "\"first_seen\":{\"time\":\"2017-06-27T09:00:00.123456789+03:00\","
    "\"precision\":\"DATE_PRECISION_SECOND\"},"
    "\"disclosed\":{\"time\":\"2017-06-27T00:00:00Z\",\"precision\":\"DATE_PRECISION_DAY\"}},"
    "\"victims\":[{\"name\":\"Maersk\",\"sectors\":[\"transportation\"],\"countries\":[\"DK\"],"
    "\"entity_counts\":[{\"entity_type\":\"computers\",\"count\":\"49000\"},"
    "{\"entity_type\":\"servers\",\"count\":4000}]},"
    "{\"name\":\"Unnamed hospital\",\"entity_counts\":[{\"entity_type\":\"beds\","
    "\"count\":0}]}],"
    "\"countries_affected_count\":65,"
    "\"actions\":[{\"category\":\"ACTION_CATEGORY_MALWARE\",\"varieties\":[\"Destroy\","
    "\"Worm\"],\"vectors\":[\"Software update\"]}],"
    "\"attack_patterns\":[\"T1195.002\",\"T1485\"],"
    "\"malware\":[{\"name\":\"NotPetya\",\"malware_types\":[\"wiper\"],\"is_family\":true,"
    "\"sample_sha256\":[\"027cc450ef5f8c5f653329641ec1fed91f694e0d229928963b30f6b0d7d3a745\"]}],"
    "\"vulnerabilities\":[\"CVE-2017-0144\"],"
    "\"assets\":[{\"variety\":\"S - Server\",\"amount\":\"18446744073709551615\"}],"
    "\"attributes_affected\":{\"availability\":{\"varieties\":[\"Destruction\"],"
    "\"duration\":{\"unit\":\"DURATION_UNIT_WEEKS\",\"value\":\"2\"}}},"
    "\"impact\":{\"summary\":\"global disruption\",\"monetary\":[{\"variety\":\"Business "
    "disruption\",\"currency\":\"USD\",\"min_amount\":\"10000000000\","
    "\"max_amount\":9007199254740993}]}}}";

static const char panel_vote_json[] =
    "{\"header\":{\"record_id\":\"vote-2024-001-panelist-3\",\"author\":\"panelist-3\","
    "\"created\":\"2024-05-02T16:45:10Z\",\"tlp\":\"TLP_AMBER\"},"
    "\"panel_vote\":{\"finding_ref\":\"finding-2024-001\","
    "\"finding_digest\":{\"alg\":\"DIGEST_ALG_SHA256\","
    "\"value\":\"T68+o/A3sOVXGmeNalzqQcDZbUgf/XY24H8A+2RvB+4=\"},"
    "\"vote\":\"VOTE_APPROVE\",\"statement\":\"Concur; dissent noted in annex.\"}}";

/* ---- round trips ---- */

static void
json_round_trip_attribution_claim(void **state)
{
    const Attrledger__V1__Record *r;
    ProtobufCMessage *m;
    char *out;

    (void)state;
    out = round_trip(RECORD, claim_json, NULL, NULL);
    assert_string_equal(out, claim_canonical);
    free(out);

    m = decode_ok(RECORD, claim_json);
    r = (const Attrledger__V1__Record *)m;
    assert_int_equal(r->body_case, ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM);
    assert_int_equal(r->attribution_claim->confidence->stix_case,
                     ATTRLEDGER__V1__CONFIDENCE_ASSESSMENT__STIX_STIX_VALUE);
    assert_int_equal(r->attribution_claim->confidence->stix_value, 0);
    assert_null(r->attribution_claim->false_flag_claimed); /* null creates nothing */
    assert_int_equal(r->header->created->seconds, 1513672200);
    assert_int_equal(r->header->created->nanos, 500000000);
    assert_int_equal(r->attribution_claim->claimed_at->time->seconds, 1513672200);
    assert_int_equal(r->header->n_labels, 2);
    assert_string_equal(r->header->labels[1], "");
    msg_free(m);
}

static void
json_round_trip_stix_value_absent(void **state)
{
    const Attrledger__V1__Record *r;
    ProtobufCMessage *m;
    char *out;

    (void)state;
    out = round_trip(RECORD, claim_no_stix_json, NULL, NULL);
    assert_string_equal(out, claim_no_stix_json);
    free(out);
    m = decode_ok(RECORD, claim_no_stix_json);
    r = (const Attrledger__V1__Record *)m;
    assert_int_equal(r->attribution_claim->confidence->stix_case,
                     ATTRLEDGER__V1__CONFIDENCE_ASSESSMENT__STIX__NOT_SET);
    msg_free(m);
}

static void
json_presence_bytes(void **state)
{
    ProtobufCMessage *m;
    uint8_t *b;
    size_t n;
    char *out;
    /* field 1 (stix_value) varint 0: present even though it is zero */
    static const uint8_t stix0[] = {0x08, 0x00};
    /* field 11 (participant), length 0 */
    static const uint8_t empty_participant[] = {0x5a, 0x00};

    (void)state;
    m = decode_ok(&attrledger__v1__confidence_assessment__descriptor, "{\"stix_value\": 0}");
    b = pack(m, &n);
    assert_int_equal(n, sizeof stix0);
    assert_memory_equal(b, stix0, n);
    free(b);
    msg_free(m);

    m = decode_ok(&attrledger__v1__confidence_assessment__descriptor, "{\"stix_value\": null}");
    assert_int_equal(protobuf_c_message_get_packed_size(m), 0);
    msg_free(m);

    out = round_trip(RECORD, "{\"participant\": {}}", &b, &n);
    assert_string_equal(out, "{\"participant\":{}}");
    assert_int_equal(n, sizeof empty_participant);
    assert_memory_equal(b, empty_participant, n);
    free(out);
    free(b);

    /* null everywhere is the default: no sub-message, no oneof case */
    m = decode_ok(RECORD, "{\"header\": null, \"participant\": null, \"actor\": null}");
    assert_null(((Attrledger__V1__Record *)m)->header);
    assert_int_equal(((Attrledger__V1__Record *)m)->body_case,
                     ATTRLEDGER__V1__RECORD__BODY__NOT_SET);
    assert_int_equal(protobuf_c_message_get_packed_size(m), 0);
    msg_free(m);
    /* a null oneof member does not conflict with a set one */
    m = decode_ok(RECORD, "{\"participant\": null, \"actor\": {\"name\": \"APT28\"}}");
    assert_int_equal(((Attrledger__V1__Record *)m)->body_case, ATTRLEDGER__V1__RECORD__BODY_ACTOR);
    msg_free(m);

    /* a non-NULL nested message is written even when empty */
    out = round_trip(RECORD, "{\"header\": {}, \"attribution_claim\": {\"confidence\": {}}}", NULL,
                     NULL);
    assert_string_equal(out, "{\"header\":{},\"attribution_claim\":{\"confidence\":{}}}");
    free(out);
}

static void
json_camel_case_and_enum_numbers(void **state)
{
    (void)state;
    assert_same_bytes(RECORD, claim_json, claim_camel_json);
}

static void
json_round_trip_participant(void **state)
{
    const Attrledger__V1__Participant *p;
    ProtobufCMessage *m;
    char *out;
    uint8_t k2[32];

    (void)state;
    out = round_trip(RECORD, participant_json, NULL, NULL);
    assert_string_equal(out, participant_canonical);
    free(out);

    m = decode_ok(RECORD, participant_json);
    p = ((const Attrledger__V1__Record *)m)->participant;
    assert_int_equal(p->n_public_keys, 2);
    assert_int_equal(p->public_keys[0]->public_key.len, 32);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(p->public_keys[0]->public_key.data[i], i);
        k2[i] = (uint8_t)(255 - i);
    }
    assert_int_equal(p->public_keys[1]->public_key.len, 32);
    assert_memory_equal(p->public_keys[1]->public_key.data, k2, 32);
    assert_int_equal(p->public_keys[1]->valid_until->nanos, 1000);
    assert_int_equal(p->n_roles, 2);
    assert_int_equal(p->roles[1], ATTRLEDGER__V1__PARTICIPANT_ROLE__PARTICIPANT_ROLE_CLAIMANT);
    assert_non_null(p->panel_profile);
    msg_free(m);
}

static void
json_round_trip_incident_report(void **state)
{
    const Attrledger__V1__IncidentReport *ir;
    ProtobufCMessage *m;
    char *out;

    (void)state;
    out = round_trip(RECORD, incident_json, NULL, NULL);
    /* uint64 given as number or string comes back as a string */
    assert_non_null(strstr(out, "\"entity_counts\":[{\"entity_type\":\"computers\","
                                "\"count\":\"49000\"},{\"entity_type\":\"servers\","
                                "\"count\":\"4000\"}]"));
    /* a zero count is a default and is omitted; the element stays */
    assert_non_null(strstr(out, "\"entity_counts\":[{\"entity_type\":\"beds\"}]"));
    assert_non_null(strstr(out, "\"amount\":\"18446744073709551615\""));
    assert_non_null(strstr(out, "\"max_amount\":\"9007199254740993\""));
    assert_non_null(strstr(out, "\"first_seen\":{\"time\":\"2017-06-27T06:00:00.123456789Z\""));
    assert_non_null(strstr(out, "\"created\":\"2017-07-01T07:00:00Z\""));
    assert_non_null(strstr(out, "\"criticality\":95,"));
    free(out);

    m = decode_ok(RECORD, incident_json);
    ir = ((const Attrledger__V1__Record *)m)->incident_report;
    assert_int_equal(ir->n_victims, 2);
    assert_int_equal(ir->victims[0]->n_entity_counts, 2);
    assert_int_equal(ir->victims[0]->entity_counts[0]->count, 49000);
    assert_int_equal(ir->victims[0]->entity_counts[1]->count, 4000);
    assert_true(ir->assets[0]->amount == UINT64_MAX);
    assert_true(ir->impact->monetary[0]->min_amount == UINT64_C(10000000000));
    assert_true(ir->impact->monetary[0]->max_amount == UINT64_C(9007199254740993));
    assert_string_equal(ir->aliases[1], "Nyetya");
    msg_free(m);
}

/* The decoded PanelVote packs to exactly what protobuf-c packs for the
 * same record built by hand: the JSON path adds nothing. */
static void
json_round_trip_panel_vote_bytes(void **state)
{
    Attrledger__V1__Record rec = ATTRLEDGER__V1__RECORD__INIT;
    Attrledger__V1__RecordHeader hdr = ATTRLEDGER__V1__RECORD_HEADER__INIT;
    Google__Protobuf__Timestamp created = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
    Attrledger__V1__PanelVote vote = ATTRLEDGER__V1__PANEL_VOTE__INIT;
    Attrledger__V1__Digest dg = ATTRLEDGER__V1__DIGEST__INIT;
    uint8_t digest[32], *b1, *b2;
    size_t n1, n2;
    char *out;

    (void)state;
    assert_int_equal(tu_hex(digest, sizeof digest,
                            "4faf3ea3f037b0e5571a678d6a5cea41c0d96d481ffd7636e07f00fb646f07ee"),
                     32);
    hdr.record_id = "vote-2024-001-panelist-3";
    hdr.author = "panelist-3";
    created.seconds = 1714668310;
    hdr.created = &created;
    hdr.tlp = ATTRLEDGER__V1__TLP__TLP_AMBER;
    dg.alg = ATTRLEDGER__V1__DIGEST_ALG__DIGEST_ALG_SHA256;
    dg.value.data = digest;
    dg.value.len = 32;
    vote.finding_ref = "finding-2024-001";
    vote.finding_digest = &dg;
    vote.vote = ATTRLEDGER__V1__VOTE__VOTE_APPROVE;
    vote.statement = "Concur; dissent noted in annex.";
    rec.header = &hdr;
    rec.body_case = ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE;
    rec.panel_vote = &vote;
    b2 = pack(&rec.base, &n2);

    out = round_trip(RECORD, panel_vote_json, &b1, &n1);
    assert_string_equal(out, panel_vote_json);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(out);
    free(b1);
    free(b2);
}

/* A LogEntry carrying the packed PanelVote record, index as a string. */
static void
json_round_trip_log_entry(void **state)
{
    const Attrledger__V1__LogEntry *e;
    ProtobufCMessage *m, *rec;
    uint8_t *rb;
    size_t rn;
    char *b64, *text, *out, *tmp;
    size_t cap;

    (void)state;
    tmp = round_trip(RECORD, panel_vote_json, &rb, &rn);
    free(tmp);
    b64 = lg_b64_encode_alloc(rb, rn);
    assert_non_null(b64);
    cap = strlen(b64) + 512;
    text = malloc(cap);
    snprintf(text, cap,
             "{\"format_version\": 1, \"index\": \"42\", \"integrated_time\": \"1714668311000\","
             " \"record\": \"%s\", \"signatures\": [{\"key_id\": "
             "\"T68+o/A3sOVXGmeNalzqQcDZbUgf/XY24H8A+2RvB+4=\", \"signature\": "
             "\"AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tng5+71/"
             "AMKERgfJi00O0JJUFdeZWxzeoGIj5adpKuyuQ==\"}]}",
             b64);
    out = round_trip(LOG_ENTRY, text, NULL, NULL);
    assert_non_null(strstr(out, "{\"format_version\":1,\"index\":\"42\","
                                "\"integrated_time\":\"1714668311000\",\"record\":\""));
    m = decode_ok(LOG_ENTRY, text);
    e = (const Attrledger__V1__LogEntry *)m;
    assert_true(e->index == 42);
    assert_true(e->integrated_time == UINT64_C(1714668311000));
    assert_int_equal(e->record.len, rn);
    assert_memory_equal(e->record.data, rb, rn);
    assert_int_equal(e->signatures[0]->signature.len, 64);
    rec = protobuf_c_message_unpack(RECORD, lg_alloc_protobuf(), e->record.len, e->record.data);
    assert_non_null(rec);
    assert_int_equal(((Attrledger__V1__Record *)rec)->body_case,
                     ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE);
    msg_free(rec);
    msg_free(m);
    /* the index as a JSON number is the same entry */
    m = decode_ok(LOG_ENTRY, "{\"index\": 42}");
    assert_true(((Attrledger__V1__LogEntry *)m)->index == 42);
    msg_free(m);
    free(out);
    free(text);
    lg_free(b64);
    free(rb);
}

static void
json_dump_pretty(void **state)
{
    ProtobufCMessage *m;
    json_t *v = NULL;
    ledger_buf buf = LEDGER_BUF_INIT;

    (void)state;
    m = decode_ok(RECORD, "{\"header\": {\"author\": \"a\", \"labels\": [\"x\"]}}");
    TU_OK(lg_json_encode(&v, m));
    TU_OK(lg_json_dump(&buf, v, 1));
    assert_string_equal((char *)buf.data, "{\n"
                                          "  \"header\": {\n"
                                          "    \"author\": \"a\",\n"
                                          "    \"labels\": [\n"
                                          "      \"x\"\n"
                                          "    ]\n"
                                          "  }\n"
                                          "}");
    ledger_buf_dispose(&buf);
    json_decref(v);
    msg_free(m);
}

/* ---- rejections ---- */

static void
json_rejects_unknown_field(void **state)
{
    (void)state;
    expect_error(RECORD, "{\"attribution_claim\": {\"confidence\": {\"foo\": 1}}}",
                 "attribution_claim.confidence: unknown field \"foo\"");
    expect_error(RECORD, "{\"header\": {}, \"bogus\": null}", "unknown field \"bogus\"");
    /* json names are exact: neither other casings nor mixtures */
    expect_error(RECORD, "{\"header\": {\"Record_id\": \"x\"}}",
                 "header: unknown field \"Record_id\"");
    expect_error(RECORD, "{\"header\": {\"recordID\": \"x\"}}",
                 "header: unknown field \"recordID\"");
    expect_error(RECORD, "{\"participant\": {\"public_keys\": [{}, {\"x\\ny\": 1}]}}",
                 "participant.public_keys[1]: unknown field \"x\\x0ay\"");
}

static void
json_rejects_duplicate_key(void **state)
{
    (void)state;
    expect_error(RECORD, "{\"header\": {\"author\": \"a\",\n \"author\": \"b\"}}",
                 "line 2 column 9: duplicate object key near '\"author\"'");
    /* the two spellings of one field */
    expect_error(RECORD, "{\"header\": {\"record_id\": \"a\", \"recordId\": \"b\"}}",
                 "header: field \"record_id\" given twice (also as \"recordId\")");
    expect_error(RECORD, "{\"header\": {\"recordId\": \"a\", \"record_id\": \"b\"}}",
                 "header: field \"record_id\" given twice (also as \"recordId\")");
    expect_error(&attrledger__v1__confidence_assessment__descriptor,
                 "{\"stixValue\": null, \"stix_value\": 5}",
                 "field \"stix_value\" given twice (also as \"stixValue\")");
}

static void
json_rejects_two_oneof_members(void **state)
{
    (void)state;
    expect_error(RECORD, "{\"participant\": {}, \"actor\": {}}",
                 "oneof fields \"participant\" and \"actor\" are both set");
    expect_error(RECORD, "{\"header\": {}, \"panelVote\": {}, \"finding\": {\"title\": \"x\"}}",
                 "oneof fields \"panel_vote\" and \"finding\" are both set");
}

static void
json_rejects_wrong_type(void **state)
{
    (void)state;
    expect_error(RECORD, "{\"header\": {\"author\": 5}}",
                 "header.author: expected string, got number");
    expect_error(RECORD, "{\"header\": {\"author\": [\"a\"]}}",
                 "header.author: expected string, got array");
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": true}}",
                 "incident_report.criticality: expected integer, got boolean");
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": {}}}",
                 "incident_report.criticality: expected integer, got object");
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": \"high\"}}",
                 "incident_report.criticality: invalid integer \"high\"");
    expect_error(LOG_ENTRY, "{\"index\": [1]}", "index: expected integer, got array");
    expect_error(LOG_ENTRY, "{\"index\": \"0x10\"}", "index: invalid integer \"0x10\"");
    expect_error(LOG_ENTRY, "{\"index\": \"+1\"}", "index: invalid integer \"+1\"");
    expect_error(LOG_ENTRY, "{\"index\": \"01\"}", "index: invalid integer \"01\"");
    expect_error(LOG_ENTRY, "{\"index\": \" 1\"}", "index: invalid integer \" 1\"");
    expect_error(LOG_ENTRY, "{\"index\": \"\"}", "index: invalid integer \"\"");
    expect_error(LOG_ENTRY, "{\"index\": \"1e3\"}", "index: invalid integer \"1e3\"");
    expect_error(RECORD, "{\"ledger_policy\": {\"public_ledger\": \"yes\"}}",
                 "ledger_policy.public_ledger: expected boolean, got string");
    expect_error(RECORD, "{\"ledger_policy\": {\"public_ledger\": 1}}",
                 "ledger_policy.public_ledger: expected boolean, got number");
    expect_error(RECORD, "{\"header\": {\"tlp\": true}}",
                 "header.tlp: expected enum name or number, got boolean");
    expect_error(RECORD, "{\"header\": {\"tlp\": 1.0}}",
                 "header.tlp: expected enum name or number, got number");
    expect_error(RECORD, "{\"participant\": {\"public_keys\": [{\"public_key\": 123}]}}",
                 "participant.public_keys[0].public_key: expected base64 string, got number");
    expect_error(RECORD, "{\"header\": \"x\"}", "header: expected object, got string");
    expect_error(RECORD, "{\"participant\": []}", "participant: expected object, got array");
    expect_error(RECORD, "{\"header\": {\"labels\": \"x\"}}",
                 "header.labels: expected array, got string");
    expect_error(RECORD, "{\"header\": {\"labels\": {}}}",
                 "header.labels: expected array, got object");
    expect_error(RECORD, "{\"header\": {\"labels\": [\"a\", 1]}}",
                 "header.labels[1]: expected string, got number");
    expect_error(RECORD, "{\"header\": {\"labels\": [\"a\", null]}}",
                 "header.labels[1]: null is not allowed in an array");
    expect_error(RECORD, "{\"participant\": {\"public_keys\": [null]}}",
                 "participant.public_keys[0]: null is not allowed in an array");
    expect_error(RECORD, "{\"header\": {\"created\": 1700000000}}",
                 "header.created: expected timestamp string, got number");
    expect_error(RECORD, "{\"header\": {\"created\": {\"seconds\": 1}}}",
                 "header.created: expected timestamp string, got object");
}

static void
json_rejects_integer_out_of_range(void **state)
{
    (void)state;
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": 4294967296}}",
                 "incident_report.criticality: integer 4294967296 out of range for uint32");
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": \"4294967296\"}}",
                 "incident_report.criticality: integer 4294967296 out of range for uint32");
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": -1}}",
                 "incident_report.criticality: integer -1 out of range for uint32");
    expect_error(
        RECORD,
        "{\"incident_report\": {\"victims\": [{}, {\"entity_counts\": [{\"count\": -5}]}]}}",
        "incident_report.victims[1].entity_counts[0].count: integer -5 out of range for "
        "uint64");
    expect_error(LOG_ENTRY, "{\"index\": \"-1\"}", "index: integer -1 out of range for uint64");
    expect_error(LOG_ENTRY, "{\"index\": \"18446744073709551616\"}",
                 "index: integer 18446744073709551616 out of range for uint64");
    expect_error(LOG_ENTRY, "{\"index\": \"-18446744073709551616\"}",
                 "index: integer -18446744073709551616 out of range for uint64");
    expect_error(LOG_ENTRY, "{\"index\": 1e20}", "index: integer 1e+20 out of range for uint64");
    expect_error(LOG_ENTRY, "{\"index\": \"99999999999999999999999999999999999999\"}",
                 "index: integer 999999999999999999999999999999... out of range for uint64");
    /* jansson itself refuses integers beyond int64: use a string */
    expect_error(LOG_ENTRY, "{\"index\": 18446744073709551615}",
                 "line 1 column 30: too big integer near '18446744073709551615'");
}

static void
json_rejects_non_integer(void **state)
{
    ProtobufCMessage *m;

    (void)state;
    expect_error(RECORD, "{\"incident_report\": {\"criticality\": 1.5}}",
                 "incident_report.criticality: number 1.5 is not an integer");
    expect_error(LOG_ENTRY, "{\"index\": 0.1}", "index: number 0.1 is not an integer");
    expect_error(LOG_ENTRY, "{\"index\": \"1.0\"}", "index: invalid integer \"1.0\"");
    /* integral numbers in exponent or fraction form are integers (proto3) */
    m = decode_ok(RECORD, "{\"incident_report\": {\"criticality\": 1e2}}");
    assert_int_equal(((Attrledger__V1__Record *)m)->incident_report->criticality, 100);
    msg_free(m);
    m = decode_ok(LOG_ENTRY, "{\"index\": 7.0, \"format_version\": \"-0\"}");
    assert_true(((Attrledger__V1__LogEntry *)m)->index == 7);
    msg_free(m);
}

static void
json_rejects_bad_enum(void **state)
{
    ProtobufCMessage *m;

    (void)state;
    expect_error(RECORD, "{\"header\": {\"tlp\": \"TLP_PURPLE\"}}",
                 "header.tlp: unknown enum value \"TLP_PURPLE\" for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"header\": {\"tlp\": \"tlp_clear\"}}",
                 "header.tlp: unknown enum value \"tlp_clear\" for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"header\": {\"tlp\": \"1\"}}",
                 "header.tlp: unknown enum value \"1\" for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"header\": {\"tlp\": 99}}",
                 "header.tlp: unknown enum value 99 for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"header\": {\"tlp\": -1}}",
                 "header.tlp: unknown enum value -1 for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"header\": {\"tlp\": 4294967297}}",
                 "header.tlp: unknown enum value 4294967297 for attrledger.v1.Tlp");
    expect_error(RECORD, "{\"participant\": {\"roles\": [\"PARTICIPANT_ROLE_ADMIN\", \"ROOT\"]}}",
                 "participant.roles[1]: unknown enum value \"ROOT\" for "
                 "attrledger.v1.ParticipantRole");
    /* enum by name and by number give the same message */
    assert_same_bytes(RECORD, "{\"header\": {\"tlp\": \"TLP_RED\", \"provenance\": 2}}",
                      "{\"header\": {\"tlp\": 5, \"provenance\": \"PROVENANCE_TRANSCRIBED\"}}");
    /* the zero value by name is the default: nothing is packed */
    m = decode_ok(RECORD, "{\"header\": {\"tlp\": \"TLP_UNSPECIFIED\"}}");
    assert_int_equal(protobuf_c_message_get_packed_size(m), 2);
    msg_free(m);
}

static void
json_rejects_bad_base64(void **state)
{
    ProtobufCMessage *m;
    const ProtobufCBinaryData *pk;
    static const char *bad[] = {
        "A",    /* length 1 mod 4 */
        "AAF=", /* non-zero trailing bits */
        "AAF",  /* the same, unpadded */
        "AA=A", /* data after padding */
        "AA*A", /* not in the alphabet */
        "A+_B", /* mixed alphabets */
        "AAE",  /* fine unpadded ... */
    };
    char text[128];

    (void)state;
    for (size_t i = 0; i + 1 < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text,
                 "{\"participant\": {\"public_keys\": [{\"public_key\": \"%s\"}]}}", bad[i]);
        expect_error(RECORD, text, "participant.public_keys[0].public_key: invalid base64");
    }
    expect_error(RECORD, "{\"participant\": {\"public_keys\": [{\"public_key\": \"AAE=A\"}]}}",
                 "participant.public_keys[0].public_key: invalid base64");
    m = decode_ok(RECORD, "{\"participant\": {\"public_keys\": [{\"public_key\": \"AAE\"}]}}");
    pk = &((Attrledger__V1__Record *)m)->participant->public_keys[0]->public_key;
    assert_int_equal(pk->len, 2);
    assert_int_equal(pk->data[1], 1);
    msg_free(m);
    /* empty bytes are the default */
    m = decode_ok(RECORD, "{\"participant\": {\"public_keys\": [{\"public_key\": \"\"}]}}");
    pk = &((Attrledger__V1__Record *)m)->participant->public_keys[0]->public_key;
    assert_int_equal(pk->len, 0);
    msg_free(m);
}

static void
json_rejects_invalid_utf8(void **state)
{
    ProtobufCMessage *m = NULL;
    json_t *v;
    Attrledger__V1__RecordHeader hdr = ATTRLEDGER__V1__RECORD_HEADER__INIT;
    Attrledger__V1__Record rec = ATTRLEDGER__V1__RECORD__INIT;

    (void)state;
    /* in the text: jansson checks while parsing */
    expect_error(RECORD, "{\"header\": {\"author\": \"caf\xc3\"}}",
                 "line 1 column 26: unable to decode byte 0xc3 near '\"caf'");
    expect_error(RECORD, "{\"header\": {\"author\": \"\xed\xa0\x80\"}}",
                 "line 1 column 23: unable to decode byte 0xed near '\"'");
    /* in a value built without checks */
    v = json_pack("{s:{s:o}}", "header", "author", json_stringn_nocheck("caf\xc3", 4));
    assert_non_null(v);
    TU_CHECK(lg_json_decode(&m, RECORD, v), LEDGER_EFORMAT);
    assert_null(m);
    assert_string_equal(ledger_error_last()->message, "header.author: invalid UTF-8 in string");
    json_decref(v);
    /* overlong encoding of '/' */
    v = json_pack("{s:{s:[o]}}", "header", "labels", json_stringn_nocheck("\xc0\xaf", 2));
    TU_CHECK(lg_json_decode(&m, RECORD, v), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message, "header.labels[0]: invalid UTF-8 in string");
    json_decref(v);
    /* and on output: protobuf-c does not check UTF-8 on unpack */
    hdr.author = "\xff";
    rec.header = &hdr;
    TU_CHECK(lg_json_encode(&v, &rec.base), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message, "header.author: invalid UTF-8 in string");
}

static void
json_rejects_nul_in_string(void **state)
{
    ProtobufCMessage *m = NULL;
    json_t *v;

    (void)state;
    expect_error(RECORD, "{\"header\": {\"author\": \"a\\u0000b\"}}",
                 "line 1 column 32: \\u0000 is not allowed without JSON_ALLOW_NUL near "
                 "'\"a\\u0000b\"'");
    expect_error(RECORD, "{\"header\": {\"a\\u0000\": 1}}",
                 "line 1 column 21: NUL byte in object key not supported near '\"a\\u0000\"'");
    v = json_pack("{s:{s:s#}}", "header", "author", "a\0b", (int)3);
    assert_non_null(v);
    TU_CHECK(lg_json_decode(&m, RECORD, v), LEDGER_EFORMAT);
    assert_null(m);
    assert_string_equal(ledger_error_last()->message, "header.author: NUL character in string");
    json_decref(v);
    /* in an enum name too */
    v = json_pack("{s:{s:s#}}", "header", "tlp", "TLP_RED\0x", (int)9);
    TU_CHECK(lg_json_decode(&m, RECORD, v), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message, "header.tlp: NUL character in string");
    json_decref(v);
#if JANSSON_VERSION_HEX >= 0x020e00
    /* and in a key */
    v = json_object();
    json_object_setn_new_nocheck(v, "header\0x", 8, json_object());
    TU_CHECK(lg_json_decode(&m, RECORD, v), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message, "unknown field \"header\\x00x\"");
    json_decref(v);
#endif
}

static void
expect_bad_time(const char *ts)
{
    char text[128], want[128];

    snprintf(text, sizeof text, "{\"header\": {\"created\": \"%s\"}}", ts);
    snprintf(want, sizeof want, "header.created: invalid timestamp \"%s\"", ts);
    expect_error(RECORD, text, want);
}

static void
expect_time(const char *in, const char *out_want, int64_t seconds, int32_t nanos)
{
    char text[128];
    ProtobufCMessage *m;
    char *out;

    snprintf(text, sizeof text, "\"%s\"", in);
    m = decode_ok(&google__protobuf__timestamp__descriptor, text);
    assert_true(((Google__Protobuf__Timestamp *)m)->seconds == seconds);
    assert_int_equal(((Google__Protobuf__Timestamp *)m)->nanos, nanos);
    out = encode_text(m);
    snprintf(text, sizeof text, "\"%s\"", out_want);
    assert_string_equal(out, text);
    free(out);
    msg_free(m);
}

static void
json_rejects_invalid_timestamps(void **state)
{
    static const char *bad[] = {
        "2017-13-01T00:00:00Z",            /* month 13 */
        "2017-00-01T00:00:00Z",            /* month 0 */
        "2023-02-30T00:00:00Z",            /* Feb 30 */
        "2023-02-29T00:00:00Z",            /* not a leap year */
        "1900-02-29T00:00:00Z",            /* century, not a leap year */
        "2017-04-31T00:00:00Z",            /* April has 30 days */
        "2017-12-19T08:30:00",             /* missing zone */
        "2017-12-19",                      /* date only */
        "10000-01-01T00:00:00Z",           /* year 10000 */
        "0000-12-31T00:00:00Z",            /* year 0 */
        "2017-12-19T08:30:00.1234567890Z", /* ten fraction digits */
        "2017-12-19T08:30:00.Z",           /* empty fraction */
        "2017-12-19T24:00:00Z",            /* hour 24 */
        "2017-12-19T23:60:00Z",            /* minute 60 */
        "2016-12-31T23:59:60Z",            /* leap second */
        "2017-12-19t08:30:00Z",            /* lowercase t */
        "2017-12-19T08:30:00z",            /* lowercase z */
        "2017-12-19 08:30:00Z",            /* space */
        "2017-12-19T08:30:00+0100",        /* offset without colon */
        "2017-12-19T08:30:00+24:00",       /* offset hour 24 */
        "2017-12-19T08:30:00+01:60",       /* offset minute 60 */
        "2017-12-19T08:30:00Z ",           /* trailing space */
        "2017-12-19T8:30:00Z",             /* one-digit hour */
        "+2017-12-19T08:30:00Z",           /* sign */
        "0001-01-01T00:00:00+00:01",       /* before 0001-01-01 in UTC */
        "9999-12-31T23:59:59-00:01",       /* after 9999-12-31 in UTC */
        "",
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad_time(bad[i]);
    expect_error(RECORD, "{\"header\": {\"created\": \"2017-12-19T08:30:00Z\\n\"}}",
                 "header.created: invalid timestamp \"2017-12-19T08:30:00Z\\x0a\"");
}

static void
json_timestamp_range_and_fractions(void **state)
{
    Google__Protobuf__Timestamp ts = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
    Attrledger__V1__RecordHeader hdr = ATTRLEDGER__V1__RECORD_HEADER__INIT;
    json_t *v = NULL;

    (void)state;
    expect_time("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", INT64_C(-62135596800), 0);
    expect_time("9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z",
                INT64_C(253402300799), 999999999);
    expect_time("0001-01-01T00:30:00+00:30", "0001-01-01T00:00:00Z", INT64_C(-62135596800), 0);
    expect_time("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 0, 0);
    expect_time("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500Z", -1, 500000000);
    expect_time("1970-01-01T05:30:00.120000+05:30", "1970-01-01T00:00:00.120Z", 0, 120000000);
    expect_time("2024-02-29T12:00:00.000001-08:00", "2024-02-29T20:00:00.000001Z", 1709236800,
                1000);
    expect_time("2000-02-29T00:00:00.000000001Z", "2000-02-29T00:00:00.000000001Z", 951782400, 1);
    expect_time("2017-12-31T23:00:00-01:00", "2018-01-01T00:00:00Z", 1514764800, 0);

    /* out of range on output too */
    ts.seconds = INT64_C(253402300800);
    hdr.created = &ts;
    TU_CHECK(lg_json_encode(&v, &hdr.base), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message,
                        "created: invalid timestamp (seconds 253402300800, nanos 0)");
    ts.seconds = 0;
    ts.nanos = -1;
    TU_CHECK(lg_json_encode(&v, &hdr.base), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message,
                        "created: invalid timestamp (seconds 0, nanos -1)");
    assert_null(v);
}

static void
json_rejects_deep_nesting(void **state)
{
    char text[256];
    size_t o = 0;

    (void)state;
    o += (size_t)snprintf(text, sizeof text, "{\"header\": {\"labels\": ");
    for (int i = 0; i < 40; i++)
        text[o++] = '[';
    text[o] = '\0';
    /* level 33 is the 31st '[' (the two objects are levels 1 and 2) */
    expect_error(RECORD, text, "line 1 column 53: nesting deeper than 32 levels");
    /* brackets inside strings do not count */
    o = (size_t)snprintf(text, sizeof text, "{\"header\": {\"labels\": [\"");
    for (int i = 0; i < 40; i++)
        text[o++] = '[';
    snprintf(text + o, sizeof text - o, "\\\"{\"]}}");
    expect_error(RECORD, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]",
                 "line 1 column 33: nesting deeper than 32 levels");
    {
        ProtobufCMessage *m = decode_ok(RECORD, text);
        assert_int_equal(strlen(((Attrledger__V1__Record *)m)->header->labels[0]), 42);
        msg_free(m);
    }
}

static void
json_rejects_syntax_errors(void **state)
{
    (void)state;
    expect_error(RECORD, "{\n  \"header\": {\n    \"author\": \"a\",\n  }\n}",
                 "line 4 column 3: string or '}' expected near '}'");
    expect_error(RECORD, "{\"header\": tru}", "line 1 column 14: invalid token near 'tru'");
    expect_error(RECORD, "{\"header\": {}} x", "line 1 column 16: end of file expected near 'x'");
    expect_error(RECORD, "{\"header\": {}", "line 1 column 13: '}' expected near end of file");
    expect_error(RECORD, "", "line 1 column 0: unexpected token near end of file");
    expect_error(RECORD, "{'header': {}}", "line 1 column 2: string or '}' expected near '''");
    expect_error(RECORD, "{\"a\":\"\x01\"}", "line 1 column 6: control character 0x1 near '\"'");
}

static void
json_rejects_non_object_top_level(void **state)
{
    (void)state;
    expect_error(RECORD, "[]", "expected object, got array");
    expect_error(RECORD, "[{\"header\": {}}]", "expected object, got array");
    expect_error(RECORD, "42", "expected object, got number");
    expect_error(RECORD, "\"header\"", "expected object, got string");
    expect_error(RECORD, "null", "expected object, got null");
    expect_error(RECORD, "true", "expected object, got boolean");
}

static void
json_rejects_oversized_input(void **state)
{
    size_t n = LG_JSON_MAX_INPUT + 1;
    char *text = malloc(n);
    json_t *v = NULL;

    (void)state;
    memset(text, ' ', n);
    text[0] = '{';
    text[n - 1] = '}';
    TU_CHECK(lg_json_load(&v, text, n), LEDGER_EFORMAT);
    assert_null(v);
    assert_string_equal(ledger_error_last()->message, "JSON input is 4194305 bytes, max 4194304");
    text[n - 2] = '}';
    TU_OK(lg_json_load(&v, text, n - 1));
    json_decref(v);
    free(text);
}

static void
json_encode_unknown_enum_and_fields(void **state)
{
    Attrledger__V1__RecordHeader hdr = ATTRLEDGER__V1__RECORD_HEADER__INIT;
    ProtobufCMessage *m;
    json_t *v = NULL;
    char *out;
    /* header { author: "a" } plus unknown field 99 (varint 1) */
    static const uint8_t with_unknown[] = {0x0a, 0x06, 0x12, 0x01, 'a', 0x98, 0x06, 0x01};

    (void)state;
    hdr.tlp = (Attrledger__V1__Tlp)42;
    out = encode_text(&hdr.base);
    assert_string_equal(out, "{\"tlp\":42}");
    free(out);

    m = protobuf_c_message_unpack(RECORD, lg_alloc_protobuf(), sizeof with_unknown, with_unknown);
    assert_non_null(m);
    TU_CHECK(lg_json_encode(&v, m), LEDGER_EFORMAT);
    assert_string_equal(ledger_error_last()->message,
                        "header: 1 unknown protobuf field(s) cannot be written as JSON");
    assert_null(v);
    msg_free(m);
}

/* ---- the generic paths: a descriptor with every scalar type ---- */

typedef enum { ALL_KIND_NOT_SET = 0, ALL_KIND_OSTR = 20, ALL_KIND_OBYTES = 21 } AllKindCase;

typedef struct {
    ProtobufCMessage base;
    int32_t i32;
    int32_t s32;
    int32_t sf32;
    int64_t i64;
    int64_t s64;
    int64_t sf64;
    uint32_t u32;
    uint32_t f32;
    uint64_t u64;
    uint64_t f64;
    float fl;
    double db;
    protobuf_c_boolean b;
    size_t n_ri32;
    int32_t *ri32;
    size_t n_rdb;
    double *rdb;
    size_t n_rbytes;
    ProtobufCBinaryData *rbytes;
    size_t n_rbool;
    protobuf_c_boolean *rbool;
    AllKindCase kind_case;
    union {
        char *ostr;
        ProtobufCBinaryData obytes;
    } kind;
} AllTypes;

#define F_NONE(name, id, type)                                                                     \
    {                                                                                              \
#name, id, PROTOBUF_C_LABEL_NONE, type, 0, offsetof(AllTypes, name), NULL, NULL, 0, 0,     \
            NULL, NULL                                                                             \
    }
#define F_REP(name, id, type, flags)                                                               \
    {                                                                                              \
#name, id, PROTOBUF_C_LABEL_REPEATED, type, offsetof(AllTypes, n_##name),                  \
            offsetof(AllTypes, name), NULL, NULL, flags, 0, NULL, NULL                             \
    }
#define F_ONEOF(name, id, type)                                                                    \
    {                                                                                              \
#name, id, PROTOBUF_C_LABEL_NONE, type, offsetof(AllTypes, kind_case),                     \
            offsetof(AllTypes, kind.name), NULL, NULL, PROTOBUF_C_FIELD_FLAG_ONEOF, 0, NULL, NULL  \
    }

static const ProtobufCFieldDescriptor all_fields[] = {
    F_NONE(i32, 1, PROTOBUF_C_TYPE_INT32),
    F_NONE(s32, 2, PROTOBUF_C_TYPE_SINT32),
    F_NONE(sf32, 3, PROTOBUF_C_TYPE_SFIXED32),
    F_NONE(i64, 4, PROTOBUF_C_TYPE_INT64),
    F_NONE(s64, 5, PROTOBUF_C_TYPE_SINT64),
    F_NONE(sf64, 6, PROTOBUF_C_TYPE_SFIXED64),
    F_NONE(u32, 7, PROTOBUF_C_TYPE_UINT32),
    F_NONE(f32, 8, PROTOBUF_C_TYPE_FIXED32),
    F_NONE(u64, 9, PROTOBUF_C_TYPE_UINT64),
    F_NONE(f64, 10, PROTOBUF_C_TYPE_FIXED64),
    F_NONE(fl, 11, PROTOBUF_C_TYPE_FLOAT),
    F_NONE(db, 12, PROTOBUF_C_TYPE_DOUBLE),
    F_NONE(b, 13, PROTOBUF_C_TYPE_BOOL),
    F_REP(ri32, 14, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_FIELD_FLAG_PACKED),
    F_REP(rdb, 15, PROTOBUF_C_TYPE_DOUBLE, PROTOBUF_C_FIELD_FLAG_PACKED),
    F_REP(rbytes, 16, PROTOBUF_C_TYPE_BYTES, 0),
    F_REP(rbool, 17, PROTOBUF_C_TYPE_BOOL, PROTOBUF_C_FIELD_FLAG_PACKED),
    F_ONEOF(ostr, 20, PROTOBUF_C_TYPE_STRING),
    F_ONEOF(obytes, 21, PROTOBUF_C_TYPE_BYTES),
};

#define N_ALL_FIELDS (sizeof all_fields / sizeof all_fields[0])

static const unsigned all_fields_by_name[] = {12, 11, 7,  9, 10, 0, 3, 18, 17, 16,
                                              15, 14, 13, 1, 4,  2, 5, 6,  8};
static const ProtobufCIntRange all_ranges[] = {{1, 0}, {20, 17}, {0, N_ALL_FIELDS}};

static void all_types_init(ProtobufCMessage *m);

static const ProtobufCMessageDescriptor all_types_descriptor = {
    PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
    "test.AllTypes",
    "AllTypes",
    "AllTypes",
    "test",
    sizeof(AllTypes),
    N_ALL_FIELDS,
    all_fields,
    all_fields_by_name,
    2,
    all_ranges,
    all_types_init,
    NULL,
    NULL,
    NULL};

static void
all_types_init(ProtobufCMessage *m)
{
    memset(m, 0, sizeof(AllTypes));
    m->descriptor = &all_types_descriptor;
}

static const char all_json[] =
    "{\"i32\":-2147483648,\"s32\":-5,\"sf32\":2147483647,\"i64\":\"-9223372036854775808\","
    "\"s64\":\"-1\",\"sf64\":\"9223372036854775807\",\"u32\":4294967295,\"f32\":7,"
    "\"u64\":\"18446744073709551615\",\"f64\":\"1\",\"fl\":1.5,\"db\":-0.25,\"b\":true,"
    "\"ri32\":[1,-1,0],\"rdb\":[0.5,\"NaN\",\"Infinity\",\"-Infinity\",0.0],"
    "\"rbytes\":[\"\",\"AAEC\",\"+/8=\",\"/w==\"],\"rbool\":[false,true],\"ostr\":\"\"}";

static void
json_all_scalar_types(void **state)
{
    const AllTypes *a;
    ProtobufCMessage *m;
    char *out;

    (void)state;
    /* the hand-written index must be sorted, as protobuf-c's search needs */
    for (size_t i = 1; i < N_ALL_FIELDS; i++)
        assert_true(strcmp(all_fields[all_fields_by_name[i - 1]].name,
                           all_fields[all_fields_by_name[i]].name) < 0);

    out = round_trip(&all_types_descriptor, all_json, NULL, NULL);
    assert_string_equal(out, all_json);
    free(out);

    m = decode_ok(&all_types_descriptor, all_json);
    a = (const AllTypes *)m;
    assert_int_equal(a->i32, INT32_MIN);
    assert_true(a->i64 == INT64_MIN);
    assert_true(a->sf64 == INT64_MAX);
    assert_true(a->u64 == UINT64_MAX);
    assert_int_equal(a->u32, UINT32_MAX);
    assert_true(a->fl == 1.5f);
    assert_int_equal(a->n_rdb, 5);
    assert_true(a->rdb[1] != a->rdb[1]);
    assert_int_equal(a->n_rbytes, 4);
    assert_int_equal(a->rbytes[2].len, 2);
    assert_int_equal(a->rbytes[2].data[0], 0xfb);
    assert_int_equal(a->kind_case, ALL_KIND_OSTR);
    assert_string_equal(a->kind.ostr, "");
    msg_free(m);

    /* URL-safe and unpadded input, numbers as strings */
    m = decode_ok(&all_types_descriptor,
                  "{\"rbytes\":[\"-_8\",\"_w\"],\"fl\":\"-2.5e1\",\"db\":\"1e-3\",\"s32\":\"-7\"}");
    out = encode_text(m);
    assert_string_equal(out,
                        "{\"s32\":-7,\"fl\":-25.0,\"db\":0.001,\"rbytes\":[\"+/8=\",\"/w==\"]}");
    free(out);
    msg_free(m);

    /* an empty bytes oneof member keeps its presence */
    out = round_trip(&all_types_descriptor, "{\"obytes\":\"\"}", NULL, NULL);
    assert_string_equal(out, "{\"obytes\":\"\"}");
    free(out);
    /* -0 is the default for floats, as in protobuf-c */
    out = round_trip(&all_types_descriptor, "{\"db\":-0.0,\"i32\":0,\"b\":false}", NULL, NULL);
    assert_string_equal(out, "{}");
    free(out);
}

static void
json_all_types_rejections(void **state)
{
    const ProtobufCMessageDescriptor *d = &all_types_descriptor;

    (void)state;
    expect_error(d, "{\"i32\":2147483648}", "i32: integer 2147483648 out of range for int32");
    expect_error(d, "{\"i32\":-2147483649}", "i32: integer -2147483649 out of range for int32");
    expect_error(d, "{\"s32\":\"-2147483649\"}",
                 "s32: integer -2147483649 out of range for sint32");
    expect_error(d, "{\"sf32\":1.25}", "sf32: number 1.25 is not an integer");
    expect_error(d, "{\"i64\":\"9223372036854775808\"}",
                 "i64: integer 9223372036854775808 out of range for int64");
    expect_error(d, "{\"s64\":\"-9223372036854775809\"}",
                 "s64: integer -9223372036854775809 out of range for sint64");
    expect_error(d, "{\"sf64\":1e19}", "sf64: integer 1e+19 out of range for sfixed64");
    expect_error(d, "{\"u32\":4294967296}", "u32: integer 4294967296 out of range for uint32");
    expect_error(d, "{\"f32\":-1}", "f32: integer -1 out of range for fixed32");
    expect_error(d, "{\"f64\":\"-1\"}", "f64: integer -1 out of range for fixed64");
    expect_error(d, "{\"u64\":-1}", "u64: integer -1 out of range for uint64");
    expect_error(d, "{\"fl\":1e39}", "fl: number 1e+39 out of range for float");
    expect_error(d, "{\"fl\":\"nan\"}", "fl: invalid number \"nan\"");
    expect_error(d, "{\"db\":\"1.5x\"}", "db: invalid number \"1.5x\"");
    expect_error(d, "{\"db\":\"[1]\"}", "db: invalid number \"[1]\"");
    expect_error(d, "{\"db\":true}", "db: expected number, got boolean");
    expect_error(d, "{\"b\":\"true\"}", "b: expected boolean, got string");
    expect_error(d, "{\"rbool\":[true,0]}", "rbool[1]: expected boolean, got number");
    expect_error(d, "{\"ri32\":[1,\"x\"]}", "ri32[1]: invalid integer \"x\"");
    expect_error(d, "{\"rbytes\":[\"AA==\",\"A\"]}", "rbytes[1]: invalid base64");
    expect_error(d, "{\"ostr\":\"x\",\"obytes\":\"AA==\"}",
                 "oneof fields \"ostr\" and \"obytes\" are both set");
    expect_error(d, "{\"ostr\":1}", "ostr: expected string, got number");
}

/* ---- recursion: a self-referencing message ---- */

typedef struct Node {
    ProtobufCMessage base;
    struct Node *child;
} Node;

static void node_init(ProtobufCMessage *m);

static const ProtobufCMessageDescriptor node_descriptor;

static const ProtobufCFieldDescriptor node_fields[] = {
    {"child", 1, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_MESSAGE, 0, offsetof(Node, child),
     &node_descriptor, NULL, 0, 0, NULL, NULL},
};
static const unsigned node_fields_by_name[] = {0};
static const ProtobufCIntRange node_ranges[] = {{1, 0}, {0, 1}};

static const ProtobufCMessageDescriptor node_descriptor = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                           "test.Node",
                                                           "Node",
                                                           "Node",
                                                           "test",
                                                           sizeof(Node),
                                                           1,
                                                           node_fields,
                                                           node_fields_by_name,
                                                           1,
                                                           node_ranges,
                                                           node_init,
                                                           NULL,
                                                           NULL,
                                                           NULL};

static void
node_init(ProtobufCMessage *m)
{
    memset(m, 0, sizeof(Node));
    m->descriptor = &node_descriptor;
}

/* {"child": {"child": ... {}}} with `levels` objects, built without text */
static json_t *
nested_nodes(int levels)
{
    json_t *v = json_object();

    for (int i = 1; i < levels; i++)
        v = json_pack("{s:o}", "child", v);
    return v;
}

static void
json_walker_depth_limit(void **state)
{
    ProtobufCMessage *m = NULL;
    json_t *v, *out = NULL;
    char want[256] = "";

    (void)state;
    v = nested_nodes(LG_JSON_MAX_DEPTH);
    TU_OK(lg_json_decode(&m, &node_descriptor, v));
    json_decref(v);
    TU_OK(lg_json_encode(&out, m));
    json_decref(out);

    /* one more level, built on the decoded chain: encode refuses too */
    {
        Node *top = lg_malloc(sizeof *top);

        node_init(&top->base);
        top->child = (struct Node *)m;
        TU_CHECK(lg_json_encode(&out, &top->base), LEDGER_EFORMAT);
        assert_null(out);
        msg_free(top);
    }
    for (int i = 0; i < LG_JSON_MAX_DEPTH; i++)
        strcat(want, i == 0 ? "child" : ".child");
    strcat(want, ": nesting deeper than 32 levels");
    assert_string_equal(ledger_error_last()->message, want);

    v = nested_nodes(LG_JSON_MAX_DEPTH + 1);
    m = (ProtobufCMessage *)1;
    TU_CHECK(lg_json_decode(&m, &node_descriptor, v), LEDGER_EFORMAT);
    assert_null(m);
    assert_string_equal(ledger_error_last()->message, want);
    json_decref(v);
}

/* ---- allocation failures ---- */

/* decode -> encode -> dump of an already loaded value */
static int
pipeline(const ProtobufCMessageDescriptor *desc, const json_t *v, char **out)
{
    json_t *j = NULL;
    ProtobufCMessage *m = NULL;
    ledger_buf buf = LEDGER_BUF_INIT;
    int rc;

    *out = NULL;
    if ((rc = lg_json_decode(&m, desc, v)) < 0) {
        assert_null(m);
        goto done;
    }
    if ((rc = lg_json_encode(&j, m)) < 0) {
        assert_null(j);
        goto done;
    }
    if ((rc = lg_json_dump(&buf, j, 0)) < 0) {
        assert_null(buf.data);
        goto done;
    }
    *out = strdup((char *)buf.data);
done:
    ledger_buf_dispose(&buf);
    json_decref(j);
    msg_free(m);
    return rc;
}

/*
 * SQLite's loop: fail allocation N (once, or from N on) for N = 0, 1, ...
 * until the operation succeeds. Every failure must be ENOMEM with the
 * standard message; LeakSanitizer checks that nothing leaks.
 */
static void
alloc_loop(const ProtobufCMessageDescriptor *desc, const char *text, int persistent)
{
    json_t *v = NULL;
    char *want = NULL, *out = NULL;
    long n;
    int rc = -1;

    TU_OK(lg_json_load(&v, text, strlen(text)));
    TU_OK(pipeline(desc, v, &want));
    for (n = 0; n < 100000; n++) {
        lg_alloc_fail_after(n, persistent);
        rc = pipeline(desc, v, &out);
        lg_alloc_fail_after(-1, 0);
        if (rc == 0)
            break;
        if (rc != LEDGER_ENOMEM || strcmp(ledger_error_last()->message, "out of memory") != 0)
            fail_msg("allocation %ld: got %d \"%s\"", n, rc, ledger_error_last()->message);
    }
    assert_int_equal(rc, 0);
    assert_true(n > 10);
    assert_string_equal(out, want);
    free(out);
    free(want);
    json_decref(v);
}

static void
json_allocation_failures(void **state)
{
    (void)state;
    alloc_loop(RECORD, claim_json, 0);
    alloc_loop(RECORD, claim_json, 1);
    alloc_loop(RECORD, participant_json, 0);
    alloc_loop(RECORD, incident_json, 0);
    alloc_loop(&all_types_descriptor, all_json, 1);
}

/*
 * The same loop over lg_json_load. jansson 2.14 ignores a failed growth of
 * its token buffer (akheron/jansson#362): the byte is dropped, parsing goes
 * on, and it can return a value that differs from the text, which
 * lg_json_load must turn into ENOMEM. If the dropped byte is a string's
 * closing quote, jansson itself writes out of bounds, so this text keeps
 * every token clear of the buffer sizes (16, 32, 64) at which that
 * happens: its long string ends at offset 24, and other tokens are short.
 */
static void
json_load_allocation_failures(void **state)
{
    static const char text[] =
        "{\"header\": {\"author\": \"abcdefghijklmnopqrstuvw\", \"labels\": [\"a\", \"b\"]},"
        " \"incident_report\": {\"criticality\": 95, \"name\": \"x\\u00e9\"}}";
    json_t *ref = NULL, *v = NULL;
    long n;
    int rc = -1;

    (void)state;
    TU_OK(lg_json_load(&ref, text, sizeof text - 1));
    for (int persistent = 0; persistent < 2; persistent++) {
        for (n = 0; n < 100000; n++) {
            lg_alloc_fail_after(n, persistent);
            rc = lg_json_load(&v, text, sizeof text - 1);
            lg_alloc_fail_after(-1, 0);
            if (rc == 0)
                break;
            assert_null(v);
            if (rc != LEDGER_ENOMEM || strcmp(ledger_error_last()->message, "out of memory") != 0)
                fail_msg("allocation %ld: got %d \"%s\"", n, rc, ledger_error_last()->message);
        }
        assert_int_equal(rc, 0);
        assert_true(n > 5);
        assert_true(json_equal(v, ref));
        json_decref(v);
        v = NULL;
    }
    json_decref(ref);
}

static int
setup(void **state)
{
    (void)state;
    return ledger_init();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_round_trip_attribution_claim),
        cmocka_unit_test(json_round_trip_stix_value_absent),
        cmocka_unit_test(json_presence_bytes),
        cmocka_unit_test(json_camel_case_and_enum_numbers),
        cmocka_unit_test(json_round_trip_participant),
        cmocka_unit_test(json_round_trip_incident_report),
        cmocka_unit_test(json_round_trip_panel_vote_bytes),
        cmocka_unit_test(json_round_trip_log_entry),
        cmocka_unit_test(json_dump_pretty),
        cmocka_unit_test(json_rejects_unknown_field),
        cmocka_unit_test(json_rejects_duplicate_key),
        cmocka_unit_test(json_rejects_two_oneof_members),
        cmocka_unit_test(json_rejects_wrong_type),
        cmocka_unit_test(json_rejects_integer_out_of_range),
        cmocka_unit_test(json_rejects_non_integer),
        cmocka_unit_test(json_rejects_bad_enum),
        cmocka_unit_test(json_rejects_bad_base64),
        cmocka_unit_test(json_rejects_invalid_utf8),
        cmocka_unit_test(json_rejects_nul_in_string),
        cmocka_unit_test(json_rejects_invalid_timestamps),
        cmocka_unit_test(json_timestamp_range_and_fractions),
        cmocka_unit_test(json_rejects_deep_nesting),
        cmocka_unit_test(json_rejects_syntax_errors),
        cmocka_unit_test(json_rejects_non_object_top_level),
        cmocka_unit_test(json_rejects_oversized_input),
        cmocka_unit_test(json_encode_unknown_enum_and_fields),
        cmocka_unit_test(json_all_scalar_types),
        cmocka_unit_test(json_all_types_rejections),
        cmocka_unit_test(json_walker_depth_limit),
        cmocka_unit_test(json_allocation_failures),
        cmocka_unit_test(json_load_allocation_failures),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
