/* sim_fork.c — running the policy versions side by side: each run in a child process (the
 * engine's clock is process-wide, and two cores run two policies at once), at most `jobs` at a
 * time. Children count their steps in shared memory, so the parent draws one progress bar, and
 * write their results as JSON into their work directory for the parent to read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gongji/progress.h"
#include "sim_internal.h"

typedef struct {
    pid_t pid;
    char dir[SIM_PATH_MAX + 16];
    bool done;
    int status;
} child;

/* In the child: run, write result.json (or error.json), exit. */
static void child_main(const sim_population *pop, const char *policy_dir, const child *c, int year,
                       _Atomic uint64_t *progress) {
    gj_status st;
    json_t *out = NULL;
    char path[SIM_PATH_MAX + 32];
    gj_status_clear(&st);
    setenv("GONGJI_NO_PROGRESS", "1", 1);   /* the parent draws the only bar */
    gj_err err = sim_run_policy(pop, policy_dir, c->dir, year, progress, &out, &st);
    if (out == NULL) out = json_object();
    if (err != GJ_E_OK)
        json_object_set_new(out, "error", json_pack("{s:s, s:s}", "code", gj_err_name(err), "detail", st.detail));
    snprintf(path, sizeof path, "%s/result.json", c->dir);
    int written = json_dump_file(out, path, JSON_COMPACT);
    json_decref(out);
    _exit(written == 0 ? 0 : 1);
}

static gj_err start(child *c, const sim_population *pop, const char *policy_dir, int year,
                    _Atomic uint64_t *progress, gj_status *st) {
    fflush(NULL);
    c->pid = fork();
    if (c->pid < 0) return gj_fail(st, GJ_E_INTERNAL, "fork: %s", strerror(errno));
    if (c->pid == 0) child_main(pop, policy_dir, c, year, progress);
    return GJ_E_OK;
}

static gj_err collect(const child *c, json_t **result, gj_status *st) {
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/result.json", c->dir);
    *result = WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0 ? json_load_file(path, 0, NULL) : NULL;
    if (*result == NULL) return gj_fail(st, GJ_E_INTERNAL, "a simulation run ended abnormally");
    json_t *error = json_object_get(*result, "error");
    if (error == NULL) return GJ_E_OK;
    gj_err err = gj_err_from_name(json_string_value(json_object_get(error, "code")));
    return gj_fail(st, err == GJ_E_COUNT_ ? GJ_E_INTERNAL : err, "%s",
                   json_string_value(json_object_get(error, "detail")));
}

static void sleep_ms(long ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000};
    nanosleep(&t, NULL);
}

static uint64_t total_done(_Atomic uint64_t *counters, int n) {
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += atomic_load_explicit(&counters[i], memory_order_relaxed);
    return sum;
}

/* Start runs as slots free up; wait for all; draw the bar meanwhile. */
static gj_err supervise(child *kids, int n, int jobs, const sim_population *pop, char dirs[][SIM_PATH_MAX],
                        int year, _Atomic uint64_t *counters, gj_progress *bar, gj_status *st) {
    int started = 0, running = 0, finished = 0;
    gj_err err = GJ_E_OK;
    while (finished < n) {
        while (err == GJ_E_OK && started < n && running < jobs)
            if ((err = start(&kids[started], pop, dirs[started], year, &counters[started], st)) == GJ_E_OK)
                started++, running++;
        if (err != GJ_E_OK && running == 0) return err;
        for (int i = 0; i < started; i++) {
            if (kids[i].done || waitpid(kids[i].pid, &kids[i].status, WNOHANG) != kids[i].pid) continue;
            kids[i].done = true;
            running--, finished++;
        }
        if (err != GJ_E_OK && running == 0) return err;
        gj_progress_update(bar, total_done(counters, n));
        if (finished < n) sleep_ms(50);
    }
    return err;
}

gj_err sim_fork_runs(const sim_population *pop, char dirs[][SIM_PATH_MAX], int n, const char *work_dir,
                     int year, int jobs, bool progress, json_t **results, gj_status *st) {
    child kids[GJ_SIM_POLICIES_MAX];
    size_t shared_size = sizeof(_Atomic uint64_t) * GJ_SIM_POLICIES_MAX;
    _Atomic uint64_t *counters = mmap(NULL, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counters == MAP_FAILED) return gj_fail(st, GJ_E_INTERNAL, "mmap: %s", strerror(errno));
    memset(kids, 0, sizeof kids);
    for (int i = 0; i < n; i++) {
        atomic_init(&counters[i], 0);
        snprintf(kids[i].dir, sizeof kids[i].dir, "%s/run-%c", work_dir, 'A' + i);
        if (mkdir(kids[i].dir, 0777) != 0) {
            munmap(counters, shared_size);
            return gj_fail(st, GJ_E_INTERNAL, "%s: %s", kids[i].dir, strerror(errno));
        }
    }
    gj_progress bar;
    uint64_t per_run = pop->person_count + pop->family_count + (uint64_t)pop->events;
    gj_progress_start(&bar, "simulate", per_run * (uint64_t)n);
    if (!progress) bar.enabled = false;
    gj_err err = supervise(kids, n, jobs < 1 ? 1 : jobs, pop, dirs, year, counters, &bar, st);
    gj_progress_finish(&bar);
    for (int i = 0; i < n; i++) {   /* the first error wins; results are kept for the report */
        gj_status run_st;
        gj_err e = collect(&kids[i], &results[i], &run_st);
        if (e != GJ_E_OK && err == GJ_E_OK) {
            err = e;
            *st = run_st;
        }
    }
    munmap(counters, shared_size);
    return err;
}
