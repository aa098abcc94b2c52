/* test_bad_input.c: regressions found by adversarial testing (docs/robustness.md).
 * Each test feeds one hostile input to a library entry point and checks that
 * it neither fails with an internal error nor crashes (run under ASan+UBSan
 * with -DCP_SANITIZE=ON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "match/name.h"
#include "match/search.h"
#include "msg/detect.h"
#include "msg/parse.h"
#include "screen/policy.h"
#include "screen/screen.h"

/* U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: 3 UTF-8 bytes that ICU
 * expands to 18 letters. A name made of it filled the fixed UTF-16 buffer of
 * the transliterator (U_BUFFER_OVERFLOW_ERROR) and the whole search failed.
 * Expected: the name normalizes (the expansion is cut at the buffer), no error. */
static void test_expanding_ligature_flood(void **state) {
    (void)state;
    cp_error err;
    cp_normalizer *norm = cp_normalizer_new(&err);
    assert_non_null(norm);
    size_t n = 1365;
    char *s = malloc(n * 3);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) memcpy(s + 3 * i, "\xEF\xB7\xBA", 3);
    cp_arena *a = cp_arena_new();
    cp_pname p;
    memset(&err, 0, sizeof err);
    int rc = cp_name_prepare(norm, s, n * 3, CP_SCHEMA_PERSON, a, &p, &err);
    if (rc != 0) fprintf(stderr, "error: %s\n", err.message);
    assert_int_equal(rc, 0);
    assert_true(p.n_tokens > 0);
    cp_arena_free(a);
    free(s);
    cp_normalizer_free(norm);
}

/* `chokepoint search --dob 2024-02-30` was accepted (day checked only
 * against 31). Query dates must exist; listed dates (allow_range) are kept as
 * published. */
static void test_query_dob_calendar(void **state) {
    (void)state;
    cp_pdate d;
    assert_int_equal(cp_pdate_parse("2024-02-30", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("2024-04-31", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("2023-02-29", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("1900-02-29", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("2024-13-45", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("2024-02-29", 10, 0, &d), 0);
    assert_int_equal(cp_pdate_parse("2000-02-29", 10, 0, &d), 0);
    assert_int_equal(cp_pdate_parse("1962-11-23", 10, 0, &d), 0);
    assert_int_equal(cp_pdate_parse("1970-02-30", 10, 1, &d), 0); /* listed date: as published */
}

/* `chokepoint compare A C` printed "-0.0000": base 0 times (1 - penalties > 1)
 * is negative zero, which `score < 0` does not clamp. Scores are in [0,1]. */
static void test_no_negative_zero_score(void **state) {
    (void)state;
    cp_error err;
    cp_comparer *c = cp_comparer_new(&err);
    assert_non_null(c);
    double sc = cp_comparer_score(c, CP_SCHEMA_ANY, "A", 1, "C", 1, NULL, 0, &err);
    assert_true(sc == 0.0);
    assert_false(signbit(sc));
    sc = cp_comparer_score(c, CP_SCHEMA_ANY, "Ivan Petrov", 11, "Zhang Wei", 9, NULL, 0, &err);
    assert_false(signbit(sc));
    cp_comparer_free(c);
}

/* A NUL byte before a party name: the MT and CSV parsers copied fields as C
 * strings, so "X<NUL>NICOLAS MADURO MOROS" was screened as "X" and the
 * payment PASSed. No payment format allows NUL (SWIFT X character set, RFC
 * 4180 TEXTDATA, JSON without \u0000, XML 1.0 Char): the message is an error
 * naming the byte offset. */
static void test_nul_in_message_rejected(void **state) {
    (void)state;
    static const char mt[] = "{1:F01COBADEFFAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\n"
                             ":20:PAY-1\n:23B:CRED\n:32A:240503EUR1,00\n:50K:/DE20700500000001234567\nA\n"
                             ":59:/AT611904300234573201\nX\0NICOLAS MADURO MOROS\n:71A:SHA\n-}";
    static const char csv[] = "id,creditor_name\nTX-2,X\0NICOLAS MADURO MOROS\n";
    struct { cp_msg_format f; const char *d; size_t len; long off; } cases[] = {
        {CP_MSG_MT, mt, sizeof mt - 1, (long)(strstr(mt, "3201\nX") - mt + 6)},
        {CP_MSG_UNKNOWN, mt, sizeof mt - 1, (long)(strstr(mt, "3201\nX") - mt + 6)},
        {CP_MSG_CSV, csv, sizeof csv - 1, 23},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cp_request_list l;
        cp_request_list_init(&l);
        cp_error err;
        memset(&err, 0, sizeof err);
        assert_int_equal(cp_msg_parse_all(cases[i].f, cases[i].d, cases[i].len, NULL, &l, &err), -1);
        assert_int_equal(l.n, 0);
        assert_int_equal(err.offset, cases[i].off);
        assert_non_null(strstr(err.message, "NUL"));
        cp_request_list_free(&l);
    }
}

/* Party hits of one screening: 1 if `entity` (a list entity id) was hit. */
static int party_hit(const cp_screen_result *r, const char *entity) {
    for (size_t i = 0; i < r->n_hits; i++)
        if (r->hits[i].kind == CP_HIT_PARTY && r->hits[i].entity_id && !strcmp(r->hits[i].entity_id, entity))
            return 1;
    return 0;
}

/* Screens one JSON message against the csl-malformed fixture snapshot
 * (tests/fixtures/snapshot/README.md; loaded lenient: 3 entities, among them
 * us-csl 17013 "VTB BANK PUBLIC JOINT STOCK COMPANY", Sectoral Sanctions
 * Identifications List). Returns 1 if that entity was hit; *dec the decision. */
static int screens_vtb(const char *json, cp_decision *dec) {
    cp_error err = {0};
    cp_load_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.lists_dir = "tests/fixtures/snapshot/csl-malformed";
    lo.lenient = 1;
    cp_engine *e = cp_engine_load(&lo, &err);
    if (!e) fprintf(stderr, "load: %s\n", err.message);
    assert_non_null(e);
    cp_policy *p = cp_policy_load("data/policy/default.policy", &err);
    assert_non_null(p);
    cp_screener *s = cp_screener_new(e, p, "data", &err);
    assert_non_null(s);
    cp_screen_batch b = {0};
    assert_int_equal(cp_screen_message(s, json, strlen(json), "json", "t.json", &b, &err), 0);
    assert_int_equal(b.n, 1);
    int hit = party_hit(b.items[0], "us-csl:17013");
    *dec = b.items[0]->decision;
    cp_screen_batch_clear(&b);
    cp_screener_free(s);
    cp_policy_free(p);
    cp_engine_free(e);
    return hit;
}

/* A listed name after a long prefix: names were cut at 1024 bytes / 32
 * tokens and free-text lines longer than 140 bytes were not screened as
 * names, so padding hid the party and the payment PASSed. */
static void test_long_name_and_text_padding(void **state) {
    (void)state;
    static char buf[8192];
    cp_decision dec;
    const char *vtb = "VTB BANK PUBLIC JOINT STOCK COMPANY";
    /* control: the plain name is hit */
    snprintf(buf, sizeof buf, "[{\"id\":\"A\",\"debtor\":{\"name\":\"%s\"}}]", vtb);
    assert_int_equal(screens_vtb(buf, &dec), 1);
    /* 1100 bytes of one word before the name */
    char pad[1101];
    memset(pad, 'X', 1100);
    pad[1100] = 0;
    snprintf(buf, sizeof buf, "[{\"id\":\"A\",\"debtor\":{\"name\":\"%s %s\"}}]", pad, vtb);
    assert_int_equal(screens_vtb(buf, &dec), 1);
    /* 300 short words before the name (beyond the token limit) */
    size_t k = 0;
    for (int i = 0; i < 300; i++) k += (size_t)snprintf(pad + k, sizeof pad - k, "AB ");
    snprintf(buf, sizeof buf, "[{\"id\":\"A\",\"debtor\":{\"name\":\"%s%s\"}}]", pad, vtb);
    assert_int_equal(screens_vtb(buf, &dec), 1);
    /* the name at the end of a 3600-byte remittance line */
    k = 0;
    buf[0] = 0;
    k += (size_t)snprintf(buf + k, sizeof buf - k, "[{\"id\":\"A\",\"debtor\":{\"name\":\"Studio Lindqvist AB\"},\"remittance\":\"");
    for (int i = 0; i < 300; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "lorem ipsum ");
    snprintf(buf + k, sizeof buf - k, "paid to %s\"}]", vtb);
    assert_int_equal(screens_vtb(buf, &dec), 1);
    assert_true(dec != CP_PASS);
}

/* Free text: only the first 12 lines were searched for names, so a listed
 * name on line 14 of a remittance PASSed. Now every line up to 16 KiB into
 * the field; lines after that give a malformed_message REVIEW hit. */
static void test_many_text_lines(void **state) {
    (void)state;
    static char buf[24576];
    cp_decision dec;
    size_t k = (size_t)snprintf(buf, sizeof buf, "[{\"id\":\"A\",\"debtor\":{\"name\":\"Studio Lindqvist AB\"},\"remittance\":\"");
    for (int i = 0; i < 13; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "invoice %d for services\\n", i + 1);
    snprintf(buf + k, sizeof buf - k, "VTB BANK PUBLIC JOINT STOCK COMPANY\"}]");
    assert_int_equal(screens_vtb(buf, &dec), 1);
    assert_true(dec != CP_PASS);
    /* 17 KiB of lines before the name: not searched, but REVIEW, never PASS */
    k = (size_t)snprintf(buf, sizeof buf, "[{\"id\":\"A\",\"debtor\":{\"name\":\"Studio Lindqvist AB\"},\"remittance\":\"");
    for (int i = 0; i < 800; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "invoice %04d services\\n", i);
    snprintf(buf + k, sizeof buf - k, "VTB BANK PUBLIC JOINT STOCK COMPANY\"}]");
    assert_true(k > 17000);
    screens_vtb(buf, &dec);
    assert_true(dec != CP_PASS);
}

/* 200 000 JSON transactions in one file said "out of memory" (the request
 * list stops at CP_MSG_MAX_TRANSACTIONS): the error names the limit. CSV
 * rows likewise. */
static void test_too_many_transactions(void **state) {
    (void)state;
    size_t n = (size_t)CP_MSG_MAX_TRANSACTIONS + 1;
    const char *one = "{\"id\":\"A\",\"creditor\":{\"name\":\"X\"}},";
    size_t ol = strlen(one);
    char *buf = malloc(n * ol + 2);
    assert_non_null(buf);
    buf[0] = '[';
    for (size_t i = 0; i < n; i++) memcpy(buf + 1 + i * ol, one, ol);
    buf[n * ol] = ']'; /* replaces the last comma */
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(cp_msg_parse_all(CP_MSG_UNKNOWN, buf, n * ol + 1, NULL, &l, &err), -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_non_null(strstr(err.message, "100001 transactions in one message: more than the maximum of 100000"));
    assert_int_equal(l.n, 0);
    free(buf);
    const char *row = "A,X\n";
    buf = malloc(32 + n * 4); /* header (17 bytes + NUL) + rows */
    assert_non_null(buf);
    size_t k = (size_t)sprintf(buf, "id,creditor_name\n");
    for (size_t i = 0; i < n; i++) memcpy(buf + k, row, 4), k += 4;
    memset(&err, 0, sizeof err);
    assert_int_equal(cp_msg_parse_all(CP_MSG_UNKNOWN, buf, k, NULL, &l, &err), -1);
    assert_non_null(strstr(err.message, "more than 100000 transactions"));
    assert_int_equal(err.line, 100002);
    free(buf);
    cp_request_list_free(&l);
}

/* An MT with only block 4 was detected as JSON ("broken JSON"): it is an MT,
 * and the error names the missing blocks 1 and 2. */
static void test_mt_without_headers(void **state) {
    (void)state;
    static const char b4[] = "{4:\n:20:PAY-1\n:59:/AT611904300234573201\nNICOLAS MADURO MOROS\n-}";
    static const char b2[] = "{2:I103DEUTDEFFXXXXN}{4:\n:20:PAY-1\n-}";
    assert_int_equal(cp_msg_detect(b4, sizeof b4 - 1), CP_MSG_MT);
    assert_int_equal(cp_msg_detect(b2, sizeof b2 - 1), CP_MSG_MT);
    assert_int_equal(cp_msg_detect("{\"id\":1}", 8), CP_MSG_JSON);
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(cp_msg_parse_all(CP_MSG_UNKNOWN, b4, sizeof b4 - 1, NULL, &l, &err), -1);
    assert_string_equal(err.field, "block 1");
    assert_int_equal(err.offset, 0);
    assert_non_null(strstr(err.message, "basic header (block 1) and application header (block 2) are missing"));
    memset(&err, 0, sizeof err);
    assert_int_equal(cp_msg_parse_all(CP_MSG_UNKNOWN, b2, sizeof b2 - 1, NULL, &l, &err), -1);
    assert_non_null(strstr(err.message, "basic header (block 1) is missing"));
    cp_request_list_free(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expanding_ligature_flood),
        cmocka_unit_test(test_query_dob_calendar),
        cmocka_unit_test(test_no_negative_zero_score),
        cmocka_unit_test(test_nul_in_message_rejected),
        cmocka_unit_test(test_long_name_and_text_padding),
        cmocka_unit_test(test_too_many_transactions),
        cmocka_unit_test(test_many_text_lines),
        cmocka_unit_test(test_mt_without_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
