/* The entity model every list loader produces (see docs/entity-model.md).
 *
 * A cp_list is one loaded list (e.g. us-ofac-sdn) and owns, in its arena,
 * every entity, name, program, fact and relationship string. Loaders build it
 * with the cp_list_add_* functions in any order (OFAC adds aliases after all
 * primaries, UK groups one row per name variant), then cp_list_finalize groups
 * names/facts/... per entity into contiguous arrays. After finalize the list is
 * read-only and safe to share between threads. */
#ifndef CP_LISTS_MODEL_H
#define CP_LISTS_MODEL_H
#include "chokepoint.h"
#include "core/arena.h"
#include "core/error.h"
#include <stddef.h>
#include <stdint.h>

/* Typed facts about an entity. Values are UTF-8 text as published, trimmed;
 * identifiers are kept as published in `value` (normalization for matching
 * is the matcher's job). `detail` carries a qualifier: the issuing country
 * of a document, the ID type label as written ("Registration Number",
 * "Unified Social Credit Code (USCC)"), "circa", the date range, etc. */
typedef enum cp_fact_type {
    CP_FACT_DOB = 0,        /* date of birth: YYYY, YYYY-MM, YYYY-MM-DD, or "YYYY..YYYY" range; detail "circa" */
    CP_FACT_POB,            /* place of birth, free text */
    CP_FACT_NATIONALITY,    /* country name or code as published */
    CP_FACT_CITIZENSHIP,
    CP_FACT_COUNTRY,        /* country of address / registration / jurisdiction */
    CP_FACT_ADDRESS,        /* one full address as a single line */
    CP_FACT_GENDER,         /* "male" / "female" */
    CP_FACT_TITLE,          /* title or position */
    CP_FACT_PASSPORT,
    CP_FACT_NATIONAL_ID,
    CP_FACT_TAX_ID,         /* INN, TIN, NIT, RFC, ... (detail: label) */
    CP_FACT_REGISTRATION,   /* OGRN, USCC, company number, ... (detail: label) */
    CP_FACT_LEI,
    CP_FACT_BIC,            /* SWIFT/BIC */
    CP_FACT_IMO,            /* vessel or company IMO number */
    CP_FACT_MMSI,
    CP_FACT_CALL_SIGN,
    CP_FACT_VESSEL_TYPE,
    CP_FACT_FLAG,           /* vessel flag */
    CP_FACT_TONNAGE,
    CP_FACT_AIRCRAFT,       /* aircraft model / serial / tail number (detail: label) */
    CP_FACT_EMAIL,
    CP_FACT_WEBSITE,
    CP_FACT_PHONE,
    CP_FACT_CRYPTO,         /* digital currency address (detail: currency) */
    CP_FACT_ESTABLISHED,    /* organization established / incorporation date */
    CP_FACT_SECONDARY,      /* secondary-sanctions / risk notes (OFAC remarks) */
    CP_FACT_LISTED_ON,      /* designation date YYYY-MM-DD */
    CP_FACT_SOURCE_LIST,    /* CSL sub-list ("Entity List", "Military End User") */
    CP_FACT_TOPIC,          /* sanction, export.control, ... */
    CP_FACT_OTHER_ID,       /* any other identifier (detail: label) */
    CP_FACT_REMARK,         /* remarks text not otherwise parsed */
    CP_FACT__COUNT
} cp_fact_type;

/* Stable snake_case name of a fact type ("dob", "passport", ...). */
const char *cp_fact_type_name(cp_fact_type t);

typedef enum cp_rel_type {
    CP_REL_LINKED_TO = 0,   /* OFAC "Linked To:" */
    CP_REL_OWNED_BY,        /* detail: percentage if known */
    CP_REL_OWNS,
    CP_REL_DIRECTOR_OF,
    CP_REL_HAS_DIRECTOR,
    CP_REL_RELATED
} cp_rel_type;

typedef struct cp_name {
    const char *text;       /* UTF-8 as published (trimmed) */
    cp_name_kind kind;
    const char *lang;       /* language/script label when the source gives one, else NULL */
} cp_name;

typedef struct cp_fact {
    cp_fact_type type;
    const char *value;
    const char *detail;     /* NULL when none */
} cp_fact;

typedef struct cp_relation {
    cp_rel_type type;
    const char *target;     /* entity id ("us-ofac-sdn:123") or, unresolved, a name */
    const char *detail;     /* e.g. "51%" */
} cp_relation;

typedef struct cp_entity {
    const char *id;         /* "<list>:<source id>" */
    const char *source_id;
    cp_schema schema;
    uint32_t index;         /* position in its list */
    const cp_name *names;   /* names[0] is the primary name when the source has one */
    uint32_t n_names;
    const char *const *programs;   /* e.g. "RUSSIA-EO14024", UK regime, UN list type */
    uint32_t n_programs;
    const cp_fact *facts;
    uint32_t n_facts;
    const cp_relation *relations;
    uint32_t n_relations;
} cp_entity;

typedef struct cp_list cp_list;

/* Creates an empty list with its arena; `id` is the list id. NULL on OOM. */
cp_list *cp_list_new(const char *id);
void cp_list_free(cp_list *l);          /* accepts NULL */
cp_arena *cp_list_arena(cp_list *l);

/* Adds an entity (source_id is copied) and returns its index, or -1 on OOM
 * or when source_id is already present (err: CP_ERR_FORMAT). */
long cp_list_add_entity(cp_list *l, const char *source_id, size_t len, cp_schema schema);
/* Index of the entity with this source id, or -1. */
long cp_list_find(const cp_list *l, const char *source_id, size_t len);
/* Attach data to entity `ent`; text is copied (len in bytes), trimmed of
 * ASCII whitespace; empty text is ignored (returns 0). Exact duplicates of a
 * name (same text and kind), program or fact on the same entity are dropped.
 * The first CP_NAME_PRIMARY added becomes names[0]. Return 0, -1 on OOM. */
int cp_list_add_name(cp_list *l, long ent, const char *text, size_t len, cp_name_kind kind, const char *lang);
int cp_list_add_program(cp_list *l, long ent, const char *text, size_t len);
int cp_list_add_fact(cp_list *l, long ent, cp_fact_type type, const char *value, size_t len, const char *detail);
int cp_list_add_relation(cp_list *l, long ent, cp_rel_type type, const char *target, size_t len, const char *detail);

/* Groups everything per entity. Call once after loading; returns 0 or -1 on OOM. */
int cp_list_finalize(cp_list *l);

const char *cp_list_id(const cp_list *l);
size_t cp_list_count(const cp_list *l);
/* Entity i (after finalize), NULL when out of range. */
const cp_entity *cp_list_entity(const cp_list *l, size_t i);
size_t cp_list_name_count(const cp_list *l);

/* Per-list metadata from the manifest (copied). */
void cp_list_set_meta(cp_list *l, const char *name, const char *publisher, const char *version, const char *sha256);
const cp_list_info *cp_list_get_info(const cp_list *l);
/* Problems the loader found (malformed / dangling records). */
cp_diag *cp_list_diag(cp_list *l);
#endif
