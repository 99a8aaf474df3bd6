/* nhsa_api.c — POST /fsi/api/callService: the national interface over HTTP. The body is one
 * request envelope (docs/nhsa.md); the answer is HTTP 200 with the national response envelope,
 * also for bad JSON (infcode -1 naming the problem), as the national platform answers. The
 * signature (sign.c) names the institution; the envelope's fixmedins_code must be that
 * institution, so an institution can never act as another. */
#include <stdio.h>
#include <stdlib.h>
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

/* The request as read on its HTTP thread (route.prepare), before it goes to the writer. */
typedef struct {
    json_t *request;              /* NULL when the body is not a JSON envelope (parse says why) */
    gj_status parse;
    gj_nhsa_prepared *decoded;    /* NULL when request is NULL or memory ran out */
} nhsa_body;

static void nhsa_body_free(void *arg) {
    nhsa_body *b = arg;
    if (b == NULL) return;
    gj_nhsa_prepared_free(b->decoded);
    json_decref(b->request);
    free(b);
}

/* Parse the body and decode its envelope (no store: the writer is spared both). */
static void prepare_body(http_request *req) {
    nhsa_body *b = calloc(1, sizeof *b);
    if (b == NULL) return;   /* call_service refuses */
    gj_status_clear(&b->parse);
    if (req->body_len == 0) gj_fail(&b->parse, GJ_E_BAD_JSON, "a JSON request envelope is required");
    else gj_json_loads_exact(req->body, req->body_len, &b->request, &b->parse);
    if (b->request != NULL) b->decoded = gj_nhsa_prepare(b->request);
    set_infno(req, b->request);   /* known before the writer: a failed batch answers an envelope */
    req->prepared = b;
    req->prepared_free = nhsa_body_free;
}

/* The answer as gongji writes it (no tree: a settlement's answer is written as text). */
static char *answer(http_request *req, const nhsa_body *b) {
    gj_status st;
    if (b == NULL || (b->request != NULL && b->decoded == NULL)) {
        gj_fail(&st, GJ_E_INTERNAL, "out of memory");
        return gj_nhsa_refusal_text(b != NULL ? b->request : NULL, &st);
    }
    if (b->request == NULL) return gj_nhsa_refusal_text(NULL, &b->parse);
    const char *code = json_string_value(json_object_get(b->request, "fixmedins_code"));
    if (code != NULL && strcmp(code, req->caller.subject) != 0) {
        gj_fail(&st, GJ_E_FORBIDDEN, "fixmedins_code: not the institution that signed the request");
        return gj_nhsa_refusal_text(b->request, &st);
    }
    return gj_nhsa_call_prepared(http_engine(req), b->decoded);
}

/* The server prepares a plausibly signed request only (server.c): one whose timestamp entered
 * the window between that check and the signature's is prepared here, on the writer. */
static void call_service(http_request *req, http_response *res) {
    if (req->prepared == NULL) prepare_body(req);
    const nhsa_body *b = req->prepared;
    if (b == NULL) set_infno(req, NULL);
    http_reply_text(res, 200, answer(req, b));
}

const http_route http_nhsa_routes[] = {
    {"POST", "/fsi/api/callService", AUTH_SIGNED, 0, call_service,
     "national interface: one signed request envelope (infno, msgid, fixmedins_code, input)",
     prepare_body, NULL},
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
