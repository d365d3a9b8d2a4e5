/*
 * site_page.c - the frame of every site page and the pieces they share
 * (site_int.h): head with the Content-Security-Policy, landmarks, record
 * articles with the data the browser check reads, and the key table.
 *
 * Pages use relative links only ("../incident/x.html"), so the site works
 * from any sub-path, and load one style sheet and one script from
 * assets/: with `default-src 'self'` no inline script or style could run
 * even if escaping failed somewhere.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "export/site_int.h"

void
lg_page_begin(lg_page *p, lg_site *s, const char *root, const char *title)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    p->root = root;
    p->authors = json_object();
    if (p->authors == NULL)
        p->h.err = 1;
    lg_html_raw(&p->h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                       "'self'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    lg_html_text(&p->h, title, LG_SITE_NAME_CAP, 0);
    lg_html_raw(&p->h, " \xe2\x80\x94 ");
    lg_html_text(&p->h, s->origin, LG_SITE_NAME_CAP, 0);
    lg_html_rawf(
        &p->h,
        "</title>\n<link rel=\"stylesheet\" href=\"%sassets/site.css\">\n"
        "<script src=\"%sassets/site.js\" defer></script>\n</head>\n<body data-root=\"%s\" "
        "data-log-vkey=\"",
        root, root, root);
    lg_html_attr(&p->h, s->vkey);
    lg_html_rawf(&p->h,
                 "\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                 "<header class=\"site\"><nav aria-label=\"Site\"><a href=\"%sindex.html\">",
                 root);
    lg_html_text(&p->h, s->origin, LG_SITE_NAME_CAP, 0);
    lg_html_rawf(&p->h,
                 "</a> <span class=\"tag\">public attribution record</span></nav>"
                 "<p class=\"verify\"><button type=\"button\" id=\"verify\">Verify in this "
                 "browser</button> <output id=\"vsummary\" aria-live=\"polite\">Not verified "
                 "yet.</output></p></header>\n<main id=\"main\">\n");
}

static void
key_table(lg_page *p)
{
    const char *pid;
    json_t *v;

    lg_html_raw(&p->h, "<ul id=\"keys\" hidden>\n");
    json_object_foreach(p->authors, pid, v)
    {
        json_t *keys = json_object_get(p->s->keys, pid), *k;
        size_t i;

        (void)v;
        json_array_foreach(keys, i, k)
        {
            lg_html_raw(&p->h, "<li data-participant=\"");
            lg_html_attr(&p->h, pid);
            lg_html_raw(&p->h, "\" data-key-id=\"");
            lg_html_attr(&p->h, json_string_value(json_object_get(k, "key_id")));
            lg_html_raw(&p->h, "\" data-pk=\"");
            lg_html_attr(&p->h, json_string_value(json_object_get(k, "public_key")));
            lg_html_rawf(&p->h, "\" data-reg=\"%" PRId64 "\"></li>\n",
                         (int64_t)json_integer_value(json_object_get(k, "added_at")));
        }
    }
    lg_html_raw(&p->h, "</ul>\n");
}

int
lg_page_end(ledger_buf *out, lg_page *p)
{
    lg_html_raw(&p->h, "</main>\n<footer class=\"site\"><p>Every record on this page can be "
                       "checked by your browser against the log key below, with nothing but "
                       "this site's own files. Compare the key with one obtained elsewhere.</p>"
                       "<p>Log key: <code class=\"vkey\">");
    lg_html_text(&p->h, p->s->vkey, LG_SITE_FIELD_CAP, 0);
    lg_html_rawf(&p->h,
                 "</code></p><p><a href=\"%scheckpoint\">checkpoint</a> \xc2\xb7 <a "
                 "href=\"%sindex.html\">all incidents</a></p>\n",
                 p->root, p->root);
    key_table(p);
    lg_html_raw(&p->h, "</footer>\n</body>\n</html>\n");
    json_decref(p->authors);
    p->authors = NULL;
    return lg_html_finish(out, &p->h);
}

/* File-name-safe and injective: [A-Za-z0-9._-] stay (no leading dot),
 * every other byte is ~XX. Record ids are at most LEDGER_ID_MAX bytes, so
 * a path fits in a few hundred bytes. */
int
lg_site_page_path(char *out, size_t cap, const char *kind, const char *arg)
{
    size_t n = (size_t)snprintf(out, cap, "%s/", kind);

    if (n >= cap)
        return lg_error_set(LEDGER_EINVAL, "page path too long");
    for (const unsigned char *c = (const unsigned char *)arg; *c; c++) {
        int plain =
            isalnum(*c) || *c == '-' || *c == '_' || (*c == '.' && c != (const unsigned char *)arg);
        if (n + 4 >= cap)
            return lg_error_set(LEDGER_EINVAL, "page path too long");
        n += (size_t)(plain ? snprintf(out + n, cap - n, "%c", *c)
                            : snprintf(out + n, cap - n, "~%02x", *c));
    }
    if (n + 6 >= cap)
        return lg_error_set(LEDGER_EINVAL, "page path too long");
    memcpy(out + n, ".html", 6);
    return 0;
}

void
lg_page_link(lg_page *p, const char *kind, const char *arg, const char *text, int signed_value)
{
    char key[1200], path[1200];

    snprintf(key, sizeof key, "%s/%s", kind, arg);
    if (*arg == '\0' || json_object_get(p->s->pages, key) == NULL ||
        lg_site_page_path(path, sizeof path, kind, arg) < 0) {
        lg_html_text(&p->h, text, LG_SITE_NAME_CAP, signed_value);
        return;
    }
    lg_html_rawf(&p->h, "<a href=\"%s", p->root);
    lg_html_attr(&p->h, path);
    lg_html_raw(&p->h, "\">");
    lg_html_text(&p->h, text, LG_SITE_NAME_CAP, signed_value);
    lg_html_raw(&p->h, "</a>");
}

static void
utc_ms(char *out, size_t cap, uint64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(out, cap, "%" PRIu64 " ms", ms);
}

void
lg_page_record_open(lg_page *p, const json_t *item, const char *what)
{
    uint64_t index = (uint64_t)json_integer_value(json_object_get(item, "index"));
    uint64_t time = (uint64_t)json_integer_value(json_object_get(item, "integrated_time"));
    const char *rid = json_string_value(json_object_get(item, "record_id"));
    const char *author = json_string_value(json_object_get(item, "author"));
    const char *status = json_string_value(json_object_get(item, "status"));
    uint8_t lh[32];
    char lh64[64], when[64];

    rid = rid ? rid : "";
    author = author ? author : "";
    if (lg_view_reader_leaf_hash(p->s->r, index, lh) < 0) {
        p->h.err = 1;
        return;
    }
    lg_b64_encode(lh64, lh, sizeof lh);
    if (*author != '\0' && json_object_set_new(p->authors, author, json_true()) < 0)
        p->h.err = 1;
    utc_ms(when, sizeof when, time);
    lg_html_rawf(&p->h,
                 "<article class=\"rec\" id=\"e%" PRIu64 "\" data-index=\"%" PRIu64
                 "\" data-time=\"%" PRIu64 "\" data-leaf-hash=\"%s\" data-record-id=\"",
                 index, index, time, lh64);
    lg_html_attr(&p->h, rid);
    lg_html_raw(&p->h, "\" data-author=\"");
    lg_html_attr(&p->h, author);
    lg_html_raw(&p->h, "\">\n<header class=\"meta\"><span class=\"what\">");
    lg_html_text(&p->h, what, LG_SITE_NAME_CAP, 0);
    lg_html_rawf(&p->h, "</span> <span class=\"status\">%s</span>",
                 status && strcmp(status, "ACTIVE") != 0
                     ? (strcmp(status, "SUPERSEDED") == 0 ? "superseded" : "retracted")
                     : "");
    lg_html_rawf(&p->h, "<dl><dt>entry</dt><dd>#%" PRIu64 "</dd><dt>record</dt><dd><code>", index);
    lg_html_text(&p->h, rid, LG_SITE_NAME_CAP, 1);
    lg_html_raw(&p->h, "</code></dd><dt>author</dt><dd>");
    lg_page_link(p, "participant", author, author, 1);
    lg_html_rawf(&p->h,
                 "</dd><dt>integrated</dt><dd><time>%s</time></dd><dt>leaf hash</dt><dd><code "
                 "class=\"hash\">%s</code></dd></dl><p class=\"links\"><a href=\"%srec/%" PRIu64
                 ".json\">raw JSON</a> \xc2\xb7 <a href=\"%srec/%" PRIu64
                 ".tlog-proof\">receipt</a> <output class=\"vstate\">not verified</output></p>"
                 "</header>\n",
                 when, lh64, p->root, index, p->root, index);
}

void
lg_page_record_close(lg_page *p)
{
    lg_html_raw(&p->h, "</article>\n");
}

static void
field(lg_page *p, const char *label, const char *value, int signed_value)
{
    if (value == NULL || *value == '\0')
        return;
    lg_html_raw(&p->h, "<dt>");
    lg_html_raw(&p->h, label);
    lg_html_raw(&p->h, "</dt><dd>");
    lg_html_text(&p->h, value, LG_SITE_FIELD_CAP, signed_value);
    lg_html_raw(&p->h, "</dd>");
}

void
lg_page_field(lg_page *p, const char *label, const char *value)
{
    field(p, label, value, 1);
}

void
lg_page_field_derived(lg_page *p, const char *label, const char *value)
{
    field(p, label, value, 0);
}

void
lg_page_enum_text(lg_page *p, const char *value, const char *prefix)
{
    char words[128];
    size_t n = 0, pl = strlen(prefix);

    if (value == NULL)
        return;
    if (strncmp(value, prefix, pl) == 0)
        value += pl;
    for (; *value && n + 1 < sizeof words; value++)
        words[n++] = *value == '_' ? ' ' : (char)tolower((unsigned char)*value);
    words[n] = '\0';
    lg_html_text(&p->h, words, sizeof words, 0);
}

void
lg_page_enum(lg_page *p, const char *label, const char *value, const char *prefix)
{
    if (value == NULL || *value == '\0')
        return;
    lg_html_raw(&p->h, "<dt>");
    lg_html_raw(&p->h, label);
    lg_html_raw(&p->h, "</dt><dd>");
    lg_page_enum_text(p, value, prefix);
    lg_html_raw(&p->h, "</dd>");
}

void
lg_page_confidence(lg_page *p, const json_t *conf)
{
    const json_t *lk = json_object_get(conf, "likelihood");
    const char *term = json_string_value(json_object_get(lk, "term"));
    const char *ac = json_string_value(json_object_get(conf, "analytic_confidence"));

    if (conf == NULL)
        return;
    lg_html_raw(&p->h, "<dt>confidence</dt><dd><q class=\"words\">");
    lg_html_text(&p->h, term ? term : "", LG_SITE_NAME_CAP, 1);
    lg_html_rawf(&p->h,
                 "</q> <span class=\"stix\" title=\"STIX 2.1 confidence (0-100)\">STIX %" PRId64
                 "</span>",
                 (int64_t)json_integer_value(json_object_get(conf, "stix_value")));
    if (ac != NULL) {
        lg_html_raw(&p->h, " \xc2\xb7 analytic confidence ");
        lg_page_enum_text(p, ac, "ANALYTIC_CONFIDENCE_");
    }
    lg_html_raw(&p->h, "</dd>");
    lg_page_field(p, "mapping note", json_string_value(json_object_get(conf, "mapping_note")));
}
