/* sqlite_walbuf.h — the VFS durable SQLite stores open their files through (sqlite_walbuf.c):
 * SQLite's default VFS, except that what SQLite writes to a WAL file is gathered and written in
 * pieces of 64 KiB when SQLite syncs the file (or must see what it wrote). */
#ifndef GJ_SQLITE_WALBUF_H
#define GJ_SQLITE_WALBUF_H

#include <stdint.h>

/* The VFS's name for sqlite3_open_v2, registered at the first call (not thread-safe: call it
 * once, from sqlite.c's one-time configuration); NULL when it could not be registered (then
 * the default VFS serves, as before). */
const char *sqlite_walbuf_vfs(void);

/* Writes this process has handed to WAL files since it started: the gathered flushes and the
 * writes that bypassed the buffer (for tests and benchmarks: how many calls a commit cost). */
uint64_t sqlite_walbuf_file_writes(void);

#endif
