/* test_name_bound.c: the speed paths of src/match/name.c give what the slow
 * paths give.
 *   - cp_name_normalize + cp_name_prepare_text (one transliteration, any
 *     number of schemas) prepare exactly what cp_name_prepare prepares;
 *   - cp_name_score_bound is never below cp_name_score (a search skips a
 *     pair on it), over every query/list-name combination of the golden
 *     names in tests/cases/names, in every schema;
 *   - the bound does skip an unrelated pair.
 */
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
#include "match/name.h"

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

enum { MAX_NAMES = 1024 };

/* The query and list names (fields 2 and 3) of every golden pair. */
static size_t golden_names(char **out) {
    const char *dir = "tests/cases/names";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t n = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[2048];
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = '\0';
            if (!line[0] || line[0] == '#') continue;
            char *t1 = strchr(line, '\t');
            char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
            if (!t3 || n + 2 > MAX_NAMES) continue;
            *t2 = *t3 = '\0';
            out[n++] = strdup(t1 + 1);
            out[n++] = strdup(t2 + 1);
        }
        fclose(f);
    }
    closedir(d);
    return n;
}

static int same_pname(const cp_pname *a, const cp_pname *b) {
    if (a->n_tokens != b->n_tokens || a->n_strong != b->n_strong || a->script != b->script ||
        a->joined_len != b->joined_len || memcmp(a->joined, b->joined, a->joined_len) != 0)
        return 0;
    for (size_t i = 0; i < a->n_tokens; i++)
        if (a->tok_len[i] != b->tok_len[i] || a->key_len[i] != b->key_len[i] || a->flags[i] != b->flags[i] ||
            strcmp(a->tokens[i], b->tokens[i]) != 0 || strcmp(a->keys[i], b->keys[i]) != 0)
            return 0;
    return 1;
}

static void test_prepare_text_same(void **state) {
    (void)state;
    char *names[MAX_NAMES];
    size_t n = golden_names(names);
    assert_true(n >= 60);
    cp_arena *a = cp_arena_new();
    cp_error err;
    for (size_t i = 0; i < n; i++) {
        cp_name_text t;
        assert_int_equal(cp_name_normalize(norm, names[i], strlen(names[i]), &t, &err), 0);
        /* schemas in an order that reuses the cached comma position */
        for (int s = CP_SCHEMA_AIRCRAFT; s >= CP_SCHEMA_ANY; s--) {
            cp_pname p1, p2;
            assert_int_equal(cp_name_prepare(norm, names[i], strlen(names[i]), (cp_schema)s, a, &p1, &err), 0);
            assert_int_equal(cp_name_prepare_text(norm, &t, (cp_schema)s, a, &p2, &err), 0);
            if (!same_pname(&p1, &p2)) fail_msg("prepare_text differs: \"%s\" schema %d", names[i], s);
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    cp_arena_free(a);
}

static void test_bound_above_score(void **state) {
    (void)state;
    char *names[MAX_NAMES];
    size_t n = golden_names(names);
    cp_arena *a = cp_arena_new();
    cp_error err;
    static cp_pname p[5][MAX_NAMES];
    for (int s = 0; s < 5; s++)
        for (size_t i = 0; i < n; i++)
            assert_int_equal(cp_name_prepare(norm, names[i], strlen(names[i]), (cp_schema)s, a, &p[s][i], &err), 0);
    size_t pairs = 0, below = 0;
    static cp_name_hists hq;
    for (int s = 0; s < 5; s++)
        for (size_t i = 0; i < n; i++) {
            cp_name_hists_of(&p[s][i], &hq);
            for (size_t j = 0; j < n; j++) {
                double sc = cp_name_score(&p[s][i], &p[s][j], (cp_schema)s, NULL);
                double ub = cp_name_score_bound(&p[s][i], &hq, &p[s][j], (cp_schema)s, 2.0);
                double ub2 = cp_name_score_bound(&p[s][i], NULL, &p[s][j], (cp_schema)s, 0.8);
                if (sc > ub + 1e-9 || sc > ub2 + 1e-9)
                    fail_msg("bound below score: \"%s\" | \"%s\" schema %d: score %.6f bound %.6f / %.6f",
                             names[i], names[j], s, sc, ub, ub2);
                pairs++;
                below += ub < 0.8;
            }
        }
    /* most combinations are unrelated names: the bound must tell many apart */
    assert_true(pairs >= 5 * 60 * 60);
    assert_true(below * 4 >= pairs);
    for (size_t i = 0; i < n; i++) free(names[i]);
    cp_arena_free(a);
}

/* Vladimir Putin vs Kim Jong Un (person; tokens vladimir putin / kim jong
 * un, phonetic keys fltmr btn / km ang an): no pair may align. Spelling:
 * vladimir/kim letter counts differ by 7 (>= 4 edits, budget 2), vladimir/
 * jong and vladimir/un lengths differ by 4 and 6, putin/kim by 6 letters
 * (3 edits, budget 2), putin/jong by 7 (4 edits), putin/un lengths by 3.
 * Keys: ang vs btn differ by 4 letters (2 edits, budget 1), ang vs fltmr in
 * length by 2; km and an are too short for the near-key rule. So every token
 * stays unmatched: u = 2.6 + 2.0, v = 1.6 + 1.8 + 1.4 (weights 1 + 0.2 len),
 * penalty >= 3 sqrt(4.6 x 4.8) / 9.4 = 1.50 > 1; the joined names
 * (13 vs 9 letters) differ in length beyond the budget of 3: bound 0. */
static void test_bound_unrelated(void **state) {
    (void)state;
    cp_arena *a = cp_arena_new();
    cp_error err;
    cp_pname q, c;
    assert_int_equal(cp_name_prepare(norm, "Vladimir Putin", 14, CP_SCHEMA_PERSON, a, &q, &err), 0);
    assert_int_equal(cp_name_prepare(norm, "Kim Jong Un", 11, CP_SCHEMA_PERSON, a, &c, &err), 0);
    double ub = cp_name_score_bound(&q, NULL, &c, CP_SCHEMA_PERSON, 2.0);
    assert_true(ub == 0.0);
    assert_true(cp_name_score(&q, &c, CP_SCHEMA_PERSON, NULL) <= ub + 1e-9);
    /* with a cut-off the bound reaches, the early answer is 1.0 */
    assert_true(cp_name_score_bound(&q, NULL, &q, CP_SCHEMA_PERSON, 0.8) == 1.0);
    cp_arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepare_text_same),
        cmocka_unit_test(test_bound_above_score),
        cmocka_unit_test(test_bound_unrelated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
