/* List manifests (see manifest.h). */
#include "lists/manifest.h"
#include "core/error.h"
#include "core/io.h"
#include "lists/loaders.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MANIFEST_MAX_BYTES = 1 << 20 };

static const char *get_str(json_t *obj, const char *key, int required, const char *path, cp_error *err,
                           int *bad) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) {
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, key, "required key missing");
            *bad = 1;
        }
        return "";
    }
    if (!json_is_string(v)) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, key, "must be a string");
        *bad = 1;
        return "";
    }
    return json_string_value(v);
}

static long get_int(json_t *obj, const char *key, const char *path, cp_error *err, int *bad) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v)) return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, key, "must be a non-negative integer");
        *bad = 1;
        return -1;
    }
    return (long)json_integer_value(v);
}

/* Prepends `pre` to the NUL-terminated string dst[cap], truncating the end. */
static void prepend(char *dst, size_t cap, const char *pre) {
    size_t pl = strlen(pre), dl = strlen(dst);
    if (pl >= cap) pl = cap - 1;
    if (pl + dl >= cap) dl = cap - 1 - pl;
    memmove(dst + pl, dst, dl);
    memcpy(dst, pre, pl);
    dst[pl + dl] = '\0';
}

static int is_hex64(const char *s) {
    if (strlen(s) != 64) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

/* A list id or stored file name: non-empty, <= 128 bytes, [A-Za-z0-9._-],
 * not starting with '.', so it never leaves its directory. */
static int is_plain_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 128 || s[0] == '.') return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* Extracts and validates every field of m->json into the struct. */
static int parse_fields(cp_manifest *m, const char *path, const char *expect_id, cp_error *err) {
    json_t *root = m->json;
    int bad = 0;
    if (!json_is_object(root)) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, NULL, "top level must be a JSON object");
        return -1;
    }
    m->id = get_str(root, "id", 1, path, err, &bad);
    if (!bad) m->format = get_str(root, "format", 1, path, err, &bad);
    if (!bad) m->name = get_str(root, "name", 0, path, err, &bad);
    if (!bad) m->publisher = get_str(root, "publisher", 0, path, err, &bad);
    if (!bad) m->version = get_str(root, "version", 0, path, err, &bad);
    if (!bad) m->licence = get_str(root, "licence", 0, path, err, &bad);
    if (!bad) m->provenance = get_str(root, "provenance", 0, path, err, &bad);
    if (bad) return -1;
    if (!is_plain_name(m->id)) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "id", "invalid list id '%s'", m->id);
        return -1;
    }
    if (expect_id && strcmp(expect_id, m->id) != 0) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "id",
                     "id '%s' differs from its directory name '%s'", m->id, expect_id);
        return -1;
    }
    if (!cp_loader_for_format(m->format)) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "format", "unknown list format '%s'", m->format);
        return -1;
    }
    json_t *files = json_object_get(root, "files");
    if (!json_is_array(files) || json_array_size(files) == 0) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "files", "must be a non-empty array");
        return -1;
    }
    if (json_array_size(files) > CP_MANIFEST_MAX_FILES) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "files", "more than %d files",
                     CP_MANIFEST_MAX_FILES);
        return -1;
    }
    m->n_files = json_array_size(files);
    for (size_t i = 0; i < m->n_files; i++) {
        json_t *f = json_array_get(files, i);
        char field[64];
        if (!json_is_object(f)) {
            snprintf(field, sizeof field, "files[%zu]", i);
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, field, "must be an object");
            return -1;
        }
        cp_manifest_file *mf = &m->files[i];
        mf->role = get_str(f, "role", 1, path, err, &bad);
        if (!bad) mf->path = get_str(f, "path", 1, path, err, &bad);
        if (!bad) mf->name = get_str(f, "name", 0, path, err, &bad);
        if (!bad) mf->source_url = get_str(f, "source_url", 0, path, err, &bad);
        if (!bad) mf->sha256 = get_str(f, "sha256", 1, path, err, &bad);
        if (!bad) mf->data_date = get_str(f, "data_date", 0, path, err, &bad);
        long bytes = bad ? -1 : get_int(f, "bytes", path, err, &bad);
        if (!bad && bytes < 0) {
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "bytes", "required key missing");
            bad = 1;
        }
        if (bad) {
            /* Qualify the key with the file index: "files[2].sha256". */
            snprintf(field, sizeof field, "files[%zu].", i);
            if (err) prepend(err->field, sizeof err->field, field);
            return -1;
        }
        mf->bytes = (size_t)bytes;
        if (!mf->name[0]) mf->name = mf->path;
        if (!is_plain_name(mf->path)) {
            snprintf(field, sizeof field, "files[%zu].path", i);
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, field,
                         "'%s' is not a plain file name inside the list directory", mf->path);
            return -1;
        }
        if (!is_hex64(mf->sha256)) {
            snprintf(field, sizeof field, "files[%zu].sha256", i);
            cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, field, "must be 64 lowercase hex digits");
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->files[j].path, mf->path) == 0 || strcmp(m->files[j].role, mf->role) == 0) {
                snprintf(field, sizeof field, "files[%zu]", i);
                cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, field, "duplicate path or role");
                return -1;
            }
    }
    json_t *exp = json_object_get(root, "expected");
    if (exp && !json_is_object(exp) && !json_is_null(exp)) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, "expected", "must be an object");
        return -1;
    }
    if (!json_is_object(exp)) exp = NULL;
    m->expected_entities = get_int(exp, "entities", path, err, &bad);
    if (!bad) m->min_entities = get_int(exp, "min_entities", path, err, &bad);
    if (!bad) m->expected_rows = get_int(exp, "rows", path, err, &bad);
    if (!bad) m->expected_errors = get_int(exp, "errors", path, err, &bad);
    if (m->expected_errors < 0) m->expected_errors = 0;
    if (bad) {
        if (err) prepend(err->field, sizeof err->field, "expected.");
        return -1;
    }
    return 0;
}

cp_manifest *cp_manifest_read(const char *dir, const char *expect_id, cp_error *err) {
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/manifest.json", dir) >= sizeof path) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "path too long: %s", dir);
        return NULL;
    }
    cp_bytes b;
    if (cp_read_file(path, MANIFEST_MAX_BYTES, &b, err) < 0) return NULL;
    cp_manifest *m = cp_manifest_parse(b.data, b.len, path, expect_id, err);
    free(b.data);
    return m;
}

cp_manifest *cp_manifest_parse(const char *data, size_t len, const char *path, const char *expect_id,
                               cp_error *err) {
    if (!path) path = "manifest.json";
    if (len > MANIFEST_MAX_BYTES) {
        cp_error_set(err, CP_ERR_MANIFEST, path, 0, -1, NULL, "larger than %d bytes", MANIFEST_MAX_BYTES);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        cp_error_set(err, CP_ERR_MANIFEST, path, je.line, je.position, NULL, "invalid JSON: %s (column %d)",
                     je.text, je.column);
        return NULL;
    }
    cp_manifest *m = calloc(1, sizeof *m);
    if (!m) {
        json_decref(root);
        cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
        return NULL;
    }
    m->json = root;
    if (parse_fields(m, path, expect_id, err) < 0) {
        cp_manifest_free(m);
        return NULL;
    }
    return m;
}

void cp_manifest_free(cp_manifest *m) {
    if (!m) return;
    json_decref((json_t *)m->json);
    free(m);
}

void cp_manifest_digest(const cp_manifest *m, char hex[65]) {
    /* 64 + 2 + name + 1 per file; names are <= 128 bytes when they are paths,
     * but `name` is free text: size the buffer from the actual lengths. */
    size_t cap = 1;
    for (size_t i = 0; i < m->n_files; i++) cap += 67 + strlen(m->files[i].name);
    char *buf = malloc(cap);
    if (!buf) { /* cannot happen in practice; hash the empty string */
        cp_sha256_hex("", 0, hex);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < m->n_files; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s  %s\n", m->files[i].sha256, m->files[i].name);
    cp_sha256_hex(buf, n, hex);
    free(buf);
}

static int refresh(cp_manifest *m) {
    cp_error e;
    return parse_fields(m, "manifest.json", NULL, &e);
}

int cp_manifest_set_file(cp_manifest *m, size_t i, const char *path, const char *sha256, size_t bytes,
                         const char *data_date) {
    json_t *f = json_array_get(json_object_get((json_t *)m->json, "files"), i);
    if (!f) return -1;
    if (json_object_set_new(f, "path", json_string(path)) < 0 ||
        json_object_set_new(f, "sha256", json_string(sha256)) < 0 ||
        json_object_set_new(f, "bytes", json_integer((json_int_t)bytes)) < 0 ||
        json_object_set_new(f, "data_date", json_string(data_date ? data_date : "")) < 0)
        return -1;
    return refresh(m);
}

int cp_manifest_set_string(cp_manifest *m, const char *key, const char *value) {
    if (json_object_set_new((json_t *)m->json, key, json_string(value)) < 0) return -1;
    return refresh(m);
}

int cp_manifest_set_expected(cp_manifest *m, long entities, long min_entities, long errors) {
    json_t *exp = json_object_get((json_t *)m->json, "expected");
    if (!json_is_object(exp)) {
        exp = json_object();
        if (!exp || json_object_set_new((json_t *)m->json, "expected", exp) < 0) return -1;
    }
    if (entities >= 0 && json_object_set_new(exp, "entities", json_integer(entities)) < 0) return -1;
    if (min_entities >= 0 && json_object_set_new(exp, "min_entities", json_integer(min_entities)) < 0)
        return -1;
    if (errors >= 0 ? json_object_set_new(exp, "errors", json_integer(errors)) < 0
                    : (json_object_del(exp, "errors"), json_object_del(exp, "errors_note"), 0))
        return -1;
    return refresh(m);
}

int cp_manifest_write(const cp_manifest *m, const char *dir, cp_error *err) {
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    char *text = json_dumps((json_t *)m->json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        cp_error_set(err, CP_ERR_NOMEM, path, 0, -1, NULL, "out of memory");
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    int ok = f != NULL;
    if (ok) {
        size_t len = strlen(text);
        ok = fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF;
        ok = (fflush(f) == 0) && ok;
        ok = (fsync(fileno(f)) == 0) && ok;
        ok = (fclose(f) == 0) && ok;
    }
    free(text);
    if (!ok || rename(tmp, path) != 0) {
        cp_error_set(err, CP_ERR_IO, path, 0, -1, NULL, "cannot write: %s", strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
