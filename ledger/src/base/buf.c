/*
 * buf.c - ledger_buf, the variable-size result type of the public API
 * (attrledger/buf.h): allocate and dispose, through the library's
 * allocator (STYLE.md 4: the caller never free()s our memory).
 */
#include "attrledger/buf.h"

#include <stdint.h>

#include "base/alloc.h"
#include "base/error.h"

int
ledger_buf_alloc(ledger_buf *out, size_t len)
{
    if (out == NULL || len == SIZE_MAX)
        return lg_error_set(LEDGER_EINVAL, "buffer: bad argument");
    out->data = lg_malloc(len + 1);
    out->len = 0;
    if (out->data == NULL)
        return lg_error_nomem();
    out->data[len] = '\0';
    out->len = len;
    return 0;
}

void
ledger_buf_dispose(ledger_buf *buf)
{
    if (buf == NULL)
        return;
    lg_free(buf->data);
    buf->data = NULL;
    buf->len = 0;
}
