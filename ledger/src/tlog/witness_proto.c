/*
 * witness_proto.c - the C2SP tlog-witness v1.0.0 add-checkpoint protocol
 * over the witness state of witness.c, independent of any transport: a
 * request body in, an HTTP status, content type and body out
 * (ledger_witness_add_checkpoint), plus the monitoring read of the latest
 * cosigned checkpoint (ledger_witness_latest).
 *
 * State: one state file for all origins (witness.c), replaced by temp
 * file + fsync + rename under an exclusive lock on STATE.lock. That is the
 * compare-and-swap the spec asks for: the check of `old` against the stored
 * size and the write happen under one lock, a kill -9 leaves the old file
 * or the new one, and the cosignature is made only after the new state is
 * durable. The same file serves `witness cosign`, so both paths agree. One
 * lock for all origins serialises requests of different logs too; a
 * request holds it for one fsync, which is fine at witness-network rates
 * (a few requests per log per minute).
 *
 * Latest cosigned notes: STATE.d/<hex SHA-256 of origin>, the checkpoint
 * with this witness's cosignature line, written after the state (it may lag
 * the state after a crash, which the spec allows for this resource).
 *
 * Evidence (evidence_dir): a fork (same size, other root) or a failing
 * consistency proof is written as <time>-<hex8>-<kind>-<n>.txt holding the
 * reason, the checkpoint this witness had cosigned and the request; a fork
 * against a kept latest note also as a fork report (same name, .frk).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attrledger/mirror.h"
#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "crypto/crypto.h"
#include "tlog/note.h"
#include "tlog/witness_int.h"

#define CT_TEXT "text/plain; charset=utf-8"
#define CT_SIZE "text/x.tlog.size"

/* ---- answers ---- */

static int answer(ledger_witness_response *out, int status, const char *ct, const char *fmt, ...)
    LG_PRINTF(4, 5);

static int
answer(ledger_witness_response *out, int status, const char *ct, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof msg)
        n = (int)sizeof msg - 1;
    ledger_buf_dispose(&out->body);
    if (ledger_buf_alloc(&out->body, (size_t)n) < 0)
        return LEDGER_ENOMEM;
    memcpy(out->body.data, msg, (size_t)n);
    out->status = status;
    out->content_type = ct;
    return 0;
}

/* A refusal: the message of the last error, one line. */
static int
refuse(ledger_witness_response *out, int status)
{
    return answer(out, status, CT_TEXT, "%s\n", ledger_error_last()->message);
}

/* Write evidence of a refused request; failures to write are ignored
 * (the refusal stands either way) but reported through *kept. */
static void
keep_evidence(ledger_witness_response *out, const char *dir, const char *state_path,
              const char *kind, const char *origin, const uint8_t *note, size_t note_len,
              const uint8_t *body, size_t len)
{
    static unsigned counter;
    ledger_buf held = LEDGER_BUF_INIT, rep = LEDGER_BUF_INIT;
    char hex[65], *path = NULL, head[512], tail[32];
    uint8_t *file = NULL;
    size_t plen, flen;
    int hn, tn;

    if (dir == NULL)
        return;
    lg_witness_origin_hex(hex, origin);
    if (ledger_witness_latest(&held, state_path, hex) < 0)
        ledger_error_clear();
    plen = strlen(dir) + 96;
    if ((path = lg_malloc(plen)) == NULL || lg_fs_mkdirs(dir, 1) < 0)
        goto done;
    snprintf(path, plen, "%s/%lld-%.8s-%s-%d-%u.txt", dir, (long long)time(NULL), hex, kind,
             (int)getpid(), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    /* One buffer, written by the library's one exclusive create. */
    hn = snprintf(head, sizeof head,
                  "attrledger witness evidence v1\nreason %s\norigin %.255s\ncosigned %zu\n", kind,
                  origin, held.len);
    tn = snprintf(tail, sizeof tail, "request %zu\n", len);
    if (hn < 0 || (size_t)hn >= sizeof head || tn < 0 || (size_t)tn >= sizeof tail)
        goto done;
    flen = (size_t)hn + held.len + (size_t)tn + len;
    if ((file = lg_malloc(flen + 1)) == NULL)
        goto done;
    memcpy(file, head, (size_t)hn);
    if (held.len > 0)
        memcpy(file + hn, held.data, held.len);
    memcpy(file + (size_t)hn + held.len, tail, (size_t)tn);
    if (len > 0)
        memcpy(file + (size_t)hn + held.len + (size_t)tn, body, len);
    if (lg_fs_write_new(path, file, flen, 0644) < 0) {
        ledger_error_clear();
        goto done;
    }
    out->evidence = 1;
    if (strcmp(kind, "fork") == 0 && held.len > 0 &&
        ledger_fork_report_format(&rep, held.data, held.len, note, note_len, NULL, NULL, 0) == 0) {
        memcpy(path + strlen(path) - 4, ".frk", 4);
        if (lg_fs_write_atomic(path, rep.data, rep.len, 0644) < 0)
            ledger_error_clear();
    }
done:
    lg_free(file);
    lg_free(path);
    ledger_buf_dispose(&held);
    ledger_buf_dispose(&rep);
}

/* ---- add-checkpoint ---- */

int
ledger_witness_add_checkpoint(ledger_witness_response *out, const ledger_witness_options *o,
                              const char *evidence_dir, const uint8_t *body, size_t len)
{
    lg_witness_request req;
    lg_note *note = NULL;
    lg_checkpoint cp, held;
    const ledger_vkey *lk;
    lg_wstate w = {0, NULL};
    lg_hash empty;
    int lock_fd = -1, have_prev, rc;
    uint64_t stored;

    if (out == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness: missing argument");
    memset(out, 0, sizeof *out);
    if (o == NULL || o->witness_key == NULL || o->state_path == NULL || (body == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "witness: missing argument");
    if (o->version != LEDGER_WITNESS_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "witness: unknown options version %u", o->version);

    /* 400: the body's shape. */
    if (len > LEDGER_WITNESS_REQUEST_MAX)
        return answer(out, 400, CT_TEXT, "request is %zu bytes, max %u\n", len,
                      LEDGER_WITNESS_REQUEST_MAX);
    if (len == 0 || body[0] != 'o')
        return answer(out, 400, CT_TEXT, "request must start with \"old N\"\n");
    if ((rc = lg_witness_request_parse(&req, body, len)) < 0) {
        if (rc == LEDGER_ENOMEM)
            return rc;
        return refuse(out, 400);
    }
    if (req.note == NULL)
        return answer(out, 400, CT_TEXT, "request has no checkpoint after the empty line\n");
    if ((rc = lg_note_parse(&note, req.note, req.note_len)) < 0 ||
        (rc = lg_checkpoint_parse(&cp, note->buf, note->text_len)) < 0) {
        if (rc == LEDGER_ENOMEM)
            goto done;
        lg_error_prefix(rc, "checkpoint");
        rc = refuse(out, 400);
        goto done;
    }
    /* 404, 403: whose log, signed by it? */
    if ((lk = lg_witness_log_key(o, cp.origin)) == NULL) {
        rc = answer(out, 404, CT_TEXT, "unknown log %.255s\n", cp.origin);
        goto done;
    }
    if ((rc = lg_note_verify(note, lk, 1, NULL, NULL)) < 0) {
        if (rc == LEDGER_ENOMEM)
            goto done;
        lg_error_prefix(rc, "checkpoint of %.100s", cp.origin);
        rc = refuse(out, 403);
        goto done;
    }
    if (req.old_size > cp.size) {
        rc = answer(out, 400, CT_TEXT,
                    "old size %" PRIu64 " is larger than the checkpoint's size %" PRIu64 "\n",
                    req.old_size, cp.size);
        goto done;
    }
    lg_merkle_empty_root(empty);
    if (cp.size == 0 && memcmp(cp.root, empty, LG_HASH) != 0) {
        rc = answer(out, 422, CT_TEXT,
                    "checkpoint of size 0 with a root other than the empty "
                    "tree's\n");
        goto done;
    }

    /* Compare-and-swap under the state lock. */
    if ((rc = lg_wstate_open(&lock_fd, &w, o->state_path, cp.origin, &held, &have_prev)) < 0)
        goto done;
    stored = have_prev ? held.size : 0;
    if (req.old_size != stored) {
        rc = answer(out, 409, CT_SIZE, "%" PRIu64 "\n", stored);
        goto done;
    }
    if (req.old_size == cp.size) {
        if (req.n != 0) {
            rc = answer(out, 422, CT_TEXT, "a proof between equal sizes must be empty\n");
            goto done;
        }
        if (have_prev && memcmp(held.root, cp.root, LG_HASH) != 0) {
            keep_evidence(out, evidence_dir, o->state_path, "fork", cp.origin, req.note,
                          req.note_len, body, len);
            rc = answer(out, 422, CT_TEXT,
                        "refusing fork: %.100s signed two different trees of size %" PRIu64 "\n",
                        cp.origin, cp.size);
            goto done;
        }
    } else if (stored == 0) {
        if (req.n != 0) {
            rc = answer(out, 422, CT_TEXT, "a proof from size 0 must be empty\n");
            goto done;
        }
    } else if (lg_merkle_verify_consistency(stored, cp.size, held.root, cp.root,
                                            (const lg_hash *)req.hashes, req.n) < 0) {
        keep_evidence(out, evidence_dir, o->state_path, "bad-proof", cp.origin, req.note,
                      req.note_len, body, len);
        rc = answer(out, 422, CT_TEXT,
                    "bad consistency proof from %" PRIu64 " to %" PRIu64 " of %.100s\n", stored,
                    cp.size, cp.origin);
        goto done;
    }
    if ((!have_prev || held.size != cp.size) && (rc = lg_wstate_store(&w, o->state_path, &cp)) < 0)
        goto done;
    out->result.timestamp = o->timestamp ? o->timestamp : (uint64_t)time(NULL);
    if ((rc = lg_note_cosign(&out->body, note->buf, note->text_len, out->result.timestamp,
                             o->witness_key)) < 0)
        goto done;
    if (lg_witness_keep_latest(o->state_path, cp.origin, req.note, req.note_len, &out->body) < 0)
        ledger_error_clear(); /* the monitoring copy may lag; the state is what counts */
    memcpy(out->result.origin, cp.origin, sizeof out->result.origin);
    out->result.old_size = stored;
    out->result.size = cp.size;
    out->status = 200;
    out->content_type = CT_TEXT;
    rc = 0;
done:
    if (lock_fd >= 0)
        close(lock_fd);
    lg_wstate_free(&w);
    lg_note_free(note);
    if (rc < 0) {
        ledger_buf_dispose(&out->body);
        out->status = 0;
    }
    return rc;
}
