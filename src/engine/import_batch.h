/* import_batch.h — rows of one table written by `gongji import persons` several at a time:
 * each row's values are copied into the batch, and a full batch (as many rows as
 * GJ_STORE_PARAMS_MAX parameters hold) goes to the store as one multi-row INSERT, sparing
 * SQLite's per-statement work (start, cursors, halt, reset) for all rows but one; the rows left
 * at the end go one statement each. Only for rows whose keys cannot collide (the entries and
 * postings of fresh entry ids): a refused batch names no row. */
#ifndef GONGJI_IMPORT_BATCH_H
#define GONGJI_IMPORT_BATCH_H

#include "gongji/store.h"

enum {
    IMPORT_BATCH_TEXT_MAX = 64,   /* bytes of a text value, with its NUL (account codes) */
    IMPORT_BATCH_SQL_MAX = 4096,  /* bytes of a full batch's INSERT */
};

/* The SQL of one table's batches, built once (import_batch_sql_build) and never changed: the store's
 * statement cache knows a statement by the address of its text. */
typedef struct {
    char full[IMPORT_BATCH_SQL_MAX];   /* `rows` rows: $1..$(rows × columns) */
    const char *one;                   /* one row: $1..$columns */
    int columns, rows;
} import_batch_sql;

typedef struct {
    const import_batch_sql *sql;
    int held;                                          /* rows waiting */
    gj_param params[GJ_STORE_PARAMS_MAX];
    char text[GJ_STORE_PARAMS_MAX][IMPORT_BATCH_TEXT_MAX];
} import_batch;

/* Build `out` for "head VALUES (...)" (head: "INSERT INTO t (a, b)" or a dialect's form) with
 * as many rows of `columns` values as GJ_STORE_PARAMS_MAX allows; `one` is the one-row form,
 * a string literal. */
void import_batch_sql_build(import_batch_sql *out, const char *head, int columns, const char *one);
void import_batch_begin(import_batch *b, const import_batch_sql *sql);
/* Hold one row (sql->columns values; text values are copied, at most IMPORT_BATCH_TEXT_MAX - 1
 * bytes, asserted); a full batch is written. */
gj_err import_batch_add(gj_store *s, import_batch *b, const gj_param *row, gj_status *st);
/* Write the rows still held, one statement each. */
gj_err import_batch_flush(gj_store *s, import_batch *b, gj_status *st);

#endif
