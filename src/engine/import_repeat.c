/* import_repeat.c — an ID number twice in a bulk-loaded file (see import_repeat.h): the rows'
 * line numbers, kept sparsely, and the query that finds the first repeated ID number. */
#include <assert.h>
#include <stdlib.h>

#include "gongji/array.h"
#include "import_repeat.h"

gj_err import_lines_add(import_lines *m, long line_no, gj_status *st) {
    assert(line_no > m->last_line_no);
    int64_t row = ++m->rows;
    bool follows = row > 1 && line_no == m->last_line_no + 1;
    m->last_line_no = line_no;
    if (follows) return GJ_E_OK;
    import_line_jump *room = gj_array_room(m->jumps, &m->cap, m->count, sizeof *room, 16);
    if (room == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    m->jumps = room;
    m->jumps[m->count++] = (import_line_jump){.row = row, .line_no = line_no};
    return GJ_E_OK;
}

long import_lines_line(const import_lines *m, int64_t row) {
    assert(row >= 1 && row <= m->rows && m->count > 0 && m->jumps[0].row == 1);
    size_t lo = 0, hi = m->count;   /* the last jump at or before row: jumps[lo] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->jumps[mid].row <= row) lo = mid;
        else hi = mid;
    }
    return m->jumps[lo].line_no + (long)(row - m->jumps[lo].row);
}

void import_lines_free(import_lines *m) {
    free(m->jumps);
    *m = (import_lines){0};
}

/* SQLite builds an automatic index for the join: one sort of the table, on this failure only. */
static const char first_repeat_sql[] =
    "SELECT b.rowid, b.psn_no, a.rowid, a.psn_no FROM person b JOIN person a "
    "ON a.cert_type = b.cert_type AND a.certno = b.certno AND a.rowid < b.rowid "
    "ORDER BY b.rowid, a.rowid LIMIT 1";

gj_err import_find_repeat(gj_store *s, const import_lines *m, int64_t *row, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err e = gj_store_query(s, first_repeat_sql, GJ_NO_PARAMS, &rows, st);
    if (e != GJ_E_OK) return e;
    if (!gj_rows_next(rows)) {
        e = gj_rows_error(rows, st);
        gj_rows_end(rows);
        return e != GJ_E_OK ? e : GJ_E_NOT_FOUND;
    }
    int64_t later = gj_rows_int(rows, 0), earlier = gj_rows_int(rows, 2);
    if (later > m->rows || earlier < 1) e = gj_fail(st, GJ_E_INTERNAL, "person rows do not follow the file");
    else {
        *row = later;
        e = gj_fail(st, GJ_E_DUPLICATE, "the ID number of %s is already that of %s (line %ld)",
                    gj_rows_text(rows, 1), gj_rows_text(rows, 3), import_lines_line(m, earlier));
    }
    gj_rows_end(rows);
    return e;
}
