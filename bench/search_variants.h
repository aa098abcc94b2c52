/* Query variants for the search benchmarks (bench/search.c, the candidate
 * recall section of bench/quality.c): deterministic typos, token swaps,
 * dropped middle names and romanization changes of a name. Header-only
 * (each bench program is built from one .c file). Not part of the library. */
#ifndef CP_BENCH_SEARCH_VARIANTS_H
#define CP_BENCH_SEARCH_VARIANTS_H
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef enum bv_kind {
    BV_ASIS = 0,    /* unchanged */
    BV_TYPO,        /* one letter of the longest word replaced by its keyboard neighbour */
    BV_SWAP,        /* first word moved to the end ("Given Family" -> "Family Given") */
    BV_DROP,        /* a middle word dropped (names of 3+ words) */
    BV_TRANSLIT,    /* one romanization rule applied (ou->u, y->i, kh->h, ee->i, dj->j, w->v ...) */
    BV_JOIN,        /* two adjacent words joined */
    BV__COUNT
} bv_kind;

static const char *const bv_names[BV__COUNT] = {"as listed", "typo", "swapped order", "dropped middle",
                                                 "other romanization", "joined words"};

/* Tiny deterministic PRNG (xorshift32). */
static uint32_t bv_rand(uint32_t *st) {
    uint32_t x = *st ? *st : 2463534242u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *st = x;
}

/* Splits ASCII-space separated words: start offsets and lengths; returns count. */
static size_t bv_words(const char *s, size_t *b, size_t *l, size_t max) {
    size_t n = 0, i = 0, len = strlen(s);
    while (i < len && n < max) {
        while (i < len && s[i] == ' ') i++;
        if (i >= len) break;
        b[n] = i;
        while (i < len && s[i] != ' ') i++;
        l[n] = i - b[n];
        n++;
    }
    return n;
}

/* Writes variant `k` of `name` into out (cap bytes). Returns 0, or -1 when
 * the variant does not apply (e.g. BV_DROP on a two-word name). */
static int bv_make(const char *name, bv_kind k, uint32_t seed, char *out, size_t cap) {
    size_t b[32], l[32];
    size_t n = bv_words(name, b, l, 32);
    size_t len = strlen(name);
    if (n == 0 || len + 8 > cap) return -1;
    out[0] = 0;
    switch (k) {
    case BV_ASIS:
        memcpy(out, name, len + 1);
        return 0;
    case BV_TYPO: {
        static const char *const nb = "qwertyuiopasdfghjklzxcvbnm";
        static const char *const nbr = "wertyuiopqsdfghjklaxcvbnmz";
        size_t w = 0;
        for (size_t i = 1; i < n; i++)
            if (l[i] > l[w]) w = i;
        if (l[w] < 5) return -1;
        memcpy(out, name, len + 1);
        size_t pos = b[w] + 1 + bv_rand(&seed) % (l[w] - 2);
        int c = tolower((unsigned char)out[pos]);
        const char *p = strchr(nb, c);
        if (!p || !c) return -1;
        char r = nbr[p - nb];
        out[pos] = isupper((unsigned char)out[pos]) ? (char)toupper((unsigned char)r) : r;
        return 0;
    }
    case BV_SWAP: {
        if (n < 2) return -1;
        size_t o = 0;
        for (size_t i = 1; i < n; i++) {
            memcpy(out + o, name + b[i], l[i]);
            o += l[i];
            out[o++] = ' ';
        }
        memcpy(out + o, name + b[0], l[0]);
        o += l[0];
        out[o] = 0;
        return 0;
    }
    case BV_DROP: {
        if (n < 3) return -1;
        size_t drop = 1 + bv_rand(&seed) % (n - 2), o = 0;
        for (size_t i = 0; i < n; i++) {
            if (i == drop) continue;
            if (o) out[o++] = ' ';
            memcpy(out + o, name + b[i], l[i]);
            o += l[i];
        }
        out[o] = 0;
        return 0;
    }
    case BV_TRANSLIT: {
        static const char *const rules[][2] = {{"ou", "u"}, {"kh", "h"}, {"y", "i"}, {"ee", "i"},
                                               {"dj", "j"}, {"w", "v"}, {"oo", "u"}, {"ai", "ay"},
                                               {"q", "k"}, {"ch", "sh"}, {"mohammed", "muhammad"},
                                               {"muhammad", "mohamed"}, {"abdul", "abd al"}, {"ph", "f"}};
        char low[1024];
        if (len >= sizeof low) return -1;
        for (size_t i = 0; i <= len; i++) low[i] = (char)tolower((unsigned char)name[i]);
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
            const char *hit = strstr(low, rules[r][0]);
            if (!hit) continue;
            size_t at = (size_t)(hit - low), fl = strlen(rules[r][0]), tl = strlen(rules[r][1]);
            if (len - fl + tl + 1 > cap) return -1;
            memcpy(out, low, at);
            memcpy(out + at, rules[r][1], tl);
            memcpy(out + at + tl, low + at + fl, len - at - fl + 1);
            return 0;
        }
        return -1;
    }
    case BV_JOIN: {
        if (n < 2) return -1;
        size_t j = bv_rand(&seed) % (n - 1), o = 0;
        for (size_t i = 0; i < n; i++) {
            if (o && i != j + 1) out[o++] = ' ';
            memcpy(out + o, name + b[i], l[i]);
            o += l[i];
        }
        out[o] = 0;
        return 0;
    }
    default:
        return -1;
    }
}
#endif
