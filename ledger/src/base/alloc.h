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
 * countdown < 0 disables injection. Returns how many allocations failed.
 */
void lg_alloc_fail_after(long countdown, int persistent);
long lg_alloc_failures(void);

/* The protobuf-c allocator backed by lg_malloc (void * to avoid the header). */
void *lg_alloc_protobuf(void);

#endif
