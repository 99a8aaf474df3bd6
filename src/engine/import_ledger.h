/* import_ledger.h — the ledger side of `gongji import persons`, built for millions of rows: each
 * person's accounts are inserted with their opening balance and their opening entry and postings
 * written directly (no per-row existence lookups: the unique indexes refuse a duplicate), entry
 * ids are taken from the counter once for the whole file, and the allocation accounts' balances
 * are updated once per region at the end. The rows written are those ledger_ensure + ledger_post
 * would write, in the same order, with the same ids and the same postings digest. */
#ifndef GONGJI_IMPORT_LEDGER_H
#define GONGJI_IMPORT_LEDGER_H

#include "engine_internal.h"
#include "import_batch.h"
#include "import_row.h"

typedef struct {
    char admdvs[7];
    gj_fen opened_fen;   /* opening balances booked from alloc:<admdvs> by this import */
} import_region;

typedef struct {
    int64_t seq;                 /* the import's journal record */
    int64_t first_entry, next_entry;
    bool counter_exists;         /* counter 'entry' had a row before the import */
    bool sqlite;                 /* the store is SQLite (its own INSERT forms, index rebuild) */
    gj_digest *digest;
    import_batch entries, postings;   /* opening entries and postings not yet written */
    import_region *regions;
    size_t n_regions, cap_regions, last_region;
    char **index_sql;            /* CREATE INDEX statements of the indexes dropped for the load */
    size_t n_indexes;
} import_ledger;

/* Inside the import's transaction, before the first row. `rebuild_indexes`: the caller owns the
 * database for a bulk load; then, on SQLite and when no person and no posting exists yet, the
 * named indexes of person, account, entry and posting (the secondary ones and the unique
 * `person_cert`) are dropped here and built again, sorted, by import_ledger_finish — inside the
 * same transaction, so a refused import leaves them as they were. */
gj_err import_ledger_begin(gj_store *s, int64_t seq, bool rebuild_indexes, gj_digest *digest,
                           import_ledger *l, gj_status *st);
/* The accounts and the opening entry of one validated person row (the person row is already
 * inserted). A duplicate account → GJ_E_DUPLICATE; region totals leaving ±GJ_FEN_MAX →
 * GJ_E_AMOUNT_OVERFLOW. */
gj_err import_ledger_row(gj_store *s, import_ledger *l, const import_row *row, gj_time at,
                         gj_status *st);
/* After the last row: allocation balances, the entry counter, the dropped indexes
 * (GJ_E_DUPLICATE: an ID number twice in the file, found by the rebuilt `person_cert`). */
gj_err import_ledger_finish(gj_store *s, import_ledger *l, gj_status *st);
/* Always, after begin (also after an error). */
void import_ledger_free(import_ledger *l);

#endif
