/* Tests of the UK OFSI ConList CSV loader (src/lists/uk_ofsi_csv.c) on the
 * bundled list data/lists/uk-ofsi/ConList.csv.gz ("Last Updated,14/04/2025")
 * and on fixtures in tests/fixtures/uk-ofsi/ (real rows of that file; see
 * the README there). Every expected value is quoted from the CSV. */
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
    return list_load_path("uk-ofsi", cp_load_uk_ofsi_csv, path, NULL, rc, err);
}

static cp_list *g_uk;

static int setup(void **state) {
    (void)state;
    cp_error err;
    int rc;
    g_uk = load_path("data/lists/uk-ofsi/ConList.csv.gz", &rc, &err);
    return rc;
}

static int teardown(void **state) {
    (void)state;
    cp_list_free(g_uk);
    return 0;
}

/* PROVENANCE: 18,798 name rows; 4,688 Group IDs: 3,663 Individual,
 * 1,010 Entity, 15 Ship. */
static void counts(void **state) {
    (void)state;
    assert_int_equal(cp_list_count(g_uk), 4688);
    size_t p = 0, o = 0, v = 0;
    for (size_t i = 0; i < cp_list_count(g_uk); i++) {
        const cp_entity *e = cp_list_entity(g_uk, i);
        p += e->schema == CP_SCHEMA_PERSON;
        o += e->schema == CP_SCHEMA_ORGANIZATION;
        v += e->schema == CP_SCHEMA_VESSEL;
        assert_int_equal(e->names[0].kind, CP_NAME_PRIMARY);
        assert_true(e->n_programs >= 1);
    }
    assert_int_equal(p, 3663);
    assert_int_equal(o, 1010);
    assert_int_equal(v, 15);
    assert_int_equal(cp_list_diag(g_uk)->errors, 0);
    assert_int_equal(cp_list_diag(g_uk)->warnings, 0);
}

/* Group ID 14212, two rows:
 *  ABRAMOVICH,Roman,,,,,,,,,24/10/1966,Saratov,Russia,(1) Russia (2) Israel (3) Portugal,
 *    (1) CB982788 (2) 24132276,(1) Portugal (2) Israel,,,Stakeholder in Evraz PLC and Norilsk Nickel,
 *    ...,Individual,Primary name variation,,Russia,10/03/2022,...,14212
 *  ABRAMOVICH,Roman,Arkadyevich,,,,,Роман Аркадьевич АБРАМОВИЧ,,,24/10/1966,... Primary name ...
 *  Other Information: "(UK Sanctions List Ref):RUS0270. ... (Gender):Male" */
static void abramovich(void **state) {
    (void)state;
    const cp_entity *e = ent(g_uk, "14212");
    assert_string_equal(e->id, "uk-ofsi:14212");
    assert_int_equal(e->schema, CP_SCHEMA_PERSON);
    assert_string_equal(e->names[0].text, "Roman Arkadyevich ABRAMOVICH");
    assert_true(has_name(e, "Roman ABRAMOVICH", CP_NAME_ALIAS));
    const cp_name *cy = name_of(e, "Роман Аркадьевич АБРАМОВИЧ");
    assert_non_null(cy);
    assert_int_equal(cy->kind, CP_NAME_ALIAS);
    assert_string_equal(cy->lang, "Cyrl"); /* script columns empty: detected */
    assert_int_equal(e->n_names, 3);
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "Russia");
    assert_true(has_fact(e, CP_FACT_DOB, "1966-10-24", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Saratov, Russia", NULL));
    assert_int_equal(count_facts(e, CP_FACT_NATIONALITY), 3);
    assert_true(has_fact(e, CP_FACT_NATIONALITY, "Israel", NULL));
    assert_true(has_fact(e, CP_FACT_PASSPORT, "CB982788", "Portugal"));
    assert_true(has_fact(e, CP_FACT_PASSPORT, "24132276", "Israel"));
    assert_true(has_fact(e, CP_FACT_TITLE, "Stakeholder in Evraz PLC and Norilsk Nickel", "position"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2022-03-10", NULL));
    assert_true(has_fact(e, CP_FACT_GENDER, "male", NULL));
    assert_true(has_fact(e, CP_FACT_OTHER_ID, "RUS0270", "UK Sanctions List Ref"));
}

/* Group ID 13651 (Ship): "SAM JONG 2" is the Primary name row, AKTIVA etc.
 * AKA rows; Other Information "... (IMO number):7408873 (Current owners):Korea
 * Samjong Shipping (Flag of ship):North Korea (Previous flags):Russia (Type of
 * ship):Oil tanker (Tonnage of ship):1676 (Length of ship):80 (Year built):1975" */
static void ship_with_imo(void **state) {
    (void)state;
    const cp_entity *e = ent(g_uk, "13651");
    assert_int_equal(e->schema, CP_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].text, "SAM JONG 2");
    assert_true(has_name(e, "AKTIVA", CP_NAME_ALIAS));
    assert_true(has_name(e, "YU_JONG_3", CP_NAME_ALIAS));
    assert_int_equal(e->n_names, 9);
    assert_true(has_fact(e, CP_FACT_IMO, "7408873", NULL));
    assert_true(has_fact(e, CP_FACT_FLAG, "North Korea", NULL));
    assert_true(has_fact(e, CP_FACT_VESSEL_TYPE, "Oil tanker", NULL));
    assert_true(has_fact(e, CP_FACT_TONNAGE, "1676", NULL));
    assert_true(has_fact(e, CP_FACT_REMARK, "Current owners: Korea Samjong Shipping", NULL));
    assert_true(has_fact(e, CP_FACT_OTHER_ID, "DPR0100", "UK Sanctions List Ref"));
    assert_string_equal(e->programs[0], "Democratic People's Republic of Korea");
}

/* Group ID 11205: "ABDULLAH,Amir,...,امیر عبد الله,,,00/00/1972,Paktika Province,Afghanistan,
 *   Afghanistan,...,Address 6 Karachi, Country Pakistan, Primary name" and
 * "SAHIB,Amir,Abdullah,... AKA,Low quality" */
static void weak_alias_and_partial_dob(void **state) {
    (void)state;
    const cp_entity *e = ent(g_uk, "11205");
    assert_string_equal(e->names[0].text, "Amir ABDULLAH");
    assert_true(has_name(e, "Amir Abdullah SAHIB", CP_NAME_WEAK_ALIAS));
    const cp_name *ar = name_of(e, "امیر عبد الله");
    assert_non_null(ar);
    assert_string_equal(ar->lang, "Arab");
    assert_true(has_fact(e, CP_FACT_DOB, "1972", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Paktika Province, Afghanistan", NULL));
    assert_true(has_fact(e, CP_FACT_ADDRESS, "Karachi, Pakistan", NULL));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "Pakistan", NULL));
}

/* Group ID 16268: "AEROSCAN,...,АЭРОСКАН,Cyrillic,Russian,...,Entity,Primary name,,Russia" */
static void non_latin_language(void **state) {
    (void)state;
    const cp_entity *e = ent(g_uk, "16268");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].text, "AEROSCAN");
    const cp_name *n = name_of(e, "АЭРОСКАН");
    assert_non_null(n);
    assert_string_equal(n->lang, "Russian");
}

/* Group 16601 has no "Primary name" row (three "Primary name variation"
 * rows): its first row becomes the primary name. */
static void group_without_primary_row(void **state) {
    (void)state;
    const cp_entity *e = ent(g_uk, "16601");
    assert_string_equal(e->names[0].text, "33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE");
    assert_int_equal(e->names[0].kind, CP_NAME_PRIMARY);
    assert_true(has_name(e, "33RD TSNIII", CP_NAME_ALIAS));
}

/* sample.csv: rows 1-2 of the file plus the 11 rows of groups 14212 and 13651. */
static void sample_fixture(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/uk-ofsi/sample.csv", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 2);
    assert_int_equal(cp_list_diag(l)->errors, 0);
    assert_string_equal(ent(l, "14212")->names[0].text, "Roman Arkadyevich ABRAMOVICH");
    cp_list_free(l);
}

/* wrong_columns.csv: line 4 (ABRAMOVICH "Primary name" row) lost its last
 * two fields: reported with line and the first missing column, skipped; the
 * group then takes its first row as the primary name. */
static void wrong_column_count(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/uk-ofsi/wrong_columns.csv", &rc, &err);
    assert_int_equal(rc, 0);
    const cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->first_errors[0].line, 4);
    assert_string_equal(d->first_errors[0].file, "wrong_columns.csv");
    assert_string_equal(d->first_errors[0].field, "Last Updated");
    assert_non_null(strstr(d->first_errors[0].message, "34 fields"));
    assert_int_equal(cp_list_count(l), 2);
    assert_string_equal(ent(l, "14212")->names[0].text, "Roman ABRAMOVICH");
    cp_list_free(l);
}

/* missing_column.csv: the header says "Group" instead of "Group ID". */
static void missing_required_column(void **state) {
    (void)state;
    cp_error err;
    int rc;
    cp_list *l = load_path("tests/fixtures/uk-ofsi/missing_column.csv", &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "Group ID");
    assert_non_null(strstr(err.message, "missing"));
    cp_list_free(l);
}

/* Hand-made edge cases (not from the file): numbered cells, partial dates,
 * bad dates, unknown group type, broken quoting, invalid UTF-8. */
static void edge_cases(void **state) {
    (void)state;
    static const char csv[] =
        "Last Updated,14/04/2025\n"
        "Group ID,Group Type,Alias Type,Regime,Name 1,Name 2,Name 3,Name 4,Name 5,Name 6,DOB,"
        "Town of Birth,Country of Birth\n"
        "1,Individual,Primary name,R,Ivan,,,,,PETROV,00/05/1965,(1) Omsk (2) Tomsk,Russia\n"
        "1,Individual,AKA,R,Ivan,,,,,PETROFF,05/1965,,\n"
        "2,Individual,Primary name,R,X,,,,,Y,31/13/1999,,\n"
        "3,Robot,Primary name,R,,,,,,Z,,,\n"
        "4,Entity,Primary name,R,,,,,,\"BROKEN\"X,,,\n"
        "5,Entity,Primary name,R,,,,,,\xC3\x28,,,\n";
    cp_list *l = cp_list_new("uk-ofsi");
    cp_list_file f = {"main", "edge.csv", csv, sizeof csv - 1};
    cp_error err;
    assert_int_equal(cp_load_uk_ofsi_csv(l, &f, 1, &err), 0);
    assert_int_equal(cp_list_finalize(l), 0);
    const cp_diag *d = cp_list_diag(l);
    assert_true(d->warnings > 0); /* optional columns missing */
    assert_int_equal(d->errors, 4);
    assert_string_equal(d->first_errors[0].field, "DOB"); /* line 5: 31/13/1999 */
    assert_int_equal(d->first_errors[0].line, 5);
    assert_string_equal(d->first_errors[1].field, "Group Type"); /* line 6 */
    assert_int_equal(d->first_errors[2].line, 7);                /* broken quoting */
    assert_string_equal(d->first_errors[3].field, "Name 6");     /* invalid UTF-8 */
    const cp_entity *e = ent(l, "1");
    assert_string_equal(e->names[0].text, "Ivan PETROV");
    assert_true(has_fact(e, CP_FACT_DOB, "1965-05", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Omsk, Russia", NULL));
    assert_true(has_fact(e, CP_FACT_POB, "Tomsk, Russia", NULL));
    assert_int_equal(cp_list_count(l), 2); /* groups 1 and 2 */
    cp_list_free(l);
}

static void not_a_conlist(void **state) {
    (void)state;
    const char *x = "ent_num,SDN_Name\n36,AEROCARIBBEAN AIRLINES\n";
    cp_list *l = cp_list_new("uk-ofsi");
    cp_list_file f = {"main", "x.csv", x, strlen(x)};
    cp_error err;
    assert_int_equal(cp_load_uk_ofsi_csv(l, &f, 1, &err), -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_int_equal(cp_load_uk_ofsi_csv(l, &f, 0, &err), -1);
    f.len = 0;
    assert_int_equal(cp_load_uk_ofsi_csv(l, &f, 1, &err), -1);
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest real[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(abramovich),
        cmocka_unit_test(ship_with_imo),
        cmocka_unit_test(weak_alias_and_partial_dob),
        cmocka_unit_test(non_latin_language),
        cmocka_unit_test(group_without_primary_row),
    };
    const struct CMUnitTest fixtures[] = {
        cmocka_unit_test(sample_fixture),
        cmocka_unit_test(wrong_column_count),
        cmocka_unit_test(missing_required_column),
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(not_a_conlist),
    };
    int rc = cmocka_run_group_tests_name("uk_real", real, setup, teardown);
    return rc + cmocka_run_group_tests_name("uk_fixtures", fixtures, NULL, NULL);
}
