/* nhsa_fee.c — fee details of a visit: upload (2204 outpatient, 2301 inpatient), cancel
 * (2205 / 2302: one line, one batch or all), reversal of an upload (2601), and the excluded
 * spending (R4.6) a settlement takes from the uploaded lines that carry `spend_ctgy`. Lines of
 * a visit with a settlement in force cannot be cancelled. */
#include <stdio.h>
#include <string.h>

#include "nhsa_commands.h"

enum { FEEDETL_SN_MAX = 30, CHRG_BCHNO_MAX = 30 };

typedef struct {
    char feedetl_sn[FEEDETL_SN_MAX + 1], chrg_bchno[CHRG_BCHNO_MAX + 1], mdtrt_id[NHSA_ID_MAX];
    gj_fen fee_fen;
    int category;                     /* -1: none */
} fee_line;

static gj_err decode_line(json_t *item, size_t i, fee_line *l, gj_status *st) {
    gj_err err;
    if ((err = nhsa_item_category(item, i, &l->category, st))) return err;
    if ((err = nhsa_copy_text(item, "feedetl_sn", true, l->feedetl_sn, sizeof l->feedetl_sn, st)) ||
        (err = nhsa_copy_text(item, "mdtrt_id", true, l->mdtrt_id, sizeof l->mdtrt_id, st)) ||
        (err = nhsa_copy_text(item, "chrg_bchno", true, l->chrg_bchno, sizeof l->chrg_bchno, st)) ||
        (err = gj_json_amount(item, "det_item_fee_sumamt", true, &l->fee_fen, st)))
        return nhsa_item_error(st, "feedetail", i);
    return GJ_E_OK;
}

static gj_err insert_line(gj_engine *e, const nhsa_ctx *ctx, const fee_line *l, size_t i,
                          gj_status *st) {
    gj_err err = gj_store_exec(e->store, "INSERT INTO fee_detail (mdtrt_id, feedetl_sn, chrg_bchno, "
                                         "det_item_fee_sumamt_fen, spend_ctgy, status, msgid) "
                                         "VALUES ($1,$2,$3,$4,$5,'uploaded',$6)",
                               GJ_PARAMS(P_TEXT(l->mdtrt_id), P_TEXT(l->feedetl_sn), P_TEXT(l->chrg_bchno),
                                         P_INT(l->fee_fen),
                                         P_TEXT(l->category < 0 ? NULL : gj_category_code((gj_category)l->category)),
                                         P_TEXT(ctx->msgid)), NULL, st);
    if (err == GJ_E_DUPLICATE)
        gj_fail(st, err, "feedetail[%zu].feedetl_sn: %s already uploaded for this visit", i, l->feedetl_sn);
    return err;
}

static json_t *line_json(const fee_line *l) {
    json_t *o = json_pack("{s:s, s:s, s:o}", "feedetl_sn", l->feedetl_sn, "chrg_bchno", l->chrg_bchno,
                          "det_item_fee_sumamt", gj_json_yuan(l->fee_fen));
    if (l->category >= 0)
        json_object_set_new(o, "spend_ctgy", json_string(gj_category_code((gj_category)l->category)));
    return o;
}

/* One line: decoded, on the same visit as the first (which must be this institution's). */
static gj_err upload_line(gj_engine *e, const nhsa_ctx *ctx, json_t *item, size_t i,
                          nhsa_visit *v, json_t *result, gj_fen *total, gj_status *st) {
    fee_line l;
    gj_err err = decode_line(item, i, &l, st);
    if (err == GJ_E_OK && i == 0) {
        const char *psn_no = NULL;
        if ((err = gj_json_text(item, "psn_no", GJ_PSN_NO_MAX - 1, &psn_no, st)) == GJ_E_OK)
            err = visit_own(e, ctx, l.mdtrt_id, psn_no, visit_kind_of(ctx), v, st);
    }
    if (err == GJ_E_OK && strcmp(l.mdtrt_id, v->mdtrt_id) != 0)
        err = gj_fail(st, GJ_E_BAD_FIELD, "feedetail[%zu].mdtrt_id: all lines must belong to one visit", i);
    if (err == GJ_E_OK && !gj_fen_add(*total, l.fee_fen, total))
        err = gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "feedetail: total");
    if (err == GJ_E_OK) err = insert_line(e, ctx, &l, i, st);
    if (err == GJ_E_OK) json_array_append_new(result, line_json(&l));
    return err;
}

/* 2204 / 2301: input.feedetail[] {feedetl_sn, mdtrt_id, psn_no, chrg_bchno,
 * det_item_fee_sumamt, spend_ctgy?}. */
gj_err nhsa_fee_upload(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *items = json_object_get(ctx->input, "feedetail"), *result = json_array();
    nhsa_visit v;
    size_t n = 0;
    gj_fen total = 0;
    gj_err err = nhsa_item_list(items, &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_BAD_FIELD, "input.feedetail: at least one line");
    for (size_t i = 0; err == GJ_E_OK && i < n; i++)
        err = upload_line(e, ctx, json_array_get(items, i), i, &v, result, &total, st);
    if (err == GJ_E_OK)
        err = nhsa_journal(e, ctx, "fee.upload", v.mdtrt_id,
                           json_pack("{s:I, s:o}", "lines", (json_int_t)n, "total_yuan", gj_json_yuan(total)), st);
    if (err != GJ_E_OK) {
        json_decref(result);
        return err;
    }
    *output = json_pack("{s:o}", "result", result);
    return GJ_E_OK;
}

/* Delete the visit's lines matching the filters (NULL: any); NOT_FOUND when none. */
static gj_err cancel_lines(gj_engine *e, const nhsa_ctx *ctx, const nhsa_visit *v, const char *sn,
                           const char *bchno, const char *msgid, json_t **output, gj_status *st) {
    int64_t n = 0;
    gj_err err = visit_not_settled(e, v, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "DELETE FROM fee_detail WHERE mdtrt_id = $1 "
                                      "AND ($2 IS NULL OR feedetl_sn = $2) "
                                      "AND ($3 IS NULL OR chrg_bchno = $3) AND ($4 IS NULL OR msgid = $4)",
                            GJ_PARAMS(P_TEXT(v->mdtrt_id), P_TEXT(sn), P_TEXT(bchno), P_TEXT(msgid)), &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_NOT_FOUND, "feedetl_sn: no such uploaded line");
    if (err == GJ_E_OK)
        err = nhsa_journal(e, ctx, "fee.cancel", v->mdtrt_id, json_pack("{s:I}", "lines", (json_int_t)n), st);
    if (err == GJ_E_OK)
        *output = json_pack("{s:{s:s, s:I}}", "data", "mdtrt_id", v->mdtrt_id, "cancelled_cnt", (json_int_t)n);
    return err;
}

/* 2205 / 2302: input.data {mdtrt_id, psn_no, feedetl_sn ("0000" or absent: all), chrg_bchno?}. */
gj_err nhsa_fee_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    nhsa_visit v;
    const char *sn = NULL, *bchno = NULL;
    gj_err err;
    if ((err = visit_from_input(e, ctx, "data", &d, &v, st)) ||
        (err = gj_json_text_opt(d, "feedetl_sn", FEEDETL_SN_MAX, &sn, st)) ||
        (err = gj_json_text_opt(d, "chrg_bchno", CHRG_BCHNO_MAX, &bchno, st)))
        return err;
    if (sn != NULL && strcmp(sn, "0000") == 0) sn = NULL;
    return cancel_lines(e, ctx, &v, sn, bchno, NULL, output, st);
}

gj_err fee_cancel_upload(gj_engine *e, const nhsa_ctx *ctx, const nhsa_visit *v,
                         const char *msgid, json_t **output, gj_status *st) {
    return cancel_lines(e, ctx, v, NULL, NULL, msgid, output, st);
}

gj_err fee_excluded(gj_engine *e, const char *mdtrt_id, const char *chrg_bchno, gj_bill *bill,
                    gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT spend_ctgy, SUM(det_item_fee_sumamt_fen) FROM fee_detail "
                                          "WHERE mdtrt_id = $1 AND spend_ctgy IS NOT NULL "
                                          "AND ($2 IS NULL OR chrg_bchno = $2) GROUP BY spend_ctgy",
                                GJ_PARAMS(P_TEXT(mdtrt_id), P_TEXT(chrg_bchno[0] ? chrg_bchno : NULL)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    while (err == GJ_E_OK && gj_rows_next(rows)) {
        int k = gj_category_parse(gj_rows_text(rows, 0));
        if (k >= 0) err = nhsa_add_excluded(bill, k, gj_rows_int(rows, 1), st);
    }
    if (err == GJ_E_OK) err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}
