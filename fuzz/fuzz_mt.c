/* libFuzzer target: SWIFT MT splitter + parser (src/msg/mt.c, detect.c).
 * Seed corpus: fuzz/corpus/mt/ (every MT fixture). Checks: no crash, no
 * leak, no UB; a failed parse appends nothing and names an offset inside
 * the input; a repaired message's warnings name a field and an offset
 * inside the message. */
#include "msg/detect.h"
#include "msg/mt.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *d = (const char *)data;
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    cp_msg_iter it;
    cp_msg_span sp;
    cp_msg_iter_init(&it, d, size, CP_MSG_MT);
    while (cp_msg_next(&it, &sp, &err) == 1) {
        if (sp.offset + sp.len > size) abort();
        size_t before = l.n;
        if (cp_mt_parse(d + sp.offset, sp.len, NULL, &l, &err) < 0) {
            if (l.n != before) abort();
            if (err.offset < -1 || (err.offset >= 0 && (size_t)err.offset > sp.len)) abort();
        } else {
            /* a repair (parse warning) names a field and an offset inside the message */
            for (size_t i = before; i < l.n; i++)
                for (size_t k = 0; k < l.items[i]->n_warnings; k++) {
                    const cp_parse_warning *w = &l.items[i]->warnings[k];
                    if (!w->field || !w->message || w->offset < 0 || (size_t)w->offset >= sp.len) abort();
                }
        }
    }
    /* the whole input as one message, lenient */
    cp_msg_opts o = {0, 1, NULL};
    (void)cp_mt_parse(d, size, &o, &l, &err);
    cp_request_list_free(&l);
    return 0;
}
