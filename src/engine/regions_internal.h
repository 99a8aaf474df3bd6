/* regions_internal.h — what the regional fund models and violations share with the rest of
 * the engine (violations.c, pool.c, pool_settle.c). Private to src/engine. */
#ifndef GONGJI_REGIONS_INTERNAL_H
#define GONGJI_REGIONS_INTERNAL_H

#include "engine_internal.h"

/* FORBIDDEN in the app channel: freezing and recovery are agency work (R9.2). */
gj_err regions_staff_only(const gj_actor *who, gj_status *st);
/* Append the recoveries where psn_no is donor or user to `list` (records, R9.2): those of
 * settlements of `year` (its setl_year, as the records' uses), or all when year is 0. */
gj_err regions_recoveries_of(gj_engine *e, const char *psn_no, int year, json_t *list, gj_status *st);

/* The ledger account of a contributor's money in a pool, by layer. */
void pool_account_code(char out[GJ_ACCOUNT_CODE_MAX], const char *pool_id, const char *contributor,
                       gj_layer layer);
/* A pool's accounts are the codes that begin "pool:<pool_id>:". The SQL selecting them has two
 * forms, bound to the pattern as $1 and to from and below as the last two parameters. On SQLite
 * a range of the account key, `code >= from AND code < below` (below: the prefix with its last
 * ':' made ';', the next byte): a LIKE with a bound pattern made SQLite prepare its statement
 * again at every use, to plan for the pattern's value (3 % of a simulated year's time, perf
 * 2026-11-30). On PostgreSQL `code LIKE pattern`: text there compares by the database's
 * collation, in which that range need not hold exactly the prefix. The struct holds the bound
 * values, so it must outlive the rows (parameters are bound without copying). */
typedef struct {
    bool range;                          /* SQLite: select by from/below, else by pattern */
    char pattern[GJ_ACCOUNT_CODE_MAX];   /* "pool:<pool_id>:%" */
    char from[GJ_ACCOUNT_CODE_MAX];      /* "pool:<pool_id>:" */
    char below[GJ_ACCOUNT_CODE_MAX];     /* "pool:<pool_id>;" */
} pool_codes;
void pool_codes_of(const gj_engine *e, const char *pool_id, pool_codes *out);
/* The pool's accounts (code, contributor, balance) in code order, so by contributor then layer;
 * only those with money when `with_money`. `codes` is the caller's (see pool_codes). */
gj_err pool_accounts(gj_engine *e, const char *pool_id, bool with_money, pool_codes *codes,
                     gj_rows **rows, gj_status *st);
/* The open pool of a network; *found false when there is none. */
gj_err pool_open_of(gj_engine *e, const char *network_id, char pool_id[GJ_BINDING_ID_MAX],
                    bool *found, gj_status *st);
/* R7.2: *closed when account `code` is a share of a pool that has been closed; then `home` is
 * the contributor's personal account in the share's layer, where closing returned the share's
 * money (a reversal crediting the share credits `home` instead). */
gj_err pool_closed_share_home(gj_engine *e, const char *code, char home[GJ_ACCOUNT_CODE_MAX],
                              bool *closed, gj_status *st);
/* The sources binding `b` pays from in a pool-model region: one per contributor with money in
 * the network's open pool, copied from `base` (the binding's donor facts) with psn_no, acct
 * and pool_id replaced; at most `room`; *n = 0 without an open pool. */
gj_err pool_sources(gj_engine *e, const gj_binding_row *b, const gj_donor_facts *base,
                    gj_donor_facts *out, int room, int *n, gj_status *st);
/* R5/R7.2 (premium.from_pool): when the open pool of binding_id's network holds `amount_fen`,
 * postings paying it into `target` from the pool — the creator's shares first under p's
 * creator_first order — and *paid; otherwise nothing is added and *paid is false. */
gj_err pool_premium_entry(gj_engine *e, const gj_policy *p, const char *binding_id,
                          gj_fen amount_fen, const char *target, gj_entry *entry, bool *paid,
                          gj_status *st);
/* R7.3: the ledger account of a person's wallet (医保钱包), "wallet:<psn_no>". */
void wallet_account_code(char out[GJ_ACCOUNT_CODE_MAX], const char *owner);
/* The owner's wallet balance; 0 without a wallet. */
gj_err wallet_balance(gj_engine *e, const char *owner, gj_fen *balance_fen, gj_status *st);

/* R8: fill p->region_cross_province (p's region's policy on `today`); p->remote_care comes
 * with the person row (FACTS_REMOTE_CARE_COLUMN). */
gj_err regions_cross_province_fact(gj_engine *e, gj_person_facts *p, gj_date today, gj_status *st);

#endif
