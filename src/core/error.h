/* Error and diagnostics helpers shared by every parser and loader.
 * cp_error is public (include/chokepoint.h); cp_diag collects the problems
 * of one load so that a strict load can fail listing the first ones and a
 * lenient load can skip and count them. Not thread-safe (one per load). */
#ifndef CP_CORE_ERROR_H
#define CP_CORE_ERROR_H
#include "chokepoint.h"
#include <stdarg.h>

/* Fills *err (if err is not NULL). file/field may be NULL; line 0 and
 * offset -1 mean unknown. printf-style message. */
void cp_error_set(cp_error *err, cp_error_code code, const char *file, long line,
                  long offset, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

enum { CP_DIAG_KEEP = 10 };

/* Problems found while loading one list. `errors` are malformed records
 * (fatal unless lenient); `warnings` are reported but never fatal (e.g. OFAC
 * add.csv rows whose ent_num has no primary record). The first CP_DIAG_KEEP of
 * each are kept verbatim. */
typedef struct cp_diag {
    size_t errors, warnings;
    cp_error first_errors[CP_DIAG_KEEP];
    cp_error first_warnings[CP_DIAG_KEEP];
} cp_diag;

/* Records a malformed record (error) or a tolerated anomaly (warning). */
void cp_diag_error(cp_diag *d, const cp_error *e);
void cp_diag_warning(cp_diag *d, const cp_error *e);
/* Convenience: build the cp_error and record it. */
void cp_diag_errorf(cp_diag *d, cp_error_code code, const char *file, long line, long offset,
                    const char *field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void cp_diag_warningf(cp_diag *d, const char *file, long line, long offset, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#endif
