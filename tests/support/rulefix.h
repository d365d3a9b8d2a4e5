/*
 * rulefix.h - a ledger with a fixed cast of participants and builders for
 * the JSON records of the attribution workflow, shared by the rule and view
 * tests (test_rules.c, test_views.c).
 *
 * The cast (keys from fixed seeds, so runs are reproducible):
 *   p:admin  ADMIN (genesis)        p:body  BODY only
 *   p:m1     MEMBER                 p:cur   CURATOR only
 *   p:m2     MEMBER                 p:pan1 .. p:pan6  PANELIST, with panel
 *   profiles: pan1 EUROPE/ACADEMIA, pan2 EUROPE/CERT, pan3 EUROPE/INDUSTRY,
 *   pan4 NORTH_AMERICA/ACADEMIA, pan5 ASIA_PACIFIC/CIVIL_SOCIETY,
 *   pan6 AFRICA/LEGAL.
 * With the base records: act:a, act:b (actors), inc:a (incident), ev:a
 * (evidence on inc:a) and clm:a (p:m1's claim on inc:a, act:a), all by p:m1,
 * and fnd:a (p:body's finding on inc:a, panel pan1-pan5, the ledger's
 * default rule 4 of 5, recusals reduce the panel).
 *
 * The check helpers fail the current cmocka test with the library's message.
 */
#ifndef RULEFIX_H
#define RULEFIX_H

#include <stdint.h>

#include "attrledger/attrledger.h"
#include "testutil.h"

enum {
    P_ADMIN,
    P_M1,
    P_M2,
    P_CUR,
    P_BODY,
    P_PAN1,
    P_PAN2,
    P_PAN3,
    P_PAN4,
    P_PAN5,
    P_PAN6,
    P__COUNT
};

extern const char *const rf_id[P__COUNT];

#define RF_ORIGIN "rules.example/ledger"
#define RF_PANEL "\"p:pan1\", \"p:pan2\", \"p:pan3\", \"p:pan4\", \"p:pan5\""

typedef struct {
    char *dir;
    ledger_key *log_key;
    ledger_vkey log_vkey;
    ledger_log *log;
    ledger_key *key[P__COUNT];
} rf_ledger;

/* A new ledger in a temp dir with the cast registered and, when `base`,
 * the base records. */
rf_ledger *rf_new(int base);
/* Close and delete it. Accepts NULL. */
void rf_free(rf_ledger *f);

/* printf into one of 32 rotating 16 KiB buffers (valid for 31 more calls). */
const char *rf_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse JSON and sign it with k1 and k2 (either may be NULL). */
ledger_envelope *rf_env(const char *json, const ledger_key *k1, const ledger_key *k2);

/* Submit one record; returns the library's code and sets *index_out
 * (may be NULL) and *existed_out (may be NULL). */
int rf_submit(rf_ledger *f, uint64_t *index_out, int *existed_out, const char *json,
              const ledger_key *k1, const ledger_key *k2);
/* Submit and require success; returns the entry index. */
uint64_t rf_ok(rf_ledger *f, const char *json, const ledger_key *k1, const ledger_key *k2);
/* Submit and require rejection with `code`, a message naming the record and
 * containing `rule`, and an unchanged ledger (size and checkpoint). */
void rf_rejected(rf_ledger *f, int code, const char *rule, const char *json, const ledger_key *k1,
                 const ledger_key *k2);
/* The ledger verifies; then the record, appended with lg_ledger_forge
 * (no policy or signature checks), makes verify fail with LEDGER_ECORRUPT
 * at exactly that entry, with a message naming the entry and `rule`. */
void rf_forged(rf_ledger *f, const char *rule, const char *json, const ledger_key *k1,
               const ledger_key *k2);
/* The whole ledger verifies. */
void rf_verify_ok(rf_ledger *f);

uint64_t rf_size(rf_ledger *f);
uint64_t rf_index(rf_ledger *f, const char *record_id);
/* Standard base64 of the SHA-256 of a stored record's bytes. */
const char *rf_digest_of(rf_ledger *f, const char *record_id);

/* ---- record builders (results in rf_json buffers) ---- */

/* "header": {...}; sup may be NULL; transcribed selects the provenance. */
const char *rf_hdr(const char *rid, int author, const char *sup, int transcribed);
const char *rf_actor(const char *rid, int author);
/* incident_key is the part of rid before '@'. */
const char *rf_incident(const char *rid, int author, const char *sup);
const char *rf_evidence(const char *rid, int author, const char *incident);
/* A claim; `body` is the JSON members of attribution_claim after
 * "claimant" (NULL: incident_refs [inc:a], attributed_to act:a and PHIA
 * "highly likely" 85). */
const char *rf_claim(const char *rid, int author, const char *sup, int transcribed,
                     const char *claimant, const char *body);
const char *rf_opinion(const char *rid, int author, const char *target, const char *kind,
                       int accused);
const char *rf_retraction(const char *rid, int author, const char *target);
/* A finding on `incident` with panel members `panel` (JSON strings, e.g.
 * RF_PANEL) and `rule` (members of decision_rule, or NULL for none). */
const char *rf_finding(const char *rid, int author, const char *sup, const char *incident,
                       const char *panel, const char *rule);
/* A vote by `author` on `finding` naming `digest_b64` ("VOTE_APPROVE" ...). */
const char *rf_vote(const char *rid, int author, const char *finding, const char *digest_b64,
                    const char *vote);
/* A vote with the stored finding's digest. */
const char *rf_vote_on(rf_ledger *f, const char *rid, int author, const char *finding,
                       const char *vote);
/* A registration of `pid` by `author` with `roles` (JSON strings) and keys. */
const char *rf_participant(const char *rid, int author, const char *sup, const char *pid,
                           const char *roles, const ledger_key *k1, const ledger_key *k2,
                           const char *profile);
const char *rf_revocation(const char *rid, int author, const char *pid, const ledger_key *key);
/* A new ledger_policy superseding `sup`, with decision_rule members `rule`. */
const char *rf_policy(rf_ledger *f, const char *rid, int author, const char *sup, const char *rule);
/* The same with more ledger_policy members `extra` (NULL: none). */
const char *rf_policy_with(rf_ledger *f, const char *rid, int author, const char *sup,
                           const char *rule, const char *extra);

#endif
