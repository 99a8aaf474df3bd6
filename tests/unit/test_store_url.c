/* test_store_url.c — unit tests for store URLs: the default SQLite store is durable
 * (synchronous=FULL, WAL); "sqlite:PATH?sync=off" opens a throwaway store (synchronous=OFF,
 * journal in memory); "?sync=off&rollback=off" one without any rollback journal, spoiled by an
 * undo after a write or a failed statement; unknown URL options are usage errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gongji/store.h"

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/gj-store-url-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(store_url, .init = make_dir, .fini = remove_dir);

static int64_t pragma(gj_store *s, const char *sql) {
    int64_t v = -1;
    gj_status st;
    cr_assert_eq(gj_store_one_int(s, sql, GJ_NO_PARAMS, &v, &st), GJ_E_OK, "%s", st.detail);
    return v;
}

static gj_store *open_url(const char *fmt) {
    char url[128];
    gj_status st;
    gj_store *s = NULL;
    snprintf(url, sizeof url, fmt, dir);
    cr_assert_eq(gj_store_open(url, &s, &st), GJ_E_OK, "%s: %s", url, st.detail);
    return s;
}

Test(store_url, default_store_is_durable) {
    gj_store *s = open_url("sqlite:%s/full.db");
    cr_expect_eq(pragma(s, "PRAGMA synchronous"), 2);   /* FULL */
    gj_store_close(s);
}

Test(store_url, sync_off_is_a_throwaway_store) {
    gj_store *s = open_url("sqlite:%s/fast.db?sync=off");
    cr_expect_eq(pragma(s, "PRAGMA synchronous"), 0);   /* OFF */
    cr_expect_eq(pragma(s, "SELECT COUNT(*) FROM schema_version") > 0, 1);
    gj_store_close(s);
    cr_expect_eq(access("/tmp/fast.db", F_OK), -1, "the option is not part of the file name");
}

/* Options that are unknown, or rollback=off without sync=off, are usage errors. */
Test(store_url, unknown_option_is_refused) {
    const char *options[] = {"?cache=big", "?rollback=off", "?rollback=off&sync=off"};
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char url[128];
        gj_status st;
        gj_store *s = NULL;
        snprintf(url, sizeof url, "sqlite:%s/x.db%s", dir, options[i]);
        cr_expect_eq(gj_store_open(url, &s, &st), GJ_E_USAGE, "%s", options[i]);
        cr_expect_null(s);
        cr_expect_not_null(strstr(st.detail, options[i]));
    }
}

/* ---- ?sync=off&rollback=off: no rollback journal, no savepoints; an undo after a write spoils ---- */

static int64_t counter_rows(gj_store *s) {
    return pragma(s, "SELECT COUNT(*) FROM counter WHERE name LIKE 't%'");
}

static gj_err insert_counter(gj_store *s, const char *name, gj_status *st) {
    return gj_store_exec(s, "INSERT INTO counter (name, next_value) VALUES ($1, 1)",
                         GJ_PARAMS(P_TEXT(name)), NULL, st);
}

static gj_store *open_without_rollback(void) {
    gj_store *s = open_url("sqlite:%s/norollback.db?sync=off&rollback=off");
    gj_rows *rows = NULL;
    gj_status st;
    cr_assert_eq(gj_store_query(s, "PRAGMA journal_mode", GJ_NO_PARAMS, &rows, &st), GJ_E_OK);
    cr_assert(gj_rows_next(rows));
    cr_expect_str_eq(gj_rows_text(rows, 0), "off");
    gj_rows_end(rows);
    return s;
}

/* A batch begun and a command in it that has written row t1. */
static void command_wrote_row(gj_store *s) {
    gj_status st;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(insert_counter(s, "t1", &st), GJ_E_OK, "%s", st.detail);
}

Test(store_url, rollback_off_keeps_commands_that_undo_nothing) {
    gj_store *s = open_without_rollback();
    gj_status st;
    int64_t id = 0, again = 0;
    command_wrote_row(s);
    cr_assert_eq(gj_store_next_id(s, "entry", &id, &st), GJ_E_OK);   /* the batch writes its row */
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK);   /* refused before it wrote: nothing lost */
    cr_assert_eq(gj_store_next_id(s, "entry", &id, &st), GJ_E_OK, "%s", st.detail);
    gj_store_rollback(s);
    cr_expect_not(gj_store_spoiled(s));
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_next_id(s, "entry", &again, &st), GJ_E_OK);
    cr_expect_eq(again, id, "the undone command's id is handed out again");
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK);
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(counter_rows(s), 1);
    gj_store_close(s);
}

Test(store_url, rollback_off_is_spoiled_by_an_undo_after_a_write) {
    gj_store *s = open_without_rollback();
    gj_status st;
    command_wrote_row(s);
    gj_store_rollback(s);   /* the row cannot be taken back */
    cr_expect(gj_store_spoiled(s));
    cr_expect_eq(gj_store_begin(s, &st), GJ_E_STORE, "no further command");
    cr_expect_eq(gj_store_batch_commit(s, &st), GJ_E_STORE, "nothing of the batch is kept");
    cr_expect_not_null(strstr(st.detail, "rollback journal"));
    cr_expect_eq(gj_store_batch_begin(s, &st), GJ_E_STORE, "no further batch");
    gj_store_close(s);
}

Test(store_url, rollback_off_is_spoiled_by_a_failed_statement) {
    gj_store *s = open_without_rollback();
    gj_status st;
    command_wrote_row(s);
    cr_expect_eq(insert_counter(s, "t1", &st), GJ_E_DUPLICATE);
    cr_expect(gj_store_spoiled(s));
    gj_store_rollback(s);
    cr_expect_eq(gj_store_batch_commit(s, &st), GJ_E_STORE);
    gj_store_close(s);
}

Test(store_url, a_store_with_rollback_undoes_only_the_command) {
    gj_store *s = open_url("sqlite:%s/rollback.db?sync=off");
    gj_status st;
    command_wrote_row(s);
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK);
    cr_assert_eq(insert_counter(s, "t2", &st), GJ_E_OK);
    gj_store_rollback(s);
    cr_expect_not(gj_store_spoiled(s));
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(counter_rows(s), 1, "t1 kept, t2 undone");
    gj_store_close(s);
}
