/* The screening pipeline: request -> evidence hits -> rules -> decision.
 * See screen.h, docs/screening.md, docs/rules.md. */
#include "screen/screen.h"
#include "core/arena.h"
#include "core/error.h"
#include "engine.h"
#include "lists/model.h"
#include "msg/detect.h"
#include "msg/parse.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ screener */

typedef struct id_entry {
    char key[24];             /* BIC8 (upper case), IMO 7 digits, or an LEI / passport / INN / OGRN (letters and
                                 digits, upper case) */
    const cp_entity *ent;
    const char *list;
    const cp_fact *fact;      /* the identifier as listed (type, detail label) */
} id_entry;

struct cp_screener {
    const cp_engine *engine;
    const cp_policy *policy;
    cp_searcher *searcher;    /* NULL without engine */
    cp_goods *goods;
    cp_geo *geo;
    id_entry *bics;
    size_t n_bics;
    id_entry *imos;
    size_t n_imos;
    id_entry *others;         /* LEI, passport, national id, tax id (INN), registration (OGRN) */
    size_t n_others;
    const char *lists[CP_POLICY_MAX_ITEMS];   /* policy scope restricted to loaded lists */
    size_t n_lists;
    int scope_empty;          /* the policy scope names no loaded list: no party screening */
    cp_ftext ft;              /* scratch */
    char refdata[64];
};

static int id_cmp(const void *a, const void *b) {
    return strcmp(((const id_entry *)a)->key, ((const id_entry *)b)->key);
}

static int push_id(id_entry **arr, size_t *n, size_t *cap, const char *key, const cp_entity *ent, const char *list,
                   const cp_fact *fact) {
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        id_entry *na = realloc(*arr, nc * sizeof *na);
        if (!na) return -1;
        *arr = na;
        *cap = nc;
    }
    id_entry *e = &(*arr)[(*n)++];
    snprintf(e->key, sizeof e->key, "%s", key);
    e->ent = ent;
    e->list = list;
    e->fact = fact;
    return 0;
}

/* An identifier as a key: its letters and digits, upper case (ASCII), at
 * most 23. Returns the key's length, 0 when the value is longer (never a
 * truncated key: two long numbers must not collide). */
static size_t id_norm(const char *v, char key[24]) {
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        if (!isalnum((unsigned char)*p)) continue;
        if (n == 23) return key[0] = 0, 0;
        key[n++] = (char)toupper((unsigned char)*p);
    }
    key[n] = 0;
    return n;
}

static int all_digits(const char *k, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)k[i])) return 0;
    return 1;
}

/* Check digits of identifiers that have one. `key` is id_norm'ed; `fact` the
 * listed identifier (its type, and its label in detail: "INN", "OGRN").
 * Returns 1 valid or no check digit defined, 0 invalid.
 *  - LEI: ISO 17442, 20 characters, ISO 7064 MOD 97-10 (letters A=10..Z=35) == 1.
 *  - INN (Russian taxpayer number): 10 digits (organization: weights
 *    2,4,10,3,5,9,4,6,8 mod 11 mod 10) or 12 (person: two check digits),
 *    Federal Tax Service order; the weights as published by the FNS.
 *  - OGRN 13 digits: first 12 mod 11, mod 10 = last; OGRNIP 15 digits: first
 *    14 mod 13, mod 10 = last (Russian Government Decree No. 438 of 2002-06-19). */
int cp_screen_id_check(const char *key, const cp_fact *fact) {
    size_t n = strlen(key);
    const char *label = fact->detail ? fact->detail : "";
    /* OFAC labels: "Tax ID No. (Russia)" is an INN, "Registration Number (Russia)" an OGRN */
    int ru = strstr(label, "Russia") != NULL;
    int inn = strstr(label, "INN") || (fact->type == CP_FACT_TAX_ID && ru);
    int ogrn = strstr(label, "OGRN") || (fact->type == CP_FACT_REGISTRATION && ru);
    if (fact->type == CP_FACT_LEI) {
        if (n != 20) return 0;
        unsigned rem = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned v = isdigit((unsigned char)key[i]) ? (unsigned)(key[i] - '0') : (unsigned)(key[i] - 'A' + 10);
            rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
        }
        return rem == 1;
    }
    if (inn && all_digits(key, n) && (n == 10 || n == 12)) {
        static const int w10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        static const int w11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
        static const int w12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
        int d[12];
        for (size_t i = 0; i < n; i++) d[i] = key[i] - '0';
        int sum = 0;
        if (n == 10) {
            for (int i = 0; i < 9; i++) sum += w10[i] * d[i];
            return sum % 11 % 10 == d[9];
        }
        for (int i = 0; i < 10; i++) sum += w11[i] * d[i];
        if (sum % 11 % 10 != d[10]) return 0;
        sum = 0;
        for (int i = 0; i < 11; i++) sum += w12[i] * d[i];
        return sum % 11 % 10 == d[11];
    }
    if (inn && all_digits(key, n)) return 0;   /* an INN has 10 or 12 digits */
    if (ogrn && all_digits(key, n) && (n == 13 || n == 15)) {
        unsigned long long v = 0;
        for (size_t i = 0; i + 1 < n; i++) v = v * 10 + (unsigned long long)(key[i] - '0');
        unsigned long long m = n == 13 ? 11 : 13;
        return (int)(v % m % 10) == key[n - 1] - '0';
    }
    if (ogrn && all_digits(key, n)) return 0;
    return 1;
}

static int in_scope(const cp_screener *s, const char *list) {
    if (!s->policy->n_lists) return 1;
    for (size_t i = 0; i < s->n_lists; i++)
        if (!strcmp(s->lists[i], list)) return 1;
    return 0;
}

/* Index the SWIFT/BIC, IMO, LEI, passport, national id, tax id and
 * registration numbers of every list entity in scope. */
static int build_id_index(cp_screener *s) {
    size_t cap_b = 0, cap_i = 0, cap_o = 0;
    const cp_engine *e = s->engine;
    for (size_t li = 0; li < e->n_lists; li++) {
        const cp_list *l = e->lists[li];
        const char *lid = cp_list_id(l);
        if (!in_scope(s, lid)) continue;
        size_t n = cp_list_count(l);
        for (size_t k = 0; k < n; k++) {
            const cp_entity *ent = cp_list_entity(l, k);
            for (uint32_t f = 0; f < ent->n_facts; f++) {
                const cp_fact *fa = &ent->facts[f];
                if (fa->type == CP_FACT_LEI || fa->type == CP_FACT_PASSPORT || fa->type == CP_FACT_NATIONAL_ID ||
                    fa->type == CP_FACT_TAX_ID || fa->type == CP_FACT_REGISTRATION) {
                    char ok[24];
                    if (id_norm(fa->value, ok) < 6) continue;   /* too short to be identity evidence */
                    if (push_id(&s->others, &s->n_others, &cap_o, ok, ent, lid, fa) < 0) return -1;
                    continue;
                }
                if (fa->type != CP_FACT_BIC && fa->type != CP_FACT_IMO) continue;
                char key[16];
                size_t kn = 0;
                for (const char *p = fa->value; *p && kn < sizeof key - 1; p++) {
                    if (fa->type == CP_FACT_BIC && isalnum((unsigned char)*p)) key[kn++] = (char)toupper((unsigned char)*p);
                    if (fa->type == CP_FACT_IMO && isdigit((unsigned char)*p)) key[kn++] = *p;
                }
                key[kn] = 0;
                if (fa->type == CP_FACT_BIC) {
                    if (kn != 8 && kn != 11) continue;
                    key[8] = 0;   /* index by BIC8: institution + country + location */
                    if (push_id(&s->bics, &s->n_bics, &cap_b, key, ent, lid, fa) < 0) return -1;
                } else {
                    if (kn != 7) continue;
                    if (push_id(&s->imos, &s->n_imos, &cap_i, key, ent, lid, fa) < 0) return -1;
                }
            }
        }
    }
    if (s->n_bics) qsort(s->bics, s->n_bics, sizeof *s->bics, id_cmp);
    if (s->n_imos) qsort(s->imos, s->n_imos, sizeof *s->imos, id_cmp);
    if (s->n_others) qsort(s->others, s->n_others, sizeof *s->others, id_cmp);
    return 0;
}

/* First index of key in a sorted id array, or (size_t)-1. */
static size_t id_find(const id_entry *arr, size_t n, const char *key) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(arr[mid].key, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && !strcmp(arr[lo].key, key) ? lo : (size_t)-1;
}

static const char *default_refdata(void) {
    const char *env = getenv("CHOKEPOINT_REFDATA");
    if (env && *env) return env;
    return CP_SOURCE_DIR "/data";
}

cp_screener *cp_screener_new(const cp_engine *e, const cp_policy *p, const char *refdata_dir, cp_error *err) {
    if (!p) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "no policy");
        return NULL;
    }
    cp_screener *s = calloc(1, sizeof *s);
    if (!s) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    s->engine = e;
    s->policy = p;
    const char *dir = refdata_dir ? refdata_dir : default_refdata();
    char path[1024];
    snprintf(path, sizeof path, "%s/goods", dir);
    if (!(s->goods = cp_goods_load(path, err))) goto fail;
    snprintf(path, sizeof path, "%s/geo", dir);
    if (!(s->geo = cp_geo_load(path, err))) goto fail;
    const char *sets[4] = {p->set_russia, p->set_occupied, p->set_comprehensive, p->set_transshipment};
    static const char *const keys[4] = {"russia", "occupied", "comprehensive", "transshipment"};
    for (int i = 0; i < 4; i++)
        if (!cp_geo_set_exists(s->geo, sets[i])) {
            cp_error_set(err, CP_ERR_FORMAT, p->file, p->set_line[i], -1, keys[i],
                         "jurisdiction set '%s' is not defined in %s/geo/jurisdictions.tsv", sets[i], dir);
            goto fail;
        }
    snprintf(s->refdata, sizeof s->refdata, "goods:%.12s geo:%.12s", cp_goods_version(s->goods),
             cp_geo_version(s->geo));
    if (e) {
        for (size_t i = 0; i < p->n_lists; i++)
            for (size_t k = 0; k < e->n_lists; k++)
                if (!strcmp(p->lists[i], cp_list_id(e->lists[k]))) s->lists[s->n_lists++] = p->lists[i];
        s->scope_empty = p->n_lists && !s->n_lists;
        if (!(s->searcher = cp_searcher_new(e, err))) goto fail;
        if (build_id_index(s) < 0) {
            cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
            goto fail;
        }
    }
    return s;
fail:
    cp_screener_free(s);
    return NULL;
}

void cp_screener_free(cp_screener *s) {
    if (!s) return;
    cp_searcher_free(s->searcher);
    cp_goods_free(s->goods);
    cp_geo_free(s->geo);
    free(s->bics);
    free(s->imos);
    free(s->others);
    cp_ftext_free(&s->ft);
    free(s);
}

/* ------------------------------------------------------------ result */

typedef struct result_full {
    cp_screen_result pub;
    cp_arena *arena;
    cp_hit *hits;
    size_t cap;
} result_full;

void cp_screen_result_free(cp_screen_result *r) {
    if (!r) return;
    result_full *f = (result_full *)r;
    free(f->hits);
    cp_arena_free(f->arena);
    free(f);
}

const char *cp_hit_kind_name(cp_hit_kind k) {
    switch (k) {
    case CP_HIT_PARTY: return "party";
    case CP_HIT_GOODS: return "goods";
    case CP_HIT_ROUTE: return "route";
    case CP_HIT_RULE: return "rule";
    }
    return "?";
}

/* ------------------------------------------------------------ screening context */

/* A country (and subdivision) the message touches, and where. */
typedef struct geo_fact {
    char cc[3];
    char region[8];
    const char *field;     /* message field */
    const char *value;     /* words as written (arena) */
    int role;              /* cp_party_role of the party, or -1 */
    int side;              /* SIDE_* */
    long offset;
    /* set_of() answers for the policy's four jurisdiction sets, computed once */
    const struct cp_jurisdiction *set_row[4];
    unsigned char set_done[4];
} geo_fact;

enum { SIDE_OTHER = 0, SIDE_BUYER, SIDE_SELLER, SIDE_DEST, SIDE_BANK, SIDE_TEXT };

typedef struct goods_fact {
    const char *field, *value;
    const char *chpl_tier;   /* in policy scope, or NULL */
    const char *eo_class;    /* when policy eo14114, or NULL */
    size_t hit;              /* index of its goods hit */
} goods_fact;

typedef struct consignee {
    const char *field;
    const char *text;        /* the words after "CONSIGNED TO" / "CONSIGNEE" / "END USER" (arena) */
    int kind;                /* 0 consignee, 1 end user, 2 "to order of" */
    long offset;
} consignee;

enum { MAX_FACTS = 256 };

typedef struct sctx {
    cp_screener *s;
    const cp_policy *p;
    const cp_request *req;
    result_full *res;
    cp_error *err;
    geo_fact geo[MAX_FACTS];
    size_t n_geo;
    goods_fact goods[MAX_FACTS];
    size_t n_goods;
    size_t goods_mentions;   /* any HS code or goods term, controlled or not */
    consignee cons[32];
    size_t n_cons;
    int is_lc;
    int oom;
    /* Searches already run for this message (the same name in several
     * fields, e.g. Dbtr = InitgPty, is searched once; each field still gets
     * its hits). Per message only: nothing is kept across messages. */
    struct name_memo {
        const char *name, *country, *dob;
        cp_schema schema;
        double threshold;
        cp_results *rs;
    } memo[16];
    size_t n_memo;
} sctx;

static int str_eq(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static char *adup(sctx *c, const char *s, size_t len) {
    char *d = cp_arena_strndup(c->res->arena, s, len);
    if (!d) c->oom = 1;
    return d;
}

static char *afmt(sctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *afmt(sctx *c, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    return adup(c, buf, (size_t)n);
}

static cp_hit *add_hit(sctx *c, cp_hit_kind kind, const char *field, const char *value, double score,
                       cp_decision action, long offset) {
    result_full *r = c->res;
    if (r->pub.n_hits == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        if (nc > 4096) return NULL;   /* hard cap on evidence per message */
        cp_hit *nh = realloc(r->hits, nc * sizeof *nh);
        if (!nh) {
            c->oom = 1;
            return NULL;
        }
        r->hits = nh;
        r->cap = nc;
        r->pub.hits = nh;
    }
    cp_hit *h = &r->hits[r->pub.n_hits++];
    memset(h, 0, sizeof *h);
    h->kind = kind;
    h->field = field ? adup(c, field, strlen(field)) : NULL;
    h->value = value ? adup(c, value, strlen(value)) : NULL;
    h->score = score;
    h->action = action;
    h->offset = offset;
    return h;
}

static void add_geo(sctx *c, const char *cc, const char *region, const char *field, const char *value,
                    size_t vlen, int role, int side, long offset) {
    if (c->n_geo >= MAX_FACTS) return;
    for (size_t i = 0; i < c->n_geo; i++) {   /* one fact per field and country/region */
        geo_fact *g = &c->geo[i];
        if (!strcmp(g->cc, cc) && !strcmp(g->region, region ? region : "") && g->field && field &&
            !strcmp(g->field, field) && g->role == role)
            return;
    }
    geo_fact *g = &c->geo[c->n_geo++];
    memset(g, 0, sizeof *g);
    snprintf(g->cc, sizeof g->cc, "%s", cc);
    snprintf(g->region, sizeof g->region, "%s", region ? region : "");
    g->field = field;
    g->value = adup(c, value, vlen);
    g->role = role;
    g->side = side;
    g->offset = offset;
}

/* ------------------------------------------------------------ parties */

static int side_of_role(const sctx *c, cp_party_role r) {
    switch (r) {
    case CP_ROLE_DEBTOR:
    case CP_ROLE_ULTIMATE_DEBTOR:
    case CP_ROLE_INITIATING_PARTY: return SIDE_BUYER;
    case CP_ROLE_CREDITOR:
    case CP_ROLE_ULTIMATE_CREDITOR: return SIDE_SELLER;
    case CP_ROLE_OTHER_PARTY: return c->is_lc ? SIDE_BUYER : SIDE_OTHER;
    default: return SIDE_BANK;
    }
}

static int programs_block(const cp_policy *p, const cp_result *r, const char **which) {
    for (size_t i = 0; i < r->n_programs; i++)
        for (size_t k = 0; k < p->n_block_programs; k++)
            if (!strcmp(r->programs[i], p->block_programs[k])) {
                *which = r->programs[i];
                return 1;
            }
    return 0;
}

static void join_programs(const cp_result *r, char *buf, size_t n) {
    buf[0] = 0;
    size_t o = 0;
    for (size_t i = 0; i < r->n_programs && o + 2 < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", r->programs[i]);
    if (o >= n) buf[n - 1] = 0;
}

/* Runs a name search and adds party hits at or above `threshold`. */
static int search_name(sctx *c, const char *field, const char *name, cp_schema schema, const char *country,
                       const char *dob, double threshold, long offset, const char *what) {
    cp_screener *s = c->s;
    if (!s->searcher || s->scope_empty || !name || !*name) return 0;
    cp_query q = {0};
    q.name = name;
    q.schema = schema;
    q.country = country;
    q.dob = dob;
    q.lists = s->n_lists ? s->lists : NULL;
    q.n_lists = s->n_lists;
    q.limit = 3;
    q.min_score = threshold;
    cp_error e2 = {0};
    cp_results *rs = NULL;
    int memo_hit = 0;
    for (size_t i = 0; i < c->n_memo; i++) {
        const struct name_memo *m = &c->memo[i];
        if (m->schema == schema && m->threshold == threshold && !strcmp(m->name, name) && str_eq(m->country, country) &&
            str_eq(m->dob, dob)) {
            rs = m->rs;
            memo_hit = 1;
            break;
        }
    }
    if (!rs) rs = cp_searcher_search(s->searcher, &q, &e2);
    if (!rs) {
        if (e2.code == CP_ERR_NOMEM) {
            c->oom = 1;
            return -1;
        }
        /* a bad dob/country in the message is not fatal: retry without them */
        q.dob = NULL;
        q.country = NULL;
        rs = cp_searcher_search(s->searcher, &q, &e2);
        if (!rs) return 0;
    }
    if (!memo_hit && c->n_memo < sizeof c->memo / sizeof c->memo[0]) {
        struct name_memo *m = &c->memo[c->n_memo];
        m->name = adup(c, name, strlen(name));
        m->country = country ? adup(c, country, strlen(country)) : NULL;
        m->dob = dob ? adup(c, dob, strlen(dob)) : NULL;
        m->schema = schema;
        m->threshold = threshold;
        m->rs = rs;
        if (m->name && (!country || m->country) && (!dob || m->dob)) {
            c->n_memo++;
            memo_hit = 1; /* owned by the memo now: freed with the message */
        }
    }
    const cp_policy *p = c->p;
    for (size_t i = 0; i < cp_results_count(rs); i++) {
        const cp_result *r = cp_results_get(rs, i);
        if (r->score < threshold) continue;
        const char *prog = NULL;
        int blocks = programs_block(p, r, &prog);
        cp_rule_id rule = CP_RULE_PARTY_LISTED;
        if (blocks && r->score >= p->block && p->rules[CP_RULE_PARTY_EO14024].enabled) rule = CP_RULE_PARTY_EO14024;
        const cp_policy_rule *pr = &p->rules[rule];
        cp_decision act = pr->enabled ? pr->action : CP_PASS;
        cp_hit *h = add_hit(c, CP_HIT_PARTY, field, name, r->score, act, offset);
        if (!h) break;
        h->entity_id = adup(c, r->entity_id, strlen(r->entity_id));
        h->entity_name = r->name ? adup(c, r->name, strlen(r->name)) : NULL;
        h->list = adup(c, r->list, strlen(r->list));
        h->rule = cp_rule_name(rule);
        char progs[256];
        join_programs(r, progs, sizeof progs);
        h->reason = afmt(c, "%s '%s' matches %s name '%s' of %s (%s) [%s]%s%s%s", what, name,
                         cp_name_kind_name(r->matched_name_kind), r->matched_name ? r->matched_name : "",
                         r->entity_id, r->name ? r->name : "", progs[0] ? progs : "no program",
                         rule == CP_RULE_PARTY_EO14024 ? "; E.O. 14024 program " : "",
                         rule == CP_RULE_PARTY_EO14024 ? prog : "",
                         r->n_explanation ? "" : "");
    }
    if (!memo_hit) cp_results_free(rs);
    return 0;
}

enum {
    CP_SCREEN_NAME_WINDOW = 140,    /* longest name searched whole (ISO 20022 Max140Text) */
    CP_SCREEN_TEXT_WINDOW = 64,     /* bytes per window of a longer free-text line */
    CP_SCREEN_TEXT_BUDGET = 16384   /* bytes of one name or text line screened in windows */
};

/* Searches `len` bytes of `s` as a name. Longer than CP_SCREEN_NAME_WINDOW,
 * it is searched in windows of at most `win` bytes, cut at spaces,
 * overlapping by half: normalization keeps only the first 1024 bytes / 32
 * tokens of a name, so a listed name after a long prefix ("XXXX... VTB BANK")
 * was never searched. Beyond CP_SCREEN_TEXT_BUDGET bytes the rest is not
 * searched and a malformed_message hit (REVIEW) says so: never a silent PASS. */
static void search_windows(sctx *c, const char *field, const char *s, size_t len, cp_schema schema,
                           const char *country, const char *dob, double threshold, long offset, const char *what,
                           size_t win) {
    if (len <= CP_SCREEN_NAME_WINDOW) {
        char *one = adup(c, s, len);
        if (one) search_name(c, field, one, schema, country, dob, threshold, offset, what);
        return;
    }
    if (len > CP_SCREEN_TEXT_BUDGET) {
        const cp_policy_rule *pr = &c->p->rules[CP_RULE_MALFORMED_MESSAGE];
        cp_hit *h = add_hit(c, CP_HIT_RULE, field, adup(c, s, 64), pr->weight, pr->enabled ? pr->action : CP_REVIEW,
                            offset);
        if (h) {
            h->rule = cp_rule_name(CP_RULE_MALFORMED_MESSAGE);
            h->reason = afmt(c, "%s of %zu bytes: only the first %d bytes were screened for names", what, len,
                             (int)CP_SCREEN_TEXT_BUDGET);
        }
        len = CP_SCREEN_TEXT_BUDGET;
    }
    size_t a = 0;
    while (a < len && !c->oom) {
        while (a < len && s[a] == ' ') a++;
        if (a >= len) break;
        size_t e = a + win < len ? a + win : len;
        if (e < len) { /* cut at the last space inside the window */
            size_t b = e;
            while (b > a && s[b] != ' ') b--;
            if (b > a) e = b;
        }
        char *w = adup(c, s + a, e - a);
        if (w) search_name(c, field, w, schema, country, dob, threshold, offset, what);
        if (e >= len) break;
        size_t m = a + (e - a) / 2; /* next window starts after the space nearest the middle */
        while (m < e && s[m] != ' ') m++;
        a = m < e ? m + 1 : e;
    }
}

static int on_blocking_list(const cp_policy *p, const char *list) {
    for (size_t i = 0; i < p->n_id_block_lists; i++)
        if (!strcmp(p->id_block_lists[i], list)) return 1;
    return 0;
}

/* Identifier hits: `key` (BIC8, IMO, or an id_norm'ed LEI/passport/INN/OGRN)
 * against the sorted index `arr`. Rule: party_eo14024 when the entity is on a
 * blocking program; else identifier_blocking_list when its list is one of the
 * policy's blocking lists (an identifier is identity evidence, not a name
 * resemblance: 31 CFR 501.603 / 501.604 block or reject); else party_listed.
 * Score 1.0 (exact identifier). An identifier whose check digit fails for the
 * listed type (LEI, INN, OGRN) is not matched. */
static void id_hits(sctx *c, const id_entry *arr, size_t n, const char *key, const char *field, const char *value,
                    long offset, const char *what) {
    size_t i = id_find(arr, n, key);
    if (i == (size_t)-1) return;
    const cp_policy *p = c->p;
    for (; i < n && !strcmp(arr[i].key, key); i++) {
        const cp_entity *ent = arr[i].ent;
        if (arr[i].fact && !cp_screen_id_check(key, arr[i].fact)) continue;
        int blocks = 0;
        const char *prog = NULL;
        for (uint32_t k = 0; k < ent->n_programs && !blocks; k++)
            for (size_t b = 0; b < p->n_block_programs; b++)
                if (!strcmp(ent->programs[k], p->block_programs[b])) {
                    blocks = 1;
                    prog = ent->programs[k];
                }
        cp_rule_id rule = CP_RULE_PARTY_LISTED;
        if (blocks && p->rules[CP_RULE_PARTY_EO14024].enabled) rule = CP_RULE_PARTY_EO14024;
        else if (on_blocking_list(p, arr[i].list) && p->rules[CP_RULE_IDENTIFIER_BLOCKING].enabled)
            rule = CP_RULE_IDENTIFIER_BLOCKING;
        const cp_policy_rule *pr = &p->rules[rule];
        cp_hit *h = add_hit(c, CP_HIT_PARTY, field, value, 1.0, pr->enabled ? pr->action : CP_PASS, offset);
        if (!h) return;
        h->entity_id = ent->id;
        h->entity_name = ent->n_names ? ent->names[0].text : NULL;
        h->list = arr[i].list;
        h->rule = cp_rule_name(rule);
        const char *label = arr[i].fact && arr[i].fact->detail && arr[i].fact->type != CP_FACT_BIC &&
                                    arr[i].fact->type != CP_FACT_IMO
                                ? arr[i].fact->detail
                                : NULL;
        h->reason = afmt(c, "%s %s is an identifier%s%s%s of listed entity %s (%s)%s%s%s", what, value,
                         label ? " (" : "", label ? label : "", label ? ")" : "", ent->id,
                         h->entity_name ? h->entity_name : "",
                         rule == CP_RULE_PARTY_EO14024 ? "; program " : "", rule == CP_RULE_PARTY_EO14024 ? prog : "",
                         rule == CP_RULE_PARTY_EO14024       ? " (E.O. 14024 blocking: rule party_eo14024)"
                         : rule == CP_RULE_IDENTIFIER_BLOCKING ? "; identifier match on a blocking list (31 CFR 501.603)"
                                                               : "");
    }
}

static void screen_party(sctx *c, const cp_party *pt) {
    cp_screener *s = c->s;
    int side = side_of_role(c, pt->role);
    const char *field = pt->field ? pt->field : cp_party_role_name(pt->role);
    /* name */
    size_t geo_before = c->n_geo;
    /* BIC: listed identifier, country */
    if (pt->bic) {
        char cc[3];
        size_t bl = strlen(pt->bic);
        if (cp_geo_bic_country(s->geo, pt->bic, bl, cc)) {
            char key[9];
            for (int i = 0; i < 8; i++) key[i] = (char)toupper((unsigned char)pt->bic[i]);
            key[8] = 0;
            id_hits(c, s->bics, s->n_bics, key, field, pt->bic, pt->offset, "BIC");
            add_geo(c, cc, NULL, field, pt->bic, bl, (int)pt->role, side, pt->offset);
        }
    }
    /* LEI and other identifiers (passport, INN, OGRN ...) of the party */
    const char *ids[2] = {pt->lei, pt->other_id};
    for (int k = 0; k < 2; k++) {
        char key[24];
        if (!ids[k] || id_norm(ids[k], key) < 6) continue;
        id_hits(c, s->others, s->n_others, key, field, ids[k], pt->offset, k ? "identifier" : "LEI");
    }
    /* account: IBAN country and check digits */
    if (pt->account) {
        char cc[3] = "";
        cp_iban_status st = cp_geo_iban_check(s->geo, pt->account, strlen(pt->account), cc);
        if (st != CP_IBAN_NOT_IBAN && cc[0]) add_geo(c, cc, NULL, field, pt->account, strlen(pt->account), (int)pt->role, side, pt->offset);
        if (st != CP_IBAN_OK && st != CP_IBAN_NOT_IBAN) {
            const cp_policy_rule *pr = &c->p->rules[CP_RULE_INVALID_IBAN];
            if (pr->enabled) {
                cp_hit *h = add_hit(c, CP_HIT_RULE, field, pt->account, pr->weight, pr->action, pt->offset);
                if (h) {
                    h->rule = cp_rule_name(CP_RULE_INVALID_IBAN);
                    h->reason = afmt(c, "account %s: %s", pt->account, cp_iban_status_text(st));
                }
            }
        }
    }
    /* structured country, address, town */
    if (pt->country) {
        const cp_country *co = cp_geo_country_lookup(s->geo, &s->ft, pt->country, strlen(pt->country));
        if (co) add_geo(c, co->a2, NULL, field, pt->country, strlen(pt->country), (int)pt->role, side, pt->offset);
    }
    const char *addr[2] = {pt->address, pt->town};
    for (int k = 0; k < 2; k++) {
        if (!addr[k]) continue;
        cp_place_hit ph[16];
        size_t n = cp_geo_find_address(s->geo, &s->ft, addr[k], strlen(addr[k]), ph, 16);
        if (n == (size_t)-1) {
            c->oom = 1;
            return;
        }
        for (size_t i = 0; i < n; i++)
            add_geo(c, ph[i].place->cc, ph[i].place->region, field, addr[k] + ph[i].start, ph[i].end - ph[i].start,
                    (int)pt->role, side, pt->offset);
    }
    /* name, with the party's country (structured, else from its address) as
     * secondary evidence for the search */
    if (pt->name) {
        cp_schema sch = pt->schema;
        if (sch == CP_SCHEMA_ANY && side == SIDE_BANK) sch = CP_SCHEMA_ORGANIZATION;
        const char *cc = pt->country;
        for (size_t i = geo_before; !cc && i < c->n_geo; i++)
            if (c->geo[i].role == (int)pt->role && c->geo[i].field == field) cc = c->geo[i].cc;
        search_windows(c, field, pt->name, strlen(pt->name), sch, cc, pt->dob, c->p->review, pt->offset,
                       "party name", CP_SCREEN_NAME_WINDOW);
    }
}

/* ------------------------------------------------------------ texts */

static void goods_hit_hs(sctx *c, const char *field, const char *written, const char *digits, size_t nd,
                         int context, long offset) {
    cp_hs_info inf;
    if (cp_goods_hs_lookup(c->s->goods, digits, nd, &inf) < 0) return;
    c->goods_mentions++;
    const cp_policy *p = c->p;
    const char *tier = inf.chpl_tier && (p->chpl_tiers & cp_policy_tier_bit(inf.chpl_tier)) ? inf.chpl_tier : NULL;
    const char *eo = p->eo14114 && inf.eo_class && !inf.eo_possible ? inf.eo_class : NULL;
    if (!tier && !eo && !inf.chpl_possible && !(p->eo14114 && inf.eo_class)) return;
    cp_hit *h = add_hit(c, CP_HIT_GOODS, field, written, tier || eo ? 1.0 : 0.6, CP_PASS, offset);
    if (!h) return;
    h->list = tier ? "chpl" : "eo14114";
    char hs6[16];
    snprintf(hs6, sizeof hs6, "%.4s%s%.2s", digits, nd > 4 ? "." : "", nd > 4 ? digits + 4 : "");
    if (tier)
        h->reason = afmt(c, "HS %s%s is on the CHPL, tier %s%s%s (%s)", hs6, context ? "" : " (no HS keyword)",
                         tier, eo ? "; EO 14114 class: " : "", eo ? inf.eo_class_name : "",
                         inf.description ? inf.description : "");
    else if (eo)
        h->reason = afmt(c, "HS %s is in EO 14114 class '%s' (source: %s) (%s)", hs6, inf.eo_class_name,
                         inf.eo_source, inf.description ? inf.description : "");
    else
        h->reason = afmt(c, "HS heading %s: possible CHPL item (tiers %s under it)%s%s (%s)", hs6,
                         inf.chpl_tiers[0] ? inf.chpl_tiers : "-",
                         inf.eo_class ? "; possible EO 14114 class: " : "",
                         inf.eo_class ? inf.eo_class_name : "", inf.description ? inf.description : "");
    if ((tier || eo) && c->n_goods < MAX_FACTS) {
        goods_fact *g = &c->goods[c->n_goods++];
        g->field = h->field;
        g->value = h->value;
        g->chpl_tier = tier;
        g->eo_class = eo ? inf.eo_class_name : NULL;
        g->hit = c->res->pub.n_hits - 1;
    }
}

static void goods_hit_term(sctx *c, const char *field, const cp_goods_term *t, const char *written, size_t wlen,
                           long offset) {
    c->goods_mentions++;
    const cp_policy *p = c->p;
    const char *tier = t->chpl_tier && (p->chpl_tiers & cp_policy_tier_bit(t->chpl_tier)) ? t->chpl_tier : NULL;
    const char *eo = p->eo14114 ? t->eo_class_name : NULL;
    if (!tier && !eo) return;
    char *w = adup(c, written, wlen);
    if (!w) return;
    cp_hit *h = add_hit(c, CP_HIT_GOODS, field, w, 0.9, CP_PASS, offset);
    if (!h) return;
    h->list = "goods_terms";
    h->reason = afmt(c, "goods term '%s' -> HS %s%s%s%s%s", t->term, t->hs, tier ? "; CHPL tier " : "",
                     tier ? tier : "", eo ? "; EO 14114 class: " : "", eo ? eo : "");
    if (c->n_goods < MAX_FACTS) {
        goods_fact *g = &c->goods[c->n_goods++];
        g->field = h->field;
        g->value = h->value;
        g->chpl_tier = tier;
        g->eo_class = eo;
        g->hit = c->res->pub.n_hits - 1;
    }
}

/* Case-insensitive search for an ASCII needle. */
static const char *find_ci(const char *h, size_t hl, const char *n) {
    size_t nl = strlen(n);
    for (size_t i = 0; i + nl <= hl; i++) {
        size_t k = 0;
        while (k < nl && tolower((unsigned char)h[i + k]) == tolower((unsigned char)n[k])) k++;
        if (k == nl && (i == 0 || !isalnum((unsigned char)h[i - 1]))) return h + i;
    }
    return NULL;
}

/* Captures "CONSIGNED TO ...", "CONSIGNEE: ...", "END USER: ...", "TO THE
 * ORDER OF ..." up to the end of the line (LC documents and conditions,
 * remittance). */
static void find_consignees(sctx *c, const cp_text *t) {
    static const struct {
        const char *kw;
        int kind;
    } kws[] = {{"consigned to the order of", 2}, {"consigned to order of", 2}, {"made out to the order of", 2},
               {"made out to order of", 2},      {"to the order of", 2},       {"to order of", 2},
               {"consigned to", 0},              {"ultimate consignee", 0},     {"consignee", 0},
               {"end-user", 1},                  {"end user", 1},               {"enduser", 1}};
    const char *txt = t->text;
    size_t len = strlen(txt);
    size_t pos = 0;
    while (pos < len && c->n_cons < sizeof c->cons / sizeof c->cons[0]) {
        const char *best = NULL;
        size_t bk = 0;
        for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++) {
            const char *f = find_ci(txt + pos, len - pos, kws[k].kw);
            if (f && (!best || f < best)) {
                best = f;
                bk = k;
            }
        }
        if (!best) break;
        const char *a = best + strlen(kws[bk].kw);
        while (*a && (*a == ' ' || *a == ':' || *a == '-' || *a == '\t')) a++;
        const char *e = a;
        while (*e && *e != '\n' && *e != '\r') e++;
        /* a label alone on its line: take the next line */
        if (e == a && *e) {
            a = e;
            while (*a == '\n' || *a == '\r') a++;
            e = a;
            while (*e && *e != '\n' && *e != '\r') e++;
        }
        if (e > a) {
            consignee *cn = &c->cons[c->n_cons++];
            cn->field = t->field;
            cn->text = adup(c, a, (size_t)(e - a));
            cn->kind = kws[bk].kind;
            cn->offset = t->offset;
        }
        pos = (size_t)(e - txt);
        if (pos == (size_t)(best - txt)) pos++;
    }
}

/* Vessels: "IMO 1234567" (check digit) against listed IMO numbers, and names
 * after "MV", "M/V", "VESSEL" searched as vessels. */
static void find_vessels(sctx *c, const cp_text *t) {
    const char *txt = t->text;
    size_t len = strlen(txt);
    for (size_t i = 0; i + 3 < len; i++) {
        if (!(toupper((unsigned char)txt[i]) == 'I' && toupper((unsigned char)txt[i + 1]) == 'M' &&
              toupper((unsigned char)txt[i + 2]) == 'O') ||
            (i && isalnum((unsigned char)txt[i - 1])))
            continue;
        size_t j = i + 3;
        while (j < len && (txt[j] == ' ' || txt[j] == ':' || txt[j] == '.' || txt[j] == '#' || txt[j] == '-')) j++;
        size_t k = j;
        while (k < len && isdigit((unsigned char)txt[k])) k++;
        if (k - j != 7 || (k < len && isalnum((unsigned char)txt[k]))) continue;
        char d[8];
        memcpy(d, txt + j, 7);
        d[7] = 0;
        if (!cp_imo_valid(d)) {
            cp_hit *h = add_hit(c, CP_HIT_PARTY, t->field, d, 0.0, CP_PASS, t->offset);
            if (h) h->reason = afmt(c, "IMO %s has a wrong check digit (IMO Res. A.600(15)); not matched", d);
            continue;
        }
        char v[16];
        snprintf(v, sizeof v, "IMO %s", d);
        id_hits(c, c->s->imos, c->s->n_imos, d, t->field, v, t->offset, "vessel");
    }
    static const char *const kw[] = {"m/v ", "mv ", "m.v. ", "vessel ", "mt ", "m/t "};
    for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++) {
        const char *f = find_ci(txt, len, kw[k]);
        if (!f) continue;
        const char *a = f + strlen(kw[k]);
        while (*a == ' ' || *a == ':' || *a == '"') a++;
        /* up to 4 words of letters/digits, stopping at punctuation or IMO/FLAG */
        const char *e = a;
        int words = 0;
        while (*e && words < 4) {
            const char *w = e;
            while (*e && (isalnum((unsigned char)*e) || *e == '-' || (unsigned char)*e >= 0x80)) e++;
            if (e == w) break;
            if ((e - w == 3 && !strncasecmp(w, "IMO", 3)) || (e - w == 4 && !strncasecmp(w, "FLAG", 4))) {
                e = w;
                break;
            }
            words++;
            if (*e != ' ') break;
            const char *n = e + 1;
            if (!isalnum((unsigned char)*n) && (unsigned char)*n < 0x80) break;
            e = n;
        }
        while (e > a && e[-1] == ' ') e--;
        if (e - a >= 3) {
            char *name = adup(c, a, (size_t)(e - a));
            if (name) search_name(c, t->field, name, CP_SCHEMA_VESSEL, NULL, NULL, c->p->review, t->offset, "vessel");
        }
    }
}

/* Free-text lines screened as names (remittance, bank information): every
 * line up to CP_SCREEN_TEXT_BUDGET bytes into the field (lines after the 12th
 * used to be skipped silently). Lines starting beyond it are not searched and
 * a malformed_message hit (REVIEW) says so. */
static void text_names(sctx *c, const cp_text *t) {
    const char *txt = t->text;
    size_t len = strlen(txt), a = 0;
    while (a < len && !c->oom) {
        if (a >= CP_SCREEN_TEXT_BUDGET) {
            const cp_policy_rule *pr = &c->p->rules[CP_RULE_MALFORMED_MESSAGE];
            cp_hit *h = add_hit(c, CP_HIT_RULE, t->field, adup(c, txt + a, len - a < 64 ? len - a : 64), pr->weight,
                                pr->enabled ? pr->action : CP_REVIEW, t->offset);
            if (h) {
                h->rule = cp_rule_name(CP_RULE_MALFORMED_MESSAGE);
                h->reason = afmt(c, "text of %zu bytes: only lines in the first %d bytes were screened for names", len,
                                 (int)CP_SCREEN_TEXT_BUDGET);
            }
            break;
        }
        size_t e = a;
        while (e < len && txt[e] != '\n' && txt[e] != '\r') e++;
        /* strip codes like /INV/, /BNF/ at the start */
        size_t s = a;
        while (s < e && (txt[s] == '/' || txt[s] == ' ')) s++;
        size_t letters = 0;
        for (size_t i = s; i < e; i++)
            if (isalpha((unsigned char)txt[i]) || (unsigned char)txt[i] >= 0x80) letters++;
        if (letters >= 6) { /* long lines in windows (search_windows) */
            search_windows(c, t->field, txt + s, e - s, CP_SCHEMA_ANY, NULL, NULL, c->p->text_review, t->offset,
                           "text", CP_SCREEN_TEXT_WINDOW);
        }
        a = e + 1;
    }
}

static void screen_text(sctx *c, const cp_text *t) {
    cp_screener *s = c->s;
    const char *txt = t->text;
    size_t len = strlen(txt);
    cp_hs_mention hm[32];
    size_t n = cp_goods_find_hs(s->goods, txt, len, hm, 32);
    for (size_t i = 0; i < n; i++) {
        char *w = adup(c, txt + hm[i].start, hm[i].end - hm[i].start);
        if (w) goods_hit_hs(c, t->field, w, hm[i].digits, hm[i].ndigits, hm[i].context, t->offset);
    }
    if (c->p->goods_terms) {
        cp_goods_term_hit th[32];
        n = cp_goods_find_terms(s->goods, &s->ft, txt, len, th, 32);
        if (n == (size_t)-1) {
            c->oom = 1;
            return;
        }
        for (size_t i = 0; i < n; i++)
            goods_hit_term(c, t->field, th[i].term, txt + th[i].start, th[i].end - th[i].start, t->offset);
    }
    cp_place_hit ph[32];
    n = cp_geo_find_places(s->geo, &s->ft, txt, len, ph, 32);
    if (n == (size_t)-1) {
        c->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        add_geo(c, ph[i].place->cc, ph[i].place->region, t->field, txt + ph[i].start, ph[i].end - ph[i].start, -1,
                SIDE_TEXT, t->offset);
    find_consignees(c, t);
    find_vessels(c, t);
    if (c->p->free_text_names && (t->kind == CP_TEXT_REMITTANCE || t->kind == CP_TEXT_BANK_INFO ||
                                  t->kind == CP_TEXT_OTHER))
        text_names(c, t);
}

/* ------------------------------------------------------------ route + rules */

static const char *set_of(sctx *c, const geo_fact *gc, const char *set, const cp_jurisdiction **row) {
    const cp_policy *p = c->p;
    const char *const sets[4] = {p->set_russia, p->set_occupied, p->set_comprehensive, p->set_transshipment};
    geo_fact *g = &c->geo[gc - c->geo]; /* every geo_fact lives in c->geo */
    int k = 0;
    while (k < 4 && sets[k] != set) k++;
    if (k < 4 && g->set_done[k]) {
        *row = g->set_row[k];
    } else {
        *row = cp_geo_jurisdiction(c->s->geo, set, g->cc, g->region);
        if (k < 4) {
            g->set_row[k] = *row;
            g->set_done[k] = 1;
        }
    }
    if (*row && !strcmp((*row)->status, "lifted")) *row = NULL;
    return *row ? set : NULL;
}

static void route_hits(sctx *c) {
    const cp_policy *p = c->p;
    const char *sets[4] = {p->set_comprehensive, p->set_occupied, p->set_russia, p->set_transshipment};
    int nk = c->n_goods ? 4 : 3;   /* transshipment points matter only with controlled goods */
    for (size_t i = 0; i < c->n_geo; i++) {
        const geo_fact *g = &c->geo[i];
        for (int k = 0; k < nk; k++) {
            const cp_jurisdiction *row;
            if (!set_of(c, g, sets[k], &row)) continue;
            cp_hit *h = add_hit(c, CP_HIT_ROUTE, g->field, g->value, 1.0, CP_PASS, g->offset);
            if (!h) return;
            h->list = sets[k];
            h->reason = afmt(c, "%s %s%s%s is in set '%s': %s (%s)", g->role >= 0 ? cp_party_role_name((cp_party_role)g->role) : "text",
                             g->cc, g->region[0] ? "/" : "", g->region, sets[k], row->name, row->source);
        }
    }
}

static void rule_hit(sctx *c, cp_rule_id r, const char *field, const char *value, long offset, const char *reason) {
    const cp_policy_rule *pr = &c->p->rules[r];
    if (!pr->enabled) return;
    cp_hit *h = add_hit(c, CP_HIT_RULE, field, value, pr->weight, pr->action, offset);
    if (!h) return;
    h->rule = cp_rule_name(r);
    h->reason = reason;
}

static const geo_fact *first_in(sctx *c, const char *set, int side_mask) {
    for (size_t i = 0; i < c->n_geo; i++) {
        const cp_jurisdiction *row;
        if (side_mask && !(side_mask & (1 << c->geo[i].side))) continue;
        if (set_of(c, &c->geo[i], set, &row)) return &c->geo[i];
    }
    return NULL;
}

static int has_word(const char *text, const char *word) {
    /* whole word, case-insensitive for ASCII words; substring for non-ASCII words */
    if ((unsigned char)word[0] >= 0x80) return strstr(text, word) != NULL;
    size_t tl = strlen(text), wl = strlen(word);
    for (size_t pos = 0; pos < tl;) {
        const char *f = find_ci(text + pos, tl - pos, word);
        if (!f) return 0;
        if (!isalnum((unsigned char)f[wl])) return 1;
        pos = (size_t)(f - text) + 1;
    }
    return 0;
}

static const char *forwarder_word(const cp_policy *p, const char *text) {
    for (size_t i = 0; i < p->n_forwarder_words; i++)
        if (has_word(text, p->forwarder_words[i])) return p->forwarder_words[i];
    return NULL;
}

static void run_rules(sctx *c) {
    const cp_policy *p = c->p;
    const cp_request *rq = c->req;
    /* malformed_message: every defect the parser repaired (docs/rules.md) */
    for (size_t i = 0; i < rq->n_warnings; i++) {
        const cp_parse_warning *w = &rq->warnings[i];
        rule_hit(c, CP_RULE_MALFORMED_MESSAGE, w->field, w->message, w->offset,
                 afmt(c, "damaged message repaired before screening: %s at byte %ld: %s; check the original with the "
                      "sender [SWIFT FIN message structure]",
                      w->field ? w->field : "message", w->offset, w->message ? w->message : ""));
    }
    /* controlled goods */
    const goods_fact *ctrl = c->n_goods ? &c->goods[0] : NULL;
    const goods_fact *chpl = NULL;
    for (size_t i = 0; i < c->n_goods; i++)
        if (c->goods[i].chpl_tier) {
            chpl = &c->goods[i];
            break;
        }
    /* comprehensive / occupied / Russia */
    const geo_fact *comp = first_in(c, p->set_comprehensive, 0);
    const geo_fact *ru = first_in(c, p->set_russia, 0);
    const geo_fact *occ = first_in(c, p->set_occupied, 0);
    if (comp) {
        const cp_jurisdiction *row = cp_geo_jurisdiction(c->s->geo, p->set_comprehensive, comp->cc, comp->region);
        rule_hit(c, CP_RULE_SANCTIONED_JURISDICTION, comp->field, comp->value, comp->offset,
                 afmt(c, "'%s' (%s%s%s) is in a comprehensively sanctioned jurisdiction: %s (%s)", comp->value,
                      comp->cc, comp->region[0] ? "/" : "", comp->region, row ? row->name : "", row ? row->source : ""));
    }
    const geo_fact *rr = ru ? ru : occ;
    if (ctrl && rr) {
        rule_hit(c, CP_RULE_CHPL_RUSSIA, ctrl->field, ctrl->value, -1,
                 afmt(c, "controlled goods '%s' (%s%s%s%s) with a %s route: %s '%s' (%s%s%s) [E.O. 14114 / 15 CFR 746.8]",
                      ctrl->value, ctrl->chpl_tier ? "CHPL tier " : "", ctrl->chpl_tier ? ctrl->chpl_tier : "",
                      ctrl->chpl_tier && ctrl->eo_class ? "; " : "", ctrl->eo_class ? ctrl->eo_class : "",
                      ru ? "Russian/Belarusian" : "occupied-Ukraine", rr->field, rr->value, rr->cc,
                      rr->region[0] ? "/" : "", rr->region));
    } else if (rr) {
        rule_hit(c, CP_RULE_RUSSIA_ROUTE, rr->field, rr->value, rr->offset,
                 afmt(c, "%s '%s' (%s%s%s) is in %s", rr->field, rr->value, rr->cc, rr->region[0] ? "/" : "",
                      rr->region, ru ? "Russia/Belarus" : "an occupied region of Ukraine"));
    }
    /* CHPL through a transshipment jurisdiction: buyer side, destination,
     * consignee or LC goods text */
    if (chpl && !rr) {
        const geo_fact *ts =
            first_in(c, p->set_transshipment, (1 << SIDE_BUYER) | (1 << SIDE_DEST) | (c->is_lc ? (1 << SIDE_TEXT) : 0));
        if (ts)
            rule_hit(c, CP_RULE_CHPL_TRANSSHIPMENT, chpl->field, chpl->value, -1,
                     afmt(c, "CHPL tier %s goods '%s' bought by or shipped to a transshipment jurisdiction: %s '%s' (%s) "
                          "[FinCEN/BIS FIN-2023-Alert004]",
                          chpl->chpl_tier, chpl->value, ts->field, ts->value, ts->cc));
    }
    /* LC consigned to the issuing bank */
    if (c->is_lc) {
        const cp_party *issuer = NULL;
        for (size_t i = 0; i < rq->n_parties; i++)
            if (rq->parties[i].role == CP_ROLE_DEBTOR_AGENT || rq->parties[i].role == CP_ROLE_INSTRUCTING_AGENT) {
                issuer = &rq->parties[i];
                if (rq->parties[i].role == CP_ROLE_DEBTOR_AGENT) break;
            }
        for (size_t i = 0; i < c->n_cons; i++) {
            const consignee *cn = &c->cons[i];
            int to_bank = find_ci(cn->text, strlen(cn->text), "issuing bank") != NULL ||
                          find_ci(cn->text, strlen(cn->text), "issuer") != NULL;
            if (!to_bank && issuer && issuer->name && strlen(issuer->name) >= 6 &&
                find_ci(cn->text, strlen(cn->text), issuer->name))
                to_bank = 1;
            if (!to_bank && issuer && issuer->bic && strlen(issuer->bic) >= 8) {
                char b8[9];
                memcpy(b8, issuer->bic, 8);
                b8[8] = 0;
                if (find_ci(cn->text, strlen(cn->text), b8)) to_bank = 1;
            }
            if (to_bank) {
                rule_hit(c, CP_RULE_LC_ISSUING_BANK, cn->field, cn->text, cn->offset,
                         afmt(c, "transport documents consigned to the issuing bank ('%s'): the real consignee is not "
                              "named [trade-finance red flag; Wolfsberg Trade Finance Principles]",
                              cn->text));
                break;
            }
        }
    }
    /* freight forwarder / logistics firm as consignee or end user (trade only) */
    if (c->is_lc || c->goods_mentions) {
        int fired = 0;
        for (size_t i = 0; i < c->n_cons && !fired; i++) {
            if (c->cons[i].kind == 2) continue;
            const char *w = forwarder_word(p, c->cons[i].text);
            if (w) {
                rule_hit(c, CP_RULE_FORWARDER_CONSIGNEE, c->cons[i].field, c->cons[i].text, c->cons[i].offset,
                         afmt(c, "%s '%s' is a freight forwarder or logistics firm ('%s') [BIS Know Your Customer red "
                              "flags, Supp. 3 to 15 CFR part 732]",
                              c->cons[i].kind == 1 ? "end user" : "consignee", c->cons[i].text, w));
                fired = 1;
            }
        }
        for (size_t i = 0; i < rq->n_parties && !fired; i++) {
            const cp_party *pt = &rq->parties[i];
            int buyer = pt->role == CP_ROLE_ULTIMATE_DEBTOR || pt->role == CP_ROLE_OTHER_PARTY ||
                        (c->is_lc && pt->role == CP_ROLE_DEBTOR) || (!c->is_lc && pt->role == CP_ROLE_DEBTOR);
            if (!buyer || !pt->name) continue;
            const char *w = forwarder_word(p, pt->name);
            if (w) {
                rule_hit(c, CP_RULE_FORWARDER_CONSIGNEE, pt->field, pt->name, pt->offset,
                         afmt(c, "buyer/consignee '%s' is a freight forwarder or logistics firm ('%s') [BIS Know Your "
                              "Customer red flags, Supp. 3 to 15 CFR part 732]",
                              pt->name, w));
                fired = 1;
            }
        }
    }
    /* third-country payer (payments only): the debtor's country is none of
     * the trade's countries (ultimate debtor, creditor side, destination,
     * consignee) while the trade names a buyer or destination */
    if (!c->is_lc) {
        const geo_fact *payer = NULL;
        int has_trade_party = 0;
        for (size_t i = 0; i < c->n_geo; i++) {
            const geo_fact *g = &c->geo[i];
            if (g->role == CP_ROLE_DEBTOR && !payer) payer = g;
            if (g->role == CP_ROLE_ULTIMATE_DEBTOR || g->side == SIDE_DEST || g->role == CP_ROLE_OTHER_PARTY)
                has_trade_party = 1;
        }
        for (size_t i = 0; i < c->n_cons; i++)
            if (c->cons[i].kind != 2) has_trade_party = 1;
        if (payer && has_trade_party) {
            int payer_in_trade = 0;
            for (size_t i = 0; i < c->n_geo; i++) {
                const geo_fact *g = &c->geo[i];
                int trade = g->role == CP_ROLE_ULTIMATE_DEBTOR || g->role == CP_ROLE_CREDITOR ||
                            g->role == CP_ROLE_ULTIMATE_CREDITOR || g->role == CP_ROLE_OTHER_PARTY ||
                            g->side == SIDE_DEST;
                if (trade && !strcmp(g->cc, payer->cc)) payer_in_trade = 1;
            }
            /* consignee countries */
            for (size_t i = 0; i < c->n_cons && !payer_in_trade; i++) {
                cp_place_hit ph[8];
                size_t n = cp_geo_find_places(c->s->geo, &c->s->ft, c->cons[i].text, strlen(c->cons[i].text), ph, 8);
                for (size_t k = 0; k < n && n != (size_t)-1; k++)
                    if (!strcmp(ph[k].place->cc, payer->cc)) payer_in_trade = 1;
            }
            if (!payer_in_trade)
                rule_hit(c, CP_RULE_THIRD_COUNTRY_PAYER, payer->field, payer->value, payer->offset,
                         afmt(c, "payer in %s ('%s') is not otherwise in the trade (buyer, seller, consignee and "
                              "destination are elsewhere) [FinCEN/BIS FIN-2022-Alert003 red flags]",
                              payer->cc, payer->value));
        }
    }
}

/* "N parties (fields), M texts (fields), K places (fields)": what the
 * screening looked at, so that a PASS says what it covers. Arena string;
 * NULL on OOM. */
static const char *screened_summary(sctx *c) {
    const cp_request *rq = c->req;
    char buf[1024];
    size_t o = 0;
    const struct {
        size_t n;
        const char *one, *many;
    } part[3] = {{rq->n_parties, "party", "parties"}, {rq->n_texts, "text", "texts"}, {rq->n_places, "place", "places"}};
    for (int k = 0; k < 3; k++) {
        if (o >= sizeof buf - 1) break;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%zu %s%s", k ? ", " : "", part[k].n,
                              part[k].n == 1 ? part[k].one : part[k].many, part[k].n ? " (" : "");
        if (!part[k].n) continue;
        for (size_t i = 0; i < part[k].n && o < sizeof buf - 1; i++) {
            const char *f = k == 0   ? (rq->parties[i].field ? rq->parties[i].field
                                                             : cp_party_role_name(rq->parties[i].role))
                            : k == 1 ? rq->texts[i].field
                                     : rq->places[i].field;
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", f ? f : "-");
        }
        if (o < sizeof buf - 1) o += (size_t)snprintf(buf + o, sizeof buf - o, ")");
    }
    if (o >= sizeof buf) o = sizeof buf - 1;
    return adup(c, buf, o);
}

static void decide(result_full *r) {
    cp_decision d = CP_PASS;
    double score = 0;
    for (size_t i = 0; i < r->pub.n_hits; i++) {
        const cp_hit *h = &r->hits[i];
        if (h->action > d) d = h->action;
        if (h->action > CP_PASS && h->score > score) score = h->score;
    }
    r->pub.decision = d;
    r->pub.score = score;
}

cp_screen_result *cp_screen_request(cp_screener *s, const cp_request *req, cp_error *err) {
    result_full *r = calloc(1, sizeof *r);
    sctx *c = calloc(1, sizeof *c);
    if (!r || !c || !(r->arena = cp_arena_new())) {
        free(c);
        if (r) free(r);
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    c->s = s;
    c->p = s->policy;
    c->req = req;
    c->res = r;
    c->err = err;
    c->is_lc = req->type && (!strncmp(req->type, "MT70", 4) || !strncmp(req->type, "MT71", 4) ||
                             !strncmp(req->type, "MT72", 4));
    r->pub.message_id = req->message_id ? adup(c, req->message_id, strlen(req->message_id)) : NULL;
    r->pub.format = req->format ? adup(c, req->format, strlen(req->format)) : NULL;
    r->pub.type = req->type ? adup(c, req->type, strlen(req->type)) : NULL;
    r->pub.policy = c->p->version;
    r->pub.refdata = s->refdata;
    for (size_t i = 0; i < req->n_parties && !c->oom; i++) screen_party(c, &req->parties[i]);
    for (size_t i = 0; i < req->n_places && !c->oom; i++) {
        const cp_place *pl = &req->places[i];
        if (!pl->text) continue;
        int dest = pl->label && (!strcmp(pl->label, "port_of_discharge") || !strcmp(pl->label, "final_destination") ||
                                 !strcmp(pl->label, "place_of_delivery"));
        cp_place_hit ph[16];
        size_t n = cp_geo_find_address(s->geo, &s->ft, pl->text, strlen(pl->text), ph, 16);
        if (n == (size_t)-1) {
            c->oom = 1;
            break;
        }
        for (size_t k = 0; k < n; k++)
            add_geo(c, ph[k].place->cc, ph[k].place->region, pl->field, pl->text + ph[k].start,
                    ph[k].end - ph[k].start, -1, dest ? SIDE_DEST : SIDE_OTHER, pl->offset);
    }
    for (size_t i = 0; i < req->n_texts && !c->oom; i++)
        if (req->texts[i].text) screen_text(c, &req->texts[i]);
    for (size_t i = 0; i < req->n_hs_codes && !c->oom; i++) {
        const char *code = req->hs_codes[i];
        size_t n = strlen(code);
        if (n >= 2 && n <= 10) goods_hit_hs(c, "hs_code", code, code, n, 1, -1);
    }
    for (size_t i = 0; i < c->n_memo; i++) cp_results_free(c->memo[i].rs);
    c->n_memo = 0;
    if (!c->oom) route_hits(c);
    if (!c->oom) run_rules(c);
    if (c->oom) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory while screening");
        free(c);
        cp_screen_result_free(&r->pub);
        return NULL;
    }
    decide(r);
    r->pub.screened = screened_summary(c);
    free(c);
    return &r->pub;
}

/* ------------------------------------------------------------ messages */

void cp_screen_batch_clear(cp_screen_batch *b) {
    if (!b) return;
    for (size_t i = 0; i < b->n; i++) cp_screen_result_free(b->items[i]);
    free(b->items);
    memset(b, 0, sizeof *b);
}

int cp_screen_message(cp_screener *s, const char *data, size_t len, const char *format, const char *file,
                      cp_screen_batch *out, cp_error *err) {
    cp_msg_format f = CP_MSG_UNKNOWN;
    if (format && strcmp(format, "auto") != 0) {
        f = cp_msg_format_parse(format);
        if (f == CP_MSG_UNKNOWN) {
            cp_error_set(err, CP_ERR_ARG, file, 0, -1, "format", "unknown message format '%s'", format);
            return -1;
        }
    } else {
        f = cp_msg_detect(data, len);
        if (f == CP_MSG_UNKNOWN) {
            cp_error_set(err, CP_ERR_FORMAT, file, 0, 0, NULL, "unknown message format (not MT, MX, JSON or CSV)");
            return -1;
        }
    }
    cp_request_list rl;
    cp_request_list_init(&rl);
    cp_msg_opts o = {0};
    o.file = file;
    if (cp_msg_parse(f, data, len, &o, &rl, err) < 0) {
        cp_request_list_free(&rl);
        return -1;
    }
    size_t first = out->n;
    for (size_t i = 0; i < rl.n; i++) {
        cp_screen_result *r = cp_screen_request(s, rl.items[i], err);
        if (!r) goto fail;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 4;
            cp_screen_result **ni = realloc(out->items, nc * sizeof *ni);
            if (!ni) {
                cp_screen_result_free(r);
                cp_error_set(err, CP_ERR_NOMEM, file, 0, -1, NULL, "out of memory");
                goto fail;
            }
            out->items = ni;
            out->cap = nc;
        }
        out->items[out->n++] = r;
    }
    cp_request_list_free(&rl);
    return 0;
fail:
    while (out->n > first) cp_screen_result_free(out->items[--out->n]);
    cp_request_list_free(&rl);
    return -1;
}
