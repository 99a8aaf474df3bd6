/* api_util.c — the shared helpers of the people's and staff APIs (api.h): bodies with their
 * allowed fields, answers, typed fields and query parameters, each refusal naming the field. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "gongji/jsonx.h"

/* The JSON object body, every field one of `fields`; NULL after answering 400. */
static json_t *api_body(http_request *req, http_response *res, const char *const *fields) {
    json_t *body = http_body_json(req, res), *value;
    const char *key;
    if (body == NULL) return NULL;
    json_object_foreach(body, key, value) {
        bool known = false;
        for (const char *const *f = fields; *f != NULL && !known; f++) known = strcmp(key, *f) == 0;
        if (known) continue;
        char detail[GJ_STATUS_DETAIL_MAX];
        snprintf(detail, sizeof detail, "%.64s: unknown field", key);
        http_error(res, 400, GJ_E_BAD_FIELD, detail);
        json_decref(body);
        return NULL;
    }
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

gj_err api_texts(json_t *body, const char *const *names, size_t max_len, const char **values,
                 gj_status *st) {
    gj_err err = GJ_E_OK;
    for (size_t i = 0; names[i] != NULL && err == GJ_E_OK; i++)
        err = gj_json_text(body, names[i], max_len, &values[i], st);
    return err;
}

gj_err api_bool(json_t *body, const char *name, bool required, bool *out, gj_status *st) {
    json_t *v = json_object_get(body, name);
    if (v == NULL || json_is_null(v))
        return required ? gj_fail(st, GJ_E_BAD_FIELD, "%s: required (true or false)", name)
                        : GJ_E_OK;
    if (!json_is_boolean(v)) return gj_fail(st, GJ_E_BAD_FIELD, "%s: true or false expected", name);
    *out = json_is_true(v);
    return GJ_E_OK;
}

/* ["payment", "contribution"] → "payment,contribution" */
static gj_err join_modes(json_t *list, const char *name, char buf[API_MODES_MAX], gj_status *st) {
    size_t i, used = 0;
    json_t *item;
    buf[0] = '\0';
    json_array_foreach(list, i, item) {
        const char *mode = json_string_value(item);
        if (mode == NULL || used + strlen(mode) + 2 > API_MODES_MAX)
            return gj_fail(st, GJ_E_BAD_FIELD, "%s: a list of \"payment\", \"contribution\"", name);
        used += (size_t)snprintf(buf + used, API_MODES_MAX - used, "%s%s", i ? "," : "", mode);
    }
    return GJ_E_OK;
}

gj_err api_modes(json_t *body, const char *name, char buf[API_MODES_MAX], const char **out,
                 gj_status *st) {
    json_t *v = json_object_get(body, name);
    if (gj_json_absent(body, name)) return GJ_E_OK;
    if (json_is_array(v)) {
        gj_err err = join_modes(v, name, buf, st);
        if (err == GJ_E_OK) *out = buf;
        return err;
    }
    return gj_json_text(body, name, API_MODES_MAX - 1, out, st);
}

gj_err api_amount_or_null(json_t *body, const char *name, bool *set, gj_fen *out_fen,
                          gj_status *st) {
    json_t *v = json_object_get(body, name);
    *set = v != NULL;
    if (v == NULL) return GJ_E_OK;
    if (json_is_null(v)) {
        *out_fen = -1;
        return GJ_E_OK;
    }
    return gj_json_amount(body, name, true, out_fen, st);
}

gj_err api_query_year(http_request *req, int *out, gj_status *st) {
    const char *text = http_query(req, "year");
    if (text == NULL || *text == '\0') return GJ_E_OK;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < API_YEAR_MIN || v > API_YEAR_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "year: %d..%d expected", API_YEAR_MIN, API_YEAR_MAX);
    *out = (int)v;
    return GJ_E_OK;
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
