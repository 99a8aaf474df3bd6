/* store.c — backend-independent store functions: dispatch through the vtable, URL parsing,
 * one-row helpers (counters: counter.c). */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_backend.h"

/* "sqlite:PATH?sync=off[&rollback=off]": the options after '?' (only with the sqlite: prefix,
 * so a bare path may contain '?'). sync=off: a throwaway store; rollback=off (only after it):
 * without a rollback journal (gj_store_open). */
static gj_err sqlite_options(const char *url, char *path, size_t path_size, bool *sync_off,
                             bool *rollback_off, gj_status *st) {
    const char *query = strncmp(url, "sqlite:", 7) == 0 ? strchr(url + 7, '?') : NULL;
    const char *start = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
    size_t len = query != NULL ? (size_t)(query - start) : strlen(start);
    *sync_off = *rollback_off = false;
    if (len >= path_size) return gj_fail(st, GJ_E_USAGE, "database path too long");
    memcpy(path, start, len);
    path[len] = '\0';
    if (query == NULL) return GJ_E_OK;
    *rollback_off = strcmp(query, "?sync=off&rollback=off") == 0;
    if (strcmp(query, "?sync=off") != 0 && !*rollback_off)
        return gj_fail(st, GJ_E_USAGE, "database URL option %s: only ?sync=off and ?sync=off&rollback=off are known",
                       query);
    *sync_off = true;
    return GJ_E_OK;
}

gj_err gj_store_open(const char *url, gj_store **out, gj_status *st) {
    assert(url != NULL && out != NULL);
    char path[GJ_STORE_PATH_MAX];
    bool sync_off = false, rollback_off = false;
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return gj_pg_open(url, out, st);
    gj_err e = sqlite_options(url, path, sizeof path, &sync_off, &rollback_off, st);
    if (e != GJ_E_OK) return e;
    if (*path == '\0') return gj_fail(st, GJ_E_USAGE, "empty database path");
    e = gj_sqlite_open(path, sync_off, rollback_off, out, st);
    if (e != GJ_E_OK) return e;
    e = gj_store_migrate(*out, st);
    if (e == GJ_E_OK && (*out)->ops->migrated != NULL) (*out)->ops->migrated(*out);
    if (e != GJ_E_OK) {
        gj_store_close(*out);
        *out = NULL;
    }
    return e;
}

void gj_store_close(gj_store *s) {
    if (s != NULL) s->ops->close(s);
}
const char *gj_store_backend(const gj_store *s) { return s->ops->name; }
bool gj_store_in_tx(const gj_store *s) { return s->in_tx; }
bool gj_store_spoiled(const gj_store *s) { return s->spoiled; }

static gj_err spoiled_error(gj_status *st) {
    return gj_fail(st, GJ_E_STORE, "this store keeps no rollback journal and a command was undone after it "
                                   "wrote: it can no longer be used");
}

/* A rollback=off store: a command ending in rollback spoils the store when it wrote. */
static void undo_without_journal(gj_store *s) {
    assert(s->rollback_off && s->ops->total_changes != NULL);
    if (s->ops->total_changes(s) != s->changes_at_begin) s->spoiled = true;
}

/* Savepoint statements of a command inside a batch: standard SQL, so every backend runs them
 * through its exec (and statement cache). */
static const char savepoint_sql[] = "SAVEPOINT gj_cmd";
static const char release_sql[] = "RELEASE SAVEPOINT gj_cmd";
static const char rollback_to_sql[] = "ROLLBACK TO SAVEPOINT gj_cmd";

static void savepoint_undo(gj_store *s) {
    gj_status ignored;
    store_counters_undo(s);   /* the command's counter updates are undone */
    store_facts_drop_since(s, s->facts_at_command);
    s->ops->exec(s, rollback_to_sql, NULL, 0, NULL, &ignored);
    s->ops->exec(s, release_sql, NULL, 0, NULL, &ignored);
}

gj_err gj_store_begin(gj_store *s, gj_status *st) {
    assert(!s->in_tx);
    if (s->spoiled) return spoiled_error(st);
    if (s->in_batch) {
        store_counters_mark(s);
    } else {
        store_counters_forget(s);   /* others may have written since */
        s->facts_at_tx = store_facts_mark(s);
    }
    s->facts_at_command = store_facts_mark(s);
    if (s->rollback_off) s->changes_at_begin = s->ops->total_changes(s);
    gj_err e = GJ_E_OK;
    if (!s->in_batch) e = s->ops->begin(s, st);
    else if (!s->rollback_off) e = s->ops->exec(s, savepoint_sql, NULL, 0, NULL, st);
    if (e == GJ_E_OK) s->in_tx = true;
    return e;
}

/* The outer transaction (a command outside a batch, or the batch) commits: through the
 * coordinator when other databases joined it (it ends the transaction either way). */
/* Commit the outer transaction; with d, the backend may owe the commit's sync in *d (a
 * two-phase commit never does). */
static gj_err outer_commit(gj_store *s, gj_store_durability *d, gj_status *st) {
    if (s->coord != NULL && s->coord->writes(s->coord->ctx)) {
        store_facts_drop(s);   /* two-phase: whether it commits is decided elsewhere */
        return s->coord->commit(s->coord->ctx, s, st);
    }
    gj_err e = d != NULL && s->ops->commit_visible != NULL ? s->ops->commit_visible(s, d, st)
                                                           : s->ops->commit(s, st);
    if (e != GJ_E_OK) {
        s->ops->rollback(s);
        store_facts_drop_since(s, s->facts_at_tx);
    }
    if (s->coord != NULL) s->coord->ended(s->coord->ctx);
    return e;
}

static void outer_rollback(gj_store *s) {
    s->ops->rollback(s);
    store_counters_forget(s);   /* ids counted but never written are gone with the transaction */
    store_facts_drop_since(s, s->facts_at_tx);
    if (s->coord != NULL) s->coord->ended(s->coord->ctx);
}

void gj_store_rollback_outer(gj_store *s) {
    s->ops->rollback(s);
    store_facts_drop(s);
}

static void command_end(gj_store *s, bool committed) {
    if (s->coord != NULL) s->coord->command_end(s->coord->ctx, committed);
}

gj_err gj_store_commit(gj_store *s, gj_status *st) {
    assert(s->in_tx);
    gj_err e = GJ_E_OK;
    if (s->in_batch) {
        e = s->rollback_off ? GJ_E_OK : s->ops->exec(s, release_sql, NULL, 0, NULL, st);
        if (e != GJ_E_OK) savepoint_undo(s);
        command_end(s, e == GJ_E_OK);
    } else {
        e = outer_commit(s, NULL, st);
    }
    s->in_tx = false;
    return e;
}

void gj_store_rollback(gj_store *s) {
    if (!s->in_tx) return;
    if (s->rollback_off) undo_without_journal(s);
    if (s->in_batch && s->rollback_off) {
        store_counters_undo(s);   /* nothing to roll back in the store unless it is spoiled */
        if (s->spoiled) store_facts_drop(s);   /* else it holds what it held as the command began */
        command_end(s, false);
    } else if (s->in_batch) {
        savepoint_undo(s);
        command_end(s, false);
    } else {
        outer_rollback(s);
    }
    s->in_tx = false;
}

gj_err gj_store_batch_begin(gj_store *s, gj_status *st) {
    assert(!s->in_tx && !s->in_batch);
    if (s->spoiled) return spoiled_error(st);
    store_counters_forget(s);   /* others may have written since */
    s->facts_at_tx = store_facts_mark(s);
    gj_err e = s->ops->begin(s, st);
    if (e == GJ_E_OK) s->in_batch = true;
    return e;
}

/* Both batch commits: with d, the sync may be owed (gj_store_batch_commit_visible). */
static gj_err batch_commit(gj_store *s, gj_store_durability *d, gj_status *st) {
    assert(s->in_batch && !s->in_tx);
    gj_err e = s->spoiled ? spoiled_error(st) : gj_store_counters_flush(s, st);
    if (e == GJ_E_OK) {
        e = outer_commit(s, d, st);
    } else {
        outer_rollback(s);
    }
    s->in_batch = false;
    return e;
}

gj_err gj_store_batch_commit(gj_store *s, gj_status *st) { return batch_commit(s, NULL, st); }

gj_err gj_store_batch_commit_visible(gj_store *s, gj_store_durability *d, gj_status *st) {
    assert(d != NULL);
    *d = (gj_store_durability){0};
    return batch_commit(s, d, st);
}

gj_err gj_store_make_durable(const gj_store_durability *d, gj_status *st) {
    assert(d != NULL);
    if (d->wal == NULL) return GJ_E_OK;
    assert(d->sync_to != NULL);
    return d->sync_to(d->wal, d->ticket) == 0 ? GJ_E_OK
                                              : gj_fail(st, GJ_E_STORE, "the store's log could not be synced to disk");
}

void gj_store_batch_rollback(gj_store *s) {
    assert(!s->in_tx);
    if (!s->in_batch) return;
    outer_rollback(s);
    s->in_batch = false;
}

bool gj_store_in_batch(const gj_store *s) { return s->in_batch; }

bool gj_store_background_checkpoints(gj_store *s, bool on) {
    assert(!s->in_tx && !s->in_batch);
    return s->ops->background_checkpoints != NULL && s->ops->background_checkpoints(s, on);
}

uint64_t gj_store_background_checkpoints_run(const gj_store *s) {
    return s->ops->background_checkpoints_run != NULL ? s->ops->background_checkpoints_run(s) : 0;
}

void gj_store_bulk(gj_store *s, bool on) {
    if (s->ops->bulk != NULL) s->ops->bulk(s, on);
}

/* A failed statement may have written part of its rows; without a journal nothing undoes them. */
static gj_err statement_ended(gj_store *s, gj_err e) {
    if (e != GJ_E_OK && s->rollback_off) s->spoiled = true;
    return e;
}

gj_err gj_store_exec(gj_store *s, const char *sql, const gj_param *p, int n, int64_t *changes,
                     gj_status *st) {
    assert(n >= 0 && n <= GJ_STORE_PARAMS_MAX);
    return statement_ended(s, s->ops->exec(s, sql, p, n, changes, st));
}

gj_err gj_store_script(gj_store *s, const char *sql, gj_status *st) {
    return statement_ended(s, s->ops->script(s, sql, st));
}

gj_err gj_store_query(gj_store *s, const char *sql, const gj_param *p, int n, gj_rows **out,
                      gj_status *st) {
    assert(n >= 0 && n <= GJ_STORE_PARAMS_MAX);
    return s->ops->query(s, sql, p, n, out, st);
}

bool gj_rows_next(gj_rows *r) { return r->ops->next(r); }
gj_err gj_rows_error(const gj_rows *r, gj_status *st) { return r->ops->rows_error(r, st); }
void gj_rows_end(gj_rows *r) {
    if (r != NULL) r->ops->end(r);
}
bool gj_rows_null(gj_rows *r, int col) { return r->ops->is_null(r, col); }
int64_t gj_rows_int(gj_rows *r, int col) { return r->ops->col_int(r, col); }
const char *gj_rows_text(gj_rows *r, int col) { return r->ops->col_text(r, col); }
int gj_rows_columns(gj_rows *r) { return r->ops->col_count(r); }
const char *gj_rows_column_name(gj_rows *r, int col) { return r->ops->col_name(r, col); }

gj_err gj_store_tables(gj_store *s, gj_rows **out, gj_status *st) {
    return gj_store_query(s, s->ops->tables_sql, GJ_NO_PARAMS, out, st);
}

gj_err gj_store_one_int(gj_store *s, const char *sql, const gj_param *p, int n, int64_t *out,
                        gj_status *st) {
    gj_rows *rows = NULL;
    gj_err e = gj_store_query(s, sql, p, n, &rows, st);
    if (e != GJ_E_OK) return e;
    if (gj_rows_next(rows)) {
        *out = gj_rows_int(rows, 0);
    } else {
        e = gj_rows_error(rows, st);
        if (e == GJ_E_OK) e = gj_fail(st, GJ_E_NOT_FOUND, "no row");
    }
    gj_rows_end(rows);
    return e;
}

void gj_store_set_coordinator(gj_store *s, const gj_store_coordinator *c) { s->coord = c; }

bool gj_store_gid_valid(const char *gid) {
    size_t n = strlen(gid);
    if (n < 4 || n >= GJ_GID_MAX || strncmp(gid, "gj:", 3) != 0) return false;
    for (const char *p = gid; *p != '\0'; p++)
        if (!isalnum((unsigned char)*p) && *p != ':' && *p != '-' && *p != '_') return false;
    return true;
}

static gj_err two_phase_backend(const gj_store *s, const char *gid, gj_status *st) {
    if (strcmp(s->ops->name, "postgresql") != 0)
        return gj_fail(st, GJ_E_USAGE, "two-phase commit needs PostgreSQL (this store is %s)", s->ops->name);
    if (!gj_store_gid_valid(gid)) return gj_fail(st, GJ_E_INTERNAL, "bad transaction id \"%s\"", gid);
    return GJ_E_OK;
}

gj_err gj_store_prepare(gj_store *s, const char *gid, gj_status *st) {
    assert(s->in_tx != s->in_batch && "an outer transaction, no command open inside a batch");
    char sql[GJ_GID_MAX + 32];
    gj_err e = two_phase_backend(s, gid, st);
    if (e == GJ_E_OK) e = gj_store_counters_flush(s, st);
    if (e == GJ_E_OK) {
        snprintf(sql, sizeof sql, "PREPARE TRANSACTION '%s'", gid);
        e = s->ops->script(s, sql, st);
    }
    s->ops->rollback(s);   /* no-op when prepared: the session is idle again */
    store_facts_drop(s);   /* committed or not is decided by gj_store_finish_prepared */
    s->in_tx = s->in_batch = false;
    return e;
}

gj_err gj_store_finish_prepared(gj_store *s, const char *gid, bool commit, gj_status *st) {
    assert(!s->in_tx && !s->in_batch);
    char sql[GJ_GID_MAX + 32];
    gj_err e = two_phase_backend(s, gid, st);
    if (e != GJ_E_OK) return e;
    int64_t n = 0;
    e = gj_store_one_int(s, "SELECT COUNT(*) FROM pg_prepared_xacts WHERE gid = $1 "
                            "AND database = current_database()", GJ_PARAMS(P_TEXT(gid)), &n, st);
    if (e == GJ_E_OK && n == 0) return gj_fail(st, GJ_E_NOT_FOUND, "no prepared transaction %s", gid);
    snprintf(sql, sizeof sql, "%s PREPARED '%s'", commit ? "COMMIT" : "ROLLBACK", gid);
    store_facts_drop(s);
    return e == GJ_E_OK ? s->ops->script(s, sql, st) : e;
}
