/* Tests of the EU Financial Sanctions Files XML loader (src/lists/eu_fsf_xml.c)
 * on HAND-WRITTEN fixtures in tests/fixtures/eu-fsf/ (no EU file is available
 * offline; see the comment in sample.xml and docs/lists/eu-fsf.md). The
 * expected values are those written in the fixtures; the KOMID entry's UN
 * reference (KPe.001) and names are checked against the bundled UN list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_test_util.h"

static cp_list *load_path(const char *path, int *rc, cp_error *err) {
    return list_load_path("eu-fsf", cp_load_eu_fsf_xml, path, NULL, rc, err);
}

static cp_list *g_eu;

static int setup(void **state) {
    (void)state;
    cp_error err;
    int rc;
    g_eu = load_path("tests/fixtures/eu-fsf/sample.xml", &rc, &err);
    return rc;
}

static int teardown(void **state) {
    (void)state;
    cp_list_free(g_eu);
    return 0;
}

/* 4 sanctionEntity elements; 900001 has a "19700301" birthdate (error) and
 * an identification without number (warning). */
static void counts_and_problems(void **state) {
    (void)state;
    assert_int_equal(cp_list_count(g_eu), 4);
    const cp_diag *d = cp_list_diag(g_eu);
    assert_int_equal(d->errors, 1);
    assert_string_equal(d->first_errors[0].field, "birthdate");
    assert_int_equal(d->first_errors[0].line, 57);
    assert_int_equal(d->warnings, 1);
    assert_string_equal(d->first_warnings[0].field, "number");
}

/* <sanctionEntity ... logicalId="100001"> subjectType person; nameAlias
 * wholeName="Sergei Kuzhugetovich SHOIGU" function="Minister of Defence of the
 * Russian Federation" gender="M"; nameAlias "Сергей Кужугетович Шойгу"
 * nameLanguage="RU"; citizenship RU; birthdate="1955-05-21" city="Chadan"
 * region="Tuva"; regulation programme="UKR" publicationDate="2022-02-23". */
static void person(void **state) {
    (void)state;
    const cp_entity *e = ent(g_eu, "100001");
    assert_string_equal(e->id, "eu-fsf:100001");
    assert_int_equal(e->schema, CP_SCHEMA_PERSON);
    assert_string_equal(e->names[0].text, "Sergei Kuzhugetovich SHOIGU");
    const cp_name *ru = name_of(e, "Сергей Кужугетович Шойгу");
    assert_non_null(ru);
    assert_int_equal(ru->kind, CP_NAME_ALIAS);
    assert_string_equal(ru->lang, "RU");
    assert_string_equal(e->programs[0], "UKR");
    assert_true(has_fact(e, CP_FACT_DOB, "1955-05-21", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Chadan, Tuva, RUSSIAN FEDERATION", NULL));
    assert_true(has_fact(e, CP_FACT_CITIZENSHIP, "RUSSIAN FEDERATION", NULL));
    assert_true(has_fact(e, CP_FACT_GENDER, "male", NULL));
    assert_true(has_fact(e, CP_FACT_TITLE, "Minister of Defence of the Russian Federation", "function"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2022-02-23", NULL));
    assert_true(has_fact(e, CP_FACT_OTHER_ID, "EU.0000.01", "EU reference number"));
    assert_true(has_fact(e, CP_FACT_REMARK, "Member of the Security Council of the Russian Federation.", NULL));
}

/* logicalId 100002: enterprise; strong="false" alias -> weak alias; address
 * street="41 ul. Vereiskaya" city="Moscow" zipCode="121471" RU. */
static void enterprise(void **state) {
    (void)state;
    const cp_entity *e = ent(g_eu, "100002");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].text, "Joint Stock Company Concern Almaz-Antey");
    assert_true(has_name(e, "Almaz-Antey Corp", CP_NAME_ALIAS));
    assert_true(has_name(e, "Almaz-Antey Air and Space Defence Corporation", CP_NAME_WEAK_ALIAS));
    assert_true(has_name(e, "АО «Концерн ВКО «Алмаз-Антей»", CP_NAME_ALIAS));
    assert_true(has_fact(e, CP_FACT_ADDRESS, "41 ul. Vereiskaya, Moscow, 121471, RUSSIAN FEDERATION", NULL));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "RUSSIAN FEDERATION", NULL));
    assert_true(has_fact(e, CP_FACT_REGISTRATION, "0000000000000", "RUSSIAN FEDERATION; Registration Number"));
}

/* logicalId 100003: unitedNationId="KPe.001" (UN consolidated.xml line 45026:
 * <FIRST_NAME>KOREA MINING DEVELOPMENT TRADING CORPORATION</FIRST_NAME>). */
static void un_reference(void **state) {
    (void)state;
    const cp_entity *e = ent(g_eu, "100003");
    assert_string_equal(e->names[0].text, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_true(has_fact(e, CP_FACT_OTHER_ID, "KPe.001", "UN Ref"));
    assert_string_equal(e->programs[0], "PRK");
}

/* Synthetic 900001: the Cyrillic alias comes first but the Latin-script
 * strong alias (firstName/lastName only) is the primary; circa year+month;
 * year range; "00"/UNKNOWN citizenship dropped; two programmes, earliest
 * publicationDate as listed_on. */
static void edge_cases(void **state) {
    (void)state;
    const cp_entity *e = ent(g_eu, "900001");
    assert_string_equal(e->names[0].text, "Ivan TESTOV");
    assert_true(has_name(e, "Vanya", CP_NAME_WEAK_ALIAS));
    assert_true(has_fact(e, CP_FACT_DOB, "1970-03", "circa"));
    assert_true(has_fact(e, CP_FACT_DOB, "1968..1971", NULL));
    assert_int_equal(count_facts(e, CP_FACT_CITIZENSHIP), 0);
    assert_int_equal(e->n_programs, 2);
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2022-03-02", NULL));
    assert_true(has_fact(e, CP_FACT_PASSPORT, "AB1234567", "BELARUS; issued 2015-01-01"));
}

static void missing_logical_id(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/eu-fsf/missing_id.xml", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 1);
    const cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->first_errors[0].line, 9);
    assert_string_equal(d->first_errors[0].field, "logicalId");
    assert_non_null(strstr(d->first_errors[0].message, "EU.0000.99"));
    cp_list_free(l);
}

/* broken.xml line 5 has an unterminated attribute value; libxml2 reports
 * the error where it notices it (line 6, column 3). */
static void broken_xml(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/eu-fsf/broken.xml", &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.message, "column 3"));
    cp_list_free(l);
}

static void not_an_export(void **state) {
    (void)state;
    const char *x = "<CONSOLIDATED_LIST/>";
    cp_list *l = cp_list_new("eu-fsf");
    cp_list_file f = {"main", "x.xml", x, strlen(x)};
    cp_error err;
    assert_int_equal(cp_load_eu_fsf_xml(l, &f, 1, &err), -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(cp_load_eu_fsf_xml(l, &f, 0, &err), -1);
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest sample[] = {
        cmocka_unit_test(counts_and_problems), cmocka_unit_test(person), cmocka_unit_test(enterprise),
        cmocka_unit_test(un_reference), cmocka_unit_test(edge_cases),
    };
    const struct CMUnitTest other[] = {
        cmocka_unit_test(missing_logical_id),
        cmocka_unit_test(broken_xml),
        cmocka_unit_test(not_an_export),
    };
    int rc = cmocka_run_group_tests_name("eu_sample", sample, setup, teardown);
    return rc + cmocka_run_group_tests_name("eu_other", other, NULL, NULL);
}
