/* sim_fork.c — running the (policy, shard) pairs side by side: `jobs` worker processes (the
 * engine's clock is process-wide, and two cores run two stores at once), each taking the next
 * pair not yet taken from a counter shared with the parent, in order shard by shard (every
 * policy's run of a shard, then the next shard), until none is left. A worker runs its pairs
 * one after another in the same process, so the memory one run's store freed is the next one's
 * (a fresh process per pair had the kernel fault in and zero every page of every store:
 * docs/simulation.md "Workers"). Each run leaves its progress, counters and verify result in a
 * slot of the shared memory, and its worker removes its store as soon as it has ended (disk
 * use is then bounded by `jobs` stores). The parent draws one progress bar and merges each
 * policy's shards (sim_merge.c). SIGINT or SIGTERM (caught by sim_stop.c) while the runs are
 * under way stops every worker and returns an error, so gj_sim_run removes the work directory
 * (the population's split files, stores in files) instead of leaving it under $TMPDIR. */
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

/* Memory shared by the parent and the workers. */
typedef struct {
    _Atomic int32_t next_job;   /* the next pair a worker takes */
    sim_slot slots[];           /* one per pair */
} board;

/* One (policy, shard) pair. */
typedef struct {
    char dir[SIM_PATH_MAX + 32];
    bool memory;                 /* the store in memory, else in dir */
    const char *policy_dir;
    const sim_shard *shard;
    sim_slot *slot;
} job;

typedef struct {
    pid_t pid;
    bool done;
    int status;
} worker;

typedef struct {
    const sim_population *pop;
    job *jobs;
    worker *workers;
    int n, worker_count, year;
    board *board;
    gj_progress *bar;
} runs;

/* In a worker: run one pair, leave the results in its slot, remove its store. */
static void run_job(const sim_population *pop, sim_scratch *scratch, const job *j, int year) {
    gj_status st;
    gj_err verified = GJ_E_COUNT_;
    gj_status_clear(&st);
    atomic_store(&j->slot->state, SIM_SLOT_RUNNING);
    gj_err err = mkdir(j->dir, 0777) == 0 ? GJ_E_OK : gj_fail(&st, GJ_E_INTERNAL, "%s: %s", j->dir, strerror(errno));
    if (err == GJ_E_OK)
        err = sim_run_shard(pop, j->shard, scratch, j->policy_dir, j->memory, j->dir, year,
                            &j->slot->progress, &j->slot->stats, &verified, &st);
    sim_remove_tree(j->dir);
    j->slot->error = (int32_t)err;
    j->slot->verified = (int32_t)verified;
    snprintf(j->slot->detail, sizeof j->slot->detail, "%s", st.detail);
    atomic_store(&j->slot->state, SIM_SLOT_DONE);
}

/* In a worker without its sim_scratch: the pair fails. */
static void out_of_memory(const job *j) {
    j->slot->error = (int32_t)GJ_E_INTERNAL;
    snprintf(j->slot->detail, sizeof j->slot->detail, "out of memory");
    atomic_store(&j->slot->state, SIM_SLOT_DONE);
}

/* In a worker: take pairs until none is left, then exit. It starts with the stop signals held
 * (start_worker()): they get their first dispositions back before they are let through, so a
 * SIGTERM sent right after the fork ends the worker instead of reaching the parent's handler
 * in it (which would let the worker run all its pairs). */
static void worker_main(const runs *r, const sigset_t *mask) {
    sim_stop_release();   /* a worker ends at once; the parent cleans up */
    sigprocmask(SIG_SETMASK, mask, NULL);
    setenv("GONGJI_NO_PROGRESS", "1", 1);   /* the parent draws the only bar */
    sim_scratch scratch;
    bool ready = sim_scratch_init(&scratch, r->pop);
    for (;;) {
        int32_t next = atomic_fetch_add(&r->board->next_job, 1);
        if (next >= r->n) break;
        if (ready) run_job(r->pop, &scratch, &r->jobs[next], r->year);
        else out_of_memory(&r->jobs[next]);
    }
    sim_scratch_free(&scratch);
    _exit(0);
}

static gj_err start_worker(const runs *r, worker *w, gj_status *st) {
    fflush(NULL);
    sigset_t mask;
    sim_stop_hold(&mask);   /* until the worker has its own dispositions */
    w->pid = fork();
    if (w->pid == 0) worker_main(r, &mask);
    int fork_errno = errno;
    sigprocmask(SIG_SETMASK, &mask, NULL);   /* one that came meanwhile is caught now */
    if (w->pid < 0) return gj_fail(st, GJ_E_INTERNAL, "fork: %s", strerror(fork_errno));
    return GJ_E_OK;
}

/* A pair's outcome: not finished (its worker ended abnormally), or the run's own error. */
static gj_err outcome(const job *j, gj_status *st) {
    if (atomic_load(&j->slot->state) != SIM_SLOT_DONE)
        return gj_fail(st, GJ_E_INTERNAL, "a simulation run (shard %d) ended abnormally", j->shard->index);
    gj_err err = (gj_err)j->slot->error;
    if (err == GJ_E_OK) return GJ_E_OK;
    return gj_fail(st, err >= 0 && err < GJ_E_COUNT_ ? err : GJ_E_INTERNAL, "%s", j->slot->detail);
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

/* Reap the workers that have ended; returns how many. */
static int reap(worker *workers, int started) {
    int ended = 0;
    for (int i = 0; i < started; i++) {
        if (workers[i].done || waitpid(workers[i].pid, &workers[i].status, WNOHANG) != workers[i].pid) continue;
        workers[i].done = true;
        ended++;
    }
    return ended;
}

/* Ask every worker still running to stop. */
static void stop_workers(worker *workers, int started) {
    for (int i = 0; i < started; i++)
        if (!workers[i].done) kill(workers[i].pid, SIGTERM);
}

/* Start the workers; wait for all; draw the bar meanwhile. On a stop signal, stop the workers
 * and return once they have ended. */
static gj_err supervise(runs *r, gj_status *st) {
    int started = 0, running = 0;
    gj_err err = GJ_E_OK;
    while (err == GJ_E_OK && started < r->worker_count)
        if ((err = start_worker(r, &r->workers[started], st)) == GJ_E_OK) started++, running++;
    if (err != GJ_E_OK) stop_workers(r->workers, started);
    while (running > 0) {
        if (err == GJ_E_OK && (err = sim_stop_check(st)) != GJ_E_OK) stop_workers(r->workers, started);
        running -= reap(r->workers, started);
        gj_progress_update(r->bar, total_done(r->board->slots, r->n));
        if (running > 0) sleep_ms(50);
    }
    return err;
}

/* Job j: shard j / policies under policy j % policies. */
static void plan(runs *r, const sim_shards *shards, char dirs[][SIM_PATH_MAX], int policies,
                 const char *work_dir) {
    for (int i = 0; i < r->n; i++) {
        job *j = &r->jobs[i];
        j->shard = &shards->shards[i / policies];
        j->policy_dir = dirs[i % policies];
        j->slot = &r->board->slots[i];
        j->slot->verified = GJ_E_COUNT_;
        atomic_init(&j->slot->state, SIM_SLOT_WAITING);
        atomic_init(&j->slot->progress, 0);
        snprintf(j->dir, sizeof j->dir, "%.3000s/run-%c-%04d", work_dir, 'A' + i % policies, i / policies);
        j->memory = shards->memory;
    }
}

/* Each policy's results, merged; the first error of any run wins (results are still merged
 * for the report: a verify failure is reported with the figures). */
static gj_err gather(runs *r, int policies, int shard_count, json_t **results, gj_status *st) {
    gj_err err = GJ_E_OK;
    for (int i = 0; i < r->n; i++) {
        gj_status run_st;
        gj_err e = outcome(&r->jobs[i], &run_st);
        if (e != GJ_E_OK && err == GJ_E_OK) err = e, *st = run_st;
    }
    for (int p = 0; p < policies; p++) {
        results[p] = sim_merge(r->pop, &r->board->slots[p], shard_count, policies);
        if (results[p] == NULL && err == GJ_E_OK) err = gj_fail(st, GJ_E_INTERNAL, "merging the shards: a sum overflows");
    }
    return err;
}

gj_err sim_fork_runs(const sim_population *pop, const sim_shards *shards, char dirs[][SIM_PATH_MAX],
                     int n, const char *work_dir, int year, int jobs, bool progress, json_t **results,
                     gj_status *st) {
    runs r = {.pop = pop, .n = n * shards->count, .year = year};
    r.worker_count = jobs < 1 ? 1 : jobs > r.n ? r.n : jobs;
    size_t shared_size = sizeof(board) + sizeof(sim_slot) * (size_t)r.n;
    r.board = mmap(NULL, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r.board == MAP_FAILED) return gj_fail(st, GJ_E_INTERNAL, "mmap: %s", strerror(errno));
    atomic_init(&r.board->next_job, 0);
    r.jobs = calloc((size_t)r.n, sizeof *r.jobs);
    r.workers = calloc((size_t)r.worker_count, sizeof *r.workers);
    gj_err err = r.jobs && r.workers ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "out of memory");
    if (err == GJ_E_OK) {
        plan(&r, shards, dirs, n, work_dir);
        gj_progress bar;
        uint64_t per_policy = pop->person_count + pop->family_count + (uint64_t)pop->events;
        gj_progress_start(&bar, "simulate", per_policy * (uint64_t)n);
        if (!progress) bar.enabled = false;
        r.bar = &bar;
        err = supervise(&r, st);
        gj_progress_finish(&bar);
        gj_status gather_st;
        gj_err gathered = gather(&r, n, shards->count, results, &gather_st);
        if (err == GJ_E_OK && gathered != GJ_E_OK) err = gathered, *st = gather_st;
    }
    free(r.workers);
    free(r.jobs);
    munmap(r.board, shared_size);
    return err;
}
