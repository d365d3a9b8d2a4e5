/*
 * checkpoint.c - offline verification of checkpoints and receipts.
 *
 * C2SP tlog-checkpoint v1 on top of note.c, and C2SP tlog-proof receipts:
 * what a third party needs to check a ledger's statements with nothing but
 * the log's verifier key. The origin line must equal the key name (the
 * checkpoint spec's SHOULD, which we make a MUST for our own logs).
 */
#include "attrledger/checkpoint.h"

#include <string.h>

#include "codec.h"
#include "error.h"
#include "merkle.h"
#include "note.h"

int
ledger_checkpoint_verify(ledger_checkpoint *out, const uint8_t *note_bytes, size_t len,
                         const ledger_vkey *log_key)
{
    lg_note *note = NULL;
    lg_checkpoint cp;
    int rc;

    memset(out, 0, sizeof *out);
    if (log_key == NULL || log_key->type != LEDGER_SIGTYPE_ED25519)
        return lg_error_set(LEDGER_EINVAL, "checkpoint: log key must be an Ed25519 verifier key");
    if ((rc = lg_note_parse(&note, note_bytes, len)) < 0)
        return lg_error_prefix(rc, "checkpoint");
    if ((rc = lg_note_verify(note, log_key, 1, NULL, NULL)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if ((rc = lg_checkpoint_parse(&cp, note->buf, note->text_len)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if (strcmp(cp.origin, log_key->name) != 0) {
        rc = lg_error_set(LEDGER_EBADSIG, "checkpoint origin %.100s is not the log key's name %.100s",
                          cp.origin, log_key->name);
        goto done;
    }
    memcpy(out->origin, cp.origin, sizeof out->origin);
    out->size = cp.size;
    memcpy(out->root, cp.root, 32);
done:
    lg_note_free(note);
    return rc;
}

int
ledger_receipt_verify(ledger_receipt_info *out, const uint8_t *receipt, size_t receipt_len,
                      const uint8_t *leaf, size_t leaf_len, const ledger_vkey *log_key)
{
    lg_receipt rc_parsed;
    lg_entry *e = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_receipt_parse(&rc_parsed, receipt, receipt_len)) < 0)
        return lg_error_prefix(rc, "receipt");
    if ((rc = ledger_checkpoint_verify(&out->checkpoint, rc_parsed.note, rc_parsed.note_len,
                                       log_key)) < 0)
        return rc;
    /* The leaf names its own index: a receipt for another position of the
     * same leaf bytes cannot exist, and a mismatch means the wrong leaf. */
    if ((rc = lg_entry_decode(&e, leaf, leaf_len)) < 0)
        return lg_error_prefix(rc, "leaf");
    if (e->index != rc_parsed.index) {
        rc = lg_error_set(LEDGER_EPROOF, "receipt is for index %llu but the leaf is entry %llu",
                          (unsigned long long)rc_parsed.index, (unsigned long long)e->index);
        lg_entry_free(e);
        return rc;
    }
    lg_entry_free(e);
    lg_merkle_leaf_hash(out->leaf_hash, leaf, leaf_len);
    out->index = rc_parsed.index;
    rc = lg_merkle_verify_inclusion(rc_parsed.index, out->checkpoint.size, out->leaf_hash,
                                    (const lg_hash *)rc_parsed.hashes, rc_parsed.n_hashes,
                                    out->checkpoint.root);
    if (rc < 0)
        return lg_error_prefix(rc, "receipt");
    return 0;
}
