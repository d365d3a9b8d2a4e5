/*
 * alloc.h - the library's one allocator.
 *
 * All heap memory goes through lg_malloc/lg_calloc/lg_realloc/lg_free so test
 * builds can make the N-th allocation fail (STYLE.md section 7). protobuf-c
 * and jansson get the same hooks.
 */
#ifndef LG_ALLOC_H
#define LG_ALLOC_H

#include <stddef.h>

void *lg_malloc(size_t n);
void *lg_calloc(size_t count, size_t size);
void *lg_realloc(void *p, size_t n);
void lg_free(void *p);
char *lg_strdup(const char *s);
char *lg_strndup(const char *s, size_t n);

/*
 * Fault injection (test builds and tests only): after `countdown`
 * successful allocations, fail; keep failing when `persistent`.
 * countdown < 0 disables injection. It also resets the failure count.
 */
void lg_alloc_fail_after(long countdown, int persistent);

/*
 * How many NULLs the allocators above returned on this thread since the
 * last lg_alloc_fail_after(): injected failures and real ones alike.
 * Callers of a parser that returns NULL for both bad input and OOM take the
 * count before the call and ask lg_alloc_failed_since(before) after it.
 */
long lg_alloc_failures(void);
int lg_alloc_failed_since(long before);

/* The protobuf-c allocator backed by lg_malloc (void * to avoid the header). */
void *lg_alloc_protobuf(void);

#endif
