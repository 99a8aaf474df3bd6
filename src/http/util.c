/* util.c — small helpers every handler uses: headers, query parameters, JSON answers and
 * refusals with HTTP status codes derived from the error code (bodies: api_body.c). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

gj_engine *http_engine(http_request *req) { return req->engine; }

const char *http_header(http_request *req, const char *name) {
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(http_request *req, const char *name) {
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_reply(http_response *res, int status, json_t *json) {
    json_decref(res->json);
    res->status = status;
    res->json = json;
}

void http_reply_text(http_response *res, int status, char *json_text) {
    json_decref(res->json);
    free(res->raw);
    res->json = NULL;
    res->status = status;
    res->raw = json_text;
    res->raw_len = json_text != NULL ? strlen(json_text) : 0;
    res->content_type = "application/json; charset=utf-8";
}

static int status_of(gj_err code) {
    switch (code) {
    case GJ_E_OK: return 200;
    case GJ_E_BAD_JSON: case GJ_E_BAD_FIELD: case GJ_E_BAD_AMOUNT: case GJ_E_AMOUNT_OVERFLOW:
    case GJ_E_BAD_ID_NUMBER: case GJ_E_BAD_ADMDVS: case GJ_E_BAD_DATE: case GJ_E_BAD_CODE:
    case GJ_E_USAGE: case GJ_E_IMPORT_FAILED: case GJ_E_BAD_POLICY:
        return 400;
    case GJ_E_TOO_LARGE: return 413;
    case GJ_E_FORBIDDEN: return 403;
    case GJ_E_NOT_FOUND: return 404;
    case GJ_E_METHOD_NOT_ALLOWED: return 405;
    case GJ_E_DUPLICATE: case GJ_E_MSGID_REUSED: case GJ_E_ALREADY_CANCELLED:
    case GJ_E_IDEMPOTENCY_KEY_REUSED:
        return 409;
    case GJ_E_STORE: case GJ_E_INTERNAL: case GJ_E_LEDGER_UNBALANCED: case GJ_E_CHAIN_BROKEN:
        return 500;
    default: return 422;   /* refused by a rule */
    }
}

/* A database's own message goes to the log (redacted), never to the client (error.h). */
void http_refuse(http_response *res, const gj_status *raw) {
    gj_status shown;
    char log[GJ_STATUS_DETAIL_MAX];
    const gj_status *st = &shown;
    if (gj_status_public(raw, &shown, log, sizeof log)) {
        char line[GJ_STATUS_DETAIL_MAX + 32];
        snprintf(line, sizeof line, "code=%s %s", gj_err_name(raw->code), log);
        http_log_event("store_error", line);
    }
    json_t *err = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", gj_err_name(st->code),
                            "rule", gj_err_rule(st->code), "message_zh", gj_err_zh(st->code),
                            "message_en", gj_err_en(st->code), "detail", st->detail);
    http_reply(res, status_of(st->code), json_pack("{s:o}", "error", err));
}

void http_error(http_response *res, int status, gj_err code, const char *detail) {
    gj_status st;
    gj_fail(&st, code, "%s", detail);
    http_refuse(res, &st);
    res->status = status;
}

gj_actor http_actor(const http_request *req) {
    static const char *const channels[] = {"web", "his", "app", "window"};
    return (gj_actor){.actor = req->caller.subject[0] ? req->caller.subject : "anonymous",
                      .channel = channels[req->caller.kind]};
}
