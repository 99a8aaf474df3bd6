/* api_body.c — a REST body's bytes to a JSON object with only allowed fields, and the typed
 * fields shared by the kinds of body (api_body.h). No server needed: the fuzz target
 * tests/fuzz/fuzz_rest.c links this file with api_bodies.c. */
#include <stdio.h>
#include <string.h>

#include "api_body.h"

/* The first field of `body` not in `fields`, or NULL. */
static const char *unknown_field(json_t *body, const char *const *fields) {
    json_t *value;
    const char *key;
    json_object_foreach(body, key, value) {
        bool known = false;
        for (const char *const *f = fields; *f != NULL && !known; f++) known = strcmp(key, *f) == 0;
        if (!known) return key;
    }
    return NULL;
}

gj_err api_body_parse(const char *data, size_t len, const char *const *fields, json_t **out,
                      gj_status *st) {
    json_t *body = NULL;
    const char *unknown = NULL;
    *out = NULL;
    if (len == 0) return gj_fail(st, GJ_E_BAD_JSON, "a JSON body is required");
    gj_err err = gj_json_loads_exact(data, len, &body, st);
    if (err != GJ_E_OK) return err;
    if (!json_is_object(body)) err = gj_fail(st, GJ_E_BAD_JSON, "a JSON object is required");
    else if (fields != NULL && (unknown = unknown_field(body, fields)) != NULL)
        err = gj_fail(st, GJ_E_BAD_FIELD, "%.64s: unknown field", unknown);
    if (err == GJ_E_OK) *out = body;
    else json_decref(body);
    return err;
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

gj_err api_year_parse(const char *name, const char *text, int *out, gj_status *st) {
    _Static_assert(API_YEAR_MIN >= 1000 && API_YEAR_MAX <= 9999, "a year is 4 digits");
    bool digits = text != NULL && strlen(text) == 4;
    int v = 0;
    for (int i = 0; digits && i < 4; i++) {
        digits = text[i] >= '0' && text[i] <= '9';   /* ASCII only: not isdigit (locale) */
        v = v * 10 + (text[i] - '0');
    }
    if (!digits || v < API_YEAR_MIN || v > API_YEAR_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: 4 digits, %d..%d expected", name, API_YEAR_MIN,
                       API_YEAR_MAX);
    *out = v;
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
