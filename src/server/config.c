/* chokepoint serve config file (format: docs/server.md). */
#include "core/error.h"
#include "core/io.h"
#include "server/server.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cp_srv_config_init(cp_srv_config *c) {
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->db, sizeof c->db, "chokepoint-cases.db");
    c->max_body = 1u << 20;
    c->timeout = 30;
    c->threads = 4;
    c->batch_max = 1000;
    c->suppress_days = 365;
    c->budget_ms = 10000;
}

static int hexstr(const char *s, size_t n) {
    if (strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) return 0;
    return 1;
}

/* Parses one token entry "ROLE sha256:HEX" or "ROLE plain:TOKEN" for `user`
 * and appends it. Returns 0 or -1 + err (CP_ERR_ARG). */
static int cp_srv_config_add_token(cp_srv_config *c, const char *user, const char *spec, cp_error *err) {
    if (c->n_tokens == CP_SRV_MAX_TOKENS) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user, "more than %d tokens", CP_SRV_MAX_TOKENS);
        return -1;
    }
    if (!*user || strlen(user) >= sizeof c->tokens[0].user) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "user", "user name empty or longer than 63 bytes");
        return -1;
    }
    for (const char *p = user; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-@", *p)) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user, "user names use letters, digits and . _ - @");
            return -1;
        }
    char role[32];
    const char *sp = strchr(spec, ' ');
    if (!sp || (size_t)(sp - spec) >= sizeof role) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user, "want 'ROLE sha256:HEX' or 'ROLE plain:TOKEN'");
        return -1;
    }
    memcpy(role, spec, (size_t)(sp - spec));
    role[sp - spec] = 0;
    int r = cp_role_parse(role);
    if (r < 0) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user, "unknown role '%s' (screener, analyst, checker, admin)",
                     role);
        return -1;
    }
    while (*sp == ' ') sp++;
    cp_srv_token *t = &c->tokens[c->n_tokens];
    if (strncmp(sp, "sha256:", 7) == 0 && hexstr(sp + 7, 64)) {
        memcpy(t->sha256, sp + 7, 65);
    } else if (strncmp(sp, "plain:", 6) == 0 && strlen(sp + 6) >= 16) {
        cp_sha256_hex(sp + 6, strlen(sp + 6), t->sha256);
    } else {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user,
                     "token must be sha256:<64 lowercase hex> or plain:<at least 16 characters>");
        return -1;
    }
    for (size_t i = 0; i < c->n_tokens; i++)
        if (strcmp(c->tokens[i].sha256, t->sha256) == 0) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, user, "same token as user %s", c->tokens[i].user);
            return -1;
        }
    snprintf(t->user, sizeof t->user, "%s", user);
    t->role = (cp_role)r;
    c->n_tokens++;
    return 0;
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

static int set_str(char *dst, size_t cap, const char *v, const char *path, long line, const char *key,
                   cp_error *err) {
    if (strlen(v) >= cap) {
        cp_error_set(err, CP_ERR_FORMAT, path, line, -1, key, "value too long");
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int set_num(unsigned long long *out, const char *v, unsigned long long lo, unsigned long long hi,
                   const char *path, long line, const char *key, cp_error *err) {
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi || *v == '-') {
        cp_error_set(err, CP_ERR_FORMAT, path, line, -1, key, "want an integer %llu..%llu", lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

int cp_srv_config_load(cp_srv_config *c, const char *path, cp_error *err) {
    cp_bytes b;
    if (cp_read_file(path, 1u << 20, &b, err) != 0) return -1;
    enum { NONE, SERVER, TOKENS } sec = NONE;
    long line = 0;
    int ret = 0;
    char *next;
    for (char *ln = b.data; ln; ln = next) {
        next = strchr(ln, '\n');
        if (next) *next++ = 0;
        line++;
        char *s = trim(ln);
        if (!*s || *s == '#') continue;
        if (*s == '[') {
            if (strcmp(s, "[server]") == 0) sec = SERVER;
            else if (strcmp(s, "[tokens]") == 0) sec = TOKENS;
            else {
                cp_error_set(err, CP_ERR_FORMAT, path, line, -1, s, "unknown section (want [server] or [tokens])");
                ret = -1;
                break;
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            cp_error_set(err, CP_ERR_FORMAT, path, line, -1, NULL, "want 'key = value'");
            ret = -1;
            break;
        }
        *eq = 0;
        char *k = trim(s), *v = trim(eq + 1);
        unsigned long long n;
        if (sec == TOKENS) {
            if (cp_srv_config_add_token(c, k, v, err) != 0) {
                if (err) {
                    snprintf(err->file, sizeof err->file, "%s", path);
                    err->line = line;
                }
                ret = -1;
                break;
            }
        } else if (sec == SERVER) {
            int r = 0;
            if (!strcmp(k, "listen")) r = set_str(c->listen, sizeof c->listen, v, path, line, k, err);
            else if (!strcmp(k, "db")) r = set_str(c->db, sizeof c->db, v, path, line, k, err);
            else if (!strcmp(k, "data")) r = set_str(c->data, sizeof c->data, v, path, line, k, err);
            else if (!strcmp(k, "policy")) r = set_str(c->policy, sizeof c->policy, v, path, line, k, err);
            else if (!strcmp(k, "refdata")) r = set_str(c->refdata, sizeof c->refdata, v, path, line, k, err);
            else if (!strcmp(k, "tls_cert")) r = set_str(c->tls_cert, sizeof c->tls_cert, v, path, line, k, err);
            else if (!strcmp(k, "tls_key")) r = set_str(c->tls_key, sizeof c->tls_key, v, path, line, k, err);
            else if (!strcmp(k, "budget_ms")) {
                r = set_num(&n, v, 0, 3600000, path, line, k, err);
                c->budget_ms = (unsigned)n;
            }
            else if (!strcmp(k, "web")) r = set_str(c->web, sizeof c->web, v, path, line, k, err);
            else if (!strcmp(k, "max_body")) {
                r = set_num(&n, v, 1024, 64ull << 20, path, line, k, err);
                c->max_body = (size_t)n;
            } else if (!strcmp(k, "timeout")) {
                r = set_num(&n, v, 1, 3600, path, line, k, err);
                c->timeout = (unsigned)n;
            } else if (!strcmp(k, "threads")) {
                r = set_num(&n, v, 1, 256, path, line, k, err);
                c->threads = (unsigned)n;
            } else if (!strcmp(k, "batch_max")) {
                r = set_num(&n, v, 1, 100000, path, line, k, err);
                c->batch_max = (size_t)n;
            } else if (!strcmp(k, "suppression_days")) {
                r = set_num(&n, v, 1, 36500, path, line, k, err);
                c->suppress_days = (int64_t)n;
            } else if (!strcmp(k, "lenient")) {
                r = set_num(&n, v, 0, 1, path, line, k, err);
                c->lenient = (int)n;
            } else {
                cp_error_set(err, CP_ERR_FORMAT, path, line, -1, k, "unknown key in [server]");
                r = -1;
            }
            if (r) {
                ret = -1;
                break;
            }
        } else {
            cp_error_set(err, CP_ERR_FORMAT, path, line, -1, k, "key outside a section ([server] or [tokens])");
            ret = -1;
            break;
        }
    }
    free(b.data);
    return ret;
}
