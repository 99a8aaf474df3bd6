/* test_family.c — unit tests for family.h without a database: who may be a donor (R1.2), who
 * may be invited and how (R1.4, R2.1–R2.6, R3.3, R3.4, R3.6), consent by age (R3.2), whether a
 * binding may be used at a moment (R3.6, R3.9, R9.2). Policies are the real policies/ files
 * resolved for a date; a test needing an unusual setting copies one and changes a field. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "gongji/family.h"

static gj_policy_set *set;

static void load_policies(void) {
    char file[1024], dir[1100];
    gj_status st = {0};
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    gj_err e = gj_policy_set_load(dir, &set, &st);
    cr_assert_eq(e, GJ_E_OK, "policies/ refused: %s", st.detail);
}
static void free_policies(void) { gj_policy_set_free(set); set = NULL; }

static gj_date ymd(int y, int m, int d) { return gj_date_from_ymd(y, m, d); }
static gj_time at(int y, int m, int d, int hh, int mm, int ss) {
    return gj_date_start(ymd(y, m, d)) + hh * 3600 + mm * 60 + ss;
}

/* A copy of the policy in force for `admdvs` on `on`, free to tweak. */
static gj_policy policy(const char *admdvs, gj_date on) {
    const gj_policy *p = NULL;
    gj_status st = {0};
    cr_assert_eq(gj_policy_resolve(set, admdvs, on, &p, &st), GJ_E_OK, "%s", st.detail);
    return *p;
}

static const gj_time NOW = 1740823200;   /* 2025-03-01 10:00:00 */

static gj_person_facts donor_in(const char *admdvs) {
    gj_person_facts d = {.psn_no = "D0001", .insutype = "310", .status = GJ_PSN_ACTIVE,
                         .birth = ymd(1980, 5, 5), .balance_fen = 100000};
    snprintf(d.admdvs, sizeof d.admdvs, "%s", admdvs);
    return d;
}
static gj_person_facts member_in(const char *admdvs, gj_date birth) {
    gj_person_facts m = {.psn_no = "M0001", .insutype = "390", .status = GJ_PSN_ACTIVE,
                         .birth = birth};
    snprintf(m.admdvs, sizeof m.admdvs, "%s", admdvs);
    return m;
}

static gj_err invite(const gj_policy *p, const gj_person_facts *d, const gj_person_facts *m,
                     gj_relation rel, int modes, bool temporary, const gj_network_counts *c,
                     gj_time now) {
    gj_status st = {0};
    gj_err e = gj_family_check_invite(p, d, m, rel, modes, temporary, c, now, &st);
    if (e != GJ_E_OK) cr_assert_neq(st.detail[0], '\0', "refusal %s without detail", gj_err_name(e));
    return e;
}

static const int BOTH = GJ_MODE_PAYMENT | GJ_MODE_CONTRIBUTION;
static const gj_network_counts NONE = {0};

/* The national default, for Beijing on 2025-03-01, with a donor, a parent and no network. */
static gj_policy nat;
static gj_person_facts donor, parent;
static void setup(void) {
    load_policies();
    nat = policy("110105", gj_time_date(NOW));
    donor = donor_in("110105");
    parent = member_in("110108", ymd(1955, 1, 1));
    gj_clock_fix(NOW);
    cr_assert_eq(NOW, at(2025, 3, 1, 10, 0, 0));
}
static void teardown(void) {
    free_policies();
    gj_clock_unfix();
}
TestSuite(family, .init = setup, .fini = teardown);

#define expect_err(call, expected)                                                          \
    do {                                                                                     \
        gj_err got_ = (call);                                                                \
        cr_assert_eq(got_, (expected), "%s: got %s, expected %s", #call, gj_err_name(got_),  \
                     gj_err_name(expected));                                                 \
    } while (0)

Test(family, baseline_parent_invite_ok) {
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &NONE, NOW), GJ_E_OK);
}

/* ---- R1.2 donor ---- */

Test(family, R1_2_donor_must_be_employee_310) {
    gj_person_facts d = donor;
    snprintf(d.insutype, sizeof d.insutype, "390");
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_DONOR_NOT_EMPLOYEE);
    expect_err(invite(&nat, &d, &parent, GJ_REL_PARENT, BOTH, false, &NONE, NOW),
               GJ_E_DONOR_NOT_EMPLOYEE);
}

Test(family, R1_2_donor_must_be_active) {
    gj_person_facts d = donor;
    d.status = GJ_PSN_SUSPENDED;
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_DONOR_NOT_EMPLOYEE);
    d.status = GJ_PSN_TERMINATED;
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_DONOR_NOT_EMPLOYEE);
}

Test(family, R1_2_donor_balance_must_be_non_zero) {
    gj_person_facts d = donor;
    d.balance_fen = 0;
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_DONOR_NO_BALANCE);
    d.balance_fen = 1;   /* national minimum 0.01 yuan */
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_OK);
}

Test(family, R1_2_donor_balance_at_least_region_minimum) {
    gj_policy p = nat;
    p.donor.min_balance_fen = 100000;
    gj_person_facts d = donor;
    d.balance_fen = 99999;
    expect_err(gj_family_check_donor(&p, &d, NULL), GJ_E_DONOR_NO_BALANCE);
    d.balance_fen = 100000;
    expect_err(gj_family_check_donor(&p, &d, NULL), GJ_E_OK);
}

Test(family, R1_2_donor_scheme_list_is_policy_data) {
    gj_policy p = nat;
    snprintf(p.donor.schemes[1], sizeof p.donor.schemes[1], "340");
    p.donor.scheme_count = 2;
    gj_person_facts d = donor;
    snprintf(d.insutype, sizeof d.insutype, "340");
    expect_err(gj_family_check_donor(&p, &d, NULL), GJ_E_OK);
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_DONOR_NOT_EMPLOYEE);
}

Test(family, R9_2_frozen_donor_account_cannot_fund) {
    gj_person_facts d = donor;
    d.account_frozen = true;
    expect_err(gj_family_check_donor(&nat, &d, NULL), GJ_E_FROZEN);
}

/* ---- R1.4 member ---- */

Test(family, R1_4_member_must_be_insured) {
    gj_person_facts m = parent;
    m.insutype[0] = '\0';
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW),
               GJ_E_MEMBER_NOT_INSURED);
    snprintf(m.insutype, sizeof m.insutype, "320");
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW),
               GJ_E_MEMBER_NOT_INSURED);
    snprintf(m.insutype, sizeof m.insutype, "310");
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW), GJ_E_OK);
}

Test(family, R1_4_member_must_be_active) {
    gj_person_facts m = parent;
    m.status = GJ_PSN_SUSPENDED;
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW),
               GJ_E_PERSON_NOT_ACTIVE);
    m.status = GJ_PSN_TERMINATED;
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW),
               GJ_E_PERSON_NOT_ACTIVE);
}

/* ---- R2.1 / R2.2 relations ---- */

Test(family, R2_1_self_binding_refused) {
    gj_person_facts m = parent;
    snprintf(m.psn_no, sizeof m.psn_no, "%s", donor.psn_no);
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW), GJ_E_SELF_BINDING);
}

Test(family, R2_2_national_direct_relatives_only) {
    expect_err(invite(&nat, &donor, &parent, GJ_REL_SPOUSE, BOTH, false, &NONE, NOW), GJ_E_OK);
    expect_err(invite(&nat, &donor, &parent, GJ_REL_CHILD, BOTH, false, &NONE, NOW), GJ_E_OK);
    for (gj_relation r = GJ_REL_SIBLING; r < GJ_REL_COUNT; r++) {
        expect_err(invite(&nat, &donor, &parent, r, GJ_MODE_PAYMENT, false, &NONE, NOW),
                   GJ_E_RELATION_NOT_ALLOWED);
        expect_err(invite(&nat, &donor, &parent, r, GJ_MODE_CONTRIBUTION, false, &NONE, NOW),
                   GJ_E_RELATION_NOT_ALLOWED);
    }
}

Test(family, R2_2_hunan_near_relatives_for_payment_from_2024_09) {
    gj_person_facts d = donor_in("430102"), m = member_in("430202", ymd(1985, 1, 1));
    gj_policy before = policy("430102", ymd(2024, 8, 31));
    gj_policy after = policy("430102", ymd(2024, 9, 1));
    expect_err(invite(&before, &d, &m, GJ_REL_SIBLING, GJ_MODE_PAYMENT, false, &NONE,
                      at(2024, 8, 31, 12, 0, 0)),
               GJ_E_RELATION_NOT_ALLOWED);
    expect_err(invite(&after, &d, &m, GJ_REL_SIBLING, BOTH, false, &NONE, at(2024, 9, 1, 0, 0, 0)),
               GJ_E_OK);
}

Test(family, R2_2_shanghai_2025_contribution_widens_payment_does_not) {
    gj_person_facts d = donor_in("310104"), m = member_in("310115", ymd(1985, 1, 1));
    gj_time t2025 = at(2025, 1, 1, 9, 0, 0), t2024 = at(2024, 12, 31, 9, 0, 0);
    gj_policy p25 = policy("310104", gj_time_date(t2025));
    gj_policy p24 = policy("310104", gj_time_date(t2024));
    expect_err(invite(&p25, &d, &m, GJ_REL_SIBLING, GJ_MODE_CONTRIBUTION, false, &NONE, t2025), GJ_E_OK);
    expect_err(invite(&p25, &d, &m, GJ_REL_SIBLING, GJ_MODE_PAYMENT, false, &NONE, t2025),
               GJ_E_RELATION_NOT_ALLOWED);
    expect_err(invite(&p25, &d, &m, GJ_REL_SIBLING, BOTH, false, &NONE, t2025),
               GJ_E_RELATION_NOT_ALLOWED);
    expect_err(invite(&p24, &d, &m, GJ_REL_SIBLING, GJ_MODE_CONTRIBUTION, false, &NONE, t2024),
               GJ_E_RELATION_NOT_ALLOWED);
}

/* ---- R2.3 minors only ---- */

Test(family, R2_3_fujian_children_must_be_minors) {
    gj_person_facts d = donor_in("350102");
    gj_policy fj = policy("350102", gj_time_date(NOW));
    gj_person_facts child17 = member_in("350102", ymd(2007, 3, 2));   /* 18 tomorrow */
    gj_person_facts child18 = member_in("350102", ymd(2007, 3, 1));   /* 18 today */
    expect_err(invite(&fj, &d, &child17, GJ_REL_CHILD, BOTH, false, &NONE, NOW), GJ_E_OK);
    expect_err(invite(&fj, &d, &child18, GJ_REL_CHILD, BOTH, false, &NONE, NOW),
               GJ_E_CHILD_NOT_MINOR);
    /* the national default has no age limit; other relations are never age-checked */
    gj_person_facts adult = member_in("110101", ymd(1990, 1, 1));
    expect_err(invite(&nat, &donor, &adult, GJ_REL_CHILD, BOTH, false, &NONE, NOW), GJ_E_OK);
    expect_err(invite(&fj, &d, &child18, GJ_REL_SPOUSE, BOTH, false, &NONE, NOW), GJ_E_OK);
}

/* ---- R2.4 geography ---- */

Test(family, R2_4_same_province_by_default) {
    gj_person_facts m = member_in("120101", ymd(1955, 1, 1));   /* Tianjin */
    expect_err(invite(&nat, &donor, &m, GJ_REL_PARENT, BOTH, false, &NONE, NOW), GJ_E_OUT_OF_REGION);
}

Test(family, R2_4_changsha_2023_same_city_then_province) {
    gj_person_facts d = donor_in("430102");
    gj_person_facts zhuzhou = member_in("430202", ymd(1955, 1, 1));
    gj_person_facts changsha = member_in("430104", ymd(1955, 1, 1));
    gj_time t23 = at(2023, 6, 1, 10, 0, 0), t25 = NOW;
    gj_policy p23 = policy("430102", gj_time_date(t23)), p25 = policy("430102", gj_time_date(t25));
    expect_err(invite(&p23, &d, &zhuzhou, GJ_REL_PARENT, BOTH, false, &NONE, t23), GJ_E_OUT_OF_REGION);
    expect_err(invite(&p23, &d, &changsha, GJ_REL_PARENT, BOTH, false, &NONE, t23), GJ_E_OK);
    expect_err(invite(&p25, &d, &zhuzhou, GJ_REL_PARENT, BOTH, false, &NONE, t25), GJ_E_OK);
}

/* ---- R2.5 / R2.6 counts ---- */

Test(family, R2_5_member_limit) {
    gj_network_counts c = {.donor_members = 9};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_OK);
    c.donor_members = 10;
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW),
               GJ_E_TOO_MANY_MEMBERS);
}

Test(family, R2_6_one_donor_per_member_by_default) {
    gj_network_counts c = {.member_donors = 1};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW),
               GJ_E_MEMBER_HAS_DONOR);
}

Test(family, R2_6_urumqi_allows_several_donors_and_both_directions) {
    gj_person_facts d = donor_in("650102"), m = member_in("650104", ymd(1955, 1, 1));
    gj_policy ur = policy("650102", gj_time_date(NOW));
    gj_network_counts c = {.member_donors = 9, .donor_is_member = true, .member_is_donor = true};
    expect_err(invite(&ur, &d, &m, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_OK);
    c.member_donors = 10;
    expect_err(invite(&ur, &d, &m, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_MEMBER_HAS_DONOR);
}

Test(family, R2_6_one_direction_donor_already_a_member) {
    gj_network_counts c = {.donor_is_member = true};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_ONE_DIRECTION);
}

Test(family, R2_6_one_direction_member_already_a_donor) {
    gj_network_counts c = {.member_is_donor = true};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_ONE_DIRECTION);
}

Test(family, R3_2_pair_already_bound_or_invited) {
    gj_network_counts c = {.pair_bound = true};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_ALREADY_BOUND);
}

/* ---- R3.2 consent ---- */

Test(family, R3_2_consent_from_exactly_16) {
    gj_date today = ymd(2025, 3, 1);
    gj_person_facts m16 = member_in("110101", ymd(2009, 3, 1));   /* 16th birthday today */
    gj_person_facts m15 = member_in("110101", ymd(2009, 3, 2));   /* 16 tomorrow */
    cr_assert(gj_family_needs_consent(&nat, &m16, today));
    cr_assert(!gj_family_needs_consent(&nat, &m15, today));
    cr_assert(gj_family_needs_consent(&nat, &parent, today));
    gj_person_facts baby = member_in("110101", ymd(2025, 2, 1));
    cr_assert(!gj_family_needs_consent(&nat, &baby, today));
}

Test(family, R3_2_consent_age_is_policy_data) {
    gj_policy p = nat;
    p.network.consent_age = 18;
    gj_person_facts m16 = member_in("110101", ymd(2009, 3, 1));
    cr_assert(!gj_family_needs_consent(&p, &m16, ymd(2025, 3, 1)));
}

/* ---- R3.3 temporary members ---- */

Test(family, R3_3_temporary_not_offered_nationally) {
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, GJ_MODE_CONTRIBUTION, true, &NONE, NOW),
               GJ_E_TEMPORARY_NOT_ALLOWED);
}

Test(family, R3_3_fujian_temporary_for_contribution_only) {
    gj_person_facts d = donor_in("350102"), m = member_in("350102", ymd(1955, 1, 1));
    gj_policy fj = policy("350102", gj_time_date(NOW));
    expect_err(invite(&fj, &d, &m, GJ_REL_PARENT, GJ_MODE_CONTRIBUTION, true, &NONE, NOW), GJ_E_OK);
    expect_err(invite(&fj, &d, &m, GJ_REL_PARENT, GJ_MODE_PAYMENT, true, &NONE, NOW),
               GJ_E_TEMPORARY_NOT_ALLOWED);
    expect_err(invite(&fj, &d, &m, GJ_REL_PARENT, BOTH, true, &NONE, NOW), GJ_E_TEMPORARY_NOT_ALLOWED);
}

/* ---- R3.4 modes ---- */

Test(family, R3_4_no_mode_refused) {
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, 0, false, &NONE, NOW), GJ_E_MODE_NOT_ALLOWED);
}

Test(family, R3_4_mode_not_offered_by_region) {
    gj_policy p = nat;
    p.network.modes_mask = GJ_MODE_PAYMENT;
    expect_err(invite(&p, &donor, &parent, GJ_REL_PARENT, GJ_MODE_CONTRIBUTION, false, &NONE, NOW),
               GJ_E_MODE_NOT_ALLOWED);
    expect_err(invite(&p, &donor, &parent, GJ_REL_PARENT, GJ_MODE_PAYMENT, false, &NONE, NOW), GJ_E_OK);
}

/* ---- check_use ---- */

static gj_binding_facts active_binding(int modes) {
    return (gj_binding_facts){.relation = GJ_REL_PARENT, .modes = modes, .status = GJ_BIND_ACTIVE,
                              .active_from = at(2025, 1, 10, 8, 0, 0)};
}

static gj_err use(const gj_policy *p, const gj_binding_facts *b, const gj_person_facts *m,
                  gj_mode mode, gj_time t) {
    gj_status st = {0};
    return gj_family_check_use(p, b, &donor, m, mode, t, &st);
}

Test(family, use_active_binding_ok) {
    gj_binding_facts b = active_binding(BOTH);
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_OK);
    expect_err(use(&nat, &b, &parent, GJ_MODE_CONTRIBUTION, NOW), GJ_E_OK);
}

Test(family, R3_2_pending_or_rejected_binding_not_usable) {
    gj_binding_facts b = active_binding(BOTH);
    b.status = GJ_BIND_PENDING;
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_BINDING_NOT_ACTIVE);
    b.status = GJ_BIND_REJECTED;
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_BINDING_NOT_ACTIVE);
}

Test(family, binding_not_usable_before_it_starts) {
    gj_binding_facts b = active_binding(BOTH);
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, b.active_from - 1), GJ_E_BINDING_NOT_ACTIVE);
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, b.active_from), GJ_E_OK);
}

Test(family, R3_4_use_for_a_mode_not_selected) {
    gj_binding_facts b = active_binding(GJ_MODE_PAYMENT);
    expect_err(use(&nat, &b, &parent, GJ_MODE_CONTRIBUTION, NOW), GJ_E_MODE_NOT_ALLOWED);
    b.modes = GJ_MODE_CONTRIBUTION;
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_MODE_NOT_ALLOWED);
}

Test(family, R3_3_temporary_binding_never_pays_medical_costs) {
    gj_binding_facts b = active_binding(BOTH);
    b.temporary = true;
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_MODE_NOT_ALLOWED);
    expect_err(use(&nat, &b, &parent, GJ_MODE_CONTRIBUTION, NOW), GJ_E_OK);
}

Test(family, R3_6_unbind_takes_effect_next_day_0000) {
    gj_time req = at(2025, 3, 1, 15, 30, 0);
    cr_assert_eq(gj_family_unbind_effective(&nat, req), at(2025, 3, 2, 0, 0, 0));
    cr_assert_eq(gj_family_unbind_effective(&nat, at(2025, 12, 31, 23, 59, 59)), at(2026, 1, 1, 0, 0, 0));
    cr_assert_eq(gj_family_unbind_effective(&nat, at(2025, 3, 1, 0, 0, 0)), at(2025, 3, 2, 0, 0, 0));
}

Test(family, R3_6_unbind_immediate_when_region_says_so) {
    gj_policy p = nat;
    p.unbind.effect_next_day = false;
    cr_assert_eq(gj_family_unbind_effective(&p, NOW), NOW);
}

Test(family, R3_6_unbound_binding_valid_rest_of_day) {
    gj_binding_facts b = active_binding(BOTH);
    b.status = GJ_BIND_ENDED;
    b.active_until = gj_family_unbind_effective(&nat, at(2025, 3, 1, 15, 30, 0));
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, at(2025, 3, 1, 23, 59, 59)), GJ_E_OK);
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, at(2025, 3, 2, 0, 0, 0)),
               GJ_E_BINDING_NOT_ACTIVE);
}

Test(family, R3_6_rebind_same_day_refused_next_day_ok) {
    gj_network_counts c = {.pair_last_unbind = at(2025, 3, 1, 15, 30, 0)};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, at(2025, 3, 1, 23, 59, 59)),
               GJ_E_REBIND_TOO_SOON);
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, at(2025, 3, 2, 0, 0, 0)),
               GJ_E_OK);
}

Test(family, R9_2_frozen_pair_cannot_rebind_even_days_after_unbinding) {
    gj_network_counts c = {.pair_frozen = true, .pair_last_unbind = at(2025, 2, 1, 15, 30, 0)};
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_FROZEN);
    c.pair_frozen = false;   /* staff unfroze it */
    expect_err(invite(&nat, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, NOW), GJ_E_OK);
}

Test(family, R3_6_rebind_same_day_when_region_allows) {
    gj_policy p = nat;
    p.unbind.rebind_next_day = false;
    gj_network_counts c = {.pair_last_unbind = at(2025, 3, 1, 15, 30, 0)};
    expect_err(invite(&p, &donor, &parent, GJ_REL_PARENT, BOTH, false, &c, at(2025, 3, 1, 16, 0, 0)),
               GJ_E_OK);
}

Test(family, R3_9_member_terminated_not_usable) {
    gj_binding_facts b = active_binding(BOTH);
    gj_person_facts m = parent;
    m.status = GJ_PSN_TERMINATED;
    expect_err(use(&nat, &b, &m, GJ_MODE_PAYMENT, NOW), GJ_E_PERSON_NOT_ACTIVE);
    m = parent;
    m.insutype[0] = '\0';
    expect_err(use(&nat, &b, &m, GJ_MODE_PAYMENT, NOW), GJ_E_MEMBER_NOT_INSURED);
}

Test(family, R3_9_donor_terminated_not_usable) {
    gj_binding_facts b = active_binding(BOTH);
    gj_status st = {0};
    gj_person_facts d = donor;
    d.status = GJ_PSN_TERMINATED;
    expect_err(gj_family_check_use(&nat, &b, &d, &parent, GJ_MODE_PAYMENT, NOW, &st),
               GJ_E_DONOR_NOT_EMPLOYEE);
}

Test(family, R9_2_frozen_binding_not_usable) {
    gj_binding_facts b = active_binding(BOTH);
    b.frozen = true;
    expect_err(use(&nat, &b, &parent, GJ_MODE_PAYMENT, NOW), GJ_E_FROZEN);
    expect_err(use(&nat, &b, &parent, GJ_MODE_CONTRIBUTION, NOW), GJ_E_FROZEN);
}

Test(family, R9_2_frozen_donor_account_not_usable) {
    gj_binding_facts b = active_binding(BOTH);
    gj_status st = {0};
    gj_person_facts d = donor;
    d.account_frozen = true;
    expect_err(gj_family_check_use(&nat, &b, &d, &parent, GJ_MODE_PAYMENT, NOW, &st), GJ_E_FROZEN);
}

Test(family, R2_2_use_checks_relation_scope_on_the_date) {
    gj_person_facts d = donor_in("310104"), m = member_in("310115", ymd(1985, 1, 1));
    gj_binding_facts b = active_binding(GJ_MODE_CONTRIBUTION);
    b.relation = GJ_REL_SIBLING;
    gj_time t24 = at(2024, 12, 31, 9, 0, 0), t25 = at(2025, 1, 1, 9, 0, 0);
    gj_policy p24 = policy("310104", gj_time_date(t24)), p25 = policy("310104", gj_time_date(t25));
    gj_status st = {0};
    b.active_from = t24 - 86400;
    expect_err(gj_family_check_use(&p24, &b, &d, &m, GJ_MODE_CONTRIBUTION, t24, &st),
               GJ_E_RELATION_NOT_ALLOWED);
    expect_err(gj_family_check_use(&p25, &b, &d, &m, GJ_MODE_CONTRIBUTION, t25, &st), GJ_E_OK);
}

Test(family, R2_3_child_binding_stops_at_majority_in_fujian) {
    gj_person_facts d = donor_in("350102"), child = member_in("350102", ymd(2007, 3, 1));
    gj_policy fj = policy("350102", gj_time_date(NOW));
    gj_binding_facts b = active_binding(BOTH);
    b.relation = GJ_REL_CHILD;
    gj_status st = {0};
    expect_err(gj_family_check_use(&fj, &b, &d, &child, GJ_MODE_PAYMENT, NOW - 86400, &st), GJ_E_OK);
    expect_err(gj_family_check_use(&fj, &b, &d, &child, GJ_MODE_PAYMENT, NOW, &st),
               GJ_E_CHILD_NOT_MINOR);
}

/* ---- codes ---- */

Test(family_codes, status_codes_round_trip) {
    for (int s = GJ_PSN_ACTIVE; s <= GJ_PSN_TERMINATED; s++) {
        bool ok = false;
        cr_assert_eq(gj_psn_status_parse(gj_psn_status_code((gj_psn_status)s), &ok), s);
        cr_assert(ok);
    }
    bool ok = true;
    gj_psn_status_parse("retired", &ok);
    cr_assert(!ok);
    for (int s = GJ_BIND_PENDING; s <= GJ_BIND_REJECTED; s++)
        cr_assert_eq(gj_binding_status_parse(gj_binding_status_code((gj_binding_status)s)), s);
}
