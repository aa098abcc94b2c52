/* chokepoint serve: HTTP API on libmicrohttpd. Contracts in server.h,
 * endpoints in docs/server.md. */
#include "core/utf8.h"
#include "server/server.h"
#include "server/static.h"
#include "cases/audit.h"
#include "core/error.h"
#include "core/io.h"
#include "engine.h"
#include "lists/snapshot.h"
#include "match/search.h"
#include "msg/detect.h"
#include "msg/parse.h"
#include "text/normalize.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------ snapshot */

/* Per-thread tools bound to one snapshot (cp_searcher and cp_screener are
 * not thread-safe): pooled in the snapshot and lent to one request at a time. */
typedef struct worker {
    cp_searcher *searcher;
    cp_screener *screener;
    cp_text_norm *norm;
    struct worker *next;
} worker;

typedef struct snap {
    cp_engine *eng;
    cp_policy *pol;
    atomic_long refs;
    pthread_mutex_t mu;
    worker *pool;
    int64_t loaded_at;
    char *refdata; /* copy of the refdata dir or NULL */
} snap;

static void worker_free(worker *w) {
    if (!w) return;
    cp_searcher_free(w->searcher);
    cp_screener_free(w->screener);
    cp_text_norm_free(w->norm);
    free(w);
}

static void snap_release(snap *sn) {
    if (!sn || atomic_fetch_sub(&sn->refs, 1) != 1) return;
    for (worker *w = sn->pool, *n; w; w = n) {
        n = w->next;
        worker_free(w);
    }
    cp_engine_free(sn->eng);
    cp_policy_free(sn->pol);
    pthread_mutex_destroy(&sn->mu);
    free(sn->refdata);
    free(sn);
}

static worker *worker_get(snap *sn, cp_error *err) {
    pthread_mutex_lock(&sn->mu);
    worker *w = sn->pool;
    if (w) sn->pool = w->next;
    pthread_mutex_unlock(&sn->mu);
    if (w) return w;
    w = calloc(1, sizeof *w);
    if (!w) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    if (!(w->searcher = cp_searcher_new(sn->eng, err)) ||
        !(w->screener = cp_screener_new(sn->eng, sn->pol, sn->refdata, err)) || !(w->norm = cp_text_norm_new(err))) {
        worker_free(w);
        return NULL;
    }
    return w;
}

static void worker_put(snap *sn, worker *w) {
    pthread_mutex_lock(&sn->mu);
    w->next = sn->pool;
    sn->pool = w;
    pthread_mutex_unlock(&sn->mu);
}

/* ------------------------------------------------------------ metrics */

enum route {
    R_HEALTHZ, R_READYZ, R_METRICS, R_SCREEN, R_BATCH, R_SEARCH, R_ENTITY, R_LISTS, R_RELOAD,
    R_ALERTS, R_ALERT, R_DISPOSITION, R_SUPPRESSIONS, R_AUDIT, R_ME, R_UI, R_MATCH, R_OTHER, R__N
};
static const char *const route_names[R__N] = {
    "/healthz", "/readyz", "/metrics", "/v1/screen", "/v1/screen/batch", "/v1/search", "/v1/entities/{id}",
    "/v1/lists", "/v1/lists/reload", "/v1/alerts", "/v1/alerts/{id}", "/v1/alerts/{id}/disposition",
    "/v1/suppressions", "/v1/audit", "/v1/me", "/ui", "/v1/match", "other"};

enum { NBUCKETS = 12 };
static const double buckets[NBUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                         0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

typedef struct metrics {
    atomic_ulong req[R__N][5]; /* by status class 1xx..5xx */
    atomic_ulong hist[R__N][NBUCKETS];
    atomic_ulong count[R__N];
    atomic_ulong sum_us[R__N];
    atomic_ulong decisions[3];   /* PASS, REVIEW, BLOCK as screened */
    atomic_ulong effective[3];   /* after the good-guy list */
    atomic_ulong alerts, suppressed, reloads, reload_failures;
} metrics;

/* ------------------------------------------------------------ server */

struct cp_server {
    cp_srv_config cfg;
    cp_store *store;
    struct MHD_Daemon *d;
    unsigned port;
    pthread_mutex_t mu; /* guards cur */
    snap *cur;
    pthread_mutex_t reload_mu;
    cp_srv_log_fn log;
    void *log_ctx;
    metrics m;
    int64_t started_at;
    cp_bytes tls_cert, tls_key; /* PEM, NUL-terminated; kept while the daemon runs */
};

static void logf_(cp_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(cp_server *s, const char *fmt, ...) {
    if (!s->log) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->log(s->log_ctx, line);
}

static snap *snap_acquire(cp_server *s) {
    pthread_mutex_lock(&s->mu);
    snap *sn = s->cur;
    if (sn) atomic_fetch_add(&sn->refs, 1);
    pthread_mutex_unlock(&s->mu);
    return sn;
}

static snap *snap_load(cp_server *s, cp_error *err) {
    const char *pol_path = s->cfg.policy[0] ? s->cfg.policy : getenv("CHOKEPOINT_POLICY");
    if (!pol_path || !*pol_path) pol_path = CP_SOURCE_DIR "/data/policy/default.policy";
    snap *sn = calloc(1, sizeof *sn);
    if (!sn) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&sn->mu, NULL);
    atomic_init(&sn->refs, 1);
    if (s->cfg.refdata[0] && !(sn->refdata = strdup(s->cfg.refdata))) goto oom;
    if (!(sn->pol = cp_policy_load(pol_path, err))) goto fail;
    cp_load_opts lo = {0};
    lo.lists_dir = s->cfg.data[0] ? s->cfg.data : NULL;
    lo.lenient = s->cfg.lenient;
    if (!(sn->eng = cp_snapshot_load(&lo, 0, err))) goto fail;
    /* One worker now: a refdata or policy problem fails the load, not a request. */
    worker *w = worker_get(sn, err);
    if (!w) goto fail;
    worker_put(sn, w);
    sn->loaded_at = (int64_t)time(NULL);
    return sn;
oom:
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
fail:
    snap_release(sn);
    return NULL;
}

static json_t *lists_json(const cp_engine *e) {
    json_t *a = json_array();
    for (size_t i = 0; e && i < cp_engine_list_count(e); i++) {
        const cp_list_info *li = cp_engine_list_info(e, i);
        json_array_append_new(a, json_pack("{s:s, s:s?}", "id", li->id, "version", li->version));
    }
    return a;
}

int cp_server_reload(cp_server *s, const char *actor, cp_error *err) {
    pthread_mutex_lock(&s->reload_mu);
    snap *sn = snap_load(s, err);
    if (!sn) {
        atomic_fetch_add(&s->m.reload_failures, 1);
        pthread_mutex_unlock(&s->reload_mu);
        return -1;
    }
    pthread_mutex_lock(&s->mu);
    snap *old = s->cur;
    s->cur = sn;
    pthread_mutex_unlock(&s->mu);
    atomic_fetch_add(&s->m.reloads, 1);
    int64_t now = (int64_t)time(NULL);
    json_t *d = json_pack("{s:o, s:s, s:o}", "lists", lists_json(sn->eng), "dir", cp_engine_lists_dir(sn->eng),
                          "previous", old ? lists_json(old->eng) : json_null());
    char *dt = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(d);
    cp_error aerr = {0};
    int rc = cp_audit_append(s->store, now, actor, "lists.reload", "lists", dt, &aerr);
    free(dt);
    const char *pv = cp_policy_version(sn->pol);
    if (rc == 0 && (!old || strcmp(cp_policy_version(old->pol), pv) != 0)) {
        json_t *p = json_pack("{s:s, s:o}", "policy", pv, "previous",
                              old ? json_string(cp_policy_version(old->pol)) : json_null());
        char *pt = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
        json_decref(p);
        rc = cp_audit_append(s->store, now, actor, "policy.change", "policy", pt, &aerr);
        free(pt);
    }
    if (rc != 0) logf_(s, "audit write failed: %s", aerr.message);
    snap_release(old); /* freed when the last request in flight on it ends */
    pthread_mutex_unlock(&s->reload_mu);
    logf_(s, "lists loaded from %s (%zu lists), policy %s", cp_engine_lists_dir(sn->eng),
          cp_engine_list_count(sn->eng), pv);
    return 0;
}

/* ------------------------------------------------------------ requests */

typedef struct req {
    char *body;
    size_t len, cap;
    int too_big;
    int started; /* the access handler has seen this request */
    int path_nul; /* the raw path (before '?') has a %00 escape */
    struct timespec t0;
} req;

/* MHD_OPTION_URI_LOG_CALLBACK: sees the request URI before MHD decodes it
 * (MHD cuts the decoded path at a %00, so "/ui/app.css%00.png" would reach
 * the handler as "/ui/app.css"). Allocates the request state (freed by
 * completed()) and records whether the path part holds a %00; NULL on
 * out of memory (the handler then allocates it). */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    (void)c;
    req *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    for (const char *p = uri; p && *p && *p != '?'; p++)
        if (p[0] == '%' && p[1] == '0' && p[2] == '0') q->path_nul = 1;
    return q;
}

typedef struct reply {
    unsigned status;
    json_t *json;      /* owned */
    char *text;        /* owned, malloc'd; used when json is NULL */
    const char *ctype;
    int www_auth;
} reply;

static void set_error(reply *r, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_error(reply *r, unsigned status, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(r->json);
    r->status = status;
    r->json = json_pack("{s:{s:i, s:s}}", "error", "status", (int)status, "message", msg);
}

static void set_cp_error(reply *r, unsigned status, const cp_error *e) {
    json_decref(r->json);
    r->status = status;
    r->json = json_pack("{s:{s:i, s:s, s:s?, s:I}}", "error", "status", (int)status, "message", e->message, "field",
                        e->field[0] ? e->field : NULL, "offset", (json_int_t)e->offset);
}

static const cp_srv_token *authenticate(cp_server *s, struct MHD_Connection *c) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return NULL;
    h += 7;
    while (*h == ' ') h++;
    size_t n = strlen(h);
    if (n == 0 || n > 1024) return NULL;
    char hex[65];
    cp_sha256_hex(h, n, hex);
    const cp_srv_token *found = NULL;
    for (size_t i = 0; i < s->cfg.n_tokens; i++) {
        /* constant time over the whole table */
        unsigned diff = 0;
        for (size_t k = 0; k < 64; k++) diff |= (unsigned)(hex[k] ^ s->cfg.tokens[i].sha256[k]);
        if (diff == 0) found = &s->cfg.tokens[i];
    }
    return found;
}

/* MHD_get_connection_values_n iterator: the first GET argument whose name or
 * value has a NUL byte (from %00) or is not valid UTF-8 (RFC 3629). MHD hands
 * values out as C strings, so "name=VTB%00BANK" would be read as "VTB". */
typedef struct bad_arg {
    char what[160];
} bad_arg;


static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                 const char *value, size_t value_size) {
    (void)kind;
    bad_arg *b = cls;
    const char *why = NULL;
    if (memchr(key, 0, key_size) || (value && memchr(value, 0, value_size))) why = "NUL byte (%00)";
    else if (cp_utf8_invalid_at(key, key_size) < key_size ||
             (value && cp_utf8_invalid_at(value, value_size) < value_size))
        why = "invalid UTF-8";
    if (!why) return MHD_YES;
    char name[64];
    size_t n = 0;
    for (size_t i = 0; i < key_size && n + 1 < sizeof name; i++) /* printable ASCII only */
        name[n++] = key[i] >= 0x20 && key[i] < 0x7F && key[i] != '"' && key[i] != '\\' ? key[i] : '?';
    name[n] = 0;
    snprintf(b->what, sizeof b->what, "query parameter '%s': %s", name, why);
    return MHD_NO;
}

static const char *arg(struct MHD_Connection *c, const char *k) {
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
    return v && *v ? v : NULL;
}

static int parse_i64(const char *v, int64_t lo, int64_t hi, int64_t *out) {
    if (!v) return -1;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || x < lo || x > hi) return -1;
    *out = x;
    return 0;
}

/* Request time budget (cfg.budget_ms, 0: none) for screening, batches and
 * /v1/match. Checked between messages/parties: one screening or search has no
 * cancellation point, so the budget bounds how much more work starts, not the
 * item in progress. 1 when the request started at t0 is over budget. */
static int over_budget(const cp_server *s, const struct timespec *t0) {
    if (!s->cfg.budget_ms || !t0) return 0;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
    return ms > (double)s->cfg.budget_ms;
}

static void set_budget_error(const cp_server *s, reply *rep, size_t done, const char *what) {
    set_error(rep, 503, "request exceeded its time budget of %u ms after %zu %s; nothing returned (alerts already "
              "recorded stay in the queue); split the request",
              s->cfg.budget_ms, done, what);
}

/* --- screening */

typedef struct cand_extra {
    char key[512];
    char hash[65];
    char rule[512];      /* rule names joined by ", " */
    const cp_hit *best;  /* the deciding hit: highest action, then highest score */
    json_t *hits;        /* the hits this alert stands for (rule_hits) */
    char *hits_text;
} cand_extra;

/* Adds hit h to candidate x: its rule name (once) to x->rule, the hit to
 * x->hits, and makes it the deciding hit when it asks for more (or as much
 * with a higher score). The deciding rule's name comes first. */
static void cand_add_hit(cand_extra *x, const cp_hit *h) {
    int better = !x->best || h->action > x->best->action ||
                 (h->action == x->best->action && h->score > x->best->score);
    if (better) x->best = h;
    if (!x->hits) x->hits = json_array();
    json_array_append_new(x->hits, json_pack("{s:s, s:s?, s:s?, s:s?, s:f, s:s, s:s?}", "kind",
                                             cp_hit_kind_name(h->kind), "field", h->field, "value", h->value,
                                             "rule", h->rule, "score", h->score, "action",
                                             cp_decision_name(h->action), "reason", h->reason));
    if (!h->rule) return;
    size_t l = strlen(h->rule), n = strlen(x->rule);
    for (const char *p = x->rule; (p = strstr(p, h->rule)) != NULL; p += l)
        if ((p == x->rule || p[-1] == ' ') && (p[l] == 0 || p[l] == ',')) return; /* already named */
    if (n + l + 3 > sizeof x->rule) return; /* the full list stays in rule_hits */
    if (better && n) { /* deciding rule first */
        memmove(x->rule + l + 2, x->rule, n + 1);
        memcpy(x->rule, h->rule, l);
        memcpy(x->rule + l, ", ", 2);
    } else {
        snprintf(x->rule + n, sizeof x->rule - n, "%s%s", n ? ", " : "", h->rule);
    }
}

/* Records alerts for one result and returns its JSON object augmented with
 * "alerts", "suppressed" and "effective_decision"; NULL + reply set on a
 * store failure. */
static json_t *screen_result(cp_server *s, snap *sn, worker *w, const cp_screen_result *r, const char *user,
                             reply *rep) {
    char *j = cp_screen_result_to_json(r, sn->eng);
    json_t *o = j ? json_loads(j, 0, NULL) : NULL;
    if (!o) {
        free(j);
        set_error(rep, 500, "out of memory");
        return NULL;
    }
    atomic_fetch_add(&s->m.decisions[r->decision], 1);
    size_t n = 0, cap = r->n_hits + 1;
    cp_alert_new *c = calloc(cap, sizeof *c);
    cand_extra *x = calloc(cap, sizeof *x);
    json_t *lists = lists_json(sn->eng);
    char *lists_text = json_dumps(lists, JSON_COMPACT);
    json_decref(lists);
    if (!c || !x || !lists_text) {
        free(c);
        free(x);
        free(lists_text);
        free(j);
        json_decref(o);
        set_error(rep, 500, "out of memory");
        return NULL;
    }
    cp_decision other = CP_PASS;
    cand_extra *ox = &x[cap - 1]; /* the goods/route/rule alert's hits */
    for (size_t i = 0; i < r->n_hits; i++) {
        const cp_hit *h = &r->hits[i];
        if (h->action < CP_REVIEW) continue;
        if (h->kind != CP_HIT_PARTY || !h->entity_id || !h->value) {
            if (h->action > other) other = h->action;
            cand_add_hit(ox, h);
            continue;
        }
        size_t k;
        for (k = 0; k < n; k++)
            if (!strcmp(c[k].party, h->value) && !strcmp(c[k].entity_id, h->entity_id)) break;
        if (k < n) {
            if (h->action > c[k].decision) c[k].decision = h->action;
            if (h->score > c[k].score) c[k].score = h->score;
            cand_add_hit(&x[k], h);
            continue;
        }
        cand_add_hit(&x[n], h);
        cp_alert_new *a = &c[n];
        a->decision = h->action;
        a->score = h->score;
        a->party = h->value;
        a->entity_id = h->entity_id;
        a->entity_name = h->entity_name;
        cp_error kerr;
        if (cp_case_party_key(w->norm, h->value, strlen(h->value), x[n].key, sizeof x[n].key, &kerr) == 0)
            a->party_key = x[n].key;
        const cp_list_info *li = NULL;
        const cp_entity *en = cp_srv_find_entity(sn->eng, h->entity_id, &li);
        if (en && cp_case_entity_hash(en, x[n].hash) == 0) a->entity_hash = x[n].hash;
        if (li) a->list_version = li->version;
        n++;
    }
    if (other >= CP_REVIEW) {
        c[n].decision = other;
        c[n].score = r->score;
        if (n != cap - 1) { /* the goods/route/rule hits go with this alert */
            x[n] = *ox;
            memset(ox, 0, sizeof *ox);
        }
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        if (x[k].best) {
            c[k].rule = x[k].rule[0] ? x[k].rule : NULL;
            c[k].hit_kind = cp_hit_kind_name(x[k].best->kind);
            c[k].hit_field = x[k].best->field;
            c[k].rule_score = x[k].best->score;
        }
        if (x[k].hits) c[k].rule_hits_json = x[k].hits_text = json_dumps(x[k].hits, JSON_COMPACT);
        c[k].message_id = r->message_id;
        c[k].lists_json = lists_text;
        c[k].policy = r->policy;
        c[k].result_json = j;
    }
    cp_error err = {0};
    cp_store_rc rc = cp_store_record_alerts(s->store, c, n, user, (int64_t)time(NULL), &err);
    json_t *alerts = json_array(), *supp = json_array();
    cp_decision eff = CP_PASS;
    if (rc == CP_STORE_OK) {
        for (size_t k = 0; k < n; k++) {
            if (c[k].alert_id > 0) {
                json_array_append_new(alerts, json_integer((json_int_t)c[k].alert_id));
                atomic_fetch_add(&s->m.alerts, 1);
                if (c[k].decision > eff) eff = c[k].decision;
            } else {
                json_array_append_new(supp, json_pack("{s:s, s:s, s:I}", "party", c[k].party, "entity_id",
                                                      c[k].entity_id, "suppression_id",
                                                      (json_int_t)c[k].suppressed_by));
                atomic_fetch_add(&s->m.suppressed, 1);
            }
        }
    }
    free(c);
    for (size_t k = 0; k < cap; k++) {
        json_decref(x[k].hits);
        free(x[k].hits_text);
    }
    free(x);
    free(lists_text);
    free(j);
    if (rc != CP_STORE_OK) {
        json_decref(alerts);
        json_decref(supp);
        json_decref(o);
        logf_(s, "case store write failed: %s", err.message);
        set_error(rep, 503, "case store unavailable: alerts could not be recorded");
        return NULL;
    }
    atomic_fetch_add(&s->m.effective[eff], 1);
    json_object_set_new(o, "alerts", alerts);
    json_object_set_new(o, "suppressed", supp);
    json_object_set_new(o, "effective_decision", json_string(cp_decision_name(eff)));
    return o;
}

/* Screens every message in data; returns {"results":[...]} or NULL with rep
 * set (422 when nothing could be parsed, 503 on store failure). */
static json_t *screen_body(cp_server *s, snap *sn, worker *w, const char *data, size_t len, const char *format,
                           const char *user, const struct timespec *t0, reply *rep) {
    cp_msg_format forced = CP_MSG_UNKNOWN;
    if (format && strcmp(format, "auto") != 0) {
        int f = (int)cp_msg_format_parse(format);
        if (f == (int)CP_MSG_UNKNOWN) {
            set_error(rep, 400, "format must be auto, mt, mx, json or csv");
            return NULL;
        }
        forced = (cp_msg_format)f;
    }
    json_t *results = json_array();
    size_t ok = 0, bad = 0;
    cp_error first = {0};
    cp_msg_iter it;
    cp_msg_iter_init(&it, data, len, forced);
    cp_msg_span sp;
    int rc;
    cp_error err = {0};
    while ((rc = cp_msg_next(&it, &sp, &err)) != 0) {
        if (rc < 0) {
            if (!bad++) first = err;
            json_array_append_new(results, json_pack("{s:{s:s, s:s?, s:I}}", "error", "message", err.message,
                                                     "field", err.field[0] ? err.field : NULL, "offset",
                                                     (json_int_t)err.offset));
            break;
        }
        if (over_budget(s, t0)) {
            json_decref(results);
            set_budget_error(s, rep, ok, "transactions");
            return NULL;
        }
        cp_screen_batch b = {0};
        if (cp_screen_message(w->screener, data + sp.offset, sp.len, cp_msg_format_name(sp.format), "request", &b,
                              &err) < 0) {
            if (err.offset >= 0) err.offset += (long)sp.offset;
            if (!bad++) first = err;
            json_array_append_new(results, json_pack("{s:{s:s, s:s?, s:I}}", "error", "message", err.message,
                                                     "field", err.field[0] ? err.field : NULL, "offset",
                                                     (json_int_t)err.offset));
            continue;
        }
        for (size_t k = 0; k < b.n; k++) {
            json_t *o = screen_result(s, sn, w, b.items[k], user, rep);
            if (!o) {
                cp_screen_batch_clear(&b);
                json_decref(results);
                return NULL;
            }
            json_array_append_new(results, o);
            ok++;
        }
        cp_screen_batch_clear(&b);
    }
    if (ok == 0) {
        json_decref(results);
        if (bad) set_cp_error(rep, 422, &first);
        else set_error(rep, 422, "no message in the request body");
        return NULL;
    }
    return json_pack("{s:o}", "results", results);
}

static void h_screen(cp_server *s, snap *sn, struct MHD_Connection *c, req *q, const char *user, reply *rep) {
    cp_error err = {0};
    worker *w = worker_get(sn, &err);
    if (!w) {
        set_cp_error(rep, 500, &err);
        return;
    }
    json_t *o = screen_body(s, sn, w, q->body ? q->body : "", q->len, arg(c, "format"), user, &q->t0, rep);
    worker_put(sn, w);
    if (o) {
        rep->status = 200;
        rep->json = o;
    }
}

static void h_batch(cp_server *s, snap *sn, req *q, const char *user, reply *rep) {
    json_error_t je;
    json_t *in = json_loadb(q->body ? q->body : "", q->len, JSON_REJECT_DUPLICATES, &je);
    json_t *msgs = in ? json_object_get(in, "messages") : NULL;
    if (!json_is_array(msgs)) {
        json_decref(in);
        set_error(rep, 400, "want {\"messages\": [ \"message text\" | {\"data\": \"...\", \"format\": \"auto\"} ]}%s%s",
                  in ? "" : ": ", in ? "" : je.text);
        return;
    }
    if (json_array_size(msgs) > s->cfg.batch_max) {
        json_decref(in);
        set_error(rep, 413, "at most %zu messages per batch", s->cfg.batch_max);
        return;
    }
    cp_error err = {0};
    worker *w = worker_get(sn, &err);
    if (!w) {
        json_decref(in);
        set_cp_error(rep, 500, &err);
        return;
    }
    json_t *items = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m) {
        const char *data = json_is_string(m) ? json_string_value(m) : json_string_value(json_object_get(m, "data"));
        size_t len = json_is_string(m) ? json_string_length(m) : json_string_length(json_object_get(m, "data"));
        const char *fmt = json_is_object(m) ? json_string_value(json_object_get(m, "format")) : NULL;
        if (!data) {
            json_array_append_new(items, json_pack("{s:{s:i, s:s}}", "error", "status", 400, "message",
                                                   "item is neither a string nor {\"data\": string}"));
            continue;
        }
        reply one = {0};
        json_t *o = over_budget(s, &q->t0) ? NULL : screen_body(s, sn, w, data, len, fmt, user, &q->t0, &one);
        if (!o && !one.status) set_budget_error(s, &one, i, "messages");
        if (!o && one.status == 503) {
            json_decref(items);
            json_decref(in);
            worker_put(sn, w);
            *rep = one;
            return;
        }
        json_array_append_new(items, o ? o : one.json);
    }
    worker_put(sn, w);
    json_decref(in);
    rep->status = 200;
    rep->json = json_pack("{s:o}", "items", items);
}

/* Sets qu->schema and qu->dob from text (NULL: not given) as GET /v1/search
 * and POST /v1/match accept them. NULL, or the error message. */
static const char *query_schema_dob(cp_query *qu, const char *schema, const char *dob) {
    if (schema) {
        int sc = cp_schema_parse(schema);
        if (sc < 0) return "unknown schema (want person, organization, vessel, aircraft, any)";
        qu->schema = (cp_schema)sc;
    }
    if (dob) {
        cp_pdate d;
        if (cp_pdate_parse(dob, strlen(dob), 0, &d) != 0) return "bad dob (want YYYY, YYYY-MM or YYYY-MM-DD)";
        qu->dob = dob;
    }
    return NULL;
}

static void h_search(snap *sn, struct MHD_Connection *c, reply *rep) {
    cp_query qu = {0};
    qu.name = arg(c, "name");
    qu.id = arg(c, "id");
    qu.country = arg(c, "country");
    const char *schema = arg(c, "schema"), *dob = arg(c, "dob"), *limit = arg(c, "limit"), *list = arg(c, "list");
    const char *min = arg(c, "min_score");
    if (!qu.name && !qu.id) {
        set_error(rep, 400, "name (or id) is required");
        return;
    }
    const char *bad = query_schema_dob(&qu, schema, dob);
    if (bad) {
        set_error(rep, 400, "%s", bad);
        return;
    }
    if (limit) {
        int64_t n;
        if (parse_i64(limit, 1, 1000, &n) != 0) {
            set_error(rep, 400, "bad limit (want 1..1000)");
            return;
        }
        qu.limit = (size_t)n;
    }
    if (min) {
        char *end;
        double x = strtod(min, &end);
        if (end == min || *end || !(x >= 0 && x <= 1)) {
            set_error(rep, 400, "bad min_score (want a number in [0,1])");
            return;
        }
        qu.min_score = x > 0 ? x : 1e-9;
    }
    if (list) {
        qu.lists = &list;
        qu.n_lists = 1;
    }
    cp_error err = {0};
    worker *w = worker_get(sn, &err);
    if (!w) {
        set_cp_error(rep, 500, &err);
        return;
    }
    cp_results *res = cp_searcher_search(w->searcher, &qu, &err);
    worker_put(sn, w);
    if (!res) {
        set_cp_error(rep, err.code == CP_ERR_NOMEM ? 500 : 400, &err);
        return;
    }
    rep->text = cp_results_to_json(res, 0);
    cp_results_free(res);
    if (!rep->text) {
        set_error(rep, 500, "out of memory");
        return;
    }
    rep->status = 200;
}

/* POST /v1/match: {"parties":[{"name","schema","country","dob","id"}...],
 * "limit":N, "min_score":x, "list":"id"} (or a bare array of parties) ->
 * {"results":[R...]} with R, per party in order, exactly the JSON of
 * GET /v1/search / `chokepoint search --format json` (cp_results_to_json), or
 * {"error":{...}} for a party that is not a valid query. Nothing is recorded
 * in the case store (a lookup, not a screening). */
static void h_match(cp_server *s, snap *sn, req *q, reply *rep) {
    json_error_t je;
    json_t *in = json_loadb(q->body ? q->body : "", q->len, JSON_REJECT_DUPLICATES, &je);
    json_t *parties = json_is_array(in) ? in : json_object_get(in, "parties");
    if (!json_is_array(parties)) {
        set_error(rep, 400, "want {\"parties\": [{\"name\", \"schema\", \"country\", \"dob\", \"id\"}...]}%s%s",
                  in ? "" : ": ", in ? "" : je.text);
        json_decref(in);
        return;
    }
    if (json_array_size(parties) > s->cfg.batch_max) {
        set_error(rep, 413, "at most %zu parties per request", s->cfg.batch_max);
        json_decref(in);
        return;
    }
    size_t limit = 0;
    double min_score = 0;
    const char *list = NULL;
    if (json_is_object(in)) {
        json_t *l = json_object_get(in, "limit"), *m = json_object_get(in, "min_score"),
               *li = json_object_get(in, "list");
        if (l && (!json_is_integer(l) || json_integer_value(l) < 1 || json_integer_value(l) > 1000)) {
            set_error(rep, 400, "bad limit (want 1..1000)");
            json_decref(in);
            return;
        }
        if (m && (!json_is_number(m) || !(json_number_value(m) >= 0 && json_number_value(m) <= 1))) {
            set_error(rep, 400, "bad min_score (want a number in [0,1])");
            json_decref(in);
            return;
        }
        if (li && !json_is_string(li)) {
            set_error(rep, 400, "list must be a list id string");
            json_decref(in);
            return;
        }
        if (l) limit = (size_t)json_integer_value(l);
        if (m) min_score = json_number_value(m) > 0 ? json_number_value(m) : 1e-9;
        list = json_string_value(li);
    }
    cp_error err = {0};
    worker *w = worker_get(sn, &err);
    if (!w) {
        json_decref(in);
        set_cp_error(rep, 500, &err);
        return;
    }
    static const char *const keys[] = {"name", "schema", "country", "dob", "id"};
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(parties, i, p) {
        if (over_budget(s, &q->t0)) {
            json_decref(out);
            out = NULL;
            set_budget_error(s, rep, i, "parties");
            break;
        }
        const char *v[5] = {NULL, NULL, NULL, NULL, NULL};
        const char *bad = json_is_object(p) ? NULL : "party is not an object";
        for (int k = 0; k < 5 && !bad; k++) {
            json_t *x = json_object_get(p, keys[k]);
            if (x && !json_is_string(x) && !json_is_null(x)) bad = "party fields are strings";
            else if (x && json_string_length(x) > 0) v[k] = json_string_value(x);
        }
        cp_query qu = {0};
        qu.name = v[0];
        qu.country = v[2];
        qu.id = v[4];
        qu.limit = limit;
        qu.min_score = min_score;
        if (list) {
            qu.lists = &list;
            qu.n_lists = 1;
        }
        if (!bad) bad = query_schema_dob(&qu, v[1], v[3]);
        if (!bad && !qu.name && !qu.id) bad = "name (or id) is required";
        if (bad) {
            json_array_append_new(out, json_pack("{s:{s:i, s:s, s:I}}", "error", "status", 400, "message", bad,
                                                 "index", (json_int_t)i));
            continue;
        }
        cp_results *res = cp_searcher_search(w->searcher, &qu, &err);
        int searched = res != NULL;
        char *text = res ? cp_results_to_json(res, 0) : NULL;
        cp_results_free(res);
        json_t *o = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        if (!o) {
            if (searched) cp_error_set(&err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
            json_array_append_new(out, json_pack("{s:{s:i, s:s, s:I}}", "error", "status",
                                                 err.code == CP_ERR_NOMEM ? 500 : 400, "message", err.message,
                                                 "index", (json_int_t)i));
            continue;
        }
        json_array_append_new(out, o);
    }
    worker_put(sn, w);
    json_decref(in);
    if (!out) return;
    rep->status = 200;
    rep->json = json_pack("{s:o}", "results", out);
}

static void h_lists(cp_server *s, snap *sn, reply *rep) {
    json_t *a = json_array();
    time_t now = time(NULL);
    for (size_t i = 0; i < cp_engine_list_count(sn->eng); i++) {
        const cp_list_info *li = cp_engine_list_info(sn->eng, i);
        json_array_append_new(a, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:I}", "id", li->id, "name",
                                           li->name, "publisher", li->publisher, "version", li->version, "sha256",
                                           li->sha256, "entities", (json_int_t)li->entities, "names",
                                           (json_int_t)li->names, "problems", (json_int_t)li->problems));
    }
    char at[32];
    cp_case_time(sn->loaded_at, at);
    rep->status = 200;
    rep->json = json_pack("{s:s, s:s, s:I, s:s, s:o}", "dir", cp_engine_lists_dir(sn->eng), "loaded_at", at,
                          "age_seconds", (json_int_t)(now - sn->loaded_at), "policy", cp_policy_version(sn->pol),
                          "lists", a);
    (void)s;
}

static void h_disposition(cp_server *s, int64_t id, req *q, const cp_srv_token *t, reply *rep) {
    json_error_t je;
    json_t *in = json_loadb(q->body ? q->body : "", q->len, JSON_REJECT_DUPLICATES, &je);
    const char *decision = in ? json_string_value(json_object_get(in, "decision")) : NULL;
    const char *comment = in ? json_string_value(json_object_get(in, "comment")) : NULL;
    if (!in || !json_is_object(in)) {
        json_decref(in);
        set_error(rep, 400, "want {\"decision\": \"true_match|false_positive|escalate\", \"comment\": \"...\"}");
        return;
    }
    cp_error err = {0};
    cp_disp_outcome out;
    cp_store_rc rc = cp_store_disposition(s->store, id, t->user, t->role, decision, comment, (int64_t)time(NULL),
                                          s->cfg.suppress_days * 86400, &out, &err);
    json_decref(in);
    static const unsigned codes[] = {200, 404, 403, 409, 400, 503};
    if (rc != CP_STORE_OK) {
        if (rc == CP_STORE_ERROR) logf_(s, "case store write failed: %s", err.message);
        set_cp_error(rep, codes[rc], &err);
        return;
    }
    json_t *a = cp_store_alert_get(s->store, id, &err);
    rep->status = 200;
    rep->json = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "status", out.status, "suppression_id",
                          out.suppression_id ? json_integer((json_int_t)out.suppression_id) : json_null(), "alert",
                          a ? a : json_null());
}

static void h_metrics(cp_server *s, reply *rep) {
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    if (!b) {
        set_error(rep, 500, "out of memory");
        return;
    }
#define OUT(...)                                                                                                \
    do {                                                                                                        \
        if (n < cap) {                                                                                          \
            int k_ = snprintf(b + n, cap - n, __VA_ARGS__);                                                     \
            if (k_ > 0) n += (size_t)k_;                                                                        \
        }                                                                                                       \
    } while (0)
    OUT("# HELP chokepoint_requests_total HTTP requests by route and status class.\n"
        "# TYPE chokepoint_requests_total counter\n");
    for (int r = 0; r < R__N; r++)
        for (int k = 0; k < 5; k++) {
            unsigned long v = atomic_load(&s->m.req[r][k]);
            if (v) OUT("chokepoint_requests_total{route=\"%s\",code=\"%dxx\"} %lu\n", route_names[r], k + 1, v);
        }
    OUT("# HELP chokepoint_request_duration_seconds Request latency by route.\n"
        "# TYPE chokepoint_request_duration_seconds histogram\n");
    for (int r = 0; r < R__N; r++) {
        unsigned long cnt = atomic_load(&s->m.count[r]);
        if (!cnt) continue;
        unsigned long cum = 0;
        for (int k = 0; k < NBUCKETS; k++) {
            cum += atomic_load(&s->m.hist[r][k]);
            OUT("chokepoint_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n", route_names[r],
                buckets[k], cum);
        }
        OUT("chokepoint_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", route_names[r], cnt);
        OUT("chokepoint_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
            (double)atomic_load(&s->m.sum_us[r]) / 1e6);
        OUT("chokepoint_request_duration_seconds_count{route=\"%s\"} %lu\n", route_names[r], cnt);
    }
    OUT("# HELP chokepoint_decisions_total Screening decisions (per transaction) by outcome.\n"
        "# TYPE chokepoint_decisions_total counter\n");
    for (int d = 0; d < 3; d++)
        OUT("chokepoint_decisions_total{decision=\"%s\"} %lu\n", cp_decision_name((cp_decision)d),
            atomic_load(&s->m.decisions[d]));
    OUT("# HELP chokepoint_effective_decisions_total Decisions after the good-guy list.\n"
        "# TYPE chokepoint_effective_decisions_total counter\n");
    for (int d = 0; d < 3; d++)
        OUT("chokepoint_effective_decisions_total{decision=\"%s\"} %lu\n", cp_decision_name((cp_decision)d),
            atomic_load(&s->m.effective[d]));
    OUT("# TYPE chokepoint_alerts_created_total counter\nchokepoint_alerts_created_total %lu\n",
        atomic_load(&s->m.alerts));
    OUT("# TYPE chokepoint_alerts_suppressed_total counter\nchokepoint_alerts_suppressed_total %lu\n",
        atomic_load(&s->m.suppressed));
    OUT("# TYPE chokepoint_list_reloads_total counter\nchokepoint_list_reloads_total %lu\n",
        atomic_load(&s->m.reloads));
    OUT("# TYPE chokepoint_list_reload_failures_total counter\nchokepoint_list_reload_failures_total %lu\n",
        atomic_load(&s->m.reload_failures));
    int64_t counts[4];
    static const char *const st[] = {"open", "pending_confirmation", "closed", "escalated"};
    if (cp_store_alert_counts(s->store, counts, NULL) == 0) {
        OUT("# HELP chokepoint_alerts Alerts in the case store by status.\n# TYPE chokepoint_alerts gauge\n");
        for (int k = 0; k < 4; k++) OUT("chokepoint_alerts{status=\"%s\"} %lld\n", st[k], (long long)counts[k]);
    }
    snap *sn = snap_acquire(s);
    OUT("# HELP chokepoint_ready 1 when lists are loaded.\n# TYPE chokepoint_ready gauge\nchokepoint_ready %d\n",
        sn ? 1 : 0);
    if (sn) {
        time_t now = time(NULL);
        OUT("# HELP chokepoint_lists_loaded_age_seconds Seconds since the list snapshot was loaded.\n"
            "# TYPE chokepoint_lists_loaded_age_seconds gauge\nchokepoint_lists_loaded_age_seconds %lld\n",
            (long long)(now - sn->loaded_at));
        OUT("# HELP chokepoint_list_age_seconds Seconds since each list's data date (its version).\n"
            "# TYPE chokepoint_list_age_seconds gauge\n");
        for (size_t i = 0; i < cp_engine_list_count(sn->eng); i++) {
            const cp_list_info *li = cp_engine_list_info(sn->eng, i);
            struct tm tm = {0};
            if (li->version && sscanf(li->version, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                time_t t = timegm(&tm);
                OUT("chokepoint_list_age_seconds{list=\"%s\"} %lld\n", li->id, (long long)(now - t));
            }
        }
        OUT("# TYPE chokepoint_list_entities gauge\n");
        for (size_t i = 0; i < cp_engine_list_count(sn->eng); i++) {
            const cp_list_info *li = cp_engine_list_info(sn->eng, i);
            OUT("chokepoint_list_entities{list=\"%s\"} %zu\n", li->id, li->entities);
        }
        snap_release(sn);
    }
#undef OUT
    if (n >= cap) n = cap - 1;
    b[n] = 0;
    rep->status = 200;
    rep->text = b;
    rep->ctype = "text/plain; version=0.0.4";
}

/* Matches "/v1/alerts/<id>[/disposition]"; returns the route. */
static enum route route_of(const char *url, int64_t *id, const char **tail) {
    static const struct {
        const char *path;
        enum route r;
    } fixed[] = {{"/healthz", R_HEALTHZ},     {"/readyz", R_READYZ},         {"/metrics", R_METRICS},
                 {"/v1/screen", R_SCREEN},    {"/v1/screen/batch", R_BATCH}, {"/v1/search", R_SEARCH}, {"/v1/match", R_MATCH},
                 {"/v1/lists", R_LISTS},      {"/v1/lists/reload", R_RELOAD}, {"/v1/alerts", R_ALERTS},
                 {"/v1/suppressions", R_SUPPRESSIONS}, {"/v1/audit", R_AUDIT}, {"/v1/me", R_ME}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!strcmp(url, fixed[i].path)) return fixed[i].r;
    if (cp_srv_static_match(url)) return R_UI;
    if (!strncmp(url, "/v1/entities/", 13) && url[13]) {
        *tail = url + 13;
        return R_ENTITY;
    }
    if (!strncmp(url, "/v1/alerts/", 11)) {
        const char *p = url + 11;
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v <= 0 || *p == '-' || *p == '+') return R_OTHER;
        *id = v;
        if (!*end) return R_ALERT;
        if (!strcmp(end, "/disposition")) return R_DISPOSITION;
    }
    return R_OTHER;
}

static void dispatch(cp_server *s, struct MHD_Connection *c, const char *url, const char *method, req *q,
                     enum route rt, int64_t id, const char *tail, const char **user, reply *rep) {
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), post = !strcmp(method, "POST");
    if (rt == R_HEALTHZ) {
        if (!get) return set_error(rep, 405, "use GET");
        rep->status = 200;
        rep->json = json_pack("{s:s}", "status", "ok");
        return;
    }
    if (rt == R_OTHER) return set_error(rep, 404, "no such endpoint: %s", url);
    const cp_srv_token *t = authenticate(s, c);
    if (!t) {
        rep->www_auth = 1;
        return set_error(rep, 401, "missing or unknown bearer token (Authorization: Bearer <token>)");
    }
    *user = t->user;
    cp_role need = CP_ROLE_SCREENER;
    int want_post = 0;
    switch (rt) {
    case R_SCREEN: case R_BATCH: case R_MATCH: want_post = 1; break;
    case R_RELOAD: want_post = 1; need = CP_ROLE_ADMIN; break;
    case R_DISPOSITION: want_post = 1; need = CP_ROLE_ANALYST; break;
    case R_ALERTS: case R_ALERT: case R_SUPPRESSIONS: case R_AUDIT: need = CP_ROLE_ANALYST; break;
    default: break;
    }
    if (want_post ? !post : !get) return set_error(rep, 405, "use %s", want_post ? "POST" : "GET");
    if (t->role < need)
        return set_error(rep, 403, "role %s may not use %s (needs %s or above)", cp_role_name(t->role),
                         route_names[rt], cp_role_name(need));
    if (q->too_big) return set_error(rep, 413, "request body larger than %zu bytes", s->cfg.max_body);
    cp_error err = {0};
    switch (rt) {
    case R_METRICS: return h_metrics(s, rep);
    case R_ME: /* who the token belongs to (the web UI shows it) */
        rep->status = 200;
        rep->json = json_pack("{s:s, s:s}", "user", t->user, "role", cp_role_name(t->role));
        return;
    case R_ALERTS: {
        const char *st = arg(c, "status");
        if (st && strcmp(st, "open") && strcmp(st, "pending_confirmation") && strcmp(st, "closed") &&
            strcmp(st, "escalated"))
            return set_error(rep, 400, "status must be open, pending_confirmation, closed or escalated");
        int64_t before = 0, limit = 100;
        if (arg(c, "before") && parse_i64(arg(c, "before"), 1, INT64_MAX, &before) != 0)
            return set_error(rep, 400, "bad before");
        if (arg(c, "limit") && parse_i64(arg(c, "limit"), 1, 1000, &limit) != 0)
            return set_error(rep, 400, "bad limit (want 1..1000)");
        rep->json = cp_store_alerts_list(s->store, st, before, (size_t)limit, &err);
        if (!rep->json) return set_cp_error(rep, 503, &err);
        rep->status = 200;
        return;
    }
    case R_ALERT:
        rep->json = cp_store_alert_get(s->store, id, &err);
        if (!rep->json) return set_cp_error(rep, err.code == CP_ERR_NOTFOUND ? 404 : 503, &err);
        rep->status = 200;
        return;
    case R_DISPOSITION: return h_disposition(s, id, q, t, rep);
    case R_SUPPRESSIONS:
        rep->json = cp_store_suppressions(s->store, arg(c, "active") && !strcmp(arg(c, "active"), "1"),
                                          (int64_t)time(NULL), &err);
        if (!rep->json) return set_cp_error(rep, 503, &err);
        rep->status = 200;
        return;
    case R_AUDIT: {
        int64_t before = 0, limit = 100;
        if (arg(c, "before") && parse_i64(arg(c, "before"), 1, INT64_MAX, &before) != 0)
            return set_error(rep, 400, "bad before");
        if (arg(c, "limit") && parse_i64(arg(c, "limit"), 1, 1000, &limit) != 0)
            return set_error(rep, 400, "bad limit (want 1..1000)");
        rep->json = cp_audit_list(s->store, before, (size_t)limit, &err);
        if (!rep->json) return set_cp_error(rep, 503, &err);
        rep->status = 200;
        return;
    }
    case R_RELOAD:
        if (cp_server_reload(s, t->user, &err) != 0) {
            logf_(s, "list reload failed: %s", err.message);
            return set_cp_error(rep, 500, &err);
        }
        break; /* answer with the new lists below */
    default: break;
    }
    snap *sn = snap_acquire(s);
    if (!sn) {
        if (rt == R_READYZ) {
            rep->status = 503;
            rep->json = json_pack("{s:b, s:s}", "ready", 0, "reason", "lists not loaded yet");
            return;
        }
        return set_error(rep, 503, "lists not loaded yet");
    }
    switch (rt) {
    case R_READYZ:
        rep->status = 200;
        rep->json = json_pack("{s:b, s:I}", "ready", 1, "lists", (json_int_t)cp_engine_list_count(sn->eng));
        break;
    case R_SCREEN: h_screen(s, sn, c, q, t->user, rep); break;
    case R_BATCH: h_batch(s, sn, q, t->user, rep); break;
    case R_SEARCH: h_search(sn, c, rep); break;
    case R_MATCH: h_match(s, sn, q, rep); break;
    case R_ENTITY:
        rep->json = cp_srv_entity_json(sn->eng, tail);
        if (!rep->json) set_error(rep, 404, "no list entity %s", tail);
        else rep->status = 200;
        break;
    case R_LISTS: case R_RELOAD: h_lists(s, sn, rep); break;
    default: set_error(rep, 404, "no such endpoint"); break;
    }
    snap_release(sn);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, reply *rep) {
    char *body = rep->text;
    const char *ctype = rep->ctype ? rep->ctype : "application/json";
    if (rep->json) {
        body = json_dumps(rep->json, JSON_COMPACT);
        json_decref(rep->json);
        rep->json = NULL;
        free(rep->text);
    }
    if (!body) {
        rep->status = 500;
        body = strdup("{\"error\":{\"status\":500,\"message\":\"out of memory\"}}");
        if (!body) return MHD_NO;
    }
    size_t len = strlen(body);
    body[len] = 0;
    /* newline-terminated bodies are friendlier to curl users */
    char *nb = realloc(body, len + 2);
    if (nb) {
        body = nb;
        body[len++] = '\n';
        body[len] = 0;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    if (rep->www_auth) MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"chokepoint\"");
    enum MHD_Result ret = MHD_queue_response(c, rep->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)version;
    cp_server *s = cls;
    req *q = *con_cls;
    if (!q || !q->started) {
        if (!q) q = calloc(1, sizeof *q);
        if (!q) return MHD_NO;
        q->started = 1;
        clock_gettime(CLOCK_MONOTONIC, &q->t0);
        *con_cls = q;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) q->too_big = 1;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (q->too_big || q->len + n > s->cfg.max_body) {
            q->too_big = 1;
            return MHD_YES;
        }
        if (q->len + n + 1 > q->cap) {
            size_t nc = q->cap ? q->cap * 2 : 4096;
            while (nc < q->len + n + 1) nc *= 2;
            if (nc > s->cfg.max_body + 1) nc = s->cfg.max_body + 1;
            char *nb = realloc(q->body, nc);
            if (!nb) return MHD_NO;
            q->body = nb;
            q->cap = nc;
        }
        memcpy(q->body + q->len, upload, n);
        q->len += n;
        q->body[q->len] = 0;
        return MHD_YES;
    }
    reply rep = {0};
    int64_t id = 0;
    const char *tail = NULL, *user = "-";
    enum route rt = route_of(url, &id, &tail);
    unsigned status = 0;
    enum MHD_Result ret;
    bad_arg bad = {{0}};
    if (q->path_nul) { /* a %00 in the path names no file and no route */
        set_error(&rep, 404, "not found (NUL byte in the path)");
        status = rep.status;
        ret = send_reply(c, &rep);
    } else if (MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, check_arg, &bad) >= 0 && bad.what[0]) {
        set_error(&rep, 400, "%s", bad.what);
        status = rep.status;
        ret = send_reply(c, &rep);
    } else if (rt == R_UI) { /* static web UI files, no token (src/server/static.c) */
        ret = cp_srv_static_serve(c, s->cfg.web, url, method, &status);
    } else {
        dispatch(s, c, url, method, q, rt, id, tail, &user, &rep);
        if (!rep.status) set_error(&rep, 500, "internal error");
        status = rep.status;
        ret = send_reply(c, &rep);
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - q->t0.tv_sec) + (double)(t1.tv_nsec - q->t0.tv_nsec) / 1e9;
    unsigned cls_ = status / 100;
    if (cls_ >= 1 && cls_ <= 5) atomic_fetch_add(&s->m.req[rt][cls_ - 1], 1);
    for (int k = 0; k < NBUCKETS; k++)
        if (secs <= buckets[k]) {
            atomic_fetch_add(&s->m.hist[rt][k], 1);
            break;
        }
    atomic_fetch_add(&s->m.count[rt], 1);
    atomic_fetch_add(&s->m.sum_us[rt], (unsigned long)(secs * 1e6));
    /* Never the query string, body or token: route, status, time, user. */
    logf_(s, "%s %s %u %.1fms user=%s", method, rt == R_OTHER ? "(unknown)" : url, status, secs * 1e3, user);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    req *q = *con_cls;
    if (q) {
        free(q->body);
        free(q);
        *con_cls = NULL;
    }
}

unsigned cp_server_port(const cp_server *s) { return s->port; }

cp_server *cp_server_start(const cp_srv_config *c, cp_srv_log_fn log, void *log_ctx, cp_error *err) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    char host[128];
    snprintf(host, sizeof host, "%s", c->listen);
    char *colon = strrchr(host, ':');
    long port = -1;
    if (colon) {
        *colon = 0;
        char *end;
        port = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || *end) port = -1;
    }
    if (port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "listen", "bad listen address '%s' (want IPv4:PORT)", c->listen);
        return NULL;
    }
    sa.sin_port = htons((uint16_t)port);
    if (c->n_tokens == 0) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "tokens", "no API tokens configured ([tokens] in --config)");
        return NULL;
    }
    cp_server *s = calloc(1, sizeof *s);
    if (!s) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    s->cfg = *c;
    s->log = log;
    s->log_ctx = log_ctx;
    s->started_at = (int64_t)time(NULL);
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->reload_mu, NULL);
    if (!(s->store = cp_store_open(c->db, err))) goto fail;
    /* TLS (HTTPS) when a certificate is configured: libmicrohttpd with GnuTLS
     * (Debian's libmicrohttpd12 is built with it), PEM certificate chain and
     * key read once at start. */
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD;
    struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL},
                                    {MHD_OPTION_END, 0, NULL}};
    if (c->tls_cert[0] || c->tls_key[0]) {
        if (!c->tls_cert[0] || !c->tls_key[0]) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, c->tls_cert[0] ? "tls_key" : "tls_cert",
                         "TLS needs both tls_cert and tls_key");
            goto fail;
        }
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "tls_cert",
                         "this libmicrohttpd is built without TLS support");
            goto fail;
        }
        if (cp_read_file(c->tls_cert, 1u << 20, &s->tls_cert, err) != 0 ||
            cp_read_file(c->tls_key, 1u << 20, &s->tls_key, err) != 0)
            goto fail;
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert.data};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key.data};
    }
    s->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)c->threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)c->timeout, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned int)1024, MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s, MHD_OPTION_ARRAY, tls,
                            MHD_OPTION_END);
    if (!s->d) {
        cp_error_set(err, CP_ERR_IO, NULL, 0, -1, "listen", "cannot listen on %s", c->listen);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : (unsigned)port;
    logf_(s, "listening on %s:%u%s", host, s->port, s->tls_cert.data ? " (https)" : "");
    if (cp_server_reload(s, "system", err) != 0) goto fail;
    return s;
fail:
    cp_server_stop(s);
    return NULL;
}

void cp_server_stop(cp_server *s) {
    if (!s) return;
    if (s->d) MHD_stop_daemon(s->d);
    snap_release(s->cur);
    cp_store_close(s->store);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->reload_mu);
    free(s->tls_cert.data);
    free(s->tls_key.data);
    free(s);
}
