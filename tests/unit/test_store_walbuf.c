/* test_store_walbuf.c — the VFS of durable SQLite stores (src/store/sqlite_walbuf.c): a
 * commit's WAL frames reach the file in a few gathered writes (SQLite makes two per frame),
 * and the file is what SQLite would have written without the gathering: another connection
 * sees every committed row; a transaction larger than the page cache, whose pages SQLite
 * writes to the WAL before the commit and reads back from it, commits the right values; one
 * rolled back leaves nothing — not even later, when another connection has committed frames
 * where the undone ones were; and the store verifies its own integrity afterwards. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_store_fixture.h"
#include "gongji/store.h"
#include "store/sqlite_walbuf.h"

enum { ROW_BYTES = 1000, PAGE_BYTES = 4096 };

static gj_store *open_another(void) {
    gj_status st;
    gj_store *store = NULL;
    cr_assert_eq(gj_store_open(store_url, &store, &st), GJ_E_OK, "%s", st.detail);
    return store;
}

static void setup(void) {
    gj_status st;
    open_file_store();
    cr_assert_eq(gj_store_script(s, "CREATE TABLE wide (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", &st),
                 GJ_E_OK, "%s", st.detail);
}

TestSuite(store_walbuf, .init = setup, .fini = close_file_store);

static int64_t one_int(gj_store *store, const char *sql) {
    gj_status st;
    int64_t v = -1;
    cr_assert_eq(gj_store_one_int(store, sql, GJ_NO_PARAMS, &v, &st), GJ_E_OK, "%s", st.detail);
    return v;
}

static void expect_rows(gj_store *store, int n);

/* Rows first+1 .. first+n, each v ROW_BYTES of the letter for its id, in one transaction that
 * reads every row back before it ends (with a small cache: from the WAL's frames). */
static void insert_rows(int first, int n, bool commit) {
    gj_status st;
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    for (int id = first + 1; id <= first + n; id++)
        cr_assert_eq(gj_store_exec(s, "INSERT INTO wide (id, v) VALUES ($1, printf('%.*c', $2, char(65 + $1 % 26)))",
                                   GJ_PARAMS(P_INT(id), P_INT(ROW_BYTES)), NULL, &st),
                     GJ_E_OK, "%s", st.detail);
    expect_rows(s, first + n);
    if (commit) cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK, "%s", st.detail);
    else gj_store_rollback(s);
}

/* Every row's content is what insert_rows wrote for its id. */
static void expect_rows(gj_store *store, int n) {
    cr_expect_eq(one_int(store, "SELECT COUNT(*) FROM wide"), n);
    cr_expect_eq(one_int(store, "SELECT COUNT(*) FROM wide WHERE length(v) <> 1000 OR "
                                "substr(v, 1, 1) <> char(65 + id % 26) OR substr(v, 1000, 1) <> char(65 + id % 26)"),
                 0);
}

Test(store_walbuf, a_commit_is_a_few_writes_and_visible_to_another_connection) {
    uint64_t before = sqlite_walbuf_file_writes();
    insert_rows(0, 200, true);   /* ~50 pages of 4 KiB: ~100 writes by SQLite */
    uint64_t writes = sqlite_walbuf_file_writes() - before;
    cr_expect(writes >= 1 && writes <= 8, "%llu gathered writes for one commit", (unsigned long long)writes);
    gj_store *other = open_another();
    expect_rows(other, 200);
    gj_store_close(other);
}

Test(store_walbuf, a_transaction_larger_than_the_cache_reads_its_own_frames_back) {
    gj_status st;
    cr_assert_eq(gj_store_script(s, "PRAGMA cache_size=8", &st), GJ_E_OK, "%s", st.detail);
    insert_rows(0, 400, true);   /* ~100 pages through a cache of 8: spilled, read back */
    insert_rows(400, 400, false);   /* spilled, then rolled back */
    insert_rows(400, 100, true);
    expect_rows(s, 500);
    gj_store *other = open_another();
    expect_rows(other, 500);
    cr_expect_eq(one_int(other, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
    gj_store_close(other);
}

static void exec_ok(gj_store *store, const char *sql) {
    gj_status st;
    cr_assert_eq(gj_store_exec(store, sql, GJ_NO_PARAMS, NULL, &st), GJ_E_OK, "%s: %s", sql, st.detail);
}

/* Found in review: the rolled-back transaction's spilled frames stayed in its buffer, and its
 * next read wrote them over the frames another connection had committed at the same offsets
 * (376 of 400 committed rows came back as the undone values, integrity_check still "ok"). */
Test(store_walbuf, an_undone_transactions_frames_never_land_on_anothers_commit) {
    gj_status st;
    insert_rows(0, 400, true);
    cr_assert_eq(gj_store_script(s, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA cache_size=8", &st), GJ_E_OK, "%s",
                 st.detail);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
    exec_ok(s, "UPDATE wide SET v = printf('%.*c', 1000, 'z')");   /* spills; the file does not grow */
    gj_store_rollback(s);
    gj_store *other = open_another();
    exec_ok(other, "UPDATE wide SET v = printf('%.*c', 1000, 'y')");
    cr_expect_eq(one_int(s, "SELECT COUNT(*) FROM wide WHERE v = printf('%.*c', 1000, 'y')"), 400);
    gj_store_close(other);
    other = open_another();   /* a fresh page cache: what the file holds */
    cr_expect_eq(one_int(other, "SELECT COUNT(*) FROM wide WHERE v = printf('%.*c', 1000, 'y')"), 400);
    gj_store_close(other);
}

/* The VFS's contract (synchronous=FULL) holds at run time: lowering it fails, changes nothing. */
Test(store_walbuf, synchronous_cannot_be_lowered) {
    gj_status st;
    const char *lowering[] = {"PRAGMA synchronous=NORMAL", "PRAGMA synchronous=off", "PRAGMA main.synchronous=1",
                              "PRAGMA synchronous='normal'", "PRAGMA synchronous=0"};
    for (size_t i = 0; i < sizeof lowering / sizeof lowering[0]; i++) {
        cr_expect_eq(gj_store_script(s, lowering[i], &st), GJ_E_STORE, "%s was accepted", lowering[i]);
        cr_expect(strstr(st.detail, "synchronous=FULL") != NULL, "%s: %s", lowering[i], st.detail);
        cr_expect_eq(one_int(s, "PRAGMA synchronous"), 2, "after %s", lowering[i]);
    }
    cr_expect_eq(gj_store_script(s, "PRAGMA synchronous=FULL; PRAGMA synchronous=extra", &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(one_int(s, "PRAGMA synchronous"), 3);
    insert_rows(0, 10, true);
    expect_rows(s, 10);
}
