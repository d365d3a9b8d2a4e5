/*
 * mirror.c - follow a remote log's tlog-tiles into a local ledger
 * (mirror.h).
 *
 * One run: fetch and verify the remote checkpoint (size N, root R) with
 * the trusted key, compare it with what the mirror holds (size S, root H):
 *   N == S: same root, nothing to do; another root is a fork.
 *   N <  S: the remote went back. If the mirror's own tree of size N has
 *           root R the remote is only stale (refused, no report); else a
 *           fork, proved with the mirror's tree (consistency N -> S).
 *   N >  S: read the entry bundles that hold entries S..N-1, check each new
 *           entry as replay.c does for audits (index, time order, genesis,
 *           policy.c's rules and every signature, but against the key
 *           registry in the store, which the mirror's earlier entries
 *           built, so a run costs only the new entries) and append it as
 *           submit.c does (leaf, stored hashes, index rows, digest index),
 *           all in one write transaction. The tree then must have root R:
 *           the remote's checkpoint and its entries agree with the mirror's
 *           prefix. Only then is the remote's signed checkpoint stored and
 *           the transaction committed. If the root differs, the transaction
 *           is aborted and the whole remote tree is read into memory to
 *           tell a fork (its prefix of size S has another root than H:
 *           reported with a consistency proof S -> N from that tree) from a
 *           remote whose entries do not match its own checkpoint.
 * Nothing is written unless the whole run verified. A new mirror's store
 * is created in the same transaction as its first entries (and removed if
 * that fails), with meta "mirror" naming the source; ledger_log_submit
 * refuses a store with that mark.
 */
#include "attrledger/mirror.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/bigendian.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "codec/codec.h"
#include "codec/record.h"
#include "core/ledger_int.h"
#include "crypto/crypto.h"
#include "rules/policy.h"
#include "rules/replay.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"

#define BUNDLE_MAX ((size_t)LG_TILE_WIDTH * (2 + LEDGER_MAX_LEAF))

typedef struct {
    ledger_fetch_fn fetch;
    void *payload;
    const ledger_mirror_options *o;
    ledger_mirror_report *rep;
    ledger_buf remote_note;
    lg_checkpoint remote;
} mirror_run;

/* ---- fetching ---- */

static int
call_fetch(mirror_run *r, const char *path, size_t max, ledger_buf *out)
{
    int rc;

    out->data = NULL;
    out->len = 0;
    ledger_error_clear();
    rc = r->fetch(r->payload, path, max, out);
    if (rc < 0) {
        ledger_buf_dispose(out);
        if (ledger_error_last()->code != rc)
            lg_error_set(rc, "%s: %s", path, ledger_strerror(rc));
    } else if (out->len > max) {
        ledger_buf_dispose(out);
        rc = lg_error_set(LEDGER_EFORMAT, "%s is larger than %zu bytes", path, max);
    }
    return rc;
}

/* Entry bundle n of `width` entries; a missing partial bundle is read from
 * the full one (tlog-tiles lets a server delete it). */
static int
fetch_bundle(mirror_run *r, uint64_t n, unsigned width, ledger_buf *out)
{
    lg_tile t = {LG_TILE_ENTRIES, n, width};
    char path[LG_TILE_PATH_MAX];
    int rc;

    if ((rc = lg_tile_path(path, sizeof path, &t)) < 0)
        return rc;
    rc = call_fetch(r, path, BUNDLE_MAX, out);
    if (rc == LEDGER_ENOTFOUND && width < LG_TILE_WIDTH) {
        t.width = LG_TILE_WIDTH;
        lg_tile_path(path, sizeof path, &t);
        rc = call_fetch(r, path, BUNDLE_MAX, out);
    }
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "%s is missing", path);
    r->rep->bundles += rc == 0;
    return rc;
}

typedef int (*leaf_fn)(void *payload, uint64_t index, const uint8_t *leaf, size_t len);

/* Visit the remote's entries [from, to) in order. */
static int
each_remote_entry(mirror_run *r, uint64_t from, uint64_t to, leaf_fn fn, void *payload)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = 0;

    for (uint64_t n = from / LG_TILE_WIDTH; n * LG_TILE_WIDTH < to && rc == 0; n++) {
        uint64_t first = n * LG_TILE_WIDTH;
        unsigned width = to - first >= LG_TILE_WIDTH ? LG_TILE_WIDTH : (unsigned)(to - first);
        size_t off = 0;

        if ((rc = fetch_bundle(r, n, width, &b)) < 0)
            break;
        for (unsigned i = 0; i < width && rc == 0; i++) {
            size_t len;

            if (b.len - off < 2 ||
                (len = (size_t)b.data[off] << 8 | b.data[off + 1]) > b.len - off - 2) {
                rc = lg_error_set(LEDGER_EFORMAT, "entry bundle %llu: entry %u is cut off",
                                  (unsigned long long)n, i);
                break;
            }
            off += 2;
            if (first + i >= from)
                rc = fn(payload, first + i, b.data + off, len);
            off += len;
        }
        ledger_buf_dispose(&b);
        if (rc == 0 && r->o->progress != NULL)
            r->o->progress(r->o->progress_payload, n * LG_TILE_WIDTH + width - from, to - from);
    }
    ledger_buf_dispose(&b);
    return rc;
}

/* ---- the append ---- */

typedef struct {
    ledger_log *log;
    lg_txn *t;
    lg_policy_state st;
    lg_merkle_range range;
    lg_meta m;
    uint64_t appended;
} appender;

/* replay.c's checks, against the store's registry (the mirror appends to a
 * store that keeps the registry, where lg_replay keeps its own in memory). */
static int
check_entry(appender *a, uint64_t index, const lg_entry *e, const lg_record *rec)
{
    lg_sig_keys keys;
    int rc;

    if ((rc = lg_replay_check_order(index, e, rec, index > 0 ? &a->m.time : NULL, a->log->log_pk,
                                    a->log->origin)) < 0 ||
        (rc = lg_policy_check(&keys, &a->st, rec, e->sigs, e->n_sigs, index)) < 0)
        return rc;
    return lg_replay_verify_signatures(e, &keys);
}

static int
append_leaf(void *payload, uint64_t index, const uint8_t *leaf, size_t len)
{
    appender *a = payload;
    lg_entry *e = NULL;
    lg_record *rec = NULL;
    lg_hash h, fresh[64];
    uint8_t digest[32], key[8];
    uint64_t first, dup;
    int n, rc;

    if ((rc = lg_entry_decode(&e, leaf, len)) < 0)
        return lg_error_prefix(rc, "entry %llu", (unsigned long long)index);
    if ((rc = lg_record_decode(&rec, e->record, e->record_len)) < 0) {
        rc = lg_error_prefix(rc, "entry %llu", (unsigned long long)index);
        goto done;
    }
    lg_sha256(digest, e->record, e->record_len);
    rc = lg_digests_find(&a->log->digests, a->t, digest, &dup);
    if (rc == 0)
        rc = lg_error_set(LEDGER_EPOLICY, "the same record is already entry %llu",
                          (unsigned long long)dup);
    else if (rc == LEDGER_ENOTFOUND)
        rc = check_entry(a, index, e, rec);
    if (rc < 0) {
        if (rc != LEDGER_ENOMEM)
            rc = lg_error_prefix(rc, "entry %llu (%s)", (unsigned long long)index,
                                 lg_record_id(rec));
        goto done;
    }
    lg_u64_be(key, index);
    if ((rc = lg_store_put(a->t, LG_DB_ENTRIES, key, 8, leaf, len, LG_PUT_APPEND)) < 0)
        goto done;
    lg_merkle_leaf_hash(h, leaf, len);
    first = lg_merkle_stored_count(index);
    lg_merkle_range_append(&a->range, h, fresh, &n);
    for (int i = 0; i < n; i++) {
        lg_u64_be(key, first + (uint64_t)i);
        if ((rc = lg_store_put(a->t, LG_DB_HASHES, key, 8, fresh[i], 32, LG_PUT_APPEND)) < 0)
            goto done;
    }
    if ((rc = lg_policy_apply(&a->st, rec, digest, index)) < 0 ||
        (rc = lg_digests_add(&a->log->digests, a->t, digest, index)) < 0)
        goto done;
    a->m.size = index + 1;
    a->m.time = e->integrated_time;
    a->appended++;
done:
    lg_record_free(rec);
    lg_entry_free(e);
    return rc;
}

/* ---- forks ---- */

/* The remote tree in memory: every stored hash, in stored order. */
typedef struct {
    lg_merkle_range range;
    lg_hash *h;
    uint64_t n, cap;
} mem_tree;

static int
mem_add(void *payload, uint64_t index, const uint8_t *leaf, size_t len)
{
    mem_tree *m = payload;
    lg_hash h, fresh[64];
    int n;

    (void)index;
    lg_merkle_leaf_hash(h, leaf, len);
    lg_merkle_range_append(&m->range, h, fresh, &n);
    if (m->n + (uint64_t)n > m->cap) {
        uint64_t ncap = (m->cap + (uint64_t)n) * 2;
        lg_hash *nh = ncap > SIZE_MAX / LG_HASH ? NULL : lg_realloc(m->h, (size_t)ncap * LG_HASH);

        if (nh == NULL)
            return lg_error_nomem();
        m->h = nh;
        m->cap = ncap;
    }
    memcpy(m->h[m->n], fresh, (size_t)n * LG_HASH);
    m->n += (uint64_t)n;
    return 0;
}

static int
mem_reader(void *payload, uint64_t stored_index, lg_hash out)
{
    mem_tree *m = payload;

    if (stored_index >= m->n)
        return lg_error_set(LEDGER_ECORRUPT, "stored hash %llu is missing",
                            (unsigned long long)stored_index);
    memcpy(out, m->h[stored_index], LG_HASH);
    return 0;
}

static int
report_fork(mirror_run *r, const ledger_buf *held, const lg_hash prefix, const lg_hash *proof,
            size_t n)
{
    int rc = ledger_fork_report_format(&r->rep->fork_report, held->data, held->len,
                                       r->remote_note.data, r->remote_note.len, prefix,
                                       (const uint8_t(*)[LEDGER_HASH_SIZE])proof, n);

    if (rc < 0)
        return rc;
    r->rep->fork = 1;
    return lg_error_set(LEDGER_EPROOF,
                        "fork: the mirror holds %s size %llu, the remote signed size %llu with "
                        "a conflicting tree",
                        r->rep->held.origin, (unsigned long long)r->rep->held.size,
                        (unsigned long long)r->remote.size);
}

/* The remote is larger but its tree did not extend the mirror's. */
static int
analyse_remote(mirror_run *r, const ledger_buf *held)
{
    mem_tree m;
    lg_hash root, prefix, proof[LG_PROOF_MAX_HASHES];
    size_t n = 0;
    int rc;

    memset(&m, 0, sizeof m);
    lg_merkle_range_init(&m.range);
    if ((rc = each_remote_entry(r, 0, r->remote.size, mem_add, &m)) < 0)
        goto done;
    lg_merkle_range_root(&m.range, root);
    if (memcmp(root, r->remote.root, LG_HASH) != 0) {
        rc = lg_error_set(LEDGER_EPROOF, "the remote's entries do not hash to its checkpoint's "
                                         "root");
        goto done;
    }
    if ((rc = lg_merkle_root(prefix, r->rep->held.size, mem_reader, &m)) < 0 ||
        (rc = lg_merkle_prove_consistency(proof, &n, r->rep->held.size, r->remote.size, mem_reader,
                                          &m)) < 0)
        goto done;
    if (memcmp(prefix, r->rep->held.root, LG_HASH) == 0) {
        rc = lg_error_set(LEDGER_EPROOF, "the remote changed while it was read; try again");
        goto done;
    }
    rc = report_fork(r, held, prefix, (const lg_hash *)proof, n);
done:
    lg_free(m.h);
    return rc;
}

/* ---- open or create ---- */

static int
open_mirror(ledger_log **out, const char *dir, const ledger_mirror_options *o, int *created)
{
    char path[4096];
    struct stat st;
    ledger_log *log;
    int rc;

    *out = NULL;
    *created = 0;
    if ((rc = lg_fs_join(path, sizeof path, dir, "data.mdb")) < 0)
        return rc;
    if (stat(path, &st) == 0) {
        if ((rc = ledger_log_open(&log, dir, 0)) < 0)
            return rc;
        if (!log->mirror) {
            ledger_log_free(log);
            return lg_error_set(LEDGER_EINVAL, "%s holds a ledger that is not a mirror", dir);
        }
        if (memcmp(log->log_pk, o->log_key->public_key, 32) != 0 ||
            strcmp(log->origin, o->log_key->name) != 0) {
            ledger_log_free(log);
            return lg_error_set(LEDGER_EINVAL, "%s mirrors another log (%s)", dir, log->origin);
        }
        *out = log;
        return 0;
    }
    if ((log = lg_calloc(1, sizeof *log)) == NULL)
        return lg_error_nomem();
    lg_digests_init(&log->digests);
    snprintf(log->origin, sizeof log->origin, "%s", o->log_key->name);
    memcpy(log->log_pk, o->log_key->public_key, 32);
    log->mirror = 1;
    if ((rc = lg_store_open(&log->store, dir, LG_STORE_CREATE)) < 0) {
        ledger_log_free(log);
        return rc;
    }
    *created = 1;
    *out = log;
    return 0;
}

static void
remove_store(const char *dir)
{
    static const char *const files[] = {"data.mdb", "lock.mdb", "writer.lock"};
    char path[4096];

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (lg_fs_join(path, sizeof path, dir, files[i]) == 0)
            unlink(path);
    }
}

static int
write_identity(lg_txn *t, ledger_log *log, const char *source)
{
    lg_meta m;
    int rc;

    memset(&m, 0, sizeof m);
    lg_merkle_empty_root(m.root);
    if ((rc = lg_store_put(t, LG_DB_META, "format", 6, "1", 1, 0)) < 0 ||
        (rc = lg_store_put(t, LG_DB_META, "origin", 6, log->origin, strlen(log->origin), 0)) < 0 ||
        (rc = lg_store_put(t, LG_DB_META, "log_public_key", 14, log->log_pk, 32, 0)) < 0 ||
        (rc = lg_store_put(t, LG_DB_META, "mirror", 6, source, strlen(source), 0)) < 0)
        return rc;
    return lg_meta_put_state(t, &m);
}

/* ---- one run ---- */

/* N > S: append S..N-1 in one transaction, or report why not. */
static int
grow(mirror_run *r, ledger_log *log, int created, const ledger_buf *held)
{
    appender a;
    uint8_t key[8];
    lg_hash root;
    int rc;

    memset(&a, 0, sizeof a);
    a.log = log;
    if ((rc = lg_txn_begin(&a.t, log->store, 1)) < 0)
        return rc;
    if (created && (rc = write_identity(a.t, log, r->o->source ? r->o->source : "")) < 0)
        goto fail;
    if ((rc = lg_meta_state(a.t, &a.m)) < 0 || (rc = lg_digests_begin(&log->digests, a.t)) < 0)
        goto fail;
    if ((rc = lg_merkle_range_load(&a.range, a.m.size, lg_store_hash_reader, a.t)) < 0)
        goto fail;
    lg_store_policy_state(&a.st, a.t);
    if ((rc = each_remote_entry(r, a.m.size, r->remote.size, append_leaf, &a)) < 0)
        goto fail;
    lg_merkle_range_root(&a.range, root);
    if (memcmp(root, r->remote.root, LG_HASH) != 0) {
        lg_digests_end(&log->digests, 0);
        lg_txn_abort(a.t);
        if (created)
            return lg_error_set(LEDGER_EPROOF, "the remote's entries do not hash to its "
                                               "checkpoint's root");
        return analyse_remote(r, held);
    }
    memcpy(a.m.root, root, LG_HASH);
    lg_u64_be(key, r->remote.size);
    if ((rc = lg_digests_maybe_merge(&log->digests, a.t)) < 0 ||
        (rc = lg_meta_put_state(a.t, &a.m)) < 0 ||
        (rc = lg_store_put(a.t, LG_DB_CHECKPOINTS, key, 8, r->remote_note.data, r->remote_note.len,
                           LG_PUT_APPEND)) < 0)
        goto fail;
    rc = lg_txn_commit(a.t);
    lg_digests_end(&log->digests, rc == 0);
    if (rc == 0)
        r->rep->appended = a.appended;
    return rc;
fail:
    lg_digests_end(&log->digests, 0);
    lg_txn_abort(a.t);
    return rc;
}

/* N <= S: the remote is not ahead. */
static int
not_ahead(mirror_run *r, ledger_log *log, const ledger_buf *held)
{
    ledger_consistency_proof p;
    int rc;

    if (r->remote.size == r->rep->held.size) {
        if (memcmp(r->remote.root, r->rep->held.root, LG_HASH) == 0)
            return 0;
        return report_fork(r, held, NULL, NULL, 0);
    }
    if (r->remote.size == 0)
        return lg_error_set(LEDGER_EPROOF,
                            "the remote serves an empty tree; the mirror holds %llu "
                            "entries",
                            (unsigned long long)r->rep->held.size);
    if ((rc = ledger_log_prove_consistency(&p, log, r->remote.size, r->rep->held.size)) < 0)
        return rc;
    if (memcmp(p.old_root, r->remote.root, LG_HASH) == 0)
        return lg_error_set(LEDGER_EPROOF,
                            "rollback: the remote serves size %llu, older than the mirror's %llu "
                            "(a prefix of it: stale or rolled back, not a fork)",
                            (unsigned long long)r->remote.size,
                            (unsigned long long)r->rep->held.size);
    return report_fork(r, held, p.old_root, (const lg_hash *)p.hashes, p.n_hashes);
}

int
ledger_mirror_sync(ledger_mirror_report *out, const char *dir, ledger_fetch_fn fetch, void *payload,
                   const ledger_mirror_options *o)
{
    mirror_run r;
    ledger_log *log = NULL;
    ledger_buf held = LEDGER_BUF_INIT;
    ledger_checkpoint v;
    int created = 0, rc;

    if (out == NULL)
        return lg_error_set(LEDGER_EINVAL, "mirror: missing argument");
    memset(out, 0, sizeof *out);
    if (dir == NULL || fetch == NULL || o == NULL || o->log_key == NULL)
        return lg_error_set(LEDGER_EINVAL, "mirror: missing argument");
    if (o->version != LEDGER_MIRROR_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EVERSION, "mirror: unknown options version %u", o->version);
    if (o->log_key->type != LEDGER_SIGTYPE_ED25519)
        return lg_error_set(LEDGER_EINVAL, "mirror: the log key must be an Ed25519 verifier key");
    memset(&r, 0, sizeof r);
    r.fetch = fetch;
    r.payload = payload;
    r.o = o;
    r.rep = out;

    rc = call_fetch(&r, "checkpoint", LG_NOTE_MAX, &r.remote_note);
    if (rc == LEDGER_ENOTFOUND)
        rc = lg_error_set(LEDGER_ECORRUPT, "the remote has no checkpoint");
    if (rc < 0)
        goto done;
    if ((rc = ledger_checkpoint_verify(&v, r.remote_note.data, r.remote_note.len, o->log_key)) <
        0) {
        rc = lg_error_prefix(rc, "remote checkpoint");
        goto done;
    }
    memcpy(r.remote.origin, v.origin, sizeof r.remote.origin);
    r.remote.size = v.size;
    memcpy(r.remote.root, v.root, LG_HASH);
    out->remote = v;

    if ((rc = open_mirror(&log, dir, o, &created)) < 0)
        goto done;
    out->created = created;
    if (!created) {
        ledger_log_info info;

        if ((rc = ledger_log_info_get(&info, log)) < 0 ||
            (rc = ledger_log_checkpoint(&held, log, 0)) < 0)
            goto done;
        memcpy(out->held.origin, info.origin, sizeof out->held.origin);
        out->held.size = info.size;
        memcpy(out->held.root, info.root, LG_HASH);
    } else {
        memcpy(out->held.origin, log->origin, sizeof out->held.origin);
        lg_merkle_empty_root(out->held.root);
    }
    if (created && r.remote.size == 0)
        rc = lg_error_set(LEDGER_EPROOF, "the remote log is empty: nothing to mirror");
    else if (r.remote.size > out->held.size)
        rc = grow(&r, log, created, &held);
    else
        rc = not_ahead(&r, log, &held);
done:
    ledger_log_free(log);
    if (created && rc < 0)
        remove_store(dir);
    ledger_buf_dispose(&held);
    ledger_buf_dispose(&r.remote_note);
    return rc;
}

int
ledger_mirror_cosign(ledger_buf *line_out, const char *dir, const ledger_key *key,
                     uint64_t timestamp)
{
    ledger_log *log = NULL;
    ledger_buf note = LEDGER_BUF_INIT, line = LEDGER_BUF_INIT;
    ledger_vkey vk;
    lg_note *n = NULL;
    size_t added = 0;
    int rc;

    if (dir == NULL || key == NULL)
        return lg_error_set(LEDGER_EINVAL, "mirror cosign: missing argument");
    if (line_out != NULL) {
        line_out->data = NULL;
        line_out->len = 0;
    }
    if ((rc = ledger_log_open(&log, dir, 0)) < 0)
        return rc;
    if (!log->mirror) {
        rc = lg_error_set(LEDGER_EINVAL, "%s is not a mirror", dir);
        goto done;
    }
    if ((rc = ledger_log_checkpoint(&note, log, 0)) < 0 ||
        (rc = lg_note_parse(&n, note.data, note.len)) < 0 ||
        (rc = lg_note_cosign(&line, n->buf, n->text_len,
                             timestamp ? timestamp : lg_now_ms() / 1000u, key)) < 0)
        goto done;
    ledger_key_vkey(&vk, key, LEDGER_SIGTYPE_COSIGNATURE);
    if ((rc = ledger_log_add_cosignatures(&added, log, 0, line.data, line.len, &vk, 1)) < 0)
        goto done;
    if (line_out != NULL) {
        *line_out = line;
        line = (ledger_buf)LEDGER_BUF_INIT;
    }
done:
    lg_note_free(n);
    ledger_buf_dispose(&line);
    ledger_buf_dispose(&note);
    ledger_log_free(log);
    return rc;
}

void
ledger_mirror_report_dispose(ledger_mirror_report *r)
{
    if (r != NULL)
        ledger_buf_dispose(&r->fork_report);
}
