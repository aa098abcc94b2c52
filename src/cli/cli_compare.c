/* chokepoint compare: score two names, or a TSV file of name pairs. */
#include "core/utf8.h"
#include "cli/cli.h"
#include "lists/loader_util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void compare_usage(FILE *f) {
    fprintf(f,
            "usage: chokepoint compare [--schema S] [--why] [--threshold T] NAME1 NAME2\n"
            "       chokepoint compare --tsv FILE|- [--why] [--threshold T]\n"
            "Prints score<TAB>match|no-match (match: score >= threshold, default %.2f).\n"
            "NAME1 is the query (e.g. a payment party), NAME2 the list name.\n"
            "Schemas: person, organization, vessel, aircraft, any (default).\n"
            "--tsv reads lines 'schema<TAB>name1<TAB>name2' and prints one result per line.\n",
            CP_REVIEW_THRESHOLD);
}

static int print_one(cp_comparer *c, cp_schema s, const char *n1, size_t l1, const char *n2, size_t l2,
                     int show_why, double thr, const char *where) {
    cp_error err;
    char why[1024];
    double sc = cp_comparer_score(c, s, n1, l1, n2, l2, why, sizeof why, &err);
    if (sc < 0) {
        char buf[1024];
        fprintf(stderr, "chokepoint compare: %s%s\n", where, cp_error_format(&err, buf, sizeof buf));
        return -1;
    }
    printf("%.4f\t%s", sc, sc >= thr ? "match" : "no-match");
    if (show_why) printf("\t%s", why);
    putchar('\n');
    return 0;
}

enum { CP_COMPARE_LINE_MAX = 65536 }; /* bytes per --tsv line, without the newline */

static int run_tsv(cp_comparer *c, const char *path, int show_why, double thr) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        perror(path);
        return 66;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long ln = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) != -1) {
        ln++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        char *t1 = memchr(line, '\t', (size_t)n);
        char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line + n - t1 - 1)) : NULL;
        const char *nul = memchr(line, '\0', (size_t)n);
        size_t bad = 0;
        const char *problem = NULL;
        if (n > CP_COMPARE_LINE_MAX) { problem = "line longer than 65536 bytes"; bad = CP_COMPARE_LINE_MAX; }
        else if (nul) { problem = "NUL byte in line"; bad = (size_t)(nul - line); }
        else if ((bad = cp_utf8_invalid_at(line, (size_t)n)) < (size_t)n) problem = "invalid UTF-8";
        else if (!t2) problem = "expected schema<TAB>name1<TAB>name2";
        else if (memchr(t2 + 1, '\t', (size_t)(line + n - t2 - 1))) {
            problem = "more than 3 tab-separated fields (want schema, name1, name2)";
            bad = (size_t)((char *)memchr(t2 + 1, '\t', (size_t)(line + n - t2 - 1)) - line);
        } else if (t2 == t1 + 1) { problem = "field name1: empty name"; bad = (size_t)(t2 - line); }
        else if (t2 + 1 == line + n) { problem = "field name2: empty name"; bad = (size_t)n; }
        if (problem) {
            fprintf(stderr, "%s:%ld: offset %zu: %s\n", path, ln, bad, problem);
            printf("error\n");
            rc = 65;
            continue;
        }
        *t1 = '\0';
        int s = *line ? cp_schema_parse(line) : CP_SCHEMA_ANY;
        if (s < 0) {
            fprintf(stderr, "%s:%ld: field schema: unknown schema '%s'\n", path, ln, line);
            printf("error\n");
            rc = 65;
            continue;
        }
        char where[300];
        snprintf(where, sizeof where, "%s:%ld: ", path, ln);
        if (print_one(c, (cp_schema)s, t1 + 1, (size_t)(t2 - t1 - 1), t2 + 1,
                      (size_t)(line + n - t2 - 1), show_why, thr, where) != 0) {
            printf("error\n");
            rc = 65;
        }
    }
    if (ferror(f)) { /* a directory, an I/O error: not an empty file */
        fprintf(stderr, "%s: read error after line %ld: %s\n", path, ln, strerror(errno));
        rc = 74;
    }
    free(line);
    if (f != stdin) fclose(f);
    return rc;
}

int cp_cli_compare(int argc, char **argv) {
    const char *tsv = NULL;
    int schema = CP_SCHEMA_ANY, show_why = 0;
    double thr = CP_REVIEW_THRESHOLD;
    const char *names[2];
    int nn = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            compare_usage(stdout);
            return 0;
        } else if (strcmp(a, "--schema") == 0 && i + 1 < argc) {
            schema = cp_schema_parse(argv[++i]);
            if (schema < 0) {
                fprintf(stderr, "chokepoint compare: unknown schema '%s'\n", argv[i]);
                return 64;
            }
        } else if (strcmp(a, "--tsv") == 0 && i + 1 < argc) {
            tsv = argv[++i];
        } else if (strcmp(a, "--threshold") == 0 && i + 1 < argc) {
            char *end;
            thr = strtod(argv[++i], &end);
            if (*end || thr < 0 || thr > 1) {
                fprintf(stderr, "chokepoint compare: bad threshold '%s'\n", argv[i]);
                return 64;
            }
        } else if (strcmp(a, "--why") == 0) {
            show_why = 1;
        } else if (a[0] == '-' && a[1] == '-' && nn == 0) {
            fprintf(stderr, "chokepoint compare: unknown option '%s'\n", a);
            compare_usage(stderr);
            return 64;
        } else if (nn < 2) {
            names[nn++] = a;
        } else {
            compare_usage(stderr);
            return 64;
        }
    }
    if ((tsv && nn) || (!tsv && nn != 2)) {
        compare_usage(stderr);
        return 64;
    }
    cp_error err;
    cp_comparer *c = cp_comparer_new(&err);
    if (!c) {
        char buf[1024];
        fprintf(stderr, "chokepoint compare: %s\n", cp_error_format(&err, buf, sizeof buf));
        return 70;
    }
    int rc;
    if (tsv) rc = run_tsv(c, tsv, show_why, thr);
    else
        rc = print_one(c, (cp_schema)schema, names[0], strlen(names[0]), names[1], strlen(names[1]),
                       show_why, thr, "") == 0 ? 0 : 65;
    cp_comparer_free(c);
    return rc;
}
