/* settle.c — the settlement split (R4.2–R4.6, R4.9): pooled fund, excluded spending, the
 * patient's own account, mutual aid from donors in order, cash. Pure: the facts come in, the
 * amounts and the explanation go out. */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/regions.h"
#include "gongji/settle.h"

typedef struct {
    gj_fen rem[GJ_CLASS_COUNT];   /* what is still unpaid, per bill class */
    gj_settle_result *out;
} split_state;

static const char *yuan(gj_fen fen, char buf[GJ_YUAN_TEXT_MAX]) {
    return gj_money_format(fen, buf, GJ_YUAN_TEXT_MAX);
}

static gj_err check_bill(const gj_bill *b, gj_status *st) {
    gj_fen sum = 0, excluded = 0;
    for (int c = 0; c < GJ_CLASS_COUNT; c++) {
        if (b->class_fen[c] < 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "negative %s", gj_class_code(c));
        sum += b->class_fen[c];
    }
    for (int k = 0; k < GJ_CAT_COUNT; k++) {
        if (b->excluded_fen[k] < 0)
            return gj_fail(st, GJ_E_BAD_AMOUNT, "negative %s", gj_category_code(k));
        excluded += b->excluded_fen[k];
    }
    if (b->medfee_fen < 0 || sum != b->medfee_fen)
        return gj_fail(st, GJ_E_BILL_INCONSISTENT, "classes add up to %lld fen, medfee_sumamt %lld",
                       (long long)sum, (long long)b->medfee_fen);
    if (excluded > b->medfee_fen)
        return gj_fail(st, GJ_E_BILL_INCONSISTENT, "excluded lines exceed the total");
    if (b->fund_given && (b->fund_given_fen < 0 || b->fund_given_fen > b->class_fen[GJ_CLASS_INSCP_SELF]))
        return gj_fail(st, GJ_E_BILL_INCONSISTENT, "fund_pay_sumamt exceeds inscp_scp_amt");
    return GJ_E_OK;
}

/* R4.2: the pooled fund's share of the in-scope amount. */
static void fund_share(const gj_bill *b, const gj_settle_facts *f, gj_settle_result *out) {
    char y1[GJ_YUAN_TEXT_MAX], y2[GJ_YUAN_TEXT_MAX];
    gj_fen inscp = b->class_fen[GJ_CLASS_INSCP_SELF];
    const gj_fund_rule *rule = gj_policy_fund_rule(f->policy, b->insutype, b->med_type);
    gj_copy_text(out->bucket, sizeof out->bucket, rule ? rule->bucket : "none");
    if (b->fund_given) {
        out->fund_fen = b->fund_given_fen;
        gj_explain_add(&out->explain, "R4.2", out->fund_fen, "统筹基金支付 %s 元（由机构计算）",
                       "pooled fund pays %s yuan (computed by the institution)", yuan(out->fund_fen, y1));
        return;
    }
    if (rule == NULL) {
        gj_explain_add(&out->explain, "R4.2", 0, "该险种与就医类型无统筹基金支付",
                       "no pooled-fund rule for this scheme and visit type");
        return;
    }
    gj_fen deductible_left = gj_fen_max(0, rule->deductible_fen - f->deductible_used_fen);
    out->deductible_fen = gj_fen_min(inscp, deductible_left);
    out->ratio_bp = rule->ratio_bp;
    gj_fen fund = gj_fen_apply_ratio(inscp - out->deductible_fen, rule->ratio_bp);
    gj_fen cap_left = gj_fen_max(0, rule->annual_cap_fen - f->fund_used_fen);
    out->fund_fen = gj_fen_min(fund, cap_left);
    gj_explain_add(&out->explain, "R4.2", out->deductible_fen, "起付线计入 %s 元（本年尚余 %s 元）",
                   "deductible applied %s yuan (%s yuan left this year)",
                   yuan(out->deductible_fen, y1), yuan(deductible_left, y2));
    gj_explain_add(&out->explain, "R4.2", out->fund_fen,
                   "统筹基金按 %d.%02d%% 支付 %s 元", "pooled fund pays %d.%02d%%: %s yuan",
                   rule->ratio_bp / 100, rule->ratio_bp % 100, yuan(out->fund_fen, y1));
    if (fund > cap_left)
        gj_explain_add(&out->explain, "R4.2", -1, "已达年度最高支付限额", "annual fund cap reached");
}

/* The excluded lines must fit in what the pooled fund leaves: the fund never pays excluded
 * spending, so a bill whose excluded lines exceed medfee − fund is inconsistent. */
static gj_err check_excluded(const gj_bill *b, const gj_policy *p, gj_fen fund_fen, gj_status *st) {
    gj_fen carved = 0;
    for (int k = 0; k < GJ_CAT_COUNT; k++)
        if (p->settlement.excluded_mask & (1u << k)) carved += b->excluded_fen[k];
    if (carved > b->medfee_fen - fund_fen)
        return gj_fail(st, GJ_E_BILL_INCONSISTENT,
                       "excluded lines %lld fen exceed the %lld fen left after the pooled fund",
                       (long long)carved, (long long)(b->medfee_fen - fund_fen));
    return GJ_E_OK;
}

/* R4.6: excluded spending is carved out of the classes in order and goes to cash. */
static void carve_excluded(const gj_bill *b, const gj_policy *p, split_state *s) {
    char y[GJ_YUAN_TEXT_MAX];
    for (int k = 0; k < GJ_CAT_COUNT; k++) {
        if (b->excluded_fen[k] == 0) continue;
        if (!(p->settlement.excluded_mask & (1u << k))) {
            gj_explain_add(&s->out->explain, "R4.6", -1, "%s 本地允许个人账户支付",
                           "%s is payable from accounts in this region", gj_category_zh(k));
            continue;
        }
        gj_fen left = b->excluded_fen[k];
        for (int c = 0; c < GJ_CLASS_COUNT && left > 0; c++) {
            gj_fen take = gj_fen_min(left, s->rem[c]);
            s->rem[c] -= take;
            left -= take;
        }
        assert(left == 0);   /* check_excluded: excluded ≤ medfee − fund */
        s->out->excluded_fen += b->excluded_fen[k];
        gj_explain_add(&s->out->explain, "R4.6", b->excluded_fen[k],
                       "%s 不得由个人账户支付，%s 元现金支付", "%s is never paid from an account: %s yuan in cash",
                       gj_category_zh(k), yuan(b->excluded_fen[k], y));
    }
}

static gj_fen sum_classes(const gj_fen rem[], uint32_t mask) {
    gj_fen sum = 0;
    for (int c = 0; c < GJ_CLASS_COUNT; c++)
        if (mask & (1u << c)) sum += rem[c];
    return sum;
}

/* Take `amount` out of the classes in `mask`, preferring those outside `keep_mask`. */
static void consume_classes(gj_fen rem[], uint32_t mask, uint32_t keep_mask, gj_fen amount) {
    for (int pass = 0; pass < 2 && amount > 0; pass++) {
        for (int c = 0; c < GJ_CLASS_COUNT && amount > 0; c++) {
            bool kept = (keep_mask & (1u << c)) != 0;
            if (!(mask & (1u << c)) || kept != (pass == 1)) continue;
            gj_fen take = gj_fen_min(amount, rem[c]);
            rem[c] -= take;
            amount -= take;
        }
    }
    assert(amount == 0);
}

/* Draw `amount` from an account's layers in `order`, only from layers marked usable. */
static void draw_layers(gj_settle_result *out, int donor, const gj_acct_view *acct,
                        const gj_layer order[], const bool usable[], gj_fen amount) {
    for (int i = 0; i < GJ_LAYER_COUNT && amount > 0; i++) {
        gj_layer l = order[i];
        gj_fen take = usable[l] ? gj_fen_min(amount, acct->layer_fen[l]) : 0;
        if (take == 0) continue;
        assert(out->draw_count < GJ_DRAWS_MAX);
        out->draws[out->draw_count++] = (gj_draw){.donor = donor, .layer = l, .amount_fen = take};
        amount -= take;
    }
    assert(amount == 0);
}

/* R4.4: the patient's own account first. */
static void pay_own(const gj_settle_facts *f, split_state *s) {
    char y1[GJ_YUAN_TEXT_MAX], y2[GJ_YUAN_TEXT_MAX];
    const gj_policy *p = f->policy;
    if (!f->has_account) {
        gj_explain_add(&s->out->explain, "R1.2", -1, "本人无职工医保个人账户",
                       "the patient has no employee personal account");
        return;
    }
    if (f->own.frozen) {
        gj_explain_add(&s->out->explain, "R9.2", -1, "本人账户已冻结", "own account frozen");
        return;
    }
    gj_fen balance = f->own.layer_fen[GJ_LAYER_CURRENT] + f->own.layer_fen[GJ_LAYER_PRIOR];
    gj_fen payable = sum_classes(s->rem, p->settlement.own_classes_mask);
    gj_fen pay = gj_fen_min(balance, payable);
    s->out->own_fen = pay;
    s->out->balc_fen = balance - pay;
    static const bool all_layers[GJ_LAYER_COUNT] = {true, true};
    consume_classes(s->rem, p->settlement.own_classes_mask, p->settlement.mulaid_classes_mask, pay);
    draw_layers(s->out, -1, &f->own, p->settlement.own_layer_order, all_layers, pay);
    gj_explain_add(&s->out->explain, "R4.4", pay, "先由本人个人账户支付 %s 元（余额 %s 元）",
                   "own personal account first: %s yuan (balance %s yuan)", yuan(pay, y1),
                   yuan(balance, y2));
}

/* R7.3: the patient's wallet, after their own account (a resident has none, so the wallet
 * comes first); it pays what the personal account may pay and counts in own_fen / acct_pay,
 * being the patient's own money. Only the patient's: donors' wallets never appear here. */
static void pay_wallet(const gj_settle_facts *f, split_state *s) {
    char y1[GJ_YUAN_TEXT_MAX], y2[GJ_YUAN_TEXT_MAX];
    const gj_policy *p = f->policy;
    assert(f->wallet_fen >= 0);
    if (f->wallet_fen == 0) return;
    gj_fen pay = gj_fen_min(f->wallet_fen, sum_classes(s->rem, p->settlement.own_classes_mask));
    consume_classes(s->rem, p->settlement.own_classes_mask, p->settlement.mulaid_classes_mask, pay);
    if (pay > 0) {
        assert(s->out->draw_count < GJ_DRAWS_MAX);
        s->out->draws[s->out->draw_count++] =
            (gj_draw){.donor = GJ_DRAW_WALLET, .layer = GJ_LAYER_CURRENT, .amount_fen = pay};
    }
    s->out->own_fen += pay;
    s->out->wallet_fen = pay;
    gj_explain_add(&s->out->explain, "R7.3", pay, "本人医保钱包支付 %s 元（余额 %s 元）",
                   "own medical-insurance wallet: %s yuan (balance %s yuan)", yuan(pay, y1),
                   yuan(f->wallet_fen, y2));
}

/* What sources of `binding_id` already paid in this settlement: a pool's contributor shares
 * are one source each but one binding, whose authorized amount and limit they share (R7.2). */
static gj_fen paid_through_binding(const gj_settle_facts *f, const gj_settle_result *out,
                                   const char *binding_id) {
    gj_fen paid = 0;
    for (int k = 0; k < out->draw_count; k++) {
        const gj_draw *dr = &out->draws[k];
        if (dr->donor >= 0 && strcmp(f->donors[dr->donor].binding_id, binding_id) == 0)
            paid += dr->amount_fen;
    }
    return paid;
}

/* R3.5: what is left of the yearly consumption limit `limit`, and which bound it is: the
 * binding's own limit, or the region's maximum (`by_max`). */
static void explain_limit(gj_explain *x, gj_fen left, gj_fen limit, bool by_max) {
    char y1[GJ_YUAN_TEXT_MAX], y2[GJ_YUAN_TEXT_MAX];
    if (by_max)
        gj_explain_add(x, "R3.5", -1, "本年消费限额尚余 %s 元（本地区限额上限 %s 元）",
                       "consumption limit left this year: %s yuan (the region's maximum, %s yuan)",
                       yuan(left, y1), yuan(limit, y2));
    else
        gj_explain_add(x, "R3.5", -1, "本年消费限额尚余 %s 元（本关系限额 %s 元）",
                       "consumption limit left this year: %s yuan (the binding's limit, %s yuan)",
                       yuan(left, y1), yuan(limit, y2));
}

/* What one donor can give: shareable layers, above the reserve floor, within the binding's
 * authorized amount and yearly limit — its own, bounded by the region's current maximum —
 * (R1.3, R4.5, R3.5) less `already` paid through the same binding in this settlement.
 * Explains the binding constraint. */
static gj_fen donor_available(const gj_donor_facts *d, gj_fen already, gj_explain *x) {
    char y[GJ_YUAN_TEXT_MAX];
    const gj_policy *p = d->policy;
    gj_fen avail;
    if (d->pool_id[0]) {   /* R7.2: pool money already left the account above its reserve */
        avail = d->acct.layer_fen[GJ_LAYER_CURRENT] + d->acct.layer_fen[GJ_LAYER_PRIOR];
        gj_explain_add(x, "R7.2", -1, "家庭共济账户 %s 中由 %s 划入的资金尚余 %s 元",
                       "family pool %s: money from %s, %s yuan left", d->pool_id, d->psn_no, yuan(avail, y));
    } else {
        avail = gj_region_above_reserve(p, &d->acct);
    }
    if (p->donor.reserve_floor_fen > 0 && !d->pool_id[0])
        gj_explain_add(x, "R4.5", -1, "共济人须保留 %s 元", "donor keeps a reserve of %s yuan",
                       yuan(p->donor.reserve_floor_fen, y));
    if (!d->pool_id[0] && (!p->donor.shareable[GJ_LAYER_CURRENT] || !p->donor.shareable[GJ_LAYER_PRIOR]))
        gj_explain_add(x, "R1.3", -1, "仅%s可共济%.0s", "only the %.0s%s layer may be shared",
                       gj_layer_zh(p->donor.shareable[GJ_LAYER_PRIOR] ? GJ_LAYER_PRIOR : GJ_LAYER_CURRENT),
                       gj_layer_code(p->donor.shareable[GJ_LAYER_PRIOR] ? GJ_LAYER_PRIOR : GJ_LAYER_CURRENT));
    if (d->authorized_fen >= 0) {
        gj_fen left = gj_fen_max(0, d->authorized_fen - d->used_total_fen - already);
        gj_explain_add(x, "R3.5", -1, "授权金额尚余 %s 元", "authorized amount left: %s yuan", yuan(left, y));
        avail = gj_fen_min(avail, left);
    }
    bool by_max = false;
    gj_fen limit = gj_policy_binding_limit(p, d->limit_fen, &by_max);
    if (limit >= 0) {
        gj_fen left = gj_fen_max(0, limit - d->used_year_fen - already);
        explain_limit(x, left, limit, by_max);
        avail = gj_fen_min(avail, left);
    }
    return avail;
}

static int order_rank(const gj_settle_facts *f, const gj_donor_facts *d) {
    switch (f->policy->settlement.donor_order) {
    case GJ_DONOR_CREATOR_FIRST: return d->is_creator ? 0 : 1;
    case GJ_DONOR_MEMBER_CHOICE: return d->priority;
    case GJ_DONOR_BINDING_TIME: return 0;
    }
    return 0;
}

/* Indices of donors in the order the patient's region rules (R4.4); ties by binding time. */
static void donor_order(const gj_settle_facts *f, int order[]) {
    for (int i = 0; i < f->donor_count; i++) order[i] = i;
    for (int i = 1; i < f->donor_count; i++) {   /* insertion sort: at most GJ_DONORS_MAX */
        int cur = order[i], j = i;
        const gj_donor_facts *d = &f->donors[cur];
        for (; j > 0; j--) {
            const gj_donor_facts *prev = &f->donors[order[j - 1]];
            int a = order_rank(f, d), b = order_rank(f, prev);
            if (a > b || (a == b && d->bound_at >= prev->bound_at)) break;
            order[j] = order[j - 1];
        }
        order[j] = cur;
    }
}

static void pay_from_donor(const gj_settle_facts *f, int i, split_state *s) {
    char y[GJ_YUAN_TEXT_MAX];
    const gj_donor_facts *d = &f->donors[i];
    gj_explain *x = &s->out->explain;
    if (d->unusable != GJ_E_OK) {
        gj_explain_add(x, gj_err_rule(d->unusable), -1, "共济关系 %s 不可用：%s%.0s",
                       "binding %s not usable: %.0s%s", d->binding_id, gj_err_zh(d->unusable),
                       gj_err_en(d->unusable));
        return;
    }
    if (d->acct.frozen) {
        gj_explain_add(x, "R9.2", -1, "共济人账户已冻结（%s）", "donor account frozen (%s)",
                       d->binding_id);
        return;
    }
    uint32_t mask = d->policy->settlement.mulaid_classes_mask;
    gj_fen need = sum_classes(s->rem, mask);
    if (need == 0) return;
    gj_fen already = paid_through_binding(f, s->out, d->binding_id);
    gj_fen pay = gj_fen_min(need, donor_available(d, already, x));
    consume_classes(s->rem, mask, 0, pay);
    static const bool all_layers[GJ_LAYER_COUNT] = {true, true};
    draw_layers(s->out, i, &d->acct, d->policy->donor.layer_order,
                d->pool_id[0] ? all_layers : d->policy->donor.shareable, pay);
    s->out->mulaid_fen += pay;
    gj_explain_add(x, "R4.4", pay, "家庭共济：由共济关系 %s 支付 %s 元",
                   "mutual aid through binding %s: %s yuan", d->binding_id, yuan(pay, y));
}

static void pay_mulaid(const gj_settle_facts *f, split_state *s) {
    int order[GJ_DONORS_MAX];
    assert(f->donor_count >= 0 && f->donor_count <= GJ_DONORS_MAX);
    if (f->donor_count > 0 && sum_classes(s->rem, f->policy->settlement.mulaid_classes_mask) > 0 &&
        (f->policy->settlement.mulaid_classes_mask & (1u << GJ_CLASS_FULAMT_OWNPAY)) == 0 &&
        s->rem[GJ_CLASS_FULAMT_OWNPAY] > 0)
        gj_explain_add(&s->out->explain, "R4.3", -1, "全自费部分不得使用家庭共济资金",
                       "fully self-paid items are never paid by mutual aid");
    donor_order(f, order);
    if (f->donor_count > 1) {   /* R7.4: the order among several sources is a regional setting */
        static const char *const zh[] = {"组建人资金优先", "按绑定时间先后", "按成员选择的顺序"};
        static const char *const en[] = {"creator_first", "binding_time", "member_choice"};
        int o = (int)f->policy->settlement.donor_order;
        gj_explain_add(&s->out->explain, "R7.4", -1, "%d 个共济来源，使用顺序：%s%.0s",
                       "%d mutual-aid sources, drawn in the order %.0s%s (settlement.donor_order)",
                       f->donor_count, zh[o], en[o]);
    }
    for (int k = 0; k < f->donor_count; k++) pay_from_donor(f, order[k], s);
}

static void finish(const gj_bill *b, const gj_settle_facts *f, split_state *s) {
    char y[GJ_YUAN_TEXT_MAX];
    gj_settle_result *out = s->out;
    out->cash_fen = b->medfee_fen - out->fund_fen - out->own_fen - out->mulaid_fen;
    assert(out->cash_fen == out->excluded_fen + s->rem[0] + s->rem[1] + s->rem[2] + s->rem[3]);
    out->acct_pay_fen = out->own_fen + (f->policy->settlement.mulaid_in_acct_pay ? out->mulaid_fen : 0);
    gj_explain_add(&out->explain, "R4.4", out->cash_fen, "其余 %s 元由个人现金支付",
                   "the rest, %s yuan, is paid in cash", yuan(out->cash_fen, y));
    if (out->mulaid_fen > 0 && f->policy->settlement.mulaid_in_acct_pay)
        gj_explain_add(&out->explain, "R4.9", out->mulaid_fen, "共济支付金额计入“个人账户支付”",
                       "the mutual-aid amount is reported inside acct_pay");
    if (out->mulaid_fen > 0 && f->policy->settlement.relief_exclusion)
        gj_explain_add(&out->explain, "R4.10", out->mulaid_fen, "共济支付部分不纳入各项减负政策",
                       "mutual-aid amounts are excluded from burden-relief schemes");
}

/* Zero every figure and empty the explanation without clearing its 40 KB of line buffers. */
static void result_clear(gj_settle_result *out) {
    memset(out, 0, offsetof(gj_settle_result, explain));
    out->explain.count = 0;
    out->explain.dropped = 0;
}

gj_err gj_settle_compute(const gj_bill *b, const gj_settle_facts *f, gj_settle_result *out,
                         gj_status *st) {
    assert(b != NULL && f != NULL && f->policy != NULL && out != NULL);
    result_clear(out);
    gj_err e = check_bill(b, st);
    if (e != GJ_E_OK) return e;
    fund_share(b, f, out);
    if ((e = check_excluded(b, f->policy, out->fund_fen, st)) != GJ_E_OK) {
        result_clear(out);
        return e;
    }
    split_state s = {.out = out};
    memcpy(s.rem, b->class_fen, sizeof s.rem);
    s.rem[GJ_CLASS_INSCP_SELF] -= out->fund_fen;
    out->psn_part_fen = b->medfee_fen - out->fund_fen;
    out->balc_fen = f->has_account ? f->own.layer_fen[0] + f->own.layer_fen[1] : 0;
    carve_excluded(b, f->policy, &s);
    if (!b->acct_used) {
        gj_explain_add(&out->explain, "R4.4", -1, "未使用个人账户（acct_used_flag=0）",
                       "personal account not used (acct_used_flag=0)");
    } else {
        pay_own(f, &s);
        pay_wallet(f, &s);
        pay_mulaid(f, &s);
    }
    finish(b, f, &s);
    return GJ_E_OK;
}
