/* cp_csv: a strict RFC 4180 record reader over an in-memory buffer, used by
 * every CSV/TSV list loader (OFAC legacy CSV, UK OFSI ConList, US CSL, BIS
 * DPL). Quoted fields may span lines and escape quotes as "". CRLF and LF
 * both end a record. Broken quoting (text after a closing quote, a quote
 * inside an unquoted field, an unterminated quote) is an error naming the
 * line and byte offset; the reader then resynchronises at the next line.
 * Not thread-safe; one reader per buffer. */
#ifndef CP_CORE_CSV_H
#define CP_CORE_CSV_H
#include "chokepoint.h"
#include <stddef.h>

typedef struct cp_slice {
    const char *p;   /* not NUL-terminated in general */
    size_t len;      /* bytes */
} cp_slice;

typedef struct cp_csv {
    const char *data;
    size_t len, pos;
    char delim;
    long line;          /* 1-based line where the current record starts */
    long offset;        /* byte offset where the current record starts */
    long next_line;
    cp_slice *fields;   /* fields of the current record, valid until the next call */
    size_t nfields, fcap;
    char *scratch;      /* unescaped field bytes */
    size_t scap;
    size_t *starts;     /* scratch offsets while the record is built */
    const char *file;   /* for error messages; not owned */
} cp_csv;

/* Starts reading `len` bytes of `data` (not copied; must outlive the reader).
 * `file` names the source in errors. */
void cp_csv_init(cp_csv *r, const char *data, size_t len, char delim, const char *file);
/* Reads the next record into r->fields/r->nfields. Returns 1 on a record,
 * 0 at end of input, -1 on a malformed record (err filled with file, line,
 * byte offset and field number; the next call continues after it). Blank
 * lines are skipped. Field bytes are returned as-is (no charset check). */
int cp_csv_next(cp_csv *r, cp_error *err);
/* Releases the reader's buffers (not the data). */
void cp_csv_free(cp_csv *r);
/* 1 if the slice equals the NUL-terminated string s. */
int cp_slice_eq(cp_slice a, const char *s);
/* The slice without leading/trailing ASCII spaces and tabs. */
cp_slice cp_slice_trim(cp_slice a);
#endif
