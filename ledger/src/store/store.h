/*
 * store.h (internal) - the LMDB schema; store.c is the only user of lmdb.h.
 *
 * One LMDB environment per ledger directory (DIR/data.mdb, DIR/lock.mdb)
 * with these named databases (DESIGN.md section 5):
 *
 *   entries      u64 BE index -> leaf bytes (serialized LogEntry), appended
 *   hashes       u64 BE dense stored-hash index -> 32 bytes, appended
 *   records      record_id -> u64 BE index of the entry
 *   digests      SHA-256(record bytes) -> u64 BE index, for entries before
 *                the first row of digest_tail (see digest_index.h)
 *   digest_tail  u64 BE index -> SHA-256(record bytes), appended: the
 *                newest entries' digests, merged into digests in bulk
 *   keys         key_id (32 bytes) -> KeyRow (protobuf)
 *   participants participant_id -> ParticipantRow (protobuf)
 *   refs         u64 BE target index -> u64 BE referencing index (DUPSORT)
 *   checkpoints  u64 BE tree size -> signed checkpoint note
 *   meta         name -> value ("origin", "format", "size", "root")
 *   cosignatures u64 BE tree size || u32 BE note key ID || witness name ->
 *                one verified witness cosignature line of that checkpoint
 *                (outside the tree: not derived, not signed by the log;
 *                anyone re-verifies it with the witness's key)
 *
 * A write transaction is the unit of atomicity: one submission appends its
 * entries, hashes, index rows and checkpoint, or nothing. Values returned by
 * lg_store_get are copies; pointers passed to scan callbacks are valid only
 * during the callback (LMDB's lifetime rule).
 */
#ifndef LG_STORE_H
#define LG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/buf.h"
#include "base/bigendian.h"
#include "base/hash.h"

typedef enum {
    LG_DB_ENTRIES,
    LG_DB_HASHES,
    LG_DB_RECORDS,
    LG_DB_DIGESTS,
    LG_DB_KEYS,
    LG_DB_PARTICIPANTS,
    LG_DB_REFS,
    LG_DB_CHECKPOINTS,
    LG_DB_META,
    LG_DB_COSIGNATURES,
    LG_DB_DIGEST_TAIL,
    LG_DB__COUNT
} lg_db;

/* Name of a database ("entries"), for messages. */
const char *lg_db_name(lg_db db);
/* LMDB's version, "MAJOR.MINOR.PATCH" (static). */
const char *lg_store_lmdb_version(void);

typedef struct lg_store lg_store;
typedef struct lg_txn lg_txn;

/* Read transactions live at once on one ledger, across every process that
 * has it open (each read transaction holds a slot of DIR/lock.mdb while it
 * runs): sized for serve's threads plus many concurrent commands. */
#define LG_STORE_MAX_READERS 1022

#define LG_STORE_CREATE 0x1u /* create the environment (directory must exist) */
#define LG_STORE_RDONLY 0x2u

/* Open the store in `dir`. LEDGER_ENOTFOUND when there is no ledger there
 * (and not LG_STORE_CREATE), LEDGER_EIO, LEDGER_ECORRUPT, LEDGER_EVERSION. */
int lg_store_open(lg_store **out, const char *dir, unsigned flags);
void lg_store_close(lg_store *s);

/* Begin a transaction. A write transaction waits for the single writer
 * lock (LMDB serialises writers across processes). */
int lg_txn_begin(lg_txn **out, lg_store *s, int write);
/* Commit (durably: the environment never uses MDB_NOSYNC) and free. */
int lg_txn_commit(lg_txn *t);
/* Abort and free. Accepts NULL. */
void lg_txn_abort(lg_txn *t);

/* Grow the map after LEDGER_EFULL (no transaction may be open in this
 * process). LEDGER_EFULL when the configured maximum is reached. */
int lg_store_grow(lg_store *s);
/* Map size in bytes now. */
uint64_t lg_store_map_size(const lg_store *s);

#define LG_PUT_APPEND 0x1u      /* key sorts after every existing key */
#define LG_PUT_NOOVERWRITE 0x2u /* LEDGER_EEXISTS if the key exists */

int lg_store_get(lg_txn *t, lg_db db, const void *key, size_t klen, ledger_buf *out);
int lg_store_put(lg_txn *t, lg_db db, const void *key, size_t klen, const void *val, size_t vlen,
                 unsigned flags);
int lg_store_del(lg_txn *t, lg_db db, const void *key, size_t klen);
/* Delete every row of a database (it stays open). */
int lg_store_clear(lg_txn *t, lg_db db);

/* Does the DUPSORT row (key, val) exist? 1, 0, or a negative code. */
int lg_store_has_dup(lg_txn *t, lg_db db, const void *key, size_t klen, const void *val,
                     size_t vlen);

/* Number of rows in a database. */
int lg_store_count(uint64_t *out, lg_txn *t, lg_db db);

/*
 * Visit rows in key order starting at `start` (NULL: the first row); for
 * DUPSORT databases every duplicate. With `only_key`, visit only the
 * duplicates of that exact key. The callback returns 0 to go on, 1 to stop,
 * or a negative ledger_err that is returned. Long scans give back mapped
 * pages as they go (lg_store_trim, LG_TRIM_RESIDENT).
 */
typedef int (*lg_scan_fn)(void *payload, const uint8_t *key, size_t klen, const uint8_t *val,
                          size_t vlen);
int lg_store_scan(lg_txn *t, lg_db db, const void *start, size_t slen, int only_key, lg_scan_fn fn,
                  void *payload);

/* The same in descending key order: rows whose key is <= `start` (NULL:
 * every row), from the largest. For databases without duplicates. */
int lg_store_scan_reverse(lg_txn *t, lg_db db, const void *start, size_t slen, lg_scan_fn fn,
                          void *payload);

/* Last row of a database (copies). LEDGER_ENOTFOUND when empty. */
int lg_store_last(lg_txn *t, lg_db db, ledger_buf *key_out, ledger_buf *val_out);

/* First row whose key is >= key (copies). LEDGER_ENOTFOUND when none. */
int lg_store_seek(lg_txn *t, lg_db db, const void *key, size_t klen, ledger_buf *key_out,
                  ledger_buf *val_out);

/*
 * Keep a long read (verify) from holding the whole file resident: when this
 * process's resident set exceeds max_resident bytes, give back its mappings
 * of the store's pages (the OS page cache keeps them). Pointers into the
 * map stay valid: the map is shared and file-backed, so the next access
 * maps the same bytes again. Returns 1 if pages were given back. A no-op
 * (0) where the OS cannot tell or cannot do it.
 */
int lg_store_trim(lg_store *s, uint64_t max_resident);

/* The resident budget of long reads. lg_store_scan trims to it every
 * LG_SCAN_TRIM_ROWS rows, so a scan of a whole table (export, views)
 * keeps a flat peak RSS without each caller having to. */
#define LG_TRIM_RESIDENT (64u << 20)
#define LG_SCAN_TRIM_ROWS 256

/* lg_hash_reader over the hashes database; payload is an lg_txn. */
int lg_store_hash_reader(void *txn, uint64_t stored_index, lg_hash out);

/* n stored hashes, at increasing stored indices, into out (n * 32 bytes),
 * walking one cursor: a tile's hashes are close together in the table, so
 * this is a short forward scan instead of n B-tree searches. */
int lg_store_hash_run(lg_txn *t, const uint64_t *stored_index, size_t n, uint8_t *out);

/* Convenience for u64 values (entries index columns). */
int lg_store_get_u64(lg_txn *t, lg_db db, const void *key, size_t klen, uint64_t *out);

#endif
