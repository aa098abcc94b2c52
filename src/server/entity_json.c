/* GET /v1/entities/{id}: a list entity as JSON, with its list version and
 * content hash (the hash the good-guy list keys suppressions on). */
#include "cases/store.h"
#include "engine.h"
#include "lists/model.h"
#include "lists/snapshot.h"
#include "server/server.h"
#include <string.h>

const cp_entity *cp_srv_find_entity(const cp_engine *e, const char *entity_id, const cp_list_info **li) {
    if (!e || !entity_id) return NULL;
    const char *colon = strchr(entity_id, ':');
    if (!colon || colon == entity_id || !colon[1]) return NULL;
    size_t idlen = (size_t)(colon - entity_id);
    for (size_t i = 0; i < e->n_lists; i++) {
        const cp_list *l = e->lists[i];
        const char *lid = cp_list_id(l);
        if (strlen(lid) != idlen || memcmp(lid, entity_id, idlen) != 0) continue;
        long k = cp_list_find(l, colon + 1, strlen(colon + 1));
        if (k < 0) return NULL;
        if (li) *li = cp_list_get_info(l);
        return cp_list_entity(l, (size_t)k);
    }
    return NULL;
}

static const char *rel_name(cp_rel_type t) {
    switch (t) {
    case CP_REL_LINKED_TO: return "linked_to";
    case CP_REL_OWNED_BY: return "owned_by";
    case CP_REL_OWNS: return "owns";
    case CP_REL_DIRECTOR_OF: return "director_of";
    case CP_REL_HAS_DIRECTOR: return "has_director";
    default: return "related";
    }
}

json_t *cp_srv_entity_json(const cp_engine *e, const char *entity_id) {
    const cp_list_info *li = NULL;
    const cp_entity *en = cp_srv_find_entity(e, entity_id, &li);
    if (!en) return NULL;
    json_t *names = json_array(), *progs = json_array(), *facts = json_array(), *rels = json_array();
    for (uint32_t i = 0; i < en->n_names; i++)
        json_array_append_new(names, json_pack("{s:s, s:s, s:s?}", "name", en->names[i].text, "kind",
                                               cp_name_kind_name(en->names[i].kind), "lang", en->names[i].lang));
    for (uint32_t i = 0; i < en->n_programs; i++) json_array_append_new(progs, json_string(en->programs[i]));
    for (uint32_t i = 0; i < en->n_facts; i++)
        json_array_append_new(facts, json_pack("{s:s, s:s, s:s?}", "type", cp_fact_type_name(en->facts[i].type),
                                               "value", en->facts[i].value, "detail", en->facts[i].detail));
    for (uint32_t i = 0; i < en->n_relations; i++)
        json_array_append_new(rels, json_pack("{s:s, s:s, s:s?}", "type", rel_name(en->relations[i].type),
                                              "target", en->relations[i].target, "detail",
                                              en->relations[i].detail));
    char hash[65] = "";
    cp_case_entity_hash(en, hash);
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", en->id, "list", li->id,
                     "list_version", li->version, "list_sha256", li->sha256, "source_id", en->source_id, "schema",
                     cp_schema_name(en->schema), "hash", hash, "names", names, "programs", progs, "facts", facts,
                     "relations", rels);
}
