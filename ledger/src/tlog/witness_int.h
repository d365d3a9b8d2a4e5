/*
 * witness_int.h (internal) - the pure parts of the witness: request and
 * proof parsing, and the cosign-or-refuse decision (C2SP tlog-witness
 * v1.0.0, add-checkpoint). witness.c wraps them with the state file.
 */
#ifndef LG_WITNESS_INT_H
#define LG_WITNESS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "attrledger/witness.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

/* tlog-witness: at most 63 proof lines in a request. */
#define LG_WITNESS_MAX_PROOF 63

typedef struct {
    uint64_t old_size;
    size_t n;
    lg_hash hashes[LG_PROOF_MAX_HASHES];
    const uint8_t *note; /* the checkpoint after the blank line, or NULL */
    size_t note_len;
} lg_witness_request;

/*
 * Parse "old N\n" + base64 hashes (one per line) + optionally "\n" and a
 * checkpoint note (an add-checkpoint body), or the JSON of a consistency
 * proof ({old_size, new_size, old_root, new_root, hashes}: old_size and
 * hashes are used; the roots are taken from the witness state and the
 * checkpoint, never from the proof). Pointers refer into text.
 *
 * @return 0, LEDGER_EFORMAT ("proof line N: ..."), LEDGER_ENOMEM.
 */
int lg_witness_request_parse(lg_witness_request *out, const uint8_t *text, size_t len);

/*
 * Decide whether a witness whose state for cp->origin is `prev` (NULL:
 * never cosigned it) may cosign `cp` given a consistency proof from
 * old_size. Signatures are checked by the caller.
 *
 * @return 0 (cosign), LEDGER_EPROOF (rollback, fork, wrong old size, bad
 *         proof, non-empty root for size 0; the message says which).
 */
int lg_witness_decide(const lg_checkpoint *prev, const lg_checkpoint *cp, uint64_t old_size,
                      const lg_hash *proof, size_t n);

/*
 * The witness state file (witness.c): the last cosigned checkpoint per
 * origin. lg_wstate_lock takes the exclusive lock on STATE.lock (held until
 * the descriptor is closed); load (a missing file is an empty state), find
 * and save (temp file, fsync, rename) run under it.
 */
typedef struct {
    size_t n;
    lg_checkpoint *v;
} lg_wstate;

int lg_wstate_lock(int *fd_out, const char *path);
int lg_wstate_load(lg_wstate *w, const char *path);
int lg_wstate_save(const lg_wstate *w, const char *path);
lg_checkpoint *lg_wstate_find(lg_wstate *w, const char *origin);
void lg_wstate_free(lg_wstate *w);
/* Lock and load; *have_out: origin is in the state, *held_out its entry. */
int lg_wstate_open(int *lock_fd, lg_wstate *w, const char *path, const char *origin,
                   lg_checkpoint *held_out, int *have_out);
/* Make cp the state of its origin (added or replaced) and save. */
int lg_wstate_store(lg_wstate *w, const char *path, const lg_checkpoint *cp);

/* The Ed25519 key of `origin` among the witness's log keys, or NULL. */
const ledger_vkey *lg_witness_log_key(const ledger_witness_options *o, const char *origin);

/* Keep `note` plus this witness's cosignature `line` as the latest cosigned
 * checkpoint of `origin` (STATE.d/<hex SHA-256 of origin>, see
 * ledger_witness_latest). 0, LEDGER_EIO, LEDGER_EFORMAT, LEDGER_ENOMEM. */
/* Hex SHA-256 of an origin: the name of its latest-checkpoint file. */
void lg_witness_origin_hex(char hex[65], const char *origin);
int lg_witness_keep_latest(const char *state_path, const char *origin, const uint8_t *note,
                           size_t note_len, const ledger_buf *line);

#endif
