/* The engine: the loaded list snapshot plus its index. Internal layout of
 * the opaque cp_engine (include/chokepoint.h). Immutable after
 * cp_engine_load returns; shared read-only between threads. */
#ifndef CP_ENGINE_H
#define CP_ENGINE_H
#include "chokepoint.h"
#include "lists/model.h"

struct cp_index;

struct cp_engine {
    cp_list **lists;          /* owned; in load order */
    size_t n_lists;
    struct cp_index *index;   /* owned; built over all lists by cp_index_build */
    char *lists_dir;          /* the snapshot directory loaded (malloc'd) */
};

/* Builds the search index over e->lists (src/index). NULL + err on failure. */
struct cp_index *cp_index_build(const cp_engine *e, cp_error *err);
void cp_index_free(struct cp_index *ix);   /* accepts NULL */
#endif
