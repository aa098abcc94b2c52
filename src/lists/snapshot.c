/* PLACEHOLDER: replaced by the real snapshot loader. */
#include "engine.h"
#include "core/error.h"
#include <stdlib.h>

cp_engine *cp_engine_load(const cp_load_opts *opts, cp_error *err) {
    (void)opts;
    cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "snapshot loading not built yet");
    return NULL;
}
void cp_engine_free(cp_engine *e) { free(e); }
size_t cp_engine_list_count(const cp_engine *e) { (void)e; return 0; }
const cp_list_info *cp_engine_list_info(const cp_engine *e, size_t i) { (void)e; (void)i; return NULL; }
