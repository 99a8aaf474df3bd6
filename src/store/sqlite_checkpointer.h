/* sqlite_checkpointer.h — a writer connection's checkpoints on a thread of their own
 * (sqlite_checkpointer.c). */
#ifndef GJ_SQLITE_CHECKPOINTER_H
#define GJ_SQLITE_CHECKPOINTER_H

#include <sqlite3.h>
#include <stdint.h>

typedef struct sqlite_checkpointer sqlite_checkpointer;

/* Take `writer`'s checkpoints off its commits: opens a connection to the same file through
 * `vfs` (NULL: the default) and a thread that checkpoints when the writer's WAL has grown;
 * replaces the writer's autocheckpoint. NULL when that cannot be done (an in-memory database,
 * no memory, no thread): then the writer checkpoints as before. Call from the writer's thread
 * or before it starts; `writer` must outlive the checkpointer. */
sqlite_checkpointer *sqlite_checkpointer_start(sqlite3 *writer, const char *vfs);
/* Give the writer its autocheckpoint back, stop the thread, close its connection. NULL is
 * allowed. Not while the writer is committing (call from its thread, or after it stopped). */
void sqlite_checkpointer_stop(sqlite_checkpointer *c);
/* The checkpoints the thread has run (tests, benchmarks). */
uint64_t sqlite_checkpointer_passes(const sqlite_checkpointer *c);

#endif
