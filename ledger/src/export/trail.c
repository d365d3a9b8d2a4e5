/*
 * trail.c - audit-trail line construction (see trail.h).
 */
#include "export/trail.h"

#include <string.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "codec/record.h"
#include "tlog/entry.h"
#include "export/select.h"

int
lg_trail_header(json_t **out, const char *vkey, const uint8_t *note, size_t note_len,
                const lg_checkpoint *cp, uint64_t since, uint64_t until, const char *incident,
                uint64_t entries)
{
    json_t *h = json_object(), *sel = json_object();
    int rc = 0;

    *out = NULL;
    if (h == NULL || sel == NULL)
        goto nomem;
    if (json_object_set_new(h, "format", json_string(LG_TRAIL_FORMAT)) != 0 ||
        json_object_set_new(h, "version", json_integer(LG_TRAIL_VERSION)) != 0 ||
        json_object_set_new(h, "origin", json_string(cp->origin)) != 0 ||
        json_object_set_new(h, "vkey", json_string(vkey)) != 0 ||
        json_object_set_new(h, "checkpoint", json_stringn((const char *)note, note_len)) != 0 ||
        (rc = lg_json_set_u64(h, "tree_size", cp->size)) < 0 ||
        (rc = lg_json_set_b64(h, "root", cp->root, LG_HASH)) < 0 ||
        (rc = lg_json_set_u64(sel, "since", since)) < 0 ||
        (rc = lg_json_set_u64(sel, "until", until)) < 0 ||
        (incident != NULL && json_object_set_new(sel, "incident", json_string(incident)) != 0) ||
        json_object_set(h, "selection", sel) != 0 ||
        (rc = lg_json_set_u64(h, "entries", entries)) < 0)
        goto nomem;
    json_decref(sel);
    *out = h;
    return 0;
nomem:
    json_decref(sel);
    json_decref(h);
    return rc < 0 ? rc : lg_error_nomem();
}

const char *
lg_trail_role_name(int mark)
{
    switch (mark) {
    case LG_SEL_SELECTED:
        return "selected";
    case LG_SEL_REGISTRY:
        return "registry";
    case LG_SEL_CONTEXT:
        return "context";
    default:
        return "none";
    }
}

int
lg_trail_role_parse(const char *name)
{
    for (int m = LG_SEL_SELECTED; m <= LG_SEL_CONTEXT; m++)
        if (strcmp(name, lg_trail_role_name(m)) == 0)
            return m;
    return LG_SEL_NONE;
}

int
lg_trail_entry(json_t **out, const uint8_t *leaf, size_t len, int mark, const lg_hash *proof,
               size_t n)
{
    json_t *src = NULL, *obj = NULL, *arr = NULL, *v;
    char b[LG_B64_LEN(LG_HASH) + 1];
    const char *key;
    int rc;

    *out = NULL;
    if ((rc = lg_entry_json(&src, leaf, len)) < 0)
        return rc;
    /* Same fields, with the role right after the index. */
    if ((obj = json_object()) == NULL) {
        json_decref(src);
        return lg_error_nomem();
    }
    json_object_foreach(src, key, v)
    {
        if (json_object_set(obj, key, v) != 0 ||
            (strcmp(key, "index") == 0 &&
             json_object_set_new(obj, "role", json_string(lg_trail_role_name(mark))) != 0)) {
            json_decref(src);
            json_decref(obj);
            return lg_error_nomem();
        }
    }
    json_decref(src);
    if ((arr = json_array()) == NULL || json_object_set_new(obj, "inclusion_proof", arr) != 0) {
        json_decref(obj);
        return lg_error_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        lg_b64_encode(b, proof[i], LG_HASH);
        if (json_array_append_new(arr, json_string(b)) != 0) {
            json_decref(obj);
            return lg_error_nomem();
        }
    }
    *out = obj;
    return 0;
}

int
lg_trail_line(ledger_buf *out, const json_t *obj)
{
    int rc = lg_json_dump(out, obj, 0);

    if (rc < 0)
        return rc;
    /* lg_json_dump leaves room for a NUL after the text: make it the
     * newline and add a new NUL. */
    uint8_t *p = lg_realloc(out->data, out->len + 2);
    if (p == NULL) {
        ledger_buf_dispose(out);
        return lg_error_nomem();
    }
    p[out->len++] = '\n';
    p[out->len] = '\0';
    out->data = p;
    return 0;
}
