/*
 * tty.c - passphrases: from a file (--passphrase-file, first line) or
 * from the terminal with echo off. Never from argv or the environment,
 * where other users and logs can see them.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"

#define PASS_MAX 1024

void
cli_passphrase_free(char *p)
{
    if (p == NULL)
        return;
    /* volatile loop: keep the compiler from dropping the wipe */
    for (volatile char *v = p; *v; v++)
        *v = 0;
    free(p);
}

static int
read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;

    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || ch == '\n')
            break;
        if (n + 1 >= cap)
            return -1;
        buf[n++] = ch;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return 0;
}

static int
from_file(const cli *c, const char *file, char **out)
{
    int fd = open(file, O_RDONLY);
    char *buf;

    if (fd < 0)
        return cli_error(c, EXIT_OPERATIONAL, "%s: %s", file, strerror(errno));
    buf = calloc(1, PASS_MAX);
    if (buf == NULL) {
        close(fd);
        return cli_error(c, EXIT_OPERATIONAL, "out of memory");
    }
    if (read_line(fd, buf, PASS_MAX) != 0) {
        close(fd);
        cli_passphrase_free(buf);
        return cli_error(c, EXIT_OPERATIONAL, "%s: passphrase longer than %d bytes", file,
                         PASS_MAX - 1);
    }
    close(fd);
    *out = buf;
    return 0;
}

static int
prompt_tty(const cli *c, int fd, const char *prompt, char *buf)
{
    struct termios old, quiet;
    int rc;

    if (write(fd, prompt, strlen(prompt)) < 0)
        return cli_error(c, EXIT_OPERATIONAL, "cannot write to the terminal");
    if (tcgetattr(fd, &old) != 0)
        return cli_error(c, EXIT_OPERATIONAL, "cannot read the terminal settings");
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    tcsetattr(fd, TCSAFLUSH, &quiet);
    rc = read_line(fd, buf, PASS_MAX);
    tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0)
        rc = -1;
    if (rc != 0)
        return cli_error(c, EXIT_OPERATIONAL, "passphrase longer than %d bytes", PASS_MAX - 1);
    return 0;
}

/* Compare two passphrase buffers (PASS_MAX bytes each, zero-filled after
 * the text) in full, so the time taken does not depend on the text. */
static int
secret_equal(const char *a, const char *b)
{
    volatile unsigned char diff = 0;

    for (size_t i = 0; i < PASS_MAX; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

int
cli_passphrase(const cli *c, const char *file, const char *prompt, int confirm, char **out)
{
    char *a = NULL, *b = NULL;
    int fd, rc;

    *out = NULL;
    if (file != NULL)
        return from_file(c, file, out);
    fd = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0)
        return cli_error(c, EXIT_USAGE,
                         "no terminal to read a passphrase from: use --passphrase-file FILE");
    a = calloc(1, PASS_MAX);
    b = calloc(1, PASS_MAX);
    if (a == NULL || b == NULL) {
        rc = cli_error(c, EXIT_OPERATIONAL, "out of memory");
        goto done;
    }
    if ((rc = prompt_tty(c, fd, prompt, a)) != 0)
        goto done;
    if (confirm) {
        if ((rc = prompt_tty(c, fd, "Repeat the passphrase: ", b)) != 0)
            goto done;
        if (!secret_equal(a, b)) {
            rc = cli_error(c, EXIT_USAGE, "the passphrases do not match");
            goto done;
        }
        if (a[0] == '\0') {
            rc = cli_error(c, EXIT_USAGE, "empty passphrase: use --no-passphrase to write an "
                                          "unencrypted key");
            goto done;
        }
    }
    *out = a;
    a = NULL;
    rc = 0;
done:
    close(fd);
    if (a != NULL)
        cli_passphrase_free(a);
    if (b != NULL)
        cli_passphrase_free(b);
    return rc;
}

int
cli_load_key(const cli *c, const char *path, const char *passphrase_file, ledger_key **out)
{
    char *pass = NULL;
    char prompt[512];
    int enc = 0, rc;

    if ((rc = ledger_key_file_encrypted(&enc, path)) < 0)
        return cli_fail_key_file(c, rc);
    if (enc) {
        snprintf(prompt, sizeof prompt, "Passphrase for %s: ", path);
        if ((rc = cli_passphrase(c, passphrase_file, prompt, 0, &pass)) != 0)
            return rc;
    }
    rc = ledger_key_load(out, path, pass, pass ? strlen(pass) : 0);
    cli_passphrase_free(pass);
    return rc < 0 ? cli_fail_key_file(c, rc) : 0;
}

int
cli_load_vkey(const cli *c, const char *path, ledger_vkey *out)
{
    int rc = ledger_vkey_load(out, path);

    return rc < 0 ? cli_fail_key_file(c, rc) : 0;
}

int
cli_fail_key_file(const cli *c, int rc)
{
    return cli_fail_code(c, rc == LEDGER_ENOTFOUND ? EXIT_USAGE : cli_exit_code(rc, CLI_PARSE));
}
