/* settle_facts.h — loading the facts of a settlement (see settle_facts.c). */
#ifndef GONGJI_SETTLE_FACTS_H
#define GONGJI_SETTLE_FACTS_H

#include "nhsa_settle.h"

/* Inside a transaction: the patient (credential checked, R4.1) and their identity fields, their
 * policy, account, year-to-date fund use, and every binding that may pay for them (up to
 * GJ_DONORS_MAX). */
gj_err settle_load_facts(gj_engine *e, const settle_request *req, gj_time at,
                         gj_person_facts *patient, nhsa_identity *identity, gj_settle_facts *f,
                         gj_status *st);

/* R4.1: the credential (mdtrt_cert_type, validated, and mdtrt_cert_no) is psn_no's own;
 * IMPERSONATION otherwise. */
gj_err settle_check_credential(gj_engine *e, const settle_request *req, gj_status *st);
/* The patient of a request: exists, the credential is theirs (IMPERSONATION, R4.1), insured
 * under req's insutype and active; *own and *has_account: their account layers; *identity (if
 * not NULL): their identity fields, read by the same query. */
gj_err settle_check_patient(gj_engine *e, const settle_request *req, gj_person_facts *patient,
                            gj_acct_view *own, bool *has_account, nhsa_identity *identity,
                            gj_status *st);
/* Every binding that may pay for `member` at `at` (f->donors, f->donor_count); relations[i]
 * (if not NULL, GJ_DONORS_MAX long) gets binding i's relation. */
gj_err settle_load_donors(gj_engine *e, const gj_person_facts *member, gj_time at,
                          gj_settle_facts *f, gj_relation *relations, gj_status *st);

#endif
