/*
 * store.c - LMDB storage (the only file that includes lmdb.h).
 *
 * Invariants:
 *   - The environment is never opened with MDB_NOSYNC or MDB_NOMETASYNC: a
 *     committed submission survives a crash, an uncommitted one vanishes.
 *   - Append-only tables (entries, hashes) are written with MDB_APPEND, which
 *     also makes LMDB refuse an out-of-order key (MDB_KEYEXIST -> ECORRUPT).
 *   - LMDB error codes are converted here: MDB_MAP_FULL -> EFULL,
 *     MDB_NOTFOUND -> ENOTFOUND, MDB_CORRUPTED/MDB_PANIC/MDB_INVALID ->
 *     ECORRUPT, MDB_VERSION_MISMATCH -> EVERSION, EACCES -> EIO.
 *   - Values handed to callers are copies; raw LMDB pointers never leave a
 *     transaction.
 *
 * Map size: the map starts at LG_MAP_INITIAL (or the maximum, if lower)
 * and doubles on demand up to the maximum (ATTRLEDGER_MAP_MAX bytes from
 * the environment, at least 1 MiB, default 1 TiB); the file grows only as
 * pages are used. Another process that grew the map is picked up through
 * MDB_MAP_RESIZED. A submission that finds the map full is aborted (nothing
 * written), the map is grown, and the batch is replayed; at the maximum it
 * fails with LEDGER_EFULL.
 *
 * Writer lock: before LMDB's writer mutex, a write transaction takes an
 * exclusive lock on DIR/writer.lock (an open-file-description lock, or a
 * POSIX record lock where OFD locks do not exist), so other writers queue
 * in the kernel rather than on the mutex. LMDB's mutex is a robust futex:
 * when its owner dies the kernel wakes one waiter, and when that waiter is
 * killed too (or a woken waiter dies before retrying) the others sleep on
 * forever with the mutex free. Kernel file locks have no lost wake-ups: a
 * dead holder's or waiter's locks vanish and every waiter is retried. The
 * mutex is then only ever taken uncontended, and a holder that died leaves
 * it OWNER_DIED for LMDB's recovery in the next writer. Threads of one
 * process share the lock's file description, so they queue on a mutex of
 * the store first (a server's sequencer and its witness threads both write).
 */
#define _DEFAULT_SOURCE /* madvise: posix_madvise(POSIX_MADV_DONTNEED) is a no-op in glibc */

#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <lmdb.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"

#define LG_MAP_INITIAL (64ull << 20)
#define LG_MAP_MAX_DEFAULT (1ull << 40)

struct lg_store {
    MDB_env *env;
    MDB_dbi dbi[LG_DB__COUNT];
    int absent[LG_DB__COUNT]; /* optional table missing from an older read-only store */
    uint64_t map_size;
    uint64_t map_max;
    int rdonly;
    int wlock_fd;        /* DIR/writer.lock, -1 when read-only */
    pthread_mutex_t wmu; /* this process's writers, before the file lock */
    char *dir;
};

struct lg_txn {
    lg_store *s;
    MDB_txn *txn;
    int write;
};

static const char *const db_names[LG_DB__COUNT] = {
    "entries", "hashes",      "records", "digests",      "keys",        "participants",
    "refs",    "checkpoints", "meta",    "cosignatures", "digest_tail",
};

/* Tables added after format 1 was first written: a store opened read-only
 * may lack them, which reads as empty. Opened read-write, they are created. */
static int
optional_db(int i)
{
    return i == LG_DB_COSIGNATURES || i == LG_DB_DIGEST_TAIL;
}

const char *
lg_store_lmdb_version(void)
{
    static char v[32];
    int major, minor, patch;

    mdb_version(&major, &minor, &patch);
    snprintf(v, sizeof v, "%d.%d.%d", major, minor, patch);
    return v;
}

const char *
lg_db_name(lg_db db)
{
    return (db >= 0 && db < LG_DB__COUNT) ? db_names[db] : "?";
}

static int
mdb_error(int rc, const char *what)
{
    switch (rc) {
    case MDB_NOTFOUND:
        return lg_error_set(LEDGER_ENOTFOUND, "%s: not found", what);
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
        return lg_error_set(LEDGER_EFULL, "%s: ledger store is full (LMDB map size reached)", what);
    case MDB_KEYEXIST:
        return lg_error_set(LEDGER_EEXISTS, "%s: key exists", what);
    case MDB_CORRUPTED:
    case MDB_PANIC:
    case MDB_INVALID:
    case MDB_PAGE_NOTFOUND:
    case MDB_BAD_TXN:
        return lg_error_set(LEDGER_ECORRUPT, "%s: %s", what, mdb_strerror(rc));
    case MDB_VERSION_MISMATCH:
        return lg_error_set(LEDGER_EVERSION, "%s: %s", what, mdb_strerror(rc));
    case MDB_READERS_FULL:
    case EBUSY:
    case EAGAIN:
        return lg_error_set(LEDGER_EBUSY, "%s: %s", what, mdb_strerror(rc));
    case ENOMEM:
        return lg_error_nomem();
    default:
        break;
    }
    return lg_error_set(LEDGER_EIO, "%s: %s", what, mdb_strerror(rc));
}

static uint64_t
map_max_from_env(void)
{
    const char *s = getenv("ATTRLEDGER_MAP_MAX");
    char *end;
    unsigned long long v;

    if (s == NULL || *s == '\0')
        return LG_MAP_MAX_DEFAULT;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < (1u << 20))
        return LG_MAP_MAX_DEFAULT;
    return v;
}

static int writer_lock(lg_store *s, short type);

int
lg_store_open(lg_store **out, const char *dir, unsigned flags)
{
    lg_store *s = NULL;
    MDB_txn *txn = NULL;
    MDB_envinfo info;
    struct stat st;
    char path[4096];
    uint64_t initial;
    int rc, locked = 0;

    *out = NULL;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return lg_error_set(LEDGER_ENOTFOUND, "%s is not a directory", dir);
    /* writer.lock is the longest name the store makes in `dir`: checked
     * first, so a directory too deep for it fails before anything is made. */
    if ((rc = lg_fs_join(path, sizeof path, dir, "writer.lock")) < 0 ||
        (rc = lg_fs_join(path, sizeof path, dir, "data.mdb")) < 0)
        return rc;
    if (!(flags & LG_STORE_CREATE) && stat(path, &st) != 0)
        return lg_error_set(LEDGER_ENOTFOUND, "no ledger in %s (missing data.mdb)", dir);
    s = lg_calloc(1, sizeof *s);
    if (s == NULL)
        return lg_error_nomem();
    s->wlock_fd = -1;
    pthread_mutex_init(&s->wmu, NULL);
    s->dir = lg_strdup(dir);
    if (s->dir == NULL) {
        rc = lg_error_nomem();
        goto fail;
    }
    s->rdonly = (flags & LG_STORE_RDONLY) != 0;
    if (!s->rdonly) {
        lg_fs_join(path, sizeof path, dir, "writer.lock"); /* fits: checked above */
        s->wlock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (s->wlock_fd < 0) {
            rc = lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(errno));
            goto fail;
        }
    }
    s->map_max = map_max_from_env();
    if ((rc = mdb_env_create(&s->env)) != 0) {
        rc = mdb_error(rc, "create LMDB environment");
        goto fail;
    }
    mdb_env_set_maxdbs(s->env, LG_DB__COUNT);
    mdb_env_set_maxreaders(s->env, LG_STORE_MAX_READERS);
    rc = mdb_env_open(s->env, dir, MDB_NOTLS | (s->rdonly ? MDB_RDONLY : 0), 0644);
    if (rc != 0) {
        rc = mdb_error(rc, dir);
        goto fail;
    }
    /* A process killed inside a read transaction leaves its reader slot
     * taken while any other process keeps the environment open. Such slots
     * pin old pages (the file only grows) and, once all are taken, every
     * command fails with MDB_READERS_FULL. Free the slots of dead processes. */
    mdb_reader_check(s->env, NULL);
    /* Keep the larger of the stored map size and our initial size, but
     * never above the configured maximum (LMDB never sets the map below
     * the pages in use, so a maximum below that just means "full"). */
    mdb_env_info(s->env, &info);
    s->map_size = info.me_mapsize;
    initial = LG_MAP_INITIAL < s->map_max ? LG_MAP_INITIAL : s->map_max;
    if (!s->rdonly && (s->map_size < initial || s->map_size > s->map_max)) {
        if ((rc = mdb_env_set_mapsize(s->env, s->map_size < initial ? initial : s->map_max)) != 0) {
            rc = mdb_error(rc, "set map size");
            goto fail;
        }
        mdb_env_info(s->env, &info);
        s->map_size = info.me_mapsize;
    }
    if (s->map_max < s->map_size)
        s->map_max = s->map_size;
    if (!s->rdonly) {
        if ((rc = writer_lock(s, F_WRLCK)) < 0)
            goto fail;
        locked = 1;
    }
    if ((rc = mdb_txn_begin(s->env, NULL, s->rdonly ? MDB_RDONLY : 0, &txn)) != 0) {
        rc = mdb_error(rc, dir);
        goto fail;
    }
    for (int i = 0; i < LG_DB__COUNT; i++) {
        unsigned dflags = s->rdonly ? 0 : MDB_CREATE;

        if (i == LG_DB_REFS)
            dflags |= MDB_DUPSORT | MDB_DUPFIXED;
        if ((rc = mdb_dbi_open(txn, db_names[i], dflags, &s->dbi[i])) != 0) {
            if (rc == MDB_NOTFOUND && s->rdonly && optional_db(i)) {
                s->absent[i] = 1;
                continue;
            }
            rc = rc == MDB_NOTFOUND
                     ? lg_error_set(LEDGER_ECORRUPT, "%s: database \"%s\" is missing", dir,
                                    db_names[i])
                     : mdb_error(rc, db_names[i]);
            goto fail;
        }
    }
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc != 0) {
        rc = mdb_error(rc, dir);
        goto fail;
    }
    if (locked)
        writer_lock(s, F_UNLCK);
    *out = s;
    return 0;
fail:
    if (txn != NULL)
        mdb_txn_abort(txn);
    if (locked)
        writer_lock(s, F_UNLCK);
    lg_store_close(s);
    return rc;
}

void
lg_store_close(lg_store *s)
{
    if (s == NULL)
        return;
    if (s->env != NULL)
        mdb_env_close(s->env);
    if (s->wlock_fd >= 0)
        close(s->wlock_fd);
    pthread_mutex_destroy(&s->wmu);
    lg_free(s->dir);
    lg_free(s);
}

/* Take (F_WRLCK) or release (F_UNLCK) the writer lock, waiting for it. */
static int
writer_lock(lg_store *s, short type)
{
    struct flock fl;
    int rc;

    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET; /* the whole file */
#ifdef F_OFD_SETLKW
    while ((rc = fcntl(s->wlock_fd, F_OFD_SETLKW, &fl)) != 0 && errno == EINTR)
        ;
    if (rc != 0 && errno == EINVAL) /* a kernel without OFD locks */
#endif
        while ((rc = fcntl(s->wlock_fd, F_SETLKW, &fl)) != 0 && errno == EINTR)
            ;
    if (rc != 0)
        return lg_error_set(LEDGER_EIO, "%s/writer.lock: %s", s->dir, strerror(errno));
    return 0;
}

int
lg_store_grow(lg_store *s)
{
    uint64_t next = s->map_size * 2;
    int rc;

    if (s->map_size >= s->map_max)
        return lg_error_set(LEDGER_EFULL,
                            "ledger store is full: map size %llu bytes is the maximum "
                            "(raise ATTRLEDGER_MAP_MAX)",
                            (unsigned long long)s->map_size);
    if (next > s->map_max)
        next = s->map_max;
    if ((rc = mdb_env_set_mapsize(s->env, next)) != 0)
        return mdb_error(rc, "grow map");
    s->map_size = next;
    return 0;
}

#if defined(__linux__) && defined(MADV_DONTNEED)
/* This process's resident set in bytes (/proc/self/statm), 0 if unknown. */
static uint64_t
resident_bytes(void)
{
    unsigned long long size, resident;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    int n;

    if (f == NULL)
        return 0;
    n = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    return n == 2 && page > 0 ? (uint64_t)resident * (uint64_t)page : 0;
}
#endif

int
lg_store_trim(lg_store *s, uint64_t max_resident)
{
#if defined(__linux__) && defined(MADV_DONTNEED)
    struct stat st;
    char line[512];
    FILE *f;
    int fd, released = 0;

    if (resident_bytes() <= max_resident)
        return 0;
    if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &st) != 0)
        return 0;
    if ((f = fopen("/proc/self/maps", "r")) == NULL)
        return 0;
    /* LMDB does not tell where it mapped the file: find the mapping by
     * device and inode. Only a shared mapping is released: there
     * MADV_DONTNEED drops page-table entries and nothing else (on a private
     * one it would discard changes). */
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long start, end, ino;
        unsigned maj, min;
        char perms[8];

        if (sscanf(line, "%llx-%llx %7s %*x %x:%x %llu", &start, &end, perms, &maj, &min, &ino) !=
                6 ||
            strlen(perms) < 4 || perms[3] != 's' || ino != (unsigned long long)st.st_ino ||
            maj != major(st.st_dev) || min != minor(st.st_dev))
            continue;
        released |= madvise((void *)(uintptr_t)start, (size_t)(end - start), MADV_DONTNEED) == 0;
    }
    fclose(f);
    return released;
#else
    (void)s;
    (void)max_resident;
    return 0;
#endif
}

uint64_t
lg_store_map_size(const lg_store *s)
{
    return s->map_size;
}

/* A write transaction's locks: this process's mutex, then the file lock. */
static int
writer_enter(lg_store *s)
{
    int rc;

    pthread_mutex_lock(&s->wmu);
    if ((rc = writer_lock(s, F_WRLCK)) < 0)
        pthread_mutex_unlock(&s->wmu);
    return rc;
}

static void
writer_leave(lg_store *s)
{
    writer_lock(s, F_UNLCK);
    pthread_mutex_unlock(&s->wmu);
}

int
lg_txn_begin(lg_txn **out, lg_store *s, int write)
{
    lg_txn *t;
    int rc;

    *out = NULL;
    if (write && s->rdonly)
        return lg_error_set(LEDGER_EREADONLY, "ledger opened read-only");
    t = lg_calloc(1, sizeof *t);
    if (t == NULL)
        return lg_error_nomem();
    if (write && (rc = writer_enter(s)) < 0) {
        lg_free(t);
        return rc;
    }
    rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    if (rc == MDB_READERS_FULL && mdb_reader_check(s->env, NULL) == 0)
        rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    if (rc == MDB_READERS_FULL) {
        unsigned slots = 0;

        mdb_env_get_maxreaders(s->env, &slots);
        if (write)
            writer_leave(s);
        lg_free(t);
        return lg_error_set(LEDGER_EBUSY,
                            "%s: all %u reader slots are taken by live readers (at most %u "
                            "read at once); try again when some have finished",
                            s->dir, slots, slots);
    }
    if (rc == MDB_MAP_RESIZED) {
        /* Another process grew the map: adopt its size and retry. */
        MDB_envinfo info;
        mdb_env_set_mapsize(s->env, 0);
        mdb_env_info(s->env, &info);
        s->map_size = info.me_mapsize;
        rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    }
    if (rc != 0) {
        if (write)
            writer_leave(s);
        lg_free(t);
        return mdb_error(rc, "begin transaction");
    }
    t->s = s;
    t->write = write;
    *out = t;
    return 0;
}

int
lg_txn_commit(lg_txn *t)
{
    int rc = mdb_txn_commit(t->txn);

    if (t->write)
        writer_leave(t->s);
    lg_free(t);
    return rc == 0 ? 0 : mdb_error(rc, "commit");
}

void
lg_txn_abort(lg_txn *t)
{
    if (t == NULL)
        return;
    mdb_txn_abort(t->txn);
    if (t->write)
        writer_leave(t->s);
    lg_free(t);
}

int
lg_store_get(lg_txn *t, lg_db db, const void *key, size_t klen, ledger_buf *out)
{
    MDB_val k = {klen, (void *)key}, v;
    int rc;

    if (t->s->absent[db])
        return LEDGER_ENOTFOUND;
    rc = mdb_get(t->txn, t->s->dbi[db], &k, &v);
    if (rc == MDB_NOTFOUND)
        return LEDGER_ENOTFOUND; /* no message: callers decide if it is an error */
    if (rc != 0)
        return mdb_error(rc, db_names[db]);
    out->data = lg_malloc(v.mv_size + 1);
    if (out->data == NULL)
        return lg_error_nomem();
    memcpy(out->data, v.mv_data, v.mv_size);
    out->data[v.mv_size] = '\0';
    out->len = v.mv_size;
    return 0;
}

int
lg_store_get_u64(lg_txn *t, lg_db db, const void *key, size_t klen, uint64_t *out)
{
    MDB_val k = {klen, (void *)key}, v;
    int rc = mdb_get(t->txn, t->s->dbi[db], &k, &v);

    if (rc == MDB_NOTFOUND)
        return LEDGER_ENOTFOUND;
    if (rc != 0)
        return mdb_error(rc, db_names[db]);
    if (v.mv_size != 8)
        return lg_error_set(LEDGER_ECORRUPT, "%s row has %zu bytes, want 8", db_names[db],
                            v.mv_size);
    *out = lg_be_u64(v.mv_data);
    return 0;
}

int
lg_store_put(lg_txn *t, lg_db db, const void *key, size_t klen, const void *val, size_t vlen,
             unsigned flags)
{
    MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
    unsigned mflags = 0;
    int rc;

    if (flags & LG_PUT_APPEND)
        mflags |= (db == LG_DB_REFS) ? MDB_APPENDDUP : MDB_APPEND;
    if (flags & LG_PUT_NOOVERWRITE)
        mflags |= MDB_NOOVERWRITE;
    rc = mdb_put(t->txn, t->s->dbi[db], &k, &v, mflags);
    if (rc == MDB_KEYEXIST && (flags & LG_PUT_APPEND))
        return lg_error_set(LEDGER_ECORRUPT, "%s: append out of order", db_names[db]);
    if (rc != 0)
        return mdb_error(rc, db_names[db]);
    return 0;
}

int
lg_store_del(lg_txn *t, lg_db db, const void *key, size_t klen)
{
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(t->txn, t->s->dbi[db], &k, NULL);

    if (rc == MDB_NOTFOUND)
        return LEDGER_ENOTFOUND;
    return rc == 0 ? 0 : mdb_error(rc, db_names[db]);
}

int
lg_store_clear(lg_txn *t, lg_db db)
{
    int rc;

    if (t->s->absent[db])
        return 0;
    rc = mdb_drop(t->txn, t->s->dbi[db], 0);
    return rc == 0 ? 0 : mdb_error(rc, db_names[db]);
}

int
lg_store_has_dup(lg_txn *t, lg_db db, const void *key, size_t klen, const void *val, size_t vlen)
{
    MDB_cursor *c = NULL;
    MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
    int rc;

    if ((rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c)) != 0)
        return mdb_error(rc, db_names[db]);
    rc = mdb_cursor_get(c, &k, &v, MDB_GET_BOTH);
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc == 0 ? 1 : mdb_error(rc, db_names[db]);
}

int
lg_store_count(uint64_t *out, lg_txn *t, lg_db db)
{
    MDB_stat st;
    int rc;

    if (t->s->absent[db]) {
        *out = 0;
        return 0;
    }
    rc = mdb_stat(t->txn, t->s->dbi[db], &st);
    if (rc != 0)
        return mdb_error(rc, db_names[db]);
    *out = st.ms_entries;
    return 0;
}

/* Visit rows from the cursor's current one (rc: the result of positioning
 * it) on, stepping with `next`; close the cursor. See lg_store_scan. */
static int
scan_from(lg_txn *t, lg_db db, MDB_cursor *c, MDB_val *k, MDB_val *v, int rc, MDB_cursor_op next,
          lg_scan_fn fn, void *payload)
{
    uint64_t rows = 0;

    for (; rc == 0; rc = mdb_cursor_get(c, k, v, next)) {
        int r = fn(payload, k->mv_data, k->mv_size, v->mv_data, v->mv_size);
        if (++rows % LG_SCAN_TRIM_ROWS == 0)
            lg_store_trim(t->s, LG_TRIM_RESIDENT);
        if (r != 0) {
            mdb_cursor_close(c);
            return r < 0 ? r : 0;
        }
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return mdb_error(rc, db_names[db]);
    return 0;
}

int
lg_store_scan(lg_txn *t, lg_db db, const void *start, size_t slen, int only_key, lg_scan_fn fn,
              void *payload)
{
    MDB_cursor *c = NULL;
    MDB_val k = {slen, (void *)start}, v;
    MDB_cursor_op op, next;
    int rc;

    if (t->s->absent[db])
        return 0;
    if ((rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c)) != 0)
        return mdb_error(rc, db_names[db]);
    if (only_key) {
        op = MDB_SET_KEY;
        next = MDB_NEXT_DUP;
    } else {
        op = start ? MDB_SET_RANGE : MDB_FIRST;
        next = MDB_NEXT;
    }
    return scan_from(t, db, c, &k, &v, mdb_cursor_get(c, &k, &v, op), next, fn, payload);
}

int
lg_store_scan_reverse(lg_txn *t, lg_db db, const void *start, size_t slen, lg_scan_fn fn,
                      void *payload)
{
    MDB_cursor *c = NULL;
    MDB_val k = {slen, (void *)start}, v;
    int rc;

    if (t->s->absent[db])
        return 0;
    if ((rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c)) != 0)
        return mdb_error(rc, db_names[db]);
    /* The first row >= start, then back one row unless it is start
     * itself; past the last row, the last row. */
    rc = mdb_cursor_get(c, &k, &v, start ? MDB_SET_RANGE : MDB_LAST);
    if (rc == MDB_NOTFOUND && start != NULL)
        rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    else if (rc == 0 && start != NULL && (k.mv_size != slen || memcmp(k.mv_data, start, slen) != 0))
        rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
    return scan_from(t, db, c, &k, &v, rc, MDB_PREV, fn, payload);
}

static int
copy_val(ledger_buf *out, const MDB_val *v)
{
    if (out == NULL)
        return 0;
    out->data = lg_malloc(v->mv_size + 1);
    if (out->data == NULL)
        return lg_error_nomem();
    memcpy(out->data, v->mv_data, v->mv_size);
    out->data[v->mv_size] = '\0';
    out->len = v->mv_size;
    return 0;
}

int
lg_store_last(lg_txn *t, lg_db db, ledger_buf *key_out, ledger_buf *val_out)
{
    MDB_cursor *c = NULL;
    MDB_val k, v;
    int rc;

    if (t->s->absent[db])
        return LEDGER_ENOTFOUND;
    if ((rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c)) != 0)
        return mdb_error(rc, db_names[db]);
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return LEDGER_ENOTFOUND;
    if (rc != 0)
        return mdb_error(rc, db_names[db]);
    if ((rc = copy_val(key_out, &k)) < 0)
        return rc;
    if ((rc = copy_val(val_out, &v)) < 0) {
        if (key_out != NULL) {
            lg_free(key_out->data);
            key_out->data = NULL;
        }
        return rc;
    }
    return 0;
}

int
lg_store_seek(lg_txn *t, lg_db db, const void *key, size_t klen, ledger_buf *key_out,
              ledger_buf *val_out)
{
    MDB_cursor *c = NULL;
    MDB_val k = {klen, (void *)key}, v;
    int rc;

    if (t->s->absent[db])
        return LEDGER_ENOTFOUND;
    if ((rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c)) != 0)
        return mdb_error(rc, db_names[db]);
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == 0) {
        rc = copy_val(key_out, &k);
        if (rc == 0 && (rc = copy_val(val_out, &v)) < 0 && key_out != NULL) {
            lg_free(key_out->data);
            key_out->data = NULL;
        }
        mdb_cursor_close(c);
        return rc;
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return LEDGER_ENOTFOUND;
    return mdb_error(rc, db_names[db]);
}

int
lg_store_hash_reader(void *txn, uint64_t stored_index, lg_hash out)
{
    lg_txn *t = txn;
    uint8_t key[8];
    MDB_val k = {8, key}, v;
    int rc;

    lg_u64_be(key, stored_index);
    rc = mdb_get(t->txn, t->s->dbi[LG_DB_HASHES], &k, &v);
    if (rc == MDB_NOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "stored hash %llu is missing",
                            (unsigned long long)stored_index);
    if (rc != 0)
        return mdb_error(rc, "hashes");
    if (v.mv_size != LG_HASH)
        return lg_error_set(LEDGER_ECORRUPT, "stored hash %llu has %zu bytes, want 32",
                            (unsigned long long)stored_index, v.mv_size);
    memcpy(out, v.mv_data, LG_HASH);
    return 0;
}
