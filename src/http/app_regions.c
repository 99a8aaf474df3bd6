/* app_regions.c — the insured people's API for the regional fund models and remote care
 * (docs/api.md, docs/regions.md): the family pool of a network (R7.2: show, contribute one's
 * own money, close), one's medical-insurance wallet (R7.3: show, transfer from one's own
 * account into a relative's wallet, pay one's own premium from it) and one's remote-care
 * registrations (R8.2). The caller acts only on their own money: a pool outside the caller's
 * family and anyone else's wallet answer 404 exactly like ones that do not exist, and a
 * transfer's recipient named with a wrong ID number like one who does not exist. Writes run
 * through the write pipeline like every non-GET route (server.c); the engine work is
 * src/engine/pool.c, wallet.c, remote_care.c. */
#include <string.h>

#include "api.h"

/* ---- family pool: /api/v1/pools/{creator} ---- */

/* The caller must belong to the family of the pool's creator (path parameter), else 404. */
static gj_err pool_visible(http_request *req, gj_status *st) {
    return gj_pool_visible(http_engine(req), req->params[0], req->caller.subject, st);
}

static gj_err pool_show(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    gj_err err = pool_visible(req, st);
    return err == GJ_E_OK ? gj_pool_show(http_engine(req), req->params[0], out, st) : err;
}

static void get_pool(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, pool_show);
}

static gj_err pool_contribute(http_request *req, json_t *body, json_t **out, gj_status *st) {
    gj_fen amount_fen = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_pool_contribution(body, &amount_fen, st);
    if (err == GJ_E_OK) err = pool_visible(req, st);
    if (err == GJ_E_OK)
        err = gj_pool_contribute(http_engine(req), &who, req->params[0], who.actor, amount_fen,
                                 out, st);
    return err;
}

static void post_pool_contribution(http_request *req, http_response *res) {
    api_run(req, res, api_fields_pool_contribution, 201, pool_contribute);
}

static gj_err pool_close(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    gj_actor who = http_actor(req);
    gj_err err = pool_visible(req, st);   /* then only the creator: FORBIDDEN for members */
    return err == GJ_E_OK ? gj_pool_close(http_engine(req), &who, req->params[0], out, st) : err;
}

static void post_pool_close(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, pool_close);
}

/* ---- wallet: /api/v1/wallet, /api/v1/wallets/{psn_no} ---- */

static void get_wallet(http_request *req, http_response *res) {
    api_lookup(req, res, gj_wallet_show, req->caller.subject);
}

/* One's own wallet by number; anyone else's (existing or not) answers the same 404. */
static gj_err wallet_by_number(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    if (strcmp(req->params[0], req->caller.subject) != 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "wallet not found");
    return gj_wallet_show(http_engine(req), req->caller.subject, out, st);
}

static void get_wallet_by_number(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, wallet_by_number);
}

/* The donor names the relative by person number and certificate (ID) number, as on the
 * regional wallet apps: an unknown person and a wrong number answer the same 404 before any
 * rule looks at the recipient (region, scheme, province) and before money moves: nobody
 * learns whether a stranger is insured, and no money reaches a stranger by a mistyped number
 * (R6.2). The answer names the transfer only: the recipient's wallet is theirs. */
static gj_err wallet_transfer(http_request *req, json_t *body, json_t **out, gj_status *st) {
    api_transfer tr;
    json_t *wallet = NULL;
    gj_actor who = http_actor(req);
    gj_err err = api_wallet_transfer(body, &tr, st);
    if (err == GJ_E_OK)
        err = gj_person_identified(http_engine(req), tr.recipient, tr.recipient_certno, st);
    if (err == GJ_E_OK)
        err = gj_wallet_transfer(http_engine(req), &who, who.actor, tr.recipient, tr.relation,
                                 tr.amount_fen, &wallet, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:O, s:s, s:s, s:s, s:o}", "transfer_id",
                         json_object_get(wallet, "transfer_id"), "from", who.actor, "to",
                         tr.recipient, "relation", tr.relation, "amount_yuan",
                         gj_json_yuan(tr.amount_fen));
    json_decref(wallet);
    return err;
}

static void post_wallet_transfer(http_request *req, http_response *res) {
    api_run(req, res, api_fields_wallet_transfer, 201, wallet_transfer);
}

static gj_err wallet_premium(http_request *req, json_t *body, json_t **out, gj_status *st) {
    int year = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_wallet_premium(body, &year, st);
    return err == GJ_E_OK ? gj_premium_pay_wallet(http_engine(req), &who, who.actor, year, out, st)
                          : err;
}

static void post_wallet_premium(http_request *req, http_response *res) {
    api_run(req, res, api_fields_wallet_premium, 201, wallet_premium);
}

/* ---- remote-care registrations: /api/v1/remote-care ---- */

static void get_remote_care(http_request *req, http_response *res) {
    api_lookup(req, res, gj_remote_care_list, req->caller.subject);
}

static gj_err remote_care_add(http_request *req, json_t *body, json_t **out, gj_status *st) {
    const char *place = NULL;
    gj_date from = 0, to = 0;
    gj_actor who = http_actor(req);
    gj_err err = api_remote_care(body, &place, &from, &to, st);
    return err == GJ_E_OK
               ? gj_remote_care_add(http_engine(req), &who, who.actor, place, from, to, out, st)
               : err;
}

static void post_remote_care(http_request *req, http_response *res) {
    api_run(req, res, api_fields_remote_care, 201, remote_care_add);
}

const http_route http_app_regions_routes[] = {
    PERSON("GET", "/api/v1/pools/{creator}", get_pool,
           "a family pool: shares by contributor and statement (R7.2; the family only)"),
    PERSON("POST", "/api/v1/pools/{creator}/contributions", post_pool_contribution,
           "move one's own money above the reserve into the family pool (R7.2)"),
    PERSON("POST", "/api/v1/pools/{creator}/close", post_pool_close,
           "close the pool, the rest back to where it came from (R7.2; the creator)"),
    PERSON("GET", "/api/v1/wallet", get_wallet,
           "the caller's medical-insurance wallet, transfers in and out (R7.3)"),
    PERSON("GET", "/api/v1/wallets/{psn_no}", get_wallet_by_number,
           "a wallet by number: one's own only (R7.3)"),
    PERSON("POST", "/api/v1/wallet/transfers", post_wallet_transfer,
           "transfer from one's own account into a relative's wallet (R7.3)"),
    PERSON("POST", "/api/v1/wallet/premiums", post_wallet_premium,
           "pay one's own resident premium from one's wallet (R7.3, R5)"),
    PERSON("GET", "/api/v1/remote-care", get_remote_care,
           "the caller's remote-care registrations (R8.2)"),
    PERSON("POST", "/api/v1/remote-care", post_remote_care,
           "register one's own remote care, 异地就医备案 (R8.2)"),
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
