/* Static files of the web UI (web/ in the source tree), served by
 * `chokepoint serve` without a token: GET / is web/index.html, GET /ui/<path>
 * is web/<path>. The pages ask the user for an API token and send it with
 * every API call; the files themselves hold no data. docs/ui.md. */
#ifndef CP_SERVER_STATIC_H
#define CP_SERVER_STATIC_H
#include <microhttpd.h>

/* 1 when `url` (the decoded request path, no query) belongs to the UI: "/",
 * "/ui" or "/ui/..."; else 0. Pure function, thread-safe. */
int cp_srv_static_match(const char *url);

/* Answers one UI request on connection c: the file under `web_dir` (no
 * trailing slash needed; "" or NULL means CP_SOURCE_DIR "/web"), or 404 /
 * 405. Only GET and HEAD; only regular files with a known extension (.html,
 * .css, .js, .mjs, .json, .svg, .png, .ico, .txt), at most 4 MiB; a path
 * segment starting with '.', a character outside [A-Za-z0-9._/-] or a file
 * whose real path is outside web_dir is 404 (no directory traversal).
 * Every answer carries Content-Type, Cache-Control: no-cache, a
 * Content-Security-Policy that allows only same-origin scripts, styles and
 * connections (no inline script or style), X-Content-Type-Options,
 * X-Frame-Options and Referrer-Policy. Sets *status to the HTTP status sent;
 * returns MHD's result of queueing (MHD_NO: the caller should close).
 * Thread-safe (reads the file on each request; nothing cached). */
enum MHD_Result cp_srv_static_serve(struct MHD_Connection *c, const char *web_dir, const char *url,
                                    const char *method, unsigned *status);

/* The Content-Security-Policy sent with UI pages (also suits API answers). */
extern const char cp_srv_ui_csp[];
#endif
