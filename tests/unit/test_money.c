/* test_money.c — unit tests for money.h: exact yuan parsing and refusals, formatting, checked
 * arithmetic at the ±GJ_FEN_MAX boundaries, ratio rounding and ratio parsing. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "gongji/money.h"

static gj_err parse(const char *text, gj_fen *out_fen) {
    return gj_money_parse(text, strlen(text), out_fen);
}

static void expect_fen(const char *text, gj_fen expected_fen) {
    gj_fen fen = -7;
    gj_err e = parse(text, &fen);
    cr_assert_eq(e, GJ_E_OK, "\"%s\" refused with %s", text, gj_err_name(e));
    cr_assert_eq(fen, expected_fen, "\"%s\" → %lld, expected %lld", text, (long long)fen,
                 (long long)expected_fen);
}

static void expect_refused(const char *text, gj_err expected) {
    gj_fen fen = 4242;
    gj_err e = parse(text, &fen);
    cr_assert_eq(e, expected, "\"%s\" gave %s, expected %s", text, gj_err_name(e),
                 gj_err_name(expected));
    cr_assert_eq(fen, 4242, "\"%s\": output touched on refusal", text);
}

Test(money_parse, accepts_yuan_with_up_to_two_decimals) {
    expect_fen("12", 1200);
    expect_fen("12.3", 1230);
    expect_fen("12.30", 1230);
    expect_fen("-0.5", -50);
    expect_fen("+3", 300);
    expect_fen("0", 0);
    expect_fen("-0", 0);
    expect_fen("-0.00", 0);
    expect_fen("0.01", 1);
    expect_fen("0.1", 10);
    expect_fen("-12.34", -1234);
    expect_fen("007", 700);
    expect_fen("2000", 200000);
}

Test(money_parse, refuses_malformed_text) {
    static const char *const bad[] = {
        "1.234", "1.230", "1e3", "1E3", " 1", "1 ", "", "-", "+", "1.", ".5", "-.5", "--1",
        "+-1", "1,000", "1.2.3", "0x10", "abc", "12a", "1.-5", "NaN", "inf", "1 000",
        "\xef\xbc\x91" /* fullwidth 1 */, "12.3\n", "\t12", "1..2", "-+1", "1.5.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_refused(bad[i], GJ_E_BAD_AMOUNT);
    }
}

Test(money_parse, refuses_null_and_zero_length) {
    gj_fen fen = 1;
    cr_assert_eq(gj_money_parse(NULL, 0, &fen), GJ_E_BAD_AMOUNT);
    cr_assert_eq(gj_money_parse("12", 0, &fen), GJ_E_BAD_AMOUNT);
    cr_assert_eq(fen, 1);
}

Test(money_parse, reads_exactly_len_bytes) {
    gj_fen fen = 0;
    cr_assert_eq(gj_money_parse("12.345", 4, &fen), GJ_E_OK);
    cr_assert_eq(fen, 1230);
    cr_assert_eq(gj_money_parse("7xyz", 1, &fen), GJ_E_OK);
    cr_assert_eq(fen, 700);
    /* An embedded NUL inside len is junk, not an end. */
    cr_assert_eq(gj_money_parse("12\0", 3, &fen), GJ_E_BAD_AMOUNT);
}

Test(money_parse, overflow_boundaries) {
    expect_fen("10000000000000", GJ_FEN_MAX);
    expect_fen("10000000000000.00", GJ_FEN_MAX);
    expect_fen("-10000000000000.00", -GJ_FEN_MAX);
    expect_fen("9999999999999.99", GJ_FEN_MAX - 1);
    expect_refused("10000000000000.01", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("-10000000000000.01", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("10000000000001", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("9223372036854775807", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("92233720368547758.08", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("18446744073709551616", GJ_E_AMOUNT_OVERFLOW);
    expect_refused("999999999999999999999999999999999999999", GJ_E_AMOUNT_OVERFLOW);
    /* Syntax is judged before size: a huge number with junk is malformed. */
    expect_refused("99999999999999999999x", GJ_E_BAD_AMOUNT);
    expect_refused("99999999999999999999.123", GJ_E_BAD_AMOUNT);
    /* Leading zeros do not count towards the size. */
    expect_fen("0000000000000000000000000001.00", 100);
}

static void expect_format(gj_fen fen, const char *expected) {
    char buf[GJ_YUAN_TEXT_MAX];
    cr_assert_eq(gj_money_format(fen, buf, sizeof buf), buf);
    cr_assert_str_eq(buf, expected);
}

Test(money_format, two_decimals_always) {
    expect_format(1230, "12.30");
    expect_format(-5, "-0.05");
    expect_format(0, "0.00");
    expect_format(1, "0.01");
    expect_format(-100, "-1.00");
    expect_format(123456789, "1234567.89");
    expect_format(GJ_FEN_MAX, "10000000000000.00");
    expect_format(-GJ_FEN_MAX, "-10000000000000.00");
    expect_format(INT64_MAX, "92233720368547758.07");
    expect_format(INT64_MIN, "-92233720368547758.08");
}

Test(money_format, truncates_to_buffer) {
    char buf[5];
    gj_money_format(123456, buf, sizeof buf);
    cr_assert_str_eq(buf, "1234");
}

Test(money_format, round_trips_through_parse) {
    static const gj_fen samples[] = {0, 1, -1, 9, 10, 99, 100, 101, -199, 123456, GJ_FEN_MAX,
                                     -GJ_FEN_MAX, GJ_FEN_MAX - 1, 500000000001};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char buf[GJ_YUAN_TEXT_MAX];
        gj_fen back = 0;
        gj_money_format(samples[i], buf, sizeof buf);
        cr_assert_eq(parse(buf, &back), GJ_E_OK, "%s", buf);
        cr_assert_eq(back, samples[i], "%s", buf);
    }
}

Test(money_arith, add_and_sub_within_range) {
    gj_fen out = 0;
    cr_assert(gj_fen_add(1230, 70, &out));
    cr_assert_eq(out, 1300);
    cr_assert(gj_fen_sub(100, 250, &out));
    cr_assert_eq(out, -150);
    cr_assert(gj_fen_add(GJ_FEN_MAX - 1, 1, &out));
    cr_assert_eq(out, GJ_FEN_MAX);
    cr_assert(gj_fen_sub(-GJ_FEN_MAX + 1, 1, &out));
    cr_assert_eq(out, -GJ_FEN_MAX);
    cr_assert(gj_fen_add(GJ_FEN_MAX, -GJ_FEN_MAX, &out));
    cr_assert_eq(out, 0);
}

Test(money_arith, refuses_leaving_range_and_leaves_output) {
    gj_fen out = 77;
    cr_assert_not(gj_fen_add(GJ_FEN_MAX, 1, &out));
    cr_assert_not(gj_fen_sub(-GJ_FEN_MAX, 1, &out));
    cr_assert_not(gj_fen_sub(GJ_FEN_MAX, -1, &out));
    cr_assert_not(gj_fen_add(GJ_FEN_MAX, GJ_FEN_MAX, &out));
    cr_assert_not(gj_fen_add(INT64_MAX, 1, &out));       /* would overflow int64 */
    cr_assert_not(gj_fen_sub(INT64_MIN, 1, &out));
    cr_assert_eq(out, 77);
}

Test(money_arith, add_of_out_of_range_inputs_may_land_in_range) {
    /* The check is on the result: a sum back inside ±GJ_FEN_MAX is accepted. */
    gj_fen out = 0;
    cr_assert(gj_fen_add(GJ_FEN_MAX + 5, -10, &out));
    cr_assert_eq(out, GJ_FEN_MAX - 5);
    cr_assert(gj_fen_add(INT64_MAX, INT64_MIN, &out));
    cr_assert_eq(out, -1);
}

Test(money_ratio, apply_rounds_half_up) {
    cr_assert_eq(gj_fen_apply_ratio(1000, 7000), 700);
    cr_assert_eq(gj_fen_apply_ratio(1, 5000), 1);      /* 0.5 → 1 */
    cr_assert_eq(gj_fen_apply_ratio(1, 4999), 0);      /* 0.4999 → 0 */
    cr_assert_eq(gj_fen_apply_ratio(3, 5000), 2);      /* 1.5 → 2 */
    cr_assert_eq(gj_fen_apply_ratio(5, 5000), 3);      /* 2.5 → 3 (not banker's) */
    cr_assert_eq(gj_fen_apply_ratio(333, 3333), 111);  /* 110.9889 → 111 */
    cr_assert_eq(gj_fen_apply_ratio(12345, 10000), 12345);
    cr_assert_eq(gj_fen_apply_ratio(12345, 0), 0);
    cr_assert_eq(gj_fen_apply_ratio(0, 7000), 0);
    cr_assert_eq(gj_fen_apply_ratio(99999, 1), 10);    /* 9.9999 → 10 */
    cr_assert_eq(gj_fen_apply_ratio(15000, 1), 2);     /* 1.5 → 2 */
    cr_assert_eq(gj_fen_apply_ratio(14999, 1), 1);
}

Test(money_ratio, apply_is_symmetric_for_negative_amounts) {
    cr_assert_eq(gj_fen_apply_ratio(-1, 5000), -1);
    cr_assert_eq(gj_fen_apply_ratio(-3, 5000), -2);
    cr_assert_eq(gj_fen_apply_ratio(-1, 4999), 0);
    for (gj_fen a = 0; a < 500; a += 7) {
        for (int32_t r = 0; r <= 10000; r += 137) {
            cr_assert_eq(gj_fen_apply_ratio(-a, r), -gj_fen_apply_ratio(a, r), "%lld × %d",
                         (long long)a, r);
        }
    }
}

Test(money_ratio, apply_does_not_overflow_at_extremes) {
    cr_assert_eq(gj_fen_apply_ratio(GJ_FEN_MAX, 10000), GJ_FEN_MAX);
    cr_assert_eq(gj_fen_apply_ratio(GJ_FEN_MAX, 7000), GJ_FEN_MAX / 10 * 7);
    cr_assert_eq(gj_fen_apply_ratio(-GJ_FEN_MAX, 9999), -999900000000000LL);
    cr_assert_eq(gj_fen_apply_ratio(INT64_MAX, 10000), INT64_MAX);
    cr_assert_eq(gj_fen_apply_ratio(INT64_MIN, 10000), INT64_MIN);
    /* 9223372036854775807 × 0.9999 = 9222449699651090329.4193 */
    cr_assert_eq(gj_fen_apply_ratio(INT64_MAX, 9999), 9222449699651090329LL);
    /* 9223372036854775807 × 0.5 = 4611686018427387903.5 → up */
    cr_assert_eq(gj_fen_apply_ratio(INT64_MAX, 5000), 4611686018427387904LL);
}

Test(money_ratio, apply_agrees_with_a_reference_on_many_values) {
    /* Reference: round-half-up by decimal reasoning on small values. */
    for (gj_fen a = 0; a <= 20000; a += 13) {
        for (int32_t r = 0; r <= 10000; r += 250) {
            int64_t product = a * r;
            int64_t expected = product / 10000 + (product % 10000 >= 5000 ? 1 : 0);
            cr_assert_eq(gj_fen_apply_ratio(a, r), expected);
        }
    }
}

static void expect_ratio(const char *text, int32_t expected_bp) {
    int32_t bp = -1;
    cr_assert_eq(gj_ratio_parse(text, &bp), GJ_E_OK, "\"%s\" refused", text);
    cr_assert_eq(bp, expected_bp, "\"%s\" → %d", text, bp);
}

Test(money_ratio, parse_accepts_up_to_four_decimals_in_0_to_1) {
    expect_ratio("0.7", 7000);
    expect_ratio("0.70", 7000);
    expect_ratio("0.9500", 9500);
    expect_ratio("1", 10000);
    expect_ratio("1.0", 10000);
    expect_ratio("1.0000", 10000);
    expect_ratio("0", 0);
    expect_ratio("0.0", 0);
    expect_ratio("0.0001", 1);
    expect_ratio("0.123", 1230);
    expect_ratio("0.9999", 9999);
}

Test(money_ratio, parse_refuses) {
    static const char *const bad[] = {
        "1.0001", "1.5", "2", "10", "0.12345", "0.70000", "-0.1", "-0", "+0.5", "", ".5",
        "1.", "0.", "0.7 ", " 0.7", "abc", "00.5", "01", "0,7", "7000", "0.7%", "1e-1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t bp = 123;
        cr_assert_eq(gj_ratio_parse(bad[i], &bp), GJ_E_BAD_FIELD, "\"%s\" accepted", bad[i]);
        cr_assert_eq(bp, 123);
    }
    int32_t bp = 0;
    cr_assert_eq(gj_ratio_parse(NULL, &bp), GJ_E_BAD_FIELD);
}

Test(money_minmax, picks) {
    cr_assert_eq(gj_fen_min(3, -4), -4);
    cr_assert_eq(gj_fen_max(3, -4), 3);
}
