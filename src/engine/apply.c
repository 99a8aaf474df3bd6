/* apply.c — offline applications at an agency window (R3.7): filed with the documents seen,
 * reviewed by staff; approval creates the binding through the same rules as the app flow and
 * makes it effective at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_rules.h"

static json_t *invite_json(const gj_invite *inv) {
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "donor", inv->donor, "member",
                          inv->member, "relation", inv->relation ? inv->relation : "",
                          "modes", inv->modes ? inv->modes : "payment,contribution",
                          "temporary", inv->temporary, "declared_by",
                          inv->declared_by ? inv->declared_by : inv->donor, "proof",
                          inv->proof ? inv->proof : "");
    if (inv->has_authorized) gj_json_set_yuan(o, "authorized_yuan", inv->authorized_fen);
    if (inv->has_limit) gj_json_set_yuan(o, "limit_yuan", inv->limit_fen);
    return o;
}

/* What an application must say to be filed: donor, member and a known relation, known modes
 * (none: both), two different people, the relation declared by one of them (none: the donor),
 * and the documents seen. The rules needing the store are checked at approval. */
static gj_err check_application(const gj_invite *inv, gj_status *st) {
    int modes = 0;
    gj_relation relation = GJ_REL_SPOUSE;
    if (inv->donor == NULL || inv->member == NULL || inv->relation == NULL)
        return gj_fail(st, GJ_E_BAD_FIELD, "donor, member and relation are required");
    gj_err err = rules_parse_relation(inv->relation, &relation, st);
    if (err == GJ_E_OK) err = rules_parse_modes(inv->modes, &modes, st);
    if (err != GJ_E_OK) return err;
    if (strcmp(inv->donor, inv->member) == 0)
        return gj_fail(st, GJ_E_SELF_BINDING, "donor and member are the same person");
    if (inv->declared_by != NULL && strcmp(inv->declared_by, inv->donor) != 0 &&
        strcmp(inv->declared_by, inv->member) != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "declared_by: the donor or the member");
    if (inv->proof == NULL || *inv->proof == '\0')
        return gj_fail(st, GJ_E_BAD_FIELD, "proof: the documents seen (ID, household register) are required");
    return GJ_E_OK;
}

gj_err gj_apply_submit(gj_engine *e, const gj_actor *who, const gj_invite *inv, json_t **out,
                       gj_status *st) {
    gj_err err = check_application(inv, st);
    if (err != GJ_E_OK) return err;
    gj_person_facts donor, member;
    char app_id[GJ_BINDING_ID_MAX];
    gj_time now = gj_now();
    json_t *request = invite_json(inv);
    char *text = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS);
    err = eng_begin(e, st);
    if (err == GJ_E_OK && !(err = facts_person(e, inv->donor, &donor, st)) &&
        !(err = facts_person(e, inv->member, &member, st)) &&
        !(err = eng_new_id(e, "application", "A", app_id, sizeof app_id, st)))
        err = gj_store_exec(e->store, "INSERT INTO application (app_id, donor, member, request, "
                                      "status, submitted_by, submitted_at) "
                                      "VALUES ($1,$2,$3,$4,'submitted',$5,$6)",
                            GJ_PARAMS(P_TEXT(app_id), P_TEXT(inv->donor), P_TEXT(inv->member),
                                      P_TEXT(text), P_TEXT(who->actor), P_INT(now)), NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "application.submit", app_id, json_deep_copy(request), now, st);
    free(text);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:o}", "app_id", app_id, "status", "submitted", "request", request);
    else json_decref(request);
    return err;
}

/* Rebuild the invitation stored with an application. */
static gj_err stored_invite(json_t *req, gj_invite *inv, gj_status *st) {
    memset(inv, 0, sizeof *inv);
    inv->donor = json_string_value(json_object_get(req, "donor"));
    inv->member = json_string_value(json_object_get(req, "member"));
    inv->relation = json_string_value(json_object_get(req, "relation"));
    inv->modes = json_string_value(json_object_get(req, "modes"));
    inv->temporary = json_is_true(json_object_get(req, "temporary"));
    inv->declared_by = json_string_value(json_object_get(req, "declared_by"));
    inv->proof = json_string_value(json_object_get(req, "proof"));
    gj_err err = GJ_E_OK;
    if (!gj_json_absent(req, "authorized_yuan")) {
        inv->has_authorized = true;
        err = gj_json_amount(req, "authorized_yuan", true, &inv->authorized_fen, st);
    }
    if (err == GJ_E_OK && !gj_json_absent(req, "limit_yuan")) {
        inv->has_limit = true;
        err = gj_json_amount(req, "limit_yuan", true, &inv->limit_fen, st);
    }
    return err;
}

static gj_err load_application(gj_engine *e, const char *app_id, json_t **request, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT request, status FROM application WHERE app_id = $1",
                                GJ_PARAMS(P_TEXT(app_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (!gj_rows_next(rows)) {
        err = gj_rows_error(rows, st);
        if (err == GJ_E_OK) err = gj_fail(st, GJ_E_NOT_FOUND, "application not found");
    } else if (strcmp(gj_rows_text(rows, 1), "submitted") != 0) {
        err = gj_fail(st, GJ_E_APPLICATION_STATE, "application is %s", gj_rows_text(rows, 1));
    } else {
        err = gj_json_loads_exact(gj_rows_text(rows, 0), strlen(gj_rows_text(rows, 0)), request, st);
    }
    gj_rows_end(rows);
    return err;
}

gj_err gj_apply_review(gj_engine *e, const gj_actor *who, const char *app_id, bool approve,
                       const char *reason, json_t **out, gj_status *st) {
    if (!approve && (reason == NULL || *reason == '\0'))
        return gj_fail(st, GJ_E_BAD_FIELD, "reason: required when rejecting");
    json_t *request = NULL;
    gj_invite inv;
    char binding_id[GJ_BINDING_ID_MAX] = "";
    gj_time now = gj_now();
    gj_err err = eng_begin(e, st);
    if (err == GJ_E_OK) err = load_application(e, app_id, &request, st);
    if (err == GJ_E_OK) err = stored_invite(request, &inv, st);
    if (err == GJ_E_OK && approve) err = rules_create_binding(e, who, &inv, true, binding_id, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "UPDATE application SET status = $2, reviewed_by = $3, "
                                      "reviewed_at = $4, reason = $5, binding_id = $6 WHERE app_id = $1",
                            GJ_PARAMS(P_TEXT(app_id), P_TEXT(approve ? "approved" : "rejected"),
                                      P_TEXT(who->actor), P_INT(now), P_TEXT(reason ? reason : ""),
                                      P_TEXT(approve ? binding_id : NULL)), NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, approve ? "application.approve" : "application.reject", app_id,
                          json_pack("{s:s, s:s}", "reason", reason ? reason : "", "binding_id", binding_id),
                          now, st);
    json_decref(request);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s, s:s}", "app_id", app_id, "status",
                         approve ? "approved" : "rejected", "binding_id", binding_id, "reason",
                         reason ? reason : "");
    return err;
}

gj_err gj_apply_list(gj_engine *e, const char *status, json_t **out, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store,
                                "SELECT app_id, donor, member, request, status, submitted_by, "
                                "submitted_at, reviewed_by, reason, binding_id FROM application "
                                "WHERE $1 IS NULL OR status = $1 ORDER BY app_id",
                                GJ_PARAMS(P_TEXT(status)), &rows, st);
    if (err != GJ_E_OK) return err;
    json_t *list = json_array();
    while (gj_rows_next(rows)) {
        char at[GJ_TIME_TEXT_MAX];
        json_t *req = json_loads(gj_rows_text(rows, 3), 0, NULL);
        json_array_append_new(list, json_pack(
            "{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "app_id", gj_rows_text(rows, 0),
            "donor", gj_rows_text(rows, 1), "member", gj_rows_text(rows, 2),
            "request", req ? req : json_null(), "status", gj_rows_text(rows, 4),
            "submitted_by", gj_rows_text(rows, 5),
            "submitted_at", gj_time_format(gj_rows_int(rows, 6), at, sizeof at),
            "reviewed_by", gj_rows_text(rows, 7), "reason", gj_rows_text(rows, 8),
            "binding_id", gj_rows_text(rows, 9)));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err != GJ_E_OK) {
        json_decref(list);
        return err;
    }
    *out = json_pack("{s:o}", "applications", list);
    return GJ_E_OK;
}
