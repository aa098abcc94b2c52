/* chokepoint serve: the HTTP API (libmicrohttpd + jansson) over the list
 * snapshot, the screening pipeline and the case store. Endpoints, roles and
 * the config format: docs/server.md.
 *
 * Threads: MHD runs a pool of `threads` polling threads; each request takes a
 * reference on the current snapshot (engine + policy + a pool of per-thread
 * searchers/screeners), so a list reload swaps the snapshot atomically and
 * requests in flight finish on the old one, which is freed by the last
 * request that releases it. */
#ifndef CP_SERVER_H
#define CP_SERVER_H
#include "cases/store.h"
#include "chokepoint.h"
#include <stddef.h>
#include <stdint.h>

enum { CP_SRV_MAX_TOKENS = 256 };

typedef struct cp_srv_token {
    char user[64];
    cp_role role;
    char sha256[65];   /* hex SHA-256 of the bearer token; the token itself is never kept */
} cp_srv_token;

typedef struct cp_srv_config {
    char listen[128];        /* "127.0.0.1:8080" (IPv4 address:port; port 0: any free port) */
    char db[1024];           /* case store path */
    char data[1024];         /* lists directory ("" : default resolution) */
    char policy[1024];       /* policy file ("" : data/policy/default.policy of the source tree) */
    char refdata[1024];      /* goods/geo folder ("" : default) */
    char port_file[1024];    /* write the bound port here when set (tests) */
    char web[1024];          /* web UI files ("" : CP_SOURCE_DIR/web; docs/ui.md) */
    size_t max_body;         /* bytes per request body (default 1 MiB) */
    unsigned timeout;        /* seconds a connection may stay idle (default 30) */
    unsigned threads;        /* polling threads (default 4) */
    size_t batch_max;        /* messages per /v1/screen/batch (default 1000) */
    int64_t suppress_days;   /* good-guy suppression lifetime (default 365) */
    int lenient;             /* lenient list load */
    char tls_cert[1024];     /* PEM certificate (chain) file: serve HTTPS when set (with tls_key) */
    char tls_key[1024];      /* PEM private key file */
    unsigned budget_ms;      /* time budget of a screening/batch/match request in ms (default 10000; 0: none); over it: 503 */
    cp_srv_token tokens[CP_SRV_MAX_TOKENS];
    size_t n_tokens;
} cp_srv_config;

/* Sets the defaults above. */
void cp_srv_config_init(cp_srv_config *c);

/* Reads a config file (format in docs/server.md: "[server]" and "[tokens]"
 * sections of "key = value" lines, '#' comments) into c (defaults kept for
 * keys not given). Errors name file, line and key. Returns 0 or -1 + err. */
int cp_srv_config_load(cp_srv_config *c, const char *path, cp_error *err);

typedef struct cp_server cp_server;

/* Opens the store, starts listening (so /healthz answers at once), then loads
 * the lists and policy (readyz turns 200 when done). `log` receives one line
 * per request and lifecycle messages (may be NULL). NULL + err on failure. */
typedef void (*cp_srv_log_fn)(void *ctx, const char *line);
cp_server *cp_server_start(const cp_srv_config *c, cp_srv_log_fn log, void *log_ctx, cp_error *err);

/* The TCP port actually bound. */
unsigned cp_server_port(const cp_server *s);

/* Reloads lists and policy from the configured places and swaps them in
 * (audited as lists.reload / policy.change by `actor`). Returns 0 or -1 + err
 * (the old snapshot stays). Thread-safe. */
int cp_server_reload(cp_server *s, const char *actor, cp_error *err);

/* Stops accepting, waits for requests in flight, frees everything. */
void cp_server_stop(cp_server *s);

/* Internal: entity as JSON (src/server/entity_json.c). */
struct cp_entity;
json_t *cp_srv_entity_json(const cp_engine *e, const char *entity_id);
/* The list entity with this id ("us-ofac-sdn:36") and its list info, or NULL. */
const struct cp_entity *cp_srv_find_entity(const cp_engine *e, const char *entity_id, const cp_list_info **li);
#endif
