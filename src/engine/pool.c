/* pool.c — the family pool (家庭共济账户, R7.2): donors move money above their reserve into
 * their network's pool; closing returns every remaining fen to the account and layer it came
 * from. The pool's money sits in ledger accounts pool:<pool_id>:<contributor>:<layer>, so its
 * provenance is kept by the ledger itself and a statement is the postings on those accounts. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/money.h"
#include "gongji/regions.h"
#include "gongji/strcopy.h"
#include "network_rules.h"
#include "regions_internal.h"

enum { POOL_LINES_MAX = 1000 };

void pool_account_code(char out[GJ_ACCOUNT_CODE_MAX], const char *pool_id, const char *contributor,
                       gj_layer layer) {
    gj_join_text(out, GJ_ACCOUNT_CODE_MAX, "pool:", pool_id, ":", contributor, ":", gj_layer_code(layer),
                 NULL);
}

/* "pool:<pool>:<psn>:<layer>" → its layer (after the last ':'). */
static const char *code_layer(const char *code) {
    const char *colon = strrchr(code, ':');
    assert(colon != NULL);
    return colon + 1;
}

/* "pool:<pool>:<psn>:<layer>" → its pool id; false when `code` is not a pool account. */
static bool code_pool(const char *code, char pool_id[GJ_BINDING_ID_MAX]) {
    static const char PREFIX[] = "pool:";
    if (strncmp(code, PREFIX, sizeof PREFIX - 1) != 0) return false;
    const char *id = code + sizeof PREFIX - 1, *colon = strchr(id, ':');
    if (colon == NULL || colon - id >= GJ_BINDING_ID_MAX) return false;
    memcpy(pool_id, id, (size_t)(colon - id));
    pool_id[colon - id] = '\0';
    return true;
}

/* Where the money of share `code` came from, and where closing returns it: the contributor's
 * personal account, in the share's layer. */
static void share_home_code(char out[GJ_ACCOUNT_CODE_MAX], const char *contributor, const char *code) {
    gj_join_text(out, GJ_ACCOUNT_CODE_MAX, "psn:", contributor, ":", code_layer(code), NULL);
}

void pool_codes_of(const gj_engine *e, const char *pool_id, pool_codes *out) {
    out->range = strcmp(gj_store_backend(e->store), "sqlite") == 0;
    gj_join_text(out->pattern, sizeof out->pattern, "pool:", pool_id, ":%", NULL);
    gj_join_text(out->from, sizeof out->from, "pool:", pool_id, ":", NULL);
    gj_join_text(out->below, sizeof out->below, "pool:", pool_id, ";", NULL);
    assert(strlen(out->from) == strlen(out->below) && strcmp(out->from, out->below) < 0);
}

/* Copy the single text column of the first row into out; *found false without rows. */
static gj_err first_text(gj_engine *e, const char *sql, const char *arg, char *out, size_t len,
                         bool *found, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, sql, GJ_PARAMS(P_TEXT(arg)), &rows, st);
    if (err != GJ_E_OK) return err;
    *found = gj_rows_next(rows);
    if (*found) snprintf(out, len, "%s", gj_rows_text(rows, 0));
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err pool_open_of(gj_engine *e, const char *network_id, char pool_id[GJ_BINDING_ID_MAX],
                    bool *found, gj_status *st) {
    return first_text(e, "SELECT pool_id FROM family_pool WHERE network_id = $1 AND status = 'open'",
                      network_id, pool_id, GJ_BINDING_ID_MAX, found, st);
}

gj_err pool_closed_share_home(gj_engine *e, const char *code, char home[GJ_ACCOUNT_CODE_MAX],
                              bool *closed, gj_status *st) {
    char pool_id[GJ_BINDING_ID_MAX], status[16], contributor[GJ_PSN_NO_MAX];
    bool found = false;
    *closed = false;
    if (!code_pool(code, pool_id)) return GJ_E_OK;
    gj_err err = first_text(e, "SELECT status FROM family_pool WHERE pool_id = $1 AND status = 'closed'",
                            pool_id, status, sizeof status, &found, st);
    if (err == GJ_E_OK && found)
        err = first_text(e, "SELECT owner FROM account WHERE code = $1", code, contributor,
                         sizeof contributor, &found, st);
    if (err == GJ_E_OK && found) share_home_code(home, contributor, code);
    *closed = err == GJ_E_OK && found;
    return err;
}

static gj_err network_of(gj_engine *e, const char *owner, char network_id[GJ_BINDING_ID_MAX],
                         gj_status *st) {
    bool found = false;
    gj_err err = first_text(e, "SELECT network_id FROM network WHERE creator = $1", owner, network_id,
                            GJ_BINDING_ID_MAX, &found, st);
    if (err == GJ_E_OK && !found) err = gj_fail(st, GJ_E_NO_NETWORK, "%s has no family network", owner);
    return err;
}

/* The owner's region must run the pool model (R7.2). */
static gj_err check_pool_region(gj_engine *e, const char *psn_no, gj_time now, gj_person_facts *p,
                                const gj_policy **policy, gj_status *st) {
    gj_err err = facts_person(e, psn_no, p, st);
    if (err == GJ_E_OK) err = facts_policy(e, p->admdvs, gj_time_date(now), policy, st);
    if (err == GJ_E_OK && (*policy)->fund_model != GJ_FUND_POOL)
        err = gj_fail(st, GJ_E_NOT_POOL_REGION, "policy %s", (*policy)->version_id);
    return err;
}

/* The creator or a member with an active binding in the network may contribute. */
static gj_err check_contributor(gj_engine *e, const char *network_id, const char *owner,
                                const char *donor, gj_status *st) {
    int64_t n = 0;
    if (strcmp(owner, donor) == 0) return GJ_E_OK;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM binding WHERE network_id = $1 "
                                            "AND member = $2 AND status = 'active'",
                                  GJ_PARAMS(P_TEXT(network_id), P_TEXT(donor)), &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_NOT_POOL_MEMBER, "%s in %s", donor, network_id);
    return err;
}

static gj_err open_pool(gj_engine *e, const char *network_id, const char *owner, gj_time now,
                        char pool_id[GJ_BINDING_ID_MAX], gj_status *st) {
    bool found = false;
    gj_err err = pool_open_of(e, network_id, pool_id, &found, st);
    if (err != GJ_E_OK || found) return err;
    err = eng_new_id(e, "pool", "FP", pool_id, GJ_BINDING_ID_MAX, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO family_pool (pool_id, network_id, creator, status, "
                                      "opened_at) VALUES ($1, $2, $3, 'open', $4)",
                            GJ_PARAMS(P_TEXT(pool_id), P_TEXT(network_id), P_TEXT(owner), P_INT(now)),
                            NULL, st);
    return err;
}

/* Postings moving `amount` from the donor's shareable layers (policy order) into the pool. */
static gj_err contribution_entry(gj_engine *e, const gj_policy *p, const char *donor,
                                 const gj_acct_view *acct, const char *pool_id, gj_fen amount,
                                 gj_entry *entry, gj_status *st) {
    gj_err err = GJ_E_OK;
    gj_fen take[GJ_LAYER_COUNT];
    gj_region_layer_takes(p, acct, amount, take);   /* amount ≤ gj_region_above_reserve */
    for (int i = 0; err == GJ_E_OK && i < GJ_LAYER_COUNT; i++) {
        gj_layer l = p->donor.layer_order[i];
        if (take[l] == 0) continue;
        char from[GJ_ACCOUNT_CODE_MAX], to[GJ_ACCOUNT_CODE_MAX];
        ledger_personal_code(from, donor, l);
        pool_account_code(to, pool_id, donor, l);
        err = ledger_ensure(e->store, to, "pool", donor, st);
        ledger_add(entry, from, -take[l]);
        ledger_add(entry, to, take[l]);
    }
    return err;
}

/* In the app one acts only as `psn`; otherwise refused (FORBIDDEN) with `why` as the detail. */
static gj_err pool_actor_may(const gj_actor *who, const char *psn, const char *why, gj_status *st) {
    return eng_actor_may(who, psn, NULL, st) == GJ_E_OK ? GJ_E_OK : gj_fail(st, GJ_E_FORBIDDEN, "%s", why);
}

/* The contribution; amount_fen < 0 moves everything above the reserve (refused when nothing). */
static gj_err contribute(gj_engine *e, const gj_actor *who, const char *owner, const char *donor,
                         gj_fen amount_fen, json_t **out, gj_status *st) {
    gj_person_facts owner_p, donor_p;
    const gj_policy *owner_policy = NULL, *policy = NULL;
    char network_id[GJ_BINDING_ID_MAX], pool_id[GJ_BINDING_ID_MAX];
    gj_acct_view acct;
    bool exists = false;
    gj_entry entry = {.count = 0};
    int64_t entry_id = 0;
    gj_time now = gj_now();
    gj_err err = pool_actor_may(who, donor, "in the app one contributes only one's own money", st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = network_of(e, owner, network_id, st)) ||
        (err = check_pool_region(e, owner, now, &owner_p, &owner_policy, st)) ||
        (err = check_pool_region(e, donor, now, &donor_p, &policy, st)) ||
        (err = check_contributor(e, network_id, owner, donor, st)) ||
        (err = gj_family_check_donor(policy, &donor_p, st)) ||
        (err = ledger_layers(e->store, donor, &acct, &exists, st))) {
        return eng_finish(e, err, st);
    }
    gj_fen above = gj_region_above_reserve(policy, &acct);
    if (amount_fen < 0) amount_fen = above;
    if (amount_fen == 0 || amount_fen > above)
        err = gj_fail(st, GJ_E_ABOVE_RESERVE_ONLY, "at most %lld fen can be moved (reserve %lld fen)",
                      (long long)above, (long long)policy->donor.reserve_floor_fen);
    if (err == GJ_E_OK) err = open_pool(e, network_id, owner, now, pool_id, st);
    if (err == GJ_E_OK) err = contribution_entry(e, policy, donor, &acct, pool_id, amount_fen, &entry, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "pool.contribute", pool_id, &entry,
                                   json_pack("{s:s, s:o}", "contributor", donor, "amount_yuan",
                                             gj_json_yuan(amount_fen)), now, &entry_id, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) err = gj_pool_show(e, owner, out, st);
    return err;
}

gj_err gj_pool_contribute(gj_engine *e, const gj_actor *who, const char *owner,
                          const char *donor, gj_fen amount_fen, json_t **out, gj_status *st) {
    if (amount_fen <= 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "amount: must be positive");
    return contribute(e, who, owner, donor, amount_fen, out, st);
}

gj_err gj_pool_contribute_all(gj_engine *e, const gj_actor *who, const char *owner,
                              const char *donor, json_t **out, gj_status *st) {
    return contribute(e, who, owner, donor, -1, out, st);
}

/* ---- show ---- */

/* The latest pool of the owner's network (open or closed). */
static gj_err latest_pool(gj_engine *e, const char *owner, char pool_id[GJ_BINDING_ID_MAX],
                          json_t **info, gj_status *st) {
    char network_id[GJ_BINDING_ID_MAX];
    gj_rows *rows = NULL;
    gj_err err = network_of(e, owner, network_id, st);
    if (err == GJ_E_OK)
        err = gj_store_query(e->store, "SELECT pool_id, status, opened_at, closed_at FROM family_pool "
                                       "WHERE network_id = $1 ORDER BY opened_at DESC, pool_id DESC",
                             GJ_PARAMS(P_TEXT(network_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        char opened[GJ_TIME_TEXT_MAX], closed[GJ_TIME_TEXT_MAX];
        snprintf(pool_id, GJ_BINDING_ID_MAX, "%s", gj_rows_text(rows, 0));
        *info = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "pool_id", pool_id, "network_id", network_id,
                          "creator", owner, "status", gj_rows_text(rows, 1),
                          "opened_at", gj_time_format(gj_rows_int(rows, 2), opened, sizeof opened),
                          "closed_at", gj_rows_null(rows, 3) ? json_null()
                                       : json_string(gj_time_format(gj_rows_int(rows, 3), closed, sizeof closed)));
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {
        err = gj_fail(st, GJ_E_POOL_CLOSED, "%s's network has no family pool yet", owner);
    }
    gj_rows_end(rows);
    return err;
}

/* pool_accounts' four statements: [range][with_money]. */
#define POOL_ACCOUNTS_SQL(codes, money) \
    "SELECT code, owner, balance_fen FROM account WHERE kind = 'pool' AND " codes money " ORDER BY code"
static const char *const pool_accounts_sql[2][2] = {
    {POOL_ACCOUNTS_SQL("code LIKE $1", ""), POOL_ACCOUNTS_SQL("code LIKE $1", " AND balance_fen > 0")},
    {POOL_ACCOUNTS_SQL("code >= $2 AND code < $3", ""),
     POOL_ACCOUNTS_SQL("code >= $2 AND code < $3", " AND balance_fen > 0")}};

gj_err pool_accounts(gj_engine *e, const char *pool_id, bool with_money, pool_codes *codes,
                     gj_rows **rows, gj_status *st) {
    pool_codes_of(e, pool_id, codes);
    return gj_store_query(e->store, pool_accounts_sql[codes->range][with_money],
                          GJ_PARAMS(P_TEXT(codes->pattern), P_TEXT(codes->from), P_TEXT(codes->below)),
                          rows, st);
}

static gj_err pool_balances(gj_engine *e, const char *pool_id, json_t *info, gj_status *st) {
    pool_codes codes;
    gj_rows *rows = NULL;
    gj_err err = pool_accounts(e, pool_id, false, &codes, &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *shares = json_array();
    gj_fen total = 0;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        gj_fen share = gj_rows_int(rows, 2);
        assert(share >= 0);   /* uses and closing take at most what a share holds */
        if (!gj_fen_add(total, share, &total))
            err = gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "pool %s: the shares add up beyond the largest amount", pool_id);
        json_array_append_new(shares, json_pack("{s:s, s:s, s:o}", "contributor", gj_rows_text(rows, 1),
                                                "layer", code_layer(gj_rows_text(rows, 0)),
                                                "balance_yuan", gj_json_yuan(share)));
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    json_object_set_new(info, "shares", shares);
    gj_json_set_yuan(info, "balance_yuan", total);
    return err;
}

/* pool_statement's two statements: [range]. */
#define POOL_STATEMENT_SQL(codes)                                \
    "SELECT x.at, x.kind, x.ref, a.owner, a.code, p.amount_fen "  \
    "FROM posting p JOIN entry x ON x.entry_id = p.entry_id "     \
    "JOIN account a ON a.code = p.acct_code "                     \
    "WHERE a.kind = 'pool' AND " codes " ORDER BY p.entry_id, p.line"
static const char *const pool_statement_sql[2] = {POOL_STATEMENT_SQL("a.code LIKE $1"),
                                                  POOL_STATEMENT_SQL("a.code >= $2 AND a.code < $3")};

/* Every posting on the pool's accounts: what moved, when, whose money (provenance). */
static gj_err pool_statement(gj_engine *e, const char *pool_id, json_t *info, gj_status *st) {
    pool_codes codes;
    gj_rows *rows = NULL;
    pool_codes_of(e, pool_id, &codes);
    gj_err err = gj_store_query(e->store, pool_statement_sql[codes.range],
                                GJ_PARAMS(P_TEXT(codes.pattern), P_TEXT(codes.from), P_TEXT(codes.below)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *lines = json_array();
    while (json_array_size(lines) < POOL_LINES_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
            "at", gj_time_format(gj_rows_int(rows, 0), when, sizeof when), "kind", gj_rows_text(rows, 1),
            "ref", gj_rows_text(rows, 2), "contributor", gj_rows_text(rows, 3),
            "layer", code_layer(gj_rows_text(rows, 4)), "amount_yuan", gj_json_yuan(gj_rows_int(rows, 5))));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    json_object_set_new(info, "statement", lines);
    return err;
}

gj_err gj_pool_show(gj_engine *e, const char *owner, json_t **out, gj_status *st) {
    char pool_id[GJ_BINDING_ID_MAX];
    json_t *info = NULL;
    gj_err err = latest_pool(e, owner, pool_id, &info, st);
    if (err == GJ_E_OK) err = pool_balances(e, pool_id, info, st);
    if (err == GJ_E_OK) err = pool_statement(e, pool_id, info, st);
    if (err != GJ_E_OK) {
        json_decref(info);
        return err;
    }
    *out = info;
    return GJ_E_OK;
}

/* ---- close ---- */

/* Shares one closing entry returns: two postings each. */
enum { CLOSE_SHARES_PER_ENTRY = GJ_POSTINGS_MAX / 2 };

/* Postings returning the first CLOSE_SHARES_PER_ENTRY shares with money to the personal account
 * and layer each came from; *more when shares with money remain after them. */
static gj_err closing_entry(gj_engine *e, const char *pool_id, gj_entry *entry, bool *more,
                            gj_status *st) {
    pool_codes codes;
    gj_rows *rows = NULL;
    *more = false;
    gj_err err = pool_accounts(e, pool_id, true, &codes, &rows, st);
    if (err != GJ_E_OK) return err;
    while (gj_rows_next(rows)) {
        if (entry->count == 2 * CLOSE_SHARES_PER_ENTRY) {
            *more = true;
            break;
        }
        char back[GJ_ACCOUNT_CODE_MAX];
        share_home_code(back, gj_rows_text(rows, 1), gj_rows_text(rows, 0));
        ledger_add(entry, gj_rows_text(rows, 0), -gj_rows_int(rows, 2));
        ledger_add(entry, back, gj_rows_int(rows, 2));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* Return every share of the pool, however many contributors it has had: one balanced entry
 * (journal record "pool.close", its `part` counted from 1) per CLOSE_SHARES_PER_ENTRY shares
 * with money, each emptying the shares it returns, so the next finds the rest. An empty pool
 * still writes part 1, its record of the closing. */
static gj_err return_shares(gj_engine *e, const gj_actor *who, const char *owner, const char *pool_id,
                            gj_time now, gj_status *st) {
    bool more = true;
    gj_err err = GJ_E_OK;
    for (int part = 1; err == GJ_E_OK && more; part++) {
        gj_entry entry = {.count = 0};
        int64_t entry_id = 0;
        err = closing_entry(e, pool_id, &entry, &more, st);
        if (err == GJ_E_OK)
            err = eng_post_and_journal(e, who, "pool.close", pool_id, &entry,
                                       json_pack("{s:s, s:i}", "creator", owner, "part", part), now,
                                       &entry_id, st);
    }
    return err;
}

gj_err gj_pool_close(gj_engine *e, const gj_actor *who, const char *owner, json_t **out,
                     gj_status *st) {
    char network_id[GJ_BINDING_ID_MAX], pool_id[GJ_BINDING_ID_MAX];
    bool found = false;
    gj_time now = gj_now();
    gj_err err = pool_actor_may(who, owner, "only the creator of the family network can close its pool", st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = network_of(e, owner, network_id, st)) == GJ_E_OK &&
        (err = pool_open_of(e, network_id, pool_id, &found, st)) == GJ_E_OK && !found)
        err = gj_fail(st, GJ_E_POOL_CLOSED, "%s's network has no open family pool", owner);
    if (err == GJ_E_OK) err = return_shares(e, who, owner, pool_id, now, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "UPDATE family_pool SET status = 'closed', closed_at = $2 "
                                      "WHERE pool_id = $1", GJ_PARAMS(P_TEXT(pool_id), P_INT(now)), NULL, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) err = gj_pool_show(e, owner, out, st);
    return err;
}
