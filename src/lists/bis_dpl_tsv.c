/* PLACEHOLDER: replaced by the real loader. */
#include "lists/loaders.h"

int cp_load_bis_dpl_tsv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err) {
    (void)l; (void)files; (void)n;
    cp_error_set(err, CP_ERR_FORMAT, NULL, 0, -1, NULL, "bis_dpl_tsv loader not built yet");
    return -1;
}
