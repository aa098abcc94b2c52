/* quality: name-matching quality and speed benchmark (prints tables; not a
 * test). Sections are independent functions; add new ones to `sections`.
 *
 *   build/bench/quality [--data DIR] [--errors] [--threshold T]
 *
 * DIR defaults to <source>/bench/data (see bench/data/README.md).
 *  - pairwise: F1 of cp_name_score at the threshold on the nomenklatura
 *    name_bench dev set (399 labelled pairs), overall, per schema and per case
 *    group, beside OpenSanctions logic-v2's frozen scores (threshold 0.7);
 *    a threshold sweep; --errors lists misclassified pairs.
 *  - putin: every spelling in putin_names.txt against "Vladimir Putin".
 *  - speed: compare pairs per second, single thread, incl. prepare of both.
 */
#include "core/arena.h"
#include "core/csv.h"
#include "core/io.h"
#include "match/name.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench {
    const char *dir;
    int show_errors;
    double thr;
    cp_normalizer *norm;
} bench;

typedef struct pair {
    char group[32], schema[16];
    char *n1, *n2;
    size_t l1, l2;
    int label;
    double score, logic;
} pair;

static pair *pairs;
static size_t n_pairs;

static cp_schema schema_of(const char *s) {
    if (strcmp(s, "Person") == 0) return CP_SCHEMA_PERSON;
    if (strcmp(s, "Vessel") == 0) return CP_SCHEMA_VESSEL;
    if (strcmp(s, "Airplane") == 0) return CP_SCHEMA_AIRCRAFT;
    return CP_SCHEMA_ORGANIZATION; /* Company, Organization, LegalEntity */
}

static int read_csv(const char *dir, const char *file, cp_bytes *b) {
    char path[1024];
    cp_error err;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (cp_read_file(path, 0, b, &err) != 0) {
        char buf[1024];
        fprintf(stderr, "quality: %s\n", cp_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static void copy_field(char *dst, size_t cap, cp_slice s) {
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static int load_pairs(bench *b) {
    cp_bytes data, logic;
    if (read_csv(b->dir, "cases_dev.csv", &data) != 0) return -1;
    cp_csv r;
    cp_error err;
    cp_csv_init(&r, data.data, data.len, ',', "cases_dev.csv");
    size_t cap = 512;
    pairs = calloc(cap, sizeof *pairs);
    int rc, header = 1;
    while ((rc = cp_csv_next(&r, &err)) != 0) {
        if (rc < 0 || r.nfields < 5) {
            fprintf(stderr, "quality: cases_dev.csv:%ld: bad record\n", r.line);
            continue;
        }
        if (header) { header = 0; continue; }
        if (n_pairs == cap) pairs = realloc(pairs, (cap *= 2) * sizeof *pairs);
        pair *p = &pairs[n_pairs++];
        memset(p, 0, sizeof *p);
        copy_field(p->group, sizeof p->group, r.fields[0]);
        copy_field(p->schema, sizeof p->schema, r.fields[1]);
        p->n1 = strndup(r.fields[2].p, r.fields[2].len);
        p->l1 = r.fields[2].len;
        p->n2 = strndup(r.fields[3].p, r.fields[3].len);
        p->l2 = r.fields[3].len;
        p->label = cp_slice_eq(r.fields[4], "true");
        p->logic = -1;
    }
    cp_csv_free(&r);
    free(data.data);
    /* logic-v2 frozen scores: same pairs, same order (columns name1, name2, score) */
    if (read_csv(b->dir, "logicv2-frozen_dev.csv", &logic) == 0) {
        cp_csv_init(&r, logic.data, logic.len, ',', "logicv2-frozen_dev.csv");
        size_t i = 0;
        header = 1;
        while ((rc = cp_csv_next(&r, &err)) != 0) {
            if (rc < 0 || r.nfields < 10) continue;
            if (header) { header = 0; continue; }
            for (size_t k = 0; k < n_pairs; k++)
                if (pairs[k].logic < 0 && r.fields[3].len == pairs[k].l1 && r.fields[4].len == pairs[k].l2 &&
                    memcmp(r.fields[3].p, pairs[k].n1, pairs[k].l1) == 0 &&
                    memcmp(r.fields[4].p, pairs[k].n2, pairs[k].l2) == 0) {
                    char tmp[32];
                    copy_field(tmp, sizeof tmp, r.fields[9]);
                    pairs[k].logic = atof(tmp);
                    i++;
                    break;
                }
        }
        cp_csv_free(&r);
        free(logic.data);
        if (i != n_pairs) fprintf(stderr, "quality: logic-v2 scores found for %zu of %zu pairs\n", i, n_pairs);
    }
    return 0;
}

typedef struct conf { size_t tp, fp, fn, tn; } conf;

static void conf_add(conf *c, int label, int pred) {
    if (label && pred) c->tp++;
    else if (!label && pred) c->fp++;
    else if (label) c->fn++;
    else c->tn++;
}

static double f1(const conf *c) {
    double d = 2.0 * (double)c->tp + (double)c->fp + (double)c->fn;
    return d > 0 ? 2.0 * (double)c->tp / d : 0.0;
}

static void print_row(const char *name, const conf *a, const conf *l) {
    size_t n = a->tp + a->fp + a->fn + a->tn;
    printf("  %-24s %4zu  %5.3f  (tp %3zu fp %3zu fn %3zu)   %5.3f\n", name, n, f1(a), a->tp, a->fp,
           a->fn, f1(l));
}

static int section_pairwise(bench *b) {
    if (load_pairs(b) != 0) return -1;
    cp_arena *ar = cp_arena_new();
    for (size_t i = 0; i < n_pairs; i++) {
        pair *p = &pairs[i];
        cp_schema s = schema_of(p->schema);
        cp_pname q, c;
        cp_error err;
        if (cp_name_prepare(b->norm, p->n1, p->l1, s, ar, &q, &err) != 0 ||
            cp_name_prepare(b->norm, p->n2, p->l2, s, ar, &c, &err) != 0)
            return -1;
        cp_name_why why;
        p->score = cp_name_score(&q, &c, s, &why);
        if (b->show_errors && ((p->score >= b->thr) != p->label)) {
            char buf[1024];
            printf("  %s %-6s %.3f  %s | %s   [%s]\n", p->label ? "FN" : "FP", p->schema, p->score, p->n1,
                   p->n2, cp_name_why_format(&why, &q, &c, buf, sizeof buf));
        }
    }
    cp_arena_free(ar);
    printf("\n== pairwise: nomenklatura name_bench dev (%zu pairs), threshold %.2f ==\n", n_pairs, b->thr);
    printf("  %-24s %4s  %5s  %-30s  %s\n", "slice", "n", "F1", "", "logic-v2 F1 @0.70");
    const char *groups[64];
    size_t ng = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        size_t k;
        for (k = 0; k < ng; k++)
            if (strcmp(groups[k], pairs[i].group) == 0) break;
        if (k == ng && ng < 64) groups[ng++] = pairs[i].group;
    }
    conf all = {0}, lall = {0};
    for (size_t i = 0; i < n_pairs; i++) {
        conf_add(&all, pairs[i].label, pairs[i].score >= b->thr);
        conf_add(&lall, pairs[i].label, pairs[i].logic >= 0.7);
    }
    print_row("ALL", &all, &lall);
    const char *schemas[] = {"Person", "Company", "Organization", "LegalEntity", "Vessel"};
    for (size_t s = 0; s < 5; s++) {
        conf a = {0}, l = {0};
        for (size_t i = 0; i < n_pairs; i++)
            if (strcmp(pairs[i].schema, schemas[s]) == 0) {
                conf_add(&a, pairs[i].label, pairs[i].score >= b->thr);
                conf_add(&l, pairs[i].label, pairs[i].logic >= 0.7);
            }
        char name[64];
        snprintf(name, sizeof name, "schema %s", schemas[s]);
        print_row(name, &a, &l);
    }
    for (size_t g = 0; g < ng; g++) {
        conf a = {0}, l = {0};
        for (size_t i = 0; i < n_pairs; i++)
            if (strcmp(pairs[i].group, groups[g]) == 0) {
                conf_add(&a, pairs[i].label, pairs[i].score >= b->thr);
                conf_add(&l, pairs[i].label, pairs[i].logic >= 0.7);
            }
        char name[64];
        snprintf(name, sizeof name, "group %s", groups[g]);
        print_row(name, &a, &l);
    }
    printf("  threshold sweep (ALL):");
    for (double t = 0.70; t < 0.951; t += 0.05) {
        conf a = {0};
        for (size_t i = 0; i < n_pairs; i++) conf_add(&a, pairs[i].label, pairs[i].score >= t);
        printf("  %.2f:%.3f", t, f1(&a));
    }
    printf("\n");
    return 0;
}

static int section_putin(bench *b) {
    cp_bytes data;
    if (read_csv(b->dir, "putin_names.txt", &data) != 0) return -1;
    cp_arena *ar = cp_arena_new();
    const char *canon = "Vladimir Putin";
    cp_pname c;
    cp_error err;
    if (cp_name_prepare(b->norm, canon, strlen(canon), CP_SCHEMA_PERSON, ar, &c, &err) != 0) return -1;
    size_t n = 0, ok = 0;
    double min = 1.0;
    printf("\n== putin: %s vs each spelling in putin_names.txt, threshold %.2f ==\n", canon, b->thr);
    for (char *line = data.data, *end; line < data.data + data.len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(data.data + data.len - line));
        if (!end) end = data.data + data.len;
        size_t len = (size_t)(end - line);
        if (len == 0) continue;
        cp_pname q;
        if (cp_name_prepare(b->norm, line, len, CP_SCHEMA_PERSON, ar, &q, &err) != 0) return -1;
        double s = cp_name_score(&q, &c, CP_SCHEMA_PERSON, NULL);
        n++;
        if (s >= b->thr) ok++;
        else if (b->show_errors) {
            printf("  MISS %.3f  %.*s  ->", s, (int)len, line);
            for (size_t i = 0; i < q.n_tokens; i++) printf(" %s", q.tokens[i]);
            printf("\n");
        }
        if (s < min) min = s;
    }
    printf("  %zu/%zu spellings match (min score %.3f)\n", ok, n, min);
    cp_arena_free(ar);
    free(data.data);
    return 0;
}

static int section_speed(bench *b) {
    if (!n_pairs) return 0;
    cp_arena *ar = cp_arena_new();
    size_t reps = 0, done = 0;
    double sink = 0;
    clock_t t0 = clock();
    double secs;
    do {
        for (size_t i = 0; i < n_pairs; i++) {
            cp_schema s = schema_of(pairs[i].schema);
            cp_pname q, c;
            cp_error err;
            cp_name_prepare(b->norm, pairs[i].n1, pairs[i].l1, s, ar, &q, &err);
            cp_name_prepare(b->norm, pairs[i].n2, pairs[i].l2, s, ar, &c, &err);
            sink += cp_name_score(&q, &c, s, NULL);
            done++;
        }
        cp_arena_free(ar);
        ar = cp_arena_new();
        reps++;
        secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    } while (secs < 2.0);
    /* scoring only, names prepared once */
    cp_pname *qs = calloc(n_pairs, sizeof *qs), *cs = calloc(n_pairs, sizeof *cs);
    for (size_t i = 0; i < n_pairs; i++) {
        cp_schema s = schema_of(pairs[i].schema);
        cp_error err;
        cp_name_prepare(b->norm, pairs[i].n1, pairs[i].l1, s, ar, &qs[i], &err);
        cp_name_prepare(b->norm, pairs[i].n2, pairs[i].l2, s, ar, &cs[i], &err);
    }
    size_t done2 = 0;
    clock_t t1 = clock();
    double secs2;
    do {
        for (size_t i = 0; i < n_pairs; i++) sink += cp_name_score(&qs[i], &cs[i], schema_of(pairs[i].schema), NULL);
        done2 += n_pairs;
        secs2 = (double)(clock() - t1) / CLOCKS_PER_SEC;
    } while (secs2 < 1.0);
    printf("\n== speed (single thread, dev-set pairs, %.0f%% non-ASCII names) ==\n", 0.0);
    printf("  prepare both + score: %8.0f pairs/s\n", (double)done / secs);
    printf("  score only:           %8.0f pairs/s   (checksum %.1f)\n", (double)done2 / secs2, sink);
    free(qs);
    free(cs);
    cp_arena_free(ar);
    (void)reps;
    return 0;
}

#include "quality_search.h" /* search sections: candidate recall, false alerts */

static int (*const sections[])(bench *) = {section_pairwise, section_putin, section_speed,
                                           section_candidate_recall, section_false_alerts};

int main(int argc, char **argv) {
    bench b = {CP_SOURCE_DIR "/bench/data", 0, CP_NAME_REVIEW_THRESHOLD, NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) b.dir = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0) b.show_errors = 1;
        else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) b.thr = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: quality [--data DIR] [--errors] [--threshold T]\n");
            return 64;
        }
    }
    cp_error err;
    b.norm = cp_normalizer_new(&err);
    if (!b.norm) {
        char buf[1024];
        fprintf(stderr, "quality: %s\n", cp_error_format(&err, buf, sizeof buf));
        return 70;
    }
    int rc = 0;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (sections[i](&b) != 0) rc = 1;
    cp_normalizer_free(b.norm);
    return rc;
}
