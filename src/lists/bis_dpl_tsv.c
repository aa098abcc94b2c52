/* BIS Denied Persons List loader: dpl.txt, the legacy tab-separated export
 * of https://www.bis.doc.gov/dpl/dpl.txt (15 CFR 764.3(a)(2) denial orders).
 *
 * Format: one header line, then one row per (denied person, address); every
 * field is double-quoted; columns Name, Street_Address, City, State,
 * Country, Postal_Code, Effective_Date (MM/DD/YYYY), Expiration_Date,
 * Standard_Order (Y/N), Last_Update (YYYY-MM-DD), Action, FR_Citation.
 * Columns are found by header name.
 *
 * The DPL has no identifiers. Rows with the same name (trimmed, inner spaces
 * collapsed, ASCII upper case) and the same Effective_Date are one denial
 * order and become one list entity with several addresses; its source id is
 * the first 16 hex digits of SHA-256("<normalized name>|<Effective_Date as
 * published>"). FR_Citation is not part of the key: rows of one order repeat
 * it with typing differences ("88 F.R. 30078" / "88 F.R.30078"). Person vs
 * organization: cp_lu_looks_org (legal-form words). See docs/lists/us-bis-dpl.md. */
#include "lists/loaders.h"
#include "core/utf8.h"
#include "lists/loader_util.h"
#include "core/csv.h"
#include "core/io.h"
#include "core/strmap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D_NAME, D_STREET, D_CITY, D_STATE, D_COUNTRY, D_POSTAL, D_EFFECTIVE, D_EXPIRATION,
       D_STANDARD_ORDER, D_LAST_UPDATE, D_ACTION, D_FR, D__COUNT };

static const char *const dpl_cols[D__COUNT] = {
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation"};

enum { DPL_MAX_FIELD = 64 * 1024, DPL_MAX_COLUMNS = 64 };

static const char dpl_source[] = "Denied Persons List (DPL) - Bureau of Industry and Security";

static cp_slice dcell(const int *col, const cp_csv *r, int which) {
    cp_slice s = {"", 0};
    if (col[which] >= 0 && (size_t)col[which] < r->nfields) s = cp_slice_trim(r->fields[col[which]]);
    return s;
}

/* Appends s (if not empty) to buf with ", " between parts; returns new length. */
static size_t join(char *buf, size_t at, size_t cap, cp_slice s) {
    if (!s.len) return at;
    if (at && at + 2 < cap) { buf[at++] = ','; buf[at++] = ' '; }
    size_t n = s.len < cap - at - 1 ? s.len : cap - at - 1;
    memcpy(buf + at, s.p, n);
    at += n;
    buf[at] = '\0';
    return at;
}

/* Adds a dated remark (ISO when it parses) labelled `label`. */
static int add_date_remark(cp_list *l, long ent, cp_slice v, const char *label) {
    char iso[CP_LU_DATE_MAX];
    size_t n = cp_lu_date_iso(v.p, v.len, iso, NULL);
    return cp_list_add_fact(l, ent, CP_FACT_REMARK, n ? iso : v.p, n ? n : v.len, label);
}

/* `seen` holds "<source id>|<name as published>" for the names already added,
 * so rows of one order add a name variant only when its spelling differs. */
static int map_dpl_row(cp_list *l, cp_strmap *seen, const char *file, const int *col, const cp_csv *r) {
    cp_diag *d = cp_list_diag(l);
    cp_slice name = dcell(col, r, D_NAME), eff = dcell(col, r, D_EFFECTIVE);
    if (!name.len) {
        cp_diag_errorf(d, CP_ERR_FORMAT, file, r->line, r->offset, "Name", "row without a name: skipped");
        return 0;
    }
    if (name.len > 1024) {
        cp_diag_errorf(d, CP_ERR_FORMAT, file, r->line, r->offset, "Name", "name longer than 1024 bytes: skipped");
        return 0;
    }
    char eff_iso[CP_LU_DATE_MAX];
    size_t eff_n = cp_lu_date_iso(eff.p, eff.len, eff_iso, NULL);
    if (!eff_n)
        cp_diag_warningf(d, file, r->line, r->offset, "Effective_Date",
                         "effective date \"%.*s\" is not MM/DD/YYYY: kept as published",
                         (int)(eff.len > 40 ? 40 : eff.len), eff.p);
    /* key: normalized name | effective date */
    char key[1024 + 2 + 64];
    size_t kn = 0;
    int space = 0;
    for (size_t i = 0; i < name.len; i++) {
        char ch = name.p[i];
        if (ch == ' ' || ch == '\t') { space = 1; continue; }
        if (space && kn) key[kn++] = ' ';
        space = 0;
        key[kn++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
    }
    key[kn++] = '|';
    size_t el = eff.len < 64 ? eff.len : 64;
    memcpy(key + kn, eff.p, el);
    kn += el;
    char hex[65];
    cp_sha256_hex(key, kn, hex);
    long ent = cp_list_find(l, hex, 16);
    if (ent < 0) {
        cp_schema sc = cp_lu_looks_org(name.p, name.len) ? CP_SCHEMA_ORGANIZATION : CP_SCHEMA_PERSON;
        ent = cp_list_add_entity(l, hex, 16, sc);
        if (ent < 0) return -1;
        if (cp_list_add_name(l, ent, name.p, name.len, CP_NAME_PRIMARY, NULL) < 0 ||
            cp_list_add_program(l, ent, "DPL", 3) < 0 ||
            cp_list_add_fact(l, ent, CP_FACT_SOURCE_LIST, "DPL", 3, dpl_source) < 0 ||
            cp_list_add_fact(l, ent, CP_FACT_TOPIC, "export.control", 14, NULL) < 0 ||
            cp_list_add_fact(l, ent, CP_FACT_LISTED_ON, eff_n ? eff_iso : eff.p, eff_n ? eff_n : eff.len,
                             "DPL") < 0)
            return -1;
    }
    char nk[16 + 1 + 1024];
    memcpy(nk, hex, 16);
    nk[16] = '|';
    memcpy(nk + 17, name.p, name.len);
    if (!cp_strmap_get(seen, nk, 17 + name.len, NULL)) {
        /* first row: the primary name; later rows of the same order whose
         * name differs in spacing or case: an alias */
        int first = !cp_strmap_get(seen, nk, 16, NULL);
        if (cp_strmap_put(seen, nk, 17 + name.len, 1) < 0 || cp_strmap_put(seen, nk, 16, 1) < 0) return -1;
        if (!first && cp_list_add_name(l, ent, name.p, name.len, CP_NAME_ALIAS, NULL) < 0) return -1;
    }
    char addr[2048];
    size_t an = 0;
    addr[0] = '\0';
    an = join(addr, an, sizeof addr, dcell(col, r, D_STREET));
    an = join(addr, an, sizeof addr, dcell(col, r, D_CITY));
    an = join(addr, an, sizeof addr, dcell(col, r, D_STATE));
    an = join(addr, an, sizeof addr, dcell(col, r, D_POSTAL));
    cp_slice cc = dcell(col, r, D_COUNTRY);
    an = join(addr, an, sizeof addr, cc);
    if (cp_list_add_fact(l, ent, CP_FACT_ADDRESS, addr, an, NULL) < 0 ||
        cp_list_add_fact(l, ent, CP_FACT_COUNTRY, cc.p, cc.len, NULL) < 0)
        return -1;
    cp_slice v = dcell(col, r, D_EXPIRATION);
    if (add_date_remark(l, ent, v, "Expiration_Date") < 0) return -1;
    v = dcell(col, r, D_STANDARD_ORDER);
    if (cp_list_add_fact(l, ent, CP_FACT_REMARK, v.p, v.len, "Standard_Order") < 0) return -1;
    v = dcell(col, r, D_ACTION);
    if (cp_list_add_fact(l, ent, CP_FACT_REMARK, v.p, v.len, "Action") < 0) return -1;
    v = dcell(col, r, D_FR);
    if (cp_list_add_fact(l, ent, CP_FACT_REMARK, v.p, v.len, "FR_Citation") < 0) return -1;
    return 0;
}

int cp_load_bis_dpl_tsv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    const cp_list_file *f = cp_list_file_find(files, n, "main");
    if (!f) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "us-bis-dpl: no \"main\" file (dpl.txt)");
        return -1;
    }
    cp_diag *d = cp_list_diag(l);
    cp_strmap *seen = cp_strmap_new();
    if (!seen) {
        cp_error_set(err, CP_ERR_NOMEM, f->name, 0, -1, NULL, "us-bis-dpl: out of memory");
        return -1;
    }
    cp_csv r;
    cp_csv_init(&r, f->data, f->len, '\t', f->name);
    cp_error e;
    int col[D__COUNT];
    for (int i = 0; i < D__COUNT; i++) col[i] = -1;
    int rc = cp_csv_next(&r, &e);
    if (rc <= 0) {
        if (rc == 0) cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, NULL, "us-bis-dpl: empty file (no header line)");
        else *err = e;
        cp_csv_free(&r);
        cp_strmap_free(seen);
        return -1;
    }
    size_t ncols = r.nfields;
    if (ncols > DPL_MAX_COLUMNS) {
        cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, NULL, "us-bis-dpl: header has %zu columns", ncols);
        cp_csv_free(&r);
        cp_strmap_free(seen);
        return -1;
    }
    for (size_t i = 0; i < ncols; i++) {
        cp_slice h = cp_slice_trim(r.fields[i]);
        if (i == 0 && h.len >= 3 && memcmp(h.p, "\xEF\xBB\xBF", 3) == 0) { h.p += 3; h.len -= 3; }
        for (int k = 0; k < D__COUNT; k++)
            if (col[k] < 0 && cp_slice_eq(h, dpl_cols[k])) col[k] = (int)i;
    }
    static const int required[] = {D_NAME, D_EFFECTIVE};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
        if (col[required[k]] < 0) {
            cp_error_set(err, CP_ERR_FORMAT, f->name, 1, 0, dpl_cols[required[k]],
                         "us-bis-dpl: required column \"%s\" missing from the header (is this dpl.txt?)",
                         dpl_cols[required[k]]);
            cp_csv_free(&r);
            cp_strmap_free(seen);
            return -1;
        }
    }
    for (;;) {
        rc = cp_csv_next(&r, &e);
        if (rc == 0) break;
        if (rc < 0) {
            if (e.code == CP_ERR_NOMEM) goto nomem;
            size_t k = 0;
            if (sscanf(e.message, "field %zu:", &k) == 1 && k >= 1 && k <= D__COUNT)
                for (int c = 0; c < D__COUNT; c++)
                    if (col[c] == (int)(k - 1)) snprintf(e.field, sizeof e.field, "%s", dpl_cols[c]);
            cp_diag_error(d, &e);
            continue;
        }
        if (r.nfields != ncols) {
            cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, NULL,
                           "row has %zu fields, the header %zu: skipped", r.nfields, ncols);
            continue;
        }
        int bad = 0;
        for (size_t i = 0; i < ncols && !bad; i++) {
            size_t at;
            const char *fname = NULL;
            for (int c = 0; c < D__COUNT; c++)
                if (col[c] == (int)i) fname = dpl_cols[c];
            if (r.fields[i].len > DPL_MAX_FIELD) {
                cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, fname,
                               "field longer than %d bytes: row skipped", DPL_MAX_FIELD);
                bad = 1;
            } else if ((at = cp_utf8_invalid_at(r.fields[i].p, r.fields[i].len)) < r.fields[i].len) {
                cp_diag_errorf(d, CP_ERR_FORMAT, f->name, r.line, r.offset, fname,
                               "invalid UTF-8 at byte %zu of the field: row skipped", at);
                bad = 1;
            }
        }
        if (bad) continue;
        if (map_dpl_row(l, seen, f->name, col, &r) < 0) goto nomem;
    }
    cp_csv_free(&r);
    cp_strmap_free(seen);
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, f->name, r.line, r.offset, NULL, "us-bis-dpl: out of memory");
    cp_csv_free(&r);
    cp_strmap_free(seen);
    return -1;
}
