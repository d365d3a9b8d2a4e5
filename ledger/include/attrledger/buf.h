/*
 * buf.h - variable-size results.
 *
 * Functions that return bytes of unknown length fill a caller-provided
 * ledger_buf. The memory belongs to the library's allocator: release it with
 * ledger_buf_dispose(), never free(). Text results are NUL-terminated (the
 * NUL is not counted in len), so they can be printed directly.
 */
#ifndef ATTRLEDGER_BUF_H
#define ATTRLEDGER_BUF_H

#include "common.h"

typedef struct {
    uint8_t *data; /**< NULL when empty */
    size_t len;    /**< bytes, not counting the trailing NUL of text results */
} ledger_buf;

#define LEDGER_BUF_INIT {NULL, 0}

/**
 * Allocate `len` bytes (plus a NUL byte after them, not counted in len)
 * with the library's allocator, for callbacks that hand data to the library
 * (ledger_fetch_fn). The contents are uninitialised except the NUL.
 *
 * @return 0, LEDGER_ENOMEM.
 */
LEDGER_API int ledger_buf_alloc(ledger_buf *out, size_t len);

/** Release a buffer's memory and reset it to empty. Accepts NULL. */
LEDGER_API void ledger_buf_dispose(ledger_buf *buf);

/** Encoded length of n bytes in standard base64, without the NUL. */
#define LEDGER_B64_LEN(n) ((((n) + 2) / 3) * 4)

/**
 * Standard padded base64 (RFC 4648 section 4) of n bytes into out, which
 * holds LEDGER_B64_LEN(n) + 1 bytes; NUL-terminated.
 */
LEDGER_API void ledger_b64_encode(char *out, const uint8_t *in, size_t n);

#endif
