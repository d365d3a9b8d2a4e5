/*
 * fsutil.h (internal) - small POSIX file helpers for the modules that
 * publish files (tiles export) or keep state (witness state files).
 *
 * Replacing a file is always: write a temporary file in the same directory
 * (O_EXCL, mode given), fsync it, rename it over the target, fsync the
 * directory. A reader (a web server, another process) sees the old file or
 * the new one, never a mix, and a crash leaves one of the two.
 */
#ifndef LG_FSUTIL_H
#define LG_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "attrledger/buf.h"

/* mkdir -p for every directory in `path` up to its last '/' (the file's
 * directory); with `whole`, also `path` itself. 0, LEDGER_EIO. */
int lg_fs_mkdirs(const char *path, int whole);

/* Atomically replace (or create) `path` with data. 0, LEDGER_EIO,
 * LEDGER_ENOMEM. Refuses to replace a symbolic link. */
int lg_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Create `path`, which must not exist (O_EXCL; a symbolic link there,
 * dangling or not, is refused and not followed), with exactly `mode`, write
 * data and fsync the file and its directory. 0; LEDGER_EEXISTS ("PATH
 * exists": callers may word their own); LEDGER_EIO; on any failure no file
 * is left at `path`. */
int lg_fs_write_new(const char *path, const void *data, size_t len, mode_t mode);

/* lg_fs_write_atomic(); with durable == 0 the file and its directory are not fsynced
 * (the rename is still atomic: a reader sees the old or the new file). For
 * writers of many regenerable files (the site), which sync once at the end. */
int lg_fs_write_replace(const char *path, const void *data, size_t len, mode_t mode, int durable);

/* `dir`/`name` in out[cap]. 0, or LEDGER_EINVAL ("path too long") when it
 * does not fit: a path is never cut short. */
int lg_fs_join(char *out, size_t cap, const char *dir, const char *name);

/* Read a whole regular file of at most `max` bytes (NUL-terminated).
 * 0, LEDGER_ENOTFOUND, LEDGER_EFORMAT (larger than max), LEDGER_EIO,
 * LEDGER_ENOMEM. */
int lg_fs_read(ledger_buf *out, const char *path, size_t max);

/* 1 when `path` holds exactly these bytes (a regular file), else 0. */
int lg_fs_same(const char *path, const void *data, size_t len);

#endif
