/* file_store_fixture.h — the fixture of the unit tests of durable SQLite stores (files, WAL):
 * a fresh temporary directory with a store in it, `s` (its URL `store_url`), opened before each
 * test; after it the store is closed and the directory removed. Use it as Criterion's suite
 * fixture, or call the two from the suite's own:
 *     TestSuite(store_x, .init = open_file_store, .fini = close_file_store);
 * Included by one test file each (its definitions are static). */
#ifndef GONGJI_TEST_FILE_STORE_FIXTURE_H
#define GONGJI_TEST_FILE_STORE_FIXTURE_H

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "gongji/store.h"

static char store_dir[] = "/tmp/gongji-store-test-XXXXXX";
static char store_url[PATH_MAX];
static gj_store *s;

static void open_file_store(void) {
    gj_status st;
    cr_assert_not_null(mkdtemp(store_dir));
    snprintf(store_url, sizeof store_url, "%s/store.db", store_dir);
    cr_assert_eq(gj_store_open(store_url, &s, &st), GJ_E_OK, "%s", st.detail);
}

static void close_file_store(void) {
    char cmd[PATH_MAX + 16];
    gj_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", store_dir);
    cr_expect_eq(system(cmd), 0);
}

#endif
