/* test_admdvs.c — unit tests for admdvs.h: the 34 provincial codes and their names, the
 * national code, province and city (municipalities are their own city), comparisons. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gongji/admdvs.h"

static const char *const province_codes[] = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
};

Test(admdvs_valid, all_34_provinces) {
    cr_assert_eq(sizeof province_codes / sizeof province_codes[0], 34);
    for (size_t i = 0; i < 34; i++) {
        char code[7];
        snprintf(code, sizeof code, "%s0000", province_codes[i]);
        cr_assert(gj_admdvs_valid(code), "%s", code);
        snprintf(code, sizeof code, "%s0102", province_codes[i]);
        cr_assert(gj_admdvs_valid(code), "%s", code);
    }
}

Test(admdvs_valid, every_other_two_digit_prefix_refused) {
    int valid = 0;
    for (int p = 0; p < 100; p++) {
        char code[7];
        snprintf(code, sizeof code, "%02d0100", p);
        if (gj_admdvs_valid(code)) {
            valid++;
        }
    }
    cr_assert_eq(valid, 34);
}

Test(admdvs_valid, national_and_refusals) {
    cr_assert(gj_admdvs_valid("000000"));
    cr_assert(gj_admdvs_valid("430102"));
    static const char *const bad[] = {
        "000001", "001000", "100000", "160000", "240000", "720000", "830000", "990000",
        "43010", "4301021", "43010a", "", " 43010", "430102 ", "４３0102", "-43010",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(gj_admdvs_valid(bad[i]), "\"%s\" accepted", bad[i]);
    }
    cr_assert_not(gj_admdvs_valid(NULL));
}

static void expect_province(const char *code, const char *expected) {
    char buf[7] = "junk";
    gj_admdvs_province(code, buf);
    cr_assert_str_eq(buf, expected, "province of %s", code);
}

static void expect_city(const char *code, const char *expected) {
    char buf[7] = "junk";
    gj_admdvs_city(code, buf);
    cr_assert_str_eq(buf, expected, "city of %s", code);
}

Test(admdvs_region, province) {
    expect_province("430100", "430000");
    expect_province("430102", "430000");
    expect_province("430000", "430000");
    expect_province("110105", "110000");
    expect_province("000000", "000000");
    expect_province("820000", "820000");
    expect_province("160000", "");
    expect_province("4301", "");
}

Test(admdvs_region, city) {
    expect_city("430102", "430100");
    expect_city("430100", "430100");
    expect_city("430000", "430000");
    expect_city("440305", "440300");
    expect_city("000000", "000000");
    expect_city("990102", "");
}

Test(admdvs_region, municipalities_are_their_own_city) {
    expect_city("110105", "110000");
    expect_city("110000", "110000");
    expect_city("120101", "120000");
    expect_city("310115", "310000");
    expect_city("500101", "500000");
    expect_city("500228", "500000");   /* a Chongqing county */
    /* Not a municipality: 13xx stays a prefecture. */
    expect_city("130102", "130100");
}

Test(admdvs_region, comparisons) {
    cr_assert(gj_admdvs_same_province("430102", "430211"));
    cr_assert(gj_admdvs_same_province("430000", "430102"));
    cr_assert_not(gj_admdvs_same_province("430102", "440102"));
    cr_assert(gj_admdvs_same_city("430102", "430111"));
    cr_assert(gj_admdvs_same_city("430100", "430102"));
    cr_assert_not(gj_admdvs_same_city("430102", "430202"));
    cr_assert(gj_admdvs_same_city("110105", "110228"));
    cr_assert(gj_admdvs_same_city("500101", "500228"));
    cr_assert_not(gj_admdvs_same_city("110105", "120105"));
    cr_assert_not(gj_admdvs_same_province("000000", "430102"));
    /* Invalid codes are never the same region, not even as themselves. */
    cr_assert_not(gj_admdvs_same_province("990102", "990102"));
    cr_assert_not(gj_admdvs_same_city("99010", "99010"));
    cr_assert_not(gj_admdvs_same_city(NULL, "430102"));
}

Test(admdvs_name, provinces) {
    cr_assert_str_eq(gj_admdvs_province_name("430100"), "湖南省");
    cr_assert_str_eq(gj_admdvs_province_name("110105"), "北京市");
    cr_assert_str_eq(gj_admdvs_province_name("150000"), "内蒙古自治区");
    cr_assert_str_eq(gj_admdvs_province_name("450000"), "广西壮族自治区");
    cr_assert_str_eq(gj_admdvs_province_name("540000"), "西藏自治区");
    cr_assert_str_eq(gj_admdvs_province_name("640000"), "宁夏回族自治区");
    cr_assert_str_eq(gj_admdvs_province_name("650000"), "新疆维吾尔自治区");
    cr_assert_str_eq(gj_admdvs_province_name("710000"), "台湾省");
    cr_assert_str_eq(gj_admdvs_province_name("810000"), "香港特别行政区");
    cr_assert_str_eq(gj_admdvs_province_name("820000"), "澳门特别行政区");
    cr_assert_str_eq(gj_admdvs_province_name("500228"), "重庆市");
    cr_assert_null(gj_admdvs_province_name("000000"));
    cr_assert_null(gj_admdvs_province_name("160000"));
    cr_assert_null(gj_admdvs_province_name("4301"));
    cr_assert_null(gj_admdvs_province_name(NULL));
}

Test(admdvs_name, all_distinct) {
    const char *names[34];
    for (size_t i = 0; i < 34; i++) {
        char code[7];
        snprintf(code, sizeof code, "%s0000", province_codes[i]);
        names[i] = gj_admdvs_province_name(code);
        cr_assert_not_null(names[i], "%s", code);
        for (size_t j = 0; j < i; j++) {
            cr_assert_str_neq(names[i], names[j]);
        }
    }
}
