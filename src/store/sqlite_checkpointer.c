/* sqlite_checkpointer.c — checkpoints of a busy writer's WAL on a thread and connection of
 * their own (the write pipeline's, gj_store_background_checkpoints).
 *
 * SQLite checkpoints on the committing connection: after a commit leaves 1,000 frames or more
 * in the WAL, that commit copies them into the database file — it syncs the WAL, reads each
 * frame, writes its page and syncs the database file — before it returns. For the pipeline's
 * one writer this was a pause every ~30 batches in which no batch ran (bench/README.md: the
 * writer's pread64/pwrite64/fdatasync, and the p99). Here the writer's commit hook only wakes
 * the checkpointer when 1,000 frames are not yet copied (not at every commit past that size:
 * each pass syncs the WAL and the database file, and passes for a few frames slowed every
 * commit's own sync); it copies them with a PASSIVE checkpoint, which never blocks the writer
 * or readers, while the writer goes on.
 * A checkpoint that runs beside a writer never catches up with it, and SQLite restarts the WAL
 * from its beginning only once every frame was copied; so when the WAL reaches
 * CHECKPOINT_BY_WRITER_FRAMES the writer checkpoints itself as SQLite would (only the frames
 * the checkpointer has not copied yet are left) and its next transaction restarts the WAL.
 * Durability is unchanged: a checkpoint syncs the WAL before it copies (synchronous=FULL on
 * this connection too; the writer's owed syncs, sqlite_walbuf.c, are made before its own
 * checkpoint writes), and copies only committed frames. */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite_checkpointer.h"

enum {
    CHECKPOINT_WANTED_FRAMES = 1000,      /* SQLite's own autocheckpoint size (~4 MiB) */
    CHECKPOINT_BY_WRITER_FRAMES = 4000,   /* ~16 MiB: the writer checkpoints itself */
    CHECKPOINTER_BUSY_TIMEOUT_MS = 10000,
};

struct sqlite_checkpointer {
    sqlite3 *writer;              /* the connection whose commits call commit_hook */
    sqlite3 *db;                  /* the checkpointer's own connection to the same file */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wanted;        /* a checkpoint was asked for, or stopping */
    bool requested, stopping;     /* under lock */
    _Atomic int copied_frames;    /* the WAL's frames the last pass had copied */
    _Atomic uint64_t checkpoints; /* passes made by the thread */
};

/* Frames in a WAL of `frames` not yet copied by the checkpointer. A WAL smaller than what was
 * copied has restarted (the writer's own checkpoint): all of it is new. */
static int frames_uncopied(const sqlite_checkpointer *c, int frames) {
    int copied = atomic_load(&c->copied_frames);
    return frames >= copied ? frames - copied : frames;
}

/* The writer's WAL hook, on its thread after each commit: `frames` are in the WAL now. */
static int commit_hook(void *ctx, sqlite3 *writer, const char *schema, int frames) {
    sqlite_checkpointer *c = ctx;
    assert(writer == c->writer);
    if (frames >= CHECKPOINT_BY_WRITER_FRAMES) {
        (void)sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    } else if (frames_uncopied(c, frames) >= CHECKPOINT_WANTED_FRAMES) {   /* each pass syncs twice */
        pthread_mutex_lock(&c->lock);
        if (!c->requested) {
            c->requested = true;
            pthread_cond_signal(&c->wanted);
        }
        pthread_mutex_unlock(&c->lock);
    }
    return SQLITE_OK;   /* a checkpoint that could not run is retried after a later commit */
}

static void *checkpointer_main(void *arg) {
    sqlite_checkpointer *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->requested && !c->stopping) pthread_cond_wait(&c->wanted, &c->lock);
        if (c->stopping) break;
        c->requested = false;
        pthread_mutex_unlock(&c->lock);
        int log_frames = 0, copied = 0;
        if (sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied) == SQLITE_OK)
            atomic_store(&c->copied_frames, copied);
        atomic_fetch_add_explicit(&c->checkpoints, 1, memory_order_relaxed);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The checkpointer's connection: the writer's file, through `vfs`, synchronous=FULL. */
static sqlite3 *open_connection(sqlite3 *writer, const char *vfs) {
    const char *path = sqlite3_db_filename(writer, "main");
    sqlite3 *db = NULL;
    if (path == NULL || path[0] == '\0') return NULL;   /* in memory: nothing to checkpoint */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, CHECKPOINTER_BUSY_TIMEOUT_MS);
    return db;
}

sqlite_checkpointer *sqlite_checkpointer_start(sqlite3 *writer, const char *vfs) {
    assert(writer != NULL);
    sqlite_checkpointer *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->writer = writer;
    c->db = open_connection(writer, vfs);
    if (c->db == NULL) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wanted, NULL);
    if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
        pthread_cond_destroy(&c->wanted);
        pthread_mutex_destroy(&c->lock);
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_wal_hook(writer, commit_hook, c);   /* replaces SQLite's autocheckpoint */
    return c;
}

void sqlite_checkpointer_stop(sqlite_checkpointer *c) {
    if (c == NULL) return;
    (void)sqlite3_wal_autocheckpoint(c->writer, CHECKPOINT_WANTED_FRAMES);   /* SQLite's hook again */
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wanted);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->wanted);
    pthread_mutex_destroy(&c->lock);
    sqlite3_close(c->db);
    free(c);
}

uint64_t sqlite_checkpointer_passes(const sqlite_checkpointer *c) {
    return c == NULL ? 0 : atomic_load(&c->checkpoints);
}
