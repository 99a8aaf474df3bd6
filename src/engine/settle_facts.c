/* settle_facts.c — gathering the facts of a settlement from the store: the patient (and the
 * credential check against impersonation, R4.1), their account and year-to-date fund use, and
 * every binding that might pay for them with its donor, policy and usage. */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/settle.h"
#include "regions_internal.h"
#include "settle_facts.h"
#include "xa_internal.h"

static gj_err impersonation(gj_status *st) {
    return gj_fail(st, GJ_E_IMPERSONATION, "credential does not belong to psn_no");
}

gj_err settle_check_credential(gj_engine *e, const settle_request *req, gj_status *st) {
    static const char *const columns[] = {
        "SELECT COUNT(*) FROM person WHERE psn_no = $1 AND ecert_no = $2",
        "SELECT COUNT(*) FROM person WHERE psn_no = $1 AND certno = $2",
        "SELECT COUNT(*) FROM person WHERE psn_no = $1 AND card_no = $2"};
    int type = req->mdtrt_cert_type[1] - '1';   /* "01".."03" → 0..2, validated by decode */
    int64_t n = 0;
    gj_err err = gj_store_one_int(e->store, columns[type],
                                  GJ_PARAMS(P_TEXT(req->psn_no), P_TEXT(req->mdtrt_cert_no)), &n, st);
    if (err == GJ_E_OK && n == 0) err = impersonation(st);
    return err;
}

/* The patient's row, read once: the person facts, whether the credential ($2) is theirs (the
 * settle_check_credential test, per credential column) and their identity fields. */
#define PATIENT_SELECT                                                                      \
    "SELECT insutype, admdvs, status, birth_date, " FACTS_REMOTE_CARE_COLUMN                \
    ", name, cert_type, certno, gender, "
#define PATIENT_FROM " THEN 1 ELSE 0 END FROM person WHERE psn_no = $1"
static const char *const patient_sql[] = {
    PATIENT_SELECT "CASE WHEN ecert_no = $2" PATIENT_FROM,
    PATIENT_SELECT "CASE WHEN certno = $2" PATIENT_FROM,
    PATIENT_SELECT "CASE WHEN card_no = $2" PATIENT_FROM};

typedef struct {
    bool credential_ok;
    nhsa_identity *identity;   /* or NULL */
} patient_row;

static void read_patient_row(gj_rows *rows, void *ctx) {
    patient_row *p = ctx;
    p->credential_ok = gj_rows_int(rows, 9) != 0;
    if (p->identity != NULL)
        nhsa_identity_read(p->identity, gj_rows_text(rows, 5), gj_rows_text(rows, 6),
                           gj_rows_text(rows, 7), gj_rows_text(rows, 8));
}

static gj_err bucket_usage(gj_engine *e, const char *psn_no, int year, const char *bucket,
                           gj_settle_facts *f, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT COALESCE(SUM(deductible_fen), 0), "
                                          "COALESCE(SUM(fund_pay_fen), 0) FROM settlement "
                                          "WHERE psn_no = $1 AND setl_year = $2 AND fund_bucket = $3 "
                                          "AND status = 'settled'",
                                GJ_PARAMS(P_TEXT(psn_no), P_INT(year), P_TEXT(bucket)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        f->deductible_used_fen = gj_rows_int(rows, 0);
        f->fund_used_fen = gj_rows_int(rows, 1);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* One candidate donor: binding usable now? donor's account, policy and usage. */
static gj_err donor_facts(gj_engine *e, const gj_binding_row *b, const gj_person_facts *member,
                          gj_time at, gj_donor_facts *d, gj_status *st) {
    gj_person_facts donor;
    bool exists = false;
    gj_err err;
    memset(d, 0, sizeof *d);
    gj_copy_text(d->psn_no, sizeof d->psn_no, b->donor);
    gj_copy_text(d->binding_id, sizeof d->binding_id, b->binding_id);
    if ((err = facts_person_account(e, b->donor, &donor, &d->acct, &exists, NULL, st)) ||
        (err = facts_policy(e, donor.admdvs, gj_time_date(at), &d->policy, st)) ||
        (err = binding_use_read(e->store, b->binding_id, gj_date_year(gj_time_date(at)),
                                &d->used_total_fen, &d->used_year_fen, st)))
        return err;
    gj_status why;
    d->unusable = gj_family_check_use(d->policy, &b->facts, &donor, member, GJ_MODE_PAYMENT, at, &why);
    d->is_creator = b->donor_is_creator;
    d->bound_at = b->facts.active_from;
    d->priority = b->priority;
    d->authorized_fen = b->authorized_fen;
    d->limit_fen = b->limit_fen;
    return GJ_E_OK;
}

gj_err settle_load_donors(gj_engine *e, const gj_person_facts *member, gj_time at,
                          gj_settle_facts *f, gj_relation *relations, gj_status *st) {
    gj_binding_row rows_buf[GJ_DONORS_MAX];
    int n = 0;
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, BINDING_SELECT
                                "WHERE b.member = $1 AND (b.status = 'active' OR "
                                "(b.status = 'ended' AND b.active_until > $2)) "
                                "ORDER BY b.created_at, b.binding_id",
                                GJ_PARAMS(P_TEXT(member->psn_no), P_INT(at)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (n < GJ_DONORS_MAX && gj_rows_next(rows)) facts_binding_from_row(rows, &rows_buf[n++]);
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    f->donor_count = 0;
    for (int i = 0; err == GJ_E_OK && i < n && f->donor_count < GJ_DONORS_MAX; i++) {
        gj_donor_facts *d = &f->donors[f->donor_count];
        int added = 1;
        err = donor_facts(e, &rows_buf[i], member, at, d, st);
        if (err == GJ_E_OK && d->policy->fund_model == GJ_FUND_POOL) {   /* R7.2 */
            gj_donor_facts base = *d;
            err = pool_sources(e, &rows_buf[i], &base, d, GJ_DONORS_MAX - f->donor_count, &added, st);
        }
        for (int k = 0; relations != NULL && k < added; k++)
            relations[f->donor_count + k] = rows_buf[i].facts.relation;
        f->donor_count += added;
    }
    return err;
}

gj_err settle_check_patient(gj_engine *e, const settle_request *req, gj_person_facts *patient,
                            gj_acct_view *own, bool *has_account, nhsa_identity *identity,
                            gj_status *st) {
    patient_row row = {.credential_ok = false, .identity = identity};
    facts_person_query q = {.sql = patient_sql[req->mdtrt_cert_type[1] - '1'],   /* validated by decode */
                            .arg = req->mdtrt_cert_no, .row = read_patient_row, .ctx = &row};
    if (identity != NULL) identity->loaded = false;
    gj_err err = facts_person_account(e, req->psn_no, patient, own, has_account, &q, st);
    if (err != GJ_E_OK) return err;
    if (!row.credential_ok) return impersonation(st);
    if (strcmp(patient->insutype, req->bill.insutype) != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "insutype: the person is insured under %s", patient->insutype);
    if (patient->status != GJ_PSN_ACTIVE)
        return gj_fail(st, GJ_E_PERSON_NOT_ACTIVE, "insurance %s", gj_psn_status_code(patient->status));
    return GJ_E_OK;
}

gj_err settle_load_facts(gj_engine *e, const settle_request *req, gj_time at,
                         gj_person_facts *patient, nhsa_identity *identity, gj_settle_facts *f,
                         gj_status *st) {
    memset(f, 0, sizeof *f);
    gj_err err;
    if ((err = settle_check_patient(e, req, patient, &f->own, &f->has_account, identity, st)) ||
        (err = facts_policy(e, patient->admdvs, gj_time_date(at), &f->policy, st)) ||
        (err = wallet_balance(e, patient->psn_no, &f->wallet_fen, st)))   /* R7.3: own wallet only */
        return err;
    const gj_fund_rule *rule = gj_policy_fund_rule(f->policy, req->bill.insutype, req->bill.med_type);
    if (rule != NULL &&
        (err = bucket_usage(e, patient->psn_no, gj_date_year(gj_time_date(at)), rule->bucket, f, st)))
        return err;
    return settle_load_donors(e, patient, at, f, NULL, st);
}
