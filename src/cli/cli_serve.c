/* chokepoint serve: the HTTP API with the case store (docs/server.md).
 * Exit status: 0 stopped by SIGINT/SIGTERM, 64 bad usage, 78 bad config,
 * 69 could not start (store, listen address, lists). */
#include "cli/cli.h"
#include "core/io.h"
#include "server/server.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void serve_usage(FILE *f) {
    fputs("usage: chokepoint serve [OPTIONS]\n"
          "       chokepoint serve --hash-token < token-file\n"
          "\n"
          "Serves the screening API (POST /v1/screen, GET /v1/search, alerts with four-eyes review,\n"
          "GET /metrics ...; see docs/server.md). Every endpoint but /healthz needs\n"
          "'Authorization: Bearer TOKEN' with a token from the [tokens] section of --config.\n"
          "SIGHUP reloads lists and policy; SIGINT/SIGTERM stop the server.\n"
          "\n"
          "options (override the config file):\n"
          "  --config FILE      config file ([server] settings, [tokens] user = ROLE sha256:HEX)\n"
          "  --listen ADDR:PORT IPv4 address and port (default 127.0.0.1:8080; port 0: any free port)\n"
          "  --db FILE          case store, SQLite (default chokepoint-cases.db)\n"
          "  --data DIR         lists directory (default $CHOKEPOINT_DATA, the active or bundled lists)\n"
          "  --policy FILE      policy file (default $CHOKEPOINT_POLICY or data/policy/default.policy)\n"
          "  --refdata DIR      goods/geo tables folder (default $CHOKEPOINT_REFDATA or data/)\n"
          "  --web DIR          web UI files served at / and /ui/ (default: web/ of the source tree)\n"
          "  --threads N        HTTP worker threads (default 4)\n"
          "  --port-file FILE   write the bound port to FILE once listening\n"
          "  --lenient          skip malformed list records instead of failing the load\n"
          "  --hash-token       read a token on stdin, print 'sha256:HEX' for the config file\n",
          f);
}

static void log_line(void *ctx, const char *line) {
    (void)ctx;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s\n", ts, line);
}

static int copy_opt(char *dst, size_t cap, const char *v, const char *name) {
    if (strlen(v) >= cap) {
        fprintf(stderr, "chokepoint serve: %s too long\n", name);
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int hash_token(void) {
    char buf[1100];
    size_t n = fread(buf, 1, sizeof buf - 1, stdin);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) n--;
    if (n < 16 || n > 1024) {
        fputs("chokepoint serve: a token must be 16 to 1024 bytes\n", stderr);
        return 64;
    }
    char hex[65];
    cp_sha256_hex(buf, n, hex);
    printf("sha256:%s\n", hex);
    return 0;
}

int cp_cli_serve(int argc, char **argv) {
    cp_srv_config cfg;
    cp_srv_config_init(&cfg);
    const char *config = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            serve_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--hash-token")) return hash_token();
        if (!strcmp(argv[i], "--config") && i + 1 < argc) config = argv[i + 1];
    }
    cp_error err = {0};
    char eb[1200];
    if (config && cp_srv_config_load(&cfg, config, &err) != 0) {
        fprintf(stderr, "chokepoint serve: config: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 78;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--lenient")) {
            cfg.lenient = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "chokepoint serve: unknown option or missing value: %s\n", a);
            serve_usage(stderr);
            return 64;
        }
        const char *v = argv[++i];
        int r = 0;
        if (!strcmp(a, "--config")) continue;
        else if (!strcmp(a, "--listen")) r = copy_opt(cfg.listen, sizeof cfg.listen, v, a);
        else if (!strcmp(a, "--db")) r = copy_opt(cfg.db, sizeof cfg.db, v, a);
        else if (!strcmp(a, "--data")) r = copy_opt(cfg.data, sizeof cfg.data, v, a);
        else if (!strcmp(a, "--policy")) r = copy_opt(cfg.policy, sizeof cfg.policy, v, a);
        else if (!strcmp(a, "--refdata")) r = copy_opt(cfg.refdata, sizeof cfg.refdata, v, a);
        else if (!strcmp(a, "--web")) r = copy_opt(cfg.web, sizeof cfg.web, v, a);
        else if (!strcmp(a, "--port-file")) r = copy_opt(cfg.port_file, sizeof cfg.port_file, v, a);
        else if (!strcmp(a, "--threads")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 1 || n > 256) r = -1, fputs("chokepoint serve: --threads 1..256\n", stderr);
            else cfg.threads = (unsigned)n;
        } else {
            fprintf(stderr, "chokepoint serve: unknown option '%s'\n", a);
            serve_usage(stderr);
            return 64;
        }
        if (r) return 64;
    }
    /* Signals are taken by this thread only (sigwait); block them before
     * the server threads start so that they inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    cp_server *s = cp_server_start(&cfg, log_line, NULL, &err);
    if (!s) {
        fprintf(stderr, "chokepoint serve: %s\n", cp_error_format(&err, eb, sizeof eb));
        return err.code == CP_ERR_ARG ? 78 : 69;
    }
    if (cfg.port_file[0]) {
        char tmp[1100];
        snprintf(tmp, sizeof tmp, "%s.tmp", cfg.port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", cp_server_port(s)) < 0 || fclose(f) != 0 || rename(tmp, cfg.port_file) != 0) {
            fprintf(stderr, "chokepoint serve: cannot write %s\n", cfg.port_file);
            cp_server_stop(s);
            return 69;
        }
    }
    log_line(NULL, "ready");
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig == SIGHUP) {
            if (cp_server_reload(s, "signal", &err) != 0)
                fprintf(stderr, "chokepoint serve: reload failed, old lists kept: %s\n",
                        cp_error_format(&err, eb, sizeof eb));
            continue;
        }
        break;
    }
    log_line(NULL, "stopping");
    cp_server_stop(s);
    return 0;
}
