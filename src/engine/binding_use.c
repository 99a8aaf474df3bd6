/* binding_use.c — each binding's mutual-aid use as a running total per settlement year (table
 * binding_use, schema 010): what a member has received under a binding, in total and in a year,
 * for the limits of R3.5. The settlement's transaction adds each source it draws; its
 * cancellation takes them off again; the settlement reads one row per year instead of summing
 * every earlier source. `gongji verify` recomputes the totals from the sources of settled
 * settlements (binding_use_check). Nothing else writes the table. */
#include <assert.h>
#include <string.h>

#include "engine_internal.h"

gj_err binding_use_add(gj_store *s, const char *binding_id, int year, gj_fen amount_fen,
                       gj_status *st) {
    assert(binding_id[0] != '\0' && amount_fen > 0);
    int64_t changed = 0;   /* 0: the sum would leave int64 (SQLite would make it a REAL) */
    gj_err err = gj_store_exec(s, "INSERT INTO binding_use (binding_id, setl_year, used_fen) VALUES ($1, $2, $3) "
                                  "ON CONFLICT (binding_id, setl_year) DO UPDATE SET "
                                  "used_fen = binding_use.used_fen + excluded.used_fen "
                                  "WHERE binding_use.used_fen <= 9223372036854775807 - excluded.used_fen",
                               GJ_PARAMS(P_TEXT(binding_id), P_INT(year), P_INT(amount_fen)), &changed, st);
    if (err == GJ_E_OK && changed == 0)
        err = gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "binding %s: use in %d would leave the int64 range", binding_id, year);
    return err;
}

gj_err binding_use_cancel(gj_store *s, const char *setl_id, gj_status *st) {
    return gj_store_exec(s, "UPDATE binding_use SET used_fen = used_fen - "
                            "(SELECT SUM(x.amount_fen) FROM settlement_source x "
                            "WHERE x.setl_id = $1 AND x.binding_id = binding_use.binding_id) "
                            "WHERE setl_year = (SELECT setl_year FROM settlement WHERE setl_id = $1) "
                            "AND binding_id IN (SELECT binding_id FROM settlement_source WHERE setl_id = $1)",
                         GJ_PARAMS(P_TEXT(setl_id)), NULL, st);
}

gj_err binding_use_read(gj_store *s, const char *binding_id, int year, gj_fen *total_fen,
                        gj_fen *year_fen, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(s, "SELECT COALESCE(SUM(used_fen), 0), "
                                   "COALESCE(SUM(CASE WHEN setl_year = $2 THEN used_fen ELSE 0 END), 0) "
                                   "FROM binding_use WHERE binding_id = $1",
                                GJ_PARAMS(P_TEXT(binding_id), P_INT(year)), &rows, st);
    if (err != GJ_E_OK) return err;
    *total_fen = *year_fen = 0;
    if (gj_rows_next(rows)) {
        *total_fen = gj_rows_int(rows, 0);
        *year_fen = gj_rows_int(rows, 1);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && (*year_fen < 0 || *total_fen < *year_fen))   /* only by editing the table */
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "binding %s: recorded use %lld fen in total, %lld in %d "
                      "(gongji verify names the difference)", binding_id, (long long)*total_fen,
                      (long long)*year_fen, year);
    return err;
}

/* The totals the sources of settled settlements make, per binding and year (no row: none). */
#define DERIVED_USE "SELECT x.binding_id, s.setl_year, SUM(x.amount_fen) AS used_fen " \
                    "FROM settlement_source x JOIN settlement s ON s.setl_id = x.setl_id "  \
                    "WHERE s.status = 'settled' GROUP BY x.binding_id, s.setl_year"

gj_err binding_use_check(gj_store *s, gj_status *st) {
    gj_rows *rows = NULL;
    /* both directions: a stored total that differs or should not be there (a zero total stays
     * after a cancellation), and a total the sources make that is missing */
    gj_err err = gj_store_query(s, "SELECT binding_id, setl_year, used_fen, 'recorded' FROM "
                                   "(SELECT binding_id, setl_year, used_fen FROM binding_use WHERE used_fen <> 0 "
                                   "EXCEPT " DERIVED_USE ") a "
                                   "UNION ALL SELECT binding_id, setl_year, used_fen, 'settled' FROM "
                                   "(" DERIVED_USE " EXCEPT SELECT binding_id, setl_year, used_fen FROM binding_use) b "
                                   "ORDER BY 1, 2, 4 LIMIT 1",
                                GJ_NO_PARAMS, &rows, st);
    if (err != GJ_E_OK) return err;
    if (!gj_rows_next(rows))
        err = gj_rows_error(rows, st);
    else if (strcmp(gj_rows_text(rows, 3), "recorded") == 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "binding %s, %lld: recorded use %lld fen, not what its "
                      "settlements drew", gj_rows_text(rows, 0), (long long)gj_rows_int(rows, 1),
                      (long long)gj_rows_int(rows, 2));
    else
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "binding %s, %lld: its settlements drew %lld fen, "
                      "recorded use differs", gj_rows_text(rows, 0), (long long)gj_rows_int(rows, 1),
                      (long long)gj_rows_int(rows, 2));
    gj_rows_end(rows);
    return err;
}
