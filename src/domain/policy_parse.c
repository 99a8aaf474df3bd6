/* policy_parse.c — strict conversion of merged policy settings (JSON) into a gj_policy.
 *
 * Every key is required (the national file sets them all; regional files override), unknown
 * keys are refused, and every problem names its JSON path ("settings.donor.reserve_floor_yuan:
 * bad amount"). */
#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"

typedef struct {
    gj_status *st;
    char path[160];
} reader;

static gj_err bad(reader *r, const char *key, const char *why) {
    return gj_fail(r->st, GJ_E_BAD_POLICY, "%s%s%s: %s", r->path, *r->path ? "." : "", key, why);
}

/* Refuse keys of `obj` that are not in the NULL-terminated `allowed`. */
static gj_err only_keys(reader *r, json_t *obj, const char *const *allowed) {
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        bool known = false;
        for (const char *const *a = allowed; *a != NULL && !known; a++) known = !strcmp(*a, key);
        if (!known) return bad(r, key, "unknown setting");
    }
    return GJ_E_OK;
}

static json_t *member(reader *r, json_t *obj, const char *key, json_type type, gj_err *e) {
    json_t *v = json_object_get(obj, key);
    if (v == NULL) *e = bad(r, key, "missing");
    else if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v)))
        *e = bad(r, key, "wrong type");
    return *e == GJ_E_OK ? v : NULL;
}

/* Enter/leave a nested object for path reporting. */
static size_t enter(reader *r, const char *key) {
    size_t old = strlen(r->path);
    snprintf(r->path + old, sizeof r->path - old, "%s%s", old ? "." : "", key);
    return old;
}
static void leave(reader *r, size_t old) { r->path[old] = '\0'; }

static gj_err get_bool(reader *r, json_t *obj, const char *key, bool *out) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_TRUE, &e);
    if (v) *out = json_is_true(v);
    return e;
}

static gj_err get_int(reader *r, json_t *obj, const char *key, int lo, int hi, int *out) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_INTEGER, &e);
    if (!v) return e;
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi) return bad(r, key, "out of range");
    *out = (int)n;
    return GJ_E_OK;
}

static gj_err parse_amount(reader *r, json_t *v, const char *key, gj_fen *out) {
    if (!json_is_string(v)) return bad(r, key, "amount must be a yuan string");
    if (gj_money_parse(json_string_value(v), json_string_length(v), out) != GJ_E_OK || *out < 0)
        return bad(r, key, "bad amount");
    return GJ_E_OK;
}

static gj_err get_amount(reader *r, json_t *obj, const char *key, gj_fen *out) {
    json_t *v = json_object_get(obj, key);
    if (v == NULL) return bad(r, key, "missing");
    return parse_amount(r, v, key, out);
}

/* An amount or null (→ -1). */
static gj_err get_optional_amount(reader *r, json_t *obj, const char *key, gj_fen *out) {
    json_t *v = json_object_get(obj, key);
    if (v == NULL) return bad(r, key, "missing");
    if (json_is_null(v)) {
        *out = -1;
        return GJ_E_OK;
    }
    return parse_amount(r, v, key, out);
}

static gj_err get_date(reader *r, json_t *obj, const char *key, gj_date *out) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_STRING, &e);
    if (!v) return e;
    if (gj_date_parse(json_string_value(v), out) != GJ_E_OK) return bad(r, key, "bad date");
    return GJ_E_OK;
}

static gj_err get_choice(reader *r, json_t *obj, const char *key, const char *const *choices,
                         int *out) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_STRING, &e);
    if (!v) return e;
    for (int i = 0; choices[i] != NULL; i++)
        if (!strcmp(choices[i], json_string_value(v))) {
            *out = i;
            return GJ_E_OK;
        }
    return bad(r, key, "unknown value");
}

/* A list of codes parsed by `parse` into a bit mask. */
static gj_err get_mask(reader *r, json_t *obj, const char *key, int (*parse)(const char *),
                       uint32_t *out) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_ARRAY, &e);
    if (!v) return e;
    size_t i;
    json_t *item;
    *out = 0;
    json_array_foreach(v, i, item) {
        int code = json_is_string(item) ? parse(json_string_value(item)) : -1;
        if (code < 0) return bad(r, key, "unknown code in list");
        *out |= 1u << code;
    }
    return GJ_E_OK;
}

/* An ordered list naming each layer exactly once. */
static gj_err get_layer_order(reader *r, json_t *obj, const char *key, gj_layer out[]) {
    gj_err e = GJ_E_OK;
    json_t *v = member(r, obj, key, JSON_ARRAY, &e);
    if (!v) return e;
    if (json_array_size(v) != GJ_LAYER_COUNT) return bad(r, key, "must name every layer once");
    uint32_t seen = 0;
    for (size_t i = 0; i < GJ_LAYER_COUNT; i++) {
        json_t *item = json_array_get(v, i);
        int l = json_is_string(item) ? gj_layer_parse(json_string_value(item)) : -1;
        if (l < 0 || (seen & (1u << l))) return bad(r, key, "must name every layer once");
        seen |= 1u << l;
        out[i] = (gj_layer)l;
    }
    return GJ_E_OK;
}

static int parse_insutype_index(const char *code) { return gj_insutype_known(code) ? 0 : -1; }

static gj_err parse_donor(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"schemes", "min_balance_yuan", "reserve_floor_yuan",
                                       "shareable_layers", "layer_order", NULL};
    gj_err e = only_keys(r, o, keys);
    json_t *schemes = e ? NULL : member(r, o, "schemes", JSON_ARRAY, &e);
    if (e) return e;
    if (json_array_size(schemes) == 0 || json_array_size(schemes) > GJ_POLICY_SCHEMES_MAX)
        return bad(r, "schemes", "1 to 4 schemes");
    for (size_t i = 0; i < json_array_size(schemes); i++) {
        const char *code = json_string_value(json_array_get(schemes, i));
        if (parse_insutype_index(code) < 0) return bad(r, "schemes", "unknown insutype");
        snprintf(p->donor.schemes[i], sizeof p->donor.schemes[i], "%s", code);
    }
    p->donor.scheme_count = (int)json_array_size(schemes);
    uint32_t shareable = 0;
    if ((e = get_amount(r, o, "min_balance_yuan", &p->donor.min_balance_fen)) ||
        (e = get_amount(r, o, "reserve_floor_yuan", &p->donor.reserve_floor_fen)) ||
        (e = get_mask(r, o, "shareable_layers", gj_layer_parse, &shareable)) ||
        (e = get_layer_order(r, o, "layer_order", p->donor.layer_order)))
        return e;
    if (shareable == 0) return bad(r, "shareable_layers", "at least one layer");
    for (int l = 0; l < GJ_LAYER_COUNT; l++) p->donor.shareable[l] = shareable & (1u << l);
    return GJ_E_OK;
}

static gj_err parse_relations(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"payment", "contribution", "children_minor_only",
                                       "minor_age", NULL};
    gj_err e;
    if ((e = only_keys(r, o, keys)) ||
        (e = get_mask(r, o, "payment", gj_relation_parse, &p->relations.payment_mask)) ||
        (e = get_mask(r, o, "contribution", gj_relation_parse,
                      &p->relations.contribution_mask)) ||
        (e = get_bool(r, o, "children_minor_only", &p->relations.children_minor_only)) ||
        (e = get_int(r, o, "minor_age", 1, 30, &p->relations.minor_age)))
        return e;
    return GJ_E_OK;
}

/* A default (-1: none) must not exceed its maximum (-1: no maximum): a new binding would
 * otherwise get a limit that the region's own rule refuses (R3.5). Names the default's key. */
static gj_err check_default_within_max(reader *r, const char *default_key, gj_fen default_fen,
                                       const char *max_key, gj_fen max_fen) {
    assert(default_fen >= -1 && max_fen >= -1);
    if (default_fen < 0 || max_fen < 0 || default_fen <= max_fen) return GJ_E_OK;
    char why[96];
    snprintf(why, sizeof why, "default above %s", max_key);
    return bad(r, default_key, why);
}

static gj_err parse_network(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {
        "max_members", "donors_per_member", "one_direction", "consent_age", "temporary_members",
        "modes", "commitment_required", "authorized_amount", "consumption_limit_default_yuan",
        "consumption_limit_max_yuan", NULL};
    uint32_t modes = 0;
    gj_err e;
    if ((e = only_keys(r, o, keys)) ||
        (e = get_int(r, o, "max_members", 1, 50, &p->network.max_members)) ||
        (e = get_int(r, o, "donors_per_member", 1, 10, &p->network.donors_per_member)) ||
        (e = get_bool(r, o, "one_direction", &p->network.one_direction)) ||
        (e = get_int(r, o, "consent_age", 0, 30, &p->network.consent_age)) ||
        (e = get_bool(r, o, "temporary_members", &p->network.temporary_members)) ||
        (e = get_mask(r, o, "modes", gj_mode_parse, &modes)) ||
        (e = get_bool(r, o, "commitment_required", &p->network.commitment_required)) ||
        (e = get_bool(r, o, "authorized_amount", &p->network.authorized_amount)) ||
        (e = get_optional_amount(r, o, "consumption_limit_default_yuan",
                                 &p->network.consumption_limit_default_fen)) ||
        (e = get_optional_amount(r, o, "consumption_limit_max_yuan",
                                 &p->network.consumption_limit_max_fen)))
        return e;
    /* get_mask stores 1 << mode; modes are already bit values 1 and 2 */
    p->network.modes_mask = (int)(modes >> 1);
    if (p->network.modes_mask == 0) return bad(r, "modes", "at least one mode");
    return check_default_within_max(r, "consumption_limit_default_yuan",
                                    p->network.consumption_limit_default_fen,
                                    "consumption_limit_max_yuan",
                                    p->network.consumption_limit_max_fen);
}

static gj_err parse_unbind(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"effect", "rebind", NULL};
    static const char *const when[] = {"immediate", "next_day", NULL};
    int effect = 0, rebind = 0;
    gj_err e;
    if ((e = only_keys(r, o, keys)) || (e = get_choice(r, o, "effect", when, &effect)) ||
        (e = get_choice(r, o, "rebind", when, &rebind)))
        return e;
    p->unbind.effect_next_day = effect == 1;
    p->unbind.rebind_next_day = rebind == 1;
    return GJ_E_OK;
}

static gj_err parse_settlement(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {
        "own_layer_order", "donor_order", "own_payable_classes", "mulaid_payable_classes",
        "mulaid_in_acct_pay", "excluded_categories", "relief_exclusion", NULL};
    static const char *const orders[] = {"creator_first", "binding_time", "member_choice", NULL};
    int order = 0;
    gj_err e;
    if ((e = only_keys(r, o, keys)) ||
        (e = get_layer_order(r, o, "own_layer_order", p->settlement.own_layer_order)) ||
        (e = get_choice(r, o, "donor_order", orders, &order)) ||
        (e = get_mask(r, o, "own_payable_classes", gj_class_parse,
                      &p->settlement.own_classes_mask)) ||
        (e = get_mask(r, o, "mulaid_payable_classes", gj_class_parse,
                      &p->settlement.mulaid_classes_mask)) ||
        (e = get_bool(r, o, "mulaid_in_acct_pay", &p->settlement.mulaid_in_acct_pay)) ||
        (e = get_mask(r, o, "excluded_categories", gj_category_parse,
                      &p->settlement.excluded_mask)) ||
        (e = get_bool(r, o, "relief_exclusion", &p->settlement.relief_exclusion)))
        return e;
    if (p->settlement.mulaid_classes_mask & (1u << GJ_CLASS_FULAMT_OWNPAY))
        return bad(r, "mulaid_payable_classes", "fulamt_ownpay is never payable by mutual aid (R4.3)");
    p->settlement.donor_order = (gj_donor_order)order;
    return GJ_E_OK;
}

static gj_err parse_fund_rule(reader *r, json_t *o, const char *insutype, const char *med_type,
                              gj_fund_rule *rule) {
    static const char *const keys[] = {"deductible_yuan", "ratio", "annual_cap_yuan", "bucket",
                                       NULL};
    gj_err e = only_keys(r, o, keys);
    json_t *ratio = e ? NULL : member(r, o, "ratio", JSON_STRING, &e);
    json_t *bucket = e ? NULL : json_object_get(o, "bucket");
    if (e) return e;
    if (gj_ratio_parse(json_string_value(ratio), &rule->ratio_bp) != GJ_E_OK)
        return bad(r, "ratio", "ratio between 0 and 1, at most 4 decimals");
    if (bucket != NULL && (!json_is_string(bucket) || json_string_length(bucket) == 0 ||
                           json_string_length(bucket) >= sizeof rule->bucket))
        return bad(r, "bucket", "short name expected");
    snprintf(rule->insutype, sizeof rule->insutype, "%s", insutype);
    snprintf(rule->med_type, sizeof rule->med_type, "%s", med_type);
    snprintf(rule->bucket, sizeof rule->bucket, "%s",
             bucket ? json_string_value(bucket) : med_type);
    if ((e = get_amount(r, o, "deductible_yuan", &rule->deductible_fen)) ||
        (e = get_amount(r, o, "annual_cap_yuan", &rule->annual_cap_fen)))
        return e;
    return GJ_E_OK;
}

static gj_err parse_fund(reader *r, json_t *o, gj_policy *p) {
    const char *insutype, *med_type;
    json_t *by_type, *rule;
    p->fund_count = 0;
    json_object_foreach(o, insutype, by_type) {
        if (!gj_insutype_known(insutype)) return bad(r, insutype, "unknown insutype");
        if (!json_is_object(by_type)) return bad(r, insutype, "object expected");
        size_t outer = enter(r, insutype);
        json_object_foreach(by_type, med_type, rule) {
            if (strcmp(med_type, "*") != 0 && !gj_med_type_known(med_type))
                return bad(r, med_type, "unknown med_type");
            if (!json_is_object(rule)) return bad(r, med_type, "object expected");
            if (p->fund_count >= GJ_POLICY_FUND_MAX) return bad(r, med_type, "too many rules");
            size_t inner = enter(r, med_type);
            gj_err e = parse_fund_rule(r, rule, insutype, med_type, &p->fund[p->fund_count++]);
            leave(r, inner);
            if (e) return e;
        }
        leave(r, outer);
    }
    return GJ_E_OK;
}

static gj_err parse_premium_year(reader *r, json_t *o, const char *year_text,
                                 gj_premium_standard *s) {
    static const char *const keys[] = {"standard_yuan", "window_from", "window_to",
                                       "benefit_from", "benefit_to", NULL};
    int year = 0;
    if (sscanf(year_text, "%4d", &year) != 1 || year < 2000 || year > 2100 ||
        strlen(year_text) != 4)
        return bad(r, year_text, "year expected");
    s->year = year;
    size_t old = enter(r, year_text);
    gj_err e;
    if (!json_is_object(o)) e = bad(r, "", "object expected");
    else if ((e = only_keys(r, o, keys)) || (e = get_amount(r, o, "standard_yuan", &s->standard_fen)) ||
             (e = get_date(r, o, "window_from", &s->window_from)) ||
             (e = get_date(r, o, "window_to", &s->window_to)) ||
             (e = get_date(r, o, "benefit_from", &s->benefit_from)) ||
             (e = get_date(r, o, "benefit_to", &s->benefit_to))) {
    } else if (s->window_from > s->window_to || s->benefit_from > s->benefit_to) {
        e = bad(r, "window_to", "period ends before it starts");
    }
    leave(r, old);
    return e;
}

static gj_err parse_premium(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"standards", "late_payment_allowed", "late_waiting_months",
                                       "min_remaining_yuan", "from_pool", NULL};
    gj_err e = only_keys(r, o, keys);
    json_t *standards = e ? NULL : member(r, o, "standards", JSON_OBJECT, &e);
    if (e) return e;
    const char *year;
    json_t *s;
    size_t old = enter(r, "standards");
    p->premium.standard_count = 0;
    json_object_foreach(standards, year, s) {
        if (p->premium.standard_count >= GJ_POLICY_PREMIUM_YEARS_MAX) e = bad(r, year, "too many years");
        else e = parse_premium_year(r, s, year, &p->premium.standards[p->premium.standard_count++]);
        if (e) break;
    }
    leave(r, old);
    if (e || (e = get_bool(r, o, "late_payment_allowed", &p->premium.late_payment_allowed)) ||
        (e = get_int(r, o, "late_waiting_months", 0, 24, &p->premium.late_waiting_months)) ||
        (e = get_amount(r, o, "min_remaining_yuan", &p->premium.min_remaining_fen)) ||
        (e = get_bool(r, o, "from_pool", &p->premium.from_pool)))
        return e;
    return GJ_E_OK;
}

/* R7.3: the wallet's transfer restrictions. */
static gj_err parse_wallet(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"employee_to_resident_only", "cross_province", NULL};
    gj_err e;
    if ((e = only_keys(r, o, keys)) ||
        (e = get_bool(r, o, "employee_to_resident_only", &p->wallet.employee_to_resident_only)))
        return e;
    return get_bool(r, o, "cross_province", &p->wallet.cross_province);
}

static gj_err parse_commercial(reader *r, json_t *o, gj_policy *p) {
    static const char *const keys[] = {"products", NULL};
    gj_err e = only_keys(r, o, keys);
    json_t *products = e ? NULL : member(r, o, "products", JSON_ARRAY, &e);
    if (e) return e;
    if (json_array_size(products) > GJ_POLICY_PRODUCTS_MAX) return bad(r, "products", "too many");
    size_t i;
    json_t *item;
    p->product_count = 0;
    json_array_foreach(products, i, item) {
        const char *code = json_string_value(json_object_get(item, "code"));
        const char *name = json_string_value(json_object_get(item, "name"));
        if (!code || !name || json_object_size(item) != 2 || strlen(code) >= 32 || !*code ||
            strlen(name) >= 96)
            return bad(r, "products", "each product is {code, name}");
        gj_product *prod = &p->products[p->product_count++];
        snprintf(prod->code, sizeof prod->code, "%s", code);
        snprintf(prod->name, sizeof prod->name, "%s", name);
    }
    return GJ_E_OK;
}

typedef gj_err (*section_parser)(reader *r, json_t *o, gj_policy *p);

static gj_err parse_section(reader *r, json_t *settings, const char *key, section_parser fn,
                            gj_policy *p) {
    gj_err e = GJ_E_OK;
    json_t *o = member(r, settings, key, JSON_OBJECT, &e);
    if (!o) return e;
    size_t old = enter(r, key);
    e = fn(r, o, p);
    leave(r, old);
    return e;
}

gj_err gj_policy_parse_settings(json_t *settings, gj_policy *p, gj_status *st) {
    static const char *const keys[] = {"fund_model", "donor", "relations", "geography",
                                       "network", "unbind", "settlement", "fund", "premium",
                                       "commercial", "wallet", NULL};
    static const char *const models[] = {"direct", "pool", "wallet", "group", NULL};
    static const char *const scopes[] = {"province", "city", NULL};
    reader r = {.st = st, .path = "settings"};
    int model = 0, scope = 0;
    gj_err e = GJ_E_OK;
    json_t *geo = NULL;
    if ((e = only_keys(&r, settings, keys)) ||
        (e = get_choice(&r, settings, "fund_model", models, &model)) ||
        (e = parse_section(&r, settings, "donor", parse_donor, p)) ||
        (e = parse_section(&r, settings, "relations", parse_relations, p)) ||
        (e = parse_section(&r, settings, "network", parse_network, p)) ||
        (e = parse_section(&r, settings, "unbind", parse_unbind, p)) ||
        (e = parse_section(&r, settings, "settlement", parse_settlement, p)) ||
        (e = parse_section(&r, settings, "fund", parse_fund, p)) ||
        (e = parse_section(&r, settings, "premium", parse_premium, p)) ||
        (e = parse_section(&r, settings, "commercial", parse_commercial, p)) ||
        (e = parse_section(&r, settings, "wallet", parse_wallet, p)) ||
        !(geo = member(&r, settings, "geography", JSON_OBJECT, &e)))
        return e;
    static const char *const geo_keys[] = {"scope", "cross_province", "remote_care_required", NULL};
    size_t old = enter(&r, "geography");
    if ((e = only_keys(&r, geo, geo_keys)) == GJ_E_OK &&
        (e = get_choice(&r, geo, "scope", scopes, &scope)) == GJ_E_OK &&
        (e = get_bool(&r, geo, "cross_province", &p->geo_cross_province)) == GJ_E_OK)
        e = get_bool(&r, geo, "remote_care_required", &p->geo_remote_care_required);
    leave(&r, old);
    p->fund_model = (gj_fund_model)model;
    p->geo_scope = (gj_geo_scope)scope;
    return e;
}
