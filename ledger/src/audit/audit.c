/*
 * audit.c - offline verification of audit trails and tile trees (audit.h).
 *
 * Trails. Line 1 (the header) is checked by verifying its checkpoint with
 * the trusted key and rebuilding the whole header from the verified
 * checkpoint, the trusted key and the declared selection; then every entry
 * line is checked by decoding its leaf, verifying its inclusion proof
 * against the checkpoint, replaying it (replay.c: encoding, index, time,
 * genesis, policy, signatures) and rebuilding the line from the leaf and
 * the proof (trail.c). Rebuilt lines must equal the input byte for byte,
 * so nothing in a trail goes unchecked: a field that is not derived from
 * authenticated bytes is either a proof (verified) or the selection (checked
 * at the end: every entry must be selected, registry or referenced context,
 * and a plain range must have no gaps).
 *
 * Tiles. The auditor fetches exactly what a verified checkpoint implies:
 * every entry bundle (full, then the partial one) and every Merkle tile.
 * Leaves are streamed through a compact range (merkle.c), which yields the
 * stored hashes in order; each hash of tree level 8L lands in the expected
 * content of a level-L tile, compared when the tile is complete (and the
 * partial tiles at the end). Memory: one bundle and one tile per level.
 * When a partial tile or bundle is not found (C2SP tlog-tiles lets a server
 * delete it once the full one exists), the full one is read instead and
 * only its first W hashes or entries are used; the full tile's length is
 * still checked, its other hashes are not (they are not in this tree).
 *
 * Every fetched resource is bounded before parsing: a tile is at most 8 KiB,
 * a bundle 256 entries of at most 65,535 bytes each, a checkpoint a note.
 */
#include "attrledger/audit.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "codec/codec.h"
#include "base/error.h"
#include "codec/json.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "rules/replay.h"
#include "export/select.h"
#include "tlog/tiles.h"
#include "export/trail.h"

struct ledger_audit {
    ledger_vkey key;
    char *vkey; /* trusted key string, as a header must name it */
    int fail;   /* sticky failure code */
    char fail_msg[sizeof(((ledger_error *)0)->message)];
    uint64_t line;
    int have_header;
    lg_checkpoint cp;
    uint64_t since, until, declared;
    char *incident;
    uint64_t n_entries;
    int have_last;
    uint64_t last_index;
    lg_replay *replay;
    lg_sel_list entries; /* the trail's entries, as the selection sees them */
    lg_selection sel;
    uint8_t *roles; /* the role each entry line claims, parallel to entries */
    size_t roles_cap;
};

int
ledger_audit_new(ledger_audit **out, const ledger_vkey *log_key)
{
    ledger_audit *a;
    ledger_buf vk = LEDGER_BUF_INIT;
    int rc;

    if (out == NULL || log_key == NULL)
        return lg_error_set(LEDGER_EINVAL, "audit: missing argument");
    *out = NULL;
    if (log_key->type != LEDGER_SIGTYPE_ED25519)
        return lg_error_set(LEDGER_EINVAL, "audit: the log key must be an Ed25519 verifier key");
    if ((a = lg_calloc(1, sizeof *a)) == NULL)
        return lg_error_nomem();
    a->key = *log_key;
    lg_sel_list_init(&a->entries);
    lg_sel_init(&a->sel);
    if ((rc = lg_vkey_format(&vk, log_key)) < 0 || (rc = lg_replay_new(&a->replay, log_key, NULL)) < 0) {
        ledger_buf_dispose(&vk);
        ledger_audit_free(a);
        return rc;
    }
    a->vkey = (char *)vk.data;
    *out = a;
    return 0;
}

void
ledger_audit_free(ledger_audit *a)
{
    if (a == NULL)
        return;
    lg_free(a->vkey);
    lg_free(a->incident);
    lg_replay_free(a->replay);
    lg_sel_list_free(&a->entries);
    lg_sel_free(&a->sel);
    lg_free(a->roles);
    lg_free(a);
}

/* ---- small JSON readers (strict types) ---- */

static int
get_u64(uint64_t *out, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return lg_error_set(LEDGER_EFORMAT, "\"%s\" must be a non-negative integer", key);
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static const char *
get_str(const json_t *obj, const char *key, size_t *len)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

/*
 * Compare the input line with the rebuilt object's serialisation. When
 * they differ, name the first top-level field that differs.
 */
static int
same_line(const uint8_t *line, size_t len, const json_t *parsed, const json_t *expect)
{
    ledger_buf want = LEDGER_BUF_INIT;
    const char *key;
    json_t *v;
    int rc;

    if ((rc = lg_trail_line(&want, expect)) < 0)
        return rc;
    rc = want.len == len && memcmp(want.data, line, len) == 0;
    ledger_buf_dispose(&want);
    if (rc)
        return 0;
    json_object_foreach((json_t *)expect, key, v)
    {
        if (!json_equal(v, json_object_get(parsed, key)))
            return lg_error_set(LEDGER_EFORMAT, "field \"%s\" does not match the signed data", key);
    }
    json_object_foreach((json_t *)parsed, key, v)
    {
        if (json_object_get(expect, key) == NULL)
            return lg_error_set(LEDGER_EFORMAT, "unknown field \"%.64s\"", key);
    }
    return lg_error_set(LEDGER_EFORMAT, "line is not in canonical form (compact JSON, fields in "
                                        "order, no escapes that are not needed)");
}

/* ---- header ---- */

static int
audit_header(ledger_audit *a, const uint8_t *line, size_t len, const json_t *h)
{
    ledger_checkpoint cp;
    const json_t *sel, *inc, *ver;
    json_t *expect = NULL;
    const char *fmt, *note, *incident = NULL;
    size_t flen = 0, nlen = 0;
    int rc;

    if (!json_is_object(h))
        return lg_error_set(LEDGER_EFORMAT, "header must be a JSON object");
    fmt = get_str(h, "format", &flen);
    if (fmt == NULL || strcmp(fmt, LG_TRAIL_FORMAT) != 0)
        return lg_error_set(LEDGER_EFORMAT, "not an audit trail (format must be \"%s\")",
                            LG_TRAIL_FORMAT);
    ver = json_object_get(h, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != LG_TRAIL_VERSION)
        return lg_error_set(LEDGER_EVERSION, "audit trail version is not %d", LG_TRAIL_VERSION);
    if ((note = get_str(h, "checkpoint", &nlen)) == NULL)
        return lg_error_set(LEDGER_EFORMAT, "header has no checkpoint");
    if ((rc = ledger_checkpoint_verify(&cp, (const uint8_t *)note, nlen, &a->key)) < 0)
        return rc;
    memcpy(a->cp.origin, cp.origin, sizeof a->cp.origin);
    a->cp.size = cp.size;
    memcpy(a->cp.root, cp.root, 32);
    sel = json_object_get(h, "selection");
    if (!json_is_object(sel))
        return lg_error_set(LEDGER_EFORMAT, "header has no selection object");
    if ((rc = get_u64(&a->since, sel, "since")) < 0 ||
        (rc = get_u64(&a->until, sel, "until")) < 0 ||
        (rc = get_u64(&a->declared, h, "entries")) < 0)
        return rc;
    inc = json_object_get(sel, "incident");
    if (inc != NULL) {
        if (!json_is_string(inc) || json_string_length(inc) == 0 ||
            json_string_length(inc) > LEDGER_ID_MAX)
            return lg_error_set(LEDGER_EFORMAT, "selection incident must be 1-%d bytes",
                                LEDGER_ID_MAX);
        incident = json_string_value(inc);
    }
    if (a->cp.size == 0 || a->since > a->until || a->until >= a->cp.size)
        return lg_error_set(LEDGER_EFORMAT,
                            "selection %llu..%llu is not within the checkpoint's %llu entries",
                            (unsigned long long)a->since, (unsigned long long)a->until,
                            (unsigned long long)a->cp.size);
    if (a->declared > a->cp.size)
        return lg_error_set(LEDGER_EFORMAT, "header announces %llu entries, tree has %llu",
                            (unsigned long long)a->declared, (unsigned long long)a->cp.size);
    if (incident != NULL && (a->incident = lg_strdup(incident)) == NULL)
        return lg_error_nomem();
    if ((rc = lg_trail_header(&expect, a->vkey, (const uint8_t *)note, nlen, &a->cp, a->since,
                              a->until, incident, a->declared)) < 0)
        return rc;
    rc = same_line(line, len, h, expect);
    json_decref(expect);
    return rc;
}

/* ---- entries ---- */

static int
audit_entry(ledger_audit *a, const uint8_t *line, size_t len, const json_t *obj)
{
    lg_hash proof[LG_PROOF_MAX_HASHES], leaf_hash;
    uint8_t *leaf = NULL;
    size_t leaf_len = 0, n = 0, b64_len = 0;
    const json_t *pr, *item, *role;
    const char *b64;
    int mark;
    lg_record *rec = NULL;
    json_t *expect = NULL;
    uint64_t index = 0;
    size_t i;
    int rc;

    if (!json_is_object(obj))
        return lg_error_set(LEDGER_EFORMAT, "entry must be a JSON object");
    if ((rc = get_u64(&index, obj, "index")) < 0)
        return rc;
    if (a->have_last && index <= a->last_index)
        return lg_error_set(LEDGER_EFORMAT, "entry %llu after entry %llu: indexes must increase",
                            (unsigned long long)index, (unsigned long long)a->last_index);
    if (index >= a->cp.size)
        return lg_error_set(LEDGER_EFORMAT, "entry %llu is beyond the checkpoint's %llu entries",
                            (unsigned long long)index, (unsigned long long)a->cp.size);
    role = json_object_get(obj, "role");
    mark = json_is_string(role) ? lg_trail_role_parse(json_string_value(role)) : LG_SEL_NONE;
    if (mark == LG_SEL_NONE)
        return lg_error_set(LEDGER_EFORMAT,
                            "entry %llu: \"role\" must be selected, registry or context",
                            (unsigned long long)index);
    b64 = get_str(obj, "leaf", &b64_len);
    if (b64 == NULL || b64_len == 0 || b64_len > LG_B64_LEN(LEDGER_MAX_LEAF))
        return lg_error_set(LEDGER_EFORMAT, "entry %llu: \"leaf\" must be base64 of 1-%d bytes",
                            (unsigned long long)index, LEDGER_MAX_LEAF);
    if ((leaf = lg_malloc(b64_len / 4 * 3 + 1)) == NULL)
        return lg_error_nomem();
    if (lg_b64_decode(leaf, &leaf_len, b64, b64_len) != 0) {
        rc = lg_error_set(LEDGER_EFORMAT, "entry %llu: \"leaf\" is not valid base64",
                          (unsigned long long)index);
        goto done;
    }
    pr = json_object_get(obj, "inclusion_proof");
    if (!json_is_array(pr) || json_array_size(pr) > LG_PROOF_MAX_HASHES) {
        rc = lg_error_set(LEDGER_EFORMAT,
                          "entry %llu: \"inclusion_proof\" must be an array of "
                          "at most %d hashes",
                          (unsigned long long)index, LG_PROOF_MAX_HASHES);
        goto done;
    }
    json_array_foreach(pr, i, item)
    {
        size_t got = 0;
        uint8_t tmp[33];

        if (!json_is_string(item) || json_string_length(item) != LG_B64_LEN(LG_HASH) ||
            lg_b64_decode(tmp, &got, json_string_value(item), json_string_length(item)) != 0 ||
            got != LG_HASH) {
            rc = lg_error_set(LEDGER_EFORMAT,
                              "entry %llu: inclusion proof hash %zu is not "
                              "base64 of 32 bytes",
                              (unsigned long long)index, i);
            goto done;
        }
        memcpy(proof[n++], tmp, LG_HASH);
    }
    /* The leaf is authenticated here, before anything is read from it. */
    lg_merkle_leaf_hash(leaf_hash, leaf, leaf_len);
    if ((rc = lg_merkle_verify_inclusion(index, a->cp.size, leaf_hash, (const lg_hash *)proof, n,
                                         a->cp.root)) < 0) {
        rc = lg_error_prefix(rc, "entry %llu: leaf is not in the checkpoint's tree",
                             (unsigned long long)index);
        goto done;
    }
    if ((rc = lg_replay_entry(a->replay, index, leaf, leaf_len, &rec)) < 0)
        goto done;
    if ((rc = lg_trail_entry(&expect, leaf, leaf_len, mark, (const lg_hash *)proof, n)) < 0)
        goto done;
    if ((rc = same_line(line, len, obj, expect)) < 0) {
        rc = lg_error_prefix(rc, "entry %llu (%s)", (unsigned long long)index, lg_record_id(rec));
        goto done;
    }
    if (a->entries.n == a->roles_cap) {
        size_t ncap = a->roles_cap ? a->roles_cap * 2 : 64;
        uint8_t *nr = lg_realloc(a->roles, ncap);

        if (nr == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
        a->roles = nr;
        a->roles_cap = ncap;
    }
    if ((rc = lg_sel_list_add(&a->entries, index, rec, json_object_get(expect, "record"))) < 0)
        goto done;
    a->roles[a->entries.n - 1] = (uint8_t)mark;
    a->have_last = 1;
    a->last_index = index;
    a->n_entries++;
done:
    json_decref(expect);
    lg_record_free(rec);
    lg_free(leaf);
    return rc;
}

static int
fail(ledger_audit *a, int rc)
{
    a->fail = rc;
    memcpy(a->fail_msg, ledger_error_last()->message, sizeof a->fail_msg);
    return rc;
}

int
ledger_audit_line(ledger_audit *a, const uint8_t *line, size_t len)
{
    json_t *v = NULL;
    int rc;

    if (a == NULL || (line == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "audit: missing argument");
    if (a->fail)
        return lg_error_set(a->fail, "%s", a->fail_msg);
    a->line++;
    if (len == 0 || line[len - 1] != '\n') {
        rc = lg_error_set(LEDGER_EFORMAT, "line %llu: missing newline at the end",
                          (unsigned long long)a->line);
        return fail(a, rc);
    }
    if (len > LEDGER_AUDIT_MAX_LINE || memchr(line, '\n', len - 1) != NULL) {
        rc = lg_error_set(LEDGER_EFORMAT, "line %llu: more than one line or longer than %u bytes",
                          (unsigned long long)a->line, LEDGER_AUDIT_MAX_LINE);
        return fail(a, rc);
    }
    if ((rc = lg_json_load(&v, (const char *)line, len - 1)) == 0) {
        if (!a->have_header) {
            rc = audit_header(a, line, len, v);
            a->have_header = rc == 0;
        } else if (a->n_entries == a->declared) {
            rc = lg_error_set(LEDGER_EFORMAT, "more entry lines than the %llu the header announces",
                              (unsigned long long)a->declared);
        } else {
            rc = audit_entry(a, line, len, v);
        }
    }
    json_decref(v);
    if (rc < 0) {
        if (rc != LEDGER_ENOMEM)
            lg_error_prefix(rc, "line %llu", (unsigned long long)a->line);
        return fail(a, rc);
    }
    return 0;
}

int
ledger_audit_finish(ledger_audit_report *out, ledger_audit *a)
{
    ledger_audit_report rep;
    lg_sel_source src;
    uint64_t last_selected = 0;
    int rc;

    if (out == NULL || a == NULL)
        return lg_error_set(LEDGER_EINVAL, "audit: missing argument");
    memset(out, 0, sizeof *out);
    if (a->fail)
        return lg_error_set(a->fail, "%s", a->fail_msg);
    memset(&rep, 0, sizeof rep);
    if (!a->have_header)
        return fail(a, lg_error_set(LEDGER_EFORMAT, "audit trail is empty"));
    if (a->n_entries != a->declared)
        return fail(
            a, lg_error_set(LEDGER_EFORMAT,
                            "header announces %llu entries, the trail has %llu (truncated?)",
                            (unsigned long long)a->declared, (unsigned long long)a->n_entries));
    if (a->entries.n == 0 || a->entries.v[0].index != 0)
        return fail(a, lg_error_set(LEDGER_EFORMAT, "trail does not start with the genesis entry"));
    lg_sel_list_source(&src, &a->entries);
    if ((rc = lg_sel_compute(&a->sel, &src, a->since, a->until, a->incident)) < 0)
        return fail(a, rc);
    for (size_t i = 0; i < a->entries.n; i++) {
        const lg_sel_entry *e = &a->entries.v[i];
        int mark = a->sel.mark[i];

        if (mark == LG_SEL_NONE)
            return fail(a, lg_error_set(LEDGER_EFORMAT,
                                        "entry %llu (%s) is neither selected, nor a registration, "
                                        "nor referenced by the selection",
                                        (unsigned long long)e->index, e->record_id));
        if (mark != a->roles[i])
            return fail(a,
                        lg_error_set(LEDGER_EFORMAT,
                                     "entry %llu (%s) is marked %s but the selection makes it %s",
                                     (unsigned long long)e->index, e->record_id,
                                     lg_trail_role_name(a->roles[i]), lg_trail_role_name(mark)));
        if (mark == LG_SEL_SELECTED) {
            /* An incident trail's header names the range its selection
             * spans, exactly: the first and last selected entries. */
            if (a->incident != NULL && rep.selected == 0 && e->index != a->since)
                return fail(a, lg_error_set(LEDGER_EFORMAT,
                                            "selection starts at %llu, but the first selected "
                                            "entry is %llu",
                                            (unsigned long long)a->since,
                                            (unsigned long long)e->index));
            rep.selected++;
            last_selected = e->index;
        } else {
            rep.context++;
        }
    }
    if (a->incident != NULL && rep.selected > 0 && last_selected != a->until)
        return fail(a,
                    lg_error_set(LEDGER_EFORMAT,
                                 "selection ends at %llu, but the last selected entry is %llu",
                                 (unsigned long long)a->until, (unsigned long long)last_selected));
    if (a->incident == NULL && rep.selected != a->until - a->since + 1)
        return fail(a, lg_error_set(LEDGER_EFORMAT,
                                    "selection %llu..%llu has %llu entries, the trail holds %llu",
                                    (unsigned long long)a->since, (unsigned long long)a->until,
                                    (unsigned long long)(a->until - a->since + 1),
                                    (unsigned long long)rep.selected));
    if (a->incident != NULL && rep.selected == 0)
        return fail(a, lg_error_set(LEDGER_EFORMAT, "no entry of the trail touches incident %s",
                                    a->incident));
    memcpy(rep.checkpoint.origin, a->cp.origin, sizeof rep.checkpoint.origin);
    rep.checkpoint.size = a->cp.size;
    memcpy(rep.checkpoint.root, a->cp.root, 32);
    rep.entries = a->n_entries;
    rep.signatures = lg_replay_signatures(a->replay);
    rep.complete = a->n_entries == a->cp.size;
    if (a->incident != NULL)
        snprintf(rep.incident, sizeof rep.incident, "%s", a->incident);
    *out = rep;
    return 0;
}

/* ---- tiles ---- */

#define TILE_BYTES (LG_TILE_WIDTH * LG_HASH)
#define BUNDLE_MAX ((size_t)LG_TILE_WIDTH * (2 + LEDGER_MAX_LEAF))

typedef struct {
    ledger_fetch_fn fetch;
    void *payload;
    ledger_audit_report *rep;
    lg_replay *replay;
    lg_merkle_range range;
    lg_checkpoint cp;
    int have_old;
    lg_checkpoint old;
    int nlevels;                /* tile levels that hold at least one hash */
    uint8_t (*exp)[TILE_BYTES]; /* expected content of the current tile per level */
    unsigned *fill;             /* hashes in exp[level] */
    uint64_t *tile_n;           /* index of the current tile per level */
} tiles_audit;

/*
 * Call the fetcher. A fetcher may set its own message naming what it read
 * (ledger_http_fetch names the URL and the HTTP status or network cause);
 * when it sets none, name the path.
 */
static int
call_fetch(ledger_fetch_fn fn, void *payload, const char *path, size_t max, ledger_buf *out)
{
    int rc;

    out->data = NULL;
    out->len = 0;
    ledger_error_clear();
    rc = fn(payload, path, max, out);
    if (rc < 0) {
        ledger_buf_dispose(out);
        if (ledger_error_last()->code != rc)
            lg_error_set(rc, "%s: %s", path, ledger_strerror(rc));
    }
    return rc;
}

/*
 * Fetch a tile or bundle. A missing partial tile is read from the full
 * tile instead, as C2SP tlog-tiles allows servers to delete partial tiles
 * once the full one exists; *full_out tells the caller to use only the
 * first `width` hashes or entries of it.
 */
static int
fetch(tiles_audit *t, const lg_tile *tile, size_t max, ledger_buf *out, int *full_out)
{
    char path[LG_TILE_PATH_MAX], full_path[LG_TILE_PATH_MAX];
    lg_tile full = *tile;
    int rc;

    *full_out = 0;
    out->data = NULL;
    out->len = 0;
    if ((rc = lg_tile_path(path, sizeof path, tile)) < 0)
        return rc;
    rc = call_fetch(t->fetch, t->payload, path, max, out);
    t->rep->tiles++;
    if (rc == LEDGER_ENOTFOUND && tile->width < LG_TILE_WIDTH) {
        full.width = LG_TILE_WIDTH;
        if ((rc = lg_tile_path(full_path, sizeof full_path, &full)) < 0)
            return rc;
        rc = call_fetch(t->fetch, t->payload, full_path, max, out);
        t->rep->tiles++;
        *full_out = rc == 0;
    }
    if (rc == LEDGER_ENOTFOUND)
        return lg_error_set(LEDGER_ECORRUPT, "%s is missing", path);
    if (rc < 0)
        return rc;
    if (out->len > max) {
        ledger_buf_dispose(out);
        return lg_error_set(LEDGER_EFORMAT, "%s is %zu bytes, max %zu", path, out->len, max);
    }
    return 0;
}

/* Compare the fetched tile with the expected hashes. */
static int
check_tile(tiles_audit *t, int level, uint64_t n, unsigned width)
{
    lg_tile tile = {level, n, width};
    ledger_buf got = LEDGER_BUF_INIT;
    char path[LG_TILE_PATH_MAX];
    size_t want;
    int rc, full;

    if ((rc = fetch(t, &tile, TILE_BYTES, &got, &full)) < 0)
        return rc;
    if (full)
        tile.width = LG_TILE_WIDTH;
    lg_tile_path(path, sizeof path, &tile);
    want = (size_t)tile.width * LG_HASH;
    if (got.len != want)
        rc = lg_error_set(LEDGER_EPROOF, "%s is %zu bytes, want %zu", path, got.len, want);
    else if (memcmp(got.data, t->exp[level], (size_t)width * LG_HASH) != 0)
        rc = lg_error_set(LEDGER_EPROOF, "%s does not match the entries", path);
    ledger_buf_dispose(&got);
    return rc;
}

/* A new stored hash at tree level `tl`: feed the tile at level tl/8. */
static int
push_hash(tiles_audit *t, int tl, const lg_hash h)
{
    int level;
    int rc;

    if (tl % LG_TILE_HEIGHT != 0)
        return 0;
    level = tl / LG_TILE_HEIGHT;
    if (level >= t->nlevels)
        return 0;
    memcpy(t->exp[level] + (size_t)t->fill[level] * LG_HASH, h, LG_HASH);
    if (++t->fill[level] == LG_TILE_WIDTH) {
        if ((rc = check_tile(t, level, t->tile_n[level], LG_TILE_WIDTH)) < 0)
            return rc;
        t->fill[level] = 0;
        t->tile_n[level]++;
    }
    return 0;
}

static int
add_leaf(tiles_audit *t, uint64_t index, const uint8_t *leaf, size_t len)
{
    lg_hash h, fresh[64];
    int n, rc;

    if ((rc = lg_replay_entry(t->replay, index, leaf, len, NULL)) < 0)
        return rc;
    lg_merkle_leaf_hash(h, leaf, len);
    lg_merkle_range_append(&t->range, h, fresh, &n);
    /* fresh[k] is the completed subtree at tree level k. */
    for (int k = 0; k < n; k++)
        if ((rc = push_hash(t, k, fresh[k])) < 0)
            return rc;
    t->rep->entries++;
    if (t->have_old && t->range.size == t->old.size) {
        lg_hash root;

        lg_merkle_range_root(&t->range, root);
        if (memcmp(root, t->old.root, 32) != 0)
            return lg_error_set(LEDGER_EPROOF,
                                "the tree of the old checkpoint's size %llu has another root: "
                                "the log was rewritten",
                                (unsigned long long)t->old.size);
        t->rep->consistent_with_old = 1;
    }
    return 0;
}

static int
read_bundle(tiles_audit *t, uint64_t n, unsigned width)
{
    lg_tile tile = {LG_TILE_ENTRIES, n, width};
    ledger_buf b = LEDGER_BUF_INIT;
    char path[LG_TILE_PATH_MAX];
    size_t off = 0;
    int rc, full;

    if ((rc = fetch(t, &tile, BUNDLE_MAX, &b, &full)) < 0)
        return rc;
    /* From the full bundle, only the first `width` entries are in this tree. */
    if (full)
        tile.width = LG_TILE_WIDTH;
    lg_tile_path(path, sizeof path, &tile);
    for (unsigned i = 0; i < width; i++) {
        size_t len;

        if (b.len - off < 2) {
            rc = lg_error_set(LEDGER_EFORMAT, "%s: entry %u is cut off", path, i);
            goto done;
        }
        len = (size_t)b.data[off] << 8 | b.data[off + 1];
        off += 2;
        if (len > b.len - off) {
            rc = lg_error_set(LEDGER_EFORMAT, "%s: entry %u is cut off", path, i);
            goto done;
        }
        if ((rc = add_leaf(t, n * LG_TILE_WIDTH + i, b.data + off, len)) < 0) {
            rc = lg_error_prefix(rc, "%s", path);
            goto done;
        }
        off += len;
    }
    if (!full && off != b.len)
        rc = lg_error_set(LEDGER_EFORMAT, "%s: %zu bytes after its %u entries", path, b.len - off,
                          width);
done:
    ledger_buf_dispose(&b);
    return rc;
}

static int
verify_cp(lg_checkpoint *out, const uint8_t *note, size_t len, const ledger_vkey *key)
{
    ledger_checkpoint cp;
    int rc;

    if ((rc = ledger_checkpoint_verify(&cp, note, len, key)) < 0)
        return rc;
    memcpy(out->origin, cp.origin, sizeof out->origin);
    out->size = cp.size;
    memcpy(out->root, cp.root, 32);
    return 0;
}

int
ledger_audit_tiles(ledger_audit_report *out, ledger_fetch_fn fetch_fn, void *payload,
                   const ledger_vkey *log_key, const uint8_t *old_cp, size_t old_len)
{
    ledger_audit_report rep;
    tiles_audit t;
    ledger_buf note = LEDGER_BUF_INIT;
    uint64_t full;
    unsigned partial;
    lg_hash root;
    int rc;

    if (out == NULL || fetch_fn == NULL || log_key == NULL)
        return lg_error_set(LEDGER_EINVAL, "tiles audit: missing argument");
    memset(out, 0, sizeof *out);
    memset(&rep, 0, sizeof rep);
    memset(&t, 0, sizeof t);
    t.fetch = fetch_fn;
    t.payload = payload;
    t.rep = &rep;
    lg_merkle_range_init(&t.range);
    if ((rc = lg_replay_new(&t.replay, log_key, NULL)) < 0)
        return rc;
    rc = call_fetch(fetch_fn, payload, "checkpoint", LG_NOTE_MAX, &note);
    if (rc == LEDGER_ENOTFOUND)
        rc = lg_error_set(LEDGER_ECORRUPT, "checkpoint is missing");
    if (rc < 0)
        goto done;
    if ((rc = verify_cp(&t.cp, note.data, note.len, log_key)) < 0)
        goto done;
    if (old_cp != NULL) {
        if ((rc = verify_cp(&t.old, old_cp, old_len, log_key)) < 0) {
            rc = lg_error_prefix(rc, "old checkpoint");
            goto done;
        }
        if (t.old.size > t.cp.size) {
            rc = lg_error_set(LEDGER_EPROOF,
                              "old checkpoint has %llu entries, the tiles only %llu: the log was "
                              "rolled back",
                              (unsigned long long)t.old.size, (unsigned long long)t.cp.size);
            goto done;
        }
        t.have_old = 1;
        if (t.old.size == 0) {
            lg_merkle_empty_root(root);
            if (memcmp(root, t.old.root, 32) != 0) {
                rc = lg_error_set(LEDGER_EPROOF, "old checkpoint of size 0 has a non-empty root");
                goto done;
            }
            rep.consistent_with_old = 1;
        }
    }
    /* Tile levels with at least one hash: level L exists while size >= 256^L. */
    for (t.nlevels = 0; t.nlevels <= LG_TILE_MAX_LEVEL; t.nlevels++) {
        if ((rc = lg_tile_count(&full, &partial, t.cp.size, t.nlevels)) < 0)
            goto done;
        if (full == 0 && partial == 0)
            break;
    }
    if (t.nlevels > 0) {
        t.exp = lg_calloc((size_t)t.nlevels, sizeof *t.exp);
        t.fill = lg_calloc((size_t)t.nlevels, sizeof *t.fill);
        t.tile_n = lg_calloc((size_t)t.nlevels, sizeof *t.tile_n);
        if (t.exp == NULL || t.fill == NULL || t.tile_n == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
    }
    if ((rc = lg_tile_count(&full, &partial, t.cp.size, LG_TILE_ENTRIES)) < 0)
        goto done;
    for (uint64_t n = 0; n < full; n++)
        if ((rc = read_bundle(&t, n, LG_TILE_WIDTH)) < 0)
            goto done;
    if (partial > 0 && (rc = read_bundle(&t, full, partial)) < 0)
        goto done;
    /* Partial tiles: what is left at each level. */
    for (int level = 0; level < t.nlevels; level++) {
        if (t.fill[level] == 0)
            continue;
        if ((rc = check_tile(&t, level, t.tile_n[level], t.fill[level])) < 0)
            goto done;
    }
    lg_merkle_range_root(&t.range, root);
    if (t.range.size != t.cp.size || memcmp(root, t.cp.root, 32) != 0) {
        rc = lg_error_set(LEDGER_EPROOF, "the entries do not hash to the checkpoint's root");
        goto done;
    }
    rep.checkpoint.size = t.cp.size;
    memcpy(rep.checkpoint.origin, t.cp.origin, sizeof rep.checkpoint.origin);
    memcpy(rep.checkpoint.root, t.cp.root, 32);
    rep.signatures = lg_replay_signatures(t.replay);
    rep.complete = 1;
    *out = rep;
done:
    ledger_buf_dispose(&note);
    lg_free(t.exp);
    lg_free(t.fill);
    lg_free(t.tile_n);
    lg_replay_free(t.replay);
    return rc;
}
