/* nhsa_api.c — POST /fsi/api/callService: the national interface over HTTP. The body is one
 * request envelope (docs/nhsa.md); the answer is HTTP 200 with the national response envelope,
 * also for bad JSON (infcode -1 naming the problem), as the national platform answers. The
 * signature (sign.c) names the institution; the envelope's fixmedins_code must be that
 * institution, so an institution can never act as another. */
#include <stdio.h>
#include <string.h>

#include "gongji/jsonx.h"
#include "server.h"

enum { INFNO_DIGITS = 4 };

/* The infno label for metrics: a 4-digit infno, else "other" (bounded label values). */
static void set_infno(http_request *req, json_t *request) {
    const char *infno = json_string_value(json_object_get(request, "infno"));
    bool digits = infno && strlen(infno) == INFNO_DIGITS && strspn(infno, "0123456789") == INFNO_DIGITS;
    snprintf(req->infno, sizeof req->infno, "%s", digits ? infno : "other");
}

/* The answer as gongji writes it (no tree: a settlement's answer is written as text). */
static char *answer(http_request *req, json_t *request, const gj_status *parse) {
    gj_status st;
    if (request == NULL) return gj_nhsa_refusal_text(NULL, parse);
    const char *code = json_string_value(json_object_get(request, "fixmedins_code"));
    if (code != NULL && strcmp(code, req->caller.subject) != 0) {
        gj_fail(&st, GJ_E_FORBIDDEN, "fixmedins_code: not the institution that signed the request");
        return gj_nhsa_refusal_text(request, &st);
    }
    return gj_nhsa_call_text(http_engine(req), request);
}

static void call_service(http_request *req, http_response *res) {
    json_t *request = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (req->body_len == 0) gj_fail(&st, GJ_E_BAD_JSON, "a JSON request envelope is required");
    else gj_json_loads_exact(req->body, req->body_len, &request, &st);
    set_infno(req, request);
    http_reply_text(res, 200, answer(req, request, &st));
    json_decref(request);
}

const http_route http_nhsa_routes[] = {
    {"POST", "/fsi/api/callService", AUTH_SIGNED, 0, call_service,
     "national interface: one signed request envelope (infno, msgid, fixmedins_code, input)"},
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL},
};
