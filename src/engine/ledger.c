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

gj_err ledger_ensure(gj_store *s, const char *code, const char *kind, const char *owner,
                     gj_status *st) {
    int64_t n = 0;
    gj_err e = gj_store_one_int(s, "SELECT COUNT(*) FROM account WHERE code = $1",
                                GJ_PARAMS(P_TEXT(code)), &n, st);
    if (e != GJ_E_OK || n > 0) return e;
    return gj_store_exec(s, "INSERT INTO account (code, kind, owner, balance_fen, frozen) "
                            "VALUES ($1, $2, $3, 0, 0)",
                         GJ_PARAMS(P_TEXT(code), P_TEXT(kind), P_TEXT(owner)), NULL, st);
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

gj_err ledger_seq_digest(gj_store *s, int64_t journal_seq, char out[GJ_HASH_HEX], gj_fen *sum_fen,
                         int64_t *entries, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err e = gj_store_query(s, "SELECT p.entry_id, p.line, p.acct_code, p.amount_fen "
                                 "FROM entry x JOIN posting p ON p.entry_id = x.entry_id "
                                 "WHERE x.journal_seq = $1 ORDER BY p.entry_id, p.line",
                              GJ_PARAMS(P_INT(journal_seq)), &rows, st);
    if (e != GJ_E_OK) return e;
    gj_digest d;
    ledger_digest_init(&d);
    *sum_fen = 0;
    *entries = 0;
    int64_t last_entry = -1;
    while (gj_rows_next(rows)) {
        int64_t entry_id = gj_rows_int(rows, 0);
        gj_fen amount = gj_rows_int(rows, 3);
        digest_line(&d, entry_id, (int)gj_rows_int(rows, 1), gj_rows_text(rows, 2), amount);
        *sum_fen += amount;
        if (entry_id != last_entry) (*entries)++;
        last_entry = entry_id;
    }
    e = gj_rows_error(rows, st);
    gj_rows_end(rows);
    ledger_digest_final(&d, out);
    return e;
}

gj_err ledger_layers(gj_store *s, const char *psn_no, gj_acct_view *out, bool *exists,
                     gj_status *st) {
    memset(out, 0, sizeof *out);
    *exists = false;
    for (int l = 0; l < GJ_LAYER_COUNT; l++) {
        char code[GJ_ACCOUNT_CODE_MAX];
        ledger_personal_code(code, psn_no, (gj_layer)l);
        gj_rows *rows = NULL;
        gj_err e = gj_store_query(s, "SELECT balance_fen, frozen FROM account WHERE code = $1",
                                  GJ_PARAMS(P_TEXT(code)), &rows, st);
        if (e != GJ_E_OK) return e;
        if (gj_rows_next(rows)) {
            *exists = true;
            out->layer_fen[l] = gj_rows_int(rows, 0);
            out->frozen = out->frozen || gj_rows_int(rows, 1) != 0;
        }
        e = gj_rows_error(rows, st);
        gj_rows_end(rows);
        if (e != GJ_E_OK) return e;
    }
    return GJ_E_OK;
}

void ledger_digest_entry(gj_digest *d, int64_t entry_id, const gj_entry *entry) {
    for (int i = 0; i < entry->count; i++)
        digest_line(d, entry_id, i + 1, entry->lines[i].account, entry->lines[i].amount_fen);
}
