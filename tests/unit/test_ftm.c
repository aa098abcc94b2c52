/* Unit tests of the FollowTheMoney JSON-lines loader (src/lists/ftm_json.c).
 * Fixture: tests/fixtures/ftm/ownership.ftm.json (hand-written, see its
 * README; names and identifiers from OFAC SDN 16911, 45934, 45937). The real
 * OpenSanctions slice ../shared/data/opensanctions/yente/zala/entities.ftm.json
 * (CC BY-NC, not in the repo) is read only when present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "list_test_util.h"

static cp_list *load_buf(const char *data, size_t len, const char *name, int *rc) {
    cp_error err;
    return list_load_buf("ftm", cp_load_ftm_json, data, len, name, rc, &err);
}

static cp_list *load_path(const char *path, int *rc) {
    cp_error err;
    return list_load_path("ftm", cp_load_ftm_json, path, "entities.ftm.json", rc, &err);
}

static const cp_relation *rel(const cp_entity *e, cp_rel_type t, const char *target) {
    for (uint32_t i = 0; i < e->n_relations; i++)
        if (e->relations[i].type == t && strcmp(e->relations[i].target, target) == 0) return &e->relations[i];
    return NULL;
}

/* 14 lines: 4 things (2 Company, 1 Person, 1 Vessel) become list entities;
 * Address, Ownership x3, Directorship, Sanction x2, Passport, Family are
 * folded into them; 1 Security is reported once as a warning. */
static void fixture_counts(void **state) {
    (void)state;
    int rc;
    cp_list *l = load_path("tests/fixtures/ftm/ownership.ftm.json", &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 4);
    cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 0);
    assert_int_equal(d->warnings, 1);
    assert_int_equal(d->first_warnings[0].line, 13);
    assert_non_null(strstr(d->first_warnings[0].message, "Security"));
    cp_list_free(l);
}

/* Line 5: {"schema": "Ownership", "properties": {"owner": ["fx-kalashnikov"], "asset": ["fx-zala"], "percentage": ["51"]}}
 * Line 6: fx-zala owns 100% of "fx-subsidiary-not-in-file" (kept as the raw id).
 * Line 7: fx-zakharov owned 49% of fx-zala until 2015-11-25 (endDate). */
static void ownership_with_percentage(void **state) {
    (void)state;
    int rc;
    cp_list *l = load_path("tests/fixtures/ftm/ownership.ftm.json", &rc);
    const cp_entity *k = ent(l, "fx-kalashnikov"), *z = ent(l, "fx-zala"), *p = ent(l, "fx-zakharov");
    assert_string_equal(k->id, "ftm:fx-kalashnikov");
    const cp_relation *r = rel(k, CP_REL_OWNS, "ftm:fx-zala");
    assert_non_null(r);
    assert_string_equal(r->detail, "51%");
    r = rel(z, CP_REL_OWNED_BY, "ftm:fx-kalashnikov");
    assert_non_null(r);
    assert_string_equal(r->detail, "51%");
    r = rel(z, CP_REL_OWNS, "fx-subsidiary-not-in-file");
    assert_non_null(r);
    assert_string_equal(r->detail, "100%");
    r = rel(z, CP_REL_OWNED_BY, "ftm:fx-zakharov");
    assert_non_null(r);
    assert_string_equal(r->detail, "49%; ended 2015-11-25");
    /* Line 8: Directorship director fx-zakharov -> organization fx-zala, role "General Director" */
    r = rel(p, CP_REL_DIRECTOR_OF, "ftm:fx-zala");
    assert_non_null(r);
    assert_string_equal(r->detail, "General Director");
    assert_non_null(rel(z, CP_REL_HAS_DIRECTOR, "ftm:fx-zakharov"));
    /* Line 12: Family person fx-zakharov, relative not in the file */
    r = rel(p, CP_REL_RELATED, "fx-relative-not-in-file");
    assert_non_null(r);
    assert_string_equal(r->detail, "Son");
    cp_list_free(l);
}

static void things_and_sanctions(void **state) {
    (void)state;
    int rc;
    cp_list *l = load_path("tests/fixtures/ftm/ownership.ftm.json", &rc);
    const cp_entity *k = ent(l, "fx-kalashnikov"), *z = ent(l, "fx-zala"), *p = ent(l, "fx-zakharov");
    /* line 1 */
    assert_int_equal(k->schema, CP_SCHEMA_ORGANIZATION);
    assert_string_equal(k->names[0].text, "JOINT STOCK COMPANY CONCERN KALASHNIKOV");
    assert_int_equal(k->n_names, 2);
    assert_true(has_fact(k, CP_FACT_TAX_ID, "1832090230", "INN"));
    assert_true(has_fact(k, CP_FACT_REGISTRATION, "1111832003018", "OGRN"));
    /* line 9: Sanction without programId -> the program text */
    assert_true(has_program(k, "UKRAINE-EO13661"));
    assert_true(has_fact(k, CP_FACT_LISTED_ON, "2014-07-16", "UKRAINE-EO13661"));
    /* line 10: Sanction with programId -> the code */
    assert_true(has_program(z, "US-BIS-EL"));
    assert_false(has_program(z, "Entity List (EL) - Bureau of Industry and Security"));
    /* line 2 + line 4 (Address entity) */
    assert_int_equal(z->names[1].kind, CP_NAME_WEAK_ALIAS);
    assert_string_equal(z->names[1].text, "ZALA");
    assert_true(has_fact(z, CP_FACT_ADDRESS, "Izhevsk, Udmurt Republic, Russia", "*"));
    assert_true(has_fact(z, CP_FACT_COUNTRY, "ru", "jurisdiction"));
    /* line 3: caption first, the other name as alias */
    assert_int_equal(p->schema, CP_SCHEMA_PERSON);
    assert_string_equal(p->names[0].text, "Aleksandr Vyacheslavovich ZAKHAROV");
    assert_int_equal(p->n_names, 2);
    assert_true(has_fact(p, CP_FACT_DOB, "1965-09-21", "*"));
    assert_true(has_fact(p, CP_FACT_GENDER, "male", "*"));
    /* line 11: Passport entity -> passport fact of the holder */
    assert_true(has_fact(p, CP_FACT_PASSPORT, "XX0000001", "ru"));
    /* line 14 */
    const cp_entity *v = ent(l, "fx-vessel");
    assert_int_equal(v->schema, CP_SCHEMA_VESSEL);
    assert_true(has_fact(v, CP_FACT_IMO, "9000001", "*"));
    assert_true(has_fact(v, CP_FACT_VESSEL_TYPE, "Tanker", "*"));
    cp_list_free(l);
}

/* Line 2 misses its closing brace: jansson reports the error at the end of
 * the line; the error names line 2 and the byte offset in the file. */
static void malformed_json_line(void **state) {
    (void)state;
    const char in[] =
        "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ann Example\"]}}\n"
        "{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Bob\"]}\n"
        "{\"id\": \"c\", \"schema\": \"Person\", \"properties\": {\"name\": \"not an array\"}}\n"
        "{\"schema\": \"Person\"}\n"
        "[1, 2]\n"
        "{\"id\": \"a\", \"schema\": \"Person\"}\n";
    int rc;
    cp_list *l = load_buf(in, sizeof in - 1, "bad.ftm.json", &rc);
    assert_int_equal(rc, 0);
    cp_diag *d = cp_list_diag(l);
    assert_int_equal(d->errors, 5);
    const cp_error *e = &d->first_errors[0];
    assert_int_equal(e->line, 2);
    /* line 2 starts at byte 73 and is 63 bytes long; jansson stops at its end */
    assert_int_equal(e->offset, 73 + 63);
    assert_non_null(strstr(e->message, "invalid JSON at column 63"));
    assert_int_equal(d->first_errors[1].line, 3);
    assert_string_equal(d->first_errors[1].field, "properties.name");
    assert_int_equal(d->first_errors[2].line, 4);
    assert_string_equal(d->first_errors[2].field, "id");
    assert_int_equal(d->first_errors[3].line, 5);
    assert_int_equal(d->first_errors[4].line, 6);
    assert_non_null(strstr(d->first_errors[4].message, "duplicate entity id"));
    assert_int_equal(cp_list_count(l), 2); /* a, c (c kept without a name) */
    cp_list_free(l);
}

/* The real OpenSanctions slice (91 entities: 11 Company, 6 Person, 11 Address,
 * 1 Passport, 41 Sanction, 14 Ownership, 3 Directorship, 4 Family). */
static void real_zala_slice(void **state) {
    (void)state;
    const char *path = "../shared/data/opensanctions/yente/zala/entities.ftm.json";
    if (access(path, R_OK) != 0) skip();
    int rc;
    cp_list *l = load_path(path, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(cp_list_count(l), 17);
    assert_int_equal(cp_list_diag(l)->errors, 0);
    /* {"id": "ru-dfe0a021cb69f99e198bb8cbbcb93e81130b32a7", "schema": "Ownership", "properties": {"startDate":
     *  ["2015-11-25"], "owner": ["NK-aU5ybkbRFJucf8YMwsJvDw"], "percentage": ["51"], "asset": ["NK-abdzbEBkqyT29GyREbiURZ"], ...}} */
    const cp_entity *cst = ent(l, "NK-abdzbEBkqyT29GyREbiURZ");
    assert_string_equal(cst->names[0].text, "LLC CST");
    const cp_relation *r = rel(cst, CP_REL_OWNED_BY, "ftm:NK-aU5ybkbRFJucf8YMwsJvDw");
    assert_non_null(r);
    assert_string_equal(r->detail, "51%");
    /* "trade-csl-220a432f...": Sanction, programId US-BIS-EL, entity NK-abdz..., startDate 2023-11-02 */
    assert_true(has_program(cst, "US-BIS-EL"));
    assert_true(has_fact(cst, CP_FACT_LISTED_ON, "2023-11-02", "US-BIS-EL"));
    cp_list_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_counts),
        cmocka_unit_test(ownership_with_percentage),
        cmocka_unit_test(things_and_sanctions),
        cmocka_unit_test(malformed_json_line),
        cmocka_unit_test(real_zala_slice),
    };
    return cmocka_run_group_tests_name("ftm", tests, NULL, NULL);
}
