/* SWIFT MT (FIN) parser. Contract and sources in mt.h; mapping in
 * docs/formats/mt.md. */
#include "core/utf8.h"
#include "msg/mt.h"
#include "core/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mt_field {
    char tag[4];     /* "59F", "20", "72Z" */
    unsigned num;    /* 59 */
    char opt;        /* 'F', or 0 when no option letter */
    size_t off;      /* offset of the ':' opening the tag */
    size_t voff;     /* value start */
    size_t vlen;     /* value bytes (line breaks inside, trailing one excluded) */
} mt_field;

/* A repaired defect (docs/formats/mt.md "Recovered defects"); copied into
 * every request of the message as a cp_parse_warning. */
typedef struct mt_warn {
    const char *field;    /* static string ("block 1", "block 4") or a tag in mt_msg.f (alive until build) */
    size_t off;           /* byte offset in the message */
    char msg[200];
} mt_warn;

enum { MT_MAX_WARNINGS = 4 }; /* each kind of repair happens at most once per message */

typedef struct mt_msg {
    const char *d;
    size_t len;
    const cp_msg_opts *opts;
    cp_error *err;
    int have_b1, have_b2, have_b4, b4_text;
    int service;          /* block 1 service id is not "01" */
    char b1_lt[13];       /* logical terminal of block 1 */
    char io;              /* 'I' or 'O' */
    char mt[4];           /* "103" */
    char b2_lt[13];       /* receiver (I) or sender's LT in the MIR (O) */
    char validation[9];   /* block 3 field 119 */
    int ack;              /* block 4 451: 0 ACK, 1 NAK, -1 none */
    size_t b4_off;
    mt_field *f;
    size_t nf, capf;
    mt_warn *w;           /* caller's array of MT_MAX_WARNINGS, survives the reset after a service message */
    size_t *nw;
} mt_msg;

static int fail(mt_msg *m, size_t off, const char *field, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(mt_msg *m, size_t off, const char *field, const char *fmt, ...) {
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cp_error_set(m->err, CP_ERR_FORMAT, m->opts ? m->opts->file : NULL, 0, (long)off, field, "%s", buf);
    return -1;
}

/* Records a repair. More than MT_MAX_WARNINGS repairs in one message means
 * it is not "a few stray bytes": an error then. */
static int warn(mt_msg *m, size_t off, const char *field, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int warn(mt_msg *m, size_t off, const char *field, const char *fmt, ...) {
    if (*m->nw >= MT_MAX_WARNINGS) return fail(m, off, field, "too many defects to repair (more than %d)", MT_MAX_WARNINGS);
    mt_warn *w = &m->w[(*m->nw)++];
    w->field = field;
    w->off = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    return 0;
}

static int nomem(mt_msg *m) {
    cp_error_set(m->err, CP_ERR_NOMEM, m->opts ? m->opts->file : NULL, 0, -1, NULL, "out of memory");
    return -1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum_up(char c) { return is_upper(c) || is_digit(c); }

/* ------------------------------------------------------------ blocks */

/* A block 1 that lost its application id and service id but is otherwise
 * intact: exactly a 12-character logical terminal whose first 8 characters
 * have the BIC layout (ISO 9362: 4 alphanumeric, 2-letter country code,
 * 2 alphanumeric), then the 4-digit session and 6-digit sequence number. */
static int b1_without_service_id(const char *p, size_t n) {
    if (n != 22) return 0;
    for (size_t i = 0; i < 12; i++)
        if (!is_alnum_up(p[i])) return 0;
    if (!is_upper(p[4]) || !is_upper(p[5])) return 0;
    for (size_t i = 12; i < 22; i++)
        if (!is_digit(p[i])) return 0;
    return 1;
}

/* Block 1: F 01 LT(12) session(4) sequence(6) (SWIFT FIN basic header).
 * Repaired (with a warning): the "F01" missing in front of an otherwise
 * complete header; the message is then read as a FIN user message, which
 * validate() confirms (block 2 and a block-4 text must follow). */
static int parse_b1(mt_msg *m, size_t off, const char *p, size_t n) {
    if (!(n >= 3 && (p[0] == 'F' || p[0] == 'A' || p[0] == 'L') && is_digit(p[1]) && is_digit(p[2])) &&
        b1_without_service_id(p, n)) {
        m->service = 0;
        memcpy(m->b1_lt, p, 12);
        m->b1_lt[12] = '\0';
        m->have_b1 = 1;
        return warn(m, off, "block 1",
                    "basic header has no application id and service id: read as 'F01' (FIN user message) with "
                    "logical terminal %.12s, session %.4s, sequence %.6s",
                    p, p + 12, p + 16);
    }
    if (n < 15 || (p[0] != 'F' && p[0] != 'A' && p[0] != 'L') || !is_digit(p[1]) || !is_digit(p[2]))
        return fail(m, off, "block 1", "basic header must be F + service id + 12-character logical terminal");
    for (size_t i = 3; i < 15; i++)
        if (!is_alnum_up(p[i])) return fail(m, off + i, "block 1", "logical terminal address must be 12 A-Z/0-9");
    for (size_t i = 15; i < n; i++)
        if (!is_digit(p[i])) return fail(m, off + i, "block 1", "session/sequence number must be digits");
    m->service = !(p[1] == '0' && p[2] == '1');
    memcpy(m->b1_lt, p + 3, 12);
    m->b1_lt[12] = '\0';
    m->have_b1 = 1;
    return 0;
}

/* Block 2 input: I MT(3) receiver(12) [priority [monitoring [obsolescence]]];
 * output: O MT(3) time(4) MIR(date 6, LT 12, session 4, ISN 6) date(6) time(4) [priority]. */
static int parse_b2(mt_msg *m, size_t off, const char *p, size_t n) {
    if (n < 4 || (p[0] != 'I' && p[0] != 'O') || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
        return fail(m, off, "block 2", "application header must start with I or O and a 3-digit message type");
    m->io = p[0];
    memcpy(m->mt, p + 1, 3);
    m->mt[3] = '\0';
    size_t lt = p[0] == 'I' ? 4 : 14;
    if (n < lt + 12) return fail(m, off, "block 2", "application header too short for the %s address", p[0] == 'I' ? "receiver" : "MIR");
    if (p[0] == 'O')
        for (size_t i = 4; i < 14; i++)
            if (!is_digit(p[i])) return fail(m, off + i, "block 2", "output header time/date must be digits");
    for (size_t i = lt; i < lt + 12; i++)
        if (!is_alnum_up(p[i])) return fail(m, off + i, "block 2", "logical terminal address must be 12 A-Z/0-9");
    memcpy(m->b2_lt, p + lt, 12);
    m->b2_lt[12] = '\0';
    m->have_b2 = 1;
    return 0;
}

/* Sub-blocks {tag:value}... up to the closing '}' of the block. Records
 * block 3 field 119 and block 4 (service message) field 451. */
static int parse_subblocks(mt_msg *m, size_t *pos, const char *bid) {
    size_t i = *pos;
    const char *d = m->d;
    for (;;) {
        if (i >= m->len) return fail(m, *pos, bid, "block not terminated (missing '}')");
        if (d[i] == '}') break;
        if (d[i] != '{') return fail(m, i, bid, "expected '{' starting a sub-block, found byte 0x%02x", (unsigned char)d[i]);
        size_t t = i + 1, c = t;
        while (c < m->len && c - t < 8 && is_alnum_up(d[c])) c++;
        if (c >= m->len || d[c] != ':' || c == t) return fail(m, i, bid, "malformed sub-block tag");
        size_t v = c + 1, e = v;
        while (e < m->len && d[e] != '}' && d[e] != '{') e++;
        if (e >= m->len || d[e] != '}') return fail(m, i, bid, "sub-block not terminated");
        size_t tl = c - t, vl = e - v;
        if (bid[6] == '3' && tl == 3 && !memcmp(d + t, "119", 3) && vl < sizeof m->validation) {
            memcpy(m->validation, d + v, vl);
            m->validation[vl] = '\0';
        }
        if (bid[6] == '4' && tl == 3 && !memcmp(d + t, "451", 3) && vl >= 1) m->ack = d[v] == '0' ? 0 : 1;
        i = e + 1;
    }
    *pos = i + 1;
    return 0;
}

static int add_field(mt_msg *m, size_t off, size_t voff, size_t vend) {
    if (m->nf >= CP_MT_MAX_FIELDS) return fail(m, off, "block 4", "more than %d fields", CP_MT_MAX_FIELDS);
    if (m->nf == m->capf) {
        size_t nc = m->capf ? m->capf * 2 : 32;
        mt_field *nf = realloc(m->f, nc * sizeof *nf);
        if (!nf) return nomem(m);
        m->f = nf;
        m->capf = nc;
    }
    mt_field *f = &m->f[m->nf++];
    const char *d = m->d;
    size_t tl = 0;
    while (off + 1 + tl < m->len && d[off + 1 + tl] != ':') tl++;
    memcpy(f->tag, d + off + 1, tl);
    f->tag[tl] = '\0';
    f->num = (unsigned)(d[off + 1] - '0') * 10u + (unsigned)(d[off + 2] - '0');
    f->opt = tl == 3 ? d[off + 3] : 0;
    f->off = off;
    f->voff = voff;
    f->vlen = vend > voff ? vend - voff : 0;
    return 0;
}

/* Block 4 text: CRLF/LF, then fields ":TAG:value" (TAG = 2 digits + optional
 * upper-case option letter), continuation lines, and a final line "-}". */
static int parse_b4_text(mt_msg *m, size_t *pos) {
    const char *d = m->d;
    size_t i = *pos;
    if (d[i] == '\r') i++;
    if (i >= m->len || d[i] != '\n') return fail(m, *pos, "block 4", "text block must start with a line break");
    i++;
    int open = 0; /* a field is open */
    size_t cur_off = 0, cur_voff = 0, cur_vend = 0;
    char cur_tag[4] = "";  /* tag of the open field (not yet in m->f), for errors */
    for (;;) {
        if (i >= m->len)
            return fail(m, m->b4_off, "block 4", "text block not terminated: no line \"-}\" before the end (truncated message?)");
        size_t ls = i, le = i;
        while (le < m->len && d[le] != '\n') le++;
        size_t ce = le; /* content end, CR excluded */
        if (ce > ls && d[ce - 1] == '\r') ce--;
        if (ce - ls > CP_MT_MAX_LINE)
            return fail(m, ls, open ? cur_tag : "block 4", "line longer than %d bytes", CP_MT_MAX_LINE);
        if (ce - ls >= 2 && d[ls] == '-' && d[ls + 1] == '}') {
            if (open && add_field(m, cur_off, cur_voff, cur_vend) < 0) return -1;
            *pos = ls + 2;
            return 0;
        }
        if (le >= m->len)
            return fail(m, m->b4_off, "block 4", "text block not terminated: no line \"-}\" before the end (truncated message?)");
        if (ls < ce && d[ls] == ':') {
            size_t t = ls + 1;
            if (!(t + 2 < ce && is_digit(d[t]) && is_digit(d[t + 1]) &&
                  (d[t + 2] == ':' || (is_upper(d[t + 2]) && t + 3 < ce && d[t + 3] == ':')))) {
                return fail(m, ls, "block 4", "malformed field tag at line start (expected :NN: or :NNa:)");
            }
            if (open && add_field(m, cur_off, cur_voff, cur_vend) < 0) return -1;
            /* add_field reads the tag again from cur_off. */
            open = 1;
            cur_off = ls;
            cur_voff = d[t + 2] == ':' ? t + 3 : t + 4;
            memcpy(cur_tag, d + t, cur_voff - 1 - t);
            cur_tag[cur_voff - 1 - t] = '\0';
            cur_vend = ce;
        } else {
            if (!open) return fail(m, ls, "block 4", "text before the first field tag");
            cur_vend = ce;
        }
        for (size_t j = ls; j < ce; j++)
            if (d[j] == '{' || d[j] == '}')
                return fail(m, j, open ? cur_tag : "block 4",
                            "'%c' inside the text block (not in the SWIFT X character set): the block structure is "
                            "damaged",
                            d[j]);
        i = le + 1;
    }
}

/* Parses the blocks of one message (block 1 first) starting at *pos; stops
 * before a further "{1:" or at the end. */
static int parse_blocks(mt_msg *m, size_t *pos) {
    const char *d = m->d;
    size_t i = *pos;
    int first = 1;
    for (;;) {
        while (i < m->len && is_ws(d[i])) i++;
        if (i >= m->len) break;
        if (m->have_b4 && (d[i] == '{' || d[i] == '}')) {
            /* Stray braces after block 4 (or a trailer), with nothing but
             * braces and white space up to the end: they carry no content,
             * so they are dropped with a warning. Anything else stays an
             * error below. */
            size_t e = i, nb = 0;
            while (e < m->len && (d[e] == '{' || d[e] == '}' || is_ws(d[e]))) nb += !is_ws(d[e]), e++;
            if (e >= m->len) {
                char shown[9];
                size_t k = 0;
                for (size_t j = i; j < m->len && k < 8; j++)
                    if (!is_ws(d[j])) shown[k++] = d[j];
                shown[k] = '\0';
                if (warn(m, i, "block 4", "%zu stray brace%s '%s%s' after the last block ignored", nb,
                         nb == 1 ? "" : "s", shown, nb > 8 ? "..." : "") < 0)
                    return -1;
                i = m->len;
                break;
            }
        }
        if (d[i] != '{') return fail(m, i, "block", "unexpected byte 0x%02x outside blocks", (unsigned char)d[i]);
        size_t t = i + 1, c = t;
        while (c < m->len && c - t < 3 && is_alnum_up(d[c])) c++;
        if (c >= m->len || d[c] != ':' || c == t) return fail(m, i, "block", "malformed block identifier");
        char bid[16];
        snprintf(bid, sizeof bid, "block %.*s", (int)(c - t), d + t);
        char id = d[t];
        int single = c - t == 1;
        if (first && !(single && id == '1')) {
            if (single && id >= '2' && id <= '5')
                return fail(m, i, "block 1", "message must start with block 1 ({1:): %s missing before {%c:",
                            id == '2' ? "the basic header (block 1) is" : "the basic header (block 1) and application header (block 2) are", id);
            return fail(m, i, "block 1", "message must start with block 1 ({1:)");
        }
        if (!single || !strchr("12345S", id))
            return fail(m, i, bid, "unknown block identifier (FIN blocks are 1, 2, 3, 4, 5 and S)");
        if (!first && single && id == '1') break; /* next message */
        first = 0;
        size_t v = c + 1;
        if (single && (id == '1' || id == '2')) {
            size_t e = v;
            while (e < m->len && d[e] != '}' && d[e] != '{') e++;
            if (e >= m->len || d[e] != '}') return fail(m, i, bid, "block not terminated (missing '}')");
            if (id == '1' ? parse_b1(m, v, d + v, e - v) < 0 : parse_b2(m, v, d + v, e - v) < 0) return -1;
            i = e + 1;
        } else if (single && id == '4') {
            m->have_b4 = 1;
            m->b4_off = i;
            if (v < m->len && (d[v] == '\r' || d[v] == '\n')) {
                m->b4_text = 1;
                if (parse_b4_text(m, &v) < 0) return -1;
                if (v > m->len || d[v - 1] != '}') return fail(m, i, bid, "text block not terminated");
                i = v;
            } else if (v < m->len && d[v] == '{') {
                if (parse_subblocks(m, &v, bid) < 0) return -1;
                i = v;
            } else if (v < m->len && d[v] == '}' ) {
                i = v + 1; /* empty block 4 */
            } else {
                return fail(m, v, bid, "block 4 must start with a line break (text) or '{' (service message)");
            }
        } else {
            if (parse_subblocks(m, &v, bid) < 0) return -1;
            i = v;
        }
    }
    *pos = i;
    return 0;
}

/* ------------------------------------------------------------ field specs */

/* Tags (with option) defined per message type: SWIFT Standards MT SR 2023,
 * message reference guides (MT101, MT103 incl. STP/REMIT, MT202/202COV,
 * MT205/205COV, MT700, MT710, MT720). Sequence B of the COV variants is
 * included in the 202/205 lists. */
static const char *const tags_101[] = {"20", "21R", "28D", "50C", "50L", "50F", "50G", "50H", "52A", "52C", "51A",
    "30", "25", "21", "21F", "23E", "32B", "56A", "56C", "56D", "57A", "57C", "57D", "59", "59A", "59F", "70",
    "77B", "33B", "71A", "25A", "36", NULL};
static const char *const tags_103[] = {"20", "13C", "23B", "23E", "26T", "32A", "33B", "36", "50A", "50F", "50K",
    "51A", "52A", "52D", "53A", "53B", "53D", "54A", "54B", "54D", "55A", "55B", "55D", "56A", "56C", "56D", "57A",
    "57B", "57C", "57D", "59", "59A", "59F", "70", "71A", "71F", "71G", "72", "77B", "77T", NULL};
static const char *const tags_202[] = {"20", "21", "13C", "32A", "52A", "52D", "53A", "53B", "53D", "54A", "54B",
    "54D", "56A", "56D", "57A", "57B", "57D", "58A", "58D", "72",
    /* COV sequence B */ "50A", "50F", "50K", "56C", "57C", "59", "59A", "59F", "70", "33B", NULL};
static const char *const tags_205[] = {"20", "21", "13C", "32A", "52A", "52D", "53A", "53B", "53D", "56A", "56D",
    "57A", "57B", "57D", "58A", "58D", "72",
    /* COV sequence B */ "50A", "50F", "50K", "56C", "57C", "59", "59A", "59F", "70", "33B", NULL};
static const char *const tags_lc[] = {"27", "40A", "40B", "20", "21", "23", "31C", "40E", "31D", "51A", "51D",
    "52A", "52D", "50B", "50", "59", "59A", "32B", "39A", "39B", "39C", "41A", "41D", "42C", "42A", "42D", "42M",
    "42P", "43P", "43T", "44A", "44E", "44F", "44B", "44C", "44D", "45A", "46A", "47A", "49G", "49H", "71D",
    "71B", "48", "49", "58A", "58D", "53A", "53D", "78", "78D", "57A", "57B", "57D", "72Z", "72", NULL};

static const char *const *spec_for(const char *mt) {
    if (!strcmp(mt, "101")) return tags_101;
    if (!strcmp(mt, "103")) return tags_103;
    if (!strcmp(mt, "202")) return tags_202;
    if (!strcmp(mt, "205")) return tags_205;
    if (!strcmp(mt, "700") || !strcmp(mt, "710") || !strcmp(mt, "720")) return tags_lc;
    return NULL;
}

/* ------------------------------------------------------------ values */

typedef struct mt_lines {
    const char *p[CP_MT_MAX_PARTY_LINES];
    size_t n[CP_MT_MAX_PARTY_LINES];
    size_t off[CP_MT_MAX_PARTY_LINES];
    size_t count;
} mt_lines;

static void trim(const char **p, size_t *n) {
    while (*n && (**p == ' ' || **p == '\t')) (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r')) (*n)--;
}

static int split_lines(mt_msg *m, const mt_field *f, mt_lines *L) {
    const char *d = m->d;
    size_t i = f->voff, end = f->voff + f->vlen;
    L->count = 0;
    while (i <= end) {
        size_t e = i;
        while (e < end && d[e] != '\n') e++;
        const char *p = d + i;
        size_t n = e - i;
        trim(&p, &n);
        if (L->count >= CP_MT_MAX_PARTY_LINES)
            return fail(m, i, f->tag, "more than %d lines in a party field", CP_MT_MAX_PARTY_LINES);
        L->p[L->count] = p;
        L->n[L->count] = n;
        L->off[L->count] = i;
        L->count++;
        i = e + 1;
    }
    /* drop trailing empty lines */
    while (L->count && L->n[L->count - 1] == 0) L->count--;
    return 0;
}

/* Arena copy of the lines [from, to) joined with sep; NULL if empty. */
static const char *join(cp_request *r, const mt_lines *L, size_t from, size_t to, const char *sep) {
    size_t total = 0, sl = strlen(sep);
    for (size_t i = from; i < to; i++) total += L->n[i] + sl;
    if (!total) return NULL;
    char *buf = cp_arena_alloc(r->arena, total + 1);
    if (!buf) return NULL;
    size_t k = 0;
    for (size_t i = from; i < to; i++) {
        if (!L->n[i]) continue;
        if (k) memcpy(buf + k, sep, sl), k += sl;
        memcpy(buf + k, L->p[i], L->n[i]);
        k += L->n[i];
    }
    buf[k] = '\0';
    return k ? buf : NULL;
}

/* Appends s[0..n) to *acc (arena), separated by sep. */
static const char *append(cp_request *r, const char *acc, const char *s, size_t n, const char *sep) {
    if (!n) return acc;
    size_t al = acc ? strlen(acc) : 0, sl = acc ? strlen(sep) : 0;
    char *buf = cp_arena_alloc(r->arena, al + sl + n + 1);
    if (!buf) return NULL;
    if (acc) memcpy(buf, acc, al), memcpy(buf + al, sep, sl);
    memcpy(buf + al + sl, s, n);
    buf[al + sl + n] = '\0';
    return buf;
}

static int valid_bic(const char *p, size_t n) {
    if (n != 8 && n != 11) return 0;
    /* ISO 9362:2014: party prefix 4 alphanumeric, country code 2 letters,
     * party suffix 2 alphanumeric, optional branch 3 alphanumeric. */
    for (size_t i = 0; i < 4; i++)
        if (!is_alnum_up(p[i])) return 0;
    if (!is_upper(p[4]) || !is_upper(p[5])) return 0;
    for (size_t i = 6; i < n; i++)
        if (!is_alnum_up(p[i])) return 0;
    return 1;
}

/* "/D/acct", "/C/acct", "/acct" -> acct. */
static const char *account_of(cp_request *r, const char *p, size_t n) {
    if (n && p[0] == '/') p++, n--;
    if (n >= 2 && (p[0] == 'D' || p[0] == 'C') && p[1] == '/') p += 2, n -= 2;
    trim(&p, &n);
    return n ? cp_request_strndup(r, p, n) : NULL;
}

/* Option F (50F ordering customer, 59F beneficiary): line 1 "/account" or
 * "CODE/CC/identifier" (50F: ARNU CCPT CUST DRLC EMPL NIDN SOSE TXID), then
 * numbered lines: 1/ name, 2/ address line, 3/ CC/town, 4/ date of birth
 * YYYYMMDD, 5/ CC/place of birth, 6/ CC/issuer/customer id, 7/ CC/national
 * id, 8/ continuation of 6 or 7. A number may repeat (a long name or
 * address continues). SWIFT Standards MT, field 50F and 59F. */
static int party_option_f(mt_msg *m, cp_request *r, const mt_field *f, const mt_lines *L, cp_party *p) {
    size_t i = 0;
    if (L->count && !(L->n[0] >= 2 && is_digit(L->p[0][0]) && L->p[0][1] == '/')) {
        if (L->p[0][0] == '/') p->account = account_of(r, L->p[0], L->n[0]);
        else p->other_id = cp_request_strndup(r, L->p[0], L->n[0]);
        i = 1;
    }
    const char *town = NULL;
    for (; i < L->count; i++) {
        const char *s = L->p[i];
        size_t n = L->n[i];
        if (n == 0) continue;
        if (n < 2 || !is_digit(s[0]) || s[1] != '/' || s[0] < '1' || s[0] > '8')
            return fail(m, L->off[i], f->tag, "line %zu must start with a line number 1/ to 8/", i + 1);
        char num = s[0];
        s += 2, n -= 2;
        trim(&s, &n);
        switch (num) {
        case '1': p->name = append(r, p->name, s, n, " "); break;
        case '2': p->address = append(r, p->address, s, n, ", "); break;
        case '3':
            if (!p->country) {
                if (n < 2 || !is_upper(s[0]) || !is_upper(s[1]) || (n > 2 && s[2] != '/'))
                    return fail(m, L->off[i], f->tag, "line 3/ must start with an ISO 3166 country code: 3/CC/town");
                p->country = cp_request_strndup(r, s, 2);
                s += n > 2 ? 3 : 2, n -= n > 2 ? 3 : 2;
                town = append(r, town, s, n, " ");
            } else {
                town = append(r, town, s, n, " ");
            }
            break;
        case '4':
            if (n == 8) {
                char buf[11];
                snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
                p->dob = cp_request_strndup(r, buf, 10);
            } else {
                return fail(m, L->off[i], f->tag, "line 4/ must be a date of birth YYYYMMDD");
            }
            break;
        default: p->other_id = append(r, p->other_id, L->p[i], L->n[i], "; "); break;
        }
    }
    p->town = town;
    if (p->dob || (p->other_id && f->num == 50)) p->schema = p->dob ? CP_SCHEMA_PERSON : CP_SCHEMA_ANY;
    return 0;
}

/* Adds the party of field f (options A, B, C, D, F, G, H, K, L or none). */
static int add_party(mt_msg *m, cp_request *r, const mt_field *f, cp_party_role role, const char *fieldname) {
    mt_lines L;
    if (split_lines(m, f, &L) < 0) return -1;
    cp_party p;
    memset(&p, 0, sizeof p);
    p.role = role;
    p.field = fieldname;
    p.offset = (long)f->off;
    p.schema = CP_SCHEMA_ANY;
    size_t i = 0;
    switch (f->opt) {
    case 'A':
    case 'G':
        if (i < L.count && L.n[i] && L.p[i][0] == '/') p.account = account_of(r, L.p[i], L.n[i]), i++;
        if (i >= L.count || !valid_bic(L.p[i], L.n[i]))
            return fail(m, i < L.count ? L.off[i] : f->voff, f->tag,
                        "option %c needs a BIC (ISO 9362: 4 alphanumeric, 2-letter country, 2 alphanumeric, optional 3-character branch)", f->opt);
        p.bic = cp_request_strndup(r, L.p[i], L.n[i]);
        p.schema = CP_SCHEMA_ORGANIZATION;
        if (i + 1 < L.count) {
            if (f->num == 41 || f->num == 42) p.other_id = join(r, &L, i + 1, L.count, " "); /* "BY PAYMENT" */
            else return fail(m, L.off[i + 1], f->tag, "unexpected line after the BIC");
        }
        break;
    case 'C':
    case 'L':
        if (L.count && L.n[0] >= 2 && L.p[0][0] == '/' && L.p[0][1] == '/')
            p.other_id = cp_request_strndup(r, L.p[0] + 2, L.n[0] - 2);
        else if (L.count && f->opt == 'C')
            p.account = account_of(r, L.p[0], L.n[0]);
        else if (L.count)
            p.other_id = join(r, &L, 0, L.count, " ");
        break;
    case 'B':
        if (i < L.count && L.n[i] && L.p[i][0] == '/') p.account = account_of(r, L.p[i], L.n[i]), i++;
        p.address = join(r, &L, i, L.count, ", ");
        break;
    case 'F':
        if (party_option_f(m, r, f, &L, &p) < 0) return -1;
        break;
    default: /* D, H, K, no option: [/account] name and address lines */
        if (i < L.count && L.n[i] && L.p[i][0] == '/') p.account = account_of(r, L.p[i], L.n[i]), i++;
        if (i < L.count) p.name = cp_request_strndup(r, L.p[i], L.n[i]), i++;
        p.address = join(r, &L, i, L.count, ", ");
        break;
    }
    if (!p.name && !p.bic && !p.account && !p.other_id && !p.address) return 0; /* empty field */
    return cp_request_add_party(r, &p) ? 0 : nomem(m);
}

/* Field value with CRLF folded to LF, trimmed. */
static int add_text(mt_msg *m, cp_request *r, const mt_field *f, cp_text_kind kind, const char *fieldname) {
    const char *p = m->d + f->voff;
    size_t n = f->vlen;
    trim(&p, &n);
    char *buf = cp_arena_alloc(r->arena, n + 1);
    if (!buf) return nomem(m);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r') buf[k++] = p[i];
    if (!k) return 0;
    return cp_request_add_text(r, kind, fieldname, buf, k, (long)f->off) ? 0 : nomem(m);
}

static int add_place(mt_msg *m, cp_request *r, const mt_field *f, const char *label) {
    const char *p = m->d + f->voff;
    size_t n = f->vlen;
    if (f->num == 31) { /* 31D: date YYMMDD + place */
        if (n < 6) return fail(m, f->voff, f->tag, "31D must be a date YYMMDD followed by the place of expiry");
        p += 6, n -= 6;
    }
    trim(&p, &n);
    char *buf = cp_arena_alloc(r->arena, n + 1);
    if (!buf) return nomem(m);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r') buf[k++] = p[i] == '\n' ? ' ' : p[i];
    if (!k) return 0;
    return cp_request_add_place(r, f->tag, label, buf, k, (long)f->off) ? 0 : nomem(m);
}

/* 32A: YYMMDD CCC amount; 32B: CCC amount (amount: digits with a decimal comma). */
static int set_amount(mt_msg *m, cp_request *r, const mt_field *f) {
    const char *p = m->d + f->voff;
    size_t n = f->vlen, i = 0;
    trim(&p, &n);
    if (f->opt == 'A') {
        for (i = 0; i < 6; i++)
            if (i >= n || !is_digit(p[i])) return fail(m, f->voff, f->tag, "32A must start with a value date YYMMDD");
        char date[11];
        snprintf(date, sizeof date, "20%.2s-%.2s-%.2s", p, p + 2, p + 4);
        r->value_date = cp_request_strndup(r, date, 10);
    }
    if (n < i + 4 || !is_upper(p[i]) || !is_upper(p[i + 1]) || !is_upper(p[i + 2]))
        return fail(m, f->voff + i, f->tag, "%s needs an ISO 4217 currency code and an amount", f->tag);
    for (size_t j = i + 3; j < n; j++)
        if (!is_digit(p[j]) && p[j] != ',') return fail(m, f->voff + j, f->tag, "amount must be digits with a decimal comma");
    r->currency = cp_request_strndup(r, p + i, 3);
    r->amount = cp_request_strndup(r, p + i + 3, n - i - 3);
    return 0;
}

/* ------------------------------------------------------------ mapping */

enum mt_kind { K_PAY, K_COV, K_101, K_LC, K_OTHER };

/* Applies one field to the request. `seq_b`: inside the COV underlying
 * customer credit transfer (MT202COV/205COV sequence B). */
static int apply_field(mt_msg *m, cp_request *r, const mt_field *f, enum mt_kind kind, int seq_b) {
    char name[16];
    snprintf(name, sizeof name, "%s%s", seq_b ? "B/" : "", f->tag);
    unsigned n = f->num;
    int lc = kind == K_LC;
    switch (n) {
    case 20:
        if (!r->message_id) {
            const char *p = m->d + f->voff;
            size_t l = f->vlen;
            trim(&p, &l);
            r->message_id = cp_request_strndup(r, p, l);
        }
        return 0;
    case 32:
        if (f->opt == 'A' || f->opt == 'B') return r->currency ? 0 : set_amount(m, r, f);
        return 0;
    case 50:
        if (f->opt == 'C' || f->opt == 'L') return add_party(m, r, f, CP_ROLE_INITIATING_PARTY, name);
        if (lc && f->opt == 'B') return add_party(m, r, f, CP_ROLE_OTHER_PARTY, name);
        return add_party(m, r, f, seq_b ? CP_ROLE_ULTIMATE_DEBTOR : CP_ROLE_DEBTOR, name);
    case 51: return add_party(m, r, f, lc ? CP_ROLE_DEBTOR_AGENT : CP_ROLE_INSTRUCTING_AGENT, name);
    case 52: return add_party(m, r, f, CP_ROLE_DEBTOR_AGENT, name);
    case 53: return add_party(m, r, f, lc ? CP_ROLE_OTHER_PARTY : CP_ROLE_SENDER_CORRESPONDENT, name);
    case 54: return add_party(m, r, f, CP_ROLE_RECEIVER_CORRESPONDENT, name);
    case 55:
    case 56: return add_party(m, r, f, CP_ROLE_INTERMEDIARY, name);
    case 57: return add_party(m, r, f, CP_ROLE_CREDITOR_AGENT, name);
    case 58: return add_party(m, r, f, lc ? CP_ROLE_OTHER_PARTY : CP_ROLE_CREDITOR, name);
    case 59: return add_party(m, r, f, seq_b ? CP_ROLE_ULTIMATE_CREDITOR : CP_ROLE_CREDITOR, name);
    case 41:
    case 42:
        if (f->opt == 'A' || f->opt == 'D') return add_party(m, r, f, CP_ROLE_OTHER_PARTY, name);
        if (lc && f->opt == 'C') return add_text(m, r, f, CP_TEXT_CONDITIONS, name);
        return 0;
    case 70:
    case 77:
        if (f->opt == 'B') return add_text(m, r, f, CP_TEXT_BANK_INFO, name); /* 77B regulatory reporting */
        return add_text(m, r, f, CP_TEXT_REMITTANCE, name);                  /* 70, 77T */
    case 72:
    case 78: return add_text(m, r, f, CP_TEXT_BANK_INFO, name);
    case 75:
    case 76:
    case 79: return add_text(m, r, f, CP_TEXT_OTHER, name);
    default: break;
    }
    if (!lc) return 0;
    switch (n) {
    case 45: return add_text(m, r, f, CP_TEXT_GOODS, name);
    case 46: return add_text(m, r, f, CP_TEXT_DOCUMENTS, name);
    case 47:
    case 49:
        if (n == 49 && f->opt != 'G' && f->opt != 'H') return 0;
        return add_text(m, r, f, CP_TEXT_CONDITIONS, name);
    case 39:
        if (f->opt == 'C') return add_text(m, r, f, CP_TEXT_OTHER, name);
        return 0;
    case 31:
        if (f->opt == 'D') return add_place(m, r, f, "place_of_expiry");
        return 0;
    case 44:
        switch (f->opt) {
        case 'A': return add_place(m, r, f, "place_of_receipt");
        case 'E': return add_place(m, r, f, "port_of_loading");
        case 'F': return add_place(m, r, f, "port_of_discharge");
        case 'B': return add_place(m, r, f, "final_destination");
        default: return 0; /* 44C latest date of shipment, 44D shipment period */
        }
    default: return 0;
    }
}

/* BIC11 of a 12-character logical terminal (BIC8 + LT code + branch). */
static void lt_bic(const char *lt, char out[12]) {
    memcpy(out, lt, 8);
    memcpy(out + 8, lt + 9, 3);
    out[11] = '\0';
}

static int add_header(mt_msg *m, cp_request *r) {
    char type[16];
    int cov = !strcmp(m->validation, "COV") && (!strcmp(m->mt, "202") || !strcmp(m->mt, "205"));
    snprintf(type, sizeof type, "MT%s%s", m->mt, cov ? "COV" : "");
    r->format = "mt";
    r->type = cp_request_strndup(r, type, strlen(type));
    if (!r->type) return nomem(m);
    char bic[12];
    cp_party p;
    memset(&p, 0, sizeof p);
    p.schema = CP_SCHEMA_ORGANIZATION;
    const char *sender = m->io == 'I' ? m->b1_lt : m->b2_lt;
    const char *receiver = m->io == 'I' ? m->b2_lt : m->b1_lt;
    lt_bic(sender, bic);
    p.role = CP_ROLE_INSTRUCTING_AGENT;
    p.field = m->io == 'I' ? "block1" : "block2";
    p.bic = bic;
    p.offset = -1;
    if (!cp_request_add_party(r, &p)) return nomem(m);
    lt_bic(receiver, bic);
    p.role = CP_ROLE_INSTRUCTED_AGENT;
    p.field = m->io == 'I' ? "block2" : "block1";
    if (!cp_request_add_party(r, &p)) return nomem(m);
    return 0;
}

/* Copies the repairs of the message into request r. */
static int add_warnings(mt_msg *m, cp_request *r) {
    for (size_t i = 0; i < *m->nw; i++)
        if (!cp_request_add_warning(r, m->w[i].field, (long)m->w[i].off, m->w[i].msg)) return nomem(m);
    return 0;
}

static int build(mt_msg *m, cp_request_list *out) {
    enum mt_kind kind = K_OTHER;
    if (!strcmp(m->mt, "101")) kind = K_101;
    else if (!strcmp(m->mt, "202") || !strcmp(m->mt, "205")) kind = K_COV;
    else if (m->mt[0] == '7') kind = K_LC;
    else if (m->mt[0] == '1') kind = K_PAY;

    if (kind != K_101) {
        cp_request *r = cp_request_list_push(out);
        if (!r) return nomem(m);
        if (add_header(m, r) < 0 || add_warnings(m, r) < 0) return -1;
        int seq_b = 0;
        for (size_t i = 0; i < m->nf; i++) {
            const mt_field *f = &m->f[i];
            if (kind == K_COV && f->num == 50) seq_b = 1; /* sequence B starts with 50a */
            if (apply_field(m, r, f, kind, seq_b) < 0) return -1;
        }
        return 0;
    }
    /* MT101: sequence A up to the first field 21; each 21 starts a sequence B. */
    size_t first_b = m->nf;
    for (size_t i = 0; i < m->nf; i++)
        if (!strcmp(m->f[i].tag, "21")) {
            first_b = i;
            break;
        }
    if (first_b == m->nf) return fail(m, m->b4_off, "21", "MT101 without a sequence B (field 21)");
    for (size_t b = first_b; b < m->nf;) {
        size_t e = b + 1;
        while (e < m->nf && strcmp(m->f[e].tag, "21")) e++;
        cp_request *r = cp_request_list_push(out);
        if (!r) return nomem(m);
        if (add_header(m, r) < 0 || add_warnings(m, r) < 0) return -1;
        for (size_t i = 0; i < first_b; i++)
            if (apply_field(m, r, &m->f[i], kind, 0) < 0) return -1;
        for (size_t i = b; i < e; i++)
            if (apply_field(m, r, &m->f[i], kind, 0) < 0) return -1;
        const char *p = m->d + m->f[b].voff;
        size_t l = m->f[b].vlen;
        trim(&p, &l);
        char id[128];
        snprintf(id, sizeof id, "%s/%.*s", r->message_id ? r->message_id : "", (int)(l < 64 ? l : 64), p);
        r->message_id = cp_request_strndup(r, id, strlen(id));
        b = e;
    }
    return 0;
}


/* Invalid UTF-8 in a field value: the bytes would be dropped when names are
 * normalized, so "MAD\xFFURO" would be screened as "MADURO"... or a name
 * split apart without anyone knowing. SWIFT FIN text is the X character set
 * (ASCII); UTF-8 beyond it is read as given, anything else is recorded as a
 * parse warning (field tag, offset of the first bad byte), so the rule
 * malformed_message makes the message REVIEW. One warning per message. */
static int check_utf8(mt_msg *m) {
    for (size_t i = 0; i < m->nf; i++) {
        const mt_field *f = &m->f[i];
        size_t b = cp_utf8_invalid_at(m->d + f->voff, f->vlen);
        if (b < f->vlen)
            return warn(m, f->voff + b, f->tag, "invalid UTF-8 (byte 0x%02x) in field %s: screened without the invalid bytes",
                        (unsigned char)m->d[f->voff + b], f->tag);
    }
    return 0;
}

/* 1 if the value of f is only spaces, tabs and line breaks. */
static int field_blank(const mt_msg *m, const mt_field *f) {
    for (size_t i = 0; i < f->vlen; i++)
        if (!is_ws(m->d[f->voff + i])) return 0;
    return 1;
}

/* Mandatory party field `num` (any option; LC: only option A or no letter)
 * must be present and have content. SWIFT Standards MT SR 2023: MT103 50a
 * ordering customer and 59a beneficiary customer are mandatory;
 * MT202COV/205COV sequence B 50a and 59a are mandatory; MT700/710 50
 * applicant and 59a beneficiary, MT720 50 first and 59a second beneficiary
 * are mandatory. A field without content would otherwise add no party and the
 * payment would screen without its ordering customer or beneficiary.
 * Strict: an error naming the field and its offset (block 4 when missing).
 * opts->lenient: the same text as a parse warning on every request of the
 * message [n0, out->n) (the rule malformed_message makes it a REVIEW hit). */
static int require_party(mt_msg *m, cp_request_list *out, size_t n0, unsigned num, int lc, const char *role) {
    const mt_field *bad = NULL;
    int found = 0;
    for (size_t i = 0; i < m->nf && !bad; i++) {
        const mt_field *f = &m->f[i];
        if (f->num != num || (lc && f->opt && f->opt != 'A')) continue;
        if (field_blank(m, f)) bad = f;
        found = 1;
    }
    if (found && !bad) return 0;
    char msg[160], tag[8];
    snprintf(tag, sizeof tag, "%ua", num);
    if (bad) snprintf(msg, sizeof msg, "mandatory field %s (%s) is empty in MT%s", bad->tag, role, m->mt);
    else snprintf(msg, sizeof msg, "mandatory field %s (%s) is missing in MT%s", tag, role, m->mt);
    const char *field = num == 50 ? "50a" : "59a";
    size_t off = bad ? bad->off : m->b4_off;
    if (!(m->opts && m->opts->lenient)) return fail(m, off, bad ? bad->tag : field, "%s", msg);
    for (size_t i = n0; i < out->n; i++)
        if (!cp_request_add_warning(out->items[i], field, (long)off, msg)) return nomem(m);
    return 0;
}

/* The mandatory parties of MT103, MT202COV/205COV and MT700/710/720
 * (require_party). Checked after build so that a bad tag or BIC is reported
 * first. */
static int require_parties(mt_msg *m, cp_request_list *out, size_t n0) {
    int cov = !strcmp(m->validation, "COV") && (!strcmp(m->mt, "202") || !strcmp(m->mt, "205"));
    int lc = !strcmp(m->mt, "700") || !strcmp(m->mt, "710") || !strcmp(m->mt, "720");
    if (strcmp(m->mt, "103") && !cov && !lc) return 0;
    int second = !strcmp(m->mt, "720");
    if (require_party(m, out, n0, 50, lc, lc ? (second ? "first beneficiary" : "applicant") : "ordering customer") < 0 ||
        require_party(m, out, n0, 59, lc, lc ? (second ? "second beneficiary" : "beneficiary") : "beneficiary customer") < 0)
        return -1;
    return 0;
}

static int validate(mt_msg *m) {
    if (!m->have_b2) return fail(m, 0, "block 2", "missing application header (block 2)");
    if (!m->have_b4 || !m->b4_text) return fail(m, m->have_b4 ? m->b4_off : m->len, "block 4", "missing text block (block 4)");
    int has20 = 0;
    for (size_t i = 0; i < m->nf; i++)
        if (!strcmp(m->f[i].tag, "20")) has20 = 1;
    if (!has20) return fail(m, m->b4_off, "20", "mandatory field 20 (sender's reference) is missing");
    const char *const *spec = spec_for(m->mt);
    if (spec && !(m->opts && m->opts->lenient)) {
        for (size_t i = 0; i < m->nf; i++) {
            int ok = 0;
            for (const char *const *t = spec; *t; t++)
                if (!strcmp(*t, m->f[i].tag)) {
                    ok = 1;
                    break;
                }
            if (!ok) return fail(m, m->f[i].off, m->f[i].tag, "field %s is not defined for MT%s", m->f[i].tag, m->mt);
        }
    }
    return 0;
}

/* Resets m to parse one message of len bytes; the warnings go to the
 * caller's array w of MT_MAX_WARNINGS (count *nw), kept across a reset. */
static void mt_start(mt_msg *m, const char *data, size_t len, const cp_msg_opts *opts, cp_error *err, mt_warn *w,
                     size_t *nw) {
    memset(m, 0, sizeof *m);
    m->d = data;
    m->len = len;
    m->opts = opts;
    m->err = err;
    m->ack = -1;
    m->w = w;
    m->nw = nw;
}

int cp_mt_parse(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    mt_msg m;
    mt_warn warns[MT_MAX_WARNINGS];
    size_t nwarn = 0;
    mt_start(&m, data, len, opts, err, warns, &nwarn);
    size_t max = opts && opts->max_bytes ? opts->max_bytes : CP_MT_MAX_BYTES;
    if (!data) return fail(&m, 0, NULL, "no input");
    if (len > max) return fail(&m, 0, NULL, "message of %zu bytes exceeds the maximum of %zu", len, max);
    size_t n0 = out->n, pos = 0;
    int rc = parse_blocks(&m, &pos);
    if (rc == 0 && m.service) {
        int ack = m.ack;
        while (pos < len && is_ws(data[pos])) pos++;
        if (pos >= len) { /* a service message alone */
            free(m.f);
            cp_request *r = cp_request_list_push(out);
            if (!r) return nomem(&m);
            r->format = "mt";
            r->type = ack == 1 ? "NAK" : ack == 0 ? "ACK" : "SERVICE";
            if (add_warnings(&m, r) < 0) {
                cp_request_list_truncate(out, n0);
                return -1;
            }
            return 0;
        }
        free(m.f);
        mt_start(&m, data, len, opts, err, warns, &nwarn);
        rc = parse_blocks(&m, &pos);
        if (rc == 0 && m.service) rc = fail(&m, pos, "block 1", "two service messages in a row");
    }
    if (rc == 0) {
        while (pos < len && is_ws(data[pos])) pos++;
        if (pos < len) rc = fail(&m, pos, "block 1", "a second message follows; split the input with cp_msg_next");
    }
    if (rc == 0) rc = validate(&m);
    if (rc == 0) rc = check_utf8(&m);
    if (rc == 0) rc = build(&m, out);
    if (rc == 0) rc = require_parties(&m, out, n0);
    free(m.f);
    if (rc < 0) cp_request_list_truncate(out, n0);
    return rc;
}
