/* compare.c: the public name-comparison API (include/chokepoint.h). */
#include "chokepoint.h"
#include "core/arena.h"
#include "core/error.h"
#include "match/name.h"
#include <stdlib.h>
#include <string.h>

struct cp_comparer {
    cp_normalizer *norm;
};

cp_comparer *cp_comparer_new(cp_error *err) {
    cp_comparer *c = calloc(1, sizeof *c);
    if (!c) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    c->norm = cp_normalizer_new(err);
    if (!c->norm) {
        free(c);
        return NULL;
    }
    return c;
}

void cp_comparer_free(cp_comparer *c) {
    if (!c) return;
    cp_normalizer_free(c->norm);
    free(c);
}

double cp_comparer_score(cp_comparer *c, cp_schema s, const char *name1, size_t len1,
                         const char *name2, size_t len2, char *why, size_t why_size,
                         cp_error *err) {
    if (!c || (!name1 && len1) || (!name2 && len2)) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_comparer_score: NULL argument");
        return -1;
    }
    if ((int)s < CP_SCHEMA_ANY || (int)s > CP_SCHEMA_AIRCRAFT) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_comparer_score: bad schema %d", (int)s);
        return -1;
    }
    cp_arena *a = cp_arena_new();
    if (!a) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    cp_pname q, l;
    double score = -1;
    if (cp_name_prepare(c->norm, name1, len1, s, a, &q, err) == 0 &&
        cp_name_prepare(c->norm, name2, len2, s, a, &l, err) == 0) {
        cp_name_why w;
        score = cp_name_score(&q, &l, s, &w);
        if (why && why_size) cp_name_why_format(&w, &q, &l, why, why_size);
    }
    cp_arena_free(a);
    return score;
}

double cp_compare(const cp_engine *e, cp_schema s, const char *name1, const char *name2,
                  cp_error *err) {
    (void)e;
    if (!name1 || !name2) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_compare: NULL name");
        return -1;
    }
    cp_comparer *c = cp_comparer_new(err);
    if (!c) return -1;
    double r = cp_comparer_score(c, s, name1, strlen(name1), name2, strlen(name2), NULL, 0, err);
    cp_comparer_free(c);
    return r;
}
