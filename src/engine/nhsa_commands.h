/* nhsa_commands.h — the national transactions beyond settlement: sign-in (9001/9002), person
 * information (1101), visits (2201-2203, 2401-2405), fee details (2204/2205, 2301/2302) and
 * reversal (2601), and the visit facts that settlement (2206/2207/2303/2304) checks. Every
 * command runs inside the envelope's transaction (nhsa.c) and acts for ctx->fixmedins_code
 * only. */
#ifndef GONGJI_NHSA_COMMANDS_H
#define GONGJI_NHSA_COMMANDS_H

#include "nhsa_settle.h"

enum { NHSA_KIND_MAX = 12, NHSA_STATUS_MAX = 12, NHSA_MSGID_MAX = 32 };

/* A visit (就诊): an outpatient registration (2201) or an inpatient stay (2401). */
typedef struct {
    char mdtrt_id[NHSA_ID_MAX];
    char fixmedins_code[NHSA_ID_MAX];
    char psn_no[GJ_PSN_NO_MAX];
    char kind[NHSA_KIND_MAX];        /* outpatient | inpatient */
    char med_type[3];
    char insutype[4];
    char status[NHSA_STATUS_MAX];    /* open | discharged | cancelled */
    gj_time begntime;
} nhsa_visit;

/* ---- nhsa.c ---- */
/* Journal a national command's change (actor: the institution, channel "his"); `detail`
 * (stolen; NULL for none) gets the msgid and infno. */
gj_err nhsa_journal(gj_engine *e, const nhsa_ctx *ctx, const char *action, const char *subject,
                    json_t *detail, gj_status *st);

/* ---- nhsa_visit.c ---- */
/* "outpatient" for 22xx messages, "inpatient" for 23xx and 24xx. */
const char *visit_kind_of(const nhsa_ctx *ctx);
/* This institution's visit `mdtrt_id` of person `psn_no` and of `kind`: NOT_FOUND when there
 * is none (another institution's visit is not revealed), WRONG_STATE for the other kind or a
 * cancelled visit. */
gj_err visit_own(gj_engine *e, const nhsa_ctx *ctx, const char *mdtrt_id, const char *psn_no,
                 const char *kind, nhsa_visit *v, gj_status *st);
/* input.<block> {mdtrt_id, psn_no, …} → *d and this institution's visit of the message's kind. */
gj_err visit_from_input(gj_engine *e, const nhsa_ctx *ctx, const char *block, json_t **d,
                        nhsa_visit *v, gj_status *st);
/* WRONG_STATE when a settlement of the visit is in force ("cancel it first"). */
gj_err visit_not_settled(gj_engine *e, const nhsa_visit *v, gj_status *st);
/* Settlement of a visit: for 2303/2304 (`inpatient`) mdtrt_id must name this institution's
 * inpatient stay of the patient, without a final settlement (mid_setl_flag "0") in force
 * (WRONG_STATE); for the others a registered mdtrt_id must be this
 * institution's outpatient visit of the patient (an unregistered one is the caller's own
 * reference). Fills med_type from the visit when absent, and excluded spending from the
 * visit's uploaded fee details when the request carries no item list. */
gj_err visit_for_settlement(gj_engine *e, const nhsa_ctx *ctx, settle_request *req,
                            bool inpatient, gj_status *st);
/* Cancel the visit (2202/2404, and 2601 of 2201/2401); reopen a discharged stay (2405, and
 * 2601 of 2402). */
gj_err visit_cancel_own(gj_engine *e, const nhsa_ctx *ctx, nhsa_visit *v, json_t **output,
                        gj_status *st);
gj_err visit_reopen_own(gj_engine *e, const nhsa_ctx *ctx, nhsa_visit *v, json_t **output,
                        gj_status *st);
gj_err nhsa_visit_register(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_visit_admit(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_visit_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_visit_info(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_visit_discharge(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_visit_reopen(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

/* ---- nhsa_fee.c ---- */
gj_err nhsa_fee_upload(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_fee_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
/* 2601 of an upload: delete the lines message `msgid` uploaded to the visit. */
gj_err fee_cancel_upload(gj_engine *e, const nhsa_ctx *ctx, const nhsa_visit *v,
                         const char *msgid, json_t **output, gj_status *st);
/* Excluded spending (R4.6) from the visit's uploaded lines (of batch chrg_bchno if not ""). */
gj_err fee_excluded(gj_engine *e, const char *mdtrt_id, const char *chrg_bchno, gj_bill *bill,
                    gj_status *st);

/* ---- nhsa_session.c: 9001 / 9002 ---- */
gj_err nhsa_sign_in(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err nhsa_sign_out(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

/* ---- nhsa_person.c: 1101 ---- */
gj_err nhsa_person_info(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

/* ---- nhsa_reversal.c: 2601 ---- */
gj_err nhsa_reversal(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

#endif
