/* libFuzzer target: the list manifest parser (cp_manifest_parse) on
 * arbitrary bytes, then the digest and the update setters on whatever
 * parsed. Any input must parse or fail cleanly (no crash, leak or UB).
 * Seed corpus: fuzz/corpus/manifest/ (the bundled manifests). */
#include "lists/manifest.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_error err;
    cp_manifest *m = cp_manifest_parse((const char *)data, size, "fuzz", NULL, &err);
    if (!m) return 0;
    char hex[65];
    cp_manifest_digest(m, hex);
    (void)cp_manifest_set_file(m, 0, "x.csv", hex, 1, "2026-01-01");
    (void)cp_manifest_set_expected(m, 10, -1, -1);
    (void)cp_manifest_set_string(m, "version", "2026-01-01");
    cp_manifest_free(m);
    return 0;
}
