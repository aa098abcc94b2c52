/* Unit tests of src/core: CSV reader, arena, string map, error formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/io.h"
#include "core/strmap.h"

static void csv_quotes_and_crlf(void **state) {
    (void)state;
    const char *in = "36,\"AERO \"\"X\"\"\",-0- \r\n\r\n\"multi\nline\",b,\r\n";
    cp_csv r;
    cp_error err;
    cp_csv_init(&r, in, strlen(in), ',', "t.csv");
    assert_int_equal(cp_csv_next(&r, &err), 1);
    assert_int_equal(r.nfields, 3);
    assert_true(cp_slice_eq(r.fields[1], "AERO \"X\""));
    assert_true(cp_slice_eq(r.fields[2], "-0- "));
    assert_int_equal(cp_csv_next(&r, &err), 1);
    assert_int_equal(r.line, 3);
    assert_int_equal(r.nfields, 3);
    assert_true(cp_slice_eq(r.fields[0], "multi\nline"));
    assert_true(cp_slice_eq(r.fields[2], ""));
    assert_int_equal(cp_csv_next(&r, &err), 0);
    cp_csv_free(&r);
}

static void csv_broken_quoting(void **state) {
    (void)state;
    const char *in = "a,\"b\"x,c\nok,1\n\"open,2\n";
    cp_csv r;
    cp_error err;
    cp_csv_init(&r, in, strlen(in), ',', "t.csv");
    assert_int_equal(cp_csv_next(&r, &err), -1);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.offset, 5); /* the 'x' after the closing quote */
    assert_int_equal(cp_csv_next(&r, &err), 1); /* resynchronised on line 2 */
    assert_true(cp_slice_eq(r.fields[0], "ok"));
    assert_int_equal(cp_csv_next(&r, &err), -1); /* unterminated quote */
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "unterminated"));
    cp_csv_free(&r);
}

static void strmap_basic(void **state) {
    (void)state;
    cp_strmap *m = cp_strmap_new();
    char key[16];
    for (uint32_t i = 0; i < 1000; i++) {
        int n = snprintf(key, sizeof key, "k%u", i);
        assert_int_equal(cp_strmap_put(m, key, (size_t)n, i * 3), 0);
    }
    uint32_t v = 0;
    assert_true(cp_strmap_get(m, "k777", 4, &v));
    assert_int_equal(v, 2331);
    assert_false(cp_strmap_get(m, "k1000", 5, &v));
    assert_int_equal(cp_strmap_count(m), 1000);
    cp_strmap_free(m);
}

static void sha256_known(void **state) {
    (void)state;
    char hex[65];
    cp_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void error_format(void **state) {
    (void)state;
    cp_error e;
    char buf[600];
    cp_error_set(&e, CP_ERR_FORMAT, "sdn.csv", 12, 345, "name", "bad %s", "thing");
    assert_string_equal(cp_error_format(&e, buf, sizeof buf), "sdn.csv:12 (byte 345): field name: bad thing");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_quotes_and_crlf), cmocka_unit_test(csv_broken_quoting),
        cmocka_unit_test(strmap_basic),        cmocka_unit_test(sha256_known),
        cmocka_unit_test(error_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
