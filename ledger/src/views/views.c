/*
 * views.c - case files derived from the signed entries (view.h): the
 * public entry points.
 *
 * Nothing here is stored: every view is computed from the entries and the
 * derived index tables (records: status of each record; refs: who
 * references whom) inside one read transaction, so a view is a consistent
 * snapshot. Records are read in their proto3 JSON form, which is also what
 * the JSON views embed, so field names match the schema.
 *
 * This file opens the transaction, runs one builder (view_incident.c,
 * view_actor.c, view_participant.c, view_stats.c; their shared reads are
 * in view_ctx.c, the finding tally in tally.c) and renders its JSON object
 * either as JSON or as text (view_text.c).
 */
#include "views/views.h"

#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "attrledger/view.h"
#include "base/error.h"
#include "codec/json.h"
#include "core/ledger_int.h"
#include "store/store.h"
#include "views/views_int.h"

typedef int (*build_fn)(json_t **out, vctx *c, const char *arg);

static int
build_stats(json_t **out, vctx *c, const char *arg)
{
    (void)arg;
    return lg_view_stats_json(out, c);
}

static int
build_norms(json_t **out, vctx *c, const char *arg)
{
    (void)arg;
    return lg_view_norms_json(out, c);
}

/* The JSON form, ending with a newline like the text (view.h). */
static int
dump_line(ledger_buf *out, const json_t *o)
{
    uint8_t *grown;
    int rc = lg_json_dump(out, o, 1);

    if (rc < 0)
        return rc;
    if ((grown = lg_realloc(out->data, out->len + 2)) == NULL) {
        ledger_buf_dispose(out);
        return lg_error_nomem();
    }
    grown[out->len++] = '\n';
    grown[out->len] = '\0';
    out->data = grown;
    return 0;
}

static int
run_view(ledger_buf *out, ledger_log *log, const char *arg, int json, build_fn fn,
         lg_view_kind kind)
{
    vctx c;
    lg_meta m;
    json_t *o = NULL;
    int rc;

    if (out == NULL || log == NULL || (arg == NULL && kind != LG_VIEW_STATS && kind != LG_VIEW_NORMS))
        return lg_error_set(LEDGER_EINVAL, "view: missing argument");
    memset(&c, 0, sizeof c);
    c.log = log;
    c.text = !json;
    if ((rc = lg_txn_begin(&c.t, log->store, 0)) < 0)
        return rc;
    if ((rc = lg_meta_state(c.t, &m)) < 0)
        goto done;
    c.size = m.size;
    lg_store_policy_state(&c.st, c.t);
    if ((rc = fn(&o, &c, arg)) < 0)
        goto done;
    rc = json ? dump_line(out, o) : lg_view_text(out, o, kind);
done:
    json_decref(o);
    lg_txn_abort(c.t);
    return rc;
}

int
ledger_view_incident(ledger_buf *out, ledger_log *log, const char *key, int json)
{
    return run_view(out, log, key, json, lg_view_incident_json, LG_VIEW_INCIDENT);
}

int
ledger_view_actor(ledger_buf *out, ledger_log *log, const char *id, int json)
{
    return run_view(out, log, id, json, lg_view_actor_json, LG_VIEW_ACTOR);
}

int
ledger_view_participant(ledger_buf *out, ledger_log *log, const char *id, int json)
{
    return run_view(out, log, id, json, lg_view_participant_json, LG_VIEW_PARTICIPANT);
}

int
ledger_view_stats(ledger_buf *out, ledger_log *log, int json)
{
    return run_view(out, log, NULL, json, build_stats, LG_VIEW_STATS);
}

int
ledger_view_norms(ledger_buf *out, ledger_log *log, int json)
{
    return run_view(out, log, NULL, json, build_norms, LG_VIEW_NORMS);
}

int
ledger_view_norm(ledger_buf *out, ledger_log *log, const char *id, int json)
{
    return run_view(out, log, id, json, lg_view_norm_json, LG_VIEW_NORM);
}

int
ledger_view_state(ledger_buf *out, ledger_log *log, const char *actor, int json)
{
    return run_view(out, log, actor, json, lg_view_state_json, LG_VIEW_STATE);
}
