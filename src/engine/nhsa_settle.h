/* nhsa_settle.h — settlement requests decoded from the national interface, and the settlement
 * commands (trial, settle, cancel) that the envelope handler calls inside its transaction. */
#ifndef GONGJI_NHSA_SETTLE_H
#define GONGJI_NHSA_SETTLE_H

#include "engine_internal.h"

enum { NHSA_ID_MAX = 40 };

/* The envelope fields a command needs. */
typedef struct {
    const char *infno, *msgid, *fixmedins_code, *mdtrtarea_admvs, *opter, *opter_type;
    json_t *input;
} nhsa_ctx;

typedef struct {
    char psn_no[GJ_PSN_NO_MAX];
    char mdtrt_cert_type[3];
    char mdtrt_cert_no[64];
    char mdtrt_id[NHSA_ID_MAX];
    char chrg_bchno[NHSA_ID_MAX];
    char agent[160];              /* proxy purchase: agent name and masked certificate (R4.1) */
    gj_bill bill;
} settle_request;

/* 2206/2207 (input.data) and 2101/2102 (input.druginfo + input.drugdetail[]). */
gj_err nhsa_decode_settle(const nhsa_ctx *ctx, settle_request *req, gj_status *st);

/* Inside a transaction. `trial`: compute and answer, write nothing (2206/2101). */
gj_err settle_execute(gj_engine *e, const nhsa_ctx *ctx, const settle_request *req, bool trial,
                      json_t **output, gj_status *st);
/* 2208/2103: input.data {setl_id, mdtrt_id, psn_no}. Inside a transaction. */
gj_err settle_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
/* The explanation as a JSON array of {rule, zh, en, amount_yuan}. */
json_t *settle_explain_json(const gj_explain *x);
/* 3201/3202. Read-only. */
gj_err recon_3201(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err recon_3202(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

#endif
