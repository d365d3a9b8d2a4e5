/*
 * fuzz_trail.c - JSON Lines audit trails (ledger_audit_new, ledger_audit_line,
 * ledger_audit_finish) against the fuzz log key.
 *
 * Input: the trail's bytes. Each '\n'-terminated line is fed in turn; a
 * last line without a newline is fed too (and must be rejected).
 *
 * Invariants: after a failure every further line and the finish return the
 * same code; a trail that audits has at most as many signatures checked as
 * it can hold and reports the checkpoint of the fuzz log.
 */
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_audit *a = NULL;
    ledger_audit_report rep;
    size_t pos = 0;
    int rc = 0, frc;

    fuzz_init();
    if (ledger_audit_new(&a, fuzz_log_vkey()) < 0)
        return 0;
    while (pos < size) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : size - pos;
        int lrc = ledger_audit_line(a, data + pos, len);

        if (rc < 0)
            fuzz_check(lrc == rc);
        else if (lrc < 0)
            rc = lrc;
        if (nl == NULL)
            fuzz_check(lrc < 0);
        pos += len;
    }
    frc = ledger_audit_finish(&rep, a);
    if (rc < 0)
        fuzz_check(frc == rc);
    if (frc == 0) {
        fuzz_check(rep.entries <= size);
        fuzz_check(rep.checkpoint.size >= rep.entries);
        fuzz_check(strcmp(rep.checkpoint.origin, FUZZ_ORIGIN) == 0);
    }
    ledger_audit_free(a);
    return 0;
}
