/* Allocation-failure injection for the list loaders (STYLE.md habit 12; the
 * torture tests of curl and SQLite). For each loader, the load
 * (cp_list_new + loader + cp_list_finalize + cp_list_free) of a small real
 * fixture is run with the Nth allocation failing, N = 1, 2, 3, ... until a
 * run completes with no injected failure. Every run must either fail cleanly
 * (cp_list_new NULL, loader -1 with CP_ERR_NOMEM, or finalize -1) or succeed
 * with exactly the list a run without injection builds (a swallowed OOM that
 * silently drops a name or fact is a failure too); it must never crash, and
 * it must free everything (the ASan build, run with detect_leaks=1 by
 * scripts/test, reports any leak on an OOM path).
 *
 * Injection: this test is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc (CMakeLists.txt), so every malloc/calloc/realloc call in
 * our own code (this file and libchokepoint.a) goes through the __wrap_*
 * functions below. Allocations made inside shared libraries (libxml2,
 * jansson, ICU, zlib, libc's strdup) are NOT wrapped and never fail here;
 * our code does not call strdup/strndup in the loaders or src/core (text is
 * copied with cp_arena_strndup, which allocates through malloc). The
 * failure counter is process-global, which is acceptable in a
 * single-threaded test (never in library code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/io.h"
#include "lists/loaders.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

/* fail_at 0: injection off. Otherwise the fail_at-th allocation counted
 * since arming returns NULL (once); `injected` records that it happened. */
static struct {
    unsigned long count, fail_at;
    int injected;
} g_inj;

static int inj_fail(void) {
    if (!g_inj.fail_at) return 0;
    if (++g_inj.count != g_inj.fail_at) return 0;
    g_inj.injected = 1;
    return 1;
}
void *__wrap_malloc(size_t size) { return inj_fail() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return inj_fail() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return inj_fail() ? NULL : __real_realloc(p, size); }

/* Cap on N per loader, so the test stays well under ~20 s under ASan. */
enum { MAX_FAIL_AT = 5000 };

/* FNV-1a over everything a list holds after finalize, so a run that
 * succeeded after an injected failure can be compared with a clean run. */
static void h_bytes(uint64_t *h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) *h = (*h ^ b[i]) * 1099511628211u;
}
static void h_str(uint64_t *h, const char *s) {
    if (s) h_bytes(h, s, strlen(s) + 1);
    else h_bytes(h, "\xff", 1);
}
static void h_u(uint64_t *h, uint64_t v) { h_bytes(h, &v, sizeof v); }

static uint64_t list_hash(cp_list *l) {
    uint64_t h = 1469598103934665603u;
    size_t n = cp_list_count(l);
    h_u(&h, n);
    h_u(&h, cp_list_name_count(l));
    h_str(&h, cp_list_id(l));
    const cp_diag *d = cp_list_diag(l);
    h_u(&h, d->errors);
    h_u(&h, d->warnings);
    for (size_t i = 0; i < n; i++) {
        const cp_entity *e = cp_list_entity(l, i);
        h_str(&h, e->id);
        h_str(&h, e->source_id);
        h_u(&h, (uint64_t)e->schema);
        for (uint32_t k = 0; k < e->n_names; k++) {
            h_str(&h, e->names[k].text);
            h_u(&h, (uint64_t)e->names[k].kind);
            h_str(&h, e->names[k].lang);
        }
        for (uint32_t k = 0; k < e->n_programs; k++) h_str(&h, e->programs[k]);
        for (uint32_t k = 0; k < e->n_facts; k++) {
            h_u(&h, (uint64_t)e->facts[k].type);
            h_str(&h, e->facts[k].value);
            h_str(&h, e->facts[k].detail);
        }
        for (uint32_t k = 0; k < e->n_relations; k++) {
            h_u(&h, (uint64_t)e->relations[k].type);
            h_str(&h, e->relations[k].target);
            h_str(&h, e->relations[k].detail);
        }
    }
    return h;
}

typedef enum { RUN_OOM, RUN_OK } run_result;

/* One load with the fail_at-th allocation failing (0: none). On success
 * *hash receives list_hash. Fails the test on any outcome other than a clean
 * OOM error or a success. */
static run_result run_once(const char *list_id, cp_loader_fn load, const cp_list_file *files, size_t n,
                           unsigned long fail_at, uint64_t *hash) {
    g_inj.count = 0;
    g_inj.injected = 0;
    g_inj.fail_at = fail_at;
    run_result res = RUN_OOM;
    cp_error err;
    memset(&err, 0, sizeof err);
    cp_list *l = cp_list_new(list_id);
    if (l) {
        int rc = load(l, files, n, &err);
        if (rc == 0) {
            if (cp_list_finalize(l) == 0) res = RUN_OK;
        } else if (err.code != CP_ERR_NOMEM) {
            g_inj.fail_at = 0;
            fail_msg("%s, allocation %lu failing: loader returned %d with error code %d (%s), not CP_ERR_NOMEM",
                     list_id, fail_at, rc, (int)err.code, err.message);
        }
    }
    int injected = g_inj.injected;
    g_inj.fail_at = 0; /* hashing and the checks below must not fail */
    if (res == RUN_OK) *hash = list_hash(l);
    cp_list_free(l);
    if (res == RUN_OOM && !injected)
        fail_msg("%s, allocation %lu failing: load failed with no injected failure", list_id, fail_at);
    return res;
}

/* Runs the torture loop for one loader over files[0..n). */
static void torture(const char *list_id, cp_loader_fn load, const cp_list_file *files, size_t n) {
    uint64_t want = 0, got = 0;
    assert_int_equal(run_once(list_id, load, files, n, 0, &want), RUN_OK);
    unsigned long fail_at;
    for (fail_at = 1; fail_at <= MAX_FAIL_AT; fail_at++) {
        run_result r = run_once(list_id, load, files, n, fail_at, &got);
        int injected = g_inj.injected;
        if (r == RUN_OK && got != want)
            fail_msg("%s, allocation %lu failing: load succeeded but the list differs from a clean load "
                     "(an allocation failure was swallowed)", list_id, fail_at);
        if (!injected) break; /* every allocation of the load has been failed once */
    }
    if (fail_at > MAX_FAIL_AT) fail_msg("%s: more than %d allocations; raise MAX_FAIL_AT", list_id, MAX_FAIL_AT);
    /* Sanity: the wrapping is in effect (a load allocates more than a few times). */
    if (fail_at < 10) fail_msg("%s: only %lu allocations seen: is --wrap=malloc in effect?", list_id, fail_at - 1);
    print_message("%s: each of %lu allocations failed in turn\n", list_id, fail_at - 1);
}

static cp_bytes read_fixture(const char *path) {
    cp_bytes b;
    cp_error e;
    if (cp_read_file(path, 0, &b, &e) != 0) fail_msg("cannot read %s: %s", path, e.message);
    return b;
}

static void torture_one(const char *list_id, cp_loader_fn load, const char *path, const char *name) {
    cp_bytes b = read_fixture(path);
    cp_list_file f = {"main", name, b.data, b.len};
    torture(list_id, load, &f, 1);
    free(b.data);
}

/* tests/fixtures/ofac: sdn_malformed.csv (7 real sdn.csv rows, 4 broken on
 * purpose) and add_malformed.csv, plus the real alt.csv row of ent_num 306
 * (data/lists/us-ofac-sdn/alt.csv.gz: `306,220,"aka","NATIONAL BANK OF
 * CUBA",-0- `), so the error, warning and alias paths are all exercised. */
static void test_ofac_csv(void **state) {
    (void)state;
    cp_bytes sdn = read_fixture("tests/fixtures/ofac/sdn_malformed.csv");
    cp_bytes add = read_fixture("tests/fixtures/ofac/add_malformed.csv");
    static const char alt[] = "306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n\x1a";
    cp_list_file f[3] = {{"primary", "sdn.csv", sdn.data, sdn.len},
                         {"add", "add.csv", add.data, add.len},
                         {"alt", "alt.csv", alt, sizeof alt - 1}};
    torture("us-ofac-sdn", cp_load_ofac_csv, f, 3);
    free(sdn.data);
    free(add.data);
}

/* Two real UN records, the second without REFERENCE_NUMBER (a diag error). */
static void test_un_xml(void **state) {
    (void)state;
    torture_one("un-sc", cp_load_un_xml, "tests/fixtures/un/missing_ref.xml", "consolidated.xml");
}

static void test_uk_ofsi_csv(void **state) {
    (void)state;
    torture_one("uk-ofsi", cp_load_uk_ofsi_csv, "tests/fixtures/uk-ofsi/sample.csv", "ConList.csv");
}

/* A malformed-row fixture too, for the per-row error paths. */
static void test_uk_ofsi_csv_wrong_columns(void **state) {
    (void)state;
    torture_one("uk-ofsi", cp_load_uk_ofsi_csv, "tests/fixtures/uk-ofsi/wrong_columns.csv", "ConList.csv");
}

static void test_us_csl_csv(void **state) {
    (void)state;
    torture_one("us-csl", cp_load_us_csl_csv, "tests/fixtures/us-csl/2025-sample.csv", "consolidated.csv");
}

static void test_bis_dpl_tsv(void **state) {
    (void)state;
    torture_one("us-bis-dpl", cp_load_bis_dpl_tsv, "tests/fixtures/us-bis-dpl/sample.txt", "dpl.txt");
}

static void test_ftm_json(void **state) {
    (void)state;
    torture_one("ftm", cp_load_ftm_json, "tests/fixtures/ftm/ownership.ftm.json", "entities.ftm.json");
}

static void test_eu_fsf_xml(void **state) {
    (void)state;
    torture_one("eu-fsf", cp_load_eu_fsf_xml, "tests/fixtures/eu-fsf/sample.xml", "sample.xml");
}

static void test_eu_fsf_xml_missing_id(void **state) {
    (void)state;
    torture_one("eu-fsf", cp_load_eu_fsf_xml, "tests/fixtures/eu-fsf/missing_id.xml", "missing_id.xml");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ofac_csv),
        cmocka_unit_test(test_un_xml),
        cmocka_unit_test(test_uk_ofsi_csv),
        cmocka_unit_test(test_uk_ofsi_csv_wrong_columns),
        cmocka_unit_test(test_us_csl_csv),
        cmocka_unit_test(test_bis_dpl_tsv),
        cmocka_unit_test(test_ftm_json),
        cmocka_unit_test(test_eu_fsf_xml),
        cmocka_unit_test(test_eu_fsf_xml_missing_id),
    };
    return cmocka_run_group_tests_name("alloc_fail", tests, NULL, NULL);
}
