/* test_explain.c — unit tests for gj_explain_add's own formatting (explain.c): every line is
 * byte for byte what snprintf writes — the conversions it handles itself (%s, %.0s, %d, %02d,
 * %%), truncation at GJ_EXPLAIN_TEXT_MAX, and the formats it hands to vsnprintf. */
#include <criterion/criterion.h>
#include <stdio.h>

/* The truncation test truncates on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <string.h>

#include "gongji/explain.h"

static gj_explain x;

/* Add a line formatted with fmt (both languages) and compare it with snprintf's. */
#define EXPECT_AS_SNPRINTF(fmt, ...)                                                          \
    do {                                                                                      \
        char want[GJ_EXPLAIN_TEXT_MAX];                                                       \
        snprintf(want, sizeof want, fmt, __VA_ARGS__);                                        \
        gj_explain_add(&x, "R0", -1, fmt, fmt, __VA_ARGS__);                                  \
        cr_expect_str_eq(x.lines[x.count - 1].zh, want, "%s", fmt);                           \
        cr_expect_str_eq(x.lines[x.count - 1].en, want, "%s", fmt);                           \
    } while (0)

Test(explain, the_conversions_it_formats_are_snprintfs) {
    memset(&x, 0, sizeof x);
    EXPECT_AS_SNPRINTF("家庭共济：由共济关系 %s 支付 %s 元", "B0000000001", "12.34");
    EXPECT_AS_SNPRINTF("only the %.0s%s layer may be shared", "hidden", "current");
    EXPECT_AS_SNPRINTF("%d 个共济来源，使用顺序：%s%.0s", 3, "A, B, C", "x");
    EXPECT_AS_SNPRINTF("统筹基金按 %d.%02d%% 支付 %s 元", 85, 5, "100.00");
    EXPECT_AS_SNPRINTF("%d.%02d%%", -1, -7);
    EXPECT_AS_SNPRINTF("%d%d%s", 0, 2147483647, "");
    EXPECT_AS_SNPRINTF("%s", "no conversion after the text");
    cr_expect_eq(x.count, 7);
}

Test(explain, a_long_line_is_cut_where_snprintf_cuts_it) {
    char long_text[3 * GJ_EXPLAIN_TEXT_MAX];
    memset(&x, 0, sizeof x);
    memset(long_text, 'y', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    EXPECT_AS_SNPRINTF("前缀 %s 后缀 %d", long_text, 42);
    cr_expect_eq(strlen(x.lines[0].zh), GJ_EXPLAIN_TEXT_MAX - 1);
}

Test(explain, other_conversions_go_to_vsnprintf) {
    memset(&x, 0, sizeof x);
    EXPECT_AS_SNPRINTF("[%5s] %x %lld", "ab", 255u, 1234567890123ll);
    EXPECT_AS_SNPRINTF("%s then %-4d|", "text", 7);
}
