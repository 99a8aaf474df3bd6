/* test_import_batch.c — the import's multi-row INSERTs (src/engine/import_batch.c): the full
 * batch's SQL numbers its parameters row after row; rows are written in the order added, full
 * batches as they fill and the rest at the flush; text values are copied when added, so the
 * caller's buffer may change before the batch is written. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "engine/import_batch.h"
#include "gongji/store.h"

static gj_store *s;

static void open_store(void) {
    gj_status st;
    cr_assert_eq(gj_store_open(":memory:", &s, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_script(s, "CREATE TABLE t (n INTEGER NOT NULL, label TEXT NOT NULL)", &st),
                 GJ_E_OK, "%s", st.detail);
}

static void close_store(void) { gj_store_close(s); }

TestSuite(import_batch, .init = open_store, .fini = close_store);

static import_batch_sql two_columns;   /* built once per test; never changed after */

static void build_two_columns(void) {
    import_batch_sql_build(&two_columns, "INSERT INTO t (n, label)", 2,
                           "INSERT INTO t (n, label) VALUES ($1, $2)");
}

Test(import_batch, full_sql_numbers_parameters_row_after_row) {
    build_two_columns();
    cr_assert_eq(two_columns.rows, GJ_STORE_PARAMS_MAX / 2);
    cr_assert(strncmp(two_columns.full, "INSERT INTO t (n, label) VALUES ($1,$2),($3,$4),", 48) == 0, "%s",
              two_columns.full);
    char last[32];
    snprintf(last, sizeof last, ",($%d,$%d)", GJ_STORE_PARAMS_MAX - 1, GJ_STORE_PARAMS_MAX);
    size_t n = strlen(two_columns.full), k = strlen(last);
    cr_assert(n > k && strcmp(two_columns.full + n - k, last) == 0, "%s", two_columns.full);
}

static int64_t count_rows(const char *sql) {
    int64_t v = -1;
    gj_status st;
    cr_assert_eq(gj_store_one_int(s, sql, GJ_NO_PARAMS, &v, &st), GJ_E_OK, "%s", st.detail);
    return v;
}

/* Add `rows` rows (n = 0.., label "row-<n>" from one reused buffer), counting the rows the
 * table has before the flush; then flush. */
static int64_t add_rows(int rows) {
    import_batch b;
    gj_status st;
    char label[16];
    build_two_columns();
    import_batch_begin(&b, &two_columns);
    for (int i = 0; i < rows; i++) {
        snprintf(label, sizeof label, "row-%d", i);
        const gj_param row[] = {P_INT(i), P_TEXT(label)};
        cr_assert_eq(import_batch_add(s, &b, row, &st), GJ_E_OK, "%s", st.detail);
    }
    int64_t before_flush = count_rows("SELECT count(*) FROM t");
    cr_assert_eq(import_batch_flush(s, &b, &st), GJ_E_OK, "%s", st.detail);
    return before_flush;
}

Test(import_batch, rows_written_in_order_full_batches_first) {
    int per_batch = GJ_STORE_PARAMS_MAX / 2, rows = 2 * per_batch + 7;
    cr_assert_eq(add_rows(rows), 2 * per_batch, "two full batches before the flush");
    cr_assert_eq(count_rows("SELECT count(*) FROM t"), rows);
    cr_assert_eq(count_rows("SELECT count(*) FROM t WHERE label = 'row-' || n"), rows,
                 "labels copied per row");
    cr_assert_eq(count_rows("SELECT count(*) FROM t WHERE rowid != n + 1"), 0, "in the order added");
}

Test(import_batch, exactly_full_leaves_nothing_to_flush) {
    int per_batch = GJ_STORE_PARAMS_MAX / 2;
    cr_assert_eq(add_rows(per_batch), per_batch);
    cr_assert_eq(count_rows("SELECT count(*) FROM t"), per_batch);
}
