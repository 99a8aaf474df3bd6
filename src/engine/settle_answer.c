/* settle_answer.c — a settlement's answer, written as text (json_writer.h) rather than built as
 * a Jansson tree and encoded: the national setlinfo block, setldetail and the explanation
 * (gj_explain), and the identity fields that 1101 (nhsa_person.c) shares. The member order is
 * the national interface's (docs/nhsa.md); the texts are what gj_json_encode made of the trees
 * they replace. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/idcard.h"
#include "gongji/json_writer.h"
#include "gongji/strcopy.h"
#include "nhsa_settle.h"

void nhsa_identity_read(nhsa_identity *out, const char *name, const char *cert_type,
                        const char *certno, const char *gender) {
    bool fits = gj_copy_text(out->name, sizeof out->name, name);
    fits = gj_copy_text(out->cert_type, sizeof out->cert_type, cert_type) && fits;
    fits = gj_copy_text(out->gender, sizeof out->gender, gender) && fits;
    gj_idcard_mask(certno, out->certno, sizeof out->certno);
    out->loaded = fits;   /* else the answer reads them again (a truncated copy is never used) */
}

/* psn_no, psn_name, psn_cert_type, certno (masked by the caller), gend, brdy and age on `at`. */
static void write_identity_fields(gj_jw *w, const gj_person_facts *p, gj_time at, const char *name,
                                  const char *cert_type, const char *certno, const char *gender) {
    char brdy[GJ_DATE_TEXT_MAX];
    gj_jw_member_string(w, "psn_no", p->psn_no);
    gj_jw_member_string(w, "psn_name", name);
    gj_jw_member_string(w, "psn_cert_type", cert_type);
    gj_jw_member_string(w, "certno", certno);
    gj_jw_member_string(w, "gend", gender);
    gj_jw_member_string(w, "brdy", gj_date_format(p->birth, brdy, sizeof brdy));
    gj_jw_member_int(w, "age", gj_age_years(p->birth, gj_time_date(at)));
}

/* The identity members of p: from `known` when loaded, else read from the store (empty texts
 * when the person is not there). */
static void write_identity(gj_jw *w, gj_engine *e, const gj_person_facts *p,
                           const nhsa_identity *known, gj_time at) {
    if (known != NULL && known->loaded) {
        write_identity_fields(w, p, at, known->name, known->cert_type, known->certno, known->gender);
        return;
    }
    char certno[32] = "";
    gj_rows *rows = NULL;
    bool found = gj_store_query(e->store, "SELECT name, cert_type, certno, gender FROM person "
                                          "WHERE psn_no = $1",
                                GJ_PARAMS(P_TEXT(p->psn_no)), &rows, NULL) == GJ_E_OK &&
                 gj_rows_next(rows);
    if (found) {
        gj_idcard_mask(gj_rows_text(rows, 2), certno, sizeof certno);
        write_identity_fields(w, p, at, gj_rows_text(rows, 0), gj_rows_text(rows, 1), certno,
                              gj_rows_text(rows, 3));
    }
    gj_rows_end(rows);
    if (!found) write_identity_fields(w, p, at, "", "", "", "");
}

json_t *nhsa_identity_json(gj_engine *e, const gj_person_facts *p, const nhsa_identity *known,
                           gj_time at) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    write_identity(&w, e, p, known, at);
    gj_jw_object_end(&w);
    char *text = gj_jw_finish(&w);
    json_t *o = text != NULL ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o != NULL ? o : json_object();
}

static const char *clr_type_of(const char *med_type) {
    if (med_type[0] == '1') return "11";
    if (med_type[0] == '2') return "21";
    if (strcmp(med_type, "41") == 0) return "41";
    return "99";
}

/* The national setlinfo block's members. */
static void write_setlinfo(gj_jw *w, gj_engine *e, const settle_answer *a) {
    const gj_settle_result *r = a->result;
    const gj_bill *b = &a->req->bill;
    char when[GJ_TIME_TEXT_MAX], ratio[16];
    int32_t self_bp = 10000 - r->ratio_bp;
    snprintf(ratio, sizeof ratio, "%d.%04d", self_bp / 10000, self_bp % 10000);
    gj_jw_member_string(w, "mdtrt_id", a->mdtrt_id);
    gj_jw_member_string(w, "setl_id", a->setl_id);
    write_identity(w, e, a->patient, a->identity, a->at);
    gj_jw_member_string(w, "insutype", b->insutype);
    gj_jw_member_string(w, "setl_time", gj_time_format(a->at, when, sizeof when));
    gj_jw_member_string(w, "mdtrt_cert_type", a->req->mdtrt_cert_type);
    gj_jw_member_string(w, "med_type", b->med_type);
    gj_jw_member_string(w, "pool_prop_selfpay", ratio);
    gj_jw_member_yuan(w, "medfee_sumamt", b->medfee_fen);
    gj_jw_member_yuan(w, "fulamt_ownpay_amt", b->class_fen[GJ_CLASS_FULAMT_OWNPAY]);
    gj_jw_member_yuan(w, "overlmt_selfpay", b->class_fen[GJ_CLASS_OVERLMT_SELFPAY]);
    gj_jw_member_yuan(w, "preselfpay_amt", b->class_fen[GJ_CLASS_PRESELFPAY]);
    gj_jw_member_yuan(w, "inscp_scp_amt", b->class_fen[GJ_CLASS_INSCP_SELF]);
    gj_jw_member_yuan(w, "act_pay_dedc", r->deductible_fen);
    gj_jw_member_yuan(w, "hifp_pay", r->fund_fen);
    static const char *const zero_funds[] = {"cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay",
                                             "maf_pay", "oth_pay", "hosp_part_amt"};
    for (size_t i = 0; i < sizeof zero_funds / sizeof zero_funds[0]; i++) gj_jw_member_yuan(w, zero_funds[i], 0);
    gj_jw_member_yuan(w, "fund_pay_sumamt", r->fund_fen);
    gj_jw_member_yuan(w, "psn_part_amt", r->psn_part_fen);
    gj_jw_member_yuan(w, "acct_pay", r->acct_pay_fen);
    gj_jw_member_yuan(w, "acct_mulaid_pay", r->mulaid_fen);
    gj_jw_member_yuan(w, "psn_cash_pay", r->cash_fen);
    gj_jw_member_yuan(w, "balc", r->balc_fen);
    gj_jw_member_string(w, "medins_setl_id", a->ctx->msgid);
    gj_jw_member_string(w, "clr_optins", a->patient->admdvs);
    gj_jw_member_string(w, "clr_way", "01");
    gj_jw_member_string(w, "clr_type", clr_type_of(b->med_type));
}

/* {"setlinfo": {…}, "setldetail": [the pooled fund's payment, if any]}. */
static char *output_text(gj_engine *e, const settle_answer *a) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    gj_jw_key(&w, "setlinfo");
    gj_jw_object_begin(&w);
    write_setlinfo(&w, e, a);
    gj_jw_object_end(&w);
    gj_jw_key(&w, "setldetail");
    gj_jw_array_begin(&w);
    if (a->result->fund_fen > 0) {
        gj_jw_object_begin(&w);
        gj_jw_member_string(&w, "fund_pay_type", "310100");
        gj_jw_member_string(&w, "fund_pay_type_name", "基本医疗保险统筹基金");
        gj_jw_member_yuan(&w, "fund_payamt", a->result->fund_fen);
        gj_jw_member_yuan(&w, "inscp_scp_amt", a->req->bill.class_fen[GJ_CLASS_INSCP_SELF]);
        gj_jw_object_end(&w);
    }
    gj_jw_array_end(&w);
    gj_jw_object_end(&w);
    return gj_jw_finish(&w);
}

/* The explanation alone, as stored in settlement.explain. */
static char *explain_text(const gj_explain *x) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_array_begin(&w);
    for (int i = 0; i < x->count; i++) {
        const gj_explain_line *l = &x->lines[i];
        gj_jw_object_begin(&w);
        gj_jw_member_string(&w, "rule", l->rule);
        gj_jw_member_string(&w, "zh", l->zh);
        gj_jw_member_string(&w, "en", l->en);
        gj_jw_key(&w, "amount_yuan");
        if (l->amount_fen < 0) gj_jw_null(&w);
        else gj_jw_yuan(&w, l->amount_fen);
        gj_jw_object_end(&w);
    }
    gj_jw_array_end(&w);
    return gj_jw_finish(&w);
}

gj_err settle_answer_write(gj_engine *e, const settle_answer *a, settle_texts *t, gj_status *st) {
    assert(t->explain == NULL && t->stored_output == NULL && t->output == NULL);
    t->explain = explain_text(&a->result->explain);
    t->stored_output = output_text(e, a);
    t->output = gj_json_append_member(t->stored_output, "gj_explain", t->explain);
    return t->output != NULL ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "settlement answer: out of memory");
}

void settle_texts_free(settle_texts *t) {
    free(t->explain);
    free(t->stored_output);
    free(t->output);
    memset(t, 0, sizeof *t);
}
