/* transfer.c — `gongji migrate`: copy every table of one database into another (an embedded
 * SQLite deployment into PostgreSQL), then prove the copy: per table the row count and an
 * order-independent digest of the rows agree on both sides, and `verify` (books balanced,
 * balances equal postings, hash chain intact) passes on both with the same chain head.
 *
 * Tables are copied generically (every table of the source but schema_version and backend
 * internals, every column by name) in one target transaction, read from one source snapshot.
 * The schema has no foreign keys, so any order is a dependency order; both sides are at the
 * same schema version because opening a store applies the pending migrations. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "gongji/progress.h"

enum { COPY_TABLES_MAX = 64, COPY_NAME_MAX = 64, COPY_SQL_MAX = 4096, COPY_POOL_MAX = 4 * COPY_TABLES_MAX };

/* Generated SQL stays allocated until both stores are closed: stores cache statements by the
 * SQL text's address, which must not be reused for other text meanwhile. */
typedef struct {
    char *sql[COPY_POOL_MAX];
    int n;
} sql_pool;

typedef struct {
    char name[COPY_NAME_MAX];
    int64_t rows;
    uint64_t digest_from, digest_to;
} table_copy;

typedef struct {
    table_copy tables[COPY_TABLES_MAX];
    int n;
    int64_t total_rows;
    gj_progress progress;
    sql_pool pool;
} copy_job;

static const char *pool_sql(sql_pool *p, const char *fmt, const char *a, const char *b) {
    assert(p->n < COPY_POOL_MAX);
    char *sql = malloc(COPY_SQL_MAX);
    assert(sql != NULL);
    snprintf(sql, COPY_SQL_MAX, fmt, a, b != NULL ? b : "");
    p->sql[p->n++] = sql;
    return sql;
}

static void pool_free(sql_pool *p) {
    for (int i = 0; i < p->n; i++) free(p->sql[i]);
    p->n = 0;
}

static bool copied_table(const char *name) {
    return strcmp(name, "schema_version") != 0 && strcmp(name, "store_lock") != 0 &&
           strlen(name) < COPY_NAME_MAX;
}

static gj_err list_tables(gj_store *s, copy_job *job, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_tables(s, &rows, st);
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        const char *name = gj_rows_text(rows, 0);
        if (!copied_table(name)) continue;
        if (job->n == COPY_TABLES_MAX) err = gj_fail(st, GJ_E_TOO_LARGE, "more than %d tables", COPY_TABLES_MAX);
        else snprintf(job->tables[job->n++].name, COPY_NAME_MAX, "%s", name);
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* Order-independent digest of a table: the sum (mod 2^64) of a hash of every row. */
static gj_err table_digest(gj_store *s, copy_job *job, const char *table, uint64_t *out,
                           gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(s, pool_sql(&job->pool, "SELECT * FROM %s%s", table, NULL),
                                GJ_NO_PARAMS, &rows, st);
    *out = 0;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        char line[COPY_SQL_MAX * 4] = "", hex[GJ_HASH_HEX];
        size_t len = 0;
        for (int c = 0; c < gj_rows_columns(rows) && len < sizeof line; c++)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s\x1f",
                                    gj_rows_null(rows, c) ? "\x1e" : gj_rows_text(rows, c));
        sha256_hex(line, len < sizeof line ? len : sizeof line - 1, hex);
        hex[16] = '\0';
        *out += strtoull(hex, NULL, 16);
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* Refuse a target that holds rows, unless force: then empty it. */
static gj_err prepare_target(gj_store *to, copy_job *job, bool force, gj_status *st) {
    for (int t = 0; t < job->n; t++) {
        const char *name = job->tables[t].name;
        int64_t count = 0;
        gj_err err = gj_store_one_int(to, pool_sql(&job->pool, "SELECT COUNT(*) FROM %s%s", name, NULL),
                                      GJ_NO_PARAMS, &count, st);
        if (err != GJ_E_OK) return err;
        if (count > 0 && !force)
            return gj_fail(st, GJ_E_DUPLICATE, "target is not empty (%s has %lld rows); --force "
                           "replaces its contents", name, (long long)count);
        if (count > 0) err = gj_store_exec(to, pool_sql(&job->pool, "DELETE FROM %s%s", name, NULL),
                                           GJ_NO_PARAMS, NULL, st);
        if (err != GJ_E_OK) return err;
    }
    return GJ_E_OK;
}

/* "INSERT INTO t (a, b) VALUES ($1, $2)" for the columns of rows. */
static const char *insert_sql(copy_job *job, const char *table, gj_rows *rows) {
    char cols[COPY_SQL_MAX / 2] = "", vals[COPY_SQL_MAX / 2] = "";
    size_t lc = 0, lv = 0;
    for (int c = 0; c < gj_rows_columns(rows); c++) {
        lc += (size_t)snprintf(cols + lc, sizeof cols - lc, "%s%s", c ? ", " : "", gj_rows_column_name(rows, c));
        lv += (size_t)snprintf(vals + lv, sizeof vals - lv, "%s$%d", c ? ", " : "", c + 1);
        assert(lc < sizeof cols && lv < sizeof vals);
    }
    char fmt[COPY_SQL_MAX];
    snprintf(fmt, sizeof fmt, "INSERT INTO %%s (%s) VALUES (%%s)", cols);
    return pool_sql(&job->pool, fmt, table, vals);
}

/* Copy one table row by row; values travel as text and each backend converts by column type. */
static gj_err copy_table(gj_store *from, gj_store *to, copy_job *job, table_copy *t,
                         int64_t *done, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(from, pool_sql(&job->pool, "SELECT * FROM %s%s", t->name, NULL),
                                GJ_NO_PARAMS, &rows, st);
    const char *insert = NULL;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        int n = gj_rows_columns(rows);
        if (n > GJ_STORE_PARAMS_MAX) err = gj_fail(st, GJ_E_TOO_LARGE, "table %s: %d columns", t->name, n);
        if (err != GJ_E_OK) break;
        if (insert == NULL) insert = insert_sql(job, t->name, rows);
        gj_param p[GJ_STORE_PARAMS_MAX];
        for (int c = 0; c < n; c++) p[c] = gj_rows_null(rows, c) ? P_NULL : P_TEXT(gj_rows_text(rows, c));
        err = gj_store_exec(to, insert, p, n, NULL, st);
        t->rows++;
        gj_progress_update(&job->progress, (uint64_t)++*done);
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

static gj_err count_rows(gj_store *from, copy_job *job, gj_status *st) {
    for (int t = 0; t < job->n; t++) {
        int64_t count = 0;
        gj_err err = gj_store_one_int(from, pool_sql(&job->pool, "SELECT COUNT(*) FROM %s%s",
                                                     job->tables[t].name, NULL), GJ_NO_PARAMS, &count, st);
        if (err != GJ_E_OK) return err;
        job->total_rows += count;
    }
    return GJ_E_OK;
}

/* Copy inside one source snapshot and one target transaction; digests of both sides. */
static gj_err copy_all(gj_store *from, gj_store *to, copy_job *job, bool force, bool progress,
                       gj_status *st) {
    gj_err err = list_tables(from, job, st);
    if (err == GJ_E_OK) err = gj_store_begin(from, st);
    if (err != GJ_E_OK) return err;
    err = count_rows(from, job, st);
    if (err == GJ_E_OK) err = gj_store_begin(to, st);
    if (err == GJ_E_OK) {
        err = prepare_target(to, job, force, st);
        int64_t done = 0;
        gj_progress_start(&job->progress, "migrate", progress ? (uint64_t)job->total_rows : 0);
        job->progress.enabled = job->progress.enabled && progress;
        for (int t = 0; err == GJ_E_OK && t < job->n; t++)
            err = copy_table(from, to, job, &job->tables[t], &done, st);
        gj_progress_finish(&job->progress);
        if (err == GJ_E_OK) err = gj_store_commit(to, st);
        else gj_store_rollback(to);
    }
    for (int t = 0; err == GJ_E_OK && t < job->n; t++) {
        err = table_digest(from, job, job->tables[t].name, &job->tables[t].digest_from, st);
        if (err == GJ_E_OK) err = table_digest(to, job, job->tables[t].name, &job->tables[t].digest_to, st);
    }
    gj_store_rollback(from);
    return err;
}

static json_t *tables_json(const copy_job *job, bool *same) {
    json_t *arr = json_array();
    for (int t = 0; t < job->n; t++) {
        const table_copy *c = &job->tables[t];
        *same = *same && c->digest_from == c->digest_to;
        json_array_append_new(arr, json_pack("{s:s, s:I, s:b}", "table", c->name, "rows",
                                             (json_int_t)c->rows, "same", c->digest_from == c->digest_to));
    }
    return arr;
}

/* Verify both sides; the same chain head and the same counts. */
static gj_err verify_both(gj_engine *from, gj_engine *to, json_t *report, bool *same,
                          gj_status *st) {
    json_t *vf = NULL, *vt = NULL;
    gj_err err = gj_verify(from, &vf, st);
    if (err == GJ_E_OK) err = gj_verify(to, &vt, st);
    const char *keys[] = {"head_hash", "journal_records", "entries", "accounts"};
    for (size_t k = 0; err == GJ_E_OK && k < sizeof keys / sizeof keys[0]; k++)
        *same = *same && json_equal(json_object_get(vf, keys[k]), json_object_get(vt, keys[k]));
    json_object_set_new(report, "verify_from", vf != NULL ? vf : json_null());
    json_object_set_new(report, "verify_to", vt != NULL ? vt : json_null());
    return err;
}

gj_err gj_migrate_copy(const char *from_url, const char *to_url, const char *policy_dir, bool force,
                       bool progress, json_t **out, gj_status *st) {
    if (strcmp(from_url, to_url) == 0) return gj_fail(st, GJ_E_USAGE, "--from and --to are the same database");
    gj_engine *from = NULL, *to = NULL;
    copy_job *job = calloc(1, sizeof *job);
    if (job == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err err = gj_engine_open(from_url, policy_dir, &from, st);
    if (err == GJ_E_OK) err = gj_engine_open(to_url, policy_dir, &to, st);
    if (err == GJ_E_OK) err = copy_all(from->store, to->store, job, force, progress, st);
    bool same = true;
    json_t *report = json_object();
    if (err == GJ_E_OK) {
        json_object_set_new(report, "tables", tables_json(job, &same));
        err = verify_both(from, to, report, &same, st);
    }
    gj_engine_close(from);
    gj_engine_close(to);
    pool_free(&job->pool);
    json_object_set_new(report, "rows", json_integer(job->total_rows));
    json_object_set_new(report, "ok", json_boolean(err == GJ_E_OK && same));
    free(job);
    if (err == GJ_E_OK && !same)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "the copy differs from the source (see tables and verify)");
    if (err != GJ_E_OK && err != GJ_E_LEDGER_UNBALANCED) {
        json_decref(report);
        return err;
    }
    *out = report;
    return err;
}
