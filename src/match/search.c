/* Search: candidate retrieval from the index, scoring, secondary evidence,
 * results and their JSON form. Public API in include/chokepoint.h; how
 * candidates are retrieved: docs/index.md. */
#include "match/search.h"
#include "match/name.h"
#include "index/index.h"
#include "engine.h"
#include "core/arena.h"
#include "core/error.h"
#include "geo/geo.h"
#include "goods/fold.h"
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Retrieval tuning (see docs/index.md, measured with bench/quality.c). */
enum {
    CP_S_MAX_LOOKUPS = 1024,   /* posting lookups per query */
    CP_S_CAND_NAMES = 32,      /* names scored per query at most (best retrieval weight) */
    CP_S_MIN_SEED = 200,       /* frequent keys may still seed candidates while fewer are touched */
    CP_S_DF_SEED = 3000,       /* keys with df above this only add weight to touched names */
    CP_S_MAX_EXPL = 12,        /* explanation lines per result */
    CP_S_LIMIT_MAX = 1000
};
#define CP_S_DEFAULT_MIN_SCORE 0.5
/* A candidate name is scored only when its retrieval weight reaches this
 * fraction of the query's total weight (sum over query tokens of their best
 * key weight): below it too little of the query is present in the name for
 * the scorer to reach a useful score (measured with bench/quality.c). */
#define CP_S_MIN_COVERAGE 0.30

/* Evidence weights: positive evidence closes this fraction of the gap to
 * 1.0 (so only an exact full name can reach 1.0); negative evidence
 * multiplies the score. */
#define CP_EV_DOB_EXACT 0.40
#define CP_EV_DOB_MONTH 0.30
#define CP_EV_DOB_SWAP 0.25
#define CP_EV_DOB_YEAR 0.20
#define CP_EV_DOB_RANGE 0.15
#define CP_EV_DOB_CONTRA 0.85
#define CP_EV_COUNTRY 0.10
#define CP_EV_SCHEMA_CONFLICT 0.80
#define CP_EV_ID_MATCH 0.80
#define CP_EV_ID_NAME_FLOOR 0.50  /* name score below this with an ID match: "contradicting name" */

/* ------------------------------------------------------------------ dates */

static int digits(const char *s, size_t n, int *v) {
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

int cp_pdate_parse(const char *s, size_t len, int allow_range, cp_pdate *d) {
    memset(d, 0, sizeof *d);
    if (!s) return -1;
    if (allow_range && len == 10 && s[4] == '.' && s[5] == '.') {
        if (digits(s, 4, &d->year) || digits(s + 6, 4, &d->year2) || d->year2 < d->year) return -1;
        return d->year >= 1000 ? 0 : -1;
    }
    if (len != 4 && len != 7 && len != 10) return -1;
    if (digits(s, 4, &d->year) || d->year < 1000) return -1;
    if (len >= 7) {
        if (s[4] != '-' || digits(s + 5, 2, &d->month) || d->month < 1 || d->month > 12) return -1;
    }
    if (len == 10) {
        if (s[7] != '-' || digits(s + 8, 2, &d->day) || d->day < 1 || d->day > 31) return -1;
        /* a query date must exist in the Gregorian calendar (2024-02-30 is a typo, not a date);
         * listed dates (allow_range) keep their day as published */
        static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (d->year % 4 == 0 && d->year % 100 != 0) || d->year % 400 == 0;
        if (!allow_range && (d->day > mdays[d->month - 1] || (d->month == 2 && d->day == 29 && !leap)))
            return -1;
    }
    return 0;
}

cp_dob_rel cp_dob_compare(const cp_pdate *q, const cp_pdate *l) {
    if (!q->year || !l->year) return CP_DOB_NONE;
    if (l->year2) {
        if (q->year >= l->year && q->year <= l->year2) return CP_DOB_RANGE;
        if (q->year >= l->year - 1 && q->year <= l->year2 + 1) return CP_DOB_NEAR;
        return CP_DOB_CONTRA;
    }
    if (q->year != l->year) return abs(q->year - l->year) == 1 ? CP_DOB_NEAR : CP_DOB_CONTRA;
    if (q->month && l->month) {
        if (q->day && l->day) {
            if (q->month == l->month && q->day == l->day) return CP_DOB_EXACT;
            if (q->month == l->day && q->day == l->month) return CP_DOB_SWAPPED;
            return CP_DOB_CONTRA;
        }
        if (q->month == l->month) return CP_DOB_MONTH;
        if (q->day && q->day == l->month) return CP_DOB_SWAPPED;
        if (l->day && l->day == q->month) return CP_DOB_SWAPPED;
        return CP_DOB_CONTRA;
    }
    return CP_DOB_YEAR;
}

/* ------------------------------------------------------------------ results */

struct cp_results {
    cp_arena *a;
    cp_result *items;
    size_t n;
    /* the query as run (copied), for JSON */
    const char *q_name, *q_country, *q_dob, *q_id;
    cp_schema q_schema;
    size_t q_limit;
    double q_min_score;
    const char **list_ids, **list_versions;   /* the lists searched */
    size_t n_lists;
};

size_t cp_results_count(const cp_results *r) { return r ? r->n : 0; }
const cp_result *cp_results_get(const cp_results *r, size_t i) {
    return r && i < r->n ? &r->items[i] : NULL;
}
void cp_results_free(cp_results *r) {
    if (!r) return;
    cp_arena_free(r->a);
    free(r);
}

static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static double round4(double x) { return round(x * 10000.0) / 10000.0; }

char *cp_results_to_json(const cp_results *r, int indent) {
    if (!r) return NULL;
    json_t *root = json_object(), *q = json_object(), *lists = json_array(), *res = json_array();
    json_t *ql = json_array();
    if (!root || !q || !lists || !res || !ql) goto oom;
    json_object_set_new(q, "name", jstr_or_null(r->q_name));
    json_object_set_new(q, "schema", json_string(cp_schema_name(r->q_schema)));
    json_object_set_new(q, "country", jstr_or_null(r->q_country));
    json_object_set_new(q, "dob", jstr_or_null(r->q_dob));
    json_object_set_new(q, "id", jstr_or_null(r->q_id));
    for (size_t i = 0; i < r->n_lists; i++) json_array_append_new(ql, json_string(r->list_ids[i]));
    json_object_set_new(q, "lists", ql);
    ql = NULL;
    json_object_set_new(q, "limit", json_integer((json_int_t)r->q_limit));
    json_object_set_new(q, "min_score", json_real(r->q_min_score));
    json_object_set_new(root, "query", q);
    q = NULL;
    for (size_t i = 0; i < r->n_lists; i++) {
        json_t *o = json_object();
        if (!o) goto oom;
        json_object_set_new(o, "id", json_string(r->list_ids[i]));
        json_object_set_new(o, "version", jstr_or_null(r->list_versions[i]));
        json_array_append_new(lists, o);
    }
    json_object_set_new(root, "lists", lists);
    lists = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const cp_result *it = &r->items[i];
        json_t *o = json_object(), *pr = json_array(), *ex = json_array();
        if (!o || !pr || !ex) {
            json_decref(o);
            json_decref(pr);
            json_decref(ex);
            goto oom;
        }
        json_object_set_new(o, "entity_id", json_string(it->entity_id));
        json_object_set_new(o, "list", json_string(it->list));
        json_object_set_new(o, "source_id", json_string(it->source_id));
        json_object_set_new(o, "schema", json_string(cp_schema_name(it->schema)));
        json_object_set_new(o, "name", jstr_or_null(it->name));
        json_object_set_new(o, "matched_name", jstr_or_null(it->matched_name));
        json_object_set_new(o, "matched_name_kind", json_string(cp_name_kind_name(it->matched_name_kind)));
        json_object_set_new(o, "score", json_real(round4(it->score)));
        json_object_set_new(o, "match", json_boolean(it->match));
        for (size_t k = 0; k < it->n_programs; k++) json_array_append_new(pr, json_string(it->programs[k]));
        json_object_set_new(o, "programs", pr);
        for (size_t k = 0; k < it->n_explanation; k++)
            json_array_append_new(ex, json_string(it->explanation[k]));
        json_object_set_new(o, "explanation", ex);
        json_array_append_new(res, o);
    }
    json_object_set_new(root, "results", res);
    res = NULL;
    size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6);
    if (indent > 0) flags |= JSON_INDENT(indent > 8 ? 8 : indent);
    else flags |= JSON_COMPACT;
    char *out = json_dumps(root, flags);
    json_decref(root);
    return out;
oom:
    json_decref(root);
    json_decref(q);
    json_decref(lists);
    json_decref(res);
    json_decref(ql);
    return NULL;
}

/* ------------------------------------------------------------------ searcher */

/* Per-name retrieval state of the current query. */
struct acc_cell {
    uint32_t gen;    /* query generation in which the cell is valid */
    uint16_t slot;   /* last query slot credited (token index + 1) */
    uint16_t list;   /* the name's list (engine->lists index), set once at searcher creation:
                        the list filter reads it from the cell it touches anyway */
    float acc;       /* retrieval weight accumulated */
    float cur;       /* weight credited to `slot` so far */
};

struct cp_searcher {
    const cp_engine *e;
    const cp_index *ix;
    cp_normalizer *norm;
    cp_arena *qa;            /* query preparation; recycled when it grows */
    size_t n_names;
    struct acc_cell *cell;   /* per name: retrieval accumulator (one cache line touch per posting) */
    uint32_t *touched;       /* names touched this query */
    size_t n_touched;
    uint32_t qgen;
    unsigned char *list_ok;  /* per list: selected for this query */
    cp_name_why whys[CP_S_CAND_NAMES]; /* explanation of each scored candidate name */
    cp_geo *geo;             /* country table, loaded at the first query with a country */
    int geo_failed;          /* ... and could not be loaded: compare country text as written */
    cp_ftext ft;             /* scratch for cp_geo_country_lookup */
    cp_name_hists qh[CP_SCHEMA_AIRCRAFT + 1]; /* the query's letter histograms per schema (score bounds) */
};

void cp_searcher_free(cp_searcher *s) {
    if (!s) return;
    cp_normalizer_free(s->norm);
    cp_arena_free(s->qa);
    free(s->cell);
    cp_geo_free(s->geo);
    cp_ftext_free(&s->ft);
    free(s->touched);
    free(s->list_ok);
    free(s);
}

cp_searcher *cp_searcher_new(const cp_engine *e, cp_error *err) {
    if (!e || !e->index) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "search: engine has no index");
        return NULL;
    }
    cp_searcher *s = calloc(1, sizeof *s);
    if (!s) goto oom;
    s->e = e;
    s->ix = e->index;
    s->n_names = cp_index_name_count(s->ix);
    size_t n = s->n_names ? s->n_names : 1;
    s->cell = calloc(n, sizeof *s->cell);
    s->touched = malloc(n * sizeof *s->touched);
    s->list_ok = calloc(e->n_lists + 1, 1);
    s->qa = cp_arena_new();
    if (!s->cell || !s->touched || !s->list_ok || !s->qa) goto oom;
    if (e->n_lists > UINT16_MAX) {
        cp_searcher_free(s);
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "search: too many lists (%zu)", e->n_lists);
        return NULL;
    }
    for (size_t i = 0; i < s->n_names; i++) s->cell[i].list = (uint16_t)cp_index_name(s->ix, (uint32_t)i)->list;
    if (!(s->norm = cp_normalizer_new(err))) {
        cp_searcher_free(s);
        return NULL;
    }
    return s;
oom:
    cp_searcher_free(s);
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "search: out of memory");
    return NULL;
}

/* One posting lookup of the query. */
typedef struct lookup {
    uint64_t key;
    const uint32_t *post;
    uint32_t df;
    uint16_t slot;
    float w;
} lookup;

static int cmp_lookup(const void *a, const void *b) {
    const lookup *x = a, *y = b;
    if (x->df != y->df) return x->df < y->df ? -1 : 1;
    return x->w > y->w ? -1 : x->w < y->w;
}

static void add_lookup(const cp_searcher *s, lookup *lk, size_t *n, int ns, const char *t, size_t len,
                       uint16_t slot, float factor) {
    if (*n >= CP_S_MAX_LOOKUPS) return;
    uint64_t key = cp_idx_key(ns, t, len);
    for (size_t i = *n; i-- > 0 && lk[i].slot == slot;) /* same key, same slot: keep the better factor */
        if (lk[i].key == key) {
            if (factor > lk[i].w) lk[i].w = factor;
            return;
        }
    uint32_t df;
    const uint32_t *p = cp_index_postings(s->ix, key, &df);
    if (!p || !df) return;
    lk[*n].key = key;
    lk[*n].post = p;
    lk[*n].df = df;
    lk[*n].slot = slot;
    lk[*n].w = factor;
    (*n)++;
}

/* Builds the lookups of a prepared query: per token (slot) its exact token,
 * phonetic key, deletion variants; per adjacent pair the concatenation. */
static size_t query_lookups(const cp_searcher *s, const cp_pname *pn, lookup *lk) {
    size_t n = 0;
    char tmp[512];
    double N = (double)(s->n_names ? s->n_names : 1);
    for (size_t i = 0; i < pn->n_tokens && i < 0xfff0; i++) {
        const char *t = pn->tokens[i];
        size_t lt = pn->tok_len[i];
        uint16_t slot = (uint16_t)(i + 1);
        float weak = (pn->flags[i] & CP_TOK_WEAK) ? 0.3f : 1.0f;
        size_t before = n;
        add_lookup(s, lk, &n, CP_IDX_NS_TOKEN, t, lt, slot, 1.0f * weak);
        int known = n > before; /* the token itself is in the index */
        if (pn->keys && pn->keys[i])
            add_lookup(s, lk, &n, CP_IDX_NS_PHON, pn->keys[i], strlen(pn->keys[i]), slot, 0.9f * weak);
        /* One-edit variants: only for tokens not in the index as written
         * (a listed token's spelling variants share its phonetic key). */
        if (!known && lt >= CP_IDX_DEL_MIN - 1 && lt <= CP_IDX_DEL_MAX + 1 && !(pn->flags[i] & CP_TOK_NUMBER)) {
            add_lookup(s, lk, &n, CP_IDX_NS_VAR, t, lt, slot, 0.8f * weak);
            if (lt >= CP_IDX_DEL_MIN)
                for (size_t d = 0; d < lt; d++) {
                    if (d > 0 && t[d] == t[d - 1]) continue;
                    memcpy(tmp, t, d);
                    memcpy(tmp + d, t + d + 1, lt - d - 1);
                    add_lookup(s, lk, &n, CP_IDX_NS_VAR, tmp, lt - 1, slot, 0.7f * weak);
                }
        }
        if (i + 1 < pn->n_tokens) {
            size_t l2 = pn->tok_len[i + 1];
            if (lt + l2 < sizeof tmp) {
                memcpy(tmp, t, lt);
                memcpy(tmp + lt, pn->tokens[i + 1], l2);
                /* a joined token answers for both query tokens: credit it twice */
                add_lookup(s, lk, &n, CP_IDX_NS_TOKEN, tmp, lt + l2, slot, 1.6f);
            }
            if (pn->keys && pn->keys[i] && pn->keys[i + 1]) {
                size_t k1 = strlen(pn->keys[i]), k2 = strlen(pn->keys[i + 1]);
                if (k1 + k2 < sizeof tmp) {
                    memcpy(tmp, pn->keys[i], k1);
                    memcpy(tmp + k1, pn->keys[i + 1], k2);
                    add_lookup(s, lk, &n, CP_IDX_NS_PHON, tmp, k1 + k2, slot, 1.4f);
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) lk[i].w *= (float)log(1.0 + N / (double)lk[i].df);
    qsort(lk, n, sizeof *lk, cmp_lookup);
    return n;
}

/* The query's total retrieval weight: per slot, its best key weight. */
static double query_weight(const lookup *lk, size_t n) {
    float best[CP_NAME_MAX_TOKENS + 2];
    memset(best, 0, sizeof best);
    double w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t sl = lk[i].slot < CP_NAME_MAX_TOKENS + 2 ? lk[i].slot : CP_NAME_MAX_TOKENS + 1;
        if (lk[i].w > best[sl]) best[sl] = lk[i].w;
    }
    for (size_t i = 0; i < CP_NAME_MAX_TOKENS + 2; i++) w += best[i];
    return w;
}

/* Accumulates retrieval weights; fills s->touched. */
static void retrieve(cp_searcher *s, const lookup *lk, size_t n, int filter) {
    uint32_t g = s->qgen;
    for (size_t i = 0; i < n; i++) {
        int seed = lk[i].df <= CP_S_DF_SEED || s->n_touched < CP_S_MIN_SEED;
        const uint32_t *p = lk[i].post;
        float w = lk[i].w;
        uint16_t sl = lk[i].slot;
        if (!seed && (size_t)lk[i].df > 16 * s->n_touched) {
            /* a frequent key adding weight to few known names: binary-search
             * each known name in the (ascending) posting list instead of
             * scanning it */
            for (size_t t = 0; t < s->n_touched; t++) {
                uint32_t id = s->touched[t], lo = 0, hi = lk[i].df;
                while (lo < hi) {
                    uint32_t mid = lo + (hi - lo) / 2;
                    if (p[mid] < id) lo = mid + 1;
                    else hi = mid;
                }
                if (lo == lk[i].df || p[lo] != id) continue;
                struct acc_cell *c = &s->cell[id];
                if (c->slot != sl) {
                    c->slot = sl;
                    c->cur = w;
                    c->acc += w;
                } else if (w > c->cur) {
                    c->acc += w - c->cur;
                    c->cur = w;
                }
            }
            continue;
        }
        for (uint32_t k = 0; k < lk[i].df; k++) {
            uint32_t id = p[k];
            struct acc_cell *c = &s->cell[id];
            if (c->gen != g) {
                if (!seed) continue;
                if (filter && !s->list_ok[c->list]) continue;
                c->gen = g;
                c->acc = w;
                c->cur = w;
                c->slot = sl;
                s->touched[s->n_touched++] = id;
            } else if (c->slot != sl) {
                c->slot = sl;
                c->cur = w;
                c->acc += w;
            } else if (w > c->cur) {
                c->acc += w - c->cur;
                c->cur = w;
            }
        }
    }
}

/* Min-heap of (weight, name id) keeping the best `cap`. */
typedef struct cand {
    float w;
    uint32_t id;
} cand;

static void heap_push(cand *h, size_t *n, size_t cap, cand c) {
    size_t i;
    if (*n < cap) {
        i = (*n)++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (h[p].w <= c.w) break;
            h[i] = h[p];
            i = p;
        }
        h[i] = c;
        return;
    }
    if (c.w <= h[0].w) return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        float mw = c.w;
        if (l < *n && h[l].w < mw) m = l, mw = h[l].w;
        if (r < *n && h[r].w < mw) m = r;
        if (m == i) break;
        h[i] = h[m];
        i = m;
    }
    h[i] = c;
}

/* Same normalized full name (weak aliases count only then). */
static int same_tokens(const cp_pname *a, const cp_pname *b) {
    if (a->n_tokens != b->n_tokens || a->n_tokens == 0) return 0;
    for (size_t i = 0; i < a->n_tokens; i++)
        if (a->tok_len[i] != b->tok_len[i] || memcmp(a->tokens[i], b->tokens[i], a->tok_len[i]) != 0)
            return 0;
    return 1;
}

/* A scored candidate entity. */
typedef struct hit {
    uint32_t ent_seq;
    uint32_t name_id;      /* best name (UINT32_MAX: none scored) */
    double name_score;
    double score;
    int id_match;          /* identifier matched */
    const char *id_fact;   /* the matching fact value */
    cp_fact_type id_type;
    int why;               /* index into cp_searcher.whys of the best name's explanation, -1: none */
} hit;

static int cmp_hit_ent(const void *a, const void *b) {
    const hit *x = a, *y = b;
    if (x->ent_seq != y->ent_seq) return x->ent_seq < y->ent_seq ? -1 : 1;
    if (x->id_match != y->id_match) return y->id_match - x->id_match;
    return (x->name_score < y->name_score) - (x->name_score > y->name_score);
}

typedef struct sort_ctx_hit {
    hit h;
    const char *eid;
} sort_hit;

static int cmp_hit_score(const void *a, const void *b) {
    const sort_hit *x = a, *y = b;
    if (x->h.score != y->h.score) return x->h.score < y->h.score ? 1 : -1;
    return strcmp(x->eid, y->eid);
}

static const cp_entity *hit_entity(const cp_searcher *s, uint32_t seq) {
    const cp_idx_entity *ie = cp_index_entity(s->ix, seq);
    return cp_list_entity(s->e->lists[ie->list], ie->entity);
}

/* printf into the results arena. */
__attribute__((format(printf, 2, 3))) static const char *aprintf(cp_arena *a, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    return cp_arena_strndup(a, buf, len);
}

static const char *dob_rel_text(cp_dob_rel r) {
    switch (r) {
    case CP_DOB_EXACT: return "exact match";
    case CP_DOB_SWAPPED: return "day and month swapped";
    case CP_DOB_MONTH: return "same year and month";
    case CP_DOB_YEAR: return "same year";
    case CP_DOB_RANGE: return "within the listed range";
    case CP_DOB_NEAR: return "one year apart (neutral)";
    case CP_DOB_CONTRA: return "contradicts";
    default: return "not comparable";
    }
}

/* The country table (data/geo, ISO 3166-1 + variants) of the reference
 * data directory: $CHOKEPOINT_REFDATA or the source tree's data/ (as the
 * screening pipeline). Loaded once per searcher, on first use. */
static const cp_geo *searcher_geo(cp_searcher *s) {
    if (!s->geo && !s->geo_failed) {
        const char *env = getenv("CHOKEPOINT_REFDATA");
        char path[1024];
        snprintf(path, sizeof path, "%s/geo", env && *env ? env : CP_SOURCE_DIR "/data");
        if (!(s->geo = cp_geo_load(path, NULL))) s->geo_failed = 1;
    }
    return s->geo;
}

/* Same country: both resolve to one ISO 3166-1 country (codes, names and
 * variants such as "Russian Federation" = "RU" = "Russia"), or, without the
 * table, the same text ignoring case. */
static int country_eq(cp_searcher *s, const cp_country *qc, const char *q, const char *v) {
    if (qc) {
        const cp_country *vc = cp_geo_country_lookup(s->geo, &s->ft, v, strlen(v));
        return vc && strcmp(vc->a2, qc->a2) == 0;
    }
    return strcasecmp(q, v) == 0;
}

typedef struct xlines {
    const char *lines[CP_S_MAX_EXPL];
    size_t n;
} xlines;

static void ex_add(xlines *x, const char *line) {
    if (line && x->n < CP_S_MAX_EXPL) x->lines[x->n++] = line;
}

/* Applies secondary evidence to h->score; appends explanation lines when
 * `x` is not NULL (then `a` is the results arena). */
static void evidence(cp_searcher *s, const cp_query *q, const cp_pdate *qd, hit *h, xlines *x,
                     cp_arena *a) {
    const cp_entity *ent = hit_entity(s, h->ent_seq);
    double sc = h->name_score;
    /* identifiers */
    if (h->id_match) {
        if (!q->name || !*q->name) {
            sc = CP_REVIEW_THRESHOLD + 0.1;
            if (x)
                ex_add(x, aprintf(a, "identifier: %s matches %s \"%s\" (no name given): score %.2f",
                                  q->id, cp_fact_type_name(h->id_type), h->id_fact, sc));
        } else if (sc < CP_EV_ID_NAME_FLOOR) {
            double before = sc;
            sc = CP_REVIEW_THRESHOLD;
            if (x)
                ex_add(x, aprintf(a,
                                  "identifier: %s matches %s \"%s\" but the name contradicts "
                                  "(name score %.2f): raised to the review threshold %.2f",
                                  q->id, cp_fact_type_name(h->id_type), h->id_fact, before, sc));
        } else {
            double before = sc;
            sc = sc + CP_EV_ID_MATCH * (1.0 - sc);
            if (x)
                ex_add(x, aprintf(a, "identifier: %s matches %s \"%s\": %.3f -> %.3f", q->id,
                                  cp_fact_type_name(h->id_type), h->id_fact, before, sc));
        }
    }
    /* schema */
    if (q->schema != CP_SCHEMA_ANY && ent->schema != CP_SCHEMA_ANY) {
        if (q->schema != ent->schema) {
            double before = sc;
            sc *= CP_EV_SCHEMA_CONFLICT;
            if (x)
                ex_add(x, aprintf(a, "schema: query %s, list entity %s (conflict): %.3f -> %.3f",
                                  cp_schema_name(q->schema), cp_schema_name(ent->schema), before, sc));
        } else if (x) {
            ex_add(x, aprintf(a, "schema: %s (agrees)", cp_schema_name(ent->schema)));
        }
    }
    /* date of birth */
    if (qd && qd->year && (ent->schema == CP_SCHEMA_PERSON || ent->schema == CP_SCHEMA_ANY)) {
        cp_dob_rel best = CP_DOB_NONE;
        const char *best_v = NULL;
        int rank[] = {[CP_DOB_NONE] = 0, [CP_DOB_CONTRA] = 1, [CP_DOB_NEAR] = 2, [CP_DOB_RANGE] = 3,
                      [CP_DOB_YEAR] = 4, [CP_DOB_SWAPPED] = 5, [CP_DOB_MONTH] = 6, [CP_DOB_EXACT] = 7};
        for (uint32_t f = 0; f < ent->n_facts; f++) {
            const cp_fact *fa = &ent->facts[f];
            if (fa->type != CP_FACT_DOB || !fa->value) continue;
            cp_pdate ld;
            if (cp_pdate_parse(fa->value, strlen(fa->value), 1, &ld) != 0) continue;
            cp_dob_rel r = cp_dob_compare(qd, &ld);
            if (r == CP_DOB_CONTRA && fa->detail && strstr(fa->detail, "circa") &&
                abs(qd->year - ld.year) <= 2)
                r = CP_DOB_NEAR;
            if (rank[r] > rank[best]) best = r, best_v = fa->value;
        }
        double f = 0, before = sc;
        switch (best) {
        case CP_DOB_EXACT: f = CP_EV_DOB_EXACT; break;
        case CP_DOB_MONTH: f = CP_EV_DOB_MONTH; break;
        case CP_DOB_SWAPPED: f = CP_EV_DOB_SWAP; break;
        case CP_DOB_YEAR: f = CP_EV_DOB_YEAR; break;
        case CP_DOB_RANGE: f = CP_EV_DOB_RANGE; break;
        default: break;
        }
        if (f > 0) sc = sc + f * (1.0 - sc);
        else if (best == CP_DOB_CONTRA) sc *= CP_EV_DOB_CONTRA;
        if (x && best != CP_DOB_NONE)
            ex_add(x, aprintf(a, "date of birth: %s vs listed %s: %s: %.3f -> %.3f", q->dob, best_v,
                              dob_rel_text(best), before, sc));
    }
    /* country */
    if (q->country && *q->country) {
        const cp_geo *geo = searcher_geo(s);
        const cp_country *qc = geo ? cp_geo_country_lookup(geo, &s->ft, q->country, strlen(q->country)) : NULL;
        const cp_fact *hitf = NULL;
        int any = 0;
        for (uint32_t f = 0; f < ent->n_facts; f++) {
            const cp_fact *fa = &ent->facts[f];
            if (fa->type != CP_FACT_NATIONALITY && fa->type != CP_FACT_CITIZENSHIP &&
                fa->type != CP_FACT_COUNTRY && fa->type != CP_FACT_FLAG)
                continue;
            any = 1;
            if (fa->value && country_eq(s, qc, q->country, fa->value)) {
                hitf = fa;
                break;
            }
        }
        if (hitf) {
            double before = sc;
            sc = sc + CP_EV_COUNTRY * (1.0 - sc);
            if (x)
                ex_add(x, aprintf(a, "country: %s = listed %s \"%s\": %.3f -> %.3f", q->country,
                                  cp_fact_type_name(hitf->type), hitf->value, before, sc));
        } else if (x && any) {
            ex_add(x, aprintf(a, "country: %s not among the listed countries (no effect)", q->country));
        }
    }
    if (sc < 0) sc = 0;
    if (sc > 1) sc = 1;
    h->score = sc;
}

/* The query prepared per schema (names are prepared with their entity's
 * schema at build time; a pair is scored with both sides prepared alike). */
typedef struct qprep {
    cp_pname p[CP_SCHEMA_AIRCRAFT + 1];
    unsigned char done[CP_SCHEMA_AIRCRAFT + 1];
    int failed;
    cp_name_text text; /* the query normalized once (transliteration); prepared per schema from it */
    unsigned char hists_done[CP_SCHEMA_AIRCRAFT + 1]; /* cp_searcher.qh[schema] is this query's */
} qprep;

static const cp_pname *qprep_get(cp_searcher *s, qprep *qp, const char *name, cp_schema sch) {
    (void)name;
    if ((unsigned)sch > CP_SCHEMA_AIRCRAFT) sch = CP_SCHEMA_ANY;
    if (!qp->done[sch]) {
        if (cp_name_prepare_text(s->norm, &qp->text, sch, s->qa, &qp->p[sch], NULL) != 0) {
            memset(&qp->p[sch], 0, sizeof qp->p[sch]);
            qp->failed = 1;
        }
        qp->done[sch] = 1;
    }
    return &qp->p[sch];
}

/* Weak aliases count only on an exact normalized full match: the token
 * sequences must be equal both as prepared for the entity's schema (qx vs
 * the indexed name) and with the schema-neutral rules (so that a dropped
 * title, e.g. "Queen", cannot make "India" equal "India Queen"). */
static int weak_alias_ok(cp_searcher *s, qprep *qp, const char *qname, const cp_pname *qx,
                         const cp_idx_name *nm, const cp_entity *ent) {
    if (!same_tokens(qx, &nm->pn)) return 0;
    const cp_pname *qa = qprep_get(s, qp, qname, CP_SCHEMA_ANY);
    cp_pname la;
    const char *t = ent->names[nm->name].text;
    if (cp_name_prepare(s->norm, t, strlen(t), CP_SCHEMA_ANY, s->qa, &la, NULL) != 0) return 0;
    return same_tokens(qa, &la);
}

static int list_index(const cp_engine *e, const char *id) {
    for (size_t i = 0; i < e->n_lists; i++)
        if (strcmp(cp_list_id(e->lists[i]), id) == 0) return (int)i;
    return -1;
}

/* Finds the entity's fact matching the normalized identifier. */
static const cp_fact *id_fact_of(const cp_entity *ent, const char *norm, size_t nl) {
    char buf[CP_IDX_ID_MAX + 8];
    for (uint32_t f = 0; f < ent->n_facts; f++) {
        const cp_fact *fa = &ent->facts[f];
        if (!fa->value) continue;
        size_t l = cp_idx_norm_id(fa->value, strlen(fa->value), buf, sizeof buf);
        if (!l) continue;
        if ((l == nl && memcmp(buf, norm, nl) == 0) ||
            (fa->type == CP_FACT_BIC && l == 11 && nl == 8 && memcmp(buf, norm, 8) == 0))
            return fa;
    }
    return NULL;
}

cp_results *cp_searcher_search(cp_searcher *s, const cp_query *q, cp_error *err) {
    if (!s || !q) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "search: NULL argument");
        return NULL;
    }
    int has_name = q->name && *q->name;
    int has_id = q->id && *q->id;
    if (!has_name && !has_id) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "name", "search: a name or an identifier is required");
        return NULL;
    }
    if ((unsigned)q->schema > CP_SCHEMA_AIRCRAFT) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "schema", "search: invalid schema %d", (int)q->schema);
        return NULL;
    }
    cp_pdate qd;
    memset(&qd, 0, sizeof qd);
    if (q->dob && *q->dob && cp_pdate_parse(q->dob, strlen(q->dob), 0, &qd) != 0) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "dob", "search: bad date of birth \"%.40s\" (want YYYY, YYYY-MM or YYYY-MM-DD)", q->dob);
        return NULL;
    }
    double min_score = q->min_score > 0 ? q->min_score : CP_S_DEFAULT_MIN_SCORE;
    if (min_score > 1 || q->min_score < 0 || isnan(q->min_score)) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "min_score", "search: min_score must be in [0,1]");
        return NULL;
    }
    size_t limit = q->limit ? q->limit : 10;
    if (limit > CP_S_LIMIT_MAX) limit = CP_S_LIMIT_MAX;
    const cp_engine *e = s->e;
    int filter = q->lists && q->n_lists > 0;
    memset(s->list_ok, filter ? 0 : 1, e->n_lists + 1);
    if (filter)
        for (size_t i = 0; i < q->n_lists; i++) {
            int li = q->lists[i] ? list_index(e, q->lists[i]) : -1;
            if (li < 0) {
                cp_error_set(err, CP_ERR_NOTFOUND, NULL, 0, -1, "lists", "search: unknown list \"%.100s\"",
                             q->lists[i] ? q->lists[i] : "(null)");
                return NULL;
            }
            s->list_ok[li] = 1;
        }

    /* Prepare the query. */
    if (cp_arena_used(s->qa) > ((size_t)1 << 19)) {
        cp_arena *na = cp_arena_new();
        if (!na) goto oom;
        cp_arena_free(s->qa);
        s->qa = na;
    }
    qprep qps;
    memset(qps.done, 0, sizeof qps.done);
    memset(qps.hists_done, 0, sizeof qps.hists_done);
    qps.failed = 0;
    cp_pname qp;
    memset(&qp, 0, sizeof qp);
    if (has_name) {
        if (cp_name_normalize(s->norm, q->name, strlen(q->name), &qps.text, err) != 0 ||
            cp_name_prepare_text(s->norm, &qps.text, q->schema, s->qa, &qp, err) != 0)
            return NULL;
        qps.p[q->schema] = qp;
        qps.done[q->schema] = 1;
    }

    /* Candidate retrieval. */
    s->qgen++;
    if (s->qgen == 0) { /* wrapped: reset stamps */
        for (size_t i = 0; i < s->n_names; i++) s->cell[i].gen = 0;
        s->qgen = 1;
    }
    s->n_touched = 0;
    lookup lk[CP_S_MAX_LOOKUPS];
    size_t nlk = qp.n_tokens ? query_lookups(s, &qp, lk) : 0;
    retrieve(s, lk, nlk, filter);
    cand heap[CP_S_CAND_NAMES];
    size_t nh = 0;
    float floor_w = (float)(CP_S_MIN_COVERAGE * query_weight(lk, nlk));
    for (size_t i = 0; i < s->n_touched; i++) {
        cand c = {s->cell[s->touched[i]].acc, s->touched[i]};
        if (c.w >= floor_w) heap_push(heap, &nh, CP_S_CAND_NAMES, c);
    }

    /* Identifier matches. */
    const uint32_t *idp = NULL;
    uint32_t n_idp = 0;
    char qid[CP_IDX_ID_MAX + 8];
    size_t qid_len = 0;
    if (has_id) {
        qid_len = cp_idx_norm_id(q->id, strlen(q->id), qid, sizeof qid);
        if (qid_len) idp = cp_index_postings(s->ix, cp_idx_key(CP_IDX_NS_ID, qid, qid_len), &n_idp);
    }

    /* Score candidate names; gather hits. */
    size_t cap_hits = nh + n_idp + 1;
    hit *hits = malloc(cap_hits * sizeof *hits);
    if (!hits) goto oom;
    size_t n_hits = 0;
    struct {
        uint32_t canon;
        cp_schema sch;
        double score;
        size_t why;
    } scored[CP_S_CAND_NAMES];
    size_t n_scored = 0;
    /* The most positive evidence can add (date of birth, country) closes
     * this much of the gap: a hit whose name score cannot reach min_score
     * even so is dropped without looking at its facts; a name whose score
     * bound (cp_name_score_bound) cannot reach it is not scored at all. */
    double keep_gap = (qd.year ? 1.0 - CP_EV_DOB_EXACT : 1.0) * (q->country && *q->country ? 1.0 - CP_EV_COUNTRY : 1.0);
    /* name score needed to reach min_score with that evidence, a little lower (the bound may stop early above it) */
    double cutoff = 1.0 - (1.0 - min_score) / keep_gap - 1e-3;
    for (size_t i = 0; i < nh; i++) {
        const cp_idx_name *nm = cp_index_name(s->ix, heap[i].id);
        if (filter && !s->list_ok[nm->list]) continue;
        const cp_entity *ent = cp_list_entity(e->lists[nm->list], nm->entity);
        cp_schema sch = ent->schema != CP_SCHEMA_ANY ? ent->schema : q->schema;
        const cp_pname *qx = qprep_get(s, &qps, q->name, sch);
        if (nm->kind == CP_NAME_WEAK_ALIAS && !weak_alias_ok(s, &qps, q->name, qx, nm, ent)) continue;
        /* a name identical to one already scored (same canon, same schema
         * for the query) scores the same: reuse its score and explanation */
        double sc = -1;
        for (size_t k = 0; k < n_scored; k++)
            if (scored[k].canon == nm->canon && scored[k].sch == sch) {
                sc = scored[k].score;
                if (sc >= 0) s->whys[i] = s->whys[scored[k].why];
                break;
            }
        if (sc == -2) continue; /* the same name was skipped by its bound */
        if (sc < 0) {
            unsigned si = (unsigned)sch <= CP_SCHEMA_AIRCRAFT ? (unsigned)sch : CP_SCHEMA_ANY;
            if (!qps.hists_done[si]) {
                cp_name_hists_of(qx, &s->qh[si]);
                qps.hists_done[si] = 1;
            }
            double ub = cp_name_score_bound(qx, &s->qh[si], &nm->pn, sch, cutoff) + 1e-6;
#ifdef CP_BOUND_CHECK
            {
                double chk = cp_name_score(qx, &nm->pn, sch, NULL);
                double full = cp_name_score_bound(qx, &s->qh[si], &nm->pn, sch, 2.0) + 1e-6;
                if (chk > ub || chk > full) {
                    fprintf(stderr, "BOUND VIOLATION %s | %s: score %.6f bound %.6f\n", q->name,
                            ent->names[nm->name].text, chk, ub);
                    abort();
                }
            }
#endif
            if (1.0 - (1.0 - ub) * keep_gap + 1e-9 < min_score) { /* cannot reach min_score */
                scored[n_scored].canon = nm->canon;
                scored[n_scored].sch = sch;
                scored[n_scored].score = -2;
                scored[n_scored].why = i;
                n_scored++;
                continue;
            }
            sc = cp_name_score(qx, &nm->pn, sch, &s->whys[i]);
            scored[n_scored].canon = nm->canon;
            scored[n_scored].sch = sch;
            scored[n_scored].score = sc;
            scored[n_scored].why = i;
            n_scored++;
        }
        hit h = {nm->ent_seq, heap[i].id, sc, sc, 0, NULL, CP_FACT_DOB, (int)i};
        hits[n_hits++] = h;
    }
    for (uint32_t i = 0; i < n_idp; i++) {
        uint32_t seq = idp[i];
        const cp_idx_entity *ie = cp_index_entity(s->ix, seq);
        if (filter && !s->list_ok[ie->list]) continue;
        const cp_entity *ent = cp_list_entity(e->lists[ie->list], ie->entity);
        const cp_fact *fa = id_fact_of(ent, qid, qid_len);
        if (!fa) continue; /* hash collision */
        hit h = {seq, UINT32_MAX, 0, 0, 1, fa->value, fa->type, -1};
        if (has_name) /* best name of the entity against the query */
            for (uint32_t k = 0; k < ie->n_names; k++) {
                const cp_idx_name *nm = cp_index_name(s->ix, ie->first_name + k);
                cp_schema sch = ent->schema != CP_SCHEMA_ANY ? ent->schema : q->schema;
                const cp_pname *qx = qprep_get(s, &qps, q->name, sch);
                if (nm->kind == CP_NAME_WEAK_ALIAS && !weak_alias_ok(s, &qps, q->name, qx, nm, ent)) continue;
                double sc = cp_name_score(qx, &nm->pn, sch, NULL);
                if (h.name_id == UINT32_MAX || sc > h.name_score) h.name_id = ie->first_name + k, h.name_score = sc;
            }
        if (h.name_id == UINT32_MAX) h.name_id = ie->first_name; /* primary (entities always have names) */
        hits[n_hits++] = h;
    }
    /* One hit per entity: its best name (an identifier hit wins: it carries the evidence). */
    qsort(hits, n_hits, sizeof *hits, cmp_hit_ent);
    size_t u = 0;
    for (size_t i = 0; i < n_hits; i++) {
        if (u && hits[u - 1].ent_seq == hits[i].ent_seq) continue; /* sorted: best first */
        hits[u++] = hits[i];
    }
    n_hits = u;

    /* Evidence, filter, sort. */
    sort_hit *sh = malloc((n_hits ? n_hits : 1) * sizeof *sh);
    if (!sh) {
        free(hits);
        goto oom;
    }
    size_t ns = 0;
    for (size_t i = 0; i < n_hits; i++) {
        if (!hits[i].id_match && 1.0 - (1.0 - hits[i].name_score) * keep_gap + 1e-9 < min_score) continue;
        evidence(s, q, qd.year ? &qd : NULL, &hits[i], NULL, NULL);
        if (hits[i].score + 1e-9 < min_score) continue;
        sh[ns].h = hits[i];
        sh[ns].eid = hit_entity(s, hits[i].ent_seq)->id;
        ns++;
    }
    free(hits);
    qsort(sh, ns, sizeof *sh, cmp_hit_score);
    if (ns > limit) ns = limit;

    /* Build the results. */
    cp_results *r = calloc(1, sizeof *r);
    if (!r || !(r->a = cp_arena_new())) {
        free(r);
        free(sh);
        goto oom;
    }
    cp_arena *a = r->a;
    r->q_name = has_name ? cp_arena_strdup(a, q->name) : NULL;
    r->q_country = q->country && *q->country ? cp_arena_strdup(a, q->country) : NULL;
    r->q_dob = q->dob && *q->dob ? cp_arena_strdup(a, q->dob) : NULL;
    r->q_id = has_id ? cp_arena_strdup(a, q->id) : NULL;
    r->q_schema = q->schema;
    r->q_limit = limit;
    r->q_min_score = min_score;
    size_t nl = 0;
    for (size_t i = 0; i < e->n_lists; i++) nl += s->list_ok[i] ? 1 : 0;
    r->list_ids = cp_arena_alloc(a, (nl + 1) * sizeof *r->list_ids);
    r->list_versions = cp_arena_alloc(a, (nl + 1) * sizeof *r->list_versions);
    r->items = cp_arena_alloc(a, (ns + 1) * sizeof *r->items);
    if (!r->list_ids || !r->list_versions || !r->items) {
        free(sh);
        cp_results_free(r);
        goto oom;
    }
    for (size_t i = 0; i < e->n_lists; i++) {
        if (!s->list_ok[i]) continue;
        const cp_list_info *li = cp_list_get_info(e->lists[i]);
        r->list_ids[r->n_lists] = li->id;
        r->list_versions[r->n_lists] = li->version;
        r->n_lists++;
    }
    for (size_t i = 0; i < ns; i++) {
        hit *h = &sh[i].h;
        const cp_idx_name *nm = cp_index_name(s->ix, h->name_id);
        const cp_entity *ent = hit_entity(s, h->ent_seq);
        cp_result *it = &r->items[r->n++];
        it->entity_id = ent->id;
        it->list = cp_list_id(e->lists[nm->list]);
        it->source_id = ent->source_id;
        it->schema = ent->schema;
        it->name = ent->n_names ? ent->names[0].text : NULL;
        it->matched_name = ent->names[nm->name].text;
        it->matched_name_kind = (cp_name_kind)nm->kind;
        it->programs = ent->programs;
        it->n_programs = ent->n_programs;
        /* explanation */
        xlines x;
        x.n = 0;
        cp_schema sch = ent->schema != CP_SCHEMA_ANY ? ent->schema : q->schema;
        if (has_name) {
            cp_name_why why;
            const cp_pname *qx = qprep_get(s, &qps, q->name, sch);
            double ns2 = h->name_score > 0 ? h->name_score : 0.0;
            if (h->why >= 0) why = s->whys[h->why];
            else ns2 = cp_name_score(qx, &nm->pn, sch, &why);
            char wbuf[768];
            cp_name_why_format(&why, qx, &nm->pn, wbuf, sizeof wbuf);
            ex_add(&x, aprintf(a, "name: \"%s\" vs %s \"%s\": name score %.3f", q->name,
                               cp_name_kind_name((cp_name_kind)nm->kind), it->matched_name, ns2));
            ex_add(&x, aprintf(a, "name features: %s", wbuf));
            if (nm->kind == CP_NAME_WEAK_ALIAS)
                ex_add(&x, cp_arena_strdup(a, "weak alias: counted because the normalized full name is identical"));
        }
        hit h2 = *h;
        evidence(s, q, qd.year ? &qd : NULL, &h2, &x, a);
        it->score = h2.score;
        it->match = it->score >= CP_REVIEW_THRESHOLD;
        ex_add(&x, aprintf(a, "score %.3f %s review threshold %.2f", it->score,
                           it->match ? ">=" : "<", CP_REVIEW_THRESHOLD));
        const char **lines = cp_arena_alloc(a, (x.n + 1) * sizeof *lines);
        if (lines) {
            size_t m = 0;
            for (size_t k = 0; k < x.n; k++)
                if (x.lines[k]) lines[m++] = x.lines[k];
            it->explanation = lines;
            it->n_explanation = m;
        }
    }
    free(sh);
    return r;
oom:
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "search: out of memory");
    return NULL;
}

cp_results *cp_search(const cp_engine *e, const cp_query *q, cp_error *err) {
    cp_searcher *s = cp_searcher_new(e, err);
    if (!s) return NULL;
    cp_results *r = cp_searcher_search(s, q, err);
    cp_searcher_free(s);
    return r;
}
