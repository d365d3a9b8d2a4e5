/*
 * witness_client.h (internal) - ledger_log_request_cosignature() with the
 * size the witness is believed to hold, so that the first add-checkpoint
 * already carries the consistency proof from there (a wrong guess costs
 * one 409 and a retry, as "old 0" does).
 */
#ifndef LG_NET_WITNESS_CLIENT_H
#define LG_NET_WITNESS_CLIENT_H

#include <stdint.h>

#include "attrledger/http.h"
#include "attrledger/witness.h"

/* As ledger_log_request_cosignature(), starting from "old known" (0, or
 * a size not below the checkpoint's, means "old 0"). */
int lg_witness_request(ledger_witness_exchange *out, ledger_log *log, uint64_t size, uint64_t known,
                       ledger_http_fetcher *f, const ledger_vkey *wk);

#endif
