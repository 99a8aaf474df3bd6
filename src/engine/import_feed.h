/* import_feed.h — the rows of a person CSV read and checked (import_parse_row) on a second thread
 * while the import's own thread writes the rows before them: on a 2-core machine the CSV and the
 * ID-number checks leave the writer's core. Rows come in batches, in file order; a bad record
 * ends the feed with its error, after the rows that preceded it, so the import fails exactly
 * where it failed when one thread did both. */
#ifndef GONGJI_IMPORT_FEED_H
#define GONGJI_IMPORT_FEED_H

#include "gongji/csv.h"
#include "import_row.h"

enum {
    IMPORT_FEED_ROWS = 512,   /* rows per batch: one hand-over (a lock, a wake-up) per batch */
    IMPORT_FEED_SLOTS = 4,    /* batches in flight: the reader runs at most this far ahead */
};

typedef struct {
    import_row row;
    long line_no;   /* the record's first line in the file */
} import_fed_row;

typedef struct {
    import_fed_row rows[IMPORT_FEED_ROWS];
    size_t count;
    bool last;       /* nothing follows: end of file, or `err` */
    gj_err err;      /* with `last`: GJ_E_OK at end of file, else why the next record failed */
    long err_line;   /* with `last`: the line an import names for `err` (at end of file: the
                        last record's) */
    gj_status st;    /* with `last` and an error: its detail */
} import_feed_batch;

typedef struct import_feed import_feed;

/* Start reading `reader` (nothing else reads it until import_feed_stop); rows are checked as of
 * `today`. GJ_E_INTERNAL when memory or a thread is not to be had. */
gj_err import_feed_start(gj_csv_reader *reader, gj_date today, import_feed **out, gj_status *st);
/* The next batch, in file order, valid until the next call; NULL after the last one. Waits while
 * the reader is behind. */
const import_feed_batch *import_feed_next(import_feed *f);
/* Stop the reader (also before the end of the file), wait for it, free everything. */
void import_feed_stop(import_feed *f);

#endif
