/* name.h: name normalization (prepare) and pairwise name scoring.
 *
 * Two steps:
 *   1. cp_name_prepare() turns a raw list name or query name (UTF-8, any
 *      script) into a cp_pname: lower-case ASCII tokens (NFKC, case fold,
 *      transliterated to Latin, diacritics and special letters folded), with
 *      per-token flags (legal form, particle, generic word, initial, number)
 *      and a phonetic key per token that unifies the common romanizations of
 *      Cyrillic, Arabic, Greek, ... (Ye/E, Kh/H, Zh/J, Yu/Iu/Ju, -iy/-y/-ii,
 *      Shch/Sch, Mohammed/Muhammad, ...). Legal forms are replaced by their
 *      canonical form (OOO, TOV, LLC -> "llc"; ZAO/OAO/PAO/AO/JSC -> "jsc").
 *   2. cp_name_score() scores a prepared query against a prepared list name:
 *      token alignment with edit budgets by token length, phonetic
 *      equivalence, concatenated/split tokens, initials, missing vs.
 *      contradicting name parts; result in [0,1], 1.0 only for the same
 *      full name.
 *
 * The index (src/index, src/match/search*) uses tokens and keys for candidate
 * retrieval: keys[i] is a good posting key for tokens[i] (equal keys <=>
 * "same token under some romanization"); CP_NAME_REVIEW_THRESHOLD is the
 * default alert threshold. How scores are formed: docs/matching.md.
 */
#ifndef CP_MATCH_NAME_H
#define CP_MATCH_NAME_H
#include "chokepoint.h"
#include "core/arena.h"
#include "text/normalize.h"
#include <stddef.h>
#include <stdint.h>

/* Default review threshold: a name pair with score >= this is a "match"
 * (alert for review). Calibrated on the nomenklatura name_bench dev set,
 * see bench/quality.c and docs/matching.md. */
#define CP_NAME_REVIEW_THRESHOLD 0.80

/* Maximum bytes of input considered (longer names are cut at a code-point
 * boundary) and maximum tokens kept. */
enum { CP_NAME_MAX_BYTES = 1024, CP_NAME_MAX_TOKENS = 32 };

/* Per-token flags (bit set in cp_pname.flags[i]). */
enum cp_tok_flag {
    CP_TOK_LEGAL = 1u << 0,    /* legal form, canonicalized (llc, jsc, gmbh, ltd ...) */
    CP_TOK_PARTICLE = 1u << 1, /* name particle kept for matching (al, bin, van, de ...) */
    CP_TOK_GENERIC = 1u << 2,  /* generic org word (company, trading, group, bank ...) */
    CP_TOK_INITIAL = 1u << 3,  /* single letter (an initial) */
    CP_TOK_NUMBER = 1u << 4,   /* digits (numbers, ordinals normalized to digits) */
    CP_TOK_PATRONYMIC = 1u << 5, /* East Slavic / Turkic patronymic (-ovich, -ovna, -ogly ...), not the
                                  * first token of a name of 3+ tokens: cheaper when missing */
    CP_TOK_VARIANT = 1u << 6,  /* rewritten to its canonical spelling by the name-variant table
                                * (Mohamed -> muhammad): the written spelling may be far from it */
    CP_TOK_TITLED = 1u << 7,   /* a title was dropped from this person name (President Putin) */
    CP_TOK_WEAK = CP_TOK_LEGAL | CP_TOK_PARTICLE | CP_TOK_GENERIC
    /* weak tokens never carry a match alone */
};

/* Script of the original name (the dominant non-common script). */
enum cp_script {
    CP_SCRIPT_UNKNOWN = 0, /* no letters */
    CP_SCRIPT_LATIN,
    CP_SCRIPT_CYRILLIC,
    CP_SCRIPT_GREEK,
    CP_SCRIPT_ARABIC,
    CP_SCRIPT_HEBREW,
    CP_SCRIPT_HAN,
    CP_SCRIPT_JAPANESE, /* kana (with or without Han) */
    CP_SCRIPT_HANGUL,
    CP_SCRIPT_GEORGIAN,
    CP_SCRIPT_ARMENIAN,
    CP_SCRIPT_OTHER
};

/* Per-thread normalizer: owns ICU transliterators and the compiled tables of
 * data/text/ tables. NOT thread-safe: use one per thread. */
typedef struct cp_normalizer cp_normalizer;

/* Returns a new normalizer or NULL (err filled: CP_ERR_NOMEM, or CP_ERR_IO
 * when ICU cannot open a transliterator). Costs a few milliseconds (ICU rule
 * compilation): create once per thread, not per name. Free with
 * cp_normalizer_free (accepts NULL). */
cp_normalizer *cp_normalizer_new(cp_error *err);
void cp_normalizer_free(cp_normalizer *n);

/* A prepared name. All pointers point into the arena given to
 * cp_name_prepare; the struct is read-only afterwards and may be shared by
 * threads. Tokens are NUL-terminated lower-case ASCII [a-z0-9]. */
typedef struct cp_pname {
    size_t n_tokens;
    const char **tokens;  /* normalized tokens, in the original order ("SURNAME, Given" kept as is) */
    uint8_t *tok_len;     /* strlen(tokens[i]) (tokens are at most 255 bytes) */
    uint8_t *flags;       /* enum cp_tok_flag bits per token */
    const char **keys;    /* phonetic key per token (romanization-independent); == token for numbers */
    uint8_t *key_len;     /* strlen(keys[i]) */
    int script;           /* enum cp_script of the original text */
    size_t n_strong;      /* tokens without CP_TOK_WEAK */
    const char *joined;   /* the normalized words as written (before tables: legal forms, titles), concatenated */
    size_t joined_len;
} cp_pname;

/* Normalizes `name` (UTF-8, `len` bytes, need not be NUL-terminated; invalid
 * UTF-8 bytes are dropped; input beyond CP_NAME_MAX_BYTES ignored) for
 * `schema` (person: titles dropped, particles flagged; organization:
 * legal forms canonicalized, abbreviations expanded, generic words flagged;
 * ANY: both rule sets, no title dropping).
 * Fills *out with memory from `arena` (owned by the caller, freed with the
 * arena). Returns 0, or -1 with err set (CP_ERR_NOMEM, CP_ERR_ARG for NULL
 * arguments). A name with no letters or digits yields n_tokens == 0 (not an
 * error). Not thread-safe for one normalizer. */
int cp_name_prepare(cp_normalizer *n, const char *name, size_t len, cp_schema schema,
                    cp_arena *arena, cp_pname *out, cp_error *err);

/* The schema-independent part of preparing one name: its text turned into
 * ASCII words (ICU transliteration, the costly part) and, computed on first
 * need, the number of words before its first comma (the "SURNAME, Given"
 * title position of person names). A search prepares its query once with
 * cp_name_normalize and then per candidate schema with
 * cp_name_prepare_text, instead of repeating the transliteration for every
 * schema (docs/index.md, "Measured"). */
typedef struct cp_name_text {
    const char *name;   /* the text given to cp_name_normalize (borrowed: must outlive this struct) */
    size_t len;
    int comma_words;    /* words before the first comma; -1: not computed yet, 0: no comma prefix */
    cp_words ws;        /* the normalized words */
} cp_name_text;

/* Fills *out with the words of `name` (as cp_name_prepare: UTF-8, `len`
 * bytes, invalid bytes dropped, at most CP_NAME_MAX_BYTES read). `name` is
 * borrowed and must stay valid while *out is used. Returns 0, or -1 with
 * err set (CP_ERR_ARG for NULL arguments, CP_ERR_IO when ICU fails). Not
 * thread-safe for one normalizer. */
int cp_name_normalize(cp_normalizer *n, const char *name, size_t len, cp_name_text *out, cp_error *err);

/* Prepares a normalized name for `schema`; the result is identical to
 * cp_name_prepare on the same text and schema (which is cp_name_normalize
 * followed by this). `t` may be reused for any number of schemas (it caches
 * its comma position). Memory, errors and thread-safety as cp_name_prepare. */
int cp_name_prepare_text(cp_normalizer *n, cp_name_text *t, cp_schema schema, cp_arena *arena, cp_pname *out,
                         cp_error *err);

/* ---- scoring ---- */

enum { CP_WHY_MAX_PAIRS = CP_NAME_MAX_TOKENS };

/* How two tokens were aligned. */
typedef enum cp_align_kind {
    CP_ALIGN_EXACT = 0,  /* same token */
    CP_ALIGN_PHONETIC,   /* same phonetic key (romanization variant) */
    CP_ALIGN_FUZZY,      /* within the edit budget for the token length */
    CP_ALIGN_INITIAL,    /* an initial against a token starting with it */
    CP_ALIGN_JOINED,     /* concatenated vs. split tokens (q or c spans several) */
    CP_ALIGN_LEGAL       /* equivalent legal forms */
} cp_align_kind;

typedef struct cp_name_pair {
    int16_t q, c;       /* token index in query / list name (first token of a span) */
    uint8_t q_span, c_span; /* tokens covered (>1 for joined) */
    uint8_t kind;       /* cp_align_kind */
    float sim;          /* token similarity in [0,1] */
} cp_name_pair;

/* Explanation of one cp_name_score call: which tokens aligned and what each
 * feature contributed. score = base * (1 - sum of penalties), clamped. */
typedef struct cp_name_why {
    size_t n_pairs;
    cp_name_pair pairs[CP_WHY_MAX_PAIRS];
    double base;              /* weighted aligned similarity over both names, [0,1] */
    double pen_unmatched_q;   /* query tokens without a partner */
    double pen_unmatched_c;   /* list-name tokens without a partner */
    double pen_weak_only;     /* only weak tokens (legal form, particle, generic) aligned */
    double pen_short_list;    /* one-token list name against a longer query */
    double pen_script;        /* cross-script match (e.g. Cyrillic vs. Latin) */
    double pen_order;         /* token order differs (organizations) */
    double pen_legal;         /* legal forms contradict (llc vs. jsc) */
    double score;             /* the returned score */
} cp_name_why;

/* Scores query q against list name c for `schema` (ANY: generic rules).
 * Returns a similarity in [0,1]: 1.0 exactly when both have the same strong
 * tokens in the same order and same legal form, near misses graded below.
 * Fills *why when not NULL. Pure function of its inputs: thread-safe, no
 * allocation. Empty names score 0. */
double cp_name_score(const cp_pname *q, const cp_pname *c, cp_schema schema, cp_name_why *why);

/* Letter histograms of a prepared name's tokens and phonetic keys (first
 * 64 bytes of each, bytes folded to 64 classes): the input of the cheap
 * edit-distance lower bounds of cp_name_score_bound. A search computes them
 * once for its query. */
typedef struct cp_name_hists {
    size_t n; /* tokens covered (min(n_tokens, CP_NAME_MAX_TOKENS)) */
    uint8_t tok[CP_NAME_MAX_TOKENS][64];
    uint8_t key[CP_NAME_MAX_TOKENS][64];
} cp_name_hists;

/* Fills *h for p (which must stay unchanged while h is used). Thread-safe. */
void cp_name_hists_of(const cp_pname *p, cp_name_hists *h);

/* An upper bound of cp_name_score(q, c, schema, NULL) in [0,1], in a
 * fraction of its cost, for skipping pairs that cannot reach `cutoff`:
 * tokens that no candidate pair of cp_name_score can align (told apart by
 * edit-distance lower bounds from lengths and letter counts) must stay
 * unmatched, and their weight gives the least unmatched-parts penalty; the
 * whole-name comparison is bounded the same way. Once the bound is seen to
 * reach `cutoff`, 1.0 is returned without looking further (a bound still).
 * `hq` holds q's histograms (cp_name_hists_of), or NULL to compute them.
 * Rounding: the true score may exceed the bound by floating-point error
 * only; callers add a margin (1e-6). Pure: thread-safe, no allocation. */
double cp_name_score_bound(const cp_pname *q, const cp_name_hists *hq, const cp_pname *c, cp_schema schema,
                           double cutoff);

/* Writes a one-line human-readable explanation of `why` (token pairs and
 * penalties) into buf (always NUL-terminated when size > 0). Returns buf. */
const char *cp_name_why_format(const cp_name_why *why, const cp_pname *q, const cp_pname *c,
                               char *buf, size_t size);

#endif
