/* settle_cmd.c — settlement and cancellation as commands (R4.8): load the facts, let the domain
 * split the bill, then write postings, the settlement with its explanation, which donor paid
 * what, and the journal — or, for a trial, only answer. Cancellation reverses every posting,
 * so every fen returns to the account and layer it came from. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/json_writer.h"
#include "gongji/strcopy.h"
#include "regions_internal.h"
#include "settle_facts.h"
#include "xa_internal.h"

/* Postings: fund and every draw to the institution's account. */
static gj_err build_entry(gj_engine *e, const nhsa_ctx *ctx, const gj_person_facts *patient,
                          const gj_settle_facts *f, const gj_settle_result *r, const char *insutype,
                          gj_entry *entry, gj_status *st) {
    char inst[GJ_ACCOUNT_CODE_MAX], fund[GJ_ACCOUNT_CODE_MAX], code[GJ_ACCOUNT_CODE_MAX];
    gj_join_text(inst, sizeof inst, "inst:", ctx->fixmedins_code, NULL);
    gj_join_text(fund, sizeof fund, "fund:", patient->admdvs, ":", insutype, NULL);
    gj_err err = ledger_ensure(e->store, fund, "fund", patient->admdvs, st);
    if (err != GJ_E_OK) return err;
    ledger_add(entry, fund, -r->fund_fen);
    for (int i = 0; i < r->draw_count; i++) {
        const gj_draw *d = &r->draws[i];
        const gj_donor_facts *src = d->donor < 0 ? NULL : &f->donors[d->donor];
        if (d->donor == GJ_DRAW_WALLET) wallet_account_code(code, patient->psn_no);
        else if (src != NULL && src->pool_id[0]) pool_account_code(code, src->pool_id, src->psn_no, d->layer);
        else if (src != NULL) settle_donor_account(e, src->psn_no, d->layer, code);
        else ledger_personal_code(code, patient->psn_no, d->layer);
        if (strncmp(code, "clear:", 6) == 0 && (err = ledger_ensure(e->store, code, "clearing", code + 6, st)))
            return err;   /* the donor's account is in another province's database */
        ledger_add(entry, code, -d->amount_fen);
    }
    ledger_add(entry, inst, r->fund_fen + r->own_fen + r->mulaid_fen);
    return GJ_E_OK;
}

/* Each draw on a relative's account: a settlement_source row, and its binding's running total
 * for the settlement's year (binding_use.c). */
static gj_err insert_sources(gj_engine *e, const char *setl_id, const gj_settle_facts *f,
                             const gj_settle_result *r, int year, gj_status *st) {
    gj_err err = GJ_E_OK;
    for (int i = 0, line = 0; err == GJ_E_OK && i < r->draw_count; i++) {
        const gj_draw *d = &r->draws[i];
        if (d->donor < 0) continue;
        const char *binding_id = f->donors[d->donor].binding_id;
        err = gj_store_exec(e->store, "INSERT INTO settlement_source (setl_id, line, donor, "
                                      "binding_id, layer, amount_fen) VALUES ($1,$2,$3,$4,$5,$6)",
                            GJ_PARAMS(P_TEXT(setl_id), P_INT(++line), P_TEXT(f->donors[d->donor].psn_no),
                                      P_TEXT(binding_id), P_TEXT(gj_layer_code(d->layer)),
                                      P_INT(d->amount_fen)), NULL, st);
        if (err == GJ_E_OK) err = binding_use_add(e->store, binding_id, year, d->amount_fen, st);
    }
    return err;
}

/* The settlement's row: the bill, its split, and what was answered — the output text and its
 * acct_pay (with or without the mutual-aid amount, settlement.mulaid_in_acct_pay), which
 * reconciliation reports (recon.c, R6.4) — and whether it was a stay's mid-settlement
 * (mid_setl, schema 16: a stay's final settlement in force refuses another, nhsa_visit.c). */
static gj_err insert_settlement(gj_engine *e, const nhsa_ctx *ctx, const settle_request *req,
                                const gj_person_facts *patient, const gj_settle_facts *f,
                                const gj_settle_result *r, const char *setl_id, const char *mdtrt_id,
                                int64_t entry_id, const settle_texts *t, gj_time at, gj_status *st) {
    gj_err err = gj_store_exec(
        e->store,
        "INSERT INTO settlement (setl_id, fixmedins_code, msgid, infno, psn_no, mdtrt_id, med_type, "
        "insutype, insu_admdvs, mdtrtarea_admvs, setl_time, setl_year, fund_bucket, "
        "medfee_sumamt_fen, deductible_fen, fund_pay_fen, own_pay_fen, mulaid_pay_fen, cash_pay_fen, "
        "status, entry_id, policy_version, explain, output, acct_pay_fen, mid_setl) VALUES ($1,$2,$3,$4,"
        "$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,'settled',$20,$21,$22,$23,$24,$25)",
        GJ_PARAMS(P_TEXT(setl_id), P_TEXT(ctx->fixmedins_code), P_TEXT(ctx->msgid), P_TEXT(ctx->infno),
                  P_TEXT(patient->psn_no), P_TEXT(mdtrt_id), P_TEXT(req->bill.med_type),
                  P_TEXT(req->bill.insutype), P_TEXT(patient->admdvs),
                  P_TEXT(ctx->mdtrtarea_admvs ? ctx->mdtrtarea_admvs : patient->admdvs), P_INT(at),
                  P_INT(gj_date_year(gj_time_date(at))), P_TEXT(r->bucket), P_INT(req->bill.medfee_fen),
                  P_INT(r->deductible_fen), P_INT(r->fund_fen), P_INT(r->own_fen), P_INT(r->mulaid_fen),
                  P_INT(r->cash_fen), P_INT(entry_id), P_TEXT(f->policy->version_id), P_TEXT(t->explain),
                  P_TEXT(t->stored_output), P_INT(r->acct_pay_fen), P_INT(req->mid_setl ? 1 : 0)),
        NULL, st);
    return err;
}

/* The journal record's detail (members in key order, as journal_append sorts them; entry_id
 * and postings_sha256 follow, eng_post_and_journal_text). */
static char *journal_detail(const nhsa_ctx *ctx, const settle_request *req,
                            const gj_person_facts *patient, const gj_settle_result *r) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    if (req->agent[0]) gj_jw_member_string(&w, "agent", req->agent);
    gj_jw_member_yuan(&w, "cash_yuan", r->cash_fen);
    gj_jw_member_yuan(&w, "fund_yuan", r->fund_fen);
    gj_jw_member_string(&w, "infno", ctx->infno);
    gj_jw_member_string(&w, "msgid", ctx->msgid);
    gj_jw_member_yuan(&w, "mulaid_yuan", r->mulaid_fen);
    gj_jw_member_yuan(&w, "own_yuan", r->own_fen);
    gj_jw_member_string(&w, "psn_no", patient->psn_no);
    gj_jw_object_end(&w);
    return gj_jw_finish(&w);
}

static gj_err record_settlement(gj_engine *e, const nhsa_ctx *ctx, const settle_request *req,
                                const gj_person_facts *patient, const gj_settle_facts *f,
                                const gj_settle_result *r, const char *setl_id, const char *mdtrt_id,
                                const settle_texts *t, gj_time at, gj_status *st) {
    gj_entry entry = {.count = 0};
    int64_t entry_id = 0;
    gj_actor who = {.actor = ctx->fixmedins_code, .channel = "his"};
    char *detail = journal_detail(ctx, req, patient, r);
    gj_err err = detail != NULL ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "journal detail: out of memory");
    if (err == GJ_E_OK) err = build_entry(e, ctx, patient, f, r, req->bill.insutype, &entry, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal_text(e, &who, "settle", setl_id, &entry, detail, at, &entry_id, st);
    free(detail);
    if (err == GJ_E_OK)
        err = insert_settlement(e, ctx, req, patient, f, r, setl_id, mdtrt_id, entry_id, t, at, st);
    if (err == GJ_E_OK) err = insert_sources(e, setl_id, f, r, gj_date_year(gj_time_date(at)), st);
    if (err == GJ_E_OK) err = settle_post_remote(e, setl_id, ctx->msgid, f, r, at, st);
    return err;
}

gj_err settle_execute(gj_engine *e, const nhsa_ctx *ctx, const settle_request *req, bool trial,
                      json_t **output, gj_status *st) {
    assert(ctx->output_text != NULL && *output == NULL);
    (void)output;   /* the answer is text (ctx->output_text) */
    gj_person_facts patient;
    nhsa_identity identity;
    assert(!e->settle_busy && "one settlement at a time per engine");
    e->settle_busy = true;
    gj_settle_facts *f = e->settle_facts;       /* settle_load_facts clears it */
    gj_settle_result *r = e->settle_result;     /* gj_settle_compute clears it */
    char setl_id[GJ_BINDING_ID_MAX] = "", mdtrt_id[NHSA_ID_MAX];
    gj_time at = gj_now();
    gj_err err = settle_load_facts(e, req, at, &patient, &identity, f, st);
    if (err == GJ_E_OK) err = gj_settle_compute(&req->bill, f, r, st);
    if (err == GJ_E_OK && req->agent[0])   /* R4.1: a proxy purchase names its agent */
        gj_explain_add(&r->explain, "R4.1", -1, "代办人：%s（使用患者本人凭证）",
                       "bought by an agent: %s (with the patient's own credential)", req->agent);
    if (err == GJ_E_OK && !trial) err = eng_new_id(e, "settlement", "S", setl_id, sizeof setl_id, st);
    if (err == GJ_E_OK) {
        gj_copy_text(mdtrt_id, sizeof mdtrt_id, req->mdtrt_id[0] ? req->mdtrt_id : ctx->msgid);
        settle_answer a = {.ctx = ctx, .req = req, .patient = &patient, .identity = &identity,
                           .result = r, .setl_id = setl_id, .mdtrt_id = mdtrt_id, .at = at};
        settle_texts t = {NULL, NULL, NULL};
        err = settle_answer_write(e, &a, &t, st);
        if (err == GJ_E_OK && !trial)
            err = record_settlement(e, ctx, req, &patient, f, r, setl_id, mdtrt_id, &t, at, st);
        if (err == GJ_E_OK) {
            free(*ctx->output_text);
            *ctx->output_text = t.output;   /* the answer's output */
            t.output = NULL;
        }
        if (err == GJ_E_OK && !trial && ctx->answer_setl_id != NULL)
            gj_copy_text(ctx->answer_setl_id, GJ_BINDING_ID_MAX, setl_id);   /* the log refers to it */
        settle_texts_free(&t);
    }
    e->settle_busy = false;
    return err;
}

/* ---- cancellation ---- */

typedef struct {
    char psn_no[GJ_PSN_NO_MAX], fixmedins_code[NHSA_ID_MAX], mdtrt_id[NHSA_ID_MAX], status[16];
    int64_t entry_id;
} settlement_row;

static gj_err load_settlement(gj_engine *e, const char *setl_id, settlement_row *s, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT psn_no, fixmedins_code, mdtrt_id, status, entry_id "
                                          "FROM settlement WHERE setl_id = $1",
                                GJ_PARAMS(P_TEXT(setl_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        gj_copy_text(s->psn_no, sizeof s->psn_no, gj_rows_text(rows, 0));
        gj_copy_text(s->fixmedins_code, sizeof s->fixmedins_code, gj_rows_text(rows, 1));
        gj_copy_text(s->mdtrt_id, sizeof s->mdtrt_id, gj_rows_text(rows, 2));
        gj_copy_text(s->status, sizeof s->status, gj_rows_text(rows, 3));
        s->entry_id = gj_rows_int(rows, 4);
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {
        err = gj_fail(st, GJ_E_NOT_FOUND, "setl_id: no such settlement");
    }
    gj_rows_end(rows);
    return err;
}

/* R9.2: a settlement from which the agency recovered mutual aid is not cancelled (nor reversed)
 * at the point of sale: the cancel would return the donor's money a second time and leave the
 * member owing a receivable for a sale that no longer exists. The agency handles such a return
 * (docs/regions.md). */
static gj_err refuse_if_recovered(gj_engine *e, const char *setl_id, gj_status *st) {
    int64_t recoveries = 0;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM recovery WHERE setl_id = $1",
                                  GJ_PARAMS(P_TEXT(setl_id)), &recoveries, st);
    if (err == GJ_E_OK && recoveries > 0)
        err = gj_fail(st, GJ_E_SETTLEMENT_RECOVERED, "settlement %s has %lld recoveries", setl_id,
                      (long long)recoveries);
    return err;
}

/* R7.2: each credit to a share of a family pool closed since the settlement goes instead to the
 * contributor's own account and layer, where closing returned the rest of the share — a closed
 * pool holds nothing and nobody could take money out of it. */
static gj_err redirect_closed_pool_credits(gj_engine *e, gj_entry *entry, gj_status *st) {
    gj_err err = GJ_E_OK;
    for (int i = 0; err == GJ_E_OK && i < entry->count; i++) {
        gj_posting *p = &entry->lines[i];
        char home[GJ_ACCOUNT_CODE_MAX];
        bool closed = false;
        if (p->amount_fen > 0) err = pool_closed_share_home(e, p->account, home, &closed, st);
        if (err == GJ_E_OK && closed) gj_copy_text(p->account, sizeof p->account, home);
    }
    return err;
}

/* The negation of an entry's postings; money owed back to a closed pool goes to its
 * contributors (redirect_closed_pool_credits). */
static gj_err reverse_entry(gj_engine *e, int64_t entry_id, gj_entry *out, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT acct_code, amount_fen FROM posting "
                                          "WHERE entry_id = $1 ORDER BY line",
                                GJ_PARAMS(P_INT(entry_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    out->count = 0;
    bool cross = false;
    while (gj_rows_next(rows) && out->count < GJ_POSTINGS_MAX) {
        cross = cross || strncmp(gj_rows_text(rows, 0), "clear:", 6) == 0;
        ledger_add(out, gj_rows_text(rows, 0), -gj_rows_int(rows, 1));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && cross)   /* the donor's half is in another province's database */
        err = gj_fail(st, GJ_E_CROSS_PROVINCE_CANCEL, "settlement entry %lld", (long long)entry_id);
    if (err == GJ_E_OK) err = redirect_closed_pool_credits(e, out, st);
    return err;
}

gj_err settle_cancel_id(gj_engine *e, const nhsa_ctx *ctx, const char *setl_id,
                        const char *psn_no, json_t **output, gj_status *st) {
    settlement_row s;
    gj_entry entry;
    int64_t entry_id = 0;
    gj_time at = gj_now();
    gj_actor who = {.actor = ctx->fixmedins_code, .channel = "his"};
    gj_err err = load_settlement(e, setl_id, &s, st);
    if (err != GJ_E_OK) return err;
    if (strcmp(s.fixmedins_code, ctx->fixmedins_code) != 0 || strcmp(s.psn_no, psn_no) != 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "setl_id: no such settlement for this institution and person");
    if (strcmp(s.status, "settled") != 0)
        return gj_fail(st, GJ_E_ALREADY_CANCELLED, "settlement %s is %s", setl_id, s.status);
    if ((err = refuse_if_recovered(e, setl_id, st)) ||
        (err = reverse_entry(e, s.entry_id, &entry, st)) ||
        (err = eng_post_and_journal(e, &who, "settle.cancel", setl_id, &entry,
                                    json_pack("{s:s, s:s}", "msgid", ctx->msgid, "infno", ctx->infno),
                                    at, &entry_id, st)) ||
        (err = binding_use_cancel(e->store, setl_id, st)) ||
        (err = gj_store_exec(e->store, "UPDATE settlement SET status = 'cancelled', cancel_entry_id = $2, "
                                       "cancel_time = $3 WHERE setl_id = $1",
                             GJ_PARAMS(P_TEXT(setl_id), P_INT(entry_id), P_INT(at)), NULL, st)))
        return err;
    char when[GJ_TIME_TEXT_MAX], cancel_id[GJ_BINDING_ID_MAX + 2];
    snprintf(cancel_id, sizeof cancel_id, "C%s", setl_id);
    *output = json_pack("{s:{s:s, s:s, s:s, s:s, s:s}}", "setlinfo", "setl_id", cancel_id,
                        "init_setl_id", setl_id, "mdtrt_id", s.mdtrt_id, "psn_no", psn_no,
                        "setl_time", gj_time_format(at, when, sizeof when));
    return GJ_E_OK;
}

gj_err settle_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    const char *setl_id = NULL, *psn_no = NULL;
    gj_err err;
    if ((err = nhsa_input_block(ctx, "data", &d, st)) ||
        (err = gj_json_text(d, "setl_id", 30, &setl_id, st)) ||
        (err = gj_json_text(d, "psn_no", 30, &psn_no, st)))
        return err;
    return settle_cancel_id(e, ctx, setl_id, psn_no, output, st);
}
