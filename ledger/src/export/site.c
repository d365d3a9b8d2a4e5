/*
 * site.c - `export --format site`: the public record as a static web site
 * (export.h, docs/SITE.md).
 *
 * One export writes, under DIR:
 *   tile/..., checkpoint            the tlog-tiles tree (ledger_export_tiles)
 *   index.html                      timeline, latest checkpoint, statistics
 *   incident/, actor/, participant/, finding/<slug>.html   one page each
 *   rec/<index>.json                every entry's raw JSON (show --json form)
 *   rec/<index>.tlog-proof          its receipt, against the checkpoint of the
 *                                   export that first wrote it
 *   assets/site.css, assets/site.js built into the binary (ledger/site/)
 * Like the tiles, every file is written only when its bytes changed, by
 * temp file and rename, so re-running after a batch rewrites the pages
 * that batch touched and the index, and adds the new entries' files.
 *
 * The pages come from the JSON views, all read in one snapshot
 * (views/view_site.c) opened before the tiles are written: every record a
 * page shows is inside the checkpoint the tiles end with.
 */
/* sync(2) is XSI; the build asks only for POSIX.1-2008 by default. */
#define _XOPEN_SOURCE 700
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrledger/export.h"
#include "attrledger/key.h"
#include "attrledger/ledger.h"
#include "attrledger/proof.h"
#include "attrledger/record.h"
#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "crypto/crypto.h"
#include "export/site_int.h"

typedef struct {
    const char *dir;
    ledger_site_report *rep;
} out_dir;

static int
publish(out_dir *o, const char *rel, const void *data, size_t len)
{
    char path[4096];
    int rc;

    if ((rc = lg_fs_join(path, sizeof path, o->dir, rel)) < 0)
        return rc;
    if (lg_fs_same(path, data, len)) {
        o->rep->unchanged++;
        return 0;
    }
    /* No fsync per file: a site has one file per record (two, with its
     * receipt), and an fsync each made a 100k-entry export take most of an
     * hour. Each file is still replaced atomically; ledger_export_site
     * syncs once before it returns. */
    if ((rc = lg_fs_mkdirs(path, 0)) < 0 ||
        (rc = lg_fs_write_replace(path, data, len, 0644, 0)) < 0)
        return rc;
    o->rep->written++;
    return 0;
}

static const char *const kind_dir[] = {"incident", "actor", "participant", "finding", ""};

typedef struct {
    lg_site *s;
    json_t *list; /* [[kind, arg], ...] in the order found */
} collect_ctx;

static int
collect(void *payload, lg_page_kind kind, const char *arg, uint64_t index)
{
    collect_ctx *c = payload;
    char key[LEDGER_ID_MAX + 32], path[LEDGER_ID_MAX * 3 + 32];
    int rc;

    (void)index;
    if (*arg == '\0')
        return 0;
    snprintf(key, sizeof key, "%s/%s", kind_dir[kind], arg);
    if (json_object_get(c->s->pages, key) != NULL)
        return 0;
    if ((rc = lg_site_page_path(path, sizeof path, kind_dir[kind], arg)) < 0)
        return rc;
    if (json_object_set_new(c->s->pages, key, json_string(path)) < 0 ||
        json_array_append_new(c->list, json_pack("[is]", (int)kind, arg)) < 0)
        return lg_error_nomem();
    return 0;
}

/* Keys and names of every participant, for the key tables of the pages. */
static int
load_participants(lg_site *s, const json_t *list)
{
    const json_t *x;
    size_t i;
    int rc;

    json_array_foreach(list, i, x)
    {
        const char *id = json_string_value(json_array_get(x, 1));
        json_t *v = NULL;

        if (json_integer_value(json_array_get(x, 0)) != LG_PAGE_PARTICIPANT)
            continue;
        if ((rc = lg_view_reader_build(&v, s->r, LG_PAGE_PARTICIPANT, id)) < 0) {
            json_decref(v);
            return rc;
        }
        json_t *keys = json_object_get(v, "keys");
        const char *name =
            json_string_value(json_object_get(json_object_get(v, "participant"), "name"));
        if (json_object_set(s->keys, id, keys ? keys : json_null()) < 0 ||
            json_object_set_new(s->names, id, json_string(name ? name : id)) < 0) {
            json_decref(v);
            return lg_error_nomem();
        }
        json_decref(v);
    }
    return 0;
}

static int
incident_row(json_t *incidents, const char *rid, const json_t *v)
{
    const json_t *inc = json_object_get(v, "incident");
    const char *name = json_string_value(json_object_get(inc, "name"));
    const char *first = json_string_value(
        json_object_get(json_object_get(json_object_get(inc, "timeline"), "first_seen"), "time"));

    if (json_array_append_new(incidents,
                              json_pack("{s:s,s:s,s:s}", "record_id", rid, "name",
                                        name ? name : rid, "first_seen", first ? first : "")) < 0)
        return lg_error_nomem();
    return 0;
}

static int
by_date(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcmp(json_string_value(json_object_get(x, "first_seen")),
                  json_string_value(json_object_get(y, "first_seen")));
}

static int
sort_incidents(json_t *incidents)
{
    size_t n = json_array_size(incidents);
    json_t **v;

    if (n < 2)
        return 0;
    if ((v = lg_malloc(n * sizeof *v)) == NULL)
        return lg_error_nomem();
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(incidents, i));
    qsort(v, n, sizeof *v, by_date);
    json_array_clear(incidents);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(incidents, v[i]);
    lg_free(v);
    return json_array_size(incidents) == n ? 0 : lg_error_nomem();
}

static int
write_pages(lg_site *s, out_dir *o, const json_t *list, json_t *incidents)
{
    const json_t *x;
    size_t i;
    int rc = 0;

    json_array_foreach(list, i, x)
    {
        lg_page_kind kind = (lg_page_kind)json_integer_value(json_array_get(x, 0));
        const char *arg = json_string_value(json_array_get(x, 1));
        char key[LEDGER_ID_MAX + 32];
        ledger_buf page = LEDGER_BUF_INIT;
        json_t *v = NULL;

        if ((rc = lg_view_reader_build(&v, s->r, kind, arg)) == 0) {
            switch (kind) {
            case LG_PAGE_INCIDENT:
                if ((rc = incident_row(incidents, arg, v)) == 0)
                    rc = lg_site_incident_page(&page, s, v);
                break;
            case LG_PAGE_ACTOR:
                rc = lg_site_actor_page(&page, s, v);
                break;
            case LG_PAGE_PARTICIPANT:
                rc = lg_site_participant_page(&page, s, v, arg);
                break;
            case LG_PAGE_FINDING:
                rc = lg_site_finding_page(&page, s, v);
                break;
            case LG_PAGE_STATS:
                break;
            }
        }
        json_decref(v);
        snprintf(key, sizeof key, "%s/%s", kind_dir[kind], arg);
        if (rc == 0)
            rc = publish(o, json_string_value(json_object_get(s->pages, key)), page.data, page.len);
        ledger_buf_dispose(&page);
        if (rc < 0)
            return rc;
        o->rep->pages++;
    }
    return 0;
}

/* 1 when DIR/rel exists (counted as unchanged). */
static int
present(out_dir *o, const char *rel)
{
    char path[4096];
    struct stat st;

    if (lg_fs_join(path, sizeof path, o->dir, rel) < 0 || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_size == 0)
        return 0;
    o->rep->unchanged++;
    return 1;
}

/* rec/N.json and rec/N.tlog-proof for every entry of the snapshot, written
 * once: an entry never changes, and a receipt stays a valid proof of
 * inclusion in the checkpoint it carries (a later checkpoint is reached by
 * a consistency proof), so a re-export writes only the new entries' files
 * instead of rewriting every receipt for each new checkpoint. */
static int
write_records(ledger_log *log, out_dir *o, uint64_t size)
{
    int rc = 0;

    for (uint64_t i = 0; i < size && rc == 0; i++) {
        ledger_buf leaf = LEDGER_BUF_INIT, json = LEDGER_BUF_INIT, rcpt = LEDGER_BUF_INIT;
        char rel[64];

        snprintf(rel, sizeof rel, "rec/%" PRIu64 ".json", i);
        if (!present(o, rel) && (rc = ledger_log_entry(&leaf, log, i)) == 0 &&
            (rc = ledger_entry_to_json(&json, leaf.data, leaf.len, 1)) == 0)
            rc = publish(o, rel, json.data, json.len);
        snprintf(rel, sizeof rel, "rec/%" PRIu64 ".tlog-proof", i);
        if (rc == 0 && !present(o, rel) && (rc = ledger_log_receipt(&rcpt, log, i, size, 1)) == 0)
            rc = publish(o, rel, rcpt.data, rcpt.len);
        ledger_buf_dispose(&leaf);
        ledger_buf_dispose(&json);
        ledger_buf_dispose(&rcpt);
    }
    return rc;
}

static int
log_vkey(ledger_buf *out, ledger_log_info *info)
{
    ledger_vkey vk;

    memset(&vk, 0, sizeof vk);
    snprintf(vk.name, sizeof vk.name, "%s", info->origin);
    vk.type = LEDGER_SIGTYPE_ED25519;
    memcpy(vk.public_key, info->log_public_key, sizeof vk.public_key);
    vk.note_id = lg_note_key_id(vk.name, vk.type, vk.public_key);
    return ledger_vkey_format(out, &vk);
}

int
ledger_export_site(ledger_site_report *out, ledger_log *log, const char *dir)
{
    ledger_site_report rep;
    ledger_tiles_report trep;
    ledger_log_info info;
    ledger_buf vkey = LEDGER_BUF_INIT, note = LEDGER_BUF_INIT, page = LEDGER_BUF_INIT;
    json_t *list = json_array(), *incidents = json_array(), *stats = NULL;
    lg_site s;
    out_dir o = {dir, &rep};
    collect_ctx cc;
    int rc;

    memset(&rep, 0, sizeof rep);
    memset(&s, 0, sizeof s);
    if (log == NULL || dir == NULL || *dir == '\0')
        return lg_error_set(LEDGER_EINVAL, "site export: missing argument");
    s.pages = json_object();
    s.keys = json_object();
    s.names = json_object();
    if (list == NULL || incidents == NULL || s.pages == NULL || s.keys == NULL || s.names == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = lg_view_reader_open(&s.r, log)) < 0 || (rc = ledger_log_info_get(&info, log)) < 0 ||
        (rc = log_vkey(&vkey, &info)) < 0 ||
        (rc = ledger_log_checkpoint_cosigned(&note, log, lg_view_reader_size(s.r))) < 0)
        goto done;
    rep.tree_size = lg_view_reader_size(s.r);
    s.vkey = (const char *)vkey.data;
    s.origin = info.origin;
    /* Tiles first: their checkpoint covers at least the snapshot. */
    if ((rc = ledger_export_tiles(&trep, log, dir)) < 0)
        goto done;
    rep.tiles_written = trep.written;
    cc.s = &s;
    cc.list = list;
    if ((rc = lg_view_reader_subjects(s.r, collect, &cc)) < 0 ||
        (rc = load_participants(&s, list)) < 0 || (rc = write_pages(&s, &o, list, incidents)) < 0)
        goto done;
    if ((rc = sort_incidents(incidents)) < 0 ||
        (rc = lg_view_reader_build(&stats, s.r, LG_PAGE_STATS, NULL)) < 0 ||
        (rc = lg_site_index_page(&page, &s, incidents, stats, (const char *)note.data)) < 0 ||
        (rc = publish(&o, "index.html", page.data, page.len)) < 0)
        goto done;
    rep.pages++;
    if ((rc = write_records(log, &o, rep.tree_size)) < 0)
        goto done;
    for (size_t i = 0; i < lg_site_asset_count; i++)
        if ((rc = publish(&o, lg_site_assets[i].path, lg_site_assets[i].data,
                          lg_site_assets[i].len)) < 0)
            goto done;
    if (rep.written > 0)
        sync(); /* the files written above, once, instead of one fsync each */
    if (out != NULL)
        *out = rep;
done:
    ledger_buf_dispose(&vkey);
    ledger_buf_dispose(&note);
    ledger_buf_dispose(&page);
    json_decref(list);
    json_decref(incidents);
    json_decref(stats);
    json_decref(s.pages);
    json_decref(s.keys);
    json_decref(s.names);
    lg_view_reader_close(s.r);
    return rc;
}
