/* Unit tests of the validated list snapshot (src/lists/snapshot.c,
 * manifest.c) and the progress bar (src/core/progress.c).
 *
 * Data: the bundled UN list (data/lists/un-sc: 730 INDIVIDUAL + 273 ENTITY
 * records = 1003 entities, per /work/shared/data/lists/un/PROVENANCE.md and
 * the manifest) copied to a temp dir and damaged in various ways, and the
 * fixture tests/fixtures/snapshot/csl-malformed (3 complete CSL records + 1
 * cut off; see its README). Every test runs from the repo root (ctest cwd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io.h"
#include "core/progress.h"
#include "engine.h"
#include "lists/manifest.h"
#include "lists/snapshot.h"

/* sha256sum of the decompressed data/lists/un-sc/consolidated.xml, piped
 * through sha256sum again: `sha256sum consolidated.xml | sha256sum`. */
#define UN_DIGEST "7b4b9d2f41298914e5ecc3c38f13d21fbf256792635c6c6a33ef141abf2be9c2"

typedef struct fx {
    char dir[256];   /* temp snapshot dir */
    char list[300];  /* <dir>/un-sc */
} fx;

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...) {
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static int setup_un(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cp-test-snapshot-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->list, sizeof f->list, "%s/un-sc", f->dir);
    if (run("cp -r data/lists/un-sc '%s/'", f->dir) != 0) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fx *f = *state;
    run("rm -rf '%s'", f->dir);
    free(f);
    return 0;
}

static cp_engine *load(const char *dir, const char *id, int lenient, cp_error *err) {
    const char *ids[1] = {id};
    cp_load_opts o = {0};
    o.lists_dir = dir;
    o.lists = id ? ids : NULL;
    o.n_lists = id ? 1 : 0;
    o.lenient = lenient;
    memset(err, 0, sizeof *err);
    return cp_snapshot_load(&o, CP_SNAP_NO_INDEX, err);
}

static void un_loads(void **state) {
    fx *f = *state;
    cp_error err;
    cp_engine *e = load(f->dir, NULL, 0, &err);
    assert_non_null(e);
    assert_int_equal(cp_engine_list_count(e), 1);
    const cp_list_info *li = cp_engine_list_info(e, 0);
    assert_string_equal(li->id, "un-sc");
    assert_int_equal(li->entities, 1003);        /* 730 individuals + 273 entities */
    assert_true(li->names >= li->entities);
    assert_string_equal(li->version, "2026-02-27"); /* dateGenerated="2026-02-27T00:00:09.554Z" */
    assert_string_equal(li->sha256, UN_DIGEST);
    assert_null(cp_engine_list_info(e, 1));
    cp_engine_free(e);
}

static void missing_file_refused(void **state) {
    fx *f = *state;
    run("rm '%s/consolidated.xml.gz'", f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_non_null(strstr(err.message, "list un-sc"));
    assert_non_null(strstr(err.message, "consolidated.xml.gz is missing"));
}

static void truncated_gz_refused(void **state) {
    fx *f = *state;
    run("truncate -s 100000 '%s/consolidated.xml.gz'", f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_non_null(strstr(err.message, "list un-sc: file consolidated.xml.gz"));
}

static void truncated_plain_refused(void **state) {
    fx *f = *state;
    /* A plain (not gzip) file cut short: the size check names it truncated. */
    run("zcat '%s/consolidated.xml.gz' | head -c 1000000 > '%s/consolidated.xml.gz.tmp' && mv '%s/consolidated.xml.gz.tmp' "
        "'%s/consolidated.xml.gz'", f->list, f->list, f->list, f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_string_equal(err.field, "bytes");
    assert_non_null(strstr(err.message, "has 1000000 bytes, its manifest says 2030620 (truncated file)"));
}

static void altered_refused(void **state) {
    fx *f = *state;
    /* Same length, one name changed: only the SHA-256 can tell. */
    run("zcat '%s/consolidated.xml.gz' | sed 's/<FIRST_NAME>ERIC</<FIRST_NAME>ERIK</' > '%s/x' && mv '%s/x' "
        "'%s/consolidated.xml.gz'", f->list, f->list, f->list, f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_string_equal(err.field, "sha256");
    assert_non_null(strstr(err.message, "list un-sc: file consolidated.xml.gz has SHA-256"));
    assert_non_null(strstr(err.message, "its manifest says 66b392a40908"));
    /* verify (hashes only) says the same */
    assert_int_equal(cp_snapshot_verify_list(f->list, "un-sc", &err), -1);
    assert_string_equal(err.field, "sha256");
}

static void longer_refused(void **state) {
    fx *f = *state;
    run("zcat '%s/consolidated.xml.gz' > '%s/x' && echo >> '%s/x' && mv '%s/x' '%s/consolidated.xml.gz'", f->list,
        f->list, f->list, f->list, f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_string_equal(err.field, "bytes");
    assert_non_null(strstr(err.message, "larger than the 2030620 bytes in its manifest"));
}

static void min_entities_refused(void **state) {
    fx *f = *state;
    run("sed -i 's/\"min_entities\": 900/\"min_entities\": 5000/' '%s/manifest.json'", f->list);
    cp_error err;
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_non_null(strstr(err.message, "only 1003 entities loaded, its manifest expects at least 5000"));
}

static void bad_manifests_refused(void **state) {
    fx *f = *state;
    cp_error err;
    /* path leaving the list dir */
    run("sed -i 's/\"path\": \"consolidated.xml.gz\"/\"path\": \"..\\/..\\/etc\\/passwd\"/' '%s/manifest.json'", f->list);
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_string_equal(err.field, "files[0].path");
    /* broken JSON: line number reported */
    run("printf '{\\n  \"id\": \"un-sc\",\\n  \"format\": \"un-xml\"\\n  \"files\": []\\n}\\n' > '%s/manifest.json'", f->list);
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_MANIFEST);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "invalid JSON"));
    /* unknown format */
    run("printf '{\"id\": \"un-sc\", \"format\": \"pdf\", \"files\": []}' > '%s/manifest.json'", f->list);
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_string_equal(err.field, "format");
    /* id differs from its folder */
    run("printf '{\"id\": \"uk-ofsi\", \"format\": \"un-xml\", \"files\": []}' > '%s/manifest.json'", f->list);
    assert_null(load(f->dir, "un-sc", 0, &err));
    assert_string_equal(err.field, "id");
}

static void unknown_list_refused(void **state) {
    fx *f = *state;
    cp_error err;
    assert_null(load(f->dir, "eu-fsf", 0, &err));
    assert_int_equal(err.code, CP_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "no list 'eu-fsf'"));
    assert_null(load(f->dir, "../un-sc", 0, &err));
    assert_int_equal(err.code, CP_ERR_NOTFOUND);
}

/* Two lists, the second broken: nothing is returned (and, under ASan,
 * nothing leaks). */
static void nothing_half_loaded(void **state) {
    fx *f = *state;
    run("cp -r tests/fixtures/snapshot/csl-malformed/us-csl '%s/'", f->dir);
    cp_error err;
    assert_null(load(f->dir, NULL, 0, &err)); /* us-csl has a malformed record: strict fails */
    assert_int_equal(err.code, CP_ERR_FORMAT);
    cp_engine *e = load(f->dir, NULL, 1, &err);
    assert_non_null(e);
    assert_int_equal(cp_engine_list_count(e), 2);
    assert_string_equal(cp_engine_list_info(e, 0)->id, "un-sc"); /* sorted by id */
    assert_string_equal(cp_engine_list_info(e, 1)->id, "us-csl");
    cp_engine_free(e);
}

static void strict_and_lenient(void **state) {
    (void)state;
    const char *dir = "tests/fixtures/snapshot/csl-malformed";
    cp_error err;
    assert_null(load(dir, "us-csl", 0, &err));
    assert_int_equal(err.code, CP_ERR_FORMAT);
    /* the cut-off record is line 5 of the fixture (header + 3 records before it) */
    assert_non_null(strstr(err.message, "list us-csl: 1 malformed record (use --lenient to skip them): "
                                        "consolidated.csv:5"));
    cp_engine *e = load(dir, "us-csl", 1, &err);
    assert_non_null(e);
    const cp_list_info *li = cp_engine_list_info(e, 0);
    assert_int_equal(li->entities, 3); /* 30882, dcc742..., 17013 */
    assert_int_equal(li->problems, 1);
    cp_list *l = cp_engine_list(e, 0);
    assert_int_equal(cp_list_diag(l)->errors, 1);
    assert_int_equal(cp_list_diag(l)->first_errors[0].line, 5);
    cp_engine_free(e);
}

static void known_errors_tolerated(void **state) {
    fx *f = *state;
    run("cp -r tests/fixtures/snapshot/csl-malformed/us-csl '%s/' && sed -i 's/\"entities\": 3/\"entities\": 3, "
        "\"errors\": 1/' '%s/us-csl/manifest.json'", f->dir, f->dir);
    cp_error err;
    cp_engine *e = load(f->dir, "us-csl", 0, &err);
    assert_non_null(e); /* strict, but the one malformed record is a known one */
    assert_int_equal(cp_engine_list_info(e, 0)->problems, 1);
    cp_engine_free(e);
}

typedef struct prog_log {
    int calls;
    double last;
    int monotonic;
} prog_log;

static void on_prog(void *ctx, const char *stage, double fraction) {
    prog_log *p = ctx;
    assert_non_null(stage);
    if (fraction < p->last) p->monotonic = 0;
    p->last = fraction;
    p->calls++;
}

static void progress_reported(void **state) {
    fx *f = *state;
    prog_log pl = {0, 0.0, 1};
    cp_load_opts o = {0};
    o.lists_dir = f->dir;
    o.progress = on_prog;
    o.progress_ctx = &pl;
    cp_error err;
    cp_engine *e = cp_snapshot_load(&o, CP_SNAP_NO_INDEX, &err);
    assert_non_null(e);
    assert_true(pl.calls >= 3); /* file checked, list loaded, done */
    assert_true(pl.monotonic);
    assert_true(pl.last == 1.0);
    cp_engine_free(e);
}

static void progress_bar_drawn(void **state) {
    (void)state;
    FILE *t = tmpfile();
    assert_non_null(t);
    cp_progress *p = cp_progress_new(t, CP_PROGRESS_AUTO, 0.0);
    cp_progress_update(p, "loading", 0.5); /* not a terminal: silent */
    assert_false(cp_progress_drawn(p));
    cp_progress_free(p);
    p = cp_progress_new(t, CP_PROGRESS_ALWAYS, 0.0);
    cp_progress_update(p, "loaded un-sc", 0.5);
    cp_progress_update(p, "done", 1.0);
    assert_true(cp_progress_drawn(p));
    cp_progress_free(p);
    char buf[512] = {0};
    rewind(t);
    size_t n = fread(buf, 1, sizeof buf - 1, t);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "[###############...............]  50%  loaded un-sc"));
    assert_non_null(strstr(buf, "100%  done"));
    fclose(t);
}

static void manifest_digest_and_write(void **state) {
    fx *f = *state;
    cp_error err;
    cp_manifest *m = cp_manifest_read(f->list, "un-sc", &err);
    assert_non_null(m);
    char hex[65];
    cp_manifest_digest(m, hex);
    assert_string_equal(hex, UN_DIGEST);
    assert_int_equal(m->n_files, 1);
    assert_int_equal(m->files[0].bytes, 2030620);
    assert_int_equal(m->expected_entities, 1003);
    assert_int_equal(m->min_entities, 900);
    assert_int_equal(cp_manifest_set_expected(m, 1010, -1, -1), 0);
    assert_int_equal(cp_manifest_write(m, f->list, &err), 0);
    cp_manifest_free(m);
    m = cp_manifest_read(f->list, "un-sc", &err);
    assert_non_null(m);
    assert_int_equal(m->expected_entities, 1010);
    assert_int_equal(m->min_entities, 900);
    assert_string_equal(m->licence, "UN public information (attribute the UN Security Council)");
    cp_manifest_free(m);
}

static void resolve_dir_order(void **state) {
    fx *f = *state;
    char out[4096];
    const char *origin;
    cp_error err;
    setenv("CHOKEPOINT_DATA", f->dir, 1);
    assert_int_equal(cp_snapshot_resolve_dir("data/lists", out, sizeof out, &origin, &err), 0);
    assert_string_equal(origin, "--data");
    assert_int_equal(cp_snapshot_resolve_dir(NULL, out, sizeof out, &origin, &err), 0);
    assert_string_equal(origin, "$CHOKEPOINT_DATA");
    assert_string_equal(out, f->dir);
    unsetenv("CHOKEPOINT_DATA");
    /* a state dir with an active snapshot */
    char state_dir[400];
    snprintf(state_dir, sizeof state_dir, "%s/state", f->dir);
    run("mkdir -p '%s/snapshots/000001' && ln -s snapshots/000001 '%s/current'", state_dir, state_dir);
    setenv("CHOKEPOINT_STATE", state_dir, 1);
    assert_int_equal(cp_snapshot_resolve_dir(NULL, out, sizeof out, &origin, &err), 0);
    assert_string_equal(origin, "state");
    run("rm '%s/current'", state_dir);
    assert_int_equal(cp_snapshot_resolve_dir(NULL, out, sizeof out, &origin, &err), 0);
    assert_string_equal(origin, "bundled");
    unsetenv("CHOKEPOINT_STATE");
    assert_int_equal(cp_snapshot_resolve_dir("/nonexistent/lists", out, sizeof out, &origin, &err), -1);
    assert_int_equal(err.code, CP_ERR_IO);
}

int main(void) {
    unsetenv("CHOKEPOINT_DATA");
    unsetenv("CHOKEPOINT_STATE");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(un_loads, setup_un, teardown),
        cmocka_unit_test_setup_teardown(missing_file_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(truncated_gz_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(truncated_plain_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(altered_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(longer_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(min_entities_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(bad_manifests_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(unknown_list_refused, setup_un, teardown),
        cmocka_unit_test_setup_teardown(nothing_half_loaded, setup_un, teardown),
        cmocka_unit_test(strict_and_lenient),
        cmocka_unit_test_setup_teardown(known_errors_tolerated, setup_un, teardown),
        cmocka_unit_test_setup_teardown(progress_reported, setup_un, teardown),
        cmocka_unit_test(progress_bar_drawn),
        cmocka_unit_test_setup_teardown(manifest_digest_and_write, setup_un, teardown),
        cmocka_unit_test_setup_teardown(resolve_dir_order, setup_un, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
