/*
 * cosign.c - witness cosignatures kept with a ledger, cosigned checkpoints
 * and receipts (witness.h).
 *
 * A cosignature is stored only after it verifies, with the witness's key,
 * against the exact checkpoint note the ledger signed at that size; the
 * `cosignatures` table (store.h) maps size || key ID || witness name to the
 * signature line. Cosignatures are not part of the Merkle tree and not
 * signed by the log: a cosigned checkpoint is the stored note with the
 * stored lines appended (lg_note_add_lines), and every reader re-verifies
 * each line with the witness keys it trusts. A damaged row therefore can
 * make a checkpoint fail a reader's policy, never pass one it should not.
 */
#include "core/cosign.h"

#include <string.h>

#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "core/ledger_int.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

#define COSIG_KEY_MAX (8 + 4 + LEDGER_NAME_MAX)

static size_t
cosig_key(uint8_t *k, uint64_t size, const lg_note_sig *sig)
{
    size_t nlen = strlen(sig->name);

    lg_u64_be(k, size);
    k[8] = (uint8_t)(sig->id >> 24);
    k[9] = (uint8_t)(sig->id >> 16);
    k[10] = (uint8_t)(sig->id >> 8);
    k[11] = (uint8_t)sig->id;
    memcpy(k + 12, sig->name, nlen);
    return 12 + nlen;
}

/* The stored note of `size` (0: the latest) and its size. */
static int
stored_note(lg_txn *t, uint64_t *size, ledger_buf *note)
{
    ledger_buf key = LEDGER_BUF_INIT;
    uint8_t k[8];
    int rc;

    if (*size == 0) {
        rc = lg_store_last(t, LG_DB_CHECKPOINTS, &key, note);
        if (rc == LEDGER_ENOTFOUND)
            return lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
        if (rc < 0)
            return rc;
        if (key.len != 8) {
            ledger_buf_dispose(&key);
            ledger_buf_dispose(note);
            return lg_error_set(LEDGER_ECORRUPT, "checkpoints table has a malformed key");
        }
        *size = lg_be_u64(key.data);
        ledger_buf_dispose(&key);
        return 0;
    }
    lg_u64_be(k, *size);
    rc = lg_store_get(t, LG_DB_CHECKPOINTS, k, 8, note);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                            (unsigned long long)*size);
    return rc;
}

static const ledger_vkey *
witness_for(const lg_note_sig *sig, const ledger_vkey *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].type == LEDGER_SIGTYPE_COSIGNATURE && w[i].note_id == sig->id &&
            strcmp(w[i].name, sig->name) == 0)
            return &w[i];
    return NULL;
}

static int
add_txn(size_t *added, ledger_log *log, uint64_t size, const uint8_t *text, size_t len,
        const ledger_vkey *witnesses, size_t n_w)
{
    lg_txn *t = NULL;
    ledger_buf note = LEDGER_BUF_INIT, lines = LEDGER_BUF_INIT, one = LEDGER_BUF_INIT;
    lg_note *given = NULL, *stored = NULL, *check = NULL;
    int whole = 0, rc;

    *added = 0;
    /* A whole note holds a blank line; bare signature lines never do. */
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] == '\n' && text[i + 1] == '\n')
            whole = 1;
    if (whole) {
        lg_checkpoint cp;

        if ((rc = lg_note_parse(&given, text, len)) < 0 ||
            (rc = lg_checkpoint_parse(&cp, given->buf, given->text_len)) < 0)
            return lg_error_prefix(rc, "cosigned checkpoint");
        if (size != 0 && size != cp.size) {
            rc = lg_error_set(LEDGER_EINVAL, "cosigned checkpoint is for size %llu, not %llu",
                              (unsigned long long)cp.size, (unsigned long long)size);
            goto done;
        }
        size = cp.size;
    } else {
        /* Parse the lines as the signatures of a stand-in note, which
         * applies every signature-line rule and bound. */
        uint8_t *tmp = lg_malloc(len + 3);

        if (tmp == NULL)
            return lg_error_nomem();
        memcpy(tmp, "x\n\n", 3);
        memcpy(tmp + 3, text, len);
        rc = lg_note_parse(&given, tmp, len + 3);
        lg_free(tmp);
        if (rc < 0)
            return lg_error_prefix(rc, "cosignature lines");
    }
    if ((rc = lg_txn_begin(&t, log->store, 1)) < 0 || (rc = stored_note(t, &size, &note)) < 0 ||
        (rc = lg_note_parse(&stored, note.data, note.len)) < 0)
        goto done;
    if (whole && (given->text_len != stored->text_len ||
                  memcmp(given->buf, stored->buf, stored->text_len) != 0)) {
        rc = lg_error_set(LEDGER_EBADSIG,
                          "the cosigned checkpoint is not the one this ledger signed at size %llu",
                          (unsigned long long)size);
        goto done;
    }
    for (size_t i = 0; i < given->n_sigs; i++) {
        const lg_note_sig *sig = &given->sigs[i];
        const ledger_vkey *wk = witness_for(sig, witnesses, n_w);
        uint8_t key[COSIG_KEY_MAX];
        int verified = 0;

        if (wk == NULL) {
            if (whole)
                continue; /* the log's own signature, or a witness we were not told about */
            rc = lg_error_set(LEDGER_EBADSIG,
                              "cosignature line %zu is by %.100s, not by a given "
                              "witness key",
                              i + 1, sig->name);
            goto done;
        }
        if ((rc = lg_note_add_lines(&one, note.data, note.len, (const uint8_t *)sig->line,
                                    sig->line_len)) < 0 ||
            (rc = lg_note_parse(&check, one.data, one.len)) < 0)
            goto done;
        rc = lg_note_verify(check, wk, 1, &verified, NULL);
        lg_note_free(check);
        check = NULL;
        ledger_buf_dispose(&one);
        if (rc < 0 || !verified) {
            rc = lg_error_set(LEDGER_EBADSIG,
                              "cosignature by %.100s does not verify for the "
                              "checkpoint of size %llu",
                              sig->name, (unsigned long long)size);
            goto done;
        }
        if ((rc = lg_store_put(t, LG_DB_COSIGNATURES, key, cosig_key(key, size, sig), sig->line,
                               sig->line_len, 0)) < 0)
            goto done;
        (*added)++;
    }
    if (*added == 0) {
        rc = lg_error_set(LEDGER_EBADSIG, "no cosignature by the given witnesses");
        goto done;
    }
    rc = lg_txn_commit(t);
    t = NULL;
done:
    lg_txn_abort(t);
    lg_note_free(given);
    lg_note_free(stored);
    lg_note_free(check);
    ledger_buf_dispose(&note);
    ledger_buf_dispose(&lines);
    ledger_buf_dispose(&one);
    return rc;
}

int
ledger_log_add_cosignatures(size_t *added_out, ledger_log *log, uint64_t size, const uint8_t *text,
                            size_t len, const ledger_vkey *witnesses, size_t n_witnesses)
{
    size_t added = 0;
    int rc;

    if (log == NULL || (text == NULL && len > 0) || (witnesses == NULL && n_witnesses > 0))
        return lg_error_set(LEDGER_EINVAL, "cosign: missing argument");
    if (len == 0)
        return lg_error_set(LEDGER_EFORMAT, "no cosignature lines");
    if (len > LG_NOTE_MAX)
        return lg_error_set(LEDGER_EFORMAT, "cosignatures are %zu bytes, max %u", len, LG_NOTE_MAX);
    for (int attempt = 0;; attempt++) {
        rc = add_txn(&added, log, size, text, len, witnesses, n_witnesses);
        if (rc != LEDGER_EFULL || attempt == 4)
            break;
        if ((rc = lg_store_grow(log->store)) < 0)
            break;
    }
    if (rc == 0 && added_out != NULL)
        *added_out = added;
    return rc;
}

typedef struct {
    uint64_t size;
    ledger_buf lines;
    size_t cap;
} collect_ctx;

static int
collect(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    collect_ctx *c = p;

    if (klen < 12 || lg_be_u64(key) != c->size)
        return 1; /* past this size's rows */
    if (c->lines.len + vlen + 1 > c->cap) {
        size_t ncap = (c->lines.len + vlen + 1) * 2;
        uint8_t *nb = lg_realloc(c->lines.data, ncap);
        if (nb == NULL)
            return lg_error_nomem();
        c->lines.data = nb;
        c->cap = ncap;
    }
    memcpy(c->lines.data + c->lines.len, val, vlen);
    c->lines.len += vlen;
    return 0;
}

/* The stored note of `*size` with its cosignatures, inside transaction t. */
int
lg_cosign_note(lg_txn *t, uint64_t *size, ledger_buf *out)
{
    ledger_buf note = LEDGER_BUF_INIT;
    collect_ctx c;
    uint8_t k[8];
    int rc;

    memset(&c, 0, sizeof c);
    if ((rc = stored_note(t, size, &note)) < 0)
        return rc;
    c.size = *size;
    lg_u64_be(k, *size);
    if ((rc = lg_store_scan(t, LG_DB_COSIGNATURES, k, 8, 0, collect, &c)) < 0)
        goto done;
    if (c.lines.len == 0) {
        *out = note;
        note.data = NULL;
        goto done;
    }
    /* Rows are re-checked for form here; their signatures by readers. */
    rc = lg_note_add_lines(out, note.data, note.len, c.lines.data, c.lines.len);
    if (rc < 0 && rc != LEDGER_ENOMEM)
        rc = lg_error_prefix(LEDGER_ECORRUPT, "stored cosignatures of size %llu",
                             (unsigned long long)*size);
done:
    ledger_buf_dispose(&note);
    ledger_buf_dispose(&c.lines);
    return rc;
}

int
ledger_log_checkpoint_cosigned(ledger_buf *out, ledger_log *log, uint64_t size)
{
    lg_txn *t = NULL;
    int rc;

    if (out == NULL || log == NULL)
        return lg_error_set(LEDGER_EINVAL, "checkpoint: missing argument");
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    rc = lg_cosign_note(t, &size, out);
    lg_txn_abort(t);
    return rc;
}

int
ledger_log_receipt(ledger_buf *out, ledger_log *log, uint64_t index, uint64_t size, int cosigned)
{
    lg_hash proof[LG_PROOF_MAX_HASHES];
    ledger_buf note = LEDGER_BUF_INIT;
    lg_txn *t = NULL;
    size_t n = 0;
    int rc;

    if (out == NULL || log == NULL)
        return lg_error_set(LEDGER_EINVAL, "receipt: missing argument");
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    rc = cosigned ? lg_cosign_note(t, &size, &note) : stored_note(t, &size, &note);
    if (rc < 0)
        goto done;
    if (index >= size) {
        rc = lg_error_set(LEDGER_EINVAL, "no entry %llu in the tree of size %llu",
                          (unsigned long long)index, (unsigned long long)size);
        goto done;
    }
    if ((rc = lg_merkle_prove_inclusion(proof, &n, index, size, lg_store_hash_reader, t)) < 0)
        goto done;
    rc = lg_receipt_format(out, index, (const lg_hash *)proof, n, note.data, note.len);
done:
    ledger_buf_dispose(&note);
    lg_txn_abort(t);
    return rc;
}
