/* PLACEHOLDER: replaced by the real index. */
#include "engine.h"
#include "core/error.h"

struct cp_index *cp_index_build(const cp_engine *e, cp_error *err) {
    (void)e;
    cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "index not built yet");
    return NULL;
}
void cp_index_free(struct cp_index *ix) { (void)ix; }
