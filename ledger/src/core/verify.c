/*
 * verify.c - the full audit of a ledger (DESIGN.md section 6).
 *
 * Method: one read transaction (a consistent snapshot) and one pass over
 * the entries in index order. For entry i:
 *   - the key is i (no gaps), the leaf decodes canonically, its index field
 *     is i, its integrated_time does not go backwards;
 *   - the record decodes canonically and passes policy.c against a registry
 *     replayed in memory from genesis (so each entry is judged by the state
 *     at its own time); genesis must carry the trusted log key;
 *   - its signatures verify (queued to sigcheck.c: checked on all cores
 *     while the next entries are read; results are settled in index order,
 *     so the first bad entry is reported whatever the thread count);
 *   - the recomputed Merkle hashes equal the stored ones, and every stored
 *     checkpoint is signed by the log key and names the recomputed root at
 *     its size (all checkpoints are then consistent with each other, being
 *     roots of prefixes of one tree);
 *   - the records index row points back at i; its digest row is folded
 *     into a keyed multiset sum (digest_index.h), compared at the end with
 *     one sequential scan of the stored rows (a mismatch is then located
 *     by a second pass that looks every entry up).
 * At the end: row counts of every table, the meta state, the stored key
 * registry and participant rows equal the replayed ones, and the latest
 * checkpoint is at the tree size. With an outside checkpoint, the ledger
 * must contain a tree of that size with that root (a rollback or fork fails).
 *
 * Memory: the compact range (O(log n)), the registry, PENDING signature
 * checks, and the pages of the store this process has mapped: the audit
 * reads the whole file, so every TRIM_EVERY entries it gives them back once
 * the resident set exceeds TRIM_RESIDENT (lg_store_trim), and peak RSS does
 * not grow with the ledger. The first failure stops the audit and is
 * reported with its entry index and record_id.
 */
#include "attrledger/ledger.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "store/digest_index.h"
#include "base/error.h"
#include "core/ledger_int.h"
#include "core/stored_entry.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "rules/policy.h"
#include "rules/replay.h"
#include "rules/sigcheck.h"
#include "store/store.h"

/* Signature checks queued ahead of the settled ones: enough to keep every
 * core busy between two settlements. */
#define PENDING 512
/* Entries between two lg_store_trim() calls (each maps up to ~110 KB
 * at a million entries: a random index lookup faults in 64 KiB),
 * and the resident set above which mapped pages are given back. */
#define TRIM_EVERY 16
#define TRIM_RESIDENT LG_TRIM_RESIDENT

typedef struct {
    ledger_log *log;
    lg_txn *t;
    const ledger_verify_options *opts;
    ledger_verify_report *report;
    lg_replay *replay;   /* the entries replayed from genesis (rules/replay.c) */
    lg_merkle_range range;
    uint64_t expect;     /* next index */
    uint64_t n_records;
    lg_digest_sum digests;   /* (digest, index) of every replayed record */
    uint64_t marks_expected; /* nonzero superseded_by/retracted_by/curated_by stored */
    uint64_t marks_seen;     /* supersede/retract events replayed */
    uint64_t refs_seen;      /* refs rows replayed */
    uint64_t now;            /* index of the entry being replayed */
    uint64_t next_cp;    /* size of the next stored checkpoint, 0 = none left */
    ledger_buf next_cp_note;
    ledger_checkpoint outside; /* the --checkpoint, when given */
    int have_outside;
    int outside_seen;
    lg_sigcheck *sigs; /* pending signature checks, in index order */
} vstate;

/* ---- stored record index, checked while it is replayed ---- */

static int
stored_row(vstate *v, const char *rid, lg_record_row *out)
{
    return lg_row_record(v->t, rid, out);
}

/* Lookups trust rows of earlier entries: each was checked when its own
 * entry was replayed (and a row forged later is caught at the end by the
 * counts). A row pointing at or past the current entry is damage. */
static int
chk_get_record(void *p, const char *rid, lg_record_row *out)
{
    vstate *v = p;
    int rc = stored_row(v, rid, out);

    if (rc == 0 && out->index >= v->now)
        return LEDGER_ENOTFOUND;
    return rc;
}

static int
chk_load_record(void *p, uint64_t index, lg_record **out, uint8_t digest[32])
{
    return lg_load_record(((vstate *)p)->t, index, out, digest);
}

static int
chk_put_record(void *p, const char *rid, const lg_record_row *row, const uint8_t digest[32])
{
    vstate *v = p;
    lg_record_row s;
    int rc = stored_row(v, rid, &s);

    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "record_id index row is missing");
    if (rc < 0)
        return rc;
    if (s.index != row->index)
        return lg_error_set(LEDGER_ECORRUPT,
                            "record_id index row points to entry %llu (record_id used twice?)",
                            (unsigned long long)s.index);
    if (s.type != row->type || strcmp(s.author, row->author) != 0)
        return lg_error_set(LEDGER_ECORRUPT, "record_id index row has another type or author");
    if ((s.superseded_by != 0 && s.superseded_by <= row->index) ||
        (s.retracted_by != 0 && s.retracted_by <= row->index) ||
        (s.curated_by != 0 && s.curated_by <= row->index))
        return lg_error_set(LEDGER_ECORRUPT, "record_id index row has an impossible status");
    v->marks_expected += (s.superseded_by != 0) + (s.retracted_by != 0) + (s.curated_by != 0);
    lg_digest_sum_add(&v->digests, digest, row->index);
    v->n_records++;
    return 0;
}

static int
chk_mark_record(void *p, const char *rid, int which, uint64_t by)
{
    vstate *v = p;
    lg_record_row s;
    int rc = stored_row(v, rid, &s);

    if (rc < 0)
        return rc == LEDGER_ENOTFOUND ? lg_error_set(LEDGER_ECORRUPT, "%s has no index row", rid)
                                      : rc;
    if ((which == LG_MARK_SUPERSEDED  ? s.superseded_by
         : which == LG_MARK_RETRACTED ? s.retracted_by
                                      : s.curated_by) != by)
        return lg_error_set(LEDGER_ECORRUPT, "index row of %.100s does not record it as %s here",
                            rid,
                            which == LG_MARK_SUPERSEDED  ? "superseded"
                            : which == LG_MARK_RETRACTED ? "retracted"
                                                         : "curated");
    v->marks_seen++;
    return 0;
}

static int
chk_add_ref(void *p, uint64_t target, uint64_t from)
{
    vstate *v = p;
    uint8_t k[8], val[8];
    int rc;

    lg_u64_be(k, target);
    lg_u64_be(val, from);
    rc = lg_store_has_dup(v->t, LG_DB_REFS, k, 8, val, 8);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return lg_error_set(LEDGER_ECORRUPT, "refs index row %llu -> %llu is missing",
                            (unsigned long long)target, (unsigned long long)from);
    v->refs_seen++;
    return 0;
}

/* ---- signature checks ---- */

/* Settle the oldest pending job: count its signatures and report a bad one
 * (unless rc already holds an earlier failure). Returns the first failure. */
static int
settle_one(vstate *v, int rc)
{
    lg_sigjob *j = lg_sigcheck_wait(v->sigs, 1);

    v->report->signatures += j->n_sigs;
    for (size_t k = 0; k < j->n_sigs && rc == 0; k++) {
        int verdict = j->verdict[k];

        if (verdict == LEDGER_EBADSIG) {
            v->report->bad_index_valid = 1;
            v->report->bad_index = j->tag;
            rc = lg_error_set(LEDGER_ECORRUPT, "entry %llu (%s): signature %d does not verify",
                              (unsigned long long)j->tag, j->record_id, (int)k);
        } else if (verdict != 0 && verdict != LG_SIG_UNCHECKED) {
            /* out of memory: not a verdict on the entry */
            rc = verdict == LEDGER_ENOMEM ? lg_error_nomem()
                                          : lg_error_set(verdict, "signature check failed");
        }
    }
    lg_sigcheck_pop(v->sigs);
    return rc;
}

/* Check every pending signature; report the lowest bad entry. */
static int
flush_batch(vstate *v)
{
    int rc = 0;

    while (lg_sigcheck_count(v->sigs) > 0)
        rc = settle_one(v, rc);
    return rc;
}

/* Report damage at entry i, but first settle pending signatures: an earlier
 * bad signature is the first failure. */
static int
fail_at(vstate *v, uint64_t index, int code)
{
    char msg[sizeof ledger_error_last()->message];
    int rc;

    memcpy(msg, ledger_error_last()->message, sizeof msg);
    if ((rc = flush_batch(v)) < 0)
        return rc;
    v->report->bad_index_valid = 1;
    v->report->bad_index = index;
    if (code == LEDGER_ENOMEM || code == LEDGER_EIO)
        return lg_error_set(code, "%s", msg);
    return lg_error_set(LEDGER_ECORRUPT, "%s", msg);
}

/* ---- checkpoints ---- */

static int
load_next_checkpoint(vstate *v, uint64_t after)
{
    ledger_buf key = LEDGER_BUF_INIT;
    uint8_t k[8];
    int rc;

    ledger_buf_dispose(&v->next_cp_note);
    v->next_cp = 0;
    lg_u64_be(k, after + 1);
    rc = lg_store_seek(v->t, LG_DB_CHECKPOINTS, k, 8, &key, &v->next_cp_note);
    if (rc == LEDGER_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    if (key.len != 8) {
        ledger_buf_dispose(&key);
        return lg_error_set(LEDGER_ECORRUPT, "checkpoints table has a malformed key");
    }
    v->next_cp = lg_be_u64(key.data);
    ledger_buf_dispose(&key);
    return 0;
}

static int
check_checkpoint(vstate *v, uint64_t size, const lg_hash root)
{
    ledger_checkpoint cp;
    int rc;

    rc = ledger_checkpoint_verify(&cp, v->next_cp_note.data, v->next_cp_note.len,
                                  v->opts->log_key);
    if (rc == LEDGER_ENOMEM)
        return rc;
    if (rc < 0)
        return lg_error_prefix(LEDGER_ECORRUPT, "stored checkpoint %llu",
                               (unsigned long long)size);
    if (cp.size != size)
        return lg_error_set(LEDGER_ECORRUPT, "stored checkpoint %llu names size %llu",
                            (unsigned long long)size, (unsigned long long)cp.size);
    if (memcmp(cp.root, root, 32) != 0)
        return lg_error_set(LEDGER_ECORRUPT,
                            "stored checkpoint %llu: root does not match the entries "
                            "(signed history was changed)",
                            (unsigned long long)size);
    v->report->checkpoints++;
    return load_next_checkpoint(v, size);
}

/* ---- per entry ---- */

static int
check_hashes(vstate *v, uint64_t index, const uint8_t *leaf, size_t len)
{
    lg_hash leaf_hash, fresh[64], stored;
    uint64_t first = lg_merkle_stored_count(index);
    int n, rc;

    lg_merkle_leaf_hash(leaf_hash, leaf, len);
    lg_merkle_range_append(&v->range, leaf_hash, fresh, &n);
    for (int k = 0; k < n; k++) {
        if ((rc = lg_store_hash_reader(v->t, first + (uint64_t)k, stored)) < 0)
            return rc;
        if (memcmp(stored, fresh[k], 32) != 0)
            return lg_error_set(LEDGER_ECORRUPT, "stored hash %llu does not match the entries",
                                (unsigned long long)(first + (uint64_t)k));
    }
    return 0;
}

static int
check_entry(vstate *v, uint64_t index, const uint8_t *leaf, size_t len, char *rid_out)
{
    lg_entry *e = NULL;
    lg_record *r = NULL;
    lg_sig_keys keys;
    int rc;

    if ((rc = lg_entry_decode(&e, leaf, len)) < 0)
        goto done;
    if ((rc = lg_record_decode(&r, e->record, e->record_len)) < 0)
        goto done;
    snprintf(rid_out, LEDGER_ID_MAX + 1, "%s", lg_record_id(r));
    v->now = index;
    if ((rc = lg_replay_check(&keys, v->replay, index, e, r)) < 0)
        goto done;
    if ((rc = check_hashes(v, index, leaf, len)) < 0)
        goto done;

    /* Queue the signatures; the record bytes move into the job. visit_entry
     * made room for it. */
    lg_sigjob *j = lg_sigcheck_slot(v->sigs);
    j->tag = index;
    snprintf(j->record_id, sizeof j->record_id, "%s", lg_record_id(r));
    j->record = e->record;
    j->owned = e->record;
    j->record_len = e->record_len;
    e->record = NULL;
    j->n_sigs = e->n_sigs;
    memcpy(j->sigs, e->sigs, e->n_sigs * sizeof e->sigs[0]);
    memcpy(j->pk, keys.pk, e->n_sigs * sizeof keys.pk[0]);
    j->check_mask = e->n_sigs >= 32 ? 0xffffffffu : (1u << e->n_sigs) - 1;
    lg_sigcheck_push(v->sigs);
done:
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

static int
visit_entry(void *p, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    vstate *v = p;
    char rid[LEDGER_ID_MAX + 1] = "?";
    uint64_t index;
    lg_hash root;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index != v->expect) {
        lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing (next stored entry is %llu)",
                     (unsigned long long)v->expect, (unsigned long long)index);
        return fail_at(v, v->expect, LEDGER_ECORRUPT);
    }
    /* Room for this entry's signatures: settle the oldest pending entry
     * first. A failure there is that entry's, reported as it stands. */
    if (lg_sigcheck_count(v->sigs) == PENDING && (rc = settle_one(v, 0)) < 0)
        return rc;
    if ((rc = check_entry(v, index, leaf, len, rid)) < 0) {
        if (rc == LEDGER_ENOMEM)
            return rc;
        lg_error_prefix(rc, "entry %llu (%s)", (unsigned long long)index, rid);
        return fail_at(v, index, rc);
    }
    v->expect++;
    v->report->entries++;
    lg_progress_at(&v->log->progress, v->expect);
    if (v->expect % TRIM_EVERY == 0)
        lg_store_trim(v->log->store, TRIM_RESIDENT);
    /* The root costs log2(size) node hashes: only where it is compared. */
    if (v->next_cp == v->expect || (v->have_outside && v->outside.size == v->expect))
        lg_merkle_range_root(&v->range, root);
    if (v->next_cp == v->expect) {
        if ((rc = check_checkpoint(v, v->expect, root)) < 0)
            return fail_at(v, index, rc);
    }
    if (v->have_outside && v->outside.size == v->expect) {
        v->outside_seen = 1;
        if (memcmp(v->outside.root, root, 32) != 0) {
            lg_error_set(LEDGER_ECORRUPT,
                         "the ledger's tree of size %llu has another root than the given "
                         "checkpoint: the ledger was forked or rewritten",
                         (unsigned long long)v->expect);
            return fail_at(v, index, LEDGER_ECORRUPT);
        }
    }
    return 0;
}

/* ---- final cross-checks ---- */

static int
compare_key_row(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    vstate *v = p;
    lg_key_row stored, mem;
    int rc;

    if (klen != 32)
        return lg_error_set(LEDGER_ECORRUPT, "keys table has a malformed key");
    if ((rc = lg_key_row_decode(&stored, val, vlen)) < 0)
        return rc;
    rc = lg_replay_key(v->replay, key, &mem);
    if (rc < 0 || memcmp(mem.public_key, stored.public_key, 32) != 0 ||
        strcmp(mem.participant_id, stored.participant_id) != 0 ||
        mem.added_at != stored.added_at || mem.revoked_at != stored.revoked_at)
        return lg_error_set(LEDGER_ECORRUPT,
                            "keys table row for %s does not match the entries (key registry "
                            "was edited)",
                            stored.participant_id);
    return 0;
}

static int
compare_participant_row(void *p, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen)
{
    vstate *v = p;
    lg_participant_row stored, mem;
    int rc;

    if ((rc = lg_participant_row_decode(&stored, val, vlen)) < 0)
        return rc;
    rc = lg_replay_participant(v->replay, (const char *)key, klen, &mem);
    if (rc < 0 || mem.latest_index != stored.latest_index || mem.roles != stored.roles)
        return lg_error_set(LEDGER_ECORRUPT,
                            "participants table row %.*s does not match the entries",
                            (int)(klen > 100 ? 100 : klen), (const char *)key);
    return 0;
}

static int
expect_count(vstate *v, lg_db db, uint64_t want)
{
    uint64_t n;
    int rc = lg_store_count(&n, v->t, db);

    if (rc < 0)
        return rc;
    if (n != want)
        return lg_error_set(LEDGER_ECORRUPT, "%s table has %llu rows, the entries imply %llu",
                            lg_db_name(db), (unsigned long long)n, (unsigned long long)want);
    return 0;
}

/* The second pass after a digest-index mismatch: the first entry whose
 * row is missing or wrong. */
static int
locate_digest_row(void *p, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    vstate *v = p;
    uint64_t index = lg_be_u64(key), at = 0;
    lg_entry *e = NULL;
    lg_record *r = NULL;
    uint8_t digest[32];
    int rc;

    (void)klen;
    if ((rc = lg_stored_entry_decode(&e, &r, NULL, index, leaf, len)) < 0)
        goto done;
    lg_sha256(digest, e->record, e->record_len);
    rc = lg_digests_lookup(v->t, digest, index, &at);
    if (rc == LEDGER_ENOTFOUND)
        rc = lg_error_set(LEDGER_ECORRUPT, "record digest index row is missing");
    else if (rc == 0 && at != index)
        rc = lg_error_set(LEDGER_ECORRUPT, "record digest index row points to entry %llu",
                          (unsigned long long)at);
    if (rc < 0 && rc != LEDGER_ENOMEM) {
        lg_error_prefix(rc, "entry %llu (%s)", (unsigned long long)index, lg_record_id(r));
        v->report->bad_index_valid = 1;
        v->report->bad_index = index;
    }
    if (index % TRIM_EVERY == 0)
        lg_store_trim(v->log->store, TRIM_RESIDENT);
done:
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

static int
check_digests(vstate *v)
{
    lg_digest_sum stored;
    int rc;

    lg_digest_sum_init(&stored, v->digests.key);
    if ((rc = lg_digests_sum_stored(&stored, v->t)) < 0)
        return rc;
    if (lg_digest_sum_equal(&stored, &v->digests))
        return 0;
    if ((rc = lg_store_scan(v->t, LG_DB_ENTRIES, NULL, 0, 0, locate_digest_row, v)) < 0)
        return rc;
    if (stored.n != v->digests.n)
        return lg_error_set(LEDGER_ECORRUPT,
                            "digests index has %llu rows, the entries imply %llu",
                            (unsigned long long)stored.n, (unsigned long long)v->digests.n);
    return lg_error_set(LEDGER_ECORRUPT, "digests index has a row that matches no entry");
}

static int
final_checks(vstate *v)
{
    lg_meta m;
    lg_hash root;
    ledger_buf last = LEDGER_BUF_INIT;
    int rc;

    if ((rc = lg_meta_state(v->t, &m)) < 0)
        return rc;
    if (v->expect == 0)
        return lg_error_set(LEDGER_ECORRUPT, "ledger has no entries (genesis is missing)");
    lg_merkle_range_root(&v->range, root);
    memcpy(v->report->root, root, 32);
    if (m.size != v->expect)
        return lg_error_set(LEDGER_ECORRUPT,
                            "ledger metadata says %llu entries, the entries table has %llu",
                            (unsigned long long)m.size, (unsigned long long)v->expect);
    if (memcmp(m.root, root, 32) != 0)
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata root does not match the entries");
    if (m.time != lg_replay_last_time(v->replay))
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata time does not match the last entry");
    if (v->next_cp != 0)
        return lg_error_set(LEDGER_ECORRUPT, "stored checkpoint %llu is beyond the tree size %llu",
                            (unsigned long long)v->next_cp, (unsigned long long)v->expect);
    rc = lg_store_last(v->t, LG_DB_CHECKPOINTS, &last, NULL);
    if (rc == LEDGER_ENOTFOUND || (rc == 0 && (last.len != 8 || lg_be_u64(last.data) != m.size))) {
        ledger_buf_dispose(&last);
        return lg_error_set(LEDGER_ECORRUPT, "no stored checkpoint at the tree size %llu",
                            (unsigned long long)m.size);
    }
    ledger_buf_dispose(&last);
    if (rc < 0)
        return rc;
    if ((rc = expect_count(v, LG_DB_HASHES, lg_merkle_stored_count(m.size))) < 0 ||
        (rc = expect_count(v, LG_DB_RECORDS, v->n_records)) < 0 ||
        (rc = check_digests(v)) < 0 ||
        (rc = expect_count(v, LG_DB_KEYS, lg_replay_key_count(v->replay))) < 0 ||
        (rc = expect_count(v, LG_DB_PARTICIPANTS, lg_replay_participant_count(v->replay))) < 0 ||
        (rc = expect_count(v, LG_DB_REFS, v->refs_seen)) < 0)
        return rc;
    if (v->marks_expected != v->marks_seen)
        return lg_error_set(LEDGER_ECORRUPT,
                            "records table marks %llu records superseded or retracted, the "
                            "entries %llu",
                            (unsigned long long)v->marks_expected,
                            (unsigned long long)v->marks_seen);
    if ((rc = lg_store_scan(v->t, LG_DB_KEYS, NULL, 0, 0, compare_key_row, v)) < 0 ||
        (rc = lg_store_scan(v->t, LG_DB_PARTICIPANTS, NULL, 0, 0, compare_participant_row, v)) <
            0)
        return rc;
    if (v->have_outside && !v->outside_seen) {
        if (v->outside.size > m.size)
            return lg_error_set(LEDGER_ECORRUPT,
                                "the given checkpoint is for %llu entries but the ledger has "
                                "only %llu: the ledger was rolled back",
                                (unsigned long long)v->outside.size, (unsigned long long)m.size);
        if (v->outside.size == 0) {
            lg_hash empty;
            lg_merkle_empty_root(empty);
            if (memcmp(empty, v->outside.root, 32) != 0)
                return lg_error_set(LEDGER_ECORRUPT, "the given checkpoint of size 0 has a "
                                    "non-empty root");
        }
    }
    return 0;
}

int
ledger_log_verify(ledger_verify_report *report, ledger_log *log,
                  const ledger_verify_options *opts)
{
    vstate v;
    /* The replay's record index is the store's, each effect checked. */
    lg_replay_records stored_records = {chk_get_record, chk_load_record, chk_put_record,
                                        chk_mark_record, chk_add_ref, &v};
    int rc;

    if (report == NULL || log == NULL || opts == NULL || opts->log_key == NULL)
        return lg_error_set(LEDGER_EINVAL, "verify: missing argument");
    memset(report, 0, sizeof *report);
    memset(&v, 0, sizeof v);
    if (opts->log_key->type != LEDGER_SIGTYPE_ED25519 ||
        strcmp(opts->log_key->name, log->origin) != 0)
        return lg_error_set(LEDGER_EBADSIG, "trusted key %s is not a log key for origin %s",
                            opts->log_key->name, log->origin);
    if (memcmp(opts->log_key->public_key, log->log_pk, 32) != 0)
        return lg_error_set(LEDGER_ECORRUPT,
                            "the ledger's log key does not match the trusted log key");
    v.log = log;
    v.opts = opts;
    v.report = report;
    lg_random(v.digests.key, sizeof v.digests.key);
    lg_merkle_range_init(&v.range);
    if ((rc = lg_replay_new(&v.replay, opts->log_key, &stored_records)) < 0)
        goto done;
    if ((rc = lg_sigcheck_new(&v.sigs, PENDING,
                              opts->threads ? opts->threads : lg_sigcheck_default_threads())) < 0)
        goto done;
    if (opts->checkpoint != NULL) {
        rc = ledger_checkpoint_verify(&v.outside, opts->checkpoint, opts->checkpoint_len,
                                      opts->log_key);
        if (rc < 0) {
            rc = lg_error_prefix(rc, "given checkpoint");
            goto done;
        }
        v.have_outside = 1;
    }
    if ((rc = lg_txn_begin(&v.t, log->store, 0)) < 0)
        goto done;
    if ((rc = load_next_checkpoint(&v, 0)) < 0)
        goto done;
    if (log->progress.fn != NULL) {
        /* The size to report against; damage to it is reported by the
         * final checks, as without progress. */
        lg_meta m;
        if ((rc = lg_meta_state(v.t, &m)) == LEDGER_ENOMEM)
            goto done;
        log->progress.total = rc == 0 ? m.size : 0;
        log->progress.passes = 1;
        log->progress.pass = 0;
    }
    rc = lg_store_scan(v.t, LG_DB_ENTRIES, NULL, 0, 0, visit_entry, &v);
    if (rc < 0)
        goto done;
    if ((rc = flush_batch(&v)) < 0)
        goto done;
    rc = final_checks(&v);
    if (rc == 0)
        lg_progress_end(&log->progress);
    if (rc < 0 && rc != LEDGER_ENOMEM && rc != LEDGER_EIO)
        rc = LEDGER_ECORRUPT == ledger_error_last()->code ? rc : lg_error_prefix(LEDGER_ECORRUPT, "ledger");
done:
    lg_sigcheck_free(v.sigs);
    ledger_buf_dispose(&v.next_cp_note);
    lg_txn_abort(v.t);
    lg_replay_free(v.replay);
    return rc;
}
