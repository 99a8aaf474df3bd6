/* verify.c — `gongji verify` (R9.3): the journal chain is intact (every hash recomputes, every
 * record links to the previous one, no gaps, and it is as long as the journal counter says, so
 * records cut from its end show), every journal record's postings still hash to the digest it
 * recorded and sum to zero, every entry belongs to an existing record, every cached balance
 * equals the sum of its postings, no personal account is negative, all postings together
 * sum to zero, and every binding's running use (binding_use.c) is what its settlements drew.
 * The first bad record is named; a clean report carries the chain's length and head_hash, for
 * anchoring outside the database (docs/reliability.md), and lists institution codes stored
 * before their form was checked (a notice, not a failure). */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "engine_internal.h"

typedef struct {
    int64_t records, entries, accounts;
    gj_fen total_fen;
    char head_hash[GJ_HASH_HEX];
} verify_counts;

/* The digest a record names. journal.c, the journal's only writer, stores the detail as compact
 * JSON (gj_json_encode, or for a settlement the JSON writer; before them json_dumps with
 * JSON_COMPACT), so the member reads
 * `"postings_sha256":"<hex>"`: found in the text instead of parsing the whole detail (a
 * settlement's explanation made json_loads about 40 k instructions per record, half of
 * verify). No string value can hold that sequence — its quotes would be escaped. Copies the
 * value into out; a value longer than GJ_HASH_HEX - 1 characters, or unterminated, becomes ""
 * (which equals no digest, as json_loads + strcmp refused it); NULL when the member is absent. */
static const char *recorded_digest(const char *detail_text, char out[GJ_HASH_HEX]) {
    static const char MEMBER[] = "\"postings_sha256\":\"";
    const char *at = strstr(detail_text, MEMBER);
    if (at == NULL) return NULL;
    at += sizeof MEMBER - 1;
    size_t n = 0;
    while (n < GJ_HASH_HEX - 1 && at[n] != '\0' && at[n] != '"') n++;
    memcpy(out, at, n);
    out[n] = '\0';
    if (at[n] != '"') out[0] = '\0';
    return out;
}

static gj_err check_record_postings(ledger_stream *postings, int64_t seq, const char *detail_text,
                                    verify_counts *c, gj_status *st) {
    char recorded_text[GJ_HASH_HEX];
    const char *recorded = recorded_digest(detail_text, recorded_text);
    char digest[GJ_HASH_HEX];
    gj_fen sum = 0;
    int64_t entries = 0;
    gj_err err = ledger_stream_digest(postings, seq, digest, &sum, &entries, st);
    if (err == GJ_E_OK && recorded == NULL && entries > 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings without a recorded digest", (long long)seq);
    else if (err == GJ_E_OK && recorded != NULL && strcmp(recorded, digest) != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings changed (digest mismatch)", (long long)seq);
    else if (err == GJ_E_OK && sum != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "journal %lld: postings sum to %lld fen", (long long)seq, (long long)sum);
    c->entries += entries;
    return err;
}

static gj_err check_chain(gj_engine *e, verify_counts *c, gj_status *st) {
    gj_rows *rows = NULL;
    ledger_stream postings;
    char prev[GJ_HASH_HEX], hash[GJ_HASH_HEX];
    memset(prev, '0', GJ_HASH_HEX - 1);
    prev[GJ_HASH_HEX - 1] = '\0';
    gj_err err = ledger_stream_open(e->store, &postings, st);
    if (err != GJ_E_OK) return err;
    err = gj_store_query(e->store, "SELECT seq, at, actor, channel, action, subject, detail, "
                                   "prev_hash, hash FROM journal ORDER BY seq", GJ_NO_PARAMS, &rows, st);
    if (err != GJ_E_OK) {
        ledger_stream_close(&postings);
        return err;
    }
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
            err = check_record_postings(&postings, seq, gj_rows_text(rows, 6), c, st);
        gj_copy_text(prev, sizeof prev, gj_rows_text(rows, 8));
        expected++;
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    ledger_stream_close(&postings);
    c->records = expected - 1;
    gj_copy_text(c->head_hash, sizeof c->head_hash, prev);
    return err;
}

/* The journal counter (journal.c) numbers every record written: records removed from the end
 * of the chain, or appended to it by hand, break no link but disagree with it. */
static gj_err check_length(gj_engine *e, const verify_counts *c, gj_status *st) {
    int64_t next = 0;   /* 0: no counter */
    gj_err err = gj_store_counters_flush(e->store, st);   /* a batch's ids, written */
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COALESCE(MAX(next_value), 0) FROM counter "
                                         "WHERE name = 'journal'", GJ_NO_PARAMS, &next, st);
    if (err != GJ_E_OK || next - 1 == c->records || (next == 0 && c->records == 0)) return err;
    if (next == 0)
        return gj_fail(st, GJ_E_CHAIN_BROKEN, "journal: %lld records but no journal counter",
                       (long long)c->records);
    if (next - 1 > c->records)
        return gj_fail(st, GJ_E_CHAIN_BROKEN, "journal %lld: record missing (the journal ends at "
                       "%lld, its counter says %lld)", (long long)(c->records + 1),
                       (long long)c->records, (long long)(next - 1));
    return gj_fail(st, GJ_E_CHAIN_BROKEN, "journal %lld: record beyond the journal counter (%lld)",
                   (long long)next, (long long)(next - 1));
}

/* Entries must hang off an existing journal record; postings off an existing entry. */
static gj_err check_orphans(gj_engine *e, const verify_counts *c, gj_status *st) {
    int64_t bad = 0, seq = 0;
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT entry_id, journal_seq FROM entry WHERE journal_seq > $1 "
                                          "OR journal_seq < 1 ORDER BY entry_id LIMIT 1",
                                GJ_PARAMS(P_INT(c->records)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        bad = gj_rows_int(rows, 0);
        seq = gj_rows_int(rows, 1);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && bad != 0)
        return gj_fail(st, GJ_E_CHAIN_BROKEN, "entry %lld: its journal record %lld is missing",
                       (long long)bad, (long long)seq);
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
    if (err == GJ_E_OK)
        err = gj_store_query(e->store, "SELECT p.acct_code, p.entry_id FROM posting p LEFT JOIN account a "
                                       "ON a.code = p.acct_code WHERE a.code IS NULL ORDER BY p.entry_id, p.line "
                                       "LIMIT 1", GJ_NO_PARAMS, &rows, st);
    if (err == GJ_E_OK) {
        if (gj_rows_next(rows))
            err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "account %s: missing, yet entry %lld posts to it",
                          gj_rows_text(rows, 0), (long long)gj_rows_int(rows, 1));
        else
            err = gj_rows_error(rows, st);
        gj_rows_end(rows);
    }
    if (err == GJ_E_OK && c->total_fen != 0)
        err = gj_fail(st, GJ_E_LEDGER_UNBALANCED, "all postings sum to %lld fen", (long long)c->total_fen);
    return err;
}

enum { NONCONFORMING_LISTED_MAX = 20 };

/* Institution codes that are not a national fixmedins_code (gj_fixmedins_code_valid): stored
 * before gj_institution_add checked the form, and kept — settlements, ledger accounts and
 * journal records name them, so they can be neither refused nor renamed — but listed (the first
 * NONCONFORMING_LISTED_MAX by code) for the agency to look at. */
static gj_err list_nonconforming_institutions(gj_engine *e, json_t *into, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store,
                                "SELECT fixmedins_code FROM institution ORDER BY fixmedins_code",
                                GJ_NO_PARAMS, &rows, st);
    if (err != GJ_E_OK) return err;
    while (json_array_size(into) < NONCONFORMING_LISTED_MAX && gj_rows_next(rows))
        if (!gj_fixmedins_code_valid(gj_rows_text(rows, 0)))
            json_array_append_new(into, json_string(gj_rows_text(rows, 0)));
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_verify(gj_engine *e, json_t **out, gj_status *st) {
    verify_counts c = {0};
    gj_err err = eng_begin(e, st);   /* one consistent snapshot */
    if (err != GJ_E_OK) return err;
    err = check_chain(e, &c, st);
    if (err == GJ_E_OK) err = check_length(e, &c, st);
    if (err == GJ_E_OK) err = check_orphans(e, &c, st);
    if (err == GJ_E_OK) err = check_balances(e, &c, st);
    if (err == GJ_E_OK) err = binding_use_check(e->store, st);
    json_t *nonconforming = json_array();
    if (err == GJ_E_OK) err = list_nonconforming_institutions(e, nonconforming, st);
    gj_store_rollback(e->store);
    *out = json_pack("{s:b, s:I, s:I, s:I, s:s}", "ok", err == GJ_E_OK, "journal_records",
                     (json_int_t)c.records, "entries", (json_int_t)c.entries,
                     "accounts", (json_int_t)c.accounts, "problem", err == GJ_E_OK || st == NULL ? "" : st->detail);
    if (err == GJ_E_OK) json_object_set_new(*out, "head_hash", json_string(c.head_hash));
    json_object_set_new(*out, "nonconforming_institution_codes", nonconforming);
    return err;
}
