/*
 * codec_record.c - reading record fields for policy and views.
 *
 * Part of the codec module (with codec.c): the only code that sees the
 * generated structs. It turns a decoded Record into plain data: the list of
 * references with the record types each may point to, the confidence
 * statements, and the few fields the ledger's rules need (claimant, panel,
 * decision rule, vote). Adding a reference field to the schema means adding
 * one line here; policy.c checks every reference the same way.
 */
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"
#include "codec/codec_int.h"
#include "base/error.h"

typedef struct {
    lg_ref *out;
    size_t cap;
    size_t n;
    int overflow;
} ref_list;

static void
add_ref(ref_list *l, const char *field, long idx, const char *id, unsigned types)
{
    if (id == NULL || *id == '\0')
        return; /* optional reference not set */
    if (l->n == l->cap) {
        l->overflow = 1;
        return;
    }
    lg_ref *r = &l->out[l->n++];
    if (idx >= 0)
        snprintf(r->field, sizeof r->field, "%s[%ld]", field, idx);
    else
        snprintf(r->field, sizeof r->field, "%s", field);
    r->id = id;
    r->types = types;
}

static void
add_refs(ref_list *l, const char *field, char *const *ids, size_t n, unsigned types)
{
    for (size_t i = 0; i < n; i++)
        add_ref(l, field, (long)i, ids[i], types);
}

#define T_INCIDENT LG_T(LG_REC_INCIDENT_REPORT)
#define T_ACTOR LG_T(LG_REC_ACTOR)
#define T_EVIDENCE LG_T(LG_REC_EVIDENCE)
#define T_CLAIM LG_T(LG_REC_ATTRIBUTION_CLAIM)
#define T_OPINION LG_T(LG_REC_OPINION)
#define T_FINDING LG_T(LG_REC_FINDING)
#define T_RETRACTION LG_T(LG_REC_RETRACTION)
#define T_INSTRUMENT LG_T(LG_REC_INSTRUMENT)
#define T_NORM LG_T(LG_REC_NORM)
#define T_COMMITMENT LG_T(LG_REC_COMMITMENT)
/* Retractions and opinions may address any statement except the ledger's
 * own housekeeping (policy, registrations, revocations). */
#define T_STATEMENT                                                                        \
    (T_INCIDENT | T_ACTOR | T_EVIDENCE | T_CLAIM | T_OPINION | T_FINDING | T_RETRACTION |  \
     LG_T(LG_REC_PANEL_VOTE) | T_INSTRUMENT | T_NORM | T_COMMITMENT)

int
lg_record_refs(lg_ref *out, size_t cap, size_t *n_out, const lg_record *rec)
{
    const Attrledger__V1__Record *m = rec->msg;
    ref_list l = {out, cap, 0, 0};

    switch (m->body_case) {
    case ATTRLEDGER__V1__RECORD__BODY_ACTOR: {
        const Attrledger__V1__Actor *a = m->actor;
        add_ref(&l, "actor.parent_actor", -1, a->parent_actor, T_ACTOR);
        add_refs(&l, "actor.related_actors", a->related_actors, a->n_related_actors, T_ACTOR);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_INCIDENT_REPORT: {
        const Attrledger__V1__IncidentReport *ir = m->incident_report;
        add_refs(&l, "incident_report.related_incidents", ir->related_incidents,
                 ir->n_related_incidents, T_INCIDENT);
        add_refs(&l, "incident_report.evidence_refs", ir->evidence_refs, ir->n_evidence_refs,
                 T_EVIDENCE);
        for (size_t i = 0; i < ir->n_victims; i++)
            add_ref(&l, "incident_report.victims.identity_ref", (long)i,
                    ir->victims[i]->identity_ref, LG_REF_PARTICIPANT);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_EVIDENCE: {
        const Attrledger__V1__Evidence *e = m->evidence;
        add_refs(&l, "evidence.incident_refs", e->incident_refs, e->n_incident_refs, T_INCIDENT);
        for (size_t i = 0; i < e->n_hypothesis_relevance; i++)
            add_ref(&l, "evidence.hypothesis_relevance.actor_ref", (long)i,
                    e->hypothesis_relevance[i]->actor_ref, T_ACTOR);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM: {
        const Attrledger__V1__AttributionClaim *c = m->attribution_claim;
        add_ref(&l, "attribution_claim.claimant", -1, c->claimant, LG_REF_PARTICIPANT);
        add_refs(&l, "attribution_claim.incident_refs", c->incident_refs, c->n_incident_refs,
                 T_INCIDENT);
        add_ref(&l, "attribution_claim.attributed_to", -1, c->attributed_to, T_ACTOR);
        add_ref(&l, "attribution_claim.state_nexus", -1, c->state_nexus, T_ACTOR);
        add_ref(&l, "attribution_claim.host_state", -1, c->host_state, T_ACTOR);
        if (c->false_flag_claimed != NULL)
            add_ref(&l, "attribution_claim.false_flag_claimed.impersonated_actor", -1,
                    c->false_flag_claimed->impersonated_actor, T_ACTOR);
        add_refs(&l, "attribution_claim.evidence_refs", c->evidence_refs, c->n_evidence_refs,
                 T_EVIDENCE);
        if (c->methodology != NULL)
            for (size_t i = 0; i < c->methodology->n_alternative_hypotheses; i++)
                add_ref(&l, "attribution_claim.methodology.alternative_hypotheses.actor_ref",
                        (long)i, c->methodology->alternative_hypotheses[i]->actor_ref, T_ACTOR);
        for (size_t i = 0; i < c->n_related_claims; i++)
            add_ref(&l, "attribution_claim.related_claims.claim_ref", (long)i,
                    c->related_claims[i]->claim_ref, T_CLAIM);
        for (size_t i = 0; i < c->n_norms_breached; i++)
            add_ref(&l, "attribution_claim.norms_breached.norm_ref", (long)i,
                    c->norms_breached[i]->norm_ref, T_NORM);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_OPINION: {
        const Attrledger__V1__Opinion *o = m->opinion;
        add_refs(&l, "opinion.target_refs", o->target_refs, o->n_target_refs,
                 T_CLAIM | T_FINDING | T_EVIDENCE | T_INCIDENT | T_OPINION);
        add_ref(&l, "opinion.alternative_attribution", -1, o->alternative_attribution, T_ACTOR);
        add_refs(&l, "opinion.evidence_refs", o->evidence_refs, o->n_evidence_refs, T_EVIDENCE);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_RETRACTION: {
        const Attrledger__V1__Retraction *r = m->retraction;
        add_ref(&l, "retraction.target_ref", -1, r->target_ref, T_STATEMENT);
        add_ref(&l, "retraction.replacement_ref", -1, r->replacement_ref, T_STATEMENT);
        add_refs(&l, "retraction.evidence_refs", r->evidence_refs, r->n_evidence_refs,
                 T_EVIDENCE);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_FINDING: {
        const Attrledger__V1__Finding *f = m->finding;
        add_refs(&l, "finding.incident_refs", f->incident_refs, f->n_incident_refs, T_INCIDENT);
        for (size_t i = 0; i < f->n_conclusions; i++) {
            add_ref(&l, "finding.conclusions.attributed_to", (long)i,
                    f->conclusions[i]->attributed_to, T_ACTOR);
            add_ref(&l, "finding.conclusions.via_actor", (long)i, f->conclusions[i]->via_actor,
                    T_ACTOR);
        }
        for (size_t i = 0; i < f->n_false_flag_findings; i++)
            add_ref(&l, "finding.false_flag_findings.impersonated_actor", (long)i,
                    f->false_flag_findings[i]->impersonated_actor, T_ACTOR);
        for (size_t i = 0; i < f->n_claims_assessed; i++)
            add_ref(&l, "finding.claims_assessed.claim_ref", (long)i,
                    f->claims_assessed[i]->claim_ref, T_CLAIM);
        add_refs(&l, "finding.opinions_considered", f->opinions_considered,
                 f->n_opinions_considered, T_OPINION);
        add_refs(&l, "finding.evidence_relied_upon", f->evidence_relied_upon,
                 f->n_evidence_relied_upon, T_EVIDENCE);
        for (size_t i = 0; i < f->n_evidence_discounted; i++)
            add_ref(&l, "finding.evidence_discounted.evidence_ref", (long)i,
                    f->evidence_discounted[i]->evidence_ref, T_EVIDENCE);
        add_refs(&l, "finding.retractions_noted", f->retractions_noted, f->n_retractions_noted,
                 T_RETRACTION);
        for (size_t i = 0; i < f->n_alternative_hypotheses; i++)
            add_ref(&l, "finding.alternative_hypotheses.actor_ref", (long)i,
                    f->alternative_hypotheses[i]->actor_ref, T_ACTOR);
        if (f->right_of_reply != NULL) {
            add_refs(&l, "finding.right_of_reply.invited", f->right_of_reply->invited,
                     f->right_of_reply->n_invited, LG_REF_PARTICIPANT);
            add_refs(&l, "finding.right_of_reply.responses", f->right_of_reply->responses,
                     f->right_of_reply->n_responses, T_OPINION);
        }
        for (size_t i = 0; i < f->n_dissent; i++)
            add_ref(&l, "finding.dissent.panelist", (long)i, f->dissent[i]->panelist,
                    LG_REF_PARTICIPANT | LG_REF_PANELIST);
        for (size_t i = 0; i < f->n_recusals; i++)
            add_ref(&l, "finding.recusals.panelist", (long)i, f->recusals[i]->panelist,
                    LG_REF_PARTICIPANT | LG_REF_PANELIST);
        add_refs(&l, "finding.panel_members", f->panel_members, f->n_panel_members,
                 LG_REF_PARTICIPANT | LG_REF_PANELIST);
        for (size_t i = 0; i < f->n_norm_conclusions; i++)
            add_ref(&l, "finding.norm_conclusions.norm_ref", (long)i,
                    f->norm_conclusions[i]->norm_ref, T_NORM);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_INSTRUMENT: {
        const Attrledger__V1__Instrument *in = m->instrument;
        add_refs(&l, "instrument.reaffirms", in->reaffirms, in->n_reaffirms, T_NORM);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_NORM: {
        const Attrledger__V1__Norm *no = m->norm;
        add_ref(&l, "norm.instrument_ref", -1, no->instrument_ref, T_INSTRUMENT);
        add_refs(&l, "norm.reaffirms", no->reaffirms, no->n_reaffirms, T_NORM);
        add_ref(&l, "norm.superseded_by", -1, no->superseded_by, T_NORM);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_COMMITMENT: {
        const Attrledger__V1__Commitment *cm = m->commitment;
        add_ref(&l, "commitment.party", -1, cm->party, T_ACTOR);
        add_ref(&l, "commitment.declared_by", -1, cm->declared_by, LG_REF_PARTICIPANT);
        add_ref(&l, "commitment.instrument_ref", -1, cm->instrument_ref, T_INSTRUMENT);
        add_ref(&l, "commitment.norm_ref", -1, cm->norm_ref, T_NORM);
        break;
    }
    case ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE:
        add_ref(&l, "panel_vote.finding_ref", -1, m->panel_vote->finding_ref, T_FINDING);
        break;
    case ATTRLEDGER__V1__RECORD__BODY_CURATION:
        add_ref(&l, "curation.target_ref", -1, m->curation->target_ref, T_INCIDENT | T_ACTOR);
        add_ref(&l, "curation.new_owner", -1, m->curation->new_owner, LG_REF_PARTICIPANT);
        break;
    case ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY:
    case ATTRLEDGER__V1__RECORD__BODY_PARTICIPANT:
    case ATTRLEDGER__V1__RECORD__BODY_KEY_REVOCATION:
    default:
        break;
    }
    if (l.overflow)
        return lg_error_set(LEDGER_EFORMAT, "record %s has more than %zu references",
                            m->header->record_id, cap);
    *n_out = l.n;
    return 0;
}

typedef struct {
    lg_confidence *out;
    size_t cap;
    size_t n;
    int overflow;
} conf_list;

static void
add_likelihood(conf_list *l, const char *field, long idx, const Attrledger__V1__Likelihood *lk,
               const Attrledger__V1__ConfidenceAssessment *ca)
{
    lg_confidence *c;

    if (lk == NULL && ca == NULL)
        return;
    if (l->n == l->cap) {
        l->overflow = 1;
        return;
    }
    c = &l->out[l->n++];
    memset(c, 0, sizeof *c);
    if (idx >= 0)
        snprintf(c->field, sizeof c->field, "%s[%ld]", field, idx);
    else
        snprintf(c->field, sizeof c->field, "%s", field);
    c->term = "";
    if (ca != NULL &&
        ca->stix_case == ATTRLEDGER__V1__CONFIDENCE_ASSESSMENT__STIX_STIX_VALUE) {
        c->has_stix = 1;
        c->stix = ca->stix_value;
    }
    if (lk != NULL) {
        c->scale = (int)lk->scale;
        c->term = lk->term ? lk->term : "";
        c->range_min = lk->range_min;
        c->range_max = lk->range_max;
    }
}

static void
add_assessment(conf_list *l, const char *field, long idx,
               const Attrledger__V1__ConfidenceAssessment *ca)
{
    if (ca != NULL)
        add_likelihood(l, field, idx, ca->likelihood, ca);
}

int
lg_record_confidences(lg_confidence *out, size_t cap, size_t *n_out, const lg_record *rec)
{
    const Attrledger__V1__Record *m = rec->msg;
    conf_list l = {out, cap, 0, 0};

    switch (m->body_case) {
    case ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM:
        add_assessment(&l, "attribution_claim.confidence", -1, m->attribution_claim->confidence);
        break;
    case ATTRLEDGER__V1__RECORD__BODY_OPINION:
        add_assessment(&l, "opinion.own_confidence", -1, m->opinion->own_confidence);
        break;
    case ATTRLEDGER__V1__RECORD__BODY_FINDING:
        for (size_t i = 0; i < m->finding->n_conclusions; i++)
            add_assessment(&l, "finding.conclusions.confidence", (long)i,
                           m->finding->conclusions[i]->confidence);
        for (size_t i = 0; i < m->finding->n_alternative_hypotheses; i++)
            add_likelihood(&l, "finding.alternative_hypotheses.likelihood", (long)i,
                           m->finding->alternative_hypotheses[i]->likelihood, NULL);
        break;
    default:
        break;
    }
    if (l.overflow)
        return lg_error_set(LEDGER_EFORMAT, "record %s has more than %zu confidence statements",
                            m->header->record_id, cap);
    *n_out = l.n;
    return 0;
}

const char *
lg_record_claimant(const lg_record *r)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM)
        return "";
    return r->msg->attribution_claim->claimant ? r->msg->attribution_claim->claimant : "";
}

const char *
lg_record_key(const lg_record *r)
{
    const char *k = NULL;

    if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_ACTOR)
        k = r->msg->actor->actor_id;
    else if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_INCIDENT_REPORT)
        k = r->msg->incident_report->incident_key;
    else if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_INSTRUMENT)
        k = r->msg->instrument->instrument_id;
    else if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_NORM)
        k = r->msg->norm->norm_id;
    else
        return NULL;
    return k ? k : "";
}

int
lg_record_curation(lg_curation_info *out, const lg_record *r)
{
    const Attrledger__V1__Curation *cu;

    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_CURATION)
        return lg_error_set(LEDGER_EINVAL, "record %s is not a curation", lg_record_id(r));
    cu = r->msg->curation;
    out->target_ref = cu->target_ref ? cu->target_ref : "";
    out->new_owner = cu->new_owner ? cu->new_owner : "";
    out->name =
        cu->name_set_case == ATTRLEDGER__V1__CURATION__NAME_SET_NAME && cu->name ? cu->name : NULL;
    out->description =
        cu->description_set_case == ATTRLEDGER__V1__CURATION__DESCRIPTION_SET_DESCRIPTION &&
                cu->description
            ? cu->description
            : NULL;
    out->reason = cu->reason ? cu->reason : "";
    return 0;
}

const char *
lg_record_retraction_target(const lg_record *r)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_RETRACTION)
        return NULL;
    return r->msg->retraction->target_ref;
}

static void
rule_of(lg_rule *out, const Attrledger__V1__DecisionRule *d)
{
    memset(out, 0, sizeof *out);
    if (d == NULL)
        return;
    out->present = 1;
    out->panel_size = d->panel_size;
    out->approvals_required = d->approvals_required;
    out->recusal_policy = (int)d->recusal_policy;
    for (size_t i = 0; i < d->n_group_constraints; i++) {
        const Attrledger__V1__GroupConstraint *g = d->group_constraints[i];
        if (g->min_distinct_regions_among_approvers > out->min_regions)
            out->min_regions = g->min_distinct_regions_among_approvers;
        if (g->min_distinct_sectors_among_approvers > out->min_sectors)
            out->min_sectors = g->min_distinct_sectors_among_approvers;
    }
}

int
lg_record_rule(lg_rule *out, const lg_record *r)
{
    const Attrledger__V1__Record *m = r->msg;

    if (m->body_case == ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY)
        rule_of(out, m->ledger_policy->decision_rule);
    else if (m->body_case == ATTRLEDGER__V1__RECORD__BODY_FINDING)
        rule_of(out, m->finding->decision_rule);
    else
        return lg_error_set(LEDGER_EINVAL, "record has no decision rule");
    return 0;
}

int
lg_record_panel(const char *const **members, size_t *n, const lg_record *r)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_FINDING)
        return lg_error_set(LEDGER_EINVAL, "record is not a finding");
    *members = (const char *const *)r->msg->finding->panel_members;
    *n = r->msg->finding->n_panel_members;
    return 0;
}

int
lg_record_vote(const char **finding_ref, const uint8_t **digest, int *vote, const lg_record *r)
{
    const Attrledger__V1__PanelVote *v;

    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE)
        return lg_error_set(LEDGER_EINVAL, "record is not a panel vote");
    v = r->msg->panel_vote;
    *finding_ref = v->finding_ref;
    *digest = v->finding_digest->value.data; /* 32 bytes: checked at decode */
    *vote = (int)v->vote;
    return 0;
}
