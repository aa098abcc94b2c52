/* Goods: HS codes in text (positives and false-positive traps), CHPL tiers of
 * real codes, EO 14114 classes, goods terms. Data: data/goods (repo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "goods/goods.h"

static cp_goods *G;

static int setup(void **st) {
    (void)st;
    cp_error err = {0};
    G = cp_goods_load("data/goods", &err);
    if (!G) fprintf(stderr, "load: %s (%s:%ld)\n", err.message, err.file, err.line);
    return G ? 0 : -1;
}
static int teardown(void **st) {
    (void)st;
    cp_goods_free(G);
    return 0;
}

/* Finds HS codes in text; returns the count and copies the first code's digits. */
static size_t hs(const char *text, char *first, int *ctx) {
    cp_hs_mention m[16];
    size_t n = cp_goods_find_hs(G, text, strlen(text), m, 16);
    if (n && first) strcpy(first, m[0].digits);
    if (n && ctx) *ctx = m[0].context;
    return n;
}

static void test_hs_positives(void **st) {
    (void)st;
    char d[16];
    int ctx = -1;
    assert_int_equal(hs("HS 8542.31", d, &ctx), 1);
    assert_string_equal(d, "854231");
    assert_int_equal(ctx, 1);
    assert_int_equal(hs("goods: 854231 per HS code list", d, NULL), 0);   /* keyword AFTER the code: no context */
    assert_int_equal(hs("HS CODE: 854231 QTY 100", d, NULL), 1);
    assert_string_equal(d, "854231");
    assert_int_equal(hs("HS 8542 31 00 microcontrollers", d, NULL), 1);
    assert_string_equal(d, "85423100");
    assert_int_equal(hs("HTS 8542.31.0001", d, NULL), 1);
    assert_string_equal(d, "8542310001");
    assert_int_equal(hs("ТН ВЭД 8471500000", d, NULL), 1);
    assert_string_equal(d, "8471500000");
    assert_int_equal(hs("HS编码：8542310000", d, NULL), 1);
    /* a list after one keyword */
    cp_hs_mention m[8];
    const char *t = "HS 8542.31, 8542.32 and 8541.10";
    assert_int_equal(cp_goods_find_hs(G, t, strlen(t), m, 8), 3);
    assert_string_equal(m[2].digits, "854110");
    assert_int_equal(m[2].context, 1);
    /* without a keyword: dotted 6+ digits whose HS-6 exists (848210 = ball bearings) */
    assert_int_equal(hs("1200 pcs 8482.10 per contract", d, &ctx), 1);
    assert_string_equal(d, "848210");
    assert_int_equal(ctx, 0);
    /* heading only with context */
    assert_int_equal(hs("tariff heading 8457", d, NULL), 1);
    assert_string_equal(d, "8457");
}

static void test_hs_traps(void **st) {
    (void)st;
    assert_int_equal(hs("payment of 8542.31 USD", NULL, NULL), 0);       /* amount with currency */
    assert_int_equal(hs("EUR 8542.31", NULL, NULL), 0);
    assert_int_equal(hs("amount 1,234.56 dated 2024.05.12", NULL, NULL), 0);  /* amount, date */
    assert_int_equal(hs("tel +7 495 854231", NULL, NULL), 0);            /* phone */
    assert_int_equal(hs("IBAN DE89 3704 0044 0532 0130 00", NULL, NULL), 0);
    assert_int_equal(hs("postcode 125009 Moscow", NULL, NULL), 0);       /* postcode */
    assert_int_equal(hs("invoice 854231", NULL, NULL), 0);               /* undotted without keyword */
    assert_int_equal(hs("HS 9999.99", NULL, NULL), 0);                   /* chapter 99 not in HS */
    assert_int_equal(hs("HS 7701.10", NULL, NULL), 0);                   /* chapter 77 reserved */
    assert_int_equal(hs("ref 8542.31.5", NULL, NULL), 0);                /* glued to a longer number */
    assert_int_equal(hs("HS 85423", NULL, NULL), 0);                     /* odd digit count */
}

static void test_chpl_tiers(void **st) {
    (void)st;
    cp_hs_info i;
    /* chpl_hs6.csv: 1,854231,"Electronic integrated circuits; processors and controllers..." */
    assert_int_equal(cp_goods_hs_lookup(G, "854231", 6, &i), 0);
    assert_string_equal(i.chpl_tier, "1");
    assert_true(i.known);
    /* a 10-digit national line matches its HS-6 */
    cp_goods_hs_lookup(G, "8542310001", 10, &i);
    assert_string_equal(i.chpl_tier, "1");
    /* 2,853224,"Electrical capacitors; fixed, ceramic dielectric, multilayer" */
    cp_goods_hs_lookup(G, "853224", 6, &i);
    assert_string_equal(i.chpl_tier, "2");
    /* 3.A,854110,"Electrical apparatus; diodes, ..." */
    cp_goods_hs_lookup(G, "854110", 6, &i);
    assert_string_equal(i.chpl_tier, "3.A");
    /* 3.B,848210,Ball bearings */
    cp_goods_hs_lookup(G, "848210", 6, &i);
    assert_string_equal(i.chpl_tier, "3.B");
    assert_string_equal(i.eo_class, "bearings");
    /* 4.A,903020,Oscilloscopes and oscillographs */
    cp_goods_hs_lookup(G, "903020", 6, &i);
    assert_string_equal(i.chpl_tier, "4.A");
    /* 4.B,845710,"Machining centres; for working metal" */
    cp_goods_hs_lookup(G, "845710", 6, &i);
    assert_string_equal(i.chpl_tier, "4.B");
    assert_string_equal(i.eo_class, "machine_tools");
    /* heading 8542 (HS 2022: "Electronic integrated circuits"): CHPL possible, tier 1 under it */
    cp_goods_hs_lookup(G, "8542", 4, &i);
    assert_null(i.chpl_tier);
    assert_true(i.chpl_possible);
    assert_string_equal(i.chpl_tiers, "1");
    /* 842240 (HS 2022: "Machinery; for packing or wrapping") is in no CHPL row and no EO class */
    cp_goods_hs_lookup(G, "842240", 6, &i);
    assert_null(i.chpl_tier);
    assert_false(i.chpl_possible);
    assert_null(i.eo_class);
    /* nitrocellulose 391220 (HS 2022: "Cellulose nitrates (including collodions); in primary forms"):
     * EO 14114 propellants, named in the determination; not CHPL */
    cp_goods_hs_lookup(G, "391220", 6, &i);
    assert_null(i.chpl_tier);
    assert_string_equal(i.eo_class, "propellants_explosives");
    assert_string_equal(i.eo_source, "determination-text");
    assert_int_equal(cp_goods_chpl_count(G), 50);
    assert_int_equal(cp_goods_hs_lookup(G, "85x2", 4, &i), -1);
}

static void test_terms(void **st) {
    (void)st;
    assert_true(cp_goods_term_count(G) >= 80);
    cp_ftext ft = {0};
    cp_goods_term_hit h[8];
    const char *t = "CNC machining centres and tantalum capacitors, MLCCs";
    size_t n = cp_goods_find_terms(G, &ft, t, strlen(t), h, 8);
    assert_int_equal(n, 3);
    assert_int_equal(h[0].end - h[0].start, strlen("CNC machining centres"));
    assert_string_equal(h[0].term->chpl_tier, "4.B");
    assert_string_equal(h[1].term->chpl_tier, "2");   /* tantalum 853221 tier 2 */
    /* plural by a final s: "oscilloscopes" is listed, "FPGAs" too; "gyroscopes" */
    t = "two GNSS modules and a fibre optic gyroscope";
    n = cp_goods_find_terms(G, &ft, t, strlen(t), h, 8);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].term->eo_class, "navigation_instruments");
    /* Russian and Chinese */
    t = "микроконтроллеры STM32 и подшипники";
    n = cp_goods_find_terms(G, &ft, t, strlen(t), h, 8);
    assert_int_equal(n, 2);
    assert_string_equal(h[1].term->eo_class, "bearings");
    t = "采购微控制器和集成电路";
    n = cp_goods_find_terms(G, &ft, t, strlen(t), h, 8);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].term->chpl_tier, "1");
    /* whole words only: "bearingstraat" is not "bearing" */
    t = "Bearingstraat 5, Amsterdam";
    assert_int_equal(cp_goods_find_terms(G, &ft, t, strlen(t), h, 8), 0);
    cp_ftext_free(&ft);
}

static void test_load_errors(void **st) {
    (void)st;
    cp_error err = {0};
    assert_null(cp_goods_load("tests/no-such-dir", &err));
    assert_int_equal(err.code, CP_ERR_IO);
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_hs_positives), cmocka_unit_test(test_hs_traps), cmocka_unit_test(test_chpl_tiers),
        cmocka_unit_test(test_terms), cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(t, setup, teardown);
}
