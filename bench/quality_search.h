/* Search sections of bench/quality.c (included there after `bench` is
 * defined; each bench program is built from one .c file):
 *
 *  - candidate recall: each UN person of yente's candidate generation
 *    benchmark (positives_un_untreated.csv, 683 names) must find its un-sc
 *    entity in the top 10, as written and in harder variants (typo, swapped
 *    order, dropped middle name, other romanization, joined words).
 *    Target >= 99.5% as written. The true entity is the un-sc entity having
 *    a name with the same normalized tokens (rows without one are counted as
 *    unresolved and skipped).
 *  - false alerts: of the 100,000 synthetic persons (negatives_global.csv,
 *    negatives_us.csv) at most 0.5% may reach the review threshold (best
 *    result over all lists), name only and name + date of birth; per script.
 *
 * The yente files are CC BY-NC 4.0: read in place from
 * $CP_SHARED (default /work/shared/data/opensanctions/yente/
 * candidate_generation_benchmark), never copied; the sections skip cleanly
 * when the folder is absent. The engine is the bundled lists (data/lists).
 */
#ifndef CP_BENCH_QUALITY_SEARCH_H
#define CP_BENCH_QUALITY_SEARCH_H
#include "core/csv.h"
#include "core/io.h"
#include "core/strmap.h"
#include "engine.h"
#include "index/index.h"
#include "match/name.h"
#include "search_variants.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cp_engine *qs_engine;

static const char *qs_dir(void) {
    const char *d = getenv("CP_SHARED");
    return d ? d : "/work/shared/data/opensanctions/yente/candidate_generation_benchmark";
}

static int qs_load_engine(void) {
    if (qs_engine) return 0;
    cp_load_opts lo;
    cp_error err;
    memset(&lo, 0, sizeof lo);
    qs_engine = cp_engine_load(&lo, &err);
    if (!qs_engine) {
        char buf[1024];
        fprintf(stderr, "quality: %s\n", cp_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

/* A yente benchmark row: full_name, date_of_birth. */
typedef struct qs_row {
    char name[256];
    char dob[16];
} qs_row;

static size_t qs_read_rows(const char *file, qs_row **out) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", qs_dir(), file);
    cp_bytes b;
    cp_error err;
    *out = NULL;
    if (cp_read_file(path, 0, &b, &err) != 0) return 0;
    cp_csv r;
    cp_csv_init(&r, b.data, b.len, ',', file);
    size_t n = 0, cap = 0;
    qs_row *rows = NULL;
    int hdr = 1, rc;
    while ((rc = cp_csv_next(&r, &err)) != 0) {
        if (rc < 0 || r.nfields < 6) continue;
        if (hdr) {
            hdr = 0;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            qs_row *nr = realloc(rows, cap * sizeof *rows);
            if (!nr) break;
            rows = nr;
        }
        cp_slice nm = cp_slice_trim(r.fields[0]), d = cp_slice_trim(r.fields[5]);
        size_t ln = nm.len < 255 ? nm.len : 255, ld = d.len < 15 ? d.len : 15;
        memcpy(rows[n].name, nm.p, ln);
        rows[n].name[ln] = 0;
        memcpy(rows[n].dob, d.p, ld);
        rows[n].dob[ld] = 0;
        if (ln) n++;
    }
    cp_csv_free(&r);
    free(b.data);
    *out = rows;
    return n;
}

static const char *const qs_script_names[] = {"none", "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew",
                                               "Han", "Japanese", "Hangul", "Georgian", "Armenian", "other"};
enum { QS_NSCRIPT = 12 };

/* Space-joined normalized tokens (schema-neutral) of a name; "" when none. */
static void qs_norm(cp_normalizer *n, cp_arena *a, const char *s, char *out, size_t cap, int *script) {
    cp_pname p;
    out[0] = 0;
    if (cp_name_prepare(n, s, strlen(s), CP_SCHEMA_ANY, a, &p, NULL) != 0) return;
    if (script) *script = p.script;
    size_t o = 0;
    for (size_t i = 0; i < p.n_tokens; i++) {
        if (o + p.tok_len[i] + 2 >= cap) break;
        if (o) out[o++] = ' ';
        memcpy(out + o, p.tokens[i], p.tok_len[i]);
        o += p.tok_len[i];
    }
    out[o] = 0;
}

static int section_candidate_recall(bench *b) {
    printf("\n== candidate recall: UN persons (yente candidate_generation_benchmark) ==\n");
    qs_row *rows;
    size_t n = qs_read_rows("positives_un_untreated.csv", &rows);
    if (!n) {
        printf("skipped: %s/positives_un_untreated.csv not present\n", qs_dir());
        return 0;
    }
    if (qs_load_engine() != 0) return -1;
    cp_engine *e = qs_engine;
    int un = -1;
    for (size_t i = 0; i < e->n_lists; i++)
        if (strcmp(cp_list_id(e->lists[i]), "un-sc") == 0) un = (int)i;
    if (un < 0) {
        printf("skipped: list un-sc not loaded\n");
        free(rows);
        return 0;
    }
    /* normalized name -> un-sc entity (first wins) */
    cp_strmap *truth = cp_strmap_new();
    cp_arena *a = cp_arena_new();
    char key[1024];
    const cp_list *ul = e->lists[un];
    for (size_t i = 0; i < cp_list_count(ul); i++) {
        const cp_entity *ent = cp_list_entity(ul, i);
        for (uint32_t k = 0; k < ent->n_names; k++) {
            qs_norm(b->norm, a, ent->names[k].text, key, sizeof key, NULL);
            uint32_t v;
            if (key[0] && !cp_strmap_get(truth, key, strlen(key), &v))
                cp_strmap_put(truth, key, strlen(key), (uint32_t)i);
        }
    }
    cp_searcher *s = cp_searcher_new(e, NULL);
    const char *only_un[] = {"un-sc"};
    size_t tried[BV__COUNT] = {0}, found_all[BV__COUNT] = {0}, found_un[BV__COUNT] = {0},
           matched[BV__COUNT] = {0}, unresolved = 0;
    size_t sc_n[QS_NSCRIPT] = {0}, sc_found[QS_NSCRIPT] = {0};
    int shown = 0;
    for (size_t r = 0; r < n; r++) {
        int script = 0;
        qs_norm(b->norm, a, rows[r].name, key, sizeof key, &script);
        uint32_t ent;
        if (!key[0] || !cp_strmap_get(truth, key, strlen(key), &ent)) {
            unresolved++;
            continue;
        }
        const char *want = cp_list_entity(ul, ent)->id;
        for (int k = 0; k < BV__COUNT; k++) {
            char qn[1024];
            if (bv_make(rows[r].name, (bv_kind)k, (uint32_t)(r * 7919 + 1), qn, sizeof qn) != 0) continue;
            tried[k]++;
            for (int pass = 0; pass < 2; pass++) {
                cp_query q;
                memset(&q, 0, sizeof q);
                q.name = qn;
                q.limit = 10;
                q.min_score = 1e-6;
                if (pass) {
                    q.lists = only_un;
                    q.n_lists = 1;
                }
                cp_results *res = cp_searcher_search(s, &q, NULL);
                int hit = 0, m = 0;
                for (size_t i = 0; res && i < cp_results_count(res); i++)
                    if (strcmp(cp_results_get(res, i)->entity_id, want) == 0) {
                        hit = 1;
                        m = cp_results_get(res, i)->match;
                    }
                if (pass == 0) {
                    found_all[k] += (size_t)hit;
                    matched[k] += (size_t)m;
                    if (k == BV_ASIS) {
                        sc_n[script < QS_NSCRIPT ? script : 11]++;
                        sc_found[script < QS_NSCRIPT ? script : 11] += (size_t)hit;
                    }
                } else {
                    found_un[k] += (size_t)hit;
                    if (!hit && b->show_errors && shown < 40) {
                        shown++;
                        printf("  miss (%s): \"%s\" -> want %s\n", bv_names[k], qn, want);
                    }
                }
                cp_results_free(res);
            }
        }
    }
    printf("%zu positives, %zu resolved to a un-sc entity by exact normalized name, %zu unresolved (skipped)\n",
           n, n - unresolved, unresolved);
    printf("%-20s %7s %14s %14s %14s\n", "variant", "queries", "top10 all", "top10 un-sc", "match (>=thr)");
    for (int k = 0; k < BV__COUNT; k++) {
        if (!tried[k]) continue;
        printf("%-20s %7zu %13.2f%% %13.2f%% %13.2f%%\n", bv_names[k], tried[k],
               100.0 * (double)found_all[k] / (double)tried[k], 100.0 * (double)found_un[k] / (double)tried[k],
               100.0 * (double)matched[k] / (double)tried[k]);
    }
    printf("target: as listed, top10 >= 99.5%%\n");
    printf("per script (as listed, top10 all lists):");
    for (int i = 0; i < QS_NSCRIPT; i++)
        if (sc_n[i]) printf("  %s %zu/%zu", qs_script_names[i], sc_found[i], sc_n[i]);
    printf("\n");
    cp_searcher_free(s);
    cp_strmap_free(truth);
    cp_arena_free(a);
    free(rows);
    return 0;
}

static int section_false_alerts(bench *b) {
    printf("\n== false alerts: synthetic persons (yente candidate_generation_benchmark) ==\n");
    const char *files[] = {"negatives_global.csv", "negatives_us.csv"};
    qs_row *rows[2];
    size_t n[2];
    for (int f = 0; f < 2; f++) n[f] = qs_read_rows(files[f], &rows[f]);
    if (!n[0] && !n[1]) {
        printf("skipped: %s/negatives_*.csv not present\n", qs_dir());
        return 0;
    }
    if (qs_load_engine() != 0) return -1;
    cp_searcher *s = cp_searcher_new(qs_engine, NULL);
    cp_arena *a = cp_arena_new();
    char key[1024];
    size_t tot = 0, alerts = 0, alerts_dob = 0;
    size_t sc_n[QS_NSCRIPT] = {0}, sc_al[QS_NSCRIPT] = {0};
    int shown = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int f = 0; f < 2; f++) {
        size_t fa = 0;
        for (size_t r = 0; r < n[f]; r++) {
            int script = 0;
            qs_norm(b->norm, a, rows[f][r].name, key, sizeof key, &script);
            if (script >= QS_NSCRIPT) script = 11;
            cp_query q;
            memset(&q, 0, sizeof q);
            q.name = rows[f][r].name;
            q.limit = 1;
            q.schema = CP_SCHEMA_PERSON;
            cp_results *res = cp_searcher_search(s, &q, NULL);
            int al = res && cp_results_count(res) && cp_results_get(res, 0)->match;
            if (al && b->show_errors && shown < 30) {
                shown++;
                printf("  alert: \"%s\" -> %s \"%s\" %.3f\n", q.name, cp_results_get(res, 0)->entity_id,
                       cp_results_get(res, 0)->matched_name, cp_results_get(res, 0)->score);
            }
            cp_results_free(res);
            q.dob = rows[f][r].dob[0] ? rows[f][r].dob : NULL;
            res = q.dob ? cp_searcher_search(s, &q, NULL) : NULL;
            int al2 = res ? (cp_results_count(res) && cp_results_get(res, 0)->match) : al;
            cp_results_free(res);
            tot++;
            fa += (size_t)al;
            alerts += (size_t)al;
            alerts_dob += (size_t)al2;
            sc_n[script]++;
            sc_al[script] += (size_t)al;
        }
        if (n[f]) printf("%-22s %6zu names: %5zu alerts (%.3f%%)\n", files[f], n[f], fa, 100.0 * (double)fa / (double)n[f]);
        if (a && cp_arena_used(a) > (64u << 20)) {
            cp_arena_free(a);
            a = cp_arena_new();
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("total: %zu names; name only: %zu alerts (%.3f%%); name + date of birth: %zu (%.3f%%); target <= 0.5%%\n",
           tot, alerts, 100.0 * (double)alerts / (double)tot, alerts_dob, 100.0 * (double)alerts_dob / (double)tot);
    printf("per script (name only):");
    for (int i = 0; i < QS_NSCRIPT; i++)
        if (sc_n[i]) printf("  %s %zu/%zu (%.2f%%)", qs_script_names[i], sc_al[i], sc_n[i], 100.0 * (double)sc_al[i] / (double)sc_n[i]);
    printf("\n(%.1f s, %.0f searches/s incl. the name+dob pass)\n", secs, (double)(tot * 2) / secs);
    cp_searcher_free(s);
    cp_arena_free(a);
    free(rows[0]);
    free(rows[1]);
    return 0;
}
#endif
