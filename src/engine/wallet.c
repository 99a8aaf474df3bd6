/* wallet.c — the medical-insurance wallet (医保钱包, R7.3): a donor moves money from their
 * personal account (shareable layers in payment order, above any reserve) into a relative's
 * wallet, without a binding. The wallet is the ledger account wallet:<owner>; it pays only its
 * owner's medical costs (settle_facts.c loads the patient's own wallet, domain settle.c draws it
 * after the own account) and the owner's resident premium (premium.c). Each transfer's
 * provenance is a wallet_transfer row next to its ledger entry. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/regions.h"
#include "network_rules.h"
#include "regions_internal.h"

enum { WALLET_LINES_MAX = 1000 };

void wallet_account_code(char out[GJ_ACCOUNT_CODE_MAX], const char *owner) {
    snprintf(out, GJ_ACCOUNT_CODE_MAX, "wallet:%s", owner);
}

gj_err wallet_balance(gj_engine *e, const char *owner, gj_fen *balance_fen, gj_status *st) {
    char code[GJ_ACCOUNT_CODE_MAX];
    int64_t n = 0;
    wallet_account_code(code, owner);
    gj_err err = gj_store_one_int(e->store, "SELECT COALESCE(SUM(balance_fen), 0) FROM account "
                                            "WHERE code = $1",
                                  GJ_PARAMS(P_TEXT(code)), &n, st);
    *balance_fen = err == GJ_E_OK ? n : 0;
    assert(*balance_fen >= 0);
    return err;
}

/* Postings: the donor's layers (policy order) into the recipient's wallet. */
static gj_err transfer_entry(gj_engine *e, const gj_policy *p, const char *donor,
                             const gj_acct_view *acct, const char *recipient, gj_fen amount_fen,
                             gj_entry *entry, gj_status *st) {
    char to[GJ_ACCOUNT_CODE_MAX];
    gj_fen take[GJ_LAYER_COUNT];
    wallet_account_code(to, recipient);
    gj_err err = ledger_ensure(e->store, to, "wallet", recipient, st);
    gj_region_layer_takes(p, acct, amount_fen, take);   /* amount ≤ gj_region_above_reserve */
    for (int i = 0; err == GJ_E_OK && i < GJ_LAYER_COUNT; i++) {
        gj_layer l = p->donor.layer_order[i];
        char from[GJ_ACCOUNT_CODE_MAX];
        ledger_personal_code(from, donor, l);
        ledger_add(entry, from, -take[l]);
    }
    ledger_add(entry, to, amount_fen);
    return err;
}

static gj_err insert_transfer(gj_engine *e, const gj_actor *who, const char *id, const char *donor,
                              const char *recipient, gj_relation rel, gj_fen amount_fen, gj_time now,
                              int64_t entry_id, gj_status *st) {
    return gj_store_exec(e->store, "INSERT INTO wallet_transfer (transfer_id, donor, recipient, "
                                   "relation, amount_fen, at, actor, channel, entry_id) VALUES "
                                   "($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                         GJ_PARAMS(P_TEXT(id), P_TEXT(donor), P_TEXT(recipient),
                                   P_TEXT(gj_relation_code(rel)), P_INT(amount_fen), P_INT(now),
                                   P_TEXT(who->actor), P_TEXT(who->channel ? who->channel : ""),
                                   P_INT(entry_id)), NULL, st);
}

gj_err gj_wallet_transfer(gj_engine *e, const gj_actor *who, const char *donor,
                          const char *recipient, const char *relation, gj_fen amount_fen,
                          json_t **out, gj_status *st) {
    gj_person_facts d, r;
    const gj_policy *dp = NULL, *rp = NULL;
    gj_acct_view acct;
    bool exists = false;
    gj_entry entry = {.count = 0};
    int64_t entry_id = 0;
    char id[GJ_BINDING_ID_MAX];
    gj_time now = gj_now();
    gj_relation rel = GJ_REL_SPOUSE;
    if (amount_fen <= 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "amount: must be positive");
    gj_err err = rules_parse_relation(relation, &rel, st);   /* as invitations */
    if (err == GJ_E_OK) err = eng_actor_may(who, donor, NULL, st);   /* in the app, only one's own money */
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = facts_person(e, donor, &d, st)) || (err = facts_person(e, recipient, &r, st)) ||
        (err = facts_policy(e, d.admdvs, gj_time_date(now), &dp, st)) ||
        (err = facts_policy(e, r.admdvs, gj_time_date(now), &rp, st)) ||
        (err = gj_family_check_wallet(dp, rp, &d, &r, rel, gj_time_date(now), st)) ||
        (err = ledger_layers(e->store, donor, &acct, &exists, st)))
        return eng_finish(e, err, st);
    gj_fen above = gj_region_above_reserve(dp, &acct);
    if (amount_fen > above)
        err = gj_fail(st, GJ_E_ABOVE_RESERVE_ONLY, "at most %lld fen can be transferred (reserve %lld fen)",
                      (long long)above, (long long)dp->donor.reserve_floor_fen);
    if (err == GJ_E_OK) err = eng_new_id(e, "wallet", "WT", id, sizeof id, st);
    if (err == GJ_E_OK) err = transfer_entry(e, dp, donor, &acct, recipient, amount_fen, &entry, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "wallet.transfer", id, &entry,
                                   json_pack("{s:s, s:s, s:s, s:o}", "donor", donor, "recipient",
                                             recipient, "relation", gj_relation_code((gj_relation)rel),
                                             "amount_yuan", gj_json_yuan(amount_fen)),
                                   now, &entry_id, st);
    if (err == GJ_E_OK)
        err = insert_transfer(e, who, id, donor, recipient, (gj_relation)rel, amount_fen, now, entry_id, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) {
        err = gj_wallet_show(e, recipient, out, st);
        if (err == GJ_E_OK) json_object_set_new(*out, "transfer_id", json_string(id));
    }
    return err;
}

/* Transfers where `column` is psn_no: in (recipient) or out (donor). */
static gj_err transfers(gj_engine *e, const char *psn_no, bool in, json_t *info, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, in ? "SELECT transfer_id, donor, relation, amount_fen, at, actor, channel "
                                               "FROM wallet_transfer WHERE recipient = $1 ORDER BY at, transfer_id"
                                             : "SELECT transfer_id, recipient, relation, amount_fen, at, actor, channel "
                                               "FROM wallet_transfer WHERE donor = $1 ORDER BY at, transfer_id",
                                GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *list = json_array();
    while (json_array_size(list) < WALLET_LINES_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
            "transfer_id", gj_rows_text(rows, 0), in ? "from" : "to", gj_rows_text(rows, 1),
            "relation", gj_rows_text(rows, 2), "amount_yuan", gj_json_yuan(gj_rows_int(rows, 3)),
            "at", gj_time_format(gj_rows_int(rows, 4), when, sizeof when),
            "actor", gj_rows_text(rows, 5), "channel", gj_rows_text(rows, 6)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    json_object_set_new(info, in ? "transfers_in" : "transfers_out", list);
    return err;
}

/* Every posting on the wallet: transfers in, settlements, cancellations, premiums. */
static gj_err statement(gj_engine *e, const char *code, json_t *info, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT x.at, x.kind, x.ref, p.amount_fen FROM posting p "
                                          "JOIN entry x ON x.entry_id = p.entry_id "
                                          "WHERE p.acct_code = $1 ORDER BY p.entry_id, p.line",
                                GJ_PARAMS(P_TEXT(code)), &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *lines = json_array();
    while (json_array_size(lines) < WALLET_LINES_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:o}",
            "at", gj_time_format(gj_rows_int(rows, 0), when, sizeof when), "kind", gj_rows_text(rows, 1),
            "ref", gj_rows_text(rows, 2), "amount_yuan", gj_json_yuan(gj_rows_int(rows, 3))));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    json_object_set_new(info, "statement", lines);
    return err;
}

gj_err gj_wallet_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_person_facts p;
    gj_fen balance = 0;
    char code[GJ_ACCOUNT_CODE_MAX];
    wallet_account_code(code, psn_no);
    gj_err err = facts_person(e, psn_no, &p, st);
    if (err == GJ_E_OK) err = wallet_balance(e, psn_no, &balance, st);
    if (err != GJ_E_OK) return err;
    json_t *info = json_pack("{s:s, s:s, s:o}", "psn_no", psn_no, "account", code, "balance_yuan",
                             gj_json_yuan(balance));
    if ((err = transfers(e, psn_no, true, info, st)) || (err = transfers(e, psn_no, false, info, st)) ||
        (err = statement(e, code, info, st))) {
        json_decref(info);
        return err;
    }
    *out = info;
    return GJ_E_OK;
}
