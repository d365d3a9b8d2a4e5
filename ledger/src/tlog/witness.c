/*
 * witness.c - a C2SP tlog-witness (v1.0.0) that works on files: verify a
 * log's checkpoint and its consistency with the last checkpoint cosigned
 * for that origin, update the state atomically, emit a cosignature/v1 line.
 *
 * State file (text, at most 1 MiB and LEDGER_WITNESS_MAX_LOGS origins):
 *
 *   attrledger witness state v1\n
 *   <origin> <size> <base64 root>\n      one line per origin
 *
 * Concurrency follows the spec's compare-and-swap rule: the whole
 * read-check-write runs under an exclusive fcntl lock on STATE.lock, and the
 * new state is written to a temporary file, fsynced and renamed, before the
 * cosignature is produced. A crash leaves the old state or the new one; a
 * cosignature is never handed out for a state that was not persisted.
 *
 * Refusals (all LEDGER_EPROOF, one-line messages naming both sizes):
 * rollback (smaller than the cosigned size), fork (same size, another
 * root), a proof from another size than the cosigned one (the spec's 409),
 * a proof that does not verify, a non-empty proof from size 0, a size-0
 * checkpoint whose root is not SHA-256("").
 */
#include "attrledger/witness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/b64.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "codec/json.h"
#include "crypto/crypto.h"
#include "tlog/note.h"
#include "tlog/witness_int.h"

#define STATE_HEADER "attrledger witness state v1"
#define STATE_MAX (1u << 20)
#define REQUEST_MAX (LG_NOTE_MAX + (1u << 16))

/* ---- requests and proofs ---- */

static int
parse_dec(uint64_t *out, const uint8_t *s, size_t len)
{
    uint64_t v = 0;

    if (len == 0 || len > 20 || (s[0] == '0' && len > 1))
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

static int
decode_hash(lg_hash out, const char *s, size_t len)
{
    uint8_t tmp[33];
    size_t got = 0;

    if (len != LG_B64_LEN(LG_HASH) || lg_b64_decode(tmp, &got, s, len) != 0 || got != LG_HASH)
        return -1;
    memcpy(out, tmp, LG_HASH);
    return 0;
}

static int
parse_json_proof(lg_witness_request *r, const uint8_t *text, size_t len)
{
    json_t *v = NULL, *hs, *h;
    size_t i;
    int rc = 0;

    if ((rc = lg_json_load(&v, (const char *)text, len)) < 0)
        return lg_error_prefix(rc, "consistency proof");
    hs = json_object_get(v, "hashes");
    if (!json_is_object(v) || !json_is_integer(json_object_get(v, "old_size")) ||
        json_integer_value(json_object_get(v, "old_size")) < 0 || !json_is_array(hs) ||
        json_array_size(hs) > LG_WITNESS_MAX_PROOF) {
        rc = lg_error_set(LEDGER_EFORMAT,
                          "consistency proof: want {old_size, hashes: [at most "
                          "%d base64 hashes]}",
                          LG_WITNESS_MAX_PROOF);
        goto done;
    }
    r->old_size = (uint64_t)json_integer_value(json_object_get(v, "old_size"));
    json_array_foreach(hs, i, h)
    {
        if (!json_is_string(h) ||
            decode_hash(r->hashes[i], json_string_value(h), json_string_length(h)) != 0) {
            rc = lg_error_set(LEDGER_EFORMAT,
                              "consistency proof: hash %zu is not base64 of 32 "
                              "bytes",
                              i);
            goto done;
        }
    }
    r->n = json_array_size(hs);
done:
    json_decref(v);
    return rc;
}

int
lg_witness_request_parse(lg_witness_request *r, const uint8_t *text, size_t len)
{
    size_t pos = 0, line = 1;

    memset(r, 0, sizeof *r);
    if (len > REQUEST_MAX)
        return lg_error_set(LEDGER_EFORMAT, "proof is %zu bytes, max %u", len, REQUEST_MAX);
    if (len > 0 && text[0] == '{')
        return parse_json_proof(r, text, len);
    for (;; line++) {
        const uint8_t *nl = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
        size_t l;

        if (nl == NULL) {
            if (pos == len && line > 1)
                return 0; /* proof only, no checkpoint */
            return lg_error_set(LEDGER_EFORMAT, "proof line %zu: missing newline", line);
        }
        l = (size_t)(nl - (text + pos));
        if (line == 1) {
            if (l < 5 || memcmp(text, "old ", 4) != 0 || parse_dec(&r->old_size, text + 4, l - 4))
                return lg_error_set(LEDGER_EFORMAT,
                                    "proof line 1: must be \"old N\" (decimal, no leading zeros)");
        } else if (l == 0) {
            pos += 1;
            if (pos < len) {
                r->note = text + pos;
                r->note_len = len - pos;
            }
            return 0;
        } else {
            if (r->n == LG_WITNESS_MAX_PROOF)
                return lg_error_set(LEDGER_EFORMAT, "proof line %zu: more than %d hashes", line,
                                    LG_WITNESS_MAX_PROOF);
            if (decode_hash(r->hashes[r->n], (const char *)text + pos, l) != 0)
                return lg_error_set(LEDGER_EFORMAT, "proof line %zu: not base64 of 32 bytes", line);
            r->n++;
        }
        pos += l + 1;
    }
}

int
lg_witness_decide(const lg_checkpoint *prev, const lg_checkpoint *cp, uint64_t old_size,
                  const lg_hash *proof, size_t n)
{
    lg_hash empty;
    uint64_t s = prev ? prev->size : 0;
    int rc;

    lg_merkle_empty_root(empty);
    if (cp->size == 0 && memcmp(cp->root, empty, LG_HASH) != 0)
        return lg_error_set(LEDGER_EPROOF, "checkpoint of size 0 with a non-empty root");
    if (prev != NULL && cp->size < s)
        return lg_error_set(LEDGER_EPROOF,
                            "refusing rollback: checkpoint of %.100s has %" PRIu64
                            " entries, this witness already cosigned %" PRIu64,
                            cp->origin, cp->size, s);
    if (old_size > cp->size)
        return lg_error_set(LEDGER_EPROOF,
                            "proof starts at size %" PRIu64 ", beyond the checkpoint's %" PRIu64,
                            old_size, cp->size);
    if (prev != NULL && cp->size == s) {
        if (memcmp(cp->root, prev->root, LG_HASH) != 0)
            return lg_error_set(LEDGER_EPROOF,
                                "refusing fork: %.100s signed two different trees of size %" PRIu64,
                                cp->origin, s);
        return 0; /* the same checkpoint again */
    }
    if (old_size != s)
        return lg_error_set(LEDGER_EPROOF,
                            "this witness last cosigned size %" PRIu64 " of %.100s; the proof is "
                            "from size %" PRIu64 " (need a consistency proof from %" PRIu64 ")",
                            s, cp->origin, old_size, s);
    if (s == 0) {
        if (n != 0)
            return lg_error_set(LEDGER_EPROOF, "a proof from size 0 must be empty");
        return 0; /* first contact: nothing to be consistent with */
    }
    rc = lg_merkle_verify_consistency(s, cp->size, prev->root, cp->root, proof, n);
    if (rc < 0)
        return lg_error_prefix(rc, "bad consistency proof from %" PRIu64 " to %" PRIu64, s,
                               cp->size);
    return 0;
}

/* ---- the state file ---- */

void
lg_wstate_free(lg_wstate *w)
{
    lg_free(w->v);
    w->v = NULL;
    w->n = 0;
}

static int
wstate_parse(lg_wstate *w, const uint8_t *text, size_t len, const char *path)
{
    const size_t hl = sizeof STATE_HEADER - 1;
    size_t pos = 0, line = 1;

    memset(w, 0, sizeof *w);
    if (len < hl + 1 || memcmp(text, STATE_HEADER "\n", hl + 1) != 0)
        return lg_error_set(LEDGER_EFORMAT, "%s: not a witness state file (line 1 must be \"%s\")",
                            path, STATE_HEADER);
    pos = hl + 1;
    for (line = 2; pos < len; line++) {
        const uint8_t *nl = memchr(text + pos, '\n', len - pos), *sp1, *sp2;
        lg_checkpoint cp;
        size_t l;

        if (nl == NULL)
            return lg_error_set(LEDGER_EFORMAT, "%s line %zu: missing newline", path, line);
        l = (size_t)(nl - (text + pos));
        memset(&cp, 0, sizeof cp);
        sp1 = memchr(text + pos, ' ', l);
        sp2 = sp1 ? memchr(sp1 + 1, ' ', l - (size_t)(sp1 + 1 - (text + pos))) : NULL;
        if (sp1 == NULL || sp2 == NULL ||
            !lg_key_name_valid((const char *)text + pos, (size_t)(sp1 - (text + pos))) ||
            parse_dec(&cp.size, sp1 + 1, (size_t)(sp2 - sp1 - 1)) != 0 ||
            decode_hash(cp.root, (const char *)sp2 + 1, (size_t)(nl - sp2 - 1)) != 0)
            return lg_error_set(LEDGER_EFORMAT, "%s line %zu: want \"<origin> <size> <root>\"",
                                path, line);
        memcpy(cp.origin, text + pos, (size_t)(sp1 - (text + pos)));
        for (size_t i = 0; i < w->n; i++)
            if (strcmp(w->v[i].origin, cp.origin) == 0)
                return lg_error_set(LEDGER_EFORMAT, "%s line %zu: origin listed twice", path, line);
        if (w->n == LEDGER_WITNESS_MAX_LOGS)
            return lg_error_set(LEDGER_EFORMAT, "%s: more than %d origins", path,
                                LEDGER_WITNESS_MAX_LOGS);
        lg_checkpoint *nv = lg_realloc(w->v, (w->n + 1) * sizeof *nv);
        if (nv == NULL)
            return lg_error_nomem();
        w->v = nv;
        w->v[w->n++] = cp;
        pos += l + 1;
    }
    return 0;
}

/* Load the state; a missing file is an empty state. */
int
lg_wstate_load(lg_wstate *w, const char *path)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int rc = lg_fs_read(&b, path, STATE_MAX);

    memset(w, 0, sizeof *w);
    if (rc == LEDGER_ENOTFOUND) {
        ledger_error_clear();
        return 0;
    }
    if (rc < 0)
        return rc;
    rc = wstate_parse(w, b.data, b.len, path);
    ledger_buf_dispose(&b);
    if (rc < 0)
        lg_wstate_free(w);
    return rc;
}

int
lg_wstate_save(const lg_wstate *w, const char *path)
{
    size_t cap = sizeof STATE_HEADER + w->n * (LEDGER_NAME_MAX + 24 + LG_B64_LEN(LG_HASH) + 3);
    char *buf = lg_malloc(cap), root[LG_B64_LEN(LG_HASH) + 1];
    size_t off;
    int rc;

    if (buf == NULL)
        return lg_error_nomem();
    off = (size_t)snprintf(buf, cap, "%s\n", STATE_HEADER);
    for (size_t i = 0; i < w->n; i++) {
        lg_b64_encode(root, w->v[i].root, LG_HASH);
        off += (size_t)snprintf(buf + off, cap - off, "%s %" PRIu64 " %s\n", w->v[i].origin,
                                w->v[i].size, root);
    }
    rc = lg_fs_write_atomic(path, buf, off, 0600);
    lg_free(buf);
    return rc;
}

lg_checkpoint *
lg_wstate_find(lg_wstate *w, const char *origin)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->v[i].origin, origin) == 0)
            return &w->v[i];
    return NULL;
}

/* Exclusive lock on PATH.lock, held until the descriptor is closed. */
int
lg_wstate_lock(int *fd_out, const char *path)
{
    size_t n = strlen(path) + 6;
    char *lp = lg_malloc(n);
    struct flock fl;
    int fd;

    if (lp == NULL)
        return lg_error_nomem();
    snprintf(lp, n, "%s.lock", path);
    fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int rc = lg_error_set(LEDGER_EIO, "%s: %s", lp, strerror(errno));
        lg_free(lp);
        return rc;
    }
    lg_free(lp);
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLKW, &fl) != 0) {
        if (errno == EINTR)
            continue;
        close(fd);
        return lg_error_set(LEDGER_EBUSY, "cannot lock %s.lock: %s", path, strerror(errno));
    }
    *fd_out = fd;
    return 0;
}

/* Lock and load the state; *have_out says whether `origin` is in it and
 * *held_out is a copy of its entry. */
int
lg_wstate_open(int *lock_fd, lg_wstate *w, const char *path, const char *origin,
               lg_checkpoint *held_out, int *have_out)
{
    lg_checkpoint *prev;
    int rc;

    if ((rc = lg_wstate_lock(lock_fd, path)) < 0 || (rc = lg_wstate_load(w, path)) < 0)
        return rc;
    prev = lg_wstate_find(w, origin);
    *have_out = prev != NULL;
    if (prev != NULL)
        *held_out = *prev;
    return 0;
}

/* Set cp as the state of its origin (new or replaced) and save. */
int
lg_wstate_store(lg_wstate *w, const char *path, const lg_checkpoint *cp)
{
    lg_checkpoint *prev = lg_wstate_find(w, cp->origin);

    if (prev == NULL) {
        lg_checkpoint *nv;

        if (w->n == LEDGER_WITNESS_MAX_LOGS)
            return lg_error_set(LEDGER_EINVAL, "witness state already holds %d logs",
                                LEDGER_WITNESS_MAX_LOGS);
        if ((nv = lg_realloc(w->v, (w->n + 1) * sizeof *nv)) == NULL)
            return lg_error_nomem();
        w->v = nv;
        prev = &w->v[w->n++];
    }
    *prev = *cp;
    return lg_wstate_save(w, path);
}

int
ledger_witness_state_get(ledger_checkpoint *out, const char *state_path, const char *origin)
{
    lg_wstate w;
    lg_checkpoint *cp;
    int rc;

    if (out == NULL || state_path == NULL || origin == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness state: missing argument");
    memset(out, 0, sizeof *out);
    if ((rc = lg_wstate_load(&w, state_path)) < 0)
        return rc;
    cp = lg_wstate_find(&w, origin);
    if (cp == NULL)
        rc = lg_error_set(LEDGER_ENOTFOUND, "this witness never cosigned %.100s", origin);
    else {
        memcpy(out->origin, cp->origin, sizeof out->origin);
        out->size = cp->size;
        memcpy(out->root, cp->root, LG_HASH);
    }
    lg_wstate_free(&w);
    return rc;
}

/* ---- cosign ---- */

const ledger_vkey *
lg_witness_log_key(const ledger_witness_options *o, const char *origin)
{
    for (size_t i = 0; i < o->n_log_keys; i++)
        if (o->log_keys[i].type == LEDGER_SIGTYPE_ED25519 &&
            strcmp(o->log_keys[i].name, origin) == 0)
            return &o->log_keys[i];
    return NULL;
}

int
ledger_witness_cosign(ledger_buf *line_out, ledger_witness_result *result,
                      const ledger_witness_options *o, const uint8_t *checkpoint, size_t cp_len,
                      const uint8_t *proof, size_t proof_len)
{
    lg_witness_request req;
    lg_note *note = NULL;
    lg_checkpoint cp, saved;
    const ledger_vkey *lk;
    lg_wstate w = {0, NULL};
    int lock_fd = -1, have_prev, rc;
    uint64_t ts;

    if (line_out == NULL || o == NULL || o->witness_key == NULL || o->state_path == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness: missing argument");
    if (o->version != LEDGER_WITNESS_OPTIONS_VERSION)
        return lg_error_set(LEDGER_EINVAL, "witness: unknown options version %u", o->version);
    line_out->data = NULL;
    line_out->len = 0;
    memset(&req, 0, sizeof req);
    if (proof != NULL && (rc = lg_witness_request_parse(&req, proof, proof_len)) < 0)
        return rc;
    if (checkpoint == NULL) {
        checkpoint = req.note;
        cp_len = req.note_len;
    } else if (req.note != NULL &&
               (req.note_len != cp_len || memcmp(req.note, checkpoint, cp_len) != 0)) {
        return lg_error_set(LEDGER_EFORMAT, "the request carries another checkpoint than the one "
                                            "given");
    }
    if (checkpoint == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness: no checkpoint to cosign");

    /* The log's signature first: nothing about an unsigned note matters. */
    if ((rc = lg_note_parse(&note, checkpoint, cp_len)) < 0)
        return lg_error_prefix(rc, "checkpoint");
    if ((rc = lg_checkpoint_parse(&cp, note->buf, note->text_len)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if ((lk = lg_witness_log_key(o, cp.origin)) == NULL) {
        rc = lg_error_set(LEDGER_ENOTFOUND, "unknown log %.100s: this witness has no key for it",
                          cp.origin);
        goto done;
    }
    if ((rc = lg_note_verify(note, lk, 1, NULL, NULL)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint of %.100s", cp.origin);
        goto done;
    }

    /* Compare-and-swap on the state file, under the lock. */
    if ((rc = lg_wstate_open(&lock_fd, &w, o->state_path, cp.origin, &saved, &have_prev)) < 0)
        goto done;
    if (proof == NULL) /* no proof given: fine on first contact or for the same size */
        req.old_size = have_prev ? saved.size : 0;
    if (have_prev && proof == NULL && cp.size > saved.size) {
        rc = lg_error_set(LEDGER_EPROOF,
                          "this witness last cosigned size %" PRIu64 " of %.100s: give a "
                          "consistency proof from %" PRIu64 " to %" PRIu64,
                          saved.size, cp.origin, saved.size, cp.size);
        goto done;
    }
    if ((rc = lg_witness_decide(have_prev ? &saved : NULL, &cp, req.old_size,
                                (const lg_hash *)req.hashes, req.n)) < 0)
        goto done;
    if ((!have_prev || saved.size != cp.size) && (rc = lg_wstate_store(&w, o->state_path, &cp)) < 0)
        goto done;
    ts = o->timestamp ? o->timestamp : (uint64_t)time(NULL);
    if ((rc = lg_note_cosign(line_out, note->buf, note->text_len, ts, o->witness_key)) < 0)
        goto done;
    if (lg_witness_keep_latest(o->state_path, cp.origin, checkpoint, cp_len, line_out) < 0)
        ledger_error_clear(); /* the monitoring copy may lag; the state is what counts */
    if (result != NULL) {
        memset(result, 0, sizeof *result);
        memcpy(result->origin, cp.origin, sizeof result->origin);
        result->old_size = have_prev ? saved.size : 0;
        result->size = cp.size;
        result->timestamp = ts;
    }
done:
    if (lock_fd >= 0)
        close(lock_fd);
    lg_wstate_free(&w);
    lg_note_free(note);
    return rc;
}
