/*
 * fuzz_policy.c - C2SP tlog-policy files (ledger_tlog_policy_parse) and
 * witness add-checkpoint requests (lg_witness_request_parse), both fed
 * the whole input.
 *
 * A policy that parses is applied to a fixed checkpoint signed by the fuzz
 * log key and cosigned by the same key as a witness, so the quorum rules
 * run (seed: log + witness w1 + quorum w1, which must verify).
 *
 * Invariants: a parsed policy has 1..64 witnesses reachable by index and
 * none past the end; a verification that succeeds met its quorum; a parsed
 * request has at most LG_PROOF_MAX_HASHES proof hashes and its note lies inside the input.
 */
#include <string.h>

#include "fuzz.h"
#include "tlog/note.h"
#include "tlog/witness_int.h"

static ledger_buf note = LEDGER_BUF_INIT;

static void
make_note(void)
{
    static const char body[] = FUZZ_ORIGIN "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    ledger_buf signed_note = LEDGER_BUF_INIT, line = LEDGER_BUF_INIT;
    lg_note *n = NULL;

    if (note.data != NULL)
        return;
    if (lg_note_sign(&signed_note, (const uint8_t *)body, strlen(body), fuzz_log_key()) < 0 ||
        lg_note_parse(&n, signed_note.data, signed_note.len) < 0 ||
        lg_note_cosign(&line, n->buf, n->text_len, 1700000000, fuzz_log_key()) < 0 ||
        lg_note_add_lines(&note, signed_note.data, signed_note.len, line.data, line.len) < 0)
        abort();
    lg_note_free(n);
    ledger_buf_dispose(&line);
    ledger_buf_dispose(&signed_note);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_tlog_policy *p = NULL;
    ledger_policy_report rep;
    lg_witness_request req;

    fuzz_init();
    make_note();
    if (ledger_tlog_policy_parse(&p, (const char *)data, size) == 0) {
        size_t n = ledger_tlog_policy_witnesses(p);

        fuzz_check(n <= LEDGER_POLICY_MAX_WITNESSES);
        for (size_t i = 0; i < n; i++)
            fuzz_check(ledger_tlog_policy_witness(p, i) != NULL);
        fuzz_check(ledger_tlog_policy_witness(p, n) == NULL);
        if (ledger_checkpoint_verify_policy(&rep, note.data, note.len, p) == 0) {
            fuzz_check(rep.quorum_met == 1);
            fuzz_check(rep.n_cosigned <= n);
        }
        ledger_tlog_policy_free(p);
    }
    if (lg_witness_request_parse(&req, data, size) == 0) {
        fuzz_check(req.n <= LG_PROOF_MAX_HASHES);
        if (req.note != NULL)
            fuzz_check(req.note >= data && req.note + req.note_len <= data + size);
    }
    return 0;
}
