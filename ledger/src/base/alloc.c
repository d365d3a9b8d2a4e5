/*
 * alloc.c - the library's allocator with fault injection.
 *
 * Every allocation in ledger/ comes through here. Tests call
 * lg_alloc_fail_after(N, persistent) to make the N-th allocation fail and
 * check that each failure returns LEDGER_ENOMEM and leaks nothing (SQLite's
 * malloc-failure loop). In normal use the countdown is disabled and the cost
 * is one predictable branch.
 *
 * Every NULL these functions return is counted, injected or real (the
 * system's malloc failing), so a caller whose dependency returns one value
 * for "bad input" and "no memory" (protobuf-c's unpack, jansson's parser)
 * can tell the two apart: compare lg_alloc_failures() before and after the
 * call (lg_alloc_failed_since()). A real out-of-memory is then reported as
 * LEDGER_ENOMEM, never as malformed input or a corrupt ledger.
 */
#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

static _Thread_local long fail_countdown = -1;
static _Thread_local int fail_persistent;
static _Thread_local long fail_count; /* every NULL returned, injected or real */

static int
should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0) {
        if (!fail_persistent)
            fail_countdown = -1;
        return 1;
    }
    fail_countdown--;
    return 0;
}

/* Count a NULL on its way out. */
static void *
counted(void *p)
{
    if (p == NULL)
        fail_count++;
    return p;
}

void
lg_alloc_fail_after(long countdown, int persistent)
{
    fail_countdown = countdown;
    fail_persistent = persistent;
    fail_count = 0;
}

long
lg_alloc_failures(void)
{
    return fail_count;
}

int
lg_alloc_failed_since(long before)
{
    return fail_count != before;
}

void *
lg_malloc(size_t n)
{
    if (should_fail())
        return counted(NULL);
    return counted(malloc(n ? n : 1));
}

void *
lg_calloc(size_t count, size_t size)
{
    if (should_fail())
        return counted(NULL);
    return counted(calloc(count ? count : 1, size ? size : 1));
}

void *
lg_realloc(void *p, size_t n)
{
    if (should_fail())
        return counted(NULL);
    return counted(realloc(p, n ? n : 1));
}

void
lg_free(void *p)
{
    free(p);
}

char *
lg_strndup(const char *s, size_t n)
{
    char *d = lg_malloc(n + 1);

    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
lg_strdup(const char *s)
{
    return lg_strndup(s, strlen(s));
}

static void *
pb_alloc(void *data, size_t size)
{
    (void)data;
    return lg_malloc(size);
}

static void
pb_free(void *data, void *p)
{
    (void)data;
    lg_free(p);
}

static ProtobufCAllocator pb_allocator = {pb_alloc, pb_free, NULL};

void *
lg_alloc_protobuf(void)
{
    return &pb_allocator;
}
