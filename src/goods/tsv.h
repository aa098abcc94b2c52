/* cp_tsv: the plain tab-separated tables under data/goods, data/geo (no
 * quoting: a field never contains a tab or a newline). Lines starting with
 * '#' and blank lines are comments; the first other line is the header,
 * checked against the expected column names. CRLF is accepted.
 * Not thread-safe; one reader per buffer. */
#ifndef CP_GOODS_TSV_H
#define CP_GOODS_TSV_H
#include "chokepoint.h"
#include "core/csv.h"
#include <stddef.h>

enum { CP_TSV_MAX_FIELDS = 16 };

typedef struct cp_tsv {
    const char *data;
    size_t len, pos;
    long line;                          /* 1-based line of the current row */
    const char *file;                   /* for errors; not owned */
    cp_slice f[CP_TSV_MAX_FIELDS];      /* fields of the current row (pointers into data) */
    size_t nf;
} cp_tsv;

/* Starts reading data[0..len) and checks the header: its first `ncols`
 * columns must be named cols[0..ncols). Returns 0, or -1 with err
 * (CP_ERR_FORMAT naming file, line and the expected column). */
int cp_tsv_open(cp_tsv *t, const char *data, size_t len, const char *file, const char *const *cols,
                size_t ncols, cp_error *err);
/* Next data row into t->f (missing trailing fields are empty slices, up to
 * `ncols`). Returns 1 on a row, 0 at end. Rows with more than
 * CP_TSV_MAX_FIELDS fields keep the first ones. */
int cp_tsv_next(cp_tsv *t, size_t ncols);
#endif
