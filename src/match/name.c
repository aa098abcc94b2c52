/* name.c: name preparation and pairwise scoring (see name.h and
 * docs/matching.md for how the score is formed). */
#include "match/name.h"
#include "core/error.h"
#include "text/normalize.h"
#include "text/phonetic.h"
#include "text/tables.h"
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cp_normalizer {
    cp_text_norm *tn;
    cp_text_tables *tt;
};

cp_normalizer *cp_normalizer_new(cp_error *err) {
    cp_normalizer *n = calloc(1, sizeof *n);
    if (!n) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    n->tn = cp_text_norm_new(err);
    if (n->tn) n->tt = cp_text_tables_new(n->tn, err);
    if (!n->tt) {
        cp_normalizer_free(n);
        return NULL;
    }
    return n;
}

void cp_normalizer_free(cp_normalizer *n) {
    if (!n) return;
    cp_text_tables_free(n->tt);
    cp_text_norm_free(n->tn);
    free(n);
}

/* ------------------------------------------------------------ prepare */

enum { WMAX = CP_WORDS_MAX };

/* A working token list: words point into a cp_words buffer, the tables, or
 * the scratch buffer. */
typedef struct wlist {
    size_t n;
    const char *w[WMAX];
    uint8_t len[WMAX];
    uint8_t flags[WMAX];
    const char *orig[WMAX]; /* text before canonicalization (legal forms) */
    uint8_t orig_len[WMAX];
} wlist;

static void wl_push(wlist *l, const char *w, size_t len, uint8_t flags, const char *orig, size_t olen) {
    if (l->n >= WMAX || len == 0) return;
    l->w[l->n] = w;
    l->len[l->n] = (uint8_t)(len > 255 ? 255 : len);
    l->flags[l->n] = flags;
    l->orig[l->n] = orig;
    l->orig_len[l->n] = (uint8_t)(olen > 255 ? 255 : olen);
    l->n++;
}

/* Pushes the words of a canonical phrase (space-separated). */
static void wl_push_phrase(wlist *l, const char *canon, uint8_t flags) {
    const char *p = canon;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        wl_push(l, p, len, flags, p, len);
        p += len;
        if (*p == ' ') p++;
    }
}

/* Rewrites phrases of table `kind` to their canonical form; words that changed get `flag`. */
static void rewrite(const cp_text_tables *tt, cp_tt_kind kind, const wlist *in, wlist *out, uint8_t flag) {
    out->n = 0;
    for (size_t i = 0; i < in->n;) {
        const char *canon = NULL;
        size_t L = cp_text_tables_match(tt, kind, in->w, in->len, in->n, i, &canon);
        if (L) {
            int same = L == 1 && strlen(canon) == in->len[i] && memcmp(canon, in->w[i], in->len[i]) == 0;
            wl_push_phrase(out, canon, same ? 0 : flag);
            i += L;
        } else {
            wl_push(out, in->w[i], in->len[i], in->flags[i], in->orig[i], in->orig_len[i]);
            i++;
        }
    }
}

/* Patronymic endings: East Slavic -ovich/-evich/-ovna/-evna in the common
 * romanizations (BGN/PCGN, ICAO, Ukrainian -ovych/-ivna, Hungarian -ovics,
 * German -owitsch, Dutch -owitsj, French -ovitch) and Turkic -ogly/-oglu/
 * -uly/-kyzy/-qizi (Azerbaijani, Kazakh, Uzbek); -fitsh: Arabic-script -vich after Any-Latin. */
static int patronymic_ending(const char *w, size_t n) {
    static const char *const ends[] = {"vich", "vych", "vics", "vitch", "witsch", "witsj", "vna",
                                       "ivna", "ogly", "oglu", "uly", "kyzy", "qizi", "gizi", "fitsh"};
    if (n < 6) return 0;
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        size_t l = strlen(ends[k]);
        if (n > l + 2 && memcmp(w + n - l, ends[k], l) == 0) return 1;
    }
    return 0;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return n > 0;
}

int cp_name_normalize(cp_normalizer *n, const char *name, size_t len, cp_name_text *out, cp_error *err) {
    if (!n || !out || (!name && len)) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_name_normalize: NULL argument");
        return -1;
    }
    out->name = name;
    out->len = len;
    out->comma_words = -1;
    return cp_text_words(n->tn, name ? name : "", len, CP_NAME_MAX_BYTES, &out->ws, err);
}

int cp_name_prepare(cp_normalizer *n, const char *name, size_t len, cp_schema schema,
                    cp_arena *arena, cp_pname *out, cp_error *err) {
    if (!n || !arena || !out || (!name && len)) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_name_prepare: NULL argument");
        return -1;
    }
    memset(out, 0, sizeof *out);
    cp_name_text t;
    if (cp_name_normalize(n, name, len, &t, err) != 0) return -1;
    return cp_name_prepare_text(n, &t, schema, arena, out, err);
}

int cp_name_prepare_text(cp_normalizer *n, cp_name_text *text, cp_schema schema, cp_arena *arena, cp_pname *out,
                         cp_error *err) {
    if (!n || !text || !arena || !out) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_name_prepare_text: NULL argument");
        return -1;
    }
    memset(out, 0, sizeof *out);
    const cp_words *wsp = &text->ws;
    const char *name = text->name;
    size_t len = text->len;
    out->script = wsp->script;
    int person = schema == CP_SCHEMA_PERSON;
    int org = schema == CP_SCHEMA_ORGANIZATION || schema == CP_SCHEMA_ANY;
    int any = schema == CP_SCHEMA_ANY;

    wlist a, b;
    a.n = 0;
    for (size_t i = 0; i < wsp->n; i++)
        wl_push(&a, wsp->buf + wsp->off[i], wsp->len[i], 0, wsp->buf + wsp->off[i], wsp->len[i]);

    /* 1. name spelling variants (every schema), flagged */
    rewrite(n->tt, CP_TT_VARIANT, &a, &b, CP_TOK_VARIANT);
    /* 2. abbreviations and numbers (organizations, vessels, aircraft, any) */
    if (!person) rewrite(n->tt, CP_TT_ABBR, &b, &a, 0);
    else a = b;
    /* 3. legal forms -> canonical class, flagged; 4. titles dropped (persons) */
    b.n = 0;
    size_t n_titles = 0;
    /* title positions: the start of the name or, in "SURNAME, Given" form,
     * the first word after the comma ("ASHRAF, Haji Muhammad"); it moves
     * past a title dropped there */
    size_t lead = 0, after_comma = (size_t)-1;
    if (person && name) {
        if (text->comma_words < 0) {
            /* words before the first comma (schema-independent: computed once per text) */
            text->comma_words = 0;
            const char *comma = memchr(name, ',', len);
            if (comma && comma > name) {
                cp_words pre;
                if (cp_text_words(n->tn, name, (size_t)(comma - name), CP_NAME_MAX_BYTES, &pre, err) != 0) {
                    text->comma_words = -1;
                    return -1;
                }
                text->comma_words = (int)pre.n;
            }
        }
        size_t pre_n = (size_t)text->comma_words;
        if (pre_n > 0 && pre_n < a.n) {
            after_comma = pre_n;
            lead = (size_t)-1; /* the family name comes first: "KING, Sara" */
        }
    }
    for (size_t i = 0; i < a.n;) {
        const char *canon = NULL;
        size_t L = cp_text_tables_match(n->tt, CP_TT_LEGAL, a.w, a.len, a.n, i, &canon);
        /* in a person name, only a legal form of several words ("limited
         * liability company") is one: a single word is a name part (PAO is a
         * Chinese family name, "PAO, Yu Liang", before it is a Russian PJSC;
         * Sa, Ag, Ao, Kg are names too) */
        if (L && person && L == 1) L = 0;
        /* a one-word legal form of 1-2 letters (AO, AG, SA, AT, PT, CO ...) only
         * as the last word, or as the first word before a word of 3+ letters
         * ("AT and T" is not a joint-stock company) */
        if (L == 1 && a.len[i] <= 2 && a.n > 1 && i != a.n - 1 &&
            !(i == 0 && a.len[1] >= 3 && !cp_text_tables_match(n->tt, CP_TT_GENERIC, &a.w[1], &a.len[1], 1, 0, NULL)))
            L = 0;
        if (L) {
            /* original words concatenated, for split/joined comparisons */
            const char *o = a.orig[i];
            size_t ol = a.orig_len[i];
            if (L > 1) {
                char *cat = cp_arena_alloc(arena, 256);
                if (!cat) goto nomem;
                size_t k = 0;
                for (size_t j = i; j < i + L; j++)
                    for (size_t m = 0; m < a.len[j] && k < 255; m++) cat[k++] = a.w[j][m];
                o = cat;
                ol = k;
            }
            wl_push(&b, canon, strlen(canon), CP_TOK_LEGAL, o, ol);
            i += L;
            continue;
        }
        if (person) {
            /* titles only in title position: before the name (a leading run:
             * "Mr Dr John Smith", "President Putin") or, for the languages
             * that write them after it (titles_after.tsv), as the last words
             * ("Putyin elnök"). Elsewhere the word is a name: "Sara King",
             * "Peter Major", "Ahmed Sultan" */
            L = 0;
            if (i == lead || i == after_comma)
                L = cp_text_tables_match(n->tt, CP_TT_TITLE, a.w, a.len, a.n, i, NULL);
            if (!L) {
                size_t La = cp_text_tables_match(n->tt, CP_TT_TITLE_AFTER, a.w, a.len, a.n, i, NULL);
                if (La && i + La == a.n) L = La;
            }
            if (L && L < a.n - n_titles) {
                if (i == lead) lead += L;
                if (i == after_comma) after_comma += L;
                n_titles += L;
                i += L;
                continue;
            }
        }
        wl_push(&b, a.w[i], a.len[i], a.flags[i], a.orig[i], a.orig_len[i]);
        i++;
    }
    /* 5. flags */
    size_t n_strong = 0;
    int have_patronymic = 0;
    for (size_t i = 0; i < b.n; i++) {
        uint8_t f = b.flags[i];
        const char *w = b.w[i];
        if (person && !have_patronymic && i > 0 && b.n >= 3 && patronymic_ending(w, b.len[i])) {
            f |= CP_TOK_PATRONYMIC;
            have_patronymic = 1;
        }
        if (!(f & CP_TOK_LEGAL)) {
            if (all_digits(w, b.len[i])) f |= CP_TOK_NUMBER;
            else if (b.len[i] == 1) f |= CP_TOK_INITIAL;
            if ((person || any) && cp_text_tables_match(n->tt, CP_TT_PARTICLE, &b.w[i], &b.len[i], 1, 0, NULL))
                f |= CP_TOK_PARTICLE;
            if (org && cp_text_tables_match(n->tt, CP_TT_GENERIC, &b.w[i], &b.len[i], 1, 0, NULL))
                f |= CP_TOK_GENERIC;
        }
        if (n_titles) f |= CP_TOK_TITLED;
        b.flags[i] = f;
        if (!(f & CP_TOK_WEAK)) n_strong++;
    }
    /* 6. output in the arena */
    size_t nt = b.n > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : b.n;
    out->n_tokens = nt;
    out->n_strong = n_strong;
    if (nt == 0) {
        out->joined = "";
        return 0;
    }
    out->tokens = cp_arena_alloc(arena, nt * sizeof *out->tokens);
    out->keys = cp_arena_alloc(arena, nt * sizeof *out->keys);
    out->tok_len = cp_arena_alloc(arena, nt);
    out->key_len = cp_arena_alloc(arena, nt);
    out->flags = cp_arena_alloc(arena, nt);
    size_t jcap = 0; /* the joined form's length (the arena zeroes what it hands out: no 2 KiB per name) */
    for (size_t i = 0; i < wsp->n; i++) jcap += wsp->len[i];
    if (jcap > CP_WORDS_BUF) jcap = CP_WORDS_BUF;
    char *joined = cp_arena_alloc(arena, jcap + 1);
    if (!out->tokens || !out->keys || !out->tok_len || !out->key_len || !out->flags || !joined) goto nomem;
    size_t jl = 0;
    for (size_t i = 0; i < nt; i++) {
        char *t = cp_arena_strndup(arena, b.w[i], b.len[i]);
        char key[72];
        size_t kl = cp_phonetic_key(b.w[i], b.len[i], key, sizeof key);
        char *k = cp_arena_strndup(arena, key, kl);
        if (!text || !k) goto nomem;
        out->tokens[i] = t;
        out->keys[i] = k;
        out->tok_len[i] = b.len[i];
        out->key_len[i] = (uint8_t)kl;
        out->flags[i] = b.flags[i];
    }
    /* joined: the words as written (before tables), titles included */
    for (size_t i = 0; i < wsp->n; i++)
        for (size_t m = 0; m < wsp->len[i] && jl < CP_WORDS_BUF; m++) joined[jl++] = wsp->buf[wsp->off[i] + m];
    joined[jl] = '\0';
    out->joined = joined;
    out->joined_len = jl;
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
    return -1;
}

/* ------------------------------------------------------------ token similarity */

/* A lower bound of the optimal string alignment distance of a and b (at
 * most 64 bytes each), in O(la + lb): the larger of the length difference
 * and half the L1 distance of the byte histograms (an insertion or deletion
 * changes the histogram difference by 1, a substitution by at most 2, an
 * adjacent transposition by 0). Lets osa_max answer "over the budget"
 * without the O(la lb) table for most pairs of unrelated tokens; the result
 * of osa_max is unchanged. */
static size_t dist_lower_bound(const char *a, size_t la, const char *b, size_t lb) {
    /* bytes folded to 64 classes (c & 63): merging classes can only lower
     * the L1 distance, so the bound stays a bound; [a-z0-9] stay apart */
    int8_t cnt[64];
    memset(cnt, 0, sizeof cnt);
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (size_t i = 0; i < la; i++) cnt[x[i] & 63]++;
    /* after a: L1 = la; each byte of b cancels one of a (-1) or adds one (+1) */
    size_t l1 = la;
    for (size_t i = 0; i < lb; i++) {
        if (cnt[y[i] & 63]-- > 0) l1--;
        else l1++;
    }
    size_t half = (l1 + 1) / 2, dl = la > lb ? la - lb : lb - la;
    return half > dl ? half : dl;
}

/* Optimal string alignment distance (Damerau-Levenshtein restricted to
 * adjacent transpositions), strings of at most 64 bytes considered. Stops
 * early and returns max + 1 once the distance must exceed `max` (the two
 * last rows both above max - 1: no later cell can come back under it). */
static size_t osa_max(const char *a, size_t la, const char *b, size_t lb, size_t max) {
    if (la > 64) la = 64;
    if (lb > 64) lb = 64;
    if (max < 64 && dist_lower_bound(a, la, b, lb) > max) return max + 1; /* most pairs of unrelated tokens */
    size_t d0[65], d1[65], d2[65];
    size_t *pp = d0, *p = d1, *c = d2;
    size_t prev_min = 0;
    for (size_t j = 0; j <= lb; j++) p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        size_t row_min = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
            if (p[j - 1] + cost < v) v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > max && prev_min >= max) return max + 1;
        prev_min = row_min;
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

static size_t osa(const char *a, size_t la, const char *b, size_t lb) {
    return osa_max(a, la, b, lb, 128);
}

/* Edits tolerated for a token of `len` bytes (the longer of the two):
 * short tokens must be nearly exact, long tokens may differ more. */
static size_t edit_budget(size_t len) {
    if (len <= 2) return 0;
    if (len <= 4) return 1;
    if (len <= 9) return 2;
    return 3 + (len - 10) / 6;
}

/* Similarity from an edit distance d over the longer length L, within the
 * edit budget for L (0 beyond it). */
static double sim_of_dist(size_t d, size_t L) {
    if (d > edit_budget(L)) return 0.0;
    double s = 1.0 - 1.4 * (double)d / (double)L;
    return s < 0 ? 0 : s;
}

/* Similarity in [0,1] of two single normalized tokens (ASCII, lengths in
 * bytes), with the edit budget by length. Pure: thread-safe. */
static double cp_token_sim(const char *a, size_t la, const char *b, size_t lb) {
    if (la == lb && memcmp(a, b, la) == 0) return la ? 1.0 : 0.0;
    if (!la || !lb) return 0.0;
    size_t L = la > lb ? la : lb;
    size_t lmin = la < lb ? la : lb;
    size_t budget = edit_budget(L);
    if (L - lmin > budget) return 0.0;
    return sim_of_dist(osa_max(a, la, b, lb, budget), L);
}

/* Same-script phonetic match: PHON_BASE + PHON_RAW x (1 - d / L). */
#define PHON_BASE 0.5
#define PHON_RAW 0.45
/* Aligned pairs below this similarity partly contradict, in proportion. */
#define WEAK_PAIR 0.7
/* Across scripts, equal phonetic keys of 3+ consonant units
 * (key_units): transliteration differences are expected. Shorter keys (one
 * Chinese or Korean syllable) are graded by spelling like same-script ones:
 * too many syllables share them (yin ~ joanna, jun ~ yuan). */
#define CROSS_PHON_SIM 0.9
/* Both names carry a legal form and they contradict (ANO vs LLC, SAS vs
 * SARL): the same words under another legal form are usually another
 * registered entity (a subsidiary, a non-profit beside a company). An
 * otherwise exact name scores 0.78, just under review; a country or an
 * identifier match lifts it over (docs/index.md, secondary evidence). */
#define LEGAL_CONTRA 0.22
/* Cross-script tokens with equal loose keys (see loose_key). */
#define LOOSE_SIM 0.8
/* Tokens equal up to a Baltic nominative ending. */
#define BALTIC_SIM 0.92

/* Weight of a token in the name: longer tokens carry more information; weak
 * tokens (legal forms, particles, generic words) and initials little. */
static double tok_weight(const cp_pname *p, size_t i) {
    uint8_t f = p->flags[i];
    if (f & CP_TOK_LEGAL) return 0.3;
    if (f & CP_TOK_PARTICLE) return 0.4;
    if (f & CP_TOK_GENERIC) return 0.7;
    if (f & CP_TOK_INITIAL) return 0.6;
    if (f & CP_TOK_NUMBER) return 0.8;
    size_t l = p->tok_len[i] > 12 ? 12 : p->tok_len[i];
    return 1.0 + 0.2 * (double)l;
}

/* Consonant units of a phonetic key: how much a key match tells. The
 * leading vowel class ('a') and a final "ng" (one nasal in pinyin, Korean and
 * Vietnamese romanization) do not count; so a one-syllable Chinese or Korean
 * token (yin, jun, wang, yang: keys "an", "fng", "ang") has at most 2 units,
 * an Arabic consonant skeleton (hsn, mhmd) 3+. */
static size_t key_units(const char *k, size_t kl) {
    size_t u = kl;
    if (u && k[0] == 'a') u--;
    if (kl >= 2 && k[kl - 2] == 'n' && k[kl - 1] == 'g' && u) u--;
    return u;
}

/* 1 when a and b have the same letters once every run of vowels (a e i o u
 * y) is reduced to one mark: romanizations spell a vowel differently
 * (Nur/Noor, Said/Saeed, Kyu/Kiu) but keep the syllables; Olga/Oleg
 * (vowel after g vs before it) are two names. */
static int same_syllables(const char *a, size_t la, const char *b, size_t lb) {
    char x[72], y[72];
    size_t nx = 0, ny = 0;
    for (size_t i = 0; i < la && nx < sizeof x; i++) {
        int v = strchr("aeiouy", a[i]) != NULL;
        if (v && nx && x[nx - 1] == 'V') continue;
        x[nx++] = v ? 'V' : a[i];
    }
    for (size_t i = 0; i < lb && ny < sizeof y; i++) {
        int v = strchr("aeiouy", b[i]) != NULL;
        if (v && ny && y[ny - 1] == 'V') continue;
        y[ny++] = v ? 'V' : b[i];
    }
    return nx == ny && memcmp(x, y, nx) == 0;
}

/* Similarity of two spellings a, b with phonetic keys ka, kb (see pair_sim). */
static double spell_sim(const char *a, size_t la, const char *b, size_t lb, const char *ka, size_t kla,
                        const char *kb, size_t klb, int cross, uint8_t *kind) {
    /* one edit distance, shared by the spelling and the phonetic checks:
     * exact when the keys agree (the spelling distance grades a phonetic
     * match), bounded by the edit budget otherwise */
    int same_key = kla >= 2 && kla == klb && memcmp(ka, kb, kla) == 0;
    size_t L = la > lb ? la : lb, lmin = la < lb ? la : lb;
    size_t budget = edit_budget(L);
    size_t d = same_key ? osa(a, la, b, lb) : L - lmin <= budget ? osa_max(a, la, b, lb, budget) : budget + 1;
    double s = sim_of_dist(d, L);
    *kind = CP_ALIGN_FUZZY;
    double ks = 0.0;
    if (same_key) {
        /* same key: a romanization variant. Within one script the spelling
         * distance still counts (Olga/Oleg); across scripts it is expected. */
        double raw = 1.0 - (double)d / (double)L;
        if (raw < 0) raw = 0;
        if (cross && key_units(ka, kla) >= 3) ks = CROSS_PHON_SIM;
        else if (!cross && key_units(ka, kla) < 3 && d >= 2 && L <= 5 && !same_syllables(a, la, b, lb))
            ks = 0.0; /* Olga/Oleg: other names; Nur/Noor, Said/Saeed kept */
        else ks = PHON_BASE + PHON_RAW * raw;
    } else if (kla >= 3 && klb >= 3) {
        ks = (cross ? 0.9 : 0.8) * cp_token_sim(ka, kla, kb, klb);
    }
    if (ks > s) {
        s = ks;
        *kind = CP_ALIGN_PHONETIC;
    }
    return s;
}

/* Length of w without a Baltic nominative ending: Lithuanian adds -as, -is,
 * -us, -ys to foreign names (Putinas, Vladimiras), Latvian -s after a
 * consonant or -is/-us (Lavrovs, Sergejs). The stem keeps 4+ letters. */
static size_t baltic_stem(const char *w, size_t n) {
    if (n < 6 || w[n - 1] != 's') return n;
    char v = w[n - 2];
    if (v == 'a' || v == 'i' || v == 'u' || v == 'y') return n - 2;
    if (v != 'e' && v != 'o' && v != 's') return n - 1;
    return n;
}

/* Looser key for cross-script pairs only (not used by the index): labials
 * b/p/f/v/w one class (Soundex code 1), l = r (Korean, Japanese and Chinese
 * transcriptions of foreign names use one liquid), h after a consonant
 * dropped (Hindi bh for v). Returns the length written to out (cap >= 72). */
static size_t loose_key(const char *k, size_t kl, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < kl && o < 71; i++) {
        char ch = k[i];
        if (ch == 'f' || ch == 'p') ch = 'b';
        else if (ch == 'l') ch = 'r';
        else if (ch == 'h' && o > 0) continue;
        if (o > 0 && out[o - 1] == ch) continue;
        out[o++] = ch;
    }
    out[o] = '\0';
    return o;
}

/* Similarity of q token i and c token j; sets *kind. Persons: Baltic endings. */
static double pair_sim(const cp_pname *q, size_t i, const cp_pname *c, size_t j, int cross, int person,
                       uint8_t *kind) {
    uint8_t fq = q->flags[i], fc = c->flags[j];
    const char *a = q->tokens[i], *b = c->tokens[j];
    size_t la = q->tok_len[i], lb = c->tok_len[j];
    if ((fq & CP_TOK_LEGAL) || (fc & CP_TOK_LEGAL)) {
        *kind = CP_ALIGN_LEGAL;
        return ((fq & fc & CP_TOK_LEGAL) && la == lb && memcmp(a, b, la) == 0) ? 1.0 : 0.0;
    }
    if (la == lb && memcmp(a, b, la) == 0) {
        *kind = CP_ALIGN_EXACT;
        return 1.0;
    }
    if ((fq | fc) & CP_TOK_NUMBER) return 0.0;
    if ((fq & CP_TOK_INITIAL) || (fc & CP_TOK_INITIAL)) {
        if ((fq & fc & CP_TOK_INITIAL)) return 0.0;
        *kind = CP_ALIGN_INITIAL;
        if (a[0] == b[0]) return 0.75;
        return 0.0;
    }
    if (!cross && (q->script == CP_SCRIPT_HANGUL || q->script == CP_SCRIPT_HAN)) {
        /* both names in Hangul (or both in Han): the romanization is
         * deterministic, so any difference is a different syllable in the
         * original (김종은 vs 김정은). Distance counted in syllables of
         * about 3 letters; no phonetic key (it would hide the syllable). */
        size_t L = la > lb ? la : lb, syl = L / 3 ? L / 3 : 1;
        double t = 1.0 - 1.4 * (double)osa_max(a, la, b, lb, syl) / (double)syl;
        *kind = CP_ALIGN_FUZZY;
        return t < 0 ? 0 : t;
    }
    double s = spell_sim(a, la, b, lb, q->keys[i], q->key_len[i], c->keys[j], c->key_len[j], cross, kind);
    if (cross && s < LOOSE_SIM && q->key_len[i] >= 3 && c->key_len[j] >= 3) {
        char k1[72], k2[72];
        size_t l1 = loose_key(q->keys[i], q->key_len[i], k1), l2 = loose_key(c->keys[j], c->key_len[j], k2);
        if (key_units(k1, l1) >= 3 && l1 == l2 && memcmp(k1, k2, l1) == 0) {
            s = LOOSE_SIM;
            *kind = CP_ALIGN_PHONETIC;
        }
    }
    if (person && s < BALTIC_SIM) {
        /* a Baltic nominative ending on one side (Putinas ~ Putin) */
        size_t sa = baltic_stem(a, la), sb = baltic_stem(b, lb);
        if (sa != la || sb != lb) {
            char k1[72], k2[72];
            uint8_t k = 0;
            size_t l1 = cp_phonetic_key(a, sa, k1, sizeof k1), l2 = cp_phonetic_key(b, sb, k2, sizeof k2);
            double t = sa == sb && memcmp(a, b, sa) == 0 ? 1.0 : spell_sim(a, sa, b, sb, k1, l1, k2, l2, cross, &k);
            if (t * BALTIC_SIM > s) {
                s = t * BALTIC_SIM;
                *kind = CP_ALIGN_PHONETIC;
            }
        }
    }
    return s;
}

/* ------------------------------------------------------------ scoring */

typedef struct cand {
    int16_t q, c;
    uint8_t qs, cs, kind;
    double sim, w;
} cand;

static int cand_cmp(const void *x, const void *y) {
    const cand *a = x, *b = y;
    double ka = a->sim * 100 + a->w, kb = b->sim * 100 + b->w;
    return ka < kb ? 1 : ka > kb ? -1 : 0;
}

enum { MAX_CANDS = 1024 };

/* Arabic nasab: "X bin Y" names X, son of Y. Finds the own name (last
 * non-particle token before the first bin/bint/ould/walad) and the father's
 * name (first non-particle token after it); -1 when absent. Swapping them
 * names another person (Salman bin Muhammad vs Muhammad bin Salman). */
static void nasab(const cp_pname *p, size_t n, int *own, int *father) {
    *own = *father = -1;
    for (size_t i = 0; i < n; i++) {
        const char *t = p->tokens[i];
        if (!(p->flags[i] & CP_TOK_PARTICLE) ||
            !(strcmp(t, "bin") == 0 || strcmp(t, "bint") == 0 || strcmp(t, "ould") == 0 || strcmp(t, "walad") == 0))
            continue;
        for (size_t k = i; k-- > 0;)
            if (!(p->flags[k] & CP_TOK_WEAK)) { *own = (int)k; break; }
        for (size_t k = i + 1; k < n; k++)
            if (!(p->flags[k] & CP_TOK_WEAK)) { *father = (int)k; break; }
        return;
    }
}

/* Concatenation of tokens [j, j+span) of p (original spellings) into buf. */
static size_t concat(const cp_pname *p, size_t j, size_t span, char *buf, size_t cap) {
    size_t k = 0;
    for (size_t m = j; m < j + span && m < p->n_tokens; m++)
        for (size_t x = 0; x < p->tok_len[m] && k < cap - 1; x++) buf[k++] = p->tokens[m][x];
    buf[k] = '\0';
    return k;
}

double cp_name_score(const cp_pname *q, const cp_pname *c, cp_schema schema, cp_name_why *why) {
    cp_name_why local;
    cp_name_why *y = why ? why : &local;
    memset(y, 0, sizeof *y);
    size_t nq = q->n_tokens > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : q->n_tokens;
    size_t nc = c->n_tokens > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : c->n_tokens;
    if (nq == 0 || nc == 0) return 0.0;
    int person = schema == CP_SCHEMA_PERSON;
    int cross = q->script != c->script && q->script != CP_SCRIPT_UNKNOWN && c->script != CP_SCRIPT_UNKNOWN;
    /* both in Hangul or both in Han: one letter of the romanization is a
     * syllable of the original (see pair_sim) */
    int syllabic = !cross && (q->script == CP_SCRIPT_HANGUL || q->script == CP_SCRIPT_HAN);

    double wq[CP_NAME_MAX_TOKENS], wc[CP_NAME_MAX_TOKENS];
    double Wq = 0, Wc = 0;
    for (size_t i = 0; i < nq; i++) Wq += (wq[i] = tok_weight(q, i));
    for (size_t j = 0; j < nc; j++) Wc += (wc[j] = tok_weight(c, j));

    cand cs[MAX_CANDS];
    size_t ncand = 0;
    for (size_t i = 0; i < nq; i++)
        for (size_t j = 0; j < nc && ncand < MAX_CANDS; j++) {
            uint8_t kind = 0;
            double s = pair_sim(q, i, c, j, cross, person, &kind);
            if (s >= 0.45)
                cs[ncand++] = (cand){(int16_t)i, (int16_t)j, 1, 1, kind, s, wq[i] + wc[j]};
        }
    /* joined/split: one token against two or three adjacent tokens */
    char buf[200];
    for (int side = 0; side < 2; side++) {
        const cp_pname *one = side ? c : q, *many = side ? q : c;
        size_t n1 = side ? nc : nq, nm = side ? nq : nc;
        for (size_t i = 0; i < n1; i++) {
            if (one->tok_len[i] < 4 || (one->flags[i] & CP_TOK_NUMBER)) continue;
            for (size_t span = 2; span <= 3; span++)
                for (size_t j = 0; j + span <= nm && ncand < MAX_CANDS; j++) {
                    if (many->tokens[j][0] != one->tokens[i][0]) continue; /* buf[0] below */
                    /* lengths beyond the edit budget: cp_token_sim would give 0 */
                    size_t lsum = 0;
                    for (size_t m = j; m < j + span; m++) lsum += many->tok_len[m];
                    if (lsum > sizeof buf - 1) lsum = sizeof buf - 1;
                    size_t l1 = one->tok_len[i], Lx = lsum > l1 ? lsum : l1, lmn = lsum < l1 ? lsum : l1;
                    if (Lx - lmn > edit_budget(Lx)) continue;
                    size_t l = concat(many, j, span, buf, sizeof buf);
                    double s = cp_token_sim(one->tokens[i], one->tok_len[i], buf, l);
                    if (s < 0.6) continue;
                    double w = side ? wc[i] : wq[i];
                    for (size_t m = j; m < j + span; m++) w += side ? wq[m] : wc[m];
                    s *= 0.97;
                    if (side)
                        cs[ncand++] = (cand){(int16_t)j, (int16_t)i, (uint8_t)span, 1, CP_ALIGN_JOINED, s, w};
                    else
                        cs[ncand++] = (cand){(int16_t)i, (int16_t)j, 1, (uint8_t)span, CP_ALIGN_JOINED, s, w};
                }
        }
    }
    qsort(cs, ncand, sizeof cs[0], cand_cmp);
    int q_own = -1, q_father = -1, c_own = -1, c_father = -1;
    if (person || schema == CP_SCHEMA_ANY) {
        nasab(q, nq, &q_own, &q_father);
        nasab(c, nc, &c_own, &c_father);
    }
    double Eq = 0, Ec = 0; /* contradiction mass of weakly similar aligned pairs */
    uint8_t qused[CP_NAME_MAX_TOKENS] = {0}, cused[CP_NAME_MAX_TOKENS] = {0};
    double M = 0, Mw = 0;
    int strong_aligned = 0, inversions = 0, all_exact = 1;
    int last_c = -1;
    for (size_t k = 0; k < ncand; k++) {
        cand *x = &cs[k];
        int free_ = 1;
        for (size_t m = 0; m < x->qs; m++) free_ &= !qused[x->q + m];
        for (size_t m = 0; m < x->cs; m++) free_ &= !cused[x->c + m];
        if (!free_) continue;
        if (x->qs == 1 && x->cs == 1 && ((x->q == q_own && x->q >= 0 && x->c == c_father) ||
                                         (x->q == q_father && x->q >= 0 && x->c == c_own)))
            continue; /* own name against father's name */
        for (size_t m = 0; m < x->qs; m++) qused[x->q + m] = 1;
        for (size_t m = 0; m < x->cs; m++) cused[x->c + m] = 1;
        M += x->sim * x->w;
        Mw += x->w;
        if (x->qs == 1 && x->cs == 1 && x->sim < WEAK_PAIR && x->kind != CP_ALIGN_INITIAL &&
            ((q->flags[x->q] ^ c->flags[x->c]) & CP_TOK_VARIANT) == 0 &&
            osa_max(q->tokens[x->q], q->tok_len[x->q], c->tokens[x->c], c->tok_len[x->c], 1) > 1) {
            /* a weakly similar pair (Hamidullah ~ Waliullah) partly
             * contradicts; one edit (Jon ~ John) is a spelling variant, and
             * a token rewritten by the variant table (Mohsmed ~ Mohamed ->
             * muhammad) may be one edit from its written spelling; but two
             * table names with different canonical forms (Mohamed ->
             * muhammad ~ Ahmed -> ahmad) are two known, different names */
            double f = (WEAK_PAIR - x->sim) / WEAK_PAIR;
            Eq += f * wq[x->q];
            Ec += f * wc[x->c];
        }
        if (x->kind != CP_ALIGN_EXACT && x->kind != CP_ALIGN_LEGAL) all_exact = 0;
        if (x->sim >= 0.6) {
            int sq = 0, sc = 0; /* a strong token on each side of the pair */
            for (size_t m = 0; m < x->qs; m++) sq |= !(q->flags[x->q + m] & (CP_TOK_WEAK | CP_TOK_INITIAL));
            for (size_t m = 0; m < x->cs; m++) sc |= !(c->flags[x->c + m] & (CP_TOK_WEAK | CP_TOK_INITIAL));
            if (sq && sc) strong_aligned++;
        }
        if (y->n_pairs < CP_WHY_MAX_PAIRS)
            y->pairs[y->n_pairs++] = (cp_name_pair){x->q, x->c, x->qs, x->cs, x->kind, (float)x->sim};
    }
    /* order: pairs sorted by query position, list positions should increase */
    for (size_t a = 0; a < y->n_pairs; a++)
        for (size_t b2 = 0; b2 < y->n_pairs; b2++)
            if (y->pairs[a].q < y->pairs[b2].q && y->pairs[a].c > y->pairs[b2].c) inversions++;
    (void)last_c;
    double base = Mw > 0 ? M / Mw : 0.0;
    /* unmatched */
    double Uq = 0, Uc = 0, Uq_legal = 0, Uc_legal = 0, Nq = 0, Nc = 0, Pq = 0, Pc = 0;
    for (size_t i = 0; i < nq; i++)
        if (!qused[i]) {
            if (q->flags[i] & CP_TOK_LEGAL) Uq_legal += wq[i];
            else if (q->flags[i] & CP_TOK_NUMBER) Nq += wq[i];
            else Uq += wq[i];
            if (q->flags[i] & CP_TOK_PATRONYMIC) Pq += wq[i];
        }
    for (size_t j = 0; j < nc; j++)
        if (!cused[j]) {
            if (c->flags[j] & CP_TOK_LEGAL) Uc_legal += wc[j];
            else if (c->flags[j] & CP_TOK_NUMBER) Nc += wc[j];
            else Uc += wc[j];
            if (c->flags[j] & CP_TOK_PATRONYMIC) Pc += wc[j];
        }
    int leftovers = Uq + Uq_legal > 0 && Uc + Uc_legal > 0;
    Uq += Eq;
    Uc += Ec;
    /* contradiction: both names have parts the other lacks (geometric mean, so
     * that an initial contradicting a full name still counts); missing: parts
     * on one side only. Differing numbers (series, fund numbers) weigh half. */
    double contra = sqrt(Uq * Uc);
    double ncontra = Nq < Nc ? Nq : Nc;
    double pen_contra = 1.5 * 2.0 * contra / (Wq + Wc) + 0.5 * 2.0 * ncontra / (Wq + Wc);
    double mc = Uc + Nc - (contra < Uc ? contra : Uc) - ncontra;
    double mq = Uq + Nq - (contra < Uq ? contra : Uq) - ncontra;
    /* a missing patronymic costs half (often absent from documents) */
    if (contra == 0) {
        mc -= 0.5 * (Pc < mc ? Pc : mc);
        mq -= 0.5 * (Pq < mq ? Pq : mq);
    }
    /* a title with one name ("President Putin", "Putyin elnok", "Mr Smith")
     * is a complete way to refer to a person: the absent given names cost half */
    if (person && q->n_strong == 1 && nq == 1 && (q->flags[0] & CP_TOK_TITLED) && contra == 0) mc *= 0.5;
    /* a query naming at most half of a long list name (4+ strong tokens)
     * picks a subset of it: one given name and one of two family names
     * ("José Gómez" vs "LOPEZ GOMEZ, Roberto Jose"), or the first and last
     * of a long Arabic name. Such namesakes are common, so the absent part
     * costs double; one dropped middle name of a long name is far from half */
    size_t c_strong = 0, c_strong_used = 0;
    for (size_t j = 0; j < nc; j++)
        if (!(c->flags[j] & (CP_TOK_WEAK | CP_TOK_INITIAL))) {
            c_strong++;
            c_strong_used += cused[j];
        }
    double mcoef = c_strong >= 4 && 2 * c_strong_used <= c_strong ? 0.35 : 0.25;
    double qcoef = 0.20;
    if (cross && (q->script == CP_SCRIPT_HAN || q->script == CP_SCRIPT_HANGUL)) {
        /* a Chinese or Korean name written in its script has no middle
         * names: each word is the family name or a whole given name, which
         * a romanized list name splits into syllables. A syllable on one
         * side only is another given name (玉 Yu vs "LI, Cheng Yu"), not an
         * omitted middle name */
        mcoef = 0.5;
        qcoef = 0.35;
    }
    double pen_mc = mcoef * mc / Wc;
    double pen_mq = qcoef * mq / Wq;
    y->pen_unmatched_q = pen_mq + pen_contra / 2;
    y->pen_unmatched_c = pen_mc + pen_contra / 2;
    if (Uq_legal > 0 && Uc_legal > 0) y->pen_legal = LEGAL_CONTRA;
    /* weak tokens never carry a match alone, unless the two names are the
     * same words throughout (a list name made only of common words, exactly) */
    if (strong_aligned == 0 && !(all_exact && Uq + Uq_legal + Nq == 0 && Uc + Uc_legal + Nc == 0))
        y->pen_weak_only = 0.5;
    size_t c_nonweak = 0;
    for (size_t j = 0; j < nc; j++) c_nonweak += !(c->flags[j] & (CP_TOK_LEGAL | CP_TOK_PARTICLE));
    /* a list name that is one word of the query: one token besides legal
     * forms and particles ("EMMA LLC" vs Emma Lloyd, "AL-HASAN" vs Ziya Al
     * Husayn; a generic word counts: "VTB BANK"), or all its words
     * aligned with one query word written together ("Su Bin" vs 수빈 이 =
     * subin + a family name) */
    int one_word = c_nonweak == 1;
    if (!one_word && y->n_pairs >= 1) {
        one_word = 1;
        for (size_t k = 0; k < y->n_pairs; k++)
            if (y->pairs[k].q_span != 1 || y->pairs[k].q != y->pairs[0].q) one_word = 0;
        for (size_t j = 0; j < nc && one_word; j++)
            if (!cused[j] && !(c->flags[j] & CP_TOK_LEGAL)) one_word = 0;
    }
    if (one_word && q->n_strong >= 2) y->pen_short_list = 0.12;
    if (cross) y->pen_script = 0.03;
    if (inversions) y->pen_order = person ? 0.01 : 0.03;
    double pen = y->pen_unmatched_q + y->pen_unmatched_c + y->pen_legal + y->pen_weak_only +
                 y->pen_short_list + y->pen_script + y->pen_order;
    double score = base * (1.0 - pen);
    /* whole name written together or split differently */
    /* only when the word boundaries differ (other token counts), or for a
     * single edit in the whole name (Al-Hamzi ~ Aa-Hamzi, Mojammed ~ Mohammed
     * before the variant table): with the same split, the token alignment
     * already holds every comparison and the whole-name distance would hide
     * one contradicting element (Al-Harbi ~ Al-Ghamdi) */
    if (q->joined_len >= 6 && c->joined_len >= 6 && (leftovers || base < 1.0) &&
        (nq != nc || (!syllabic && osa_max(q->joined, q->joined_len, c->joined, c->joined_len, 1) <= 1))) {
        double js = cp_token_sim(q->joined, q->joined_len, c->joined, c->joined_len) * 0.97;
        js *= 1.0 - y->pen_script;
        if (js > score) {
            score = js;
            y->n_pairs = 1;
            y->pairs[0] = (cp_name_pair){0, 0, (uint8_t)nq, (uint8_t)nc, CP_ALIGN_JOINED, (float)js};
            y->pen_unmatched_q = y->pen_unmatched_c = y->pen_legal = y->pen_weak_only = 0;
            y->pen_short_list = y->pen_order = 0;
            base = js;
        }
    }
    if (!(score > 0)) score = 0; /* also -0.0 (base 0 times a negative factor) and NaN */
    if (score > 1) score = 1;
    if (score >= 1.0 && !(all_exact && nq == nc && inversions == 0 && pen == 0 &&
                          q->joined_len == c->joined_len && memcmp(q->joined, c->joined, q->joined_len) == 0))
        score = 0.99; /* equivalent but not the same full name */
    y->base = base;
    y->score = score;
    return score;
}

/* ------------------------------------------------------------ upper bound */

/* Byte histogram of a string cut at 64 bytes, in the 64 classes of
 * dist_lower_bound. */
static void hist_of(const char *s, size_t len, uint8_t h[64]) {
    memset(h, 0, 64);
    if (len > 64) len = 64;
    for (size_t i = 0; i < len; i++) h[(unsigned char)s[i] & 63]++;
}

/* dist_lower_bound of two strings from their histograms and lengths. */
static size_t hist_lower_bound(const uint8_t *x, size_t la, const uint8_t *y, size_t lb) {
    if (la > 64) la = 64;
    if (lb > 64) lb = 64;
    size_t l1 = 0;
#if defined(__SSE2__)
    for (size_t k = 0; k < 64; k += 16) {
        __m128i d = _mm_sad_epu8(_mm_loadu_si128((const __m128i *)(const void *)(x + k)),
                                 _mm_loadu_si128((const __m128i *)(const void *)(y + k)));
        l1 += (size_t)_mm_cvtsi128_si32(d) + (size_t)_mm_extract_epi16(d, 4);
    }
#else
    for (size_t k = 0; k < 64; k++) l1 += (size_t)(x[k] > y[k] ? x[k] - y[k] : y[k] - x[k]);
#endif
    size_t half = (l1 + 1) / 2, dl = la > lb ? la - lb : lb - la;
    return half > dl ? half : dl;
}

void cp_name_hists_of(const cp_pname *p, cp_name_hists *h) {
    size_t n = p->n_tokens > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : p->n_tokens;
    for (size_t i = 0; i < n; i++) {
        hist_of(p->tokens[i], p->tok_len[i], h->tok[i]);
        hist_of(p->keys[i], p->key_len[i], h->key[i]);
    }
    h->n = n;
}

/* List-name histograms built on first need (most pairs are told apart by
 * length, exact tokens or the first check). */
typedef struct lazy_hists {
    cp_name_hists h;
    uint8_t have_tok[CP_NAME_MAX_TOKENS], have_key[CP_NAME_MAX_TOKENS];
} lazy_hists;

static const uint8_t *lazy_tok(lazy_hists *l, const cp_pname *c, size_t j) {
    if (!l->have_tok[j]) {
        hist_of(c->tokens[j], c->tok_len[j], l->h.tok[j]);
        l->have_tok[j] = 1;
    }
    return l->h.tok[j];
}

static const uint8_t *lazy_key(lazy_hists *l, const cp_pname *c, size_t j) {
    if (!l->have_key[j]) {
        hist_of(c->keys[j], c->key_len[j], l->h.key[j]);
        l->have_key[j] = 1;
    }
    return l->h.key[j];
}

/* 0 when pair_sim(q, i, c, j) is certainly below the alignment cut-off
 * (0.45), 1 when it may reach it. Follows pair_sim branch by branch with
 * every edit distance replaced by its lower bound (so "may" errs on the
 * side of 1); q token i is not a legal form. */
static int pair_may_align(const cp_pname *q, size_t i, const cp_pname *c, size_t j, int cross, int person,
                          const cp_name_hists *hq, lazy_hists *hc) {
    uint8_t fq = q->flags[i], fc = c->flags[j];
    const char *a = q->tokens[i], *b = c->tokens[j];
    size_t la = q->tok_len[i], lb = c->tok_len[j];
    if (fc & CP_TOK_LEGAL) return 0; /* legal only with legal */
    if (la == lb && memcmp(a, b, la) == 0) return 1;
    if ((fq | fc) & CP_TOK_NUMBER) return 0;
    if ((fq & CP_TOK_INITIAL) || (fc & CP_TOK_INITIAL)) return !(fq & fc & CP_TOK_INITIAL) && a[0] == b[0];
    if (!cross && (q->script == CP_SCRIPT_HANGUL || q->script == CP_SCRIPT_HAN)) return 1;
    size_t L = la > lb ? la : lb;
    if (hist_lower_bound(hq->tok[i], la, lazy_tok(hc, c, j), lb) <= edit_budget(L)) return 1; /* spelling */
    const char *ka = q->keys[i], *kb = c->keys[j];
    size_t kla = q->key_len[i], klb = c->key_len[j];
    if (kla >= 2 && kla == klb && memcmp(ka, kb, kla) == 0) return 1; /* same key */
    if (kla >= 3 && klb >= 3) {
        size_t Lk = kla > klb ? kla : klb;
        if (hist_lower_bound(hq->key[i], kla, lazy_key(hc, c, j), klb) <= edit_budget(Lk)) return 1; /* near keys */
        if (cross) {
            char k1[72], k2[72];
            size_t l1 = loose_key(ka, kla, k1), l2 = loose_key(kb, klb, k2);
            if (l1 == l2 && memcmp(k1, k2, l1) == 0) return 1; /* loose keys */
        }
    }
    if (person && (baltic_stem(a, la) != la || baltic_stem(b, lb) != lb)) return 1;
    return 0;
}

/* Marks in `may_one` / `may_many` the tokens that some joined/split
 * candidate of cp_name_score (one token of `one` against 2-3 adjacent
 * tokens of `many`) may involve: same first letter, lengths within the edit
 * budget (the checks cp_name_score makes before measuring). */
static void joined_may_align(const cp_pname *one, size_t n1, const cp_pname *many, size_t nm, uint8_t *may_one,
                             uint8_t *may_many) {
    for (size_t i = 0; i < n1; i++) {
        if (one->tok_len[i] < 4 || (one->flags[i] & CP_TOK_NUMBER)) continue;
        for (size_t span = 2; span <= 3; span++)
            for (size_t j = 0; j + span <= nm; j++) {
                if (many->tokens[j][0] != one->tokens[i][0]) continue;
                size_t lsum = 0;
                for (size_t m = j; m < j + span; m++) lsum += many->tok_len[m];
                if (lsum > 199) lsum = 199;
                size_t l1 = one->tok_len[i], Lx = lsum > l1 ? lsum : l1, lmn = lsum < l1 ? lsum : l1;
                if (Lx - lmn > edit_budget(Lx)) continue;
                may_one[i] = 1;
                for (size_t m = j; m < j + span; m++) may_many[m] = 1;
            }
    }
}

double cp_name_score_bound(const cp_pname *q, const cp_name_hists *hq, const cp_pname *c, cp_schema schema,
                           double cutoff) {
    size_t nq = q->n_tokens > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : q->n_tokens;
    size_t nc = c->n_tokens > CP_NAME_MAX_TOKENS ? CP_NAME_MAX_TOKENS : c->n_tokens;
    if (nq == 0 || nc == 0) return 0.0;
    int person = schema == CP_SCHEMA_PERSON;
    int cross = q->script != c->script && q->script != CP_SCRIPT_UNKNOWN && c->script != CP_SCRIPT_UNKNOWN;
    /* tokens that no candidate can align stay unmatched: their weight is
     * the least contradicting / missing mass (u on the query side, v on the
     * list side) */
    uint8_t mq[CP_NAME_MAX_TOKENS] = {0}, mc[CP_NAME_MAX_TOKENS] = {0};
    cp_name_hists own;
    if (!hq || hq->n != nq) {
        cp_name_hists_of(q, &own);
        hq = &own;
    }
    lazy_hists hsc;
    memset(hsc.have_tok, 0, nc);
    memset(hsc.have_key, 0, nc);
    for (size_t i = 0; i < nq; i++) {
        if (q->flags[i] & CP_TOK_LEGAL) continue;
        for (size_t j = 0; j < nc; j++)
            if ((!mq[i] || !mc[j]) && pair_may_align(q, i, c, j, cross, person, hq, &hsc)) mq[i] = mc[j] = 1;
    }
    size_t unmarked = 0;
    for (size_t i = 0; i < nq; i++) unmarked += !mq[i];
    for (size_t j = 0; j < nc; j++) unmarked += !mc[j];
    if (unmarked) { /* joined/split candidates may align the rest */
        joined_may_align(q, nq, c, nc, mq, mc);
        joined_may_align(c, nc, q, nq, mc, mq);
    }
    double Wq = 0, Wc = 0, u = 0, v = 0;
    int q_patr = 0, c_patr = 0;
    for (size_t i = 0; i < nq; i++) {
        double w = tok_weight(q, i);
        Wq += w;
        if (!mq[i] && !(q->flags[i] & (CP_TOK_LEGAL | CP_TOK_NUMBER))) u += w;
        q_patr |= (q->flags[i] & CP_TOK_PATRONYMIC) != 0;
    }
    for (size_t j = 0; j < nc; j++) {
        double w = tok_weight(c, j);
        Wc += w;
        if (!mc[j] && !(c->flags[j] & (CP_TOK_LEGAL | CP_TOK_NUMBER))) v += w;
        c_patr |= (c->flags[j] & CP_TOK_PATRONYMIC) != 0;
    }
    /* cp_name_score's unmatched penalty with U_q >= u, U_c >= v, the least
     * missing coefficients (0.25 list, 0.20 query) and every halving that
     * may apply (patronymic; one titled query word):
     *   f = 3 sqrt(Uq Uc) / W + A (Uc - min(sqrt(Uq Uc), Uc)) + B (Uq - min(sqrt(Uq Uc), Uq)),
     * A = 0.25 h_c / Wc, B = 0.20 h_q / Wq, W = Wq + Wc. When 3 / W >= A and
     * 3 / W >= B, f is nondecreasing in Uq and in Uc (on Uq <= Uc it is
     * A Uc + (3/W - A) sqrt(Uq Uc), symmetric on the other side, equal on
     * the diagonal), so f(u, v) bounds it from below; otherwise no bound. */
    double hcf = (c_patr ? 0.5 : 1.0) * (person && q->n_strong == 1 && nq == 1 && (q->flags[0] & CP_TOK_TITLED) ? 0.5 : 1.0);
    double hqf = q_patr ? 0.5 : 1.0;
    double W = Wq + Wc, A = 0.25 * hcf / Wc, B = 0.20 * hqf / Wq, pen = 0.0;
    if (W > 0 && 3.0 / W >= A && 3.0 / W >= B) {
        double con = sqrt(u * v);
        pen = 3.0 * con / W + A * (v - (con < v ? con : v)) + B * (u - (con < u ? con : u));
    }
    if (cross) pen += 0.03;
    double ub = 1.0 - pen;
    if (ub >= cutoff) return 1.0; /* may reach the cut-off: no need to look closer */
    /* the whole names compared as one token (step 5 of cp_name_score) */
    double ub_joined = 0.0;
    if (q->joined_len >= 6 && c->joined_len >= 6) {
        size_t la = q->joined_len, lb = c->joined_len, L = la > lb ? la : lb, lmin = la < lb ? la : lb;
        size_t d = dist_lower_bound(q->joined, la > 64 ? 64 : la, c->joined, lb > 64 ? 64 : lb);
        if (L - lmin <= edit_budget(L) && d <= edit_budget(L)) ub_joined = 0.97 * (1.0 - 1.4 * (double)d / (double)L);
    }
    if (ub_joined > ub) ub = ub_joined;
    if (ub < 0) ub = 0;
    if (ub > 1) ub = 1;
    return ub;
}

static const char *const kind_names[] = {"exact", "phonetic", "fuzzy", "initial", "joined", "legal"};

const char *cp_name_why_format(const cp_name_why *why, const cp_pname *q, const cp_pname *c,
                               char *buf, size_t size) {
    if (!size) return buf;
    size_t k = 0;
    buf[0] = '\0';
#define PUT(...)                                                                     \
    do {                                                                             \
        if (k < size) {                                                              \
            int r_ = snprintf(buf + k, size - k, __VA_ARGS__);                       \
            if (r_ > 0) k += (size_t)r_;                                             \
        }                                                                            \
    } while (0)
    for (size_t i = 0; i < why->n_pairs; i++) {
        const cp_name_pair *p = &why->pairs[i];
        PUT("%s", i ? " " : "");
        for (size_t m = 0; m < p->q_span && (size_t)p->q + m < q->n_tokens; m++)
            PUT("%s%s", m ? "+" : "", q->tokens[p->q + m]);
        PUT("~");
        for (size_t m = 0; m < p->c_span && (size_t)p->c + m < c->n_tokens; m++)
            PUT("%s%s", m ? "+" : "", c->tokens[p->c + m]);
        PUT("(%s %.2f)", p->kind < 6 ? kind_names[p->kind] : "?", (double)p->sim);
    }
    PUT("; base %.3f", why->base);
    if (why->pen_unmatched_q > 0) PUT(" -unmatched_query %.3f", why->pen_unmatched_q);
    if (why->pen_unmatched_c > 0) PUT(" -unmatched_list %.3f", why->pen_unmatched_c);
    if (why->pen_legal > 0) PUT(" -legal_form %.3f", why->pen_legal);
    if (why->pen_weak_only > 0) PUT(" -weak_only %.3f", why->pen_weak_only);
    if (why->pen_short_list > 0) PUT(" -short_list_name %.3f", why->pen_short_list);
    if (why->pen_script > 0) PUT(" -cross_script %.3f", why->pen_script);
    if (why->pen_order > 0) PUT(" -order %.3f", why->pen_order);
    PUT("; score %.3f", why->score);
#undef PUT
    if (k >= size) buf[size - 1] = '\0';
    return buf;
}
