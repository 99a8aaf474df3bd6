/* api_body.h — decoding the REST bodies (docs/api.md) without a server: the bytes to a JSON
 * object whose every field is allowed (api_body.c), typed fields, and one decoder per kind of
 * body with its allowed fields (api_bodies.c). Handlers (api.h) and the fuzz target
 * tests/fuzz/fuzz_rest.c use the very same functions and field lists. Every refusal is a 400
 * (413 when too large) whose detail starts with the field's name, "a JSON …" or, for a change,
 * "nothing to change". Texts point into the body: they live as long as it does. */
#ifndef GONGJI_HTTP_API_BODY_H
#define GONGJI_HTTP_API_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "gongji/engine.h"
#include "gongji/jsonx.h"

enum {
    API_YEAR_MIN = 2000,
    API_YEAR_MAX = 2100,
    API_MODES_MAX = 40,      /* "payment,contribution" */
    API_TEXT_MAX = 256,      /* names, reasons, proofs, passwords (the engine checks each) */
    API_CODE_MAX = 32,       /* ids and codes */
    API_PRIORITY_MAX = 9999,
};

/* `len` bytes → a JSON object (exact decoder: numbers kept as text) whose every field is one
 * of `fields` (NULL-terminated; NULL: any). BAD_JSON, TOO_LARGE or BAD_FIELD "<key>: unknown
 * field". */
gj_err api_body_parse(const char *data, size_t len, const char *const *fields, json_t **out,
                      gj_status *st);

/* Required text fields: values[i] = the field names[i] (NULL-terminated), each ≤ max_len. */
gj_err api_texts(json_t *body, const char *const *names, size_t max_len, const char **values,
                 gj_status *st);
/* Body fields. Absent (missing, null or "") leaves *out as it is unless required. */
gj_err api_bool(json_t *body, const char *name, bool required, bool *out, gj_status *st);
/* Modes as "payment,contribution" or ["payment", "contribution"] → text in buf. */
gj_err api_modes(json_t *body, const char *name, char buf[API_MODES_MAX], const char **out,
                 gj_status *st);
/* A year as text (a query parameter, a body's "year"): exactly 4 ASCII digits, API_YEAR_MIN..
 * API_YEAR_MAX — no sign, no spaces (strtol's leniency let " 2026" and "+2026" through). NULL
 * text is refused too. BAD_FIELD "<name>: 4 digits, 2000..2100 expected". */
gj_err api_year_parse(const char *name, const char *text, int *out, gj_status *st);
/* An amount that may be cleared: absent → *set false; null → -1 (clear); else the amount. */
gj_err api_amount_or_null(json_t *body, const char *name, bool *set, gj_fen *out_fen,
                          gj_status *st);

/* ---- the kinds of body (api_bodies.c); each api_fields_<kind> lists its allowed fields ---- */

/* Text-only bodies, read with api_texts(body, api_fields_<kind>, API_TEXT_MAX, …): sign-in
 * start {psn_no, certno} and finish {verification_id, code}, operator sign-in {operator_id,
 * password}, a new institution {code, name, kind, admdvs}, a new operator {operator_id, name,
 * role, password}; and a person's status {status} with API_CODE_MAX. */
extern const char *const api_fields_verify[], *const api_fields_token[], *const api_fields_login[],
    *const api_fields_institution[], *const api_fields_operator[], *const api_fields_status[];

/* POST /api/v1/network {commitment}. */
extern const char *const api_fields_network[];
gj_err api_network_body(json_t *body, bool *commitment, gj_status *st);

/* POST /api/v1/bindings: member, relation, modes, temporary, authorized_yuan, limit_yuan; the
 * caller sets donor, declared_by and proof. */
extern const char *const api_fields_invite[];
gj_err api_invite(json_t *body, gj_invite *inv, char modes[API_MODES_MAX], gj_status *st);

/* PATCH /api/v1/bindings/{id}: modes, authorized_yuan, limit_yuan, priority; at least one. */
extern const char *const api_fields_change[];
gj_err api_change(json_t *body, gj_binding_change *chg, char modes[API_MODES_MAX], gj_status *st);

/* POST /api/v1/premiums {member, year}. */
extern const char *const api_fields_premium[];
gj_err api_premium(json_t *body, const char **member, int *year, gj_status *st);

/* POST /api/v1/products {member, product, amount_yuan}. */
extern const char *const api_fields_product[];
gj_err api_product(json_t *body, const char **member, const char **product, gj_fen *amount_fen,
                   gj_status *st);

/* POST /api/v1/pools/{creator}/contributions {amount_yuan}: the caller's own money (R7.2). */
extern const char *const api_fields_pool_contribution[];
gj_err api_pool_contribution(json_t *body, gj_fen *amount_fen, gj_status *st);

/* POST /api/v1/wallet/transfers {recipient, recipient_certno, relation, amount_yuan}: from the
 * caller (R7.3), the relative named by person number and certificate (ID) number; all
 * required. */
typedef struct {
    const char *recipient, *recipient_certno, *relation;
    gj_fen amount_fen;
} api_transfer;
extern const char *const api_fields_wallet_transfer[];
gj_err api_wallet_transfer(json_t *body, api_transfer *out, gj_status *st);

/* POST /api/v1/wallet/premiums {year}: the caller's own resident premium from their wallet. */
extern const char *const api_fields_wallet_premium[];
gj_err api_wallet_premium(json_t *body, int *year, gj_status *st);

/* POST /api/v1/remote-care {place, from, to}: the caller's 异地就医备案 (R8.2); dates
 * yyyy-MM-dd (BAD_DATE naming the field). */
extern const char *const api_fields_remote_care[];
gj_err api_remote_care(json_t *body, const char **place, gj_date *from, gj_date *to,
                       gj_status *st);

/* POST /api/v1/staff/applications: an invitation with donor, proof and optional declared_by
 * (default: the donor). */
extern const char *const api_fields_application[];
gj_err api_application(json_t *body, gj_invite *inv, char modes[API_MODES_MAX], gj_status *st);

/* POST /api/v1/staff/applications/{id}/review {approve, reason?}. */
extern const char *const api_fields_review[];
gj_err api_review(json_t *body, bool *approve, const char **reason, gj_status *st);

#endif
