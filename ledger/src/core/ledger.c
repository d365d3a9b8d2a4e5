/*
 * ledger.c - the facade: create, open, read and prove.
 *
 * Holds ledger_init and ledger_buf, the ledger handle's life cycle (create
 * writes the identity and an empty tree, then appends the genesis record
 * through ledger_log_submit; open reads the identity back and checks the
 * store format), the `meta` table (committed size, root and time), and the
 * read-only calls: info, checkpoints, entries, record_id lookup, scans, and
 * inclusion and consistency proofs (RFC 6962 §2.1), each in one read
 * transaction. Appending lives in submit.c; the index rows and the
 * store-backed policy state in ledger_rows.c.
 */
#include "attrledger/ledger.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "codec/record.h"
#include "core/ledger_int.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "tlog/merkle.h"

#define LG_STORE_FORMAT "1"

int
ledger_init(void)
{
    int rc = lg_crypto_init();

    if (rc == 0)
        lg_json_init();
    return rc;
}

void
ledger_versions_get(ledger_versions *out)
{
    memset(out, 0, sizeof *out);
    out->library = LEDGER_VERSION_STRING;
    out->entry_format = LG_ENTRY_FORMAT;
    out->trail_format = LEDGER_AUDIT_TRAIL_VERSION;
    out->libsodium = lg_crypto_version();
    out->lmdb = lg_store_lmdb_version();
    out->protobuf_c = lg_codec_protobuf_version();
    out->jansson = lg_json_version();
}

/* ---- open / create ---- */

static int
load_identity(ledger_log *log, lg_txn *t)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc;

    if ((rc = lg_meta_get(t, "format", &b)) < 0)
        return rc;
    if (b.len != strlen(LG_STORE_FORMAT) || memcmp(b.data, LG_STORE_FORMAT, b.len) != 0) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_EVERSION, "ledger store format is not %s", LG_STORE_FORMAT);
    }
    ledger_buf_dispose(&b);
    if ((rc = lg_meta_get(t, "origin", &b)) < 0)
        return rc;
    if (b.len == 0 || b.len > LEDGER_NAME_MAX) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"origin\" is malformed");
    }
    memcpy(log->origin, b.data, b.len);
    log->origin[b.len] = '\0';
    ledger_buf_dispose(&b);
    if ((rc = lg_meta_get(t, "log_public_key", &b)) < 0)
        return rc;
    if (b.len != 32) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"log_public_key\" is malformed");
    }
    memcpy(log->log_pk, b.data, 32);
    ledger_buf_dispose(&b);
    /* A mirror (mirror.c) is marked; only mirror runs append to it. */
    rc = lg_store_get(t, LG_DB_META, "mirror", 6, &b);
    ledger_buf_dispose(&b);
    if (rc == LEDGER_ENOTFOUND) {
        ledger_error_clear();
        return 0;
    }
    log->mirror = rc == 0;
    return rc;
}

int
ledger_log_open(ledger_log **out, const char *dir, unsigned flags)
{
    ledger_log *log;
    lg_txn *t = NULL;
    int rc;

    if (out == NULL || dir == NULL)
        return lg_error_set(LEDGER_EINVAL, "open: missing argument");
    *out = NULL;
    log = lg_calloc(1, sizeof *log);
    if (log == NULL)
        return lg_error_nomem();
    lg_digests_init(&log->digests);
    if ((rc = lg_store_open(&log->store, dir,
                            (flags & LEDGER_OPEN_READONLY) ? LG_STORE_RDONLY : 0)) < 0)
        goto fail;
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        goto fail;
    rc = load_identity(log, t);
    lg_txn_abort(t);
    if (rc < 0)
        goto fail;
    *out = log;
    return 0;
fail:
    ledger_log_free(log);
    return rc;
}

void
ledger_log_free(ledger_log *log)
{
    if (log == NULL)
        return;
    lg_store_close(log->store);
    lg_digests_free(&log->digests);
    lg_free(log);
}

int
ledger_log_set_signer(ledger_log *log, const ledger_key *key)
{
    uint8_t pk[32];

    ledger_key_public(pk, key);
    if (memcmp(pk, log->log_pk, 32) != 0)
        return lg_error_set(LEDGER_EBADSIG, "key %s is not the log key of this ledger",
                            ledger_key_name(key));
    if (strcmp(ledger_key_name(key), log->origin) != 0)
        return lg_error_set(LEDGER_EBADSIG, "log key name %s does not match origin %s",
                            ledger_key_name(key), log->origin);
    log->signer = key;
    return 0;
}

void
ledger_log_set_progress(ledger_log *log, ledger_progress_fn fn, void *payload)
{
    if (log == NULL)
        return;
    log->progress.fn = fn;
    log->progress.payload = payload;
}

int
ledger_log_create(ledger_log **out, const char *dir, const ledger_init_options *opts)
{
    ledger_log *log = NULL;
    lg_admin_spec admins[LG_MAX_SIGS];
    ledger_buf genesis = LEDGER_BUF_INIT;
    lg_envelope *env = NULL;
    ledger_envelope *wrapped = NULL;
    ledger_receipt rcpt;
    lg_txn *t = NULL;
    lg_meta m;
    char path[4096];
    struct stat st;
    uint8_t pk[32];
    int rc;

    if (out == NULL || dir == NULL || opts == NULL || opts->log_key == NULL || opts->origin == NULL)
        return lg_error_set(LEDGER_EINVAL, "create: missing argument");
    *out = NULL;
    if (opts->version != LEDGER_INIT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "create: unknown options version %u", opts->version);
    if (!lg_key_name_valid(opts->origin, strlen(opts->origin)))
        return lg_error_set(LEDGER_EINVAL,
                            "origin \"%.64s\" must be 1-255 bytes without spaces or '+'",
                            opts->origin);
    if (strcmp(opts->origin, ledger_key_name(opts->log_key)) != 0)
        return lg_error_set(LEDGER_EINVAL, "log key name %s must equal the origin %s",
                            ledger_key_name(opts->log_key), opts->origin);
    if (opts->n_admins > LG_MAX_SIGS)
        return lg_error_set(LEDGER_EINVAL, "%zu admins, max %d", opts->n_admins, LG_MAX_SIGS);
    if ((rc = lg_fs_join(path, sizeof path, dir, "writer.lock")) < 0 ||
        (rc = lg_fs_join(path, sizeof path, dir, "data.mdb")) < 0)
        return rc;
    if (stat(path, &st) == 0)
        return lg_error_set(LEDGER_EEXISTS, "%s already holds a ledger", dir);
    for (size_t i = 0; i < opts->n_admins; i++) {
        if (opts->admins[i].type != LEDGER_SIGTYPE_ED25519)
            return lg_error_set(LEDGER_EINVAL, "admin key %s is not an Ed25519 key",
                                opts->admins[i].name);
        admins[i].id = opts->admins[i].name;
        admins[i].public_key = opts->admins[i].public_key;
    }
    ledger_key_public(pk, opts->log_key);

    log = lg_calloc(1, sizeof *log);
    if (log == NULL)
        return lg_error_nomem();
    lg_digests_init(&log->digests);
    snprintf(log->origin, sizeof log->origin, "%s", opts->origin);
    memcpy(log->log_pk, pk, 32);
    log->signer = opts->log_key;
    if ((rc = lg_store_open(&log->store, dir, LG_STORE_CREATE)) < 0)
        goto done;
    /* Identity and an empty tree, then the genesis entry as a batch of one. */
    if ((rc = lg_txn_begin(&t, log->store, 1)) < 0)
        goto done;
    memset(&m, 0, sizeof m);
    lg_merkle_empty_root(m.root);
    if ((rc = lg_meta_put(t, "format", LG_STORE_FORMAT, strlen(LG_STORE_FORMAT))) < 0 ||
        (rc = lg_meta_put(t, "origin", log->origin, strlen(log->origin))) < 0 ||
        (rc = lg_meta_put(t, "log_public_key", pk, 32)) < 0 || (rc = lg_meta_put_state(t, &m)) < 0)
        goto done;
    rc = lg_txn_commit(t);
    t = NULL;
    if (rc < 0)
        goto done;

    if ((rc = lg_genesis_encode(&genesis, log->origin, pk, admins, opts->n_admins, opts->panel_size,
                                opts->approvals_required, (int64_t)(lg_now_ms() / 1000))) < 0)
        goto done;
    env = lg_calloc(1, sizeof *env);
    if (env == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    env->record = genesis.data;
    env->record_len = genesis.len;
    genesis.data = NULL;
    if ((rc = lg_record_sign(env->sigs[0].sig, env->record, env->record_len, opts->log_key)) < 0)
        goto done;
    ledger_key_id(env->sigs[0].key_id, opts->log_key);
    env->n_sigs = 1;
    rc = lg_envelope_wrap(&wrapped, env);
    env = NULL;
    if (rc < 0)
        goto done;
    if ((rc = ledger_log_submit(&rcpt, log, &wrapped, 1)) < 0)
        goto done;
    ledger_receipts_dispose(&rcpt, 1);
    *out = log;
    log = NULL;
done:
    lg_txn_abort(t);
    ledger_envelope_free(wrapped);
    lg_envelope_free(env);
    ledger_buf_dispose(&genesis);
    ledger_log_free(log);
    return rc;
}

/* ---- reads ---- */

int
ledger_log_info_get(ledger_log_info *out, ledger_log *log)
{
    lg_txn *t = NULL;
    lg_meta m;
    int rc;

    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    rc = lg_meta_state(t, &m);
    lg_txn_abort(t);
    if (rc < 0)
        return rc;
    memset(out, 0, sizeof *out);
    memcpy(out->origin, log->origin, sizeof out->origin);
    out->size = m.size;
    memcpy(out->root, m.root, 32);
    memcpy(out->log_public_key, log->log_pk, 32);
    out->mirror = log->mirror;
    return 0;
}

int
ledger_log_checkpoint(ledger_buf *out, ledger_log *log, uint64_t size)
{
    lg_txn *t = NULL;
    uint8_t key[8];
    int rc;

    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    if (size == 0) {
        rc = lg_latest_checkpoint(t, out);
    } else {
        lg_u64_be(key, size);
        rc = lg_store_get(t, LG_DB_CHECKPOINTS, key, 8, out);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                              (unsigned long long)size);
    }
    lg_txn_abort(t);
    return rc;
}

int
ledger_log_entry(ledger_buf *out, ledger_log *log, uint64_t index)
{
    lg_txn *t = NULL;
    uint8_t key[8];
    int rc;

    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    lg_u64_be(key, index);
    rc = lg_store_get(t, LG_DB_ENTRIES, key, 8, out);
    lg_txn_abort(t);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ENOTFOUND, "no entry %llu", (unsigned long long)index);
    return rc;
}

int
ledger_log_lookup(uint64_t *index_out, ledger_log *log, const char *record_id)
{
    lg_txn *t = NULL;
    int rc;

    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    {
        lg_record_row row;
        rc = lg_row_record(t, record_id, &row);
        if (rc == 0)
            *index_out = row.index;
    }
    lg_txn_abort(t);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ENOTFOUND, "no record with record_id %.100s", record_id);
    return rc;
}

typedef struct {
    ledger_entry_fn fn;
    void *payload;
} scan_ctx;

static int
scan_entry(void *p, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    scan_ctx *c = p;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    return c->fn(c->payload, lg_be_u64(key), val, vlen);
}

int
ledger_log_scan(ledger_log *log, uint64_t start, ledger_entry_fn fn, void *payload)
{
    lg_txn *t = NULL;
    scan_ctx c = {fn, payload};
    uint8_t key[8];
    int rc;

    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    lg_u64_be(key, start);
    rc = lg_store_scan(t, LG_DB_ENTRIES, key, 8, 0, scan_entry, &c);
    lg_txn_abort(t);
    return rc;
}

/* ---- proofs ---- */

int
ledger_log_prove_inclusion(ledger_inclusion_proof *out, ledger_log *log, uint64_t index,
                           uint64_t size)
{
    lg_txn *t = NULL;
    lg_meta m;
    ledger_buf leaf = LEDGER_BUF_INIT;
    uint8_t key[8];
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(t, &m)) < 0)
        goto done;
    if (size == 0)
        size = m.size;
    if (size > m.size || index >= size) {
        rc = lg_error_set(LEDGER_EINVAL, "no entry %llu in a tree of size %llu (ledger has %llu)",
                          (unsigned long long)index, (unsigned long long)size,
                          (unsigned long long)m.size);
        goto done;
    }
    lg_u64_be(key, index);
    if ((rc = lg_store_get(t, LG_DB_ENTRIES, key, 8, &leaf)) < 0) {
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing", (unsigned long long)index);
        goto done;
    }
    lg_merkle_leaf_hash(out->leaf_hash, leaf.data, leaf.len);
    out->leaf_index = index;
    out->tree_size = size;
    if ((rc = lg_merkle_root(out->root, size, lg_store_hash_reader, t)) < 0)
        goto done;
    rc = lg_merkle_prove_inclusion(out->hashes, &out->n_hashes, index, size, lg_store_hash_reader,
                                   t);
done:
    ledger_buf_dispose(&leaf);
    lg_txn_abort(t);
    return rc;
}

int
ledger_log_prove_consistency(ledger_consistency_proof *out, ledger_log *log, uint64_t old_size,
                             uint64_t new_size)
{
    lg_txn *t = NULL;
    lg_meta m;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(t, &m)) < 0)
        goto done;
    if (new_size == 0)
        new_size = m.size;
    if (new_size > m.size || old_size > new_size) {
        rc = lg_error_set(
            LEDGER_EINVAL, "cannot prove %llu -> %llu: sizes must satisfy old <= new <= %llu",
            (unsigned long long)old_size, (unsigned long long)new_size, (unsigned long long)m.size);
        goto done;
    }
    out->old_size = old_size;
    out->new_size = new_size;
    if ((rc = lg_merkle_root(out->old_root, old_size, lg_store_hash_reader, t)) < 0 ||
        (rc = lg_merkle_root(out->new_root, new_size, lg_store_hash_reader, t)) < 0)
        goto done;
    rc = lg_merkle_prove_consistency(out->hashes, &out->n_hashes, old_size, new_size,
                                     lg_store_hash_reader, t);
done:
    lg_txn_abort(t);
    return rc;
}
