/* sqlite.c — the embedded SQLite backend: WAL (its writes gathered until the commit's sync,
 * sqlite_walbuf.c), synchronous=FULL (an acknowledged write survives power loss), BEGIN
 * IMMEDIATE write transactions, a cache of prepared statements keyed by the SQL text pointer,
 * and $n placeholders bound through a map from n to the statement's parameter index, built
 * once per prepared statement. A throwaway store (?sync=off: simulations, benchmarks) trades
 * all durability for speed: synchronous=OFF, the rollback journal in memory, an exclusive
 * lock, a 512 MiB page cache and 2 KiB pages (THROWAWAY_PAGE_BYTES: each command's savepoint
 * copies every page it first touches into an in-memory journal, so larger pages copy more;
 * smaller ones, more pages per row). With ?sync=off&rollback=off (the simulation) there is no
 * journal at all: journal_mode=OFF and no savepoints (store.c: a command undone after it wrote
 * spoils the store). */
#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_checkpointer.h"
#include "sqlite_template.h"
#include "sqlite_walbuf.h"
#include "store_backend.h"

/* Page cache of a throwaway store, in KiB (negative: a size, not a page count): the
 * simulation's working set (accounts, people, the indexes) stays in memory instead of being
 * read back with pread for every statement. */
#define THROWAWAY_CACHE_KIB "-524288"
/* Page size of a throwaway store, in bytes (set before its first table). Every engine command
 * of the simulation runs under a savepoint inside a month's transaction, so nearly every page
 * it writes is copied first into the savepoint's in-memory journal. With glibc's malloc, whose
 * 1 KiB journal pieces were cheap and larger blocks slow, 1 KiB pages measured best (~9 % less
 * time than 4 KiB). With jemalloc (2026-12-01) and shards of 2,500 insured, 2 KiB pages take
 * 0.84-0.92x the time of 1 KiB ones (pairs, 9,965 and 25,027 insured), 4 KiB and 8 KiB none
 * better than 2 KiB (1.02x, 1.11x), and the store is smaller (782 vs 949 MB resident for one
 * 25,000-insured shard): docs/simulation.md. */
#define THROWAWAY_PAGE_BYTES "2048"
/* LIKE is case-sensitive, as in PostgreSQL: then a prefix pattern (`code LIKE 'pool:N1:%'`,
 * bound or literal) is a range search on the column's index instead of a scan of the table —
 * the pool queries scanned every account and posting, per settlement of a pool member. */
#define LIKE_PRAGMA "PRAGMA case_sensitive_like=ON; "

/* How much of a savepoint's journal (the pages a command changed, as they were before it) is
 * kept in memory before the rest goes to a temporary file. SQLite's default, 64 KiB, is
 * less than one settlement's pages (~19 of 4 KiB): in a durable store every command of a
 * group-commit batch is a savepoint, and its journal spilled to a file on nearly every
 * settlement (~25 pwrite calls each: bench/README.md "Savepoint journals"). Larger commands
 * (a bulk import in one savepoint, a statement rewriting many rows) still spill beyond this
 * bound. It must stay below 128 KiB: SQLite keeps the in-memory journal in pieces of this
 * size and writes each whole to the file when it spills, and the unix VFS writes only the low
 * 17 bits of a length (a 256 KiB piece failed as "database or disk is full":
 * tests/unit/test_store_walbuf.c, a transaction's statement journal over 400 pages). */
#define SUBJOURNAL_SPILL_BYTES (120 * 1024)

/* Page cache during a bulk load (gj_store_bulk), in KiB: taken only as pages are touched. */
#define BULK_CACHE_KIB "-1048576"

enum { STMT_CACHE_SIZE = 256, STMT_PROBE_SLOTS = 4, BUSY_TIMEOUT_MS = 10000 };

/* param_index[k]: the statement's index (1-based) of parameter "$k+1", 0 when unused. */
typedef unsigned char param_map[GJ_STORE_PARAMS_MAX];

typedef struct {
    const char *sql;       /* key: pointer identity of a string literal */
    sqlite3_stmt *stmt;
    bool in_use;
    param_map param_index;
} stmt_slot;

/* How a store began: a file or a shared database (NOT_NEW_MEMORY), or a new in-memory
 * throwaway store migrated from nothing (FROM_MIGRATIONS: the process's first, kept as the
 * template) or copied from the template (FROM_TEMPLATE). */
typedef enum { NOT_NEW_MEMORY = 0, FROM_MIGRATIONS, FROM_TEMPLATE } memory_origin;

typedef struct {
    gj_store base;
    sqlite3 *db;
    stmt_slot cache[STMT_CACHE_SIZE];
    char cache_pragma[48];   /* restores the page cache size after a bulk load */
    bool bulk_left_wal;      /* a bulk load switched WAL to the rollback journal */
    memory_origin origin;    /* how a new in-memory throwaway store began (sqlite_template.c) */
    sqlite_checkpointer *checkpointer;   /* gj_store_background_checkpoints, or NULL */
    bool durable;            /* a file through durable_vfs, synchronous=FULL */
} sqlite_store;

/* A statement ready to bind: cached in a slot, or (slot NULL) finalized after use. */
typedef struct {
    sqlite3_stmt *stmt;
    stmt_slot *slot;
    unsigned char *param_index;   /* the slot's map, or `own` */
    param_map own;
} prepared;

typedef struct {
    gj_rows base;
    sqlite_store *store;
    prepared p;
    int rc;
} sqlite_rows;

static const gj_store_ops sqlite_ops;

static gj_err sqlite_error(sqlite_store *s, gj_status *st, const char *what) {
    gj_fail(st, GJ_E_STORE, "%s: %s", what, sqlite3_errmsg(s->db));
    gj_status_store_text(st);
    return GJ_E_STORE;
}

static size_t slot_index(const char *sql) {
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) % STMT_CACHE_SIZE;
}

/* Map "$N" → the statement's parameter index, walking its own parameters: parameters not
 * named $1..$GJ_STORE_PARAMS_MAX are never bound (they stay NULL). */
static void map_params(sqlite3_stmt *stmt, unsigned char *param_index) {
    int count = sqlite3_bind_parameter_count(stmt);
    memset(param_index, 0, sizeof(param_map));
    for (int idx = 1; idx <= count && idx <= UCHAR_MAX; idx++) {
        const char *name = sqlite3_bind_parameter_name(stmt, idx);
        if (name == NULL || name[0] != '$') continue;
        int i = atoi(name + 1) - 1;
        if (i >= 0 && i < GJ_STORE_PARAMS_MAX) param_index[i] = (unsigned char)idx;
    }
}

/* Find or prepare the statement for `sql` into *out. A statement lives in one of
 * STMT_PROBE_SLOTS slots after its hash slot (so two hot statements that hash alike do not
 * evict each other); a miss takes an empty slot there, else the first one not in use. When all
 * are in use (nested queries on the same SQL), the statement is not cached: out->slot is then
 * NULL and out->own holds its parameter map. */
static gj_err prepare(sqlite_store *s, const char *sql, prepared *out, gj_status *st) {
    size_t home = slot_index(sql);
    stmt_slot *victim = NULL;
    out->slot = NULL;
    for (size_t k = 0; k < STMT_PROBE_SLOTS; k++) {
        stmt_slot *slot = &s->cache[(home + k) % STMT_CACHE_SIZE];
        if (slot->in_use) continue;
        if (slot->sql == sql && slot->stmt != NULL) {
            slot->in_use = true;
            out->slot = slot;
            out->stmt = slot->stmt;
            out->param_index = slot->param_index;
            return GJ_E_OK;
        }
        if (victim == NULL || (victim->sql != NULL && slot->sql == NULL)) victim = slot;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        return sqlite_error(s, st, "prepare");
    out->stmt = stmt;
    out->param_index = out->own;
    if (victim != NULL) {
        sqlite3_finalize(victim->stmt);
        victim->sql = sql;
        victim->stmt = stmt;
        victim->in_use = true;
        out->slot = victim;
        out->param_index = victim->param_index;
    }
    map_params(stmt, out->param_index);
    return GJ_E_OK;
}

static void release(prepared *p) {
    if (p->slot != NULL) {
        assert(p->slot->stmt == p->stmt);
        sqlite3_reset(p->stmt);   /* its bindings stay: bind_params clears them when it must */
        p->slot->in_use = false;
    } else {
        sqlite3_finalize(p->stmt);
    }
}

/* Bind p[i] to "$i+1" through the statement's map; parameters beyond n stay NULL. A cached
 * statement keeps the values of its previous use (clearing them at every release cost ~0.5 %
 * of a simulated year's instructions), so they are cleared first only when this use leaves
 * some parameter unbound. */
static gj_err bind_params(sqlite_store *s, const prepared *pr, const gj_param *p, int n,
                          gj_status *st) {
    int bound = 0;
    for (int i = 0; i < n; i++) bound += pr->param_index[i] != 0;
    assert(bound <= sqlite3_bind_parameter_count(pr->stmt));
    if (bound < sqlite3_bind_parameter_count(pr->stmt)) sqlite3_clear_bindings(pr->stmt);
    for (int i = 0; i < n; i++) {
        int idx = pr->param_index[i];
        if (idx == 0) continue;
        int rc = SQLITE_OK;
        switch (p[i].kind) {
        case GJ_PARAM_NULL: rc = sqlite3_bind_null(pr->stmt, idx); break;
        case GJ_PARAM_INT: rc = sqlite3_bind_int64(pr->stmt, idx, p[i].i); break;
        case GJ_PARAM_TEXT: rc = sqlite3_bind_text(pr->stmt, idx, p[i].s, -1, SQLITE_STATIC); break;
        }
        if (rc != SQLITE_OK) return sqlite_error(s, st, "bind");
    }
    return GJ_E_OK;
}

/* Run an SQL script; a constraint it breaks (CREATE UNIQUE INDEX over equal keys) is
 * GJ_E_DUPLICATE, as in sq_exec, any other failure GJ_E_STORE. */
static gj_err simple(sqlite_store *s, const char *sql, gj_status *st) {
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        gj_err e = (rc & 0xff) == SQLITE_CONSTRAINT ? GJ_E_DUPLICATE : GJ_E_STORE;
        gj_fail(st, e, "%s", msg ? msg : "exec failed");
        gj_status_store_text(st);
        sqlite3_free(msg);
        return e;
    }
    return GJ_E_OK;
}

/* One parameterless statement through the statement cache (BEGIN and COMMIT run once per
 * batch: preparing them each time cost more than running BEGIN). Fails like simple(). */
static gj_err cached_simple(sqlite_store *s, const char *sql, gj_status *st) {
    prepared pr;
    gj_err e = prepare(s, sql, &pr, st);
    if (e != GJ_E_OK) return e;
    int rc = sqlite3_step(pr.stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        e = gj_fail(st, GJ_E_STORE, "%s", sqlite3_errmsg(s->db));
        gj_status_store_text(st);
    }
    release(&pr);
    return e;
}

static const char begin_sql[] = "BEGIN IMMEDIATE";
static const char commit_sql[] = "COMMIT";

static gj_err sq_begin(gj_store *base, gj_status *st) {
    return cached_simple((sqlite_store *)base, begin_sql, st);
}
static gj_err sq_commit(gj_store *base, gj_status *st) {
    return cached_simple((sqlite_store *)base, commit_sql, st);
}
static int wal_sync_to(void *wal, uint64_t ticket) { return sqlite_walbuf_sync_to(wal, ticket); }

/* COMMIT with the WAL's sync owed (sqlite_walbuf.c) when the WAL file can owe it; else as
 * sq_commit (d->wal stays NULL). */
static gj_err sq_commit_visible(gj_store *base, gj_store_durability *d, gj_status *st) {
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_file *wal = NULL;
    if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
        !sqlite_walbuf_defer_begin(wal))
        return sq_commit(base, st);
    gj_err e = cached_simple(s, commit_sql, st);
    uint64_t ticket = sqlite_walbuf_defer_end(wal);
    if (e == GJ_E_OK) *d = (gj_store_durability){.wal = wal, .ticket = ticket, .sync_to = wal_sync_to};
    return e;
}
static void sq_rollback(gj_store *base) {
    sqlite_store *s = (sqlite_store *)base;
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}
static gj_err sq_script(gj_store *base, const char *sql, gj_status *st) {
    return simple((sqlite_store *)base, sql, st);
}

static gj_err sq_exec(gj_store *base, const char *sql, const gj_param *p, int n,
                      int64_t *changes, gj_status *st) {
    sqlite_store *s = (sqlite_store *)base;
    prepared pr;
    gj_err e = prepare(s, sql, &pr, st);
    if (e != GJ_E_OK) return e;
    e = bind_params(s, &pr, p, n, st);
    if (e == GJ_E_OK) {
        int rc = sqlite3_step(pr.stmt);
        if (rc == SQLITE_CONSTRAINT) {
            e = gj_fail(st, GJ_E_DUPLICATE, "%s", sqlite3_errmsg(s->db));
            gj_status_store_text(st);
        } else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            e = sqlite_error(s, st, "step");
        else if (changes != NULL)
            *changes = sqlite3_changes64(s->db);
    }
    release(&pr);
    return e;
}

static gj_err sq_query(gj_store *base, const char *sql, const gj_param *p, int n,
                       gj_rows **out, gj_status *st) {
    sqlite_store *s = (sqlite_store *)base;
    sqlite_rows *r = calloc(1, sizeof *r);
    if (r == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    r->base.ops = &sqlite_ops;
    r->store = s;
    gj_err e = prepare(s, sql, &r->p, st);
    if (e != GJ_E_OK) {
        free(r);
        return e;
    }
    e = bind_params(s, &r->p, p, n, st);
    if (e != GJ_E_OK) {
        release(&r->p);
        free(r);
        return e;
    }
    r->rc = SQLITE_OK;
    *out = &r->base;
    return GJ_E_OK;
}

static bool sq_next(gj_rows *base) {
    sqlite_rows *r = (sqlite_rows *)base;
    if (r->rc != SQLITE_OK && r->rc != SQLITE_ROW) return false;
    r->rc = sqlite3_step(r->p.stmt);
    return r->rc == SQLITE_ROW;
}

static gj_err sq_rows_error(const gj_rows *base, gj_status *st) {
    const sqlite_rows *r = (const sqlite_rows *)base;
    if (r->rc == SQLITE_DONE || r->rc == SQLITE_ROW || r->rc == SQLITE_OK) return GJ_E_OK;
    return sqlite_error(r->store, st, "query");
}

static void sq_end(gj_rows *base) {
    sqlite_rows *r = (sqlite_rows *)base;
    release(&r->p);
    free(r);
}

static bool sq_is_null(gj_rows *base, int col) {
    return sqlite3_column_type(((sqlite_rows *)base)->p.stmt, col) == SQLITE_NULL;
}
static int64_t sq_col_int(gj_rows *base, int col) {
    return sqlite3_column_int64(((sqlite_rows *)base)->p.stmt, col);
}
static const char *sq_col_text(gj_rows *base, int col) {
    const unsigned char *t = sqlite3_column_text(((sqlite_rows *)base)->p.stmt, col);
    return t ? (const char *)t : "";
}

static int sq_col_count(gj_rows *base) { return sqlite3_column_count(((sqlite_rows *)base)->p.stmt); }
static const char *sq_col_name(gj_rows *base, int col) {
    return sqlite3_column_name(((sqlite_rows *)base)->p.stmt, col);
}

static const char *durable_vfs;   /* sqlite_walbuf.c's, or NULL: the default */

static bool sq_background_checkpoints(gj_store *base, bool on) {
    sqlite_store *s = (sqlite_store *)base;
    if (!on || !s->durable) {
        sqlite_checkpointer_stop(s->checkpointer);
        s->checkpointer = NULL;
        return false;
    }
    if (s->checkpointer == NULL) s->checkpointer = sqlite_checkpointer_start(s->db, durable_vfs);
    return s->checkpointer != NULL;
}

static uint64_t sq_background_checkpoints_run(const gj_store *base) {
    return sqlite_checkpointer_passes(((const sqlite_store *)base)->checkpointer);
}

static void sq_close(gj_store *base) {
    sqlite_store *s = (sqlite_store *)base;
    sqlite_checkpointer_stop(s->checkpointer);
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++) sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    free(s);
}

/* Run a pragma; its first column (text) into out ("" when it answers nothing). */
static void pragma_text(sqlite_store *s, const char *sql, char *out, size_t size) {
    sqlite3_stmt *stmt = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW &&
        sqlite3_column_text(stmt, 0) != NULL)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
}

/* A bulk load: a 1 GiB page cache, and — when no other connection has the database open —
 * the rollback journal instead of WAL, so each page is written once to the database rather
 * than to the WAL and again by the checkpoint (still durable: synchronous stays FULL). */
static void sq_bulk(gj_store *base, bool on) {
    sqlite_store *s = (sqlite_store *)base;
    char mode[16], size[24];
    assert(sqlite3_get_autocommit(s->db));   /* outside any transaction */
    if (on) {
        pragma_text(s, "PRAGMA cache_size", size, sizeof size);
        snprintf(s->cache_pragma, sizeof s->cache_pragma, "PRAGMA cache_size=%s", size[0] ? size : "-2000");
        sqlite3_exec(s->db, "PRAGMA cache_size=" BULK_CACHE_KIB, NULL, NULL, NULL);
        pragma_text(s, "PRAGMA journal_mode", mode, sizeof mode);
        if (strcmp(mode, "wal") == 0) {
            pragma_text(s, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
            s->bulk_left_wal = strcmp(mode, "delete") == 0;
        }
        return;
    }
    sqlite3_exec(s->db, s->cache_pragma, NULL, NULL, NULL);
    if (s->bulk_left_wal) pragma_text(s, "PRAGMA journal_mode=WAL", mode, sizeof mode);
    s->bulk_left_wal = false;
}

static int64_t sq_total_changes(gj_store *base) {
    return sqlite3_total_changes64(((sqlite_store *)base)->db);
}

/* A new in-memory throwaway store: kept as the template once migrated (the first of the
 * process), or made as a copy of it (every later one). */
static void sq_migrated(gj_store *base) {
    sqlite_store *s = (sqlite_store *)base;
    if (s->origin == FROM_MIGRATIONS) sqlite_template_keep(s->db, "PRAGMA page_size=" THROWAWAY_PAGE_BYTES);
}

static gj_err start_from_template(sqlite_store *s, gj_status *st) {
    bool failed = false;
    s->origin = sqlite_template_copy(s->db, &failed) ? FROM_TEMPLATE : FROM_MIGRATIONS;
    return failed ? gj_fail(st, GJ_E_STORE, "copying the store template: %s", sqlite3_errmsg(s->db)) : GJ_E_OK;
}

static const gj_store_ops sqlite_ops = {
    .name = "sqlite", .begin = sq_begin, .commit = sq_commit, .commit_visible = sq_commit_visible,
    .rollback = sq_rollback,
    .exec = sq_exec, .script = sq_script, .query = sq_query, .next = sq_next,
    .rows_error = sq_rows_error, .end = sq_end, .is_null = sq_is_null, .col_int = sq_col_int,
    .col_text = sq_col_text, .col_count = sq_col_count, .col_name = sq_col_name,
    .close = sq_close, .bulk = sq_bulk, .total_changes = sq_total_changes, .migrated = sq_migrated,
    .background_checkpoints = sq_background_checkpoints,
    .background_checkpoints_run = sq_background_checkpoints_run,
    .tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
};

static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

/* SQLite keeps memory statistics (sqlite3_status) by default: a global mutex and counters on
 * every allocation — about 8 % of a simulated year's instructions (callgrind). gongji never
 * reads them. sqlite3_config only works before SQLite initializes, that is before the first
 * open; should something have initialized it earlier, the call is refused and nothing changes.
 * Then (it initializes SQLite) the VFS of durable stores is registered: the default one, with
 * each WAL file's writes gathered until the commit's sync (sqlite_walbuf.c). */
static void configure_sqlite(void) {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, SUBJOURNAL_SPILL_BYTES);
    durable_vfs = sqlite_walbuf_vfs();
}

gj_err gj_sqlite_open(const char *path, bool sync_off, bool rollback_off, gj_store **out, gj_status *st) {
    assert(sync_off || !rollback_off);
    pthread_once(&sqlite_configured, configure_sqlite);
    sqlite_store *s = calloc(1, sizeof *s);
    if (s == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    s->base.ops = &sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, sync_off ? NULL : durable_vfs) != SQLITE_OK) {
        gj_err e = gj_fail(st, GJ_E_STORE, "cannot open %s: %s", path,
                           s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return e;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    gj_err e = simple(s, sync_off ? "PRAGMA page_size=" THROWAWAY_PAGE_BYTES "; "
                                    "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY; "
                                    "PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; " LIKE_PRAGMA
                                    "PRAGMA cache_size=" THROWAWAY_CACHE_KIB "; PRAGMA temp_store=MEMORY;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                    "PRAGMA foreign_keys=ON; " LIKE_PRAGMA, st);
    if (e == GJ_E_OK && rollback_off) e = simple(s, "PRAGMA journal_mode=OFF;", st);
    if (e == GJ_E_OK && sync_off && strcmp(path, ":memory:") == 0) e = start_from_template(s, st);
    s->base.rollback_off = rollback_off;
    s->durable = !sync_off && strcmp(path, ":memory:") != 0;
    if (e != GJ_E_OK) {
        sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return GJ_E_OK;
}
