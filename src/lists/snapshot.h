/* The validated list snapshot: finds the snapshot directory, checks every
 * list file against its manifest (size and SHA-256 of the publisher's
 * bytes), runs the loader, checks the entity count, and assembles the engine
 * (include/chokepoint.h: cp_engine_load is cp_snapshot_load with flags 0).
 * See docs/snapshot.md.
 *
 * A snapshot directory holds one folder per list: <dir>/<list-id>/
 * manifest.json plus the files it names (plain or .gz; the manifest's sha256
 * and bytes are of the decompressed content).
 *
 * Which directory (cp_snapshot_resolve_dir), first match wins:
 *   1. the explicit directory (cp_load_opts.lists_dir, --data DIR)
 *   2. $CHOKEPOINT_DATA
 *   3. the active snapshot of the state dir: <state>/current, written by
 *      `chokepoint lists update` (state dir: cp_state_dir)
 *   4. the bundled snapshot <source tree>/data/lists (CP_SOURCE_DIR)
 *
 * Thread-safety: every function here is reentrant (no shared state); the
 * progress callback is serialized by the loader (never called concurrently). */
#ifndef CP_LISTS_SNAPSHOT_H
#define CP_LISTS_SNAPSHOT_H
#include "chokepoint.h"
#include "lists/manifest.h"
#include "lists/model.h"
#include <stddef.h>

enum {
    /* Skip cp_index_build: the engine can list and count but not search.
     * Used by `chokepoint lists` and by update validation. */
    CP_SNAP_NO_INDEX = 1u << 0,
    /* Load lists one after another in the calling thread. */
    CP_SNAP_ONE_THREAD = 1u << 1
};

/* As cp_engine_load with extra `flags` (CP_SNAP_*). NULL + err on failure;
 * nothing is half-loaded. */
cp_engine *cp_snapshot_load(const cp_load_opts *opts, unsigned flags, cp_error *err);

/* Loads one list folder `list_dir` whose id must be `id` (may be NULL: not
 * checked): manifest, file checks, loader, strict/lenient diagnostics,
 * entity count checks, cp_list_finalize, meta. On success returns the list
 * (free with cp_list_free) and, if manifest_out is not NULL, the manifest
 * (free with cp_manifest_free). NULL + err on failure:
 *   CP_ERR_MANIFEST  manifest invalid; a file missing, of the wrong size,
 *                    with another SHA-256, or a corrupt .gz; fewer entities
 *                    than expected.min_entities
 *   CP_ERR_FORMAT    strict load with malformed records (message: count and
 *                    the first ones as file:line: field: message)
 *   other codes from the loader (CP_ERR_NOMEM, ...).
 * err->message always starts with "list <id>: ". */
cp_list *cp_snapshot_load_list(const char *list_dir, const char *id, int lenient, cp_manifest **manifest_out,
                               cp_error *err);

/* Checks list folder `list_dir` against its manifest (sizes and SHA-256 of
 * every file) without parsing. 0, or -1 with err as above. */
int cp_snapshot_verify_list(const char *list_dir, const char *id, cp_error *err);

/* The list ids present in snapshot `dir` (sub-folders holding a
 * manifest.json, names not starting with '.'), sorted by byte order.
 * *ids is a malloc'd array of malloc'd strings: free with
 * cp_snapshot_ids_free. 0, or -1 with err (CP_ERR_IO: unreadable dir;
 * CP_ERR_NOTFOUND: no list in it). */
int cp_snapshot_list_ids(const char *dir, char ***ids, size_t *n, cp_error *err);
void cp_snapshot_ids_free(char **ids, size_t n);

/* Resolves the snapshot directory as described above into out[cap].
 * `explicit_dir` may be NULL. *origin (may be NULL) is set to a static label:
 * "--data", "$CHOKEPOINT_DATA", "state", "bundled". 0, or -1 with err. */
int cp_snapshot_resolve_dir(const char *explicit_dir, char *out, size_t cap, const char **origin,
                            cp_error *err);

/* The state directory for downloaded snapshots: $CHOKEPOINT_STATE, else
 * $XDG_STATE_HOME/chokepoint, else $HOME/.local/state/chokepoint (XDG Base
 * Directory Specification 0.8). Not created. 0, or -1 with err (CP_ERR_ARG:
 * none of the variables set, or too long). */
int cp_state_dir(char *out, size_t cap, cp_error *err);

/* The snapshot directory loaded into `e` (absolute, symlinks resolved). */
const char *cp_engine_lists_dir(const cp_engine *e);
/* The loaded list i (NULL when out of range), for diagnostics. */
cp_list *cp_engine_list(const cp_engine *e, size_t i);
#endif
