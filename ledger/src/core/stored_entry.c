/*
 * stored_entry.c - decode a stored entry (see stored_entry.h).
 *
 * Every reader of the entries table goes through here, so damage found
 * while reading is reported one way: LEDGER_ECORRUPT naming the entry,
 * with the decoder's message; an allocation failure stays LEDGER_ENOMEM
 * (codec.c tells it apart from bad bytes).
 */
#include "core/stored_entry.h"

#include <string.h>

#include "base/bigendian.h"
#include "base/error.h"

int
lg_stored_entry_decode(lg_entry **e_out, lg_record **rec_out, json_t **json_out, uint64_t index,
                       const uint8_t *leaf, size_t len)
{
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *js = NULL;
    int rc;

    if (e_out != NULL)
        *e_out = NULL;
    *rec_out = NULL;
    if (json_out != NULL)
        *json_out = NULL;
    if ((rc = lg_entry_decode(&e, leaf, len)) == 0 &&
        (rc = lg_record_decode(&r, e->record, e->record_len)) == 0 && json_out != NULL)
        rc = lg_record_to_json(&js, r);
    if (rc < 0) {
        lg_record_free(r);
        lg_entry_free(e);
        return rc == LEDGER_ENOMEM
                   ? rc
                   : lg_error_prefix(LEDGER_ECORRUPT, "entry %llu", (unsigned long long)index);
    }
    if (e_out != NULL)
        *e_out = e;
    else
        lg_entry_free(e);
    *rec_out = r;
    if (json_out != NULL)
        *json_out = js;
    return 0;
}

int
lg_stored_entry_load(lg_entry **e_out, lg_record **rec_out, json_t **json_out, lg_txn *t,
                     uint64_t index)
{
    ledger_buf leaf = LEDGER_BUF_INIT;
    uint8_t key[8];
    int rc;

    if (e_out != NULL)
        *e_out = NULL;
    *rec_out = NULL;
    if (json_out != NULL)
        *json_out = NULL;
    lg_u64_be(key, index);
    rc = lg_store_get(t, LG_DB_ENTRIES, key, 8, &leaf);
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing", (unsigned long long)index);
    if (rc < 0)
        return rc;
    rc = lg_stored_entry_decode(e_out, rec_out, json_out, index, leaf.data, leaf.len);
    ledger_buf_dispose(&leaf);
    return rc;
}
