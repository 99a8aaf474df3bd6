/* counter.c — named id counters (table counter): UPDATE next_value + 1, then the value.
 *
 * Within one transaction the connection remembers the value it last handed out per counter, so
 * the SELECT runs only for a counter's first use in a transaction. Outside a batch the UPDATE
 * still runs every time (the row is always current). Inside a group-commit batch only the first
 * use runs it — which on PostgreSQL takes the row lock to the end of the batch, and on SQLite
 * the batch holds the write lock anyway — and later ids are counted in the memo alone; the row
 * is brought up to date once (counters_flush) before the batch commits or prepares, and before
 * anything reads the row by SQL (gj_store_ids_peek, gj_store_counters_flush). A command's
 * savepoint remembers the memo as it began and restores it when rolled back, written or not.
 * The memo is forgotten whenever a transaction begins, and nothing but this file writes an
 * existing counter row (bulk loaders take blocks of ids through gj_store_ids_peek /
 * gj_store_ids_taken below). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "store_backend.h"

void store_counters_forget(gj_store *s) { s->counter_count = s->command_counter_count = 0; }

void store_counters_mark(gj_store *s) {
    assert(s->counter_count >= 0 && s->counter_count <= STORE_COUNTER_MEMO);
    memcpy(s->command_counters, s->counters, (size_t)s->counter_count * sizeof s->counters[0]);
    s->command_counter_count = s->counter_count;
}

void store_counters_undo(gj_store *s) {
    assert(s->command_counter_count <= s->counter_count);
    memcpy(s->counters, s->command_counters, (size_t)s->command_counter_count * sizeof s->counters[0]);
    s->counter_count = s->command_counter_count;
}

static store_counter_memo *memo_find(gj_store *s, const char *name) {
    for (int i = 0; i < s->counter_count; i++)
        if (strcmp(s->counters[i].name, name) == 0) return &s->counters[i];
    return NULL;
}

/* The counter row now says next_value = value + 1. */
static void memo_set(gj_store *s, const char *name, int64_t value) {
    store_counter_memo *m = memo_find(s, name);
    if (m == NULL) {
        if (s->counter_count == STORE_COUNTER_MEMO || strlen(name) >= STORE_COUNTER_NAME_MAX) return;
        m = &s->counters[s->counter_count++];
        memcpy(m->name, name, strlen(name) + 1);
    }
    m->last = value;
    m->written = true;
}

gj_err gj_store_counters_flush(gj_store *s, gj_status *st) {
    gj_err e = GJ_E_OK;
    for (int i = 0; e == GJ_E_OK && i < s->counter_count; i++) {
        store_counter_memo *m = &s->counters[i];
        if (m->written) continue;
        assert(s->in_batch && m->last >= 1);
        int64_t changes = 0;
        e = gj_store_exec(s, "UPDATE counter SET next_value = $2 WHERE name = $1",
                          GJ_PARAMS(P_TEXT(m->name), P_INT(m->last + 1)), &changes, st);
        if (e == GJ_E_OK && changes != 1)
            e = gj_fail(st, GJ_E_STORE, "counter %s vanished during the batch", m->name);
        m->written = e == GJ_E_OK;
    }
    return e;
}

gj_err gj_store_next_existing_id(gj_store *s, const char *name, int64_t *out, bool *found,
                                 gj_status *st) {
    assert(s->in_tx);
    int64_t changes = 0;
    *found = false;
    store_counter_memo *m = memo_find(s, name);
    if (m != NULL && s->in_batch) {   /* the batch already wrote (and locked) the row */
        /* ids are positive and below INT64_MAX, as the row's next_value + 1 in SQL was */
        assert(m->last >= 1 && m->last < INT64_MAX - 1);
        *out = ++m->last;
        m->written = false;
        *found = true;
        return GJ_E_OK;
    }
    gj_err e = gj_store_exec(s, "UPDATE counter SET next_value = next_value + 1 WHERE name = $1",
                             GJ_PARAMS(P_TEXT(name)), &changes, st);
    if (e != GJ_E_OK || changes == 0) return e;
    assert(changes == 1);
    *found = true;
    if (m != NULL) {
        assert(m->written);
        *out = ++m->last;
        return GJ_E_OK;
    }
    e = gj_store_one_int(s, "SELECT next_value - 1 FROM counter WHERE name = $1",
                         GJ_PARAMS(P_TEXT(name)), out, st);
    if (e == GJ_E_OK) memo_set(s, name, *out);
    return e;
}

gj_err gj_store_next_id(gj_store *s, const char *name, int64_t *out, gj_status *st) {
    bool found = false;
    gj_err e = gj_store_next_existing_id(s, name, out, &found, st);
    if (e != GJ_E_OK || found) return e;
    e = gj_store_exec(s, "INSERT INTO counter (name, next_value) VALUES ($1, 2)",
                      GJ_PARAMS(P_TEXT(name)), NULL, st);
    if (e == GJ_E_OK) {
        *out = 1;
        memo_set(s, name, 1);
    }
    return e;
}

gj_err gj_store_ids_peek(gj_store *s, const char *name, int64_t *next_out, bool *exists,
                         gj_status *st) {
    assert(s->in_tx);
    *next_out = 1;
    gj_err e = gj_store_counters_flush(s, st);
    if (e != GJ_E_OK) return e;
    e = gj_store_one_int(s, "SELECT next_value FROM counter WHERE name = $1",
                         GJ_PARAMS(P_TEXT(name)), next_out, st);
    *exists = e == GJ_E_OK;
    return e == GJ_E_NOT_FOUND ? GJ_E_OK : e;
}

gj_err gj_store_ids_taken(gj_store *s, const char *name, int64_t next_value, bool exists,
                          gj_status *st) {
    assert(s->in_tx && next_value >= 1);
    gj_err e = exists ? gj_store_exec(s, "UPDATE counter SET next_value = $2 WHERE name = $1",
                                      GJ_PARAMS(P_TEXT(name), P_INT(next_value)), NULL, st)
                      : gj_store_exec(s, "INSERT INTO counter (name, next_value) VALUES ($1, $2)",
                                      GJ_PARAMS(P_TEXT(name), P_INT(next_value)), NULL, st);
    if (e == GJ_E_OK) memo_set(s, name, next_value - 1);
    return e;
}
