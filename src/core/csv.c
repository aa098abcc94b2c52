#include "core/csv.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

void cp_csv_init(cp_csv *r, const char *data, size_t len, char delim, const char *file) {
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->delim = delim;
    r->next_line = 1;
    r->file = file;
}

void cp_csv_free(cp_csv *r) {
    free(r->fields);
    free(r->scratch);
    free(r->starts);
    r->fields = NULL;
    r->scratch = NULL;
    r->starts = NULL;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* Skip to just after the next newline (resync after an error). */
static void skip_line(cp_csv *r) {
    while (r->pos < r->len && r->data[r->pos] != '\n') r->pos++;
    if (r->pos < r->len) { r->pos++; r->next_line++; }
}

int cp_csv_next(cp_csv *r, cp_error *err) {
    const char *d = r->data;
    /* skip blank lines */
    while (r->pos < r->len && (d[r->pos] == '\n' || d[r->pos] == '\r')) {
        if (d[r->pos] == '\n') r->next_line++;
        r->pos++;
    }
    r->nfields = 0;
    if (r->pos >= r->len) return 0;
    r->line = r->next_line;
    r->offset = (long)r->pos;
    size_t slen = 0, fcount = 0;
    size_t scap = r->scap;
    for (;;) { /* one field per iteration */
        size_t old = r->fcap;
        if (grow((void **)&r->fields, &r->fcap, fcount + 1, sizeof(cp_slice)) < 0) goto nomem;
        if (r->fcap != old || !r->starts) { /* starts[] has the capacity of fields[] */
            size_t *ns = realloc(r->starts, r->fcap * sizeof(size_t));
            if (!ns) goto nomem;
            r->starts = ns;
        }
        r->starts[fcount] = slen;
        size_t flen_start = slen;
        if (r->pos < r->len && d[r->pos] == '"') {
            long qoff = (long)r->pos;
            long qline = r->next_line;
            r->pos++;
            for (;;) {
                if (r->pos >= r->len) {
                    cp_error_set(err, CP_ERR_FORMAT, r->file, qline, qoff, NULL,
                                 "field %zu: unterminated quoted field (input ends inside quotes)",
                                 fcount + 1);
                    r->pos = r->len;
                    return -1;
                }
                char c = d[r->pos];
                if (c == '"') {
                    if (r->pos + 1 < r->len && d[r->pos + 1] == '"') {
                        c = '"';
                        r->pos += 2;
                    } else {
                        r->pos++;
                        break;
                    }
                } else {
                    if (c == '\n') r->next_line++;
                    r->pos++;
                }
                if (slen + 1 > scap) {
                    if (grow((void **)&r->scratch, &r->scap, slen + 1, 1) < 0) goto nomem;
                    scap = r->scap;
                }
                r->scratch[slen++] = c;
            }
            if (r->pos < r->len && d[r->pos] != r->delim && d[r->pos] != '\n' &&
                !(d[r->pos] == '\r' && (r->pos + 1 >= r->len || d[r->pos + 1] == '\n'))) {
                cp_error_set(err, CP_ERR_FORMAT, r->file, r->next_line, (long)r->pos, NULL,
                             "field %zu: unexpected character after closing quote", fcount + 1);
                skip_line(r);
                return -1;
            }
        } else {
            while (r->pos < r->len) {
                char c = d[r->pos];
                if (c == r->delim || c == '\n') break;
                if (c == '\r' && (r->pos + 1 >= r->len || d[r->pos + 1] == '\n')) break;
                if (c == '"') {
                    cp_error_set(err, CP_ERR_FORMAT, r->file, r->next_line, (long)r->pos, NULL,
                                 "field %zu: quote inside an unquoted field", fcount + 1);
                    skip_line(r);
                    return -1;
                }
                if (slen + 1 > scap) {
                    if (grow((void **)&r->scratch, &r->scap, slen + 1, 1) < 0) goto nomem;
                    scap = r->scap;
                }
                r->scratch[slen++] = c;
                r->pos++;
            }
        }
        r->fields[fcount].len = slen - flen_start;
        fcount++;
        if (r->pos < r->len && d[r->pos] == r->delim) {
            r->pos++;
            continue;
        }
        /* end of record */
        if (r->pos < r->len && d[r->pos] == '\r') r->pos++;
        if (r->pos < r->len && d[r->pos] == '\n') {
            r->pos++;
            r->next_line++;
        }
        break;
    }
    for (size_t i = 0; i < fcount; i++) r->fields[i].p = r->scratch ? r->scratch + r->starts[i] : "";
    r->nfields = fcount;
    return 1;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, r->file, r->line, r->offset, NULL, "out of memory");
    r->pos = r->len;
    return -1;
}

int cp_slice_eq(cp_slice a, const char *s) {
    size_t n = strlen(s);
    return a.len == n && memcmp(a.p, s, n) == 0;
}

cp_slice cp_slice_trim(cp_slice a) {
    while (a.len && (a.p[0] == ' ' || a.p[0] == '\t')) { a.p++; a.len--; }
    while (a.len && (a.p[a.len - 1] == ' ' || a.p[a.len - 1] == '\t')) a.len--;
    return a;
}
