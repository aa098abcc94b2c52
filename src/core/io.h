/* Whole-file reading. Files may be gzip-compressed (the bundled snapshot
 * stores lists as .gz); zlib reads plain files unchanged. */
#ifndef CP_CORE_IO_H
#define CP_CORE_IO_H
#include "chokepoint.h"
#include <stddef.h>

typedef struct cp_bytes {
    char *data;   /* malloc'd, NUL-terminated for convenience (not counted in len) */
    size_t len;   /* bytes */
} cp_bytes;

/* Reads all of `path` (decompressing gzip transparently), at most `max`
 * bytes after decompression (0: 1 GiB). Returns 0, or -1 with err filled
 * (CP_ERR_IO naming the path, or CP_ERR_FORMAT for a corrupt .gz).
 * Free out->data with free(). Thread-safe. */
int cp_read_file(const char *path, size_t max, cp_bytes *out, cp_error *err);

/* SHA-256 (FIPS 180-4, via OpenSSL libcrypto) of a buffer as 64 lowercase
 * hex chars + NUL into hex[65]. Thread-safe. */
void cp_sha256_hex(const void *data, size_t len, char hex[65]);
#endif
