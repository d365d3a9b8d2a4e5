/*
 * codec.h (internal) - the only user of the generated protobuf-c code.
 *
 * Decodes the three wire messages that cross the library boundary (LogEntry
 * leaves, Record bytes, SignedRecord envelopes), enforces size limits and the
 * canonical-encoding rule, checks field lengths (hashes, keys, signatures),
 * and exposes what the rest of the library needs through plain-C accessors,
 * so policy.c, ledger.c, submit.c and verify.c never see a generated struct.
 */
#ifndef LG_CODEC_H
#define LG_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/buf.h"
#include "base/hash.h"

/* Most signatures on one record (co-signed joint statements). */
#define LG_MAX_SIGS 16
/* Largest record: a leaf is at most 65,535 bytes including its envelope. */
#define LG_MAX_RECORD 65535
/* Entry format version written in every LogEntry. */
#define LG_ENTRY_FORMAT 1

typedef enum {
    LG_REC_NONE = 0,
    LG_REC_LEDGER_POLICY,
    LG_REC_PARTICIPANT,
    LG_REC_KEY_REVOCATION,
    LG_REC_ACTOR,
    LG_REC_INCIDENT_REPORT,
    LG_REC_EVIDENCE,
    LG_REC_ATTRIBUTION_CLAIM,
    LG_REC_OPINION,
    LG_REC_RETRACTION,
    LG_REC_FINDING,
    LG_REC_PANEL_VOTE,
    /* Value = Record body field number - 9 (the records table stores the
     * field number). */
    LG_REC_CURATION = 12,
    LG_REC_INSTRUMENT = 13,
    LG_REC_NORM,
    LG_REC_COMMITMENT,
    LG_REC__COUNT
} lg_record_type;

/* "attribution_claim", ... (the body field name); "none" for LG_REC_NONE. */
const char *lg_record_type_name(lg_record_type t);
/* protobuf-c's version string (static). */
const char *lg_codec_protobuf_version(void);
/* Parse a body field name; returns LG_REC_NONE if unknown. */
lg_record_type lg_record_type_parse(const char *name);

/* Role bits (1 << ParticipantRole value). */
#define LG_ROLE_ADMIN (1u << 1)
#define LG_ROLE_MEMBER (1u << 2)
#define LG_ROLE_CURATOR (1u << 3)
#define LG_ROLE_PANELIST (1u << 4)
#define LG_ROLE_BODY (1u << 5)
/* Name of one role bit ("ADMIN"), NULL if not a role. */
const char *lg_role_name(unsigned bit_index);

#define LG_PROVENANCE_FIRST_PARTY 1
#define LG_PROVENANCE_TRANSCRIBED 2

typedef struct {
    uint8_t key_id[32];
    uint8_t sig[64];
} lg_sig;

/* ---- LogEntry (a leaf) ---- */

typedef struct {
    uint32_t format_version;
    uint64_t index;
    uint64_t integrated_time; /* Unix ms */
    uint8_t *record;          /* owned */
    size_t record_len;
    size_t n_sigs;
    lg_sig sigs[LG_MAX_SIGS];
} lg_entry;

/* Decode a leaf: size limit, canonical form, field lengths. LEDGER_EFORMAT
 * with a message on any problem. Free with lg_entry_free. */
int lg_entry_decode(lg_entry **out, const uint8_t *leaf, size_t len);
void lg_entry_free(lg_entry *e);
/* Encode a leaf (canonical). LEDGER_EFORMAT if it would exceed 65,535. */
int lg_entry_encode(ledger_buf *out, uint64_t index, uint64_t integrated_time,
                    const uint8_t *record, size_t record_len, const lg_sig *sigs, size_t n_sigs);

/* ---- SignedRecord (the envelope members sign and submit) ---- */

typedef struct {
    uint8_t *record; /* owned */
    size_t record_len;
    size_t n_sigs;
    lg_sig sigs[LG_MAX_SIGS];
} lg_envelope;

int lg_envelope_decode(lg_envelope **out, const uint8_t *bytes, size_t len);
/* From the JSON envelope {"record": b64, "signatures": [{key_id, signature}]}. */
int lg_envelope_from_json(lg_envelope **out, const json_t *v);
int lg_envelope_to_json(json_t **out, const lg_envelope *env);
void lg_envelope_free(lg_envelope *env);

/* ---- Record ---- */

typedef struct lg_record lg_record;

/*
 * Decode and validate record bytes: size limit, canonical form (unpacking
 * and repacking gives the same bytes; no unknown fields), header fields
 * present and well-formed (record_id and ids: 1-255 bytes of printable
 * ASCII without spaces), exactly one body, byte-field lengths.
 */
int lg_record_decode(lg_record **out, const uint8_t *bytes, size_t len);
void lg_record_free(lg_record *r);

/* JSON record -> canonical Record bytes (validated as lg_record_decode). */
int lg_record_from_json(ledger_buf *out, const json_t *v);
/* Record bytes -> proto3 JSON object (new reference). */
int lg_record_to_json(json_t **out, const lg_record *r);

lg_record_type lg_record_type_of(const lg_record *r);
const char *lg_record_id(const lg_record *r);
const char *lg_record_author(const lg_record *r);
const char *lg_record_supersedes(const lg_record *r); /* "" when none */
int lg_record_provenance(const lg_record *r);
/* header.tlp (a Tlp value; LG_TLP_CLEAR = 1). */
int lg_record_tlp(const lg_record *r);
#define LG_TLP_CLEAR 1
/* Length of the record's (canonical) bytes, as signed and stored. */
size_t lg_record_size(const lg_record *r);
/* header.created in Unix seconds (0 when absent). */
int64_t lg_record_created(const lg_record *r);

/* Participant body (LG_REC_PARTICIPANT), or admin i of a LedgerPolicy
 * (index >= 0). Returns the participant id; fills role bits and keys. */
typedef struct {
    const char *participant_id;
    unsigned roles;
    size_t n_keys;
    const uint8_t *keys[LG_MAX_SIGS]; /* 32-byte Ed25519 public keys */
} lg_participant_info;
int lg_record_participant(lg_participant_info *out, const lg_record *r, int admin_index);

/* KeyRevocation body. */
int lg_record_revocation(const char **participant_id, const uint8_t **key_id,
                         const lg_record *r);

/* LedgerPolicy body. */
typedef struct {
    const char *origin;
    const uint8_t *log_public_key; /* 32 bytes */
    size_t n_admins;
    uint32_t max_record_bytes; /* 0 = the format limit */
    int public_ledger;         /* only TLP_CLEAR records */
} lg_policy_info;
int lg_record_policy(lg_policy_info *out, const lg_record *r);

/* Build a genesis LedgerPolicy record (canonical bytes). */
typedef struct {
    const char *id;
    const uint8_t *public_key; /* 32 bytes */
} lg_admin_spec;
int lg_genesis_encode(ledger_buf *out, const char *origin, const uint8_t log_pk[32],
                      const lg_admin_spec *admins, size_t n_admins, uint32_t panel_size,
                      uint32_t approvals_required, int64_t created_unix);

/* ---- record fields for policy and views (codec_record.c) ---- */

/* Bit of a record type in a type mask. */
#define LG_T(t) (1u << (t))
/* A reference names a participant id, not a record_id. */
#define LG_REF_PARTICIPANT (1u << 30)
/* The referenced participant must hold the PANELIST role. */
#define LG_REF_PANELIST (1u << 29)

typedef struct {
    char field[96];   /* e.g. "attribution_claim.incident_refs[2]" */
    const char *id;   /* borrowed from the record */
    unsigned types;   /* LG_T() mask of allowed target types, or LG_REF_* */
} lg_ref;

#define LG_MAX_REFS 512
/* Every reference of the record (not supersedes, which the caller checks).
 * LEDGER_EFORMAT when there are more than `cap`. */
int lg_record_refs(lg_ref *out, size_t cap, size_t *n_out, const lg_record *r);

typedef struct {
    char field[96];
    int has_stix;
    uint32_t stix;
    int scale;        /* LikelihoodScale value; 0 when no likelihood */
    const char *term; /* "" when none */
    uint32_t range_min, range_max;
} lg_confidence;

#define LG_MAX_CONFIDENCES 64
/* Every ConfidenceAssessment / Likelihood in the record. */
int lg_record_confidences(lg_confidence *out, size_t cap, size_t *n_out, const lg_record *r);

/* AttributionClaim: the claimant (participant id), "" if not a claim. */
const char *lg_record_claimant(const lg_record *r);

/* The key an actor, incident report, instrument or norm is known by
 * (actor.actor_id, incident_report.incident_key, instrument.instrument_id,
 * norm.norm_id; "" when unset), NULL for other types. */
const char *lg_record_key(const lg_record *r);

/* Curation body (LG_REC_CURATION); LEDGER_EINVAL for another type.
 * Strings are borrowed; name and description are NULL when not set (a set
 * one may be ""); new_owner is "" when unchanged. */
typedef struct {
    const char *target_ref;
    const char *new_owner;
    const char *name;
    const char *description;
    const char *reason;
} lg_curation_info;
int lg_record_curation(lg_curation_info *out, const lg_record *r);

/* Retraction target record_id, or NULL. */
const char *lg_record_retraction_target(const lg_record *r);

typedef struct {
    uint32_t panel_size;
    uint32_t approvals_required;
    int recusal_policy; /* RecusalPolicy value */
    uint32_t min_regions, min_sectors; /* strictest group constraint */
    int present;
} lg_rule;

/* The decision rule of a LedgerPolicy or Finding (present = 0 if none). */
int lg_record_rule(lg_rule *out, const lg_record *r);

/* Finding: panel members (borrowed). */
int lg_record_panel(const char *const **members, size_t *n, const lg_record *r);

/* PanelVote: finding_ref, 32-byte digest and Vote value. */
int lg_record_vote(const char **finding_ref, const uint8_t **digest, int *vote,
                   const lg_record *r);

/* ---- derived index rows (store's `keys` and `participants` databases) ---- */

typedef struct {
    char participant_id[256];
    uint8_t public_key[32];
    uint64_t added_at;
    uint64_t revoked_at; /* 0 = active */
} lg_key_row;
int lg_key_row_encode(ledger_buf *out, const lg_key_row *row);
int lg_key_row_decode(lg_key_row *out, const uint8_t *b, size_t len);

typedef struct {
    uint64_t latest_index;
    unsigned roles;
} lg_participant_row;

/* records table row (stored type is our lg_record_type value). */
typedef struct {
    uint64_t index;
    lg_record_type type;
    char author[LEDGER_ID_MAX + 1];
    uint64_t superseded_by; /* 0 = latest version */
    uint64_t retracted_by;  /* 0 = not retracted */
    uint64_t curated_by;    /* on the row of a key's introducing record: entry
                             * index of the key's first curation; 0 = none */
} lg_record_row;
int lg_record_row_encode(ledger_buf *out, const lg_record_row *row);
int lg_record_row_decode(lg_record_row *out, const uint8_t *b, size_t len);
int lg_participant_row_encode(ledger_buf *out, const lg_participant_row *row);
int lg_participant_row_decode(lg_participant_row *out, const uint8_t *b, size_t len);

#endif
