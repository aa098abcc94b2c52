/* libFuzzer target for the OFAC legacy CSV loader (lists/ofac_csv.c) and
 * its Remarks parser (lists/ofac_remarks.c).
 *
 * Each input is loaded twice:
 *  1. whole, as the "primary" part (sdn.csv);
 *  2. split in four parts at points chosen by its first three bytes, as
 *     primary / comments / add / alt, so that the joins (overflow remarks,
 *     dangling ent_num, aliases and addresses) are exercised too.
 * Everything is finalized and freed; the loader must never crash, leak or
 * read outside the buffers (ASan/UBSan). Seeds: fuzz/corpus/ofac_csv/. */
#include "lists/loaders.h"
#include "lists/ofac_remarks.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const cp_list_file *files, size_t n) {
    cp_list *l = cp_list_new("us-ofac-sdn");
    if (!l) return;
    cp_error err;
    cp_ofac_stats st;
    if (cp_load_ofac_csv_stats(l, files, n, &st, &err) == 0) {
        cp_list_finalize(l);
        /* touch every string so ASan sees any dangling pointer */
        size_t sum = 0;
        for (size_t i = 0; i < cp_list_count(l); i++) {
            const cp_entity *e = cp_list_entity(l, i);
            for (uint32_t k = 0; k < e->n_names; k++) sum += strlen(e->names[k].text);
            for (uint32_t k = 0; k < e->n_facts; k++)
                sum += strlen(e->facts[k].value) + (e->facts[k].detail ? strlen(e->facts[k].detail) : 0);
            for (uint32_t k = 0; k < e->n_relations; k++) sum += strlen(e->relations[k].target);
        }
        (void)sum;
    }
    cp_list_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* copy into an exact-size heap buffer: no NUL terminator to lean on */
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    cp_list_file whole = {"primary", "sdn.csv", buf, size};
    run(&whole, 1);
    if (size >= 3) {
        size_t rest = size - 3, cut[3];
        for (int i = 0; i < 3; i++) cut[i] = rest * data[i] / 255;
        for (int i = 0; i < 3; i++) /* sort the three cut points */
            for (int j = i + 1; j < 3; j++)
                if (cut[j] < cut[i]) {
                    size_t t = cut[i];
                    cut[i] = cut[j];
                    cut[j] = t;
                }
        const char *p = buf + 3;
        cp_list_file parts[4] = {
            {"primary", "sdn.csv", p, cut[0]},
            {"comments", "sdn_comments.csv", p + cut[0], cut[1] - cut[0]},
            {"add", "add.csv", p + cut[1], cut[2] - cut[1]},
            {"alt", "alt.csv", p + cut[2], rest - cut[2]},
        };
        run(parts, 4);
    }
    free(buf);
    return 0;
}
