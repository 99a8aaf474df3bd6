/* csv.h — a strict RFC 4180 CSV line reader (quoted fields, "" escapes, CRLF or LF) and the
 * field writer that quotes what the reader needs quoted. */
#ifndef GONGJI_CSV_H
#define GONGJI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gongji/error.h"

enum { GJ_CSV_FIELDS_MAX = 32, GJ_CSV_LINE_MAX = 4096 };

typedef struct {
    char buf[GJ_CSV_LINE_MAX];
    char *field[GJ_CSV_FIELDS_MAX];
    size_t count;
    long line_no;     /* physical line number where this record started (1-based) */
} gj_csv_record;

typedef struct {
    FILE *file;
    long line_no;
} gj_csv_reader;

void gj_csv_open(gj_csv_reader *r, FILE *file);
/* Read the next record. Returns 1 on a record, 0 at end of file, -1 on a malformed record
 * (unterminated quote, too many fields, line too long) with the reason in st. A UTF-8 BOM at
 * the start of the file is skipped. */
int gj_csv_next(gj_csv_reader *r, gj_csv_record *rec, gj_status *st);

/* Call fn for every record of the file (the first skipped when it is a header whose first field
 * is `header`); stops at the first error fn returns. A malformed record is BAD_FIELD. */
typedef gj_err (*gj_csv_fn)(void *ctx, const gj_csv_record *rec, gj_status *st);
gj_err gj_csv_each(FILE *file, const char *header, gj_csv_fn fn, void *ctx, gj_status *st);

/* Write `text` as one CSV field: as it is, or inside quotes with every quote doubled when it
 * holds a comma, quote, CR or LF (what gj_csv_next reads back as `text`). No separator. */
void gj_csv_write_field(FILE *f, const char *text);

#endif
