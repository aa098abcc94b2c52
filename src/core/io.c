#include "core/io.h"
#include "core/error.h"
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int cp_read_file(const char *path, size_t max, cp_bytes *out, cp_error *err) {
    out->data = NULL;
    out->len = 0;
    if (!max) max = (size_t)1 << 30;
    gzFile f = gzopen(path, "rb");
    if (!f) {
        cp_error_set(err, CP_ERR_IO, path, 0, -1, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    gzbuffer(f, 1u << 17);
    size_t cap = 1u << 16, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) goto nomem;
    for (;;) {
        if (len == cap) {
            if (cap >= max) {
                cp_error_set(err, CP_ERR_IO, path, 0, (long)len, NULL,
                             "file larger than the limit of %zu bytes", max);
                goto fail;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) goto nomem;
            buf = nb;
        }
        size_t want = cap - len;
        if (want > (1u << 30)) want = 1u << 30;
        int n = gzread(f, buf + len, (unsigned)want);
        if (n < 0) {
            int zerr;
            const char *msg = gzerror(f, &zerr);
            cp_error_set(err, zerr == Z_ERRNO ? CP_ERR_IO : CP_ERR_FORMAT, path, 0, (long)len, NULL,
                         "read failed: %s", zerr == Z_ERRNO ? strerror(errno) : msg);
            goto fail;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    /* A truncated .gz reads as EOF with Z_BUF_ERROR pending. */
    int zerr;
    const char *msg = gzerror(f, &zerr);
    if (zerr != Z_OK && zerr != Z_STREAM_END) {
        cp_error_set(err, CP_ERR_FORMAT, path, 0, (long)len, NULL, "corrupt or truncated gzip: %s", msg);
        goto fail;
    }
    gzclose(f);
    buf[len] = '\0';
    out->data = buf;
    out->len = len;
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
fail:
    free(buf);
    gzclose(f);
    return -1;
}

void cp_sha256_hex(const void *data, size_t len, char hex[65]) {
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}
