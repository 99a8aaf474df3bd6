/* progress.c — a one-line progress display on stderr: label, bar and percent (or a count
 * when the total is unknown), rate per second and time left. Drawn only when stderr is a
 * terminal and GONGJI_NO_PROGRESS is unset; redrawn at most 10 times a second. */
#include "gongji/progress.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BAR_WIDTH = 30, REDRAW_INTERVAL_MS = 100, DURATION_TEXT_MAX = 24 };

static struct timespec monotonic_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now;
}

static uint64_t elapsed_ms(const struct timespec *from, const struct timespec *to) {
    int64_t ms = ((int64_t)to->tv_sec - (int64_t)from->tv_sec) * 1000 +
                 ((int64_t)to->tv_nsec - (int64_t)from->tv_nsec) / 1000000;
    return ms > 0 ? (uint64_t)ms : 0;
}

/* a × b / c without overflowing for the sizes a progress bar sees (c > 0). */
static uint64_t scale(uint64_t a, uint64_t b, uint64_t c) {
    assert(c > 0);
    if (b == 0 || a <= UINT64_MAX / b) {
        return a * b / c;
    }
    return a / c * b;
}

static char *format_duration(uint64_t seconds, char *buf, size_t buf_len) {
    uint64_t hours = seconds / 3600, minutes = seconds % 3600 / 60, secs = seconds % 60;
    if (hours > 0) {
        snprintf(buf, buf_len, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, hours, minutes, secs);
    } else {
        snprintf(buf, buf_len, "%" PRIu64 ":%02" PRIu64, minutes, secs);
    }
    return buf;
}

static void draw_bar(const gj_progress *p, uint64_t rate_per_s) {
    uint64_t done = p->done < p->total ? p->done : p->total;
    size_t filled = (size_t)scale(done, BAR_WIDTH, p->total);
    char bar[BAR_WIDTH + 1];
    memset(bar, '=', filled);
    memset(bar + filled, ' ', BAR_WIDTH - filled);
    bar[BAR_WIDTH] = '\0';
    char eta[DURATION_TEXT_MAX] = "--:--";
    if (rate_per_s > 0) {
        uint64_t left = p->total - done;
        format_duration(left / rate_per_s + (left % rate_per_s != 0), eta, sizeof eta);
    }
    fprintf(stderr, "\r%s [%s] %3" PRIu64 "%% %" PRIu64 "/%" PRIu64 " %" PRIu64 "/s ETA %s\033[K",
            p->label, bar, scale(done, 100, p->total), p->done, p->total, rate_per_s, eta);
}

static void draw(gj_progress *p, const struct timespec *now) {
    uint64_t ms = elapsed_ms(&p->started, now);
    uint64_t rate_per_s = ms > 0 ? scale(p->done, 1000, ms) : 0;
    if (p->total > 0) {
        draw_bar(p, rate_per_s);
    } else {
        fprintf(stderr, "\r%s %" PRIu64 " %" PRIu64 "/s\033[K", p->label, p->done, rate_per_s);
    }
    fflush(stderr);
    p->last_drawn = *now;
}

void gj_progress_start(gj_progress *p, const char *label, uint64_t total) {
    assert(p != NULL);
    p->label = label != NULL ? label : "";
    p->total = total;
    p->done = 0;
    p->enabled = isatty(STDERR_FILENO) && getenv("GONGJI_NO_PROGRESS") == NULL;
    p->started = monotonic_now();
    p->last_drawn = p->started;
    if (p->enabled) {
        draw(p, &p->started);
    }
}

void gj_progress_update(gj_progress *p, uint64_t done) {
    assert(p != NULL);
    p->done = done;
    if (!p->enabled) {
        return;
    }
    struct timespec now = monotonic_now();
    if (elapsed_ms(&p->last_drawn, &now) >= REDRAW_INTERVAL_MS) {
        draw(p, &now);
    }
}

void gj_progress_finish(gj_progress *p) {
    assert(p != NULL);
    if (!p->enabled) {
        return;
    }
    struct timespec now = monotonic_now();
    draw(p, &now);
    fputc('\n', stderr);
    p->enabled = false;
}
