/* pg.c — the PostgreSQL backend over libpq, chosen by a postgres:// or postgresql:// URL.
 *
 * Statements are prepared once per connection (cached by SQL text pointer, like sqlite.c) and
 * run with text-format parameters, so PostgreSQL converts each value to the type it inferred.
 * Only $1..$max (the highest placeholder the SQL uses) are sent; when PostgreSQL cannot infer a
 * type (a parameter used only in "$n IS NULL", or not at all) the statement is prepared again
 * with the types of the call's values (integer → bigint, text and NULL → text).
 *
 * Transactions: every transaction first locks the one row of store_lock (SELECT … FOR UPDATE)
 * at READ COMMITTED, so transactions of every gongji process on the database queue one behind
 * the other exactly as SQLite's BEGIN IMMEDIATE makes them — the journal's hash chain orders all
 * writes anyway — and each statement sees everything committed before the lock was granted.
 * Taking the lock is retried (bounded) on serialization failure or deadlock (40001/40P01).
 * Durability is PostgreSQL's: COMMIT returns after the WAL is flushed (synchronous_commit=on).
 * A connection found broken at the start of a transaction is reset (failover, restart). */
#include <assert.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_backend.h"

enum {
    PG_CACHE_SIZE = 256,
    PG_NAME_MAX = 24,
    PG_INT_TEXT = 24,
    PG_LOCK_RETRIES = 5,
    PG_RETRY_SLEEP_US = 20000,
    PG_OID_INT8 = 20,
    PG_OID_TEXT = 25,
    PG_MIGRATE_LOCK = 0x676a,   /* advisory lock key held while migrating ("gj") */
};

typedef struct {
    const char *sql;       /* key: pointer identity of a string literal */
    char name[PG_NAME_MAX];
    int n_params;
} pg_slot;

typedef struct {
    gj_store base;
    PGconn *conn;
    pg_slot cache[PG_CACHE_SIZE];
    unsigned next_name;
} pg_store;

typedef struct {
    gj_rows base;
    PGresult *res;
    int row;               /* current row; -1 before the first next() */
} pg_rows;

static const gj_store_ops pg_ops;

/* SQLSTATE class 23 (integrity constraint) → DUPLICATE; everything else → STORE. */
static gj_err pg_error(pg_store *s, const PGresult *res, gj_status *st, const char *what) {
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(s->conn);
    gj_err code = state != NULL && strncmp(state, "23", 2) == 0 ? GJ_E_DUPLICATE : GJ_E_STORE;
    gj_fail(st, code, "postgresql %s: %s%s%s", what, state ? state : "", state ? " " : "",
            msg != NULL ? msg : "unknown error");
    gj_status_store_text(st);
    return code;
}

static bool has_state(const PGresult *res, const char *state) {
    const char *got = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return got != NULL && strcmp(got, state) == 0;
}

/* The highest $n placeholder in sql outside quoted strings and identifiers. */
static int max_placeholder(const char *sql) {
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p != '\0'; p++) {
        if (quote != 0) {
            if (*p == quote) quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            int n = (int)strtol(p + 1, NULL, 10);
            if (n > max) max = n;
        }
    }
    assert(max <= GJ_STORE_PARAMS_MAX);
    return max;
}

static size_t slot_index(const char *sql) {
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) % PG_CACHE_SIZE;
}

/* Prepare sql under a fresh name in slot; with typed, declare the types of the call's values. */
static gj_err prepare_into(pg_store *s, pg_slot *slot, const char *sql, const gj_param *p, int n,
                           bool typed, gj_status *st) {
    int count = max_placeholder(sql);
    Oid types[GJ_STORE_PARAMS_MAX] = {0};
    for (int i = 0; typed && i < count; i++)
        types[i] = i < n && p[i].kind == GJ_PARAM_INT ? PG_OID_INT8 : PG_OID_TEXT;
    if (slot->sql != NULL) {
        char drop[PG_NAME_MAX + 16];
        snprintf(drop, sizeof drop, "DEALLOCATE %s", slot->name);
        PQclear(PQexec(s->conn, drop));
        slot->sql = NULL;
    }
    snprintf(slot->name, sizeof slot->name, "gj%u", s->next_name++);
    /* a failed PREPARE would abort the transaction: try the untyped one under a savepoint */
    bool guarded = !typed && PQtransactionStatus(s->conn) == PQTRANS_INTRANS;
    if (guarded) PQclear(PQexec(s->conn, "SAVEPOINT gj_prepare"));
    PGresult *res = PQprepare(s->conn, slot->name, sql, count, typed ? types : NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    bool retry_typed = !ok && !typed && (has_state(res, "42P18") || has_state(res, "42P08"));
    gj_err e = ok || retry_typed ? GJ_E_OK : pg_error(s, res, st, "prepare");
    PQclear(res);
    if (guarded) PQclear(PQexec(s->conn, ok ? "RELEASE SAVEPOINT gj_prepare"
                                            : "ROLLBACK TO SAVEPOINT gj_prepare"));
    if (retry_typed) return prepare_into(s, slot, sql, p, n, true, st);
    if (e == GJ_E_OK) {
        slot->sql = sql;
        slot->n_params = count;
    }
    return e;
}

/* Run the cached statement for sql with the call's values; *out gets the result (PQclear). */
static gj_err run(pg_store *s, const char *sql, const gj_param *p, int n, PGresult **out,
                  gj_status *st) {
    pg_slot *slot = &s->cache[slot_index(sql)];
    if (slot->sql != sql) {
        gj_err e = prepare_into(s, slot, sql, p, n, false, st);
        if (e != GJ_E_OK) return e;
    }
    char ints[GJ_STORE_PARAMS_MAX][PG_INT_TEXT];
    const char *values[GJ_STORE_PARAMS_MAX] = {0};
    for (int i = 0; i < slot->n_params && i < n; i++) {
        if (p[i].kind == GJ_PARAM_INT) {
            snprintf(ints[i], PG_INT_TEXT, "%" PRId64, p[i].i);
            values[i] = ints[i];
        } else if (p[i].kind == GJ_PARAM_TEXT) {
            values[i] = p[i].s;
        }
    }
    PGresult *res = PQexecPrepared(s->conn, slot->name, slot->n_params, values, NULL, NULL, 0);
    ExecStatusType rc = PQresultStatus(res);
    if (rc != PGRES_COMMAND_OK && rc != PGRES_TUPLES_OK) {
        gj_err e = pg_error(s, res, st, "statement");
        PQclear(res);
        return e;
    }
    *out = res;
    return GJ_E_OK;
}

static gj_err simple(pg_store *s, const char *sql, gj_status *st) {
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType rc = PQresultStatus(res);
    gj_err e = rc == PGRES_COMMAND_OK || rc == PGRES_TUPLES_OK ? GJ_E_OK : pg_error(s, res, st, "exec");
    PQclear(res);
    return e;
}

/* One attempt at BEGIN + the store lock; *again when it failed on 40001/40P01. */
static gj_err begin_once(pg_store *s, bool *again, gj_status *st) {
    gj_err e = simple(s, "BEGIN ISOLATION LEVEL READ COMMITTED", st);
    if (e != GJ_E_OK) return e;
    PGresult *res = PQexec(s->conn, "SELECT id FROM store_lock WHERE id = 1 FOR UPDATE");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        PQclear(res);
        return GJ_E_OK;
    }
    *again = has_state(res, "40001") || has_state(res, "40P01");
    e = PQresultStatus(res) == PGRES_TUPLES_OK ? gj_fail(st, GJ_E_STORE, "store_lock row missing")
                                                : pg_error(s, res, st, "lock");
    PQclear(res);
    PQclear(PQexec(s->conn, "ROLLBACK"));
    return e;
}

/* A lost connection (server restart, failover) is re-established before the next transaction;
 * its prepared statements died with the old session. */
static gj_err reconnect_if_lost(pg_store *s, gj_status *st) {
    if (PQstatus(s->conn) == CONNECTION_OK) return GJ_E_OK;
    PQreset(s->conn);
    for (size_t i = 0; i < PG_CACHE_SIZE; i++) s->cache[i].sql = NULL;
    if (PQstatus(s->conn) != CONNECTION_OK) {
        gj_fail(st, GJ_E_STORE, "PostgreSQL connection lost: %s", PQerrorMessage(s->conn));
        gj_status_store_text(st);
        return GJ_E_STORE;
    }
    return simple(s, "SET client_min_messages = warning", st);
}

static gj_err pg_begin(gj_store *base, gj_status *st) {
    pg_store *s = (pg_store *)base;
    gj_err e = reconnect_if_lost(s, st);
    if (e != GJ_E_OK) return e;
    for (int attempt = 0; attempt < PG_LOCK_RETRIES; attempt++) {
        bool again = false;
        e = begin_once(s, &again, st);
        if (e == GJ_E_OK || !again) return e;
        usleep((useconds_t)(PG_RETRY_SLEEP_US * (attempt + 1)));
    }
    return e;
}

static gj_err pg_commit(gj_store *base, gj_status *st) {
    return simple((pg_store *)base, "COMMIT", st);
}

static void pg_rollback(gj_store *base) {
    pg_store *s = (pg_store *)base;
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) PQclear(PQexec(s->conn, "ROLLBACK"));
}

static gj_err pg_script(gj_store *base, const char *sql, gj_status *st) {
    return simple((pg_store *)base, sql, st);
}

static gj_err pg_exec(gj_store *base, const char *sql, const gj_param *p, int n, int64_t *changes,
                      gj_status *st) {
    PGresult *res = NULL;
    gj_err e = run((pg_store *)base, sql, p, n, &res, st);
    if (e != GJ_E_OK) return e;
    if (changes != NULL) *changes = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return GJ_E_OK;
}

static gj_err pg_query(gj_store *base, const char *sql, const gj_param *p, int n, gj_rows **out,
                       gj_status *st) {
    pg_rows *r = calloc(1, sizeof *r);
    if (r == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err e = run((pg_store *)base, sql, p, n, &r->res, st);
    if (e != GJ_E_OK) {
        free(r);
        return e;
    }
    r->base.ops = &pg_ops;
    r->row = -1;
    *out = &r->base;
    return GJ_E_OK;
}

static bool pg_next(gj_rows *base) {
    pg_rows *r = (pg_rows *)base;
    if (r->row < PQntuples(r->res)) r->row++;
    return r->row < PQntuples(r->res);
}

static gj_err pg_rows_error(const gj_rows *base, gj_status *st) {
    (void)base;   /* the whole result arrived with the query: errors were reported there */
    (void)st;
    return GJ_E_OK;
}

static void pg_end(gj_rows *base) {
    pg_rows *r = (pg_rows *)base;
    PQclear(r->res);
    free(r);
}

static bool pg_is_null(gj_rows *base, int col) {
    pg_rows *r = (pg_rows *)base;
    assert(r->row >= 0 && r->row < PQntuples(r->res));
    return PQgetisnull(r->res, r->row, col) != 0;
}

/* Integers, and booleans (t/f) as 1/0 as SQLite gives them; sums (numeric) parse as integers. */
static int64_t pg_col_int(gj_rows *base, int col) {
    pg_rows *r = (pg_rows *)base;
    assert(r->row >= 0 && r->row < PQntuples(r->res));
    const char *v = PQgetvalue(r->res, r->row, col);
    if (v[0] == 't' && v[1] == '\0') return 1;
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(gj_rows *base, int col) {
    pg_rows *r = (pg_rows *)base;
    assert(r->row >= 0 && r->row < PQntuples(r->res));
    return PQgetvalue(r->res, r->row, col);   /* "" for NULL */
}

static int pg_col_count(gj_rows *base) { return PQnfields(((pg_rows *)base)->res); }
static const char *pg_col_name(gj_rows *base, int col) {
    return PQfname(((pg_rows *)base)->res, col);
}

static void pg_close(gj_store *base) {
    pg_store *s = (pg_store *)base;
    PQfinish(s->conn);
    free(s);
}

static const gj_store_ops pg_ops = {
    .name = "postgresql", .begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback,
    .exec = pg_exec, .script = pg_script, .query = pg_query, .next = pg_next,
    .rows_error = pg_rows_error, .end = pg_end, .is_null = pg_is_null, .col_int = pg_col_int,
    .col_text = pg_col_text, .col_count = pg_col_count, .col_name = pg_col_name,
    .close = pg_close,
    .tables_sql = "SELECT table_name FROM information_schema.tables "
                  "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
};

/* Migrations and the lock row, with a session advisory lock so that several processes starting
 * together on an empty database do not create the schema twice. */
static gj_err prepare_schema(pg_store *s, gj_status *st) {
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%d)", PG_MIGRATE_LOCK);
    gj_err e = simple(s, sql, st);
    if (e != GJ_E_OK) return e;
    e = simple(s, "CREATE TABLE IF NOT EXISTS store_lock (id INTEGER PRIMARY KEY); "
                  "INSERT INTO store_lock (id) VALUES (1) ON CONFLICT (id) DO NOTHING", st);
    if (e == GJ_E_OK) e = gj_store_migrate(&s->base, st);
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%d)", PG_MIGRATE_LOCK);
    PQclear(PQexec(s->conn, sql));
    return e;
}

gj_err gj_pg_open(const char *url, gj_store **out, gj_status *st) {
    pg_store *s = calloc(1, sizeof *s);
    if (s == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    s->base.ops = &pg_ops;
    s->conn = PQconnectdb(url);
    gj_err e = GJ_E_OK;
    if (PQstatus(s->conn) != CONNECTION_OK)
        e = gj_fail(st, GJ_E_STORE, "cannot connect to PostgreSQL: %s", PQerrorMessage(s->conn));
    if (e == GJ_E_OK) e = simple(s, "SET client_min_messages = warning", st);
    if (e == GJ_E_OK) e = prepare_schema(s, st);
    if (e != GJ_E_OK) {
        pg_close(&s->base);
        return e;
    }
    *out = &s->base;
    return GJ_E_OK;
}
