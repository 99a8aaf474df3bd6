/* test_provinces.c — unit tests for provinces on their own databases without a database: the
 * province map file (PP = URL lines, comments, the errors naming the line), the home province
 * by URL, transaction ids spliced into PREPARE TRANSACTION, and that SQLite refuses two-phase
 * commit and a province map. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/xa_internal.h"
#include "gongji/store.h"

static char path[64];

static const char *map_file(const char *text) {
    snprintf(path, sizeof path, "/tmp/gj-provinces-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static gj_err load(const char *text, gj_province_map *m, gj_status *st) {
    gj_err err = provinces_load(map_file(text), m, st);
    unlink(path);
    return err;
}

Test(provinces, reads_lines_comments_and_spaces) {
    gj_province_map m;
    gj_status st;
    cr_assert_eq(load("# map\n\n32 = postgresql:///js?host=/tmp  # Jiangsu\n 13=postgres://u@h/hb\n", &m, &st), GJ_E_OK);
    cr_assert_eq(m.count, 2);
    cr_assert_str_eq(provinces_url(&m, "32"), "postgresql:///js?host=/tmp");
    cr_assert_str_eq(provinces_url(&m, "130100"), "postgres://u@h/hb");   /* by the first two digits */
    cr_assert_null(provinces_url(&m, "44"));
    cr_assert_str_eq(provinces_of_url(&m, "postgres://u@h/hb"), "13");
    cr_assert_null(provinces_of_url(&m, "postgres://u@h/hb2"));
}

Test(provinces, refuses_bad_lines_naming_them) {
    gj_province_map m;
    gj_status st;
    cr_assert_eq(load("32 = postgresql:///a\n3 = postgresql:///b\n", &m, &st), GJ_E_BAD_FIELD);
    cr_assert(strstr(st.detail, ":2:") != NULL, "%s", st.detail);
    cr_assert_eq(load("32 = sqlite:/tmp/x.db\n", &m, &st), GJ_E_BAD_FIELD);
    cr_assert_eq(load("32 = postgresql:///a\n32 = postgresql:///b\n", &m, &st), GJ_E_BAD_FIELD);
    cr_assert(strstr(st.detail, "twice") != NULL, "%s", st.detail);
    cr_assert_eq(load("32 postgresql:///a\n", &m, &st), GJ_E_BAD_FIELD);
    cr_assert_eq(load("# nothing\n", &m, &st), GJ_E_BAD_FIELD);
    cr_assert_eq(provinces_load("/nonexistent/provinces.conf", &m, &st), GJ_E_NOT_FOUND);
}

Test(provinces, transaction_ids) {
    cr_assert(gj_store_gid_valid("gj:32:1764434523123456-123-1:13"));
    cr_assert_not(gj_store_gid_valid("gj:32:x'; DROP TABLE account; --"));
    cr_assert_not(gj_store_gid_valid("xa:32:1"));
    cr_assert_not(gj_store_gid_valid("gj:"));
}

Test(provinces, sqlite_has_no_two_phase_commit) {
    gj_store *s = NULL;
    gj_status st;
    cr_assert_eq(gj_store_open(":memory:", &s, &st), GJ_E_OK);
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK);
    cr_assert_eq(gj_store_prepare(s, "gj:32:1:13", &st), GJ_E_USAGE);
    cr_assert_not(gj_store_in_tx(s), "the transaction ended (rolled back)");
    gj_store_close(s);
}
