/* The line format of `chokepoint search --batch` (see search.h). */
#include "match/search.h"
#include "core/error.h"
#include "core/utf8.h"
#include <string.h>

static const char *const field_names[4] = {"name", "schema", "country", "dob"};


/* Trims ASCII spaces at both ends of [*b, *e). */
static void trim(const char *line, size_t *b, size_t *e) {
    while (*b < *e && (line[*b] == ' ' || line[*b] == '\t')) (*b)++;
    while (*e > *b && (line[*e - 1] == ' ' || line[*e - 1] == '\t')) (*e)--;
}

int cp_batch_parse_line(const char *line, size_t len, char *buf, size_t cap, cp_batch_query *out,
                        cp_error *err) {
    memset(out, 0, sizeof *out);
    if (!line || !buf) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "batch line: NULL argument");
        return -1;
    }
    if (len && line[len - 1] == '\r') len--;
    if (len > CP_BATCH_LINE_MAX) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, CP_BATCH_LINE_MAX, NULL,
                     "line longer than %d bytes", CP_BATCH_LINE_MAX);
        return -1;
    }
    if (cap < len + 4) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "batch line: buffer too small");
        return -1;
    }
    for (size_t i = 0; i < len;) {
        if (line[i] == 0) {
            cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)i, NULL, "NUL byte in line");
            return -1;
        }
        size_t k = (unsigned char)line[i] < 0x80 ? 1 : cp_utf8_seq_len(line + i, len - i);
        if (!k) {
            cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)i, NULL, "invalid UTF-8");
            return -1;
        }
        i += k;
    }
    /* split on TAB into at most 4 fields */
    size_t fb[4] = {0}, fe[4] = {0}, nf = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (nf == 4) {
                cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)start, NULL,
                             "more than 4 tab-separated fields (want name, schema, country, dob)");
                return -1;
            }
            fb[nf] = start;
            fe[nf] = i;
            nf++;
            start = i + 1;
        }
    }
    const char *vals[4] = {NULL, NULL, NULL, NULL};
    size_t used = 0;
    for (size_t f = 0; f < nf; f++) {
        size_t b = fb[f], e = fe[f];
        trim(line, &b, &e);
        if (b == e) continue;
        memcpy(buf + used, line + b, e - b);
        buf[used + (e - b)] = 0;
        vals[f] = buf + used;
        used += e - b + 1;
    }
    if (!vals[0]) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, 0, field_names[0], "empty name");
        return -1;
    }
    out->name = vals[0];
    out->schema = CP_SCHEMA_ANY;
    if (vals[1]) {
        int sc = cp_schema_parse(vals[1]);
        if (sc < 0) {
            cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)fb[1], field_names[1],
                         "unknown schema \"%.40s\" (want person, organization, vessel, aircraft, any)", vals[1]);
            return -1;
        }
        out->schema = (cp_schema)sc;
    }
    out->country = vals[2];
    if (vals[3]) {
        cp_pdate d;
        if (cp_pdate_parse(vals[3], strlen(vals[3]), 0, &d) != 0) {
            cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)fb[3], field_names[3],
                         "bad date of birth \"%.40s\" (want YYYY, YYYY-MM or YYYY-MM-DD)", vals[3]);
            return -1;
        }
        out->dob = vals[3];
    }
    return 0;
}
