/* test_policy.c — unit tests for policy.h without a database: the real policies/ directory
 * loads; resolution national → province → city by date (version ids name each layer); the
 * loader refuses bad files naming the file (fixtures under tests/unit/fixtures/policy/); pure
 * lookups (fund rule with "*" fallback, premium standard, relation scope per mode). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gongji/policy.h"

/* ---- paths derived from this file's location (tests/unit/../../policies) ---- */

static void source_path(char *buf, size_t size, const char *rel) {
    char file[1024];
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(buf, size, "%s/%s", dirname(file), rel);
}

static gj_policy_set *set;

static void load_real(void) {
    char dir[1024];
    gj_status st = {0};
    source_path(dir, sizeof dir, "../../policies");
    gj_err e = gj_policy_set_load(dir, &set, &st);
    cr_assert_eq(e, GJ_E_OK, "policies/ refused: %s %s", gj_err_name(e), st.detail);
}
static void free_real(void) { gj_policy_set_free(set); set = NULL; }

static gj_date ymd(int y, int m, int d) { return gj_date_from_ymd(y, m, d); }

static const gj_policy *resolve(const char *admdvs, gj_date on) {
    const gj_policy *p = NULL;
    gj_status st = {0};
    gj_err e = gj_policy_resolve(set, admdvs, on, &p, &st);
    cr_assert_eq(e, GJ_E_OK, "resolve %s: %s %s", admdvs, gj_err_name(e), st.detail);
    return p;
}

static uint32_t rel_bit(gj_relation r) { return 1u << r; }
static const uint32_t direct_relatives = (1u << GJ_REL_SPOUSE) | (1u << GJ_REL_PARENT) |
                                         (1u << GJ_REL_CHILD);
static const uint32_t near_relatives = (1u << GJ_REL_COUNT) - 1;

/* ---- the real directory ---- */

TestSuite(policy_real, .init = load_real, .fini = free_real);

Test(policy_real, every_file_is_listed_with_versions) {
    cr_assert_eq(gj_policy_set_count(set), 15);   /* + Hebei, Jiangsu, Sichuan, Baotou (issue 4) */
    bool national = false, shanghai = false;
    for (int i = 0; i < gj_policy_set_count(set); i++) {
        const char *region, *name, *file;
        int versions = 0;
        gj_policy_set_entry(set, i, &region, &name, &file, &versions);
        cr_assert_geq(versions, 1, "%s", file);
        if (strcmp(region, "000000") == 0) {
            national = true;
            cr_assert_str_eq(name, "全国(默认)");
            cr_assert_not_null(strstr(file, "national.json"));
            cr_assert_str_eq(gj_policy_set_version_date(set, i, 0), "2021-04-22");
        }
        if (strcmp(region, "310000") == 0) {
            shanghai = true;
            cr_assert_eq(versions, 2);
            cr_assert_str_eq(gj_policy_set_version_date(set, i, 0), "2022-07-01");
            cr_assert_str_eq(gj_policy_set_version_date(set, i, 1), "2025-01-01");
        }
    }
    cr_assert(national && shanghai);
}

Test(policy_real, national_defaults) {
    const gj_policy *p = resolve("000000", ymd(2025, 3, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22");
    cr_assert_eq(p->fund_model, GJ_FUND_DIRECT);
    cr_assert_eq(p->donor.scheme_count, 1);
    cr_assert_str_eq(p->donor.schemes[0], "310");
    cr_assert_eq(p->donor.min_balance_fen, 1);
    cr_assert_eq(p->donor.reserve_floor_fen, 0);
    cr_assert(p->donor.shareable[GJ_LAYER_CURRENT] && p->donor.shareable[GJ_LAYER_PRIOR]);
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
    cr_assert_eq(p->relations.contribution_mask, direct_relatives);
    cr_assert_eq(p->relations.minor_age, 18);
    cr_assert_eq(p->geo_scope, GJ_SCOPE_PROVINCE);
    cr_assert_eq(p->network.max_members, 10);
    cr_assert_eq(p->network.donors_per_member, 1);
    cr_assert(p->network.one_direction);
    cr_assert_eq(p->network.consent_age, 16);
    cr_assert_eq(p->network.modes_mask, GJ_MODE_PAYMENT | GJ_MODE_CONTRIBUTION);
    cr_assert_eq(p->network.consumption_limit_default_fen, -1);
    cr_assert_eq(p->network.consumption_limit_max_fen, -1);
    cr_assert(p->unbind.effect_next_day && p->unbind.rebind_next_day);
    cr_assert_eq(p->settlement.donor_order, GJ_DONOR_CREATOR_FIRST);
    cr_assert_eq(p->settlement.own_classes_mask, 0xFu);
    cr_assert_eq(p->settlement.mulaid_classes_mask, 0xFu & ~(1u << GJ_CLASS_FULAMT_OWNPAY));
    cr_assert_eq(p->settlement.excluded_mask, (1u << GJ_CAT_COUNT) - 1);
    cr_assert(p->settlement.mulaid_in_acct_pay && p->settlement.relief_exclusion);
}

Test(policy_real, before_national_date_nothing_in_force) {
    const gj_policy *p = NULL;
    gj_status st = {0};
    cr_assert_eq(gj_policy_resolve(set, "110000", ymd(2021, 4, 21), &p, &st), GJ_E_BAD_POLICY);
    cr_assert_eq(gj_policy_resolve(set, "1100", ymd(2025, 1, 1), &p, &st), GJ_E_BAD_ADMDVS);
}

Test(policy_real, region_without_file_gets_national) {
    const gj_policy *p = resolve("110105", ymd(2025, 3, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22");
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
    cr_assert_eq(p->fund_model, GJ_FUND_DIRECT);
}

Test(policy_real, shanghai_before_start_is_national) {
    const gj_policy *p = resolve("310000", ymd(2022, 6, 30));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22");
    cr_assert(p->donor.shareable[GJ_LAYER_CURRENT]);
}

Test(policy_real, shanghai_2024_prior_layer_only_direct_relatives) {
    const gj_policy *p = resolve("310000", ymd(2024, 12, 31));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+310000@2022-07-01");
    cr_assert(!p->donor.shareable[GJ_LAYER_CURRENT]);
    cr_assert(p->donor.shareable[GJ_LAYER_PRIOR]);
    cr_assert_eq(p->settlement.own_layer_order[0], GJ_LAYER_PRIOR);
    cr_assert_eq(p->settlement.own_layer_order[1], GJ_LAYER_CURRENT);
    cr_assert_eq(p->network.consumption_limit_default_fen, 50000);
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
    cr_assert_eq(p->relations.contribution_mask, direct_relatives);
}

Test(policy_real, shanghai_2025_contribution_widens_payment_does_not) {
    const gj_policy *p = resolve("310000", ymd(2025, 1, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+310000@2025-01-01");
    cr_assert_eq(p->relations.contribution_mask, near_relatives);
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
    /* the 2022 version's settings still apply under the 2025 version */
    cr_assert(!p->donor.shareable[GJ_LAYER_CURRENT]);
    cr_assert(p->donor.shareable[GJ_LAYER_PRIOR]);
    cr_assert_eq(p->network.consumption_limit_default_fen, 50000);
}

Test(policy_real, shanghai_district_code_resolves_as_the_municipality) {
    const gj_policy *p = resolve("310115", ymd(2025, 6, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+310000@2025-01-01");
}

Test(policy_real, changsha_2023_pool_same_city_before_hunan_layer) {
    const gj_policy *p = resolve("430100", ymd(2023, 6, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+430100@2022-01-01");
    cr_assert_eq(p->fund_model, GJ_FUND_POOL);
    cr_assert_eq(p->geo_scope, GJ_SCOPE_CITY);
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
}

Test(policy_real, changsha_2024_inherits_hunan_and_national) {
    const gj_policy *p = resolve("430102", ymd(2024, 9, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+430000@2024-09-01+430100@2024-09-01");
    cr_assert_eq(p->fund_model, GJ_FUND_DIRECT);
    cr_assert_eq(p->geo_scope, GJ_SCOPE_PROVINCE);
    cr_assert_eq(p->relations.payment_mask, near_relatives);      /* from Hunan */
    cr_assert_eq(p->relations.contribution_mask, near_relatives);
    cr_assert_eq(p->network.max_members, 10);                     /* from national */
    cr_assert_eq(p->donor.min_balance_fen, 1);
}

Test(policy_real, other_hunan_city_gets_province_layer_only) {
    const gj_policy *p = resolve("430202", ymd(2024, 9, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+430000@2024-09-01");
    cr_assert_eq(p->relations.payment_mask, near_relatives);
    p = resolve("430202", ymd(2024, 8, 31));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22");
    cr_assert_eq(p->relations.payment_mask, direct_relatives);
}

Test(policy_real, fujian_reserve_floor_2000_yuan_in_fen) {
    const gj_policy *p = resolve("350102", ymd(2024, 5, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+350000@2022-01-01");
    cr_assert_eq(p->donor.reserve_floor_fen, 200000);
    cr_assert_eq(p->fund_model, GJ_FUND_POOL);
    cr_assert(p->relations.children_minor_only);
    cr_assert(p->network.temporary_members);
    cr_assert_eq(p->settlement.excluded_mask & (1u << GJ_CAT_HEALTH_CHECKUP), 0u);
    cr_assert_neq(p->settlement.excluded_mask & (1u << GJ_CAT_VACCINATION), 0u);
}

Test(policy_real, guangxi_wallet_from_its_date) {
    cr_assert_eq(resolve("450100", ymd(2024, 11, 30))->fund_model, GJ_FUND_DIRECT);
    const gj_policy *p = resolve("450100", ymd(2024, 12, 1));
    cr_assert_eq(p->fund_model, GJ_FUND_WALLET);
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+450000@2024-12-01");
}

Test(policy_real, urumqi_group_settings) {
    const gj_policy *p = resolve("650102", ymd(2025, 1, 1));
    cr_assert_str_eq(p->version_id, "000000@2021-04-22+650100@2022-01-01");
    cr_assert_eq(p->fund_model, GJ_FUND_GROUP);
    cr_assert_eq(p->network.donors_per_member, 10);
    cr_assert(!p->network.one_direction);
    cr_assert(p->network.authorized_amount);
    cr_assert_eq(p->settlement.donor_order, GJ_DONOR_BINDING_TIME);
    /* Xinjiang's other cities are not affected */
    cr_assert_str_eq(resolve("650200", ymd(2025, 1, 1))->version_id, "000000@2021-04-22");
}

Test(policy_real, same_versions_share_one_cached_policy) {
    const gj_policy *a = resolve("430100", ymd(2025, 1, 1));
    const gj_policy *b = resolve("430104", ymd(2025, 7, 1));
    cr_assert_eq(a, b);
}

/* ---- pure lookups ---- */

Test(policy_real, fund_rule_exact_and_star_fallback) {
    const gj_policy *p = resolve("000000", ymd(2025, 1, 1));
    const gj_fund_rule *r = gj_policy_fund_rule(p, "310", "11");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->med_type, "11");
    cr_assert_eq(r->deductible_fen, 20000);
    cr_assert_eq(r->ratio_bp, 5000);
    cr_assert_eq(r->annual_cap_fen, 500000);
    cr_assert_str_eq(r->bucket, "outpatient");
    r = gj_policy_fund_rule(p, "310", "21");
    cr_assert_eq(r->deductible_fen, 100000);
    cr_assert_eq(r->ratio_bp, 8500);
    cr_assert_str_eq(r->bucket, "inpatient");
    r = gj_policy_fund_rule(p, "390", "21");
    cr_assert_eq(r->ratio_bp, 6000);
    cr_assert_eq(r->annual_cap_fen, 15000000);
    r = gj_policy_fund_rule(p, "310", "12");   /* not in the table → "*" */
    cr_assert_not_null(r);
    cr_assert_str_eq(r->med_type, "*");
    cr_assert_str_eq(r->insutype, "310");
    r = gj_policy_fund_rule(p, "390", "15");
    cr_assert_str_eq(r->med_type, "*");
    cr_assert_str_eq(r->insutype, "390");
    cr_assert_eq(r->annual_cap_fen, 40000);
    cr_assert_null(gj_policy_fund_rule(p, "320", "11"));
}

Test(policy_real, pharmacy_rule_pays_no_fund) {
    const gj_fund_rule *r = gj_policy_fund_rule(resolve("000000", ymd(2025, 1, 1)), "310", "41");
    cr_assert_eq(r->ratio_bp, 0);
    cr_assert_str_eq(r->bucket, "pharmacy");
}

Test(policy_real, premium_by_year) {
    const gj_policy *p = resolve("430100", ymd(2025, 1, 1));
    const gj_premium_standard *s = gj_policy_premium(p, 2025);
    cr_assert_not_null(s);
    cr_assert_eq(s->standard_fen, 40000);
    cr_assert_eq(s->window_from, ymd(2024, 9, 1));
    cr_assert_eq(s->window_to, ymd(2024, 12, 31));
    cr_assert_eq(s->benefit_from, ymd(2025, 1, 1));
    cr_assert_eq(s->benefit_to, ymd(2025, 12, 31));
    cr_assert_not_null(gj_policy_premium(p, 2024));
    cr_assert_null(gj_policy_premium(p, 2023));
    cr_assert_null(gj_policy_premium(p, 2030));
    cr_assert_eq(p->premium.late_waiting_months, 3);
    cr_assert(!p->premium.late_payment_allowed);
}

Test(policy_real, relation_allowed_per_mode) {
    const gj_policy *sh = resolve("310000", ymd(2025, 1, 1));
    cr_assert(gj_policy_relation_allowed(sh, GJ_REL_SIBLING, GJ_MODE_CONTRIBUTION));
    cr_assert(!gj_policy_relation_allowed(sh, GJ_REL_SIBLING, GJ_MODE_PAYMENT));
    cr_assert(gj_policy_relation_allowed(sh, GJ_REL_SPOUSE, GJ_MODE_PAYMENT));
    cr_assert(gj_policy_relation_allowed(sh, GJ_REL_GRANDCHILD_MATERNAL, GJ_MODE_CONTRIBUTION));
    const gj_policy *nat = resolve("000000", ymd(2025, 1, 1));
    for (gj_relation r = GJ_REL_SIBLING; r < GJ_REL_COUNT; r++) {
        cr_assert(!gj_policy_relation_allowed(nat, r, GJ_MODE_PAYMENT), "%s", gj_relation_code(r));
        cr_assert(!gj_policy_relation_allowed(nat, r, GJ_MODE_CONTRIBUTION), "%s", gj_relation_code(r));
    }
    cr_assert_eq(sh->relations.payment_mask & rel_bit(GJ_REL_CHILD), rel_bit(GJ_REL_CHILD));
}

Test(policy_real, donor_scheme_and_products) {
    const gj_policy *p = resolve("000000", ymd(2025, 1, 1));
    cr_assert(gj_policy_donor_scheme(p, "310"));
    cr_assert(!gj_policy_donor_scheme(p, "390"));
    cr_assert_null(gj_policy_product(p, "anything"));
}

Test(policy_codes, spouse_parent_is_not_a_relation_R2_1) {
    cr_assert_eq(gj_relation_parse("spouse_parent"), -1);
    cr_assert_eq(gj_relation_parse("parent_in_law"), -1);
    for (int r = 0; r < GJ_REL_COUNT; r++)
        cr_assert_eq(gj_relation_parse(gj_relation_code((gj_relation)r)), r);
}

/* ---- loader refusals: fixture files assembled in a fresh directory ---- */

static char tmpdir[256];

static void copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    cr_assert(in && out, "copy %s → %s", from, to);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) cr_assert_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static void remove_tmpdir(void) {
    if (tmpdir[0] == '\0') return;
    DIR *d = opendir(tmpdir);
    if (d != NULL) {
        for (struct dirent *ent; (ent = readdir(d)) != NULL;) {
            if (ent->d_name[0] == '.') continue;
            char path[600];
            snprintf(path, sizeof path, "%s/%s", tmpdir, ent->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(tmpdir);
    tmpdir[0] = '\0';
}

/* Load the real national.json (unless `with_national` is false) plus every file of the
 * fixture case `name`; returns the loader's result with its status. */
static gj_err load_case(const char *name, bool with_national, gj_status *st) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gj_policy_test_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    char src[1024], from[1400], to[600];
    if (with_national) {
        source_path(src, sizeof src, "../../policies/national.json");
        snprintf(to, sizeof to, "%s/national.json", tmpdir);
        copy_file(src, to);
    }
    char rel[256];
    snprintf(rel, sizeof rel, "fixtures/policy/%s", name);
    source_path(src, sizeof src, rel);
    DIR *d = opendir(src);
    cr_assert_not_null(d, "fixture %s", src);
    for (struct dirent *ent; (ent = readdir(d)) != NULL;) {
        if (ent->d_name[0] == '.') continue;
        snprintf(from, sizeof from, "%s/%s", src, ent->d_name);
        snprintf(to, sizeof to, "%s/%s", tmpdir, ent->d_name);
        copy_file(from, to);
    }
    closedir(d);
    gj_policy_set *s = NULL;
    gj_err e = gj_policy_set_load(tmpdir, &s, st);
    if (e == GJ_E_OK) gj_policy_set_free(s);
    return e;
}

/* The load is refused as BAD_POLICY, the detail names `file` in the directory and says `why`. */
static void expect_refused(const char *name, bool with_national, const char *file,
                           const char *why) {
    gj_status st = {0};
    gj_err e = load_case(name, with_national, &st);
    cr_assert_eq(e, GJ_E_BAD_POLICY, "%s: loaded (%s)", name, gj_err_name(e));
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, file);
    cr_assert_not_null(strstr(st.detail, path), "%s: detail lacks the path: %s", name, st.detail);
    cr_assert_not_null(strstr(st.detail, why), "%s: detail lacks \"%s\": %s", name, why, st.detail);
}

TestSuite(policy_load, .fini = remove_tmpdir);

Test(policy_load, unknown_setting_refused) {
    expect_refused("unknown_setting", true, "330000-zhejiang.json",
                   "settings.donor.reserve_flor_yuan: unknown setting");
}

Test(policy_load, unknown_file_key_refused) {
    expect_refused("unknown_file_key", true, "330000-zhejiang.json", "comment: unknown key");
}

Test(policy_load, unknown_version_key_refused) {
    expect_refused("unknown_version_key", true, "330000-zhejiang.json",
                   "versions[0].effective_form: unknown key");
}

Test(policy_load, three_decimal_amount_refused) {
    expect_refused("three_decimals", true, "350000-fujian.json",
                   "settings.donor.reserve_floor_yuan: bad amount");
}

Test(policy_load, amount_as_number_refused) {
    expect_refused("amount_number", true, "350000-fujian.json",
                   "settings.donor.reserve_floor_yuan: amount must be a yuan string");
}

Test(policy_load, bad_relation_code_refused) {
    expect_refused("bad_relation", true, "430000-hunan.json",
                   "settings.relations.payment: unknown code in list");
}

Test(policy_load, fulamt_ownpay_in_mulaid_classes_refused_R4_3) {
    expect_refused("fulamt_mulaid", true, "310000-shanghai.json",
                   "settings.settlement.mulaid_payable_classes: fulamt_ownpay");
}

Test(policy_load, default_limit_above_max_refused_R3_5) {
    expect_refused("limit_default_above_max", true, "310000-shanghai.json",
                   "settings.network.consumption_limit_default_yuan: default above "
                   "consumption_limit_max_yuan");
}

Test(policy_load, default_limit_equal_to_max_loads) {
    gj_status st = {0};
    cr_assert_eq(load_case("limit_default_equal_max", true, &st), GJ_E_OK, "%s", st.detail);
}

Test(policy_load, decreasing_effective_from_refused) {
    expect_refused("dates_decrease", true, "430100-changsha.json", "versions[1]: dates must increase");
}

Test(policy_load, equal_effective_from_refused) {
    expect_refused("dates_equal", true, "430100-changsha.json", "versions[1]: dates must increase");
}

Test(policy_load, later_version_is_validated_too) {
    expect_refused("later_version_bad", true, "520000-guizhou.json",
                   "(version 2024-01-01): settings.network.max_members: out of range");
}

Test(policy_load, missing_national_refused) {
    gj_status st = {0};
    cr_assert_eq(load_case("no_national", false, &st), GJ_E_BAD_POLICY);
    cr_assert_not_null(strstr(st.detail, tmpdir), "%s", st.detail);
    cr_assert_not_null(strstr(st.detail, "national file (region 000000) is missing"), "%s", st.detail);
}

Test(policy_load, duplicate_region_refused) {
    expect_refused("duplicate_region", true, "430000-b.json", "a file for this region already exists");
}

Test(policy_load, district_file_refused) {
    /* A file for a district code would never take part in resolution (layers are national,
     * province, city), so its settings would never be checked or applied. */
    expect_refused("district_file", true, "430102-furong.json", "region");
}

Test(policy_load, json_syntax_error_names_file_and_line) {
    expect_refused("syntax_error", true, "450000-guangxi.json:5:", "");
}

Test(policy_load, missing_directory_refused) {
    gj_policy_set *s = NULL;
    gj_status st = {0};
    cr_assert_eq(gj_policy_set_load("/nonexistent/gj_policies", &s, &st), GJ_E_BAD_POLICY);
    cr_assert_not_null(strstr(st.detail, "/nonexistent/gj_policies"), "%s", st.detail);
}

Test(policy_load, valid_fixture_with_national_loads) {
    /* the harness itself: no_national's province file is valid once national.json is beside it */
    gj_status st = {0};
    cr_assert_eq(load_case("no_national", true, &st), GJ_E_OK, "%s", st.detail);
}
