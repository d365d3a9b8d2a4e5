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
 * KEY is a decimal u64 (big-endian key) or, with a "s:" prefix, a string
 * key, or with "x:" a hex key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>

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
        fprintf(stderr, "usage: tamper DIR get|put|del|flip|count DB [KEY ...]\n");
        return 2;
    }
    write = strcmp(argv[2], "get") != 0 && strcmp(argv[2], "count") != 0;
    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 16)) ||
        (rc = mdb_env_set_mapsize(env, 1ull << 30)) ||
        (rc = mdb_env_open(env, argv[1], write ? 0 : MDB_RDONLY, 0644)))
        return die("open", rc);
    if ((rc = mdb_txn_begin(env, NULL, write ? 0 : MDB_RDONLY, &txn)))
        return die("begin", rc);
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
    if (strcmp(argv[2], "del") == 0) {
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
