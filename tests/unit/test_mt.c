/* SWIFT MT (FIN) parser and message splitter: every MT fixture parses (three
 * damaged-as-found samples are repaired with the listed warning), hand-checked
 * extractions, malformed inputs. Expected values were read by hand from the
 * fixture files (quoted in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "msg/mt.h"
#include "unit/msg_test_util.h"

/* ------------------------------------------------------------ every fixture */

typedef struct bad_sample {
    const char *path;    /* under FIXTURES */
    size_t index;        /* 0-based message in the file (cp_msg_next order) */
    const char *field;   /* of the parse warning */
    long offset;         /* byte offset of the warning in the message (unit) */
    const char *text;    /* substring of the warning message */
    int seen;
} bad_sample;

/* Damaged as found in their source repositories (see PROVENANCE.md): each
 * parses, with exactly this one warning on its request(s). */
static bad_sample bad[] = {
    /* "...:71A:OUR\n-}{\n$": a stray "{" after block 4 of the 11th message;
     * the unit starts at "{1:F01BICFOOYYAXXX8683497521}", the "{" is its byte 445 */
    {"swift-mt/prowide/MT103-out-ack.rje", 10, "block 4", 445, "1 stray brace '{' after the last block ignored", 0},
    /* "...\n/LOCINS/0090\r\n-}}": one "}" too many, the last of the 529 bytes */
    {"swift-mt/wso2-test/MT103_custom_finMessage_pacs008_test_pmtTpInf.fin", 0, "block 4", 528,
     "1 stray brace '}' after the last block ignored", 0},
    /* "{1:ABCDLKLXXXXX0000000000}": no "F01"; the header value starts at byte 3 */
    {"swift-mt/wso2-test/MT202_custom_fin1.fin", 0, "block 1", 3,
     "read as 'F01' (FIN user message) with logical terminal ABCDLKLXXXXX, session 0000, sequence 000000", 0},
};

typedef struct walk_ctx {
    size_t files, messages, requests, repaired;
} walk_ctx;

static void check_file(const char *path, void *vctx) {
    walk_ctx *w = vctx;
    cp_bytes b;
    assert_int_equal(msg_read(path, &b), 0);
    w->files++;
    assert_int_equal(cp_msg_detect(b.data, b.len), CP_MSG_MT);
    cp_msg_iter it;
    cp_msg_span sp;
    cp_error err;
    cp_msg_iter_init(&it, b.data, b.len, CP_MSG_UNKNOWN);
    size_t idx = 0;
    int rc;
    while ((rc = cp_msg_next(&it, &sp, &err)) == 1) {
        cp_request_list l;
        cp_request_list_init(&l);
        int prc = cp_mt_parse(b.data + sp.offset, sp.len, NULL, &l, &err);
        bad_sample *expect = NULL;
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            if (strstr(path, bad[i].path) && bad[i].index == idx) expect = &bad[i];
        if (prc != 0) print_error("%s message %zu: field %s offset %ld: %s\n", path, idx, err.field, err.offset, err.message);
        assert_int_equal(prc, 0);
        assert_true(l.n >= 1);
        for (size_t i = 0; i < l.n; i++) {
            const cp_request *r = l.items[i];
            if (expect) {
                assert_int_equal(r->n_warnings, 1);
                if (!strstr(r->warnings[0].message, expect->text))
                    print_error("%s: warning '%s'\n", path, r->warnings[0].message);
                assert_string_equal(r->warnings[0].field, expect->field);
                assert_int_equal(r->warnings[0].offset, expect->offset);
                assert_non_null(strstr(r->warnings[0].message, expect->text));
                expect->seen = 1;
            } else {
                assert_int_equal(r->n_warnings, 0); /* intact messages: no warning */
            }
            assert_string_equal(r->format, "mt");
            assert_non_null(r->type);
            /* every user message has 20 and the two header BICs */
            if (strcmp(r->type, "ACK") != 0) {
                assert_non_null(r->message_id);
                assert_non_null(msg_party(r, CP_ROLE_INSTRUCTING_AGENT, 0));
                assert_non_null(msg_party(r, CP_ROLE_INSTRUCTED_AGENT, 0));
            }
        }
        w->requests += l.n;
        w->repaired += expect != NULL;
        cp_request_list_free(&l);
        w->messages++;
        idx++;
    }
    assert_int_equal(rc, 0);
    free(b.data);
}

static void every_mt_fixture_parses(void **state) {
    (void)state;
    walk_ctx w = {0, 0, 0, 0};
    msg_walk(FIXTURES "/swift-mt", check_file, &w);
    /* 33 CBPR+ + 11 WSO2 + 4 Prowide files (swift-mt PROVENANCE.md files) */
    assert_int_equal(w.files, 48);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_true(bad[i].seen);
    assert_int_equal(w.repaired, 3);
    /* MT103-out-ack.rje: 13 messages; MT103-bulk-with-ack.rje: 3 ACK+MT103 units */
    assert_true(w.messages >= 44 + 13 + 3);
}

/* ------------------------------------------------------------ extractions */

static void mt103_59f_beneficiary(void **state) {
    (void)state;
    /* MT103_c_53_5_finMessage_535_A_B.fin:
     *   :32A:200805SGD500000,
     *   :50F:/458756241 / 1/Australian Submarine / 2/694 Mersey Rd / 3/AU/Adelaide
     *   :59F:/985412687 / 1/Agoda Company / 2/30 Cecil Street / 3/SG/Singapore
     *   {2:O1030905200805WPACAU2SXXXX...}  {1:F01DBSSSGSGXXXX...} */
    cp_request_list l = msg_parse_fixture("swift-mt/cbpr-plus/MT103_c_53_5_finMessage_535_A_B.fin");
    assert_int_equal(l.n, 1);
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "MT103");
    assert_string_equal(r->message_id, "pacs8bizmsgidr01");
    assert_string_equal(r->currency, "SGD");
    assert_string_equal(r->amount, "500000,");
    assert_string_equal(r->value_date, "2020-08-05");
    const cp_party *b = msg_party(r, CP_ROLE_CREDITOR, 0);
    assert_non_null(b);
    assert_string_equal(b->field, "59F");
    assert_string_equal(b->name, "Agoda Company");
    assert_string_equal(b->account, "985412687");
    assert_string_equal(b->address, "30 Cecil Street");
    assert_string_equal(b->country, "SG");
    assert_string_equal(b->town, "Singapore");
    const cp_party *o = msg_party(r, CP_ROLE_DEBTOR, 0);
    assert_string_equal(o->name, "Australian Submarine");
    assert_string_equal(o->country, "AU");
    assert_string_equal(o->account, "458756241");
    /* output message: sender from the MIR in block 2, receiver from block 1 */
    assert_string_equal(msg_party(r, CP_ROLE_INSTRUCTING_AGENT, 0)->bic, "WPACAU2SXXX");
    assert_string_equal(msg_party(r, CP_ROLE_INSTRUCTED_AGENT, 0)->bic, "DBSSSGSGXXX");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR_AGENT, 0)->bic, "UOVBSGSG");
    assert_string_equal(msg_text(r, "70")->text, "/ROC/E2E04044506271305");
    cp_request_list_free(&l);
}

static void mt103_50k_59_lines(void **state) {
    (void)state;
    /* MT103_custom_a_2014.fin (input message {2:I103MHCBJPJTXXXXN}):
     *   :50K:/100811000148 / RASA ENGINEERING SERVICES (PVT) L / NO 852-60 / SHARUK PURA / SRI LANKA
     *   :52A:/CGC BRANHC / ABCDLKLXXXX
     *   :59:/2563529 / SHASHU LANXI SHANYE / MACHINERY CO LTD / MACHINERY CO LTD */
    cp_request_list l = msg_parse_fixture("swift-mt/wso2-test/MT103_custom_a_2014.fin");
    const cp_request *r = l.items[0];
    const cp_party *o = msg_party(r, CP_ROLE_DEBTOR, 0);
    assert_string_equal(o->field, "50K");
    assert_string_equal(o->account, "100811000148");
    assert_string_equal(o->name, "RASA ENGINEERING SERVICES (PVT) L");
    assert_string_equal(o->address, "NO 852-60, SHARUK PURA, SRI LANKA");
    const cp_party *b = msg_party(r, CP_ROLE_CREDITOR, 0);
    assert_string_equal(b->field, "59");
    assert_string_equal(b->account, "2563529");
    assert_string_equal(b->name, "SHASHU LANXI SHANYE");
    const cp_party *a = msg_party(r, CP_ROLE_DEBTOR_AGENT, 0);
    assert_string_equal(a->bic, "ABCDLKLXXXX");
    assert_string_equal(a->account, "CGC BRANHC");
    /* input message: sender from block 1 (ABCDLKLXAXXX), receiver from block 2 */
    assert_string_equal(msg_party(r, CP_ROLE_INSTRUCTING_AGENT, 0)->bic, "ABCDLKLXXXX");
    assert_string_equal(msg_party(r, CP_ROLE_INSTRUCTED_AGENT, 0)->bic, "MHCBJPJTXXX");
    cp_request_list_free(&l);
}

static void mt720_goods_and_ports(void **state) {
    (void)state;
    /* MT720_SwiftMessageJsonSchemaTest.fin: :31D:130930LONDON, :50:LONDON MOTOSPARES LTD,
     * :59:CYCLIST LTD, :44A:SINGAPORE, :44B:ROTTERDAM,
     * :45A:+400 FUEL TANKS MODEL 1320 AA CONT. 10 GALL. ... +FCA SINGAPORE */
    cp_request_list l = msg_parse_fixture("swift-mt/prowide/MT720_SwiftMessageJsonSchemaTest.fin");
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "MT720");
    assert_string_equal(r->message_id, "IMP124678");
    assert_string_equal(r->currency, "GBP");
    assert_string_equal(r->amount, "100000,");
    assert_string_equal(msg_party(r, CP_ROLE_DEBTOR, 0)->name, "LONDON MOTOSPARES LTD");
    assert_string_equal(msg_party(r, CP_ROLE_DEBTOR, 0)->address, "12 CYCLE SQUARE, UK/LONDON");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->name, "CYCLIST LTD");
    assert_string_equal(msg_party(r, CP_ROLE_DEBTOR_AGENT, 0)->bic, "FOOBARXX");   /* 52A issuing bank */
    const cp_party *avail = msg_party(r, CP_ROLE_OTHER_PARTY, 0);                   /* 41A available with */
    assert_string_equal(avail->bic, "FOOHGB2L");
    assert_string_equal(avail->other_id, "BY PAYMENT");
    const cp_text *g = msg_text(r, "45A");
    assert_non_null(g);
    assert_int_equal(g->kind, CP_TEXT_GOODS);
    assert_true(strncmp(g->text, "+400 FUEL TANKS MODEL 1320 AA CONT. 10 GALL.\n+120 CLUTCHES", 57) == 0);
    assert_non_null(strstr(g->text, "+FCA SINGAPORE"));
    assert_int_equal(msg_text(r, "46A")->kind, CP_TEXT_DOCUMENTS);
    assert_string_equal(msg_place(r, "place_of_receipt")->text, "SINGAPORE");
    assert_string_equal(msg_place(r, "place_of_receipt")->field, "44A");
    assert_string_equal(msg_place(r, "final_destination")->text, "ROTTERDAM");
    assert_string_equal(msg_place(r, "place_of_expiry")->text, "LONDON");
    cp_request_list_free(&l);
}

static void mt202cov_underlying_customer(void **state) {
    (void)state;
    /* MT202COV_c_29_2_2_finMessage_2922_A_B.fin ({3:{119:COV}...}), sequence B:
     *   :50F:/25698745 / 1/Debtor Co / 2/High Street / 3/GB/Epping
     *   :59F:/65479512 / 1/Ardent Finance / 2/Main Street / 3/RO/Bucharest
     * sequence A: :58A:GEBABEBBXXX (beneficiary institution) */
    cp_request_list l = msg_parse_fixture("swift-mt/cbpr-plus/MT202COV_c_29_2_2_finMessage_2922_A_B.fin");
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "MT202COV");
    const cp_party *ud = msg_party(r, CP_ROLE_ULTIMATE_DEBTOR, 0);
    assert_string_equal(ud->field, "B/50F");
    assert_string_equal(ud->name, "Debtor Co");
    assert_string_equal(ud->country, "GB");
    assert_string_equal(ud->account, "25698745");
    const cp_party *uc = msg_party(r, CP_ROLE_ULTIMATE_CREDITOR, 0);
    assert_string_equal(uc->field, "B/59F");
    assert_string_equal(uc->name, "Ardent Finance");
    assert_string_equal(uc->country, "RO");
    assert_string_equal(uc->town, "Bucharest");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->bic, "GEBABEBBXXX");
    assert_null(msg_party(r, CP_ROLE_DEBTOR, 0));
    cp_request_list_free(&l);
}

static void mt101_one_request_per_sequence_b(void **state) {
    (void)state;
    /* MT101_pn_01_1_1: :20:11FF99RR, one sequence B :21:REF501 :32B:USD90000,
     * :50F:/9020123100 1/FINPETROL INC. ... 3/FI/HELSINKI, :57C://CP999 */
    cp_request_list l = msg_parse_fixture("swift-mt/cbpr-plus/MT101_pn_01_1_1_finMessage_00111_mt101_A_B.fin");
    assert_int_equal(l.n, 1);
    const cp_request *r = l.items[0];
    assert_string_equal(r->message_id, "11FF99RR/REF501");
    assert_string_equal(r->currency, "USD");
    assert_string_equal(msg_party(r, CP_ROLE_DEBTOR, 0)->name, "FINPETROL INC.");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR_AGENT, 0)->other_id, "CP999");
    assert_int_equal(msg_text(r, "77B")->kind, CP_TEXT_BANK_INFO);
    cp_request_list_free(&l);

    /* Two sequences B built from that message (sequence A is shared). */
    const char *two =
        "{1:F01BOFSGB2LXXXX0000000000}{2:I101NDEADKK2XXXXN}{4:\r\n:20:REF\r\n:28D:1/1\r\n:30:090327\r\n"
        ":50F:/9020123100\r\n1/FINPETROL INC.\r\n3/FI/HELSINKI\r\n"
        ":21:T1\r\n:32B:USD1,\r\n:59:/1\r\nALPHA LTD\r\n:71A:SHA\r\n"
        ":21:T2\r\n:32B:EUR2,\r\n:59:/2\r\nBETA LTD\r\n:71A:SHA\r\n-}";
    cp_error err;
    cp_request_list_init(&l);
    assert_int_equal(cp_mt_parse(two, strlen(two), NULL, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0]->message_id, "REF/T1");
    assert_string_equal(l.items[1]->message_id, "REF/T2");
    assert_string_equal(l.items[1]->currency, "EUR");
    assert_string_equal(msg_party(l.items[1], CP_ROLE_CREDITOR, 0)->name, "BETA LTD");
    assert_null(msg_party(l.items[1], CP_ROLE_CREDITOR, 1));
    assert_string_equal(msg_party(l.items[1], CP_ROLE_DEBTOR, 0)->name, "FINPETROL INC.");
    cp_request_list_free(&l);
}

static void rje_with_acks(void **state) {
    (void)state;
    /* MT103-bulk-with-ack.rje: 3 units "{1:F21...}{4:{177:..}{451:0}}{1:F01...}...-}" separated by "$";
     * first 50K: /0000000000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA */
    cp_request_list l = msg_parse_fixture("swift-mt/prowide/MT103-bulk-with-ack.rje");
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0]->type, "MT103");
    assert_string_equal(l.items[0]->message_id, "234234233");
    assert_string_equal(msg_party(l.items[0], CP_ROLE_DEBTOR, 0)->name, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_string_equal(l.items[1]->message_id, "C4772342333");
    assert_string_equal(l.items[2]->message_id, "201904250034434");
    cp_request_list_free(&l);
}

static void splitter_units(void **state) {
    (void)state;
    const char *in = "$\n{1:F01AAAAUSLAAXXX0000000000}{2:I103BBBBUS33XXXXN}{4:\n:20:A\n-}\n"
                     "{1:F01AAAAUSLAAXXX0000000000}{2:I103BBBBUS33XXXXN}{4:\n:20:B\n-}{5:{CHK:1}}$$\n";
    cp_msg_iter it;
    cp_msg_span sp;
    cp_error err;
    cp_msg_iter_init(&it, in, strlen(in), CP_MSG_UNKNOWN);
    assert_int_equal(it.format, CP_MSG_MT);
    assert_int_equal(cp_msg_next(&it, &sp, &err), 1);
    assert_int_equal(sp.offset, 2);
    assert_true(sp.len > 0 && in[sp.offset + sp.len - 1] == '}');
    assert_int_equal(cp_msg_next(&it, &sp, &err), 1);
    assert_non_null(strstr(in + sp.offset, ":20:B"));
    /* the trailer belongs to the second message; the unit stops before "$$" */
    assert_int_equal(memcmp(in + sp.offset + sp.len - 11, "{5:{CHK:1}}", 11), 0);
    assert_int_equal(cp_msg_next(&it, &sp, &err), 0);
}

/* ------------------------------------------------------------ malformed */

static const char *base103 =
    "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\r\n"
    ":20:REF1\r\n:23B:CRED\r\n:32A:240503EUR100,\r\n:50K:/DE1\r\nJOHN DOE\r\n:59:/GB1\r\nACME LTD\r\n:71A:SHA\r\n-}";

static int parse_str(const char *s, size_t len, int lenient, cp_error *err) {
    cp_request_list l;
    cp_request_list_init(&l);
    cp_msg_opts o;
    memset(&o, 0, sizeof o);
    o.lenient = lenient;
    memset(err, 0, sizeof *err);
    int rc = cp_mt_parse(s, len, &o, &l, err);
    if (rc == 0) assert_true(l.n >= 1);
    else assert_int_equal(l.n, 0);
    cp_request_list_free(&l);
    return rc;
}

static void base_parses(void **state) {
    (void)state;
    cp_error err;
    assert_int_equal(parse_str(base103, strlen(base103), 0, &err), 0);
    /* LF instead of CRLF is accepted */
    char lf[512];
    size_t k = 0;
    for (const char *p = base103; *p; p++)
        if (*p != '\r') lf[k++] = *p;
    assert_int_equal(parse_str(lf, k, 0, &err), 0);
}

static void truncated_block4(void **state) {
    (void)state;
    cp_error err;
    size_t cut = strlen(base103) - 14; /* inside "... :71A:SHA\r\n-}" */
    assert_int_equal(parse_str(base103, cut, 0, &err), -1);
    assert_string_equal(err.field, "block 4");
    assert_non_null(strstr(err.message, "not terminated"));
    assert_int_equal(err.offset, (long)(strstr(base103, "{4:") - base103));
}

static void missing_20(void **state) {
    (void)state;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", base103);
    char *p = strstr(buf, ":20:REF1\r\n");
    memmove(p, p + 10, strlen(p + 10) + 1);
    cp_error err;
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "20");
    assert_non_null(strstr(err.message, "mandatory field 20"));
}

static void unknown_field_strict(void **state) {
    (void)state;
    /* 58a (beneficiary institution) is not an MT103 field */
    const char *buf = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\r\n"
                      ":20:REF1\r\n:23B:CRED\r\n:32A:240503EUR100,\r\n:58A:BANKDEFF\r\n:59:/GB1\r\nACME LTD\r\n-}";
    const char *p = strstr(buf, ":58A:");
    cp_error err;
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "58A");
    assert_int_equal(err.offset, (long)(p - buf));
    assert_non_null(strstr(err.message, "not defined for MT103"));
    /* lenient: ignored */
    assert_int_equal(parse_str(buf, strlen(buf), 1, &err), 0);
}

static void malformed_tag_and_bic(void **state) {
    (void)state;
    char buf[512];
    cp_error err;
    snprintf(buf, sizeof buf, "%s", base103);
    char *p = strstr(buf, ":23B:");
    p[2] = 'O'; /* ":2OB:" */
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "block 4");
    assert_int_equal(err.offset, (long)(p - buf));

    const char *badbic = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:57A:NOT-A-BIC\n:59:X\n-}";
    assert_int_equal(parse_str(badbic, strlen(badbic), 0, &err), -1);
    assert_string_equal(err.field, "57A");
    assert_int_equal(err.offset, (long)(strstr(badbic, "NOT-A-BIC") - badbic));
}

/* An empty or missing mandatory party field (SWIFT Standards MT: MT103 50a
 * and 59a, MT202COV sequence B 50a and 59a, MT700 50 and 59 are mandatory)
 * added no party, and the payment screened PASS without its beneficiary
 * (docs/robustness.md). Strict: an error naming the field; lenient: a parse
 * warning on the request (REVIEW by malformed_message). */
static void mandatory_party_empty_or_missing(void **state) {
    (void)state;
    cp_error err;
    const char *empty59 = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n"
                          ":20:REF1\n:23B:CRED\n:32A:240503EUR100,\n:50K:/DE1\nJOHN DOE\n:59:\n:71A:SHA\n-}";
    assert_int_equal(parse_str(empty59, strlen(empty59), 0, &err), -1);
    assert_string_equal(err.field, "59");
    assert_int_equal(err.offset, (long)(strstr(empty59, ":59:") - empty59));
    assert_non_null(strstr(err.message, "mandatory field 59 (beneficiary customer) is empty in MT103"));
    /* blanks only */
    const char *blank50 = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n"
                          ":20:REF1\n:32A:240503EUR100,\n:50K:  \n:59:/GB1\nACME LTD\n-}";
    assert_int_equal(parse_str(blank50, strlen(blank50), 0, &err), -1);
    assert_string_equal(err.field, "50K");
    /* MT103 without 50a */
    const char *no50 = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n"
                       ":20:REF1\n:32A:240503EUR100,\n:59:/GB1\nACME LTD\n-}";
    assert_int_equal(parse_str(no50, strlen(no50), 0, &err), -1);
    assert_string_equal(err.field, "50a");
    assert_int_equal(err.offset, (long)(strstr(no50, "{4:") - no50));
    assert_non_null(strstr(err.message, "mandatory field 50a (ordering customer) is missing in MT103"));
    /* lenient: parsed, with a warning naming the field */
    cp_request_list l;
    cp_request_list_init(&l);
    cp_msg_opts o;
    memset(&o, 0, sizeof o);
    o.lenient = 1;
    memset(&err, 0, sizeof err);
    assert_int_equal(cp_mt_parse(empty59, strlen(empty59), &o, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0]->n_warnings, 1);
    assert_string_equal(l.items[0]->warnings[0].field, "59a");
    assert_int_equal(l.items[0]->warnings[0].offset, (long)(strstr(empty59, ":59:") - empty59));
    cp_request_list_free(&l);
    /* MT202COV: sequence B beneficiary empty */
    const char *cov = "{1:F01AAAAGB2LAXXX0000000000}{2:I202BBBBDEFFXXXXN}{3:{119:COV}}{4:\n"
                      ":20:REF1\n:21:REL\n:32A:240503EUR100,\n:58A:CCCCDEFF\n:50K:/DE1\nJOHN DOE\n:59:\n-}";
    assert_int_equal(parse_str(cov, strlen(cov), 0, &err), -1);
    assert_string_equal(err.field, "59");
    assert_non_null(strstr(err.message, "MT202"));
    /* plain MT202 has no customer parties: fine */
    const char *m202 = "{1:F01AAAAGB2LAXXX0000000000}{2:I202BBBBDEFFXXXXN}{4:\n"
                       ":20:REF1\n:21:REL\n:32A:240503EUR100,\n:58A:CCCCDEFF\n-}";
    assert_int_equal(parse_str(m202, strlen(m202), 0, &err), 0);
    /* MT700 without 59 (beneficiary) */
    const char *lc = "{1:F01AAAAGB2LAXXX0000000000}{2:I700BBBBDEFFXXXXN}{4:\n"
                     ":27:1/1\n:20:LC1\n:50:ACME IMPORTS\nLONDON\n-}";
    assert_int_equal(parse_str(lc, strlen(lc), 0, &err), -1);
    assert_string_equal(err.field, "59a");
    assert_non_null(strstr(err.message, "(beneficiary) is missing in MT700"));
}

static void option_f_lines(void **state) {
    (void)state;
    /* 50F with a national id, a repeated 1/ line (long name) and a date of birth */
    const char *m = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:32A:240503EUR1,\n"
                    ":50F:NIDN/DE/123456\n1/MUELLER\n1/HANS PETER\n2/HAUPTSTR 1\n3/DE/BERLIN\n4/19720515\n5/DE/BONN\n"
                    ":59F:1/ACME\n3/RU/MOSCOW\n-}";
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    assert_int_equal(cp_mt_parse(m, strlen(m), NULL, &l, &err), 0);
    const cp_party *o = msg_party(l.items[0], CP_ROLE_DEBTOR, 0);
    assert_string_equal(o->name, "MUELLER HANS PETER");
    assert_string_equal(o->dob, "1972-05-15");
    assert_int_equal(o->schema, CP_SCHEMA_PERSON);
    assert_non_null(strstr(o->other_id, "NIDN/DE/123456"));
    const cp_party *b = msg_party(l.items[0], CP_ROLE_CREDITOR, 0);
    assert_null(b->account); /* optional account line absent */
    assert_string_equal(b->country, "RU");
    cp_request_list_free(&l);

    const char *bad50f = "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n:50F:/1\nNO NUMBER\n:59:X\n-}";
    assert_int_equal(parse_str(bad50f, strlen(bad50f), 0, &err), -1);
    assert_string_equal(err.field, "50F");
    assert_int_equal(err.offset, (long)(strstr(bad50f, "NO NUMBER") - bad50f));
}

/* Parses s with the default options; returns the request list (caller frees). */
static int parse_list(const char *s, size_t len, cp_request_list *l, cp_error *err) {
    cp_request_list_init(l);
    memset(err, 0, sizeof *err);
    return cp_mt_parse(s, len, NULL, l, err);
}

static void stray_braces_repaired(void **state) {
    (void)state;
    char buf[1024];
    cp_request_list l;
    cp_error err;
    size_t n0 = strlen(base103);
    /* "-}}" (wso2 pmtTpInf) and "-}{\n" (Prowide out-ack, 11th message) */
    static const char *const tails[] = {"}", "{\n", "\r\n{ }\r\n", "{5:{CHK:123456789ABC}}}"};
    static const long at[] = {0, 0, 2, 22};        /* offset of the first stray brace after base103 */
    static const char *const shown[] = {"1 stray brace '}'", "1 stray brace '{'", "2 stray braces '{}'",
                                        "1 stray brace '}'"};
    for (size_t k = 0; k < 4; k++) {
        snprintf(buf, sizeof buf, "%s%s", base103, tails[k]);
        assert_int_equal(parse_list(buf, strlen(buf), &l, &err), 0);
        assert_int_equal(l.n, 1);
        const cp_request *r = l.items[0];
        assert_int_equal(r->n_warnings, 1);
        assert_string_equal(r->warnings[0].field, "block 4");
        assert_int_equal(r->warnings[0].offset, (long)n0 + at[k]);
        assert_non_null(strstr(r->warnings[0].message, shown[k]));
        /* the content is still read */
        assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->name, "ACME LTD");
        cp_request_list_free(&l);
    }
    /* the intact message has no warning */
    assert_int_equal(parse_list(base103, n0, &l, &err), 0);
    assert_int_equal(l.items[0]->n_warnings, 0);
    cp_request_list_free(&l);
}

static void block1_without_service_id_repaired(void **state) {
    (void)state;
    /* MT202_custom_fin1.fin: "{1:ABCDLKLXXXXX0000000000}{2:I202BCEYIN5MXXXXN}" */
    char buf[1024];
    snprintf(buf, sizeof buf, "{1:ABCDLKLXXXXX0000000000}%s", strstr(base103, "{2:"));
    cp_request_list l;
    cp_error err;
    assert_int_equal(parse_list(buf, strlen(buf), &l, &err), 0);
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "MT103");
    assert_int_equal(r->n_warnings, 1);
    assert_string_equal(r->warnings[0].field, "block 1");
    assert_int_equal(r->warnings[0].offset, 3);
    /* the sender is still known: LT ABCDLKLXXXXX -> BIC11 ABCDLKLXXXX */
    assert_string_equal(msg_party(r, CP_ROLE_INSTRUCTING_AGENT, 0)->bic, "ABCDLKLXXXX");
    cp_request_list_free(&l);

    /* both repairs in one message: two warnings, in order */
    snprintf(buf, sizeof buf, "{1:ABCDLKLXXXXX0000000000}%s}", strstr(base103, "{2:"));
    assert_int_equal(parse_list(buf, strlen(buf), &l, &err), 0);
    assert_int_equal(l.items[0]->n_warnings, 2);
    assert_string_equal(l.items[0]->warnings[1].field, "block 4");
    cp_request_list_free(&l);

    /* the splitter starts a new unit at the next "{1:" after such a block 1 */
    snprintf(buf, sizeof buf, "{1:ABCDLKLXXXXX0000000000}%s\n%s", strstr(base103, "{2:"), base103);
    cp_msg_iter it;
    cp_msg_span sp;
    cp_msg_iter_init(&it, buf, strlen(buf), CP_MSG_UNKNOWN);
    assert_int_equal(cp_msg_next(&it, &sp, &err), 1);
    assert_int_equal(sp.offset, 0);
    assert_int_equal(cp_msg_next(&it, &sp, &err), 1);
    assert_int_equal(memcmp(buf + sp.offset, "{1:F01", 6), 0);
    assert_int_equal(cp_msg_next(&it, &sp, &err), 0);
}

/* What is not safely recoverable stays an error (nothing is guessed). */
static void unrecoverable_damage_is_an_error(void **state) {
    (void)state;
    char buf[1024];
    cp_error err;
    const char *b2 = strstr(base103, "{2:");
    struct {
        const char *b1;   /* block 1 value */
        const char *why;
    } b1s[] = {
        {"ABCDLKLXXXXX000000000", "21 characters: session/sequence incomplete"},
        {"ABCDLKLXXXXX00000000001", "23 characters"},
        {"ABCD12LXXXXX0000000000", "no country code in the LT"},
        {"ABCDLKLXXXXX00000X0000", "letter in the sequence number"},
        {"01ABCDLKLXXXXX0000000000", "service id without the application id"},
    };
    for (size_t k = 0; k < sizeof b1s / sizeof b1s[0]; k++) {
        snprintf(buf, sizeof buf, "{1:%s}%s", b1s[k].b1, b2);
        if (parse_str(buf, strlen(buf), 0, &err) != -1) print_error("accepted: %s\n", b1s[k].why);
        assert_int_equal(err.code, CP_ERR_FORMAT);
        assert_string_equal(err.field, "block 1");
    }
    /* a damaged block 1 on a message without a text block is not a user message */
    const char *svc = "{1:ABCDLKLXXXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:{177:2404031200}{451:0}}";
    assert_int_equal(parse_str(svc, strlen(svc), 0, &err), -1);
    assert_string_equal(err.field, "block 4");

    size_t n0 = strlen(base103);
    /* text after a stray brace, a stray brace before a trailer, a stray byte */
    static const char *const tails[] = {"}X", "}{5:{CHK:1}}", "x", "}\n:20:MORE\n-}"};
    static const long at[] = {0, 0, 0, 0}; /* the first byte that is not a block */
    for (size_t k = 0; k < 4; k++) {
        snprintf(buf, sizeof buf, "%s%s", base103, tails[k]);
        assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
        assert_int_equal(err.offset, (long)n0 + at[k]);
    }
    /* unknown block identifiers */
    snprintf(buf, sizeof buf, "%s{7:{X:1}}", base103);
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "block 7");
    assert_non_null(strstr(err.message, "unknown block identifier"));
    /* braces inside block 4: an error naming the field */
    snprintf(buf, sizeof buf, "%s", base103);
    char *p = strstr(buf, "ACME LTD");
    p[4] = '}';
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "59");
    assert_int_equal(err.offset, (long)(p + 4 - buf));
    p[4] = '{';
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    /* a missing "-}" stays "not terminated" even with braces after it */
    snprintf(buf, sizeof buf, "%.*s}}", (int)(n0 - 2), base103);
    assert_int_equal(parse_str(buf, strlen(buf), 0, &err), -1);
    assert_string_equal(err.field, "block 4");
    /* a long continuation line of the first field names that field (was a crash) */
    char *big = malloc(CP_MT_MAX_LINE + 200);
    assert_non_null(big);
    int n = snprintf(big, 200, "{1:F01AAAAGB2LAXXX0000000000}{2:I103BBBBDEFFXXXXN}{4:\n:20:R\n");
    memset(big + n, 'A', CP_MT_MAX_LINE + 1);
    memcpy(big + n + CP_MT_MAX_LINE + 1, "\n-}", 3);
    assert_int_equal(parse_str(big, (size_t)n + CP_MT_MAX_LINE + 4, 0, &err), -1);
    assert_string_equal(err.field, "20");
    free(big);
}

static void oversized(void **state) {
    (void)state;
    size_t n = CP_MT_MAX_BYTES + 10;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'A', n);
    memcpy(big, base103, strlen(base103));
    cp_error err;
    assert_int_equal(parse_str(big, n, 0, &err), -1);
    assert_non_null(strstr(err.message, "exceeds the maximum"));
    assert_int_equal(err.offset, 0);
    free(big);
}

static void garbage_never_crashes(void **state) {
    (void)state;
    /* every prefix of a valid message is either parsed or rejected cleanly */
    cp_error err;
    for (size_t i = 0; i <= strlen(base103); i++) {
        int rc = parse_str(base103, i, 0, &err);
        assert_true(rc == 0 || rc == -1);
        if (rc < 0) assert_true(err.offset >= 0 && (size_t)err.offset <= i);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_mt_fixture_parses),
        cmocka_unit_test(mt103_59f_beneficiary),
        cmocka_unit_test(mt103_50k_59_lines),
        cmocka_unit_test(mt720_goods_and_ports),
        cmocka_unit_test(mt202cov_underlying_customer),
        cmocka_unit_test(mt101_one_request_per_sequence_b),
        cmocka_unit_test(rje_with_acks),
        cmocka_unit_test(splitter_units),
        cmocka_unit_test(base_parses),
        cmocka_unit_test(truncated_block4),
        cmocka_unit_test(missing_20),
        cmocka_unit_test(unknown_field_strict),
        cmocka_unit_test(malformed_tag_and_bic),
        cmocka_unit_test(option_f_lines),
        cmocka_unit_test(stray_braces_repaired),
        cmocka_unit_test(block1_without_service_id_repaired),
        cmocka_unit_test(unrecoverable_damage_is_an_error),
        cmocka_unit_test(oversized),
        cmocka_unit_test(garbage_never_crashes),
        cmocka_unit_test(mandatory_party_empty_or_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
