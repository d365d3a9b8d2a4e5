/*
 * replay.c - run files through a fuzz target without libFuzzer.
 *
 *   fuzz_<target>_replay FILE_OR_DIR...
 *
 * Every regular file (directories are read one level deep, in name order)
 * is passed to LLVMFuzzerTestOneInput() once. A crash or sanitizer report
 * fails the run; otherwise it prints how many inputs ran and exits 0. Built
 * with the normal compiler, so ctest replays every committed corpus.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    do {
        if (cap - len < 65536) {
            uint8_t *nb = realloc(buf, cap + 65536);
            if (nb == NULL) {
                fclose(f);
                free(buf);
                return -1;
            }
            buf = nb;
            cap += 65536;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    /* An exact-size copy, so ASan catches reads one byte past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    long n = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s does not exist\n", argv[i]);
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) != 0)
                return 2;
            n++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *de;
        char **names = NULL;
        size_t nn = 0;
        if (d == NULL)
            return 2;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char **nb = realloc(names, (nn + 1) * sizeof *names);
            if (nb == NULL)
                return 2;
            names = nb;
            names[nn] = malloc(strlen(argv[i]) + strlen(de->d_name) + 2);
            if (names[nn] == NULL)
                return 2;
            sprintf(names[nn], "%s/%s", argv[i], de->d_name);
            nn++;
        }
        closedir(d);
        qsort(names, nn, sizeof *names, by_name);
        for (size_t k = 0; k < nn; k++) {
            if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
                if (run_file(names[k]) != 0)
                    return 2;
                n++;
            }
            free(names[k]);
        }
        free(names);
    }
    if (n == 0) {
        fprintf(stderr, "replay: no inputs\n");
        return 2;
    }
    printf("replayed %ld inputs\n", n);
    return 0;
}
