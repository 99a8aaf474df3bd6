/* test_jsonx.c — unit tests for jsonx.h's exact decoder: numbers kept as their literal text,
 * and refusals whose "line L column C" names the byte that is wrong in the caller's text —
 * also after numbers, which the decoder quotes internally before Jansson parses. */
#include <criterion/criterion.h>
#include <string.h>

#include "gongji/jsonx.h"

static gj_status st;

/* Decode text that must fail with BAD_JSON; the detail is left in st. */
static void expect_bad(const char *text) {
    json_t *out = NULL;
    gj_status_clear(&st);
    cr_assert_eq(gj_json_loads_exact(text, strlen(text), &out, &st), GJ_E_BAD_JSON, "%s", text);
    cr_assert_null(out);
}

static void expect_at(const char *text, const char *where) {
    expect_bad(text);
    cr_assert(strncmp(st.detail, where, strlen(where)) == 0, "%s → \"%s\", expected \"%s…\"", text,
              st.detail, where);
}

Test(jsonx, numbers_keep_their_text) {
    json_t *out = NULL;
    const char *text = "{\"a\": 12.30, \"b\": [-0.5, 1e2]}";
    cr_assert_eq(gj_json_loads_exact(text, strlen(text), &out, &st), GJ_E_OK);
    cr_assert_str_eq(json_string_value(json_object_get(out, "a")), "12.30");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(out, "b"), 1)), "1e2");
    json_decref(out);
}

Test(jsonx, column_without_numbers) {
    expect_at("{\"a\": x}", "line 1 column 7:");   /* x is the 7th character */
}

Test(jsonx, column_after_numbers_counts_the_callers_text) {
    /* Two numbers before the bad token: the internal quotes must not shift the column. */
    expect_at("{\"a\": 1, \"b\": 22, \"c\": x}", "line 1 column 24:");
    expect_at("[1, 2, 3, 4, 5, x]", "line 1 column 17:");
}

Test(jsonx, column_on_a_later_line) {
    /* Like Jansson, the column is where the offending token ends: the closing quote of "c". */
    expect_at("{\"a\": 100,\n \"b\": 2 \"c\"}", "line 2 column 11:");
}

Test(jsonx, error_at_a_number_points_into_it) {
    /* "2" where a ',' or '}' belongs: the error is at the number, not at an added quote. */
    expect_at("{\"a\": 1 2}", "line 1 column 9:");
}

Test(jsonx, column_counts_characters_not_bytes) {
    expect_at("{\"é\": 5, \"b\": x}", "line 1 column 15:");
}

Test(jsonx, truncated_text_points_at_its_last_byte) {
    expect_at("{\"a\": 10", "line 1 column 8:");
}

Test(jsonx, invalid_number_is_located) {
    expect_at("{\"a\": 1, \"b\": 01}", "line 1 column 15:");
    expect_at("{1: 2}", "line 1 column 2:");
}
