/*
 * witness_latest.c - the latest checkpoint a witness cosigned, per origin:
 * STATE.d/<hex SHA-256 of origin>, the checkpoint with this witness's
 * cosignature line, written after the state file (it may lag the state by
 * one request after a crash, which C2SP tlog-witness allows for this
 * monitoring resource). Used by both cosigning paths (witness.c's
 * `witness cosign` and witness_proto.c's add-checkpoint) and by the read
 * endpoint GET /<hex>/checkpoint (ledger_witness_latest).
 */
#include <stdio.h>
#include <string.h>

#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "base/fsutil.h"
#include "crypto/crypto.h"
#include "tlog/note.h"
#include "tlog/witness_int.h"

void
lg_witness_origin_hex(char hex[65], const char *origin)
{
    uint8_t h[32];

    lg_sha256(h, (const uint8_t *)origin, strlen(origin));
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

static char *
latest_path(const char *state_path, const char *hex)
{
    size_t n = strlen(state_path) + 4 + 64 + 1;
    char *p = lg_malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s.d/%s", state_path, hex);
    return p;
}

int
lg_witness_keep_latest(const char *state_path, const char *origin, const uint8_t *note,
                       size_t note_len, const ledger_buf *line)
{
    ledger_buf full = LEDGER_BUF_INIT;
    char hex[65], *path;
    int rc;

    lg_witness_origin_hex(hex, origin);
    if ((path = latest_path(state_path, hex)) == NULL)
        return lg_error_nomem();
    if ((rc = lg_note_add_lines(&full, note, note_len, line->data, line->len)) == 0 &&
        (rc = lg_fs_mkdirs(path, 0)) == 0)
        rc = lg_fs_write_atomic(path, full.data, full.len, 0644);
    ledger_buf_dispose(&full);
    lg_free(path);
    return rc;
}

int
ledger_witness_latest(ledger_buf *out, const char *state_path, const char *hex)
{
    char *path;
    int rc;

    if (out == NULL || state_path == NULL || hex == NULL)
        return lg_error_set(LEDGER_EINVAL, "witness: missing argument");
    out->data = NULL;
    out->len = 0;
    if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
        return lg_error_set(LEDGER_ENOTFOUND, "not a hex SHA-256 of an origin");
    if ((path = latest_path(state_path, hex)) == NULL)
        return lg_error_nomem();
    rc = lg_fs_read(out, path, LG_NOTE_MAX);
    lg_free(path);
    if (rc == LEDGER_ENOTFOUND)
        rc = lg_error_set(LEDGER_ENOTFOUND, "this witness has cosigned no checkpoint of that log");
    return rc;
}

