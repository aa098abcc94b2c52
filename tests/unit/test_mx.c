/* ISO 20022 (MX) parser: every MX fixture parses, hand-checked extractions,
 * malformed and hostile XML. Expected values read by hand from the fixtures
 * (quoted in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "msg/mx.h"
#include "unit/msg_test_util.h"

typedef struct walk_ctx {
    size_t files, requests;
} walk_ctx;

static void check_file(const char *path, void *vctx) {
    walk_ctx *w = vctx;
    cp_bytes b;
    assert_int_equal(msg_read(path, &b), 0);
    assert_int_equal(cp_msg_detect(b.data, b.len), CP_MSG_MX);
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    int rc = cp_mx_parse(b.data, b.len, NULL, &l, &err);
    if (rc != 0) print_error("%s: field %s offset %ld: %s\n", path, err.field, err.offset, err.message);
    assert_int_equal(rc, 0);
    assert_true(l.n >= 1);
    for (size_t i = 0; i < l.n; i++) {
        assert_string_equal(l.items[i]->format, "mx");
        assert_non_null(l.items[i]->type);
        assert_non_null(l.items[i]->message_id);
    }
    w->files++;
    w->requests += l.n;
    cp_request_list_free(&l);
    free(b.data);
}

static void every_mx_fixture_parses(void **state) {
    (void)state;
    walk_ctx w = {0, 0};
    msg_walk(FIXTURES "/iso20022", check_file, &w);
    /* 118 CBPR+/HVPS+ samples + 5 pain.001 (their PROVENANCE.md files) */
    assert_int_equal(w.files, 123);
    assert_true(w.requests >= 123);
}

static void pacs008_creditor(void **state) {
    (void)state;
    /* cbprplus_p.2.1.1_pacs.008-AtoB.xml (Document xmlns ...pacs.008.001.12):
     *   <MsgId>pacs8bizmsgidr01</MsgId> <EndToEndId>pacs008EndToEndId-001</EndToEndId>
     *   <IntrBkSttlmAmt Ccy="EUR">15669.38</IntrBkSttlmAmt> <IntrBkSttlmDt>2021-04-09</IntrBkSttlmDt>
     *   <Cdtr><Nm>Evli</Nm><PstlAdr><StrtNm>Aleksanterinkatu 19</StrtNm><TwnNm>Helsinki</TwnNm><Ctry>FI</Ctry>
     *   <CdtrAcct><Id><Othr><Id>98653214</Id>  (no pacs.008 fixture carries an IBAN; see pain.001 below)
     *   <CdtrAgt><FinInstnId><BICFI>HELSFIHHXXX</BICFI>  <IntrmyAgt1>...<BICFI>NDEAFIHHXXX */
    cp_request_list l = msg_parse_fixture("iso20022/cbpr-plus/cbprplus_p.2.1.1_pacs.008-AtoB.xml");
    assert_int_equal(l.n, 1);
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "pacs.008.001.12");
    assert_string_equal(r->message_id, "pacs8bizmsgidr01/pacs008EndToEndId-001");
    assert_string_equal(r->currency, "EUR");
    assert_string_equal(r->amount, "15669.38");
    assert_string_equal(r->value_date, "2021-04-09");
    const cp_party *c = msg_party(r, CP_ROLE_CREDITOR, 0);
    assert_string_equal(c->field, "Cdtr");
    assert_string_equal(c->name, "Evli");
    assert_string_equal(c->country, "FI");
    assert_string_equal(c->town, "Helsinki");
    assert_string_equal(c->account, "98653214");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR_AGENT, 0)->bic, "HELSFIHHXXX");
    assert_string_equal(msg_party(r, CP_ROLE_INTERMEDIARY, 0)->bic, "NDEAFIHHXXX");
    assert_string_equal(msg_party(r, CP_ROLE_DEBTOR, 0)->name, "C Consumer");
    /* AppHdr Fr/To (RBOSGB2LXXX -> ABNANL2AXXX) as well as InstgAgt/InstdAgt */
    int fr = 0;
    for (size_t i = 0; i < r->n_parties; i++)
        if (!strcmp(r->parties[i].field, "AppHdr/Fr")) fr = !strcmp(r->parties[i].bic, "RBOSGB2LXXX");
    assert_true(fr);
    assert_true(c->offset > 0);
    cp_request_list_free(&l);
}

static void pacs009_cov_underlying(void **state) {
    (void)state;
    /* cbprplus_p.2.3.1.a_pacs.009.cov-AtoB.xml: <Cdtr><FinInstnId><BICFI>CAIXESBB and
     * <UndrlygCstmrCdtTrf><Dbtr><Nm>A Debiter</Nm>...<Ctry>GB ... <Cdtr><Nm>B Creditor Co</Nm>...<Ctry>ES
     * <CdtrAcct>...<Id>65479512 */
    cp_request_list l = msg_parse_fixture("iso20022/cbpr-plus/cbprplus_p.2.3.1.a_pacs.009.cov-AtoB.xml");
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "pacs.009.001.11");
    assert_string_equal(msg_party(r, CP_ROLE_CREDITOR, 0)->bic, "CAIXESBB");
    const cp_party *ud = msg_party(r, CP_ROLE_ULTIMATE_DEBTOR, 0);
    assert_string_equal(ud->field, "UndrlygCstmrCdtTrf/Dbtr");
    assert_string_equal(ud->name, "A Debiter");
    assert_string_equal(ud->country, "GB");
    const cp_party *uc = msg_party(r, CP_ROLE_ULTIMATE_CREDITOR, 0);
    assert_string_equal(uc->name, "B Creditor Co");
    assert_string_equal(uc->country, "ES");
    assert_string_equal(uc->account, "65479512");
    cp_request_list_free(&l);
}

static void pain001_several_transactions(void **state) {
    (void)state;
    /* moov-iso20022_musterfile_pain.001_Nov2020.xml: GrpHdr <MsgId>MsgId-001</MsgId>, <InitgPty><Nm>Robert
     * Schneider; 16 "CdtTrfTxInf>" tags = 8 transactions (the header's NbOfTxs says 7) in several PmtInf.
     * First: PmtInf <Dbtr><Nm>Robert Schneider</Nm> <DbtrAcct>...<IBAN>CH0309000000250090342</IBAN>,
     * <EndToEndId>EndToEndId-01-01</EndToEndId> <InstdAmt Ccy="CHF">6.20</InstdAmt>
     * <Cdtr><Nm>Maria Bernasconi</Nm>...<TwnNm>Biel</TwnNm> <CdtrAcct>...<IBAN>CH5109000000250092291</IBAN>
     * <ReqdExctnDt>2020-07-28</ReqdExctnDt> */
    cp_request_list l = msg_parse_fixture("iso20022/pain001/moov-iso20022_musterfile_pain.001_Nov2020.xml");
    assert_int_equal(l.n, 8);
    const cp_request *r = l.items[0];
    assert_string_equal(r->type, "pain.001.001.03.ch.02");
    assert_string_equal(r->message_id, "MsgId-001/EndToEndId-01-01");
    assert_string_equal(r->currency, "CHF");
    assert_string_equal(r->amount, "6.20");
    assert_string_equal(r->value_date, "2020-07-28");
    const cp_party *c = msg_party(r, CP_ROLE_CREDITOR, 0);
    assert_string_equal(c->name, "Maria Bernasconi");
    assert_string_equal(c->account, "CH5109000000250092291");
    assert_string_equal(c->town, "Biel");
    const cp_party *d = msg_party(r, CP_ROLE_DEBTOR, 0);
    assert_string_equal(d->field, "PmtInf/Dbtr");
    assert_string_equal(d->account, "CH0309000000250090342");
    assert_string_equal(msg_party(r, CP_ROLE_INITIATING_PARTY, 0)->name, "Robert Schneider");
    assert_string_equal(msg_text(r, "RmtInf/Ustrd")->text, "Rechnung 1122");
    /* each transaction gets only its own PmtInf's debtor: transaction 8 (PmtInf 6) is paid by
     * <Dbtr><Nm>Maria Bernasconi</Nm> */
    const cp_request *last = l.items[7];
    assert_string_equal(msg_party(last, CP_ROLE_DEBTOR, 0)->name, "Maria Bernasconi");
    assert_null(msg_party(last, CP_ROLE_DEBTOR, 1));
    for (size_t i = 0; i < l.n; i++) assert_null(msg_party(l.items[i], CP_ROLE_DEBTOR, 1));
    cp_request_list_free(&l);
}

static void pain001_russia_agent(void **state) {
    (void)state;
    /* moov-iso20022_International_payment_RUB_naujas_1.xml: <CdtrAgt>... <Nm>UNICREDIT BANK AO</Nm>,
     * <Ctry>RU</Ctry>; debtor agent BICFI CBSBLT26XXX per PROVENANCE ("CBSBLT26") */
    cp_request_list l = msg_parse_fixture("iso20022/pain001/moov-iso20022_International_payment_RUB_naujas_1.xml");
    const cp_request *r = l.items[0];
    const cp_party *a = msg_party(r, CP_ROLE_CREDITOR_AGENT, 0);
    assert_string_equal(a->name, "UNICREDIT BANK AO");
    assert_string_equal(a->country, "RU");
    assert_true(strncmp(msg_party(r, CP_ROLE_DEBTOR_AGENT, 0)->bic, "CBSBLT26", 8) == 0);
    assert_string_equal(r->currency, "RUB");
    cp_request_list_free(&l);
}

static int parse_str(const char *s, cp_error *err, size_t *n) {
    cp_request_list l;
    cp_request_list_init(&l);
    memset(err, 0, sizeof *err);
    int rc = cp_mx_parse(s, strlen(s), NULL, &l, err);
    if (n) *n = l.n;
    if (rc != 0) assert_int_equal(l.n, 0);
    cp_request_list_free(&l);
    return rc;
}

static void bare_document(void **state) {
    (void)state;
    const char *doc =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf>"
        "<GrpHdr><MsgId>M1</MsgId></GrpHdr>"
        "<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><Cdtr><Nm>X</Nm></Cdtr></CdtTrfTxInf>"
        "<CdtTrfTxInf><PmtId><EndToEndId>E2</EndToEndId></PmtId><Cdtr><Nm>Y</Nm></Cdtr>"
        "<RmtInf><Ustrd>goods</Ustrd></RmtInf></CdtTrfTxInf>"
        "</FIToFICstmrCdtTrf></Document>";
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    assert_int_equal(cp_mx_parse(doc, strlen(doc), NULL, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0]->type, "pacs.008.001.08");
    assert_string_equal(l.items[1]->message_id, "M1/E2");
    assert_string_equal(msg_party(l.items[1], CP_ROLE_CREDITOR, 0)->name, "Y");
    assert_null(msg_text(l.items[0], "RmtInf/Ustrd"));
    cp_request_list_free(&l);
}

/* Namespace of the Document (docs/robustness.md: "urn:example:wrong" or none
 * was parsed by element names with the type "wrong"): not an ISO 20022 message
 * namespace, or an unknown message -> error naming it; a known message in an
 * unknown version -> parsed with a parse warning (REVIEW). */
static void document_namespace(void **state) {
    (void)state;
    static const char body[] = "><FIToFICstmrCdtTrf><GrpHdr><MsgId>M1</MsgId></GrpHdr>"
                               "<CdtTrfTxInf><Cdtr><Nm>X</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>";
    char doc[512];
    cp_error err;
    const char *bad[] = {"", " xmlns=\"urn:example:wrong\"", " xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008\"",
                         " xmlns=\"urn:iso:std:iso:20022:tech:xsd:zzzz.999.001.01\"",
                         " xmlns=\"http://example.com/pacs.008.001.08\""};
    const char *want[] = {"Document without a namespace", "namespace 'urn:example:wrong' is not an ISO 20022",
                          "is not an ISO 20022 message namespace", "message zzzz.999 is not a supported",
                          "is not an ISO 20022 message namespace"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(doc, sizeof doc, "<Document%s%s", bad[i], body);
        memset(&err, 0, sizeof err);
        assert_int_equal(parse_str(doc, &err, NULL), -1);
        assert_string_equal(err.field, "Document");
        assert_int_equal(err.offset, 0);
        if (!strstr(err.message, want[i])) fail_msg("%zu: %s", i, err.message);
    }
    cp_request_list l;
    cp_request_list_init(&l);
    /* known versions: no warning; a scheme's restricted schema (Swiss) too */
    const char *ok[] = {"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08", "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.12",
                        "http://www.six-interbank-clearing.com/de/pacs.008.001.08.ch.02.xsd"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(doc, sizeof doc, "<Document xmlns=\"%s\"%s", ok[i], body);
        assert_int_equal(cp_mx_parse(doc, strlen(doc), NULL, &l, &err), 0);
        assert_int_equal(l.items[l.n - 1]->n_warnings, 0);
    }
    /* a version above the highest known, and another variant: warning */
    const char *warn[] = {"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.99", "urn:iso:std:iso:20022:tech:xsd:pacs.008.002.08"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(doc, sizeof doc, "<Document xmlns=\"%s\"%s", warn[i], body);
        assert_int_equal(cp_mx_parse(doc, strlen(doc), NULL, &l, &err), 0);
        const cp_request *r = l.items[l.n - 1];
        assert_int_equal(r->n_warnings, 1);
        assert_string_equal(r->warnings[0].field, "Document");
        assert_non_null(strstr(r->warnings[0].message, "is not a known version of pacs.008"));
        assert_string_equal(r->type, warn[i] + 31);
    }
    cp_request_list_free(&l);
}

static void broken_xml(void **state) {
    (void)state;
    cp_error err;
    const char *s = "<Document>\n<FIToFICstmrCdtTrf>\n<GrpHdr><MsgId>M1</MsgId>\n</Document>";
    assert_int_equal(parse_str(s, &err, NULL), -1);
    assert_string_equal(err.field, "XML");
    assert_int_equal(err.code, CP_ERR_FORMAT);
    assert_true(err.line >= 3);
    assert_true(err.offset >= (long)(strstr(s, "</Document>") - s) - 20);
    assert_non_null(strstr(err.message, "broken XML"));
    /* truncated in the middle */
    assert_int_equal(parse_str("<Document><FIToFICstmrCdtTrf><GrpHd", &err, NULL), -1);
    assert_string_equal(err.field, "XML");
}

static void no_entities_no_network(void **state) {
    (void)state;
    cp_error err;
    const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                      "<Document><FIToFICstmrCdtTrf><GrpHdr><MsgId>&x;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>";
    assert_int_equal(parse_str(xxe, &err, NULL), -1);
    assert_string_equal(err.field, "DOCTYPE");
    const char *bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                       "<Document><X><Nm>&b;</Nm></X></Document>";
    assert_int_equal(parse_str(bomb, &err, NULL), -1);
    assert_string_equal(err.field, "DOCTYPE");
}

static void oversized_and_empty(void **state) {
    (void)state;
    cp_error err;
    const char *s = "<Document><X/></Document>";
    cp_request_list l;
    cp_request_list_init(&l);
    cp_msg_opts o;
    memset(&o, 0, sizeof o);
    o.max_bytes = 10;
    assert_int_equal(cp_mx_parse(s, strlen(s), &o, &l, &err), -1);
    assert_non_null(strstr(err.message, "exceeds the maximum"));
    assert_int_equal(cp_mx_parse(s, 0, NULL, &l, &err), -1);
    assert_int_equal(parse_str("<Envelope><AppHdr/></Envelope>", &err, NULL), 0); /* bare root: 1 request */
    assert_int_equal(parse_str("<AppHdr><Fr/></AppHdr>", &err, NULL), -1);
    assert_string_equal(err.field, "Document");
    cp_request_list_free(&l);
}

static void deep_nesting_rejected(void **state) {
    (void)state;
    char buf[4096];
    size_t k = 0;
    k += (size_t)snprintf(buf + k, sizeof buf - k, "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><M>");
    for (int i = 0; i < 100; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "<a>");
    for (int i = 0; i < 100; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "</a>");
    snprintf(buf + k, sizeof buf - k, "</M></Document>");
    cp_error err;
    assert_int_equal(parse_str(buf, &err, NULL), -1);
    assert_non_null(strstr(err.message, "nested deeper"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_mx_fixture_parses),
        cmocka_unit_test(pacs008_creditor),
        cmocka_unit_test(pacs009_cov_underlying),
        cmocka_unit_test(pain001_several_transactions),
        cmocka_unit_test(pain001_russia_agent),
        cmocka_unit_test(bare_document),
        cmocka_unit_test(document_namespace),
        cmocka_unit_test(broken_xml),
        cmocka_unit_test(no_entities_no_network),
        cmocka_unit_test(oversized_and_empty),
        cmocka_unit_test(deep_nesting_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
