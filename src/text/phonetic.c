/* phonetic.c: romanization-independent token keys (see phonetic.h). */
#include "text/phonetic.h"
#include <string.h>

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

static int starts(const char *s, size_t len, size_t i, const char *p) {
    size_t n = strlen(p);
    return i + n <= len && memcmp(s + i, p, n) == 0;
}

size_t cp_phonetic_key(const char *s, size_t len, char *out, size_t cap) {
    char tmp[128];
    size_t t = 0, i = 0;
    if (cap < 2) { if (cap) out[0] = '\0'; return 0; }
    if (len > 64) len = 64;
    int digits = len > 0;
    for (size_t k = 0; k < len; k++)
        if (s[k] < '0' || s[k] > '9') { digits = 0; break; }
    if (digits) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
    /* endings -iy/-yy/-ij/-yj/-ii -> i */
    if (len >= 4 && (starts(s, len, len - 2, "iy") || starts(s, len, len - 2, "yy") ||
                     starts(s, len, len - 2, "ij") || starts(s, len, len - 2, "yj") ||
                     starts(s, len, len - 2, "ii")))
        len -= 1;
    while (i < len && t < sizeof tmp - 3) {
        /* iotated vowels at the start or after a vowel */
        if ((i == 0 || is_vowel(s[i - 1])) && i + 1 < len && (s[i] == 'y' || s[i] == 'j' || s[i] == 'i') &&
            (s[i + 1] == 'e' || s[i + 1] == 'u' || s[i + 1] == 'a' || s[i + 1] == 'o')) {
            if (i == 0 || s[i] != 'i') { tmp[t++] = s[i + 1]; i += 2; continue; }
        }
        if (starts(s, len, i, "shch")) { tmp[t++] = 's'; i += 4; continue; }
        if (starts(s, len, i, "tsch")) { tmp[t++] = 'c'; i += 4; continue; }
        if (starts(s, len, i, "dzh")) { tmp[t++] = 'j'; i += 3; continue; }
        if (starts(s, len, i, "sch")) { tmp[t++] = 's'; i += 3; continue; }
        if (starts(s, len, i, "tch")) { tmp[t++] = 'c'; i += 3; continue; }
        if (starts(s, len, i, "sh")) { tmp[t++] = 's'; i += 2; continue; }
        if (starts(s, len, i, "ch") || starts(s, len, i, "cz") || starts(s, len, i, "ts") ||
            starts(s, len, i, "tz")) { tmp[t++] = 'c'; i += 2; continue; }
        if (starts(s, len, i, "zh") || starts(s, len, i, "dj")) { tmp[t++] = 'j'; i += 2; continue; }
        if (starts(s, len, i, "kh")) { tmp[t++] = 'h'; i += 2; continue; }
        if (starts(s, len, i, "ph")) { tmp[t++] = 'f'; i += 2; continue; }
        if (starts(s, len, i, "th")) { tmp[t++] = 't'; i += 2; continue; }
        if (starts(s, len, i, "ck")) { tmp[t++] = 'k'; i += 2; continue; }
        if (starts(s, len, i, "sz")) { tmp[t++] = 's'; i += 2; continue; }
        if (starts(s, len, i, "nt") && i > 0) { tmp[t++] = 't'; i += 2; continue; } /* Greek ντ */
        if (starts(s, len, i, "gy")) { tmp[t++] = 't'; i += 2; continue; } /* Hungarian gy */
        char c = s[i++];
        switch (c) {
        case 'x': tmp[t++] = 'k'; c = 's'; break;
        case 'q': c = 'k'; break;
        case 'w': case 'v': c = 'f'; break;
        case 'd': c = 't'; break;
        case 'z': c = 's'; break;
        case 'p': c = 'b'; break;
        default: break;
        }
        tmp[t++] = c;
    }
    /* drop vowels after the first letter, collapse doubles */
    size_t o = 0;
    for (size_t k = 0; k < t && o < cap - 1; k++) {
        char c = tmp[k];
        if (k == 0) {
            out[o++] = is_vowel(c) ? 'a' : c;
            continue;
        }
        if (is_vowel(c) || c == 'j') {
            if (c == 'j' && !(k > 0 && is_vowel(tmp[k - 1]))) { /* consonantal j (zh) kept */
                if (out[o - 1] != 'j') out[o++] = 'j';
            }
            continue;
        }
        if (out[o - 1] == c) continue;
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}
