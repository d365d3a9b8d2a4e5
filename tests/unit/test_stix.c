/*
 * test_stix.c - the STIX 2.1 export: structure and meaning.
 *
 * On the world fixture (world.h): every object has the properties its
 * type requires (STIX 2.1 and the Incident Core extension), ids are
 * <type>--UUIDv5 and deterministic (two exports, and exports of two
 * identical ledgers, are byte-identical), every *_ref points inside the
 * bundle, a retraction yields a revoked version, a transcribed claim is
 * created by the curator and never by the organisation it quotes, and a
 * finding whose vote met its rule is a published report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "base/uuid.h"
#include "testutil.h"
#include "world.h"

static void
export_stix(tu_world *w, const char *incident, tu_sink *out, json_t **bundle)
{
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    json_error_t err;

    o.incident = incident;
    memset(out, 0, sizeof *out);
    TU_OK(ledger_export_stix(&rep, w->log, &o, tu_sink_write, out));
    assert_int_equal(rep.tree_size, TU_WORLD_SIZE);
    if (bundle != NULL) {
        *bundle = json_loadb((const char *)out->data, out->len, 0, &err);
        if (*bundle == NULL)
            fail_msg("bundle is not JSON: %s", err.text);
    }
}

static const char *
s(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const json_t *
ext(const json_t *o)
{
    const char *k;
    json_t *v;

    json_object_foreach(
        (json_t *)json_object_get(o, "extensions"), k,
        v) if (strncmp(k, "extension-definition--", 22) == 0 &&
               strcmp(k, "extension-definition--ef765651-680c-498d-9894-99799f2fa126") !=
                   0) return v;
    return NULL;
}

/* All objects (latest versions last) whose extension names record_id. */
static size_t
by_record(const json_t *bundle, const char *record_id, const json_t **out, size_t cap)
{
    size_t i, n = 0;
    json_t *o;

    json_array_foreach(json_object_get(bundle, "objects"), i, o)
    {
        const json_t *e = ext(o);
        if (e != NULL && s(e, "record_id") && strcmp(s(e, "record_id"), record_id) == 0 && n < cap)
            out[n++] = o;
    }
    return n;
}

static const json_t *
find_id(const json_t *bundle, const char *id)
{
    size_t i;
    json_t *o;

    json_array_foreach(json_object_get(bundle, "objects"), i,
                       o) if (strcmp(s(o, "id"), id) == 0) return o;
    return NULL;
}

/* The identity of a participant (by our participant_id extension). */
static const char *
identity_of(const json_t *bundle, const char *pid)
{
    size_t i;
    json_t *o;

    json_array_foreach(json_object_get(bundle, "objects"), i, o)
    {
        const json_t *e = ext(o);
        if (strcmp(s(o, "type"), "identity") == 0 && e != NULL && s(e, "participant_id") &&
            strcmp(s(e, "participant_id"), pid) == 0)
            return s(o, "id");
    }
    return NULL;
}

static void
check_id(const char *id, const char *type)
{
    size_t tl = strlen(type);
    uint8_t u[16];

    if (strncmp(id, type, tl) != 0 || strncmp(id + tl, "--", 2) != 0)
        fail_msg("id %s does not start with %s--", id, type);
    if (lg_uuid_parse(u, id + tl + 2) != 0)
        fail_msg("id %s has no UUID", id);
    /* TLP markings are the spec's fixed v4 ids; everything we mint is v5. */
    if (strcmp(type, "marking-definition") != 0 &&
        (id[tl + 2 + 14] != '5' || strchr("89ab", id[tl + 2 + 19]) == NULL))
        fail_msg("id %s is not a UUIDv5", id);
}

static void
require(const json_t *o, const char *const *props)
{
    for (size_t i = 0; props[i] != NULL; i++)
        if (json_object_get(o, props[i]) == NULL)
            fail_msg("%s %s lacks required property %s", s(o, "type"), s(o, "id"), props[i]);
}

static void
check_refs(const json_t *bundle, const json_t *v, const char *key)
{
    size_t kl = key ? strlen(key) : 0, i;
    const char *k;
    json_t *x;

    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k, x) check_refs(bundle, x, k);
        return;
    }
    if (key == NULL)
        return;
    if (kl > 5 && strcmp(key + kl - 5, "_refs") == 0) {
        assert_true(json_is_array(v));
        assert_true(json_array_size(v) > 0);
        json_array_foreach(v, i, x) if (find_id(bundle, json_string_value(x)) == NULL)
            fail_msg("%s names %s, not in the bundle", key, json_string_value(x));
    } else if (kl > 4 && strcmp(key + kl - 4, "_ref") == 0) {
        if (find_id(bundle, json_string_value(v)) == NULL)
            fail_msg("%s names %s, not in the bundle", key, json_string_value(v));
    }
}

static int
is_sco(const char *type)
{
    static const char *const scos[] = {"file", "ipv4-addr",  "domain-name",
                                       "url",  "email-addr", "artifact"};

    for (size_t i = 0; i < sizeof scos / sizeof scos[0]; i++)
        if (strcmp(type, scos[i]) == 0)
            return 1;
    return 0;
}

static void
stix_objects_have_required_properties(void **state)
{
    static const char *const common[] = {"type", "spec_version", "id", NULL};
    static const char *const sdo[] = {"created", "modified", NULL};
    static const struct {
        const char *type;
        const char *props[6];
    } rules[] = {
        {"identity", {"name", NULL}},
        {"threat-actor", {"name", NULL}},
        {"intrusion-set", {"name", NULL}},
        {"incident", {"name", NULL}},
        {"location", {"country", NULL}},
        {"relationship", {"relationship_type", "source_ref", "target_ref", NULL}},
        {"opinion", {"opinion", "object_refs", NULL}},
        {"note", {"content", "object_refs", NULL}},
        {"grouping", {"context", "object_refs", NULL}},
        {"report", {"name", "published", "object_refs", NULL}},
        {"marking-definition", {"definition_type", "definition", "created", NULL}},
        {"extension-definition",
         {"created_by_ref", "name", "schema", "version", "extension_types", NULL}},
        {"malware", {"name", "is_family", NULL}},
        {"vulnerability", {"name", "external_references", NULL}},
        {"attack-pattern", {"name", "external_references", NULL}},
        {"observed-data",
         {"first_observed", "last_observed", "number_observed", "object_refs", NULL}},
        {"file", {"hashes", NULL}},
        {"ipv4-addr", {"value", NULL}},
        {"domain-name", {"value", NULL}},
        {"email-addr", {"value", NULL}},
        {"artifact", {"hashes", NULL}},
    };
    static const char *const opinions[] = {"strongly-disagree", "disagree", "neutral", "agree",
                                           "strongly-agree"};
    tu_world w;
    tu_sink out;
    json_t *b, *o;
    size_t i, seen[sizeof rules / sizeof rules[0]] = {0};

    (void)state;
    tu_world_create(&w);
    export_stix(&w, NULL, &out, &b);
    assert_string_equal(s(b, "type"), "bundle");
    check_id(s(b, "id"), "bundle");
    json_array_foreach(json_object_get(b, "objects"), i, o)
    {
        const char *type = s(o, "type");
        size_t r;

        require(o, common);
        assert_string_equal(s(o, "spec_version"), "2.1");
        check_id(s(o, "id"), type);
        for (r = 0; r < sizeof rules / sizeof rules[0]; r++)
            if (strcmp(rules[r].type, type) == 0)
                break;
        if (r == sizeof rules / sizeof rules[0])
            fail_msg("unexpected object type %s", type);
        seen[r]++;
        require(o, rules[r].props);
        if (is_sco(type)) {
            /* SCOs: no created, modified, created_by_ref (STIX 2.1 3.1). */
            assert_null(json_object_get(o, "created"));
            assert_null(json_object_get(o, "modified"));
            assert_null(json_object_get(o, "created_by_ref"));
            assert_null(ext(o));
            check_refs(b, o, NULL);
            continue;
        }
        if (strcmp(type, "marking-definition") != 0)
            require(o, sdo);
        if (json_object_get(o, "modified") != NULL)
            assert_true(strcmp(s(o, "modified"), s(o, "created")) >= 0);
        if (strcmp(type, "opinion") == 0) {
            int ok = 0;
            for (size_t k = 0; k < 5; k++)
                ok |= strcmp(s(o, "opinion"), opinions[k]) == 0;
            assert_true(ok);
        }
        if (json_object_get(o, "confidence") != NULL) {
            json_int_t cv = json_integer_value(json_object_get(o, "confidence"));
            assert_true(cv >= 0 && cv <= 100);
        }
        if (strcmp(type, "incident") == 0) {
            /* OASIS Incident Core: determination and investigation_status. */
            const json_t *ic =
                json_object_get(json_object_get(o, "extensions"),
                                "extension-definition--ef765651-680c-498d-9894-99799f2fa126");
            assert_non_null(ic);
            assert_string_equal(s(ic, "extension_type"), "property-extension");
            assert_non_null(s(ic, "determination"));
            assert_non_null(s(ic, "investigation_status"));
        }
        if (strcmp(type, "extension-definition") != 0 && strcmp(type, "marking-definition") != 0 &&
            strcmp(type, "location") != 0 &&
            strcmp(s(o, "id"), "identity--140b276e-8c4e-536e-8b14-a6d785b14ef8") != 0) {
            const json_t *e = ext(o);
            assert_non_null(e);
            assert_true(json_is_integer(json_object_get(e, "entry_index")));
            assert_non_null(s(e, "leaf_hash"));
        }
        check_refs(b, o, NULL);
    }
    /* Every kind the fixture implies is there. */
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++)
        if (seen[r] == 0)
            fail_msg("no %s in the bundle", rules[r].type);
    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

static void
stix_is_deterministic(void **state)
{
    tu_world a, b;
    tu_sink x, y, z;

    (void)state;
    tu_world_create(&a);
    tu_world_create(&b);
    export_stix(&a, NULL, &x, NULL);
    export_stix(&a, NULL, &y, NULL);
    export_stix(&b, NULL, &z, NULL);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    /* Another directory, the same records and times: the same bytes. */
    assert_int_equal(x.len, z.len);
    assert_memory_equal(x.data, z.data, x.len);
    tu_sink_free(&x);
    tu_sink_free(&y);
    tu_sink_free(&z);
    tu_world_free(&a);
    tu_world_free(&b);
}

static void
stix_claims_and_retractions(void **state)
{
    tu_world w;
    tu_sink out;
    json_t *b;
    const json_t *objs[16];
    size_t n, revoked = 0;

    (void)state;
    tu_world_create(&w);
    export_stix(&w, NULL, &out, &b);

    /* The government's claim: attributed-to, incident -> intrusion-set,
     * with its confidence, its own words in the extension, and a second
     * SRO to the state it names. */
    n = by_record(b, "clm:gov-one", objs, 16);
    assert_int_equal(n, 2);
    assert_string_equal(s(objs[0], "relationship_type"), "attributed-to");
    assert_int_equal(json_integer_value(json_object_get(objs[0], "confidence")), 85);
    assert_string_equal(s(objs[0], "created_by_ref"), identity_of(b, "p:gov"));
    assert_string_equal(s(find_id(b, s(objs[0], "source_ref")), "type"), "incident");
    assert_string_equal(s(find_id(b, s(objs[0], "target_ref")), "type"), "intrusion-set");
    assert_string_equal(s(json_object_get(ext(objs[0]), "likelihood"), "term"), "highly likely");
    assert_string_equal(s(find_id(b, s(objs[1], "target_ref")), "type"), "identity");
    assert_string_equal(s(objs[0], "created"), "2017-12-19T00:00:00.000Z");

    /* Retracted: the last version of the vendor's claim is revoked. */
    n = by_record(b, "clm:vendor-one", objs, 16);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++)
        if (json_is_true(json_object_get(objs[i], "revoked"))) {
            revoked++;
            assert_string_equal(s(objs[i], "id"), s(objs[0], "id"));
            assert_string_equal(s(objs[i], "created"), s(objs[0], "created"));
            assert_true(strcmp(s(objs[i], "modified"), s(objs[0], "modified")) > 0);
        }
    assert_int_equal(revoked, 1);
    n = by_record(b, "ret:vendor-one", objs, 16);
    assert_int_equal(n, 1);
    assert_string_equal(s(objs[0], "type"), "note");
    assert_string_equal(s(objs[0], "content"), "Overlap was a shared library.");

    /* Transcribed: created by the curator, never by the quoted party. */
    n = by_record(b, "clm:quoted-one", objs, 16);
    assert_int_equal(n, 1);
    assert_string_equal(s(objs[0], "created_by_ref"), identity_of(b, "p:cur"));
    assert_string_not_equal(s(objs[0], "created_by_ref"), identity_of(b, "p:quoted"));
    assert_string_equal(s(ext(objs[0]), "provenance"), "transcribed");
    assert_string_equal(s(ext(objs[0]), "claimant"), "p:quoted");
    /* No object in the bundle is created by the quoted party at all. */
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(b, "objects"), i, o) if (s(o, "created_by_ref") != NULL)
        assert_string_not_equal(s(o, "created_by_ref"), identity_of(b, "p:quoted"));

    /* The endorsement is an opinion on the claim's relationships. */
    n = by_record(b, "op:endorse", objs, 16);
    assert_int_equal(n, 1);
    assert_string_equal(s(objs[0], "opinion"), "agree");
    assert_int_equal(json_array_size(json_object_get(objs[0], "object_refs")), 2);

    /* The incident revision keeps the id and moves modified. */
    n = by_record(b, "inc:one@v2", objs, 16);
    assert_int_equal(n, 1);
    /* (inc:one also made its malware, impacts, ...: the incident first.) */
    const json_t *first[32];
    assert_true(by_record(b, "inc:one", first, 32) > 1);
    assert_string_equal(s(first[0], "type"), "incident");
    assert_string_equal(s(objs[0], "id"), s(first[0], "id"));
    assert_string_equal(s(objs[0], "created"), s(first[0], "created"));
    assert_string_equal(s(objs[0], "modified"), "2018-03-01T00:00:00.000Z");

    /* The finding: published (1 of 1 approvals on its exact digest). */
    n = by_record(b, "fnd:one", objs, 16);
    const json_t *report = NULL;
    for (i = 0; i < n; i++)
        if (strcmp(s(objs[i], "type"), "report") == 0)
            report = objs[i];
    assert_non_null(report);
    assert_true(json_is_true(json_object_get(ext(report), "published")));
    assert_string_equal(s(report, "published"), "2018-10-02T00:00:00.000Z");
    assert_string_equal(s(report, "created_by_ref"), identity_of(b, "p:body"));
    /* Votes are not exported. */
    assert_int_equal(by_record(b, "vote:one", objs, 16), 0);

    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

static void
stix_one_incident(void **state)
{
    tu_world w;
    tu_sink out;
    json_t *b, *o;
    const json_t *objs[4];
    size_t i, incidents = 0;

    (void)state;
    tu_world_create(&w);
    export_stix(&w, "inc:two", &out, &b);
    json_array_foreach(json_object_get(b, "objects"), i, o)
    {
        if (strcmp(s(o, "type"), "incident") == 0) {
            incidents++;
            assert_string_equal(s(o, "name"), "Wiper Two");
        }
        check_refs(b, o, NULL);
    }
    assert_int_equal(incidents, 1);
    assert_int_equal(by_record(b, "clm:vendor-two", objs, 4), 1);
    assert_int_equal(by_record(b, "clm:gov-one", objs, 4), 0);
    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

/* The first object of a type whose property k is v (NULL k: any). */
static const json_t *
find(const json_t *bundle, const char *type, const char *k, const char *v)
{
    size_t i;
    json_t *o;

    json_array_foreach(json_object_get(bundle, "objects"), i,
                       o) if (strcmp(s(o, "type"), type) == 0 &&
                              (k == NULL || (s(o, k) && strcmp(s(o, k), v) == 0))) return o;
    return NULL;
}

/* The relationship src -> dst, of type rtype. */
static const json_t *
rel(const json_t *bundle, const char *rtype, const char *src, const char *dst)
{
    size_t i;
    json_t *o;

    json_array_foreach(json_object_get(bundle, "objects"), i,
                       o) if (strcmp(s(o, "type"), "relationship") == 0 &&
                              strcmp(s(o, "relationship_type"), rtype) == 0 &&
                              strcmp(s(o, "source_ref"), src) == 0 &&
                              strcmp(s(o, "target_ref"), dst) == 0) return o;
    fail_msg("no %s relationship %s -> %s", rtype, src, dst);
    return NULL;
}

static int
has_ref(const json_t *refs, const char *id)
{
    size_t i;
    json_t *v;

    json_array_foreach(refs, i, v) if (strcmp(json_string_value(v), id) == 0) return 1;
    return 0;
}

/*
 * Expected SCO ids, computed independently of this code base (STIX 2.1
 * section 2.9: UUIDv5 in namespace 00abedb4-aa42-466c-9c01-fed23315a9b7 of
 * the JCS form of the ID Contributing Properties) with Python 3:
 *
 *   import uuid, json
 *   ns = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
 *   def sco(t, d): return t + "--" + str(uuid.uuid5(ns, json.dumps(
 *       d, separators=(",", ":"), sort_keys=True, ensure_ascii=False)))
 *   sco("file", {"hashes": {"SHA-256": "24d004a1...b1022c"}})   # lowercased
 *   sco("file", {"hashes": {"MD5": "db349b97c37d22f5ea1d1841e3c89eb4"}})
 *   sco("ipv4-addr", {"value": "203.0.113.7"})
 *   sco("domain-name", {"value": "update.evil.example"})
 *   sco("url", {"value": 'http://update.evil.example/a?b="c"'})
 *   sco("email-addr", {"value": "ops@evil.example"})
 *   sco("artifact", {"hashes": {"SHA-256": "ba7816bf...f20015ad"}})  # SHA-256("abc")
 */
#define SAMPLE_FILE "file--66738dea-1aa3-58cd-8fe9-6e9c45e57cdd"
#define MD5_FILE "file--5bb96a93-66b8-5686-8314-0b31cefbec27"
#define IPV4 "ipv4-addr--9ddd739e-87b1-587d-83f2-62ef1130af2f"
#define DOMAIN "domain-name--b0bbaf8f-f4bc-533e-96c5-0c5905acbecf"
#define URL "url--7dc46809-8f22-5875-8864-e802fb2a16bb"
#define EMAIL "email-addr--5e347458-3ab5-590a-ac9f-c3f3710e70fb"
#define ARTIFACT "artifact--095d55f5-5a46-5771-a0e1-7794ca4fd7a6"
#define INCIDENT_CORE "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

static void
stix_incident_names_malware_cves_techniques_impacts_victims(void **state)
{
    tu_world w;
    tu_sink out;
    json_t *b;
    const json_t *inc, *o, *er, *ic, *d;
    const char *iid;

    (void)state;
    tu_world_create(&w);
    export_stix(&w, NULL, &out, &b);
    inc = find(b, "incident", "name", "Worm One");
    assert_non_null(inc);
    iid = s(inc, "id");

    /* malware: is_family, types, the sample as a file SCO. */
    o = find(b, "malware", "name", "WormCry");
    assert_non_null(o);
    assert_true(json_is_true(json_object_get(o, "is_family")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "malware_types"), 0)),
                        "ransomware");
    assert_int_equal(json_array_size(json_object_get(o, "sample_refs")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "sample_refs"), 0)),
                        SAMPLE_FILE);
    assert_string_equal(s(o, "created_by_ref"), identity_of(b, "p:gov"));
    assert_string_equal(s(ext(rel(b, "related-to", iid, s(o, "id"))), "incident_relationship"),
                        "uses");
    o = find_id(b, SAMPLE_FILE);
    assert_non_null(o);
    assert_string_equal(s(json_object_get(o, "hashes"), "SHA-256"),
                        "24d004a104d4d54034dbcffc2a4b19a11f39008a575aa614ea04703480b1022c");

    /* vulnerability: external reference "cve". */
    o = find(b, "vulnerability", "name", "CVE-2017-0144");
    assert_non_null(o);
    er = json_array_get(json_object_get(o, "external_references"), 0);
    assert_string_equal(s(er, "source_name"), "cve");
    assert_string_equal(s(er, "external_id"), "CVE-2017-0144");
    assert_string_equal(s(ext(rel(b, "related-to", iid, s(o, "id"))), "incident_relationship"),
                        "targets");

    /* attack patterns: external reference "mitre-attack", sub-technique URL. */
    o = find(b, "attack-pattern", "name", "T1021.002");
    assert_non_null(o);
    er = json_array_get(json_object_get(o, "external_references"), 0);
    assert_string_equal(s(er, "source_name"), "mitre-attack");
    assert_string_equal(s(er, "external_id"), "T1021.002");
    assert_string_equal(s(er, "url"), "https://attack.mitre.org/techniques/T1021/002/");
    rel(b, "related-to", iid, s(o, "id"));
    assert_non_null(find(b, "attack-pattern", "name", "T1486"));

    /* Impact facts: no `impact` SDO and no impact_refs (the checker
     * cannot pass any impact object, docs/FORMATS.md); the record's whole
     * impact is in our extension on the incident. */
    ic = json_object_get(json_object_get(inc, "extensions"), INCIDENT_CORE);
    assert_null(json_object_get(ic, "impact_refs"));
    assert_null(find(b, "impact", NULL, NULL));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(ic, "impacted_entity_counts"), "organization")),
                     40);
    /* Incident Core takes only its own vocabularies; the ledger's word
     * stays in our extension. */
    assert_string_equal(s(ic, "determination"), "successful-attempt");
    assert_string_equal(s(ic, "investigation_status"), "open");
    assert_string_equal(s(ext(inc), "determination"), "confirmed");
    d = json_object_get(ext(inc), "impact");
    assert_non_null(d);
    assert_string_equal(s(d, "summary"), "Hospitals diverted ambulances.");
    o = json_array_get(json_object_get(d, "monetary"), 0);
    assert_string_equal(s(o, "currency"), "USD");
    assert_string_equal(s(o, "currency_actual"), "BTC");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(d, "external_impacts"), 0)),
        "public-health");

    /* victims: a new identity (named only) and a registered participant,
     * both targeted; the victims' countries, once each. */
    o = find(b, "identity", "name", "City Hospital");
    assert_non_null(o);
    assert_string_equal(s(o, "identity_class"), "unknown");
    rel(b, "targets", iid, s(o, "id"));
    rel(b, "located-at", s(o, "id"), s(find(b, "location", "country", "GB"), "id"));
    rel(b, "targets", iid, identity_of(b, "p:vendor"));
    rel(b, "located-at", iid, s(find(b, "location", "country", "GB"), "id"));
    rel(b, "located-at", iid, s(find(b, "location", "country", "FR"), "id"));

    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

static void
stix_evidence_observables_and_commitment(void **state)
{
    static const char *const scos[] = {MD5_FILE, IPV4, DOMAIN, EMAIL};
    tu_world w;
    tu_sink out, again;
    json_t *b, *um;
    const json_t *g, *od, *o;
    const json_t *objs[8];
    size_t i, n;

    (void)state;
    tu_world_create(&w);
    export_stix(&w, NULL, &out, &b);
    n = by_record(b, "ev:one", objs, 8);
    assert_int_equal(n, 3); /* note, observed-data, grouping */
    g = find(b, "grouping", "name", "Overlap");
    od = find(b, "observed-data", NULL, NULL);
    assert_non_null(g);
    assert_non_null(od);
    assert_string_equal(s(od, "first_observed"), "2017-05-12T07:44:00.000Z");
    assert_string_equal(s(od, "last_observed"), "2017-05-13T00:00:00.000Z");
    assert_int_equal(json_integer_value(json_object_get(od, "number_observed")), 1);
    assert_int_equal(json_array_size(json_object_get(od, "object_refs")), 4);
    for (i = 0; i < 4; i++) {
        o = find_id(b, scos[i]);
        if (o == NULL)
            fail_msg("SCO %s is not in the bundle", scos[i]);
        assert_true(has_ref(json_object_get(od, "object_refs"), scos[i]));
        assert_true(has_ref(json_object_get(g, "object_refs"), scos[i]));
        /* The same TLP marking as the record. */
        assert_string_equal(
            json_string_value(json_array_get(json_object_get(o, "object_marking_refs"), 0)),
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
    }
    /* '"' is not a URI character (RFC 3986): no url SCO for that value. */
    assert_null(find_id(b, URL));
    /* The grouping: the incident, the note, the observed-data, the SCOs,
     * the artifact. */
    assert_true(has_ref(json_object_get(g, "object_refs"),
                        s(find(b, "incident", "name", "Worm One"), "id")));
    assert_true(has_ref(json_object_get(g, "object_refs"),
                        s(find(b, "note", "abstract", "Overlap"), "id")));
    assert_true(has_ref(json_object_get(g, "object_refs"), s(od, "id")));
    assert_true(has_ref(json_object_get(g, "object_refs"), ARTIFACT));
    assert_int_equal(json_array_size(json_object_get(g, "object_refs")), 8);
    /* The artifact of the content commitment. */
    o = find_id(b, ARTIFACT);
    assert_non_null(o);
    assert_string_equal(s(json_object_get(o, "hashes"), "SHA-256"),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(s(o, "url"), "https://evidence.example/ev-one");
    assert_string_equal(s(o, "mime_type"), "text/plain");
    /* btc-address and an unknown type stay in our extension, nowhere else. */
    um = json_object_get(ext(g), "unmapped_observables");
    assert_int_equal(json_array_size(um), 3);
    assert_string_equal(s(json_array_get(um, 0), "type"), "url");
    assert_string_equal(s(json_array_get(um, 1), "type"), "btc-address");
    assert_string_equal(s(json_array_get(um, 2), "type"), "mutex");
    assert_string_equal(s(json_array_get(um, 2), "value"), "Global\\WormOne");
    json_array_foreach(json_object_get(b, "objects"), i, o) check_refs(b, o, NULL);
    /* Byte-identical on re-export. */
    export_stix(&w, NULL, &again, NULL);
    assert_int_equal(out.len, again.len);
    assert_memory_equal(out.data, again.data, out.len);

    json_decref(b);
    tu_sink_free(&out);
    tu_sink_free(&again);
    tu_world_free(&w);
}

/* Observables are checked before they become SCOs: defanged or malformed
 * values stay, as written, in the grouping's unmapped_observables. */
static void
stix_observables_are_validated(void **state)
{
    static const char *const bad[] = {"hxxp://evil[.]example/x",
                                      "http://evil[.]example/",
                                      "http://exa mple.com/",
                                      "evil[.]example",
                                      "-evil.example",
                                      "evil",
                                      "1.2.3.4",
                                      "256.1.1.1",
                                      "01.2.3.4",
                                      "10.0.0.1/33",
                                      "ops@evil[.]example",
                                      "@evil.example"};
    static const char *const good[][2] = {{"url", "url--"},
                                          {"url", "url--"},
                                          {"domain-name", "domain-name--"},
                                          {"ipv4-addr", "ipv4-addr--"},
                                          {"email-addr", "email-addr--"}};
    tu_world w;
    tu_sink out;
    json_t *b, *o;
    const json_t *g, *um;
    size_t i, k;
    int seen[5] = {0};

    (void)state;
    tu_world_create(&w);
    tu_world_submit(
        &w,
        "{\"header\": {\"record_id\": \"ev:iocs\", \"author\": \"p:vendor\", \"created\":"
        " \"2017-06-01T00:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\":"
        " \"TLP_CLEAR\"}, \"evidence\": {\"incident_refs\": [\"inc:one\"], \"title\": \"IOCs\","
        " \"observables\": ["
        "{\"type\": \"url\", \"value\": \"hxxp://evil[.]example/x\"},"
        "{\"type\": \"url\", \"value\": \"http://evil[.]example/\"},"
        "{\"type\": \"url\", \"value\": \"http://exa mple.com/\"},"
        "{\"type\": \"domain\", \"value\": \"evil[.]example\"},"
        "{\"type\": \"domain\", \"value\": \"-evil.example\"},"
        "{\"type\": \"domain\", \"value\": \"evil\"},"
        "{\"type\": \"domain\", \"value\": \"1.2.3.4\"},"
        "{\"type\": \"ipv4\", \"value\": \"256.1.1.1\"},"
        "{\"type\": \"ipv4\", \"value\": \"01.2.3.4\"},"
        "{\"type\": \"ipv4\", \"value\": \"10.0.0.1/33\"},"
        "{\"type\": \"email\", \"value\": \"ops@evil[.]example\"},"
        "{\"type\": \"email\", \"value\": \"@evil.example\"},"
        "{\"type\": \"url\", \"value\": "
        "\"https://user@cdn.evil.example:8443/a/b%20c?q=1&r=2#top\"},"
        "{\"type\": \"url\", \"value\": \"http://198.51.100.7/gate.php\"},"
        "{\"type\": \"domain\", \"value\": \"c2.evil-domain.example\"},"
        "{\"type\": \"ipv4\", \"value\": \"10.0.0.0/8\"},"
        "{\"type\": \"email\", \"value\": \"first.last+tag@evil.example\"}]}}",
        "p:vendor", NULL);
    memset(&out, 0, sizeof out);
    TU_OK(ledger_export_stix(NULL, w.log, NULL, tu_sink_write, &out));
    {
        json_error_t err;
        b = json_loadb((const char *)out.data, out.len, 0, &err);
        assert_non_null(b);
    }
    g = find(b, "grouping", "name", "IOCs");
    assert_non_null(g);
    um = json_object_get(ext(g), "unmapped_observables");
    assert_int_equal(json_array_size(um), sizeof bad / sizeof bad[0]);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_string_equal(s(json_array_get(um, i), "value"), bad[i]);
        json_array_foreach(json_object_get(b, "objects"), k,
                           o) if (s(o, "value") != NULL && strcmp(s(o, "value"), bad[i]) == 0)
            fail_msg("%s became an SCO", bad[i]);
    }
    /* The valid ones are SCOs in the grouping. */
    json_array_foreach(json_object_get(g, "object_refs"), i, o)
    {
        for (k = 0; k < 5; k++)
            if (!seen[k] && strncmp(json_string_value(o), good[k][1], strlen(good[k][1])) == 0 &&
                find_id(b, json_string_value(o)) != NULL) {
                seen[k] = 1;
                break;
            }
    }
    for (k = 0; k < 5; k++)
        if (!seen[k])
            fail_msg("no %s SCO for a valid value", good[k][0]);
    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

/* No UUID is shared by objects of different types (a note and the
 * grouping of the same evidence used to be), and our extension has one
 * fixed id, whatever the ledger's origin. */
static void
stix_ids_unique_across_types_and_fixed_extension(void **state)
{
    tu_world w;
    tu_sink out;
    json_t *b, *o, *seen;
    size_t i;
    int ext_def = 0;

    (void)state;
    tu_world_create(&w);
    export_stix(&w, NULL, &out, &b);
    seen = json_object();
    json_array_foreach(json_object_get(b, "objects"), i, o)
    {
        const char *id = s(o, "id"), *u = strstr(id, "--") + 2, *prev = s(seen, u);
        if (prev != NULL && strcmp(prev, s(o, "type")) != 0)
            fail_msg("UUID %s is used by a %s and a %s", u, prev, s(o, "type"));
        json_object_set_new(seen, u, json_string(s(o, "type")));
        if (strcmp(s(o, "type"), "extension-definition") == 0) {
            ext_def++;
            assert_string_equal(id, "extension-definition--85f06dbd-0fc4-5857-a7ba-b4ff7bc8326c");
            assert_string_equal(s(o, "created_by_ref"),
                                "identity--140b276e-8c4e-536e-8b14-a6d785b14ef8");
        }
        if (json_object_get(o, "extensions") != NULL && strcmp(s(o, "type"), "impact") != 0 &&
            ext(o) != NULL)
            assert_non_null(json_object_get(json_object_get(o, "extensions"),
                                            "extension-definition--85f06dbd-0fc4-5857-a7ba-"
                                            "b4ff7bc8326c"));
    }
    assert_int_equal(ext_def, 1);
    json_decref(seen);
    json_decref(b);
    tu_sink_free(&out);
    tu_world_free(&w);
}

static void
uuid5_known_answers(void **state)
{
    /* RFC 4122 DNS namespace; Python's uuid.uuid5(NAMESPACE_DNS, "python.org"). */
    static const uint8_t dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                    0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    char u[LG_UUID_STR];
    uint8_t h[20];

    (void)state;
    lg_uuid5(u, dns, (const uint8_t *)"python.org", 10);
    assert_string_equal(u, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    /* FIPS 180 "abc" and the two-block message. */
    lg_sha1(h, (const uint8_t *)"abc", 3);
    uint8_t want[20];
    tu_hex(want, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_memory_equal(h, want, 20);
    lg_sha1(h, (const uint8_t *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    tu_hex(want, 20, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    assert_memory_equal(h, want, 20);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uuid5_known_answers),
        cmocka_unit_test(stix_objects_have_required_properties),
        cmocka_unit_test(stix_is_deterministic),
        cmocka_unit_test(stix_claims_and_retractions),
        cmocka_unit_test(stix_one_incident),
        cmocka_unit_test(stix_incident_names_malware_cves_techniques_impacts_victims),
        cmocka_unit_test(stix_evidence_observables_and_commitment),
        cmocka_unit_test(stix_observables_are_validated),
        cmocka_unit_test(stix_ids_unique_across_types_and_fixed_extension),
    };

    TU_OK(ledger_init());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
