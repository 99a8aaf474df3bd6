/* store_fixture.h — the fixture of the store unit tests: a fresh in-memory SQLite store, `s`,
 * opened before each test and closed after it. Use it as Criterion's suite fixture:
 *     TestSuite(store_x, .init = open_store, .fini = close_store);
 * Included by one test file each (its definitions are static). */
#ifndef GONGJI_TEST_STORE_FIXTURE_H
#define GONGJI_TEST_STORE_FIXTURE_H

#include <criterion/criterion.h>

#include "gongji/store.h"

static gj_store *s;

static void open_store(void) {
    gj_status st;
    cr_assert_eq(gj_store_open(":memory:", &s, &st), GJ_E_OK, "%s", st.detail);
}

static void close_store(void) { gj_store_close(s); }

#endif
