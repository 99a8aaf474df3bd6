/* import_row.c — validation of one CSV person row: ID checksum and derived birth date and
 * gender (R1.1), region and scheme codes, balances only where an account exists (R1.2), text
 * in UTF-8 (names and numbers go into JSON answers, which must be UTF-8). */
#include <stdio.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "gongji/family.h"
#include "gongji/idcard.h"
#include "gongji/utf8.h"
#include "import_row.h"

static const char *const columns[IMPORT_COLUMNS] = {
    "psn_no", "name", "psn_cert_type", "certno", "brdy", "gend", "insuplc_admdvs", "insutype",
    "status", "current_yuan", "prior_yuan", "card_yuan", "ecert_no", "card_no"};

bool import_is_header(const gj_csv_record *rec) {
    return rec->count > 0 && strcmp(rec->field[0], columns[0]) == 0;
}

/* Column col into dst (size bytes with the NUL): valid UTF-8, non-empty when required. */
static gj_err copy_field(const gj_csv_record *rec, int col, char *dst, size_t size, bool required,
                         gj_status *st) {
    const char *v = rec->field[col];
    if (required && *v == '\0') return gj_fail(st, GJ_E_BAD_FIELD, "%s: required", columns[col]);
    size_t len = strlen(v);
    if (len >= size) return gj_fail(st, GJ_E_BAD_FIELD, "%s: too long", columns[col]);
    if (!gj_utf8_valid(v)) return gj_fail(st, GJ_E_BAD_FIELD, "%s: not UTF-8", columns[col]);
    memcpy(dst, v, len + 1);   /* millions of rows: no printf per field */
    return GJ_E_OK;
}

static gj_err amount_field(const gj_csv_record *rec, int col, gj_fen *out, gj_status *st) {
    const char *v = rec->field[col];
    *out = 0;
    if (*v == '\0') return GJ_E_OK;
    gj_err e = gj_money_parse(v, strlen(v), out);
    if (e != GJ_E_OK) return gj_fail(st, e, "%s: \"%.20s\"", columns[col], v);
    if (*out < 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "%s: negative", columns[col]);
    return GJ_E_OK;
}

/* Birth date and gender: from a resident ID (checksum verified), else from the columns. */
static gj_err identity(const gj_csv_record *rec, gj_date today, import_row *r, gj_status *st) {
    const char *brdy = rec->field[4], *gend = rec->field[5];
    if (strcmp(r->cert_type, "01") == 0) {
        gj_idcard id;
        gj_err e = gj_idcard_parse(r->certno, strlen(r->certno), today, &id, st);
        if (e != GJ_E_OK) return e;
        gj_idcard_canonical(r->certno);   /* stored as the national interface compares it */
        r->birth = id.birth;
        r->gender = id.gender;
        gj_date given;
        if (*brdy && (gj_date_parse(brdy, &given) != GJ_E_OK || given != id.birth))
            return gj_fail(st, GJ_E_BAD_FIELD, "brdy: does not match the ID number");
        return GJ_E_OK;
    }
    if (gj_date_parse(brdy, &r->birth) != GJ_E_OK || r->birth > today)
        return gj_fail(st, GJ_E_BAD_DATE, "brdy: yyyy-MM-dd required for this certificate type");
    if (strlen(gend) != 1 || strchr("0129", gend[0]) == NULL)
        return gj_fail(st, GJ_E_BAD_CODE, "gend: 0, 1, 2 or 9");
    r->gender = gend[0] - '0';
    return GJ_E_OK;
}

static gj_err codes(import_row *r, gj_status *st) {
    bool ok = false;
    if (!gj_cert_type_known(r->cert_type)) return gj_fail(st, GJ_E_BAD_CODE, "psn_cert_type: unknown");
    if (!gj_admdvs_valid(r->admdvs) || strcmp(r->admdvs, "000000") == 0)
        return gj_fail(st, GJ_E_BAD_ADMDVS, "insuplc_admdvs: unknown region");
    if (strcmp(r->insutype, "310") != 0 && strcmp(r->insutype, "390") != 0)
        return gj_fail(st, GJ_E_BAD_CODE, "insutype: 310 or 390");
    gj_psn_status_parse(r->status, &ok);
    if (!ok) return gj_fail(st, GJ_E_BAD_CODE, "status: active, suspended or terminated");
    for (const char *p = r->psn_no; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return gj_fail(st, GJ_E_BAD_FIELD, "psn_no: letters and digits only");
    return GJ_E_OK;
}

gj_err import_parse_row(const gj_csv_record *rec, gj_date today, import_row *r, gj_status *st) {
    memset(r, 0, sizeof *r);
    if (rec->count != IMPORT_COLUMNS)
        return gj_fail(st, GJ_E_BAD_FIELD, "%zu columns, %d expected", rec->count, IMPORT_COLUMNS);
    gj_err e;
    if ((e = copy_field(rec, 0, r->psn_no, sizeof r->psn_no, true, st)) ||
        (e = copy_field(rec, 1, r->name, sizeof r->name, true, st)) ||
        (e = copy_field(rec, 2, r->cert_type, sizeof r->cert_type, true, st)) ||
        (e = copy_field(rec, 3, r->certno, sizeof r->certno, true, st)) ||
        (e = copy_field(rec, 6, r->admdvs, sizeof r->admdvs, true, st)) ||
        (e = copy_field(rec, 7, r->insutype, sizeof r->insutype, true, st)) ||
        (e = copy_field(rec, 8, r->status, sizeof r->status, true, st)) ||
        (e = copy_field(rec, 12, r->ecert_no, sizeof r->ecert_no, false, st)) ||
        (e = copy_field(rec, 13, r->card_no, sizeof r->card_no, false, st)) ||
        (e = codes(r, st)) || (e = identity(rec, today, r, st)) ||
        (e = amount_field(rec, 9, &r->layer_fen[GJ_LAYER_CURRENT], st)) ||
        (e = amount_field(rec, 10, &r->layer_fen[GJ_LAYER_PRIOR], st)) ||
        (e = amount_field(rec, 11, &r->card_fen, st)))
        return e;
    if (strcmp(r->insutype, "310") != 0 && (r->layer_fen[0] || r->layer_fen[1]))
        return gj_fail(st, GJ_E_BAD_FIELD, "current_yuan/prior_yuan: only employee insurance (310) "
                                           "has a personal account (R1.2)");
    return GJ_E_OK;
}
