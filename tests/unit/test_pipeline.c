/* test_pipeline.c — the group-commit write pipeline (pipeline.h): many submitters, batches
 * with refused commands (each undoes only itself: savepoints), a command reporting a store
 * error (the whole batch fails and nothing is kept), batch sizes counted, books balanced, and a
 * msgid retried within one batch paying once. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gongji/pipeline.h"

enum { SUBMITTERS = 8, PER_SUBMITTER = 40, BATCH_MAX = 8 };

static gj_engine *e;
static const gj_actor admin = {"ADM", "cli"};

static void setup(void) {
    char file[1024], dir[1100];
    static const char csv[] =
        "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,"
        "current_yuan,prior_yuan,card_yuan,ecert_no,card_no\n"
        "P1,张伟,01,430102198503150030,,,430100,310,active,100.00,,,,\n";
    gj_status st = {0};
    json_t *out = NULL;
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    cr_assert_eq(gj_engine_open(":memory:", dir, &e, &st), GJ_E_OK, "%s", st.detail);
    FILE *f = fmemopen((void *)csv, sizeof csv - 1, "r");
    cr_assert_eq(gj_import_persons(e, &admin, f, false, &out, &st), GJ_E_OK, "%s", st.detail);
    fclose(f);
    json_decref(out);
}

static void teardown(void) { gj_engine_close(e); }

TestSuite(pipeline, .init = setup, .fini = teardown);

typedef struct {
    const char *psn_no;
    gj_fen amount_fen;
    gj_err result;
    bool break_batch;   /* report a store error after the deposit */
} deposit_cmd;

static gj_err run_deposit(gj_engine *eng, void *arg) {
    deposit_cmd *c = arg;
    gj_status st;
    json_t *out = NULL;
    c->result = gj_account_deposit(eng, &admin, c->psn_no, "current", c->amount_fen, &out, &st);
    json_decref(out);
    return c->break_batch ? GJ_E_STORE : GJ_E_OK;
}

static gj_fen current_fen(void) {
    int64_t v = 0;
    gj_status st;
    cr_assert_eq(gj_store_one_int(gj_engine_store(e),
                                  "SELECT balance_fen FROM account WHERE code = 'psn:P1:current'",
                                  GJ_NO_PARAMS, &v, &st), GJ_E_OK, "%s", st.detail);
    return v;
}

static void expect_verified(void) {
    json_t *out = NULL;
    gj_status st;
    cr_assert_eq(gj_verify(e, &out, &st), GJ_E_OK, "%s", st.detail);
    json_decref(out);
}

static gj_pipeline *p;

static void *submitter(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < PER_SUBMITTER; i++) {
        /* every third command names nobody and is refused */
        deposit_cmd c = {.psn_no = (i + id) % 3 == 0 ? "NOBODY" : "P1", .amount_fen = 1};
        gj_status st;
        cr_assert_eq(gj_pipeline_run(p, run_deposit, &c, &st), GJ_E_OK, "%s", st.detail);
        cr_assert_eq(c.result == GJ_E_OK, strcmp(c.psn_no, "P1") == 0);
    }
    return NULL;
}

Test(pipeline, refusals_do_not_disturb_the_batch) {
    gj_status st;
    gj_fen before = current_fen();
    cr_assert_eq(gj_pipeline_start(e, &(gj_pipeline_config){BATCH_MAX, 200}, &p, &st), GJ_E_OK);
    pthread_t t[SUBMITTERS];
    for (int i = 0; i < SUBMITTERS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, submitter, (void *)(intptr_t)i), 0);
    for (int i = 0; i < SUBMITTERS; i++) pthread_join(t[i], NULL);
    gj_pipeline_stats stats;
    gj_pipeline_get_stats(p, &stats);
    gj_pipeline_stop(p);
    int ok = 0;
    for (int id = 0; id < SUBMITTERS; id++)
        for (int i = 0; i < PER_SUBMITTER; i++) ok += (i + id) % 3 != 0;
    cr_assert_eq(current_fen() - before, ok);
    cr_assert_eq(stats.commands, SUBMITTERS * PER_SUBMITTER);
    uint64_t counted = 0;
    for (int b = 0; b < GJ_PIPELINE_HISTOGRAM_BUCKETS; b++) counted += stats.size_bucket[b];
    cr_assert_eq(counted, stats.batches);
    for (int b = 0; b < GJ_PIPELINE_HISTOGRAM_BUCKETS; b++)
        if (gj_pipeline_bucket_le(b) == 0 || gj_pipeline_bucket_le(b) > 2 * BATCH_MAX)
            cr_assert_eq(stats.size_bucket[b], 0, "no batch larger than batch_max");
    expect_verified();
}

enum { HOLD_WRITER_US = 200000 };

static gj_err hold_writer(gj_engine *eng, void *arg) {
    (void)eng;
    (void)arg;
    usleep(HOLD_WRITER_US);   /* meanwhile the next two commands queue up behind it */
    return GJ_E_OK;
}

static void *hold_thread(void *arg) {
    (void)arg;
    cr_assert_eq(gj_pipeline_run(p, hold_writer, NULL, NULL), GJ_E_OK);
    return NULL;
}

typedef struct {
    deposit_cmd cmd;
    gj_err batch;
} queued_deposit;

static void *submit_deposit(void *arg) {
    queued_deposit *q = arg;
    gj_status st;
    q->batch = gj_pipeline_run(p, run_deposit, &q->cmd, &st);
    return NULL;
}

Test(pipeline, a_store_error_fails_the_whole_batch) {
    gj_status st;
    gj_fen before = current_fen();
    cr_assert_eq(gj_pipeline_start(e, &(gj_pipeline_config){BATCH_MAX, 0}, &p, &st), GJ_E_OK);
    pthread_t h, good, bad;
    queued_deposit g = {.cmd = {.psn_no = "P1", .amount_fen = 5}};
    queued_deposit b = {.cmd = {.psn_no = "P1", .amount_fen = 7, .break_batch = true}};
    cr_assert_eq(pthread_create(&h, NULL, hold_thread, NULL), 0);
    usleep(HOLD_WRITER_US / 4);
    cr_assert_eq(pthread_create(&good, NULL, submit_deposit, &g), 0);
    usleep(HOLD_WRITER_US / 8);
    cr_assert_eq(pthread_create(&bad, NULL, submit_deposit, &b), 0);
    pthread_join(h, NULL);
    pthread_join(good, NULL);
    pthread_join(bad, NULL);
    gj_pipeline_stop(p);
    cr_assert_eq(g.cmd.result, GJ_E_OK, "the deposit itself ran");
    cr_assert_eq(g.batch, GJ_E_STORE, "but its batch failed");
    cr_assert_eq(b.batch, GJ_E_STORE);
    cr_assert_eq(current_fen(), before, "nothing of the failed batch was kept");
    expect_verified();
}

/* ---- idempotency inside one batch: the same 2207 four times pays once ---- */

enum { RETRIES = 4 };

typedef struct {
    json_t *request, *response;
} nhsa_job;

static gj_err run_nhsa(gj_engine *eng, void *arg) {
    nhsa_job *j = arg;
    j->response = gj_nhsa_call(eng, j->request);
    return GJ_E_OK;
}

static void *submit_nhsa(void *arg) {
    cr_assert_eq(gj_pipeline_run(p, run_nhsa, arg, NULL), GJ_E_OK);
    return NULL;
}

Test(pipeline, a_msgid_retried_within_one_batch_pays_once) {
    gj_status st;
    json_t *out = NULL;
    cr_assert_eq(gj_institution_add(e, &admin, "H43010000001", "hospital", "hospital", "430100", &out, &st),
                 GJ_E_OK, "%s", st.detail);
    json_decref(out);
    json_t *request = json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}}}", "infno", "2207", "msgid",
        "H430100000010000000001", "fixmedins_code", "H43010000001", "mdtrtarea_admvs", "430100", "input",
        "data", "psn_no", "P1", "mdtrt_cert_type", "02", "mdtrt_cert_no", "430102198503150030", "med_type",
        "11", "medfee_sumamt", "12.00", "psn_setlway", "01", "insutype", "310", "acct_used_flag", "1");
    gj_fen before = current_fen();
    cr_assert_eq(gj_pipeline_start(e, &(gj_pipeline_config){BATCH_MAX, 0}, &p, &st), GJ_E_OK);
    pthread_t h, t[RETRIES];
    nhsa_job jobs[RETRIES];
    cr_assert_eq(pthread_create(&h, NULL, hold_thread, NULL), 0);
    usleep(HOLD_WRITER_US / 4);   /* all retries queue behind the holder: one batch */
    for (int i = 0; i < RETRIES; i++) {
        jobs[i] = (nhsa_job){.request = request};
        cr_assert_eq(pthread_create(&t[i], NULL, submit_nhsa, &jobs[i]), 0);
    }
    pthread_join(h, NULL);
    for (int i = 0; i < RETRIES; i++) pthread_join(t[i], NULL);
    gj_pipeline_stats stats;
    gj_pipeline_get_stats(p, &stats);
    gj_pipeline_stop(p);
    const char *first = json_string_value(
        json_object_get(json_object_get(json_object_get(jobs[0].response, "output"), "setlinfo"), "setl_id"));
    cr_assert_not_null(first, "settled: %s", json_string_value(json_object_get(jobs[0].response, "err_msg")));
    for (int i = 1; i < RETRIES; i++) {
        const char *again = json_string_value(json_object_get(
            json_object_get(json_object_get(jobs[i].response, "output"), "setlinfo"), "setl_id"));
        cr_assert_str_eq(again, first, "a retry answers the first settlement");
    }
    int64_t settlements = 0;
    cr_assert_eq(gj_store_one_int(gj_engine_store(e), "SELECT COUNT(*) FROM settlement", GJ_NO_PARAMS,
                                  &settlements, &st), GJ_E_OK);
    cr_assert_eq(settlements, 1, "paid once");
    cr_assert_lt(current_fen(), before, "the account paid");
    cr_assert_eq(stats.batches, 2, "the holder's batch, then one batch of the retries");
    for (int i = 0; i < RETRIES; i++) json_decref(jobs[i].response);
    json_decref(request);
    expect_verified();
}

/* ---- submitting without waiting (gongjid's suspended requests) ---- */

enum { SUBMITTED = 48 };

typedef struct {
    deposit_cmd cmd;
    gj_pipeline_job job;
    int told;            /* times `done` was called */
    gj_err outcome;
} submitted_deposit;

static pthread_mutex_t told_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_outcome(void *arg, gj_err err, const gj_status *st) {
    submitted_deposit *d = arg;
    (void)st;
    pthread_mutex_lock(&told_lock);
    d->told++;
    d->outcome = err;
    pthread_mutex_unlock(&told_lock);
}

/* One thread queues every command without waiting; closing finishes them all (each told once,
 * each deposit kept), then refuses what comes after, which is never run nor told. */
Test(pipeline, submitted_commands_are_told_once_and_close_drains_them) {
    gj_status st;
    gj_fen before = current_fen();
    cr_assert_eq(gj_pipeline_start(e, &(gj_pipeline_config){BATCH_MAX, 0}, &p, &st), GJ_E_OK);
    static submitted_deposit d[SUBMITTED];
    for (int i = 0; i < SUBMITTED; i++) {
        d[i] = (submitted_deposit){.cmd = {.psn_no = "P1", .amount_fen = 1}, .outcome = GJ_E_COUNT_};
        cr_assert_eq(gj_pipeline_submit(p, &d[i].job, run_deposit, &d[i].cmd, record_outcome, &d[i], &st),
                     GJ_E_OK, "%s", st.detail);
    }
    gj_pipeline_close(p);   /* returns once every queued command is durable and told */
    for (int i = 0; i < SUBMITTED; i++) {
        cr_assert_eq(d[i].told, 1, "command %d told %d times", i, d[i].told);
        cr_assert_eq(d[i].outcome, GJ_E_OK);
        cr_assert_eq(d[i].cmd.result, GJ_E_OK);
    }
    gj_pipeline_stats stats;
    gj_pipeline_get_stats(p, &stats);
    cr_assert_gt(stats.commands, stats.batches, "queued without waiting: batches of more than one");
    submitted_deposit late = {.cmd = {.psn_no = "P1", .amount_fen = 1000}};
    cr_assert_eq(gj_pipeline_submit(p, &late.job, run_deposit, &late.cmd, record_outcome, &late, &st),
                 GJ_E_STOPPED);
    cr_assert_eq(gj_pipeline_run(p, run_deposit, &late.cmd, &st), GJ_E_STOPPED);
    gj_pipeline_close(p);   /* again: nothing more to do */
    gj_pipeline_stop(p);
    cr_assert_eq(late.told, 0, "a refused command is not told");
    cr_assert_eq(current_fen() - before, SUBMITTED, "the refused one never ran");
    expect_verified();
}
