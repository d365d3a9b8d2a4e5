/*
 * site_int.h (internal to the static site: site.c, site_page.c,
 * site_case.c, site_svg.c) - the page model.
 *
 * A page is built from one JSON view (docs/VIEWS.md) into an lg_html
 * buffer. Every record shown is an <article class="rec"> carrying what the
 * browser check needs (data-record-id, data-index, data-author, data-time,
 * data-leaf-hash); the page ends with the keys of the authors it shows, so
 * site.js can check every signature against the key registered in the
 * ledger without any other source (docs/SITE.md).
 */
#ifndef LG_SITE_INT_H
#define LG_SITE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attrledger/export.h"
#include "export/site_html.h"
#include "views/views.h"

/* Longest field shown on screen; the rest is in the record's raw JSON. */
#define LG_SITE_FIELD_CAP 2000
/* Longest name shown in a heading, a link or the graph. */
#define LG_SITE_NAME_CAP 200

/* The whole export: shared by every page. */
typedef struct {
    lg_view_reader *r;
    const char *vkey;   /* log verifier key string */
    const char *origin; /* the log's origin (key name) */
    json_t *pages;      /* "kind/arg" -> relative path of every page written */
    json_t *keys;       /* participant id -> [{key_id, public_key, added_at}] */
    json_t *names;      /* participant id -> name */
} lg_site;

/* One page being written. */
typedef struct {
    lg_site *s;
    lg_html h;
    const char *root; /* "" for the index, "../" for the others */
    json_t *authors;  /* participant ids whose keys the page must carry */
} lg_page;

/* ---- site_page.c: the frame and the pieces every page uses ---- */

void lg_page_begin(lg_page *p, lg_site *s, const char *root, const char *title);
/* Footer, key table and closing tags; hands the page to *out. */
int lg_page_end(ledger_buf *out, lg_page *p);
/* Relative path (from the site root) of a page: "incident/<slug>.html". */
int lg_site_page_path(char *out, size_t cap, const char *kind, const char *arg);
/* Link to the page of kind/arg when the site has one, else plain text. */
void lg_page_link(lg_page *p, const char *kind, const char *arg, const char *text,
                  int signed_value);
/* <article> of one record item (index, integrated_time, record_id, author,
 * status); heading level for its title. */
void lg_page_record_open(lg_page *p, const json_t *item, const char *what);
void lg_page_record_close(lg_page *p);
/* A <dt>/<dd> pair with untrusted text that is a string of the record as
 * signed (checked by site.js). */
void lg_page_field(lg_page *p, const char *label, const char *value);
/* The same for text the view derived (a timestamp, a count): escaped, not
 * checked against the signed bytes. */
void lg_page_field_derived(lg_page *p, const char *label, const char *value);
/* Like lg_page_field for an enum value, shown without its type prefix. */
void lg_page_enum(lg_page *p, const char *label, const char *value, const char *prefix);
/* An enum value in words ("ATTRIBUTION_LEVEL_TECHNICAL" -> "technical"). */
void lg_page_enum_text(lg_page *p, const char *value, const char *prefix);
/* The claimant's confidence words with the STIX number beside them. */
void lg_page_confidence(lg_page *p, const json_t *conf);

/* ---- site_case.c: the pages ---- */

int lg_site_incident_page(ledger_buf *out, lg_site *s, const json_t *v);
int lg_site_actor_page(ledger_buf *out, lg_site *s, const json_t *v);
int lg_site_participant_page(ledger_buf *out, lg_site *s, const json_t *v, const char *id);
int lg_site_finding_page(ledger_buf *out, lg_site *s, const json_t *v);
/* incidents: [{record_id, name, first_seen, latest_index}] sorted by date. */
int lg_site_index_page(ledger_buf *out, lg_site *s, const json_t *incidents, const json_t *stats,
                       const char *checkpoint);

/* ---- site_svg.c ---- */

/* The incident's attribution graph as inline SVG with a text alternative. */
void lg_site_graph(lg_page *p, const json_t *incident_view);

/* ---- site_assets.c (generated at build time from ledger/site/) ---- */

typedef struct {
    const char *path; /* relative to the site root */
    const unsigned char *data;
    size_t len;
} lg_site_asset;

extern const lg_site_asset lg_site_assets[];
extern const size_t lg_site_asset_count;

#endif
