/*
 * readers.c - the record target's second invariant: whatever `submit`
 * accepts, every reader can read (fuzz.h, fuzz_readers_check).
 *
 * Method. The first call builds the test world (tests/support/world.h: a
 * ledger holding every record type, with the keys of its participants)
 * once per process. Each input that decodes as a record gets its own copy
 * of the world's directory, is signed with the key of its author (p:gov
 * when the author is not one of the world's participants) and submitted.
 * When the ledger accepts it, every reader runs on the result and must
 * succeed: `show` (the leaf's info and JSON), the stats and norms views,
 * the participant view of the author, the incident and actor views of the
 * record and of every id it references (an id that is not an incident or
 * actor is a normal "not found"), every export format of the whole ledger
 * (audit trail, STIX, CSV, norms CSV, DOT) with the trail audited offline,
 * and the same exports for every incident a view found. Any other outcome
 * aborts: a record the ledger accepted that a reader cannot read is a
 * finding.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "codec/codec.h"
#include "fuzz.h"
#include "testutil.h"
#include "world.h"

static tu_world world;
static int have_world;

static void
world_free(void)
{
    tu_world_free(&world);
}

static void
world_init(void)
{
    if (have_world)
        return;
    tu_world_create(&world);
    /* Closed, so the copies read a quiet data file. */
    ledger_log_free(world.log);
    world.log = NULL;
    have_world = 1;
    atexit(world_free);
}

/* A new directory holding the world's files (not its lock file). */
static char *
world_copy(void)
{
    char *dir = tu_tempdir(), src[4096], dst[4096];
    DIR *d;
    struct dirent *de;

    fuzz_check(dir != NULL);
    d = opendir(world.dir);
    fuzz_check(d != NULL);
    while ((de = readdir(d)) != NULL) {
        uint8_t *data;
        size_t len;

        if (de->d_name[0] == '.' || strcmp(de->d_name, "lock.mdb") == 0)
            continue;
        snprintf(src, sizeof src, "%s/%s", world.dir, de->d_name);
        snprintf(dst, sizeof dst, "%s/%s", dir, de->d_name);
        if ((data = tu_read_file(src, &len)) == NULL)
            continue; /* not a regular file */
        fuzz_check(tu_write_file(dst, data, len) == 0);
        free(data);
    }
    closedir(d);
    return dir;
}

/* A reader's outcome: 0, or (when allowed) not found. */
static void
reader_ok(int rc, int allow_notfound)
{
    fuzz_check(rc == 0 || (allow_notfound && rc == LEDGER_ENOTFOUND));
}

static int
sink_write(void *payload, const uint8_t *data, size_t len)
{
    return tu_sink_write(payload, data, len);
}

/* Every export of the selection o (incident or whole ledger). */
static void
exports(ledger_log *log, const ledger_export_options *o)
{
    tu_sink s = {0};
    ledger_audit_report ar;

    reader_ok(ledger_export_audit(NULL, log, o, sink_write, &s), 0);
    fuzz_check(tu_audit_trail(s.data, s.len, &world.log_vkey, &ar) == 0);
    tu_sink_free(&s);
    reader_ok(ledger_export_stix(NULL, log, o, sink_write, &s), 0);
    tu_sink_free(&s);
    reader_ok(ledger_export_csv(NULL, log, o, sink_write, &s), 0);
    tu_sink_free(&s);
    reader_ok(ledger_export_norms_csv(NULL, log, o, sink_write, &s), 0);
    tu_sink_free(&s);
    reader_ok(ledger_export_dot(NULL, log, o, sink_write, &s), 0);
    tu_sink_free(&s);
}

/* The views of one id (the record's or one it references), and the
 * exports of the incident if it is one. */
static void
views_of(ledger_log *log, const char *id)
{
    ledger_buf out = LEDGER_BUF_INIT;
    int incident;

    for (int json = 0; json <= 1; json++) {
        int rc = ledger_view_incident(&out, log, id, json);

        reader_ok(rc, 1);
        incident = rc == 0;
        ledger_buf_dispose(&out);
        reader_ok(ledger_view_actor(&out, log, id, json), 1);
        ledger_buf_dispose(&out);
    }
    if (incident) {
        ledger_export_options o = LEDGER_EXPORT_OPTIONS_INIT;

        o.incident = id;
        exports(log, &o);
    }
}

static void
read_all(ledger_log *log, uint64_t index, const lg_record *r)
{
    static lg_ref refs[LG_MAX_REFS];
    ledger_buf leaf = LEDGER_BUF_INIT, out = LEDGER_BUF_INIT;
    ledger_entry_info info;
    size_t n = 0;

    /* show, text and JSON */
    reader_ok(ledger_log_entry(&leaf, log, index), 0);
    reader_ok(ledger_entry_info_get(&info, leaf.data, leaf.len), 0);
    for (int pretty = 0; pretty <= 1; pretty++) {
        reader_ok(ledger_entry_to_json(&out, leaf.data, leaf.len, pretty), 0);
        ledger_buf_dispose(&out);
    }
    ledger_buf_dispose(&leaf);
    for (int json = 0; json <= 1; json++) {
        reader_ok(ledger_view_stats(&out, log, json), 0);
        ledger_buf_dispose(&out);
        reader_ok(ledger_view_norms(&out, log, json), 0);
        ledger_buf_dispose(&out);
        reader_ok(ledger_view_participant(&out, log, lg_record_author(r), json), 0);
        ledger_buf_dispose(&out);
    }
    views_of(log, lg_record_id(r));
    fuzz_check(lg_record_refs(refs, LG_MAX_REFS, &n, r) == 0);
    for (size_t i = 0; i < n; i++)
        if (!(refs[i].types & LG_REF_PARTICIPANT))
            views_of(log, refs[i].id);
    exports(log, NULL);
}

void
fuzz_readers_check(const uint8_t *data, size_t size, const lg_record *r)
{
    ledger_envelope *env = NULL;
    ledger_log *log = NULL;
    ledger_receipt rc;
    ledger_buf again = LEDGER_BUF_INIT;
    ledger_key *k;
    json_t *j = NULL;
    char *text, *dir;

    world_init();
    k = tu_world_key(&world, lg_record_author(r));
    if (k == NULL)
        k = tu_world_key(&world, "p:gov");
    /* The envelope of exactly these bytes, through the record's JSON (the
     * caller checked that it converts back to them). */
    if (lg_record_to_json(&j, r) != 0)
        return;
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    fuzz_check(text != NULL);
    if (ledger_envelope_parse(&env, text, strlen(text)) != 0 || ledger_envelope_sign(env, k) != 0) {
        ledger_envelope_free(env);
        free(text);
        return;
    }
    free(text);
    fuzz_check(ledger_envelope_record(&again, env) == 0);
    fuzz_check(again.len == size && memcmp(again.data, data, size) == 0);
    ledger_buf_dispose(&again);
    dir = world_copy();
    fuzz_check(ledger_log_open(&log, dir, 0) == 0);
    fuzz_check(ledger_log_set_signer(log, world.log_key) == 0);
    if (ledger_log_submit(&rc, log, &env, 1) == 0) {
        if (getenv("FUZZ_DEBUG") != NULL)
            fprintf(stderr, "accepted as entry %llu\n", (unsigned long long)rc.index);
        read_all(log, rc.index, r);
        ledger_receipts_dispose(&rc, 1);
    } else if (getenv("FUZZ_DEBUG") != NULL) {
        fprintf(stderr, "refused: %s\n", ledger_error_last()->message);
    }
    ledger_envelope_free(env);
    ledger_log_free(log);
    tu_rmtree(dir);
    free(dir);
}
