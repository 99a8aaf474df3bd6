/* staff_admin.c — the administrator's part of the staff API (routes: staff_api.c): importing
 * people from a CSV body (all or nothing, the bad line named), changing a person's insurance
 * status, registering institutions and issuing their signing credentials, creating operators.
 * The actor recorded in the journal is the administrator's operator id. */
#include <stdio.h>

#include "api.h"

static gj_err import_persons(http_request *req, json_t *body, json_t **out, gj_status *st) {
    (void)body;
    gj_actor who = http_actor(req);
    if (req->body_len == 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "a CSV body is required (columns: docs/import.md)");
    FILE *csv = fmemopen((void *)req->body, req->body_len, "r");
    if (csv == NULL) return gj_fail(st, GJ_E_INTERNAL, "cannot read the body");
    gj_err err = gj_import_persons(http_engine(req), &who, csv, false, out, st);
    fclose(csv);
    return err;
}

void staff_import_persons(http_request *req, http_response *res) {
    api_run(req, res, NULL, 200, import_persons);
}

static gj_err set_status(http_request *req, json_t *body, json_t **out, gj_status *st) {
    const char *status = NULL;
    gj_actor who = http_actor(req);
    gj_err err = api_texts(body, api_fields_status, API_CODE_MAX, &status, st);
    return err == GJ_E_OK
               ? gj_person_set_status(http_engine(req), &who, req->params[0], status, out, st)
               : err;
}

void staff_put_status(http_request *req, http_response *res) {
    api_run(req, res, api_fields_status, 200, set_status);
}

/* An engine command taking four text fields of the body, in the order of `names`. */
typedef gj_err (*four_texts_fn)(gj_engine *e, const gj_actor *who, const char *a, const char *b,
                                const char *c, const char *d, json_t **out, gj_status *st);

static gj_err with_four_texts(http_request *req, json_t *body, const char *const names[5],
                              four_texts_fn fn, json_t **out, gj_status *st) {
    const char *v[4] = {NULL};
    gj_actor who = http_actor(req);
    gj_err err = api_texts(body, names, API_TEXT_MAX, v, st);
    return err == GJ_E_OK ? fn(http_engine(req), &who, v[0], v[1], v[2], v[3], out, st) : err;
}

static gj_err institution_add(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return with_four_texts(req, body, api_fields_institution, gj_institution_add, out, st);
}

void staff_post_institution(http_request *req, http_response *res) {
    api_run(req, res, api_fields_institution, 201, institution_add);
}

void staff_post_credential(http_request *req, http_response *res) {
    api_action(req, res, 201, gj_institution_credential);
}

static gj_err operator_add(http_request *req, json_t *body, json_t **out, gj_status *st) {
    return with_four_texts(req, body, api_fields_operator, gj_operator_add, out, st);
}

void staff_post_operator(http_request *req, http_response *res) {
    api_run(req, res, api_fields_operator, 201, operator_add);
}
