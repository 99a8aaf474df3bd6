/* nhsa_visit.c — visits of the national interface: outpatient registration (2201) and its
 * cancel (2202), visit information (2203), admission (2401), discharge (2402) and their cancels
 * (2404/2405), and the visit check of a settlement. A visit belongs to one institution and one
 * person; another institution's visit is answered as not found. Opening a visit checks the
 * patient's own credential (R4.1) and insurance, like a settlement. */
#include <stdio.h>
#include <string.h>

#include "nhsa_commands.h"
#include "settle_facts.h"

enum { DIAGNOSES_MAX = 50, IPT_OTP_NO_MAX = 30 };

const char *visit_kind_of(const nhsa_ctx *ctx) {
    return ctx->infno[1] == '2' || ctx->infno[1] == '1' ? "outpatient" : "inpatient";
}

static gj_err visit_load(gj_engine *e, const char *mdtrt_id, nhsa_visit *v, bool *found,
                         gj_status *st) {
    gj_rows *rows = NULL;
    memset(v, 0, sizeof *v);
    *found = false;
    gj_err err = gj_store_query(e->store, "SELECT mdtrt_id, fixmedins_code, psn_no, kind, med_type, "
                                          "insutype, status, begntime FROM visit WHERE mdtrt_id = $1",
                                GJ_PARAMS(P_TEXT(mdtrt_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        *found = true;
        snprintf(v->mdtrt_id, sizeof v->mdtrt_id, "%s", gj_rows_text(rows, 0));
        snprintf(v->fixmedins_code, sizeof v->fixmedins_code, "%s", gj_rows_text(rows, 1));
        snprintf(v->psn_no, sizeof v->psn_no, "%s", gj_rows_text(rows, 2));
        snprintf(v->kind, sizeof v->kind, "%s", gj_rows_text(rows, 3));
        snprintf(v->med_type, sizeof v->med_type, "%s", gj_rows_text(rows, 4));
        snprintf(v->insutype, sizeof v->insutype, "%s", gj_rows_text(rows, 5));
        snprintf(v->status, sizeof v->status, "%s", gj_rows_text(rows, 6));
        v->begntime = gj_rows_int(rows, 7);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

static gj_err check_own(const nhsa_ctx *ctx, const nhsa_visit *v, bool found, const char *psn_no,
                        const char *kind, gj_status *st) {
    if (!found || strcmp(v->fixmedins_code, ctx->fixmedins_code) != 0 || strcmp(v->psn_no, psn_no) != 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "mdtrt_id: no such visit for this institution and person");
    if (strcmp(v->kind, kind) != 0)
        return gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: an %s visit, not %s", v->kind, kind);
    if (strcmp(v->status, "cancelled") == 0)
        return gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: the visit is cancelled");
    return GJ_E_OK;
}

gj_err visit_own(gj_engine *e, const nhsa_ctx *ctx, const char *mdtrt_id, const char *psn_no,
                 const char *kind, nhsa_visit *v, gj_status *st) {
    bool found = false;
    gj_err err = visit_load(e, mdtrt_id, v, &found, st);
    return err != GJ_E_OK ? err : check_own(ctx, v, found, psn_no, kind, st);
}

gj_err visit_from_input(gj_engine *e, const nhsa_ctx *ctx, const char *block, json_t **d,
                        nhsa_visit *v, gj_status *st) {
    char mdtrt_id[NHSA_ID_MAX], psn_no[GJ_PSN_NO_MAX];
    gj_err err;
    if ((err = nhsa_input_block(ctx, block, d, st)) ||
        (err = nhsa_copy_text(*d, "mdtrt_id", true, mdtrt_id, sizeof mdtrt_id, st)) ||
        (err = nhsa_copy_text(*d, "psn_no", true, psn_no, sizeof psn_no, st)))
        return err;
    return visit_own(e, ctx, mdtrt_id, psn_no, visit_kind_of(ctx), v, st);
}

gj_err visit_not_settled(gj_engine *e, const nhsa_visit *v, gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM settlement WHERE mdtrt_id = $1 "
                                            "AND fixmedins_code = $2 AND status = 'settled'",
                                  GJ_PARAMS(P_TEXT(v->mdtrt_id), P_TEXT(v->fixmedins_code)), &n, st);
    if (err == GJ_E_OK && n > 0)
        err = gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: a settlement of this visit is in force; cancel it first");
    return err;
}

/* A stay settles at most once finally: refused (WRONG_STATE) while a 2304 of it with
 * mid_setl_flag "0" is in force; mid-settlements do not count, and a cancelled (2305, 2601)
 * final one no longer does. The terms match index settlement_stay_final (schema 16), which
 * holds only final inpatient settlements in force. */
static gj_err stay_not_settled_finally(gj_engine *e, const nhsa_visit *v, gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM settlement WHERE mdtrt_id = $1 "
                                            "AND fixmedins_code = $2 AND infno = '2304' "
                                            "AND mid_setl = 0 AND status = 'settled'",
                                  GJ_PARAMS(P_TEXT(v->mdtrt_id), P_TEXT(v->fixmedins_code)), &n, st);
    if (err == GJ_E_OK && n > 0)
        err = gj_fail(st, GJ_E_WRONG_STATE,
                      "mdtrt_id: the stay has a final settlement in force; cancel it (2305) first");
    return err;
}

gj_err visit_for_settlement(gj_engine *e, const nhsa_ctx *ctx, settle_request *req,
                            bool inpatient, gj_status *st) {
    nhsa_visit v;
    bool found = false;
    if (req->mdtrt_id[0] == '\0')
        return inpatient ? gj_fail(st, GJ_E_BAD_FIELD, "mdtrt_id: required (the stay admitted with 2401)")
                         : GJ_E_OK;
    gj_err err = visit_load(e, req->mdtrt_id, &v, &found, st);
    if (err != GJ_E_OK || (!found && !inpatient)) return err;
    if ((err = check_own(ctx, &v, found, req->psn_no, inpatient ? "inpatient" : "outpatient", st)) ||
        (inpatient && (err = stay_not_settled_finally(e, &v, st))))
        return err;
    if (strcmp(v.insutype, req->bill.insutype) != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "insutype: the visit was opened under %s", v.insutype);
    if (req->bill.med_type[0] == '\0') snprintf(req->bill.med_type, sizeof req->bill.med_type, "%s", v.med_type);
    if (json_object_get(ctx->input, "feedetail") != NULL || json_object_get(ctx->input, "drugdetail") != NULL)
        return GJ_E_OK;   /* the request lists its own items */
    return fee_excluded(e, v.mdtrt_id, req->chrg_bchno, &req->bill, st);
}

/* diseinfo[] → a JSON array of {diag_type, diag_srt_no, diag_code, diag_name, maindiag_flag}
 * (*out NULL when the list is absent). */
static gj_err decode_diagnoses(json_t *list, char **out, gj_status *st) {
    static const struct { const char *name; size_t max; bool required; } fields[] = {
        {"diag_type", 3, false}, {"diag_srt_no", 10, false}, {"diag_code", 30, true},
        {"diag_name", 100, true}, {"maindiag_flag", 1, false}};
    *out = NULL;
    if (list == NULL || json_is_null(list)) return GJ_E_OK;
    if (!json_is_array(list) || json_array_size(list) > DIAGNOSES_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "diseinfo: array of at most %d diagnoses", DIAGNOSES_MAX);
    json_t *kept = json_array();
    gj_err err = GJ_E_OK;
    for (size_t i = 0; err == GJ_E_OK && i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i), *o = json_object();
        json_array_append_new(kept, o);
        if (!json_is_object(item)) err = gj_fail(st, GJ_E_BAD_FIELD, "diseinfo[%zu]: object expected", i);
        for (size_t f = 0; err == GJ_E_OK && f < sizeof fields / sizeof fields[0]; f++) {
            const char *v = NULL;
            err = fields[f].required ? gj_json_text(item, fields[f].name, fields[f].max, &v, st)
                                     : gj_json_text_opt(item, fields[f].name, fields[f].max, &v, st);
            if (err == GJ_E_OK) json_object_set_new(o, fields[f].name, json_string(v ? v : ""));
            else nhsa_item_error(st, "diseinfo", i);
        }
    }
    if (err == GJ_E_OK) *out = json_dumps(kept, JSON_COMPACT);
    json_decref(kept);
    return err;
}

static gj_err decode_time(json_t *d, const char *name, gj_time *out, gj_status *st) {
    const char *text = NULL;
    gj_err err = gj_json_text(d, name, GJ_TIME_TEXT_MAX - 1, &text, st);
    if (err == GJ_E_OK && gj_time_parse(text, out) != GJ_E_OK)
        err = gj_fail(st, GJ_E_BAD_DATE, "%s: yyyy-MM-dd HH:mm:ss expected", name);
    return err;
}

typedef struct {
    const char *block;         /* input block: data (2201) or mdtrtinfo (2401) */
    const char *number_field;  /* the institution's visit number: ipt_otp_no or ipt_no */
    const char *kind;
    const char *default_med_type;
    const char *output_block;  /* data (2201) or result (2401) */
} visit_opening;

/* 2201 / 2401: the patient's own credential and insurance (R4.1), then a new visit. */
static gj_err open_visit(gj_engine *e, const nhsa_ctx *ctx, const visit_opening *o,
                         json_t **output, gj_status *st) {
    settle_request req = {.psn_no = ""};
    gj_person_facts patient;
    gj_acct_view acct;
    bool has_account = false;
    json_t *d = NULL;
    char number[IPT_OTP_NO_MAX + 1], mdtrt_id[NHSA_ID_MAX], *diagnoses = NULL;
    gj_time begntime = 0;
    gj_err err;
    if ((err = nhsa_input_block(ctx, o->block, &d, st)) || (err = nhsa_decode_patient(d, &req, st)) ||
        (err = nhsa_copy_text(d, o->number_field, true, number, sizeof number, st)) ||
        (err = decode_time(d, "begntime", &begntime, st)) ||
        (err = decode_diagnoses(json_object_get(ctx->input, "diseinfo"), &diagnoses, st)) ||
        (err = settle_check_patient(e, &req, &patient, &acct, &has_account, NULL, st)) ||
        (err = eng_new_id(e, "visit", "MD", mdtrt_id, sizeof mdtrt_id, st))) {
        free(diagnoses);
        return err;
    }
    const char *med_type = req.bill.med_type[0] ? req.bill.med_type : o->default_med_type;
    err = gj_store_exec(e->store, "INSERT INTO visit (mdtrt_id, fixmedins_code, psn_no, kind, med_type, "
                                  "insutype, ipt_otp_no, begntime, status, diagnoses, msgid) "
                                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'open',$9,$10)",
                        GJ_PARAMS(P_TEXT(mdtrt_id), P_TEXT(ctx->fixmedins_code), P_TEXT(req.psn_no),
                                  P_TEXT(o->kind), P_TEXT(med_type), P_TEXT(req.bill.insutype),
                                  P_TEXT(number), P_INT(begntime), P_TEXT(diagnoses ? diagnoses : "[]"),
                                  P_TEXT(ctx->msgid)), NULL, st);
    free(diagnoses);
    if (err == GJ_E_OK)
        err = nhsa_journal(e, ctx, "visit.open", mdtrt_id,
                           json_pack("{s:s, s:s, s:s}", "psn_no", req.psn_no, "kind", o->kind,
                                     "med_type", med_type), st);
    if (err == GJ_E_OK)
        *output = json_pack("{s:{s:s, s:s, s:s}}", o->output_block, "mdtrt_id", mdtrt_id,
                            "psn_no", req.psn_no, "ipt_otp_no", number);
    return err;
}

gj_err nhsa_visit_register(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    static const visit_opening o = {"data", "ipt_otp_no", "outpatient", "11", "data"};
    return open_visit(e, ctx, &o, output, st);
}

gj_err nhsa_visit_admit(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    static const visit_opening o = {"mdtrtinfo", "ipt_no", "inpatient", "21", "result"};
    return open_visit(e, ctx, &o, output, st);
}

/* Set the visit's status (and endtime) after the state checks; journal it. */
static gj_err set_status(gj_engine *e, const nhsa_ctx *ctx, nhsa_visit *v, const char *status,
                         bool has_end, gj_time endtime, json_t **output, gj_status *st) {
    gj_err err = gj_store_exec(e->store, "UPDATE visit SET status = $2, endtime = $3 WHERE mdtrt_id = $1",
                               GJ_PARAMS(P_TEXT(v->mdtrt_id), P_TEXT(status),
                                         has_end ? P_INT(endtime) : P_NULL), NULL, st);
    if (err == GJ_E_OK)
        err = nhsa_journal(e, ctx, "visit.status", v->mdtrt_id,
                           json_pack("{s:s, s:s}", "from", v->status, "to", status), st);
    if (err == GJ_E_OK)
        *output = json_pack("{s:{s:s, s:s, s:s}}", "data", "mdtrt_id", v->mdtrt_id, "psn_no",
                            v->psn_no, "status", status);
    return err;
}

gj_err visit_cancel_own(gj_engine *e, const nhsa_ctx *ctx, nhsa_visit *v, json_t **output,
                        gj_status *st) {
    if (strcmp(v->status, "open") != 0)
        return gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: the stay is %s; cancel the discharge first", v->status);
    gj_err err = visit_not_settled(e, v, st);
    return err != GJ_E_OK ? err : set_status(e, ctx, v, "cancelled", false, 0, output, st);
}

gj_err visit_reopen_own(gj_engine *e, const nhsa_ctx *ctx, nhsa_visit *v, json_t **output,
                        gj_status *st) {
    if (strcmp(v->status, "discharged") != 0)
        return gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: the stay is not discharged");
    gj_err err = visit_not_settled(e, v, st);
    return err != GJ_E_OK ? err : set_status(e, ctx, v, "open", false, 0, output, st);
}

/* 2202 / 2404: input.data {mdtrt_id, psn_no}. */
gj_err nhsa_visit_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    nhsa_visit v;
    gj_err err = visit_from_input(e, ctx, "data", &d, &v, st);
    return err != GJ_E_OK ? err : visit_cancel_own(e, ctx, &v, output, st);
}

/* 2405: input.data {mdtrt_id, psn_no}. */
gj_err nhsa_visit_reopen(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    nhsa_visit v;
    gj_err err = visit_from_input(e, ctx, "data", &d, &v, st);
    return err != GJ_E_OK ? err : visit_reopen_own(e, ctx, &v, output, st);
}

static gj_err store_diagnoses(gj_engine *e, const nhsa_visit *v, const char *diagnoses, gj_status *st) {
    if (diagnoses == NULL) return GJ_E_OK;
    return gj_store_exec(e->store, "UPDATE visit SET diagnoses = $2 WHERE mdtrt_id = $1",
                         GJ_PARAMS(P_TEXT(v->mdtrt_id), P_TEXT(diagnoses)), NULL, st);
}

/* 2402: input.dscginfo {mdtrt_id, psn_no, endtime, …}, input.diseinfo[] (optional). */
gj_err nhsa_visit_discharge(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    nhsa_visit v;
    gj_time endtime = 0;
    char *diagnoses = NULL;
    gj_err err;
    if ((err = visit_from_input(e, ctx, "dscginfo", &d, &v, st)) ||
        (err = decode_time(d, "endtime", &endtime, st)) ||
        (err = decode_diagnoses(json_object_get(ctx->input, "diseinfo"), &diagnoses, st)))
        return err;
    if (strcmp(v.status, "open") != 0) err = gj_fail(st, GJ_E_WRONG_STATE, "mdtrt_id: already discharged");
    else if (endtime < v.begntime) err = gj_fail(st, GJ_E_BAD_DATE, "endtime: before the admission");
    if (err == GJ_E_OK) err = store_diagnoses(e, &v, diagnoses, st);
    free(diagnoses);
    return err != GJ_E_OK ? err : set_status(e, ctx, &v, "discharged", true, endtime, output, st);
}

/* 2203: input.mdtrtinfo {mdtrt_id, psn_no, med_type, …}, input.diseinfo[]. */
gj_err nhsa_visit_info(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    nhsa_visit v;
    char med_type[3] = "", *diagnoses = NULL;
    gj_err err;
    if ((err = visit_from_input(e, ctx, "mdtrtinfo", &d, &v, st)) ||
        (err = nhsa_copy_text(d, "med_type", false, med_type, sizeof med_type, st)) ||
        (err = decode_diagnoses(json_object_get(ctx->input, "diseinfo"), &diagnoses, st)))
        return err;
    if (med_type[0] && !gj_med_type_known(med_type)) err = gj_fail(st, GJ_E_BAD_CODE, "med_type: unknown");
    if (err == GJ_E_OK && med_type[0])
        err = gj_store_exec(e->store, "UPDATE visit SET med_type = $2 WHERE mdtrt_id = $1",
                            GJ_PARAMS(P_TEXT(v.mdtrt_id), P_TEXT(med_type)), NULL, st);
    if (err == GJ_E_OK) err = store_diagnoses(e, &v, diagnoses, st);
    free(diagnoses);
    if (err == GJ_E_OK)
        err = nhsa_journal(e, ctx, "visit.info", v.mdtrt_id,
                           json_pack("{s:s}", "med_type", med_type[0] ? med_type : v.med_type), st);
    if (err == GJ_E_OK)
        *output = json_pack("{s:{s:s, s:s}}", "data", "mdtrt_id", v.mdtrt_id, "med_type",
                            med_type[0] ? med_type : v.med_type);
    return err;
}
