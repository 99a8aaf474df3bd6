/* family.h — the rules of family networks as pure functions (R1.2, R1.4, R2, R3): who may
 * fund whom, under which region's settings, and whether a binding may be used at a moment. */
#ifndef GONGJI_FAMILY_H
#define GONGJI_FAMILY_H

#include <stdbool.h>

#include "gongji/domain.h"
#include "gongji/policy.h"

enum { GJ_PSN_NO_MAX = 32, GJ_BINDING_ID_MAX = 24 };

typedef enum { GJ_PSN_ACTIVE, GJ_PSN_SUSPENDED, GJ_PSN_TERMINATED } gj_psn_status;

typedef struct {
    char psn_no[GJ_PSN_NO_MAX];
    char insutype[4];
    char admdvs[7];
    gj_psn_status status;
    gj_date birth;
    gj_fen balance_fen;        /* personal account, all layers (0 without an account) */
    bool account_frozen;
    bool region_cross_province;   /* R8.1: their region takes part in cross-province aid today */
    bool remote_care;             /* R8.2: a remote-care registration (异地就医备案) covers today */
} gj_person_facts;

typedef enum {
    GJ_BIND_PENDING, GJ_BIND_ACTIVE, GJ_BIND_ENDED, GJ_BIND_REJECTED
} gj_binding_status;

typedef struct {
    gj_relation relation;
    int modes;                 /* GJ_MODE_* bits */
    bool temporary, frozen;
    gj_binding_status status;
    gj_time active_from;       /* valid when status is ACTIVE or ENDED */
    gj_time active_until;      /* 0: open-ended */
} gj_binding_facts;

/* What the store knows around a proposed binding. */
typedef struct {
    int donor_members;         /* the donor's active + pending bindings as donor */
    int member_donors;         /* the member's active + pending bindings as member */
    bool pair_bound;           /* this donor→member pair is active or pending already */
    bool donor_is_member;      /* the donor is bound as a member somewhere */
    bool member_is_donor;      /* the member funds someone */
    gj_time pair_last_unbind;  /* when the pair was last unbound (request time), 0 if never */
    bool pair_frozen;          /* a binding of this pair, in any state, is frozen by staff (R9.2) */
} gj_network_counts;

gj_psn_status gj_psn_status_parse(const char *code, bool *ok);
const char *gj_psn_status_code(gj_psn_status s);
gj_binding_status gj_binding_status_parse(const char *code);
const char *gj_binding_status_code(gj_binding_status s);

/* R1.2: may this person fund relatives now (scheme, status, balance)? */
gj_err gj_family_check_donor(const gj_policy *donor_policy, const gj_person_facts *donor,
                             gj_status *st);

/* R1.4, R2.1–R2.6, R3.3–R3.6, R9.2: may the donor invite this member with these modes? `now` is
 * the request time. A pair with a frozen binding (even an ended one) is refused FROZEN until
 * staff unfreeze it, so unbinding and rebinding cannot escape a freeze. Every refusal names its
 * rule through the error code. */
gj_err gj_family_check_invite(const gj_policy *donor_policy, const gj_person_facts *donor,
                              const gj_person_facts *member, gj_relation relation, int modes,
                              bool temporary, const gj_network_counts *counts, gj_time now,
                              gj_status *st);

/* R3.2: does this member have to accept with their own verification? */
bool gj_family_needs_consent(const gj_policy *donor_policy, const gj_person_facts *member,
                             gj_date today);

/* R2.2, R3.4, R3.6, R3.9, R9.2: may the binding be used for `mode` at time `at`? Checks the
 * binding's state and period, mode, relation scope on that date, both people's insurance. */
gj_err gj_family_check_use(const gj_policy *donor_policy, const gj_binding_facts *b,
                           const gj_person_facts *donor, const gj_person_facts *member,
                           gj_mode mode, gj_time at, gj_status *st);

/* R7.3: may `donor` transfer into `recipient`'s medical-insurance wallet today, declaring
 * `relation`? No binding is needed. Both regions run the wallet (NOT_WALLET_REGION); the donor
 * may fund relatives (R1.2); the recipient is insured; the relation is in the donor region's
 * scope for payment (R2.1–R2.3); only to a resident (390) where either region says
 * wallet.employee_to_resident_only (WALLET_EMPLOYEE_TO_RESIDENT_ONLY); across provinces only
 * when both regions set wallet.cross_province (WALLET_CROSS_PROVINCE), within a province as the
 * donor region's geography.scope says (OUT_OF_REGION). */
gj_err gj_family_check_wallet(const gj_policy *donor_policy, const gj_policy *recipient_policy,
                              const gj_person_facts *donor, const gj_person_facts *recipient,
                              gj_relation relation, gj_date today, gj_status *st);

/* R3.6: the moment an unbinding requested at `now` takes effect. */
gj_time gj_family_unbind_effective(const gj_policy *donor_policy, gj_time now);

#endif
