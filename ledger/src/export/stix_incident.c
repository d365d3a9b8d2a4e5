/*
 * stix_incident.c - STIX objects of an incident report (docs/FORMATS.md
 * section 12): the incident with the OASIS Incident Core extension
 * (determination, status, criticality, types, impacted entity counts),
 * the malware, vulnerabilities and ATT&CK
 * techniques the report names, and its victims.
 *
 * Relationship types. STIX 2.1 defines no relationship with an incident as
 * source; the Incident Core extension (v2.0 draft, section 2.1.1) adds
 * attributed-to, targets (identity, infrastructure), impacts, located-at
 * (location) and led-to, plus the common derived-from, duplicate-of and
 * related-to. "incident uses malware / attack-pattern" and "incident
 * targets vulnerability" are in neither, so those links are `related-to`,
 * with the meaning ("uses", "targets") in our extension property
 * `incident_relationship`; victims are `targets` identity and their
 * countries `located-at` location, both defined by Incident Core.
 *
 * Incident Core 2.0 (Incident Extension Suite, section 2.1) takes only its
 * own vocabularies: `determination` from incident-determination-enum
 * (blocked, successful-attempt, failed-attempt, false-positive, low-value,
 * suspected), `investigation_status` from incident-investigation-ov (new,
 * open, closed). The ledger's DETERMINATION_CONFIRMED is not in the enum:
 * a confirmed report records an incident that happened, which the suite
 * calls successful-attempt ("determined to have caused at least some
 * harm"); the ledger's own word always stays in our extension
 * (`determination`), so nothing is lost or renamed there.
 *
 * Impacts: no `impact` SDOs and no impact_refs. The checker the exports
 * are held to (docs/FORMATS.md, "STIX 2.1") validates every object against
 * common/core.json, whose `extensions` takes only `*-ext` keys and
 * extension-definition ids, while the Impact extension (section 2.3)
 * requires `extensions.<impact_category>` (`monetary`, `external`): no
 * impact object can pass both. The record's whole `impact` goes to our
 * extension on the incident instead, so nothing is lost.
 *
 * Ids are seeded with the incident key and the named thing (malware name,
 * CVE id, technique id, victim name, impact position), so a revision of
 * the report makes new versions of the same objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "export/stix_int.h"

/* A proto3 JSON uint64 (a string of digits, or a number) > 0. */
static int
positive(json_int_t *out, const json_t *v)
{
    const char *s = json_string_value(v);
    char *end;
    long long x;

    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return *out > 0;
    }
    if (s == NULL || *s < '0' || *s > '9')
        return 0;
    x = strtoll(s, &end, 10);
    *out = (json_int_t)x;
    return *end == '\0' && x > 0;
}

/* "incident related-to x", with the meaning in our extension. */
static int
related(stix_ctx *c, const char *kind, const char *key, const char *name, const char *inc,
        const char *dst, const char *meaning)
{
    char seed[700];

    snprintf(seed, sizeof seed, "%s\n%s", key, name);
    return lg_stix_relationship(c, kind, seed, "related-to", inc, dst, NULL, NULL,
                                json_pack("{s:s}", "incident_relationship", meaning), NULL, 0);
}

/* A new SDO named by the report, seeded "key \n name", authored as it. */
static json_t *
named(stix_ctx *c, char id[ID_MAX], const char *type, const char *key, const char *name)
{
    char seed[700];
    json_t *o;

    snprintf(seed, sizeof seed, "%s\n%s", key, name);
    lg_stix_make_id(id, c, type, type, seed);
    o = lg_stix_obj_new(c, type, id, c->author_ref);
    if (o != NULL && set_str(o, "name", name) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Finish o (tail with our incident_key, emit) and relate it. */
static int
finish(stix_ctx *c, json_t *o, const char *id, const char *kind, const char *key, const char *name,
       const char *inc, const char *meaning)
{
    int rc;

    if ((rc = lg_stix_obj_tail(c, o, NULL, json_pack("{s:s}", "incident_key", key))) < 0) {
        json_decref(o);
        return rc;
    }
    if ((rc = lg_stix_emit(c, o)) < 0)
        return rc;
    return related(c, kind, key, name, inc, id, meaning);
}

/* malware (+ a `file` SCO per sample hash, in sample_refs). */
static int
malware(stix_ctx *c, const char *inc, const char *key, const json_t *m)
{
    const char *name = jstr(m, "name");
    char id[ID_MAX], fid[ID_MAX];
    json_t *o, *samples = NULL, *v;
    size_t i;
    int rc;

    if (name == NULL)
        return 0;
    if ((o = named(c, id, "malware", key, name)) == NULL ||
        set_str(o, "description", jstr(m, "notes")) < 0 ||
        json_object_set_new(o, "is_family",
                            json_boolean(json_is_true(json_object_get(m, "is_family")))) != 0 ||
        copy_field(o, "malware_types", m, "malware_types") < 0 ||
        copy_field(o, "aliases", m, "aliases") < 0 || (samples = json_array()) == NULL) {
        json_decref(o);
        return lg_error_nomem();
    }
    json_array_foreach(json_object_get(m, "sample_sha256"), i, v)
    {
        if ((rc = lg_stix_file_sco(c, fid, json_string_value(v))) < 0)
            goto fail;
        if (rc == 1 && json_array_append_new(samples, json_string(fid)) != 0) {
            rc = lg_error_nomem();
            goto fail;
        }
    }
    if (json_array_size(samples) > 0 && json_object_set(o, "sample_refs", samples) != 0) {
        rc = lg_error_nomem();
        goto fail;
    }
    json_decref(samples);
    return finish(c, o, id, "incident-malware", key, name, inc, "uses");
fail:
    json_decref(samples);
    json_decref(o);
    return rc;
}

/* "CVE-YYYY-NNNN..." (the form STIX requires of a "cve" external_id). */
static int
is_cve(const char *s)
{
    size_t n = strlen(s), d = 0;

    if (n < 13 || strncmp(s, "CVE-", 4) != 0 || s[8] != '-')
        return 0;
    for (size_t i = 4; i < n; i++)
        if (i != 8 && (s[i] < '0' || s[i] > '9'))
            return 0;
        else if (i > 8)
            d++;
    return d >= 4;
}

/* "T1234" or "T1234.001": an ATT&CK technique id, and its page. */
static int
attack_url(char *url, size_t cap, const char *s)
{
    size_t n = strlen(s);

    if ((n != 5 && n != 9) || s[0] != 'T' || strspn(s + 1, "0123456789") != 4 ||
        (n == 9 && (s[5] != '.' || strspn(s + 6, "0123456789") != 3)))
        return 0;
    if (n == 5)
        snprintf(url, cap, "https://attack.mitre.org/techniques/%s/", s);
    else
        snprintf(url, cap, "https://attack.mitre.org/techniques/%.5s/%s/", s, s + 6);
    return 1;
}

/* vulnerability (external reference "cve") or attack-pattern
 * (external reference "mitre-attack"), named by an id string. */
static int
by_id(stix_ctx *c, const char *inc, const char *key, const char *type, const char *name)
{
    char id[ID_MAX], url[64];
    json_t *o, *er = NULL;
    int vuln = strcmp(type, "vulnerability") == 0;

    if (name == NULL || *name == '\0')
        return 0;
    if (vuln && is_cve(name))
        er = json_pack("[{s:s,s:s}]", "source_name", "cve", "external_id", name);
    else if (!vuln && attack_url(url, sizeof url, name))
        er = json_pack("[{s:s,s:s,s:s}]", "source_name", "mitre-attack", "external_id", name, "url",
                       url);
    if ((o = named(c, id, type, key, name)) == NULL) {
        json_decref(er);
        return lg_error_nomem();
    }
    if (er != NULL && json_object_set_new(o, "external_references", er) != 0) {
        json_decref(o);
        return lg_error_nomem();
    }
    return finish(c, o, id, vuln ? "incident-vulnerability" : "incident-attack-pattern", key, name,
                  inc, vuln ? "targets" : "uses");
}

/* Incident Core impacted_entity_counts: the victims' counts by type. */
static int
entity_counts(json_t *ic, const json_t *victims)
{
    json_t *counts = json_object();
    const json_t *v, *e;
    size_t i, k;

    if (counts == NULL)
        return lg_error_nomem();
    json_array_foreach(victims, i, v) json_array_foreach(json_object_get(v, "entity_counts"), k, e)
    {
        const char *t = jstr(e, "entity_type");
        json_int_t n = 0, have = 0;
        if (t == NULL)
            continue;
        positive(&n, json_object_get(e, "count"));
        have = json_integer_value(json_object_get(counts, t));
        if (set_int(counts, t, have + n) < 0) {
            json_decref(counts);
            return lg_error_nomem();
        }
    }
    if (json_object_size(counts) == 0) {
        json_decref(counts);
        return 0;
    }
    return json_object_set_new(ic, "impacted_entity_counts", counts) == 0 ? 0 : lg_error_nomem();
}

/* A victim not registered as a participant: an identity of its own
 * (identity_class "unknown": the report does not say what it is). */
static const char *
victim_identity(stix_ctx *c, char id[ID_MAX], const char *key, const json_t *v, int *rc)
{
    const char *name = jstr(v, "name");
    json_t *o;

    if (name == NULL)
        return NULL;
    if ((o = named(c, id, "identity", key, name)) == NULL ||
        set_str(o, "description", jstr(v, "notes")) < 0 ||
        set_str(o, "identity_class", "unknown") < 0 || copy_field(o, "sectors", v, "sectors") < 0) {
        json_decref(o);
        *rc = lg_error_nomem();
        return NULL;
    }
    if ((*rc = lg_stix_obj_tail(c, o, NULL,
                                json_pack("{s:s,s:b}", "incident_key", key, "victim", 1))) < 0) {
        json_decref(o);
        return NULL;
    }
    return (*rc = lg_stix_emit(c, o)) < 0 ? NULL : id;
}

/* Victims: incident targets identity; identity and incident located-at
 * each victim country (the incident once per country). */
static int
victims(stix_ctx *c, const char *inc, const char *key, const json_t *list)
{
    const json_t *v, *ctry;
    size_t i, k;
    int rc = 0;

    json_array_foreach(list, i, v)
    {
        const char *vid = jstr(v, "identity_ref"), *who = vid ? lg_stix_ref(c, vid) : NULL;
        char seed[700], own[ID_MAX], loc[ID_MAX];

        if (who == NULL && (who = victim_identity(c, own, key, v, &rc)) == NULL && rc < 0)
            return rc;
        snprintf(seed, sizeof seed, "%s\n%s", key,
                 vid               ? vid
                 : jstr(v, "name") ? jstr(v, "name")
                                   : "");
        if ((rc = lg_stix_relationship(c, "targets", seed, "targets", inc, who, NULL, NULL, NULL,
                                       NULL, 0)) < 0)
            return rc;
        json_array_foreach(json_object_get(v, "countries"), k, ctry)
        {
            const char *lid = lg_stix_location(c, json_string_value(ctry), loc);
            char s2[800];
            if (lid == NULL)
                continue;
            snprintf(s2, sizeof s2, "%s\n%s", seed, lid);
            if (who == own && (rc = lg_stix_relationship(c, "victim-located-at", s2, "located-at",
                                                         who, lid, NULL, NULL, NULL, NULL, 0)) < 0)
                return rc;
        }
    }
    return c->nomem ? lg_error_nomem() : 0;
}

/* incident located-at each victim country, once per country. */
static int
places(stix_ctx *c, const char *inc, const char *key, const json_t *list)
{
    json_t *seen = json_object();
    const json_t *v, *ctry;
    size_t i, k;
    int rc = seen ? 0 : lg_error_nomem();

    json_array_foreach(list, i, v) json_array_foreach(json_object_get(v, "countries"), k, ctry)
    {
        const char *cc = json_string_value(ctry), *lid;
        char seed[700], loc[ID_MAX];

        if (rc < 0 || cc == NULL || json_object_get(seen, cc) != NULL)
            continue;
        if (json_object_set_new(seen, cc, json_true()) != 0) {
            rc = lg_error_nomem();
            continue;
        }
        if ((lid = lg_stix_location(c, cc, loc)) == NULL)
            continue;
        snprintf(seed, sizeof seed, "%s\n%s", key, cc);
        rc = lg_stix_relationship(c, "incident-located-at", seed, "located-at", inc, lid, NULL,
                                  NULL, NULL, NULL, 0);
    }
    json_decref(seen);
    return rc < 0 ? rc : c->nomem ? lg_error_nomem() : 0;
}

/* The incident-determination-enum value of a ledger determination, or
 * NULL (unspecified or unknown). */
static const char *
determination(const char *v)
{
    static const char *const map[][2] = {
        {"DETERMINATION_CONFIRMED", "successful-attempt"},
        {"DETERMINATION_SUSPECTED", "suspected"},
        {"DETERMINATION_BLOCKED", "blocked"},
        {"DETERMINATION_FAILED_ATTEMPT", "failed-attempt"},
        {"DETERMINATION_FALSE_POSITIVE", "false-positive"},
    };

    for (size_t i = 0; v != NULL && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(v, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* Incident Core (present only when the report says what it determined:
 * determination and investigation_status are required; an unspecified
 * status reads as "new"). 1 when added, 0 when not, or < 0. */
static int
incident_core(json_t *o, const json_t *r)
{
    char w2[64];
    const char *det = determination(jstr(r, "determination"));
    const char *inv =
        lg_stix_enum_word(w2, sizeof w2, jstr(r, "investigation_status"), "INVESTIGATION_STATUS_");
    const json_t *crit = json_object_get(r, "criticality");
    json_t *ic;

    if (det == NULL)
        return 0;
    if (inv != NULL && strcmp(inv, "new") != 0 && strcmp(inv, "open") != 0 &&
        strcmp(inv, "closed") != 0)
        inv = NULL;
    ic = json_pack("{s:s,s:s,s:s}", "extension_type", "property-extension", "determination", det,
                   "investigation_status", inv ? inv : "new");
    if (ic == NULL ||
        (json_is_integer(crit) && json_integer_value(crit) >= 0 &&
         json_integer_value(crit) <= 100 &&
         set_int(ic, "criticality", json_integer_value(crit)) < 0) ||
        copy_field(ic, "incident_types", r, "incident_types") < 0 ||
        entity_counts(ic, json_object_get(r, "victims")) < 0) {
        json_decref(ic);
        return lg_error_nomem();
    }
    return json_object_set_new(json_object_get(o, "extensions"), LG_STIX_INCIDENT_CORE, ic) == 0
               ? 1
               : lg_error_nomem();
}

/* Our extension of the incident: its key, the ledger's own determination
 * word, and what has no STIX home (the whole impact: see the top). */
static json_t *
incident_extra(const json_t *r, const char *key)
{
    char w[64];
    const char *det = lg_stix_enum_word(w, sizeof w, jstr(r, "determination"), "DETERMINATION_");
    json_t *e = json_pack("{s:s}", "incident_key", key);
    const json_t *imp = jobj(r, "impact");

    if (e == NULL)
        return NULL;
    set_str(e, "determination", det);
    if (imp != NULL)
        copy_field(e, "impact", r, "impact");
    copy_field(e, "attributes_affected", r, "attributes_affected");
    return e;
}

/* What the report names: victims, places, malware, CVEs, techniques
 * (each loop stops at the first error). */
static int
named_things(stix_ctx *c, const char *id, const char *key, const json_t *r)
{
    const json_t *v;
    size_t i;
    int rc;

    if ((rc = victims(c, id, key, json_object_get(r, "victims"))) < 0 ||
        (rc = places(c, id, key, json_object_get(r, "victims"))) < 0)
        return rc;
    json_array_foreach(json_object_get(r, "malware"), i,
                       v) if ((rc = malware(c, id, key, v)) < 0) return rc;
    json_array_foreach(json_object_get(r, "vulnerabilities"), i,
                       v) if ((rc = by_id(c, id, key, "vulnerability", json_string_value(v))) <
                              0) return rc;
    json_array_foreach(json_object_get(r, "attack_patterns"), i,
                       v) if ((rc = by_id(c, id, key, "attack-pattern", json_string_value(v))) <
                              0) return rc;
    return 0;
}

int
lg_stix_map_incident(stix_ctx *c, const json_t *r)
{
    /* The STIX id derives from the chain's first record_id: for the owning
     * report that is the incident_key itself (rules/policy.c), and another
     * member's report under the same key gets its own id, so no two authors
     * ever share one incident id. */
    const char *key = c->chains[c->cur].root;
    char id[ID_MAX];
    json_t *o;
    int rc;

    lg_stix_make_id(id, c, "incident", "incident", key);
    if ((o = lg_stix_obj_new(c, "incident", id, c->author_ref)) == NULL ||
        set_str(o, "name", jstr(r, "name") ? jstr(r, "name") : key) < 0 ||
        set_str(o, "description", jstr(r, "description")) < 0)
        return json_decref(o), lg_error_nomem();
    if ((rc = lg_stix_obj_tail(c, o, r, incident_extra(r, key))) < 0 ||
        (rc = incident_core(o, r)) < 0)
        return json_decref(o), rc;
    if ((rc = lg_stix_emit(c, o)) < 0 || (rc = lg_stix_name_put(c, key, c->cur)) < 0)
        return rc;
    return named_things(c, id, key, r);
}
