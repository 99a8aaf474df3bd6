/* gen_params.c — the generator's parameter file: one table describes every key (name, type,
 * bounds, where it lives in gj_gen_params), and the same table drives reading (unknown keys and
 * bad values refused with their JSON path) and writing (the full document). Defaults and their
 * sources: gen_defaults.c and docs/simulation.md; consistency checks: gen_check.c. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "gongji/jsonx.h"

typedef enum { F_U64, F_LONG, F_INT, F_INTS, F_YUAN, F_DATE, F_TEXT, F_TEXTS, F_OBJECT, F_LIST } field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    size_t offset;
    long lo, hi;                 /* F_LONG, F_INT, F_INTS: bounds */
    int count;                   /* F_INTS: exact length; F_TEXTS, F_LIST: maximum */
    size_t size;                 /* F_TEXT(S): buffer size; F_LIST: element size */
    size_t count_offset;         /* F_TEXTS, F_LIST: where the element count lives */
    const struct field *sub;     /* F_OBJECT, F_LIST */
} field;

#define INT(n, s, m, l, h) {.name = n, .kind = F_INT, .offset = offsetof(s, m), .lo = l, .hi = h}
#define INTS(n, s, m, c, l, h) \
    {.name = n, .kind = F_INTS, .offset = offsetof(s, m), .lo = l, .hi = h, .count = c}
#define YUAN(n, s, m) {.name = n, .kind = F_YUAN, .offset = offsetof(s, m)}
#define TEXT(n, s, m) {.name = n, .kind = F_TEXT, .offset = offsetof(s, m), .size = sizeof(((s *)0)->m)}
#define PERMILLE(n, s, m) INT(n, s, m, 0, 1000)
#define END {.name = NULL}

static const field region_fields[] = {
    TEXT("admdvs", gj_gen_region, admdvs),
    INT("weight", gj_gen_region, weight, 0, 1000000),
    {.name = "districts", .kind = F_TEXTS, .offset = offsetof(gj_gen_region, districts),
     .count = GJ_GEN_DISTRICTS_MAX, .size = 7, .count_offset = offsetof(gj_gen_region, district_count)},
    END};

static const field visit_fields[] = {
    TEXT("name", gj_gen_visit, name),
    TEXT("infno", gj_gen_visit, infno),
    TEXT("med_type", gj_gen_visit, med_type),
    INTS("rate_per_1000", gj_gen_visit, rate_milli, GJ_GEN_AGE_BANDS, 0, 1000000),
    YUAN("bill_mean_yuan", gj_gen_visit, bill_mean_fen),
    PERMILLE("fulamt_ownpay_permille", gj_gen_visit, fulamt_permille),
    PERMILLE("overlmt_selfpay_permille", gj_gen_visit, overlmt_permille),
    PERMILLE("preselfpay_permille", gj_gen_visit, preselfpay_permille),
    PERMILLE("excluded_permille", gj_gen_visit, excluded_permille),
    END};

static const field category_fields[] = {
    TEXT("code", gj_gen_category, code),
    INT("weight", gj_gen_category, weight, 0, 1000000),
    END};

static const field family_fields[] = {
    INT("head_age_min", gj_gen_params, family.head_age_min, 18, 90),
    INT("head_age_max", gj_gen_params, family.head_age_max, 18, 90),
    PERMILLE("spouse_permille", gj_gen_params, family.spouse_permille),
    INTS("children_permille", gj_gen_params, family.children_permille, GJ_GEN_CHILDREN_MAX + 1, 0, 1000),
    INTS("siblings_permille", gj_gen_params, family.siblings_permille, GJ_GEN_SIBLINGS_MAX + 1, 0, 1000),
    PERMILLE("grandchild_permille", gj_gen_params, family.grandchild_permille),
    INTS("alive_permille", gj_gen_params, family.alive_permille, GJ_GEN_ALIVE_BANDS, 0, 1000),
    PERMILLE("other_city_permille", gj_gen_params, family.other_city_permille),
    PERMILLE("other_province_permille", gj_gen_params, family.other_province_permille),
    END};

static const field employee_fields[] = {
    PERMILLE("working_permille", gj_gen_params, employee.working_permille),
    PERMILLE("retired_permille", gj_gen_params, employee.retired_permille),
    END};

static const field account_fields[] = {
    YUAN("prior_mean_yuan", gj_gen_params, accounts.prior_mean_fen),
    YUAN("current_mean_yuan", gj_gen_params, accounts.current_mean_fen),
    YUAN("card_max_yuan", gj_gen_params, accounts.card_max_fen),
    END};

static const field premium_fields[] = {
    INTS("window_from", gj_gen_params, premium.window_from, 2, 1, 31),
    INTS("window_to", gj_gen_params, premium.window_to, 2, 1, 31),
    PERMILLE("permille", gj_gen_params, premium.permille),
    END};

static const field top_fields[] = {
    {.name = "seed", .kind = F_U64, .offset = offsetof(gj_gen_params, seed)},
    {.name = "as_of", .kind = F_DATE, .offset = offsetof(gj_gen_params, as_of)},
    {.name = "families", .kind = F_LONG, .offset = offsetof(gj_gen_params, families), .lo = 1,
     .hi = GJ_GEN_FAMILIES_MAX},
    {.name = "regions", .kind = F_LIST, .offset = offsetof(gj_gen_params, regions),
     .count = GJ_GEN_REGIONS_MAX, .size = sizeof(gj_gen_region),
     .count_offset = offsetof(gj_gen_params, region_count), .sub = region_fields},
    {.name = "family", .kind = F_OBJECT, .sub = family_fields},
    {.name = "employee", .kind = F_OBJECT, .sub = employee_fields},
    {.name = "accounts", .kind = F_OBJECT, .sub = account_fields},
    INTS("age_bands", gj_gen_params, age_bands, GJ_GEN_AGE_BANDS, 0, 120),
    {.name = "visits", .kind = F_LIST, .offset = offsetof(gj_gen_params, visits),
     .count = GJ_GEN_VISITS_MAX, .size = sizeof(gj_gen_visit),
     .count_offset = offsetof(gj_gen_params, visit_count), .sub = visit_fields},
    {.name = "categories", .kind = F_LIST, .offset = offsetof(gj_gen_params, categories),
     .count = GJ_GEN_CATEGORIES_MAX, .size = sizeof(gj_gen_category),
     .count_offset = offsetof(gj_gen_params, category_count), .sub = category_fields},
    {.name = "premium", .kind = F_OBJECT, .sub = premium_fields},
    END};

/* ---- reading ---- */

static gj_err int_value(json_t *v, const char *path, long lo, long hi, long *out, gj_status *st) {
    const char *text = json_string_value(v);
    char *end = NULL;
    errno = 0;
    if (json_is_integer(v)) *out = (long)json_integer_value(v);
    else if (text != NULL && *text != '\0') *out = strtol(text, &end, 10);
    if ((!json_is_integer(v) && (text == NULL || *text == '\0' || *end != '\0')) || errno != 0)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: integer expected", path);
    if (*out < lo || *out > hi) return gj_fail(st, GJ_E_BAD_FIELD, "%s: %ld..%ld", path, lo, hi);
    return GJ_E_OK;
}

static gj_err u64_value(json_t *v, const char *path, uint64_t *out, gj_status *st) {
    const char *text = json_string_value(v);
    char *end = NULL;
    errno = 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return GJ_E_OK;
    }
    if (text == NULL || *text < '0' || *text > '9' || (*out = strtoull(text, &end, 10), *end) || errno)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: unsigned integer expected", path);
    return GJ_E_OK;
}

static gj_err text_value(json_t *v, const char *path, char *dst, size_t size, gj_status *st) {
    const char *text = json_string_value(v);
    if (text == NULL || *text == '\0' || strlen(text) >= size)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: text of 1..%zu characters expected", path, size - 1);
    snprintf(dst, size, "%s", text);
    return GJ_E_OK;
}

static gj_err yuan_value(json_t *v, const char *path, gj_fen *out, gj_status *st) {
    const char *text = json_string_value(v);
    if (text == NULL || gj_money_parse(text, strlen(text), out) != GJ_E_OK || *out < 0)
        return gj_fail(st, GJ_E_BAD_AMOUNT, "%s: yuan as a string, e.g. \"4100\"", path);
    return GJ_E_OK;
}

static gj_err date_value(json_t *v, const char *path, gj_date *out, gj_status *st) {
    const char *text = json_string_value(v);
    if (text == NULL || gj_date_parse(text, out) != GJ_E_OK)
        return gj_fail(st, GJ_E_BAD_DATE, "%s: yyyy-MM-dd", path);
    return GJ_E_OK;
}

static gj_err apply_fields(const field *table, json_t *obj, char *base, const char *prefix,
                           gj_status *st);

static gj_err apply_array(const field *f, json_t *v, char *base, const char *path, gj_status *st) {
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n > (size_t)f->count || (f->kind == F_INTS && n != (size_t)f->count))
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: array of %s%d expected", path,
                       f->kind == F_INTS ? "" : "at most ", f->count);
    if (f->kind == F_LIST) memset(base + f->offset, 0, f->size * (size_t)f->count);
    gj_err e = GJ_E_OK;
    for (size_t i = 0; e == GJ_E_OK && i < n; i++) {
        char item[192];
        snprintf(item, sizeof item, "%.150s[%zu]", path, i);
        json_t *x = json_array_get(v, i);
        long value = 0;
        if (f->kind == F_INTS && (e = int_value(x, item, f->lo, f->hi, &value, st)) == GJ_E_OK)
            ((int *)(void *)(base + f->offset))[i] = (int)value;
        else if (f->kind == F_TEXTS)
            e = text_value(x, item, base + f->offset + i * f->size, f->size, st);
        else if (f->kind == F_LIST && !json_is_object(x))
            e = gj_fail(st, GJ_E_BAD_FIELD, "%s: object expected", item);
        else if (f->kind == F_LIST)
            e = apply_fields(f->sub, x, base + f->offset + i * f->size, item, st);
    }
    if (f->kind != F_INTS) *(int *)(void *)(base + f->count_offset) = (int)n;
    return e;
}

static gj_err apply_field(const field *f, json_t *v, char *base, const char *path, gj_status *st) {
    long value = 0;
    gj_err e = GJ_E_OK;
    switch (f->kind) {
    case F_U64: return u64_value(v, path, (uint64_t *)(void *)(base + f->offset), st);
    case F_LONG:
        if ((e = int_value(v, path, f->lo, f->hi, &value, st)) == GJ_E_OK)
            *(long *)(void *)(base + f->offset) = value;
        return e;
    case F_INT:
        if ((e = int_value(v, path, f->lo, f->hi, &value, st)) == GJ_E_OK)
            *(int *)(void *)(base + f->offset) = (int)value;
        return e;
    case F_YUAN: return yuan_value(v, path, (gj_fen *)(void *)(base + f->offset), st);
    case F_DATE: return date_value(v, path, (gj_date *)(void *)(base + f->offset), st);
    case F_TEXT: return text_value(v, path, base + f->offset, f->size, st);
    case F_OBJECT:
        if (!json_is_object(v)) return gj_fail(st, GJ_E_BAD_FIELD, "%s: object expected", path);
        return apply_fields(f->sub, v, base, path, st);
    case F_INTS:
    case F_TEXTS:
    case F_LIST: return apply_array(f, v, base, path, st);
    }
    return GJ_E_OK;
}

static gj_err apply_fields(const field *table, json_t *obj, char *base, const char *prefix,
                           gj_status *st) {
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char path[192];
        snprintf(path, sizeof path, "%.100s%s%.60s", prefix, *prefix ? "." : "", key);
        const field *f = table;
        while (f->name != NULL && strcmp(f->name, key) != 0) f++;
        if (f->name == NULL) return gj_fail(st, GJ_E_BAD_FIELD, "%s: unknown key", path);
        gj_err e = apply_field(f, v, base, path, st);
        if (e != GJ_E_OK) return e;
    }
    return GJ_E_OK;
}

/* ---- writing ---- */

static json_t *dump_fields(const field *table, const char *base);

static json_t *u64_json(uint64_t v) {
    char text[24];
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    return v <= INT64_MAX ? json_integer((json_int_t)v) : json_string(text);
}

static json_t *dump_array(const field *f, const char *base) {
    json_t *a = json_array();
    int n = f->kind == F_INTS ? f->count : *(const int *)(const void *)(base + f->count_offset);
    for (int i = 0; i < n; i++) {
        const char *item = base + f->offset + (size_t)i * f->size;
        if (f->kind == F_INTS) json_array_append_new(a, json_integer(((const int *)(const void *)(base + f->offset))[i]));
        else if (f->kind == F_TEXTS) json_array_append_new(a, json_string(item));
        else json_array_append_new(a, dump_fields(f->sub, item));
    }
    return a;
}

static json_t *dump_field(const field *f, const char *base) {
    const void *at = base + f->offset;
    switch (f->kind) {
    case F_U64: return u64_json(*(const uint64_t *)at);
    case F_LONG: return json_integer(*(const long *)at);
    case F_INT: return json_integer(*(const int *)at);
    case F_YUAN: return gj_json_yuan(*(const gj_fen *)at);
    case F_DATE: {
        char text[GJ_DATE_TEXT_MAX];
        return json_string(gj_date_format(*(const gj_date *)at, text, sizeof text));
    }
    case F_TEXT: return json_string((const char *)at);
    case F_OBJECT: return dump_fields(f->sub, base);
    case F_INTS:
    case F_TEXTS:
    case F_LIST: return dump_array(f, base);
    }
    return json_null();
}

static json_t *dump_fields(const field *table, const char *base) {
    json_t *o = json_object();
    for (const field *f = table; f->name != NULL; f++) json_object_set_new(o, f->name, dump_field(f, base));
    return o;
}

json_t *gj_gen_params_json(const gj_gen_params *p) {
    json_t *doc = dump_fields(top_fields, (const char *)p);
    json_object_set_new(doc, "format", json_string("gongji-gen/1"));
    return doc;
}

gj_err gj_gen_params_apply(gj_gen_params *p, json_t *doc, gj_status *st) {
    if (!json_is_object(doc)) return gj_fail(st, GJ_E_BAD_FIELD, "parameters: object expected");
    json_t *format = json_object_get(doc, "format");
    if (format != NULL && (!json_is_string(format) || strcmp(json_string_value(format), "gongji-gen/1") != 0))
        return gj_fail(st, GJ_E_BAD_FIELD, "format: \"gongji-gen/1\"");
    json_t *copy = json_copy(doc);
    json_object_del(copy, "format");
    gj_err e = apply_fields(top_fields, copy, (char *)p, "", st);
    json_decref(copy);
    return e != GJ_E_OK ? e : gen_params_check(p, st);
}

gj_err gj_gen_params_load(const char *path, gj_gen_params *p, gj_status *st) {
    json_t *doc = NULL;
    gj_err e = gj_json_load_file_exact(path, &doc, st);
    if (e != GJ_E_OK) return e;
    e = gj_gen_params_apply(p, doc, st);
    json_decref(doc);
    return e != GJ_E_OK ? gj_status_prefix(st, path) : GJ_E_OK;
}
