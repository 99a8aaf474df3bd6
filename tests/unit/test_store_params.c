/* test_store_params.c — a statement's parameters as the SQLite backend binds them
 * (src/store/sqlite.c bind_params): the statement cache reuses a prepared statement without
 * clearing its values at every release, so a use that passes fewer parameters than the
 * statement has must still see NULL for the rest, never the previous use's values. */
#include <criterion/criterion.h>
#include <string.h>

#include "gongji/store.h"
#include "store_fixture.h"

TestSuite(store_params, .init = open_store, .fini = close_store);

/* One statement (the cache knows it by this pointer), used with 2 then 1 then 2 parameters. */
static const char two_params_sql[] = "SELECT COALESCE($1, -1), COALESCE($2, 'none')";

static void expect_row(const gj_param *params, int n, int64_t first, const char *second) {
    gj_status st;
    gj_rows *rows = NULL;
    cr_assert_eq(gj_store_query(s, two_params_sql, params, n, &rows, &st), GJ_E_OK, "%s", st.detail);
    cr_assert(gj_rows_next(rows));
    cr_expect_eq(gj_rows_int(rows, 0), first);
    cr_expect_str_eq(gj_rows_text(rows, 1), second);
    gj_rows_end(rows);
}

Test(store_params, a_later_use_with_fewer_parameters_sees_null) {
    char text[16];
    strcpy(text, "first");   /* bound without a copy: overwritten before the next use */
    expect_row(GJ_PARAMS(P_INT(5), P_TEXT(text)), 5, "first");
    strcpy(text, "stale");
    expect_row(GJ_PARAMS(P_INT(6)), 6, "none");
    expect_row(GJ_PARAMS(P_INT(7), P_TEXT("second")), 7, "second");
    expect_row(GJ_NO_PARAMS, -1, "none");
}
