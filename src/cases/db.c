/* Case store backends: dispatch and the shared result type. Contracts in
 * db.h. */
#include "cases/db.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

int cp_db_is_pg(const char *target) {
    return target && (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

cp_db *cp_db_open(const char *target, cp_error *err) {
    return cp_db_is_pg(target) ? cp_db_pg_open(target, err) : cp_db_sqlite_open(target, err);
}

cp_dbres *cp_dbres_new(size_t cols) {
    cp_dbres *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->cols = cols;
    if (cols && !(r->names = calloc(cols, sizeof *r->names))) {
        free(r);
        return NULL;
    }
    return r;
}

int cp_dbres_set_name(cp_dbres *r, size_t col, const char *name) {
    free(r->names[col]);
    r->names[col] = strdup(name ? name : "");
    return r->names[col] ? 0 : -1;
}

long cp_dbres_add_row(cp_dbres *r) {
    if (r->rows == r->cap_rows) {
        size_t nc = r->cap_rows ? r->cap_rows * 2 : 8;
        cp_dbcell *c = realloc(r->cells, nc * (r->cols ? r->cols : 1) * sizeof *c);
        if (!c) return -1;
        r->cells = c;
        r->cap_rows = nc;
    }
    memset(r->cells + r->rows * r->cols, 0, r->cols * sizeof *r->cells);
    return (long)r->rows++;
}

cp_dbcell *cp_dbres_cell(cp_dbres *r, size_t row, size_t col) { return &r->cells[row * r->cols + col]; }

void cp_dbres_free(cp_dbres *r) {
    if (!r) return;
    for (size_t i = 0; i < r->rows * r->cols; i++) free(r->cells[i].s);
    for (size_t i = 0; i < r->cols; i++) free(r->names[i]);
    free(r->names);
    free(r->cells);
    free(r);
}

int64_t cp_dbres_int(const cp_dbres *r, size_t row, size_t col) {
    const cp_dbcell *c = &r->cells[row * r->cols + col];
    switch (c->type) {
    case CP_DBT_INT: return c->i;
    case CP_DBT_REAL: return (int64_t)c->d;
    case CP_DBT_TEXT: return strtoll(c->s, NULL, 10);
    default: return 0;
    }
}

const char *cp_dbres_text(const cp_dbres *r, size_t row, size_t col) {
    const cp_dbcell *c = &r->cells[row * r->cols + col];
    return c->type == CP_DBT_TEXT ? c->s : NULL;
}
