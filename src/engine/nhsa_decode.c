/* nhsa_decode.c — decoding settlement input as real HIS clients send it: amounts as numbers
 * or strings, "" for empty optional fields, pharmacy druginfo/drugdetail or outpatient data,
 * with every error naming the field. gongji extension: an item may carry `spend_ctgy`
 * (excluded-spending category, R4.6) with its `det_item_fee_sumamt`. */
#include <stdio.h>
#include <string.h>

#include "gongji/idcard.h"
#include "nhsa_settle.h"

enum { NHSA_ITEMS_MAX = 1000 };

static gj_err copy_text(json_t *obj, const char *name, bool required, char *dst, size_t size,
                        gj_status *st) {
    const char *v = NULL;
    gj_err e = required ? gj_json_text(obj, name, size - 1, &v, st)
                        : gj_json_text_opt(obj, name, size - 1, &v, st);
    if (e == GJ_E_OK) snprintf(dst, size, "%s", v ? v : "");
    return e;
}

static gj_err decode_codes(json_t *d, settle_request *r, gj_status *st) {
    gj_err e;
    if ((e = copy_text(d, "psn_no", true, r->psn_no, sizeof r->psn_no, st)) ||
        (e = copy_text(d, "mdtrt_cert_type", true, r->mdtrt_cert_type, sizeof r->mdtrt_cert_type, st)) ||
        (e = copy_text(d, "mdtrt_cert_no", true, r->mdtrt_cert_no, sizeof r->mdtrt_cert_no, st)) ||
        (e = copy_text(d, "insutype", true, r->bill.insutype, sizeof r->bill.insutype, st)) ||
        (e = copy_text(d, "med_type", true, r->bill.med_type, sizeof r->bill.med_type, st)) ||
        (e = copy_text(d, "mdtrt_id", false, r->mdtrt_id, sizeof r->mdtrt_id, st)) ||
        (e = copy_text(d, "chrg_bchno", false, r->chrg_bchno, sizeof r->chrg_bchno, st)))
        return e;
    if (!gj_mdtrt_cert_type_known(r->mdtrt_cert_type))
        return gj_fail(st, GJ_E_BAD_CODE, "mdtrt_cert_type: 01, 02 or 03");
    if (!gj_insutype_known(r->bill.insutype)) return gj_fail(st, GJ_E_BAD_CODE, "insutype: unknown");
    if (!gj_med_type_known(r->bill.med_type)) return gj_fail(st, GJ_E_BAD_CODE, "med_type: unknown");
    if (strcmp(r->mdtrt_cert_type, "02") == 0) {
        gj_status id_st;
        if (gj_idcard_parse(r->mdtrt_cert_no, strlen(r->mdtrt_cert_no), gj_time_date(gj_now()),
                            NULL, &id_st) != GJ_E_OK)
            return gj_fail(st, GJ_E_BAD_ID_NUMBER, "mdtrt_cert_no: %s", id_st.detail);
    }
    const char *flag = NULL;
    if ((e = gj_json_text_opt(d, "acct_used_flag", 1, &flag, st))) return e;
    if (flag && strcmp(flag, "0") && strcmp(flag, "1"))
        return gj_fail(st, GJ_E_BAD_CODE, "acct_used_flag: \"0\" or \"1\"");
    r->bill.acct_used = flag == NULL || strcmp(flag, "1") == 0;
    return GJ_E_OK;
}

/* Amount classes; inscp_scp_amt defaults to what the other classes leave. */
static gj_err decode_amounts(json_t *d, gj_bill *b, gj_status *st) {
    static const char *const names[GJ_CLASS_COUNT] = {"fulamt_ownpay_amt", "overlmt_selfpay",
                                                      "preselfpay_amt", "inscp_scp_amt"};
    gj_err e = gj_json_amount(d, "medfee_sumamt", true, &b->medfee_fen, st);
    for (int c = 0; e == GJ_E_OK && c < GJ_CLASS_COUNT; c++)
        e = gj_json_amount(d, names[c], false, &b->class_fen[c], st);
    if (e != GJ_E_OK) return e;
    if (gj_json_absent(d, "inscp_scp_amt")) {
        gj_fen rest = b->medfee_fen - b->class_fen[0] - b->class_fen[1] - b->class_fen[2];
        if (rest < 0) return gj_fail(st, GJ_E_BILL_INCONSISTENT, "self-pay classes exceed medfee_sumamt");
        b->class_fen[GJ_CLASS_INSCP_SELF] = rest;
    }
    b->fund_given = !gj_json_absent(d, "fund_pay_sumamt");
    return b->fund_given ? gj_json_amount(d, "fund_pay_sumamt", true, &b->fund_given_fen, st) : GJ_E_OK;
}

/* Items with a spending category are excluded spending (R4.6). */
static gj_err decode_items(json_t *items, gj_bill *b, gj_status *st) {
    if (items == NULL || json_is_null(items)) return GJ_E_OK;
    if (!json_is_array(items)) return gj_fail(st, GJ_E_BAD_FIELD, "item list: array expected");
    if (json_array_size(items) > NHSA_ITEMS_MAX)
        return gj_fail(st, GJ_E_TOO_LARGE, "more than %d items", NHSA_ITEMS_MAX);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (!json_is_object(item)) return gj_fail(st, GJ_E_BAD_FIELD, "items[%zu]: object expected", i);
        const char *ctgy = NULL;
        gj_fen fee = 0;
        gj_err e = gj_json_text_opt(item, "spend_ctgy", 32, &ctgy, st);
        if (e != GJ_E_OK || ctgy == NULL) {
            if (e) return e;
            continue;
        }
        int k = gj_category_parse(ctgy);
        if (k < 0) return gj_fail(st, GJ_E_BAD_CODE, "items[%zu].spend_ctgy: unknown category", i);
        if ((e = gj_json_amount(item, "det_item_fee_sumamt", true, &fee, st))) return e;
        if (!gj_fen_add(b->excluded_fen[k], fee, &b->excluded_fen[k]))
            return gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "items[%zu].det_item_fee_sumamt", i);
    }
    return GJ_E_OK;
}

static void decode_agent(json_t *d, settle_request *r) {
    const char *name = json_string_value(json_object_get(d, "agnter_name"));
    const char *certno = json_string_value(json_object_get(d, "agnter_certno"));
    char masked[32] = "";
    if (certno) gj_idcard_mask(certno, masked, sizeof masked);
    if (name && *name) snprintf(r->agent, sizeof r->agent, "%.60s %s", name, masked);
}

gj_err nhsa_decode_settle(const nhsa_ctx *ctx, settle_request *req, gj_status *st) {
    memset(req, 0, sizeof *req);
    bool pharmacy = ctx->infno[1] == '1';   /* 2101/2102 */
    json_t *d = json_object_get(ctx->input, pharmacy ? "druginfo" : "data");
    if (!json_is_object(d))
        return gj_fail(st, GJ_E_BAD_FIELD, "input.%s: object required", pharmacy ? "druginfo" : "data");
    gj_err e;
    if ((e = decode_codes(d, req, st)) || (e = decode_amounts(d, &req->bill, st)) ||
        (e = decode_items(json_object_get(ctx->input, pharmacy ? "drugdetail" : "feedetail"),
                          &req->bill, st)))
        return e;
    decode_agent(d, req);
    return GJ_E_OK;
}
