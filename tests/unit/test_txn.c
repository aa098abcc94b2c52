/* JSON/CSV transaction format (docs/formats/transaction.md) and format
 * detection. Expected values are those of the example files in
 * tests/fixtures/transactions/ (written for these tests and the docs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "msg/txn.h"
#include "unit/msg_test_util.h"

static void json_example(void **state) {
    (void)state;
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    assert_int_equal(msg_parse_file("tests/fixtures/transactions/example.json", &l, &err), 1);
    const cp_request *r = l.items[0];
    assert_string_equal(r->format, "json");
    assert_string_equal(r->type, "trade");
    assert_string_equal(r->message_id, "TX-2024-0001");
    assert_string_equal(r->currency, "USD");
    assert_string_equal(r->amount, "125000.00");
    const cp_party *d = msg_party(r, CP_ROLE_DEBTOR, 0);
    assert_string_equal(d->name, "Acme Machine Tools GmbH");
    assert_string_equal(d->address, "Hauptstrasse 1, 70173 Stuttgart");
    assert_string_equal(d->bic, "DEUTDEFF");
    assert_int_equal(d->schema, CP_SCHEMA_ORGANIZATION);
    const cp_party *c = msg_party(r, CP_ROLE_CREDITOR, 0);
    assert_string_equal(c->dob, "1972-05-15");
    assert_int_equal(c->schema, CP_SCHEMA_PERSON);
    const cp_party *a = msg_party(r, CP_ROLE_CREDITOR_AGENT, 0);
    assert_string_equal(a->field, "agents[0]");
    assert_string_equal(a->bic, "SABRRUMM");
    assert_int_equal(r->n_hs_codes, 1);
    assert_string_equal(r->hs_codes[0], "845961");
    assert_string_equal(msg_place(r, "port_of_discharge")->text, "Novorossiysk");
    assert_int_equal(msg_text(r, "goods.description")->kind, CP_TEXT_GOODS);
    cp_request_list_free(&l);
}

static void csv_example(void **state) {
    (void)state;
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    assert_int_equal(msg_parse_file("tests/fixtures/transactions/example.csv", &l, &err), 2);
    const cp_request *r = l.items[0];
    assert_string_equal(r->format, "csv");
    assert_string_equal(r->message_id, "TX-1");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->name, "Orion Trading, LLC");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->country, "AE");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR_AGENT, 0)->bic, "EBILAEAD");
    assert_int_equal(r->n_hs_codes, 2);
    assert_string_equal(r->hs_codes[1], "846693");
    assert_string_equal(msg_place(r, "port_of_loading")->text, "Hamburg");
    const cp_request *r2 = l.items[1];
    assert_string_equal(r2->message_id, "TX-2");
    assert_null(msg_party(r2, CP_ROLE_CREDITOR_AGENT, 0));
    assert_string_equal(msg_party(r2, CP_ROLE_CREDITOR, 0)->name, "John Doe");
    cp_request_list_free(&l);
}

static int parse_json(const char *s, cp_error *err, size_t *n) {
    cp_request_list l;
    cp_request_list_init(&l);
    memset(err, 0, sizeof *err);
    int rc = cp_msg_parse_all(CP_MSG_UNKNOWN, s, strlen(s), NULL, &l, err);
    if (n) *n = l.n;
    cp_request_list_free(&l);
    return rc;
}

static void json_arrays_and_ndjson(void **state) {
    (void)state;
    cp_error err;
    size_t n;
    assert_int_equal(parse_json("[{\"id\":\"a\",\"debtor\":{\"account\":\"DE1\"}},{\"id\":\"b\",\"creditor\":{\"name\":\"X\"}}]", &err, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(parse_json("{\"id\":\"a\",\"creditor\":{\"name\":\"X\"}}\n{\"id\":\"b\",\"creditor\":{\"name\":\"X\"}}\n{\"id\":\"c\",\"amount\":12.5,\"creditor\":{\"name\":\"X\"}}\n", &err, &n), 0);
    assert_int_equal(n, 3);
}

static void json_errors_name_the_key(void **state) {
    (void)state;
    cp_error err;
    const char *s = "[{\"id\":\"a\",\"creditor\":{\"name\":\"X\"}},{\"id\":\"b\",\"creditor\":{\"name\":\"X\",\"country\":\"Russia\"}}]";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "[1].creditor.country");
    assert_int_equal(err.offset, (long)(strstr(s, "\"country\"") - s));
    s = "{\"id\":\"a\",\"debtr\":{\"name\":\"X\"}}";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "debtr");
    assert_non_null(strstr(err.message, "unknown key"));
    s = "{\"id\":\"a\",\"goods\":[{\"hs_code\":\"84A1\"}]}";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "goods[0].hs_code");
    s = "{\"id\":\"a\",\"agents\":[{\"bic\":\"DEUTDEFF\"}]}";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "agents[0]");
    s = "{\"id\":\"a\",\"creditor\":{\"name\":\"X\"},\n \"amount\": }";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "JSON");
    assert_int_equal(err.line, 2);
    assert_true(err.offset > 20);
    assert_int_equal(parse_json("{\"id\":\"a\",\"id\":\"b\"}", &err, NULL), -1); /* duplicate key */
    assert_int_equal(parse_json("{\"id\":\"a\"", &err, NULL), -1);                /* unterminated */
}

/* A transaction without a debtor or creditor (name, account or BIC) screened
 * PASS with nothing screened (docs/robustness.md): an error at the
 * transaction. Agents, other parties or a debtor with only a country do not
 * count. */
static void no_party_is_an_error(void **state) {
    (void)state;
    cp_error err;
    const char *s = "[{\"id\":\"A\",\"creditor\":{\"name\":\"X\"}},{\"id\":\"B\"}]";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "[1]");
    assert_int_equal(err.offset, (long)(strstr(s, "{\"id\":\"B") - s));
    assert_non_null(strstr(err.message, "no party"));
    assert_int_equal(parse_json("{\"id\":\"A\",\"debtor\":{\"country\":\"DE\"},\"creditor_agent\":{\"bic\":\"DEUTDEFF\"}}", &err, NULL), -1);
    assert_string_equal(err.field, "(root)");
    assert_int_equal(parse_json("{\"id\":\"A\",\"parties\":[{\"role\":\"creditor\",\"bic\":\"DEUTDEFF\"}]}", &err, NULL), 0);
    assert_int_equal(parse_json("{\"id\":\"A\",\"debtor\":{\"account\":\"DE89370400440532013000\"}}", &err, NULL), 0);
    const char *csv = "id,creditor_name,amount\nA,X,1\nB,,2\n";
    assert_int_equal(parse_json(csv, &err, NULL), -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.offset, (long)(strstr(csv, "B,,") - csv));
    assert_non_null(strstr(err.message, "no party"));
}

static void csv_errors(void **state) {
    (void)state;
    cp_error err;
    assert_int_equal(parse_json("id,creditor_nam\nA,X\n", &err, NULL), -1);
    assert_string_equal(err.field, "creditor_nam");
    const char *s = "id,creditor_name,creditor_country\nA,X,RU\nB,Y,Russia\n";
    assert_int_equal(parse_json(s, &err, NULL), -1);
    assert_string_equal(err.field, "creditor_country");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.offset, (long)(strstr(s, "B,Y") - s));
    assert_int_equal(parse_json("creditor_name\nX\n", &err, NULL), -1); /* no id column */
    assert_int_equal(parse_json("id,creditor_name\nA\n", &err, NULL), -1); /* short row */
    assert_int_equal(parse_json("id;creditor_name\nA;X\n", &err, NULL), 0); /* ';' delimiter */
}

static void detection(void **state) {
    (void)state;
    assert_int_equal(cp_msg_detect("  {1:F01", 8), CP_MSG_MT);
    assert_int_equal(cp_msg_detect("$\n{1:F01", 8), CP_MSG_MT);
    assert_int_equal(cp_msg_detect("\xEF\xBB\xBF<?xml", 8), CP_MSG_MX);
    assert_int_equal(cp_msg_detect("[{\"id\"", 6), CP_MSG_JSON);
    assert_int_equal(cp_msg_detect("{\"id\"", 5), CP_MSG_JSON);
    assert_int_equal(cp_msg_detect("id,name\n", 8), CP_MSG_CSV);
    assert_int_equal(cp_msg_detect("hello", 5), CP_MSG_UNKNOWN);
    assert_int_equal(cp_msg_detect("", 0), CP_MSG_UNKNOWN);
    cp_error err;
    assert_int_equal(parse_json("hello", &err, NULL), -1);
    assert_int_equal(cp_msg_format_parse("MX"), CP_MSG_MX);
    assert_string_equal(cp_msg_format_name(CP_MSG_CSV), "csv");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_example),
        cmocka_unit_test(csv_example),
        cmocka_unit_test(json_arrays_and_ndjson),
        cmocka_unit_test(json_errors_name_the_key),
        cmocka_unit_test(csv_errors),
        cmocka_unit_test(no_party_is_an_error),
        cmocka_unit_test(detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
