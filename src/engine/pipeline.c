/* pipeline.c — the threads of the group-commit pipeline (pipeline.h): a FIFO of jobs owned by
 * their submitters; the writer runs batches of up to batch_max inside one store batch
 * transaction and commits each visibly (gj_store_batch_commit_visible), its fsync owed; the
 * syncer makes the committed batches durable — one sync for all that are waiting — and only
 * then wakes their submitters, while the writer already runs the next batch (with nothing
 * queued and the syncer idle, the writer syncs the batch itself: sync_here). The store's
 * checkpoints run on a thread of their own meanwhile (gj_store_background_checkpoints).
 * Outcomes are told outside the pipeline's lock, each through its job's `done`: told under it,
 * each woken submitter's first act was to wait for that lock, and the writer behind them all.
 * A job's memory is its submitter's: gj_pipeline_run keeps it on its stack and waits on a
 * semaphore that its `done` posts; gongjid keeps it in the request and resumes the suspended
 * connection (server.c). */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gongji/gjtime.h"
#include "gongji/pipeline.h"

typedef gj_pipeline_job job;

struct gj_pipeline {
    gj_engine *engine;
    gj_pipeline_config config;
    pthread_t writer, syncer;
    pthread_mutex_t lock;
    pthread_cond_t arrived;          /* a job was queued, or stopping */
    pthread_cond_t committed;        /* a batch awaits its sync, or the writer has stopped */
    job *head, *tail;
    unsigned queued;
    job *unsynced_head, *unsynced_tail;   /* committed batches owing their sync, oldest first */
    bool syncing;                    /* the syncer is making batches durable */
    bool stopping, writer_done;      /* stopping: closing, submissions refused */
    bool closed;                     /* the threads are joined (gj_pipeline_close) */
    gj_pipeline_stats stats;         /* under lock */
};

unsigned gj_pipeline_bucket_le(int b) {
    assert(b >= 0 && b < GJ_PIPELINE_HISTOGRAM_BUCKETS);
    return b == GJ_PIPELINE_HISTOGRAM_BUCKETS - 1 ? 0 : 1u << b;
}

static int bucket_of(unsigned size) {
    int b = 0;
    while (b < GJ_PIPELINE_HISTOGRAM_BUCKETS - 1 && size > (1u << b)) b++;
    return b;
}

static uint64_t monotonic_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * NS_PER_S + (uint64_t)t.tv_nsec;
}

static struct timespec deadline_after_us(unsigned us) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    long ns = t.tv_nsec + (long)us * NS_PER_US;
    t.tv_sec += ns / NS_PER_S;
    t.tv_nsec = ns % NS_PER_S;
    return t;
}

/* Under lock: wait for work, then detach up to batch_max jobs (waiting up to wait_us for the
 * batch to fill). NULL when stopping with nothing queued. */
static job *take_batch(gj_pipeline *p, unsigned *count) {
    while (p->head == NULL && !p->stopping) pthread_cond_wait(&p->arrived, &p->lock);
    if (p->head == NULL) return NULL;
    if (p->config.wait_us > 0 && p->queued < p->config.batch_max && !p->stopping) {
        struct timespec until = deadline_after_us(p->config.wait_us);
        while (p->queued < p->config.batch_max && !p->stopping &&
               pthread_cond_timedwait(&p->arrived, &p->lock, &until) != ETIMEDOUT) {
        }
    }
    job *first = p->head, *last = first;
    unsigned n = 1;
    while (n < p->config.batch_max && last->next != NULL) {
        last = last->next;
        n++;
    }
    p->head = last->next;
    if (p->head == NULL) p->tail = NULL;
    last->next = NULL;
    p->queued -= n;
    *count = n;
    return first;
}

/* Outside the lock: one transaction for the whole batch, committed visibly (*d: its sync). */
static gj_err run_batch(gj_pipeline *p, job *batch, gj_store_durability *d, gj_status *st) {
    gj_store *store = gj_engine_store(p->engine);
    gj_err err = gj_store_batch_begin(store, st);
    for (job *j = batch; err == GJ_E_OK && j != NULL; j = j->next) {
        gj_err cmd = j->fn(p->engine, j->arg);
        assert(!gj_store_in_tx(store));   /* commands close their own transaction */
        if (cmd == GJ_E_STORE) err = gj_fail(st, GJ_E_STORE, "a command of this batch hit a store error");
    }
    if (err == GJ_E_OK) return gj_store_batch_commit_visible(store, d, st);
    gj_store_batch_rollback(store);
    return err;
}

/* Outside the lock: tell every submitter from `first` on (a list detached from the pipeline,
 * ending in NULL) its outcome. */
static void wake(job *first) {
    for (job *j = first, *next = NULL; j != NULL; j = next) {
        next = j->next;   /* j may be gone once told */
        j->done(j->done_arg, j->err, &j->status);
    }
}

/* Under lock: a batch's outcome. A failed batch, or one already durable, is returned for the
 * caller to wake once it has let go of the lock; a committed one owing its sync joins the
 * syncer's list (NULL returned). */
static job *batch_done(gj_pipeline *p, job *batch, unsigned count, gj_err err, const gj_status *st,
                       const gj_store_durability *d) {
    p->stats.batches++;
    p->stats.commands += count;
    p->stats.failed_batches += err != GJ_E_OK;
    p->stats.size_bucket[bucket_of(count)]++;
    job *last = batch;
    for (job *j = batch; j != NULL; j = j->next) {
        j->err = err;
        j->status = *st;
        last = j;
    }
    if (err != GJ_E_OK || d->wal == NULL) return batch;
    last->durability = *d;
    if (p->unsynced_tail != NULL) p->unsynced_tail->next = batch;
    else p->unsynced_head = batch;
    p->unsynced_tail = last;
    pthread_cond_signal(&p->committed);
    return NULL;
}

/* Make a committed batch durable, or stop the process: the batches are visible and later ones
 * built on them, but the disk may not hold them, so none may be acknowledged; a restart
 * recovers what the disk holds (as PostgreSQL panics on a failed fsync). Returns the time it
 * took, in ns. */
static uint64_t make_durable_or_die(const gj_store_durability *d) {
    gj_status st;
    uint64_t start_ns = monotonic_ns();
    if (gj_store_make_durable(d, &st) == GJ_E_OK) return monotonic_ns() - start_ns;
    fprintf(stderr, "gongji: fatal: %s; stopping before acknowledging anything more\n", st.detail);
    abort();
}

/* Under lock: nothing queued and the syncer idle — the writer would only wait, so it syncs
 * the batch itself and answers at once: handing it over costs the syncer's wake-up and a
 * second thread switch (~0.3 ms a settlement with one submitter on this machine's VM). */
static bool sync_here(const gj_pipeline *p, gj_err err, const gj_store_durability *d) {
    return err == GJ_E_OK && d->wal != NULL && p->head == NULL && p->unsynced_head == NULL && !p->syncing;
}

static void *writer_main(void *arg) {
    gj_pipeline *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        unsigned count = 0;
        job *batch = take_batch(p, &count);
        if (batch == NULL) break;
        pthread_mutex_unlock(&p->lock);
        job *answered = NULL;
        gj_status st;
        gj_status_clear(&st);
        gj_store_durability d = {0};
        uint64_t start_ns = monotonic_ns();
        gj_err err = run_batch(p, batch, &d, &st);
        uint64_t run_ns = monotonic_ns() - start_ns;
        pthread_mutex_lock(&p->lock);
        p->stats.batch_run_ns += run_ns;
        if (sync_here(p, err, &d)) {
            pthread_mutex_unlock(&p->lock);
            uint64_t sync_ns = make_durable_or_die(&d);
            d.wal = NULL;   /* durable now: batch_done answers at once */
            pthread_mutex_lock(&p->lock);
            p->stats.syncs++;
            p->stats.sync_ns += sync_ns;
        }
        answered = batch_done(p, batch, count, err, &st, &d);
        if (answered != NULL) {
            pthread_mutex_unlock(&p->lock);
            wake(answered);
            pthread_mutex_lock(&p->lock);
        }
    }
    p->writer_done = true;
    pthread_cond_signal(&p->committed);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The syncer: takes every committed batch waiting, makes the last one durable (which makes
 * those before it durable too), wakes their submitters. */
static void *syncer_main(void *arg) {
    gj_pipeline *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->unsynced_head == NULL && !p->writer_done) pthread_cond_wait(&p->committed, &p->lock);
        if (p->unsynced_head == NULL) break;
        job *first = p->unsynced_head, *last = p->unsynced_tail;
        p->unsynced_head = p->unsynced_tail = NULL;
        p->syncing = true;
        pthread_mutex_unlock(&p->lock);
        uint64_t sync_ns = make_durable_or_die(&last->durability);
        wake(first);
        pthread_mutex_lock(&p->lock);
        p->syncing = false;
        p->stats.syncs++;
        p->stats.sync_ns += sync_ns;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void free_pipeline(gj_pipeline *p) {
    (void)gj_store_background_checkpoints(gj_engine_store(p->engine), false);
    pthread_cond_destroy(&p->committed);
    pthread_cond_destroy(&p->arrived);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

gj_err gj_pipeline_start(gj_engine *e, const gj_pipeline_config *c, gj_pipeline **out,
                         gj_status *st) {
    assert(e != NULL && c != NULL && out != NULL);
    if (c->batch_max < 1 || c->batch_max > GJ_PIPELINE_BATCH_MAX_LIMIT || c->wait_us > GJ_PIPELINE_WAIT_MAX_US)
        return gj_fail(st, GJ_E_USAGE, "pipeline: batch_max 1..%d and wait_us 0..%d expected",
                       GJ_PIPELINE_BATCH_MAX_LIMIT, GJ_PIPELINE_WAIT_MAX_US);
    gj_pipeline *p = calloc(1, sizeof *p);
    if (p == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    p->engine = e;
    p->config = *c;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->arrived, NULL);
    pthread_cond_init(&p->committed, NULL);
    (void)gj_store_background_checkpoints(gj_engine_store(e), true);   /* else in its commits, as before */
    if (pthread_create(&p->syncer, NULL, syncer_main, p) != 0) {
        free_pipeline(p);
        return gj_fail(st, GJ_E_INTERNAL, "pipeline: cannot start the syncer thread");
    }
    if (pthread_create(&p->writer, NULL, writer_main, p) != 0) {
        pthread_mutex_lock(&p->lock);
        p->writer_done = true;
        pthread_cond_signal(&p->committed);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->syncer, NULL);
        free_pipeline(p);
        return gj_fail(st, GJ_E_INTERNAL, "pipeline: cannot start the writer thread");
    }
    *out = p;
    return GJ_E_OK;
}

void gj_pipeline_close(gj_pipeline *p) {
    assert(p != NULL);
    pthread_mutex_lock(&p->lock);
    bool joined = p->closed;
    p->stopping = true;
    pthread_cond_signal(&p->arrived);
    pthread_mutex_unlock(&p->lock);
    if (joined) return;
    pthread_join(p->writer, NULL);   /* it tells the syncer it is done */
    pthread_join(p->syncer, NULL);
    pthread_mutex_lock(&p->lock);
    assert(p->head == NULL && p->unsynced_head == NULL);
    p->closed = true;
    pthread_mutex_unlock(&p->lock);
}

void gj_pipeline_stop(gj_pipeline *p) {
    if (p == NULL) return;
    gj_pipeline_close(p);
    free_pipeline(p);
}

gj_err gj_pipeline_submit(gj_pipeline *p, gj_pipeline_job *j, gj_pipeline_fn fn, void *arg,
                          gj_pipeline_done_fn done, void *done_arg, gj_status *st) {
    assert(p != NULL && j != NULL && fn != NULL && done != NULL);
    *j = (gj_pipeline_job){.fn = fn, .arg = arg, .done = done, .done_arg = done_arg};
    pthread_mutex_lock(&p->lock);
    if (p->stopping) {
        pthread_mutex_unlock(&p->lock);
        return gj_fail(st, GJ_E_STOPPED, "the server is stopping: nothing was run; retry");
    }
    if (p->tail != NULL) p->tail->next = j;
    else p->head = j;
    p->tail = j;
    p->queued++;
    pthread_cond_signal(&p->arrived);
    pthread_mutex_unlock(&p->lock);
    return GJ_E_OK;
}

/* gj_pipeline_run's waiting submitter: its outcome, posted once by its job's `done`. */
typedef struct {
    sem_t told;
    gj_err err;
    gj_status status;
} waiter;

static void tell_waiter(void *arg, gj_err err, const gj_status *st) {
    waiter *w = arg;
    w->err = err;
    if (err != GJ_E_OK) w->status = *st;
    sem_post(&w->told);   /* the last touch: the waiter's frame may be gone after it */
}

gj_err gj_pipeline_run(gj_pipeline *p, gj_pipeline_fn fn, void *arg, gj_status *st) {
    waiter w = {.err = GJ_E_OK};
    int made = sem_init(&w.told, 0, 0);
    assert(made == 0);
    (void)made;
    gj_pipeline_job j;
    gj_err err = gj_pipeline_submit(p, &j, fn, arg, tell_waiter, &w, &w.status);   /* refused: why */
    if (err == GJ_E_OK) {
        while (sem_wait(&w.told) != 0) assert(errno == EINTR);
        err = w.err;
    }
    sem_destroy(&w.told);
    if (err != GJ_E_OK && st != NULL) *st = w.status;
    return err;
}

void gj_pipeline_get_stats(gj_pipeline *p, gj_pipeline_stats *out) {
    pthread_mutex_lock(&p->lock);
    *out = p->stats;
    pthread_mutex_unlock(&p->lock);
    out->checkpoints = gj_store_background_checkpoints_run(gj_engine_store(p->engine));
}
