/* test_store_facts.c — the store's memo of facts that hold for ever once committed
 * (src/store/facts_memo.c): a fact put is got back; a fact learnt inside a command or a batch
 * that is then rolled back is forgotten, one learnt before what was undone is kept (a command's
 * rollback inside a batch keeps the batch's earlier commands' facts, a batch's rollback forgets
 * them); a command without a rollback journal that wrote nothing keeps every fact; a commit
 * keeps it; keys and values over their limits are not remembered; colliding keys replace each
 * other without ever answering for the wrong key. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gongji/store.h"
#include "store_fixture.h"

TestSuite(store_facts, .init = open_store, .fini = close_store);

static bool known(const char *key, const char *value) {
    const char *got = NULL;
    if (!gj_store_fact_get(s, key, &got)) return false;
    cr_assert_str_eq(got, value, "%s", key);
    return true;
}

static void begin(void) {
    gj_status st;
    cr_assert_eq(gj_store_begin(s, &st), GJ_E_OK, "%s", st.detail);
}

Test(store_facts, a_commit_keeps_and_a_rollback_forgets) {
    gj_status st;
    begin();
    gj_store_fact_put(s, "account:a", "1");
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK);
    cr_expect(known("account:a", "1"));
    begin();
    gj_store_fact_put(s, "journal:7", "abc");
    cr_expect(known("journal:7", "abc"));
    gj_store_rollback(s);
    cr_expect_not(known("journal:7", "abc"), "learnt in the undone transaction");
    cr_expect(known("account:a", "1"), "learnt in a committed one");
    begin();
    gj_store_fact_put(s, "account:a", "2");   /* replaced inside the undone transaction */
    gj_store_rollback(s);
    cr_expect_not(known("account:a", "2"), "a value replaced in an undone transaction is forgotten");
}

Test(store_facts, a_command_undone_inside_a_batch_forgets) {
    gj_status st;
    cr_assert_eq(gj_store_batch_begin(s, &st), GJ_E_OK);
    begin();
    gj_store_fact_put(s, "institution:H1", "1");
    cr_assert_eq(gj_store_commit(s, &st), GJ_E_OK);
    cr_expect(known("institution:H1", "1"), "a command's release keeps it");
    begin();
    gj_store_fact_put(s, "institution:H3", "1");
    gj_store_rollback(s);
    cr_expect_not(known("institution:H3", "1"), "learnt in the undone command");
    cr_expect(known("institution:H1", "1"), "an earlier command's: the savepoint's rollback keeps its rows");
    gj_store_fact_put(s, "institution:H2", "1");
    gj_store_batch_rollback(s);
    cr_expect_not(known("institution:H2", "1"));
    cr_expect_not(known("institution:H1", "1"), "the batch's rollback undoes its earlier commands too");
}

/* Without a rollback journal a refused command that wrote nothing undid nothing: every fact
 * stays; one that wrote spoils the store and the memo is dropped. */
Test(store_facts, without_a_journal_a_command_that_wrote_nothing_keeps_them) {
    gj_status st;
    gj_store *bare = NULL;
    cr_assert_eq(gj_store_open("sqlite::memory:?sync=off&rollback=off", &bare, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_batch_begin(bare, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_begin(bare, &st), GJ_E_OK, "%s", st.detail);
    gj_store_fact_put(bare, "institution:H1", "1");
    gj_store_rollback(bare);
    cr_expect(gj_store_fact_get(bare, "institution:H1", NULL), "nothing was written, so nothing undone");
    cr_assert_eq(gj_store_begin(bare, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_exec(bare, "CREATE TABLE t (x INTEGER)", NULL, 0, NULL, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_store_exec(bare, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &st), GJ_E_OK, "%s", st.detail);
    gj_store_rollback(bare);
    cr_expect(gj_store_spoiled(bare));
    cr_expect_not(gj_store_fact_get(bare, "institution:H1", NULL), "a spoiled store's memo is dropped");
    gj_store_batch_rollback(bare);
    gj_store_close(bare);
}

Test(store_facts, limits_and_collisions) {
    char long_key[200], key[32], value[16];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    gj_store_fact_put(s, long_key, "1");
    cr_expect_not(gj_store_fact_get(s, long_key, NULL), "a key too long is not remembered");
    for (int i = 0; i < 1000; i++) {   /* more keys than slots: every answer is for its own key */
        snprintf(key, sizeof key, "journal:%d", i);
        snprintf(value, sizeof value, "h%d", i);
        gj_store_fact_put(s, key, value);
    }
    int remembered = 0;
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "journal:%d", i);
        snprintf(value, sizeof value, "h%d", i);
        remembered += known(key, value);
    }
    cr_expect(remembered > 0 && remembered < 1000, "%d remembered", remembered);
    cr_expect(known("journal:999", "h999"), "the last put is always remembered");
}
