/* Tests of the UN Security Council consolidated XML loader (src/lists/un_xml.c)
 * on the bundled list data/lists/un-sc/consolidated.xml.gz (dateGenerated
 * 2026-02-27T00:00:09.554Z) and on small fixtures in tests/fixtures/un/.
 * Every expected value below is quoted from the XML. */
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
    return list_load_path("un-sc", cp_load_un_xml, path, NULL, rc, err);
}

static cp_list *g_un; /* the real list, loaded once */

static int setup(void **state) {
    (void)state;
    cp_error err;
    int rc;
    g_un = load_path("data/lists/un-sc/consolidated.xml.gz", &rc, &err);
    return rc;
}

static int teardown(void **state) {
    (void)state;
    cp_list_free(g_un);
    return 0;
}

/* PROVENANCE: 730 <INDIVIDUAL> + 273 <ENTITY> = 1,003 entries. */
static void counts(void **state) {
    (void)state;
    assert_int_equal(cp_list_count(g_un), 1003);
    size_t persons = 0, orgs = 0;
    for (size_t i = 0; i < cp_list_count(g_un); i++) {
        const cp_entity *e = cp_list_entity(g_un, i);
        persons += e->schema == CP_SCHEMA_PERSON;
        orgs += e->schema == CP_SCHEMA_ORGANIZATION;
        assert_true(e->n_names >= 1);
        assert_int_equal(e->names[0].kind, CP_NAME_PRIMARY);
    }
    assert_int_equal(persons, 730);
    assert_int_equal(orgs, 273);
    assert_int_equal(cp_list_diag(g_un)->errors, 0);
    assert_int_equal(cp_list_diag(g_un)->warnings, 0);
}

/* consolidated.xml line 13822ff:
 *   <FIRST_NAME>MOHAMMED</FIRST_NAME> <SECOND_NAME>SALAHALDIN</SECOND_NAME>
 *   <THIRD_NAME>ABD EL HALIM</THIRD_NAME> <FOURTH_NAME>ZIDANE</FOURTH_NAME>
 *   <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE> <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
 *   <LISTED_ON>2001-01-25</LISTED_ON>
 *   <NAME_ORIGINAL_SCRIPT>محمد صلاح الدين عبدالحليم زيدان</NAME_ORIGINAL_SCRIPT>
 *   <NATIONALITY><VALUE>Egypt</VALUE></NATIONALITY>
 *   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Sayf-Al Adl</ALIAS_NAME>...
 *   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Muhamad Ibrahim Makkawi</ALIAS_NAME>...
 *   <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Ibrahim al-Madani</ALIAS_NAME>
 *   <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Saif Al-'Adil</ALIAS_NAME>
 *   <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Seif al Adel</ALIAS_NAME>
 *   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1963-04-11</DATE>
 *   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-04-11</DATE>
 *   <INDIVIDUAL_PLACE_OF_BIRTH><STATE_PROVINCE>Monufia Governate</STATE_PROVINCE><COUNTRY>Egypt</COUNTRY> */
static void qdi_001(void **state) {
    (void)state;
    const cp_entity *e = ent(g_un, "QDi.001");
    assert_string_equal(e->id, "un-sc:QDi.001");
    assert_int_equal(e->schema, CP_SCHEMA_PERSON);
    assert_string_equal(e->names[0].text, "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE");
    assert_true(has_name(e, "Sayf-Al Adl", CP_NAME_ALIAS));
    assert_true(has_name(e, "Muhamad Ibrahim Makkawi", CP_NAME_ALIAS));
    /* weak aliases (QUALITY Low) */
    assert_true(has_name(e, "Ibrahim al-Madani", CP_NAME_WEAK_ALIAS));
    assert_true(has_name(e, "Saif Al-'Adil", CP_NAME_WEAK_ALIAS));
    assert_true(has_name(e, "Seif al Adel", CP_NAME_WEAK_ALIAS));
    /* original-script (Arabic) alias */
    const cp_name *ar = name_of(e, "محمد صلاح الدين عبدالحليم زيدان");
    assert_non_null(ar);
    assert_int_equal(ar->kind, CP_NAME_ALIAS);
    assert_string_equal(ar->lang, "Arab");
    assert_int_equal(e->n_names, 7);
    assert_int_equal(count_facts(e, CP_FACT_DOB), 2);
    assert_true(has_fact(e, CP_FACT_DOB, "1963-04-11", NULL));
    assert_true(has_fact(e, CP_FACT_DOB, "1960-04-11", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Monufia Governate, Egypt", NULL));
    assert_true(has_fact(e, CP_FACT_NATIONALITY, "Egypt", NULL));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2001-01-25", NULL));
    assert_int_equal(count_facts(e, CP_FACT_PASSPORT), 0);
    assert_true(has_program(e, "Al-Qaida"));
    assert_true(has_program(e, "QD"));
}

/* Line 23180ff (LYi.012): FIRST/SECOND/THIRD_NAME MOHAMMED MUAMMAR QADHAFI;
 *   <INDIVIDUAL_ADDRESS><COUNTRY>Oman</COUNTRY><NOTE>Believed status/location: Sultanate of Oman</NOTE>
 *   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1970</YEAR>
 *   <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Tripoli</CITY><COUNTRY>Libya</COUNTRY>
 *   <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>03824969</NUMBER>
 *     <ISSUING_COUNTRY>Oman</ISSUING_COUNTRY><DATE_OF_ISSUE>2014-05-04</DATE_OF_ISSUE>
 *   <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
 *     <NUMBER>97183904</NUMBER><ISSUING_COUNTRY>Oman</ISSUING_COUNTRY> */
static void lyi_012_documents(void **state) {
    (void)state;
    const cp_entity *e = ent(g_un, "LYi.012");
    assert_string_equal(e->names[0].text, "MOHAMMED MUAMMAR QADHAFI");
    assert_true(has_name(e, "Muhammed Muammar Muhammed Abdul Salam", CP_NAME_ALIAS));
    assert_true(has_fact(e, CP_FACT_PASSPORT, "03824969", "Oman; issued 2014-05-04"));
    assert_true(has_fact(e, CP_FACT_NATIONAL_ID, "97183904", "Oman"));
    assert_true(has_fact(e, CP_FACT_DOB, "1970", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Tripoli, Libya", NULL));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "Oman", NULL));
    assert_int_equal(count_facts(e, CP_FACT_ADDRESS), 0); /* country only */
    assert_true(has_program(e, "Libya"));
    assert_true(has_program(e, "LY"));
}

/* TAi.038: <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR>
 *          <TO_YEAR>1962</TO_YEAR><NOTE>Approximately </NOTE>
 * CDi.031: <TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1975</YEAR> */
static void dob_ranges_and_circa(void **state) {
    (void)state;
    assert_true(has_fact(ent(g_un, "TAi.038"), CP_FACT_DOB, "1960..1962", "circa"));
    assert_true(has_fact(ent(g_un, "CDi.031"), CP_FACT_DOB, "1975", "circa"));
}

/* CDe.001 (first <ENTITY>): <FIRST_NAME>ADF</FIRST_NAME>;
 *   <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Allied Democratic Forces</ALIAS_NAME>
 *   <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>NALU</ALIAS_NAME>
 *   <ENTITY_ADDRESS><STATE_PROVINCE>North Kivu </STATE_PROVINCE>
 *     <COUNTRY>Democratic Republic of the Congo</COUNTRY> */
static void entity_cde_001(void **state) {
    (void)state;
    const cp_entity *e = ent(g_un, "CDe.001");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].text, "ADF");
    assert_true(has_name(e, "Allied Democratic Forces", CP_NAME_ALIAS));
    assert_true(has_name(e, "NALU", CP_NAME_FORMER));
    assert_true(has_fact(e, CP_FACT_ADDRESS, "North Kivu, Democratic Republic of the Congo", NULL));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "Democratic Republic of the Congo", NULL));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2014-06-30", NULL));
    assert_true(has_program(e, "CD"));
}

/* The fixture has "</INDIVIDUA>" on line 11 where "</INDIVIDUAL>" belongs. */
static void broken_xml_reports_line(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/un/broken.xml", &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(err.line, 11);
    assert_string_equal(err.file, "broken.xml");
    assert_non_null(strstr(err.message, "line 11, column"));
    assert_true(err.offset > 0);
    cp_list_free(l);
}

/* The second record (line 16) has no REFERENCE_NUMBER: reported, skipped. */
static void missing_reference_number(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/un/missing_ref.xml", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 1);
    const cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->first_errors[0].line, 16);
    assert_string_equal(d->first_errors[0].field, "REFERENCE_NUMBER");
    assert_string_equal(d->first_errors[0].file, "missing_ref.xml");
    assert_non_null(strstr(d->first_errors[0].message, "6907994"));
    cp_list_free(l);
}

/* An exponential entity expansion ("billion laughs") is refused by the
 * parser and reported as broken XML; no memory blow-up. */
static void entity_bomb_refused(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/un/entity_bomb.xml", &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_non_null(strstr(err.message, "entity"));
    cp_list_free(l);
}

/* External entities are never fetched; entity references are never
 * substituted (their text is skipped). */
static void entities_not_expanded(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/un/external_entity.xml", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 1);
    const cp_entity *e = cp_list_entity(l, 0);
    assert_string_equal(e->names[0].text, "ERIC BADEGE");
    cp_list_free(l);
}

static void not_a_un_file(void **state) {
    (void)state;
    const char *x = "<export><sanctionEntity/></export>";
    cp_list *l = cp_list_new("un-sc");
    cp_list_file f = {"main", "x.xml", x, strlen(x)};
    cp_error err;
    assert_int_equal(cp_load_un_xml(l, &f, 1, &err), -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(cp_load_un_xml(l, &f, 0, &err), -1); /* no main file */
    f.len = 0;
    assert_int_equal(cp_load_un_xml(l, &f, 1, &err), -1);
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest real[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(qdi_001),
        cmocka_unit_test(lyi_012_documents),
        cmocka_unit_test(dob_ranges_and_circa),
        cmocka_unit_test(entity_cde_001),
    };
    const struct CMUnitTest fixtures[] = {
        cmocka_unit_test(broken_xml_reports_line),
        cmocka_unit_test(missing_reference_number),
        cmocka_unit_test(entity_bomb_refused),
        cmocka_unit_test(entities_not_expanded),
        cmocka_unit_test(not_a_un_file),
    };
    int rc = cmocka_run_group_tests_name("un_real", real, setup, teardown);
    return rc + cmocka_run_group_tests_name("un_fixtures", fixtures, NULL, NULL);
}
