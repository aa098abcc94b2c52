/* bench/search: search latency on all bundled lists, one thread (a
 * benchmark, never a test).
 *
 * Query mix (deterministic): list names as published and with a typo, a
 * swapped word order, a dropped middle word, another romanization; plus
 * names that are on no list (synthetic persons of yente's candidate
 * generation benchmark when /work/shared is present: CC BY-NC, read in
 * place, never copied; otherwise syllable-made names).
 * Reports: index build time, bytes per indexed name, search p50/p90/p99/max
 * latency per query (monotonic clock), searches per second.
 *
 * usage: bench/search [--data DIR] [--queries N] [--shared DIR] [--dump FILE]
 *   --dump FILE: instead of timing, writes the results JSON of every query
 *   (schemas any, person, organization; min_score 0.5 and 0.8, limit 10 and
 *   3) to FILE, one per line: diff two builds' dumps to show that a speed
 *   change keeps every result, score and explanation identical.
 */
#include "chokepoint.h"
#include "engine.h"
#include "index/index.h"
#include "bench_util.h"
#include "search_variants.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    const char *data = NULL, *shared = "/work/shared/data/opensanctions/yente/candidate_generation_benchmark";
    size_t nq = 20000;
    const char *dump = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--data")) data = argv[i + 1];
        else if (!strcmp(argv[i], "--queries")) nq = (size_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--shared")) shared = argv[i + 1];
        else if (!strcmp(argv[i], "--dump")) dump = argv[i + 1];
    }
    if (nq < 100) nq = 100;
    cp_error err;
    memset(&err, 0, sizeof err);
    cp_load_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.lists_dir = data;
    double t0 = bench_wall_s();
    cp_engine *e = cp_engine_load(&lo, &err);
    double t_load = bench_wall_s() - t0;
    if (!e) {
        char b[1024];
        fprintf(stderr, "bench/search: %s\n", cp_error_format(&err, b, sizeof b));
        return 1;
    }
    cp_index_stats st;
    cp_index_get_stats(e->index, &st);
    printf("engine load (all lists, incl. index): %.3f s\n", t_load);
    printf("index: %zu names, %zu entities, %zu keys (%zu identifier keys), %zu postings\n", st.names,
           st.entities, st.keys, st.id_keys, st.postings);
    printf("index build: %.3f s; %.1f MB, %.0f bytes per indexed name\n", st.build_seconds,
           (double)st.bytes / 1e6, st.names ? (double)st.bytes / (double)st.names : 0.0);

    /* Query mix: 60% list names (as listed or varied), 40% names on no list. */
    char **qs = calloc(nq, sizeof *qs);
    size_t n_neg_pool = 0;
    char **neg = calloc(100000, sizeof *neg);
    if (!qs || !neg) return 1;
    n_neg_pool = bench_read_yente_negatives(shared, neg, 50000);
    const char *neg_src = n_neg_pool ? "yente synthetic persons" : "syllable-made names";
    uint32_t seed = 12345;
    size_t n_names = cp_index_name_count(e->index);
    for (size_t i = 0; i < nq; i++) {
        char buf[1024];
        if (i % 5 < 3 && n_names) {
            const cp_idx_name *nm = cp_index_name(e->index, bv_rand(&seed) % (uint32_t)n_names);
            const cp_entity *ent = cp_list_entity(e->lists[nm->list], nm->entity);
            const char *t = ent->names[nm->name].text;
            if (strlen(t) > 400 || bv_make(t, (bv_kind)(bv_rand(&seed) % BV__COUNT), seed, buf, sizeof buf) != 0)
                snprintf(buf, sizeof buf, "%.400s", t);
        } else if (n_neg_pool) {
            snprintf(buf, sizeof buf, "%s", neg[bv_rand(&seed) % n_neg_pool]);
        } else {
            static const char *const syl[] = {"ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "gu", "ph", "ne"};
            size_t o = 0;
            for (int w = 0; w < 2 + (int)(bv_rand(&seed) % 2); w++) {
                if (w) buf[o++] = ' ';
                for (int k = 0; k < 2 + (int)(bv_rand(&seed) % 2); k++) {
                    const char *sy = syl[bv_rand(&seed) % 12];
                    memcpy(buf + o, sy, strlen(sy));
                    o += strlen(sy);
                }
            }
            buf[o] = 0;
        }
        qs[i] = strdup(buf);
    }

    cp_searcher *s = cp_searcher_new(e, &err);
    if (!s) {
        fprintf(stderr, "bench/search: %s\n", err.message);
        return 1;
    }
    if (dump) {
        FILE *f = fopen(dump, "w");
        if (!f) {
            perror(dump);
            return 1;
        }
        static const cp_schema schemas[] = {CP_SCHEMA_ANY, CP_SCHEMA_PERSON, CP_SCHEMA_ORGANIZATION};
        static const double mins[] = {0.5, 0.8};
        static const size_t limits[] = {10, 3};
        for (size_t i = 0; i < nq; i++)
            for (size_t k = 0; k < 3; k++)
                for (size_t m = 0; m < 2; m++) {
                    cp_query q;
                    memset(&q, 0, sizeof q);
                    q.name = qs[i];
                    q.schema = schemas[k];
                    q.min_score = mins[m];
                    q.limit = limits[m];
                    cp_results *r = cp_searcher_search(s, &q, &err);
                    char *js = r ? cp_results_to_json(r, 0) : NULL;
                    fprintf(f, "%s\n", js ? js : "(error)");
                    free(js);
                    cp_results_free(r);
                }
        fclose(f);
        cp_searcher_free(s);
        for (size_t i = 0; i < nq; i++) free(qs[i]);
        for (size_t i = 0; i < n_neg_pool; i++) free(neg[i]);
        free(qs);
        free(neg);
        cp_engine_free(e);
        return 0;
    }
    double *lat = malloc(nq * sizeof *lat), *cpu = malloc(nq * sizeof *cpu);
    size_t total_results = 0, matches = 0;
    /* warm-up */
    for (size_t i = 0; i < nq && i < 500; i++) {
        cp_query q;
        memset(&q, 0, sizeof q);
        q.name = qs[i];
        cp_results_free(cp_searcher_search(s, &q, NULL));
    }
    double tall = bench_wall_s();
    for (size_t i = 0; i < nq; i++) {
        cp_query q;
        memset(&q, 0, sizeof q);
        q.name = qs[i];
        double a = bench_wall_s(), c = bench_cpu_s();
        cp_results *r = cp_searcher_search(s, &q, &err);
        lat[i] = bench_wall_s() - a;
        cpu[i] = bench_cpu_s() - c;
        if (r) {
            total_results += cp_results_count(r);
            if (cp_results_count(r) && cp_results_get(r, 0)->match) matches++;
        }
        cp_results_free(r);
    }
    tall = bench_wall_s() - tall;
    bench_sort(lat, nq);
    bench_sort(cpu, nq);
    printf("queries: %zu (60%% list names as listed/typo/swapped/dropped/romanized, 40%% %s)\n", nq, neg_src);
    printf("search latency, one thread, CPU time: p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n",
           cpu[nq / 2] * 1e6, cpu[nq * 9 / 10] * 1e6, cpu[nq * 99 / 100] * 1e6, cpu[nq - 1] * 1e6);
    printf("search latency, one thread, wall:     p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us  (%.0f searches/s)\n",
           lat[nq / 2] * 1e6, lat[nq * 9 / 10] * 1e6, lat[nq * 99 / 100] * 1e6, lat[nq - 1] * 1e6,
           (double)nq / tall);
    printf("results per query: %.2f; queries whose best result is a match: %.1f%%\n",
           (double)total_results / (double)nq, 100.0 * (double)matches / (double)nq);
    /* one-shot cost (searcher creation per call) */
    {
        cp_query q;
        memset(&q, 0, sizeof q);
        q.name = "Nicolas Maduro";
        double a = bench_wall_s();
        for (int i = 0; i < 20; i++) cp_results_free(cp_search(e, &q, NULL));
        printf("cp_search one-shot (new searcher per call): %.2f ms\n", (bench_wall_s() - a) / 20 * 1e3);
    }
    cp_searcher_free(s);
    for (size_t i = 0; i < nq; i++) free(qs[i]);
    for (size_t i = 0; i < n_neg_pool; i++) free(neg[i]);
    free(qs);
    free(neg);
    free(lat);
    free(cpu);
    cp_engine_free(e);
    return 0;
}
