/*
 * proof.c - public proof verification and JSON forms (proof.h).
 *
 * Thin wrappers over merkle.c (RFC 9162 section 2.1.3 and 2.1.4). The JSON
 * form is what `attrledger prove --json` prints and what third-party
 * verifiers read: sizes as numbers, hashes as standard base64, in the
 * order RFC 9162's PATH and PROOF produce them.
 */
#include "attrledger/proof.h"

#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "codec/json.h"
#include "tlog/merkle.h"
#include "codec/record.h"

int
ledger_proof_verify_inclusion(const ledger_inclusion_proof *p)
{
    if (p == NULL || p->n_hashes > LEDGER_PROOF_MAX)
        return lg_error_set(LEDGER_EPROOF, "inclusion proof is malformed");
    return lg_merkle_verify_inclusion(p->leaf_index, p->tree_size, p->leaf_hash,
                                      (const lg_hash *)p->hashes, p->n_hashes, p->root);
}

int
ledger_proof_verify_consistency(const ledger_consistency_proof *p)
{
    if (p == NULL || p->n_hashes > LEDGER_PROOF_MAX)
        return lg_error_set(LEDGER_EPROOF, "consistency proof is malformed");
    return lg_merkle_verify_consistency(p->old_size, p->new_size, p->old_root, p->new_root,
                                        (const lg_hash *)p->hashes, p->n_hashes);
}

void
ledger_leaf_hash(uint8_t out[LEDGER_HASH_SIZE], const uint8_t *leaf, size_t len)
{
    lg_merkle_leaf_hash(out, leaf, len);
}

static int
hashes_array(json_t *obj, const uint8_t (*hashes)[LEDGER_HASH_SIZE], size_t n)
{
    json_t *arr = json_array();
    int rc = 0;

    if (arr == NULL || json_object_set_new(obj, "hashes", arr) != 0)
        return lg_error_nomem();
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *tmp = json_object();
        if (tmp == NULL)
            return lg_error_nomem();
        rc = lg_json_set_b64(tmp, "h", hashes[i], LEDGER_HASH_SIZE);
        if (rc == 0 && json_array_append(arr, json_object_get(tmp, "h")) != 0)
            rc = lg_error_nomem();
        json_decref(tmp);
    }
    return rc;
}

int
ledger_inclusion_proof_to_json(ledger_buf *out, const ledger_inclusion_proof *p)
{
    json_t *obj = json_object();
    int rc;

    if (obj == NULL)
        return lg_error_nomem();
    if ((rc = lg_json_set_u64(obj, "tree_size", p->tree_size)) < 0 ||
        (rc = lg_json_set_u64(obj, "leaf_index", p->leaf_index)) < 0 ||
        (rc = lg_json_set_b64(obj, "leaf_hash", p->leaf_hash, 32)) < 0 ||
        (rc = lg_json_set_b64(obj, "root", p->root, 32)) < 0 ||
        (rc = hashes_array(obj, (const uint8_t(*)[32])p->hashes, p->n_hashes)) < 0)
        goto done;
    rc = lg_json_dump(out, obj, 1);
done:
    json_decref(obj);
    return rc;
}

int
ledger_consistency_proof_to_json(ledger_buf *out, const ledger_consistency_proof *p)
{
    json_t *obj = json_object();
    int rc;

    if (obj == NULL)
        return lg_error_nomem();
    if ((rc = lg_json_set_u64(obj, "old_size", p->old_size)) < 0 ||
        (rc = lg_json_set_u64(obj, "new_size", p->new_size)) < 0 ||
        (rc = lg_json_set_b64(obj, "old_root", p->old_root, 32)) < 0 ||
        (rc = lg_json_set_b64(obj, "new_root", p->new_root, 32)) < 0 ||
        (rc = hashes_array(obj, (const uint8_t(*)[32])p->hashes, p->n_hashes)) < 0)
        goto done;
    rc = lg_json_dump(out, obj, 1);
done:
    json_decref(obj);
    return rc;
}
