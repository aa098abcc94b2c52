#include "lists/xml_util.h"
#include "core/error.h"
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

/* First libxml2 error of one parse, captured by the structured handler. */
typedef struct xml_first_err {
    int have;
    int code;
    long line, col, offset;
    char msg[256];
} xml_first_err;

#if LIBXML_VERSION >= 21200
#define CP_XML_ERR_T const xmlError *
#else
#define CP_XML_ERR_T xmlErrorPtr
#endif

/* Structured error handler: records the first error (level >= error) and
 * swallows everything (library code never prints). `data` is the parser
 * context (libxml2 passes ctxt->userData, which defaults to the context). */
static void xml_on_error(void *data, CP_XML_ERR_T e) {
    xmlParserCtxtPtr ctxt = data;
    if (!ctxt || !e || e->level < XML_ERR_ERROR) return;
    xml_first_err *fe = ctxt->_private;
    if (!fe || fe->have) return;
    fe->have = 1;
    fe->code = e->code;
    fe->line = e->line;
    fe->col = e->int2;
    fe->offset = -1;
    if (ctxt->input && ctxt->input->cur && ctxt->input->base)
        fe->offset = (long)ctxt->input->consumed + (long)(ctxt->input->cur - ctxt->input->base);
    const char *m = e->message ? e->message : "XML error";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (n >= sizeof fe->msg) n = sizeof fe->msg - 1;
    memcpy(fe->msg, m, n);
    fe->msg[n] = '\0';
}

/* libxml2 2.9 initialises its globals lazily without a lock; do it once. */
static pthread_once_t g_xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

xmlDoc *cp_xml_parse(const char *data, size_t len, const char *name, cp_error *err) {
    pthread_once(&g_xml_once, xml_init);
    if (len > CP_XML_MAX_BYTES || len > (size_t)INT_MAX) {
        cp_error_set(err, CP_ERR_ARG, name, 0, -1, NULL, "XML file of %zu bytes exceeds the %zu-byte maximum",
                     len, (size_t)CP_XML_MAX_BYTES);
        return NULL;
    }
    if (len == 0) {
        cp_error_set(err, CP_ERR_FORMAT, name, 1, 0, NULL, "empty file: not an XML document");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        cp_error_set(err, CP_ERR_NOMEM, name, 0, -1, NULL, "out of memory creating the XML parser");
        return NULL;
    }
    xml_first_err fe;
    memset(&fe, 0, sizeof fe);
    ctxt->_private = &fe;
    if (ctxt->sax) {
        ctxt->sax->serror = xml_on_error;
        ctxt->sax->warning = NULL;
        ctxt->sax->error = NULL;
        ctxt->sax->fatalError = NULL;
    }
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
    /* No NOENT, no DTDLOAD, no HUGE: entities are never substituted and
     * external subsets never fetched; NONET forbids network access. */
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT;
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, opts);
    int ok = doc != NULL && ctxt->wellFormed;
    if (!ok) {
        if (doc) xmlFreeDoc(doc);
        doc = NULL;
        if (fe.have && fe.code == XML_ERR_NO_MEMORY)
            cp_error_set(err, CP_ERR_NOMEM, name, fe.line, fe.offset, NULL, "out of memory parsing XML");
        else if (fe.have)
            cp_error_set(err, CP_ERR_FORMAT, name, fe.line, fe.offset, NULL,
                         "broken XML at line %ld, column %ld: %s", fe.line, fe.col, fe.msg);
        else
            cp_error_set(err, CP_ERR_FORMAT, name, 0, -1, NULL, "broken XML (no detail from libxml2)");
    }
    ctxt->_private = NULL;
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDoc *cp_xml_open_main(const cp_list_file *files, size_t n, const cp_xml_list_spec *spec, const char **file,
                         cp_error *err) {
    const cp_list_file *f = cp_list_file_find(files, n, "main");
    if (!f) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "%s", spec->missing);
        return NULL;
    }
    *file = f->name ? f->name : spec->default_name;
    xmlDoc *doc = cp_xml_parse(f->data, f->len, *file, err);
    if (!doc) return NULL;
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!cp_xml_is(root, spec->root)) {
        cp_error_set(err, CP_ERR_FORMAT, *file, cp_xml_line(root), -1, root && root->name ? (const char *)root->name : NULL,
                     "not %s: root element is not <%s>", spec->what, spec->root);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

int cp_xml_is(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

const xmlNode *cp_xml_next_elem(const xmlNode *n) {
    for (n = n ? n->next : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) return n;
    return NULL;
}

const xmlNode *cp_xml_first_elem(const xmlNode *parent) {
    if (!parent) return NULL;
    for (const xmlNode *n = parent->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) return n;
    return NULL;
}

const xmlNode *cp_xml_child(const xmlNode *parent, const char *name) {
    for (const xmlNode *n = cp_xml_first_elem(parent); n; n = cp_xml_next_elem(n))
        if (cp_xml_is(n, name)) return n;
    return NULL;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static cp_slice trim(const char *p, size_t len) {
    while (len && is_space((unsigned char)p[0])) { p++; len--; }
    while (len && is_space((unsigned char)p[len - 1])) len--;
    cp_slice s = {len ? p : NULL, len};
    return s;
}

static int is_text(const xmlNode *c) {
    return c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
}

/* Text of a node list (element children or attribute value children). */
static int list_text(const xmlNode *first, cp_arena *a, cp_slice *out) {
    out->p = NULL;
    out->len = 0;
    size_t count = 0, total = 0;
    const xmlNode *only = NULL;
    for (const xmlNode *c = first; c; c = c->next)
        if (is_text(c) && c->content) {
            count++;
            only = c;
            total += strlen((const char *)c->content);
        }
    if (count == 0) return 0;
    if (count == 1) {
        const char *p = (const char *)only->content;
        *out = trim(p, strlen(p));
        return 0;
    }
    char *buf = cp_arena_alloc(a, total + 1);
    if (!buf) return -1;
    size_t n = 0;
    for (const xmlNode *c = first; c; c = c->next)
        if (is_text(c) && c->content) {
            size_t l = strlen((const char *)c->content);
            memcpy(buf + n, c->content, l);
            n += l;
        }
    buf[n] = '\0';
    *out = trim(buf, n);
    return 0;
}

int cp_xml_text(const xmlNode *n, cp_arena *a, cp_slice *out) {
    if (!n) {
        out->p = NULL;
        out->len = 0;
        return 0;
    }
    return list_text(n->children, a, out);
}

int cp_xml_child_text(const xmlNode *parent, const char *name, cp_arena *a, cp_slice *out) {
    return cp_xml_text(cp_xml_child(parent, name), a, out);
}

int cp_xml_attr(const xmlNode *n, const char *name, cp_arena *a, cp_slice *out) {
    out->p = NULL;
    out->len = 0;
    if (!n || n->type != XML_ELEMENT_NODE) return 0;
    for (const xmlAttr *at = n->properties; at; at = at->next)
        if (at->name && strcmp((const char *)at->name, name) == 0)
            return list_text(at->children, a, out);
    return 0;
}

long cp_xml_line(const xmlNode *n) {
    if (!n) return 0;
    long l = xmlGetLineNo(n);
    return l > 0 ? l : 0;
}

/* ---------------------------------------------------------------- line builder */

void cp_lb_reset(cp_lb *b) {
    b->len = 0;
    b->buf[0] = '\0';
    b->truncated = 0;
}

/* Appends raw bytes, cutting at a UTF-8 boundary at the cap. */
static void lb_raw(cp_lb *b, const char *s, size_t len) {
    size_t room = CP_LB_MAX - b->len;
    if (len > room) {
        len = room;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
        b->truncated = 1;
    }
    memcpy(b->buf + b->len, s, len);
    b->len += len;
    b->buf[b->len] = '\0';
}

void cp_lb_add(cp_lb *b, const char *sep, const char *s, size_t len) {
    cp_slice t = trim(s, s ? len : 0);
    if (!t.len) return;
    if (b->len && sep) lb_raw(b, sep, strlen(sep));
    /* Copy with whitespace runs collapsed to one space. */
    size_t i = 0;
    while (i < t.len && !b->truncated) {
        if (is_space((unsigned char)t.p[i])) {
            while (i < t.len && is_space((unsigned char)t.p[i])) i++;
            lb_raw(b, " ", 1);
            continue;
        }
        size_t j = i;
        while (j < t.len && !is_space((unsigned char)t.p[j])) j++;
        lb_raw(b, t.p + i, j - i);
        i = j;
    }
}

void cp_lb_adds(cp_lb *b, const char *sep, cp_slice s) { cp_lb_add(b, sep, s.p, s.len); }

/* ---------------------------------------------------------------- scripts */

const char *cp_script_of(const char *s, size_t len) {
    static const struct {
        uint32_t lo, hi;
        const char *code;
    } blocks[] = {
        {0x0370, 0x03FF, "Grek"}, {0x0400, 0x052F, "Cyrl"}, {0x0530, 0x058F, "Armn"},
        {0x0590, 0x05FF, "Hebr"}, {0x0600, 0x06FF, "Arab"}, {0x0750, 0x077F, "Arab"},
        {0x0900, 0x097F, "Deva"}, {0x0E00, 0x0E7F, "Thai"}, {0x1000, 0x109F, "Mymr"},
        {0x10A0, 0x10FF, "Geor"}, {0x1100, 0x11FF, "Hang"}, {0x3040, 0x30FF, "Kana"},
        {0x3400, 0x4DBF, "Hani"}, {0x4E00, 0x9FFF, "Hani"}, {0xAC00, 0xD7AF, "Hang"},
        {0xFB50, 0xFDFF, "Arab"}, {0xFE70, 0xFEFF, "Arab"},
    };
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t c = p[i];
        size_t n = 1;
        if (c >= 0xF0 && i + 3 < len) {
            c = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu);
            n = 4;
        } else if (c >= 0xE0 && i + 2 < len) {
            c = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
            n = 3;
        } else if (c >= 0xC0 && i + 1 < len) {
            c = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
            n = 2;
        }
        if (c >= 0x0370)
            for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
                if (c >= blocks[k].lo && c <= blocks[k].hi) return blocks[k].code;
        i += n;
    }
    return NULL;
}
