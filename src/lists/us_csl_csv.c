/* US Consolidated Screening List (trade.gov) CSV loader.
 *
 * Format: https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv
 * (documented in the CSL API "Data Fields"): RFC 4180 CSV, one header line,
 * 29 columns identified by name (_id, source, entity_number, type, programs,
 * name, title, addresses, federal_register_notice, start_date, end_date,
 * standard_order, license_requirement, license_policy, call_sign,
 * vessel_type, gross_tonnage, gross_registered_tonnage, vessel_flag,
 * vessel_owner, remarks, source_list_url, alt_names, citizenships,
 * dates_of_birth, nationalities, places_of_birth, source_information_url,
 * ids). Multi-valued cells are separated by ";". Mapping and quirks:
 * docs/lists/us-csl.md. */
#include "lists/loaders.h"
#include "core/utf8.h"
#include "lists/loader_util.h"
#include "core/csv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    C_ID, C_SOURCE, C_ENTITY_NUMBER, C_TYPE, C_PROGRAMS, C_NAME, C_TITLE, C_ADDRESSES,
    C_FRN, C_START, C_END, C_STANDARD_ORDER, C_LIC_REQ, C_LIC_POL, C_CALL_SIGN,
    C_VESSEL_TYPE, C_GROSS_TONNAGE, C_GRT, C_VESSEL_FLAG, C_VESSEL_OWNER, C_REMARKS,
    C_SOURCE_LIST_URL, C_ALT_NAMES, C_CITIZENSHIPS, C_DOBS, C_NATIONALITIES, C_POBS,
    C_SOURCE_INFO_URL, C_IDS, C__COUNT
};

static const char *const col_names[C__COUNT] = {
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids"};

/* Columns without which a row cannot be mapped. The others are optional. */
static const int required_cols[] = {C_ID, C_SOURCE, C_NAME, C_TYPE};

enum { CSL_MAX_FIELD = 1 << 20, CSL_MAX_COLUMNS = 256 };

/* The CSL sub-lists: short code as trade.gov prints it in parentheses, and
 * the topic (FollowTheMoney topic names). BIS and State ITAR lists are
 * export controls; Treasury and State nonproliferation lists are sanctions. */
static const struct {
    const char *code;
    const char *topic;
} sources[] = {
    {"EL", "export.control"},  {"MEU", "export.control"}, {"DPL", "export.control"},
    {"UVL", "export.control"}, {"DTC", "export.control"}, {"ISN", "sanction"},
    {"SDN", "sanction"},       {"SSI", "sanction"},       {"PLC", "sanction"},
    {"CMIC", "sanction"},      {"NS-MBS", "sanction"},    {"FSE", "sanction"},
    {"CAP", "sanction"},
};

typedef struct csl_ctx {
    cp_list *l;
    const char *file;
    int col[C__COUNT]; /* column index or -1 */
    long line;
    cp_error err;
} csl_ctx;

static cp_slice cell(const csl_ctx *c, const cp_csv *r, int which) {
    cp_slice s = {"", 0};
    int i = c->col[which];
    if (i >= 0 && (size_t)i < r->nfields) s = cp_slice_trim(r->fields[i]);
    return s;
}

/* Next ';'-separated, trimmed part of *s (advances *s); 0 when none left. */
static int next_part(cp_slice *s, cp_slice *part) {
    while (s->len) {
        const char *semi = memchr(s->p, ';', s->len);
        size_t n = semi ? (size_t)(semi - s->p) : s->len;
        part->p = s->p;
        part->len = n;
        s->p += semi ? n + 1 : n;
        s->len -= semi ? n + 1 : n;
        *part = cp_slice_trim(*part);
        if (part->len) return 1;
    }
    return 0;
}

static int is_cc(cp_slice s) {
    return s.len == 2 && s.p[0] >= 'A' && s.p[0] <= 'Z' && s.p[1] >= 'A' && s.p[1] <= 'Z';
}

/* Short code of a CSL `source` value: the text in the first parentheses,
 * without a trailing " List" ("Non-SDN Menu-Based Sanctions List (NS-MBS
 * List) - Treasury Department" -> "NS-MBS"). Writes into buf; 0 if none. */
static size_t source_code(cp_slice src, char *buf, size_t cap) {
    const char *o = memchr(src.p, '(', src.len);
    if (!o) return 0;
    size_t rest = src.len - (size_t)(o - src.p) - 1;
    const char *cl = memchr(o + 1, ')', rest);
    if (!cl) return 0;
    size_t n = (size_t)(cl - o - 1);
    if (n > 5 && memcmp(o + 1 + n - 5, " List", 5) == 0) n -= 5;
    if (!n || n >= cap) return 0;
    memcpy(buf, o + 1, n);
    buf[n] = '\0';
    return n;
}

static const char *topic_for(const char *code, cp_slice src) {
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(sources[i].code, code) == 0) return sources[i].topic;
    /* unknown sub-list: decide by the publishing department */
    static const char bis[] = "Bureau of Industry and Security";
    if (src.len >= sizeof bis - 1 && memcmp(src.p + src.len - (sizeof bis - 1), bis, sizeof bis - 1) == 0)
        return "export.control";
    return "sanction";
}

static int in_table(const char *label, const char *const *tbl, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(label, tbl[i]) == 0) return 1;
    return 0;
}

/* Maps one "Type, Number, Country[, Date]" item of the `ids` column. */
static int add_id(csl_ctx *c, long ent, cp_slice item) {
    cp_list *l = c->l;
    const char *comma = memchr(item.p, ',', item.len);
    if (!comma) return cp_list_add_fact(l, ent, CP_FACT_OTHER_ID, item.p, item.len, NULL);
    size_t ln = (size_t)(comma - item.p);
    char label[128];
    if (ln >= sizeof label) ln = sizeof label - 1;
    memcpy(label, item.p, ln);
    label[ln] = '\0';
    cp_slice rest = {comma + 1, item.len - (size_t)(comma - item.p) - 1};
    rest = cp_slice_trim(rest);
    /* Free-text items: the whole remainder is the value. */
    static const char *const secondary[] = {
        "Secondary sanctions risk:", "Additional Sanctions Information -", "Executive Order",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        "CAATSA Section 235 Information:", "IFCA Determination -"};
    for (size_t i = 0; i < sizeof secondary / sizeof secondary[0]; i++)
        if (strncmp(label, secondary[i], strlen(secondary[i])) == 0)
            return cp_list_add_fact(l, ent, CP_FACT_SECONDARY, rest.p, rest.len, label);
    if (strstr(label, "Date") && strcmp(label, "Organization Established Date") != 0)
        return cp_list_add_fact(l, ent, CP_FACT_REMARK, rest.p, rest.len, label);
    /* value, optional country */
    cp_slice val = rest, cc = {"", 0};
    const char *c2 = memchr(rest.p, ',', rest.len);
    if (c2) {
        val.len = (size_t)(c2 - rest.p);
        val = cp_slice_trim(val);
        cp_slice after = {c2 + 1, rest.len - (size_t)(c2 - rest.p) - 1};
        const char *c3 = memchr(after.p, ',', after.len);
        if (c3) after.len = (size_t)(c3 - after.p);
        after = cp_slice_trim(after);
        if (is_cc(after)) cc = after;
    }
    char ccs[3] = {0};
    if (cc.len) memcpy(ccs, cc.p, 2);
    const char *ccd = cc.len ? ccs : NULL;
    static const char *const passports[] = {"Passport", "Diplomatic Passport",
                                            "British National Overseas Passport",
                                            "Travel Document Number"};
    static const char *const taxes[] = {"Tax ID No.", "NIT #", "R.F.C.", "RFC", "RUC #",
                                        "US FEIN", "V.A.T. Number", "C.U.I.T.",
                                        "Italian Fiscal Code",
                                        "Paraguayan tax identification number"};
    static const char *const regs[] = {"Registration ID", "Registration Number",
                                       "Unified Social Credit Code (USCC)",
                                       "Business Registration Document #", "C.R. No.",
                                       "Public Registration Number",
                                       "Certificate of Incorporation Number", "Company Number",
                                       "Business Registration Number", "UK Company Number",
                                       "LE Number", "Registered Charity No.",
                                       "Commercial Registry Number", "Chamber of Commerce Number"};
    static const char *const natids[] = {"Cedula No.", "National ID No.", "D.N.I.", "C.U.R.P.",
                                         "Credencial electoral", "Electoral Registry No.",
                                         "Personal ID Card", "Kenyan ID No.",
                                         "Bosnian Personal ID No.", "Moroccan Personal ID No.",
                                         "Identification Number", "National Foreign ID Number",
                                         "SSN", "Identification Card", "Residency Number"};
#define IN(tbl) in_table(label, tbl, sizeof tbl / sizeof tbl[0])
    if (IN(passports))
        return cp_list_add_fact(l, ent, CP_FACT_PASSPORT, val.p, val.len, ccd);
    if (IN(natids))
        return cp_list_add_fact(l, ent, CP_FACT_NATIONAL_ID, val.p, val.len, ccd);
    if (IN(taxes)) return cp_list_add_fact(l, ent, CP_FACT_TAX_ID, val.p, val.len, label);
    if (IN(regs)) return cp_list_add_fact(l, ent, CP_FACT_REGISTRATION, val.p, val.len, label);
    if (strcmp(label, "SWIFT/BIC") == 0) return cp_list_add_fact(l, ent, CP_FACT_BIC, val.p, val.len, NULL);
    if (strcmp(label, "Legal Entity Number") == 0)
        return cp_list_add_fact(l, ent, CP_FACT_LEI, val.p, val.len, NULL);
    if (strcmp(label, "MMSI") == 0) return cp_list_add_fact(l, ent, CP_FACT_MMSI, val.p, val.len, NULL);
    if (strcmp(label, "Vessel Registration Identification") == 0) {
        if (val.len > 4 && strncasecmp(val.p, "IMO ", 4) == 0)
            return cp_list_add_fact(l, ent, CP_FACT_IMO, val.p + 4, val.len - 4, label);
        return cp_list_add_fact(l, ent, CP_FACT_OTHER_ID, val.p, val.len, label);
    }
    if (strcmp(label, "Email Address") == 0) return cp_list_add_fact(l, ent, CP_FACT_EMAIL, val.p, val.len, NULL);
    if (strcmp(label, "Website") == 0) return cp_list_add_fact(l, ent, CP_FACT_WEBSITE, val.p, val.len, NULL);
    if (strcmp(label, "Phone Number") == 0) return cp_list_add_fact(l, ent, CP_FACT_PHONE, val.p, val.len, NULL);
    if (strncmp(label, "Digital Currency Address - ", 27) == 0)
        return cp_list_add_fact(l, ent, CP_FACT_CRYPTO, val.p, val.len, label + 27);
    if (strcmp(label, "Gender") == 0) {
        const char *g = val.len && (val.p[0] == 'M' || val.p[0] == 'm') ? "male"
                        : val.len && (val.p[0] == 'F' || val.p[0] == 'f') ? "female" : NULL;
        return g ? cp_list_add_fact(l, ent, CP_FACT_GENDER, g, strlen(g), NULL)
                 : cp_list_add_fact(l, ent, CP_FACT_OTHER_ID, val.p, val.len, label);
    }
    if (strcmp(label, "Organization Established Date") == 0) {
        char iso[CP_LU_DATE_MAX];
        size_t n = cp_lu_date_iso(val.p, val.len, iso, NULL);
        return n ? cp_list_add_fact(l, ent, CP_FACT_ESTABLISHED, iso, n, NULL)
                 : cp_list_add_fact(l, ent, CP_FACT_ESTABLISHED, val.p, val.len, NULL);
    }
    if (strcmp(label, "Nationality Country") == 0)
        return cp_list_add_fact(l, ent, CP_FACT_NATIONALITY, val.p, val.len, NULL);
    if (strcmp(label, "Nationality of Registration") == 0)
        return cp_list_add_fact(l, ent, CP_FACT_COUNTRY, val.p, val.len, label);
    if (strcmp(label, "Target Type") == 0 || strcmp(label, "Organization Type:") == 0 ||
        strcmp(label, "Issuer Name") == 0)
        return cp_list_add_fact(l, ent, CP_FACT_REMARK, rest.p, rest.len, label);
#undef IN
    return cp_list_add_fact(l, ent, CP_FACT_OTHER_ID, val.p, val.len, label);
}

/* Adds a list of ';'-separated values as facts of one type. Dates are
 * normalized (cp_lu_date_iso) when `dates` is set. */
static int add_multi(cp_list *l, long ent, cp_slice s, cp_fact_type t, int dates) {
    cp_slice part;
    while (next_part(&s, &part)) {
        if (dates) {
            char iso[CP_LU_DATE_MAX];
            int circa = 0;
            size_t n = cp_lu_date_iso(part.p, part.len, iso, &circa);
            if (n) {
                if (cp_list_add_fact(l, ent, t, iso, n, circa ? "circa" : NULL) < 0) return -1;
                continue;
            }
        }
        if (cp_list_add_fact(l, ent, t, part.p, part.len, NULL) < 0) return -1;
    }
    return 0;
}

static int add_remark(cp_list *l, long ent, cp_slice s, const char *label) {
    return cp_list_add_fact(l, ent, CP_FACT_REMARK, s.p, s.len, label);
}

/* Maps one data row (fields already checked for count and UTF-8). */
static int map_row(csl_ctx *c, const cp_csv *r) {
    cp_list *l = c->l;
    cp_slice id = cell(c, r, C_ID), name = cell(c, r, C_NAME), src = cell(c, r, C_SOURCE);
    cp_slice type = cell(c, r, C_TYPE);
    if (!id.len || !name.len) {
        cp_diag_errorf(cp_list_diag(l), CP_ERR_FORMAT, c->file, r->line, r->offset,
                       id.len ? "name" : "_id", "record without %s: skipped",
                       id.len ? "a name" : "an _id");
        return 0;
    }
    cp_schema schema = CP_SCHEMA_ANY;
    if (cp_slice_eq(type, "Individual")) schema = CP_SCHEMA_PERSON;
    else if (cp_slice_eq(type, "Entity")) schema = CP_SCHEMA_ORGANIZATION;
    else if (cp_slice_eq(type, "Vessel")) schema = CP_SCHEMA_VESSEL;
    else if (cp_slice_eq(type, "Aircraft")) schema = CP_SCHEMA_AIRCRAFT;
    else if (type.len) {
        cp_diag_warningf(cp_list_diag(l), c->file, r->line, r->offset, "type",
                         "unknown type \"%.*s\": schema left unknown", (int)(type.len > 40 ? 40 : type.len),
                         type.p);
    } else if (cp_lu_looks_org(name.p, name.len)) {
        schema = CP_SCHEMA_ORGANIZATION; /* empty type (BIS/State lists): legal-form hint */
    }
    /* The same OFAC ent_num appears on two sub-lists (e.g. SSI and NS-MBS):
     * one party, so the rows are merged into one list entity. */
    long ent = cp_list_find(l, id.p, id.len);
    int merged = ent >= 0;
    if (!merged) {
        ent = cp_list_add_entity(l, id.p, id.len, schema);
        if (ent < 0) return -1;
    }
    if (cp_list_add_name(l, ent, name.p, name.len, merged ? CP_NAME_ALIAS : CP_NAME_PRIMARY, NULL) < 0)
        return -1;
    cp_slice s = cell(c, r, C_ALT_NAMES), part;
    while (next_part(&s, &part))
        if (cp_list_add_name(l, ent, part.p, part.len, CP_NAME_ALIAS, NULL) < 0) return -1;
    /* source list, programs, topic */
    char code[32];
    size_t cn = source_code(src, code, sizeof code);
    if (src.len) {
        char full[512];
        size_t fl = src.len < sizeof full - 1 ? src.len : sizeof full - 1;
        memcpy(full, src.p, fl);
        full[fl] = '\0';
        if (cn) {
            if (cp_list_add_fact(l, ent, CP_FACT_SOURCE_LIST, code, cn, full) < 0) return -1;
            if (cp_list_add_program(l, ent, code, cn) < 0) return -1;
        } else {
            cp_diag_warningf(cp_list_diag(l), c->file, r->line, r->offset, "source",
                             "source without a (CODE): kept as published");
            if (cp_list_add_fact(l, ent, CP_FACT_SOURCE_LIST, src.p, src.len, NULL) < 0) return -1;
        }
        const char *topic = topic_for(cn ? code : "", src);
        if (cp_list_add_fact(l, ent, CP_FACT_TOPIC, topic, strlen(topic), NULL) < 0) return -1;
    }
    s = cell(c, r, C_PROGRAMS);
    while (next_part(&s, &part))
        if (cp_list_add_program(l, ent, part.p, part.len) < 0) return -1;
    /* addresses: "street, city, ..., CC" */
    s = cell(c, r, C_ADDRESSES);
    while (next_part(&s, &part)) {
        const char *lc = NULL;
        for (size_t i = part.len; i > 0; i--)
            if (part.p[i - 1] == ',') { lc = part.p + i - 1; break; }
        cp_slice last = part;
        if (lc) {
            last.p = lc + 1;
            last.len = part.len - (size_t)(lc + 1 - part.p);
            last = cp_slice_trim(last);
        }
        if (is_cc(last) && cp_list_add_fact(l, ent, CP_FACT_COUNTRY, last.p, 2, NULL) < 0) return -1;
        if (!(lc == NULL && is_cc(last)) &&
            cp_list_add_fact(l, ent, CP_FACT_ADDRESS, part.p, part.len, NULL) < 0)
            return -1;
    }
    s = cell(c, r, C_IDS);
    while (next_part(&s, &part))
        if (add_id(c, ent, part) < 0) return -1;
    if (add_multi(l, ent, cell(c, r, C_CITIZENSHIPS), CP_FACT_CITIZENSHIP, 0) < 0 ||
        add_multi(l, ent, cell(c, r, C_NATIONALITIES), CP_FACT_NATIONALITY, 0) < 0 ||
        add_multi(l, ent, cell(c, r, C_DOBS), CP_FACT_DOB, 1) < 0 ||
        add_multi(l, ent, cell(c, r, C_POBS), CP_FACT_POB, 0) < 0)
        return -1;
    cp_slice t = cell(c, r, C_TITLE);
    if (cp_list_add_fact(l, ent, CP_FACT_TITLE, t.p, t.len, NULL) < 0) return -1;
    /* designation */
    t = cell(c, r, C_START);
    if (t.len) {
        char iso[CP_LU_DATE_MAX];
        size_t n = cp_lu_date_iso(t.p, t.len, iso, NULL);
        if (cp_list_add_fact(l, ent, CP_FACT_LISTED_ON, n ? iso : t.p, n ? n : t.len, cn ? code : NULL) < 0)
            return -1;
    }
    if (add_remark(l, ent, cell(c, r, C_END), "end_date") < 0 ||
        add_remark(l, ent, cell(c, r, C_FRN), "federal_register_notice") < 0 ||
        add_remark(l, ent, cell(c, r, C_STANDARD_ORDER), "standard_order") < 0 ||
        add_remark(l, ent, cell(c, r, C_LIC_REQ), "license_requirement") < 0 ||
        add_remark(l, ent, cell(c, r, C_LIC_POL), "license_policy") < 0 ||
        add_remark(l, ent, cell(c, r, C_REMARKS), NULL) < 0)
        return -1;
    /* vessel fields */
    t = cell(c, r, C_CALL_SIGN);
    if (cp_list_add_fact(l, ent, CP_FACT_CALL_SIGN, t.p, t.len, NULL) < 0) return -1;
    t = cell(c, r, C_VESSEL_TYPE);
    if (cp_list_add_fact(l, ent, CP_FACT_VESSEL_TYPE, t.p, t.len, NULL) < 0) return -1;
    t = cell(c, r, C_GROSS_TONNAGE);
    if (cp_list_add_fact(l, ent, CP_FACT_TONNAGE, t.p, t.len, "gross_tonnage") < 0) return -1;
    t = cell(c, r, C_GRT);
    if (cp_list_add_fact(l, ent, CP_FACT_TONNAGE, t.p, t.len, "gross_registered_tonnage") < 0) return -1;
    t = cell(c, r, C_VESSEL_FLAG);
    if (cp_list_add_fact(l, ent, CP_FACT_FLAG, t.p, t.len, NULL) < 0) return -1;
    t = cell(c, r, C_VESSEL_OWNER);
    if (cp_list_add_relation(l, ent, CP_REL_OWNED_BY, t.p, t.len, NULL) < 0) return -1;
    return 0;
}

/* Field number k (1-based) named in a cp_csv error message ("field 8: ..."),
 * or 0. */
static size_t error_field_no(const cp_error *e) {
    size_t k = 0;
    if (sscanf(e->message, "field %zu:", &k) != 1) return 0;
    return k;
}

int cp_load_us_csl_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    const cp_list_file *f = cp_list_file_find(files, n, "main");
    if (!f) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "us-csl: no \"main\" file (consolidated.csv)");
        return -1;
    }
    csl_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.file = f->name;
    for (int i = 0; i < C__COUNT; i++) c.col[i] = -1;
    cp_diag *d = cp_list_diag(l);
    cp_csv r;
    cp_csv_init(&r, f->data, f->len, ',', f->name);
    cp_error e;
    int rc = cp_csv_next(&r, &e);
    if (rc <= 0) {
        if (rc == 0) cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, NULL, "us-csl: empty file (no header line)");
        else *err = e;
        cp_csv_free(&r);
        return -1;
    }
    /* header: columns by name */
    size_t ncols = r.nfields;
    char **hdr = NULL;
    if (ncols > CSL_MAX_COLUMNS) {
        cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, NULL,
                     "us-csl: header has %zu columns (at most %d expected)", ncols, CSL_MAX_COLUMNS);
        goto fail;
    }
    hdr = calloc(ncols, sizeof *hdr);
    if (!hdr) goto nomem;
    for (size_t i = 0; i < ncols; i++) {
        cp_slice h = r.fields[i];
        if (i == 0 && h.len >= 3 && memcmp(h.p, "\xEF\xBB\xBF", 3) == 0) { h.p += 3; h.len -= 3; }
        if (!(hdr[i] = malloc(h.len + 1))) goto nomem;
        memcpy(hdr[i], h.p, h.len);
        hdr[i][h.len] = '\0';
        for (int k = 0; k < C__COUNT; k++)
            if (c.col[k] < 0 && strcmp(hdr[i], col_names[k]) == 0) c.col[k] = (int)i;
    }
    for (size_t k = 0; k < sizeof required_cols / sizeof required_cols[0]; k++) {
        int want = required_cols[k];
        if (c.col[want] >= 0) continue;
        if (want == C_ID && c.col[C_SOURCE] >= 0 && c.col[C_ENTITY_NUMBER] >= 0)
            cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, "_id",
                         "us-csl: header has no \"_id\" column: this is the pre-2020 CSL layout, which is "
                         "not supported (download the current consolidated.csv from data.trade.gov)");
        else
            cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, col_names[want],
                         "us-csl: required column \"%s\" missing from the header", col_names[want]);
        goto fail;
    }
    for (;;) {
        rc = cp_csv_next(&r, &e);
        if (rc == 0) break;
        if (rc < 0) {
            if (e.code == CP_ERR_NOMEM) goto nomem;
            size_t k = error_field_no(&e);
            if (k >= 1 && k <= ncols) snprintf(e.field, sizeof e.field, "%s", hdr[k - 1]);
            cp_diag_error(d, &e);
            continue;
        }
        if (r.nfields == ncols) {
            size_t i = 0;
            while (i < ncols && cp_slice_eq(r.fields[i], hdr[i])) i++;
            if (i == ncols) {
                cp_diag_warningf(d, f->name, r.line, r.offset, NULL,
                                 "the header line is repeated here: not a record, skipped");
                continue;
            }
        } else {
            cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, NULL,
                           "record has %zu fields, the header %zu: skipped", r.nfields, ncols);
            continue;
        }
        int bad = 0;
        for (size_t i = 0; i < ncols && !bad; i++) {
            size_t at;
            if (r.fields[i].len > CSL_MAX_FIELD) {
                cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, hdr[i],
                               "field longer than %d bytes: record skipped", CSL_MAX_FIELD);
                bad = 1;
            } else if ((at = cp_utf8_invalid_at(r.fields[i].p, r.fields[i].len)) < r.fields[i].len) {
                cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, hdr[i],
                               "invalid UTF-8 at byte %zu of the field: record skipped", at);
                bad = 1;
            }
        }
        if (bad) continue;
        c.line = r.line;
        if (map_row(&c, &r) < 0) goto nomem;
    }
    for (size_t i = 0; i < ncols; i++) free(hdr[i]);
    free(hdr);
    cp_csv_free(&r);
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, f->name, r.line, r.offset, NULL, "us-csl: out of memory");
fail:
    if (hdr)
        for (size_t i = 0; i < ncols; i++) free(hdr[i]);
    free(hdr);
    cp_csv_free(&r);
    return -1;
}
