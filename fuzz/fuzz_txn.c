/* libFuzzer target: JSON and CSV transaction parsers (src/msg/txn.c) and
 * the format auto-detection/splitting in front of them (cp_msg_parse_all).
 * Seed corpus: fuzz/corpus/txn/ (docs examples, NDJSON). */
#include "msg/parse.h"
#include "msg/txn.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *d = (const char *)data;
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    (void)cp_txn_parse_json(d, size, NULL, &l, &err);
    (void)cp_txn_parse_csv(d, size, NULL, &l, &err);
    (void)cp_msg_parse_all(CP_MSG_UNKNOWN, d, size, NULL, &l, &err);
    cp_request_list_free(&l);
    return 0;
}
