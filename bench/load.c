/* bench/load: how long loading the list snapshot takes, and how much memory.
 *
 * usage: load [--data DIR] [-n N] [--threads1]
 *
 * 1. Per list, one at a time in this thread (cp_snapshot_load_list): wall
 *    and CPU time, entities, names, problems.
 * 2. N times the whole engine the way the commands load it
 *    (cp_engine_load: checks, loaders in parallel threads, index): wall time
 *    p50 and max, CPU time p50; also N loads without the index, to separate
 *    the index build.
 * 3. Peak RSS of the process (getrusage ru_maxrss).
 * Targets (issue #2 section 3): < 1 s wall and < 300 MB for the whole bundled
 * snapshot including the index. Wall times on a busy machine exceed the CPU
 * times; both are printed. Exit status 0, or 1 when a load fails. */
#include "chokepoint.h"
#include "engine.h"
#include "lists/snapshot.h"
#include "bench_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* CPU time of the whole process (all threads), seconds. */
static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static double p50(double *v, int n) {
    bench_sort(v, (size_t)n);
    return n ? v[n / 2] : 0.0;
}

/* N full loads; fills wall/cpu p50 and wall max. */
static int run(const char *dir, unsigned flags, int n, double *wp50, double *wmax, double *cp50) {
    double *w = calloc((size_t)n, sizeof *w), *c = calloc((size_t)n, sizeof *c);
    if (!w || !c) return -1;
    for (int i = 0; i < n; i++) {
        cp_load_opts o = {0};
        o.lists_dir = dir;
        cp_error err;
        double t0 = bench_wall_s(), c0 = cpu_s();
        cp_engine *e = cp_snapshot_load(&o, flags, &err);
        w[i] = bench_wall_s() - t0;
        c[i] = cpu_s() - c0;
        if (!e) {
            char buf[1200];
            fprintf(stderr, "load: %s\n", cp_error_format(&err, buf, sizeof buf));
            free(w);
            free(c);
            return -1;
        }
        cp_engine_free(e);
    }
    *cp50 = p50(c, n);
    *wp50 = p50(w, n);
    *wmax = w[n - 1];
    free(w);
    free(c);
    return 0;
}

int main(int argc, char **argv) {
    const char *data = NULL;
    int n = 5;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) data = argv[++i];
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = atoi(argv[++i]);
        else if (strcmp(argv[i], "--threads1") == 0) flags |= CP_SNAP_ONE_THREAD;
        else {
            fprintf(stderr, "usage: load [--data DIR] [-n N] [--threads1]\n");
            return 64;
        }
    }
    if (n < 1) n = 1;
    char dir[4096];
    cp_error err;
    const char *origin;
    if (cp_snapshot_resolve_dir(data, dir, sizeof dir, &origin, &err) < 0) {
        fprintf(stderr, "load: %s\n", err.message);
        return 1;
    }
    char **ids;
    size_t n_ids;
    if (cp_snapshot_list_ids(dir, &ids, &n_ids, &err) < 0) {
        fprintf(stderr, "load: %s\n", err.message);
        return 1;
    }
    printf("snapshot %s (%s)\n\n%-18s %9s %9s %9s %9s %9s\n", dir, origin, "list", "wall ms", "cpu ms", "entities",
           "names", "problems");
    size_t tot_e = 0, tot_n = 0;
    double tot_w = 0, tot_c = 0;
    for (size_t i = 0; i < n_ids; i++) {
        char ldir[4400];
        snprintf(ldir, sizeof ldir, "%s/%s", dir, ids[i]);
        double t0 = bench_wall_s(), c0 = cpu_s();
        cp_list *l = cp_snapshot_load_list(ldir, ids[i], 0, NULL, &err);
        double w = bench_wall_s() - t0, c = cpu_s() - c0;
        if (!l) {
            char buf[1200];
            fprintf(stderr, "load: %s\n", cp_error_format(&err, buf, sizeof buf));
            cp_snapshot_ids_free(ids, n_ids);
            return 1;
        }
        const cp_list_info *li = cp_list_get_info(l);
        printf("%-18s %9.1f %9.1f %9zu %9zu %9zu\n", ids[i], w * 1e3, c * 1e3, li->entities, li->names,
               li->problems);
        tot_e += li->entities;
        tot_n += li->names;
        tot_w += w;
        tot_c += c;
        cp_list_free(l);
    }
    printf("%-18s %9.1f %9.1f %9zu %9zu\n\n", "(sum)", tot_w * 1e3, tot_c * 1e3, tot_e, tot_n);
    cp_snapshot_ids_free(ids, n_ids);

    double wp, wm, cp;
    if (run(dir, flags | CP_SNAP_NO_INDEX, n, &wp, &wm, &cp) < 0) return 1;
    printf("engine without index, %d runs%s: wall p50 %.3f s, max %.3f s; cpu p50 %.3f s\n", n,
           (flags & CP_SNAP_ONE_THREAD) ? " (one thread)" : "", wp, wm, cp);
    if (run(dir, flags, n, &wp, &wm, &cp) < 0) return 1;
    printf("engine with index,    %d runs%s: wall p50 %.3f s, max %.3f s; cpu p50 %.3f s\n", n,
           (flags & CP_SNAP_ONE_THREAD) ? " (one thread)" : "", wp, wm, cp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB (target: < 1 s, < 300 MB)\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
