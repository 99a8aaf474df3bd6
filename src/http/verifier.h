/* verifier.h — identity verification of insured people, pluggable: POST /api/v1/auth/verify
 * calls the installed verifier's start, POST /api/v1/auth/token its check. The default demo
 * verifier issues the engine's one-time codes and delivers them by logging them — only when
 * the server runs with --demo; without --demo it refuses to start. A real provider (face
 * check, SMS) plugs in as described in docs/api.md ("Identity verification"). */
#ifndef GONGJI_HTTP_VERIFIER_H
#define GONGJI_HTTP_VERIFIER_H

#include "http.h"

typedef struct http_verifier http_verifier;

struct http_verifier {
    const char *name;       /* "demo" — for logs */
    const char *method;     /* verify_method recorded with networks and acceptances: "otp" */
    /* Begin verifying that the caller is psn_no (certno as registered). On success *out holds
     * what the client needs to continue, at least {verification_id}, and the challenge has
     * been delivered. Refusals must not reveal whether the person exists. */
    gj_err (*start)(const http_verifier *v, http_request *req, const char *psn_no,
                    const char *certno, json_t **out, gj_status *st);
    /* Finish with the client's answer (a one-time code, or a provider's result ticket):
     * a person session {token, expires_at, psn_no, verification_id}. */
    gj_err (*check)(const http_verifier *v, http_request *req, const char *verification_id,
                    const char *answer, json_t **out, gj_status *st);
    void *ctx;              /* the provider's own state */
};

extern const http_verifier http_demo_verifier;

/* The verifier in use (the demo verifier unless another was installed). */
const http_verifier *http_verifier_current(void);
/* Install a provider; call before http_server_start. */
void http_verifier_install(const http_verifier *v);

#endif
