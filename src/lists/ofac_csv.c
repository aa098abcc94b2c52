/* OFAC legacy CSV loader: SDN (sdn.csv, add.csv, alt.csv, sdn_comments.csv)
 * and the consolidated non-SDN list (cons_prim.csv, cons_add.csv,
 * cons_alt.csv, cons_comments.csv), mapped to the entity model.
 *
 * Format (OFAC, "SDN List Data Formats and Data Schemas",
 * https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas):
 * headerless comma-separated files, fields quoted with '"', "-0-" (often
 * followed by a space) for an empty field, CRLF line ends, a DOS end-of-file
 * byte 0x1A at the end, Windows-1252 text. Columns:
 *   primary:  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
 *             Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *   add:      ent_num, Add_num, Address, City/State/Province/Postal Code,
 *             Country, Add_remarks
 *   alt:      ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks
 *   comments: ent_num, Remarks_Extension (the Remarks text that did not fit,
 *             continuing it without a separator)
 * Quirks and the Remarks grammar are described in docs/lists/ofac.md.
 */
#include "core/utf8.h"
#include "core/csv.h"
#include "core/error.h"
#include "lists/ofac_remarks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { ROLE_PRIMARY = 0, ROLE_ADD, ROLE_ALT, ROLE_COMMENTS, N_ROLES };
enum { MAX_FIELD = 1 << 20, MAX_COLS = 12, MAX_ENT_DIGITS = 9 };
/* OFAC cuts the Remarks column at 1000 characters and puts the rest in
 * sdn_comments.csv / cons_comments.csv (observed: every overflow row of the
 * 2019-01 and 2021-07 file sets continues a Remarks of exactly 1000). */
enum { REMARKS_CUT = 1000 };

static const char *const ROLE_NAMES[N_ROLES] = {"primary", "add", "alt", "comments"};
static const char *const PRIM_COLS[] = {"ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
                                        "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"};
static const char *const ADD_COLS[] = {"ent_num", "Add_num", "Address", "City/State/Province/Postal Code",
                                       "Country", "Add_remarks"};
static const char *const ALT_COLS[] = {"ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"};
static const char *const COM_COLS[] = {"ent_num", "Remarks_Extension"};
static const char *const *const ROLE_COLS[N_ROLES] = {PRIM_COLS, ADD_COLS, ALT_COLS, COM_COLS};
static const size_t ROLE_NCOLS[N_ROLES] = {12, 6, 5, 2};

/* Windows-1252 bytes 0x80..0x9F as Unicode code points; 0 = undefined.
 * Source: Unicode Consortium, MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT.
 * 0xA0..0xFF map to U+00A0..U+00FF. */
static const unsigned short CP1252_HI[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Per-entity data kept until the Remarks are parsed. */
typedef struct ent_extra {
    char *remarks;      /* malloc'd UTF-8, joined with the comments overflow */
    size_t rlen;
    size_t rchars;      /* code points of the Remarks as published in the primary file */
    char *title;        /* malloc'd, NUL-terminated, or NULL */
    char *owner;        /* Vess_owner, malloc'd, or NULL */
} ent_extra;

typedef struct loader {
    cp_list *l;
    cp_diag *diag;
    cp_ofac_stats *st;
    ent_extra *ex;
    size_t nex, capex;
    char *conv;          /* converted (UTF-8) fields of the current record */
    size_t convlen, convcap;
    cp_slice out[MAX_COLS];  /* fields trimmed, "-0-" emptied */
    cp_slice raw[MAX_COLS];  /* fields as published (converted, untrimmed) */
} loader;


/* Encoding of a whole file: 1 (UTF-8) when it has no byte that breaks
 * UTF-8, or more well-formed multi-byte sequences than broken bytes (a
 * UTF-8 file with a few corrupt bytes: those rows are then errors instead of
 * the whole file being misread); else 0 (Windows-1252, OFAC's documented
 * charset). Pure ASCII is UTF-8 (and 1252) alike. */
static int detect_utf8(const unsigned char *s, size_t n) {
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) { i++; continue; }
        size_t k = cp_utf8_seq_len((const char *)s + i, n - i);
        if (k) { good++; i += k; }
        else { bad++; i++; }
    }
    return bad == 0 || good > bad;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static int conv_put(loader *ld, const char *s, size_t n) {
    if (grow((void **)&ld->conv, &ld->convcap, ld->convlen + n + 1, 1) < 0) return -1;
    memcpy(ld->conv + ld->convlen, s, n);
    ld->convlen += n;
    return 0;
}

/* Appends field bytes converted to UTF-8 (checked UTF-8 when utf8, else
 * from Windows-1252). Returns 0, -1 on OOM, 1 on an invalid byte (*pos,
 * *byte): a control character other than TAB/CR/LF, a byte undefined in
 * Windows-1252, or (utf8) a byte that breaks UTF-8. */
static int conv_field(loader *ld, const char *p, size_t n, int utf8, size_t *pos, unsigned *byte) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
            *pos = i;
            *byte = c;
            return 1;
        }
        if (c < 0x80) {
            if (conv_put(ld, (const char *)&p[i], 1) < 0) return -1;
            continue;
        }
        if (utf8) {
            size_t k = cp_utf8_seq_len(p + i, n - i);
            if (!k) {
                *pos = i;
                *byte = c;
                return 1;
            }
            if (conv_put(ld, p + i, k) < 0) return -1;
            i += k - 1;
            continue;
        }
        unsigned cp = c >= 0xA0 ? c : CP1252_HI[c - 0x80];
        if (!cp) {
            *pos = i;
            *byte = c;
            return 1;
        }
        char b[3];
        size_t k;
        if (cp < 0x800) {
            b[0] = (char)(0xC0 | (cp >> 6));
            b[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else {
            b[0] = (char)(0xE0 | (cp >> 12));
            b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        }
        if (conv_put(ld, b, k) < 0) return -1;
    }
    return 0;
}

/* "-0-" (with any surrounding spaces) is OFAC's empty field. */
static cp_slice field_value(cp_slice s) {
    s = cp_slice_trim(s);
    if (s.len == 3 && memcmp(s.p, "-0-", 3) == 0) s.len = 0;
    return s;
}

typedef struct ofile {
    const cp_list_file *f;
    int role;
    int utf8;
    cp_csv csv;
} ofile;

static void ofile_open(ofile *of, const cp_list_file *f, int role) {
    size_t len = f->len;
    /* DOS end-of-file marker(s) 0x1A at the very end, possibly followed by line ends */
    while (len && (f->data[len - 1] == 0x1A || f->data[len - 1] == '\r' || f->data[len - 1] == '\n')) {
        if (f->data[len - 1] == 0x1A) {
            len--;
            continue;
        }
        /* keep line ends that are not after a 0x1A */
        size_t k = len;
        while (k && (f->data[k - 1] == '\r' || f->data[k - 1] == '\n')) k--;
        if (k && f->data[k - 1] == 0x1A) len = k;
        else break;
    }
    of->f = f;
    of->role = role;
    of->utf8 = detect_utf8((const unsigned char *)f->data, len);
    cp_csv_init(&of->csv, f->data, len, ',', f->name ? f->name : ROLE_NAMES[role]);
}

/* Reads the next well-formed record of `of` into ld->out (converted to
 * UTF-8, "-0-" emptied). Malformed records are reported to the diag and
 * skipped. Returns 1 (record), 0 (end), -1 (OOM; err filled). */
static int next_row(loader *ld, ofile *of, cp_error *err) {
    const char *file = of->csv.file;
    size_t want = ROLE_NCOLS[of->role];
    const char *const *cols = ROLE_COLS[of->role];
    for (;;) {
        cp_error e;
        int rc = cp_csv_next(&of->csv, &e);
        if (rc == 0) return 0;
        if (rc < 0) {
            if (e.code == CP_ERR_NOMEM) {
                *err = e;
                return -1;
            }
            /* the CSV reader names the field by number: name the column */
            size_t fno = 0;
            const char *fp = strstr(e.message, "field ");
            if (fp && sscanf(fp, "field %zu", &fno) == 1 && fno >= 1 && fno <= want)
                snprintf(e.field, sizeof e.field, "%s", cols[fno - 1]);
            cp_diag_error(ld->diag, &e);
            if (ld->st) ld->st->bad_rows[of->role]++;
            continue;
        }
        if (ld->st) ld->st->rows[of->role]++;
        cp_csv *r = &of->csv;
        if (r->nfields != want) {
            char fname[32];
            const char *field = r->nfields < want ? cols[r->nfields] : fname;
            snprintf(fname, sizeof fname, "column %zu", want + 1);
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, r->line, r->offset, field,
                           "expected %zu columns (%s..%s), got %zu; row skipped", want, cols[0],
                           cols[want - 1], r->nfields);
            if (ld->st) ld->st->bad_rows[of->role]++;
            continue;
        }
        ld->convlen = 0;
        size_t starts[MAX_COLS];
        int bad = 0;
        for (size_t i = 0; i < want && !bad; i++) {
            starts[i] = ld->convlen;
            if (r->fields[i].len > MAX_FIELD) {
                cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, r->line, r->offset, cols[i],
                               "field longer than %d bytes; row skipped", MAX_FIELD);
                bad = 1;
                break;
            }
            size_t pos;
            unsigned byte;
            int c = conv_field(ld, r->fields[i].p, r->fields[i].len, of->utf8, &pos, &byte);
            if (c < 0) {
                cp_error_set(err, CP_ERR_NOMEM, file, r->line, r->offset, cols[i], "out of memory");
                return -1;
            }
            if (c > 0) {
                cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, r->line, r->offset, cols[i],
                               "invalid byte 0x%02X at byte %zu of the field (%s); row skipped", byte, pos,
                               byte < 0x80 ? "control character"
                               : of->utf8   ? "not well-formed UTF-8 (file read as UTF-8)"
                                            : "undefined in Windows-1252");
                bad = 1;
            }
        }
        if (bad) {
            if (ld->st) ld->st->bad_rows[of->role]++;
            continue;
        }
        for (size_t i = 0; i < want; i++) {
            size_t end = i + 1 < want ? starts[i + 1] : ld->convlen;
            ld->raw[i] = (cp_slice){ld->conv ? ld->conv + starts[i] : "", end - starts[i]};
            ld->out[i] = field_value(ld->raw[i]);
        }
        /* ent_num: a decimal number */
        cp_slice id = ld->out[0];
        int okid = id.len > 0 && id.len <= MAX_ENT_DIGITS;
        for (size_t i = 0; okid && i < id.len; i++)
            if (id.p[i] < '0' || id.p[i] > '9') okid = 0;
        if (!okid) {
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, r->line, r->offset, cols[0],
                           "ent_num \"%.*s\" is not a number of 1 to %d digits; row skipped",
                           (int)(id.len > 40 ? 40 : id.len), id.p, MAX_ENT_DIGITS);
            if (ld->st) ld->st->bad_rows[of->role]++;
            continue;
        }
        return 1;
    }
}

static char *dup_slice(cp_slice s) {
    char *c = malloc(s.len + 1);
    if (!c) return NULL;
    memcpy(c, s.p, s.len);
    c[s.len] = '\0';
    return c;
}

/* Program column: "SDGT] [IFSR" (OFAC strips the outer brackets) */
static int add_programs(cp_list *l, long ent, cp_slice s) {
    size_t start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i < s.len && s.p[i] != '[' && s.p[i] != ']') continue;
        if (cp_list_add_program(l, ent, s.p + start, i - start) < 0) return -1; /* empty ignored */
        start = i + 1;
    }
    return 0;
}

static cp_schema schema_of(cp_slice t, int *known) {
    *known = 1;
    if (!t.len) return CP_SCHEMA_ORGANIZATION;
    if (t.len == 10 && strncasecmp(t.p, "individual", 10) == 0) return CP_SCHEMA_PERSON;
    if (t.len == 6 && strncasecmp(t.p, "vessel", 6) == 0) return CP_SCHEMA_VESSEL;
    if (t.len == 8 && strncasecmp(t.p, "aircraft", 8) == 0) return CP_SCHEMA_AIRCRAFT;
    *known = 0;
    return CP_SCHEMA_ORGANIZATION;
}

#define TRY(x)                                                                                \
    do {                                                                                      \
        if ((x) < 0) goto nomem;                                                              \
    } while (0)

static int load_primary(loader *ld, ofile *of, cp_strmap *names, cp_error *err) {
    cp_list *l = ld->l;
    int rc;
    while ((rc = next_row(ld, of, err)) == 1) {
        cp_slice *o = ld->out;
        const char *file = of->csv.file;
        if (cp_list_find(l, o[0].p, o[0].len) >= 0) {
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, of->csv.line, of->csv.offset, "ent_num",
                           "duplicate ent_num %.*s; row skipped", (int)o[0].len, o[0].p);
            if (ld->st) ld->st->bad_rows[ROLE_PRIMARY]++;
            continue;
        }
        if (!o[1].len) {
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, file, of->csv.line, of->csv.offset, "SDN_Name",
                           "empty name for ent_num %.*s; row skipped", (int)o[0].len, o[0].p);
            if (ld->st) ld->st->bad_rows[ROLE_PRIMARY]++;
            continue;
        }
        int known;
        cp_schema sc = schema_of(o[2], &known);
        if (!known)
            cp_diag_warningf(ld->diag, file, of->csv.line, of->csv.offset, "SDN_Type",
                             "unknown SDN_Type \"%.*s\", taken as an organization", (int)(o[2].len > 40 ? 40 : o[2].len),
                             o[2].p);
        long ent = cp_list_add_entity(l, o[0].p, o[0].len, sc);
        if (ent < 0) goto nomem;
        TRY(grow((void **)&ld->ex, &ld->capex, (size_t)ent + 1, sizeof(ent_extra)));
        while (ld->nex <= (size_t)ent) memset(&ld->ex[ld->nex++], 0, sizeof(ent_extra));
        TRY(cp_list_add_name(l, ent, o[1].p, o[1].len, CP_NAME_PRIMARY, NULL));
        uint32_t prev;
        if (cp_strmap_get(names, o[1].p, o[1].len, &prev)) {
            if (prev != (uint32_t)ent) TRY(cp_strmap_put(names, o[1].p, o[1].len, UINT32_MAX));
        } else {
            TRY(cp_strmap_put(names, o[1].p, o[1].len, (uint32_t)ent));
        }
        TRY(add_programs(l, ent, o[3]));
        TRY(cp_list_add_fact(l, ent, CP_FACT_TITLE, o[4].p, o[4].len, NULL));
        TRY(cp_list_add_fact(l, ent, CP_FACT_CALL_SIGN, o[5].p, o[5].len, NULL));
        TRY(cp_list_add_fact(l, ent, CP_FACT_VESSEL_TYPE, o[6].p, o[6].len, NULL));
        TRY(cp_list_add_fact(l, ent, CP_FACT_TONNAGE, o[7].p, o[7].len, "Tonnage"));
        TRY(cp_list_add_fact(l, ent, CP_FACT_TONNAGE, o[8].p, o[8].len, "GRT"));
        TRY(cp_list_add_fact(l, ent, CP_FACT_FLAG, o[9].p, o[9].len, NULL));
        ent_extra *x = &ld->ex[ent];
        if (o[4].len && !(x->title = dup_slice(o[4]))) goto nomem;
        if (o[10].len && !(x->owner = dup_slice(o[10]))) goto nomem;
        if (o[11].len) { /* untrimmed: sdn_comments.csv may continue it mid-word */
            if (!(x->remarks = dup_slice(ld->raw[11]))) goto nomem;
            x->rlen = ld->raw[11].len;
            for (size_t i = 0; i < x->rlen; i++) x->rchars += ((unsigned char)x->remarks[i] & 0xC0) != 0x80;
        }
    }
    return rc;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, of->csv.file, of->csv.line, of->csv.offset, NULL, "out of memory");
    return -1;
}

/* Entity index of the current row's ent_num, or -1 after reporting a
 * dangling row (warning). Returns -2 on OOM. */
static long find_owner(loader *ld, ofile *of, cp_strmap *seen, const char *prim_name) {
    cp_slice id = ld->out[0];
    long ent = cp_list_find(ld->l, id.p, id.len);
    if (ent >= 0) return ent;
    cp_diag_warningf(ld->diag, of->csv.file, of->csv.line, of->csv.offset, "ent_num",
                     "ent_num %.*s has no primary record in %s; row skipped", (int)id.len, id.p, prim_name);
    if (ld->st) {
        ld->st->dangling_rows[of->role]++;
        if (!cp_strmap_get(seen, id.p, id.len, NULL)) {
            if (cp_strmap_put(seen, id.p, id.len, 1) < 0) return -2;
            ld->st->dangling_ids[of->role]++;
        }
    }
    return -1;
}

static int load_comments(loader *ld, ofile *of, const char *prim_name, cp_error *err) {
    int rc;
    cp_strmap *seen = cp_strmap_new();
    if (!seen) goto nomem;
    while ((rc = next_row(ld, of, err)) == 1) {
        long ent = find_owner(ld, of, seen, prim_name);
        if (ent == -2) goto nomem;
        if (ent < 0) continue;
        if (!ld->out[1].len) continue;
        cp_slice c = ld->raw[1];
        /* the overflow continues the Remarks text exactly (often mid-word);
         * take the untrimmed field so a leading space is kept */
        ent_extra *x = &ld->ex[ent];
        if (x->rlen + c.len > CP_OFAC_MAX_REMARKS) {
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, of->csv.file, of->csv.line, of->csv.offset,
                           "Remarks_Extension", "joined remarks longer than %d bytes; row skipped",
                           CP_OFAC_MAX_REMARKS);
            continue;
        }
        /* OFAC cuts Remarks at REMARKS_CUT characters and continues them here;
         * a shorter Remarks means the comments file is from another date than
         * the primary file: keep both texts as separate clauses and warn */
        int cont = x->rchars == REMARKS_CUT;
        if (!cont)
            cp_diag_warningf(ld->diag, of->csv.file, of->csv.line, of->csv.offset, "Remarks_Extension",
                             "ent_num %.*s: Remarks in %s has %zu characters, not %d: this overflow does not "
                             "continue it (files of different dates?); appended as separate clauses",
                             (int)ld->out[0].len, ld->out[0].p, prim_name, x->rchars, REMARKS_CUT);
        char *nr = realloc(x->remarks, x->rlen + c.len + 3);
        if (!nr) goto nomem;
        if (!cont && x->rlen) {
            memcpy(nr + x->rlen, "; ", 2);
            x->rlen += 2;
        }
        memcpy(nr + x->rlen, c.p, c.len);
        x->rlen += c.len;
        x->rchars = 0; /* a second overflow row never continues a full cut */
        nr[x->rlen] = '\0';
        x->remarks = nr;
    }
    cp_strmap_free(seen);
    return rc;
nomem:
    cp_strmap_free(seen);
    cp_error_set(err, CP_ERR_NOMEM, of->csv.file, of->csv.line, of->csv.offset, NULL, "out of memory");
    return -1;
}

static int load_add(loader *ld, ofile *of, const char *prim_name, cp_error *err) {
    int rc;
    char *buf = NULL;
    size_t cap = 0;
    cp_strmap *seen = cp_strmap_new();
    if (!seen) goto nomem;
    while ((rc = next_row(ld, of, err)) == 1) {
        long ent = find_owner(ld, of, seen, prim_name);
        if (ent == -2) goto nomem;
        if (ent < 0) continue;
        cp_slice *o = ld->out;
        size_t n = 0;
        for (int i = 2; i <= 4; i++) {
            if (!o[i].len) continue;
            TRY(grow((void **)&buf, &cap, n + o[i].len + 3, 1));
            if (n) { buf[n++] = ','; buf[n++] = ' '; }
            memcpy(buf + n, o[i].p, o[i].len);
            n += o[i].len;
        }
        TRY(cp_list_add_fact(ld->l, ent, CP_FACT_ADDRESS, buf ? buf : "", n, NULL));
        TRY(cp_list_add_fact(ld->l, ent, CP_FACT_COUNTRY, o[4].p, o[4].len, NULL));
        TRY(cp_list_add_fact(ld->l, ent, CP_FACT_REMARK, o[5].p, o[5].len, "Add_remarks"));
    }
    free(buf);
    cp_strmap_free(seen);
    return rc;
nomem:
    free(buf);
    cp_strmap_free(seen);
    cp_error_set(err, CP_ERR_NOMEM, of->csv.file, of->csv.line, of->csv.offset, NULL, "out of memory");
    return -1;
}

static int load_alt(loader *ld, ofile *of, const char *prim_name, cp_error *err) {
    int rc;
    cp_strmap *seen = cp_strmap_new();
    if (!seen) goto nomem;
    while ((rc = next_row(ld, of, err)) == 1) {
        cp_slice *o = ld->out;
        cp_name_kind kind = CP_NAME_ALIAS;
        if (o[2].len == 3 && strncasecmp(o[2].p, "fka", 3) == 0) kind = CP_NAME_FORMER;
        else if (!(o[2].len == 3 && (strncasecmp(o[2].p, "aka", 3) == 0 || strncasecmp(o[2].p, "nka", 3) == 0)))
            cp_diag_warningf(ld->diag, of->csv.file, of->csv.line, of->csv.offset, "alt_type",
                             "unknown alt_type \"%.*s\", taken as a.k.a.", (int)(o[2].len > 20 ? 20 : o[2].len),
                             o[2].p);
        if (!o[3].len) {
            cp_diag_errorf(ld->diag, CP_ERR_FORMAT, of->csv.file, of->csv.line, of->csv.offset, "alt_name",
                           "empty alias name; row skipped");
            if (ld->st) ld->st->bad_rows[ROLE_ALT]++;
            continue;
        }
        long ent = find_owner(ld, of, seen, prim_name);
        if (ent == -2) goto nomem;
        if (ent < 0) continue;
        TRY(cp_list_add_name(ld->l, ent, o[3].p, o[3].len, kind, NULL));
        TRY(cp_list_add_fact(ld->l, ent, CP_FACT_REMARK, o[4].p, o[4].len, "alt_remarks"));
    }
    cp_strmap_free(seen);
    return rc;
nomem:
    cp_strmap_free(seen);
    cp_error_set(err, CP_ERR_NOMEM, of->csv.file, of->csv.line, of->csv.offset, NULL, "out of memory");
    return -1;
}

/* Parses every entity's joined Remarks and resolves Vess_owner. */
static int parse_all_remarks(loader *ld, const cp_strmap *names, cp_error *err) {
    for (size_t i = 0; i < ld->nex; i++) {
        ent_extra *x = &ld->ex[i];
        cp_ofac_remarks_ctx c = {ld->l, (long)i, x->title, names, ld->st};
        if (x->remarks && cp_ofac_parse_remarks(&c, x->remarks, x->rlen) < 0) goto nomem;
        if (x->owner) {
            uint32_t v;
            const char *target = x->owner;
            const cp_entity *e;
            if (cp_strmap_get(names, x->owner, strlen(x->owner), &v) && v != UINT32_MAX &&
                (e = cp_list_entity(ld->l, v)) != NULL)
                target = e->id;
            if (cp_list_add_relation(ld->l, (long)i, CP_REL_RELATED, target, strlen(target), "vessel owner") < 0)
                goto nomem;
        }
    }
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, "Remarks", "out of memory");
    return -1;
}

int cp_load_ofac_csv_stats(cp_list *l, const cp_list_file *files, size_t n, cp_ofac_stats *stats,
                           cp_error *err) {
    if (stats) memset(stats, 0, sizeof *stats);
    const cp_list_file *parts[N_ROLES];
    for (int r = 0; r < N_ROLES; r++) parts[r] = cp_list_file_find(files, n, ROLE_NAMES[r]);
    if (!parts[ROLE_PRIMARY]) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "role", "OFAC CSV: the \"primary\" part (sdn.csv / cons_prim.csv) is missing");
        return -1;
    }
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.l = l;
    ld.diag = cp_list_diag(l);
    ld.st = stats;
    size_t errors_before = ld.diag->errors;
    int rc = -1;
    const char *prim_name = parts[ROLE_PRIMARY]->name ? parts[ROLE_PRIMARY]->name : "primary";
    cp_strmap *names = cp_strmap_new();
    ofile of[N_ROLES];
    memset(of, 0, sizeof of);
    if (!names) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto done;
    }
    for (int r = 0; r < N_ROLES; r++)
        if (parts[r]) ofile_open(&of[r], parts[r], r);
    if (load_primary(&ld, &of[ROLE_PRIMARY], names, err) < 0) goto done;
    if (cp_list_count(l) == 0 && ld.diag->errors > errors_before) {
        cp_error_set(err, CP_ERR_FORMAT, prim_name, 0, -1, NULL,
                     "no valid OFAC legacy CSV record (%zu malformed rows): not an OFAC CSV file?",
                     ld.diag->errors - errors_before);
        goto done;
    }
    if (parts[ROLE_COMMENTS] && load_comments(&ld, &of[ROLE_COMMENTS], prim_name, err) < 0) goto done;
    if (parse_all_remarks(&ld, names, err) < 0) goto done;
    if (parts[ROLE_ADD] && load_add(&ld, &of[ROLE_ADD], prim_name, err) < 0) goto done;
    if (parts[ROLE_ALT] && load_alt(&ld, &of[ROLE_ALT], prim_name, err) < 0) goto done;
    rc = 0;
done:
    for (int r = 0; r < N_ROLES; r++)
        if (parts[r]) cp_csv_free(&of[r].csv);
    for (size_t i = 0; i < ld.nex; i++) {
        free(ld.ex[i].remarks);
        free(ld.ex[i].title);
        free(ld.ex[i].owner);
    }
    free(ld.ex);
    free(ld.conv);
    cp_strmap_free(names);
    return rc;
}

int cp_load_ofac_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    return cp_load_ofac_csv_stats(l, files, n, NULL, err);
}
