/*
 * ledger_rows.c - the store's index rows as typed values, and the
 * lg_policy_state that policy.c runs against the store.
 *
 * keys (key ID -> key row), participants (id -> participant row) and
 * records (record_id -> record row) are encoded by codec.c; refs maps a
 * target entry index to each entry that refers to it (big-endian u64 key and
 * value). The policy-state callbacks read and write these rows inside the
 * caller's transaction (lg_store_policy_state); lg_load_record decodes the
 * record of a stored entry for them. submit.c, ledger.c, verify.c, export.c
 * and views.c share the row readers. A record row is written once
 * (LG_PUT_NOOVERWRITE) and only rewritten to mark it superseded or retracted.
 */
#include <string.h>

#include "base/bigendian.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "base/error.h"
#include "core/ledger_int.h"
#include "core/stored_entry.h"
#include "rules/policy.h"
#include "store/store.h"

int
lg_row_key(lg_txn *p, const uint8_t key_id[32], lg_key_row *out)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_store_get(p, LG_DB_KEYS, key_id, 32, &b);

    if (rc < 0)
        return rc;
    rc = lg_key_row_decode(out, b.data, b.len);
    ledger_buf_dispose(&b);
    return rc;
}

int
lg_row_participant(lg_txn *p, const char *id, lg_participant_row *out)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_store_get(p, LG_DB_PARTICIPANTS, id, strlen(id), &b);

    if (rc < 0)
        return rc;
    rc = lg_participant_row_decode(out, b.data, b.len);
    ledger_buf_dispose(&b);
    return rc;
}

static int
st_put_key(void *p, const uint8_t key_id[32], const lg_key_row *row)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_key_row_encode(&b, row);

    if (rc == 0)
        rc = lg_store_put(p, LG_DB_KEYS, key_id, 32, b.data, b.len, 0);
    ledger_buf_dispose(&b);
    return rc;
}

static int
st_put_participant(void *p, const char *id, const lg_participant_row *row)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_participant_row_encode(&b, row);

    if (rc == 0)
        rc = lg_store_put(p, LG_DB_PARTICIPANTS, id, strlen(id), b.data, b.len, 0);
    ledger_buf_dispose(&b);
    return rc;
}

int
lg_row_record(lg_txn *p, const char *rid, lg_record_row *out)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_store_get(p, LG_DB_RECORDS, rid, strlen(rid), &b);

    if (rc < 0)
        return rc;
    rc = lg_record_row_decode(out, b.data, b.len);
    ledger_buf_dispose(&b);
    return rc;
}

static int
st_get_key(void *p, const uint8_t key_id[32], lg_key_row *out)
{
    return lg_row_key(p, key_id, out);
}

static int
st_get_participant(void *p, const char *id, lg_participant_row *out)
{
    return lg_row_participant(p, id, out);
}

static int
st_get_record(void *p, const char *rid, lg_record_row *out)
{
    return lg_row_record(p, rid, out);
}

int
lg_load_record(lg_txn *t, uint64_t index, lg_record **out, uint8_t digest[32])
{
    lg_entry *e = NULL;
    int rc;

    if ((rc = lg_stored_entry_load(&e, out, NULL, t, index)) < 0)
        return rc;
    lg_sha256(digest, e->record, e->record_len);
    lg_entry_free(e);
    return 0;
}

static int
st_load_record(void *p, uint64_t index, lg_record **out, uint8_t digest[32])
{
    return lg_load_record(p, index, out, digest);
}

static int
put_row(lg_txn *t, const char *rid, const lg_record_row *row, unsigned flags)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_record_row_encode(&b, row);

    if (rc == 0)
        rc = lg_store_put(t, LG_DB_RECORDS, rid, strlen(rid), b.data, b.len, flags);
    ledger_buf_dispose(&b);
    return rc;
}

static int
st_put_record(void *p, const char *rid, const lg_record_row *row, const uint8_t digest[32])
{
    /* The digest row is added by append_one (digest_index.c). */
    (void)digest;
    return put_row(p, rid, row, LG_PUT_NOOVERWRITE);
}

static int
st_mark_record(void *p, const char *rid, int which, uint64_t by)
{
    lg_record_row row;
    int rc = st_get_record(p, rid, &row);

    if (rc < 0)
        return rc;
    if (which == LG_MARK_SUPERSEDED)
        row.superseded_by = by;
    else if (which == LG_MARK_RETRACTED)
        row.retracted_by = by;
    else
        row.curated_by = by;
    return put_row(p, rid, &row, 0);
}

static int
st_add_ref(void *p, uint64_t target, uint64_t from)
{
    uint8_t k[8], v[8];

    lg_u64_be(k, target);
    lg_u64_be(v, from);
    return lg_store_put(p, LG_DB_REFS, k, 8, v, 8, 0);
}

typedef struct {
    int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row);
    void *ctx;
} each_key_scan;

static int
scan_key(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    each_key_scan *s = p;
    lg_key_row row;
    int rc;

    if (kl != 32)
        return lg_error_set(LEDGER_ECORRUPT, "keys table: a key id of %zu bytes", kl);
    if ((rc = lg_key_row_decode(&row, v, vl)) < 0)
        return rc;
    return s->fn(s->ctx, k, &row);
}

static int
st_each_key(void *p, int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row),
            void *ctx)
{
    each_key_scan s = {fn, ctx};

    return lg_store_scan(p, LG_DB_KEYS, NULL, 0, 0, scan_key, &s);
}

void
lg_store_policy_state(lg_policy_state *st, lg_txn *t)
{
    st->get_key = st_get_key;
    st->get_participant = st_get_participant;
    st->get_record = st_get_record;
    st->load_record = st_load_record;
    st->put_key = st_put_key;
    st->put_participant = st_put_participant;
    st->put_record = st_put_record;
    st->mark_record = st_mark_record;
    st->add_ref = st_add_ref;
    st->each_key = st_each_key;
    st->payload = t;
    st->partial = 0;
    st->limits = NULL;
}

/* ---- meta helpers ---- */

int
lg_meta_get(lg_txn *t, const char *name, ledger_buf *out)
{
    int rc = lg_store_get(t, LG_DB_META, name, strlen(name), out);

    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"%s\" is missing", name);
    return rc;
}

int
lg_meta_put(lg_txn *t, const char *name, const void *v, size_t len)
{
    return lg_store_put(t, LG_DB_META, name, strlen(name), v, len, 0);
}

int
lg_meta_state(lg_txn *t, lg_meta *m)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc;

    memset(m, 0, sizeof *m);
    if ((rc = lg_meta_get(t, "size", &b)) < 0)
        return rc;
    if (b.len != 8) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"size\" is malformed");
    }
    m->size = lg_be_u64(b.data);
    ledger_buf_dispose(&b);
    if ((rc = lg_meta_get(t, "root", &b)) < 0)
        return rc;
    if (b.len != 32) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"root\" is malformed");
    }
    memcpy(m->root, b.data, 32);
    ledger_buf_dispose(&b);
    if ((rc = lg_meta_get(t, "time", &b)) < 0)
        return rc;
    if (b.len != 8) {
        ledger_buf_dispose(&b);
        return lg_error_set(LEDGER_ECORRUPT, "ledger metadata \"time\" is malformed");
    }
    m->time = lg_be_u64(b.data);
    ledger_buf_dispose(&b);
    return 0;
}

int
lg_meta_put_state(lg_txn *t, const lg_meta *m)
{
    uint8_t size[8], tm[8];
    int rc;

    lg_u64_be(size, m->size);
    lg_u64_be(tm, m->time);
    if ((rc = lg_meta_put(t, "size", size, 8)) < 0 || (rc = lg_meta_put(t, "root", m->root, 32)) < 0 ||
        (rc = lg_meta_put(t, "time", tm, 8)) < 0)
        return rc;
    return 0;
}

int
lg_latest_checkpoint(lg_txn *t, ledger_buf *out)
{
    int rc = lg_store_last(t, LG_DB_CHECKPOINTS, NULL, out);

    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
    return rc;
}
