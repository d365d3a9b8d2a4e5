/*
 * select.c - the selection rules of exports (see select.h).
 *
 * References are read from the record's proto3 JSON form (codec.c's
 * lg_record_to_json), never from generated structs, along a fixed table
 * of field paths per record type ("finding.conclusions[].attributed_to").
 * A path names only fields of the schema, so a record cannot make us walk
 * anything but its own bounded JSON (lg_record_to_json output of a record
 * of at most 65,535 bytes).
 */
#include "select.h"

#include <string.h>

#include "alloc.h"
#include "error.h"

/* Field paths, relative to the body object ("[]" walks an array): the
 * primary references (what the record is about: incident_refs, targets,
 * the finding voted on) first, then the others. */
typedef struct {
    lg_record_type type;
    const char *body;
    const char *primary[4];
    const char *refs[14];
} ref_paths;

static const ref_paths paths[] = {
    {LG_REC_ACTOR, "actor", {NULL}, {"parent_actor", "related_actors[]", NULL}},
    {LG_REC_INCIDENT_REPORT,
     "incident_report",
     {NULL},
     {"campaign_ref", "evidence_refs[]", "victims[].identity_ref", NULL}},
    {LG_REC_EVIDENCE,
     "evidence",
     {"incident_refs[]", NULL},
     {"hypothesis_relevance[].actor_ref", NULL}},
    {LG_REC_ATTRIBUTION_CLAIM,
     "attribution_claim",
     {"incident_refs[]", NULL},
     {"claimant", "attributed_to", "state_nexus", "host_state",
      "false_flag_claimed.impersonated_actor", "evidence_refs[]",
      "methodology.alternative_hypotheses[].actor_ref", "related_claims[].claim_ref", NULL}},
    {LG_REC_OPINION,
     "opinion",
     {"target_refs[]", NULL},
     {"alternative_attribution", "evidence_refs[]", NULL}},
    {LG_REC_RETRACTION,
     "retraction",
     {"target_ref", NULL},
     {"replacement_ref", "evidence_refs[]", NULL}},
    {LG_REC_FINDING,
     "finding",
     {"incident_refs[]", NULL},
     {"conclusions[].attributed_to", "conclusions[].via_actor",
      "false_flag_findings[].impersonated_actor", "claims_assessed[].claim_ref",
      "opinions_considered[]", "evidence_relied_upon[]", "evidence_discounted[].evidence_ref",
      "retractions_noted[]", "alternative_hypotheses[].actor_ref", "right_of_reply.responses[]",
      NULL}},
    {LG_REC_PANEL_VOTE, "panel_vote", {"finding_ref", NULL}, {NULL}},
};

/*
 * Walk `path` from v and call fn on every string found. Paths come from
 * the table above (at most three segments), so the recursion depth is
 * fixed by our code, not by the input.
 */
static int
walk(const json_t *v, const char *path, lg_ref_fn fn, void *payload, size_t *count)
{
    const char *dot = strchr(path, '.');
    size_t seg = dot ? (size_t)(dot - path) : strlen(path);
    char name[64];
    int array = 0;
    const json_t *f;
    int rc;

    if (seg >= 2 && path[seg - 2] == '[' && path[seg - 1] == ']') {
        array = 1;
        seg -= 2;
    }
    if (seg == 0 || seg >= sizeof name || !json_is_object(v))
        return 0;
    memcpy(name, path, seg);
    name[seg] = '\0';
    f = json_object_get(v, name);
    if (f == NULL)
        return 0;
    if (array) {
        size_t i;
        const json_t *item;

        if (!json_is_array(f))
            return 0;
        json_array_foreach(f, i, item)
        {
            if (dot != NULL)
                rc = walk(item, dot + 1, fn, payload, count);
            else if (json_is_string(item) && json_string_length(item) > 0) {
                (*count)++;
                rc = fn(payload, json_string_value(item));
            } else
                rc = 0;
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    if (dot != NULL)
        return walk(f, dot + 1, fn, payload, count);
    if (json_is_string(f) && json_string_length(f) > 0) {
        (*count)++;
        return fn(payload, json_string_value(f));
    }
    return 0;
}

int
lg_record_json_refs(const json_t *rec, lg_record_type type, lg_ref_fn fn, void *payload,
                    size_t *n_primary_out)
{
    const json_t *hdr = json_object_get(rec, "header");
    const json_t *sup = hdr ? json_object_get(hdr, "supersedes") : NULL;
    size_t n_primary = 0, other = 0;
    int rc;

    if (n_primary_out != NULL)
        *n_primary_out = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const json_t *body;

        if (paths[i].type != type)
            continue;
        body = json_object_get(rec, paths[i].body);
        for (size_t k = 0; paths[i].primary[k] != NULL; k++)
            if ((rc = walk(body, paths[i].primary[k], fn, payload, &n_primary)) < 0)
                return rc;
        for (size_t k = 0; paths[i].refs[k] != NULL; k++)
            if ((rc = walk(body, paths[i].refs[k], fn, payload, &other)) < 0)
                return rc;
    }
    if (json_is_string(sup) && json_string_length(sup) > 0 &&
        (rc = fn(payload, json_string_value(sup))) < 0)
        return rc;
    if (n_primary_out != NULL)
        *n_primary_out = n_primary;
    return 0;
}

void
lg_sel_init(lg_selection *s)
{
    memset(s, 0, sizeof *s);
}

static void
entry_free(lg_sel_entry *e)
{
    lg_free(e->record_id);
    lg_free(e->alias);
    lg_free(e->supersedes);
    for (size_t i = 0; i < e->n_refs; i++)
        lg_free(e->refs[i]);
    lg_free(e->refs);
}

void
lg_sel_free(lg_selection *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        entry_free(&s->v[i]);
    lg_free(s->v);
    memset(s, 0, sizeof *s);
}

static int
add_ref(void *p, const char *id)
{
    lg_sel_entry *e = p;
    char **nr, *copy;

    /* n_refs is bounded by the record's size (each ref is a distinct
     * string of the record), so this cannot grow without limit. */
    nr = lg_realloc(e->refs, (e->n_refs + 1) * sizeof *nr);
    if (nr == NULL)
        return lg_error_nomem();
    e->refs = nr;
    if ((copy = lg_strdup(id)) == NULL)
        return lg_error_nomem();
    e->refs[e->n_refs++] = copy;
    return 0;
}

static const char *
alias_of(const json_t *rec, lg_record_type type)
{
    const char *body = NULL, *field = NULL;
    const json_t *v;

    switch (type) {
    case LG_REC_ACTOR:
        body = "actor";
        field = "actor_id";
        break;
    case LG_REC_INCIDENT_REPORT:
        body = "incident_report";
        field = "incident_key";
        break;
    case LG_REC_PARTICIPANT:
        body = "participant";
        field = "participant_id";
        break;
    case LG_REC_NONE:
    case LG_REC_LEDGER_POLICY:
    case LG_REC_KEY_REVOCATION:
    case LG_REC_EVIDENCE:
    case LG_REC_ATTRIBUTION_CLAIM:
    case LG_REC_OPINION:
    case LG_REC_RETRACTION:
    case LG_REC_FINDING:
    case LG_REC_PANEL_VOTE:
    case LG_REC__COUNT:
        return NULL;
    }
    v = json_object_get(json_object_get(rec, body), field);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

int
lg_sel_add(lg_selection *s, uint64_t index, const lg_record *r, const json_t *rec_json)
{
    lg_sel_entry *e;
    const char *alias;
    int rc;

    if (s->n > 0 && s->v[s->n - 1].index >= index)
        return lg_error_set(LEDGER_EINVAL, "selection: entry %llu added out of order",
                            (unsigned long long)index);
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        lg_sel_entry *nv = lg_realloc(s->v, ncap * sizeof *nv);

        if (nv == NULL)
            return lg_error_nomem();
        s->v = nv;
        s->cap = ncap;
    }
    e = &s->v[s->n];
    memset(e, 0, sizeof *e);
    e->index = index;
    e->type = lg_record_type_of(r);
    alias = alias_of(rec_json, e->type);
    if ((e->record_id = lg_strdup(lg_record_id(r))) == NULL ||
        (e->supersedes = lg_strdup(lg_record_supersedes(r))) == NULL ||
        (alias != NULL && (e->alias = lg_strdup(alias)) == NULL)) {
        entry_free(e);
        return lg_error_nomem();
    }
    if ((rc = lg_record_json_refs(rec_json, e->type, add_ref, e, &e->n_primary)) < 0) {
        entry_free(e);
        return rc;
    }
    s->n++;
    return 0;
}

static int
set_has(const lg_map *m, const char *id)
{
    return id != NULL && lg_map_get(m, id, strlen(id)) != NULL;
}

static int
set_add(lg_map *m, const char *id)
{
    static const char one = 1;

    if (id == NULL || *id == '\0')
        return 0;
    return lg_map_put(m, id, strlen(id), &one);
}

static int
is_registry(lg_record_type t)
{
    return t == LG_REC_LEDGER_POLICY || t == LG_REC_PARTICIPANT || t == LG_REC_KEY_REVOCATION;
}

/* Does entry e touch the incident, given the set of selected ids? */
static int
touches(const lg_sel_entry *e, const lg_map *sel, const char *incident)
{
    if (set_has(sel, e->supersedes))
        return 1;
    if (e->type == LG_REC_INCIDENT_REPORT)
        return strcmp(e->record_id, incident) == 0 ||
               (e->alias != NULL && strcmp(e->alias, incident) == 0);
    for (size_t i = 0; i < e->n_primary; i++)
        if (strcmp(e->refs[i], incident) == 0 || set_has(sel, e->refs[i]))
            return 1;
    return 0;
}

int
lg_sel_compute(lg_selection *s, uint64_t since, uint64_t until, const char *incident)
{
    lg_map sel, need;
    int rc = 0;

    lg_map_init(&sel, 1);
    lg_map_init(&need, 1);
    /* Forward: the selection. References point backwards, so one pass
     * sees every target before the records that refer to it. */
    for (size_t i = 0; i < s->n; i++) {
        lg_sel_entry *e = &s->v[i];
        int in_range = e->index >= since && e->index <= until;

        e->mark = LG_SEL_NONE;
        if (in_range && (incident == NULL || touches(e, &sel, incident))) {
            e->mark = LG_SEL_SELECTED;
            if ((rc = set_add(&sel, e->record_id)) < 0 || (rc = set_add(&sel, e->alias)) < 0)
                goto done;
        } else if (is_registry(e->type)) {
            e->mark = LG_SEL_REGISTRY;
        }
    }
    /* Backward: what the selection references, transitively. */
    for (size_t i = s->n; i-- > 0;) {
        lg_sel_entry *e = &s->v[i];

        if (e->mark == LG_SEL_NONE && (set_has(&need, e->record_id) || set_has(&need, e->alias)))
            e->mark = LG_SEL_CONTEXT;
        if (e->mark == LG_SEL_SELECTED || e->mark == LG_SEL_CONTEXT) {
            for (size_t k = 0; k < e->n_refs; k++)
                if ((rc = set_add(&need, e->refs[k])) < 0)
                    goto done;
        }
    }
done:
    lg_map_free(&sel);
    lg_map_free(&need);
    return rc;
}
