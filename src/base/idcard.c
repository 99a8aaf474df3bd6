/* idcard.c — 18-character resident identity numbers (GB 11643-1999): ISO 7064 MOD 11-2
 * checksum, birth date, gender, issuing region, and masking for logs.
 *
 * Refusal details name the failed check only, never the number itself. */
#include "gongji/idcard.h"

#include <assert.h>
#include <string.h>

enum { ID_DIGITS = 17, BIRTH_OFFSET = 6, GENDER_OFFSET = 16, MASK_KEEP = 4 };

static const int check_weights[ID_DIGITS] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int digit_value(char c) {
    assert(is_digit(c));
    return c - '0';
}

char gj_idcard_check_char(const char digits17[17]) {
    int sum = 0;
    for (size_t i = 0; i < ID_DIGITS; i++) {
        sum += digit_value(digits17[i]) * check_weights[i];
    }
    return check_chars[sum % 11];
}

static bool all_digits(const char *text, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (!is_digit(text[i])) {
            return false;
        }
    }
    return true;
}

/* The yyyyMMdd birth field (already known to be digits); false if not a real date. */
static bool birth_date(const char *text, gj_date *out) {
    const char *p = text + BIRTH_OFFSET;
    int year = digit_value(p[0]) * 1000 + digit_value(p[1]) * 100 + digit_value(p[2]) * 10 +
               digit_value(p[3]);
    int month = digit_value(p[4]) * 10 + digit_value(p[5]);
    int day = digit_value(p[6]) * 10 + digit_value(p[7]);
    if (!gj_date_valid(year, month, day)) {
        return false;
    }
    *out = gj_date_from_ymd(year, month, day);
    return true;
}

static char upper_check(char c) { return c == 'x' ? 'X' : c; }

gj_err gj_idcard_parse(const char *text, size_t len, gj_date today, gj_idcard *out,
                       gj_status *st) {
    if (text == NULL || len != GJ_IDCARD_LEN) {
        return gj_fail(st, GJ_E_BAD_ID_NUMBER, "id number: length must be 18");
    }
    char check = upper_check(text[ID_DIGITS]);
    if (!all_digits(text, ID_DIGITS) || !(is_digit(check) || check == 'X')) {
        return gj_fail(st, GJ_E_BAD_ID_NUMBER, "id number: digits (17 digits and 0-9 or X)");
    }
    gj_date birth;
    if (!birth_date(text, &birth)) {
        return gj_fail(st, GJ_E_BAD_ID_NUMBER, "id number: birth date is not a real date");
    }
    if (birth > today) {
        return gj_fail(st, GJ_E_BAD_ID_NUMBER, "id number: birth date is after today");
    }
    if (gj_idcard_check_char(text) != check) {
        return gj_fail(st, GJ_E_BAD_ID_NUMBER, "id number: checksum mismatch");
    }
    if (out != NULL) {
        memcpy(out->admdvs, text, 6);
        out->admdvs[6] = '\0';
        out->birth = birth;
        out->gender = digit_value(text[GENDER_OFFSET]) % 2 == 1 ? 1 : 2;
    }
    return GJ_E_OK;
}

void gj_idcard_canonical(char *id) {
    if (id != NULL && strlen(id) == GJ_IDCARD_LEN) id[ID_DIGITS] = upper_check(id[ID_DIGITS]);
}

/* Keeps the first and last 4 characters of a long enough id; anything of 8 characters or
 * fewer is masked whole so nothing of it leaks. Truncates to buf_len - 1. */
char *gj_idcard_mask(const char *id, char *buf, size_t buf_len) {
    assert(buf != NULL && buf_len > 0);
    size_t len = id != NULL ? strlen(id) : 0;
    size_t keep = len > 2 * MASK_KEEP ? MASK_KEEP : 0;
    size_t i = 0;
    for (; i < len && i + 1 < buf_len; i++) {
        buf[i] = (i < keep || i >= len - keep) ? id[i] : '*';
    }
    buf[i] = '\0';
    return buf;
}
