/* Parse throughput of the message parsers: MT103 and pacs.008 samples from
 * tests/fixtures/messages, each parsed N times (default 20000 per sample
 * set; argv[1] overrides). Prints messages/s and p50/p99 microseconds per
 * message as a table. Run from the repository root:
 *   build/bench/parse [iterations]
 * Timing: CLOCK_MONOTONIC around each parse (a screening request is built and
 * freed inside the timed section, as in production). */
#include "core/io.h"
#include "msg/parse.h"
#include "bench_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct sample {
    const char *path;
    cp_msg_format fmt;
} sample;

static const sample mt103[] = {
    {"tests/fixtures/messages/swift-mt/cbpr-plus/MT103_c_53_5_finMessage_535_A_B.fin", CP_MSG_MT},
    {"tests/fixtures/messages/swift-mt/cbpr-plus/MT103_p_2_1_1_finMessage_p_2_1_1_C_D.fin", CP_MSG_MT},
    {"tests/fixtures/messages/swift-mt/cbpr-plus/MT103_p_2_3_1_a_finMessage_p_2_3_1_a_A_D.fin", CP_MSG_MT},
    {"tests/fixtures/messages/swift-mt/wso2-test/MT103_custom_a_2014.fin", CP_MSG_MT},
    {NULL, CP_MSG_UNKNOWN}};
static const sample pacs008[] = {
    {"tests/fixtures/messages/iso20022/cbpr-plus/cbprplus_p.2.1.1_pacs.008-AtoB.xml", CP_MSG_MX},
    {"tests/fixtures/messages/iso20022/cbpr-plus/cbprplus_p.2.1.2_pacs.008-BtoC.xml", CP_MSG_MX},
    {"tests/fixtures/messages/iso20022/cbpr-plus/cbprplus_c.53.5_pacs.008_AtoB.xml", CP_MSG_MX},
    {"tests/fixtures/messages/iso20022/cbpr-plus/hvps_c.29.1.1_pacs.008_BtoC_MI.xml", CP_MSG_MX},
    {NULL, CP_MSG_UNKNOWN}};

static int run(const char *label, const sample *set, size_t iters) {
    cp_bytes buf[8];
    size_t n = 0, bytes = 0;
    for (; set[n].path; n++) {
        cp_error err;
        if (cp_read_file(set[n].path, 0, &buf[n], &err) < 0) {
            fprintf(stderr, "parse: %s: %s (run from the repository root)\n", set[n].path, err.message);
            return -1;
        }
        bytes += buf[n].len;
    }
    double *lat = malloc(iters * sizeof *lat);
    if (!lat) return -1;
    size_t reqs = 0;
    double t0 = bench_wall_us();
    for (size_t i = 0; i < iters; i++) {
        const sample *s = &set[i % n];
        const cp_bytes *b = &buf[i % n];
        cp_request_list l;
        cp_request_list_init(&l);
        cp_error err;
        double a = bench_wall_us();
        if (cp_msg_parse(s->fmt, b->data, b->len, NULL, &l, &err) < 0) {
            fprintf(stderr, "parse: %s: %s\n", s->path, err.message);
            free(lat);
            return -1;
        }
        reqs += l.n;
        cp_request_list_free(&l);
        lat[i] = bench_wall_us() - a;
    }
    double total = bench_wall_us() - t0;
    bench_sort(lat, iters);
    printf("| %-8s | %7zu | %9.0f | %10.0f | %8.2f | %8.2f | %6zu |\n", label, iters, (double)bytes / (double)n,
           (double)iters / (total / 1e6), lat[iters / 2], lat[(size_t)((double)iters * 0.99)], reqs / iters);
    free(lat);
    for (size_t i = 0; i < n; i++) free(buf[i].data);
    return 0;
}

int main(int argc, char **argv) {
    size_t iters = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 20000;
    if (iters < 100) iters = 100;
    printf("| format   | parses  | avg bytes | messages/s | p50 µs   | p99 µs   | req/msg |\n");
    printf("|----------|---------|-----------|------------|----------|----------|--------|\n");
    if (run("MT103", mt103, iters) < 0) return 1;
    if (run("pacs.008", pacs008, iters) < 0) return 1;
    return 0;
}
