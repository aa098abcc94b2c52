/* Timing and sample helpers shared by the benchmarks (bench/screen.c,
 * bench/search.c, bench/parse.c, bench/load.c): clocks, sorting a latency
 * sample and reading a percentile of it, and the synthetic names of yente's
 * candidate generation benchmark. Header-only (each bench program is built
 * from one .c file). Not part of the library. */
#ifndef CP_BENCH_UTIL_H
#define CP_BENCH_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time on the monotonic clock, seconds (only differences mean anything). */
static inline double bench_wall_s(void) { return bench_clock_s(CLOCK_MONOTONIC); }

/* CPU time of the calling thread, seconds: robust to other processes on a
 * busy machine (report wall time beside it). */
static inline double bench_cpu_s(void) { return bench_clock_s(CLOCK_THREAD_CPUTIME_ID); }

/* The same two clocks in microseconds. */
static inline double bench_wall_us(void) { return bench_wall_s() * 1e6; }
static inline double bench_cpu_us(void) { return bench_cpu_s() * 1e6; }

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0..n) ascending (before reading percentiles). */
static inline void bench_sort(double *v, size_t n) { qsort(v, n, sizeof *v, bench_cmp_double); }

/* The p-quantile (p in [0,1]) of sorted v[0..n), n >= 1: v[floor(p * (n-1))]. */
static inline double bench_pct(const double *v, size_t n, double p) { return v[(size_t)(p * (double)(n - 1))]; }

/* Reads the full_name column (first field) of a yente negatives CSV into
 * out[0..max) (strdup'ed; the caller frees them). Skips the header line and
 * quoted names. Returns the count; 0 when the file cannot be read. */
static inline size_t bench_read_negatives(const char *path, char **out, size_t max) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[2048];
    size_t n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        char *c = strchr(line, ',');
        if (!c || line[0] == '"') continue;
        *c = 0;
        out[n++] = strdup(line);
    }
    fclose(f);
    return n;
}

/* The synthetic persons of yente's candidate generation benchmark (CC BY-NC,
 * read in place, never copied): up to max_each names from each of
 * dir/negatives_global.csv and dir/negatives_us.csv into out (room for
 * 2 * max_each). Returns the count; 0 when dir is absent. */
static inline size_t bench_read_yente_negatives(const char *dir, char **out, size_t max_each) {
    char path[1024];
    snprintf(path, sizeof path, "%s/negatives_global.csv", dir);
    size_t n = bench_read_negatives(path, out, max_each);
    snprintf(path, sizeof path, "%s/negatives_us.csv", dir);
    return n + bench_read_negatives(path, out + n, max_each);
}
#endif
