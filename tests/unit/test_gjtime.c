/* test_gjtime.c — unit tests for gjtime.h: day ⇄ civil conversion, leap years, date and time
 * text, ages on the birthday edge, month arithmetic with clamping, and the fixable clock. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "gongji/gjtime.h"

static void expect_ymd(gj_date d, int year, int month, int day) {
    int y = 0, m = 0, dd = 0;
    gj_date_to_ymd(d, &y, &m, &dd);
    cr_assert(y == year && m == month && dd == day, "day %d → %04d-%02d-%02d, expected %04d-%02d-%02d",
              (int)d, y, m, dd, year, month, day);
}

static gj_date ymd(int year, int month, int day) { return gj_date_from_ymd(year, month, day); }

Test(gjtime_civil, known_day_numbers) {
    cr_assert_eq(ymd(1970, 1, 1), 0);
    cr_assert_eq(ymd(1970, 1, 2), 1);
    cr_assert_eq(ymd(1969, 12, 31), -1);
    cr_assert_eq(ymd(2000, 3, 1), 11017);
    cr_assert_eq(ymd(2024, 2, 29), 19782);
    cr_assert_eq(ymd(1, 1, 1), -719162);
    cr_assert_eq(ymd(9999, 12, 31), 2932896);
    cr_assert_eq(ymd(1900, 1, 1), -25567);
    expect_ymd(0, 1970, 1, 1);
    expect_ymd(-1, 1969, 12, 31);
    expect_ymd(11016, 2000, 2, 29);
    expect_ymd(2932896, 9999, 12, 31);
    expect_ymd(-719162, 1, 1, 1);
}

Test(gjtime_civil, every_day_from_1600_to_2400_is_consecutive) {
    gj_date d = ymd(1600, 1, 1);
    int year = 1600, month = 1, day = 1;
    while (year < 2400) {
        expect_ymd(d, year, month, day);
        cr_assert_eq(ymd(year, month, day), d);
        d++;
        day++;
        if (!gj_date_valid(year, month, day)) {
            day = 1;
            if (++month > 12) {
                month = 1;
                year++;
            }
        }
    }
}

Test(gjtime_civil, extreme_day_numbers_convert_back) {
    /* Whole int32 range stays consistent (years outside 1..9999 are not "valid" text dates). */
    static const gj_date samples[] = {INT32_MIN, INT32_MIN + 1, -1000000000, 1000000000,
                                      INT32_MAX - 1, INT32_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        int y, m, d;
        gj_date_to_ymd(samples[i], &y, &m, &d);
        cr_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
        cr_assert_eq(gj_date_year(samples[i]), y);
    }
}

Test(gjtime_civil, leap_years) {
    cr_assert(gj_date_valid(2000, 2, 29));
    cr_assert(gj_date_valid(2024, 2, 29));
    cr_assert(gj_date_valid(1600, 2, 29));
    cr_assert_not(gj_date_valid(1900, 2, 29));
    cr_assert_not(gj_date_valid(2100, 2, 29));
    cr_assert_not(gj_date_valid(2023, 2, 29));
    cr_assert_eq(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
    cr_assert_eq(ymd(1901, 1, 1) - ymd(1900, 1, 1), 365);
}

Test(gjtime_civil, validity) {
    cr_assert(gj_date_valid(2023, 12, 31));
    cr_assert(gj_date_valid(1, 1, 1));
    cr_assert(gj_date_valid(9999, 12, 31));
    cr_assert_not(gj_date_valid(2023, 2, 30));
    cr_assert_not(gj_date_valid(2023, 4, 31));
    cr_assert_not(gj_date_valid(2023, 6, 31));
    cr_assert_not(gj_date_valid(2023, 0, 1));
    cr_assert_not(gj_date_valid(2023, 13, 1));
    cr_assert_not(gj_date_valid(2023, 1, 0));
    cr_assert_not(gj_date_valid(2023, 1, 32));
    cr_assert_not(gj_date_valid(0, 1, 1));
    cr_assert_not(gj_date_valid(10000, 1, 1));
    cr_assert_not(gj_date_valid(-5, 1, 1));
}

Test(gjtime_text, date_parse_accepts_both_forms) {
    gj_date d = 0;
    cr_assert_eq(gj_date_parse("2024-02-29", &d), GJ_E_OK);
    cr_assert_eq(d, 19782);
    d = 0;
    cr_assert_eq(gj_date_parse("20240229", &d), GJ_E_OK);
    cr_assert_eq(d, 19782);
    cr_assert_eq(gj_date_parse("1969-12-31", &d), GJ_E_OK);
    cr_assert_eq(d, -1);
    cr_assert_eq(gj_date_parse("0001-01-01", &d), GJ_E_OK);
    cr_assert_eq(gj_date_parse("9999-12-31", &d), GJ_E_OK);
}

Test(gjtime_text, date_parse_refuses) {
    static const char *const bad[] = {
        "2023-02-29", "2023-02-30", "20230230", "2024-2-29", "2024/02/29", "2024-02-29 ",
        " 2024-02-29", "", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01", "+024-01-01",
        "2024-02-2a", "2024-02-29T00:00:00", "202402291", "2024022", "2024-0229", "2024.02.29",
        "2024--2-29", "-024-02-29", "24-02-29",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gj_date d = 1234;
        cr_assert_eq(gj_date_parse(bad[i], &d), GJ_E_BAD_DATE, "\"%s\" accepted", bad[i]);
        cr_assert_eq(d, 1234);
    }
    gj_date d = 0;
    cr_assert_eq(gj_date_parse(NULL, &d), GJ_E_BAD_DATE);
}

Test(gjtime_text, time_parse) {
    gj_time t = 0;
    cr_assert_eq(gj_time_parse("2024-02-29 23:59:59", &t), GJ_E_OK);
    cr_assert_eq(t, (gj_time)19782 * SECONDS_PER_DAY + 86399);
    cr_assert_eq(gj_time_parse("1970-01-01 00:00:00", &t), GJ_E_OK);
    cr_assert_eq(t, 0);
    cr_assert_eq(gj_time_parse("1969-12-31 23:59:59", &t), GJ_E_OK);
    cr_assert_eq(t, -1);
    cr_assert_eq(gj_time_parse("2024-02-29", &t), GJ_E_OK);
    cr_assert_eq(t, (gj_time)19782 * SECONDS_PER_DAY);
    cr_assert_eq(gj_time_parse("20240229", &t), GJ_E_OK);
    cr_assert_eq(t, (gj_time)19782 * SECONDS_PER_DAY);
}

Test(gjtime_text, time_parse_refuses) {
    static const char *const bad[] = {
        "2024-02-29 24:00:00", "2024-02-29 12:60:00", "2024-02-29 12:00:60",
        "2024-02-29T12:00:00", "2024-02-29 12:00", "2024-02-29 12:00:00Z", "2024-02-29 1:00:00",
        "2024-02-30 12:00:00", "2024-02-29  2:00:00", "2024-02-29 12-00-00", "20240229 12:00:00",
        "2024-02-29 ", "", "2024-02-29 12:00:0a",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gj_time t = 99;
        cr_assert_eq(gj_time_parse(bad[i], &t), GJ_E_BAD_DATE, "\"%s\" accepted", bad[i]);
        cr_assert_eq(t, 99);
    }
    gj_time t = 0;
    cr_assert_eq(gj_time_parse(NULL, &t), GJ_E_BAD_DATE);
}

Test(gjtime_text, format) {
    char buf[GJ_TIME_TEXT_MAX];
    cr_assert_str_eq(gj_date_format(19782, buf, GJ_DATE_TEXT_MAX), "2024-02-29");
    cr_assert_str_eq(gj_date_format(-1, buf, sizeof buf), "1969-12-31");
    cr_assert_str_eq(gj_date_format(ymd(1, 1, 1), buf, sizeof buf), "0001-01-01");
    cr_assert_str_eq(gj_time_format(0, buf, sizeof buf), "1970-01-01 00:00:00");
    cr_assert_str_eq(gj_time_format(-1, buf, sizeof buf), "1969-12-31 23:59:59");
    cr_assert_str_eq(gj_time_format(-86400, buf, sizeof buf), "1969-12-31 00:00:00");
    cr_assert_str_eq(gj_time_format((gj_time)19782 * 86400 + 3723, buf, sizeof buf),
                     "2024-02-29 01:02:03");
}

Test(gjtime_text, format_outside_the_direct_path) {
    /* A short buffer is truncated as snprintf would; years beyond 9999 keep all their digits. */
    char small[8], buf[32];
    cr_assert_str_eq(gj_date_format(19782, small, sizeof small), "2024-02");
    cr_assert_str_eq(gj_time_format((gj_time)19782 * 86400, small, sizeof small), "2024-02");
    gj_date after_9999 = ymd(9999, 12, 31) + 1;
    cr_assert_str_eq(gj_date_format(after_9999, buf, sizeof buf), "10000-01-01");
    cr_assert_str_eq(gj_time_format((gj_time)after_9999 * 86400 + 59, buf, sizeof buf),
                     "10000-01-01 00:00:59");
}

Test(gjtime_text, time_round_trips) {
    static const char *const samples[] = {"2024-02-29 23:59:59", "1900-03-01 12:34:56",
                                          "0001-01-01 00:00:00", "9999-12-31 23:59:59"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        gj_time t;
        char buf[GJ_TIME_TEXT_MAX];
        cr_assert_eq(gj_time_parse(samples[i], &t), GJ_E_OK);
        cr_assert_str_eq(gj_time_format(t, buf, sizeof buf), samples[i]);
    }
}

Test(gjtime_text, time_date_floors_negative_times) {
    cr_assert_eq(gj_time_date(0), 0);
    cr_assert_eq(gj_time_date(86399), 0);
    cr_assert_eq(gj_time_date(86400), 1);
    cr_assert_eq(gj_time_date(-1), -1);
    cr_assert_eq(gj_time_date(-86400), -1);
    cr_assert_eq(gj_time_date(-86401), -2);
    cr_assert_eq(gj_date_start(-1), -86400);
}

Test(gjtime_age, birthday_counts_on_the_day) {
    gj_date birth = ymd(2000, 6, 15);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 6, 14)), 17);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 6, 15)), 18);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 6, 16)), 18);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 5, 31)), 17);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 7, 1)), 18);
    cr_assert_eq(gj_age_years(birth, birth), 0);
    cr_assert_eq(gj_age_years(birth, ymd(2001, 6, 14)), 0);
    cr_assert_eq(gj_age_years(birth, ymd(2001, 6, 15)), 1);
}

Test(gjtime_age, new_year_edges) {
    gj_date birth = ymd(2006, 12, 31);
    cr_assert_eq(gj_age_years(birth, ymd(2024, 12, 30)), 17);
    cr_assert_eq(gj_age_years(birth, ymd(2024, 12, 31)), 18);
    birth = ymd(2006, 1, 1);
    cr_assert_eq(gj_age_years(birth, ymd(2023, 12, 31)), 17);
    cr_assert_eq(gj_age_years(birth, ymd(2024, 1, 1)), 18);
}

Test(gjtime_age, leap_day_birthday_comes_on_1_march_in_common_years) {
    gj_date birth = ymd(2000, 2, 29);
    cr_assert_eq(gj_age_years(birth, ymd(2001, 2, 28)), 0);
    cr_assert_eq(gj_age_years(birth, ymd(2001, 3, 1)), 1);
    cr_assert_eq(gj_age_years(birth, ymd(2004, 2, 28)), 3);
    cr_assert_eq(gj_age_years(birth, ymd(2004, 2, 29)), 4);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 2, 28)), 17);
    cr_assert_eq(gj_age_years(birth, ymd(2018, 3, 1)), 18);
}

static void expect_add(int y, int m, int d, int months, int ey, int em, int ed) {
    gj_date got = gj_date_add_months(ymd(y, m, d), months);
    expect_ymd(got, ey, em, ed);
}

Test(gjtime_months, clamps_to_month_end) {
    expect_add(2024, 1, 31, 1, 2024, 2, 29);
    expect_add(2023, 1, 31, 1, 2023, 2, 28);
    expect_add(2100, 1, 31, 1, 2100, 2, 28);
    expect_add(2000, 1, 31, 1, 2000, 2, 29);
    expect_add(2024, 3, 31, 1, 2024, 4, 30);
    expect_add(2024, 3, 31, -1, 2024, 2, 29);
    expect_add(2023, 3, 31, -1, 2023, 2, 28);
    expect_add(2024, 5, 31, -1, 2024, 4, 30);
    expect_add(2024, 8, 31, 1, 2024, 9, 30);
}

Test(gjtime_months, crosses_years) {
    expect_add(2024, 12, 15, 1, 2025, 1, 15);
    expect_add(2024, 1, 15, -1, 2023, 12, 15);
    expect_add(2024, 2, 29, 12, 2025, 2, 28);
    expect_add(2024, 2, 29, 48, 2028, 2, 29);
    expect_add(2024, 2, 29, -12, 2023, 2, 28);
    expect_add(2024, 6, 10, -13, 2023, 5, 10);
    expect_add(2024, 6, 10, -18, 2022, 12, 10);
    expect_add(2024, 6, 10, 30, 2026, 12, 10);
    expect_add(2024, 6, 10, 0, 2024, 6, 10);
    expect_add(1970, 1, 1, -1, 1969, 12, 1);
    expect_add(2023, 10, 31, 4, 2024, 2, 29);
}

Test(gjtime_months, does_not_accumulate_clamping) {
    /* Adding 1 month twice may differ from adding 2: the day is clamped, not remembered. */
    gj_date jan31 = ymd(2023, 1, 31);
    expect_ymd(gj_date_add_months(jan31, 2), 2023, 3, 31);
    expect_ymd(gj_date_add_months(gj_date_add_months(jan31, 1), 1), 2023, 3, 28);
}

Test(gjtime_clock, fix_and_unfix) {
    gj_clock_fix(1234567890);
    cr_assert_eq(gj_now(), 1234567890);
    gj_clock_fix(-5);
    cr_assert_eq(gj_now(), -5);
    gj_clock_fix(0);
    cr_assert_eq(gj_now(), 0);
    gj_clock_unfix();
    time_t sys = time(NULL);
    struct tm local;
    cr_assert_not_null(localtime_r(&sys, &local));
    gj_time expected = (gj_time)sys + local.tm_gmtoff;
    gj_time now = gj_now();
    cr_assert(now >= expected - 2 && now <= expected + 2, "now %lld vs %lld", (long long)now,
              (long long)expected);
}

Test(gjtime_clock, unfixed_clock_follows_local_offset) {
    /* TZ set by the test: Asia/Shanghai is UTC+8 with no DST. */
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    gj_clock_unfix();
    time_t sys = time(NULL);
    gj_time now = gj_now();
    struct tm local;
    localtime_r(&sys, &local);
    if (local.tm_gmtoff == 8 * 3600) {   /* zoneinfo installed */
        cr_assert(now >= (gj_time)sys + 8 * 3600 - 2 && now <= (gj_time)sys + 8 * 3600 + 2);
    }
}

enum { CLOCK_THREADS = 4, CLOCK_READS = 20000 };
static const gj_time clock_a = 1700000000, clock_b = -1700000000;

static void *read_clock(void *arg) {
    int *bad = arg;
    for (int i = 0; i < CLOCK_READS; i++) {
        gj_time t = gj_now();
        if (t != clock_a && t != clock_b) {
            (*bad)++;
        }
    }
    return NULL;
}

Test(gjtime_clock, fixed_clock_is_thread_safe) {
    gj_clock_fix(clock_a);
    pthread_t threads[CLOCK_THREADS];
    int bad[CLOCK_THREADS] = {0};
    for (int i = 0; i < CLOCK_THREADS; i++) {
        cr_assert_eq(pthread_create(&threads[i], NULL, read_clock, &bad[i]), 0);
    }
    for (int i = 0; i < CLOCK_READS; i++) {
        gj_clock_fix(i % 2 == 0 ? clock_b : clock_a);
    }
    for (int i = 0; i < CLOCK_THREADS; i++) {
        pthread_join(threads[i], NULL);
        cr_assert_eq(bad[i], 0);
    }
    gj_clock_unfix();
}
