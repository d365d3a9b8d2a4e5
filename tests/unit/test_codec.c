/*
 * test_codec.c - canonical encoding, limits and field checks of the codec,
 * and golden bytes that keep old records decodable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "testutil.h"

static const char CLAIM_JSON[] =
    "{\"header\": {\"record_id\": \"clm:golden\", \"author\": \"p:cert\","
    " \"created\": \"2017-12-19T10:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\","
    " \"tlp\": \"TLP_CLEAR\"},"
    " \"attribution_claim\": {\"claimant\": \"p:cert\", \"incident_refs\": [\"inc:x\"],"
    " \"attributed_to\": \"act:y\", \"level\": \"ATTRIBUTION_LEVEL_STRATEGIC\","
    " \"confidence\": {\"stix_value\": 85, \"likelihood\": {\"scale\": \"LIKELIHOOD_SCALE_PHIA\","
    " \"term\": \"highly likely\", \"range_min\": 80, \"range_max\": 90}}}}";

/* The canonical bytes of CLAIM_JSON, produced independently by the C++
 * protobuf library (protoc --encode=attrledger.v1.Record on the same record
 * in text format). Changing the encoder so that these bytes change would
 * break every signature in every existing ledger. */
static const char CLAIM_HEX[] =
    "0a200a0a636c6d3a676f6c64656e1206703a636572741a0608a0c6e3d1052801300182"
    "01330a06703a636572741a05696e633a7822056163743a793003721908551215080212"
    "0d686967686c79206c696b656c791850205a";

static void
encode_json(ledger_buf *out, const char *text)
{
    json_t *v = NULL;

    TU_OK(lg_json_load(&v, text, strlen(text)));
    TU_OK(lg_record_from_json(out, v));
    json_decref(v);
}

static void
codec_golden_record_bytes(void **state)
{
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t want[512];
    long n = tu_hex(want, sizeof want, CLAIM_HEX);
    lg_record *r = NULL;

    (void)state;
    assert_true(n > 0);
    encode_json(&b, CLAIM_JSON);
    assert_int_equal(b.len, (size_t)n);
    assert_memory_equal(b.data, want, (size_t)n);
    TU_OK(lg_record_decode(&r, want, (size_t)n));
    assert_string_equal(lg_record_id(r), "clm:golden");
    assert_string_equal(lg_record_claimant(r), "p:cert");
    assert_int_equal(lg_record_type_of(r), LG_REC_ATTRIBUTION_CLAIM);
    lg_record_free(r);
    ledger_buf_dispose(&b);
}

static void
expect_reject(const uint8_t *bytes, size_t len, const char *needle)
{
    lg_record *r = NULL;

    TU_CHECK(lg_record_decode(&r, bytes, len), LEDGER_EFORMAT);
    assert_null(r);
    if (needle != NULL && strstr(ledger_error_last()->message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", ledger_error_last()->message, needle);
}

static void
codec_rejects_non_canonical(void **state)
{
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t buf[1024];
    size_t n;

    (void)state;
    encode_json(&b, CLAIM_JSON);
    n = b.len;

    /* Unknown field (number 99, varint 1) appended. */
    memcpy(buf, b.data, n);
    buf[n] = 0x98; /* (99 << 3) | 0 = 792 = 0x318 -> varint 98 06 */
    buf[n + 1] = 0x06;
    buf[n + 2] = 0x01;
    expect_reject(buf, n + 3, "unknown field");

    /* A default value written explicitly: header.tlp = 0 is not canonical,
     * rebuild the header with an extra "30 00" (field 6, value 0). */
    {
        static const uint8_t rec[] = {0x0a, 0x0c, 0x0a, 0x01, 'a',  0x12, 0x01,
                                      'b',  0x28, 0x01, 0x30, 0x00, 0x00, 0x00};
        uint8_t t[32];
        memcpy(t, rec, 12);
        t[1] = 10;    /* header length without the padding */
        t[12] = 0x6a; /* actor body (field 13), empty */
        t[13] = 0x00;
        expect_reject(t, 14, "not canonical");
    }

    /* A non-minimal varint: provenance 1 written as 81 00. */
    {
        static const uint8_t rec[] = {0x0a, 0x09, 0x0a, 0x01, 'a',  0x12, 0x01,
                                      'b',  0x28, 0x81, 0x00, 0x6a, 0x00};
        expect_reject(rec, sizeof rec, "not canonical");
    }

    /* Fields out of order: the body before the header. */
    {
        static const uint8_t rec[] = {0x6a, 0x00, 0x0a, 0x08, 0x0a, 0x01,
                                      'a',  0x12, 0x01, 'b',  0x28, 0x01};
        expect_reject(rec, sizeof rec, "not canonical");
    }

    /* The canonical form of the same record is accepted. */
    {
        static const uint8_t rec[] = {0x0a, 0x08, 0x0a, 0x01, 'a',  0x12,
                                      0x01, 'b',  0x28, 0x01, 0x6a, 0x00};
        lg_record *r = NULL;
        TU_OK(lg_record_decode(&r, rec, sizeof rec));
        assert_int_equal(lg_record_type_of(r), LG_REC_ACTOR);
        lg_record_free(r);
    }

    /* Truncated and garbage input. */
    expect_reject(b.data, n - 1, NULL);
    expect_reject((const uint8_t *)"\xff\xff\xff", 3, "not valid protobuf");
    ledger_buf_dispose(&b);
}

static void
expect_json_reject(const char *text, const char *needle)
{
    ledger_buf b = LEDGER_BUF_INIT;
    json_t *v = NULL;

    TU_OK(lg_json_load(&v, text, strlen(text)));
    TU_CHECK(lg_record_from_json(&b, v), LEDGER_EFORMAT);
    if (strstr(ledger_error_last()->message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", ledger_error_last()->message, needle);
    json_decref(v);
}

static void
codec_field_checks(void **state)
{
    (void)state;
    expect_json_reject("{\"header\": {\"record_id\": \"has space\", \"author\": \"p:a\","
                       " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"actor\": {}}",
                       "printable ASCII");
    expect_json_reject("{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\"}, \"actor\": {}}",
                       "provenance");
    expect_json_reject("{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\","
                       " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}}",
                       "has no body");
    expect_json_reject("{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\","
                       " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"supersedes\": \"r\"},"
                       " \"actor\": {}}",
                       "supersedes itself");
    expect_json_reject("{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\","
                       " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
                       " \"participant\": {\"participant_id\": \"p:b\", \"public_keys\":"
                       " [{\"alg\": \"SIGNATURE_ALG_ED25519\", \"public_key\": \"AAAA\"}]}}",
                       "is 3 bytes, want 32");
    expect_json_reject("{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\","
                       " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
                       " \"panel_vote\": {\"finding_ref\": \"f\"}}",
                       "finding_digest");
}

/* Every Timestamp in binary input must be one the JSON mapping can write
 * (years 0001-9999, nanos 0-999,999,999): a record that decodes must be
 * readable by every reader, so submit, verify and audit (which all decode
 * with lg_record_decode) refuse the rest. Issue 11, item 1. */
static void
codec_timestamps_within_the_json_range(void **state)
{
    static const char *const bad[] = {
        /* header.created: nanos 1e9, nanos -1, year 10000, year 0 */
        "0a200a066163743a74731204703a6d311a0c0880dea0cb05108094ebdc03280130016a0f0a066163743a74"
        "7312054163746f72",
        "0a250a066163743a74731204703a6d311a110880dea0cb0510ffffffffffffffffff01280130016a0f0a06"
        "6163743a747312054163746f72",
        "0a1b0a066163743a74731204703a6d311a07088083d1ffaf07280130016a0f0a066163743a747312054163"
        "746f72",
        "0a1f0a066163743a74731204703a6d311a0b08ff91b8c398feffffff01280130016a0f0a066163743a7473"
        "12054163746f72",
        /* nested: evidence.collected_at nanos 1e9 */
        "0a0e0a0465763a741204703a6d3128017a0a3a080801108094ebdc03",
    };
    static const char *const good[] = {
        /* 9999-12-31T23:59:59.999999999Z and 0001-01-01T00:00:00Z */
        "0a170a01611201621a0d08ff82d1ffaf0710ff93ebdc0328016a00",
        "0a150a01611201621a0b088092b8c398feffffff0128016a00",
    };
    uint8_t buf[256];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long n = tu_hex(buf, sizeof buf, bad[i]);
        assert_true(n > 0);
        expect_reject(buf, (size_t)n, "timestamp out of range");
    }
    expect_reject(buf, (size_t)tu_hex(buf, sizeof buf, bad[4]), "evidence.collected_at");
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        long n = tu_hex(buf, sizeof buf, good[i]);
        lg_record *r = NULL;
        json_t *j = NULL;

        TU_OK(lg_record_decode(&r, buf, (size_t)n));
        TU_OK(lg_record_to_json(&j, r));
        json_decref(j);
        lg_record_free(r);
    }
}

static void
codec_size_limits(void **state)
{
    ledger_buf b = LEDGER_BUF_INIT, leaf = LEDGER_BUF_INIT;
    size_t big = 66000;
    char *text = malloc(big + 256);
    uint8_t *raw;
    lg_sig sig;

    (void)state;
    assert_non_null(text);
    snprintf(text, 256,
             "{\"header\": {\"record_id\": \"r\", \"author\": \"p:a\","
             " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"actor\": {\"description\": \"");
    size_t at = strlen(text);
    memset(text + at, 'x', big);
    strcpy(text + at + big, "\"}}");
    expect_json_reject(text, "max 65535");
    free(text);

    /* A record that fits, but whose leaf (with signatures) would not. */
    raw = calloc(1, 65500);
    assert_non_null(raw);
    memset(&sig, 0, sizeof sig);
    TU_CHECK(lg_entry_encode(&leaf, 1, 1, raw, 65500, &sig, 1), LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "max 65535"));
    free(raw);
    {
        lg_entry *e = NULL;
        uint8_t *huge = calloc(1, 65536);
        TU_CHECK(lg_entry_decode(&e, huge, 65536), LEDGER_EFORMAT);
        free(huge);
    }
    ledger_buf_dispose(&b);
}

static void
codec_entry_round_trip(void **state)
{
    ledger_buf leaf = LEDGER_BUF_INIT;
    lg_entry *e = NULL;
    lg_sig sigs[2];
    const uint8_t rec[] = {1, 2, 3};

    (void)state;
    memset(sigs, 0xab, sizeof sigs);
    TU_OK(lg_entry_encode(&leaf, 7, 1234567, rec, sizeof rec, sigs, 2));
    TU_OK(lg_entry_decode(&e, leaf.data, leaf.len));
    assert_int_equal(e->index, 7);
    assert_int_equal(e->integrated_time, 1234567);
    assert_int_equal(e->n_sigs, 2);
    assert_memory_equal(e->record, rec, 3);
    lg_entry_free(e);
    /* No signatures: a leaf must carry at least one. */
    ledger_buf_dispose(&leaf);
    TU_OK(lg_entry_encode(&leaf, 7, 1, rec, sizeof rec, sigs, 0));
    TU_CHECK(lg_entry_decode(&e, leaf.data, leaf.len), LEDGER_EFORMAT);
    ledger_buf_dispose(&leaf);
}

static void
codec_rows_round_trip(void **state)
{
    ledger_buf b = LEDGER_BUF_INIT;
    lg_record_row r = {42, LG_REC_FINDING, "p:iab", 50, 0}, back;

    (void)state;
    TU_OK(lg_record_row_encode(&b, &r));
    TU_OK(lg_record_row_decode(&back, b.data, b.len));
    assert_int_equal(back.index, 42);
    assert_int_equal(back.type, LG_REC_FINDING);
    assert_string_equal(back.author, "p:iab");
    assert_int_equal(back.superseded_by, 50);
    ledger_buf_dispose(&b);
    TU_CHECK(lg_record_row_decode(&back, (const uint8_t *)"\x10\x63", 2), LEDGER_ECORRUPT);
}

/* The curation record (Record field 21): JSON -> canonical bytes -> the
 * same JSON; type 12 named "curation"; an empty name that is set keeps its
 * presence; the accessor; the row's curated_by; a bad target_ref refused. */
static void
codec_curation_round_trip(void **state)
{
    static const char text[] =
        "{\"header\": {\"record_id\": \"cur:1\", \"author\": \"p:admin\", \"created\": "
        "\"2024-02-01T00:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": "
        "\"TLP_CLEAR\"}, \"curation\": {\"target_ref\": \"inc:a\", \"new_owner\": \"p:m2\", "
        "\"description\": \"\", \"reason\": \"abusive text\"}}";
    ledger_buf b = LEDGER_BUF_INIT, b2 = LEDGER_BUF_INIT;
    lg_record_row row = {7, LG_REC_INCIDENT_REPORT, "p:m1", 0, 0, 9}, back;
    lg_curation_info ci;
    lg_record *r = NULL;
    json_t *j = NULL, *v = NULL;

    (void)state;
    assert_int_equal(LG_REC_CURATION, 12);
    assert_string_equal(lg_record_type_name(LG_REC_CURATION), "curation");
    assert_int_equal(lg_record_type_parse("curation"), LG_REC_CURATION);
    encode_json(&b, text);
    TU_OK(lg_record_decode(&r, b.data, b.len));
    assert_int_equal(lg_record_type_of(r), LG_REC_CURATION);
    TU_OK(lg_record_curation(&ci, r));
    assert_string_equal(ci.target_ref, "inc:a");
    assert_string_equal(ci.new_owner, "p:m2");
    assert_null(ci.name);
    assert_non_null(ci.description);
    assert_string_equal(ci.description, "");
    assert_string_equal(ci.reason, "abusive text");
    TU_OK(lg_record_to_json(&j, r));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "curation"), "description")), "");
    assert_null(json_object_get(json_object_get(j, "curation"), "name"));
    TU_OK(lg_record_from_json(&b2, j));
    assert_int_equal(b.len, b2.len);
    assert_memory_equal(b.data, b2.data, b.len);
    lg_record_free(r);
    json_decref(j);
    ledger_buf_dispose(&b);
    ledger_buf_dispose(&b2);
    /* The row keeps curated_by. */
    TU_OK(lg_record_row_encode(&b, &row));
    TU_OK(lg_record_row_decode(&back, b.data, b.len));
    assert_int_equal(back.curated_by, 9);
    ledger_buf_dispose(&b);
    /* target_ref must be an id. */
    TU_OK(lg_json_load(&v,
                       "{\"header\": {\"record_id\": \"cur:2\", \"author\": \"p:admin\", "
                       "\"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"curation\": "
                       "{\"target_ref\": \"inc a\", \"reason\": \"r\"}}",
                       strlen("{\"header\": {\"record_id\": \"cur:2\", \"author\": \"p:admin\", "
                              "\"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"curation\": "
                              "{\"target_ref\": \"inc a\", \"reason\": \"r\"}}")));
    TU_CHECK(lg_record_from_json(&b, v), LEDGER_EFORMAT);
    json_decref(v);
    ledger_buf_dispose(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codec_golden_record_bytes),
        cmocka_unit_test(codec_rejects_non_canonical),
        cmocka_unit_test(codec_field_checks),
        cmocka_unit_test(codec_timestamps_within_the_json_range),
        cmocka_unit_test(codec_size_limits),
        cmocka_unit_test(codec_entry_round_trip),
        cmocka_unit_test(codec_rows_round_trip),
        cmocka_unit_test(codec_curation_round_trip),
    };
    if (ledger_init() != 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
