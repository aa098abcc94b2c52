#include "lists/loader_util.h"
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char up(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }

static int all_digits(const char *s, size_t n) {
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

/* Month number 1..12 for an English 3-letter abbreviation (case-insensitive). */
static int month_of(const char *s, size_t n) {
    static const char *const m[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    if (n < 3) return 0;
    for (int i = 0; i < 12; i++)
        if (up(s[0]) == m[i][0] && up(s[1]) == m[i][1] && up(s[2]) == m[i][2]) return i + 1;
    return 0;
}

static size_t put(char *out, size_t at, const char *s, size_t n) {
    if (at + n >= CP_LU_DATE_MAX) return (size_t)-1;
    memcpy(out + at, s, n);
    out[at + n] = '\0';
    return at + n;
}

/* One date without "circa"/range; returns length or 0. */
static size_t one_date(const char *s, size_t len, char *out) {
    while (len && s[0] == ' ') { s++; len--; }
    while (len && s[len - 1] == ' ') len--;
    if (!len) return 0;
    /* ISO: YYYY, YYYY-MM, YYYY-MM-DD */
    if ((len == 4 && all_digits(s, 4)) ||
        (len == 7 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2)) ||
        (len == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
         all_digits(s + 8, 2)))
        return put(out, 0, s, len) == (size_t)-1 ? 0 : len;
    /* MM/DD/YYYY (US) */
    if (len == 10 && all_digits(s, 2) && s[2] == '/' && all_digits(s + 3, 2) && s[5] == '/' &&
        all_digits(s + 6, 4)) {
        char b[11] = {s[6], s[7], s[8], s[9], '-', s[0], s[1], '-', s[3], s[4], 0};
        return put(out, 0, b, 10) == (size_t)-1 ? 0 : 10;
    }
    /* [D]D Mon YYYY  |  Mon YYYY */
    size_t i = 0, day = 0, dlen = 0;
    while (i < len && is_digit(s[i]) && dlen < 2) { day = day * 10 + (size_t)(s[i] - '0'); i++; dlen++; }
    if (dlen) {
        if (i >= len || s[i] != ' ' || day < 1 || day > 31) return 0;
        i++;
    }
    size_t ms = i;
    while (i < len && s[i] != ' ') i++;
    int mon = month_of(s + ms, i - ms);
    if (!mon || i - ms > 9 || i >= len) return 0;
    i++;
    if (len - i != 4 || !all_digits(s + i, 4)) return 0;
    char b[11];
    memcpy(b, s + i, 4);
    b[4] = '-';
    b[5] = (char)('0' + mon / 10);
    b[6] = (char)('0' + mon % 10);
    size_t n = 7;
    if (dlen) {
        b[7] = '-';
        b[8] = (char)('0' + day / 10);
        b[9] = (char)('0' + day % 10);
        n = 10;
    }
    return put(out, 0, b, n) == (size_t)-1 ? 0 : n;
}

size_t cp_lu_date_iso(const char *s, size_t len, char out[CP_LU_DATE_MAX], int *circa) {
    int c = 0;
    out[0] = '\0';
    while (len && s[0] == ' ') { s++; len--; }
    if (len > 6 && up(s[0]) == 'C' && up(s[1]) == 'I' && up(s[2]) == 'R' && up(s[3]) == 'C' &&
        up(s[4]) == 'A' && s[5] == ' ') {
        c = 1;
        s += 6;
        len -= 6;
    }
    if (circa) *circa = c;
    /* range "A to B" */
    for (size_t i = 0; i + 4 <= len; i++) {
        if (memcmp(s + i, " to ", 4) == 0) {
            char a[CP_LU_DATE_MAX], b[CP_LU_DATE_MAX];
            size_t na = one_date(s, i, a), nb = one_date(s + i + 4, len - i - 4, b);
            if (!na || !nb) return 0;
            size_t at = put(out, 0, a, na);
            if (at == (size_t)-1 || (at = put(out, at, "..", 2)) == (size_t)-1 ||
                (at = put(out, at, b, nb)) == (size_t)-1) {
                out[0] = '\0';
                return 0;
            }
            return at;
        }
    }
    return one_date(s, len, out);
}

/* Legal-form and organization words (dots removed, upper case). Sources:
 * common legal forms of the jurisdictions on the BIS lists (US, UK, DE, SE,
 * ES, RU, CN/HK, AE free zones) and organization nouns seen in the DPL. */
static const char *const org_words[] = {
    "LTD", "LIMITED", "LLC", "LLP", "INC", "INCORPORATED", "CO", "CORP", "CORPORATION",
    "COMPANY", "GMBH", "AG", "AB", "SA", "SL", "SARL", "SAS", "SRL", "SPA", "BV", "NV",
    "PLC", "PTE", "PTY", "KG", "JSC", "OJSC", "CJSC", "PJSC", "OOO", "OAO", "ZAO", "PAO",
    "FZE", "FZCO", "FZC", "FZ", "ANSTALT", "GROUP", "TRADING", "TRADE", "INDUSTRIES",
    "INDUSTRY", "ENTERPRISE", "ENTERPRISES", "INTERNATIONAL", "AIR", "AIRLINES",
    "AIRLINE", "AIRWAYS", "AVIATION", "BANK", "HOLDING", "HOLDINGS", "SERVICES",
    "SERVICE", "TECHNOLOGY", "TECHNOLOGIES", "TECHNIK", "ELECTRONICS", "SYSTEMS",
    "LOGISTICS", "SHIPPING", "ESTABLISHMENT", "COMPUTERS", "METALS", "CONTRACTING",
    "COMMUNICATIONS", "ASSOCIATES", "UNIVERSITY", "INSTITUTE", "MINISTRY", "BUREAU",
};

static int is_org_word(const char *t, size_t n) {
    for (size_t i = 0; i < sizeof org_words / sizeof org_words[0]; i++) {
        size_t wn = strlen(org_words[i]);
        if (wn == n && memcmp(org_words[i], t, n) == 0) return 1;
    }
    return 0;
}

int cp_lu_looks_org(const char *name, size_t len) {
    size_t i = 0;
    while (i < len) {
        while (i < len && strchr(" \t,()/\"';-&", name[i]) && name[i]) i++;
        size_t st = i;
        while (i < len && !(strchr(" \t,()/\"';-&", name[i]) && name[i])) i++;
        if (i == st) continue;
        char tok[32];
        size_t n = 0, dots = 0;
        for (size_t k = st; k < i && n < sizeof tok - 1; k++) {
            if (name[k] == '.') { dots++; continue; }
            tok[n++] = up(name[k]);
        }
        if (i - st >= sizeof tok) continue; /* long token: not a legal form */
        /* internet domains: "MYNET.NET", "SYNAPTIX.NET" */
        if (dots && n > 3 && (memcmp(tok + n - 3, "NET", 3) == 0 || memcmp(tok + n - 3, "COM", 3) == 0)) {
            size_t tl = i - st;
            if (tl > 4 && name[st + tl - 4] == '.') return 1;
        }
        if (is_org_word(tok, n)) return 1;
    }
    return 0;
}
