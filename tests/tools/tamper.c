/*
 * tamper.c - test tool: change a ledger's LMDB store the way an insider
 * could, bypassing the library. Used by the CLI and crash tests to check
 * that `attrledger verify` catches every kind of damage.
 *
 * usage: tamper DIR get    DB KEY            (value to stdout)
 *        tamper DIR put    DB KEY FILE       (value from FILE)
 *        tamper DIR del    DB KEY
 *        tamper DIR flip   DB KEY BYTE [MASK] (xor one byte, default mask 0x01)
 *        tamper DIR count  DB
 *        tamper DIR swap   DB KEY1 KEY2      (exchange two values)
 *        tamper DIR rollback SIZE            (a complete rollback, see below)
 *        tamper DIR stale-readers N CMD...   (see below)
 * KEY is a decimal u64 (big-endian key) or, with a "s:" prefix, a string
 * key, or with "x:" a hex key.
 *
 * rollback SIZE cuts the ledger back to SIZE entries the way a careful
 * insider would: it deletes the later entries, their stored hashes, the
 * later checkpoints and the records/digests/digest_tail/refs rows that point
 * past SIZE,
 * and rewrites meta (size, root from the stored checkpoint at SIZE, time
 * of entry SIZE-1). The result is internally consistent; only a
 * checkpoint kept outside the ledger shows the rollback. SIZE must be a
 * batch boundary (a stored checkpoint), and the removed entries must not
 * register or revoke keys (keys/participants rows are left alone).
 *
 * stale-readers N CMD... keeps the environment open, forks N children that
 * each open it, begin a read transaction and die without ending it (as a
 * SIGKILLed reader would), then runs CMD and exits with its status. The N
 * reader slots stay claimed by dead processes while CMD runs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>
#include <sodium.h>

static int
die(const char *what, int rc)
{
    fprintf(stderr, "tamper: %s: %s\n", what, rc ? mdb_strerror(rc) : "error");
    return 2;
}

static size_t
parse_key(const char *s, unsigned char *buf, size_t cap)
{
    if (strncmp(s, "s:", 2) == 0) {
        size_t n = strlen(s + 2);
        memcpy(buf, s + 2, n < cap ? n : cap);
        return n < cap ? n : cap;
    }
    if (strncmp(s, "x:", 2) == 0) {
        size_t n = strlen(s + 2) / 2;
        for (size_t i = 0; i < n && i < cap; i++) {
            unsigned v;
            sscanf(s + 2 + 2 * i, "%2x", &v);
            buf[i] = (unsigned char)v;
        }
        return n < cap ? n : cap;
    }
    unsigned long long v = strtoull(s, NULL, 10);
    for (int i = 7; i >= 0; i--) {
        buf[i] = (unsigned char)v;
        v >>= 8;
    }
    return 8;
}

static void
put_u64(unsigned char out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)v;
        v >>= 8;
    }
}

static uint64_t
get_u64(const unsigned char *in)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | in[i];
    return v;
}

/* The entry index of a records-table value (RecordRow protobuf: field 1,
 * a varint, absent when 0). */
static uint64_t
row_index(const unsigned char *p, size_t len)
{
    uint64_t v = 0;
    int shift = 0;

    if (len == 0 || p[0] != 0x08)
        return 0;
    for (size_t i = 1; i < len && shift < 64; i++, shift += 7) {
        v |= (uint64_t)(p[i] & 0x7f) << shift;
        if (!(p[i] & 0x80))
            break;
    }
    return v;
}

/* Delete every records row whose entry index is >= from. (Supersede and
 * retract marks set by later entries are not undone: the test ledgers
 * that are rolled back have none.) */
static int
del_records_from(MDB_txn *txn, MDB_dbi dbi, uint64_t from)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    if ((rc = mdb_cursor_open(txn, dbi, &c)))
        return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
        if (row_index(v.mv_data, v.mv_size) >= from && (rc = mdb_cursor_del(c, 0)))
            break;
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Delete every row of dbi whose key (as u64 BE) is >= from, or, with
 * by_value, whose 8-byte value is >= from. */
static int
del_from(MDB_txn *txn, MDB_dbi dbi, uint64_t from, int by_value)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    if ((rc = mdb_cursor_open(txn, dbi, &c)))
        return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const MDB_val *x = by_value ? &v : &k;
        if (x->mv_size == 8 && get_u64(x->mv_data) >= from && (rc = mdb_cursor_del(c, 0)))
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* integrated_time (field 3) of a LogEntry leaf: fields 1..3 are varints. */
static int
leaf_time(const unsigned char *p, size_t len, uint64_t *out)
{
    size_t i = 0;

    while (i < len) {
        unsigned tag = p[i++];
        uint64_t v = 0;
        int shift = 0;
        if ((tag & 7) != 0)
            return -1;
        while (i < len && shift < 64) {
            v |= (uint64_t)(p[i] & 0x7f) << shift;
            shift += 7;
            if (!(p[i++] & 0x80))
                break;
        }
        if (tag >> 3 == 3) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

static int
rollback(MDB_env *env, MDB_txn *txn, uint64_t size)
{
    static const char *const dbs[] = {"entries", "hashes", "records", "digests",
                                      "checkpoints", "meta", "refs", "digest_tail"};
    MDB_dbi d[8];
    MDB_val k, v;
    unsigned char key[8], root[32], tm[8];
    char line[128];
    const char *nl1, *nl2;
    size_t rlen;
    uint64_t t = 0, n = size, pop = 0;
    int rc;

    for (int i = 0; i < 8; i++)
        if ((rc = mdb_dbi_open(txn, dbs[i], i == 6 ? MDB_DUPSORT : 0, &d[i])))
            return die(dbs[i], rc);
    /* The root at SIZE, from the checkpoint signed at SIZE (line 3). */
    put_u64(key, size);
    k.mv_data = key;
    k.mv_size = 8;
    if ((rc = mdb_get(txn, d[4], &k, &v)))
        return die("rollback: no stored checkpoint at SIZE", rc);
    nl1 = memchr(v.mv_data, '\n', v.mv_size);
    nl2 = nl1 ? memchr(nl1 + 1, '\n', v.mv_size - (size_t)(nl1 + 1 - (char *)v.mv_data)) : NULL;
    if (nl2 == NULL || sscanf(nl2 + 1, "%127[^\n]", line) != 1 ||
        sodium_base642bin(root, sizeof root, line, strlen(line), NULL, &rlen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        rlen != 32)
        return die("rollback: cannot read the checkpoint's root", 0);
    put_u64(key, size - 1);
    if ((rc = mdb_get(txn, d[0], &k, &v)) || leaf_time(v.mv_data, v.mv_size, &t) != 0)
        return die("rollback: cannot read entry SIZE-1", rc);
    for (; n; n &= n - 1)
        pop++;
    if ((rc = del_from(txn, d[0], size, 0)) || (rc = del_from(txn, d[1], 2 * size - pop, 0)) ||
        (rc = del_records_from(txn, d[2], size)) || (rc = del_from(txn, d[3], size, 1)) ||
        (rc = del_from(txn, d[4], size + 1, 0)) || (rc = del_from(txn, d[6], size, 1)) ||
        (rc = del_from(txn, d[7], size, 0)))
        return die("rollback: delete", rc);
    put_u64(key, size);
    put_u64(tm, t);
    k.mv_data = "size";
    k.mv_size = 4;
    v.mv_data = key;
    v.mv_size = 8;
    if ((rc = mdb_put(txn, d[5], &k, &v, 0)))
        return die("rollback: meta", rc);
    k.mv_data = "root";
    v.mv_data = root;
    v.mv_size = 32;
    if ((rc = mdb_put(txn, d[5], &k, &v, 0)))
        return die("rollback: meta", rc);
    k.mv_data = "time";
    v.mv_data = tm;
    v.mv_size = 8;
    if ((rc = mdb_put(txn, d[5], &k, &v, 0)))
        return die("rollback: meta", rc);
    if ((rc = mdb_txn_commit(txn)))
        return die("commit", rc);
    mdb_env_close(env);
    return 0;
}

/* Fork n readers that die inside a read transaction, then run argv. */
static int
stale_readers(MDB_env *env, const char *dir, int n, char **cmd)
{
    int status;
    pid_t pid;

    for (int i = 0; i < n; i++) {
        pid = fork();
        if (pid < 0)
            return die("fork", errno);
        if (pid == 0) {
            MDB_env *e;
            MDB_txn *t;
            if (mdb_env_create(&e) || mdb_env_set_maxdbs(e, 16) ||
                mdb_env_open(e, dir, MDB_RDONLY, 0644) || mdb_txn_begin(e, NULL, MDB_RDONLY, &t))
                _exit(1);
            _exit(0); /* the reader slot stays taken by this dead pid */
        }
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            mdb_env_close(env);
            return die("stale reader did not start (reader table full?)", 0);
        }
    }
    pid = fork();
    if (pid < 0)
        return die("fork", errno);
    if (pid == 0) {
        execvp(cmd[0], cmd);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0)
        return die("wait", errno);
    mdb_env_close(env);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
main(int argc, char **argv)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k, v;
    unsigned char key[512];
    int rc, write;

    if (argc < 4) {
        fprintf(stderr, "usage: tamper DIR get|put|del|flip|count|swap DB [KEY ...] | "
                        "rollback SIZE | stale-readers N CMD...\n");
        return 2;
    }
    write = strcmp(argv[2], "get") != 0 && strcmp(argv[2], "count") != 0 &&
            strcmp(argv[2], "stale-readers") != 0;
    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 16)) ||
        (rc = mdb_env_set_mapsize(env, 1ull << 30)) ||
        (rc = mdb_env_open(env, argv[1], write ? 0 : MDB_RDONLY, 0644)))
        return die("open", rc);
    if (strcmp(argv[2], "stale-readers") == 0) {
        if (argc < 5)
            return die("stale-readers: missing CMD", 0);
        return stale_readers(env, argv[1], atoi(argv[3]), argv + 4);
    }
    if ((rc = mdb_txn_begin(env, NULL, write ? 0 : MDB_RDONLY, &txn)))
        return die("begin", rc);
    if (strcmp(argv[2], "rollback") == 0)
        return rollback(env, txn, strtoull(argv[3], NULL, 10));
    if ((rc = mdb_dbi_open(txn, argv[3], strcmp(argv[3], "refs") == 0 ? MDB_DUPSORT : 0, &dbi)))
        return die(argv[3], rc);
    if (strcmp(argv[2], "count") == 0) {
        MDB_stat st;
        mdb_stat(txn, dbi, &st);
        printf("%zu\n", st.ms_entries);
        mdb_txn_abort(txn);
        mdb_env_close(env);
        return 0;
    }
    if (argc < 5)
        return die("missing KEY", 0);
    k.mv_data = key;
    k.mv_size = parse_key(argv[4], key, sizeof key);
    if (strcmp(argv[2], "get") == 0) {
        if ((rc = mdb_get(txn, dbi, &k, &v)))
            return die("get", rc);
        fwrite(v.mv_data, 1, v.mv_size, stdout);
        mdb_txn_abort(txn);
        mdb_env_close(env);
        return 0;
    }
    if (strcmp(argv[2], "swap") == 0) {
        static unsigned char a[1 << 20], b[1 << 20], key2[512];
        MDB_val k2, v2, va;
        if (argc < 6)
            return die("swap: missing KEY2", 0);
        k2.mv_data = key2;
        k2.mv_size = parse_key(argv[5], key2, sizeof key2);
        if ((rc = mdb_get(txn, dbi, &k, &v)) || (rc = mdb_get(txn, dbi, &k2, &v2)))
            return die("get", rc);
        if (v.mv_size > sizeof a || v2.mv_size > sizeof b)
            return die("swap: value too large", 0);
        /* Copy both: LMDB's pointers die at the first write. */
        memcpy(a, v.mv_data, v.mv_size);
        memcpy(b, v2.mv_data, v2.mv_size);
        va.mv_data = a;
        va.mv_size = v.mv_size;
        v2.mv_data = b;
        if ((rc = mdb_put(txn, dbi, &k, &v2, 0)) || (rc = mdb_put(txn, dbi, &k2, &va, 0)))
            return die("put", rc);
    } else if (strcmp(argv[2], "del") == 0) {
        if ((rc = mdb_del(txn, dbi, &k, NULL)))
            return die("del", rc);
    } else if (strcmp(argv[2], "put") == 0) {
        FILE *f;
        static unsigned char buf[1 << 20];
        if (argc < 6 || (f = fopen(argv[5], "rb")) == NULL)
            return die("put: cannot read FILE", 0);
        v.mv_size = fread(buf, 1, sizeof buf, f);
        v.mv_data = buf;
        fclose(f);
        if ((rc = mdb_put(txn, dbi, &k, &v, 0)))
            return die("put", rc);
    } else if (strcmp(argv[2], "flip") == 0) {
        static unsigned char buf[1 << 20];
        size_t pos;
        unsigned mask = argc > 6 ? (unsigned)strtoul(argv[6], NULL, 0) : 1;
        if (argc < 6)
            return die("flip: missing BYTE", 0);
        if ((rc = mdb_get(txn, dbi, &k, &v)))
            return die("get", rc);
        pos = strtoul(argv[5], NULL, 10);
        if (pos >= v.mv_size || v.mv_size > sizeof buf)
            return die("flip: BYTE out of range", 0);
        memcpy(buf, v.mv_data, v.mv_size);
        buf[pos] ^= (unsigned char)mask;
        v.mv_data = buf;
        if ((rc = mdb_put(txn, dbi, &k, &v, 0)))
            return die("put", rc);
    } else {
        return die("unknown action", 0);
    }
    if ((rc = mdb_txn_commit(txn)))
        return die("commit", rc);
    mdb_env_close(env);
    return 0;
}
