/*
 * trail.h (internal) - the lines of a JSON Lines audit trail, built in one
 * place for the writer (export.c) and the auditor (audit.c).
 *
 * The auditor never trusts a field it can derive: it rebuilds each line
 * from the authenticated parts (the signed checkpoint, the trusted key, the
 * leaf bytes whose hash the inclusion proof ties to the checkpoint) plus
 * the proof itself, serialises it exactly as the writer does, and compares
 * bytes. So the trail has one valid encoding, and any change to any byte is
 * either caught by a signature or proof check or by that comparison.
 *
 * Serialisation: jansson compact form (no spaces), keys in insertion order,
 * UTF-8 as is, then '\n' (docs/FORMATS.md section 9).
 */
#ifndef LG_TRAIL_H
#define LG_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/buf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

#define LG_TRAIL_FORMAT "attrledger/audit-trail"
#define LG_TRAIL_VERSION 1

/*
 * Header object: format, version, origin, vkey, checkpoint (the note
 * text), tree_size, root, selection {since, until[, incident]}, entries.
 * @return 0, LEDGER_ENOMEM.
 */
int lg_trail_header(json_t **out, const char *vkey, const uint8_t *note, size_t note_len,
                    const lg_checkpoint *cp, uint64_t since, uint64_t until, const char *incident,
                    uint64_t entries);

/* Why an entry is in a trail (select.h marks). */
const char *lg_trail_role_name(int mark);
/* The mark of a role name, or LG_SEL_NONE. */
int lg_trail_role_parse(const char *name);

/*
 * Entry object: index, role (lg_trail_role_name(mark)), then the other
 * fields of lg_entry_json(), then inclusion_proof.
 * @return 0, LEDGER_EFORMAT (leaf does not decode), LEDGER_ENOMEM.
 */
int lg_trail_entry(json_t **out, const uint8_t *leaf, size_t len, int mark, const lg_hash *proof,
                   size_t n);

/* Compact JSON + '\n' (NUL-terminated). 0, LEDGER_ENOMEM. */
int lg_trail_line(ledger_buf *out, const json_t *obj);

#endif
