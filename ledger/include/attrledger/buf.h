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

/** Release a buffer's memory and reset it to empty. Accepts NULL. */
LEDGER_API void ledger_buf_dispose(ledger_buf *buf);

#endif
