/* facts.c — loading the facts the domain rules need: a person with their account balance,
 * the policy in force, a binding and what has been paid under it. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "engine_internal.h"
#include "regions_internal.h"
#include "xa_internal.h"

gj_err facts_person(gj_engine *e, const char *psn_no, gj_person_facts *out, gj_status *st) {
    gj_acct_view acct;
    bool exists = false;
    return facts_person_account(e, psn_no, out, &acct, &exists, NULL, st);
}

static const char person_sql[] = "SELECT insutype, admdvs, status, birth_date, " FACTS_REMOTE_CARE_COLUMN
                                 " FROM person WHERE psn_no = $1";

gj_err facts_person_account(gj_engine *e, const char *psn_no, gj_person_facts *out,
                            gj_acct_view *acct, bool *exists, const facts_person_query *q,
                            gj_status *st) {
    memset(out, 0, sizeof *out);
    memset(acct, 0, sizeof *acct);
    *exists = false;
    if (psn_no == NULL || strlen(psn_no) >= GJ_PSN_NO_MAX)
        return gj_fail(st, GJ_E_NOT_FOUND, "person not found");
    gj_rows *rows = NULL;
    gj_date today = gj_time_date(gj_now());
    gj_err err = gj_store_query(e->store, q != NULL ? q->sql : person_sql,
                                GJ_PARAMS(P_TEXT(psn_no), P_TEXT(q != NULL ? q->arg : NULL), P_INT(today)),
                                &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        bool ok = false;
        gj_copy_text(out->psn_no, sizeof out->psn_no, psn_no);
        gj_copy_text(out->insutype, sizeof out->insutype, gj_rows_text(rows, 0));
        gj_copy_text(out->admdvs, sizeof out->admdvs, gj_rows_text(rows, 1));
        out->status = gj_psn_status_parse(gj_rows_text(rows, 2), &ok);
        assert(ok);
        out->birth = (gj_date)gj_rows_int(rows, 3);
        out->remote_care = gj_rows_int(rows, 4) > 0;
        if (q != NULL) q->row(rows, q->ctx);
    } else {
        err = gj_rows_error(rows, st);
        if (err == GJ_E_OK) err = gj_fail(st, GJ_E_NOT_FOUND, "person not found");
    }
    gj_rows_end(rows);
    if (err != GJ_E_OK) return err;
    err = xa_person_layers(e, psn_no, out->admdvs, acct, exists, st);   /* their province's database */
    out->balance_fen = acct->layer_fen[GJ_LAYER_CURRENT] + acct->layer_fen[GJ_LAYER_PRIOR];
    out->account_frozen = acct->frozen;
    if (err == GJ_E_OK) err = regions_cross_province_fact(e, out, today, st);
    return err;
}

gj_err facts_policy(gj_engine *e, const char *admdvs, gj_date on, const gj_policy **out,
                    gj_status *st) {
    return gj_policy_resolve(e->policies, admdvs, on, out, st);
}

void facts_binding_from_row(gj_rows *rows, gj_binding_row *b) {
    memset(b, 0, sizeof *b);
    gj_copy_text(b->binding_id, sizeof b->binding_id, gj_rows_text(rows, 0));
    gj_copy_text(b->network_id, sizeof b->network_id, gj_rows_text(rows, 1));
    gj_copy_text(b->donor, sizeof b->donor, gj_rows_text(rows, 2));
    gj_copy_text(b->member, sizeof b->member, gj_rows_text(rows, 3));
    int rel = gj_relation_parse(gj_rows_text(rows, 4));
    assert(rel >= 0);
    b->facts.relation = (gj_relation)rel;
    b->facts.modes = (gj_rows_int(rows, 5) ? GJ_MODE_PAYMENT : 0) |
                     (gj_rows_int(rows, 6) ? GJ_MODE_CONTRIBUTION : 0);
    b->facts.temporary = gj_rows_int(rows, 7) != 0;
    b->authorized_fen = gj_rows_null(rows, 8) ? -1 : gj_rows_int(rows, 8);
    b->limit_fen = gj_rows_null(rows, 9) ? -1 : gj_rows_int(rows, 9);
    b->priority = (int)gj_rows_int(rows, 10);
    b->facts.status = gj_binding_status_parse(gj_rows_text(rows, 11));
    b->created_at = gj_rows_int(rows, 12);
    b->facts.active_from = gj_rows_null(rows, 13) ? 0 : gj_rows_int(rows, 13);
    b->facts.active_until = gj_rows_null(rows, 14) ? 0 : gj_rows_int(rows, 14);
    b->facts.frozen = gj_rows_int(rows, 15) != 0;
    b->donor_is_creator = strcmp(gj_rows_text(rows, 16), b->donor) == 0;
    if (!gj_rows_null(rows, 17)) gj_copy_text(b->frozen_reason, sizeof b->frozen_reason, gj_rows_text(rows, 17));
}

gj_err facts_binding(gj_engine *e, const char *binding_id, gj_binding_row *out, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, BINDING_SELECT "WHERE b.binding_id = $1", GJ_PARAMS(P_TEXT(binding_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) facts_binding_from_row(rows, out);
    else if ((err = gj_rows_error(rows, st)) == GJ_E_OK)
        err = gj_fail(st, GJ_E_NOT_FOUND, FACTS_BINDING_NOT_FOUND);
    gj_rows_end(rows);
    return err;
}

static json_t *optional_yuan(gj_fen fen) { return fen < 0 ? json_null() : gj_json_yuan(fen); }

json_t *binding_json(const gj_binding_row *b) {
    char from[GJ_TIME_TEXT_MAX], until[GJ_TIME_TEXT_MAX], created[GJ_TIME_TEXT_MAX];
    json_t *modes = json_array();
    if (b->facts.modes & GJ_MODE_PAYMENT) json_array_append_new(modes, json_string("payment"));
    if (b->facts.modes & GJ_MODE_CONTRIBUTION) json_array_append_new(modes, json_string("contribution"));
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:i, s:s, s:b, s:s, s:o, s:o}",
        "binding_id", b->binding_id, "network_id", b->network_id, "donor", b->donor,
        "member", b->member, "relation", gj_relation_code(b->facts.relation),
        "relation_zh", gj_relation_zh(b->facts.relation), "modes", modes,
        "temporary", b->facts.temporary, "authorized_yuan", optional_yuan(b->authorized_fen),
        "limit_yuan", optional_yuan(b->limit_fen), "priority", b->priority,
        "status", gj_binding_status_code(b->facts.status), "frozen", b->facts.frozen,
        "created_at", gj_time_format(b->created_at, created, sizeof created),
        "active_from", b->facts.active_from ? json_string(gj_time_format(b->facts.active_from, from, sizeof from)) : json_null(),
        "active_until", b->facts.active_until ? json_string(gj_time_format(b->facts.active_until, until, sizeof until)) : json_null());
    if (b->facts.frozen) json_object_set_new(o, "frozen_reason", json_string(b->frozen_reason));
    return o;
}
