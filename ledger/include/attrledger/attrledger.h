/*
 * attrledger.h - umbrella header of libattrledger.
 *
 * Attribution Ledger: an append-only, signed ledger of cyber-incident
 * attribution records with an RFC 6962 transparency log, C2SP checkpoints
 * and offline-verifiable receipts. Call ledger_init() first.
 */
#ifndef ATTRLEDGER_H
#define ATTRLEDGER_H

#include "audit.h"
#include "buf.h"
#include "checkpoint.h"
#include "client.h"
#include "common.h"
#include "error.h"
#include "export.h"
#include "http.h"
#include "key.h"
#include "ledger.h"
#include "mirror.h"
#include "proof.h"
#include "record.h"
#include "serve.h"
#include "view.h"
#include "witness.h"

#endif
