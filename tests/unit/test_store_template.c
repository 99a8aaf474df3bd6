/* test_store_template.c — unit tests for the in-memory store template (sqlite_template.c): the
 * first in-memory throwaway store of a process is kept once migrated, and every later one is a
 * copy of it — the same schema as a store migrated from nothing, none of the earlier stores'
 * rows, and its own connection settings (no rollback journal with rollback=off). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/store.h"

static gj_store *open_store(const char *url) {
    gj_status st;
    gj_store *s = NULL;
    cr_assert_eq(gj_store_open(url, &s, &st), GJ_E_OK, "%s: %s", url, st.detail);
    return s;
}

/* The first column of the one row `sql` answers, copied to out. */
static void one_text(gj_store *s, const char *sql, char *out, size_t size) {
    gj_rows *rows = NULL;
    gj_status st;
    cr_assert_eq(gj_store_query(s, sql, GJ_NO_PARAMS, &rows, &st), GJ_E_OK, "%s", st.detail);
    cr_assert(gj_rows_next(rows));
    snprintf(out, size, "%s", gj_rows_text(rows, 0) ? gj_rows_text(rows, 0) : "");
    gj_rows_end(rows);
}

static const char schema_sql[] =
    "SELECT group_concat(type || ' ' || name || ': ' || COALESCE(sql, ''), char(10)) "
    "FROM (SELECT * FROM sqlite_master ORDER BY type, name)";

static int64_t count(gj_store *s, const char *sql) {
    int64_t n = -1;
    gj_status st;
    cr_assert_eq(gj_store_one_int(s, sql, GJ_NO_PARAMS, &n, &st), GJ_E_OK, "%s", st.detail);
    return n;
}

Test(store_template, later_memory_stores_are_copies_of_the_first_migrated_one) {
    static char schema_first[65536], schema_copy[65536], mode[32];
    gj_status st;
    gj_store *first = open_store("sqlite::memory:?sync=off");
    one_text(first, schema_sql, schema_first, sizeof schema_first);
    cr_assert_gt(strlen(schema_first), 1000, "the whole schema");
    cr_assert_eq(gj_store_exec(first, "INSERT INTO counter (name, next_value) VALUES ('t-first', 1)",
                               GJ_NO_PARAMS, NULL, &st), GJ_E_OK, "%s", st.detail);

    gj_store *copy = open_store("sqlite::memory:?sync=off&rollback=off");
    one_text(copy, schema_sql, schema_copy, sizeof schema_copy);
    cr_expect_str_eq(schema_copy, schema_first, "the same tables, indexes and columns");
    cr_expect_eq(count(copy, "SELECT COUNT(*) FROM schema_version"),
                 count(first, "SELECT COUNT(*) FROM schema_version"), "every version applied");
    cr_expect_eq(count(copy, "SELECT COUNT(*) FROM counter WHERE name = 't-first'"), 0,
                 "none of the first store's later rows");
    one_text(copy, "PRAGMA journal_mode", mode, sizeof mode);
    cr_expect_str_eq(mode, "off", "the copy keeps its own connection's settings");
    cr_expect_eq(count(copy, "PRAGMA page_size"), count(first, "PRAGMA page_size"));
    cr_assert_eq(gj_store_exec(copy, "INSERT INTO counter (name, next_value) VALUES ('t-copy', 1)",
                               GJ_NO_PARAMS, NULL, &st), GJ_E_OK, "%s", st.detail);
    cr_expect_eq(count(first, "SELECT COUNT(*) FROM counter WHERE name = 't-copy'"), 0, "stores are apart");
    gj_store_close(copy);
    gj_store_close(first);
}

/* A store migrated from nothing (a file, never from the template) has the copy's schema. */
Test(store_template, copies_match_a_store_migrated_from_nothing) {
    static char schema_file[65536], schema_copy[65536];
    char dir[] = "/tmp/gj-store-template-XXXXXX", url[96], cmd[96];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/fresh.db?sync=off", dir);
    gj_store_close(open_store("sqlite::memory:?sync=off"));   /* kept as the template */
    gj_store *copy = open_store("sqlite::memory:?sync=off");
    gj_store *file = open_store(url);
    one_text(copy, schema_sql, schema_copy, sizeof schema_copy);
    one_text(file, schema_sql, schema_file, sizeof schema_file);
    cr_expect_str_eq(schema_copy, schema_file);
    gj_store_close(file);
    gj_store_close(copy);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
