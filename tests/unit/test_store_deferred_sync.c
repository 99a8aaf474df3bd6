/* test_store_deferred_sync.c — commits whose fsync is owed (gj_store_batch_commit_visible,
 * sqlite_walbuf.c's deferred syncs) and the write pipeline that relies on them: such a commit
 * is visible to another connection at once and made durable by one later sync, which also
 * covers every commit owed before it; a checkpoint never copies frames ahead of their sync;
 * a pipeline submitter — alone or among several — is answered only after a sync that followed
 * its commit; and the
 * pipeline's checkpoints run on their own thread (sqlite_checkpointer.c), every row intact. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "file_store_fixture.h"
#include "gongji/pipeline.h"
#include "gongji/store.h"
#include "store/sqlite_walbuf.h"

enum { SEQUENTIAL_RUNS = 20, SUBMITTERS = 6, PER_SUBMITTER = 40, WIDE_COMMANDS = 600, WIDE_ROW_BYTES = 6000, CHECKPOINT_WAIT_MS = 5000 };

static void setup(void) {
    gj_status st;
    open_file_store();
    /* a commit that syncs itself: the WAL's first sync (and its directory's) is never owed */
    cr_assert_eq(gj_store_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)", &st),
                 GJ_E_OK, "%s", st.detail);
}

TestSuite(store_deferred_sync, .init = setup, .fini = close_file_store);

static int64_t count_rows(gj_store *store) {
    gj_status st;
    int64_t n = -1;
    cr_assert_eq(gj_store_one_int(store, "SELECT COUNT(*) FROM t", GJ_NO_PARAMS, &n, &st), GJ_E_OK, "%s", st.detail);
    return n;
}

/* One batch with one row, committed visibly: its durability ticket. */
static gj_store_durability visible_commit(int id) {
    gj_status st;
    gj_store_durability d;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_exec(s, "INSERT INTO t (id, v) VALUES ($1, $1)", GJ_PARAMS(P_INT(id)), NULL, &st),
                 GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_batch_commit_visible(s, &d, &st), GJ_E_OK, "%s", st.detail);
    return d;
}

static void make_durable(const gj_store_durability *d) {
    gj_status st;
    cr_assert_eq(gj_store_make_durable(d, &st), GJ_E_OK, "%s", st.detail);
}

Test(store_deferred_sync, a_visible_commit_owes_its_sync_until_made_durable) {
    uint64_t syncs = sqlite_walbuf_wal_syncs();
    gj_store_durability d = visible_commit(1);
    cr_assert_not_null(d.wal, "a durable SQLite store owes the sync");
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs, "no sync at the commit");
    gj_status st;
    gj_store *other = NULL;
    cr_assert_eq(gj_store_open(store_url, &other, &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(count_rows(other), 1, "visible before it is durable");
    make_durable(&d);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1);
    make_durable(&d);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1, "made once");
    gj_store_close(other);
}

Test(store_deferred_sync, one_sync_covers_every_commit_owed_before_it) {
    gj_store_durability first = visible_commit(1);
    visible_commit(2);
    gj_store_durability last = visible_commit(3);
    cr_assert(last.ticket > first.ticket);
    uint64_t syncs = sqlite_walbuf_wal_syncs();
    make_durable(&last);
    make_durable(&first);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1);
    cr_expect_eq(count_rows(s), 3);
}

Test(store_deferred_sync, a_checkpoint_syncs_what_is_owed_before_copying_frames) {
    gj_store_durability d = visible_commit(1);
    uint64_t syncs = sqlite_walbuf_wal_syncs();
    gj_status st;
    cr_assert_eq(gj_store_script(s, "PRAGMA wal_checkpoint(PASSIVE)", &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1, "the owed sync came first");
    make_durable(&d);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1, "and it covered the commit");
}

Test(store_deferred_sync, an_ordinary_commit_owes_nothing) {
    gj_status st;
    uint64_t syncs = sqlite_walbuf_wal_syncs();
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_exec(s, "INSERT INTO t (id, v) VALUES (7, 7)", GJ_NO_PARAMS, NULL, &st), GJ_E_OK, "%s",
                 st.detail);
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1, "it synced itself");
    gj_store_durability d = visible_commit(8);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 1, "the visible one owes its sync");
    make_durable(&d);
    cr_expect_eq(sqlite_walbuf_wal_syncs(), syncs + 2);
}

/* ---- the pipeline: answered only after its batch's sync ---- */

typedef struct {
    int id;
    int row_bytes;           /* v's text of this many letters, or (0) the integer id */
    uint64_t syncs_at_run;   /* WAL syncs made when the command ran, before its commit */
} insert_cmd;

static gj_err run_insert(gj_engine *eng, void *arg) {
    insert_cmd *c = arg;
    gj_status st;
    gj_store *store = gj_engine_store(eng);
    c->syncs_at_run = sqlite_walbuf_wal_syncs();
    gj_err e = gj_store_begin(store, &st);
    if (e == GJ_E_OK)
        e = gj_store_exec(store, "INSERT INTO t (id, v) VALUES ($1, CASE WHEN $2 > 0 THEN printf('%.*c', $2, 'x') ELSE $1 END)",
                          GJ_PARAMS(P_INT(c->id), P_INT(c->row_bytes)), NULL, &st);
    if (e == GJ_E_OK) return gj_store_commit(store, &st);
    gj_store_rollback(store);
    return e;
}

/* An engine on the fixture's store with a pipeline of batches up to 8. */
static gj_pipeline *start_pipeline(gj_engine **e) {
    char file[1024], policies[1100];
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(policies, sizeof policies, "%s/../../policies", dirname(file));
    gj_status st;
    cr_assert_eq(gj_engine_open(store_url, policies, e, &st), GJ_E_OK, "%s", st.detail);
    gj_pipeline *p = NULL;
    cr_assert_eq(gj_pipeline_start(*e, &(gj_pipeline_config){8, 0}, &p, &st), GJ_E_OK, "%s", st.detail);
    return p;
}

Test(store_deferred_sync, a_submitter_is_answered_after_a_sync_that_followed_its_commit) {
    gj_status st;
    gj_engine *e = NULL;
    gj_pipeline *p = start_pipeline(&e);
    for (int i = 0; i < SEQUENTIAL_RUNS; i++) {
        insert_cmd c = {.id = 100 + i};
        cr_assert_eq(gj_pipeline_run(p, run_insert, &c, &st), GJ_E_OK, "%s", st.detail);
        cr_assert(sqlite_walbuf_wal_syncs() > c.syncs_at_run, "run %d answered before any sync after it", i);
    }
    gj_pipeline_stats stats;
    gj_pipeline_get_stats(p, &stats);
    gj_pipeline_stop(p);
    gj_engine_close(e);
    cr_expect_eq(stats.syncs, SEQUENTIAL_RUNS, "one sync per batch when they come one at a time");
    cr_expect_eq(count_rows(s), SEQUENTIAL_RUNS);
}

typedef struct {
    gj_pipeline *p;
    int first_id;
    atomic_int *early;   /* answers that came before any sync after their command */
} submitter_arg;

static void *submit_many(void *arg) {
    submitter_arg *a = arg;
    for (int i = 0; i < PER_SUBMITTER; i++) {
        insert_cmd c = {.id = a->first_id + i};
        gj_status st;
        if (gj_pipeline_run(a->p, run_insert, &c, &st) != GJ_E_OK || sqlite_walbuf_wal_syncs() <= c.syncs_at_run)
            atomic_fetch_add(a->early, 1);
    }
    return NULL;
}

/* Concurrent submitters: batches queue behind each other, so most are synced by the syncer
 * while the writer runs the next one. */
Test(store_deferred_sync, concurrent_submitters_are_answered_after_their_sync) {
    gj_engine *e = NULL;
    gj_pipeline *p = start_pipeline(&e);
    atomic_int early = 0;
    pthread_t threads[SUBMITTERS];
    submitter_arg args[SUBMITTERS];
    for (int t = 0; t < SUBMITTERS; t++) {
        args[t] = (submitter_arg){.p = p, .first_id = 10000 * (t + 1), .early = &early};
        cr_assert_eq(pthread_create(&threads[t], NULL, submit_many, &args[t]), 0);
    }
    for (int t = 0; t < SUBMITTERS; t++) pthread_join(threads[t], NULL);
    gj_pipeline_stats stats;
    gj_pipeline_get_stats(p, &stats);
    gj_pipeline_stop(p);
    gj_engine_close(e);
    cr_expect_eq(atomic_load(&early), 0, "answered before a sync that followed the command");
    cr_expect_lt(stats.syncs, stats.commands, "syncs shared by several commands");
    cr_expect_eq(count_rows(s), SUBMITTERS * PER_SUBMITTER);
}

Test(store_deferred_sync, the_pipelines_checkpoints_run_on_their_own_thread) {
    gj_status st;
    gj_engine *e = NULL;
    gj_pipeline *p = start_pipeline(&e);
    for (int i = 0; i < WIDE_COMMANDS; i++) {   /* ~3 frames each: past SQLite's 1,000 */
        insert_cmd c = {.id = 1000 + i, .row_bytes = WIDE_ROW_BYTES};
        cr_assert_eq(gj_pipeline_run(p, run_insert, &c, &st), GJ_E_OK, "%s", st.detail);
    }
    gj_pipeline_stats stats = {0};
    for (int waited_ms = 0; stats.checkpoints == 0 && waited_ms < CHECKPOINT_WAIT_MS; waited_ms += 10) {
        gj_pipeline_get_stats(p, &stats);
        if (stats.checkpoints == 0) usleep(10 * 1000);
    }
    gj_pipeline_stop(p);
    gj_engine_close(e);
    cr_expect_gt(stats.checkpoints, 0, "the checkpointer ran");
    cr_expect_eq(count_rows(s), WIDE_COMMANDS);
    int64_t wrong = -1;
    cr_assert_eq(gj_store_one_int(s, "SELECT COUNT(*) FROM t WHERE length(v) <> 6000", GJ_NO_PARAMS, &wrong, &st),
                 GJ_E_OK, "%s", st.detail);
    cr_expect_eq(wrong, 0);
    char ok[8] = "";
    gj_rows *r = NULL;
    cr_assert_eq(gj_store_query(s, "PRAGMA integrity_check", GJ_NO_PARAMS, &r, &st), GJ_E_OK, "%s", st.detail);
    if (gj_rows_next(r)) snprintf(ok, sizeof ok, "%s", gj_rows_text(r, 0));
    gj_rows_end(r);
    cr_expect_str_eq(ok, "ok");
}
