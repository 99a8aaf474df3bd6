/* api_bodies.c — one decoder per kind of REST body with the fields it allows (api_body.h):
 * what the people's and staff handlers read before calling the engine, and what the fuzz
 * target tests/fuzz/fuzz_rest.c feeds with arbitrary objects. */
#include <string.h>

#include "api_body.h"

const char *const api_fields_verify[] = {"psn_no", "certno", NULL};
const char *const api_fields_token[] = {"verification_id", "code", NULL};
const char *const api_fields_login[] = {"operator_id", "password", NULL};
const char *const api_fields_institution[] = {"code", "name", "kind", "admdvs", NULL};
const char *const api_fields_operator[] = {"operator_id", "name", "role", "password", NULL};
const char *const api_fields_status[] = {"status", NULL};
const char *const api_fields_network[] = {"commitment", NULL};
const char *const api_fields_invite[] = {"member", "member_certno", "relation", "modes", "temporary",
                                         "authorized_yuan", "limit_yuan", NULL};
const char *const api_fields_change[] = {"modes", "authorized_yuan", "limit_yuan", "priority",
                                         NULL};
const char *const api_fields_premium[] = {"member", "year", NULL};
const char *const api_fields_product[] = {"member", "product", "amount_yuan", NULL};
const char *const api_fields_application[] = {"donor", "member", "relation", "modes",
                                              "temporary", "authorized_yuan", "limit_yuan",
                                              "proof", "declared_by", NULL};
const char *const api_fields_review[] = {"approve", "reason", NULL};
const char *const api_fields_pool_contribution[] = {"amount_yuan", NULL};
const char *const api_fields_wallet_transfer[] = {"recipient", "recipient_certno", "relation",
                                                  "amount_yuan", NULL};
const char *const api_fields_wallet_premium[] = {"year", NULL};
const char *const api_fields_remote_care[] = {"place", "from", "to", NULL};

gj_err api_network_body(json_t *body, bool *commitment, gj_status *st) {
    return api_bool(body, "commitment", true, commitment, st);
}

gj_err api_invite(json_t *body, gj_invite *inv, char modes[API_MODES_MAX], gj_status *st) {
    *inv = (gj_invite){.proof = ""};
    gj_err err = gj_json_text(body, "member", API_CODE_MAX, &inv->member, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "relation", API_CODE_MAX, &inv->relation, st);
    if (err == GJ_E_OK) err = api_modes(body, "modes", modes, &inv->modes, st);
    if (err == GJ_E_OK) err = api_bool(body, "temporary", false, &inv->temporary, st);
    inv->has_authorized = !gj_json_absent(body, "authorized_yuan");
    inv->has_limit = !gj_json_absent(body, "limit_yuan");
    if (err == GJ_E_OK)
        err = gj_json_amount(body, "authorized_yuan", false, &inv->authorized_fen, st);
    if (err == GJ_E_OK) err = gj_json_amount(body, "limit_yuan", false, &inv->limit_fen, st);
    return err;
}

gj_err api_change(json_t *body, gj_binding_change *chg, char modes[API_MODES_MAX], gj_status *st) {
    long priority = 0;
    memset(chg, 0, sizeof *chg);
    gj_err err = api_modes(body, "modes", modes, &chg->modes, st);
    if (err == GJ_E_OK)
        err = api_amount_or_null(body, "authorized_yuan", &chg->set_authorized,
                                 &chg->authorized_fen, st);
    if (err == GJ_E_OK)
        err = api_amount_or_null(body, "limit_yuan", &chg->set_limit, &chg->limit_fen, st);
    chg->set_priority = !gj_json_absent(body, "priority");
    if (err == GJ_E_OK && chg->set_priority)
        err = gj_json_int(body, "priority", 0, API_PRIORITY_MAX, &priority, st);
    chg->priority = (int)priority;
    bool any = chg->modes || chg->set_authorized || chg->set_limit || chg->set_priority;
    if (err == GJ_E_OK && !any)
        err = gj_fail(st, GJ_E_BAD_FIELD,
                      "nothing to change: modes, authorized_yuan, limit_yuan or priority");
    return err;
}

/* The required field "year": a JSON number or string of 4 digits (api_year_parse). */
static gj_err body_year(json_t *body, int *year, gj_status *st) {
    const char *text = NULL;
    gj_err err = gj_json_text(body, "year", API_CODE_MAX, &text, st);
    return err == GJ_E_OK ? api_year_parse("year", text, year, st) : err;
}

gj_err api_premium(json_t *body, const char **member, int *year, gj_status *st) {
    *year = 0;
    gj_err err = gj_json_text(body, "member", API_CODE_MAX, member, st);
    return err == GJ_E_OK ? body_year(body, year, st) : err;
}

gj_err api_wallet_premium(json_t *body, int *year, gj_status *st) {
    return body_year(body, year, st);
}

gj_err api_pool_contribution(json_t *body, gj_fen *amount_fen, gj_status *st) {
    return gj_json_amount(body, "amount_yuan", true, amount_fen, st);
}

gj_err api_wallet_transfer(json_t *body, api_transfer *out, gj_status *st) {
    *out = (api_transfer){.amount_fen = 0};
    gj_err err = gj_json_text(body, "recipient", API_CODE_MAX, &out->recipient, st);
    if (err == GJ_E_OK)
        err = gj_json_text(body, "recipient_certno", API_CODE_MAX, &out->recipient_certno, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "relation", API_CODE_MAX, &out->relation, st);
    if (err == GJ_E_OK) err = gj_json_amount(body, "amount_yuan", true, &out->amount_fen, st);
    return err;
}

/* The required date field `name` (yyyy-MM-dd). */
static gj_err body_date(json_t *body, const char *name, gj_date *out, gj_status *st) {
    const char *text = NULL;
    gj_err err = gj_json_text(body, name, API_CODE_MAX, &text, st);
    if (err == GJ_E_OK && gj_date_parse(text, out) != GJ_E_OK)
        err = gj_fail(st, GJ_E_BAD_DATE, "%s: yyyy-MM-dd expected", name);
    return err;
}

gj_err api_remote_care(json_t *body, const char **place, gj_date *from, gj_date *to,
                       gj_status *st) {
    gj_err err = gj_json_text(body, "place", API_CODE_MAX, place, st);
    if (err == GJ_E_OK) err = body_date(body, "from", from, st);
    if (err == GJ_E_OK) err = body_date(body, "to", to, st);
    return err;
}

gj_err api_product(json_t *body, const char **member, const char **product, gj_fen *amount_fen,
                   gj_status *st) {
    gj_err err = gj_json_text(body, "member", API_CODE_MAX, member, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "product", API_CODE_MAX, product, st);
    if (err == GJ_E_OK) err = gj_json_amount(body, "amount_yuan", true, amount_fen, st);
    return err;
}

gj_err api_application(json_t *body, gj_invite *inv, char modes[API_MODES_MAX], gj_status *st) {
    const char *donor = NULL, *proof = NULL, *declared_by = NULL;
    gj_err err = api_invite(body, inv, modes, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "donor", API_CODE_MAX, &donor, st);
    if (err == GJ_E_OK) err = gj_json_text(body, "proof", API_TEXT_MAX, &proof, st);
    if (err == GJ_E_OK)
        err = gj_json_text_opt(body, "declared_by", API_CODE_MAX, &declared_by, st);
    inv->donor = donor;
    inv->proof = proof;
    inv->declared_by = declared_by != NULL ? declared_by : donor;   /* the applicant declares */
    return err;
}

gj_err api_review(json_t *body, bool *approve, const char **reason, gj_status *st) {
    gj_err err = api_bool(body, "approve", true, approve, st);
    if (err == GJ_E_OK) err = gj_json_text_opt(body, "reason", API_TEXT_MAX, reason, st);
    return err;
}
