/* gen_check.c — what the generator's parameters must satisfy beyond each value's own bounds:
 * city-level regions with districts of that city, known visit and category codes, positive
 * weights, ordered ages and a valid collection window; and keeping a chosen subset of regions. */
#include <string.h>

#include "gen_internal.h"
#include "gongji/admdvs.h"
#include "gongji/domain.h"

static gj_err check_region(const gj_gen_region *r, int i, gj_status *st) {
    char city[7];
    gj_admdvs_city(r->admdvs, city);
    if (!gj_admdvs_valid(r->admdvs) || strcmp(city, r->admdvs) != 0)
        return gj_fail(st, GJ_E_BAD_ADMDVS, "regions[%d].admdvs: a city-level region code", i);
    if (r->district_count == 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "regions[%d].districts: at least one", i);
    for (int d = 0; d < r->district_count; d++)
        if (!gj_admdvs_valid(r->districts[d]) || !gj_admdvs_same_city(r->districts[d], r->admdvs))
            return gj_fail(st, GJ_E_BAD_ADMDVS, "regions[%d].districts[%d]: a district of %s", i, d,
                           r->admdvs);
    return GJ_E_OK;
}

static gj_err check_visit(const gj_gen_visit *v, int i, gj_status *st) {
    if (strcmp(v->infno, "2207") != 0 && strcmp(v->infno, "2102") != 0)
        return gj_fail(st, GJ_E_BAD_CODE, "visits[%d].infno: 2207 or 2102", i);
    if (!gj_med_type_known(v->med_type)) return gj_fail(st, GJ_E_BAD_CODE, "visits[%d].med_type", i);
    if (v->bill_mean_fen < 100 || v->bill_mean_fen > 100000000)
        return gj_fail(st, GJ_E_BAD_AMOUNT, "visits[%d].bill_mean_yuan: 1..1000000", i);
    if (v->fulamt_permille + v->overlmt_permille + v->preselfpay_permille > 500)
        return gj_fail(st, GJ_E_BAD_FIELD, "visits[%d]: self-pay shares above 500 per mille", i);
    return GJ_E_OK;
}

static bool weights_positive(const int *weights, size_t stride, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) sum += *(const int *)(const void *)((const char *)weights + (size_t)i * stride);
    return sum > 0;
}

gj_err gen_params_check(const gj_gen_params *p, gj_status *st) {
    gj_err e = GJ_E_OK;
    if (p->region_count == 0 || !weights_positive(&p->regions[0].weight, sizeof p->regions[0], p->region_count))
        return gj_fail(st, GJ_E_BAD_FIELD, "regions: at least one with a positive weight");
    for (int i = 0; e == GJ_E_OK && i < p->region_count; i++) e = check_region(&p->regions[i], i, st);
    for (int i = 0; e == GJ_E_OK && i < p->visit_count; i++) e = check_visit(&p->visits[i], i, st);
    for (int i = 0; e == GJ_E_OK && i < p->category_count; i++)
        if (gj_category_parse(p->categories[i].code) < 0)
            e = gj_fail(st, GJ_E_BAD_CODE, "categories[%d].code: a spending category", i);
    if (e != GJ_E_OK) return e;
    if (p->category_count == 0 || !weights_positive(&p->categories[0].weight, sizeof p->categories[0], p->category_count))
        return gj_fail(st, GJ_E_BAD_FIELD, "categories: at least one with a positive weight");
    if (p->family.head_age_min > p->family.head_age_max)
        return gj_fail(st, GJ_E_BAD_FIELD, "family.head_age_min: above head_age_max");
    if (!weights_positive(p->family.children_permille, sizeof(int), GJ_GEN_CHILDREN_MAX + 1) ||
        !weights_positive(p->family.siblings_permille, sizeof(int), GJ_GEN_SIBLINGS_MAX + 1))
        return gj_fail(st, GJ_E_BAD_FIELD, "family: children and siblings weights must not all be 0");
    for (int b = 1; b < GJ_GEN_AGE_BANDS; b++)
        if (p->age_bands[b] <= p->age_bands[b - 1] || p->age_bands[0] != 0)
            return gj_fail(st, GJ_E_BAD_FIELD, "age_bands: increasing, starting at 0");
    if (!gj_date_valid(2024, p->premium.window_from[0], p->premium.window_from[1]) ||
        !gj_date_valid(2024, p->premium.window_to[0], p->premium.window_to[1]) ||
        p->premium.window_from[0] * 100 + p->premium.window_from[1] >
            p->premium.window_to[0] * 100 + p->premium.window_to[1])
        return gj_fail(st, GJ_E_BAD_DATE, "premium.window_from/window_to: [month, day], in order");
    return GJ_E_OK;
}

gj_err gj_gen_select_regions(gj_gen_params *p, const char *list, gj_status *st) {
    gj_gen_region kept[GJ_GEN_REGIONS_MAX];
    int n = 0;
    for (const char *at = list; *at != '\0' && n < GJ_GEN_REGIONS_MAX;) {
        size_t len = strcspn(at, ",");
        int found = -1;
        for (int i = 0; i < p->region_count; i++)
            if (len == 6 && strncmp(p->regions[i].admdvs, at, 6) == 0) found = i;
        if (found < 0)
            return gj_fail(st, GJ_E_BAD_ADMDVS, "--regions: %.*s is not among the parameter file's regions",
                           (int)len, at);
        kept[n++] = p->regions[found];
        at += len + (at[len] == ',');
    }
    if (n == 0) return gj_fail(st, GJ_E_BAD_FIELD, "--regions: at least one region code");
    memcpy(p->regions, kept, sizeof kept[0] * (size_t)n);
    p->region_count = n;
    return GJ_E_OK;
}
