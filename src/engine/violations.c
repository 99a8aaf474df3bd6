/* violations.c — handling misuse (R9.1, R9.2): staff freeze and unfreeze a binding or a
 * person's account with a reason, and recover (追回) misused mutual aid back to the donor's
 * account from a recovery receivable owed by the user; every step journaled. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "regions_internal.h"

enum { REASON_MAX = GJ_FROZEN_REASON_MAX - 1, RECOVERIES_MAX = 500 };

gj_err regions_staff_only(const gj_actor *who, gj_status *st) {
    if (who->channel != NULL && strcmp(who->channel, "app") == 0)
        return gj_fail(st, GJ_E_FORBIDDEN, "only agency staff handle violations");
    return GJ_E_OK;
}

static gj_err check_reason(const char *reason, gj_status *st) {
    if (reason == NULL || reason[0] == '\0' || strlen(reason) > REASON_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "reason: required, at most %d bytes", REASON_MAX);
    return GJ_E_OK;
}

/* Set the frozen flag of a binding. */
static gj_err freeze_binding(gj_engine *e, const char *binding_id, bool freeze, const char *reason,
                             gj_status *st) {
    gj_binding_row row;
    gj_err err = facts_binding(e, binding_id, &row, st);
    if (err != GJ_E_OK) return err;
    if (row.facts.frozen == freeze)
        return gj_fail(st, freeze ? GJ_E_ALREADY_FROZEN : GJ_E_NOT_FROZEN, "binding %s", binding_id);
    return gj_store_exec(e->store, "UPDATE binding SET frozen = $2, frozen_reason = $3 WHERE binding_id = $1",
                         GJ_PARAMS(P_TEXT(binding_id), P_INT(freeze ? 1 : 0),
                                   freeze ? P_TEXT(reason) : P_NULL), NULL, st);
}

/* Set the frozen flag of a person's shareable layers (the card balance is never shared). */
static gj_err freeze_account(gj_engine *e, const char *psn_no, bool freeze, const char *reason,
                             gj_status *st) {
    gj_acct_view acct;
    bool exists = false;
    gj_err err = ledger_layers(e->store, psn_no, &acct, &exists, st);
    if (err != GJ_E_OK) return err;
    if (!exists) return gj_fail(st, GJ_E_NOT_FOUND, "no personal account for this person");
    if (acct.frozen == freeze)
        return gj_fail(st, freeze ? GJ_E_ALREADY_FROZEN : GJ_E_NOT_FROZEN, "account of %s", psn_no);
    for (int l = 0; err == GJ_E_OK && l < GJ_LAYER_COUNT; l++) {
        char code[GJ_ACCOUNT_CODE_MAX];
        ledger_personal_code(code, psn_no, (gj_layer)l);
        err = gj_store_exec(e->store, "UPDATE account SET frozen = $2, frozen_reason = $3 WHERE code = $1",
                            GJ_PARAMS(P_TEXT(code), P_INT(freeze ? 1 : 0),
                                      freeze ? P_TEXT(reason) : P_NULL), NULL, st);
    }
    return err;
}

gj_err gj_freeze(gj_engine *e, const gj_actor *who, const char *kind, const char *target,
                 bool freeze, const char *reason, json_t **out, gj_status *st) {
    bool binding = kind != NULL && strcmp(kind, "binding") == 0;
    gj_err err = regions_staff_only(who, st);
    if (err == GJ_E_OK && !binding && (kind == NULL || strcmp(kind, "account") != 0))
        err = gj_fail(st, GJ_E_BAD_CODE, "kind: binding | account");
    if (err == GJ_E_OK) err = check_reason(reason, st);
    if (err == GJ_E_OK && target == NULL) err = gj_fail(st, GJ_E_USAGE, "target required");
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    gj_time now = gj_now();
    err = binding ? freeze_binding(e, target, freeze, reason, st)
                  : freeze_account(e, target, freeze, reason, st);
    char action[32];
    snprintf(action, sizeof action, "%s.%s", kind, freeze ? "freeze" : "unfreeze");
    if (err == GJ_E_OK)
        err = eng_journal(e, who, action, target, json_pack("{s:s}", "reason", reason), now, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:b, s:s}", "kind", kind, "target", target, "frozen", freeze,
                         "reason", reason);
    return err;
}

/* ---- recovery ---- */

typedef struct {
    char member[GJ_PSN_NO_MAX];
    gj_fen paid_fen, recovered_fen;
} recovery_facts;

static gj_err load_recovery_facts(gj_engine *e, const char *setl_id, const char *donor,
                                  recovery_facts *r, gj_status *st) {
    gj_rows *rows = NULL;
    bool settled = false;
    gj_err err = gj_store_query(e->store, "SELECT psn_no, status FROM settlement WHERE setl_id = $1",
                                GJ_PARAMS(P_TEXT(setl_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        snprintf(r->member, sizeof r->member, "%s", gj_rows_text(rows, 0));
        settled = strcmp(gj_rows_text(rows, 1), "settled") == 0;
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {
        err = gj_fail(st, GJ_E_NOT_FOUND, "setl_id: no such settlement");
    }
    gj_rows_end(rows);
    if (err == GJ_E_OK && !settled)
        err = gj_fail(st, GJ_E_ALREADY_CANCELLED, "settlement %s was cancelled: nothing to recover", setl_id);
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COALESCE(SUM(amount_fen), 0) FROM settlement_source "
                                         "WHERE setl_id = $1 AND donor = $2",
                               GJ_PARAMS(P_TEXT(setl_id), P_TEXT(donor)), &r->paid_fen, st);
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COALESCE(SUM(amount_fen), 0) FROM recovery "
                                         "WHERE setl_id = $1 AND donor = $2",
                               GJ_PARAMS(P_TEXT(setl_id), P_TEXT(donor)), &r->recovered_fen, st);
    int64_t cross = 0;   /* the donor's account is in another province's database (xa.c) */
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM posting p JOIN settlement s ON "
                                         "s.entry_id = p.entry_id WHERE s.setl_id = $1 AND "
                                         "p.acct_code LIKE 'clear:%'", GJ_PARAMS(P_TEXT(setl_id)), &cross, st);
    if (err == GJ_E_OK && cross > 0)
        err = gj_fail(st, GJ_E_CROSS_PROVINCE_CANCEL, "settlement %s drew on another province's database", setl_id);
    return err;
}

/* Credit the donor's layers in the order the settlement drew them, skipping what earlier
 * recoveries already returned; debit the user's receivable. */
static gj_err recovery_entry(gj_engine *e, const char *setl_id, const char *donor,
                             const recovery_facts *r, gj_fen amount, gj_entry *entry, gj_status *st) {
    char recv[GJ_ACCOUNT_CODE_MAX];
    snprintf(recv, sizeof recv, "recv:%s", r->member);
    gj_err err = ledger_ensure(e->store, recv, "receivable", r->member, st);
    gj_rows *rows = NULL;
    if (err == GJ_E_OK)
        err = gj_store_query(e->store, "SELECT layer, amount_fen FROM settlement_source "
                                       "WHERE setl_id = $1 AND donor = $2 ORDER BY line",
                             GJ_PARAMS(P_TEXT(setl_id), P_TEXT(donor)), &rows, st);
    if (err != GJ_E_OK) return err;
    gj_fen skip = r->recovered_fen, left = amount;
    while (left > 0 && gj_rows_next(rows)) {
        gj_fen row = gj_rows_int(rows, 1), skipped = gj_fen_min(skip, row);
        gj_fen take = gj_fen_min(left, row - skipped);
        skip -= skipped;
        char code[GJ_ACCOUNT_CODE_MAX];
        snprintf(code, sizeof code, "psn:%s:%s", donor, gj_rows_text(rows, 0));
        ledger_add(entry, code, take);
        left -= take;
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    assert(err != GJ_E_OK || left == 0);   /* amount ≤ paid − recovered */
    ledger_add(entry, recv, -amount);
    return err;
}

static gj_err insert_recovery(gj_engine *e, const gj_actor *who, const char *id, const char *setl_id,
                              const char *donor, const recovery_facts *r, gj_fen amount,
                              const char *reason, gj_time at, int64_t entry_id, gj_status *st) {
    return gj_store_exec(e->store, "INSERT INTO recovery (recovery_id, setl_id, donor, member, amount_fen, "
                                   "reason, actor, at, entry_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                         GJ_PARAMS(P_TEXT(id), P_TEXT(setl_id), P_TEXT(donor), P_TEXT(r->member),
                                   P_INT(amount), P_TEXT(reason), P_TEXT(who->actor), P_INT(at),
                                   P_INT(entry_id)), NULL, st);
}

gj_err gj_recover(gj_engine *e, const gj_actor *who, const char *setl_id, const char *donor,
                  gj_fen amount_fen, const char *reason, json_t **out, gj_status *st) {
    recovery_facts r = {.paid_fen = 0};
    gj_entry entry = {.count = 0};
    char id[GJ_BINDING_ID_MAX];
    int64_t entry_id = 0;
    gj_time now = gj_now();
    gj_err err = regions_staff_only(who, st);
    if (err == GJ_E_OK) err = check_reason(reason, st);
    if (err == GJ_E_OK && amount_fen <= 0) err = gj_fail(st, GJ_E_BAD_AMOUNT, "amount: must be positive");
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_recovery_facts(e, setl_id, donor, &r, st);
    if (err == GJ_E_OK && amount_fen > r.paid_fen - r.recovered_fen)
        err = gj_fail(st, GJ_E_RECOVERY_EXCEEDS, "donor paid %lld fen in %s, %lld fen already recovered",
                      (long long)r.paid_fen, setl_id, (long long)r.recovered_fen);
    if (err == GJ_E_OK) err = eng_new_id(e, "recovery", "R", id, sizeof id, st);
    if (err == GJ_E_OK) err = recovery_entry(e, setl_id, donor, &r, amount_fen, &entry, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "recover", setl_id, &entry,
                                   json_pack("{s:s, s:s, s:s, s:o, s:s}", "recovery_id", id, "donor", donor,
                                             "member", r.member, "amount_yuan", gj_json_yuan(amount_fen),
                                             "reason", reason), now, &entry_id, st);
    if (err == GJ_E_OK) err = insert_recovery(e, who, id, setl_id, donor, &r, amount_fen, reason, now, entry_id, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "recovery_id", id, "setl_id", setl_id,
                         "donor", donor, "member", r.member, "amount_yuan", gj_json_yuan(amount_fen),
                         "recoverable_left_yuan", gj_json_yuan(r.paid_fen - r.recovered_fen - amount_fen),
                         "reason", reason);
    return err;
}

gj_err regions_recoveries_of(gj_engine *e, const char *psn_no, int year, json_t *list, gj_status *st) {
    assert(year >= 0);
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT r.recovery_id, r.setl_id, r.donor, r.member, r.amount_fen, "
                                          "r.reason, r.at FROM recovery r JOIN settlement s ON s.setl_id = r.setl_id "
                                          "WHERE (r.donor = $1 OR r.member = $1) AND ($2 = 0 OR s.setl_year = $2) "
                                          "ORDER BY r.at DESC, r.recovery_id DESC",
                                GJ_PARAMS(P_TEXT(psn_no), P_INT(year)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (json_array_size(list) < RECOVERIES_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
            "recovery_id", gj_rows_text(rows, 0), "setl_id", gj_rows_text(rows, 1),
            "donor", gj_rows_text(rows, 2), "member", gj_rows_text(rows, 3),
            "amount_yuan", gj_json_yuan(gj_rows_int(rows, 4)), "reason", gj_rows_text(rows, 5),
            "at", gj_time_format(gj_rows_int(rows, 6), when, sizeof when)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_recoveries(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_person_facts p;
    gj_err err = facts_person(e, psn_no, &p, st);
    json_t *list = json_array();
    if (err == GJ_E_OK) err = regions_recoveries_of(e, psn_no, 0, list, st);
    if (err != GJ_E_OK) {
        json_decref(list);
        return err;
    }
    *out = json_pack("{s:s, s:o}", "psn_no", psn_no, "recoveries", list);
    return GJ_E_OK;
}
