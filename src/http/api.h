/* api.h — what the insured people's API (app_api.c, app_records.c) and the agency staff API
 * (staff_api.c, staff_admin.c) share: the request's bearer token, answering an engine result,
 * the JSON body with its allowed fields (decoded by api_body.h) and query parameters. Every
 * malformed input is refused with 400 naming the field. */
#ifndef GONGJI_HTTP_API_H
#define GONGJI_HTTP_API_H

#include <stdbool.h>

#include "api_body.h"
#include "gongji/access.h"
#include "gongji/family.h"
#include "http.h"

/* The token of "Authorization: Bearer <token>", or NULL (auth.c). */
const char *api_bearer_token(http_request *req);

/* An endpoint's work: read the request (and its JSON `body`, when the endpoint takes one), call
 * the engine, leave the result in *out. */
typedef gj_err (*api_fn)(http_request *req, json_t *body, json_t **out, gj_status *st);
/* Run fn and answer ok_status with *out, or the refusal. `fields` (NULL-terminated) are the
 * body's allowed fields — any other is refused — or NULL when the endpoint takes no body. */
void api_run(http_request *req, http_response *res, const char *const *fields, int ok_status,
             api_fn fn);
/* Answer an engine call: ok_status with `out` (stolen), or the refusal in `st`. */
void api_answer(http_response *res, gj_err err, int ok_status, json_t *out, const gj_status *st);

/* An engine read keyed by one string (a psn_no, a setl_id): 200 with its result. */
typedef gj_err (*api_lookup_fn)(gj_engine *e, const char *key, json_t **out, gj_status *st);
void api_lookup(http_request *req, http_response *res, api_lookup_fn fn, const char *key);

/* An engine command on the path's first {parameter} (a binding id, an institution code), as
 * the caller: ok_status with its result. */
typedef gj_err (*api_action_fn)(gj_engine *e, const gj_actor *who, const char *id, json_t **out,
                                gj_status *st);
void api_action(http_request *req, http_response *res, int ok_status, api_action_fn fn);

/* Query parameters (?year=2025&from=2025-01-01). Absent leaves *out as it is unless required.
 * year: api_year_parse (4 digits, 2000..2100). */
gj_err api_query_year(http_request *req, int *out, gj_status *st);
gj_err api_query_date(http_request *req, const char *name, bool required, gj_date *out,
                      gj_status *st);
/* Text of at most max_len bytes made of letters and digits (codes, regions); NULL if absent. */
gj_err api_query_code(http_request *req, const char *name, size_t max_len, const char **out,
                      gj_status *st);

/* A route of the people's API (app_api.c, app_regions.c): signed-in insured people only. */
#define PERSON(method, pattern, handler, summary) \
    {method, pattern, AUTH_PERSON, 0, handler, summary, NULL, NULL}

/* Handlers of the people's API in app_records.c (routes: app_api.c). */
void app_post_premium(http_request *req, http_response *res);
void app_post_product(http_request *req, http_response *res);
void app_get_records(http_request *req, http_response *res);
void app_get_receipt(http_request *req, http_response *res);
void app_get_explain(http_request *req, http_response *res);
void app_get_statement(http_request *req, http_response *res);

/* Handlers of the staff API in staff_admin.c (routes: staff_api.c). */
void staff_import_persons(http_request *req, http_response *res);
void staff_put_status(http_request *req, http_response *res);
void staff_post_institution(http_request *req, http_response *res);
void staff_post_credential(http_request *req, http_response *res);
void staff_post_operator(http_request *req, http_response *res);

#endif
