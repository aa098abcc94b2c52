#include "core/error.h"
#include <stdio.h>
#include <string.h>

static void copy_str(char *dst, size_t cap, const char *src) {
    if (!src) { dst[0] = '\0'; return; }
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void error_vset(cp_error *err, cp_error_code code, const char *file, long line, long offset,
                       const char *field, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));
static void error_vset(cp_error *err, cp_error_code code, const char *file, long line, long offset,
                       const char *field, const char *fmt, va_list ap) {
    err->code = code;
    copy_str(err->file, sizeof err->file, file);
    copy_str(err->field, sizeof err->field, field);
    err->line = line;
    err->offset = offset;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

void cp_error_set(cp_error *err, cp_error_code code, const char *file, long line, long offset,
                  const char *field, const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, file, line, offset, field, fmt, ap);
    va_end(ap);
}

const char *cp_error_format(const cp_error *err, char *buf, size_t size) {
    if (!size) return buf;
    size_t n = 0;
    buf[0] = '\0';
#define CP_APPEND(...)                                                        \
    do {                                                                      \
        if (n < size) {                                                       \
            int w_ = snprintf(buf + n, size - n, __VA_ARGS__);                \
            if (w_ > 0) n += (size_t)w_;                                      \
        }                                                                     \
    } while (0)
    if (err->file[0]) CP_APPEND("%s", err->file);
    if (err->line > 0) CP_APPEND(":%ld", err->line);
    if (err->offset >= 0 && err->file[0]) CP_APPEND(" (byte %ld)", err->offset);
    if (err->file[0] || err->line > 0) CP_APPEND(": ");
    if (err->field[0]) CP_APPEND("field %s: ", err->field);
    CP_APPEND("%s", err->message);
#undef CP_APPEND
    return buf;
}

void cp_diag_error(cp_diag *d, const cp_error *e) {
    if (d->errors < CP_DIAG_KEEP) d->first_errors[d->errors] = *e;
    d->errors++;
}

void cp_diag_warning(cp_diag *d, const cp_error *e) {
    if (d->warnings < CP_DIAG_KEEP) d->first_warnings[d->warnings] = *e;
    d->warnings++;
}

void cp_diag_errorf(cp_diag *d, cp_error_code code, const char *file, long line, long offset,
                    const char *field, const char *fmt, ...) {
    cp_error e;
    va_list ap;
    va_start(ap, fmt);
    error_vset(&e, code, file, line, offset, field, fmt, ap);
    va_end(ap);
    cp_diag_error(d, &e);
}

void cp_diag_warningf(cp_diag *d, const char *file, long line, long offset, const char *field,
                      const char *fmt, ...) {
    cp_error e;
    va_list ap;
    va_start(ap, fmt);
    error_vset(&e, CP_ERR_FORMAT, file, line, offset, field, fmt, ap);
    va_end(ap);
    cp_diag_warning(d, &e);
}
