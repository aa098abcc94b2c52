/* A one-line progress bar for long operations (loading the lists, `lists
 * update`), drawn on a terminal stream only. It stays silent when the stream
 * is not a terminal (pipes, logs, CI) and until the operation has run for
 * `delay` seconds, so quick runs print nothing.
 *
 * It is the only core module that writes output, and only to the stream the
 * caller passes (the command line passes stderr); library code never creates
 * one. Not thread-safe: callers serialize updates (cp_engine_load calls its
 * progress callback under a lock). */
#ifndef CP_CORE_PROGRESS_H
#define CP_CORE_PROGRESS_H
#include <stdio.h>

typedef struct cp_progress cp_progress;

enum {
    CP_PROGRESS_AUTO = 0,   /* draw only if isatty(out) and after `delay` seconds */
    CP_PROGRESS_ALWAYS = 1, /* draw regardless (tests, --progress) */
    CP_PROGRESS_NEVER = 2   /* never draw (--quiet) */
};

/* Creates a bar writing to `out` (not owned). `delay` in seconds (the brief:
 * 1.0). NULL on OOM. Free with cp_progress_free (accepts NULL), which clears
 * the line if anything was drawn. */
cp_progress *cp_progress_new(FILE *out, int mode, double delay);
void cp_progress_free(cp_progress *p);

/* Sets the current stage label (copied, shown truncated to 40 bytes) and
 * fraction in [0,1] (clamped). Redraws at most every 0.1 s, and always for
 * fraction 1. `p` may be NULL (no-op). */
void cp_progress_update(cp_progress *p, const char *stage, double fraction);

/* Adapter with the cp_progress_fn signature (include/chokepoint.h):
 * ctx is a cp_progress *. */
void cp_progress_cb(void *ctx, const char *stage, double fraction);

/* Whether anything has been drawn (for tests). */
int cp_progress_drawn(const cp_progress *p);
#endif
