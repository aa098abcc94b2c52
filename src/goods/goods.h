/* cp_goods: goods screening reference data and matchers.
 *
 *  - HS 2022 nomenclature (data/goods/harmonized-system-2022.csv, WCO HS via
 *    UN Comtrade, ODC-PDDL): chapters, headings, subheadings with texts;
 *  - the BIS Common High Priority List (data/goods/chpl_hs6.csv, BIS
 *    2024-02-23): 50 HS-6 codes by tier (1, 2, 3.A, 3.B, 4.A, 4.B);
 *  - the 8 EO 14114 "specified items" classes (data/goods/eo14114_classes.tsv,
 *    OFAC determination of 2023-12-22; HS mapping per row's source column);
 *  - the goods-term dictionary (data/goods/goods_terms.tsv).
 *
 * A loaded cp_goods is immutable and may be shared between threads; the
 * matchers take caller scratch (cp_ftext) for per-thread state. */
#ifndef CP_GOODS_GOODS_H
#define CP_GOODS_GOODS_H
#include "chokepoint.h"
#include "goods/fold.h"
#include <stddef.h>
#include <stdint.h>

typedef struct cp_goods cp_goods;

/* Loads the four tables from `dir` (the data/goods folder). Any malformed row
 * fails the load with err naming file, line and column. Free with
 * cp_goods_free (accepts NULL). */
cp_goods *cp_goods_load(const char *dir, cp_error *err);
void cp_goods_free(cp_goods *g);

/* What an HS code means for screening. Strings live as long as the cp_goods. */
typedef struct cp_hs_info {
    int known;                  /* its chapter and heading exist in HS 2022 (and its HS-6, when 6+ digits are given) */
    int heading_known;          /* the 4-digit heading exists */
    const char *description;    /* HS 2022 text of the most specific known level, or NULL */
    const char *chpl_tier;      /* CHPL tier when the HS-6 is on the CHPL ("1", "3.B"...), else NULL */
    int chpl_possible;          /* only a heading (4 digits) was given and CHPL HS-6 codes lie under it */
    char chpl_tiers[48];        /* for chpl_possible: the tiers under the heading, e.g. "1" or "3.A,4.A" */
    const char *eo_class;       /* EO 14114 class id ("bearings"), or NULL */
    const char *eo_class_name;  /* "bearings", "machine tools and manufacturing equipment" */
    const char *eo_source;      /* source column of the class row that matched */
    int eo_possible;            /* the code is broader than the class row (e.g. heading 8483 vs row 848330) */
} cp_hs_info;

/* Looks up an HS code given as 2 to 10 ASCII digits (`len` bytes): CHPL match
 * at HS-6 (a code with 6+ digits matches the CHPL row of its first 6 digits;
 * a 4-digit heading gives chpl_possible with the tiers under it), EO 14114
 * class by prefix (a class row matches every code under it). Returns 0, or -1
 * when code is not 2..10 digits. Thread-safe. */
int cp_goods_hs_lookup(const cp_goods *g, const char *code, size_t len, cp_hs_info *out);

/* An HS code found in free text. */
typedef struct cp_hs_mention {
    uint32_t start, end;    /* bytes of the code as written ("8542.31", "HTS" not included) */
    char digits[11];        /* the digits only, NUL-terminated */
    uint8_t ndigits;        /* 4, 6, 8 or 10 */
    uint8_t context;        /* 1: preceded by an HS keyword ("HS", "HTS", "tariff", "ТН ВЭД", "HS编码"...) */
} cp_hs_mention;

/* Finds HS codes in text[0..len) (UTF-8 or any ASCII-compatible bytes).
 * The rule (docs/goods.md):
 *  - shape: 4 digits, optionally followed by groups of 2 digits (and a final
 *    group of 2 or 4 digits) separated by '.' or one space, or an undivided
 *    run of 4, 6, 8 or 10 digits; 4/6/8/10 digits in total; not glued to
 *    letters, digits or to a longer number (1,234.56; 8542.31.5; +7 ...);
 *  - with context (an HS keyword before it, possibly through a list
 *    "HS 8542.31, 8542.32 and 8541.10" or fillers "code", "no.", ":"):
 *    the chapter must be 01..97 (not 77) and the 4-digit heading must exist
 *    in HS 2022;
 *  - without context: only the dotted form with 6+ digits whose HS-6
 *    subheading exists in HS 2022, and not next to a currency code or symbol
 *    (so amounts, dates, phone numbers, IBANs, postcodes are not codes).
 * Writes at most `max` mentions; returns the number written. Thread-safe. */
size_t cp_goods_find_hs(const cp_goods *g, const char *text, size_t len, cp_hs_mention *out, size_t max);

/* A goods-term dictionary entry (data/goods/goods_terms.tsv). */
typedef struct cp_goods_term {
    const char *term;           /* as written in the dictionary */
    const char *lang;           /* "en", "ru", "zh" or "" */
    const char *hs;             /* comma-separated HS codes, e.g. "845811,845891" */
    const char *eo_class;       /* EO 14114 class id or NULL */
    const char *eo_class_name;  /* or NULL */
    const char *note;
    const char *chpl_tier;      /* best CHPL tier of its HS codes ("1" is highest), or NULL */
    int chpl_possible;          /* an HS code of the term is a heading with CHPL items under it */
} cp_goods_term;

typedef struct cp_goods_term_hit {
    uint32_t start, end;        /* bytes of the matched words in the text */
    const cp_goods_term *term;
} cp_goods_term_hit;

/* Matches dictionary terms in text on folded whole words (fold.h), longest
 * first, plurals by a final "s". `scratch` is the caller's (per thread).
 * Writes at most `max` hits; returns the number written, or (size_t)-1 on OOM. */
size_t cp_goods_find_terms(const cp_goods *g, cp_ftext *scratch, const char *text, size_t len,
                           cp_goods_term_hit *out, size_t max);

/* Counts for reports and tests. */
size_t cp_goods_term_count(const cp_goods *g);
size_t cp_goods_chpl_count(const cp_goods *g);
/* Content hash (sha256 hex of the four files concatenated) for versioning results. */
const char *cp_goods_version(const cp_goods *g);
#endif
