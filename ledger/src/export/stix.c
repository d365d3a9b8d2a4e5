/*
 * stix.c - the ledger as a STIX 2.1 bundle (export.h, ledger_export_stix).
 *
 * Files: this one is the driver (selection, the two passes, the bundle,
 * the reference check); stix_obj.c builds objects and ids, stix_sco.c
 * cyber-observables; stix_actors.c, stix_incident.c, stix_evidence.c and
 * stix_claims.c map one record type each (stix_int.h).
 *
 * Mapping: reference/domain-model.md section 2.11, written down in
 * docs/FORMATS.md section 12. Records are read through their proto3 JSON
 * form (codec.c's lg_record_to_json), never through generated structs.
 *
 * Method. One forward pass over the selected entries (select.c: an index
 * range and optionally one incident, plus registrations and referenced
 * records), in index order, building the objects in memory; then one
 * serialisation. References always point backwards, so every object a
 * record refers to exists when the record is mapped; a reference that
 * resolves to nothing (an actor never registered, say) is left out rather
 * than dangling, so every *_ref in the bundle names an object in it.
 *
 * Determinism. Ids are UUIDv5 under the project namespace of a name made
 * from the log origin and the root record id of a version chain (or the
 * participant, actor or incident key), so every version of a record keeps
 * its STIX id, and two exports of the same ledger and selection are byte
 * for byte identical: objects come in entry order, properties in a fixed
 * order, timestamps from the records (or the ledger's integrated_time),
 * never from the clock.
 *
 * Provenance. created_by_ref is always the identity of the record's
 * author, the participant who signed it. A TRANSCRIBED claim is authored by
 * a curator: it carries the curator as creator and names the quoted
 * claimant only in our extension ("claimant"), so no organisation is ever
 * shown as the creator of an object it did not sign.
 *
 * Versions and retractions. A revision (header.supersedes) is a new
 * version of the same objects (same id, same created, later modified); a
 * retraction adds a last version of each object its target produced, with
 * "revoked": true, and a note carrying the explanation.
 */
#include <stdio.h>
#include <string.h>

#include "attrledger/export.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "base/map.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "core/ledger_int.h"
#include "crypto/crypto.h"
#include "export/export_int.h"
#include "export/select.h"
#include "export/stix_int.h"
#include "core/stored_entry.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

/* Fixed creation time of our extension definition (its version 1.0.0). */
#define EXT_CREATED "2024-01-01T00:00:00.000Z"

/* ---- the pass ---- */

typedef struct {
    stix_ctx *c;
    const lg_selection *sel;
    uint64_t size;
    lg_map findings; /* finding record id -> finding_state */
    int pass;        /* 0: count votes, 1: map */
    uint64_t mapped;
    lg_progress *prog;
} pass_ctx;

static int
new_chain(stix_ctx *c, const char *root, lg_record_type type, size_t *out)
{
    chain *ch;

    if (c->n_chains == c->cap_chains) {
        size_t ncap = c->cap_chains ? c->cap_chains * 2 : 64;
        chain *nc = lg_realloc(c->chains, ncap * sizeof *nc);
        if (nc == NULL)
            return lg_error_nomem();
        c->chains = nc;
        c->cap_chains = ncap;
    }
    ch = &c->chains[c->n_chains];
    memset(ch, 0, sizeof *ch);
    ch->type = type;
    if ((ch->root = lg_strdup(root)) == NULL || (ch->ids = json_array()) == NULL) {
        lg_free(ch->root);
        json_decref(ch->ids);
        return lg_error_nomem();
    }
    *out = c->n_chains++;
    return 0;
}

static int
count_vote(pass_ctx *p, const json_t *vote, int64_t when)
{
    const char *fref = jstr(vote, "finding_ref"), *v = jstr(vote, "vote");
    const json_t *dg = jobj(vote, "finding_digest");
    const char *dv = dg ? jstr(dg, "value") : NULL;
    finding_state *fs;
    uint8_t d[33];
    size_t dl = 0;

    if (fref == NULL || v == NULL || dv == NULL || strcmp(v, "VOTE_APPROVE") != 0)
        return 0;
    fs = lg_map_get(&p->findings, fref, strlen(fref));
    if (fs == NULL || strlen(dv) != LG_B64_LEN(32) || lg_b64_decode(d, &dl, dv, strlen(dv)) != 0 ||
        dl != 32 || memcmp(d, fs->digest, 32) != 0)
        return 0; /* a vote on another version does not count */
    fs->approvals++;
    if (!fs->published && fs->required > 0 && fs->approvals >= fs->required) {
        fs->published = 1;
        fs->published_ms = when;
    }
    return 0;
}

static int
map_entry(void *pp, const uint8_t *key, size_t klen, const uint8_t *leaf, size_t len)
{
    pass_ctx *p = pp;
    stix_ctx *c = p->c;
    lg_entry *e = NULL;
    lg_record *r = NULL;
    json_t *js = NULL;
    const char *sup, *rid, *author;
    lg_record_type type;
    uint64_t index;
    int64_t t;
    size_t cix;
    int rc;

    if (klen != 8)
        return lg_error_set(LEDGER_ECORRUPT, "entries table has a malformed key");
    index = lg_be_u64(key);
    if (index >= p->size)
        return 1;
    lg_progress_at(p->prog, index + 1);
    if (p->sel->mark[index] == LG_SEL_NONE)
        return 0;
    if ((rc = lg_stored_entry_decode(&e, &r, &js, index, leaf, len)) < 0)
        goto done;
    type = lg_record_type_of(r);
    c->hdr = jobj(js, "header");
    c->rec = js;
    c->index = index;
    lg_merkle_leaf_hash(c->leaf_hash, leaf, len);
    c->time_ms =
        lg_stix_ts_parse(&t, jstr(c->hdr, "created")) == 0 ? t : (int64_t)e->integrated_time;
    c->mod_ms = c->time_ms;

    if (p->pass == 0) {
        /* Votes and the findings they approve (digest of the exact bytes). */
        if (type == LG_REC_FINDING) {
            finding_state fs;
            const json_t *dr = jobj(jobj(js, "finding"), "decision_rule");
            const json_t *req = dr ? json_object_get(dr, "approvals_required") : NULL;

            memset(&fs, 0, sizeof fs);
            lg_sha256(fs.digest, e->record, e->record_len);
            fs.required = json_is_integer(req) ? (unsigned)json_integer_value(req) : 0;
            rc = lg_map_put(&p->findings, lg_record_id(r), strlen(lg_record_id(r)), &fs);
        } else if (type == LG_REC_PANEL_VOTE) {
            rc = count_vote(p, jobj(js, "panel_vote"), c->time_ms);
        }
        goto done;
    }

    /* The chain this version belongs to, and the author's identity. */
    rid = lg_record_id(r);
    sup = lg_record_supersedes(r);
    author = lg_record_author(r);
    if (*sup != '\0' && lg_stix_chain_of(c, sup) != NULL) {
        cix = (size_t)(lg_stix_chain_of(c, sup) - c->chains);
    } else if ((rc = new_chain(c, rid, type, &cix)) < 0) {
        goto done;
    }
    if ((rc = lg_stix_name_put(c, rid, cix)) < 0)
        goto done;
    c->cur = cix;
    c->chains[cix].entry = index;
    {
        chain *ach = lg_stix_chain_of(c, author);
        c->author_ref = ach != NULL && ach->primary != NULL && lg_stix_have(c, ach->primary)
                            ? ach->primary
                            : (c->ledger_identity[0] ? c->ledger_identity : NULL);
    }
    switch (type) {
    case LG_REC_LEDGER_POLICY:
        rc = lg_stix_map_genesis(c, jobj(js, "ledger_policy"));
        /* Admins are named by participant id: point them at this chain's
         * identities (the log identity is the primary). */
        if (rc == 0) {
            const json_t *a;
            size_t i;
            json_array_foreach(json_object_get(jobj(js, "ledger_policy"), "admins"), i, a)
            {
                size_t ax;
                char id[ID_MAX];
                const char *pid = jstr(a, "participant_id");
                if (pid == NULL)
                    continue;
                lg_stix_make_id(id, c, "identity", "participant", pid);
                if ((rc = new_chain(c, pid, LG_REC_PARTICIPANT, &ax)) < 0 ||
                    (rc = lg_stix_chain_add_id(&c->chains[ax], id)) < 0 ||
                    (rc = lg_stix_name_put(c, pid, ax)) < 0)
                    break;
            }
        }
        break;
    case LG_REC_PARTICIPANT: {
        const json_t *pj = jobj(js, "participant");
        const char *ctry = jstr(pj, "country");
        if (ctry != NULL && strlen(ctry) == 2)
            memcpy(c->chains[cix].country, ctry, 3);
        rc = lg_stix_map_participant(c, pj);
        break;
    }
    case LG_REC_ACTOR: {
        const json_t *aj = jobj(js, "actor");
        const char *ctry = jstr(aj, "country");
        if (ctry != NULL && strlen(ctry) == 2)
            memcpy(c->chains[cix].country, ctry, 3);
        rc = lg_stix_map_actor(c, aj);
        break;
    }
    case LG_REC_INCIDENT_REPORT:
        rc = lg_stix_map_incident(c, jobj(js, "incident_report"));
        break;
    case LG_REC_EVIDENCE:
        rc = lg_stix_map_evidence(c, jobj(js, "evidence"));
        break;
    case LG_REC_ATTRIBUTION_CLAIM:
        rc = lg_stix_map_claim(c, jobj(js, "attribution_claim"));
        break;
    case LG_REC_OPINION:
        rc = lg_stix_map_opinion(c, jobj(js, "opinion"));
        break;
    case LG_REC_RETRACTION:
        rc = lg_stix_map_retraction(c, jobj(js, "retraction"));
        break;
    case LG_REC_FINDING: {
        finding_state *fs = lg_map_get(&p->findings, rid, strlen(rid));
        finding_state none;
        memset(&none, 0, sizeof none);
        rc = lg_stix_map_finding(c, jobj(js, "finding"), fs ? fs : &none);
        break;
    }
    case LG_REC_KEY_REVOCATION:
    case LG_REC_CURATION:
        rc = lg_stix_map_curation(c, jobj(js, "curation"));
        break;
    case LG_REC_PANEL_VOTE: /* audit-trail only (domain-model 2.10) */
    case LG_REC_INSTRUMENT: /* no STIX type: carried by the ledger extension */
    case LG_REC_NORM:
    case LG_REC_COMMITMENT:
    case LG_REC_NONE:
    case LG_REC__COUNT:
        break;
    }
    if (rc == 0)
        p->mapped++;
done:
    if (rc < 0 && rc != LEDGER_ENOMEM && rc != LEDGER_ECORRUPT)
        rc = lg_error_prefix(rc, "stix: entry %llu", (unsigned long long)index);
    c->hdr = NULL;
    c->rec = NULL;
    json_decref(js);
    lg_record_free(r);
    lg_entry_free(e);
    return rc;
}

/* Our extension's definition and the project identity that created it:
 * fixed objects, byte for byte the same in every bundle of every ledger. */
static int
extension_definition(stix_ctx *c)
{
    json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "identity", "spec_version",
                          "2.1", "id", LG_STIX_PROJECT, "created", EXT_CREATED, "modified",
                          EXT_CREATED, "name", "Attribution Ledger", "description",
                          "The project that defines the Attribution Ledger STIX extension.",
                          "identity_class", "organization");
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s]}", "type", "extension-definition",
                  "spec_version", "2.1", "id", LG_STIX_EXTENSION, "created_by_ref", LG_STIX_PROJECT,
                  "created", EXT_CREATED, "modified", EXT_CREATED, "name",
                  "Attribution Ledger record properties", "description",
                  "Ledger properties of exported objects: entry index, RFC 6962 leaf hash "
                  "and record id that prove the object's source, provenance, the "
                  "claimant's own confidence words and scale, attribution level, channel, "
                  "and finding publication state.",
                  "schema", "https://attrledger.example/docs/FORMATS.md#12-stix-21-export",
                  "version", "1.0.0", "extension_types", "property-extension");
    size_t save = c->cur;
    int rc;

    if (p == NULL || o == NULL) {
        json_decref(p);
        json_decref(o);
        return lg_error_nomem();
    }
    c->cur = (size_t)-1;
    if ((rc = lg_stix_emit(c, p)) < 0)
        json_decref(o);
    else
        rc = lg_stix_emit(c, o);
    c->cur = save;
    return rc;
}

/* Every *_ref / *_refs value must name an object of the bundle. The
 * mapping above never makes one that does not; this is the guard. */
static int
check_refs(stix_ctx *c, const json_t *v, const char *key, int depth)
{
    size_t i, kl = key ? strlen(key) : 0;
    const char *k;
    json_t *x;
    int rc;

    if (depth > 8)
        return 0;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k,
                            x) if ((rc = check_refs(c, x, k, depth + 1)) < 0) return rc;
        return 0;
    }
    if (key == NULL)
        return 0;
    if (kl >= 5 && strcmp(key + kl - 5, "_refs") == 0 && json_is_array(v)) {
        json_array_foreach(
            v, i,
            x) if (!json_is_string(x) ||
                   !lg_stix_have(
                       c,
                       json_string_value(
                           x))) return lg_error_set(LEDGER_ERROR,
                                                    "stix: %s names an object outside the bundle",
                                                    key);
    } else if (kl >= 4 && strcmp(key + kl - 4, "_ref") == 0 && json_is_string(v) &&
               strstr(json_string_value(v), "--") != NULL) {
        if (!lg_stix_have(c, json_string_value(v)))
            return lg_error_set(LEDGER_ERROR, "stix: %s names an object outside the bundle", key);
    }
    return 0;
}

int
ledger_export_stix(ledger_export_report *out, ledger_log *log, const ledger_export_options *opts,
                   ledger_write_fn w, void *payload)
{
    ledger_export_options defaults = LEDGER_EXPORT_OPTIONS_INIT;
    ledger_export_report rep;
    lg_selection sel;
    stix_ctx c;
    pass_ctx p;
    lg_txn *t = NULL;
    ledger_buf note = LEDGER_BUF_INIT, text = LEDGER_BUF_INIT;
    json_t *bundle = NULL, *v;
    lg_note *n = NULL;
    lg_checkpoint cp;
    lg_meta m;
    char bid[ID_MAX], seed[600];
    uint64_t since, until;
    size_t i;
    int rc;

    if (log == NULL || w == NULL)
        return lg_error_set(LEDGER_EINVAL, "export: missing argument");
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != LEDGER_EXPORT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "export: unknown options version %u", opts->version);
    memset(&c, 0, sizeof c);
    c.json_failures = lg_json_alloc_failures();
    memset(&p, 0, sizeof p);
    memset(&rep, 0, sizeof rep);
    lg_sel_init(&sel);
    lg_map_init(&c.latest, sizeof(size_t));
    lg_map_init(&c.names, sizeof(size_t));
    lg_map_init(&p.findings, sizeof(finding_state));
    snprintf(c.origin, sizeof c.origin, "%s", log->origin);
    if ((c.objects = json_array()) == NULL) {
        rc = lg_error_nomem();
        goto done;
    }

    /* The snapshot: the stored checkpoint the export describes. */
    if ((rc = lg_txn_begin(&t, log->store, 0)) < 0 || (rc = lg_meta_state(t, &m)) < 0)
        goto done;
    if (opts->tree_size != 0) {
        uint8_t k[8];
        lg_u64_be(k, opts->tree_size);
        rc = lg_store_get(t, LG_DB_CHECKPOINTS, k, 8, &note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ENOTFOUND, "no checkpoint was signed at size %llu",
                              (unsigned long long)opts->tree_size);
    } else {
        rc = lg_store_last(t, LG_DB_CHECKPOINTS, NULL, &note);
        if (rc == LEDGER_ENOTFOUND)
            rc = lg_error_set(LEDGER_ECORRUPT, "ledger has no signed checkpoint");
    }
    if (rc < 0 || (rc = lg_note_parse(&n, note.data, note.len)) < 0 ||
        (rc = lg_checkpoint_parse(&cp, n->buf, n->text_len)) < 0)
        goto done;
    if (cp.size == 0 || cp.size > m.size) {
        rc = lg_error_set(LEDGER_ECORRUPT, "stored checkpoint names size %llu",
                          (unsigned long long)cp.size);
        goto done;
    }
    since = opts->since;
    until = opts->until < cp.size - 1 ? opts->until : cp.size - 1;
    if (since > until) {
        rc = lg_error_set(LEDGER_EINVAL, "selection %llu..%llu is empty", (unsigned long long)since,
                          (unsigned long long)until);
        goto done;
    }
    if (opts->incident != NULL &&
        (opts->incident[0] == '\0' || strlen(opts->incident) > LEDGER_ID_MAX)) {
        rc = lg_error_set(LEDGER_EINVAL, "incident key must be 1-%d bytes", LEDGER_ID_MAX);
        goto done;
    }

    /* Which entries: the trail's selection (with references). */
    p.size = cp.size;
    p.sel = &sel;
    p.c = &c;
    p.prog = &log->progress;
    lg_export_progress(p.prog, cp.size, 3);
    if ((rc = lg_export_select(&sel, t, cp.size, since, until, opts->incident, p.prog)) < 0)
        goto done;
    for (i = 0; i < sel.n; i++) {
        if (sel.mark[i] == LG_SEL_SELECTED)
            rep.selected++;
        else if (sel.mark[i] != LG_SEL_NONE)
            rep.context++;
    }
    if (rep.selected == 0 && opts->incident != NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no entry touches incident %s", opts->incident);
        goto done;
    }
    for (p.pass = 0; p.pass < 2; p.pass++) {
        if ((rc = lg_store_scan(t, LG_DB_ENTRIES, NULL, 0, 0, map_entry, &p)) < 0)
            goto done;
        p.prog->pass++;
    }
    lg_progress_end(p.prog);
    if (c.ledger_identity[0] == '\0') {
        rc = lg_error_set(LEDGER_ECORRUPT, "stix: genesis entry is missing");
        goto done;
    }
    /* Also any jansson allocation that failed unnoticed (json_pack() of an
     * extension's extra fields, ...). */
    if (c.nomem || lg_json_alloc_failures() != c.json_failures) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = extension_definition(&c)) < 0)
        goto done;
    json_array_foreach(c.objects, i, v) if ((rc = check_refs(&c, v, NULL, 0)) < 0) goto done;

    snprintf(seed, sizeof seed, "%llu\n%llu\n%llu\n%s", (unsigned long long)cp.size,
             (unsigned long long)since, (unsigned long long)until,
             opts->incident ? opts->incident : "");
    lg_stix_make_id(bid, &c, "bundle", "bundle", seed);
    bundle = json_pack("{s:s,s:s,s:O}", "type", "bundle", "id", bid, "objects", c.objects);
    if (bundle == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = lg_json_dump(&text, bundle, 1)) < 0)
        goto done;
    text.data[text.len] = '\n';
    rc = w(payload, text.data, text.len + 1);
    if (rc > 0)
        rc = lg_error_set(LEDGER_EIO, "output writer returned %d", rc);
    if (rc < 0)
        goto done;
    rep.tree_size = cp.size;
    rep.objects = json_array_size(c.objects);
    if (out != NULL)
        *out = rep;
done:
    ledger_buf_dispose(&text);
    json_decref(bundle);
    for (i = 0; i < c.n_chains; i++) {
        lg_free(c.chains[i].root);
        json_decref(c.chains[i].ids);
    }
    lg_free(c.chains);
    json_decref(c.objects);
    lg_map_free(&c.latest);
    lg_map_free(&c.names);
    lg_map_free(&p.findings);
    lg_sel_free(&sel);
    lg_note_free(n);
    ledger_buf_dispose(&note);
    lg_txn_abort(t);
    return rc;
}
