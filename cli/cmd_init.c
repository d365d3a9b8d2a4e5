/*
 * cmd_init.c - attrledger init: create a ledger, its log key and genesis.
 *
 * Order matters for "lose nothing": refuse if DIR already holds a ledger or
 * key files, write the key files with O_EXCL, create the ledger, and on any
 * failure remove exactly the files this command created.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { O_ORIGIN = 1, O_ADMIN, O_NOPASS, O_PANEL, O_APPROVALS };

static const cli_opt opts[] = {
    {"origin", 0, 1, O_ORIGIN},
    {"admin", 0, 1, O_ADMIN},
    {"no-passphrase", 0, 0, O_NOPASS},
    {"panel-size", 0, 1, O_PANEL},
    {"approvals", 0, 1, O_APPROVALS},
    {NULL, 0, 0, 0},
};

#define MAX_ADMINS 16

typedef struct {
    const char *origin;
    const char *admins[MAX_ADMINS];
    int n_admins;
    int too_many;
    int no_pass;
    uint64_t panel_size, approvals;
    int bad_number;
} init_args;

static int
on_opt(void *ctx, int id, const char *arg)
{
    init_args *a = ctx;

    switch (id) {
    case O_ORIGIN:
        a->origin = arg;
        break;
    case O_ADMIN:
        if (a->n_admins == MAX_ADMINS)
            a->too_many = 1;
        else
            a->admins[a->n_admins++] = arg;
        break;
    case O_NOPASS:
        a->no_pass = 1;
        break;
    case O_PANEL:
        if (cli_parse_u64(arg, &a->panel_size) != 0 || a->panel_size == 0 || a->panel_size > 1000)
            a->bad_number = 1;
        break;
    case O_APPROVALS:
        if (cli_parse_u64(arg, &a->approvals) != 0 || a->approvals == 0 || a->approvals > 1000)
            a->bad_number = 1;
        break;
    default:
        break;
    }
    return 0;
}

int
cmd_init(cli *c, int argc, char **argv)
{
    init_args a = {0};
    ledger_vkey admins[MAX_ADMINS], vk;
    ledger_key *key = NULL;
    ledger_log *log = NULL;
    ledger_buf vkey_text = LEDGER_BUF_INIT, note = LEDGER_BUF_INIT;
    char **pos = NULL, *pass = NULL;
    char key_path[4096], vkey_path[4096], data[4096];
    int npos = 0, rc, made_dir = 0, made_key = 0, made_vkey = 0;
    const char *dir;
    struct stat st;

    if ((rc = cli_parse(c, argc, argv, opts, on_opt, &a, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    dir = npos >= 1 ? pos[0] : c->dir;
    if (npos > 1) {
        rc = cli_usage(c, "too many arguments (usage: attrledger init DIR --origin ORIGIN)");
        goto done;
    }
    if (dir == NULL) {
        rc = cli_usage(c, "missing DIR (usage: attrledger init DIR --origin ORIGIN)");
        goto done;
    }
    if (a.origin == NULL) {
        rc = cli_usage(c, "missing --origin ORIGIN (e.g. ledger.example.org/attribution)");
        goto done;
    }
    if (a.bad_number || (a.approvals > (a.panel_size ? a.panel_size : 5))) {
        rc = cli_usage(c, "--panel-size N and --approvals K need 1 <= K <= N <= 1000");
        goto done;
    }
    if (a.too_many) {
        rc = cli_usage(c, "at most %d --admin keys", MAX_ADMINS);
        goto done;
    }
    for (int i = 0; i < a.n_admins; i++) {
        if ((rc = cli_load_vkey(c, a.admins[i], &admins[i])) != 0)
            goto done;
        if (admins[i].type != LEDGER_SIGTYPE_ED25519) {
            rc = cli_error(c, EXIT_OPERATIONAL, "%s: not an Ed25519 public key", a.admins[i]);
            goto done;
        }
    }
    /* writer.lock is the longest name a ledger directory holds: a directory
     * too deep for it is refused before anything is made. */
    if ((rc = cli_path(c, data, sizeof data, dir, "writer.lock")) != 0 ||
        (rc = cli_path(c, data, sizeof data, dir, "data.mdb")) != 0 ||
        (rc = cli_path(c, key_path, sizeof key_path, dir, "log.key")) != 0 ||
        (rc = cli_path(c, vkey_path, sizeof vkey_path, dir, "log.vkey")) != 0)
        goto done;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0755) != 0) {
            rc = cli_error(c, EXIT_OPERATIONAL, "%s: %s", dir, strerror(errno));
            goto done;
        }
        made_dir = 1;
    } else if (!S_ISDIR(st.st_mode)) {
        rc = cli_error(c, EXIT_OPERATIONAL, "%s is not a directory", dir);
        goto done;
    }
    if (stat(data, &st) == 0 || stat(key_path, &st) == 0) {
        rc = cli_error(c, EXIT_OPERATIONAL, "%s already holds a ledger or a log key", dir);
        goto done;
    }
    if (!a.no_pass &&
        (rc = cli_passphrase(c, c->passphrase_file, "New passphrase for the log key: ", 1,
                             &pass)) != 0)
        goto done;
    if ((rc = ledger_key_generate(&key, a.origin)) < 0) {
        rc = cli_fail_code(c, EXIT_USAGE);
        goto done;
    }
    if ((rc = ledger_key_save(key, key_path, pass, pass ? strlen(pass) : 0, 0)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    made_key = 1;
    if (a.no_pass)
        fprintf(stderr, "attrledger: init: warning: %s is NOT encrypted (--no-passphrase)\n",
                key_path);
    ledger_key_vkey(&vk, key, LEDGER_SIGTYPE_ED25519);
    if ((rc = ledger_vkey_save(&vk, vkey_path, 0)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    made_vkey = 1;
    {
        ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
        o.origin = a.origin;
        o.log_key = key;
        o.admins = admins;
        o.n_admins = (size_t)a.n_admins;
        o.panel_size = (uint32_t)a.panel_size;
        o.approvals_required = (uint32_t)a.approvals;
        if ((rc = ledger_log_create(&log, dir, &o)) < 0) {
            rc = cli_fail(c, rc);
            goto done;
        }
    }
    if ((rc = ledger_log_checkpoint(&note, log, 0)) < 0 ||
        (rc = ledger_vkey_format(&vkey_text, &vk)) < 0) {
        rc = cli_fail(c, rc);
        goto done;
    }
    if (c->json) {
        printf("{\"origin\":");
        cli_json_str(stdout, a.origin);
        printf(",\"dir\":");
        cli_json_str(stdout, dir);
        printf(",\"vkey\":");
        cli_json_str(stdout, (const char *)vkey_text.data);
        printf(",\"checkpoint\":");
        cli_json_str(stdout, (const char *)note.data);
        printf("}\n");
    } else {
        printf("created ledger %s in %s\n", a.origin, dir);
        printf("log verifier key (publish this): %s\n", (const char *)vkey_text.data);
        printf("genesis checkpoint:\n%s", (const char *)note.data);
    }
    rc = EXIT_OK;
done:
    if (rc != EXIT_OK) {
        /* Leave nothing half-made behind. */
        char p[4200];
        if (log == NULL) {
            snprintf(p, sizeof p, "%s/data.mdb", dir ? dir : ".");
            if (made_key)
                unlink(p);
            snprintf(p, sizeof p, "%s/lock.mdb", dir ? dir : ".");
            if (made_key)
                unlink(p);
        }
        if (made_vkey)
            unlink(vkey_path);
        if (made_key)
            unlink(key_path);
        if (made_dir)
            rmdir(dir);
    }
    ledger_log_free(log);
    ledger_key_free(key);
    cli_passphrase_free(pass);
    ledger_buf_dispose(&vkey_text);
    ledger_buf_dispose(&note);
    free(pos);
    return rc;
}
