/* `chokepoint lists update`: downloads the current list files from each
 * list's source_url (libcurl), writes them into a new versioned snapshot
 * under the state directory, validates it exactly like a load (manifest,
 * loader, entity counts) plus a shrink check against the previous snapshot,
 * and only then switches the active snapshot atomically. See docs/snapshot.md.
 *
 * State directory layout (cp_state_dir in lists/snapshot.h):
 *   <state>/snapshots/000001/<list-id>/{manifest.json, files...}
 *   <state>/snapshots/.staging-XXXXXX/   (being built; removed on failure)
 *   <state>/current -> snapshots/000002  (relative symlink, replaced by rename(2))
 *   <state>/lock                          (flock: one update at a time)
 *
 * Guarantees: a snapshot becomes active only after every list in it has been
 * downloaded completely, checked and parsed; on any failure nothing changes
 * (the staging directory and partial files are removed) and the error names
 * the list, file and reason. Lists not selected for update are carried over
 * unchanged (hard links, or copies across file systems).
 *
 * Network: HTTP(S) only, TLS peer and host verification on, redirects
 * followed (at most 5; https never downgraded to http), connect timeout,
 * total timeout, abort below 1 KiB/s for 60 s, a maximum size per file.
 *
 * Threads: cp_update_run initialises libcurl (curl_global_init), so call it
 * when no other thread is using libcurl; it is not meant to run twice at
 * once on one state dir (the lock refuses the second). */
#ifndef CP_LISTS_UPDATE_H
#define CP_LISTS_UPDATE_H
#include "chokepoint.h"
#include <limits.h>
#include <stddef.h>

typedef struct cp_update_opts {
    const char *state_dir;           /* NULL: cp_state_dir() */
    /* Snapshot to start from; NULL: <state>/current, else the bundled one. */
    const char *from_dir;
    const char *const *lists;        /* ids to update; NULL/0: every list with a source */
    size_t n_lists;
    /* Base URL that replaces every source_url: file <name> of list <id> is
     * fetched from <mirror>/<id>/<name> (tests, internal mirrors). NULL: off. */
    const char *mirror;
    /* Per-file overrides "NAME=URL" (NAME: the manifest's file name, e.g.
     * "sdn.csv", or "<id>/<name>"). Take precedence over mirror. */
    const char *const *urls;
    size_t n_urls;
    long connect_timeout_s;          /* 0: 30 */
    long timeout_s;                  /* per file, 0: 600 */
    size_t max_bytes;                /* per file (decompressed), 0: 512 MiB */
    double max_shrink;               /* 0: 0.5: refuse a list that lost more than half its entities */
    int lenient;                     /* as cp_load_opts.lenient, for validation */
    int keep;                        /* snapshots kept after switching (incl. the new one); 0: 3 */
    cp_progress_fn progress;         /* may be NULL; called from the calling thread */
    void *progress_ctx;
} cp_update_opts;

typedef enum cp_update_status {
    CP_UPD_UPDATED = 0,   /* new files downloaded and validated */
    CP_UPD_UNCHANGED,     /* downloaded, same bytes as before */
    CP_UPD_KEPT,          /* not selected: carried over */
    CP_UPD_NO_SOURCE,     /* no source_url: carried over (error if selected by id) */
    CP_UPD_FAILED         /* see err */
} cp_update_status;

typedef struct cp_update_list {
    char id[128];
    cp_update_status status;
    char old_version[32], new_version[32];
    long old_entities, new_entities;   /* -1 when unknown */
    cp_error err;                      /* when FAILED or NO_SOURCE */
} cp_update_list;

typedef struct cp_update_result {
    int activated;                 /* 1 when the new snapshot is now active */
    char snapshot[PATH_MAX];       /* the new snapshot when activated, else "" */
    char previous[PATH_MAX];       /* the snapshot updated from */
    char active[PATH_MAX];         /* the active downloaded snapshot after the run
                                      ("" when none: loads use the bundled lists) */
    cp_update_list *lists;         /* malloc'd; free with cp_update_result_free */
    size_t n_lists;
} cp_update_result;

/* Runs an update. Returns 0 when the new snapshot was activated (or nothing
 * changed and nothing failed: activated 0), -1 with err (the first failing
 * list, in list order; every list's outcome is in res) otherwise:
 * CP_ERR_NETWORK (HTTP status, timeout, TLS, connection, partial transfer),
 * CP_ERR_MANIFEST / CP_ERR_FORMAT (validation as cp_snapshot_load_list, or a
 * list that shrank too much), CP_ERR_IO (state dir), CP_ERR_NOTFOUND
 * (unknown list id), CP_ERR_ARG (a selected list has no source). res must
 * be freed with cp_update_result_free even on failure. */
int cp_update_run(const cp_update_opts *opts, cp_update_result *res, cp_error *err);
void cp_update_result_free(cp_update_result *res);

/* "updated", "unchanged", "kept", "no source", "FAILED". */
const char *cp_update_status_name(cp_update_status s);
#endif
