/* app_api.c — the insured people's REST API under /api/v1 (routes below): sign-in through the
 * identity verifier (verifier.h), the caller's own person and family network, invitations,
 * acceptance, changes and unbinding of bindings. The caller acts only for themselves: the
 * engine sees channel "app" with the caller's psn_no: other people's bindings answer like
 * nonexistent ones (NOT_FOUND). Records, receipts and contributions: app_records.c. */
#include <string.h>

#include "api.h"
#include "verifier.h"

/* The verifier's start (psn_no, certno) or check (verification_id, code). */
static gj_err verifier_step(http_request *req, json_t *body, bool start, json_t **out,
                            gj_status *st) {
    const http_verifier *v = http_verifier_current();
    const char *t[2] = {NULL, NULL};
    gj_err err = api_texts(body, start ? api_fields_verify : api_fields_token, API_TEXT_MAX, t, st);
    return err == GJ_E_OK ? (start ? v->start : v->check)(v, req, t[0], t[1], out, st) : err;
}

static gj_err auth_verify(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return verifier_step(req, body, true, out, st);
}

static void post_auth_verify(http_request *req, http_response *res) {
    api_run(req, res, api_fields_verify, 200, auth_verify);
}

static gj_err auth_token(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return verifier_step(req, body, false, out, st);
}

static void post_auth_token(http_request *req, http_response *res) {
    api_run(req, res, api_fields_token, 200, auth_token);
}

static void get_me(http_request *req, http_response *res) {
    api_lookup(req, res, gj_person_show, req->caller.subject);
}

static void get_network(http_request *req, http_response *res) {
    api_lookup(req, res, gj_network_show, req->caller.subject);
}

static void get_history(http_request *req, http_response *res) {
    api_lookup(req, res, gj_records_bindings, req->caller.subject);
}

/* The verification the caller's session was opened with: the verify_ref of what they sign. */
static gj_err session_verification(http_request *req, char id[GJ_VERIFICATION_ID_MAX],
                                   gj_status *st) {
    return gj_session_verification(http_engine(req), api_bearer_token(req), id,
                                   GJ_VERIFICATION_ID_MAX, st);
}

static gj_err network_create(http_request *req, json_t *body, json_t **out, gj_status *st) {
    char verification_id[GJ_VERIFICATION_ID_MAX];
    bool commitment = false;
    gj_actor who = http_actor(req);
    gj_err err = api_network_body(body, &commitment, st);
    if (err == GJ_E_OK) err = session_verification(req, verification_id, st);
    if (err == GJ_E_OK)
        err = gj_network_create(http_engine(req), &who, who.actor, commitment,
                                http_verifier_current()->method, verification_id, out, st);
    return err;
}

static void post_network(http_request *req, http_response *res) {
    api_run(req, res, api_fields_network, 201, network_create);
}

/* The inviter names the relative by person number and certificate (ID) number, as on the
 * national app: an unknown person and a wrong number answer the same 404 before any rule looks
 * at the relative, so nobody learns whether a stranger is insured or in a family (R6.2). */
static gj_err invite_member(http_request *req, json_t *body, json_t **out, gj_status *st) {
    char modes[API_MODES_MAX];
    const char *member_certno = NULL;
    gj_invite inv;
    gj_actor who = http_actor(req);
    gj_err err = api_invite(body, &inv, modes, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "member_certno", API_CODE_MAX, &member_certno, st);
    if (err == GJ_E_OK) err = gj_person_identified(http_engine(req), inv.member, member_certno, st);
    inv.donor = inv.declared_by = who.actor;
    return err == GJ_E_OK ? gj_bind_invite(http_engine(req), &who, &inv, out, st) : err;
}

static void post_binding(http_request *req, http_response *res) {
    api_run(req, res, api_fields_invite, 201, invite_member);
}

static gj_err accept_binding(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    char verification_id[GJ_VERIFICATION_ID_MAX];
    gj_actor who = http_actor(req);
    gj_err err = session_verification(req, verification_id, st);
    if (err == GJ_E_OK)
        err = gj_bind_accept(http_engine(req), &who, req->params[0],
                             http_verifier_current()->method, verification_id, out, st);
    return err;
}

static void post_accept(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, accept_binding);
}

static void post_reject(http_request *req, http_response *res) {
    api_action(req, res, 200, gj_bind_reject);
}

static void post_unbind(http_request *req, http_response *res) {
    api_action(req, res, 200, gj_bind_unbind);
}

static gj_err change_binding(http_request *req, json_t *body, json_t **out, gj_status *st) {
    char modes[API_MODES_MAX];
    gj_binding_change chg;
    gj_actor who = http_actor(req);
    gj_err err = api_change(body, &chg, modes, st);
    return err == GJ_E_OK ? gj_bind_set(http_engine(req), &who, req->params[0], &chg, out, st)
                          : err;
}

static void patch_binding(http_request *req, http_response *res) {
    api_run(req, res, api_fields_change, 200, change_binding);
}

const http_route http_app_routes[] = {
    {"POST", "/api/v1/auth/verify", AUTH_PUBLIC, 0, post_auth_verify,
     "start identity verification (psn_no, certno)", NULL, NULL},
    {"POST", "/api/v1/auth/token", AUTH_PUBLIC, 0, post_auth_token,
     "finish identity verification: a bearer token", NULL, NULL},
    PERSON("GET", "/api/v1/me", get_me, "the caller: person and account balances"),
    PERSON("POST", "/api/v1/network", post_network, "create the caller's family network (R3.1)"),
    PERSON("GET", "/api/v1/network", get_network, "the caller's network (R3.8)"),
    PERSON("POST", "/api/v1/bindings", post_binding, "invite a relative as donor (R3.2)"),
    PERSON("GET", "/api/v1/bindings/history", get_history, "authorization history (R3.8)"),
    PERSON("POST", "/api/v1/bindings/{id}/accept", post_accept, "accept an invitation (member)"),
    PERSON("POST", "/api/v1/bindings/{id}/reject", post_reject, "reject an invitation (member)"),
    PERSON("PATCH", "/api/v1/bindings/{id}", patch_binding, "change modes, limits (donor)"),
    PERSON("POST", "/api/v1/bindings/{id}/unbind", post_unbind, "end a binding (R3.6)"),
    PERSON("POST", "/api/v1/premiums", app_post_premium, "pay a member's resident premium (R5)"),
    PERSON("POST", "/api/v1/products", app_post_product, "buy an exclusive product (R5.5)"),
    PERSON("GET", "/api/v1/records", app_get_records, "usage records as member or donor (R6.1)"),
    PERSON("GET", "/api/v1/settlements/{setl_id}/receipt", app_get_receipt, "a receipt (R6.3)"),
    PERSON("GET", "/api/v1/settlements/{setl_id}/explain", app_get_explain, "an explanation"),
    PERSON("GET", "/api/v1/statement", app_get_statement, "the caller's yearly statement (R6.3)"),
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
