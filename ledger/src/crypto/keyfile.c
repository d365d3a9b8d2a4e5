/*
 * keyfile.c - secret key files: an Ed25519 seed sealed under a passphrase.
 *
 * Modelled on minisign and signify: a text header naming the format, then one
 * base64 line holding the algorithm tags, the KDF parameters, the key ID and
 * the sealed seed. Unlike minisign (which XORs the key with the KDF output
 * and appends a checksum), the seed is sealed with an AEAD whose associated
 * data covers every other byte of the file, so any change to the header,
 * the parameters, the key ID or the name fails the tag.
 *
 * Format, version 1 (copied to docs/FORMATS.md "Secret key files")
 * ----------------------------------------------------------------
 * ASCII text of exactly two lines, each ending in LF (0x0A); no CR, no
 * blank lines, nothing before line 1 or after the second LF:
 *
 *     attrledger secret key v1<LF>
 *     <standard base64 of blob><LF>
 *
 * The base64 is RFC 4648 section 4 with '=' padding, canonical (the unused
 * trailing bits are zero), without whitespace or line breaks. blob, with
 * n = name length and all integers big-endian:
 *
 *     offset  size  field
 *          0     1  version      1
 *          1     1  algorithm    1 = Ed25519 (RFC 8032)
 *          2     1  kdf          0 = none (unencrypted), 1 = Argon2id v1.3
 *          3    16  salt         Argon2id salt; 16 zero bytes when kdf = 0
 *         19     8  opslimit     u64 Argon2id passes (t); 0 when kdf = 0
 *         27     8  memlimit     u64 Argon2id memory in bytes; 0 when kdf = 0
 *         35    32  key_id       SHA-256 of the 32-byte Ed25519 public key
 *         67     1  name_len     n, 1..255
 *         68     n  name         key name (C2SP signed-note key name rules:
 *                                UTF-8, no whitespace, no '+')
 *       68+n    24  nonce        XChaCha20-Poly1305 nonce (random)
 *       92+n    48  sealed_seed  XChaCha20-Poly1305-IETF ciphertext of the
 *                                32-byte RFC 8032 seed, then the 16-byte tag
 *     total 140 + n bytes (141..395); the file is 25 + 4*ceil((140+n)/3) + 1
 *
 * Sealing key k (32 bytes):
 *   kdf 1: Argon2id v1.3 (RFC 9106) of the passphrase bytes with the salt,
 *          t = opslimit, m = memlimit / 1024 KiB, parallelism 1, 32-byte
 *          output (libsodium crypto_pwhash with ALG_ARGON2ID13).
 *   kdf 0: 32 zero bytes. Only written when the caller passes no passphrase.
 *          This gives integrity (the tag detects a damaged file), NOT
 *          secrecy: anyone who can read the file can recover the seed.
 * Associated data = "attrledger secret key v1\n" || blob[0 .. 92+n), i.e.
 * the header line with its newline and every blob byte before sealed_seed.
 *
 * Reading (every rule is checked; any failure rejects the file):
 *   - a regular file (symlinks are followed) whose mode grants nothing to
 *     group or others, at most LG_KEYFILE_FILE_MAX (4096) bytes;
 *   - exact header (another "attrledger secret key vN" is LEDGER_EVERSION),
 *     exactly one base64 line, trailing LF, no extra bytes;
 *   - version 1 (else LEDGER_EVERSION), algorithm 1, kdf 0 or 1, blob
 *     length exactly 140 + n, valid name;
 *   - kdf 0: salt, opslimit and memlimit all zero;
 *     kdf 1: opslimit and memlimit within [min, sensitive] of libsodium
 *     (1..4 passes, 8 KiB..1 GiB), checked BEFORE running the KDF so a
 *     hostile file cannot make us spend hours or allocate a terabyte;
 *   - the tag verifies (else LEDGER_EPASSPHRASE for kdf 1, LEDGER_EFORMAT for
 *     kdf 0), and SHA-256 of the public key derived from the seed equals
 *     key_id (else LEDGER_EFORMAT).
 * The key's name is the name stored in the file.
 *
 * Writing: ledger_key_save() uses Argon2id at libsodium's "moderate" limits
 * (3 passes, 256 MiB) with a random salt and nonce. New files are created
 * exclusively (lg_fs_write_new: O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 set
 * with fchmod so the umask cannot widen or narrow it, file and directory
 * fsynced). With LEDGER_KEY_FORCE the file is written under a temporary
 * name in the same directory and renamed over the target
 * (lg_fs_write_atomic), so a crash leaves the old key or the new one, never
 * a torn file. A symbolic link at the target is refused.
 *
 * Secrets (the sealing key and the decrypted seed) live only in
 * lg_secure_alloc memory and are wiped on every path; buffers that hold an
 * unencrypted file's text are wiped too.
 */
#include "crypto/keyfile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "crypto/crypto.h"
#include "base/bigendian.h"
#include "base/error.h"
#include "base/fsutil.h"

#define HEADER_LEN (sizeof LG_KEYFILE_HEADER - 1)
#define HEADER_PREFIX "attrledger secret key v"

#define KF_VERSION 1
#define KF_ALG_ED25519 1

/* Blob layout (see the format above). */
#define OFF_SALT 3
#define OFF_OPS (OFF_SALT + LG_ARGON2_SALT)
#define OFF_MEM (OFF_OPS + 8)
#define OFF_KEY_ID (OFF_MEM + 8)
#define OFF_NAME_LEN (OFF_KEY_ID + LEDGER_HASH_SIZE)
#define OFF_NAME (OFF_NAME_LEN + 1)
#define SEALED_LEN (LG_SEED_SIZE + LG_AEAD_TAG)
#define BLOB_FIXED (OFF_NAME + LG_AEAD_NONCE + SEALED_LEN)
#define BLOB_MAX (BLOB_FIXED + LEDGER_NAME_MAX)
#define B64_MAX LG_B64_LEN(BLOB_MAX)
#define TEXT_MAX (HEADER_LEN + B64_MAX + 1)
#define AD_MAX (HEADER_LEN + BLOB_MAX - SEALED_LEN)

_Static_assert(BLOB_FIXED == 140, "blob layout changed");
_Static_assert(TEXT_MAX <= LG_KEYFILE_FILE_MAX, "largest key file exceeds the read limit");

/* Test-only Argon2id limits for saving; 0 means "use the default". */
static uint64_t test_opslimit;
static uint64_t test_memlimit;

/* A parsed (not decrypted) key file. Pointers refer into blob. */
typedef struct {
    uint8_t blob[B64_MAX / 4 * 3];
    size_t blob_len;
    uint8_t kdf;
    uint64_t opslimit;
    uint64_t memlimit;
    char name[LEDGER_NAME_MAX + 1];
    size_t name_len;
    const uint8_t *nonce;
    const uint8_t *sealed;
    size_t ad_blob_len; /* blob bytes covered by the associated data */
} keyfile;

void
lg_keyfile_set_test_params(uint64_t opslimit, uint64_t memlimit)
{
    test_opslimit = opslimit;
    test_memlimit = memlimit;
}

static int
all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < len; i++)
        acc |= p[i];
    return acc == 0;
}

/* The header line is wrong: say whether it is a newer format version, so a
 * user with an old binary learns to upgrade rather than suspect damage. */
static int
bad_header(const uint8_t *text, size_t len)
{
    size_t plen = sizeof HEADER_PREFIX - 1, i = plen;

    if (len > plen && memcmp(text, HEADER_PREFIX, plen) == 0) {
        while (i < len && i - plen < 9 && text[i] >= '0' && text[i] <= '9')
            i++;
        /* A version is a decimal number without leading zeros. */
        if (i > plen && i < len && text[i] == '\n' && text[plen] != '0')
            return lg_error_set(LEDGER_EVERSION,
                                "format v%.*s is not supported (this build reads v1)",
                                (int)(i - plen), (const char *)text + plen);
    }
    return lg_error_set(
        LEDGER_EFORMAT,
        "not an attrledger secret key (line 1 must be \"attrledger secret key v1\")");
}

/* Strict parse of the whole file text; checks everything except the tag. */
static int
parse(keyfile *kf, const uint8_t *text, size_t len)
{
    const uint8_t *line, *nl, *b;
    size_t line_len;

    if (len < HEADER_LEN || memcmp(text, LG_KEYFILE_HEADER, HEADER_LEN) != 0)
        return bad_header(text, len);
    line = text + HEADER_LEN;
    nl = memchr(line, '\n', len - HEADER_LEN);
    if (nl == NULL)
        return lg_error_set(LEDGER_EFORMAT, "line 2 is missing or does not end with a newline");
    line_len = (size_t)(nl - line);
    if (HEADER_LEN + line_len + 1 != len)
        return lg_error_set(LEDGER_EFORMAT, "unexpected data after line 2");
    if (line_len == 0)
        return lg_error_set(LEDGER_EFORMAT, "line 2 is empty");
    /* Bound before decoding: the buffer holds the largest valid blob. */
    if (line_len > B64_MAX)
        return lg_error_set(LEDGER_EFORMAT, "line 2 is %zu bytes, max %d", line_len, (int)B64_MAX);
    if (lg_b64_decode(kf->blob, &kf->blob_len, (const char *)line, line_len) != 0)
        return lg_error_set(LEDGER_EFORMAT, "line 2 is not canonical standard base64");

    b = kf->blob;
    if (kf->blob_len < OFF_SALT)
        return lg_error_set(LEDGER_EFORMAT, "key data is %zu bytes, too short", kf->blob_len);
    if (b[0] != KF_VERSION)
        return lg_error_set(LEDGER_EVERSION, "key data version %u is not supported (want 1)", b[0]);
    if (b[1] != KF_ALG_ED25519)
        return lg_error_set(LEDGER_EFORMAT, "unknown key algorithm %u (want 1, Ed25519)", b[1]);
    kf->kdf = b[2];
    if (kf->kdf != LG_KEYFILE_KDF_NONE && kf->kdf != LG_KEYFILE_KDF_ARGON2ID)
        return lg_error_set(LEDGER_EFORMAT, "unknown kdf %u (want 0 or 1)", kf->kdf);
    if (kf->blob_len < BLOB_FIXED)
        return lg_error_set(LEDGER_EFORMAT, "key data is %zu bytes, too short", kf->blob_len);
    kf->name_len = b[OFF_NAME_LEN];
    if (kf->blob_len != BLOB_FIXED + kf->name_len)
        return lg_error_set(LEDGER_EFORMAT, "key data is %zu bytes, want %zu for a %zu-byte name",
                            kf->blob_len, BLOB_FIXED + kf->name_len, kf->name_len);
    if (!lg_key_name_valid((const char *)b + OFF_NAME, kf->name_len))
        return lg_error_set(LEDGER_EFORMAT, "invalid key name");
    memcpy(kf->name, b + OFF_NAME, kf->name_len);
    kf->name[kf->name_len] = '\0';

    kf->opslimit = lg_be_u64(b + OFF_OPS);
    kf->memlimit = lg_be_u64(b + OFF_MEM);
    if (kf->kdf == LG_KEYFILE_KDF_NONE) {
        /* One encoding per key: unused fields must be zero. */
        if (!all_zero(b + OFF_SALT, LG_ARGON2_SALT) || kf->opslimit != 0 || kf->memlimit != 0)
            return lg_error_set(LEDGER_EFORMAT, "unencrypted key has nonzero kdf parameters");
    } else {
        /* Reject before running the KDF: these come from the file, and
         * Argon2id would honour them (a hostile file could ask for 2^64
         * passes or a terabyte of memory). */
        if (kf->opslimit < lg_argon2id_ops_min() || kf->opslimit > lg_argon2id_ops_max())
            return lg_error_set(LEDGER_EFORMAT, "argon2id opslimit %llu outside %llu..%llu",
                                (unsigned long long)kf->opslimit,
                                (unsigned long long)lg_argon2id_ops_min(),
                                (unsigned long long)lg_argon2id_ops_max());
        if (kf->memlimit < lg_argon2id_mem_min() || kf->memlimit > lg_argon2id_mem_max())
            return lg_error_set(LEDGER_EFORMAT, "argon2id memlimit %llu outside %llu..%llu",
                                (unsigned long long)kf->memlimit,
                                (unsigned long long)lg_argon2id_mem_min(),
                                (unsigned long long)lg_argon2id_mem_max());
    }
    kf->nonce = b + OFF_NAME + kf->name_len;
    kf->sealed = kf->nonce + LG_AEAD_NONCE;
    kf->ad_blob_len = (size_t)(kf->sealed - b);
    return 0;
}

/* AD = header line || blob bytes before the sealed seed. */
static size_t
build_ad(uint8_t ad[AD_MAX], const uint8_t *blob, size_t blob_prefix_len)
{
    memcpy(ad, LG_KEYFILE_HEADER, HEADER_LEN);
    memcpy(ad + HEADER_LEN, blob, blob_prefix_len);
    return HEADER_LEN + blob_prefix_len;
}

int
lg_keyfile_inspect(uint8_t *kdf_out, const uint8_t *text, size_t len)
{
    keyfile kf;
    int rc;

    assert(kdf_out != NULL && text != NULL);
    if (kdf_out == NULL || text == NULL)
        return lg_error_set(LEDGER_EINVAL, "key file: missing argument");
    if ((rc = parse(&kf, text, len)) < 0)
        return rc;
    *kdf_out = kf.kdf;
    return 0;
}

int
lg_keyfile_decode(ledger_key **out, const uint8_t *text, size_t len, const char *passphrase,
                  size_t pass_len)
{
    keyfile kf;
    uint8_t ad[AD_MAX];
    uint8_t id[LEDGER_HASH_SIZE];
    uint8_t *k = NULL;    /* sealing key, guarded */
    uint8_t *seed = NULL; /* decrypted seed, guarded */
    ledger_key *key = NULL;
    size_t ad_len;
    int rc;

    assert(out != NULL && text != NULL);
    if (out == NULL || text == NULL)
        return lg_error_set(LEDGER_EINVAL, "key file: missing argument");
    if ((rc = parse(&kf, text, len)) < 0)
        goto done;
    if (kf.kdf == LG_KEYFILE_KDF_ARGON2ID && passphrase == NULL) {
        rc = lg_error_set(LEDGER_EPASSPHRASE, "key is encrypted and no passphrase was given");
        goto done;
    }
    k = lg_secure_alloc(LG_AEAD_KEY);
    seed = lg_secure_alloc(LG_SEED_SIZE);
    if (k == NULL || seed == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if (kf.kdf == LG_KEYFILE_KDF_ARGON2ID) {
        rc = lg_argon2id(k, LG_AEAD_KEY, passphrase, pass_len, kf.blob + OFF_SALT, kf.opslimit,
                         kf.memlimit);
        if (rc < 0)
            goto done;
    } else {
        memset(k, 0, LG_AEAD_KEY);
    }
    ad_len = build_ad(ad, kf.blob, kf.ad_blob_len);
    if (lg_aead_open(seed, kf.sealed, SEALED_LEN, ad, ad_len, kf.nonce, k) != 0) {
        /* With a passphrase we cannot tell a wrong one from a damaged file:
         * both fail the tag. Without one, only damage is possible. */
        rc = kf.kdf == LG_KEYFILE_KDF_ARGON2ID
                 ? lg_error_set(LEDGER_EPASSPHRASE, "wrong passphrase or damaged key file")
                 : lg_error_set(LEDGER_EFORMAT, "damaged key file (integrity check failed)");
        goto done;
    }
    if ((rc = ledger_key_from_seed(&key, kf.name, seed)) < 0)
        goto done;
    /* The tag already authenticates key_id, so a mismatch means the file
     * was written wrongly (or by someone holding the passphrase): refuse to
     * sign under an identity the file does not claim. */
    ledger_key_id(id, key);
    if (!lg_ct_equal(id, kf.blob + OFF_KEY_ID, LEDGER_HASH_SIZE)) {
        rc = lg_error_set(LEDGER_EFORMAT, "key id does not match");
        goto done;
    }
    *out = key;
    key = NULL;
    rc = 0;
done:
    ledger_key_free(key);
    lg_secure_free(k);
    lg_secure_free(seed);
    /* For kdf 0 the blob and AD do not hold the seed in the clear, but the
     * sealed seed is as good as plaintext: wipe the copy. */
    lg_memzero(&kf, sizeof kf);
    return rc;
}

/* Serialise and seal `key` into text[TEXT_MAX]; sets *text_len. */
static int
encode(char *text, size_t *text_len, const ledger_key *key, const char *passphrase, size_t pass_len)
{
    uint8_t blob[BLOB_MAX];
    uint8_t ad[AD_MAX];
    const char *name = ledger_key_name(key);
    size_t name_len = strlen(name), blob_len = BLOB_FIXED + name_len, ad_len;
    uint8_t kdf = passphrase != NULL ? LG_KEYFILE_KDF_ARGON2ID : LG_KEYFILE_KDF_NONE;
    uint64_t ops = 0, mem = 0;
    uint8_t *k = NULL, *nonce;
    int rc;

    assert(name_len >= 1 && name_len <= LEDGER_NAME_MAX);
    memset(blob, 0, sizeof blob);
    blob[0] = KF_VERSION;
    blob[1] = KF_ALG_ED25519;
    blob[2] = kdf;
    if (kdf == LG_KEYFILE_KDF_ARGON2ID) {
        lg_random(blob + OFF_SALT, LG_ARGON2_SALT);
        ops = test_opslimit != 0 ? test_opslimit : lg_argon2id_ops_moderate();
        mem = test_memlimit != 0 ? test_memlimit : lg_argon2id_mem_moderate();
    }
    lg_u64_be(blob + OFF_OPS, ops);
    lg_u64_be(blob + OFF_MEM, mem);
    ledger_key_id(blob + OFF_KEY_ID, key);
    blob[OFF_NAME_LEN] = (uint8_t)name_len;
    memcpy(blob + OFF_NAME, name, name_len);
    nonce = blob + OFF_NAME + name_len;
    lg_random(nonce, LG_AEAD_NONCE);

    k = lg_secure_alloc(LG_AEAD_KEY);
    if (k == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if (kdf == LG_KEYFILE_KDF_ARGON2ID) {
        if ((rc = lg_argon2id(k, LG_AEAD_KEY, passphrase, pass_len, blob + OFF_SALT, ops, mem)) < 0)
            goto done;
    } else {
        memset(k, 0, LG_AEAD_KEY);
    }
    ad_len = build_ad(ad, blob, (size_t)(nonce + LG_AEAD_NONCE - blob));
    lg_aead_seal(nonce + LG_AEAD_NONCE, lg_key_seed(key), LG_SEED_SIZE, ad, ad_len, nonce, k);

    memcpy(text, LG_KEYFILE_HEADER, HEADER_LEN);
    lg_b64_encode(text + HEADER_LEN, blob, blob_len);
    *text_len = HEADER_LEN + LG_B64_LEN(blob_len) + 1;
    text[*text_len - 1] = '\n';
    rc = 0;
done:
    lg_secure_free(k);
    lg_memzero(blob, sizeof blob);
    return rc;
}

/* ---- files ---- */

static int
sys_error(int code, const char *what, const char *path, int err)
{
    char msg[128];

    if (strerror_r(err, msg, sizeof msg) != 0)
        msg[0] = '\0';
    return lg_error_set(code, "key file %s: %s: %s", path, what, msg);
}

/* New files are created exclusively; LEDGER_KEY_FORCE replaces through a
 * temporary file and rename. Both through base/fsutil, which never
 * follows a symbolic link and leaves nothing behind on failure. */
static int
write_key_file(const char *path, const char *data, size_t len, mode_t mode, int force)
{
    int rc;

    if (force)
        return lg_fs_write_atomic(path, data, len, mode);
    rc = lg_fs_write_new(path, data, len, mode);
    if (rc == LEDGER_EEXISTS)
        return lg_error_set(LEDGER_EEXISTS, "%s exists; use --force to replace it", path);
    return rc;
}

/* Read a key file into buf (LG_KEYFILE_FILE_MAX + 1 bytes), enforcing type,
 * permissions and size. Messages name the path. */
static int
read_key_file(uint8_t *buf, size_t *len_out, const char *path)
{
    struct stat st;
    size_t len = 0;
    int fd, rc = 0;

    /* O_NONBLOCK: opening a FIFO must not hang; it is refused below. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return lg_error_set(LEDGER_ENOTFOUND, "key file %s does not exist", path);
        return sys_error(LEDGER_EIO, "cannot open", path, errno);
    }
    if (fstat(fd, &st) != 0) {
        rc = sys_error(LEDGER_EIO, "cannot stat", path, errno);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = lg_error_set(LEDGER_EIO, "key file %s is not a regular file", path);
        goto done;
    }
    /* Like ssh: a secret key that others can read (or replace) is refused
     * rather than silently used. */
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        rc = lg_error_set(LEDGER_EIO,
                          "key file %s is accessible by group or others (mode %04o); "
                          "run: chmod 600 %s",
                          path, (unsigned)(st.st_mode & 07777), path);
        goto done;
    }
    /* Read at most one byte past the limit: the size is checked on what we
     * read, not on st_size, which may change under us. */
    while (len <= LG_KEYFILE_FILE_MAX) {
        ssize_t n = read(fd, buf + len, LG_KEYFILE_FILE_MAX + 1 - len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = sys_error(LEDGER_EIO, "cannot read", path, errno);
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (len > LG_KEYFILE_FILE_MAX) {
        rc = lg_error_set(LEDGER_EFORMAT, "key file %s is larger than %d bytes", path,
                          LG_KEYFILE_FILE_MAX);
        goto done;
    }
    *len_out = len;
done:
    close(fd);
    return rc;
}

int
ledger_key_save(const ledger_key *key, const char *path, const char *passphrase, size_t pass_len,
                unsigned flags)
{
    char text[TEXT_MAX];
    size_t text_len = 0;
    int rc;

    assert(key != NULL && path != NULL && (flags & ~LEDGER_KEY_FORCE) == 0);
    if (key == NULL || path == NULL)
        return lg_error_set(LEDGER_EINVAL, "ledger_key_save: missing argument");
    if ((flags & ~LEDGER_KEY_FORCE) != 0)
        return lg_error_set(LEDGER_EINVAL, "ledger_key_save: unknown flags 0x%x", flags);
    if ((rc = encode(text, &text_len, key, passphrase, pass_len)) < 0) {
        lg_error_prefix(rc, "key file %s", path);
        goto done;
    }
    rc = write_key_file(path, text, text_len, 0600, (flags & LEDGER_KEY_FORCE) != 0);
done:
    lg_memzero(text, sizeof text);
    return rc;
}

int
ledger_key_load(ledger_key **out, const char *path, const char *passphrase, size_t pass_len)
{
    uint8_t buf[LG_KEYFILE_FILE_MAX + 1];
    size_t len = 0;
    int rc;

    assert(out != NULL && path != NULL);
    if (out == NULL || path == NULL)
        return lg_error_set(LEDGER_EINVAL, "ledger_key_load: missing argument");
    if ((rc = read_key_file(buf, &len, path)) < 0)
        goto done;
    if ((rc = lg_keyfile_decode(out, buf, len, passphrase, pass_len)) < 0)
        lg_error_prefix(rc, "key file %s", path);
done:
    lg_memzero(buf, sizeof buf);
    return rc;
}

int
ledger_key_file_encrypted(int *encrypted_out, const char *path)
{
    uint8_t buf[LG_KEYFILE_FILE_MAX + 1];
    size_t len = 0;
    uint8_t kdf = 0;
    int rc;

    assert(encrypted_out != NULL && path != NULL);
    if (encrypted_out == NULL || path == NULL)
        return lg_error_set(LEDGER_EINVAL, "ledger_key_file_encrypted: missing argument");
    if ((rc = read_key_file(buf, &len, path)) < 0)
        goto done;
    if ((rc = lg_keyfile_inspect(&kdf, buf, len)) < 0) {
        lg_error_prefix(rc, "key file %s", path);
        goto done;
    }
    *encrypted_out = kdf != LG_KEYFILE_KDF_NONE;
done:
    lg_memzero(buf, sizeof buf);
    return rc;
}

/* ---- public key files (FILE.pub): one C2SP verifier-key line ---- */

#define LG_VKEY_FILE_MAX 1024

int
ledger_vkey_save(const ledger_vkey *vkey, const char *path, unsigned flags)
{
    ledger_buf text = LEDGER_BUF_INIT;
    char *line = NULL;
    int rc;

    if (vkey == NULL || path == NULL || (flags & ~LEDGER_KEY_FORCE) != 0)
        return lg_error_set(LEDGER_EINVAL, "vkey save: bad argument");
    if ((rc = ledger_vkey_format(&text, vkey)) < 0)
        return rc;
    line = lg_malloc(text.len + 2);
    if (line == NULL) {
        ledger_buf_dispose(&text);
        return lg_error_nomem();
    }
    memcpy(line, text.data, text.len);
    line[text.len] = '\n';
    rc = write_key_file(path, line, text.len + 1, 0644, (flags & LEDGER_KEY_FORCE) != 0);
    lg_free(line);
    ledger_buf_dispose(&text);
    return rc;
}

int
ledger_vkey_load(ledger_vkey *out, const char *path)
{
    char buf[LG_VKEY_FILE_MAX + 1];
    size_t len = 0;
    FILE *f;
    int rc;

    if (out == NULL || path == NULL)
        return lg_error_set(LEDGER_EINVAL, "vkey load: bad argument");
    f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT ? lg_error_set(LEDGER_ENOTFOUND, "%s: no such file", path)
                               : sys_error(LEDGER_EIO, "cannot open", path, errno);
    len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (len > LG_VKEY_FILE_MAX)
        return lg_error_set(LEDGER_EFORMAT, "%s: a verifier key file is one short line", path);
    /* One line; the trailing newline is optional. */
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    if ((rc = ledger_vkey_parse(out, buf, len)) < 0)
        return lg_error_prefix(rc, "%s", path);
    return 0;
}
