/* libFuzzer target: the EU FSF XML loader (cp_load_eu_fsf_xml) on
 * arbitrary bytes. Seeds: fuzz/corpus/eu_fsf_xml/ (the hand-written
 * fixtures in the documented export 1.1 layout). */
#include "lists/loaders.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_list *l = cp_list_new("eu-fsf");
    if (!l) return 0;
    cp_list_file f = {"main", "fuzz.xml", (const char *)data, size};
    cp_error err;
    if (cp_load_eu_fsf_xml(l, &f, 1, &err) == 0) cp_list_finalize(l);
    cp_list_free(l);
    return 0;
}
