/*
 * cmd_sign.c - attrledger sign: JSON record -> signed envelope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { O_KEY = 1, O_OUT };

static const cli_opt opts[] = {
    {"key", 'k', 1, O_KEY},
    {"out", 'o', 1, O_OUT},
    {NULL, 0, 0, 0},
};

#define MAX_KEYS 16
#define MAX_INPUT (4u << 20)

typedef struct {
    const char *keys[MAX_KEYS];
    int n_keys;
    int too_many;
    const char *out;
} sign_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    sign_args *a = ctx;

    if (id == O_KEY) {
        if (a->n_keys == MAX_KEYS)
            a->too_many = 1;
        else
            a->keys[a->n_keys++] = arg;
    } else if (id == O_OUT) {
        a->out = arg;
    }
    return 0;
}

int
cmd_sign(cli *c, int argc, char **argv)
{
    sign_args a = {0};
    ledger_envelope *env = NULL;
    ledger_buf out = LEDGER_BUF_INIT;
    uint8_t *text = NULL;
    size_t len = 0;
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != 1 || a.n_keys == 0) {
        rc = cli_usage(c, "usage: attrledger sign RECORD.json --key KEY [--key KEY2]... [-o OUT]");
        goto done;
    }
    if (a.too_many) {
        rc = cli_usage(c, "at most %d --key options", MAX_KEYS);
        goto done;
    }
    if ((rc = cli_read_record(c, pos[0], MAX_INPUT, &text, &len)) != 0)
        goto done;
    if ((rc = ledger_envelope_parse(&env, (const char *)text, len)) < 0) {
        rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", pos[0], ledger_error_last()->message);
        goto done;
    }
    for (int i = 0; i < a.n_keys; i++) {
        ledger_key *key = NULL;
        if ((rc = cli_load_key(c, a.keys[i], c->passphrase_file, &key)) != 0)
            goto done;
        rc = ledger_envelope_sign(env, key);
        ledger_key_free(key);
        if (rc < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
    }
    if ((rc = ledger_envelope_to_json(&out, env, 1)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    if (a.out != NULL) {
        if ((rc = cli_write_file(c, a.out, out.data, out.len)) != 0)
            goto done;
        cli_info(c, "signed %s with %d key(s): %s", ledger_envelope_record_id(env), a.n_keys,
                 a.out);
    } else {
        fwrite(out.data, 1, out.len, stdout);
    }
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&out);
    ledger_envelope_free(env);
    free(text);
    free(pos);
    return rc;
}
