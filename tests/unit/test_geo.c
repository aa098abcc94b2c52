/* Geo: IBAN check digits and lengths, BIC country, occupied-region places,
 * countries in addresses, jurisdiction sets, IMO check digit. Data: data/geo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "geo/geo.h"

static cp_geo *G;

static int setup(void **st) {
    (void)st;
    cp_error err = {0};
    G = cp_geo_load("data/geo", &err);
    if (!G) fprintf(stderr, "load: %s (%s:%ld)\n", err.message, err.file, err.line);
    return G ? 0 : -1;
}
static int teardown(void **st) {
    (void)st;
    cp_geo_free(G);
    return 0;
}

static cp_iban_status iban(const char *s, char *cc) { return cp_geo_iban_check(G, s, strlen(s), cc); }

static void test_iban(void **st) {
    (void)st;
    char cc[3] = "";
    /* valid IBANs: the published examples of the SWIFT IBAN Registry / ECBS */
    assert_int_equal(iban("DE89 3704 0044 0532 0130 00", cc), CP_IBAN_OK);
    assert_string_equal(cc, "DE");
    assert_int_equal(iban("GB82WEST12345698765432", cc), CP_IBAN_OK);
    assert_int_equal(iban("FR1420041010050500013M02606", cc), CP_IBAN_OK);
    assert_int_equal(iban("NL91ABNA0417164300", cc), CP_IBAN_OK);
    assert_int_equal(iban("/BE68539007547034", cc), CP_IBAN_OK);   /* MT 59 account line */
    assert_int_equal(iban("CH9300762011623852957", cc), CP_IBAN_OK);
    /* invalid */
    assert_int_equal(iban("GB82WEST12345698765433", cc), CP_IBAN_BAD_CHECKSUM);   /* last digit changed */
    assert_int_equal(iban("DE89370400440532013001", cc), CP_IBAN_BAD_CHECKSUM);
    assert_int_equal(iban("DE8937040044053201300", cc), CP_IBAN_BAD_LENGTH);     /* 21 chars, DE is 22 */
    assert_int_equal(iban("DE89-3704-0044", cc), CP_IBAN_BAD_CHARS);
    /* not IBANs: a Russian 20-digit account, a US account, empty */
    assert_int_equal(iban("40702810900000001234", cc), CP_IBAN_NOT_IBAN);
    assert_int_equal(iban("US12345678901234", cc), CP_IBAN_NOT_IBAN);
    assert_int_equal(iban("", cc), CP_IBAN_NOT_IBAN);
}

static void test_bic(void **st) {
    (void)st;
    char cc[3] = "";
    assert_true(cp_geo_bic_country(G, "SABRRUMM", 8, cc));   /* Sberbank, Moscow */
    assert_string_equal(cc, "RU");
    assert_true(cp_geo_bic_country(G, "VTBRRUM2MS2", 11, cc));
    assert_string_equal(cc, "RU");
    assert_true(cp_geo_bic_country(G, "deutdeff500", 11, cc));
    assert_string_equal(cc, "DE");
    assert_true(cp_geo_bic_country(G, "HSBCHKHH", 8, cc));
    assert_string_equal(cc, "HK");
    assert_false(cp_geo_bic_country(G, "ABCD12", 6, cc));       /* too short */
    assert_false(cp_geo_bic_country(G, "ABCDXXYY", 8, cc));     /* XX is not a country */
    assert_false(cp_geo_bic_country(G, "ABCD1234", 8, cc));     /* country must be letters */
}

/* First place hit's country/region for text. */
static int place(const char *t, const char *cc, const char *region) {
    cp_ftext ft = {0};
    cp_place_hit h[8];
    size_t n = cp_geo_find_address(G, &ft, t, strlen(t), h, 8);
    cp_ftext_free(&ft);
    if (!n || n == (size_t)-1) return 0;
    return !strcmp(h[0].place->cc, cc) && !strcmp(h[0].place->region, region);
}

static void test_places(void **st) {
    (void)st;
    /* occupied regions of Ukraine (data/geo/places.tsv) */
    assert_true(place("ul. Kievskaya 77, Simferopol", "UA", "UA-43"));
    assert_true(place("Sevastopol port", "UA", "UA-40"));
    assert_true(place("KERCH", "UA", "UA-43"));
    assert_true(place("г. Донецк", "UA", "UA-14"));
    assert_true(place("Luhansk People's Republic", "UA", "UA-09"));
    assert_true(place("Mariupol", "UA", "UA-14"));
    assert_true(place("Berdyansk sea port", "UA", "UA-23"));
    assert_true(place("Melitopol", "UA", "UA-23"));
    assert_true(place("Nova Kakhovka", "UA", "UA-65"));
    assert_true(place("Henichesk", "UA", "UA-65"));
    assert_true(place("Skadovsk", "UA", "UA-65"));
    /* Kyiv is not occupied: plain Ukraine by name */
    assert_true(place("Ukraine", "UA", ""));
    /* Russian ports and cities, country words, codes */
    assert_true(place("Port of discharge: Novorossiysk", "RU", ""));
    assert_true(place("UST-LUGA", "RU", ""));
    assert_true(place("Москва, Россия", "RU", ""));
    assert_true(place("OOO ROGA, UL. LENINA 5, 125009, RU", "RU", ""));
    assert_true(place("Russian Federation", "RU", ""));
    assert_true(place("Minsk", "BY", ""));
    assert_true(place("香港九龙", "HK", ""));
    assert_true(place("Türkiye", "TR", ""));
    /* capital letter required for country words that are common words */
    assert_false(place("frozen turkey meat", "TR", ""));
    assert_true(place("Istanbul, TURKEY", "TR", ""));
}

static void test_sets(void **st) {
    (void)st;
    const cp_jurisdiction *j = cp_geo_jurisdiction(G, "occupied_ua", "UA", "UA-43");
    assert_non_null(j);
    assert_non_null(strstr(j->source, "13685"));
    assert_null(cp_geo_jurisdiction(G, "occupied_ua", "UA", ""));   /* Ukraine itself is not occupied */
    assert_non_null(cp_geo_jurisdiction(G, "russia_belarus", "BY", NULL));
    assert_non_null(cp_geo_jurisdiction(G, "comprehensive", "KP", NULL));
    assert_non_null(cp_geo_jurisdiction(G, "transshipment", "KG", NULL));
    assert_null(cp_geo_jurisdiction(G, "transshipment", "DE", NULL));
    j = cp_geo_jurisdiction(G, "formerly_comprehensive", "SY", NULL);
    assert_non_null(j);
    assert_string_equal(j->status, "lifted");
    assert_null(cp_geo_jurisdiction(G, "comprehensive", "SY", NULL));
}

static void test_imo(void **st) {
    (void)st;
    /* SDN 21115 MARSHAL ZHUKOV: "Vessel Registration Identification IMO 9690224" */
    assert_true(cp_imo_valid("9690224"));
    assert_true(cp_imo_valid("9074729"));
    assert_false(cp_imo_valid("9690225"));
    assert_false(cp_imo_valid("96902a4"));
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_iban), cmocka_unit_test(test_bic), cmocka_unit_test(test_places),
        cmocka_unit_test(test_sets), cmocka_unit_test(test_imo),
    };
    return cmocka_run_group_tests(t, setup, teardown);
}
