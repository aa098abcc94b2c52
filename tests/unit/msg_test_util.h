/* Helpers shared by test_mt.c, test_mx.c, test_txn.c: read a fixture, walk
 * the fixture tree, find a party by role. Header-only (static inline); include
 * after <cmocka.h>. */
#ifndef CP_TEST_MSG_UTIL_H
#define CP_TEST_MSG_UTIL_H
#include "core/io.h"
#include "msg/detect.h"
#include "msg/parse.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIXTURES "tests/fixtures/messages"

/* Reads a file (relative to the repo root) into *b; 0 on success. */
static inline int msg_read(const char *path, cp_bytes *b) {
    cp_error e;
    return cp_read_file(path, 64u << 20, b, &e);
}

/* Parses every message of a file; returns the request count, or -1 and err. */
static inline long msg_parse_file(const char *path, cp_request_list *l, cp_error *err) {
    cp_bytes b;
    if (msg_read(path, &b) != 0) return -1;
    cp_msg_opts o;
    memset(&o, 0, sizeof o);
    o.file = path;
    int rc = cp_msg_parse_all(CP_MSG_UNKNOWN, b.data, b.len, &o, l, err);
    free(b.data);
    return rc < 0 ? -1 : (long)l->n;
}

/* Parses every message of FIXTURES/rel (a path under tests/fixtures/messages)
 * into a new request list, which the caller frees with cp_request_list_free.
 * Needs <cmocka.h>: fails the test (printing the parse error) unless the file
 * parses into at least one request. */
static inline cp_request_list msg_parse_fixture(const char *rel) {
    char path[512];
    snprintf(path, sizeof path, FIXTURES "/%s", rel);
    cp_request_list l;
    cp_request_list_init(&l);
    cp_error err;
    long n = msg_parse_file(path, &l, &err);
    if (n < 0) print_error("%s: %s %s\n", path, err.field, err.message);
    assert_true(n > 0);
    return l;
}

/* Calls fn(path, ctx) for every regular file under dir except PROVENANCE.md,
 * in readdir order (callers must not depend on it). Returns files visited. */
static inline size_t msg_walk(const char *dir, void (*fn)(const char *, void *), void *ctx) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%.700s/%.255s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) n += msg_walk(path, fn, ctx);
        else if (S_ISREG(st.st_mode) && strcmp(de->d_name, "PROVENANCE.md") != 0) {
            fn(path, ctx);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* The k-th (0-based) party with role `role`, or NULL. */
static inline const cp_party *msg_party(const cp_request *r, cp_party_role role, int k) {
    for (size_t i = 0; i < r->n_parties; i++)
        if (r->parties[i].role == role && k-- == 0) return &r->parties[i];
    return NULL;
}

static inline const cp_text *msg_text(const cp_request *r, const char *field) {
    for (size_t i = 0; i < r->n_texts; i++)
        if (!strcmp(r->texts[i].field, field)) return &r->texts[i];
    return NULL;
}

static inline const cp_place *msg_place(const cp_request *r, const char *label) {
    for (size_t i = 0; i < r->n_places; i++)
        if (!strcmp(r->places[i].label, label)) return &r->places[i];
    return NULL;
}
#endif
