/*
 * stix_sco.c - STIX 2.1 cyber-observable objects (SCOs) of the export:
 * file, ipv4-addr, domain-name, url, email-addr and artifact.
 *
 * Ids follow STIX 2.1 section 2.9 exactly: an SCO's id is
 * <type>--UUIDv5(00abedb4-aa42-466c-9c01-fed23315a9b7, JCS(c)), where c is
 * the JSON object of the type's ID Contributing Properties the object has
 * (section 6: `value` for ipv4-addr, domain-name, url and email-addr;
 * `hashes`, with one hash, for file and artifact), serialised with the
 * JSON Canonicalization Scheme (RFC 8785): no whitespace, keys sorted,
 * strings escaped as JCS says (only '"', '\\' and control characters;
 * \b \t \n \f \r short forms, other controls as lowercase \u00xx; other
 * characters as their UTF-8 bytes). Every object here has one property
 * per level, so there is nothing to sort. Anyone can recompute such an id
 * from the value alone (the tests do, with Python's uuid.uuid5).
 *
 * Sharing. The same value named by two records is one object (that is
 * the point of deterministic SCO ids), emitted once, at its first mention
 * in entry order, with that record's TLP marking. SCOs have no created,
 * modified, created_by_ref or revoked, belong to no record's chain, and
 * carry none of our per-record extension properties: the grouping and
 * observed-data that name them carry those.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/uuid.h"
#include "export/stix_int.h"

/* STIX 2.1 section 2.9: the namespace of deterministic SCO ids. */
static const uint8_t sco_ns[16] = {0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
                                   0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7};

/* Write s as a JCS string at out (when not NULL); returns its length. */
static size_t
jcs_string(char *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    char e[7];

    if (out)
        out[n] = '"';
    n++;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        size_t el = 0;

        switch (*p) {
        case '"':
            memcpy(e, "\\\"", el = 2);
            break;
        case '\\':
            memcpy(e, "\\\\", el = 2);
            break;
        case '\b':
            memcpy(e, "\\b", el = 2);
            break;
        case '\t':
            memcpy(e, "\\t", el = 2);
            break;
        case '\n':
            memcpy(e, "\\n", el = 2);
            break;
        case '\f':
            memcpy(e, "\\f", el = 2);
            break;
        case '\r':
            memcpy(e, "\\r", el = 2);
            break;
        default:
            if (*p < 0x20) {
                memcpy(e, "\\u00", 4);
                e[4] = hex[*p >> 4];
                e[5] = hex[*p & 15];
                el = 6;
            } else {
                e[0] = (char)*p;
                el = 1;
            }
        }
        if (out)
            memcpy(out + n, e, el);
        n += el;
    }
    if (out)
        out[n] = '"';
    return n + 1;
}

/* {"key":"value"} or, with sub, {"key":{"sub":"value"}}, in JCS, at out
 * (when not NULL); returns the length. Keys are fixed ASCII names. */
static size_t
jcs_object(char *out, const char *key, const char *sub, const char *value)
{
    size_t n = 0;
    const char *keys[2] = {key, sub};
    int depth = sub ? 2 : 1;

    for (int i = 0; i < depth; i++) {
        if (out)
            out[n] = '{';
        n++;
        n += jcs_string(out ? out + n : NULL, keys[i]);
        if (out)
            out[n] = ':';
        n++;
    }
    n += jcs_string(out ? out + n : NULL, value);
    for (int i = 0; i < depth; i++) {
        if (out)
            out[n] = '}';
        n++;
    }
    return n;
}

int
lg_stix_sco_id(char out[ID_MAX], const char *type, const char *key, const char *sub,
               const char *value)
{
    size_t n = jcs_object(NULL, key, sub, value);
    char *buf = lg_malloc(n + 1), u[LG_UUID_STR];

    if (buf == NULL)
        return lg_error_nomem();
    jcs_object(buf, key, sub, value);
    lg_uuid5(u, sco_ns, (const uint8_t *)buf, n);
    lg_free(buf);
    snprintf(out, ID_MAX, "%s--%s", type, u);
    return 0;
}

int
lg_stix_sco(stix_ctx *c, char id[ID_MAX], const char *type, const char *key, const char *sub,
            const char *value, json_t *more)
{
    const char *mark, *k;
    json_t *o = NULL, *v;
    size_t save;
    int rc;

    if ((rc = lg_stix_sco_id(id, type, key, sub, value)) < 0 || lg_stix_have(c, id))
        goto done;
    if ((rc = lg_stix_marking(c, &mark)) < 0)
        goto done;
    o = json_pack("{s:s,s:s,s:s}", "type", type, "spec_version", "2.1", "id", id);
    v = sub ? json_pack("{s:s}", sub, value) : json_string(value);
    if (o == NULL || v == NULL || json_object_set_new(o, key, v) != 0) {
        if (o == NULL)
            json_decref(v); /* else set_new took it */
        rc = lg_error_nomem();
        goto done;
    }
    json_object_foreach(more, k, v) if (json_object_set(o, k, v) != 0)
    {
        rc = lg_error_nomem();
        goto done;
    }
    if (mark != NULL &&
        json_object_set_new(o, "object_marking_refs", json_pack("[s]", mark)) != 0) {
        rc = lg_error_nomem();
        goto done;
    }
    save = c->cur;
    c->cur = (size_t)-1; /* shared: no record's chain */
    rc = lg_stix_emit(c, o);
    c->cur = save;
    o = NULL;
done:
    json_decref(o);
    json_decref(more);
    return rc;
}

/* The hashing-algorithm-ov name of a hex digest by its length, lowercase
 * into buf; NULL when it is not 32, 40, 64 or 128 hex digits. */
static const char *
hash_alg(char *buf, size_t cap, const char *hexv)
{
    size_t n = strlen(hexv);

    if (n + 1 > cap)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        char ch = hexv[i];
        if (ch >= 'A' && ch <= 'F')
            ch = (char)(ch - 'A' + 'a');
        else if (ch != '\0' && !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return NULL;
        buf[i] = ch;
    }
    return n == 32 ? "MD5" : n == 40 ? "SHA-1" : n == 64 ? "SHA-256" : n == 128 ? "SHA-512" : NULL;
}

int
lg_stix_file_sco(stix_ctx *c, char id[ID_MAX], const char *hexv)
{
    char h[130];
    const char *alg = hexv ? hash_alg(h, sizeof h, hexv) : NULL;
    int rc;

    if (alg == NULL)
        return 0;
    return (rc = lg_stix_sco(c, id, "file", "hashes", alg, h, NULL)) < 0 ? rc : 1;
}

/* ---- what a value must be to become an SCO ----
 *
 * A consumer validates every SCO against the OASIS schemas (ipv4-addr:
 * a pattern; domain-name: an IDN hostname; url: an RFC 3986 URI;
 * email-addr: an address). A value that is not what its type says, or
 * that was defanged for safe sharing (hxxp://evil[.]example), stays in our
 * extension as the record wrote it, never in an SCO that would fail. The
 * checks below are stricter than the schemas where that keeps them
 * simple (ASCII hostnames only, no IP-literal hosts in URLs). */

/* Decimal 0..max without leading zeros, from *s; advances *s. */
static int
decimal(const char **s, unsigned max)
{
    const char *p = *s;
    unsigned v = 0;

    if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
        return 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((v = v * 10 + (unsigned)(*p - '0')) > max)
            return 0;
    *s = p;
    return 1;
}

/* Dotted-quad IPv4 address at *s (advanced past it). */
static int
ipv4_at(const char **s)
{
    const char *p = *s;

    for (int i = 0; i < 4; i++)
        if (!decimal(&p, 255) || (i < 3 && *p++ != '.'))
            return 0;
    *s = p;
    return 1;
}

/* An IPv4 address, optionally with a /0-32 prefix (STIX allows CIDR
 * blocks in ipv4-addr), exactly as the schema's pattern says. */
static int
is_ipv4(const char *s)
{
    if (!ipv4_at(&s))
        return 0;
    if (*s == '/' && (s++, !decimal(&s, 32)))
        return 0;
    return *s == '\0';
}

static int
alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* An ASCII host name of at least two labels, n bytes at s: labels of 1-63
 * letters, digits and inner hyphens (none in the third and fourth place:
 * IDNA reserves that, "xn--" included), at most 253 bytes, and a last
 * label that is not all digits (that would be an address). */
static int
is_hostname(const char *s, size_t n)
{
    size_t labels = 0, len = 0, digits = 0;

    if (n == 0 || n > 253)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = i < n ? s[i] : '.';

        if (ch == '.') {
            if (len == 0 || s[i - 1] == '-' || len > 63)
                return 0;
            if (len >= 4 && s[i - len + 2] == '-' && s[i - len + 3] == '-')
                return 0;
            labels++;
            if (i == n && digits == len)
                return 0;
            len = digits = 0;
            continue;
        }
        if (!alnum(ch) && !(ch == '-' && len > 0))
            return 0;
        digits += ch >= '0' && ch <= '9';
        len++;
    }
    return labels >= 2;
}

/* Signs of defanging: "[.]", "(.)", "{.}", "[dot]", "[:]", "[://]" and
 * schemes like hxxp, hxxps, fxp. */
static int
defanged(const char *s)
{
    static const char *const marks[] = {"[.]", "(.)", "{.}", "[dot]", "(dot)", "[:]", "[://]"};
    const char *colon = strchr(s, ':');

    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strstr(s, marks[i]) != NULL)
            return 1;
    for (const char *p = s; colon != NULL && p + 1 < colon; p++)
        if ((p[0] == 'x' || p[0] == 'X') && (p[1] == 'x' || p[1] == 'X'))
            return 1;
    return colon != NULL && (size_t)(colon - s) == 3 && strncasecmp(s, "fxp", 3) == 0;
}

/* An RFC 3986 URI "scheme://[userinfo@]host[:port][/path][?query][#fragment]"
 * with a host name or IPv4 host; every other character unreserved, a
 * sub-delim, ':' '@' '/' '?' or a %XX escape. */
static int
is_url(const char *s)
{
    static const char other[] = "-._~!$&'()*+,;=:@/?";
    const char *p = s, *host, *end;
    int fragment = 0;

    if (defanged(s) || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while (alnum(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (strncmp(p, "://", 3) != 0)
        return 0;
    host = p + 3;
    end = host + strcspn(host, "/?#");
    for (const char *at = host; at < end; at++)
        if (*at == '@')
            host = at + 1; /* userinfo, checked with the rest below */
    p = host;
    if (!ipv4_at(&p) || (p != end && *p != ':')) {
        p = host;
        while (p < end && *p != ':')
            p++;
        if (!is_hostname(host, (size_t)(p - host)))
            return 0;
    }
    if (*p == ':' && (p++, !decimal(&p, 65535)))
        return 0;
    if (p != end)
        return 0;
    for (p = s; *p; p++) {
        if (*p == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return 0;
            p += 2;
        } else if (*p == '#' && !fragment) {
            fragment = 1;
        } else if (!alnum(*p) && strchr(other, *p) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* local@host: a dot-atom local part (RFC 5322 atext, at most 64 bytes)
 * and a host name. */
static int
is_email(const char *s)
{
    static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
    const char *at = strrchr(s, '@');
    size_t n = at ? (size_t)(at - s) : 0;

    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!alnum(s[i]) && strchr(atext, s[i]) == NULL && !(s[i] == '.' && s[i + 1] != '.'))
            return 0;
    return is_hostname(at + 1, strlen(at + 1));
}

int
lg_stix_observable(stix_ctx *c, char id[ID_MAX], const char *type, const char *value)
{
    const char *sco = NULL;
    int rc;

    if (type == NULL || value == NULL)
        return 0;
    if (strcmp(type, "file-hash") == 0)
        return lg_stix_file_sco(c, id, value);
    if (strcmp(type, "ipv4") == 0 && is_ipv4(value))
        sco = "ipv4-addr";
    else if (strcmp(type, "domain") == 0 && is_hostname(value, strlen(value)))
        sco = "domain-name";
    else if (strcmp(type, "url") == 0 && is_url(value))
        sco = "url";
    else if (strcmp(type, "email") == 0 && is_email(value))
        sco = "email-addr";
    if (sco == NULL)
        return 0; /* btc-address, defanged or malformed values: our extension */
    return (rc = lg_stix_sco(c, id, sco, "value", NULL, value, NULL)) < 0 ? rc : 1;
}

int
lg_stix_url_ok(const char *s)
{
    return s != NULL && is_url(s);
}
