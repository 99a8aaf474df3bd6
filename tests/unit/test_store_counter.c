/* test_store_counter.c — named id counters (src/store/counter.c) inside and outside a
 * group-commit batch: ids are consecutive and never handed out twice; inside a batch the
 * counter row is written once at commit (not per id), a command rolled back gives its ids back
 * (whether its counter's first use in the batch was in it or before it), a failed batch keeps
 * nothing, and reading the row by SQL within a batch (after gj_store_counters_flush) sees
 * every id taken. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "gongji/store.h"
#include "store_fixture.h"

TestSuite(store_counter, .init = open_store, .fini = close_store);

/* next_value in the counter row as SQL sees it; 0 when the row does not exist. */
static int64_t row_next(const char *name) {
    int64_t v = 0;
    gj_status st;
    gj_err e = gj_store_one_int(s, "SELECT next_value FROM counter WHERE name = $1",
                                GJ_PARAMS(P_TEXT(name)), &v, &st);
    cr_assert(e == GJ_E_OK || e == GJ_E_NOT_FOUND, "%s", st.detail);
    return e == GJ_E_OK ? v : 0;
}

/* One command (a savepoint inside a batch) taking N ids of NAME, kept or rolled back; its
 * first id. */
static int64_t command_ids(const char *name, int n, bool keep) {
    gj_status st;
    int64_t first = 0, id = 0;
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    for (int i = 0; i < n; i++) {
        cr_assert_eq(gj_store_next_id(s, name, &id, &st), GJ_E_OK, "%s", st.detail);
        if (i == 0) first = id;
        cr_assert_eq(id, first + i, "ids of one command are consecutive");
    }
    if (keep)
        cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK, "%s", st.detail);
    else
        gj_store_rollback(s);
    return first;
}

Test(store_counter, outside_a_batch_every_id_is_written) {
    cr_assert_eq(command_ids("entry", 3, true), 1);
    cr_assert_eq(row_next("entry"), 4);
    cr_assert_eq(command_ids("entry", 2, false), 4);
    cr_assert_eq(row_next("entry"), 4, "a rolled-back command gives its ids back");
    cr_assert_eq(command_ids("entry", 1, true), 4);
}

Test(store_counter, a_batch_writes_the_row_at_commit_and_undoes_rolled_back_commands) {
    gj_status st;
    cr_assert_eq(command_ids("entry", 2, true), 1);   /* the row exists: next_value 3 */
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(command_ids("journal", 1, false), 1, "first use in the batch, rolled back");
    cr_assert_eq(row_next("journal"), 0, "its row creation is undone too");
    cr_assert_eq(command_ids("entry", 2, true), 3);
    cr_assert_eq(row_next("entry"), 4, "the first use wrote the row");
    cr_assert_eq(command_ids("entry", 3, true), 5);
    cr_assert_eq(row_next("entry"), 4, "later ids are counted in memory only");
    cr_assert_eq(command_ids("entry", 4, false), 8);
    cr_assert_eq(command_ids("entry", 1, true), 8, "the rolled-back command's ids come back");
    cr_assert_eq(command_ids("journal", 2, true), 1);
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(row_next("entry"), 9, "commit writes the last id taken");
    cr_assert_eq(row_next("journal"), 3);
    cr_assert_eq(command_ids("entry", 1, true), 9, "and the next transaction goes on from it");
}

Test(store_counter, a_failed_batch_keeps_no_id) {
    gj_status st;
    cr_assert_eq(command_ids("entry", 1, true), 1);
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(command_ids("entry", 5, true), 2);
    cr_assert_eq(command_ids("entry", 5, true), 7);
    gj_store_batch_rollback(s);
    cr_assert_eq(gj_store_counters_flush(s, &st), GJ_E_OK, "nothing is left to write: %s", st.detail);
    cr_assert_eq(row_next("entry"), 2);
    cr_assert_eq(command_ids("entry", 1, true), 2);
}

Test(store_counter, flush_within_a_batch_shows_every_id_and_a_rollback_undoes_it) {
    gj_status st;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(command_ids("entry", 2, true), 1);
    cr_assert_eq(command_ids("entry", 2, true), 3);
    cr_assert_eq(gj_store_counters_flush(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(row_next("entry"), 5);
    /* a command that flushes and then is rolled back: row and memo go back together */
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    int64_t id = 0;
    cr_assert_eq(gj_store_next_id(s, "entry", &id, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(id, 5);
    cr_assert_eq(gj_store_counters_flush(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(row_next("entry"), 6);
    gj_store_rollback(s);
    cr_assert_eq(row_next("entry"), 5);
    cr_assert_eq(command_ids("entry", 1, true), 5);
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(row_next("entry"), 6);
}

Test(store_counter, a_bulk_block_within_a_batch_starts_after_the_ids_taken) {
    gj_status st;
    int64_t next = 0;
    bool exists = false;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(command_ids("entry", 1, true), 1);
    cr_assert_eq(command_ids("entry", 3, true), 2);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_ids_peek(s, "entry", &next, &exists, &st), GJ_E_OK, "%s", st.detail);
    cr_assert(exists);
    cr_assert_eq(next, 5, "the peek sees the ids counted in memory");
    cr_assert_eq(gj_store_ids_taken(s, "entry", next + 10, exists, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(command_ids("entry", 1, true), 15);
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(row_next("entry"), 16);
}
