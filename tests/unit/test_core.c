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
#include "core/utf8.h"

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

/* RFC 3629 / Unicode table 3-7 boundaries, checked by hand. */
static void utf8_validity(void **state) {
    (void)state;
    assert_int_equal(cp_utf8_invalid_at("Путин", 10), 10);               /* 5 x 2-byte Cyrillic */
    assert_int_equal(cp_utf8_invalid_at("ab\xC0\xAF", 4), 2);           /* overlong '/' */
    assert_int_equal(cp_utf8_invalid_at("\xE0\x9F\xBF", 3), 0);          /* overlong 3-byte */
    assert_int_equal(cp_utf8_invalid_at("x\xED\xA0\x80", 4), 1);         /* UTF-16 surrogate D800 */
    assert_int_equal(cp_utf8_invalid_at("\xF4\x90\x80\x80", 4), 0);     /* above U+10FFFF */
    assert_int_equal(cp_utf8_invalid_at("\xF0\x9F\x98\x80!", 5), 5);    /* U+1F600 */
    assert_int_equal(cp_utf8_invalid_at("\xE2\x82", 2), 0);              /* truncated */
    assert_int_equal(cp_utf8_seq_len("\xEF\xBF\xBF", 3), 3);            /* U+FFFF */
    assert_int_equal(cp_utf8_seq_len("A", 1), 0);
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
        cmocka_unit_test(error_format), cmocka_unit_test(utf8_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
