/*
 * record.c - signed envelopes (public API of record.h; entries: tlog/entry.c).
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
