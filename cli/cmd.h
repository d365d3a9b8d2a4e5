/*
 * cmd.h - shared declarations of the attrledger command-line tool.
 *
 * Each command lives in cmd_<name>.c and exports one `int cmd_<name>(cli *c,
 * int argc, char **argv)` returning the process exit code. The CLI uses only
 * the library's public API (<attrledger/attrledger.h>).
 */
#ifndef CLI_CMD_H
#define CLI_CMD_H

#include <attrledger/attrledger.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes (STYLE.md section 8). */
#define EXIT_OK 0
#define EXIT_NEGATIVE 1 /* verification negative */
#define EXIT_USAGE 2    /* usage error */
#define EXIT_OPERATIONAL 3

/* Global state: options valid for every command. */
typedef struct {
    const char *cmd;             /* command name, for messages */
    const char *dir;             /* -C DIR / --ledger DIR / ATTRLEDGER_DIR */
    int json;                    /* --json */
    int quiet;                   /* -q */
    const char *passphrase_file; /* --passphrase-file */
} cli;

/* Option table of a command. Globals (-C, --json, -q, --help,
 * --passphrase-file) are handled by cli_parse for every command. */
typedef struct {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    int takes_arg;
    int id;
} cli_opt;

typedef int (*cli_opt_fn)(void *ctx, int id, const char *arg);

/*
 * Parse argv (argv[0] is the command name). Calls fn for each command
 * option; collects positional arguments (pointers into argv) in *pos.
 * Returns -1 after printing help (exit 0), 0 on success, or EXIT_USAGE
 * after printing a usage error. "--" ends option parsing.
 */
int cli_parse(cli *c, int argc, char **argv, const cli_opt *opts, cli_opt_fn fn, void *ctx,
              char ***pos, int *npos);

/* What the command was doing when the library returned an error. */
typedef enum {
    CLI_ACT,   /* changing or producing something (submit, init, export, ...) */
    CLI_FIND,  /* looking up what was asked for (show, views): absent is an answer */
    CLI_CHECK, /* checking an input (verify*, audit, witness cosign): a malformed,
                  damaged or absent part of it is a negative verdict */
    CLI_PARSE, /* reading a file given to it (submit's records): malformed is a
                  usage error (2) */
} cli_job;

/* The one place that turns a library error into an exit code (README, "Exit
 * codes"): 3 when the answer could not be found (I/O, out of memory, busy,
 * full, read-only, wrong passphrase); 1 when it is "no" (a signature or proof
 * that does not verify, a rule refusal; nothing by that name for CLI_FIND and
 * CLI_CHECK; malformed or damaged input for CLI_CHECK); 2 for LEDGER_EINVAL
 * and for malformed input for CLI_PARSE; otherwise 3. */
int cli_exit_code(int rc, cli_job job);
/* Print the library's last error as "attrledger: CMD: message" and return
 * cli_exit_code(rc, CLI_ACT). */
int cli_fail(const cli *c, int rc);
/* The same for another job. */
int cli_fail_job(const cli *c, int rc, cli_job job);
/* Same, but the caller decides the exit code. */
int cli_fail_code(const cli *c, int exit_code);
/* Print "attrledger: CMD: <formatted>" and return EXIT_USAGE. */
int cli_usage(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "attrledger: CMD: <formatted>" and return `code`. */
int cli_error(const cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Informational line on stderr unless -q. */
void cli_info(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Require a ledger directory (-C or ATTRLEDGER_DIR). */
int cli_need_dir(const cli *c);
/* `dir`/`name` (name may hold printf conversions) in out[cap]; 0, or
 * EXIT_USAGE after "path too long" when it does not fit: a path is never
 * cut short. */
int cli_path(const cli *c, char *out, size_t cap, const char *dir, const char *name, ...)
    __attribute__((format(printf, 5, 6)));

/* Read a whole file (max `max` bytes; "-" = stdin). Returns 0 or prints an
 * error and returns EXIT_OPERATIONAL (EXIT_USAGE when missing). */
int cli_read_file(const cli *c, const char *path, size_t max, uint8_t **out, size_t *len);
/* cli_read_file for a JSON record or envelope: // comments (as in the
 * templates of `attrledger new`) are blanked out. */
int cli_read_record(const cli *c, const char *path, size_t max, uint8_t **out, size_t *len);
/* Write a file atomically (temp + fsync + rename), mode 0644. */
int cli_write_file(const cli *c, const char *path, const void *data, size_t len);

/* Parse a non-negative decimal integer; 0 or -1. */
int cli_parse_u64(const char *s, uint64_t *out);

/* Passphrases: from --passphrase-file (first line) or /dev/tty with echo
 * off. confirm: ask twice. Returns 0 and a malloc'd NUL-terminated string
 * (wipe with cli_passphrase_free), or an exit code after printing. */
int cli_passphrase(const cli *c, const char *file, const char *prompt, int confirm, char **out);
void cli_passphrase_free(char *p);

/* Load a secret key file, asking for a passphrase only if it is encrypted;
 * and a verifier key (vkey) file. 0, or an exit code after printing the
 * error (cli_fail_key_file). */
int cli_load_key(const cli *c, const char *path, const char *passphrase_file, ledger_key **out);
int cli_load_vkey(const cli *c, const char *path, ledger_vkey *out);
/* A key or vkey file that could not be loaded: 2 when it is missing or
 * malformed (bad input, like a malformed file to submit), 3 when it could
 * not be read (I/O) or the passphrase is wrong. */
int cli_fail_key_file(const cli *c, int rc);

/* Open the ledger in c->dir. */
int cli_open_ledger(const cli *c, unsigned flags, ledger_log **out);

/* Help text lookup and printing. */
int cli_help(const char *cmd);
void cli_print_help(const char *cmd);
/* The i-th command's name, summary and help text (NULL past the last one),
 * and the global options text: the one source of help, man pages (man.c)
 * and shell completion. */
const char *cli_help_entry(size_t i, const char **summary, const char **text);
const char *cli_help_global(void);
/* `attrledger help --commands` (one name a line) and `help --man [CMD]`
 * (the man page of the tool or of one command, in roff). */
int cli_help_option(int argc, char **argv);

/* Lowercase hex of n bytes into out (2n + 1). */
void cli_hex(char *out, const uint8_t *b, size_t n);
/* Standard base64 into out (4 * ceil(n/3) + 1). */
void cli_b64(char *out, const uint8_t *b, size_t n);
/* Write s as a JSON string literal (escaped). */
#include <stdio.h>
void cli_json_str(FILE *f, const char *s);
/* Print one JSON value (the library's output) compact on one line, with a
 * newline: every --json output has this one style. */
void cli_json_print(const void *data, size_t len);
/* Format Unix milliseconds as RFC 3339 UTC. */
void cli_time(char out[32], uint64_t ms);

/* A progress line on stderr (progress.c): active only when stderr is a
 * terminal and -q is off; NO_COLOR drops escape sequences. */
typedef struct {
    const char *what, *unit;
    int active, color, drawn, width;
    double t0, last_draw;
} cli_progress;

void cli_progress_start(cli_progress *p, const cli *c, const char *what, const char *unit);
/* Draw "WHAT: DONE / TOTAL UNIT (P%), RATE UNIT/s, T left" (at most 10 per s,
 * always for done == total). */
void cli_progress_at(cli_progress *p, uint64_t done, uint64_t total);
/* The same as a ledger_progress_fn; payload is the cli_progress. */
void cli_progress_cb(void *payload, uint64_t done, uint64_t total);
/* Erase the line (call before printing anything else on stderr). */
void cli_progress_end(cli_progress *p);
/* Erase whichever line is shown (every message on stderr calls it). */
void cli_progress_hide(void);

/* A tiles tree to read (tiles_src.c): a directory or an http(s) URL. */
typedef struct {
    ledger_fetch_fn fetch;
    void *payload;
    ledger_http_fetcher *http; /* NULL for a directory */
} cli_tiles;
/* 1 for "http://..." or "https://..." (any case). */
int cli_is_http(const char *s);
/* Open `where` for reading; `flag` names the option in messages. --timeout
 * (seconds) applies to URLs. 0, or an exit code after printing. */
int cli_tiles_open(const cli *c, cli_tiles *t, const char *where, const char *timeout,
                   const char *flag);
void cli_tiles_close(cli_tiles *t);

int cmd_init(cli *c, int argc, char **argv);
int cmd_key(cli *c, int argc, char **argv);
int cmd_sign(cli *c, int argc, char **argv);
int cmd_submit(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_log(cli *c, int argc, char **argv);
int cmd_checkpoint(cli *c, int argc, char **argv);
int cmd_prove(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_verify_receipt(cli *c, int argc, char **argv);
int cmd_incident(cli *c, int argc, char **argv);
int cmd_actor(cli *c, int argc, char **argv);
int cmd_participant(cli *c, int argc, char **argv);
int cmd_stats(cli *c, int argc, char **argv);
int cmd_norms(cli *c, int argc, char **argv);
int cmd_norm(cli *c, int argc, char **argv);
int cmd_state(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_witness(cli *c, int argc, char **argv);
int cmd_cosign(cli *c, int argc, char **argv);
int cmd_new(cli *c, int argc, char **argv);
int cmd_mirror(cli *c, int argc, char **argv);
int cmd_verify_fork(cli *c, int argc, char **argv);

#endif
