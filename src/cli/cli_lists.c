/* chokepoint lists: show the loaded lists (id, data date, counts, problems,
 * SHA-256, provenance); `lists verify` checks the files against their
 * manifests without parsing; `lists update` downloads new list files into a
 * new snapshot and switches to it when it validates.
 * Exit status: 0 done, 64 bad usage, 65 a file does not match its manifest /
 * an update did not validate, 69 lists could not be loaded or downloaded,
 * 74 state directory not writable, 70 internal error. */
#include "cli/cli.h"
#include "core/progress.h"
#include "engine.h"
#include "lists/manifest.h"
#include "lists/snapshot.h"
#include "lists/update.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_LIST_OPTS = 64 };

static void lists_usage(FILE *f) {
    fputs("usage: chokepoint lists [OPTIONS]\n"
          "       chokepoint lists verify [--data DIR] [--list ID]...\n"
          "       chokepoint lists update [UPDATE OPTIONS]\n"
          "\n"
          "Loads and validates the list snapshot and shows, per list: id, data date, entity and\n"
          "name counts, problems found in the files, SHA-256 and provenance.\n"
          "\n"
          "options:\n"
          "  --data DIR       snapshot directory (default: $CHOKEPOINT_DATA, else the active\n"
          "                   downloaded snapshot, else the bundled data/lists)\n"
          "  --list ID        only this list (repeatable)\n"
          "  --lenient        skip malformed records instead of failing the load\n"
          "  --problems       also show the first problems of each list (file:line: field: message)\n"
          "  --format F       text (default) or json\n"
          "\n"
          "verify: checks size and SHA-256 of every file against its manifest (no parsing).\n"
          "update: see 'chokepoint lists update --help'.\n",
          f);
}

static void update_usage(FILE *f) {
    fputs("usage: chokepoint lists update [OPTIONS]\n"
          "\n"
          "Downloads the current files of each list from its source_url into a new snapshot under\n"
          "the state directory, validates it like a load (sizes, SHA-256, parse, entity counts; a\n"
          "list that shrank by more than half is refused) and only then makes it the active one.\n"
          "On any failure the active snapshot stays as it was.\n"
          "\n"
          "options:\n"
          "  --state DIR        state directory (default: $CHOKEPOINT_STATE, $XDG_STATE_HOME/chokepoint\n"
          "                     or ~/.local/state/chokepoint)\n"
          "  --from DIR         snapshot to start from (default: the active one, else the bundled one)\n"
          "  --list ID          update only this list (repeatable); the others are carried over\n"
          "  --mirror URL       fetch file NAME of list ID from URL/ID/NAME instead of its source_url\n"
          "  --url NAME=URL     fetch this file (e.g. sdn.csv, or ID/NAME) from URL (repeatable)\n"
          "  --timeout S        per-file time limit in seconds (default 600)\n"
          "  --max-bytes N      per-file size limit (default 536870912)\n"
          "  --max-shrink F     refuse a list that lost more than this fraction of its entities\n"
          "                     (default 0.5)\n"
          "  --keep N           keep the N newest snapshots (default 3)\n"
          "  --lenient          accept lists with malformed records (skipped and counted)\n"
          "  --format F         text (default) or json\n",
          f);
}

static int exit_for(cp_error_code c) {
    switch (c) {
    case CP_ERR_MANIFEST: case CP_ERR_FORMAT: return 65;
    case CP_ERR_NETWORK: case CP_ERR_NOTFOUND: return 69;
    case CP_ERR_IO: return 74;
    case CP_ERR_ARG: return 64;
    default: return 70;
    }
}

static void print_error(const char *what, const cp_error *err) {
    char buf[1200];
    fprintf(stderr, "chokepoint: %s: %s\n", what, cp_error_format(err, buf, sizeof buf));
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ option parsing */

typedef struct opts {
    const char *data, *state, *from, *mirror, *format;
    const char *lists[MAX_LIST_OPTS];
    size_t n_lists;
    const char *urls[MAX_LIST_OPTS];
    size_t n_urls;
    int lenient, problems, json;
    long timeout, keep;
    double max_bytes, max_shrink;
} opts;

static int parse_num(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

/* `update` selects the options allowed. Returns 0, 64 (printed), or -1 for --help. */
static int parse_opts(int argc, char **argv, int first, const char *cmd, int update, opts *o) {
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return -1;
        if (strcmp(a, "--lenient") == 0) {
            o->lenient = 1;
            continue;
        }
        if (!update && strcmp(a, "--problems") == 0) {
            o->problems = 1;
            continue;
        }
        /* --opt VALUE or --opt=VALUE */
        char key[32];
        const char *v = NULL;
        const char *eq = strchr(a, '=');
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof key) {
            memcpy(key, a, (size_t)(eq - a));
            key[eq - a] = '\0';
            v = eq + 1;
        } else {
            snprintf(key, sizeof key, "%s", a);
            if (a[0] == '-' && i + 1 < argc) v = argv[++i];
        }
        if (a[0] != '-') {
            fprintf(stderr, "chokepoint %s: unexpected argument '%s'\n", cmd, a);
            return 64;
        }
        if (!v) {
            fprintf(stderr, "chokepoint %s: option %s needs a value\n", cmd, a);
            return 64;
        }
        double num;
        if (strcmp(key, "--list") == 0) {
            if (o->n_lists == MAX_LIST_OPTS) goto many;
            o->lists[o->n_lists++] = v;
        } else if (strcmp(key, "--format") == 0) {
            if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
                fprintf(stderr, "chokepoint %s: --format must be text or json\n", cmd);
                return 64;
            }
            o->json = strcmp(v, "json") == 0;
        } else if (!update && strcmp(key, "--data") == 0) {
            o->data = v;
        } else if (update && strcmp(key, "--state") == 0) {
            o->state = v;
        } else if (update && (strcmp(key, "--from") == 0 || strcmp(key, "--data") == 0)) {
            o->from = v;
        } else if (update && strcmp(key, "--mirror") == 0) {
            o->mirror = v;
        } else if (update && strcmp(key, "--url") == 0) {
            if (!strchr(v, '=')) {
                fprintf(stderr, "chokepoint %s: --url wants NAME=URL\n", cmd);
                return 64;
            }
            if (o->n_urls == MAX_LIST_OPTS) goto many;
            o->urls[o->n_urls++] = v;
        } else if (update && strcmp(key, "--timeout") == 0) {
            if (parse_num(v, 1, 86400, &num) < 0) goto bad;
            o->timeout = (long)num;
        } else if (update && strcmp(key, "--keep") == 0) {
            if (parse_num(v, 1, 1000, &num) < 0) goto bad;
            o->keep = (long)num;
        } else if (update && strcmp(key, "--max-bytes") == 0) {
            if (parse_num(v, 1024, 1e12, &num) < 0) goto bad;
            o->max_bytes = num;
        } else if (update && strcmp(key, "--max-shrink") == 0) {
            if (parse_num(v, 0.01, 1.0, &num) < 0) goto bad;
            o->max_shrink = num;
        } else {
            fprintf(stderr, "chokepoint %s: unknown option %s\n", cmd, key);
            return 64;
        }
        continue;
    bad:
        fprintf(stderr, "chokepoint %s: bad value for %s: '%s'\n", cmd, key, v);
        return 64;
    many:
        fprintf(stderr, "chokepoint %s: too many %s options\n", cmd, key);
        return 64;
    }
    return 0;
}

/* ------------------------------------------------------------ loading */

static cp_engine *load(const char *dir, const char *const *lists, size_t n_lists, int lenient, unsigned flags) {
    cp_progress *bar = cp_progress_new(stderr, CP_PROGRESS_AUTO, 1.0);
    cp_load_opts lo = {0};
    lo.lists_dir = dir;
    lo.lists = lists;
    lo.n_lists = n_lists;
    lo.lenient = lenient;
    lo.progress = bar ? cp_progress_cb : NULL;
    lo.progress_ctx = bar;
    cp_error err;
    cp_engine *e = cp_snapshot_load(&lo, flags, &err);
    cp_progress_free(bar);
    if (!e) print_error("cannot load the lists", &err);
    return e;
}

cp_engine *cp_cli_load_engine(const char *lists_dir, int lenient) {
    return load(lists_dir, NULL, 0, lenient, 0);
}

/* ------------------------------------------------------------ lists */

static json_t *list_json(const cp_engine *e, size_t i) {
    const cp_list_info *li = cp_engine_list_info(e, i);
    cp_list *l = cp_engine_list(e, i);
    const cp_diag *d = cp_list_diag(l);
    json_t *o = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I}", "id", li->id, "name", li->name,
                          "publisher", li->publisher, "version", li->version, "sha256", li->sha256, "entities",
                          (json_int_t)li->entities, "names", (json_int_t)li->names, "problems",
                          (json_int_t)li->problems, "errors", (json_int_t)d->errors, "warnings",
                          (json_int_t)d->warnings);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", cp_engine_lists_dir(e), li->id);
    cp_error err;
    cp_manifest *m = cp_manifest_read(dir, li->id, &err);
    if (o && m) {
        json_object_set_new(o, "licence", json_string(m->licence));
        json_object_set_new(o, "provenance", json_string(m->provenance));
        json_t *files = json_array();
        for (size_t k = 0; k < m->n_files; k++) {
            const cp_manifest_file *f = &m->files[k];
            json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "role", f->role, "name",
                                                   f->name, "path", f->path, "sha256", f->sha256, "bytes",
                                                   (json_int_t)f->bytes, "data_date", f->data_date, "source_url",
                                                   f->source_url));
        }
        json_object_set_new(o, "files", files);
    }
    json_t *probs = json_array();
    for (size_t k = 0; k < d->errors && k < CP_DIAG_KEEP; k++) {
        char buf[1200];
        json_array_append_new(probs, json_pack("{s:s, s:s}", "kind", "error", "message",
                                               cp_error_format(&d->first_errors[k], buf, sizeof buf)));
    }
    for (size_t k = 0; k < d->warnings && k < CP_DIAG_KEEP; k++) {
        char buf[1200];
        json_array_append_new(probs, json_pack("{s:s, s:s}", "kind", "warning", "message",
                                               cp_error_format(&d->first_warnings[k], buf, sizeof buf)));
    }
    json_object_set_new(o, "first_problems", probs);
    cp_manifest_free(m);
    return o;
}

static int cmd_show(const opts *o) {
    char dir[4096];
    const char *origin = NULL;
    cp_error err;
    if (cp_snapshot_resolve_dir(o->data, dir, sizeof dir, &origin, &err) < 0) {
        print_error("cannot load the lists", &err);
        return 69;
    }
    double t0 = now_s();
    cp_engine *e = load(dir, o->lists, o->n_lists, o->lenient, CP_SNAP_NO_INDEX);
    if (!e) return 69;
    double secs = now_s() - t0;
    size_t n = cp_engine_list_count(e);
    size_t ents = 0, names = 0, probs = 0;
    for (size_t i = 0; i < n; i++) {
        const cp_list_info *li = cp_engine_list_info(e, i);
        ents += li->entities;
        names += li->names;
        probs += li->problems;
    }
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) json_array_append_new(arr, list_json(e, i));
        json_t *root = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I}", "snapshot", cp_engine_lists_dir(e), "origin",
                                 origin, "lists", arr, "entities", (json_int_t)ents, "names", (json_int_t)names,
                                 "problems", (json_int_t)probs);
        char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
        if (!s) {
            fputs("chokepoint lists: out of memory\n", stderr);
            json_decref(root);
            cp_engine_free(e);
            return 70;
        }
        puts(s);
        free(s);
        json_decref(root);
        cp_engine_free(e);
        return 0;
    }
    printf("%-18s %-10s %9s %9s %8s\n", "LIST", "VERSION", "ENTITIES", "NAMES", "PROBLEMS");
    for (size_t i = 0; i < n; i++) {
        const cp_list_info *li = cp_engine_list_info(e, i);
        printf("%-18s %-10s %9zu %9zu %8zu\n", li->id, li->version ? li->version : "-", li->entities, li->names,
               li->problems);
        char ldir[4200];
        snprintf(ldir, sizeof ldir, "%s/%s", cp_engine_lists_dir(e), li->id);
        cp_manifest *m = cp_manifest_read(ldir, li->id, &err);
        printf("    %s\n", li->name && *li->name ? li->name : li->id);
        printf("    sha256 %s\n", li->sha256 ? li->sha256 : "-");
        if (m && m->provenance && *m->provenance) printf("    provenance: %s\n", m->provenance);
        if (m && m->licence && *m->licence) printf("    licence: %s\n", m->licence);
        cp_manifest_free(m);
        if (o->problems) {
            const cp_diag *d = cp_list_diag(cp_engine_list(e, i));
            char buf[1200];
            for (size_t k = 0; k < d->errors && k < CP_DIAG_KEEP; k++)
                printf("    error: %s\n", cp_error_format(&d->first_errors[k], buf, sizeof buf));
            if (d->errors > CP_DIAG_KEEP) printf("    ... %zu more errors\n", d->errors - CP_DIAG_KEEP);
            for (size_t k = 0; k < d->warnings && k < CP_DIAG_KEEP; k++)
                printf("    warning: %s\n", cp_error_format(&d->first_warnings[k], buf, sizeof buf));
            if (d->warnings > CP_DIAG_KEEP) printf("    ... %zu more warnings\n", d->warnings - CP_DIAG_KEEP);
        }
    }
    printf("%zu list%s, %zu entities, %zu names, %zu problems; snapshot %s (%s), loaded in %.2f s\n", n,
           n == 1 ? "" : "s", ents, names, probs, cp_engine_lists_dir(e), origin, secs);
    cp_engine_free(e);
    return 0;
}

/* ------------------------------------------------------------ verify */

static int cmd_verify(const opts *o) {
    char dir[4096];
    const char *origin = NULL;
    cp_error err;
    if (cp_snapshot_resolve_dir(o->data, dir, sizeof dir, &origin, &err) < 0) {
        print_error("verify", &err);
        return 69;
    }
    char **ids = NULL;
    size_t n = 0;
    const char *const *sel = o->lists;
    size_t n_sel = o->n_lists;
    if (!n_sel) {
        if (cp_snapshot_list_ids(dir, &ids, &n, &err) < 0) {
            print_error("verify", &err);
            return 69;
        }
        sel = (const char *const *)ids;
        n_sel = n;
    }
    int bad = 0;
    for (size_t i = 0; i < n_sel; i++) {
        char ldir[4200];
        snprintf(ldir, sizeof ldir, "%s/%s", dir, sel[i]);
        if (cp_snapshot_verify_list(ldir, sel[i], &err) < 0) {
            char buf[1200];
            printf("FAILED  %s: %s\n", sel[i], cp_error_format(&err, buf, sizeof buf));
            bad = 1;
        } else {
            printf("ok      %s\n", sel[i]);
        }
    }
    printf("snapshot %s (%s): %s\n", dir, origin, bad ? "FAILED" : "all files match their manifests");
    cp_snapshot_ids_free(ids, n);
    return bad ? 65 : 0;
}

/* ------------------------------------------------------------ update */

static int cmd_update(const opts *o) {
    cp_progress *bar = cp_progress_new(stderr, CP_PROGRESS_AUTO, 1.0);
    cp_update_opts uo = {0};
    uo.state_dir = o->state;
    uo.from_dir = o->from;
    uo.lists = o->lists;
    uo.n_lists = o->n_lists;
    uo.mirror = o->mirror;
    uo.urls = o->urls;
    uo.n_urls = o->n_urls;
    uo.timeout_s = o->timeout;
    uo.max_bytes = (size_t)o->max_bytes;
    uo.max_shrink = o->max_shrink;
    uo.lenient = o->lenient;
    uo.keep = (int)o->keep;
    uo.progress = bar ? cp_progress_cb : NULL;
    uo.progress_ctx = bar;
    if (getenv("CHOKEPOINT_DATA") && *getenv("CHOKEPOINT_DATA"))
        fputs("chokepoint lists update: note: $CHOKEPOINT_DATA is set, so loads will keep using it rather "
              "than the updated snapshot\n",
              stderr);
    cp_update_result res;
    cp_error err;
    int rc = cp_update_run(&uo, &res, &err);
    cp_progress_free(bar);
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < res.n_lists; i++) {
            const cp_update_list *l = &res.lists[i];
            json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "id", l->id, "status",
                                  cp_update_status_name(l->status), "old_version", l->old_version, "new_version",
                                  l->new_version, "old_entities", (json_int_t)l->old_entities, "new_entities",
                                  (json_int_t)l->new_entities);
            if (j && (l->status == CP_UPD_FAILED || l->status == CP_UPD_NO_SOURCE)) {
                char buf[1200];
                json_object_set_new(j, "error", json_string(cp_error_format(&l->err, buf, sizeof buf)));
            }
            json_array_append_new(arr, j);
        }
        json_t *root = json_pack("{s:b, s:s, s:s, s:s, s:o}", "activated", res.activated, "snapshot", res.snapshot,
                                 "previous", res.previous, "active", res.active, "lists", arr);
        if (root && rc < 0) {
            char buf[1200];
            json_object_set_new(root, "error", json_string(cp_error_format(&err, buf, sizeof buf)));
        }
        char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
        if (s) puts(s);
        free(s);
        json_decref(root);
    } else {
        for (size_t i = 0; i < res.n_lists; i++) {
            const cp_update_list *l = &res.lists[i];
            printf("%-18s %-10s", l->id, cp_update_status_name(l->status));
            if (l->status == CP_UPD_UPDATED)
                printf(" %s -> %s, %ld -> %ld entities", l->old_version, l->new_version, l->old_entities,
                       l->new_entities);
            else if (l->status == CP_UPD_UNCHANGED || l->status == CP_UPD_KEPT)
                printf(" %s", l->old_version);
            if (l->status == CP_UPD_FAILED || l->status == CP_UPD_NO_SOURCE) {
                char buf[1200];
                printf(" %s", cp_error_format(&l->err, buf, sizeof buf));
            }
            putchar('\n');
        }
        const char *active = res.active[0] ? res.active : "none (the bundled lists are used)";
        if (rc == 0 && res.activated) printf("active snapshot: %s\n", res.snapshot);
        else if (rc == 0) printf("nothing new; active snapshot unchanged: %s\n", active);
    }
    if (rc < 0) {
        print_error("lists update failed", &err);
        fprintf(stderr, "chokepoint: the active snapshot is unchanged: %s\n",
                res.active[0] ? res.active : "none (the bundled lists are used)");
    }
    cp_update_result_free(&res);
    if (rc == 0) return 0;
    return err.code == CP_ERR_NETWORK ? 69 : exit_for(err.code);
}

int cp_cli_lists(int argc, char **argv) {
    opts o = {0};
    int sub = 0; /* 0 show, 1 verify, 2 update */
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "verify") == 0) sub = 1, first = 2;
    else if (argc > 1 && strcmp(argv[1], "update") == 0) sub = 2, first = 2;
    const char *cmd = sub == 2 ? "lists update" : sub == 1 ? "lists verify" : "lists";
    int rc = parse_opts(argc, argv, first, cmd, sub == 2, &o);
    if (rc < 0) {
        if (sub == 2) update_usage(stdout);
        else lists_usage(stdout);
        return 0;
    }
    if (rc) return rc;
    switch (sub) {
    case 1: return cmd_verify(&o);
    case 2: return cmd_update(&o);
    default: return cmd_show(&o);
    }
}
