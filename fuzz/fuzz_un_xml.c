/* libFuzzer target: the UN consolidated XML loader (cp_load_un_xml) on
 * arbitrary bytes. Seeds: fuzz/corpus/un_xml/ (real records of the
 * 2026-02-27 consolidated.xml, and the malformed test fixtures). */
#include "lists/loaders.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_list *l = cp_list_new("un-sc");
    if (!l) return 0;
    cp_list_file f = {"main", "fuzz.xml", (const char *)data, size};
    cp_error err;
    if (cp_load_un_xml(l, &f, 1, &err) == 0) cp_list_finalize(l);
    cp_list_free(l);
    return 0;
}
