/*
 * templates.c - `attrledger new TYPE`: a commented template of each record
 * type, and the reader that lets record files carry such comments.
 *
 * Templates are proto3 JSON (docs/FORMATS.md section 1) with // comments;
 * `sign` and `submit` drop the comments before parsing, so a filled-in
 * template is signed as it is. docs/RECORDS.md explains every field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define HEADER(id, author, created)                                                                \
    "  \"header\": {\n"                                                                            \
    "    // Your id for this record, unique in the ledger: a prefix and a name.\n"                 \
    "    \"record_id\": \"" id "\",\n"                                                             \
    "    // The participant id that signs it (your key's name).\n"                                 \
    "    \"author\": \"" author "\",\n"                                                            \
    "    // When you wrote it, RFC 3339 in UTC.\n"                                                 \
    "    \"created\": \"" created "\",\n"                                                          \
    "    // FIRST_PARTY: your own statement; TRANSCRIBED: a curator copying a public one.\n"       \
    "    \"provenance\": \"PROVENANCE_FIRST_PARTY\",\n"                                            \
    "    // CLEAR (public), GREEN, AMBER, AMBER_STRICT or RED.\n"                                  \
    "    \"tlp\": \"TLP_CLEAR\"\n"                                                                 \
    "    // A revision adds \"supersedes\": \"PREVIOUS_RECORD_ID\" (same author).\n"               \
    "  },\n"

typedef struct {
    const char *type;
    const char *summary;
    const char *text;
} template;

static const template templates[] = {
    {"participant", "register a member and its key (admin + member co-sign)",
     "{\n" HEADER(
         "reg:cert-ua", "p:admin",
         "2017-06-27T09:00:00Z") "  \"participant\": {\n"
                                 "    // The member's id: the --name its key was generated with.\n"
                                 "    \"participant_id\": \"p:cert-ua\",\n"
                                 "    \"name\": \"CERT-UA\",\n"
                                 "    \"participant_kind\": \"PARTICIPANT_KIND_GOVERNMENT\",\n"
                                 "    \"country\": \"UA\",\n"
                                 "    // MEMBER, CURATOR, BODY, PANELIST or ADMIN (what it may "
                                 "append).\n"
                                 "    \"roles\": [\"PARTICIPANT_ROLE_MEMBER\"],\n"
                                 "    // The raw Ed25519 public key, base64: the \"public key\" "
                                 "line of\n"
                                 "    // `attrledger key show cert-ua.key.pub` (or its --json "
                                 "public_key).\n"
                                 "    \"public_keys\": [{\"alg\": \"SIGNATURE_ALG_ED25519\",\n"
                                 "                     \"public_key\": "
                                 "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}]\n"
                                 "  }\n"
                                 "}\n"},
    {"key_revocation", "revoke a key (by an admin or the key's owner)",
     "{\n" HEADER("rev:cert-ua-1", "p:cert-ua",
                  "2018-01-10T00:00:00Z") "  \"key_revocation\": {\n"
                                          "    \"participant_id\": \"p:cert-ua\",\n"
                                          "    // The key id, base64 of SHA-256(public key): "
                                          "`attrledger key show --json`\n"
                                          "    // prints it in hex as key_id; this field wants the "
                                          "same 32 bytes in base64.\n"
                                          "    \"key_id\": "
                                          "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\n"
                                          "    // COMPROMISED, SUPERSEDED or RETIRED.\n"
                                          "    \"reason\": \"REVOCATION_REASON_SUPERSEDED\",\n"
                                          "    \"explanation\": \"Key rotated.\"\n"
                                          "  }\n"
                                          "}\n"},
    {"actor", "a threat actor, intrusion set, state organ or state",
     "{\n" HEADER("act:sandworm", "p:cert-ua",
                  "2017-06-28T00:00:00Z") "  \"actor\": {\n"
                                          "    // The id that claims name in attributed_to "
                                          "(usually the record_id).\n"
                                          "    \"actor_id\": \"act:sandworm\",\n"
                                          "    \"name\": \"Sandworm Team\",\n"
                                          "    \"aliases\": [\"Voodoo Bear\", \"TeleBots\"],\n"
                                          "    // STATE, STATE_ORGAN, FRONT_COMPANY, "
                                          "INTRUSION_SET, CRIMINAL_GROUP,\n"
                                          "    // INDIVIDUAL, PERSONA or UNKNOWN.\n"
                                          "    \"actor_kind\": \"ACTOR_KIND_INTRUSION_SET\"\n"
                                          "    // \"parent_actor\": \"act:gru-74455\" chains "
                                          "cluster -> organ -> state.\n"
                                          "  }\n"
                                          "}\n"},
    {"incident_report", "what happened (versions by the same author)",
     "{\n" HEADER("inc:notpetya-2017", "p:cert-ua",
                  "2017-06-28T00:00:00Z") "  \"incident_report\": {\n"
                                          "    // Stable across versions of the report.\n"
                                          "    \"incident_key\": \"inc:notpetya-2017\",\n"
                                          "    \"name\": \"NotPetya\",\n"
                                          "    \"description\": \"Destructive malware spread "
                                          "through a Ukrainian accounting update.\",\n"
                                          "    \"incident_types\": [\"destruction\"],\n"
                                          "    // CONFIRMED, SUSPECTED, BLOCKED, FAILED_ATTEMPT or "
                                          "FALSE_POSITIVE.\n"
                                          "    \"determination\": \"DETERMINATION_CONFIRMED\",\n"
                                          "    \"timeline\": {\"first_seen\": {\"time\": "
                                          "\"2017-06-27T00:00:00Z\",\n"
                                          "                                  \"precision\": "
                                          "\"DATE_PRECISION_DAY\"}}\n"
                                          "  }\n"
                                          "}\n"},
    {"evidence", "evidence about incidents (or a commitment to it)",
     "{\n" HEADER(
         "ev:notpetya-medoc", "p:cert-ua",
         "2017-07-04T00:00:00Z") "  \"evidence\": {\n"
                                 "    // Earlier incident records this evidence is about.\n"
                                 "    \"incident_refs\": [\"inc:notpetya-2017\"],\n"
                                 "    \"evidence_type\": \"EVIDENCE_TYPE_HOST_FORENSICS\",\n"
                                 "    \"title\": \"Backdoor in the M.E.Doc update server\",\n"
                                 "    \"description\": \"What was found, by whom, and how.\",\n"
                                 "    // FULL, PARTIAL, NONE (withheld) or SEALED (a hash "
                                 "commitment only).\n"
                                 "    \"disclosure\": \"DISCLOSURE_FULL\"\n"
                                 "  }\n"
                                 "}\n"},
    {"attribution_claim", "who did it, in the claimant's own confidence words",
     "{\n" HEADER(
         "clm:notpetya-ua", "p:cert-ua",
         "2017-07-01T12:00:00Z") "  \"attribution_claim\": {\n"
                                 "    // Who makes the claim: the author, unless TRANSCRIBED by a "
                                 "curator.\n"
                                 "    \"claimant\": \"p:cert-ua\",\n"
                                 "    // Earlier incident and actor records.\n"
                                 "    \"incident_refs\": [\"inc:notpetya-2017\"],\n"
                                 "    \"attributed_to\": \"act:sandworm\",\n"
                                 "    // ATTRIBUTION, HYPOTHESIS or NEGATIVE (\"not them\").\n"
                                 "    \"assertion_type\": \"ASSERTION_TYPE_ATTRIBUTION\",\n"
                                 "    // TECHNICAL (a group), OPERATIONAL (an organ) or STRATEGIC "
                                 "(a state).\n"
                                 "    \"level\": \"ATTRIBUTION_LEVEL_OPERATIONAL\",\n"
                                 "    \"statement\": \"The claimant's own words.\",\n"
                                 "    // The words and scale as said; stix_value must lie in the "
                                 "range the\n"
                                 "    // words allow (docs/RECORDS.md lists them); no number for\n"
                                 "    // \"cannot be judged\".\n"
                                 "    \"confidence\": {\"stix_value\": 85,\n"
                                 "                   \"likelihood\": {\"scale\": "
                                 "\"LIKELIHOOD_SCALE_PHIA\",\n"
                                 "                                  \"term\": \"highly likely\",\n"
                                 "                                  \"range_min\": 80, "
                                 "\"range_max\": 90}}\n"
                                 "  }\n"
                                 "}\n"},
    {"opinion", "endorse, dispute, deny or comment on earlier records",
     "{\n" HEADER("op:notpetya-endorse", "p:cert-ua",
                  "2018-02-16T00:00:00Z") "  \"opinion\": {\n"
                                          "    \"target_refs\": [\"clm:notpetya-ua\"],\n"
                                          "    // ENDORSEMENT, DISPUTE, DENIAL (by the accused), "
                                          "COMMENT, REVIEW_REQUEST.\n"
                                          "    \"kind\": \"OPINION_KIND_ENDORSEMENT\",\n"
                                          "    // STRONGLY_DISAGREE, DISAGREE, NEUTRAL, AGREE or "
                                          "STRONGLY_AGREE.\n"
                                          "    \"stance\": \"OPINION_AGREE\",\n"
                                          "    \"explanation\": \"Why.\"\n"
                                          "  }\n"
                                          "}\n"},
    {"retraction", "withdraw or correct one of your own records",
     "{\n" HEADER(
         "ret:notpetya-ua", "p:cert-ua",
         "2018-03-01T00:00:00Z") "  \"retraction\": {\n"
                                 "    // A record of yours; a retracted record cannot be revised.\n"
                                 "    \"target_ref\": \"clm:notpetya-ua\",\n"
                                 "    // WITHDRAW, SUPERSEDE or CORRECT.\n"
                                 "    \"kind\": \"RETRACTION_KIND_WITHDRAW\",\n"
                                 "    // NEW_EVIDENCE, ERROR, FALSE_FLAG_IDENTIFIED, DUPLICATE, "
                                 "LEGAL, OTHER, ...\n"
                                 "    \"reason\": \"RETRACTION_REASON_ERROR\",\n"
                                 "    \"explanation\": \"Why.\"\n"
                                 "  }\n"
                                 "}\n"},
    {"finding", "the body's finding on incidents (BODY role)",
     "{\n" HEADER(
         "fnd:notpetya", "p:body",
         "2018-06-01T00:00:00Z") "  \"finding\": {\n"
                                 "    \"case_number\": \"2018-001\",\n"
                                 "    \"title\": \"Finding: responsibility for NotPetya\",\n"
                                 "    \"question\": \"Who ran NotPetya?\",\n"
                                 "    \"incident_refs\": [\"inc:notpetya-2017\"],\n"
                                 "    \"outcome\": \"FINDING_OUTCOME_ATTRIBUTED\",\n"
                                 "    \"conclusions\": [{\"attributed_to\": \"act:sandworm\",\n"
                                 "                     \"level\": "
                                 "\"ATTRIBUTION_LEVEL_TECHNICAL\",\n"
                                 "                     \"basis\": \"What the panel relied "
                                 "on.\"}],\n"
                                 "    // PANELIST participants; published once the decision rule's "
                                 "number\n"
                                 "    // of them approve this exact version (docs/VIEWS.md).\n"
                                 "    \"panel_members\": [\"p:panel-1\", \"p:panel-2\", "
                                 "\"p:panel-3\", \"p:panel-4\",\n"
                                 "                      \"p:panel-5\"],\n"
                                 "    \"decision_rule\": {\"panel_size\": 5, "
                                 "\"approvals_required\": 4}\n"
                                 "  }\n"
                                 "}\n"},
    {"panel_vote", "a panelist's vote on one exact finding version",
     "{\n" HEADER(
         "vote:notpetya-1", "p:panel-1",
         "2018-06-02T00:00:00Z") "  \"panel_vote\": {\n"
                                 "    \"finding_ref\": \"fnd:notpetya\",\n"
                                 "    // The finding's digest: the \"digest\" line of `attrledger "
                                 "show fnd:notpetya`.\n"
                                 "    \"finding_digest\": {\"alg\": \"DIGEST_ALG_SHA256\",\n"
                                 "                       \"value\": "
                                 "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\n"
                                 "    // APPROVE, REJECT or ABSTAIN.\n"
                                 "    \"vote\": \"VOTE_APPROVE\"\n"
                                 "  }\n"
                                 "}\n"},
    {"instrument", "a text states agreed to (curator or body)",
     "{\n" HEADER("ungge2015", "p:registry", "2015-07-22T00:00:00Z") /**/
     "  \"instrument\": {\n"
     "    // The id norms and commitments name (the record_id of the first version).\n"
     "    \"instrument_id\": \"ungge2015\",\n"
     "    \"title\": \"UN GGE report of 2015\",\n"
     "    // UN_REPORT, UN_RESOLUTION, BILATERAL_AGREEMENT, COMMUNIQUE, INDUSTRY_PLEDGE,\n"
     "    // MULTISTAKEHOLDER_CALL or CODE_OF_CONDUCT.\n"
     "    \"kind\": \"INSTRUMENT_KIND_UN_REPORT\",\n"
     "    // STATES, STATES_AND_OTHERS, COMPANIES or PROPOSAL.\n"
     "    \"parties_type\": \"PARTIES_TYPE_STATES\",\n"
     "    \"date\": {\"time\": \"2015-07-22T00:00:00Z\", \"precision\": "
     "\"DATE_PRECISION_DAY\"},\n"
     "    \"binding\": false,\n"
     "    \"document_symbol\": \"A/70/174\",\n"
     "    // Later texts list the norm ids they restate in \"reaffirms\".\n"
     "    \"external_references\": [{\"source_name\": \"UN\", \"url\": "
     "\"https://undocs.org/A/70/174\"}]\n"
     "  }\n"
     "}\n"},
    {"norm", "one norm of an instrument, in your own words (curator or body)",
     "{\n" HEADER("ungge2015-13f", "p:registry", "2015-07-22T00:00:00Z") /**/
     "  \"norm\": {\n"
     "    \"norm_id\": \"ungge2015-13f\",\n"
     "    // The instrument_id of an earlier instrument record.\n"
     "    \"instrument_ref\": \"ungge2015\",\n"
     "    \"instrument_name\": \"A/70/174\",\n"
     "    \"paragraph\": \"13(f)\",\n"
     "    // A short paraphrase, not a quotation.\n"
     "    \"statement\": \"Do not conduct or knowingly support ICT activity that "
     "intentionally damages critical infrastructure.\",\n"
     "    \"adopted\": {\"time\": \"2015-07-22T00:00:00Z\", \"precision\": "
     "\"DATE_PRECISION_DAY\"}\n"
     "  }\n"
     "}\n"},
    {"commitment", "a party's commitment to an instrument or norm (or its withdrawal)",
     "{\n" HEADER("com:example-ungge2015", "p:example-gov", "2015-07-22T00:00:00Z") /**/
     "  \"commitment\": {\n"
     "    // The actor id of the state or organisation that committed.\n"
     "    \"party\": \"act:example-state\",\n"
     "    // Who speaks: your participant id (FIRST_PARTY), or the speaker when a\n"
     "    // curator transcribes (TRANSCRIBED).\n"
     "    \"declared_by\": \"p:example-gov\",\n"
     "    // Exactly one of instrument_ref (the whole text) and norm_ref (one norm).\n"
     "    \"instrument_ref\": \"ungge2015\",\n"
     "    // GROUP_MEMBER, ENDORSED, SIGNED, JOINED_LATER, DECLARED or WITHDREW.\n"
     "    \"kind\": \"COMMITMENT_KIND_GROUP_MEMBER\",\n"
     "    \"date\": {\"time\": \"2015-07-22T00:00:00Z\", \"precision\": "
     "\"DATE_PRECISION_DAY\"}\n"
     "  }\n"
     "}\n"},
    {"curation", "the body moves an incident or actor to a new owner, or corrects its text (admin)",
     "{\n" HEADER("cur:wannacry-1", "p:admin", "2024-02-01T00:00:00Z") /**/
     "  \"curation\": {\n"
     "    // The incident_key or actor_id: the record_id of the record that introduced it.\n"
     "    \"target_ref\": \"inc:wannacry\",\n"
     "    // Optional: the participant (MEMBER or CURATOR) that owns the key from now on;\n"
     "    // only it may revise or retract the key's own reports afterwards.\n"
     "    \"new_owner\": \"p:cert-uk\",\n"
     "    // Optional: the name and description shown instead of the owner's, until the\n"
     "    // owner writes a newer version. Leave out what you do not replace.\n"
     "    \"name\": \"WannaCry ransomware outbreak\",\n"
     "    // Required: why the body curates, shown with the curated text.\n"
     "    \"reason\": \"The name was abusive; the reporting member left the body.\"\n"
     "    // A later curation of the same key adds \"supersedes\": \"cur:wannacry-1\"\n"
     "    // to the header (any admin may write it).\n"
     "  }\n"
     "}\n"},
};

#define N_TEMPLATES (sizeof templates / sizeof templates[0])

static const cli_opt no_opts[] = {{NULL, 0, 0, 0}};

int
cmd_new(cli *c, int argc, char **argv)
{
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, no_opts, NULL, NULL, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 1) {
        free(pos);
        printf("record types (attrledger new TYPE prints a template):\n");
        for (size_t i = 0; i < N_TEMPLATES; i++)
            printf("  %-18s %s\n", templates[i].type, templates[i].summary);
        return npos == 0 ? EXIT_OK : cli_usage(c, "usage: attrledger new TYPE");
    }
    for (size_t i = 0; i < N_TEMPLATES; i++) {
        if (strcmp(templates[i].type, pos[0]) == 0) {
            fputs(templates[i].text, stdout);
            free(pos);
            return EXIT_OK;
        }
    }
    rc = cli_usage(c, "unknown record type \"%s\" (see: attrledger new)", pos[0]);
    free(pos);
    return rc;
}

/* Blank every // comment outside strings with spaces: offsets and line
 * numbers in parse errors stay those of the file. */
static void
strip_comments(uint8_t *s, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        if (in_string) {
            if (s[i] == '\\' && i + 1 < len)
                i++;
            else if (s[i] == '"')
                in_string = 0;
        } else if (s[i] == '"') {
            in_string = 1;
        } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                s[i++] = ' ';
        }
    }
}

int
cli_read_record(const cli *c, const char *path, size_t max, uint8_t **out, size_t *len)
{
    int rc = cli_read_file(c, path, max, out, len);
    if (rc == 0)
        strip_comments(*out, *len);
    return rc;
}
