/*
 * serve_error.c - the JSON error body every route of `serve` answers with:
 * {"error": {"code", "message", "record"}} (lg_serve_error, serve_int.h),
 * and the server's monotonic clock. In their own file so the routes
 * (serve.c, serve_read.c) and the witness collector (serve_witness.c)
 * depend on them and not on each other.
 */
#include <time.h>

#include <jansson.h>

#include "attrledger/buf.h"
#include "codec/json.h"
#include "net/serve_int.h"

#define JSON_TYPE "application/json"
#define TEXT_TYPE "text/plain; charset=utf-8"

int
lg_serve_error(lg_http_response *resp, unsigned status, const char *code, const char *message,
               long record)
{
    json_t *o = json_object(), *e = json_object();
    ledger_buf b = LEDGER_BUF_INIT;

    if (o == NULL || e == NULL || json_object_set(o, "error", e) != 0 ||
        json_object_set_new(e, "code", json_string(code)) != 0 ||
        json_object_set_new(e, "message", json_string(message ? message : "")) != 0 ||
        (record >= 0 && json_object_set_new(e, "record", json_integer(record)) != 0) ||
        lg_json_dump(&b, o, 0) < 0) {
        json_decref(e);
        json_decref(o);
        return lg_http_reply(resp, status, TEXT_TYPE, "error\n");
    }
    json_decref(e);
    json_decref(o);
    b.data[b.len] = '\n'; /* the NUL becomes the body's newline */
    return lg_http_reply_owned(resp, status, JSON_TYPE, b.data, b.len + 1);
}

uint64_t
lg_serve_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
