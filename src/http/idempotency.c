/* idempotency.c — retries of REST writes (docs/api.md "Retries"): a person's or an operator's
 * POST, PATCH or DELETE may carry an Idempotency-Key header. The first request with a key runs
 * and, when it changed something (2xx), its answer is remembered with a hash of the request in
 * the same batch transaction as its effect (src/engine/rest_request.c); a retry with the same
 * key and the same method, path and body gets that answer again and changes nothing; the same
 * key with another request is IDEMPOTENCY_KEY_REUSED (409). Keys belong to their caller: the
 * same key from two people names two requests. An answer is kept idempotency_retention_s
 * (default a day): a retry after that is a new request. Runs on the pipeline's writer thread,
 * so two copies of one request are decided one after the other. Institutions retry with their
 * msgid (national interface, src/engine/nhsa.c), not with this header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"
#include "server.h"

static const char KEY_HEADER[] = "Idempotency-Key";

/* A key: 1..GJ_REST_KEY_MAX letters, digits, '-', '_', '.', ':' (a UUID fits). */
static bool key_valid(const char *key) {
    size_t n = strlen(key);
    if (n == 0 || n > GJ_REST_KEY_MAX) return false;
    return strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") == n;
}

/* "person:<psn_no>" or "staff:<operator_id>": whose keys these are. */
static void caller_name(const http_caller *c, char out[GJ_REST_CALLER_MAX]) {
    snprintf(out, GJ_REST_CALLER_MAX, "%s:%s", c->kind == HTTP_STAFF ? "staff" : "person", c->subject);
}

bool http_idempotency_begin(http_request *req, http_response *res, http_idempotency *idem) {
    memset(idem, 0, sizeof *idem);
    const char *key = http_header(req, KEY_HEADER);
    bool keyed_caller = req->caller.kind == HTTP_PERSON || req->caller.kind == HTTP_STAFF;
    if (key == NULL || !keyed_caller || strcmp(req->method, "GET") == 0) return false;   /* runs as it is */
    if (!key_valid(key)) {
        http_error(res, 400, GJ_E_BAD_FIELD, "Idempotency-Key: 1 to 64 letters, digits, '-', '_', '.', ':'");
        return true;
    }
    gj_status st;
    gj_rest_answer first;
    caller_name(&req->caller, idem->caller);
    snprintf(idem->key, sizeof idem->key, "%s", key);
    gj_rest_request_hash(req->method, req->path, req->body, req->body_len, idem->request_hash);
    if (gj_rest_answer_load(http_engine(req), idem->caller, idem->key,
                            req->server->config.idempotency_retention_s, &first, &st) != GJ_E_OK) {
        http_refuse(res, &st);
        return true;
    }
    if (!first.found) {
        idem->active = true;   /* the request runs; its answer is remembered at the end */
        return false;
    }
    if (strcmp(first.request_hash, idem->request_hash) == 0) {
        http_reply_text(res, first.status, first.response);   /* the first answer, byte for byte; res owns it */
        return true;
    }
    gj_rest_answer_free(&first);
    http_error(res, 409, GJ_E_IDEMPOTENCY_KEY_REUSED, "this key was sent before with another method, path or body");
    return true;
}

void http_idempotency_end(http_request *req, http_response *res, const http_idempotency *idem) {
    if (!idem->active || res->status < 200 || res->status >= 300) return;
    bool tree = res->json != NULL;
    char *text = tree ? gj_json_encode(res->json, false) : NULL;
    if (text != NULL) http_reply_text(res, res->status, text);   /* encoded once: sent as remembered */
    gj_status st;
    gj_err err = tree && text == NULL
                     ? gj_fail(&st, GJ_E_INTERNAL, "out of memory")
                     : gj_rest_answer_remember(http_engine(req), idem->caller, idem->key, idem->request_hash,
                                               res->status, res->raw != NULL ? res->raw : "",
                                               req->server->config.idempotency_retention_s, &st);
    if (err != GJ_E_OK) http_error(res, 500, GJ_E_STORE, "the answer could not be remembered: nothing was kept");
}
