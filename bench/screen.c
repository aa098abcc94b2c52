/* bench/screen: screening throughput and latency on MT103 and pacs.008
 * messages (examples/), with the bundled lists and the default policy.
 * Parse time and screen time are measured separately per message.
 * Usage: build/bench/screen [ITERATIONS [POLICY]] (default 20000 per message
 * file, data/policy/default.policy). */
#include "chokepoint.h"
#include "core/io.h"
#include "msg/parse.h"
#include "screen/screen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
    size_t i = (size_t)(p * (double)(n - 1));
    return v[i];
}

int main(int argc, char **argv) {
    size_t iters = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 20000;
    if (!iters) iters = 1;
    cp_error err = {0};
    char eb[1200];
    double t0 = now_us();
    cp_load_opts lo = {0};
    cp_engine *e = cp_engine_load(&lo, &err);
    if (!e) {
        fprintf(stderr, "engine: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 1;
    }
    cp_policy *p = cp_policy_load(argc > 2 ? argv[2] : CP_SOURCE_DIR "/data/policy/default.policy", &err);
    cp_screener *s = p ? cp_screener_new(e, p, NULL, &err) : NULL;
    if (!s) {
        fprintf(stderr, "screener: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 1;
    }
    printf("load: %.0f ms (lists, index, goods and geo tables)\n", (now_us() - t0) / 1000);
    static const struct {
        const char *file;
        cp_msg_format f;
    } files[] = {{"examples/mt103_clean_germany.fin", CP_MSG_MT},
                 {"examples/mt103_hk_microcontrollers.fin", CP_MSG_MT},
                 {"examples/mt103_eo14024_typo.fin", CP_MSG_MT},
                 {"examples/pacs008_third_country_payer.xml", CP_MSG_MX},
                 {"tests/fixtures/messages/iso20022/cbpr-plus/cbprplus_c.105.1.1_pacs.008_AtoB.xml", CP_MSG_MX}};
    double *pt = malloc(iters * sizeof *pt), *st = malloc(iters * sizeof *st);
    if (!pt || !st) return 1;
    printf("%-48s %9s %9s %9s %9s %9s %9s\n", "message", "parse p50", "p99 us", "screen p50", "p99 us", "total p99",
           "msg/s");
    for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CP_SOURCE_DIR, files[fi].file);
        cp_bytes b;
        if (cp_read_file(path, 0, &b, &err) < 0) {
            fprintf(stderr, "skip %s: %s\n", files[fi].file, err.message);
            continue;
        }
        double total = 0;
        double *tt = malloc(iters * sizeof *tt);
        if (!tt) return 1;
        for (size_t i = 0; i < iters; i++) {
            cp_request_list rl;
            cp_request_list_init(&rl);
            double a = now_us();
            if (cp_msg_parse(files[fi].f, b.data, b.len, NULL, &rl, &err) < 0) {
                fprintf(stderr, "%s: %s\n", files[fi].file, cp_error_format(&err, eb, sizeof eb));
                return 1;
            }
            double m = now_us();
            for (size_t k = 0; k < rl.n; k++) {
                cp_screen_result *r = cp_screen_request(s, rl.items[k], &err);
                if (!r) {
                    fprintf(stderr, "screen: %s\n", err.message);
                    return 1;
                }
                cp_screen_result_free(r);
            }
            double z = now_us();
            cp_request_list_free(&rl);
            pt[i] = m - a;
            st[i] = z - m;
            tt[i] = z - a;
            total += z - a;
        }
        qsort(pt, iters, sizeof *pt, cmp_d);
        qsort(st, iters, sizeof *st, cmp_d);
        qsort(tt, iters, sizeof *tt, cmp_d);
        const char *name = strrchr(files[fi].file, '/') + 1;
        printf("%-48s %9.1f %9.1f %9.1f %9.1f %9.1f %9.0f\n", name, pct(pt, iters, 0.5), pct(pt, iters, 0.99),
               pct(st, iters, 0.5), pct(st, iters, 0.99), pct(tt, iters, 0.99), (double)iters / (total / 1e6));
        free(tt);
        free(b.data);
    }
    free(pt);
    free(st);
    cp_screener_free(s);
    cp_policy_free(p);
    cp_engine_free(e);
    return 0;
}
