/* recon.c — reconciliation per institution and day (R6.4): totals and details of settlements
 * in a date range, for staff (gongji recon) and for the institution itself (3201/3202), which
 * compares its own totals with ours. acct_pay is what each settlement answered (stored with it:
 * with or without the mutual-aid amount, as settlement.mulaid_in_acct_pay said then), so the
 * institution's figures agree with ours whatever the policy. */
#include <stdio.h>
#include <string.h>

#include "nhsa_settle.h"

/* A report's longest period, in days with both ends included (any calendar year fits). Details are built whole, on the writer for 3202: without a bound, one request for all
 * years of a large hospital held every other institution's settlements while it ran. */
enum { RECON_SPAN_DAYS_MAX = 366 };

typedef struct {
    gj_fen medfee_fen, fund_fen, acct_fen, mulaid_fen, cash_fen;
    int64_t count, cancelled;
} recon_sum;

/* Settlements still in force count; cancelled ones are counted apart. */
static gj_err sum_range(gj_engine *e, const char *code, gj_time from, gj_time to, const char *insutype,
                        recon_sum *s, gj_status *st) {
    gj_rows *rows = NULL;
    memset(s, 0, sizeof *s);
    gj_err err = gj_store_query(
        e->store,
        "SELECT status, COUNT(*), SUM(medfee_sumamt_fen), SUM(fund_pay_fen), "
        "SUM(acct_pay_fen), SUM(mulaid_pay_fen), SUM(cash_pay_fen) FROM settlement "
        "WHERE fixmedins_code = $1 AND setl_time >= $2 AND setl_time < $3 "
        "AND ($4 IS NULL OR insutype = $4) GROUP BY status",
        GJ_PARAMS(P_TEXT(code), P_INT(from), P_INT(to), P_TEXT(insutype)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (gj_rows_next(rows)) {
        if (strcmp(gj_rows_text(rows, 0), "settled") != 0) {
            s->cancelled += gj_rows_int(rows, 1);
            continue;
        }
        s->count = gj_rows_int(rows, 1);
        s->medfee_fen = gj_rows_int(rows, 2);
        s->fund_fen = gj_rows_int(rows, 3);
        s->acct_fen = gj_rows_int(rows, 4);
        s->mulaid_fen = gj_rows_int(rows, 5);
        s->cash_fen = gj_rows_int(rows, 6);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

static json_t *sum_json(const recon_sum *s) {
    json_t *o = json_pack("{s:I, s:I}", "fixmedins_setl_cnt", (json_int_t)s->count,
                          "cancelled_cnt", (json_int_t)s->cancelled);
    gj_json_set_yuan(o, "medfee_sumamt", s->medfee_fen);
    gj_json_set_yuan(o, "fund_pay_sumamt", s->fund_fen);
    gj_json_set_yuan(o, "acct_pay", s->acct_fen);
    gj_json_set_yuan(o, "acct_mulaid_pay", s->mulaid_fen);
    gj_json_set_yuan(o, "psn_cash_pay", s->cash_fen);
    return o;
}

/* from..to (both days included) is a period a report covers: in order, and at most
 * RECON_SPAN_DAYS_MAX days. */
static gj_err period_check(gj_date from, gj_date to, gj_status *st) {
    if (to < from) return gj_fail(st, GJ_E_BAD_DATE, "to before from");
    if (to - from + 1 > RECON_SPAN_DAYS_MAX)
        return gj_fail(st, GJ_E_TOO_LARGE, "at most %d days at once", RECON_SPAN_DAYS_MAX);
    return GJ_E_OK;
}

/* A staff report (totals, details): of a registered institution (an unknown code is NOT_FOUND,
 * not a report of zeros), over a period period_check accepts. */
static gj_err report_check(gj_engine *e, const char *code, gj_date from, gj_date to, gj_status *st) {
    gj_err err = nhsa_check_institution(e, code, st);
    return err != GJ_E_OK ? err : period_check(from, to, st);
}

gj_err gj_recon_totals(gj_engine *e, const char *code, gj_date from, gj_date to, json_t **out,
                       gj_status *st) {
    gj_err err = report_check(e, code, from, to, st);
    if (err != GJ_E_OK) return err;
    json_t *days = json_array();
    recon_sum total = {0}, day;
    for (gj_date d = from; d <= to; d++) {
        err = sum_range(e, code, gj_date_start(d), gj_date_start(d + 1), NULL, &day, st);
        if (err != GJ_E_OK) {
            json_decref(days);
            return err;
        }
        if (day.count == 0 && day.cancelled == 0) continue;
        char date[GJ_DATE_TEXT_MAX];
        json_t *o = sum_json(&day);
        json_object_set_new(o, "date", json_string(gj_date_format(d, date, sizeof date)));
        json_array_append_new(days, o);
        total.count += day.count;
        total.cancelled += day.cancelled;
        total.medfee_fen += day.medfee_fen;
        total.fund_fen += day.fund_fen;
        total.acct_fen += day.acct_fen;
        total.mulaid_fen += day.mulaid_fen;
        total.cash_fen += day.cash_fen;
    }
    *out = json_pack("{s:s, s:o, s:o}", "fixmedins_code", code, "days", days, "total", sum_json(&total));
    return GJ_E_OK;
}

static gj_err details(gj_engine *e, const char *code, gj_time from, gj_time to, json_t **out,
                      gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(
        e->store,
        "SELECT setl_id, msgid, psn_no, med_type, setl_time, medfee_sumamt_fen, fund_pay_fen, "
        "acct_pay_fen, mulaid_pay_fen, cash_pay_fen, status FROM settlement "
        "WHERE fixmedins_code = $1 AND setl_time >= $2 AND setl_time < $3 ORDER BY setl_time, setl_id",
        GJ_PARAMS(P_TEXT(code), P_INT(from), P_INT(to)), &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *list = json_array();
    while (gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "setl_id", gj_rows_text(rows, 0),
                              "medins_setl_id", gj_rows_text(rows, 1), "psn_no", gj_rows_text(rows, 2),
                              "med_type", gj_rows_text(rows, 3),
                              "setl_time", gj_time_format(gj_rows_int(rows, 4), when, sizeof when),
                              "refd_setl_flag", strcmp(gj_rows_text(rows, 10), "settled") ? "1" : "0");
        gj_json_set_yuan(o, "medfee_sumamt", gj_rows_int(rows, 5));
        gj_json_set_yuan(o, "fund_pay_sumamt", gj_rows_int(rows, 6));
        gj_json_set_yuan(o, "acct_pay", gj_rows_int(rows, 7));
        gj_json_set_yuan(o, "acct_mulaid_pay", gj_rows_int(rows, 8));
        gj_json_set_yuan(o, "psn_cash_pay", gj_rows_int(rows, 9));
        json_array_append_new(list, o);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err != GJ_E_OK) json_decref(list);
    else *out = list;
    return err;
}

gj_err gj_recon_details(gj_engine *e, const char *code, gj_date from, gj_date to, json_t **out,
                        gj_status *st) {
    json_t *list = NULL;
    gj_err err = report_check(e, code, from, to, st);
    if (err == GJ_E_OK) err = details(e, code, gj_date_start(from), gj_date_start(to + 1), &list, st);
    if (err == GJ_E_OK) *out = json_pack("{s:s, s:o}", "fixmedins_code", code, "details", list);
    return err;
}

static gj_err statement_period(json_t *d, gj_time *from, gj_time *to, gj_status *st) {
    const char *begin = NULL, *end = NULL;
    gj_date b, e;
    gj_err err;
    if ((err = gj_json_text(d, "stmt_begndate", 19, &begin, st)) ||
        (err = gj_json_text(d, "stmt_enddate", 19, &end, st)))
        return err;
    if (gj_date_parse(begin, &b) != GJ_E_OK) return gj_fail(st, GJ_E_BAD_DATE, "stmt_begndate");
    if (gj_date_parse(end, &e) != GJ_E_OK || e < b) return gj_fail(st, GJ_E_BAD_DATE, "stmt_enddate");
    if ((err = period_check(b, e, st))) return err;
    *from = gj_date_start(b);
    *to = gj_date_start(e + 1);
    return GJ_E_OK;
}

gj_err recon_3201(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = json_object_get(ctx->input, "data");
    gj_time from, to;
    gj_fen medfee = 0, fund = 0, acct = 0;
    long count = 0;
    const char *insutype = NULL;
    recon_sum ours;
    gj_err err;
    if (!json_is_object(d)) return gj_fail(st, GJ_E_BAD_FIELD, "input.data: object required");
    if ((err = statement_period(d, &from, &to, st)) ||
        (err = gj_json_text_opt(d, "insutype", 3, &insutype, st)))
        return err;
    if (insutype != NULL && !gj_insutype_known(insutype))   /* not our totals of 0, "differ" */
        return gj_fail(st, GJ_E_BAD_CODE, "insutype: unknown");
    if ((err = gj_json_amount(d, "medfee_sumamt", true, &medfee, st)) ||
        (err = gj_json_amount(d, "fund_pay_sumamt", true, &fund, st)) ||
        (err = gj_json_amount(d, "acct_pay", true, &acct, st)) ||
        (err = gj_json_int(d, "fixmedins_setl_cnt", 0, 100000000, &count, st)) ||
        (err = sum_range(e, ctx->fixmedins_code, from, to, insutype, &ours, st)))
        return err;
    bool match = ours.medfee_fen == medfee && ours.fund_fen == fund && ours.acct_fen == acct &&
                 ours.count == count;
    json_t *info = sum_json(&ours);
    json_object_set_new(info, "setl_optins", json_string(ctx->mdtrtarea_admvs ? ctx->mdtrtarea_admvs : ""));
    json_object_set_new(info, "stmt_rslt", json_string(match ? "0" : "1"));
    json_object_set_new(info, "stmt_rslt_dscr", json_string(match ? "对账一致 / totals agree"
                                                                  : "对账不一致 / totals differ: see our figures"));
    *output = json_pack("{s:o}", "stmtinfo", info);
    return GJ_E_OK;
}

gj_err recon_3202(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = json_object_get(ctx->input, "data");
    gj_time from, to;
    json_t *list = NULL;
    if (!json_is_object(d)) return gj_fail(st, GJ_E_BAD_FIELD, "input.data: object required");
    gj_err err = statement_period(d, &from, &to, st);
    if (err == GJ_E_OK) err = details(e, ctx->fixmedins_code, from, to, &list, st);
    if (err == GJ_E_OK) *output = json_pack("{s:o}", "details", list);
    return err;
}
