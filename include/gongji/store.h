/* store.h — the storage interface the engine talks to, independent of the database.
 *
 * SQL is written once, in standard SQL with $1..$n placeholders, and runs on every backend
 * (SQLite now; PostgreSQL implements the same vtable). Statements are cached per SQL text
 * pointer, so callers pass string literals (or text built once and never changed). One gj_store is one connection, used by one
 * thread at a time. */
#ifndef GONGJI_STORE_H
#define GONGJI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongji/error.h"

enum { GJ_STORE_PARAMS_MAX = 128, GJ_STORE_PATH_MAX = 4096 };

typedef enum { GJ_PARAM_NULL, GJ_PARAM_INT, GJ_PARAM_TEXT } gj_param_kind;

typedef struct {
    gj_param_kind kind;
    int64_t i;
    const char *s;
} gj_param;

#define P_INT(v) ((gj_param){.kind = GJ_PARAM_INT, .i = (int64_t)(v)})
/* Text parameter; a NULL pointer binds SQL NULL. */
static inline gj_param gj_param_text(const char *v) {
    return (gj_param){.kind = v != NULL ? GJ_PARAM_TEXT : GJ_PARAM_NULL, .s = v};
}
#define P_TEXT(v) gj_param_text(v)
#define P_NULL ((gj_param){.kind = GJ_PARAM_NULL})
#define GJ_PARAMS(...) ((const gj_param[]){__VA_ARGS__}), \
    (int)(sizeof((const gj_param[]){__VA_ARGS__}) / sizeof(gj_param))
#define GJ_NO_PARAMS NULL, 0

typedef struct gj_store gj_store;
typedef struct gj_rows gj_rows;

/* Open by URL: "sqlite:PATH", a bare PATH (SQLite), ":memory:", or a libpq URI
 * "postgres://…" / "postgresql://…" (PostgreSQL, src/store/pg.c). Applies pending schema
 * migrations. "sqlite:PATH?sync=off" opens a throwaway store (simulations, benchmarks, never
 * real data): synchronous=OFF instead of FULL, the journal in memory, an exclusive lock.
 * "sqlite:PATH?sync=off&rollback=off" also keeps no rollback journal and opens no savepoint per
 * command in a batch, so nothing written can be undone: a command that is rolled back after
 * it wrote, or a statement that fails, leaves the store spoiled (gj_store_spoiled) — every
 * later command and batch fails with GJ_E_STORE. For stores that are thrown away and rebuilt
 * when that happens (the simulation, sim_run.c). */
gj_err gj_store_open(const char *url, gj_store **out, gj_status *st);
/* Whether this rollback=off store has lost a rollback (see gj_store_open); always false for
 * other stores. */
bool gj_store_spoiled(const gj_store *s);

/* Facts that hold for ever once committed (a row that is never deleted or changed exists, with
 * this value), remembered per connection and forgotten on every rollback (src/store/facts_memo.c).
 * get: whether `key` is remembered, and its value; put: remember it (keys under 96 bytes,
 * values under 72, else not remembered). */
bool gj_store_fact_get(const gj_store *s, const char *key, const char **value);
void gj_store_fact_put(gj_store *s, const char *key, const char *value);
void gj_store_close(gj_store *s);
const char *gj_store_backend(const gj_store *s);   /* "sqlite" | "postgresql" */

/* Write transactions are exclusive (one writer); reads outside a transaction see the last
 * commit. Nested begin is a programming error. */
gj_err gj_store_begin(gj_store *s, gj_status *st);
gj_err gj_store_commit(gj_store *s, gj_status *st);
void gj_store_rollback(gj_store *s);
bool gj_store_in_tx(const gj_store *s);

/* Group commit (the write pipeline, pipeline.h): one batch transaction around many commands.
 * Inside a batch, gj_store_begin/commit/rollback become SAVEPOINT / RELEASE / ROLLBACK TO, so a
 * refused command undoes only its own writes and the batch commits once (one fsync). Nothing
 * a command did is durable before gj_store_batch_commit returns OK. Nested batches are a
 * programming error; a batch must not be committed with a command transaction open. */
gj_err gj_store_batch_begin(gj_store *s, gj_status *st);
gj_err gj_store_batch_commit(gj_store *s, gj_status *st);
void gj_store_batch_rollback(gj_store *s);

/* A batch commit that is visible but may not be durable yet: *d says how to make it so. */
typedef struct {
    void *wal;          /* the backend's file that owes a sync, or NULL: durable already */
    uint64_t ticket;    /* the syncs owed up to and including this commit's */
    int (*sync_to)(void *wal, uint64_t ticket);   /* 0 when done */
} gj_store_durability;

/* Group commit with the sync taken off the committing thread (the write pipeline): commit the
 * batch like gj_store_batch_commit, but the commit's fsync may be owed — the batch is visible
 * to every reader at once, durable only after gj_store_make_durable(d) returns OK, so nobody
 * may be told of it before. Backends that cannot owe a sync (PostgreSQL, a two-phase batch)
 * commit durably and leave d->wal NULL. */
gj_err gj_store_batch_commit_visible(gj_store *s, gj_store_durability *d, gj_status *st);
/* Make a visible commit durable, and every commit of the same store before it. Thread-safe:
 * may run while the store's own thread goes on with the next batch (not after it is closed).
 * A failure leaves the disk's content unknown: nothing committed since the last success may be
 * acknowledged (the pipeline stops the process, as PostgreSQL does on a failed fsync). */
gj_err gj_store_make_durable(const gj_store_durability *d, gj_status *st);

/* A busy writer's checkpoints on a thread and connection of their own (SQLite: copying the
 * WAL into the database file, sqlite_checkpointer.c), instead of inside some of its commits:
 * on when `on` and the backend can (a durable SQLite file), off again with false (also at
 * close). Call with no transaction open, from the store's thread. Returns whether they are
 * now in the background. */
bool gj_store_background_checkpoints(gj_store *s, bool on);
/* Checkpoints the background thread has run so far (0 without one). */
uint64_t gj_store_background_checkpoints_run(const gj_store *s);
bool gj_store_in_batch(const gj_store *s);

/* A bulk load (gongji import persons) is about to write many rows in one transaction: the
 * backend may use more memory and write differently for it (SQLite: a 1 GiB page cache, and
 * the rollback journal instead of WAL when no other connection has the database open) until
 * gj_store_bulk(s, false). Called outside any transaction; durability and what readers see
 * do not change. */
void gj_store_bulk(gj_store *s, bool on);

/* Run a statement that returns no rows; *changes (if non-NULL) gets the rows affected. */
gj_err gj_store_exec(gj_store *s, const char *sql, const gj_param *params, int n_params,
                     int64_t *changes, gj_status *st);
/* Run a multi-statement script (migrations). */
gj_err gj_store_script(gj_store *s, const char *sql, gj_status *st);

/* Queries: gj_store_query, then gj_rows_next until it returns false, then gj_rows_end
 * (always, also after an error). Column accessors read the current row. */
gj_err gj_store_query(gj_store *s, const char *sql, const gj_param *params, int n_params,
                      gj_rows **out, gj_status *st);
bool gj_rows_next(gj_rows *r);
gj_err gj_rows_error(const gj_rows *r, gj_status *st);   /* after next() returned false */
void gj_rows_end(gj_rows *r);
bool gj_rows_null(gj_rows *r, int col);
int64_t gj_rows_int(gj_rows *r, int col);
const char *gj_rows_text(gj_rows *r, int col);           /* "" for NULL; valid until next() */
int gj_rows_columns(gj_rows *r);                         /* how many columns a row has */
const char *gj_rows_column_name(gj_rows *r, int col);

/* One-row helpers: GJ_E_NOT_FOUND when there is no row. */
gj_err gj_store_one_int(gj_store *s, const char *sql, const gj_param *params, int n_params,
                        int64_t *out, gj_status *st);

/* The names of the database's tables (the schema's, schema_version, backend internals). */
gj_err gj_store_tables(gj_store *s, gj_rows **out, gj_status *st);

/* Next value of a named counter (within the current transaction); a counter not yet in the
 * table starts at 1. */
gj_err gj_store_next_id(gj_store *s, const char *name, int64_t *out, gj_status *st);
/* gj_store_next_id for a counter that exists (*found); *found false and nothing written when
 * it does not, so the caller can start it elsewhere than at 1. */
gj_err gj_store_next_existing_id(gj_store *s, const char *name, int64_t *out, bool *found,
                                 gj_status *st);
/* A bulk loader's block of ids, in one transaction: gj_store_ids_peek gives the id counter
 * NAME would hand out next (1, *exists false, when it has no row); the loader numbers its rows
 * itself and then gj_store_ids_taken records that every id below next_value is taken (writing or
 * creating the row, and keeping the connection's memo of the counter in step). */
gj_err gj_store_ids_peek(gj_store *s, const char *name, int64_t *next_out, bool *exists,
                         gj_status *st);
gj_err gj_store_ids_taken(gj_store *s, const char *name, int64_t next_value, bool exists,
                          gj_status *st);
/* Inside a batch, ids after a counter's first use are counted in memory (src/store/counter.c);
 * this writes them to the counter rows. Batch commit and prepare do it; call it before reading
 * the counter table by SQL within a batch. */
gj_err gj_store_counters_flush(gj_store *s, gj_status *st);

/* ---- two-phase commit (PostgreSQL only; the coordinator is src/engine/xa.c) ----
 * A coordinator attached to a store learns when that store's transactions end, so that other
 * databases taking part in the same unit of work end with it: a command (savepoint) inside a
 * batch ended (command_end), the outer transaction is committed (commit replaces the plain
 * COMMIT and must end the store's transaction, prepared and committed
 * or rolled back) while writes() says other databases were written, else the store commits
 * or rolls back itself and then tells the coordinator (ended) to release the others. */
typedef struct {
    void *ctx;
    bool (*writes)(void *ctx);
    void (*command_end)(void *ctx, bool committed);
    gj_err (*commit)(void *ctx, gj_store *s, gj_status *st);
    void (*ended)(void *ctx);
} gj_store_coordinator;
/* Attach (NULL detaches). The coordinator must outlive the store's transactions. */
void gj_store_set_coordinator(gj_store *s, const gj_store_coordinator *c);

/* For a coordinator's commit: roll the outer transaction back, no hooks called. */
void gj_store_rollback_outer(gj_store *s);

enum { GJ_GID_MAX = 128 };
/* A global transaction id: "gj:" then letters, digits, ':', '-', '_' (it is spliced into SQL). */
bool gj_store_gid_valid(const char *gid);
/* PREPARE TRANSACTION gid for the open outer transaction (a command transaction outside a batch,
 * or a batch with no command open). The transaction ends either way: prepared (it survives
 * crashes and is ended by gj_store_finish_prepared, from any connection to the database) or,
 * on failure, rolled back. SQLite: USAGE. */
gj_err gj_store_prepare(gj_store *s, const char *gid, gj_status *st);
/* COMMIT PREPARED / ROLLBACK PREPARED gid, outside any transaction. NOT_FOUND when no
 * transaction is prepared under gid in this database (already ended). */
gj_err gj_store_finish_prepared(gj_store *s, const char *gid, bool commit, gj_status *st);

#endif
