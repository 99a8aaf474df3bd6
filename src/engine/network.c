/* network.c — family networks and bindings (R2, R3): create, invite, accept or reject,
 * change modes and limits, unbind with the region's effect time, and the network view. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "network_rules.h"

/* eng_actor_may: see network_rules.h. */
gj_err eng_actor_may(const gj_actor *who, const char *psn_a, const char *psn_b, gj_status *st) {
    if (strcmp(who->channel, "app") != 0) return GJ_E_OK;
    if ((psn_a && strcmp(who->actor, psn_a) == 0) || (psn_b && strcmp(who->actor, psn_b) == 0))
        return GJ_E_OK;
    return gj_fail(st, GJ_E_FORBIDDEN,
                   "not yours: in the app a person acts only on their own bindings, money and registrations");
}

static gj_err check_verification(const char *method, const char *ref, gj_status *st) {
    if (method == NULL || *method == '\0' || ref == NULL || *ref == '\0' || strlen(method) > 32 ||
        strlen(ref) > 64)
        return gj_fail(st, GJ_E_NOT_VERIFIED, "identity verification (method and reference) required");
    return GJ_E_OK;
}

gj_err gj_network_create(gj_engine *e, const gj_actor *who, const char *psn_no,
                         bool commitment_signed, const char *verify_method,
                         const char *verify_ref, json_t **out, gj_status *st) {
    gj_person_facts donor;
    const gj_policy *policy = NULL;
    char network_id[GJ_BINDING_ID_MAX];
    gj_time now = gj_now();
    gj_err err = eng_actor_may(who, psn_no, NULL, st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = facts_person(e, psn_no, &donor, st)) == GJ_E_OK &&
        (err = facts_policy(e, donor.admdvs, gj_time_date(now), &policy, st)) == GJ_E_OK &&
        (err = gj_family_check_donor(policy, &donor, st)) == GJ_E_OK) {
        if (policy->network.commitment_required && !commitment_signed)
            err = gj_fail(st, GJ_E_NOT_VERIFIED, "the commitment (承诺书) must be signed");
        else err = check_verification(verify_method, verify_ref, st);
    }
    if (err == GJ_E_OK) err = eng_new_id(e, "network", "N", network_id, sizeof network_id, st);
    if (err == GJ_E_OK) {
        err = gj_store_exec(e->store, "INSERT INTO network (network_id, creator, created_at, "
                                      "verify_method, verify_ref, channel) VALUES ($1,$2,$3,$4,$5,$6)",
                            GJ_PARAMS(P_TEXT(network_id), P_TEXT(psn_no), P_INT(now),
                                      P_TEXT(verify_method), P_TEXT(verify_ref), P_TEXT(who->channel)),
                            NULL, st);
        if (err == GJ_E_DUPLICATE) gj_fail(st, err, "this person already has a family network");
    }
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "network.create", network_id,
                          json_pack("{s:s, s:b, s:s}", "creator", psn_no, "commitment", commitment_signed,
                                    "verify_method", verify_method), now, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s}", "network_id", network_id, "creator", psn_no,
                         "policy_version", policy->version_id);
    return err;
}

gj_err gj_bind_invite(gj_engine *e, const gj_actor *who, const gj_invite *inv, json_t **out,
                      gj_status *st) {
    gj_err err = eng_actor_may(who, inv->donor, NULL, st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    char binding_id[GJ_BINDING_ID_MAX];
    err = rules_create_binding(e, who, inv, false, binding_id, st);
    gj_binding_row row;
    if (err == GJ_E_OK) err = facts_binding(e, binding_id, &row, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = binding_json(&row);
    return err;
}

/* Which of a binding's two people may make a change. */
typedef enum { BY_MEMBER, BY_DONOR, BY_EITHER } binding_role;

/* Load a binding inside the transaction and check the actor may touch it. In the app, a binding
 * the actor is not one of the two people of answers exactly like one that does not exist (ids
 * are sequential: a refusal would tell that the id is in use); one of the two people acting in
 * the other's role is refused (FORBIDDEN). */
static gj_err load_for_change(gj_engine *e, const gj_actor *who, const char *binding_id,
                              binding_role role, gj_binding_row *row, gj_status *st) {
    gj_err err = facts_binding(e, binding_id, row, st);
    if (err != GJ_E_OK) return err;
    if (eng_actor_may(who, row->donor, row->member, st) != GJ_E_OK)
        return gj_fail(st, GJ_E_NOT_FOUND, FACTS_BINDING_NOT_FOUND);
    return eng_actor_may(who, role == BY_MEMBER ? NULL : row->donor,
                         role == BY_DONOR ? NULL : row->member, st);
}

gj_err gj_bind_accept(gj_engine *e, const gj_actor *who, const char *binding_id,
                      const char *verify_method, const char *verify_ref, json_t **out,
                      gj_status *st) {
    gj_binding_row row;
    gj_time now = gj_now();
    gj_err err = check_verification(verify_method, verify_ref, st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_for_change(e, who, binding_id, BY_MEMBER, &row, st);
    bool upgrade = err == GJ_E_OK && row.facts.status == GJ_BIND_ACTIVE && row.facts.temporary;
    if (err == GJ_E_OK && row.facts.status != GJ_BIND_PENDING && !upgrade)
        err = gj_fail(st, GJ_E_NOT_PENDING, "binding is %s", gj_binding_status_code(row.facts.status));
    if (err == GJ_E_OK && row.facts.frozen)   /* R9.2: only staff change a frozen binding */
        err = gj_fail(st, GJ_E_FROZEN, "binding frozen: %s", row.frozen_reason);
    if (err == GJ_E_OK && upgrade)
        err = gj_store_exec(e->store, "UPDATE binding SET temporary = 0 WHERE binding_id = $1",
                            GJ_PARAMS(P_TEXT(binding_id)), NULL, st);
    else if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "UPDATE binding SET status = 'active', active_from = $2 "
                                      "WHERE binding_id = $1",
                            GJ_PARAMS(P_TEXT(binding_id), P_INT(now)), NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, upgrade ? "binding.upgrade" : "binding.accept", binding_id,
                          json_pack("{s:s, s:s}", "verify_method", verify_method, "member", row.member),
                          now, st);
    if (err == GJ_E_OK) err = facts_binding(e, binding_id, &row, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = binding_json(&row);
    return err;
}

gj_err gj_bind_reject(gj_engine *e, const gj_actor *who, const char *binding_id, json_t **out,
                      gj_status *st) {
    gj_binding_row row;
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_for_change(e, who, binding_id, BY_MEMBER, &row, st);
    if (err == GJ_E_OK && row.facts.status != GJ_BIND_PENDING)
        err = gj_fail(st, GJ_E_NOT_PENDING, "binding is %s", gj_binding_status_code(row.facts.status));
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "UPDATE binding SET status = 'rejected', ended_at = $2 "
                                      "WHERE binding_id = $1",
                            GJ_PARAMS(P_TEXT(binding_id), P_INT(gj_now())), NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "binding.reject", binding_id, json_object(), gj_now(), st);
    if (err == GJ_E_OK) err = facts_binding(e, binding_id, &row, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = binding_json(&row);
    return err;
}

gj_err gj_bind_set(gj_engine *e, const gj_actor *who, const char *binding_id,
                   const gj_binding_change *chg, json_t **out, gj_status *st) {
    gj_binding_row row;
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_for_change(e, who, binding_id, BY_DONOR, &row, st);
    if (err == GJ_E_OK) err = rules_change_binding(e, who, &row, chg, st);
    if (err == GJ_E_OK) err = facts_binding(e, binding_id, &row, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = binding_json(&row);
    return err;
}

gj_err gj_bind_unbind(gj_engine *e, const gj_actor *who, const char *binding_id, json_t **out,
                      gj_status *st) {
    gj_binding_row row;
    gj_person_facts donor;
    const gj_policy *policy = NULL;
    gj_time now = gj_now();
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_for_change(e, who, binding_id, BY_EITHER, &row, st);
    if (err == GJ_E_OK && row.facts.status != GJ_BIND_ACTIVE && row.facts.status != GJ_BIND_PENDING)
        err = gj_fail(st, GJ_E_BINDING_NOT_ACTIVE, "binding is %s", gj_binding_status_code(row.facts.status));
    if (err == GJ_E_OK) err = facts_person(e, row.donor, &donor, st);
    if (err == GJ_E_OK) err = facts_policy(e, donor.admdvs, gj_time_date(now), &policy, st);
    gj_time until = policy ? gj_family_unbind_effective(policy, now) : now;
    if (row.facts.status == GJ_BIND_PENDING) until = now;
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "UPDATE binding SET status = 'ended', active_until = $2, "
                                      "ended_at = $3, active_from = COALESCE(active_from, $3) "
                                      "WHERE binding_id = $1",
                            GJ_PARAMS(P_TEXT(binding_id), P_INT(until), P_INT(now)), NULL, st);
    char until_text[GJ_TIME_TEXT_MAX];
    gj_time_format(until, until_text, sizeof until_text);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "binding.unbind", binding_id,
                          json_pack("{s:s, s:s}", "effective", until_text, "by", who->actor), now, st);
    if (err == GJ_E_OK) err = facts_binding(e, binding_id, &row, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) {
        *out = binding_json(&row);
        json_object_set_new(*out, "unbind_effective", json_string(until_text));
    }
    return err;
}

/* The names on a binding of the family view: the donor's always (they invited the member),
 * the member's once they accepted — status active, or ended after having been active (a
 * withdrawn invitation ends with active_from = ended_at) — so that typing a stranger's number
 * into an invitation never tells the donor whose it is. */
static gj_err add_names(gj_engine *e, json_t *binding, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(
        e->store,
        "SELECT d.name, CASE WHEN b.status = 'active' OR (b.status = 'ended' AND "
        "b.active_from < b.ended_at) THEN m.name END "
        "FROM binding b JOIN person d ON d.psn_no = b.donor JOIN person m ON m.psn_no = b.member "
        "WHERE b.binding_id = $1",
        GJ_PARAMS(P_TEXT(json_string_value(json_object_get(binding, "binding_id")))), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        json_object_set_new(binding, "donor_name", json_string(gj_rows_text(rows, 0)));
        json_object_set_new(binding, "member_name",
                            gj_rows_null(rows, 1) ? json_null() : json_string(gj_rows_text(rows, 1)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

static gj_err list_bindings(gj_engine *e, const char *sql, const char *psn_no, json_t *into,
                            gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, sql, GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (gj_rows_next(rows)) {
        gj_binding_row b;
        facts_binding_from_row(rows, &b);
        json_array_append_new(into, binding_json(&b));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    for (size_t i = 0; err == GJ_E_OK && i < json_array_size(into); i++)
        err = add_names(e, json_array_get(into, i), st);
    return err;
}

gj_err gj_network_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_person_facts person;
    gj_err err = facts_person(e, psn_no, &person, st);
    if (err != GJ_E_OK) return err;
    json_t *as_donor = json_array(), *as_member = json_array(), *network = json_array();
    json_t *result = json_pack("{s:s, s:o, s:o, s:o}", "psn_no", psn_no, "as_donor", as_donor,
                               "as_member", as_member, "network_members", network);
    if ((err = list_bindings(e, BINDING_SELECT "WHERE b.donor = $1 ORDER BY b.created_at",
                             psn_no, as_donor, st)) ||
        (err = list_bindings(e, BINDING_SELECT "WHERE b.member = $1 ORDER BY b.created_at",
                             psn_no, as_member, st)) ||
        (err = list_bindings(e, BINDING_SELECT
                             "WHERE b.status = 'active' AND b.network_id IN ("
                             "SELECT network_id FROM network WHERE creator = $1 UNION "
                             "SELECT network_id FROM binding WHERE member = $1 AND status = 'active') "
                             "ORDER BY b.created_at", psn_no, network, st))) {
        json_decref(result);
        return err;
    }
    *out = result;
    return GJ_E_OK;
}
