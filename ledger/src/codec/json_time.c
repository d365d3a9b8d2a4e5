/*
 * json_time.c - google.protobuf.Timestamp, the one well-known type with a
 * special JSON form: an RFC 3339 string (RFC 3339 section 5.6, restricted to
 * the proto3 range 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z).
 * Recognising the type by its descriptor, the strict parser and the UTC
 * formatter; pure, no allocation, no error messages (callers name the path).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/civil.h"
#include "codec/json_int.h"

/* proto3 Timestamp range: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TS_MIN_SECONDS INT64_C(-62135596800)
#define TS_MAX_SECONDS INT64_C(253402300799)

/* Recognise Timestamp by name and check its layout before trusting it. */
int
lg_json_is_timestamp(ts_layout *out, const ProtobufCMessageDescriptor *desc)
{
    const ProtobufCFieldDescriptor *s, *n;

    if (strcmp(desc->name, "google.protobuf.Timestamp") != 0)
        return 0;
    s = protobuf_c_message_descriptor_get_field_by_name(desc, "seconds");
    n = protobuf_c_message_descriptor_get_field_by_name(desc, "nanos");
    if (s == NULL || n == NULL || s->type != PROTOBUF_C_TYPE_INT64 ||
        n->type != PROTOBUF_C_TYPE_INT32 || s->label == PROTOBUF_C_LABEL_REPEATED ||
        n->label == PROTOBUF_C_LABEL_REPEATED)
        return 0;
    out->seconds_offset = s->offset;
    out->nanos_offset = n->offset;
    return 1;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dim[m - 1];
}

/* n decimal digits at s, or -1. */
static long
digits(const char *s, size_t n)
{
    long v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*
 * Strict RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)",
 * uppercase T and Z, no leap second (Timestamp cannot hold one). Returns 0
 * or -1.
 */
int
lg_json_parse_rfc3339(int64_t *sec_out, int32_t *nanos_out, const char *s, size_t len)
{
    long year, mon, day, hour, min, sec, oh = 0, om = 0;
    int32_t nanos = 0;
    int sign = 0;
    size_t i = 19;
    int64_t t;

    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -1;
    year = digits(s, 4);
    mon = digits(s + 5, 2);
    day = digits(s + 8, 2);
    hour = digits(s + 11, 2);
    min = digits(s + 14, 2);
    sec = digits(s + 17, 2);
    if (year < 1 || mon < 1 || mon > 12 || day < 1 ||
        (unsigned long)day > days_in_month(year, (unsigned)mon) || hour < 0 || hour > 23 ||
        min < 0 || min > 59 || sec < 0 || sec > 59)
        return -1;
    if (s[i] == '.') {
        size_t nd = 0;

        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            if (nd == 9)
                return -1;
            nanos = nanos * 10 + (s[i] - '0');
        }
        if (nd == 0)
            return -1;
        for (; nd < 9; nd++)
            nanos *= 10;
    }
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '+' ? 1 : -1;
        if (len - i < 6 || s[i + 3] != ':')
            return -1;
        oh = digits(s + i + 1, 2);
        om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return -1;
        i += 6;
    } else {
        return -1;
    }
    if (i != len)
        return -1;
    t = lg_days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 + hour * 3600 + min * 60 +
        sec - sign * (oh * 3600 + om * 60);
    if (t < TS_MIN_SECONDS || t > TS_MAX_SECONDS)
        return -1;
    *sec_out = t;
    *nanos_out = nanos;
    return 0;
}

/* Format UTC with 0, 3, 6 or 9 fraction digits; buf holds 31 bytes. */
int
lg_json_timestamp_valid(int64_t seconds, int32_t nanos)
{
    return seconds >= TS_MIN_SECONDS && seconds <= TS_MAX_SECONDS && nanos >= 0 &&
           nanos <= 999999999;
}

int
lg_json_format_rfc3339(char buf[32], int64_t seconds, int32_t nanos)
{
    int64_t days, rem, y;
    unsigned m, d;
    int n;

    if (!lg_json_timestamp_valid(seconds, nanos))
        return -1;
    days = seconds / 86400;
    rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    lg_civil_from_days(days, &y, &m, &d);
    n = snprintf(buf, 32, "%04d-%02u-%02uT%02d:%02d:%02d", (int)y, m, d, (int)(rem / 3600),
                 (int)(rem / 60 % 60), (int)(rem % 60));
    if (nanos == 0)
        snprintf(buf + n, 32 - (size_t)n, "Z");
    else if (nanos % 1000000 == 0)
        snprintf(buf + n, 32 - (size_t)n, ".%03dZ", (int)(nanos / 1000000));
    else if (nanos % 1000 == 0)
        snprintf(buf + n, 32 - (size_t)n, ".%06dZ", (int)(nanos / 1000));
    else
        snprintf(buf + n, 32 - (size_t)n, ".%09dZ", (int)nanos);
    return 0;
}
