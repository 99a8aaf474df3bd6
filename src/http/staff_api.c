/* staff_api.c — the agency staff REST API under /api/v1/staff (routes below): operator
 * sign-in, looking people up, offline applications and their review (R3.7), reconciliation
 * reports (R6.4), policies, verify and settlement explanations. Each route names the roles
 * that may call it (docs/api.md, "Who may call what"); the actor recorded is the operator id
 * with channel "window". Administration (imports, status, institutions, operators):
 * staff_admin.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "gongji/policy_json.h"
#include "server.h"

enum { ROLES_ALL = ROLE_CLERK | ROLE_REVIEWER | ROLE_AUDITOR | ROLE_ADMIN };

static void log_login(const char *operator_id, gj_err err) {
    char detail[API_TEXT_MAX + 40];
    snprintf(detail, sizeof detail, "operator_id=%.32s result=%s", operator_id ? operator_id : "",
             err != GJ_E_OK ? gj_err_name(err) : "ok");
    http_log_event("staff_login", detail);
}

/* On a reader (http_check): the password's PBKDF2 (~25 ms), so that sign-ins, a stranger's
 * wrong guesses too, never hold the one writer and every settlement behind it (found by an
 * audit: six clients sending wrong passwords took a write from 4 to ~240 ms). Leaves the proof
 * for login, or answers the refusal. */
static bool check_login(http_request *req, http_response *res) {
    json_t *body = NULL;
    gj_operator_proof *proof = NULL;
    const char *t[2] = {NULL, NULL};
    gj_status st;
    gj_status_clear(&st);
    gj_err err = api_body_parse(req->body, req->body_len, api_fields_login, &body, &st);
    if (err == GJ_E_OK) err = api_texts(body, api_fields_login, API_TEXT_MAX, t, &st);
    if (err == GJ_E_OK && (proof = malloc(sizeof *proof)) == NULL)
        err = gj_fail(&st, GJ_E_INTERNAL, "out of memory");
    if (err == GJ_E_OK) err = gj_operator_check_password(http_engine(req), t[0], t[1], proof, &st);
    if (err == GJ_E_OK) {
        req->prepared = proof;
        req->prepared_free = free;
    } else {
        if (body != NULL) log_login(t[0], err);
        free(proof);
        http_refuse(res, &st);
    }
    json_decref(body);
    return err == GJ_E_OK;
}

/* On the writer: the session of a password check_login passed (re-checked there against the
 * operator's row: disabled, or a new password since, is refused), or without readers (a memory
 * store) the whole sign-in. */
static gj_err login(http_request *req, json_t *body, json_t **out, gj_status *st) {
    const char *t[2] = {NULL, NULL};
    gj_err err = api_texts(body, api_fields_login, API_TEXT_MAX, t, st);
    if (err != GJ_E_OK) return err;
    const gj_operator_proof *proof = req->prepared;
    unsigned ttl_s = req->server->config.token_ttl_s;
    err = proof != NULL ? gj_operator_open_session(http_engine(req), t[0], proof, ttl_s, out, st)
                        : gj_operator_login(http_engine(req), t[0], t[1], ttl_s, out, st);
    log_login(t[0], err);
    return err;
}

static void post_login(http_request *req, http_response *res) {
    api_run(req, res, api_fields_login, 200, login);
}

static void get_person(http_request *req, http_response *res) {
    api_lookup(req, res, gj_person_show, req->params[0]);
}

static void get_explain(http_request *req, http_response *res) {
    api_lookup(req, res, gj_settle_explain, req->params[0]);
}

static gj_err apply_submit(http_request *req, json_t *body, json_t **out, gj_status *st) {
    char modes[API_MODES_MAX];
    gj_invite inv;
    gj_actor who = http_actor(req);
    gj_err err = api_application(body, &inv, modes, st);
    return err == GJ_E_OK ? gj_apply_submit(http_engine(req), &who, &inv, out, st) : err;
}

static void post_application(http_request *req, http_response *res) {
    api_run(req, res, api_fields_application, 201, apply_submit);
}

static gj_err apply_list(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    const char *status = http_query(req, "status");
    if (status != NULL && strcmp(status, "submitted") != 0 && strcmp(status, "approved") != 0 &&
        strcmp(status, "rejected") != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "status: submitted, approved or rejected");
    return gj_apply_list(http_engine(req), status, out, st);
}

static void get_applications(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, apply_list);
}

static gj_err apply_review(http_request *req, json_t *body, json_t **out, gj_status *st) {
    bool approve = false;
    const char *reason = NULL;
    gj_actor who = http_actor(req);
    gj_err err = api_review(body, &approve, &reason, st);
    if (err == GJ_E_OK)
        err = gj_apply_review(http_engine(req), &who, req->params[0], approve, reason, out, st);
    return err;
}

static void post_review(http_request *req, http_response *res) {
    api_run(req, res, api_fields_review, 200, apply_review);
}

typedef gj_err (*recon_fn)(gj_engine *e, const char *code, gj_date from, gj_date to,
                           json_t **out, gj_status *st);

/* ?from=yyyy-MM-dd[&to=yyyy-MM-dd] (to defaults to from). No date value marks an absent `to`:
 * days before 1970 are negative. */
static gj_err recon(http_request *req, recon_fn fn, json_t **out, gj_status *st) {
    gj_date from = 0, to = 0;
    gj_err err = api_query_date(req, "from", true, &from, st);
    to = from;
    if (err == GJ_E_OK) err = api_query_date(req, "to", false, &to, st);
    return err == GJ_E_OK ? fn(http_engine(req), req->params[0], from, to, out, st) : err;
}

static gj_err recon_totals(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    return recon(req, gj_recon_totals, out, st);
}

static gj_err recon_details(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    return recon(req, gj_recon_details, out, st);
}

static void get_recon_totals(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, recon_totals);
}

static void get_recon_details(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, recon_details);
}

static void get_policies(http_request *req, http_response *res) {
    json_t *list = gj_policy_list_json(gj_engine_policies(http_engine(req)));
    http_reply(res, 200, json_pack("{s:o}", "policies", list));
}

static gj_err policy_show(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    gj_date on = gj_time_date(gj_now());
    gj_err err = api_query_date(req, "on", false, &on, st);
    if (err == GJ_E_OK)
        err = gj_policy_show_json(gj_engine_policies(http_engine(req)), req->params[0], on, out,
                                  st);
    return err;
}

static void get_policy(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, policy_show);
}

/* The verify report goes with its refusal when the books or the chain are broken. */
static void get_verify(http_request *req, http_response *res) {
    json_t *out = NULL;
    gj_status st;
    gj_status_clear(&st);
    gj_err err = gj_verify(http_engine(req), &out, &st);
    if (err == GJ_E_OK || out == NULL) {
        api_answer(res, err, 200, out, &st);
        return;
    }
    http_refuse(res, &st);
    json_object_set_new(res->json, "report", out);
}

#define STAFF(method, pattern, roles, handler, summary) \
    {method, pattern, AUTH_STAFF, roles, handler, summary, NULL, NULL}

const http_route http_staff_routes[] = {
    {"POST", "/api/v1/staff/login", AUTH_PUBLIC, 0, post_login, "operator sign-in: a bearer token", NULL,
     check_login},
    STAFF("GET", "/api/v1/staff/persons/{psn_no}", ROLES_ALL, get_person,
          "a person with balances"),
    STAFF("POST", "/api/v1/staff/persons/import", ROLE_ADMIN, staff_import_persons,
          "import people (CSV body)"),
    STAFF("PUT", "/api/v1/staff/persons/{psn_no}/status", ROLE_ADMIN, staff_put_status,
          "change insurance status (R3.9)"),
    STAFF("POST", "/api/v1/staff/applications", ROLE_CLERK, post_application,
          "file an offline application (R3.7)"),
    STAFF("GET", "/api/v1/staff/applications", ROLE_CLERK | ROLE_REVIEWER, get_applications,
          "list applications"),
    STAFF("POST", "/api/v1/staff/applications/{id}/review", ROLE_REVIEWER, post_review,
          "approve or reject an application (R3.7)"),
    STAFF("POST", "/api/v1/staff/institutions", ROLE_ADMIN, staff_post_institution,
          "register an institution (R4.7)"),
    STAFF("POST", "/api/v1/staff/institutions/{code}/credentials", ROLE_ADMIN,
          staff_post_credential, "issue a signing credential"),
    STAFF("GET", "/api/v1/staff/recon/{code}/totals", ROLE_AUDITOR | ROLE_ADMIN,
          get_recon_totals, "daily totals of an institution (R6.4)"),
    STAFF("GET", "/api/v1/staff/recon/{code}/details", ROLE_AUDITOR | ROLE_ADMIN,
          get_recon_details, "settlement details of an institution (R6.4)"),
    STAFF("GET", "/api/v1/staff/policies", ROLES_ALL, get_policies, "the regional policy files"),
    STAFF("GET", "/api/v1/staff/policies/{region}", ROLES_ALL, get_policy,
          "the policy in force for a region"),
    STAFF("POST", "/api/v1/staff/operators", ROLE_ADMIN, staff_post_operator,
          "create an operator"),
    STAFF("GET", "/api/v1/staff/verify", ROLE_AUDITOR | ROLE_ADMIN, get_verify,
          "books balanced and journal chain intact (R9.3)"),
    STAFF("GET", "/api/v1/staff/settlements/{setl_id}/explain",
          ROLE_REVIEWER | ROLE_AUDITOR | ROLE_ADMIN, get_explain, "a settlement's explanation"),
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
