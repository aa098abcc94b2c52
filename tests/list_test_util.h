/* Helpers shared by the list loader tests (tests/unit/test_{un,uk_ofsi,eu_fsf,
 * us_csl,bis_dpl,ftm,ofac}.c): load a list file through a loader, find a list
 * entity by source id, and look for a name, fact or program on it.
 * Header-only (static inline); include after <cmocka.h>, since the helpers
 * fail the running test (fail_msg / assert_*) rather than return errors. */
#ifndef CP_TEST_LIST_UTIL_H
#define CP_TEST_LIST_UTIL_H
#include "core/io.h"
#include "lists/loaders.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Loads one "main" part (data, len bytes; `name` is the file name used in
 * diagnostics) into a new list `list_id` through `load`, then finalizes it
 * when the loader returned 0. *rc receives the loader's return value, err its
 * error. The caller frees the list with cp_list_free. */
static inline cp_list *list_load_buf(const char *list_id, cp_loader_fn load, const char *data, size_t len,
                                     const char *name, int *rc, cp_error *err) {
    cp_list *l = cp_list_new(list_id);
    assert_non_null(l);
    cp_list_file f = {"main", name, data, len};
    *rc = load(l, &f, 1, err);
    if (*rc == 0) assert_int_equal(cp_list_finalize(l), 0);
    return l;
}

/* As list_load_buf on the file at `path` (relative to the repo root; .gz is
 * inflated by cp_read_file). `name` NULL: the last component of path. Fails
 * the test when the file cannot be read. */
static inline cp_list *list_load_path(const char *list_id, cp_loader_fn load, const char *path, const char *name,
                                      int *rc, cp_error *err) {
    cp_bytes b;
    cp_error e;
    if (cp_read_file(path, 0, &b, &e) != 0) fail_msg("cannot read %s: %s", path, e.message);
    if (!name) {
        const char *slash = strrchr(path, '/');
        name = slash ? slash + 1 : path;
    }
    cp_list *l = list_load_buf(list_id, load, b.data, b.len, name, rc, err);
    free(b.data);
    return l;
}

/* The list entity with this source id (e.g. an OFAC ent_num); fails the test
 * when there is none. */
static inline const cp_entity *ent(const cp_list *l, const char *source_id) {
    long i = cp_list_find(l, source_id, strlen(source_id));
    if (i < 0) fail_msg("entity %s not found", source_id);
    return cp_list_entity(l, (size_t)i);
}

/* The first name of e whose text is `text` (any kind), or NULL. */
static inline const cp_name *name_of(const cp_entity *e, const char *text) {
    for (uint32_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].text, text) == 0) return &e->names[i];
    return NULL;
}

/* 1 when e has a name of kind k with exactly this text, else 0. */
static inline int has_name(const cp_entity *e, const char *text, cp_name_kind k) {
    for (uint32_t i = 0; i < e->n_names; i++)
        if (e->names[i].kind == k && strcmp(e->names[i].text, text) == 0) return 1;
    return 0;
}

/* 1 when e has a fact of type t with this value and detail, else 0.
 * detail NULL matches only a fact without detail; "*" matches any detail. */
static inline int has_fact(const cp_entity *e, cp_fact_type t, const char *value, const char *detail) {
    for (uint32_t i = 0; i < e->n_facts; i++) {
        const cp_fact *f = &e->facts[i];
        if (f->type != t || strcmp(f->value, value) != 0) continue;
        if (detail && strcmp(detail, "*") == 0) return 1;
        if (!detail ? !f->detail : (f->detail && strcmp(f->detail, detail) == 0)) return 1;
    }
    return 0;
}

/* Number of facts of type t on e. */
static inline int count_facts(const cp_entity *e, cp_fact_type t) {
    int n = 0;
    for (uint32_t i = 0; i < e->n_facts; i++) n += e->facts[i].type == t;
    return n;
}

/* 1 when e is listed under program p (exact text), else 0. */
static inline int has_program(const cp_entity *e, const char *p) {
    for (uint32_t i = 0; i < e->n_programs; i++)
        if (strcmp(e->programs[i], p) == 0) return 1;
    return 0;
}
#endif
