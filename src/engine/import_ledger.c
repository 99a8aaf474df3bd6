/* import_ledger.c — the ledger side of `gongji import persons` for millions of rows (see
 * import_ledger.h): direct inserts of accounts with their opening balance and of the opening
 * entries and postings (several persons' per statement), entry ids reserved once, allocation balances updated once per region, and
 * on an empty SQLite database the secondary indexes built by sorting after the load. */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/array.h"
#include "gongji/strcopy.h"
#include "import_ledger.h"

enum { INDEX_NAME_MAX = 128 };

/* ---- secondary indexes (SQLite, empty database) ---- */

/* The named indexes of the tables the import fills — the secondary ones and `person_cert`, the
 * unique index of ID numbers (011_person_cert_index.sql); the keys of the tables themselves are
 * not among them. Their definitions are read back from SQLite's catalog, so the schema stays the
 * only place that states them. */
static const char index_list_sql[] =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN ('person', 'account', 'entry', 'posting') ORDER BY name";

static gj_err keep_index_sql(import_ledger *l, const char *sql, gj_status *st) {
    char **grown = realloc(l->index_sql, (l->n_indexes + 1) * sizeof *grown);
    if (grown == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    l->index_sql = grown;
    if ((l->index_sql[l->n_indexes] = strdup(sql)) == NULL)
        return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    l->n_indexes++;
    return GJ_E_OK;
}

/* Nothing of what the import writes exists yet: then building the indexes afterwards costs no
 * more than the rows imported. */
static gj_err database_empty(gj_store *s, bool *empty, gj_status *st) {
    int64_t found = 0;
    gj_err e = gj_store_one_int(s, "SELECT EXISTS (SELECT 1 FROM person) OR EXISTS (SELECT 1 FROM posting)",
                                GJ_NO_PARAMS, &found, st);
    *empty = e == GJ_E_OK && found == 0;
    return e;
}

/* Remember each index's definition, then drop them all (not while the catalog query runs). */
static gj_err drop_indexes(gj_store *s, import_ledger *l, gj_status *st) {
    gj_rows *rows = NULL;
    char names[16][INDEX_NAME_MAX];
    size_t n = 0;
    gj_err e = gj_store_query(s, index_list_sql, GJ_NO_PARAMS, &rows, st);
    if (e != GJ_E_OK) return e;
    while (e == GJ_E_OK && gj_rows_next(rows)) {
        const char *name = gj_rows_text(rows, 0);
        if (n == sizeof names / sizeof names[0] || strlen(name) >= INDEX_NAME_MAX || strchr(name, '"'))
            continue;   /* not rebuilt: it is simply maintained row by row */
        snprintf(names[n++], INDEX_NAME_MAX, "%s", name);
        e = keep_index_sql(l, gj_rows_text(rows, 1), st);
    }
    if (e == GJ_E_OK) e = gj_rows_error(rows, st);
    gj_rows_end(rows);
    for (size_t i = 0; e == GJ_E_OK && i < n; i++) {
        char drop[INDEX_NAME_MAX + 16];
        snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
        e = gj_store_script(s, drop, st);
    }
    return e;
}

/* Build the dropped indexes again; SQLite sorts the keys instead of inserting them one by one
 * at random places. Its sorter sorts runs of keys as large as the page cache (at most 512 MiB)
 * and merges them; with helper threads a run is sorted while the next is read. With the load's
 * 1 GiB cache every index was one run sorted on one thread; a 32 MiB cache makes many runs
 * sorted side by side: 3 million persons' three largest indexes in 13-17 s instead of 22-26 s,
 * 10 million persons imported in 172-180 s instead of 199 s (docs/import.md). The pages the load left in the cache are written out as they would be at
 * the commit. Equal keys under a unique index: GJ_E_DUPLICATE (the caller names the rows:
 * import_repeat.h). */
static gj_err build_indexes(gj_store *s, import_ledger *l, gj_status *st) {
    const char *sorter = "PRAGMA threads=2; PRAGMA cache_size=-32768";
    gj_err e = l->n_indexes > 0 ? gj_store_script(s, sorter, st) : GJ_E_OK;
    for (size_t i = 0; e == GJ_E_OK && i < l->n_indexes; i++) e = gj_store_script(s, l->index_sql[i], st);
    return e;
}

/* ---- entry ids: counter 'entry', read once and written once ---- */

static gj_err reserve_entries(gj_store *s, import_ledger *l, gj_status *st) {
    gj_err e = gj_store_ids_peek(s, "entry", &l->first_entry, &l->counter_exists, st);
    l->next_entry = l->first_entry;
    return e;
}

/* Leave the counter as gj_store_next_id would have: next_value one past the last id taken, no
 * row when no id was ever taken. */
static gj_err store_entry_counter(gj_store *s, const import_ledger *l, gj_status *st) {
    if (l->next_entry == l->first_entry) return GJ_E_OK;
    return gj_store_ids_taken(s, "entry", l->next_entry, l->counter_exists, st);
}

/* ---- regions: alloc:<admdvs>, created on first sight, its balance updated at the end ---- */

static void alloc_code(char out[GJ_ACCOUNT_CODE_MAX], const char *admdvs) {
    gj_join_text(out, GJ_ACCOUNT_CODE_MAX, "alloc:", admdvs, NULL);
}

/* The region of a row; rows of one region follow each other, so the last one is tried first. */
static gj_err region_of(gj_store *s, import_ledger *l, const char *admdvs, import_region **out,
                        gj_status *st) {
    if (l->n_regions > 0 && strcmp(l->regions[l->last_region].admdvs, admdvs) == 0) {
        *out = &l->regions[l->last_region];
        return GJ_E_OK;
    }
    for (size_t i = 0; i < l->n_regions; i++)
        if (strcmp(l->regions[i].admdvs, admdvs) == 0) {
            *out = &l->regions[l->last_region = i];
            return GJ_E_OK;
        }
    import_region *room = gj_array_room(l->regions, &l->cap_regions, l->n_regions, sizeof *room, 16);
    if (room == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    l->regions = room;
    char code[GJ_ACCOUNT_CODE_MAX];
    alloc_code(code, admdvs);
    gj_err e = ledger_ensure(s, code, "allocation", admdvs, st);
    if (e != GJ_E_OK) return e;
    import_region *r = &l->regions[l->last_region = l->n_regions++];
    snprintf(r->admdvs, sizeof r->admdvs, "%s", admdvs);
    r->opened_fen = 0;
    *out = r;
    return GJ_E_OK;
}

static gj_err book_allocations(gj_store *s, const import_ledger *l, gj_status *st) {
    gj_err e = GJ_E_OK;
    for (size_t i = 0; e == GJ_E_OK && i < l->n_regions; i++) {
        char code[GJ_ACCOUNT_CODE_MAX];
        alloc_code(code, l->regions[i].admdvs);
        assert(l->regions[i].opened_fen >= 0);
        e = ledger_move_balance(s, code, -l->regions[i].opened_fen, false, st);
    }
    return e;
}

/* ---- rows ---- */

/* Multi-row INSERTs, as standard SQL [0] and for SQLite [1] with OR FAIL: a refused row then
 * ends the statement without undoing the rows it already wrote, which spares SQLite a statement
 * journal (a copy of every page the statement touches) — the import's transaction is rolled
 * back as a whole on any refusal anyway. */
#define ACCOUNTS3 " INTO account (code, kind, owner, balance_fen, frozen) VALUES " \
                  "($1, $2, $7, $8, 0), ($3, $4, $7, $9, 0), ($5, $6, $7, $10, 0)"
static const char *const accounts3_sql[2] = {"INSERT" ACCOUNTS3, "INSERT OR FAIL" ACCOUNTS3};

/* A person's accounts with their opening balances, in one statement (rows in the order
 * ledger_ensure would create them): the layers for employees (R1.2), the card balance for
 * anyone (R1.3). Their balances become the lines of `entry`, in the same order. */
static gj_err open_accounts(gj_store *s, const import_ledger *l, const import_row *row,
                            gj_entry *entry, gj_status *st) {
    static_assert(GJ_LAYER_COUNT == 2, "one statement opens both layers");
    char layer[GJ_LAYER_COUNT][GJ_ACCOUNT_CODE_MAX], card[GJ_ACCOUNT_CODE_MAX];
    bool employee = strcmp(row->insutype, "310") == 0;
    gj_err e;
    gj_join_text(card, sizeof card, "psn:", row->psn_no, ":card", NULL);
    for (int i = 0; employee && i < GJ_LAYER_COUNT; i++) {
        ledger_personal_code(layer[i], row->psn_no, (gj_layer)i);
        ledger_add(entry, layer[i], row->layer_fen[i]);
    }
    ledger_add(entry, card, row->card_fen);
    if (employee)
        e = gj_store_exec(s, accounts3_sql[l->sqlite],
                          GJ_PARAMS(P_TEXT(layer[0]), P_TEXT(gj_layer_code(GJ_LAYER_CURRENT)),
                                    P_TEXT(layer[1]), P_TEXT(gj_layer_code(GJ_LAYER_PRIOR)),
                                    P_TEXT(card), P_TEXT("card"), P_TEXT(row->psn_no),
                                    P_INT(row->layer_fen[0]), P_INT(row->layer_fen[1]),
                                    P_INT(row->card_fen)), NULL, st);
    else
        e = gj_store_exec(s, "INSERT INTO account (code, kind, owner, balance_fen, frozen) "
                             "VALUES ($1, 'card', $2, $3, 0)",
                          GJ_PARAMS(P_TEXT(card), P_TEXT(row->psn_no), P_INT(row->card_fen)), NULL, st);
    return e == GJ_E_DUPLICATE ? gj_fail(st, e, "accounts of %s already exist", row->psn_no) : e;
}

/* Entries and postings go in multi-row INSERTs (import_batch.h): their keys are fresh entry
 * ids. [0] standard SQL, [1] SQLite (OR FAIL, above). Built once; never changed after. */
#define ENTRY_COLUMNS " INTO entry (entry_id, kind, ref, at, journal_seq)"
#define POSTING_COLUMNS " INTO posting (entry_id, line, acct_code, amount_fen)"
static_assert((int)IMPORT_BATCH_TEXT_MAX >= (int)GJ_ACCOUNT_CODE_MAX &&
                  IMPORT_BATCH_TEXT_MAX >= sizeof ((import_row *)0)->psn_no,
              "a batch holds every account code and person number whole");
static import_batch_sql entry_sql[2], posting_sql[2];
static pthread_once_t batch_sql_built = PTHREAD_ONCE_INIT;

static void build_batch_sql(void) {
    import_batch_sql_build(&entry_sql[0], "INSERT" ENTRY_COLUMNS, 5,
                           "INSERT" ENTRY_COLUMNS " VALUES ($1, $2, $3, $4, $5)");
    import_batch_sql_build(&entry_sql[1], "INSERT OR FAIL" ENTRY_COLUMNS, 5,
                           "INSERT OR FAIL" ENTRY_COLUMNS " VALUES ($1, $2, $3, $4, $5)");
    import_batch_sql_build(&posting_sql[0], "INSERT" POSTING_COLUMNS, 4,
                           "INSERT" POSTING_COLUMNS " VALUES ($1, $2, $3, $4)");
    import_batch_sql_build(&posting_sql[1], "INSERT OR FAIL" POSTING_COLUMNS, 4,
                           "INSERT OR FAIL" POSTING_COLUMNS " VALUES ($1, $2, $3, $4)");
}

/* The entry and its postings as ledger_post writes them (balances are already set). */
static gj_err write_entry(gj_store *s, import_ledger *l, const import_row *row, gj_time at,
                          const gj_entry *entry, gj_status *st) {
    assert(entry->count >= 1);
    int64_t id = l->next_entry++;
    const gj_param entry_row[] = {P_INT(id), P_TEXT("opening"), P_TEXT(row->psn_no), P_INT(at),
                                  P_INT(l->seq)};
    gj_err e = import_batch_add(s, &l->entries, entry_row, st);
    for (int i = 0; e == GJ_E_OK && i < entry->count; i++) {
        const gj_param posting[] = {P_INT(id), P_INT(i + 1), P_TEXT(entry->lines[i].account),
                                    P_INT(entry->lines[i].amount_fen)};
        e = import_batch_add(s, &l->postings, posting, st);
    }
    ledger_digest_entry(l->digest, id, entry);
    return e;
}

gj_err import_ledger_row(gj_store *s, import_ledger *l, const import_row *row, gj_time at,
                         gj_status *st) {
    import_region *region = NULL;
    gj_entry entry = {.count = 0};
    char code[GJ_ACCOUNT_CODE_MAX];
    gj_fen opened = 0;
    gj_err e = region_of(s, l, row->admdvs, &region, st);
    if (e == GJ_E_OK) e = open_accounts(s, l, row, &entry, st);
    for (int i = 0; e == GJ_E_OK && i < entry.count; i++)
        if (!gj_fen_add(opened, entry.lines[i].amount_fen, &opened)) e = GJ_E_AMOUNT_OVERFLOW;
    if (e == GJ_E_OK && !gj_fen_add(region->opened_fen, opened, &region->opened_fen))
        e = GJ_E_AMOUNT_OVERFLOW;
    if (e == GJ_E_AMOUNT_OVERFLOW) return gj_fail(st, e, "opening balances of %s too large", row->admdvs);
    if (e != GJ_E_OK || entry.count == 0) return e;
    alloc_code(code, row->admdvs);
    ledger_add(&entry, code, -opened);
    return write_entry(s, l, row, at, &entry, st);
}

/* ---- begin / finish ---- */

gj_err import_ledger_begin(gj_store *s, int64_t seq, bool rebuild_indexes, gj_digest *digest,
                           import_ledger *l, gj_status *st) {
    assert(gj_store_in_tx(s));
    memset(l, 0, sizeof *l);
    l->seq = seq;
    l->digest = digest;
    l->sqlite = strcmp(gj_store_backend(s), "sqlite") == 0;
    pthread_once(&batch_sql_built, build_batch_sql);
    import_batch_begin(&l->entries, &entry_sql[l->sqlite]);
    import_batch_begin(&l->postings, &posting_sql[l->sqlite]);
    bool empty = false;
    gj_err e = reserve_entries(s, l, st);
    if (e == GJ_E_OK && rebuild_indexes && l->sqlite)
        e = database_empty(s, &empty, st);
    if (e == GJ_E_OK && empty) e = drop_indexes(s, l, st);
    return e;
}

gj_err import_ledger_finish(gj_store *s, import_ledger *l, gj_status *st) {
    gj_err e = import_batch_flush(s, &l->entries, st);
    if (e == GJ_E_OK) e = import_batch_flush(s, &l->postings, st);
    if (e == GJ_E_OK) e = book_allocations(s, l, st);
    if (e == GJ_E_OK) e = store_entry_counter(s, l, st);
    if (e == GJ_E_OK) e = build_indexes(s, l, st);
    return e;
}

void import_ledger_free(import_ledger *l) {
    for (size_t i = 0; i < l->n_indexes; i++) free(l->index_sql[i]);
    free(l->index_sql);
    free(l->regions);
    memset(l, 0, sizeof *l);
}
