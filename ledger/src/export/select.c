/*
 * select.c - the selection rules of exports (see select.h).
 *
 * References are read from the record's proto3 JSON form (codec.c's
 * lg_record_to_json), never from generated structs, along a fixed table
 * of field paths per record type ("finding.conclusions[].attributed_to").
 * A path names only fields of the schema, so a record cannot make us walk
 * anything but its own bounded JSON (lg_record_to_json output of a record
 * of at most 65,535 bytes).
 *
 * The rules (is_registry, touches, the context rule) are written once, in
 * lg_sel_compute's two visit functions, over entry views from a source
 * (select.h): the export's store source and the audit's lg_sel_list run
 * the same code. Views borrow from the decoded record and its JSON; only
 * an lg_sel_list copies them.
 */
#include "export/select.h"

#include <string.h>

#include "base/alloc.h"
#include "base/bigendian.h"
#include "base/error.h"

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
      "methodology.alternative_hypotheses[].actor_ref", "related_claims[].claim_ref",
      "norms_breached[].norm_ref", NULL}},
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
      "norm_conclusions[].norm_ref", NULL}},
    {LG_REC_PANEL_VOTE, "panel_vote", {"finding_ref", NULL}, {NULL}},
    {LG_REC_CURATION, "curation", {"target_ref", NULL}, {"new_owner", NULL}},
    {LG_REC_INSTRUMENT, "instrument", {NULL}, {"reaffirms[]", NULL}},
    {LG_REC_NORM, "norm", {NULL}, {"instrument_ref", "reaffirms[]", "superseded_by", NULL}},
    {LG_REC_COMMITMENT,
     "commitment",
     {NULL},
     {"party", "declared_by", "instrument_ref", "norm_ref", NULL}},
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
    case LG_REC_INSTRUMENT:
        body = "instrument";
        field = "instrument_id";
        break;
    case LG_REC_NORM:
        body = "norm";
        field = "norm_id";
        break;
    case LG_REC_NONE:
    case LG_REC_CURATION:
    case LG_REC_COMMITMENT:
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

/* ---- views ---- */

void
lg_sel_refbuf_free(lg_sel_refbuf *b)
{
    lg_free(b->v);
    memset(b, 0, sizeof *b);
}

typedef struct {
    lg_sel_refbuf *b;
    size_t n;
} refs_ctx;

static int
push_ref(void *p, const char *id)
{
    refs_ctx *c = p;

    /* The count is bounded by the record's size (each ref is a distinct
     * string of the record), so this cannot grow without limit. */
    if (c->n == c->b->cap) {
        size_t ncap = c->b->cap ? c->b->cap * 2 : 16;
        const char **nv = lg_realloc(c->b->v, ncap * sizeof *nv);

        if (nv == NULL)
            return lg_error_nomem();
        c->b->v = nv;
        c->b->cap = ncap;
    }
    c->b->v[c->n++] = id;
    return 0;
}

int
lg_sel_view_fill(lg_sel_view *v, lg_sel_refbuf *b, uint64_t index, const lg_record *r,
                 const json_t *rec_json)
{
    refs_ctx c = {b, 0};
    int rc;

    memset(v, 0, sizeof *v);
    v->index = index;
    v->type = lg_record_type_of(r);
    v->record_id = lg_record_id(r);
    v->alias = alias_of(rec_json, v->type);
    v->supersedes = lg_record_supersedes(r);
    if ((rc = lg_record_json_refs(rec_json, v->type, push_ref, &c, &v->n_primary)) < 0)
        return rc;
    v->refs = b->v;
    v->n_refs = c.n;
    return 0;
}

/* ---- the list source (audit) ---- */

void
lg_sel_list_init(lg_sel_list *l)
{
    memset(l, 0, sizeof *l);
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
lg_sel_list_free(lg_sel_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        entry_free(&l->v[i]);
    lg_free(l->v);
    lg_sel_refbuf_free(&l->scratch);
    memset(l, 0, sizeof *l);
}

static int
entry_copy(lg_sel_entry *e, const lg_sel_view *v)
{
    memset(e, 0, sizeof *e);
    e->index = v->index;
    e->type = v->type;
    e->n_primary = v->n_primary;
    if ((e->record_id = lg_strdup(v->record_id)) == NULL ||
        (e->supersedes = lg_strdup(v->supersedes)) == NULL ||
        (v->alias != NULL && (e->alias = lg_strdup(v->alias)) == NULL) ||
        (v->n_refs > 0 && (e->refs = lg_calloc(v->n_refs, sizeof *e->refs)) == NULL))
        goto nomem;
    for (; e->n_refs < v->n_refs; e->n_refs++)
        if ((e->refs[e->n_refs] = lg_strdup(v->refs[e->n_refs])) == NULL)
            goto nomem;
    return 0;
nomem:
    entry_free(e);
    return lg_error_nomem();
}

int
lg_sel_list_add(lg_sel_list *l, uint64_t index, const lg_record *r, const json_t *rec_json)
{
    lg_sel_view v;
    int rc;

    if (l->n > 0 && l->v[l->n - 1].index >= index)
        return lg_error_set(LEDGER_EINVAL, "selection: entry %llu added out of order",
                            (unsigned long long)index);
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        lg_sel_entry *nv = lg_realloc(l->v, ncap * sizeof *nv);

        if (nv == NULL)
            return lg_error_nomem();
        l->v = nv;
        l->cap = ncap;
    }
    if ((rc = lg_sel_view_fill(&v, &l->scratch, index, r, rec_json)) < 0 ||
        (rc = entry_copy(&l->v[l->n], &v)) < 0)
        return rc;
    l->n++;
    return 0;
}

static void
entry_view(lg_sel_view *v, const lg_sel_entry *e)
{
    memset(v, 0, sizeof *v);
    v->index = e->index;
    v->type = e->type;
    v->record_id = e->record_id;
    v->alias = e->alias;
    v->supersedes = e->supersedes;
    v->refs = (const char *const *)e->refs;
    v->n_refs = e->n_refs;
    v->n_primary = e->n_primary;
}

static int
list_forward(void *p, lg_sel_visit_fn fn, void *arg)
{
    const lg_sel_list *l = p;
    lg_sel_view v;

    for (size_t i = 0; i < l->n; i++) {
        int rc;

        entry_view(&v, &l->v[i]);
        if ((rc = fn(arg, &v)) != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

static int
list_backward(void *p, size_t from, lg_sel_visit_fn fn, void *arg)
{
    const lg_sel_list *l = p;
    lg_sel_view v;

    for (size_t i = from < l->n ? from + 1 : l->n; i-- > 0;) {
        int rc;

        entry_view(&v, &l->v[i]);
        if ((rc = fn(arg, &v)) != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

void
lg_sel_list_source(lg_sel_source *out, lg_sel_list *l)
{
    memset(out, 0, sizeof *out);
    out->n = l->n;
    out->forward = list_forward;
    out->backward = list_backward;
    out->payload = l;
}

/* ---- the rules ---- */

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
touches(const lg_sel_view *e, const lg_map *sel, const char *incident)
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

typedef struct {
    lg_selection *s;
    const lg_sel_source *src;
    uint64_t since, until;
    const char *incident;
    lg_map sel;     /* incident: ids of the selected entries */
    lg_map need;    /* ids that selected or context entries reference */
    lg_map reports; /* incident: entries that are incident reports of it */
    size_t pos;     /* position of the next visit */
    size_t visits;
    int have_sel, have_none;
    size_t first_sel, last_sel, first_none; /* positions */
} compute_ctx;

/* Is entry `index` in the set m (keyed by its big-endian index)? */
static int
index_has(const lg_map *m, uint64_t index)
{
    uint8_t k[8];

    lg_u64_be(k, index);
    return lg_map_get(m, k, 8) != NULL;
}

static int
index_add(lg_map *m, uint64_t index)
{
    static const char one = 1;
    uint8_t k[8];

    lg_u64_be(k, index);
    return lg_map_put(m, k, 8, &one);
}

/* Does a type carry a key besides its record_id (alias_of)? */
static int
has_alias(lg_record_type t)
{
    return t == LG_REC_NONE || t == LG_REC_ACTOR || t == LG_REC_INCIDENT_REPORT ||
           t == LG_REC_PARTICIPANT || t == LG_REC_INSTRUMENT || t == LG_REC_NORM;
}

/* Might a damaged entry touch the incident? Its refs are unreadable; its
 * targets (index rows) stand for them, and everything else it cannot be
 * shown not to do counts as touching (select.h). */
static int
damaged_touches(const compute_ctx *c, const lg_sel_view *e)
{
    if (e->type == LG_REC_NONE || e->type == LG_REC_INCIDENT_REPORT)
        return 1;
    for (size_t i = 0; i < e->n_targets; i++) {
        uint64_t t = e->targets[i];

        if ((t < c->s->n && t < e->index && c->s->mark[t] == LG_SEL_SELECTED) ||
            index_has(&c->reports, t))
            return 1;
    }
    return 0;
}

/* Does e touch the incident: touches(), or damaged_touches(). */
static int
in_incident(const compute_ctx *c, const lg_sel_view *e)
{
    return e->damaged ? damaged_touches(c, e) : touches(e, &c->sel, c->incident);
}

/* Range: keep the references that may name an entry before `since`. */
static int
need_earlier(compute_ctx *c, const lg_sel_view *e)
{
    int rc;

    if (c->since == 0)
        return 0;
    for (size_t i = 0; i < e->n_refs; i++) {
        uint64_t at;

        if (c->src->resolve != NULL) {
            rc = c->src->resolve(c->src->payload, e->refs[i], &at);
            if (rc == 0 && at >= c->since)
                continue;
            if (rc < 0 && rc != LEDGER_ENOTFOUND)
                return rc;
        }
        if ((rc = set_add(&c->need, e->refs[i])) < 0)
            return rc;
    }
    return 0;
}

static int
mark_forward(void *arg, const lg_sel_view *e)
{
    compute_ctx *c = arg;
    size_t pos = c->pos++;
    uint8_t *m;
    int rc;

    if (pos >= c->s->n)
        return lg_error_set(LEDGER_EINVAL, "selection: source has more than %zu entries", c->s->n);
    m = &c->s->mark[pos];
    if (c->incident != NULL && !e->damaged && e->type == LG_REC_INCIDENT_REPORT &&
        (strcmp(e->record_id, c->incident) == 0 ||
         (e->alias != NULL && strcmp(e->alias, c->incident) == 0)) &&
        (rc = index_add(&c->reports, e->index)) < 0)
        return rc;
    if (e->index >= c->since && e->index <= c->until &&
        (c->incident == NULL || in_incident(c, e))) {
        *m = LG_SEL_SELECTED;
        if (!c->have_sel)
            c->first_sel = pos;
        c->have_sel = 1;
        c->last_sel = pos;
        if (c->incident == NULL)
            return need_earlier(c, e);
        if ((rc = set_add(&c->sel, e->record_id)) < 0 || (rc = set_add(&c->sel, e->alias)) < 0)
            return rc;
    } else if (is_registry(e->type) || (e->damaged && e->type == LG_REC_NONE)) {
        *m = LG_SEL_REGISTRY;
    } else {
        *m = LG_SEL_NONE;
        if (!c->have_none)
            c->first_none = pos;
        c->have_none = 1;
    }
    return 0;
}

static int
mark_backward(void *arg, const lg_sel_view *e)
{
    compute_ctx *c = arg;
    size_t pos = c->pos;
    uint8_t *m;
    int rc;

    if (c->visits++ > c->s->n || pos >= c->s->n)
        return lg_error_set(LEDGER_EINVAL, "selection: source visits too many entries");
    m = &c->s->mark[pos];
    if (*m == LG_SEL_NONE && (set_has(&c->need, e->record_id) || set_has(&c->need, e->alias) ||
                              (e->damaged && has_alias(e->type) && c->need.count > 0)))
        *m = LG_SEL_CONTEXT;
    if (*m == LG_SEL_SELECTED || *m == LG_SEL_CONTEXT) {
        for (size_t k = 0; k < e->n_refs; k++)
            if ((rc = set_add(&c->need, e->refs[k])) < 0)
                return rc;
    }
    /* Nothing below the lowest unmarked entry can become context. */
    if (pos <= c->first_none)
        return 1;
    c->pos--;
    return 0;
}

/* Is a backward pass needed, and from where? */
static int
backward_start(const compute_ctx *c, size_t *from)
{
    if (!c->have_sel || !c->have_none || c->first_none >= c->last_sel)
        return 0; /* no unmarked entry below a selected one */
    if (c->incident != NULL) {
        *from = c->last_sel;
        return 1;
    }
    /* A range is selected whole: context lies before its first entry and
     * is reached only through the references need_earlier kept. */
    *from = c->first_sel - 1;
    return c->need.count > 0;
}

int
lg_sel_compute(lg_selection *s, const lg_sel_source *src, uint64_t since, uint64_t until,
               const char *incident)
{
    compute_ctx c;
    size_t from;
    int rc;

    lg_sel_free(s);
    if ((s->mark = lg_malloc(src->n > 0 ? src->n : 1)) == NULL)
        return lg_error_nomem();
    s->n = src->n;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.src = src;
    c.since = since;
    c.until = until;
    c.incident = incident;
    lg_map_init(&c.sel, 1);
    lg_map_init(&c.need, 1);
    lg_map_init(&c.reports, 1);
    if ((rc = src->forward(src->payload, mark_forward, &c)) < 0)
        goto done;
    if (c.pos != s->n) {
        rc = lg_error_set(LEDGER_EINVAL, "selection: source has %zu entries, not %zu", c.pos, s->n);
        goto done;
    }
    if (backward_start(&c, &from)) {
        c.pos = from;
        rc = src->backward(src->payload, from, mark_backward, &c);
    }
done:
    lg_map_free(&c.sel);
    lg_map_free(&c.need);
    lg_map_free(&c.reports);
    if (rc < 0)
        lg_sel_free(s);
    return rc;
}

void
lg_sel_init(lg_selection *s)
{
    memset(s, 0, sizeof *s);
}

void
lg_sel_free(lg_selection *s)
{
    if (s == NULL)
        return;
    lg_free(s->mark);
    memset(s, 0, sizeof *s);
}
