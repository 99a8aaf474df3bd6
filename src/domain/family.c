/* family.c — eligibility rules for family networks (R1.2, R1.4, R2, R3), without I/O. */
#include <assert.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "gongji/family.h"

static const char *const psn_status_codes[] = {"active", "suspended", "terminated"};
static const char *const binding_status_codes[] = {"pending", "active", "ended", "rejected"};

gj_psn_status gj_psn_status_parse(const char *code, bool *ok) {
    for (int i = 0; i < 3; i++)
        if (code && strcmp(code, psn_status_codes[i]) == 0) {
            *ok = true;
            return (gj_psn_status)i;
        }
    *ok = false;
    return GJ_PSN_TERMINATED;
}
const char *gj_psn_status_code(gj_psn_status s) { return psn_status_codes[s]; }

gj_binding_status gj_binding_status_parse(const char *code) {
    for (int i = 0; i < 4; i++)
        if (strcmp(code, binding_status_codes[i]) == 0) return (gj_binding_status)i;
    assert(!"unknown binding status in store");
    return GJ_BIND_ENDED;
}
const char *gj_binding_status_code(gj_binding_status s) { return binding_status_codes[s]; }

gj_err gj_family_check_donor(const gj_policy *p, const gj_person_facts *donor, gj_status *st) {
    if (donor->status != GJ_PSN_ACTIVE || !gj_policy_donor_scheme(p, donor->insutype))
        return gj_fail(st, GJ_E_DONOR_NOT_EMPLOYEE, "donor insutype %s, status %s",
                       donor->insutype, gj_psn_status_code(donor->status));
    if (donor->account_frozen) return gj_fail(st, GJ_E_FROZEN, "donor account frozen");
    if (donor->balance_fen < p->donor.min_balance_fen)
        return gj_fail(st, GJ_E_DONOR_NO_BALANCE, "balance below the region's minimum");
    return GJ_E_OK;
}

static gj_err check_member_insured(const gj_person_facts *m, gj_status *st) {
    if (strcmp(m->insutype, "310") != 0 && strcmp(m->insutype, "390") != 0)
        return gj_fail(st, GJ_E_MEMBER_NOT_INSURED, "member insutype %s", m->insutype);
    if (m->status != GJ_PSN_ACTIVE)
        return gj_fail(st, GJ_E_PERSON_NOT_ACTIVE, "member status %s", gj_psn_status_code(m->status));
    return GJ_E_OK;
}

/* R2.1–R2.3: relation in scope for every requested mode on `today`; minors-only children. */
static gj_err check_relation(const gj_policy *p, const gj_person_facts *member, gj_relation rel,
                             int modes, gj_date today, gj_status *st) {
    for (int mode = GJ_MODE_PAYMENT; mode <= GJ_MODE_CONTRIBUTION; mode <<= 1) {
        if ((modes & mode) && !gj_policy_relation_allowed(p, rel, (gj_mode)mode))
            return gj_fail(st, GJ_E_RELATION_NOT_ALLOWED, "%s not allowed for %s",
                           gj_relation_code(rel), mode == GJ_MODE_PAYMENT ? "payment" : "contribution");
    }
    if (rel == GJ_REL_CHILD && p->relations.children_minor_only &&
        gj_age_years(member->birth, today) >= p->relations.minor_age)
        return gj_fail(st, GJ_E_CHILD_NOT_MINOR, "child aged %d", gj_age_years(member->birth, today));
    return GJ_E_OK;
}

/* R8.1: both regions take part in cross-province mutual aid today. */
static bool cross_province_partners(const gj_policy *p, const gj_person_facts *donor,
                                    const gj_person_facts *member) {
    return !gj_admdvs_same_province(donor->admdvs, member->admdvs) && p->geo_cross_province &&
           member->region_cross_province;
}

static gj_err check_geography(const gj_policy *p, const gj_person_facts *donor,
                              const gj_person_facts *member, gj_status *st) {
    bool same = p->geo_scope == GJ_SCOPE_CITY ? gj_admdvs_same_city(donor->admdvs, member->admdvs)
                                              : gj_admdvs_same_province(donor->admdvs, member->admdvs);
    if (!same && !cross_province_partners(p, donor, member))
        return gj_fail(st, GJ_E_OUT_OF_REGION, "member insured in %s, donor in %s (scope %s)",
                       member->admdvs, donor->admdvs,
                       p->geo_scope == GJ_SCOPE_CITY ? "city" : "province");
    return GJ_E_OK;
}

static gj_err check_counts(const gj_policy *p, const gj_network_counts *c, gj_time now,
                           gj_status *st) {
    /* R9.2: a freeze outlives the binding; only staff lift it (unfreeze). */
    if (c->pair_frozen)
        return gj_fail(st, GJ_E_FROZEN, "a binding of this pair is frozen; staff must unfreeze it first");
    /* Checked first: a binding ended today still counts as bound until 24:00 (R3.6), and the
     * person should hear why they must wait, not that the pair is bound. */
    if (p->unbind.rebind_next_day && c->pair_last_unbind != 0 &&
        gj_time_date(c->pair_last_unbind) >= gj_time_date(now))
        return gj_fail(st, GJ_E_REBIND_TOO_SOON, "unbound today; rebind from tomorrow");
    if (c->pair_bound) return gj_fail(st, GJ_E_ALREADY_BOUND, "pair already bound or invited");
    if (c->donor_members >= p->network.max_members)
        return gj_fail(st, GJ_E_TOO_MANY_MEMBERS, "limit %d", p->network.max_members);
    if (c->member_donors >= p->network.donors_per_member)
        return gj_fail(st, GJ_E_MEMBER_HAS_DONOR, "limit %d donor(s) per member",
                       p->network.donors_per_member);
    if (p->network.one_direction && (c->donor_is_member || c->member_is_donor))
        return gj_fail(st, GJ_E_ONE_DIRECTION, "%s", c->donor_is_member ? "donor is bound as a member"
                                                                       : "member funds others");
    return GJ_E_OK;
}

static gj_err check_modes(const gj_policy *p, int modes, bool temporary, gj_status *st) {
    if (modes == 0 || (modes & ~p->network.modes_mask) != 0)
        return gj_fail(st, GJ_E_MODE_NOT_ALLOWED, "mode not offered in this region");
    if (temporary && (!p->network.temporary_members || modes != GJ_MODE_CONTRIBUTION))
        return gj_fail(st, GJ_E_TEMPORARY_NOT_ALLOWED, "%s", p->network.temporary_members
                           ? "temporary members are for contribution only" : "not offered here");
    return GJ_E_OK;
}

gj_err gj_family_check_invite(const gj_policy *p, const gj_person_facts *donor,
                              const gj_person_facts *member, gj_relation relation, int modes,
                              bool temporary, const gj_network_counts *counts, gj_time now,
                              gj_status *st) {
    assert(relation < GJ_REL_COUNT);
    gj_err e;
    if (strcmp(donor->psn_no, member->psn_no) == 0)
        return gj_fail(st, GJ_E_SELF_BINDING, "donor and member are the same person");
    if ((e = gj_family_check_donor(p, donor, st)) || (e = check_member_insured(member, st)) ||
        (e = check_modes(p, modes, temporary, st)) ||
        (e = check_relation(p, member, relation, modes, gj_time_date(now), st)) ||
        (e = check_geography(p, donor, member, st)) || (e = check_counts(p, counts, now, st)))
        return e;
    return GJ_E_OK;
}

bool gj_family_needs_consent(const gj_policy *p, const gj_person_facts *member, gj_date today) {
    return gj_age_years(member->birth, today) >= p->network.consent_age;
}

gj_err gj_family_check_use(const gj_policy *p, const gj_binding_facts *b,
                           const gj_person_facts *donor, const gj_person_facts *member,
                           gj_mode mode, gj_time at, gj_status *st) {
    if (b->status == GJ_BIND_PENDING || b->status == GJ_BIND_REJECTED || at < b->active_from ||
        (b->active_until != 0 && at >= b->active_until))
        return gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "binding %s", gj_binding_status_code(b->status));
    if (b->frozen) return gj_fail(st, GJ_E_FROZEN, "binding frozen");
    if (!(b->modes & (int)mode) || (mode == GJ_MODE_PAYMENT && b->temporary))
        return gj_fail(st, GJ_E_MODE_NOT_ALLOWED, "%s not selected",
                       mode == GJ_MODE_PAYMENT ? "payment" : "contribution");
    gj_err e;
    if ((e = check_relation(p, member, b->relation, (int)mode, gj_time_date(at), st)) ||
        (e = gj_family_check_donor(p, donor, st)) || (e = check_member_insured(member, st)) ||
        (e = check_geography(p, donor, member, st)))
        return e;
    if (!gj_admdvs_same_province(donor->admdvs, member->admdvs) && p->geo_remote_care_required &&
        !member->remote_care)
        return gj_fail(st, GJ_E_REMOTE_CARE_REQUIRED, "member %s has no remote-care registration today",
                       member->psn_no);
    return GJ_E_OK;
}

gj_time gj_family_unbind_effective(const gj_policy *p, gj_time now) {
    return p->unbind.effect_next_day ? gj_date_start(gj_time_date(now) + 1) : now;
}

gj_err gj_family_check_wallet(const gj_policy *dp, const gj_policy *rp, const gj_person_facts *donor,
                              const gj_person_facts *recipient, gj_relation relation, gj_date today,
                              gj_status *st) {
    assert(relation < GJ_REL_COUNT);
    gj_err e;
    if (dp->fund_model != GJ_FUND_WALLET || rp->fund_model != GJ_FUND_WALLET)
        return gj_fail(st, GJ_E_NOT_WALLET_REGION, "%s", dp->fund_model != GJ_FUND_WALLET
                           ? "the donor's region" : "the recipient's region");
    if (strcmp(donor->psn_no, recipient->psn_no) == 0)
        return gj_fail(st, GJ_E_SELF_BINDING, "donor and recipient are the same person");
    if ((e = gj_family_check_donor(dp, donor, st)) || (e = check_member_insured(recipient, st)) ||
        (e = check_relation(dp, recipient, relation, GJ_MODE_PAYMENT, today, st)))
        return e;
    if ((dp->wallet.employee_to_resident_only || rp->wallet.employee_to_resident_only) &&
        strcmp(recipient->insutype, "390") != 0)
        return gj_fail(st, GJ_E_WALLET_EMPLOYEE_TO_RESIDENT_ONLY, "recipient insured under %s",
                       recipient->insutype);
    if (!gj_admdvs_same_province(donor->admdvs, recipient->admdvs)) {
        if (!dp->wallet.cross_province || !rp->wallet.cross_province)
            return gj_fail(st, GJ_E_WALLET_CROSS_PROVINCE, "donor in %s, recipient in %s",
                           donor->admdvs, recipient->admdvs);
        return GJ_E_OK;
    }
    if (dp->geo_scope == GJ_SCOPE_CITY && !gj_admdvs_same_city(donor->admdvs, recipient->admdvs))
        return gj_fail(st, GJ_E_OUT_OF_REGION, "recipient insured in %s, donor in %s (scope city)",
                       recipient->admdvs, donor->admdvs);
    return GJ_E_OK;
}
