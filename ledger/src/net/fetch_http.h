/*
 * fetch_http.h (internal) - what the rest of the library asks of the
 * libcurl loader in fetch_http.c besides the public http.h.
 */
#ifndef LG_FETCH_HTTP_H
#define LG_FETCH_HTTP_H

#include <stddef.h>

/* libcurl's version ("7.88.1") into out, or "" when libcurl cannot be
 * loaded. Loads it (dlopen) without initialising it. */
void lg_http_curl_version(char *out, size_t cap);

#endif
