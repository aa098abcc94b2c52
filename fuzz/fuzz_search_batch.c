/* libFuzzer target: the `chokepoint search --batch` line parser
 * (cp_batch_parse_line) on arbitrary bytes, and, for every line it accepts,
 * a search of a small engine built once from real SDN/UN records (so the
 * normalizer, the candidate index lookups, scoring and the results JSON see
 * fuzzed names too). Checks: no crash, no leak, no UB; results are sorted,
 * scores in [0,1]. Seeds: fuzz/corpus/search_batch/. */
#include "engine.h"
#include "index/index.h"
#include "match/search.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cp_engine *engine;
static cp_searcher *searcher;

static void add(cp_list *l, const char *sid, cp_schema sc, const char *const *names, const char *dob,
                const char *imo) {
    long e = cp_list_add_entity(l, sid, strlen(sid), sc);
    for (size_t i = 0; names[i]; i++)
        cp_list_add_name(l, e, names[i], strlen(names[i]), i == 0 ? CP_NAME_PRIMARY : CP_NAME_WEAK_ALIAS, NULL);
    if (dob) cp_list_add_fact(l, e, CP_FACT_DOB, dob, strlen(dob), NULL);
    if (imo) cp_list_add_fact(l, e, CP_FACT_IMO, imo, strlen(imo), NULL);
}

static int init(void) {
    if (searcher) return 0;
    engine = calloc(1, sizeof *engine);
    if (!engine) return -1;
    engine->lists = calloc(1, sizeof *engine->lists);
    cp_list *l = cp_list_new("us-ofac-sdn");
    if (!engine->lists || !l) return -1;
    static const char *const n1[] = {"MADURO MOROS, Nicolas", NULL};
    static const char *const n2[] = {"ARTAVIL", NULL};
    static const char *const n3[] = {"INNOCENT KAINA", "India Queen", NULL};
    add(l, "22790", CP_SCHEMA_PERSON, n1, "1962-11-23", NULL);
    add(l, "15036", CP_SCHEMA_VESSEL, n2, NULL, "IMO 9187629");
    add(l, "CDi.004", CP_SCHEMA_PERSON, n3, "1960..1962", NULL);
    cp_list_finalize(l);
    engine->lists[0] = l;
    engine->n_lists = 1;
    if (!(engine->index = cp_index_build(engine, NULL))) return -1;
    searcher = cp_searcher_new(engine, NULL);
    return searcher ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size + 8);
    if (!buf) return 0;
    cp_batch_query bq;
    cp_error err;
    if (cp_batch_parse_line((const char *)data, size, buf, size + 8, &bq, &err) == 0 && init() == 0) {
        cp_query q;
        memset(&q, 0, sizeof q);
        q.name = bq.name;
        q.schema = bq.schema;
        q.country = bq.country;
        q.dob = bq.dob;
        q.id = bq.country; /* exercise the identifier path with fuzzed text too */
        q.min_score = 1e-6;
        cp_results *r = cp_searcher_search(searcher, &q, &err);
        for (size_t i = 0; r && i < cp_results_count(r); i++) {
            const cp_result *it = cp_results_get(r, i);
            if (!(it->score >= 0 && it->score <= 1)) abort();
            if (i && cp_results_get(r, i - 1)->score < it->score) abort();
        }
        free(cp_results_to_json(r, 0));
        cp_results_free(r);
    }
    free(buf);
    return 0;
}
