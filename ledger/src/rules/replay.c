/*
 * replay.c - replay entries from genesis (see replay.h).
 *
 * The rules are policy.c's, run against a registry replayed in memory, so
 * the store (verify), a trail or a tile tree is judged by the same code
 * that accepted the entries. lg_replay_entry checks signatures one entry at
 * a time (an export is read once, in order, and the first failure is what
 * counts); verify takes the keys from lg_replay_check and checks them in
 * parallel.
 */
#include "rules/replay.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/map.h"
#include "crypto/crypto.h"
#include "rules/policy.h"

/* A record kept for rules that read an earlier record's content. */
typedef struct {
    uint8_t *bytes;
    size_t len;
} kept_record;

struct lg_replay {
    ledger_vkey log_key;
    lg_map keys;         /* key_id -> lg_key_row */
    lg_map participants; /* participant_id -> lg_participant_row */
    lg_map records;      /* record_id -> lg_record_row, for every entry seen */
    lg_map kept;         /* u64 index -> kept_record (see keep()) */
    int own_records;     /* records and kept are used (no lg_replay_records) */
    lg_policy_state st;
    int have_last;
    uint64_t last_index;
    uint64_t last_time;
    uint64_t signatures;
    lg_replay_records ext; /* the caller's record index, if any */
};

static int
mem_get_key(void *p, const uint8_t id[32], lg_key_row *out)
{
    lg_key_row *row = lg_map_get(&((lg_replay *)p)->keys, id, 32);

    if (row == NULL)
        return LEDGER_ENOTFOUND;
    *out = *row;
    return 0;
}

static int
mem_get_participant(void *p, const char *id, lg_participant_row *out)
{
    lg_participant_row *row = lg_map_get(&((lg_replay *)p)->participants, id, strlen(id));

    if (row == NULL)
        return LEDGER_ENOTFOUND;
    *out = *row;
    return 0;
}

static int
mem_put_key(void *p, const uint8_t id[32], const lg_key_row *row)
{
    return lg_map_put(&((lg_replay *)p)->keys, id, 32, row);
}

static int
mem_each_key(void *p, int (*fn)(void *ctx, const uint8_t key_id[32], const lg_key_row *row),
             void *ctx)
{
    return lg_policy_map_each_key(&((lg_replay *)p)->keys, fn, ctx);
}

static int
mem_put_participant(void *p, const char *id, const lg_participant_row *row)
{
    return lg_map_put(&((lg_replay *)p)->participants, id, strlen(id), row);
}

static int
mem_get_record(void *p, const char *rid, lg_record_row *out)
{
    lg_record_row *row = lg_map_get(&((lg_replay *)p)->records, rid, strlen(rid));

    if (row == NULL)
        return LEDGER_ENOTFOUND;
    *out = *row;
    return 0;
}

static int
mem_load_record(void *p, uint64_t index, lg_record **out, uint8_t digest[32])
{
    kept_record *k = lg_map_get(&((lg_replay *)p)->kept, &index, sizeof index);

    *out = NULL;
    if (k == NULL)
        return lg_error_set(LEDGER_ENOTFOUND, "entry %llu is not in this excerpt",
                            (unsigned long long)index);
    lg_sha256(digest, k->bytes, k->len);
    return lg_record_decode(out, k->bytes, k->len);
}

static int
mem_put_record(void *p, const char *rid, const lg_record_row *row, const uint8_t digest[32])
{
    (void)digest;
    return lg_map_put(&((lg_replay *)p)->records, rid, strlen(rid), row);
}

static int
mem_mark_record(void *p, const char *rid, int which, uint64_t by)
{
    lg_record_row *row = lg_map_get(&((lg_replay *)p)->records, rid, strlen(rid));

    if (row != NULL) {
        if (which == LG_MARK_SUPERSEDED)
            row->superseded_by = by;
        else if (which == LG_MARK_RETRACTED)
            row->retracted_by = by;
        else
            row->curated_by = by;
    }
    return 0;
}

static int
mem_add_ref(void *p, uint64_t target, uint64_t from)
{
    (void)p;
    (void)target;
    (void)from;
    return 0; /* views are not built offline */
}

/* The caller's record index (st.payload is the replay, for the registry). */
static int
ext_get_record(void *p, const char *rid, lg_record_row *out)
{
    lg_replay_records *x = &((lg_replay *)p)->ext;
    return x->get_record(x->payload, rid, out);
}

static int
ext_load_record(void *p, uint64_t index, lg_record **out, uint8_t digest[32])
{
    lg_replay_records *x = &((lg_replay *)p)->ext;
    return x->load_record(x->payload, index, out, digest);
}

static int
ext_put_record(void *p, const char *rid, const lg_record_row *row, const uint8_t digest[32])
{
    lg_replay_records *x = &((lg_replay *)p)->ext;
    return x->put_record(x->payload, rid, row, digest);
}

static int
ext_mark_record(void *p, const char *rid, int which, uint64_t by)
{
    lg_replay_records *x = &((lg_replay *)p)->ext;
    return x->mark_record(x->payload, rid, which, by);
}

static int
ext_add_ref(void *p, uint64_t target, uint64_t from)
{
    lg_replay_records *x = &((lg_replay *)p)->ext;
    return x->add_ref(x->payload, target, from);
}

int
lg_replay_new(lg_replay **out, const ledger_vkey *log_key, const lg_replay_records *records)
{
    lg_replay *r;

    *out = NULL;
    if (log_key == NULL || log_key->type != LEDGER_SIGTYPE_ED25519)
        return lg_error_set(LEDGER_EINVAL, "audit: the log key must be an Ed25519 verifier key");
    r = lg_calloc(1, sizeof *r);
    if (r == NULL)
        return lg_error_nomem();
    r->log_key = *log_key;
    lg_map_init(&r->keys, sizeof(lg_key_row));
    lg_map_init(&r->participants, sizeof(lg_participant_row));
    lg_map_init(&r->records, sizeof(lg_record_row));
    lg_map_init(&r->kept, sizeof(kept_record));
    r->st.get_key = mem_get_key;
    r->st.get_participant = mem_get_participant;
    r->st.put_key = mem_put_key;
    r->st.put_participant = mem_put_participant;
    r->st.each_key = mem_each_key;
    r->st.payload = r;
    if (records == NULL) {
        r->own_records = 1;
        r->st.get_record = mem_get_record;
        r->st.load_record = mem_load_record;
        r->st.put_record = mem_put_record;
        r->st.mark_record = mem_mark_record;
        r->st.add_ref = mem_add_ref;
    } else {
        r->ext = *records;
        r->st.get_record = ext_get_record;
        r->st.load_record = ext_load_record;
        r->st.put_record = ext_put_record;
        r->st.mark_record = ext_mark_record;
        r->st.add_ref = ext_add_ref;
    }
    *out = r;
    return 0;
}

void
lg_replay_free(lg_replay *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->kept.cap; i++)
        if (r->kept.slots[i].key != NULL)
            lg_free(((kept_record *)r->kept.slots[i].val)->bytes);
    lg_map_free(&r->keys);
    lg_map_free(&r->participants);
    lg_map_free(&r->records);
    lg_map_free(&r->kept);
    lg_free(r);
}

uint64_t
lg_replay_signatures(const lg_replay *r)
{
    return r->signatures;
}

int
lg_replay_key(const lg_replay *r, const uint8_t key_id[32], lg_key_row *out)
{
    return mem_get_key((void *)r, key_id, out);
}

int
lg_replay_participant(const lg_replay *r, const char *id, size_t id_len, lg_participant_row *out)
{
    lg_participant_row *row = lg_map_get(&r->participants, id, id_len);

    if (row == NULL)
        return LEDGER_ENOTFOUND;
    *out = *row;
    return 0;
}

size_t
lg_replay_key_count(const lg_replay *r)
{
    return r->keys.count;
}

size_t
lg_replay_participant_count(const lg_replay *r)
{
    return r->participants.count;
}

uint64_t
lg_replay_last_time(const lg_replay *r)
{
    return r->have_last ? r->last_time : 0;
}

/* Keep the bytes of the records later rules read (policy chain, a
 * participant's earlier version, findings that votes name, the key of an
 * actor's or incident report's earlier version, and the norms register's
 * records and claims that rules/norms.c reads). */
static int
keep(lg_replay *r, uint64_t index, const lg_entry *e, const lg_record *rec)
{
    lg_record_type t = lg_record_type_of(rec);
    kept_record k;
    int rc;

    if (!r->own_records)
        return 0; /* the caller's load_record reads them */
    if (t != LG_REC_LEDGER_POLICY && t != LG_REC_PARTICIPANT && t != LG_REC_FINDING &&
        t != LG_REC_ACTOR && t != LG_REC_INCIDENT_REPORT && t != LG_REC_NORM &&
        t != LG_REC_INSTRUMENT && t != LG_REC_COMMITMENT && t != LG_REC_ATTRIBUTION_CLAIM &&
        t != LG_REC_CURATION)
        return 0;
    k.bytes = lg_malloc(e->record_len);
    if (k.bytes == NULL)
        return lg_error_nomem();
    memcpy(k.bytes, e->record, e->record_len);
    k.len = e->record_len;
    if ((rc = lg_map_put(&r->kept, &index, sizeof index, &k)) < 0)
        lg_free(k.bytes);
    return rc;
}

int
lg_replay_check_order(uint64_t index, const lg_entry *e, const lg_record *rec,
                      const uint64_t *prev_time, const uint8_t log_pk[32], const char *origin)
{
    int rc;

    if (e->index != index)
        return lg_error_set(LEDGER_EFORMAT, "leaf says it is entry %llu",
                            (unsigned long long)e->index);
    if (prev_time != NULL && e->integrated_time < *prev_time)
        return lg_error_set(LEDGER_EFORMAT, "integrated_time goes backwards (%llu < %llu)",
                            (unsigned long long)e->integrated_time, (unsigned long long)*prev_time);
    if (index == 0) {
        lg_policy_info pol;

        if ((rc = lg_record_policy(&pol, rec)) < 0)
            return rc == LEDGER_ENOMEM ? rc : lg_error_prefix(LEDGER_EFORMAT, "genesis");
        if (memcmp(pol.log_public_key, log_pk, 32) != 0 || strcmp(pol.origin, origin) != 0)
            return lg_error_set(LEDGER_EBADSIG,
                                "genesis names another log key or origin than the trusted one");
    }
    return 0;
}

int
lg_replay_verify_signatures(const lg_entry *e, const lg_sig_keys *keys)
{
    for (size_t i = 0; i < e->n_sigs; i++) {
        int rc = lg_record_verify(e->sigs[i].sig, e->record, e->record_len, keys->pk[i]);

        if (rc == LEDGER_EBADSIG)
            return lg_error_set(LEDGER_EBADSIG, "signature %zu does not verify", i);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int
lg_replay_check(lg_sig_keys *keys_out, lg_replay *r, uint64_t index, const lg_entry *e,
                const lg_record *rec)
{
    uint8_t digest[32];
    int rc;

    if (r->have_last && index <= r->last_index)
        return lg_error_set(LEDGER_EINVAL, "entry %llu comes after entry %llu",
                            (unsigned long long)index, (unsigned long long)r->last_index);
    if ((rc = lg_replay_check_order(index, e, rec, r->have_last ? &r->last_time : NULL,
                                    r->log_key.public_key, r->log_key.name)) < 0)
        return rc;
    /* An excerpt with gaps cannot show every referenced record. */
    r->st.partial = index != (r->have_last ? r->last_index + 1 : 0) || r->st.partial;
    if ((rc = lg_policy_check(keys_out, &r->st, rec, e->sigs, e->n_sigs, index)) < 0)
        return rc;
    lg_sha256(digest, e->record, e->record_len);
    if ((rc = keep(r, index, e, rec)) < 0 || (rc = lg_policy_apply(&r->st, rec, digest, index)) < 0)
        return rc;
    r->have_last = 1;
    r->last_index = index;
    r->last_time = e->integrated_time;
    return 0;
}

static int
verify_signatures(lg_replay *r, const lg_entry *e, const lg_sig_keys *keys)
{
    int rc = lg_replay_verify_signatures(e, keys);

    if (rc == 0)
        r->signatures += e->n_sigs;
    return rc;
}

int
lg_replay_entry(lg_replay *r, uint64_t index, const uint8_t *leaf, size_t len, lg_record **rec_out)
{
    lg_entry *e = NULL;
    lg_record *rec = NULL;
    lg_sig_keys keys;
    int rc;

    if (rec_out != NULL)
        *rec_out = NULL;
    if ((rc = lg_entry_decode(&e, leaf, len)) < 0)
        return lg_error_prefix(rc, "entry %llu", (unsigned long long)index);
    if ((rc = lg_record_decode(&rec, e->record, e->record_len)) < 0) {
        rc = lg_error_prefix(rc, "entry %llu", (unsigned long long)index);
        goto done;
    }
    if ((rc = lg_replay_check(&keys, r, index, e, rec)) < 0 ||
        (rc = verify_signatures(r, e, &keys)) < 0) {
        if (rc != LEDGER_ENOMEM)
            rc = lg_error_prefix(rc, "entry %llu (%s)", (unsigned long long)index,
                                 lg_record_id(rec));
        goto done;
    }
    if (rec_out != NULL) {
        *rec_out = rec;
        rec = NULL;
    }
done:
    lg_record_free(rec);
    lg_entry_free(e);
    return rc;
}
