/* Unit tests of the US Consolidated Screening List loader (src/lists/us_csl_csv.c).
 * Data: data/lists/us-csl/consolidated.csv.gz (the 2023-11 trade.gov file as
 * published in moov-io/watchman c815c599: header repeated on line 2, last
 * record cut off) and tests/fixtures/us-csl/. Every expected value below was
 * checked by hand against /work/shared/data/lists/us-csl/2023-11-truncated/csl.csv
 * (quoted rows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_test_util.h"

static cp_list *load_buf(const char *data, size_t len, const char *name, int *rc, cp_error *err) {
    return list_load_buf("us-csl", cp_load_us_csl_csv, data, len, name, rc, err);
}

static cp_list *load_path(const char *path, int *rc, cp_error *err) {
    return list_load_path("us-csl", cp_load_us_csl_csv, path, NULL, rc, err);
}

static cp_list *g_full; /* the bundled file, loaded once */
static int g_rc;

static int setup_full(void **state) {
    (void)state;
    cp_error err;
    g_full = load_path("data/lists/us-csl/consolidated.csv.gz", &g_rc, &err);
    return 0;
}
static int teardown_full(void **state) {
    (void)state;
    cp_list_free(g_full);
    return 0;
}

/* 4,229 CSV records = 2 header lines + 4,227 rows; the last row is cut off,
 * so 4,226 whole rows. 7 OFAC ent_nums appear on two sub-lists (17014,
 * 17016, 17143, 17250, 17254 on SSI and NS-MBS; 9647, 9659 on SDN and PLC)
 * and are merged: 4,226 - 7 = 4,219 list entities. */
static void full_counts(void **state) {
    (void)state;
    assert_int_equal(g_rc, 0);
    assert_int_equal(cp_list_count(g_full), 4219);
    cp_diag *d = cp_list_diag(g_full);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->warnings, 1);
}

/* Line 2 repeats the header (it starts at byte 359: the header line is 358
 * bytes + LF). */
static void duplicate_header_warning(void **state) {
    (void)state;
    cp_diag *d = cp_list_diag(g_full);
    const cp_error *w = &d->first_warnings[0];
    assert_string_equal(w->file, "consolidated.csv.gz");
    assert_int_equal(w->line, 2);
    assert_int_equal(w->offset, 359);
    assert_non_null(strstr(w->message, "header line is repeated"));
}

/* Last record, line 4233 (byte 2690746):
 *   "11476","Specially Designated Nationals (SDN) - Treasury Department","11476","Individual","SDNT",
 *   "BERMUDEZ SUAZA, Pedro Antonio","","c/o ASES DE COMPETENCIA Y CIA. S.A., Medellin, CO; ... la Cuspide departament<EOF>
 * The 8th field (addresses) opens its quote at byte 2690878 and never closes it. */
static void truncated_last_record(void **state) {
    (void)state;
    cp_diag *d = cp_list_diag(g_full);
    const cp_error *e = &d->first_errors[0];
    assert_int_equal(e->code, CP_ERR_FORMAT);
    assert_int_equal(e->line, 4233);
    assert_int_equal(e->offset, 2690878);
    assert_string_equal(e->field, "addresses");
    assert_non_null(strstr(e->message, "unterminated"));
    assert_int_equal(cp_list_find(g_full, "11476", 5), -1);
}

/* Line 2700 (Entity List, Russia):
 *   "5399d8983251a8a3a7cfd0901f6aea554315be713c66ec288a12204f","Entity List (EL) - Bureau of Industry and Security",
 *   "","","","Joint Stock Company Military-Industrial Corporation NPO Mashinostroyenia","",
 *   "33, Gagarina St., Reutov-town, Moscow Region, 143966, RU; 33 Gagarin Street, Reutov, Moscow Region, 143966, RU;
 *    33 Gagarina ul., Reutov, Moskovskaya obl, 143966, RU","79 FR 42452","2014-07-22","","",
 *   "For all items subject to the EAR (See §744.11 of the EAR). ","Presumption of denial. ",...,
 *   "Joint Stock Company Military Industrial Consortium NPO Mashinostroyenia; JSC MIC NPO Mashinostroyenia;
 *    MIC NPO Mashinostroyenia JSC; MIC NPO Mashinostroyeniya JSC; Military Industrial Corporation NPO Mashinostroenia OAO;
 *    Open Joint Stock Company Military Industrial Corporation Scientific and Production Machine Building Association;
 *    Voenno-Promyshlennaya Korporatsiya Nauchno-Proizvodstvennoe Obedinenie Mashinostroeniya OAO; -VPK NPO Mashinostroeniya",... */
static void entity_list_russian_company(void **state) {
    (void)state;
    const cp_entity *e = ent(g_full, "5399d8983251a8a3a7cfd0901f6aea554315be713c66ec288a12204f");
    assert_string_equal(e->id, "us-csl:5399d8983251a8a3a7cfd0901f6aea554315be713c66ec288a12204f");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION); /* empty type; "Company" is a legal-form word */
    assert_int_equal(e->n_names, 9);
    assert_int_equal(e->names[0].kind, CP_NAME_PRIMARY);
    assert_string_equal(e->names[0].text, "Joint Stock Company Military-Industrial Corporation NPO Mashinostroyenia");
    assert_true(has_name(e, "JSC MIC NPO Mashinostroyenia", CP_NAME_ALIAS));
    assert_true(has_name(e, "-VPK NPO Mashinostroeniya", CP_NAME_ALIAS));
    assert_int_equal(count_facts(e, CP_FACT_ADDRESS), 3);
    assert_true(has_fact(e, CP_FACT_ADDRESS, "33 Gagarina ul., Reutov, Moskovskaya obl, 143966, RU", "*"));
    assert_int_equal(count_facts(e, CP_FACT_COUNTRY), 1); /* RU three times, deduplicated */
    assert_true(has_fact(e, CP_FACT_COUNTRY, "RU", "*"));
    assert_true(has_fact(e, CP_FACT_SOURCE_LIST, "EL", "Entity List (EL) - Bureau of Industry and Security"));
    assert_true(has_fact(e, CP_FACT_TOPIC, "export.control", "*"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2014-07-22", "*"));
    assert_true(has_fact(e, CP_FACT_REMARK, "79 FR 42452", "federal_register_notice"));
    assert_true(has_fact(e, CP_FACT_REMARK, "Presumption of denial.", "license_policy"));
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "EL");
}

/* Line 4 (Military End User list):
 *   "dcc742038bcb47f1bf9e805ef279484d","Military End User (MEU) List - Bureau of Industry and Security","","","",
 *   "Academy of Aerospace Solid Propulsion Technology (AASPT)","","Tian Wang te Zi #1, Baqiao District, Xian, China, CN",
 *   "85 FR 83799","2020-12-23","","","For any item subject to the EAR listed in supplement no. 2 to part 744.",... */
static void meu_row(void **state) {
    (void)state;
    const cp_entity *e = ent(g_full, "dcc742038bcb47f1bf9e805ef279484d");
    assert_string_equal(e->names[0].text, "Academy of Aerospace Solid Propulsion Technology (AASPT)");
    assert_int_equal(e->n_names, 1);
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION); /* "Technology" */
    assert_true(has_program(e, "MEU"));
    assert_true(has_fact(e, CP_FACT_SOURCE_LIST, "MEU", "Military End User (MEU) List - Bureau of Industry and Security"));
    assert_true(has_fact(e, CP_FACT_TOPIC, "export.control", "*"));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "CN", "*"));
    assert_true(has_fact(e, CP_FACT_ADDRESS, "Tian Wang te Zi #1, Baqiao District, Xian, China, CN", "*"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2020-12-23", "*"));
    assert_true(has_fact(e, CP_FACT_REMARK, "For any item subject to the EAR listed in supplement no. 2 to part 744.",
                         "license_requirement"));
}

/* Line 1004 (SDN vessel):
 *   "4243","Specially Designated Nationals (SDN) - Treasury Department","4243","Vessel","CUBA","EBANO",...,
 *   "General Cargo","2595","1865","Panama",...,"ANA I; SAND SWAN",...,"Vessel Registration Identification, IMO 7406784" */
static void vessel_with_imo(void **state) {
    (void)state;
    const cp_entity *e = ent(g_full, "4243");
    assert_int_equal(e->schema, CP_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].text, "EBANO");
    assert_true(has_name(e, "ANA I", CP_NAME_ALIAS));
    assert_true(has_name(e, "SAND SWAN", CP_NAME_ALIAS));
    assert_true(has_fact(e, CP_FACT_IMO, "7406784", "*"));
    assert_true(has_fact(e, CP_FACT_FLAG, "Panama", "*"));
    assert_true(has_fact(e, CP_FACT_VESSEL_TYPE, "General Cargo", "*"));
    assert_true(has_fact(e, CP_FACT_TONNAGE, "1865", "gross_registered_tonnage"));
    assert_true(has_program(e, "CUBA"));
    assert_true(has_program(e, "SDN"));
    assert_true(has_fact(e, CP_FACT_TOPIC, "sanction", "*"));
}

/* Ent_num 17014 is on two rows (lines 10 and 1012):
 *   "17014","Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",...,"Joint Stock Company Russian Agricultural Bank",...
 *   "17014","Sectoral Sanctions Identifications List (SSI) - Treasury Department",...,"JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK",...
 *   ids include "Registration Number, 1027700342890, RU" and (SSI row) "SWIFT/BIC, RUAGRUMM" */
static void same_ent_num_on_two_sublists_merged(void **state) {
    (void)state;
    const cp_entity *e = ent(g_full, "17014");
    assert_true(has_fact(e, CP_FACT_SOURCE_LIST, "SSI", "*"));
    assert_true(has_fact(e, CP_FACT_SOURCE_LIST, "NS-MBS", "*"));
    assert_true(has_program(e, "SSI"));
    assert_true(has_program(e, "NS-MBS"));
    assert_true(has_program(e, "RUSSIA-EO14024"));
    assert_true(has_fact(e, CP_FACT_BIC, "RUAGRUMM", "*"));
    assert_true(has_fact(e, CP_FACT_REGISTRATION, "1027700342890", "Registration Number"));
    assert_int_equal(e->names[0].kind, CP_NAME_PRIMARY);
}

/* Line 3 (CMIC): ids "Unified Social Credit Code (USCC), 9111000071093019X7, CN; Issuer Name, ...; ISIN, US1694261033; ..." */
static void ids_typed(void **state) {
    (void)state;
    const cp_entity *e = ent(g_full, "30882");
    assert_true(has_fact(e, CP_FACT_REGISTRATION, "9111000071093019X7", "Unified Social Credit Code (USCC)"));
    assert_true(has_fact(e, CP_FACT_OTHER_ID, "US1694261033", "ISIN"));
    assert_true(has_fact(e, CP_FACT_REMARK, "2021-06-03", "Listing Date (CMIC)"));
    assert_true(has_program(e, "CMIC-EO13959"));
    assert_true(has_program(e, "CMIC"));
}

/* Real 2025 sample (13 rows, current layout; tests/fixtures/us-csl/2025-sample.csv). */
static void sample_2025(void **state) {
    (void)state;
    int rc;
    cp_error err;
    cp_list *l = load_path("tests/fixtures/us-csl/2025-sample.csv", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 13);
    assert_int_equal(cp_list_diag(l)->errors, 0);
    assert_int_equal(cp_list_diag(l)->warnings, 0);
    /* "18300","Sectoral Sanctions Identifications List (SSI) - Treasury Department","18300","Entity",... "ROSNEFT TRADE LIMITED" */
    const cp_entity *e = ent(l, "18300");
    assert_string_equal(e->names[0].text, "ROSNEFT TRADE LIMITED");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_true(has_program(e, "SSI"));
    cp_list_free(l);
}

/* The 2019 layout (no _id column) is refused with a clear error. */
static void old_layout_refused(void **state) {
    (void)state;
    int rc;
    cp_error err;
    cp_list *l = load_path("tests/fixtures/us-csl/2019-layout-head.csv", &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_string_equal(err.field, "_id");
    assert_non_null(strstr(err.message, "pre-2020"));
    cp_list_free(l);
}

static const char small_hdr[] =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
    "dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n";

static void missing_required_column(void **state) {
    (void)state;
    const char in[] = "_id,source,type,programs\n\"1\",\"x\",\"\",\"\"\n";
    int rc;
    cp_error err;
    cp_list *l = load_buf(in, sizeof in - 1, "bad.csv", &rc, &err);
    assert_int_equal(rc, -1);
    assert_string_equal(err.field, "name");
    assert_non_null(strstr(err.message, "required column \"name\" missing"));
    cp_list_free(l);
}

/* Wrong field count, invalid UTF-8, missing _id: each one error, the good row loads. */
static void malformed_rows(void **state) {
    (void)state;
    char in[4096];
    snprintf(in, sizeof in,
             "%s"
             "\"1\",\"Entity List (EL) - Bureau of Industry and Security\",\"x\"\n"
             "\"2\",\"Entity List (EL) - Bureau of Industry and Security\",\"\",\"\",\"\",\"Bad \xC3\x28 Name\""
             ",,,,,,,,,,,,,,,,,,,,,,,\n"
             "\"\",\"Entity List (EL) - Bureau of Industry and Security\",\"\",\"\",\"\",\"No Id\""
             ",,,,,,,,,,,,,,,,,,,,,,,\n"
             "\"3\",\"Entity List (EL) - Bureau of Industry and Security\",\"\",\"\",\"\",\"Good Co., Ltd.\""
             ",,\"Room 1, Shenzhen, CN\",,\"2023-11-16\",,,,,,,,,,,,,\"Good Company\",,\"circa 07 Jul 1966; Sep 1938\",,,,\n",
             small_hdr);
    int rc;
    cp_error err;
    cp_list *l = load_buf(in, strlen(in), "m.csv", &rc, &err);
    assert_int_equal(rc, 0);
    cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 3);
    assert_int_equal(d->first_errors[0].line, 2);
    assert_non_null(strstr(d->first_errors[0].message, "3 fields"));
    assert_int_equal(d->first_errors[1].line, 3);
    assert_string_equal(d->first_errors[1].field, "name");
    assert_non_null(strstr(d->first_errors[1].message, "UTF-8"));
    assert_string_equal(d->first_errors[2].field, "_id");
    assert_int_equal(cp_list_count(l), 1);
    const cp_entity *e = ent(l, "3");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_true(has_fact(e, CP_FACT_DOB, "1966-07-07", "circa"));
    assert_true(has_fact(e, CP_FACT_DOB, "1938-09", "*"));
    assert_true(has_fact(e, CP_FACT_COUNTRY, "CN", "*"));
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest full[] = {
        cmocka_unit_test(full_counts),
        cmocka_unit_test(duplicate_header_warning),
        cmocka_unit_test(truncated_last_record),
        cmocka_unit_test(entity_list_russian_company),
        cmocka_unit_test(meu_row),
        cmocka_unit_test(vessel_with_imo),
        cmocka_unit_test(same_ent_num_on_two_sublists_merged),
        cmocka_unit_test(ids_typed),
    };
    const struct CMUnitTest small[] = {
        cmocka_unit_test(sample_2025),
        cmocka_unit_test(old_layout_refused),
        cmocka_unit_test(missing_required_column),
        cmocka_unit_test(malformed_rows),
    };
    int f = cmocka_run_group_tests_name("us_csl_full", full, setup_full, teardown_full);
    return f + cmocka_run_group_tests_name("us_csl_small", small, NULL, NULL);
}
