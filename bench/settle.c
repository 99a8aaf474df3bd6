/* settle.c — bench_settle: in-process durable settlements per second through the write pipeline
 * (pipeline.h) at each batch limit × each number of concurrent submitters, with p50/p99 latency,
 * beside this machine's baseline measured in the same run: single-row durable commits per
 * second on the same disk (synchronous=FULL, WAL), and the batch 1 × 1 submitter row.
 *
 * Each settlement is a national 2207 envelope for a random insured person (own account,
 * synchronous=FULL, WAL), handled as gongjid does: decoded and hashed on its submitter's thread
 * (gj_nhsa_prepare), run on the writer (gj_nhsa_call_prepared), msgid idempotency and journal
 * included. Prints a table and the exact command line. Benchmark only: asserts
 * that every settlement was accepted, never a timing.
 * --db URL settles into that (empty) database instead of DIR/settle.db — a PostgreSQL URL for
 * bench/baseline --pg; the baseline row stays SQLite's one-row commits in DIR.
 * Usage: bench_settle POLICY_DIR [--dir DIR] [--db URL] [--insured N] [--seconds S]
 *                     [--batches 1,16,64,256,1024] [--submitters 1,16,64] [--wait-us 0] */
#include <assert.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gongji/engine.h"
#include "gongji/gen.h"
#include "gongji/pipeline.h"

enum { LIST_MAX = 16, SUBMITTERS_MAX = 256, LATENCIES_MAX = 1 << 22, PATH_MAX_BYTES = 4096,
       INSURED_DEFAULT = 10000 };
#define HOSPITAL "H43010000001"
#define VERIFY_INDEX_SQL "CREATE INDEX IF NOT EXISTS entry_journal ON entry (journal_seq)"
#define INSURED_PER_FAMILY 7.85   /* the generator's default parameters (bench/simulate.sh) */

typedef struct {
    char psn_no[32], certno[24], insutype[8];
} person;

static struct {
    const char *policy_dir;
    const char *db;        /* --db URL, or NULL: DIR/settle.db */
    char dir[PATH_MAX_BYTES];
    long insured;
    double seconds;
    unsigned wait_us;
    int batches[LIST_MAX], batch_count;
    int submitters[LIST_MAX], submitter_count;
} opt = {.insured = INSURED_DEFAULT, .seconds = 2.0};

static person *people;
static long people_count;
static _Atomic unsigned long msg_serial;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const gj_status *st) {
    fprintf(stderr, "bench_settle: %s: %s\n", what, st ? st->detail : "");
    exit(1);
}

static int parse_list(const char *s, int *out) {
    int n = 0;
    for (char *end = NULL; *s && n < LIST_MAX; s = *end ? end + 1 : end) {
        out[n++] = (int)strtol(s, &end, 10);
        if (end == s || out[n - 1] < 1) return -1;
    }
    return n;
}

/* ---- setup: a population imported into a fresh durable store ---- */

static void setup_store(const char *url) {
    gj_engine *e = NULL;
    gj_status st;
    json_t *out = NULL;
    gj_actor who = {"BENCH", "cli"};
    if (gj_engine_open(url, opt.policy_dir, &e, &st) != GJ_E_OK) die("open", &st);
    gj_gen_params p;
    gj_gen_params_default(&p);
    p.families = (long)((double)opt.insured / INSURED_PER_FAMILY) + 1;
    if (gj_gen_select_regions(&p, "430100", &st) != GJ_E_OK) die("regions", &st);
    FILE *csv = tmpfile();
    if (csv == NULL || gj_gen_persons(csv, &p) < 0) die("generate persons", NULL);
    rewind(csv);
    if (gj_import_persons(e, &who, csv, false, &out, &st) != GJ_E_OK) die("import", &st);
    fclose(csv);
    json_decref(out);
    if (gj_institution_add(e, &who, HOSPITAL, "bench hospital", "hospital", "430100", &out, &st) != GJ_E_OK)
        die("institution", &st);
    json_decref(out);
    gj_rows *rows = NULL;
    if (gj_store_one_int(gj_engine_store(e), "SELECT COUNT(*) FROM person WHERE status = 'active'",
                         GJ_NO_PARAMS, &(int64_t){0}, &st) != GJ_E_OK)
        die("count", &st);
    if (gj_store_query(gj_engine_store(e), "SELECT psn_no, certno, insutype FROM person "
                                           "WHERE status = 'active' AND cert_type = '01'",
                       GJ_NO_PARAMS, &rows, &st) != GJ_E_OK)
        die("people", &st);
    size_t cap = 1024;
    people = malloc(cap * sizeof *people);
    while (gj_rows_next(rows)) {
        if ((size_t)people_count == cap) people = realloc(people, (cap *= 2) * sizeof *people);
        person *q = &people[people_count++];
        snprintf(q->psn_no, sizeof q->psn_no, "%s", gj_rows_text(rows, 0));
        snprintf(q->certno, sizeof q->certno, "%s", gj_rows_text(rows, 1));
        snprintf(q->insutype, sizeof q->insutype, "%s", gj_rows_text(rows, 2));
    }
    gj_rows_end(rows);
    gj_engine_close(e);
    if (people_count == 0) die("no active insured with an ID card", NULL);
}

/* ---- one settlement: a 2207 envelope through the pipeline ---- */

typedef struct {
    gj_nhsa_prepared *request;
    char *response;   /* the answer's text, as gongjid sends it */
} settle_job;

static gj_err run_settle(gj_engine *e, void *arg) {
    settle_job *j = arg;
    j->response = j->request != NULL ? gj_nhsa_call_prepared(e, j->request) : NULL;
    return GJ_E_OK;
}

static json_t *request_for(const person *q) {
    char msgid[32];
    snprintf(msgid, sizeof msgid, "%s%016lu", HOSPITAL, atomic_fetch_add(&msg_serial, 1));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}}}",
                     "infno", "2207", "msgid", msgid, "fixmedins_code", HOSPITAL,
                     "mdtrtarea_admvs", "430100", "opter", "BENCH", "input", "data",
                     "psn_no", q->psn_no, "mdtrt_cert_type", "02", "mdtrt_cert_no", q->certno,
                     "med_type", "11", "medfee_sumamt", "12.00", "psn_setlway", "01",
                     "insutype", q->insutype, "acct_used_flag", "1", "fulamt_ownpay_amt", "2.00");
}

typedef struct {
    gj_pipeline *pipeline;
    double until;
    unsigned seed;
    double *latencies;   /* this submitter's slice */
    long cap, count, refused;
} submitter;

static void *submit_loop(void *arg) {
    submitter *s = arg;
    while (now_s() < s->until && s->count < s->cap) {
        json_t *request = request_for(&people[(unsigned)rand_r(&s->seed) % (unsigned)people_count]);
        gj_status st;
        double t0 = now_s();
        settle_job j = {.request = gj_nhsa_prepare(request)};
        gj_err err = gj_pipeline_run(s->pipeline, run_settle, &j, &st);
        s->latencies[s->count++] = now_s() - t0;
        static const char SETTLED[] = "{\"infcode\":0,";   /* gongji writes infcode first */
        if (err != GJ_E_OK || j.response == NULL || strncmp(j.response, SETTLED, sizeof SETTLED - 1) != 0) {
            if (s->refused++ == 0) fprintf(stderr, "refused: %.400s\n", j.response ? j.response : "(no answer)");
        }
        gj_nhsa_prepared_free(j.request);
        json_decref(request);
        free(j.response);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double per_s, p50_ms, p99_ms, mean_batch, per_sync;
    long refused;
} result;

static result run_config(gj_engine *e, int batch_max, int submitters) {
    gj_status st;
    gj_pipeline *p = NULL;
    if (gj_pipeline_start(e, &(gj_pipeline_config){(unsigned)batch_max, opt.wait_us}, &p, &st) != GJ_E_OK)
        die("pipeline", &st);
    static double latencies[LATENCIES_MAX];
    submitter subs[SUBMITTERS_MAX];
    pthread_t threads[SUBMITTERS_MAX];
    long cap = LATENCIES_MAX / submitters;
    double t0 = now_s();
    for (int i = 0; i < submitters; i++) {
        subs[i] = (submitter){.pipeline = p, .until = t0 + opt.seconds, .seed = (unsigned)(i * 7919 + batch_max),
                              .latencies = latencies + (long)i * cap, .cap = cap};
        pthread_create(&threads[i], NULL, submit_loop, &subs[i]);
    }
    long total = 0;
    result r = {0};
    for (int i = 0; i < submitters; i++) {
        pthread_join(threads[i], NULL);
        memmove(latencies + total, subs[i].latencies, (size_t)subs[i].count * sizeof *latencies);
        total += subs[i].count;
        r.refused += subs[i].refused;
    }
    double elapsed = now_s() - t0;
    gj_pipeline_stats ps;
    gj_pipeline_get_stats(p, &ps);
    gj_pipeline_stop(p);
    qsort(latencies, (size_t)total, sizeof *latencies, cmp_double);
    r.per_s = (double)(total - r.refused) / elapsed;
    r.p50_ms = total ? latencies[total / 2] * 1e3 : 0;
    r.p99_ms = total ? latencies[(long)((double)total * 0.99)] * 1e3 : 0;
    r.mean_batch = ps.batches ? (double)ps.commands / (double)ps.batches : 0;
    r.per_sync = ps.syncs ? (double)ps.commands / (double)ps.syncs : 0;   /* 0: commits synced themselves */
    return r;
}

/* The machine's durable-commit ceiling: one-row transactions, synchronous=FULL, same disk. */
static double raw_commits_per_s(const char *url) {
    gj_store *s = NULL;
    gj_status st;
    if (gj_store_open(url, &s, &st) != GJ_E_OK) die("baseline store", &st);
    if (gj_store_script(s, "CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, v TEXT)", &st) != GJ_E_OK)
        die("baseline table", &st);
    long n = 0;
    double t0 = now_s(), until = t0 + opt.seconds;
    while (now_s() < until) {
        if (gj_store_begin(s, &st) != GJ_E_OK ||
            gj_store_exec(s, "INSERT INTO bench_row (v) VALUES ($1)", GJ_PARAMS(P_TEXT("x")), NULL, &st) != GJ_E_OK ||
            gj_store_commit(s, &st) != GJ_E_OK)
            die("baseline commit", &st);
        n++;
    }
    double rate = (double)n / (now_s() - t0);
    gj_store_close(s);
    return rate;
}

static const char usage_text[] =
    "usage: bench_settle POLICY_DIR [--dir DIR] [--db URL] [--insured N] [--seconds S]\n"
    "                   [--batches 1,16,64,256,1024] [--submitters 1,16,64] [--wait-us 0]\n"
    "In-process durable 2207 settlements per second through the write pipeline at each batch\n"
    "limit x each number of concurrent submitters, p50/p99, beside one-row durable commits on the\n"
    "same disk; prints a table and the command line (bench/README.md).\n";

int main(int argc, char **argv) {
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-' || (argc - 2) % 2 != 0) {   /* options come in pairs */
        fputs(usage_text, stderr);
        return 2;
    }
    opt.policy_dir = argv[1];
    opt.batch_count = parse_list("1,16,64,256,1024", opt.batches);
    opt.submitter_count = parse_list("1,16,64", opt.submitters);
    snprintf(opt.dir, sizeof opt.dir, "%s", "");
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--dir")) snprintf(opt.dir, sizeof opt.dir, "%s", v);
        else if (!strcmp(k, "--db")) opt.db = v;
        else if (!strcmp(k, "--insured")) opt.insured = atol(v);
        else if (!strcmp(k, "--seconds")) opt.seconds = atof(v);
        else if (!strcmp(k, "--wait-us")) opt.wait_us = (unsigned)atoi(v);
        else if (!strcmp(k, "--batches")) opt.batch_count = parse_list(v, opt.batches);
        else if (!strcmp(k, "--submitters")) opt.submitter_count = parse_list(v, opt.submitters);
        else { fprintf(stderr, "bench_settle: unknown option %s\n", k); return 2; }
    }
    if (opt.batch_count < 1 || opt.submitter_count < 1 || opt.insured < 1 || opt.seconds <= 0) {
        fprintf(stderr, "bench_settle: bad option value\n");
        return 2;
    }
    for (int i = 0; i < opt.submitter_count; i++)
        if (opt.submitters[i] > SUBMITTERS_MAX) { fprintf(stderr, "at most %d submitters\n", SUBMITTERS_MAX); return 2; }
    char tmpl[] = "/tmp/gj-bench-XXXXXX";
    bool own_dir = opt.dir[0] == '\0';
    if (own_dir && mkdtemp(tmpl) == NULL) die("mkdtemp", NULL);
    if (own_dir) snprintf(opt.dir, sizeof opt.dir, "%s", tmpl);
    char url[PATH_MAX_BYTES + 32], base_url[PATH_MAX_BYTES + 32];
    snprintf(url, sizeof url, "%s", opt.db != NULL ? opt.db : "");
    if (opt.db == NULL) snprintf(url, sizeof url, "%s/settle.db", opt.dir);
    snprintf(base_url, sizeof base_url, "%s/baseline.db", opt.dir);
    gj_clock_fix(gj_date_start(gj_date_from_ymd(2026, 3, 10)) + 36000);

    printf("command:");
    for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
    printf("\n");
    setup_store(url);
    double raw = raw_commits_per_s(base_url);
    printf("insured: %ld (active with ID card: %ld); %.1f s per row; batch wait %u us; %s\n", opt.insured,
           people_count, opt.seconds, opt.wait_us, opt.db != NULL ? "store --db" : "synchronous=FULL, WAL");
    printf("baseline: one-row durable SQLite commits on this disk: %.0f /s\n\n", raw);
    printf("%9s %10s %12s %9s %9s %10s %10s %10s %10s\n", "batch_max", "submitters", "settled/s", "p50_ms",
           "p99_ms", "avg_batch", "per_sync", "x_commits", "x_b1s1");
    gj_engine *e = NULL;
    gj_status st;
    if (gj_engine_open(url, opt.policy_dir, &e, &st) != GJ_E_OK) die("open", &st);
    double first = 0;
    long refused = 0;
    for (int b = 0; b < opt.batch_count; b++)
        for (int s = 0; s < opt.submitter_count; s++) {
            result r = run_config(e, opt.batches[b], opt.submitters[s]);
            if (first == 0) first = r.per_s;
            refused += r.refused;
            printf("%9d %10d %12.0f %9.2f %9.2f %10.1f %10.1f %10.2f %10.2f\n", opt.batches[b], opt.submitters[s],
                   r.per_s, r.p50_ms, r.p99_ms, r.mean_batch, r.per_sync, r.per_s / raw, first > 0 ? r.per_s / first : 0);
            fflush(stdout);
        }
    json_t *report = NULL;
    /* verify reads the entries of each journal record: without this index (not yet in the
     * schema, bench/README.md) that is a full scan per record, quadratic in the journal. */
    if (gj_store_script(gj_engine_store(e), VERIFY_INDEX_SQL, &st) != GJ_E_OK) die("index", &st);
    gj_err verified = gj_verify(e, &report, &st);
    json_decref(report);
    gj_engine_close(e);
    printf("\nbooks: %s; refused settlements: %ld\n", verified == GJ_E_OK ? "verified" : st.detail, refused);
    free(people);
    if (own_dir) {
        char cmd[PATH_MAX_BYTES + 16];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", opt.dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", opt.dir);
    }
    return verified == GJ_E_OK && refused == 0 ? 0 : 1;
}
