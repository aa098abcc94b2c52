/* libFuzzer target: the UK OFSI ConList CSV loader (cp_load_uk_ofsi_csv) on
 * arbitrary bytes. Seeds: fuzz/corpus/uk_ofsi_csv/ (real rows of the
 * 2025-04-14 ConList, and the malformed test fixtures). */
#include "lists/loaders.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_list *l = cp_list_new("uk-ofsi");
    if (!l) return 0;
    cp_list_file f = {"main", "fuzz.csv", (const char *)data, size};
    cp_error err;
    if (cp_load_uk_ofsi_csv(l, &f, 1, &err) == 0) cp_list_finalize(l);
    cp_list_free(l);
    return 0;
}
