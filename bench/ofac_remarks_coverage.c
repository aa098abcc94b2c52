/* ofac_remarks_coverage: loads an OFAC legacy CSV set and prints how the
 * Remarks clauses were typed (clauses per rule, share left as plain
 * CP_FACT_REMARK), the dangling-row counts and the load time.
 *
 *   build/bench/ofac_remarks_coverage [DIR [PRIMARY ADD ALT COMMENTS]]
 * Defaults: data/lists/us-ofac-sdn with sdn.csv.gz add.csv.gz alt.csv.gz
 * sdn_comments.csv.gz. For the non-SDN list:
 *   ofac_remarks_coverage data/lists/us-ofac-non-sdn cons_prim.csv.gz \
 *       cons_add.csv.gz cons_alt.csv.gz cons_comments.csv.gz
 * With -v as the last argument, also prints every clause not understood. */
#include "core/io.h"
#include "lists/ofac_remarks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    int verbose = argc > 1 && strcmp(argv[argc - 1], "-v") == 0;
    if (verbose) argc--;
    const char *dir = argc > 1 ? argv[1] : CP_SOURCE_DIR "/data/lists/us-ofac-sdn";
    const char *names[4] = {"sdn.csv.gz", "add.csv.gz", "alt.csv.gz", "sdn_comments.csv.gz"};
    const char *roles[4] = {"primary", "add", "alt", "comments"};
    if (argc > 5)
        for (int i = 0; i < 4; i++) names[i] = argv[2 + i];
    cp_bytes b[4];
    cp_list_file files[4];
    cp_error err;
    for (int i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (cp_read_file(path, 0, &b[i], &err) < 0) {
            char buf[800];
            fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
            return 1;
        }
        files[i] = (cp_list_file){roles[i], names[i], b[i].data, b[i].len};
    }
    cp_list *l = cp_list_new("us-ofac");
    static cp_ofac_stats st;
    double t0 = now_ms();
    if (!l || cp_load_ofac_csv_stats(l, files, 4, &st, &err) < 0 || cp_list_finalize(l) < 0) {
        char buf[800];
        fprintf(stderr, "load failed: %s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t1 = now_ms();
    printf("entities %zu, names %zu, load+finalize %.1f ms\n", cp_list_count(l), cp_list_name_count(l), t1 - t0);
    for (int i = 0; i < 4; i++)
        printf("%-9s rows %6zu  malformed %zu  dangling rows %zu (distinct ent_num %zu)\n", roles[i], st.rows[i],
               st.bad_rows[i], st.dangling_rows[i], st.dangling_ids[i]);
    cp_diag *d = cp_list_diag(l);
    printf("diag: %zu errors, %zu warnings\n", d->errors, d->warnings);
    printf("remark clauses %zu, typed %zu (%.2f%%), left as CP_FACT_REMARK (not understood) %zu (%.2f%%)\n", st.clauses,
           st.clauses - st.unparsed, st.clauses ? 100.0 * (double)(st.clauses - st.unparsed) / (double)st.clauses : 0.0,
           st.unparsed, st.clauses ? 100.0 * (double)st.unparsed / (double)st.clauses : 0.0);
    size_t rel_ids = 0, rel_names = 0;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s:", cp_list_id(l));
    for (size_t e = 0; e < cp_list_count(l); e++) {
        const cp_entity *en = cp_list_entity(l, e);
        for (uint32_t k = 0; k < en->n_relations; k++) {
            if (en->relations[k].type != CP_REL_LINKED_TO) continue;
            if (strncmp(en->relations[k].target, prefix, strlen(prefix)) == 0) rel_ids++;
            else rel_names++;
        }
    }
    printf("Linked To relations: %zu resolved to an entity id, %zu left as a name\n", rel_ids, rel_names);
    /* rules by count */
    size_t n = cp_ofac_rule_count();
    size_t *idx = malloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (st.by_rule[idx[j]] > st.by_rule[idx[i]]) {
                size_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
    for (size_t i = 0; i < n && st.by_rule[idx[i]]; i++)
        printf("%7zu  %-14s %s\n", st.by_rule[idx[i]], cp_ofac_rule_kind(idx[i]), cp_ofac_rule_label(idx[i]));
    free(idx);
    if (verbose)
        for (size_t e = 0; e < cp_list_count(l); e++) {
            const cp_entity *en = cp_list_entity(l, e);
            for (uint32_t k = 0; k < en->n_facts; k++)
                if (en->facts[k].type == CP_FACT_REMARK && !en->facts[k].detail)
                    printf("UNPARSED %s\t%s\n", en->id, en->facts[k].value);
        }
    const char *dtype = getenv("CP_DUMP_TYPE"); /* print every fact of this type (e.g. "dob") */
    for (size_t e = 0; dtype && e < cp_list_count(l); e++) {
        const cp_entity *en = cp_list_entity(l, e);
        for (uint32_t k = 0; k < en->n_facts; k++)
            if (strcmp(cp_fact_type_name(en->facts[k].type), dtype) == 0)
                printf("%s\t%s\t%s\n", en->id, en->facts[k].value, en->facts[k].detail ? en->facts[k].detail : "");
    }
    const char *dump = getenv("CP_DUMP"); /* comma-separated source ids to print */
    for (size_t e = 0; dump && e < cp_list_count(l); e++) {
        const cp_entity *en = cp_list_entity(l, e);
        char key[32];
        snprintf(key, sizeof key, ",%s,", en->source_id);
        char all[1024];
        snprintf(all, sizeof all, ",%s,", dump);
        if (!strstr(all, key)) continue;
        printf("== %s (%s)\n", en->id, cp_schema_name(en->schema));
        for (uint32_t k = 0; k < en->n_names; k++)
            printf("  name %-10s %s\n", cp_name_kind_name(en->names[k].kind), en->names[k].text);
        for (uint32_t k = 0; k < en->n_programs; k++) printf("  program %s\n", en->programs[k]);
        for (uint32_t k = 0; k < en->n_facts; k++)
            printf("  fact %-12s %s%s%s%s\n", cp_fact_type_name(en->facts[k].type), en->facts[k].value,
                   en->facts[k].detail ? "  [" : "", en->facts[k].detail ? en->facts[k].detail : "",
                   en->facts[k].detail ? "]" : "");
        for (uint32_t k = 0; k < en->n_relations; k++)
            printf("  rel %d %s%s%s\n", (int)en->relations[k].type, en->relations[k].target,
                   en->relations[k].detail ? "  " : "", en->relations[k].detail ? en->relations[k].detail : "");
    }
    cp_list_free(l);
    for (int i = 0; i < 4; i++) free(b[i].data);
    return 0;
}
