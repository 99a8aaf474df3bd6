/* store_backend.h — the vtable each storage backend implements (private to src/store). */
#ifndef GONGJI_STORE_BACKEND_H
#define GONGJI_STORE_BACKEND_H

#include "gongji/store.h"

typedef struct {
    const char *name;
    gj_err (*begin)(gj_store *s, gj_status *st);
    gj_err (*commit)(gj_store *s, gj_status *st);
    /* optional: commit, owing the sync in *d (gj_store_batch_commit_visible) */
    gj_err (*commit_visible)(gj_store *s, gj_store_durability *d, gj_status *st);
    void (*rollback)(gj_store *s);
    gj_err (*exec)(gj_store *s, const char *sql, const gj_param *p, int n, int64_t *changes,
                   gj_status *st);
    gj_err (*script)(gj_store *s, const char *sql, gj_status *st);
    gj_err (*query)(gj_store *s, const char *sql, const gj_param *p, int n, gj_rows **out,
                    gj_status *st);
    bool (*next)(gj_rows *r);
    gj_err (*rows_error)(const gj_rows *r, gj_status *st);
    void (*end)(gj_rows *r);
    bool (*is_null)(gj_rows *r, int col);
    int64_t (*col_int)(gj_rows *r, int col);
    const char *(*col_text)(gj_rows *r, int col);
    int (*col_count)(gj_rows *r);
    const char *(*col_name)(gj_rows *r, int col);
    void (*close)(gj_store *s);
    void (*bulk)(gj_store *s, bool on);   /* optional: gj_store_bulk */
    bool (*background_checkpoints)(gj_store *s, bool on);          /* optional */
    uint64_t (*background_checkpoints_run)(const gj_store *s);     /* with the one above */
    int64_t (*total_changes)(gj_store *s);   /* rows written since open (rollback=off stores) */
    void (*migrated)(gj_store *s);   /* optional: gj_store_open migrated the new connection */
    const char *tables_sql;   /* one column: the names of the user tables */
} gj_store_ops;

enum { STORE_COUNTER_MEMO = 8, STORE_COUNTER_NAME_MAX = 32 };
/* 256 slots: the ~30 facts a region's settlements keep asking (institutions, fund accounts)
 * rarely share a slot (64 slots left about a third of those lookups to the database). */
enum { STORE_FACTS_SLOTS = 256, STORE_FACT_KEY_MAX = 96, STORE_FACT_VALUE_MAX = 96 };

/* A fact remembered by facts_memo.c; an empty key: the slot is free. learnt: the memo's
 * count of facts put when this one was (store_facts_mark). */
typedef struct {
    char key[STORE_FACT_KEY_MAX];
    char value[STORE_FACT_VALUE_MAX];
    uint64_t learnt;
} store_fact;

/* A counter's value as last handed out in the current transaction (counter.c); written: the
 * counter row says so too (false only inside a batch, until counters_flush). */
typedef struct {
    char name[STORE_COUNTER_NAME_MAX];
    int64_t last;
    bool written;
} store_counter_memo;

/* Every backend's connection struct starts with this header (zeroed at open). */
struct gj_store {
    const gj_store_ops *ops;
    bool in_tx;       /* a command transaction (a savepoint when in_batch) */
    bool in_batch;    /* a group-commit batch transaction (gj_store_batch_begin) */
    bool rollback_off;   /* "?rollback=off": no journal, no savepoints (gj_store_open) */
    bool spoiled;        /* rollback_off and a rollback or a statement failed: nothing more */
    int64_t changes_at_begin;   /* rollback_off: total_changes as the command began */
    const gj_store_coordinator *coord;   /* two-phase commit (gj_store_set_coordinator) or NULL */
    store_counter_memo counters[STORE_COUNTER_MEMO];
    int counter_count;
    store_counter_memo command_counters[STORE_COUNTER_MEMO];   /* as the command's savepoint began */
    int command_counter_count;
    store_fact facts[STORE_FACTS_SLOTS];   /* facts_memo.c */
    uint64_t facts_learnt;       /* facts put so far: the last one's learnt */
    uint64_t facts_at_tx;        /* facts_learnt as the outer transaction (or batch) began */
    uint64_t facts_at_command;   /* facts_learnt as the command's savepoint began */
};

/* Forget every remembered fact (facts_memo.c): on anything that could undo a write whose
 * extent this connection does not know (two-phase commit). */
void store_facts_drop(gj_store *s);

/* Forget the facts learnt after MARK (a store_facts_mark value): what a rollback to the point
 * where the mark was taken could have made untrue. Facts learnt before it stay: they were read
 * from rows the rollback keeps. */
void store_facts_drop_since(gj_store *s, uint64_t mark);
static inline uint64_t store_facts_mark(const gj_store *s) { return s->facts_learnt; }

/* Forget the counter values memoised in this transaction: called when a transaction begins
 * (another connection may have written in between). */
void store_counters_forget(gj_store *s);
/* A command's savepoint begins (keep the memo as it is) or is rolled back (the memo as it was
 * then: the command's counter updates, written or not, are undone). */
void store_counters_mark(gj_store *s);
void store_counters_undo(gj_store *s);
/* Every backend's row cursor starts with this header. */
struct gj_rows {
    const gj_store_ops *ops;
};

/* sync_off: a throwaway store — synchronous=OFF, journal in memory, exclusive lock (a crash
 * may corrupt it; no other connection may open it meanwhile); rollback_off (only with
 * sync_off): no rollback journal either (gj_store_open). */
gj_err gj_sqlite_open(const char *path, bool sync_off, bool rollback_off, gj_store **out, gj_status *st);
/* PostgreSQL by libpq URL; connects, creates the lock row and applies the migrations. */
gj_err gj_pg_open(const char *url, gj_store **out, gj_status *st);
/* Apply the embedded migrations not yet recorded in schema_version. */
gj_err gj_store_migrate(gj_store *s, gj_status *st);

#endif
