/* test_store_subjournal.c — a command's savepoint journal in a durable SQLite store stays in
 * memory (src/store/sqlite.c SUBJOURNAL_SPILL_BYTES): inside a group-commit batch every
 * command is a savepoint, and SQLite's default kept only 64 KiB of its journal in memory,
 * spilling the rest of nearly every settlement to a temporary file (SQLite's "etilqs_" files,
 * unlinked at once, so seen only among the process's open descriptors). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_store_fixture.h"
#include "gongji/store.h"

enum { ROWS = 24, ROW_BYTES = 3000 };   /* 24 pages of 4 KiB: 96 KiB, above SQLite's 64 KiB */

TestSuite(store_subjournal, .init = open_file_store, .fini = close_file_store);

/* How many of this process's open descriptors are SQLite temporary files. */
static int open_temp_files(void) {
    DIR *fds = opendir("/proc/self/fd");
    cr_assert_not_null(fds);
    int n = 0;
    for (struct dirent *d; (d = readdir(fds)) != NULL;) {
        char link[sizeof "/proc/self/fd/" + sizeof d->d_name], target[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%s", d->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0) continue;
        target[len] = '\0';
        if (strstr(target, "etilqs_") != NULL) n++;
    }
    closedir(fds);
    return n;
}

static void exec_ok(const char *sql, const gj_param *params, int n) {
    gj_status st;
    cr_assert_eq(gj_store_exec(s, sql, params, n, NULL, &st), GJ_E_OK, "%s", st.detail);
}

static void add_rows(void) {
    gj_status st;
    char text[ROW_BYTES + 1];
    memset(text, 'a', ROW_BYTES);
    text[ROW_BYTES] = '\0';
    cr_assert_eq(gj_store_script(s, "CREATE TABLE wide (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", &st),
                 GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    for (int i = 0; i < ROWS; i++) exec_ok("INSERT INTO wide (v) VALUES ($1)", GJ_PARAMS(P_TEXT(text)));
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK, "%s", st.detail);
}

/* A command (savepoint) in a batch rewrites every page the table had: its journal holds them
 * all, in memory; the rollback of that command still restores them. */
Test(store_subjournal, a_commands_journal_of_many_pages_stays_in_memory) {
    gj_status st;
    add_rows();
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    exec_ok("UPDATE wide SET v = replace(v, 'a', 'b')", GJ_NO_PARAMS);
    cr_expect_eq(open_temp_files(), 0, "the savepoint's journal went to a temporary file");
    gj_store_rollback(s);
    int64_t changed = -1;
    cr_assert_eq(gj_store_one_int(s, "SELECT COUNT(*) FROM wide WHERE v LIKE 'b%'", GJ_NO_PARAMS, &changed, &st),
                 GJ_E_OK, "%s", st.detail);
    cr_expect_eq(changed, 0, "the command's rollback left %lld rows changed", (long long)changed);
    cr_assert_eq(gj_store_batch_commit(s, &st), GJ_E_OK, "%s", st.detail);
}
