/* chokepoint search: search the loaded lists for a name (or a batch of names).
 * Exit status: 0 done (with or without hits), 64 bad usage, 65 some batch
 * line was in error (its error object is printed; the others ran), 66 batch file
 * not readable, 69 lists could not be loaded, 70 internal error. */
#include "cli/cli.h"
#include "match/search.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LIST_OPTS = 32 };

static void search_usage(FILE *f) {
    fputs("usage: chokepoint search [OPTIONS] NAME\n"
          "       chokepoint search [OPTIONS] --batch FILE|-\n"
          "\n"
          "Searches every loaded list (or those given with --list) for NAME and shows the\n"
          "best-scoring list entities, best first, with why each one matched.\n"
          "\n"
          "options:\n"
          "  --list ID          search only this list (repeatable): us-ofac-sdn, un-sc, uk-ofsi, ...\n"
          "  --schema S         person|organization|vessel|aircraft|any (default any)\n"
          "  --country CC       country of the party (ISO code or name as listed)\n"
          "  --dob DATE         date of birth YYYY, YYYY-MM or YYYY-MM-DD\n"
          "  --id VALUE         an identifier: passport, INN, OGRN, IMO, BIC, LEI, MMSI...\n"
          "  --limit N          at most N results (default 10, max 1000)\n"
          "  --min-score X      drop results scoring below X in [0,1] (default 0.5)\n"
          "  --format F         text (default) or json\n"
          "  --data DIR         lists directory (default $CHOKEPOINT_DATA or the bundled lists)\n"
          "  --lenient          skip malformed list records instead of failing the load\n"
          "  --batch FILE|-     one query per line: NAME or NAME<TAB>SCHEMA<TAB>COUNTRY<TAB>DOB;\n"
          "                     writes one JSON object per line, in input order; blank lines and lines\n"
          "                     starting with '#' are skipped; exit 65 when any line was in error\n",
          f);
}

typedef struct opts {
    const char *lists[MAX_LIST_OPTS];
    size_t n_lists;
    cp_query q;
    int json;
    const char *data;
    int lenient;
    const char *batch;
} opts;

static int parse_num(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

/* Returns 0 or 64 after printing the problem. */
static int parse_opts(int argc, char **argv, opts *o) {
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            search_usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--lenient") == 0) {
            o->lenient = 1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc && !name) name = argv[++i];
            if (i + 1 < argc) goto extra;
            break;
        }
        if (a[0] == '-' && a[1] == '-') {
            if (!v) {
                fprintf(stderr, "chokepoint search: option %s needs a value\n", a);
                return 64;
            }
            if (!*v) { /* `--country ''` or `--id ''` would silently mean "none" */
                fprintf(stderr, "chokepoint search: option %s needs a non-empty value\n", a);
                return 64;
            }
            i++;
            if (strcmp(a, "--list") == 0) {
                if (o->n_lists == MAX_LIST_OPTS) {
                    fprintf(stderr, "chokepoint search: at most %d --list options\n", MAX_LIST_OPTS);
                    return 64;
                }
                o->lists[o->n_lists++] = v;
            } else if (strcmp(a, "--schema") == 0) {
                int s = cp_schema_parse(v);
                if (s < 0) {
                    fprintf(stderr, "chokepoint search: unknown schema '%s' (want person, organization, vessel, aircraft, any)\n", v);
                    return 64;
                }
                o->q.schema = (cp_schema)s;
            } else if (strcmp(a, "--country") == 0) {
                o->q.country = v;
            } else if (strcmp(a, "--dob") == 0) {
                cp_pdate d;
                if (cp_pdate_parse(v, strlen(v), 0, &d) != 0) {
                    fprintf(stderr, "chokepoint search: bad --dob '%s' (want YYYY, YYYY-MM or YYYY-MM-DD)\n", v);
                    return 64;
                }
                o->q.dob = v;
            } else if (strcmp(a, "--id") == 0) {
                o->q.id = v;
            } else if (strcmp(a, "--limit") == 0) {
                double n;
                if (parse_num(v, 1, 1000, &n) != 0 || n != (double)(size_t)n) {
                    fprintf(stderr, "chokepoint search: bad --limit '%s' (want an integer 1..1000)\n", v);
                    return 64;
                }
                o->q.limit = (size_t)n;
            } else if (strcmp(a, "--min-score") == 0) {
                double x;
                if (parse_num(v, 0, 1, &x) != 0) {
                    fprintf(stderr, "chokepoint search: bad --min-score '%s' (want a number in [0,1])\n", v);
                    return 64;
                }
                o->q.min_score = x > 0 ? x : 1e-9; /* 0 in cp_query means "default" */
            } else if (strcmp(a, "--format") == 0) {
                if (strcmp(v, "json") == 0) o->json = 1;
                else if (strcmp(v, "text") == 0) o->json = 0;
                else {
                    fprintf(stderr, "chokepoint search: bad --format '%s' (want text or json)\n", v);
                    return 64;
                }
            } else if (strcmp(a, "--data") == 0) {
                o->data = v;
            } else if (strcmp(a, "--batch") == 0) {
                o->batch = v;
            } else {
                fprintf(stderr, "chokepoint search: unknown option '%s'\n", a);
                search_usage(stderr);
                return 64;
            }
            continue;
        }
        if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "chokepoint search: unknown option '%s'\n", a);
            return 64;
        }
        if (name) goto extra;
        name = a;
    }
    if (o->batch && (name || o->q.id)) {
        fputs("chokepoint search: --batch takes no NAME and no --id\n", stderr);
        return 64;
    }
    if (!o->batch && (!name || !*name) && !o->q.id) {
        fputs("chokepoint search: a NAME (or --id VALUE) is required\n", stderr);
        search_usage(stderr);
        return 64;
    }
    o->q.name = name;
    o->q.lists = o->n_lists ? o->lists : NULL;
    o->q.n_lists = o->n_lists;
    return 0;
extra:
    fputs("chokepoint search: one NAME only (quote names with spaces)\n", stderr);
    return 64;
}

static void print_text(const cp_results *r, const cp_query *q, const cp_engine *e) {
    printf("Search: \"%s\"", q->name && *q->name ? q->name : "");
    if (q->schema != CP_SCHEMA_ANY) printf("  schema %s", cp_schema_name(q->schema));
    if (q->country) printf("  country %s", q->country);
    if (q->dob) printf("  born %s", q->dob);
    if (q->id) printf("  id %s", q->id);
    printf("\nLists:");
    for (size_t i = 0; i < cp_engine_list_count(e); i++) {
        const cp_list_info *li = cp_engine_list_info(e, i);
        int used = q->n_lists == 0;
        for (size_t k = 0; k < q->n_lists; k++)
            if (strcmp(q->lists[k], li->id) == 0) used = 1;
        if (used) printf(" %s (%s)", li->id, li->version ? li->version : "?");
    }
    size_t n = cp_results_count(r);
    printf("\n%zu result%s\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        const cp_result *it = cp_results_get(r, i);
        printf("\n%2zu. %.3f %-6s %s  [%s]  %s\n", i + 1, it->score, it->match ? "MATCH" : "-",
               it->entity_id, cp_schema_name(it->schema), it->name ? it->name : "");
        if (it->matched_name && (!it->name || strcmp(it->matched_name, it->name) != 0 ||
                                 it->matched_name_kind != CP_NAME_PRIMARY))
            printf("      matched %s: %s\n", cp_name_kind_name(it->matched_name_kind), it->matched_name);
        if (it->n_programs) {
            printf("      programs:");
            for (size_t k = 0; k < it->n_programs; k++) printf(" %s", it->programs[k]);
            printf("\n");
        }
        for (size_t k = 0; k < it->n_explanation; k++) printf("      - %s\n", it->explanation[k]);
    }
}

/* Prints {"line":N,"error":{...}} for a bad batch line. */
static void print_line_error(long lineno, const cp_error *err) {
    json_t *o = json_object(), *eo = json_object();
    json_object_set_new(o, "line", json_integer(lineno));
    json_object_set_new(eo, "message", json_string(err->message));
    if (err->offset >= 0) json_object_set_new(eo, "offset", json_integer(err->offset));
    if (err->field[0]) json_object_set_new(eo, "field", json_string(err->field));
    json_object_set_new(o, "error", eo);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) puts(s);
    free(s);
    json_decref(o);
}

/* Reads one line into buf (at most max bytes kept; *len = bytes kept,
 * *over = 1 when the line was longer). Returns 0, or -1 at end of input. */
static int read_line(FILE *f, char *buf, size_t max, size_t *len, int *over) {
    size_t n = 0;
    int c, any = 0;
    *over = 0;
    while ((c = getc(f)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (n < max) buf[n++] = (char)c;
        else *over = 1;
    }
    *len = n;
    return any ? 0 : -1;
}

static int run_batch(cp_searcher *s, const opts *o) {
    FILE *f = strcmp(o->batch, "-") == 0 ? stdin : fopen(o->batch, "rb");
    if (!f) {
        fprintf(stderr, "chokepoint search: cannot open %s: %s\n", o->batch, strerror(errno));
        return 66;
    }
    char *line = malloc(CP_BATCH_LINE_MAX + 1), *fields = malloc(CP_BATCH_LINE_MAX + 8);
    if (!line || !fields) {
        free(line);
        free(fields);
        if (f != stdin) fclose(f);
        fputs("chokepoint search: out of memory\n", stderr);
        return 70;
    }
    size_t len;
    int over, rc = 0, bad = 0;
    long lineno = 0;
    while (read_line(f, line, CP_BATCH_LINE_MAX + 1, &len, &over) == 0) {
        lineno++;
        /* blank lines and lines starting with '#' are comments: skipped (line numbers still count) */
        {
            size_t k = 0;
            while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
            if (!over && (k == len || line[0] == '#')) continue;
        }
        cp_error err;
        memset(&err, 0, sizeof err);
        cp_batch_query bq;
        if (over || cp_batch_parse_line(line, len, fields, CP_BATCH_LINE_MAX + 8, &bq, &err) != 0) {
            if (over) {
                err.offset = CP_BATCH_LINE_MAX;
                snprintf(err.message, sizeof err.message, "line longer than %d bytes", CP_BATCH_LINE_MAX);
            }
            print_line_error(lineno, &err);
            bad = 1;
            continue;
        }
        cp_query q = o->q;
        q.name = bq.name;
        if (bq.schema != CP_SCHEMA_ANY) q.schema = bq.schema;
        if (bq.country) q.country = bq.country;
        if (bq.dob) q.dob = bq.dob;
        cp_results *r = cp_searcher_search(s, &q, &err);
        if (!r) {
            print_line_error(lineno, &err);
            bad = 1;
            continue;
        }
        char *js = cp_results_to_json(r, 0);
        cp_results_free(r);
        if (!js) {
            fputs("chokepoint search: out of memory\n", stderr);
            rc = 70;
            break;
        }
        printf("{\"line\":%ld,%s\n", lineno, js + 1); /* js is an object: "{...}" */
        free(js);
    }
    if (ferror(f)) {
        fprintf(stderr, "chokepoint search: read error on %s\n", o->batch);
        rc = 74;
    }
    free(line);
    free(fields);
    if (f != stdin) fclose(f);
    if (fflush(stdout) != 0) rc = 74;
    if (!rc && bad) rc = 65;
    return rc;
}

int cp_cli_search(int argc, char **argv) {
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_opts(argc, argv, &o);
    if (rc) return rc;
    cp_engine *e = cp_cli_load_engine(o.data, o.lenient);
    if (!e) return 69;
    cp_error err;
    memset(&err, 0, sizeof err);
    cp_searcher *s = cp_searcher_new(e, &err);
    if (!s) {
        char buf[1024];
        fprintf(stderr, "chokepoint search: %s\n", cp_error_format(&err, buf, sizeof buf));
        cp_engine_free(e);
        return 70;
    }
    if (o.batch) {
        rc = run_batch(s, &o);
    } else {
        cp_results *r = cp_searcher_search(s, &o.q, &err);
        if (!r) {
            fprintf(stderr, "chokepoint search: %s\n", err.message);
            rc = err.code == CP_ERR_NOMEM ? 70 : 64;
        } else if (o.json) {
            char *js = cp_results_to_json(r, 2);
            if (js) puts(js);
            else rc = 70;
            free(js);
        } else {
            print_text(r, &o.q, e);
        }
        cp_results_free(r);
    }
    cp_searcher_free(s);
    cp_engine_free(e);
    return rc;
}
