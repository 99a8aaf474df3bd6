/* test_store_url.c — unit tests for store URLs: the default SQLite store is durable
 * (synchronous=FULL, WAL); "sqlite:PATH?sync=off" opens a throwaway store (synchronous=OFF,
 * journal in memory); unknown URL options are usage errors. */
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

Test(store_url, unknown_option_is_refused) {
    char url[128];
    gj_status st;
    gj_store *s = NULL;
    snprintf(url, sizeof url, "sqlite:%s/x.db?cache=big", dir);
    cr_expect_eq(gj_store_open(url, &s, &st), GJ_E_USAGE);
    cr_expect_null(s);
    cr_expect_not_null(strstr(st.detail, "?cache=big"));
}
