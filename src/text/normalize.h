/* normalize.h: text normalization of names to lower-case ASCII words.
 *
 * cp_text_words() turns UTF-8 text in any script into lower-case ASCII
 * words [a-z0-9]+:
 *   - Unicode NFKC and case folding (fullwidth forms, ligatures, ...);
 *   - diacritics removed and letters that are not combining marks folded
 *     (ß->ss, ø->o, ł->l, æ->ae, đ->d, ı->i, œ->oe, þ->th), Latin-ASCII rules;
 *   - mixed-script confusables: inside a word that mixes Latin and Cyrillic
 *     letters, Cyrillic homoglyphs (а о е р с х у к м т в н і) become Latin;
 *   - other scripts are transliterated with ICU (utrans): Cyrillic with the
 *     BGN/PCGN romanization of Russian, Ukrainian or Belarusian (chosen by the
 *     letters present: і/ї/є/ґ Ukrainian, ў Belarusian), Greek with
 *     UNGEGN (ELOT 743), everything else with ICU "Any-Latin" (Arabic, Hebrew,
 *     Han -> pinyin, kana, Hangul, Georgian, Armenian, Indic, Thai, ...);
 *     a word written in a script without spaces (Han, kana, Hangul, Thai)
 *     becomes one token ("习近平" -> "xijinping");
 *   - apostrophes inside words are dropped (O'Brien -> obrien, Qa'ida -> qaida);
 *     dotted initials are merged (A.B.C. -> abc, S.A. -> sa); '&' -> "and";
 *     a digit between two letters is read as a letter (Ig0r -> igor, Sech1n -> sechin).
 * Sources: Unicode UAX #15 (NFKC), UTS #39 (confusables), BGN/PCGN
 * romanization systems as implemented by ICU's CLDR transforms.
 *
 * Pure ASCII and Latin-1/Latin Extended-A input takes a fast path without
 * ICU (about 0.1 us per name).
 */
#ifndef CP_TEXT_NORMALIZE_H
#define CP_TEXT_NORMALIZE_H
#include "chokepoint.h"
#include <stddef.h>
#include <stdint.h>

enum { CP_WORDS_MAX = 48, CP_WORDS_BUF = 2048 };

/* Words of one text. words are NUL-terminated inside buf. */
typedef struct cp_words {
    size_t n;
    uint16_t off[CP_WORDS_MAX]; /* start of word i in buf */
    uint8_t len[CP_WORDS_MAX];  /* length in bytes (words are cut at 64 bytes) */
    int script;                 /* enum cp_script (src/match/name.h) */
    char buf[CP_WORDS_BUF];
} cp_words;

/* Holder of the ICU transliterators; NOT thread-safe (one per thread).
 * Transliterators are opened lazily on first need (a few ms each). */
typedef struct cp_text_norm cp_text_norm;

/* Returns a new holder (opens the generic Any-Latin transliterator so that a
 * broken ICU installation fails early), or NULL with err set. */
cp_text_norm *cp_text_norm_new(cp_error *err);
void cp_text_norm_free(cp_text_norm *t); /* accepts NULL */

/* Normalizes `len` bytes of UTF-8 text `s` (need not be NUL-terminated;
 * invalid UTF-8 bytes are dropped; at most `max_bytes` bytes are read) into
 * *out. Words beyond CP_WORDS_MAX or the buffer are dropped. Returns 0, or -1
 * with err set if ICU fails (CP_ERR_IO). */
int cp_text_words(cp_text_norm *t, const char *s, size_t len, size_t max_bytes, cp_words *out,
                  cp_error *err);

#endif
