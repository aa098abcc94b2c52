/* List manifests: data/lists/<id>/manifest.json and the same file in every
 * snapshot written by `chokepoint lists update`. A manifest names the list,
 * its format (which loader reads it), its data date, licence and provenance,
 * and each file with the SHA-256 and size of the publisher's bytes (the
 * DECOMPRESSED content when the stored file is .gz). See docs/snapshot.md for
 * the schema.
 *
 * Schema (JSON object; unknown keys are kept and written back unchanged):
 *   id, name, publisher, format, version, licence, provenance   strings
 *   files: [{role, path, name, source_url, sha256, bytes, data_date}]
 *   expected: {entities, min_entities, rows, errors}            integers
 *     entities: count the loader must produce (a difference is a warning)
 *     min_entities: fewer is refused (a truncated or wrong file)
 *     errors: malformed records known in these exact files (see below)
 *   (update adds: fetched_at, previous_version per list)
 * `id` must equal the directory name; `path` is a plain file name inside the
 * list directory (no '/', no leading '.'), so a manifest cannot reach outside
 * its directory. `source_url` may be absent or "" for lists with no network
 * source. Limits: at most CP_MANIFEST_MAX_FILES files, manifest at most 1 MiB.
 *
 * Ownership: cp_manifest_read returns a malloc'd manifest freed with
 * cp_manifest_free (accepts NULL); every string in it lives as long as the
 * manifest. Thread-safety: none needed (no shared state); one manifest per
 * thread. */
#ifndef CP_LISTS_MANIFEST_H
#define CP_LISTS_MANIFEST_H
#include "chokepoint.h"
#include <stddef.h>

enum { CP_MANIFEST_MAX_FILES = 16 };

typedef struct cp_manifest_file {
    const char *role;        /* loader role: "primary", "add", "main", ... */
    const char *path;        /* stored file name in the list dir, e.g. "sdn.csv.gz" */
    const char *name;        /* publisher's file name, e.g. "sdn.csv" */
    const char *source_url;  /* "" when the list has no network source */
    const char *sha256;      /* 64 lowercase hex chars, of the decompressed bytes */
    size_t bytes;            /* decompressed size in bytes */
    const char *data_date;   /* "YYYY-MM-DD" or "" */
} cp_manifest_file;

typedef struct cp_manifest {
    const char *id, *name, *publisher, *format, *version, *licence, *provenance;
    cp_manifest_file files[CP_MANIFEST_MAX_FILES];
    size_t n_files;
    long expected_entities;  /* -1 when absent */
    long min_entities;       /* -1 when absent */
    long expected_rows;      /* -1 when absent (informative only) */
    /* Malformed records known to be in these exact files (pinned by their
     * sha256), e.g. a record cut off as published: a strict load tolerates
     * up to this many (they are still counted as problems). 0 when absent. */
    long expected_errors;
    void *json;              /* internal: the parsed jansson object (owned) */
} cp_manifest;

/* Reads and validates <dir>/manifest.json. `expect_id` (may be NULL) is the
 * directory name the id must equal. Returns NULL with err filled: CP_ERR_IO
 * (missing/unreadable, naming the path) or CP_ERR_MANIFEST (invalid JSON with
 * line and column, a missing or ill-typed key named in err->field, a path
 * that leaves the directory, a malformed sha256, an unknown format). */
cp_manifest *cp_manifest_read(const char *dir, const char *expect_id, cp_error *err);
/* The same on an in-memory manifest (data[len], need not be NUL-terminated;
 * at most 1 MiB); `path` (may be NULL) names it in errors. */
cp_manifest *cp_manifest_parse(const char *data, size_t len, const char *path, const char *expect_id,
                               cp_error *err);
void cp_manifest_free(cp_manifest *m);

/* Combined digest of a list: SHA-256 (hex) of the text
 *   "<sha256>  <name>\n" for each file in manifest order
 * i.e. of what `sha256sum name1 name2 ...` prints over the decompressed
 * files, so it can be checked with `sha256sum f1 f2 | sha256sum`. */
void cp_manifest_digest(const cp_manifest *m, char hex[65]);

/* Setters used by `lists update` to describe new files; they update both
 * the struct and the JSON object (strings are copied). Return 0, -1 on OOM.
 * cp_manifest_set_expected: a value < 0 leaves that key as it is, except
 * `errors`, which is removed when < 0 (new files have no known defects). */
int cp_manifest_set_file(cp_manifest *m, size_t i, const char *path, const char *sha256, size_t bytes,
                         const char *data_date);
int cp_manifest_set_string(cp_manifest *m, const char *key, const char *value);
int cp_manifest_set_expected(cp_manifest *m, long entities, long min_entities, long errors);

/* Writes the manifest as <dir>/manifest.json (pretty-printed, keys in their
 * original order) via a temporary file + rename(2). 0, or -1 with CP_ERR_IO. */
int cp_manifest_write(const cp_manifest *m, const char *dir, cp_error *err);
#endif
