/* sqlite_walbuf.h — the VFS durable SQLite stores open their files through (sqlite_walbuf.c):
 * SQLite's default VFS, except that what SQLite writes to a WAL file is gathered and written in
 * pieces of 64 KiB when SQLite syncs the file (or must see what it wrote). */
#ifndef GJ_SQLITE_WALBUF_H
#define GJ_SQLITE_WALBUF_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

/* The VFS's name for sqlite3_open_v2, registered at the first call (not thread-safe: call it
 * once, from sqlite.c's one-time configuration); NULL when it could not be registered (then
 * the default VFS serves, as before). */
const char *sqlite_walbuf_vfs(void);

/* Writes this process has handed to WAL files since it started: the gathered flushes and the
 * writes that bypassed the buffer (for tests and benchmarks: how many calls a commit cost). */
uint64_t sqlite_walbuf_file_writes(void);

/* Deferred syncs (sqlite_walbuf.c's top comment). `wal` is a connection's WAL file
 * (SQLITE_FCNTL_JOURNAL_POINTER in WAL mode), used by the connection's own thread:
 * sqlite_walbuf_defer_begin before its COMMIT — false when this file cannot owe syncs (not
 * ours, or no descriptor for syncing): then the commit syncs as always — and
 * sqlite_walbuf_defer_end after it (only after a true begin), which returns the ticket: the
 * count of syncs owed so far, the commit's own included. */
bool sqlite_walbuf_defer_begin(sqlite3_file *wal);
uint64_t sqlite_walbuf_defer_end(sqlite3_file *wal);
/* Make every sync owed up to `ticket` durable (at most one fdatasync; none when another call
 * already covered it). Callable from any thread while the connection goes on, until the
 * connection is closed. SQLITE_OK or SQLITE_IOERR_FSYNC — after which the file's content on
 * disk is unknown, and the caller must not acknowledge anything committed after its last
 * success (the pipeline stops the process). */
int sqlite_walbuf_sync_to(sqlite3_file *wal, uint64_t ticket);
/* Syncs of WAL files made since the process started, SQLite's own and owed ones (tests). */
uint64_t sqlite_walbuf_wal_syncs(void);

#endif
