/* cp_fold: word-level folding of free text for dictionary matching (goods
 * terms, place and country names). Shared by src/goods and src/geo.
 *
 * Folding (per Unicode code point; no ICU, so it is fast and allocation-light):
 *  - ASCII letters lower-cased; Latin-1 and Latin Extended-A letters reduced to
 *    their base letter ("Türkiye" -> "turkiye", "Gdańsk" -> "gdansk", ß -> ss);
 *    fullwidth ASCII forms mapped to ASCII;
 *  - Cyrillic lower-cased, ё -> е ("Москва" -> "москва");
 *  - CJK ideographs are one token each (Chinese has no spaces: "集成电路" is
 *    four tokens, and a dictionary phrase folds the same way);
 *  - apostrophes inside a word are dropped ("People's" -> "peoples");
 *  - every other character (spaces, punctuation, hyphens, dots, invalid UTF-8)
 *    separates tokens ("Ust-Luga" -> "ust luga", "U.A.E." -> "u a e").
 * Folded tokens are stored in one buffer separated by single spaces, so the
 * tokens i..j form the contiguous key buf[tok[i].nstart, tok[j].nstart+nlen).
 *
 * Memory: a cp_ftext owns malloc'd buffers, reused across calls; free with
 * cp_ftext_free. Not thread-safe (one per thread). */
#ifndef CP_GOODS_FOLD_H
#define CP_GOODS_FOLD_H
#include "core/strmap.h"
#include <stddef.h>
#include <stdint.h>

typedef struct cp_ftok {
    uint32_t start, end;    /* bytes [start,end) of the token in the original text */
    uint32_t nstart, nlen;  /* folded bytes in cp_ftext.buf */
    uint8_t cap;            /* first character was an upper-case letter or a digit/CJK (not a lower-case letter) */
    uint8_t cjk;            /* a single CJK ideograph */
} cp_ftok;

typedef struct cp_ftext {
    char *buf;              /* folded tokens separated by ' ' (not NUL-terminated) */
    size_t blen, bcap;
    cp_ftok *toks;
    size_t n, cap;
} cp_ftext;

/* Folds text[0..len) (UTF-8; need not be NUL-terminated) into ft, replacing
 * its previous content. At most CP_FOLD_MAX_TOKENS tokens are kept (the rest
 * of a longer text is ignored). Returns 0, or -1 on OOM. */
enum { CP_FOLD_MAX_TOKENS = 65536 };
int cp_fold_text(cp_ftext *ft, const char *text, size_t len);
void cp_ftext_free(cp_ftext *ft);   /* releases the buffers; ft itself is the caller's */

/* A phrase dictionary: folded phrase -> value (uint32), plus, per first
 * token, the longest phrase length in tokens, so a scan costs one hash lookup
 * per token that starts no phrase. Build with cp_phrase_add, then read-only
 * (safe to share between threads). */
typedef struct cp_phrase_dict {
    cp_strmap *phrases;     /* folded phrase -> value */
    cp_strmap *first;       /* folded first token -> max phrase length in tokens */
    uint32_t max_tokens;
} cp_phrase_dict;

/* Initialises an empty dictionary; returns 0 or -1 on OOM. */
int cp_phrase_dict_init(cp_phrase_dict *d);
void cp_phrase_dict_free(cp_phrase_dict *d);
/* Folds `phrase` (len bytes) with `scratch` and adds it -> value. The first
 * value added for a folded phrase wins (returns 1 when the phrase was already
 * present, 0 when added, -1 on OOM, 2 when the phrase folds to nothing). */
int cp_phrase_add(cp_phrase_dict *d, cp_ftext *scratch, const char *phrase, size_t len, uint32_t value);

/* One dictionary match in a folded text: tokens [tok, tok+ntok). */
typedef struct cp_phrase_match {
    uint32_t tok, ntok;
    uint32_t value;
} cp_phrase_match;

/* Scans the folded text ft for dictionary phrases: at each token, the longest
 * phrase starting there wins and matching resumes after it (no overlaps).
 * When `plural_s` is set, a last token ending in "s" (4+ bytes) that does not
 * match also tries without the "s". Writes at most `max` matches; returns the
 * number written. */
size_t cp_phrase_scan(const cp_phrase_dict *d, const cp_ftext *ft, int plural_s, cp_phrase_match *out,
                      size_t max);
#endif
