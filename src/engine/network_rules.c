/* network_rules.c — the store side of binding rules: counting what the domain rules need
 * (members per donor, donors per member, direction, last unbind), finding the donor's network,
 * checking limits against the region's settings, inserting and changing bindings. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "network_rules.h"

/* A binding "counts" while pending, active, or ended but still effective (R3.6). */
#define LIVE "(b.status IN ('pending','active') OR (b.status = 'ended' AND b.active_until > $2))"

/* The counts gj_family_check_invite needs (gj_network_counts, in its order) of the donor ($1),
 * the member ($3) and the donor->member pair at time $2: one statement, one round trip on
 * PostgreSQL instead of seven. */
static const char network_counts_sql[] =
    "SELECT (SELECT COUNT(*) FROM binding b WHERE b.donor = $1 AND " LIVE "), "
    "(SELECT COUNT(*) FROM binding b WHERE b.member = $3 AND " LIVE "), "
    "(SELECT COUNT(*) FROM binding b WHERE b.donor = $1 AND b.member = $3 AND " LIVE "), "
    "(SELECT COUNT(*) FROM binding b WHERE b.member = $1 AND " LIVE "), "
    "(SELECT COUNT(*) FROM binding b WHERE b.donor = $3 AND " LIVE "), "
    "(SELECT COALESCE(MAX(ended_at), 0) FROM binding "
    "WHERE donor = $1 AND member = $3 AND status = 'ended'), "
    "(SELECT COUNT(*) FROM binding WHERE donor = $1 AND member = $3 AND frozen = 1)";

static gj_err network_counts(gj_engine *e, const char *donor, const char *member, gj_time now,
                             gj_network_counts *c, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, network_counts_sql,
                                GJ_PARAMS(P_TEXT(donor), P_INT(now), P_TEXT(member)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        c->donor_members = (int)gj_rows_int(rows, 0);
        c->member_donors = (int)gj_rows_int(rows, 1);
        c->pair_bound = gj_rows_int(rows, 2) > 0;
        c->donor_is_member = gj_rows_int(rows, 3) > 0;
        c->member_is_donor = gj_rows_int(rows, 4) > 0;
        c->pair_last_unbind = gj_rows_int(rows, 5);
        c->pair_frozen = gj_rows_int(rows, 6) > 0;
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {   /* a SELECT without FROM has a row */
        err = gj_fail(st, GJ_E_INTERNAL, "network counts: no row");
    }
    gj_rows_end(rows);
    return err;
}

/* The donor's own network, or in the group model the network they are a member of. */
static gj_err donor_network(gj_engine *e, const char *donor, const gj_policy *p,
                            char out[GJ_BINDING_ID_MAX], gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(
        e->store, "SELECT network_id FROM network WHERE creator = $1 UNION ALL "
                  "SELECT network_id FROM binding WHERE member = $1 AND status = 'active' AND $2 = 1",
        GJ_PARAMS(P_TEXT(donor), P_INT(p->fund_model == GJ_FUND_GROUP)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) snprintf(out, GJ_BINDING_ID_MAX, "%s", gj_rows_text(rows, 0));
    else if ((err = gj_rows_error(rows, st)) == GJ_E_OK)
        err = gj_fail(st, GJ_E_NO_NETWORK, "create a family network first");
    gj_rows_end(rows);
    return err;
}

/* R3.5: authorized amount only where offered; where the region sets a maximum consumption
 * limit, a limit is required and within it (`has_limit` with `limit_fen` < 0 asks for none). */
static gj_err check_limits(const gj_policy *p, bool has_authorized, gj_fen authorized_fen,
                           bool has_limit, gj_fen limit_fen, gj_status *st) {
    gj_fen max = p->network.consumption_limit_max_fen;
    if (has_authorized && authorized_fen >= 0 && !p->network.authorized_amount)
        return gj_fail(st, GJ_E_LIMIT_NOT_ALLOWED, "authorized amounts are not offered here");
    if (has_limit && max >= 0 && limit_fen < 0)
        return gj_fail(st, GJ_E_LIMIT_NOT_ALLOWED, "a limit is required where the region sets a maximum");
    if (has_limit && max >= 0 && limit_fen > max)
        return gj_fail(st, GJ_E_LIMIT_NOT_ALLOWED, "limit above the region's maximum");
    return GJ_E_OK;
}

/* R3.5: the limit of a new binding for which none was asked: the region's default, else its
 * maximum, else none (-1). */
static gj_fen default_limit(const gj_policy *p) {
    return p->network.consumption_limit_default_fen >= 0 ? p->network.consumption_limit_default_fen
                                                         : p->network.consumption_limit_max_fen;
}

gj_err rules_parse_modes(const char *list, int *modes, gj_status *st) {
    *modes = gj_modes_parse(list != NULL ? list : "payment,contribution");
    if (*modes < 0) return gj_fail(st, GJ_E_BAD_CODE, "modes: payment and/or contribution");
    return GJ_E_OK;
}

gj_err rules_parse_relation(const char *code, gj_relation *rel, gj_status *st) {
    if (code == NULL) return gj_fail(st, GJ_E_BAD_FIELD, "relation: required");
    int r = gj_relation_parse(code);
    if (r < 0)
        return gj_fail(st, GJ_E_RELATION_NOT_ALLOWED, "relation: not one R2.1 admits (spouse, "
                      "parent, child, sibling, grandparent_*, grandchild_*); R2.1: spouse's "
                      "parents and other relatives are never eligible");
    *rel = (gj_relation)r;
    return GJ_E_OK;
}

static gj_err insert_binding(gj_engine *e, const gj_actor *who, const gj_invite *inv,
                             const char *network_id, int modes, bool active, gj_fen authorized_fen,
                             gj_fen limit_fen, gj_time now, char id[GJ_BINDING_ID_MAX], gj_status *st) {
    gj_err err = eng_new_id(e, "binding", "B", id, GJ_BINDING_ID_MAX, st);
    if (err != GJ_E_OK) return err;
    return gj_store_exec(
        e->store,
        "INSERT INTO binding (binding_id, network_id, donor, member, relation, mode_payment, "
        "mode_contribution, temporary, authorized_fen, limit_fen, priority, status, created_at, "
        "active_from, declared_by, channel, proof, frozen) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,0,$11,$12,$13,$14,$15,$16,0)",
        GJ_PARAMS(P_TEXT(id), P_TEXT(network_id), P_TEXT(inv->donor), P_TEXT(inv->member),
                  P_TEXT(inv->relation), P_INT((modes & GJ_MODE_PAYMENT) != 0),
                  P_INT((modes & GJ_MODE_CONTRIBUTION) != 0), P_INT(inv->temporary),
                  authorized_fen >= 0 ? P_INT(authorized_fen) : P_NULL,
                  limit_fen >= 0 ? P_INT(limit_fen) : P_NULL, P_TEXT(active ? "active" : "pending"),
                  P_INT(now), active ? P_INT(now) : P_NULL,
                  P_TEXT(inv->declared_by ? inv->declared_by : who->actor), P_TEXT(who->channel),
                  P_TEXT(inv->proof ? inv->proof : "")), NULL, st);
}

gj_err rules_create_binding(gj_engine *e, const gj_actor *who, const gj_invite *inv, bool offline,
                            char binding_id[GJ_BINDING_ID_MAX], gj_status *st) {
    gj_person_facts donor, member;
    gj_network_counts counts;
    const gj_policy *p = NULL;
    char network_id[GJ_BINDING_ID_MAX];
    gj_time now = gj_now();
    gj_relation relation = GJ_REL_SPOUSE;
    int modes = 0;
    gj_err err;
    if ((err = rules_parse_relation(inv->relation, &relation, st)) ||
        (err = rules_parse_modes(inv->modes, &modes, st)) ||
        (err = facts_person(e, inv->donor, &donor, st)) ||
        (err = facts_person(e, inv->member, &member, st)) ||
        (err = facts_policy(e, donor.admdvs, gj_time_date(now), &p, st)) ||
        (err = donor_network(e, inv->donor, p, network_id, st)) ||
        (err = network_counts(e, inv->donor, inv->member, now, &counts, st)) ||
        (err = gj_family_check_invite(p, &donor, &member, relation, modes,
                                      inv->temporary, &counts, now, st)) ||
        (err = check_limits(p, inv->has_authorized, inv->authorized_fen, inv->has_limit,
                            inv->limit_fen, st)))
        return err;
    gj_fen limit = inv->has_limit ? inv->limit_fen : default_limit(p);
    bool active = offline || inv->temporary || !gj_family_needs_consent(p, &member, gj_time_date(now));
    err = insert_binding(e, who, inv, network_id, modes, active,
                         inv->has_authorized ? inv->authorized_fen : -1, limit, now, binding_id, st);
    if (err != GJ_E_OK) return err;
    return eng_journal(e, who, "binding.invite", binding_id,
                       json_pack("{s:s, s:s, s:s, s:i, s:b, s:s, s:s, s:s}", "donor", inv->donor,
                                 "member", inv->member, "relation", inv->relation, "modes", modes,
                                 "temporary", inv->temporary, "status", active ? "active" : "pending",
                                 "declared_by", inv->declared_by ? inv->declared_by : who->actor,
                                 "policy_version", p->version_id),
                       now, st);
}

gj_err rules_change_binding(gj_engine *e, const gj_actor *who, const gj_binding_row *row,
                            const gj_binding_change *chg, gj_status *st) {
    gj_person_facts donor;
    const gj_policy *p = NULL;
    gj_time now = gj_now();
    int modes = row->facts.modes;
    gj_err err = chg->modes != NULL ? rules_parse_modes(chg->modes, &modes, st) : GJ_E_OK;
    if (err != GJ_E_OK) return err;
    if (row->facts.status != GJ_BIND_ACTIVE && row->facts.status != GJ_BIND_PENDING)
        return gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "binding is %s", gj_binding_status_code(row->facts.status));
    if (row->facts.frozen)   /* R9.2: only staff change a frozen binding (unfreeze) */
        return gj_fail(st, GJ_E_FROZEN, "binding frozen: %s", row->frozen_reason);
    if ((err = facts_person(e, row->donor, &donor, st)) ||
        (err = facts_policy(e, donor.admdvs, gj_time_date(now), &p, st)) ||
        (err = check_limits(p, chg->set_authorized, chg->authorized_fen, chg->set_limit,
                            chg->limit_fen, st)))
        return err;
    if ((modes & ~p->network.modes_mask) || modes == 0)
        return gj_fail(st, GJ_E_MODE_NOT_ALLOWED, "mode not offered in this region");
    if (row->facts.temporary && modes != GJ_MODE_CONTRIBUTION)
        return gj_fail(st, GJ_E_TEMPORARY_NOT_ALLOWED, "temporary members are for contribution only (verify first)");
    for (int m = GJ_MODE_PAYMENT; m <= GJ_MODE_CONTRIBUTION; m <<= 1)
        if ((modes & m) && !gj_policy_relation_allowed(p, row->facts.relation, (gj_mode)m))
            return gj_fail(st, GJ_E_RELATION_NOT_ALLOWED, "relation not in scope for that mode");
    gj_fen authorized = chg->set_authorized ? chg->authorized_fen : row->authorized_fen;
    gj_fen limit = chg->set_limit ? chg->limit_fen : row->limit_fen;
    int priority = chg->set_priority ? chg->priority : row->priority;
    err = gj_store_exec(e->store, "UPDATE binding SET mode_payment = $2, mode_contribution = $3, "
                                  "authorized_fen = $4, limit_fen = $5, priority = $6 WHERE binding_id = $1",
                        GJ_PARAMS(P_TEXT(row->binding_id), P_INT((modes & GJ_MODE_PAYMENT) != 0),
                                  P_INT((modes & GJ_MODE_CONTRIBUTION) != 0),
                                  authorized >= 0 ? P_INT(authorized) : P_NULL,
                                  limit >= 0 ? P_INT(limit) : P_NULL, P_INT(priority)), NULL, st);
    if (err != GJ_E_OK) return err;
    return eng_journal(e, who, "binding.change", row->binding_id,
                       json_pack("{s:i, s:o, s:o, s:i}", "modes", modes,
                                 "authorized_yuan", authorized >= 0 ? gj_json_yuan(authorized) : json_null(),
                                 "limit_yuan", limit >= 0 ? gj_json_yuan(limit) : json_null(),
                                 "priority", priority), now, st);
}
