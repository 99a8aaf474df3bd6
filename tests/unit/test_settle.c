/* test_settle.c — unit tests for gj_settle_compute without a database: hand-computed splits in
 * fen (pooled fund R4.2, excluded spending R4.6, own account first and donors in order R4.4,
 * fully self-paid never by aid R4.3, reserve floor R4.5, limits R3.5, shareable layers R1.3,
 * frozen and unusable donors, acct_pay R4.9), refusals of inconsistent bills, and a seeded
 * random property test of the invariants. Every successful split is checked against them. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "gongji/settle.h"

static gj_policy_set *set;
static gj_policy nat, sh25, fj, ur;   /* copies, free to tweak per test */

static gj_date ymd(int y, int m, int d) { return gj_date_from_ymd(y, m, d); }

static gj_policy policy(const char *admdvs, gj_date on) {
    const gj_policy *p = NULL;
    gj_status st = {0};
    cr_assert_eq(gj_policy_resolve(set, admdvs, on, &p, &st), GJ_E_OK, "%s", st.detail);
    return *p;
}

static void setup(void) {
    char file[1024], dir[1100];
    gj_status st = {0};
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    cr_assert_eq(gj_policy_set_load(dir, &set, &st), GJ_E_OK, "policies/ refused: %s", st.detail);
    gj_date on = ymd(2025, 3, 1);
    nat = policy("110105", on);
    sh25 = policy("310104", on);
    fj = policy("350102", on);
    ur = policy("650102", on);
}
static void teardown(void) { gj_policy_set_free(set); set = NULL; }

/* ---- builders ---- */

/* A 310 pharmacy bill (med_type 41: the fund pays nothing), account used. */
static gj_bill bill(gj_fen fulamt, gj_fen overlmt, gj_fen preself, gj_fen inscp) {
    gj_bill b = {.class_fen = {fulamt, overlmt, preself, inscp}, .acct_used = true,
                 .insutype = "310", .med_type = "41"};
    b.medfee_fen = fulamt + overlmt + preself + inscp;
    return b;
}

static gj_settle_facts patient(const gj_policy *p, bool has_account, gj_fen current, gj_fen prior) {
    return (gj_settle_facts){.policy = p, .has_account = has_account,
                             .own = {.layer_fen = {current, prior}}};
}

static gj_donor_facts *add_donor(gj_settle_facts *f, const gj_policy *p, gj_fen current,
                                 gj_fen prior) {
    cr_assert_lt(f->donor_count, GJ_DONORS_MAX);
    gj_donor_facts *d = &f->donors[f->donor_count];
    *d = (gj_donor_facts){.policy = p, .acct = {.layer_fen = {current, prior}},
                          .unusable = GJ_E_OK, .bound_at = ymd(2025, 1, 1) * 86400LL + f->donor_count,
                          .authorized_fen = -1, .limit_fen = -1};
    snprintf(d->psn_no, sizeof d->psn_no, "D%d", f->donor_count);
    snprintf(d->binding_id, sizeof d->binding_id, "B%d", f->donor_count);
    f->donor_count++;
    return d;
}

/* ---- invariants ---- */

static void check_invariants(const gj_bill *b, const gj_settle_facts *f, const gj_settle_result *r) {
    cr_assert_eq(r->fund_fen + r->own_fen + r->mulaid_fen + r->cash_fen, b->medfee_fen,
                 "fund %lld + own %lld + mulaid %lld + cash %lld != medfee %lld",
                 (long long)r->fund_fen, (long long)r->own_fen, (long long)r->mulaid_fen,
                 (long long)r->cash_fen, (long long)b->medfee_fen);
    cr_assert(r->fund_fen >= 0 && r->own_fen >= 0 && r->mulaid_fen >= 0 && r->cash_fen >= 0);
    cr_assert_geq(r->cash_fen, r->excluded_fen, "excluded spending goes to cash");
    cr_assert_eq(r->psn_part_fen, b->medfee_fen - r->fund_fen);
    /* mutual aid never pays fully self-paid items (R4.3) */
    cr_assert_leq(r->mulaid_fen, b->medfee_fen - r->fund_fen - b->class_fen[GJ_CLASS_FULAMT_OWNPAY]);
    gj_fen own = 0, mulaid = 0;
    gj_fen drawn[GJ_DONORS_MAX + 1][GJ_LAYER_COUNT] = {{0}};
    cr_assert_leq(r->draw_count, GJ_DRAWS_MAX);
    for (int i = 0; i < r->draw_count; i++) {
        const gj_draw *d = &r->draws[i];
        cr_assert(d->donor >= -1 && d->donor < f->donor_count, "draw %d donor %d", i, d->donor);
        cr_assert(d->layer == GJ_LAYER_CURRENT || d->layer == GJ_LAYER_PRIOR);
        cr_assert_gt(d->amount_fen, 0, "draw %d of nothing", i);
        drawn[d->donor + 1][d->layer] += d->amount_fen;
        if (d->donor < 0) own += d->amount_fen;
        else mulaid += d->amount_fen;
    }
    cr_assert_eq(own, r->own_fen, "own draws %lld != own %lld", (long long)own, (long long)r->own_fen);
    cr_assert_eq(mulaid, r->mulaid_fen, "donor draws %lld != mulaid %lld", (long long)mulaid,
                 (long long)r->mulaid_fen);
    for (int l = 0; l < GJ_LAYER_COUNT; l++)
        cr_assert_leq(drawn[0][l], f->own.layer_fen[l], "own layer %d overdrawn", l);
    if (!b->acct_used || !f->has_account || f->own.frozen) cr_assert_eq(r->own_fen, 0);
    if (!b->acct_used) cr_assert_eq(r->mulaid_fen, 0);
    if (f->has_account)
        cr_assert_eq(r->balc_fen, f->own.layer_fen[0] + f->own.layer_fen[1] - r->own_fen);
    for (int k = 0; k < f->donor_count; k++) {
        const gj_donor_facts *d = &f->donors[k];
        const gj_policy *p = d->policy;
        gj_fen total = d->acct.layer_fen[0] + d->acct.layer_fen[1];
        gj_fen given = drawn[k + 1][0] + drawn[k + 1][1];
        for (int l = 0; l < GJ_LAYER_COUNT; l++) {
            cr_assert_leq(drawn[k + 1][l], d->acct.layer_fen[l], "donor %d layer %d overdrawn", k, l);
            if (!p->donor.shareable[l]) cr_assert_eq(drawn[k + 1][l], 0, "donor %d layer %d not shareable", k, l);
        }
        if (given == 0) continue;
        cr_assert_eq(d->unusable, GJ_E_OK, "unusable donor %d paid", k);
        cr_assert(!d->acct.frozen, "frozen donor %d paid", k);
        cr_assert_geq(total - given, p->donor.reserve_floor_fen, "donor %d below its reserve floor", k);
        if (d->authorized_fen >= 0) cr_assert_leq(d->used_total_fen + given, gj_fen_max(d->authorized_fen, d->used_total_fen));
        if (d->limit_fen >= 0) cr_assert_leq(d->used_year_fen + given, gj_fen_max(d->limit_fen, d->used_year_fen));
        gj_fen max = p->network.consumption_limit_max_fen;   /* R3.5: bounds every binding */
        if (max >= 0) cr_assert_leq(d->used_year_fen + given, gj_fen_max(max, d->used_year_fen));
    }
    gj_fen in_acct = f->policy->settlement.mulaid_in_acct_pay ? r->mulaid_fen : 0;
    cr_assert_eq(r->acct_pay_fen, r->own_fen + in_acct);
    cr_assert_eq(r->explain.dropped, 0, "%d explanation lines dropped", r->explain.dropped);
}

static gj_settle_result settle(const gj_bill *b, const gj_settle_facts *f) {
    gj_settle_result r;
    gj_status st = {0};
    gj_err e = gj_settle_compute(b, f, &r, &st);
    cr_assert_eq(e, GJ_E_OK, "refused: %s %s", gj_err_name(e), st.detail);
    check_invariants(b, f, &r);
    return r;
}

static void expect_split(const gj_settle_result *r, gj_fen fund, gj_fen own, gj_fen mulaid, gj_fen cash) {
    cr_assert_eq(r->fund_fen, fund, "fund %lld, expected %lld", (long long)r->fund_fen, (long long)fund);
    cr_assert_eq(r->own_fen, own, "own %lld, expected %lld", (long long)r->own_fen, (long long)own);
    cr_assert_eq(r->mulaid_fen, mulaid, "mulaid %lld, expected %lld", (long long)r->mulaid_fen, (long long)mulaid);
    cr_assert_eq(r->cash_fen, cash, "cash %lld, expected %lld", (long long)r->cash_fen, (long long)cash);
}

static void expect_draw(const gj_settle_result *r, int i, int donor, gj_layer layer, gj_fen amount) {
    cr_assert_lt(i, r->draw_count, "only %d draws", r->draw_count);
    cr_assert_eq(r->draws[i].donor, donor, "draw %d from donor %d, expected %d", i, r->draws[i].donor, donor);
    cr_assert_eq(r->draws[i].layer, layer, "draw %d layer", i);
    cr_assert_eq(r->draws[i].amount_fen, amount, "draw %d: %lld, expected %lld", i,
                 (long long)r->draws[i].amount_fen, (long long)amount);
}

/* The first explanation line with `rule` whose English text contains `text` (NULL if none). */
static const gj_explain_line *line(const gj_settle_result *r, const char *rule, const char *text) {
    for (int i = 0; i < r->explain.count; i++) {
        const gj_explain_line *l = &r->explain.lines[i];
        if (strcmp(l->rule, rule) == 0 && (text == NULL || strstr(l->en, text) != NULL)) return l;
    }
    return NULL;
}

TestSuite(settle, .init = setup, .fini = teardown);

/* ---- R4.4 order: own account, donors, cash ---- */

Test(settle, R4_4_own_account_then_donor_then_cash) {
    gj_bill b = bill(0, 0, 0, 30000);
    gj_settle_facts f = patient(&nat, true, 5000, 3000);
    add_donor(&f, &nat, 10000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 8000, 10000, 12000);
    cr_assert_eq(r.draw_count, 3);
    expect_draw(&r, 0, -1, GJ_LAYER_CURRENT, 5000);
    expect_draw(&r, 1, -1, GJ_LAYER_PRIOR, 3000);
    expect_draw(&r, 2, 0, GJ_LAYER_CURRENT, 10000);
    cr_assert_eq(r.acct_pay_fen, 18000);
    cr_assert_eq(r.balc_fen, 0);
}

Test(settle, R4_4_own_account_enough_no_aid) {
    gj_bill b = bill(0, 0, 0, 30000);
    gj_settle_facts f = patient(&nat, true, 50000, 0);
    add_donor(&f, &nat, 10000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 30000, 0, 0);
    cr_assert_eq(r.balc_fen, 20000);
    cr_assert_eq(r.draw_count, 1);
}

Test(settle, R4_4_patient_without_account_uses_donor) {
    gj_bill b = bill(0, 0, 0, 30000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 30000, 0);
    cr_assert_eq(r.balc_fen, 0);
}

Test(settle, R4_4_insufficient_everything_is_cash_not_failure) {
    gj_bill b = bill(0, 0, 0, 30000);
    gj_settle_facts f = patient(&nat, true, 0, 0);
    add_donor(&f, &nat, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 30000);
    cr_assert_eq(r.draw_count, 0);
}

Test(settle, R4_4_own_layer_order_national_current_first) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, true, 3000, 4000);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, -1, GJ_LAYER_CURRENT, 3000);
    expect_draw(&r, 1, -1, GJ_LAYER_PRIOR, 2000);
}

Test(settle, R4_4_own_layer_order_shanghai_prior_first) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&sh25, true, 3000, 4000);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, -1, GJ_LAYER_PRIOR, 4000);
    expect_draw(&r, 1, -1, GJ_LAYER_CURRENT, 1000);
}

Test(settle, R4_4_donor_layer_order_from_donor_policy) {
    gj_policy p = nat;
    p.donor.layer_order[0] = GJ_LAYER_PRIOR;
    p.donor.layer_order[1] = GJ_LAYER_CURRENT;
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &p, 3000, 4000);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, 0, GJ_LAYER_PRIOR, 4000);
    expect_draw(&r, 1, 0, GJ_LAYER_CURRENT, 1000);
}

/* Three donors with 10 yuan each for a 15-yuan bill: A (bound 2nd, choice 0), B (creator,
 * bound 3rd, choice 1), C (bound 1st, choice 2). */
static gj_settle_facts three_donors(const gj_policy *patient_policy) {
    gj_settle_facts f = patient(patient_policy, false, 0, 0);
    gj_donor_facts *a = add_donor(&f, &nat, 1000, 0), *b = add_donor(&f, &nat, 1000, 0),
                   *c = add_donor(&f, &nat, 1000, 0);
    gj_time day = ymd(2025, 1, 1) * 86400LL;
    a->bound_at = day + 2 * 86400, a->priority = 0;
    b->bound_at = day + 3 * 86400, b->priority = 1, b->is_creator = true;
    c->bound_at = day + 1 * 86400, c->priority = 2;
    return f;
}

Test(settle, R4_4_donor_order_creator_first) {
    gj_bill b = bill(0, 0, 0, 1500);
    gj_settle_facts f = three_donors(&nat);
    gj_settle_result r = settle(&b, &f);
    cr_assert_eq(r.draw_count, 2);
    expect_draw(&r, 0, 1, GJ_LAYER_CURRENT, 1000);   /* B, the creator */
    expect_draw(&r, 1, 2, GJ_LAYER_CURRENT, 500);    /* then C, bound earliest */
}

Test(settle, R4_4_donor_order_binding_time) {
    gj_policy p = nat;
    p.settlement.donor_order = GJ_DONOR_BINDING_TIME;
    gj_bill b = bill(0, 0, 0, 1500);
    gj_settle_facts f = three_donors(&p);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, 2, GJ_LAYER_CURRENT, 1000);   /* C */
    expect_draw(&r, 1, 0, GJ_LAYER_CURRENT, 500);    /* A */
}

Test(settle, R4_4_donor_order_member_choice) {
    gj_policy p = nat;
    p.settlement.donor_order = GJ_DONOR_MEMBER_CHOICE;
    gj_bill b = bill(0, 0, 0, 1500);
    gj_settle_facts f = three_donors(&p);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, 0, GJ_LAYER_CURRENT, 1000);   /* A, priority 0 */
    expect_draw(&r, 1, 1, GJ_LAYER_CURRENT, 500);    /* B, priority 1 */
}

Test(settle, R4_4_donor_order_is_the_patient_region_s) {
    /* Urumqi patient: binding time, whatever the donors' own regions say */
    gj_bill b = bill(0, 0, 0, 1500);
    gj_settle_facts f = three_donors(&ur);
    gj_settle_result r = settle(&b, &f);
    expect_draw(&r, 0, 2, GJ_LAYER_CURRENT, 1000);
}

/* ---- unusable and frozen donors ---- */

Test(settle, unusable_donor_skipped_with_rule_in_explanation) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_donor_facts *stop = add_donor(&f, &nat, 100000, 0);
    stop->unusable = GJ_E_PERSON_NOT_ACTIVE;
    stop->is_creator = true;
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 5000, 0);
    expect_draw(&r, 0, 1, GJ_LAYER_CURRENT, 5000);
    const gj_explain_line *l = line(&r, "R1.4", "B0");
    cr_assert_not_null(l, "no R1.4 line naming binding B0");
    cr_assert_eq(l->amount_fen, -1);
}

Test(settle, R3_6_ended_binding_skipped_naming_R3_6) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &nat, 100000, 0)->unusable = GJ_E_BINDING_NOT_ACTIVE;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 5000);
    cr_assert_not_null(line(&r, "R3.6", "B0"));
}

Test(settle, R9_2_frozen_donor_account_skipped) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_donor_facts *frozen = add_donor(&f, &nat, 100000, 0);
    frozen->acct.frozen = true;
    frozen->is_creator = true;
    add_donor(&f, &nat, 2000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 2000, 3000);
    expect_draw(&r, 0, 1, GJ_LAYER_CURRENT, 2000);
    cr_assert_not_null(line(&r, "R9.2", "B0"));
}

Test(settle, R9_2_frozen_own_account_skipped) {
    gj_bill b = bill(0, 0, 0, 5000);
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    f.own.frozen = true;
    add_donor(&f, &nat, 3000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 3000, 2000);
    cr_assert_eq(r.balc_fen, 100000);
    cr_assert_not_null(line(&r, "R9.2", "own"));
}

/* ---- R4.3 classes ---- */

Test(settle, R4_3_fulamt_ownpay_never_paid_by_mutual_aid) {
    gj_bill b = bill(10000, 2000, 3000, 0);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 5000, 10000);
    cr_assert_not_null(line(&r, "R4.3", NULL));
}

Test(settle, R4_3_own_account_pays_fulamt_first_leaving_aid_payable_part) {
    gj_bill b = bill(10000, 0, 0, 10000);
    gj_settle_facts f = patient(&nat, true, 10000, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 10000, 10000, 0);
}

Test(settle, R4_3_own_account_keeps_aid_payable_classes_for_donors) {
    /* aid may pay only over-price-cap items here: the own account takes the in-scope part */
    gj_policy p = nat;
    p.settlement.mulaid_classes_mask = 1u << GJ_CLASS_OVERLMT_SELFPAY;
    gj_bill b = bill(0, 5000, 0, 5000);
    gj_settle_facts f = patient(&p, true, 5000, 0);
    add_donor(&f, &p, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 5000, 5000, 0);
}

Test(settle, R4_3_donor_region_narrows_payable_classes) {
    gj_policy p = nat;
    p.settlement.mulaid_classes_mask = 1u << GJ_CLASS_INSCP_SELF;
    gj_bill b = bill(0, 5000, 0, 5000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &p, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 5000, 5000);
}

Test(settle, R4_3_own_payable_classes_from_patient_region) {
    gj_policy p = nat;
    p.settlement.own_classes_mask = 1u << GJ_CLASS_INSCP_SELF;
    gj_bill b = bill(4000, 0, 0, 6000);
    gj_settle_facts f = patient(&p, true, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 6000, 0, 4000);
}

/* ---- R4.6 excluded spending ---- */

Test(settle, R4_6_excluded_category_goes_to_cash) {
    gj_bill b = bill(5000, 0, 0, 15000);
    b.excluded_fen[GJ_CAT_HEALTH_CHECKUP] = 5000;
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 15000, 0, 5000);
    cr_assert_eq(r.excluded_fen, 5000);
    const gj_explain_line *l = line(&r, "R4.6", NULL);
    cr_assert_not_null(l);
    cr_assert_eq(l->amount_fen, 5000);
}

Test(settle, R4_6_fujian_allows_health_checkup) {
    gj_bill b = bill(5000, 0, 0, 15000);
    b.excluded_fen[GJ_CAT_HEALTH_CHECKUP] = 5000;
    gj_settle_facts f = patient(&fj, true, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 20000, 0, 0);
    cr_assert_eq(r.excluded_fen, 0);
    const gj_explain_line *l = line(&r, "R4.6", NULL);
    cr_assert_not_null(l);
    cr_assert_eq(l->amount_fen, -1);
}

Test(settle, R4_6_excluded_never_paid_by_donor_either) {
    gj_bill b = bill(0, 0, 0, 10000);
    b.excluded_fen[GJ_CAT_WEIGHT_LOSS] = 4000;
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 6000, 4000);
    cr_assert_eq(r.excluded_fen, 4000);
}

Test(settle, R4_6_several_categories_add_up) {
    gj_bill b = bill(3000, 0, 0, 7000);
    b.excluded_fen[GJ_CAT_FITNESS] = 1000;
    b.excluded_fen[GJ_CAT_COSMETOLOGY] = 2500;
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 6500, 0, 3500);
    cr_assert_eq(r.excluded_fen, 3500);
}

/* ---- R4.5 reserve floor, R3.5 limits, R1.3 layers ---- */

Test(settle, R4_5_fujian_reserve_floor_limits_donor) {
    gj_bill b = bill(0, 0, 0, 80000);
    gj_settle_facts f = patient(&fj, false, 0, 0);
    add_donor(&f, &fj, 250000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 50000, 30000);
    cr_assert_not_null(line(&r, "R4.5", NULL));
}

Test(settle, R4_5_donor_at_or_below_floor_gives_nothing) {
    gj_bill b = bill(0, 0, 0, 80000);
    gj_settle_facts f = patient(&fj, false, 0, 0);
    add_donor(&f, &fj, 150000, 50000);   /* exactly 2000 yuan */
    add_donor(&f, &fj, 150000, 0);       /* below */
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 80000);
}

Test(settle, R4_5_floor_is_the_donor_region_s) {
    /* a Fujian patient aided by a donor under the national default: no floor */
    gj_bill b = bill(0, 0, 0, 80000);
    gj_settle_facts f = patient(&fj, false, 0, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 80000, 0);
}

Test(settle, R3_5_authorized_amount_left) {
    gj_bill b = bill(0, 0, 0, 50000);
    gj_settle_facts f = patient(&ur, false, 0, 0);
    gj_donor_facts *d = add_donor(&f, &ur, 100000, 0);
    d->authorized_fen = 30000;
    d->used_total_fen = 10000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 20000, 30000);
    cr_assert_not_null(line(&r, "R3.5", "authorized"));
}

Test(settle, R3_5_authorized_amount_used_up) {
    gj_bill b = bill(0, 0, 0, 50000);
    gj_settle_facts f = patient(&ur, false, 0, 0);
    gj_donor_facts *d = add_donor(&f, &ur, 100000, 0);
    d->authorized_fen = 30000;
    d->used_total_fen = 30000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 50000);
}

Test(settle, R3_5_yearly_consumption_limit_left) {
    gj_bill b = bill(0, 0, 0, 50000);
    gj_settle_facts f = patient(&sh25, false, 0, 0);
    gj_donor_facts *d = add_donor(&f, &sh25, 0, 100000);
    d->limit_fen = 50000;
    d->used_year_fen = 45000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 5000, 45000);
    cr_assert_not_null(line(&r, "R3.5", "consumption limit"));
}

/* A region maximum bounds every binding, also one made without a limit or with a higher one
 * before the region set it; a lower limit of the binding's own stays; the explanation says
 * which bound applied. */
Test(settle, R3_5_region_maximum_bounds_every_binding) {
    nat.network.consumption_limit_max_fen = 30000;
    const gj_fen own[] = {-1, 40000, 20000}, paid[] = {30000, 30000, 20000};
    const char *bound[] = {"region's maximum, 300.00", "region's maximum, 300.00", "binding's limit, 200.00"};
    for (int i = 0; i < 3; i++) {
        gj_bill b = bill(0, 0, 0, 50000);
        gj_settle_facts f = patient(&nat, false, 0, 0);
        add_donor(&f, &nat, 100000, 0)->limit_fen = own[i];
        gj_settle_result r = settle(&b, &f);
        expect_split(&r, 0, 0, paid[i], 50000 - paid[i]);
        cr_assert_not_null(line(&r, "R3.5", bound[i]), "case %d: no line naming the %s", i, bound[i]);
    }
}

Test(settle, R3_5_smaller_of_authorized_and_limit) {
    gj_bill b = bill(0, 0, 0, 50000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_donor_facts *d = add_donor(&f, &nat, 100000, 0);
    d->authorized_fen = 8000;
    d->limit_fen = 12000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 8000, 42000);
}

Test(settle, R1_3_shanghai_shares_prior_layer_only) {
    gj_bill b = bill(0, 0, 0, 20000);
    gj_settle_facts f = patient(&sh25, false, 0, 0);
    add_donor(&f, &sh25, 100000, 7000);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 7000, 13000);
    cr_assert_eq(r.draw_count, 1);
    expect_draw(&r, 0, 0, GJ_LAYER_PRIOR, 7000);
    cr_assert_not_null(line(&r, "R1.3", "prior"));
}

Test(settle, R1_3_prior_only_with_reserve_floor) {
    gj_policy p = sh25;
    p.donor.reserve_floor_fen = 5000;
    gj_bill b = bill(0, 0, 0, 20000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    add_donor(&f, &p, 3000, 4000);   /* total 7000 − floor 5000 = 2000 */
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 2000, 18000);
    expect_draw(&r, 0, 0, GJ_LAYER_PRIOR, 2000);
}

Test(settle, R4_4_next_donor_covers_what_the_first_cannot) {
    gj_bill b = bill(0, 0, 0, 60000);
    gj_settle_facts f = patient(&fj, true, 5000, 0);
    gj_donor_facts *creator = add_donor(&f, &fj, 220000, 0);   /* 200 yuan above the floor */
    creator->is_creator = true;
    add_donor(&f, &nat, 0, 100000);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 5000, 55000, 0);
    expect_draw(&r, 1, 0, GJ_LAYER_CURRENT, 20000);
    expect_draw(&r, 2, 1, GJ_LAYER_PRIOR, 35000);
}

/* ---- R4.2 pooled fund ---- */

static gj_bill visit(const char *insutype, const char *med_type, gj_fen fulamt, gj_fen inscp) {
    gj_bill b = bill(fulamt, 0, 0, inscp);
    snprintf(b.insutype, sizeof b.insutype, "%s", insutype);
    snprintf(b.med_type, sizeof b.med_type, "%s", med_type);
    return b;
}

Test(settle, R4_2_fund_deductible_then_ratio) {
    gj_bill b = visit("310", "11", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 40000, 0, 0, 60000);   /* (1000 − 200) × 50% */
    cr_assert_eq(r.deductible_fen, 20000);
    cr_assert_eq(r.ratio_bp, 5000);
    cr_assert_str_eq(r.bucket, "outpatient");
    cr_assert_eq(r.psn_part_fen, 60000);
}

Test(settle, R4_2_deductible_partly_used_this_year) {
    gj_bill b = visit("310", "13", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    f.deductible_used_fen = 15000;
    gj_settle_result r = settle(&b, &f);
    cr_assert_eq(r.deductible_fen, 5000);
    expect_split(&r, 47500, 0, 0, 52500);
}

Test(settle, R4_2_deductible_fully_used) {
    gj_bill b = visit("310", "11", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    f.deductible_used_fen = 30000;
    gj_settle_result r = settle(&b, &f);
    cr_assert_eq(r.deductible_fen, 0);
    expect_split(&r, 50000, 0, 0, 50000);
}

Test(settle, R4_2_bill_below_deductible_no_fund) {
    gj_bill b = visit("310", "11", 0, 15000);
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    cr_assert_eq(r.deductible_fen, 15000);
    expect_split(&r, 0, 15000, 0, 0);
}

Test(settle, R4_2_annual_cap_limits_fund) {
    gj_bill b = visit("310", "11", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    f.deductible_used_fen = 20000;
    f.fund_used_fen = 480000;   /* cap 5000 yuan: 200 left */
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 20000, 0, 0, 80000);
    cr_assert_not_null(line(&r, "R4.2", "cap"));
}

Test(settle, R4_2_annual_cap_exhausted) {
    gj_bill b = visit("310", "11", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    f.deductible_used_fen = 20000;
    f.fund_used_fen = 600000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 100000);
}

Test(settle, R4_2_ratio_rounds_half_up) {
    gj_bill b = visit("310", "11", 0, 20001);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    f.deductible_used_fen = 20000;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 10001, 0, 0, 10000);   /* 20001 × 0.5 = 10000.5 → 10001 */
}

Test(settle, R4_2_inpatient_310) {
    gj_bill b = visit("310", "21", 0, 500000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 340000, 0, 0, 160000);   /* (5000 − 1000) × 85% */
    cr_assert_str_eq(r.bucket, "inpatient");
    cr_assert_eq(r.ratio_bp, 8500);
}

Test(settle, R4_2_inpatient_390_resident) {
    gj_bill b = visit("390", "21", 0, 500000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 270000, 0, 0, 230000);   /* (5000 − 500) × 60% */
}

Test(settle, R4_2_star_rule_for_other_visit_types) {
    gj_bill b = visit("310", "12", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 40000, 0, 0, 60000);
    cr_assert_str_eq(r.bucket, "outpatient");
}

Test(settle, R4_2_no_rule_no_fund) {
    gj_bill b = visit("320", "11", 0, 100000);
    gj_settle_facts f = patient(&nat, false, 0, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 0, 0, 100000);
    cr_assert_str_eq(r.bucket, "none");
}

Test(settle, R4_2_fund_given_by_institution) {
    gj_bill b = visit("310", "11", 0, 100000);
    b.fund_given = true;
    b.fund_given_fen = 12345;
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    f.deductible_used_fen = 0;
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 12345, 87655, 0, 0);
    cr_assert_eq(r.deductible_fen, 0);
}

Test(settle, R4_3_fund_then_own_then_aid_pay_only_personal_burden) {
    gj_bill b = visit("310", "11", 1000, 100000);   /* fund 40000, personal 61000 */
    gj_settle_facts f = patient(&nat, true, 30000, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 40000, 30000, 31000, 0);
    cr_assert_eq(r.acct_pay_fen, 61000);
    cr_assert_eq(r.ratio_bp, 5000, "reimbursement ratio unaffected by mutual aid (R4.9)");
}

/* ---- acct_used_flag, R4.9 ---- */

Test(settle, R4_4_acct_not_used_everything_cash) {
    gj_bill b = visit("310", "11", 1000, 100000);
    b.acct_used = false;
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 40000, 0, 0, 61000);
    cr_assert_eq(r.balc_fen, 100000);
    cr_assert_eq(r.draw_count, 0);
    cr_assert_not_null(line(&r, "R4.4", "acct_used_flag=0"));
}

Test(settle, R4_9_mulaid_inside_acct_pay) {
    gj_bill b = bill(0, 0, 0, 15000);
    gj_settle_facts f = patient(&nat, true, 5000, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    cr_assert_eq(r.acct_pay_fen, 15000);
    cr_assert_not_null(line(&r, "R4.9", NULL));
    const gj_explain_line *l = line(&r, "R4.10", NULL);
    cr_assert_not_null(l);
    cr_assert_eq(l->amount_fen, 10000);
}

Test(settle, R4_9_mulaid_outside_acct_pay_when_region_says_so) {
    gj_policy p = nat;
    p.settlement.mulaid_in_acct_pay = false;
    gj_bill b = bill(0, 0, 0, 15000);
    gj_settle_facts f = patient(&p, true, 5000, 0);
    add_donor(&f, &nat, 100000, 0);
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 0, 5000, 10000, 0);
    cr_assert_eq(r.acct_pay_fen, 5000);
    cr_assert_null(line(&r, "R4.9", NULL));
}

/* ---- refusals ---- */

static gj_err refused(const gj_bill *b, const gj_settle_facts *f) {
    gj_settle_result r;
    gj_status st = {0};
    gj_err e = gj_settle_compute(b, f, &r, &st);
    if (e != GJ_E_OK) cr_assert_neq(st.detail[0], '\0');
    return e;
}

Test(settle, R4_2_classes_not_adding_up_refused) {
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = bill(1000, 0, 0, 9000);
    b.medfee_fen = 10001;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
    b.medfee_fen = 9999;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
}

Test(settle, negative_class_refused) {
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = bill(-1000, 0, 0, 11000);
    cr_assert_eq(refused(&b, &f), GJ_E_BAD_AMOUNT);
}

Test(settle, excluded_above_total_refused) {
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = bill(1000, 0, 0, 0);
    b.excluded_fen[GJ_CAT_FITNESS] = 1001;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
}

Test(settle, fund_given_above_in_scope_refused) {
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = visit("310", "11", 0, 10000);
    b.fund_given = true;
    b.fund_given_fen = 10001;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
    b.fund_given_fen = -1;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
}

Test(settle, negative_excluded_refused) {
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = bill(1000, 0, 0, 0);
    b.excluded_fen[GJ_CAT_FITNESS] = -500;
    cr_assert_eq(refused(&b, &f), GJ_E_BAD_AMOUNT);
}

Test(settle, excluded_above_what_the_fund_leaves_refused) {
    /* special outpatient: no deductible, fund 85% of 100 yuan = 85; 50 yuan of excluded
     * rehabilitation lines cannot all be in the 15 yuan left to the patient */
    gj_settle_facts f = patient(&nat, true, 100000, 0);
    gj_bill b = visit("310", "14", 0, 10000);
    b.excluded_fen[GJ_CAT_REHABILITATION] = 5000;
    cr_assert_eq(refused(&b, &f), GJ_E_BILL_INCONSISTENT);
    b.excluded_fen[GJ_CAT_REHABILITATION] = 1500;   /* exactly what is left: fine */
    gj_settle_result r = settle(&b, &f);
    expect_split(&r, 8500, 0, 0, 1500);
}

/* ---- property test: seeded random bills and facts ---- */

static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {   /* 0 .. n-1 */
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}
static gj_fen rnd_fen(gj_fen max) { return rnd(4) == 0 ? 0 : (gj_fen)rnd((uint32_t)max + 1); }

Test(settle, property_invariants_hold_for_random_bills, .timeout = 60) {
    gj_policy odd = nat;   /* every unusual setting at once */
    odd.donor.reserve_floor_fen = 5000;
    odd.donor.shareable[GJ_LAYER_CURRENT] = false;
    odd.donor.layer_order[0] = GJ_LAYER_PRIOR;
    odd.donor.layer_order[1] = GJ_LAYER_CURRENT;
    odd.settlement.own_classes_mask = (1u << GJ_CLASS_INSCP_SELF) | (1u << GJ_CLASS_PRESELFPAY);
    odd.settlement.mulaid_classes_mask = 1u << GJ_CLASS_INSCP_SELF;
    odd.settlement.mulaid_in_acct_pay = false;
    odd.settlement.donor_order = GJ_DONOR_MEMBER_CHOICE;
    odd.settlement.excluded_mask = 1u << GJ_CAT_FITNESS;
    const gj_policy *pool[] = {&nat, &sh25, &fj, &ur, &odd};
    static const char *const insutypes[] = {"310", "390", "320"};
    static const char *const med_types[] = {"11", "14", "21", "41", "52", "12"};
    static const gj_err unusable[] = {GJ_E_OK, GJ_E_OK, GJ_E_OK, GJ_E_PERSON_NOT_ACTIVE,
                                      GJ_E_BINDING_NOT_ACTIVE, GJ_E_FROZEN};
    rng_state = 20250301;
    int refusals = 0;
    for (int iter = 0; iter < 5000; iter++) {
        gj_bill b = bill(rnd_fen(50000), rnd_fen(20000), rnd_fen(20000), rnd_fen(300000));
        snprintf(b.insutype, sizeof b.insutype, "%s", insutypes[rnd(3)]);
        snprintf(b.med_type, sizeof b.med_type, "%s", med_types[rnd(6)]);
        b.acct_used = rnd(10) != 0;
        /* excluded lines mostly inside the self-paid classes; sometimes anywhere, when they
         * may not fit in what the fund leaves (then the bill is refused, checked below) */
        gj_fen room = b.class_fen[0] + b.class_fen[1] + b.class_fen[2];
        if (rnd(4) == 0) room = b.medfee_fen;
        for (int k = 0; k < GJ_CAT_COUNT && room > 0; k++) {
            if (rnd(4) != 0) continue;
            b.excluded_fen[k] = rnd_fen(room);
            room -= b.excluded_fen[k];
        }
        if (rnd(5) == 0) {
            b.fund_given = true;
            b.fund_given_fen = rnd_fen(b.class_fen[GJ_CLASS_INSCP_SELF]);
        }
        gj_settle_facts f = patient(pool[rnd(5)], rnd(10) < 7, rnd_fen(100000), rnd_fen(100000));
        f.own.frozen = rnd(20) == 0;
        f.deductible_used_fen = rnd_fen(150000);
        f.fund_used_fen = rnd_fen(600000);
        int donors = (int)rnd(GJ_DONORS_MAX + 1);
        for (int k = 0; k < donors; k++) {
            gj_donor_facts *d = add_donor(&f, pool[rnd(5)], rnd_fen(300000), rnd_fen(300000));
            d->acct.frozen = rnd(10) == 0;
            d->unusable = unusable[rnd(6)];
            d->is_creator = rnd(3) == 0;
            d->bound_at = (gj_time)rnd(1000) * 3600;
            d->priority = (int)rnd(5);
            if (rnd(3) == 0) d->authorized_fen = rnd_fen(100000), d->used_total_fen = rnd_fen(120000);
            if (rnd(3) == 0) d->limit_fen = rnd_fen(100000), d->used_year_fen = rnd_fen(120000);
        }
        gj_settle_result r;
        gj_status st = {0};
        gj_err e = gj_settle_compute(&b, &f, &r, &st);
        if (e == GJ_E_BILL_INCONSISTENT) {
            gj_bill plain = b;   /* same bill without its excluded lines: the fund's share */
            memset(plain.excluded_fen, 0, sizeof plain.excluded_fen);
            gj_fen fund = settle(&plain, &f).fund_fen, carved = 0;
            for (int k = 0; k < GJ_CAT_COUNT; k++)
                if (f.policy->settlement.excluded_mask & (1u << k)) carved += b.excluded_fen[k];
            cr_assert_gt(carved, b.medfee_fen - fund, "iteration %d refused: %s", iter, st.detail);
            refusals++;
            continue;
        }
        cr_assert_eq(e, GJ_E_OK, "iteration %d refused: %s %s", iter, gj_err_name(e), st.detail);
        check_invariants(&b, &f, &r);
    }
    cr_assert(refusals > 0 && refusals < 500, "%d refusals: the generator needs adjusting", refusals);
}
