/* premium.c — contributions for relatives (R5): a bound relative's resident premium in the
 * collection window at the region's standard, once per person and year, with the benefit
 * period recorded; exclusive commercial health products bought from the account (R5.5); a
 * resident's own premium paid from their medical-insurance wallet (R7.3); in a pool region
 * with premium.from_pool, a member's premium paid from the family pool (R7.2, pool_premium.c). */
#include <stdio.h>
#include <string.h>

#include "network_rules.h"
#include "regions_internal.h"

/* Where a resident premium's money comes from (the journal's "from"). */
typedef enum { FROM_ACCOUNT, FROM_WALLET, FROM_POOL } premium_source;
static const char *const source_names[] = {"account", "wallet", "pool"};

typedef struct {
    gj_person_facts donor, member;
    const gj_policy *donor_policy, *member_policy;
    char binding_id[GJ_BINDING_ID_MAX];
    gj_acct_view acct;
} contribution;

/* A live binding donor→member usable for contribution now (R3.4). */
static gj_err find_binding(gj_engine *e, contribution *c, gj_time now, gj_status *st) {
    gj_rows *rows = NULL;
    gj_binding_row b;
    bool found = false;
    gj_err err = gj_store_query(e->store, BINDING_SELECT
                                "WHERE b.donor = $1 AND b.member = $2 AND (b.status = 'active' OR "
                                "(b.status = 'ended' AND b.active_until > $3)) ORDER BY b.created_at DESC",
                                GJ_PARAMS(P_TEXT(c->donor.psn_no), P_TEXT(c->member.psn_no), P_INT(now)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        facts_binding_from_row(rows, &b);
        found = true;
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err != GJ_E_OK) return err;
    if (!found) return gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "no binding between these two people");
    snprintf(c->binding_id, sizeof c->binding_id, "%s", b.binding_id);
    return gj_family_check_use(c->donor_policy, &b.facts, &c->donor, &c->member,
                               GJ_MODE_CONTRIBUTION, now, st);
}

static gj_err load_contribution(gj_engine *e, const gj_actor *who, const char *donor,
                                const char *member, gj_time now, contribution *c, gj_status *st) {
    bool exists = false;
    gj_err err;
    if (strcmp(who->channel, "app") == 0 && strcmp(who->actor, donor) != 0)
        return gj_fail(st, GJ_E_FORBIDDEN, "only the donor pays from their account");
    if ((err = facts_person(e, donor, &c->donor, st))) return err;
    /* In the app, an unknown member answers like someone else's: existence is not revealed. */
    if ((err = facts_person(e, member, &c->member, st)) == GJ_E_NOT_FOUND && strcmp(who->channel, "app") == 0)
        return gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "no binding between these two people");
    if (err ||
        (err = facts_policy(e, c->donor.admdvs, gj_time_date(now), &c->donor_policy, st)) ||
        (err = facts_policy(e, c->member.admdvs, gj_time_date(now), &c->member_policy, st)) ||
        (err = find_binding(e, c, now, st)) ||
        (err = ledger_layers(e->store, donor, &c->acct, &exists, st)))
        return err;
    return GJ_E_OK;
}

/* R5.3: pay `amount` from the donor's shareable layers, keeping the minimum balance. */
static gj_err draw_donor(const contribution *c, gj_fen amount_fen, const char *target,
                         gj_entry *entry, gj_status *st) {
    const gj_policy *p = c->donor_policy;
    gj_fen total = c->acct.layer_fen[0] + c->acct.layer_fen[1], shareable = 0;
    for (int l = 0; l < GJ_LAYER_COUNT; l++)
        if (p->donor.shareable[l]) shareable += c->acct.layer_fen[l];
    gj_fen keep = gj_fen_max(p->premium.min_remaining_fen, p->donor.reserve_floor_fen);
    if (shareable < amount_fen || total - amount_fen < keep)
        return gj_fail(st, GJ_E_INSUFFICIENT_BALANCE, "the shareable balance must cover the amount "
                       "and leave the region's minimum");
    gj_fen left = amount_fen;
    for (int i = 0; i < GJ_LAYER_COUNT && left > 0; i++) {
        gj_layer l = p->donor.layer_order[i];
        gj_fen take = p->donor.shareable[l] ? gj_fen_min(left, c->acct.layer_fen[l]) : 0;
        char code[GJ_ACCOUNT_CODE_MAX];
        ledger_personal_code(code, c->donor.psn_no, l);
        ledger_add(entry, code, -take);
        left -= take;
    }
    ledger_add(entry, target, amount_fen);
    return GJ_E_OK;
}

/* R5.2: the benefit period for a payment made today; late payments wait (if allowed). */
static gj_err benefit_period(const gj_policy *p, const gj_premium_standard *s, gj_date today,
                             gj_date *from, gj_status *st) {
    *from = s->benefit_from;
    if (today >= s->window_from && today <= s->window_to) return GJ_E_OK;
    char a[GJ_DATE_TEXT_MAX], b[GJ_DATE_TEXT_MAX];
    if (!p->premium.late_payment_allowed || today > s->benefit_to || today < s->window_from)
        return gj_fail(st, GJ_E_OUTSIDE_WINDOW, "collection period %s to %s",
                       gj_date_format(s->window_from, a, sizeof a), gj_date_format(s->window_to, b, sizeof b));
    gj_date waited = gj_date_add_months(today, p->premium.late_waiting_months);
    if (waited > *from) *from = waited;
    return GJ_E_OK;
}

static gj_err insert_premium(gj_engine *e, const contribution *c, const char *kind,
                             const char *product, int year, gj_fen amount_fen, gj_date from,
                             gj_date to, int64_t entry_id, gj_time now, char *id, gj_status *st) {
    gj_err err = eng_new_id(e, "premium", "PM", id, GJ_BINDING_ID_MAX, st);
    if (err != GJ_E_OK) return err;
    err = gj_store_exec(e->store, "INSERT INTO premium (premium_id, donor, member, kind, product, year, "
                                  "amount_fen, paid_at, benefit_from, benefit_to, binding_id, entry_id) "
                                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                        GJ_PARAMS(P_TEXT(id), P_TEXT(c->donor.psn_no), P_TEXT(c->member.psn_no),
                                  P_TEXT(kind), P_TEXT(product), P_INT(year), P_INT(amount_fen),
                                  P_INT(now), P_INT(from), P_INT(to), P_TEXT(c->binding_id),
                                  P_INT(entry_id)), NULL, st);
    if (err == GJ_E_DUPLICATE)
        return gj_fail(st, GJ_E_PREMIUM_ALREADY_PAID, "already paid for %d", year);
    return err;
}

static json_t *premium_json(const char *id, const contribution *c, const char *kind,
                            const char *product, int year, gj_fen amount_fen, gj_date from, gj_date to) {
    char a[GJ_DATE_TEXT_MAX], b[GJ_DATE_TEXT_MAX];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s, s:s}", "premium_id", id,
                     "donor", c->donor.psn_no, "member", c->member.psn_no, "kind", kind,
                     "product", product, "year", year, "amount_yuan", gj_json_yuan(amount_fen),
                     "benefit_from", gj_date_format(from, a, sizeof a),
                     "benefit_to", gj_date_format(to, b, sizeof b), "binding_id", c->binding_id);
}

static gj_err already_paid(gj_engine *e, const char *member, int year, gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM premium WHERE member = $1 "
                                            "AND kind = 'resident' AND year = $2",
                                  GJ_PARAMS(P_TEXT(member), P_INT(year)), &n, st);
    if (err == GJ_E_OK && n > 0) err = gj_fail(st, GJ_E_PREMIUM_ALREADY_PAID, "already paid for %d", year);
    return err;
}

/* R7.3: pay from the member's own wallet (the whole amount, or INSUFFICIENT_BALANCE). */
static gj_err draw_wallet(gj_engine *e, const contribution *c, gj_fen amount_fen, const char *target,
                          gj_entry *entry, gj_status *st) {
    char code[GJ_ACCOUNT_CODE_MAX];
    gj_fen balance = 0;
    gj_err err = wallet_balance(e, c->member.psn_no, &balance, st);
    if (err == GJ_E_OK && balance < amount_fen)
        err = gj_fail(st, GJ_E_INSUFFICIENT_BALANCE, "the wallet holds less than the premium");
    wallet_account_code(code, c->member.psn_no);
    ledger_add(entry, code, -amount_fen);
    ledger_add(entry, target, amount_fen);
    return err;
}

/* Postings paying `amount_fen` into `target` from *source; a pool that cannot pay it whole
 * leaves it to the donor's account (*source becomes FROM_ACCOUNT). */
static gj_err draw(gj_engine *e, const contribution *c, premium_source *source, gj_fen amount_fen,
                   const char *target, gj_entry *entry, gj_status *st) {
    bool paid = false;
    gj_err err = GJ_E_OK;
    switch (*source) {
    case FROM_WALLET: return draw_wallet(e, c, amount_fen, target, entry, st);
    case FROM_POOL:
        err = pool_premium_entry(e, c->donor_policy, c->binding_id, amount_fen, target, entry,
                                 &paid, st);
        if (err != GJ_E_OK || paid) return err;
        *source = FROM_ACCOUNT;
        break;
    case FROM_ACCOUNT: break;
    }
    return draw_donor(c, amount_fen, target, entry, st);
}

/* The resident premium for c->member, inside the caller's transaction; from the donor's
 * account, the member's own wallet or the family pool. */
static gj_err pay_resident(gj_engine *e, const gj_actor *who, const contribution *c, int year,
                           premium_source source, gj_time now, json_t **out, gj_status *st) {
    gj_entry entry = {.count = 0};
    gj_date today = gj_time_date(now), from = 0;
    const gj_premium_standard *s = NULL;
    char target[GJ_ACCOUNT_CODE_MAX], id[GJ_BINDING_ID_MAX];
    int64_t entry_id = 0;
    const char *member = c->member.psn_no;
    gj_err err = GJ_E_OK;
    if (strcmp(c->member.insutype, "390") != 0)
        err = gj_fail(st, GJ_E_NOT_RESIDENT_SCHEME, "member insured under %s", c->member.insutype);
    if (err == GJ_E_OK && (s = gj_policy_premium(c->member_policy, year)) == NULL)
        err = gj_fail(st, GJ_E_NO_PREMIUM_STANDARD, "year %d", year);
    if (err == GJ_E_OK) err = benefit_period(c->member_policy, s, today, &from, st);
    if (err == GJ_E_OK) err = already_paid(e, member, year, st);
    snprintf(target, sizeof target, "premium:%s", c->member.admdvs);
    /* every refusal comes before the first write (the income account is made only then) */
    if (err == GJ_E_OK) err = draw(e, c, &source, s->standard_fen, target, &entry, st);
    if (err == GJ_E_OK) err = ledger_ensure(e->store, target, "premium_income", c->member.admdvs, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "premium.pay", member, &entry,
                                   json_pack("{s:s, s:s, s:i, s:s}", "donor", c->donor.psn_no, "from",
                                             source_names[source], "year", year,
                                             "policy_version", c->member_policy->version_id),
                                   now, &entry_id, st);
    if (err == GJ_E_OK)
        err = insert_premium(e, c, "resident", "", year, s->standard_fen, from, s->benefit_to,
                             entry_id, now, id, st);
    if (err == GJ_E_OK) {
        *out = premium_json(id, c, "resident", "", year, s->standard_fen, from, s->benefit_to);
        json_object_set_new(*out, "from", json_string(source_names[source]));
    }
    return err;
}

gj_err gj_premium_pay(gj_engine *e, const gj_actor *who, const char *donor, const char *member,
                      int year, json_t **out, gj_status *st) {
    contribution c;
    gj_time now = gj_now();
    json_t *answer = NULL;
    gj_err err = eng_begin(e, st);
    if (err == GJ_E_OK) err = load_contribution(e, who, donor, member, now, &c, st);
    bool from_pool = err == GJ_E_OK && c.donor_policy->fund_model == GJ_FUND_POOL &&
                     c.donor_policy->premium.from_pool;
    if (err == GJ_E_OK)
        err = pay_resident(e, who, &c, year, from_pool ? FROM_POOL : FROM_ACCOUNT, now, &answer, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = answer;
    else json_decref(answer);
    return err;
}

gj_err gj_premium_pay_wallet(gj_engine *e, const gj_actor *who, const char *psn_no, int year,
                             json_t **out, gj_status *st) {
    contribution c = {.binding_id = "wallet"};
    gj_time now = gj_now();
    json_t *answer = NULL;
    gj_err err = eng_actor_may(who, psn_no, NULL, st);   /* the wallet pays only its owner's */
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = facts_person(e, psn_no, &c.member, st)) == GJ_E_OK)
        err = facts_policy(e, c.member.admdvs, gj_time_date(now), &c.member_policy, st);
    c.donor = c.member;
    c.donor_policy = c.member_policy;
    if (err == GJ_E_OK) err = pay_resident(e, who, &c, year, FROM_WALLET, now, &answer, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = answer;
    else json_decref(answer);
    return err;
}

gj_err gj_product_buy(gj_engine *e, const gj_actor *who, const char *donor, const char *member,
                      const char *product, gj_fen amount_fen, json_t **out, gj_status *st) {
    contribution c;
    gj_entry entry = {.count = 0};
    gj_time now = gj_now();
    int year = gj_date_year(gj_time_date(now));
    char target[GJ_ACCOUNT_CODE_MAX], id[GJ_BINDING_ID_MAX];
    int64_t entry_id = 0;
    if (amount_fen <= 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "amount must be positive");
    gj_err err = eng_begin(e, st);
    if (err == GJ_E_OK) err = load_contribution(e, who, donor, member, now, &c, st);
    if (err == GJ_E_OK && gj_policy_product(c.donor_policy, product) == NULL)
        err = gj_fail(st, GJ_E_PRODUCT_NOT_ALLOWED, "product %.32s", product);
    snprintf(target, sizeof target, "product:%.40s", product);
    if (err == GJ_E_OK) err = ledger_ensure(e->store, target, "commercial", product, st);
    if (err == GJ_E_OK) err = draw_donor(&c, amount_fen, target, &entry, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "product.buy", member,
                                   &entry, json_pack("{s:s, s:s}", "donor", donor, "product", product),
                                   now, &entry_id, st);
    gj_date today = gj_time_date(now);
    if (err == GJ_E_OK)
        err = insert_premium(e, &c, "commercial", product, year, amount_fen, today,
                             gj_date_from_ymd(year, 12, 31), entry_id, now, id, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = premium_json(id, &c, "commercial", product, year, amount_fen, today, gj_date_from_ymd(year, 12, 31));
    return err;
}
