/* import_batch.c — multi-row INSERTs for the bulk import (see import_batch.h). */
#include "import_batch.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"

void import_batch_sql_build(import_batch_sql *out, const char *head, int columns, const char *one) {
    assert(columns >= 1 && columns <= GJ_STORE_PARAMS_MAX);
    size_t used = (size_t)snprintf(out->full, sizeof out->full, "%s VALUES ", head);
    int rows = GJ_STORE_PARAMS_MAX / columns;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++) {
            assert(used < sizeof out->full);
            used += (size_t)snprintf(out->full + used, sizeof out->full - used, "%s$%d%s",
                                     c > 0 ? "," : r > 0 ? ",(" : "(", r * columns + c + 1,
                                     c == columns - 1 ? ")" : "");
        }
    assert(used < sizeof out->full && "IMPORT_BATCH_SQL_MAX holds a full batch");
    out->one = one;
    out->columns = columns;
    out->rows = rows;
}

void import_batch_begin(import_batch *b, const import_batch_sql *sql) {
    assert(sql->rows >= 1 && sql->rows * sql->columns <= GJ_STORE_PARAMS_MAX);
    b->sql = sql;
    b->held = 0;
}

gj_err import_batch_add(gj_store *s, import_batch *b, const gj_param *row, gj_status *st) {
    const int columns = b->sql->columns;
    assert(b->held < b->sql->rows);
    for (int c = 0; c < columns; c++) {
        int k = b->held * columns + c;
        b->params[k] = row[c];
        if (row[c].kind != GJ_PARAM_TEXT) continue;
        assert(strlen(row[c].s) < IMPORT_BATCH_TEXT_MAX);
        gj_copy_text(b->text[k], IMPORT_BATCH_TEXT_MAX, row[c].s);
        b->params[k].s = b->text[k];
    }
    if (++b->held < b->sql->rows) return GJ_E_OK;
    b->held = 0;
    return gj_store_exec(s, b->sql->full, b->params, b->sql->rows * columns, NULL, st);
}

gj_err import_batch_flush(gj_store *s, import_batch *b, gj_status *st) {
    gj_err e = GJ_E_OK;
    for (int r = 0; e == GJ_E_OK && r < b->held; r++)
        e = gj_store_exec(s, b->sql->one, b->params + r * b->sql->columns, b->sql->columns, NULL, st);
    b->held = 0;
    return e;
}
