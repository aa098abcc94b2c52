#include "core/utf8.h"

size_t cp_utf8_seq_len(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) k = 1;
    else if (c == 0xE0) { k = 2; lo = 0xA0; }            /* no overlong 3-byte forms */
    else if (c >= 0xE1 && c <= 0xEC) k = 2;
    else if (c == 0xED) { k = 2; hi = 0x9F; }            /* no UTF-16 surrogates */
    else if (c >= 0xEE && c <= 0xEF) k = 2;
    else if (c == 0xF0) { k = 3; lo = 0x90; }            /* no overlong 4-byte forms */
    else if (c >= 0xF1 && c <= 0xF3) k = 3;
    else if (c == 0xF4) { k = 3; hi = 0x8F; }            /* at most U+10FFFF */
    else return 0;
    if (n <= k || p[1] < lo || p[1] > hi) return 0;
    for (size_t j = 2; j <= k; j++)
        if ((p[j] & 0xC0u) != 0x80u) return 0;
    return k + 1;
}

size_t cp_utf8_invalid_at(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = cp_utf8_seq_len(s + i, len - i);
        if (!k) return i;
        i += k;
    }
    return len;
}
