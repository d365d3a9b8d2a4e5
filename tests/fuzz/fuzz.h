/*
 * fuzz.h - shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput() and feeds the bytes
 * to one family of parsers of outside data. The same files are linked with
 * replay.c (a plain main(), gcc is enough) so ctest runs every committed
 * corpus file through every target in the normal build.
 *
 * Targets must never print, and treat every non-zero return of a parser
 * as a normal outcome: a crash, a sanitizer report, a leak or a failed
 * invariant (fuzz_check) is the only finding.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "attrledger/attrledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant that must hold for every input: abort, so libFuzzer and the
 * replay driver both report it with the input that broke it. */
#define fuzz_check(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

/* ledger_init() once, and the fixed log key the corpora were signed with
 * (seed 0x5a * 32, name FUZZ_ORIGIN), so signature checks are reachable. */
#define FUZZ_ORIGIN "fuzz.example/log"
void fuzz_init(void);
const ledger_key *fuzz_log_key(void);
const ledger_vkey *fuzz_log_vkey(void);

/* fuzz_record only (readers.c): when the record r (decoded from data)
 * is accepted by submit into a copy of the test world, every reader reads
 * the result (aborts otherwise). */
struct lg_record;
void fuzz_readers_check(const uint8_t *data, size_t size, const struct lg_record *r);

#endif
