/* test_prune.c — rows kept for a while, then pruned (src/engine/prune.c), by the injectable
 * clock over an in-memory database: answers remembered by Idempotency-Key are found for
 * retention_s seconds, then not (a retry is a new request), and the next answer remembered
 * deletes them while a fresh key still answers its stored result; an expired key can be taken
 * anew; a used nonce is refused through twice the signature window and forgotten after it; a
 * table is pruned once per point in time, and again after a rollback undid its prune or the
 * clock stepped back. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "gongji/access.h"

enum { RETENTION_S = 3600, WINDOW_S = 300 };
static const char caller[] = "person:P1";
static gj_engine *e;
static gj_time t0;

static void setup(void) {
    char file[1024], dir[1100];
    gj_status st = {0};
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    t0 = gj_date_start(gj_date_from_ymd(2025, 10, 10)) + 36000;
    gj_clock_fix(t0);
    cr_assert_eq(gj_engine_open(":memory:", dir, &e, &st), GJ_E_OK, "%s", st.detail);
}

static void teardown(void) {
    gj_engine_close(e);
    gj_clock_unfix();
}

TestSuite(prune, .init = setup, .fini = teardown);

/* Remember `response` (201) for `key` with a request hash made of `body`, at time `at`. */
static void remember(const char *key, const char *body, const char *response, gj_time at) {
    char hash[GJ_REST_HASH_HEX];
    gj_status st = {0};
    gj_clock_fix(at);
    gj_rest_request_hash("POST", "/api/v1/wallet/transfers", body, strlen(body), hash);
    cr_assert_eq(gj_rest_answer_remember(e, caller, key, hash, 201, response, RETENTION_S, &st),
                 GJ_E_OK, "%s: %s", key, st.detail);
}

/* Whether `key` is found at time `at`; its response in response[] when it is. */
static bool found(const char *key, gj_time at, char *response, size_t response_len) {
    gj_rest_answer a;
    gj_status st = {0};
    gj_clock_fix(at);
    cr_assert_eq(gj_rest_answer_load(e, caller, key, RETENTION_S, &a, &st), GJ_E_OK, "%s", st.detail);
    if (a.found) snprintf(response, response_len, "%s", a.response);
    bool was = a.found;
    gj_rest_answer_free(&a);
    return was;
}

static int64_t rows(const char *key) {
    int64_t n = -1;
    gj_status st = {0};
    cr_assert_eq(gj_store_one_int(gj_engine_store(e), "SELECT COUNT(*) FROM rest_request "
                                  "WHERE idem_key = $1", GJ_PARAMS(P_TEXT(key)), &n, &st),
                 GJ_E_OK, "%s", st.detail);
    return n;
}

Test(prune, expired_key_pruned_fresh_key_answers) {
    char text[128] = "";
    remember("k-old", "{\"amount_yuan\":1}", "{\"id\":\"old\"}", t0);
    remember("k-fresh", "{\"amount_yuan\":2}", "{\"id\":\"fresh\"}", t0 + RETENTION_S / 2);
    cr_assert(found("k-old", t0 + RETENTION_S - 1, text, sizeof text), "kept for retention_s");
    cr_assert_str_eq(text, "{\"id\":\"old\"}");
    cr_assert_not(found("k-old", t0 + RETENTION_S, text, sizeof text),
                  "after retention_s a retry is a new request");
    cr_assert_eq(rows("k-old"), 1, "not deleted by a lookup");
    remember("k-new", "{\"amount_yuan\":3}", "{\"id\":\"new\"}", t0 + RETENTION_S);
    cr_assert_eq(rows("k-old"), 0, "pruned by the next answer remembered");
    cr_assert(found("k-fresh", t0 + RETENTION_S, text, sizeof text), "a fresh key is kept");
    cr_assert_str_eq(text, "{\"id\":\"fresh\"}", "and answers its stored result");
    cr_assert(found("k-new", t0 + RETENTION_S, text, sizeof text));
    cr_assert_str_eq(text, "{\"id\":\"new\"}");
}

Test(prune, expired_key_taken_anew) {
    char text[128] = "";
    remember("k-1", "{\"amount_yuan\":1}", "{\"id\":\"first\"}", t0);
    remember("k-1", "{\"amount_yuan\":5}", "{\"id\":\"second\"}", t0 + RETENTION_S);
    cr_assert_eq(rows("k-1"), 1, "the expired answer replaced, not duplicated");
    cr_assert(found("k-1", t0 + RETENTION_S, text, sizeof text));
    cr_assert_str_eq(text, "{\"id\":\"second\"}");
}

/* gj_nonce_use at time `at`. */
static gj_err use_nonce(const char *nonce, gj_time at) {
    gj_status st = {0};
    gj_clock_fix(at);
    return gj_nonce_use(e, "PA0000000000000001", nonce, at, WINDOW_S, &st);
}

Test(prune, nonce_kept_through_twice_the_window) {
    cr_assert_eq(use_nonce("n-1", t0), GJ_E_OK);
    cr_assert_eq(use_nonce("n-1", t0 + 2 * WINDOW_S), GJ_E_DUPLICATE, "its last acceptable second");
    cr_assert_eq(use_nonce("n-1", t0 + 2 * WINDOW_S + 1), GJ_E_OK, "forgotten after it");
}

/* A used_nonce row written straight to the table (committed), used at `at`. */
static void stale_nonce(const char *nonce, gj_time at) {
    gj_status st = {0};
    cr_assert_eq(gj_store_exec(gj_engine_store(e), "INSERT INTO used_nonce (paasid, nonce, at) "
                               "VALUES ('PA0000000000000001', $1, $2)",
                               GJ_PARAMS(P_TEXT(nonce), P_INT(at)), NULL, &st), GJ_E_OK, "%s", st.detail);
}

static int64_t nonce_rows(const char *nonce) {
    int64_t n = -1;
    gj_status st = {0};
    cr_assert_eq(gj_store_one_int(gj_engine_store(e), "SELECT COUNT(*) FROM used_nonce WHERE nonce = $1",
                                  GJ_PARAMS(P_TEXT(nonce)), &n, &st), GJ_E_OK, "%s", st.detail);
    return n;
}

/* A table is pruned once per point in time, and a prune undone by its transaction's rollback is
 * made again: a row at or before the point, written after the prune (as only a clock going back
 * could), stays until the point moves — or until a rollback made the connection forget. */
Test(prune, once_per_second_and_again_after_a_rollback) {
    gj_time point = t0 - 2 * WINDOW_S - 1;   /* what a use at t0 prunes up to */
    cr_assert_eq(use_nonce("n-1", t0), GJ_E_OK);
    stale_nonce("n-stale", point);
    cr_assert_eq(use_nonce("n-2", t0), GJ_E_OK);
    cr_assert_eq(nonce_rows("n-stale"), 1, "pruned up to this point already: not again");
    cr_assert_eq(use_nonce("n-1", t0 + 1), GJ_E_DUPLICATE, "prunes to the next point, then refused");
    cr_assert_eq(nonce_rows("n-stale"), 1, "the refusal rolled the prune back");
    cr_assert_eq(use_nonce("n-3", t0 + 1), GJ_E_OK);
    cr_assert_eq(nonce_rows("n-stale"), 0, "the rolled-back prune made again");
}

/* The wall clock steps back by more than the retention after a prune (found in review): a key
 * used after the step and taken again once expired is a new request, not a duplicate key —
 * the prune to an earlier point than the last one is made, not skipped. */
Test(prune, clock_back_expired_key_taken_anew) {
    char text[128] = "";
    remember("k-a", "{\"amount_yuan\":1}", "{\"id\":\"a\"}", t0 + 3 * RETENTION_S);
    remember("k-b", "{\"amount_yuan\":2}", "{\"id\":\"b1\"}", t0);   /* the clock went back */
    cr_assert_not(found("k-b", t0 + RETENTION_S, text, sizeof text), "expired: a new request");
    remember("k-b", "{\"amount_yuan\":3}", "{\"id\":\"b2\"}", t0 + RETENTION_S);
    cr_assert(found("k-b", t0 + RETENTION_S, text, sizeof text));
    cr_assert_str_eq(text, "{\"id\":\"b2\"}");
}
