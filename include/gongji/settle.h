/* settle.h — splitting a bill among the pooled fund, the patient's own account, mutual aid
 * from donors and cash (R4.2–R4.6, R4.9), as one pure function over the facts. */
#ifndef GONGJI_SETTLE_H
#define GONGJI_SETTLE_H

#include <stdbool.h>

#include "gongji/explain.h"
#include "gongji/family.h"
#include "gongji/policy.h"

enum { GJ_DONORS_MAX = 10, GJ_DRAWS_MAX = (GJ_DONORS_MAX + 1) * GJ_LAYER_COUNT + 1 };
enum { GJ_DRAW_OWN = -1, GJ_DRAW_WALLET = -2 };   /* gj_draw.donor besides a donor index */

typedef struct {
    gj_fen medfee_fen;                      /* medfee_sumamt */
    gj_fen class_fen[GJ_CLASS_COUNT];       /* fulamt, overlmt, preselfpay, inscp_scp_amt (whole
                                               in-scope amount, before the fund) */
    gj_fen excluded_fen[GJ_CAT_COUNT];      /* lines in a spending category (R4.6) */
    bool fund_given;                        /* the caller computed the fund share */
    gj_fen fund_given_fen;
    bool acct_used;                         /* acct_used_flag */
    char insutype[4];
    char med_type[3];
} gj_bill;

typedef struct {
    gj_fen layer_fen[GJ_LAYER_COUNT];
    bool frozen;
} gj_acct_view;

typedef struct {
    char psn_no[GJ_PSN_NO_MAX];
    char binding_id[GJ_BINDING_ID_MAX];
    const gj_policy *policy;     /* the donor's region */
    gj_acct_view acct;
    gj_err unusable;             /* from gj_family_check_use; GJ_E_OK when usable */
    bool is_creator;             /* donor created the network the binding belongs to */
    gj_time bound_at;
    int priority;                /* member's choice, lower first */
    gj_fen authorized_fen;       /* -1: no authorized amount */
    gj_fen used_total_fen;       /* paid under this binding so far */
    gj_fen limit_fen;            /* the binding's own yearly consumption limit, -1: none (the
                                  * split bounds it by the region's maximum, R3.5) */
    gj_fen used_year_fen;        /* paid under this binding this year */
    char pool_id[GJ_BINDING_ID_MAX];   /* "" or the family pool (R7.2) this share sits in: then
                                          psn_no is the contributor and acct their share in it */
} gj_donor_facts;

typedef struct {
    const gj_policy *policy;     /* the patient's insured region */
    bool has_account;
    gj_acct_view own;
    gj_fen wallet_fen;           /* R7.3: the patient's own wallet (医保钱包); 0 without one */
    gj_fen deductible_used_fen;  /* this year, in the fund rule's bucket */
    gj_fen fund_used_fen;        /* this year, in the fund rule's bucket */
    gj_donor_facts donors[GJ_DONORS_MAX];
    int donor_count;
} gj_settle_facts;

typedef struct {
    int donor;                   /* index into facts.donors, GJ_DRAW_OWN (the patient's own
                                    account) or GJ_DRAW_WALLET (their wallet, layer unused) */
    gj_layer layer;
    gj_fen amount_fen;
} gj_draw;

typedef struct {
    gj_fen excluded_fen, deductible_fen, fund_fen, psn_part_fen;
    gj_fen own_fen, mulaid_fen, cash_fen, acct_pay_fen, balc_fen;
    gj_fen wallet_fen;           /* R7.3: the part of own_fen paid from the patient's wallet */
    int32_t ratio_bp;
    char bucket[24];
    gj_draw draws[GJ_DRAWS_MAX];
    int draw_count;
    gj_explain explain;
} gj_settle_result;

/* Split the bill. Refuses only an inconsistent bill (BILL_INCONSISTENT); anything the accounts
 * cannot pay becomes cash (R4.4), with the reason in the explanation. Postcondition:
 * fund + own + mulaid + cash == medfee, every draw ≤ what its account held. */
gj_err gj_settle_compute(const gj_bill *bill, const gj_settle_facts *facts, gj_settle_result *out,
                         gj_status *st);

#endif
