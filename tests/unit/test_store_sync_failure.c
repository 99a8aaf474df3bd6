/* test_store_sync_failure.c — a failed fdatasync of a WAL's owed syncs (sqlite_walbuf.c) is
 * final: Linux reports a writeback error once per open file and may drop the pages it could
 * not write, so once a sync of owed commits failed — whoever saw the failure, the pipeline's
 * syncer or a checkpoint inside the writer's commit — every later attempt to make a commit
 * durable fails too, and the pipeline never answers it: it stops the process instead (tested
 * here through a real pipeline, which must die of SIGABRT before answering).
 * This binary's fdatasync stands in for libc's (the executable's symbol wins): it fails on
 * request, once, as a disk's writeback error would be reported. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file_store_fixture.h"
#include "gongji/engine.h"
#include "gongji/pipeline.h"
#include "gongji/store.h"

static bool fail_next_sync;   /* the next fdatasync of a read-only descriptor (sync_fd) fails */

int fdatasync(int fd) {
    if (fail_next_sync && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY) {
        fail_next_sync = false;
        return -1;
    }
    return fsync(fd);
}

static void setup(void) {
    gj_status st;
    open_file_store();
    cr_assert_eq(gj_store_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY)", &st), GJ_E_OK, "%s", st.detail);
}

TestSuite(store_sync_failure, .init = setup, .fini = close_file_store);

static gj_store_durability visible_commit(int id) {
    gj_status st;
    gj_store_durability d;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_exec(s, "INSERT INTO t (id) VALUES ($1)", GJ_PARAMS(P_INT(id)), NULL, &st), GJ_E_OK, "%s",
                 st.detail);
    cr_assert_eq(gj_store_batch_commit_visible(s, &d, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_not_null(d.wal);
    return d;
}

Test(store_sync_failure, a_failed_sync_fails_every_later_one) {
    gj_status st;
    gj_store_durability first = visible_commit(1);
    fail_next_sync = true;
    cr_expect_neq(gj_store_make_durable(&first, &st), GJ_E_OK, "the failure is reported");
    cr_expect_neq(gj_store_make_durable(&first, &st), GJ_E_OK, "a retry that succeeds proves nothing");
    gj_store_durability later = visible_commit(2);
    cr_expect_neq(gj_store_make_durable(&later, &st), GJ_E_OK, "nor does a later commit's");
}

Test(store_sync_failure, a_failure_seen_by_a_checkpoint_in_the_writer_is_not_forgotten) {
    gj_status st;
    /* a checkpoint inside every commit, as the writer's own at 4,000 frames: it makes the
     * owed sync before copying frames, and its error never reaches the commit */
    cr_assert_eq(gj_store_script(s, "PRAGMA wal_autocheckpoint=1", &st), GJ_E_OK, "%s", st.detail);
    fail_next_sync = true;
    gj_store_durability d = visible_commit(1);
    cr_assert(!fail_next_sync, "the checkpoint inside the commit made the owed sync");
    cr_expect_neq(gj_store_make_durable(&d, &st), GJ_E_OK, "the commit is never reported durable");
}

/* ---- the pipeline: a failed sync stops the process before any answer ---- */

static gj_err run_insert(gj_engine *eng, void *arg) {
    gj_status st;
    gj_store *store = gj_engine_store(eng);
    gj_err e = gj_store_begin(store, &st);
    if (e == GJ_E_OK) e = gj_store_exec(store, "INSERT INTO t (id) VALUES ($1)", GJ_PARAMS(P_INT(*(int *)arg)), NULL, &st);
    if (e == GJ_E_OK) return gj_store_commit(store, &st);
    gj_store_rollback(store);
    return e;
}

/* In a child process: an engine and pipeline on the fixture's store, one batch answered, then
 * one whose sync fails. Exits 1 if that batch is answered. */
static void run_pipeline_with_a_failing_sync(void) {
    char file[1024], policies[1100];
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(policies, sizeof policies, "%s/../../policies", dirname(file));
    gj_status st;
    gj_engine *e = NULL;
    gj_pipeline *p = NULL;
    if (gj_engine_open(store_url, policies, &e, &st) != GJ_E_OK ||
        gj_pipeline_start(e, &(gj_pipeline_config){8, 0}, &p, &st) != GJ_E_OK)
        _exit(3);
    int first = 1, second = 2;
    if (gj_pipeline_run(p, run_insert, &first, &st) != GJ_E_OK) _exit(3);   /* the WAL's first sync is never owed */
    fail_next_sync = true;
    gj_pipeline_run(p, run_insert, &second, &st);
    _exit(1);
}

/* The batch is committed and visible, its sync fails: the pipeline must not answer it (nor
 * anything after it) and stops the process — a restart recovers what the disk holds. */
Test(store_sync_failure, the_pipeline_stops_the_process_instead_of_answering) {
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) run_pipeline_with_a_failing_sync();
    int status = 0;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(!WIFEXITED(status) || WEXITSTATUS(status) != 1, "answered after its sync failed");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "stopped by abort (status %#x)", status);
}
