/* remote_care.c — across regions (R8): remote-care registrations (异地就医备案) with their
 * period, and the cross-region facts of a person (does their region take part in
 * cross-province mutual aid today; does a registration cover today). Which provinces take part
 * from when is data: the effective-dated `geography.cross_province` setting of the policies. */
#include <stdio.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "network_rules.h"
#include "regions_internal.h"

enum { REGISTRATIONS_MAX = 200 };

gj_err regions_cross_province_fact(gj_engine *e, gj_person_facts *p, gj_date today, gj_status *st) {
    const gj_policy *policy = NULL;
    gj_err err = facts_policy(e, p->admdvs, today, &policy, st);
    if (err == GJ_E_OK) p->region_cross_province = policy->geo_cross_province;
    return err;
}

static json_t *registration_json(gj_rows *rows) {
    char from[GJ_DATE_TEXT_MAX], to[GJ_DATE_TEXT_MAX], at[GJ_TIME_TEXT_MAX];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reg_id", gj_rows_text(rows, 0),
                     "psn_no", gj_rows_text(rows, 1), "place_admdvs", gj_rows_text(rows, 2),
                     "valid_from", gj_date_format((gj_date)gj_rows_int(rows, 3), from, sizeof from),
                     "valid_to", gj_date_format((gj_date)gj_rows_int(rows, 4), to, sizeof to),
                     "registered_at", gj_time_format(gj_rows_int(rows, 5), at, sizeof at));
}

/* Registrations of psn_no (all, or only reg_id when not NULL) appended to list. */
static gj_err list_registrations(gj_engine *e, const char *psn_no, const char *reg_id, json_t *list,
                                 gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT reg_id, psn_no, place_admdvs, valid_from, valid_to, "
                                          "registered_at FROM remote_care WHERE psn_no = $1 "
                                          "AND reg_id LIKE $2 ORDER BY registered_at DESC, reg_id DESC",
                                GJ_PARAMS(P_TEXT(psn_no), P_TEXT(reg_id ? reg_id : "%")), &rows, st);
    if (err != GJ_E_OK) return err;
    while (json_array_size(list) < REGISTRATIONS_MAX && gj_rows_next(rows))
        json_array_append_new(list, registration_json(rows));
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_remote_care_add(gj_engine *e, const gj_actor *who, const char *psn_no,
                          const char *place_admdvs, gj_date from, gj_date to, json_t **out,
                          gj_status *st) {
    gj_person_facts p;
    char reg_id[GJ_BINDING_ID_MAX];
    gj_time now = gj_now();
    gj_err err = eng_actor_may(who, psn_no, NULL, st);
    if (err == GJ_E_OK && (place_admdvs == NULL || !gj_admdvs_valid(place_admdvs)))
        err = gj_fail(st, GJ_E_BAD_ADMDVS, "place: \"%s\"", place_admdvs ? place_admdvs : "");
    if (err == GJ_E_OK && from > to) err = gj_fail(st, GJ_E_BAD_DATE, "the period ends before it starts");
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    if ((err = facts_person(e, psn_no, &p, st)) == GJ_E_OK &&
        (err = eng_new_id(e, "remote_care", "RC", reg_id, sizeof reg_id, st)) == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO remote_care (reg_id, psn_no, place_admdvs, valid_from, "
                                      "valid_to, registered_at, actor, channel) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                            GJ_PARAMS(P_TEXT(reg_id), P_TEXT(psn_no), P_TEXT(place_admdvs), P_INT(from),
                                      P_INT(to), P_INT(now), P_TEXT(who->actor), P_TEXT(who->channel)),
                            NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "remote_care.add", psn_no,
                          json_pack("{s:s, s:s}", "reg_id", reg_id, "place_admdvs", place_admdvs), now, st);
    json_t *list = json_array();
    if (err == GJ_E_OK) err = list_registrations(e, psn_no, reg_id, list, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    return err;
}

gj_err gj_remote_care_list(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_person_facts p;
    json_t *list = json_array();
    gj_err err = facts_person(e, psn_no, &p, st);
    if (err == GJ_E_OK) err = list_registrations(e, psn_no, NULL, list, st);
    if (err != GJ_E_OK) {
        json_decref(list);
        return err;
    }
    *out = json_pack("{s:s, s:o}", "psn_no", psn_no, "registrations", list);
    return GJ_E_OK;
}
