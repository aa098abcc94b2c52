/* `chokepoint lists update` (see lists/update.h and docs/snapshot.md). */
#include "lists/update.h"
#include "core/error.h"
#include "core/io.h"
#include "lists/manifest.h"
#include "lists/model.h"
#include "lists/snapshot.h"
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef CP_SOURCE_DIR
#define CP_SOURCE_DIR "."
#endif

enum { DEFAULT_KEEP = 3, MAX_REDIRS = 5 };
#define DEFAULT_MAX_BYTES ((size_t)512 << 20)

const char *cp_update_status_name(cp_update_status s) {
    switch (s) {
    case CP_UPD_UPDATED: return "updated";
    case CP_UPD_UNCHANGED: return "unchanged";
    case CP_UPD_KEPT: return "kept";
    case CP_UPD_NO_SOURCE: return "no source";
    default: return "FAILED";
    }
}

void cp_update_result_free(cp_update_result *res) {
    if (!res) return;
    free(res->lists);
    res->lists = NULL;
    res->n_lists = 0;
}

/* ------------------------------------------------------------ files */

/* snprintf for paths: 0, or -1 (ENAMETOOLONG) when out[cap] is too small. */
static int pfmt(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int pfmt(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

static int mkdir_p(const char *path) {
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s", path) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* Removes a directory tree without following symlinks. Best effort. */
static void rm_rf(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            char sub[PATH_MAX];
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
                if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) < sizeof sub) rm_rf(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int copy_file(const char *from, const char *to) {
    if (link(from, to) == 0) return 0;
    int in = open(from, O_RDONLY);
    if (in < 0) return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[1 << 16];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    if (n < 0) rc = -1;
    if (fsync(out) != 0) rc = -1;
    if (close(out) != 0) rc = -1;
    close(in);
    return rc;
}

/* Copies a list folder (manifest + the files it names) from -> to. */
static int copy_list(const char *from, const char *to, const cp_manifest *m, cp_error *err) {
    char a[PATH_MAX], b[PATH_MAX];
    if (mkdir_p(to) != 0) goto io;
    for (size_t i = 0; i <= m->n_files; i++) {
        const char *name = i < m->n_files ? m->files[i].path : "manifest.json";
        snprintf(a, sizeof a, "%s/%s", from, name);
        snprintf(b, sizeof b, "%s/%s", to, name);
        if (copy_file(a, b) != 0) goto io;
    }
    return 0;
io:
    cp_error_set(err, CP_ERR_IO, to, 0, -1, NULL, "list %s: cannot copy into the new snapshot: %s", m->id,
                 strerror(errno));
    return -1;
}

/* ------------------------------------------------------------ download */

typedef struct dl {
    FILE *f;
    EVP_MD_CTX *md;
    size_t bytes, max;
    int too_big;
    const cp_update_opts *opts;
    char stage[200];
    double base, span;  /* progress range of this file */
} dl;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud) {
    dl *d = ud;
    size_t n = size * nmemb;
    if (d->bytes + n > d->max) {
        d->too_big = 1;
        return 0; /* aborts the transfer (CURLE_WRITE_ERROR) */
    }
    if (fwrite(ptr, 1, n, d->f) != n) return 0;
    EVP_DigestUpdate(d->md, ptr, n);
    d->bytes += n;
    return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ult, curl_off_t ulnow) {
    (void)ult;
    (void)ulnow;
    dl *d = ud;
    if (d->opts->progress) {
        double f = dltotal > 0 ? (double)dlnow / (double)dltotal : 0.0;
        d->opts->progress(d->opts->progress_ctx, d->stage, d->base + d->span * f);
    }
    return 0;
}

static void ymd_utc(time_t t, char out[11]) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Downloads url into path. On success fills sha (hex), *bytes and date
 * (YYYY-MM-DD from Last-Modified, "" when the server sent none). */
static int download(const cp_update_opts *opts, const char *id, const char *fname, const char *url,
                    const char *path, char sha[65], size_t *bytes, char date[11], double pbase, double pspan,
                    cp_error *err) {
    dl d = {0};
    d.opts = opts;
    d.max = opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
    d.base = pbase;
    d.span = pspan;
    snprintf(d.stage, sizeof d.stage, "downloading %s/%s", id, fname);
    date[0] = '\0';
    CURL *c = curl_easy_init();
    d.md = EVP_MD_CTX_new();
    d.f = fopen(path, "wb");
    if (!c || !d.md || !d.f) {
        cp_error_set(err, d.f ? CP_ERR_NOMEM : CP_ERR_IO, path, 0, -1, NULL, "list %s: %s: cannot start: %s",
                     id, fname, d.f ? "out of memory" : strerror(errno));
        goto fail;
    }
    EVP_DigestInit_ex(d.md, EVP_sha256(), NULL);
    char ebuf[CURL_ERROR_SIZE] = "";
    int https = strncmp(url, "https://", 8) == 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRS);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, opts->connect_timeout_s ? opts->connect_timeout_s : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, opts->timeout_s ? opts->timeout_s : 600L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d.max);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip/deflate on the wire, decoded here */
    curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "chokepoint-lists-update/0.1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    CURLcode rc = curl_easy_perform(c);
    int fclose_failed = fclose(d.f) != 0;
    d.f = NULL;
    if (rc != CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (d.too_big)
            cp_error_set(err, CP_ERR_NETWORK, url, 0, (long)d.bytes, NULL,
                         "list %s: %s: larger than the limit of %zu bytes", id, fname, d.max);
        else if (rc == CURLE_HTTP_RETURNED_ERROR)
            cp_error_set(err, CP_ERR_NETWORK, url, 0, -1, NULL, "list %s: %s: HTTP status %ld", id, fname,
                         status);
        else
            cp_error_set(err, CP_ERR_NETWORK, url, 0, d.bytes ? (long)d.bytes : -1, NULL,
                         "list %s: %s: %s (after %zu bytes)", id, fname, ebuf[0] ? ebuf : curl_easy_strerror(rc),
                         d.bytes);
        goto fail;
    }
    if (fclose_failed) {
        cp_error_set(err, CP_ERR_IO, path, 0, -1, NULL, "list %s: %s: cannot write: %s", id, fname,
                     strerror(errno));
        goto fail;
    }
    curl_off_t ft = -1;
    if (curl_easy_getinfo(c, CURLINFO_FILETIME_T, &ft) == CURLE_OK && ft > 0) ymd_utc((time_t)ft, date);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(d.md, md, &mdlen);
    for (unsigned i = 0; i < 32 && i < mdlen; i++) snprintf(sha + 2 * i, 3, "%02x", md[i]);
    *bytes = d.bytes;
    EVP_MD_CTX_free(d.md);
    curl_easy_cleanup(c);
    return 0;
fail:
    if (d.f) fclose(d.f);
    unlink(path); /* never leave a partial download behind */
    EVP_MD_CTX_free(d.md);
    if (c) curl_easy_cleanup(c);
    return -1;
}

/* The data date printed inside a publisher's file, when the format has one:
 * UN consolidated XML <CONSOLIDATED_LIST dateGenerated="2026-02-27T..."> (per
 * the UN sc-sanctions XSD). Reads the first 4 KiB. "" when absent. */
static void sniff_date(const char *format, const char *path, char date[11]) {
    date[0] = '\0';
    if (strcmp(format, "un-xml") != 0) return;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char buf[4097];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strstr(buf, "dateGenerated=\"");
    if (!p) return;
    p += strlen("dateGenerated=\"");
    for (int i = 0; i < 10; i++) {
        char ch = p[i];
        int want_dash = i == 4 || i == 7;
        if (want_dash ? ch != '-' : (ch < '0' || ch > '9')) return;
    }
    memcpy(date, p, 10);
    date[10] = '\0';
}

/* The URL for file `name` of list `id`: an explicit override ("name=URL" or
 * "id/name=URL"), else mirror + id/name, else the manifest's source_url. */
static const char *pick_url(const cp_update_opts *o, const char *id, const cp_manifest_file *f, char *buf,
                            size_t cap) {
    size_t nl = strlen(f->name), il = strlen(id);
    for (size_t i = 0; i < o->n_urls; i++) {
        const char *u = o->urls[i];
        if (strncmp(u, f->name, nl) == 0 && u[nl] == '=') return u + nl + 1;
        if (strncmp(u, id, il) == 0 && u[il] == '/' && strncmp(u + il + 1, f->name, nl) == 0 &&
            u[il + 1 + nl] == '=')
            return u + il + 2 + nl;
    }
    if (o->mirror && *o->mirror) {
        size_t ml = strlen(o->mirror);
        const char *sep = ml && o->mirror[ml - 1] == '/' ? "" : "/";
        if ((size_t)snprintf(buf, cap, "%s%s%s/%s", o->mirror, sep, id, f->name) < cap) return buf;
        return "";
    }
    return f->source_url;
}

/* ------------------------------------------------------------ one list */

static int selected(const cp_update_opts *o, const char *id) {
    if (!o->lists || !o->n_lists) return 1;
    for (size_t i = 0; i < o->n_lists; i++)
        if (strcmp(o->lists[i], id) == 0) return 1;
    return 0;
}

static void now_iso(char out[32]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Number of entities in the base list: its manifest's expected.entities, or
 * (when absent) by loading it leniently. -1 when unknown. */
static long base_entities(const char *dir, const cp_manifest *m) {
    if (m->expected_entities >= 0) return m->expected_entities;
    cp_error e;
    cp_list *l = cp_snapshot_load_list(dir, m->id, 1, NULL, &e);
    long n = l ? (long)cp_list_count(l) : -1;
    cp_list_free(l);
    return n;
}

/* Downloads, writes and validates list `id` into stage_dir. */
static int update_list(const cp_update_opts *o, const char *base_dir, const char *stage_dir, cp_manifest *m,
                       cp_update_list *r, double pbase, double pspan, cp_error *err) {
    char url_buf[2048], path[PATH_MAX], sha[65], date[11], sniffed[11];
    char latest[11] = "";
    int same = 1;
    if (mkdir_p(stage_dir) != 0) {
        cp_error_set(err, CP_ERR_IO, stage_dir, 0, -1, NULL, "list %s: cannot create: %s", m->id,
                     strerror(errno));
        return -1;
    }
    json_t *jfiles = json_object_get((json_t *)m->json, "files");
    size_t nf = m->n_files;
    char fetched[32];
    now_iso(fetched);
    for (size_t i = 0; i < nf; i++) {
        const cp_manifest_file *f = &m->files[i];
        const char *url = pick_url(o, m->id, f, url_buf, sizeof url_buf);
        /* Store under the publisher's file name when it is a plain name. */
        char stored[160];
        snprintf(stored, sizeof stored, "%s", f->name);
        if (strchr(stored, '/') || stored[0] == '.' || !stored[0] || strcmp(stored, "manifest.json") == 0)
            snprintf(stored, sizeof stored, "%s.dat", f->role);
        if (pfmt(path, sizeof path, "%s/%s", stage_dir, stored) < 0) {
            cp_error_set(err, CP_ERR_ARG, stage_dir, 0, -1, NULL, "list %s: path too long", m->id);
            return -1;
        }
        size_t bytes = 0;
        char fname[160];
        snprintf(fname, sizeof fname, "%s", f->name);
        if (download(o, m->id, fname, url, path, sha, &bytes, date, pbase + pspan * (double)i / (double)nf,
                     pspan / (double)nf, err) < 0)
            return -1;
        sniff_date(m->format, path, sniffed);
        if (sniffed[0]) memcpy(date, sniffed, sizeof date);
        if (!date[0]) ymd_utc(time(NULL), date);
        if (strcmp(sha, f->sha256) != 0) same = 0;
        if (strcmp(date, latest) > 0) memcpy(latest, date, sizeof latest);
        json_t *jf = json_array_get(jfiles, i);
        json_object_set_new(jf, "fetched_from", json_string(url));
        json_object_set_new(jf, "fetched_at", json_string(fetched));
        if (cp_manifest_set_file(m, i, stored, sha, bytes, date) < 0) {
            cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "list %s: out of memory", m->id);
            return -1;
        }
    }
    if (same) {
        /* Same bytes as the base: keep the base folder as it was. */
        rm_rf(stage_dir);
        char from[PATH_MAX];
        if (pfmt(from, sizeof from, "%s/%s", base_dir, m->id) < 0) {
            cp_error_set(err, CP_ERR_ARG, base_dir, 0, -1, NULL, "list %s: path too long", m->id);
            return -1;
        }
        cp_manifest *bm = cp_manifest_read(from, m->id, err);
        if (!bm) return -1;
        int rc = copy_list(from, stage_dir, bm, err);
        cp_manifest_free(bm);
        r->status = CP_UPD_UNCHANGED;
        snprintf(r->new_version, sizeof r->new_version, "%s", r->old_version);
        r->new_entities = r->old_entities;
        return rc;
    }
    char prov[1024];
    snprintf(prov, sizeof prov, "downloaded by chokepoint lists update on %s (was: %s)", fetched,
             m->provenance ? m->provenance : "");
    if (cp_manifest_set_string(m, "version", latest) < 0 || cp_manifest_set_string(m, "provenance", prov) < 0 ||
        cp_manifest_set_string(m, "previous_version", r->old_version) < 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "list %s: out of memory", m->id);
        return -1;
    }
    if (cp_manifest_write(m, stage_dir, err) < 0) return -1;
    /* Validate exactly like a load. */
    cp_list *l = cp_snapshot_load_list(stage_dir, m->id, o->lenient, NULL, err);
    if (!l) return -1;
    long n = (long)cp_list_count(l);
    cp_list_free(l);
    r->new_entities = n;
    snprintf(r->new_version, sizeof r->new_version, "%s", latest);
    double max_shrink = o->max_shrink > 0 ? o->max_shrink : 0.5;
    if (r->old_entities > 0 && (double)n < (double)r->old_entities * (1.0 - max_shrink)) {
        cp_error_set(err, CP_ERR_MANIFEST, NULL, 0, -1, "expected.entities",
                     "list %s: shrank from %ld to %ld entities (more than %.0f%%); refusing it as a "
                     "probably incomplete file (--max-shrink to allow)",
                     m->id, r->old_entities, n, max_shrink * 100.0);
        return -1;
    }
    if (cp_manifest_set_expected(m, n, -1, -1) < 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "list %s: out of memory", m->id);
        return -1;
    }
    if (cp_manifest_write(m, stage_dir, err) < 0) return -1;
    r->status = CP_UPD_UPDATED;
    return 0;
}

/* ------------------------------------------------------------ snapshot switch */

static long next_counter(const char *snaps) {
    long max = 0;
    DIR *d = opendir(snaps);
    if (!d) return 1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long v = strtol(de->d_name, &end, 10);
        if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && *end == '\0' && v > max) max = v;
    }
    closedir(d);
    return max + 1;
}

/* Keeps the `keep` newest numbered snapshots and the active one. */
static void prune(const char *snaps, const char *active_name, int keep) {
    long nums[4096];
    size_t n = 0;
    DIR *d = opendir(snaps);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < sizeof nums / sizeof nums[0]) {
        char *end;
        long v = strtol(de->d_name, &end, 10);
        if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && *end == '\0') nums[n++] = v;
    }
    closedir(d);
    /* sort descending */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && nums[k - 1] < nums[k]; k--) {
            long t = nums[k];
            nums[k] = nums[k - 1];
            nums[k - 1] = t;
        }
    for (size_t i = (size_t)keep; i < n; i++) {
        char name[32], path[PATH_MAX];
        snprintf(name, sizeof name, "%06ld", nums[i]);
        if (strcmp(name, active_name) == 0) continue;
        if (pfmt(path, sizeof path, "%s/%s", snaps, name) < 0) continue;
        rm_rf(path);
    }
}

static void remove_leftovers(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    char path[PATH_MAX];
    size_t pl = strlen(prefix);
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, prefix, pl) == 0 && pfmt(path, sizeof path, "%s/%s", dir, de->d_name) == 0)
            rm_rf(path);
    closedir(d);
}

int cp_update_run(const cp_update_opts *opts, cp_update_result *res, cp_error *err) {
    static const cp_update_opts defaults = {0};
    const cp_update_opts *o = opts ? opts : &defaults;
    memset(res, 0, sizeof *res);
    char state[PATH_MAX], snaps[PATH_MAX + 16], cur[PATH_MAX + 16], base[PATH_MAX], lockp[PATH_MAX + 16];
    char stage[PATH_MAX + 32] = "";
    char **ids = NULL;
    size_t n_ids = 0;
    int lockfd = -1, rc = -1, curl_inited = 0;
    cp_error first = {0};
    int have_first = 0;

    if (o->state_dir && *o->state_dir) snprintf(state, sizeof state, "%s", o->state_dir);
    else if (cp_state_dir(state, sizeof state, err) < 0) return -1;
    snprintf(snaps, sizeof snaps, "%s/snapshots", state);
    snprintf(cur, sizeof cur, "%s/current", state);
    snprintf(lockp, sizeof lockp, "%s/lock", state);
    if (mkdir_p(snaps) != 0) {
        cp_error_set(err, CP_ERR_IO, snaps, 0, -1, NULL, "cannot create the state directory: %s",
                     strerror(errno));
        return -1;
    }
    lockfd = open(lockp, O_RDWR | O_CREAT, 0644);
    if (lockfd < 0 || flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        cp_error_set(err, CP_ERR_IO, lockp, 0, -1, NULL, "%s",
                     lockfd < 0 ? strerror(errno) : "another 'lists update' is running on this state directory");
        goto done;
    }

    /* Leftovers of an update that was killed (we hold the lock, so no other
     * update is running): staging dirs and temporary links. */
    remove_leftovers(snaps, ".staging-");
    remove_leftovers(state, ".current.");

    /* The snapshot we start from. */
    struct stat st;
    const char *from = o->from_dir && *o->from_dir ? o->from_dir
                       : (stat(cur, &st) == 0 && S_ISDIR(st.st_mode)) ? cur
                                                                       : CP_SOURCE_DIR "/data/lists";
    if (!realpath(from, base)) {
        cp_error_set(err, CP_ERR_IO, from, 0, -1, NULL, "cannot open the snapshot to update from: %s",
                     strerror(errno));
        goto done;
    }
    snprintf(res->previous, sizeof res->previous, "%s", base);
    if (cp_snapshot_list_ids(base, &ids, &n_ids, err) < 0) goto done;
    for (size_t i = 0; i < o->n_lists; i++) {
        size_t k = 0;
        while (k < n_ids && strcmp(ids[k], o->lists[i]) != 0) k++;
        if (k == n_ids) {
            cp_error_set(err, CP_ERR_NOTFOUND, base, 0, -1, NULL, "list %s: no such list in %s", o->lists[i],
                         base);
            goto done;
        }
    }
    if (!(res->lists = calloc(n_ids, sizeof *res->lists))) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto done;
    }
    res->n_lists = n_ids;

    snprintf(stage, sizeof stage, "%s/.staging-XXXXXX", snaps);
    if (!mkdtemp(stage)) {
        cp_error_set(err, CP_ERR_IO, snaps, 0, -1, NULL, "cannot create a staging directory: %s",
                     strerror(errno));
        stage[0] = '\0';
        goto done;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cp_error_set(err, CP_ERR_NETWORK, NULL, 0, -1, NULL, "cannot initialise libcurl");
        goto done;
    }
    curl_inited = 1;

    size_t n_sel = 0, done_sel = 0, n_changed = 0;
    for (size_t i = 0; i < n_ids; i++) n_sel += selected(o, ids[i]) ? 1 : 0;
    for (size_t i = 0; i < n_ids; i++) {
        cp_update_list *r = &res->lists[i];
        snprintf(r->id, sizeof r->id, "%s", ids[i]);
        r->old_entities = r->new_entities = -1;
        char from_list[PATH_MAX + 160], to_list[PATH_MAX + 200];
        snprintf(from_list, sizeof from_list, "%s/%s", base, ids[i]);
        snprintf(to_list, sizeof to_list, "%s/%s", stage, ids[i]);
        cp_manifest *m = cp_manifest_read(from_list, ids[i], &r->err);
        if (!m) {
            r->status = CP_UPD_FAILED;
            goto list_failed;
        }
        snprintf(r->old_version, sizeof r->old_version, "%s", m->version ? m->version : "");
        snprintf(r->new_version, sizeof r->new_version, "%s", r->old_version);
        int sel = selected(o, ids[i]);
        int has_source = 1;
        for (size_t k = 0; k < m->n_files; k++) {
            char ub[2048];
            if (!*pick_url(o, ids[i], &m->files[k], ub, sizeof ub)) has_source = 0;
        }
        if (sel && !has_source) {
            cp_error_set(&r->err, CP_ERR_ARG, from_list, 0, -1, "source_url",
                         "list %s: has no network source (offline list); give --mirror or --url", ids[i]);
            r->status = CP_UPD_NO_SOURCE;
            if (o->n_lists) { /* asked for by id: an error */
                r->status = CP_UPD_FAILED;
                cp_manifest_free(m);
                goto list_failed;
            }
        }
        if (!sel || !has_source) {
            if (r->status != CP_UPD_NO_SOURCE) r->status = CP_UPD_KEPT;
            r->old_entities = r->new_entities = m->expected_entities;
            if (copy_list(from_list, to_list, m, &r->err) < 0) {
                r->status = CP_UPD_FAILED;
                cp_manifest_free(m);
                goto list_failed;
            }
            cp_manifest_free(m);
            continue;
        }
        r->old_entities = base_entities(from_list, m);
        double span = 1.0 / (double)(n_sel ? n_sel : 1);
        if (update_list(o, base, to_list, m, r, (double)done_sel * span, span, &r->err) < 0) {
            r->status = CP_UPD_FAILED;
            cp_manifest_free(m);
            done_sel++;
            goto list_failed;
        }
        done_sel++;
        if (r->status == CP_UPD_UPDATED) n_changed++;
        cp_manifest_free(m);
        continue;
    list_failed:
        if (!have_first) {
            first = r->err;
            have_first = 1;
        }
    }
    if (have_first) {
        if (err) *err = first;
        goto done;
    }
    if (n_changed == 0) { /* nothing new: keep what is active */
        rc = 0;
        goto done;
    }
    /* Activate: staging -> snapshots/NNNNNN, then current -> it. */
    char name[32], final[PATH_MAX + 64], link_tmp[PATH_MAX + 64], target[64];
    long num = next_counter(snaps);
    snprintf(name, sizeof name, "%06ld", num);
    snprintf(final, sizeof final, "%s/%s", snaps, name);
    if (rename(stage, final) != 0) {
        cp_error_set(err, CP_ERR_IO, final, 0, -1, NULL, "cannot move the new snapshot in place: %s",
                     strerror(errno));
        goto done;
    }
    stage[0] = '\0';
    snprintf(target, sizeof target, "snapshots/%s", name);
    snprintf(link_tmp, sizeof link_tmp, "%s/.current.%ld", state, (long)getpid());
    unlink(link_tmp);
    if (symlink(target, link_tmp) != 0 || rename(link_tmp, cur) != 0) {
        cp_error_set(err, CP_ERR_IO, cur, 0, -1, NULL, "cannot switch the active snapshot: %s", strerror(errno));
        unlink(link_tmp);
        rm_rf(final);
        goto done;
    }
    int dfd = open(state, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    res->activated = 1;
    if (pfmt(res->snapshot, sizeof res->snapshot, "%s", final) < 0) res->snapshot[0] = '\0';
    prune(snaps, name, o->keep > 0 ? o->keep : DEFAULT_KEEP);
    rc = 0;
done:
    if (!realpath(cur, res->active)) res->active[0] = '\0';
    if (stage[0]) rm_rf(stage);
    if (curl_inited) curl_global_cleanup();
    cp_snapshot_ids_free(ids, n_ids);
    if (lockfd >= 0) close(lockfd);
    return rc;
}
