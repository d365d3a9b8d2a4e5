/*
 * export.c - audit trails and tlog-tiles trees (export.h).
 *
 * Method. Every export works on one read transaction, so it sees one
 * consistent snapshot even while submissions continue, and proves what it
 * writes against one stored checkpoint (the latest unless asked otherwise).
 * Before anything is written, the checkpoint is checked against the stored
 * hashes (its root must be the root of the stored tree of its size): an
 * export never publishes a proof that would fail for its reader.
 *
 * Audit trail: pass 1 decodes every entry up to the checkpoint size, one
 * at a time, and marks it (select.c: one byte per entry, plus the ids the
 * selection needs; a range or incident may take a backward pass for the
 * context before it); pass 2 writes the header and, in index order, every selected, registry and
 * context entry with its inclusion proof (O(log n) stored-hash reads each).
 * Lines are built by trail.c, the same code the auditor uses to rebuild
 * them, so writer and reader cannot drift apart.
 *
 * Tiles (C2SP tlog-tiles v0.1.0): each tile is read from the stored hashes
 * (hash i of level-L tile N is the stored hash of the level-8L subtree
 * N*256+i), each entry bundle from the entries table. A file that already
 * holds the right bytes is left alone; anything else is replaced through a
 * temporary file and rename(2); the checkpoint, with the witness
 * cosignatures the ledger stores for it, is replaced last.
 */
#include "attrledger/export.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "codec/codec.h"
#include "core/cosign.h"
#include "core/ledger_int.h"
#include "core/stored_entry.h"
#include "crypto/crypto.h"
#include "export/export_int.h"
#include "export/select.h"
#include "export/trail.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"

/* ---- the snapshot and its checkpoint ---- */

typedef struct {
    lg_txn *t;
    ledger_buf note; /* the signed checkpoint, verbatim */
    lg_checkpoint cp;
    char *vkey; /* the log's verifier key string */
} snapshot;

static void
snapshot_close(snapshot *s)
{
    lg_txn_abort(s->t);
    ledger_buf_dispose(&s->note);
    lg_free(s->vkey);
    memset(s, 0, sizeof *s);
}

static int
snapshot_open(snapshot *s, ledger_log *log, uint64_t tree_size)
{
    ledger_vkey vk;
    ledger_buf vkb = LEDGER_BUF_INIT;
    lg_note *n = NULL;
    lg_hash root;
    lg_meta m;
    uint8_t key[8];
    int rc;

    memset(s, 0, sizeof *s);
    if ((rc = lg_txn_begin(&s->t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(s->t, &m)) < 0)
        goto fail;
    if (tree_size == 0) {
        rc = lg_store_last(s->t, LG_DB_CHECKPOINTS, NULL, &s->note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
    } else {
        lg_u64_be(key, tree_size);
        rc = lg_store_get(s->t, LG_DB_CHECKPOINTS, key, 8, &s->note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                              (unsigned long long)tree_size);
    }
    if (rc < 0)
        goto fail;

    /* Check what we are about to publish: signed by this log's key, and
     * naming the root of the stored tree of its size. */
    memset(&vk, 0, sizeof vk);
    snprintf(vk.name, sizeof vk.name, "%s", log->origin);
    vk.type = LEDGER_SIGTYPE_ED25519;
    memcpy(vk.public_key, log->log_pk, 32);
    vk.note_id = lg_note_key_id(vk.name, vk.type, vk.public_key);
    if ((rc = lg_note_parse(&n, s->note.data, s->note.len)) < 0 ||
        (rc = lg_note_verify(n, &vk, 1, NULL, NULL)) < 0 ||
        (rc = lg_checkpoint_parse(&s->cp, n->buf, n->text_len)) < 0) {
        rc = rc == LEDGER_ENOMEM ? rc : lg_error_prefix(LEDGER_ECORRUPT, "stored checkpoint");
        goto fail;
    }
    if (s->cp.size == 0 || s->cp.size > m.size) {
        rc = lg_error_set(LEDGER_ECORRUPT, "stored checkpoint names size %llu, ledger has %llu",
                          (unsigned long long)s->cp.size, (unsigned long long)m.size);
        goto fail;
    }
    if ((rc = lg_merkle_root(root, s->cp.size, lg_store_hash_reader, s->t)) < 0)
        goto fail;
    if (memcmp(root, s->cp.root, 32) != 0) {
        rc = lg_error_set(LEDGER_ECORRUPT,
                          "stored checkpoint %llu does not match the stored tree (run verify)",
                          (unsigned long long)s->cp.size);
        goto fail;
    }
    if ((rc = lg_vkey_format(&vkb, &vk)) < 0)
        goto fail;
    s->vkey = (char *)vkb.data;
    lg_note_free(n);
    return 0;
fail:
    lg_note_free(n);
    snapshot_close(s);
    return rc;
}

/* ---- audit trail ---- */

/* The entries of a snapshot as a selection source (select.h): each entry
 * is decoded while it is visited and forgotten after, so the selection
 * holds no entry's strings. */
typedef struct {
    lg_txn *t;
    uint64_t size;
    uint64_t next; /* the index the scan must meet next */
    int reverse;
    lg_sel_refbuf refs;
    lg_damage damage;  /* scratch: the damaged entry being visited */
    uint64_t *damaged; /* every damaged entry, in index order */
    size_t n_damaged, cap_damaged;
    lg_sel_visit_fn fn;
    void *arg;
    const lg_progress *prog;
} entry_source;

/* Check that the scan meets the entries in order, without a gap. */
static int
entry_order(entry_source *src, uint64_t index)
{
    if (index != src->next)
        return lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing",
                            (unsigned long long)src->next);
    if (src->reverse)
        src->next--;
    else
        src->next++;
    return 0;
}

/* Remember a damaged entry (forward pass) and describe it to the
 * selection from its index rows (damage.c). */
static int
damaged_view(entry_source *src, uint64_t index, lg_sel_view *v)
{
    int rc;

    if (!src->reverse) {
        if (src->n_damaged == src->cap_damaged) {
            size_t ncap = src->cap_damaged ? src->cap_damaged * 2 : 8;
            uint64_t *nv = lg_realloc(src->damaged, ncap * sizeof *nv);

            if (nv == NULL)
                return lg_error_nomem();
            src->damaged = nv;
            src->cap_damaged = ncap;
        }
        src->damaged[src->n_damaged++] = index;
    }
    if ((rc = lg_damage_describe(&src->damage, src->t, index)) < 0)
        return rc;
    memset(v, 0, sizeof *v);
    v->index = index;
    v->type = src->damage.type;
    v->record_id = src->damage.record_id;
    v->supersedes = "";
    v->damaged = 1;
    v->targets = src->damage.targets;
    v->n_targets = src->damage.n_targets;
    return 0;
}

static int
visit_entry(void *p, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    entry_source *src = p;
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *js = NULL;
    lg_sel_view v;
    uint64_t index;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index >= src->size)
        return 1;
    if ((rc = entry_order(src, index)) < 0)
        return rc;
    if (!src->reverse)
        lg_progress_at(src->prog, index + 1);
    rc = lg_stored_entry_decode(&e, &r, &js, index, leaf, len);
    if (rc == LEDGER_ECORRUPT)
        rc = damaged_view(src, index, &v);
    else if (rc == 0)
        rc = lg_sel_view_fill(&v, &src->refs, index, r, js);
    if (rc < 0)
        goto done;
    rc = src->fn(src->arg, &v);
    if (rc == 0 && src->reverse && index == 0)
        rc = 1;
done:
    json_decref(js);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

static int
source_forward(void *p, lg_sel_visit_fn fn, void *arg)
{
    entry_source *src = p;
    int rc;

    src->fn = fn;
    src->arg = arg;
    src->next = 0;
    src->reverse = 0;
    if ((rc = lg_store_scan(src->t, LG_DB_ENTRIES, NULL, 0, 0, visit_entry, src)) < 0)
        return rc;
    if (src->next != src->size)
        return lg_error_set(LEDGER_ECORRUPT,
                            "ledger has %llu entries below the checkpoint size %llu",
                            (unsigned long long)src->next, (unsigned long long)src->size);
    return 0;
}

static int
source_backward(void *p, size_t from, lg_sel_visit_fn fn, void *arg)
{
    entry_source *src = p;
    uint8_t key[8];

    src->fn = fn;
    src->arg = arg;
    src->next = from;
    src->reverse = 1;
    lg_u64_be(key, from);
    return lg_store_scan_reverse(src->t, LG_DB_ENTRIES, key, 8, visit_entry, src);
}

static int
source_resolve(void *p, const char *id, uint64_t *index_out)
{
    entry_source *src = p;
    lg_record_row row;
    int rc;

    if ((rc = lg_row_record(src->t, id, &row)) < 0)
        return rc;
    *index_out = row.index;
    return 0;
}

int
lg_export_select(lg_selection *sel, lg_txn *t, uint64_t size, uint64_t since, uint64_t until,
                 const char *incident, lg_progress *prog)
{
    entry_source src;
    lg_sel_source source;
    int rc;

    memset(&src, 0, sizeof src);
    src.t = t;
    src.size = size;
    if (size > SIZE_MAX)
        return lg_error_set(LEDGER_EINVAL, "selection of %llu entries", (unsigned long long)size);
    source.n = (size_t)size;
    source.forward = source_forward;
    source.backward = source_backward;
    source.resolve = source_resolve;
    source.payload = &src;
    src.prog = prog;
    rc = lg_sel_compute(sel, &source, since, until, incident);
    if (prog != NULL)
        prog->pass++;
    /* A damaged entry the selection marked is one the export needs. */
    for (size_t i = 0; rc == 0 && i < src.n_damaged; i++) {
        static const char *const why[] = {"", "it is in the selection",
                                          "registrations are in every export",
                                          "a selected record may refer to it"};
        uint64_t d = src.damaged[i];
        lg_record *r = NULL;

        if (sel->mark[d] == LG_SEL_NONE)
            continue;
        rc = lg_stored_entry_load(NULL, &r, NULL, t, d);
        lg_record_free(r);
        rc = lg_error_prefix(rc < 0 ? rc : LEDGER_ECORRUPT,
                             "the export needs damaged entry %llu (%s)", (unsigned long long)d,
                             why[sel->mark[d]]);
        lg_sel_free(sel);
    }
    lg_sel_refbuf_free(&src.refs);
    lg_damage_free(&src.damage);
    lg_free(src.damaged);
    return rc;
}

void
lg_export_progress(lg_progress *prog, uint64_t size, unsigned passes)
{
    prog->total = size;
    prog->passes = passes;
    prog->pass = 0;
}

/* Resolve the options into [since, until] within the tree. */
static int
resolve_range(uint64_t *since, uint64_t *until, const ledger_export_options *o, uint64_t size)
{
    *since = o->since;
    *until = o->until < size - 1 ? o->until : size - 1;
    if (*since >= size)
        return lg_error_set(LEDGER_EINVAL, "--since %llu is beyond the last entry %llu",
                            (unsigned long long)o->since, (unsigned long long)(size - 1));
    if (*since > *until)
        return lg_error_set(LEDGER_EINVAL, "--since %llu is after --until %llu",
                            (unsigned long long)*since, (unsigned long long)*until);
    return 0;
}

static int
check_options(const ledger_export_options *o)
{
    if (o->version != LEDGER_EXPORT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "export: unknown options version %u", o->version);
    if (o->incident != NULL && (o->incident[0] == '\0' || strlen(o->incident) > LEDGER_ID_MAX))
        return lg_error_set(LEDGER_EINVAL, "incident key must be 1-%d bytes", LEDGER_ID_MAX);
    return 0;
}

static int
emit(ledger_write_fn w, void *payload, const json_t *obj)
{
    ledger_buf line = LEDGER_BUF_INIT;
    int rc;

    if ((rc = lg_trail_line(&line, obj)) < 0)
        return rc;
    rc = w(payload, line.data, line.len);
    ledger_buf_dispose(&line);
    if (rc > 0)
        rc = lg_error_set(LEDGER_EIO, "output writer returned %d", rc);
    return rc;
}

typedef struct {
    const snapshot *s;
    const lg_selection *sel;
    ledger_write_fn w;
    void *payload;
    const lg_progress *prog;
} write_ctx;

static int
write_entry(void *p, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    write_ctx *c = p;
    lg_hash proof[LG_PROOF_MAX_HASHES];
    json_t *obj = NULL;
    uint64_t index;
    size_t n = 0;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index >= c->s->cp.size)
        return 1;
    lg_progress_at(c->prog, index + 1);
    if (c->sel->mark[index] == LG_SEL_NONE)
        return 0;
    if ((rc = lg_merkle_prove_inclusion(proof, &n, index, c->s->cp.size, lg_store_hash_reader,
                                        c->s->t)) < 0)
        return rc;
    if ((rc = lg_trail_entry(&obj, leaf, len, c->sel->mark[index], (const lg_hash *)proof, n)) < 0)
        return rc;
    rc = emit(c->w, c->payload, obj);
    json_decref(obj);
    return rc;
}

int
ledger_export_audit(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                    ledger_write_fn w, void *payload)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    snapshot s;
    lg_selection sel;
    write_ctx wc;
    json_t *header = NULL;
    uint64_t since, until;
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    if (opts == NULL)
        opts = &defaults;
    if ((rc = check_options(opts)) < 0)
        return rc;
    memset(&rep, 0, sizeof rep);
    lg_sel_init(&sel);
    if ((rc = snapshot_open(&s, log, opts->tree_size)) < 0)
        return rc;
    if ((rc = resolve_range(&since, &until, opts, s.cp.size)) < 0 ||
        (lg_export_progress(&log->progress, s.cp.size, 2),
         rc = lg_export_select(&sel, s.t, s.cp.size, since, until, opts->incident,
                               &log->progress)) < 0)
        goto done;
    for (size_t i = 0; i < sel.n; i++) {
        if (sel.mark[i] == LG_SEL_SELECTED)
            rep.selected++;
        else if (sel.mark[i] != LG_SEL_NONE)
            rep.context++;
    }
    if (rep.selected == 0 && opts->incident != NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no entry in %llu..%llu touches incident %s",
                          (unsigned long long)since, (unsigned long long)until, opts->incident);
        goto done;
    }
    if (opts->incident != NULL) {
        /* Publish the range the selection actually spans: then an auditor
         * can hold the header to it (see audit.c). */
        int first = 1;

        for (size_t i = 0; i < sel.n; i++) {
            if (sel.mark[i] != LG_SEL_SELECTED)
                continue;
            if (first)
                since = i;
            first = 0;
            until = i;
        }
    }
    rep.tree_size = s.cp.size;
    rep.objects = rep.selected + rep.context;
    if ((rc = lg_trail_header(&header, s.vkey, s.note.data, s.note.len, &s.cp, since, until,
                              opts->incident, rep.objects)) < 0 ||
        (rc = emit(w, payload, header)) < 0)
        goto done;
    wc.s = &s;
    wc.sel = &sel;
    wc.w = w;
    wc.payload = payload;
    wc.prog = &log->progress;
    if ((rc = lg_store_scan(s.t, LG_DB_ENTRIES, NULL, 0, 0, write_entry, &wc)) < 0)
        goto done;
    lg_progress_end(&log->progress);
    if (out != NULL)
        *out = rep;
    rc = 0;
done:
    json_decref(header);
    lg_sel_free(&sel);
    snapshot_close(&s);
    return rc;
}

/* ---- tiles ---- */

typedef struct {
    const char *dir;
    ledger_tiles_report *rep;
    char *path; /* dir + "/" + relative path */
    size_t cap;
} tiles_ctx;

/* Write DIR/rel unless it already holds exactly these bytes. */
static int
publish(tiles_ctx *c, const char *rel, const void *data, size_t len)
{
    size_t need = strlen(c->dir) + 1 + strlen(rel) + 1;
    int rc;

    if (need > c->cap) {
        char *p = lg_realloc(c->path, need);
        if (p == NULL)
            return lg_error_nomem();
        c->path = p;
        c->cap = need;
    }
    snprintf(c->path, c->cap, "%s/%s", c->dir, rel);
    if (lg_fs_same(c->path, data, len)) {
        c->rep->unchanged++;
        return 0;
    }
    if ((rc = lg_fs_mkdirs(c->path, 0)) < 0 ||
        (rc = lg_fs_write_atomic(c->path, data, len, 0644)) < 0)
        return rc;
    c->rep->written++;
    return 0;
}

/* The bytes of a Merkle tile: `width` stored hashes of level L, tile n. */
static int
tile_bytes(lg_txn *t, const lg_tile *tile, uint8_t *data, size_t *len)
{
    uint64_t idx[LG_TILE_WIDTH];
    int rc;

    for (unsigned i = 0; i < tile->width; i++)
        idx[i] =
            lg_merkle_stored_index(tile->level * LG_TILE_HEIGHT, tile->index * LG_TILE_WIDTH + i);
    if ((rc = lg_store_hash_run(t, idx, tile->width, data)) < 0)
        return rc;
    *len = (size_t)tile->width * LG_HASH;
    return 0;
}

/* The bytes of an entry bundle: each leaf as a 2-byte big-endian length
 * and the leaf, into buf->data (capacity *cap, grown as needed). */
static int
bundle_bytes(lg_txn *t, const lg_tile *tile, ledger_buf *buf, size_t *cap, size_t *len)
{
    size_t off = 0;
    int rc;

    for (unsigned i = 0; i < tile->width; i++) {
        ledger_buf leaf = LEDGER_BUF_INIT;
        uint64_t index = tile->index * LG_TILE_WIDTH + i;
        uint8_t key[8];

        lg_u64_be(key, index);
        if ((rc = lg_store_get(t, LG_DB_ENTRIES, key, 8, &leaf)) < 0)
            return rc == LEDGER_ENOTFOUND ? lg_error_set(LEDGER_ECORRUPT, "entry %llu is missing",
                                                         (unsigned long long)index)
                                          : rc;
        if (leaf.len > LEDGER_MAX_LEAF) {
            ledger_buf_dispose(&leaf);
            return lg_error_set(LEDGER_ECORRUPT, "entry %llu is larger than 65,535 bytes",
                                (unsigned long long)index);
        }
        if (off + 2 + leaf.len + 1 > *cap) {
            size_t ncap = (*cap ? *cap : 4096);
            uint8_t *nd;

            while (ncap < off + 2 + leaf.len + 1)
                ncap *= 2;
            if ((nd = lg_realloc(buf->data, ncap)) == NULL) {
                ledger_buf_dispose(&leaf);
                return lg_error_nomem();
            }
            buf->data = nd;
            *cap = ncap;
        }
        buf->data[off] = (uint8_t)(leaf.len >> 8);
        buf->data[off + 1] = (uint8_t)leaf.len;
        memcpy(buf->data + off + 2, leaf.data, leaf.len);
        off += 2 + leaf.len;
        ledger_buf_dispose(&leaf);
    }
    *len = off;
    return 0;
}

static int
write_tile(tiles_ctx *c, lg_txn *t, int level, uint64_t n, unsigned width)
{
    uint8_t data[LG_TILE_WIDTH * LG_HASH];
    char rel[LG_TILE_PATH_MAX];
    lg_tile tile = {level, n, width};
    size_t len;
    int rc;

    if ((rc = tile_bytes(t, &tile, data, &len)) < 0 ||
        (rc = lg_tile_path(rel, sizeof rel, &tile)) < 0)
        return rc;
    return publish(c, rel, data, len);
}

static int
write_bundle(tiles_ctx *c, lg_txn *t, uint64_t n, unsigned width, ledger_buf *scratch)
{
    char rel[LG_TILE_PATH_MAX];
    lg_tile tile = {LG_TILE_ENTRIES, n, width};
    size_t len, cap = scratch->len;
    int rc;

    rc = bundle_bytes(t, &tile, scratch, &cap, &len);
    scratch->len = cap;
    if (rc < 0 || (rc = lg_tile_path(rel, sizeof rel, &tile)) < 0)
        return rc;
    return publish(c, rel, scratch->data, len);
}

/*
 * One tile for a server: the same bytes the export writes. A tile exists
 * when all its hashes do in the committed tree: the level holds
 * floor(size / 256^L) hashes (entries: size), so tile N of width W needs
 * 256N + W of them. A partial tile of an earlier, smaller tree is served
 * too: its bytes are a prefix of today's, which never change.
 */
int
ledger_log_tile(ledger_buf *out, int *full_out, ledger_log *log, const char *path, size_t len)
{
    lg_txn *t = NULL;
    lg_meta m;
    lg_tile tile;
    uint64_t have;
    size_t n = 0;
    int rc;

    if (out == NULL || full_out == NULL || log == NULL || path == NULL)
        return lg_error_set(LEDGER_EINVAL, "tile: missing argument");
    *out = (ledger_buf)LEDGER_BUF_INIT;
    *full_out = 0;
    if ((rc = lg_tile_parse(&tile, path, len)) < 0)
        return rc;
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(t, &m)) < 0)
        goto done;
    have = m.size;
    for (int l = 0; l < tile.level && have > 0; l++)
        have >>= LG_TILE_HEIGHT;
    if (tile.index > have / LG_TILE_WIDTH || tile.index * LG_TILE_WIDTH + tile.width > have) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "tile %.*s is beyond the tree of %llu entries",
                          (int)(len > 80 ? 80 : len), path, (unsigned long long)m.size);
        goto done;
    }
    if (tile.level == LG_TILE_ENTRIES) {
        size_t cap = 0;

        rc = bundle_bytes(t, &tile, out, &cap, &n);
    } else if ((rc = ledger_buf_alloc(out, (size_t)tile.width * LG_HASH)) == 0) {
        rc = tile_bytes(t, &tile, out->data, &n);
    }
    if (rc < 0) {
        ledger_buf_dispose(out);
        goto done;
    }
    out->len = n;
    out->data[n] = '\0'; /* ledger_buf convention */
    *full_out = tile.width == LG_TILE_WIDTH;
done:
    lg_txn_abort(t);
    return rc;
}

int
ledger_export_tiles(ledger_tiles_report *out, ledger_log *log, const char *dir)
{
    ledger_tiles_report rep;
    ledger_buf scratch = LEDGER_BUF_INIT, cosigned = LEDGER_BUF_INIT;
    tiles_ctx c;
    snapshot s;
    int rc;

    if (log == NULL || dir == NULL || *dir == '\0')
        return lg_error_set(LEDGER_EINVAL, "tiles export: missing argument");
    memset(&rep, 0, sizeof rep);
    memset(&c, 0, sizeof c);
    c.dir = dir;
    c.rep = &rep;
    if ((rc = snapshot_open(&s, log, 0)) < 0)
        return rc;
    rep.tree_size = s.cp.size;
    if ((rc = lg_fs_mkdirs(dir, 1)) < 0)
        goto done;
    /* scratch holds one bundle (scratch.len is its capacity), grown to
     * the largest bundle: 256 * (2 + 65,535) bytes at most. */
    for (int level = LG_TILE_ENTRIES; level <= LG_TILE_MAX_LEVEL; level++) {
        uint64_t full;
        unsigned partial;

        if ((rc = lg_tile_count(&full, &partial, s.cp.size, level)) < 0)
            goto done;
        if (full == 0 && partial == 0)
            break;
        for (uint64_t n = 0; n <= full; n++) {
            unsigned width = n < full ? LG_TILE_WIDTH : partial;

            if (width == 0)
                continue;
            rc = level == LG_TILE_ENTRIES ? write_bundle(&c, s.t, n, width, &scratch)
                                          : write_tile(&c, s.t, level, n, width);
            if (rc < 0)
                goto done;
        }
    }
    /* Last: the checkpoint that makes the new tiles reachable, with the
     * witness cosignatures stored for it (so a re-export after `cosign
     * add` publishes them). */
    {
        uint64_t size = s.cp.size;
        if ((rc = lg_cosign_note(s.t, &size, &cosigned)) < 0 ||
            (rc = publish(&c, "checkpoint", cosigned.data, cosigned.len)) < 0)
            goto done;
    }
    if (out != NULL)
        *out = rep;
done:
    ledger_buf_dispose(&scratch);
    ledger_buf_dispose(&cosigned);
    lg_free(c.path);
    snapshot_close(&s);
    return rc;
}
