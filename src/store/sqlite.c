/* sqlite.c — the embedded SQLite backend: WAL, synchronous=FULL (an acknowledged write
 * survives power loss), BEGIN IMMEDIATE write transactions, a cache of prepared statements
 * keyed by the SQL text pointer, and $n placeholders bound by name. A throwaway store
 * (?sync=off: simulations, benchmarks) trades all durability for speed: synchronous=OFF, the
 * rollback journal in memory, an exclusive lock and a 512 MiB page cache. */
#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_backend.h"

/* Page cache of a throwaway store, in KiB (negative: a size, not a page count): the
 * simulation's working set (accounts, people, the indexes) stays in memory instead of being
 * read back with pread for every statement. */
#define THROWAWAY_CACHE_KIB "-524288"
/* LIKE is case-sensitive, as in PostgreSQL: then a prefix pattern (`code LIKE 'pool:N1:%'`,
 * bound or literal) is a range search on the column's index instead of a scan of the table —
 * the pool queries scanned every account and posting, per settlement of a pool member. */
#define LIKE_PRAGMA "PRAGMA case_sensitive_like=ON; "

/* Page cache during a bulk load (gj_store_bulk), in KiB: taken only as pages are touched. */
#define BULK_CACHE_KIB "-1048576"

enum { STMT_CACHE_SIZE = 256, STMT_PROBE_SLOTS = 4, BUSY_TIMEOUT_MS = 10000 };

typedef struct {
    const char *sql;       /* key: pointer identity of a string literal */
    sqlite3_stmt *stmt;
    bool in_use;
} stmt_slot;

typedef struct {
    gj_store base;
    sqlite3 *db;
    stmt_slot cache[STMT_CACHE_SIZE];
    char cache_pragma[48];   /* restores the page cache size after a bulk load */
    bool bulk_left_wal;      /* a bulk load switched WAL to the rollback journal */
} sqlite_store;

typedef struct {
    gj_rows base;
    sqlite_store *store;
    stmt_slot *slot;        /* NULL when the statement is not cached */
    sqlite3_stmt *stmt;
    int rc;
} sqlite_rows;

static const gj_store_ops sqlite_ops;

static gj_err sqlite_error(sqlite_store *s, gj_status *st, const char *what) {
    return gj_fail(st, GJ_E_STORE, "%s: %s", what, sqlite3_errmsg(s->db));
}

static size_t slot_index(const char *sql) {
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) % STMT_CACHE_SIZE;
}

/* Find or prepare the statement for `sql`. A statement lives in one of STMT_PROBE_SLOTS slots
 * after its hash slot (so two hot statements that hash alike do not evict each other); a miss
 * takes an empty slot there, else the first one not in use. When all are in use (nested queries
 * on the same SQL), the statement is not cached: *slot_out is then NULL. */
static gj_err prepare(sqlite_store *s, const char *sql, sqlite3_stmt **out, stmt_slot **slot_out,
                      gj_status *st) {
    size_t home = slot_index(sql);
    stmt_slot *victim = NULL;
    *slot_out = NULL;
    for (size_t k = 0; k < STMT_PROBE_SLOTS; k++) {
        stmt_slot *slot = &s->cache[(home + k) % STMT_CACHE_SIZE];
        if (slot->in_use) continue;
        if (slot->sql == sql && slot->stmt != NULL) {
            slot->in_use = true;
            *slot_out = slot;
            *out = slot->stmt;
            return GJ_E_OK;
        }
        if (victim == NULL || (victim->sql != NULL && slot->sql == NULL)) victim = slot;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        return sqlite_error(s, st, "prepare");
    if (victim != NULL) {
        sqlite3_finalize(victim->stmt);
        victim->sql = sql;
        victim->stmt = stmt;
        victim->in_use = true;
        *slot_out = victim;
    }
    *out = stmt;
    return GJ_E_OK;
}

static void release(sqlite3_stmt *stmt, stmt_slot *slot) {
    if (slot != NULL) {
        assert(slot->stmt == stmt);
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        slot->in_use = false;
    } else {
        sqlite3_finalize(stmt);
    }
}

/* Bind by walking the statement's own parameters ("$N" → p[N-1]): no name formatting per call;
 * parameters the statement does not use are skipped, ones beyond n stay NULL. */
static gj_err bind_params(sqlite_store *s, sqlite3_stmt *stmt, const gj_param *p, int n,
                          gj_status *st) {
    int count = sqlite3_bind_parameter_count(stmt);
    for (int idx = 1; idx <= count; idx++) {
        const char *name = sqlite3_bind_parameter_name(stmt, idx);
        if (name == NULL || name[0] != '$') continue;
        int i = atoi(name + 1) - 1;
        if (i < 0 || i >= n) continue;
        int rc = SQLITE_OK;
        switch (p[i].kind) {
        case GJ_PARAM_NULL: rc = sqlite3_bind_null(stmt, idx); break;
        case GJ_PARAM_INT: rc = sqlite3_bind_int64(stmt, idx, p[i].i); break;
        case GJ_PARAM_TEXT: rc = sqlite3_bind_text(stmt, idx, p[i].s, -1, SQLITE_STATIC); break;
        }
        if (rc != SQLITE_OK) return sqlite_error(s, st, "bind");
    }
    return GJ_E_OK;
}

static gj_err simple(sqlite_store *s, const char *sql, gj_status *st) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        gj_fail(st, GJ_E_STORE, "%s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        return GJ_E_STORE;
    }
    return GJ_E_OK;
}

static gj_err sq_begin(gj_store *base, gj_status *st) {
    return simple((sqlite_store *)base, "BEGIN IMMEDIATE", st);
}
static gj_err sq_commit(gj_store *base, gj_status *st) {
    return simple((sqlite_store *)base, "COMMIT", st);
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
    sqlite3_stmt *stmt = NULL;
    stmt_slot *slot = NULL;
    gj_err e = prepare(s, sql, &stmt, &slot, st);
    if (e != GJ_E_OK) return e;
    e = bind_params(s, stmt, p, n, st);
    if (e == GJ_E_OK) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_CONSTRAINT)
            e = gj_fail(st, GJ_E_DUPLICATE, "%s", sqlite3_errmsg(s->db));
        else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            e = sqlite_error(s, st, "step");
        else if (changes != NULL)
            *changes = sqlite3_changes64(s->db);
    }
    release(stmt, slot);
    return e;
}

static gj_err sq_query(gj_store *base, const char *sql, const gj_param *p, int n,
                       gj_rows **out, gj_status *st) {
    sqlite_store *s = (sqlite_store *)base;
    sqlite_rows *r = calloc(1, sizeof *r);
    if (r == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    r->base.ops = &sqlite_ops;
    r->store = s;
    gj_err e = prepare(s, sql, &r->stmt, &r->slot, st);
    if (e == GJ_E_OK) e = bind_params(s, r->stmt, p, n, st);
    if (e != GJ_E_OK) {
        if (r->stmt != NULL) release(r->stmt, r->slot);
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
    r->rc = sqlite3_step(r->stmt);
    return r->rc == SQLITE_ROW;
}

static gj_err sq_rows_error(const gj_rows *base, gj_status *st) {
    const sqlite_rows *r = (const sqlite_rows *)base;
    if (r->rc == SQLITE_DONE || r->rc == SQLITE_ROW || r->rc == SQLITE_OK) return GJ_E_OK;
    return sqlite_error(r->store, st, "query");
}

static void sq_end(gj_rows *base) {
    sqlite_rows *r = (sqlite_rows *)base;
    release(r->stmt, r->slot);
    free(r);
}

static bool sq_is_null(gj_rows *base, int col) {
    return sqlite3_column_type(((sqlite_rows *)base)->stmt, col) == SQLITE_NULL;
}
static int64_t sq_col_int(gj_rows *base, int col) {
    return sqlite3_column_int64(((sqlite_rows *)base)->stmt, col);
}
static const char *sq_col_text(gj_rows *base, int col) {
    const unsigned char *t = sqlite3_column_text(((sqlite_rows *)base)->stmt, col);
    return t ? (const char *)t : "";
}

static int sq_col_count(gj_rows *base) { return sqlite3_column_count(((sqlite_rows *)base)->stmt); }
static const char *sq_col_name(gj_rows *base, int col) {
    return sqlite3_column_name(((sqlite_rows *)base)->stmt, col);
}

static void sq_close(gj_store *base) {
    sqlite_store *s = (sqlite_store *)base;
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

static const gj_store_ops sqlite_ops = {
    .name = "sqlite", .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback,
    .exec = sq_exec, .script = sq_script, .query = sq_query, .next = sq_next,
    .rows_error = sq_rows_error, .end = sq_end, .is_null = sq_is_null, .col_int = sq_col_int,
    .col_text = sq_col_text, .col_count = sq_col_count, .col_name = sq_col_name,
    .close = sq_close, .bulk = sq_bulk,
    .tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
};

gj_err gj_sqlite_open(const char *path, bool sync_off, gj_store **out, gj_status *st) {
    sqlite_store *s = calloc(1, sizeof *s);
    if (s == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    s->base.ops = &sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        gj_err e = gj_fail(st, GJ_E_STORE, "cannot open %s: %s", path,
                           s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return e;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    gj_err e = simple(s, sync_off ? "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY; "
                                    "PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; " LIKE_PRAGMA
                                    "PRAGMA cache_size=" THROWAWAY_CACHE_KIB "; PRAGMA temp_store=MEMORY;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                    "PRAGMA foreign_keys=ON; " LIKE_PRAGMA, st);
    if (e != GJ_E_OK) {
        sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return GJ_E_OK;
}
