/*
 * record.c - signed envelopes and decoded entries (public API of record.h).
 *
 * An envelope keeps the canonical record bytes exactly as parsed or
 * encoded, plus its signatures; the decoded record beside them is only for
 * reading fields. Signing covers "attrledger/v1/record\n" || record bytes
 * (crypto.c), so nothing here ever re-encodes a record that was signed.
 */
#include "codec/record.h"

#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "crypto/crypto.h"
#include "base/error.h"
#include "codec/json.h"

int
lg_envelope_wrap(ledger_envelope **out, lg_envelope *env)
{
    ledger_envelope *e;
    int rc;

    *out = NULL;
    e = lg_calloc(1, sizeof *e);
    if (e == NULL) {
        lg_envelope_free(env);
        return lg_error_nomem();
    }
    e->env = env;
    if ((rc = lg_record_decode(&e->rec, env->record, env->record_len)) < 0) {
        ledger_envelope_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

int
ledger_envelope_parse(ledger_envelope **out, const char *json, size_t len)
{
    json_t *root = NULL, *rec;
    lg_envelope *env = NULL;
    ledger_buf bytes = LEDGER_BUF_INIT;
    int rc;

    if (out == NULL || json == NULL)
        return lg_error_set(LEDGER_EINVAL, "envelope: missing argument");
    *out = NULL;
    if ((rc = lg_json_load(&root, json, len)) < 0)
        return rc;
    rec = json_is_object(root) ? json_object_get(root, "record") : NULL;
    if (json_is_string(rec)) {
        if ((rc = lg_envelope_from_json(&env, root)) < 0)
            goto done;
    } else {
        if ((rc = lg_record_from_json(&bytes, root)) < 0)
            goto done;
        env = lg_calloc(1, sizeof *env);
        if (env == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
        env->record = bytes.data;
        env->record_len = bytes.len;
        bytes.data = NULL;
    }
    rc = lg_envelope_wrap(out, env);
    env = NULL;
done:
    ledger_buf_dispose(&bytes);
    lg_envelope_free(env);
    json_decref(root);
    return rc;
}

int
ledger_envelope_sign(ledger_envelope *e, const ledger_key *key)
{
    lg_envelope *env = e->env;
    uint8_t id[32];
    int rc;

    ledger_key_id(id, key);
    for (size_t i = 0; i < env->n_sigs; i++)
        if (memcmp(env->sigs[i].key_id, id, 32) == 0)
            return lg_error_set(LEDGER_EEXISTS, "record %s is already signed by key %s",
                                lg_record_id(e->rec), ledger_key_name(key));
    if (env->n_sigs >= LG_MAX_SIGS)
        return lg_error_set(LEDGER_EFORMAT, "record %s already has %d signatures",
                            lg_record_id(e->rec), LG_MAX_SIGS);
    if ((rc = lg_record_sign(env->sigs[env->n_sigs].sig, env->record, env->record_len, key)) < 0)
        return rc;
    memcpy(env->sigs[env->n_sigs].key_id, id, 32);
    env->n_sigs++;
    return 0;
}

int
ledger_envelope_to_json(ledger_buf *out, const ledger_envelope *e, int pretty)
{
    json_t *v = NULL;
    int rc;

    if ((rc = lg_envelope_to_json(&v, e->env)) < 0)
        return rc;
    rc = lg_json_dump(out, v, pretty);
    json_decref(v);
    return rc;
}

const char *
ledger_envelope_record_id(const ledger_envelope *e)
{
    return lg_record_id(e->rec);
}

size_t
ledger_envelope_signature_count(const ledger_envelope *e)
{
    return e->env->n_sigs;
}

int
ledger_envelope_record(ledger_buf *out, const ledger_envelope *e)
{
    out->data = lg_malloc(e->env->record_len + 1);
    if (out->data == NULL)
        return lg_error_nomem();
    memcpy(out->data, e->env->record, e->env->record_len);
    out->len = e->env->record_len;
    return 0;
}

void
ledger_envelope_digest(uint8_t out[LEDGER_HASH_SIZE], const ledger_envelope *e)
{
    lg_sha256(out, e->env->record, e->env->record_len);
}

void
ledger_envelope_free(ledger_envelope *e)
{
    if (e == NULL)
        return;
    lg_record_free(e->rec);
    lg_envelope_free(e->env);
    lg_free(e);
}

static void
copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int
ledger_entry_info_get(ledger_entry_info *out, const uint8_t *leaf, size_t len)
{
    lg_entry *e = NULL;
    lg_record *r = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_entry_decode(&e, leaf, len)) < 0)
        return rc;
    if ((rc = lg_record_decode(&r, e->record, e->record_len)) < 0)
        goto done;
    out->index = e->index;
    out->integrated_time = e->integrated_time;
    copy_str(out->type, sizeof out->type, lg_record_type_name(lg_record_type_of(r)));
    copy_str(out->record_id, sizeof out->record_id, lg_record_id(r));
    copy_str(out->author, sizeof out->author, lg_record_author(r));
    copy_str(out->supersedes, sizeof out->supersedes, lg_record_supersedes(r));
    lg_merkle_leaf_hash(out->leaf_hash, leaf, len);
    lg_sha256(out->record_digest, e->record, e->record_len);
    out->n_signatures = e->n_sigs;
done:
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

/* Add a base64 string member; returns 0 or ENOMEM. */
int
lg_json_set_b64(json_t *obj, const char *key, const uint8_t *data, size_t len)
{
    char *s = lg_b64_encode_alloc(data, len);
    int rc;

    if (s == NULL)
        return lg_error_nomem();
    rc = json_object_set_new(obj, key, json_string(s)) == 0 ? 0 : lg_error_nomem();
    lg_free(s);
    return rc;
}

int
lg_json_set_u64(json_t *obj, const char *key, uint64_t v)
{
    /* JSON numbers are exact up to 2^53; indexes and times stay far below. */
    return json_object_set_new(obj, key, json_integer((json_int_t)v)) == 0 ? 0 : lg_error_nomem();
}

int
lg_entry_json(json_t **out, const uint8_t *leaf, size_t len)
{
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *obj = NULL, *rec = NULL, *sigs = NULL;
    uint8_t h[32];
    int rc;

    *out = NULL;
    if ((rc = lg_entry_decode(&e, leaf, len)) < 0)
        return rc;
    if ((rc = lg_record_decode(&r, e->record, e->record_len)) < 0)
        goto done;
    if ((rc = lg_record_to_json(&rec, r)) < 0)
        goto done;
    obj = json_object();
    sigs = json_array();
    if (obj == NULL || sigs == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    lg_merkle_leaf_hash(h, leaf, len);
    if ((rc = lg_json_set_u64(obj, "index", e->index)) < 0 ||
        (rc = lg_json_set_u64(obj, "integrated_time", e->integrated_time)) < 0 ||
        (rc = lg_json_set_b64(obj, "leaf", leaf, len)) < 0 ||
        (rc = lg_json_set_b64(obj, "leaf_hash", h, 32)) < 0)
        goto done;
    lg_sha256(h, e->record, e->record_len);
    if ((rc = lg_json_set_b64(obj, "record_digest", h, 32)) < 0)
        goto done;
    if (json_object_set(obj, "record", rec) != 0) {
        rc = lg_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < e->n_sigs; i++) {
        json_t *s = json_object();
        if (s == NULL || json_array_append_new(sigs, s) != 0) {
            rc = lg_error_nomem();
            goto done;
        }
        if ((rc = lg_json_set_b64(s, "key_id", e->sigs[i].key_id, 32)) < 0 ||
            (rc = lg_json_set_b64(s, "signature", e->sigs[i].sig, 64)) < 0)
            goto done;
    }
    if (json_object_set(obj, "signatures", sigs) != 0) {
        rc = lg_error_nomem();
        goto done;
    }
    *out = obj;
    obj = NULL;
done:
    json_decref(sigs);
    json_decref(rec);
    json_decref(obj);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

int
ledger_entry_to_json(ledger_buf *out, const uint8_t *leaf, size_t len, int pretty)
{
    json_t *obj = NULL;
    int rc;

    if ((rc = lg_entry_json(&obj, leaf, len)) < 0)
        return rc;
    rc = lg_json_dump(out, obj, pretty);
    json_decref(obj);
    return rc;
}
