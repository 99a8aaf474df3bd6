/* pipeline.h — the write pipeline with group commit.
 *
 * One writer thread owns a write engine and applies submitted commands in arrival order, many
 * per store transaction: it takes what is queued (up to batch_max), optionally waits up to
 * wait_us for more, opens a batch (gj_store_batch_begin), runs each command — the engine's own
 * per-command transaction becomes a savepoint, so a refused command undoes only itself — then
 * commits once and only then wakes every submitter. A submitter therefore learns "committed"
 * only after its writes are durable (synchronous=FULL), and "failed" for every command of a
 * batch whose commit failed. Reads do not belong here: they run on their own connections.
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

typedef struct {
    uint64_t batches, commands, failed_batches;
    /* the pipeline's syncs (the syncer's, or the writer's when nothing else waits), each for
     * every committed batch then waiting */
    uint64_t syncs;
    uint64_t checkpoints;   /* the store's background checkpoints (gj_store_background_checkpoints) */
    uint64_t size_bucket[GJ_PIPELINE_HISTOGRAM_BUCKETS];   /* bucket b: sizes ≤ 2^b (last: more) */
} gj_pipeline_stats;

/* Start the writer on `e` (the pipeline does not own it; close it after gj_pipeline_stop). */
gj_err gj_pipeline_start(gj_engine *e, const gj_pipeline_config *c, gj_pipeline **out,
                         gj_status *st);
/* Finish every queued command, stop the writer, free the pipeline. NULL is allowed. */
void gj_pipeline_stop(gj_pipeline *p);
/* Run `fn(engine, arg)` on the writer and wait until its batch is durable: GJ_E_OK, or the
 * batch's failure in *st (then nothing the command did was kept). Thread-safe. */
gj_err gj_pipeline_run(gj_pipeline *p, gj_pipeline_fn fn, void *arg, gj_status *st);
void gj_pipeline_get_stats(gj_pipeline *p, gj_pipeline_stats *out);
/* Upper bound of histogram bucket b (0 for the last, open bucket). */
unsigned gj_pipeline_bucket_le(int b);

#endif
