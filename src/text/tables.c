/* tables.c: compiling and matching the name tables (see tables.h). */
#include "text/tables.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/strmap.h"
#include <stdlib.h>
#include <string.h>

enum { TT_MAX_SPAN = 8, TT_LINE_MAX = 8192, TT_KEY_MAX = 512 };

typedef struct tt_table {
    cp_strmap *phrases; /* normalized phrase -> index in canon */
    cp_strmap *heads;   /* first word of a multi-word phrase -> max span */
    const char **canon;
    size_t n_canon, cap_canon;
    size_t max_span;
} tt_table;

struct cp_text_tables {
    cp_arena *arena;
    tt_table t[CP_TT_N];
};

static void table_clear(tt_table *t) {
    cp_strmap_free(t->phrases);
    cp_strmap_free(t->heads);
    free(t->canon);
    memset(t, 0, sizeof *t);
}

void cp_text_tables_free(cp_text_tables *tt) {
    if (!tt) return;
    for (int k = 0; k < CP_TT_N; k++) table_clear(&tt->t[k]);
    cp_arena_free(tt->arena);
    free(tt);
}

/* Joins words w[0..n) of `ws` with single spaces into key; returns length. */
static size_t join_words(const cp_words *ws, size_t from, size_t n, char *key, size_t cap) {
    size_t k = 0;
    for (size_t i = from; i < from + n; i++) {
        size_t l = ws->len[i];
        if (k + l + 2 > cap) break;
        if (i > from) key[k++] = ' ';
        memcpy(key + k, ws->buf + ws->off[i], l);
        k += l;
    }
    key[k] = '\0';
    return k;
}

/* Replaces table `kind` with the entries of `text` (len bytes; `file` names
 * it in errors), normalized with `t`. Returns 0 or -1 with err (CP_ERR_NOMEM,
 * or CP_ERR_FORMAT naming the line of the bad entry). */
static int cp_text_tables_load(cp_text_tables *tt, cp_tt_kind kind, const char *text, size_t len,
                               const char *file, cp_text_norm *t, cp_error *err) {
    tt_table *tb = &tt->t[kind];
    table_clear(tb);
    tb->phrases = cp_strmap_new();
    tb->heads = cp_strmap_new();
    if (!tb->phrases || !tb->heads) goto nomem;
    size_t pos = 0;
    long line = 0;
    cp_words ws;
    char key[TT_KEY_MAX];
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n') end++;
        line++;
        const char *ln = text + pos;
        size_t ll = end - pos;
        pos = end + 1;
        if (ll && ln[ll - 1] == '\r') ll--;
        if (ll == 0 || ln[0] == '#') continue;
        if (ll > TT_LINE_MAX) {
            cp_error_set(err, CP_ERR_FORMAT, file, line, -1, NULL, "line longer than %d bytes",
                         TT_LINE_MAX);
            return -1;
        }
        /* fields */
        size_t f0 = 0, field = 0;
        uint32_t canon_idx = 0;
        for (size_t i = 0; i <= ll; i++) {
            if (i < ll && ln[i] != '\t') continue;
            if (i == f0) {
                cp_error_set(err, CP_ERR_FORMAT, file, line, -1, NULL, "empty field %zu", field + 1);
                return -1;
            }
            if (cp_text_words(t, ln + f0, i - f0, TT_LINE_MAX, &ws, err) != 0) return -1;
            if (ws.n == 0 || ws.n > TT_MAX_SPAN) {
                cp_error_set(err, CP_ERR_FORMAT, file, line, -1, NULL,
                             "field %zu '%.*s' normalizes to %zu words (1..%d allowed)", field + 1,
                             (int)(i - f0), ln + f0, ws.n, TT_MAX_SPAN);
                return -1;
            }
            size_t kl = join_words(&ws, 0, ws.n, key, sizeof key);
            if (field == 0) {
                if (tb->n_canon == tb->cap_canon) {
                    size_t nc = tb->cap_canon ? tb->cap_canon * 2 : 64;
                    const char **p = realloc(tb->canon, nc * sizeof *p);
                    if (!p) goto nomem;
                    tb->canon = p;
                    tb->cap_canon = nc;
                }
                const char *c = cp_arena_strndup(tt->arena, key, kl);
                if (!c) goto nomem;
                canon_idx = (uint32_t)tb->n_canon;
                tb->canon[tb->n_canon++] = c;
            }
            uint32_t old;
            if (!cp_strmap_get(tb->phrases, key, kl, &old)) {
                if (cp_strmap_put(tb->phrases, key, kl, canon_idx) != 0) goto nomem;
            }
            if (ws.n > tb->max_span) tb->max_span = ws.n;
            if (ws.n > 1) {
                uint32_t span = 0;
                const char *w0 = ws.buf + ws.off[0];
                cp_strmap_get(tb->heads, w0, ws.len[0], &span);
                if (ws.n > span && cp_strmap_put(tb->heads, w0, ws.len[0], (uint32_t)ws.n) != 0) goto nomem;
            }
            f0 = i + 1;
            field++;
        }
    }
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, file, 0, -1, NULL, "out of memory");
    return -1;
}

cp_text_tables *cp_text_tables_new(cp_text_norm *t, cp_error *err) {
    cp_text_tables *tt = calloc(1, sizeof *tt);
    if (!tt || !(tt->arena = cp_arena_new())) {
        free(tt);
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    for (int k = 0; k < CP_TT_N; k++) {
        const cp_text_table_src *s = &cp_text_table_srcs[k];
        if (cp_text_tables_load(tt, (cp_tt_kind)k, s->text, s->len, s->file, t, err) != 0) {
            cp_text_tables_free(tt);
            return NULL;
        }
    }
    return tt;
}

size_t cp_text_tables_match(const cp_text_tables *tt, cp_tt_kind kind, const char *const *w,
                            const uint8_t *lens, size_t n, size_t i, const char **canon) {
    const tt_table *tb = &tt->t[kind];
    if (!tb->phrases || i >= n) return 0;
    uint32_t span = 1, idx;
    cp_strmap_get(tb->heads, w[i], lens[i], &span);
    if (span > n - i) span = (uint32_t)(n - i);
    char key[TT_KEY_MAX];
    for (size_t L = span; L >= 1; L--) {
        size_t k = 0;
        int fits = 1;
        for (size_t j = i; j < i + L; j++) {
            if (k + lens[j] + 2 > sizeof key) { fits = 0; break; }
            if (j > i) key[k++] = ' ';
            memcpy(key + k, w[j], lens[j]);
            k += lens[j];
        }
        if (fits && cp_strmap_get(tb->phrases, key, k, &idx)) {
            if (canon) *canon = tb->canon[idx];
            return L;
        }
    }
    return 0;
}
