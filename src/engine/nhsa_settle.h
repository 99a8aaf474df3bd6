/* nhsa_settle.h — settlement requests decoded from the national interface, the settlement
 * commands (trial, settle, cancel) that the envelope handler calls inside its transaction, and
 * the decoding helpers the other national transactions share (nhsa_commands.h). */
#ifndef GONGJI_NHSA_SETTLE_H
#define GONGJI_NHSA_SETTLE_H

#include "engine_internal.h"

enum { NHSA_ID_MAX = 40, NHSA_IDENTITY_TEXT_MAX = 128 };

struct nhsa_settle_decoded;

/* The envelope fields a command needs. */
typedef struct {
    const char *infno, *msgid, *fixmedins_code, *mdtrtarea_admvs, *opter, *opter_type;
    json_t *input;
    /* Where a command may leave its output as compact JSON text (malloc'd; the caller frees it)
     * instead of a tree in *output: settlements write their answer as text (settle_answer.c). */
    char **output_text;
    /* NULL, or where a settlement leaves its setl_id (GJ_BINDING_ID_MAX bytes, "" before):
     * the output it returns is then its row's settlement.output with settlement.explain as
     * member gj_explain, so the message log stores a reference instead of a copy (message.c). */
    char *answer_setl_id;
    /* A settlement's input decoded before its transaction (gj_nhsa_prepare, off the writer), or
     * NULL: the command decodes it itself. */
    const struct nhsa_settle_decoded *settle_decoded;
} nhsa_ctx;

typedef struct {
    char psn_no[GJ_PSN_NO_MAX];
    char mdtrt_cert_type[3];
    char mdtrt_cert_no[64];
    char mdtrt_id[NHSA_ID_MAX];
    char chrg_bchno[NHSA_ID_MAX];
    char agent[160];              /* proxy purchase: agent name and masked certificate (R4.1) */
    bool mid_setl;                /* 2303/2304 mid_setl_flag "1": a mid-settlement; the stay stays open */
    gj_bill bill;
} settle_request;

/* nhsa_decode_settle's result, kept to be reported inside the transaction where decoding
 * would have run (a retry of a msgid is answered before it, as when decoding there). */
typedef struct nhsa_settle_decoded {
    settle_request req;
    gj_err err;
    gj_status st;       /* the refusal when err != GJ_E_OK */
} nhsa_settle_decoded;

/* A national command: runs inside the envelope's transaction (nhsa.c). */
typedef gj_err (*nhsa_command)(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

/* NOT_FOUND unless `code` is a registered institution (nhsa.c). */
gj_err nhsa_check_institution(gj_engine *e, const char *code, gj_status *st);

/* ---- decoding (nhsa_decode.c) ---- */
/* 2206/2207/2303/2304 (input.data) and 2101/2102 (input.druginfo + input.drugdetail[]).
 * med_type may be absent here: a registered visit supplies it (nhsa_visit.c). */
gj_err nhsa_decode_settle(const nhsa_ctx *ctx, settle_request *req, gj_status *st);
/* The patient part of a block: psn_no, mdtrt_cert_type, mdtrt_cert_no (ID checksum for 02),
 * insutype, optional med_type — into req's fields. */
gj_err nhsa_decode_patient(json_t *d, settle_request *req, gj_status *st);
/* Only mdtrt_cert_type and mdtrt_cert_no (1101). */
gj_err nhsa_decode_credential(json_t *d, settle_request *req, gj_status *st);
/* Prefix st's detail with "list[i]." (an item's field); returns st's code. */
gj_err nhsa_item_error(gj_status *st, const char *list, size_t i);
/* Text field (≤ size-1 bytes) copied into dst; "" when optional and absent. */
gj_err nhsa_copy_text(json_t *obj, const char *name, bool required, char *dst, size_t size,
                      gj_status *st);
/* input.<name> as an object, else BAD_FIELD naming it. */
gj_err nhsa_input_block(const nhsa_ctx *ctx, const char *name, json_t **out, gj_status *st);
/* An item list (absent: 0 items; at most 1000). */
gj_err nhsa_item_list(json_t *items, size_t *count, gj_status *st);
/* Item i's spend_ctgy as a gj_category, -1 when absent (R4.6). */
gj_err nhsa_item_category(json_t *item, size_t i, int *category, gj_status *st);
gj_err nhsa_add_excluded(gj_bill *b, int category, gj_fen fee, gj_status *st);

/* ---- settlement (settle_cmd.c) ---- */

/* Inside a transaction. `trial`: compute and answer, write nothing (2206/2101). The output is
 * left as text in *ctx->output_text (*output stays NULL). */
gj_err settle_execute(gj_engine *e, const nhsa_ctx *ctx, const settle_request *req, bool trial,
                      json_t **output, gj_status *st);
/* 2208/2103/2305: input.data {setl_id, mdtrt_id, psn_no}. Inside a transaction. */
gj_err settle_cancel(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
/* Cancel settlement setl_id of this institution and person (2208 and 2601 reversal). */
gj_err settle_cancel_id(gj_engine *e, const nhsa_ctx *ctx, const char *setl_id,
                        const char *psn_no, json_t **output, gj_status *st);
/* A person's identity columns, read along with other facts (settle_check_patient); loaded is
 * false when one did not fit, and the answer (settle_answer.c) then reads them itself. */
typedef struct {
    bool loaded;
    char name[NHSA_IDENTITY_TEXT_MAX], cert_type[NHSA_IDENTITY_TEXT_MAX];
    char certno[32];   /* masked */
    char gender[NHSA_IDENTITY_TEXT_MAX];
} nhsa_identity;
/* Fill *out from the person's name, cert_type, certno (stored masked) and gender. */
void nhsa_identity_read(nhsa_identity *out, const char *name, const char *cert_type,
                        const char *certno, const char *gender);
/* The national identity fields of a person: psn_no, psn_name, psn_cert_type, certno (masked),
 * gend, brdy, age (on `at`); from `known` when loaded, else read from the store. */
json_t *nhsa_identity_json(gj_engine *e, const gj_person_facts *p, const nhsa_identity *known,
                           gj_time at);

/* ---- a settlement's answer (settle_answer.c) ---- */
/* What a settlement's answer is written from. setl_id is "" for a trial. */
typedef struct {
    const nhsa_ctx *ctx;
    const settle_request *req;
    const gj_person_facts *patient;
    const nhsa_identity *identity;
    const gj_settle_result *result;
    const char *setl_id, *mdtrt_id;
    gj_time at;
} settle_answer;
/* The answer's texts, compact JSON (malloc'd): the explanation, an array of {rule, zh, en,
 * amount_yuan} (settlement.explain); the output {setlinfo, setldetail} without it
 * (settlement.output); and the output with it as member gj_explain (the answer). */
typedef struct {
    char *explain, *stored_output, *output;
} settle_texts;
/* Write the texts into *t (all NULL before); INTERNAL when memory runs out. */
gj_err settle_answer_write(gj_engine *e, const settle_answer *a, settle_texts *t, gj_status *st);
void settle_texts_free(settle_texts *t);
/* 3201/3202. Read-only. */
gj_err recon_3201(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
gj_err recon_3202(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

#endif
