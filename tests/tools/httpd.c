/*
 * httpd.c - test tool: a tiny static-file HTTP/1.1 server for the CLI tests
 * of `attrledger audit --tiles URL`, with knobs to misbehave on purpose.
 * Not a web server: no percent-decoding, no ranges, no TLS; loopback only.
 *
 * usage: httpd DIR [options]
 *   --port-file FILE        write the port here (atomically) instead of stdout
 *   --log FILE              append "conn=<id> METHOD /path status" per request
 *   --max-seconds N         exit after N seconds (default 60), so a test
 *                           that forgets to kill the server leaks nothing long
 *   --fail PATH             answer 500 for PATH
 *   --truncate PATH         declare the full length, send half the body, close
 *   --delay PATH MS         wait MS milliseconds before answering PATH
 *   --oversize PATH         200 with Content-Length 1 GiB, zeros until the
 *                           client hangs up
 *   --oversize-chunked PATH 200, chunked, zeros until the client hangs up
 *   --close PATH            close the connection without an answer
 *   --redirect PATH URL     302 to URL
 * Files ending .html, .css, .js and .json get their media type (the static
 * site tests load pages in a browser); everything else is octet-stream.
 * PATH is relative to DIR, without a leading slash ("tile/0/000.p/6").
 * Options may repeat. The server listens on 127.0.0.1 on an ephemeral port
 * and serves each connection in a child process (keep-alive: a connection
 * serves requests until the client closes it or sends Connection: close).
 * The log's connection id shows how many connections a client used.
 * Children die with the server (Linux PR_SET_PDEATHSIG).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum knob_kind { K_FAIL, K_TRUNCATE, K_DELAY, K_OVERSIZE, K_OVERSIZE_CHUNKED, K_CLOSE, K_REDIRECT };

typedef struct {
    enum knob_kind kind;
    const char *path;
    const char *arg;
} knob;

#define MAX_KNOBS 32
#define MAX_REQUEST 8192

static knob knobs[MAX_KNOBS];
static int nknobs;
static const char *root;
static const char *log_path;

static void
die(const char *msg)
{
    fprintf(stderr, "httpd: %s: %s\n", msg, strerror(errno));
    exit(1);
}

static int
write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static void
log_request(const char *method, const char *target, int status)
{
    char line[1024];
    int fd, n;

    if (log_path == NULL)
        return;
    n = snprintf(line, sizeof line, "conn=%ld %s %s %d\n", (long)getpid(), method, target, status);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    /* One write(2) per line with O_APPEND: lines of children do not mix. */
    if ((fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
        return;
    (void)write_all(fd, line, (size_t)n);
    close(fd);
}

static const knob *
find_knob(enum knob_kind kind, const char *path)
{
    for (int i = 0; i < nknobs; i++)
        if (knobs[i].kind == kind && strcmp(knobs[i].path, path) == 0)
            return &knobs[i];
    return NULL;
}

static const char *
mime(const char *path)
{
    static const char *const map[][2] = {{".html", "text/html; charset=utf-8"},
                                         {".css", "text/css"},
                                         {".js", "text/javascript"},
                                         {".json", "application/json"}};
    size_t n = strlen(path);

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t m = strlen(map[i][0]);
        if (n >= m && strcmp(path + n - m, map[i][0]) == 0)
            return map[i][1];
    }
    return "application/octet-stream";
}

static int
send_head(int fd, int status, const char *reason, const char *extra, int keep)
{
    char h[1024];
    int n = snprintf(h, sizeof h, "HTTP/1.1 %d %s\r\nServer: attrledger-test-httpd\r\n%s%s\r\n",
                     status, reason, extra, keep ? "" : "Connection: close\r\n");

    return n < 0 || (size_t)n >= sizeof h ? -1 : write_all(fd, h, (size_t)n);
}

static int
send_simple(int fd, int status, const char *reason, int keep, int head)
{
    char extra[128], body[128];
    int n = snprintf(body, sizeof body, "%d %s\n", status, reason);

    snprintf(extra, sizeof extra, "Content-Type: text/plain\r\nContent-Length: %d\r\n", n);
    if (send_head(fd, status, reason, extra, keep) < 0)
        return -1;
    return head ? 0 : write_all(fd, body, (size_t)n);
}

/* Zeros until the client hangs up (or 1 GiB). */
static void
stream_zeros(int fd, int chunked)
{
    static char zeros[65536];
    char size_line[32];
    int n = snprintf(size_line, sizeof size_line, "%zx\r\n", sizeof zeros);

    for (size_t sent = 0; sent < (1u << 30); sent += sizeof zeros) {
        if (chunked && write_all(fd, size_line, (size_t)n) < 0)
            return;
        if (write_all(fd, zeros, sizeof zeros) < 0)
            return;
        if (chunked && write_all(fd, "\r\n", 2) < 0)
            return;
    }
}

/* Answer one request; return 1 to keep the connection, 0 to close it. */
static int
serve(int fd, const char *method, const char *target, int keep)
{
    int head = strcmp(method, "HEAD") == 0;
    const char *path = target + 1;
    const knob *k;
    char file[4096], extra[256];
    struct stat st;
    char *body = NULL;
    int ffd, status = 200;

    if (strcmp(method, "GET") != 0 && !head) {
        log_request(method, target, 405);
        return send_simple(fd, 405, "Method Not Allowed", keep, 0) == 0 && keep;
    }
    if (target[0] != '/' || strstr(target, "..") != NULL || strpbrk(target, "?%#") != NULL) {
        log_request(method, target, 400);
        return send_simple(fd, 400, "Bad Request", keep, head) == 0 && keep;
    }
    if ((k = find_knob(K_DELAY, path)) != NULL) {
        long ms = strtol(k->arg, NULL, 10);
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    if (find_knob(K_CLOSE, path) != NULL) {
        log_request(method, target, 0);
        return 0;
    }
    if (find_knob(K_FAIL, path) != NULL) {
        log_request(method, target, 500);
        return send_simple(fd, 500, "Internal Server Error", keep, head) == 0 && keep;
    }
    if ((k = find_knob(K_REDIRECT, path)) != NULL) {
        snprintf(extra, sizeof extra, "Location: %s\r\nContent-Length: 0\r\n", k->arg);
        log_request(method, target, 302);
        return send_head(fd, 302, "Found", extra, keep) == 0 && keep;
    }
    if (find_knob(K_OVERSIZE, path) != NULL) {
        log_request(method, target, 200);
        if (send_head(fd, 200, "OK", "Content-Length: 1073741824\r\n", 0) == 0 && !head)
            stream_zeros(fd, 0);
        return 0;
    }
    if (find_knob(K_OVERSIZE_CHUNKED, path) != NULL) {
        log_request(method, target, 200);
        if (send_head(fd, 200, "OK", "Transfer-Encoding: chunked\r\n", 0) == 0 && !head)
            stream_zeros(fd, 1);
        return 0;
    }
    if ((size_t)snprintf(file, sizeof file, "%s/%s", root, path) >= sizeof file ||
        stat(file, &st) != 0 || !S_ISREG(st.st_mode) || (ffd = open(file, O_RDONLY)) < 0) {
        log_request(method, target, 404);
        return send_simple(fd, 404, "Not Found", keep, head) == 0 && keep;
    }
    if ((body = malloc((size_t)st.st_size + 1)) == NULL ||
        read(ffd, body, (size_t)st.st_size) != (ssize_t)st.st_size) {
        close(ffd);
        free(body);
        log_request(method, target, 500);
        return send_simple(fd, 500, "Internal Server Error", keep, head) == 0 && keep;
    }
    close(ffd);
    snprintf(extra, sizeof extra, "Content-Type: %s\r\nContent-Length: %lld\r\n", mime(path),
             (long long)st.st_size);
    if (find_knob(K_TRUNCATE, path) != NULL) {
        log_request(method, target, status);
        if (send_head(fd, status, "OK", extra, 0) == 0 && !head)
            (void)write_all(fd, body, (size_t)st.st_size / 2);
        free(body);
        return 0;
    }
    log_request(method, target, status);
    if (send_head(fd, status, "OK", extra, keep) < 0 ||
        (!head && write_all(fd, body, (size_t)st.st_size) < 0))
        keep = 0;
    free(body);
    return keep;
}

/* Read one request head; 1 with method and target, 0 at EOF or on error. */
static int
read_request(int fd, char *buf, size_t cap, size_t *have, char *method, char *target, int *keep)
{
    char *end, *line_end;
    size_t head_len;

    for (;;) {
        buf[*have] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL)
            break;
        if (*have + 1 >= cap)
            return 0;
        ssize_t r = read(fd, buf + *have, cap - 1 - *have);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        *have += (size_t)r;
    }
    head_len = (size_t)(end - buf) + 4;
    line_end = strstr(buf, "\r\n");
    *line_end = '\0';
    {
        char version[16];

        if (sscanf(buf, "%15s %2047s %15s", method, target, version) != 3)
            return 0;
        *keep = strcmp(version, "HTTP/1.1") == 0;
    }
    *line_end = '\r';
    /* Connection: close from the client. */
    for (char *p = line_end + 2; p < end; p = strstr(p, "\r\n") + 2) {
        if (strncasecmp(p, "Connection:", 11) == 0 && strstr(p, "close") != NULL &&
            strstr(p, "close") < strstr(p, "\r\n"))
            *keep = 0;
    }
    memmove(buf, buf + head_len, *have - head_len);
    *have -= head_len;
    return 1;
}

static void
serve_connection(int fd)
{
    char buf[MAX_REQUEST], method[16], target[2048];
    size_t have = 0;
    int keep = 1;
    struct timeval tv = {10, 0};

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (keep && read_request(fd, buf, sizeof buf, &have, method, target, &keep))
        keep = serve(fd, method, target, keep);
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void
usage(void)
{
    fprintf(stderr, "usage: httpd DIR [--port-file FILE] [--log FILE] [--max-seconds N]\n"
                    "             [--fail|--truncate|--oversize|--oversize-chunked|--close PATH]\n"
                    "             [--delay PATH MS] [--redirect PATH URL]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    const char *port_file = NULL;
    long max_seconds = 60;
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    int lfd, one = 1;

    if (argc < 2)
        usage();
    root = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        static const struct {
            const char *name;
            enum knob_kind kind;
            int args;
        } names[] = {{"--fail", K_FAIL, 1},
                     {"--truncate", K_TRUNCATE, 1},
                     {"--delay", K_DELAY, 2},
                     {"--oversize", K_OVERSIZE, 1},
                     {"--oversize-chunked", K_OVERSIZE_CHUNKED, 1},
                     {"--close", K_CLOSE, 1},
                     {"--redirect", K_REDIRECT, 2}};
        int found = 0;

        if (strcmp(o, "--port-file") == 0 && i + 1 < argc) {
            port_file = argv[++i];
            continue;
        }
        if (strcmp(o, "--log") == 0 && i + 1 < argc) {
            log_path = argv[++i];
            continue;
        }
        if (strcmp(o, "--max-seconds") == 0 && i + 1 < argc) {
            max_seconds = strtol(argv[++i], NULL, 10);
            continue;
        }
        for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
            if (strcmp(o, names[j].name) != 0 || i + names[j].args >= argc || nknobs == MAX_KNOBS)
                continue;
            knobs[nknobs].kind = names[j].kind;
            knobs[nknobs].path = argv[i + 1];
            knobs[nknobs].arg = names[j].args == 2 ? argv[i + 2] : NULL;
            nknobs++;
            i += names[j].args;
            found = 1;
            break;
        }
        if (!found)
            usage();
    }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
    alarm((unsigned)(max_seconds > 0 ? max_seconds : 60));

    if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        die("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("bind");
    if (listen(lfd, 16) < 0)
        die("listen");
    if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
        die("getsockname");
    if (port_file != NULL) {
        char tmp[4096];
        FILE *f;

        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        if ((f = fopen(tmp, "w")) == NULL)
            die(tmp);
        fprintf(f, "%u\n", (unsigned)ntohs(addr.sin_port));
        if (fclose(f) != 0 || rename(tmp, port_file) != 0)
            die(port_file);
    } else {
        printf("%u\n", (unsigned)ntohs(addr.sin_port));
        fflush(stdout);
    }

    for (;;) {
        int cfd = accept(lfd, NULL, NULL);
        pid_t pid;

        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            die("accept");
        }
        if ((pid = fork()) < 0)
            die("fork");
        if (pid == 0) {
            /* Die with the server: a child sleeping in --delay must not
             * outlive the test (ctest waits for every holder of its pipes). */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == 1)
                _exit(0);
            close(lfd);
            alarm(30);
            serve_connection(cfd);
            _exit(0);
        }
        close(cfd);
    }
}
