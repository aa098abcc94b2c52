/* fuzz_normalize: cp_name_prepare + cp_name_score on arbitrary bytes.
 * Input: first byte selects the schema; the rest is split at the first
 * 0x00 byte into two names. Checks: no crash, scores in [0,1], tokens are
 * lower-case ASCII. */
#include "core/arena.h"
#include "match/name.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static cp_normalizer *norm;
    if (!norm) {
        cp_error err;
        norm = cp_normalizer_new(&err);
        if (!norm) abort();
    }
    if (size < 1) return 0;
    cp_schema s = (cp_schema)(data[0] % 5);
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    const char *z = memchr(p, 0, n);
    size_t l1 = z ? (size_t)(z - p) : n;
    const char *p2 = z ? z + 1 : p;
    size_t l2 = z ? n - l1 - 1 : n;
    cp_arena *a = cp_arena_new();
    cp_pname q, c;
    cp_error err;
    if (cp_name_prepare(norm, p, l1, s, a, &q, &err) == 0 && cp_name_prepare(norm, p2, l2, s, a, &c, &err) == 0) {
        for (size_t i = 0; i < q.n_tokens; i++)
            for (const char *t = q.tokens[i]; *t; t++)
                if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9'))) abort();
        cp_name_why why;
        double sc = cp_name_score(&q, &c, s, &why);
        if (!(sc >= 0.0 && sc <= 1.0)) abort();
        char buf[256];
        cp_name_why_format(&why, &q, &c, buf, sizeof buf);
    }
    cp_arena_free(a);
    return 0;
}
