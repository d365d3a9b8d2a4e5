/*
 * record.h (internal) - the envelope type behind the public API.
 * (An entry as JSON: tlog/entry.h; lg_json_set_b64/u64: codec/json.h.)
 */
#ifndef LG_RECORD_H
#define LG_RECORD_H

#include <jansson.h>

#include "attrledger/record.h"
#include "codec/codec.h"
#include "codec/json.h"

struct ledger_envelope {
    lg_envelope *env; /* canonical record bytes + signatures */
    lg_record *rec;   /* decoded view of env->record */
    /* Early signature verdicts (ledger_log_precheck, on a server's request
     * thread): signature k was checked against pre_pk[k] when bit k of
     * pre_mask is set. Submission uses one only when the registry then
     * resolves the same key, as it uses sigcheck.c's early verdicts. */
    uint32_t pre_mask;
    uint8_t pre_pk[LG_MAX_SIGS][32];
    int pre_verdict[LG_MAX_SIGS];
};

/* Wrap a decoded envelope (takes ownership of env, also on failure). */
int lg_envelope_wrap(ledger_envelope **out, lg_envelope *env);

#endif
