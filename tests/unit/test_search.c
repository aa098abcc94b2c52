/* Tests of the candidate index and cp_search on a small engine built by hand
 * from real list records (source rows quoted below), plus the date and
 * batch-line helpers. Scores depend on the name scorer (src/match/name.c),
 * so the tests assert ranks, kinds and relations, not exact scores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "index/index.h"
#include "match/search.h"

static long add_ent(cp_list *l, const char *sid, cp_schema sc) {
    long e = cp_list_add_entity(l, sid, strlen(sid), sc);
    assert_true(e >= 0);
    return e;
}
static void name(cp_list *l, long e, const char *t, cp_name_kind k) {
    assert_int_equal(cp_list_add_name(l, e, t, strlen(t), k, NULL), 0);
}
static void fact(cp_list *l, long e, cp_fact_type t, const char *v, const char *d) {
    assert_int_equal(cp_list_add_fact(l, e, t, v, strlen(v), d), 0);
}
static void prog(cp_list *l, long e, const char *p) {
    assert_int_equal(cp_list_add_program(l, e, p, strlen(p)), 0);
}

/* The engine: two lists, built as the loaders would. */
static cp_engine *make_engine(void) {
    cp_engine *e = calloc(1, sizeof *e);
    assert_non_null(e);
    e->lists = calloc(2, sizeof *e->lists);
    e->n_lists = 2;

    /* OFAC SDN 2024-05 sdn.csv rows:
     * 22790,"MADURO MOROS, Nicolas","individual","VENEZUELA] [IRAN-CON-ARMS-EO",...,"DOB 23 Nov 1962;
     *   POB Caracas, Venezuela; citizen Venezuela; Gender Male; Cedula No. 5892464 (Venezuela); ..."
     * 26946,"MADURO GUERRA, Nicolas Ernesto","individual","VENEZUELA",...,"DOB 21 Jun 1990; Gender Male;
     *   Cedula No. 19398759 (Venezuela)."
     * 25079,"FLORES DE MADURO, Cilia Adela","individual","VENEZUELA",...,"DOB 15 Oct 1956; ..."
     * 19147,"FELIX B. MADURO S.A.",-0- ,"SDNTK",...,"RUC # 811226-1-498041 (Panama); ..."
     * 15036,"ARTAVIL","vessel","IRAN",...,"... Vessel Registration Identification IMO 9187629;
     *   MMSI 572469210; f.k.a. 'ALPHA'; Linked To: NATIONAL IRANIAN TANKER COMPANY." */
    cp_list *o = cp_list_new("us-ofac-sdn");
    assert_non_null(o);
    long m = add_ent(o, "22790", CP_SCHEMA_PERSON);
    name(o, m, "MADURO MOROS, Nicolas", CP_NAME_PRIMARY);
    prog(o, m, "VENEZUELA");
    prog(o, m, "IRAN-CON-ARMS-EO");
    fact(o, m, CP_FACT_DOB, "1962-11-23", NULL);
    fact(o, m, CP_FACT_CITIZENSHIP, "Venezuela", NULL);
    fact(o, m, CP_FACT_NATIONAL_ID, "5892464", "Cedula No.");
    long g = add_ent(o, "26946", CP_SCHEMA_PERSON);
    name(o, g, "MADURO GUERRA, Nicolas Ernesto", CP_NAME_PRIMARY);
    prog(o, g, "VENEZUELA");
    fact(o, g, CP_FACT_DOB, "1990-06-21", NULL);
    fact(o, g, CP_FACT_NATIONAL_ID, "19398759", "Cedula No.");
    long c = add_ent(o, "25079", CP_SCHEMA_PERSON);
    name(o, c, "FLORES DE MADURO, Cilia Adela", CP_NAME_PRIMARY);
    fact(o, c, CP_FACT_DOB, "1956-10-15", NULL);
    long f = add_ent(o, "19147", CP_SCHEMA_ORGANIZATION);
    name(o, f, "FELIX B. MADURO S.A.", CP_NAME_PRIMARY);
    fact(o, f, CP_FACT_TAX_ID, "811226-1-498041", "RUC #");
    long v = add_ent(o, "15036", CP_SCHEMA_VESSEL);
    name(o, v, "ARTAVIL", CP_NAME_PRIMARY);
    name(o, v, "ALPHA", CP_NAME_FORMER);
    prog(o, v, "IRAN");
    fact(o, v, CP_FACT_IMO, "IMO 9187629", NULL);
    fact(o, v, CP_FACT_MMSI, "572469210", NULL);
    assert_int_equal(cp_list_finalize(o), 0);
    cp_list_set_meta(o, "OFAC SDN", "OFAC", "2024-05-03", NULL);

    /* UN consolidated.xml (2026-02-27), REFERENCE_NUMBER CDi.004:
     * FIRST_NAME INNOCENT, SECOND_NAME KAINA; INDIVIDUAL_ALIAS QUALITY Good "Colonel Innocent KAINA",
     * QUALITY Low "India Queen"; DOB NOTE "Nov. 1973"; UN_LIST_TYPE DRC. */
    cp_list *u = cp_list_new("un-sc");
    assert_non_null(u);
    long k = add_ent(u, "CDi.004", CP_SCHEMA_PERSON);
    name(u, k, "INNOCENT KAINA", CP_NAME_PRIMARY);
    name(u, k, "Colonel Innocent KAINA", CP_NAME_ALIAS);
    name(u, k, "India Queen", CP_NAME_WEAK_ALIAS);
    prog(u, k, "DRC");
    fact(u, k, CP_FACT_DOB, "1973-11", NULL);
    assert_int_equal(cp_list_finalize(u), 0);
    cp_list_set_meta(u, "UN SC", "UN", "2026-02-27", NULL);

    e->lists[0] = o;
    e->lists[1] = u;
    cp_error err;
    e->index = cp_index_build(e, &err);
    assert_non_null(e->index);
    return e;
}

static void free_engine(cp_engine *e) {
    cp_index_free(e->index);
    for (size_t i = 0; i < e->n_lists; i++) cp_list_free(e->lists[i]);
    free(e->lists);
    free(e);
}

static cp_engine *g_e;
static cp_searcher *g_s;

static int setup(void **state) {
    (void)state;
    g_e = make_engine();
    g_s = cp_searcher_new(g_e, NULL);
    return g_s ? 0 : -1;
}
static int teardown(void **state) {
    (void)state;
    cp_searcher_free(g_s);
    free_engine(g_e);
    return 0;
}

static cp_results *run(const char *nm, cp_schema sc, const char *dob, const char *id) {
    cp_query q;
    memset(&q, 0, sizeof q);
    q.name = nm;
    q.schema = sc;
    q.dob = dob;
    q.id = id;
    q.min_score = 1e-6;
    cp_error err;
    cp_results *r = cp_searcher_search(g_s, &q, &err);
    assert_non_null(r);
    return r;
}

static const cp_result *find(const cp_results *r, const char *eid) {
    for (size_t i = 0; i < cp_results_count(r); i++)
        if (strcmp(cp_results_get(r, i)->entity_id, eid) == 0) return cp_results_get(r, i);
    return NULL;
}

static int expl_has(const cp_result *it, const char *needle) {
    for (size_t i = 0; i < it->n_explanation; i++)
        if (strstr(it->explanation[i], needle)) return 1;
    return 0;
}

static void test_index_stats(void **state) {
    (void)state;
    cp_index_stats st;
    cp_index_get_stats(g_e->index, &st);
    assert_int_equal(st.names, 9);    /* us-ofac-sdn: 1+1+1+1+2 names; un-sc: 3 */
    assert_int_equal(st.entities, 6);
    assert_true(st.id_keys >= 5);     /* 5892464, 19398759, 8112261498041, 9187629, 572469210 */
}

static void test_maduro_first(void **state) {
    (void)state;
    cp_results *r = run("Nicolas Maduro", CP_SCHEMA_ANY, NULL, NULL);
    assert_true(cp_results_count(r) >= 2);
    const cp_result *top = cp_results_get(r, 0);
    assert_string_equal(top->entity_id, "us-ofac-sdn:22790");
    assert_string_equal(top->list, "us-ofac-sdn");
    assert_string_equal(top->source_id, "22790");
    assert_string_equal(top->name, "MADURO MOROS, Nicolas");
    assert_int_equal(top->schema, CP_SCHEMA_PERSON);
    assert_int_equal(top->n_programs, 2);
    assert_true(top->score > 0 && top->score < 1.0); /* "Nicolas Maduro" is not the full name */
    /* one result per entity, best first */
    for (size_t i = 1; i < cp_results_count(r); i++) {
        assert_true(cp_results_get(r, i - 1)->score >= cp_results_get(r, i)->score);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(cp_results_get(r, i)->entity_id, cp_results_get(r, j)->entity_id);
    }
    assert_true(expl_has(top, "name: \"Nicolas Maduro\""));
    cp_results_free(r);
}

static void test_exact_full_name(void **state) {
    (void)state;
    cp_results *r = run("Nicolas MADURO MOROS", CP_SCHEMA_PERSON, NULL, NULL);
    assert_string_equal(cp_results_get(r, 0)->entity_id, "us-ofac-sdn:22790");
    assert_true(cp_results_get(r, 0)->match);
    cp_results_free(r);
}

static void test_typo_and_translit(void **state) {
    (void)state;
    const char *qs[] = {"Nicolas Madurro Moros", "Nikolas Maduro Moros", "Nicolas Maduromoros"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        cp_results *r = run(qs[i], CP_SCHEMA_ANY, NULL, NULL);
        assert_true(cp_results_count(r) >= 1);
        assert_string_equal(cp_results_get(r, 0)->entity_id, "us-ofac-sdn:22790");
        cp_results_free(r);
    }
}

static void test_weak_alias_exact_only(void **state) {
    (void)state;
    cp_results *r = run("India Queen", CP_SCHEMA_ANY, NULL, NULL);
    const cp_result *it = find(r, "un-sc:CDi.004");
    assert_non_null(it);
    assert_int_equal(it->matched_name_kind, CP_NAME_WEAK_ALIAS);
    assert_string_equal(it->matched_name, "India Queen");
    assert_true(expl_has(it, "weak alias"));
    cp_results_free(r);
    /* one letter off: a weak alias does not count */
    r = run("Indian Queen", CP_SCHEMA_ANY, NULL, NULL);
    it = find(r, "un-sc:CDi.004");
    assert_true(it == NULL || it->matched_name_kind != CP_NAME_WEAK_ALIAS);
    cp_results_free(r);
    /* part of it: no (even though person rules drop "Queen" as a title) */
    r = run("India", CP_SCHEMA_PERSON, NULL, NULL);
    it = find(r, "un-sc:CDi.004");
    assert_true(it == NULL || it->matched_name_kind != CP_NAME_WEAK_ALIAS);
    cp_results_free(r);
}

static void test_identifier(void **state) {
    (void)state;
    /* id only: found, shown as an identifier match, never 1.0 */
    cp_results *r = run(NULL, CP_SCHEMA_ANY, NULL, "IMO 9187629");
    assert_int_equal(cp_results_count(r), 1);
    const cp_result *it = cp_results_get(r, 0);
    assert_string_equal(it->entity_id, "us-ofac-sdn:15036");
    assert_true(it->score < 1.0);
    assert_true(expl_has(it, "identifier"));
    cp_results_free(r);
    /* same id written differently, with the right name: stronger than the name alone */
    cp_results *a = run("ARTAVIL", CP_SCHEMA_VESSEL, NULL, NULL);
    cp_results *b = run("ARTAVIL", CP_SCHEMA_VESSEL, NULL, "9187629");
    assert_string_equal(cp_results_get(b, 0)->entity_id, "us-ofac-sdn:15036");
    assert_true(cp_results_get(b, 0)->score >= cp_results_get(a, 0)->score);
    cp_results_free(a);
    cp_results_free(b);
    /* the id with a contradicting name: alerted, and said so */
    r = run("Cilia Flores", CP_SCHEMA_ANY, NULL, "5892464");
    it = find(r, "us-ofac-sdn:22790");
    assert_non_null(it);
    assert_true(it->match);
    assert_true(it->score < 1.0);
    assert_true(expl_has(it, "contradicts"));
    cp_results_free(r);
}

static void test_dob_evidence(void **state) {
    (void)state;
    cp_results *r0 = run("Nicolas Maduro", CP_SCHEMA_PERSON, NULL, NULL);
    cp_results *r1 = run("Nicolas Maduro", CP_SCHEMA_PERSON, "1962-11-23", NULL);
    cp_results *r2 = run("Nicolas Maduro", CP_SCHEMA_PERSON, "1990", NULL);
    const cp_result *a = find(r0, "us-ofac-sdn:22790"), *b = find(r1, "us-ofac-sdn:22790");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(b->score > a->score);
    assert_true(expl_has(b, "exact match"));
    /* born 1990: the son (26946, DOB 21 Jun 1990) gains, the father loses */
    const cp_result *c = find(r2, "us-ofac-sdn:22790"), *d = find(r2, "us-ofac-sdn:26946");
    assert_non_null(d);
    assert_true(c == NULL || c->score < a->score);
    assert_true(expl_has(d, "same year"));
    cp_results_free(r0);
    cp_results_free(r1);
    cp_results_free(r2);
}

static void test_schema_conflict(void **state) {
    (void)state;
    cp_results *a = run("Felix B. Maduro", CP_SCHEMA_ANY, NULL, NULL);
    cp_results *b = run("Felix B. Maduro", CP_SCHEMA_VESSEL, NULL, NULL);
    const cp_result *x = find(a, "us-ofac-sdn:19147"), *y = find(b, "us-ofac-sdn:19147");
    assert_non_null(x);
    assert_true(y == NULL || y->score < x->score);
    if (y) assert_true(expl_has(y, "conflict"));
    cp_results_free(a);
    cp_results_free(b);
}

static void test_list_filter_and_errors(void **state) {
    (void)state;
    const char *only_un[] = {"un-sc"};
    cp_query q;
    memset(&q, 0, sizeof q);
    q.name = "Nicolas Maduro";
    q.lists = only_un;
    q.n_lists = 1;
    q.min_score = 1e-6;
    cp_error err;
    cp_results *r = cp_searcher_search(g_s, &q, &err);
    assert_non_null(r);
    for (size_t i = 0; i < cp_results_count(r); i++) assert_string_equal(cp_results_get(r, i)->list, "un-sc");
    cp_results_free(r);
    const char *bad[] = {"no-such-list"};
    q.lists = bad;
    assert_null(cp_searcher_search(g_s, &q, &err));
    assert_int_equal(err.code, CP_ERR_NOTFOUND);
    q.lists = NULL;
    q.n_lists = 0;
    q.dob = "1962-13-01";
    assert_null(cp_searcher_search(g_s, &q, &err));
    assert_int_equal(err.code, CP_ERR_ARG);
    memset(&q, 0, sizeof q);
    assert_null(cp_searcher_search(g_s, &q, &err)); /* no name, no id */
    assert_int_equal(err.code, CP_ERR_ARG);
    /* a name without letters: no results, no error */
    q.name = "!!! ???";
    r = cp_searcher_search(g_s, &q, &err);
    assert_non_null(r);
    assert_int_equal(cp_results_count(r), 0);
    cp_results_free(r);
}

static void test_json_shape(void **state) {
    (void)state;
    cp_results *r = run("Nicolas Maduro", CP_SCHEMA_ANY, NULL, NULL);
    char *js = cp_results_to_json(r, 0);
    assert_non_null(js);
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    assert_non_null(root);
    assert_true(json_is_object(json_object_get(root, "query")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "query"), "name")),
                        "Nicolas Maduro");
    json_t *lists = json_object_get(root, "lists");
    assert_int_equal(json_array_size(lists), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(lists, 0), "version")), "2024-05-03");
    json_t *res = json_object_get(root, "results");
    assert_true(json_array_size(res) >= 1);
    json_t *o = json_array_get(res, 0);
    const char *keys[] = {"entity_id", "list", "source_id", "schema", "name", "matched_name",
                          "matched_name_kind", "score", "match", "programs", "explanation"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) assert_non_null(json_object_get(o, keys[i]));
    assert_string_equal(json_string_value(json_object_get(o, "entity_id")), "us-ofac-sdn:22790");
    assert_true(json_is_array(json_object_get(o, "programs")));
    assert_true(json_is_boolean(json_object_get(o, "match")));
    json_decref(root);
    free(js);
    cp_results_free(r);
}

typedef struct thr { int ok; } thr;
static void *worker(void *p) {
    thr *t = p;
    cp_searcher *s = cp_searcher_new(g_e, NULL);
    t->ok = s != NULL;
    for (int i = 0; s && i < 200; i++) {
        cp_query q;
        memset(&q, 0, sizeof q);
        q.name = (i & 1) ? "Nicolas Maduro" : "ARTAVIL";
        cp_results *r = cp_searcher_search(s, &q, NULL);
        const char *want = (i & 1) ? "us-ofac-sdn:22790" : "us-ofac-sdn:15036";
        if (!r || !cp_results_count(r) || strcmp(cp_results_get(r, 0)->entity_id, want) != 0) t->ok = 0;
        cp_results_free(r);
    }
    cp_searcher_free(s);
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    pthread_t th[4];
    thr t[4];
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, worker, &t[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(t[i].ok);
    }
}

static void test_pdate(void **state) {
    (void)state;
    cp_pdate d, l;
    assert_int_equal(cp_pdate_parse("1962-11-23", 10, 0, &d), 0);
    assert_int_equal(d.year, 1962);
    assert_int_equal(d.month, 11);
    assert_int_equal(d.day, 23);
    assert_int_equal(cp_pdate_parse("1962", 4, 0, &d), 0);
    assert_int_equal(cp_pdate_parse("1962-1", 6, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("1962-00", 7, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("1960..1962", 10, 0, &d), -1);
    assert_int_equal(cp_pdate_parse("1960..1962", 10, 1, &d), 0);
    assert_int_equal(d.year2, 1962);
    cp_pdate_parse("1970-03-04", 10, 0, &d);
    cp_pdate_parse("1970-04-03", 10, 0, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_SWAPPED);
    cp_pdate_parse("1970", 4, 0, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_YEAR);
    cp_pdate_parse("1971", 4, 0, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_NEAR);
    cp_pdate_parse("1975", 4, 0, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_CONTRA);
    cp_pdate_parse("1968..1972", 10, 1, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_RANGE);
    cp_pdate_parse("1970-03-05", 10, 0, &l);
    assert_int_equal(cp_dob_compare(&d, &l), CP_DOB_CONTRA);
}

static void test_batch_line(void **state) {
    (void)state;
    char buf[256];
    cp_batch_query b;
    cp_error err;
    const char *l1 = "Nicolas Maduro";
    assert_int_equal(cp_batch_parse_line(l1, strlen(l1), buf, sizeof buf, &b, &err), 0);
    assert_string_equal(b.name, "Nicolas Maduro");
    assert_int_equal(b.schema, CP_SCHEMA_ANY);
    assert_null(b.country);
    const char *l2 = "ARTAVIL\tvessel\t\t\r";
    assert_int_equal(cp_batch_parse_line(l2, strlen(l2), buf, sizeof buf, &b, &err), 0);
    assert_int_equal(b.schema, CP_SCHEMA_VESSEL);
    assert_null(b.dob);
    const char *l3 = "X\tperson\tVE\t1962-11-23";
    assert_int_equal(cp_batch_parse_line(l3, strlen(l3), buf, sizeof buf, &b, &err), 0);
    assert_string_equal(b.country, "VE");
    assert_string_equal(b.dob, "1962-11-23");
    const char *bad[] = {"", "\tperson", "X\tplanet", "X\t\t\t23/11/1962", "a\tb\tc\td\te", "X\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(cp_batch_parse_line(bad[i], strlen(bad[i]), buf, sizeof buf, &b, &err), -1);
        assert_int_equal(err.code, CP_ERR_FORMAT);
    }
    const char nul[] = {'A', 0, 'B'};
    assert_int_equal(cp_batch_parse_line(nul, 3, buf, sizeof buf, &b, &err), -1);
}

static void test_norm_id(void **state) {
    (void)state;
    char out[80];
    assert_int_equal(cp_idx_norm_id("IMO 9187629", 11, out, sizeof out), 7);
    assert_string_equal(out, "9187629");
    assert_int_equal(cp_idx_norm_id("811226-1-498041", 15, out, sizeof out), 13);
    assert_string_equal(out, "8112261498041");
    assert_int_equal(cp_idx_norm_id("ab-1", 4, out, sizeof out), 0); /* "AB1": too short */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_stats),       cmocka_unit_test(test_maduro_first),
        cmocka_unit_test(test_exact_full_name),   cmocka_unit_test(test_typo_and_translit),
        cmocka_unit_test(test_weak_alias_exact_only), cmocka_unit_test(test_identifier),
        cmocka_unit_test(test_dob_evidence),      cmocka_unit_test(test_schema_conflict),
        cmocka_unit_test(test_list_filter_and_errors), cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_threads),           cmocka_unit_test(test_pdate),
        cmocka_unit_test(test_batch_line),        cmocka_unit_test(test_norm_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
