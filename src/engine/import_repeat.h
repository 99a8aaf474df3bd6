/* import_repeat.h — an ID number found twice only after a bulk load (`gongji import persons`
 * into an empty SQLite database builds the unique index `person_cert` after the last row): which
 * rows repeat, and on which lines of the file they stood. */
#ifndef GONGJI_IMPORT_REPEAT_H
#define GONGJI_IMPORT_REPEAT_H

#include "engine_internal.h"

/* Where each imported row began in the file, kept as the rows whose line is not the previous
 * row's line + 1 (a header, a blank line, a quoted line break): none for a plain file. */
typedef struct {
    int64_t row;   /* 1-based, in the order imported */
    long line_no;
} import_line_jump;

typedef struct {
    import_line_jump *jumps;
    size_t count, cap;
    int64_t rows;
    long last_line_no;
} import_lines;

/* Row rows+1 began at line_no. GJ_E_INTERNAL when out of memory. */
gj_err import_lines_add(import_lines *m, long line_no, gj_status *st);
/* The line row (1..rows) began at. */
long import_lines_line(const import_lines *m, int64_t row);
void import_lines_free(import_lines *m);

/* After the rebuilt unique index refused the load: the first person row (by rowid — on the empty
 * database the load began with, row n is the n-th row imported) whose cert_type and certno
 * repeat an earlier row's. GJ_E_DUPLICATE with `*row` set and a detail naming both persons and
 * the earlier line; GJ_E_NOT_FOUND when no two rows share an ID number. */
gj_err import_find_repeat(gj_store *s, const import_lines *m, int64_t *row, gj_status *st);

#endif
