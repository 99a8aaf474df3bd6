/* harness.c — the fuzz targets' shared engine, baseline and checks (see harness.h). The
 * baseline lives in an attached in-memory database "base": one copy per table, taken by
 * harness_snapshot and copied back by harness_restore after a commit. A commit shows in the
 * journal, the national message log or an id counter (the fingerprint below); work rolled back
 * shows in none, and needs no restore. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#ifndef GJ_POLICY_DIR
#error "GJ_POLICY_DIR must name the policies directory"
#endif

static gj_engine *engine;
static char *restore_sql;        /* DELETE + INSERT … SELECT for every table */
static int64_t baseline_mark;    /* fingerprint() of the baseline */

static int64_t fingerprint(gj_engine *e) {
    return harness_int(e, "SELECT (SELECT COUNT(*) FROM journal) + (SELECT COUNT(*) FROM message) + "
                          "(SELECT COALESCE(SUM(next_value), 0) FROM counter)");
}

void harness_check(bool ok, const char *what, const char *detail) {
    if (ok) return;
    fprintf(stderr, "fuzz finding: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

void harness_ok(gj_err err, const gj_status *st, const char *step) {
    harness_check(err == GJ_E_OK, step, st->detail);
}

gj_engine *harness_engine(void) {
    if (engine != NULL) return engine;
    gj_status st;
    gj_status_clear(&st);
    gj_time now = 0;
    harness_ok(gj_time_parse("2026-03-10 10:00:00", &now), &st, "clock");
    gj_clock_fix(now);
    harness_ok(gj_engine_open(":memory:", GJ_POLICY_DIR, &engine, &st), &st, "open the engine");
    return engine;
}

int64_t harness_int(gj_engine *e, const char *sql) {
    gj_status st;
    int64_t v = 0;
    gj_status_clear(&st);
    harness_ok(gj_store_one_int(gj_engine_store(e), sql, GJ_NO_PARAMS, &v, &st), &st, sql);
    return v;
}

/* Appends to a growing malloc'd string. */
static void append(char **buf, size_t *len, const char *a, const char *b, const char *c) {
    size_t add = strlen(a) + strlen(b) + strlen(c);
    char *grown = realloc(*buf, *len + add + 1);
    harness_check(grown != NULL, "out of memory", NULL);
    snprintf(grown + *len, add + 1, "%s%s%s", a, b, c);
    *buf = grown;
    *len += add;
}

void harness_snapshot(gj_engine *e) {
    gj_store *s = gj_engine_store(e);
    gj_status st;
    gj_rows *rows = NULL;
    char *copy_sql = NULL;
    size_t copy_len = 0, restore_len = 0;
    gj_status_clear(&st);
    harness_check(restore_sql == NULL, "harness_snapshot called twice", NULL);
    append(&copy_sql, &copy_len, "ATTACH DATABASE ':memory:' AS base; BEGIN; ", "", "");
    append(&restore_sql, &restore_len, "PRAGMA foreign_keys = OFF; BEGIN; ", "", "");
    harness_ok(gj_store_query(s, "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite_%' ORDER BY name", GJ_NO_PARAMS, &rows, &st),
               &st, "list tables");
    while (gj_rows_next(rows)) {
        const char *t = gj_rows_text(rows, 0);
        append(&copy_sql, &copy_len, "CREATE TABLE base.\"", t, "\" AS ");
        append(&copy_sql, &copy_len, "SELECT * FROM main.\"", t, "\"; ");
        append(&restore_sql, &restore_len, "DELETE FROM main.\"", t, "\"; ");
        append(&restore_sql, &restore_len, "INSERT INTO main.\"", t, "\" ");
        append(&restore_sql, &restore_len, "SELECT * FROM base.\"", t, "\"; ");
    }
    harness_ok(gj_rows_error(rows, &st), &st, "list tables");
    gj_rows_end(rows);
    append(&copy_sql, &copy_len, "COMMIT;", "", "");
    append(&restore_sql, &restore_len, "COMMIT; PRAGMA foreign_keys = ON;", "", "");
    harness_ok(gj_store_script(s, copy_sql, &st), &st, "copy the baseline");
    free(copy_sql);
    baseline_mark = fingerprint(e);
}

void harness_restore(gj_engine *e) {
    if (restore_sql == NULL || fingerprint(e) == baseline_mark) return;
    gj_status st;
    json_t *report = NULL;
    gj_status_clear(&st);
    gj_err err = gj_verify(e, &report, &st);
    json_decref(report);
    harness_ok(err, &st, "the books no longer verify");
    harness_ok(gj_store_script(gj_engine_store(e), restore_sql, &st), &st, "restore the baseline");
    harness_check(fingerprint(e) == baseline_mark, "the baseline did not come back", NULL);
}

FILE *harness_file(const uint8_t *data, size_t size) {
    if (size == 0) return NULL;
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    harness_check(f != NULL, "fmemopen", NULL);
    return f;
}
