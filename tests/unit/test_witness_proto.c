/*
 * test_witness_proto.c - the tlog-witness add-checkpoint protocol as HTTP
 * answers (ledger_witness_add_checkpoint), the monitoring read of the
 * latest cosigned checkpoint, evidence of refused requests, and fork
 * reports (ledger_fork_report_format / ledger_fork_verify).
 *
 * Every status code of C2SP tlog-witness v1.0.0 is driven from a request
 * body built here: 200 (10.4 vector: exactly the 10.3 cosignature), 400,
 * 403, 404, 409 (body "<size>\n", text/x.tlog.size, found with "old 0"),
 * 422 (fork, bad proof, non-empty proof from 0, size 0 with a non-empty
 * root).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrledger/attrledger.h"
#include "crypto/crypto.h"
#include "testutil.h"
#include "tlog/note.h"
#include "witness_vectors.h"

#define U8(s) ((const uint8_t *)(s))
#define CP8_ROOT "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="

typedef struct {
    char *dir;
    char state[4200], evidence[4200];
    ledger_key *log_key, *wkey, *other_key;
    ledger_vkey log_vk;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    uint8_t seed[32];

    TU_OK(ledger_init());
    f->dir = tu_tempdir();
    snprintf(f->state, sizeof f->state, "%s/w.state", f->dir);
    snprintf(f->evidence, sizeof f->evidence, "%s/evidence", f->dir);
    memset(seed, 0x11, 32);
    TU_OK(ledger_key_from_seed(&f->log_key, "example.org/log", seed));
    memset(seed, 0x22, 32);
    TU_OK(ledger_key_from_seed(&f->other_key, "example.org/log", seed));
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    TU_OK(ledger_key_from_seed(&f->wkey, "witness.example.org/w1", seed));
    TU_OK(ledger_vkey_parse(&f->log_vk, LOG_VKEY, strlen(LOG_VKEY)));
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    ledger_key_free(f->log_key);
    ledger_key_free(f->other_key);
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

/* POST /add-checkpoint with this body; returns the status. */
static int
post(fixture *f, ledger_witness_response *r, const char *body)
{
    ledger_witness_options o = LEDGER_WITNESS_OPTIONS_INIT;

    o.witness_key = f->wkey;
    o.log_keys = &f->log_vk;
    o.n_log_keys = 1;
    o.state_path = f->state;
    o.timestamp = 1700000000u;
    TU_OK(ledger_witness_add_checkpoint(r, &o, f->evidence, U8(body), strlen(body)));
    return r->status;
}

/* A checkpoint of example.org/log signed by `key`. */
static char *
signed_cp(const ledger_key *key, const char *origin, uint64_t size, const char *root_b64)
{
    char body[256];
    ledger_buf note = LEDGER_BUF_INIT;
    char *s;

    snprintf(body, sizeof body, "%s\n%llu\n%s\n", origin, (unsigned long long)size, root_b64);
    TU_OK(lg_note_sign(&note, U8(body), strlen(body), key));
    s = strdup((const char *)note.data);
    ledger_buf_dispose(&note);
    return s;
}

static char *
request(const char *head, const char *note)
{
    size_t n = strlen(head) + strlen(note) + 2;
    char *s = malloc(n);

    snprintf(s, n, "%s\n%s", head, note);
    return s;
}

static void
body_is(const ledger_witness_response *r, const char *want)
{
    assert_int_equal(r->body.len, strlen(want));
    assert_memory_equal(r->body.data, want, r->body.len);
}

static size_t
count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        n += l > sl && strcmp(e->d_name + l - sl, suffix) == 0;
    }
    closedir(d);
    return n;
}

static char *
first_file(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *path = NULL;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL && path == NULL) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0) {
            path = malloc(strlen(dir) + l + 2);
            sprintf(path, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    assert_non_null(path);
    return path;
}

static void
hex_of_origin(char hex[65])
{
    uint8_t h[32];

    lg_sha256(h, U8("example.org/log"), strlen("example.org/log"));
    for (int i = 0; i < 32; i++)
        sprintf(hex + 2 * i, "%02x", h[i]);
}

/* 200: the 10.4 request at size 6 gives exactly the 10.3 cosignature; the
 * same checkpoint again ("old 8", no proof) is cosigned again. */
static void
proto_200_and_latest(void **state)
{
    fixture *f = *state;
    ledger_witness_response r;
    ledger_buf latest = LEDGER_BUF_INIT;
    char hex[65];

    write_state(f, "example.org/log 6 " ROOT6 "\n");
    assert_int_equal(post(f, &r, REQ_10_4), 200);
    assert_string_equal(r.content_type, "text/plain; charset=utf-8");
    body_is(&r, CP8_W1_SIG);
    assert_int_equal(r.result.old_size, 6);
    assert_int_equal(r.result.size, 8);
    ledger_buf_dispose(&r.body);
    /* GET /<hex>/checkpoint: the checkpoint with the cosignature. */
    hex_of_origin(hex);
    TU_OK(ledger_witness_latest(&latest, f->state, hex));
    assert_int_equal(latest.len, strlen(CP8_NOTE CP8_W1_SIG));
    assert_memory_equal(latest.data, CP8_NOTE CP8_W1_SIG, latest.len);
    ledger_buf_dispose(&latest);
    hex[0] = hex[0] == 'a' ? 'b' : 'a';
    TU_CHECK(ledger_witness_latest(&latest, f->state, hex), LEDGER_ENOTFOUND);
    TU_CHECK(ledger_witness_latest(&latest, f->state, "../w.state"), LEDGER_ENOTFOUND);
    assert_int_equal(post(f, &r, "old 8\n\n" CP8_NOTE), 200);
    body_is(&r, CP8_W1_SIG);
    ledger_buf_dispose(&r.body);
    assert_int_equal(count_files(f->evidence, ".txt"), 0);
}

/* 409: "old" is not the stored size; "old 0" discovers it. */
static void
proto_409_discovery(void **state)
{
    fixture *f = *state;
    ledger_witness_response r;

    write_state(f, "example.org/log 6 " ROOT6 "\n");
    assert_int_equal(post(f, &r, "old 0\n\n" CP8_NOTE), 409);
    assert_string_equal(r.content_type, "text/x.tlog.size");
    body_is(&r, "6\n");
    ledger_buf_dispose(&r.body);
    assert_int_equal(post(f, &r, "old 5\n" PROOF_6_8 "\n" CP8_NOTE), 409);
    body_is(&r, "6\n");
    ledger_buf_dispose(&r.body);
    /* Then the right request goes through. */
    assert_int_equal(post(f, &r, REQ_10_4), 200);
    ledger_buf_dispose(&r.body);
    /* A rollback to 6 is also "not my size": 409 with 8. */
    assert_int_equal(post(f, &r, "old 6\n\n" CP8_NOTE), 409);
    body_is(&r, "8\n");
    ledger_buf_dispose(&r.body);
}

/* 400, 403, 404. */
static void
proto_400_403_404(void **state)
{
    fixture *f = *state;
    ledger_witness_response r;
    char *cp, *req;

    write_state(f, "example.org/log 6 " ROOT6 "\n");
    static const char *const bad[] = {
        "",
        "new 6\n\n" CP8_NOTE,
        "old 06\n\n" CP8_NOTE,
        "old 6\n" PROOF_6_8, /* no checkpoint */
        "old 6\n" PROOF_6_8 "\n",
        "old 6\nAAAA\n\n" CP8_NOTE,
        "old 9\n\n" CP8_NOTE,              /* old above the checkpoint's size */
        "old 6\n" PROOF_6_8 "\n" CP8_BODY, /* not a signed note */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(post(f, &r, bad[i]), 400);
        assert_string_equal(r.content_type, "text/plain; charset=utf-8");
        assert_non_null(memchr(r.body.data, '\n', r.body.len));
        ledger_buf_dispose(&r.body);
    }
    /* 404: a log this witness does not follow. */
    cp = signed_cp(f->log_key, "example.org/other", 8, CP8_ROOT);
    req = request("old 6\n" PROOF_6_8, cp);
    assert_int_equal(post(f, &r, req), 404);
    ledger_buf_dispose(&r.body);
    free(cp);
    free(req);
    /* 403: the right name, another key; and a damaged signature. */
    cp = signed_cp(f->other_key, "example.org/log", 8, CP8_ROOT);
    req = request("old 6\n" PROOF_6_8, cp);
    assert_int_equal(post(f, &r, req), 403);
    ledger_buf_dispose(&r.body);
    free(cp);
    free(req);
    {
        char tampered[] = REQ_10_4;
        char *sig = strstr(tampered, "BxT9PV");
        sig[0] = 'C';
        assert_int_equal(post(f, &r, tampered), 403);
        ledger_buf_dispose(&r.body);
    }
    /* Nothing moved. */
    ledger_checkpoint st;
    TU_OK(ledger_witness_state_get(&st, f->state, "example.org/log"));
    assert_int_equal(st.size, 6);
}

/* 422: fork (kept as evidence with a checkable fork report), bad proof,
 * non-empty proof from 0 or between equal sizes, size 0 with a root. */
static void
proto_422_and_evidence(void **state)
{
    fixture *f = *state;
    ledger_witness_response r;
    ledger_fork_info fi;
    char *cp, *req, *path;
    uint8_t *rep;
    size_t rep_len;

    /* First contact at size 8 with another root than CP8's. */
    cp = signed_cp(f->log_key, "example.org/log", 8, ROOT6);
    req = request("old 0\n", cp);
    assert_int_equal(post(f, &r, req), 200);
    ledger_buf_dispose(&r.body);
    free(req);
    /* The log now shows CP8: same size, another root. */
    assert_int_equal(post(f, &r, "old 8\n\n" CP8_NOTE), 422);
    assert_int_equal(r.evidence, 1);
    assert_non_null(strstr((const char *)r.body.data, "refusing fork"));
    ledger_buf_dispose(&r.body);
    assert_int_equal(count_files(f->evidence, ".txt"), 1);
    assert_int_equal(count_files(f->evidence, ".frk"), 1);
    path = first_file(f->evidence, ".frk");
    rep = tu_read_file(path, &rep_len);
    TU_OK(ledger_fork_verify(&fi, rep, rep_len, &f->log_vk));
    assert_int_equal(fi.held.size, 8);
    assert_int_equal(fi.other.size, 8);
    free(rep);
    free(path);
    /* A non-empty proof between equal sizes. */
    assert_int_equal(post(f, &r, "old 8\n" PROOF_6_8 "\n" CP8_NOTE), 422);
    ledger_buf_dispose(&r.body);
    free(cp);

    /* A proof that fails: kept as evidence too. */
    write_state(f, "example.org/log 6 " ROOT6 "\n");
    {
        char bad_proof[] = REQ_10_4;
        bad_proof[7] = bad_proof[7] == 'A' ? 'B' : 'A';
        assert_int_equal(post(f, &r, bad_proof), 422);
        assert_int_equal(r.evidence, 1);
        ledger_buf_dispose(&r.body);
    }
    assert_int_equal(count_files(f->evidence, ".txt"), 2);
    /* A non-empty proof from size 0 (first contact). */
    write_state(f, "");
    assert_int_equal(post(f, &r, "old 0\n" PROOF_6_8 "\n" CP8_NOTE), 422);
    assert_int_equal(r.evidence, 0);
    ledger_buf_dispose(&r.body);
    /* Size 0 must have the empty tree's root. */
    cp = signed_cp(f->log_key, "example.org/log", 0, ROOT6);
    req = request("old 0\n", cp);
    assert_int_equal(post(f, &r, req), 422);
    ledger_buf_dispose(&r.body);
    free(cp);
    free(req);
    TU_CHECK(ledger_witness_state_get(&(ledger_checkpoint){0}, f->state, "example.org/log"),
             LEDGER_ENOTFOUND);
}

/* Fork reports of different sizes: prefix root and consistency proof. */
static void
fork_report_sizes(void **state)
{
    fixture *f = *state;
    ledger_buf rep = LEDGER_BUF_INIT;
    ledger_fork_info fi;
    uint8_t prefix[32], proof[3][32];
    char *cp6_other, *cp6_same;
    const char *lines[3] = {"DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
                            "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="};

    assert_int_equal(tu_b64(prefix, 32, ROOT6), 32);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tu_b64(proof[i], 32, lines[i]), 32);
    /* Size 6 with another root than the prefix of CP8's tree: a fork. */
    cp6_other = signed_cp(f->log_key, "example.org/log", 6, CP8_ROOT);
    TU_OK(ledger_fork_report_format(&rep, U8(cp6_other), strlen(cp6_other), U8(CP8_NOTE),
                                    strlen(CP8_NOTE), prefix, (const uint8_t(*)[32])proof, 3));
    TU_OK(ledger_fork_verify(&fi, rep.data, rep.len, &f->log_vk));
    assert_int_equal(fi.held.size, 6);
    assert_int_equal(fi.other.size, 8);
    /* Any changed byte breaks it. */
    for (size_t i = 0; i < rep.len; i += 7) {
        rep.data[i] ^= 1;
        assert_true(ledger_fork_verify(&fi, rep.data, rep.len, &f->log_vk) < 0);
        rep.data[i] ^= 1;
    }
    /* Truncated. */
    assert_true(ledger_fork_verify(&fi, rep.data, rep.len - 1, &f->log_vk) < 0);
    ledger_buf_dispose(&rep);
    /* Size 6 with the real prefix root: consistent, proves nothing. */
    cp6_same = signed_cp(f->log_key, "example.org/log", 6, ROOT6);
    TU_OK(ledger_fork_report_format(&rep, U8(cp6_same), strlen(cp6_same), U8(CP8_NOTE),
                                    strlen(CP8_NOTE), prefix, (const uint8_t(*)[32])proof, 3));
    TU_CHECK(ledger_fork_verify(&fi, rep.data, rep.len, &f->log_vk), LEDGER_EPROOF);
    ledger_buf_dispose(&rep);
    /* The same checkpoint twice. */
    TU_OK(ledger_fork_report_format(&rep, U8(CP8_NOTE), strlen(CP8_NOTE), U8(CP8_NOTE),
                                    strlen(CP8_NOTE), NULL, NULL, 0));
    TU_CHECK(ledger_fork_verify(&fi, rep.data, rep.len, &f->log_vk), LEDGER_EPROOF);
    ledger_buf_dispose(&rep);
    /* Signed by another key. */
    char *forged = signed_cp(f->other_key, "example.org/log", 8, ROOT6);
    TU_OK(ledger_fork_report_format(&rep, U8(forged), strlen(forged), U8(CP8_NOTE),
                                    strlen(CP8_NOTE), NULL, NULL, 0));
    TU_CHECK(ledger_fork_verify(&fi, rep.data, rep.len, &f->log_vk), LEDGER_EBADSIG);
    ledger_buf_dispose(&rep);
    TU_CHECK(ledger_fork_verify(&fi, U8("hello\n"), 6, &f->log_vk), LEDGER_EFORMAT);
    free(forged);
    free(cp6_other);
    free(cp6_same);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(proto_200_and_latest, setup, teardown),
        cmocka_unit_test_setup_teardown(proto_409_discovery, setup, teardown),
        cmocka_unit_test_setup_teardown(proto_400_403_404, setup, teardown),
        cmocka_unit_test_setup_teardown(proto_422_and_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(fork_report_sizes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
