/* test_error_public.c — a database's own message never reaches a client (error.h,
 * gj_status_public): a real SQLite failure and a PostgreSQL-shaped one quoting a row's key are
 * answered with their code and a generic detail, and the line kept for the log is redacted. */
#include <criterion/criterion.h>
#include <string.h>

#include "gongji/error.h"
#include "store_fixture.h"

TestSuite(error_public, .init = open_store, .fini = close_store);

Test(error_public, own_refusals_are_shown_as_they_are) {
    gj_status st, shown;
    char log[GJ_STATUS_DETAIL_MAX];
    gj_fail(&st, GJ_E_BAD_FIELD, "year: 4 digits, 2000..2100 expected");
    cr_assert_not(gj_status_public(&st, &shown, log, sizeof log));
    cr_assert_str_eq(shown.detail, st.detail);
    cr_assert_str_eq(log, "");
}

Test(error_public, a_sqlite_failure_is_hidden_and_logged) {
    gj_status st, shown;
    char log[GJ_STATUS_DETAIL_MAX];
    cr_assert_eq(gj_store_exec(s, "INSERT INTO no_such_table VALUES (1)", NULL, 0, NULL, &st),
                 GJ_E_STORE);
    cr_assert(st.store_text, "the driver marks its text: %s", st.detail);
    cr_assert(gj_status_public(&st, &shown, log, sizeof log));
    cr_assert_eq(shown.code, GJ_E_STORE);
    cr_assert_null(strstr(shown.detail, "no_such_table"), "%s", shown.detail);
    cr_assert_not_null(strstr(log, "no such table: no_such_table"), "%s", log);
}

Test(error_public, a_row_key_never_reaches_the_client_nor_the_log) {
    gj_status st, shown;
    char log[GJ_STATUS_DETAIL_MAX];
    gj_fail(&st, GJ_E_DUPLICATE, "postgresql exec: 23505 ERROR:  duplicate key value violates "
            "unique constraint \"person_cert\" on P0000000001\nDETAIL:  Key (certno)=(430102198503150030) already exists.");
    gj_status_store_text(&st);
    gj_status_prefix(&st, "import");   /* a prefix keeps the mark */
    cr_assert(gj_status_public(&st, &shown, log, sizeof log));
    cr_assert_eq(shown.code, GJ_E_DUPLICATE);
    cr_assert_str_eq(shown.detail, "a database error; its text is in the server's log only");
    cr_assert_str_eq(log, "import: postgresql exec: 23505 ERROR:  duplicate key value violates "
                          "unique constraint \xe2\x80\xa6 on P\xe2\x80\xa6");
    gj_fail(&st, GJ_E_DUPLICATE, "institution H43010000001 already registered");
    cr_assert_not(st.store_text, "a later gj_fail clears the mark");
}
