/*
 * cmd_key.c - attrledger key generate / key show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

enum { O_NAME = 1, O_OUT, O_NOPASS, O_FORCE };

static const cli_opt opts[] = {
    {"name", 0, 1, O_NAME},  {"out", 'o', 1, O_OUT},    {"no-passphrase", 0, 0, O_NOPASS},
    {"force", 0, 0, O_FORCE}, {NULL, 0, 0, 0},
};

typedef struct {
    const char *name;
    const char *out;
    int no_pass;
    int force;
} key_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    key_args *a = ctx;

    switch (id) {
    case O_NAME:
        a->name = arg;
        break;
    case O_OUT:
        a->out = arg;
        break;
    case O_NOPASS:
        a->no_pass = 1;
        break;
    case O_FORCE:
        a->force = 1;
        break;
    default:
        break;
    }
    return 0;
}

static int
print_vkey(const cli *c, const ledger_vkey *vk)
{
    ledger_buf text = LEDGER_BUF_INIT;
    uint8_t id[LEDGER_HASH_SIZE];
    char hex[2 * LEDGER_HASH_SIZE + 1], b64[LEDGER_B64_LEN(32) + 1];
    int rc;

    if ((rc = ledger_vkey_format(&text, vk)) < 0)
        return cli_fail(c, rc);
    ledger_vkey_key_id(id, vk);
    cli_hex(hex, id, sizeof id);
    cli_b64(b64, vk->public_key, 32);
    if (c->json) {
        printf("{\"name\":");
        cli_json_str(stdout, vk->name);
        printf(",\"key_id\":\"%s\",\"public_key\":\"%s\",\"vkey\":", hex, b64);
        cli_json_str(stdout, (const char *)text.data);
        printf("}\n");
    } else {
        printf("name:       %s\n", vk->name);
        printf("key id:     %s\n", hex);
        printf("public key: %s\n", b64);
        printf("vkey:       %s\n", (const char *)text.data);
    }
    ledger_buf_dispose(&text);
    return EXIT_OK;
}

static int
key_generate(cli *c, const key_args *a)
{
    ledger_key *key = NULL;
    ledger_vkey vk;
    char *pass = NULL, *pub = NULL;
    int rc;

    if (a->name == NULL || a->out == NULL)
        return cli_usage(c, "usage: attrledger key generate --name NAME --out FILE");
    if ((rc = ledger_key_generate(&key, a->name)) < 0)
        return cli_fail_code(c, EXIT_USAGE);
    pub = malloc(strlen(a->out) + 5);
    if (pub == NULL) {
        rc = cli_error(c, EXIT_OPERATIONAL, "out of memory");
        goto done;
    }
    sprintf(pub, "%s.pub", a->out);
    /* Refuse an existing file before asking for a passphrase (the save
     * below checks again, atomically). */
    if (!a->force && (access(a->out, F_OK) == 0 || access(pub, F_OK) == 0)) {
        rc = cli_error(c, EXIT_OPERATIONAL, "%s already exists (use --force to replace it)",
                       access(a->out, F_OK) == 0 ? a->out : pub);
        goto done;
    }
    if (!a->no_pass &&
        (rc = cli_passphrase(c, c->passphrase_file, "New passphrase for the key: ", 1, &pass)) !=
            0)
        goto done;
    if ((rc = ledger_key_save(key, a->out, pass, pass ? strlen(pass) : 0,
                              a->force ? LEDGER_KEY_FORCE : 0)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    ledger_key_vkey(&vk, key, LEDGER_SIGTYPE_ED25519);
    if ((rc = ledger_vkey_save(&vk, pub, a->force ? LEDGER_KEY_FORCE : 0)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    if (a->no_pass)
        fprintf(stderr, "attrledger: key: warning: %s is NOT encrypted (--no-passphrase)\n",
                a->out);
    cli_info(c, "wrote %s (secret, keep it) and %s (public)", a->out, pub);
    rc = print_vkey(c, &vk);
done:
    cli_passphrase_free(pass);
    free(pub);
    ledger_key_free(key);
    return rc;
}

int
cmd_key(cli *c, int argc, char **argv)
{
    key_args a = {0};
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos >= 1 && strcmp(pos[0], "generate") == 0 && npos == 1) {
        rc = key_generate(c, &a);
    } else if (npos == 2 && strcmp(pos[0], "show") == 0) {
        ledger_vkey vk;
        if ((rc = cli_load_vkey(c, pos[1], &vk)) == 0)
            rc = print_vkey(c, &vk);
    } else {
        rc = cli_usage(c, "usage: attrledger key generate --name NAME --out FILE | "
                          "attrledger key show FILE.pub");
    }
    free(pos);
    return rc;
}
