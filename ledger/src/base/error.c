/*
 * error.c - thread-local last error (libgit2 style).
 *
 * The message buffer is fixed-size and thread-local, so reporting needs no
 * allocation. lg_error_prefix() adds context ("entry 12: ...") when an error
 * travels up from a pure module to the place that knows where it happened.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local ledger_error last_error;

const ledger_error *
ledger_error_last(void)
{
    return &last_error;
}

void
ledger_error_clear(void)
{
    last_error.code = LEDGER_OK;
    last_error.message[0] = '\0';
    last_error.refusal = LEDGER_REFUSAL_NONE;
}

int
lg_error_set(int code, const char *fmt, ...)
{
    va_list ap;

    last_error.code = code;
    last_error.refusal = code == LEDGER_EPOLICY ? LEDGER_REFUSAL_RULE : LEDGER_REFUSAL_NONE;
    va_start(ap, fmt);
    vsnprintf(last_error.message, sizeof last_error.message, fmt, ap);
    va_end(ap);
    return code;
}

int
lg_error_prefix(int code, const char *fmt, ...)
{
    char msg[sizeof last_error.message];
    const char *rest;
    size_t n, m;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rest = (last_error.code == LEDGER_OK || last_error.message[0] == '\0')
               ? ledger_strerror(code)
               : last_error.message;
    /* Truncation is intended: messages are one line of at most 255 bytes. */
    n = strlen(msg);
    if (n + 2 < sizeof msg) {
        memcpy(msg + n, ": ", 2);
        n += 2;
        m = strlen(rest);
        if (m > sizeof msg - 1 - n)
            m = sizeof msg - 1 - n;
        memcpy(msg + n, rest, m);
        n += m;
    }
    msg[n] = '\0';
    memcpy(last_error.message, msg, n + 1);
    if (code != last_error.code)
        last_error.refusal = code == LEDGER_EPOLICY ? LEDGER_REFUSAL_RULE : LEDGER_REFUSAL_NONE;
    last_error.code = code;
    return code;
}

int
lg_error_refusal(int kind, int code)
{
    if (code == LEDGER_EPOLICY && last_error.code == LEDGER_EPOLICY)
        last_error.refusal = kind;
    return code;
}

int
lg_error_nomem(void)
{
    return lg_error_set(LEDGER_ENOMEM, "out of memory");
}

const char *
ledger_strerror(int code)
{
    switch ((ledger_err)code) {
    case LEDGER_OK:
        return "success";
    case LEDGER_ERROR:
        return "error";
    case LEDGER_EINVAL:
        return "invalid argument";
    case LEDGER_ENOMEM:
        return "out of memory";
    case LEDGER_EIO:
        return "input/output error";
    case LEDGER_EFORMAT:
        return "malformed input";
    case LEDGER_ENOTFOUND:
        return "not found";
    case LEDGER_EEXISTS:
        return "already exists";
    case LEDGER_EBUSY:
        return "ledger is busy";
    case LEDGER_EBADSIG:
        return "signature verification failed";
    case LEDGER_EPROOF:
        return "proof verification failed";
    case LEDGER_ECORRUPT:
        return "ledger is corrupt";
    case LEDGER_EFULL:
        return "ledger store is full";
    case LEDGER_EPASSPHRASE:
        return "wrong passphrase";
    case LEDGER_EVERSION:
        return "unsupported format version";
    case LEDGER_EREADONLY:
        return "ledger is read-only";
    case LEDGER_EPOLICY:
        return "rejected by ledger policy";
    }
    return "unknown error";
}
