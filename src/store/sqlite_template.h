/* sqlite_template.h — a migrated, empty in-memory store kept per process, copied into every
 * new in-memory throwaway store instead of running the schema's migrations again
 * (sqlite_template.c). */
#ifndef GJ_SQLITE_TEMPLATE_H
#define GJ_SQLITE_TEMPLATE_H

#include <sqlite3.h>
#include <stdbool.h>

/* Copy the template into db (a new, empty in-memory connection whose page size is the one
 * sqlite_template_keep was given): true when it now holds the template's tables and rows;
 * false when no template is kept yet (db unchanged) or the copy failed (*failed). */
bool sqlite_template_copy(sqlite3 *db, bool *failed);
/* Keep db's content as the template, unless one is kept already: call it with a store that
 * is freshly migrated and holds nothing else; page_size_pragma sets the template's page size
 * (db's). Best effort: a failure keeps no template. */
void sqlite_template_keep(sqlite3 *db, const char *page_size_pragma);

#endif
