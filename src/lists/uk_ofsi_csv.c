/* UK OFSI Consolidated List (ConList, "2022 format") CSV loader, list id
 * "uk-ofsi".
 *
 * Format (HM Treasury / OFSI, https://ofsistorage.blob.core.windows.net/
 * publishlive/2022format/ConList.csv; checked on the 2025-04-14 file, see
 * docs/lists/uk-ofsi.md): row 1 "Last Updated,DD/MM/YYYY"; row 2 a header of
 * 36 named columns; then one row per name variant of a target, rows of one
 * target sharing a "Group ID" (not contiguous in the file). Columns are
 * found by NAME, so a reordered file still loads; a missing required column
 * fails the load.
 *
 * Mapping: Group ID -> entity "uk-ofsi:<Group ID>"; Group Type Individual /
 * Entity / Ship -> person / organization / vessel; name = Name 1..Name 5
 * (given names, in order) then Name 6 (the surname; for entities and ships
 * the whole name is in Name 6); Alias Type "Primary name" -> the primary
 * name (first such row of the group; a group without one takes its first
 * row), "Primary name variation" / "AKA" -> alias, "FKA" -> former name;
 * Alias Quality "Low quality" -> weak alias; Name Non-Latin Script -> alias
 * with lang = Non-Latin Script Language (else Type); Regime -> program; DOB,
 * Town/Country of Birth, Nationality, Passport / National Identification
 * Number with Details, Title, Position, Address 1-6 + Post/Zip Code +
 * Country, Listed On, and tagged parts of Other Information ("(Gender):",
 * "(IMO number):", "(UK Sanctions List Ref):", "(UN Ref):", phone, email,
 * website, ship fields) -> facts; the rest of Other Information -> remarks.
 * Multi-valued cells use OFSI's "(1) a (2) b" numbering and are split.
 */
#include "core/utf8.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "lists/loaders.h"
#include "lists/xml_util.h" /* cp_lb line builder, cp_script_of */
#include <ctype.h>
#include <string.h>
#include <strings.h>

enum {
    C_N6, C_N1, C_N2, C_N3, C_N4, C_N5, C_TITLE, C_NL_NAME, C_NL_TYPE, C_NL_LANG, C_DOB, C_TOWN, C_COB,
    C_NAT, C_PASS, C_PASS_DET, C_NID, C_NID_DET, C_POSITION, C_A1, C_A2, C_A3, C_A4, C_A5, C_A6, C_POST,
    C_COUNTRY, C_OTHER, C_GTYPE, C_ATYPE, C_AQUAL, C_REGIME, C_LISTED, C_DESIGNATED, C_UPDATED, C_GID,
    C__COUNT
};

/* The 36 columns of the 2022 format, in published order; 1 = required. */
static const struct {
    const char *name;
    int required;
} k_cols[C__COUNT] = {
    {"Name 6", 1}, {"Name 1", 1}, {"Name 2", 1}, {"Name 3", 1}, {"Name 4", 1}, {"Name 5", 1},
    {"Title", 0}, {"Name Non-Latin Script", 0}, {"Non-Latin Script Type", 0},
    {"Non-Latin Script Language", 0}, {"DOB", 0}, {"Town of Birth", 0}, {"Country of Birth", 0},
    {"Nationality", 0}, {"Passport Number", 0}, {"Passport Details", 0},
    {"National Identification Number", 0}, {"National Identification Details", 0}, {"Position", 0},
    {"Address 1", 0}, {"Address 2", 0}, {"Address 3", 0}, {"Address 4", 0}, {"Address 5", 0},
    {"Address 6", 0}, {"Post/Zip Code", 0}, {"Country", 0}, {"Other Information", 0},
    {"Group Type", 1}, {"Alias Type", 1}, {"Alias Quality", 0}, {"Regime", 1}, {"Listed On", 0},
    {"UK Sanctions List Date Designated", 0}, {"Last Updated", 0}, {"Group ID", 1},
};

/* Most items in one "(1) ... (n) ..." cell (the file has up to 9). */
#define UK_MAX_ITEMS 32
/* Most header columns accepted. */
#define UK_MAX_COLS 256

typedef struct uk_ctx {
    cp_list *l;
    const char *file;
    cp_diag *diag;
    cp_error *err;
    int col[C__COUNT];   /* column index of each known column, -1 if absent */
    size_t ncols;        /* header width */
    cp_csv r;
    long ent;
} uk_ctx;

static int oom(uk_ctx *c) {
    cp_error_set(c->err, CP_ERR_NOMEM, c->file, c->r.line, -1, NULL, "out of memory");
    return -1;
}

/* Trimmed cell of known column k in the current record ({NULL,0} if the
 * column is absent). */
static cp_slice cell(const uk_ctx *c, int k) {
    cp_slice s = {NULL, 0};
    if (c->col[k] < 0 || (size_t)c->col[k] >= c->r.nfields) return s;
    return cp_slice_trim(c->r.fields[c->col[k]]);
}

static int slice_ieq(cp_slice s, const char *lit) {
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Adds a fact (whitespace runs collapsed; "-" alone means none). */
static int fact(uk_ctx *c, cp_fact_type t, const char *v, size_t len, const char *detail) {
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_add(&b, NULL, v, len);
    if (!b.len || (b.len == 1 && b.buf[0] == '-')) return 0;
    if (cp_list_add_fact(c->l, c->ent, t, b.buf, b.len, detail) < 0) return oom(c);
    return 0;
}

static int fact_s(uk_ctx *c, cp_fact_type t, cp_slice v, const char *detail) {
    return v.len ? fact(c, t, v.p, v.len, detail) : 0;
}

/* Splits OFSI's numbered cells "(1) a (2) b (3) c" into items; a cell
 * without "(1)" at its start is one item. Items are trimmed; "-" (used for
 * "no value" in paired cells) becomes empty. Returns the item count. */
static size_t split_numbered(cp_slice s, cp_slice *out, size_t max) {
    if (!s.len) return 0;
    if (s.len < 3 || memcmp(s.p, "(1)", 3) != 0) {
        out[0] = s;
        return 1;
    }
    size_t n = 0, start = 3;
    for (unsigned k = 2; n + 1 < max; k++) {
        char mark[16];
        int ml = snprintf(mark, sizeof mark, "(%u)", k);
        size_t found = s.len;
        for (size_t i = start; i + (size_t)ml <= s.len; i++)
            if (s.p[i] == '(' && memcmp(s.p + i, mark, (size_t)ml) == 0) {
                found = i;
                break;
            }
        cp_slice it = {s.p + start, found - start};
        out[n++] = cp_slice_trim(it);
        if (found == s.len) break;
        start = found + (size_t)ml;
    }
    if (n + 1 == max && start < s.len) { /* cap reached: the rest is the last item */
        cp_slice it = {s.p + start, s.len - start};
        out[n++] = cp_slice_trim(it);
    }
    for (size_t i = 0; i < n; i++)
        if (out[i].len == 1 && out[i].p[0] == '-') out[i].len = 0;
    return n;
}

/* Every item of a numbered cell as fact t. */
static int facts_numbered(uk_ctx *c, cp_fact_type t, cp_slice s, const char *detail) {
    cp_slice it[UK_MAX_ITEMS];
    size_t n = split_numbered(s, it, UK_MAX_ITEMS);
    for (size_t i = 0; i < n; i++)
        if (fact_s(c, t, it[i], detail) < 0) return -1;
    return 0;
}

/* Pairs two numbered cells item by item (a single item on one side goes
 * with every item of the other): value[i] + detail[i]. */
static int facts_paired(uk_ctx *c, cp_fact_type t, cp_slice values, cp_slice details) {
    cp_slice v[UK_MAX_ITEMS], d[UK_MAX_ITEMS];
    size_t nv = split_numbered(values, v, UK_MAX_ITEMS);
    size_t nd = split_numbered(details, d, UK_MAX_ITEMS);
    for (size_t i = 0; i < nv; i++) {
        cp_lb det;
        cp_lb_reset(&det);
        if (nd == 1)
            cp_lb_adds(&det, NULL, d[0]);
        else if (nd == nv)
            cp_lb_adds(&det, NULL, d[i]);
        else if (nd > 1) /* counts differ: keep all details as published */
            cp_lb_adds(&det, NULL, details);
        if (fact_s(c, t, v[i], det.len ? det.buf : NULL) < 0) return -1;
    }
    return 0;
}

static int digits(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i])) return 0;
    return 1;
}

/* OFSI dates to ISO 8601: "DD/MM/YYYY" -> "YYYY-MM-DD", with "00" for an
 * unknown day/month ("00/00/1965" -> "1965", "00/05/1965" -> "1965-05");
 * "MM/YYYY" -> "YYYY-MM"; "YYYY" kept. Writes out[11]; returns the length,
 * or 0 when the text is not one of these forms. */
static size_t uk_date(cp_slice s, char out[11]) {
    const char *p = s.p;
    if (s.len == 4 && digits(p, 4)) {
        memcpy(out, p, 4);
        out[4] = '\0';
        return 4;
    }
    const char *dd = "00", *mm, *yyyy;
    if (s.len == 10 && digits(p, 2) && p[2] == '/' && digits(p + 3, 2) && p[5] == '/' && digits(p + 6, 4)) {
        dd = p;
        mm = p + 3;
        yyyy = p + 6;
    } else if (s.len == 7 && digits(p, 2) && p[2] == '/' && digits(p + 3, 4)) {
        mm = p;
        yyyy = p + 3;
    } else {
        return 0;
    }
    int d = (dd[0] - '0') * 10 + (dd[1] - '0'), m = (mm[0] - '0') * 10 + (mm[1] - '0');
    if (m > 12 || d > 31 || (m == 0 && d != 0) || memcmp(yyyy, "0000", 4) == 0) return 0;
    memcpy(out, yyyy, 4);
    size_t n = 4;
    if (m) {
        out[n++] = '-';
        memcpy(out + n, mm, 2);
        n += 2;
        if (d) {
            out[n++] = '-';
            memcpy(out + n, dd, 2);
            n += 2;
        }
    }
    out[n] = '\0';
    return n;
}


/* ---------------------------------------------------------------- Other Information */

enum oi_mode {
    OI_TOKEN,   /* first word is the value ("RUS0270."), the rest is a remark */
    OI_LIST,    /* numbered list of values */
    OI_VALUE,   /* the whole text is the value */
    OI_GENDER,  /* "Male" / "Female" */
    OI_REMARK   /* kept as the remark "Tag: text" */
};

/* Tags OFSI writes as "(Tag):value" inside Other Information (counts of the
 * 2025-04-14 file in docs/lists/uk-ofsi.md). */
static const struct {
    const char *tag;
    cp_fact_type type;
    enum oi_mode mode;
    const char *detail;
} k_tags[] = {
    {"UK Sanctions List Ref", CP_FACT_OTHER_ID, OI_TOKEN, "UK Sanctions List Ref"},
    {"UN Ref", CP_FACT_OTHER_ID, OI_TOKEN, "UN Ref"},
    {"Gender", CP_FACT_GENDER, OI_GENDER, NULL},
    {"Phone number", CP_FACT_PHONE, OI_LIST, NULL},
    {"Tel", CP_FACT_PHONE, OI_LIST, NULL},
    {"Fax", CP_FACT_PHONE, OI_LIST, "fax"},
    {"Email address", CP_FACT_EMAIL, OI_LIST, NULL},
    {"Website", CP_FACT_WEBSITE, OI_LIST, NULL},
    {"Business Reg No", CP_FACT_REGISTRATION, OI_LIST, "Business Reg No"},
    {"IMO number", CP_FACT_IMO, OI_TOKEN, NULL},
    {"Flag of ship", CP_FACT_FLAG, OI_VALUE, NULL},
    {"Type of ship", CP_FACT_VESSEL_TYPE, OI_VALUE, NULL},
    {"Tonnage of ship", CP_FACT_TONNAGE, OI_VALUE, NULL},
    {"UK Statement of Reasons", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Type of entity", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Parent company", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Subsidiaries", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Current owners", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Previous flags", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Length of ship", CP_FACT_REMARK, OI_REMARK, NULL},
    {"Year built", CP_FACT_REMARK, OI_REMARK, NULL},
};
#define N_TAGS (sizeof k_tags / sizeof k_tags[0])

/* Index of the tag "(Tag):" starting at s[i] (s[i] == '('), or -1; *end
 * receives the offset after the colon. */
static int tag_at(cp_slice s, size_t i, size_t *end) {
    for (size_t t = 0; t < N_TAGS; t++) {
        size_t n = strlen(k_tags[t].tag);
        if (i + 1 + n + 2 <= s.len && memcmp(s.p + i + 1, k_tags[t].tag, n) == 0 && s.p[i + 1 + n] == ')' &&
            s.p[i + 2 + n] == ':') {
            *end = i + 3 + n;
            return (int)t;
        }
    }
    return -1;
}

/* A value without trailing dots/spaces ("RUS0270." -> "RUS0270"). */
static cp_slice strip_dot(cp_slice s) {
    s = cp_slice_trim(s);
    while (s.len && (s.p[s.len - 1] == '.' || s.p[s.len - 1] == ' ')) s.len--;
    return s;
}

static int remark(uk_ctx *c, const char *tag, cp_slice text) {
    cp_lb b;
    cp_lb_reset(&b);
    if (tag) cp_lb_add(&b, NULL, tag, strlen(tag));
    cp_lb_adds(&b, tag ? ": " : NULL, text);
    if (!text.len || !b.len) return 0;
    return fact(c, CP_FACT_REMARK, b.buf, b.len, NULL);
}

static int oi_segment(uk_ctx *c, int t, cp_slice v) {
    v = cp_slice_trim(v);
    if (!v.len) return 0;
    switch (k_tags[t].mode) {
    case OI_TOKEN: {
        size_t w = 0;
        while (w < v.len && v.p[w] != ' ' && v.p[w] != '\n' && v.p[w] != '\r' && v.p[w] != '\t') w++;
        cp_slice tok = {v.p, w}, rest = {v.p + w, v.len - w};
        if (fact_s(c, k_tags[t].type, strip_dot(tok), k_tags[t].detail) < 0) return -1;
        return remark(c, NULL, cp_slice_trim(rest));
    }
    case OI_LIST: {
        cp_slice it[UK_MAX_ITEMS];
        size_t n = split_numbered(v, it, UK_MAX_ITEMS);
        for (size_t i = 0; i < n; i++)
            if (fact_s(c, k_tags[t].type, strip_dot(it[i]), k_tags[t].detail) < 0) return -1;
        return 0;
    }
    case OI_VALUE:
        return fact_s(c, k_tags[t].type, strip_dot(v), k_tags[t].detail);
    case OI_GENDER:
        if (slice_ieq(strip_dot(v), "male")) return fact(c, CP_FACT_GENDER, "male", 4, NULL);
        if (slice_ieq(strip_dot(v), "female")) return fact(c, CP_FACT_GENDER, "female", 6, NULL);
        return remark(c, "Gender", v);
    case OI_REMARK:
    default:
        return remark(c, t >= 0 && strcmp(k_tags[t].tag, "UK Statement of Reasons") == 0 ? NULL : k_tags[t].tag, v);
    }
}

/* Splits Other Information at the known "(Tag):" markers; text before the
 * first marker (or with no marker at all) becomes a remark. */
static int other_information(uk_ctx *c, cp_slice s) {
    if (!s.len) return 0;
    size_t after = 0;
    int cur = -1;
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] != '(') continue;
        size_t end;
        int t = tag_at(s, i, &end);
        if (t < 0) continue;
        cp_slice seg = {s.p + after, i - after};
        if (cur < 0) {
            if (remark(c, NULL, cp_slice_trim(seg)) < 0) return -1;
        } else if (oi_segment(c, cur, seg) < 0) {
            return -1;
        }
        cur = t;
        after = end;
        i = end - 1;
    }
    cp_slice last = {s.p + after, s.len - after};
    if (cur < 0) return remark(c, NULL, cp_slice_trim(last));
    return oi_segment(c, cur, last);
}

/* ---------------------------------------------------------------- rows */

/* The name of the current row: Name 1..5 (given names) then Name 6. */
static void row_name(const uk_ctx *c, cp_lb *b) {
    cp_lb_reset(b);
    static const int order[] = {C_N1, C_N2, C_N3, C_N4, C_N5, C_N6};
    for (size_t i = 0; i < 6; i++) cp_lb_adds(b, " ", cell(c, order[i]));
}

/* Checks width and UTF-8 of the current record. Returns 1 when usable;
 * 0 after reporting it (when `report`). */
static int row_ok(uk_ctx *c, int report) {
    if (c->r.nfields != c->ncols) {
        if (report) {
            size_t k = c->r.nfields < c->ncols ? c->r.nfields : c->ncols;
            char field[64];
            if (c->r.nfields < c->ncols) {
                const char *nm = NULL;
                for (int j = 0; j < C__COUNT; j++)
                    if (c->col[j] == (int)k) nm = k_cols[j].name;
                snprintf(field, sizeof field, "%s", nm ? nm : "column");
            } else {
                snprintf(field, sizeof field, "column %zu", k + 1);
            }
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, field,
                           "row has %zu fields, the header has %zu; row skipped", c->r.nfields, c->ncols);
        }
        return 0;
    }
    for (size_t i = 0; i < c->r.nfields; i++) {
        size_t bad = cp_utf8_invalid_at(c->r.fields[i].p, c->r.fields[i].len);
        if (bad == c->r.fields[i].len) continue;
        if (report) {
            const char *nm = "column";
            for (int j = 0; j < C__COUNT; j++)
                if (c->col[j] == (int)i) nm = k_cols[j].name;
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, -1, nm,
                           "invalid UTF-8 at byte %zu of the field; row skipped", bad);
        }
        return 0;
    }
    if (!cell(c, C_GID).len) {
        if (report)
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, "Group ID",
                           "empty Group ID; row skipped");
        return 0;
    }
    return 1;
}

static int schema_of(cp_slice t) {
    if (slice_ieq(t, "Individual")) return CP_SCHEMA_PERSON;
    if (slice_ieq(t, "Entity")) return CP_SCHEMA_ORGANIZATION;
    if (slice_ieq(t, "Ship")) return CP_SCHEMA_VESSEL;
    return -1;
}

/* Maps one row. `primary` is 1 when this row carries the group's primary
 * name. Returns 0 (loaded or reported) or -1 (fatal). */
static int map_row(uk_ctx *c, int primary) {
    cp_slice gid = cell(c, C_GID), gtype = cell(c, C_GTYPE);
    int schema = schema_of(gtype);
    if (schema < 0) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, "Group Type",
                       "unknown Group Type \"%.*s\" (expected Individual, Entity or Ship); row skipped",
                       (int)(gtype.len > 40 ? 40 : gtype.len), gtype.p ? gtype.p : "");
        return 0;
    }
    c->ent = cp_list_find(c->l, gid.p, gid.len);
    if (c->ent < 0) {
        c->ent = cp_list_add_entity(c->l, gid.p, gid.len, (cp_schema)schema);
        if (c->ent < 0) return oom(c);
    } else {
        const cp_entity *e = cp_list_entity(c->l, (size_t)c->ent);
        if (e && e->schema != (cp_schema)schema)
            cp_diag_warningf(c->diag, c->file, c->r.line, c->r.offset, "Group Type",
                             "Group ID %.*s: Group Type \"%.*s\" differs from an earlier row; first kept",
                             (int)gid.len, gid.p, (int)gtype.len, gtype.p);
    }
    cp_lb nm;
    row_name(c, &nm);
    cp_slice at = cell(c, C_ATYPE), q = cell(c, C_AQUAL);
    cp_name_kind kind = CP_NAME_ALIAS;
    if (primary)
        kind = CP_NAME_PRIMARY;
    else if (slice_ieq(at, "FKA"))
        kind = CP_NAME_FORMER;
    else if (slice_ieq(q, "Low quality"))
        kind = CP_NAME_WEAK_ALIAS;
    if (!slice_ieq(at, "Primary name") && !slice_ieq(at, "Primary name variation") && !slice_ieq(at, "AKA") &&
        !slice_ieq(at, "FKA"))
        cp_diag_warningf(c->diag, c->file, c->r.line, c->r.offset, "Alias Type",
                         "unknown Alias Type \"%.*s\", taken as an alias", (int)(at.len > 40 ? 40 : at.len),
                         at.p ? at.p : "");
    if (nm.len) {
        if (cp_list_add_name(c->l, c->ent, nm.buf, nm.len, kind, NULL) < 0) return oom(c);
    } else {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, "Name 6",
                       "Group ID %.*s: row has no name (Name 1..Name 6 empty)", (int)gid.len, gid.p);
    }
    cp_slice nl = cell(c, C_NL_NAME);
    if (nl.len) {
        cp_slice lang = cell(c, C_NL_LANG);
        if (!lang.len) lang = cell(c, C_NL_TYPE);
        char lbuf[64];
        const char *lp = NULL;
        if (lang.len) {
            snprintf(lbuf, sizeof lbuf, "%.*s", (int)(lang.len > 63 ? 63 : lang.len), lang.p);
            lp = lbuf;
        } else {
            lp = cp_script_of(nl.p, nl.len);
        }
        cp_lb b;
        cp_lb_reset(&b);
        cp_lb_adds(&b, NULL, nl);
        if (cp_list_add_name(c->l, c->ent, b.buf, b.len, CP_NAME_ALIAS, lp) < 0) return oom(c);
    }
    cp_slice regime = cell(c, C_REGIME);
    if (regime.len && cp_list_add_program(c->l, c->ent, regime.p, regime.len) < 0) return oom(c);

    char iso[11];
    cp_slice dob = cell(c, C_DOB);
    if (dob.len) {
        size_t n = uk_date(dob, iso);
        if (n) {
            if (fact(c, CP_FACT_DOB, iso, n, NULL) < 0) return -1;
        } else {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, "DOB",
                           "Group ID %.*s: DOB \"%.*s\" is not DD/MM/YYYY, MM/YYYY or YYYY", (int)gid.len, gid.p,
                           (int)(dob.len > 40 ? 40 : dob.len), dob.p);
        }
    }
    cp_slice listed = cell(c, C_LISTED);
    if (listed.len) {
        size_t n = uk_date(listed, iso);
        if (n == 10) {
            if (fact(c, CP_FACT_LISTED_ON, iso, n, NULL) < 0) return -1;
        } else {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, "Listed On",
                           "Group ID %.*s: Listed On \"%.*s\" is not DD/MM/YYYY", (int)gid.len, gid.p,
                           (int)(listed.len > 40 ? 40 : listed.len), listed.p);
        }
    }
    /* Place of birth: towns paired with countries. */
    {
        cp_slice t[UK_MAX_ITEMS], k[UK_MAX_ITEMS];
        size_t nt = split_numbered(cell(c, C_TOWN), t, UK_MAX_ITEMS);
        size_t nk = split_numbered(cell(c, C_COB), k, UK_MAX_ITEMS);
        size_t n = nt > nk ? nt : nk;
        for (size_t i = 0; i < n; i++) {
            cp_lb b;
            cp_lb_reset(&b);
            if (nt) cp_lb_adds(&b, ", ", nt == 1 ? t[0] : i < nt ? t[i] : (cp_slice){NULL, 0});
            if (nk) cp_lb_adds(&b, ", ", nk == 1 ? k[0] : i < nk ? k[i] : (cp_slice){NULL, 0});
            if (b.len && fact(c, CP_FACT_POB, b.buf, b.len, NULL) < 0) return -1;
        }
    }
    if (facts_numbered(c, CP_FACT_NATIONALITY, cell(c, C_NAT), NULL) < 0 ||
        facts_paired(c, CP_FACT_PASSPORT, cell(c, C_PASS), cell(c, C_PASS_DET)) < 0 ||
        facts_paired(c, CP_FACT_NATIONAL_ID, cell(c, C_NID), cell(c, C_NID_DET)) < 0 ||
        facts_numbered(c, CP_FACT_TITLE, cell(c, C_TITLE), "title") < 0 ||
        facts_numbered(c, CP_FACT_TITLE, cell(c, C_POSITION), "position") < 0 ||
        facts_numbered(c, CP_FACT_COUNTRY, cell(c, C_COUNTRY), NULL) < 0)
        return -1;
    /* Address: Address 1..6, Post/Zip Code, Country on one line. */
    {
        static const int parts[] = {C_A1, C_A2, C_A3, C_A4, C_A5, C_A6, C_POST};
        cp_lb b;
        cp_lb_reset(&b);
        for (size_t i = 0; i < 7; i++) cp_lb_adds(&b, ", ", cell(c, parts[i]));
        if (b.len) {
            cp_lb_adds(&b, ", ", cell(c, C_COUNTRY));
            if (fact(c, CP_FACT_ADDRESS, b.buf, b.len, NULL) < 0) return -1;
        }
    }
    return other_information(c, cell(c, C_OTHER));
}

/* ---------------------------------------------------------------- header and passes */

/* Reads rows 1-2 (the "Last Updated" line, then the header; a file that
 * starts with the header is accepted) and maps the columns by name.
 * Returns 0, or -1 with err filled. */
static int read_header(uk_ctx *c) {
    cp_error e;
    int rc = cp_csv_next(&c->r, &e);
    if (rc < 0) {
        *c->err = e;
        return -1;
    }
    if (rc == 0) {
        cp_error_set(c->err, CP_ERR_FORMAT, c->file, 1, 0, NULL, "empty file: not an OFSI ConList CSV");
        return -1;
    }
    cp_slice f0 = c->r.nfields ? cp_slice_trim(c->r.fields[0]) : (cp_slice){NULL, 0};
    if (f0.len >= 3 && memcmp(f0.p, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 byte order mark */
        f0.p += 3;
        f0.len -= 3;
    }
    if (!cp_slice_eq(f0, "Name 6")) {
        if (!cp_slice_eq(f0, "Last Updated")) {
            cp_error_set(c->err, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, NULL,
                         "not an OFSI ConList CSV: row 1 should be \"Last Updated,DD/MM/YYYY\"");
            return -1;
        }
        rc = cp_csv_next(&c->r, &e);
        if (rc < 0) {
            *c->err = e;
            return -1;
        }
        if (rc == 0) {
            cp_error_set(c->err, CP_ERR_FORMAT, c->file, c->r.next_line, -1, NULL, "no header row after row 1");
            return -1;
        }
    }
    if (c->r.nfields > UK_MAX_COLS) {
        cp_error_set(c->err, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, NULL,
                     "header has %zu columns (at most %d accepted)", c->r.nfields, UK_MAX_COLS);
        return -1;
    }
    c->ncols = c->r.nfields;
    for (int k = 0; k < C__COUNT; k++) c->col[k] = -1;
    for (size_t i = 0; i < c->r.nfields; i++) {
        cp_slice h = cp_slice_trim(c->r.fields[i]);
        if (i == 0 && h.len >= 3 && memcmp(h.p, "\xEF\xBB\xBF", 3) == 0) {
            h.p += 3;
            h.len -= 3;
        }
        for (int k = 0; k < C__COUNT; k++)
            if (c->col[k] < 0 && cp_slice_eq(h, k_cols[k].name)) {
                c->col[k] = (int)i;
                break;
            }
    }
    for (int k = 0; k < C__COUNT; k++) {
        if (c->col[k] >= 0) continue;
        if (k_cols[k].required) {
            cp_error_set(c->err, CP_ERR_FORMAT, c->file, c->r.line, c->r.offset, k_cols[k].name,
                         "required column \"%s\" is missing from the header", k_cols[k].name);
            return -1;
        }
        cp_diag_warningf(c->diag, c->file, c->r.line, c->r.offset, k_cols[k].name,
                         "column \"%s\" is missing from the header; its data is not loaded", k_cols[k].name);
    }
    return 0;
}

/* Pass 1: which row carries each group's primary name: the first
 * "Primary name" row, else the group's first row. map: Group ID ->
 * row ordinal * 2 + (1 if a "Primary name" row). */
static int find_primaries(uk_ctx *c, cp_strmap *map) {
    uint32_t row = 0;
    cp_error e;
    int rc;
    while ((rc = cp_csv_next(&c->r, &e)) != 0) {
        if (rc < 0) {
            /* An allocation failure in the CSV reader fails the load (found
             * by tests/unit/test_alloc_fail.c: it used to end pass 1 early
             * and silently change which rows became primary names). */
            if (e.code == CP_ERR_NOMEM) return oom(c);
            continue; /* malformed record: reported in pass 2 */
        }
        if (row == UINT32_MAX / 2) break;
        uint32_t me = row++;
        if (!row_ok(c, 0)) continue;
        cp_slice gid = cell(c, C_GID);
        uint32_t isprim = slice_ieq(cell(c, C_ATYPE), "Primary name") ? 1u : 0u, v;
        int have = cp_strmap_get(map, gid.p, gid.len, &v);
        if (!have || (!(v & 1u) && isprim))
            if (cp_strmap_put(map, gid.p, gid.len, me * 2 + isprim) < 0) return oom(c);
    }
    return 0;
}

int cp_load_uk_ofsi_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    const cp_list_file *f = cp_list_file_find(files, n, "main");
    if (!f) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "UK OFSI list: the \"main\" file (ConList.csv) is missing");
        return -1;
    }
    uk_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.file = f->name ? f->name : "ConList.csv";
    c.diag = cp_list_diag(l);
    c.err = err;
    cp_strmap *prim = cp_strmap_new();
    if (!prim) {
        cp_error_set(err, CP_ERR_NOMEM, c.file, 0, -1, NULL, "out of memory");
        return -1;
    }
    int ret = -1;
    cp_csv_init(&c.r, f->data, f->len, ',', c.file);
    if (read_header(&c) < 0) goto done;
    size_t data_start = c.r.pos;
    long data_line = c.r.next_line;
    if (find_primaries(&c, prim) < 0) goto done;
    /* Pass 2: map every row. */
    cp_csv_free(&c.r);
    cp_csv_init(&c.r, f->data, f->len, ',', c.file);
    c.r.pos = data_start;
    c.r.next_line = data_line;
    uint32_t row = 0;
    cp_error e;
    int rc;
    ret = 0;
    while ((rc = cp_csv_next(&c.r, &e)) != 0) {
        if (rc < 0) {
            if (e.code == CP_ERR_NOMEM) { /* fail the load, not a malformed row */
                *err = e;
                ret = -1;
                break;
            }
            cp_diag_error(c.diag, &e);
            continue;
        }
        if (row == UINT32_MAX / 2) {
            cp_error_set(err, CP_ERR_FORMAT, c.file, c.r.line, c.r.offset, NULL, "too many rows");
            ret = -1;
            break;
        }
        uint32_t me = row++;
        if (!row_ok(&c, 1)) continue;
        cp_slice gid = cell(&c, C_GID);
        uint32_t v = 0;
        int primary = cp_strmap_get(prim, gid.p, gid.len, &v) && (v >> 1) == me;
        if (map_row(&c, primary) < 0) {
            ret = -1;
            break;
        }
    }
done:
    cp_csv_free(&c.r);
    cp_strmap_free(prim);
    return ret;
}
