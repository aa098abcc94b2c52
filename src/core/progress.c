/* Terminal progress bar (see progress.h). */
#include "core/progress.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BAR_WIDTH = 30, STAGE_MAX = 40 };

struct cp_progress {
    FILE *out;
    int mode;
    int tty;
    double delay;
    double start, last_draw;
    int drawn;
    size_t last_len;
};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cp_progress *cp_progress_new(FILE *out, int mode, double delay) {
    cp_progress *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->out = out;
    p->mode = mode;
    p->tty = out && isatty(fileno(out));
    p->delay = delay;
    p->start = now_s();
    p->last_draw = -1.0;
    return p;
}

void cp_progress_free(cp_progress *p) {
    if (!p) return;
    if (p->drawn) {
        /* Erase the bar: spaces over it, back to column 0. */
        fprintf(p->out, "\r%*s\r", (int)p->last_len, "");
        fflush(p->out);
    }
    free(p);
}

int cp_progress_drawn(const cp_progress *p) { return p && p->drawn; }

void cp_progress_update(cp_progress *p, const char *stage, double fraction) {
    if (!p || !p->out || p->mode == CP_PROGRESS_NEVER) return;
    if (p->mode == CP_PROGRESS_AUTO && !p->tty) return;
    double t = now_s();
    if (p->mode == CP_PROGRESS_AUTO && t - p->start < p->delay) return;
    if (!(fraction >= 0.0)) fraction = 0.0; /* also NaN */
    if (fraction > 1.0) fraction = 1.0;
    if (fraction < 1.0 && p->last_draw >= 0 && t - p->last_draw < 0.1) return;
    p->last_draw = t;
    char bar[BAR_WIDTH + 1];
    int fill = (int)(fraction * BAR_WIDTH + 0.5);
    for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    char line[128];
    int n = snprintf(line, sizeof line, "[%s] %3d%%  %.*s", bar, (int)(fraction * 100.0 + 0.5), STAGE_MAX,
                     stage ? stage : "");
    if (n < 0) return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    /* Pad with spaces to cover a longer previous line. */
    fprintf(p->out, "\r%s%*s", line, p->last_len > len ? (int)(p->last_len - len) : 0, "");
    fflush(p->out);
    if (len > p->last_len) p->last_len = len;
    p->drawn = 1;
}

void cp_progress_cb(void *ctx, const char *stage, double fraction) {
    cp_progress_update((cp_progress *)ctx, stage, fraction);
}
