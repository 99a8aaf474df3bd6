/* gen_event.c — the bill file's line format (one event: a hospital bill, a pharmacy purchase
 * or a premium falling due) and the national request each bill becomes: 2207 with input.data
 * and feedetail[], 2102 with input.druginfo and drugdetail[] (docs/nhsa.md). */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/gen.h"
#include "gongji/jsonx.h"
#include "gongji/utf8.h"

enum { EVENT_COLUMNS = 14 };

static const char *const kind_codes[] = {"2207", "2102", "premium"};

const char *gj_gen_event_header(void) {
    return "time,kind,msgid,psn_no,fixmedins_code,mdtrtarea_admvs,med_type,insutype,medfee_yuan,"
           "fulamt_ownpay_yuan,overlmt_selfpay_yuan,preselfpay_yuan,spend_ctgy,excluded_yuan";
}

static const char *yuan_or_empty(gj_fen fen, bool bill, char buf[GJ_YUAN_TEXT_MAX]) {
    return bill ? gj_money_format(fen, buf, GJ_YUAN_TEXT_MAX) : "";
}

void gj_gen_event_write(FILE *f, const gj_gen_event *ev) {
    char at[GJ_TIME_TEXT_MAX], a[GJ_YUAN_TEXT_MAX], b[GJ_YUAN_TEXT_MAX], c[GJ_YUAN_TEXT_MAX],
        d[GJ_YUAN_TEXT_MAX], x[GJ_YUAN_TEXT_MAX];
    bool bill = ev->kind != GJ_GEN_EV_PREMIUM;
    fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", gj_time_format(ev->at, at, sizeof at),
            kind_codes[ev->kind], ev->msgid, ev->psn_no, ev->fixmedins_code, ev->mdtrtarea_admvs,
            ev->med_type, ev->insutype, yuan_or_empty(ev->medfee_fen, bill, a),
            yuan_or_empty(ev->fulamt_fen, bill, b), yuan_or_empty(ev->overlmt_fen, bill, c),
            yuan_or_empty(ev->preselfpay_fen, bill, d), ev->spend_ctgy,
            yuan_or_empty(ev->excluded_fen, bill && ev->spend_ctgy[0], x));
}

/* A text field, whole and valid UTF-8 (a request is built from it: gj_gen_event_request). */
static gj_err copy(const gj_csv_record *rec, int col, char *dst, size_t size, gj_status *st) {
    if (strlen(rec->field[col]) >= size)
        return gj_fail(st, GJ_E_BAD_FIELD, "line %ld column %d: too long", rec->line_no, col + 1);
    if (!gj_utf8_valid(rec->field[col]))
        return gj_fail(st, GJ_E_BAD_FIELD, "line %ld column %d: not UTF-8", rec->line_no, col + 1);
    gj_copy_text(dst, size, rec->field[col]);
    return GJ_E_OK;
}

static gj_err amount(const gj_csv_record *rec, int col, gj_fen *out, gj_status *st) {
    const char *v = rec->field[col];
    *out = 0;
    if (*v != '\0' && (gj_money_parse(v, strlen(v), out) != GJ_E_OK || *out < 0))
        return gj_fail(st, GJ_E_BAD_AMOUNT, "line %ld column %d: \"%.20s\"", rec->line_no, col + 1, v);
    return GJ_E_OK;
}

gj_err gj_gen_event_parse(const gj_csv_record *rec, gj_gen_event *ev, gj_status *st) {
    memset(ev, 0, sizeof *ev);
    if (rec->count != EVENT_COLUMNS)
        return gj_fail(st, GJ_E_BAD_FIELD, "line %ld: %zu columns, %d expected", rec->line_no,
                       rec->count, EVENT_COLUMNS);
    if (gj_time_parse(rec->field[0], &ev->at) != GJ_E_OK)
        return gj_fail(st, GJ_E_BAD_DATE, "line %ld: time", rec->line_no);
    int kind = -1;
    for (int k = 0; k < 3; k++)
        if (strcmp(rec->field[1], kind_codes[k]) == 0) kind = k;
    if (kind < 0) return gj_fail(st, GJ_E_BAD_CODE, "line %ld: kind 2207, 2102 or premium", rec->line_no);
    ev->kind = (gj_gen_ev_kind)kind;
    gj_err e;
    if ((e = copy(rec, 2, ev->msgid, sizeof ev->msgid, st)) ||
        (e = copy(rec, 3, ev->psn_no, sizeof ev->psn_no, st)) ||
        (e = copy(rec, 4, ev->fixmedins_code, sizeof ev->fixmedins_code, st)) ||
        (e = copy(rec, 5, ev->mdtrtarea_admvs, sizeof ev->mdtrtarea_admvs, st)) ||
        (e = copy(rec, 6, ev->med_type, sizeof ev->med_type, st)) ||
        (e = copy(rec, 7, ev->insutype, sizeof ev->insutype, st)) ||
        (e = amount(rec, 8, &ev->medfee_fen, st)) || (e = amount(rec, 9, &ev->fulamt_fen, st)) ||
        (e = amount(rec, 10, &ev->overlmt_fen, st)) || (e = amount(rec, 11, &ev->preselfpay_fen, st)) ||
        (e = copy(rec, 12, ev->spend_ctgy, sizeof ev->spend_ctgy, st)) ||
        (e = amount(rec, 13, &ev->excluded_fen, st)))
        return e;
    if (ev->psn_no[0] == '\0') return gj_fail(st, GJ_E_BAD_FIELD, "line %ld: psn_no", rec->line_no);
    return GJ_E_OK;
}

/* Members are set one by one instead of through json_pack, whose format parsing cost ~10,000
 * instructions per request (4.6 % of a simulated year, callgrind); keys are literals (no
 * UTF-8 check), values checked as json_pack checked them (never NULL for a parsed event: copy()
 * took only valid UTF-8). */
static void put(json_t *o, const char *key, json_t *value) { json_object_set_new_nocheck(o, key, value); }

json_t *gj_gen_event_request(const gj_gen_event *ev, const char *ecert_no) {
    bool pharmacy = ev->kind == GJ_GEN_EV_PHARMACY;
    char at[GJ_TIME_TEXT_MAX];
    json_t *data = json_object(), *input = json_object(), *items = json_array(), *request = json_object();
    put(data, "psn_no", json_string(ev->psn_no));
    put(data, "mdtrt_cert_type", json_string_nocheck("01"));
    put(data, "mdtrt_cert_no", json_string(ecert_no));
    put(data, "med_type", json_string(ev->med_type));
    put(data, "insutype", json_string(ev->insutype));
    put(data, "medfee_sumamt", gj_json_yuan(ev->medfee_fen));
    put(data, "fulamt_ownpay_amt", gj_json_yuan(ev->fulamt_fen));
    put(data, "overlmt_selfpay", gj_json_yuan(ev->overlmt_fen));
    put(data, "preselfpay_amt", gj_json_yuan(ev->preselfpay_fen));
    put(data, "acct_used_flag", json_string_nocheck("1"));
    if (ev->spend_ctgy[0] != '\0') {
        json_t *item = json_object();
        put(item, "spend_ctgy", json_string(ev->spend_ctgy));
        put(item, "det_item_fee_sumamt", gj_json_yuan(ev->excluded_fen));
        json_array_append_new(items, item);
    }
    put(input, pharmacy ? "druginfo" : "data", data);
    put(input, pharmacy ? "drugdetail" : "feedetail", items);
    put(request, "infno", json_string_nocheck(kind_codes[ev->kind]));
    put(request, "msgid", json_string(ev->msgid));
    put(request, "fixmedins_code", json_string(ev->fixmedins_code));
    put(request, "mdtrtarea_admvs", json_string(ev->mdtrtarea_admvs));
    put(request, "opter", json_string_nocheck("gongji-sim"));
    put(request, "opter_type", json_string_nocheck("1"));
    put(request, "inf_time", json_string_nocheck(gj_time_format(ev->at, at, sizeof at)));
    put(request, "input", input);
    return request;
}
