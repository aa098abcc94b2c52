/* The validated list snapshot (see lists/snapshot.h and docs/snapshot.md). */
#include "lists/snapshot.h"
#include "core/error.h"
#include "core/io.h"
#include "engine.h"
#include "lists/loaders.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CP_SOURCE_DIR
#define CP_SOURCE_DIR "."
#endif

enum { MAX_THREADS = 8, PROBLEMS_IN_MESSAGE = 3 };

/* ------------------------------------------------------------ progress */

/* Progress accounting shared by the loader threads. Work units are bytes:
 * reading+hashing a file counts for 20% of its bytes, parsing the list for
 * 80%; the index (when built) takes the last 10% of the bar. */
typedef struct progress {
    cp_progress_fn fn;
    void *ctx;
    pthread_mutex_t mu;
    double total, done;
    double scale;  /* fraction of the bar covered by loading: 0.9 or 1.0 */
} progress;

static void progress_add(progress *p, const char *stage, double units) {
    if (!p || !p->fn) return;
    pthread_mutex_lock(&p->mu);
    p->done += units;
    double f = p->total > 0 ? p->done / p->total * p->scale : 0.0;
    if (f > 1.0) f = 1.0;
    p->fn(p->ctx, stage, f);
    pthread_mutex_unlock(&p->mu);
}

/* ------------------------------------------------------------ paths */

static int join(char *out, size_t cap, const char *a, const char *b, cp_error *err) {
    if ((size_t)snprintf(out, cap, "%s/%s", a, b) >= cap) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "path too long: %s/%s", a, b);
        return -1;
    }
    return 0;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cp_state_dir(char *out, size_t cap, cp_error *err) {
    const char *s = getenv("CHOKEPOINT_STATE");
    int n;
    if (s && *s) n = snprintf(out, cap, "%s", s);
    else if ((s = getenv("XDG_STATE_HOME")) && *s == '/') n = snprintf(out, cap, "%s/chokepoint", s);
    else if ((s = getenv("HOME")) && *s) n = snprintf(out, cap, "%s/.local/state/chokepoint", s);
    else {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL,
                     "no state directory: set CHOKEPOINT_STATE, XDG_STATE_HOME or HOME");
        return -1;
    }
    if (n < 0 || (size_t)n >= cap) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "state directory path too long");
        return -1;
    }
    return 0;
}

int cp_snapshot_resolve_dir(const char *explicit_dir, char *out, size_t cap, const char **origin,
                            cp_error *err) {
    const char *dir = NULL, *why = NULL;
    char state[PATH_MAX], cur[PATH_MAX + 16];
    const char *env = getenv("CHOKEPOINT_DATA");
    if (explicit_dir && *explicit_dir) dir = explicit_dir, why = "--data";
    else if (env && *env) dir = env, why = "$CHOKEPOINT_DATA";
    else if (cp_state_dir(state, sizeof state, NULL) == 0 &&
             (size_t)snprintf(cur, sizeof cur, "%s/current", state) < sizeof cur && is_dir(cur))
        dir = cur, why = "state";
    else dir = CP_SOURCE_DIR "/data/lists", why = "bundled";
    if (!is_dir(dir)) {
        cp_error_set(err, CP_ERR_IO, dir, 0, -1, NULL, "list snapshot directory not found (from %s)", why);
        return -1;
    }
    if ((size_t)snprintf(out, cap, "%s", dir) >= cap) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "path too long: %s", dir);
        return -1;
    }
    if (origin) *origin = why;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cp_snapshot_ids_free(char **ids, size_t n) {
    if (!ids) return;
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
}

int cp_snapshot_list_ids(const char *dir, char ***ids_out, size_t *n_out, cp_error *err) {
    *ids_out = NULL;
    *n_out = 0;
    DIR *d = opendir(dir);
    if (!d) {
        cp_error_set(err, CP_ERR_IO, dir, 0, -1, NULL, "cannot open list snapshot directory: %s",
                     strerror(errno));
        return -1;
    }
    char **ids = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    char mpath[PATH_MAX];
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        if ((size_t)snprintf(mpath, sizeof mpath, "%s/%s/manifest.json", dir, de->d_name) >= sizeof mpath)
            continue;
        if (access(mpath, F_OK) != 0) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **ni = realloc(ids, nc * sizeof *ni);
            if (!ni) goto nomem;
            ids = ni;
            cap = nc;
        }
        if (!(ids[n] = strdup(de->d_name))) goto nomem;
        n++;
    }
    closedir(d);
    if (n == 0) {
        free(ids);
        cp_error_set(err, CP_ERR_NOTFOUND, dir, 0, -1, NULL,
                     "no lists here (expected <list-id>/manifest.json folders)");
        return -1;
    }
    qsort(ids, n, sizeof *ids, cmp_str);
    *ids_out = ids;
    *n_out = n;
    return 0;
nomem:
    closedir(d);
    cp_snapshot_ids_free(ids, n);
    cp_error_set(err, CP_ERR_NOMEM, dir, 0, -1, NULL, "out of memory");
    return -1;
}

/* ------------------------------------------------------------ one list */

/* Prefixes err->message with "list <id>: " (once). */
static void prefix_list(cp_error *err, const char *id) {
    if (!err || !id) return;
    char pre[160];
    int n = snprintf(pre, sizeof pre, "list %s: ", id);
    if (n < 0 || (size_t)n >= sizeof pre || strncmp(err->message, pre, (size_t)n) == 0) return;
    size_t cap = sizeof err->message, pl = (size_t)n, ml = strlen(err->message);
    if (pl + ml >= cap) ml = cap - 1 - pl;
    memmove(err->message + pl, err->message, ml);
    memcpy(err->message, pre, pl);
    err->message[pl + ml] = '\0';
}

/* Reads file i of manifest m in list_dir and checks its size and SHA-256.
 * On success out holds the decompressed bytes (free out->data). */
static int read_checked(const char *list_dir, const cp_manifest *m, size_t i, cp_bytes *out, cp_error *err) {
    const cp_manifest_file *f = &m->files[i];
    char path[PATH_MAX];
    if (join(path, sizeof path, list_dir, f->path, err) < 0) return -1;
    cp_error e;
    /* One byte more than the manifest says, so a longer file is noticed
     * without reading an arbitrarily large one. */
    if (cp_read_file(path, f->bytes + 1, out, &e) < 0) {
        if (e.code == CP_ERR_IO && strstr(e.message, "larger than the limit"))
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "bytes",
                         "list %s: file %s is larger than the %zu bytes in its manifest (altered or "
                         "replaced file)", m->id, f->path, f->bytes);
        else if (e.code == CP_ERR_IO && access(path, F_OK) != 0)
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "path", "list %s: file %s is missing", m->id,
                         f->path);
        else
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, e.offset, NULL,
                         "list %s: file %s cannot be read (%s)", m->id, f->path, e.message);
        return -1;
    }
    if (out->len != f->bytes) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "bytes",
                     "list %s: file %s has %zu bytes, its manifest says %zu (%s file)", m->id, f->path,
                     out->len, f->bytes, out->len < f->bytes ? "truncated" : "altered");
        goto fail;
    }
    char hex[65];
    cp_sha256_hex(out->data, out->len, hex);
    if (strcmp(hex, f->sha256) != 0) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "sha256",
                     "list %s: file %s has SHA-256 %.12s..., its manifest says %.12s... (altered file)",
                     m->id, f->path, hex, f->sha256);
        goto fail;
    }
    return 0;
fail:
    free(out->data);
    out->data = NULL;
    return -1;
}

static size_t manifest_bytes(const cp_manifest *m) {
    size_t t = 0;
    for (size_t i = 0; i < m->n_files; i++) t += m->files[i].bytes;
    return t;
}

/* Strict failure message: "N malformed records (first: a; b; c)". */
static void strict_failure(const cp_diag *d, const char *id, long known, cp_error *err) {
    if (!err) return;
    char msg[sizeof err->message], one[300];
    int n = snprintf(msg, sizeof msg, "list %s: %zu malformed record%s%s (use --lenient to skip them): ", id,
                     d->errors, d->errors == 1 ? "" : "s", known ? ", more than the manifest's known ones" : "");
    size_t shown = d->errors < PROBLEMS_IN_MESSAGE ? d->errors : PROBLEMS_IN_MESSAGE;
    for (size_t i = 0; i < shown && n >= 0 && (size_t)n < sizeof msg; i++) {
        cp_error_format(&d->first_errors[i], one, sizeof one);
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s%s", i ? "; " : "", one);
    }
    if (d->errors > shown && n >= 0 && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, "; ...");
    /* The locations are in the message (one per problem shown). */
    cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "%s", msg);
}

static cp_list *load_list(const char *list_dir, const char *id, int lenient, cp_manifest **manifest_out,
                          progress *prog, cp_error *err) {
    cp_manifest *m = cp_manifest_read(list_dir, id, err);
    cp_list *l = NULL;
    cp_bytes data[CP_MANIFEST_MAX_FILES] = {{0}};
    cp_list_file files[CP_MANIFEST_MAX_FILES];
    char stage[200];
    if (!m) goto fail;
    for (size_t i = 0; i < m->n_files; i++) {
        if (read_checked(list_dir, m, i, &data[i], err) < 0) goto fail;
        files[i] = (cp_list_file){m->files[i].role, m->files[i].name, data[i].data, data[i].len};
        snprintf(stage, sizeof stage, "checked %s/%s", m->id, m->files[i].path);
        progress_add(prog, stage, 0.2 * (double)m->files[i].bytes);
    }
    cp_loader_fn loader = cp_loader_for_format(m->format); /* non-NULL: checked by the manifest reader */
    if (!(l = cp_list_new(m->id))) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto fail;
    }
    if (loader(l, files, m->n_files, err) < 0) goto fail;
    for (size_t i = 0; i < m->n_files; i++) {
        free(data[i].data);
        data[i].data = NULL;
    }
    cp_diag *d = cp_list_diag(l);
    if (d->errors > (size_t)m->expected_errors && !lenient) {
        strict_failure(d, m->id, m->expected_errors, err);
        goto fail;
    }
    size_t n = cp_list_count(l);
    if (m->min_entities >= 0 && n < (size_t)m->min_entities) {
        cp_error_set(err, CP_ERR_MANIFEST, NULL, 0, -1, "expected.min_entities",
                     "list %s: only %zu entities loaded, its manifest expects at least %ld (truncated or "
                     "wrong file?)", m->id, n, m->min_entities);
        goto fail;
    }
    if (m->expected_entities >= 0 && n != (size_t)m->expected_entities)
        cp_diag_warningf(d, m->files[0].name, 0, -1, "expected.entities",
                         "%zu entities loaded, the manifest says %ld", n, m->expected_entities);
    if (cp_list_finalize(l) < 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto fail;
    }
    char digest[65];
    cp_manifest_digest(m, digest);
    cp_list_set_meta(l, m->name, m->publisher, m->version, digest);
    snprintf(stage, sizeof stage, "loaded %s", m->id);
    progress_add(prog, stage, 0.8 * (double)manifest_bytes(m));
    if (manifest_out) *manifest_out = m;
    else cp_manifest_free(m);
    return l;
fail:
    prefix_list(err, m ? m->id : id);
    for (size_t i = 0; i < CP_MANIFEST_MAX_FILES; i++) free(data[i].data);
    cp_list_free(l);
    cp_manifest_free(m);
    return NULL;
}

cp_list *cp_snapshot_load_list(const char *list_dir, const char *id, int lenient, cp_manifest **manifest_out,
                               cp_error *err) {
    return load_list(list_dir, id, lenient, manifest_out, NULL, err);
}

int cp_snapshot_verify_list(const char *list_dir, const char *id, cp_error *err) {
    cp_manifest *m = cp_manifest_read(list_dir, id, err);
    if (!m) {
        prefix_list(err, id);
        return -1;
    }
    for (size_t i = 0; i < m->n_files; i++) {
        cp_bytes b;
        if (read_checked(list_dir, m, i, &b, err) < 0) {
            cp_manifest_free(m);
            return -1;
        }
        free(b.data);
    }
    cp_manifest_free(m);
    return 0;
}

/* ------------------------------------------------------------ engine */

typedef struct job {
    char dir[PATH_MAX];
    const char *id;
    size_t bytes;      /* from the manifest, for scheduling and progress */
    cp_list *list;
    cp_error err;
    int failed;
} job;

typedef struct pool {
    job *jobs;
    size_t *order;     /* job indices, largest first */
    size_t n, next;
    int lenient;
    progress *prog;
    pthread_mutex_t mu;
} pool;

static void *worker(void *arg) {
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t k = p->next < p->n ? p->order[p->next++] : SIZE_MAX;
        pthread_mutex_unlock(&p->mu);
        if (k == SIZE_MAX) return NULL;
        job *j = &p->jobs[k];
        j->list = load_list(j->dir, j->id, p->lenient, NULL, p->prog, &j->err);
        j->failed = j->list == NULL;
    }
}

static size_t n_threads(size_t jobs, unsigned flags) {
    if (flags & CP_SNAP_ONE_THREAD) return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = cpus > 0 ? (size_t)cpus : 1;
    if (t > MAX_THREADS) t = MAX_THREADS;
    return t < jobs ? t : jobs;
}

static void order_by_size(job *jobs, size_t *order, size_t n) {
    /* Insertion sort (a handful of lists), largest first: the longest load
     * starts first so that threads finish together. Ties keep list order. */
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], k = i;
        while (k > 0 && jobs[order[k - 1]].bytes < jobs[v].bytes) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = v;
    }
}

void cp_engine_free(cp_engine *e) {
    if (!e) return;
    cp_index_free(e->index);
    for (size_t i = 0; i < e->n_lists; i++) cp_list_free(e->lists[i]);
    free(e->lists);
    free(e->lists_dir);
    free(e);
}

cp_engine *cp_snapshot_load(const cp_load_opts *opts, unsigned flags, cp_error *err) {
    static const cp_load_opts defaults = {0};
    if (!opts) opts = &defaults;
    char dir[PATH_MAX];
    if (cp_snapshot_resolve_dir(opts->lists_dir, dir, sizeof dir, NULL, err) < 0) return NULL;

    char **all = NULL;
    size_t n_all = 0;
    const char *const *ids;
    size_t n;
    if (opts->lists && opts->n_lists) {
        ids = opts->lists;
        n = opts->n_lists;
    } else {
        if (cp_snapshot_list_ids(dir, &all, &n_all, err) < 0) return NULL;
        ids = (const char *const *)all;
        n = n_all;
    }

    cp_engine *e = calloc(1, sizeof *e);
    job *jobs = calloc(n, sizeof *jobs);
    size_t *order = calloc(n, sizeof *order);
    progress prog = {opts->progress, opts->progress_ctx, PTHREAD_MUTEX_INITIALIZER, 0, 0,
                     (flags & CP_SNAP_NO_INDEX) ? 1.0 : 0.9};
    pool p = {jobs, order, n, 0, opts->lenient, &prog, PTHREAD_MUTEX_INITIALIZER};
    if (!e || !jobs || !order || !(e->lists = calloc(n, sizeof *e->lists))) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto fail;
    }
    if (!(e->lists_dir = realpath(dir, NULL))) {
        cp_error_set(err, CP_ERR_IO, dir, 0, -1, NULL, "cannot resolve: %s", strerror(errno));
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        jobs[i].id = ids[i];
        for (size_t k = 0; k < i; k++)
            if (strcmp(ids[k], ids[i]) == 0) {
                cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "list %s requested twice", ids[i]);
                goto fail;
            }
        if (join(jobs[i].dir, sizeof jobs[i].dir, e->lists_dir, ids[i], err) < 0) goto fail;
        /* An unknown id is reported here rather than as a missing manifest. */
        if (strchr(ids[i], '/') || ids[i][0] == '.' || !is_dir(jobs[i].dir)) {
            cp_error_set(err, CP_ERR_NOTFOUND, e->lists_dir, 0, -1, NULL, "no list '%s' in this snapshot",
                         ids[i]);
            goto fail;
        }
        /* Sizes for scheduling and progress; the manifest is read (and
         * validated) again by the worker. */
        cp_error ignore;
        cp_manifest *m = cp_manifest_read(jobs[i].dir, ids[i], &ignore);
        if (m) {
            jobs[i].bytes = manifest_bytes(m);
            prog.total += (double)jobs[i].bytes;
            cp_manifest_free(m);
        }
    }
    order_by_size(jobs, order, n);

    size_t nt = n_threads(n, flags);
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (; started + 1 < nt; started++)
        if (pthread_create(&th[started], NULL, worker, &p) != 0) break;
    worker(&p); /* the calling thread works too */
    for (size_t i = 0; i < started; i++) pthread_join(th[i], NULL);

    /* Report the first failure in list order (deterministic). */
    for (size_t i = 0; i < n; i++)
        if (jobs[i].failed) {
            if (err) *err = jobs[i].err;
            goto fail;
        }
    for (size_t i = 0; i < n; i++) {
        e->lists[i] = jobs[i].list;
        jobs[i].list = NULL;
    }
    e->n_lists = n;

    if (!(flags & CP_SNAP_NO_INDEX)) {
        if (prog.fn) prog.fn(prog.ctx, "indexing", 0.9);
        if (!(e->index = cp_index_build(e, err))) goto fail;
    }
    if (prog.fn) prog.fn(prog.ctx, "done", 1.0);
    free(jobs);
    free(order);
    cp_snapshot_ids_free(all, n_all);
    return e;
fail:
    if (jobs)
        for (size_t i = 0; i < n; i++) cp_list_free(jobs[i].list);
    free(jobs);
    free(order);
    cp_snapshot_ids_free(all, n_all);
    cp_engine_free(e);
    return NULL;
}

cp_engine *cp_engine_load(const cp_load_opts *opts, cp_error *err) { return cp_snapshot_load(opts, 0, err); }

size_t cp_engine_list_count(const cp_engine *e) { return e ? e->n_lists : 0; }

const cp_list_info *cp_engine_list_info(const cp_engine *e, size_t i) {
    return e && i < e->n_lists ? cp_list_get_info(e->lists[i]) : NULL;
}

const char *cp_engine_lists_dir(const cp_engine *e) { return e ? e->lists_dir : NULL; }

cp_list *cp_engine_list(const cp_engine *e, size_t i) { return e && i < e->n_lists ? e->lists[i] : NULL; }
