/*
 * test_fsutil.c - the library's one way to write a file (base/fsutil.c):
 * exclusive create (lg_fs_write_new) and atomic replace
 * (lg_fs_write_atomic), used by key files, witness state and exports; and
 * its path join (lg_fs_join), which refuses a path too long for its buffer.
 *
 * Asserts what a caller relies on: the exact bytes and mode, an existing
 * file or a symbolic link refused and left as it was, and nothing left
 * behind (no file, no temporary) when a write fails half-way (a file size
 * limit makes write(2) fail after the file was created).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrledger/error.h"
#include "base/fsutil.h"
#include "testutil.h"

typedef struct {
    char dir[256];
    char path[512];
} fixture;

static int
setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    const char *tmp = getenv("TMPDIR");

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "%s/fsutil-XXXXXX", tmp != NULL ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/file", fx->dir);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    char p[1024];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
        unlink(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* The names in the fixture's directory, sorted, joined with spaces. */
static void
listing(const fixture *fx, char *out, size_t cap)
{
    char names[16][64];
    int n = 0;
    DIR *d = opendir(fx->dir);
    struct dirent *e;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL && n < 16) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[64];
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
        }
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        strncat(out, names[i], cap - strlen(out) - 1);
        if (i + 1 < n)
            strncat(out, " ", cap - strlen(out) - 1);
    }
}

static void
assert_file(const char *path, const char *want, mode_t mode)
{
    char buf[256] = {0};
    struct stat st;
    FILE *f = fopen(path, "rb");
    size_t n;

    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, mode);
}

/* A file of mode 0640 holding text. */
static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0640), 0);
}

/* Run fn with writes beyond 4 bytes failing (EFBIG), as a full disk would. */
static int
with_small_file_limit(int (*fn)(const char *, const void *, size_t, mode_t), const char *path)
{
    struct rlimit old, lim;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    int rc;

    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    rc = fn(path, "0123456789", 10, 0644);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    return rc;
}

static void
fsutil_write_new_creates_with_exact_mode(void **state)
{
    fixture *fx = *state;
    mode_t old = umask(0077);
    char names[256];

    /* The umask would narrow 0644 to 0600: the mode asked for wins. */
    TU_OK(lg_fs_write_new(fx->path, "hello\n", 6, 0644));
    umask(0);
    assert_file(fx->path, "hello\n", 0644);
    /* And would widen 0600 to nothing else: the same. */
    snprintf(fx->path, sizeof fx->path, "%s/secret", fx->dir);
    TU_OK(lg_fs_write_new(fx->path, "", 0, 0600));
    umask(old);
    assert_file(fx->path, "", 0600);
    listing(fx, names, sizeof names);
    assert_string_equal(names, "file secret");
}

static void
fsutil_write_new_refuses_an_existing_file(void **state)
{
    fixture *fx = *state;
    char names[256];

    put(fx->path, "precious\n");
    TU_CHECK(lg_fs_write_new(fx->path, "other", 5, 0600), LEDGER_EEXISTS);
    assert_non_null(strstr(ledger_error_last()->message, fx->path));
    assert_non_null(strstr(ledger_error_last()->message, "exists"));
    assert_file(fx->path, "precious\n", 0640);
    listing(fx, names, sizeof names);
    assert_string_equal(names, "file");
}

static void
fsutil_write_new_refuses_symbolic_links(void **state)
{
    fixture *fx = *state;
    char victim[600], absent[600], dangling[600], names[256];
    struct stat st;

    snprintf(victim, sizeof victim, "%s/victim", fx->dir);
    snprintf(absent, sizeof absent, "%s/absent", fx->dir);
    snprintf(dangling, sizeof dangling, "%s/dangling", fx->dir);
    put(victim, "precious\n");
    assert_int_equal(symlink(victim, fx->path), 0);
    assert_int_equal(symlink(absent, dangling), 0);
    TU_CHECK(lg_fs_write_new(fx->path, "x", 1, 0600), LEDGER_EIO);
    assert_non_null(strstr(ledger_error_last()->message, "symbolic link"));
    /* A dangling link is not followed to create its target either. */
    TU_CHECK(lg_fs_write_new(dangling, "x", 1, 0600), LEDGER_EIO);
    assert_int_equal(lstat(absent, &st), -1);
    assert_file(victim, "precious\n", 0640);
    /* The same for the atomic replace. */
    TU_CHECK(lg_fs_write_atomic(fx->path, "x", 1, 0600), LEDGER_EIO);
    assert_non_null(strstr(ledger_error_last()->message, "symbolic link"));
    TU_CHECK(lg_fs_write_atomic(dangling, "x", 1, 0600), LEDGER_EIO);
    assert_int_equal(lstat(absent, &st), -1);
    assert_int_equal(lstat(fx->path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    listing(fx, names, sizeof names);
    assert_string_equal(names, "dangling file victim");
}

static void
fsutil_write_new_leaves_nothing_on_failure(void **state)
{
    fixture *fx = *state;
    char missing[600], names[256];
    struct stat st;

    /* The write fails after the file was created: it is removed. */
    TU_CHECK(with_small_file_limit(lg_fs_write_new, fx->path), LEDGER_EIO);
    assert_non_null(strstr(ledger_error_last()->message, fx->path));
    assert_int_equal(lstat(fx->path, &st), -1);
    /* The directory does not exist: nothing is created. */
    snprintf(missing, sizeof missing, "%s/no-such-dir/file", fx->dir);
    TU_CHECK(lg_fs_write_new(missing, "x", 1, 0600), LEDGER_EIO);
    listing(fx, names, sizeof names);
    assert_string_equal(names, "");
}

static void
fsutil_write_atomic_replaces_or_keeps_the_old_file(void **state)
{
    fixture *fx = *state;
    char names[256];

    put(fx->path, "old\n");
    /* A failed replace keeps the old bytes and leaves no temporary file. */
    TU_CHECK(with_small_file_limit(lg_fs_write_atomic, fx->path), LEDGER_EIO);
    assert_file(fx->path, "old\n", 0640);
    listing(fx, names, sizeof names);
    assert_string_equal(names, "file");
    TU_OK(lg_fs_write_atomic(fx->path, "new\n", 4, 0600));
    assert_file(fx->path, "new\n", 0600);
    listing(fx, names, sizeof names);
    assert_string_equal(names, "file");
}

/* A path that does not fit is refused with its length, never cut short. */
static void
fsutil_join_refuses_a_path_that_does_not_fit(void **state)
{
    char out[17];

    (void)state;
    TU_OK(lg_fs_join(out, sizeof out, "/tmp/ledger", "data"));
    assert_string_equal(out, "/tmp/ledger/data");
    TU_CHECK(lg_fs_join(out, sizeof out, "/tmp/ledger", "data.mdb"), LEDGER_EINVAL);
    assert_string_equal(out, "");
    assert_string_equal(ledger_error_last()->message,
                        "path too long (20 bytes, at most 16): /tmp/ledger/data.mdb");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fsutil_write_new_creates_with_exact_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(fsutil_write_new_refuses_an_existing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(fsutil_write_new_refuses_symbolic_links, setup, teardown),
        cmocka_unit_test_setup_teardown(fsutil_write_new_leaves_nothing_on_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(fsutil_write_atomic_replaces_or_keeps_the_old_file, setup,
                                        teardown),
        cmocka_unit_test(fsutil_join_refuses_a_path_that_does_not_fit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
