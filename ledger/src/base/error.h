/*
 * error.h (internal) - setting the thread's last error.
 */
#ifndef LG_ERROR_H
#define LG_ERROR_H

#include "attrledger/error.h"

#if defined(__GNUC__)
#define LG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LG_PRINTF(a, b)
#endif

/*
 * Set the last error and return `code`, so `return lg_error_set(...)` works.
 * The message is formatted into a fixed thread-local buffer (no allocation,
 * so ENOMEM can be reported) and truncated at 255 bytes.
 */
int lg_error_set(int code, const char *fmt, ...) LG_PRINTF(2, 3);

/* Prefix the current message with "prefix: " (keeps the code). */
int lg_error_prefix(int code, const char *fmt, ...) LG_PRINTF(2, 3);

/* Set the refusal kind of the current LEDGER_EPOLICY error (ledger_refusal)
 * and return `code`: `return lg_error_refusal(KIND, lg_error_set(...))`. */
int lg_error_refusal(int kind, int code);

/* Shorthand for out of memory. */
int lg_error_nomem(void);

#endif
