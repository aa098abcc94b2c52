#include "lists/loaders.h"
#include <string.h>

cp_loader_fn cp_loader_for_format(const char *format) {
    static const struct {
        const char *format;
        cp_loader_fn fn;
    } table[] = {
        {"ofac-csv", cp_load_ofac_csv},       {"un-xml", cp_load_un_xml},
        {"uk-ofsi-csv", cp_load_uk_ofsi_csv}, {"eu-fsf-xml", cp_load_eu_fsf_xml},
        {"us-csl-csv", cp_load_us_csl_csv},   {"bis-dpl-tsv", cp_load_bis_dpl_tsv},
        {"ftm-json", cp_load_ftm_json},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].format, format) == 0) return table[i].fn;
    return NULL;
}

const cp_list_file *cp_list_file_find(const cp_list_file *files, size_t n, const char *role) {
    for (size_t i = 0; i < n; i++)
        if (files[i].role && strcmp(files[i].role, role) == 0) return &files[i];
    return NULL;
}
