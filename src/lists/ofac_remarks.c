/* Parser of the Remarks column of OFAC's legacy CSV files (see
 * lists/ofac_remarks.h and docs/lists/ofac.md for the grammar). */
#include "lists/ofac_remarks.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What a rule does with the text after its label. */
typedef enum rule_act {
    A_NAME,     /* 'quoted name' -> name of kind `arg` */
    A_LINKED,   /* Linked To: NAME -> relation */
    A_DOB,      /* DOB [circa] DATE [to DATE] */
    A_TEXT,     /* value as published (final '.' dropped) */
    A_DATE,     /* value normalised with cp_ofac_parse_date when it is one date */
    A_ID,       /* NUMBER [(COUNTRY)] [issued DATE] [expires DATE] */
    A_GENDER,   /* Male / Female -> "male" / "female" */
    A_CRYPTO,   /* Digital Currency Address - CUR ADDRESS */
    A_WHOLE     /* whole clause as value (sanctions notes), detail = rule detail */
} rule_act;

/* detail of a fact made by a rule: none, the label as written, or fixed text */
#define D_NONE NULL
#define D_LABEL ((const char *)1)

typedef struct rule {
    const char *label;   /* matched case-insensitively at the start of the clause */
    rule_act act;
    int type;            /* cp_fact_type, or cp_name_kind for A_NAME */
    const char *detail;  /* D_NONE, D_LABEL or a fixed detail text */
} rule;

/* The clause vocabulary, read off the real SDN/non-SDN files (2019-01,
 * 2021-07, 2024-05 sdn.csv; 2025-12 cons_prim.csv). The longest matching
 * label wins, so "Company Number IMO" beats "Company Number". */
static const rule RULES[] = {
    /* names (OFAC writes weak a.k.a.s only in Remarks, always single-quoted) */
    {"a.k.a.", A_NAME, CP_NAME_WEAK_ALIAS, D_NONE},
    {"f.k.a.", A_NAME, CP_NAME_FORMER, D_NONE},
    {"n.k.a.", A_NAME, CP_NAME_ALIAS, D_NONE},
    {"d.b.a.", A_NAME, CP_NAME_ALIAS, D_NONE},
    {"Linked To:", A_LINKED, 0, D_NONE},
    /* person */
    {"DOB", A_DOB, CP_FACT_DOB, D_NONE},
    {"POB", A_TEXT, CP_FACT_POB, D_NONE},
    {"nationality", A_TEXT, CP_FACT_NATIONALITY, D_NONE},
    {"citizen", A_TEXT, CP_FACT_CITIZENSHIP, D_NONE},
    {"Gender", A_GENDER, CP_FACT_GENDER, D_NONE},
    {"Nationality of Registration", A_TEXT, CP_FACT_COUNTRY, D_LABEL},
    /* travel documents */
    {"Passport", A_ID, CP_FACT_PASSPORT, D_LABEL},
    {"Diplomatic Passport", A_ID, CP_FACT_PASSPORT, D_LABEL},
    {"Travel Document Number", A_ID, CP_FACT_PASSPORT, D_LABEL},
    /* national identity numbers */
    {"National ID No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Cedula No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"C.U.R.P.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"CURP", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"D.N.I.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Identification Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Personal ID Card", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"National Foreign ID Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Credencial electoral", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Electoral Registry No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"C.U.I.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"C.U.I.P.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"I.F.E.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Kenyan ID No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Turkish Identification Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Numero de Identidad", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"SSN", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Residency Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Tazkira National ID Card", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Refugee ID Card", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"UAE Identification", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Birth Certificate Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Cartilla de Servicio Militar Nacional", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Military Registration Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Citizen's Card Number", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Bosnian Personal ID No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Stateless Person ID Card", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Stateless Person Passport", A_ID, CP_FACT_PASSPORT, D_LABEL},
    {"Moroccan Personal ID No.", A_ID, CP_FACT_NATIONAL_ID, D_LABEL},
    {"Serial No.", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    /* tax identification numbers */
    {"Tax ID No.", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"R.F.C.", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"RFC", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"NIT", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"RUC", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"RIF", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"V.A.T. Number", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"US FEIN", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"C.U.I.T.", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"C.I.F.", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"N.I.F.", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"NIF", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Italian Fiscal Code", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Numero Unico de Identificacao Tributaria (NUIT)", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Paraguayan tax identification number", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"RTN", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"INN", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"TIN", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Tax Identification Number", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Romanian Tax Registration", A_ID, CP_FACT_TAX_ID, D_LABEL},
    {"Pakistani Tax Identification Number", A_ID, CP_FACT_TAX_ID, D_LABEL},
    /* company / registry numbers (label kept in detail) */
    {"Registration Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Registration ID", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Business Registration Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Business Registration Document", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Government Gazette Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Commercial Registry Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Commercial Registration Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Company Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"UK Company Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Company ID", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Folio Mercantil No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Matricula Mercantil No", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"C.R. No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Romanian C.R.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Economic Register Number (CBLS)", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Unified Social Credit Code (USCC)", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"United Social Credit Code Certificate (USCCC)", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Chamber of Commerce Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Istanbul Chamber of Comm. No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Dubai Chamber of Commerce Membership No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Trade License No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Central Registration System Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Business Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Enterprise Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Public Registration Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Certificate of Incorporation Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Registered Charity No.", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Branch Unit Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"LE Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Organization Code", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"OGRN", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"License", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Permit Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"File Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Vessel Registration Identification", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Afghan Money Service Provider License Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Russian State Individual Business Registration Number Pattern (OGRNIP)", A_ID, CP_FACT_REGISTRATION,
     D_LABEL},
    {"MSB Registration Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"Legal Entity Number", A_ID, CP_FACT_LEI, D_LABEL},
    /* other identifiers */
    {"D-U-N-S Number", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"BIK (RU)", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"ISIN", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"Chinese Commercial Code", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"VisaNumberID", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"Driver's License No.", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"Pilot License Number", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"Immigration No.", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"SRE Permit No.", A_ID, CP_FACT_OTHER_ID, D_LABEL},
    {"Equity Ticker", A_TEXT, CP_FACT_OTHER_ID, D_LABEL},
    {"Issuer Name", A_TEXT, CP_FACT_OTHER_ID, D_LABEL},
    {"Registration Country", A_TEXT, CP_FACT_COUNTRY, D_LABEL},
    {"Registration Certificate Number", A_ID, CP_FACT_REGISTRATION, D_LABEL},
    {"SWIFT/BIC", A_TEXT, CP_FACT_BIC, D_NONE},
    /* vessels */
    {"IMO", A_ID, CP_FACT_IMO, D_LABEL},
    {"Vessel Registration Identification IMO", A_ID, CP_FACT_IMO, D_LABEL},
    {"Identification Number IMO", A_ID, CP_FACT_IMO, D_LABEL},
    {"Company Number IMO", A_ID, CP_FACT_IMO, D_LABEL},
    {"MMSI", A_TEXT, CP_FACT_MMSI, D_NONE},
    {"Former Vessel Flag", A_TEXT, CP_FACT_FLAG, D_LABEL},
    {"Other Vessel Flag", A_TEXT, CP_FACT_FLAG, D_LABEL},
    {"Other Vessel Call Sign", A_TEXT, CP_FACT_CALL_SIGN, D_LABEL},
    {"Other Vessel Type", A_TEXT, CP_FACT_VESSEL_TYPE, D_LABEL},
    {"Vessel Year of Build", A_DATE, CP_FACT_ESTABLISHED, D_LABEL},
    /* aircraft */
    {"Aircraft Manufacture Date", A_DATE, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Model", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Manufacturer's Serial Number (MSN)", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Tail Number", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Previous Aircraft Tail Number", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Operator", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Mode S Transponder Code", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    {"Aircraft Serial Identification", A_TEXT, CP_FACT_AIRCRAFT, D_LABEL},
    /* contact and digital */
    {"Email Address", A_TEXT, CP_FACT_EMAIL, D_NONE},
    {"Email", A_TEXT, CP_FACT_EMAIL, D_NONE},
    {"Website", A_TEXT, CP_FACT_WEBSITE, D_NONE},
    {"Phone Number", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Phone", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Telephone", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Telephone No.", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Telephone Number", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Fax", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Fax No.", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Fax Number", A_TEXT, CP_FACT_PHONE, D_LABEL},
    {"Digital Currency Address -", A_CRYPTO, CP_FACT_CRYPTO, D_NONE},
    /* organizations */
    {"Organization Established Date", A_DATE, CP_FACT_ESTABLISHED, D_NONE},
    {"Date of Incorporation", A_DATE, CP_FACT_ESTABLISHED, D_LABEL},
    {"Organization Type:", A_TEXT, CP_FACT_REMARK, "Organization Type"},
    {"Target Type", A_TEXT, CP_FACT_REMARK, "Target Type"},
    /* sanctions notes */
    {"Secondary sanctions risk:", A_WHOLE, CP_FACT_SECONDARY, "Secondary sanctions risk"},
    {"Additional Sanctions Information -", A_WHOLE, CP_FACT_SECONDARY, "Additional Sanctions Information"},
    {"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
     A_WHOLE, CP_FACT_SECONDARY, "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions"},
    {"Executive Order 13846 information:", A_WHOLE, CP_FACT_SECONDARY, "Executive Order 13846 information"},
    {"Executive Order 13662 Directive Determination -", A_WHOLE, CP_FACT_SECONDARY,
     "Executive Order 13662 Directive Determination"},
    {"Executive Order 14024 Directive Information", A_WHOLE, CP_FACT_SECONDARY,
     "Executive Order 14024 Directive Information"},
    {"CAATSA Section 235 Information:", A_WHOLE, CP_FACT_SECONDARY, "CAATSA Section 235 Information"},
    {"IFCA Determination -", A_WHOLE, CP_FACT_SECONDARY, "IFCA Determination"},
    {"Executive Order", A_WHOLE, CP_FACT_SECONDARY, "Executive Order information"},
    {"Listing Date (", A_WHOLE, CP_FACT_SECONDARY, "Listing Date"},
    {"Effective Date (", A_WHOLE, CP_FACT_SECONDARY, "Effective Date"},
    {"Purchase/Sales For Divestment Date (", A_WHOLE, CP_FACT_SECONDARY, "Purchase/Sales For Divestment Date"},
    {"For more information on directives", A_WHOLE, CP_FACT_SECONDARY, "Directive information"},
    {"For more information, please reference the following link", A_WHOLE, CP_FACT_SECONDARY,
     "Program information"},
};
#define N_RULES (sizeof RULES / sizeof RULES[0])

/* pseudo-rules counted in stats after the table */
enum { R_TITLE = N_RULES, R_PROGRAMS, R_BARE_EMAIL, R_BARE_WEB, R_UNPARSED, R__END };
_Static_assert((int)R__END <= (int)CP_OFAC_RULE_SLOTS, "CP_OFAC_RULE_SLOTS too small");

size_t cp_ofac_rule_count(void) { return R__END; }

const char *cp_ofac_rule_label(size_t i) {
    if (i < N_RULES) return RULES[i].label;
    if (i == R_TITLE) return "(clause repeating the Title column)";
    if (i == R_PROGRAMS) return "([PROGRAM] tags)";
    if (i == R_BARE_EMAIL) return "(bare e-mail address)";
    if (i == R_BARE_WEB) return "(bare web address)";
    if (i == R_UNPARSED) return "(not understood)";
    return NULL;
}

const char *cp_ofac_rule_kind(size_t i) {
    if (i < N_RULES) {
        switch (RULES[i].act) {
        case A_NAME: return "name";
        case A_LINKED: return "relation";
        default: return cp_fact_type_name((cp_fact_type)RULES[i].type);
        }
    }
    if (i == R_TITLE) return "title";
    if (i == R_PROGRAMS) return "program";
    if (i == R_BARE_EMAIL) return "email";
    if (i == R_BARE_WEB) return "website";
    if (i == R_UNPARSED) return "remark";
    return NULL;
}

/* ------------------------------------------------------------ helpers */

static int is_sp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

typedef struct span { const char *p; size_t n; } span;

static span trim(span s) {
    while (s.n && is_sp(s.p[0])) { s.p++; s.n--; }
    while (s.n && is_sp(s.p[s.n - 1])) s.n--;
    return s;
}

/* Drops one final '.' (OFAC ends the last clause, and some others, with one). */
static span drop_dot(span s) {
    s = trim(s);
    if (s.n && s.p[s.n - 1] == '.') s.n--;
    return trim(s);
}

static int starts_ci(span s, const char *w) {
    size_t n = strlen(w);
    return s.n >= n && strncasecmp(s.p, w, n) == 0;
}

static const char *const MONTHS[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

/* month number 1..12 of a three-letter abbreviation at s (followed by a
 * non-letter), else 0 */
static int month_at(const char *s, size_t len) {
    if (len < 3) return 0;
    if (len > 3 && ((s[3] >= 'a' && s[3] <= 'z') || (s[3] >= 'A' && s[3] <= 'Z'))) return 0;
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, MONTHS[m], 3) == 0) return m + 1;
    return 0;
}

/* n digits exactly at s (not followed by another digit) -> value, else -1 */
static int digits_at(const char *s, size_t len, size_t n) {
    if (len < n) return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (len > n && is_digit(s[n])) return -1;
    return v;
}

size_t cp_ofac_parse_date(const char *s, size_t len, char out[11]) {
    int d = -1, m = 0, y;
    size_t i = 0;
    /* DD Mon YYYY */
    if (len >= 2 && is_digit(s[0])) {
        size_t dl = (len >= 2 && is_digit(s[1])) ? 2 : 1;
        if (dl <= len && (dl == len || s[dl] == ' ')) {
            int dd = digits_at(s, len, dl);
            if (dd >= 1 && dd <= 31 && dl + 1 < len && (m = month_at(s + dl + 1, len - dl - 1)) > 0) {
                d = dd;
                i = dl + 1 + 3;
                if (i >= len || s[i] != ' ') return 0;
                i++;
            } else {
                m = 0;
            }
        }
    }
    if (!m && len >= 4 && (m = month_at(s, len)) > 0) { /* Mon YYYY */
        if (len < 5 || s[3] != ' ') return 0;
        i = 4;
    }
    y = digits_at(s + i, len - i, 4);
    if (y < 1000) return 0;
    i += 4;
    size_t o = 0;
    memcpy(out, s + i - 4, 4); /* the year as written (4 digits) */
    o = 4;
    if (m > 0) {
        out[o++] = '-';
        out[o++] = (char)('0' + m / 10);
        out[o++] = (char)('0' + m % 10);
    }
    if (d > 0) {
        out[o++] = '-';
        out[o++] = (char)('0' + d / 10);
        out[o++] = (char)('0' + d % 10);
    }
    out[o] = '\0';
    return i;
}

/* ------------------------------------------------------------ clause actions */

static int add_fact(const cp_ofac_remarks_ctx *c, cp_fact_type t, span v, const char *detail) {
    return cp_list_add_fact(c->list, c->ent, t, v.p, v.n, detail);
}

/* Copies label to buf (for a detail), NUL-terminated, truncated to cap. */
static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len) {
    if (*n >= cap) return;
    size_t room = cap - 1 - *n;
    if (len > room) len = room;
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = '\0';
}

/* DOB [circa] DATE [to DATE | -YYYY] ["."] */
static int do_dob(const cp_ofac_remarks_ctx *c, span rest, int *ok) {
    span s = drop_dot(rest);
    const char *detail = NULL;
    char d1[11], d2[11], val[24];
    *ok = 0;
    if (starts_ci(s, "circa ")) {
        detail = "circa";
        s.p += 6; s.n -= 6;
        s = trim(s);
    }
    size_t k = cp_ofac_parse_date(s.p, s.n, d1);
    if (!k) return 0;
    s.p += k; s.n -= k;
    s = trim(s);
    if (!s.n) {
        *ok = 1;
        return cp_list_add_fact(c->list, c->ent, CP_FACT_DOB, d1, strlen(d1), detail);
    }
    if (starts_ci(s, "to ")) {
        s.p += 3; s.n -= 3;
        s = trim(s);
    } else if (s.p[0] == '-') {
        s.p++; s.n--;
        s = trim(s);
    } else {
        return 0;
    }
    k = cp_ofac_parse_date(s.p, s.n, d2);
    if (!k || k != s.n) return 0;
    snprintf(val, sizeof val, "%s..%s", d1, d2);
    *ok = 1;
    return cp_list_add_fact(c->list, c->ent, CP_FACT_DOB, val, strlen(val), detail);
}

/* NUMBER [(COUNTRY)] [issued DATE] [expires DATE] */
static int do_id(const cp_ofac_remarks_ctx *c, const rule *r, span label, span rest, int *ok) {
    span s = drop_dot(rest);
    *ok = 0;
    /* cut at " issued " / " expires " (first one) */
    span num = s, issued = {NULL, 0}, expires = {NULL, 0};
    for (size_t i = 0; i < s.n; i++) {
        if (i && s.p[i - 1] != ' ') continue;
        span t = {s.p + i, s.n - i};
        if (starts_ci(t, "issued ") || starts_ci(t, "expires ")) {
            num.n = i;
            break;
        }
    }
    for (size_t i = num.n; i < s.n; i++) {
        span t = {s.p + i, s.n - i};
        if (i && s.p[i - 1] != ' ') continue;
        if (starts_ci(t, "issued ")) {
            issued.p = t.p + 7;
            issued.n = t.n - 7;
        } else if (starts_ci(t, "expires ")) {
            if (issued.p) issued.n = (size_t)(t.p - issued.p);
            expires.p = t.p + 8;
            expires.n = t.n - 8;
        }
    }
    num = trim(num);
    span country = {NULL, 0};
    if (num.n && num.p[num.n - 1] == ')') { /* trailing (COUNTRY) */
        int depth = 0;
        for (size_t i = num.n; i-- > 0;) {
            if (num.p[i] == ')') depth++;
            else if (num.p[i] == '(' && --depth == 0) {
                country.p = num.p + i + 1;
                country.n = num.n - i - 2;
                num.n = i;
                break;
            }
        }
        num = trim(num);
        country = trim(country);
    }
    /* an identifier has a digit: "passport place of issue: ..." is not one */
    int digit = 0;
    for (size_t i = 0; i < num.n; i++) digit |= is_digit(num.p[i]);
    if (!digit) return 0;
    char detail[256];
    size_t dn = 0;
    detail[0] = '\0';
    if (r->detail == D_LABEL) put(detail, sizeof detail, &dn, label.p, label.n);
    else if (r->detail) put(detail, sizeof detail, &dn, r->detail, strlen(r->detail));
    if (country.n) {
        put(detail, sizeof detail, &dn, " (", 2);
        put(detail, sizeof detail, &dn, country.p, country.n);
        put(detail, sizeof detail, &dn, ")", 1);
    }
    span dates[2] = {trim(issued), trim(expires)};
    static const char *const words[2] = {"; issued ", "; expires "};
    for (int k = 0; k < 2; k++) {
        if (!dates[k].p) continue;
        char iso[11];
        put(detail, sizeof detail, &dn, words[k], strlen(words[k]));
        size_t used = cp_ofac_parse_date(dates[k].p, dates[k].n, iso);
        if (used && used == dates[k].n) put(detail, sizeof detail, &dn, iso, strlen(iso));
        else put(detail, sizeof detail, &dn, dates[k].p, dates[k].n);
    }
    *ok = 1;
    return add_fact(c, (cp_fact_type)r->type, num, dn ? detail : NULL);
}

/* 'NAME' (the quote may be missing or the name cut, as in real rows) */
static int do_name(const cp_ofac_remarks_ctx *c, cp_name_kind kind, span rest, int *ok) {
    span s = drop_dot(rest);
    if (s.n && s.p[0] == '\'') { s.p++; s.n--; }
    if (s.n && s.p[s.n - 1] == '\'') s.n--;
    s = trim(s);
    *ok = s.n > 0;
    if (!s.n) return 0;
    return cp_list_add_name(c->list, c->ent, s.p, s.n, kind, NULL);
}

/* 1 when name resolves to exactly one entity: *id set */
static int resolve(const cp_ofac_remarks_ctx *c, span name, const char **id) {
    uint32_t v;
    if (!c->primary || !cp_strmap_get(c->primary, name.p, name.n, &v) || v == UINT32_MAX) return 0;
    const cp_entity *e = cp_list_entity(c->list, v);
    if (!e) return 0;
    *id = e->id;
    return 1;
}

static int do_linked(const cp_ofac_remarks_ctx *c, span rest, int *ok) {
    span s = trim(rest);
    const char *id;
    *ok = s.n > 0;
    if (!s.n) return 0;
    if (resolve(c, s, &id))
        return cp_list_add_relation(c->list, c->ent, CP_REL_LINKED_TO, id, strlen(id), NULL);
    span nd = drop_dot(s);
    if (nd.n && resolve(c, nd, &id))
        return cp_list_add_relation(c->list, c->ent, CP_REL_LINKED_TO, id, strlen(id), NULL);
    /* unresolved: keep the name, without the clause-final '.' */
    return cp_list_add_relation(c->list, c->ent, CP_REL_LINKED_TO, nd.p, nd.n, NULL);
}

static int do_crypto(const cp_ofac_remarks_ctx *c, span rest, int *ok) {
    span s = drop_dot(rest);
    size_t i = 0;
    while (i < s.n && !is_sp(s.p[i])) i++;
    span cur = {s.p, i}, addr = trim((span){s.p + i, s.n - i});
    *ok = cur.n > 0 && cur.n < 16 && addr.n > 0;
    if (!*ok) return 0;
    char curbuf[16];
    memcpy(curbuf, cur.p, cur.n);
    curbuf[cur.n] = '\0';
    return add_fact(c, CP_FACT_CRYPTO, addr, curbuf);
}

static int do_gender(const cp_ofac_remarks_ctx *c, span rest, int *ok) {
    span s = drop_dot(rest);
    *ok = 1;
    if (s.n == 4 && strncasecmp(s.p, "male", 4) == 0) return add_fact(c, CP_FACT_GENDER, (span){"male", 4}, NULL);
    if (s.n == 6 && strncasecmp(s.p, "female", 6) == 0)
        return add_fact(c, CP_FACT_GENDER, (span){"female", 6}, NULL);
    *ok = 0;
    return 0;
}

/* "[SDGT] [IFSR]": programs written as bracketed tags */
static int do_programs(const cp_ofac_remarks_ctx *c, span s, int *ok) {
    *ok = 0;
    s = drop_dot(s);
    if (s.n < 3 || s.p[0] != '[' || s.p[s.n - 1] != ']') return 0;
    for (size_t i = 0; i < s.n; i++) /* only tags and spaces */
        if (s.p[i] == '[') {
            size_t j = i + 1;
            while (j < s.n && s.p[j] != ']' && s.p[j] != '[') j++;
            if (j >= s.n || s.p[j] != ']' || j == i + 1) return 0;
            i = j;
        } else if (s.p[i] != ' ') {
            return 0;
        }
    *ok = 1;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == '[') {
            size_t j = i + 1;
            while (s.p[j] != ']') j++;
            if (cp_list_add_program(c->list, c->ent, s.p + i + 1, j - i - 1) < 0) return -1;
            i = j;
        }
    return 0;
}

/* Longest rule whose label starts the clause (case-insensitive) and ends at
 * a word boundary; -1 when none. */
static long match_rule(span s) {
    long best = -1;
    size_t best_n = 0;
    if (!s.n) return -1;
    for (size_t i = 0; i < N_RULES; i++) {
        const char *lb = RULES[i].label;
        if (((lb[0] ^ s.p[0]) & ~0x20) != 0) continue; /* quick first-letter check (ASCII case) */
        size_t n = strlen(lb);
        if (n <= best_n || s.n < n || strncasecmp(s.p, lb, n) != 0) continue;
        if (s.n > n && is_alnum(lb[n - 1]) && (is_alnum(s.p[n]) || s.p[n] == '\'' || s.p[n] == '-' ||
                                               s.p[n] == '.' || s.p[n] == '/'))
            continue;
        best = (long)i;
        best_n = n;
    }
    return best;
}

static int same_text_ci(span a, const char *b) {
    size_t n = strlen(b);
    return a.n == n && strncasecmp(a.p, b, n) == 0;
}

/* One clause. Returns 0 or -1 on OOM. */
static int do_clause(const cp_ofac_remarks_ctx *c, span cl) {
    cp_ofac_stats *st = c->stats;
    cl = trim(cl);
    if (!cl.n) return 0;
    if (st) st->clauses++;
    span body = cl;
    if (starts_ci(body, "alt. ")) { /* "alt. Passport ...": another value of the same kind */
        body.p += 5; body.n -= 5;
        body = trim(body);
    }
    int ok = 0, rc = 0;
    size_t slot = R_UNPARSED;
    long ri = match_rule(body);
    if (ri >= 0) {
        const rule *r = &RULES[ri];
        span label = {body.p, strlen(r->label)};
        span rest = {body.p + label.n, body.n - label.n};
        /* skip the separator between label and value */
        while (rest.n && (is_sp(rest.p[0]) || rest.p[0] == ':' || rest.p[0] == '#')) { rest.p++; rest.n--; }
        /* label as written, without a final ':' or '-' */
        while (label.n && (label.p[label.n - 1] == ':' || label.p[label.n - 1] == '-' || label.p[label.n - 1] == ' '))
            label.n--;
        char lbuf[128];
        size_t ln = 0;
        lbuf[0] = '\0';
        put(lbuf, sizeof lbuf, &ln, label.p, label.n);
        const char *detail = r->detail == D_LABEL ? lbuf : r->detail;
        switch (r->act) {
        case A_NAME: rc = do_name(c, (cp_name_kind)r->type, rest, &ok); break;
        case A_LINKED: rc = do_linked(c, rest, &ok); break;
        case A_DOB: rc = do_dob(c, rest, &ok); break;
        case A_ID: rc = do_id(c, r, label, rest, &ok); break;
        case A_GENDER: rc = do_gender(c, rest, &ok); break;
        case A_CRYPTO: rc = do_crypto(c, rest, &ok); break;
        case A_TEXT:
        case A_DATE: {
            span v = drop_dot(rest);
            if (!v.n) break;
            char iso[11];
            size_t used = r->act == A_DATE ? cp_ofac_parse_date(v.p, v.n, iso) : 0;
            if (used && used == v.n) v = (span){iso, strlen(iso)};
            ok = 1;
            rc = add_fact(c, (cp_fact_type)r->type, v, detail);
            break;
        }
        case A_WHOLE:
            ok = 1;
            rc = add_fact(c, (cp_fact_type)r->type, drop_dot(cl), detail);
            break;
        }
        if (rc < 0) return -1;
        if (ok) slot = (size_t)ri;
    }
    if (!ok) {
        if (do_programs(c, cl, &ok) < 0) return -1;
        if (ok) slot = R_PROGRAMS;
    }
    if (!ok) { /* old rows: a bare address, sometimes followed by "(email)" / "(website)" */
        span v = drop_dot(cl);
        if (v.n > 8 && (strncasecmp(v.p + v.n - 8, " (email)", 8) == 0)) v = trim((span){v.p, v.n - 8});
        else if (v.n > 10 && strncasecmp(v.p + v.n - 10, " (website)", 10) == 0) v = trim((span){v.p, v.n - 10});
        int sp = 0, at = 0;
        for (size_t i = 0; i < v.n; i++) {
            if (is_sp(v.p[i])) sp = 1;
            if (v.p[i] == '@') at = 1;
        }
        if (!sp && v.n > 4) {
            if (at && v.p[0] != '@') {
                if (add_fact(c, CP_FACT_EMAIL, v, NULL) < 0) return -1;
                ok = 1;
                slot = R_BARE_EMAIL;
            } else if (!at && (starts_ci(v, "www.") || starts_ci(v, "http://") || starts_ci(v, "https://"))) {
                if (add_fact(c, CP_FACT_WEBSITE, v, NULL) < 0) return -1;
                ok = 1;
                slot = R_BARE_WEB;
            }
        }
    }
    if (!ok && c->title && same_text_ci(drop_dot(cl), c->title)) {
        if (add_fact(c, CP_FACT_TITLE, drop_dot(cl), NULL) < 0) return -1;
        ok = 1;
        slot = R_TITLE;
    }
    if (!ok && add_fact(c, CP_FACT_REMARK, cl, NULL) < 0) return -1;
    if (st) {
        st->by_rule[slot]++;
        if (slot == R_UNPARSED) st->unparsed++;
    }
    return 0;
}

int cp_ofac_parse_remarks(const cp_ofac_remarks_ctx *ctx, const char *text, size_t len) {
    if (len > CP_OFAC_MAX_REMARKS) len = CP_OFAC_MAX_REMARKS;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        /* clause separator: ';' followed by whitespace or the end of the text */
        if (i < len && !(text[i] == ';' && (i + 1 == len || is_sp(text[i + 1])))) continue;
        if (do_clause(ctx, (span){text + start, i - start}) < 0) return -1;
        start = i + 1;
    }
    return 0;
}
