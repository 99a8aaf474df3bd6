/* domain.h — the vocabulary of the rules: relations, account layers, bill classes, spending
 * categories, modes, and their codes as they appear in files and interfaces. */
#ifndef GONGJI_DOMAIN_H
#define GONGJI_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    GJ_REL_SPOUSE, GJ_REL_PARENT, GJ_REL_CHILD, GJ_REL_SIBLING,
    GJ_REL_GRANDPARENT_PATERNAL, GJ_REL_GRANDPARENT_MATERNAL,
    GJ_REL_GRANDCHILD_PATERNAL, GJ_REL_GRANDCHILD_MATERNAL,
    GJ_REL_COUNT
} gj_relation;

typedef enum { GJ_LAYER_CURRENT, GJ_LAYER_PRIOR, GJ_LAYER_COUNT } gj_layer;

typedef enum {
    GJ_CLASS_FULAMT_OWNPAY, GJ_CLASS_OVERLMT_SELFPAY, GJ_CLASS_PRESELFPAY, GJ_CLASS_INSCP_SELF,
    GJ_CLASS_COUNT
} gj_bill_class;

typedef enum {
    GJ_CAT_PUBLIC_HEALTH, GJ_CAT_FITNESS, GJ_CAT_WELLNESS, GJ_CAT_COSMETOLOGY,
    GJ_CAT_COSMETIC_SURGERY, GJ_CAT_WEIGHT_LOSS, GJ_CAT_BODYBUILDING, GJ_CAT_HEALTH_CHECKUP,
    GJ_CAT_VACCINATION, GJ_CAT_REHABILITATION,
    GJ_CAT_COUNT
} gj_category;

typedef enum { GJ_MODE_PAYMENT = 1, GJ_MODE_CONTRIBUTION = 2 } gj_mode;

/* Code ↔ enum. *_parse returns -1 for an unknown code. */
const char *gj_relation_code(gj_relation r);
const char *gj_relation_zh(gj_relation r);
int gj_relation_parse(const char *code);
const char *gj_layer_code(gj_layer l);
const char *gj_layer_zh(gj_layer l);
int gj_layer_parse(const char *code);
const char *gj_class_code(gj_bill_class c);
const char *gj_class_zh(gj_bill_class c);
int gj_class_parse(const char *code);
const char *gj_category_code(gj_category c);
const char *gj_category_zh(gj_category c);
int gj_category_parse(const char *code);
int gj_mode_parse(const char *code);           /* "payment" | "contribution" */
/* "payment,contribution" → mask; -1 on an unknown mode or empty list. */
int gj_modes_parse(const char *list);

/* National code tables (NHSA_INTERFACE.md). */
bool gj_insutype_known(const char *code);      /* 310 … 399 */
bool gj_med_type_known(const char *code);      /* 11 … 52 */
bool gj_cert_type_known(const char *code);     /* psn_cert_type 01..08, 90, 99 */
bool gj_mdtrt_cert_type_known(const char *code); /* 01, 02, 03 */
/* fixmedins_code, the national institution code: exactly 12 ASCII letters or digits. */
bool gj_fixmedins_code_valid(const char *code);

#endif
