/*
 * codec_norms.c - the norms register fields of a decoded record as plain C
 * (codec_norms.h). Part of the codec module: the only other file here that
 * sees the generated structs besides codec.c and codec_record.c.
 */
#include "codec/codec_norms.h"

#include <string.h>

#include "base/error.h"
#include "codec/codec.h"
#include "codec/codec_int.h"

static const char *
str(const char *s)
{
    return s ? s : "";
}

int
lg_record_commitment(lg_commitment_info *out, const lg_record *r)
{
    const Attrledger__V1__Commitment *c;

    memset(out, 0, sizeof *out);
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_COMMITMENT)
        return lg_error_set(LEDGER_EINVAL, "record %s is not a commitment", lg_record_id(r));
    c = r->msg->commitment;
    out->party = str(c->party);
    out->declared_by = str(c->declared_by);
    out->instrument_ref = str(c->instrument_ref);
    out->norm_ref = str(c->norm_ref);
    out->kind = (int)c->kind;
    if (c->date != NULL && c->date->time != NULL) {
        out->has_date = 1;
        out->date = c->date->time->seconds;
    }
    return 0;
}

const char *
lg_record_norm_instrument(const lg_record *r)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_NORM)
        return NULL;
    return str(r->msg->norm->instrument_ref);
}

int
lg_record_instrument_date(int64_t *out, const lg_record *r)
{
    const Attrledger__V1__Instrument *in;

    *out = 0;
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_INSTRUMENT)
        return 0;
    in = r->msg->instrument;
    if (in->date == NULL || in->date->time == NULL)
        return 0;
    *out = in->date->time->seconds;
    return 1;
}

const char *
lg_record_claim_norm(const lg_record *r, size_t i, int *link)
{
    const Attrledger__V1__AttributionClaim *c;

    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM)
        return NULL;
    c = r->msg->attribution_claim;
    if (i >= c->n_norms_breached)
        return NULL;
    if (link != NULL)
        *link = (int)c->norms_breached[i]->link;
    return str(c->norms_breached[i]->norm_ref);
}

int
lg_record_incidents(const char *const **refs, size_t *n, const lg_record *r)
{
    *refs = NULL;
    *n = 0;
    if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM) {
        *refs = (const char *const *)r->msg->attribution_claim->incident_refs;
        *n = r->msg->attribution_claim->n_incident_refs;
    } else if (r->msg->body_case == ATTRLEDGER__V1__RECORD__BODY_FINDING) {
        *refs = (const char *const *)r->msg->finding->incident_refs;
        *n = r->msg->finding->n_incident_refs;
    } else {
        return lg_error_set(LEDGER_EINVAL, "record %s has no incident_refs", lg_record_id(r));
    }
    return 0;
}

int
lg_record_norm_conclusion(lg_norm_conclusion *out, const lg_record *r, size_t i)
{
    const Attrledger__V1__Finding *f;

    memset(out, 0, sizeof *out);
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_FINDING)
        return 0;
    f = r->msg->finding;
    if (i >= f->n_norm_conclusions)
        return 0;
    out->norm_ref = str(f->norm_conclusions[i]->norm_ref);
    out->verdict = (int)f->norm_conclusions[i]->verdict;
    out->stated_by_finding = f->norm_conclusions[i]->stated_by_finding;
    return 1;
}

const char *
lg_record_finding_claim(const lg_record *r, size_t i)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_FINDING ||
        i >= r->msg->finding->n_claims_assessed)
        return NULL;
    return str(r->msg->finding->claims_assessed[i]->claim_ref);
}
