/* policy.h — regional rules as data: the resolved settings in force for a region on a date,
 * and the set of policy files they are resolved from (format: docs/policies.md). */
#ifndef GONGJI_POLICY_H
#define GONGJI_POLICY_H

#include <stdbool.h>

#include "gongji/domain.h"
#include "gongji/error.h"
#include "gongji/gjtime.h"
#include "gongji/money.h"

enum {
    GJ_POLICY_FILES_MAX = 128,
    GJ_POLICY_VERSION_ID_MAX = 160,
    GJ_POLICY_FUND_MAX = 48,
    GJ_POLICY_PREMIUM_YEARS_MAX = 16,
    GJ_POLICY_PRODUCTS_MAX = 16,
    GJ_POLICY_SCHEMES_MAX = 4,
    GJ_POLICY_CACHE_MAX = 512,
};

typedef enum { GJ_FUND_DIRECT, GJ_FUND_POOL, GJ_FUND_WALLET, GJ_FUND_GROUP } gj_fund_model;
typedef enum { GJ_SCOPE_PROVINCE, GJ_SCOPE_CITY } gj_geo_scope;
typedef enum { GJ_DONOR_CREATOR_FIRST, GJ_DONOR_BINDING_TIME, GJ_DONOR_MEMBER_CHOICE } gj_donor_order;

typedef struct {
    char insutype[4];
    char med_type[3];         /* "*" for any other */
    char bucket[24];
    gj_fen deductible_fen;
    int32_t ratio_bp;         /* 7000 = 70% */
    gj_fen annual_cap_fen;
} gj_fund_rule;

typedef struct {
    int year;
    gj_fen standard_fen;
    gj_date window_from, window_to, benefit_from, benefit_to;
} gj_premium_standard;

typedef struct {
    char code[32];
    char name[96];
} gj_product;

/* All settings in force for one region on one date. Plain data; copied freely. */
typedef struct {
    char region[7];           /* the most specific file that applies (city, province or 000000) */
    char version_id[GJ_POLICY_VERSION_ID_MAX];
    gj_fund_model fund_model;
    struct {
        char schemes[GJ_POLICY_SCHEMES_MAX][4];
        int scheme_count;
        gj_fen min_balance_fen, reserve_floor_fen;
        bool shareable[GJ_LAYER_COUNT];
        gj_layer layer_order[GJ_LAYER_COUNT];
    } donor;
    struct {
        uint32_t payment_mask, contribution_mask;   /* bit per gj_relation */
        bool children_minor_only;
        int minor_age;
    } relations;
    gj_geo_scope geo_scope;
    bool geo_cross_province;         /* R8.1: the region takes part in cross-province mutual aid */
    bool geo_remote_care_required;   /* R8.2: cross-province use needs 异地就医备案 */
    struct {
        int max_members, donors_per_member, consent_age;
        bool one_direction, temporary_members, commitment_required, authorized_amount;
        int modes_mask;
        gj_fen consumption_limit_default_fen;   /* -1: none */
        gj_fen consumption_limit_max_fen;       /* -1: none */
    } network;
    struct {
        bool effect_next_day, rebind_next_day;
    } unbind;
    struct {
        gj_layer own_layer_order[GJ_LAYER_COUNT];
        gj_donor_order donor_order;
        uint32_t own_classes_mask, mulaid_classes_mask;   /* bit per gj_bill_class */
        bool mulaid_in_acct_pay, relief_exclusion;
        uint32_t excluded_mask;                           /* bit per gj_category */
    } settlement;
    gj_fund_rule fund[GJ_POLICY_FUND_MAX];
    int fund_count;
    struct {
        gj_premium_standard standards[GJ_POLICY_PREMIUM_YEARS_MAX];
        int standard_count;
        bool late_payment_allowed;
        int late_waiting_months;
        gj_fen min_remaining_fen;
        bool from_pool;                /* R7.2 (pool regions): members' premiums from the pool */
    } premium;
    gj_product products[GJ_POLICY_PRODUCTS_MAX];
    int product_count;
    struct {                          /* R7.3: the medical-insurance wallet (fund_model wallet) */
        bool employee_to_resident_only;   /* transfers only to resident-scheme (390) wallets */
        bool cross_province;              /* transfers across provinces (both regions must allow) */
    } wallet;
} gj_policy;

typedef struct gj_policy_set gj_policy_set;

/* Load and validate every *.json in `dir`. The first problem found is returned with
 * "file: path: reason" in st->detail. The national file (000000) is required. */
gj_err gj_policy_set_load(const char *dir, gj_policy_set **out, gj_status *st);
void gj_policy_set_free(gj_policy_set *set);

/* The policy in force for `admdvs` on `on` (national → province → city layers). The result
 * points into a cache owned by the set and stays valid until the set is freed. */
gj_err gj_policy_resolve(gj_policy_set *set, const char *admdvs, gj_date on,
                         const gj_policy **out, gj_status *st);

/* Whether any layer of `admdvs` (national, province, city) has a version in force on `on`:
 * false before the first version, where gj_policy_resolve refuses BAD_POLICY. */
bool gj_policy_in_force(const gj_policy_set *set, const char *admdvs, gj_date on);

/* Listing for `gongji policy list`: region codes, names, files, version dates. */
int gj_policy_set_count(const gj_policy_set *set);
void gj_policy_set_entry(const gj_policy_set *set, int i, const char **region,
                         const char **name, const char **file, int *version_count);
const char *gj_policy_set_version_date(const gj_policy_set *set, int i, int v);

/* Pure lookups on a resolved policy. */
const gj_fund_rule *gj_policy_fund_rule(const gj_policy *p, const char *insutype,
                                        const char *med_type);
const gj_premium_standard *gj_policy_premium(const gj_policy *p, int year);
const gj_product *gj_policy_product(const gj_policy *p, const char *code);
bool gj_policy_relation_allowed(const gj_policy *p, gj_relation r, gj_mode mode);
bool gj_policy_donor_scheme(const gj_policy *p, const char *insutype);
/* R3.5: the yearly consumption limit that bounds a binding whose own limit is `own_fen` (-1:
 * none) under `p`: the lower of it and the region's current maximum, so that a maximum set
 * after the binding was made bounds it too; -1 when there is neither. `*by_max` tells whether
 * the region's maximum is the bound (a binding's own limit equal to it is the binding's). */
gj_fen gj_policy_binding_limit(const gj_policy *p, gj_fen own_fen, bool *by_max);

#endif
