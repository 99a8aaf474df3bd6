/* gjtime.c — proleptic Gregorian dates (days since 1970-01-01), date/time text, ages, month
 * arithmetic, and the fixable clock.
 *
 * Day ⇄ civil conversion uses Howard Hinnant's days_from_civil / civil_from_days algorithms
 * (400-year eras), in int64 so every int32 day count converts without overflow. */
#include "gongji/gjtime.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
    YEAR_MIN = 1, YEAR_MAX = 9999,
    DAYS_PER_ERA = 146097,        /* days in 400 Gregorian years */
    EPOCH_SHIFT_DAYS = 719468,    /* 0000-03-01 → 1970-01-01 */
    SECONDS_PER_HOUR = 3600, SECONDS_PER_MINUTE = 60,
};

/* ---- calendar arithmetic ------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b) {
    assert(b > 0);
    return (a >= 0 ? a : a - (b - 1)) / b;
}

static bool is_leap_year(int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int64_t year, int month) {
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    assert(month >= 1 && month <= 12);
    return month == 2 && is_leap_year(year) ? 29 : month_days[month - 1];
}

/* No range check: callers validate or compute from valid dates. */
static int64_t days_from_civil(int64_t year, int month, int day) {
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;                                  /* [0, 399] */
    int64_t shifted_month = month > 2 ? month - 3 : month + 9;            /* March = 0 */
    int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;       /* [0, 365] */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT_DAYS;
}

static void civil_from_days(int64_t days, int64_t *year, int *month, int *day) {
    int64_t z = days + EPOCH_SHIFT_DAYS;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA;                          /* [0, 146096] */
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t shifted_month = (5 * day_of_year + 2) / 153;                  /* March = 0 */
    *day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    *month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

bool gj_date_valid(int year, int month, int day) {
    return year >= YEAR_MIN && year <= YEAR_MAX && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

gj_date gj_date_from_ymd(int year, int month, int day) {
    assert(gj_date_valid(year, month, day));
    return (gj_date)days_from_civil(year, month, day);
}

void gj_date_to_ymd(gj_date d, int *year, int *month, int *day) {
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    /* An int32 day count spans about ±5.9 million years: the year fits an int. */
    if (year != NULL) *year = (int)y;
    if (month != NULL) *month = m;
    if (day != NULL) *day = dd;
}

int gj_date_year(gj_date d) {
    int year;
    gj_date_to_ymd(d, &year, NULL, NULL);
    return year;
}

int gj_age_years(gj_date birth, gj_date on) {
    int birth_year, birth_month, birth_day, on_year, on_month, on_day;
    gj_date_to_ymd(birth, &birth_year, &birth_month, &birth_day);
    gj_date_to_ymd(on, &on_year, &on_month, &on_day);
    int age = on_year - birth_year;
    /* Not yet had this year's birthday. A 29 February birthday comes on 1 March in common
     * years. (Negative when `on` precedes `birth`.) */
    if (on_month < birth_month || (on_month == birth_month && on_day < birth_day)) {
        age--;
    }
    return age;
}

gj_date gj_date_add_months(gj_date d, int months) {
    int64_t year;
    int month, day;
    civil_from_days(d, &year, &month, &day);
    int64_t month_index = year * 12 + (month - 1) + months;
    int64_t new_year = floor_div(month_index, 12);
    int new_month = (int)(month_index - new_year * 12) + 1;
    int last_day = days_in_month(new_year, new_month);
    int64_t result = days_from_civil(new_year, new_month, day > last_day ? last_day : day);
    assert(result >= INT32_MIN && result <= INT32_MAX);
    return (gj_date)result;
}

/* ---- text ---------------------------------------------------------------------------- */

/* `count` ASCII digits at text as a number, or -1. */
static int parse_digits(const char *text, size_t count) {
    int value = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

/* A date of exactly `len` characters: "yyyy-MM-dd" (10) or "yyyyMMdd" (8). */
static gj_err parse_date_part(const char *text, size_t len, gj_date *out) {
    int year, month, day;
    if (len == 10 && text[4] == '-' && text[7] == '-') {
        year = parse_digits(text, 4);
        month = parse_digits(text + 5, 2);
        day = parse_digits(text + 8, 2);
    } else if (len == 8) {
        year = parse_digits(text, 4);
        month = parse_digits(text + 4, 2);
        day = parse_digits(text + 6, 2);
    } else {
        return GJ_E_BAD_DATE;
    }
    if (!gj_date_valid(year, month, day)) {
        return GJ_E_BAD_DATE;   /* also catches -1 from a non-digit */
    }
    *out = gj_date_from_ymd(year, month, day);
    return GJ_E_OK;
}

gj_err gj_date_parse(const char *text, gj_date *out) {
    if (text == NULL) {
        return GJ_E_BAD_DATE;
    }
    return parse_date_part(text, strnlen(text, GJ_TIME_TEXT_MAX), out);
}

/* "HH:mm:ss" → seconds into the day, or -1. */
static int parse_clock_part(const char *text) {
    if (text[2] != ':' || text[5] != ':') {
        return -1;
    }
    int hour = parse_digits(text, 2), minute = parse_digits(text + 3, 2);
    int second = parse_digits(text + 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return -1;
    }
    return hour * SECONDS_PER_HOUR + minute * SECONDS_PER_MINUTE + second;
}

gj_err gj_time_parse(const char *text, gj_time *out) {
    if (text == NULL) {
        return GJ_E_BAD_DATE;
    }
    size_t len = strnlen(text, GJ_TIME_TEXT_MAX);
    gj_date date;
    if (len == 19) {
        int seconds = text[10] == ' ' ? parse_clock_part(text + 11) : -1;
        if (seconds < 0 || parse_date_part(text, 10, &date) != GJ_E_OK) {
            return GJ_E_BAD_DATE;
        }
        *out = gj_date_start(date) + seconds;
        return GJ_E_OK;
    }
    if (parse_date_part(text, len, &date) != GJ_E_OK) {
        return GJ_E_BAD_DATE;
    }
    *out = gj_date_start(date);
    return GJ_E_OK;
}

/* Write `value` as exactly `width` decimal digits (0 <= value < 10^width). */
static char *put_digits(char *p, int value, int width) {
    assert(value >= 0);
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    assert(value == 0);
    return p + width;
}

/* "yyyy-MM-dd" into p (10 bytes, no NUL); the year must be 0..9999. */
static char *put_date(char *p, int year, int month, int day) {
    p = put_digits(p, year, 4);
    *p++ = '-';
    p = put_digits(p, month, 2);
    *p++ = '-';
    return put_digits(p, day, 2);
}

/* The formats below are on every settlement's path: digits written directly, printf only for
 * years outside 0..9999 or a short buffer. */
char *gj_date_format(gj_date d, char *buf, size_t buf_len) {
    assert(buf != NULL && buf_len > 0);
    int year, month, day;
    gj_date_to_ymd(d, &year, &month, &day);
    if (year < 0 || year > 9999 || buf_len < GJ_DATE_TEXT_MAX) {
        snprintf(buf, buf_len, "%04d-%02d-%02d", year, month, day);
        return buf;
    }
    *put_date(buf, year, month, day) = '\0';
    return buf;
}

char *gj_time_format(gj_time t, char *buf, size_t buf_len) {
    assert(buf != NULL && buf_len > 0);
    gj_date date = gj_time_date(t);
    int seconds = (int)(t - gj_date_start(date));   /* [0, 86399] */
    int year, month, day;
    gj_date_to_ymd(date, &year, &month, &day);
    int hour = seconds / SECONDS_PER_HOUR, minute = seconds % SECONDS_PER_HOUR / SECONDS_PER_MINUTE;
    if (year < 0 || year > 9999 || buf_len < GJ_TIME_TEXT_MAX) {
        snprintf(buf, buf_len, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute,
                 seconds % SECONDS_PER_MINUTE);
        return buf;
    }
    char *p = put_date(buf, year, month, day);
    *p++ = ' ';
    p = put_digits(p, hour, 2);
    *p++ = ':';
    p = put_digits(p, minute, 2);
    *p++ = ':';
    p = put_digits(p, seconds % SECONDS_PER_MINUTE, 2);
    *p = '\0';
    assert(p - buf == GJ_TIME_TEXT_MAX - 1);
    return buf;
}

/* ---- clock --------------------------------------------------------------------------- */

/* One atomic word holds the whole clock state so a reader never sees half an update. */
#define CLOCK_UNFIXED INT64_MIN
static _Atomic int64_t fixed_time = CLOCK_UNFIXED;

static gj_time system_local_time(void) {
    time_t now = time(NULL);
    struct tm local;
    if (localtime_r(&now, &local) == NULL) {
        return (gj_time)now;
    }
    return (gj_time)now + (gj_time)local.tm_gmtoff;
}

gj_time gj_now(void) {
    int64_t fixed = atomic_load(&fixed_time);
    return fixed != CLOCK_UNFIXED ? fixed : system_local_time();
}

void gj_clock_fix(gj_time t) {
    assert(t != CLOCK_UNFIXED);
    atomic_store(&fixed_time, t);
}

void gj_clock_unfix(void) { atomic_store(&fixed_time, CLOCK_UNFIXED); }
