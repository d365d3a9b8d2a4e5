/*
 * testutil.h - helpers shared by the unit tests (cmocka).
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Decode lowercase/uppercase hex into out (len/2 bytes); returns bytes or -1. */
long tu_hex(uint8_t *out, size_t cap, const char *hex);
/* Decode standard base64 into out; returns bytes or -1. */
long tu_b64(uint8_t *out, size_t cap, const char *b64);
/* Create a fresh temp directory (mkdtemp under $TMPDIR or /tmp); returns a
 * malloc'd path. */
char *tu_tempdir(void);
/* Remove a directory tree (best effort). */
void tu_rmtree(const char *path);
/* Read a whole file; returns malloc'd bytes (NUL-terminated) or NULL. */
uint8_t *tu_read_file(const char *path, size_t *len_out);
/* Write bytes to a file (truncate); returns 0 or -1. */
int tu_write_file(const char *path, const void *data, size_t len);

/* Assert a library call returned `code`, printing the library message. */
#define TU_CHECK(expr, code)                                                     \
    do {                                                                         \
        int tu_rc_ = (expr);                                                     \
        if (tu_rc_ != (code))                                                    \
            fail_msg("%s returned %d, want %d: %s", #expr, tu_rc_, (code),       \
                     ledger_error_last()->message);                              \
    } while (0)
#define TU_OK(expr) TU_CHECK(expr, 0)

#endif
