/* test_name.c: name normalization and scoring (src/text, src/match/name).
 * Golden pairs: the TSV files in tests/cases/names (schema, query, list name, min, max,
 * why); each band was checked by hand against `chokepoint compare --why`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/io.h"
#include "match/name.h"
#include "text/phonetic.h"
#include "text/tables.h"

static cp_normalizer *norm;

static int setup(void **state) {
    (void)state;
    cp_error err;
    norm = cp_normalizer_new(&err);
    return norm ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    cp_normalizer_free(norm);
    return 0;
}

/* Tokens of a prepared name joined by spaces. */
static void toks(const char *name, cp_schema s, char *out, size_t cap) {
    cp_arena *a = cp_arena_new();
    cp_pname p;
    cp_error err;
    assert_int_equal(cp_name_prepare(norm, name, strlen(name), s, a, &p, &err), 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p.n_tokens; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "", p.tokens[i]);
    cp_arena_free(a);
}

static void test_normalize(void **state) {
    (void)state;
    char b[512];
    toks("Straße Øre ŁÓDŹ Æsir Đorđe ıi ﬁx Ｆｕｌｌ", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "strasse ore lodz aesir dorde ii fix full");
    toks("Владимир Владимирович ПУ́ТИН", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "vladimir vladimirovich putin"); /* BGN/PCGN */
    toks("Щукин Юрий", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "shchukin yuriy");
    toks("O'Brien, Al-Qa'ida", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "obrien al qaida");
    toks("A.B.C. Company Ltd.", CP_SCHEMA_ORGANIZATION, b, sizeof b);
    assert_string_equal(b, "abc co llc");
    toks("Ig0r Sech1n", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "igor sechin");
    toks("Dr. Rami Makhlouf", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "rami makhlouf");
    toks("Dr.", CP_SCHEMA_PERSON, b, sizeof b); /* a title alone is kept */
    assert_string_equal(b, "dr");
    toks("ولادیمیر پوٹن", CP_SCHEMA_PERSON, b, sizeof b); /* Urdu FARSI YEH, TTEH folded */
    assert_string_equal(b, "wladimir putn");
    toks("नरेन्द्र मोदी पुटिन", CP_SCHEMA_PERSON, b, sizeof b); /* schwa deletion, not after a conjunct */
    assert_string_equal(b, "narendra modi putin");
    toks("Putyin elnök", CP_SCHEMA_PERSON, b, sizeof b); /* Hungarian title dropped */
    assert_string_equal(b, "putyin");
    toks("", CP_SCHEMA_PERSON, b, sizeof b);
    assert_string_equal(b, "");
    toks("\xff\xfe\xc3", CP_SCHEMA_PERSON, b, sizeof b); /* invalid UTF-8 dropped */
    assert_string_equal(b, "");
}

static void test_keys(void **state) {
    (void)state;
    char k1[72], k2[72];
    const char *same[][2] = {{"vladimir", "wladimir"},   {"vladimir", "volodymyr"}, {"yevgeny", "jevgenij"},
                             {"yevgeniy", "evgenii"},    {"shchukin", "schukin"},   {"zelenskiy", "zelenskyy"},
                             {"khodorkovsky", "hodorkovsky"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        cp_phonetic_key(same[i][0], strlen(same[i][0]), k1, sizeof k1);
        cp_phonetic_key(same[i][1], strlen(same[i][1]), k2, sizeof k2);
        assert_string_equal(k1, k2);
    }
    cp_phonetic_key("2004", 4, k1, sizeof k1);
    assert_string_equal(k1, "2004");
}

/* The tables compiled into the library equal the files in data/text. */
static void test_tables_embedded(void **state) {
    (void)state;
    for (int k = 0; k < CP_TT_N; k++) {
        cp_bytes b;
        cp_error err;
        assert_int_equal(cp_read_file(cp_text_table_srcs[k].file, 0, &b, &err), 0);
        assert_int_equal(b.len, cp_text_table_srcs[k].len);
        assert_memory_equal(b.data, cp_text_table_srcs[k].text, b.len);
        free(b.data);
    }
}

static void test_golden(void **state) {
    (void)state;
    const char *dir = "tests/cases/names";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t n = 0, bad = 0;
    cp_arena *a = cp_arena_new();
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[2048];
        long ln = 0;
        while (fgets(line, sizeof line, f)) {
            ln++;
            line[strcspn(line, "\r\n")] = '\0';
            if (!line[0] || line[0] == '#') continue;
            char *fld[6] = {0};
            char *p = line;
            for (int i = 0; i < 6 && p; i++) {
                fld[i] = p;
                p = strchr(p, '\t');
                if (p) *p++ = '\0';
            }
            if (!fld[4]) fail_msg("%s:%ld: want 5-6 TAB-separated fields", path, ln);
            int s = cp_schema_parse(fld[0]);
            assert_true(s >= 0);
            cp_pname q, c;
            cp_error err;
            assert_int_equal(cp_name_prepare(norm, fld[1], strlen(fld[1]), (cp_schema)s, a, &q, &err), 0);
            assert_int_equal(cp_name_prepare(norm, fld[2], strlen(fld[2]), (cp_schema)s, a, &c, &err), 0);
            cp_name_why why;
            double sc = cp_name_score(&q, &c, (cp_schema)s, &why);
            double lo = atof(fld[3]), hi = atof(fld[4]);
            n++;
            if (sc < lo - 1e-9 || sc > hi + 1e-9) {
                char buf[1024];
                print_error("%s:%ld: %s | %s: score %.4f not in [%s, %s] (%s)\n  %s\n", path, ln, fld[1],
                            fld[2], sc, fld[3], fld[4], fld[5] ? fld[5] : "",
                            cp_name_why_format(&why, &q, &c, buf, sizeof buf));
                bad++;
            }
            assert_true(sc >= 0.0 && sc <= 1.0);
        }
        fclose(f);
    }
    closedir(d);
    cp_arena_free(a);
    assert_true(n >= 30);
    assert_int_equal(bad, 0);
}

/* Scores are symmetric enough and pure: same inputs, same score. */
static void test_pure(void **state) {
    (void)state;
    cp_arena *a = cp_arena_new();
    cp_pname q, c;
    cp_error err;
    assert_int_equal(cp_name_prepare(norm, "Olaf Scholz", 11, CP_SCHEMA_PERSON, a, &q, &err), 0);
    assert_int_equal(cp_name_prepare(norm, "Olaf Schulze", 12, CP_SCHEMA_PERSON, a, &c, &err), 0);
    double s1 = cp_name_score(&q, &c, CP_SCHEMA_PERSON, NULL);
    double s2 = cp_name_score(&q, &c, CP_SCHEMA_PERSON, NULL);
    assert_true(s1 == s2);
    cp_pname e;
    assert_int_equal(cp_name_prepare(norm, "---", 3, CP_SCHEMA_PERSON, a, &e, &err), 0);
    assert_int_equal(e.n_tokens, 0);
    assert_true(cp_name_score(&q, &e, CP_SCHEMA_PERSON, NULL) == 0.0);
    assert_int_equal(cp_name_prepare(norm, NULL, 3, CP_SCHEMA_PERSON, a, &e, &err), -1);
    assert_int_equal(err.code, CP_ERR_ARG);
    cp_arena_free(a);
}

static void test_public_compare(void **state) {
    (void)state;
    cp_error err;
    double s = cp_compare(NULL, CP_SCHEMA_PERSON, "John Smith", "Smith, John", &err);
    assert_true(s >= 0.95 && s < 1.0);
    assert_true(cp_compare(NULL, CP_SCHEMA_PERSON, NULL, "x", &err) < 0);
    assert_int_equal(err.code, CP_ERR_ARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),   cmocka_unit_test(test_keys),
        cmocka_unit_test(test_tables_embedded), cmocka_unit_test(test_golden),
        cmocka_unit_test(test_pure),        cmocka_unit_test(test_public_compare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
