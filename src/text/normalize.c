/* normalize.c: UTF-8 name text -> lower-case ASCII words (see normalize.h). */
#include "text/normalize.h"
#include "core/error.h"
#include "match/name.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utf16.h>

enum { TR_ANY, TR_RU, TR_UK, TR_BE, TR_EL, TR_N };

/* ICU transform IDs (CLDR transforms shipped with ICU 72). The script filter
 * applies the specific romanization to its script only; Any-Latin handles
 * the rest; Latin-ASCII folds the remaining diacritics. */
static const char *const tr_ids[TR_N] = {
    "NFKC; Any-Latin; Latin-ASCII; Lower",
    "NFKC; [:Cyrillic:] Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower",
    "NFKC; [:Cyrillic:] Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII; Lower",
    "NFKC; [:Cyrillic:] Belarusian-Latin/BGN; Any-Latin; Latin-ASCII; Lower",
    "NFKC; [:Greek:] Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII; Lower",
};

struct cp_text_norm {
    UTransliterator *tr[TR_N];
};

static UTransliterator *get_tr(cp_text_norm *t, int which, cp_error *err) {
    if (t->tr[which]) return t->tr[which];
    UChar id[128];
    int32_t idlen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(id, 128, &idlen, tr_ids[which], -1, &st);
    if (U_SUCCESS(st)) t->tr[which] = utrans_openU(id, idlen, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st) || !t->tr[which]) {
        t->tr[which] = NULL;
        cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "ICU transliterator '%s': %s",
                     tr_ids[which], u_errorName(st));
        return NULL;
    }
    return t->tr[which];
}

cp_text_norm *cp_text_norm_new(cp_error *err) {
    cp_text_norm *t = calloc(1, sizeof *t);
    if (!t) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    if (!get_tr(t, TR_ANY, err)) {
        free(t);
        return NULL;
    }
    return t;
}

void cp_text_norm_free(cp_text_norm *t) {
    if (!t) return;
    for (int i = 0; i < TR_N; i++)
        if (t->tr[i]) utrans_close(t->tr[i]);
    free(t);
}

/* ---- UTF-8 decoding (RFC 3629; invalid sequences dropped byte by byte) ---- */

static size_t utf8_decode(const char *s, size_t len, uint32_t *cps, size_t max) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (i < len && n < max) {
        unsigned c = p[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80) { cps[n++] = c; i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else { i++; continue; }
        if (i + k >= len) { i++; continue; } /* truncated sequence */
        size_t j;
        for (j = 1; j <= k; j++) {
            if (i + j >= len || (p[i + j] & 0xC0) != 0x80) break;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if (j <= k) { i++; continue; }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) { i++; continue; }
        cps[n++] = cp;
        i += k + 1;
    }
    return n;
}

/* ---- fast fold of Latin code points to ASCII ---- */

/* U+0100..U+017F (Latin Extended-A) base letters; '?' = two-letter cases. */
static const char ext_a[] =
    "AaAaAa" "CcCcCcCc" "DdDd" "EeEeEeEeEe" "GgGgGgGg" "HhHh" "IiIiIiIiIi" "??" "Jj" "Kkk"
    "LlLlLlLlLl" "NnNnNnn" "Nn" "OoOoOo" "??" "RrRrRr" "SsSsSsSs" "TtTtTt" "UuUuUuUuUuUu" "Ww"
    "Yyy" "ZzZzZz" "s";
/* U+00C0..U+00FF (Latin-1 Supplement letters); '?' special, ' ' separator. */
static const char latin1[] =
    "AAAAAA?CEEEEIIII" "DNOOOOO OUUUUY??" "aaaaaa?ceeeeiiii" "dnooooo ouuuuy?y";

static int is_sep_cp(uint32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0xB7 ||
           c == 0x3000 || c == 0x30FB || c == 0xFF65 || c == 0x2E31 || (c >= 0x2000 && c <= 0x200A);
}

static int is_apos_cp(uint32_t c) {
    return c == '\'' || c == '`' || c == 0xB4 || c == 0x2018 || c == 0x2019 || c == 0x201B ||
           (c >= 0x2BB && c <= 0x2BF) || c == 0x2C8;
}

/* Appends the ASCII form of c to o (lower case letters/digits, ' ' separator,
 * '\'' apostrophe, '.', '&'). Returns 1 if handled, 0 if c needs ICU (only
 * when post == 0; after ICU unknown code points become separators). */
static int fold_cp(uint32_t c, char *o, size_t *n, size_t cap, int post) {
    char tmp[3] = {0, 0, 0};
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') tmp[0] = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '&') tmp[0] = (char)c;
        else if (c == '\'' || c == '`') tmp[0] = '\'';
        else tmp[0] = ' ';
    } else if (is_apos_cp(c)) {
        tmp[0] = '\'';
    } else if (c >= 0x300 && c <= 0x36F) {
        return 1; /* combining diacritical mark */
    } else if (c >= 0xC0 && c <= 0xFF) {
        char b = latin1[c - 0xC0];
        if (b == '?') {
            switch (c) {
            case 0xC6: case 0xE6: tmp[0] = 'a'; tmp[1] = 'e'; break;
            case 0xDE: case 0xFE: tmp[0] = 't'; tmp[1] = 'h'; break;
            case 0xDF: tmp[0] = 's'; tmp[1] = 's'; break;
            default: tmp[0] = ' ';
            }
        } else {
            tmp[0] = (b >= 'A' && b <= 'Z') ? (char)(b + 32) : b;
        }
    } else if (c >= 0x100 && c <= 0x17F) {
        char b = ext_a[c - 0x100];
        if (b == '?') {
            if (c == 0x132 || c == 0x133) { tmp[0] = 'i'; tmp[1] = 'j'; }
            else { tmp[0] = 'o'; tmp[1] = 'e'; }
        } else {
            tmp[0] = (b >= 'A' && b <= 'Z') ? (char)(b + 32) : b;
        }
    } else if (is_sep_cp(c) || (c >= 0xA0 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F) ||
               c == 0xAB || c == 0xBB || (c >= 0x3001 && c <= 0x3011)) {
        tmp[0] = ' ';
    } else if (post) {
        tmp[0] = ' ';
    } else {
        return 0;
    }
    for (int i = 0; i < 2 && tmp[i]; i++)
        if (*n < cap) o[(*n)++] = tmp[i];
    return 1;
}

/* ---- scripts ---- */

static int script_of(uint32_t c) {
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)c, &st);
    switch (sc) {
    case USCRIPT_LATIN: return CP_SCRIPT_LATIN;
    case USCRIPT_CYRILLIC: return CP_SCRIPT_CYRILLIC;
    case USCRIPT_GREEK: return CP_SCRIPT_GREEK;
    case USCRIPT_ARABIC: return CP_SCRIPT_ARABIC;
    case USCRIPT_HEBREW: return CP_SCRIPT_HEBREW;
    case USCRIPT_HAN: return CP_SCRIPT_HAN;
    case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: return CP_SCRIPT_JAPANESE;
    case USCRIPT_HANGUL: return CP_SCRIPT_HANGUL;
    case USCRIPT_GEORGIAN: return CP_SCRIPT_GEORGIAN;
    case USCRIPT_ARMENIAN: return CP_SCRIPT_ARMENIAN;
    case USCRIPT_COMMON: case USCRIPT_INHERITED: return CP_SCRIPT_UNKNOWN;
    default: return CP_SCRIPT_OTHER;
    }
}

/* Scripts written without spaces between words of a name. */
static int is_unspaced(uint32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0x0E00 && c <= 0x0E7F) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0x1780 && c <= 0x17FF);
}

/* Cyrillic homoglyph of a Latin letter (UTS #39 confusables), else 0. */
static uint32_t cyr_confusable(uint32_t c) {
    static const uint32_t from[] = {0x430, 0x435, 0x43E, 0x440, 0x441, 0x443, 0x445, 0x43A, 0x43C, 0x442,
                                    0x456, 0x458, 0x455, 0x410, 0x412, 0x415, 0x41A, 0x41C, 0x41D, 0x41E,
                                    0x420, 0x421, 0x422, 0x423, 0x425, 0x406, 0x408, 0x405};
    static const char to[] = "aeopcyxkmtijsABEKMHOPCTYXIJS";
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (from[i] == c) return (uint32_t)(unsigned char)to[i];
    return 0;
}

/* Urdu and Persian letters that ICU Any-Latin leaves untransliterated or
 * spells apart from their Arabic counterparts, mapped to the Arabic letter
 * of the same sound (Unicode Arabic block names; Urdu retroflex letters to
 * the dental ones as in romanized Urdu names: پوٹن = Putin). 0 if none. */
static uint32_t arabic_fold(uint32_t c) {
    switch (c) {
    case 0x0679: return 0x062A; /* TTEH -> TEH */
    case 0x0688: return 0x062F; /* DDAL -> DAL */
    case 0x0691: return 0x0631; /* RREH -> REH */
    case 0x06BA: return 0x0646; /* NOON GHUNNA -> NOON */
    case 0x06BE: case 0x06C1: return 0x0647; /* HEH DOACHASHMEE, HEH GOAL -> HEH */
    case 0x06C3: return 0x0629; /* TEH MARBUTA GOAL -> TEH MARBUTA */
    case 0x06CC: case 0x06D2: return 0x064A; /* FARSI YEH, YEH BARREE -> YEH */
    case 0x06A9: return 0x0643; /* KEHEH -> KAF */
    default: return 0;
    }
}

/* Cyrillic letters of Kazakh, Kyrgyz, Mongolian, Tatar, Bashkir, Uzbek
 * that Russian-Latin/BGN and Any-Latin leave untransliterated, mapped to
 * the Russian letter their romanized names use (Хүрэлсүх = Khurelsukh,
 * Қасым-Жомарт = Kasym-Zhomart). 0 if none. */
static uint32_t cyr_fold(uint32_t c) {
    switch (c) {
    case 0x04AE: case 0x04B0: return 0x0423; /* STRAIGHT U, STRAIGHT U WITH STROKE -> U */
    case 0x04AF: case 0x04B1: return 0x0443;
    case 0x04E8: return 0x041E;              /* BARRED O -> O */
    case 0x04E9: return 0x043E;
    case 0x04BA: return 0x0425;              /* SHHA -> HA */
    case 0x04BB: return 0x0445;
    case 0x04D8: return 0x0410;              /* SCHWA -> A */
    case 0x04D9: return 0x0430;
    case 0x0492: return 0x0413;              /* GHE WITH STROKE -> GHE */
    case 0x0493: return 0x0433;
    case 0x049A: return 0x041A;              /* KA WITH DESCENDER -> KA */
    case 0x049B: return 0x043A;
    case 0x04A2: return 0x041D;              /* EN WITH DESCENDER -> EN */
    case 0x04A3: return 0x043D;
    default: return 0;
    }
}

/* Indic scripts with word-final schwa deletion (Hindi, Marathi, Nepali in
 * Devanagari; Bengali; Punjabi in Gurmukhi; Gujarati; Odia): a word ending in
 * a bare consonant is pronounced without its inherent vowel, but Any-Latin
 * writes it (पुटिन -> putina). Returns the virama of c's block when c is a
 * consonant (block offsets 0x15-0x39, 0x58-0x5F), else 0. */
static uint32_t indic_virama(uint32_t c) {
    if (c < 0x0900 || c >= 0x0B80) return 0;
    uint32_t base = c & ~0x7Fu, off = c & 0x7Fu;
    if ((off >= 0x15 && off <= 0x39) || (off >= 0x58 && off <= 0x5F)) return base + 0x4D;
    return 0;
}

/* ---- ASCII tokenizer ---- */

static int isal(char c) { return c >= 'a' && c <= 'z'; }
static int isdg(char c) { return c >= '0' && c <= '9'; }
static int isan(char c) { return isal(c) || isdg(c); }

static void emit(cp_words *w, size_t *used, const char *s, size_t len) {
    if (len == 0 || w->n >= CP_WORDS_MAX) return;
    if (len > 63) len = 63;
    if (*used + len + 1 > CP_WORDS_BUF) return;
    w->off[w->n] = (uint16_t)*used;
    w->len[w->n] = (uint8_t)len;
    memcpy(w->buf + *used, s, len);
    w->buf[*used + len] = '\0';
    *used += len + 1;
    w->n++;
}

static char leet(char d) {
    switch (d) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    default: return d;
    }
}

static void tokenize_ascii(const char *a, size_t n, cp_words *w, size_t *used) {
    size_t i = 0;
    char tmp[64];
    while (i < n) {
        char c = a[i];
        if (c == '&') { emit(w, used, "and", 3); i++; continue; }
        if (!isan(c)) { i++; continue; }
        /* dotted initials: A.B.C. -> abc */
        if (isal(c) && i + 1 < n && a[i + 1] == '.') {
            size_t j = i, k = 0;
            while (j < n && isal(a[j]) && (j + 1 == n || !isan(a[j + 1])) && k < 63) {
                tmp[k++] = a[j];
                if (j + 1 < n && a[j + 1] == '.') j += 2;
                else { j += 1; break; }
            }
            if (k >= 2) { emit(w, used, tmp, k); i = j; continue; }
        }
        size_t k = 0;
        while (i < n) {
            char d = a[i];
            if (isan(d)) {
                if (isdg(d) && k > 0 && isal(tmp[k - 1]) && i + 1 < n && isal(a[i + 1])) d = leet(d);
                if (k < 63) tmp[k++] = d;
                i++;
            } else if (d == '\'' && k > 0 && i + 1 < n && isan(a[i + 1])) {
                i++; /* apostrophe inside a word: dropped */
            } else {
                break;
            }
        }
        emit(w, used, tmp, k);
    }
}

/* Transliterates cps[0..n) with ICU and folds the result into a/an. */
static int icu_fold(UTransliterator *tr, const uint32_t *cps, size_t n, int join, char *a, size_t *an,
                    size_t acap, cp_error *err) {
    UChar buf[CP_NAME_MAX_BYTES * 4];
    int32_t len = 0, cap = (int32_t)(sizeof buf / sizeof buf[0]);
    UErrorCode st = U_ZERO_ERROR;
    /* Some characters expand a lot (U+FDFA -> 18 letters): if the result does
     * not fit, transliterate a shorter prefix (halved each time) instead of
     * failing the name. */
    for (size_t take = n;; take /= 2) {
        len = 0;
        for (size_t i = 0; i < take && len < cap / 2 - 2; i++) {
            UBool bad = 0;
            U16_APPEND((UChar *)buf, len, cap, (UChar32)cps[i], bad);
            (void)bad;
        }
        int32_t limit = len;
        st = U_ZERO_ERROR;
        utrans_transUChars(tr, buf, &len, cap, 0, &limit, &st);
        if (st != U_BUFFER_OVERFLOW_ERROR || take <= 1) break;
    }
    if (U_FAILURE(st)) {
        cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "ICU transliteration: %s", u_errorName(st));
        return -1;
    }
    if (len > cap) len = cap;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        size_t before = *an;
        if (c == 0xB7 && before > 0 && isan(a[before - 1]) && i < len && u_isalpha(buf[i]))
            continue; /* BGN/PCGN separation dot inside a word (Хүрэлсүх -> khur·elsukh) */
        fold_cp((uint32_t)c, a, an, acap, 1);
        if (join) { /* one token per unspaced word: keep only letters and digits */
            size_t m = before;
            for (size_t j = before; j < *an; j++)
                if (isan(a[j])) a[m++] = a[j];
            *an = m;
        }
    }
    return 0;
}

int cp_text_words(cp_text_norm *t, const char *s, size_t len, size_t max_bytes, cp_words *out,
                  cp_error *err) {
    uint32_t cps[CP_NAME_MAX_BYTES];
    char a[CP_NAME_MAX_BYTES * 4];
    size_t an = 0, used = 0;
    out->n = 0;
    out->script = CP_SCRIPT_UNKNOWN;
    if (len > max_bytes) len = max_bytes;
    size_t n = utf8_decode(s, len, cps, sizeof cps / sizeof cps[0]);

    /* fast path: everything folds without ICU */
    size_t i;
    int all_ascii = 1;
    for (i = 0; i < n; i++)
        if (cps[i] >= 0x80) { all_ascii = 0; break; }
    if (all_ascii) {
        for (i = 0; i < n; i++) fold_cp(cps[i], a, &an, sizeof a, 0);
        for (i = 0; i < an; i++)
            if (isal(a[i])) { out->script = CP_SCRIPT_LATIN; break; }
        tokenize_ascii(a, an, out, &used);
        return 0;
    }

    /* scripts, counted over letters */
    size_t counts[CP_SCRIPT_OTHER + 1] = {0};
    int cyr_uk = 0, cyr_be = 0;
    for (i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (c < 0x80) {
            if ((c | 32) >= 'a' && (c | 32) <= 'z') counts[CP_SCRIPT_LATIN]++;
            continue;
        }
        if (!u_isalpha((UChar32)c)) continue;
        counts[script_of(c)]++;
        if (c == 0x456 || c == 0x406 || c == 0x457 || c == 0x407 || c == 0x454 || c == 0x404 ||
            c == 0x491 || c == 0x490)
            cyr_uk = 1;
        if (c == 0x45E || c == 0x40E) cyr_be = 1;
    }
    int best = CP_SCRIPT_UNKNOWN;
    for (int k = CP_SCRIPT_LATIN; k <= CP_SCRIPT_OTHER; k++)
        if (counts[k] > counts[best] || (best == CP_SCRIPT_UNKNOWN && counts[k] > 0)) best = k;
    if (best == CP_SCRIPT_HAN && counts[CP_SCRIPT_JAPANESE] > 0) best = CP_SCRIPT_JAPANESE;
    out->script = best;

    /* confusables: in a word mixing Latin and Cyrillic letters, Cyrillic homoglyphs -> Latin */
    if (counts[CP_SCRIPT_CYRILLIC] && counts[CP_SCRIPT_LATIN]) {
        size_t w0 = 0;
        for (i = 0; i <= n; i++) {
            if (i < n && !is_sep_cp(cps[i]) && cps[i] != '-' && cps[i] != ',') continue;
            int lat = 0, cyr = 0;
            for (size_t j = w0; j < i; j++) {
                if (cps[j] < 0x80 ? (((cps[j] | 32) >= 'a' && (cps[j] | 32) <= 'z')) : 0) lat = 1;
                else if (cps[j] >= 0x400 && cps[j] <= 0x4FF) cyr = 1;
            }
            if (lat && cyr)
                for (size_t j = w0; j < i; j++) {
                    uint32_t m = cyr_confusable(cps[j]);
                    if (m) cps[j] = m;
                }
            w0 = i + 1;
        }
    }

    if (best == CP_SCRIPT_CYRILLIC)
        for (i = 0; i < n; i++) {
            uint32_t m = cyr_fold(cps[i]);
            if (m) cps[i] = m;
        }
    if (best == CP_SCRIPT_ARABIC)
        for (i = 0; i < n; i++) {
            uint32_t m = arabic_fold(cps[i]);
            if (m) cps[i] = m;
        }
    if (best == CP_SCRIPT_OTHER) { /* final virama after a bare consonant (schwa deletion) */
        size_t m = n;
        for (i = 0; i < m && n < sizeof cps / sizeof cps[0]; i++) {
            uint32_t v = indic_virama(cps[i]);
            uint32_t next = i + 1 < m ? cps[i + 1] : ' ';
            if (v && i > 0 && cps[i - 1] == v) continue; /* a final conjunct keeps its vowel (Narendra) */
            if (v && (i + 1 == m || !u_isalpha((UChar32)next) || script_of(next) != script_of(cps[i])) &&
                !(i + 1 < m && next >= (v & ~0x7Fu) && next < (v & ~0x7Fu) + 0x80)) {
                memmove(cps + i + 2, cps + i + 1, (m - i - 1) * sizeof cps[0]);
                cps[i + 1] = v;
                m++;
                n++;
                i++;
            }
        }
    }
    int needs_icu = 0, unspaced = 0;
    for (i = 0; i < n; i++) {
        size_t dummy = 0;
        char tmp[4];
        if (!fold_cp(cps[i], tmp, &dummy, sizeof tmp, 0)) needs_icu = 1;
        if (is_unspaced(cps[i])) unspaced = 1;
    }
    if (!needs_icu) {
        for (i = 0; i < n; i++) fold_cp(cps[i], a, &an, sizeof a, 0);
        tokenize_ascii(a, an, out, &used);
        return 0;
    }
    int which = TR_ANY;
    if (counts[CP_SCRIPT_CYRILLIC]) which = cyr_be ? TR_BE : cyr_uk ? TR_UK : TR_RU;
    else if (counts[CP_SCRIPT_GREEK]) which = TR_EL;
    UTransliterator *tr = get_tr(t, which, err);
    if (!tr) return -1;
    if (!unspaced) {
        if (icu_fold(tr, cps, n, 0, a, &an, sizeof a, err) != 0) return -1;
    } else {
        /* word by word, so that a Han/kana/Hangul word becomes one token */
        size_t w0 = 0;
        for (i = 0; i <= n; i++) {
            if (i < n && !is_sep_cp(cps[i])) continue;
            if (i > w0) {
                int join = 0;
                for (size_t j = w0; j < i; j++)
                    if (is_unspaced(cps[j])) { join = 1; break; }
                if (icu_fold(tr, cps + w0, i - w0, join, a, &an, sizeof a, err) != 0) return -1;
            }
            if (an < sizeof a) a[an++] = ' ';
            w0 = i + 1;
        }
    }
    /* Arabic, Hebrew: Any-Latin writes the matres lectionis waw/yod as w/y;
     * inside a word they are mostly the vowels u/i (bwtyn -> butin) */
    if (best == CP_SCRIPT_ARABIC || best == CP_SCRIPT_HEBREW)
        for (i = 1; i < an; i++)
            if (isal(a[i - 1]) && (a[i] == 'w' || a[i] == 'y')) a[i] = a[i] == 'w' ? 'u' : 'i';
    tokenize_ascii(a, an, out, &used);
    return 0;
}
