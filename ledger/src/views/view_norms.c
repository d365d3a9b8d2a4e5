/*
 * view_norms.c - the norms register views (docs/VIEWS.md "Norms"):
 *
 *   norms        every instrument with its norms, and per norm how many
 *                incidents live claims cite it for and how many published
 *                findings conclude BREACHED;
 *   norm ID      one norm: its instrument, who committed to it (directly or
 *                to the whole instrument) and when, every live claim citing
 *                it (explicit or mapped) with the denials and disputes of
 *                that claim, and the body's conclusions;
 *   state ACTOR  a state's norms record card: its commitments beside the
 *                claims that it breached a norm and the body's conclusions.
 *
 * All three are built from one pass over the entries (collect()), keeping
 * the latest version of every chain; retracted records stay with their
 * status, so a reader sees what was withdrawn.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "base/error.h"
#include "codec/codec.h"
#include "codec/json.h"
#include "views/views_int.h"

typedef struct {
    json_t *instruments, *norms, *commitments, *claims, *findings, *opinions;
} nset;

static void
nset_free(nset *s)
{
    json_decref(s->instruments);
    json_decref(s->norms);
    json_decref(s->commitments);
    json_decref(s->claims);
    json_decref(s->findings);
    json_decref(s->opinions);
}

static const char *
jstr(const json_t *o, const char *k)
{
    return lg_view_jstr(o, k);
}

/* The chain root (first record_id) of reference `rid`; rid itself when it
 * is not in the ledger. */
static void
root_of(vctx *c, const char *rid, char *out, size_t cap)
{
    lg_record_row row;

    if (lg_view_chain_root(c, rid, &row, out, cap) < 0)
        snprintf(out, cap, "%s", rid);
}

/* item = base + the named body fields copied. */
static int
item_with(json_t **out, vctx *c, const ventry *e, const char *const *fields)
{
    json_t *b = lg_view_body(e);
    int rc = lg_view_item_base(out, c, e);

    for (size_t i = 0; rc == 0 && fields[i] != NULL; i++)
        rc = lg_view_set_copy(*out, fields[i], json_object_get(b, fields[i]));
    return rc;
}

/* For the text form only: the dates of src (its claimed_at, its record's
 * created) on the item built from it; the JSON stays as it was. */
static json_t *
with_dates(vctx *c, json_t *item, const json_t *src)
{
    if (item == NULL || !c->text)
        return item;
    if (lg_view_set_copy(item, "created", json_object_get(src, "created")) < 0 ||
        lg_view_set_copy(item, "claimed_at", json_object_get(src, "claimed_at")) < 0) {
        json_decref(item);
        return NULL;
    }
    return item;
}

static int
append(json_t *arr, json_t *o, int rc)
{
    if (o != NULL && json_array_append_new(arr, o) != 0 && rc == 0)
        rc = lg_error_nomem();
    return rc;
}

/* Normalise every "norm_ref" in arr[*] to its chain root. */
static int
root_refs(vctx *c, json_t *arr)
{
    size_t i;
    json_t *x;
    char root[LEDGER_ID_MAX + 1];

    json_array_foreach(arr, i, x)
    {
        const char *r = jstr(x, "norm_ref");
        if (*r == '\0')
            continue;
        root_of(c, r, root, sizeof root);
        if (json_object_set_new(x, "norm_ref", json_string(root)) != 0)
            return lg_error_nomem();
    }
    return 0;
}

static int
collect_one(nset *s, vctx *c, const ventry *e)
{
    static const char *const ins_f[] = {
        "instrument_id",   "title",       "kind",      "parties_type",        "date", "binding",
        "document_symbol", "description", "reaffirms", "external_references", NULL};
    static const char *const norm_f[] = {
        "norm_id", "instrument_ref", "instrument_name", "paragraph",           "statement",
        "adopted", "reaffirms",      "superseded_by",   "external_references", NULL};
    static const char *const com_f[] = {
        "party", "declared_by", "instrument_ref",      "norm_ref", "kind",
        "date",  "statement",   "external_references", NULL};
    static const char *const clm_f[] = {"claimant",       "claimed_at",  "incident_refs",
                                        "attributed_to",  "state_nexus", "statement",
                                        "norms_breached", NULL};
    static const char *const op_f[] = {"target_refs",      "kind",        "stance",
                                       "is_accused_party", "explanation", NULL};
    json_t *b = lg_view_body(e), *o = NULL;
    lg_record_row row;
    int rc;

    if ((rc = lg_view_row(c, jstr(json_object_get(e->json, "header"), "record_id"), &row)) < 0)
        return rc;
    if (row.superseded_by != 0)
        return 0; /* only the latest version of each chain */
    switch (e->type) {
    case LG_REC_INSTRUMENT:
        rc = item_with(&o, c, e, ins_f);
        return append(s->instruments, o, rc);
    case LG_REC_NORM:
        rc = item_with(&o, c, e, norm_f);
        return append(s->norms, o, rc);
    case LG_REC_COMMITMENT:
        rc = item_with(&o, c, e, com_f);
        if (rc == 0 && *jstr(b, "norm_ref") != '\0') {
            char root[LEDGER_ID_MAX + 1];
            root_of(c, jstr(b, "norm_ref"), root, sizeof root);
            rc = lg_view_set(o, "norm_ref", json_string(root));
        }
        if (rc == 0)
            rc = lg_view_set_copy(
                o, "provenance", json_object_get(json_object_get(e->json, "header"), "provenance"));
        return append(s->commitments, o, rc);
    case LG_REC_ATTRIBUTION_CLAIM:
        if (json_array_size(json_object_get(b, "norms_breached")) == 0)
            return 0;
        rc = item_with(&o, c, e, clm_f);
        if (rc == 0)
            rc = root_refs(c, json_object_get(o, "norms_breached"));
        return append(s->claims, o, rc);
    case LG_REC_FINDING:
        if (json_array_size(json_object_get(b, "norm_conclusions")) == 0)
            return 0;
        rc = lg_view_finding_item(&o, c, e);
        if (rc == 0)
            rc = lg_view_set_copy(o, "incident_refs", json_object_get(b, "incident_refs"));
        if (rc == 0)
            rc = root_refs(c, json_object_get(o, "norm_conclusions"));
        return append(s->findings, o, rc);
    case LG_REC_OPINION:
        rc = item_with(&o, c, e, op_f);
        return append(s->opinions, o, rc);
    default:
        break;
    }
    return 0;
}

/* Does the register need a damaged entry (collect_one)? Every instrument,
 * norm, commitment and opinion, a claim or finding that refers to a norm,
 * and an entry of unknown type. */
static int
norms_need(const lg_damage *d)
{
    switch (d->type) {
    case LG_REC_ATTRIBUTION_CLAIM:
    case LG_REC_FINDING:
        return lg_damage_targets_type(d, LG_REC_NORM) ||
               lg_damage_targets_type(d, LG_REC_INSTRUMENT);
    case LG_REC_ACTOR:
    case LG_REC_INCIDENT_REPORT:
    case LG_REC_EVIDENCE:
    case LG_REC_RETRACTION:
    case LG_REC_PANEL_VOTE:
    case LG_REC_PARTICIPANT:
    case LG_REC_KEY_REVOCATION:
    case LG_REC_LEDGER_POLICY:
        return 0;
    default:
        return 1;
    }
}

static int
collect(nset *s, vctx *c)
{
    int rc = 0;

    memset(s, 0, sizeof *s);
    s->instruments = json_array();
    s->norms = json_array();
    s->commitments = json_array();
    s->claims = json_array();
    s->findings = json_array();
    s->opinions = json_array();
    if (!s->instruments || !s->norms || !s->commitments || !s->claims || !s->findings ||
        !s->opinions)
        return lg_error_nomem();
    for (uint64_t i = 1; i < c->size && rc == 0; i++) {
        ventry e;
        if ((rc = lg_view_load(c, i, &e)) == LEDGER_ECORRUPT &&
            (rc = lg_view_pass_damaged(c, i, norms_need, NULL)) == 0)
            continue;
        if (rc < 0)
            return rc;
        rc = collect_one(s, c, &e);
        lg_view_entry_free(&e);
    }
    return rc;
}

static int
live(const json_t *item)
{
    return strcmp(jstr(item, "status"), "ACTIVE") == 0;
}

/* The member of array o[field] whose norm_ref is `key` (a claim's breach
 * entry in "norms_breached", a finding's conclusion in
 * "norm_conclusions"), or NULL. */
static json_t *
on_norm(const json_t *o, const char *field, const char *key)
{
    size_t i;
    json_t *x;

    json_array_foreach(json_object_get(o, field), i, x)
    {
        if (strcmp(jstr(x, "norm_ref"), key) == 0)
            return x;
    }
    return NULL;
}

/* Add each incident of item's incident_refs to the string set `set`. */
static int
add_incidents(json_t *set, const json_t *item)
{
    size_t i;
    json_t *x;

    json_array_foreach(json_object_get(item, "incident_refs"), i,
                       x) if (json_object_set(set, json_string_value(x), json_true()) !=
                              0) return lg_error_nomem();
    return 0;
}

/* Incidents claimed (live claims) and found (published findings, BREACHED). */
static int
norm_counts(const nset *s, const char *key, size_t *claimed, size_t *found)
{
    json_t *a = json_object(), *b = json_object(), *x;
    size_t i;
    int rc = 0;

    if (a == NULL || b == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    json_array_foreach(s->claims, i, x)
    {
        if (live(x) && on_norm(x, "norms_breached", key) && (rc = add_incidents(a, x)) < 0)
            goto done;
    }
    json_array_foreach(s->findings, i, x)
    {
        json_t *nc = on_norm(x, "norm_conclusions", key);
        if (nc != NULL && live(x) && json_is_true(json_object_get(x, "published")) &&
            strcmp(jstr(nc, "verdict"), "NORM_VERDICT_BREACHED") == 0 &&
            (rc = add_incidents(b, x)) < 0)
            goto done;
    }
    *claimed = json_object_size(a);
    *found = json_object_size(b);
done:
    json_decref(a);
    json_decref(b);
    return rc;
}

/* ---- attrledger norms ---- */

int
lg_view_norms_json(json_t **out, vctx *c)
{
    json_t *o = json_object(), *arr = json_array(), *ins, *n;
    nset s;
    size_t i, j;
    int rc;

    *out = o;
    if (o == NULL || arr == NULL) {
        json_decref(arr);
        return lg_error_nomem();
    }
    if ((rc = lg_view_set(o, "instruments", arr)) < 0)
        return rc;
    if ((rc = collect(&s, c)) < 0)
        goto done;
    json_array_foreach(s.instruments, i, ins)
    {
        json_t *it = json_deep_copy(ins), *norms = json_array();
        const char *iid = jstr(ins, "record_id");
        char root[LEDGER_ID_MAX + 1];

        root_of(c, iid, root, sizeof root);
        if (it == NULL || norms == NULL || json_array_append_new(arr, it) != 0 ||
            (rc = lg_view_set(it, "norms", norms)) < 0) {
            json_decref(norms);
            rc = rc < 0 ? rc : lg_error_nomem();
            goto done;
        }
        json_array_foreach(s.norms, j, n)
        {
            char nroot[LEDGER_ID_MAX + 1];
            size_t claimed, found;
            json_t *no;

            root_of(c, jstr(n, "instrument_ref"), nroot, sizeof nroot);
            if (strcmp(nroot, root) != 0)
                continue;
            root_of(c, jstr(n, "record_id"), nroot, sizeof nroot);
            if ((rc = norm_counts(&s, nroot, &claimed, &found)) < 0)
                goto done;
            no = json_pack("{s:s,s:I,s:s,s:s,s:s,s:I,s:I}", "norm_id", nroot, "index",
                           json_integer_value(json_object_get(n, "index")), "status",
                           jstr(n, "status"), "paragraph", jstr(n, "paragraph"), "statement",
                           jstr(n, "statement"), "incidents_claimed", (json_int_t)claimed,
                           "incidents_found_breached", (json_int_t)found);
            if (no == NULL || json_array_append_new(norms, no) != 0) {
                rc = lg_error_nomem();
                goto done;
            }
        }
    }
done:
    nset_free(&s);
    return rc;
}

/* ---- attrledger norm ID ---- */

/* Opinions (denials, disputes, endorsements) whose target is claim `cl`. */
static int
opinions_on(json_t **out, vctx *c, const nset *s, const json_t *cl)
{
    char want[LEDGER_ID_MAX + 1], root[LEDGER_ID_MAX + 1];
    size_t i, j;
    json_t *op, *t;

    *out = json_array();
    if (*out == NULL)
        return lg_error_nomem();
    root_of(c, jstr(cl, "record_id"), want, sizeof want);
    json_array_foreach(s->opinions, i, op)
        json_array_foreach(json_object_get(op, "target_refs"), j, t)
    {
        root_of(c, json_string_value(t), root, sizeof root);
        if (strcmp(root, want) == 0) {
            json_t *x =
                json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:s}", "index",
                          json_integer_value(json_object_get(op, "index")), "record_id",
                          jstr(op, "record_id"), "author", jstr(op, "author"), "kind",
                          jstr(op, "kind"), "stance", jstr(op, "stance"), "is_accused_party",
                          json_is_true(json_object_get(op, "is_accused_party")), "status",
                          jstr(op, "status"));
            x = with_dates(c, x, op);
            if (x == NULL || json_array_append_new(*out, x) != 0)
                return lg_error_nomem();
            break;
        }
    }
    return 0;
}

/* The norm item of `id` (record_id of any version, or norm_id). */
static const json_t *
find_norm(vctx *c, const nset *s, const char *id, char *key, size_t cap)
{
    size_t i;
    json_t *n;

    root_of(c, id, key, cap);
    json_array_foreach(s->norms, i, n)
    {
        char r[LEDGER_ID_MAX + 1];
        root_of(c, jstr(n, "record_id"), r, sizeof r);
        if (strcmp(r, key) == 0)
            return n;
    }
    return NULL;
}

/* Does instrument `ins_root` list norm `key` in its reaffirms? */
static int
reaffirms(vctx *c, const nset *s, const char *ins_root, const char *key)
{
    size_t i, j;
    json_t *ins, *r;

    json_array_foreach(s->instruments, i, ins)
    {
        char ir[LEDGER_ID_MAX + 1];
        root_of(c, jstr(ins, "record_id"), ir, sizeof ir);
        if (strcmp(ir, ins_root) != 0)
            continue;
        json_array_foreach(json_object_get(ins, "reaffirms"), j, r)
        {
            char nr[LEDGER_ID_MAX + 1];
            root_of(c, json_string_value(r), nr, sizeof nr);
            if (strcmp(nr, key) == 0)
                return 1;
        }
    }
    return 0;
}

/* Commitments that bind `party` (NULL: anyone) to norm `key` of
 * instrument `ins_root`: to the norm itself, to the whole instrument, or to
 * a later instrument that reaffirms the norm ("via" says which). */
static int
commitments_to(json_t *arr, vctx *c, const nset *s, const char *key, const char *ins_root,
               const char *party)
{
    size_t i;
    json_t *cm;

    json_array_foreach(s->commitments, i, cm)
    {
        char r[LEDGER_ID_MAX + 1] = "";
        const char *via = NULL;

        if (party != NULL && strcmp(jstr(cm, "party"), party) != 0)
            continue;
        if (*jstr(cm, "norm_ref") != '\0' && strcmp(jstr(cm, "norm_ref"), key) == 0)
            via = "norm";
        else if (*jstr(cm, "instrument_ref") != '\0') {
            root_of(c, jstr(cm, "instrument_ref"), r, sizeof r);
            if (strcmp(r, ins_root) == 0)
                via = "instrument";
            else if (reaffirms(c, s, r, key))
                via = "reaffirming_instrument";
        }
        if (via == NULL)
            continue;
        json_t *x = json_deep_copy(cm);
        if (x == NULL || json_array_append_new(arr, x) != 0 ||
            json_object_set_new(x, "via", json_string(via)) != 0)
            return lg_error_nomem();
    }
    return 0;
}

int
lg_view_norm_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *coms = json_array(), *claims = json_array(), *concl = json_array(),
           *x;
    char key[LEDGER_ID_MAX + 1], ins_root[LEDGER_ID_MAX + 1];
    const json_t *n;
    nset s;
    size_t i, claimed = 0, found = 0;
    int rc;

    *out = o;
    if (o == NULL || coms == NULL || claims == NULL || concl == NULL) {
        json_decref(coms);
        json_decref(claims);
        json_decref(concl);
        return lg_error_nomem();
    }
    if ((rc = collect(&s, c)) < 0)
        goto fail;
    if ((n = find_norm(c, &s, id, key, sizeof key)) == NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "no norm %.100s", id);
        goto fail;
    }
    root_of(c, jstr(n, "instrument_ref"), ins_root, sizeof ins_root);
    if ((rc = lg_view_set_copy(o, "norm", (json_t *)n)) < 0 ||
        (rc = lg_view_set(json_object_get(o, "norm"), "norm_id", json_string(key))) < 0)
        goto fail;
    {
        /* Later texts that restate it, and its instrument's title. */
        json_t *re = json_array(), *ins;
        size_t j;
        json_t *r;
        if (re == NULL || (rc = lg_view_set(o, "reaffirmed_in", re)) < 0) {
            rc = rc < 0 ? rc : lg_error_nomem();
            goto fail;
        }
        json_array_foreach(s.instruments, i, ins)
        {
            char ir[LEDGER_ID_MAX + 1];
            root_of(c, jstr(ins, "record_id"), ir, sizeof ir);
            if (strcmp(ir, ins_root) == 0 &&
                (rc = lg_view_set(o, "instrument",
                                  json_pack("{s:s,s:s,s:s}", "instrument_id", ir, "title",
                                            jstr(ins, "title"), "kind", jstr(ins, "kind")))) < 0)
                goto fail;
            json_array_foreach(json_object_get(ins, "reaffirms"), j, r)
            {
                char nr[LEDGER_ID_MAX + 1];
                root_of(c, json_string_value(r), nr, sizeof nr);
                if (strcmp(nr, key) == 0 &&
                    json_array_append_new(re, json_pack("{s:s,s:s}", "instrument_id", ir, "title",
                                                        jstr(ins, "title"))) != 0) {
                    rc = lg_error_nomem();
                    goto fail;
                }
            }
        }
    }
    if ((rc = commitments_to(coms, c, &s, key, ins_root, NULL)) < 0)
        goto fail;
    json_array_foreach(s.claims, i, x)
    {
        json_t *nb = on_norm(x, "norms_breached", key), *ops = NULL, *item;
        if (nb == NULL)
            continue;
        if ((rc = opinions_on(&ops, c, &s, x)) < 0) {
            json_decref(ops);
            goto fail;
        }
        json_t *incs = json_object_get(x, "incident_refs");
        item =
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:o}", "index",
                      json_integer_value(json_object_get(x, "index")), "record_id",
                      jstr(x, "record_id"), "author", jstr(x, "author"), "claimant",
                      jstr(x, "claimant"), "incident_refs", incs ? json_incref(incs) : json_array(),
                      "attributed_to", jstr(x, "attributed_to"), "link", jstr(nb, "link"), "basis",
                      jstr(nb, "basis"), "status", jstr(x, "status"), "opinions", ops);
        item = with_dates(c, item, x);
        if (item == NULL || json_array_append_new(claims, item) != 0) {
            rc = lg_error_nomem();
            goto fail;
        }
    }
    json_array_foreach(s.findings, i, x)
    {
        json_t *nc = on_norm(x, "norm_conclusions", key), *item;
        if (nc == NULL)
            continue;
        json_t *incs = json_object_get(x, "incident_refs");
        item =
            json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:b,s:s}", "index",
                      json_integer_value(json_object_get(x, "index")), "record_id",
                      jstr(x, "record_id"), "case_number", jstr(x, "case_number"), "incident_refs",
                      incs ? json_incref(incs) : json_array(), "verdict", jstr(nc, "verdict"),
                      "reasoning", jstr(nc, "reasoning"), "published",
                      json_is_true(json_object_get(x, "published")), "status", jstr(x, "status"));
        item = with_dates(c, item, x);
        if (item == NULL || json_array_append_new(concl, item) != 0) {
            rc = lg_error_nomem();
            goto fail;
        }
    }
    if ((rc = norm_counts(&s, key, &claimed, &found)) < 0)
        goto fail;
    rc = lg_view_set(o, "commitments", coms);
    coms = NULL;
    if (rc == 0)
        rc = lg_view_set(o, "claims", claims);
    claims = NULL;
    if (rc == 0)
        rc = lg_view_set(o, "conclusions", concl);
    concl = NULL;
    if (rc == 0)
        rc = lg_view_set(o, "counts",
                         json_pack("{s:I,s:I}", "incidents_claimed", (json_int_t)claimed,
                                   "incidents_found_breached", (json_int_t)found));
fail:
    json_decref(coms);
    json_decref(claims);
    json_decref(concl);
    nset_free(&s);
    return rc;
}

/* ---- attrledger state ACTOR ---- */

/* Is record `rid` among the actor view's attributions? */
static int
attributed(const json_t *actor, const char *rid)
{
    size_t i;
    json_t *a;

    json_array_foreach(json_object_get(actor, "attributions"), i,
                       a) if (strcmp(jstr(a, "record_id"), rid) == 0) return 1;
    return 0;
}

/* The instrument root of norm `key`. */
static void
instrument_of(vctx *c, const nset *s, const char *key, char *out, size_t cap)
{
    char k[LEDGER_ID_MAX + 1];
    const json_t *n = find_norm(c, s, key, k, sizeof k);

    out[0] = '\0';
    if (n != NULL)
        root_of(c, jstr(n, "instrument_ref"), out, cap);
}

/* Norms of claim or finding `x` (norms_breached or norm_conclusions), each
 * with whether `party` had a live commitment to it (or its instrument). */
static int
norms_with_commitment(json_t **out, vctx *c, const nset *s, const json_t *x, const char *field,
                      const char *party)
{
    size_t i;
    json_t *nb;

    *out = json_array();
    if (*out == NULL)
        return lg_error_nomem();
    json_array_foreach(json_object_get(x, field), i, nb)
    {
        char ins[LEDGER_ID_MAX + 1];
        json_t *coms = json_array(), *cm, *item;
        size_t j;
        int committed = 0, rc;

        if (coms == NULL)
            return lg_error_nomem();
        instrument_of(c, s, jstr(nb, "norm_ref"), ins, sizeof ins);
        rc = commitments_to(coms, c, s, jstr(nb, "norm_ref"), ins, party);
        json_t *by = json_array();
        json_array_foreach(coms, j, cm)
        {
            if (!live(cm) || strcmp(jstr(cm, "kind"), "COMMITMENT_KIND_WITHDREW") == 0)
                continue;
            committed = 1;
            if (by == NULL ||
                json_array_append_new(
                    by,
                    json_pack("{s:I,s:s,s:s,s:s,s:O*}", "index",
                              json_integer_value(json_object_get(cm, "index")), "record_id",
                              jstr(cm, "record_id"), "instrument_ref", jstr(cm, "instrument_ref"),
                              "via", jstr(cm, "via"), "date", json_object_get(cm, "date"))) != 0)
                rc = rc < 0 ? rc : lg_error_nomem();
        }
        json_decref(coms);
        if (rc < 0) {
            json_decref(by);
            return rc;
        }
        item = json_deep_copy(nb);
        if (item == NULL || json_array_append_new(*out, item) != 0 ||
            json_object_set_new(item, "instrument_id", json_string(ins)) != 0 ||
            json_object_set_new(item, "party_committed", json_boolean(committed)) != 0 ||
            json_object_set_new(item, "commitments", by ? by : json_array()) != 0)
            return lg_error_nomem();
    }
    return 0;
}

/* The claims (field "norms_breached") or findings ("norm_conclusions") of
 * `src` that attribute an incident to `actor`, as card items: index,
 * record_id, claimant or case_number, incident_refs, (published,) status
 * and the norms with the party's commitments. */
static int
card_items(json_t *arr, vctx *c, const nset *s, const json_t *actor, const json_t *src,
           const char *field, const char *party)
{
    int finding = strcmp(field, "norm_conclusions") == 0;
    size_t i;
    json_t *x;

    json_array_foreach(src, i, x)
    {
        json_t *norms = NULL, *item, *incs = json_object_get(x, "incident_refs");
        int rc;

        if (!attributed(actor, jstr(x, "record_id")))
            continue;
        if ((rc = norms_with_commitment(&norms, c, s, x, field, party)) < 0) {
            json_decref(norms);
            return rc;
        }
        item =
            json_pack("{s:I,s:s,s:s,s:o}", "index", json_integer_value(json_object_get(x, "index")),
                      "record_id", jstr(x, "record_id"), finding ? "case_number" : "claimant",
                      jstr(x, finding ? "case_number" : "claimant"), "incident_refs",
                      incs ? json_incref(incs) : json_array());
        item = with_dates(c, item, x);
        if (item == NULL || json_array_append_new(arr, item) != 0 ||
            (finding && json_object_set_new(
                            item, "published",
                            json_boolean(json_is_true(json_object_get(x, "published")))) != 0) ||
            json_object_set_new(item, "status", json_string(jstr(x, "status"))) != 0 ||
            json_object_set_new(item, "norms", norms) != 0)
            return lg_error_nomem();
    }
    return 0;
}

int
lg_view_state_json(json_t **out, vctx *c, const char *id)
{
    json_t *o = json_object(), *actor = NULL, *coms = json_array(), *claims = json_array(),
           *finds = json_array(), *x;
    const char *party;
    nset s;
    size_t i;
    int rc;

    memset(&s, 0, sizeof s);
    *out = o;
    if (o == NULL || coms == NULL || claims == NULL || finds == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    if ((rc = lg_view_actor_json(&actor, c, id)) < 0)
        goto done;
    party = jstr(actor, "record_id");
    const json_t *self = json_array_get(json_object_get(actor, "chain"), 0);
    if ((rc = lg_view_set(o, "actor",
                          json_pack("{s:s,s:s,s:s}", "record_id", party, "name", jstr(self, "name"),
                                    "actor_kind", jstr(self, "actor_kind")))) < 0 ||
        (rc = collect(&s, c)) < 0)
        goto done;
    json_array_foreach(s.commitments, i, x)
    {
        if (strcmp(jstr(x, "party"), party) != 0)
            continue;
        if (json_array_append(coms, x) != 0) {
            rc = lg_error_nomem();
            goto done;
        }
    }
    if ((rc = card_items(claims, c, &s, actor, s.claims, "norms_breached", party)) < 0 ||
        (rc = card_items(finds, c, &s, actor, s.findings, "norm_conclusions", party)) < 0)
        goto done;
    rc = lg_view_set(o, "commitments", coms);
    coms = NULL;
    if (rc == 0)
        rc = lg_view_set(o, "claims", claims);
    claims = NULL;
    if (rc == 0)
        rc = lg_view_set(o, "findings", finds);
    finds = NULL;
done:
    json_decref(actor);
    json_decref(coms);
    json_decref(claims);
    json_decref(finds);
    nset_free(&s);
    return rc;
}
