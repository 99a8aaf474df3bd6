/* progress.h — a progress bar on stderr for long jobs, only when stderr is a terminal. */
#ifndef GONGJI_PROGRESS_H
#define GONGJI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef struct {
    const char *label;
    uint64_t total;       /* 0 when unknown: shows a count instead of a bar */
    uint64_t done;
    bool enabled;         /* isatty(stderr) at start, unless forced off */
    struct timespec started, last_drawn;
} gj_progress;

void gj_progress_start(gj_progress *p, const char *label, uint64_t total);
/* Redraws at most 10 times a second. */
void gj_progress_update(gj_progress *p, uint64_t done);
void gj_progress_finish(gj_progress *p);

#endif
