/* Internal helpers of the search (src/match/search.c, search_batch.c),
 * exposed for tests, the fuzzer and the CLI. The public search API is in
 * include/chokepoint.h (cp_searcher, cp_search, cp_results). */
#ifndef CP_MATCH_SEARCH_H
#define CP_MATCH_SEARCH_H
#include "chokepoint.h"
#include <stddef.h>

/* A partial date: year, month (0: unknown), day (0: unknown). A range
 * "YYYY..YYYY" has year2 > 0 (month/day unused). */
typedef struct cp_pdate {
    int year, month, day;
    int year2;
} cp_pdate;

/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD" (ISO 8601 calendar date, reduced
 * precision) and, when allow_range, "YYYY..YYYY". `len` bytes of s, need not
 * be NUL-terminated. Validates month 1-12 and day 1-31; without allow_range
 * (query dates) also the day within its month (2024-02-30 rejected).
 * Returns 0 and fills *d, or -1 on any other text. */
int cp_pdate_parse(const char *s, size_t len, int allow_range, cp_pdate *d);

/* How a query date of birth relates to one listed date of birth. */
typedef enum cp_dob_rel {
    CP_DOB_NONE = 0,      /* nothing comparable */
    CP_DOB_EXACT,         /* same full date */
    CP_DOB_SWAPPED,       /* same year, day and month swapped (1970-03-04 vs 1970-04-03) */
    CP_DOB_MONTH,         /* same year and month, one side without day */
    CP_DOB_YEAR,          /* same year, at least one side year-only (or days differ: see CONTRA) */
    CP_DOB_RANGE,         /* query year inside a listed range */
    CP_DOB_NEAR,          /* year off by one (circa dates, typos): neutral */
    CP_DOB_CONTRA         /* contradicts: different year (by > 1) or same year and different full date */
} cp_dob_rel;

/* Compares query date q with listed date l. Pure function. */
cp_dob_rel cp_dob_compare(const cp_pdate *q, const cp_pdate *l);

/* One line of `chokepoint search --batch`: a name, or
 * name<TAB>schema<TAB>country<TAB>dob with empty fields allowed (trailing
 * fields may be omitted). Fields are copied (NUL-terminated) into buf. */
typedef struct cp_batch_query {
    const char *name;      /* never NULL on success; not empty */
    cp_schema schema;      /* CP_SCHEMA_ANY when empty */
    const char *country;   /* NULL when empty */
    const char *dob;       /* NULL when empty; validated */
} cp_batch_query;

enum { CP_BATCH_LINE_MAX = 4096 };  /* bytes per line, excluding the newline */

/* Parses one batch line (`len` bytes, without its newline; a trailing CR is
 * dropped; need not be NUL-terminated). `buf` (cap bytes, >= len + 4) holds
 * the copied fields. Returns 0, or -1 with err (CP_ERR_FORMAT; err->offset is
 * the byte offset within the line, err->field the field name) for: a line
 * longer than CP_BATCH_LINE_MAX, invalid UTF-8, an empty name, more than 4
 * fields, an unknown schema, a bad date, a NUL byte. Thread-safe. */
int cp_batch_parse_line(const char *line, size_t len, char *buf, size_t cap, cp_batch_query *out,
                        cp_error *err);
#endif
