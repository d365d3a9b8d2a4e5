/*
 * test_witness.c - witnesses (tlog-witness), cosignatures stored with a
 * ledger, and tlog-policy quorums.
 *
 * Known answers: reference/tlog-test-vectors.md section 8 (add-checkpoint
 * body shape), 9 (spec cosignature layout) and 10 (self-derived: the 10.4
 * request must be accepted by a witness at size 6 and yield exactly the
 * 10.3 cosignature at time 1700000000; the 10.5 receipt verifies under a
 * 1-of-1 policy and its negative variants fail). Then the witness's
 * refusals: rollback, fork, wrong old size, bad proof, unknown log, bad
 * log signature, damaged state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "testutil.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/witness_int.h"
#include "world.h"

#define U8(s) ((const uint8_t *)(s))

#include "witness_vectors.h"

#define RECEIPT5_HEAD                                                                              \
    "c2sp.org/tlog-proof@v1\n"                                                                     \
    "index 5\n"                                                                                    \
    "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n"                                               \
    "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n"
#define RECEIPT5_LAST "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n"
#define RECEIPT5 RECEIPT5_HEAD RECEIPT5_LAST "\n" CP8_NOTE CP8_W1_SIG
#define LEAF5_HASH "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg="

/* 8 */
#define SOFA_NOTE                                                                                  \
    "example.com/behind-the-sofa\n"                                                                \
    "20852163\n"                                                                                   \
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"                                               \
    "\n"                                                                                           \
    "\xe2\x80\x94 example.com/behind-the-sofa "                                                    \
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"                                    \
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"                                                        \
    "\xe2\x80\x94 example.com/behind-the-sofa "                                                    \
    "opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/"                                 \
    "V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n"
#define ADD_CHECKPOINT                                                                             \
    "old 20852014\n"                                                                               \
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"                                               \
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"                                               \
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"                                               \
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"                                               \
    "\n" SOFA_NOTE
/* 9 */
#define SPEC_COSIG                                                                                 \
    "\xe2\x80\x94 witness.example.com/w1 "                                                         \
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIU" \
    "BkBIfZ+qnA==\n"

typedef struct {
    char *dir;
    char state[4200];
    ledger_key *log_key, *wkey;
    ledger_vkey log_vk, w_vk;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    uint8_t seed[32];

    TU_OK(ledger_init());
    f->dir = tu_tempdir();
    snprintf(f->state, sizeof f->state, "%s/w1.state", f->dir);
    memset(seed, 0x11, 32);
    TU_OK(ledger_key_from_seed(&f->log_key, "example.org/log", seed));
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    TU_OK(ledger_key_from_seed(&f->wkey, "witness.example.org/w1", seed));
    TU_OK(ledger_vkey_parse(&f->log_vk, LOG_VKEY, strlen(LOG_VKEY)));
    TU_OK(ledger_vkey_parse(&f->w_vk, W1_VKEY, strlen(W1_VKEY)));
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    ledger_key_free(f->log_key);
    ledger_key_free(f->wkey);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void
write_state(fixture *f, const char *lines)
{
    char buf[2048];

    snprintf(buf, sizeof buf, "attrledger witness state v1\n%s", lines);
    assert_int_equal(tu_write_file(f->state, buf, strlen(buf)), 0);
}

static int
cosign(fixture *f, ledger_buf *line, const char *cp, const char *proof)
{
    ledger_witness_options o = LEDGER_WITNESS_OPTIONS_INIT;
    ledger_witness_result res;

    o.witness_key = f->wkey;
    o.log_keys = &f->log_vk;
    o.n_log_keys = 1;
    o.state_path = f->state;
    o.timestamp = 1700000000u;
    line->data = NULL;
    line->len = 0;
    return ledger_witness_cosign(line, &res, &o, U8(cp), cp ? strlen(cp) : 0, U8(proof),
                                 proof ? strlen(proof) : 0);
}

/* A checkpoint of `size` and root (b64) signed by the 10.1 log key. */
static char *
signed_cp(fixture *f, uint64_t size, const char *root_b64)
{
    char body[256];
    ledger_buf note = LEDGER_BUF_INIT;
    char *s;

    snprintf(body, sizeof body, "example.org/log\n%llu\n%s\n", (unsigned long long)size, root_b64);
    TU_OK(lg_note_sign(&note, U8(body), strlen(body), f->log_key));
    s = strdup((const char *)note.data);
    ledger_buf_dispose(&note);
    return s;
}

static void
state_is(fixture *f, uint64_t size, const char *root_b64)
{
    ledger_checkpoint cp;
    uint8_t root[32];

    TU_OK(ledger_witness_state_get(&cp, f->state, "example.org/log"));
    assert_int_equal(cp.size, size);
    assert_int_equal(tu_b64(root, 32, root_b64), 32);
    assert_memory_equal(cp.root, root, 32);
}

/* ---- 8, 9: shapes ---- */

static void
witness_vector_8_request_parses(void **state)
{
    lg_witness_request r;
    lg_note *n = NULL;

    (void)state;
    TU_OK(lg_witness_request_parse(&r, U8(ADD_CHECKPOINT), strlen(ADD_CHECKPOINT)));
    assert_int_equal(r.old_size, 20852014u);
    assert_int_equal(r.n, 4);
    assert_non_null(r.note);
    assert_int_equal(r.note_len, strlen(SOFA_NOTE));
    TU_OK(lg_note_parse(&n, r.note, r.note_len));
    assert_int_equal(n->n_sigs, 2);
    lg_note_free(n);
    /* Proof only, and malformed variants. */
    TU_OK(lg_witness_request_parse(&r, U8("old 6\n" PROOF_6_8), strlen("old 6\n" PROOF_6_8)));
    assert_int_equal(r.n, 3);
    assert_null(r.note);
    TU_CHECK(lg_witness_request_parse(&r, U8("old 06\n"), 7), LEDGER_EFORMAT);
    TU_CHECK(lg_witness_request_parse(&r, U8("new 6\n"), 6), LEDGER_EFORMAT);
    TU_CHECK(lg_witness_request_parse(&r, U8("old 6\nAAAA\n"), 11), LEDGER_EFORMAT);
    TU_CHECK(lg_witness_request_parse(&r, U8("old 6"), 5), LEDGER_EFORMAT);
    /* 64 proof lines: one more than the spec allows. */
    char big[64 * 45 + 16];
    size_t off = (size_t)sprintf(big, "old 1\n");
    for (int i = 0; i < 64; i++)
        off += (size_t)sprintf(big + off, "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\n");
    TU_CHECK(lg_witness_request_parse(&r, U8(big), off), LEDGER_EFORMAT);
}

static void
witness_vector_9_cosignature_layout(void **state)
{
    lg_note *n = NULL;

    (void)state;
    TU_OK(lg_note_parse(&n, U8(CP8_BODY "\n" SPEC_COSIG), strlen(CP8_BODY "\n" SPEC_COSIG)));
    assert_int_equal(n->n_sigs, 1);
    assert_int_equal(n->sigs[0].id, 0x8d66cf3fu);
    assert_int_equal(n->sigs[0].sig_len, 72);
    /* 8-byte big-endian timestamp 1679315147, then the signature. */
    uint64_t ts = 0;
    for (int i = 0; i < 8; i++)
        ts = ts << 8 | n->sigs[0].sig[i];
    assert_int_equal(ts, 1679315147u);
    lg_note_free(n);
}

/* ---- 10.4: the witness accepts and produces the 10.3 cosignature ---- */

static void
witness_vector_10_4_accepted(void **state)
{
    fixture *f = *state;
    ledger_buf line;

    write_state(f, "example.org/log 6 " ROOT6 "\n");
    TU_OK(cosign(f, &line, NULL, REQ_10_4));
    assert_int_equal(line.len, strlen(CP8_W1_SIG));
    assert_memory_equal(line.data, CP8_W1_SIG, line.len);
    ledger_buf_dispose(&line);
    state_is(f, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
    /* The same checkpoint again (no proof needed): cosigned, unchanged. */
    TU_OK(cosign(f, &line, CP8_NOTE, NULL));
    ledger_buf_dispose(&line);
    state_is(f, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
}

static void
witness_vector_10_4_conflict(void **state)
{
    fixture *f = *state;
    ledger_buf line;

    /* The witness is at another size than the request's "old 6" (409). */
    write_state(f, "example.org/log 5 " ROOT6 "\n");
    TU_CHECK(cosign(f, &line, NULL, REQ_10_4), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "need a consistency proof from 5"));
    state_is(f, 5, ROOT6);
    /* No proof at all while the witness is at a smaller size. */
    TU_CHECK(cosign(f, &line, CP8_NOTE, NULL), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "give a consistency proof from 5"));
}

static void
witness_refuses_rollback_fork_and_bad_proof(void **state)
{
    fixture *f = *state;
    ledger_buf line;
    char *cp6 = signed_cp(f, 6, ROOT6);
    char req[1024];

    /* Rollback: at size 8, offered the size-6 checkpoint. */
    write_state(f, "example.org/log 8 XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
    TU_CHECK(cosign(f, &line, cp6, NULL), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "refusing rollback"));
    /* Fork: same size 8, another root in the state. */
    write_state(f, "example.org/log 8 " ROOT6 "\n");
    TU_CHECK(cosign(f, &line, CP8_NOTE, NULL), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "refusing fork"));
    state_is(f, 8, ROOT6);
    /* Bad proof: one hash changed. */
    write_state(f, "example.org/log 6 " ROOT6 "\n");
    snprintf(req, sizeof req, "old 6\n%s", PROOF_6_8);
    req[6] = req[6] == 'A' ? 'B' : 'A';
    TU_CHECK(cosign(f, &line, CP8_NOTE, req), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "bad consistency proof"));
    /* A proof one hash short. */
    snprintf(req, sizeof req, "old 6\n%.90s", PROOF_6_8);
    TU_CHECK(cosign(f, &line, CP8_NOTE, req), LEDGER_EPROOF);
    /* The state file did not move. */
    state_is(f, 6, ROOT6);
    /* Old root wrong in the state (the witness saw another tree of 6). */
    write_state(f, "example.org/log 6 XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
    TU_CHECK(cosign(f, &line, NULL, REQ_10_4), LEDGER_EPROOF);
    free(cp6);
}

static void
witness_first_contact_and_sequence(void **state)
{
    fixture *f = *state;
    ledger_buf line;
    char *cp6 = signed_cp(f, 6, ROOT6);
    char json[1024];

    /* No state file: the first checkpoint is accepted without a proof. */
    TU_OK(cosign(f, &line, cp6, NULL));
    ledger_buf_dispose(&line);
    state_is(f, 6, ROOT6);
    /* Then 6 -> 8 with the proof as prove --json writes it. */
    snprintf(json, sizeof json,
             "{\"old_size\": 6, \"new_size\": 8, \"hashes\": "
             "[\"DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\", "
             "\"yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\", "
             "\"037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\"]}");
    TU_OK(cosign(f, &line, CP8_NOTE, json));
    assert_memory_equal(line.data, CP8_W1_SIG, line.len);
    ledger_buf_dispose(&line);
    state_is(f, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
    free(cp6);

    /* A non-empty proof from 0 is refused (tlog-witness). */
    remove(f->state);
    TU_CHECK(cosign(f, &line, CP8_NOTE, "old 0\n" PROOF_6_8), LEDGER_EPROOF);
}

static void
witness_refuses_unknown_or_unsigned_logs(void **state)
{
    fixture *f = *state;
    ledger_buf line = LEDGER_BUF_INIT;
    ledger_key *other = NULL;
    uint8_t seed[32];

    /* A log this witness does not follow. */
    memset(seed, 0x44, 32);
    TU_OK(ledger_key_from_seed(&other, "example.org/other", seed));
    TU_OK(lg_note_sign(&line, U8("example.org/other\n1\n" ROOT6 "\n"),
                       strlen("example.org/other\n1\n" ROOT6 "\n"), other));
    char *note = strndup((const char *)line.data, line.len);
    ledger_buf_dispose(&line);
    TU_CHECK(cosign(f, &line, note, NULL), LEDGER_ENOTFOUND);
    free(note);
    ledger_key_free(other);
    /* Same name, other key: no verifiable signature. */
    TU_OK(ledger_key_from_seed(&other, "example.org/log", seed));
    TU_OK(lg_note_sign(&line, U8(CP8_BODY), strlen(CP8_BODY), other));
    note = strndup((const char *)line.data, line.len);
    ledger_buf_dispose(&line);
    TU_CHECK(cosign(f, &line, note, NULL), LEDGER_EBADSIG);
    free(note);
    ledger_key_free(other);
    /* A size-0 checkpoint must have the empty root. */
    char *cp0 = signed_cp(f, 0, ROOT6);
    TU_CHECK(cosign(f, &line, cp0, NULL), LEDGER_EPROOF);
    free(cp0);
    /* A request whose checkpoint differs from the one given. */
    char *cp6 = signed_cp(f, 6, ROOT6);
    TU_CHECK(cosign(f, &line, cp6, REQ_10_4), LEDGER_EFORMAT);
    free(cp6);
    /* Nothing was recorded. */
    ledger_checkpoint st;
    TU_CHECK(ledger_witness_state_get(&st, f->state, "example.org/log"), LEDGER_ENOTFOUND);
}

static void
witness_damaged_state_is_refused(void **state)
{
    fixture *f = *state;
    ledger_buf line;

    static const char *const bad[] = {
        "example.org/log 6\n",
        "example.org/log 06 " ROOT6 "\n",
        "example.org/log 6 " ROOT6,
        "example.org/log 6 AAAA\n",
        "example.org/log 6 " ROOT6 "\nexample.org/log 7 " ROOT6 "\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_state(f, bad[i]);
        TU_CHECK(cosign(f, &line, CP8_NOTE, NULL), LEDGER_EFORMAT);
    }
    assert_int_equal(tu_write_file(f->state, "nonsense\n", 9), 0);
    TU_CHECK(cosign(f, &line, CP8_NOTE, NULL), LEDGER_EFORMAT);
}

/* ---- policies and 10.5 ---- */

static ledger_tlog_policy *
policy(const char *text)
{
    ledger_tlog_policy *p = NULL;

    TU_OK(ledger_tlog_policy_parse(&p, text, strlen(text)));
    return p;
}

/* The 10.5 receipt: policy over the note, then the inclusion proof of the
 * raw leaf 40414243 (not a LogEntry, so checked with the merkle layer). */
static int
check_receipt5(const char *receipt, const ledger_tlog_policy *p)
{
    ledger_policy_report rep;
    lg_receipt r;
    lg_hash leaf;
    int rc;

    if ((rc = lg_receipt_parse(&r, U8(receipt), strlen(receipt))) < 0)
        return rc;
    if ((rc = ledger_checkpoint_verify_policy(&rep, r.note, r.note_len, p)) < 0)
        return rc;
    lg_merkle_leaf_hash(leaf, U8("\x40\x41\x42\x43"), 4);
    return lg_merkle_verify_inclusion(r.index, rep.checkpoint.size, leaf, (const lg_hash *)r.hashes,
                                      r.n_hashes, rep.checkpoint.root);
}

static void
policy_vector_10_5_receipt(void **state)
{
    ledger_tlog_policy *p = policy("# 10.1 and 10.2\n"
                                   "log " LOG_VKEY " https://example.org/log\n"
                                   "witness w1 " W1_VKEY "\n"
                                   "quorum w1\n");
    ledger_policy_report rep;
    char bad[2048];
    uint8_t h[32];

    (void)state;
    lg_merkle_leaf_hash(h, U8("\x40\x41\x42\x43"), 4);
    uint8_t want[32];
    assert_int_equal(tu_b64(want, 32, LEAF5_HASH), 32);
    assert_memory_equal(h, want, 32);
    TU_OK(check_receipt5(RECEIPT5, p));
    TU_OK(ledger_checkpoint_verify_policy(&rep, U8(CP8_NOTE CP8_W1_SIG),
                                          strlen(CP8_NOTE CP8_W1_SIG), p));
    assert_int_equal(rep.n_cosigned, 1);
    assert_int_equal(rep.timestamps[0], 1700000000u);
    assert_true(rep.quorum_met);

    /* index 5 -> 4 */
    snprintf(bad, sizeof bad, "%s", RECEIPT5);
    strstr(bad, "index 5")[6] = '4';
    TU_CHECK(check_receipt5(bad, p), LEDGER_EPROOF);
    /* last proof line dropped */
    snprintf(bad, sizeof bad, "%s\n%s%s", RECEIPT5_HEAD, CP8_NOTE, CP8_W1_SIG);
    TU_CHECK(check_receipt5(bad, p), LEDGER_EPROOF);
    /* a bit of the witness timestamp flipped: 'AAAAAB' -> 'AAAAAC' */
    snprintf(bad, sizeof bad, "%s", RECEIPT5);
    char *ts = strstr(bad, "z80aZwAAAABl");
    ts[10] = 'C';
    TU_CHECK(check_receipt5(bad, p), LEDGER_EBADSIG);
    /* the log signature replaced by one over a different size */
    ledger_key *lk = NULL;
    uint8_t seed[32];
    ledger_buf other = LEDGER_BUF_INIT;
    memset(seed, 0x11, 32);
    TU_OK(ledger_key_from_seed(&lk, "example.org/log", seed));
    TU_OK(lg_note_sign(&other, U8("example.org/log\n7\n" ROOT6 "\n"),
                       strlen("example.org/log\n7\n" ROOT6 "\n"), lk));
    const char *sig7 = strstr((const char *)other.data, "\n\n") + 2;
    snprintf(bad, sizeof bad, "%s%s\n%s\n%s%s", RECEIPT5_HEAD, RECEIPT5_LAST, CP8_BODY, sig7,
             CP8_W1_SIG);
    TU_CHECK(check_receipt5(bad, p), LEDGER_EBADSIG);
    ledger_buf_dispose(&other);
    ledger_key_free(lk);
    /* Without the cosignature, the 1-of-1 quorum fails. */
    snprintf(bad, sizeof bad, "%s%s\n%s", RECEIPT5_HEAD, RECEIPT5_LAST, CP8_NOTE);
    TU_CHECK(check_receipt5(bad, p), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "quorum not met"));
    ledger_tlog_policy_free(p);
}

static void
policy_groups_and_quorums(void **state)
{
    fixture *f = *state;
    ledger_key *w2 = NULL;
    ledger_vkey w2vk;
    ledger_buf w2vks = LEDGER_BUF_INIT;
    ledger_policy_report rep;
    uint8_t seed[32];
    char text[2048];
    ledger_tlog_policy *p;

    memset(seed, 0x55, 32);
    TU_OK(ledger_key_from_seed(&w2, "witness.example.org/w2", seed));
    ledger_key_vkey(&w2vk, w2, LEDGER_SIGTYPE_COSIGNATURE);
    TU_OK(ledger_vkey_format(&w2vks, &w2vk));

    /* 2-of-2: only w1 cosigned. */
    snprintf(text, sizeof text,
             "log %s\nwitness w1 %s\nwitness w2 %s\ngroup both all w1 w2\nquorum both\n", LOG_VKEY,
             W1_VKEY, (const char *)w2vks.data);
    p = policy(text);
    TU_CHECK(ledger_checkpoint_verify_policy(&rep, U8(CP8_NOTE CP8_W1_SIG),
                                             strlen(CP8_NOTE CP8_W1_SIG), p),
             LEDGER_EPROOF);
    ledger_tlog_policy_free(p);
    /* any / 1-of-2, nested groups, quorum none. */
    snprintf(text, sizeof text,
             "log %s\nwitness w1 %s\nwitness w2 %s\ngroup one 1 w1 w2\n"
             "group top any one\nquorum top\n",
             LOG_VKEY, W1_VKEY, (const char *)w2vks.data);
    p = policy(text);
    TU_OK(ledger_checkpoint_verify_policy(&rep, U8(CP8_NOTE CP8_W1_SIG),
                                          strlen(CP8_NOTE CP8_W1_SIG), p));
    assert_int_equal(rep.n_cosigned, 1);
    ledger_tlog_policy_free(p);
    p = policy("log " LOG_VKEY "\nquorum none\n");
    TU_OK(ledger_checkpoint_verify_policy(&rep, U8(CP8_NOTE), strlen(CP8_NOTE), p));
    ledger_tlog_policy_free(p);
    /* The policy has no key for this origin. */
    snprintf(text, sizeof text, "log %s\nquorum none\n", LOG_VKEY);
    text[4] = 'X'; /* "example.org/log" -> "eXample...": the key ID no longer matches */
    ledger_tlog_policy *q = NULL;
    TU_CHECK(ledger_tlog_policy_parse(&q, text, strlen(text)), LEDGER_EFORMAT);
    ledger_vkey lv;
    ledger_buf lvs = LEDGER_BUF_INIT;
    ledger_key_vkey(&lv, w2, LEDGER_SIGTYPE_ED25519);
    TU_OK(ledger_vkey_format(&lvs, &lv));
    snprintf(text, sizeof text, "log %s\nquorum none\n", (const char *)lvs.data);
    p = policy(text);
    TU_CHECK(ledger_checkpoint_verify_policy(&rep, U8(CP8_NOTE), strlen(CP8_NOTE), p),
             LEDGER_EBADSIG);
    assert_non_null(strstr(ledger_error_last()->message, "no log key for example.org/log"));
    ledger_tlog_policy_free(p);
    ledger_buf_dispose(&lvs);
    (void)f;
    ledger_buf_dispose(&w2vks);
    ledger_key_free(w2);
}

static void
policy_parse_errors(void **state)
{
    static const char *const bad[] = {
        "",                                                     /* no log, no quorum */
        "log " LOG_VKEY "\n",                                   /* no quorum */
        "quorum none\n",                                        /* no log */
        "log " LOG_VKEY "\nquorum none\nquorum none\n",         /* two quorums */
        "log " LOG_VKEY "\nfrobnicate\nquorum none\n",          /* unknown statement */
        "log " W1_VKEY "\nquorum none\n",                       /* log key of type 0x04 */
        "log " LOG_VKEY "\nwitness w " LOG_VKEY "\nquorum w\n", /* witness key of type 0x01 */
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\nwitness w " W1_VKEY "\nquorum w\n",
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\ngroup g 2 w\nquorum g\n",
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\ngroup g 0 w\nquorum g\n",
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\ngroup g 1 x\nquorum g\n",
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\ngroup g 1 w w\nquorum g\n",
        "log " LOG_VKEY "\nwitness w " W1_VKEY "\nquorum g\n",
        "log " LOG_VKEY "\ngroup g any g\nquorum g\n",      /* self-reference */
        "log example.org/log+0714fd3d+AAAA\nquorum none\n", /* bad vkey */
        "log " LOG_VKEY "\x01\nquorum none\n",
    };
    ledger_tlog_policy *p = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (ledger_tlog_policy_parse(&p, bad[i], strlen(bad[i])) != LEDGER_EFORMAT)
            fail_msg("policy %zu was accepted", i);
        assert_null(p);
    }
    /* Comments, blank lines, tabs and URLs are fine. */
    p = policy("# trust\n\nlog\t" LOG_VKEY "  https://x.example/\n# end\nquorum none # ok\n");
    ledger_tlog_policy_free(p);
}

/* ---- cosignatures stored with a ledger ---- */

static void
ledger_stores_verified_cosignatures(void **state)
{
    fixture *f = *state;
    tu_world w;
    ledger_witness_options o = LEDGER_WITNESS_OPTIONS_INIT;
    ledger_buf cp = LEDGER_BUF_INIT, line = LEDGER_BUF_INIT, full = LEDGER_BUF_INIT,
               receipt = LEDGER_BUF_INIT, leaf = LEDGER_BUF_INIT, vks = LEDGER_BUF_INIT;
    ledger_receipt_info info;
    ledger_policy_report rep;
    ledger_tlog_policy *p;
    size_t added = 0;
    char text[2048];

    tu_world_create(&w);
    TU_OK(ledger_log_checkpoint(&cp, w.log, 0));
    o.witness_key = f->wkey;
    o.log_keys = &w.log_vkey;
    o.n_log_keys = 1;
    o.state_path = f->state;
    TU_OK(ledger_witness_cosign(&line, NULL, &o, cp.data, cp.len, NULL, 0));

    /* A witness we were not told about is refused; the right one is kept. */
    ledger_vkey wrong = f->w_vk;
    wrong.note_id ^= 1;
    TU_CHECK(ledger_log_add_cosignatures(&added, w.log, 0, line.data, line.len, &wrong, 1),
             LEDGER_EBADSIG);
    TU_CHECK(ledger_log_add_cosignatures(&added, w.log, 5, line.data, line.len, &f->w_vk, 1),
             LEDGER_EBADSIG); /* a cosignature of size 22, offered for size 5 */
    TU_OK(ledger_log_add_cosignatures(&added, w.log, 0, line.data, line.len, &f->w_vk, 1));
    assert_int_equal(added, 1);
    /* A whole cosigned note works too (and is idempotent). */
    TU_OK(ledger_log_checkpoint_cosigned(&full, w.log, 0));
    assert_int_equal(full.len, cp.len + line.len);
    assert_memory_equal(full.data + cp.len, line.data, line.len);
    TU_OK(ledger_log_add_cosignatures(&added, w.log, 0, full.data, full.len, &f->w_vk, 1));
    ledger_buf_dispose(&full);
    TU_OK(ledger_log_checkpoint_cosigned(&full, w.log, 0));
    assert_int_equal(full.len, cp.len + line.len);

    /* A cosigned receipt verifies under a 1-of-1 policy, and still with
     * the plain log key (cosignatures are ignored there). */
    TU_OK(ledger_vkey_format(&vks, &w.log_vkey));
    snprintf(text, sizeof text, "log %s\nwitness w1 %s\nquorum w1\n", (const char *)vks.data,
             W1_VKEY);
    p = policy(text);
    TU_OK(ledger_log_receipt(&receipt, w.log, 13, 0, 1));
    TU_OK(ledger_log_entry(&leaf, w.log, 13));
    TU_OK(ledger_receipt_verify_policy(&info, &rep, receipt.data, receipt.len, leaf.data, leaf.len,
                                       p));
    assert_int_equal(info.index, 13);
    assert_int_equal(rep.n_cosigned, 1);
    TU_OK(
        ledger_receipt_verify(&info, receipt.data, receipt.len, leaf.data, leaf.len, &w.log_vkey));
    ledger_buf_dispose(&receipt);
    /* The uncosigned receipt does not meet the quorum. */
    TU_OK(ledger_log_receipt(&receipt, w.log, 13, 0, 0));
    TU_CHECK(ledger_receipt_verify_policy(&info, &rep, receipt.data, receipt.len, leaf.data,
                                          leaf.len, p),
             LEDGER_EPROOF);
    ledger_tlog_policy_free(p);
    /* verify still passes: cosignatures are outside the tree. */
    ledger_verify_options vo = LEDGER_VERIFY_OPTIONS_INIT;
    ledger_verify_report vr;
    vo.log_key = &w.log_vkey;
    TU_OK(ledger_log_verify(&vr, w.log, &vo));

    ledger_buf_dispose(&receipt);
    ledger_buf_dispose(&leaf);
    ledger_buf_dispose(&vks);
    ledger_buf_dispose(&full);
    ledger_buf_dispose(&line);
    ledger_buf_dispose(&cp);
    tu_world_free(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(witness_vector_8_request_parses),
        cmocka_unit_test(witness_vector_9_cosignature_layout),
        cmocka_unit_test_setup_teardown(witness_vector_10_4_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(witness_vector_10_4_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(witness_refuses_rollback_fork_and_bad_proof, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(witness_first_contact_and_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(witness_refuses_unknown_or_unsigned_logs, setup, teardown),
        cmocka_unit_test_setup_teardown(witness_damaged_state_is_refused, setup, teardown),
        cmocka_unit_test(policy_vector_10_5_receipt),
        cmocka_unit_test_setup_teardown(policy_groups_and_quorums, setup, teardown),
        cmocka_unit_test(policy_parse_errors),
        cmocka_unit_test_setup_teardown(ledger_stores_verified_cosignatures, setup, teardown),
    };

    TU_OK(ledger_init());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
