/* migrate.c — the versioned schema files (src/store/schema/NNN_*.sql), embedded into the
 * binary with .incbin, and their application in order, each in its own transaction. A version
 * may hold SQL for one backend only (007: SQLite's table layout; 011: its person index); on
 * the others it is recorded as applied and changes nothing. */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "store_backend.h"

#define GJ_STR2(x) #x
#define GJ_STR(x) GJ_STR2(x)

/* Embed one schema file as a NUL-terminated symbol. */
#define GJ_EMBED(sym, file)                                             \
    __asm__(".section .rodata\n.global " #sym "\n.type " #sym ", @object\n" \
            #sym ":\n.incbin \"" GJ_SCHEMA_DIR "/" file "\"\n.byte 0\n.previous\n");

GJ_EMBED(gj_schema_001, "001_init.sql")
GJ_EMBED(gj_schema_002, "002_access.sql")
GJ_EMBED(gj_schema_003, "003_regions.sql")
GJ_EMBED(gj_schema_004, "004_wallet.sql")
GJ_EMBED(gj_schema_005, "005_verify_index.sql")
GJ_EMBED(gj_schema_006, "006_xa_decision.sql")
GJ_EMBED(gj_schema_007, "007_sqlite_keys.sql")
GJ_EMBED(gj_schema_008, "008_settlement_usage.sql")
GJ_EMBED(gj_schema_009, "009_message_reference.sql")
GJ_EMBED(gj_schema_010, "010_binding_use.sql")
GJ_EMBED(gj_schema_011, "011_person_cert_index.sql")
GJ_EMBED(gj_schema_012, "012_binding_member_order.sql")
GJ_EMBED(gj_schema_013, "013_settlement_acct_pay.sql")
GJ_EMBED(gj_schema_014, "014_rest_request.sql")
GJ_EMBED(gj_schema_015, "015_rest_request_at.sql")
GJ_EMBED(gj_schema_016, "016_settlement_mid.sql")
GJ_EMBED(gj_schema_017, "017_certno_canonical.sql")
extern const char gj_schema_001[], gj_schema_002[];
extern const char gj_schema_003[], gj_schema_004[], gj_schema_005[], gj_schema_006[];
extern const char gj_schema_007[], gj_schema_008[], gj_schema_009[], gj_schema_010[];
extern const char gj_schema_011[], gj_schema_012[], gj_schema_013[], gj_schema_014[];
extern const char gj_schema_015[], gj_schema_016[], gj_schema_017[];

static const struct {
    int version;
    const char *sql;
    const char *backend;   /* NULL: every backend; else only the backend of that name */
} migrations[] = {
    {1, gj_schema_001, NULL},
    {2, gj_schema_002, NULL},
    {3, gj_schema_003, NULL},
    {4, gj_schema_004, NULL},
    {5, gj_schema_005, NULL},
    {6, gj_schema_006, NULL},
    {7, gj_schema_007, "sqlite"},
    {8, gj_schema_008, NULL},
    {9, gj_schema_009, NULL},
    {10, gj_schema_010, NULL},
    {11, gj_schema_011, "sqlite"},
    {12, gj_schema_012, NULL},
    {13, gj_schema_013, NULL},
    {14, gj_schema_014, NULL},
    {15, gj_schema_015, NULL},
    {16, gj_schema_016, NULL},
    {17, gj_schema_017, NULL},
};

static gj_err migration_applied(gj_store *s, int version, bool *applied, gj_status *st) {
    int64_t count = 0;
    gj_err e = gj_store_one_int(s, "SELECT COUNT(*) FROM schema_version WHERE version = $1",
                                GJ_PARAMS(P_INT(version)), &count, st);
    *applied = count > 0;
    return e;
}

/* `sql` NULL: record the version only. Checked first outside a transaction: a database whose
 * store lock is held by a prepared (in-doubt) transaction can still be opened, by
 * `gongji recover --in-doubt` above all. */
static gj_err apply_one(gj_store *s, int version, const char *sql, gj_status *st) {
    bool applied = false;
    gj_err e = migration_applied(s, version, &applied, st);
    if (e != GJ_E_OK || applied) return e;
    e = gj_store_begin(s, st);
    if (e != GJ_E_OK) return e;
    e = migration_applied(s, version, &applied, st);
    if (e == GJ_E_OK && !applied) {
        if (sql != NULL) e = gj_store_script(s, sql, st);
        if (e == GJ_E_OK)
            e = gj_store_exec(s, "INSERT INTO schema_version (version) VALUES ($1)",
                              GJ_PARAMS(P_INT(version)), NULL, st);
    }
    if (e != GJ_E_OK) {
        gj_store_rollback(s);
        return e;
    }
    return gj_store_commit(s, st);
}

/* A database that a newer binary migrated further holds data this one would misread (from 009
 * on, a settlement's stored answer is only its envelope): refused, never served. */
static gj_err refuse_newer(gj_store *s, gj_status *st) {
    const int known = (int)(sizeof migrations / sizeof migrations[0]);
    int64_t newest = 0;
    gj_err e = gj_store_one_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_version", GJ_NO_PARAMS,
                                &newest, st);
    if (e == GJ_E_OK && newest > known)
        e = gj_fail(st, GJ_E_STORE, "database schema version %lld is newer than this binary's %d: "
                    "use the binary that upgraded it", (long long)newest, known);
    return e;
}

gj_err gj_store_migrate(gj_store *s, gj_status *st) {
    gj_err e = gj_store_script(
        s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)", st);
    for (size_t i = 0; e == GJ_E_OK && i < sizeof migrations / sizeof migrations[0]; i++) {
        assert(migrations[i].version == (int)(i + 1));
        const char *backend = migrations[i].backend;
        bool ours = backend == NULL || strcmp(backend, s->ops->name) == 0;
        e = apply_one(s, migrations[i].version, ours ? migrations[i].sql : NULL, st);
    }
    return e == GJ_E_OK ? refuse_newer(s, st) : e;
}
