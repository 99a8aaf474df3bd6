/* nhsa_person.c — 1101 person information for an institution: identity (certificate masked),
 * insurance with the personal-account balance (current + prior years; the card balance is not
 * shown), and gj_mulaid: whether family mutual aid can pay for this person today and from
 * whom, by relation only — never a donor's name, number, ID or balance (R6.2). "Available"
 * means a binding usable for payment today (R3.6, R3.9); whether the donor's balance covers a
 * bill is decided at settlement and not revealed here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhsa_commands.h"
#include "settle_facts.h"

static const char *const by_credential[] = {   /* mdtrt_cert_type 01, 02, 03 */
    "SELECT psn_no FROM person WHERE ecert_no = $1",
    "SELECT psn_no FROM person WHERE certno = $1",
    "SELECT psn_no FROM person WHERE card_no = $1"};

static gj_err psn_by_credential(gj_engine *e, settle_request *req, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, by_credential[req->mdtrt_cert_type[1] - '1'],
                                GJ_PARAMS(P_TEXT(req->mdtrt_cert_no)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) snprintf(req->psn_no, sizeof req->psn_no, "%s", gj_rows_text(rows, 0));
    else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) err = gj_fail(st, GJ_E_NOT_FOUND, "person not found");
    gj_rows_end(rows);
    return err;
}

/* input.data: psn_no, or mdtrt_cert_type + mdtrt_cert_no, or both (then they must agree). */
static gj_err find_person(gj_engine *e, json_t *d, settle_request *req, gj_status *st) {
    bool has_cert = !gj_json_absent(d, "mdtrt_cert_type") || !gj_json_absent(d, "mdtrt_cert_no");
    gj_err err = nhsa_copy_text(d, "psn_no", false, req->psn_no, sizeof req->psn_no, st);
    if (err != GJ_E_OK || !has_cert) {
        if (err == GJ_E_OK && req->psn_no[0] == '\0')
            err = gj_fail(st, GJ_E_BAD_FIELD, "psn_no or mdtrt_cert_type + mdtrt_cert_no: required");
        return err;
    }
    if ((err = nhsa_decode_credential(d, req, st))) return err;
    return req->psn_no[0] ? settle_check_credential(e, req, st) : psn_by_credential(e, req, st);
}

static const char *insu_status(gj_psn_status s) {
    switch (s) {
    case GJ_PSN_ACTIVE: return "1";
    case GJ_PSN_SUSPENDED: return "2";
    case GJ_PSN_TERMINATED: return "4";
    }
    return "";
}

/* Relations of the bindings that can pay for the person today. */
static gj_err mulaid_json(gj_engine *e, const gj_person_facts *p, gj_time at, json_t **out,
                          gj_status *st) {
    gj_relation relations[GJ_DONORS_MAX];
    gj_settle_facts *f = calloc(1, sizeof *f);
    if (f == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err err = settle_load_donors(e, p, at, f, relations, st);
    json_t *sources = json_array();
    for (int i = 0; err == GJ_E_OK && i < f->donor_count; i++)
        if (f->donors[i].unusable == GJ_E_OK)
            json_array_append_new(sources, json_pack("{s:s, s:s}", "relation", gj_relation_code(relations[i]),
                                                     "relation_zh", gj_relation_zh(relations[i])));
    free(f);
    if (err != GJ_E_OK) {
        json_decref(sources);
        return err;
    }
    *out = json_pack("{s:b, s:o}", "available", json_array_size(sources) > 0, "sources", sources);
    return GJ_E_OK;
}

/* 1101: input.data {psn_no?, mdtrt_cert_type?, mdtrt_cert_no?, …}. */
gj_err nhsa_person_info(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    json_t *d = NULL, *mulaid = NULL;
    settle_request req = {.psn_no = ""};
    gj_person_facts p;
    gj_time at = gj_now();
    gj_err err;
    if ((err = nhsa_input_block(ctx, "data", &d, st)) || (err = find_person(e, d, &req, st)) ||
        (err = facts_person(e, req.psn_no, &p, st)) || (err = mulaid_json(e, &p, at, &mulaid, st)))
        return err;
    json_t *base = nhsa_identity_json(e, &p, NULL, at);
    json_object_set_new(base, "insuplc_admdvs", json_string(p.admdvs));
    json_t *insu = json_pack("{s:s, s:o, s:s, s:s}", "insutype", p.insutype, "balc",
                             gj_json_yuan(strcmp(p.insutype, "310") == 0 ? p.balance_fen : 0),
                             "psn_insu_stas", insu_status(p.status), "insuplc_admdvs", p.admdvs);
    *output = json_pack("{s:o, s:[o], s:[], s:o}", "baseinfo", base, "insuinfo", insu, "idetinfo",
                        "gj_mulaid", mulaid);
    return GJ_E_OK;
}
