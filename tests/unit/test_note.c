/*
 * test_note.c - signed notes, checkpoints, key strings, cosignatures and
 * receipts (note.c).
 *
 * Known answers come from reference/tlog-test-vectors.md: 5.1-5.8 (Go
 * sumdb/note, C2SP signed-note, transparency-dev/formats), 6 (checkpoint
 * text), 8-9 (witness and cosignature shapes, format only) and 10 (our
 * self-derived, twice cross-checked vectors). Property loops flip every bit
 * of signed notes, cut every prefix and feed random garbage to each parser.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "attrledger/error.h"
#include "attrledger/key.h"
#include "base/b64.h"
#include "crypto/crypto.h"
#include "tlog/note.h"
#include "testutil.h"

/* ---- vectors ---- */

/* 5.1 */
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SEED "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173"
#define PETER_PK "1a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6"
#define TEXT                                                                                       \
    "If you think cryptography is the answer to your problem,\n"                                   \
    "then you don't know what your problem is.\n"
#define PETER_SIG                                                                                  \
    "— PeterNeumann "                                                                            \
    "x08go/ZJkuBS9UG/"                                                                             \
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define PETER_NOTE TEXT "\n" PETER_SIG

/* 5.2 */
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define ENOCH_SIG                                                                                  \
    "— EnochRoot "                                                                               \
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"                                                 \
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

/* 5.5 */
#define FOO_VKEY "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
#define FOO_NOTE                                                                                   \
    "This is an example message.\n"                                                                \
    "\n"                                                                                           \
    "— example.com/foo "                                                                         \
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=" \
    "\n"

/* 5.6 */
#define SUM_VKEY "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
#define SUM_NOTE                                                                                   \
    "go.sum database tree\n"                                                                       \
    "6476701\n"                                                                                    \
    "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n"                                               \
    "\n"                                                                                           \
    "— sum.golang.org "                                                                          \
    "Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=" \
    "\n"
#define MONKEYS_VKEY "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT"
#define MONKEYS_SIG                                                                                \
    "— monkeys "                                                                                 \
    "202ffh9ve46Mqbhuyb4wnC2Pwdan5EsXQym/"                                                         \
    "tF1ggXJqhjGosU4T5intH4iKMRgDLxrnXuIjRaU2NbvAnaepM6Y+8ww=\n"
#define BANANAS_VKEY "bananas+cf639f13+AaPjhFnPCQnid/Ql32KWhmh+uk72FVRfK+2DLmO3BI3M"
#define BANANAS_SIG                                                                                \
    "— bananas "                                                                                 \
    "z2OfE+2bbsBZ7NLgfuslc0v7NFW2QyexJ7fhePpoL2N/P7N/COd5S+JNHbQEAlYzz2C5sg0E+x/MggS1mDR6t3/"      \
    "9rQw=\n"
#define WITNESS_VKEY "witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN"
#define WITNESS_B64                                                                                \
    "8TqG25yWGFLdT7WPf/WoyeG3LwqtkXP+8S3yykOVm6EMh4hPgCke6eSVPU4BdtXNMPJBXKF+UpDbGgCdcpR8SVSoqAU="
#define WITNESS_SIG "— witness " WITNESS_B64 "\n"

/* 10.1 - 10.5 */
#define LOG_SKEY "PRIVATE+KEY+example.org/log+0714fd3d+ARERERERERERERERERERERERERERERERERERERERERER"
#define LOG_VKEY "example.org/log+0714fd3d+AdBKsjJ0K7SrOhNovUYV5ObQIkq3GgFrr4UgozLJd4c3"
#define W1_VKEY "witness.example.org/w1+cfcd1a67+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
#define W1_PK "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define CP8_BODY "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
#define CP8_LOG_SIG                                                                                \
    "— example.org/log "                                                                         \
    "BxT9PVy9PqG6P3m6QIQcfaYYOJewCbAyvjBEOSgFtdQtbDjSrSs73rubAdK2HEafaTrru3rlST9X05g38HtND99qHwo=" \
    "\n"
#define CP8_W1_SIG                                                                                 \
    "— witness.example.org/w1 "                                                                  \
    "z80aZwAAAABlU/EAMq0zAyTIGPH31w8FnVHS9Vy2lZBjaytZqF0ma7YabQL0QQSG5yrNrh3cHH672sdiV3jniQY0J4sS" \
    "emWdGuhjDg==\n"
#define CP8_NOTE CP8_BODY "\n" CP8_LOG_SIG CP8_W1_SIG
#define RECEIPT5                                                                                   \
    "c2sp.org/tlog-proof@v1\n"                                                                     \
    "index 5\n"                                                                                    \
    "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n"                                               \
    "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n"                                               \
    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n"                                               \
    "\n" CP8_NOTE

/* 6 and 8 */
#define SOFA_NOTE                                                                                  \
    "example.com/behind-the-sofa\n"                                                                \
    "20852163\n"                                                                                   \
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"                                               \
    "\n"                                                                                           \
    "— example.com/behind-the-sofa "                                                             \
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"                                    \
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
#define SOFA_SIG2                                                                                  \
    "— example.com/behind-the-sofa "                                                             \
    "opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/"                                 \
    "V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n"
#define ADD_CHECKPOINT                                                                             \
    "old 20852014\n"                                                                               \
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"                                               \
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"                                               \
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"                                               \
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"                                               \
    "\n" SOFA_NOTE SOFA_SIG2
/* 9 */
#define SPEC_COSIG                                                                                 \
    "— witness.example.com/w1 "                                                                  \
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIU" \
    "BkBIfZ+qnA==\n"

/* ---- helpers ---- */

#define U8(s) ((const uint8_t *)(s))
/* A string literal as (bytes, length), embedded NULs included. */
#define LIT(s) U8(s), (sizeof(s) - 1)

/* Assert `expr` returns `code` and the message contains `substr`. */
#define EXPECT_ERR(expr, code, substr)                                                             \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != (code))                                                                         \
            fail_msg("%s returned %d, want %d: %s", #expr, rc_, (code),                            \
                     ledger_error_last()->message);                                                \
        if (strstr(ledger_error_last()->message, (substr)) == NULL)                                \
            fail_msg("%s: message \"%s\" lacks \"%s\"", #expr, ledger_error_last()->message,       \
                     (substr));                                                                    \
    } while (0)

/* Concatenate NUL-terminated strings (NULL-terminated list); malloc'd. */
static char *
cat(const char *first, ...)
{
    va_list ap;
    size_t len = 0;
    const char *s;
    char *out;

    va_start(ap, first);
    for (s = first; s != NULL; s = va_arg(ap, const char *))
        len += strlen(s);
    va_end(ap);
    out = malloc(len + 1);
    assert_non_null(out);
    out[0] = '\0';
    va_start(ap, first);
    for (s = first; s != NULL; s = va_arg(ap, const char *))
        strcat(out, s);
    va_end(ap);
    return out;
}

static ledger_vkey
vkey(const char *s)
{
    ledger_vkey vk;

    TU_OK(lg_vkey_parse(&vk, s, strlen(s)));
    return vk;
}

/* Parse then verify; the verdict of Go's note.Open. */
static int
open_note(const uint8_t *msg, size_t len, const ledger_vkey *keys, size_t n, int *verified)
{
    lg_note *note = NULL;
    int rc = lg_note_parse(&note, msg, len);

    if (rc == 0)
        rc = lg_note_verify(note, keys, n, verified, NULL);
    lg_note_free(note);
    return rc;
}

static int
open_str(const char *msg, const ledger_vkey *keys, size_t n, int *verified)
{
    return open_note(U8(msg), strlen(msg), keys, n, verified);
}

static int
parse_str(const char *msg)
{
    lg_note *note = NULL;
    int rc = lg_note_parse(&note, U8(msg), strlen(msg));

    lg_note_free(note);
    return rc;
}

static void
assert_buf_eq(const ledger_buf *b, const char *want)
{
    assert_non_null(b->data);
    assert_int_equal(b->len, strlen(want));
    assert_memory_equal(b->data, want, b->len);
    assert_int_equal(b->data[b->len], '\0');
}

static ledger_key *
key_from_hex_seed(const char *name, const char *hex)
{
    uint8_t seed[32];
    ledger_key *k = NULL;

    assert_int_equal(tu_hex(seed, sizeof seed, hex), 32);
    TU_OK(ledger_key_from_seed(&k, name, seed));
    return k;
}

static ledger_key *
log_key(void)
{
    uint8_t seed[32];
    ledger_key *k = NULL;

    memset(seed, 0x11, sizeof seed);
    TU_OK(ledger_key_from_seed(&k, "example.org/log", seed));
    return k;
}

static ledger_key *
witness_key(void)
{
    uint8_t seed[32];
    ledger_key *k = NULL;

    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    TU_OK(ledger_key_from_seed(&k, "witness.example.org/w1", seed));
    return k;
}

/* Deterministic PRNG for the property loops (xorshift64*). */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

/* Run every parser on the bytes; none may crash, leak or misbehave. */
static void
feed_all_parsers(const uint8_t *p, size_t len, const ledger_vkey *keys, size_t n_keys)
{
    lg_note *note = NULL;
    lg_checkpoint cp;
    lg_receipt r;
    ledger_vkey vk;
    ledger_key *k = NULL;
    int verified[8];
    uint64_t ts[8];

    if (lg_note_parse(&note, p, len) == 0) {
        assert_true(note->n_sigs >= 1 && note->n_sigs <= LG_NOTE_MAX_SIGS);
        assert_true(note->text_len < len && note->buf[note->text_len - 1] == '\n');
        (void)lg_note_verify(note, keys, n_keys, verified, ts);
        lg_note_free(note);
    }
    (void)lg_checkpoint_parse(&cp, p, len);
    if (lg_receipt_parse(&r, p, len) == 0)
        assert_true(r.note >= p && r.note + r.note_len == p + len);
    (void)lg_vkey_parse(&vk, (const char *)p, len);
    if (lg_skey_parse(&k, (const char *)p, len) == 0)
        ledger_key_free(k);
}

/* ---- 5.1 PeterNeumann ---- */

static void
note_peter_keys_parse(void **state)
{
    ledger_key *k = NULL;
    ledger_vkey vk, derived;
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t want[32];

    (void)state;
    TU_OK(lg_vkey_parse(&vk, PETER_VKEY, strlen(PETER_VKEY)));
    assert_string_equal(vk.name, "PeterNeumann");
    assert_int_equal(vk.type, LEDGER_SIGTYPE_ED25519);
    assert_int_equal(vk.note_id, 0xc74f20a3u);
    assert_int_equal(tu_hex(want, sizeof want, PETER_PK), 32);
    assert_memory_equal(vk.public_key, want, 32);

    TU_OK(lg_skey_parse(&k, PETER_SKEY, strlen(PETER_SKEY)));
    assert_string_equal(ledger_key_name(k), "PeterNeumann");
    assert_int_equal(tu_hex(want, sizeof want, PETER_SEED), 32);
    assert_memory_equal(lg_key_seed(k), want, 32);
    ledger_key_vkey(&derived, k, LEDGER_SIGTYPE_ED25519);
    assert_memory_equal(&derived, &vk, sizeof vk);

    TU_OK(lg_vkey_format(&b, &vk));
    assert_buf_eq(&b, PETER_VKEY);
    ledger_buf_dispose(&b);
    TU_OK(lg_skey_format(&b, k));
    assert_buf_eq(&b, PETER_SKEY);
    lg_memzero(b.data, b.len);
    ledger_buf_dispose(&b);
    ledger_key_free(k);
}

static void
note_peter_sign_reproduces_vector(void **state)
{
    ledger_key *k = NULL;
    ledger_buf b = LEDGER_BUF_INIT;
    ledger_vkey vk = vkey(PETER_VKEY);
    int verified[1];

    (void)state;
    assert_int_equal(strlen(TEXT), 99);
    TU_OK(lg_skey_parse(&k, PETER_SKEY, strlen(PETER_SKEY)));
    TU_OK(lg_note_sign(&b, U8(TEXT), strlen(TEXT), k));
    assert_buf_eq(&b, PETER_NOTE);
    TU_OK(open_note(b.data, b.len, &vk, 1, verified));
    assert_int_equal(verified[0], 1);
    ledger_buf_dispose(&b);
    ledger_key_free(k);
}

static void
note_parse_layout(void **state)
{
    lg_note *n = NULL;
    uint8_t raw[68];

    (void)state;
    TU_OK(lg_note_parse(&n, U8(PETER_NOTE), strlen(PETER_NOTE)));
    assert_int_equal(n->text_len, 99);
    assert_memory_equal(n->buf, TEXT, 99);
    assert_int_equal(n->n_sigs, 1);
    assert_string_equal(n->sigs[0].name, "PeterNeumann");
    assert_int_equal(n->sigs[0].id, 0xc74f20a3u);
    assert_int_equal(n->sigs[0].sig_len, 64);
    assert_int_equal(
        tu_b64(raw, sizeof raw,
               "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
               "gotpRZb6KE6RyyBwJnAM="),
        68);
    assert_memory_equal(n->sigs[0].sig, raw + 4, 64);
    assert_int_equal(n->sigs[0].line_len, strlen(PETER_SIG));
    assert_memory_equal(n->sigs[0].line, PETER_SIG, strlen(PETER_SIG));
    lg_note_free(n);
}

/* ---- 5.2 TestOpen behaviours ---- */

static void
note_open_known_and_unknown_signers(void **state)
{
    ledger_vkey keys[2] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY)};
    char *msg = cat(TEXT, "\n", PETER_SIG, ENOCH_SIG, NULL);
    lg_note *n = NULL;
    int verified[2];

    (void)state;
    /* Only Peter known: Peter verifies, Enoch is unverified. */
    TU_OK(lg_note_parse(&n, U8(msg), strlen(msg)));
    assert_int_equal(n->n_sigs, 2);
    TU_OK(lg_note_verify(n, keys, 1, verified, NULL));
    assert_int_equal(verified[0], 1);
    assert_int_equal(lg_note_sig_key(&n->sigs[0], keys, 1), 0);
    assert_int_equal(lg_note_sig_key(&n->sigs[1], keys, 1), -1);
    /* Both known: both verify. */
    TU_OK(lg_note_verify(n, keys, 2, verified, NULL));
    assert_int_equal(verified[0], 1);
    assert_int_equal(verified[1], 1);
    assert_int_equal(lg_note_sig_key(&n->sigs[1], keys, 2), 1);
    /* Only Enoch known. */
    TU_OK(lg_note_verify(n, keys + 1, 1, verified, NULL));
    assert_int_equal(verified[0], 1);
    /* None known. */
    EXPECT_ERR(lg_note_verify(n, NULL, 0, NULL, NULL), LEDGER_EBADSIG,
               "note has no verifiable signatures");
    lg_note_free(n);
    free(msg);
}

static void
note_duplicate_signatures_collapse(void **state)
{
    ledger_vkey keys[2] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY)};
    char *msg = cat(TEXT, "\n", PETER_SIG, ENOCH_SIG, PETER_SIG, ENOCH_SIG, PETER_SIG, NULL);
    lg_note *n = NULL;
    int verified[2];

    (void)state;
    TU_OK(lg_note_parse(&n, U8(msg), strlen(msg)));
    assert_int_equal(n->n_sigs, 2);
    TU_OK(lg_note_verify(n, keys, 1, verified, NULL));
    TU_OK(lg_note_verify(n, keys, 2, verified, NULL));
    assert_int_equal(verified[1], 1);
    lg_note_free(n);
    free(msg);
}

/* Go TestOpen: "ABCD" spliced into a signature 60 bytes into the line. */
static char *
splice_abcd(const char *line)
{
    char *out = malloc(strlen(line) + 5);

    assert_non_null(out);
    memcpy(out, line, 60);
    memcpy(out + 60, "ABCD", 4);
    strcpy(out + 64, line + 60);
    return out;
}

static void
note_corrupt_known_signature_rejects_note(void **state)
{
    ledger_vkey keys[2] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY)};
    char *bad = splice_abcd(PETER_SIG);
    char *msg = cat(TEXT, "\n", bad, ENOCH_SIG, NULL);
    char *inplace = cat(PETER_NOTE, NULL);
    char *p;

    (void)state;
    /* The spliced signature still parses (valid base64, 67 bytes). */
    assert_int_equal(parse_str(msg), 0);
    EXPECT_ERR(open_str(msg, keys, 2, NULL), LEDGER_EBADSIG,
               "invalid signature for key PeterNeumann+c74f20a3");
    /* Even when another known key verifies. */
    EXPECT_ERR(open_str(msg, keys, 1, NULL), LEDGER_EBADSIG, "PeterNeumann+c74f20a3");

    /* Same-length corruption of four characters inside the signature. */
    p = strstr(inplace, "BtiF");
    assert_non_null(p);
    memcpy(p, "AAAA", 4);
    EXPECT_ERR(open_str(inplace, keys, 1, NULL), LEDGER_EBADSIG,
               "invalid signature for key PeterNeumann+c74f20a3");
    free(inplace);
    free(msg);
    free(bad);
}

static void
note_corrupt_unknown_signature_is_ignored(void **state)
{
    ledger_vkey keys[2] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY)};
    char *bad = splice_abcd(ENOCH_SIG);
    char *msg = cat(TEXT, "\n", PETER_SIG, bad, NULL);
    int verified[1];

    (void)state;
    TU_OK(open_str(msg, keys, 1, verified));
    assert_int_equal(verified[0], 1);
    /* Once Enoch is known, the same note is rejected. */
    EXPECT_ERR(open_str(msg, keys, 2, NULL), LEDGER_EBADSIG, "EnochRoot+af0cfe78");
    free(msg);
    free(bad);
}

static void
note_second_different_signature_by_known_key_rejects(void **state)
{
    /* Stricter than Go (which verifies only the first per key): a forged
     * line under a known name+ID next to a good one rejects the note. */
    ledger_vkey peter = vkey(PETER_VKEY);
    char *forged = cat(PETER_SIG, NULL);
    char *msg;
    char *p = strstr(forged, "BtiF");

    (void)state;
    memcpy(p, "AAAA", 4);
    msg = cat(TEXT, "\n", PETER_SIG, forged, NULL);
    EXPECT_ERR(open_str(msg, &peter, 1, NULL), LEDGER_EBADSIG, "invalid signature");
    free(msg);
    free(forged);
}

static void
note_name_or_id_mismatch_is_unknown(void **state)
{
    ledger_vkey wrong_name = vkey(PETER_VKEY), wrong_id = vkey(PETER_VKEY);

    (void)state;
    /* Same key ID under another name, and the right name with another ID:
     * both are "unknown", so nothing verifies. */
    strcpy(wrong_name.name, "PeterNeumanN");
    wrong_id.note_id ^= 1;
    EXPECT_ERR(open_str(PETER_NOTE, &wrong_name, 1, NULL), LEDGER_EBADSIG, "no verifiable");
    EXPECT_ERR(open_str(PETER_NOTE, &wrong_id, 1, NULL), LEDGER_EBADSIG, "no verifiable");
}

static void
note_verify_rejects_ambiguous_keys(void **state)
{
    ledger_vkey keys[3] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY), vkey(PETER_VKEY)};
    ledger_vkey odd = vkey(PETER_VKEY);
    lg_note *n = NULL;

    (void)state;
    TU_OK(lg_note_parse(&n, U8(PETER_NOTE), strlen(PETER_NOTE)));
    EXPECT_ERR(lg_note_verify(n, keys, 3, NULL, NULL), LEDGER_EINVAL,
               "ambiguous key PeterNeumann+c74f20a3");
    odd.type = 0x02;
    EXPECT_ERR(lg_note_verify(n, &odd, 1, NULL, NULL), LEDGER_EINVAL, "unsupported");
    lg_note_free(n);
}

static void
note_text_may_contain_blank_lines(void **state)
{
    static const char text[] = "first\n\nthird\n\n";
    ledger_key *k = key_from_hex_seed("PeterNeumann", PETER_SEED);
    ledger_vkey vk = vkey(PETER_VKEY);
    ledger_buf b = LEDGER_BUF_INIT;
    lg_note *n = NULL;

    (void)state;
    TU_OK(lg_note_sign(&b, U8(text), strlen(text), k));
    TU_OK(lg_note_parse(&n, b.data, b.len));
    assert_int_equal(n->text_len, strlen(text));
    assert_memory_equal(n->buf, text, strlen(text));
    TU_OK(lg_note_verify(n, &vk, 1, NULL, NULL));
    lg_note_free(n);
    ledger_buf_dispose(&b);
    ledger_key_free(k);
}

static void
note_sign_rejects_bad_text(void **state)
{
    ledger_key *k = key_from_hex_seed("PeterNeumann", PETER_SEED);
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    EXPECT_ERR(lg_note_sign(&b, LIT("no newline"), k), LEDGER_EFORMAT, "end with a newline");
    EXPECT_ERR(lg_note_sign(&b, LIT(""), k), LEDGER_EFORMAT, "newline");
    EXPECT_ERR(lg_note_sign(&b, LIT("a\r\n"), k), LEDGER_EFORMAT, "control character 0x0d");
    EXPECT_ERR(lg_note_sign(&b, LIT("a\n\xc0\xaf\n"), k), LEDGER_EFORMAT, "line 2: invalid UTF-8");
    assert_null(b.data);
    ledger_key_free(k);
}

/* ---- 5.3 malformed notes ---- */

static void
note_malformed_notes_rejected(void **state)
{
    char *s;
    size_t len;

    (void)state;
    /* 1. text alone */
    EXPECT_ERR(parse_str(TEXT), LEDGER_EFORMAT, "no blank line");
    /* 2. blank line but no signature */
    EXPECT_ERR(parse_str(TEXT "\n"), LEDGER_EFORMAT, "note line 4: no signature lines");
    /* 3. last signature line without its newline */
    s = cat(PETER_NOTE, NULL);
    len = strlen(s);
    EXPECT_ERR(lg_note_parse(&(lg_note *){NULL}, U8(s), len - 1), LEDGER_EFORMAT,
               "note line 4: signature line must end with a newline");
    free(s);
    /* 4. control character */
    EXPECT_ERR(parse_str("\x01" PETER_NOTE), LEDGER_EFORMAT, "note line 1: control character");
    /* 5. invalid UTF-8 */
    EXPECT_ERR(parse_str("\xff" PETER_NOTE), LEDGER_EFORMAT, "note line 1: invalid UTF-8");
    /* 6. key name with a space */
    EXPECT_ERR(parse_str(TEXT
                         "\n— Bad Name "
                         "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
                         "ngotpRZb6KE6RyyBwJnAM=\n"),
               LEDGER_EFORMAT, "note line 4: signature is not valid base64");
    EXPECT_ERR(parse_str(TEXT
                         "\n— Bad\xc2\xa0Name "
                         "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
                         "ngotpRZb6KE6RyyBwJnAM=\n"),
               LEDGER_EFORMAT, "note line 4: invalid key name");
    /* 7. a non-signature line after the separator */
    EXPECT_ERR(parse_str(PETER_NOTE "Unexpected line.\n"), LEDGER_EFORMAT,
               "note line 5: signature line must start with \"— \"");
}

static void
note_malformed_signature_lines_rejected(void **state)
{
    (void)state;
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann\n"), LEDGER_EFORMAT, "has no signature");
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann \n"), LEDGER_EFORMAT, "not valid base64");
    EXPECT_ERR(parse_str(TEXT "\n—  x08go/ZJ\n"), LEDGER_EFORMAT, "invalid key name");
    EXPECT_ERR(parse_str(TEXT "\n— a+b x08go/ZJ\n"), LEDGER_EFORMAT, "invalid key name");
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann AAAAAA==\n"), LEDGER_EFORMAT,
               "shorter than 5 bytes");
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann AAAA\n"), LEDGER_EFORMAT, "shorter than 5 bytes");
    assert_int_equal(parse_str(TEXT "\n— PeterNeumann AAAAAAA=\n"), 0); /* exactly 5 */
    /* Non-canonical base64 (trailing bits set), padding in the middle,
     * and two spaces. */
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann AAAAAAB=\n"), LEDGER_EFORMAT, "base64");
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann AA==AAAAAAAA\n"), LEDGER_EFORMAT, "base64");
    EXPECT_ERR(parse_str(TEXT "\n— PeterNeumann  AAAAAAAA\n"), LEDGER_EFORMAT, "base64");
    /* An en dash or a missing space is not the separator. */
    EXPECT_ERR(parse_str(TEXT "\n\xe2\x80\x93 PeterNeumann AAAAAAAA\n"), LEDGER_EFORMAT,
               "must start with");
    EXPECT_ERR(parse_str(TEXT "\n—PeterNeumann AAAAAAAA\n"), LEDGER_EFORMAT, "must start with");
    /* Signature block followed by another blank line. */
    EXPECT_ERR(parse_str(PETER_NOTE "\n"), LEDGER_EFORMAT, "no signature lines");
    /* Empty input, CR, NUL, tab. */
    EXPECT_ERR(parse_str(""), LEDGER_EFORMAT, "empty");
    EXPECT_ERR(parse_str("a\r\n\n— PeterNeumann AAAAAAAA\n"), LEDGER_EFORMAT, "control");
    EXPECT_ERR(lg_note_parse(&(lg_note *){NULL}, LIT("a\0\n\n— x AAAAAAAA\n")), LEDGER_EFORMAT,
               "control character 0x00");
    EXPECT_ERR(parse_str("a\tb\n\n— x AAAAAAAA\n"), LEDGER_EFORMAT, "control character 0x09");
    /* Surrogates and overlong forms are invalid UTF-8. */
    EXPECT_ERR(parse_str("\xed\xa0\x80\n\n— x AAAAAAAA\n"), LEDGER_EFORMAT, "invalid UTF-8");
    EXPECT_ERR(parse_str("\xe0\x80\xaf\n\n— x AAAAAAAA\n"), LEDGER_EFORMAT, "invalid UTF-8");
    EXPECT_ERR(parse_str("\xf4\x90\x80\x80\n\n— x AAAAAAAA\n"), LEDGER_EFORMAT, "invalid UTF-8");
    /* ...but DEL and non-ASCII text are fine, as in Go. */
    assert_int_equal(parse_str("\x7f \xe2\x82\xac \xf0\x9f\x94\x91\n\n— x AAAAAAAA\n"), 0);
}

static void
note_signature_count_limit(void **state)
{
    size_t one = strlen(PETER_SIG), head = strlen(TEXT) + 1;
    char *msg = malloc(head + 101 * one + 1);
    char line[64];
    size_t len;
    lg_note *n = NULL;

    (void)state;
    assert_non_null(msg);
    memcpy(msg, TEXT "\n", head);
    len = head;
    for (int i = 0; i < 100; i++, len += one)
        memcpy(msg + len, PETER_SIG, one);
    /* 100 lines (all duplicates) are accepted and collapse to one. */
    TU_OK(lg_note_parse(&n, U8(msg), len));
    assert_int_equal(n->n_sigs, 1);
    lg_note_free(n);
    n = NULL;
    /* 101 lines are too many, duplicates or not (5.3 case 8). */
    memcpy(msg + len, PETER_SIG, one);
    EXPECT_ERR(lg_note_parse(&n, U8(msg), len + one), LEDGER_EFORMAT,
               "note line 104: more than 100 signatures");
    assert_null(n);

    /* 100 distinct signers are fine too: the spec requires at least 16. */
    len = head;
    for (int i = 0; i < 100; i++) {
        int w = snprintf(line, sizeof line, "— signer%d AAAAAAAA\n", i);
        memcpy(msg + len, line, (size_t)w);
        len += (size_t)w;
    }
    TU_OK(lg_note_parse(&n, U8(msg), len));
    assert_int_equal(n->n_sigs, 100);
    lg_note_free(n);
    free(msg);
}

static void
note_size_limit(void **state)
{
    size_t len = LG_NOTE_MAX + 1;
    uint8_t *big = malloc(len);
    lg_note *n = NULL;
    ledger_key *k = key_from_hex_seed("PeterNeumann", PETER_SEED);
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    assert_non_null(big);
    memset(big, 'a', len);
    big[len - 1] = '\n';
    EXPECT_ERR(lg_note_parse(&n, big, len), LEDGER_EFORMAT, "max 1048576");
    /* A text that fits alone but not with its signature line. */
    EXPECT_ERR(lg_note_sign(&b, big, LG_NOTE_MAX - 10, k), LEDGER_EFORMAT, "end with a newline");
    big[LG_NOTE_MAX - 11] = '\n';
    EXPECT_ERR(lg_note_sign(&b, big, LG_NOTE_MAX - 10, k), LEDGER_EINVAL, "max 1048576");
    free(big);
    ledger_key_free(k);
}

static void
note_long_unknown_signature_is_ignored(void **state)
{
    /* A post-quantum-sized signature (2424 bytes) from an unknown key. */
    uint8_t raw[2424];
    char *b64 = malloc(LG_B64_LEN(sizeof raw) + 1);
    char *msg;
    ledger_vkey peter = vkey(PETER_VKEY);
    lg_note *n = NULL;

    (void)state;
    assert_non_null(b64);
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i * 7);
    lg_b64_encode(b64, raw, sizeof raw);
    msg = cat(PETER_NOTE, "— pq.example/w ", b64, "\n", NULL);
    TU_OK(lg_note_parse(&n, U8(msg), strlen(msg)));
    assert_int_equal(n->n_sigs, 2);
    assert_int_equal(n->sigs[1].sig_len, sizeof raw - 4);
    assert_memory_equal(n->sigs[1].sig, raw + 4, sizeof n->sigs[1].sig);
    TU_OK(lg_note_verify(n, &peter, 1, NULL, NULL));
    lg_note_free(n);
    free(msg);
    free(b64);
}

/* ---- 5.4 key string rejects ---- */

static int
vkey_ok(const char *s, size_t len)
{
    ledger_vkey vk;

    return lg_vkey_parse(&vk, s, len) == 0;
}

static int
skey_ok(const char *s, size_t len)
{
    ledger_key *k = NULL;
    int rc = lg_skey_parse(&k, s, len);

    assert_true(rc == 0 || k == NULL);
    ledger_key_free(k);
    return rc == 0;
}

static void
check_substrings_and_increments(const char *s, int (*ok)(const char *, size_t))
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);

    assert_non_null(copy);
    assert_true(ok(s, len));
    /* Every strict substring s[i .. j) fails. */
    for (size_t i = 0; i <= len; i++) {
        for (size_t j = i; j <= len; j++) {
            char *sub;

            if (i == 0 && j == len)
                continue;
            /* An exact-size private copy, so ASan sees any read past j. */
            sub = malloc(j - i + 1);
            assert_non_null(sub);
            memcpy(sub, s + i, j - i);
            if (ok(sub, j - i))
                fail_msg("substring [%zu, %zu) of %s parsed", i, j, s);
            free(sub);
        }
    }
    /* Every single byte incremented by one fails. */
    for (size_t i = 0; i < len; i++) {
        memcpy(copy, s, len);
        copy[i]++;
        if (ok(copy, len))
            fail_msg("%s with byte %zu incremented parsed", s, i);
    }
    free(copy);
}

static void
note_vkey_substrings_and_increments_rejected(void **state)
{
    (void)state;
    check_substrings_and_increments(PETER_VKEY, vkey_ok);
    check_substrings_and_increments(W1_VKEY, vkey_ok);
    check_substrings_and_increments(SUM_VKEY, vkey_ok);
}

static void
note_skey_substrings_and_increments_rejected(void **state)
{
    (void)state;
    check_substrings_and_increments(PETER_SKEY, skey_ok);
}

static void
note_vkey_explicit_rejects(void **state)
{
    ledger_vkey vk;
    static const char wrong_len[] =
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
    static const char wrong_alg[] =
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    (void)state;
    /* Go's lenient base64 reads "BADKEY==" and then finds the wrong key
     * length; our strict decoder already rejects its non-zero trailing bits. */
    EXPECT_ERR(lg_vkey_parse(&vk, wrong_len, strlen(wrong_len)), LEDGER_EFORMAT,
               "vkey: key is not valid base64");
    {
        /* A canonical encoding of a 35-byte key reaches the length check. */
        uint8_t raw[36] = {LEDGER_SIGTYPE_ED25519};
        char s[128];
        ledger_vkey peter = vkey(PETER_VKEY);

        memcpy(raw + 1, peter.public_key, 32);
        strcpy(s, "PeterNeumann+c74f20a3+");
        lg_b64_encode(s + strlen(s), raw, sizeof raw);
        EXPECT_ERR(lg_vkey_parse(&vk, s, strlen(s)), LEDGER_EFORMAT, "key is 35 bytes, want 32");
    }
    EXPECT_ERR(lg_vkey_parse(&vk, wrong_alg, strlen(wrong_alg)), LEDGER_EFORMAT,
               "unsupported signature type 0x65");
    EXPECT_ERR(lg_vkey_parse(
                   &vk, "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", 66),
               LEDGER_EFORMAT, "8 lowercase hex");
    EXPECT_ERR(lg_vkey_parse(&vk, "PeterNeumann+c74f20a3+", 22), LEDGER_EFORMAT, "empty key");
    EXPECT_ERR(lg_vkey_parse(&vk, "PeterNeumann", 12), LEDGER_EFORMAT, "missing '+'");
    EXPECT_ERR(lg_vkey_parse(&vk, "", 0), LEDGER_EFORMAT, "missing '+'");
    EXPECT_ERR(lg_vkey_parse(&vk, "Peter Neumann+c74f20a3+ARpc", 27), LEDGER_EFORMAT,
               "invalid key name");
    EXPECT_ERR(lg_vkey_parse(
                   &vk, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", 66),
               LEDGER_EFORMAT, "does not match the key");
}

static void
note_public_vkey_wrappers(void **state)
{
    ledger_vkey vk;
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    TU_OK(ledger_vkey_parse(&vk, PETER_VKEY "\n", strlen(PETER_VKEY) + 1));
    assert_int_equal(vk.note_id, 0xc74f20a3u);
    EXPECT_ERR(ledger_vkey_parse(&vk, PETER_VKEY "\n\n", strlen(PETER_VKEY) + 2), LEDGER_EFORMAT,
               "vkey");
    EXPECT_ERR(ledger_vkey_parse(&vk, PETER_VKEY "\r\n", strlen(PETER_VKEY) + 2), LEDGER_EFORMAT,
               "vkey");
    EXPECT_ERR(ledger_vkey_parse(&vk, " " PETER_VKEY, strlen(PETER_VKEY) + 1), LEDGER_EFORMAT,
               "invalid key name");
    EXPECT_ERR(ledger_vkey_parse(&vk, PETER_VKEY " ", strlen(PETER_VKEY) + 1), LEDGER_EFORMAT,
               "base64");
    TU_OK(ledger_vkey_format(&b, &vk));
    assert_buf_eq(&b, PETER_VKEY);
    ledger_buf_dispose(&b);
    vk.note_id++;
    EXPECT_ERR(ledger_vkey_format(&b, &vk), LEDGER_EINVAL, "key ID does not match");
    vk.note_id--;
    vk.type = 0x02;
    EXPECT_ERR(ledger_vkey_format(&b, &vk), LEDGER_EINVAL, "unsupported");
    assert_null(b.data);
}

static void
note_skey_rejects(void **state)
{
    ledger_key *k = NULL;
    /* The vkey's public key presented as a seed: the derived key ID differs. */
    static const char pk_as_seed[] =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static const char type4[] =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+BIEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    (void)state;
    EXPECT_ERR(lg_skey_parse(&k, pk_as_seed, strlen(pk_as_seed)), LEDGER_EFORMAT,
               "does not match the key");
    EXPECT_ERR(lg_skey_parse(&k, PETER_VKEY, strlen(PETER_VKEY)), LEDGER_EFORMAT,
               "must start with");
    EXPECT_ERR(lg_skey_parse(&k, type4, strlen(type4)), LEDGER_EFORMAT,
               "unsupported signature type 0x04");
    /* Messages never quote key material. */
    assert_null(strstr(ledger_error_last()->message, "FALVFG"));
    assert_null(k);
}

/* ---- 5.5 - 5.8 ---- */

static void
note_c2sp_example_verifies(void **state)
{
    ledger_vkey vk = vkey(FOO_VKEY);
    uint8_t pk[32];
    int verified[1];

    (void)state;
    assert_int_equal(
        tu_hex(pk, sizeof pk, "e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4"),
        32);
    assert_memory_equal(vk.public_key, pk, 32);
    assert_int_equal(vk.note_id, 0x530d903au);
    TU_OK(open_str(FOO_NOTE, &vk, 1, verified));
    assert_int_equal(verified[0], 1);
}

static void
note_sumdb_checkpoint_verifies_and_parses(void **state)
{
    ledger_vkey sum = vkey(SUM_VKEY);
    lg_note *n = NULL;
    lg_checkpoint cp;
    uint8_t root[32];
    uint8_t pk[32];

    (void)state;
    assert_int_equal(
        tu_hex(pk, sizeof pk, "ce3372d75ad1ee5ecdaf8727293d4b111d87eb37531d7c86d4d3003f0eb809fc"),
        32);
    assert_memory_equal(sum.public_key, pk, 32);
    TU_OK(lg_note_parse(&n, U8(SUM_NOTE), strlen(SUM_NOTE)));
    TU_OK(lg_note_verify(n, &sum, 1, NULL, NULL));
    TU_OK(lg_checkpoint_parse(&cp, n->buf, n->text_len));
    assert_string_equal(cp.origin, "go.sum database tree");
    assert_int_equal(cp.size, 6476701);
    assert_int_equal(tu_b64(root, sizeof root, "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="), 32);
    assert_memory_equal(cp.root, root, 32);
    lg_note_free(n);
}

static void
note_sumdb_extra_signatures(void **state)
{
    ledger_vkey keys[4] = {vkey(SUM_VKEY), vkey(MONKEYS_VKEY), vkey(BANANAS_VKEY),
                           vkey(WITNESS_VKEY)};
    static const char extra[] = MONKEYS_SIG BANANAS_SIG WITNESS_SIG "— random1 " WITNESS_B64 "\n"
                                                                    "— random2 " WITNESS_B64 "\n";
    ledger_buf b = LEDGER_BUF_INIT;
    lg_note *n = NULL;
    int verified[4];

    (void)state;
    TU_OK(lg_note_add_lines(&b, U8(SUM_NOTE), strlen(SUM_NOTE), U8(extra), strlen(extra)));
    TU_OK(lg_note_parse(&n, b.data, b.len));
    assert_int_equal(n->n_sigs, 6);
    TU_OK(lg_note_verify(n, keys, 4, verified, NULL));
    for (int i = 0; i < 4; i++)
        assert_int_equal(verified[i], 1);
    /* random1/random2 reuse the witness signature under unknown names. */
    assert_int_equal(lg_note_sig_key(&n->sigs[4], keys, 4), -1);
    assert_int_equal(lg_note_sig_key(&n->sigs[5], keys, 4), -1);
    /* Each extra key alone verifies the note too. */
    for (int i = 1; i < 4; i++)
        TU_OK(lg_note_verify(n, &keys[i], 1, NULL, NULL));
    lg_note_free(n);
    ledger_buf_dispose(&b);
}

static void
note_skey_vkey_consistency(void **state)
{
    static const char *const pairs[][4] = {
        {"PRIVATE+KEY+logandmap+38581672+AXJ0FKWOcO2ch6WC8kP705Ed3Gxu7pVtZLhfHAQwp+FE",
         "logandmap+38581672+Ab/PCr1eCclRPRMBqw/r5An1xO71MCnImLiospEq6b4l",
         "727414a58e70ed9c87a582f243fbd3911ddc6c6eee956d64b85f1c0430a7e144",
         "bfcf0abd5e09c9513d1301ab0febe409f5c4eef53029c898b8a8b2912ae9be25"},
        {"PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ",
         "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs",
         "d108abd14b4509e2e785a0ebc4fde9524efa26b239aba5b306afd8350c2a0bd0",
         "e9ae1f9a2806910f72bf96f289eb8c0d4d7eecc154775ecda914f351246abbec"},
        {PETER_SKEY, PETER_VKEY, PETER_SEED, PETER_PK},
    };

    (void)state;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        ledger_key *k = NULL;
        ledger_vkey derived, parsed = vkey(pairs[i][1]);
        ledger_buf b = LEDGER_BUF_INIT;
        uint8_t seed[32], pk[32];

        TU_OK(lg_skey_parse(&k, pairs[i][0], strlen(pairs[i][0])));
        assert_int_equal(tu_hex(seed, 32, pairs[i][2]), 32);
        assert_int_equal(tu_hex(pk, 32, pairs[i][3]), 32);
        assert_memory_equal(lg_key_seed(k), seed, 32);
        assert_memory_equal(parsed.public_key, pk, 32);
        ledger_key_vkey(&derived, k, LEDGER_SIGTYPE_ED25519);
        assert_memory_equal(&derived, &parsed, sizeof parsed);
        TU_OK(lg_vkey_format(&b, &derived));
        assert_buf_eq(&b, pairs[i][1]);
        ledger_buf_dispose(&b);
        TU_OK(lg_skey_format(&b, k));
        assert_buf_eq(&b, pairs[i][0]);
        lg_memzero(b.data, b.len);
        ledger_buf_dispose(&b);
        ledger_key_free(k);
    }
}

static void
note_non_ed25519_vkeys_unsupported(void **state)
{
    static const struct {
        const char *vkey;
        const char *msg;
    } cases[] = {
        {"rekor.sigstore.dev+c0d23d6a+"
         "AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBc"
         "K5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=",
         "unsupported signature type 0x02"},
        {"pixel6_transparency_log+91c16e30+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN+"
         "4x0Jk1yTwvLFI9A4ND"
         "dGZcX0aiWVdWM5XJVy0M4VWD3AvyW5Q6Hs9A0mcDkpUoYgn+KKPNzFC0H3nN3q6JQ8=",
         "unsupported signature type 0x02"},
        {"ct.googleapis.com/logs/us1/"
         "argon2024+7deb49d0+BTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABB25bKnL"
         "aZTFXOa2pgO70rjcVEMXKJkMBgFQHZ1kwFlGK9zIAx0FtC2oCfeZQe0E++VXuiYE9hFSzhRlOy92K8A=",
         "unsupported signature type 0x05"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ledger_vkey vk;

        memset(&vk, 0xaa, sizeof vk);
        EXPECT_ERR(lg_vkey_parse(&vk, cases[i].vkey, strlen(cases[i].vkey)), LEDGER_EFORMAT,
                   cases[i].msg);
        assert_int_equal(vk.type, 0xaa); /* out untouched on failure */
    }
}

/* ---- 6: checkpoint text ---- */

#define TREE_GOLDEN                                                                                \
    "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"

static void
hello_world_leaf(lg_hash out)
{
    uint8_t in[12] = {0x00};

    memcpy(in + 1, "hello world", 11);
    lg_sha256(out, in, sizeof in);
}

static void
checkpoint_parse_str(lg_checkpoint *cp, const char *s, int want)
{
    int rc = lg_checkpoint_parse(cp, U8(s), strlen(s));

    if (rc != want)
        fail_msg("checkpoint parse of %s: %d, want %d (%s)", s, rc, want,
                 ledger_error_last()->message);
}

static void
note_checkpoint_format_tree(void **state)
{
    lg_checkpoint cp, back;
    ledger_buf b = LEDGER_BUF_INIT;

    (void)state;
    memset(&cp, 0, sizeof cp);
    strcpy(cp.origin, "go.sum database tree");
    cp.size = 123456789012u;
    hello_world_leaf(cp.root);
    TU_OK(lg_checkpoint_format(&b, &cp));
    assert_buf_eq(&b, TREE_GOLDEN);
    TU_OK(lg_checkpoint_parse(&back, b.data, b.len));
    assert_memory_equal(&back, &cp, sizeof cp);
    ledger_buf_dispose(&b);

    /* Go's three rejects. Our parser takes any origin, so a changed origin
     * parses but no longer names the expected log. */
    checkpoint_parse_str(&back, "not-" TREE_GOLDEN, 0);
    assert_string_equal(back.origin, "not-go.sum database tree");
    assert_string_not_equal(back.origin, cp.origin);
    EXPECT_ERR(lg_checkpoint_parse(&back, LIT("go.sum database tree\n0xabcdef\n"
                                              "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
               LEDGER_EFORMAT, "checkpoint line 2: tree size");
    checkpoint_parse_str(&back,
                         "go.sum database tree\n123456789012\n"
                         "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
                         LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "checkpoint line 3: root hash"));

    /* Go ignores trailing lines; we take them as extension lines, but the
     * text must end in a newline (note text always does). */
    checkpoint_parse_str(&back, TREE_GOLDEN "JOE\n", 0);
    checkpoint_parse_str(&back, TREE_GOLDEN "JOE", LEDGER_EFORMAT);
    {
        char *many = malloc(strlen(TREE_GOLDEN) + 4000 + 1);
        strcpy(many, TREE_GOLDEN);
        for (int i = 0; i < 1000; i++)
            strcat(many, "JOE\n");
        checkpoint_parse_str(&back, many, 0);
        assert_int_equal(back.size, 123456789012u);
        free(many);
    }
}

static void
note_checkpoint_rejects(void **state)
{
    lg_checkpoint cp;
    ledger_buf b = LEDGER_BUF_INIT;
    char origin[400];

    (void)state;
    checkpoint_parse_str(&cp, "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", 0);
    assert_int_equal(cp.size, 0);
    checkpoint_parse_str(
        &cp, "o\n18446744073709551615\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", 0);
    assert_true(cp.size == UINT64_MAX);
    EXPECT_ERR(
        lg_checkpoint_parse(
            &cp, LIT("o\n18446744073709551616\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
        LEDGER_EFORMAT, "line 2");
    EXPECT_ERR(
        lg_checkpoint_parse(&cp, LIT("o\n08\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
        LEDGER_EFORMAT, "line 2");
    EXPECT_ERR(
        lg_checkpoint_parse(&cp, LIT("o\n-8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
        LEDGER_EFORMAT, "line 2");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("o\n\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
               LEDGER_EFORMAT, "line 2");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
               LEDGER_EFORMAT, "line 1: empty origin");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("o\n8\n")), LEDGER_EFORMAT, "line 3: missing root");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("o\n")), LEDGER_EFORMAT, "line 2: missing");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("")), LEDGER_EFORMAT, "empty");
    /* 31-byte root, unpadded root, padded root with a trailing space. */
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("o\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40Hmuw\n")),
               LEDGER_EFORMAT, "line 3");
    EXPECT_ERR(lg_checkpoint_parse(&cp, LIT("o\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0\n")),
               LEDGER_EFORMAT, "line 3");
    EXPECT_ERR(
        lg_checkpoint_parse(&cp, LIT("o\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0= \n")),
        LEDGER_EFORMAT, "line 3");
    EXPECT_ERR(
        lg_checkpoint_parse(&cp, LIT("o\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n\n")),
        LEDGER_EFORMAT, "line 4: empty extension");
    EXPECT_ERR(
        lg_checkpoint_parse(&cp, LIT("o\r\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n")),
        LEDGER_EFORMAT, "line 1: control");
    memset(origin, 'o', sizeof origin);
    memcpy(origin + 256, "\n8\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", 48);
    EXPECT_ERR(lg_checkpoint_parse(&cp, U8(origin), 256 + 48), LEDGER_EFORMAT,
               "origin is 256 bytes");

    /* Formatting refuses origins it could not parse back. */
    memset(&cp, 0, sizeof cp);
    EXPECT_ERR(lg_checkpoint_format(&b, &cp), LEDGER_EINVAL, "origin");
    strcpy(cp.origin, "a\nb");
    EXPECT_ERR(lg_checkpoint_format(&b, &cp), LEDGER_EINVAL, "origin");
    memset(cp.origin, 'x', sizeof cp.origin);
    EXPECT_ERR(lg_checkpoint_format(&b, &cp), LEDGER_EINVAL, "origin");
    assert_null(b.data);
}

static void
note_checkpoint_c2sp_example_format_only(void **state)
{
    lg_note *n = NULL;
    lg_checkpoint cp;

    (void)state;
    TU_OK(lg_note_parse(&n, U8(SOFA_NOTE), strlen(SOFA_NOTE)));
    TU_OK(lg_checkpoint_parse(&cp, n->buf, n->text_len));
    assert_string_equal(cp.origin, "example.com/behind-the-sofa");
    assert_int_equal(cp.size, 20852163);
    assert_string_equal(n->sigs[0].name, "example.com/behind-the-sofa");
    assert_int_equal(n->sigs[0].sig_len, 64);
    lg_note_free(n);
}

/* ---- 8, 9: witness protocol shapes, format only ---- */

static void
note_witness_request_format_only(void **state)
{
    const char *body = ADD_CHECKPOINT;
    const char *split = strstr(body, "\n\n");
    const char *p = body;
    lg_note *n = NULL;
    lg_checkpoint cp;
    int hashes = 0;

    (void)state;
    assert_non_null(split);
    assert_int_equal(strncmp(p, "old 20852014\n", 13), 0);
    for (p += 13; p <= split; p += 45, hashes++) {
        uint8_t h[64];
        char line[45];

        memcpy(line, p, 44);
        line[44] = '\0';
        assert_int_equal(p[44], '\n');
        assert_int_equal(tu_b64(h, sizeof h, line), 32);
    }
    assert_int_equal(hashes, 4);
    TU_OK(lg_note_parse(&n, U8(split + 2), strlen(split + 2)));
    assert_int_equal(n->n_sigs, 2);
    assert_string_equal(n->sigs[1].name, "example.com/behind-the-sofa");
    assert_true(n->sigs[0].id != n->sigs[1].id);
    TU_OK(lg_checkpoint_parse(&cp, n->buf, n->text_len));
    assert_int_equal(cp.size, 20852163);
    lg_note_free(n);
}

static void
note_spec_cosignature_format_only(void **state)
{
    char *msg = cat(SOFA_NOTE, SPEC_COSIG, NULL);
    lg_note *n = NULL;
    uint64_t ts = 0;

    (void)state;
    TU_OK(lg_note_parse(&n, U8(msg), strlen(msg)));
    assert_int_equal(n->n_sigs, 2);
    assert_string_equal(n->sigs[1].name, "witness.example.com/w1");
    assert_int_equal(n->sigs[1].id, 0x8d66cf3fu);
    assert_int_equal(n->sigs[1].sig_len, 72);
    for (int i = 0; i < 8; i++)
        ts = ts << 8 | n->sigs[1].sig[i];
    assert_int_equal(ts, 1679315147);
    lg_note_free(n);
    free(msg);
}

/* ---- 10: self-derived vectors ---- */

static void
note_log_and_witness_key_strings(void **state)
{
    ledger_key *lk = log_key(), *wk = witness_key(), *parsed = NULL;
    ledger_vkey vk;
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t pk[32];

    (void)state;
    TU_OK(lg_skey_format(&b, lk));
    assert_buf_eq(&b, LOG_SKEY);
    lg_memzero(b.data, b.len);
    ledger_buf_dispose(&b);
    ledger_key_vkey(&vk, lk, LEDGER_SIGTYPE_ED25519);
    assert_int_equal(vk.note_id, 0x0714fd3du);
    TU_OK(lg_vkey_format(&b, &vk));
    assert_buf_eq(&b, LOG_VKEY);
    ledger_buf_dispose(&b);
    TU_OK(lg_skey_parse(&parsed, LOG_SKEY, strlen(LOG_SKEY)));
    assert_memory_equal(lg_key_seed(parsed), lg_key_seed(lk), 32);
    ledger_key_free(parsed);

    ledger_key_vkey(&vk, wk, LEDGER_SIGTYPE_COSIGNATURE);
    assert_int_equal(vk.note_id, 0xcfcd1a67u);
    assert_int_equal(tu_hex(pk, 32, W1_PK), 32);
    assert_memory_equal(vk.public_key, pk, 32);
    TU_OK(lg_vkey_format(&b, &vk));
    assert_buf_eq(&b, W1_VKEY);
    ledger_buf_dispose(&b);
    vk = vkey(W1_VKEY);
    assert_int_equal(vk.type, LEDGER_SIGTYPE_COSIGNATURE);
    ledger_key_free(lk);
    ledger_key_free(wk);
}

static void
note_checkpoint_signed_and_cosigned(void **state)
{
    ledger_key *lk = log_key(), *wk = witness_key();
    ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
    ledger_buf body = LEDGER_BUF_INIT, signed_cp = LEDGER_BUF_INIT, cosig = LEDGER_BUF_INIT,
               full = LEDGER_BUF_INIT;
    lg_checkpoint cp;
    lg_note *n = NULL;
    int verified[2];
    uint64_t ts[2];

    (void)state;
    memset(&cp, 0, sizeof cp);
    strcpy(cp.origin, "example.org/log");
    cp.size = 8;
    assert_int_equal(tu_b64(cp.root, 32, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="), 32);
    TU_OK(lg_checkpoint_format(&body, &cp));
    assert_buf_eq(&body, CP8_BODY);

    TU_OK(lg_note_sign(&signed_cp, body.data, body.len, lk));
    assert_buf_eq(&signed_cp, CP8_BODY "\n" CP8_LOG_SIG);
    TU_OK(lg_note_cosign(&cosig, body.data, body.len, 1700000000u, wk));
    assert_buf_eq(&cosig, CP8_W1_SIG);
    TU_OK(lg_note_add_lines(&full, signed_cp.data, signed_cp.len, cosig.data, cosig.len));
    assert_buf_eq(&full, CP8_NOTE);

    TU_OK(lg_note_parse(&n, full.data, full.len));
    /* Log key only: accepted, the witness line unverified. */
    TU_OK(lg_note_verify(n, keys, 1, verified, ts));
    assert_int_equal(verified[0], 1);
    assert_int_equal(ts[0], 0);
    assert_int_equal(lg_note_sig_key(&n->sigs[1], keys, 1), -1);
    /* Both: both verify, with the cosigned time. */
    TU_OK(lg_note_verify(n, keys, 2, verified, ts));
    assert_int_equal(verified[0], 1);
    assert_int_equal(verified[1], 1);
    assert_int_equal(ts[1], 1700000000u);
    /* The witness alone verifies too (its cosignature is over the body). */
    TU_OK(lg_note_verify(n, keys + 1, 1, verified, ts));
    assert_int_equal(ts[0], 1700000000u);
    lg_note_free(n);

    /* The witness key as a type 0x01 key is a different key ID: unknown. */
    {
        ledger_vkey as_ed;

        ledger_key_vkey(&as_ed, wk, LEDGER_SIGTYPE_ED25519);
        EXPECT_ERR(open_note(full.data, full.len, &as_ed, 1, NULL), LEDGER_EBADSIG,
                   "no verifiable");
    }

    ledger_buf_dispose(&body);
    ledger_buf_dispose(&signed_cp);
    ledger_buf_dispose(&cosig);
    ledger_buf_dispose(&full);
    ledger_key_free(lk);
    ledger_key_free(wk);
}

static void
note_cosignature_tamper_rejected(void **state)
{
    ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
    ledger_key *wk = witness_key();
    ledger_buf line = LEDGER_BUF_INIT;
    uint8_t raw[76];
    char b64[LG_B64_LEN(76) + 1];
    char *msg;

    (void)state;
    /* Flip one bit of the timestamp (10.5 negative variant). */
    assert_int_equal(tu_b64(raw, sizeof raw,
                            "z80aZwAAAABlU/EAMq0zAyTIGPH31w8FnVHS9Vy2lZBjaytZqF0ma7YabQL0QQSG5yrNrh"
                            "3cHH672sdiV3jniQY0J4sSemWdGuhjDg=="),
                     76);
    raw[11] ^= 1;
    lg_b64_encode(b64, raw, sizeof raw);
    msg = cat(CP8_BODY "\n" CP8_LOG_SIG "— witness.example.org/w1 ", b64, "\n", NULL);
    TU_OK(open_str(msg, keys, 1, NULL));
    EXPECT_ERR(open_str(msg, keys, 2, NULL), LEDGER_EBADSIG,
               "invalid signature for key witness.example.org/w1+cfcd1a67");
    free(msg);

    /* A timestamp above 2^63-1 is never valid, even if signed. */
    EXPECT_ERR(lg_note_cosign(&line, U8(CP8_BODY), strlen(CP8_BODY), UINT64_C(1) << 63, wk),
               LEDGER_EINVAL, "timestamp");
    /* Cosignatures are over checkpoints only. */
    EXPECT_ERR(lg_note_cosign(&line, U8(TEXT), strlen(TEXT), 1, wk), LEDGER_EFORMAT,
               "checkpoint line 2");
    assert_null(line.data);
    ledger_key_free(wk);
}

static void
note_add_lines_rules(void **state)
{
    ledger_buf b = LEDGER_BUF_INIT;
    char *many;
    size_t len = 0;

    (void)state;
    /* Duplicates of existing and of new lines are dropped. */
    TU_OK(lg_note_add_lines(&b, U8(PETER_NOTE), strlen(PETER_NOTE),
                            LIT(PETER_SIG ENOCH_SIG ENOCH_SIG)));
    assert_buf_eq(&b, PETER_NOTE ENOCH_SIG);
    ledger_buf_dispose(&b);
    TU_OK(lg_note_add_lines(&b, U8(PETER_NOTE), strlen(PETER_NOTE), NULL, 0));
    assert_buf_eq(&b, PETER_NOTE);
    ledger_buf_dispose(&b);
    EXPECT_ERR(lg_note_add_lines(&b, U8(PETER_NOTE), strlen(PETER_NOTE), LIT("junk\n")),
               LEDGER_EFORMAT, "signature line 1: signature line must start with");
    EXPECT_ERR(
        lg_note_add_lines(&b, U8(PETER_NOTE), strlen(PETER_NOTE), LIT(ENOCH_SIG "— x AAAAAAAA")),
        LEDGER_EFORMAT, "end with a newline");
    EXPECT_ERR(lg_note_add_lines(&b, U8(TEXT), strlen(TEXT), U8(ENOCH_SIG), strlen(ENOCH_SIG)),
               LEDGER_EFORMAT, "no blank line");
    /* Past 100 signatures. */
    many = malloc(100 * 32);
    assert_non_null(many);
    for (int i = 0; i < 100; i++)
        len += (size_t)sprintf(many + len, "— s%d AAAAAAAA\n", i);
    EXPECT_ERR(lg_note_add_lines(&b, U8(PETER_NOTE), strlen(PETER_NOTE), U8(many), len),
               LEDGER_EFORMAT, "more than 100 signatures");
    assert_null(b.data);
    free(many);
}

/* ---- 10.5 receipts ---- */

static void
note_receipt_parse_and_format(void **state)
{
    lg_receipt r;
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t h[32];

    (void)state;
    TU_OK(lg_receipt_parse(&r, U8(RECEIPT5), strlen(RECEIPT5)));
    assert_int_equal(r.index, 5);
    assert_int_equal(r.n_hashes, 3);
    assert_null(r.extra);
    assert_int_equal(tu_b64(h, 32, "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="), 32);
    assert_memory_equal(r.hashes[0], h, 32);
    assert_int_equal(tu_b64(h, 32, "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="), 32);
    assert_memory_equal(r.hashes[2], h, 32);
    assert_int_equal(r.note_len, strlen(CP8_NOTE));
    assert_memory_equal(r.note, CP8_NOTE, r.note_len);
    TU_OK(
        lg_receipt_format(&b, r.index, (const lg_hash *)r.hashes, r.n_hashes, r.note, r.note_len));
    assert_buf_eq(&b, RECEIPT5);
    ledger_buf_dispose(&b);

    /* The receipt's note verifies with the 10.1/10.2 keys. */
    {
        ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
        int verified[2];

        TU_OK(open_note(r.note, r.note_len, keys, 2, verified));
        assert_true(verified[0] && verified[1]);
    }
}

static void
note_receipt_variants(void **state)
{
    lg_receipt r;
    ledger_buf b = LEDGER_BUF_INIT;
    lg_hash hashes[65];
    char *s;

    (void)state;
    /* With extra data; with no proof hashes (index 0 of a 1-leaf tree). */
    s = cat("c2sp.org/tlog-proof@v1\nextra YWdlLXYx\nindex 0\n\n", CP8_NOTE, NULL);
    TU_OK(lg_receipt_parse(&r, U8(s), strlen(s)));
    assert_int_equal(r.extra_len, 8);
    assert_memory_equal(r.extra, "YWdlLXYx", 8);
    assert_int_equal(r.index, 0);
    assert_int_equal(r.n_hashes, 0);
    free(s);

    /* 64 hashes are accepted, 65 are not. */
    memset(hashes, 0x5a, sizeof hashes);
    TU_OK(lg_receipt_format(&b, UINT64_MAX, (const lg_hash *)hashes, 64, U8(CP8_NOTE),
                            strlen(CP8_NOTE)));
    TU_OK(lg_receipt_parse(&r, b.data, b.len));
    assert_int_equal(r.n_hashes, 64);
    assert_true(r.index == UINT64_MAX);
    ledger_buf_dispose(&b);
    EXPECT_ERR(
        lg_receipt_format(&b, 1, (const lg_hash *)hashes, 65, U8(CP8_NOTE), strlen(CP8_NOTE)),
        LEDGER_EINVAL, "max 64");
    {
        size_t hl = strlen("c2sp.org/tlog-proof@v1\nindex 1\n");
        size_t len = hl + 65 * 45 + 1 + strlen(CP8_NOTE);
        char *big = malloc(len + 1);

        memcpy(big, "c2sp.org/tlog-proof@v1\nindex 1\n", hl);
        for (int i = 0; i < 65; i++) {
            lg_b64_encode(big + hl + (size_t)i * 45, hashes[i], 32);
            big[hl + (size_t)i * 45 + 44] = '\n';
        }
        big[hl + 65 * 45] = '\n';
        memcpy(big + hl + 65 * 45 + 1, CP8_NOTE, strlen(CP8_NOTE));
        EXPECT_ERR(lg_receipt_parse(&r, U8(big), len), LEDGER_EFORMAT,
                   "receipt line 67: more than 64 proof hashes");
        free(big);
    }
    /* A receipt whose note is malformed is rejected with the note's line. */
    EXPECT_ERR(lg_receipt_format(&b, 1, NULL, 0, U8(CP8_BODY), strlen(CP8_BODY)), LEDGER_EFORMAT,
               "no blank line");
}

static void
note_receipt_rejects(void **state)
{
    static const char *const bad[][2] = {
        {"c2sp.org/tlog-proof@v2\nindex 5\n\n" CP8_NOTE, "receipt line 1"},
        {"C2SP.org/tlog-proof@v1\nindex 5\n\n" CP8_NOTE, "receipt line 1"},
        {"c2sp.org/tlog-proof@v1 \nindex 5\n\n" CP8_NOTE, "receipt line 1"},
        {"c2sp.org/tlog-proof@v1\nindex 05\n\n" CP8_NOTE, "receipt line 2: must be \"index N\""},
        {"c2sp.org/tlog-proof@v1\nindex  5\n\n" CP8_NOTE, "receipt line 2"},
        {"c2sp.org/tlog-proof@v1\nindex\n\n" CP8_NOTE, "receipt line 2"},
        {"c2sp.org/tlog-proof@v1\nindex -1\n\n" CP8_NOTE, "receipt line 2"},
        {"c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\n" CP8_NOTE, "receipt line 2"},
        {"c2sp.org/tlog-proof@v1\nextra YWdl\n\n" CP8_NOTE, "receipt line 3: must be \"index N\""},
        {"c2sp.org/tlog-proof@v1\nextra \nindex 5\n\n" CP8_NOTE, "receipt line 2: extra data"},
        {"c2sp.org/tlog-proof@v1\nextra YWd\nindex 5\n\n" CP8_NOTE, "receipt line 2: extra data"},
        {"c2sp.org/tlog-proof@v1\nindex 5\nextra YWdl\n\n" CP8_NOTE, "receipt line 3: proof hash"},
        {"c2sp.org/tlog-proof@v1\nindex "
         "5\nvBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms\n\n" CP8_NOTE,
         "receipt line 3: proof hash"},
        {"c2sp.org/tlog-proof@v1\nindex 5\n", "receipt line 3: missing blank line"},
        {"c2sp.org/tlog-proof@v1\nindex 5\n\n", "receipt line 4: missing checkpoint"},
        {"c2sp.org/tlog-proof@v1\nindex 5\n\nexample.org/log\n8\n",
         "receipt checkpoint: note has no blank line"},
        {"c2sp.org/tlog-proof@v1\nindex 5\n\n" CP8_BODY "\n— x AAAA\n",
         "receipt checkpoint: note line 5: signature is shorter than 5 bytes"},
        {"c2sp.org/tlog-proof@v1", "receipt line 1"},
        {"", "receipt line 1"},
    };
    lg_receipt r;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_ERR(lg_receipt_parse(&r, U8(bad[i][0]), strlen(bad[i][0])), LEDGER_EFORMAT,
                   bad[i][1]);
}

/* ---- property loops ---- */

static void
flip_every_bit(const char *note, const ledger_vkey *keys, size_t n_keys)
{
    size_t len = strlen(note);
    uint8_t *m = malloc(len);
    int verified[4];

    assert_non_null(m);
    assert_true(n_keys <= 4);
    TU_OK(open_note(U8(note), len, keys, n_keys, verified));
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            int all = 1;

            memcpy(m, note, len);
            m[i] ^= (uint8_t)(1u << bit);
            if (open_note(m, len, keys, n_keys, verified) != 0)
                continue;
            /* It may still open if a flipped name became an unknown key;
             * then the policy "every key signed" must fail. */
            for (size_t k = 0; k < n_keys; k++)
                all &= verified[k];
            if (all)
                fail_msg("flipping bit %d of byte %zu still verifies", bit, i);
        }
    }
    free(m);
}

static void
note_bit_flips_fail(void **state)
{
    ledger_vkey peter[2] = {vkey(PETER_VKEY), vkey(ENOCH_VKEY)};
    ledger_vkey cp8[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
    ledger_vkey sum = vkey(SUM_VKEY);
    ledger_vkey foo = vkey(FOO_VKEY);
    char *both = cat(TEXT, "\n", PETER_SIG, ENOCH_SIG, NULL);

    (void)state;
    flip_every_bit(PETER_NOTE, peter, 1);
    flip_every_bit(both, peter, 2);
    flip_every_bit(CP8_NOTE, cp8, 2);
    flip_every_bit(SUM_NOTE, &sum, 1);
    flip_every_bit(FOO_NOTE, &foo, 1);
    free(both);
}

static void
note_checkpoint_body_bit_flips_fail(void **state)
{
    /* Any change to a signed checkpoint body fails parsing or every
     * signature over it (log and witness alike). */
    ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
    size_t len = strlen(CP8_NOTE), body = strlen(CP8_BODY);
    uint8_t *m = malloc(len);

    (void)state;
    assert_non_null(m);
    for (size_t i = 0; i < body; i++) {
        for (int bit = 0; bit < 8; bit++) {
            lg_note *n = NULL;
            lg_checkpoint cp;
            int rc;

            memcpy(m, CP8_NOTE, len);
            m[i] ^= (uint8_t)(1u << bit);
            rc = lg_note_parse(&n, m, len);
            if (rc == 0) {
                int cprc = lg_checkpoint_parse(&cp, n->buf, n->text_len);

                assert_int_not_equal(lg_note_verify(n, keys, 1, NULL, NULL), 0);
                assert_int_not_equal(lg_note_verify(n, keys + 1, 1, NULL, NULL), 0);
                (void)cprc;
            }
            lg_note_free(n);
        }
    }
    free(m);
}

static void
note_truncations_fail_cleanly(void **state)
{
    ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};
    static const char *const inputs[] = {PETER_NOTE, CP8_NOTE,   RECEIPT5,
                                         PETER_VKEY, PETER_SKEY, CP8_BODY};

    (void)state;
    for (size_t t = 0; t < sizeof inputs / sizeof inputs[0]; t++) {
        size_t len = strlen(inputs[t]);

        for (size_t cut = 0; cut < len; cut++) {
            uint8_t *m = malloc(cut + 1); /* exact size: ASan catches over-reads */

            memcpy(m, inputs[t], cut);
            feed_all_parsers(m, cut, keys, 2);
            free(m);
        }
    }
    /* Single-signature notes: every strict prefix fails to parse. */
    for (size_t cut = 0; cut < strlen(PETER_NOTE); cut++)
        assert_int_not_equal(lg_note_parse(&(lg_note *){NULL}, U8(PETER_NOTE), cut), 0);
    /* Receipts: every prefix that cuts into the log line fails. */
    for (size_t cut = 0; cut < strlen(RECEIPT5) - strlen(CP8_W1_SIG); cut++) {
        lg_receipt r;
        assert_int_not_equal(lg_receipt_parse(&r, U8(RECEIPT5), cut), 0);
    }
}

static void
note_random_garbage_never_crashes(void **state)
{
    static const char *const pieces[] = {"\n",
                                         "\n\n",
                                         "— ",
                                         "—",
                                         " ",
                                         "+",
                                         "=",
                                         "A",
                                         "x08go/ZJ",
                                         "PeterNeumann",
                                         "c2sp.org/tlog-proof@v1\n",
                                         "index 5\n",
                                         "extra ",
                                         "0",
                                         "\xff",
                                         "\xe2\x80",
                                         "PRIVATE+KEY+"};
    static const char *const seeds[] = {PETER_NOTE, CP8_NOTE, RECEIPT5, PETER_VKEY,
                                        PETER_SKEY, CP8_BODY, SUM_NOTE};
    ledger_vkey keys[3] = {vkey(LOG_VKEY), vkey(W1_VKEY), vkey(PETER_VKEY)};
    uint8_t buf[1024];

    (void)state;
    /* Random token soup. */
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = 0, target = rng() % 400;

        while (len < target) {
            if (rng() % 3 == 0) {
                buf[len++] = (uint8_t)rng();
            } else {
                const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
                size_t l = strlen(p);

                if (len + l > sizeof buf)
                    break;
                memcpy(buf + len, p, l);
                len += l;
            }
        }
        feed_all_parsers(buf, len, keys, 3);
    }
    /* Random mutations (replace, insert, delete) of valid inputs. */
    for (int iter = 0; iter < 6000; iter++) {
        const char *seed = seeds[rng() % (sizeof seeds / sizeof seeds[0])];
        size_t len = strlen(seed);
        int edits = 1 + (int)(rng() % 4);

        memcpy(buf, seed, len);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t at = rng() % len;

            switch (rng() % 3) {
            case 0:
                buf[at] = (uint8_t)rng();
                break;
            case 1:
                if (len < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = (uint8_t)rng();
                    len++;
                }
                break;
            default:
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
                break;
            }
        }
        feed_all_parsers(buf, len, keys, 3);
    }
}

/* ---- allocation failures ---- */

/* Run op with allocation N failing (once, then persistently) for
 * N = 0, 1, ... until it succeeds; every failure must be ENOMEM. */
static void
alloc_loop(int (*op)(void), const char *what)
{
    for (int persistent = 0; persistent <= 1; persistent++) {
        for (long n = 0;; n++) {
            int rc;

            lg_alloc_fail_after(n, persistent);
            rc = op();
            lg_alloc_fail_after(-1, 0);
            if (rc == 0)
                break;
            if (rc != LEDGER_ENOMEM)
                fail_msg("%s: allocation %ld failing gave %d (%s)", what, n, rc,
                         ledger_error_last()->message);
            assert_true(n < 100);
        }
    }
}

static int
op_parse_verify(void)
{
    ledger_vkey keys[2] = {vkey(LOG_VKEY), vkey(W1_VKEY)};

    return open_str(CP8_NOTE, keys, 2, NULL);
}

static int
op_sign_and_add(void)
{
    ledger_key *lk = NULL, *wk = NULL;
    ledger_buf a = LEDGER_BUF_INIT, c = LEDGER_BUF_INIT, f = LEDGER_BUF_INIT;
    uint8_t seed[32];
    int rc;

    memset(seed, 0x11, sizeof seed);
    if ((rc = ledger_key_from_seed(&lk, "example.org/log", seed)) < 0)
        goto done;
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    if ((rc = ledger_key_from_seed(&wk, "witness.example.org/w1", seed)) < 0)
        goto done;
    if ((rc = lg_note_sign(&a, U8(CP8_BODY), strlen(CP8_BODY), lk)) < 0)
        goto done;
    if ((rc = lg_note_cosign(&c, U8(CP8_BODY), strlen(CP8_BODY), 1700000000u, wk)) < 0)
        goto done;
    if ((rc = lg_note_add_lines(&f, a.data, a.len, c.data, c.len)) < 0)
        goto done;
    assert_buf_eq(&f, CP8_NOTE);
done:
    ledger_buf_dispose(&a);
    ledger_buf_dispose(&c);
    ledger_buf_dispose(&f);
    ledger_key_free(lk);
    ledger_key_free(wk);
    return rc;
}

static int
op_keys_and_receipt(void)
{
    ledger_key *k = NULL;
    ledger_vkey vk;
    ledger_buf b = LEDGER_BUF_INIT;
    lg_receipt r;
    int rc;

    if ((rc = lg_skey_parse(&k, LOG_SKEY, strlen(LOG_SKEY))) < 0)
        goto done;
    ledger_key_vkey(&vk, k, LEDGER_SIGTYPE_ED25519);
    if ((rc = lg_vkey_format(&b, &vk)) < 0)
        goto done;
    ledger_buf_dispose(&b);
    if ((rc = lg_skey_format(&b, k)) < 0)
        goto done;
    lg_memzero(b.data, b.len);
    ledger_buf_dispose(&b);
    if ((rc = lg_receipt_parse(&r, U8(RECEIPT5), strlen(RECEIPT5))) < 0)
        goto done;
    if ((rc = lg_receipt_format(&b, r.index, (const lg_hash *)r.hashes, r.n_hashes, r.note,
                                r.note_len)) < 0)
        goto done;
    ledger_buf_dispose(&b);
    if ((rc = lg_checkpoint_format(&b, &(lg_checkpoint){"o", 1, {0}})) < 0)
        goto done;
done:
    ledger_buf_dispose(&b);
    ledger_key_free(k);
    return rc;
}

static void
note_allocation_failures_report_enomem(void **state)
{
    (void)state;
    alloc_loop(op_parse_verify, "parse+verify");
    alloc_loop(op_sign_and_add, "sign+cosign+add");
    alloc_loop(op_keys_and_receipt, "keys+receipt");
}

static int
setup(void **state)
{
    (void)state;
    return ledger_init();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(note_peter_keys_parse),
        cmocka_unit_test(note_peter_sign_reproduces_vector),
        cmocka_unit_test(note_parse_layout),
        cmocka_unit_test(note_open_known_and_unknown_signers),
        cmocka_unit_test(note_duplicate_signatures_collapse),
        cmocka_unit_test(note_corrupt_known_signature_rejects_note),
        cmocka_unit_test(note_corrupt_unknown_signature_is_ignored),
        cmocka_unit_test(note_second_different_signature_by_known_key_rejects),
        cmocka_unit_test(note_name_or_id_mismatch_is_unknown),
        cmocka_unit_test(note_verify_rejects_ambiguous_keys),
        cmocka_unit_test(note_text_may_contain_blank_lines),
        cmocka_unit_test(note_sign_rejects_bad_text),
        cmocka_unit_test(note_malformed_notes_rejected),
        cmocka_unit_test(note_malformed_signature_lines_rejected),
        cmocka_unit_test(note_signature_count_limit),
        cmocka_unit_test(note_size_limit),
        cmocka_unit_test(note_long_unknown_signature_is_ignored),
        cmocka_unit_test(note_vkey_substrings_and_increments_rejected),
        cmocka_unit_test(note_skey_substrings_and_increments_rejected),
        cmocka_unit_test(note_vkey_explicit_rejects),
        cmocka_unit_test(note_public_vkey_wrappers),
        cmocka_unit_test(note_skey_rejects),
        cmocka_unit_test(note_c2sp_example_verifies),
        cmocka_unit_test(note_sumdb_checkpoint_verifies_and_parses),
        cmocka_unit_test(note_sumdb_extra_signatures),
        cmocka_unit_test(note_skey_vkey_consistency),
        cmocka_unit_test(note_non_ed25519_vkeys_unsupported),
        cmocka_unit_test(note_checkpoint_format_tree),
        cmocka_unit_test(note_checkpoint_rejects),
        cmocka_unit_test(note_checkpoint_c2sp_example_format_only),
        cmocka_unit_test(note_witness_request_format_only),
        cmocka_unit_test(note_spec_cosignature_format_only),
        cmocka_unit_test(note_log_and_witness_key_strings),
        cmocka_unit_test(note_checkpoint_signed_and_cosigned),
        cmocka_unit_test(note_cosignature_tamper_rejected),
        cmocka_unit_test(note_add_lines_rules),
        cmocka_unit_test(note_receipt_parse_and_format),
        cmocka_unit_test(note_receipt_variants),
        cmocka_unit_test(note_receipt_rejects),
        cmocka_unit_test(note_bit_flips_fail),
        cmocka_unit_test(note_checkpoint_body_bit_flips_fail),
        cmocka_unit_test(note_truncations_fail_cleanly),
        cmocka_unit_test(note_random_garbage_never_crashes),
        cmocka_unit_test(note_allocation_failures_report_enomem),
    };

    return cmocka_run_group_tests_name("note", tests, setup, NULL);
}
