/* http_server: a tiny static file server for tests (libmicrohttpd), bound to
 * 127.0.0.1 only. Used by tests/cli/update*.sh to play a list publisher.
 *
 * usage: http_server --dir DIR [--port N] [--port-file FILE]
 *                    [--truncate PATH=BYTES]... [--status PATH=CODE]...
 *
 *   GET /PATH serves DIR/PATH (no "..", no hidden segments) with
 *   Content-Length and Last-Modified taken from the file (so a test sets the
 *   "publication date" with touch -d). Unknown paths: 404.
 *   --truncate PATH=N  announces the full Content-Length but sends only the
 *                      first N bytes, then drops the connection (a partial
 *                      download, as a flaky publisher would).
 *   --status PATH=CODE answers CODE (e.g. 500, 403) with a short body.
 *   --port 0 (default) picks a free port; the port is printed on stdout and
 *   written to --port-file when given. Runs until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { MAX_RULES = 64 };

typedef struct rule {
    const char *path; /* without the leading '/' */
    long value;
} rule;

typedef struct server {
    const char *dir;
    rule truncs[MAX_RULES];
    size_t n_truncs;
    rule statuses[MAX_RULES];
    size_t n_statuses;
} server;

typedef struct partial {
    int fd;
    uint64_t limit;
} partial;

static long find_rule(const rule *r, size_t n, const char *path) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].path, path) == 0) return r[i].value;
    return -1;
}

static ssize_t partial_read(void *cls, uint64_t pos, char *buf, size_t max) {
    partial *p = cls;
    if (pos >= p->limit) return MHD_CONTENT_READER_END_WITH_ERROR;
    if (max > p->limit - pos) max = (size_t)(p->limit - pos);
    ssize_t n = pread(p->fd, buf, max, (off_t)pos);
    return n > 0 ? n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void partial_free(void *cls) {
    partial *p = cls;
    close(p->fd);
    free(p);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    enum MHD_Result rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static int safe_path(const char *p) {
    if (!*p) return 0;
    for (const char *s = p; *s;) {
        if (*s == '.') return 0; /* no "..", no hidden files: a segment may not start with '.' */
        const char *slash = strchr(s, '/');
        if (!slash) break;
        s = slash + 1;
    }
    return strstr(p, "//") == NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **req) {
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)req;
    server *s = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
    const char *path = url[0] == '/' ? url + 1 : url;
    long status = find_rule(s->statuses, s->n_statuses, path);
    if (status > 0) return reply_text(c, (unsigned)status, "configured failure\n");
    if (!safe_path(path)) return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    char full[4096];
    if ((size_t)snprintf(full, sizeof full, "%s/%s", s->dir, path) >= sizeof full)
        return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    int fd = open(full, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    struct MHD_Response *r;
    long trunc = find_rule(s->truncs, s->n_truncs, path);
    if (trunc >= 0) {
        partial *p = malloc(sizeof *p);
        if (!p) {
            close(fd);
            return MHD_NO;
        }
        p->fd = fd;
        p->limit = (uint64_t)trunc;
        r = MHD_create_response_from_callback((uint64_t)st.st_size, 32 * 1024, partial_read, p, partial_free);
        if (!r) partial_free(p);
    } else {
        r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        if (!r) close(fd);
    }
    if (!r) return MHD_NO;
    char date[64];
    struct tm tm;
    gmtime_r(&st.st_mtime, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm); /* RFC 9110 IMF-fixdate */
    MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, date);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

static int add_rule(rule *rules, size_t *n, const char *arg, long lo, long hi) {
    char *eq = strrchr(arg, '=');
    if (!eq || *n == MAX_RULES) return -1;
    char *end;
    errno = 0;
    long v = strtol(eq + 1, &end, 10);
    if (errno || *end || v < lo || v > hi) return -1;
    *eq = '\0';
    rules[*n].path = arg[0] == '/' ? arg + 1 : arg;
    rules[*n].value = v;
    (*n)++;
    return 0;
}

static void usage(void) {
    fputs("usage: http_server --dir DIR [--port N] [--port-file FILE] [--truncate PATH=BYTES]... "
          "[--status PATH=CODE]...\n",
          stderr);
}

int main(int argc, char **argv) {
    server s = {0};
    long port = 0;
    const char *port_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage();
            return 64;
        }
        i++;
        if (strcmp(a, "--dir") == 0) s.dir = v;
        else if (strcmp(a, "--port") == 0) port = strtol(v, NULL, 10);
        else if (strcmp(a, "--port-file") == 0) port_file = v;
        else if (strcmp(a, "--truncate") == 0) {
            if (add_rule(s.truncs, &s.n_truncs, v, 0, 1L << 30) < 0) goto bad;
        } else if (strcmp(a, "--status") == 0) {
            if (add_rule(s.statuses, &s.n_statuses, v, 100, 599) < 0) goto bad;
        } else {
            goto bad;
        }
        continue;
    bad:
        fprintf(stderr, "http_server: bad option %s %s\n", a, v);
        usage();
        return 64;
    }
    if (!s.dir || port < 0 || port > 65535) {
        usage();
        return 64;
    }
    /* Block the stop signals in every thread; main waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
                                            NULL, on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                            MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "http_server: cannot listen on 127.0.0.1:%ld\n", port);
        return 69;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    printf("%u\n", bound);
    fflush(stdout);
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", bound) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "http_server: cannot write %s\n", port_file);
            MHD_stop_daemon(d);
            return 74;
        }
    }
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
