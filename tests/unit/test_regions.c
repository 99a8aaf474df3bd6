/* test_regions.c — unit tests for the regional rules without a database: the transferable part
 * of an account above the reserve (R7.2, R1.3), family-pool shares as settlement sources with
 * the creator's first and the order named (R7.2, R7.4), and cross-province use needing both
 * pilot regions and a remote-care registration (R8.1, R8.2). */
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

Test(regions, pool_shares_pay_creator_first_without_a_reserve) {
    const gj_policy *fj = policy("350102", ymd(2025, 3, 1));
    gj_bill b = {.class_fen = {0, 0, 0, 60000}, .medfee_fen = 60000, .acct_used = true,
                 .insutype = "390", .med_type = "41"};
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
