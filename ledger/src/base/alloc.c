/*
 * alloc.c - the library's allocator with fault injection.
 *
 * Every allocation in ledger/ comes through here. Tests call
 * lg_alloc_fail_after(N, persistent) to make the N-th allocation fail and
 * check that each failure returns LEDGER_ENOMEM and leaks nothing (SQLite's
 * malloc-failure loop). In normal use the countdown is disabled and the cost
 * is one predictable branch.
 */
#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

static _Thread_local long fail_countdown = -1;
static _Thread_local int fail_persistent;
static _Thread_local long fail_count;

static int
should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0) {
        fail_count++;
        if (!fail_persistent)
            fail_countdown = -1;
        return 1;
    }
    fail_countdown--;
    return 0;
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

void *
lg_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *
lg_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *
lg_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
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
