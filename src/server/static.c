/* Static files of the web UI. Contract in static.h; pages in docs/ui.md. */
#include "server/static.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { UI_MAX_PATH = 200, UI_MAX_FILE = 4 << 20 };

/* Same-origin only; no inline script or style (the pages use none), no
 * framing (clickjacking on the disposition buttons), no plugins. */
const char cp_srv_ui_csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                             "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
                             "frame-ancestors 'none'";

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

int cp_srv_static_match(const char *url) {
    return !strcmp(url, "/") || !strcmp(url, "/ui") || !strncmp(url, "/ui/", 4);
}

/* The path relative to the web dir, or NULL when it is not a safe one. */
static const char *safe_rel(const char *url) {
    if (!strcmp(url, "/") || !strcmp(url, "/ui") || !strcmp(url, "/ui/")) return "index.html";
    const char *rel = url + 4;
    size_t n = strlen(rel);
    if (n == 0 || n > UI_MAX_PATH || rel[n - 1] == '/') return NULL;
    for (size_t i = 0; i < n; i++) {
        char ch = rel[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                 ch == '_' || ch == '-' || ch == '/';
        if (!ok) return NULL;
        /* segment start: no '.', '..' or hidden file; no empty segment */
        if (i == 0 || rel[i - 1] == '/') {
            if (ch == '.' || ch == '/') return NULL;
        }
    }
    return rel;
}

static const char *type_of(const char *rel) {
    const char *dot = strrchr(rel, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext)) return types[i].type;
    return NULL;
}

static void add_headers(struct MHD_Response *r, const char *ctype) {
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Content-Security-Policy", cp_srv_ui_csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned code, const char *msg, unsigned *status) {
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(msg), (void *)(uintptr_t)msg,
                                                             MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    add_headers(r, "text/plain; charset=utf-8");
    if (code == 405) MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    *status = code;
    return ret;
}

enum MHD_Result cp_srv_static_serve(struct MHD_Connection *c, const char *web_dir, const char *url,
                                    const char *method, unsigned *status) {
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return plain(c, 405, "405 method not allowed (GET or HEAD)\n", status);
    const char *rel = safe_rel(url);
    const char *ctype = rel ? type_of(rel) : NULL;
    if (!ctype) return plain(c, 404, "404 not found\n", status);
    if (!web_dir || !*web_dir) web_dir = CP_SOURCE_DIR "/web";
    char root[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
    if (!realpath(web_dir, root)) return plain(c, 404, "404 not found (no web UI directory)\n", status);
    int n = snprintf(path, sizeof path, "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= sizeof path || !realpath(path, real)) return plain(c, 404, "404 not found\n", status);
    size_t rn = strlen(root);
    if (strncmp(real, root, rn) != 0 || real[rn] != '/') return plain(c, 404, "404 not found\n", status);
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return plain(c, 404, "404 not found\n", status);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > UI_MAX_FILE) {
        close(fd);
        return plain(c, 404, "404 not found\n", status);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((size_t)st.st_size, fd); /* owns fd from here */
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    add_headers(r, ctype);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    *status = MHD_HTTP_OK;
    return ret;
}
