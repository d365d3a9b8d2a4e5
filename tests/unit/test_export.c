/*
 * test_export.c - audit trails and tiles: export, then audit offline.
 *
 * Round trips (full, range and one-incident trails; tiles, re-exported
 * after the log grew), determinism, and tamper loops: every single-byte
 * change at many positions of a trail, a checkpoint, a tile and an entry
 * bundle must make the audit fail, as must dropped, repeated and swapped
 * lines, a wrong key, a rolled-back or forked older checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "attrledger/attrledger.h"
#include "testutil.h"
#include "world.h"

typedef struct {
    tu_world w;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    tu_world_create(&f->w);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    tu_world_free(&f->w);
    free(f);
    return 0;
}

static void
export_trail(fixture *f, const ledger_export_options *o, tu_sink *out, ledger_export_report *rep)
{
    memset(out, 0, sizeof *out);
    TU_OK(ledger_export_audit(rep, f->w.log, o, tu_sink_write, out));
}

static size_t
count_lines(const tu_sink *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->len; i++)
        n += s->data[i] == '\n';
    return n;
}

/* ---- trails ---- */

static void
export_full_trail_audits(void **state)
{
    fixture *f = *state;
    ledger_export_report er;
    ledger_audit_report ar;
    tu_sink t;

    export_trail(f, NULL, &t, &er);
    assert_int_equal(er.tree_size, TU_WORLD_SIZE);
    assert_int_equal(er.selected, TU_WORLD_SIZE);
    assert_int_equal(er.context, 0);
    assert_int_equal(count_lines(&t), TU_WORLD_SIZE + 1);
    TU_OK(tu_audit_trail(t.data, t.len, &f->w.log_vkey, &ar));
    assert_int_equal(ar.entries, TU_WORLD_SIZE);
    assert_int_equal(ar.selected, TU_WORLD_SIZE);
    assert_int_equal(ar.checkpoint.size, TU_WORLD_SIZE);
    assert_true(ar.complete);
    /* genesis 1, registrations 2 each, everything else 1 */
    assert_int_equal(ar.signatures, TU_WORLD_SIZE + 6);
    assert_string_equal(ar.incident, "");
    tu_sink_free(&t);
}

static void
export_is_deterministic(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    tu_sink a, b;

    o.incident = "inc:one";
    export_trail(f, &o, &a, &er);
    export_trail(f, &o, &b, &er);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    tu_sink_free(&a);
    tu_sink_free(&b);
}

static int
trail_has(const tu_sink *t, const char *record_id)
{
    char needle[300];

    snprintf(needle, sizeof needle, "\"record_id\":\"%s\"", record_id);
    return strstr((const char *)t->data, needle) != NULL;
}

static void
export_incident_trail_verifies_alone(void **state)
{
    static const char *const selected[] = {
        "inc:one",    "ev:one",         "clm:gov-one", "clm:vendor-one", "clm:quoted-one",
        "op:endorse", "ret:vendor-one", "inc:one@v2",  "fnd:one",        "vote:one"};
    static const char *const context[] = {"genesis",      "reg:p:gov",  "reg:p:vendor", "reg:p:cur",
                                          "reg:p:quoted", "reg:p:body", "reg:p:panel",  "act:state",
                                          "act:unit",     "act:group"};
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    tu_sink t;

    o.incident = "inc:one";
    export_trail(f, &o, &t, &er);
    assert_int_equal(er.selected, 10);
    assert_int_equal(er.context, 10);
    for (size_t i = 0; i < 10; i++) {
        assert_true(trail_has(&t, selected[i]));
        assert_true(trail_has(&t, context[i]));
    }
    assert_false(trail_has(&t, "inc:two"));
    assert_false(trail_has(&t, "clm:vendor-two"));
    TU_OK(tu_audit_trail(t.data, t.len, &f->w.log_vkey, &ar));
    assert_int_equal(ar.selected, 10);
    assert_int_equal(ar.context, 10);
    assert_false(ar.complete);
    assert_string_equal(ar.incident, "inc:one");
    tu_sink_free(&t);

    /* The other incident: its claim, plus the actors it names. */
    o.incident = "inc:two";
    export_trail(f, &o, &t, &er);
    assert_int_equal(er.selected, 2);
    TU_OK(tu_audit_trail(t.data, t.len, &f->w.log_vkey, &ar));
    assert_true(trail_has(&t, "act:state"));
    assert_false(trail_has(&t, "inc:one"));
    tu_sink_free(&t);

    /* Nothing touches an unknown incident. */
    o.incident = "inc:none";
    memset(&t, 0, sizeof t);
    TU_CHECK(ledger_export_audit(&er, f->w.log, &o, tu_sink_write, &t), LEDGER_ENOTFOUND);
    tu_sink_free(&t);
}

static void
export_range_trail(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    tu_sink t;

    o.since = 12;
    o.until = 14;
    export_trail(f, &o, &t, &er);
    assert_int_equal(er.selected, 3);
    TU_OK(tu_audit_trail(t.data, t.len, &f->w.log_vkey, &ar));
    assert_int_equal(ar.selected, 3);
    tu_sink_free(&t);

    o.since = 30;
    memset(&t, 0, sizeof t);
    TU_CHECK(ledger_export_audit(&er, f->w.log, &o, tu_sink_write, &t), LEDGER_EINVAL);
    o.since = 5;
    o.until = 4;
    TU_CHECK(ledger_export_audit(&er, f->w.log, &o, tu_sink_write, &t), LEDGER_EINVAL);
    o.since = 0;
    o.until = UINT64_MAX;
    o.tree_size = 3; /* every submission was a batch of one: 1..22 were all signed */
    TU_OK(ledger_export_audit(&er, f->w.log, &o, tu_sink_write, &t));
    tu_sink_free(&t);
}

/*
 * The role of every entry of a trail, one character per ledger index:
 * 'S' selected, 'R' registry, 'C' context, '.' not in the trail.
 */
static void
trail_roles(const tu_sink *t, char *out, size_t n)
{
    size_t start = 0, line = 0;

    memset(out, '.', n);
    out[n] = '\0';
    for (size_t i = 0; i < t->len; i++) {
        json_t *obj;
        json_int_t index;
        const char *role;

        if (t->data[i] != '\n')
            continue;
        if (line++ > 0) { /* line 0 is the header */
            obj = json_loadb((const char *)t->data + start, i - start, 0, NULL);
            assert_non_null(obj);
            index = json_integer_value(json_object_get(obj, "index"));
            role = json_string_value(json_object_get(obj, "role"));
            assert_true(index >= 0 && (size_t)index < n && role != NULL);
            assert_int_equal(out[index], '.');
            out[index] = strcmp(role, "selected") == 0   ? 'S'
                         : strcmp(role, "registry") == 0 ? 'R'
                         : strcmp(role, "context") == 0  ? 'C'
                                                         : '?';
            json_decref(obj);
        }
        start = i + 1;
    }
}

static void
check_roles(fixture *f, uint64_t since, uint64_t until, const char *incident, const char *want)
{
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    char got[TU_WORLD_SIZE + 1];
    tu_sink t;

    o.since = since;
    o.until = until;
    o.incident = incident;
    export_trail(f, &o, &t, &er);
    trail_roles(&t, got, TU_WORLD_SIZE);
    assert_string_equal(got, want);
    TU_OK(tu_audit_trail(t.data, t.len, &f->w.log_vkey, &ar));
    tu_sink_free(&t);
}

/*
 * Exact selections over the world (world.h). Context reaches back before
 * `since`, transitively: op:endorse (16) is on clm:gov-one (13), which
 * names inc:one (10), ev:one (12), act:group (9) and act:state (7);
 * act:group's parent is act:unit (8), whose parent is act:state.
 */
static void
export_selection_roles(void **state)
{
    fixture *f = *state;

    /* Whole ledger: everything is selected (registrations too). */
    check_roles(f, 0, UINT64_MAX, NULL, "SSSSSSSSSSSSSSSSSSSSSS");
    /*                                    0123456789012345678901 */
    check_roles(f, 16, 16, NULL, /*    */ "RRRRRRRCCCC.CC..S.....");
    /* clm:vendor-two adds inc:two (11); ret:vendor-one clm:vendor-one (14). */
    check_roles(f, 16, 18, NULL, /*    */ "RRRRRRRCCCCCCCC.SSS...");
    /* One incident over the whole ledger. */
    check_roles(f, 0, UINT64_MAX, "inc:one", "RRRRRRRCCCS.SSSSS.SSSS");
    check_roles(f, 0, UINT64_MAX, "inc:two", "RRRRRRRCCC.S.....S....");
    /* Incident and range: op:endorse (16) and ret:vendor-one (18) target
     * records before `since`, which are not selected, so neither is
     * selected; inc:one@v2 is (its incident_key), then fnd:one and its
     * vote. fnd:one assesses clm:gov-one (13): context again. */
    check_roles(f, 16, 21, "inc:one", "RRRRRRRCCCC.CC.....SSS");
}

/* Line i (0-based) of a trail: its offset and length including '\n'. */
static void
line_at(const tu_sink *t, size_t want, size_t *off, size_t *len)
{
    size_t start = 0, n = 0;

    for (size_t i = 0; i < t->len; i++) {
        if (t->data[i] != '\n')
            continue;
        if (n++ == want) {
            *off = start;
            *len = i + 1 - start;
            return;
        }
        start = i + 1;
    }
    fail_msg("trail has no line %zu", want);
}

static void
trail_every_byte_change_detected(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    size_t off, len, tested = 0;
    uint8_t *copy;
    tu_sink t;

    o.incident = "inc:two";
    export_trail(f, &o, &t, &er);
    copy = malloc(t.len);
    assert_non_null(copy);
    line_at(&t, 1, &off, &len);
    /* Every byte of the header, then a stride over the entries; two
     * different replacements per position (a bit flip, and an add). */
    for (size_t pos = 0; pos < t.len; pos += pos < off ? 1 : 41) {
        for (int k = 0; k < 2; k++) {
            if (k == 1 && pos < off && pos % 7 != 0)
                continue;
            memcpy(copy, t.data, t.len);
            copy[pos] = (uint8_t)(k == 0 ? copy[pos] ^ 0x01 : copy[pos] + 0x35);
            if (tu_audit_trail(copy, t.len, &f->w.log_vkey, &ar) == 0)
                fail_msg("change at byte %zu (%s) not detected: %.40s", pos, k ? "+0x35" : "^0x01",
                         (const char *)copy + (pos > 20 ? pos - 20 : 0));
            tested++;
        }
    }
    assert_true(tested > 1200);
    free(copy);
    tu_sink_free(&t);
}

static void
trail_line_edits_detected(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    size_t off1, len1, off2, len2;
    tu_sink t, m;

    o.incident = "inc:one";
    export_trail(f, &o, &t, &er);
    line_at(&t, 5, &off1, &len1);
    line_at(&t, 6, &off2, &len2);

    /* Dropped line: here the registration of p:quoted, so the first failure
     * is the transcribed claim naming an unregistered claimant (the count
     * in the header would no longer match either). */
    memset(&m, 0, sizeof m);
    tu_sink_write(&m, t.data, off1);
    tu_sink_write(&m, t.data + off2, t.len - off2);
    TU_CHECK(tu_audit_trail(m.data, m.len, &f->w.log_vkey, &ar), LEDGER_EPOLICY);
    tu_sink_free(&m);
    /* Repeated line. */
    tu_sink_write(&m, t.data, off2);
    tu_sink_write(&m, t.data + off1, len1);
    tu_sink_write(&m, t.data + off2, t.len - off2);
    assert_true(tu_audit_trail(m.data, m.len, &f->w.log_vkey, &ar) < 0);
    tu_sink_free(&m);
    /* Swapped lines. */
    tu_sink_write(&m, t.data, off1);
    tu_sink_write(&m, t.data + off2, len2);
    tu_sink_write(&m, t.data + off1, len1);
    tu_sink_write(&m, t.data + off2 + len2, t.len - off2 - len2);
    TU_CHECK(tu_audit_trail(m.data, m.len, &f->w.log_vkey, &ar), LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "indexes must increase"));
    tu_sink_free(&m);
    /* Truncated: the last line, then the final newline. */
    TU_CHECK(tu_audit_trail(t.data, t.len - 1, &f->w.log_vkey, &ar), LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "missing newline"));
    line_at(&t, count_lines(&t) - 1, &off1, &len1);
    TU_CHECK(tu_audit_trail(t.data, off1, &f->w.log_vkey, &ar), LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "truncated"));
    /* Empty input. */
    TU_CHECK(tu_audit_trail(t.data, 0, &f->w.log_vkey, &ar), LEDGER_EFORMAT);
    tu_sink_free(&t);
}

static void
trail_rejects_other_keys_and_logs(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    ledger_key *other = NULL;
    ledger_vkey ovk;
    uint8_t seed[32];
    tu_sink t;

    o.incident = "inc:one";
    export_trail(f, &o, &t, &er);
    /* Same name, another key: the checkpoint signature is unknown. */
    memset(seed, 0x77, 32);
    TU_OK(ledger_key_from_seed(&other, TU_WORLD_ORIGIN, seed));
    ledger_key_vkey(&ovk, other, LEDGER_SIGTYPE_ED25519);
    TU_CHECK(tu_audit_trail(t.data, t.len, &ovk, &ar), LEDGER_EBADSIG);
    assert_non_null(strstr(ledger_error_last()->message, "line 1"));
    /* A witness-type key is not a log key. */
    ledger_key_vkey(&ovk, f->w.log_key, LEDGER_SIGTYPE_COSIGNATURE);
    ledger_audit *a = NULL;
    TU_CHECK(ledger_audit_new(&a, &ovk), LEDGER_EINVAL);
    ledger_key_free(other);
    tu_sink_free(&t);
}

static void
trail_entry_outside_selection_detected(void **state)
{
    fixture *f = *state;
    ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report er;
    ledger_audit_report ar;
    tu_sink inc, full, m;
    size_t hoff, hlen, off, len;

    /* Take the inc:one trail and splice in entry 11 (inc:two, not part of
     * the selection) from the full trail, fixing the header's count: the
     * signatures all hold but the entry has no business being there. */
    o.incident = "inc:one";
    export_trail(f, &o, &inc, &er);
    export_trail(f, NULL, &full, &er);
    line_at(&inc, 0, &hoff, &hlen);
    char *hdr = strndup((const char *)inc.data, hlen);
    char *cnt = strstr(hdr, "\"entries\":20}");
    assert_non_null(cnt);
    memcpy(cnt, "\"entries\":21}", 13);
    memset(&m, 0, sizeof m);
    tu_sink_write(&m, hdr, hlen);
    /* entries 0..10 are lines 1..? of the inc trail: find the line of entry 12. */
    size_t split = 0;
    for (size_t i = 1; i < count_lines(&inc); i++) {
        line_at(&inc, i, &off, &len);
        if (strstr((const char *)inc.data + off, "\"index\":12,") ==
            (const char *)inc.data + off + 1) {
            split = off;
            break;
        }
    }
    assert_true(split > 0);
    tu_sink_write(&m, inc.data + hlen, split - hlen);
    line_at(&full, 12, &off, &len); /* line 12 of the full trail is entry 11 */
    tu_sink_write(&m, full.data + off, len);
    tu_sink_write(&m, inc.data + split, inc.len - split);
    TU_CHECK(tu_audit_trail(m.data, m.len, &f->w.log_vkey, &ar), LEDGER_EFORMAT);
    assert_non_null(strstr(ledger_error_last()->message, "entry 11 (inc:two)"));
    free(hdr);
    tu_sink_free(&m);
    tu_sink_free(&inc);
    tu_sink_free(&full);
}

/* ---- tiles ---- */

static int
fetch_dir(void *payload, const char *rel, size_t max, ledger_buf *out)
{
    char path[4096];
    struct stat st;
    uint8_t *data;
    size_t len;

    snprintf(path, sizeof path, "%s/%s", (const char *)payload, rel);
    if (stat(path, &st) != 0)
        return LEDGER_ENOTFOUND;
    if ((size_t)st.st_size > max)
        return LEDGER_EFORMAT;
    if ((data = tu_read_file(path, &len)) == NULL)
        return LEDGER_EIO;
    if (ledger_buf_alloc(out, len) < 0) {
        free(data);
        return LEDGER_ENOMEM;
    }
    memcpy(out->data, data, len);
    free(data);
    return 0;
}

static int
audit_tiles(fixture *f, const char *dir, const ledger_buf *old, ledger_audit_report *rep)
{
    return ledger_audit_tiles(rep, fetch_dir, (void *)dir, &f->w.log_vkey, old ? old->data : NULL,
                              old ? old->len : 0);
}

/* Flip bytes of one file of the tree; every change must fail the audit. */
static void
tamper_file(fixture *f, const char *dir, const char *rel, size_t stride)
{
    char path[4096];
    ledger_audit_report rep;
    uint8_t *orig, *copy;
    size_t len;

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    orig = tu_read_file(path, &len);
    assert_non_null(orig);
    copy = malloc(len + 1);
    for (size_t pos = 0; pos < len; pos += stride) {
        memcpy(copy, orig, len);
        copy[pos] ^= (uint8_t)(pos % 2 ? 0x80 : 0x01);
        assert_int_equal(tu_write_file(path, copy, len), 0);
        if (audit_tiles(f, dir, NULL, &rep) == 0)
            fail_msg("change at byte %zu of %s not detected", pos, rel);
    }
    /* Cut off and extended. */
    assert_int_equal(tu_write_file(path, orig, len - 1), 0);
    assert_true(audit_tiles(f, dir, NULL, &rep) < 0);
    memcpy(copy, orig, len);
    copy[len] = 0;
    assert_int_equal(tu_write_file(path, copy, len + 1), 0);
    assert_true(audit_tiles(f, dir, NULL, &rep) < 0);
    /* Missing. */
    remove(path);
    assert_true(audit_tiles(f, dir, NULL, &rep) < 0);
    assert_int_equal(tu_write_file(path, orig, len), 0);
    TU_OK(audit_tiles(f, dir, NULL, &rep));
    free(copy);
    free(orig);
}

static void
add_claims(fixture *f, int n, const char *prefix)
{
    ledger_envelope **envs = calloc((size_t)n, sizeof *envs);
    ledger_receipt *r = calloc((size_t)n, sizeof *r);
    char json[1024];

    for (int i = 0; i < n; i++) {
        snprintf(json, sizeof json,
                 "{\"header\": {\"record_id\": \"clm:%s-%d\", \"author\": \"p:vendor\","
                 " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
                 " \"attribution_claim\": {\"claimant\": \"p:vendor\", \"incident_refs\":"
                 " [\"inc:two\"], \"attributed_to\": \"act:group\", \"statement\": \"%d\"}}",
                 prefix, i, i);
        TU_OK(ledger_envelope_parse(&envs[i], json, strlen(json)));
        TU_OK(ledger_envelope_sign(envs[i], tu_world_key(&f->w, "p:vendor")));
    }
    TU_OK(ledger_log_submit(r, f->w.log, envs, (size_t)n));
    ledger_receipts_dispose(r, (size_t)n);
    for (int i = 0; i < n; i++)
        ledger_envelope_free(envs[i]);
    free(envs);
    free(r);
}

static void
tiles_export_audit_and_tamper(void **state)
{
    fixture *f = *state;
    ledger_tiles_report tr;
    ledger_audit_report ar;
    char dir[4096];

    snprintf(dir, sizeof dir, "%s/tiles", f->w.dir);
    TU_OK(ledger_export_tiles(&tr, f->w.log, dir));
    assert_int_equal(tr.tree_size, TU_WORLD_SIZE);
    assert_int_equal(tr.written, 3); /* checkpoint, tile/0/000.p/22, tile/entries/000.p/22 */
    TU_OK(audit_tiles(f, dir, NULL, &ar));
    assert_int_equal(ar.entries, TU_WORLD_SIZE);
    assert_int_equal(ar.signatures, TU_WORLD_SIZE + 6);
    assert_true(ar.complete);
    /* Re-export without changes writes nothing. */
    TU_OK(ledger_export_tiles(&tr, f->w.log, dir));
    assert_int_equal(tr.written, 0);
    assert_int_equal(tr.unchanged, 3);

    tamper_file(f, dir, "checkpoint", 1);
    tamper_file(f, dir, "tile/0/000.p/22", 3);
    tamper_file(f, dir, "tile/entries/000.p/22", 29);
}

static void
tiles_grow_incrementally_and_prove_consistency(void **state)
{
    fixture *f = *state;
    ledger_tiles_report tr;
    ledger_audit_report ar;
    ledger_buf old = LEDGER_BUF_INIT, newer = LEDGER_BUF_INIT;
    char dir[4096], path[4200];
    struct stat st;

    snprintf(dir, sizeof dir, "%s/tiles2", f->w.dir);
    TU_OK(ledger_export_tiles(&tr, f->w.log, dir));
    TU_OK(ledger_log_checkpoint(&old, f->w.log, 0));

    /* 300 more entries: size 322 = one full level-0 tile + 66, and a
     * level-1 tile of width 1. */
    add_claims(f, 300, "bulk");
    TU_OK(ledger_export_tiles(&tr, f->w.log, dir));
    assert_int_equal(tr.tree_size, TU_WORLD_SIZE + 300);
    /* new: tile/0/000, tile/0/001.p/66, tile/1/000.p/1, the two bundles,
     * the checkpoint; the partial files of size 22 stay for old readers. */
    assert_int_equal(tr.written, 6);
    snprintf(path, sizeof path, "%s/tile/0/000.p/22", dir);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/tile/1/000.p/1", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 32);

    TU_OK(audit_tiles(f, dir, &old, &ar));
    assert_true(ar.consistent_with_old);
    assert_int_equal(ar.entries, TU_WORLD_SIZE + 300);

    /* A level-1 tile and a full level-0 tile are checked too. */
    snprintf(path, sizeof path, "%s/tile/1/000.p/1", dir);
    uint8_t *t1 = tu_read_file(path, &(size_t){0});
    t1[31] ^= 1;
    assert_int_equal(tu_write_file(path, t1, 32), 0);
    TU_CHECK(audit_tiles(f, dir, NULL, &ar), LEDGER_EPROOF);
    t1[31] ^= 1;
    assert_int_equal(tu_write_file(path, t1, 32), 0);
    free(t1);
    snprintf(path, sizeof path, "%s/tile/0/000", dir);
    uint8_t *t0 = tu_read_file(path, &(size_t){0});
    t0[8191] ^= 0x40;
    assert_int_equal(tu_write_file(path, t0, 8192), 0);
    TU_CHECK(audit_tiles(f, dir, NULL, &ar), LEDGER_EPROOF);
    t0[8191] ^= 0x40;
    assert_int_equal(tu_write_file(path, t0, 8192), 0);
    free(t0);
    TU_OK(audit_tiles(f, dir, NULL, &ar));

    /* Rollback: the tiles of size 322 against a checkpoint that is newer. */
    add_claims(f, 2, "late");
    TU_OK(ledger_log_checkpoint(&newer, f->w.log, 0));
    TU_CHECK(audit_tiles(f, dir, &newer, &ar), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "rolled back"));

    /* A server that deleted the partial tiles of size 22 (C2SP tlog-tiles
     * allows it once the full tiles exist): the auditor of the size-22
     * checkpoint reads the first 22 hashes and entries of the full ones. */
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    assert_int_equal(tu_write_file(path, old.data, old.len), 0);
    snprintf(path, sizeof path, "%s/tile/0/000.p/22", dir);
    assert_int_equal(remove(path), 0);
    snprintf(path, sizeof path, "%s/tile/entries/000.p/22", dir);
    assert_int_equal(remove(path), 0);
    TU_OK(audit_tiles(f, dir, NULL, &ar));
    assert_int_equal(ar.entries, TU_WORLD_SIZE);
    assert_int_equal(ar.tiles, 4); /* two partial misses, two full tiles */
    /* The used part of a full tile is still checked. */
    snprintf(path, sizeof path, "%s/tile/0/000", dir);
    t0 = tu_read_file(path, &(size_t){0});
    t0[21 * 32] ^= 1;
    assert_int_equal(tu_write_file(path, t0, 8192), 0);
    TU_CHECK(audit_tiles(f, dir, NULL, &ar), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "tile/0/000 does not match"));
    t0[21 * 32] ^= 1;
    assert_int_equal(tu_write_file(path, t0, 8191), 0);
    TU_CHECK(audit_tiles(f, dir, NULL, &ar), LEDGER_EPROOF);
    free(t0);
    /* Neither partial nor full: the partial one is named. */
    snprintf(path, sizeof path, "%s/tile/entries/000", dir);
    assert_int_equal(remove(path), 0);
    TU_CHECK(audit_tiles(f, dir, NULL, &ar), LEDGER_ECORRUPT);
    assert_string_equal(ledger_error_last()->message, "tile/entries/000.p/22 is missing");
    ledger_buf_dispose(&old);
    ledger_buf_dispose(&newer);
}

static void
tiles_detect_a_fork(void **state)
{
    fixture *f = *state;
    tu_world other;
    ledger_tiles_report tr;
    ledger_audit_report ar;
    ledger_buf forked = LEDGER_BUF_INIT;
    char dir[4096];

    /* The same log key signs a different history of the same size: the
     * other world's last record differs. */
    tu_world_create(&other);
    tu_world_submit(&other,
                    "{\"header\": {\"record_id\": \"clm:fork\", \"author\": \"p:vendor\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"attribution_claim\":"
                    " {\"claimant\": \"p:vendor\", \"attributed_to\": \"act:state\"}}",
                    "p:vendor", NULL);
    TU_OK(ledger_log_checkpoint(&forked, other.log, 0));
    tu_world_free(&other);

    tu_world_submit(&f->w,
                    "{\"header\": {\"record_id\": \"clm:honest\", \"author\": \"p:vendor\","
                    " \"provenance\": \"PROVENANCE_FIRST_PARTY\"}, \"attribution_claim\":"
                    " {\"claimant\": \"p:vendor\", \"attributed_to\": \"act:unit\"}}",
                    "p:vendor", NULL);
    snprintf(dir, sizeof dir, "%s/tiles3", f->w.dir);
    TU_OK(ledger_export_tiles(&tr, f->w.log, dir));
    TU_CHECK(audit_tiles(f, dir, &forked, &ar), LEDGER_EPROOF);
    assert_non_null(strstr(ledger_error_last()->message, "another root"));
    ledger_buf_dispose(&forked);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(export_full_trail_audits, setup, teardown),
        cmocka_unit_test_setup_teardown(export_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(export_incident_trail_verifies_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(export_range_trail, setup, teardown),
        cmocka_unit_test_setup_teardown(export_selection_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(trail_every_byte_change_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(trail_line_edits_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(trail_rejects_other_keys_and_logs, setup, teardown),
        cmocka_unit_test_setup_teardown(trail_entry_outside_selection_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(tiles_export_audit_and_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(tiles_grow_incrementally_and_prove_consistency, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(tiles_detect_a_fork, setup, teardown),
    };

    if (getenv("TU_FILTER") != NULL)
        cmocka_set_test_filter(getenv("TU_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
