/* fuzz_rest.c — libFuzzer target: every REST body decoder of gongjid (src/http/api_body.h),
 * without a server. The bytes go through api_body_parse as each kind of body (its allowed
 * fields), and the kind's decoder then reads the object even when a field was refused (it must
 * hold for any object). Checks: an accepted body is an object with only allowed fields; a
 * decoded body's texts are the body's own, within their limits, amounts not negative (-1 only
 * to clear), years and priorities in range, a change changes something; every refusal is a
 * 400/413 code whose detail is valid UTF-8 (it goes into the JSON answer) and, from a decoder,
 * starts with one of the kind's field names (or "nothing to change"). */
#include <string.h>

#include "api_body.h"
#include "harness.h"

static const char *current;   /* the kind being decoded, for the findings */

static void check_text(json_t *body, const char *name, const char *text, size_t max) {
    harness_check(text != NULL, "a decoded text is missing", name);
    harness_check(strlen(text) <= max, "a decoded text is longer than allowed", name);
    harness_check(text == json_string_value(json_object_get(body, name)),
                  "a decoded text is not the body's field", name);
}

static void check_amount(gj_fen fen, bool clearable, const char *name) {
    harness_check(fen >= (clearable ? -1 : 0), "a decoded amount is negative", name);
}

/* ---- one decoder per kind; each checks what it decoded when it succeeds ---- */

static const char *const *text_fields;   /* the text-only kind being decoded */

static gj_err texts(json_t *body, size_t max, gj_status *st) {
    const char *v[4] = {NULL, NULL, NULL, NULL};
    gj_err err = api_texts(body, text_fields, max, v, st);
    for (size_t i = 0; err == GJ_E_OK && text_fields[i] != NULL; i++)
        check_text(body, text_fields[i], v[i], max);
    return err;
}

static gj_err long_texts(json_t *body, gj_status *st) { return texts(body, API_TEXT_MAX, st); }
static gj_err code_texts(json_t *body, gj_status *st) { return texts(body, API_CODE_MAX, st); }

static gj_err network(json_t *body, gj_status *st) {
    bool commitment = false;
    return api_network_body(body, &commitment, st);
}

/* An invitation (the app's) or an application (the agency's: with donor, proof, declared_by). */
static gj_err invitation(json_t *body, bool application, gj_status *st) {
    char modes[API_MODES_MAX];
    gj_invite inv;
    gj_err err = (application ? api_application : api_invite)(body, &inv, modes, st);
    if (err != GJ_E_OK) return err;
    check_text(body, "member", inv.member, API_CODE_MAX);
    check_text(body, "relation", inv.relation, API_CODE_MAX);
    harness_check(inv.modes == NULL || strlen(inv.modes) < API_MODES_MAX, "modes too long", NULL);
    check_amount(inv.authorized_fen, false, "authorized_yuan");
    check_amount(inv.limit_fen, false, "limit_yuan");
    if (!application) return err;
    check_text(body, "donor", inv.donor, API_CODE_MAX);
    check_text(body, "proof", inv.proof, API_TEXT_MAX);
    harness_check(inv.declared_by != NULL && strlen(inv.declared_by) <= API_CODE_MAX,
                  "declared_by missing or too long", NULL);
    return err;
}

static gj_err invite(json_t *body, gj_status *st) { return invitation(body, false, st); }
static gj_err application(json_t *body, gj_status *st) { return invitation(body, true, st); }

static gj_err change(json_t *body, gj_status *st) {
    char modes[API_MODES_MAX];
    gj_binding_change c;
    gj_err err = api_change(body, &c, modes, st);
    if (err != GJ_E_OK) return err;
    harness_check(c.modes || c.set_authorized || c.set_limit || c.set_priority,
                  "a change that changes nothing", NULL);
    harness_check(c.modes == NULL || strlen(c.modes) < API_MODES_MAX, "modes too long", NULL);
    check_amount(c.authorized_fen, true, "authorized_yuan");
    check_amount(c.limit_fen, true, "limit_yuan");
    harness_check(c.priority >= 0 && c.priority <= API_PRIORITY_MAX, "priority out of range", NULL);
    return err;
}

static gj_err premium(json_t *body, gj_status *st) {
    const char *member = NULL;
    int year = 0;
    gj_err err = api_premium(body, &member, &year, st);
    if (err == GJ_E_OK) {
        check_text(body, "member", member, API_CODE_MAX);
        harness_check(year >= API_YEAR_MIN && year <= API_YEAR_MAX, "year out of range", NULL);
    }
    return err;
}

static gj_err product(json_t *body, gj_status *st) {
    const char *member = NULL, *code = NULL;
    gj_fen amount = 0;
    gj_err err = api_product(body, &member, &code, &amount, st);
    if (err == GJ_E_OK) {
        check_text(body, "member", member, API_CODE_MAX);
        check_text(body, "product", code, API_CODE_MAX);
        check_amount(amount, false, "amount_yuan");
    }
    return err;
}

static gj_err review(json_t *body, gj_status *st) {
    bool approve = false;
    const char *reason = NULL;
    gj_err err = api_review(body, &approve, &reason, st);
    if (err == GJ_E_OK && reason != NULL) check_text(body, "reason", reason, API_TEXT_MAX);
    return err;
}

static gj_err pool_contribution(json_t *body, gj_status *st) {
    gj_fen amount = 0;
    gj_err err = api_pool_contribution(body, &amount, st);
    if (err == GJ_E_OK) check_amount(amount, false, "amount_yuan");
    return err;
}

static gj_err wallet_transfer(json_t *body, gj_status *st) {
    api_transfer tr;
    gj_err err = api_wallet_transfer(body, &tr, st);
    if (err == GJ_E_OK) {
        check_text(body, "recipient", tr.recipient, API_CODE_MAX);
        check_text(body, "recipient_certno", tr.recipient_certno, API_CODE_MAX);
        check_text(body, "relation", tr.relation, API_CODE_MAX);
        check_amount(tr.amount_fen, false, "amount_yuan");
    }
    return err;
}

static gj_err wallet_premium(json_t *body, gj_status *st) {
    int year = 0;
    gj_err err = api_wallet_premium(body, &year, st);
    if (err == GJ_E_OK)
        harness_check(year >= API_YEAR_MIN && year <= API_YEAR_MAX, "year out of range", NULL);
    return err;
}

static gj_err remote_care(json_t *body, gj_status *st) {
    const char *place = NULL;
    gj_date from = 0, to = 0;
    gj_err err = api_remote_care(body, &place, &from, &to, st);
    if (err == GJ_E_OK) check_text(body, "place", place, API_CODE_MAX);
    return err;
}

static const struct kind {
    const char *name;
    const char *const *fields;
    gj_err (*decode)(json_t *body, gj_status *st);
} kinds[] = {
    {"verify", api_fields_verify, long_texts},
    {"token", api_fields_token, long_texts},
    {"login", api_fields_login, long_texts},
    {"institution", api_fields_institution, long_texts},
    {"operator", api_fields_operator, long_texts},
    {"status", api_fields_status, code_texts},
    {"network", api_fields_network, network},
    {"invite", api_fields_invite, invite},
    {"change", api_fields_change, change},
    {"premium", api_fields_premium, premium},
    {"product", api_fields_product, product},
    {"application", api_fields_application, application},
    {"review", api_fields_review, review},
    {"pool_contribution", api_fields_pool_contribution, pool_contribution},
    {"wallet_transfer", api_fields_wallet_transfer, wallet_transfer},
    {"wallet_premium", api_fields_wallet_premium, wallet_premium},
    {"remote_care", api_fields_remote_care, remote_care},
};

/* ---- refusals ---- */

static void check_refusal(gj_err err, const gj_status *st) {
    harness_check(err == GJ_E_BAD_JSON || err == GJ_E_BAD_FIELD || err == GJ_E_BAD_AMOUNT ||
                      err == GJ_E_AMOUNT_OVERFLOW || err == GJ_E_TOO_LARGE || err == GJ_E_BAD_DATE,
                  "a body refused with a code that is not 400/413", gj_err_name(err));
    harness_check(st->code == err && st->detail[0] != '\0', "a refusal without detail", current);
    json_t *detail = json_string(st->detail);
    harness_check(detail != NULL, "a refusal's detail is not valid UTF-8", current);
    json_decref(detail);
}

static bool names_a_field(const char *detail, const char *const *fields) {
    for (const char *const *f = fields; *f != NULL; f++) {
        size_t n = strlen(*f);
        if (strncmp(detail, *f, n) == 0 && detail[n] == ':') return true;
    }
    return strncmp(detail, "nothing to change", 17) == 0;
}

static void check_fields(json_t *body, const char *const *fields) {
    const char *key;
    json_t *value;
    harness_check(json_is_object(body), "an accepted body is not an object", current);
    json_object_foreach(body, key, value) {
        bool listed = false;
        for (const char *const *f = fields; *f != NULL && !listed; f++) listed = strcmp(key, *f) == 0;
        harness_check(listed, "an accepted body has a field not allowed", key);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gj_status st;
    json_t *any = NULL;
    gj_status_clear(&st);
    gj_err any_err = api_body_parse((const char *)data, size, NULL, &any, &st);
    if (any_err != GJ_E_OK) check_refusal(any_err, &st);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const struct kind *kind = &kinds[k];
        json_t *body = NULL;
        current = kind->name;
        text_fields = kind->fields;
        gj_status_clear(&st);
        gj_err err = api_body_parse((const char *)data, size, kind->fields, &body, &st);
        harness_check((err == GJ_E_OK) == (body != NULL), "a body with a refusal", current);
        if (err != GJ_E_OK) {
            check_refusal(err, &st);
            harness_check(any_err != GJ_E_OK || err == GJ_E_BAD_FIELD,
                          "only an unknown field refuses a body any kind accepts", current);
        } else {
            check_fields(body, kind->fields);
        }
        json_decref(body);
        if (any == NULL) continue;
        gj_status_clear(&st);
        err = kind->decode(any, &st);
        if (err != GJ_E_OK) {
            check_refusal(err, &st);
            harness_check(names_a_field(st.detail, kind->fields), "a refusal not naming its field",
                          st.detail);
        }
    }
    json_decref(any);
    return 0;
}
