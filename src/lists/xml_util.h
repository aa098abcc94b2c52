/* Small helpers shared by the XML list loaders (UN consolidated XML, EU FSF
 * XML): a safe libxml2 parse of an in-memory file, element/attribute text
 * access, and a bounded line builder for composing one-line values
 * (addresses, places of birth, document details).
 *
 * Safety: documents are parsed with XML_PARSE_NONET (no network), without
 * XML_PARSE_NOENT / XML_PARSE_DTDLOAD (external entities are never resolved,
 * entity references are never substituted) and without XML_PARSE_HUGE (the
 * libxml2 default limits on depth and text size stay on). The text helpers
 * read only text and CDATA children and skip entity-reference nodes, so an
 * entity declared in an internal DTD can never be expanded (no "billion
 * laughs"). libxml2 diagnostics go to a per-parse handler, never to stderr.
 *
 * Thread-safety: every function works on caller-owned state only; libxml2
 * itself is thread-safe for separate parser contexts (libxml2 2.9+). */
#ifndef CP_LISTS_XML_UTIL_H
#define CP_LISTS_XML_UTIL_H
#include "core/arena.h"
#include "core/csv.h" /* cp_slice */
#include "lists/loaders.h" /* cp_list_file */
#include "chokepoint.h"
#include <libxml/tree.h>
#include <stddef.h>

/* Largest XML file accepted (bytes): libxml2 takes an int length. */
#define CP_XML_MAX_BYTES ((size_t)1 << 30)

/* Parses `len` bytes of `data` (need not be NUL-terminated) as an XML
 * document. `name` is the file name used in errors. Returns the document
 * (free with xmlFreeDoc) or NULL with err filled: CP_ERR_FORMAT naming the
 * line, column (in the message) and byte offset of the first libxml2 error
 * ("broken XML"), CP_ERR_ARG for a file above CP_XML_MAX_BYTES, CP_ERR_NOMEM. */
xmlDoc *cp_xml_parse(const char *data, size_t len, const char *name, cp_error *err);

/* What an XML list loader expects of its "main" part (loaders.h). */
typedef struct cp_xml_list_spec {
    const char *default_name; /* file name for errors when the part has none */
    const char *root;         /* required root element, e.g. "CONSOLIDATED_LIST" */
    const char *what;         /* for the wrong-root error: "not <what>: root element is not <root>" */
    const char *missing;      /* error message when there is no "main" part */
} cp_xml_list_spec;

/* Finds the "main" part in files[0..n), parses it with cp_xml_parse and checks
 * its root element against spec->root. Returns the document (free with
 * xmlFreeDoc; its root is xmlDocGetRootElement) and sets *file to the name
 * used in errors (the part's, or spec->default_name; not owned), or NULL with
 * err filled: CP_ERR_FORMAT spec->missing when there is no "main" part,
 * CP_ERR_FORMAT naming file, line and root element when the root is wrong,
 * and cp_xml_parse's errors. */
xmlDoc *cp_xml_open_main(const cp_list_file *files, size_t n, const cp_xml_list_spec *spec, const char **file,
                         cp_error *err);

/* 1 if `n` is an element named `name` (no namespace check: the UN and EU
 * files use unprefixed names; EU elements carry a default namespace). */
int cp_xml_is(const xmlNode *n, const char *name);
/* First element child of `parent` named `name`, or NULL. */
const xmlNode *cp_xml_child(const xmlNode *parent, const char *name);
/* Next element sibling after `n` (any name), or NULL; first element child. */
const xmlNode *cp_xml_next_elem(const xmlNode *n);
const xmlNode *cp_xml_first_elem(const xmlNode *parent);

/* The text of element `n` (its direct text and CDATA children, entity
 * references skipped), trimmed of ASCII whitespace. When the element holds
 * one text node the slice points into the document (valid until
 * xmlFreeDoc); when it holds several, they are joined into `a`. *out is
 * {NULL,0} for a NULL, empty or whitespace-only element. Returns 0, or -1 on
 * OOM. */
int cp_xml_text(const xmlNode *n, cp_arena *a, cp_slice *out);
/* Text of the first child element `name` of `parent` (as cp_xml_text). */
int cp_xml_child_text(const xmlNode *parent, const char *name, cp_arena *a, cp_slice *out);
/* Value of attribute `name` of element `n` (no namespace), as cp_xml_text;
 * {NULL,0} when absent or empty. */
int cp_xml_attr(const xmlNode *n, const char *name, cp_arena *a, cp_slice *out);

/* 1-based line of node `n` in its file (0 when unknown). */
long cp_xml_line(const xmlNode *n);

/* A bounded one-line text builder (stack storage, no allocation). Text that
 * would exceed CP_LB_MAX bytes is cut at a UTF-8 character boundary and
 * `truncated` is set. Newlines/tabs inside appended text become spaces and
 * runs of spaces collapse to one. */
#define CP_LB_MAX 8192
typedef struct cp_lb {
    char buf[CP_LB_MAX + 1];
    size_t len;
    int truncated;
} cp_lb;

void cp_lb_reset(cp_lb *b);
/* Appends `s` (len bytes, trimmed; nothing when empty), preceded by `sep`
 * when the builder already holds text. */
void cp_lb_add(cp_lb *b, const char *sep, const char *s, size_t len);
void cp_lb_adds(cp_lb *b, const char *sep, cp_slice s);

/* ISO 15924 code of the first non-Latin letter in UTF-8 `s` ("Arab", "Cyrl",
 * "Hebr", "Grek", "Geor", "Armn", "Hang", "Hani", "Kana", "Thai", "Mymr",
 * "Deva"), or NULL when all letters are Latin/ASCII or the script is not in
 * that table. Source: Unicode block ranges (Unicode 15, Blocks.txt). */
const char *cp_script_of(const char *s, size_t len);
#endif
