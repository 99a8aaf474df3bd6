/* staff_regions.c — agency staff endpoints for violations (R9.2) under /api/v1/staff:
 * freezing and unfreezing a binding or an account with a reason, and recovering misused
 * mutual aid to the donor. Reviewers only; the actor recorded is the operator (channel
 * "window"). The engine work is in src/engine/violations.c (docs/regions.md). */
#include "api.h"
#include "server.h"

static const char *const freeze_fields[] = {"kind", "target", "reason", NULL};

static gj_err freeze_or_unfreeze(http_request *req, json_t *body, bool freeze, json_t **out,
                                 gj_status *st) {
    const char *t[3] = {NULL, NULL, NULL};
    gj_actor who = http_actor(req);
    gj_err err = api_texts(body, freeze_fields, API_TEXT_MAX, t, st);
    return err == GJ_E_OK ? gj_freeze(http_engine(req), &who, t[0], t[1], freeze, t[2], out, st) : err;
}

static gj_err freeze(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return freeze_or_unfreeze(req, body, true, out, st);
}

static gj_err unfreeze(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return freeze_or_unfreeze(req, body, false, out, st);
}

static void post_freeze(http_request *req, http_response *res) {
    api_run(req, res, freeze_fields, 200, freeze);
}

static void post_unfreeze(http_request *req, http_response *res) {
    api_run(req, res, freeze_fields, 200, unfreeze);
}

static gj_err recover(http_request *req, json_t *body, json_t **out, gj_status *st) {
    static const char *const texts[] = {"donor", "reason", NULL};
    const char *t[2] = {NULL, NULL};
    gj_fen amount_fen = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_texts(body, texts, API_TEXT_MAX, t, st);
    if (err == GJ_E_OK) err = gj_json_amount(body, "amount_yuan", true, &amount_fen, st);
    return err == GJ_E_OK
               ? gj_recover(http_engine(req), &who, req->params[0], t[0], amount_fen, t[1], out, st)
               : err;
}

static void post_recovery(http_request *req, http_response *res) {
    static const char *const fields[] = {"donor", "amount_yuan", "reason", NULL};
    api_run(req, res, fields, 201, recover);
}

#define REVIEWER(method, pattern, handler, summary) \
    {method, pattern, AUTH_STAFF, ROLE_REVIEWER, handler, summary, NULL, NULL}

const http_route http_staff_regions_routes[] = {
    REVIEWER("POST", "/api/v1/staff/freezes", post_freeze,
             "freeze a binding or an account with a reason (R9.2)"),
    REVIEWER("POST", "/api/v1/staff/unfreezes", post_unfreeze,
             "unfreeze a binding or an account (R9.2)"),
    REVIEWER("POST", "/api/v1/staff/settlements/{setl_id}/recoveries", post_recovery,
             "recover misused mutual aid to the donor (R9.2)"),
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
