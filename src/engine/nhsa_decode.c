/* nhsa_decode.c — decoding settlement input as real HIS clients send it: amounts as numbers
 * or strings, "" for empty optional fields, pharmacy druginfo/drugdetail or outpatient data,
 * with every error naming the field. gongji extension: an item may carry `spend_ctgy`
 * (excluded-spending category, R4.6) with its `det_item_fee_sumamt`. */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/idcard.h"
#include "nhsa_settle.h"

enum { NHSA_ITEMS_MAX = 1000 };

gj_err nhsa_copy_text(json_t *obj, const char *name, bool required, char *dst, size_t size,
                      gj_status *st) {
    const char *v = NULL;
    gj_err e = required ? gj_json_text(obj, name, size - 1, &v, st)
                        : gj_json_text_opt(obj, name, size - 1, &v, st);
    if (e == GJ_E_OK) gj_copy_text(dst, size, v ? v : "");
    return e;
}

gj_err nhsa_input_block(const nhsa_ctx *ctx, const char *name, json_t **out, gj_status *st) {
    *out = json_object_get(ctx->input, name);
    return json_is_object(*out) ? GJ_E_OK
                                : gj_fail(st, GJ_E_BAD_FIELD, "input.%s: object required", name);
}

gj_err nhsa_decode_credential(json_t *d, settle_request *r, gj_status *st) {
    gj_err e;
    if ((e = nhsa_copy_text(d, "mdtrt_cert_type", true, r->mdtrt_cert_type, sizeof r->mdtrt_cert_type, st)) ||
        (e = nhsa_copy_text(d, "mdtrt_cert_no", true, r->mdtrt_cert_no, sizeof r->mdtrt_cert_no, st)))
        return e;
    if (!gj_mdtrt_cert_type_known(r->mdtrt_cert_type))
        return gj_fail(st, GJ_E_BAD_CODE, "mdtrt_cert_type: 01, 02 or 03");
    if (strcmp(r->mdtrt_cert_type, "02") == 0) {
        gj_status id_st;
        if (gj_idcard_parse(r->mdtrt_cert_no, strlen(r->mdtrt_cert_no), gj_time_date(gj_now()),
                            NULL, &id_st) != GJ_E_OK)
            return gj_fail(st, GJ_E_BAD_ID_NUMBER, "mdtrt_cert_no: %s", id_st.detail);
        gj_idcard_canonical(r->mdtrt_cert_no);   /* "…x" is the number stored as "…X" */
    }
    return GJ_E_OK;
}

gj_err nhsa_decode_patient(json_t *d, settle_request *r, gj_status *st) {
    gj_err e;
    if ((e = nhsa_copy_text(d, "psn_no", true, r->psn_no, sizeof r->psn_no, st)) ||
        (e = nhsa_decode_credential(d, r, st)) ||
        (e = nhsa_copy_text(d, "insutype", true, r->bill.insutype, sizeof r->bill.insutype, st)) ||
        (e = nhsa_copy_text(d, "med_type", false, r->bill.med_type, sizeof r->bill.med_type, st)))
        return e;
    if (!gj_insutype_known(r->bill.insutype)) return gj_fail(st, GJ_E_BAD_CODE, "insutype: unknown");
    if (r->bill.med_type[0] && !gj_med_type_known(r->bill.med_type))
        return gj_fail(st, GJ_E_BAD_CODE, "med_type: unknown");
    return GJ_E_OK;
}

gj_err nhsa_item_error(gj_status *st, const char *list, size_t i) {
    char detail[GJ_STATUS_DETAIL_MAX];
    gj_copy_text(detail, sizeof detail, st->detail);
    return gj_fail(st, st->code, "%s[%zu].%s", list, i, detail);
}

static gj_err decode_codes(json_t *d, settle_request *r, gj_status *st) {
    gj_err e;
    if ((e = nhsa_decode_patient(d, r, st)) ||
        (e = nhsa_copy_text(d, "mdtrt_id", false, r->mdtrt_id, sizeof r->mdtrt_id, st)) ||
        (e = nhsa_copy_text(d, "chrg_bchno", false, r->chrg_bchno, sizeof r->chrg_bchno, st)))
        return e;
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

gj_err nhsa_item_category(json_t *item, size_t i, int *category, gj_status *st) {
    const char *ctgy = NULL;
    *category = -1;
    if (!json_is_object(item)) return gj_fail(st, GJ_E_BAD_FIELD, "items[%zu]: object expected", i);
    gj_err e = gj_json_text_opt(item, "spend_ctgy", 32, &ctgy, st);
    if (e != GJ_E_OK || ctgy == NULL) return e;
    if ((*category = gj_category_parse(ctgy)) < 0)
        return gj_fail(st, GJ_E_BAD_CODE, "items[%zu].spend_ctgy: unknown category", i);
    return GJ_E_OK;
}

gj_err nhsa_item_list(json_t *items, size_t *count, gj_status *st) {
    *count = 0;
    if (items == NULL || json_is_null(items)) return GJ_E_OK;
    if (!json_is_array(items)) return gj_fail(st, GJ_E_BAD_FIELD, "item list: array expected");
    if (json_array_size(items) > NHSA_ITEMS_MAX)
        return gj_fail(st, GJ_E_TOO_LARGE, "more than %d items", NHSA_ITEMS_MAX);
    *count = json_array_size(items);
    return GJ_E_OK;
}

gj_err nhsa_add_excluded(gj_bill *b, int category, gj_fen fee, gj_status *st) {
    if (!gj_fen_add(b->excluded_fen[category], fee, &b->excluded_fen[category]))
        return gj_fail(st, GJ_E_AMOUNT_OVERFLOW, "excluded spending");
    return GJ_E_OK;
}

/* Items with a spending category are excluded spending (R4.6). */
static gj_err decode_items(json_t *items, gj_bill *b, gj_status *st) {
    size_t n = 0;
    gj_err e = nhsa_item_list(items, &n, st);
    for (size_t i = 0; e == GJ_E_OK && i < n; i++) {
        json_t *item = json_array_get(items, i);
        int k = -1;
        gj_fen fee = 0;
        if ((e = nhsa_item_category(item, i, &k, st)) || k < 0) continue;
        if ((e = gj_json_amount(item, "det_item_fee_sumamt", true, &fee, st)) == GJ_E_OK)
            e = nhsa_add_excluded(b, k, fee, st);
    }
    return e;
}

/* 2303/2304: mid_setl_flag (中途结算标志) "0" (default, the stay's final settlement) or "1" (a
 * mid-settlement of a long stay, which stays open for later settlements). Other settlements
 * ignore it: an outpatient visit may settle several charge batches. */
static gj_err decode_mid_setl(const nhsa_ctx *ctx, json_t *d, settle_request *r, gj_status *st) {
    const char *flag = NULL;
    r->mid_setl = false;
    if (ctx->infno[1] != '3') return GJ_E_OK;
    gj_err e = gj_json_text_opt(d, "mid_setl_flag", 1, &flag, st);
    if (e != GJ_E_OK) return e;
    if (flag && strcmp(flag, "0") && strcmp(flag, "1"))
        return gj_fail(st, GJ_E_BAD_CODE, "mid_setl_flag: \"0\" or \"1\"");
    r->mid_setl = flag != NULL && strcmp(flag, "1") == 0;
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
    json_t *d = NULL;
    gj_err e;
    if ((e = nhsa_input_block(ctx, pharmacy ? "druginfo" : "data", &d, st)) ||
        (e = decode_codes(d, req, st)) || (e = decode_mid_setl(ctx, d, req, st)) ||
        (e = decode_amounts(d, &req->bill, st)) ||
        (e = decode_items(json_object_get(ctx->input, pharmacy ? "drugdetail" : "feedetail"),
                          &req->bill, st)))
        return e;
    decode_agent(d, req);
    return GJ_E_OK;
}
