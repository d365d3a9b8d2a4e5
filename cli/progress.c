/*
 * progress.c - a progress line on stderr for long commands (verify,
 * export, audit, a bulk submit): done, rate and time left, redrawn in
 * place at most ten times a second and erased at the end.
 *
 * Only when stderr is a terminal and -q was not given: a pipe or a log
 * file gets nothing. NO_COLOR (https://no-color.org/) set to anything but
 * the empty string drops the dim attribute and every other escape
 * sequence; the line is then erased by overwriting it with spaces.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

/* The line on screen, erased before any message (cli_progress_hide). */
static cli_progress *shown;

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_progress_start(cli_progress *p, const cli *c, const char *what, const char *unit)
{
    const char *nc = getenv("NO_COLOR");

    memset(p, 0, sizeof *p);
    p->what = what;
    p->unit = unit;
    p->active = !c->quiet && isatty(STDERR_FILENO);
    p->color = nc == NULL || nc[0] == '\0';
    p->t0 = now_s();
    p->last_draw = -1;
}

/* Seconds as "42 s", "3 min 5 s", "2 h 10 min". */
static void
span(char *out, size_t cap, double s)
{
    unsigned long t = (unsigned long)(s + 0.5);

    if (t < 60)
        snprintf(out, cap, "%lu s", t);
    else if (t < 3600)
        snprintf(out, cap, "%lu min %lu s", t / 60, t % 60);
    else
        snprintf(out, cap, "%lu h %lu min", t / 3600, t / 60 % 60);
}

void
cli_progress_at(cli_progress *p, uint64_t done, uint64_t total)
{
    double t = now_s(), el = t - p->t0, rate;
    char line[320], left[80] = "";
    int n;

    if (!p->active || (done < total && p->last_draw >= 0 && t - p->last_draw < 0.1))
        return;
    p->last_draw = t;
    rate = el > 0 ? (double)done / el : 0;
    if (rate > 0 && total > done) {
        char s[64];
        span(s, sizeof s, (double)(total - done) / rate);
        snprintf(left, sizeof left, ", %s left", s);
    }
    n = snprintf(line, sizeof line, "%s: %llu / %llu %s (%u%%), %.0f %s/s%s", p->what,
                 (unsigned long long)done, (unsigned long long)total, p->unit,
                 total ? (unsigned)(done * 100 / total) : 100u, rate, p->unit, left);
    if (n < 0)
        return;
    if (p->color)
        fprintf(stderr, "\r\033[2m%s\033[0m\033[K", line);
    else
        fprintf(stderr, "\r%-*s", p->width > n ? p->width : n, line);
    p->width = n > p->width ? n : p->width;
    p->drawn = 1;
    shown = p;
    fflush(stderr);
}

void
cli_progress_cb(void *payload, uint64_t done, uint64_t total)
{
    cli_progress_at(payload, done, total);
}

void
cli_progress_end(cli_progress *p)
{
    if (!p->active || !p->drawn)
        return;
    if (p->color)
        fputs("\r\033[K", stderr);
    else
        fprintf(stderr, "\r%*s\r", p->width, "");
    fflush(stderr);
    p->drawn = 0;
    if (shown == p)
        shown = NULL;
}

void
cli_progress_hide(void)
{
    if (shown != NULL)
        cli_progress_end(shown);
}
