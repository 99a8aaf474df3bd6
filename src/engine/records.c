/* records.c — what people may look at (R6): a member's own usage, every use of a donor's
 * money, authorization history, receipts, statements, and the explanation of a settlement.
 * Filters: year, insured region, visit type. Result lists are bounded (RECORDS_MAX). */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "gongji/admdvs.h"
#include "regions_internal.h"

enum { RECORDS_MAX = 1000 };

static json_t *settlement_record(gj_rows *rows) {
    char when[GJ_TIME_TEXT_MAX];
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "setl_id", gj_rows_text(rows, 0),
                          "psn_no", gj_rows_text(rows, 1), "fixmedins_code", gj_rows_text(rows, 2),
                          "fixmedins_name", gj_rows_text(rows, 3), "med_type", gj_rows_text(rows, 4),
                          "insuplc_admdvs", gj_rows_text(rows, 5),
                          "setl_time", gj_time_format(gj_rows_int(rows, 6), when, sizeof when),
                          "status", gj_rows_text(rows, 7));
    gj_json_set_yuan(o, "medfee_sumamt", gj_rows_int(rows, 8));
    gj_json_set_yuan(o, "fund_pay_sumamt", gj_rows_int(rows, 9));
    gj_json_set_yuan(o, "own_acct_pay", gj_rows_int(rows, 10));
    gj_json_set_yuan(o, "acct_mulaid_pay", gj_rows_int(rows, 11));
    gj_json_set_yuan(o, "psn_cash_pay", gj_rows_int(rows, 12));
    return o;
}

#define RECORD_COLUMNS                                                                         \
    "SELECT s.setl_id, s.psn_no, s.fixmedins_code, COALESCE(i.name, ''), s.med_type, "         \
    "s.insu_admdvs, s.setl_time, s.status, s.medfee_sumamt_fen, s.fund_pay_fen, s.own_pay_fen, " \
    "s.mulaid_pay_fen, s.cash_pay_fen "
#define RECORD_FILTER                                                                          \
    " AND ($2 = 0 OR s.setl_year = $2) AND ($3 IS NULL OR s.insu_admdvs = $3) "               \
    "AND ($4 IS NULL OR s.med_type = $4) "

static gj_err collect(gj_engine *e, const char *sql, const char *psn_no, const gj_record_filter *f,
                      json_t *list, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, sql,
                                GJ_PARAMS(P_TEXT(psn_no), P_INT(f ? f->year : 0),
                                          P_TEXT(f ? f->admdvs : NULL), P_TEXT(f ? f->med_type : NULL)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    while (json_array_size(list) < RECORDS_MAX && gj_rows_next(rows)) {
        json_t *o = settlement_record(rows);
        if (!gj_rows_null(rows, 13)) {
            json_object_set_new(o, "member", json_string(gj_rows_text(rows, 1)));
            gj_json_set_yuan(o, "from_donor_yuan", gj_rows_int(rows, 13));
            json_object_set_new(o, "binding_id", json_string(gj_rows_text(rows, 14)));
        }
        json_array_append_new(list, o);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* A filter's region must be a valid region code (BAD_ADMDVS) and its visit type a national
 * med_type (BAD_CODE) when given: an unknown code would silently match nothing. */
static gj_err check_filter(const gj_record_filter *f, gj_status *st) {
    if (f == NULL) return GJ_E_OK;
    if (f->admdvs != NULL && !gj_admdvs_valid(f->admdvs))
        return gj_fail(st, GJ_E_BAD_ADMDVS,
                       "region %s: not a region code (6 digits of a known province)", f->admdvs);
    if (f->med_type != NULL && !gj_med_type_known(f->med_type))
        return gj_fail(st, GJ_E_BAD_CODE, "med_type %s: not a national visit type (11 … 52)",
                       f->med_type);
    return GJ_E_OK;
}

static gj_err with_person(gj_engine *e, const char *psn_no, gj_status *st) {
    gj_person_facts p;
    return facts_person(e, psn_no, &p, st);
}

gj_err gj_records_member(gj_engine *e, const char *psn_no, const gj_record_filter *f, json_t **out,
                         gj_status *st) {
    gj_err err = check_filter(f, st);
    if (err == GJ_E_OK) err = with_person(e, psn_no, st);
    if (err != GJ_E_OK) return err;
    json_t *list = json_array();
    err = collect(e, RECORD_COLUMNS ", NULL, NULL FROM settlement s LEFT JOIN institution i "
                  "ON i.fixmedins_code = s.fixmedins_code WHERE s.psn_no = $1" RECORD_FILTER
                  "ORDER BY s.setl_time DESC, s.setl_id DESC", psn_no, f, list, st);
    if (err != GJ_E_OK) {
        json_decref(list);
        return err;
    }
    *out = json_pack("{s:s, s:o}", "psn_no", psn_no, "records", list);
    return GJ_E_OK;
}

/* The premiums and products the donor paid, of benefit year `year` (0: every year). */
static gj_err donor_premiums(gj_engine *e, const char *psn_no, int year, json_t *list, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT premium_id, member, kind, product, year, amount_fen, "
                                          "paid_at FROM premium WHERE donor = $1 AND ($2 = 0 OR year = $2) "
                                          "ORDER BY paid_at DESC",
                                GJ_PARAMS(P_TEXT(psn_no), P_INT(year)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (json_array_size(list) < RECORDS_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:s}",
            "premium_id", gj_rows_text(rows, 0), "member", gj_rows_text(rows, 1),
            "kind", gj_rows_text(rows, 2), "product", gj_rows_text(rows, 3),
            "year", (json_int_t)gj_rows_int(rows, 4), "amount_yuan", gj_json_yuan(gj_rows_int(rows, 5)),
            "paid_at", gj_time_format(gj_rows_int(rows, 6), when, sizeof when)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_records_donor(gj_engine *e, const char *psn_no, const gj_record_filter *f, json_t **out,
                        gj_status *st) {
    gj_err err = check_filter(f, st);
    if (err == GJ_E_OK) err = with_person(e, psn_no, st);
    if (err != GJ_E_OK) return err;
    json_t *uses = json_array(), *premiums = json_array();
    err = collect(e, RECORD_COLUMNS ", x.amount_fen, x.binding_id FROM "
                  "(SELECT setl_id, binding_id, SUM(amount_fen) AS amount_fen FROM settlement_source "
                  "WHERE donor = $1 GROUP BY setl_id, binding_id) x "
                  "JOIN settlement s ON s.setl_id = x.setl_id LEFT JOIN institution i "
                  "ON i.fixmedins_code = s.fixmedins_code WHERE 1 = 1" RECORD_FILTER
                  "ORDER BY s.setl_time DESC, s.setl_id DESC", psn_no, f, uses, st);
    if (err == GJ_E_OK) err = donor_premiums(e, psn_no, f ? f->year : 0, premiums, st);
    json_t *result = json_pack("{s:s, s:o, s:o}", "donor", psn_no, "uses", uses, "contributions", premiums);
    json_t *recovered = json_array();   /* R9.2: recoveries back to this donor */
    json_object_set_new(result, "recoveries", recovered);
    if (err == GJ_E_OK) err = regions_recoveries_of(e, psn_no, f ? f->year : 0, recovered, st);
    if (err != GJ_E_OK) {
        json_decref(result);
        return err;
    }
    *out = result;
    return GJ_E_OK;
}

static gj_err journal_of(gj_engine *e, const char *subject, json_t *into, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT seq, at, actor, channel, action, detail FROM journal "
                                          "WHERE subject = $1 ORDER BY seq",
                                GJ_PARAMS(P_TEXT(subject)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        json_t *detail = json_loads(gj_rows_text(rows, 5), 0, NULL);
        json_array_append_new(into, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "seq",
            (json_int_t)gj_rows_int(rows, 0), "at", gj_time_format(gj_rows_int(rows, 1), when, sizeof when),
            "actor", gj_rows_text(rows, 2), "channel", gj_rows_text(rows, 3),
            "action", gj_rows_text(rows, 4), "detail", detail ? detail : json_null()));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_records_bindings(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_err err = with_person(e, psn_no, st);
    if (err != GJ_E_OK) return err;
    gj_rows *rows = NULL;
    json_t *list = json_array();
    err = gj_store_query(e->store, BINDING_SELECT "WHERE b.donor = $1 OR b.member = $1 "
                         "ORDER BY b.created_at, b.binding_id", GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    while (err == GJ_E_OK && json_array_size(list) < RECORDS_MAX && gj_rows_next(rows)) {
        gj_binding_row b;
        facts_binding_from_row(rows, &b);
        json_array_append_new(list, binding_json(&b));
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    for (size_t i = 0; err == GJ_E_OK && i < json_array_size(list); i++) {
        json_t *b = json_array_get(list, i), *trail = json_array();
        json_object_set_new(b, "trail", trail);
        err = journal_of(e, json_string_value(json_object_get(b, "binding_id")), trail, st);
    }
    if (err != GJ_E_OK) {
        json_decref(list);
        return err;
    }
    *out = json_pack("{s:s, s:o}", "psn_no", psn_no, "bindings", list);
    return GJ_E_OK;
}

/* A settlement's stored output, explanation and status. */
static gj_err stored_settlement(gj_engine *e, const char *setl_id, json_t **out, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT s.output, s.explain, s.status, s.policy_version, "
                                          "s.fixmedins_code, COALESCE(i.name, ''), s.psn_no "
                                          "FROM settlement s LEFT JOIN institution i "
                                          "ON i.fixmedins_code = s.fixmedins_code WHERE s.setl_id = $1",
                                GJ_PARAMS(P_TEXT(setl_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        json_t *output = json_loads(gj_rows_text(rows, 0), 0, NULL);
        json_t *explain = json_loads(gj_rows_text(rows, 1), 0, NULL);
        *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "setl_id", setl_id,
                         "status", gj_rows_text(rows, 2), "policy_version", gj_rows_text(rows, 3),
                         "fixmedins_code", gj_rows_text(rows, 4), "fixmedins_name", gj_rows_text(rows, 5),
                         "psn_no", gj_rows_text(rows, 6),
                         "setlinfo", output ? json_incref(json_object_get(output, "setlinfo")) : json_null(),
                         "explain", explain ? explain : json_array());
        json_decref(output);
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {
        err = gj_fail(st, GJ_E_NOT_FOUND, "settlement not found");
    }
    gj_rows_end(rows);
    return err;
}

gj_err gj_settle_explain(gj_engine *e, const char *setl_id, json_t **out, gj_status *st) {
    return stored_settlement(e, setl_id, out, st);
}

gj_err gj_receipt(gj_engine *e, const char *setl_id, json_t **out, gj_status *st) {
    json_t *s = NULL;
    gj_err err = stored_settlement(e, setl_id, &s, st);
    if (err != GJ_E_OK) return err;
    json_t *info = json_object_get(s, "setlinfo");
    /* R4.9: the mutual-aid amount is shown inside 个人账户支付 on the receipt. */
    *out = json_pack("{s:s, s:s, s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s}",
                     "title", "医疗收费结算单 / settlement receipt", "setl_id", setl_id,
                     "fixmedins_name", json_string_value(json_object_get(s, "fixmedins_name")),
                     "psn_name", json_object_get(info, "psn_name"),
                     "setl_time", json_object_get(info, "setl_time"),
                     "medfee_sumamt", json_object_get(info, "medfee_sumamt"),
                     "fund_pay_sumamt", json_object_get(info, "fund_pay_sumamt"),
                     "acct_pay", json_object_get(info, "acct_pay"),
                     "acct_mulaid_pay", json_object_get(info, "acct_mulaid_pay"),
                     "psn_cash_pay", json_object_get(info, "psn_cash_pay"),
                     "status", json_string_value(json_object_get(s, "status")));
    json_decref(s);
    return GJ_E_OK;
}

gj_err gj_statement(gj_engine *e, const char *psn_no, int year, json_t **out, gj_status *st) {
    gj_err err = with_person(e, psn_no, st);
    if (err != GJ_E_OK) return err;
    gj_time from = gj_date_start(gj_date_from_ymd(year, 1, 1)), to = gj_date_start(gj_date_from_ymd(year + 1, 1, 1));
    int64_t opening = 0;
    err = gj_store_one_int(e->store, "SELECT COALESCE(SUM(p.amount_fen), 0) FROM posting p JOIN entry x "
                                     "ON x.entry_id = p.entry_id JOIN account a ON a.code = p.acct_code "
                                     "WHERE a.owner = $1 AND a.kind IN ('current','prior') AND x.at < $2",
                           GJ_PARAMS(P_TEXT(psn_no), P_INT(from)), &opening, st);
    gj_rows *rows = NULL;
    if (err == GJ_E_OK)
        err = gj_store_query(e->store, "SELECT x.at, x.kind, x.ref, a.kind, p.amount_fen FROM posting p "
                                       "JOIN entry x ON x.entry_id = p.entry_id JOIN account a ON a.code = p.acct_code "
                                       "WHERE a.owner = $1 AND a.kind IN ('current','prior') AND x.at >= $2 "
                                       "AND x.at < $3 ORDER BY x.entry_id, p.line",
                             GJ_PARAMS(P_TEXT(psn_no), P_INT(from), P_INT(to)), &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *lines = json_array();
    gj_fen balance = opening;
    while (json_array_size(lines) < RECORDS_MAX && gj_rows_next(rows)) {
        char when[GJ_TIME_TEXT_MAX];
        balance += gj_rows_int(rows, 4);
        json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}",
            "at", gj_time_format(gj_rows_int(rows, 0), when, sizeof when), "kind", gj_rows_text(rows, 1),
            "ref", gj_rows_text(rows, 2), "layer", gj_rows_text(rows, 3),
            "amount_yuan", gj_json_yuan(gj_rows_int(rows, 4)), "balance_yuan", gj_json_yuan(balance)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    *out = json_pack("{s:s, s:i, s:o, s:o, s:o}", "psn_no", psn_no, "year", year,
                     "opening_yuan", gj_json_yuan(opening), "lines", lines, "closing_yuan", gj_json_yuan(balance));
    return err;
}
