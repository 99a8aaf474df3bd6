/* settle_facts.h — loading the facts of a settlement (see settle_facts.c). */
#ifndef GONGJI_SETTLE_FACTS_H
#define GONGJI_SETTLE_FACTS_H

#include "nhsa_settle.h"

/* Inside a transaction: the patient (credential checked, R4.1), their policy, account,
 * year-to-date fund use, and every binding that may pay for them (up to GJ_DONORS_MAX). */
gj_err settle_load_facts(gj_engine *e, const settle_request *req, gj_time at,
                         gj_person_facts *patient, gj_settle_facts *f, gj_status *st);

#endif
