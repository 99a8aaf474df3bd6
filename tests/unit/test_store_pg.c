/* test_store_pg.c — unit tests for the PostgreSQL URL dispatch without a server: both URL
 * schemes reach libpq (a connection failure names PostgreSQL, not a SQLite path), and nothing
 * is opened on failure. The store itself is tested against a real cluster by tests/pg. */
#include <criterion/criterion.h>
#include <string.h>

#include "gongji/store.h"

static void expect_connect_failure(const char *url) {
    gj_store *s = NULL;
    gj_status st;
    gj_status_clear(&st);
    cr_assert_eq(gj_store_open(url, &s, &st), GJ_E_STORE, "%s", url);
    cr_assert_null(s);
    cr_assert_not_null(strstr(st.detail, "cannot connect to PostgreSQL"), "%s", st.detail);
}

Test(store_pg, postgres_scheme_reaches_libpq) {
    expect_connect_failure("postgres:///gongji?host=/nonexistent-gj-socket-dir&connect_timeout=1");
}

Test(store_pg, postgresql_scheme_reaches_libpq) {
    expect_connect_failure("postgresql:///gongji?host=/nonexistent-gj-socket-dir&connect_timeout=1");
}
