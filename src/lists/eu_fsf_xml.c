/* EU Financial Sanctions Files (FSF) consolidated list loader, list id
 * "eu-fsf".
 *
 * Format: the "xmlFullSanctionsList_1_1" export published by the European
 * Commission (DG FISMA) at https://webgate.ec.europa.eu/fsd/fsf (root
 * <export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate=...>).
 * No copy of the file was available when this was written: the mapping
 * follows the publisher's documented element and attribute names (see
 * docs/lists/eu-fsf.md for what is verified and what is not):
 *   <sanctionEntity logicalId= euReferenceNumber= unitedNationId=>
 *                                       -> entity "eu-fsf:<logicalId>" (required)
 *   <subjectType code="person|enterprise"> -> person / organization
 *   <regulation programme= publicationDate=> -> program; earliest date -> listed_on
 *   <nameAlias wholeName= firstName= middleName= lastName= strong= nameLanguage=
 *              function= gender= title=>
 *       first strong Latin-script alias -> primary; strong="false" -> weak alias
 *   <birthdate birthdate= year= monthOfYear= dayOfMonth= yearRangeFrom=
 *              yearRangeTo= circa= city= place= region= countryDescription=>
 *   <citizenship countryIso2Code= countryDescription=> -> citizenship
 *   <identification identificationTypeCode= identificationTypeDescription=
 *                   number= countryIso2Code= countryDescription= issuedDate=>
 *   <address street= city= zipCode= region= place= poBox= countryDescription=>
 *   <remark> -> remark
 */
#include "lists/loaders.h"
#include "lists/xml_util.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct eu_ctx {
    cp_list *l;
    cp_arena *a;
    const char *file;
    cp_diag *diag;
    cp_error *err;
    long ent;
    long line;
    char id[64];   /* logicalId of the current entity, for messages */
} eu_ctx;

static int oom(eu_ctx *c) {
    cp_error_set(c->err, CP_ERR_NOMEM, c->file, c->line, -1, NULL, "out of memory");
    return -1;
}

static int attr(eu_ctx *c, const xmlNode *n, const char *name, cp_slice *out) {
    if (cp_xml_attr(n, name, c->a, out) < 0) return oom(c);
    return 0;
}

static int slice_ieq(cp_slice s, const char *lit) {
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Adds a fact, whitespace runs collapsed. */
static int fact(eu_ctx *c, cp_fact_type t, const char *v, size_t len, const char *detail) {
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_add(&b, NULL, v, len);
    if (cp_list_add_fact(c->l, c->ent, t, b.buf, b.len, detail) < 0) return oom(c);
    return 0;
}

static int fact_s(eu_ctx *c, cp_fact_type t, cp_slice v, const char *detail) {
    return v.len ? fact(c, t, v.p, v.len, detail) : 0;
}

/* A country as published: the description ("RUSSIAN FEDERATION"), else the
 * ISO 3166 alpha-2 code; "00" / "UNKNOWN" mean none. */
static cp_slice country_of(cp_slice iso2, cp_slice desc) {
    cp_slice none = {NULL, 0};
    if (desc.len && !slice_ieq(desc, "UNKNOWN")) return desc;
    if (iso2.len && !cp_slice_eq(iso2, "00")) return iso2;
    return none;
}

static int is_digits(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i])) return 0;
    return 1;
}

/* Value of a 1-2 digit decimal slice. */
static int atoi_2(cp_slice s) {
    int v = 0;
    for (size_t i = 0; i < s.len && i < 2; i++) v = v * 10 + (s.p[i] - '0');
    return v;
}

/* The text of a nameAlias: wholeName, else firstName middleName lastName. */
static int alias_text(eu_ctx *c, const xmlNode *n, cp_lb *b) {
    cp_slice whole, first, middle, last;
    if (attr(c, n, "wholeName", &whole) < 0 || attr(c, n, "firstName", &first) < 0 ||
        attr(c, n, "middleName", &middle) < 0 || attr(c, n, "lastName", &last) < 0)
        return -1;
    cp_lb_reset(b);
    if (whole.len) {
        cp_lb_adds(b, NULL, whole);
    } else {
        cp_lb_adds(b, " ", first);
        cp_lb_adds(b, " ", middle);
        cp_lb_adds(b, " ", last);
    }
    return 0;
}

static int names(eu_ctx *c, const xmlNode *se) {
    /* Choose the primary: first strong alias without nameLanguage (the
     * Latin-script regulation-language form), else the first alias. */
    const xmlNode *primary = NULL, *first = NULL;
    for (const xmlNode *n = cp_xml_first_elem(se); n; n = cp_xml_next_elem(n)) {
        if (!cp_xml_is(n, "nameAlias")) continue;
        cp_lb b;
        if (alias_text(c, n, &b) < 0) return -1;
        if (!b.len) continue;
        if (!first) first = n;
        cp_slice strong, lang;
        if (attr(c, n, "strong", &strong) < 0 || attr(c, n, "nameLanguage", &lang) < 0) return -1;
        if (!primary && !slice_ieq(strong, "false") && !lang.len && !cp_script_of(b.buf, b.len)) primary = n;
    }
    if (!primary) primary = first;
    if (!primary) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "nameAlias",
                       "sanctionEntity %s has no name (no nameAlias with wholeName or name parts)", c->id);
        return 0;
    }
    for (const xmlNode *n = cp_xml_first_elem(se); n; n = cp_xml_next_elem(n)) {
        if (!cp_xml_is(n, "nameAlias")) continue;
        cp_lb b;
        if (alias_text(c, n, &b) < 0) return -1;
        cp_slice strong, lang, function, gender, title;
        if (attr(c, n, "strong", &strong) < 0 || attr(c, n, "nameLanguage", &lang) < 0 ||
            attr(c, n, "function", &function) < 0 || attr(c, n, "gender", &gender) < 0 ||
            attr(c, n, "title", &title) < 0)
            return -1;
        if (b.len) {
            cp_name_kind kind = n == primary ? CP_NAME_PRIMARY
                                : slice_ieq(strong, "false") ? CP_NAME_WEAK_ALIAS
                                                             : CP_NAME_ALIAS;
            char lbuf[16];
            const char *lp = NULL;
            if (lang.len && lang.len < sizeof lbuf) {
                memcpy(lbuf, lang.p, lang.len);
                lbuf[lang.len] = '\0';
                lp = lbuf;
            } else {
                lp = cp_script_of(b.buf, b.len);
            }
            if (cp_list_add_name(c->l, c->ent, b.buf, b.len, kind, lp) < 0) return oom(c);
        }
        if (fact_s(c, CP_FACT_TITLE, function, "function") < 0 || fact_s(c, CP_FACT_TITLE, title, "title") < 0)
            return -1;
        if (slice_ieq(gender, "M") && fact(c, CP_FACT_GENDER, "male", 4, NULL) < 0) return -1;
        if (slice_ieq(gender, "F") && fact(c, CP_FACT_GENDER, "female", 6, NULL) < 0) return -1;
    }
    return 0;
}

/* birthdate: full date, else year[-month], else a year range. */
static int birthdate(eu_ctx *c, const xmlNode *n) {
    cp_slice date, year, month, day, from, to, circa, city, place, region, iso2, desc;
    if (attr(c, n, "birthdate", &date) < 0 || attr(c, n, "year", &year) < 0 ||
        attr(c, n, "monthOfYear", &month) < 0 || attr(c, n, "dayOfMonth", &day) < 0 ||
        attr(c, n, "yearRangeFrom", &from) < 0 || attr(c, n, "yearRangeTo", &to) < 0 ||
        attr(c, n, "circa", &circa) < 0 || attr(c, n, "city", &city) < 0 || attr(c, n, "place", &place) < 0 ||
        attr(c, n, "region", &region) < 0 || attr(c, n, "countryIso2Code", &iso2) < 0 ||
        attr(c, n, "countryDescription", &desc) < 0)
        return -1;
    const char *det = slice_ieq(circa, "true") ? "circa" : NULL;
    char v[16];
    size_t vl = 0;
    if (date.len) {
        if (date.len < 10 || !is_digits(date.p, 4) || date.p[4] != '-' || date.p[7] != '-') {
            cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, cp_xml_line(n), -1, "birthdate",
                           "sanctionEntity %s: birthdate \"%.*s\" is not YYYY-MM-DD", c->id,
                           (int)(date.len > 40 ? 40 : date.len), date.p);
        } else {
            memcpy(v, date.p, 10);
            vl = 10;
        }
    } else if (year.len == 4 && is_digits(year.p, 4)) {
        memcpy(v, year.p, 4);
        vl = 4;
        if (month.len && month.len <= 2 && is_digits(month.p, month.len)) {
            int m = atoi_2(month);
            if (m >= 1 && m <= 12) {
                v[4] = '-';
                v[5] = (char)('0' + m / 10);
                v[6] = (char)('0' + m % 10);
                vl = 7;
            }
        }
    } else if (from.len == 4 && to.len == 4 && is_digits(from.p, 4) && is_digits(to.p, 4)) {
        memcpy(v, from.p, 4);
        memcpy(v + 4, "..", 2);
        memcpy(v + 6, to.p, 4);
        vl = 10;
    } else if (year.len || from.len || to.len) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, cp_xml_line(n), -1, year.len ? "year" : "yearRangeFrom",
                       "sanctionEntity %s: birth year is not YYYY", c->id);
    }
    (void)day;
    if (vl && fact(c, CP_FACT_DOB, v, vl, det) < 0) return -1;
    cp_lb b;
    cp_lb_reset(&b);
    cp_lb_adds(&b, ", ", city);
    cp_lb_adds(&b, ", ", place);
    cp_lb_adds(&b, ", ", region);
    cp_lb_adds(&b, ", ", country_of(iso2, desc));
    return b.len ? fact(c, CP_FACT_POB, b.buf, b.len, NULL) : 0;
}

static int citizenship(eu_ctx *c, const xmlNode *n) {
    cp_slice iso2, desc;
    if (attr(c, n, "countryIso2Code", &iso2) < 0 || attr(c, n, "countryDescription", &desc) < 0) return -1;
    return fact_s(c, CP_FACT_CITIZENSHIP, country_of(iso2, desc), NULL);
}

/* identificationTypeCode values as documented by the publisher; others
 * are kept as other_id with the type description as detail. */
static cp_fact_type id_type(cp_slice code) {
    if (slice_ieq(code, "passport")) return CP_FACT_PASSPORT;
    if (slice_ieq(code, "id") || slice_ieq(code, "nationalid")) return CP_FACT_NATIONAL_ID;
    if (slice_ieq(code, "tin") || slice_ieq(code, "tax") || slice_ieq(code, "fiscalcode")) return CP_FACT_TAX_ID;
    if (slice_ieq(code, "regnumber")) return CP_FACT_REGISTRATION;
    if (slice_ieq(code, "swiftbic")) return CP_FACT_BIC;
    if (slice_ieq(code, "imo")) return CP_FACT_IMO;
    return CP_FACT_OTHER_ID;
}

static int identification(eu_ctx *c, const xmlNode *n) {
    cp_slice code, desc, number, latin, iso2, cdesc, issued, issuedby;
    if (attr(c, n, "identificationTypeCode", &code) < 0 ||
        attr(c, n, "identificationTypeDescription", &desc) < 0 || attr(c, n, "number", &number) < 0 ||
        attr(c, n, "latinNumber", &latin) < 0 || attr(c, n, "countryIso2Code", &iso2) < 0 ||
        attr(c, n, "countryDescription", &cdesc) < 0 || attr(c, n, "issuedDate", &issued) < 0 ||
        attr(c, n, "issuedBy", &issuedby) < 0)
        return -1;
    if (!number.len) number = latin;
    if (!number.len) {
        cp_diag_warningf(c->diag, c->file, cp_xml_line(n), -1, "number",
                         "sanctionEntity %s: identification without a number ignored", c->id);
        return 0;
    }
    cp_fact_type t = id_type(code);
    cp_lb d;
    cp_lb_reset(&d);
    cp_lb_adds(&d, "; ", country_of(iso2, cdesc));
    if (t == CP_FACT_OTHER_ID || t == CP_FACT_TAX_ID || t == CP_FACT_REGISTRATION)
        cp_lb_adds(&d, "; ", desc.len ? desc : code);
    if (issued.len) {
        cp_lb_add(&d, "; ", "issued", 6);
        cp_lb_adds(&d, " ", issued);
    }
    if (issuedby.len) {
        cp_lb_add(&d, "; ", "by", 2);
        cp_lb_adds(&d, " ", issuedby);
    }
    return fact(c, t, number.p, number.len, d.len ? d.buf : NULL);
}

static int address(eu_ctx *c, const xmlNode *n) {
    static const char *const parts[] = {"street", "poBox", "city", "zipCode", "region", "place"};
    cp_lb b;
    cp_lb_reset(&b);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        cp_slice s;
        if (attr(c, n, parts[i], &s) < 0) return -1;
        cp_lb_adds(&b, ", ", s);
    }
    cp_slice iso2, desc;
    if (attr(c, n, "countryIso2Code", &iso2) < 0 || attr(c, n, "countryDescription", &desc) < 0) return -1;
    cp_slice country = country_of(iso2, desc);
    if (fact_s(c, CP_FACT_COUNTRY, country, NULL) < 0) return -1;
    if (!b.len) return 0; /* country only */
    cp_lb_adds(&b, ", ", country);
    return fact(c, CP_FACT_ADDRESS, b.buf, b.len, NULL);
}

/* Direct <regulation> children: programme -> program; the earliest
 * publicationDate -> listed_on. */
static int regulations(eu_ctx *c, const xmlNode *se) {
    char earliest[11] = "";
    for (const xmlNode *n = cp_xml_first_elem(se); n; n = cp_xml_next_elem(n)) {
        if (!cp_xml_is(n, "regulation")) continue;
        cp_slice prog, date;
        if (attr(c, n, "programme", &prog) < 0 || attr(c, n, "publicationDate", &date) < 0) return -1;
        if (prog.len && cp_list_add_program(c->l, c->ent, prog.p, prog.len) < 0) return oom(c);
        if (date.len >= 10 && is_digits(date.p, 4) && date.p[4] == '-' && date.p[7] == '-' &&
            (!earliest[0] || memcmp(date.p, earliest, 10) < 0)) {
            memcpy(earliest, date.p, 10);
            earliest[10] = '\0';
        }
    }
    return earliest[0] ? fact(c, CP_FACT_LISTED_ON, earliest, 10, NULL) : 0;
}

/* One sanctionEntity. Returns 0 (loaded or reported) or -1 (fatal). */
static int entity(eu_ctx *c, const xmlNode *se) {
    c->line = cp_xml_line(se);
    cp_slice lid, euref, unid;
    if (attr(c, se, "logicalId", &lid) < 0 || attr(c, se, "euReferenceNumber", &euref) < 0 ||
        attr(c, se, "unitedNationId", &unid) < 0)
        return -1;
    if (!lid.len) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "logicalId",
                       "sanctionEntity (euReferenceNumber %.*s) has no logicalId; skipped",
                       euref.len ? (int)(euref.len > 40 ? 40 : euref.len) : 1, euref.len ? euref.p : "?");
        return 0;
    }
    size_t il = lid.len < sizeof c->id ? lid.len : sizeof c->id - 1;
    memcpy(c->id, lid.p, il);
    c->id[il] = '\0';
    if (cp_list_find(c->l, lid.p, lid.len) >= 0) {
        cp_diag_errorf(c->diag, CP_ERR_FORMAT, c->file, c->line, -1, "logicalId",
                       "duplicate logicalId %s; sanctionEntity skipped", c->id);
        return 0;
    }
    cp_schema schema = CP_SCHEMA_ANY;
    const xmlNode *st = cp_xml_child(se, "subjectType");
    cp_slice code;
    if (attr(c, st, "code", &code) < 0) return -1;
    if (slice_ieq(code, "person"))
        schema = CP_SCHEMA_PERSON;
    else if (slice_ieq(code, "enterprise"))
        schema = CP_SCHEMA_ORGANIZATION;
    else
        cp_diag_warningf(c->diag, c->file, st ? cp_xml_line(st) : c->line, -1, "subjectType",
                         "sanctionEntity %s: subjectType code \"%.*s\" unknown; schema left open", c->id,
                         (int)(code.len > 40 ? 40 : code.len), code.len ? code.p : "");
    c->ent = cp_list_add_entity(c->l, lid.p, lid.len, schema);
    if (c->ent < 0) return oom(c);
    if (names(c, se) < 0 || regulations(c, se) < 0) return -1;
    if (fact_s(c, CP_FACT_OTHER_ID, euref, "EU reference number") < 0 ||
        fact_s(c, CP_FACT_OTHER_ID, unid, "UN Ref") < 0)
        return -1;
    for (const xmlNode *n = cp_xml_first_elem(se); n; n = cp_xml_next_elem(n)) {
        int rc = 0;
        if (cp_xml_is(n, "birthdate"))
            rc = birthdate(c, n);
        else if (cp_xml_is(n, "citizenship"))
            rc = citizenship(c, n);
        else if (cp_xml_is(n, "identification"))
            rc = identification(c, n);
        else if (cp_xml_is(n, "address"))
            rc = address(c, n);
        else if (cp_xml_is(n, "remark")) {
            cp_slice s;
            if (cp_xml_text(n, c->a, &s) < 0) return oom(c);
            rc = fact_s(c, CP_FACT_REMARK, s, NULL);
        }
        if (rc < 0) return -1;
    }
    return 0;
}

int cp_load_eu_fsf_xml(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    static const cp_xml_list_spec spec = {"eu-fsf.xml", "export", "an EU FSF export",
                                          "EU FSF list: the \"main\" file is missing"};
    const char *file;
    xmlDoc *doc = cp_xml_open_main(files, n, &spec, &file, err);
    if (!doc) return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    eu_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.a = cp_list_arena(l);
    c.file = file;
    c.diag = cp_list_diag(l);
    c.err = err;
    int rc = 0;
    for (const xmlNode *se = cp_xml_first_elem(root); se && rc == 0; se = cp_xml_next_elem(se))
        if (cp_xml_is(se, "sanctionEntity")) rc = entity(&c, se);
    xmlFreeDoc(doc);
    return rc;
}
