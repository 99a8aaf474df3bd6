/* sqlite_template.c — the schema of an in-memory throwaway store, made once per process.
 * A simulation opens one store per (policy, shard) run — 800 for a million insured — and
 * migrating a new store (twelve schema versions, 007's table copies) took about 51 million
 * instructions, three quarters of a run's fixed cost (callgrind). The first such store, once
 * migrated, is copied (SQLite's backup API) into a template connection; every later one starts
 * as a copy of the template, finds every version applied, and migrates nothing. The template
 * lives until the process exits (a worker's life); a mutex guards it, though today only one
 * thread per process opens such stores. */
#include "sqlite_template.h"

#include <assert.h>
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t template_lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3 *template_db;   /* NULL until the first fresh store is kept */

/* All of `from`'s main database into `to`'s, in one step. */
static bool backup(sqlite3 *to, sqlite3 *from) {
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (b == NULL) return false;
    int rc = sqlite3_backup_step(b, -1);
    return sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE;
}

bool sqlite_template_copy(sqlite3 *db, bool *failed) {
    assert(db != NULL);
    pthread_mutex_lock(&template_lock);
    bool copied = template_db != NULL && backup(db, template_db);
    *failed = template_db != NULL && !copied;
    pthread_mutex_unlock(&template_lock);
    return copied;
}

void sqlite_template_keep(sqlite3 *db, const char *page_size_pragma) {
    assert(db != NULL);
    pthread_mutex_lock(&template_lock);
    if (template_db == NULL) {
        sqlite3 *t = NULL;
        bool ok = sqlite3_open_v2(":memory:", &t, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK &&
                  sqlite3_exec(t, page_size_pragma, NULL, NULL, NULL) == SQLITE_OK && backup(t, db);
        if (ok) template_db = t;
        else sqlite3_close(t);
    }
    pthread_mutex_unlock(&template_lock);
}
