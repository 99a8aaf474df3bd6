/* api_util.c — the shared helpers of the people's and staff APIs (api.h): bodies with their
 * allowed fields (decoded by api_body.c), answers and query parameters, each refusal naming
 * the field. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "gongji/jsonx.h"

/* The JSON object body, every field one of `fields`; NULL after answering 400. */
static json_t *api_body(http_request *req, http_response *res, const char *const *fields) {
    json_t *body = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (api_body_parse(req->body, req->body_len, fields, &body, &st) != GJ_E_OK)
        http_refuse(res, &st);
    return body;
}

void api_run(http_request *req, http_response *res, const char *const *fields, int ok_status,
             api_fn fn) {
    json_t *body = NULL, *out = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (fields != NULL && (body = api_body(req, res, fields)) == NULL) return;
    gj_err err = fn(req, body, &out, &st);
    api_answer(res, err, ok_status, out, &st);
    json_decref(body);
}

void api_answer(http_response *res, gj_err err, int ok_status, json_t *out, const gj_status *st) {
    if (err == GJ_E_OK) {
        http_reply(res, ok_status, out);
        return;
    }
    json_decref(out);
    http_refuse(res, st);
}

void api_lookup(http_request *req, http_response *res, api_lookup_fn fn, const char *key) {
    gj_status st;
    json_t *out = NULL;
    gj_status_clear(&st);
    gj_err err = fn(http_engine(req), key, &out, &st);
    api_answer(res, err, 200, out, &st);
}

void api_action(http_request *req, http_response *res, int ok_status, api_action_fn fn) {
    gj_actor who = http_actor(req);
    gj_status st;
    json_t *out = NULL;
    gj_status_clear(&st);
    /* Two statements: as arguments of one call, `out` could be read before fn sets it (the
     * order in which arguments are evaluated is unspecified) — 200 with an empty body. */
    gj_err err = fn(http_engine(req), &who, req->params[0], &out, &st);
    api_answer(res, err, ok_status, out, &st);
}

gj_err api_query_year(http_request *req, int *out, gj_status *st) {
    const char *text = http_query(req, "year");
    if (text == NULL || *text == '\0') return GJ_E_OK;
    return api_year_parse("year", text, out, st);
}

gj_err api_query_date(http_request *req, const char *name, bool required, gj_date *out,
                      gj_status *st) {
    const char *text = http_query(req, name);
    if (text == NULL || *text == '\0')
        return required ? gj_fail(st, GJ_E_BAD_FIELD, "%s: required (yyyy-MM-dd)", name) : GJ_E_OK;
    if (gj_date_parse(text, out) != GJ_E_OK)
        return gj_fail(st, GJ_E_BAD_DATE, "%s: yyyy-MM-dd expected", name);
    return GJ_E_OK;
}

gj_err api_query_code(http_request *req, const char *name, size_t max_len, const char **out,
                      gj_status *st) {
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const char *text = http_query(req, name);
    *out = NULL;
    if (text == NULL || *text == '\0') return GJ_E_OK;
    size_t n = strlen(text);
    if (n > max_len || strspn(text, alnum) != n)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: up to %zu letters and digits", name, max_len);
    *out = text;
    return GJ_E_OK;
}
