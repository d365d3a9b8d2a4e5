/*
 * fuzz_note.c - C2SP signed notes and checkpoints: lg_note_parse,
 * lg_note_verify (with the fuzz log key and a witness-type key),
 * lg_checkpoint_parse on the note text, ledger_checkpoint_verify, and
 * lg_note_add_lines.
 *
 * Invariant: a checkpoint body that parses formats back to its first three
 * lines; a checkpoint that verifies parses.
 */
#include <string.h>

#include "fuzz.h"
#include "tlog/note.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_note *n = NULL;
    lg_checkpoint cp;
    ledger_checkpoint lcp;
    ledger_buf b = LEDGER_BUF_INIT;
    ledger_vkey keys[2];
    int verified[2];
    uint64_t ts[2];

    fuzz_init();
    keys[0] = *fuzz_log_vkey();
    ledger_key_vkey(&keys[1], fuzz_log_key(), LEDGER_SIGTYPE_COSIGNATURE);
    if (lg_note_parse(&n, data, size) == 0) {
        (void)lg_note_verify(n, keys, 2, verified, ts);
        for (size_t i = 0; i < n->n_sigs; i++)
            (void)lg_note_sig_key(&n->sigs[i], keys, 2);
        if (lg_checkpoint_parse(&cp, n->buf, n->text_len) == 0 &&
            lg_checkpoint_format(&b, &cp) == 0) {
            fuzz_check(b.len <= n->text_len && memcmp(b.data, n->buf, b.len) == 0);
            ledger_buf_dispose(&b);
        }
        lg_note_free(n);
    }
    /* The whole input as a bare checkpoint body, too. */
    if (lg_checkpoint_parse(&cp, data, size) == 0 && lg_checkpoint_format(&b, &cp) == 0) {
        fuzz_check(b.len <= size && memcmp(b.data, data, b.len) == 0);
        ledger_buf_dispose(&b);
    }
    if (ledger_checkpoint_verify(&lcp, data, size, fuzz_log_vkey()) == 0)
        fuzz_check(strcmp(lcp.origin, FUZZ_ORIGIN) == 0);
    /* Split the input in two: a note and extra signature lines. */
    if (size > 1) {
        size_t cut = data[0] % size;
        if (lg_note_add_lines(&b, data + 1, cut, data + 1 + cut, size - 1 - cut) == 0) {
            lg_note *again = NULL;
            fuzz_check(lg_note_parse(&again, b.data, b.len) == 0);
            lg_note_free(again);
            ledger_buf_dispose(&b);
        }
    }
    return 0;
}
