/*
 * civil.h (internal) - proleptic Gregorian calendar arithmetic for
 * timestamps (RFC 3339 in JSON, STIX times). Pure.
 */
#ifndef LG_CIVIL_H
#define LG_CIVIL_H

#include <stdint.h>

/* Days since 1970-01-01 of year y, month m (1-12), day d (1-31). */
int64_t lg_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The civil date of day z since 1970-01-01. */
void lg_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
