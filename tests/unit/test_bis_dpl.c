/* Unit tests of the BIS Denied Persons List loader (src/lists/bis_dpl_tsv.c).
 * Data: data/lists/us-bis-dpl/dpl.txt.gz (BIS dpl.txt of 2023-11-30 as kept in
 * moov-io/watchman c815c599) and tests/fixtures/us-bis-dpl/sample.txt (4 of
 * its lines). Expected values checked by hand against
 * /work/shared/data/lists/us-bis-dpl/2023/dpl.txt (rows quoted). Source ids:
 * first 16 hex digits of SHA-256("<NAME>|<Effective_Date>"), computed with
 *   python3 -c 'import hashlib;print(hashlib.sha256(b"OLEG ZENCHENKO|11/07/2023").hexdigest()[:16])' */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_test_util.h"

/* Diagnostics name the part "dpl.txt", whatever the path. */
static cp_list *load_buf(const char *data, size_t len, int *rc, cp_error *err) {
    return list_load_buf("us-bis-dpl", cp_load_bis_dpl_tsv, data, len, "dpl.txt", rc, err);
}

static cp_list *load_path(const char *path, int *rc, cp_error *err) {
    return list_load_path("us-bis-dpl", cp_load_bis_dpl_tsv, path, "dpl.txt", rc, err);
}

/* 665 rows; 547 distinct (normalized name, Effective_Date) = 547 denial
 * orders (460 with one row, 67 with 2, 9 with 3, 11 with 4). 102 names carry
 * a legal-form/organization word (list in docs/lists/us-bis-dpl.md). */
static void full_file_counts(void **state) {
    (void)state;
    int rc;
    cp_error err;
    cp_list *l = load_path("data/lists/us-bis-dpl/dpl.txt.gz", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 547);
    assert_int_equal(cp_list_name_count(l), 547);
    assert_int_equal(cp_list_diag(l)->errors, 0);
    assert_int_equal(cp_list_diag(l)->warnings, 0);
    size_t orgs = 0;
    for (size_t i = 0; i < cp_list_count(l); i++) orgs += cp_list_entity(l, i)->schema == CP_SCHEMA_ORGANIZATION;
    assert_int_equal(orgs, 102);
    /* Lines 32-34: "AL-NASER  AIRLINES" (two spaces as published), 3 addresses (IQ x2, AE),
     * Effective_Date 10/31/2023, Expiration_Date 10/30/2024. */
    const cp_entity *e = ent(l, "deb5a6661b4e848b");
    assert_string_equal(e->names[0].text, "AL-NASER  AIRLINES");
    assert_int_equal(e->schema, CP_SCHEMA_ORGANIZATION);
    assert_int_equal(count_facts(e, CP_FACT_ADDRESS), 3);
    assert_int_equal(count_facts(e, CP_FACT_COUNTRY), 2);
    assert_true(has_fact(e, CP_FACT_ADDRESS, "P.O. BOX 28360, DUBAI, AE", "*"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2023-10-31", "DPL"));
    assert_true(has_fact(e, CP_FACT_REMARK, "2024-10-30", "Expiration_Date"));
    /* " I. ASH" (leading space) has two orders: 06/19/2003 (line 2) and 03/04/2002 (2 rows): 2 entities. */
    assert_string_equal(ent(l, "5b96ab43435d257f")->names[0].text, "I. ASH");
    assert_int_equal(count_facts(ent(l, "ecd57ca526ff872a"), CP_FACT_ADDRESS), 2);
    cp_list_free(l);
}

/* tests/fixtures/us-bis-dpl/sample.txt, lines 2-3 (dpl.txt lines 477-478):
 *   "OLEG ZENCHENKO" "KUPCHINSKAYA STREET 29/1, APT. 363" "ST. PETERSBURG" "" "RU" "192283" "11/07/2023" "05/04/2024"
 *                    "Y" "2023-11-15" "ADDITION. F.R. NOTICE ADDED" "88 F.R. 77955 11/14/2023"
 *   "OLEG ZENCHENKO" "VESENNIYA STREET 16" "TAYTSY, PETERSBURG REGION" "" "RU" "" "11/07/2023" "05/04/2024"
 *                    "Y" "2023-11-15" "ADDITION, F.R. NOTICE ADDED" "88 F.R. 77955 11/14/2023"
 * One person, two addresses. */
static void person_two_addresses_merged(void **state) {
    (void)state;
    int rc;
    cp_error err;
    cp_list *l = load_path("tests/fixtures/us-bis-dpl/sample.txt", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 2);
    const cp_entity *e = ent(l, "a4c6dae58b9fab49");
    assert_string_equal(e->id, "us-bis-dpl:a4c6dae58b9fab49");
    assert_int_equal(e->schema, CP_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 1);
    assert_string_equal(e->names[0].text, "OLEG ZENCHENKO");
    assert_int_equal(count_facts(e, CP_FACT_ADDRESS), 2);
    assert_true(has_fact(e, CP_FACT_ADDRESS, "KUPCHINSKAYA STREET 29/1, APT. 363, ST. PETERSBURG, 192283, RU", "*"));
    assert_true(has_fact(e, CP_FACT_ADDRESS, "VESENNIYA STREET 16, TAYTSY, PETERSBURG REGION, RU", "*"));
    assert_int_equal(count_facts(e, CP_FACT_COUNTRY), 1);
    assert_true(has_fact(e, CP_FACT_COUNTRY, "RU", "*"));
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPL");
    assert_true(has_fact(e, CP_FACT_TOPIC, "export.control", "*"));
    assert_true(has_fact(e, CP_FACT_SOURCE_LIST, "DPL", "Denied Persons List (DPL) - Bureau of Industry and Security"));
    assert_true(has_fact(e, CP_FACT_LISTED_ON, "2023-11-07", "*"));
    assert_true(has_fact(e, CP_FACT_REMARK, "88 F.R. 77955 11/14/2023", "FR_Citation"));
    cp_list_free(l);
}

static const char hdr[] = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t"
                          "\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t"
                          "\"Action\"\t\"FR_Citation\"\n";

/* Short row, broken quote, bad UTF-8: one error each, naming line and field. */
static void malformed_rows(void **state) {
    (void)state;
    char in[2048];
    snprintf(in, sizeof in,
             "%s"
             "\"SHORT ROW\"\t\"x\"\n"
             "\"BROKEN \"QUOTE\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n"
             "\"BAD \xFF UTF8\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n"
             "\"ACME TRADING CO.\"\t\"1 MAIN ST\"\t\"DUBAI\"\t\"\"\t\"AE\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n",
             hdr);
    int rc;
    cp_error err;
    cp_list *l = load_buf(in, strlen(in), &rc, &err);
    assert_int_equal(rc, 0);
    cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 3);
    assert_int_equal(d->first_errors[0].line, 2);
    assert_non_null(strstr(d->first_errors[0].message, "2 fields"));
    assert_int_equal(d->first_errors[1].line, 3);
    assert_string_equal(d->first_errors[1].field, "Name");
    assert_int_equal(d->first_errors[2].line, 4);
    assert_string_equal(d->first_errors[2].field, "Name");
    assert_non_null(strstr(d->first_errors[2].message, "UTF-8"));
    assert_int_equal(cp_list_count(l), 1);
    assert_int_equal(cp_list_entity(l, 0)->schema, CP_SCHEMA_ORGANIZATION);
    cp_list_free(l);
}

static void not_a_dpl_file(void **state) {
    (void)state;
    const char in[] = "a,b,c\n1,2,3\n";
    int rc;
    cp_error err;
    cp_list *l = load_buf(in, sizeof in - 1, &rc, &err);
    assert_int_equal(rc, -1);
    assert_string_equal(err.field, "Name");
    cp_list_free(l);
    l = load_buf("", 0, &rc, &err);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.message, "empty"));
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_file_counts),
        cmocka_unit_test(person_two_addresses_merged),
        cmocka_unit_test(malformed_rows),
        cmocka_unit_test(not_a_dpl_file),
    };
    return cmocka_run_group_tests_name("bis_dpl", tests, NULL, NULL);
}
