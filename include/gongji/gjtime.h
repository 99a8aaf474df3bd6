/* gjtime.h — calendar dates and times as the interfaces write them, the injectable clock, and
 * the units durations are measured in (NS_PER_S, NS_PER_US).
 *
 * Dates are days since 1970-01-01 (int32, proleptic Gregorian, no time zones: all times are
 * the region's local time, China Standard Time). Times are seconds since 1970-01-01 00:00
 * local. The clock is a function pointer so tests and the CLI (--now / GONGJI_NOW) can fix it. */
#ifndef GONGJI_GJTIME_H
#define GONGJI_GJTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongji/error.h"

typedef int32_t gj_date;   /* days since 1970-01-01 */
typedef int64_t gj_time;   /* seconds since 1970-01-01 00:00:00 local */

enum { GJ_DATE_TEXT_MAX = 11, GJ_TIME_TEXT_MAX = 20, SECONDS_PER_DAY = 86400 };
/* Durations kept in nanoseconds (clock_gettime's struct timespec, the pipeline's timings). */
enum { NS_PER_US = 1000, NS_PER_S = 1000000000 };

bool gj_date_valid(int year, int month, int day);
gj_date gj_date_from_ymd(int year, int month, int day);          /* asserts valid */
void gj_date_to_ymd(gj_date d, int *year, int *month, int *day);

/* "yyyy-MM-dd" (exactly 10 chars) and "yyyyMMdd" (8) are accepted. */
gj_err gj_date_parse(const char *text, gj_date *out);
/* "yyyy-MM-dd HH:mm:ss", or a bare date (→ 00:00:00). */
gj_err gj_time_parse(const char *text, gj_time *out);
char *gj_date_format(gj_date d, char *buf, size_t buf_len);       /* yyyy-MM-dd */
char *gj_time_format(gj_time t, char *buf, size_t buf_len);       /* yyyy-MM-dd HH:mm:ss */

static inline gj_date gj_time_date(gj_time t) {
    return (gj_date)((t >= 0 ? t : t - (SECONDS_PER_DAY - 1)) / SECONDS_PER_DAY);
}
static inline gj_time gj_date_start(gj_date d) { return (gj_time)d * SECONDS_PER_DAY; }
int gj_date_year(gj_date d);

/* Whole years of age on `on` for someone born on `birth` (birthday counts on the day). */
int gj_age_years(gj_date birth, gj_date on);
/* The date `months` calendar months after d (day clamped to the month's end). */
gj_date gj_date_add_months(gj_date d, int months);

/* The clock. gj_now() returns the fixed time if one is set, else the system's local time. */
gj_time gj_now(void);
void gj_clock_fix(gj_time t);      /* tests, --now, GONGJI_NOW */
void gj_clock_unfix(void);

#endif
