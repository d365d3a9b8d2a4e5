/*
 * codec.c - protobuf-c decoding with limits, canonical form and field checks.
 *
 * The codec module (codec.c for the wire, codec_record.c for reading record
 * fields) is the only code besides the generated files that includes
 * *.pb-c.h. Rules:
 *
 *   - Limits first: a leaf or record longer than 65,535 bytes is rejected
 *     before protobuf-c sees it; at most LG_MAX_SIGS signatures.
 *   - Canonical form (DESIGN.md section 3): a Record, LogEntry or envelope
 *     is accepted only if unpacking and repacking gives the same bytes and
 *     no message in it carries unknown fields. protobuf-c packs fields in tag
 *     order, omits proto3 defaults and packs repeated scalars, so "canonical"
 *     means exactly that encoding; one statement has one encoding and one hash.
 *   - Strings must be valid UTF-8; hashes, keys and signatures must have
 *     their exact lengths; ids are 1-255 printable ASCII bytes without space.
 *
 * Every failure is LEDGER_EFORMAT (or LEDGER_ENOMEM) with a one-line message.
 */
#include "codec/codec.h"

#include <string.h>

#include "base/alloc.h"
#include "codec/codec_int.h"
#include "base/error.h"
#include "codec/json.h"
#include "codec/json_int.h"

typedef Attrledger__V1__Record Record;
typedef Attrledger__V1__LogEntry LogEntry;
typedef Attrledger__V1__SignedRecord SignedRecord;
typedef Attrledger__V1__Signature Signature;

#define PBA ((ProtobufCAllocator *)lg_alloc_protobuf())

static const char *const type_names[LG_REC__COUNT] = {
    "none",     "ledger_policy",     "participant", "key_revocation",
    "actor",    "incident_report",   "evidence",    "attribution_claim",
    "opinion",  "retraction",        "finding",     "panel_vote",
    "curation",  "instrument", "norm", "commitment",
};

const char *
lg_codec_protobuf_version(void)
{
    return protobuf_c_version();
}

const char *
lg_record_type_name(lg_record_type t)
{
    return (t >= 0 && t < LG_REC__COUNT && type_names[t] != NULL) ? type_names[t] : "none";
}

lg_record_type
lg_record_type_parse(const char *name)
{
    for (int t = 1; t < LG_REC__COUNT; t++)
        if (type_names[t] != NULL && strcmp(type_names[t], name) == 0)
            return (lg_record_type)t;
    return LG_REC_NONE;
}

const char *
lg_role_name(unsigned bit)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&attrledger__v1__participant_role__descriptor,
                                             (int)bit);
    static const size_t prefix = sizeof "PARTICIPANT_ROLE_" - 1;

    if (v == NULL || bit == 0)
        return NULL;
    return v->name + prefix;
}

/* ---- generic checks over any message ---- */

static int
utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            n = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n;
    }
    return 1;
}

/*
 * Walk a message: no unknown fields anywhere, every string valid UTF-8,
 * every enum value one the schema defines (proto3 enums are open, but an
 * undefined value has no meaning and no JSON form that reads back; like an
 * unknown field, it would be a hidden statement). Recursion depth is
 * bounded by the schema (it has no recursive types), not by the input.
 */
static int
check_message(const ProtobufCMessage *m, const char *path)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    ts_layout ts;

    if (m->n_unknown_fields != 0)
        return lg_error_set(LEDGER_EFORMAT, "%s%sunknown field number %u", path,
                            *path ? ": " : "", m->unknown_fields[0].tag);
    /* The JSON mapping writes a Timestamp only within years 1-9999 and with
     * nanos below one second; a value outside could be signed but never read
     * back, so it is refused here, where submit, verify and audit all pass. */
    if (lg_json_is_timestamp(&ts, d)) {
        int64_t sec = *(const int64_t *)(const void *)((const char *)m + ts.seconds_offset);
        int32_t ns = *(const int32_t *)(const void *)((const char *)m + ts.nanos_offset);
        if (!lg_json_timestamp_valid(sec, ns))
            return lg_error_set(LEDGER_EFORMAT,
                                "%s: timestamp out of range (seconds %lld, nanos %d; want years "
                                "0001-9999 and nanos 0-999999999)",
                                *path ? path : "timestamp", (long long)sec, (int)ns);
        return 0;
    }
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *)m + f->offset;
        size_t count = 1;
        const void *items = base;

        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t which = *(const uint32_t *)(const void *)((const char *)m +
                                                               f->quantifier_offset);
            if (which != f->id)
                continue;
        }
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            count = *(const size_t *)(const void *)((const char *)m + f->quantifier_offset);
            items = *(void *const *)(const void *)base;
        }
        for (size_t k = 0; k < count; k++) {
            if (f->type == PROTOBUF_C_TYPE_STRING) {
                const char *s = ((const char *const *)items)[k];
                if (s != NULL && !utf8_valid((const unsigned char *)s, strlen(s)))
                    return lg_error_set(LEDGER_EFORMAT, "%s%s%s: invalid UTF-8", path,
                                        *path ? "." : "", f->name);
            } else if (f->type == PROTOBUF_C_TYPE_ENUM) {
                int e = ((const int *)items)[k];
                if (protobuf_c_enum_descriptor_get_value(f->descriptor, e) == NULL)
                    return lg_error_set(LEDGER_EFORMAT, "%s%s%s: undefined enum value %d", path,
                                        *path ? "." : "", f->name, e);
            } else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
                const ProtobufCMessage *sub = ((const ProtobufCMessage *const *)items)[k];
                char sub_path[160];
                int rc;

                if (sub == NULL)
                    continue;
                snprintf(sub_path, sizeof sub_path, "%s%s%s", path, *path ? "." : "", f->name);
                if ((rc = check_message(sub, sub_path)) < 0)
                    return rc;
            }
        }
    }
    return 0;
}

/* Repack and compare: the canonical-encoding rule. */
static int
check_canonical(const ProtobufCMessage *m, const uint8_t *bytes, size_t len, const char *what)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *buf;
    int same;

    if (n != len)
        return lg_error_set(LEDGER_EFORMAT,
                            "%s is not canonical protobuf (re-encodes to %zu bytes, not %zu)",
                            what, n, len);
    buf = lg_malloc(n);
    if (buf == NULL)
        return lg_error_nomem();
    protobuf_c_message_pack(m, buf);
    same = memcmp(buf, bytes, n) == 0;
    lg_free(buf);
    if (!same)
        return lg_error_set(LEDGER_EFORMAT,
                            "%s is not canonical protobuf (fields out of order or "
                            "non-minimal encoding)",
                            what);
    return check_message(m, "");
}

/* protobuf-c returns NULL for both malformed input and OOM; tell them apart
 * by whether the allocator returned NULL during the call (alloc.c counts
 * real failures as well as injected ones). `code` is what bad bytes are:
 * EFORMAT for input, ECORRUPT for the store's own index rows. */
static int
unpack_error(long failures_before, int code, const char *what)
{
    if (lg_alloc_failed_since(failures_before))
        return lg_error_nomem();
    return lg_error_set(code, "%s is not valid protobuf", what);
}

static int
pack_alloc(ledger_buf *out, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);

    out->data = lg_malloc(n + 1);
    if (out->data == NULL)
        return lg_error_nomem();
    out->len = protobuf_c_message_pack(m, out->data);
    return 0;
}

static int
id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > LEDGER_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return 0;
    return 1;
}

static int
check_id(const char *s, const char *field)
{
    if (!id_valid(s))
        return lg_error_set(LEDGER_EFORMAT,
                            "%s \"%.64s\" must be 1-255 printable ASCII characters without spaces",
                            field, s ? s : "");
    return 0;
}

static int
check_opt_id(const char *s, const char *field)
{
    return (s == NULL || *s == '\0') ? 0 : check_id(s, field);
}

static int
copy_sigs(lg_sig *out, size_t *n_out, Signature *const *sigs, size_t n, const char *what)
{
    if (n == 0)
        return lg_error_set(LEDGER_EFORMAT, "%s has no signatures", what);
    if (n > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EFORMAT, "%s has %zu signatures, max %d", what, n,
                            LG_MAX_SIGS);
    for (size_t i = 0; i < n; i++) {
        if (sigs[i]->key_id.len != 32)
            return lg_error_set(LEDGER_EFORMAT, "%s signature %zu: key_id is %zu bytes, want 32",
                                what, i, sigs[i]->key_id.len);
        if (sigs[i]->signature.len != 64)
            return lg_error_set(LEDGER_EFORMAT,
                                "%s signature %zu: signature is %zu bytes, want 64", what, i,
                                sigs[i]->signature.len);
        memcpy(out[i].key_id, sigs[i]->key_id.data, 32);
        memcpy(out[i].sig, sigs[i]->signature.data, 64);
    }
    *n_out = n;
    return 0;
}

static void
fill_sig_msgs(Signature *msgs, Signature **ptrs, const lg_sig *sigs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        attrledger__v1__signature__init(&msgs[i]);
        msgs[i].key_id.data = (uint8_t *)sigs[i].key_id;
        msgs[i].key_id.len = 32;
        msgs[i].signature.data = (uint8_t *)sigs[i].sig;
        msgs[i].signature.len = 64;
        ptrs[i] = &msgs[i];
    }
}

/* ---- LogEntry ---- */

int
lg_entry_decode(lg_entry **out, const uint8_t *leaf, size_t len)
{
    LogEntry *m = NULL;
    lg_entry *e = NULL;
    long failures;
    int rc;

    *out = NULL;
    if (len > LEDGER_MAX_LEAF)
        return lg_error_set(LEDGER_EFORMAT, "leaf is %zu bytes, max %d", len, LEDGER_MAX_LEAF);
    failures = lg_alloc_failures();
    m = attrledger__v1__log_entry__unpack(PBA, len, leaf);
    if (m == NULL)
        return unpack_error(failures, LEDGER_EFORMAT, "leaf");
    if ((rc = check_canonical(&m->base, leaf, len, "leaf")) < 0)
        goto done;
    if (m->format_version != LG_ENTRY_FORMAT) {
        rc = lg_error_set(LEDGER_EVERSION, "leaf format_version %u, want %d", m->format_version,
                          LG_ENTRY_FORMAT);
        goto done;
    }
    e = lg_calloc(1, sizeof *e);
    if (e == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    e->format_version = m->format_version;
    e->index = m->index;
    e->integrated_time = m->integrated_time;
    if ((rc = copy_sigs(e->sigs, &e->n_sigs, m->signatures, m->n_signatures, "leaf")) < 0)
        goto done;
    e->record = lg_malloc(m->record.len + 1);
    if (e->record == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    memcpy(e->record, m->record.data, m->record.len);
    e->record_len = m->record.len;
    *out = e;
    e = NULL;
    rc = 0;
done:
    lg_entry_free(e);
    attrledger__v1__log_entry__free_unpacked(m, PBA);
    return rc;
}

void
lg_entry_free(lg_entry *e)
{
    if (e == NULL)
        return;
    lg_free(e->record);
    lg_free(e);
}

int
lg_entry_encode(ledger_buf *out, uint64_t index, uint64_t integrated_time, const uint8_t *record,
                size_t record_len, const lg_sig *sigs, size_t n_sigs)
{
    LogEntry m = ATTRLEDGER__V1__LOG_ENTRY__INIT;
    Signature sig_msgs[LG_MAX_SIGS];
    Signature *sig_ptrs[LG_MAX_SIGS];
    int rc;

    if (n_sigs > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EFORMAT, "%zu signatures, max %d", n_sigs, LG_MAX_SIGS);
    fill_sig_msgs(sig_msgs, sig_ptrs, sigs, n_sigs);
    m.format_version = LG_ENTRY_FORMAT;
    m.index = index;
    m.integrated_time = integrated_time;
    m.record.data = (uint8_t *)record;
    m.record.len = record_len;
    m.signatures = sig_ptrs;
    m.n_signatures = n_sigs;
    if (protobuf_c_message_get_packed_size(&m.base) > LEDGER_MAX_LEAF)
        return lg_error_set(LEDGER_EFORMAT,
                            "entry would be %zu bytes, max %d (record %zu bytes, %zu signatures)",
                            protobuf_c_message_get_packed_size(&m.base), LEDGER_MAX_LEAF,
                            record_len, n_sigs);
    if ((rc = pack_alloc(out, &m.base)) < 0)
        return rc;
    return 0;
}

/* ---- SignedRecord ---- */

static int
envelope_from_msg(lg_envelope **out, const SignedRecord *m)
{
    lg_envelope *env;
    int rc;

    if (m->record.len == 0)
        return lg_error_set(LEDGER_EFORMAT, "envelope has no record");
    if (m->record.len > LG_MAX_RECORD)
        return lg_error_set(LEDGER_EFORMAT, "record is %zu bytes, max %d", m->record.len,
                            LG_MAX_RECORD);
    env = lg_calloc(1, sizeof *env);
    if (env == NULL)
        return lg_error_nomem();
    if ((rc = copy_sigs(env->sigs, &env->n_sigs, m->signatures, m->n_signatures, "envelope")) <
        0) {
        lg_free(env);
        return rc;
    }
    env->record = lg_malloc(m->record.len);
    if (env->record == NULL) {
        lg_free(env);
        return lg_error_nomem();
    }
    memcpy(env->record, m->record.data, m->record.len);
    env->record_len = m->record.len;
    *out = env;
    return 0;
}

int
lg_envelope_decode(lg_envelope **out, const uint8_t *bytes, size_t len)
{
    SignedRecord *m;
    long failures;
    int rc;

    *out = NULL;
    if (len > LEDGER_MAX_LEAF)
        return lg_error_set(LEDGER_EFORMAT, "envelope is %zu bytes, max %d", len,
                            LEDGER_MAX_LEAF);
    failures = lg_alloc_failures();
    m = attrledger__v1__signed_record__unpack(PBA, len, bytes);
    if (m == NULL)
        return unpack_error(failures, LEDGER_EFORMAT, "envelope");
    rc = check_canonical(&m->base, bytes, len, "envelope");
    if (rc == 0)
        rc = envelope_from_msg(out, m);
    attrledger__v1__signed_record__free_unpacked(m, PBA);
    return rc;
}

int
lg_envelope_from_json(lg_envelope **out, const json_t *v)
{
    ProtobufCMessage *m = NULL;
    int rc;

    *out = NULL;
    if (!json_is_object(v))
        return lg_error_set(LEDGER_EFORMAT, "envelope must be a JSON object");
    if ((rc = lg_json_decode(&m, &attrledger__v1__signed_record__descriptor, v)) < 0)
        return rc;
    rc = envelope_from_msg(out, (SignedRecord *)m);
    protobuf_c_message_free_unpacked(m, PBA);
    return rc;
}

int
lg_envelope_to_json(json_t **out, const lg_envelope *env)
{
    SignedRecord m = ATTRLEDGER__V1__SIGNED_RECORD__INIT;
    Signature sig_msgs[LG_MAX_SIGS];
    Signature *sig_ptrs[LG_MAX_SIGS];

    fill_sig_msgs(sig_msgs, sig_ptrs, env->sigs, env->n_sigs);
    m.record.data = env->record;
    m.record.len = env->record_len;
    m.signatures = sig_ptrs;
    m.n_signatures = env->n_sigs;
    return lg_json_encode(out, &m.base);
}

void
lg_envelope_free(lg_envelope *env)
{
    if (env == NULL)
        return;
    lg_free(env->record);
    lg_free(env);
}

/* ---- Record ---- */

static int
check_key_bytes(const ProtobufCBinaryData *b, const char *what)
{
    if (b->len != 32)
        return lg_error_set(LEDGER_EFORMAT, "%s is %zu bytes, want 32", what, b->len);
    return 0;
}

static int
check_participant(const Attrledger__V1__Participant *p, const char *what)
{
    int rc;

    if ((rc = check_id(p->participant_id, "participant_id")) < 0)
        return rc;
    if (p->n_public_keys > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EFORMAT, "%s has %zu public keys, max %d", what,
                            p->n_public_keys, LG_MAX_SIGS);
    for (size_t i = 0; i < p->n_public_keys; i++) {
        char name[64];

        if (p->public_keys[i]->alg != ATTRLEDGER__V1__SIGNATURE_ALG__SIGNATURE_ALG_ED25519)
            return lg_error_set(LEDGER_EFORMAT, "%s public_keys[%zu]: alg must be "
                                "SIGNATURE_ALG_ED25519", what, i);
        snprintf(name, sizeof name, "%s public_keys[%zu].public_key", what, i);
        if ((rc = check_key_bytes(&p->public_keys[i]->public_key, name)) < 0)
            return rc;
    }
    return 0;
}

/* Semantic checks that need no ledger state. */
static int
check_record(const Record *m)
{
    const Attrledger__V1__RecordHeader *h = m->header;
    int rc;

    if (h == NULL)
        return lg_error_set(LEDGER_EFORMAT, "record has no header");
    if ((rc = check_id(h->record_id, "header.record_id")) < 0 ||
        (rc = check_id(h->author, "header.author")) < 0 ||
        (rc = check_opt_id(h->supersedes, "header.supersedes")) < 0)
        return rc;
    if (h->provenance != ATTRLEDGER__V1__PROVENANCE__PROVENANCE_FIRST_PARTY &&
        h->provenance != ATTRLEDGER__V1__PROVENANCE__PROVENANCE_TRANSCRIBED)
        return lg_error_set(LEDGER_EFORMAT, "record %s: header.provenance must be "
                            "PROVENANCE_FIRST_PARTY or PROVENANCE_TRANSCRIBED", h->record_id);
    if (h->supersedes != NULL && strcmp(h->supersedes, h->record_id) == 0)
        return lg_error_set(LEDGER_EFORMAT, "record %s supersedes itself", h->record_id);
    switch (m->body_case) {
    case ATTRLEDGER__V1__RECORD__BODY__NOT_SET:
        return lg_error_set(LEDGER_EFORMAT, "record %s has no body", h->record_id);
    case ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY: {
        const Attrledger__V1__LedgerPolicy *p = m->ledger_policy;
        if (p->origin == NULL || *p->origin == '\0')
            return lg_error_set(LEDGER_EFORMAT, "ledger_policy has no origin");
        if ((rc = check_key_bytes(&p->log_public_key, "ledger_policy.log_public_key")) < 0)
            return rc;
        for (size_t i = 0; i < p->n_admins; i++)
            if ((rc = check_participant(p->admins[i], "ledger_policy.admins")) < 0)
                return rc;
        return 0;
    }
    case ATTRLEDGER__V1__RECORD__BODY_PARTICIPANT:
        return check_participant(m->participant, "participant");
    case ATTRLEDGER__V1__RECORD__BODY_KEY_REVOCATION:
        if ((rc = check_id(m->key_revocation->participant_id,
                           "key_revocation.participant_id")) < 0)
            return rc;
        return check_key_bytes(&m->key_revocation->key_id, "key_revocation.key_id");
    case ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE:
        if ((rc = check_id(m->panel_vote->finding_ref, "panel_vote.finding_ref")) < 0)
            return rc;
        if (m->panel_vote->finding_digest == NULL)
            return lg_error_set(LEDGER_EFORMAT, "panel_vote has no finding_digest");
        return check_key_bytes(&m->panel_vote->finding_digest->value,
                               "panel_vote.finding_digest.value");
    case ATTRLEDGER__V1__RECORD__BODY_CURATION:
        if ((rc = check_id(m->curation->target_ref, "curation.target_ref")) < 0)
            return rc;
        return check_opt_id(m->curation->new_owner, "curation.new_owner");
    case ATTRLEDGER__V1__RECORD__BODY_ACTOR:
    case ATTRLEDGER__V1__RECORD__BODY_INCIDENT_REPORT:
    case ATTRLEDGER__V1__RECORD__BODY_EVIDENCE:
    case ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM:
    case ATTRLEDGER__V1__RECORD__BODY_OPINION:
    case ATTRLEDGER__V1__RECORD__BODY_RETRACTION:
    case ATTRLEDGER__V1__RECORD__BODY_FINDING:
    case ATTRLEDGER__V1__RECORD__BODY_INSTRUMENT:
    case ATTRLEDGER__V1__RECORD__BODY_NORM:
    case ATTRLEDGER__V1__RECORD__BODY_COMMITMENT:
        return 0;
    default:
        break;
    }
    return lg_error_set(LEDGER_EFORMAT, "record %s has an unknown body", h->record_id);
}

int
lg_record_decode(lg_record **out, const uint8_t *bytes, size_t len)
{
    Record *m;
    lg_record *r;
    long failures;
    int rc;

    *out = NULL;
    if (len == 0)
        return lg_error_set(LEDGER_EFORMAT, "record is empty");
    if (len > LG_MAX_RECORD)
        return lg_error_set(LEDGER_EFORMAT, "record is %zu bytes, max %d", len, LG_MAX_RECORD);
    failures = lg_alloc_failures();
    m = attrledger__v1__record__unpack(PBA, len, bytes);
    if (m == NULL)
        return unpack_error(failures, LEDGER_EFORMAT, "record");
    if ((rc = check_canonical(&m->base, bytes, len, "record")) < 0 ||
        (rc = check_record(m)) < 0) {
        attrledger__v1__record__free_unpacked(m, PBA);
        return rc;
    }
    r = lg_malloc(sizeof *r);
    if (r == NULL) {
        attrledger__v1__record__free_unpacked(m, PBA);
        return lg_error_nomem();
    }
    r->msg = m;
    *out = r;
    return 0;
}

void
lg_record_free(lg_record *r)
{
    if (r == NULL)
        return;
    attrledger__v1__record__free_unpacked(r->msg, PBA);
    lg_free(r);
}

int
lg_record_from_json(ledger_buf *out, const json_t *v)
{
    ProtobufCMessage *m = NULL;
    int rc;

    if (!json_is_object(v))
        return lg_error_set(LEDGER_EFORMAT, "record must be a JSON object");
    if ((rc = lg_json_decode(&m, &attrledger__v1__record__descriptor, v)) < 0)
        return rc;
    if ((rc = check_message(m, "")) < 0 || (rc = check_record((Record *)m)) < 0)
        goto done;
    if (protobuf_c_message_get_packed_size(m) > LG_MAX_RECORD) {
        rc = lg_error_set(LEDGER_EFORMAT, "record is %zu bytes encoded, max %d",
                          protobuf_c_message_get_packed_size(m), LG_MAX_RECORD);
        goto done;
    }
    rc = pack_alloc(out, m);
done:
    protobuf_c_message_free_unpacked(m, PBA);
    return rc;
}

int
lg_record_to_json(json_t **out, const lg_record *r)
{
    return lg_json_encode(out, &r->msg->base);
}

lg_record_type
lg_record_type_of(const lg_record *r)
{
    switch (r->msg->body_case) {
    case ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY:
        return LG_REC_LEDGER_POLICY;
    case ATTRLEDGER__V1__RECORD__BODY_PARTICIPANT:
        return LG_REC_PARTICIPANT;
    case ATTRLEDGER__V1__RECORD__BODY_KEY_REVOCATION:
        return LG_REC_KEY_REVOCATION;
    case ATTRLEDGER__V1__RECORD__BODY_ACTOR:
        return LG_REC_ACTOR;
    case ATTRLEDGER__V1__RECORD__BODY_INCIDENT_REPORT:
        return LG_REC_INCIDENT_REPORT;
    case ATTRLEDGER__V1__RECORD__BODY_EVIDENCE:
        return LG_REC_EVIDENCE;
    case ATTRLEDGER__V1__RECORD__BODY_ATTRIBUTION_CLAIM:
        return LG_REC_ATTRIBUTION_CLAIM;
    case ATTRLEDGER__V1__RECORD__BODY_OPINION:
        return LG_REC_OPINION;
    case ATTRLEDGER__V1__RECORD__BODY_RETRACTION:
        return LG_REC_RETRACTION;
    case ATTRLEDGER__V1__RECORD__BODY_FINDING:
        return LG_REC_FINDING;
    case ATTRLEDGER__V1__RECORD__BODY_PANEL_VOTE:
        return LG_REC_PANEL_VOTE;
    case ATTRLEDGER__V1__RECORD__BODY_INSTRUMENT:
        return LG_REC_INSTRUMENT;
    case ATTRLEDGER__V1__RECORD__BODY_NORM:
        return LG_REC_NORM;
    case ATTRLEDGER__V1__RECORD__BODY_COMMITMENT:
        return LG_REC_COMMITMENT;
    case ATTRLEDGER__V1__RECORD__BODY_CURATION:
        return LG_REC_CURATION;
    default:
        break;
    }
    return LG_REC_NONE;
}

const char *
lg_record_id(const lg_record *r)
{
    return r->msg->header->record_id;
}

const char *
lg_record_author(const lg_record *r)
{
    return r->msg->header->author;
}

const char *
lg_record_supersedes(const lg_record *r)
{
    const char *s = r->msg->header->supersedes;
    return s ? s : "";
}

int
lg_record_provenance(const lg_record *r)
{
    return (int)r->msg->header->provenance;
}

int
lg_record_tlp(const lg_record *r)
{
    return (int)r->msg->header->tlp;
}

size_t
lg_record_size(const lg_record *r)
{
    /* A decoded record is canonical, so this is its signed byte length. */
    return protobuf_c_message_get_packed_size(&r->msg->base);
}

int64_t
lg_record_created(const lg_record *r)
{
    const Google__Protobuf__Timestamp *t = r->msg->header->created;
    return t ? t->seconds : 0;
}

static unsigned
roles_mask(const Attrledger__V1__ParticipantRole *roles, size_t n)
{
    unsigned mask = 0;

    for (size_t i = 0; i < n; i++)
        if (roles[i] > 0 && roles[i] < 32)
            mask |= 1u << roles[i];
    return mask;
}

static void
participant_info(lg_participant_info *out, const Attrledger__V1__Participant *p)
{
    out->participant_id = p->participant_id;
    out->roles = roles_mask(p->roles, p->n_roles);
    out->n_keys = p->n_public_keys;
    for (size_t i = 0; i < p->n_public_keys; i++)
        out->keys[i] = p->public_keys[i]->public_key.data;
}

int
lg_record_participant(lg_participant_info *out, const lg_record *r, int admin_index)
{
    const Record *m = r->msg;

    memset(out, 0, sizeof *out);
    if (admin_index >= 0) {
        if (m->body_case != ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY ||
            (size_t)admin_index >= m->ledger_policy->n_admins)
            return lg_error_set(LEDGER_EINVAL, "no admin %d", admin_index);
        participant_info(out, m->ledger_policy->admins[admin_index]);
        return 0;
    }
    if (m->body_case != ATTRLEDGER__V1__RECORD__BODY_PARTICIPANT)
        return lg_error_set(LEDGER_EINVAL, "record is not a participant");
    participant_info(out, m->participant);
    return 0;
}

int
lg_record_revocation(const char **participant_id, const uint8_t **key_id, const lg_record *r)
{
    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_KEY_REVOCATION)
        return lg_error_set(LEDGER_EINVAL, "record is not a key revocation");
    *participant_id = r->msg->key_revocation->participant_id;
    *key_id = r->msg->key_revocation->key_id.data;
    return 0;
}

int
lg_record_policy(lg_policy_info *out, const lg_record *r)
{
    const Attrledger__V1__LedgerPolicy *p;

    if (r->msg->body_case != ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY)
        return lg_error_set(LEDGER_EINVAL, "record is not a ledger policy");
    p = r->msg->ledger_policy;
    out->origin = p->origin;
    out->log_public_key = p->log_public_key.data;
    out->n_admins = p->n_admins;
    out->max_record_bytes = p->max_record_bytes;
    out->public_ledger = p->public_ledger != 0;
    return 0;
}

int
lg_genesis_encode(ledger_buf *out, const char *origin, const uint8_t log_pk[32],
                  const lg_admin_spec *admins, size_t n_admins, uint32_t panel_size,
                  uint32_t approvals_required, int64_t created_unix)
{
    Record rec = ATTRLEDGER__V1__RECORD__INIT;
    Attrledger__V1__RecordHeader hdr = ATTRLEDGER__V1__RECORD_HEADER__INIT;
    Google__Protobuf__Timestamp created = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
    Attrledger__V1__LedgerPolicy pol = ATTRLEDGER__V1__LEDGER_POLICY__INIT;
    Attrledger__V1__DecisionRule rule = ATTRLEDGER__V1__DECISION_RULE__INIT;
    Attrledger__V1__Participant parts[LG_MAX_SIGS];
    Attrledger__V1__Participant *part_ptrs[LG_MAX_SIGS];
    Attrledger__V1__PublicKey keys[LG_MAX_SIGS];
    Attrledger__V1__PublicKey *key_ptrs[LG_MAX_SIGS];
    Attrledger__V1__ParticipantRole admin_role = ATTRLEDGER__V1__PARTICIPANT_ROLE__PARTICIPANT_ROLE_ADMIN;
    int rc;

    if (n_admins > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EINVAL, "%zu admins, max %d", n_admins, LG_MAX_SIGS);
    for (size_t i = 0; i < n_admins; i++) {
        attrledger__v1__participant__init(&parts[i]);
        attrledger__v1__public_key__init(&keys[i]);
        keys[i].alg = ATTRLEDGER__V1__SIGNATURE_ALG__SIGNATURE_ALG_ED25519;
        keys[i].public_key.data = (uint8_t *)admins[i].public_key;
        keys[i].public_key.len = 32;
        key_ptrs[i] = &keys[i];
        parts[i].participant_id = (char *)admins[i].id;
        parts[i].name = (char *)admins[i].id;
        parts[i].public_keys = &key_ptrs[i];
        parts[i].n_public_keys = 1;
        parts[i].roles = &admin_role;
        parts[i].n_roles = 1;
        part_ptrs[i] = &parts[i];
    }
    created.seconds = created_unix;
    hdr.record_id = (char *)"genesis";
    hdr.author = (char *)origin;
    hdr.created = &created;
    hdr.provenance = ATTRLEDGER__V1__PROVENANCE__PROVENANCE_FIRST_PARTY;
    hdr.tlp = ATTRLEDGER__V1__TLP__TLP_CLEAR;
    hdr.schema_version = (char *)"attrledger/v1";
    /* Default decision rule (reference/domain-model.md 3.4): 4 of 5. */
    rule.panel_size = panel_size ? panel_size : 5;
    rule.approvals_required = approvals_required ? approvals_required : (panel_size ? panel_size : 4);
    if (rule.approvals_required > rule.panel_size || rule.panel_size > 1000)
        return lg_error_set(LEDGER_EINVAL, "decision rule %u of %u is impossible",
                            rule.approvals_required, rule.panel_size);
    rule.recusal_policy = ATTRLEDGER__V1__RECUSAL_POLICY__RECUSAL_POLICY_REDUCES_PANEL;
    pol.origin = (char *)origin;
    pol.log_public_key.data = (uint8_t *)log_pk;
    pol.log_public_key.len = 32;
    pol.admins = part_ptrs;
    pol.n_admins = n_admins;
    pol.decision_rule = &rule;
    rec.header = &hdr;
    rec.body_case = ATTRLEDGER__V1__RECORD__BODY_LEDGER_POLICY;
    rec.ledger_policy = &pol;
    if ((rc = check_record(&rec)) < 0)
        return rc;
    return pack_alloc(out, &rec.base);
}

/* ---- index rows ---- */

int
lg_key_row_encode(ledger_buf *out, const lg_key_row *row)
{
    Attrledger__V1__KeyRow m = ATTRLEDGER__V1__KEY_ROW__INIT;

    m.participant_id = (char *)row->participant_id;
    m.public_key.data = (uint8_t *)row->public_key;
    m.public_key.len = 32;
    m.added_at = row->added_at;
    m.revoked_at = row->revoked_at;
    return pack_alloc(out, &m.base);
}

int
lg_key_row_decode(lg_key_row *out, const uint8_t *b, size_t len)
{
    long failures = lg_alloc_failures();
    Attrledger__V1__KeyRow *m = attrledger__v1__key_row__unpack(PBA, len, b);
    int rc = 0;

    if (m == NULL)
        return unpack_error(failures, LEDGER_ECORRUPT, "key index row");
    if (m->public_key.len != 32 || strlen(m->participant_id) >= sizeof out->participant_id) {
        rc = lg_error_set(LEDGER_ECORRUPT, "key index row is malformed");
    } else {
        memset(out, 0, sizeof *out);
        memcpy(out->participant_id, m->participant_id, strlen(m->participant_id) + 1);
        memcpy(out->public_key, m->public_key.data, 32);
        out->added_at = m->added_at;
        out->revoked_at = m->revoked_at;
    }
    attrledger__v1__key_row__free_unpacked(m, PBA);
    return rc;
}

int
lg_participant_row_encode(ledger_buf *out, const lg_participant_row *row)
{
    Attrledger__V1__ParticipantRow m = ATTRLEDGER__V1__PARTICIPANT_ROW__INIT;
    Attrledger__V1__ParticipantRole roles[32];
    size_t n = 0;

    for (unsigned b = 1; b < 32; b++)
        if (row->roles & (1u << b))
            roles[n++] = (Attrledger__V1__ParticipantRole)b;
    m.latest_index = row->latest_index;
    m.roles = roles;
    m.n_roles = n;
    return pack_alloc(out, &m.base);
}

int
lg_participant_row_decode(lg_participant_row *out, const uint8_t *b, size_t len)
{
    long failures = lg_alloc_failures();
    Attrledger__V1__ParticipantRow *m = attrledger__v1__participant_row__unpack(PBA, len, b);

    if (m == NULL)
        return unpack_error(failures, LEDGER_ECORRUPT, "participant index row");
    out->latest_index = m->latest_index;
    out->roles = roles_mask(m->roles, m->n_roles);
    attrledger__v1__participant_row__free_unpacked(m, PBA);
    return 0;
}

int
lg_record_row_encode(ledger_buf *out, const lg_record_row *row)
{
    Attrledger__V1__RecordRow m = ATTRLEDGER__V1__RECORD_ROW__INIT;

    m.index = row->index;
    m.type = (uint32_t)row->type + 9; /* body field number */
    m.author = (char *)row->author;
    m.superseded_by = row->superseded_by;
    m.retracted_by = row->retracted_by;
    m.curated_by = row->curated_by;
    return pack_alloc(out, &m.base);
}

int
lg_record_row_decode(lg_record_row *out, const uint8_t *b, size_t len)
{
    long failures = lg_alloc_failures();
    Attrledger__V1__RecordRow *m = attrledger__v1__record_row__unpack(PBA, len, b);
    int rc = 0;

    if (m == NULL)
        return unpack_error(failures, LEDGER_ECORRUPT, "record index row");
    memset(out, 0, sizeof *out);
    if (m->type < 10 || m->type >= 10 + LG_REC__COUNT - 1 ||
        strlen(m->author) >= sizeof out->author) {
        rc = lg_error_set(LEDGER_ECORRUPT, "record index row is malformed");
    } else {
        out->index = m->index;
        out->type = (lg_record_type)(m->type - 9);
        memcpy(out->author, m->author, strlen(m->author) + 1);
        out->superseded_by = m->superseded_by;
        out->retracted_by = m->retracted_by;
        out->curated_by = m->curated_by;
    }
    attrledger__v1__record_row__free_unpacked(m, PBA);
    return rc;
}
