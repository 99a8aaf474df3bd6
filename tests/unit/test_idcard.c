/* test_idcard.c — unit tests for idcard.h: MOD 11-2 check characters, valid and refused
 * numbers (checksum, digits, length, impossible and future birth dates), gender, region,
 * the canonical check letter and masking. */
#include <criterion/criterion.h>
#include <string.h>

#include "gongji/idcard.h"

static gj_date today(void) { return gj_date_from_ymd(2025, 6, 1); }

/* Builds a valid number from 17 digits by appending the computed check character. */
static void with_check(const char *digits17, char out[GJ_IDCARD_LEN + 1]) {
    memcpy(out, digits17, 17);
    out[17] = gj_idcard_check_char(digits17);
    out[18] = '\0';
}

static gj_err parse(const char *id, gj_idcard *out, gj_status *st) {
    return gj_idcard_parse(id, strlen(id), today(), out, st);
}

static void expect_refused(const char *id, const char *reason) {
    gj_status st;
    gj_status_clear(&st);
    cr_assert_eq(parse(id, NULL, &st), GJ_E_BAD_ID_NUMBER, "\"%s\" accepted", id);
    cr_assert_eq(st.code, GJ_E_BAD_ID_NUMBER);
    cr_assert(strstr(st.detail, reason) != NULL, "\"%s\": detail \"%s\" lacks \"%s\"", id,
              st.detail, reason);
    if (strlen(id) >= 6) {
        cr_assert(strstr(st.detail, id) == NULL, "detail leaks the number");
    }
}

Test(idcard_check, known_check_characters) {
    cr_assert_eq(gj_idcard_check_char("11010519491231002"), 'X');
    cr_assert_eq(gj_idcard_check_char("44052418800101001"), '4');
    cr_assert_eq(gj_idcard_check_char("43010220000229123"), '0');
    /* Σ digit×weight ≡ 0 (mod 11) gives '1'; all zeros does. */
    cr_assert_eq(gj_idcard_check_char("00000000000000000"), '1');
    /* 1 in the 8th position (weight 1) gives sum 1 → '0'. */
    cr_assert_eq(gj_idcard_check_char("00000001000000000"), '0');
    /* weight 2 → sum 2 → 'X'. */
    cr_assert_eq(gj_idcard_check_char("00000010000000000"), 'X');
}

Test(idcard_check, every_check_character_occurs) {
    /* Varying the last digit (weight 2) over 0..9 and the 16th (weight 4) covers all 11. */
    static const char checks[] = "10X98765432";
    char digits[18] = "43010219900101000";
    bool seen[11] = {false};
    for (char a = '0'; a <= '9'; a++) {
        for (char b = '0'; b <= '9'; b++) {
            digits[15] = a;
            digits[16] = b;
            const char *pos = strchr(checks, gj_idcard_check_char(digits));
            cr_assert_not_null(pos);
            seen[pos - checks] = true;
        }
    }
    for (int i = 0; i < 11; i++) {
        cr_assert(seen[i], "check char %d never produced", i);
    }
}

Test(idcard_parse, real_sample_with_x) {
    gj_idcard card;
    memset(&card, 0, sizeof card);
    gj_status st;
    cr_assert_eq(parse("11010519491231002X", &card, &st), GJ_E_OK);
    cr_assert_str_eq(card.admdvs, "110105");
    cr_assert_eq(card.birth, gj_date_from_ymd(1949, 12, 31));
    cr_assert_eq(card.gender, 2);   /* 17th digit 2: even → female */
}

Test(idcard_parse, lowercase_x_accepted) {
    gj_idcard card;
    cr_assert_eq(parse("11010519491231002x", &card, NULL), GJ_E_OK);
    cr_assert_eq(card.gender, 2);
}

Test(idcard_canonical, check_letter_uppercase) {
    char lower[] = "11010519491231002x", upper[] = "11010519491231002X", digit[] = "440524188001010014";
    char shorter[] = "x";
    gj_idcard_canonical(lower);
    gj_idcard_canonical(upper);
    gj_idcard_canonical(digit);
    gj_idcard_canonical(shorter);
    cr_assert_str_eq(lower, "11010519491231002X");
    cr_assert_str_eq(upper, "11010519491231002X");
    cr_assert_str_eq(digit, "440524188001010014");
    cr_assert_str_eq(shorter, "x");   /* not an 18-character number: left alone */
}

Test(idcard_parse, second_real_sample) {
    gj_idcard card;
    cr_assert_eq(parse("440524188001010014", &card, NULL), GJ_E_OK);
    cr_assert_str_eq(card.admdvs, "440524");
    cr_assert_eq(card.birth, gj_date_from_ymd(1880, 1, 1));
    cr_assert_eq(card.gender, 1);   /* 17th digit 1: odd → male */
}

Test(idcard_parse, generated_leap_day_male) {
    char id[GJ_IDCARD_LEN + 1];
    with_check("43010220000229123", id);
    cr_assert_str_eq(id, "430102200002291230");
    gj_idcard card;
    cr_assert_eq(parse(id, &card, NULL), GJ_E_OK);
    cr_assert_str_eq(card.admdvs, "430102");
    cr_assert_eq(card.birth, gj_date_from_ymd(2000, 2, 29));
    cr_assert_eq(card.gender, 1);   /* 3: odd */
}

Test(idcard_parse, gender_from_seventeenth_digit) {
    for (char g = '0'; g <= '9'; g++) {
        char digits[18] = "43010219900101120";
        digits[16] = g;
        char id[GJ_IDCARD_LEN + 1];
        with_check(digits, id);
        gj_idcard card;
        cr_assert_eq(parse(id, &card, NULL), GJ_E_OK);
        cr_assert_eq(card.gender, (g - '0') % 2 == 1 ? 1 : 2, "digit %c", g);
    }
}

Test(idcard_parse, out_may_be_null) {
    cr_assert_eq(gj_idcard_parse("11010519491231002X", 18, today(), NULL, NULL), GJ_E_OK);
}

Test(idcard_parse, bad_checksum) {
    expect_refused("110105194912310020", "checksum");
    expect_refused("110105194912310021", "checksum");
    expect_refused("440524188001010015", "checksum");
    /* Swapping two digits changes the sum. */
    expect_refused("10110519491231002X", "checksum");
}

Test(idcard_parse, every_wrong_check_character_refused) {
    const char *valid = "11010519491231002X";
    const char *candidates = "0123456789X";
    for (const char *c = candidates; *c != '\0'; c++) {
        char id[GJ_IDCARD_LEN + 1];
        memcpy(id, valid, sizeof id);
        id[17] = *c;
        gj_err e = parse(id, NULL, NULL);
        cr_assert_eq(e, *c == 'X' ? GJ_E_OK : GJ_E_BAD_ID_NUMBER, "check %c", *c);
    }
}

Test(idcard_parse, bad_length) {
    expect_refused("11010519491231002", "length");
    expect_refused("11010519491231002X0", "length");
    expect_refused("", "length");
    gj_status st;
    cr_assert_eq(gj_idcard_parse(NULL, 0, today(), NULL, &st), GJ_E_BAD_ID_NUMBER);
    /* len is authoritative: 17 of the 18 characters is too short. */
    cr_assert_eq(gj_idcard_parse("11010519491231002X", 17, today(), NULL, &st),
                 GJ_E_BAD_ID_NUMBER);
}

Test(idcard_parse, bad_characters) {
    expect_refused("1101051949123100XX", "digits");
    expect_refused("X1010519491231002X", "digits");
    expect_refused("11010519491231002Y", "digits");
    expect_refused("11010519491231002 ", "digits");
    expect_refused(" 1010519491231002X", "digits");
    expect_refused("1101051949-231002X", "digits");
    expect_refused("11010519491231002\xc3", "digits");
}

Test(idcard_parse, impossible_birth_dates) {
    char id[GJ_IDCARD_LEN + 1];
    with_check("43010220230230123", id);    /* 2023-02-30 */
    expect_refused(id, "date");
    with_check("43010220230229123", id);    /* 2023-02-29: not a leap year */
    expect_refused(id, "date");
    with_check("43010219000229123", id);    /* 1900-02-29: not a leap year */
    expect_refused(id, "date");
    with_check("43010220001301123", id);    /* month 13 */
    expect_refused(id, "date");
    with_check("43010220000100123", id);    /* day 0 */
    expect_refused(id, "date");
    with_check("43010200000101123", id);    /* year 0 */
    expect_refused(id, "date");
    with_check("43010220000431123", id);    /* 31 April */
    expect_refused(id, "date");
}

Test(idcard_parse, birth_today_accepted_tomorrow_refused) {
    char id[GJ_IDCARD_LEN + 1];
    with_check("43010220250601123", id);    /* today() */
    cr_assert_eq(parse(id, NULL, NULL), GJ_E_OK);
    with_check("43010220250602123", id);
    expect_refused(id, "after today");
    with_check("43010229991231123", id);
    expect_refused(id, "after today");
}

Test(idcard_parse, status_may_be_null_on_refusal) {
    cr_assert_eq(parse("110105194912310020", NULL, NULL), GJ_E_BAD_ID_NUMBER);
}

static void expect_mask(const char *id, const char *expected) {
    char buf[32];
    cr_assert_eq(gj_idcard_mask(id, buf, sizeof buf), buf);
    cr_assert_str_eq(buf, expected);
}

Test(idcard_mask, keeps_first_and_last_four) {
    expect_mask("11010519491231002X", "1101**********002X");
    expect_mask("430102200002291230", "4301**********1230");
    expect_mask("430102200002291", "4301*******2291");   /* old 15-digit form */
    expect_mask("123456789", "1234*6789");
}

Test(idcard_mask, short_values_masked_whole) {
    expect_mask("12345678", "********");
    expect_mask("123", "***");
    expect_mask("", "");
    expect_mask(NULL, "");
}

Test(idcard_mask, truncates_to_buffer) {
    char buf[8];
    cr_assert_str_eq(gj_idcard_mask("11010519491231002X", buf, sizeof buf), "1101***");
    char one[1];
    cr_assert_str_eq(gj_idcard_mask("11010519491231002X", one, sizeof one), "");
}
