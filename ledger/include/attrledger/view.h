/*
 * view.h - what the attribution body's records add up to: case files of
 * incidents, actors, participants, and ledger statistics.
 *
 * Views are derived on demand from the signed entries (never stored): the
 * latest version of every chain, each claim's status (ACTIVE, SUPERSEDED,
 * RETRACTED), opinions on each claim, findings with their vote tally and
 * published state. Every item carries its entry index so it can be proved
 * with `attrledger prove inclusion`.
 *
 * Each function renders into `out` either one JSON object (json = 1; the
 * stable contract, documented in docs/VIEWS.md) or text for people
 * (json = 0). Output is NUL-terminated and ends with a newline.
 */
#ifndef ATTRLEDGER_VIEW_H
#define ATTRLEDGER_VIEW_H

#include "buf.h"
#include "common.h"
#include "ledger.h"

/**
 * The case file of one incident, named by the record_id of any version of
 * its incident report (or its incident_key).
 *
 * @return 0, LEDGER_ENOTFOUND (no such incident), LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_incident(ledger_buf *out, ledger_log *log, const char *key, int json);

/**
 * An actor (by record_id, actor_id, name or alias, case-insensitive): its
 * chain cluster -> organ -> state, and every claim and finding attributing
 * an incident to it, by whom, with what confidence.
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_actor(ledger_buf *out, ledger_log *log, const char *id, int json);

/**
 * A participant: its keys (active or revoked, with entry indexes), roles,
 * and the records it authored.
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_participant(ledger_buf *out, ledger_log *log, const char *id,
                                       int json);

/**
 * Counts by record type, incidents with and without a finding, contested
 * claims (disputed or denied), findings published or not.
 *
 * @return 0, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_stats(ledger_buf *out, ledger_log *log, int json);

/**
 * The norms register: every instrument with its norms, and per norm how
 * many incidents live claims cite it for and how many published findings
 * conclude it was breached (docs/VIEWS.md "Norms").
 *
 * @return 0, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_norms(ledger_buf *out, ledger_log *log, int json);

/**
 * One norm (by norm_id or the record_id of any version): its instrument and
 * the later texts that reaffirm it, who committed to it (to the norm or the
 * whole instrument) and when, every claim citing it (explicit or mapped)
 * with the opinions on that claim (denials, disputes), and the body's
 * conclusions.
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_norm(ledger_buf *out, ledger_log *log, const char *id, int json);

/**
 * A state's (or any actor's) norms record card: its commitments beside the
 * claims and findings that attribute an incident to it and cite a norm,
 * each norm marked with whether the actor had committed to it.
 *
 * @return 0, LEDGER_ENOTFOUND, LEDGER_ECORRUPT, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_view_state(ledger_buf *out, ledger_log *log, const char *actor,
                                 int json);

#endif
