/*
 * submit.c - appending: ledger_log_submit, its receipts, and the test forge.
 *
 * Submit pipeline (one LMDB write transaction per batch):
 *   1. decode every envelope (codec.c: limits, canonical form);
 *   2. for each record: dedup by record digest (an identical record returns
 *      its existing entry), reject a reused record_id, check policy and
 *      resolve keys (policy.c), verify every signature (crypto.c);
 *      in a batch of LG_PARALLEL_MIN or more, the signatures are checked on
 *      all cores ahead of this loop (sigcheck.c) with the keys the registry
 *      holds when the batch starts; the loop uses such an early verdict only
 *      when policy.c resolved the same public key, and checks inline
 *      otherwise, so the verdicts, their order and the messages are those of
 *      checking one record after the other;
 *   3. append the leaf (MDB_APPEND), its new stored hashes (merkle.c compact
 *      range: O(log n) work per entry, no rereading of old leaves), the
 *      records/digests rows and the registry changes;
 *   4. sign a checkpoint for the new size and store it with the new size
 *      and root, in the same transaction, so the stored last checkpoint and
 *      the tree can never disagree, even across a crash;
 *   5. hand back receipts (tlog-proof) against that checkpoint, built in the
 *      same transaction from the leaves just appended and the stored hashes
 *      (read through a per-batch memo: neighbours' proofs share most
 *      hashes), then commit. A record that was already in the log gets the
 *      receipt its own batch handed back (against that batch's checkpoint),
 *      byte for byte, so a resubmission repeats the first answer.
 * If anything fails, the transaction is aborted: nothing is written.
 *
 * integrated_time is the ledger's clock in Unix ms, forced non-decreasing.
 * ATTRLEDGER_FAKE_TIME_MS pins it for reproducible output in test builds
 * (LEDGER_TEST_HOOKS) only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attrledger/ledger.h"
#include "base/alloc.h"
#include "base/error.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "codec/record.h"
#include "core/ledger_int.h"
#include "crypto/crypto.h"
#include "rules/policy.h"
#include "rules/sigcheck.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

/* How often a submission retries after growing a full map. */
#define LG_GROW_RETRIES 8
/* Batches at least this large check signatures on all cores: starting a
 * thread costs about as much as checking one signature. */
#define LG_PARALLEL_MIN 4
/* Stored hashes remembered while a batch's receipts are built (power of 2):
 * a batch of consecutive leaves touches about two new hashes per leaf. */
#define LG_MEMO_SLOTS 4096

/* ---- the clock ---- */

uint64_t
lg_now_ms(void)
{
    struct timespec ts;
#ifdef LEDGER_TEST_HOOKS
    /* Test builds only: a pinned clock for byte-identical test ledgers. In
     * a real ledger a far-future value would freeze every later
     * integrated_time (time never goes back), so release builds lack it. */
    const char *fake = getenv("ATTRLEDGER_FAKE_TIME_MS");

    if (fake != NULL && *fake != '\0')
        return strtoull(fake, NULL, 10);
#endif
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- append ---- */

typedef struct {
    lg_record *rec; /* decoded (borrowed) */
    const lg_envelope *env;
    const ledger_envelope *whole; /* its early verdicts (ledger_log_precheck) */
    int unchecked;                /* test forgery: skip policy and signature checks */
} batch_item;

/* Whether every signature of the item has an early verdict from
 * ledger_log_precheck. */
static int
prechecked(const batch_item *it)
{
    return it->whole != NULL && it->env->n_sigs > 0 &&
           it->whole->pre_mask == (uint32_t)((1ull << it->env->n_sigs) - 1);
}

/*
 * Verdict on signature i of a record with public key pk: the early one from
 * ledger_log_precheck or from the record's sigcheck job when it was computed
 * with the same key, else checked now. Either way the verdict of
 * lg_record_verify().
 */
static int
sig_verdict(lg_sigcheck *q, const batch_item *it, size_t i, const uint8_t pk[32])
{
    const lg_envelope *env = it->env;
    const ledger_envelope *w = it->whole;
    const lg_sigjob *j;

    if (w != NULL && (w->pre_mask & (1u << i)) != 0 && memcmp(w->pre_pk[i], pk, 32) == 0)
        return w->pre_verdict[i];
    j = q != NULL ? lg_sigcheck_wait(q, 1) : NULL;

    if (j != NULL && (j->check_mask & (1u << i)) != 0 && memcmp(j->pk[i], pk, 32) == 0 &&
        (j->verdict[i] == 0 || j->verdict[i] == LEDGER_EBADSIG))
        return j->verdict[i];
    return lg_record_verify(env->sigs[i].sig, env->record, env->record_len, pk);
}

static int
append_one(lg_txn *t, lg_digest_index *dx, const lg_policy_state *st, lg_merkle_range *range,
           lg_meta *m, const batch_item *it, lg_sigcheck *q, ledger_receipt *rcpt, size_t pos)
{
    const lg_envelope *env = it->env;
    const char *rid = lg_record_id(it->rec);
    uint8_t digest[32], key[8];
    ledger_buf leaf = LEDGER_BUF_INIT;
    lg_sig_keys keys;
    lg_record_row prev;
    lg_hash leaf_hash, new_hashes[64];
    uint64_t existing, time_ms, first;
    int n_new, rc;

    memset(rcpt, 0, sizeof *rcpt);
    snprintf(rcpt->record_id, sizeof rcpt->record_id, "%s", rid);
    lg_sha256(digest, env->record, env->record_len);
    rc = lg_digests_find(dx, t, digest, &existing);
    if (rc == 0) {
        /* Idempotent resubmission: hand back the existing entry. */
        rcpt->index = existing;
        rcpt->existed = 1;
        return 0;
    }
    if (rc != LEDGER_ENOTFOUND)
        return rc;
    rc = lg_row_record(t, rid, &prev);
    if (rc == 0)
        return lg_error_set(LEDGER_EEXISTS,
                            "record %zu (%s): record_id already used by entry %llu with "
                            "different content",
                            pos, rid, (unsigned long long)prev.index);
    if (rc != LEDGER_ENOTFOUND)
        return rc;

    if (!it->unchecked &&
        (rc = lg_policy_check(&keys, st, it->rec, env->sigs, env->n_sigs, m->size)) < 0)
        return rc;
    for (size_t i = 0; !it->unchecked && i < env->n_sigs; i++) {
        rc = sig_verdict(q, it, i, keys.pk[i]);
        if (rc == LEDGER_EBADSIG)
            return lg_error_set(LEDGER_EBADSIG, "record %s: signature %zu does not verify", rid, i);
        if (rc < 0)
            return rc;
    }

    time_ms = lg_now_ms();
    if (time_ms < m->time)
        time_ms = m->time;
    if ((rc = lg_entry_encode(&leaf, m->size, time_ms, env->record, env->record_len, env->sigs,
                              env->n_sigs)) < 0)
        return lg_error_prefix(rc, "record %s", rid);
    lg_u64_be(key, m->size);
    if ((rc = lg_store_put(t, LG_DB_ENTRIES, key, 8, leaf.data, leaf.len, LG_PUT_APPEND)) < 0)
        goto done;
    lg_merkle_leaf_hash(leaf_hash, leaf.data, leaf.len);
    first = lg_merkle_stored_count(m->size);
    lg_merkle_range_append(range, leaf_hash, new_hashes, &n_new);
    for (int i = 0; i < n_new; i++) {
        lg_u64_be(key, first + (uint64_t)i);
        if ((rc = lg_store_put(t, LG_DB_HASHES, key, 8, new_hashes[i], 32, LG_PUT_APPEND)) < 0)
            goto done;
    }
    if ((rc = lg_policy_apply(st, it->rec, digest, m->size)) < 0 ||
        (rc = lg_digests_add(dx, t, digest, m->size)) < 0)
        goto done;
    rcpt->index = m->size;
    /* The receipt hands back the leaf and its hash: no need to read and hash
     * it again. */
    memcpy(rcpt->leaf_hash, leaf_hash, sizeof leaf_hash);
    rcpt->leaf = leaf;
    leaf = (ledger_buf)LEDGER_BUF_INIT;
    m->size++;
    m->time = time_ms;
done:
    ledger_buf_dispose(&leaf);
    return rc;
}

/* Sign and store a checkpoint for the current size. */
static int
sign_checkpoint(ledger_log *log, lg_txn *t, const lg_meta *m, ledger_buf *note_out)
{
    lg_checkpoint cp;
    ledger_buf body = LEDGER_BUF_INIT;
    uint8_t key[8];
    int rc;

    memset(&cp, 0, sizeof cp);
    memcpy(cp.origin, log->origin, sizeof cp.origin);
    cp.size = m->size;
    memcpy(cp.root, m->root, 32);
    if ((rc = lg_checkpoint_format(&body, &cp)) < 0)
        return rc;
    rc = lg_note_sign(note_out, body.data, body.len, log->signer);
    ledger_buf_dispose(&body);
    if (rc < 0)
        return rc;
    lg_u64_be(key, m->size);
    rc = lg_store_put(t, LG_DB_CHECKPOINTS, key, 8, note_out->data, note_out->len, LG_PUT_APPEND);
    if (rc < 0)
        ledger_buf_dispose(note_out);
    return rc;
}

/* Stored-hash reads for one batch's receipts, remembered direct-mapped. */
typedef struct {
    lg_txn *t;
    uint64_t key[LG_MEMO_SLOTS]; /* stored index + 1; 0 = empty */
    lg_hash hash[LG_MEMO_SLOTS];
} hash_memo;

static int
memo_reader(void *payload, uint64_t stored_index, lg_hash out)
{
    hash_memo *mm = payload;
    size_t slot = (size_t)(stored_index & (LG_MEMO_SLOTS - 1));
    int rc;

    if (mm->key[slot] == stored_index + 1) {
        memcpy(out, mm->hash[slot], LG_HASH);
        return 0;
    }
    if ((rc = lg_store_hash_reader(mm->t, stored_index, out)) < 0)
        return rc;
    mm->key[slot] = stored_index + 1;
    memcpy(mm->hash[slot], out, LG_HASH);
    return 0;
}

/* The receipt of r against `note` (the checkpoint at `size`). A new entry's
 * leaf and leaf hash are already in r; an existing one's are read here.
 * `note_checked`: the note already passed lg_note_parse() in this batch. */
static int
make_receipt(lg_txn *t, hash_memo *mm, ledger_receipt *r, uint64_t size, const ledger_buf *note,
             int note_checked)
{
    lg_hash proof[LG_PROOF_MAX_HASHES];
    uint8_t key[8];
    size_t n;
    int rc;

    if (r->leaf.data == NULL) {
        lg_u64_be(key, r->index);
        if ((rc = lg_store_get(t, LG_DB_ENTRIES, key, 8, &r->leaf)) < 0)
            return rc == LEDGER_ENOTFOUND ? lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing",
                                                         (unsigned long long)r->index)
                                          : rc;
        lg_merkle_leaf_hash(r->leaf_hash, r->leaf.data, r->leaf.len);
    }
    if ((rc = mm != NULL ? lg_merkle_prove_inclusion(proof, &n, r->index, size, memo_reader, mm)
                         : lg_merkle_prove_inclusion(proof, &n, r->index, size,
                                                     lg_store_hash_reader, t)) < 0)
        return rc;
    if (note_checked)
        return lg_receipt_format_checked(&r->receipt, r->index, (const lg_hash *)proof, n,
                                         note->data, note->len);
    return lg_receipt_format(&r->receipt, r->index, (const lg_hash *)proof, n, note->data,
                             note->len);
}

/* The checkpoint signed by the batch that appended entry `index`: the
 * first one stored at a size above it. */
typedef struct {
    uint64_t size;
    ledger_buf *note;
} first_cp;

static int
first_cp_row(void *payload, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    first_cp *f = payload;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "checkpoints table has a malformed key");
    if ((f->note->data = lg_malloc(vlen + 1)) == NULL)
        return lg_error_nomem();
    memcpy(f->note->data, val, vlen);
    f->note->len = vlen;
    f->size = lg_be_u64(key);
    return 1;
}

/* The receipt of an entry that was already in the log: against the
 * checkpoint of the batch that appended it, so a resubmission prints
 * exactly the receipt the first submission printed, however much the log
 * grew since. */
static int
existing_receipt(lg_txn *t, hash_memo *mm, ledger_receipt *r)
{
    ledger_buf note = LEDGER_BUF_INIT;
    first_cp f = {0, &note};
    uint8_t k[8];
    int rc;

    lg_u64_be(k, r->index + 1);
    if ((rc = lg_store_scan(t, LG_DB_CHECKPOINTS, k, 8, 0, first_cp_row, &f)) < 0)
        return rc;
    if (note.data == NULL)
        return lg_error_set(LEDGER_ECORRUPT, "no checkpoint covers entry %llu",
                            (unsigned long long)r->index);
    rc = make_receipt(t, mm, r, f.size, &note, 0);
    ledger_buf_dispose(&note);
    return rc;
}

/*
 * Queue every record's signatures with the public keys the registry holds
 * when the batch starts, so they are checked on all cores while the loop in
 * submit_txn appends. These are only early verdicts (see sig_verdict): a
 * key registered earlier in the same batch has none and is checked inline.
 * Nothing here can decide the outcome: a key that cannot be read (missing,
 * damaged row, no memory) gets no early verdict, and the serial loop meets
 * the same problem where the one-by-one order puts it. Returns NULL when
 * the batch is checked inline (small, one core, no memory).
 */
static lg_sigcheck *
start_sigchecks(lg_txn *t, const batch_item *items, size_t n)
{
    lg_sigcheck *q = NULL;
    unsigned threads;
    size_t early = 0;

    for (size_t i = 0; i < n; i++)
        early += prechecked(&items[i]);
    /* Cores are counted (sysconf reads sysfs: an open, a read and a
     * close) only for a batch that may use them, not for every group a
     * server commits with its signatures checked before. */
    if (n < LG_PARALLEL_MIN || early == n)
        return NULL;
    threads = lg_sigcheck_default_threads();
    if (threads < 2 || lg_sigcheck_new(&q, n, threads) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const lg_envelope *env = items[i].env;
        lg_sigjob *j = lg_sigcheck_slot(q);

        j->tag = i;
        j->record = env->record;
        j->record_len = env->record_len;
        j->n_sigs = env->n_sigs;
        memcpy(j->sigs, env->sigs, env->n_sigs * sizeof env->sigs[0]);
        for (size_t k = 0; k < env->n_sigs; k++) {
            lg_key_row row;

            if (lg_row_key(t, env->sigs[k].key_id, &row) != 0)
                continue;
            memcpy(j->pk[k], row.public_key, 32);
            j->check_mask |= 1u << k;
        }
        lg_sigcheck_push(q);
    }
    return q;
}

void
ledger_log_precheck(ledger_log *log, ledger_envelope *e)
{
    lg_txn *t = NULL;

    e->pre_mask = 0;
    if (log == NULL || e->env == NULL || lg_txn_begin(&t, log->store, 0) < 0)
        return;
    for (size_t k = 0; k < e->env->n_sigs && k < LG_MAX_SIGS; k++) {
        lg_key_row row;
        int rc;

        if (lg_row_key(t, e->env->sigs[k].key_id, &row) != 0)
            continue;
        rc = lg_record_verify(e->env->sigs[k].sig, e->env->record, e->env->record_len,
                              row.public_key);
        if (rc != 0 && rc != LEDGER_EBADSIG)
            continue;
        memcpy(e->pre_pk[k], row.public_key, 32);
        e->pre_verdict[k] = rc;
        e->pre_mask |= 1u << k;
    }
    lg_txn_abort(t);
}

/* One attempt of a batch in one write transaction. When record i is
 * refused (append_one failed), *failed_out = i; otherwise SIZE_MAX. */
static int
submit_txn(ledger_log *log, const batch_item *items, size_t n, ledger_receipt *rcpts,
           size_t *failed_out)
{
    lg_txn *t = NULL;
    lg_policy_state st;
    lg_policy_limits limits = {0, 0, 0, 0};
    lg_merkle_range range;
    lg_meta m;
    lg_sigcheck *q = NULL;
    hash_memo *mm = NULL;
    ledger_buf note = LEDGER_BUF_INIT;
    uint64_t old_size;
    int rc;

    *failed_out = SIZE_MAX;
    if ((rc = lg_txn_begin(&t, log->store, 1)) < 0)
        return rc;
    if ((rc = lg_meta_state(t, &m)) < 0 || (rc = lg_digests_begin(&log->digests, t)) < 0)
        goto fail;
    old_size = m.size;
    if ((rc = lg_merkle_range_load(&range, m.size, lg_store_hash_reader, t)) < 0)
        goto fail;
    lg_store_policy_state(&st, t);
    st.limits = &limits; /* this transaction's only: see lg_policy_limits */
    q = start_sigchecks(t, items, n);
    for (size_t i = 0; i < n; i++) {
        rc = append_one(t, &log->digests, &st, &range, &m, &items[i], q, &rcpts[i], i);
        if (q != NULL) {
            /* Record i's job is the oldest: drop it (unchecked if the record
             * never needed it: resubmitted or rejected before its check). */
            lg_sigcheck_wait(q, 0);
            lg_sigcheck_pop(q);
        }
        if (rc < 0) {
            *failed_out = i;
            goto fail;
        }
    }
    lg_sigcheck_free(q);
    q = NULL;
    if (m.size != old_size) {
        lg_merkle_range_root(&range, m.root);
        if ((rc = lg_digests_maybe_merge(&log->digests, t)) < 0 ||
            (rc = lg_meta_put_state(t, &m)) < 0 || (rc = sign_checkpoint(log, t, &m, &note)) < 0)
            goto fail;
    } else if ((rc = lg_latest_checkpoint(t, &note)) < 0) {
        goto fail;
    }
    /* Without memory for the memo, read the store directly. */
    if (n > 1 && (mm = lg_calloc(1, sizeof *mm)) != NULL)
        mm->t = t;
    for (size_t i = 0; i < n; i++)
        if ((rc = rcpts[i].existed ? existing_receipt(t, mm, &rcpts[i])
                                   : make_receipt(t, mm, &rcpts[i], m.size, &note, i > 0)) < 0)
            goto fail;
    lg_free(mm);
    ledger_buf_dispose(&note);
    rc = lg_txn_commit(t);
    lg_digests_end(&log->digests, rc == 0);
    if (rc < 0)
        ledger_receipts_dispose(rcpts, n); /* nothing was written */
    return rc;
fail:
    lg_digests_end(&log->digests, 0);
    lg_sigcheck_free(q);
    lg_free(mm);
    ledger_buf_dispose(&note);
    lg_txn_abort(t);
    ledger_receipts_dispose(rcpts, n);
    return rc;
}

static int
submit_items(ledger_log *log, const batch_item *items, size_t n, ledger_receipt *rcpts,
             size_t *failed_out)
{
    int rc;

    for (int attempt = 0;; attempt++) {
        rc = submit_txn(log, items, n, rcpts, failed_out);
        if (rc != LEDGER_EFULL || attempt == LG_GROW_RETRIES)
            return rc;
        /* The map is full: grow it and replay the whole batch. */
        if ((rc = lg_store_grow(log->store)) < 0)
            return rc;
    }
}

static int
submit_envelopes(ledger_receipt *rcpts, ledger_log *log, ledger_envelope *const *envs, size_t n,
                 int unchecked)
{
    batch_item *items;
    int rc;

    if (rcpts == NULL || log == NULL || (envs == NULL && n > 0))
        return lg_error_set(LEDGER_EINVAL, "submit: missing argument");
    memset(rcpts, 0, n * sizeof *rcpts);
    if (n == 0)
        return lg_error_set(LEDGER_EINVAL, "submit: nothing to submit");
    if (log->mirror)
        return lg_error_set(LEDGER_EREADONLY,
                            "this ledger is a mirror of %s: it takes entries only from "
                            "`attrledger mirror`, submit to the log itself",
                            log->origin);
    if (log->signer == NULL)
        return lg_error_set(LEDGER_EINVAL, "submit: the log signing key is not loaded");
    items = lg_calloc(n, sizeof *items);
    if (items == NULL)
        return lg_error_nomem();
    for (size_t i = 0; i < n; i++) {
        items[i].rec = envs[i]->rec;
        items[i].env = envs[i]->env;
        items[i].whole = envs[i];
        items[i].unchecked = unchecked;
    }
    {
        size_t failed;
        rc = submit_items(log, items, n, rcpts, &failed);
    }
    lg_free(items);
    return rc;
}

int
ledger_log_submit(ledger_receipt *rcpts, ledger_log *log, ledger_envelope *const *envs, size_t n)
{
    return submit_envelopes(rcpts, log, envs, n, 0);
}

#ifdef LEDGER_TEST_HOOKS
int
lg_ledger_forge(ledger_receipt *rcpts, ledger_log *log, ledger_envelope *const *envs, size_t n)
{
    return submit_envelopes(rcpts, log, envs, n, 1);
}
#endif

/* ---- group commit ---- */

/* A refusal of one record (the request stands alone), as opposed to a
 * failure of the store or the process, which fails the whole group. */
static int
is_refusal(int rc)
{
    return rc == LEDGER_EFORMAT || rc == LEDGER_EBADSIG || rc == LEDGER_EPOLICY ||
           rc == LEDGER_EEXISTS || rc == LEDGER_EVERSION;
}

/*
 * Group commit: the live batches' records, in order, are appended in one
 * write transaction with one checkpoint, by the same submit_items() as a
 * single batch. When a record is refused, its batch is marked refused and
 * the transaction (which has written nothing) is run again without it, so
 * every batch is checked against exactly the state the batches before it
 * leave, and a refused batch leaves no trace. Each refusal costs one
 * replay of the group's checks (no fsync, no signature: those happen only
 * at the final commit); the server's request threads refuse most bad
 * requests (format, signatures) before they reach a group.
 */
int
ledger_log_submit_group(ledger_log *log, ledger_batch *b, size_t nb)
{
    batch_item *items = NULL;
    ledger_receipt *rcpts = NULL;
    size_t *owner = NULL, total = 0;
    int rc = 0;

    if (log == NULL || (b == NULL && nb > 0))
        return lg_error_set(LEDGER_EINVAL, "submit group: missing argument");
    for (size_t k = 0; k < nb; k++) {
        b[k].rc = 0;
        b[k].failed = 0;
        b[k].message[0] = '\0';
        b[k].refusal = LEDGER_REFUSAL_NONE;
        if (b[k].n == 0 || b[k].envs == NULL || b[k].receipts == NULL ||
            b[k].n > SIZE_MAX / 4 - total)
            return lg_error_set(LEDGER_EINVAL, "submit group: batch %zu is empty", k);
        memset(b[k].receipts, 0, b[k].n * sizeof *b[k].receipts);
        total += b[k].n;
    }
    if (nb == 0)
        return 0;
    if (log->signer == NULL)
        return lg_error_set(LEDGER_EINVAL, "submit: the log signing key is not loaded");
    items = lg_calloc(total, sizeof *items);
    rcpts = lg_calloc(total, sizeof *rcpts);
    owner = lg_calloc(total, sizeof *owner);
    if (items == NULL || rcpts == NULL || owner == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    for (;;) {
        size_t n = 0, failed = SIZE_MAX;

        for (size_t k = 0; k < nb; k++) {
            if (b[k].rc != 0)
                continue;
            for (size_t i = 0; i < b[k].n; i++, n++) {
                items[n].rec = b[k].envs[i]->rec;
                items[n].env = b[k].envs[i]->env;
                items[n].whole = b[k].envs[i];
                items[n].unchecked = 0;
                owner[n] = k;
            }
        }
        if (n == 0)
            break; /* every batch refused: nothing to write */
        rc = submit_items(log, items, n, rcpts, &failed);
        if (rc == 0) {
            size_t j = 0;

            for (size_t k = 0; k < nb; k++)
                if (b[k].rc == 0)
                    for (size_t i = 0; i < b[k].n; i++)
                        b[k].receipts[i] = rcpts[j++];
            memset(rcpts, 0, total * sizeof *rcpts);
            break;
        }
        if (failed < n && is_refusal(rc)) {
            size_t k = owner[failed], first = failed;

            while (first > 0 && owner[first - 1] == k)
                first--;
            b[k].rc = rc;
            b[k].failed = failed - first;
            b[k].refusal = ledger_error_last()->refusal;
            snprintf(b[k].message, sizeof b[k].message, "%s", ledger_error_last()->message);
            rc = 0;
            continue;
        }
        /* The store or the process failed: no batch was written. */
        for (size_t k = 0; k < nb; k++)
            if (b[k].rc == 0) {
                b[k].rc = rc;
                snprintf(b[k].message, sizeof b[k].message, "%s", ledger_error_last()->message);
            }
        break;
    }
done:
    lg_free(items);
    lg_free(rcpts);
    lg_free(owner);
    return rc;
}

void
ledger_receipts_dispose(ledger_receipt *r, size_t n)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        ledger_buf_dispose(&r[i].leaf);
        ledger_buf_dispose(&r[i].receipt);
    }
}

int
ledger_receipts_to_json(ledger_buf *out, const ledger_receipt *r, size_t n)
{
    json_t *obj = json_object(), *arr = json_array();
    const char *note = NULL;
    int rc = 0;

    if (obj == NULL || arr == NULL || json_object_set(obj, "entries", arr) != 0) {
        rc = lg_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *e = json_object();

        if (e == NULL || json_array_append_new(arr, e) != 0) {
            rc = lg_error_nomem();
            break;
        }
        if ((rc = lg_json_set_u64(e, "index", r[i].index)) < 0 ||
            json_object_set_new(e, "record_id", json_string(r[i].record_id)) != 0 ||
            (rc = lg_json_set_b64(e, "leaf_hash", r[i].leaf_hash, 32)) < 0 ||
            json_object_set_new(e, "existed", json_boolean(r[i].existed)) != 0 ||
            json_object_set_new(e, "receipt",
                                json_stringn((const char *)r[i].receipt.data, r[i].receipt.len)) !=
                0) {
            rc = rc < 0 ? rc : lg_error_nomem();
            break;
        }
        /* The checkpoint is the note at the end of any receipt. */
        const char *p = strstr((const char *)r[i].receipt.data, "\n\n");
        if (p != NULL)
            note = p + 2;
    }
    if (rc == 0 && note != NULL && json_object_set_new(obj, "checkpoint", json_string(note)) != 0)
        rc = lg_error_nomem();
    if (rc == 0)
        rc = lg_json_dump(out, obj, 1);
done:
    json_decref(arr);
    json_decref(obj);
    return rc;
}
