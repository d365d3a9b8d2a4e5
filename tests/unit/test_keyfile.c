/*
 * test_keyfile.c - secret key files (keyfile.c): round trips, file rules,
 * and tamper resistance.
 *
 * Argon2id runs at libsodium's minimum limits (lg_keyfile_set_test_params)
 * except in keyfile_default_params_are_moderate. The tamper loops change
 * every byte of a saved file, both in the text and in the decoded blob, and
 * require each change to be rejected. spec_build() is an independent
 * encoder written from the format comment in keyfile.c; it crafts hostile
 * files and checks the committed known-answer files in tests/vectors/keyfile.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "attrledger/error.h"
#include "attrledger/key.h"
#include "base/b64.h"
#include "crypto/crypto.h"
#include "crypto/keyfile.h"
#include "testutil.h"

#define HDR "attrledger secret key v1\n"
#define HDR_LEN (sizeof HDR - 1)
#define PASS "correct horse battery staple"
#define PASS_LEN (sizeof PASS - 1)
#define OFF_OPS 19
#define OFF_MEM 27
#define OFF_KEY_ID 35
#define OFF_NAME 68
/* Mutations that leave Argon2id limits valid but above this are not run in
 * the encrypted tamper loops (each would cost up to 1 GiB and seconds). They
 * change associated data, like every other blob byte, so the unencrypted
 * loops (no KDF) cover the same check; the loops count how many they skip. */
#define COSTLY_MEMLIMIT (16u << 20)

/* RFC 8032 section 7.1, TEST 1. */
static const char *rfc8032_seed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *rfc8032_pk = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

typedef struct {
    char *dir;
    char path[1024]; /* dir/key */
} fixture;

/* ---- helpers ---- */

static int
setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);

    assert_non_null(fx);
    fx->dir = tu_tempdir();
    assert_non_null(fx->dir);
    snprintf(fx->path, sizeof fx->path, "%s/key", fx->dir);
    lg_keyfile_set_test_params(lg_argon2id_ops_min(), lg_argon2id_mem_min());
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    fixture *fx = *state;

    tu_rmtree(fx->dir);
    free(fx->dir);
    free(fx);
    return 0;
}

static int
group_setup(void **state)
{
    (void)state;
    return ledger_init();
}

static char *
in_dir(const fixture *fx, const char *name)
{
    static char buf[1024];

    snprintf(buf, sizeof buf, "%s/%s", fx->dir, name);
    return buf;
}

/* Write data with mode exactly 0600 (unlike tu_write_file, which uses the
 * umask and would make load refuse the file). */
static void
put_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(fchmod(fd, 0600), 0);
    assert_true(write(fd, data, len) == (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

static uint8_t *
get_file(const char *path, size_t *len)
{
    uint8_t *p = tu_read_file(path, len);

    assert_non_null(p);
    return p;
}

static ledger_key *
new_key(const char *name)
{
    ledger_key *k = NULL;

    TU_OK(ledger_key_generate(&k, name));
    return k;
}

static void
assert_same_key(const ledger_key *a, const ledger_key *b)
{
    uint8_t pa[32], pb[32], ia[32], ib[32], sig[64];
    static const uint8_t rec[] = "an attribution claim";

    ledger_key_public(pa, a);
    ledger_key_public(pb, b);
    assert_memory_equal(pa, pb, 32);
    ledger_key_id(ia, a);
    ledger_key_id(ib, b);
    assert_memory_equal(ia, ib, 32);
    assert_string_equal(ledger_key_name(a), ledger_key_name(b));
    /* The loaded key signs; the original public key verifies, and back. */
    TU_OK(lg_record_sign(sig, rec, sizeof rec, b));
    TU_OK(lg_record_verify(sig, rec, sizeof rec, pa));
    TU_OK(lg_record_sign(sig, rec, sizeof rec, a));
    TU_OK(lg_record_verify(sig, rec, sizeof rec, pb));
}

static void
assert_message_has(const char *needle)
{
    const char *msg = ledger_error_last()->message;

    if (strstr(msg, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
}

static uint64_t
be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Split a key file's text into its decoded blob; asserts the layout. */
static size_t
text_to_blob(uint8_t *blob, size_t cap, const uint8_t *text, size_t len)
{
    size_t blob_len = 0;

    assert_true(len > HDR_LEN + 1);
    assert_memory_equal(text, HDR, HDR_LEN);
    assert_int_equal(text[len - 1], '\n');
    assert_true((len - HDR_LEN - 1) / 4 * 3 <= cap);
    assert_int_equal(
        lg_b64_decode(blob, &blob_len, (const char *)text + HDR_LEN, len - HDR_LEN - 1), 0);
    return blob_len;
}

static size_t
blob_to_text(uint8_t *text, const uint8_t *blob, size_t blob_len)
{
    memcpy(text, HDR, HDR_LEN);
    lg_b64_encode((char *)text + HDR_LEN, blob, blob_len);
    text[HDR_LEN + LG_B64_LEN(blob_len)] = '\n';
    return HDR_LEN + LG_B64_LEN(blob_len) + 1;
}

/* ---- an independent encoder, from the format comment in keyfile.c ---- */

typedef struct {
    uint8_t version, alg, kdf;
    uint8_t salt[16];
    uint64_t ops, mem;
    const uint8_t *key_id; /* NULL: SHA-256 of the seed's public key */
    const char *name;
    uint8_t nonce[24];
    uint8_t seed[32];
    const char *pass;
    size_t pass_len;
} spec;

static void
spec_init(spec *s, const char *name, const char *pass)
{
    memset(s, 0, sizeof *s);
    s->version = 1;
    s->alg = 1;
    s->kdf = pass != NULL ? 1 : 0;
    s->name = name;
    s->pass = pass;
    s->pass_len = pass != NULL ? strlen(pass) : 0;
    assert_int_equal(tu_hex(s->seed, 32, rfc8032_seed), 32);
    for (int i = 0; i < 16; i++)
        s->salt[i] = pass != NULL ? (uint8_t)i : 0;
    for (int i = 0; i < 24; i++)
        s->nonce[i] = (uint8_t)(0x10 + i);
    if (pass != NULL) {
        s->ops = lg_argon2id_ops_min();
        s->mem = lg_argon2id_mem_min();
    }
}

/* Returns the text length; out holds at least 1024 bytes. */
static size_t
spec_build(uint8_t *out, const spec *s)
{
    uint8_t blob[512], ad[600], k[32] = {0}, pk[32];
    size_t n = strlen(s->name), off = 0;

    blob[off++] = s->version;
    blob[off++] = s->alg;
    blob[off++] = s->kdf;
    memcpy(blob + off, s->salt, 16);
    off += 16;
    put_be64(blob + off, s->ops);
    off += 8;
    put_be64(blob + off, s->mem);
    off += 8;
    lg_ed25519_seed_pk(pk, s->seed);
    if (s->key_id != NULL)
        memcpy(blob + off, s->key_id, 32);
    else
        lg_sha256(blob + off, pk, 32);
    off += 32;
    blob[off++] = (uint8_t)n;
    memcpy(blob + off, s->name, n);
    off += n;
    memcpy(blob + off, s->nonce, 24);
    off += 24;
    /* Only derive when the limits are sane: hostile files are built to be
     * rejected before the KDF, so their tag does not matter. */
    if (s->kdf == 1 && s->ops >= lg_argon2id_ops_min() && s->ops <= lg_argon2id_ops_max() &&
        s->mem >= lg_argon2id_mem_min() && s->mem <= lg_argon2id_mem_max())
        TU_OK(lg_argon2id(k, 32, s->pass, s->pass_len, s->salt, s->ops, s->mem));
    memcpy(ad, HDR, HDR_LEN);
    memcpy(ad + HDR_LEN, blob, off);
    lg_aead_seal(blob + off, s->seed, 32, ad, HDR_LEN + off, s->nonce, k);
    off += 48;
    return blob_to_text(out, blob, off);
}

/* ---- tamper loops ---- */

typedef struct {
    const char *path;
    const char *pass;
    size_t pass_len;
    long loads;
    long file_loads;
    long skipped;
} tamper;

/* Would loading this text run Argon2id with a large memory limit? */
static int
costly(const uint8_t *text, size_t len)
{
    uint8_t blob[1024];
    size_t blob_len = 0;
    uint64_t ops, mem;

    if (len < HDR_LEN + 1 || len - HDR_LEN - 1 > 1024 / 3 * 4 ||
        lg_b64_decode(blob, &blob_len, (const char *)text + HDR_LEN, len - HDR_LEN - 1) != 0 ||
        blob_len < OFF_KEY_ID || blob[2] != 1)
        return 0;
    ops = be64(blob + OFF_OPS);
    mem = be64(blob + OFF_MEM);
    return ops >= lg_argon2id_ops_min() && ops <= lg_argon2id_ops_max() &&
           mem <= lg_argon2id_mem_max() && mem > COSTLY_MEMLIMIT;
}

/*
 * Load mutated text and require a rejection. via_file goes through
 * ledger_key_load() (write, permission check, read); otherwise through
 * lg_keyfile_decode(), the same code after the read, which keeps the
 * exhaustive loops (~50,000 changes each) fast: the file system, not the
 * parser, dominates a file load.
 */
static void
expect_rejected(tamper *t, const uint8_t *text, size_t len, const char *what, size_t pos,
                unsigned val, int via_file)
{
    ledger_key *k = NULL;
    int rc;

    if (costly(text, len)) {
        t->skipped++;
        return;
    }
    if (via_file) {
        put_file(t->path, text, len);
        rc = ledger_key_load(&k, t->path, t->pass, t->pass_len);
        t->file_loads++;
    } else {
        rc = lg_keyfile_decode(&k, text, len, t->pass, t->pass_len);
    }
    t->loads++;
    if (rc == 0) {
        ledger_key_free(k);
        fail_msg("%s: byte %zu changed to 0x%02x was accepted", what, pos, val);
    }
    if (rc != LEDGER_EFORMAT && rc != LEDGER_EVERSION && rc != LEDGER_EPASSPHRASE)
        fail_msg("%s: byte %zu changed to 0x%02x: unexpected code %d: %s", what, pos, val, rc,
                 ledger_error_last()->message);
}

/* Two changes per position also go through a real file: a low bit (often
 * another base64 letter or an invalid one) and the ASCII case bit. */
static int
via_file(unsigned orig, unsigned v)
{
    return v == (orig ^ 0x01) || v == (orig ^ 0x20);
}

/* Change every byte of the file text to every other value. */
static void
tamper_text(tamper *t, const uint8_t *orig, size_t len)
{
    uint8_t *text = malloc(len);

    assert_non_null(text);
    for (size_t pos = 0; pos < len; pos++) {
        memcpy(text, orig, len);
        for (unsigned v = 0; v < 256; v++) {
            if (v == orig[pos])
                continue;
            text[pos] = (uint8_t)v;
            expect_rejected(t, text, len, "text", pos, v, via_file(orig[pos], v));
        }
    }
    free(text);
}

/* Change every byte of the decoded blob to every other value, re-encoded
 * as valid base64 (so the change reaches the field parser and the tag). */
static void
tamper_blob(tamper *t, const uint8_t *orig_text, size_t orig_len)
{
    uint8_t orig[512], blob[512], text[1024];
    size_t blob_len = text_to_blob(orig, sizeof orig, orig_text, orig_len), len;

    for (size_t pos = 0; pos < blob_len; pos++) {
        memcpy(blob, orig, blob_len);
        for (unsigned v = 0; v < 256; v++) {
            if (v == orig[pos])
                continue;
            blob[pos] = (uint8_t)v;
            len = blob_to_text(text, blob, blob_len);
            expect_rejected(t, text, len, "blob", pos, v, via_file(orig[pos], v));
        }
    }
}

/* Save a key, then run `fn` over its file. */
static void
tamper_saved(fixture *fx, const char *pass, void (*fn)(tamper *, const uint8_t *, size_t))
{
    ledger_key *key = new_key("tamper.example/key");
    ledger_key *back = NULL;
    size_t len;
    uint8_t *text;
    tamper t = {fx->path, pass, pass != NULL ? strlen(pass) : 0, 0, 0, 0};

    TU_OK(ledger_key_save(key, fx->path, pass, t.pass_len, 0));
    text = get_file(fx->path, &len);
    fn(&t, text, len);
    print_message("%ld changes rejected (%ld through a file), %ld costly ones skipped\n", t.loads,
                  t.file_loads, t.skipped);
    /* The loop did run; skips (encrypted only) are a small minority. */
    assert_true(t.loads > 30000);
    assert_true(t.file_loads > 250);
    assert_true(t.skipped * 50 < t.loads);
    if (pass == NULL)
        assert_int_equal(t.skipped, 0);
    /* And the untouched file still loads. */
    put_file(fx->path, text, len);
    TU_OK(ledger_key_load(&back, fx->path, pass, t.pass_len));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
    free(text);
}

/* ---- tests ---- */

static void
keyfile_roundtrip_encrypted(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("log.example.org");
    ledger_key *back = NULL;
    int enc = -1;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    TU_OK(ledger_key_file_encrypted(&enc, fx->path));
    assert_int_equal(enc, 1);
    TU_OK(ledger_key_load(&back, fx->path, PASS, PASS_LEN));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
}

static void
keyfile_roundtrip_unencrypted(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("member-7");
    ledger_key *back = NULL;
    int enc = -1;

    TU_OK(ledger_key_save(key, fx->path, NULL, 0, 0));
    TU_OK(ledger_key_file_encrypted(&enc, fx->path));
    assert_int_equal(enc, 0);
    TU_OK(ledger_key_load(&back, fx->path, NULL, 0));
    assert_same_key(key, back);
    ledger_key_free(back);
    /* A passphrase is ignored for an unencrypted file. */
    TU_OK(ledger_key_load(&back, fx->path, "anything", 8));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
}

static void
keyfile_passphrase_bytes_are_exact(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    static const char pass[] = {'a', '\0', 'b'};
    static const char other[] = {'a', '\0', 'c'};

    /* The passphrase is bytes with a length, not a C string. */
    TU_OK(ledger_key_save(key, fx->path, pass, sizeof pass, 0));
    TU_CHECK(ledger_key_load(&back, fx->path, other, sizeof other), LEDGER_EPASSPHRASE);
    TU_CHECK(ledger_key_load(&back, fx->path, pass, 1), LEDGER_EPASSPHRASE);
    TU_OK(ledger_key_load(&back, fx->path, pass, sizeof pass));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
}

static void
keyfile_text_layout(void **state)
{
    fixture *fx = *state;
    const char *name = "layout.example/k";
    ledger_key *key = new_key(name);
    uint8_t blob[512], id[32];
    size_t len, blob_len, n = strlen(name);
    uint8_t *text;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    text = get_file(fx->path, &len);
    /* Two lines: the header and base64 of a (140 + n)-byte blob. */
    assert_int_equal(len, HDR_LEN + (140 + n + 2) / 3 * 4 + 1);
    assert_null(memchr(text + HDR_LEN, '\n', len - HDR_LEN - 1));
    blob_len = text_to_blob(blob, sizeof blob, text, len);
    assert_int_equal(blob_len, 140 + n);
    assert_int_equal(blob[0], 1);
    assert_int_equal(blob[1], 1);
    assert_int_equal(blob[2], 1);
    assert_int_equal(be64(blob + OFF_OPS), lg_argon2id_ops_min());
    assert_int_equal(be64(blob + OFF_MEM), lg_argon2id_mem_min());
    ledger_key_id(id, key);
    assert_memory_equal(blob + OFF_KEY_ID, id, 32);
    assert_int_equal(blob[67], n);
    assert_memory_equal(blob + OFF_NAME, name, n);
    free(text);

    /* Unencrypted: kdf 0 with zero salt and limits. */
    TU_OK(ledger_key_save(key, fx->path, NULL, 0, LEDGER_KEY_FORCE));
    text = get_file(fx->path, &len);
    blob_len = text_to_blob(blob, sizeof blob, text, len);
    assert_int_equal(blob_len, 140 + n);
    assert_int_equal(blob[2], 0);
    for (int i = 3; i < OFF_KEY_ID; i++)
        assert_int_equal(blob[i], 0);
    free(text);
    ledger_key_free(key);
}

static void
keyfile_fresh_salt_and_nonce(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    uint8_t a[512], b[512];
    size_t la, lb;
    uint8_t *ta, *tb;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    ta = get_file(fx->path, &la);
    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, LEDGER_KEY_FORCE));
    tb = get_file(fx->path, &lb);
    assert_int_equal(text_to_blob(a, sizeof a, ta, la), text_to_blob(b, sizeof b, tb, lb));
    assert_memory_not_equal(a + 3, b + 3, 16);                       /* salt */
    assert_memory_not_equal(a + OFF_NAME + 1, b + OFF_NAME + 1, 24); /* nonce */
    free(ta);
    free(tb);
    ledger_key_free(key);
}

static void
keyfile_default_params_are_moderate(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    uint8_t blob[512];
    size_t len;
    uint8_t *text;

    lg_keyfile_set_test_params(0, 0);
    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    text = get_file(fx->path, &len);
    text_to_blob(blob, sizeof blob, text, len);
    assert_int_equal(be64(blob + OFF_OPS), lg_argon2id_ops_moderate());
    assert_int_equal(be64(blob + OFF_MEM), lg_argon2id_mem_moderate());
    TU_OK(ledger_key_load(&back, fx->path, PASS, PASS_LEN));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
    free(text);
}

static void
keyfile_mode_is_0600(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    struct stat st;
    mode_t old;

    /* Neither a permissive nor a strict umask changes the mode. */
    old = umask(0);
    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    umask(0277);
    TU_OK(ledger_key_save(key, fx->path, NULL, 0, LEDGER_KEY_FORCE));
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_true(S_ISREG(st.st_mode));
    umask(old);
    ledger_key_free(key);
}

static void
keyfile_no_overwrite_without_force(void **state)
{
    fixture *fx = *state;
    ledger_key *k1 = new_key("first");
    ledger_key *k2 = new_key("second");
    ledger_key *back = NULL;
    uint8_t *before, *after;
    size_t lb, la;

    TU_OK(ledger_key_save(k1, fx->path, PASS, PASS_LEN, 0));
    before = get_file(fx->path, &lb);
    TU_CHECK(ledger_key_save(k2, fx->path, PASS, PASS_LEN, 0), LEDGER_EEXISTS);
    assert_message_has(fx->path);
    assert_message_has("exists; use --force to replace it");
    after = get_file(fx->path, &la);
    assert_int_equal(la, lb);
    assert_memory_equal(after, before, lb);
    TU_OK(ledger_key_load(&back, fx->path, PASS, PASS_LEN));
    assert_same_key(k1, back);
    ledger_key_free(back);
    ledger_key_free(k1);
    ledger_key_free(k2);
    free(before);
    free(after);
}

static int
count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void
keyfile_overwrite_with_force(void **state)
{
    fixture *fx = *state;
    ledger_key *k1 = new_key("first");
    ledger_key *k2 = new_key("second");
    ledger_key *back = NULL;
    struct stat st;

    TU_OK(ledger_key_save(k1, fx->path, PASS, PASS_LEN, 0));
    TU_OK(ledger_key_save(k2, fx->path, "other", 5, LEDGER_KEY_FORCE));
    TU_OK(ledger_key_load(&back, fx->path, "other", 5));
    assert_same_key(k2, back);
    ledger_key_free(back);
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* No temporary file is left behind. */
    assert_int_equal(count_entries(fx->dir), 1);
    /* FORCE also creates a file that does not exist yet. */
    TU_OK(ledger_key_save(k1, in_dir(fx, "new"), NULL, 0, LEDGER_KEY_FORCE));
    TU_OK(ledger_key_load(&back, in_dir(fx, "new"), NULL, 0));
    assert_same_key(k1, back);
    ledger_key_free(back);
    assert_int_equal(count_entries(fx->dir), 2);
    ledger_key_free(k1);
    ledger_key_free(k2);
}

static void
keyfile_wrong_passphrase(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    TU_CHECK(ledger_key_load(&back, fx->path, "correct horse battery stapler", PASS_LEN + 1),
             LEDGER_EPASSPHRASE);
    assert_null(back);
    assert_message_has("wrong passphrase or damaged key file");
    assert_message_has(fx->path);
    TU_CHECK(ledger_key_load(&back, fx->path, "", 0), LEDGER_EPASSPHRASE);
    assert_null(back);
    ledger_key_free(key);
}

static void
keyfile_missing_passphrase(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EPASSPHRASE);
    assert_null(back);
    ledger_key_free(key);
}

static void
keyfile_empty_passphrase(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    int enc = -1;

    /* An empty passphrase (not NULL) still means "encrypted". */
    TU_OK(ledger_key_save(key, fx->path, "", 0, 0));
    TU_OK(ledger_key_file_encrypted(&enc, fx->path));
    assert_int_equal(enc, 1);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EPASSPHRASE);
    TU_CHECK(ledger_key_load(&back, fx->path, "x", 1), LEDGER_EPASSPHRASE);
    TU_OK(ledger_key_load(&back, fx->path, "", 0));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
}

static void
keyfile_every_text_byte_change_rejected_unencrypted(void **state)
{
    tamper_saved(*state, NULL, tamper_text);
}

static void
keyfile_every_blob_byte_change_rejected_unencrypted(void **state)
{
    tamper_saved(*state, NULL, tamper_blob);
}

static void
keyfile_every_text_byte_change_rejected_encrypted(void **state)
{
    tamper_saved(*state, PASS, tamper_text);
}

static void
keyfile_every_blob_byte_change_rejected_encrypted(void **state)
{
    tamper_saved(*state, PASS, tamper_blob);
}

static void
keyfile_truncated_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    uint8_t blob[512], text[1024];
    size_t len, blob_len;
    uint8_t *orig;

    for (int enc = 0; enc < 2; enc++) {
        TU_OK(ledger_key_save(key, fx->path, enc ? PASS : NULL, enc ? PASS_LEN : 0,
                              LEDGER_KEY_FORCE));
        orig = get_file(fx->path, &len);
        /* Every proper prefix of the text, including the empty file. */
        for (size_t cut = 0; cut < len; cut++) {
            put_file(fx->path, orig, cut);
            if (ledger_key_load(&back, fx->path, PASS, PASS_LEN) == 0)
                fail_msg("file cut to %zu of %zu bytes was accepted", cut, len);
        }
        /* Every shorter blob, validly re-encoded. */
        blob_len = text_to_blob(blob, sizeof blob, orig, len);
        for (size_t cut = 0; cut < blob_len; cut++) {
            put_file(fx->path, text, blob_to_text(text, blob, cut));
            if (ledger_key_load(&back, fx->path, PASS, PASS_LEN) == 0)
                fail_msg("blob cut to %zu of %zu bytes was accepted", cut, blob_len);
        }
        /* And a longer one. */
        blob[blob_len] = 0;
        put_file(fx->path, text, blob_to_text(text, blob, blob_len + 1));
        TU_CHECK(ledger_key_load(&back, fx->path, PASS, PASS_LEN), LEDGER_EFORMAT);
        free(orig);
    }
    ledger_key_free(key);
}

static void
keyfile_extra_lines_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    uint8_t buf[2048];
    size_t len, l2;
    uint8_t *orig;

    TU_OK(ledger_key_save(key, fx->path, NULL, 0, 0));
    orig = get_file(fx->path, &len);
    l2 = len - HDR_LEN; /* line 2 with its newline */

    static const char *suffixes[] = {"\n", "x", "x\n", " ", "\r\n", "\0"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t sl = i == 5 ? 1 : strlen(suffixes[i]);
        memcpy(buf, orig, len);
        memcpy(buf + len, suffixes[i], sl);
        put_file(fx->path, buf, len + sl);
        TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    }
    /* Line 2 twice. */
    memcpy(buf, orig, len);
    memcpy(buf + len, orig + HDR_LEN, l2);
    put_file(fx->path, buf, len + l2);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    /* A blank line or a comment before the header, or between the lines. */
    static const char *prefixes[] = {"\n", "# comment\n", "untrusted comment: k\n"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t pl = strlen(prefixes[i]);
        memcpy(buf, prefixes[i], pl);
        memcpy(buf + pl, orig, len);
        put_file(fx->path, buf, pl + len);
        TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    }
    memcpy(buf, orig, HDR_LEN);
    buf[HDR_LEN] = '\n';
    memcpy(buf + HDR_LEN + 1, orig + HDR_LEN, l2);
    put_file(fx->path, buf, len + 1);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    /* Line 2 split in two, and CRLF line ends. */
    memcpy(buf, orig, HDR_LEN + 40);
    buf[HDR_LEN + 40] = '\n';
    memcpy(buf + HDR_LEN + 41, orig + HDR_LEN + 40, len - HDR_LEN - 40);
    put_file(fx->path, buf, len + 1);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    memcpy(buf, orig, HDR_LEN - 1);
    memcpy(buf + HDR_LEN - 1, "\r\n", 2);
    memcpy(buf + HDR_LEN + 1, orig + HDR_LEN, l2 - 1);
    memcpy(buf + len, "\r\n", 2);
    put_file(fx->path, buf, len + 2);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    /* The original still loads. */
    put_file(fx->path, orig, len);
    TU_OK(ledger_key_load(&back, fx->path, NULL, 0));
    ledger_key_free(back);
    free(orig);
    ledger_key_free(key);
}

static void
keyfile_bad_header_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    uint8_t buf[2048];
    size_t len, l2;
    uint8_t *orig;
    int enc;
    static const struct {
        const char *header;
        int code;
    } cases[] = {
        {"attrledger secret key v2\n", LEDGER_EVERSION},
        {"attrledger secret key v10\n", LEDGER_EVERSION},
        {"attrledger secret key v\n", LEDGER_EFORMAT},
        {"attrledger secret key v1 \n", LEDGER_EFORMAT},
        {"attrledger secret key v01\n", LEDGER_EFORMAT},
        {"Attrledger secret key v1\n", LEDGER_EFORMAT},
        {"attrledger public key v1\n", LEDGER_EFORMAT},
        {"attrledger secret key\n", LEDGER_EFORMAT},
        {"untrusted comment: minisign encrypted secret key\n", LEDGER_EFORMAT},
        {" attrledger secret key v1\n", LEDGER_EFORMAT},
    };

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    orig = get_file(fx->path, &len);
    l2 = len - HDR_LEN;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t hl = strlen(cases[i].header);
        memcpy(buf, cases[i].header, hl);
        memcpy(buf + hl, orig + HDR_LEN, l2);
        put_file(fx->path, buf, hl + l2);
        TU_CHECK(ledger_key_load(&back, fx->path, PASS, PASS_LEN), cases[i].code);
        assert_message_has(fx->path);
        TU_CHECK(ledger_key_file_encrypted(&enc, fx->path), cases[i].code);
    }
    /* Only the header line. */
    put_file(fx->path, HDR, HDR_LEN);
    TU_CHECK(ledger_key_load(&back, fx->path, PASS, PASS_LEN), LEDGER_EFORMAT);
    free(orig);
    ledger_key_free(key);
}

static void
keyfile_unknown_fields_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    uint8_t text[1024];
    spec s;
    int enc;

    /* Correctly sealed files (the tag verifies) with unknown tags. */
    spec_init(&s, "k", NULL);
    s.version = 2;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EVERSION);
    TU_CHECK(ledger_key_file_encrypted(&enc, fx->path), LEDGER_EVERSION);
    spec_init(&s, "k", NULL);
    s.alg = 2;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    spec_init(&s, "k", NULL);
    s.kdf = 2;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    TU_CHECK(ledger_key_file_encrypted(&enc, fx->path), LEDGER_EFORMAT);
    /* Names that the key name rules forbid. */
    spec_init(&s, "has space", NULL);
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    spec_init(&s, "a+b", NULL);
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    spec_init(&s, "bad\xff", NULL);
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    /* Unencrypted, but with KDF parameters: one encoding per key. */
    spec_init(&s, "k", NULL);
    s.salt[15] = 1;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    spec_init(&s, "k", NULL);
    s.ops = 1;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    spec_init(&s, "k", NULL);
    s.mem = 8192;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    assert_null(back);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
keyfile_hostile_kdf_params_rejected_fast(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    uint8_t text[1024];
    spec s;
    double t0 = now();
    const uint64_t big = UINT64_MAX;
    const struct {
        uint64_t ops, mem;
    } cases[] = {
        {1, big},
        {1, (uint64_t)1 << 40}, /* 1 TiB */
        {1, lg_argon2id_mem_max() + 1},
        {1, lg_argon2id_mem_min() - 1},
        {1, 0},
        {big, 8192},
        {(uint64_t)1 << 32, 8192},
        {lg_argon2id_ops_max() + 1, 8192},
        {0, 8192},
        {big, big},
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        spec_init(&s, "hostile", PASS);
        s.ops = cases[i].ops;
        s.mem = cases[i].mem;
        put_file(fx->path, text, spec_build(text, &s));
        TU_CHECK(ledger_key_load(&back, fx->path, PASS, PASS_LEN), LEDGER_EFORMAT);
        assert_message_has("argon2id");
        assert_null(back);
    }
    /* Ten rejections take milliseconds; running the KDF even once at the
     * maximum would take about a second, and at these values forever. */
    if (now() - t0 > 0.5)
        fail_msg("hostile limits took %.2f s to reject", now() - t0);
}

static void
keyfile_key_id_mismatch_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    uint8_t text[1024], wrong[32];
    spec s;

    /* Sealed correctly, so only the key ID check can catch it. */
    memset(wrong, 0x42, sizeof wrong);
    spec_init(&s, "k", NULL);
    s.key_id = wrong;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    assert_message_has("key id does not match");
    assert_message_has(fx->path);
    spec_init(&s, "k", PASS);
    s.key_id = wrong;
    put_file(fx->path, text, spec_build(text, &s));
    TU_CHECK(ledger_key_load(&back, fx->path, PASS, PASS_LEN), LEDGER_EFORMAT);
    assert_message_has("key id does not match");
    assert_null(back);
}

static void
keyfile_group_readable_refused(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    static const mode_t modes[] = {0640, 0604, 0620, 0602, 0610, 0644, 0666};
    int enc;

    TU_OK(ledger_key_save(key, fx->path, NULL, 0, 0));
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        assert_int_equal(chmod(fx->path, modes[i]), 0);
        TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EIO);
        assert_message_has("chmod 600");
        assert_message_has(fx->path);
        TU_CHECK(ledger_key_file_encrypted(&enc, fx->path), LEDGER_EIO);
    }
    /* 0400 (read-only for the owner) is fine. */
    assert_int_equal(chmod(fx->path, 0400), 0);
    TU_OK(ledger_key_load(&back, fx->path, NULL, 0));
    assert_same_key(key, back);
    ledger_key_free(back);
    ledger_key_free(key);
}

static void
keyfile_not_regular_file_refused(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    int enc;

    assert_int_equal(mkdir(in_dir(fx, "d"), 0700), 0);
    TU_CHECK(ledger_key_load(&back, in_dir(fx, "d"), NULL, 0), LEDGER_EIO);
    assert_message_has("not a regular file");
    TU_CHECK(ledger_key_file_encrypted(&enc, in_dir(fx, "d")), LEDGER_EIO);
    /* A FIFO must be refused, not block the reader. */
    assert_int_equal(mkfifo(in_dir(fx, "fifo"), 0600), 0);
    TU_CHECK(ledger_key_load(&back, in_dir(fx, "fifo"), NULL, 0), LEDGER_EIO);
    assert_message_has("not a regular file");
    TU_CHECK(ledger_key_load(&back, "/dev/null", NULL, 0), LEDGER_EIO);
    assert_null(back);
}

static void
keyfile_too_large_rejected(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    uint8_t *big = calloc(1, 8192);
    size_t len;
    uint8_t *orig;

    assert_non_null(big);
    TU_OK(ledger_key_save(key, fx->path, NULL, 0, 0));
    orig = get_file(fx->path, &len);
    /* A valid file followed by padding up to and past the limit. */
    memcpy(big, orig, len);
    memset(big + len, '\n', 8192 - len);
    put_file(fx->path, big, LG_KEYFILE_FILE_MAX);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    put_file(fx->path, big, LG_KEYFILE_FILE_MAX + 1);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    assert_message_has("larger than 4096 bytes");
    put_file(fx->path, big, 8192);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    /* A base64 line longer than any valid key. */
    memcpy(big, HDR, HDR_LEN);
    memset(big + HDR_LEN, 'A', 2000);
    big[HDR_LEN + 2000] = '\n';
    put_file(fx->path, big, HDR_LEN + 2001);
    TU_CHECK(ledger_key_load(&back, fx->path, NULL, 0), LEDGER_EFORMAT);
    free(big);
    free(orig);
    ledger_key_free(key);
}

static void
keyfile_symlink_refused_at_save(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    char victim[1024], link[1024], dangling[1024], absent[1024];
    uint8_t *data;
    size_t len;
    struct stat st;

    snprintf(victim, sizeof victim, "%s", in_dir(fx, "victim"));
    snprintf(link, sizeof link, "%s", in_dir(fx, "link"));
    snprintf(dangling, sizeof dangling, "%s", in_dir(fx, "dangling"));
    snprintf(absent, sizeof absent, "%s", in_dir(fx, "absent"));
    put_file(victim, "precious\n", 9);
    assert_int_equal(symlink(victim, link), 0);
    assert_int_equal(symlink(absent, dangling), 0);

    for (unsigned flags = 0; flags <= LEDGER_KEY_FORCE; flags += LEDGER_KEY_FORCE) {
        TU_CHECK(ledger_key_save(key, link, PASS, PASS_LEN, flags), LEDGER_EIO);
        assert_message_has("symbolic link");
        assert_message_has(link);
        TU_CHECK(ledger_key_save(key, dangling, PASS, PASS_LEN, flags), LEDGER_EIO);
        /* Nothing was written through either link, and both are still links. */
        data = get_file(victim, &len);
        assert_int_equal(len, 9);
        assert_memory_equal(data, "precious\n", 9);
        free(data);
        assert_int_equal(lstat(link, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(lstat(dangling, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(lstat(absent, &st), -1);
    }
    /* Only the victim and the two links: no temporary files. */
    assert_int_equal(count_entries(fx->dir), 3);
    /* A directory at the path is not replaced either. */
    assert_int_equal(mkdir(in_dir(fx, "d"), 0700), 0);
    TU_CHECK(ledger_key_save(key, in_dir(fx, "d"), NULL, 0, LEDGER_KEY_FORCE), LEDGER_EIO);
    ledger_key_free(key);
}

static void
keyfile_save_to_missing_dir_fails(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    char path[1024];

    snprintf(path, sizeof path, "%s/no/such/dir/key", fx->dir);
    TU_CHECK(ledger_key_save(key, path, NULL, 0, 0), LEDGER_EIO);
    assert_message_has(path);
    TU_CHECK(ledger_key_save(key, path, NULL, 0, LEDGER_KEY_FORCE), LEDGER_EIO);
    ledger_key_free(key);
}

static void
keyfile_encrypted_flag(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    int enc = -1;

    TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, 0));
    TU_OK(ledger_key_file_encrypted(&enc, fx->path));
    assert_int_equal(enc, 1);
    TU_OK(ledger_key_save(key, fx->path, NULL, 0, LEDGER_KEY_FORCE));
    TU_OK(ledger_key_file_encrypted(&enc, fx->path));
    assert_int_equal(enc, 0);
    put_file(fx->path, "not a key\n", 10);
    TU_CHECK(ledger_key_file_encrypted(&enc, fx->path), LEDGER_EFORMAT);
    assert_message_has(fx->path);
    TU_CHECK(ledger_key_file_encrypted(&enc, in_dir(fx, "missing")), LEDGER_ENOTFOUND);
    ledger_key_free(key);
}

static void
keyfile_missing_file_not_found(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    char path[1024];

    TU_CHECK(ledger_key_load(&back, in_dir(fx, "missing"), PASS, PASS_LEN), LEDGER_ENOTFOUND);
    assert_message_has(in_dir(fx, "missing"));
    snprintf(path, sizeof path, "%s/missing/key", fx->dir);
    TU_CHECK(ledger_key_load(&back, path, PASS, PASS_LEN), LEDGER_ENOTFOUND);
    assert_null(back);
}

/* Copy a committed vector into the temp dir with mode 0600 (git checks files
 * out 0644, which load rightly refuses). */
static void
load_vector(fixture *fx, const char *name, uint8_t *expect, size_t *expect_len)
{
    char src[1024];
    size_t len;
    uint8_t *data;

    snprintf(src, sizeof src, "%s/keyfile/%s", LEDGER_TEST_VECTORS, name);
    data = get_file(src, &len);
    put_file(fx->path, data, len);
    memcpy(expect, data, len);
    *expect_len = len;
    free(data);
}

static void
keyfile_known_answer_vectors(void **state)
{
    fixture *fx = *state;
    ledger_key *back = NULL;
    uint8_t pk[32], want_pk[32], file[1024], built[1024];
    size_t file_len, built_len;
    const char *name = "attrledger.example/test-key";
    spec s;

    assert_int_equal(tu_hex(want_pk, 32, rfc8032_pk), 32);

    /* Argon2id (t = 1, m = 8 KiB), RFC 8032 TEST 1 seed. */
    load_vector(fx, "v1-argon2id.key", file, &file_len);
    spec_init(&s, name, PASS);
    built_len = spec_build(built, &s);
    assert_int_equal(built_len, file_len);
    assert_memory_equal(built, file, file_len);
    TU_OK(ledger_key_load(&back, fx->path, PASS, PASS_LEN));
    ledger_key_public(pk, back);
    assert_memory_equal(pk, want_pk, 32);
    assert_string_equal(ledger_key_name(back), name);
    ledger_key_free(back);
    TU_CHECK(ledger_key_load(&back, fx->path, "wrong", 5), LEDGER_EPASSPHRASE);

    /* Unencrypted, same seed. */
    load_vector(fx, "v1-unencrypted.key", file, &file_len);
    spec_init(&s, name, NULL);
    built_len = spec_build(built, &s);
    assert_int_equal(built_len, file_len);
    assert_memory_equal(built, file, file_len);
    TU_OK(ledger_key_load(&back, fx->path, NULL, 0));
    ledger_key_public(pk, back);
    assert_memory_equal(pk, want_pk, 32);
    ledger_key_free(back);
}

static void
keyfile_names_roundtrip(void **state)
{
    fixture *fx = *state;
    char longest[LEDGER_NAME_MAX + 1];
    const char *names[] = {"x", "caf\xc3\xa9.example/log", longest};
    ledger_key *back = NULL;

    memset(longest, 'n', LEDGER_NAME_MAX);
    longest[LEDGER_NAME_MAX] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ledger_key *key = new_key(names[i]);
        TU_OK(ledger_key_save(key, fx->path, PASS, PASS_LEN, LEDGER_KEY_FORCE));
        TU_OK(ledger_key_load(&back, fx->path, PASS, PASS_LEN));
        assert_string_equal(ledger_key_name(back), names[i]);
        assert_same_key(key, back);
        ledger_key_free(back);
        ledger_key_free(key);
    }
}

static void
keyfile_alloc_failures(void **state)
{
    fixture *fx = *state;
    ledger_key *key = new_key("k");
    ledger_key *back = NULL;
    struct stat st;

    for (int persistent = 0; persistent < 2; persistent++) {
        int rc = -1;
        for (long n = 0; rc != 0; n++) {
            assert_true(n < 100);
            unlink(fx->path);
            lg_alloc_fail_after(n, persistent);
            rc = ledger_key_save(key, fx->path, PASS, PASS_LEN, 0);
            lg_alloc_fail_after(-1, 0);
            if (rc != 0) {
                assert_int_equal(rc, LEDGER_ENOMEM);
                /* Failing left nothing behind. */
                assert_int_equal(stat(fx->path, &st), -1);
                assert_int_equal(count_entries(fx->dir), 0);
            }
        }
        rc = -1;
        for (long n = 0; rc != 0; n++) {
            assert_true(n < 100);
            lg_alloc_fail_after(n, persistent);
            rc = ledger_key_load(&back, fx->path, PASS, PASS_LEN);
            lg_alloc_fail_after(-1, 0);
            if (rc != 0) {
                assert_int_equal(rc, LEDGER_ENOMEM);
                assert_null(back);
            }
        }
        assert_same_key(key, back);
        ledger_key_free(back);
        back = NULL;
    }
    ledger_key_free(key);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(keyfile_roundtrip_encrypted),
        T(keyfile_roundtrip_unencrypted),
        T(keyfile_passphrase_bytes_are_exact),
        T(keyfile_text_layout),
        T(keyfile_fresh_salt_and_nonce),
        T(keyfile_default_params_are_moderate),
        T(keyfile_mode_is_0600),
        T(keyfile_no_overwrite_without_force),
        T(keyfile_overwrite_with_force),
        T(keyfile_wrong_passphrase),
        T(keyfile_missing_passphrase),
        T(keyfile_empty_passphrase),
        T(keyfile_every_text_byte_change_rejected_unencrypted),
        T(keyfile_every_blob_byte_change_rejected_unencrypted),
        T(keyfile_every_text_byte_change_rejected_encrypted),
        T(keyfile_every_blob_byte_change_rejected_encrypted),
        T(keyfile_truncated_rejected),
        T(keyfile_extra_lines_rejected),
        T(keyfile_bad_header_rejected),
        T(keyfile_unknown_fields_rejected),
        T(keyfile_hostile_kdf_params_rejected_fast),
        T(keyfile_key_id_mismatch_rejected),
        T(keyfile_group_readable_refused),
        T(keyfile_not_regular_file_refused),
        T(keyfile_too_large_rejected),
        T(keyfile_symlink_refused_at_save),
        T(keyfile_save_to_missing_dir_fails),
        T(keyfile_encrypted_flag),
        T(keyfile_missing_file_not_found),
        T(keyfile_known_answer_vectors),
        T(keyfile_names_roundtrip),
        T(keyfile_alloc_failures),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
