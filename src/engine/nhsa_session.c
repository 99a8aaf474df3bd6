/* nhsa_session.c — an institution's operator signs in (9001) and out (9002). The sign_no it
 * gets is accepted in later envelopes but not required: settlements do not depend on it. */
#include <stdio.h>
#include <string.h>

#include "nhsa_commands.h"

enum { OPTER_MAX = 30, SIGN_NO_MAX = 30 };

static json_t *sign_json(const char *block, const char *sign_no, gj_time at) {
    char when[GJ_TIME_TEXT_MAX];
    return json_pack("{s:{s:s, s:s}}", block, "sign_time", gj_time_format(at, when, sizeof when),
                     "sign_no", sign_no);
}

/* 9001: input.signIn {opter_no, mac, ip} → signinoutb {sign_time, sign_no}. */
gj_err nhsa_sign_in(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    char opter[OPTER_MAX + 1] = "", sign_no[NHSA_ID_MAX];
    gj_time at = gj_now();
    gj_err err;
    if ((err = nhsa_input_block(ctx, "signIn", &d, st)) ||
        (err = nhsa_copy_text(d, "opter_no", false, opter, sizeof opter, st)) ||
        (err = eng_new_id(e, "sign_in", "SN", sign_no, sizeof sign_no, st)))
        return err;
    if (opter[0] == '\0' && ctx->opter != NULL) snprintf(opter, sizeof opter, "%s", ctx->opter);
    err = gj_store_exec(e->store, "INSERT INTO sign_in (sign_no, fixmedins_code, opter, signed_in_at) "
                                  "VALUES ($1, $2, $3, $4)",
                        GJ_PARAMS(P_TEXT(sign_no), P_TEXT(ctx->fixmedins_code), P_TEXT(opter), P_INT(at)),
                        NULL, st);
    if (err == GJ_E_OK) err = nhsa_journal(e, ctx, "signin", sign_no, json_pack("{s:s}", "opter", opter), st);
    if (err == GJ_E_OK) *output = sign_json("signinoutb", sign_no, at);
    return err;
}

/* 9002: input.signOut {sign_no, opter_no} → signoutoutb {sign_time, sign_no}. */
gj_err nhsa_sign_out(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    char sign_no[SIGN_NO_MAX + 1];
    int64_t changes = 0, n = 0;
    gj_time at = gj_now();
    gj_err err;
    if ((err = nhsa_input_block(ctx, "signOut", &d, st)) ||
        (err = nhsa_copy_text(d, "sign_no", true, sign_no, sizeof sign_no, st)) ||
        (err = gj_store_exec(e->store, "UPDATE sign_in SET signed_out_at = $3 WHERE sign_no = $1 "
                                       "AND fixmedins_code = $2 AND signed_out_at IS NULL",
                             GJ_PARAMS(P_TEXT(sign_no), P_TEXT(ctx->fixmedins_code), P_INT(at)),
                             &changes, st)))
        return err;
    if (changes == 0) {
        err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM sign_in WHERE sign_no = $1 AND fixmedins_code = $2",
                               GJ_PARAMS(P_TEXT(sign_no), P_TEXT(ctx->fixmedins_code)), &n, st);
        if (err == GJ_E_OK)
            err = n > 0 ? gj_fail(st, GJ_E_WRONG_STATE, "sign_no: already signed out")
                        : gj_fail(st, GJ_E_NOT_FOUND, "sign_no: no such sign-in of this institution");
        return err;
    }
    err = nhsa_journal(e, ctx, "signout", sign_no, NULL, st);
    if (err == GJ_E_OK) *output = sign_json("signoutoutb", sign_no, at);
    return err;
}
