/* policy_query.c — pure lookups on a resolved policy: fund rule, premium standard, products,
 * relation scope per mode, donor schemes, the consumption limit bounding a binding. */
#include <assert.h>
#include <string.h>

#include "gongji/policy.h"

const gj_fund_rule *gj_policy_fund_rule(const gj_policy *p, const char *insutype,
                                        const char *med_type) {
    const gj_fund_rule *fallback = NULL;
    for (int i = 0; i < p->fund_count; i++) {
        const gj_fund_rule *r = &p->fund[i];
        if (strcmp(r->insutype, insutype) != 0) continue;
        if (strcmp(r->med_type, med_type) == 0) return r;
        if (strcmp(r->med_type, "*") == 0) fallback = r;
    }
    return fallback;
}

const gj_premium_standard *gj_policy_premium(const gj_policy *p, int year) {
    for (int i = 0; i < p->premium.standard_count; i++)
        if (p->premium.standards[i].year == year) return &p->premium.standards[i];
    return NULL;
}

const gj_product *gj_policy_product(const gj_policy *p, const char *code) {
    for (int i = 0; i < p->product_count; i++)
        if (strcmp(p->products[i].code, code) == 0) return &p->products[i];
    return NULL;
}

bool gj_policy_relation_allowed(const gj_policy *p, gj_relation r, gj_mode mode) {
    uint32_t mask = mode == GJ_MODE_PAYMENT ? p->relations.payment_mask
                                            : p->relations.contribution_mask;
    return (mask & (1u << r)) != 0;
}

bool gj_policy_donor_scheme(const gj_policy *p, const char *insutype) {
    for (int i = 0; i < p->donor.scheme_count; i++)
        if (strcmp(p->donor.schemes[i], insutype) == 0) return true;
    return false;
}

/* gj_policy_binding_limit: see gongji/policy.h. */
gj_fen gj_policy_binding_limit(const gj_policy *p, gj_fen own_fen, bool *by_max) {
    gj_fen max = p->network.consumption_limit_max_fen;
    assert(own_fen >= -1 && max >= -1);
    *by_max = max >= 0 && (own_fen < 0 || max < own_fen);
    return *by_max ? max : own_fen;
}
