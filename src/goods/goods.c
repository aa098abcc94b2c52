/* Goods reference data and matchers; see goods.h and docs/goods.md. */
#include "goods/goods.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/io.h"
#include "core/strmap.h"
#include "goods/tsv.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hs_row {
    const char *code;
    const char *desc;
} hs_row;

typedef struct chpl_row {
    char hs6[7];
    const char *tier;
    const char *desc;
} chpl_row;

typedef struct eo_row {
    const char *class_id, *class_name, *hs, *source;
    size_t hslen;
} eo_row;

struct cp_goods {
    cp_arena *arena;
    hs_row *hs;
    size_t n_hs;
    cp_strmap *hs_map;       /* code -> index into hs */
    chpl_row *chpl;
    size_t n_chpl;
    eo_row *eo;
    size_t n_eo;
    cp_goods_term *terms;
    size_t n_terms;
    cp_phrase_dict dict;     /* folded term -> index into terms */
    char version[65];
};

enum { MAX_TABLE_ROWS = 100000 };

static char *sdup(cp_arena *a, cp_slice s) { return cp_arena_strndup(a, s.p, s.len); }

static int all_digits(const char *s, size_t n) {
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int read_in(const char *dir, const char *name, cp_bytes *b, char *path, size_t psz, cp_error *err) {
    snprintf(path, psz, "%s/%s", dir, name);
    return cp_read_file(path, 64u << 20, b, err);
}

static int load_hs(cp_goods *g, const char *path, const cp_bytes *b, cp_error *err) {
    cp_csv r;
    const char *data = b->data;
    size_t len = b->len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    cp_csv_init(&r, data, len, ',', path);
    size_t cap = 8192;
    g->hs = malloc(cap * sizeof *g->hs);
    if (!g->hs) goto oom;
    int rc, header = 1;
    while ((rc = cp_csv_next(&r, err)) != 0) {
        if (rc < 0) goto fail;
        if (header) {
            if (r.nfields < 5 || !cp_slice_eq(r.fields[1], "hscode") || !cp_slice_eq(r.fields[2], "description")) {
                cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "hscode",
                             "header must be section,hscode,description,parent,level");
                goto fail;
            }
            header = 0;
            continue;
        }
        if (r.nfields < 5) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "level", "expected 5 columns, found %zu",
                         r.nfields);
            goto fail;
        }
        cp_slice code = cp_slice_trim(r.fields[1]);
        if (cp_slice_eq(code, "TOTAL")) continue;
        if (!all_digits(code.p, code.len) || (code.len != 2 && code.len != 4 && code.len != 6)) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "hscode",
                         "HS code must be 2, 4 or 6 digits: '%.*s'", (int)code.len, code.p);
            goto fail;
        }
        if (g->n_hs == cap) {
            if (cap >= MAX_TABLE_ROWS) {
                cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, NULL, "more than %d rows",
                             MAX_TABLE_ROWS);
                goto fail;
            }
            cap *= 2;
            hs_row *n = realloc(g->hs, cap * sizeof *n);
            if (!n) goto oom;
            g->hs = n;
        }
        hs_row *h = &g->hs[g->n_hs];
        h->code = sdup(g->arena, code);
        h->desc = sdup(g->arena, cp_slice_trim(r.fields[2]));
        if (!h->code || !h->desc) goto oom;
        if (cp_strmap_put(g->hs_map, h->code, code.len, (uint32_t)g->n_hs) < 0) goto oom;
        g->n_hs++;
    }
    cp_csv_free(&r);
    if (g->n_hs == 0) {
        cp_error_set(err, CP_ERR_FORMAT, path, 0, -1, NULL, "no HS codes");
        return -1;
    }
    return 0;
oom:
    cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
fail:
    cp_csv_free(&r);
    return -1;
}

static int valid_tier(cp_slice t) {
    static const char *const tiers[] = {"1", "2", "3.A", "3.B", "4.A", "4.B"};
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++)
        if (cp_slice_eq(t, tiers[i])) return 1;
    return 0;
}

static int load_chpl(cp_goods *g, const char *path, const cp_bytes *b, cp_error *err) {
    cp_csv r;
    cp_csv_init(&r, b->data, b->len, ',', path);
    int rc, header = 1;
    size_t cap = 0;
    while ((rc = cp_csv_next(&r, err)) != 0) {
        if (rc < 0) goto fail;
        if (header) {
            if (r.nfields < 3 || !cp_slice_eq(r.fields[0], "tier") || !cp_slice_eq(r.fields[1], "hs6")) {
                cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "tier",
                             "header must be tier,hs6,description,source");
                goto fail;
            }
            header = 0;
            continue;
        }
        cp_slice tier = cp_slice_trim(r.fields[0]);
        cp_slice hs6 = r.nfields > 1 ? cp_slice_trim(r.fields[1]) : (cp_slice){"", 0};
        if (!valid_tier(tier)) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "tier", "unknown CHPL tier '%.*s'",
                         (int)tier.len, tier.p);
            goto fail;
        }
        if (hs6.len != 6 || !all_digits(hs6.p, 6)) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "hs6", "HS-6 code must be 6 digits: '%.*s'",
                         (int)hs6.len, hs6.p);
            goto fail;
        }
        if (g->n_chpl == cap) {
            cap = cap ? cap * 2 : 64;
            chpl_row *n = realloc(g->chpl, cap * sizeof *n);
            if (!n) goto oom;
            g->chpl = n;
        }
        chpl_row *c = &g->chpl[g->n_chpl++];
        memcpy(c->hs6, hs6.p, 6);
        c->hs6[6] = 0;
        c->tier = sdup(g->arena, tier);
        c->desc = r.nfields > 2 ? sdup(g->arena, cp_slice_trim(r.fields[2])) : "";
        if (!c->tier || !c->desc) goto oom;
    }
    cp_csv_free(&r);
    return 0;
oom:
    cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
fail:
    cp_csv_free(&r);
    return -1;
}

static int load_eo(cp_goods *g, const char *path, const cp_bytes *b, cp_error *err) {
    static const char *const cols[] = {"class_id", "class", "hs", "source", "note"};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 5, err) < 0) return -1;
    size_t cap = 0;
    while (cp_tsv_next(&t, 5)) {
        if (!t.f[0].len || !t.f[1].len || !t.f[3].len) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, !t.f[0].len ? "class_id" : !t.f[1].len ? "class" : "source",
                         "empty value");
            return -1;
        }
        if (!all_digits(t.f[2].p, t.f[2].len) || t.f[2].len < 2 || t.f[2].len > 6 || t.f[2].len % 2) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "hs", "HS code must be 2, 4 or 6 digits: '%.*s'",
                         (int)t.f[2].len, t.f[2].p);
            return -1;
        }
        if (g->n_eo == cap) {
            cap = cap ? cap * 2 : 64;
            eo_row *n = realloc(g->eo, cap * sizeof *n);
            if (!n) goto oom;
            g->eo = n;
        }
        eo_row *e = &g->eo[g->n_eo++];
        e->class_id = sdup(g->arena, t.f[0]);
        e->class_name = sdup(g->arena, t.f[1]);
        e->hs = sdup(g->arena, t.f[2]);
        e->hslen = t.f[2].len;
        e->source = sdup(g->arena, t.f[3]);
        if (!e->class_id || !e->class_name || !e->hs || !e->source) goto oom;
    }
    return 0;
oom:
    cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
    return -1;
}

static const eo_row *eo_find_class(const cp_goods *g, cp_slice id) {
    for (size_t i = 0; i < g->n_eo; i++)
        if (cp_slice_eq(id, g->eo[i].class_id)) return &g->eo[i];
    return NULL;
}

/* Tier rank: lower is more severe. */
static int tier_rank(const char *t) {
    if (!t) return 99;
    if (!strcmp(t, "1")) return 0;
    if (!strcmp(t, "2")) return 1;
    if (!strcmp(t, "3.A")) return 2;
    if (!strcmp(t, "3.B")) return 3;
    if (!strcmp(t, "4.A")) return 4;
    if (!strcmp(t, "4.B")) return 5;
    return 98;
}

static int load_terms(cp_goods *g, const char *path, const cp_bytes *b, cp_error *err) {
    static const char *const cols[] = {"term", "lang", "hs", "class", "note"};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 5, err) < 0) return -1;
    size_t cap = 0;
    cp_ftext scratch = {0};
    while (cp_tsv_next(&t, 5)) {
        if (!t.f[0].len) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "term", "empty term");
            goto fail;
        }
        /* hs: comma-separated codes of 2..6 digits */
        cp_slice hs = t.f[2];
        if (!hs.len) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "hs", "empty HS code list for term '%.*s'",
                         (int)t.f[0].len, t.f[0].p);
            goto fail;
        }
        const char *best = NULL;
        int possible = 0;
        for (size_t a = 0; a < hs.len;) {
            size_t e = a;
            while (e < hs.len && hs.p[e] != ',') e++;
            size_t n = e - a;
            if (!all_digits(hs.p + a, n) || n < 2 || n > 6 || n % 2) {
                cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "hs", "bad HS code '%.*s' (2, 4 or 6 digits)",
                             (int)n, hs.p + a);
                goto fail;
            }
            uint32_t idx;
            if (!cp_strmap_get(g->hs_map, hs.p + a, n, &idx)) {
                cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "hs", "HS code %.*s is not in HS 2022", (int)n,
                             hs.p + a);
                goto fail;
            }
            cp_hs_info info;
            cp_goods_hs_lookup(g, hs.p + a, n, &info);
            if (info.chpl_tier && tier_rank(info.chpl_tier) < tier_rank(best)) best = info.chpl_tier;
            if (info.chpl_possible) possible = 1;
            a = e + 1;
        }
        const eo_row *cls = NULL;
        if (t.f[3].len && !(cls = eo_find_class(g, t.f[3]))) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "class", "unknown EO 14114 class '%.*s'",
                         (int)t.f[3].len, t.f[3].p);
            goto fail;
        }
        if (g->n_terms == cap) {
            cap = cap ? cap * 2 : 256;
            cp_goods_term *n = realloc(g->terms, cap * sizeof *n);
            if (!n) goto oom;
            g->terms = n;
        }
        cp_goods_term *gt = &g->terms[g->n_terms];
        gt->term = sdup(g->arena, t.f[0]);
        gt->lang = sdup(g->arena, t.f[1]);
        gt->hs = sdup(g->arena, t.f[2]);
        gt->note = sdup(g->arena, t.f[4]);
        gt->eo_class = cls ? cls->class_id : NULL;
        gt->eo_class_name = cls ? cls->class_name : NULL;
        gt->chpl_tier = best;
        gt->chpl_possible = !best && possible;
        if (!gt->term || !gt->lang || !gt->hs || !gt->note) goto oom;
        int rc = cp_phrase_add(&g->dict, &scratch, t.f[0].p, t.f[0].len, (uint32_t)g->n_terms);
        if (rc < 0) goto oom;
        if (rc == 2) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "term", "term '%.*s' has no letters or digits",
                         (int)t.f[0].len, t.f[0].p);
            goto fail;
        }
        if (rc == 1) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "term", "duplicate term '%.*s' (after folding)",
                         (int)t.f[0].len, t.f[0].p);
            goto fail;
        }
        g->n_terms++;
    }
    cp_ftext_free(&scratch);
    return 0;
oom:
    cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
fail:
    cp_ftext_free(&scratch);
    return -1;
}

cp_goods *cp_goods_load(const char *dir, cp_error *err) {
    if (!dir) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "no goods data directory");
        return NULL;
    }
    cp_goods *g = calloc(1, sizeof *g);
    if (!g) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    static const char *const files[] = {"harmonized-system-2022.csv", "chpl_hs6.csv", "eo14114_classes.tsv",
                                        "goods_terms.tsv"};
    cp_bytes b[4] = {{0}};
    char path[4][1024];
    g->arena = cp_arena_new();
    g->hs_map = cp_strmap_new();
    if (!g->arena || !g->hs_map || cp_phrase_dict_init(&g->dict) < 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto fail;
    }
    for (int i = 0; i < 4; i++)
        if (read_in(dir, files[i], &b[i], path[i], sizeof path[i], err) < 0) goto fail;
    if (load_hs(g, path[0], &b[0], err) < 0 || load_chpl(g, path[1], &b[1], err) < 0 ||
        load_eo(g, path[2], &b[2], err) < 0 || load_terms(g, path[3], &b[3], err) < 0)
        goto fail;
    for (size_t i = 0; i < g->n_chpl; i++) {
        uint32_t idx;
        if (!cp_strmap_get(g->hs_map, g->chpl[i].hs6, 6, &idx)) {
            cp_error_set(err, CP_ERR_FORMAT, path[1], 0, -1, "hs6", "CHPL code %s is not in HS 2022",
                         g->chpl[i].hs6);
            goto fail;
        }
    }
    {
        /* version: sha256 over the four files */
        size_t total = 0;
        for (int i = 0; i < 4; i++) total += b[i].len;
        char *all = malloc(total + 1);
        if (!all) {
            cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
            goto fail;
        }
        size_t o = 0;
        for (int i = 0; i < 4; i++) {
            memcpy(all + o, b[i].data, b[i].len);
            o += b[i].len;
        }
        cp_sha256_hex(all, total, g->version);
        free(all);
    }
    for (int i = 0; i < 4; i++) free(b[i].data);
    return g;
fail:
    for (int i = 0; i < 4; i++) free(b[i].data);
    cp_goods_free(g);
    return NULL;
}

void cp_goods_free(cp_goods *g) {
    if (!g) return;
    free(g->hs);
    free(g->chpl);
    free(g->eo);
    free(g->terms);
    cp_strmap_free(g->hs_map);
    cp_phrase_dict_free(&g->dict);
    cp_arena_free(g->arena);
    free(g);
}

int cp_goods_hs_lookup(const cp_goods *g, const char *code, size_t len, cp_hs_info *out) {
    memset(out, 0, sizeof *out);
    if (len < 2 || len > 10 || !all_digits(code, len)) return -1;
    uint32_t idx;
    int ch = cp_strmap_get(g->hs_map, code, 2, &idx);
    if (ch) out->description = g->hs[idx].desc;
    int hd = len >= 4 && cp_strmap_get(g->hs_map, code, 4, &idx);
    if (hd) out->description = g->hs[idx].desc;
    out->heading_known = hd;
    int h6 = len >= 6 && cp_strmap_get(g->hs_map, code, 6, &idx);
    if (h6) out->description = g->hs[idx].desc;
    out->known = ch && (len < 4 || hd) && (len < 6 || h6);
    if (len >= 6) {
        for (size_t i = 0; i < g->n_chpl; i++)
            if (memcmp(g->chpl[i].hs6, code, 6) == 0) {
                out->chpl_tier = g->chpl[i].tier;
                break;
            }
    } else {
        size_t o = 0;
        for (size_t i = 0; i < g->n_chpl; i++) {
            if (memcmp(g->chpl[i].hs6, code, len) != 0) continue;
            out->chpl_possible = 1;
            const char *t = g->chpl[i].tier;
            /* append the tier once */
            char probe[8];
            snprintf(probe, sizeof probe, "%s", t);
            int dup = 0;
            for (const char *p = out->chpl_tiers; *p;) {
                const char *c = strchr(p, ',');
                size_t n = c ? (size_t)(c - p) : strlen(p);
                if (n == strlen(probe) && !memcmp(p, probe, n)) dup = 1;
                p += n + (c ? 1 : 0);
            }
            if (!dup && o + strlen(t) + 2 < sizeof out->chpl_tiers) {
                o += (size_t)snprintf(out->chpl_tiers + o, sizeof out->chpl_tiers - o, "%s%s", o ? "," : "", t);
            }
        }
    }
    /* EO 14114 class: the longest row that is a prefix of the code; else a
     * row the code is a prefix of (possible). */
    const eo_row *best = NULL;
    for (size_t i = 0; i < g->n_eo; i++) {
        const eo_row *e = &g->eo[i];
        if (e->hslen <= len && memcmp(e->hs, code, e->hslen) == 0 && (!best || e->hslen > best->hslen)) best = e;
    }
    if (!best) {
        for (size_t i = 0; i < g->n_eo; i++) {
            const eo_row *e = &g->eo[i];
            if (e->hslen > len && memcmp(e->hs, code, len) == 0) {
                best = e;
                out->eo_possible = 1;
                break;
            }
        }
    }
    if (best) {
        out->eo_class = best->class_id;
        out->eo_class_name = best->class_name;
        out->eo_source = best->source;
    }
    return 0;
}

/* ------------------------------------------------------------ HS in text */

static int is_alnum_b(unsigned char c) { return isalnum(c) != 0; }

/* Keywords that put the following numbers in HS context (compared on the
 * lower-cased ASCII word). */
static int hs_keyword(const char *w, size_t n) {
    static const char *const kw[] = {"hs", "h.s", "h.s.", "hscode", "hs-code", "hsn", "hts", "htsus", "htsn",
                                     "harmonized", "harmonised", "tariff", "taric", "cn", "commodity",
                                     "customs", "tnved", "eaeu", NULL};
    for (int i = 0; kw[i]; i++)
        if (strlen(kw[i]) == n && memcmp(kw[i], w, n) == 0) return 1;
    return 0;
}

/* Non-ASCII keywords: a word containing one of these (UTF-8). */
static int hs_keyword_utf8(const char *w, size_t n) {
    static const char *const kw[] = {"编码", "税号", "税则", "ВЭД", "вэд", "ТНВЭД", NULL};
    for (int i = 0; kw[i]; i++) {
        size_t k = strlen(kw[i]);
        for (size_t j = 0; j + k <= n; j++)
            if (memcmp(w + j, kw[i], k) == 0) return 1;
    }
    return 0;
}

/* Words that may stand between a keyword and the codes. */
static int hs_filler(const char *w, size_t n) {
    static const char *const f[] = {"code", "codes", "no", "nr", "number", "numbers", "heading", "headings",
                                    "subheading", "subheadings", "item", "items", "and", "or", "classification",
                                    "classified", "under", "of", "num", "ref", "tn", "system", "schedule",
                                    "nomenclature", "line", "lines", "us", "eu", "vs", NULL};
    for (int i = 0; f[i]; i++)
        if (strlen(f[i]) == n && memcmp(f[i], w, n) == 0) return 1;
    return 0;
}

static int currency_word(const char *w, size_t n) {
    static const char *const cur[] = {"usd", "eur", "gbp", "rub", "rur", "cny", "rmb", "chf", "jpy", "hkd",
                                      "aed", "kzt", "try", "byn", "amd", "gel", "kgs", "uzs", "inr", "sgd",
                                      "cad", "aud", "sek", "nok", "dkk", "pln", "czk", "huf", "krw", "twd",
                                      "amount", "amt", "sum", "total", "price", "eur.", "usd.", NULL};
    for (int i = 0; cur[i]; i++)
        if (strlen(cur[i]) == n && memcmp(cur[i], w, n) == 0) return 1;
    return 0;
}

/* Lower-cased ASCII word around position; returns its length (0 if none). */
static size_t word_at(const char *t, size_t len, size_t a, char *w, size_t wmax) {
    size_t n = 0;
    while (a + n < len && n + 1 < wmax && (isalpha((unsigned char)t[a + n]) || t[a + n] == '.')) {
        w[n] = (char)tolower((unsigned char)t[a + n]);
        n++;
    }
    w[n] = 0;
    return n;
}

static int currency_near(const char *t, size_t len, size_t start, size_t end) {
    /* previous word */
    size_t p = start;
    while (p > 0 && (t[p - 1] == ' ' || t[p - 1] == ':')) p--;
    if (p > 0) {
        unsigned char c = (unsigned char)t[p - 1];
        if (c == '$' || c == '#') return c == '$';
        if (c >= 0x80) {
            /* € (E2 82 AC), £ (C2 A3), ¥ (C2 A5), ₽ (E2 82 BD) */
            if (p >= 3 && (unsigned char)t[p - 3] == 0xE2 && (unsigned char)t[p - 2] == 0x82) return 1;
            if (p >= 2 && (unsigned char)t[p - 2] == 0xC2 && (c == 0xA3 || c == 0xA5)) return 1;
        }
        size_t a = p;
        while (a > 0 && isalpha((unsigned char)t[a - 1])) a--;
        char w[16];
        if (p - a > 0 && p - a < sizeof w) {
            for (size_t i = a; i < p; i++) w[i - a] = (char)tolower((unsigned char)t[i]);
            if (currency_word(w, p - a)) return 1;
        }
    }
    /* next word */
    size_t q = end;
    while (q < len && t[q] == ' ') q++;
    if (q < len) {
        unsigned char c = (unsigned char)t[q];
        if (c == '%' || c == '$') return 1;
        if (c == 0xE2 && q + 2 < len && (unsigned char)t[q + 1] == 0x82) return 1;
        char w[16];
        size_t n = word_at(t, len, q, w, sizeof w);
        if (n && currency_word(w, n)) return 1;
    }
    return 0;
}

/* Parses an HS-shaped number at t[a] (a digit, not glued to what precedes).
 * Returns the end offset (exclusive) or 0; fills digits/nd and *dotted. */
static size_t parse_code(const char *t, size_t len, size_t a, char *digits, size_t *nd, int *dotted) {
    size_t i = a, run = 0;
    while (i < len && isdigit((unsigned char)t[i])) i++;
    run = i - a;
    *dotted = 0;
    *nd = 0;
    if (run != 4) {
        if (run != 6 && run != 8 && run != 10) return 0;
        if (i < len && (is_alnum_b((unsigned char)t[i]))) return 0;
        if (i + 1 < len && (t[i] == '.' || t[i] == ',') && isdigit((unsigned char)t[i + 1])) return 0;
        memcpy(digits, t + a, run);
        *nd = run;
        digits[run] = 0;
        return i;
    }
    memcpy(digits, t + a, 4);
    *nd = 4;
    size_t end = i;
    char sep = 0;
    while (*nd < 10 && i + 2 < len + 1 && i < len && (t[i] == '.' || t[i] == ' ')) {
        if (sep && t[i] != sep) break;   /* one separator style per code */
        size_t j = i + 1, k = j;
        while (k < len && isdigit((unsigned char)t[k])) k++;
        size_t g = k - j;
        int last_ok = g == 4 && *nd == 6;   /* HTS 8542.31.0001 */
        if (g != 2 && !last_ok) break;
        if (k < len && is_alnum_b((unsigned char)t[k])) break;
        if (*nd + g > 10) break;
        sep = t[i];
        memcpy(digits + *nd, t + j, g);
        *nd += g;
        end = k;
        i = k;
        if (g == 4) break;
    }
    digits[*nd] = 0;
    *dotted = sep == '.';
    if (end < len && is_alnum_b((unsigned char)t[end])) return 0;
    /* glued to a longer number: 8542.31.5, 1234.56,78 */
    if (end + 1 < len && (t[end] == '.' || t[end] == ',') && isdigit((unsigned char)t[end + 1])) return 0;
    if (*nd % 2) return 0;
    return end;
}

size_t cp_goods_find_hs(const cp_goods *g, const char *t, size_t len, cp_hs_mention *out, size_t max) {
    size_t n = 0;
    int ctx = 0;
    size_t ctx_until = 0;   /* context expires at this byte offset */
    enum { CTX_REACH = 48 };
    size_t i = 0;
    while (i < len && n < max) {
        unsigned char c = (unsigned char)t[i];
        if (isdigit(c)) {
            size_t a = i;
            /* glued to a preceding number, letter or sign? (1,234.56 / +7 / DE89...) */
            int glued = a > 0 && (isalnum((unsigned char)t[a - 1]) || t[a - 1] == '+' ||
                                  ((t[a - 1] == '.' || t[a - 1] == ',' || t[a - 1] == '/' || t[a - 1] == '-') &&
                                   a > 1 && isdigit((unsigned char)t[a - 2])));
            char digits[11];
            size_t nd = 0;
            int dotted = 0;
            size_t end = glued ? 0 : parse_code(t, len, a, digits, &nd, &dotted);
            if (!end) {
                while (i < len && (isdigit((unsigned char)t[i]) || t[i] == '.' || t[i] == ',')) i++;
                ctx = 0;
                continue;
            }
            int in_ctx = ctx && a <= ctx_until;
            int accept = 0;
            int chapter = (digits[0] - '0') * 10 + (digits[1] - '0');
            if (chapter >= 1 && chapter <= 97 && chapter != 77) {
                cp_hs_info info;
                cp_goods_hs_lookup(g, digits, nd >= 6 ? 6 : nd, &info);
                if (in_ctx)
                    accept = info.heading_known;
                else
                    accept = dotted && nd >= 6 && info.known && !currency_near(t, len, a, end);
            }
            if (accept) {
                cp_hs_mention *m = &out[n++];
                m->start = (uint32_t)a;
                m->end = (uint32_t)end;
                memcpy(m->digits, digits, nd + 1);
                m->ndigits = (uint8_t)nd;
                m->context = (uint8_t)in_ctx;
                if (in_ctx) ctx_until = end + CTX_REACH;
            } else {
                ctx = 0;
            }
            i = end;
            continue;
        }
        if (isalpha(c) || c >= 0x80) {
            size_t a = i;
            while (i < len && (isalpha((unsigned char)t[i]) || (unsigned char)t[i] >= 0x80 ||
                               ((t[i] == '.' || t[i] == '-') && i + 1 < len && isalpha((unsigned char)t[i + 1]))))
                i++;
            size_t wn = i - a;
            char w[24];
            int ascii = 1;
            for (size_t k = a; k < i; k++)
                if ((unsigned char)t[k] >= 0x80) ascii = 0;
            if (ascii && wn < sizeof w) {
                for (size_t k = 0; k < wn; k++) w[k] = (char)tolower((unsigned char)t[a + k]);
                w[wn] = 0;
                if (hs_keyword(w, wn)) {
                    ctx = 1;
                    ctx_until = i + CTX_REACH;
                } else if (!(ctx && hs_filler(w, wn))) {
                    ctx = 0;
                }
            } else if (hs_keyword_utf8(t + a, wn) ||
                       (wn > 2 && tolower((unsigned char)t[a]) == 'h' && tolower((unsigned char)t[a + 1]) == 's' &&
                        (unsigned char)t[a + 2] >= 0x80)) {
                ctx = 1;
                ctx_until = i + CTX_REACH;
            } else {
                ctx = 0;
            }
            continue;
        }
        if (c == '\n' && i + 1 < len && t[i + 1] == '\n') ctx = 0;   /* a blank line ends a list */
        i++;
    }
    return n;
}

/* ------------------------------------------------------------ terms */

size_t cp_goods_find_terms(const cp_goods *g, cp_ftext *scratch, const char *text, size_t len,
                           cp_goods_term_hit *out, size_t max) {
    if (cp_fold_text(scratch, text, len) < 0) return (size_t)-1;
    cp_phrase_match m[64];
    size_t total = 0;
    size_t got = cp_phrase_scan(&g->dict, scratch, 1, m, max < 64 ? max : 64);
    for (size_t i = 0; i < got && total < max; i++) {
        const cp_ftok *a = &scratch->toks[m[i].tok], *b = &scratch->toks[m[i].tok + m[i].ntok - 1];
        out[total].start = a->start;
        out[total].end = b->end;
        out[total].term = &g->terms[m[i].value];
        total++;
    }
    return total;
}

size_t cp_goods_term_count(const cp_goods *g) { return g->n_terms; }
size_t cp_goods_chpl_count(const cp_goods *g) { return g->n_chpl; }
const char *cp_goods_version(const cp_goods *g) { return g->version; }
