/*
 * witness_client.c - the log's side of C2SP tlog-witness: send a stored
 * checkpoint to a witness, learn its size from a 409, prove consistency
 * from that size, verify and store the cosignature it returns.
 */
#include "net/witness_client.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attrledger/http.h"
#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "tlog/note.h"

#define ANSWER_MAX 65536u

/* "old S\n" + proof lines + "\n" + note. */
static int
build_body(ledger_buf *out, uint64_t old, const ledger_consistency_proof *p, const ledger_buf *note)
{
    size_t n = p ? p->n_hashes : 0, cap = 32 + n * (LG_B64_LEN(32) + 1) + note->len + 2, off;
    uint8_t *b = lg_malloc(cap);

    if (b == NULL)
        return lg_error_nomem();
    off = (size_t)snprintf((char *)b, cap, "old %" PRIu64 "\n", old);
    for (size_t i = 0; i < n; i++) {
        lg_b64_encode((char *)b + off, p->hashes[i], 32);
        off += LG_B64_LEN(32);
        b[off++] = '\n';
    }
    b[off++] = '\n';
    memcpy(b + off, note->data, note->len);
    off += note->len;
    out->data = b;
    out->len = off;
    return 0;
}

static void
first_line(char *dst, size_t cap, const ledger_buf *body)
{
    size_t n = 0;

    while (n < body->len && n + 1 < cap && body->data[n] != '\n')
        n++;
    memcpy(dst, body->data ? (const char *)body->data : "", n);
    dst[n] = '\0';
}

int
ledger_log_request_cosignature(ledger_witness_exchange *out, ledger_log *log, uint64_t size,
                               ledger_http_fetcher *f, const ledger_vkey *wk)
{
    return lg_witness_request(out, log, size, 0, f, wk);
}

int
lg_witness_request(ledger_witness_exchange *out, ledger_log *log, uint64_t size, uint64_t known,
                   ledger_http_fetcher *f, const ledger_vkey *wk)
{
    ledger_buf note = LEDGER_BUF_INIT, body = LEDGER_BUF_INIT, ans = LEDGER_BUF_INIT;
    ledger_consistency_proof proof;
    ledger_http_status st;
    lg_note *n = NULL;
    lg_checkpoint cp;
    uint64_t old = 0;
    size_t added = 0;
    int rc;

    if (out == NULL || log == NULL || f == NULL || wk == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness request: missing argument");
    memset(out, 0, sizeof *out);
    if ((rc = ledger_log_checkpoint(&note, log, size)) < 0)
        return rc;
    if ((rc = lg_note_parse(&n, note.data, note.len)) < 0 ||
        (rc = lg_checkpoint_parse(&cp, n->buf, n->text_len)) < 0)
        goto done;
    out->size = cp.size;
    if (known < cp.size)
        old = known;
    for (int attempt = 0; attempt < 2; attempt++) {
        ledger_buf_dispose(&body);
        ledger_buf_dispose(&ans);
        if (old > 0 && (rc = ledger_log_prove_consistency(&proof, log, old, cp.size)) < 0)
            goto done;
        if ((rc = build_body(&body, old, old > 0 ? &proof : NULL, &note)) < 0 ||
            (rc = ledger_http_request(&st, &ans, f, "POST", "add-checkpoint",
                                      "text/plain; charset=utf-8", body.data, body.len,
                                      ANSWER_MAX)) < 0)
            goto done;
        out->status = (int)st.status;
        if (st.status == 409) {
            uint64_t s = 0;
            size_t i = 0;

            for (; i < ans.len && ans.data[i] >= '0' && ans.data[i] <= '9' && i < 20; i++)
                s = s * 10 + (uint64_t)(ans.data[i] - '0');
            if (i == 0 || i >= ans.len || ans.data[i] != '\n') {
                rc = lg_error_set(LEDGER_EFORMAT, "witness %s: 409 without a size", wk->name);
                goto done;
            }
            out->witness_size = s;
            if (s > cp.size || s == old) {
                snprintf(out->message, sizeof out->message,
                         "the witness is at size %" PRIu64 ", the checkpoint has %" PRIu64, s,
                         cp.size);
                break;
            }
            old = s;
            continue;
        }
        break;
    }
    if (out->status == 200) {
        out->witness_size = old;
        rc = ledger_log_add_cosignatures(&added, log, cp.size, ans.data, ans.len, wk, 1);
        goto done;
    }
    if (out->message[0] == '\0')
        first_line(out->message, sizeof out->message, &ans);
    rc = 0;
done:
    lg_note_free(n);
    ledger_buf_dispose(&note);
    ledger_buf_dispose(&body);
    ledger_buf_dispose(&ans);
    return rc;
}
