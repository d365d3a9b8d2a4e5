/*
 * ledger.c - the facade: library initialisation (more to come).
 */
#include "attrledger/buf.h"
#include "attrledger/common.h"

#include "alloc.h"
#include "crypto.h"
#include "json.h"

int
ledger_init(void)
{
    lg_json_init();
    return lg_crypto_init();
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
