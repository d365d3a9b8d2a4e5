/*
 * tiles_src.c - where a tiles tree is read from, for `audit --tiles` and
 * `mirror --url`: a directory (read with stdio) or an http:// or https://
 * URL prefix (the library's HTTP fetcher). Any other "scheme://" is a usage
 * error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd.h"

static int
fetch_file(void *payload, const char *rel, size_t max, ledger_buf *out)
{
    const char *dir = payload;
    char path[4096];
    struct stat st;
    FILE *f;
    size_t got;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
        return LEDGER_EIO;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? LEDGER_ENOTFOUND : LEDGER_EIO;
    if (!S_ISREG(st.st_mode))
        return LEDGER_EIO;
    if ((uint64_t)st.st_size > max)
        return LEDGER_EFORMAT;
    if (ledger_buf_alloc(out, (size_t)st.st_size) < 0)
        return LEDGER_ENOMEM;
    if ((f = fopen(path, "rb")) == NULL) {
        ledger_buf_dispose(out);
        return LEDGER_EIO;
    }
    got = fread(out->data, 1, out->len, f);
    if (got != out->len || getc(f) != EOF) {
        fclose(f);
        ledger_buf_dispose(out);
        return LEDGER_EIO;
    }
    fclose(f);
    return 0;
}

int
cli_is_http(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

int
cli_tiles_open(const cli *c, cli_tiles *t, const char *where, const char *timeout, const char *flag)
{
    ledger_http_options hopts = LEDGER_HTTP_OPTIONS_INIT;
    uint64_t secs = 0;

    memset(t, 0, sizeof *t);
    if (!cli_is_http(where) && strstr(where, "://") != NULL)
        return cli_usage(c, "%s takes a directory or an http:// or https:// URL", flag);
    if (timeout != NULL) {
        if (!cli_is_http(where))
            return cli_usage(c, "--timeout is for %s URL", flag);
        if (cli_parse_u64(timeout, &secs) < 0 || secs < 1 || secs > 3600)
            return cli_usage(c, "--timeout takes 1 to 3600 seconds");
        hopts.connect_timeout_s = (unsigned)secs;
        hopts.stall_timeout_s = (unsigned)secs;
    }
    if (cli_is_http(where)) {
        int rc = ledger_http_fetcher_new(&t->http, where, &hopts);

        if (rc < 0)
            return cli_fail(c, rc);
        t->fetch = ledger_http_fetch;
        t->payload = t->http;
    } else {
        t->fetch = fetch_file;
        t->payload = (void *)where;
    }
    return 0;
}

void
cli_tiles_close(cli_tiles *t)
{
    ledger_http_fetcher_free(t->http);
    t->http = NULL;
}
