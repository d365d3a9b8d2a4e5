/*
 * fsutil.c - file helpers (see fsutil.h).
 */
#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

int
lg_fs_mkdirs(const char *path, int whole)
{
    size_t len = strlen(path);
    char *p = lg_malloc(len + 1);
    int rc = 0;

    if (p == NULL)
        return lg_error_nomem();
    memcpy(p, path, len + 1);
    if (!whole) {
        char *slash = strrchr(p, '/');
        if (slash == NULL) {
            lg_free(p);
            return 0;
        }
        *slash = '\0';
    }
    /* Create each prefix in turn; existing directories are fine. */
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (p[0] != '\0' && mkdir(p, 0755) != 0 && errno != EEXIST) {
            rc = lg_error_set(LEDGER_EIO, "%s: %s", p, strerror(errno));
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    lg_free(p);
    return rc;
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The one way this library fills a file it has just created: the exact
 * mode (fchmod: the umask neither widens nor narrows it), the bytes, an
 * fsync when durable, and close. On failure the file is removed and errno
 * says why. */
static int
fill_new(int fd, const char *path, const void *data, size_t len, mode_t mode, int durable)
{
    int e;

    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || (durable && fsync(fd) != 0)) {
        e = errno;
        close(fd);
        unlink(path);
        errno = e;
        return -1;
    }
    if (close(fd) != 0) {
        e = errno;
        unlink(path);
        errno = e;
        return -1;
    }
    return 0;
}

static void
fsync_dir(const char *path)
{
    char *d = lg_strdup(path);
    char *slash;
    int fd;

    if (d == NULL)
        return;
    slash = strrchr(d, '/');
    if (slash == NULL) {
        d[0] = '.';
        d[1] = '\0';
    } else if (slash == d) {
        d[1] = '\0';
    } else {
        *slash = '\0';
    }
    fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd); /* some file systems cannot; the file is in place */
        close(fd);
    }
    lg_free(d);
}

/* Something other than a regular file at `path`: refuse to touch it. */
static int
refuse_special(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    return lg_error_set(LEDGER_EIO,
                        S_ISLNK(st.st_mode) ? "%s is a symbolic link; refusing to write through it"
                                            : "%s is not a regular file; not replacing it",
                        path);
}

int
lg_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    return lg_fs_write_replace(path, data, len, mode, 1);
}

int
lg_fs_write_replace(const char *path, const void *data, size_t len, mode_t mode, int durable)
{
    size_t plen = strlen(path);
    char *tmp;
    int fd, e, rc;

    if ((rc = refuse_special(path)) < 0)
        return rc;
    if ((tmp = lg_malloc(plen + 16)) == NULL)
        return lg_error_nomem();
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0 || fill_new(fd, tmp, data, len, mode, durable) != 0) {
        e = errno;
        lg_free(tmp);
        return lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(e));
    }
    if (rename(tmp, path) != 0) {
        e = errno;
        unlink(tmp);
        lg_free(tmp);
        return lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(e));
    }
    lg_free(tmp);
    if (durable)
        fsync_dir(path);
    return 0;
}

int
lg_fs_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    int rc;

    if (fd < 0) {
        int e = errno;

        /* O_NOFOLLOW|O_EXCL fails with EEXIST on a link, dangling or not. */
        if (e == EEXIST && (rc = refuse_special(path)) < 0)
            return rc;
        if (e == EEXIST)
            return lg_error_set(LEDGER_EEXISTS, "%s exists", path);
        return lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(e));
    }
    if (fill_new(fd, path, data, len, mode, 1) != 0)
        return lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(errno));
    fsync_dir(path);
    return 0;
}

int
lg_fs_read(ledger_buf *out, const char *path, size_t max)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t len = 0;
    int fd, rc = 0;

    out->data = NULL;
    out->len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return lg_error_set(LEDGER_ENOTFOUND, "%s: no such file", path);
        return lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = lg_error_set(LEDGER_EIO, "%s: not a regular file", path);
        goto done;
    }
    if ((uint64_t)st.st_size > max) {
        rc = lg_error_set(LEDGER_EFORMAT, "%s: %lld bytes, max %zu", path, (long long)st.st_size,
                          max);
        goto done;
    }
    /* Read at most max + 1 bytes whatever fstat said: the file may grow. */
    buf = lg_malloc((size_t)st.st_size + 2);
    if (buf == NULL) {
        rc = lg_error_nomem();
        goto done;
    }
    for (;;) {
        size_t want = (size_t)st.st_size + 1 - len;
        ssize_t got;

        if (want == 0)
            break;
        got = read(fd, buf + len, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = lg_error_set(LEDGER_EIO, "%s: %s", path, strerror(errno));
            goto done;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > (size_t)st.st_size) {
        rc = lg_error_set(LEDGER_EIO, "%s: file changed while reading", path);
        goto done;
    }
    buf[len] = '\0';
    out->data = buf;
    out->len = len;
    buf = NULL;
done:
    lg_free(buf);
    close(fd);
    return rc;
}

int
lg_fs_same(const char *path, const void *data, size_t len)
{
    ledger_buf b = LEDGER_BUF_INIT;
    int same;

    if (lg_fs_read(&b, path, len) < 0) {
        ledger_error_clear();
        return 0;
    }
    same = b.len == len && (len == 0 || memcmp(b.data, data, len) == 0);
    ledger_buf_dispose(&b);
    return same;
}

int
lg_fs_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            out[0] = '\0';
        return lg_error_set(LEDGER_EINVAL, "path too long (%zu bytes, at most %zu): %s/%s",
                            strlen(dir) + 1 + strlen(name), cap - 1, dir, name);
    }
    return 0;
}
