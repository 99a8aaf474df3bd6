/* ledger.c — double-entry postings: accounts, balanced entries, cached balances, digests.
 *
 * Account codes: psn:<psn_no>:current|prior|card (personal layers and the legacy card balance,
 * never shared), inst:<fixmedins_code> (owed to an institution), fund:<admdvs>:<insutype>
 * (pooled fund), alloc:<admdvs> (where account allocations come from), premium:<admdvs>
 * (resident premium income), product:<code> (commercial products), wallet:<psn_no> (a
 * person's medical-insurance wallet, R7.3). Personal layers and wallets never go negative. */
#include <assert.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "gongji/hex.h"
#include "gongji/sha256.h"
#include "gongji/strcopy.h"
#include "engine_internal.h"

void ledger_personal_code(char out[GJ_ACCOUNT_CODE_MAX], const char *psn_no, gj_layer layer) {
    gj_join_text(out, GJ_ACCOUNT_CODE_MAX, "psn:", psn_no, ":", gj_layer_code(layer), NULL);
}

void ledger_add(gj_entry *entry, const char *account, gj_fen amount_fen) {
    assert(entry->count < GJ_POSTINGS_MAX);
    if (amount_fen == 0) return;
    gj_posting *p = &entry->lines[entry->count++];
    gj_copy_text(p->account, sizeof p->account, account);
    p->amount_fen = amount_fen;
}

/* Accounts are never deleted: one known to exist is remembered (gj_store_fact_get). */
gj_err ledger_ensure(gj_store *s, const char *code, const char *kind, const char *owner,
                     gj_status *st) {
    char fact[GJ_ACCOUNT_CODE_MAX + 16];
    int64_t n = 0;
    bool keyed = gj_join_text(fact, sizeof fact, "account:", code, NULL);   /* false: too long */
    if (keyed && gj_store_fact_get(s, fact, NULL)) return GJ_E_OK;
    gj_err e = gj_store_one_int(s, "SELECT COUNT(*) FROM account WHERE code = $1",
                                GJ_PARAMS(P_TEXT(code)), &n, st);
    if (e == GJ_E_OK && n == 0)
        e = gj_store_exec(s, "INSERT INTO account (code, kind, owner, balance_fen, frozen) "
                             "VALUES ($1, $2, $3, 0, 0)",
                          GJ_PARAMS(P_TEXT(code), P_TEXT(kind), P_TEXT(owner)), NULL, st);
    if (e == GJ_E_OK && keyed) gj_store_fact_put(s, fact, "1");
    return e;
}

static bool is_personal(const char *code) {
    return strncmp(code, "psn:", 4) == 0 || strncmp(code, "wallet:", 7) == 0;
}

/* Why `code`'s balance did not move by amount_fen (only on the refusal path): a debit of a
 * never-negative account finds too little there (INSUFFICIENT_BALANCE, also when the account
 * does not exist, as for a person without that layer); otherwise the account is missing
 * (INTERNAL) or the sum would leave int64 (AMOUNT_OVERFLOW). */
static gj_err balance_refusal(gj_store *s, const char *code, gj_fen amount_fen, bool never_negative,
                              gj_status *st) {
    if (never_negative && amount_fen < 0)
        return gj_fail(st, GJ_E_INSUFFICIENT_BALANCE, "account balance too low");
    int64_t n = 0;
    gj_err e = gj_store_one_int(s, "SELECT COUNT(*) FROM account WHERE code = $1",
                                GJ_PARAMS(P_TEXT(code)), &n, st);
    if (e != GJ_E_OK) return e;
    if (n == 0) return gj_fail(st, GJ_E_INTERNAL, "ledger account %s missing", code);
    return gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "account %s balance would leave the int64 range", code);
}

gj_err ledger_move_balance(gj_store *s, const char *code, gj_fen amount_fen, bool never_negative,
                           gj_status *st) {
    /* The bound is checked before the addition, so the database never computes an int64
     * overflow (which SQLite would turn into a REAL). */
    assert(amount_fen > INT64_MIN);
    int64_t changes = 0;
    gj_err e;
    if (amount_fen >= 0)
        e = gj_store_exec(s, "UPDATE account SET balance_fen = balance_fen + $1 "
                             "WHERE code = $2 AND balance_fen <= $3",
                          GJ_PARAMS(P_INT(amount_fen), P_TEXT(code), P_INT(INT64_MAX - amount_fen)),
                          &changes, st);
    else
        e = gj_store_exec(s, "UPDATE account SET balance_fen = balance_fen + $1 "
                             "WHERE code = $2 AND balance_fen >= $3",
                          GJ_PARAMS(P_INT(amount_fen), P_TEXT(code),
                                    P_INT(never_negative ? -amount_fen : INT64_MIN - amount_fen)),
                          &changes, st);
    if (e != GJ_E_OK) return e;
    assert(changes <= 1 && "account codes are unique");
    return changes == 1 ? GJ_E_OK : balance_refusal(s, code, amount_fen, never_negative, st);
}

static void digest_line(gj_digest *d, int64_t entry_id, int line, const char *account,
                        gj_fen amount_fen) {
    char buf[3 * GJ_INT_TEXT_MAX + GJ_ACCOUNT_CODE_MAX + 4], *p = buf;   /* "id|line|account|amount\n" */
    p += gj_int_text(p, entry_id);
    *p++ = '|';
    p += gj_int_text(p, line);
    *p++ = '|';
    size_t account_len = strnlen(account, GJ_ACCOUNT_CODE_MAX - 1);
    memcpy(p, account, account_len);
    p += account_len;
    *p++ = '|';
    p += gj_int_text(p, amount_fen);
    *p++ = '\n';
    assert(p <= buf + sizeof buf);
    EVP_DigestUpdate(d->ctx, buf, (size_t)(p - buf));
}

void ledger_digest_init(gj_digest *d) { d->ctx = gj_sha256_begin(); }

void ledger_digest_final(gj_digest *d, char out[GJ_HASH_HEX]) {
    unsigned char md[GJ_SHA256_BYTES];
    assert(d->ctx != NULL);
    gj_sha256_end(d->ctx, md);
    gj_hex_encode(md, sizeof md, out);
    d->ctx = NULL;
}

gj_err ledger_post(gj_store *s, const char *kind, const char *ref, gj_time at, int64_t journal_seq,
                   const gj_entry *entry, int64_t *entry_id, gj_digest *digest, gj_status *st) {
    gj_fen sum = 0;
    for (int i = 0; i < entry->count; i++) sum += entry->lines[i].amount_fen;
    assert(sum == 0 && "every entry balances");
    gj_err e = gj_store_next_id(s, "entry", entry_id, st);
    if (e == GJ_E_OK)
        e = gj_store_exec(s, "INSERT INTO entry (entry_id, kind, ref, at, journal_seq) "
                             "VALUES ($1, $2, $3, $4, $5)",
                          GJ_PARAMS(P_INT(*entry_id), P_TEXT(kind), P_TEXT(ref), P_INT(at),
                                    P_INT(journal_seq)), NULL, st);
    for (int i = 0; e == GJ_E_OK && i < entry->count; i++) {
        const gj_posting *p = &entry->lines[i];
        e = gj_store_exec(s, "INSERT INTO posting (entry_id, line, acct_code, amount_fen) "
                             "VALUES ($1, $2, $3, $4)",
                          GJ_PARAMS(P_INT(*entry_id), P_INT(i + 1), P_TEXT(p->account),
                                    P_INT(p->amount_fen)), NULL, st);
        if (e == GJ_E_OK)
            e = ledger_move_balance(s, p->account, p->amount_fen, is_personal(p->account), st);
    }
    if (e == GJ_E_OK) ledger_digest_entry(digest, *entry_id, entry);   /* a refusal discards it */
    return e;
}

gj_err ledger_stream_open(gj_store *s, ledger_stream *ls, gj_status *st) {
    memset(ls, 0, sizeof *ls);
    /* CROSS JOIN makes SQLite read `entry` first, by its journal_seq index (whose ties are in
     * rowid = entry_id order), and each entry's postings by their key, so nothing is sorted;
     * a plain JOIN scanned the postings and sorted them all. */
    gj_err e = gj_store_query(s, "SELECT x.journal_seq, p.entry_id, p.line, p.acct_code, p.amount_fen "
                                 "FROM entry x CROSS JOIN posting p WHERE p.entry_id = x.entry_id "
                                 "ORDER BY x.journal_seq, x.entry_id, p.line",
                              GJ_NO_PARAMS, &ls->rows, st);
    if (e == GJ_E_OK) ls->has_row = gj_rows_next(ls->rows);
    return e;
}

gj_err ledger_stream_digest(ledger_stream *ls, int64_t journal_seq, char out[GJ_HASH_HEX],
                            gj_fen *sum_fen, int64_t *entries, gj_status *st) {
    assert(ls->rows != NULL && journal_seq > ls->last_seq);
    ls->last_seq = journal_seq;
    gj_digest d;
    ledger_digest_init(&d);
    *sum_fen = 0;
    *entries = 0;
    int64_t last_entry = -1;
    while (ls->has_row && gj_rows_int(ls->rows, 0) < journal_seq) ls->has_row = gj_rows_next(ls->rows);
    for (; ls->has_row && gj_rows_int(ls->rows, 0) == journal_seq; ls->has_row = gj_rows_next(ls->rows)) {
        int64_t entry_id = gj_rows_int(ls->rows, 1);
        gj_fen amount = gj_rows_int(ls->rows, 4);
        digest_line(&d, entry_id, (int)gj_rows_int(ls->rows, 2), gj_rows_text(ls->rows, 3), amount);
        *sum_fen += amount;
        if (entry_id != last_entry) (*entries)++;
        last_entry = entry_id;
    }
    ledger_digest_final(&d, out);
    return ls->has_row ? GJ_E_OK : gj_rows_error(ls->rows, st);
}

void ledger_stream_close(ledger_stream *ls) {
    if (ls->rows != NULL) gj_rows_end(ls->rows);
    ls->rows = NULL;
}

/* Both layers in one statement (a statement per layer cost a second statement for every person
 * a settlement reads: the patient and each donor). */
_Static_assert(GJ_LAYER_COUNT == 2, "ledger_layers binds one code per layer");

gj_err ledger_layers(gj_store *s, const char *psn_no, gj_acct_view *out, bool *exists,
                     gj_status *st) {
    char codes[GJ_LAYER_COUNT][GJ_ACCOUNT_CODE_MAX];
    memset(out, 0, sizeof *out);
    *exists = false;
    for (int l = 0; l < GJ_LAYER_COUNT; l++) ledger_personal_code(codes[l], psn_no, (gj_layer)l);
    gj_rows *rows = NULL;
    /* Two key lookups (`code IN ($1, $2)` built a temporary index of its list at every call:
     * four times the instructions of two statements, callgrind). */
    gj_err e = gj_store_query(s, "SELECT 0, balance_fen, frozen FROM account WHERE code = $1 UNION ALL "
                                 "SELECT 1, balance_fen, frozen FROM account WHERE code = $2",
                              GJ_PARAMS(P_TEXT(codes[GJ_LAYER_CURRENT]), P_TEXT(codes[GJ_LAYER_PRIOR])),
                              &rows, st);
    if (e != GJ_E_OK) return e;
    while (gj_rows_next(rows)) {
        int64_t layer = gj_rows_int(rows, 0);
        assert(layer == GJ_LAYER_CURRENT || layer == GJ_LAYER_PRIOR);
        *exists = true;
        out->layer_fen[layer] = gj_rows_int(rows, 1);
        out->frozen = out->frozen || gj_rows_int(rows, 2) != 0;
    }
    e = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return e;
}

void ledger_digest_entry(gj_digest *d, int64_t entry_id, const gj_entry *entry) {
    for (int i = 0; i < entry->count; i++)
        digest_line(d, entry_id, i + 1, entry->lines[i].account, entry->lines[i].amount_fen);
}
