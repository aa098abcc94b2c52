/* cp_geo: countries, places, jurisdiction sets, BIC and IBAN countries.
 *
 * Data (data/geo, read at load; see data/geo/PROVENANCE.md):
 *  - country-codes.csv: ISO 3166-1 alpha-2/alpha-3 and names (CLDR, official
 *    English/Russian/Chinese, UNTERM short), ODC-PDDL;
 *  - country_variants.tsv: other spellings ("Russian Federation", "UAE", "РФ");
 *  - places.tsv: cities, ports and regions -> country and, for occupied
 *    regions of Ukraine, the ISO 3166-2 subdivision (UA-43 Crimea...);
 *  - jurisdictions.tsv: named sets (russia_belarus, occupied_ua,
 *    comprehensive, transshipment...) with a source per row;
 *  - iban_lengths.tsv: IBAN length per country (ISO 13616 registry).
 *
 * A loaded cp_geo is immutable and may be shared between threads; matchers
 * take caller scratch (cp_ftext) for per-thread state. */
#ifndef CP_GEO_GEO_H
#define CP_GEO_GEO_H
#include "chokepoint.h"
#include "goods/fold.h"
#include <stddef.h>
#include <stdint.h>

typedef struct cp_geo cp_geo;

/* Loads the tables from `dir` (the data/geo folder). A malformed row fails
 * the load with err naming file, line and column. Free with cp_geo_free. */
cp_geo *cp_geo_load(const char *dir, cp_error *err);
void cp_geo_free(cp_geo *g);   /* accepts NULL */

typedef struct cp_country {
    char a2[3], a3[4];
    const char *name;          /* CLDR display name ("Russia") */
} cp_country;

/* Country by alpha-2 or alpha-3 code (case-insensitive), or NULL. */
const cp_country *cp_geo_country(const cp_geo *g, const char *code, size_t len);
/* Country by code or by any known name/variant (folded whole-string match:
 * "Russian Federation", "РФ", "Türkiye", "HK"), or NULL. */
const cp_country *cp_geo_country_lookup(const cp_geo *g, cp_ftext *scratch, const char *s, size_t len);

/* A known place or country name. */
typedef struct cp_geo_place {
    const char *name;          /* as written in the table */
    char cc[3];                /* ISO 3166-1 alpha-2 */
    char region[8];            /* ISO 3166-2 subdivision ("UA-43") or "" */
    const char *kind;          /* "country", "city", "port", "region" */
    int ambiguous;             /* also a common word: counted only when capitalised */
} cp_geo_place;

typedef struct cp_place_hit {
    uint32_t start, end;       /* bytes of the matched words */
    const cp_geo_place *place;
} cp_place_hit;

/* Finds place and country names in text (folded whole words, longest
 * first). Latin-script country names and ambiguous names count only when
 * written with a capital ("Turkey", "TURKEY", not "turkey"). Writes at most
 * `max` hits; returns the count, or (size_t)-1 on OOM. */
size_t cp_geo_find_places(const cp_geo *g, cp_ftext *scratch, const char *text, size_t len, cp_place_hit *out,
                          size_t max);

/* Country of an address line: first the places/names in it; failing that a
 * trailing ISO alpha-2/alpha-3 code as the last word ("..., MOSCOW, RU").
 * Returns the number of hits written (places first, then at most one code hit
 * with place pointing at a static country entry), or (size_t)-1 on OOM. */
size_t cp_geo_find_address(const cp_geo *g, cp_ftext *scratch, const char *text, size_t len, cp_place_hit *out,
                           size_t max);

/* ISO 9362 BIC: 4 alphanumerics (institution), 2 letters (country: a known
 * ISO 3166 alpha-2, or XK), 2 alphanumerics (location), optional 3
 * alphanumerics (branch); 8 or 11 characters, case-insensitive. Writes the
 * upper-case country into cc[3]. Returns 1 when well-formed, 0 otherwise. */
int cp_geo_bic_country(const cp_geo *g, const char *bic, size_t len, char cc[3]);

typedef enum cp_iban_status {
    CP_IBAN_OK = 0,
    CP_IBAN_NOT_IBAN,          /* does not look like an IBAN (no country + check digits, or country without IBAN) */
    CP_IBAN_BAD_CHARS,         /* characters other than letters, digits and spaces */
    CP_IBAN_BAD_LENGTH,        /* wrong length for its country (ISO 13616 registry) */
    CP_IBAN_BAD_CHECKSUM       /* ISO 7064 MOD 97-10 check fails */
} cp_iban_status;

/* Checks an account string as an IBAN (spaces ignored, case-insensitive, a
 * leading '/' as in MT 59 "/DE89..." ignored). Country -> cc[3] when the
 * first two characters are a registry country. Source: ISO 13616-1:2020 and
 * the SWIFT IBAN Registry (lengths), ISO 7064 MOD 97-10 (check digits). */
cp_iban_status cp_geo_iban_check(const cp_geo *g, const char *s, size_t len, char cc[3]);
const char *cp_iban_status_text(cp_iban_status st);

/* One jurisdiction-set row (data/geo/jurisdictions.tsv). */
typedef struct cp_jurisdiction {
    const char *set, *code, *name, *status, *source;
} cp_jurisdiction;

/* The row of `set` covering a country (alpha-2) or a subdivision (region,
 * may be NULL/""): a row for the region wins over a row for the country.
 * NULL when the set does not cover it. */
const cp_jurisdiction *cp_geo_jurisdiction(const cp_geo *g, const char *set, const char *cc, const char *region);
/* 1 if the set has at least one row. */
int cp_geo_set_exists(const cp_geo *g, const char *set);

/* IMO number check (IMO Resolution A.600(15); SOLAS XI-1/3): 7 digits whose
 * last digit is the sum of the first six times 7,6,5,4,3,2, mod 10.
 * Returns 1 when valid. */
int cp_imo_valid(const char *digits7);

const char *cp_geo_version(const cp_geo *g);
#endif
