/*
 * client.c - the client of `serve` (client.h): submit with retries and
 * full verification of every receipt, read checkpoints and entries and
 * verify them. HTTP through http.h only.
 *
 * What a submission's receipt must satisfy before it is handed back:
 *   1. the leaf (base64 in the answer) hashes to the answer's leaf_hash;
 *   2. the leaf decodes, and its record digest is SHA-256 of the record
 *      bytes we sent at that position (the server stored what we sent);
 *   3. ledger_receipt_verify(): the checkpoint is signed by the pinned
 *      key, the inclusion proof leads from the leaf hash to its root, and
 *      the leaf's own index equals the receipt's.
 * A server answer that fails any of these is an attack or a bug: it is
 * reported, never retried into acceptance.
 */
#include "attrledger/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "attrledger/error.h"
#include "attrledger/http.h"
#include "attrledger/proof.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "codec/json.h"
#include "net/client_int.h"

#define ANSWER_MAX (64u * 1024u * 1024u)
#define SMALL_MAX (1024u * 1024u)

static void
sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

int
lg_client_check_opts(const ledger_client_options *o, const char *url)
{
    if (o == NULL || o->log_key == NULL || url == NULL)
        return lg_error_set(LEDGER_EINVAL, "client: missing URL or log key");
    if (o->version != LEDGER_CLIENT_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EVERSION, "client options version %u, want %d", o->version,
                            LEDGER_CLIENT_OPTIONS_VERSION);
    return 0;
}

/* The library code of a server refusal (docs/HTTP.md "Errors"). */
static int
refusal_code(long status, const char *code)
{
    if (status == 400 || status == 413 || status == 415)
        return LEDGER_EFORMAT;
    if (status == 403)
        return strcmp(code, "bad_signature") == 0 ? LEDGER_EBADSIG : LEDGER_EPOLICY;
    if (status == 422)
        return strcmp(code, "record_id_conflict") == 0 ? LEDGER_EEXISTS : LEDGER_EPOLICY;
    if (status == 404)
        return LEDGER_ENOTFOUND;
    return LEDGER_EIO;
}

int
lg_client_server_error(long status, const ledger_buf *body, const char *what)
{
    json_t *root = json_loadb((const char *)body->data, body->len, 0, NULL);
    json_t *e = root != NULL ? json_object_get(root, "error") : NULL;
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *msg = json_string_value(json_object_get(e, "message"));
    json_t *rec = json_object_get(e, "record");
    int rc = refusal_code(status, code ? code : "");

    if (json_is_integer(rec))
        rc = lg_error_set(rc, "server refused record %lld (HTTP %ld %s): %.150s",
                          (long long)json_integer_value(rec), status, code ? code : "?",
                          msg ? msg : "");
    else
        rc = lg_error_set(rc, "%s: HTTP %ld %s: %.150s", what, status, code ? code : "",
                          msg ? msg : "");
    json_decref(root);
    return rc;
}

int
lg_client_request(ledger_http_status *st, ledger_buf *out, ledger_http_fetcher *f,
                  const ledger_client_options *o, const char *method, const char *path,
                  const uint8_t *body, size_t len, size_t max)
{
    unsigned attempts = o->attempts ? o->attempts : 8;
    unsigned wait = o->backoff_ms ? o->backoff_ms : 200;
    unsigned max_wait = o->max_wait_ms ? o->max_wait_ms : 10000;
    int rc = 0;

    for (unsigned i = 0; i < attempts; i++) {
        unsigned w = wait;

        ledger_buf_dispose(out);
        rc = ledger_http_request(st, out, f, method, path, "application/json", body, len, max);
        if (rc == 0 && st->status != 429 && st->status != 503)
            return 0;
        if (rc < 0 && rc != LEDGER_EIO)
            return rc;
        if (i + 1 == attempts)
            break;
        if (rc == 0 && st->retry_after_s > 0 && st->retry_after_s * 1000u > w)
            w = st->retry_after_s * 1000u;
        sleep_ms(w > max_wait ? max_wait : w);
        wait = wait > max_wait / 2 ? max_wait : wait * 2;
    }
    if (rc == 0)
        return lg_error_set(LEDGER_EIO, "%s: server busy (HTTP %ld) after %u attempts", path,
                            st->status, attempts);
    return lg_error_prefix(rc, "after %u attempts", attempts);
}

/* Checks 1-3 of the file comment for receipt i. */
static int
check_receipt(ledger_receipt *r, json_t *e, const ledger_envelope *env, size_t i,
              const ledger_vkey *vk)
{
    const char *leaf_b64 = json_string_value(json_object_get(e, "leaf"));
    const char *hash_b64 = json_string_value(json_object_get(e, "leaf_hash"));
    const char *receipt = json_string_value(json_object_get(e, "receipt"));
    const char *rid = json_string_value(json_object_get(e, "record_id"));
    json_t *idx = json_object_get(e, "index");
    uint8_t hash[LEDGER_HASH_SIZE], digest[LEDGER_HASH_SIZE];
    ledger_entry_info info;
    ledger_receipt_info ri;
    size_t n = 0;
    int rc;

    if (leaf_b64 == NULL || hash_b64 == NULL || receipt == NULL || rid == NULL ||
        (!json_is_integer(idx) && !json_is_string(idx)))
        return lg_error_set(LEDGER_EFORMAT, "receipt %zu: missing fields in the server's answer",
                            i);
    if (lg_b64_decode(hash, &n, hash_b64, strlen(hash_b64)) < 0 || n != LEDGER_HASH_SIZE)
        return lg_error_set(LEDGER_EFORMAT, "receipt %zu: bad leaf_hash", i);
    if ((rc = ledger_buf_alloc(&r->leaf, strlen(leaf_b64))) < 0)
        return rc;
    if (lg_b64_decode(r->leaf.data, &r->leaf.len, leaf_b64, strlen(leaf_b64)) < 0)
        return lg_error_set(LEDGER_EFORMAT, "receipt %zu: bad leaf", i);
    ledger_leaf_hash(r->leaf_hash, r->leaf.data, r->leaf.len);
    if (memcmp(r->leaf_hash, hash, LEDGER_HASH_SIZE) != 0)
        return lg_error_set(LEDGER_ECORRUPT, "receipt %zu: the leaf does not hash to leaf_hash", i);
    if ((rc = ledger_entry_info_get(&info, r->leaf.data, r->leaf.len)) < 0)
        return lg_error_prefix(LEDGER_ECORRUPT, "receipt %zu: leaf", i);
    ledger_envelope_digest(digest, env);
    if (memcmp(digest, info.record_digest, LEDGER_HASH_SIZE) != 0)
        return lg_error_set(LEDGER_ECORRUPT,
                            "receipt %zu: the logged record is not the record sent (%s)", i,
                            ledger_envelope_record_id(env));
    if ((rc = ledger_receipt_verify(&ri, (const uint8_t *)receipt, strlen(receipt), r->leaf.data,
                                    r->leaf.len, vk)) < 0)
        return lg_error_prefix(rc, "receipt %zu (%s)", i, ledger_envelope_record_id(env));
    if (memcmp(ri.leaf_hash, r->leaf_hash, LEDGER_HASH_SIZE) != 0)
        return lg_error_set(LEDGER_EPROOF, "receipt %zu proves another leaf", i);
    r->index = ri.index;
    r->existed = json_is_true(json_object_get(e, "existed"));
    snprintf(r->record_id, sizeof r->record_id, "%s", ledger_envelope_record_id(env));
    if ((rc = ledger_buf_alloc(&r->receipt, strlen(receipt))) < 0)
        return rc;
    memcpy(r->receipt.data, receipt, strlen(receipt));
    return 0;
}

int
ledger_client_submit(ledger_receipt *rcpts, const char *url, ledger_envelope *const *envs, size_t n,
                     const ledger_client_options *o)
{
    ledger_http_fetcher *f = NULL;
    ledger_http_status st;
    ledger_buf body = LEDGER_BUF_INIT, ans = LEDGER_BUF_INIT, one = LEDGER_BUF_INIT;
    json_t *root = NULL, *arr;
    size_t off = 0;
    int rc;

    if (rcpts == NULL || (envs == NULL && n > 0) || n == 0)
        return lg_error_set(LEDGER_EINVAL, "client submit: nothing to submit");
    memset(rcpts, 0, n * sizeof *rcpts);
    if ((rc = lg_client_check_opts(o, url)) < 0)
        return rc;
    /* The body: a JSON array of the envelopes exactly as `sign` writes them. */
    for (size_t i = 0; i < n; i++) {
        uint8_t *nb;

        if ((rc = ledger_envelope_to_json(&one, envs[i], 0)) < 0)
            goto done;
        if ((nb = lg_realloc(body.data, off + one.len + 3)) == NULL) {
            rc = lg_error_nomem();
            goto done;
        }
        body.data = nb;
        body.data[off++] = i == 0 ? '[' : ',';
        memcpy(body.data + off, one.data, one.len);
        off += one.len;
        ledger_buf_dispose(&one);
    }
    body.data[off++] = ']';
    body.len = off;
    if ((rc = ledger_http_fetcher_new(&f, url, NULL)) < 0 ||
        (rc = lg_client_request(&st, &ans, f, o, "POST", "add-records", body.data, body.len,
                                ANSWER_MAX)) < 0)
        goto done;
    if (st.status != 200) {
        rc = lg_client_server_error(st.status, &ans, "add-records");
        goto done;
    }
    root = json_loadb((const char *)ans.data, ans.len, 0, NULL);
    arr = json_object_get(root, "receipts");
    if (!json_is_array(arr) || json_array_size(arr) != n) {
        rc = lg_error_set(LEDGER_EFORMAT, "the server's answer does not hold %zu receipts", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = check_receipt(&rcpts[i], json_array_get(arr, i), envs[i], i, o->log_key)) < 0)
            goto done;
done:
    if (rc < 0)
        ledger_receipts_dispose(rcpts, n);
    json_decref(root);
    ledger_buf_dispose(&one);
    ledger_buf_dispose(&body);
    ledger_buf_dispose(&ans);
    ledger_http_fetcher_free(f);
    return rc;
}

int
ledger_client_checkpoint(ledger_buf *note_out, ledger_checkpoint *cp_out, const char *url,
                         const ledger_client_options *o)
{
    ledger_http_fetcher *f = NULL;
    ledger_http_status st;
    ledger_checkpoint cp;
    ledger_buf ans = LEDGER_BUF_INIT;
    int rc;

    if (note_out == NULL)
        return lg_error_set(LEDGER_EINVAL, "client checkpoint: missing argument");
    *note_out = (ledger_buf)LEDGER_BUF_INIT;
    if ((rc = lg_client_check_opts(o, url)) < 0 ||
        (rc = ledger_http_fetcher_new(&f, url, NULL)) < 0 ||
        (rc = lg_client_request(&st, &ans, f, o, "GET", "checkpoint", NULL, 0, SMALL_MAX)) < 0)
        goto done;
    if (st.status != 200) {
        rc = lg_client_server_error(st.status, &ans, "checkpoint");
        goto done;
    }
    if ((rc = ledger_checkpoint_verify(&cp, ans.data, ans.len, o->log_key)) < 0)
        goto done;
    if (cp_out != NULL)
        *cp_out = cp;
    *note_out = ans;
    ans = (ledger_buf)LEDGER_BUF_INIT;
done:
    ledger_buf_dispose(&ans);
    ledger_http_fetcher_free(f);
    return rc;
}

/* Percent-escape a record id for a path segment. */
static void
escape(char *out, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *s && o + 4 < cap; s++) {
        unsigned char ch = (unsigned char)*s;

        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_') {
            out[o++] = (char)ch;
        } else {
            out[o++] = '%';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
    }
    out[o] = '\0';
}

int
ledger_client_entry(ledger_buf *leaf_out, ledger_buf *receipt_out, const char *url,
                    const char *index_or_id, const ledger_client_options *o)
{
    ledger_http_fetcher *f = NULL;
    ledger_http_status st;
    ledger_buf ans = LEDGER_BUF_INIT, rc_ans = LEDGER_BUF_INIT, leaf = LEDGER_BUF_INIT;
    ledger_receipt_info ri;
    ledger_entry_info info;
    json_t *root = NULL;
    const char *leaf_b64;
    char path[3 * LEDGER_ID_MAX + 32], esc[3 * LEDGER_ID_MAX + 1];
    int numeric = 1, rc;

    if (leaf_out == NULL || index_or_id == NULL || *index_or_id == '\0' ||
        strlen(index_or_id) > LEDGER_ID_MAX)
        return lg_error_set(LEDGER_EINVAL, "client entry: bad argument");
    *leaf_out = (ledger_buf)LEDGER_BUF_INIT;
    if (receipt_out != NULL)
        *receipt_out = (ledger_buf)LEDGER_BUF_INIT;
    for (const char *c = index_or_id; *c; c++)
        numeric &= *c >= '0' && *c <= '9';
    escape(esc, sizeof esc, index_or_id);
    snprintf(path, sizeof path, "%s/%s", numeric ? "entries" : "records", esc);
    if ((rc = lg_client_check_opts(o, url)) < 0 ||
        (rc = ledger_http_fetcher_new(&f, url, NULL)) < 0 ||
        (rc = lg_client_request(&st, &ans, f, o, "GET", path, NULL, 0, ANSWER_MAX)) < 0)
        goto done;
    if (st.status != 200) {
        rc = lg_client_server_error(st.status, &ans, path);
        goto done;
    }
    root = json_loadb((const char *)ans.data, ans.len, 0, NULL);
    leaf_b64 = json_string_value(json_object_get(root, "leaf"));
    if (leaf_b64 == NULL || (rc = ledger_buf_alloc(&leaf, strlen(leaf_b64))) < 0 ||
        lg_b64_decode(leaf.data, &leaf.len, leaf_b64, strlen(leaf_b64)) < 0 ||
        (rc = ledger_entry_info_get(&info, leaf.data, leaf.len)) < 0) {
        rc = lg_error_set(LEDGER_EFORMAT, "%s: the server's entry has no valid leaf", path);
        goto done;
    }
    snprintf(path, sizeof path, "receipt/%llu", (unsigned long long)info.index);
    if ((rc = lg_client_request(&st, &rc_ans, f, o, "GET", path, NULL, 0, SMALL_MAX)) < 0)
        goto done;
    if (st.status != 200) {
        rc = lg_client_server_error(st.status, &rc_ans, path);
        goto done;
    }
    if ((rc = ledger_receipt_verify(&ri, rc_ans.data, rc_ans.len, leaf.data, leaf.len,
                                    o->log_key)) < 0)
        goto done;
    if (!numeric && strcmp(info.record_id, index_or_id) != 0) {
        rc = lg_error_set(LEDGER_ECORRUPT, "asked for %s, the server sent %s", index_or_id,
                          info.record_id);
        goto done;
    }
    if (numeric && strtoull(index_or_id, NULL, 10) != info.index) {
        rc = lg_error_set(LEDGER_ECORRUPT, "asked for entry %s, the server sent entry %llu",
                          index_or_id, (unsigned long long)info.index);
        goto done;
    }
    *leaf_out = leaf;
    leaf = (ledger_buf)LEDGER_BUF_INIT;
    if (receipt_out != NULL) {
        *receipt_out = rc_ans;
        rc_ans = (ledger_buf)LEDGER_BUF_INIT;
    }
done:
    json_decref(root);
    ledger_buf_dispose(&ans);
    ledger_buf_dispose(&rc_ans);
    ledger_buf_dispose(&leaf);
    ledger_http_fetcher_free(f);
    return rc;
}
