/* libFuzzer target: the us-bis-dpl list loader (cp_load_bis_dpl_tsv) on arbitrary bytes.
 * Checks that any input loads or fails cleanly (no crash, no leak, no UB)
 * and that finalize works on whatever was loaded. Seed corpus:
 * fuzz/corpus/bis_dpl_tsv/ (small real snippets). */
#include "lists/loaders.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_list *l = cp_list_new("us-bis-dpl");
    if (!l) return 0;
    cp_list_file f = {"main", "fuzz", (const char *)data, size};
    cp_error err;
    if (cp_load_bis_dpl_tsv(l, &f, 1, &err) == 0) (void)cp_list_finalize(l);
    cp_list_free(l);
    return 0;
}
