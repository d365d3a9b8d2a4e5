/*
 * labels.c - the one table of plain words for the schema's enum values
 * (labels.h), used by the text views (views/view_text.c,
 * views/view_norms_text.c) and the CSV exports.
 *
 * The table is grouped by enum type: a type's prefix, then each value's
 * rest and its words. A lookup tries every group whose prefix starts the
 * name, so overlapping prefixes (OPINION_ for Stance and OPINION_KIND_ for
 * OpinionKind) need no ordering. About 50 groups of at most 18 values: a
 * few hundred byte comparisons per lookup, which the CSV export of 100k
 * claims does not notice.
 *
 * unit.labels checks that every value of proto/attrledger/v1/ledger.proto
 * has its words here, so a value added to the schema without them fails a
 * test instead of reaching a reader as an enum name.
 */
#include "codec/labels.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *value; /* the name without the type prefix */
    const char *words;
} label_row;

typedef struct {
    const char *prefix;
    const label_row *rows;
    size_t n;
} label_group;

#define ROWS(name) name, sizeof name / sizeof name[0]

static const label_row provenance[] = {{"FIRST_PARTY", "first-party"},
                                       {"TRANSCRIBED", "transcribed"}};
static const label_row tlp[] = {{"CLEAR", "TLP:CLEAR"},
                                {"GREEN", "TLP:GREEN"},
                                {"AMBER", "TLP:AMBER"},
                                {"AMBER_STRICT", "TLP:AMBER+STRICT"},
                                {"RED", "TLP:RED"}};
static const label_row date_precision[] = {
    {"YEAR", "year"}, {"MONTH", "month"}, {"DAY", "day"}, {"SECOND", "second"}};
static const label_row signature_alg[] = {{"ED25519", "Ed25519"}};
static const label_row digest_alg[] = {{"SHA256", "SHA-256"}};
static const label_row source_reliability[] = {
    {"A", "A (completely reliable)"}, {"B", "B (usually reliable)"},
    {"C", "C (fairly reliable)"},     {"D", "D (not usually reliable)"},
    {"E", "E (unreliable)"},          {"F", "F (reliability cannot be judged)"}};
static const label_row information_credibility[] = {{"1", "1 (confirmed by other sources)"},
                                                    {"2", "2 (probably true)"},
                                                    {"3", "3 (possibly true)"},
                                                    {"4", "4 (doubtful)"},
                                                    {"5", "5 (improbable)"},
                                                    {"6", "6 (truth cannot be judged)"}};
static const label_row likelihood_scale[] = {
    {"ICD203", "ICD 203 scale"},
    {"PHIA", "PHIA yardstick"},
    {"WEP", "words of estimative probability"},
    {"NONE_LOW_MED_HIGH", "none-low-medium-high scale"},
    {"ZERO_TEN", "0-10 scale"},
    {"ADMIRALTY_CREDIBILITY", "Admiralty credibility scale"},
    {"FREE_TEXT", "official wording"}};
static const label_row analytic_confidence[] = {
    {"LOW", "low"}, {"MODERATE", "moderate"}, {"HIGH", "high"}};
static const label_row attribution_level[] = {{"TECHNICAL", "technical level"},
                                              {"OPERATIONAL", "operational level"},
                                              {"STRATEGIC", "strategic level"}};
static const label_row state_responsibility[] = {
    {"PROHIBITED", "state-prohibited"},
    {"PROHIBITED_BUT_INADEQUATE", "state-prohibited but inadequate"},
    {"IGNORED", "state-ignored"},
    {"ENCOURAGED", "state-encouraged"},
    {"SHAPED", "state-shaped"},
    {"COORDINATED", "state-coordinated"},
    {"ORDERED", "state-ordered"},
    {"ROGUE_CONDUCTED", "state-rogue-conducted"},
    {"EXECUTED", "state-executed"},
    {"INTEGRATED", "state-integrated"},
    {"NONE_FOUND", "no state involvement found"}};
static const label_row disclosure[] = {{"FULL", "full"},
                                       {"PARTIAL", "partial"},
                                       {"NONE", "withheld"},
                                       {"SEALED", "sealed (hash commitment only)"}};
static const label_row legal_standard[] = {
    {"NONE", "no legal standard"},
    {"REASONABLE_SUSPICION", "reasonable suspicion"},
    {"PROBABLE_CAUSE", "probable cause"},
    {"CLEAR_AND_CONVINCING", "clear and convincing evidence"},
    {"BEYOND_REASONABLE_DOUBT", "beyond reasonable doubt"}};
static const label_row recusal_policy[] = {{"REDUCES_PANEL", "a recusal reduces the panel"},
                                           {"COUNTS_AS_ABSTAIN", "a recusal counts as abstaining"}};
static const label_row participant_kind[] = {
    {"ATTRIBUTION_BODY", "attribution body"},
    {"GOVERNMENT", "government"},
    {"GOVERNMENT_AGENCY", "government agency"},
    {"PROSECUTOR", "prosecutor"},
    {"INTERGOVERNMENTAL", "intergovernmental organization"},
    {"SECURITY_VENDOR", "security vendor"},
    {"TECHNOLOGY_COMPANY", "technology company"},
    {"VICTIM_ORGANIZATION", "victim organization"},
    {"INDEPENDENT_RESEARCHER", "independent researcher"},
    {"ACADEMIC", "academic"},
    {"MEDIA_REPORTED_SOURCE", "source reported by the media"},
    {"PANELIST", "panelist"}};
static const label_row participant_role[] = {{"ADMIN", "admin"},
                                             {"MEMBER", "member"},
                                             {"CURATOR", "curator"},
                                             {"PANELIST", "panelist"},
                                             {"BODY", "body"},
                                             {"CLAIMANT", "claimant"},
                                             {"ACCUSED_PARTY", "accused party"},
                                             {"LEDGER_OPERATOR", "ledger operator"},
                                             {"WITNESS", "witness"}};
static const label_row region[] = {
    {"AFRICA", "Africa"},           {"ASIA_PACIFIC", "Asia-Pacific"},
    {"EUROPE", "Europe"},           {"LATIN_AMERICA", "Latin America"},
    {"MIDDLE_EAST", "Middle East"}, {"NORTH_AMERICA", "North America"}};
static const label_row sector[] = {{"ACADEMIA", "academia"},           {"CERT", "CERT"},
                                   {"CIVIL_SOCIETY", "civil society"}, {"GOVERNMENT", "government"},
                                   {"INDUSTRY", "industry"},           {"LEGAL", "legal"}};
static const label_row revocation_reason[] = {
    {"COMPROMISED", "compromised"}, {"SUPERSEDED", "superseded"}, {"RETIRED", "retired"}};
static const label_row actor_kind[] = {{"STATE", "state"},
                                       {"STATE_ORGAN", "state organ"},
                                       {"FRONT_COMPANY", "front company"},
                                       {"INTRUSION_SET", "intrusion set"},
                                       {"CRIMINAL_GROUP", "criminal group"},
                                       {"INDIVIDUAL", "individual"},
                                       {"PERSONA", "persona"},
                                       {"UNKNOWN", "unknown kind"}};
static const label_row determination[] = {{"CONFIRMED", "confirmed"},
                                          {"SUSPECTED", "suspected"},
                                          {"BLOCKED", "blocked"},
                                          {"FAILED_ATTEMPT", "failed attempt"},
                                          {"FALSE_POSITIVE", "false positive"}};
static const label_row investigation_status[] = {
    {"NEW", "new"}, {"OPEN", "open"}, {"CLOSED", "closed"}};
static const label_row action_category[] = {{"MALWARE", "malware"},
                                            {"HACKING", "hacking"},
                                            {"SOCIAL", "social engineering"},
                                            {"MISUSE", "misuse"},
                                            {"PHYSICAL", "physical"},
                                            {"ERROR", "error"},
                                            {"ENVIRONMENTAL", "environmental"}};
static const label_row data_disclosure[] = {{"YES", "data disclosed"},
                                            {"POTENTIALLY", "data potentially disclosed"},
                                            {"NO", "no data disclosed"},
                                            {"UNKNOWN", "data disclosure unknown"}};
static const label_row duration_unit[] = {{"SECONDS", "seconds"}, {"MINUTES", "minutes"},
                                          {"HOURS", "hours"},     {"DAYS", "days"},
                                          {"WEEKS", "weeks"},     {"MONTHS", "months"}};
static const label_row discovery_party[] = {{"INTERNAL", "internal"},
                                            {"EXTERNAL", "external"},
                                            {"PARTNER", "partner"},
                                            {"UNKNOWN", "unknown"}};
static const label_row evidence_type[] = {{"CODE_SIMILARITY", "code similarity"},
                                          {"TOOL_CO_OCCURRENCE", "tool co-occurrence"},
                                          {"MALWARE_ANALYSIS", "malware analysis"},
                                          {"INFRASTRUCTURE", "infrastructure"},
                                          {"NETWORK_TELEMETRY", "network telemetry"},
                                          {"HOST_FORENSICS", "host forensics"},
                                          {"TTP_OBSERVATION", "observed tactics and techniques"},
                                          {"SUPPLY_CHAIN_ANALYSIS", "supply-chain analysis"},
                                          {"LINGUISTIC", "linguistic analysis"},
                                          {"FINANCIAL_TRACE", "financial trace"},
                                          {"VICTIMOLOGY", "victimology"},
                                          {"LEGAL_DOCUMENT", "legal document"},
                                          {"GOVERNMENT_ASSESSMENT", "government assessment"},
                                          {"VENDOR_REPORT", "vendor report"},
                                          {"MEDIA_REPORT", "media report"},
                                          {"HUMAN_SOURCE", "human source"},
                                          {"SIGNALS", "signals intelligence"}};
static const label_row effect[] = {
    {"SUPPORTS", "supports"}, {"CONTRADICTS", "contradicts"}, {"NEUTRAL", "neutral"}};
static const label_row deception[] = {{"NOT_ASSESSED", "deception not assessed"},
                                      {"LOW_RISK", "low risk of deception"},
                                      {"POSSIBLE", "deception possible"},
                                      {"CONFIRMED_FORGED", "confirmed forged"}};
static const label_row assertion_type[] = {
    {"ATTRIBUTION", "attribution"}, {"HYPOTHESIS", "hypothesis"}, {"NEGATIVE", "negative"}};
static const label_row target_scope[] = {{"ACTOR", "actor"}, {"TERRITORY", "territory"}};
static const label_row channel[] = {
    {"OFFICIAL_STATEMENT", "official statement"},
    {"JOINT_STATEMENT", "joint statement"},
    {"MINISTERIAL_REMARKS", "ministerial remarks"},
    {"PUBLIC_REMARKS", "public remarks"},
    {"CRIMINAL_COMPLAINT", "criminal complaint"},
    {"INDICTMENT", "indictment"},
    {"SANCTIONS_DESIGNATION", "sanctions designation"},
    {"VENDOR_REPORT", "vendor report"},
    {"RESEARCHER_PUBLICATION", "researcher publication"},
    {"MEDIA_ANONYMOUS_OFFICIALS", "anonymous officials in the media"},
    {"BODY_ASSESSMENT", "assessment by the body"}};
static const label_row approach[] = {{"CODE_SIMILARITY", "code similarity"},
                                     {"INFRASTRUCTURE_OVERLAP", "infrastructure overlap"},
                                     {"TTP_MATCH", "matching tactics and techniques"},
                                     {"MALWARE_LINEAGE", "malware lineage"},
                                     {"TOOL_CO_OCCURRENCE", "tool co-occurrence"},
                                     {"VICTIMOLOGY", "victimology"},
                                     {"LINGUISTIC", "linguistic analysis"},
                                     {"FINANCIAL_TRACING", "financial tracing"},
                                     {"SIGINT", "signals intelligence"},
                                     {"HUMINT", "human intelligence"},
                                     {"LAW_ENFORCEMENT", "law enforcement"},
                                     {"GEOPOLITICAL_MOTIVE", "geopolitical motive"}};
static const label_row claim_relation[] = {{"REFINES", "refines"},
                                           {"CONTRADICTS", "contradicts"},
                                           {"INCONSISTENT_CONFIDENCE", "inconsistent confidence"}};
static const label_row norm_link[] = {{"EXPLICIT", "explicit"}, {"MAPPED", "mapped"}};
static const label_row opinion_kind[] = {{"ENDORSEMENT", "endorsement"},
                                         {"DISPUTE", "dispute"},
                                         {"DENIAL", "denial"},
                                         {"COMMENT", "comment"},
                                         {"REVIEW_REQUEST", "review request"}};
static const label_row stance[] = {{"STRONGLY_DISAGREE", "strongly disagrees"},
                                   {"DISAGREE", "disagrees"},
                                   {"NEUTRAL", "neutral"},
                                   {"AGREE", "agrees"},
                                   {"STRONGLY_AGREE", "strongly agrees"}};
static const label_row retraction_kind[] = {
    {"WITHDRAW", "withdrawn"}, {"SUPERSEDE", "superseded"}, {"CORRECT", "corrected"}};
static const label_row retraction_reason[] = {
    {"NEW_EVIDENCE", "new evidence"},
    {"ERROR", "an error"},
    {"FALSE_FLAG_IDENTIFIED", "false flag identified"},
    {"SUPERSEDED_BY_PRIMARY_SOURCE", "superseded by a primary source"},
    {"DUPLICATE", "duplicate"},
    {"LEGAL", "legal reasons"},
    {"OTHER", "other reasons"}};
static const label_row finding_outcome[] = {{"ATTRIBUTED", "attributed"},
                                            {"ATTRIBUTED_WITH_DISSENT", "attributed, with dissent"},
                                            {"FALSE_FLAG_IDENTIFIED", "false flag identified"},
                                            {"INSUFFICIENT_EVIDENCE", "insufficient evidence"},
                                            {"NOT_STATE_SPONSORED", "not state-sponsored"},
                                            {"CLAIM_REFUTED", "claim refuted"}};
static const label_row claim_assessment[] = {{"CONSISTENT", "consistent"},
                                             {"PARTIALLY_CONSISTENT", "partially consistent"},
                                             {"INCONSISTENT", "inconsistent"},
                                             {"SUPERSEDED", "superseded"},
                                             {"NOT_ASSESSED", "not assessed"}};
static const label_row norm_verdict[] = {
    {"BREACHED", "breached"}, {"NOT_BREACHED", "not breached"}, {"UNDETERMINED", "undetermined"}};
static const label_row vote[] = {
    {"APPROVE", "approve"}, {"REJECT", "reject"}, {"ABSTAIN", "abstain"}, {"RECUSE", "recuse"}};
static const label_row instrument_kind[] = {{"UN_REPORT", "UN report"},
                                            {"UN_RESOLUTION", "UN resolution"},
                                            {"BILATERAL_AGREEMENT", "bilateral agreement"},
                                            {"COMMUNIQUE", "communique"},
                                            {"INDUSTRY_PLEDGE", "industry pledge"},
                                            {"MULTISTAKEHOLDER_CALL", "multistakeholder call"},
                                            {"CODE_OF_CONDUCT", "code of conduct"}};
static const label_row parties_type[] = {{"STATES", "states"},
                                         {"STATES_AND_OTHERS", "states and others"},
                                         {"COMPANIES", "companies"},
                                         {"PROPOSAL", "proposal"}};
static const label_row commitment_kind[] = {
    {"GROUP_MEMBER", "group member"}, {"ENDORSED", "endorsed"}, {"SIGNED", "signed"},
    {"JOINED_LATER", "joined later"}, {"DECLARED", "declared"}, {"WITHDREW", "withdrew"}};

static const label_group groups[] = {
    {"PROVENANCE_", ROWS(provenance)},
    {"TLP_", ROWS(tlp)},
    {"DATE_PRECISION_", ROWS(date_precision)},
    {"SIGNATURE_ALG_", ROWS(signature_alg)},
    {"DIGEST_ALG_", ROWS(digest_alg)},
    {"SOURCE_RELIABILITY_", ROWS(source_reliability)},
    {"INFORMATION_CREDIBILITY_", ROWS(information_credibility)},
    {"LIKELIHOOD_SCALE_", ROWS(likelihood_scale)},
    {"ANALYTIC_CONFIDENCE_", ROWS(analytic_confidence)},
    {"ATTRIBUTION_LEVEL_", ROWS(attribution_level)},
    {"STATE_RESPONSIBILITY_", ROWS(state_responsibility)},
    {"DISCLOSURE_", ROWS(disclosure)},
    {"LEGAL_STANDARD_", ROWS(legal_standard)},
    {"RECUSAL_POLICY_", ROWS(recusal_policy)},
    {"PARTICIPANT_KIND_", ROWS(participant_kind)},
    {"PARTICIPANT_ROLE_", ROWS(participant_role)},
    {"REGION_", ROWS(region)},
    {"SECTOR_", ROWS(sector)},
    {"REVOCATION_REASON_", ROWS(revocation_reason)},
    {"ACTOR_KIND_", ROWS(actor_kind)},
    {"DETERMINATION_", ROWS(determination)},
    {"INVESTIGATION_STATUS_", ROWS(investigation_status)},
    {"ACTION_CATEGORY_", ROWS(action_category)},
    {"DATA_DISCLOSURE_", ROWS(data_disclosure)},
    {"DURATION_UNIT_", ROWS(duration_unit)},
    {"DISCOVERY_PARTY_", ROWS(discovery_party)},
    {"EVIDENCE_TYPE_", ROWS(evidence_type)},
    {"EFFECT_", ROWS(effect)},
    {"DECEPTION_", ROWS(deception)},
    {"ASSERTION_TYPE_", ROWS(assertion_type)},
    {"TARGET_SCOPE_", ROWS(target_scope)},
    {"CHANNEL_", ROWS(channel)},
    {"APPROACH_", ROWS(approach)},
    {"CLAIM_RELATION_", ROWS(claim_relation)},
    {"NORM_LINK_", ROWS(norm_link)},
    {"OPINION_KIND_", ROWS(opinion_kind)},
    {"OPINION_", ROWS(stance)},
    {"RETRACTION_KIND_", ROWS(retraction_kind)},
    {"RETRACTION_REASON_", ROWS(retraction_reason)},
    {"FINDING_OUTCOME_", ROWS(finding_outcome)},
    {"CLAIM_ASSESSMENT_", ROWS(claim_assessment)},
    {"NORM_VERDICT_", ROWS(norm_verdict)},
    {"VOTE_", ROWS(vote)},
    {"INSTRUMENT_KIND_", ROWS(instrument_kind)},
    {"PARTIES_TYPE_", ROWS(parties_type)},
    {"COMMITMENT_KIND_", ROWS(commitment_kind)},
};

const char *
lg_label(const char *name)
{
    size_t len;

    if (name == NULL)
        return "";
    len = strlen(name);
    if (len >= 12 && strcmp(name + len - 12, "_UNSPECIFIED") == 0)
        return "unspecified";
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        size_t pl = strlen(groups[g].prefix);

        if (strncmp(name, groups[g].prefix, pl) != 0)
            continue;
        for (size_t i = 0; i < groups[g].n; i++)
            if (strcmp(name + pl, groups[g].rows[i].value) == 0)
                return groups[g].rows[i].words;
    }
    return name;
}

const char *
lg_label_of(const char *prefix, const char *value)
{
    char full[128];
    const char *w;

    if (value == NULL || *value == '\0')
        return "";
    if (snprintf(full, sizeof full, "%s%s", prefix, value) >= (int)sizeof full)
        return value;
    w = lg_label(full);
    return w == full ? value : w;
}
