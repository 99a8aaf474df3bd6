/* sqlite_walbuf.c — a VFS over SQLite's default one that gathers the writes to a WAL file.
 *
 * SQLite writes each WAL frame in two calls (its 24-byte header, then the page), so a
 * group-commit batch of ~140 frames was ~280 pwrite calls (now ~9 of 64 KiB), the kernel
 * touching the page cache's pages for each (perf: 16 % of the writer thread, bench/README.md).
 * Through this VFS the bytes written to a WAL file that follow one another are kept in a
 * buffer and handed to the file in writes of 64 KiB when SQLite next syncs it — at every
 * commit, since durable stores run synchronous=FULL — or earlier, before anything that must
 * see them: a read of the file, its size, a truncation, a close, a write anywhere else, or a
 * full buffer. So the file's content is the same as without the buffer whenever SQLite (or
 * another connection, which only reads frames a synced commit made visible) looks at it, and
 * nothing is acknowledged before it is on disk. Files other than WALs, and every other VFS
 * method, go straight to the default VFS.
 * A failed gathered write is reported by the operation that caused it (the commit's sync, a
 * read…) as SQLite's I/O error, so the transaction fails instead of being acknowledged.
 * Two more moments write what was gathered, both seen on the database file, which SQLite
 * pairs with its WAL file (sqlite3_database_file_object): the barrier between the two copies
 * of the WAL index's header by which a commit becomes visible (so no other connection can
 * read a frame still in the buffer), and the release of the WAL's write lock — a rolled-back
 * transaction leaves its spilled frames in the buffer, and written any later they would
 * overwrite frames that another connection commits at the same offsets (found in review;
 * tests/unit/test_store_walbuf.c).
 * Contract: synchronous=FULL, as gj_sqlite_open sets on every durable store. The commit's
 * sync is then where its frames are written, and a failed write fails the commit. Below FULL
 * a commit does not sync: its frames would be written at the barrier, whose failure SQLite
 * cannot be told of, and the commit would be reported done (second review, 2026-12-02). So a
 * PRAGMA that would lower synchronous on such a database fails (wb_file_control).
 *
 * Deferred syncs (the write pipeline's, gj_store_batch_commit_visible): while its writer
 * commits, a WAL file may be told to write the commit's frames at its sync (errors still fail
 * the commit) but to owe the fdatasync: the commit becomes visible at once, and the pipeline
 * makes it durable with sqlite_walbuf_sync_to from another thread, before it acknowledges
 * anyone, while the writer goes on with the next batch. One fdatasync pays every sync owed
 * before it began. What stays synchronous, whatever is owed: a file's first sync (SQLite then
 * syncs its directory too), the sync after a WAL header was written (SQLite syncs a restarted
 * WAL's header before its frames even at synchronous=NORMAL), and every write, sync or
 * truncation of the database file (a checkpoint copies only frames that are on disk) — before
 * any of them the owed sync is made. So the files on disk are always what synchronous=NORMAL
 * would leave (consistent after a crash), and nothing is acknowledged before it is durable. */
#include <assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sqlite_walbuf.h"

enum {
    GATHER_MAX_BYTES = 4 * 1024 * 1024,   /* a batch of ~1,000 frames of 4 KiB */
    /* The most the default VFS writes in one call: its unix write keeps only the low 17 bits
     * of the length (SQLite never writes more than a page of ≤ 64 KiB at once), so a longer
     * write is cut short and reported as a full disk. */
    FILE_WRITE_MAX_BYTES = 64 * 1024,
};

typedef struct walbuf_file {
    sqlite3_file base;           /* its methods: walbuf_io */
    sqlite3_file *real;          /* the default VFS's file, in the same allocation */
    bool gather;                 /* a WAL file: writes are gathered */
    char *buf;                   /* GATHER_MAX_BYTES, allocated at the first gathered write */
    sqlite3_int64 buf_offset;    /* the file offset of buf[0] */
    size_t buf_len;              /* bytes gathered, not yet written */
    struct walbuf_file *wal;     /* a database file: its connection's open WAL file, or NULL */
    struct walbuf_file *db;      /* a WAL file: its database file (the same connection's) */
    /* A WAL file's deferred syncs (the writer's thread sets defer and header_written). */
    bool defer;                  /* the commit under way may owe its sync */
    bool header_written;         /* a write at offset 0 since the last sync */
    bool synced_once;            /* the default VFS has synced it (and its directory) once */
    int sync_fd;                 /* -1, or a descriptor of the same file for syncs from any thread */
    pthread_mutex_t sync_lock;   /* one fdatasync at a time; guards synced and sync_failed */
    bool sync_failed;            /* an fdatasync of sync_fd failed: every later sync_owed fails */
    _Atomic uint64_t owed;       /* syncs deferred so far (each after its frames were written) */
    _Atomic uint64_t synced;     /* every sync up to this count is done */
} walbuf_file;

static sqlite3_vfs *parent;      /* the default VFS */
static sqlite3_vfs walbuf_vfs;
static _Atomic uint64_t file_writes;
static _Atomic uint64_t wal_syncs;   /* syncs of WAL files made: SQLite's own and owed ones */

/* The default VFS's file object follows ours, aligned for any type. */
static size_t real_offset(void) {
    size_t align = _Alignof(max_align_t);
    return (sizeof(walbuf_file) + align - 1) / align * align;
}

/* Write what was gathered, FILE_WRITE_MAX_BYTES at a time; empty afterwards either way. */
static int flush(walbuf_file *f) {
    int rc = SQLITE_OK;
    for (size_t done = 0; rc == SQLITE_OK && done < f->buf_len; done += FILE_WRITE_MAX_BYTES) {
        size_t n = f->buf_len - done < FILE_WRITE_MAX_BYTES ? f->buf_len - done : FILE_WRITE_MAX_BYTES;
        rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n, f->buf_offset + (sqlite3_int64)done);
        atomic_fetch_add_explicit(&file_writes, 1, memory_order_relaxed);
    }
    f->buf_len = 0;
    return rc;
}

/* Record that every sync owed up to `covers` is done (never lowers the record; nothing after
 * a failed sync, whose lost pages a later success does not bring back). */
static void mark_synced(walbuf_file *f, uint64_t covers) {
    pthread_mutex_lock(&f->sync_lock);
    if (!f->sync_failed && atomic_load(&f->synced) < covers) atomic_store(&f->synced, covers);
    pthread_mutex_unlock(&f->sync_lock);
}

/* Make every sync owed before this call began (up to `upto`) durable: one fdatasync of the
 * file, unless another call already covered it. Thread-safe; SQLITE_IOERR_FSYNC on failure.
 * A failure is final for this file: Linux reports a writeback error once per open file and
 * may drop the pages it could not write, so a later fdatasync that succeeds proves nothing —
 * were the failure seen only by SQLite (the writer's own checkpoint, whose error its WAL
 * hook cannot return), the pipeline would otherwise answer batches the disk may not hold
 * (found in review, tests/unit/test_store_sync_failure.c). */
static int sync_owed(walbuf_file *f, uint64_t upto) {
    assert(f->sync_fd >= 0);
    int rc = SQLITE_OK;
    pthread_mutex_lock(&f->sync_lock);
    if (f->sync_failed) {
        rc = SQLITE_IOERR_FSYNC;
    } else if (atomic_load(&f->synced) < upto) {
        uint64_t covers = atomic_load(&f->owed);   /* its frames were written before it was owed */
        assert(covers >= upto);
        if (fdatasync(f->sync_fd) == 0) {
            atomic_store(&f->synced, covers);
            atomic_fetch_add_explicit(&wal_syncs, 1, memory_order_relaxed);
        } else {
            f->sync_failed = true;
            rc = SQLITE_IOERR_FSYNC;
        }
    }
    pthread_mutex_unlock(&f->sync_lock);
    return rc;
}

/* Before anything that must not run ahead of the WAL's durability: what it owes, synced. */
static int settle_owed(walbuf_file *wal) {
    if (wal == NULL || wal->sync_fd < 0) return SQLITE_OK;
    uint64_t owed = atomic_load(&wal->owed);
    return atomic_load(&wal->synced) >= owed ? SQLITE_OK : sync_owed(wal, owed);
}

static int wb_close(sqlite3_file *file) {
    walbuf_file *f = (walbuf_file *)file;
    if (f->db != NULL) f->db->wal = NULL;
    if (f->wal != NULL) f->wal->db = NULL;
    int rc = flush(f);
    if (rc == SQLITE_OK) rc = settle_owed(f);
    free(f->buf);
    f->buf = NULL;
    if (f->sync_fd >= 0) {
        close(f->sync_fd);
        pthread_mutex_destroy(&f->sync_lock);
    }
    int closed = f->real->pMethods->xClose(f->real);
    return rc != SQLITE_OK ? rc : closed;
}

static int wb_read(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, amount, offset);
}

/* Whether a write of `amount` bytes at `offset` can join the gathered ones. */
static bool joins(const walbuf_file *f, int amount, sqlite3_int64 offset) {
    if (f->buf_len == 0) return amount <= FILE_WRITE_MAX_BYTES;   /* SQLite's own writes are */
    return offset == f->buf_offset + (sqlite3_int64)f->buf_len &&
           f->buf_len + (size_t)amount <= GATHER_MAX_BYTES;
}

static int wb_write(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    walbuf_file *f = (walbuf_file *)file;
    assert(amount >= 0 && offset >= 0);
    if (!f->gather) {   /* the database file: a checkpoint copies only durable frames */
        int rc = settle_owed(f->wal);
        if (rc != SQLITE_OK) return rc;
    }
    if (offset == 0) f->header_written = true;
    if (f->gather && f->buf == NULL) f->buf = malloc(GATHER_MAX_BYTES);   /* NULL: unbuffered */
    if (!f->gather || f->buf == NULL) return f->real->pMethods->xWrite(f->real, data, amount, offset);
    if (!joins(f, amount, offset)) {
        int rc = flush(f);
        if (rc != SQLITE_OK) return rc;
        if (!joins(f, amount, offset)) {   /* longer than any SQLite makes: as it came */
            atomic_fetch_add_explicit(&file_writes, 1, memory_order_relaxed);
            return f->real->pMethods->xWrite(f->real, data, amount, offset);
        }
    }
    if (f->buf_len == 0) f->buf_offset = offset;
    memcpy(f->buf + f->buf_len, data, (size_t)amount);
    f->buf_len += (size_t)amount;
    assert(f->buf_len <= GATHER_MAX_BYTES);
    return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *file, sqlite3_int64 size) {
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    if (rc == SQLITE_OK) rc = settle_owed(f->gather ? f : f->wal);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

/* Whether this sync of a WAL file may be owed rather than made (see the top comment). */
static bool may_owe(const walbuf_file *f) {
    return f->gather && f->defer && f->sync_fd >= 0 && f->synced_once && !f->header_written;
}

static int wb_sync(sqlite3_file *file, int flags) {
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    if (rc != SQLITE_OK) return rc;
    if (may_owe(f)) {
        atomic_fetch_add(&f->owed, 1);   /* after the frames' writes: the sync that covers it follows them */
        return SQLITE_OK;
    }
    rc = settle_owed(f->gather ? NULL : f->wal);   /* the database file: WAL first */
    if (rc != SQLITE_OK) return rc;
    rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK && f->gather) {
        atomic_fetch_add_explicit(&wal_syncs, 1, memory_order_relaxed);
        f->synced_once = true;
        f->header_written = false;
        if (f->sync_fd >= 0) mark_synced(f, atomic_load(&f->owed));   /* it covered every owed one */
    }
    return rc;
}

static int wb_file_size(sqlite3_file *file, sqlite3_int64 *size) {
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

/* ---- the rest: the default VFS's file, unchanged ---- */
#define REAL(file) (((walbuf_file *)(file))->real)

static int wb_lock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xLock(REAL(file), level); }
static int wb_unlock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xUnlock(REAL(file), level); }
static int wb_check_reserved(sqlite3_file *file, int *out) {
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}
/* Whether a PRAGMA (SQLITE_FCNTL_PRAGMA's arguments: name, value or NULL) would set
 * synchronous below FULL. */
static bool lowers_synchronous(char *const *pragma) {
    const char *value = pragma[2];
    if (sqlite3_stricmp(pragma[1], "synchronous") != 0 || value == NULL) return false;
    return sqlite3_stricmp(value, "full") != 0 && strcmp(value, "2") != 0 &&
           sqlite3_stricmp(value, "extra") != 0 && strcmp(value, "3") != 0;
}

/* The contract kept at run time: SQLite shows every PRAGMA to the database file before it
 * runs it, and one that would lower synchronous fails with this message. */
static int wb_file_control(sqlite3_file *file, int op, void *arg) {
    if (op == SQLITE_FCNTL_PRAGMA && lowers_synchronous(arg)) {
        ((char **)arg)[0] = sqlite3_mprintf("a durable gongji store keeps synchronous=FULL "
                                            "(its WAL writes are gathered until the commit's sync)");
        return SQLITE_ERROR;
    }
    return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}
static int wb_sector_size(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int wb_device(sqlite3_file *file) { return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file)); }
static int wb_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **out) {
    return REAL(file)->pMethods->xShmMap(REAL(file), region, size, extend, out);
}
/* The shared-memory calls come on the database file. Before the WAL's write lock (lock 0)
 * is released, what its writer gathered is written: after a rollback the buffer can still
 * hold the undone transaction's spilled frames, and written later they would land on frames
 * the next writer (another connection) committed at the same offsets. They are written now,
 * beyond the last commit, where the next writer overwrites them. */
static int wb_shm_lock(sqlite3_file *file, int offset, int n, int flags) {
    walbuf_file *f = (walbuf_file *)file;
    if ((flags & SQLITE_SHM_UNLOCK) && offset == 0 && f->wal != NULL) (void)flush(f->wal);
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}
/* SQLite publishes a commit by writing the WAL index's header twice with a barrier between:
 * the frames are written before the second copy makes the commit visible, whatever the
 * synchronous setting (with FULL the commit's sync has written them already). */
static void wb_shm_barrier(sqlite3_file *file) {
    walbuf_file *f = (walbuf_file *)file;
    if (f->wal != NULL) (void)flush(f->wal);
    f->real->pMethods->xShmBarrier(f->real);
}
static int wb_shm_unmap(sqlite3_file *file, int delete_flag) {
    return REAL(file)->pMethods->xShmUnmap(REAL(file), delete_flag);
}
static int wb_fetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out) {
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFetch(f->real, offset, amount, out);
}
static int wb_unfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    return REAL(file)->pMethods->xUnfetch(REAL(file), offset, page);
}

static const sqlite3_io_methods walbuf_io = {
    .iVersion = 3,
    .xClose = wb_close, .xRead = wb_read, .xWrite = wb_write, .xTruncate = wb_truncate,
    .xSync = wb_sync, .xFileSize = wb_file_size, .xLock = wb_lock, .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved, .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size, .xDeviceCharacteristics = wb_device,
    .xShmMap = wb_shm_map, .xShmLock = wb_shm_lock, .xShmBarrier = wb_shm_barrier,
    .xShmUnmap = wb_shm_unmap, .xFetch = wb_fetch, .xUnfetch = wb_unfetch,
};

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags) {
    (void)vfs;
    walbuf_file *f = (walbuf_file *)file;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)((char *)file + real_offset());
    int rc = parent->xOpen(parent, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods != NULL) f->real->pMethods->xClose(f->real);
        f->base.pMethods = NULL;
        return rc;
    }
    /* Every method above forwards as version 3; the default VFS's files are (unix). */
    assert(f->real->pMethods->iVersion >= 3);
    f->gather = (flags & SQLITE_OPEN_WAL) != 0;
    f->sync_fd = -1;
    if (f->gather && name != NULL) {   /* for syncs from the pipeline's thread (fsync is per file) */
        f->sync_fd = open(name, O_RDONLY | O_CLOEXEC);
        if (f->sync_fd >= 0) pthread_mutex_init(&f->sync_lock, NULL);
    }
    f->base.pMethods = &walbuf_io;
    if (f->gather && name != NULL) {   /* link the WAL and its database file (same connection) */
        walbuf_file *db = (walbuf_file *)sqlite3_database_file_object(name);
        if (db != NULL && db->base.pMethods == &walbuf_io) db->wal = f, f->db = db;
    }
    return SQLITE_OK;
}

const char *sqlite_walbuf_vfs(void) {
    if (walbuf_vfs.zName != NULL) return walbuf_vfs.zName;
    parent = sqlite3_vfs_find(NULL);
    if (parent == NULL || parent->iVersion < 3) return NULL;
    walbuf_vfs = *parent;   /* every method the default's; it ignores the VFS it is called on,
                               but for xOpen (pAppData, copied too) and xFullPathname (mxPathname) */
    walbuf_vfs.pNext = NULL;
    walbuf_vfs.zName = "gongji-walbuf";
    walbuf_vfs.szOsFile = (int)(real_offset() + (size_t)parent->szOsFile);
    walbuf_vfs.xOpen = wb_open;
    if (sqlite3_vfs_register(&walbuf_vfs, 0) != SQLITE_OK) {
        walbuf_vfs.zName = NULL;
        return NULL;
    }
    return walbuf_vfs.zName;
}

uint64_t sqlite_walbuf_file_writes(void) { return atomic_load(&file_writes); }

/* The WAL file of a connection's SQLITE_FCNTL_JOURNAL_POINTER, when it is one of ours that can
 * owe syncs; else NULL. */
static walbuf_file *deferring_wal(sqlite3_file *file) {
    if (file == NULL || file->pMethods != &walbuf_io) return NULL;
    walbuf_file *f = (walbuf_file *)file;
    return f->gather && f->sync_fd >= 0 ? f : NULL;
}

bool sqlite_walbuf_defer_begin(sqlite3_file *wal) {
    walbuf_file *f = deferring_wal(wal);
    if (f == NULL) return false;
    assert(!f->defer);
    f->defer = true;
    return true;
}

uint64_t sqlite_walbuf_defer_end(sqlite3_file *wal) {
    walbuf_file *f = deferring_wal(wal);
    assert(f != NULL && f->defer);
    f->defer = false;
    return atomic_load(&f->owed);
}

int sqlite_walbuf_sync_to(sqlite3_file *wal, uint64_t ticket) {
    walbuf_file *f = deferring_wal(wal);
    assert(f != NULL && ticket <= atomic_load(&f->owed));
    return atomic_load(&f->synced) >= ticket ? SQLITE_OK : sync_owed(f, ticket);
}

uint64_t sqlite_walbuf_wal_syncs(void) { return atomic_load(&wal_syncs); }
