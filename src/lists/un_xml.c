/* UN Security Council Consolidated List loader (list id "un-sc").
 *
 * Format: https://scsanctions.un.org/resources/xml/en/consolidated.xml,
 * schema https://www.un.org/sc/resources/sc-sanctions.xsd. Root
 * <CONSOLIDATED_LIST> holds <INDIVIDUALS><INDIVIDUAL>... and
 * <ENTITIES><ENTITY>... Mapping (checked against the 2026-02-27 file, see
 * docs/lists/un.md):
 *   REFERENCE_NUMBER (e.g. QDi.001)   -> entity id "un-sc:QDi.001" (required)
 *   INDIVIDUAL / ENTITY                -> person / organization
 *   FIRST_NAME..FOURTH_NAME            -> primary name, parts joined in order
 *                                         (given name first, not surname-first)
 *   NAME_ORIGINAL_SCRIPT               -> alias, lang = ISO 15924 script code
 *   *_ALIAS QUALITY Good / a.k.a.      -> alias; Low -> weak alias; f.k.a. -> former
 *   UN_LIST_TYPE, reference prefix     -> programs ("Al-Qaida", "QD")
 *   INDIVIDUAL_DATE_OF_BIRTH           -> dob: DATE, YEAR or "FROM..TO";
 *                                         APPROXIMATELY -> detail "circa"
 *   INDIVIDUAL_PLACE_OF_BIRTH          -> pob "city, state, country"
 *   NATIONALITY/VALUE, TITLE/VALUE, DESIGNATION/VALUE, GENDER, LISTED_ON,
 *   *_ADDRESS (+ country), INDIVIDUAL_DOCUMENT, COMMENTS1 -> facts
 */
#include "lists/loaders.h"
#include "lists/xml_util.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct un_ctx {
    cp_list *l;
    cp_arena *a;       /* the list arena (rare multi-node text joins) */
    const char *file;
    cp_diag *diag;
    cp_error *err;
    long ent;
    long line;         /* line of the record being loaded */
    char ref[96];      /* its REFERENCE_NUMBER (for messages) */
} un_ctx;

/* Returns -1 (OOM) after filling err. */
static int oom(un_ctx *c) {
    cp_error_set(c->err, CP_ERR_NOMEM, c->file, c->line, -1, NULL, "out of memory");
    return -1;
}

static int text(un_ctx *c, const xmlNode *n, const char *child, cp_slice *out) {
    if (cp_xml_child_text(n, child, c->a, out) < 0) return oom(c);
    return 0;
}

/* Adds a fact with whitespace runs (the file wraps long values across
 * lines) collapsed to one space. */
static int fact(un_ctx *c, cp_fact_type t, const char *v, size_t len, const char *detail) {
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_add(&b, NULL, v, len);
    if (cp_list_add_fact(c->l, c->ent, t, b.buf, b.len, detail) < 0) return oom(c);
    return 0;
}

/* Adds a name, whitespace collapsed as for facts. */
static int name(un_ctx *c, const char *v, size_t len, cp_name_kind kind, const char *lang) {
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_add(&b, NULL, v, len);
    if (cp_list_add_name(c->l, c->ent, b.buf, b.len, kind, lang) < 0) return oom(c);
    return 0;
}

static int fact_s(un_ctx *c, cp_fact_type t, cp_slice v, const char *detail) {
    return v.len ? fact(c, t, v.p, v.len, detail) : 0;
}

/* Every <VALUE> child of the first `elem` children, as fact `t`. */
static int values(un_ctx *c, const xmlNode *rec, const char *elem, cp_fact_type t, const char *detail) {
    for (const xmlNode *e = cp_xml_first_elem(rec); e; e = cp_xml_next_elem(e)) {
        if (!cp_xml_is(e, elem)) continue;
        for (const xmlNode *v = cp_xml_first_elem(e); v; v = cp_xml_next_elem(v)) {
            if (!cp_xml_is(v, "VALUE")) continue;
            cp_slice s;
            if (cp_xml_text(v, c->a, &s) < 0) return oom(c);
            if (fact_s(c, t, s, detail) < 0) return -1;
        }
    }
    return 0;
}

static int slice_ieq(cp_slice s, const char *lit) {
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Primary name: the name parts in the order published. */
static int primary_name(un_ctx *c, const xmlNode *rec) {
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
    cp_lb b;
    cp_lb_reset(&b);
    for (size_t i = 0; i < 4; i++) {
        cp_slice s;
        if (text(c, rec, parts[i], &s) < 0) return -1;
        cp_lb_adds(&b, " ", s);
    }
    if (!b.len) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "FIRST_NAME",
                       "record %s has no name (FIRST_NAME..FOURTH_NAME empty)", c->ref);
        return 0;
    }
    if (name(c, b.buf, b.len, CP_NAME_PRIMARY, NULL) < 0) return -1;
    cp_slice orig;
    if (text(c, rec, "NAME_ORIGINAL_SCRIPT", &orig) < 0) return -1;
    if (orig.len) {
        const char *script = cp_script_of(orig.p, orig.len);
        if (name(c, orig.p, orig.len, CP_NAME_ALIAS, script) < 0) return -1;
    }
    return 0;
}

/* INDIVIDUAL_ALIAS / ENTITY_ALIAS. QUALITY values in the 2026-02-27 file:
 * "Good" 1524, "Low" 615, "a.k.a." 594, "f.k.a." 19, and empty elements
 * (<QUALITY/><ALIAS_NAME/>) when a record has no alias. */
static int alias(un_ctx *c, const xmlNode *al) {
    cp_slice nm, q;
    if (text(c, al, "ALIAS_NAME", &nm) < 0 || text(c, al, "QUALITY", &q) < 0) return -1;
    if (!nm.len) return 0;
    cp_name_kind kind = CP_NAME_ALIAS;
    if (slice_ieq(q, "Low"))
        kind = CP_NAME_WEAK_ALIAS;
    else if (slice_ieq(q, "f.k.a."))
        kind = CP_NAME_FORMER;
    else if (q.len && !slice_ieq(q, "Good") && !slice_ieq(q, "a.k.a."))
        cp_diag_warningf(c->diag, c->file, cp_xml_line(al), -1, "QUALITY",
                         "record %s: unknown alias QUALITY \"%.*s\", taken as a.k.a.", c->ref, (int)q.len, q.p);
    if (name(c, nm.p, nm.len, kind, cp_script_of(nm.p, nm.len)) < 0) return -1;
    /* Some aliases carry their own DOB / POB (e.g. KPi entries). */
    cp_slice dob, city, country, note;
    if (text(c, al, "DATE_OF_BIRTH", &dob) < 0 || text(c, al, "CITY_OF_BIRTH", &city) < 0 ||
        text(c, al, "COUNTRY_OF_BIRTH", &country) < 0 || text(c, al, "NOTE", &note) < 0)
        return -1;
    if (fact_s(c, CP_FACT_DOB, dob, NULL) < 0) return -1;
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_adds(&b, ", ", city);
    cp_lb_adds(&b, ", ", country);
    if (b.len && fact(c, CP_FACT_POB, b.buf, b.len, NULL) < 0) return -1;
    if (note.len) {
        cp_lb_reset(&b);
        cp_lb_add(&b, NULL, "Alias", 5);
        cp_lb_adds(&b, " ", nm);
        cp_lb_add(&b, ": ", note.p, note.len);
        if (fact(c, CP_FACT_REMARK, b.buf, b.len, NULL) < 0) return -1;
    }
    return 0;
}

static int is_digits(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i])) return 0;
    return 1;
}

/* "YYYY-MM-DD" (possibly followed by a time-zone, e.g. "2015-04-07-04:00"):
 * returns 10, else 0. */
static size_t iso_date_len(cp_slice s) {
    if (s.len >= 10 && is_digits(s.p, 4) && s.p[4] == '-' && is_digits(s.p + 5, 2) && s.p[7] == '-' &&
        is_digits(s.p + 8, 2))
        return 10;
    return 0;
}

/* INDIVIDUAL_DATE_OF_BIRTH: TYPE_OF_DATE EXACT | APPROXIMATELY | BETWEEN
 * with DATE (xs:date), YEAR, or FROM_YEAR + TO_YEAR; NOTE is free text
 * ("Approximately", "from false passport", or the only content, e.g.
 * "Nov. 1973"). */
static int date_of_birth(un_ctx *c, const xmlNode *d) {
    cp_slice type, date, year, from, to, note;
    if (text(c, d, "TYPE_OF_DATE", &type) < 0 || text(c, d, "DATE", &date) < 0 || text(c, d, "YEAR", &year) < 0 ||
        text(c, d, "FROM_YEAR", &from) < 0 || text(c, d, "TO_YEAR", &to) < 0 || text(c, d, "NOTE", &note) < 0)
        return -1;
    int circa = slice_ieq(type, "APPROXIMATELY") || slice_ieq(note, "Approximately");
    cp_lb detail;
    cp_lb_reset(&detail);
    if (circa) cp_lb_add(&detail, NULL, "circa", 5);
    if (note.len && !slice_ieq(note, "Approximately")) cp_lb_adds(&detail, "; ", note);
    const char *det = detail.len ? detail.buf : NULL;
    char val[64];
    size_t vlen = 0;
    if (date.len) {
        size_t n = iso_date_len(date);
        if (!n) {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, cp_xml_line(d), -1, "DATE",
                           "record %s: date of birth \"%.*s\" is not YYYY-MM-DD", c->ref,
                           (int)(date.len > 40 ? 40 : date.len), date.p);
            return 0;
        }
        memcpy(val, date.p, n);
        vlen = n;
    } else if (year.len) {
        if (year.len != 4 || !is_digits(year.p, 4)) {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, cp_xml_line(d), -1, "YEAR",
                           "record %s: year of birth \"%.*s\" is not YYYY", c->ref,
                           (int)(year.len > 40 ? 40 : year.len), year.p);
            return 0;
        }
        memcpy(val, year.p, 4);
        vlen = 4;
    } else if (from.len || to.len) {
        if (from.len != 4 || to.len != 4 || !is_digits(from.p, 4) || !is_digits(to.p, 4)) {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, cp_xml_line(d), -1, from.len == 4 ? "TO_YEAR" : "FROM_YEAR",
                           "record %s: date-of-birth range needs FROM_YEAR and TO_YEAR as YYYY", c->ref);
            return 0;
        }
        memcpy(val, from.p, 4);
        memcpy(val + 4, "..", 2);
        memcpy(val + 6, to.p, 4);
        vlen = 10;
    } else {
        /* Only a note ("Nov. 1973", "30-35 years old"): keep it readable. */
        if (!note.len) return 0;
        cp_lb b;
        cp_lb_reset(&b);
        cp_lb_add(&b, NULL, "Date of birth:", 14);
        cp_lb_adds(&b, " ", note);
        if (circa) cp_lb_add(&b, " ", "(approximately)", 15);
        return fact(c, CP_FACT_REMARK, b.buf, b.len, NULL);
    }
    return fact(c, CP_FACT_DOB, val, vlen, det);
}

/* Joins STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY of a place/address. */
static int place(un_ctx *c, const xmlNode *n, cp_lb *b, cp_slice *country) {
    static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"};
    cp_lb_reset(b);
    for (size_t i = 0; i < 4; i++) {
        cp_slice s;
        if (text(c, n, parts[i], &s) < 0) return -1;
        cp_lb_adds(b, ", ", s);
    }
    if (text(c, n, "COUNTRY", country) < 0) return -1;
    cp_lb_adds(b, ", ", *country);
    return 0;
}

static int place_of_birth(un_ctx *c, const xmlNode *n) {
    cp_lb b;
    cp_slice country, note;
    if (place(c, n, &b, &country) < 0 || text(c, n, "NOTE", &note) < 0) return -1;
    if (!b.len) cp_lb_adds(&b, NULL, note); /* e.g. "possibly Sabratha, Talil neighbourhood" */
    return b.len ? fact(c, CP_FACT_POB, b.buf, b.len, NULL) : 0;
}

static int address(un_ctx *c, const xmlNode *n) {
    cp_lb b;
    cp_slice country, note;
    if (place(c, n, &b, &country) < 0 || text(c, n, "NOTE", &note) < 0) return -1;
    if (country.len && fact_s(c, CP_FACT_COUNTRY, country, NULL) < 0) return -1;
    /* An address that is only a country is already the country fact. */
    if (!b.len || b.len == country.len) return 0;
    cp_lb d;
    cp_lb_reset(&d);
    cp_lb_adds(&d, NULL, note);
    return fact(c, CP_FACT_ADDRESS, b.buf, b.len, d.len ? d.buf : NULL);
}

/* INDIVIDUAL_DOCUMENT: TYPE_OF_DOCUMENT "Passport" (also the Spanish and
 * French labels found in the file) / "National Identification Number" /
 * other; NUMBER; ISSUING_COUNTRY or COUNTRY_OF_ISSUE; TYPE_OF_DOCUMENT2,
 * DATE_OF_ISSUE, CITY_OF_ISSUE, NOTE. detail = "country; type2; issued
 * date; city; note" (present parts only, issuing country first). */
static int document(un_ctx *c, const xmlNode *n) {
    cp_slice type, type2, number, country, country2, issued, city, note;
    if (text(c, n, "TYPE_OF_DOCUMENT", &type) < 0 || text(c, n, "TYPE_OF_DOCUMENT2", &type2) < 0 ||
        text(c, n, "NUMBER", &number) < 0 || text(c, n, "ISSUING_COUNTRY", &country) < 0 ||
        text(c, n, "COUNTRY_OF_ISSUE", &country2) < 0 || text(c, n, "DATE_OF_ISSUE", &issued) < 0 ||
        text(c, n, "CITY_OF_ISSUE", &city) < 0 || text(c, n, "NOTE", &note) < 0)
        return -1;
    if (!type.len && !number.len && !note.len) return 0; /* <INDIVIDUAL_DOCUMENT/> */
    cp_fact_type t = CP_FACT_OTHER_ID;
    if (slice_ieq(type, "Passport") || slice_ieq(type, "Número de pasaporte") ||
        slice_ieq(type, "Numéro de passeport"))
        t = CP_FACT_PASSPORT;
    else if (slice_ieq(type, "National Identification Number"))
        t = CP_FACT_NATIONAL_ID;
    cp_lb d;
    cp_lb_reset(&d);
    cp_lb_adds(&d, "; ", country.len ? country : country2);
    if (t == CP_FACT_OTHER_ID) cp_lb_adds(&d, "; ", type);
    cp_lb_adds(&d, "; ", type2);
    if (issued.len) {
        cp_lb_add(&d, "; ", "issued", 6);
        cp_lb_adds(&d, " ", issued);
    }
    cp_lb_adds(&d, "; ", city);
    if (!number.len) {
        /* Only a note ("Tunisian passport number L 191609 issued on ..."). */
        cp_lb b;
        cp_lb_reset(&b);
        cp_lb_adds(&b, NULL, type.len ? type : type2);
        cp_lb_adds(&b, ": ", note);
        return fact(c, CP_FACT_REMARK, b.buf, b.len, d.len ? d.buf : NULL);
    }
    cp_lb_adds(&d, "; ", note);
    return fact(c, t, number.p, number.len, d.len ? d.buf : NULL);
}

/* Adds the program for the committee code of the reference number: the
 * letters before the 'i'/'e' + '.' ("QDi.001" -> "QD", "KPe.064" -> "KP"). */
static int reference_program(un_ctx *c, cp_slice ref) {
    size_t dot = 0;
    while (dot < ref.len && ref.p[dot] != '.') dot++;
    if (dot < 2 || dot >= ref.len || (ref.p[dot - 1] != 'i' && ref.p[dot - 1] != 'e')) return 0;
    for (size_t i = 0; i + 1 < dot; i++)
        if (!isupper((unsigned char)ref.p[i])) return 0;
    if (cp_list_add_program(c->l, c->ent, ref.p, dot - 1) < 0) return oom(c);
    return 0;
}

/* One INDIVIDUAL or ENTITY. Returns 0 (record loaded or reported), -1 fatal. */
static int record(un_ctx *c, const xmlNode *rec, int person) {
    c->line = cp_xml_line(rec);
    cp_slice ref;
    if (text(c, rec, "REFERENCE_NUMBER", &ref) < 0) return -1;
    if (!ref.len) {
        cp_slice dataid;
        if (text(c, rec, "DATAID", &dataid) < 0) return -1;
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "REFERENCE_NUMBER",
                       "%s record (DATAID %.*s) has no REFERENCE_NUMBER; skipped", person ? "INDIVIDUAL" : "ENTITY",
                       dataid.len ? (int)(dataid.len > 32 ? 32 : dataid.len) : 1, dataid.len ? dataid.p : "?");
        return 0;
    }
    size_t rl = ref.len < sizeof c->ref ? ref.len : sizeof c->ref - 1;
    memcpy(c->ref, ref.p, rl);
    c->ref[rl] = '\0';
    if (cp_list_find(c->l, ref.p, ref.len) >= 0) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "REFERENCE_NUMBER",
                       "duplicate REFERENCE_NUMBER %s; record skipped", c->ref);
        return 0;
    }
    c->ent = cp_list_add_entity(c->l, ref.p, ref.len, person ? CP_SCHEMA_PERSON : CP_SCHEMA_ORGANIZATION);
    if (c->ent < 0) return oom(c);
    if (primary_name(c, rec) < 0) return -1;

    cp_slice s;
    if (text(c, rec, "UN_LIST_TYPE", &s) < 0) return -1;
    if (s.len && cp_list_add_program(c->l, c->ent, s.p, s.len) < 0) return oom(c);
    if (reference_program(c, ref) < 0) return -1;
    if (text(c, rec, "LISTED_ON", &s) < 0) return -1;
    if (s.len) {
        size_t n = iso_date_len(s);
        if (!n)
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "LISTED_ON",
                           "record %s: LISTED_ON \"%.*s\" is not YYYY-MM-DD", c->ref,
                           (int)(s.len > 40 ? 40 : s.len), s.p);
        else if (fact(c, CP_FACT_LISTED_ON, s.p, n, NULL) < 0)
            return -1;
    }
    if (text(c, rec, "GENDER", &s) < 0) return -1;
    if (slice_ieq(s, "Male") && fact(c, CP_FACT_GENDER, "male", 4, NULL) < 0) return -1;
    if (slice_ieq(s, "Female") && fact(c, CP_FACT_GENDER, "female", 6, NULL) < 0) return -1;
    if (text(c, rec, "COMMENTS1", &s) < 0 || fact_s(c, CP_FACT_REMARK, s, NULL) < 0) return -1;
    if (values(c, rec, "NATIONALITY", CP_FACT_NATIONALITY, NULL) < 0 ||
        values(c, rec, "TITLE", CP_FACT_TITLE, NULL) < 0 ||
        values(c, rec, "DESIGNATION", CP_FACT_TITLE, "designation") < 0)
        return -1;

    for (const xmlNode *e = cp_xml_first_elem(rec); e; e = cp_xml_next_elem(e)) {
        int rc = 0;
        if (cp_xml_is(e, "INDIVIDUAL_ALIAS") || cp_xml_is(e, "ENTITY_ALIAS"))
            rc = alias(c, e);
        else if (cp_xml_is(e, "INDIVIDUAL_DATE_OF_BIRTH"))
            rc = date_of_birth(c, e);
        else if (cp_xml_is(e, "INDIVIDUAL_PLACE_OF_BIRTH"))
            rc = place_of_birth(c, e);
        else if (cp_xml_is(e, "INDIVIDUAL_ADDRESS") || cp_xml_is(e, "ENTITY_ADDRESS"))
            rc = address(c, e);
        else if (cp_xml_is(e, "INDIVIDUAL_DOCUMENT"))
            rc = document(c, e);
        if (rc < 0) return -1;
    }
    return 0;
}

int cp_load_un_xml(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    static const cp_xml_list_spec spec = {"consolidated.xml", "CONSOLIDATED_LIST", "a UN consolidated list",
                                          "UN list: the \"main\" file (consolidated.xml) is missing"};
    const char *file;
    xmlDoc *doc = cp_xml_open_main(files, n, &spec, &file, err);
    if (!doc) return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    un_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.a = cp_list_arena(l);
    c.file = file;
    c.diag = cp_list_diag(l);
    c.err = err;
    int rc = 0;
    for (const xmlNode *g = cp_xml_first_elem(root); g && rc == 0; g = cp_xml_next_elem(g)) {
        int person = cp_xml_is(g, "INDIVIDUALS");
        if (!person && !cp_xml_is(g, "ENTITIES")) {
            cp_diag_warningf(c.diag, file, cp_xml_line(g), -1, (const char *)g->name,
                             "unexpected element <%s> under <CONSOLIDATED_LIST> ignored", (const char *)g->name);
            continue;
        }
        const char *want = person ? "INDIVIDUAL" : "ENTITY";
        for (const xmlNode *r = cp_xml_first_elem(g); r && rc == 0; r = cp_xml_next_elem(r)) {
            if (!cp_xml_is(r, want)) {
                cp_diag_errorf(c.diag, CP_ERR_FORMAT, file, cp_xml_line(r), -1, (const char *)r->name,
                               "unexpected element <%s> in <%s>; skipped", (const char *)r->name, (const char *)g->name);
                continue;
            }
            rc = record(&c, r, person);
        }
    }
    xmlFreeDoc(doc);
    return rc;
}
