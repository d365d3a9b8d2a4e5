/*
 * entry.c - a log entry (leaf) for readers: ledger_entry_info_get and
 * ledger_entry_to_json (attrledger/record.h), and lg_entry_json for
 * trails. They decode the leaf (codec.c) and add what the log defines
 * about it: its RFC 6962 leaf hash and the record digest.
 */
#include "tlog/entry.h"

#include <string.h>

#include "attrledger/record.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "crypto/crypto.h"
#include "tlog/merkle.h"

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
