/* pipeline.c — the writer thread of the group-commit pipeline (pipeline.h): a FIFO of jobs
 * living on their submitters' stacks, batches of up to batch_max run inside one store batch
 * transaction, one commit, then every submitter of the batch is woken. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "gongji/pipeline.h"

enum { NS_PER_US = 1000, NS_PER_S = 1000000000 };

typedef struct job {
    gj_pipeline_fn fn;
    void *arg;
    struct job *next;
    bool done;
    gj_err err;           /* the batch outcome */
    gj_status status;
    pthread_cond_t woken;
} job;

struct gj_pipeline {
    gj_engine *engine;
    gj_pipeline_config config;
    pthread_t writer;
    pthread_mutex_t lock;
    pthread_cond_t arrived;          /* a job was queued, or stopping */
    job *head, *tail;
    unsigned queued;
    bool stopping;
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

/* Outside the lock: one transaction for the whole batch. */
static gj_err run_batch(gj_pipeline *p, job *batch, gj_status *st) {
    gj_store *store = gj_engine_store(p->engine);
    gj_err err = gj_store_batch_begin(store, st);
    for (job *j = batch; err == GJ_E_OK && j != NULL; j = j->next) {
        gj_err cmd = j->fn(p->engine, j->arg);
        assert(!gj_store_in_tx(store));   /* commands close their own transaction */
        if (cmd == GJ_E_STORE) err = gj_fail(st, GJ_E_STORE, "a command of this batch hit a store error");
    }
    if (err == GJ_E_OK) return gj_store_batch_commit(store, st);
    gj_store_batch_rollback(store);
    return err;
}

static void *writer_main(void *arg) {
    gj_pipeline *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        unsigned count = 0;
        job *batch = take_batch(p, &count);
        if (batch == NULL) break;
        pthread_mutex_unlock(&p->lock);
        gj_status st;
        gj_status_clear(&st);
        gj_err err = run_batch(p, batch, &st);
        pthread_mutex_lock(&p->lock);
        p->stats.batches++;
        p->stats.commands += count;
        p->stats.failed_batches += err != GJ_E_OK;
        p->stats.size_bucket[bucket_of(count)]++;
        for (job *j = batch, *next = NULL; j != NULL; j = next) {
            next = j->next;   /* j may be gone once woken */
            j->err = err;
            j->status = st;
            j->done = true;
            pthread_cond_signal(&j->woken);
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
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
    if (pthread_create(&p->writer, NULL, writer_main, p) != 0) {
        pthread_cond_destroy(&p->arrived);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return gj_fail(st, GJ_E_INTERNAL, "pipeline: cannot start the writer thread");
    }
    *out = p;
    return GJ_E_OK;
}

void gj_pipeline_stop(gj_pipeline *p) {
    if (p == NULL) return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_signal(&p->arrived);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->writer, NULL);
    assert(p->head == NULL);
    pthread_cond_destroy(&p->arrived);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

gj_err gj_pipeline_run(gj_pipeline *p, gj_pipeline_fn fn, void *arg, gj_status *st) {
    assert(p != NULL && fn != NULL);
    job j = {.fn = fn, .arg = arg};
    pthread_cond_init(&j.woken, NULL);
    pthread_mutex_lock(&p->lock);
    assert(!p->stopping);
    if (p->tail != NULL) p->tail->next = &j;
    else p->head = &j;
    p->tail = &j;
    p->queued++;
    pthread_cond_signal(&p->arrived);
    while (!j.done) pthread_cond_wait(&j.woken, &p->lock);
    pthread_mutex_unlock(&p->lock);
    pthread_cond_destroy(&j.woken);
    if (j.err != GJ_E_OK && st != NULL) *st = j.status;
    return j.err;
}

void gj_pipeline_get_stats(gj_pipeline *p, gj_pipeline_stats *out) {
    pthread_mutex_lock(&p->lock);
    *out = p->stats;
    pthread_mutex_unlock(&p->lock);
}
