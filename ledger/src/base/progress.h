/*
 * progress.h (internal) - report how far a long operation (verify, an
 * export) has come through the caller's ledger_progress_fn (ledger.h).
 *
 * An operation over `total` entries that reads them in `passes` passes
 * calls lg_progress_at() as it goes and moves `pass` on after each pass;
 * the caller sees entries: pass p at entry d reports (p * total + d) /
 * passes of total. The callback runs for the
 * first unit, every LG_PROGRESS_STEP units and at the end, so a caller
 * that draws a line pays nothing per entry. A NULL tracker or callback
 * makes every call a no-op.
 */
#ifndef LG_PROGRESS_H
#define LG_PROGRESS_H

#include <stdint.h>

#include "attrledger/ledger.h"

#define LG_PROGRESS_STEP 1024

typedef struct {
    ledger_progress_fn fn;
    void *payload;
    uint64_t total;  /* entries */
    unsigned passes; /* over them (0 counts as 1) */
    unsigned pass;   /* the current pass, from 0 */
} lg_progress;

/* `done` entries of the current pass. */
static inline void
lg_progress_at(const lg_progress *p, uint64_t done)
{
    if (p != NULL && p->fn != NULL && (done == 1 || done % LG_PROGRESS_STEP == 0)) {
        uint64_t n = p->passes > 1 ? p->passes : 1, at = p->pass < n ? p->pass : n - 1;
        p->fn(p->payload, (at * p->total + done) / n, p->total);
    }
}

/* The operation is complete. */
static inline void
lg_progress_end(const lg_progress *p)
{
    if (p != NULL && p->fn != NULL)
        p->fn(p->payload, p->total, p->total);
}

#endif
