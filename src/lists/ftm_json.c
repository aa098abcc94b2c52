/* FollowTheMoney entities loader: JSON lines as published by OpenSanctions
 * (entities.ftm.json), one entity per line:
 *   {"id": "...", "schema": "Company", "caption": "...", "properties": {"name": ["..."], ...}, ...}
 * Schema reference: https://followthemoney.tech/explorer/schemata/ (FtM model).
 *
 * Thing schemata Person, Company, Organization, LegalEntity, PublicBody,
 * Vessel, Airplane become list entities (id "<list>:<FtM id>"). Interval
 * schemata become relations or facts of the things they point at:
 * Ownership (owner -> asset, percentage), Directorship (director ->
 * organization), Family/Associate/UnknownLink/Employment/Membership/
 * Representation/Succession (related), Sanction (adds program and listing
 * date to the sanctioned entity), Address (addressEntity -> address fact),
 * Passport/Identification (holder -> document fact). References are
 * resolved after the whole file is read; a target that is not in the file is
 * kept as the raw FtM id. Other schemata are counted and reported once per
 * schema as a warning. Mapping table: docs/lists/ftm.md. */
#include "lists/loaders.h"
#include "lists/loader_util.h"
#include "core/strmap.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FTM_MAX_LINE = 16 * 1024 * 1024, FTM_MAX_UNKNOWN_SCHEMATA = 64 };

typedef enum pend_kind {
    PK_OWN, PK_DIR, PK_REL, PK_SANCTION, PK_ADDR_REF, PK_ADDR_DEF, PK_DOC
} pend_kind;

/* A reference to resolve once every thing is loaded. Strings live in the
 * loader's temporary arena. */
typedef struct pend {
    pend_kind kind;
    const char *a, *b;     /* ids: owner/asset, director/org, subject/object, entity, thing/address, holder */
    const char *v;         /* program, address text, document number */
    const char *detail;    /* percentage, role, date, country */
    const char *v2;        /* sanction listing date; address country; document kind; "ended" (relation) */
    long line;
} pend;

typedef struct ftm_ctx {
    cp_list *l;
    const char *file;
    cp_arena *tmp;
    pend *p;
    size_t np, cap;
    long line, offset;
    struct { char name[64]; size_t count; long first_line; } unknown[FTM_MAX_UNKNOWN_SCHEMATA];
    size_t n_unknown;
} ftm_ctx;

static const struct {
    const char *schema;
    cp_schema s;
} things[] = {
    {"Person", CP_SCHEMA_PERSON},         {"Company", CP_SCHEMA_ORGANIZATION},
    {"Organization", CP_SCHEMA_ORGANIZATION}, {"LegalEntity", CP_SCHEMA_ORGANIZATION},
    {"PublicBody", CP_SCHEMA_ORGANIZATION},   {"Vessel", CP_SCHEMA_VESSEL},
    {"Airplane", CP_SCHEMA_AIRCRAFT},
};

/* Thing property -> fact. `only` restricts a row to one schema (NULL: any). */
static const struct {
    const char *prop;
    cp_fact_type type;
    const char *detail;
    const char *only;
} props[] = {
    {"birthDate", CP_FACT_DOB, NULL, NULL},
    {"birthPlace", CP_FACT_POB, NULL, NULL},
    {"birthCountry", CP_FACT_POB, "country", NULL},
    {"nationality", CP_FACT_NATIONALITY, NULL, NULL},
    {"citizenship", CP_FACT_CITIZENSHIP, NULL, NULL},
    {"country", CP_FACT_COUNTRY, NULL, NULL},
    {"jurisdiction", CP_FACT_COUNTRY, "jurisdiction", NULL},
    {"mainCountry", CP_FACT_COUNTRY, "mainCountry", NULL},
    {"gender", CP_FACT_GENDER, NULL, NULL},
    {"passportNumber", CP_FACT_PASSPORT, NULL, NULL},
    {"idNumber", CP_FACT_NATIONAL_ID, NULL, NULL},
    {"taxNumber", CP_FACT_TAX_ID, NULL, NULL},
    {"innCode", CP_FACT_TAX_ID, "INN", NULL},
    {"vatCode", CP_FACT_TAX_ID, "VAT", NULL},
    {"ogrnCode", CP_FACT_REGISTRATION, "OGRN", NULL},
    {"registrationNumber", CP_FACT_AIRCRAFT, "registrationNumber", "Airplane"},
    {"registrationNumber", CP_FACT_REGISTRATION, NULL, NULL},
    {"leiCode", CP_FACT_LEI, NULL, NULL},
    {"swiftBic", CP_FACT_BIC, NULL, NULL},
    {"imoNumber", CP_FACT_IMO, NULL, NULL},
    {"mmsi", CP_FACT_MMSI, NULL, NULL},
    {"callSign", CP_FACT_CALL_SIGN, NULL, NULL},
    {"flag", CP_FACT_FLAG, NULL, NULL},
    {"type", CP_FACT_VESSEL_TYPE, NULL, "Vessel"},
    {"tonnage", CP_FACT_TONNAGE, "tonnage", NULL},
    {"grossRegisteredTonnage", CP_FACT_TONNAGE, "gross_registered_tonnage", NULL},
    {"model", CP_FACT_AIRCRAFT, "model", NULL},
    {"serialNumber", CP_FACT_AIRCRAFT, "serialNumber", "Airplane"},
    {"kppCode", CP_FACT_OTHER_ID, "KPP", NULL},
    {"okpoCode", CP_FACT_OTHER_ID, "OKPO", NULL},
    {"dunsCode", CP_FACT_OTHER_ID, "DUNS", NULL},
    {"uniqueEntityId", CP_FACT_OTHER_ID, "UEI", NULL},
    {"permId", CP_FACT_OTHER_ID, "PermID", NULL},
    {"email", CP_FACT_EMAIL, NULL, NULL},
    {"website", CP_FACT_WEBSITE, NULL, NULL},
    {"phone", CP_FACT_PHONE, NULL, NULL},
    {"address", CP_FACT_ADDRESS, NULL, NULL},
    {"topics", CP_FACT_TOPIC, NULL, NULL},
    {"notes", CP_FACT_REMARK, NULL, NULL},
    {"incorporationDate", CP_FACT_ESTABLISHED, NULL, NULL},
    {"position", CP_FACT_TITLE, NULL, NULL},
    {"title", CP_FACT_TITLE, NULL, NULL},
};

/* Names: property -> kind. */
static const struct {
    const char *prop;
    cp_name_kind kind;
} name_props[] = {
    {"alias", CP_NAME_ALIAS},
    {"weakAlias", CP_NAME_WEAK_ALIAS},
    {"abbreviation", CP_NAME_WEAK_ALIAS},
    {"previousName", CP_NAME_FORMER},
};

/* Relationship schemata: the two entity properties and the detail property. */
static const struct {
    const char *schema;
    pend_kind kind;
    const char *from, *to, *detail;
} links[] = {
    {"Ownership", PK_OWN, "owner", "asset", "percentage"},
    {"Directorship", PK_DIR, "director", "organization", "role"},
    {"Family", PK_REL, "person", "relative", "relationship"},
    {"Associate", PK_REL, "person", "associate", "relationship"},
    {"UnknownLink", PK_REL, "subject", "object", "role"},
    {"Employment", PK_REL, "employee", "employer", "role"},
    {"Membership", PK_REL, "member", "organization", "role"},
    {"Representation", PK_REL, "agent", "client", "role"},
    {"Succession", PK_REL, "predecessor", "successor", NULL},
};

/* Records a malformed-record error at the current line. */
static void err_at(ftm_ctx *c, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err_at(ftm_ctx *c, const char *field, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cp_diag_errorf(cp_list_diag(c->l), CP_ERR_FORMAT, c->file, c->line, c->offset, field, "%s", msg);
}

/* The values of property `key` (an array of strings in FtM). Returns the
 * array, or NULL when absent; reports a property that is not an array. */
static json_t *prop_values(ftm_ctx *c, json_t *pr, const char *key) {
    json_t *v = json_object_get(pr, key);
    if (!v) return NULL;
    if (!json_is_array(v)) {
        char field[64];
        snprintf(field, sizeof field, "properties.%s", key);
        err_at(c, field, "property %s is not an array of strings: ignored", key);
        return NULL;
    }
    return v;
}

/* First string value of a property, or NULL. */
static const char *prop_first(ftm_ctx *c, json_t *pr, const char *key) {
    json_t *a = prop_values(c, pr, key);
    if (!a) return NULL;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_is_string(v)) return json_string_value(v);
    return NULL;
}

static const char *tmp_dup(ftm_ctx *c, const char *s) {
    return s ? cp_arena_strdup(c->tmp, s) : NULL;
}

static int push(ftm_ctx *c, pend_kind k, const char *a, const char *b, const char *v, const char *detail,
                const char *v2) {
    if (c->np == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        pend *np = realloc(c->p, nc * sizeof *np);
        if (!np) return -1;
        c->p = np;
        c->cap = nc;
    }
    pend *p = &c->p[c->np];
    p->kind = k;
    p->line = c->line;
    if ((a && !(p->a = tmp_dup(c, a))) || (b && !(p->b = tmp_dup(c, b))) || (v && !(p->v = tmp_dup(c, v))) ||
        (detail && !(p->detail = tmp_dup(c, detail))) || (v2 && !(p->v2 = tmp_dup(c, v2))))
        return -1;
    if (!a) p->a = NULL;
    if (!b) p->b = NULL;
    if (!v) p->v = NULL;
    if (!detail) p->detail = NULL;
    if (!v2) p->v2 = NULL;
    c->np++;
    return 0;
}

/* Calls fn for every string value of property key. */
#define FOR_STRINGS(c, pr, key, var, body)                                                   \
    do {                                                                                     \
        json_t *arr_ = prop_values((c), (pr), (key));                                        \
        size_t i_;                                                                           \
        json_t *v_;                                                                          \
        if (arr_) json_array_foreach(arr_, i_, v_) {                                         \
            if (!json_is_string(v_)) continue;                                               \
            const char *var = json_string_value(v_);                                         \
            size_t var##_len = json_string_length(v_);                                       \
            (void)var##_len;                                                                 \
            body                                                                             \
        }                                                                                    \
    } while (0)

static int load_thing(ftm_ctx *c, json_t *obj, const char *id, const char *schema, cp_schema s, json_t *pr) {
    cp_list *l = c->l;
    if (cp_list_find(l, id, strlen(id)) >= 0) {
        err_at(c, "id", "duplicate entity id %s: line skipped", id);
        return 0;
    }
    long ent = cp_list_add_entity(l, id, strlen(id), s);
    if (ent < 0) return -1;
    /* names: caption is the display name FtM picked; then every name */
    json_t *cap = json_object_get(obj, "caption");
    const char *primary = json_is_string(cap) && json_string_length(cap) ? json_string_value(cap) : NULL;
    json_t *names = prop_values(c, pr, "name"), *v;
    size_t i;
    if (!primary && names) json_array_foreach(names, i, v) if (json_is_string(v)) {
        primary = json_string_value(v);
        break;
    }
    if (primary && cp_list_add_name(l, ent, primary, strlen(primary), CP_NAME_PRIMARY, NULL) < 0) return -1;
    int rc = 0;
    if (names) json_array_foreach(names, i, v) {
        if (!json_is_string(v) || (primary && strcmp(json_string_value(v), primary) == 0)) continue;
        if (cp_list_add_name(l, ent, json_string_value(v), json_string_length(v), CP_NAME_ALIAS, NULL) < 0) rc = -1;
    }
    for (size_t k = 0; k < sizeof name_props / sizeof name_props[0]; k++)
        FOR_STRINGS(c, pr, name_props[k].prop, nm, {
            if (cp_list_add_name(l, ent, nm, nm_len, name_props[k].kind, NULL) < 0) rc = -1;
        });
    if (!primary)
        cp_diag_warningf(cp_list_diag(l), c->file, c->line, c->offset, "properties.name",
                         "entity %s has no name", id);
    /* facts; a property handled by a schema-specific row is not mapped again */
    for (size_t k = 0; k < sizeof props / sizeof props[0]; k++) {
        if (props[k].only && strcmp(props[k].only, schema) != 0) continue;
        int shadowed = 0;
        for (size_t j = 0; j < k; j++)
            if (props[j].only && strcmp(props[j].only, schema) == 0 && strcmp(props[j].prop, props[k].prop) == 0)
                shadowed = 1;
        if (shadowed) continue;
        FOR_STRINGS(c, pr, props[k].prop, val, {
            const char *vp = val;
            size_t vn = val_len;
            /* "IMO 9000001" -> "9000001", as the other loaders store IMO numbers */
            if (props[k].type == CP_FACT_IMO && vn > 3 && memcmp(vp, "IMO", 3) == 0) {
                vp += 3;
                vn -= 3;
            }
            if (cp_list_add_fact(l, ent, props[k].type, vp, vn, props[k].detail) < 0) rc = -1;
        });
    }
    FOR_STRINGS(c, pr, "program", val, {
        if (cp_list_add_program(l, ent, val, val_len) < 0) rc = -1;
    });
    FOR_STRINGS(c, pr, "addressEntity", val, {
        if (push(c, PK_ADDR_REF, id, val, NULL, NULL, NULL) < 0) rc = -1;
    });
    return rc;
}

/* Records the pending references of an interval schema. */
static int load_link(ftm_ctx *c, size_t li, json_t *pr) {
    const char *det = links[li].detail ? prop_first(c, pr, links[li].detail) : NULL;
    char pct[64];
    if (det && links[li].kind == PK_OWN) {
        size_t n = strlen(det);
        snprintf(pct, sizeof pct, "%s%s", det, n && det[n - 1] == '%' ? "" : "%");
        det = pct;
    }
    /* an ended relation (endDate set) is kept with the end date in detail:
     * "51%; ended 2023-03-02" */
    const char *end = prop_first(c, pr, "endDate");
    char dbuf[160];
    if (end) {
        snprintf(dbuf, sizeof dbuf, "%s%sended %s", det ? det : "", det ? "; " : "", end);
        det = dbuf;
    }
    int rc = 0;
    json_t *from = prop_values(c, pr, links[li].from), *to = prop_values(c, pr, links[li].to);
    if (!from || !to || !json_array_size(from) || !json_array_size(to)) {
        cp_diag_warningf(cp_list_diag(c->l), c->file, c->line, c->offset, NULL,
                         "%s without %s or %s: ignored", links[li].schema, links[li].from, links[li].to);
        return 0;
    }
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(from, i, a) {
        if (!json_is_string(a)) continue;
        json_array_foreach(to, j, b) {
            if (!json_is_string(b)) continue;
            if (push(c, links[li].kind, json_string_value(a), json_string_value(b), NULL, det, end ? "ended" : NULL) < 0)
                rc = -1;
        }
    }
    return rc;
}

static int load_sanction(ftm_ctx *c, json_t *pr) {
    const char *date = prop_first(c, pr, "startDate");
    if (!date) date = prop_first(c, pr, "listingDate");
    const char *authority = prop_first(c, pr, "authority");
    /* the program code (programId, e.g. "EU-UKR") when given, else the
     * program text as published */
    json_t *progs = prop_values(c, pr, "programId");
    if (!progs || !json_array_size(progs)) progs = prop_values(c, pr, "program");
    int rc = 0, any = 0;
    FOR_STRINGS(c, pr, "entity", ent, {
        any = 1;
        size_t i;
        json_t *v;
        int n = 0;
        if (progs) json_array_foreach(progs, i, v) {
            if (!json_is_string(v)) continue;
            n++;
            if (push(c, PK_SANCTION, ent, NULL, json_string_value(v), authority, date) < 0) rc = -1;
        }
        if (!n && push(c, PK_SANCTION, ent, NULL, NULL, authority, date) < 0) rc = -1;
    });
    if (!any)
        cp_diag_warningf(cp_list_diag(c->l), c->file, c->line, c->offset, "properties.entity",
                         "Sanction without entity: ignored");
    return rc;
}

static int load_address(ftm_ctx *c, json_t *obj, const char *id, json_t *pr) {
    const char *full = prop_first(c, pr, "full");
    if (!full) {
        json_t *cap = json_object_get(obj, "caption");
        if (json_is_string(cap)) full = json_string_value(cap);
    }
    return push(c, PK_ADDR_DEF, id, NULL, full, NULL, prop_first(c, pr, "country"));
}

static int load_document(ftm_ctx *c, const char *schema, json_t *pr) {
    const char *num = prop_first(c, pr, "number");
    const char *type = prop_first(c, pr, "type");
    int passport = strcmp(schema, "Passport") == 0 || (type && strstr(type, "assport"));
    const char *country = prop_first(c, pr, "country");
    int rc = 0;
    if (!num) return 0;
    FOR_STRINGS(c, pr, "holder", h, {
        if (push(c, PK_DOC, h, NULL, num, country, passport ? "passport" : "id") < 0) rc = -1;
    });
    return rc;
}

static void count_unknown(ftm_ctx *c, const char *schema) {
    for (size_t i = 0; i < c->n_unknown; i++)
        if (strcmp(c->unknown[i].name, schema) == 0) { c->unknown[i].count++; return; }
    if (c->n_unknown == FTM_MAX_UNKNOWN_SCHEMATA) {
        cp_diag_warningf(cp_list_diag(c->l), c->file, c->line, c->offset, "schema",
                         "schema %s not mapped: entity ignored", schema);
        return;
    }
    snprintf(c->unknown[c->n_unknown].name, sizeof c->unknown[0].name, "%s", schema);
    c->unknown[c->n_unknown].count = 1;
    c->unknown[c->n_unknown].first_line = c->line;
    c->n_unknown++;
}

/* Parses and maps one line. Returns -1 only on OOM. */
static int load_line(ftm_ctx *c, const char *s, size_t len) {
    json_error_t je;
    json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj) {
        if (json_error_code(&je) == json_error_out_of_memory) return -1;
        cp_diag_errorf(cp_list_diag(c->l), CP_ERR_FORMAT, c->file, c->line,
                       c->offset + (je.position > 0 ? je.position : 0), NULL,
                       "invalid JSON at column %d (byte %d of the line): %s", je.column, je.position, je.text);
        return 0;
    }
    int rc = 0;
    json_t *jid = json_object_get(obj, "id"), *jsc = json_object_get(obj, "schema");
    json_t *pr = json_object_get(obj, "properties");
    if (!json_is_object(obj)) {
        err_at(c, NULL, "line is not a JSON object: skipped");
        goto done;
    }
    if (!json_is_string(jid) || !json_string_length(jid)) {
        err_at(c, "id", "entity without a string \"id\": skipped");
        goto done;
    }
    if (!json_is_string(jsc)) {
        err_at(c, "schema", "entity %s without a string \"schema\": skipped", json_string_value(jid));
        goto done;
    }
    if (pr && !json_is_object(pr)) {
        err_at(c, "properties", "entity %s: \"properties\" is not an object: skipped", json_string_value(jid));
        goto done;
    }
    json_t *empty = NULL;
    if (!pr && !(pr = empty = json_object())) { rc = -1; goto done; }
    const char *id = json_string_value(jid), *schema = json_string_value(jsc);
    int handled = 0;
    for (size_t i = 0; i < sizeof things / sizeof things[0] && !handled; i++)
        if (strcmp(schema, things[i].schema) == 0) {
            rc = load_thing(c, obj, id, schema, things[i].s, pr);
            handled = 1;
        }
    for (size_t i = 0; i < sizeof links / sizeof links[0] && !handled; i++)
        if (strcmp(schema, links[i].schema) == 0) {
            rc = load_link(c, i, pr);
            handled = 1;
        }
    if (!handled) {
        if (strcmp(schema, "Sanction") == 0) rc = load_sanction(c, pr);
        else if (strcmp(schema, "Address") == 0) rc = load_address(c, obj, id, pr);
        else if (strcmp(schema, "Passport") == 0 || strcmp(schema, "Identification") == 0)
            rc = load_document(c, schema, pr);
        else count_unknown(c, schema);
    }
    json_decref(empty);
done:
    json_decref(obj);
    return rc;
}

/* Entity index of an FtM id in the list, or -1. */
static long find(const ftm_ctx *c, const char *id) { return id ? cp_list_find(c->l, id, strlen(id)) : -1; }

/* Target text of a relation: the list entity id when the FtM id is in the
 * file, else the raw FtM id. */
static const char *target(const ftm_ctx *c, const char *id) {
    long i = find(c, id);
    return i >= 0 ? cp_list_entity(c->l, (size_t)i)->id : id;
}

static int add_rel(ftm_ctx *c, long ent, cp_rel_type t, const char *to, const char *detail) {
    const char *tg = target(c, to);
    return cp_list_add_relation(c->l, ent, t, tg, strlen(tg), detail);
}

static int resolve(ftm_ctx *c) {
    cp_list *l = c->l;
    cp_diag *d = cp_list_diag(l);
    cp_strmap *addr = cp_strmap_new();
    if (!addr) return -1;
    for (size_t i = 0; i < c->np; i++)
        if (c->p[i].kind == PK_ADDR_DEF && cp_strmap_put(addr, c->p[i].a, strlen(c->p[i].a), (uint32_t)i) < 0)
            goto nomem;
    /* The model keeps one relation per (type, target): add current relations
     * with a detail (percentage/role) first, then current ones without, then
     * ended ones. */
    for (int pass = 0; pass < 3; pass++)
    for (size_t i = 0; i < c->np; i++) {
        const pend *p = &c->p[i];
        int is_rel = p->kind == PK_OWN || p->kind == PK_DIR || p->kind == PK_REL;
        int rel_pass = !is_rel ? 0 : p->v2 ? 2 : p->detail ? 0 : 1;
        if (rel_pass != pass) continue;
        long ea = find(c, p->a), eb = find(c, p->b);
        switch (p->kind) {
        case PK_OWN:
        case PK_DIR:
        case PK_REL: {
            cp_rel_type fwd = p->kind == PK_OWN ? CP_REL_OWNS : p->kind == PK_DIR ? CP_REL_DIRECTOR_OF : CP_REL_RELATED;
            cp_rel_type back = p->kind == PK_OWN ? CP_REL_OWNED_BY : p->kind == PK_DIR ? CP_REL_HAS_DIRECTOR : CP_REL_RELATED;
            if (ea < 0 && eb < 0) {
                cp_diag_warningf(d, c->file, p->line, -1, NULL,
                                 "relation between %s and %s: neither is in the file, ignored", p->a, p->b);
                break;
            }
            if (ea >= 0 && add_rel(c, ea, fwd, p->b, p->detail) < 0) goto nomem;
            if (eb >= 0 && add_rel(c, eb, back, p->a, p->detail) < 0) goto nomem;
            break;
        }
        case PK_SANCTION:
            if (ea < 0) {
                cp_diag_warningf(d, c->file, p->line, -1, "properties.entity",
                                 "Sanction of %s, which is not in the file: ignored", p->a);
                break;
            }
            if (p->v && cp_list_add_program(l, ea, p->v, strlen(p->v)) < 0) goto nomem;
            if (p->v2 && cp_list_add_fact(l, ea, CP_FACT_LISTED_ON, p->v2, strlen(p->v2),
                                          p->v ? p->v : p->detail) < 0)
                goto nomem;
            break;
        case PK_ADDR_REF: {
            uint32_t k;
            if (!cp_strmap_get(addr, p->b, strlen(p->b), &k)) {
                cp_diag_warningf(d, c->file, p->line, -1, "properties.addressEntity",
                                 "address entity %s is not in the file", p->b);
                break;
            }
            const pend *ad = &c->p[k];
            if (ea >= 0 && ad->v && cp_list_add_fact(l, ea, CP_FACT_ADDRESS, ad->v, strlen(ad->v), NULL) < 0)
                goto nomem;
            if (ea >= 0 && ad->v2 && cp_list_add_fact(l, ea, CP_FACT_COUNTRY, ad->v2, strlen(ad->v2), NULL) < 0)
                goto nomem;
            break;
        }
        case PK_DOC:
            if (ea < 0) {
                cp_diag_warningf(d, c->file, p->line, -1, "properties.holder",
                                 "document holder %s is not in the file: ignored", p->a);
                break;
            }
            if (cp_list_add_fact(l, ea, strcmp(p->v2, "passport") == 0 ? CP_FACT_PASSPORT : CP_FACT_NATIONAL_ID,
                                 p->v, strlen(p->v), p->detail) < 0)
                goto nomem;
            break;
        case PK_ADDR_DEF:
            break;
        }
    }
    cp_strmap_free(addr);
    return 0;
nomem:
    cp_strmap_free(addr);
    return -1;
}

int cp_load_ftm_json(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    const cp_list_file *f = cp_list_file_find(files, n, "main");
    if (!f) {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "ftm: no \"main\" file (entities.ftm.json)");
        return -1;
    }
    ftm_ctx c;
    memset(&c, 0, sizeof c);
    c.l = l;
    c.file = f->name;
    if (!(c.tmp = cp_arena_new())) goto nomem;
    size_t pos = 0;
    long lineno = 0;
    while (pos < f->len) {
        const char *st = f->data + pos;
        const char *nl = memchr(st, '\n', f->len - pos);
        size_t len = nl ? (size_t)(nl - st) : f->len - pos;
        lineno++;
        c.line = lineno;
        c.offset = (long)pos;
        pos += len + (nl ? 1 : 0);
        if (len && st[len - 1] == '\r') len--;
        size_t k = 0;
        while (k < len && (st[k] == ' ' || st[k] == '\t')) k++;
        if (k == len) continue; /* blank line */
        if (len > FTM_MAX_LINE) {
            cp_diag_errorf(cp_list_diag(l), CP_ERR_FORMAT, f->name, lineno, c.offset, NULL,
                           "line longer than %d bytes: skipped", FTM_MAX_LINE);
            continue;
        }
        if (load_line(&c, st, len) < 0) goto nomem;
    }
    for (size_t i = 0; i < c.n_unknown; i++)
        cp_diag_warningf(cp_list_diag(l), f->name, c.unknown[i].first_line, -1, "schema",
                         "%zu entities of schema %s (first on this line) are not list entities: ignored",
                         c.unknown[i].count, c.unknown[i].name);
    if (resolve(&c) < 0) goto nomem;
    free(c.p);
    cp_arena_free(c.tmp);
    return 0;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, f->name, c.line, c.offset, NULL, "ftm: out of memory");
    free(c.p);
    cp_arena_free(c.tmp);
    return -1;
}
