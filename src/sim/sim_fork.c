/* sim_fork.c — running the (policy, shard) pairs side by side: each in a child process (the
 * engine's clock is process-wide, and two cores run two stores at once), at most `jobs` at a
 * time, shard by shard (every policy's run of a shard, then the next shard). Each child leaves
 * its progress, counters and verify result in a slot of memory shared with the parent, which
 * draws one progress bar, removes a child's store as soon as the child has ended (disk use is
 * then bounded by `jobs` stores), and merges each policy's shards (sim_merge.c). SIGINT or
 * SIGTERM (caught by sim_stop.c) while the runs are under way stops every child and returns an
 * error, so gj_sim_run removes the work directory (the population's split files, stores in
 * files) instead of leaving it under $TMPDIR. */
#include <errno.h>
#include <signal.h>
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
    char dir[SIM_PATH_MAX + 32];
    char store_url[SIM_PATH_MAX + 64];
    const char *policy_dir;
    const sim_shard *shard;
    sim_slot *slot;
    bool done;
    int status;
} child;

typedef struct {
    const sim_population *pop;
    child *kids;
    int n, jobs, year;
    sim_slot *slots;
    gj_progress *bar;
} runs;

/* In the child: run the shard, leave the results in the slot, exit. It starts with the stop
 * signals held (start()): they get their first dispositions back before they are let through,
 * so a SIGTERM sent right after the fork ends the child instead of reaching the parent's
 * handler in it (which would let the child run its whole shard). */
static void child_main(const sim_population *pop, const child *c, int year, const sigset_t *mask) {
    gj_status st;
    gj_err verified = GJ_E_COUNT_;
    sim_stop_release();   /* a child ends at once; the parent cleans up */
    sigprocmask(SIG_SETMASK, mask, NULL);
    gj_status_clear(&st);
    setenv("GONGJI_NO_PROGRESS", "1", 1);   /* the parent draws the only bar */
    gj_err err = sim_run_shard(pop, c->shard, c->policy_dir, c->store_url, year, &c->slot->progress,
                               &c->slot->stats, &verified, &st);
    c->slot->error = (int32_t)err;
    c->slot->verified = (int32_t)verified;
    snprintf(c->slot->detail, sizeof c->slot->detail, "%s", st.detail);
    _exit(0);
}

static gj_err start(child *c, const sim_population *pop, int year, gj_status *st) {
    if (mkdir(c->dir, 0777) != 0) return gj_fail(st, GJ_E_INTERNAL, "%s: %s", c->dir, strerror(errno));
    fflush(NULL);
    sigset_t mask;
    sim_stop_hold(&mask);   /* until the child has its own dispositions */
    c->pid = fork();
    if (c->pid == 0) child_main(pop, c, year, &mask);
    int fork_errno = errno;
    sigprocmask(SIG_SETMASK, &mask, NULL);   /* one that came meanwhile is caught now */
    if (c->pid < 0) return gj_fail(st, GJ_E_INTERNAL, "fork: %s", strerror(fork_errno));
    return GJ_E_OK;
}

/* The child's outcome: an abnormal end, or the run's own error. */
static gj_err outcome(const child *c, gj_status *st) {
    if (!c->done || !WIFEXITED(c->status) || WEXITSTATUS(c->status) != 0)
        return gj_fail(st, GJ_E_INTERNAL, "a simulation run (shard %d) ended abnormally", c->shard->index);
    gj_err err = (gj_err)c->slot->error;
    if (err == GJ_E_OK) return GJ_E_OK;
    return gj_fail(st, err >= 0 && err < GJ_E_COUNT_ ? err : GJ_E_INTERNAL, "%s", c->slot->detail);
}

static void sleep_ms(long ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000};
    nanosleep(&t, NULL);
}

static uint64_t total_done(const sim_slot *slots, int n) {
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += atomic_load_explicit(&slots[i].progress, memory_order_relaxed);
    return sum;
}

/* Reap the children that have ended and remove their stores; returns how many. */
static int reap(child *kids, int started) {
    int ended = 0;
    for (int i = 0; i < started; i++) {
        if (kids[i].done || waitpid(kids[i].pid, &kids[i].status, WNOHANG) != kids[i].pid) continue;
        kids[i].done = true;
        sim_remove_tree(kids[i].dir);
        ended++;
    }
    return ended;
}

/* Ask every child still running to stop. */
static void stop_children(child *kids, int started) {
    for (int i = 0; i < started; i++)
        if (!kids[i].done) kill(kids[i].pid, SIGTERM);
}

/* Start runs as slots free up; wait for all; draw the bar meanwhile. On a stop signal, start
 * no more, stop the running ones and return once they have ended. */
static gj_err supervise(runs *r, gj_status *st) {
    int started = 0, running = 0, finished = 0;
    gj_err err = GJ_E_OK;
    while (finished < r->n) {
        if (err == GJ_E_OK && (err = sim_stop_check(st)) != GJ_E_OK) stop_children(r->kids, started);
        while (err == GJ_E_OK && started < r->n && running < r->jobs)
            if ((err = start(&r->kids[started], r->pop, r->year, st)) == GJ_E_OK) started++, running++;
        if (err != GJ_E_OK && running == 0) return err;
        int ended = reap(r->kids, started);
        running -= ended, finished += ended;
        if (err != GJ_E_OK && running == 0) return err;
        gj_progress_update(r->bar, total_done(r->slots, r->n));
        if (finished < r->n) sleep_ms(50);
    }
    return err;
}

/* Job j: shard j / policies under policy j % policies. */
static void plan(runs *r, const sim_shards *shards, char dirs[][SIM_PATH_MAX], int policies,
                 const char *work_dir) {
    for (int j = 0; j < r->n; j++) {
        child *c = &r->kids[j];
        c->shard = &shards->shards[j / policies];
        c->policy_dir = dirs[j % policies];
        c->slot = &r->slots[j];
        c->slot->verified = GJ_E_COUNT_;
        atomic_init(&c->slot->progress, 0);
        snprintf(c->dir, sizeof c->dir, "%.3000s/run-%c-%04d", work_dir, 'A' + j % policies, j / policies);
        sim_store_url(shards->memory, c->dir, c->store_url, sizeof c->store_url);
    }
}

/* Each policy's results, merged; the first error of any run wins (results are still merged
 * for the report: a verify failure is reported with the figures). */
static gj_err gather(runs *r, int policies, int shard_count, json_t **results, gj_status *st) {
    gj_err err = GJ_E_OK;
    for (int j = 0; j < r->n; j++) {
        gj_status run_st;
        gj_err e = outcome(&r->kids[j], &run_st);
        if (e != GJ_E_OK && err == GJ_E_OK) err = e, *st = run_st;
    }
    for (int p = 0; p < policies; p++) {
        results[p] = sim_merge(r->pop, &r->slots[p], shard_count, policies);
        if (results[p] == NULL && err == GJ_E_OK) err = gj_fail(st, GJ_E_INTERNAL, "merging the shards: a sum overflows");
    }
    return err;
}

gj_err sim_fork_runs(const sim_population *pop, const sim_shards *shards, char dirs[][SIM_PATH_MAX],
                     int n, const char *work_dir, int year, int jobs, bool progress, json_t **results,
                     gj_status *st) {
    runs r = {.pop = pop, .n = n * shards->count, .jobs = jobs < 1 ? 1 : jobs, .year = year};
    size_t shared_size = sizeof(sim_slot) * (size_t)r.n;
    r.slots = mmap(NULL, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r.slots == MAP_FAILED) return gj_fail(st, GJ_E_INTERNAL, "mmap: %s", strerror(errno));
    r.kids = calloc((size_t)r.n, sizeof *r.kids);
    if (r.kids == NULL) {
        munmap(r.slots, shared_size);
        return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    }
    plan(&r, shards, dirs, n, work_dir);
    gj_progress bar;
    uint64_t per_policy = pop->person_count + pop->family_count + (uint64_t)pop->events;
    gj_progress_start(&bar, "simulate", per_policy * (uint64_t)n);
    if (!progress) bar.enabled = false;
    r.bar = &bar;
    gj_err err = supervise(&r, st);
    gj_progress_finish(&bar);
    gj_status gather_st;
    gj_err gathered = gather(&r, n, shards->count, results, &gather_st);
    if (err == GJ_E_OK && gathered != GJ_E_OK) err = gathered, *st = gather_st;
    free(r.kids);
    munmap(r.slots, shared_size);
    return err;
}
