/* Countries, places, jurisdiction sets, BIC/IBAN; see geo.h and docs/geo.md. */
#include "geo/geo.h"
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

struct cp_geo {
    cp_arena *arena;
    cp_country *countries;
    size_t n_countries;
    cp_strmap *code_map;          /* "RU"/"RUS" -> country index */
    cp_geo_place *places;         /* country names first, then places */
    size_t n_places, cap_places;
    cp_phrase_dict dict;          /* folded name -> place index */
    cp_jurisdiction *juris;
    size_t n_juris;
    uint8_t iban_len[26 * 26];    /* by country letters; 0: not in registry */
    char version[65];
};

enum { MAX_ROWS = 100000 };

static char *sdup(cp_arena *a, cp_slice s) { return cp_arena_strndup(a, s.p, s.len); }

static void oom(cp_error *err, const char *file) {
    cp_error_set(err, CP_ERR_NOMEM, file, 0, -1, NULL, "out of memory");
}

static int upper2(const char *s, size_t len, char cc[3]) {
    if (len != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1])) return 0;
    cc[0] = (char)toupper((unsigned char)s[0]);
    cc[1] = (char)toupper((unsigned char)s[1]);
    cc[2] = 0;
    return 1;
}

/* Adds a place/country name; first name wins for a folded phrase. */
static int add_place(cp_geo *g, cp_ftext *scratch, cp_slice name, const char cc[3], cp_slice region,
                     const char *kind, int ambiguous) {
    if (!name.len) return 0;
    if (g->n_places == g->cap_places) {
        size_t nc = g->cap_places ? g->cap_places * 2 : 1024;
        cp_geo_place *n = realloc(g->places, nc * sizeof *n);
        if (!n) return -1;
        g->places = n;
        g->cap_places = nc;
    }
    int rc = cp_phrase_add(&g->dict, scratch, name.p, name.len, (uint32_t)g->n_places);
    if (rc < 0) return -1;
    if (rc != 0) return 0;   /* duplicate or empty: the first entry stays */
    cp_geo_place *p = &g->places[g->n_places++];
    memset(p, 0, sizeof *p);
    p->name = sdup(g->arena, name);
    if (!p->name) return -1;
    memcpy(p->cc, cc, 3);
    if (region.len && region.len < sizeof p->region) memcpy(p->region, region.p, region.len);
    p->kind = kind;
    p->ambiguous = ambiguous;
    return 0;
}

static int load_countries(cp_geo *g, const char *path, const cp_bytes *b, cp_ftext *scratch, cp_error *err) {
    const char *data = b->data;
    size_t len = b->len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    static const char *const want[] = {"ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "CLDR display name",
                                       "official_name_en", "UNTERM English Short", "official_name_ru",
                                       "UNTERM Russian Short", "official_name_cn", "UNTERM Chinese Short"};
    enum { NW = sizeof want / sizeof want[0] };
    size_t col[NW];
    cp_csv r;
    cp_csv_init(&r, data, len, ',', path);
    int rc, header = 1;
    size_t cap = 0, ncols = 0;
    while ((rc = cp_csv_next(&r, err)) != 0) {
        if (rc < 0) goto fail;
        if (header) {
            for (size_t w = 0; w < NW; w++) {
                col[w] = (size_t)-1;
                for (size_t i = 0; i < r.nfields; i++)
                    if (cp_slice_eq(r.fields[i], want[w])) col[w] = i;
                if (col[w] == (size_t)-1) {
                    cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, want[w], "missing column '%s'",
                                 want[w]);
                    goto fail;
                }
            }
            ncols = r.nfields;
            header = 0;
            continue;
        }
        if (r.nfields != ncols) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, NULL, "expected %zu columns, found %zu", ncols,
                         r.nfields);
            goto fail;
        }
        cp_slice a2 = cp_slice_trim(r.fields[col[0]]), a3 = cp_slice_trim(r.fields[col[1]]);
        char cc[3];
        if (!upper2(a2.p, a2.len, cc) || a3.len != 3) {
            cp_error_set(err, CP_ERR_FORMAT, path, r.line, r.offset, "ISO3166-1-Alpha-2",
                         "bad alpha-2/alpha-3 code '%.*s'/'%.*s'", (int)a2.len, a2.p, (int)a3.len, a3.p);
            goto fail;
        }
        if (g->n_countries == cap) {
            cap = cap ? cap * 2 : 256;
            cp_country *n = realloc(g->countries, cap * sizeof *n);
            if (!n) goto nomem;
            g->countries = n;
        }
        cp_country *c = &g->countries[g->n_countries];
        memcpy(c->a2, cc, 3);
        for (int k = 0; k < 3; k++) c->a3[k] = (char)toupper((unsigned char)a3.p[k]);
        c->a3[3] = 0;
        cp_slice nm = cp_slice_trim(r.fields[col[2]]);
        if (!nm.len) nm = cp_slice_trim(r.fields[col[3]]);
        c->name = sdup(g->arena, nm);
        if (!c->name) goto nomem;
        if (cp_strmap_put(g->code_map, c->a2, 2, (uint32_t)g->n_countries) < 0 ||
            cp_strmap_put(g->code_map, c->a3, 3, (uint32_t)g->n_countries) < 0)
            goto nomem;
        g->n_countries++;
        for (size_t w = 2; w < NW; w++) {
            cp_slice s = cp_slice_trim(r.fields[col[w]]);
            /* UNTERM short names end in " (the)" */
            if (s.len > 6 && memcmp(s.p + s.len - 6, " (the)", 6) == 0) s.len -= 6;
            if (add_place(g, scratch, s, cc, (cp_slice){"", 0}, "country", 0) < 0) goto nomem;
        }
    }
    cp_csv_free(&r);
    return 0;
nomem:
    oom(err, path);
fail:
    cp_csv_free(&r);
    return -1;
}

static const cp_country *country_by_code(const cp_geo *g, const char *s, size_t len) {
    char k[4];
    if (len != 2 && len != 3) return NULL;
    for (size_t i = 0; i < len; i++) k[i] = (char)toupper((unsigned char)s[i]);
    uint32_t idx;
    if (!cp_strmap_get(g->code_map, k, len, &idx)) return NULL;
    return &g->countries[idx];
}

/* The country of a variants/places row (column 1: an ISO 3166 alpha-2 code
 * of the countries table), after checking that the name (column 0) is not
 * empty; NULL with err (CP_ERR_FORMAT naming path, line and field) else. */
static const cp_country *row_country(cp_geo *g, const char *path, const cp_tsv *t, cp_error *err) {
    const cp_country *c = t->f[1].len == 2 ? country_by_code(g, t->f[1].p, 2) : NULL;
    if (!c) {
        cp_error_set(err, CP_ERR_FORMAT, path, t->line, -1, "code", "unknown ISO 3166 alpha-2 code '%.*s'",
                     (int)t->f[1].len, t->f[1].p);
        return NULL;
    }
    if (!t->f[0].len) {
        cp_error_set(err, CP_ERR_FORMAT, path, t->line, -1, "name", "empty name");
        return NULL;
    }
    return c;
}

static int load_variants(cp_geo *g, const char *path, const cp_bytes *b, cp_ftext *scratch, cp_error *err) {
    static const char *const cols[] = {"name", "code", "flags", "note"};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 4, err) < 0) return -1;
    while (cp_tsv_next(&t, 4)) {
        const cp_country *c = row_country(g, path, &t, err);
        if (!c) return -1;
        int amb = cp_slice_eq(t.f[2], "ambiguous");
        if (t.f[2].len && !amb) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "flags", "unknown flag '%.*s' (ambiguous or empty)",
                         (int)t.f[2].len, t.f[2].p);
            return -1;
        }
        if (add_place(g, scratch, t.f[0], c->a2, (cp_slice){"", 0}, "country", amb) < 0) {
            oom(err, path);
            return -1;
        }
    }
    return 0;
}

static int load_places(cp_geo *g, const char *path, const cp_bytes *b, cp_ftext *scratch, cp_error *err) {
    static const char *const cols[] = {"name", "code", "region", "kind", "flags", "note"};
    static const char *const kinds[] = {"city", "port", "region", NULL};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 6, err) < 0) return -1;
    while (cp_tsv_next(&t, 6)) {
        const cp_country *c = row_country(g, path, &t, err);
        if (!c) return -1;
        if (t.f[2].len && (t.f[2].len > 6 || t.f[2].len < 4 || memcmp(t.f[2].p, c->a2, 2) != 0 || t.f[2].p[2] != '-')) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "region",
                         "region must be an ISO 3166-2 code of %s (e.g. %s-43): '%.*s'", c->a2, c->a2,
                         (int)t.f[2].len, t.f[2].p);
            return -1;
        }
        const char *kind = NULL;
        for (int k = 0; kinds[k]; k++)
            if (cp_slice_eq(t.f[3], kinds[k])) kind = kinds[k];
        if (!kind) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "kind", "kind must be city, port or region: '%.*s'",
                         (int)t.f[3].len, t.f[3].p);
            return -1;
        }
        int amb = cp_slice_eq(t.f[4], "ambiguous");
        if (t.f[4].len && !amb) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "flags", "unknown flag '%.*s'", (int)t.f[4].len,
                         t.f[4].p);
            return -1;
        }
        if (add_place(g, scratch, t.f[0], c->a2, t.f[2], kind, amb) < 0) {
            oom(err, path);
            return -1;
        }
    }
    return 0;
}

static int load_juris(cp_geo *g, const char *path, const cp_bytes *b, cp_error *err) {
    static const char *const cols[] = {"set", "code", "name", "status", "source"};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 5, err) < 0) return -1;
    size_t cap = 0;
    while (cp_tsv_next(&t, 5)) {
        cp_slice code = t.f[1];
        int ok = (code.len == 2 && country_by_code(g, code.p, 2)) ||
                 (code.len >= 4 && code.len <= 6 && code.p[2] == '-' && country_by_code(g, code.p, 2));
        if (!ok) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "code",
                         "code must be an ISO 3166 alpha-2 or ISO 3166-2 code: '%.*s'", (int)code.len, code.p);
            return -1;
        }
        if (!t.f[0].len || !t.f[4].len) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, !t.f[0].len ? "set" : "source", "empty value");
            return -1;
        }
        if (!cp_slice_eq(t.f[3], "active") && !cp_slice_eq(t.f[3], "partial") && !cp_slice_eq(t.f[3], "lifted")) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "status", "status must be active, partial or lifted");
            return -1;
        }
        if (g->n_juris == cap) {
            cap = cap ? cap * 2 : 64;
            cp_jurisdiction *n = realloc(g->juris, cap * sizeof *n);
            if (!n) goto nomem;
            g->juris = n;
        }
        cp_jurisdiction *j = &g->juris[g->n_juris++];
        j->set = sdup(g->arena, t.f[0]);
        j->code = sdup(g->arena, t.f[1]);
        j->name = sdup(g->arena, t.f[2]);
        j->status = sdup(g->arena, t.f[3]);
        j->source = sdup(g->arena, t.f[4]);
        if (!j->set || !j->code || !j->name || !j->status || !j->source) goto nomem;
    }
    return 0;
nomem:
    oom(err, path);
    return -1;
}

static int load_iban(cp_geo *g, const char *path, const cp_bytes *b, cp_error *err) {
    static const char *const cols[] = {"code", "length"};
    cp_tsv t;
    if (cp_tsv_open(&t, b->data, b->len, path, cols, 2, err) < 0) return -1;
    while (cp_tsv_next(&t, 2)) {
        char cc[3];
        if (!upper2(t.f[0].p, t.f[0].len, cc)) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "code", "bad country code '%.*s'", (int)t.f[0].len,
                         t.f[0].p);
            return -1;
        }
        int n = 0;
        for (size_t i = 0; i < t.f[1].len; i++) {
            if (!isdigit((unsigned char)t.f[1].p[i]) || n > 100) {
                n = -1;
                break;
            }
            n = n * 10 + (t.f[1].p[i] - '0');
        }
        if (n < 15 || n > 34) {
            cp_error_set(err, CP_ERR_FORMAT, path, t.line, -1, "length", "IBAN length must be 15..34: '%.*s'",
                         (int)t.f[1].len, t.f[1].p);
            return -1;
        }
        g->iban_len[(cc[0] - 'A') * 26 + (cc[1] - 'A')] = (uint8_t)n;
    }
    return 0;
}

cp_geo *cp_geo_load(const char *dir, cp_error *err) {
    if (!dir) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "no geo data directory");
        return NULL;
    }
    static const char *const files[] = {"country-codes.csv", "country_variants.tsv", "places.tsv",
                                        "jurisdictions.tsv", "iban_lengths.tsv"};
    enum { NF = 5 };
    cp_geo *g = calloc(1, sizeof *g);
    cp_bytes b[NF] = {{0}};
    char path[NF][1024];
    cp_ftext scratch = {0};
    if (!g) {
        oom(err, NULL);
        return NULL;
    }
    g->arena = cp_arena_new();
    g->code_map = cp_strmap_new();
    if (!g->arena || !g->code_map || cp_phrase_dict_init(&g->dict) < 0) {
        oom(err, NULL);
        goto fail;
    }
    for (int i = 0; i < NF; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, files[i]);
        if (cp_read_file(path[i], 16u << 20, &b[i], err) < 0) goto fail;
    }
    if (load_countries(g, path[0], &b[0], &scratch, err) < 0 || load_variants(g, path[1], &b[1], &scratch, err) < 0 ||
        load_places(g, path[2], &b[2], &scratch, err) < 0 || load_juris(g, path[3], &b[3], err) < 0 ||
        load_iban(g, path[4], &b[4], err) < 0)
        goto fail;
    {
        size_t total = 0, o = 0;
        for (int i = 0; i < NF; i++) total += b[i].len;
        char *all = malloc(total + 1);
        if (!all) {
            oom(err, NULL);
            goto fail;
        }
        for (int i = 0; i < NF; i++) {
            memcpy(all + o, b[i].data, b[i].len);
            o += b[i].len;
        }
        cp_sha256_hex(all, total, g->version);
        free(all);
    }
    for (int i = 0; i < NF; i++) free(b[i].data);
    cp_ftext_free(&scratch);
    return g;
fail:
    for (int i = 0; i < NF; i++) free(b[i].data);
    cp_ftext_free(&scratch);
    cp_geo_free(g);
    return NULL;
}

void cp_geo_free(cp_geo *g) {
    if (!g) return;
    free(g->countries);
    free(g->places);
    free(g->juris);
    cp_strmap_free(g->code_map);
    cp_phrase_dict_free(&g->dict);
    cp_arena_free(g->arena);
    free(g);
}

const cp_country *cp_geo_country(const cp_geo *g, const char *code, size_t len) {
    return country_by_code(g, code, len);
}

const cp_country *cp_geo_country_lookup(const cp_geo *g, cp_ftext *scratch, const char *s, size_t len) {
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1])) len--;
    const cp_country *c = country_by_code(g, s, len);
    if (c) return c;
    if (cp_fold_text(scratch, s, len) < 0 || scratch->n == 0) return NULL;
    uint32_t idx;
    if (!cp_strmap_get(g->dict.phrases, scratch->buf, scratch->blen, &idx)) return NULL;
    if (strcmp(g->places[idx].kind, "country") != 0) return NULL;
    return country_by_code(g, g->places[idx].cc, 2);
}

static int is_latin_token(const char *s, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++)
        if ((unsigned char)s[i] >= 0x80 && (unsigned char)s[i] < 0xC0) continue;   /* continuation */
        else if ((unsigned char)s[i] >= 0xD0) return 0;   /* Cyrillic and beyond */
    return 1;
}

size_t cp_geo_find_places(const cp_geo *g, cp_ftext *scratch, const char *text, size_t len, cp_place_hit *out,
                          size_t max) {
    if (cp_fold_text(scratch, text, len) < 0) return (size_t)-1;
    cp_phrase_match m[64];
    size_t got = cp_phrase_scan(&g->dict, scratch, 0, m, 64), n = 0;
    for (size_t i = 0; i < got && n < max; i++) {
        const cp_ftok *a = &scratch->toks[m[i].tok], *b = &scratch->toks[m[i].tok + m[i].ntok - 1];
        const cp_geo_place *p = &g->places[m[i].value];
        int latin = is_latin_token(text, a->start, a->end);
        if ((p->ambiguous || (latin && !strcmp(p->kind, "country"))) && !a->cap) continue;
        out[n].start = a->start;
        out[n].end = b->end;
        out[n].place = p;
        n++;
    }
    return n;
}

size_t cp_geo_find_address(const cp_geo *g, cp_ftext *scratch, const char *text, size_t len, cp_place_hit *out,
                           size_t max) {
    size_t n = cp_geo_find_places(g, scratch, text, len, out, max);
    if (n == (size_t)-1 || n >= max) return n;
    /* trailing code: the last word, 2-3 upper-case letters, after a comma,
     * a space or a slash ("..., RU", "3/RU/MOSCOW" is the parser's job) */
    size_t e = len;
    while (e > 0 && (isspace((unsigned char)text[e - 1]) || text[e - 1] == '.')) e--;
    size_t a = e;
    while (a > 0 && isalpha((unsigned char)text[a - 1])) a--;
    if ((e - a == 2 || e - a == 3) && a > 0 && (text[a - 1] == ',' || text[a - 1] == ' ' || text[a - 1] == '/')) {
        int upper = 1;
        for (size_t i = a; i < e; i++)
            if (!isupper((unsigned char)text[i])) upper = 0;
        const cp_country *c = upper ? country_by_code(g, text + a, e - a) : NULL;
        if (c) {
            /* find the country's own name entry to point at */
            uint32_t idx;
            if (cp_fold_text(scratch, c->name, strlen(c->name)) == 0 &&
                cp_strmap_get(g->dict.phrases, scratch->buf, scratch->blen, &idx)) {
                int dup = 0;
                for (size_t i = 0; i < n; i++)
                    if (!strcmp(out[i].place->cc, c->a2)) dup = 1;
                if (!dup) {
                    out[n].start = (uint32_t)a;
                    out[n].end = (uint32_t)e;
                    out[n].place = &g->places[idx];
                    n++;
                }
            }
        }
    }
    return n;
}

int cp_geo_bic_country(const cp_geo *g, const char *bic, size_t len, char cc[3]) {
    while (len && isspace((unsigned char)bic[len - 1])) len--;
    while (len && isspace((unsigned char)*bic)) {
        bic++;
        len--;
    }
    if (len != 8 && len != 11) return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)bic[i])) return 0;
    if (!isalpha((unsigned char)bic[4]) || !isalpha((unsigned char)bic[5])) return 0;
    char c[3];
    upper2(bic + 4, 2, c);
    if (!country_by_code(g, c, 2) && strcmp(c, "XK") != 0) return 0;
    memcpy(cc, c, 3);
    return 1;
}

cp_iban_status cp_geo_iban_check(const cp_geo *g, const char *s, size_t len, char cc[3]) {
    char buf[40];
    size_t n = 0;
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i < len && s[i] == '/') i++;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ') continue;
        if (!isalnum(c)) {
            if (n >= 4) return CP_IBAN_BAD_CHARS;
            return CP_IBAN_NOT_IBAN;
        }
        if (n >= sizeof buf - 1) return n >= 4 ? CP_IBAN_BAD_LENGTH : CP_IBAN_NOT_IBAN;
        buf[n++] = (char)toupper(c);
    }
    buf[n] = 0;
    if (n < 4 || !isalpha((unsigned char)buf[0]) || !isalpha((unsigned char)buf[1]) ||
        !isdigit((unsigned char)buf[2]) || !isdigit((unsigned char)buf[3]))
        return CP_IBAN_NOT_IBAN;
    uint8_t want = g->iban_len[(buf[0] - 'A') * 26 + (buf[1] - 'A')];
    if (!want) return CP_IBAN_NOT_IBAN;
    cc[0] = buf[0];
    cc[1] = buf[1];
    cc[2] = 0;
    if (n != want) return CP_IBAN_BAD_LENGTH;
    /* ISO 7064 MOD 97-10: move the first four characters to the end, letters
     * A..Z -> 10..35, the number mod 97 must be 1. */
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = buf[(k + 4) % n];
        if (isdigit((unsigned char)c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return rem == 1 ? CP_IBAN_OK : CP_IBAN_BAD_CHECKSUM;
}

const char *cp_iban_status_text(cp_iban_status st) {
    switch (st) {
    case CP_IBAN_OK: return "valid IBAN";
    case CP_IBAN_NOT_IBAN: return "not an IBAN";
    case CP_IBAN_BAD_CHARS: return "IBAN contains invalid characters";
    case CP_IBAN_BAD_LENGTH: return "IBAN has the wrong length for its country (ISO 13616 registry)";
    case CP_IBAN_BAD_CHECKSUM: return "IBAN check digits are wrong (ISO 7064 MOD 97-10)";
    }
    return "?";
}

const cp_jurisdiction *cp_geo_jurisdiction(const cp_geo *g, const char *set, const char *cc, const char *region) {
    const cp_jurisdiction *country_row = NULL;
    for (size_t i = 0; i < g->n_juris; i++) {
        const cp_jurisdiction *j = &g->juris[i];
        if (strcmp(j->set, set) != 0) continue;
        if (region && *region && !strcmp(j->code, region)) return j;
        if (cc && !strcmp(j->code, cc)) country_row = j;
    }
    return country_row;
}

int cp_geo_set_exists(const cp_geo *g, const char *set) {
    for (size_t i = 0; i < g->n_juris; i++)
        if (!strcmp(g->juris[i].set, set)) return 1;
    return 0;
}

int cp_imo_valid(const char *d) {
    for (int i = 0; i < 7; i++)
        if (d[i] < '0' || d[i] > '9') return 0;
    int sum = 0;
    for (int i = 0; i < 6; i++) sum += (d[i] - '0') * (7 - i);
    return sum % 10 == d[6] - '0';
}

const char *cp_geo_version(const cp_geo *g) { return g->version; }
