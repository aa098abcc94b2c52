/* libFuzzer target: ISO 20022 MX parser (src/msg/mx.c). Seed corpus:
 * fuzz/corpus/mx/ (pacs.008/009/004, pain.001, camt.053 fixtures). */
#include "msg/mx.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    if (cp_mx_parse((const char *)data, size, NULL, &l, &err) < 0 && l.n != 0) abort();
    cp_request_list_free(&l);
    return 0;
}
