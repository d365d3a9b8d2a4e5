/*
 * error.c - thread-local last error (libgit2 style).
 *
 * The message buffer is fixed-size and thread-local, so reporting needs no
 * allocation. Messages quote paths and record text: control and
 * bidirectional characters are escaped as they are set, and a message
 * longer than the buffer ends with an ellipsis (never cut silently). lg_error_prefix() adds context ("entry 12: ...") when an error
 * travels up from a pure module to the place that knows where it happened.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/textesc.h"

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

/* A formatted message that did not fit `raw` ends with an ellipsis, cut at
 * a character boundary. */
static void
mark_cut(char *raw, size_t cap)
{
    size_t i = cap - 4;

    while (i > 0 && ((unsigned char)raw[i] & 0xc0) == 0x80)
        i--;
    memcpy(raw + i, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
}

/* The message is `raw` with control and bidirectional characters escaped
 * (it quotes file names and record text, and is printed on terminals), cut
 * visibly, never silently, when it is longer than the message buffer. */
static void
set_message(const char *raw)
{
    lg_text_escape_to(last_error.message, sizeof last_error.message, raw, LG_TEXT_KEEP_BACKSLASH,
                      NULL);
}

int
lg_error_set(int code, const char *fmt, ...)
{
    char raw[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    if (n < 0)
        snprintf(raw, sizeof raw, "%s", ledger_strerror(code));
    else if ((size_t)n >= sizeof raw)
        mark_cut(raw, sizeof raw);
    last_error.code = code;
    last_error.refusal = code == LEDGER_EPOLICY ? LEDGER_REFUSAL_RULE : LEDGER_REFUSAL_NONE;
    set_message(raw);
    return code;
}

int
lg_error_prefix(int code, const char *fmt, ...)
{
    char raw[1024];
    const char *rest;
    va_list ap;
    int n, m;

    rest = (last_error.code == LEDGER_OK || last_error.message[0] == '\0')
               ? ledger_strerror(code)
               : last_error.message;
    va_start(ap, fmt);
    n = vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof raw) {
        m = snprintf(raw + n, sizeof raw - (size_t)n, ": %s", rest);
        if (m >= 0 && (size_t)n + (size_t)m >= sizeof raw)
            mark_cut(raw, sizeof raw);
    } else {
        mark_cut(raw, sizeof raw);
    }
    if (code != last_error.code)
        last_error.refusal = code == LEDGER_EPOLICY ? LEDGER_REFUSAL_RULE : LEDGER_REFUSAL_NONE;
    last_error.code = code;
    set_message(raw);
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
