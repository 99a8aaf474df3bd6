/* policy_json.c — regional policies as JSON (gongji/policy_json.h), one copy for the CLI and
 * gongjid: enums to their codes, bit masks to code lists, fen to yuan strings, basis points to
 * ratio strings; the list of policy files; the policy in force for a region on a date. */
#include "gongji/policy_json.h"

#include <stdio.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "gongji/jsonx.h"

enum { RATIO_TEXT_MAX = 16, BP_PER_UNIT = 10000 };

static const char *const fund_models[] = {"direct", "pool", "wallet", "group"};
static const char *const geo_scopes[] = {"province", "city"};
static const char *const donor_orders[] = {"creator_first", "binding_time", "member_choice"};

static json_t *yuan_or_null(gj_fen fen) { return fen < 0 ? json_null() : gj_json_yuan(fen); }

static json_t *next_day(bool yes) { return json_string(yes ? "next_day" : "immediate"); }

static json_t *date_json(gj_date d) {
    char buf[GJ_DATE_TEXT_MAX];
    return json_string(gj_date_format(d, buf, sizeof buf));
}

/* 7000 → "0.70", 9550 → "0.955": four decimals, trailing zeros trimmed down to two. */
static json_t *ratio_json(int32_t bp) {
    char buf[RATIO_TEXT_MAX];
    snprintf(buf, sizeof buf, "%d.%04d", bp / BP_PER_UNIT, bp % BP_PER_UNIT);
    size_t len = strlen(buf), min_len = strcspn(buf, ".") + 3;
    while (len > min_len && buf[len - 1] == '0') buf[--len] = '\0';
    return json_string(buf);
}

static json_t *layers_json(const gj_layer *layers) {
    json_t *list = json_array();
    for (int i = 0; i < GJ_LAYER_COUNT; i++)
        json_array_append_new(list, json_string(gj_layer_code(layers[i])));
    return list;
}

static json_t *shareable_json(const bool *shareable) {
    json_t *list = json_array();
    for (int i = 0; i < GJ_LAYER_COUNT; i++)
        if (shareable[i]) json_array_append_new(list, json_string(gj_layer_code((gj_layer)i)));
    return list;
}

typedef const char *(*code_fn)(int);
static const char *relation_code(int i) { return gj_relation_code((gj_relation)i); }
static const char *class_code(int i) { return gj_class_code((gj_bill_class)i); }
static const char *category_code(int i) { return gj_category_code((gj_category)i); }
static const char *mode_code(int i) { return i == 0 ? "payment" : "contribution"; }

static json_t *mask_json(uint32_t mask, int count, code_fn code) {
    json_t *list = json_array();
    for (int i = 0; i < count; i++)
        if (mask & (1u << i)) json_array_append_new(list, json_string(code(i)));
    return list;
}

static void put(json_t *obj, const char *key, json_t *value) {
    json_object_set_new(obj, key, value);
}

static json_t *donor_json(const gj_policy *p) {
    json_t *d = json_object(), *schemes = json_array();
    for (int i = 0; i < p->donor.scheme_count; i++)
        json_array_append_new(schemes, json_string(p->donor.schemes[i]));
    put(d, "schemes", schemes);
    put(d, "min_balance_yuan", gj_json_yuan(p->donor.min_balance_fen));
    put(d, "reserve_floor_yuan", gj_json_yuan(p->donor.reserve_floor_fen));
    put(d, "shareable_layers", shareable_json(p->donor.shareable));
    put(d, "layer_order", layers_json(p->donor.layer_order));
    return d;
}

static json_t *relations_json(const gj_policy *p) {
    json_t *r = json_object();
    put(r, "payment", mask_json(p->relations.payment_mask, GJ_REL_COUNT, relation_code));
    put(r, "contribution", mask_json(p->relations.contribution_mask, GJ_REL_COUNT, relation_code));
    put(r, "children_minor_only", json_boolean(p->relations.children_minor_only));
    put(r, "minor_age", json_integer(p->relations.minor_age));
    return r;
}

static json_t *network_json(const gj_policy *p) {
    json_t *n = json_object();
    put(n, "max_members", json_integer(p->network.max_members));
    put(n, "donors_per_member", json_integer(p->network.donors_per_member));
    put(n, "one_direction", json_boolean(p->network.one_direction));
    put(n, "consent_age", json_integer(p->network.consent_age));
    put(n, "temporary_members", json_boolean(p->network.temporary_members));
    put(n, "modes", mask_json((uint32_t)p->network.modes_mask, 2, mode_code));
    put(n, "commitment_required", json_boolean(p->network.commitment_required));
    put(n, "authorized_amount", json_boolean(p->network.authorized_amount));
    put(n, "consumption_limit_default_yuan",
        yuan_or_null(p->network.consumption_limit_default_fen));
    put(n, "consumption_limit_max_yuan", yuan_or_null(p->network.consumption_limit_max_fen));
    return n;
}

static json_t *settlement_json(const gj_policy *p) {
    json_t *s = json_object();
    put(s, "own_layer_order", layers_json(p->settlement.own_layer_order));
    put(s, "donor_order", json_string(donor_orders[p->settlement.donor_order]));
    put(s, "own_payable_classes",
        mask_json(p->settlement.own_classes_mask, GJ_CLASS_COUNT, class_code));
    put(s, "mulaid_payable_classes",
        mask_json(p->settlement.mulaid_classes_mask, GJ_CLASS_COUNT, class_code));
    put(s, "mulaid_in_acct_pay", json_boolean(p->settlement.mulaid_in_acct_pay));
    put(s, "excluded_categories",
        mask_json(p->settlement.excluded_mask, GJ_CAT_COUNT, category_code));
    put(s, "relief_exclusion", json_boolean(p->settlement.relief_exclusion));
    return s;
}

static json_t *fund_rule_json(const gj_fund_rule *r) {
    json_t *rule = json_object();
    put(rule, "deductible_yuan", gj_json_yuan(r->deductible_fen));
    put(rule, "ratio", ratio_json(r->ratio_bp));
    put(rule, "annual_cap_yuan", gj_json_yuan(r->annual_cap_fen));
    put(rule, "bucket", json_string(r->bucket));
    return rule;
}

/* {"310": {"11": {deductible_yuan, ratio, annual_cap_yuan, bucket}, …}, …} */
static json_t *fund_json(const gj_policy *p) {
    json_t *fund = json_object();
    for (int i = 0; i < p->fund_count; i++) {
        const gj_fund_rule *r = &p->fund[i];
        json_t *scheme = json_object_get(fund, r->insutype);
        if (scheme == NULL) put(fund, r->insutype, scheme = json_object());
        put(scheme, r->med_type, fund_rule_json(r));
    }
    return fund;
}

static json_t *premium_standard_json(const gj_premium_standard *s) {
    json_t *standard = json_object();
    put(standard, "standard_yuan", gj_json_yuan(s->standard_fen));
    put(standard, "window_from", date_json(s->window_from));
    put(standard, "window_to", date_json(s->window_to));
    put(standard, "benefit_from", date_json(s->benefit_from));
    put(standard, "benefit_to", date_json(s->benefit_to));
    return standard;
}

static json_t *premium_json(const gj_policy *p) {
    json_t *premium = json_object(), *standards = json_object();
    for (int i = 0; i < p->premium.standard_count; i++) {
        char year[12];
        snprintf(year, sizeof year, "%d", p->premium.standards[i].year);
        put(standards, year, premium_standard_json(&p->premium.standards[i]));
    }
    put(premium, "standards", standards);
    put(premium, "late_payment_allowed", json_boolean(p->premium.late_payment_allowed));
    put(premium, "late_waiting_months", json_integer(p->premium.late_waiting_months));
    put(premium, "min_remaining_yuan", gj_json_yuan(p->premium.min_remaining_fen));
    put(premium, "from_pool", json_boolean(p->premium.from_pool));
    return premium;
}

static json_t *commercial_json(const gj_policy *p) {
    json_t *products = json_array();
    for (int i = 0; i < p->product_count; i++)
        json_array_append_new(products, json_pack("{s:s, s:s}", "code", p->products[i].code,
                                                  "name", p->products[i].name));
    return json_pack("{s:o}", "products", products);
}

json_t *gj_policy_json(const gj_policy *p) {
    json_t *settings = json_object();
    put(settings, "fund_model", json_string(fund_models[p->fund_model]));
    put(settings, "donor", donor_json(p));
    put(settings, "relations", relations_json(p));
    put(settings, "geography", json_pack("{s:s, s:b, s:b}", "scope", geo_scopes[p->geo_scope],
                                         "cross_province", p->geo_cross_province,
                                         "remote_care_required", p->geo_remote_care_required));
    put(settings, "network", network_json(p));
    put(settings, "unbind", json_pack("{s:o, s:o}", "effect", next_day(p->unbind.effect_next_day),
                                      "rebind", next_day(p->unbind.rebind_next_day)));
    put(settings, "settlement", settlement_json(p));
    put(settings, "fund", fund_json(p));
    put(settings, "premium", premium_json(p));
    put(settings, "commercial", commercial_json(p));
    put(settings, "wallet", json_pack("{s:b, s:b}", "employee_to_resident_only",
                                      p->wallet.employee_to_resident_only, "cross_province",
                                      p->wallet.cross_province));
    return settings;
}

static json_t *policy_entry_json(const gj_policy_set *set, int i) {
    const char *region = NULL, *name = NULL, *file = NULL;
    int version_count = 0;
    gj_policy_set_entry(set, i, &region, &name, &file, &version_count);
    const char *slash = strrchr(file, '/');
    json_t *versions = json_array();
    for (int v = 0; v < version_count; v++)
        json_array_append_new(versions, json_string(gj_policy_set_version_date(set, i, v)));
    return json_pack("{s:s, s:s, s:s, s:o}", "region", region, "name", name, "file",
                     slash != NULL ? slash + 1 : file, "versions", versions);
}

json_t *gj_policy_list_json(const gj_policy_set *set) {
    json_t *list = json_array();
    for (int i = 0; i < gj_policy_set_count(set); i++)
        json_array_append_new(list, policy_entry_json(set, i));
    return list;
}

gj_err gj_policy_show_json(gj_policy_set *set, const char *admdvs, gj_date on, json_t **out,
                           gj_status *st) {
    const gj_policy *p = NULL;
    char on_text[GJ_DATE_TEXT_MAX];
    if (gj_admdvs_valid(admdvs) && !gj_policy_in_force(set, admdvs, on))   /* a question, answered */
        return gj_fail(st, GJ_E_NOT_FOUND, "no policy in force for %s on %s", admdvs,
                       gj_date_format(on, on_text, sizeof on_text));
    gj_err err = gj_policy_resolve(set, admdvs, on, &p, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s, s:o}", "region", p->region, "on",
                         gj_date_format(on, on_text, sizeof on_text), "version_id", p->version_id,
                         "settings", gj_policy_json(p));
    return err;
}
