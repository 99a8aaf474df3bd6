/* verify.c — `gongji verify` (R9.3): the journal chain is intact (every hash recomputes, every
 * record links to the previous one, no gaps), every journal record's postings still hash to
 * the digest it recorded and sum to zero, every entry belongs to an existing record, every
 * cached balance equals the sum of its postings, no personal account is negative, and all
 * postings together sum to zero. The first bad record is named. */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"

typedef struct {
    int64_t records, entries, accounts;
    gj_fen total_fen;
} verify_counts;

static gj_err check_record_postings(gj_engine *e, int64_t seq, const char *detail_text,
                                    verify_counts *c, gj_status *st) {
    json_t *detail = json_loads(detail_text, 0, NULL);
    const char *recorded = json_string_value(json_object_get(detail, "postings_sha256"));
    char digest[GJ_HASH_HEX];
    gj_fen sum = 0;
    int64_t entries = 0;
    gj_err err = ledger_seq_digest(e->store, seq, digest, &sum, &entries, st);
    if (err == GJ_E_OK && recorded == NULL && entries > 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings without a recorded digest", (long long)seq);
    else if (err == GJ_E_OK && recorded != NULL && strcmp(recorded, digest) != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings changed (digest mismatch)", (long long)seq);
    else if (err == GJ_E_OK && sum != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings sum to %lld fen", (long long)seq, (long long)sum);
    c->entries += entries;
    json_decref(detail);
    return err;
}

static gj_err check_chain(gj_engine *e, verify_counts *c, gj_status *st) {
    gj_rows *rows = NULL;
    char prev[GJ_HASH_HEX], hash[GJ_HASH_HEX];
    memset(prev, '0', GJ_HASH_HEX - 1);
    prev[GJ_HASH_HEX - 1] = '\0';
    gj_err err = gj_store_query(e->store, "SELECT seq, at, actor, channel, action, subject, detail, "
                                          "prev_hash, hash FROM journal ORDER BY seq", GJ_NO_PARAMS, &rows, st);
    if (err != GJ_E_OK) return err;
    int64_t expected = 1;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        int64_t seq = gj_rows_int(rows, 0);
        journal_hash(seq, gj_rows_int(rows, 1), gj_rows_text(rows, 2), gj_rows_text(rows, 3),
                     gj_rows_text(rows, 4), gj_rows_text(rows, 5), gj_rows_text(rows, 6), prev, hash);
        if (seq != expected)
            err = gj_fail(st, GJ_E_CHAIN_BROKEN, "journal %lld: record %lld missing", (long long)seq, (long long)expected);
        else if (strcmp(gj_rows_text(rows, 7), prev) != 0)
            err = gj_fail(st, GJ_E_CHAIN_BROKEN, "journal %lld: does not link to the previous record", (long long)seq);
        else if (strcmp(gj_rows_text(rows, 8), hash) != 0)
            err = gj_fail(st, GJ_E_CHAIN_BROKEN, "journal %lld: record changed (hash mismatch)", (long long)seq);
        else
            err = check_record_postings(e, seq, gj_rows_text(rows, 6), c, st);
        snprintf(prev, sizeof prev, "%s", gj_rows_text(rows, 8));
        expected++;
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    c->records = expected - 1;
    return err;
}

/* Entries must hang off an existing journal record; postings off an existing entry. */
static gj_err check_orphans(gj_engine *e, const verify_counts *c, gj_status *st) {
    int64_t bad = 0;
    gj_err err = gj_store_one_int(e->store, "SELECT COALESCE(MIN(entry_id), 0) FROM entry WHERE journal_seq > $1 "
                                            "OR journal_seq < 1", GJ_PARAMS(P_INT(c->records)), &bad, st);
    if (err == GJ_E_OK && bad != 0)
        return gj_fail(st, GJ_E_CHAIN_BROKEN, "entry %lld: its journal record is missing", (long long)bad);
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COALESCE(MIN(p.entry_id), 0) FROM posting p LEFT JOIN entry x "
                                         "ON x.entry_id = p.entry_id WHERE x.entry_id IS NULL", GJ_NO_PARAMS, &bad, st);
    if (err == GJ_E_OK && bad != 0)
        return gj_fail(st, GJ_E_LEDGER_UNBALANCED, "posting of entry %lld: the entry is missing", (long long)bad);
    return err;
}

static gj_err check_balances(gj_engine *e, verify_counts *c, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT a.code, a.balance_fen, COALESCE(SUM(p.amount_fen), 0) "
                                          "FROM account a LEFT JOIN posting p ON p.acct_code = a.code "
                                          "GROUP BY a.code, a.balance_fen ORDER BY a.code", GJ_NO_PARAMS, &rows, st);
    if (err != GJ_E_OK) return err;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        const char *code = gj_rows_text(rows, 0);
        gj_fen cached = gj_rows_int(rows, 1), derived = gj_rows_int(rows, 2);
        c->accounts++;
        c->total_fen += derived;
        if (cached != derived)
            err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "account %s: balance %lld fen, postings say %lld",
                          code, (long long)cached, (long long)derived);
        else if (strncmp(code, "psn:", 4) == 0 && derived < 0)
            err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "account %s: negative balance", code);
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    int64_t unknown = 0;
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM posting p LEFT JOIN account a ON a.code = p.acct_code "
                                         "WHERE a.code IS NULL", GJ_NO_PARAMS, &unknown, st);
    if (err == GJ_E_OK && unknown > 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "%lld postings to unknown accounts", (long long)unknown);
    if (err == GJ_E_OK && c->total_fen != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "all postings sum to %lld fen", (long long)c->total_fen);
    return err;
}

gj_err gj_verify(gj_engine *e, json_t **out, gj_status *st) {
    verify_counts c = {0};
    gj_err err = eng_begin(e, st);   /* one consistent snapshot */
    if (err != GJ_E_OK) return err;
    err = check_chain(e, &c, st);
    if (err == GJ_E_OK) err = check_orphans(e, &c, st);
    if (err == GJ_E_OK) err = check_balances(e, &c, st);
    gj_store_rollback(e->store);
    *out = json_pack("{s:b, s:I, s:I, s:I, s:s}", "ok", err == GJ_E_OK, "journal_records",
                     (json_int_t)c.records, "entries", (json_int_t)c.entries,
                     "accounts", (json_int_t)c.accounts, "problem", err == GJ_E_OK || st == NULL ? "" : st->detail);
    return err;
}
