/* pool_premium.c — the family pool as the source of a member's resident premium (R5, R7.2):
 * where the donor's region sets premium.from_pool (Fujian, seed 002: “家庭共济账户资金还可以用于
 * 缴纳城乡居民基本医疗保险费” — also, not only), premium.c pays the premium from the open pool of
 * the binding's network when it holds the whole premium — in the order settlements use (the
 * creator's contributions first under creator_first) — and from the donor's account as before
 * otherwise. Each share's posting keeps whose money it was. */
#include <assert.h>
#include <stdio.h>

#include "regions_internal.h"

/* The network of a binding and its creator. */
static gj_err binding_network(gj_engine *e, const char *binding_id, char network_id[GJ_BINDING_ID_MAX],
                              char creator[GJ_PSN_NO_MAX], gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT n.network_id, n.creator FROM binding b "
                                          "JOIN network n ON n.network_id = b.network_id "
                                          "WHERE b.binding_id = $1",
                                GJ_PARAMS(P_TEXT(binding_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    bool found = gj_rows_next(rows);
    if (found) {
        snprintf(network_id, GJ_BINDING_ID_MAX, "%s", gj_rows_text(rows, 0));
        snprintf(creator, GJ_PSN_NO_MAX, "%s", gj_rows_text(rows, 1));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && !found) err = gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "binding %s", binding_id);
    return err;
}

/* take_shares' two statements: [range]. */
#define TAKE_SHARES_SQL(codes)                                                         \
    "SELECT code, balance_fen FROM account WHERE kind = 'pool' AND " codes               \
    " AND balance_fen > 0 ORDER BY CASE WHEN owner = $2 THEN 0 ELSE 1 END, code"
static const char *const take_shares_sql[2] = {TAKE_SHARES_SQL("code LIKE $1"),
                                               TAKE_SHARES_SQL("code >= $3 AND code < $4")};

/* Postings taking `amount_fen` (≤ the pool's balance) from the shares of `pool_id`,
 * `first`'s shares first (every share in account order when `first` is ""), leaving room in
 * `entry` for the one posting they pay into. A premium that would draw on more shares than that
 * (a pool many contributors have paid into over time, each share nearly spent) is refused with
 * POOL_TOO_MANY_SHARES before anything is written. */
static gj_err take_shares(gj_engine *e, const char *pool_id, const char *first, gj_fen amount_fen,
                          gj_entry *entry, gj_status *st) {
    pool_codes codes;
    gj_rows *rows = NULL;
    gj_fen left = amount_fen;
    bool full = false;
    pool_codes_of(e, pool_id, &codes);
    gj_err err = gj_store_query(e->store, take_shares_sql[codes.range],
                                GJ_PARAMS(P_TEXT(codes.pattern), P_TEXT(first), P_TEXT(codes.from),
                                          P_TEXT(codes.below)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    while (left > 0 && gj_rows_next(rows)) {
        if ((full = entry->count == GJ_POSTINGS_MAX - 1)) break;
        gj_fen take = gj_fen_min(left, gj_rows_int(rows, 1));
        assert(take > 0);   /* only shares with money, while some is left to take */
        ledger_add(entry, gj_rows_text(rows, 0), -take);
        left -= take;
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && full)
        err = gj_fail(st, GJ_E_POOL_TOO_MANY_SHARES,
                      "pool %s: the premium would draw on more than %d of its shares", pool_id,
                      GJ_POSTINGS_MAX - 1);
    assert(err != GJ_E_OK || left == 0);   /* the caller checked the balance */
    return err;
}

/* pool_balance's two statements: [range]. */
#define POOL_BALANCE_SQL(codes) \
    "SELECT COALESCE(SUM(balance_fen), 0) FROM account WHERE kind = 'pool' AND " codes
static const char *const pool_balance_sql[2] = {POOL_BALANCE_SQL("code LIKE $1"),
                                                POOL_BALANCE_SQL("code >= $2 AND code < $3")};

/* The balance of an open pool: the sum of its shares. */
static gj_err pool_balance(gj_engine *e, const char *pool_id, gj_fen *balance_fen, gj_status *st) {
    pool_codes codes;
    int64_t n = 0;
    pool_codes_of(e, pool_id, &codes);
    gj_err err = gj_store_one_int(e->store, pool_balance_sql[codes.range],
                                  GJ_PARAMS(P_TEXT(codes.pattern), P_TEXT(codes.from), P_TEXT(codes.below)),
                                  &n, st);
    *balance_fen = err == GJ_E_OK ? n : 0;
    return err;
}

gj_err pool_premium_entry(gj_engine *e, const gj_policy *p, const char *binding_id,
                          gj_fen amount_fen, const char *target, gj_entry *entry, bool *paid,
                          gj_status *st) {
    char network_id[GJ_BINDING_ID_MAX], pool_id[GJ_BINDING_ID_MAX], creator[GJ_PSN_NO_MAX];
    bool found = false;
    gj_fen balance = 0;
    *paid = false;
    gj_err err = binding_network(e, binding_id, network_id, creator, st);
    if (err == GJ_E_OK) err = pool_open_of(e, network_id, pool_id, &found, st);
    if (err == GJ_E_OK && found) err = pool_balance(e, pool_id, &balance, st);
    if (err != GJ_E_OK || !found || balance < amount_fen) return err;
    bool creator_first = p->settlement.donor_order == GJ_DONOR_CREATOR_FIRST;
    err = take_shares(e, pool_id, creator_first ? creator : "", amount_fen, entry, st);
    ledger_add(entry, target, amount_fen);
    *paid = err == GJ_E_OK;
    return err;
}
