/* test_regions.c — unit tests for the regional rules without a database: the transferable part
 * of an account above the reserve (R7.2, R1.3), family-pool shares as settlement sources with
 * the creator's first and the order named (R7.2, R7.4), one binding's limit shared by all the
 * pool's shares (R7.2, R3.5), cross-province use needing both pilot regions and a remote-care
 * registration (R8.1, R8.2), and the checks of a wallet transfer (R7.3). */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "gongji/regions.h"

static gj_policy_set *set;

static gj_date ymd(int y, int m, int d) { return gj_date_from_ymd(y, m, d); }

static const gj_policy *policy(const char *admdvs, gj_date on) {
    const gj_policy *p = NULL;
    gj_status st = {0};
    cr_assert_eq(gj_policy_resolve(set, admdvs, on, &p, &st), GJ_E_OK, "%s", st.detail);
    return p;
}

static void setup(void) {
    char file[1024], dir[1100];
    gj_status st = {0};
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    cr_assert_eq(gj_policy_set_load(dir, &set, &st), GJ_E_OK, "policies/ refused: %s", st.detail);
}
static void teardown(void) { gj_policy_set_free(set); set = NULL; }

TestSuite(regions, .init = setup, .fini = teardown);

Test(regions, above_reserve_keeps_the_floor_and_shareable_layers) {
    const gj_acct_view fujian_acct = {.layer_fen = {150000, 100000}};
    cr_assert_eq(gj_region_above_reserve(policy("350102", ymd(2025, 3, 1)), &fujian_acct), 50000);
    const gj_acct_view low = {.layer_fen = {150000, 0}};
    cr_assert_eq(gj_region_above_reserve(policy("350102", ymd(2025, 3, 1)), &low), 0);
    const gj_acct_view sh = {.layer_fen = {100000, 30000}};   /* Shanghai: prior years only */
    cr_assert_eq(gj_region_above_reserve(policy("310104", ymd(2025, 3, 1)), &sh), 30000);
}

static gj_donor_facts pool_share(const gj_policy *p, const char *who, bool creator, gj_fen current) {
    gj_donor_facts d = {.policy = p, .acct = {.layer_fen = {current, 0}}, .unusable = GJ_E_OK,
                        .is_creator = creator, .authorized_fen = -1, .limit_fen = -1};
    snprintf(d.psn_no, sizeof d.psn_no, "%s", who);
    snprintf(d.binding_id, sizeof d.binding_id, "B1");
    snprintf(d.pool_id, sizeof d.pool_id, "FP1");
    return d;
}

static bool explained(const gj_settle_result *r, const char *rule, const char *text) {
    for (int i = 0; i < r->explain.count; i++)
        if (strcmp(r->explain.lines[i].rule, rule) == 0 && strstr(r->explain.lines[i].en, text)) return true;
    return false;
}

/* A resident's pharmacy bill, all of it within the account's scope. */
static gj_bill resident_pharmacy_bill(gj_fen fen) {
    return (gj_bill){.class_fen = {0, 0, 0, fen}, .medfee_fen = fen, .acct_used = true,
                     .insutype = "390", .med_type = "41"};
}

Test(regions, pool_shares_pay_creator_first_without_a_reserve) {
    const gj_policy *fj = policy("350102", ymd(2025, 3, 1));
    gj_bill b = resident_pharmacy_bill(60000);
    gj_settle_facts f = {.policy = fj, .has_account = false, .donor_count = 2};
    f.donors[0] = pool_share(fj, "WIFE", false, 30000);
    f.donors[1] = pool_share(fj, "CREATOR", true, 50000);   /* below Fujian's 2000 reserve */
    gj_settle_result r;
    gj_status st = {0};
    cr_assert_eq(gj_settle_compute(&b, &f, &r, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(r.mulaid_fen, 60000);
    cr_assert_eq(r.draw_count, 2);
    cr_assert_eq(r.draws[0].donor, 1, "the creator's share first");
    cr_assert_eq(r.draws[0].amount_fen, 50000);
    cr_assert_eq(r.draws[1].donor, 0);
    cr_assert_eq(r.draws[1].amount_fen, 10000);
    cr_assert(explained(&r, "R7.4", "creator_first"));
    cr_assert(explained(&r, "R7.2", "family pool FP1"));
}

static gj_err use(const gj_policy *p, const char *donor_admdvs, const char *member_admdvs,
                  bool member_pilot, bool remote_care) {
    gj_binding_facts b = {.relation = GJ_REL_CHILD, .modes = GJ_MODE_PAYMENT, .status = GJ_BIND_ACTIVE};
    gj_person_facts donor = {.psn_no = "D", .insutype = "310", .status = GJ_PSN_ACTIVE,
                             .birth = ymd(1980, 1, 1), .balance_fen = 100000};
    gj_person_facts member = {.psn_no = "M", .insutype = "390", .status = GJ_PSN_ACTIVE,
                              .birth = ymd(2015, 6, 1), .region_cross_province = member_pilot,
                              .remote_care = remote_care};
    snprintf(donor.admdvs, sizeof donor.admdvs, "%s", donor_admdvs);
    snprintf(member.admdvs, sizeof member.admdvs, "%s", member_admdvs);
    gj_status st = {0};
    return gj_family_check_use(p, &b, &donor, &member, GJ_MODE_PAYMENT, ymd(2025, 3, 1) * 86400LL, &st);
}

Test(regions, cross_province_needs_two_pilots_and_a_registration) {
    const gj_policy *hebei = policy("130100", ymd(2025, 3, 1));
    const gj_policy *hebei_before = policy("130100", ymd(2024, 11, 1));
    cr_assert(hebei->geo_cross_province && !hebei_before->geo_cross_province);
    cr_assert_eq(use(hebei, "130100", "320100", true, true), GJ_E_OK);
    cr_assert_eq(use(hebei, "130100", "320100", true, false), GJ_E_REMOTE_CARE_REQUIRED);
    cr_assert_eq(use(hebei, "130100", "450100", false, true), GJ_E_OUT_OF_REGION);
    cr_assert_eq(use(hebei_before, "130100", "320100", true, true), GJ_E_OUT_OF_REGION);
    cr_assert_eq(use(hebei, "130100", "130200", false, false), GJ_E_OK, "intra-province needs nothing");
}

Test(regions, pool_shares_share_the_bindings_limit) {
    const gj_policy *fj = policy("350102", ymd(2025, 3, 1));
    gj_bill b = resident_pharmacy_bill(60000);
    gj_settle_facts f = {.policy = fj, .has_account = false, .donor_count = 2};
    f.donors[0] = pool_share(fj, "CREATOR", true, 50000);
    f.donors[1] = pool_share(fj, "WIFE", false, 30000);
    f.donors[0].limit_fen = f.donors[1].limit_fen = 30000;      /* the son's binding: 300 a year */
    f.donors[0].used_year_fen = f.donors[1].used_year_fen = 5000; /* 50 used this year */
    gj_settle_result r;
    gj_status st = {0};
    cr_assert_eq(gj_settle_compute(&b, &f, &r, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(r.mulaid_fen, 25000, "300 − 50 across both shares, not per share");
    cr_assert_eq(r.draw_count, 1);
    cr_assert_eq(r.draws[0].donor, 0);
    cr_assert_eq(r.cash_fen, 35000);
}

/* ---- wallet transfers (R7.3): gj_family_check_wallet ---- */

static gj_person_facts wallet_person(const char *psn_no, const char *admdvs, const char *insutype,
                                     gj_date birth) {
    gj_person_facts p = {.status = GJ_PSN_ACTIVE, .birth = birth, .balance_fen = 300000};
    snprintf(p.psn_no, sizeof p.psn_no, "%s", psn_no);
    snprintf(p.admdvs, sizeof p.admdvs, "%s", admdvs);
    snprintf(p.insutype, sizeof p.insutype, "%s", insutype);
    return p;
}

static gj_err transfer(const gj_policy *dp, const gj_policy *rp, const gj_person_facts *d,
                       const gj_person_facts *r, gj_relation rel) {
    gj_status st = {0};
    gj_err err = gj_family_check_wallet(dp, rp, d, r, rel, ymd(2025, 3, 1), &st);
    cr_assert(err == GJ_E_OK || st.detail[0] != '\0', "a refusal without detail");
    return err;
}

Test(regions, wallet_transfer_within_a_wallet_province) {
    const gj_policy *gx = policy("450100", ymd(2025, 3, 1));
    gj_person_facts d = wallet_person("D", "450100", "310", ymd(1980, 1, 1));
    gj_person_facts son = wallet_person("S", "450102", "390", ymd(2015, 6, 1));
    gj_person_facts wife = wallet_person("W", "450100", "310", ymd(1982, 1, 1));
    cr_assert_eq(transfer(gx, gx, &d, &son, GJ_REL_CHILD), GJ_E_OK);
    cr_assert_eq(transfer(gx, gx, &d, &wife, GJ_REL_SPOUSE), GJ_E_OK, "employee to employee in Guangxi");
    cr_assert_eq(transfer(gx, gx, &d, &d, GJ_REL_SPOUSE), GJ_E_SELF_BINDING);
    cr_assert_eq(transfer(gx, gx, &d, &son, GJ_REL_SIBLING), GJ_E_RELATION_NOT_ALLOWED);
    cr_assert_eq(transfer(gx, gx, &son, &d, GJ_REL_PARENT), GJ_E_DONOR_NOT_EMPLOYEE,
                 "a resident has no personal account to give from");
    d.account_frozen = true;
    cr_assert_eq(transfer(gx, gx, &d, &son, GJ_REL_CHILD), GJ_E_FROZEN);
}

Test(regions, wallet_needs_the_model_in_both_regions) {
    const gj_policy *gx = policy("450100", ymd(2025, 3, 1));
    const gj_policy *gx_before = policy("450100", ymd(2024, 11, 1));
    const gj_policy *fj = policy("350102", ymd(2025, 3, 1));
    gj_person_facts d = wallet_person("D", "450100", "310", ymd(1980, 1, 1));
    gj_person_facts son = wallet_person("S", "450100", "390", ymd(2015, 6, 1));
    cr_assert_eq(transfer(gx_before, gx_before, &d, &son, GJ_REL_CHILD), GJ_E_NOT_WALLET_REGION,
                 "before Guangxi's wallet date");
    cr_assert_eq(transfer(fj, gx, &d, &son, GJ_REL_CHILD), GJ_E_NOT_WALLET_REGION);
    cr_assert_eq(transfer(gx, fj, &d, &son, GJ_REL_CHILD), GJ_E_NOT_WALLET_REGION);
}

Test(regions, wallet_employee_to_resident_only_either_side) {
    const gj_policy *bt = policy("150200", ymd(2025, 3, 1));
    cr_assert(bt->wallet.employee_to_resident_only);
    gj_person_facts d = wallet_person("D", "150200", "310", ymd(1980, 1, 1));
    gj_person_facts wife = wallet_person("W", "150200", "310", ymd(1982, 1, 1));
    gj_person_facts son = wallet_person("S", "150200", "390", ymd(2015, 6, 1));
    cr_assert_eq(transfer(bt, bt, &d, &wife, GJ_REL_SPOUSE), GJ_E_WALLET_EMPLOYEE_TO_RESIDENT_ONLY);
    cr_assert_eq(transfer(bt, bt, &d, &son, GJ_REL_CHILD), GJ_E_OK);
    gj_policy open_donor = *bt;   /* only the recipient's region restricts: still refused */
    open_donor.wallet.employee_to_resident_only = false;
    cr_assert_eq(transfer(&open_donor, bt, &d, &wife, GJ_REL_SPOUSE), GJ_E_WALLET_EMPLOYEE_TO_RESIDENT_ONLY);
    cr_assert_eq(transfer(&open_donor, &open_donor, &d, &wife, GJ_REL_SPOUSE), GJ_E_OK);
}

Test(regions, wallet_across_provinces_only_when_both_allow) {
    const gj_policy *gx = policy("450100", ymd(2025, 3, 1));
    gj_policy a = *gx, b = *gx;   /* two wallet provinces; the seeds name none that allow it */
    gj_person_facts d = wallet_person("D", "130100", "310", ymd(1980, 1, 1));
    gj_person_facts son = wallet_person("S", "320100", "390", ymd(2015, 6, 1));
    cr_assert_eq(transfer(&a, &b, &d, &son, GJ_REL_CHILD), GJ_E_WALLET_CROSS_PROVINCE, "neither allows");
    a.wallet.cross_province = true;
    cr_assert_eq(transfer(&a, &b, &d, &son, GJ_REL_CHILD), GJ_E_WALLET_CROSS_PROVINCE, "only the donor's");
    cr_assert_eq(transfer(&b, &a, &d, &son, GJ_REL_CHILD), GJ_E_WALLET_CROSS_PROVINCE, "only the recipient's");
    b.wallet.cross_province = true;
    cr_assert_eq(transfer(&a, &b, &d, &son, GJ_REL_CHILD), GJ_E_OK, "both allow");
    a.geo_scope = GJ_SCOPE_CITY;   /* a city scope limits bindings, not an allowed cross-province transfer */
    cr_assert_eq(transfer(&a, &b, &d, &son, GJ_REL_CHILD), GJ_E_OK);
    gj_person_facts nephew = son;
    cr_assert_eq(transfer(&a, &b, &d, &nephew, GJ_REL_SIBLING), GJ_E_RELATION_NOT_ALLOWED,
                 "the relation scope still applies across provinces");
}

Test(regions, wallet_city_scope_within_a_province) {
    gj_policy city = *policy("450100", ymd(2025, 3, 1));
    city.geo_scope = GJ_SCOPE_CITY;
    gj_person_facts d = wallet_person("D", "450100", "310", ymd(1980, 1, 1));
    gj_person_facts same_city = wallet_person("S", "450102", "390", ymd(2015, 6, 1));
    gj_person_facts other_city = wallet_person("T", "450200", "390", ymd(2015, 6, 1));
    cr_assert_eq(transfer(&city, &city, &d, &same_city, GJ_REL_CHILD), GJ_E_OK);
    cr_assert_eq(transfer(&city, &city, &d, &other_city, GJ_REL_CHILD), GJ_E_OUT_OF_REGION);
}
