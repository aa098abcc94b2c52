/* OFAC legacy CSV internals: the Remarks-column parser and the loader's
 * statistics (coverage of remark clause types, dangling rows).
 *
 * The Remarks column of sdn.csv / cons_prim.csv (joined with the overflow in
 * sdn_comments.csv / cons_comments.csv) is a list of clauses separated by
 * "; " (a semicolon followed by a space or the end of the text), e.g.
 *   DOB 23 Nov 1962; POB Caracas, Venezuela; citizen Venezuela; Gender Male;
 *   Cedula No. 5892464 (Venezuela); President of the Bolivarian Republic...
 * Each clause starts with a label ("DOB", "Passport", "Tax ID No.",
 * "Linked To:", "a.k.a.", ...), optionally prefixed by "alt. " when the
 * entity has several values of the same kind. The grammar implemented here is
 * documented with the measured coverage in docs/lists/ofac.md.
 * Source of the layout: OFAC, "SDN List Data Formats and Data Schemas",
 * https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas
 * (the clause vocabulary itself is not specified there: it was read off the
 * real files, see the doc).
 */
#ifndef CP_LISTS_OFAC_REMARKS_H
#define CP_LISTS_OFAC_REMARKS_H
#include "core/strmap.h"
#include "lists/loaders.h"
#include <stddef.h>
#include <stdint.h>

/* Number of slots in cp_ofac_stats.by_rule (>= the rule table size). */
enum { CP_OFAC_RULE_SLOTS = 192 };

/* Counts collected while loading one OFAC list (all sizes are counts). */
typedef struct cp_ofac_stats {
    size_t rows[4];            /* rows read per role: primary, add, alt, comments */
    size_t dangling_rows[4];   /* rows whose ent_num has no primary record (add, alt, comments) */
    size_t dangling_ids[4];    /* distinct such ent_num values per role */
    size_t bad_rows[4];        /* malformed rows skipped per role */
    size_t clauses;            /* remark clauses seen */
    size_t unparsed;           /* clauses kept as CP_FACT_REMARK without a label (not understood) */
    size_t by_rule[CP_OFAC_RULE_SLOTS]; /* clauses per rule (index: see cp_ofac_rule_label) */
} cp_ofac_stats;

/* Number of remark rules, and the label of rule i (e.g. "DOB", "Passport",
 * "Tax ID No."), NULL when out of range. The strings are static. */
size_t cp_ofac_rule_count(void);
const char *cp_ofac_rule_label(size_t i);
/* cp_fact_type name the rule produces ("dob", "passport", ...), or "name"
 * / "relation" / "program" / "remark"; NULL when out of range. */
const char *cp_ofac_rule_kind(size_t i);

/* Where the parsed remarks of one entity go. */
typedef struct cp_ofac_remarks_ctx {
    cp_list *list;
    long ent;                     /* entity index in list */
    const char *title;            /* Title column as UTF-8 (NUL-terminated) or NULL:
                                     a clause repeating it becomes CP_FACT_TITLE */
    const cp_strmap *primary;     /* primary name -> entity index (UINT32_MAX when
                                     several entities share the name), for
                                     "Linked To:"; may be NULL (targets stay names) */
    cp_ofac_stats *stats;         /* may be NULL */
} cp_ofac_remarks_ctx;

/* Parses one Remarks text (UTF-8, `len` bytes, need not be NUL-terminated;
 * at most CP_OFAC_MAX_REMARKS bytes are read) into names, facts, programs
 * and relations of ctx->ent:
 *  - "a.k.a. 'X'" -> CP_NAME_WEAK_ALIAS (OFAC's weak a.k.a.), "f.k.a. 'X'"
 *    -> CP_NAME_FORMER, "n.k.a. 'X'" -> CP_NAME_ALIAS;
 *  - "Linked To: NAME" -> CP_REL_LINKED_TO whose target is the entity id when
 *    NAME (or NAME without its final '.') is the primary name of exactly one
 *    entity in ctx->primary, else NAME;
 *  - labelled clauses -> typed facts (DOB, passport, tax ID, ...), values as
 *    published (dates normalised to ISO 8601, see cp_ofac_parse_date);
 *  - anything else -> CP_FACT_REMARK with the clause text, never dropped.
 * Returns 0, or -1 on out of memory. Thread-safe for distinct lists. */
int cp_ofac_parse_remarks(const cp_ofac_remarks_ctx *ctx, const char *text, size_t len);

enum { CP_OFAC_MAX_REMARKS = 1 << 20 };

/* Parses an OFAC date "DD Mon YYYY", "Mon YYYY" or "YYYY" (month as the
 * English three-letter abbreviation, any case) at the start of s[0..len).
 * Writes "YYYY-MM-DD", "YYYY-MM" or "YYYY" (NUL-terminated) to out[11] and
 * returns the number of bytes consumed, or 0 when s does not start with a
 * date. Day and month ranges are checked (day 1..31, no calendar check). */
size_t cp_ofac_parse_date(const char *s, size_t len, char out[11]);

/* cp_load_ofac_csv with statistics: `stats` (may be NULL) is zeroed and
 * filled. Same contract otherwise (see lists/loaders.h). */
int cp_load_ofac_csv_stats(cp_list *l, const cp_list_file *files, size_t n, cp_ofac_stats *stats,
                           cp_error *err);
#endif
