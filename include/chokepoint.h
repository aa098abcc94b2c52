/* chokepoint.h: the one public header of libchokepoint, a sanctions and
 * export-control screening engine.
 *
 * Ownership rule (for every function in this header): functions never take
 * ownership of their arguments; objects returned by cp_*_new / cp_*_load /
 * cp_search / ... are owned by the caller and freed with the matching
 * cp_*_free, and every cp_*_free accepts NULL. Strings returned inside a
 * result live as long as that result (or, for list data, the engine).
 *
 * Threads: a loaded cp_engine is immutable; any number of threads may search
 * or screen with it concurrently. Results are owned by one thread at a time.
 *
 * Errors: functions that can fail take a `cp_error *err` (may be NULL) that is
 * filled on failure; library code never prints and never aborts.
 */
#ifndef CHOKEPOINT_H
#define CHOKEPOINT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CP_API __attribute__((visibility("default")))
#else
#define CP_API
#endif

/* ---------------------------------------------------------------- errors */

typedef enum cp_error_code {
    CP_OK = 0,
    CP_ERR_NOMEM,     /* allocation failed */
    CP_ERR_IO,        /* a file could not be opened, read or written */
    CP_ERR_FORMAT,    /* malformed input: row, record, XML, JSON, message */
    CP_ERR_MANIFEST,  /* a list file does not match its manifest (hash, size, counts) */
    CP_ERR_ARG,       /* invalid argument or option value */
    CP_ERR_NOTFOUND,  /* unknown list id, entity id, ... */
    CP_ERR_NETWORK    /* a download failed */
} cp_error_code;

/* One error struct for every parser and loader. `line` is 1-based (0 when
 * unknown), `offset` is a byte offset into the file or message (-1 when
 * unknown), `field` names the column, XML element, JSON key or SWIFT tag. */
typedef struct cp_error {
    cp_error_code code;
    char message[512];
    char file[256];
    long line;
    long offset;
    char field[64];
} cp_error;

/* Formats `err` as "file:line: offset N: field F: message" into buf (always
 * NUL-terminated when size > 0). Returns buf. */
CP_API const char *cp_error_format(const cp_error *err, char *buf, size_t size);

/* ---------------------------------------------------------------- entities */

typedef enum cp_schema {
    CP_SCHEMA_ANY = 0,        /* in queries: no constraint; in entities: unknown */
    CP_SCHEMA_PERSON,
    CP_SCHEMA_ORGANIZATION,   /* companies, organizations, legal entities */
    CP_SCHEMA_VESSEL,
    CP_SCHEMA_AIRCRAFT
} cp_schema;

/* "person", "organization", "vessel", "aircraft", "any". */
CP_API const char *cp_schema_name(cp_schema s);
/* Parses the names above (case-insensitive; also "individual", "entity",
 * "company"); returns -1 for an unknown name. */
CP_API int cp_schema_parse(const char *s);

typedef enum cp_name_kind {
    CP_NAME_PRIMARY = 0,
    CP_NAME_ALIAS,       /* strong a.k.a. / good-quality alias / n.k.a. */
    CP_NAME_WEAK_ALIAS,  /* OFAC "weak a.k.a.", UN/UK "low" quality: exact match only */
    CP_NAME_FORMER       /* f.k.a. */
} cp_name_kind;

/* "primary", "alias", "weak_alias", "former". */
CP_API const char *cp_name_kind_name(cp_name_kind k);

/* ---------------------------------------------------------------- engine */

typedef struct cp_engine cp_engine;

typedef void (*cp_progress_fn)(void *ctx, const char *stage, double fraction);

typedef struct cp_load_opts {
    /* Directory holding <list-id>/ folders with manifest.json; NULL: the
     * bundled data/lists of the source tree, or $CHOKEPOINT_DATA. */
    const char *lists_dir;
    /* Lists to load (ids such as "us-ofac-sdn"); NULL/0: every list present. */
    const char *const *lists;
    size_t n_lists;
    /* 0: the first malformed record fails the load. 1: malformed records
     * are skipped and counted (see cp_engine_list_info). */
    int lenient;
    cp_progress_fn progress;  /* may be NULL */
    void *progress_ctx;
} cp_load_opts;

/* Loads, validates (against each list's manifest) and indexes the lists.
 * Returns NULL and fills err on any failure: nothing is half-loaded.
 * Free with cp_engine_free. */
CP_API cp_engine *cp_engine_load(const cp_load_opts *opts, cp_error *err);
CP_API void cp_engine_free(cp_engine *e);

typedef struct cp_list_info {
    const char *id;          /* "us-ofac-sdn" */
    const char *name;        /* "OFAC Specially Designated Nationals" */
    const char *publisher;
    const char *version;     /* data date, e.g. "2024-05-03" */
    const char *sha256;      /* of the manifest's files, as loaded */
    size_t entities;         /* list entities loaded */
    size_t names;            /* names incl. aliases */
    size_t problems;         /* malformed or dangling records (lenient / reported) */
} cp_list_info;

/* Number of loaded lists, and list i (0-based; NULL when out of range).
 * The returned pointer lives as long as the engine. */
CP_API size_t cp_engine_list_count(const cp_engine *e);
CP_API const cp_list_info *cp_engine_list_info(const cp_engine *e, size_t i);

/* ---------------------------------------------------------------- search and compare */
/* (src/match, src/index; section owned by the matcher) */

/* Default review threshold for a name pair: score >= this is a "match"
 * (alert for review). Calibrated in bench/quality.c; see docs/matching.md. */
#define CP_REVIEW_THRESHOLD 0.80

/* A name comparer: owns a normalizer (ICU transliterators, name tables).
 * Creating one costs a few milliseconds; reuse it. NOT thread-safe: one per
 * thread. Free with cp_comparer_free (accepts NULL). NULL + err on failure. */
typedef struct cp_comparer cp_comparer;
CP_API cp_comparer *cp_comparer_new(cp_error *err);
CP_API void cp_comparer_free(cp_comparer *c);

/* Scores name2 (the list name) against name1 (the query) for schema `s`
 * (CP_SCHEMA_ANY: generic rules). Names are UTF-8, any script, `len1`/`len2`
 * bytes (need not be NUL-terminated). Returns a score in [0,1] (1.0: same
 * full name; >= CP_REVIEW_THRESHOLD: match), or -1 with err filled
 * (CP_ERR_ARG, CP_ERR_NOMEM). If `why` is not NULL, a one-line explanation
 * (aligned tokens, penalties) is written there (NUL-terminated, why_size). */
CP_API double cp_comparer_score(cp_comparer *c, cp_schema s, const char *name1, size_t len1,
                                const char *name2, size_t len2, char *why, size_t why_size,
                                cp_error *err);

/* One-shot convenience: NUL-terminated names; creates and frees a comparer
 * per call (slow: use cp_comparer_score in loops). `e` may be NULL (not used
 * yet; reserved for engine-wide settings). Thread-safe. Returns -1 on error. */
CP_API double cp_compare(const cp_engine *e, cp_schema s, const char *name1, const char *name2,
                         cp_error *err);

/* A search of the loaded lists for one name (and optional secondary data).
 * Transparent option struct: zero-initialize, then set what you need. */
typedef struct cp_query {
    const char *name;          /* UTF-8, NUL-terminated, any script; may be NULL/"" when id is set */
    cp_schema schema;          /* CP_SCHEMA_ANY: no constraint */
    const char *country;       /* ISO 3166 alpha-2/alpha-3 or English name; NULL: none */
    const char *dob;           /* "YYYY", "YYYY-MM" or "YYYY-MM-DD"; NULL: none */
    const char *id;            /* an identifier (passport, INN, OGRN, IMO, BIC, LEI, MMSI...); NULL: none */
    const char *const *lists;  /* list ids to search ("us-ofac-sdn"); NULL/0: every loaded list */
    size_t n_lists;
    size_t limit;              /* max results; 0: 10; capped at 1000 */
    double min_score;          /* results scoring below are dropped; 0: default 0.5; [0,1] */
} cp_query;

/* One hit: a list entity and the best of its names for the query. All
 * strings live as long as the cp_results (list data: as long as the engine). */
typedef struct cp_result {
    const char *entity_id;          /* "us-ofac-sdn:22790" */
    const char *list;               /* "us-ofac-sdn" */
    const char *source_id;          /* "22790" */
    cp_schema schema;
    const char *name;               /* the entity's primary name, as published */
    const char *matched_name;       /* the list name that matched best, as published */
    cp_name_kind matched_name_kind;
    double score;                   /* [0,1]; 1.0 only for the same full name */
    int match;                      /* score >= CP_REVIEW_THRESHOLD */
    const char *const *programs;    /* sanctions programs / regimes of the entity */
    size_t n_programs;
    const char *const *explanation; /* human-readable lines: name pair, features, evidence */
    size_t n_explanation;
} cp_result;

typedef struct cp_results cp_results;

/* A search context: per-thread scratch memory and a normalizer, bound to one
 * engine (which must outlive it). Creating one costs a few milliseconds
 * (ICU); a search through it allocates only its results. NOT thread-safe:
 * one per thread (any number per engine). NULL + err on failure. */
typedef struct cp_searcher cp_searcher;
CP_API cp_searcher *cp_searcher_new(const cp_engine *e, cp_error *err);
CP_API void cp_searcher_free(cp_searcher *s);

/* Searches every selected list for q: candidate retrieval from the index
 * (tokens, phonetic keys, one-edit variants, joined tokens, identifiers),
 * then scoring of each candidate name (cp_compare's scorer) with secondary
 * evidence (date of birth, country, schema, identifiers). One result per
 * entity (its best name), best first, at most q->limit, score >=
 * q->min_score. Weak aliases count only on an exact normalized full match.
 * Returns results (free with cp_results_free; an empty result set is not an
 * error) or NULL + err (CP_ERR_ARG: no name and no id, unknown list id, bad
 * dob; CP_ERR_NOMEM). */
CP_API cp_results *cp_searcher_search(cp_searcher *s, const cp_query *q, cp_error *err);

/* One-shot convenience: creates a searcher per call (slow: a few ms; use a
 * cp_searcher in loops). Thread-safe. */
CP_API cp_results *cp_search(const cp_engine *e, const cp_query *q, cp_error *err);

/* Number of results and result i (NULL when out of range). */
CP_API size_t cp_results_count(const cp_results *r);
CP_API const cp_result *cp_results_get(const cp_results *r, size_t i);
/* The results as one JSON object (no newline): {"query":{...},"lists":[{"id",
 * "version"}],"results":[{"entity_id","list","source_id","schema","name",
 * "matched_name","matched_name_kind","score","match","programs","explanation"}]}.
 * Returns a malloc'd NUL-terminated string (release with free()), or NULL
 * on OOM. `indent` 0: compact. */
CP_API char *cp_results_to_json(const cp_results *r, int indent);
CP_API void cp_results_free(cp_results *r);

/* ---------------------------------------------------------------- screening */
/* (src/screen, src/msg; section owned by the screening pipeline) */

/* A screening policy (docs/policy.md; data/policy/default.policy): review and
 * block thresholds, lists and programs in scope, jurisdiction and goods sets,
 * rule switches and actions. Immutable after load; share freely between
 * threads. Free with cp_policy_free (accepts NULL). */
typedef struct cp_policy cp_policy;

/* Parses a policy file (format: "[section]" lines and "key = value" lines,
 * '#' comments). Unknown sections or keys, bad numbers, thresholds outside
 * [0,1] are errors naming file, line and key. NULL + err on failure. */
CP_API cp_policy *cp_policy_load(const char *path, cp_error *err);
/* Same from memory (`len` bytes; `name` is used in errors and the version). */
CP_API cp_policy *cp_policy_parse(const char *text, size_t len, const char *name, cp_error *err);
CP_API void cp_policy_free(cp_policy *p);
/* "<name> sha256:<first 16 hex of the file's SHA-256>": goes into every result. */
CP_API const char *cp_policy_version(const cp_policy *p);

typedef enum cp_decision { CP_PASS = 0, CP_REVIEW = 1, CP_BLOCK = 2 } cp_decision;
/* "PASS", "REVIEW", "BLOCK". */
CP_API const char *cp_decision_name(cp_decision d);

typedef enum cp_hit_kind {
    CP_HIT_PARTY = 0,   /* a message party (or name/BIC/IMO in text) matched a list entity */
    CP_HIT_GOODS,       /* an HS code or goods term on the CHPL / in an EO 14114 class */
    CP_HIT_ROUTE,       /* a country/place of the message is in a jurisdiction set */
    CP_HIT_RULE         /* a named rule fired (it decides PASS/REVIEW/BLOCK) */
} cp_hit_kind;
/* "party", "goods", "route", "rule". */
CP_API const char *cp_hit_kind_name(cp_hit_kind k);

/* One piece of evidence. Strings live as long as the result. */
typedef struct cp_hit {
    cp_hit_kind kind;
    const char *field;        /* message field: "59", "50K", "Cdtr", "45A", "RmtInf/Ustrd" */
    const char *value;        /* what matched, as written in the message */
    const char *entity_id;    /* list entity ("us-ofac-sdn:36077") for party hits, else NULL */
    const char *entity_name;  /* its primary name, or NULL */
    const char *list;         /* party: list id; goods: "chpl" / "eo14114" / "goods_terms"; route: jurisdiction set; rule: NULL */
    const char *rule;         /* rule name for CP_HIT_RULE (and the rule a hit fed), else NULL */
    double score;             /* [0,1]: name score for parties; 1.0 for exact codes; rule weight for rules */
    cp_decision action;       /* what this hit asks for on its own (evidence hits: PASS) */
    const char *reason;       /* one line for the analyst */
    long offset;              /* byte offset of the field in the message, -1 unknown */
} cp_hit;

/* The outcome for one message. Free with cp_screen_result_free. */
typedef struct cp_screen_result {
    const char *message_id;   /* or NULL */
    const char *format;       /* "mt", "mx", "json", "csv" */
    const char *type;         /* "MT103", "pacs.008.001.08", ... */
    cp_decision decision;
    double score;             /* [0,1]: the highest score among hits that asked for REVIEW or BLOCK (0 when PASS) */
    const cp_hit *hits;
    size_t n_hits;
    const char *policy;       /* cp_policy_version */
    const char *refdata;      /* goods+geo tables version (sha256 prefixes) */
    const char *screened;     /* what was screened, for the analyst: "3 parties (50K, 59, 57A), 1 text (70)" */
} cp_screen_result;

CP_API void cp_screen_result_free(cp_screen_result *r);
/* The result as one line of JSON (no newline): {"message_id","format","type",
 * "decision","score","hits":[{"kind","field","value","entity_id","list",
 * "score","reason",...}],"lists":[{"id","version"}],"policy":"..."}.
 * `e` (may be NULL) supplies the list versions. malloc'd; free(); NULL on OOM. */
CP_API char *cp_screen_result_to_json(const cp_screen_result *r, const cp_engine *e);

/* A screener: the engine (may be NULL: no party screening), a policy, the
 * goods and geo tables (from `refdata_dir`, the folder holding goods/ and
 * geo/; NULL: $CHOKEPOINT_REFDATA or the source tree's data/), a searcher and
 * indexes of listed BICs and IMO numbers. Engine and policy must outlive it.
 * NOT thread-safe: one per thread. NULL + err on failure (including policy
 * sets that the geo tables do not define). */
typedef struct cp_screener cp_screener;
CP_API cp_screener *cp_screener_new(const cp_engine *e, const cp_policy *p, const char *refdata_dir,
                                    cp_error *err);
CP_API void cp_screener_free(cp_screener *s);

/* Results of one message: one per transaction (an MT101 or pain.001 may
 * carry several). Zero-initialise; release with cp_screen_batch_clear. */
typedef struct cp_screen_batch {
    cp_screen_result **items;
    size_t n, cap;
} cp_screen_batch;
CP_API void cp_screen_batch_clear(cp_screen_batch *b);

/* Parses ONE message (`format`: "auto", "mt", "mx", "json", "csv"; `file`
 * names it in errors) and screens each of its transactions, appending the
 * results to `out`. Returns 0, or -1 + err when the message cannot be parsed
 * (err names field and byte offset; nothing appended: never a decision for a
 * message that was not understood) or on OOM. */
CP_API int cp_screen_message(cp_screener *s, const char *data, size_t len, const char *format, const char *file,
                             cp_screen_batch *out, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
