/* test_json_writer.c — unit tests for json_writer.h and gj_json_text_string (jsonx.h): the
 * writer's text equals Jansson's json_dumps(JSON_COMPACT) of the same tree (nesting, escapes,
 * amounts, null, raw
 * values); invalid UTF-8 becomes '?'; the text reader finds a member's string value, skips
 * escaped quotes, and is not fooled by a key-like text inside a value. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/json_writer.h"
#include "gongji/jsonx.h"

Test(json_writer, equals_the_encoding_of_the_same_tree) {
    const char *tricky = "引号\" 反斜杠\\ 换行\n 制表\t 控制\x01 end";
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    gj_jw_member_string(&w, "name", tricky);
    gj_jw_member_int(&w, "age", -67);
    gj_jw_member_yuan(&w, "paid", 12345);
    gj_jw_key(&w, "none");
    gj_jw_null(&w);
    gj_jw_key(&w, "lines");
    gj_jw_array_begin(&w);
    gj_jw_object_begin(&w);
    gj_jw_member_yuan(&w, "amount_yuan", -5);
    gj_jw_object_end(&w);
    gj_jw_object_begin(&w);
    gj_jw_object_end(&w);
    gj_jw_string(&w, "");
    gj_jw_array_end(&w);
    gj_jw_key(&w, "raw");
    gj_jw_raw(&w, "{\"a\":[1,2]}");
    gj_jw_object_end(&w);
    char *mine = gj_jw_finish(&w);

    json_t *tree = json_pack("{s:s, s:i, s:s, s:n, s:[{s:s}, {}, s], s:{s:[i, i]}}", "name", tricky,
                             "age", -67, "paid", "123.45", "none", "lines", "amount_yuan", "-0.05",
                             "", "raw", "a", 1, 2);
    char *theirs = json_dumps(tree, JSON_COMPACT);   /* Jansson itself, not gj_json_encode */
    cr_assert_str_eq(mine, theirs);
    free(mine);
    free(theirs);
    json_decref(tree);
}

Test(json_writer, empty_containers_and_reuse) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_array_begin(&w);
    gj_jw_array_end(&w);
    char *text = gj_jw_finish(&w);
    cr_assert_str_eq(text, "[]");
    free(text);
    gj_jw_object_begin(&w);   /* finish left it empty, ready again */
    gj_jw_object_end(&w);
    text = gj_jw_finish(&w);
    cr_assert_str_eq(text, "{}");
    free(text);
}

Test(json_writer, invalid_utf8_becomes_question_marks) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_array_begin(&w);
    gj_jw_string(&w, "a\xff" "b\xe4\xb8" "c\xed\xa0\x80" "张");   /* stray, cut, surrogate */
    gj_jw_array_end(&w);
    char *text = gj_jw_finish(&w);
    cr_assert_str_eq(text, "[\"a?b??c???张\"]");
    json_t *back = json_loads(text, 0, NULL);
    cr_assert_not_null(back, "the text is valid JSON");
    json_decref(back);
    free(text);
}

Test(json_text_string, finds_values_as_written) {
    const char *text = "{\"infcode\":0,\"err_msg\":\"say \\\"\\\"acct_pay\\\":\\\"9.99\\\" \",\"output\":"
                       "{\"setlinfo\":{\"acct_pay\":\"12.30\",\"psn_name\":\"x\\\\\"}}}";
    const char *value = NULL;
    size_t len = 0;
    cr_assert(gj_json_text_string(text, "acct_pay", &value, &len));
    cr_assert_eq(len, 5);
    cr_assert(strncmp(value, "12.30", 5) == 0, "the member, not the text inside err_msg");
    cr_assert(gj_json_text_string(text, "psn_name", &value, &len));
    cr_assert_eq(len, 3, "an escaped backslash ends before the closing quote");
    cr_assert(gj_json_text_string(text, "err_msg", &value, &len));
    cr_assert(strncmp(value + len - 1, " ", 1) == 0, "escaped quotes are skipped");
    cr_assert_not(gj_json_text_string(text, "infcode", &value, &len), "not a string value");
    cr_assert_not(gj_json_text_string(text, "absent", &value, &len));
    cr_assert_not(gj_json_text_string("{\"cut\":\"no end", "cut", &value, &len));
}

/* Strings long enough for the eight-byte copies, with each special byte at every position;
 * and gj_json_encode (over the same buffer) agrees with Jansson on them too. */
Test(json_writer, special_bytes_at_every_position) {
    const char *specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "é", "张", "~", "\x7f"};
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
        for (size_t at = 0; at <= 24; at++) {
            char text[64];
            memset(text, 'a', at);
            strcpy(text + at, specials[k]);
            strcat(text, "bcdefghijklmnopqrstuvwx");
            gj_jw w;
            gj_jw_init(&w);
            gj_jw_array_begin(&w);
            gj_jw_string(&w, text);
            gj_jw_array_end(&w);
            char *mine = gj_jw_finish(&w);
            json_t *tree = json_pack("[s]", text);
            char *theirs = json_dumps(tree, JSON_COMPACT);
            cr_assert_str_eq(mine, theirs, "special %zu at %zu", k, at);
            char *encoded = gj_json_encode(tree, false);
            cr_assert_str_eq(encoded, theirs, "gj_json_encode: special %zu at %zu", k, at);
            free(encoded);
            free(mine);
            free(theirs);
            json_decref(tree);
        }
}
