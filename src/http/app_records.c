/* app_records.c — the people's API for money and records (routes: app_api.c): paying a
 * member's resident premium or an exclusive product from the caller's account, usage records
 * as member or donor, receipts and explanations of settlements, the yearly statement. A
 * settlement is shown only to its patient and to donors whose money paid part of it; anyone
 * else gets 404, as for a settlement that does not exist (R6.2). */
#include <string.h>

#include "api.h"
#include "gongji/admdvs.h"
#include "gongji/domain.h"

static gj_err premium(http_request *req, json_t *body, json_t **out, gj_status *st) {
    const char *member = NULL;
    int year = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_premium(body, &member, &year, st);
    if (err == GJ_E_OK)
        err = gj_premium_pay(http_engine(req), &who, who.actor, member, year, out, st);
    return err;
}

void app_post_premium(http_request *req, http_response *res) {
    api_run(req, res, api_fields_premium, 201, premium);
}

static gj_err product(http_request *req, json_t *body, json_t **out, gj_status *st) {
    const char *member = NULL, *code = NULL;
    gj_fen amount_fen = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_product(body, &member, &code, &amount_fen, st);
    if (err == GJ_E_OK)
        err = gj_product_buy(http_engine(req), &who, who.actor, member, code, amount_fen, out, st);
    return err;
}

void app_post_product(http_request *req, http_response *res) {
    api_run(req, res, api_fields_product, 201, product);
}

/* ?as=member|donor&year=&region=&med_type=: their form; the engine checks the codes are known. */
static gj_err records_query(http_request *req, bool *as_donor, gj_record_filter *f,
                            gj_status *st) {
    enum { MED_TYPE_MAX = 8, ADMDVS_LEN = 6 };
    const char *as = http_query(req, "as");
    *as_donor = as != NULL && strcmp(as, "donor") == 0;
    if (as != NULL && !*as_donor && strcmp(as, "member") != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "as: member or donor");
    *f = (gj_record_filter){0};
    gj_err err = api_query_year(req, &f->year, st);
    if (err == GJ_E_OK) err = api_query_code(req, "region", ADMDVS_LEN, &f->admdvs, st);
    if (err == GJ_E_OK) err = api_query_code(req, "med_type", MED_TYPE_MAX, &f->med_type, st);
    return err;
}

static gj_err records(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    bool as_donor = false;
    gj_record_filter filter;
    gj_err err = records_query(req, &as_donor, &filter, st);
    if (err == GJ_E_OK)
        err = (as_donor ? gj_records_donor : gj_records_member)(
            http_engine(req), req->caller.subject, &filter, out, st);
    return err;
}

void app_get_records(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, records);
}

static void settlement_read(http_request *req, http_response *res, api_lookup_fn fn) {
    gj_status st;
    gj_status_clear(&st);
    gj_err err = gj_settlement_visible(http_engine(req), req->params[0], req->caller.subject, &st);
    if (err != GJ_E_OK) {
        http_refuse(res, &st);
        return;
    }
    api_lookup(req, res, fn, req->params[0]);
}

void app_get_receipt(http_request *req, http_response *res) {
    settlement_read(req, res, gj_receipt);
}

void app_get_explain(http_request *req, http_response *res) {
    settlement_read(req, res, gj_settle_explain);
}

static gj_err statement(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    int year = gj_date_year(gj_time_date(gj_now()));
    gj_err err = api_query_year(req, &year, st);
    return err == GJ_E_OK ? gj_statement(http_engine(req), req->caller.subject, year, out, st)
                          : err;
}

void app_get_statement(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, statement);
}
