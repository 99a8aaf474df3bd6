/* verifier.c — the verifier in use and the demo verifier (verifier.h): one-time codes from the
 * engine (gj_verification_start / _finish), delivered as a "demo_verification_code" log
 * event carrying the verification id and the code — never the person's number or name — and
 * only when the server runs in demo mode. */
#include <openssl/crypto.h>
#include <stdio.h>

#include "gongji/access.h"
#include "server.h"
#include "verifier.h"

static gj_err demo_start(const http_verifier *v, http_request *req, const char *psn_no,
                         const char *certno, json_t **out, gj_status *st) {
    (void)v;
    char code[GJ_OTP_MAX], detail[GJ_VERIFICATION_ID_MAX + GJ_OTP_MAX + 32];
    if (!req->server->config.demo)
        return gj_fail(st, GJ_E_FORBIDDEN, "no identity verifier is configured on this server "
                                           "(the demo verifier works only with --demo)");
    gj_err err =
        gj_verification_start(http_engine(req), psn_no, certno, code, sizeof code, out, st);
    if (err != GJ_E_OK) return err;
    const char *id = json_string_value(json_object_get(*out, "verification_id"));
    snprintf(detail, sizeof detail, "verification_id=%s code=%s", id ? id : "", code);
    http_log_event("demo_verification_code", detail);
    OPENSSL_cleanse(code, sizeof code);
    OPENSSL_cleanse(detail, sizeof detail);
    json_object_set_new(*out, "delivery",
                        json_string("demo: the one-time code is in the server log"));
    return GJ_E_OK;
}

static gj_err demo_check(const http_verifier *v, http_request *req, const char *verification_id,
                         const char *answer, json_t **out, gj_status *st) {
    (void)v;
    return gj_verification_finish(http_engine(req), verification_id, answer,
                                  req->server->config.token_ttl_s, out, st);
}

const http_verifier http_demo_verifier = {"demo", "otp", demo_start, demo_check, NULL};

static const http_verifier *current = &http_demo_verifier;

const http_verifier *http_verifier_current(void) { return current; }

void http_verifier_install(const http_verifier *v) { current = v; }
