/* pipeline.h — the write pipeline with group commit.
 *
 * One writer thread owns a write engine and applies submitted commands in arrival order, many
 * per store transaction: it takes what is queued (up to batch_max), optionally waits up to
 * wait_us for more, opens a batch (gj_store_batch_begin), runs each command — the engine's own
 * per-command transaction becomes a savepoint, so a refused command undoes only itself — then
 * commits once and only then wakes every submitter. A submitter therefore learns "committed"
 * only after its writes are durable (synchronous=FULL), and "failed" for every command of a
 * batch whose commit failed. A submitter either waits (gj_pipeline_run) or is called back
 * (gj_pipeline_submit: gongjid's HTTP threads suspend the request and go on serving others).
 * Reads do not belong here: they run on their own connections.
 * The commit's fsync is taken off the writer (gj_store_batch_commit_visible): a second thread,
 * the syncer, makes committed batches durable and wakes their submitters while the writer runs
 * the next batch — so a reader may see a batch a sync before it is durable, but no submitter
 * is told of it before. While the pipeline runs, the store checkpoints on a thread of its own
 * (gj_store_background_checkpoints), not inside the writer's commits. */
#ifndef GONGJI_PIPELINE_H
#define GONGJI_PIPELINE_H

#include <stdint.h>

#include "gongji/engine.h"

enum {
    GJ_PIPELINE_BATCH_MAX_LIMIT = 4096,     /* largest allowed batch_max */
    GJ_PIPELINE_WAIT_MAX_US = 1000,         /* largest allowed wait_us (the issue's ≤ 1 ms) */
    GJ_PIPELINE_HISTOGRAM_BUCKETS = 14,     /* batch sizes 1, ≤2, ≤4, … ≤4096, more */
};

typedef struct {
    unsigned batch_max;   /* commands per transaction, 1..GJ_PIPELINE_BATCH_MAX_LIMIT */
    unsigned wait_us;     /* after the first command, wait this long for more (0: take what is queued) */
} gj_pipeline_config;

/* A command: runs on the writer thread inside the batch with the write engine. It must leave
 * no command transaction open. Returning GJ_E_STORE tells the writer the batch is broken: the
 * remaining commands are not run and the batch is rolled back (all of them fail). */
typedef gj_err (*gj_pipeline_fn)(gj_engine *e, void *arg);

typedef struct gj_pipeline gj_pipeline;

/* A command's outcome, final: GJ_E_OK once its batch is durable, or the batch's failure in
 * *st (then nothing the command did was kept). Called once, on a pipeline thread (the writer
 * or the syncer), outside the pipeline's lock; it must not block. Once it is called the
 * pipeline no longer touches the job. */
typedef void (*gj_pipeline_done_fn)(void *done_arg, gj_err err, const gj_status *st);

/* A submitted command. The submitter owns the memory (a request's, or a stack frame that waits)
 * and must keep it until `done` is called; the fields are the pipeline's. */
typedef struct gj_pipeline_job {
    gj_pipeline_fn fn;
    void *arg;
    gj_pipeline_done_fn done;
    void *done_arg;
    struct gj_pipeline_job *next;
    gj_err err;                        /* the batch's outcome, for `done` */
    gj_status status;
    gj_store_durability durability;    /* the batch's commit owing its sync (on the batch's last job) */
} gj_pipeline_job;

typedef struct {
    uint64_t batches, commands, failed_batches;
    /* the pipeline's syncs (the syncer's, or the writer's when nothing else waits), each for
     * every committed batch then waiting */
    uint64_t syncs;
    /* time spent, in ns: by the writer running batches (from the first command to the visible
     * commit), and in syncs (the fsync that makes batches durable). batch_run_ns / batches is
     * a batch's mean time on the writer, sync_ns / syncs the disk's mean sync under this load */
    uint64_t batch_run_ns, sync_ns;
    uint64_t checkpoints;   /* the store's background checkpoints (gj_store_background_checkpoints) */
    uint64_t size_bucket[GJ_PIPELINE_HISTOGRAM_BUCKETS];   /* bucket b: sizes ≤ 2^b (last: more) */
} gj_pipeline_stats;

/* Start the writer on `e` (the pipeline does not own it; close it after gj_pipeline_stop). */
gj_err gj_pipeline_start(gj_engine *e, const gj_pipeline_config *c, gj_pipeline **out,
                         gj_status *st);
/* Stop taking commands (gj_pipeline_submit refuses from now on), finish every queued one —
 * each `done` called — and stop the threads. The pipeline stays allocated: submitting to it is
 * still safe (and refused) until gj_pipeline_stop. Idempotent, but not to be called from two
 * threads at once (gongjid calls it once, from the thread that stops the server). */
void gj_pipeline_close(gj_pipeline *p);
/* gj_pipeline_close, then free the pipeline. NULL is allowed. */
void gj_pipeline_stop(gj_pipeline *p);
/* Queue `fn(engine, arg)` without waiting for it: `done(done_arg, …)` will report its outcome.
 * GJ_E_STOPPED when the pipeline is closing (then `done` is never called and nothing ran).
 * Thread-safe. */
gj_err gj_pipeline_submit(gj_pipeline *p, gj_pipeline_job *job, gj_pipeline_fn fn, void *arg,
                          gj_pipeline_done_fn done, void *done_arg, gj_status *st);
/* Run `fn(engine, arg)` on the writer and wait until its batch is durable: GJ_E_OK, or the
 * batch's failure in *st (then nothing the command did was kept). Thread-safe. */
gj_err gj_pipeline_run(gj_pipeline *p, gj_pipeline_fn fn, void *arg, gj_status *st);
void gj_pipeline_get_stats(gj_pipeline *p, gj_pipeline_stats *out);
/* Upper bound of histogram bucket b (0 for the last, open bucket). */
unsigned gj_pipeline_bucket_le(int b);

#endif
