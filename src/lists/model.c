#include "lists/model.h"
#include "core/strmap.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct pend_name { uint32_t ent; cp_name v; } pend_name;
typedef struct pend_prog { uint32_t ent; const char *v; } pend_prog;
typedef struct pend_fact { uint32_t ent; cp_fact v; } pend_fact;
typedef struct pend_rel { uint32_t ent; cp_relation v; } pend_rel;

struct cp_list {
    cp_arena *arena;
    cp_strmap *by_source_id;
    cp_entity *ents;
    size_t n_ents, cap_ents;
    pend_name *names; size_t n_names, cap_names;
    pend_prog *progs; size_t n_progs, cap_progs;
    pend_fact *facts; size_t n_facts, cap_facts;
    pend_rel *rels; size_t n_rels, cap_rels;
    size_t total_names;
    cp_list_info info;
    cp_diag diag;
};

static const char *const fact_names[CP_FACT__COUNT] = {
    "dob", "pob", "nationality", "citizenship", "country", "address", "gender", "title",
    "passport", "national_id", "tax_id", "registration", "lei", "bic", "imo", "mmsi",
    "call_sign", "vessel_type", "flag", "tonnage", "aircraft", "email", "website", "phone",
    "crypto", "established", "secondary_sanctions", "listed_on", "source_list", "topic",
    "other_id", "remark"};

const char *cp_fact_type_name(cp_fact_type t) {
    return (unsigned)t < CP_FACT__COUNT ? fact_names[t] : "unknown";
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

cp_list *cp_list_new(const char *id) {
    cp_list *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->arena = cp_arena_new();
    l->by_source_id = cp_strmap_new();
    if (!l->arena || !l->by_source_id || !(l->info.id = cp_arena_strdup(l->arena, id))) {
        cp_list_free(l);
        return NULL;
    }
    return l;
}

void cp_list_free(cp_list *l) {
    if (!l) return;
    cp_arena_free(l->arena);
    cp_strmap_free(l->by_source_id);
    free(l->ents);
    free(l->names);
    free(l->progs);
    free(l->facts);
    free(l->rels);
    free(l);
}

cp_arena *cp_list_arena(cp_list *l) { return l->arena; }
const char *cp_list_id(const cp_list *l) { return l->info.id; }
size_t cp_list_count(const cp_list *l) { return l->n_ents; }
size_t cp_list_name_count(const cp_list *l) { return l->total_names; }
cp_diag *cp_list_diag(cp_list *l) { return &l->diag; }

const cp_entity *cp_list_entity(const cp_list *l, size_t i) { return i < l->n_ents ? &l->ents[i] : NULL; }

long cp_list_add_entity(cp_list *l, const char *source_id, size_t len, cp_schema schema) {
    if (cp_strmap_get(l->by_source_id, source_id, len, NULL)) return -1;
    if (grow((void **)&l->ents, &l->cap_ents, l->n_ents + 1, sizeof(cp_entity)) < 0) return -1;
    size_t idlen = strlen(l->info.id);
    char *id = cp_arena_alloc(l->arena, idlen + 1 + len + 1);
    if (!id) return -1;
    memcpy(id, l->info.id, idlen);
    id[idlen] = ':';
    memcpy(id + idlen + 1, source_id, len);
    cp_entity *e = &l->ents[l->n_ents];
    memset(e, 0, sizeof *e);
    e->id = id;
    e->source_id = id + idlen + 1;
    e->schema = schema;
    e->index = (uint32_t)l->n_ents;
    if (cp_strmap_put(l->by_source_id, source_id, len, (uint32_t)l->n_ents) < 0) return -1;
    return (long)l->n_ents++;
}

long cp_list_find(const cp_list *l, const char *source_id, size_t len) {
    uint32_t v;
    return cp_strmap_get(l->by_source_id, source_id, len, &v) ? (long)v : -1;
}

static int is_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0; }

/* Trimmed arena copy of text; *out NULL when empty. Returns -1 on OOM. */
static int copy_trim(cp_list *l, const char *s, size_t len, const char **out) {
    while (len && is_ws((unsigned char)s[0])) { s++; len--; }
    while (len && is_ws((unsigned char)s[len - 1])) len--;
    *out = NULL;
    if (!len) return 0;
    char *c = cp_arena_strndup(l->arena, s, len);
    if (!c) return -1;
    *out = c;
    return 0;
}

static const char *opt_copy(cp_list *l, const char *s) {
    return s ? cp_arena_strdup(l->arena, s) : NULL;
}

int cp_list_add_name(cp_list *l, long ent, const char *text, size_t len, cp_name_kind kind, const char *lang) {
    const char *t;
    if (copy_trim(l, text, len, &t) < 0) return -1;
    if (!t) return 0;
    /* A failed copy of the optional part is OOM too, not "no lang" (found by
     * tests/unit/test_alloc_fail.c); same in add_fact and add_relation. */
    const char *lg = opt_copy(l, lang);
    if (lang && !lg) return -1;
    if (grow((void **)&l->names, &l->cap_names, l->n_names + 1, sizeof(pend_name)) < 0) return -1;
    pend_name *p = &l->names[l->n_names++];
    p->ent = (uint32_t)ent;
    p->v.text = t;
    p->v.kind = kind;
    p->v.lang = lg;
    return 0;
}

int cp_list_add_program(cp_list *l, long ent, const char *text, size_t len) {
    const char *t;
    if (copy_trim(l, text, len, &t) < 0) return -1;
    if (!t) return 0;
    if (grow((void **)&l->progs, &l->cap_progs, l->n_progs + 1, sizeof(pend_prog)) < 0) return -1;
    l->progs[l->n_progs].ent = (uint32_t)ent;
    l->progs[l->n_progs++].v = t;
    return 0;
}

int cp_list_add_fact(cp_list *l, long ent, cp_fact_type type, const char *value, size_t len, const char *detail) {
    const char *t;
    if (copy_trim(l, value, len, &t) < 0) return -1;
    if (!t) return 0;
    const char *dt = opt_copy(l, detail);
    if (detail && !dt) return -1;
    if (grow((void **)&l->facts, &l->cap_facts, l->n_facts + 1, sizeof(pend_fact)) < 0) return -1;
    pend_fact *p = &l->facts[l->n_facts++];
    p->ent = (uint32_t)ent;
    p->v.type = type;
    p->v.value = t;
    p->v.detail = dt;
    return 0;
}

int cp_list_add_relation(cp_list *l, long ent, cp_rel_type type, const char *target, size_t len, const char *detail) {
    const char *t;
    if (copy_trim(l, target, len, &t) < 0) return -1;
    if (!t) return 0;
    const char *dt = opt_copy(l, detail);
    if (detail && !dt) return -1;
    if (grow((void **)&l->rels, &l->cap_rels, l->n_rels + 1, sizeof(pend_rel)) < 0) return -1;
    pend_rel *p = &l->rels[l->n_rels++];
    p->ent = (uint32_t)ent;
    p->v.type = type;
    p->v.target = t;
    p->v.detail = dt;
    return 0;
}

static int str_eq(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

/* Stable counting sort of pending records by entity, into arena arrays,
 * dropping duplicates within an entity. `same` compares two values. */
#define CP_GROUP(PEND, N, VT, FIELD, COUNT, SAME, FIRST_FIRST)                         \
    do {                                                                               \
        uint32_t *cnt = calloc(l->n_ents + 1, sizeof(uint32_t));                       \
        VT *out = cp_arena_alloc(l->arena, ((N) ? (N) : 1) * sizeof(VT));              \
        if (!cnt || !out) { free(cnt); return -1; }                                    \
        for (size_t i = 0; i < (N); i++) cnt[(PEND)[i].ent + 1]++;                     \
        for (size_t i = 0; i < l->n_ents; i++) cnt[i + 1] += cnt[i];                   \
        size_t *pos = malloc((l->n_ents + 1) * sizeof(size_t));                        \
        if (!pos) { free(cnt); return -1; }                                            \
        for (size_t i = 0; i <= l->n_ents; i++) pos[i] = cnt[i];                       \
        for (size_t i = 0; i < (N); i++) {                                             \
            uint32_t en = (PEND)[i].ent;                                               \
            VT v = (PEND)[i].v;                                                        \
            int dup = 0;                                                               \
            for (size_t j = cnt[en]; j < pos[en]; j++)                                 \
                if (SAME(out[j], v)) { dup = 1; break; }                               \
            if (dup) continue;                                                         \
            out[pos[en]++] = v;                                                        \
        }                                                                              \
        for (size_t e = 0; e < l->n_ents; e++) {                                       \
            l->ents[e].FIELD = out + cnt[e];                                           \
            l->ents[e].COUNT = (uint32_t)(pos[e] - cnt[e]);                            \
            FIRST_FIRST(out + cnt[e], pos[e] - cnt[e]);                                \
        }                                                                              \
        free(pos);                                                                     \
        free(cnt);                                                                     \
    } while (0)

#define SAME_NAME(a, b) ((a).kind == (b).kind && strcmp((a).text, (b).text) == 0)
#define SAME_PROG(a, b) (strcmp((a), (b)) == 0)
#define SAME_FACT(a, b) ((a).type == (b).type && strcmp((a).value, (b).value) == 0 && str_eq((a).detail, (b).detail))
#define SAME_REL(a, b) ((a).type == (b).type && strcmp((a).target, (b).target) == 0)

/* Moves the first primary name to position 0, keeping the others' order. */
static void primary_first(cp_name *names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (names[i].kind == CP_NAME_PRIMARY) {
            cp_name p = names[i];
            memmove(names + 1, names, i * sizeof(cp_name));
            names[0] = p;
            return;
        }
    }
}
static void no_reorder_p(const char **v, size_t n) { (void)v; (void)n; }
static void no_reorder_f(cp_fact *v, size_t n) { (void)v; (void)n; }
static void no_reorder_r(cp_relation *v, size_t n) { (void)v; (void)n; }

int cp_list_finalize(cp_list *l) {
    CP_GROUP(l->names, l->n_names, cp_name, names, n_names, SAME_NAME, primary_first);
    CP_GROUP(l->progs, l->n_progs, const char *, programs, n_programs, SAME_PROG, no_reorder_p);
    CP_GROUP(l->facts, l->n_facts, cp_fact, facts, n_facts, SAME_FACT, no_reorder_f);
    CP_GROUP(l->rels, l->n_rels, cp_relation, relations, n_relations, SAME_REL, no_reorder_r);
    l->total_names = 0;
    for (size_t e = 0; e < l->n_ents; e++) l->total_names += l->ents[e].n_names;
    free(l->names); l->names = NULL; l->n_names = l->cap_names = 0;
    free(l->progs); l->progs = NULL; l->n_progs = l->cap_progs = 0;
    free(l->facts); l->facts = NULL; l->n_facts = l->cap_facts = 0;
    free(l->rels); l->rels = NULL; l->n_rels = l->cap_rels = 0;
    l->info.entities = l->n_ents;
    l->info.names = l->total_names;
    l->info.problems = l->diag.errors + l->diag.warnings;
    return 0;
}

void cp_list_set_meta(cp_list *l, const char *name, const char *publisher, const char *version,
                      const char *sha256) {
    l->info.name = opt_copy(l, name);
    l->info.publisher = opt_copy(l, publisher);
    l->info.version = opt_copy(l, version);
    l->info.sha256 = opt_copy(l, sha256);
}

const cp_list_info *cp_list_get_info(const cp_list *l) { return &l->info; }

const char *cp_schema_name(cp_schema s) {
    switch (s) {
    case CP_SCHEMA_PERSON: return "person";
    case CP_SCHEMA_ORGANIZATION: return "organization";
    case CP_SCHEMA_VESSEL: return "vessel";
    case CP_SCHEMA_AIRCRAFT: return "aircraft";
    default: return "any";
    }
}

int cp_schema_parse(const char *s) {
    static const struct { const char *name; cp_schema v; } t[] = {
        {"any", CP_SCHEMA_ANY},          {"person", CP_SCHEMA_PERSON},
        {"individual", CP_SCHEMA_PERSON}, {"organization", CP_SCHEMA_ORGANIZATION},
        {"organisation", CP_SCHEMA_ORGANIZATION}, {"company", CP_SCHEMA_ORGANIZATION},
        {"entity", CP_SCHEMA_ORGANIZATION}, {"legalentity", CP_SCHEMA_ORGANIZATION},
        {"vessel", CP_SCHEMA_VESSEL},    {"aircraft", CP_SCHEMA_AIRCRAFT},
    };
    if (!s) return -1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcasecmp(s, t[i].name) == 0) return (int)t[i].v;
    return -1;
}

const char *cp_name_kind_name(cp_name_kind k) {
    switch (k) {
    case CP_NAME_PRIMARY: return "primary";
    case CP_NAME_ALIAS: return "alias";
    case CP_NAME_WEAK_ALIAS: return "weak_alias";
    case CP_NAME_FORMER: return "former";
    }
    return "alias";
}
