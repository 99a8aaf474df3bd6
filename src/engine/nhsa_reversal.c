/* nhsa_reversal.c — 2601 reversal (冲正): undo the effect of an earlier message of the same
 * institution, named by its msgid (omsgid) and infno (oinfno). A settlement (2102/2207/2304) is
 * cancelled exactly like 2103/2208/2305 (every fen back to its account and layer, R4.8); a
 * registration or admission (2201/2401) is cancelled, a fee upload (2204/2301) deleted, a
 * discharge (2402) undone. Cancellations, reversals and other messages cannot be reversed
 * (REVERSAL_NOT_ALLOWED). Only messages that changed something are remembered, so a trial, a
 * query or a refused message is NOT_FOUND. */
#include <stdio.h>
#include <string.h>

#include "message.h"
#include "nhsa_commands.h"

enum { INFNO_MAX = 4 };

typedef struct {
    const char *psn_no, *omsgid;
    json_t *answer;          /* the original message's stored output */
} reversal;

typedef gj_err (*reverse_fn)(gj_engine *e, const nhsa_ctx *ctx, const reversal *r, json_t **output,
                             gj_status *st);

/* The id the original answer carried at output.<block>.<field>. */
static const char *answered(const reversal *r, const char *block, const char *field) {
    const char *v = json_string_value(json_object_get(json_object_get(r->answer, block), field));
    return v ? v : "";
}

static gj_err reverse_settlement(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                 json_t **output, gj_status *st) {
    return settle_cancel_id(e, ctx, answered(r, "setlinfo", "setl_id"), r->psn_no, output, st);
}

static gj_err reverse_opening(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                              json_t **output, gj_status *st, const char *block, const char *kind) {
    nhsa_visit v;
    gj_err err = visit_own(e, ctx, answered(r, block, "mdtrt_id"), r->psn_no, kind, &v, st);
    return err != GJ_E_OK ? err : visit_cancel_own(e, ctx, &v, output, st);
}

static gj_err reverse_registration(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                   json_t **output, gj_status *st) {
    return reverse_opening(e, ctx, r, output, st, "data", "outpatient");
}

static gj_err reverse_admission(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                json_t **output, gj_status *st) {
    return reverse_opening(e, ctx, r, output, st, "result", "inpatient");
}

static gj_err reverse_discharge(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                json_t **output, gj_status *st) {
    nhsa_visit v;
    gj_err err = visit_own(e, ctx, answered(r, "data", "mdtrt_id"), r->psn_no, "inpatient", &v, st);
    return err != GJ_E_OK ? err : visit_reopen_own(e, ctx, &v, output, st);
}

static gj_err reverse_upload(gj_engine *e, const nhsa_ctx *ctx, const reversal *r, json_t **output,
                             gj_status *st, const char *kind) {
    gj_rows *rows = NULL;
    char mdtrt_id[NHSA_ID_MAX] = "";
    nhsa_visit v;
    gj_err err = gj_store_query(e->store, "SELECT f.mdtrt_id FROM fee_detail f JOIN visit v "
                                          "ON v.mdtrt_id = f.mdtrt_id WHERE f.msgid = $1 "
                                          "AND v.fixmedins_code = $2",
                                GJ_PARAMS(P_TEXT(r->omsgid), P_TEXT(ctx->fixmedins_code)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) snprintf(mdtrt_id, sizeof mdtrt_id, "%s", gj_rows_text(rows, 0));
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && mdtrt_id[0] == '\0')
        err = gj_fail(st, GJ_E_WRONG_STATE, "omsgid: its fee lines are already cancelled");
    if (err == GJ_E_OK) err = visit_own(e, ctx, mdtrt_id, r->psn_no, kind, &v, st);
    return err != GJ_E_OK ? err : fee_cancel_upload(e, ctx, &v, r->omsgid, output, st);
}

static gj_err reverse_outpatient_upload(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                        json_t **output, gj_status *st) {
    return reverse_upload(e, ctx, r, output, st, "outpatient");
}

static gj_err reverse_inpatient_upload(gj_engine *e, const nhsa_ctx *ctx, const reversal *r,
                                       json_t **output, gj_status *st) {
    return reverse_upload(e, ctx, r, output, st, "inpatient");
}

static const struct {
    const char *infno;
    reverse_fn run;
} reversible[] = {
    {"2102", reverse_settlement},   {"2207", reverse_settlement},       {"2304", reverse_settlement},
    {"2201", reverse_registration}, {"2401", reverse_admission},        {"2402", reverse_discharge},
    {"2204", reverse_outpatient_upload}, {"2301", reverse_inpatient_upload},
};

static reverse_fn find_reversal(const char *infno) {
    for (size_t i = 0; i < sizeof reversible / sizeof reversible[0]; i++)
        if (strcmp(reversible[i].infno, infno) == 0) return reversible[i].run;
    return NULL;
}

/* The original message of this institution: its infno and stored output. */
static gj_err load_original(gj_engine *e, const nhsa_ctx *ctx, reversal *r, char infno[INFNO_MAX + 1],
                            gj_status *st) {
    stored_message m;
    gj_err err = message_load(e, ctx->fixmedins_code, r->omsgid, &m, st);
    if (err == GJ_E_OK && m.found) {
        json_t *response = json_loads(m.response, 0, NULL);
        gj_copy_text(infno, INFNO_MAX + 1, m.infno);
        r->answer = json_incref(json_object_get(response, "output"));
        json_decref(response);
    } else if (err == GJ_E_OK) {
        err = gj_fail(st, GJ_E_NOT_FOUND, "omsgid: no message of this institution changed anything with this msgid");
    }
    message_free(&m);
    return err;
}

/* 2601: input.data {psn_no, omsgid, oinfno}. */
gj_err nhsa_reversal(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL;
    const char *oinfno = NULL;
    char infno[INFNO_MAX + 1] = "";
    reversal r = {NULL, NULL, NULL};
    reverse_fn run = NULL;
    gj_err err;
    if ((err = nhsa_input_block(ctx, "data", &d, st)) ||
        (err = gj_json_text(d, "psn_no", GJ_PSN_NO_MAX - 1, &r.psn_no, st)) ||
        (err = gj_json_text(d, "omsgid", 30, &r.omsgid, st)) ||
        (err = gj_json_text(d, "oinfno", INFNO_MAX, &oinfno, st)) ||
        (err = load_original(e, ctx, &r, infno, st)))
        return err;
    if (strcmp(infno, oinfno) != 0)
        err = gj_fail(st, GJ_E_BAD_FIELD, "oinfno: message %s was a %s", r.omsgid, infno);
    else if ((run = find_reversal(infno)) == NULL)
        err = gj_fail(st, GJ_E_REVERSAL_NOT_ALLOWED, "oinfno %s: only settlements (2102/2207/2304), "
                      "registrations and admissions (2201/2401), fee uploads (2204/2301) and "
                      "discharges (2402) can be reversed; not cancellations or reversals", infno);
    else err = run(e, ctx, &r, output, st);
    if (err == GJ_E_OK)
        json_object_set_new(*output, "reversed", json_pack("{s:s, s:s}", "omsgid", r.omsgid, "oinfno", infno));
    json_decref(r.answer);
    return err;
}
