/* import_feed.c — the person CSV read and checked on a second thread (import_feed.h): a ring of
 * IMPORT_FEED_SLOTS batches under one mutex. The reader fills the slot after the `filled` ones
 * (outside the lock: the consumer never looks past `filled`), then publishes it; the consumer
 * holds the batch at `head` until its next call hands it back. */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

#include "import_feed.h"

struct import_feed {
    import_feed_batch slots[IMPORT_FEED_SLOTS];
    gj_csv_record rec;   /* the reader's */
    gj_csv_reader *reader;
    gj_date today;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ready;   /* a batch was published */
    pthread_cond_t space;   /* a slot was handed back, or stop */
    size_t head, filled;    /* slots[head] … filled batches, in order */
    bool holding;           /* the consumer holds slots[head] */
    bool last_taken;        /* the consumer has taken the last batch */
    bool stop;
};

/* Read records into b until it is full, the file ends or a record fails. */
static void fill(import_feed *f, import_feed_batch *b, long *last_line) {
    b->count = 0;
    b->last = false;
    b->err = GJ_E_OK;
    b->st = (gj_status){0};
    while (b->count < IMPORT_FEED_ROWS) {
        int got = gj_csv_next(f->reader, &f->rec, &b->st);
        if (got <= 0) {
            b->last = true;
            b->err = got < 0 ? GJ_E_IMPORT_FAILED : GJ_E_OK;
            b->err_line = *last_line;
            return;
        }
        *last_line = f->rec.line_no;
        if (f->rec.line_no == 1 && import_is_header(&f->rec)) continue;
        import_fed_row *r = &b->rows[b->count];
        gj_err e = import_parse_row(&f->rec, f->today, &r->row, &b->st);
        if (e != GJ_E_OK) {
            b->last = true;
            b->err = e;
            b->err_line = f->rec.line_no;
            return;
        }
        r->line_no = f->rec.line_no;
        b->count++;
    }
}

static void *reader_main(void *arg) {
    import_feed *f = arg;
    long last_line = 0;
    for (bool last = false; !last;) {
        pthread_mutex_lock(&f->lock);
        while (f->filled == IMPORT_FEED_SLOTS && !f->stop) pthread_cond_wait(&f->space, &f->lock);
        bool stop = f->stop;
        size_t slot = (f->head + f->filled) % IMPORT_FEED_SLOTS;
        pthread_mutex_unlock(&f->lock);
        if (stop) break;
        fill(f, &f->slots[slot], &last_line);
        last = f->slots[slot].last;
        pthread_mutex_lock(&f->lock);
        f->filled++;
        pthread_cond_signal(&f->ready);
        pthread_mutex_unlock(&f->lock);
    }
    return NULL;
}

/* Release what import_feed_start made, once no thread uses it. */
static void feed_free(import_feed *f) {
    pthread_cond_destroy(&f->space);
    pthread_cond_destroy(&f->ready);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

gj_err import_feed_start(gj_csv_reader *reader, gj_date today, import_feed **out, gj_status *st) {
    import_feed *f = calloc(1, sizeof *f);
    if (f == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    f->reader = reader;
    f->today = today;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->ready, NULL);
    pthread_cond_init(&f->space, NULL);
    if (pthread_create(&f->thread, NULL, reader_main, f) != 0) {
        feed_free(f);
        return gj_fail(st, GJ_E_INTERNAL, "cannot start the CSV reader thread");
    }
    *out = f;
    return GJ_E_OK;
}

const import_feed_batch *import_feed_next(import_feed *f) {
    const import_feed_batch *b = NULL;
    pthread_mutex_lock(&f->lock);
    if (f->holding) {   /* hand the previous batch back */
        assert(f->filled > 0);
        f->head = (f->head + 1) % IMPORT_FEED_SLOTS;
        f->filled--;
        f->holding = false;
        pthread_cond_signal(&f->space);
    }
    if (!f->last_taken) {
        while (f->filled == 0) pthread_cond_wait(&f->ready, &f->lock);
        b = &f->slots[f->head];
        f->holding = true;
        f->last_taken = b->last;
    }
    pthread_mutex_unlock(&f->lock);
    return b;
}

void import_feed_stop(import_feed *f) {
    pthread_mutex_lock(&f->lock);
    f->stop = true;
    pthread_cond_broadcast(&f->space);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    feed_free(f);
}
