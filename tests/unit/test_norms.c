/*
 * test_norms.c - the norms register's rules (rules/norms.c and the role and
 * reference rules of policy.c for Instrument, Norm, Commitment,
 * norms_breached and norm_conclusions), each shown the three ways of
 * test_rules.c: accepted at submit, refused at submit with the rule named
 * and the ledger unchanged, and forged into the store with lg_ledger_forge,
 * where verify must fail at exactly that entry naming the rule.
 *
 * Cast and base records: tests/support/rulefix.h (p:cur is CURATOR only,
 * p:body BODY only, p:m1 and p:m2 MEMBERs; act:a, inc:a, clm:a, fnd:a).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *
instrument(const char *rid, int author, const char *sup)
{
    return rf_json("{%s, \"instrument\": {\"instrument_id\": \"%s\", \"title\": \"Text %s\","
                   " \"kind\": \"INSTRUMENT_KIND_UN_REPORT\", \"date\": {\"time\":"
                   " \"2015-07-22T00:00:00Z\", \"precision\": \"DATE_PRECISION_DAY\"}}}",
                   rf_hdr(rid, author, sup, 0), sup ? "ins:a" : rid, rid);
}

/* A norm of `ins` (NULL: none); its norm_id is `key`. */
static const char *
norm_keyed(const char *rid, int author, const char *sup, const char *key, const char *ins)
{
    return rf_json("{%s, \"norm\": {\"norm_id\": \"%s\"%s%s%s, \"paragraph\": \"13(f)\","
                   " \"statement\": \"Norm %s.\"}}",
                   rf_hdr(rid, author, sup, 0), key, ins ? ", \"instrument_ref\": \"" : "",
                   ins ? ins : "", ins ? "\"" : "", rid);
}

static const char *
norm(const char *rid, int author, const char *ins)
{
    return norm_keyed(rid, author, NULL, rid, ins);
}

/* A commitment of act:a; `target` is the JSON member naming what it binds
 * to, `declared` the declared_by (NULL: none). */
static const char *
commitment(const char *rid, int author, int transcribed, const char *declared, const char *target,
           const char *kind, const char *date)
{
    return rf_json("{%s, \"commitment\": {\"party\": \"act:a\"%s%s%s, %s, \"kind\":"
                   " \"COMMITMENT_KIND_%s\", \"date\": {\"time\": \"%sT00:00:00Z\","
                   " \"precision\": \"DATE_PRECISION_DAY\"}}}",
                   rf_hdr(rid, author, NULL, transcribed), declared ? ", \"declared_by\": \"" : "",
                   declared ? declared : "", declared ? "\"" : "", target, kind, date);
}

/* p:m1's claim on inc:a citing `norm_ref`. */
static const char *
citing_claim(const char *rid, const char *norm_ref)
{
    return rf_claim(rid, P_M1, NULL, 0, "p:m1",
                    rf_json("\"incident_refs\": [\"inc:a\"], \"attributed_to\": \"act:a\","
                            " \"norms_breached\": [{\"norm_ref\": \"%s\", \"link\":"
                            " \"NORM_LINK_EXPLICIT\", \"basis\": \"Named.\"}]",
                            norm_ref));
}

/* p:body's finding on inc:a with one norm conclusion. */
static const char *
norm_finding(const char *rid, const char *norm_ref, int stated)
{
    return rf_json("{%s, \"finding\": {\"case_number\": \"CASE-%s\", \"incident_refs\":"
                   " [\"inc:a\"], \"outcome\": \"FINDING_OUTCOME_ATTRIBUTED\", \"panel_members\":"
                   " [%s], \"norm_conclusions\": [{\"norm_ref\": \"%s\", \"verdict\":"
                   " \"NORM_VERDICT_BREACHED\", \"reasoning\": \"Because.\"%s}]}}",
                   rf_hdr(rid, P_BODY, NULL, 0), rid, RF_PANEL, norm_ref,
                   stated ? ", \"stated_by_finding\": true" : "");
}

/* ins:a and its norm n:a by the curator. */
static void
register_base(rf_ledger *f)
{
    rf_ok(f, instrument("ins:a", P_CUR, NULL), K(P_CUR), NULL);
    rf_ok(f, norm("n:a", P_CUR, "ins:a"), K(P_CUR), NULL);
}

static void
norms_only_curators_and_the_body_add_instruments_and_norms(void **state)
{
    rf_ledger *f = *state;

    rf_ok(f, instrument("ins:a", P_CUR, NULL), K(P_CUR), NULL);
    rf_ok(f, instrument("ins:b", P_BODY, NULL), K(P_BODY), NULL);
    rf_ok(f, norm("n:a", P_CUR, "ins:a"), K(P_CUR), NULL);
    rf_ok(f, norm("n:b", P_BODY, "ins:b"), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "author p:m1 lacks the CURATOR or BODY role needed for instrument",
                instrument("ins:m", P_M1, NULL), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "author p:m1 lacks the CURATOR or BODY role needed for norm",
                norm("n:m", P_M1, "ins:a"), K(P_M1), NULL);
    rf_forged(f, "author p:m1 lacks the CURATOR or BODY role needed for norm",
              norm("n:m", P_M1, "ins:a"), K(P_M1), NULL);
}

static void
norms_references_resolve_to_records_of_the_right_type(void **state)
{
    rf_ledger *f = *state;

    register_base(f);
    rf_rejected(f, LEDGER_EPOLICY,
                "norm.instrument_ref names act:a, a actor, but must name a instrument",
                norm("n:x", P_CUR, "act:a"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "norm.instrument_ref is missing", norm("n:x", P_CUR, NULL),
                K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY,
                "attribution_claim.norms_breached.norm_ref[0] names ins:a, a instrument, but "
                "must name a norm",
                citing_claim("clm:x", "ins:a"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "names n:nope, which is not in the ledger",
                citing_claim("clm:x", "n:nope"), K(P_M1), NULL);
    rf_ok(f, citing_claim("clm:n", "n:a"), K(P_M1), NULL);
    rf_forged(f, "attribution_claim.norms_breached.norm_ref[0] names ins:a, a instrument",
              citing_claim("clm:x", "ins:a"), K(P_M1), NULL);
}

static void
norms_commitment_by_its_declarer_or_transcribed_by_a_curator(void **state)
{
    rf_ledger *f = *state;
    const char *ins = "\"instrument_ref\": \"ins:a\"";

    register_base(f);
    rf_ok(f, commitment("com:own", P_M1, 0, "p:m1", ins, "DECLARED", "2015-07-22"), K(P_M1), NULL);
    rf_ok(f, commitment("com:tr", P_CUR, 1, "p:m2", ins, "ENDORSED", "2015-07-23"), K(P_CUR), NULL);
    rf_ok(f,
          commitment("com:cons", P_CUR, 1, NULL, "\"norm_ref\": \"n:a\"", "GROUP_MEMBER",
                     "2015-07-22"),
          K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "a FIRST_PARTY commitment must be declared_by its author p:m1",
                commitment("com:x", P_M1, 0, "p:m2", ins, "DECLARED", "2015-07-22"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "author p:m1 lacks the CURATOR role needed for commitment",
                commitment("com:x", P_M1, 1, "p:m2", ins, "DECLARED", "2015-07-22"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "a TRANSCRIBED commitment must name another declarer",
                commitment("com:x", P_CUR, 1, "p:cur", ins, "DECLARED", "2015-07-22"), K(P_CUR),
                NULL);
    rf_rejected(f, LEDGER_EPOLICY, "exactly one of instrument_ref and norm_ref",
                commitment("com:x", P_CUR, 1, NULL,
                           "\"instrument_ref\": \"ins:a\", \"norm_ref\": \"n:a\"", "SIGNED",
                           "2015-07-22"),
                K(P_CUR), NULL);
    rf_rejected(
        f, LEDGER_EPOLICY, "commitment.party names clm:a, a attribution_claim",
        rf_json("{%s, \"commitment\": {\"party\": \"clm:a\", %s, \"kind\":"
                " \"COMMITMENT_KIND_SIGNED\", \"date\": {\"time\": \"2016-01-01T00:00:00Z\"}}}",
                rf_hdr("com:x", P_CUR, NULL, 1), ins),
        K(P_CUR), NULL);
    rf_forged(f, "a FIRST_PARTY commitment must be declared_by its author p:m1",
              commitment("com:x", P_M1, 0, "p:m2", ins, "DECLARED", "2015-07-22"), K(P_M1), NULL);
}

static void
norms_no_commitment_after_a_withdrawal_without_a_new_one(void **state)
{
    rf_ledger *f = *state;
    const char *ins = "\"instrument_ref\": \"ins:a\"", *n = "\"norm_ref\": \"n:a\"";
    const char *rule = "act:a withdrew from ins:a (com:w, entry";

    register_base(f);
    rf_ok(f, commitment("com:1", P_CUR, 1, NULL, ins, "GROUP_MEMBER", "2015-07-22"), K(P_CUR),
          NULL);
    rf_ok(f, commitment("com:w", P_CUR, 1, NULL, ins, "WITHDREW", "2018-01-01"), K(P_CUR), NULL);
    /* Dated before the withdrawal: still fine. */
    rf_ok(f, commitment("com:early", P_CUR, 1, NULL, n, "DECLARED", "2017-01-01"), K(P_CUR), NULL);
    /* After it: neither a norm of the instrument nor membership of the group. */
    rf_rejected(f, LEDGER_EPOLICY, rule,
                commitment("com:x", P_CUR, 1, NULL, n, "DECLARED", "2019-01-01"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, rule,
                commitment("com:x", P_CUR, 1, NULL, ins, "GROUP_MEMBER", "2019-01-01"), K(P_CUR),
                NULL);
    /* A new commitment to the whole instrument; then its norms again. */
    rf_ok(f, commitment("com:back", P_CUR, 1, NULL, ins, "JOINED_LATER", "2019-01-01"), K(P_CUR),
          NULL);
    rf_ok(f, commitment("com:n", P_CUR, 1, NULL, n, "DECLARED", "2019-06-01"), K(P_CUR), NULL);
    /* Retracting the new commitment makes the withdrawal the latest again. */
    rf_ok(f, rf_retraction("ret:back", P_CUR, "com:back"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, rule,
                commitment("com:x", P_CUR, 1, NULL, n, "DECLARED", "2020-01-01"), K(P_CUR), NULL);
    rf_forged(f, rule, commitment("com:x", P_CUR, 1, NULL, n, "DECLARED", "2020-01-01"), K(P_CUR),
              NULL);
}

static void
norms_conclusion_names_a_norm_the_incidents_claims_cite(void **state)
{
    rf_ledger *f = *state;
    const char *rule = "norm conclusion on n:a, but no live claim on the finding's incidents";

    register_base(f);
    rf_ok(f, norm("n:b", P_CUR, "ins:a"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, rule, norm_finding("fnd:x", "n:a", 0), K(P_BODY), NULL);
    /* The finding may raise a norm itself. */
    rf_ok(f, norm_finding("fnd:stated", "n:b", 1), K(P_BODY), NULL);
    /* A claim on the incident citing it makes the conclusion acceptable. */
    rf_ok(f, citing_claim("clm:n", "n:a"), K(P_M1), NULL);
    rf_ok(f, norm_finding("fnd:n", "n:a", 0), K(P_BODY), NULL);
    /* A retracted claim no longer cites anything. */
    rf_ok(f, rf_retraction("ret:n", P_M1, "clm:n"), K(P_M1), NULL);
    rf_rejected(f, LEDGER_EPOLICY, rule, norm_finding("fnd:y", "n:a", 0), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "names clm:a, a attribution_claim, but must name a norm",
                norm_finding("fnd:y", "clm:a", 1), K(P_BODY), NULL);
    rf_forged(f, rule, norm_finding("fnd:y", "n:a", 0), K(P_BODY), NULL);
}

static void
norms_revisions_and_retractions_as_for_every_record(void **state)
{
    rf_ledger *f = *state;

    register_base(f);
    rf_ok(f, norm_keyed("n:a@v2", P_CUR, "n:a", "n:a", "ins:a"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "only p:cur, the author of n:a@v2, may supersede it",
                norm_keyed("n:a@v3", P_BODY, "n:a@v2", "n:a", "ins:a"), K(P_BODY), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "norm.norm_id n:other differs from n:a",
                norm_keyed("n:a@v3", P_CUR, "n:a@v2", "n:other", "ins:a"), K(P_CUR), NULL);
    rf_ok(f, instrument("ins:a@v2", P_CUR, "ins:a"), K(P_CUR), NULL);
    rf_ok(f, rf_retraction("ret:n", P_CUR, "n:a@v2"), K(P_CUR), NULL);
    rf_rejected(f, LEDGER_EPOLICY, "only p:cur, the author of ins:a@v2, may retract it",
                rf_retraction("ret:i", P_BODY, "ins:a@v2"), K(P_BODY), NULL);
    rf_forged(f, "only p:cur, the author of n:a@v2, may supersede it",
              norm_keyed("n:a@v3", P_BODY, "n:a@v2", "n:a", "ins:a"), K(P_BODY), NULL);
}

/* A new ledger's trail of these records replays in `audit` (the rules run
 * there too); covered by cli.norms and cli.sample. */

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(norms_only_curators_and_the_body_add_instruments_and_norms),
        T(norms_references_resolve_to_records_of_the_right_type),
        T(norms_commitment_by_its_declarer_or_transcribed_by_a_curator),
        T(norms_no_commitment_after_a_withdrawal_without_a_new_one),
        T(norms_conclusion_names_a_norm_the_incidents_claims_cite),
        T(norms_revisions_and_retractions_as_for_every_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
