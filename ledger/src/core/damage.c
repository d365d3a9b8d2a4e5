/*
 * damage.c - what the index rows still say about a damaged entry
 * (stored_entry.h), for the readers that must decide whether they need it:
 * the export selection (export/select.c), the views.
 *
 * Submit writes the records row (record_id -> index, type, author, the
 * entries that superseded or retracted it) and the refs rows (target ->
 * referencing entry) after its checks, in the same transaction as the
 * entry. When the entry's stored bytes later fail to decode, these rows
 * are all that is left of it. Finding them takes one scan of each table;
 * it is done only for damaged entries.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/bigendian.h"
#include "base/error.h"
#include "codec/codec.h"
#include "core/stored_entry.h"

void
lg_damage_free(lg_damage *d)
{
    lg_free(d->targets);
    lg_free(d->target_types);
    memset(d, 0, sizeof *d);
}

static int
add_target(lg_damage *d, uint64_t target, lg_record_type type)
{
    for (size_t i = 0; i < d->n_targets; i++)
        if (d->targets[i] == target) {
            if (type != LG_REC_NONE)
                d->target_types[i] = type;
            return 0;
        }
    if (d->n_targets == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        uint64_t *nv = lg_realloc(d->targets, ncap * sizeof *nv);
        lg_record_type *nt;

        if (nv == NULL)
            return lg_error_nomem();
        d->targets = nv;
        if ((nt = lg_realloc(d->target_types, ncap * sizeof *nt)) == NULL)
            return lg_error_nomem();
        d->target_types = nt;
        d->cap = ncap;
    }
    d->targets[d->n_targets] = target;
    d->target_types[d->n_targets++] = type;
    return 0;
}

/* A refs row: target -> referencing entry. */
static int
ref_row(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    lg_damage *d = p;

    if (kl != 8 || vl != 8)
        return lg_error_set(LEDGER_ECORRUPT, "refs table has a malformed row");
    return lg_be_u64(v) == d->index ? add_target(d, lg_be_u64(k), LG_REC_NONE) : 0;
}

/* A records row: the damaged entry's own, one it superseded or retracted,
 * or one of its targets (its type). */
static int
record_row(void *p, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    lg_damage *d = p;
    lg_record_row r;
    int rc;

    if ((rc = lg_record_row_decode(&r, v, vl)) < 0)
        return rc;
    if (r.index == d->index) {
        if (kl > LEDGER_ID_MAX)
            return lg_error_set(LEDGER_ECORRUPT, "record id of entry %llu is too long",
                                (unsigned long long)r.index);
        memcpy(d->record_id, k, kl);
        d->record_id[kl] = '\0';
        d->type = r.type;
    }
    if (r.superseded_by == d->index || r.retracted_by == d->index)
        return add_target(d, r.index, r.type);
    for (size_t i = 0; i < d->n_targets; i++)
        if (d->targets[i] == r.index)
            d->target_types[i] = r.type;
    return 0;
}

int
lg_damage_describe(lg_damage *d, lg_txn *t, uint64_t index)
{
    int rc;

    d->index = index;
    d->type = LG_REC_NONE;
    d->record_id[0] = '\0';
    d->n_targets = 0;
    if ((rc = lg_store_scan(t, LG_DB_REFS, NULL, 0, 0, ref_row, d)) < 0 ||
        (rc = lg_store_scan(t, LG_DB_RECORDS, NULL, 0, 0, record_row, d)) < 0)
        return rc;
    return 0;
}

int
lg_damage_targets_type(const lg_damage *d, lg_record_type type)
{
    for (size_t i = 0; i < d->n_targets; i++)
        if (d->target_types[i] == type)
            return 1;
    return 0;
}
