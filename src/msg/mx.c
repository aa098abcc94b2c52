/* ISO 20022 (MX) parser. Contract and sources in mx.h; mapping in
 * docs/formats/mx.md. Element names: ISO 20022 message definitions
 * (pacs.008/009/004/002/003, pain.001/008, camt.*; head.001 AppHdr) and the
 * SWIFT CBPR+ usage guidelines. */
#include "msg/mx.h"
#include "core/error.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mx_ctx {
    const char *d;
    size_t len;
    const cp_msg_opts *opts;
    cp_error *err;
    size_t *line_start; /* byte offset of each line (index = line - 1) */
    size_t nlines;
} mx_ctx;

static int fail(mx_ctx *c, long line, long off, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(mx_ctx *c, long line, long off, const char *field, const char *fmt, ...) {
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cp_error_set(c->err, CP_ERR_FORMAT, c->opts ? c->opts->file : NULL, line, off, field, "%s", buf);
    return -1;
}

static int nomem(mx_ctx *c) {
    cp_error_set(c->err, CP_ERR_NOMEM, c->opts ? c->opts->file : NULL, 0, -1, NULL, "out of memory");
    return -1;
}

static int index_lines(mx_ctx *c) {
    size_t n = 1;
    for (size_t i = 0; i < c->len; i++)
        if (c->d[i] == '\n') n++;
    c->line_start = malloc(n * sizeof *c->line_start);
    if (!c->line_start) return -1;
    size_t k = 0;
    c->line_start[k++] = 0;
    for (size_t i = 0; i < c->len; i++)
        if (c->d[i] == '\n') c->line_start[k++] = i + 1;
    c->nlines = k;
    return 0;
}

static long line_off(const mx_ctx *c, long line) {
    if (line < 1 || (size_t)line > c->nlines) return -1;
    return (long)c->line_start[line - 1];
}

static long node_off(const mx_ctx *c, const xmlNode *n) { return line_off(c, xmlGetLineNo(n)); }

static int name_is(const xmlNode *n, const char *s) {
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, s);
}

static const xmlNode *child(const xmlNode *n, const char *name) {
    if (!n) return NULL;
    for (const xmlNode *k = n->children; k; k = k->next)
        if (name_is(k, name)) return k;
    return NULL;
}

/* First descendant element named `name` (depth-first, pre-order). */
static const xmlNode *desc(const xmlNode *n, const char *name, int depth) {
    if (!n || depth > CP_MX_MAX_DEPTH) return NULL;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (!strcmp((const char *)k->name, name)) return k;
        const xmlNode *r = desc(k, name, depth + 1);
        if (r) return r;
    }
    return NULL;
}

/* Trimmed text content of element n, copied into r's arena; NULL if empty. */
static const char *text_of(cp_request *r, const xmlNode *n) {
    if (!n) return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    if (!t) return NULL;
    const char *p = (const char *)t;
    size_t len = strlen(p);
    while (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n')) len--;
    const char *s = len ? cp_request_strndup(r, p, len) : NULL;
    xmlFree(t);
    return s;
}

/* Leaf texts under n joined with sep (arena); NULL if none. */
static void leaves_rec(const xmlNode *n, char *buf, size_t cap, size_t *k, const char *sep, int depth) {
    if (depth > CP_MX_MAX_DEPTH) return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            int leaf = 1;
            for (const xmlNode *g = c->children; g; g = g->next)
                if (g->type == XML_ELEMENT_NODE) leaf = 0;
            if (!leaf) {
                leaves_rec(c, buf, cap, k, sep, depth + 1);
                continue;
            }
            xmlChar *t = xmlNodeGetContent(c);
            if (!t) continue;
            const char *p = (const char *)t;
            size_t len = strlen(p);
            while (len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++, len--;
            while (len && (p[len - 1] == ' ' || p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == '\t')) len--;
            size_t sl = *k ? strlen(sep) : 0;
            if (len && *k + sl + len < cap) {
                memcpy(buf + *k, sep, sl);
                memcpy(buf + *k + sl, p, len);
                *k += sl + len;
            }
            xmlFree(t);
        }
    }
}

static const char *leaves(cp_request *r, const xmlNode *n, const char *sep) {
    enum { CAP = 8192 };
    char *buf = malloc(CAP);
    if (!buf) return NULL;
    size_t k = 0;
    leaves_rec(n, buf, CAP, &k, sep, 0);
    const char *s = k ? cp_request_strndup(r, buf, k) : NULL;
    free(buf);
    return s;
}

/* Path of n relative to base ("Cdtr", "UndrlygCstmrCdtTrf/Dbtr"), arena. */
static const char *path_of(cp_request *r, const xmlNode *n, const xmlNode *base) {
    const xmlNode *chain[CP_MX_MAX_DEPTH + 1];
    size_t k = 0;
    for (const xmlNode *p = n; p && p != base && p->type == XML_ELEMENT_NODE && k <= CP_MX_MAX_DEPTH; p = p->parent)
        chain[k++] = p;
    char buf[256];
    size_t o = 0;
    buf[0] = '\0';
    while (k-- > 0) {
        int w = snprintf(buf + o, sizeof buf - o, "%s%s", o ? "/" : "", (const char *)chain[k]->name);
        if (w < 0 || (size_t)w >= sizeof buf - o) break;
        o += (size_t)w;
    }
    return cp_request_strndup(r, buf, o);
}

/* ------------------------------------------------------------ parties */

typedef struct party_name {
    const char *name;
    cp_party_role role;
} party_name;

/* ISO 20022 party and agent element names -> role. */
static const party_name party_names[] = {
    {"Dbtr", CP_ROLE_DEBTOR},
    {"Cdtr", CP_ROLE_CREDITOR},
    {"UltmtDbtr", CP_ROLE_ULTIMATE_DEBTOR},
    {"UltmtCdtr", CP_ROLE_ULTIMATE_CREDITOR},
    {"InitgPty", CP_ROLE_INITIATING_PARTY},
    {"DbtrAgt", CP_ROLE_DEBTOR_AGENT},
    {"CdtrAgt", CP_ROLE_CREDITOR_AGENT},
    {"IntrmyAgt1", CP_ROLE_INTERMEDIARY},
    {"IntrmyAgt2", CP_ROLE_INTERMEDIARY},
    {"IntrmyAgt3", CP_ROLE_INTERMEDIARY},
    {"InstgAgt", CP_ROLE_INSTRUCTING_AGENT},
    {"InstdAgt", CP_ROLE_INSTRUCTED_AGENT},
    {"PrvsInstgAgt1", CP_ROLE_INTERMEDIARY},
    {"PrvsInstgAgt2", CP_ROLE_INTERMEDIARY},
    {"PrvsInstgAgt3", CP_ROLE_INTERMEDIARY},
    {"FwdgAgt", CP_ROLE_INTERMEDIARY},
    {"Fr", CP_ROLE_INSTRUCTING_AGENT},   /* head.001 AppHdr */
    {"To", CP_ROLE_INSTRUCTED_AGENT},    /* head.001 AppHdr */
    {"OrgnlDbtr", CP_ROLE_DEBTOR},
    {"OrgnlCdtr", CP_ROLE_CREDITOR},
    {"OrgnlDbtrAgt", CP_ROLE_DEBTOR_AGENT},
    {"OrgnlCdtrAgt", CP_ROLE_CREDITOR_AGENT},
    {"Assgnr", CP_ROLE_OTHER_PARTY},     /* camt.056/029 assignment */
    {"Assgne", CP_ROLE_OTHER_PARTY},
    {"Cretr", CP_ROLE_OTHER_PARTY},
    {"Ownr", CP_ROLE_OTHER_PARTY},       /* camt.05x account owner */
    {"Svcr", CP_ROLE_OTHER_PARTY},       /* camt.05x account servicer */
    {"Orgtr", CP_ROLE_OTHER_PARTY},      /* pacs.002/004 status/return originator */
    {"RtrChain", CP_ROLE__COUNT},        /* container: its children are parties */
    {NULL, CP_ROLE__COUNT}};

static int party_role(const xmlNode *n, cp_party_role *role) {
    for (const party_name *p = party_names; p->name; p++)
        if (!strcmp((const char *)n->name, p->name)) {
            *role = p->role;
            return p->role != CP_ROLE__COUNT;
        }
    return 0;
}

static const char *join2(cp_request *r, const char *a, const char *sep, const char *b) {
    if (!a) return b;
    if (!b) return a;
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = cp_arena_alloc(r->arena, la + ls + lb + 1);
    if (!s) return NULL;
    memcpy(s, a, la);
    memcpy(s + la, sep, ls);
    memcpy(s + la + ls, b, lb + 1);
    return s;
}

/* Postal address (PstlAdr): structured elements and AdrLine. */
static void postal(cp_request *r, const xmlNode *adr, cp_party *p) {
    const char *addr = NULL;
    const char *street = text_of(r, child(adr, "StrtNm"));
    const char *bldg = text_of(r, child(adr, "BldgNb"));
    street = street && bldg ? join2(r, street, " ", bldg) : street ? street : bldg;
    static const char *const parts[] = {"Dept", "SubDept", "BldgNm", "Flr", "PstBx", "Room", "PstCd", "TwnNm",
                                        "TwnLctnNm", "DstrctNm", "CtrySubDvsn", NULL};
    for (const xmlNode *k = adr->children; k; k = k->next)
        if (name_is(k, "AdrLine")) addr = join2(r, addr, ", ", text_of(r, k));
    addr = join2(r, addr, ", ", street);
    for (const char *const *q = parts; *q; q++) addr = join2(r, addr, ", ", text_of(r, child(adr, *q)));
    p->address = addr;
    p->town = text_of(r, child(adr, "TwnNm"));
    const char *ctry = text_of(r, child(adr, "Ctry"));
    if (ctry) p->country = ctry;
}

/* Account element (<role>Acct): Id/IBAN, else Id/Othr/Id, else Prxy/Id. */
static const char *account(cp_request *r, const xmlNode *acct) {
    const xmlNode *id = child(acct, "Id");
    const char *s = text_of(r, child(id, "IBAN"));
    if (!s) s = text_of(r, child(child(id, "Othr"), "Id"));
    if (!s) s = text_of(r, child(child(acct, "Prxy"), "Id"));
    return s;
}

static int add_party(mx_ctx *c, cp_request *r, const xmlNode *n, cp_party_role role, const xmlNode *base) {
    cp_party p;
    memset(&p, 0, sizeof p);
    p.role = role;
    p.field = path_of(r, n, base);
    p.offset = node_off(c, n);
    p.schema = CP_SCHEMA_ANY;
    p.name = text_of(r, desc(n, "Nm", 0));
    const xmlNode *fi = desc(n, "FinInstnId", 0);
    static const char *const bic_names[] = {"BICFI", "AnyBIC", "BIC", "BICOrBEI", NULL};
    for (const char *const *b = bic_names; *b && !p.bic; b++) p.bic = text_of(r, desc(n, *b, 0));
    p.lei = text_of(r, desc(n, "LEI", 0));
    const xmlNode *adr = desc(n, "PstlAdr", 0);
    if (adr) postal(r, adr, &p);
    if (!p.country) p.country = text_of(r, desc(n, "CtryOfRes", 0));
    const xmlNode *org = desc(n, "OrgId", 0), *prv = desc(n, "PrvtId", 0);
    if (fi || org) p.schema = CP_SCHEMA_ORGANIZATION;
    if (prv) {
        p.schema = CP_SCHEMA_PERSON;
        p.dob = text_of(r, desc(prv, "BirthDt", 0));
    }
    const xmlNode *othr = desc(org ? org : prv, "Othr", 0);
    if (othr) p.other_id = text_of(r, child(othr, "Id"));
    if (!p.other_id) p.other_id = text_of(r, desc(n, "MmbId", 0)); /* ClrSysMmbId */
    /* <role>Acct sibling: DbtrAcct, CdtrAcct, DbtrAgtAcct, ... */
    char an[64];
    snprintf(an, sizeof an, "%sAcct", (const char *)n->name);
    if (n->parent) {
        const xmlNode *acct = child(n->parent, an);
        if (acct) p.account = account(r, acct);
    }
    if (!p.name && !p.bic && !p.account && !p.other_id && !p.lei && !p.address && !p.country) return 0;
    return cp_request_add_party(r, &p) ? 0 : nomem(c);
}

/* ------------------------------------------------------------ walk */

typedef struct tx_info {
    const char *msg_id;   /* GrpHdr/MsgId */
    const char *tx_id;    /* EndToEndId / TxId / ... */
    int tx_id_rank;
    int amt_rank;
} tx_info;

static int is_tx(const xmlNode *n) {
    static const char *const tx[] = {"CdtTrfTxInf", "DrctDbtTxInf", "TxInf", "TxInfAndSts", "TxDtls", NULL};
    if (!n || n->type != XML_ELEMENT_NODE) return 0;
    for (const char *const *t = tx; *t; t++)
        if (!strcmp((const char *)n->name, *t)) return 1;
    return 0;
}

static int contains_tx(const xmlNode *n, int depth) {
    if (depth > CP_MX_MAX_DEPTH) return 0;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (is_tx(k) || contains_tx(k, depth + 1)) return 1;
    }
    return 0;
}

typedef struct text_name {
    const char *name;
    cp_text_kind kind;
    int leaves;   /* join all leaf texts below */
} text_name;

static const text_name text_names[] = {
    {"Ustrd", CP_TEXT_REMITTANCE, 0},
    {"Strd", CP_TEXT_REMITTANCE, 1},
    {"Purp", CP_TEXT_PURPOSE, 1},
    {"CtgyPurp", CP_TEXT_PURPOSE, 1},
    {"RgltryRptg", CP_TEXT_BANK_INFO, 1},
    {"InstrForCdtrAgt", CP_TEXT_BANK_INFO, 1},
    {"InstrForNxtAgt", CP_TEXT_BANK_INFO, 1},
    {"AddtlInf", CP_TEXT_OTHER, 0},
    {"AddtlTxInf", CP_TEXT_OTHER, 0},
    {"AddtlNtryInf", CP_TEXT_OTHER, 0},
    {"AddtlStmtInf", CP_TEXT_OTHER, 0},
    {"AddtlRmtInf", CP_TEXT_REMITTANCE, 0},
    {"Nrtv", CP_TEXT_OTHER, 0},
    {NULL, CP_TEXT_OTHER, 0}};

static int tx_id_rank(const char *name) {
    static const char *const ids[] = {"EndToEndId", "TxId", "OrgnlEndToEndId", "OrgnlTxId", "InstrId", "UETR",
                                      "OrgnlInstrId", "OrgnlUETR", "RtrId", "StsId", "CxlId", "AcctSvcrRef", NULL};
    for (int i = 0; ids[i]; i++)
        if (!strcmp(name, ids[i])) return i + 1;
    return 0;
}

static int amt_rank(const char *name) {
    static const char *const amts[] = {"IntrBkSttlmAmt", "InstdAmt", "RtrdIntrBkSttlmAmt", "OrgnlIntrBkSttlmAmt",
                                       "RtrdInstdAmt", "Amt", "TtlIntrBkSttlmAmt", "CtrlSum", NULL};
    for (int i = 0; amts[i]; i++)
        if (!strcmp(name, amts[i])) return i + 1;
    return 0;
}

/* Walks n's children, extracting into r. `tx_root`: when walking context
 * (not a transaction), subtrees that contain transactions are skipped.
 * `under`: inside UndrlygCstmrCdtTrf. */
static int walk(mx_ctx *c, cp_request *r, tx_info *ti, const xmlNode *n, const xmlNode *base, int context,
                int under, int depth) {
    if (depth > CP_MX_MAX_DEPTH)
        return fail(c, xmlGetLineNo(n), node_off(c, n), (const char *)n->name, "elements nested deeper than %d",
                    CP_MX_MAX_DEPTH);
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        const char *nm = (const char *)k->name;
        if (context && (is_tx(k) || contains_tx(k, depth))) continue;
        cp_party_role role;
        if (party_role(k, &role)) {
            if (under && role == CP_ROLE_DEBTOR) role = CP_ROLE_ULTIMATE_DEBTOR;
            if (under && role == CP_ROLE_CREDITOR) role = CP_ROLE_ULTIMATE_CREDITOR;
            if (add_party(c, r, k, role, base) < 0) return -1;
            continue;
        }
        size_t nl = strlen(nm);
        if (nl > 4 && !strcmp(nm + nl - 4, "Acct")) {
            /* handled with its party; an account without a party element stands alone */
            char pn[64];
            snprintf(pn, sizeof pn, "%.*s", (int)(nl - 4), nm);
            if (child(n, pn)) continue;
            cp_party p;
            memset(&p, 0, sizeof p);
            p.role = !strncmp(nm, "Cdtr", 4) ? (under ? CP_ROLE_ULTIMATE_CREDITOR : CP_ROLE_CREDITOR)
                     : !strncmp(nm, "Dbtr", 4) ? (under ? CP_ROLE_ULTIMATE_DEBTOR : CP_ROLE_DEBTOR)
                                               : CP_ROLE_OTHER_PARTY;
            p.field = path_of(r, k, base);
            p.account = account(r, k);
            p.offset = node_off(c, k);
            if (p.account && !cp_request_add_party(r, &p)) return nomem(c);
            if (!p.account) {
                /* camt statements: Acct/Ownr, Acct/Svcr */
                if (walk(c, r, ti, k, base, context, under, depth + 1) < 0) return -1;
            }
            continue;
        }
        const text_name *tn = NULL;
        for (const text_name *t = text_names; t->name; t++)
            if (!strcmp(nm, t->name)) tn = t;
        if (tn) {
            const char *s = tn->leaves ? leaves(r, k, " ") : text_of(r, k);
            if (s) {
                const char *f = path_of(r, k, base);
                if (!cp_request_add_text(r, tn->kind, f, s, strlen(s), node_off(c, k))) return nomem(c);
            }
            continue;
        }
        if (!strcmp(nm, "MsgId") && !ti->msg_id && name_is(n, "GrpHdr")) {
            ti->msg_id = text_of(r, k);
            continue;
        }
        int idr = tx_id_rank(nm);
        if (idr && !context && (!ti->tx_id || idr < ti->tx_id_rank)) {
            const char *s = text_of(r, k);
            if (s) ti->tx_id = s, ti->tx_id_rank = idr;
            continue;
        }
        int ar = amt_rank(nm);
        if (ar && (!r->amount || ar < ti->amt_rank) && !(context && r->amount)) {
            const char *s = text_of(r, k);
            xmlChar *ccy = xmlGetProp(k, (const xmlChar *)"Ccy");
            if (s && ccy) {
                r->amount = s;
                r->currency = cp_request_strndup(r, (const char *)ccy, strlen((const char *)ccy));
                ti->amt_rank = ar;
            }
            if (ccy) xmlFree(ccy);
            if (s && ccy) continue;
        }
        if (!r->value_date && (!strcmp(nm, "IntrBkSttlmDt") || !strcmp(nm, "ReqdExctnDt") || !strcmp(nm, "ReqdColltnDt"))) {
            const xmlNode *dt = child(k, "Dt");
            r->value_date = text_of(r, dt ? dt : k);
            continue;
        }
        if (!strcmp(nm, "UndrlygCstmrCdtTrf")) {
            if (walk(c, r, ti, k, base, context, 1, depth + 1) < 0) return -1;
            continue;
        }
        if (walk(c, r, ti, k, base, context, under, depth + 1) < 0) return -1;
    }
    return 0;
}

static void collect_tx(const xmlNode *n, const xmlNode **txs, size_t *ntx, size_t cap, int depth) {
    if (depth > CP_MX_MAX_DEPTH) return;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (is_tx(k)) {
            if (*ntx < cap) txs[*ntx] = k;
            (*ntx)++;
            continue;
        }
        collect_tx(k, txs, ntx, cap, depth + 1);
    }
}

typedef struct mx_doc {
    const xmlNode *apphdr, *document, *msg;
    const char *type_ns;   /* borrowed from the namespace href */
    const char *msgdef;
} mx_doc;

static const xmlNode *find_elem(const xmlNode *n, const char *name, int depth) {
    if (!n || depth > 4) return NULL;
    if (name_is(n, name)) return n;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        const xmlNode *r = find_elem(k, name, depth + 1);
        if (r) return r;
    }
    return NULL;
}

static int build_one(mx_ctx *c, cp_request_list *out, const mx_doc *md, const xmlNode *tx, size_t ntx) {
    cp_request *r = cp_request_list_push(out);
    if (!r) return nomem(c);
    tx_info ti;
    memset(&ti, 0, sizeof ti);
    r->format = "mx";
    const char *type = md->type_ns ? md->type_ns : md->msgdef ? md->msgdef : (const char *)md->msg->name;
    r->type = cp_request_strndup(r, type, strlen(type));
    /* the transaction first, so that its amount and ids win */
    if (tx && walk(c, r, &ti, tx, tx, 0, 0, 0) < 0) return -1;
    /* enclosing levels, without other transactions */
    if (tx) {
        for (const xmlNode *a = tx->parent; a && a != md->msg->parent; a = a->parent) {
            for (const xmlNode *k = a->children; k; k = k->next) {
                if (k->type != XML_ELEMENT_NODE || is_tx(k)) continue;
                int on_path = 0;
                for (const xmlNode *p = tx; p; p = p->parent)
                    if (p == k) on_path = 1;
                if (on_path || contains_tx(k, 0)) continue;
                /* walk k itself: wrap by walking its parent restricted to k */
                cp_party_role role;
                if (party_role(k, &role)) {
                    if (add_party(c, r, k, role, md->msg) < 0) return -1;
                    continue;
                }
                /* a one-element walk: reuse walk on a temporary view of k */
                if (!strcmp((const char *)k->name, "MsgId") && name_is(a, "GrpHdr")) {
                    if (!ti.msg_id) ti.msg_id = text_of(r, k);
                    continue;
                }
                if (walk(c, r, &ti, k, md->msg, 1, 0, 1) < 0) return -1;
                /* walk() looks at k's children; texts/amounts that are k itself: */
                const char *nm = (const char *)k->name;
                for (const text_name *t = text_names; t->name; t++)
                    if (!strcmp(nm, t->name)) {
                        const char *s = t->leaves ? leaves(r, k, " ") : text_of(r, k);
                        if (s && !cp_request_add_text(r, t->kind, path_of(r, k, md->msg), s, strlen(s), node_off(c, k)))
                            return nomem(c);
                    }
                if (!r->value_date && (!strcmp(nm, "ReqdExctnDt") || !strcmp(nm, "ReqdColltnDt") || !strcmp(nm, "IntrBkSttlmDt"))) {
                    const xmlNode *dt = child(k, "Dt");
                    r->value_date = text_of(r, dt ? dt : k);
                }
            }
        }
    } else {
        if (walk(c, r, &ti, md->msg, md->msg, 0, 0, 0) < 0) return -1;
    }
    if (md->apphdr && walk(c, r, &ti, md->apphdr, md->apphdr->parent, 0, 0, 0) < 0) return -1;
    if (!ti.msg_id && md->apphdr) ti.msg_id = text_of(r, child(md->apphdr, "BizMsgIdr"));
    if (!ti.msg_id) ti.msg_id = text_of(r, desc(md->msg, "MsgId", 0));
    if (ti.msg_id && ti.tx_id && (ntx > 0)) r->message_id = join2(r, ti.msg_id, "/", ti.tx_id);
    else r->message_id = ti.msg_id ? ti.msg_id : ti.tx_id;
    return 0;
}

/* ISO 20022 messages this parser maps (docs/formats/mx.md) and the highest
 * version of variant 001 we know of (ISO 20022 message catalogue,
 * iso20022.org, as published up to 2025). */
typedef struct mx_known {
    const char *id; /* "pacs.008" */
    int max_version;
} mx_known;

static const mx_known mx_known_msgs[] = {
    {"pacs.002", 14}, {"pacs.003", 11}, {"pacs.004", 14}, {"pacs.008", 13}, {"pacs.009", 12}, {"pacs.010", 6},
    {"pain.001", 12}, {"pain.002", 14}, {"pain.008", 11}, {"camt.029", 13}, {"camt.052", 13}, {"camt.053", 13},
    {"camt.054", 13}, {"camt.056", 11}, {"camt.057", 8},  {"camt.058", 9},  {"camt.105", 2},  {"camt.106", 2},
    {"camt.107", 2},  {"camt.108", 2},  {"camt.109", 2},  {NULL, 0}};

/* 1 if s[0..n) starts with an ISO 20022 message identifier
 * "aaaa.nnn.nnn.nn" (business area, message number, variant, version). */
static int mx_id_syntax(const char *s, size_t n) {
    if (n < 15) return 0;
    for (size_t i = 0; i < 15; i++) {
        char ch = s[i];
        int ok = i < 4 ? (ch >= 'a' && ch <= 'z') : (i == 4 || i == 8 || i == 12) ? ch == '.' : (ch >= '0' && ch <= '9');
        if (!ok) return 0;
    }
    return 1;
}

/* The namespace of the Document element, as a bank reads it: it must be
 * "urn:iso:std:iso:20022:tech:xsd:<id>" (ISO 20022 XML design rules) or a
 * scheme's restricted schema URL whose last segment is "<id>.<scheme...>.xsd"
 * (Swiss Payment Standards: ".../pain.001.001.03.ch.02.xsd"), with <id> a
 * message this parser maps. No namespace, another namespace or an unknown
 * message: an error naming the namespace (a document that does not say what
 * it is is not read by guesswork). A known message in a variant other than
 * 001 or a version above the highest known: parsed, and `warn` (cap bytes)
 * gets the text of a parse warning (the rule malformed_message makes it a
 * REVIEW hit). A Document in another namespace that declares a valid one on
 * itself without using it (CBPR+ sample camt.107: in the envelope's namespace,
 * xmlns:camt="...camt.107.001.01") is read as that one, with a warning.
 * *used: the namespace that names the message type. Returns 0 or -1 (error set). */
static int ns_id(const char *h, const char **id_out);
static int check_ns1(mx_ctx *c, const xmlNode *docel, const char *h, char *warn, size_t cap);
static int check_ns(mx_ctx *c, const xmlNode *docel, char *warn, size_t cap, const char **used) {
    *used = docel->ns && docel->ns->href ? (const char *)docel->ns->href : NULL;
    const char *id;
    if (!*used || !ns_id(*used, &id))
        for (const xmlNs *d = docel->nsDef; d; d = d->next)
            if (d->href && d->prefix && ns_id((const char *)d->href, &id) && d != docel->ns) {
                int rc = check_ns1(c, docel, (const char *)d->href, warn, cap);
                if (rc < 0) return rc;
                snprintf(warn, cap, "Document is in namespace '%.100s', not in the ISO 20022 namespace '%.100s' it declares (prefix '%.20s'): read as that message",
                         *used ? *used : "(none)", (const char *)d->href, (const char *)d->prefix);
                *used = (const char *)d->href;
                return 0;
            }
    return check_ns1(c, docel, *used, warn, cap);
}

/* 1 and *id_out = the message identifier if h is an ISO 20022 message
 * namespace (urn form or a scheme's .xsd URL), else 0. */
static int ns_id(const char *h, const char **id_out) {
    static const char urn[] = "urn:iso:std:iso:20022:tech:xsd:";
    size_t hl = strlen(h);
    const char *id = NULL;
    if (hl > sizeof urn - 1 && !strncmp(h, urn, sizeof urn - 1)) {
        id = h + sizeof urn - 1;
        if (strlen(id) != 15 || !mx_id_syntax(id, 15)) id = NULL;
    } else if ((!strncmp(h, "http://", 7) || !strncmp(h, "https://", 8)) && hl > 4 && !strcmp(h + hl - 4, ".xsd")) {
        const char *seg = strrchr(h, '/') + 1;
        size_t sl = (size_t)(h + hl - 4 - seg);
        if (sl > 16 && mx_id_syntax(seg, sl) && seg[15] == '.') id = seg;
    }
    *id_out = id;
    return id != NULL;
}

static int check_ns1(mx_ctx *c, const xmlNode *docel, const char *h, char *warn, size_t cap) {
    static const char urn[] = "urn:iso:std:iso:20022:tech:xsd:";
    long line = xmlGetLineNo(docel), off = node_off(c, docel);
    warn[0] = '\0';
    if (!h || !h[0])
        return fail(c, line, off, "Document",
                    "Document without a namespace: an ISO 20022 message needs xmlns=\"%s<message>\" (e.g. pacs.008.001.08)", urn);
    const char *id;
    if (!ns_id(h, &id))
        return fail(c, line, off, "Document",
                    "namespace '%.200s' is not an ISO 20022 message namespace (%s<message>)", h, urn);
    const mx_known *k = mx_known_msgs;
    while (k->id && strncmp(k->id, id, 8)) k++;
    if (!k->id)
        return fail(c, line, off, "Document", "namespace '%.200s': message %.8s is not a supported ISO 20022 message", h, id);
    int version = (id[13] - '0') * 10 + (id[14] - '0');
    if (strncmp(id + 9, "001", 3) || version < 1 || version > k->max_version)
        snprintf(warn, cap, "namespace '%.200s': %.15s is not a known version of %s (variant 001, versions 01 to %02d): parsed by element names",
                 h, id, k->id, k->max_version);
    return 0;
}

int cp_mx_parse(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    mx_ctx c;
    memset(&c, 0, sizeof c);
    c.d = data;
    c.len = len;
    c.opts = opts;
    c.err = err;
    size_t max = opts && opts->max_bytes ? opts->max_bytes : CP_MX_MAX_BYTES;
    if (!data || !len) return fail(&c, 0, 0, NULL, "empty input");
    if (len > max || len > INT_MAX) return fail(&c, 0, 0, NULL, "message of %zu bytes exceeds the maximum of %zu", len, max);
    if (index_lines(&c) < 0) return nomem(&c);
    size_t n0 = out->n;
    int rc = 0;
    xmlParserCtxtPtr px = xmlNewParserCtxt();
    if (!px) {
        free(c.line_start);
        return nomem(&c);
    }
    /* No NOENT (entities never substituted), no DTDLOAD/DTDATTR, no network. */
    int xopts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(px, data, (int)len, NULL, NULL, xopts);
    if (!doc) {
        const xmlError *xe = xmlCtxtGetLastError(px);
        long line = xe ? xe->line : 0;
        char msg[300];
        snprintf(msg, sizeof msg, "%s", xe && xe->message ? xe->message : "malformed XML");
        size_t ml = strlen(msg);
        while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' ')) msg[--ml] = '\0';
        long off = line_off(&c, line);
        if (off >= 0 && xe && xe->int2 > 0) off += xe->int2 - 1;
        rc = fail(&c, line, off, "XML", "broken XML: %s (line %ld, column %d)", msg, line, xe ? xe->int2 : 0);
        goto done;
    }
    if (doc->intSubset || doc->extSubset) {
        rc = fail(&c, 1, 0, "DOCTYPE", "a DOCTYPE/DTD is not allowed in an ISO 20022 message");
        goto done;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    mx_doc md;
    memset(&md, 0, sizeof md);
    md.document = find_elem(root, "Document", 0);
    md.apphdr = find_elem(root, "AppHdr", 0);
    if (!md.document) {
        if (name_is(root, "AppHdr")) {
            rc = fail(&c, xmlGetLineNo(root), node_off(&c, root), "Document", "AppHdr without a Document");
            goto done;
        }
        md.document = root; /* a bare business message element */
        md.msg = root;
    } else {
        for (const xmlNode *k = md.document->children; k; k = k->next)
            if (k->type == XML_ELEMENT_NODE) {
                md.msg = k;
                break;
            }
        if (!md.msg) {
            rc = fail(&c, xmlGetLineNo(md.document), node_off(&c, md.document), "Document", "empty Document element");
            goto done;
        }
    }
    char ns_warn[400] = "";
    const char *ns_used = md.document->ns ? (const char *)md.document->ns->href : NULL;
    if (md.document != md.msg && check_ns(&c, md.document, ns_warn, sizeof ns_warn, &ns_used) < 0) {
        rc = -1;
        goto done;
    }
    /* type from the namespace: "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"
     * or a bank/scheme variant such as ".../pain.001.001.03.ch.02.xsd". */
    char type_buf[96];
    if (ns_used) {
        const char *h = ns_used;
        const char *x = strrchr(h, ':'), *y = strrchr(h, '/');
        if (y && (!x || y > x)) x = y;
        x = x ? x + 1 : h;
        size_t tl = strlen(x);
        if (tl > 4 && !strcmp(x + tl - 4, ".xsd")) tl -= 4;
        if (tl && tl < sizeof type_buf) {
            memcpy(type_buf, x, tl);
            type_buf[tl] = '\0';
            md.type_ns = type_buf;
        }
    }
    const xmlNode *hdr_type = md.apphdr ? child(md.apphdr, "MsgDefIdr") : NULL;
    xmlChar *msgdef = hdr_type ? xmlNodeGetContent(hdr_type) : NULL;
    md.msgdef = (const char *)msgdef;
    size_t ntx = 0;
    collect_tx(md.msg, NULL, &ntx, 0, 0);
    if (ntx > CP_MSG_MAX_TRANSACTIONS) {
        rc = fail(&c, 0, 0, NULL, "more than %d transactions in one message", CP_MSG_MAX_TRANSACTIONS);
    } else if (ntx == 0) {
        rc = build_one(&c, out, &md, NULL, 0);
    } else {
        const xmlNode **txs = malloc(ntx * sizeof *txs);
        if (!txs) {
            rc = nomem(&c);
        } else {
            size_t k = 0;
            collect_tx(md.msg, txs, &k, ntx, 0);
            for (size_t i = 0; i < ntx && rc == 0; i++) rc = build_one(&c, out, &md, txs[i], ntx);
            free(txs);
        }
    }
    for (size_t i = n0; rc == 0 && ns_warn[0] && i < out->n; i++)
        if (!cp_request_add_warning(out->items[i], "Document", node_off(&c, md.document), ns_warn)) rc = nomem(&c);
    if (msgdef) xmlFree(msgdef);
done:
    if (doc) xmlFreeDoc(doc);
    xmlFreeParserCtxt(px);
    free(c.line_start);
    if (rc < 0) cp_request_list_truncate(out, n0);
    return rc;
}
