/* sim_rows.c — a report flattened into rows (section, key, metric, one value per policy) for the
 * CSV and the terminal table, and the number formatting they share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/money.h"
#include "gongji/sim.h"

typedef struct {
    gj_sim_row *rows;
    int count, capacity;
} row_list;

static gj_sim_row *row_for(row_list *l, const char *section, const char *key, const char *metric) {
    for (int i = 0; i < l->count; i++) {
        gj_sim_row *r = &l->rows[i];
        if (!strcmp(r->section, section) && !strcmp(r->key, key) && !strcmp(r->metric, metric)) return r;
    }
    if (l->count == l->capacity) {
        l->capacity = l->capacity ? l->capacity * 2 : 256;
        gj_sim_row *grown = realloc(l->rows, (size_t)l->capacity * sizeof *grown);
        if (grown == NULL) abort();
        l->rows = grown;
    }
    gj_sim_row *r = &l->rows[l->count++];
    memset(r, 0, sizeof *r);
    snprintf(r->section, sizeof r->section, "%s", section);
    snprintf(r->key, sizeof r->key, "%s", key);
    snprintf(r->metric, sizeof r->metric, "%s", metric);
    return r;
}

static void put(row_list *l, int policy, const char *section, const char *key, const char *metric,
                const json_t *v) {
    gj_sim_row *r = row_for(l, section, key, metric);
    const char *text = json_string_value(v);
    gj_fen fen = 0;
    r->money = text != NULL;
    if (text != NULL && gj_money_parse(text, strlen(text), &fen) == GJ_E_OK) r->value[policy] = fen;
    else if (text == NULL) r->value[policy] = json_integer_value(v);
}

/* Every scalar of `obj` as a row of `section` under `key`. */
static void put_all(row_list *l, int policy, const char *section, const char *key, const json_t *obj) {
    const char *metric;
    json_t *v;
    json_object_foreach((json_t *)obj, metric, v) put(l, policy, section, key, metric, v);
}

static void put_nested(row_list *l, int policy, const char *section, const json_t *obj) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) put_all(l, policy, section, key, v);
}

static void put_results(row_list *l, int policy, const json_t *results) {
    put_all(l, policy, "totals", "", json_object_get(results, "totals"));
    put_nested(l, policy, "by_region", json_object_get(results, "by_region"));
    put_nested(l, policy, "by_relation", json_object_get(results, "by_relation"));
    put_nested(l, policy, "refusals", json_object_get(results, "refusals"));
    const json_t *monthly = json_object_get(results, "monthly_mutual_aid_yuan");
    for (size_t m = 0; m < json_array_size(monthly); m++) {
        char month[24];
        snprintf(month, sizeof month, "%02zu", m + 1);
        put(l, policy, "monthly", month, "mutual_aid_yuan", json_array_get(monthly, m));
    }
}

static bool all_zero(const gj_sim_row *r, int policies) {
    for (int p = 0; p < policies; p++)
        if (r->value[p] != 0) return false;
    return true;
}

int gj_sim_rows(const json_t *report, gj_sim_row **rows, int *policies) {
    row_list l = {0};
    const json_t *list = json_object_get(report, "policies");
    *policies = (int)json_array_size(list) < GJ_SIM_POLICIES_MAX ? (int)json_array_size(list) : GJ_SIM_POLICIES_MAX;
    for (int p = 0; p < *policies; p++)
        put_results(&l, p, json_object_get(json_array_get(list, (size_t)p), "results"));
    int kept = 0;
    for (int i = 0; i < l.count; i++)
        if (!all_zero(&l.rows[i], *policies)) l.rows[kept++] = l.rows[i];
    *rows = l.rows;
    return kept;
}

void gj_sim_format(long long value, bool money, bool grouped, char *buf, size_t size) {
    char digits[GJ_YUAN_TEXT_MAX], out[GJ_YUAN_TEXT_MAX * 2];
    if (money) gj_money_format(value, digits, sizeof digits);
    else snprintf(digits, sizeof digits, "%lld", value);
    const char *start = digits[0] == '-' ? digits + 1 : digits;
    size_t int_len = strcspn(start, "."), o = 0;
    if (digits[0] == '-') out[o++] = '-';
    for (size_t i = 0; start[i] != '\0'; i++) {
        if (grouped && i > 0 && i < int_len && (int_len - i) % 3 == 0) out[o++] = ',';
        out[o++] = start[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
}
