/* Plain TSV tables; see tsv.h. */
#include "goods/tsv.h"
#include "core/error.h"
#include <string.h>

/* Reads the next non-comment line into t->f; returns 0 at end. */
static int next_line(cp_tsv *t) {
    while (t->pos < t->len) {
        const char *s = t->data + t->pos;
        const char *nl = memchr(s, '\n', t->len - t->pos);
        size_t ll = nl ? (size_t)(nl - s) : t->len - t->pos;
        t->pos += ll + (nl ? 1 : 0);
        t->line++;
        size_t l = ll;
        if (l && s[l - 1] == '\r') l--;
        if (t->line == 1 && l >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {   /* UTF-8 BOM */
            s += 3;
            l -= 3;
        }
        if (l == 0 || s[0] == '#') continue;
        t->nf = 0;
        size_t a = 0;
        for (size_t i = 0; i <= l; i++) {
            if (i == l || s[i] == '\t') {
                if (t->nf < CP_TSV_MAX_FIELDS) {
                    t->f[t->nf].p = s + a;
                    t->f[t->nf].len = i - a;
                    t->nf++;
                }
                a = i + 1;
            }
        }
        return 1;
    }
    return 0;
}

int cp_tsv_open(cp_tsv *t, const char *data, size_t len, const char *file, const char *const *cols,
                size_t ncols, cp_error *err) {
    memset(t, 0, sizeof *t);
    t->data = data;
    t->len = len;
    t->file = file;
    if (!next_line(t)) {
        cp_error_set(err, CP_ERR_FORMAT, file, t->line, -1, NULL, "no header line (expected columns %s...)",
                     ncols ? cols[0] : "");
        return -1;
    }
    for (size_t i = 0; i < ncols; i++) {
        if (i >= t->nf || !cp_slice_eq(cp_slice_trim(t->f[i]), cols[i])) {
            cp_error_set(err, CP_ERR_FORMAT, file, t->line, -1, cols[i], "header: column %zu must be '%s'",
                         i + 1, cols[i]);
            return -1;
        }
    }
    return 0;
}

int cp_tsv_next(cp_tsv *t, size_t ncols) {
    if (!next_line(t)) return 0;
    for (size_t i = t->nf; i < ncols && i < CP_TSV_MAX_FIELDS; i++) {
        t->f[i].p = "";
        t->f[i].len = 0;
    }
    if (t->nf < ncols) t->nf = ncols < CP_TSV_MAX_FIELDS ? ncols : CP_TSV_MAX_FIELDS;
    for (size_t i = 0; i < t->nf; i++) t->f[i] = cp_slice_trim(t->f[i]);
    return 1;
}
